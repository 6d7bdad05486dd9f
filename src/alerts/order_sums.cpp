// SumOrderLines (internal/order_sums.hpp): per date range, one pass over its
// lines for the sums and the distinct orders (an order's lines are adjacent
// in nearly every export; checked, else the range's lines are sorted by
// order), and one over its lines sorted by customer (a radix sort of the
// range only) for the distinct customers: a cell stamped with the current
// group has counted it already.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "alerts/internal/order_sums.hpp"
#include "core/internal/parallel.hpp"
#include "salesight/margin.hpp"
#include "salesight/order_index.hpp"

namespace salesight::alerts_internal {
namespace {

// A dimension as the passes read it: per row a member (0 for the total).
// (DimensionColumn::Code, its pointers copied here: the hot loops read them
// per line and slicing.)
struct Slicing {
  const Id* codes = nullptr;   // null = the total
  const Id* lookup = nullptr;
  std::int32_t offset = 0;     // 1 when a member may be missing (kNoId -> 0)
  std::size_t members = 1;
  std::size_t Member(std::size_t row) const {
    if (codes == nullptr) return 0;
    const Id v = codes[row];
    return static_cast<std::size_t>((lookup != nullptr ? lookup[v] : v) + offset);
  }
};

// The lines of day keys [a, b] (day - min_date) of a date postings: positions
// [begin[a], begin[b + 1]); a position is the row itself when rows is empty.
struct Lines {
  const RowPostings* postings = nullptr;
  std::size_t begin = 0, end = 0;
  std::size_t size() const { return end - begin; }
  bool contiguous() const { return postings->rows.empty(); }
  std::size_t Row(std::size_t p) const {
    return postings->rows.empty() ? p : static_cast<std::size_t>(postings->rows[p]);
  }
};

// The date postings when the dataset's index has them, else built here the
// same way (a counting sort by day; offsets only when already in date order).
std::shared_ptr<const RowPostings> DatePostings(const Dataset& data, bool dataset_index) {
  if (const OrderIndexes* index = data.order_indexes(); index != nullptr && dataset_index) {
    if (std::shared_ptr<const RowPostings> p = index->Dates()) return p;
  }
  const OrderLines& orders = *data.orders();
  const Column<Day>& days = orders.columns().order_date;
  const Day lo = orders.min_date();
  const auto keys = static_cast<std::size_t>(orders.max_date() - lo) + 1;
  auto p = std::make_shared<RowPostings>();
  p->begin.assign(keys + 1, 0);
  for (const Day d : days) ++p->begin[static_cast<std::size_t>(d - lo) + 1];
  for (std::size_t k = 1; k <= keys; ++k) p->begin[k] += p->begin[k - 1];
  if (std::is_sorted(days.begin(), days.end())) return p;
  std::vector<std::uint32_t> next(p->begin.begin(), p->begin.end() - 1);
  p->rows.resize(days.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    p->rows[next[static_cast<std::size_t>(days[i] - lo)]++] = static_cast<std::uint32_t>(i);
  }
  return p;
}

// A thread's reused memory.
struct Scratch {
  std::vector<Money> cost;
  std::vector<std::uint8_t> known;
  // Per line of the range: a group key (high 32 bits) and what the counting
  // pass needs of the line (low 32 bits: its members packed, or its
  // position), sorted by the key.
  std::vector<std::uint64_t> recs, tmp;
  std::vector<std::int64_t> ids;
  std::vector<std::uint64_t> bits;
  bool overflow = false;
};

// The members of a line packed in 32 bits when they fit (they nearly always
// do: a few dimensions of at most thousands of members), so the lines sorted
// by customer carry them and the counting pass reads in sequence; else the
// line's position, and the counting pass looks the members up.
struct Packing {
  bool packed = false;
  std::vector<int> shift;  // per slicing
  std::vector<std::uint32_t> mask;
  explicit Packing(const std::vector<Slicing>& slicings) {
    int bits = 0;
    for (const Slicing& sl : slicings) {
      int b = 0;
      while ((std::uint64_t{1} << b) < sl.members) ++b;
      shift.push_back(std::min(bits, 31));
      mask.push_back(static_cast<std::uint32_t>((std::uint64_t{1} << b) - 1));
      bits += b;
    }
    packed = bits <= 32;
  }
  std::uint32_t Pack(const std::vector<Slicing>& slicings, std::size_t row) const {
    std::uint32_t p = 0;
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      p |= static_cast<std::uint32_t>(slicings[k].Member(row)) << shift[k];
    }
    return p;
  }
};

// s.recs sorted by their high 32 bits (< key_bound), stable: LSD radix, 11
// bits a digit, as many digits as the bound needs (the counts of all of them
// in one read).
void RadixSort(std::uint32_t key_bound, Scratch& s) {
  constexpr int kBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  int digits = 0;
  while (digits * kBits < 32 && ((key_bound - 1) >> (digits * kBits)) != 0) ++digits;
  if (digits == 0) return;
  s.tmp.resize(s.recs.size());
  std::vector<std::uint32_t> count(kBuckets * static_cast<std::size_t>(digits), 0);
  for (const std::uint64_t r : s.recs) {
    for (int d = 0; d < digits; ++d) ++count[d * kBuckets + ((r >> (32 + d * kBits)) & (kBuckets - 1))];
  }
  for (int d = 0; d < digits; ++d) {
    std::uint32_t* c = count.data() + d * kBuckets;
    std::uint32_t sum = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) sum += std::exchange(c[b], sum);
    const int shift = 32 + d * kBits;
    for (const std::uint64_t r : s.recs) s.tmp[c[(r >> shift) & (kBuckets - 1)]++] = r;
    s.recs.swap(s.tmp);
  }
}

