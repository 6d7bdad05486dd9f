#include "internal/reject_report.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "internal/field_parsers.hpp"

namespace salesight::ingest {

absl::Status RejectCollector::Reject(std::int64_t line, std::string_view column,
                                     std::string_view value, std::string_view kind,
                                     std::string_view detail) {
  ++report_.rejected;
  ++report_.data_lines;
  std::string printable_column = Printable(column);
  std::string printable_detail = Printable(detail, 1024);
  if (stop_) {
    if (column.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s line %d: %s", source_, line, printable_detail));
    }
    return absl::InvalidArgumentError(absl::StrFormat("%s line %d, column '%s': %s", source_,
                                                      line, printable_column, printable_detail));
  }
  std::string key =
      column.empty() ? std::string(kind) : printable_column + ": " + std::string(kind);
  ++by_reason_[key];
  if (report_.rejects.size() < max_kept_) {
    report_.rejects.push_back(
        salesight::Reject{line, std::move(printable_column), Printable(value),
                          std::move(printable_detail)});
  }
  return absl::OkStatus();
}

void RejectCollector::Note(std::int64_t line, std::string_view column, std::string_view value,
                           std::string_view note) {
  if (report_.notes.size() >= max_kept_) return;
  report_.notes.push_back(
      salesight::Reject{line, Printable(column), Printable(value), Printable(note, 1024)});
}

absl::Status RejectCollector::DocumentMismatch(std::int64_t line, std::string_view column,
                                               std::string_view value, std::string_view detail) {
  ++report_.total_mismatches;
  if (stop_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s line %d, column '%s': %s", source_, line, Printable(column), Printable(detail, 1024)));
  }
  Note(line, column, value, detail);
  return absl::OkStatus();
}

namespace {

// Most frequent first, ties by name (RejectReport::by_reason).
std::vector<std::pair<std::string, std::int64_t>> ByReason(
    const absl::flat_hash_map<std::string, std::int64_t>& counts) {
  std::vector<std::pair<std::string, std::int64_t>> out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

}  // namespace

RejectReport RejectCollector::Finish() {
  report_.by_reason = ByReason(by_reason_);
  by_reason_.clear();
  return std::move(report_);
}

RejectReport MergeReports(std::vector<RejectReport> parts, std::size_t max_kept) {
  RejectReport out;
  absl::flat_hash_map<std::string, std::int64_t> counts;
  auto keep = [max_kept](std::vector<salesight::Reject>& to, std::vector<salesight::Reject>& from) {
    for (salesight::Reject& r : from) {
      if (to.size() >= max_kept) break;
      to.push_back(std::move(r));
    }
  };
  for (RejectReport& p : parts) {
    out.data_lines += p.data_lines;
    out.accepted += p.accepted;
    out.rejected += p.rejected;
    out.total_rows += p.total_rows;
    out.filled_down += p.filled_down;
    out.total_mismatches += p.total_mismatches;
    keep(out.rejects, p.rejects);
    keep(out.notes, p.notes);
    for (const auto& [reason, count] : p.by_reason) counts[reason] += count;
  }
  out.by_reason = ByReason(counts);
  return out;
}

bool HasDocumentRows(const RejectReport& report) {
  return report.total_rows > 0 || report.filled_down > 0 || report.total_mismatches > 0 ||
         !report.notes.empty();
}

}  // namespace salesight::ingest

namespace salesight {

std::string FormatRejectReport(const RejectReport& report, std::size_t max_lines) {
  std::string out = absl::StrFormat("%d data lines: %d accepted, %d rejected", report.data_lines,
                                    report.accepted, report.rejected);
  if (report.total_rows > 0) out += absl::StrFormat(", %d total rows", report.total_rows);
  out += "\n";
  if (report.filled_down > 0) {
    out += absl::StrFormat("  %d accepted rows had fields filled down\n", report.filled_down);
  }
  if (report.total_mismatches > 0) {
    out += absl::StrFormat("  %d totals differ from the sum of their lines\n",
                           report.total_mismatches);
  }
  for (const Reject& n : report.notes) {
    if (n.reason.rfind("document total", 0) == 0) {
      out += absl::StrFormat("  line %d, column '%s': %s\n", n.line, n.column, n.reason);
    }
  }
  for (const auto& [reason, count] : report.by_reason) {
    out += absl::StrFormat("  %8d  %s\n", count, reason);
  }
  const std::size_t shown = std::min(max_lines, report.rejects.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const Reject& r = report.rejects[i];
    if (r.column.empty()) {
      out += absl::StrFormat("  line %d: %s\n", r.line, r.reason);
    } else {
      out += absl::StrFormat("  line %d, column '%s': %s\n", r.line, r.column, r.reason);
    }
  }
  if (static_cast<std::int64_t>(shown) < report.rejected) {
    out += absl::StrFormat("  ... %d more rejected rows\n",
                           report.rejected - static_cast<std::int64_t>(shown));
  }
  return out;
}

}  // namespace salesight
