// Aging and collection: partial states, merging, finishing, and the threaded
// Compute* entry points (the hot loop is in kernel.cpp).
#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "core/internal/parallel.hpp"
#include "internal/receivables.hpp"
#include "salesight/receivables.hpp"

namespace salesight {

using receivables_internal::Int128;
using receivables_internal::UInt128;

namespace {

absl::Status AddChecked(Money& into, Money v, const char* what) {
  if (__builtin_add_overflow(into, v, &into)) {
    return absl::OutOfRangeError(absl::StrFormat("receivables: %s overflows int64", what));
  }
  return absl::OkStatus();
}

void MergeExamples(std::vector<std::int64_t>& into, const std::vector<std::int64_t>& from,
                   std::size_t limit) {
  std::vector<std::int64_t> all(into);
  all.insert(all.end(), from.begin(), from.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  if (all.size() > limit) all.resize(limit);
  into = std::move(all);
}

absl::Status MergeIssues(ReceivablesIssues& into, const ReceivablesIssues& from,
                         std::size_t max_examples) {
  into.invoices_after_as_of += from.invoices_after_as_of;
  into.payments_after_as_of += from.payments_after_as_of;
  SALESIGHT_RETURN_IF_ERROR(AddChecked(into.payments_after_as_of_amount,
                                       from.payments_after_as_of_amount,
                                       "the amount of payments after as_of"));
  into.overpaid_invoices += from.overpaid_invoices;
  SALESIGHT_RETURN_IF_ERROR(
      AddChecked(into.overpaid_amount, from.overpaid_amount, "the overpaid amount"));
  into.early_payments += from.early_payments;
  SALESIGHT_RETURN_IF_ERROR(AddChecked(into.early_payment_amount, from.early_payment_amount,
                                       "the amount of early payments"));
  MergeExamples(into.overpaid_examples, from.overpaid_examples, max_examples);
  MergeExamples(into.early_payment_examples, from.early_payment_examples, max_examples);
  return absl::OkStatus();
}

Int128 AmountDays(const CollectionSums& s) {
  return static_cast<Int128>(
      (static_cast<UInt128>(static_cast<std::uint64_t>(s.amount_days_hi)) << 64) |
      s.amount_days_lo);
}

// `label` names the group (its code as given).
template <typename Label>
absl::Status MergeSums(CollectionSums& a, const CollectionSums& b, const Label& label) {
  bool bad = false;
  a.invoices_due += b.invoices_due;
  bad |= __builtin_add_overflow(a.billed, b.billed, &a.billed);
  bad |= __builtin_add_overflow(a.collected, b.collected, &a.collected);
  a.payable_invoices += b.payable_invoices;
  a.on_time_invoices += b.on_time_invoices;
  a.paid_invoices += b.paid_invoices;
  a.days_to_pay_sum += b.days_to_pay_sum;
  bad |= __builtin_add_overflow(a.paid_amount, b.paid_amount, &a.paid_amount);
  const Int128 ad = AmountDays(a) + AmountDays(b);
  a.amount_days_lo = static_cast<std::uint64_t>(ad);
  a.amount_days_hi = static_cast<std::int64_t>(ad >> 64);
  a.invoiced += b.invoiced;
  bad |= __builtin_add_overflow(a.credit_sales, b.credit_sales, &a.credit_sales);
  bad |= __builtin_add_overflow(a.ar_beginning, b.ar_beginning, &a.ar_beginning);
  bad |= __builtin_add_overflow(a.ar_ending, b.ar_ending, &a.ar_ending);
  bad |= __builtin_add_overflow(a.ar_ending_current, b.ar_ending_current, &a.ar_ending_current);
  if (bad) {
    return absl::OutOfRangeError(
        absl::StrFormat("collection: a money sum of %s overflows int64", label()));
  }
  return absl::OkStatus();
}

std::optional<double> Ratio(double num, double den) {
  if (den == 0) return std::nullopt;
  return num / den;
}

void FinishRow(CollectionRow& r, const CollectionResult& res) {
  const CollectionSums& s = r.sums;
  r.collection_rate = Ratio(static_cast<double>(s.collected), static_cast<double>(s.billed));
  if (res.rate_only) return;
  if (res.from != kNoDate && s.credit_sales > 0) {
    const double days = static_cast<double>(res.to) - static_cast<double>(res.from) + 1.0;
    r.dso = static_cast<double>(s.ar_ending) / static_cast<double>(s.credit_sales) * days;
  }
  // Exact integer numerator and denominator (each term <= 9.2e18, so Int128).
  const Int128 base = static_cast<Int128>(s.ar_beginning) + s.credit_sales;
  const Int128 den = base - s.ar_ending_current;
  if (den != 0) {
    r.cei = static_cast<double>(base - s.ar_ending) / static_cast<double>(den) * 100.0;
  }
  if (s.paid_invoices > 0) {
    if (res.days_to_pay == DaysToPayMean::kPlain) {
      r.avg_days_to_pay =
          static_cast<double>(s.days_to_pay_sum) / static_cast<double>(s.paid_invoices);
    } else if (s.paid_amount > 0) {
      r.avg_days_to_pay =
          static_cast<double>(AmountDays(s)) / static_cast<double>(s.paid_amount);
    }
  }
  r.on_time_rate = Ratio(static_cast<double>(s.on_time_invoices),
                         static_cast<double>(s.payable_invoices));
}

// Runs `make(begin, end)` for num_threads contiguous ranges and merges the
// partials in range order.
template <typename Partial, typename Make, typename Merge>
absl::StatusOr<Partial> SplitAndMerge(std::size_t n, int num_threads, Make make, Merge merge) {
  const std::size_t threads = internal::ThreadsForRows(num_threads, n);
  std::vector<absl::StatusOr<Partial>> parts(threads);
  auto run = [&](std::size_t t) { parts[t] = make(n * t / threads, n * (t + 1) / threads); };
  {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run, t);
    run(0);
    for (std::thread& th : pool) th.join();
  }
  for (auto& p : parts) SALESIGHT_RETURN_IF_ERROR(p.status());
  Partial out = std::move(*parts[0]);
  for (std::size_t t = 1; t < threads; ++t) SALESIGHT_RETURN_IF_ERROR(merge(out, *parts[t]));
  return out;
}

}  // namespace

// ---------------------------------------------------------------- aging

namespace {

// The partial of rows [begin, end) with the group already resolved.
absl::StatusOr<AgingPartial> AgingRange(const Dataset& data, const Invoices& invoices,
                                        const receivables_internal::GroupDimension& group,
                                        std::size_t begin, std::size_t end,
                                        const AgingOptions& options) {
  AgingPartial p = receivables_internal::NewAgingPartial(invoices, group, options);
  const receivables_internal::GroupSlots slots(group, begin, end);
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::Accumulate(
      invoices, data.payments(), begin, end, &p, slots.data(), nullptr, nullptr));
  return p;
}

absl::StatusOr<CollectionPartial> CollectionRange(
    const Dataset& data, const Invoices& invoices,
    const receivables_internal::GroupDimension& group, std::size_t begin, std::size_t end,
    const CollectionOptions& options) {
  CollectionPartial p = receivables_internal::NewCollectionPartial(invoices, group, options);
  const receivables_internal::GroupSlots slots(group, begin, end);
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::Accumulate(
      invoices, data.payments(), begin, end, nullptr, nullptr, &p, slots.data()));
  return p;
}

}  // namespace

