// Workload (d)'s row pass (internal/fast_scan.hpp). perf showed the generic
// kernel spending its time on data-dependent branches (known?, paid?, open?)
// and on spilling its many locals to the stack. ScanFast goes through the
// rows in chunks of kChunk, each by short loops without data-dependent
// branches: a vectorized scan (known, paid, outstanding, issue counts), the
// collection sums, then only the chunk's open rows (about 1 in 10 in the
// WORKLOADS data) to the radix blocks. The rare issues (early payments,
// overpaid invoices) are flagged by the scan and only then counted by a
// second look at that chunk.
#include "internal/fast_scan.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/internal/multiversion.hpp"

namespace salesight::receivables_internal {
namespace {

// The row loops of RunArFast, kept out of line: inlined into one big
// function GCC spilled their accumulators (even the row index) to the stack.
//
// ScanChunk is the per-row part of aging written without branches or
// scatter so that it vectorizes; target_clones adds an AVX2 build picked at
// load time on CPUs that have it (the library is built for baseline x86-64).
struct ScanTotals {
  std::uint64_t magnitude = 0;  // OR of |amount| and |paid|, roughly
  std::uint64_t rare = 0;       // != 0: an early payment or an overpaid invoice
  std::uint64_t late_amount = 0;
  std::int64_t known = 0;
  std::int64_t late = 0;
};

// out[i] = amount - paid as of as_of for known invoices, 0 for unknown ones.
// Wrapping (unsigned) arithmetic: values too large are caught afterwards by
// the magnitude bound and must not be undefined behaviour first.
SALESIGHT_AVX2_CLONES void ScanChunk(const Day* invoice_date, const Money* amount, const Day* paid_date,
               const Money* paid, std::size_t n, Day as_of, Money* out, ScanTotals* totals) {
  std::uint64_t magnitude = 0, rare = 0, late_amount = 0;
  std::int64_t known = 0, late = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Money a = amount[i];
    const Money q = paid[i];
    const Day d = paid_date[i];
    const Day id = invoice_date[i];
    magnitude |=
        static_cast<std::uint64_t>(a ^ (a >> 63)) | static_cast<std::uint64_t>(q ^ (q >> 63));
    // All-ones masks. kNoDate is INT32_MIN: "d <= as_of" needs "d != kNoDate".
    const Money kn = -static_cast<Money>(id <= as_of);
    const Money in_time = -static_cast<Money>((d != kNoDate) & (d <= as_of));
    const Money lt = kn & -static_cast<Money>(d > as_of);
    known -= kn;
    late -= lt;
    late_amount += static_cast<std::uint64_t>(q & lt);
    const auto o = static_cast<Money>(static_cast<std::uint64_t>(a) -
                                      static_cast<std::uint64_t>(q & in_time));
    rare |=
        static_cast<std::uint64_t>(kn & ((in_time & -static_cast<Money>(d < id)) | (o >> 63)));
    out[i] = o & kn;
  }
  totals->magnitude |= magnitude;
  totals->rare |= rare;
  totals->late_amount += late_amount;
  totals->known += known;
  totals->late += late;
}

// True when every invoice of the chunk is dated after as_of: none is known
// at as_of, so the chunk adds to no sum, count or issue. Invoices usually
// come in date order, so with an as-of date inside the data (workload (d):
// ~1/8 of the rows) whole chunks at the end are skipped after reading only
// their dates.
SALESIGHT_AVX2_CLONES bool AllAfter(const Day* invoice_date, std::size_t n, Day as_of) {
  Day lo = std::numeric_limits<Day>::max();
  for (std::size_t i = 0; i < n; ++i) lo = std::min(lo, invoice_date[i]);
  return lo > as_of;
}

// flags[i] = 1 when row i is open (outstanding > 0), else 0; vectorizes.
SALESIGHT_AVX2_CLONES void OpenFlags(const Money* out, std::size_t n, std::uint8_t* flags) {
  for (std::size_t i = 0; i < n; ++i) flags[i] = static_cast<std::uint8_t>(out[i] > 0);
}

// The open rows' indices in ascending order into idx; returns their count.
// About 1 row in 10 is open: instead of a store and a flag add per row (8
// instructions a row, callgrind), eight flags at a time become a bit mask
// (one multiply: byte j, 0 or 1, lands on bit 56 + j) whose set bits are
// walked. `flags` has n rounded up to 8 entries, the padding 0.
std::size_t OpenRows(const std::uint8_t* flags, std::size_t n, std::uint32_t* idx) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, flags + i, sizeof(w));
    for (std::uint64_t m = (w * 0x0102040810204080ULL) >> 56; m != 0; m &= m - 1) {
      idx[k++] = static_cast<std::uint32_t>(i + static_cast<std::size_t>(__builtin_ctzll(m)));
    }
  }
  return k;
}

