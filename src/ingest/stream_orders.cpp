// ScanOrdersCsv / StreamOrdersCsv: an orders file in bounded batches
// (salesight/csv_stream.hpp), through the one orders loader with a batch sink.
#include "salesight/csv_stream.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_format.h"
#include "internal/canonical_ids.hpp"
#include "internal/loader.hpp"
#include "internal/orders_columns.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using ingest::BuildOrders;
using ingest::Loader;
using ingest::OrderBatchSink;
using ingest::OrderColumns;
using ingest::SizesOf;
using ingest::SlotSizes;

// The options both passes read with: no attribute columns (per-file
// dictionaries that batches could not share), one thread (one pass in order).
IngestOptions StreamOptions(const IngestOptions& options) {
  IngestOptions o = options;
  o.attributes = IngestOptions::AttributeSelection::kListed;
  o.attribute_columns.clear();
  o.num_threads = 1;
  return o;
}

absl::Status CheckChunk(std::int64_t chunk_bytes) {
  if (chunk_bytes >= 1) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("orders: a streamed read needs chunks of at least 1 byte, got %d",
                      chunk_bytes));
}

}  // namespace

absl::StatusOr<OrdersScan> ScanOrdersCsv(const std::string& path, const IngestOptions& options,
                                         Dictionaries& dicts, std::int64_t chunk_bytes) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_RETURN_IF_ERROR(CheckChunk(chunk_bytes));
  const IngestOptions o = StreamOptions(options);
  const SlotSizes before = SizesOf(dicts);
  OrdersScan out;
  // At most twice: when the order numbers turn out to be codes after a batch
  // of plain numbers was dropped, those numbers were never interned (one
  // pass re-interns the rows it holds); the second read interns every key as
  // a code from the first row (the dictionary then holds codes).
  for (int attempt = 0;; ++attempt) {
    SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<Loader> loader, Loader::OpenFile(path, o, "orders"));
    OrderBatchSink sink;
    sink.bytes = chunk_bytes;
    Day max_date = kNoDate;
    sink.emit = [&max_date](OrderColumns batch) {
      for (Day d : batch.c.order_date) max_date = std::max(max_date, d);
      return absl::OkStatus();
    };
    SALESIGHT_ASSIGN_OR_RETURN(OrderColumns rest, ingest::LoadOrderColumns(*loader, o, dicts, &sink));
    if (rest.order_codes && sink.emitted_numeric_keys && attempt == 0) continue;
    SALESIGHT_ASSIGN_OR_RETURN(out.empty, BuildOrders(std::move(rest), loader->Finish()));
    out.max_date = max_date;
    break;
  }
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out.empty));
  return out;
}

absl::Status StreamOrdersCsv(const std::string& path, const IngestOptions& options,
                             Dictionaries& dicts, std::int64_t chunk_bytes, const OrdersCsv& scan,
                             const std::function<absl::Status(OrdersCsv)>& batch) {
  SALESIGHT_RETURN_IF_ERROR(CheckChunk(chunk_bytes));
  IngestOptions o = StreamOptions(options);
  o.money_scale = scan.table.money_scale();  // pass 1's final scale: no batch is rescaled
  const SlotSizes before = SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<Loader> loader, Loader::OpenFile(path, o, "orders"));
  OrderBatchSink sink;
  sink.bytes = chunk_bytes;
  sink.emit = [&batch](OrderColumns columns) -> absl::Status {
    SALESIGHT_ASSIGN_OR_RETURN(OrdersCsv table, BuildOrders(std::move(columns), RejectReport{}));
    return batch(std::move(table));
  };
  SALESIGHT_RETURN_IF_ERROR(ingest::LoadOrderColumns(*loader, o, dicts, &sink).status());
  const RejectReport again = loader->Finish();
  const RejectReport& first = scan.report;
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

}  // namespace salesight
