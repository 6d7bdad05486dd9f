// Collects accepted/rejected rows into a RejectReport, or turns the first
// reject into an error when the caller asked to stop there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "salesight/csv.hpp"

namespace salesight::ingest {

class RejectCollector {
 public:
  RejectCollector(std::string source, std::size_t max_kept, bool stop_on_first_error)
      : source_(std::move(source)), max_kept_(max_kept), stop_(stop_on_first_error) {}

  void Accept() {
    ++report_.accepted;
    ++report_.data_lines;
  }
  // Counts a rejected row. `column` is the header name ("" = the whole row),
  // `kind` the short category for by_reason, `detail` the full reason. Returns
  // the error to stop with when stop_on_first_error, else OK.
  absl::Status Reject(std::int64_t line, std::string_view column, std::string_view value,
                      std::string_view kind, std::string_view detail);

  // A total or subtotal row kept out of the data (documents.hpp).
  void TotalRow(std::int64_t line, std::string_view column, std::string_view value,
                std::string_view note) {
    ++report_.total_rows;
    ++report_.data_lines;
    Note(line, column, value, note);
  }
  // An accepted row that had fields filled down.
  void FilledDown(std::int64_t line, std::string_view note) {
    ++report_.filled_down;
    Note(line, "", "", note);
  }
  // A total row rejected because it is not the sum of its lines (Reject()
  // counts the row); documents whose amount is not go through DocumentMismatch.
  void CountMismatch() { ++report_.total_mismatches; }
  // A document whose amount is not the sum of its lines: its rows stay
  // accepted; an error when stop_on_first_error.
  absl::Status DocumentMismatch(std::int64_t line, std::string_view column,
                                std::string_view value, std::string_view detail);

  const RejectReport& report() const { return report_; }
  RejectReport Finish();

 private:
  void Note(std::int64_t line, std::string_view column, std::string_view value,
            std::string_view note);

  std::string source_;
  std::size_t max_kept_;
  bool stop_;
  RejectReport report_;
  absl::flat_hash_map<std::string, std::int64_t> by_reason_;
};

// The reports of consecutive parts of one file as one report of the file, in
// file order (rejects and notes: the first max_kept).
RejectReport MergeReports(std::vector<RejectReport> parts, std::size_t max_kept);

// Total or subtotal rows, fill-down or document notes: rows whose meaning
// depends on rows before them.
bool HasDocumentRows(const RejectReport& report);

}  // namespace salesight::ingest
