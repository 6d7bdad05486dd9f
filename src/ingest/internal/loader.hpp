// The loop every table loader shares: header, field binding, record checks
// (quote problems, ragged rows), then a per-row function that parses and stores
// one row or explains why not; accepted/rejected counting and progress.
// Run() is a template so the row function inlines into the record loop.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "salesight/status_macros.hpp"
#include "csv_reader.hpp"
#include "documents.hpp"
#include "field_parsers.hpp"
#include "reject_report.hpp"
#include "salesight/csv.hpp"

namespace salesight::ingest {

// The reader's share of the options (dialect, encoding, limits, progress).
CsvReaderOptions ReaderOptions(const IngestOptions& options);

// A model field of a table.
struct FieldSpec {
  std::string_view name;
  bool required;
};

// Why the row function refused a row.
struct RowError {
  int column = -1;  // field index in the record; -1 = the row as a whole
  std::string_view kind;
  std::string detail;
  absl::Status fatal;  // set to abort the whole load (e.g. a dictionary is full)
};

// The row function's view of one record.
class Row {
 public:
  Row(const CsvRecord& record, RowError* error) : record_(record), error_(error) {}
  // The trimmed field at `column` (>= 0).
  std::string_view Get(int column) const {
    return Trim(record_.fields[static_cast<std::size_t>(column)]);
  }
  // The untrimmed field, exactly as in the file (after unquoting).
  std::string_view Raw(std::size_t column) const { return record_.fields[column]; }
  std::size_t size() const { return record_.fields.size(); }
  // Records the reason and returns false, for `return row.Fail(...)`.
  bool Fail(int column, std::string_view kind, std::string detail) {
    error_->column = column;
    error_->kind = kind;
    error_->detail = std::move(detail);
    return false;
  }
  bool Fatal(absl::Status status) {
    error_->fatal = std::move(status);
    return false;
  }
  std::int64_t line() const { return record_.line; }

 private:
  const CsvRecord& record_;
  RowError* error_;
};

// Typed readers of one field; `column` < 0 means the field is not bound (the
// output keeps its "absent" value and the call succeeds).
// Codes: empty -> reject when required, else "".
bool ReadCode(Row& row, int column, bool required, std::string_view* out);
// Dates: empty -> reject when required, else kNoDate.
bool ReadDate(Row& row, int column, DateParser& parser, bool required, Day* out);
// Integers in [lo, hi]; empty -> reject.
bool ReadInt(Row& row, int column, char thousands_separator, std::int64_t lo, std::int64_t hi,
             std::int64_t* out);
// Money; empty -> reject unless `empty_is_zero`.
bool ReadMoney(Row& row, int column, const MoneyScale& scale, bool empty_is_zero,
               ParsedMoney* out);
// A field that is an amount or a percentage of `base` ("12.5%": base x 0.125,
// exact; a product needing more decimals than the scale allows is rejected,
// never rounded). Empty -> reject.
bool ReadMoneyOrPercentOf(Row& row, int column, const MoneyScale& scale, const ParsedMoney& base,
                          ParsedMoney* out);
// An amount of the row and the column it came from (column < 0 = not bound).
struct MoneyField {
  int column;
  ParsedMoney* value;
};
// Brings the row's amounts to one scale (MoneyScale::Settle) and checks that the
// values stored so far could move there; *target is the scale to Raise() to when
// the row is committed. Rejects (at the column that asked for the larger scale)
// when either would overflow.
bool SettleRow(Row& row, const MoneyScale& money, absl::Span<const MoneyField> fields,
               int* target);
// Commits a settled row's scale: rescales the table's columns when it grew.
inline void RaiseTo(MoneyScale& money, int target) {
  if (target > money.scale()) money.Raise(target);
}

// "'a', 'b', ..." (header names in messages).
std::string QuotedList(const std::vector<std::string>& names);

// Checks of options every loader shares (money scale range).
absl::Status CheckIngestOptions(const IngestOptions& options);

// Interns `code` into the slot's dictionary (created when null).
inline bool InternCode(Row& row, std::shared_ptr<Dictionary>& slot, std::string_view code,
                       Id* out) {
  absl::StatusOr<Id> id = EnsureDictionary(slot).Intern(code);
  if (!id.ok()) return row.Fatal(id.status());
  *out = *id;
  return true;
}

class Loader {
 public:
  // Reads the header (or, without one, peeks at the first record for the column
  // count). `table` names the table in messages ("orders").
  static absl::StatusOr<std::unique_ptr<Loader>> Open(std::unique_ptr<CsvReader> reader,
                                                      const IngestOptions& options,
                                                      std::string table);
  static absl::StatusOr<std::unique_ptr<Loader>> OpenFile(const std::string& path,
                                                          const IngestOptions& options,
                                                          std::string table);

  // A chunk of a file read in parallel (chunked.hpp): `reader` starts at a
  // record boundary after the header, which the file's first Loader read.
  static absl::StatusOr<std::unique_ptr<Loader>> OpenChunk(std::unique_ptr<CsvReader> reader,
                                                           const IngestOptions& options,
                                                           std::string table,
                                                           std::vector<std::string> header);

