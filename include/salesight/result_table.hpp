// ResultTable: the one typed, named, columnar shape every calculator result is
// turned into for the surfaces (CLI CSV/JSON, C ABI column views, Python
// DataFrames). Calculators keep their own typed result structs; each provides
// a `ToResultTable(...)` that names columns exactly as the CLI documents them.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/large_array.hpp"
#include "salesight/money.hpp"

namespace salesight {

enum class ResultType {
  kInt64,   // ints
  kDouble,  // doubles (NaN never stored: use valid = 0 for null)
  kString,  // strings (UTF-8)
  kDate,    // ints hold days since 1970-01-01
  kMoney,   // ints hold minor units at money_scale
};

struct ResultColumn {
  std::string name;
  ResultType type = ResultType::kInt64;
  int money_scale = kDefaultMoneyScale;  // kMoney only
  // Large value arrays in huge-page memory (salesight/large_array.hpp): a
  // result of a million rows is ~8 MB a column, and with glibc's heap each
  // call that follows a freed result faulted it back in 4 KiB at a time
  // (measured: 13.6k page faults and +13 ms per RFM call at 10^7 lines).
  LargeVector<std::int64_t> ints;        // kInt64, kDate, kMoney
  LargeVector<double> doubles;           // kDouble
  std::vector<std::string> strings;      // kString held as text
  // kString held dictionary-encoded (AddCodes): row i is labels->Code(codes[i]),
  // or codes[i] in decimal when labels is null (ids of a table built without a
  // dictionary). A million customer ids then cost 4 bytes each and no string;
  // the C ABI hands the codes out as they are (salesight_result_column_codes).
  bool encoded = false;
  LargeVector<std::int32_t> codes;
  std::shared_ptr<const Dictionary> labels;
  std::vector<std::uint8_t> valid;       // empty = all valid; else 1 per row, 0 = null

  std::size_t size() const;
  bool is_null(std::size_t row) const { return !valid.empty() && valid[row] == 0; }
  // The text of row i of a kString column, either representation.
  std::string StringAt(std::size_t row) const;
  // Every row's text (tests, small tables).
  std::vector<std::string> Texts() const;
};

// A deque, so the reference AddX() returns stays valid while more columns are added.
using ResultColumns = std::deque<ResultColumn>;

class ResultTable {
 public:
  ResultColumn& AddInt64(std::string name);
  ResultColumn& AddDouble(std::string name);
  ResultColumn& AddString(std::string name);
  // A kString column held as codes into `labels` (null = codes print as decimal).
  ResultColumn& AddCodes(std::string name, std::shared_ptr<const Dictionary> labels);
  ResultColumn& AddDate(std::string name);
  ResultColumn& AddMoney(std::string name, int money_scale);

  // All columns equally long, names unique; else an error naming the column.
  absl::Status Validate() const;
  std::size_t num_rows() const { return columns_.empty() ? 0 : columns_.front().size(); }
  std::size_t num_columns() const { return columns_.size(); }
  const ResultColumns& columns() const { return columns_; }
  ResultColumns& mutable_columns() { return columns_; }
  const ResultColumn* Find(std::string_view name) const;

 private:
  ResultColumns columns_;
};

// Text of one cell as the CSV/JSON writers print it: money in currency units
// ("1234.50"), dates ISO, doubles with up to 17 significant digits, null "".
std::string FormatCell(const ResultColumn& column, std::size_t row);

// RFC 4180 CSV with a header row; fields quoted when they need it.
void WriteCsv(const ResultTable& table, std::ostream& out);
// A JSON array of row objects; null for nulls; money as a decimal string-free
// number with exactly money_scale decimals.
void WriteJson(const ResultTable& table, std::ostream& out);
// Writes to FILE.csv or FILE.json by extension; "-" = CSV to stdout.
absl::Status WriteResultFile(const ResultTable& table, const std::string& path);
// A fixed-width text table for terminals (at most max_rows rows, then "...").
void PrintTable(const ResultTable& table, std::ostream& out, std::size_t max_rows = 20);

// ---------------------------------------------------------------- data problems
// A data problem a calculator found in its input and worked around (counted,
// never dropped silently): a stage date before its predecessor, an overpaid
// invoice, a line without a cost. Each calculator that has such counts turns
// them into a list of DataProblem (FunnelProblems, ReceivablesProblems, ...)
// with only the kinds whose count is > 0; every surface shows that one list:
// the C ABI as salesight_result_problems' table, Python as a warning and
// df.attrs["problems"], the CLI on stderr through PrintProblems.
struct DataProblem {
  std::string problem;          // stable snake_case kind, e.g. "backwards_dates"
  std::int64_t count = 0;       // exact, however many examples are kept
  std::optional<Money> amount;  // money involved (minor units at money_scale), if any
  // Examples, ascending by row: the ids as the user gave them (the code of a
  // text id, else the number) and their 0-based rows in the input table.
  std::vector<std::string> example_ids;
  std::vector<std::int64_t> example_rows;
  std::string message;  // one self-contained line for a person (names ids as given)
};

struct DataProblems {
  int money_scale = kDefaultMoneyScale;  // of every amount
  std::vector<DataProblem> items;
  bool empty() const { return items.empty(); }
};

// problem, count, amount (money, null when the kind has none), example_ids and
// example_rows (the examples joined by ";"), message; one row per item, in
// order. Zero rows (with the same columns) when there is no problem.
ResultTable ProblemsToResultTable(const DataProblems& problems);

// The CLI's lines on stderr, read from that table (so the CLI shows exactly
// what the C ABI and Python show): "data problem: <message>" and, when there
// are examples, "  examples: 'L-7' (row 3) 'L-9' (row 17)" (the first 10).
// Nothing for an empty table.
void PrintProblems(const ResultTable& problems, std::ostream& out);

// An id of a key column (opportunity, invoice) as the user gave it: the
// dictionary's code when the column carries one (L-0042), else the number
// (the ERP's own number passed as an integer). Messages quote it: 'L-0042'.
std::string KeyIdText(const std::shared_ptr<const Dictionary>& codes, std::int64_t id);

}  // namespace salesight
