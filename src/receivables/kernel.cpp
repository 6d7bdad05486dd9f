// The receivables hot loop: ONE pass over a range of invoice rows that works
// out each invoice's payments as of the needed dates and adds it to the aging
// buckets and/or the collection sums of its group. Groups are dense arrays
// indexed by id (no hashing); the payment source is a template parameter so
// the common single-payment summary columns (WORKLOADS format) compile to a
// branch-light straight line.
#include <algorithm>
#include <limits>
#include <memory>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/fast_scan.hpp"
#include "internal/receivables.hpp"

namespace salesight::receivables_internal {
namespace {

// No payment information at all.
struct NoPaymentSource {
  template <typename F>
  void ForEach(std::size_t /*row*/, F&& /*f*/) const {}
};

// The invoices' paid / paid_date columns: one payment per invoice at most.
struct SummarySource {
  const Money* paid;
  const Day* paid_date;
  template <typename F>
  void ForEach(std::size_t row, F&& f) const {
    const Day d = paid_date[row];
    if (d != kNoDate) f(d, paid[row]);
  }
};

// A Payments table gathered for the range.
struct TableSource {
  const std::int64_t* offsets;
  const Day* dates;
  const Money* amounts;
  std::size_t begin;
  template <typename F>
  void ForEach(std::size_t row, F&& f) const {
    const std::size_t k = row - begin;
    for (std::int64_t p = offsets[k]; p < offsets[k + 1]; ++p) {
      f(dates[static_cast<std::size_t>(p)], amounts[static_cast<std::size_t>(p)]);
    }
  }
};

// Aging state of one range, kept in locals the compiler can hold in registers.
struct AgingCtx {
  AgingPartial* p;
  Day as_of;
  bool by_invoice_date;
  std::size_t nb;
  std::vector<std::uint16_t> lut;  // bucket of clamp(age, lo, hi) - lo
  std::int32_t lo = 0, hi = 0;
  const std::int32_t* cut = nullptr;
  std::size_t ncut = 0;

