#include "internal/csv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/encoding.hpp"

namespace salesight::ingest {
namespace {

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }

absl::Status CheckDialect(const CsvDialect& d) {
  auto bad = [](char c) { return c == '\n' || c == '\r'; };
  if (bad(d.delimiter) || bad(d.quote) || d.delimiter == d.quote) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "CSV dialect: delimiter (byte %d) and quote (byte %d) must differ and be neither CR "
        "nor LF",
        U(d.delimiter), U(d.quote)));
  }
  return absl::OkStatus();
}

// The reader over `raw` after the encoding step (encoding.hpp).
absl::StatusOr<std::unique_ptr<CsvReader>> Make(ReadFn raw, std::int64_t total,
                                                std::string source_name,
                                                const CsvReaderOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(DecodedSource decoded,
                             DecodeSource(std::move(raw), total, source_name, options.encoding,
                                          options.dialect.delimiter));
  CsvReaderOptions o = options;
  o.dialect.delimiter = decoded.delimiter;
  SALESIGHT_RETURN_IF_ERROR(CheckDialect(o.dialect));
  return std::make_unique<CsvReader>(std::move(decoded.read), decoded.total_bytes,
                                     std::move(source_name), o);
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::OpenFile(const std::string& path,
                                                               const CsvReaderOptions& options,
                                                               std::int64_t offset,
                                                               std::int64_t length) {
  SALESIGHT_RETURN_IF_ERROR(CheckDialect(options.dialect));
  std::FILE* raw = std::fopen(path.c_str(), "rb");
  if (raw == nullptr) {
    return absl::NotFoundError(
        absl::StrFormat("cannot open '%s': %s", path, std::strerror(errno)));
  }
  std::shared_ptr<std::FILE> file(raw, [](std::FILE* f) { std::fclose(f); });
  // Our buffer is the only buffer: stdio's would add a copy per chunk.
  std::setvbuf(raw, nullptr, _IONBF, 0);
  std::int64_t total = -1;
  if (std::fseek(raw, 0, SEEK_END) == 0) {
    long size = std::ftell(raw);  // NOLINT(runtime/int): ftell's type
    if (size >= 0) total = size;
    std::fseek(raw, 0, SEEK_SET);
  }
  if (offset > 0) {
    if (std::fseek(raw, static_cast<long>(offset), SEEK_SET) != 0) {  // NOLINT(runtime/int)
      return absl::DataLossError(absl::StrFormat("%s: cannot seek to byte %d", path, offset));
    }
    total = total >= offset ? total - offset : -1;
  }
  if (length >= 0 && total > length) total = length;
  ReadFn read = [file](char* out, std::size_t size) -> std::int64_t {
    std::size_t n = std::fread(out, 1, size, file.get());
    if (n == 0 && std::ferror(file.get())) return -1;
    return static_cast<std::int64_t>(n);
  };
  return Make(std::move(read), total, path, options);
}

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::FromBuffer(std::string_view data,
                                                                 const CsvReaderOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(CheckDialect(options.dialect));
  auto pos = std::make_shared<std::size_t>(0);
  ReadFn read = [data, pos](char* out, std::size_t size) -> std::int64_t {
    std::size_t n = std::min(size, data.size() - *pos);
    if (n > 0) std::memcpy(out, data.data() + *pos, n);
    *pos += n;
    return static_cast<std::int64_t>(n);
  };
  return Make(std::move(read), static_cast<std::int64_t>(data.size()), "<buffer>", options);
}

CsvReader::CsvReader(ReadFn read, std::int64_t total_bytes, std::string source_name,
                     const CsvReaderOptions& options)
    : read_(std::move(read)),
      total_bytes_(total_bytes),
      source_name_(std::move(source_name)),
      options_(options),
      delim_(options.dialect.delimiter),
      quote_(options.dialect.quote),
      line_(options.first_line) {
  for (char c : {delim_, '\n', '\r'}) special_unquoted_[U(c)] = true;
  for (char c : {quote_, '\n', '\r'}) special_quoted_[U(c)] = true;
  if (options_.chunk_bytes == 0) options_.chunk_bytes = 1;
  if (options_.max_record_bytes < 1) options_.max_record_bytes = 1;
  // At least 4 bytes so the first read can see a whole byte order mark.
  capacity_ = std::max<std::size_t>(options_.chunk_bytes, 4);
  buf_ = std::make_unique<char[]>(capacity_);
}

absl::Status CsvReader::Refill() {
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    // One record fills the whole buffer: grow, up to the record limit (Next
    // reports records beyond it before asking for more).
    const auto limit = static_cast<std::size_t>(options_.max_record_bytes);
    std::size_t grown = std::max(capacity_ + 1, std::min(capacity_ * 2, limit));
    auto bigger = std::make_unique<char[]>(grown);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    capacity_ = grown;
  }
  while (end_ < capacity_ && !eof_) {
    std::int64_t n = read_(buf_.get() + end_, capacity_ - end_);
    if (n < 0) {
      return absl::DataLossError(
          absl::StrFormat("%s: read error after %d bytes", source_name_, bytes_read_));
    }
    if (n == 0) {
      eof_ = true;
    } else {
      end_ += static_cast<std::size_t>(n);
      bytes_read_ += n;
    }
  }
  if (first_fill_) {
    first_fill_ = false;
    if (options_.skip_bom && end_ >= 3 && std::memcmp(buf_.get(), "\xEF\xBB\xBF", 3) == 0) {
      begin_ = 3;
    }
    std::int64_t lines = 0;
    for (const char* p = buf_.get() + begin_, *e = buf_.get() + end_;
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)))) !=
         nullptr;
         ++p) {
      ++lines;
    }
    const auto sample = static_cast<std::int64_t>(end_ - begin_);
    if (eof_ || total_bytes_ <= 0 || lines == 0) {
      estimated_records_ = lines + 1;
    } else {
      // Records per byte of the first chunk, extrapolated; the header line makes it
      // slightly high, which is the side we want (a short reserve means a regrow).
      estimated_records_ = static_cast<std::int64_t>(static_cast<double>(total_bytes_) *
                                                     static_cast<double>(lines) /
                                                     static_cast<double>(sample)) +
                           1;
    }
  }
  if (options_.progress) options_.progress(bytes_read_, total_bytes_);
  return absl::OkStatus();
}

