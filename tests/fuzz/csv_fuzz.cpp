// libFuzzer target: the CSV reader (RFC 4180 tokenizer, streaming chunks,
// reject report) on arbitrary bytes. Beyond "no crash, leak or UB" it checks
// the reader's promise: accepted + rejected == data lines, and every kept
// reject names a line inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "salesight/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  salesight::IngestOptions options;
  // The first byte picks the dialect, so delimiters and header modes are all explored.
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  options.dialect.delimiter = kDelimiters[data[0] & 3];
  options.dialect.has_header = (data[0] & 4) == 0;
  options.chunk_bytes = 16 + (data[0] >> 3);  // tiny chunks: records straddle chunk ends
  options.max_record_bytes = 4096;
  options.max_rejects_kept = 8;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto result = salesight::ReadCsvStringsFromBuffer(text, options);
  if (!result.ok()) return 0;
  const salesight::RejectReport& r = result->report;
  if (r.accepted + r.rejected != r.data_lines) std::abort();
  if (static_cast<std::int64_t>(result->num_rows()) != r.accepted) std::abort();
  for (const auto& reject : r.rejects) {
    if (reject.line < 1 || static_cast<std::size_t>(reject.line) > size + 1) std::abort();
  }
  return 0;
}