  std::size_t Bucket(std::int32_t age) const {
    if (!lut.empty()) {
      const std::int32_t a = std::min(std::max(age, lo), hi);
      return lut[static_cast<std::size_t>(a - lo)];
    }
    return static_cast<std::size_t>(std::lower_bound(cut, cut + ncut, age) - cut);
  }
};

AgingCtx MakeAgingCtx(AgingPartial* p) {
  AgingCtx a;
  a.p = p;
  a.as_of = p->as_of;
  a.by_invoice_date = p->age_basis == AgeBasis::kInvoiceDate;
  a.nb = p->cutoffs.size() + 1;
  a.cut = p->cutoffs.data();
  a.ncut = p->cutoffs.size();
  const std::int64_t span =
      static_cast<std::int64_t>(p->cutoffs.back()) - p->cutoffs.front() + 2;
  if (span <= (std::int64_t{1} << 16)) {
    // Ages <= c_0 share bucket 0 and ages > c_last share the last bucket, so a
    // clamped table over [c_0, c_last + 1] is exact.
    a.lo = p->cutoffs.front();
    a.hi = p->cutoffs.back() + 1;
    a.lut.resize(static_cast<std::size_t>(span));
    for (std::int32_t age = a.lo; age <= a.hi; ++age) {
      a.lut[static_cast<std::size_t>(age - a.lo)] = static_cast<std::uint16_t>(
          std::lower_bound(a.cut, a.cut + a.ncut, age) - a.cut);
    }
  }
  return a;
}

// The generic kernel's open entries, by block (fast_scan.hpp: why blocks).
using Blocks = std::vector<std::vector<OpenEntry>>;

template <typename BlockList>
absl::Status Compact(const BlockList& blocks, std::size_t entries, std::size_t nb,
                     AgingPartial* p) {
  if (entries == 0) return absl::OkStatus();
  constexpr std::size_t kBlock = std::size_t{1} << kBlockBits;
  const std::size_t max_rows = std::min(entries, blocks.size() * kBlock);
  p->groups.reserve(p->groups.size() + max_rows);
  p->cells.reserve(p->cells.size() + max_rows * nb);
  std::vector<Money> local(kBlock * nb, 0);
  std::vector<std::uint32_t> count(kBlock, 0);
  for (std::size_t part = 0; part < blocks.size(); ++part) {
    if (blocks[part].empty()) continue;
    for (const OpenEntry& e : blocks[part]) {
      const std::size_t l = static_cast<std::size_t>(e.group) & (kBlock - 1);
      Money& cell = local[l * nb + e.bucket];
      if (__builtin_add_overflow(cell, e.amount, &cell)) [[unlikely]] {
        return absl::OutOfRangeError(absl::StrFormat(
            "receivables: outstanding of %s '%s' overflows int64", p->group_by,
            SlotLabel(p->group_codes, p->slot_offset, e.group)));
      }
      ++count[l];
    }
    for (std::size_t l = 0; l < kBlock; ++l) {
      if (count[l] == 0) continue;
      count[l] = 0;
      p->groups.push_back(static_cast<Id>((part << kBlockBits) | l) - p->slot_offset);
      Money* row = local.data() + l * nb;
      p->cells.insert(p->cells.end(), row, row + nb);
      std::fill(row, row + nb, 0);
    }
  }
  return absl::OkStatus();
}

// Names the group as given (its code), never by its internal id.
template <typename Partial>
absl::Status Overflow(const char* what, const Partial& p, Id slot, std::size_t row) {
  return absl::OutOfRangeError(absl::StrFormat(
      "receivables: %s of %s '%s' overflows int64 (at invoice row %d)", what,
      p.group_by.empty() ? std::string("all") : p.group_by,
      SlotLabel(p.group_codes, p.slot_offset, slot), row));
}

template <bool kAging, bool kCollection, bool kRateOnly, typename Source>
absl::Status Run(const Invoices& invoices, const Source& src, std::size_t begin, std::size_t end,
                 AgingPartial* ap, const Id* agroup, CollectionPartial* cp, const Id* cgroup) {
  const InvoicesColumns& c = invoices.columns();
  const Day* invoice_date = c.invoice_date.data();
  const Day* due_date = c.due_date.data();
  const Money* amount = c.amount.data();

  // ---- aging locals
  AgingCtx a;
  Blocks blocks;
  // Counters in locals (not through `issues`), so they can live in registers.
  std::int64_t invoices_known = 0, open = 0, after_as_of = 0, late = 0, early = 0, overpaid = 0;
  Money late_amount = 0, early_amount = 0, overpaid_amount = 0;
  ReceivablesIssues* issues = nullptr;
  std::vector<OverdueInvoice>* overdue = nullptr;
  std::size_t top_n = 0;
  if constexpr (kAging) {
    a = MakeAgingCtx(ap);
    issues = &ap->issues;
    overdue = &ap->overdue;
    top_n = ap->overdue_top_n;
  }
  // ---- collection locals
  CollectionSums* sums = nullptr;
  Day from = kNoDate, to = kNoDate, cas_of = kNoDate, before_from = kNoDate;
  bool has_from = false;
  if constexpr (kCollection) {
    sums = cp->sums.data();
    has_from = cp->from != kNoDate;
    from = has_from ? cp->from : kMinDay - 1;
    before_from = from - 1;
    to = cp->to;
    cas_of = cp->as_of;
  }

  for (std::size_t i = begin; i < end; ++i) {
    const Day idate = invoice_date[i];
    const Day due = due_date[i];
    const Money amt = amount[i];
    if constexpr (kAging) {
      if (idate > a.as_of) {
        ++after_as_of;
      } else {
        ++invoices_known;
        Money paid = 0;
        bool bad = false;
        src.ForEach(i, [&](Day d, Money m) {
          if (d <= a.as_of) {
            bad |= __builtin_add_overflow(paid, m, &paid);
            if (d < idate) [[unlikely]] {
              ++early;
              bad |= __builtin_add_overflow(early_amount, m, &early_amount);
              AddExample(issues->early_payment_examples, ap->max_examples,
                         static_cast<std::int64_t>(i));
            }
          } else {
            ++late;
            bad |= __builtin_add_overflow(late_amount, m, &late_amount);
          }
        });
        Money out = 0;
        bad |= __builtin_sub_overflow(amt, paid, &out);
        const Id g = agroup ? agroup[i - begin] : 0;
        if (bad) [[unlikely]] {
          return Overflow("paid amount", *ap, g, i);
        }
        if (out > 0) {
          ++open;
          const std::int32_t age = a.as_of - (a.by_invoice_date ? idate : due);
          const auto block = static_cast<std::size_t>(g) >> kBlockBits;
          if (block >= blocks.size()) [[unlikely]] blocks.resize(block + 1);
          blocks[block].push_back(OpenEntry{g, static_cast<std::uint32_t>(a.Bucket(age)), out});
          const std::int32_t dpd = a.as_of - due;
          if (dpd > 0 && top_n > 0) {
            OverdueInvoice o{static_cast<std::int64_t>(i), c.invoice[i], c.customer[i], due, amt,
                             out, dpd};
            if (top_n == kAllOverdue) {
              overdue->push_back(o);
            } else if (overdue->size() < top_n) {
              overdue->push_back(o);
              std::push_heap(overdue->begin(), overdue->end(), OverdueBefore);
            } else if (OverdueBefore(o, overdue->front())) {
              // The heap's front is the worst kept entry.
              std::pop_heap(overdue->begin(), overdue->end(), OverdueBefore);
              overdue->back() = o;
              std::push_heap(overdue->begin(), overdue->end(), OverdueBefore);
            }
          }
        } else if (out < 0) {
          ++overpaid;
          if (__builtin_sub_overflow(overpaid_amount, out, &overpaid_amount)) {
            return Overflow("overpaid amount", *ap, g, i);
          }
          AddExample(issues->overpaid_examples, ap->max_examples, static_cast<std::int64_t>(i));
        }
      }
    }
    if constexpr (kCollection && kRateOnly) {
      if (due >= from && due <= to) {
        Money paid_as_of = 0;
        bool bad = false;
        src.ForEach(i, [&](Day d, Money m) {
          if (d <= cas_of) bad |= __builtin_add_overflow(paid_as_of, m, &paid_as_of);
        });
        const Id g = cgroup ? cgroup[i - begin] : 0;
        CollectionSums& s = sums[static_cast<std::size_t>(g)];
        ++s.invoices_due;
        bad |= __builtin_add_overflow(s.billed, amt, &s.billed);
        bad |= __builtin_add_overflow(s.collected, paid_as_of, &s.collected);
        if (bad) [[unlikely]] {
          return Overflow("a collection sum", *cp, g, i);
        }
      }
    }
    if constexpr (kCollection && !kRateOnly) {
      // Everything in scope has invoice_date <= to (due set: idate <= due <= to).
      if (idate <= to) {
        Money paid_as_of = 0, paid_to = 0, paid_before = 0, paid_due = 0;
        Day last = kNoDate;
        bool bad = false;
        src.ForEach(i, [&](Day d, Money m) {
          if (d <= cas_of) {
            bad |= __builtin_add_overflow(paid_as_of, m, &paid_as_of);
            last = std::max(last, d);
          }
          if (d <= to) bad |= __builtin_add_overflow(paid_to, m, &paid_to);
          if (d <= before_from) bad |= __builtin_add_overflow(paid_before, m, &paid_before);
          if (d <= due) bad |= __builtin_add_overflow(paid_due, m, &paid_due);
        });
        const Id g = cgroup ? cgroup[i - begin] : 0;
        CollectionSums& s = sums[static_cast<std::size_t>(g)];
        if (due >= from && due <= to) {
          ++s.invoices_due;
          bad |= __builtin_add_overflow(s.billed, amt, &s.billed);
          bad |= __builtin_add_overflow(s.collected, paid_as_of, &s.collected);
          if (amt > 0) {
            ++s.payable_invoices;
            s.on_time_invoices += paid_due >= amt;
            if (paid_as_of >= amt) {
              ++s.paid_invoices;
              const std::int64_t days = static_cast<std::int64_t>(last) - idate;
              s.days_to_pay_sum += days;
              bad |= __builtin_add_overflow(s.paid_amount, amt, &s.paid_amount);
              Int128 acc = static_cast<Int128>(
                  (static_cast<UInt128>(static_cast<std::uint64_t>(s.amount_days_hi)) << 64) |
                  s.amount_days_lo);
              acc += static_cast<Int128>(amt) * days;
              s.amount_days_lo = static_cast<std::uint64_t>(acc);
              s.amount_days_hi = static_cast<std::int64_t>(acc >> 64);
            }
          }
        }
        if (idate >= from) {
          ++s.invoiced;
          bad |= __builtin_add_overflow(s.credit_sales, amt, &s.credit_sales);
        }
        Money out_to = 0;
        bad |= __builtin_sub_overflow(amt, paid_to, &out_to);
        if (out_to > 0) {
          bad |= __builtin_add_overflow(s.ar_ending, out_to, &s.ar_ending);
          if (due >= to) {
            bad |= __builtin_add_overflow(s.ar_ending_current, out_to, &s.ar_ending_current);
          }
        }
        if (has_from && idate <= before_from) {
          Money out_begin = 0;
          bad |= __builtin_sub_overflow(amt, paid_before, &out_begin);
          if (out_begin > 0) {
            bad |= __builtin_add_overflow(s.ar_beginning, out_begin, &s.ar_beginning);
          }
        }
        if (bad) [[unlikely]] {
          return Overflow("a collection sum", *cp, g, i);
        }
      }
    }
  }
  if constexpr (kAging) {
    SALESIGHT_RETURN_IF_ERROR(Compact(blocks, static_cast<std::size_t>(open), a.nb, ap));
    ap->invoices += invoices_known;
    issues->invoices_after_as_of += after_as_of;
    issues->payments_after_as_of += late;
    issues->early_payments += early;
    issues->overpaid_invoices += overpaid;
    // Each range's partial starts at 0, so these adds cannot overflow.
    issues->payments_after_as_of_amount += late_amount;
    issues->early_payment_amount += early_amount;
    issues->overpaid_amount += overpaid_amount;
    ap->open_invoices += open;
    if (top_n != kAllOverdue) {
      std::sort_heap(overdue->begin(), overdue->end(), OverdueBefore);
    }
  }
  return absl::OkStatus();
}


// ---- Workload (d)'s shape: aging + rate-only collection from the summary
// columns, no overdue list, at most kFastCutoffs cut-offs, both as of the same
// date: the branch-free row pass of fast_scan.cpp, then Compact.
bool FastEligible(const AgingPartial* ap, const Id* agroup, const CollectionPartial* cp,
                  const Id* cgroup) {
  return ap != nullptr && cp != nullptr && cp->rate_only && ap->overdue_top_n == 0 &&
         ap->cutoffs.size() <= kFastCutoffs && cp->as_of == ap->as_of && ap->groups.empty() &&
         ap->cells.empty() && agroup != nullptr && cgroup != nullptr;
}

// agroup / cgroup: slots of the rows from `begin` on. False (nothing changed)
// when a sum could overflow: the caller then runs the generic kernel.
absl::StatusOr<bool> RunArFast(const Invoices& invoices, std::size_t begin, std::size_t end,
                               AgingPartial* ap, const Id* agroup, CollectionPartial* cp,
                               const Id* cgroup) {
  const std::size_t rows = end - begin;
  FastScan scan(static_cast<std::size_t>(std::max<std::int64_t>(1, ap->num_slots)), rows,
                cp->sums.size());
  ScanFast(invoices.columns(), begin, end, agroup, cgroup, MakeFastScanParams(*ap, *cp), &scan);
  if (!FastSumsFit(scan.magnitude, rows)) return false;

  const std::int64_t open = scan.blocks.entries();
  std::vector<BlockView> views(scan.blocks.num_blocks());
  for (std::size_t b = 0; b < views.size(); ++b) views[b] = scan.blocks.block(b);
  SALESIGHT_RETURN_IF_ERROR(
      Compact(views, static_cast<std::size_t>(open), ap->cutoffs.size() + 1, ap));
  ReceivablesIssues& issues = ap->issues;
  ap->invoices += scan.known;
  ap->open_invoices += open;
  issues.invoices_after_as_of += static_cast<std::int64_t>(rows) - scan.known;
  issues.payments_after_as_of += scan.late;
  issues.payments_after_as_of_amount += static_cast<Money>(scan.late_amount);
  issues.early_payments += scan.early;
  issues.early_payment_amount += scan.early_amount;
  issues.overpaid_invoices += scan.overpaid;
  issues.overpaid_amount += scan.overpaid_amount;
  for (std::int64_t r : scan.early_examples) {
    AddExample(issues.early_payment_examples, ap->max_examples, r);
  }
  for (std::int64_t r : scan.overpaid_examples) {
    AddExample(issues.overpaid_examples, ap->max_examples, r);
  }
  for (std::size_t g = 0; g < scan.rate.size(); ++g) {
    CollectionSums& s = cp->sums[g];
    bool bad = false;
    s.invoices_due += scan.rate[g].invoices_due;
    bad |= __builtin_add_overflow(s.billed, static_cast<Money>(scan.rate[g].billed), &s.billed);
    bad |= __builtin_add_overflow(s.collected, static_cast<Money>(scan.rate[g].collected),
                                  &s.collected);
    if (bad) [[unlikely]] {
      return Overflow("a collection sum", *cp, static_cast<Id>(g), begin);
    }
  }
  return true;
}

template <typename Source>
absl::Status Dispatch(const Invoices& invoices, const Source& src, std::size_t begin,
                      std::size_t end, AgingPartial* aging, const Id* agroup,
                      CollectionPartial* collection, const Id* cgroup) {
  if (aging && collection) {
    return collection->rate_only
               ? Run<true, true, true>(invoices, src, begin, end, aging, agroup, collection, cgroup)
               : Run<true, true, false>(invoices, src, begin, end, aging, agroup, collection,
                                        cgroup);
  }
  if (aging) {
    return Run<true, false, false>(invoices, src, begin, end, aging, agroup, nullptr, nullptr);
  }
  return collection->rate_only
             ? Run<false, true, true>(invoices, src, begin, end, nullptr, nullptr, collection,
                                      cgroup)
             : Run<false, true, false>(invoices, src, begin, end, nullptr, nullptr, collection,
                                       cgroup);
}

}  // namespace

absl::StatusOr<GroupDimension> ResolveGroup(const Dataset& data, const std::string& group_by,
                                            const char* what) {
  GroupDimension g;
  g.name = group_by;
  const Invoices* invoices = data.invoices();
  // An empty table has no column to check (and no row to group).
  if (group_by.empty() || invoices == nullptr || invoices->size() == 0) return g;
  absl::StatusOr<DimensionColumn> dim = data.Dimension(TableKind::kInvoices, group_by);
  if (!dim.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s option 'group_by': %s", what, dim.status().message()));
  }
  g.slot_offset = dim->may_be_missing ? 1 : 0;
  g.num_slots = std::max<std::int64_t>(1, std::int64_t{dim->cardinality} + g.slot_offset);
  g.column = *std::move(dim);
  return g;
}

GroupSlots::GroupSlots(const GroupDimension& dim, std::size_t begin, std::size_t end) {
  if (!dim.column) return;
  const DimensionColumn& c = *dim.column;
  if (c.lookup == nullptr && dim.slot_offset == 0) {
    slots_ = c.codes + begin;  // a column of the invoices: read in place
    return;
  }
  owned_.resize(end - begin);
  for (std::size_t i = begin; i < end; ++i) owned_[i - begin] = c.Code(i) + dim.slot_offset;
  slots_ = owned_.data();
}

std::string SlotLabel(const DictionaryPtr& codes, std::int32_t slot_offset, std::int64_t slot) {
  return DimensionLabel(codes, static_cast<Id>(slot - slot_offset));
}

PaymentRange GatherPayments(const Payments& payments, std::size_t begin, std::size_t end) {
  PaymentRange r;
  const std::size_t n = end - begin;
  r.offsets.assign(n + 1, 0);
  const auto& rows = payments.columns().invoice_row;
  const auto lo = static_cast<std::int64_t>(begin), hi = static_cast<std::int64_t>(end);
  for (std::int64_t row : rows) {
    if (row >= lo && row < hi) ++r.offsets[static_cast<std::size_t>(row - lo) + 1];
  }
  for (std::size_t k = 0; k < n; ++k) r.offsets[k + 1] += r.offsets[k];
  const auto total = static_cast<std::size_t>(r.offsets[n]);
  r.dates.resize(total);
  r.amounts.resize(total);
  std::vector<std::int64_t> next(r.offsets.begin(), r.offsets.end() - 1);
  const auto& dates = payments.columns().date;
  const auto& amounts = payments.columns().amount;
  for (std::size_t p = 0; p < rows.size(); ++p) {
    const std::int64_t row = rows[p];
    if (row >= lo && row < hi) {
      const auto at = static_cast<std::size_t>(next[static_cast<std::size_t>(row - lo)]++);
      r.dates[at] = dates[p];
      r.amounts[at] = amounts[p];
    }
  }
  return r;
}

absl::StatusOr<const Invoices*> InvoicesOf(const Dataset& data, const char* what) {
  if (data.invoices() == nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: the dataset has no invoices", what));
  }
  return data.invoices();
}

absl::Status CheckRange(const Invoices& invoices, std::size_t begin, std::size_t end,
                        const char* what) {
  if (begin > end || end > invoices.size()) {
    return absl::OutOfRangeError(absl::StrFormat(
        "%s: row range [%d, %d) is outside the invoices' %d rows", what, begin, end,
        invoices.size()));
  }
  return absl::OkStatus();
}

absl::Status ValidateAging(const AgingOptions& options) {
  if (options.as_of == kNoDate) {
    return absl::InvalidArgumentError("aging: as_of is required");
  }
  if (options.cutoffs.empty() || options.cutoffs.size() > 1000) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "aging: %d bucket cut-offs given; 1..1000 are allowed", options.cutoffs.size()));
  }
  for (std::size_t k = 0; k < options.cutoffs.size(); ++k) {
    // Ages are day differences within 1900..2200 (about +-110000 days).
    if (options.cutoffs[k] < -1'000'000 || options.cutoffs[k] > 1'000'000) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "aging: cut-off %d (%d days) is outside -1000000..1000000", k, options.cutoffs[k]));
    }
    if (k > 0 && options.cutoffs[k] <= options.cutoffs[k - 1]) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "aging: cut-offs must be strictly ascending, but cut-off %d (%d) <= cut-off %d (%d)", k,
          options.cutoffs[k], k - 1, options.cutoffs[k - 1]));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCollection(const CollectionOptions& options) {
  if (options.as_of == kNoDate) {
    return absl::InvalidArgumentError("collection: as_of is required");
  }
  const Day to = options.to == kNoDate ? options.as_of : options.to;
  if (to > options.as_of) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "collection: period end %s is after as_of %s (the future is not known)", FormatDate(to),
        FormatDate(options.as_of)));
  }
  if (options.from != kNoDate && options.from > to) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "collection: period start %s is after its end %s", FormatDate(options.from),
        FormatDate(to)));
  }
  return absl::OkStatus();
}

