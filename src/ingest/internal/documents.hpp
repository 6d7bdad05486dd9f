// Document-style ERP exports (csv.hpp, "Documents"): header fields carried
// down to a document's lines (fill-down), total and subtotal rows recognised,
// kept out of the data and checked against the lines they close, and a
// document-level amount checked against the sum of its lines. Runs in the
// loader between the shape check and the row function; a plain file (its key
// field filled and no fill-down) costs one trimmed-field test per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "csv_reader.hpp"
#include "field_parsers.hpp"
#include "reject_report.hpp"
#include "salesight/csv.hpp"

namespace salesight::ingest {

// The level of a total label: 1 subtotal (小计, Subtotal), 2 total (合计, Total),
// 3 grand total (总计, Grand Total); 0 = not a label. Case-insensitive for the
// English ones; spaces inside and a trailing ':' or '：' are ignored.
int TotalLevel(std::string_view field);

class Documents {
 public:
  // Resolves the fill-down and document-total columns against the header.
  static absl::StatusOr<Documents> Create(const IngestOptions& options,
                                          const std::vector<std::string>& header,
                                          const std::string& table, const std::string& source);

  // The table's key field (its first required field): total rows are the rows
  // where it is empty or is the label itself. Unset = no total rows (the
  // generic string reader).
  void SetKeyColumn(int column) { key_column_ = column; }
  // A money column checked on total rows: `values` holds one value per
  // accepted row at `scale`. The first one is what document totals are
  // compared with (the line amount).
  void AddTotalColumn(int column, const std::vector<Money>* values, const MoneyScale* scale) {
    totals_.push_back({column, values, scale});
  }
  int document_total_column() const { return document_total_column_; }
  // Streaming (salesight/csv_stream.hpp): the first `rows` accepted rows left the
  // total columns' `values` (they hold rows [dropped, accepted) from then
  // on). The rows an open document's total will be compared with start at
  // FirstNeededRow; a total row closing dropped rows is an error.
  void DropRows(std::int64_t rows) { dropped_ += rows; }
  std::int64_t FirstNeededRow(std::int64_t accepted) const {
    return in_document_ && !document_total_.empty() ? document_first_row_ : accepted;
  }
  bool active() const { return key_column_ >= 0 || !fill_columns_.empty(); }
  // Fill-down carries a document's fields across any later row: a file read
  // in chunks (chunked.hpp) could not start a chunk without the open document.
  bool fills_down() const { return !fill_columns_.empty(); }

  // Before the row function. *consumed: the record was a total row (counted
  // or rejected here). Else *record_out is the record to parse (the input, or
  // a copy with fields filled down, valid until the next call).
  absl::Status Before(const CsvRecord& record, RejectCollector& rejects, bool* consumed,
                      const CsvRecord** record_out);
  // After the row function accepted the record Before() handed out.
  void Accepted(const CsvRecord& record, RejectCollector& rejects);
  // At the end of the file: closes the last document.
  absl::Status Finish(RejectCollector& rejects) { return CloseDocument(rejects); }

 private:
  struct TotalColumn {
    int column;
    const std::vector<Money>* values;
    const MoneyScale* scale;
  };
  absl::Status HandleTotal(const CsvRecord& record, int level, int label_column,
                           RejectCollector& rejects);
  absl::Status CloseDocument(RejectCollector& rejects);
  // `text` (an amount) against the sum of `column` over accepted rows
  // [from, to); false with the reason ("X but the N accepted lines <lines> sum
  // to Y", kind "total mismatch", or why the text is not an amount).
  bool Compare(const TotalColumn& column, std::string_view text, std::int64_t from,
               std::int64_t to, std::string_view lines, std::string_view* kind,
               std::string* detail) const;
  std::string_view Name(int column) const {
    return header_[static_cast<std::size_t>(column)];
  }

  std::vector<std::string> header_;
  std::string source_;
  int key_column_ = -1;
  std::vector<TotalColumn> totals_;
  std::vector<int> fill_columns_;
  int document_total_column_ = -1;
  std::int64_t dropped_ = 0;  // DropRows

  // The open document.
  bool in_document_ = false;
  std::int64_t document_line_ = 0;
  std::int64_t document_first_row_ = 0;  // accepted rows before it
  std::int64_t document_rejected_ = 0;   // rejected rows before it
  std::vector<std::string> fill_values_;
  std::string document_total_;

  // Per total level (index 1..3): where the lines it would close begin.
  std::int64_t level_first_row_[4] = {};
  std::int64_t level_rejected_[4] = {};
  std::int64_t level_line_[4] = {1, 1, 1, 1};

  // The record handed out with filled fields, and what was filled.
  CsvRecord filled_record_;
  std::vector<std::string_view> filled_fields_;
  std::string filled_names_;
};

}  // namespace salesight::ingest
