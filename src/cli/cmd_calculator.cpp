// `salesight NAME ...` for every declared calculator (salesight/calculator.hpp):
// flags, --help and the run all come from the declaration, so a calculator
// added to the registry is a command without any code here.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/calculator.hpp"

namespace salesight::cli {
namespace {

// The export flag of a table, if the CLI reads that table from a file.
std::optional<MainFile> FileOf(TableKind table) {
  switch (table) {
    case TableKind::kOrders: return MainFile::kOrders;
    case TableKind::kPipeline: return MainFile::kPipeline;
    case TableKind::kInvoices: return MainFile::kInvoices;
    case TableKind::kPayments: return MainFile::kPayments;
    case TableKind::kTargets: return MainFile::kTargets;
    default: return std::nullopt;  // masters come with the sample only
  }
}

}  // namespace

std::string CommandName(std::string_view calculator) {
  std::string name(calculator);
  for (char& c : name) c = c == '_' ? '-' : c;
  return name;
}

int RunDeclaredCalculator(const CalculatorSpec& spec, int argc, char** argv, int first) {
  std::vector<MainFile> files;
  for (const CalculatorInput& in : spec.inputs) {
    if (std::optional<MainFile> f = FileOf(in.table)) files.push_back(*f);
  }
  if (files.empty()) files.push_back(MainFile::kOrders);
  std::vector<FlagSpec> own = DeclaredFlags(spec.options, {});
  std::vector<std::string> outputs(spec.outputs.begin(), spec.outputs.end());
  if (outputs.size() > 1) {
    own.push_back(FlagSpec{"output", "NAME",
                           absl::StrCat("which result to print: ", absl::StrJoin(outputs, ", "),
                                        " (default ", outputs[0], ")")}
                      .Check([outputs](std::string_view v) {
                        for (const std::string& o : outputs) {
                          if (o == v) return absl::OkStatus();
                        }
                        return absl::InvalidArgumentError(
                            absl::StrCat("must be one of ", absl::StrJoin(outputs, ", ")));
                      }));
  }
  own.push_back(OutFlag());
  const std::string command = CommandName(spec.name);
  const std::string usage = absl::StrCat("salesight ", command, " --", MainFileFlag(files[0]),
                                         " FILE --map FIELD=COL,... [options]");
  const std::string description = absl::StrCat(
      std::string(spec.doc), "\nWithout --", MainFileFlag(files[0]),
      " it analyses the bundled sample. Options: `salesight options ", std::string(spec.name),
      " --markdown`.");
  int exit_code = 0;
  std::optional<Args> args =
      ParseCommand(argc, argv, first, files, own, usage, description, &exit_code);
  if (!args) return exit_code;
  OptionSettings settings;
  if (absl::Status st = ApplyDeclaredFlags(*args, spec.options, {},
                                           [&](std::string_view name, std::string_view text) {
                                             settings.emplace_back(name, text);
                                             return absl::OkStatus();
                                           });
      !st.ok()) {
    return UsageError(st);
  }
  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, files[0]);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  absl::StatusOr<ResultSet> result = RunCalculator(spec, *dataset, settings);
  if (!result.ok()) {
    // Option values are checked by the declaration before any work: a bad
    // value is a usage error, anything later a data error.
    return result.status().code() == absl::StatusCode::kInvalidArgument &&
                   result.status().message().rfind("option ", 0) == 0
               ? UsageError(result.status())
               : DataError(result.status());
  }
  PrintProblems(ProblemsToResultTable(result->problems), std::cerr);
  const ResultTable* table = result->Find(args->GetOr("output", outputs[0]));
  return WriteResult(*table, *args);
}

}  // namespace salesight::cli
