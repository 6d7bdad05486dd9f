#include "internal/partial.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "salesight/column_convert.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace rfm_internal {
namespace {

// A line's customer and order day for the slow paths (one row at a time):
// the table's columns, or the caller's wide keys narrowed row by row.
struct LineKeys {
  const Id* customer;
  const Day* day;
  const RfmWideKeys* wide;  // null: the table's columns

  LineKeys(const OrderLines& t, const RfmWideKeys* w)
      : customer(t.columns().customer.data()), day(t.columns().order_date.data()), wide(w) {}
  Id Customer(std::size_t i) const {
    return wide != nullptr ? static_cast<Id>(wide->customer[i]) : customer[i];
  }
  Day DayOf(std::size_t i) const {
    return wide != nullptr ? static_cast<Day>(FloorDaysOfNs(wide->order_date_ns[i])) : day[i];
  }
};

// The hot loop's customer and day columns for rows [begin, end), read as
// customer[i - base] and day[i - base].
struct KeyBlock {
  const Id* customer;
  const Day* day;
  std::size_t base;
};

// The wide keys of rows [begin, end) (at most kCapacity of them) narrowed
// into cache-resident buffers by the table builder's kernels. The values were
// checked when the table was built, so the kernels' ranges are not needed.
class WideBlocks {
 public:
  static constexpr std::size_t kCapacity = RfmWideKeys::kBlockRows + 128;
  explicit WideBlocks(const RfmWideKeys& keys) : keys_(keys) {}
  KeyBlock Load(std::size_t begin, std::size_t end) {
    const std::size_t n = end - begin;
    NarrowToInt32(absl::MakeConstSpan(keys_.customer + begin, n), customer_);
    TimestampNsToDays(absl::MakeConstSpan(keys_.order_date_ns + begin, n), day_);
    return KeyBlock{customer_, day_, begin};
  }