AgingPartial NewAgingPartial(const Invoices& invoices, const GroupDimension& group,
                             const AgingOptions& options) {
  AgingPartial p;
  p.as_of = options.as_of;
  p.age_basis = options.age_basis;
  p.cutoffs = options.cutoffs;
  p.group_by = options.group_by;
  p.overdue_top_n = options.overdue_top_n;
  p.max_examples = options.max_examples;
  p.money_scale = invoices.money_scale();
  p.slot_offset = group.slot_offset;
  p.num_slots = group.num_slots;
  if (group.column) p.group_codes = group.column->dictionary;
  p.invoice_codes = invoices.columns().invoices;
  p.customer_codes = invoices.columns().customers;
  return p;
}

CollectionPartial NewCollectionPartial(const Invoices& invoices, const GroupDimension& group,
                                       const CollectionOptions& options) {
  CollectionPartial p;
  p.from = options.from;
  p.to = options.to == kNoDate ? options.as_of : options.to;
  p.as_of = options.as_of;
  p.rate_only = options.rate_only;
  p.group_by = options.group_by;
  p.money_scale = invoices.money_scale();
  p.slot_offset = group.slot_offset;
  p.num_groups = group.num_slots;
  p.sums.assign(static_cast<std::size_t>(p.num_groups), CollectionSums{});
  if (group.column) p.group_codes = group.column->dictionary;
  return p;
}

