// The partitioned line scan (line_scan.hpp). At 10^6 customers the dense
// state is 32 MB: the direct scan's one random access per line then waits on
// L3 or DRAM, at a speed that depends on the machine's caches (issue 19: 44 ms
// on an AMD EPYC, 91 ms on an Intel Xeon with 2 MiB L2). Here each pass over a
// chunk of lines first writes every used line as a 16-byte record into the
// buffer of its customer block (sequential writes into a few hundred
// streams), then adds the records block by block: a block's accumulators are
// at most half the L2, so the random accesses hit L2. Where the state fits in
// the last-level cache this was measured slower than the direct scan
// (PartitionedScanPays), so it is used for states larger than that cache.
//
// Equality with the direct scan: per customer the records are added in row
// order (chunks in order, the threads' row ranges in order inside a chunk,
// rows in order inside a range), with the same arithmetic. kOrders numbers
// the blocks of equal order ids per thread range; the ranges' numbers are
// shifted to the one row-order numbering before any record is added.
#include <algorithm>
#include <barrier>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal/line_scan.hpp"
#include "internal/rfm.hpp"
#include "salesight/large_array.hpp"

namespace salesight::rfm_internal {
namespace {

// A used line as the adding pass needs it.
struct LineRecord {
  Money value;           // the monetary source's value of the line
  std::uint32_t packed;  // customer within its block | LastCode(day) << bits | return << 31
  std::int32_t block;    // kOrders, counted lines: the range's number of its order block
};
static_assert(sizeof(LineRecord) == 16);

constexpr int kDayBits = 17;
static_assert(kMaxDay - kMinDay + 1 < (1 << kDayBits), "LastCode of every day fits kDayBits");
// The customer bits and the day code share 31 bits; bit 31 is "return".
constexpr int kMaxCustomerBits = 31 - kDayBits;

using Records = std::vector<LineRecord, UninitLargeArrayAllocator<LineRecord>>;

// Software write-combining: a block's next records gather in one cache line
// here, then go to the buffer as one whole line of non-temporal stores - no
// read for ownership of the destination line, and the buffer streaming
// through does not evict the columns or the accumulators from the caches.
constexpr std::uint32_t kLineRecords = 4;
struct alignas(64) Pending {
  LineRecord r[kLineRecords];
};
static_assert(sizeof(Pending) == 64);

inline void StoreLine(LineRecord* dst, const Pending& src) {
#if defined(__SSE2__)
  const __m128i* s = reinterpret_cast<const __m128i*>(src.r);
  __m128i* d = reinterpret_cast<__m128i*>(dst);
  _mm_stream_si128(d, _mm_load_si128(s));
  _mm_stream_si128(d + 1, _mm_load_si128(s + 1));
  _mm_stream_si128(d + 2, _mm_load_si128(s + 2));
  _mm_stream_si128(d + 3, _mm_load_si128(s + 3));
#else
  std::memcpy(dst, src.r, sizeof(src.r));
#endif
}

// One 16-byte store, so that StoreLine's loads of the line forward from it
// (a load over several smaller stores waits for them to reach the cache).
inline void PutRecord(LineRecord& r, Money value, std::uint32_t packed, std::int32_t block) {
#if defined(__SSE2__)
  const std::uint64_t high = packed | (std::uint64_t{static_cast<std::uint32_t>(block)} << 32);
  _mm_store_si128(reinterpret_cast<__m128i*>(&r),
                  _mm_set_epi64x(static_cast<long long>(high), static_cast<long long>(value)));
#else
  r.value = value;
  r.packed = packed;
  r.block = block;
#endif
}

// Orders the non-temporal stores before the barrier that hands the buffer on.
inline void StoreFence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

// One thread's row range of the current chunk, partitioned.
struct Range {
  std::size_t begin = 0, end = 0;
  std::vector<std::uint32_t> start;  // per customer block: first record slot (+ the end)
  std::vector<std::uint32_t> fill;   // per customer block: one past its last record
  std::vector<Pending> pending;      // per customer block: its records not yet in `records`
  Records records;                   // each block's region starts at a multiple of kLineRecords
  // Row-order facts of the range.
  std::int64_t future = 0, before = 0, returns = 0;
  bool unsorted = false;             // kOrders: an order id below the previous one
  std::int32_t order_blocks = 0;     // kOrders: blocks of equal counted order ids
  std::int64_t first_key = 0, last_key = 0;
  std::size_t last_block_row = kNoRow;
  std::int32_t base = 0;             // added to its block numbers (set by Join)
};

// The shape of a scan: block size, chunk size, how many blocks.
struct Shape {
  int bits = 0;               // customers per block = 2^bits
  std::size_t blocks = 0;
  std::size_t chunk_rows = 0;
};

// Customers per block: half the L2 for their accumulators, so that the
// records streaming through keep the other half.
int DefaultCustomerBits() {
  const std::size_t per_block = std::max<std::size_t>(L2CacheBytes() / 2 / sizeof(RfmCustomer), 2);
  return std::clamp(static_cast<int>(std::bit_width(per_block)) - 1, 6, kMaxCustomerBits);
}

// Lines per pass. Each pass re-reads the whole state once per block, so a
// pass holds several lines per customer; a bound keeps the buffers (16 bytes
// a line) small next to the columns (24 bytes a line read by the scan).
std::size_t DefaultChunkRows(std::size_t rows, std::int32_t customers) {
  const std::size_t want = std::max<std::size_t>(std::size_t{1} << 22,
                                                 4 * static_cast<std::size_t>(customers));
  return std::min({rows, want, std::size_t{1} << 24});
}

template <typename Source, bool kOrders, bool kAllLines, bool kFilter>
void Partition(const OrderLines& t, Filter f, Source value, const Shape& shape, Range& r) {
  const OrderLinesColumns& c = t.columns();
  const Id* customer = c.customer.data();
  const Day* day = c.order_date.data();
  const Money* amount = c.amount.data();
  const std::int64_t* order = c.order_id.data();
  const int bits = shape.bits;
  const std::uint32_t low = (std::uint32_t{1} << bits) - 1;
  // Region sizes from every line of the range (lines the filter drops leave
  // slack): one read of the customer column, no second pass over the rest.
  std::fill(r.start.begin(), r.start.end(), 0);
  for (std::size_t i = r.begin; i < r.end; ++i) {
    ++r.start[static_cast<std::size_t>(customer[i] >> bits) + 1];
  }
  for (std::size_t k = 0; k < shape.blocks; ++k) {
    const std::uint32_t lines = (r.start[k + 1] + kLineRecords - 1) / kLineRecords * kLineRecords;
    r.start[k + 1] = r.start[k] + lines;
  }
  std::copy(r.start.begin(), r.start.end() - 1, r.fill.begin());

  std::uint32_t* fill = r.fill.data();
  Pending* pending = r.pending.data();
  LineRecord* out = r.records.data();
  std::int64_t future = 0, before = 0, returns = 0;
  bool unsorted = false;
  std::int32_t block = 0;
  std::int64_t prev_key = std::numeric_limits<std::int64_t>::min();
  std::int64_t first_key = 0;
  std::size_t last_row = kNoRow;
  for (std::size_t i = r.begin; i < r.end; ++i) {
    const Day d = day[i];
    if constexpr (kFilter) {
      if (d > f.hi) {
        ++future;
        continue;
      }
      if (d < f.lo) {
        ++before;
        continue;
      }
    }
    const Id id = customer[i];
    const bool is_return = amount[i] < 0;
    returns += is_return;
    std::int32_t b = 0;
    if constexpr (kOrders) {
      if (kAllLines || !is_return) {
        const std::int64_t key = order[i];
        unsorted |= key < prev_key;
        if (key != prev_key || block == 0) {
          if (block == 0) first_key = key;
          last_row = i;
          prev_key = key;
          ++block;
        }
        b = block;
      }
    }
    const std::size_t k = static_cast<std::size_t>(id >> bits);
    std::uint32_t& n = fill[k];
    const std::uint32_t packed = (static_cast<std::uint32_t>(id) & low) |
                                 (static_cast<std::uint32_t>(LastCode(d)) << bits) |
                                 (static_cast<std::uint32_t>(is_return) << 31);
    PutRecord(pending[k].r[n % kLineRecords], value(i), packed, b);
    if (++n % kLineRecords == 0) StoreLine(out + (n - kLineRecords), pending[k]);
  }
  for (std::size_t k = 0; k < shape.blocks; ++k) {
    const std::uint32_t rest = fill[k] % kLineRecords;
    std::copy(pending[k].r, pending[k].r + rest, out + (fill[k] - rest));
  }
  StoreFence();
  r.future = future;
  r.before = before;
  r.returns = returns;
  r.unsorted = unsorted;
  r.order_blocks = block;
  r.first_key = first_key;
  r.last_key = prev_key;
  r.last_block_row = last_row;
}

// Adds records [p, e) into the accumulators of their block. Returns whether
// a kDays purchase came before its customer's last day (not in date order).
template <bool kOrders, bool kAllLines>
bool Add(const LineRecord* p, const LineRecord* e, RfmCustomer* acc, int bits, std::int32_t base,
         bool& overflow) {
  const std::uint32_t low = (std::uint32_t{1} << bits) - 1;
  constexpr std::uint32_t kDayMask = (std::uint32_t{1} << kDayBits) - 1;
  bool unsorted = false, over = false;
  for (; p != e; ++p) {
    const std::uint32_t packed = p->packed;
    RfmCustomer& x = acc[packed & low];
    over |= __builtin_add_overflow(x.monetary, p->value, &x.monetary);
    ++x.order_lines;
    const bool is_return = (packed >> 31) != 0;
    x.returns += is_return;
    if (kAllLines || !is_return) {
      const std::int32_t code = static_cast<std::int32_t>((packed >> bits) & kDayMask);
      if constexpr (kOrders) {
        const std::int32_t block = base + p->block;
        x.frequency += x.customer != block;
        x.customer = block;
      } else {
        x.frequency += code > x.recency_days;
        unsorted |= code < x.recency_days;
      }
      x.recency_days = std::max(x.recency_days, code);
      x.first_purchase = std::max(x.first_purchase, FirstCode(LastDayOf(code)));
    }
  }
  overflow |= over;
  return unsorted;
}

// Brings a block's accumulators into the cache in address order before its
// records hit them at random: the sequential stream is fetched at memory
// bandwidth, where the records' first touches would each wait for memory.
inline void Warm(const RfmCustomer* acc, std::size_t n) {
  const char* p = reinterpret_cast<const char*>(acc);
  const char* e = reinterpret_cast<const char*>(acc + n);
  for (; p < e; p += 64) __builtin_prefetch(p, 1, 3);
}

// The ranges' row-order facts joined in row order, across chunks.
struct Joined {
  std::int64_t future = 0, before = 0, returns = 0;
  bool unsorted = false;
  bool has_orders = false;
  std::int64_t last_key = 0;
  std::int32_t blocks = 0;  // row-order order blocks so far
  std::size_t last_block_row = kNoRow;
};

// Shifts each range's block numbers to the row-order numbering: a range whose
// first counted order id is the previous range's last continues its block.
void Join(std::vector<Range>& ranges, Joined& j) {
  for (Range& r : ranges) {
    j.future += r.future;
    j.before += r.before;
    j.returns += r.returns;
    j.unsorted |= r.unsorted;
    if (r.order_blocks == 0) continue;
    const bool continues = j.has_orders && r.first_key == j.last_key;
    j.unsorted |= j.has_orders && r.first_key < j.last_key;
    j.has_orders = true;
    r.base = j.blocks - (continues ? 1 : 0);
    j.blocks = r.base + r.order_blocks;
    if (!(continues && r.order_blocks == 1)) j.last_block_row = r.last_block_row;
    j.last_key = r.last_key;
  }
}

// Splits the blocks into `parts` contiguous runs of about equal records.
// `cum`: blocks + 1 slots of scratch (no allocation here: this runs in a barrier's completion).
void SplitBlocks(const std::vector<Range>& ranges, std::size_t blocks, std::vector<std::size_t>& cum,
                 std::vector<std::size_t>& at) {
  cum[0] = 0;
  for (std::size_t k = 0; k < blocks; ++k) {
    std::size_t n = 1;  // each block also costs its accumulators' first touch
    for (const Range& r : ranges) n += r.fill[k] - r.start[k];
    cum[k + 1] = cum[k] + n;
  }
  const std::size_t parts = at.size() - 1;
  at[0] = 0;
  for (std::size_t p = 1; p < parts; ++p) {
    const std::size_t goal = cum[blocks] * p / parts;
    at[p] = static_cast<std::size_t>(std::lower_bound(cum.begin(), cum.end(), goal) - cum.begin());
    at[p] = std::clamp(at[p], at[p - 1], blocks);
  }
  at[parts] = blocks;
}

template <typename Source, bool kOrders, bool kAllLines, bool kFilter>
void Run(const OrderLines& t, std::size_t begin, std::size_t end, Filter f, Source value,
         int threads, const Shape& shape, RfmCustomer* acc, ScanStats& st) {
  const std::size_t parts = static_cast<std::size_t>(std::max(threads, 1));
  std::vector<Range> ranges(parts);
  // A range's records, each region rounded up to whole lines.
  const std::size_t range_records = shape.chunk_rows / parts + 1 + kLineRecords * shape.blocks;
  for (Range& r : ranges) {  // every allocation before the threads start
    r.start.resize(shape.blocks + 1);
    r.fill.resize(shape.blocks);
    r.pending.resize(shape.blocks);
    r.records.resize(range_records);
  }
  std::vector<std::size_t> block_at(parts + 1, 0), cum(shape.blocks + 1, 0);
  const std::size_t customers = static_cast<std::size_t>(t.num_customers());
  std::vector<char> overflow(parts, 0), unsorted(parts, 0);
  Joined joined;
  std::size_t chunk_begin = begin;
  // Between the partition and the adding: one thread joins the ranges' facts
  // and splits the blocks; after the adding, the next chunk's ranges.
  bool adding_next = true;
  auto between = [&]() noexcept {
    if (adding_next) {
      Join(ranges, joined);
      SplitBlocks(ranges, shape.blocks, cum, block_at);
    } else {
      chunk_begin = std::min(end, chunk_begin + shape.chunk_rows);
    }
    adding_next = !adding_next;
  };
  std::barrier sync(static_cast<std::ptrdiff_t>(parts), between);
  internal::RunOnThreads(parts, [&](std::size_t p) {
    bool over = false, late = false;
    while (chunk_begin < end) {
      const std::size_t n = std::min(end, chunk_begin + shape.chunk_rows) - chunk_begin;
      Range& mine = ranges[p];
      mine.begin = chunk_begin + internal::RangeBegin(n, p, parts);
      mine.end = chunk_begin + internal::RangeBegin(n, p + 1, parts);
      Partition<Source, kOrders, kAllLines, kFilter>(t, f, value, shape, mine);
      sync.arrive_and_wait();
      for (std::size_t k = block_at[p]; k < block_at[p + 1]; ++k) {
        RfmCustomer* block_acc = acc + (k << shape.bits);
        Warm(block_acc, std::min(std::size_t{1} << shape.bits, customers - (k << shape.bits)));
        for (const Range& r : ranges) {
          late |= Add<kOrders, kAllLines>(r.records.data() + r.start[k],
                                          r.records.data() + r.fill[k], block_acc, shape.bits,
                                          r.base, over);
        }
      }
      sync.arrive_and_wait();
    }
    overflow[p] = over;
    unsorted[p] = late;
  });
  st.future += joined.future;
  st.before += joined.before;
  st.return_lines += joined.returns;
  const bool any_late = std::any_of(unsorted.begin(), unsorted.end(), [](char x) { return x; });
  st.sorted = st.sorted && !joined.unsorted && !any_late;
  st.overflow = st.overflow || std::any_of(overflow.begin(), overflow.end(), [](char x) { return x; });
  if (kOrders && joined.has_orders) {
    st.has_orders = true;
    st.last_key = joined.last_key;
    st.last_block_row = joined.last_block_row;
    FindFirstBlock(t, begin, end, f, kAllLines, st);  // sets first_key
  }
}

}  // namespace

bool PartitionedScanPays(std::size_t rows, std::int32_t customers) {
  // Measured on the 2-core Intel Xeon (2 MiB L2, 300 MB L3; README "RFM's
  // line scan on other hardware"): slower than the direct scan both where
  // the state fits the L3 (10^7 lines, 29.5 MB: 81-98 ms of CPU against
  // 128-146) and where it does not (10^8 lines into 10^7 customers, 320 MB:
  // 1.41-1.76 s against 1.77-2.83 s at 1 thread) - writing and re-reading 16
  // bytes a line costs more than the direct scan's misses. So it is never
  // chosen by size until a machine shows it paying; tests force it.
  (void)rows;
  (void)customers;
  return false;
}

void ScanPartitioned(const OrderLines& t, std::size_t begin, std::size_t end, Filter f,
                     const RfmOptions& o, int threads, const ScanChoice& want, RfmCustomer* acc,
                     ScanStats& st) {
  if (begin == end) return;
  Shape shape;
  shape.bits = want.customer_bits > 0 ? std::min(want.customer_bits, kMaxCustomerBits)
                                      : DefaultCustomerBits();
  const std::size_t customers = static_cast<std::size_t>(t.num_customers());
  shape.blocks = (customers + (std::size_t{1} << shape.bits) - 1) >> shape.bits;
  shape.chunk_rows = want.chunk_rows > 0 ? want.chunk_rows
                                         : DefaultChunkRows(end - begin, t.num_customers());
  DispatchScanKinds(t, o, f.active(), [&](auto source, auto orders, auto all, auto filter) {
    Run<decltype(source), decltype(orders)::value, decltype(all)::value, decltype(filter)::value>(
        t, begin, end, f, source, threads, shape, acc, st);
  });
}

}  // namespace salesight::rfm_internal