CsvReader::Parse CsvReader::ParseRecord(CsvRecord* record) {
  fields_.clear();
  escaped_.clear();
  record_blank_ = false;
  record->problem = RecordProblem::kNone;
  const char* const buf = buf_.get();
  const std::size_t end = end_;
  std::size_t p = begin_;
  std::int64_t line = line_;

  // Consumes the line terminator at buf[p]; false when a CR is the last byte
  // before more input (it may be the first half of CRLF).
  auto terminator = [&]() -> bool {
    if (buf[p] == '\r') {
      if (p + 1 == end && !eof_) return false;
      p += (p + 1 < end && buf[p + 1] == '\n') ? 2 : 1;
    } else {
      ++p;
    }
    ++line;
    return true;
  };

  while (true) {  // one field per iteration
    if (p == end) {
      if (!eof_) return Parse::kNeedMore;
      fields_.emplace_back();  // the input ends right after a delimiter
      break;
    }
    if (buf[p] != quote_) {
      const std::size_t start = p;
      while (p < end && !special_unquoted_[U(buf[p])]) ++p;
      if (p == end && !eof_) return Parse::kNeedMore;
      fields_.emplace_back(buf + start, p - start);
      if (p == end) break;
      if (buf[p] == delim_) {
        ++p;
        continue;
      }
      record_blank_ = fields_.size() == 1 && start == begin_ && p == start;
      if (!terminator()) return Parse::kNeedMore;
      break;
    }
    // Quoted field.
    const std::int64_t open_line = line;
    const std::size_t start = p + 1;
    std::size_t q = start;
    bool escaped = false;
    bool closed = false;
    std::size_t close = end;
    while (q < end) {
      while (q < end && !special_quoted_[U(buf[q])]) ++q;
      if (q == end) break;
      if (buf[q] == quote_) {
        if (q + 1 == end && !eof_) return Parse::kNeedMore;
        if (q + 1 < end && buf[q + 1] == quote_) {
          escaped = true;
          q += 2;
          continue;
        }
        close = q++;
        closed = true;
        break;
      }
      if (buf[q] == '\r') {
        if (q + 1 == end && !eof_) return Parse::kNeedMore;
        q += (q + 1 < end && buf[q + 1] == '\n') ? 2 : 1;
      } else {
        ++q;
      }
      ++line;
    }
    if (!closed) {
      if (!eof_) return Parse::kNeedMore;
      record->problem = RecordProblem::kUnterminatedQuote;
      record->problem_field = fields_.size();
      record->problem_line = open_line;
      if (escaped) escaped_.push_back(static_cast<std::uint32_t>(fields_.size()));
      fields_.emplace_back(buf + start, end - start);
      p = end;
      break;
    }
    if (escaped) escaped_.push_back(static_cast<std::uint32_t>(fields_.size()));
    fields_.emplace_back(buf + start, close - start);
    p = q;
    if (p < end && buf[p] != delim_ && buf[p] != '\n' && buf[p] != '\r') {
      // Text after the closing quote: skip it to the end of the field, keep the
      // first such problem of the record.
      if (record->problem == RecordProblem::kNone) {
        record->problem = RecordProblem::kTextAfterQuote;
        record->problem_field = fields_.size() - 1;
        record->problem_line = open_line;
      }
      while (p < end && !special_unquoted_[U(buf[p])]) ++p;
    }
    if (p == end) {
      if (!eof_) return Parse::kNeedMore;
      break;
    }
    if (buf[p] == delim_) {
      ++p;
      continue;
    }
    if (!terminator()) return Parse::kNeedMore;
    break;
  }
  record_end_ = p;
  record->line = line_;
  line_ = line;
  return Parse::kComplete;
}