 private:
  const RfmWideKeys& keys_;
  Id customer_[kCapacity];
  Day day_[kCapacity];
};

// The hot loop: one pass over the rows, one random access per row into the
// dense per-customer state, prefetched kAhead rows early (the state does not
// fit in cache at 10^6 customers; prefetching overlaps the misses).
// kBtyd: also the BTYD accumulators (internal/btyd_scan.hpp) of every line up
// to filter.hi, whatever the window and the purchase kind.
// kWide: the customer and day columns are `wide`'s, narrowed a block of rows
// at a time (WideBlocks); the loop over a block is the same code.
template <typename Source, bool kOrders, bool kAllLines, bool kFilter, bool kBtyd, bool kWide>
void ScanKernel(const OrderLines& t, const RfmWideKeys* wide, std::size_t begin, std::size_t end,
                Filter filter, Source value, RfmCustomer* acc, BtydAcc* btyd, ScanStats& st) {
  constexpr std::size_t kAhead = 128;
  static_assert(WideBlocks::kCapacity >= RfmWideKeys::kBlockRows + kAhead);
  const OrderLinesColumns& c = t.columns();
  const Money* amount = c.amount.data();
  const std::int64_t* order = c.order_id.data();
  std::int64_t future = 0, before = 0, returns = 0;
  bool unsorted = false, overflow = false, late = false;
  std::int32_t block = 0;
  // The key of the previous counted line; below every key at first, so the
  // order test needs no special case. (Only the first/last block rows are
  // kept here: the rest of the boundary bookkeeping is done after the loop.)
  std::int64_t prev_key = std::numeric_limits<std::int64_t>::min();
  std::size_t last_row = kNoRow;
  const std::size_t prefetch_end = end > kAhead ? end - kAhead : 0;
  struct NoBlocks {};
  std::conditional_t<kWide, std::optional<WideBlocks>, NoBlocks> blocks;
  if constexpr (kWide) blocks.emplace(*wide);
  (void)blocks;  // NoBlocks: unused
  for (std::size_t block_begin = begin; block_begin < end;) {
    // A block: the whole range from the table's columns, or kBlockRows wide
    // rows loaded with the kAhead rows after them that the prefetches read.
    const std::size_t block_end = kWide ? std::min(end, block_begin + RfmWideKeys::kBlockRows) : end;
    KeyBlock keys{c.customer.data(), c.order_date.data(), 0};
    if constexpr (kWide) keys = blocks->Load(block_begin, std::min(end, block_end + kAhead));
    const Id* customer = keys.customer;
    const Day* day = keys.day;
    const std::size_t base = keys.base;
    for (std::size_t i = block_begin; i < block_end; ++i) {
      if (i < prefetch_end) {
        // Lines the filter drops (e.g. after as_of) are not prefetched: their
        // misses would only take memory parallelism from the used lines.
        const Day ahead = day[i + kAhead - base];
        const Id ahead_customer = customer[i + kAhead - base];
        if (!kFilter || (ahead <= filter.hi && ahead >= filter.lo)) {
          __builtin_prefetch(acc + ahead_customer, 1, 3);
        }
        if constexpr (kBtyd) {
          if (!kFilter || ahead <= filter.hi) __builtin_prefetch(btyd + ahead_customer, 1, 3);
        }
      }
      const Day d = day[i - base];
      if constexpr (kFilter) {
        if (d > filter.hi) {
          ++future;
          continue;
        }
      }
      const Id id = customer[i - base];
      if constexpr (kBtyd) late |= AddBtydLine(btyd[id], d, amount[i]);
      if constexpr (kFilter) {
        if (d < filter.lo) {
          ++before;
          continue;
        }
      }
      RfmCustomer& x = acc[id];
      overflow |= __builtin_add_overflow(x.monetary, value(i), &x.monetary);
      ++x.order_lines;
      const bool is_return = amount[i] < 0;
      x.returns += is_return;
      returns += is_return;
      if (kAllLines || !is_return) {
        if constexpr (kOrders) {
          const std::int64_t key = order[i];
          unsorted |= key < prev_key;
          if (key != prev_key || block == 0) {
            last_row = i;
            prev_key = key;
            ++block;
          }
          x.frequency += x.customer != block;
          x.customer = block;
        } else {
          const std::int32_t code = LastCode(d);
          x.frequency += code > x.recency_days;
          unsorted |= code < x.recency_days;
        }
        x.recency_days = std::max(x.recency_days, LastCode(d));
        x.first_purchase = std::max(x.first_purchase, FirstCode(d));
      }
    }
    block_begin = block_end;
  }
  st.future += future;
  st.before += before;
  st.return_lines += returns;
  st.sorted = st.sorted && !unsorted;
  st.overflow = st.overflow || overflow;
  st.btyd_late = st.btyd_late || late;
  if constexpr (kOrders) {
    if (block > 0) {
      st.has_orders = true;
      st.last_key = prev_key;
      st.last_block_row = last_row;
      const LineKeys k(t, wide);
      FindFirstBlock(t, [&k](std::size_t i) { return k.DayOf(i); }, begin, end, filter,
                     kAllLines, st);
    }
  }
}

template <bool kBtyd>
void Scan(const OrderLines& t, const RfmWideKeys* wide, std::size_t b, std::size_t e, Filter f,
          const RfmOptions& o, RfmCustomer* acc, BtydAcc* btyd, ScanStats& st) {
  DispatchScanKinds(t, o, f.active(), [&](auto source, auto orders, auto all, auto filter) {
    constexpr bool kOrders = decltype(orders)::value, kAll = decltype(all)::value,
                   kFilter = decltype(filter)::value;
    if (wide != nullptr) {
      ScanKernel<decltype(source), kOrders, kAll, kFilter, kBtyd, true>(t, wide, b, e, f, source,
                                                                         acc, btyd, st);
    } else {
      ScanKernel<decltype(source), kOrders, kAll, kFilter, kBtyd, false>(t, wide, b, e, f, source,
                                                                          acc, btyd, st);
    }
  });
}

Money LineValue(const OrderLinesColumns& c, RfmMonetary m, std::size_t i) {
  if (m == RfmMonetary::kRevenue) return c.amount[i];
  if (!c.cost.empty()) return c.amount[i] - c.cost[i];
  return c.amount[i] - c.quantity[i] * c.unit_cost[i];
}

bool IsPurchase(const OrderLinesColumns& c, RfmPurchase p, std::size_t i) {
  return p == RfmPurchase::kAllLines || c.amount[i] >= 0;
}

// Slow path after the kernel saw a sum overflow: find the first customer
// whose running sum leaves the int64 range, to name it.
absl::Status OverflowError(const OrderLines& t, const LineKeys& k, std::size_t b, std::size_t e,
                           Filter f, RfmMonetary m, std::int32_t num_ids) {
  const OrderLinesColumns& c = t.columns();
  std::vector<Money> sums(static_cast<std::size_t>(num_ids), 0);
  for (std::size_t i = b; i < e; ++i) {
    const Day d = k.DayOf(i);
    if (d > f.hi || d < f.lo) continue;
    Money& s = sums[static_cast<std::size_t>(k.Customer(i))];
    if (!AddMoney(s, LineValue(c, m, i), &s)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "rfm: the monetary total of customer '%s' overflows int64 at orders row %d",
          CustomerName(c.customers, k.Customer(i)), i));
    }
  }
  return absl::OutOfRangeError("rfm: a monetary total overflows int64");
}