  const std::vector<std::string>& header() const { return header_; }
  bool has_header() const { return !has_pending_; }
  bool fills_down() const { return documents_.fills_down(); }
  // The reader's place: source bytes consumed and the file line of the next record.
  std::int64_t position() const { return reader_->position(); }
  std::int64_t next_line() const { return reader_->line(); }
  // Rejects whose reason names a file line besides their own (quote problems):
  // a chunk read before its first line was known must be read again.
  std::int64_t line_reasons() const { return line_reasons_; }
  const std::string& table() const { return table_; }
  const std::string& source() const { return reader_->source_name(); }

  // Column index per spec (-1 = unbound): from the mapping, else a header column
  // spelled like the field. Errors: a mapped field the table does not have
  // (listing the valid ones), required fields left unbound (listing them), a
  // mapped column missing from the header or present twice.
  // The first required spec's column becomes the key field of total rows.
  absl::StatusOr<std::vector<int>> Bind(absl::Span<const FieldSpec> specs);
  // The index of a header column given by name (for pipeline stages).
  absl::StatusOr<int> ColumnIndex(std::string_view what, std::string_view column) const;
  // The preset's header names for `field`, or null.
  const std::vector<std::string>* CandidatesFor(std::string_view field) const;
  // The date parser of a field: its column_date_formats override, else the
  // default format; Excel serials per IngestOptions::excel_dates.
  DateParser DateParserFor(std::string_view field) const;
  // column_date_formats keys must be fields (or stages) of the table.
  absl::Status CheckDateFormatKeys(absl::Span<const std::string_view> valid) const;

  // A money column whose total rows are checked (documents.hpp); `values`
  // gets one value per accepted row. The first is the line amount that
  // document totals are compared with.
  void CheckTotals(int column, const std::vector<Money>* values, const MoneyScale* scale) {
    if (column >= 0) documents_.AddTotalColumn(column, values, scale);
  }
  // Streaming (salesight/csv_stream.hpp): see Documents::DropRows / FirstNeededRow.
  void DropRows(std::int64_t rows) { documents_.DropRows(rows); }
  std::int64_t FirstNeededRow() const {
    return documents_.FirstNeededRow(rejects_.report().accepted);
  }
  // The document-total column (never an attribute), or -1.
  int document_total_column() const { return documents_.document_total_column(); }

  // Rows to reserve columns for: the estimate plus 25%. A reserve the rows never
  // reach costs address space only (pages never written are never resident),
  // while a short one costs a reallocation of every column, whose freed copies
  // the allocator may keep resident.
  std::size_t ReserveRows() const {
    const auto estimate =
        static_cast<std::size_t>(std::max<std::int64_t>(reader_->EstimatedRecords(), 0));
    return estimate + estimate / 4 + 1024;
  }

  // `fn(Row&) -> bool`: true = accepted (and stored), false = rejected (with the
  // reason in the RowError) or fatal.
  template <typename Fn>
  absl::Status Run(Fn&& fn) {
    if (has_pending_) {
      has_pending_ = false;
      SALESIGHT_RETURN_IF_ERROR(Process(pending_, fn));
    }
    CsvRecord record;
    while (true) {
      absl::StatusOr<bool> more = reader_->Next(&record);
      if (!more.ok()) return more.status();
      if (!*more) break;
      SALESIGHT_RETURN_IF_ERROR(Process(record, fn));
    }
    return documents_.Finish(rejects_);
  }

  RejectReport Finish() { return rejects_.Finish(); }

 private:
  Loader(std::unique_ptr<CsvReader> reader, const IngestOptions& options, std::string table);
  // The document rules of the options and the header (a preset's fill-down
  // columns the header has).
  absl::Status CreateDocuments();

  // Quote problems and ragged rows; OK = the record may go to the row function.
  absl::Status CheckShape(const CsvRecord& record, bool* ok);

  template <typename Fn>
  absl::Status Process(const CsvRecord& record, Fn& fn) {
    bool shape_ok = false;
    SALESIGHT_RETURN_IF_ERROR(CheckShape(record, &shape_ok));
    if (!shape_ok) return absl::OkStatus();
    const CsvRecord* input = &record;
    if (documents_.active()) {
      bool total_row = false;
      SALESIGHT_RETURN_IF_ERROR(documents_.Before(record, rejects_, &total_row, &input));
      if (total_row) return absl::OkStatus();
    }
    RowError error;
    Row row(*input, &error);
    if (fn(row)) {
      rejects_.Accept();
      if (documents_.active()) documents_.Accepted(*input, rejects_);
      return absl::OkStatus();
    }
    if (!error.fatal.ok()) return error.fatal;
    std::string_view column, value;
    if (error.column >= 0) {
      column = header_[static_cast<std::size_t>(error.column)];
      value = row.Get(error.column);
    }
    return rejects_.Reject(record.line, column, value, error.kind, error.detail);
  }

  std::unique_ptr<CsvReader> reader_;
  const IngestOptions& options_;
  std::string table_;
  std::vector<std::string> header_;
  RejectCollector rejects_;
  Documents documents_;
  CsvRecord pending_;  // the first record, when the file has no header
  bool has_pending_ = false;
  std::int64_t line_reasons_ = 0;
};

}  // namespace salesight::ingest