// Rate-only collection: due in [from, to] implies known (due >= invoice
// date), so collected = amount - out. The most instructions per row of the
// row pass (callgrind): "due in [from, to]" is one unsigned compare (from <=
// to is validated) and the 0/1 flag multiplies instead of masking.
[[gnu::noinline]] void CollectionChunk(const Day* due_date, const Money* amount,
                                       const Money* out, const Id* group, std::size_t n,
                                       Day from, Day to, RateSums* sums) {
  const auto span = static_cast<std::uint64_t>(std::int64_t{to} - from);
  for (std::size_t i = 0; i < n; ++i) {
    const auto since_from = static_cast<std::uint64_t>(std::int64_t{due_date[i]} - from);
    const auto a = static_cast<std::uint64_t>(amount[i]);
    const std::uint64_t is_due = since_from <= span;
    RateSums& s = sums[static_cast<std::size_t>(group[i])];
    s.invoices_due += static_cast<std::int64_t>(is_due);
    s.billed += a * is_due;
    s.collected += (a - static_cast<std::uint64_t>(out[i])) * is_due;
  }
}

}  // namespace

OpenBlocks::OpenBlocks(std::size_t num_slots, std::size_t rows) {
  const std::size_t nblocks = (std::max<std::size_t>(1, num_slots) + kBlockSlots - 1) >> kBlockBits;
  buf_.resize(nblocks);
  tail_.resize(nblocks);
  const std::size_t cap0 = rows / nblocks / 4 + 64;
  for (std::size_t b = 0; b < nblocks; ++b) Grow(b, cap0);
}

void OpenBlocks::Grow(std::size_t b, std::size_t capacity) {
  std::unique_ptr<OpenEntry[]> fresh(new OpenEntry[capacity]);
  const std::size_t used = buf_[b].data ? static_cast<std::size_t>(tail_[b] - buf_[b].data.get()) : 0;
  if (used > 0) std::copy(buf_[b].data.get(), buf_[b].data.get() + used, fresh.get());
  buf_[b].data = std::move(fresh);
  buf_[b].capacity = capacity;
  tail_[b] = buf_[b].data.get() + used;
}

void OpenBlocks::AddBlocks(std::size_t count) {
  const std::size_t old = tail_.size();
  buf_.resize(count);
  tail_.resize(count);
  for (std::size_t b = old; b < count; ++b) Grow(b, 64);
}

std::int64_t OpenBlocks::entries() const {
  std::int64_t n = 0;
  for (std::size_t b = 0; b < tail_.size(); ++b) n += tail_[b] - buf_[b].data.get();
  return n;
}

FastScanParams MakeFastScanParams(const AgingPartial& aging, const CollectionPartial& collection) {
  FastScanParams p;
  p.as_of = aging.as_of;
  p.by_invoice_date = aging.age_basis == AgeBasis::kInvoiceDate;
  for (std::size_t k = 0; k < kFastCutoffs; ++k) {
    p.cut[k] = k < aging.cutoffs.size() ? aging.cutoffs[k]
                                        : std::numeric_limits<std::int32_t>::max();
  }
  p.from = collection.from != kNoDate ? collection.from : kMinDay - 1;
  p.to = collection.to;
  p.max_examples = aging.max_examples;
  return p;
}

bool FastSumsFit(std::uint64_t magnitude, std::size_t rows) {
  // |value| <= magnitude + 1 <= 2^bits; every sum has at most `rows` terms
  // of |term| <= 2^(bits + 1) (outstanding is a difference).
  const int bits = magnitude == 0 ? 0 : 64 - __builtin_clzll(magnitude);
  const int row_bits = rows == 0 ? 0 : 64 - __builtin_clzll(static_cast<unsigned long long>(rows));
  return bits + 1 + row_bits < 63;
}