// Distinct groups (equal keys, adjacent) per cell, stamping a cell with the
// group's first position + 1; returns the number of groups (the total's).
template <bool kCustomers>
std::int64_t CountGroups(const Lines& lines, const std::vector<Slicing>& slicings, const Packing& packing,
                         std::vector<OrderCell*>& blocks, Scratch& s) {
  std::uint32_t mark = 0;
  std::int64_t groups = 0;
  for (std::size_t j = 0; j < s.recs.size(); ++j) {
    const std::uint64_t r = s.recs[j];
    if (j == 0 || (r >> 32) != (s.recs[j - 1] >> 32)) {
      mark = static_cast<std::uint32_t>(j + 1);
      ++groups;
    }
    const auto p = static_cast<std::uint32_t>(r);
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      const std::size_t member = packing.packed ? (p >> packing.shift[k]) & packing.mask[k]
                                                : slicings[k].Member(lines.Row(lines.begin + p));
      OrderCell& c = blocks[k][member];
      std::uint32_t& stamp = kCustomers ? c.customer_stamp : c.order_stamp;
      if (stamp != mark) {
        stamp = mark;
        ++(kCustomers ? c.customers : c.orders);
      }
    }
  }
  return groups;
}

// True when no order id repeats among the runs' ids (s.ids): each order's
// lines of the range were one run, so the run count is the distinct count.
bool RunsAreDistinct(Scratch& s) {
  if (s.ids.empty()) return true;
  const auto [lo, hi] = std::minmax_element(s.ids.begin(), s.ids.end());
  const std::uint64_t span = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo);
  if (span > 8 * static_cast<std::uint64_t>(s.ids.size()) + 4096) {
    std::vector<std::int64_t> sorted = s.ids;
    std::sort(sorted.begin(), sorted.end());
    return std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
  }
  s.bits.assign(static_cast<std::size_t>(span / 64 + 1), 0);
  for (const std::int64_t id : s.ids) {
    const std::uint64_t x = static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(*lo);
    std::uint64_t& word = s.bits[x / 64];
    const std::uint64_t bit = std::uint64_t{1} << (x % 64);
    if (word & bit) return false;
    word |= bit;
  }
  return true;
}