absl::StatusOr<AgingPartial> PartialAging(const Dataset& data, std::size_t begin,
                                          std::size_t end, const AgingOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Invoices* invoices,
                             receivables_internal::InvoicesOf(data, "aging"));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::ValidateAging(options));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::CheckRange(*invoices, begin, end, "aging"));
  SALESIGHT_ASSIGN_OR_RETURN(const receivables_internal::GroupDimension group,
                             receivables_internal::ResolveGroup(data, options.group_by, "aging"));
  return AgingRange(data, *invoices, group, begin, end, options);
}

absl::Status MergeAging(AgingPartial& into, const AgingPartial& from) {
  if (into.as_of != from.as_of || into.age_basis != from.age_basis ||
      into.cutoffs != from.cutoffs || into.group_by != from.group_by ||
      into.overdue_top_n != from.overdue_top_n || into.max_examples != from.max_examples) {
    return absl::InvalidArgumentError("MergeAging: the partials were built with different options");
  }
  if (into.money_scale != from.money_scale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "MergeAging: money scales differ (%d vs %d)", into.money_scale, from.money_scale));
  }
  // Both group lists are ascending: a linear merge.
  const std::size_t nb = into.cutoffs.size() + 1;
  std::vector<Id> groups;
  std::vector<Money> cells;
  groups.reserve(into.groups.size() + from.groups.size());
  cells.reserve(into.cells.size() + from.cells.size());
  std::size_t i = 0, j = 0;
  while (i < into.groups.size() || j < from.groups.size()) {
    const bool take_a = j == from.groups.size() ||
                        (i < into.groups.size() && into.groups[i] <= from.groups[j]);
    const bool take_b = i == into.groups.size() ||
                        (j < from.groups.size() && from.groups[j] <= into.groups[i]);
    const Id g = take_a ? into.groups[i] : from.groups[j];
    groups.push_back(g);
    const std::size_t at = cells.size();
    if (take_a) {
      cells.insert(cells.end(), into.cells.begin() + static_cast<std::ptrdiff_t>(i * nb),
                   into.cells.begin() + static_cast<std::ptrdiff_t>((i + 1) * nb));
    } else {
      cells.resize(at + nb, 0);
    }
    if (take_b) {
      for (std::size_t b = 0; b < nb; ++b) {
        if (__builtin_add_overflow(cells[at + b], from.cells[j * nb + b], &cells[at + b])) {
          return absl::OutOfRangeError(
              absl::StrFormat("aging: outstanding of %s '%s' overflows int64", into.group_by,
                              DimensionLabel(into.group_codes, g)));
        }
      }
    }
    i += take_a;
    j += take_b;
  }
  into.groups = std::move(groups);
  into.cells = std::move(cells);
  into.invoices += from.invoices;
  into.open_invoices += from.open_invoices;
  if (into.overdue_top_n > 0) {
    into.overdue.insert(into.overdue.end(), from.overdue.begin(), from.overdue.end());
    if (into.overdue_top_n != kAllOverdue) {
      std::sort(into.overdue.begin(), into.overdue.end(), receivables_internal::OverdueBefore);
      if (into.overdue.size() > into.overdue_top_n) into.overdue.resize(into.overdue_top_n);
    }
  }
  if (!into.group_codes) into.group_codes = from.group_codes;
  if (!into.invoice_codes) into.invoice_codes = from.invoice_codes;
  if (!into.customer_codes) into.customer_codes = from.customer_codes;
  return MergeIssues(into.issues, from.issues, into.max_examples);
}