absl::Status Accumulate(const Invoices& invoices, const Payments* payments, std::size_t begin,
                        std::size_t end, AgingPartial* aging, const Id* agroup,
                        CollectionPartial* collection, const Id* cgroup) {
  if (begin > end || end > invoices.size()) {
    return absl::OutOfRangeError(absl::StrFormat(
        "receivables: row range [%d, %d) is outside the invoices' %d rows", begin, end,
        invoices.size()));
  }
  if (payments != nullptr) {
    if (payments->columns().money_scale != invoices.money_scale()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "receivables: payments money scale %d differs from the invoices' %d",
          payments->columns().money_scale, invoices.money_scale()));
    }
    const PaymentRange r = GatherPayments(*payments, begin, end);
    const TableSource src{r.offsets.data(), r.dates.data(), r.amounts.data(), begin};
    return Dispatch(invoices, src, begin, end, aging, agroup, collection, cgroup);
  }
  const InvoicesColumns& c = invoices.columns();
  if (!c.paid_date.empty()) {
    const SummarySource src{c.paid.data(), c.paid_date.data()};
    // Workload (d)'s shape: the fast kernel, or (when a sum could overflow)
    // the generic one.
    if (FastEligible(aging, agroup, collection, cgroup)) {
      SALESIGHT_ASSIGN_OR_RETURN(
          const bool done, RunArFast(invoices, begin, end, aging, agroup, collection, cgroup));
      if (done) return absl::OkStatus();
    }
    return Dispatch(invoices, src, begin, end, aging, agroup, collection, cgroup);
  }
  return Dispatch(invoices, NoPaymentSource{}, begin, end, aging, agroup, collection, cgroup);
}

std::string BucketName(const std::vector<std::int32_t>& cutoffs, std::size_t bucket) {
  auto num = [](std::int64_t v) {
    return v < 0 ? absl::StrFormat("m%d", -v) : absl::StrFormat("%d", v);
  };
  if (bucket == 0) {
    return cutoffs[0] == 0 ? std::string("current") : "le_" + num(cutoffs[0]);
  }
  if (bucket == cutoffs.size()) return "over_" + num(cutoffs.back());
  return num(static_cast<std::int64_t>(cutoffs[bucket - 1]) + 1) + "_" + num(cutoffs[bucket]);
}

}  // namespace salesight::receivables_internal
