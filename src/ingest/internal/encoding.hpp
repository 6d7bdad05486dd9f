// Text encodings of CSV sources: detection (UTF-16 byte order marks, GB18030
// files read as UTF-8 by mistake) and transcoding to UTF-8 with glibc iconv,
// in front of the tokenizer, chunk by chunk (csv.hpp, "Encodings").
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "csv_reader.hpp"
#include "salesight/csv.hpp"

namespace salesight::ingest {

// A source ready for the tokenizer: UTF-8 bytes (transcoded when needed).
struct DecodedSource {
  ReadFn read;
  // Expected UTF-8 bytes in all (the raw size scaled by the first chunk's
  // ratio when transcoded); -1 = unknown. For the row estimate and progress.
  std::int64_t total_bytes = -1;
  char delimiter = ',';  // the dialect's, or tab for Excel "Unicode text" (csv.hpp)
};

// Peeks at the start of `raw` and wraps it. Errors: a file that is not UTF-8
// but reads as GB18030 under Encoding::kAuto (the message shows the header
// both ways and names the option), I/O errors, iconv without the codec.
absl::StatusOr<DecodedSource> DecodeSource(ReadFn raw, std::int64_t raw_total,
                                           const std::string& source_name, Encoding encoding,
                                           char delimiter);

// `bytes` decoded from GB18030, or false when they are not GB18030 (for the
// reject hint on a single invalid UTF-8 value).
bool DecodeGb18030(std::string_view bytes, std::string* out);

// `text` in `encoding` (kUtf8/kAuto: a copy); for tests and fixtures.
absl::StatusOr<std::string> EncodeUtf8As(std::string_view text, const char* iconv_name);

}  // namespace salesight::ingest
