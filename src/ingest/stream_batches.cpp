// What the streamed reads of every table share (internal/stream_batches.hpp).
#include "internal/stream_batches.hpp"

#include "absl/strings/str_format.h"

namespace salesight::ingest {

IngestOptions StreamOptions(const IngestOptions& options) {
  IngestOptions o = options;
  o.attributes = IngestOptions::AttributeSelection::kListed;
  o.attribute_columns.clear();
  o.num_threads = 1;
  return o;
}

absl::Status CheckChunk(std::string_view table, std::int64_t chunk_bytes) {
  if (chunk_bytes >= 1) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("%s: a streamed read needs chunks of at least 1 byte, got %d", table,
                      chunk_bytes));
}

absl::Status CheckSecondPass(const std::string& path, const SlotSizes& before,
                             const Dictionaries& dicts, const RejectReport& again,
                             const RejectReport& first) {
  if (SizesOf(dicts) != before || again.data_lines != first.data_lines ||
      again.accepted != first.accepted || again.rejected != first.rejected ||
      again.total_rows != first.total_rows) {
    return absl::InternalError(absl::StrFormat(
        "%s: the second pass of --stream read %d lines (%d accepted, %d rejected) where the "
        "first read %d (%d, %d), or met new codes: was the file changed meanwhile?",
        path, again.data_lines, again.accepted, again.rejected, first.data_lines, first.accepted,
        first.rejected));
  }
  return absl::OkStatus();
}

}  // namespace salesight::ingest