absl::StatusOr<AgingResult> FinishAging(AgingPartial partial, const AgingOptions& options) {
  (void)options;  // every aging choice is already in the partial
  AgingResult r;
  r.as_of = partial.as_of;
  r.age_basis = partial.age_basis;
  r.cutoffs = partial.cutoffs;
  r.group_by = partial.group_by;
  r.money_scale = partial.money_scale;
  const std::size_t nb = r.cutoffs.size() + 1;
  for (std::size_t b = 0; b < nb; ++b) {
    r.bucket_names.push_back(receivables_internal::BucketName(r.cutoffs, b));
  }
  r.bucket_totals.assign(nb, 0);
  const std::size_t rows = partial.groups.size();
  r.groups = std::move(partial.groups);
  r.amounts = std::move(partial.cells);
  r.totals.resize(rows);
  Money* bucket_totals = r.bucket_totals.data();
  bool bad = false;
  for (std::size_t k = 0; k < rows; ++k) {
    const Money* row = r.amounts.data() + k * nb;
    Money total = 0;
    for (std::size_t b = 0; b < nb; ++b) {
      bad |= __builtin_add_overflow(total, row[b], &total);
      bad |= __builtin_add_overflow(bucket_totals[b], row[b], &bucket_totals[b]);
    }
    bad |= __builtin_add_overflow(r.total, total, &r.total);
    r.totals[k] = total;
  }
  if (bad) {
    for (std::size_t k = 0; k < rows; ++k) {
      Money total = 0;
      for (std::size_t b = 0; b < nb; ++b) {
        if (__builtin_add_overflow(total, r.amounts[k * nb + b], &total)) {
          return absl::OutOfRangeError(
              absl::StrFormat("aging: the total outstanding of %s '%s' overflows int64",
                              r.group_by, DimensionLabel(r.group_codes, r.groups[k])));
        }
      }
    }
    return absl::OutOfRangeError("aging: the total outstanding over all groups overflows int64");
  }
  r.invoices = partial.invoices;
  r.open_invoices = partial.open_invoices;
  r.overdue = std::move(partial.overdue);
  std::sort(r.overdue.begin(), r.overdue.end(), receivables_internal::OverdueBefore);
  if (partial.overdue_top_n != kAllOverdue && r.overdue.size() > partial.overdue_top_n) {
    r.overdue.resize(partial.overdue_top_n);
  }
  r.issues = std::move(partial.issues);
  r.group_codes = partial.group_codes;
  r.invoice_codes = partial.invoice_codes;
  r.customer_codes = partial.customer_codes;
  return r;
}

