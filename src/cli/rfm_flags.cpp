#include "internal/rfm_flags.hpp"

#include <fstream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"

namespace salesight::cli {

FlagSpec SegmentsFlag() {
  return {"segments", "tiers|relative|classic|workload|FILE",
          "segment rule table (default tiers: fixed thresholds; relative: the same tiers with "
          "cuts from the data's quantiles; FILE: rules text)"};
}

absl::Status SegmentsFromFlag(const Args& args, RfmOptions& o) {
  const std::string segments = args.GetOr("segments", "tiers");
  absl::StatusOr<RfmSegments> builtin = ParseRfmSegments(segments);
  if (builtin.ok() && *builtin != RfmSegments::kCustom) {
    o.segments = *builtin;
    return absl::OkStatus();
  }
  // Anything else is a rule-table file (format in rfm.hpp / README).
  std::ifstream in(segments, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--segments '%s' is neither tiers, relative, classic, workload nor a readable rules file",
        segments));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<RfmRuleTable> rules = ParseRuleTable(text.str());
  if (!rules.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %s", segments, rules.status().message()));
  }
  o.segments = RfmSegments::kCustom;
  o.custom_rules = *std::move(rules);
  return absl::OkStatus();
}

int WriteSegmentSummary(const RfmSegmentSummary& summary, const Args& args, std::ostream& out) {
  ResultTable table = ToResultTable(summary);
  if (args.Has("out")) return WriteResult(table, args);
  ResultColumns& columns = table.mutable_columns();
  for (auto it = columns.begin(); it != columns.end(); ++it) {
    if (it->name == "note") {
      columns.erase(it);
      break;
    }
  }
  PrintTable(table, out);
  for (const RfmEmptySegment& e : summary.empty_segments) {
    out << "  note: " << DescribeEmptySegment(e, summary.language) << "\n";
  }
  for (const RfmSegmentGroup& g : summary.groups) {
    for (const RfmEmptySegment& e : g.summary.empty_segments) {
      out << "  note (" << summary.by << " " << g.label
          << "): " << DescribeEmptySegment(e, summary.language) << "\n";
    }
  }
  return 0;
}

}  // namespace salesight::cli
