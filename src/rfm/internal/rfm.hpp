// Internals shared by the RFM sources: the accumulator encoding of
// RfmCustomer, access to the private state, threading and allocation helpers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "core/internal/parallel.hpp"
#include "salesight/rfm.hpp"


namespace salesight {

struct BtydSummary;
namespace clv {
struct ClvRunOptions;
}

// While an RfmCustomer is an accumulator (inside RfmPartial) its fields mean:
//   monetary        running net sum of the monetary source (revenue or margin)
//   customer        block number of the last counted order (kOrders scan scratch)
//   recency_days    last purchase day code  = day - kMinDay + 1  (0 = no purchase)
//   first_purchase  first purchase day code = kMaxDay + 1 - day  (0 = no purchase)
//   frequency, order_lines, returns  as in the result.
// Both day codes grow with "better" values and 0 means "none", so an
// all-zero record is the empty state and merging is max().
struct RfmPartialAccess {
  static RfmCustomers& acc(RfmPartial& p) { return p.acc_; }
  static const RfmCustomers& acc(const RfmPartial& p) { return p.acc_; }
  static RfmCounts& counts(RfmPartial& p) { return p.counts_; }
  static Day& max_date(RfmPartial& p) { return p.max_date_; }
  static Day& as_of(RfmPartial& p) { return p.as_of_; }
  static std::int32_t& window_days(RfmPartial& p) { return p.window_days_; }
  static RfmFrequency& frequency(RfmPartial& p) { return p.frequency_; }
  static RfmMonetary& monetary(RfmPartial& p) { return p.monetary_; }
  static RfmPurchase& purchase(RfmPartial& p) { return p.purchase_; }
  static int& money_scale(RfmPartial& p) { return p.money_scale_; }
  static int& num_threads(RfmPartial& p) { return p.num_threads_; }
  static DictionaryPtr& customer_codes(RfmPartial& p) { return p.customer_codes_; }
  static DictionaryPtr& order_codes(RfmPartial& p) { return p.order_codes_; }
  static bool& has_orders(RfmPartial& p) { return p.has_orders_; }
  static std::int64_t& min_order(RfmPartial& p) { return p.min_order_; }
  static std::int64_t& max_order(RfmPartial& p) { return p.max_order_; }
  static std::vector<Id>& min_order_customers(RfmPartial& p) { return p.min_order_customers_; }
  static std::vector<Id>& max_order_customers(RfmPartial& p) { return p.max_order_customers_; }
};

namespace rfm_internal {

using Access = RfmPartialAccess;

inline std::int32_t LastCode(Day day) { return day - kMinDay + 1; }
inline Day LastDayOf(std::int32_t code) { return code + kMinDay - 1; }
inline std::int32_t FirstCode(Day day) { return kMaxDay + 1 - day; }
inline Day FirstDayOf(std::int32_t code) { return kMaxDay + 1 - code; }

// Threads for num_threads (<= 0: one per hardware thread); callers clamp to rows.
inline int ResolveThreads(int num_threads) {
  return static_cast<int>(internal::ResolveThreads(num_threads, std::size_t{1} << 20));
}
// The same for a pass over `rows` lines (<= 0: internal::AutoThreads by size).
inline int ThreadsForRows(int num_threads, std::size_t rows) {
  return static_cast<int>(
      internal::ThreadsForRows(num_threads, rows, internal::kMinRowsPerThreadMerged));
}

// Size of the last-level cache the calling CPU shares: Linux sysfs (glibc's
// sysconf reports the whole host's L3 in VMs: 384 MB here for a 32 MB L3),
// else sysconf, else 32 MiB.
std::size_t LastLevelCacheBytes();

// Runs fn(begin, end, part) over `parts` contiguous chunks of [0, n), chunk 0
// on the calling thread. Chunks are equal to within one element.
template <typename Fn>
void ParallelFor(int parts, std::size_t n, Fn&& fn) {
  parts = std::max(1, std::min<int>(parts, static_cast<int>(std::max<std::size_t>(n, 1))));
  internal::ForEachRange(static_cast<std::size_t>(parts), n,
                         [&](std::size_t p, std::size_t b, std::size_t e) {
                           fn(b, e, static_cast<int>(p));
                         });
}

// Resizes an EMPTY array to n zeroed elements (large ones are fresh huge
// pages, see LargeArrayAllocator).
inline void ResizeZeroedLarge(RfmCustomers& v, std::size_t n) { v.resize(n); }

// Round half away from zero of a / b, b > 0.
inline std::int64_t RoundDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  const std::int64_t r = a % b;
  if (r != 0 && (r > 0 ? r : -r) >= b - (r > 0 ? r : -r)) q += (a < 0 ? -1 : 1);
  return q;
}

inline bool SameScanOptions(const RfmPartial& p, const RfmOptions& o, Day resolved_as_of) {
  RfmPartial& m = const_cast<RfmPartial&>(p);
  return Access::as_of(m) == resolved_as_of && Access::window_days(m) == o.window_days &&
         Access::frequency(m) == o.frequency && Access::monetary(m) == o.monetary &&
         Access::purchase(m) == o.purchase;
}

std::string CustomerName(const DictionaryPtr& codes, Id id);
// An order id as the user gave it: its text code when the table has them,
// else the number.
std::string OrderName(const DictionaryPtr& codes, std::int64_t id);

// The partial states and RfmIncremental keep one population: an error when
// options.by is set (`what` names the function).
absl::Status CheckNoBy(const RfmOptions& options, std::string_view what);

// CLV (rfm.hpp "CLV columns", clv_columns.cpp). Options checked before any scan.
absl::Status CheckClvOptions(const RfmOptions& options);
// The partial states and RfmIncremental: an error when CLV is asked for.
absl::Status CheckNoClv(const RfmOptions& options, std::string_view what);
// Per customer id (orders' id space): the predictions; known = has a summary row.
struct ClvById {
  std::vector<double> p_alive, expected_purchases, clv;
  std::vector<char> known;
};
// The CLV calculator's options for RFM's (options.as_of resolved).
clv::ClvRunOptions ClvRunFor(const RfmOptions& options);
// The model fitted on `btyd` (the BTYD summary of the lines at as_of, in
// clv.time_unit) and its predictions by id (num_customers ids).
absl::StatusOr<ClvById> ComputeClvById(const BtydSummary& btyd, std::int32_t num_customers,
                                       const RfmOptions& options);
// CLV in minor units (M when value_measure is clv); an error when it does not fit.
absl::StatusOr<Money> ClvMinorUnits(double clv, int money_scale, Id customer);
// The columns of result's rows.
void AttachClvColumns(const ClvById& by_id, RfmResult& result);
// FinishRfm without its CLV check (ComputeWhole's, which has the lines).
absl::StatusOr<RfmResult> Finish(RfmPartial state, const RfmOptions& options);

// RFM of one population (options.by ignored): the unpartitioned fast path.
absl::StatusOr<RfmResult> ComputeWhole(const OrderLines& orders, const RfmOptions& options);

}  // namespace rfm_internal
}  // namespace salesight