void ScanFast(const InvoicesColumns& c, std::size_t begin, std::size_t end, const Id* agroup,
              const Id* cgroup, const FastScanParams& params, FastScan* out) {
  const Day* invoice_date = c.invoice_date.data();
  const Day* due_date = c.due_date.data();
  const Money* amount = c.amount.data();
  const Money* paid_col = c.paid.data();
  const Day* paid_date = c.paid_date.data();
  const Day as_of = params.as_of;
  const std::int32_t* cut = params.cut;
  const Day* age_date = params.by_invoice_date ? invoice_date : due_date;
  RateSums* rs = out->rate.data();
  OpenBlocks& blocks = out->blocks;
  std::uint64_t magnitude = 0;
  std::int64_t known = 0, late = 0;
  std::uint64_t late_amount = 0;

  // Chunks small enough that the loops after the scan re-read them from L1/L2.
  constexpr std::size_t kChunk = 1024;
  std::unique_ptr<Money[]> outs(new Money[kChunk]);
  std::unique_ptr<std::uint32_t[]> open_rows(new std::uint32_t[kChunk]);
  // Open flags of a chunk, padded with zeros to a multiple of 8.
  std::unique_ptr<std::uint8_t[]> open_flags(new std::uint8_t[kChunk + 8]);
  for (std::size_t c0 = begin; c0 < end; c0 += kChunk) {
    const std::size_t c1 = std::min(end, c0 + kChunk);
    const std::size_t n = c1 - c0;
    // The first date gates the full check, so chunks of date-ordered rows
    // before as_of do not pay for it.
    if (invoice_date[c0] > as_of && AllAfter(invoice_date + c0, n, as_of)) continue;
    Money* const o = outs.get();
    // The open rows' group ids are read sparsely below; without this, perf
    // showed those loads missing cache (the sequential prefetcher never saw
    // the column).
    const Id* chunk_groups = agroup + (c0 - begin);
    for (std::size_t i = 0; i < n; i += 64 / sizeof(Id)) __builtin_prefetch(chunk_groups + i);
    ScanTotals chunk;
    ScanChunk(invoice_date + c0, amount + c0, paid_date + c0, paid_col + c0, n, as_of, o,
              &chunk);
    magnitude |= chunk.magnitude;
    known += chunk.known;
    late += chunk.late;
    late_amount += chunk.late_amount;
    const bool rare = chunk.rare != 0;
    // Before the open rows' pass: it streams due_date, which that pass reads
    // sparsely.
    CollectionChunk(due_date + c0, amount + c0, o, cgroup + (c0 - begin), n, params.from,
                    params.to, rs);
    // Open rows (about 1 in 10).
    std::uint8_t* const flags = open_flags.get();
    OpenFlags(o, n, flags);
    std::memset(flags + n, 0, 8);
    std::uint32_t* const idx = open_rows.get();
    const std::size_t k = OpenRows(flags, n, idx);
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t i = c0 + idx[j];
      const std::int32_t age = as_of - age_date[i];
      const auto bucket = static_cast<std::uint32_t>((age > cut[0]) + (age > cut[1]) +
                                                     (age > cut[2]) + (age > cut[3]));
      blocks.Push(OpenEntry{agroup[i - begin], bucket, o[idx[j]]});
    }
    if (rare && params.issues) [[unlikely]] {
      for (std::size_t i = c0; i < c1; ++i) {
        const Day pd = paid_date[i];
        if (invoice_date[i] > as_of) continue;
        const bool in_time = pd != kNoDate && pd <= as_of;
        if (in_time && pd < invoice_date[i]) {
          ++out->early;
          // Wraps; the magnitude bound rejects any case where it could.
          __builtin_add_overflow(out->early_amount, paid_col[i], &out->early_amount);
          AddExample(out->early_examples, params.max_examples, static_cast<std::int64_t>(i));
        }
        Money d = 0;
        __builtin_sub_overflow(amount[i], in_time ? paid_col[i] : 0, &d);  // wraps, as above
        if (d < 0) {
          ++out->overpaid;
          __builtin_sub_overflow(out->overpaid_amount, d, &out->overpaid_amount);
          AddExample(out->overpaid_examples, params.max_examples, static_cast<std::int64_t>(i));
        }
      }
    }
  }
  out->magnitude |= magnitude;
  out->known += known;
  out->late += late;
  out->late_amount += late_amount;
}

}  // namespace salesight::receivables_internal
