// The RFC 4180 tokenizer and streaming reader under every CSV loader.
//
// Reads its source in chunks into one buffer and hands out records as views of
// that buffer; a record cut by the chunk end is moved to the front and parsed
// again after the next read, so the only copies are one memmove per chunk and the
// in-place unescaping of quoted fields that contain doubled quotes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/csv.hpp"

namespace salesight::ingest {

// Where bytes come from: fills up to `size` bytes at `out`, returns how many were
// read (0 = end), or -1 on an I/O error. Called once per chunk, never per row.
using ReadFn = std::function<std::int64_t(char* out, std::size_t size)>;

struct CsvReaderOptions {
  CsvDialect dialect;
  // Bytes as they are by default; the loaders pass IngestOptions::encoding
  // (csv.hpp), whose kAuto may also change the delimiter (UTF-16).
  Encoding encoding = Encoding::kUtf8;
  std::int64_t max_record_bytes = std::int64_t{64} << 20;
  std::size_t chunk_bytes = std::size_t{1} << 20;
  std::function<void(std::int64_t, std::int64_t)> progress;
  // For a chunk of a file read in parallel (chunked.hpp): the file line of the
  // source's first byte, whether a UTF-8 byte order mark there is skipped (only
  // at the start of a file), and the source offset at or after which no new
  // record starts (-1 = none): the record under way at that offset is finished.
  std::int64_t first_line = 1;
  bool skip_bom = true;
  std::int64_t stop_at = -1;
};

enum class RecordProblem : std::uint8_t {
  kNone,
  kUnterminatedQuote,  // the file ended inside a quoted field
  kTextAfterQuote,     // a closing quote followed by something other than a delimiter/line end
};

struct CsvRecord {
  std::int64_t line = 0;  // file line of the record's first byte, 1-based
  absl::Span<const std::string_view> fields;
  RecordProblem problem = RecordProblem::kNone;
  std::size_t problem_field = 0;     // index of the field with the problem
  std::int64_t problem_line = 0;     // line of the quote that opened that field
};

class CsvReader {
 public:
  // `source_name` appears in errors ("orders.csv line 12: ...").
  // `offset`, `length`: the bytes of a chunk of a parallel read, for the
  // record estimate (the reader reads on to finish its last record); -1 = to
  // the end.
  static absl::StatusOr<std::unique_ptr<CsvReader>> OpenFile(const std::string& path,
                                                             const CsvReaderOptions& options,
                                                             std::int64_t offset = 0,
                                                             std::int64_t length = -1);
  static absl::StatusOr<std::unique_ptr<CsvReader>> FromBuffer(std::string_view data,
                                                               const CsvReaderOptions& options);

  CsvReader(ReadFn read, std::int64_t total_bytes, std::string source_name,
            const CsvReaderOptions& options);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next record into *record (views valid until the next call); false at the
  // end of the input. Errors: I/O failures and records over max_record_bytes.
  absl::StatusOr<bool> Next(CsvRecord* record);

  // Reads the first buffer now (Next would at its first call), so that
  // EstimatedRecords is known before any record is read.
  absl::Status FillFirst();

  // Expected number of records in the whole input, from the bytes per line of the
  // first chunk; for reserving columns. Available after the first Next() or
  // FillFirst().
  std::int64_t EstimatedRecords() const { return estimated_records_; }
  std::int64_t bytes_total() const { return total_bytes_; }
  std::int64_t bytes_read() const { return bytes_read_; }
  const std::string& source_name() const { return source_name_; }
  // Source bytes consumed by the records returned so far (and the blank lines
  // skipped), and the file line of the next record.
  std::int64_t position() const {
    return bytes_read_ - static_cast<std::int64_t>(end_ - begin_);
  }
  std::int64_t line() const { return line_; }

 private:
  enum class Parse { kComplete, kNeedMore };
  Parse ParseRecord(CsvRecord* record);
  absl::Status Refill();
  void Unescape();

  ReadFn read_;
  std::int64_t total_bytes_;
  std::string source_name_;
  CsvReaderOptions options_;
  char delim_, quote_;
  bool special_unquoted_[256] = {};  // delimiter, CR, LF
  bool special_quoted_[256] = {};    // quote, CR, LF

  std::unique_ptr<char[]> buf_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;  // first unparsed byte
  std::size_t end_ = 0;    // end of valid bytes
  bool eof_ = false;
  bool first_fill_ = true;
  std::int64_t bytes_read_ = 0;
  std::int64_t line_ = 1;  // file line at begin_
  std::int64_t estimated_records_ = 0;

  // Per record, reused: the field views and which of them need unescaping.
  std::vector<std::string_view> fields_;
  std::vector<std::uint32_t> escaped_;
  std::size_t record_end_ = 0;
  bool record_blank_ = false;
};

}  // namespace salesight::ingest
