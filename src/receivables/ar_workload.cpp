// ComputeArWorkload: WORKLOADS.md (d) as two result tables.
//
// The general route (ComputeReceivables: a partial state per thread, merged
// on one thread, then finished and copied into the tables) spent the second
// thread's gain after the threads finished: the merge and compaction of open
// invoices on one thread, and fresh large buffers per step (page faults,
// unmapping and TLB flushes were 14% of the samples at 2 threads). For the
// workload's own shape (the invoices' paid / paid_date columns, no Payments
// table) the threads instead run, each on its share:
//   1. the row pass (fast_scan.cpp) over slices of rows: open invoices by block;
//   2. the count of distinct groups in a range of blocks, over every thread's
//      entries (blocks are disjoint id ranges, so no merge is needed);
//   3. the allocation (zeroing, first touch) of some of the output columns;
//   4. the compaction of its blocks straight into the output columns.
// Outputs are identical to the general route's (ReceivablesWorkloadTest in
// tests/unit/receivables/receivables_reference_test.cpp); data whose sums
// could overflow takes that route, so its errors are the general ones.
#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <optional>

#include "core/internal/parallel.hpp"
#include "internal/fast_scan.hpp"
#include "internal/receivables.hpp"
#include "salesight/receivables.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using receivables_internal::FastScan;
using receivables_internal::GroupDimension;
using receivables_internal::GroupSlots;
using receivables_internal::kBlockBits;
using receivables_internal::kBlockSlots;
using receivables_internal::OpenEntry;

constexpr std::size_t kBuckets = 5;
constexpr const char* kBucketColumns[kBuckets] = {"b_current", "b_1_30", "b_31_60", "b_61_90",
                                                  "b_over_90"};
// customer_id, the buckets, total.
constexpr std::size_t kCustomerColumns = kBuckets + 2;
// Rows per slice of the row pass: ~150 slices at 10^7 rows (the counter is
// touched rarely), each long enough for the prefetchers to stream.
constexpr std::size_t kSliceRows = std::size_t{1} << 16;

std::array<ResultColumn*, kCustomerColumns> AddCustomerColumns(ResultTable& t, int money_scale) {
  std::array<ResultColumn*, kCustomerColumns> cols{};
  cols[0] = &t.AddInt64("customer_id");
  for (std::size_t b = 0; b < kBuckets; ++b) cols[b + 1] = &t.AddMoney(kBucketColumns[b], money_scale);
  cols[kBuckets + 1] = &t.AddMoney("total", money_scale);
  return cols;
}

ResultTable SalespersonTable(const CollectionResult& c) {
  ResultTable t;
  ResultColumn& id = t.AddInt64("salesperson_id");
  ResultColumn& billed = t.AddMoney("billed", c.money_scale);
  ResultColumn& collected = t.AddMoney("collected", c.money_scale);
  ResultColumn& rate = t.AddDouble("collection_rate");
  for (const CollectionRow& row : c.rows) {
    if (row.sums.invoices_due == 0) continue;  // SQL: GROUP BY over due invoices only
    id.ints.push_back(row.group);
    billed.ints.push_back(row.sums.billed);
    collected.ints.push_back(row.sums.collected);
    rate.doubles.push_back(row.collection_rate.value_or(0.0));
    rate.valid.push_back(row.collection_rate.has_value() ? 1 : 0);
  }
  return t;
}

absl::StatusOr<ArWorkloadTables> GeneralRoute(const Dataset& data, const AgingOptions& aging,
                                              const CollectionOptions& collection) {
  SALESIGHT_ASSIGN_OR_RETURN(ReceivablesResult r, ComputeReceivables(data, aging, collection));
  ArWorkloadTables out;
  const AgingResult& a = r.aging;
  const auto cols = AddCustomerColumns(out.ar_customer, a.money_scale);
  cols[0]->ints.assign(a.groups.begin(), a.groups.end());
  for (std::size_t b = 0; b < kBuckets; ++b) {
    LargeVector<std::int64_t>& col = cols[b + 1]->ints;
    col.reserve(a.groups.size());
    for (std::size_t g = 0; g < a.groups.size(); ++g) col.push_back(a.amount(g, b));
  }
  cols[kBuckets + 1]->ints.assign(a.totals.begin(), a.totals.end());
  out.ar_salesperson = SalespersonTable(r.collection);
  return out;
}