absl::StatusOr<AgingResult> ComputeAging(const Dataset& data, const AgingOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Invoices* invoices,
                             receivables_internal::InvoicesOf(data, "aging"));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::ValidateAging(options));
  SALESIGHT_ASSIGN_OR_RETURN(const receivables_internal::GroupDimension group,
                             receivables_internal::ResolveGroup(data, options.group_by, "aging"));
  SALESIGHT_ASSIGN_OR_RETURN(
      AgingPartial p,
      SplitAndMerge<AgingPartial>(
          invoices->size(), options.num_threads,
          [&](std::size_t b, std::size_t e) {
            return AgingRange(data, *invoices, group, b, e, options);
          },
          [](AgingPartial& into, const AgingPartial& from) { return MergeAging(into, from); }));
  return FinishAging(std::move(p), options);
}

// ---------------------------------------------------------------- collection

absl::StatusOr<CollectionPartial> PartialCollection(const Dataset& data, std::size_t begin,
                                                    std::size_t end,
                                                    const CollectionOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Invoices* invoices,
                             receivables_internal::InvoicesOf(data, "collection"));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::ValidateCollection(options));
  SALESIGHT_RETURN_IF_ERROR(
      receivables_internal::CheckRange(*invoices, begin, end, "collection"));
  SALESIGHT_ASSIGN_OR_RETURN(
      const receivables_internal::GroupDimension group,
      receivables_internal::ResolveGroup(data, options.group_by, "collection"));
  return CollectionRange(data, *invoices, group, begin, end, options);
}

absl::Status MergeCollection(CollectionPartial& into, const CollectionPartial& from) {
  if (into.from != from.from || into.to != from.to || into.as_of != from.as_of ||
      into.group_by != from.group_by || into.rate_only != from.rate_only ||
      into.slot_offset != from.slot_offset) {
    return absl::InvalidArgumentError(
        "MergeCollection: the partials were built with different options");
  }
  if (into.money_scale != from.money_scale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "MergeCollection: money scales differ (%d vs %d)", into.money_scale, from.money_scale));
  }
  if (from.num_groups > into.num_groups) {
    into.sums.resize(static_cast<std::size_t>(from.num_groups));
    into.num_groups = from.num_groups;
  }
  for (std::size_t g = 0; g < from.sums.size(); ++g) {
    SALESIGHT_RETURN_IF_ERROR(MergeSums(into.sums[g], from.sums[g], [&] {
      return absl::StrCat(into.group_by, " '",
                          receivables_internal::SlotLabel(into.group_codes, into.slot_offset,
                                                          static_cast<std::int64_t>(g)),
                          "'");
    }));
  }
  if (!into.group_codes) into.group_codes = from.group_codes;
  return absl::OkStatus();
}

