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

RejectReport RejectCollector::Finish() {
  report_.by_reason.assign(by_reason_.begin(), by_reason_.end());
  std::sort(report_.by_reason.begin(), report_.by_reason.end(),
            [](const auto& a, const auto& b) {
              return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
  by_reason_.clear();
  return std::move(report_);
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