// Customers having `key` among their counted lines in rows [b, e).
std::vector<Id> CustomersWithKey(const OrderLines& t, const LineKeys& k, std::size_t b,
                                 std::size_t e, Filter f, RfmPurchase p, std::int64_t key) {
  const OrderLinesColumns& c = t.columns();
  std::vector<Id> out;
  for (std::size_t i = b; i < e; ++i) {
    const Day d = k.DayOf(i);
    if (d > f.hi || d < f.lo || !IsPurchase(c, p, i) || c.order_id[i] != key) continue;
    out.push_back(k.Customer(i));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<Id> SortedUnion(const std::vector<Id>& a, const std::vector<Id>& b) {
  std::vector<Id> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void GrowIds(RfmCustomers& acc, std::int32_t num_ids) {
  if (static_cast<std::size_t>(num_ids) > acc.size()) {
    if (acc.empty()) {
      ResizeZeroedLarge(acc, static_cast<std::size_t>(num_ids));
    } else {
      acc.resize(static_cast<std::size_t>(num_ids));
    }
  }
}

// The parts' BTYD accumulators merged into the first (threads over customers).
BtydScan MergeBtydParts(std::vector<BtydScan> parts, int threads) {
  BtydScan out = std::move(parts[0]);
  for (std::size_t p = 1; p < parts.size(); ++p) {
    const BtydAccs& from = parts[p].acc;
    std::vector<char> exact(static_cast<std::size_t>(std::max(threads, 1)), 1);
    ParallelFor(threads, out.acc.size(), [&](std::size_t b, std::size_t e, int part) {
      bool ok = true;
      for (std::size_t k = b; k < e; ++k) ok &= MergeBtyd(out.acc[k], from[k]);
      exact[static_cast<std::size_t>(part)] = ok;
    });
    out.exact = out.exact && parts[p].exact &&
                std::all_of(exact.begin(), exact.end(), [](char x) { return x != 0; });
    parts[p] = BtydScan();  // free its memory now
  }
  return out;
}

}  // namespace

std::string OrderName(const DictionaryPtr& codes, std::int64_t id) {
  if (codes && id >= 0 && id < codes->size()) return std::string(codes->Code(static_cast<Id>(id)));
  return std::to_string(id);
}

std::string CustomerName(const DictionaryPtr& codes, Id id) {
  if (codes && id >= 0 && id < codes->size()) return std::string(codes->Code(id));
  return std::to_string(id);
}

absl::Status CheckScanOptions(const OrderLines& t, const RfmOptions& o, Day as_of) {
  if (o.window_days < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("rfm: window_days must be >= 0, got %d", o.window_days));
  }
  if (o.window_days > 0 && as_of == kNoDate) {
    return absl::InvalidArgumentError(
        "rfm: window_days > 0 needs an explicit as_of for a partial state (ComputeRfm resolves "
        "the default itself)");
  }
  if (as_of != kNoDate && (as_of < kMinDay || as_of > kMaxDay + 1)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm: as_of %d is outside 1900-01-01..2201-01-01", as_of));
  }
  // (An empty table has only empty columns: nothing to check.)
  if (o.monetary == RfmMonetary::kMargin && t.size() > 0 && t.columns().cost.empty() &&
      t.columns().unit_cost.empty()) {
    return absl::InvalidArgumentError(
        "rfm: monetary = margin needs column 'cost' or 'unit_cost' (with 'quantity') in the orders");
  }
  return absl::OkStatus();
}

absl::StatusOr<RfmPartial> ScanPartial(const OrderLines& t, std::size_t begin, std::size_t end,
                                       const RfmOptions& o, Day as_of, bool recount_if_unsorted,
                                       bool* frequency_exact, Day known_max, BtydScan* btyd,
                                       int partitioned_threads, const ScanChoice& shape,
                                       const RfmWideKeys* wide) {
  if (begin > end || end > t.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm: row range [%d, %d) is outside the %d order lines", begin, end, t.size()));
  }
  if (end - begin > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return absl::InvalidArgumentError(
        "rfm: a partial state covers at most 2^31-1 lines; split the rows");
  }
  SALESIGHT_RETURN_IF_ERROR(CheckScanOptions(t, o, as_of));
  RfmPartial p;
  Access::as_of(p) = as_of;
  Access::window_days(p) = o.window_days;
  Access::frequency(p) = o.frequency;
  Access::monetary(p) = o.monetary;
  Access::purchase(p) = o.purchase;
  Access::money_scale(p) = t.money_scale();
  Access::num_threads(p) = ResolveThreads(o.num_threads);
  Access::customer_codes(p) = t.columns().customers;
  Access::order_codes(p) = t.columns().orders;
  RfmCustomers& acc = Access::acc(p);
  ResizeZeroedLarge(acc, static_cast<std::size_t>(t.num_customers()));

  const Filter f = MakeFilter(as_of, o.window_days);
  // A bound the whole table satisfies is dropped, so the kernel runs without
  // the date tests (ComputeRfm's default as_of, windows covering all data).
  Filter scan_filter = f;
  if (t.size() > 0 && f.hi >= t.max_date()) scan_filter.hi = std::numeric_limits<Day>::max();
  if (t.size() > 0 && f.lo <= t.min_date()) scan_filter.lo = std::numeric_limits<Day>::min();
  ScanStats st;
  if (partitioned_threads > 0 && btyd == nullptr && wide == nullptr) {
    ScanPartitioned(t, begin, end, scan_filter, o, partitioned_threads, shape, acc.data(), st);
  } else if (btyd != nullptr) {
    btyd->acc.clear();
    btyd->acc.resize(static_cast<std::size_t>(t.num_customers()));
    Scan<true>(t, wide, begin, end, scan_filter, o, acc.data(), btyd->acc.data(), st);
    btyd->exact = !st.btyd_late;
  } else {
    Scan<false>(t, wide, begin, end, scan_filter, o, acc.data(), nullptr, st);
  }
  const LineKeys keys(t, wide);
  if (st.overflow) return OverflowError(t, keys, begin, end, f, o.monetary, t.num_customers());

  RfmCounts& n = Access::counts(p);
  n.lines = static_cast<std::int64_t>(end - begin);
  n.excluded_future = st.future;
  n.excluded_before_window = st.before;
  n.lines_in_window = n.lines - st.future - st.before;
  n.return_lines = st.return_lines;
  if (begin == end) {
    Access::max_date(p) = kNoDate;
  } else if (known_max != kNoDate) {
    Access::max_date(p) = known_max;
  } else if (begin == 0 && end == t.size()) {
    Access::max_date(p) = t.max_date();
  } else {
    Day m = keys.DayOf(begin);
    for (std::size_t i = begin + 1; i < end; ++i) m = std::max(m, keys.DayOf(i));
    Access::max_date(p) = m;
  }

  if (o.frequency == RfmFrequency::kOrders && st.sorted && st.has_orders) {
    Access::has_orders(p) = true;
    Access::min_order(p) = st.first_key;
    Access::max_order(p) = st.last_key;
    const std::size_t first_end = st.second_block_row == kNoRow ? end : st.second_block_row;
    Access::min_order_customers(p) =
        CustomersWithKey(t, keys, st.first_block_row, first_end, f, o.purchase, st.first_key);
    Access::max_order_customers(p) =
        CustomersWithKey(t, keys, st.last_block_row, end, f, o.purchase, st.last_key);
  }
  *frequency_exact = st.sorted;
  if (!st.sorted && recount_if_unsorted) {
    SALESIGHT_RETURN_IF_ERROR(RecountFrequency(t, begin, end, p, Access::num_threads(p), wide));
    *frequency_exact = true;
  }
  return p;
}

absl::Status RecountFrequency(const OrderLines& t, std::size_t begin, std::size_t end,
                              RfmPartial& p, int num_threads, const RfmWideKeys* wide) {
  const OrderLinesColumns& c = t.columns();
  const LineKeys lines(t, wide);
  RfmCustomers& acc = Access::acc(p);
  const std::size_t num_ids = acc.size();
  const Filter f = MakeFilter(Access::as_of(p), Access::window_days(p));
  const RfmPurchase purchase = Access::purchase(p);
  const bool orders = Access::frequency(p) == RfmFrequency::kOrders;
  // Counting sort of the counted lines by customer, then a sort of each
  // customer's keys: exact for any row order, 12 bytes per line.
  std::vector<std::uint32_t> offset(num_ids + 1, 0);
  for (std::size_t i = begin; i < end; ++i) {
    const Day d = lines.DayOf(i);
    if (d > f.hi || d < f.lo || !IsPurchase(c, purchase, i)) continue;
    ++offset[static_cast<std::size_t>(lines.Customer(i)) + 1];
  }
  for (std::size_t k = 0; k < num_ids; ++k) offset[k + 1] += offset[k];
  std::vector<std::int64_t> keys(offset[num_ids]);
  {
    std::vector<std::uint32_t> pos(offset.begin(), offset.end() - 1);
    for (std::size_t i = begin; i < end; ++i) {
      const Day d = lines.DayOf(i);
      if (d > f.hi || d < f.lo || !IsPurchase(c, purchase, i)) continue;
      keys[pos[static_cast<std::size_t>(lines.Customer(i))]++] = orders ? c.order_id[i] : d;
    }
  }
  ParallelFor(num_threads, num_ids, [&](std::size_t b, std::size_t e, int) {
    for (std::size_t k = b; k < e; ++k) {
      auto first = keys.begin() + offset[k], last = keys.begin() + offset[k + 1];
      std::sort(first, last);
      acc[k].frequency = static_cast<std::int32_t>(std::unique(first, last) - first);
    }
  });
  if (orders) {
    bool has = false;
    std::int64_t lo = 0, hi = 0;
    for (std::size_t k = 0; k < num_ids; ++k) {
      if (offset[k] == offset[k + 1]) continue;
      const std::int64_t first = keys[offset[k]];
      const std::int64_t last = keys[offset[k] + static_cast<std::uint32_t>(acc[k].frequency) - 1];
      if (!has || first < lo) lo = first;
      if (!has || last > hi) hi = last;
      has = true;
    }
    std::vector<Id>& lo_c = Access::min_order_customers(p);
    std::vector<Id>& hi_c = Access::max_order_customers(p);
    lo_c.clear();
    hi_c.clear();
    for (std::size_t k = 0; has && k < num_ids; ++k) {
      if (offset[k] == offset[k + 1]) continue;
      if (keys[offset[k]] == lo) lo_c.push_back(static_cast<Id>(k));
      if (keys[offset[k] + static_cast<std::uint32_t>(acc[k].frequency) - 1] == hi) {
        hi_c.push_back(static_cast<Id>(k));
      }
    }
    Access::has_orders(p) = has;
    Access::min_order(p) = lo;
    Access::max_order(p) = hi;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> MergeState(RfmPartial& into, const RfmPartial& from, int num_threads) {
  RfmCustomers& a = Access::acc(into);
  const RfmCustomers& b = Access::acc(from);
  RfmPartial& fm = const_cast<RfmPartial&>(from);
  GrowIds(a, static_cast<std::int32_t>(b.size()));
  const bool days = Access::frequency(into) == RfmFrequency::kDays;

  // kOrders boundary: at most one shared order id, counted once.
  bool exact = true;
  std::vector<Id> twice;
  if (!days && Access::has_orders(into) && Access::has_orders(fm)) {
    const std::int64_t a_lo = Access::min_order(into), a_hi = Access::max_order(into);
    const std::int64_t b_lo = Access::min_order(fm), b_hi = Access::max_order(fm);
    if (a_hi < b_lo || b_hi < a_lo) {
      // disjoint
    } else if (a_hi == b_lo) {
      std::set_intersection(Access::max_order_customers(into).begin(),
                            Access::max_order_customers(into).end(),
                            Access::min_order_customers(fm).begin(),
                            Access::min_order_customers(fm).end(), std::back_inserter(twice));
    } else if (b_hi == a_lo) {
      std::set_intersection(Access::max_order_customers(fm).begin(),
                            Access::max_order_customers(fm).end(),
                            Access::min_order_customers(into).begin(),
                            Access::min_order_customers(into).end(), std::back_inserter(twice));
    } else {
      exact = false;
    }
  }

  std::atomic<bool> overflow{false}, days_exact{true};
  std::atomic<std::int64_t> overflow_id{std::numeric_limits<std::int64_t>::max()};
  ParallelFor(num_threads, b.size(), [&](std::size_t lo, std::size_t hi, int) {
    bool local_days_exact = true;
    for (std::size_t k = lo; k < hi; ++k) {
      const RfmCustomer& y = b[k];
      if (y.order_lines == 0) continue;
      RfmCustomer& x = a[k];
      std::int32_t freq = 0;
      bool bad = __builtin_add_overflow(x.frequency, y.frequency, &freq);
      if (days && x.recency_days != 0 && y.recency_days != 0) {
        const Day x_first = FirstDayOf(x.first_purchase), x_last = LastDayOf(x.recency_days);
        const Day y_first = FirstDayOf(y.first_purchase), y_last = LastDayOf(y.recency_days);
        if (x_last == y_first || y_last == x_first) {
          --freq;  // the shared day was counted on both sides
        } else if (!(x_last < y_first || y_last < x_first)) {
          local_days_exact = false;
        }
      }
      Money sum = 0;
      std::int32_t lines = 0, returns = 0;
      bad |= __builtin_add_overflow(x.monetary, y.monetary, &sum);
      bad |= __builtin_add_overflow(x.order_lines, y.order_lines, &lines);
      bad |= __builtin_add_overflow(x.returns, y.returns, &returns);
      if (bad) {
        overflow = true;
        std::int64_t cur = overflow_id.load();
        while (static_cast<std::int64_t>(k) < cur &&
               !overflow_id.compare_exchange_weak(cur, static_cast<std::int64_t>(k))) {
        }
        continue;
      }
      x.monetary = sum;
      x.order_lines = lines;
      x.returns = returns;
      x.frequency = freq;
      x.recency_days = std::max(x.recency_days, y.recency_days);
      x.first_purchase = std::max(x.first_purchase, y.first_purchase);
    }
    if (!local_days_exact) days_exact = false;
  });
  if (overflow) {
    return absl::OutOfRangeError(absl::StrFormat(
        "rfm: merging partial states overflows the totals of customer '%s'",
        CustomerName(Access::customer_codes(into), static_cast<Id>(overflow_id.load()))));
  }
  if (exact) {
    for (Id id : twice) --a[static_cast<std::size_t>(id)].frequency;
  }
  exact = exact && days_exact;

  // Boundary orders of the union.
  if (!days && Access::has_orders(fm)) {
    if (!Access::has_orders(into)) {
      Access::has_orders(into) = true;
      Access::min_order(into) = Access::min_order(fm);
      Access::max_order(into) = Access::max_order(fm);
      Access::min_order_customers(into) = Access::min_order_customers(fm);
      Access::max_order_customers(into) = Access::max_order_customers(fm);
    } else {
      if (Access::min_order(fm) < Access::min_order(into)) {
        Access::min_order(into) = Access::min_order(fm);
        Access::min_order_customers(into) = Access::min_order_customers(fm);
      } else if (Access::min_order(fm) == Access::min_order(into)) {
        Access::min_order_customers(into) =
            SortedUnion(Access::min_order_customers(into), Access::min_order_customers(fm));
      }
      if (Access::max_order(fm) > Access::max_order(into)) {
        Access::max_order(into) = Access::max_order(fm);
        Access::max_order_customers(into) = Access::max_order_customers(fm);
      } else if (Access::max_order(fm) == Access::max_order(into)) {
        Access::max_order_customers(into) =
            SortedUnion(Access::max_order_customers(into), Access::max_order_customers(fm));
      }
    }
  }
  RfmCounts& n = Access::counts(into);
  const RfmCounts& m = Access::counts(fm);
  n.lines += m.lines;
  n.lines_in_window += m.lines_in_window;
  n.excluded_future += m.excluded_future;
  n.excluded_before_window += m.excluded_before_window;
  n.return_lines += m.return_lines;
  if (Access::max_date(fm) != kNoDate) {
    Access::max_date(into) = Access::max_date(into) == kNoDate
                                 ? Access::max_date(fm)
                                 : std::max(Access::max_date(into), Access::max_date(fm));
  }
  if (!Access::customer_codes(into) ||
      (Access::customer_codes(fm) &&
       Access::customer_codes(fm)->size() > Access::customer_codes(into)->size())) {
    Access::customer_codes(into) = Access::customer_codes(fm);
  }
  if (!Access::order_codes(into)) Access::order_codes(into) = Access::order_codes(fm);
  return exact;
}

absl::Status AppendImpl(RfmPartial& state, const OrderLines& batch, const RfmOptions& o,
                        std::vector<Touched>* touched) {
  const bool fresh = Access::acc(state).empty() && Access::counts(state).lines == 0 &&
                     Access::max_date(state) == kNoDate;
  if (fresh) {
    SALESIGHT_RETURN_IF_ERROR(CheckScanOptions(batch, o, o.as_of));
    Access::as_of(state) = o.as_of;
    Access::window_days(state) = o.window_days;
    Access::frequency(state) = o.frequency;
    Access::monetary(state) = o.monetary;
    Access::purchase(state) = o.purchase;
    Access::money_scale(state) = batch.money_scale();
    Access::num_threads(state) = ResolveThreads(o.num_threads);
  } else {
    if (!SameScanOptions(state, o, o.as_of)) {
      return absl::InvalidArgumentError(
          "rfm: AppendRfm options differ from the state's (as_of, window_days, frequency, "
          "monetary or purchase)");
    }
    if (batch.money_scale() != Access::money_scale(state)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rfm: the batch has money scale %d but the state %d", batch.money_scale(),
          Access::money_scale(state)));
    }
    SALESIGHT_RETURN_IF_ERROR(CheckScanOptions(batch, o, Access::as_of(state)));
  }
  if (batch.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return absl::InvalidArgumentError("rfm: a batch holds at most 2^31-1 lines");
  }
  const OrderLinesColumns& c = batch.columns();
  const Filter f = MakeFilter(Access::as_of(state), Access::window_days(state));
  const bool orders = Access::frequency(state) == RfmFrequency::kOrders;
  const RfmPurchase purchase = Access::purchase(state);
  const RfmMonetary monetary = Access::monetary(state);

  // Used rows sorted by (customer, non-purchase last, key): per customer the
  // distinct keys are then adjacent. O(batch log batch), no dense array.
  struct Row {
    Id customer;
    bool purchase;
    std::int64_t key;
    std::uint32_t row;
  };
  std::vector<Row> rows;
  rows.reserve(batch.size());
  std::int64_t future = 0, before = 0;
  Day max_date = kNoDate;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Day d = c.order_date[i];
    max_date = max_date == kNoDate ? d : std::max(max_date, d);
    if (d > f.hi) {
      ++future;
      continue;
    }
    if (d < f.lo) {
      ++before;
      continue;
    }
    const bool p = IsPurchase(c, purchase, i);
    rows.push_back({c.customer[i], p, orders ? c.order_id[i] : d, static_cast<std::uint32_t>(i)});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    if (x.customer != y.customer) return x.customer < y.customer;
    if (x.purchase != y.purchase) return x.purchase;
    return x.key < y.key;
  });

  RfmCustomers& acc = Access::acc(state);
  const std::size_t old_ids = acc.size();
  auto old_record = [&](Id id) -> RfmCustomer {
    return static_cast<std::size_t>(id) < old_ids ? acc[static_cast<std::size_t>(id)] : RfmCustomer{};
  };
  const bool state_has_orders = Access::has_orders(state);
  const std::int64_t state_max = Access::max_order(state);
  const std::vector<Id>& state_max_customers = Access::max_order_customers(state);

  // Pass 1: per-customer deltas and every check, before any change.
  struct Delta {
    Id customer;
    Money sum;
    std::int32_t lines, returns, distinct;
    Day first_day, last_day;  // purchase days, kNoDate if none
    bool shares_boundary;     // its smallest key was already counted in the state
  };
  std::vector<Delta> deltas;
  bool batch_has_orders = false;
  std::int64_t batch_lo = 0, batch_hi = 0;
  for (std::size_t g = 0; g < rows.size();) {
    const Id id = rows[g].customer;
    Delta dl{id, 0, 0, 0, 0, kNoDate, kNoDate, false};
    const RfmCustomer old = old_record(id);
    bool first_key_seen = false;
    std::int64_t prev = 0, first_key = 0;
    std::size_t h = g;
    for (; h < rows.size() && rows[h].customer == id; ++h) {
      const std::size_t i = rows[h].row;
      if (!AddMoney(dl.sum, LineValue(c, monetary, i), &dl.sum)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "rfm: the batch total of customer '%s' overflows int64",
            CustomerName(c.customers, id)));
      }
      ++dl.lines;
      dl.returns += c.amount[i] < 0;
      if (!rows[h].purchase) continue;
      const Day d = c.order_date[i];
      dl.first_day = dl.first_day == kNoDate ? d : std::min(dl.first_day, d);
      dl.last_day = dl.last_day == kNoDate ? d : std::max(dl.last_day, d);
      if (!first_key_seen || rows[h].key != prev) {
        if (!first_key_seen) first_key = rows[h].key;
        ++dl.distinct;
        first_key_seen = true;
        prev = rows[h].key;
      }
    }
    if (first_key_seen) {
      if (orders) {
        if (!batch_has_orders || first_key < batch_lo) batch_lo = first_key;
        if (!batch_has_orders || prev > batch_hi) batch_hi = prev;
        batch_has_orders = true;
        dl.shares_boundary = state_has_orders && first_key == state_max &&
                             std::binary_search(state_max_customers.begin(),
                                                state_max_customers.end(), id);
      } else if (old.recency_days != 0) {
        const Day last = LastDayOf(old.recency_days);
        if (dl.first_day < last) {
          return absl::FailedPreconditionError(absl::StrFormat(
              "rfm: the batch has a purchase of customer '%s' on %s, before its last purchase "
              "day %s already in the state; distinct purchase days cannot be appended exactly",
              CustomerName(c.customers, id), FormatDate(dl.first_day), FormatDate(last)));
        }
        dl.shares_boundary = dl.first_day == last;
      }
    }
    Money sum = 0;
    std::int32_t n32 = 0;
    if (!AddMoney(old.monetary, dl.sum, &sum) ||
        __builtin_add_overflow(old.order_lines, dl.lines, &n32) ||
        __builtin_add_overflow(old.frequency, dl.distinct, &n32)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "rfm: appending overflows the totals of customer '%s'", CustomerName(c.customers, id)));
    }
    deltas.push_back(dl);
    g = h;
  }
  if (orders && batch_has_orders && state_has_orders && batch_lo < state_max) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "rfm: the batch counts order '%s', below the largest order '%s' already in the "
        "state; appended orders must not overlap earlier ones (use ComputeRfm on all lines)",
        OrderName(c.orders, batch_lo), OrderName(Access::order_codes(state), state_max)));
  }

  // Pass 2: apply.
  if (touched != nullptr) {
    touched->clear();
    for (const Delta& dl : deltas) touched->push_back({dl.customer, old_record(dl.customer)});
  }
  GrowIds(acc, batch.num_customers());
  for (const Delta& dl : deltas) {
    RfmCustomer& x = acc[static_cast<std::size_t>(dl.customer)];
    x.monetary += dl.sum;
    x.order_lines += dl.lines;
    x.returns += dl.returns;
    x.frequency += dl.distinct - (dl.shares_boundary ? 1 : 0);
    if (dl.last_day != kNoDate) {
      x.recency_days = std::max(x.recency_days, LastCode(dl.last_day));
      x.first_purchase = std::max(x.first_purchase, FirstCode(dl.first_day));
    }
  }
  if (orders && batch_has_orders) {
    std::vector<Id> lo_c, hi_c;
    for (const Row& r : rows) {
      if (!r.purchase) continue;
      if (r.key == batch_lo) lo_c.push_back(r.customer);
      if (r.key == batch_hi) hi_c.push_back(r.customer);
    }
    for (std::vector<Id>* v : {&lo_c, &hi_c}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    if (!state_has_orders) {
      Access::has_orders(state) = true;
      Access::min_order(state) = batch_lo;
      Access::min_order_customers(state) = std::move(lo_c);
      Access::max_order(state) = batch_hi;
      Access::max_order_customers(state) = std::move(hi_c);
    } else if (batch_hi > state_max) {
      Access::max_order(state) = batch_hi;
      Access::max_order_customers(state) = std::move(hi_c);
    } else {  // batch_hi == state_max (batch_lo >= state_max)
      Access::max_order_customers(state) = SortedUnion(state_max_customers, hi_c);
    }
  }
  RfmCounts& n = Access::counts(state);
  n.lines += static_cast<std::int64_t>(batch.size());
  n.excluded_future += future;
  n.excluded_before_window += before;
  n.lines_in_window += static_cast<std::int64_t>(rows.size());
  for (const Delta& dl : deltas) n.return_lines += dl.returns;
  if (max_date != kNoDate) {
    Access::max_date(state) = Access::max_date(state) == kNoDate
                                  ? max_date
                                  : std::max(Access::max_date(state), max_date);
  }
  if (c.customers) Access::customer_codes(state) = c.customers;
  if (c.orders) Access::order_codes(state) = c.orders;
  return absl::OkStatus();
}