absl::StatusOr<CollectionResult> FinishCollection(CollectionPartial partial,
                                                  const CollectionOptions& options) {
  CollectionResult r;
  r.from = partial.from;
  r.to = partial.to;
  r.as_of = partial.as_of;
  r.rate_only = partial.rate_only;
  r.group_by = partial.group_by;
  r.days_to_pay = options.days_to_pay;
  r.money_scale = partial.money_scale;
  r.group_codes = partial.group_codes;
  for (std::size_t g = 0; g < partial.sums.size(); ++g) {
    const CollectionSums& s = partial.sums[g];
    SALESIGHT_RETURN_IF_ERROR(MergeSums(r.total.sums, s, [] { return std::string("all"); }));
    if (s.invoices_due == 0 && s.invoiced == 0 && s.ar_beginning == 0 && s.ar_ending == 0) {
      continue;
    }
    CollectionRow row;
    row.group = static_cast<Id>(static_cast<std::int64_t>(g) - partial.slot_offset);
    row.sums = s;
    FinishRow(row, r);
    r.rows.push_back(row);
  }
  FinishRow(r.total, r);
  return r;
}

absl::StatusOr<CollectionResult> ComputeCollection(const Dataset& data,
                                                   const CollectionOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Invoices* invoices,
                             receivables_internal::InvoicesOf(data, "collection"));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::ValidateCollection(options));
  SALESIGHT_ASSIGN_OR_RETURN(
      const receivables_internal::GroupDimension group,
      receivables_internal::ResolveGroup(data, options.group_by, "collection"));
  SALESIGHT_ASSIGN_OR_RETURN(
      CollectionPartial p,
      SplitAndMerge<CollectionPartial>(
          invoices->size(), options.num_threads,
          [&](std::size_t b, std::size_t e) {
            return CollectionRange(data, *invoices, group, b, e, options);
          },
          [](CollectionPartial& into, const CollectionPartial& from) {
            return MergeCollection(into, from);
          }));
  return FinishCollection(std::move(p), options);
}

// ---------------------------------------------------------------- fused

namespace {
struct BothPartials {
  AgingPartial aging;
  CollectionPartial collection;
};
}  // namespace

absl::StatusOr<ReceivablesResult> ComputeReceivables(const Dataset& data,
                                                     const AgingOptions& aging,
                                                     const CollectionOptions& collection) {
  using receivables_internal::GroupDimension;
  using receivables_internal::GroupSlots;
  SALESIGHT_ASSIGN_OR_RETURN(const Invoices* invoices,
                             receivables_internal::InvoicesOf(data, "aging"));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::ValidateAging(aging));
  SALESIGHT_RETURN_IF_ERROR(receivables_internal::ValidateCollection(collection));
  SALESIGHT_ASSIGN_OR_RETURN(const GroupDimension agroup,
                             receivables_internal::ResolveGroup(data, aging.group_by, "aging"));
  SALESIGHT_ASSIGN_OR_RETURN(
      const GroupDimension cgroup,
      receivables_internal::ResolveGroup(data, collection.group_by, "collection"));
  SALESIGHT_ASSIGN_OR_RETURN(
      BothPartials p,
      SplitAndMerge<BothPartials>(
          invoices->size(), aging.num_threads,
          [&](std::size_t b, std::size_t e) -> absl::StatusOr<BothPartials> {
            BothPartials both{
                receivables_internal::NewAgingPartial(*invoices, agroup, aging),
                receivables_internal::NewCollectionPartial(*invoices, cgroup, collection)};
            const GroupSlots aslots(agroup, b, e), cslots(cgroup, b, e);
            SALESIGHT_RETURN_IF_ERROR(receivables_internal::Accumulate(
                *invoices, data.payments(), b, e, &both.aging, aslots.data(), &both.collection,
                cslots.data()));
            return both;
          },
          [](BothPartials& into, const BothPartials& from) -> absl::Status {
            SALESIGHT_RETURN_IF_ERROR(MergeAging(into.aging, from.aging));
            return MergeCollection(into.collection, from.collection);
          }));
  ReceivablesResult r;
  SALESIGHT_ASSIGN_OR_RETURN(r.aging, FinishAging(std::move(p.aging), aging));
  SALESIGHT_ASSIGN_OR_RETURN(r.collection, FinishCollection(std::move(p.collection), collection));
  return r;
}

}  // namespace salesight
