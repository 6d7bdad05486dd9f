// ScanOrdersCsv / StreamOrdersCsv: an orders file in bounded batches
// (salesight/csv_stream.hpp), through the one orders loader with a batch sink.
#include "salesight/csv_stream.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "internal/canonical_ids.hpp"
#include "internal/loader.hpp"
#include "internal/orders_columns.hpp"
#include "internal/stream_batches.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using ingest::BuildOrders;
using ingest::CheckChunk;
using ingest::StreamOptions;
using ingest::Loader;
using ingest::OrderBatchSink;
using ingest::OrderColumns;
using ingest::SizesOf;
using ingest::SlotSizes;

}  // namespace

absl::StatusOr<OrdersScan> ScanOrdersCsv(const std::string& path, const IngestOptions& options,
                                         Dictionaries& dicts, std::int64_t chunk_bytes) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_RETURN_IF_ERROR(CheckChunk("orders", chunk_bytes));
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
  SALESIGHT_RETURN_IF_ERROR(CheckChunk("orders", chunk_bytes));
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
  return ingest::CheckSecondPass(path, before, dicts, loader->Finish(), scan.report);
}

}  // namespace salesight
