// DataProblems -> the one problems table every surface shows, and the CLI's
// printing of that table.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "salesight/result_table.hpp"

namespace salesight {

ResultTable ProblemsToResultTable(const DataProblems& problems) {
  ResultTable t;
  ResultColumn& problem = t.AddString("problem");
  ResultColumn& count = t.AddInt64("count");
  ResultColumn& amount = t.AddMoney("amount", problems.money_scale);
  ResultColumn& ids = t.AddString("example_ids");
  ResultColumn& rows = t.AddString("example_rows");
  ResultColumn& message = t.AddString("message");
  for (const DataProblem& p : problems.items) {
    problem.strings.push_back(p.problem);
    count.ints.push_back(p.count);
    amount.ints.push_back(p.amount.value_or(0));
    amount.valid.push_back(p.amount.has_value() ? 1 : 0);
    ids.strings.push_back(absl::StrJoin(p.example_ids, ";"));
    rows.strings.push_back(absl::StrJoin(p.example_rows, ";"));
    message.strings.push_back(p.message);
  }
  return t;
}

void PrintProblems(const ResultTable& problems, std::ostream& out) {
  const ResultColumn* message = problems.Find("message");
  const ResultColumn* ids = problems.Find("example_ids");
  const ResultColumn* rows = problems.Find("example_rows");
  if (message == nullptr || ids == nullptr || rows == nullptr) return;
  constexpr std::size_t kShown = 10;  // a terminal line, not the whole list
  for (std::size_t i = 0; i < problems.num_rows(); ++i) {
    out << "data problem: " << message->StringAt(i) << "\n";
    const std::vector<std::string> id_list =
        absl::StrSplit(ids->StringAt(i), ';', absl::SkipEmpty());
    const std::vector<std::string> row_list =
        absl::StrSplit(rows->StringAt(i), ';', absl::SkipEmpty());
    if (row_list.empty()) continue;
    out << "  examples:";
    for (std::size_t k = 0; k < row_list.size() && k < kShown; ++k) {
      out << " ";
      if (k < id_list.size()) out << "'" << id_list[k] << "' ";
      out << "(row " << row_list[k] << ")";
    }
    if (row_list.size() > kShown) out << " and " << row_list.size() - kShown << " more";
    out << "\n";
  }
}

std::string KeyIdText(const std::shared_ptr<const Dictionary>& codes, std::int64_t id) {
  if (codes != nullptr && id >= 0 && id < codes->size()) {
    return std::string(codes->Code(static_cast<Id>(id)));
  }
  return std::to_string(id);
}

}  // namespace salesight
