// RFM over the caller's wide key columns: int64 customer ids and nanosecond
// order timestamps (pandas' int64 and datetime64[ns]) read where they are,
// without first narrowing them into int32 table columns (two full copies:
// 80 MB at 10^7 lines, and a write pass over them).
//
// The scan narrows them a block of rows at a time into small buffers that stay
// in the cache (RfmWideKeys::kBlockRows), with the same kernels the table
// builder uses (column_convert.hpp), and adds the block as the table scan
// does: the result is the one ComputeRfm gives on the narrowed table, field
// for field, on any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "salesight/rfm.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// The wide key columns of an orders table's lines (each orders.size() long).
// The caller has checked them as the table builder does: every id in
// [0, orders.num_customers()), every timestamp a day in
// [orders.min_date(), orders.max_date()] (no NaT).
struct RfmWideKeys {
  // Rows narrowed at a time per thread: 8192 x (4 + 4) bytes of buffers.
  static constexpr std::size_t kBlockRows = 8192;

  const std::int64_t* customer = nullptr;       // the ids
  const std::int64_t* order_date_ns = nullptr;  // ns since 1970-01-01, floored to days
};

// ComputeRfm(orders, options) for a table whose customer and order_date
// columns are to be read from `keys` instead (their own values are never
// read: capi/table_builder.cpp builds such a table with placeholders). Only
// the one population without CLV: options.by must be empty and
// options.clv.model kNone (InvalidArgument otherwise).
absl::StatusOr<RfmResult> ComputeRfmWide(const OrderLines& orders, const RfmWideKeys& keys,
                                         const RfmOptions& options);

}  // namespace salesight