absl::StatusOr<RfmPartial> BuildState(const OrderLines& t, const RfmOptions& o, BtydScan* btyd,
                                      const ScanChoice& choice, const RfmWideKeys* wide) {
  const int threads = ThreadsForRows(o.num_threads, t.size());
  using Path = ScanChoice::Path;
  const bool partitioned =
      btyd == nullptr && wide == nullptr && t.size() > 0 &&
      t.size() <= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) &&
      (choice.path == Path::kPartitioned ||
       (choice.path == Path::kAuto && PartitionedScanPays(t.size(), t.num_customers())));
  if (partitioned) {
    // One state, its customer blocks shared out to the threads: no merge.
    bool exact = true;
    SALESIGHT_ASSIGN_OR_RETURN(RfmPartial state, ScanPartial(t, 0, t.size(), o, o.as_of, false,
                                                             &exact, t.max_date(), nullptr,
                                                             threads, choice));
    Access::num_threads(state) = threads;
    if (!exact) SALESIGHT_RETURN_IF_ERROR(RecountFrequency(t, 0, t.size(), state, threads));
    return state;
  }
  // Each part scans its rows into a full-size dense state that is hit at
  // random. Parts only pay while all their states fit in the last-level
  // cache together: beyond that they evict each other's hot customers and
  // the scan is bound by memory latency, which one thread already saturates
  // (measured on the 2-vCPU, 32 MB-L3 test machine at 10^6 customers: two
  // parts scan 10^7 lines slower than one). The later passes still use all
  // threads. Tiny inputs get fewer parts too (each part costs a dense array).
  const std::size_t state_bytes = std::max<std::size_t>(
      1, static_cast<std::size_t>(t.num_customers()) *
             (sizeof(RfmCustomer) + (btyd != nullptr ? sizeof(BtydAcc) : 0)));
  const std::size_t fit = std::max<std::size_t>(1, LastLevelCacheBytes() / state_bytes);
  const std::size_t min_rows_per_part = 64;
  const std::size_t max_rows_per_part = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  const int parts = static_cast<int>(std::max<std::size_t>(
      {std::size_t{1},
       std::min<std::size_t>({static_cast<std::size_t>(threads), fit, t.size() / min_rows_per_part}),
       (t.size() + max_rows_per_part - 1) / max_rows_per_part}));
  std::vector<absl::StatusOr<RfmPartial>> partials(static_cast<std::size_t>(parts));
  std::vector<char> exact(static_cast<std::size_t>(parts), 1);
  std::vector<BtydScan> btyds(btyd != nullptr ? static_cast<std::size_t>(parts) : 0);
  ParallelFor(parts, t.size(), [&](std::size_t b, std::size_t e, int p) {
    bool ok = true;
    // Each part records the table's latest date: only the merged state's
    // (then exact) is used, and it saves a max per row in the hot loop.
    partials[static_cast<std::size_t>(p)] =
        ScanPartial(t, b, e, o, o.as_of, false, &ok, t.max_date(),
                    btyd != nullptr ? &btyds[static_cast<std::size_t>(p)] : nullptr, 0, {}, wide);
    exact[static_cast<std::size_t>(p)] = ok;
  });
  for (auto& p : partials) SALESIGHT_RETURN_IF_ERROR(p.status());
  if (btyd != nullptr) *btyd = MergeBtydParts(std::move(btyds), threads);
  bool all_exact = std::all_of(exact.begin(), exact.end(), [](char x) { return x != 0; });
  RfmPartial state = std::move(*partials[0]);
  for (std::size_t p = 1; p < partials.size(); ++p) {
    SALESIGHT_ASSIGN_OR_RETURN(bool merged_exact, MergeState(state, *partials[p], threads));
    all_exact = all_exact && merged_exact;
    partials[p] = RfmPartial();  // free its memory now
  }
  Access::num_threads(state) = threads;
  if (!all_exact) {
    SALESIGHT_RETURN_IF_ERROR(RecountFrequency(t, 0, t.size(), state, threads, wide));
  }
  return state;
}

}  // namespace rfm_internal

