// Pieces every subcommand shares: error reporting and exit codes, the common
// ingestion flags (--map, --date-format, ...), and writing results (--out).
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "args.hpp"
#include "salesight/result_table.hpp"

namespace salesight::cli {

// Prints "salesight: <message>" and returns 2 (usage) or 1 (data).
int UsageError(const absl::Status& status);
int DataError(const absl::Status& status);

// --out FILE.csv|FILE.json, or a terminal table on stdout when absent.
int WriteResult(const ResultTable& table, const Args& args, std::size_t max_rows_on_terminal = 50);

// The flags every analysis command shares, declared once: --out FILE.csv,
// FILE.json or - (CSV on stdout; any other name is refused before the work)
// and --threads T (0..1024, 0 = all cores).
FlagSpec OutFlag();
FlagSpec ThreadsFlag(std::string help = "threads (default 0 = all cores)");

// True when stderr is a terminal (progress is shown only then).
bool StderrIsTerminal();

}  // namespace salesight::cli
