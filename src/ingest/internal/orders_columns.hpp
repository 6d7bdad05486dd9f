// An orders file read into columns, before the table is built: what a
// 1-thread read produces, and what each chunk of a parallel read produces
// (chunked.hpp) before the chunks are merged into one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/internal/code_table.hpp"
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
  // CodeIds::kLocal: the codes of each bound code field, by the Dictionaries
  // slot it belongs to; that field's ids are ids of this table.
  std::vector<std::pair<std::shared_ptr<Dictionary> Dictionaries::*, internal::CodeTable>>
      local_codes;
};

// Whose ids the code fields (customer, product, ...) get.
enum class CodeIds {
  kShared,   // the dictionaries' in `dicts`
  kOrdered,  // the same, with the codes the read added put in canonical order
             // at its end (as OrderReadCodes would; no sink)
  kLocal,    // the read's own, first-seen (OrderColumns::local_codes; `dicts`
             // only gets the fields' empty dictionaries): a parallel read's
             // chunk, whose codes the merge interns (no sink)
};

// A streamed read (salesight/csv_stream.hpp).
using OrderBatchSink = BatchSink<OrderColumns>;

// Binds the fields and reads every record of `loader` (ReadOrdersCsv's rules).
// With a sink every row goes to it and the result has no rows.
absl::StatusOr<OrderColumns> LoadOrderColumns(Loader& loader, const IngestOptions& options,
                                              Dictionaries& dicts,
                                              OrderBatchSink* sink = nullptr,
                                              CodeIds code_ids = CodeIds::kShared);
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
