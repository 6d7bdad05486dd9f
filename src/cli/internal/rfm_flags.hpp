// What `rfm` and `report` share about customer segments: the --segments flag
// and printing the segment summary with its notes on empty segments.
#pragma once

#include <ostream>

#include "absl/status/status.h"
#include "args.hpp"
#include "salesight/rfm.hpp"

namespace salesight::cli {

// --segments tiers|relative|classic|workload|FILE (default tiers).
FlagSpec SegmentsFlag();
// Sets options.segments (and custom_rules for a rules FILE) from --segments.
absl::Status SegmentsFromFlag(const Args& args, RfmOptions& options);

// The segment summary: with --out the whole table (note column included) to
// the file; on the terminal the table without the note column and then one
// line per empty segment saying why (the library's wording). Returns the exit
// code.
int WriteSegmentSummary(const RfmSegmentSummary& summary, const Args& args, std::ostream& out);

}  // namespace salesight::cli
