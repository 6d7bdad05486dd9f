#include "internal/cli_common.hpp"

#include <unistd.h>

#include "absl/strings/str_format.h"

namespace salesight::cli {

int UsageError(const absl::Status& status) {
  std::cerr << "salesight: " << status.message() << "\n";
  return 2;
}

int DataError(const absl::Status& status) {
  std::cerr << "salesight: " << status.message() << "\n";
  return 1;
}

int WriteResult(const ResultTable& table, const Args& args, std::size_t max_rows_on_terminal) {
  if (absl::Status st = table.Validate(); !st.ok()) return DataError(st);
  std::optional<std::string> out = args.Get("out");
  if (!out) {
    PrintTable(table, std::cout, max_rows_on_terminal);
    return 0;
  }
  if (absl::Status st = WriteResultFile(table, *out); !st.ok()) return DataError(st);
  if (*out != "-") std::cerr << "wrote " << table.num_rows() << " rows to " << *out << "\n";
  return 0;
}

FlagSpec OutFlag() {
  return FlagSpec{"out", "FILE", "write FILE.csv or FILE.json (- = CSV on stdout; default: a table on the terminal)"}
      .Check([](std::string_view path) -> absl::Status {
        if (path == "-" || path.ends_with(".csv") || path.ends_with(".json")) {
          return absl::OkStatus();
        }
        return absl::InvalidArgumentError(absl::StrFormat(
            "--out '%s': the file name must end in .csv or .json (or be - for stdout)", path));
      });
}

FlagSpec ThreadsFlag(std::string help) {
  return FlagSpec{"threads", "T", std::move(help)}.Range(0, 1024);
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace salesight::cli