void CsvReader::Unescape() {
  for (std::uint32_t i : escaped_) {
    std::string_view f = fields_[i];
    char* s = buf_.get() + (f.data() - buf_.get());
    std::size_t w = 0;
    for (std::size_t r = 0; r < f.size(); ++r) {
      s[w++] = s[r];
      if (s[r] == quote_) ++r;  // the first of a doubled pair is kept, the second dropped
    }
    fields_[i] = std::string_view(s, w);
  }
}

absl::Status CsvReader::FillFirst() {
  if (!first_fill_ || eof_ || begin_ != end_) return absl::OkStatus();
  return Refill();
}

absl::StatusOr<bool> CsvReader::Next(CsvRecord* record) {
  while (true) {
    if (options_.stop_at >= 0 && position() >= options_.stop_at) return false;
    if (begin_ == end_) {
      if (eof_) return false;
      SALESIGHT_RETURN_IF_ERROR(Refill());
      continue;
    }
    auto too_long = [&] {
      return absl::OutOfRangeError(absl::StrFormat(
          "%s line %d: the record starting here is longer than the limit of %d bytes "
          "(max_record_bytes); is a quote never closed?",
          source_name_, line_, options_.max_record_bytes));
    };
    const std::int64_t start_line = line_;
    if (ParseRecord(record) == Parse::kNeedMore) {
      if (static_cast<std::int64_t>(end_ - begin_) >= options_.max_record_bytes) {
        return too_long();
      }
      SALESIGHT_RETURN_IF_ERROR(Refill());
      continue;
    }
    if (static_cast<std::int64_t>(record_end_ - begin_) > options_.max_record_bytes) {
      line_ = start_line;
      return too_long();
    }
    begin_ = record_end_;
    if (record_blank_) continue;
    Unescape();
    record->fields = absl::MakeConstSpan(fields_);
    return true;
  }
}

}  // namespace salesight::ingest