using rfm_internal::Access;

absl::StatusOr<RfmPartial> PartialRfm(const OrderLines& orders, std::size_t begin, std::size_t end,
                                      const RfmOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckNoBy(options, "PartialRfm"));
  bool exact = true;
  return rfm_internal::ScanPartial(orders, begin, end, options, options.as_of, true, &exact,
                                   kNoDate);
}

absl::Status MergeRfm(RfmPartial& into, const RfmPartial& from) {
  RfmPartial& fm = const_cast<RfmPartial&>(from);
  const bool into_fresh = Access::acc(into).empty() && Access::counts(into).lines == 0;
  if (into_fresh) {
    into = from;
    return absl::OkStatus();
  }
  if (Access::acc(fm).empty() && Access::counts(fm).lines == 0) return absl::OkStatus();
  if (Access::as_of(into) != Access::as_of(fm) ||
      Access::window_days(into) != Access::window_days(fm) ||
      Access::frequency(into) != Access::frequency(fm) ||
      Access::monetary(into) != Access::monetary(fm) ||
      Access::purchase(into) != Access::purchase(fm)) {
    return absl::InvalidArgumentError(
        "rfm: the partial states were built with different options (as_of, window_days, "
        "frequency, monetary or purchase)");
  }
  if (Access::money_scale(into) != Access::money_scale(fm)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm: cannot merge money scales %d and %d", Access::money_scale(into),
        Access::money_scale(fm)));
  }
  // Check first so that a failing merge leaves `into` unchanged.
  const bool days = Access::frequency(into) == RfmFrequency::kDays;
  if (!days && Access::has_orders(into) && Access::has_orders(fm)) {
    const std::int64_t a_lo = Access::min_order(into), a_hi = Access::max_order(into);
    const std::int64_t b_lo = Access::min_order(fm), b_hi = Access::max_order(fm);
    if (!(a_hi <= b_lo || b_hi <= a_lo)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "rfm: cannot merge exactly: the partial states' orders overlap (['%s', '%s'] and "
          "['%s', '%s']); distinct orders can only be merged for partitions split by order, "
          "e.g. contiguous row ranges of lines sorted by order",
          rfm_internal::OrderName(Access::order_codes(into), a_lo),
          rfm_internal::OrderName(Access::order_codes(into), a_hi),
          rfm_internal::OrderName(Access::order_codes(fm), b_lo),
          rfm_internal::OrderName(Access::order_codes(fm), b_hi)));
    }
  }
  const RfmCustomers& a = Access::acc(into);
  const RfmCustomers& b = Access::acc(fm);
  for (std::size_t k = 0; k < b.size(); ++k) {
    const RfmCustomer& y = b[k];
    if (y.order_lines == 0 || k >= a.size()) continue;
    const RfmCustomer& x = a[k];
    Money m = 0;
    std::int32_t n = 0;
    if (__builtin_add_overflow(x.monetary, y.monetary, &m) ||
        __builtin_add_overflow(x.order_lines, y.order_lines, &n) ||
        __builtin_add_overflow(x.frequency, y.frequency, &n)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "rfm: merging partial states overflows the totals of customer '%s'",
          rfm_internal::CustomerName(Access::customer_codes(into), static_cast<Id>(k))));
    }
    if (days && x.recency_days != 0 && y.recency_days != 0) {
      const Day x_first = rfm_internal::FirstDayOf(x.first_purchase);
      const Day x_last = rfm_internal::LastDayOf(x.recency_days);
      const Day y_first = rfm_internal::FirstDayOf(y.first_purchase);
      const Day y_last = rfm_internal::LastDayOf(y.recency_days);
      if (!(x_last <= y_first || y_last <= x_first)) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "rfm: cannot merge exactly: customer '%s' has purchase days %s..%s in one partial "
            "state and %s..%s in the other; distinct days can only be merged for partitions "
            "split by date",
            rfm_internal::CustomerName(Access::customer_codes(into), static_cast<Id>(k)),
            FormatDate(x_first), FormatDate(x_last), FormatDate(y_first), FormatDate(y_last)));
      }
    }
  }
  SALESIGHT_ASSIGN_OR_RETURN(bool exact,
                             rfm_internal::MergeState(into, from, Access::num_threads(into)));
  if (!exact) return absl::InternalError("rfm: merge lost exactness after its checks passed");
  return absl::OkStatus();
}

absl::Status AppendRfm(RfmPartial& state, const OrderLines& batch, const RfmOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckNoBy(options, "AppendRfm"));
  return rfm_internal::AppendImpl(state, batch, options, nullptr);
}

}  // namespace salesight