// Runs fn(t) on `threads` threads; an exception (out of memory) is rethrown
// on the calling thread, where the C ABI's guard and the CLI handle it.
template <typename Fn>
void Phase(std::size_t threads, Fn&& fn) {
  std::vector<std::exception_ptr> errors(threads);
  internal::RunOnThreads(threads, [&](std::size_t t) {
    try {
      fn(t);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  });
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// Entries of block b from every thread's scan (empty where a scan has fewer).
template <typename Fn>
void ForEachEntry(const std::vector<std::optional<FastScan>>& scans, std::size_t b, Fn&& fn) {
  for (const std::optional<FastScan>& s : scans) {
    if (b >= s->blocks.num_blocks()) continue;
    for (const OpenEntry& e : s->blocks.block(b)) fn(e);
  }
}

// The threaded route; nullopt when a sum could overflow (take the general one).
std::optional<ArWorkloadTables> ThreadedRoute(const Invoices& invoices, const GroupDimension& agroup,
                                              const GroupDimension& cgroup,
                                              const AgingOptions& aging,
                                              const CollectionOptions& collection,
                                              std::size_t threads) {
  const std::size_t n = invoices.size();
  const AgingPartial ap = receivables_internal::NewAgingPartial(invoices, agroup, aging);
  CollectionPartial cp = receivables_internal::NewCollectionPartial(invoices, cgroup, collection);
  receivables_internal::FastScanParams params = receivables_internal::MakeFastScanParams(ap, cp);
  params.issues = false;  // the workload has no issues table

  // 1. Row pass, in slices taken from a shared counter rather than one half
  // each: rows invoiced after as_of cost almost nothing (ScanFast skips
  // them), and they sit at the end of date-ordered invoices, so equal halves
  // left the first thread with most of the work. Sums are exact and the
  // compaction orders by group, so the outputs do not depend on the split.
  std::vector<std::optional<FastScan>> scans(threads);
  std::atomic<std::size_t> next_slice{0};
  Phase(threads, [&](std::size_t t) {
    scans[t].emplace(static_cast<std::size_t>(agroup.num_slots), n / threads, cp.sums.size());
    for (;;) {
      const std::size_t b = next_slice.fetch_add(kSliceRows, std::memory_order_relaxed);
      if (b >= n) break;
      const std::size_t e = std::min(n, b + kSliceRows);
      const GroupSlots aslots(agroup, b, e), cslots(cgroup, b, e);
      receivables_internal::ScanFast(invoices.columns(), b, e, aslots.data(), cslots.data(),
                                     params, &*scans[t]);
    }
  });
  std::uint64_t magnitude = 0;
  std::size_t nblocks = 0;
  for (const std::optional<FastScan>& s : scans) {
    magnitude |= s->magnitude;
    nblocks = std::max(nblocks, s->blocks.num_blocks());
  }
  if (!receivables_internal::FastSumsFit(magnitude, n)) return std::nullopt;

  // 2. Distinct groups per block; the output rows of block b start at offset[b].
  std::vector<std::size_t> offset(nblocks + 1, 0);
  Phase(threads, [&](std::size_t t) {
    for (std::size_t b = internal::RangeBegin(nblocks, t, threads);
         b < internal::RangeBegin(nblocks, t + 1, threads); ++b) {
      std::uint64_t seen[kBlockSlots / 64] = {};
      ForEachEntry(scans, b, [&](const OpenEntry& e) {
        const auto l = static_cast<std::size_t>(e.group) & (kBlockSlots - 1);
        seen[l / 64] |= std::uint64_t{1} << (l % 64);
      });
      std::size_t count = 0;
      for (const std::uint64_t w : seen) count += static_cast<std::size_t>(__builtin_popcountll(w));
      offset[b + 1] = count;
    }
  });
  for (std::size_t b = 0; b < nblocks; ++b) offset[b + 1] += offset[b];
  const std::size_t rows = offset[nblocks];

  // 3. Output columns, each zeroed (and first touched) by one thread.
  ArWorkloadTables out;
  const auto cols = AddCustomerColumns(out.ar_customer, ap.money_scale);
  Phase(threads, [&](std::size_t t) {
    for (std::size_t c = t; c < kCustomerColumns; c += threads) cols[c]->ints.resize(rows);
  });

  // 4. Compaction: each block's sums in a dense cache-resident array, its
  // groups written in ascending id order (the general route's order).
  const std::size_t nb = ap.cutoffs.size() + 1;
  Phase(threads, [&](std::size_t t) {
    std::vector<Money> local(kBlockSlots * nb, 0);
    std::int64_t* out_cols[kCustomerColumns];
    for (std::size_t c = 0; c < kCustomerColumns; ++c) out_cols[c] = cols[c]->ints.data();
    for (std::size_t b = internal::RangeBegin(nblocks, t, threads);
         b < internal::RangeBegin(nblocks, t + 1, threads); ++b) {
      std::uint64_t seen[kBlockSlots / 64] = {};
      // No overflow: FastSumsFit bounds every sum over the n rows.
      ForEachEntry(scans, b, [&](const OpenEntry& e) {
        const auto l = static_cast<std::size_t>(e.group) & (kBlockSlots - 1);
        local[l * nb + e.bucket] += e.amount;
        seen[l / 64] |= std::uint64_t{1} << (l % 64);
      });
      std::size_t row = offset[b];
      for (std::size_t w = 0; w < kBlockSlots / 64; ++w) {
        for (std::uint64_t m = seen[w]; m != 0; m &= m - 1) {
          const std::size_t l = w * 64 + static_cast<std::size_t>(__builtin_ctzll(m));
          out_cols[0][row] = static_cast<std::int64_t>((b << kBlockBits) | l) - ap.slot_offset;
          Money* cell = local.data() + l * nb;
          Money total = 0;
          for (std::size_t k = 0; k < nb; ++k) {
            out_cols[k + 1][row] = cell[k];
            total += cell[k];
            cell[k] = 0;
          }
          out_cols[kBuckets + 1][row] = total;
          ++row;
        }
      }
    }
  });

  // Collection: a few groups (salespeople), summed over the threads.
  for (std::size_t g = 0; g < cp.sums.size(); ++g) {
    receivables_internal::RateSums sum;
    for (const std::optional<FastScan>& s : scans) {
      sum.invoices_due += s->rate[g].invoices_due;
      sum.billed += s->rate[g].billed;
      sum.collected += s->rate[g].collected;
    }
    cp.sums[g].invoices_due = sum.invoices_due;
    cp.sums[g].billed = static_cast<Money>(sum.billed);
    cp.sums[g].collected = static_cast<Money>(sum.collected);
  }
  absl::StatusOr<CollectionResult> c = FinishCollection(std::move(cp), collection);
  if (!c.ok()) return std::nullopt;  // not reachable under FastSumsFit; the general route decides
  out.ar_salesperson = SalespersonTable(*c);
  return out;
}

}  // namespace

absl::StatusOr<ArWorkloadTables> ComputeArWorkload(const Dataset& data, Day as_of,
                                                   int num_threads) {
  AgingOptions aging;
  aging.as_of = as_of;
  aging.overdue_top_n = 0;
  aging.num_threads = num_threads;
  aging.group_by = "customer";
  CollectionOptions collection;
  collection.as_of = as_of;
  collection.group_by = "salesperson";
  collection.rate_only = true;
  const Invoices* invoices = data.invoices();
  const bool threaded_shape = invoices != nullptr && invoices->size() > 0 &&
                              data.payments() == nullptr &&
                              !invoices->columns().paid_date.empty() &&
                              aging.cutoffs.size() + 1 == kBuckets && as_of != kNoDate;
  if (threaded_shape) {
    SALESIGHT_ASSIGN_OR_RETURN(const GroupDimension agroup,
                               receivables_internal::ResolveGroup(data, aging.group_by, "aging"));
    SALESIGHT_ASSIGN_OR_RETURN(
        const GroupDimension cgroup,
        receivables_internal::ResolveGroup(data, collection.group_by, "collection"));
    const std::size_t threads = internal::ThreadsForRows(num_threads, invoices->size());
    std::optional<ArWorkloadTables> out =
        ThreadedRoute(*invoices, agroup, cgroup, aging, collection, threads);
    if (out) return *std::move(out);
  }
  return GeneralRoute(data, aging, collection);
}

}  // namespace salesight