// The range's cells: `slicings` the dimensions, `total` the total's cell
// (summed in registers: every line adds to it).
absl::Status SumRange(const OrderLines& orders, const std::optional<MarginLineCosts>& costs,
                      const Lines& lines, const std::vector<Slicing>& slicings, const Packing& packing,
                      std::vector<OrderCell*>& blocks, OrderCell& total, Scratch& s) {
  const OrderLinesColumns& c = orders.columns();
  const std::size_t m = lines.size();
  const bool margin = costs.has_value();
  if (margin) {
    s.cost.resize(m);
    s.known.resize(m);
    if (lines.contiguous()) {
      if (absl::Status st = costs->Costs(lines.begin, lines.end, s.cost.data(), s.known.data()); !st.ok()) {
        return st;
      }
    } else {
      for (std::size_t j = 0; j < m; ++j) {
        const std::size_t row = lines.Row(lines.begin + j);
        if (absl::Status st = costs->Costs(row, row + 1, &s.cost[j], &s.known[j]); !st.ok()) return st;
      }
    }
  }
  // Sums, and orders as runs of one order id (checked below).
  s.ids.clear();
  s.recs.resize(m);
  std::uint32_t mark = 0;
  bool overflow = false;
  Money revenue = 0, costed_revenue = 0, cost = 0;
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t row = lines.Row(lines.begin + j);
    const std::int64_t order = c.order_id[row];
    if (j == 0 || order != s.ids.back()) {
      s.ids.push_back(order);
      mark = static_cast<std::uint32_t>(j + 1);
    }
    const Money a = c.amount[row];
    const bool costed = margin && s.known[j] != 0;
    overflow |= __builtin_add_overflow(revenue, a, &revenue);
    if (costed) {
      overflow |= __builtin_add_overflow(costed_revenue, a, &costed_revenue);
      overflow |= __builtin_add_overflow(cost, s.cost[j], &cost);
    }
    std::uint32_t packed = 0;
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      const std::size_t member = slicings[k].Member(row);
      packed |= static_cast<std::uint32_t>(member) << packing.shift[k];
      OrderCell& cell = blocks[k][member];
      overflow |= __builtin_add_overflow(cell.revenue, a, &cell.revenue);
      if (costed) {
        overflow |= __builtin_add_overflow(cell.costed_revenue, a, &cell.costed_revenue);
        overflow |= __builtin_add_overflow(cell.cost, s.cost[j], &cell.cost);
      }
      ++cell.lines;
      if (cell.order_stamp != mark) {
        cell.order_stamp = mark;
        ++cell.orders;
      }
    }
    s.recs[j] = static_cast<std::uint64_t>(c.customer[row]) << 32 |
                (packing.packed ? packed : static_cast<std::uint32_t>(j));
  }
  s.overflow |= overflow;
  total.revenue = revenue;
  total.costed_revenue = costed_revenue;
  total.cost = cost;
  total.lines = static_cast<std::int64_t>(m);
  total.orders = static_cast<std::int64_t>(s.ids.size());
  // Customers: the range's lines sorted by customer id.
  RadixSort(static_cast<std::uint32_t>(std::max(orders.num_customers(), 1)), s);
  total.customers = CountGroups<true>(lines, slicings, packing, blocks, s);
  if (!RunsAreDistinct(s)) {
    // An order's lines are apart: count again by the rank of the order id.
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      for (std::size_t x = 0; x < slicings[k].members; ++x) {
        blocks[k][x].orders = 0;
        blocks[k][x].order_stamp = 0;
      }
    }
    std::vector<std::int64_t> distinct(m);
    for (std::size_t j = 0; j < m; ++j) distinct[j] = c.order_id[lines.Row(lines.begin + j)];
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t row = lines.Row(lines.begin + j);
      const auto rank = static_cast<std::uint64_t>(
          std::lower_bound(distinct.begin(), distinct.end(), c.order_id[row]) - distinct.begin());
      s.recs[j] = rank << 32 | (packing.packed ? packing.Pack(slicings, row) : static_cast<std::uint32_t>(j));
    }
    RadixSort(static_cast<std::uint32_t>(std::max<std::size_t>(distinct.size(), 1)), s);
    CountGroups<false>(lines, slicings, packing, blocks, s);
    total.orders = static_cast<std::int64_t>(distinct.size());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OrderSums> SumOrderLines(const Dataset& data,
                                        const std::vector<const DimensionColumn*>& dims,
                                        const Windows& windows, const SumOrderOptions& options) {
  const OrderLines& orders = *data.orders();
  OrderSums out;
  const int w2 = 2 * windows.count;
  // Lines and their positions in a range are uint32 here (as in the date index).
  if (orders.size() > std::numeric_limits<std::uint32_t>::max()) {
    return absl::InvalidArgumentError("alerts: more than 4294967295 order lines");
  }
  // The distinct date ranges of the known windows, in date order.
  std::vector<std::pair<Day, Day>> ranges;
  for (int s = 0; s < w2; ++s) {
    if (windows.start[s] == kNoDate || windows.start[s] < orders.min_date()) continue;
    ranges.emplace_back(windows.start[s], windows.end[s]);
  }
  std::sort(ranges.begin(), ranges.end());
  ranges.erase(std::unique(ranges.begin(), ranges.end()), ranges.end());
  out.ranges = ranges.size();
  out.range_of_window.assign(static_cast<std::size_t>(w2), -1);
  for (int s = 0; s < w2; ++s) {
    const auto it = std::find(ranges.begin(), ranges.end(), std::make_pair(windows.start[s], windows.end[s]));
    if (it != ranges.end() && windows.start[s] != kNoDate) {
      out.range_of_window[static_cast<std::size_t>(s)] = static_cast<int>(it - ranges.begin());
    }
  }
  std::vector<Slicing> slicings;
  for (const DimensionColumn* d : dims) {
    Slicing sl;
    if (d != nullptr) {
      sl.codes = d->codes;
      sl.lookup = d->lookup;
    }
    sl.offset = d != nullptr && d->may_be_missing ? 1 : 0;
    sl.members = d == nullptr ? 1 : static_cast<std::size_t>(d->cardinality + sl.offset);
    slicings.push_back(sl);
    out.members.push_back(sl.members);
    out.cells.emplace_back(sl.members * ranges.size());
  }
  if (ranges.empty()) return out;
  std::optional<MarginLineCosts> costs;
  if (options.margin) {
    absl::StatusOr<MarginLineCosts> made = MarginLineCosts::Make(data);
    if (!made.ok()) return made.status();
    costs = *std::move(made);
  }
  const std::shared_ptr<const RowPostings> postings = DatePostings(data, options.dataset_index);
  const Day lo = orders.min_date(), hi = orders.max_date();
  std::vector<Lines> lines(ranges.size());
  std::size_t total_lines = 0;
  for (std::size_t r = 0; r < ranges.size(); ++r) {
    Lines& l = lines[r];
    l.postings = postings.get();
    const Day a = std::max(ranges[r].first, lo), b = std::min(ranges[r].second, hi);
    if (a <= b) {
      l.begin = postings->begin[static_cast<std::size_t>(a - lo)];
      l.end = postings->begin[static_cast<std::size_t>(b - lo) + 1];
    }
    total_lines += l.size();
  }
  // Ranges go to threads largest first; each is summed whole by one.
  std::vector<std::size_t> queue(ranges.size());
  std::iota(queue.begin(), queue.end(), std::size_t{0});
  std::stable_sort(queue.begin(), queue.end(),
                   [&](std::size_t a, std::size_t b) { return lines[a].size() > lines[b].size(); });
  const std::size_t threads = std::min(
      internal::ResolveThreads(options.num_threads,
                               total_lines / std::max<std::size_t>(options.min_rows_per_thread, 1) + 1),
      ranges.size());
  // The total's cell is summed apart (in registers); the dimensions' here.
  std::vector<Slicing> inner;
  std::vector<std::size_t> inner_of;  // their slicing index
  for (std::size_t k = 0; k < slicings.size(); ++k) {
    if (slicings[k].codes == nullptr) continue;
    inner.push_back(slicings[k]);
    inner_of.push_back(k);
  }
  Packing packing(inner);
  packing.packed = packing.packed && options.pack_members;
  std::atomic<std::size_t> next{0};
  std::vector<Scratch> scratch(threads);
  std::vector<absl::Status> status(ranges.size());  // per range: the error named is the earliest
  internal::RunOnThreads(threads, [&](std::size_t t) {
    Scratch& s = scratch[t];
    std::vector<OrderCell*> blocks(inner.size());
    for (std::size_t q = next++; q < queue.size(); q = next++) {
      const std::size_t r = queue[q];
      for (std::size_t i = 0; i < inner.size(); ++i) {
        blocks[i] = out.cells[inner_of[i]].data() + r * inner[i].members;
      }
      OrderCell total;
      status[r] = SumRange(orders, costs, lines[r], inner, packing, blocks, total, s);
      total.order_stamp = total.customer_stamp = 0;
      for (std::size_t k = 0; k < slicings.size(); ++k) {
        if (slicings[k].codes == nullptr) out.cells[k][r] = total;
      }
    }
  });
  for (const absl::Status& st : status) {
    if (!st.ok()) return st;
  }
  for (const Scratch& s : scratch) {
    if (s.overflow) return absl::OutOfRangeError("alerts: a revenue or cost sum leaves the money range");
  }
  return out;
}

}  // namespace salesight::alerts_internal
