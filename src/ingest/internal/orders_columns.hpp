// An orders file read into columns, before the table is built: what a
// 1-thread read produces, and what each chunk of a parallel read produces
// (chunked.hpp) before the chunks are merged into one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader.hpp"
#include "stream_batches.hpp"
#include "salesight/csv.hpp"
#include "salesight/tables.hpp"

namespace salesight::ingest {

struct OrderColumns {
  OrderLinesColumns c;  // dictionaries: the ones the rows were interned into
  Column<Id> category;  // OrdersCsv::category
  bool order_codes = false;  // c.order_id holds ids of c.orders
  // Which optional number columns are bound (an empty column may be either).
  bool has_line = false, has_quantity = false, has_category = false;
  enum CostKind { kNoCost, kCost, kUnitCost } cost_kind = kNoCost;
  // The header names of the money columns (amount, then the cost column).
  std::vector<std::string> money_columns;
  bool large_amounts = false;  // MoneyScale::saw_large()
};

// A streamed read (salesight/csv_stream.hpp).
using OrderBatchSink = BatchSink<OrderColumns>;

// Binds the fields and reads every record of `loader` (ReadOrdersCsv's rules).
// With a sink every row goes to it and the result has no rows.
absl::StatusOr<OrderColumns> LoadOrderColumns(Loader& loader, const IngestOptions& options,
                                              Dictionaries& dicts,
                                              OrderBatchSink* sink = nullptr);
// The table of `columns` (checked by OrderLines::Build) with its report.
absl::StatusOr<OrdersCsv> BuildOrders(OrderColumns columns, RejectReport report);

// The parallel read of an orders file ("Parallel reading" in csv.hpp), after
// `loader` read the header: nullopt when the file is to be read in one pass
// with `loader` (which is then untouched). The codes it interned into `dicts`
// are not yet in canonical order (OrderReadCodes does that, as for one pass).
absl::StatusOr<std::optional<OrdersCsv>> ReadOrdersInChunks(const std::string& path,
                                                            const Loader& loader,
                                                            const IngestOptions& options,
                                                            Dictionaries& dicts);

}  // namespace salesight::ingest
