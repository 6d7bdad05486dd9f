// Aging and collection partial bodies <-> bytes (receivables/partial_codec.hpp).
#include "internal/partial_codec.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "salesight/money.hpp"
#include "salesight/partial_format.hpp"

namespace salesight::receivables_internal {
namespace {

constexpr std::size_t kMaxName = 1024;
constexpr std::size_t kMaxCutoffs = 1000;
constexpr std::int32_t kMaxCutoff = 1000000;
// Sums that merges add unchecked (counts, day sums) stay far from int64's
// limits: 2^40 counts (kMaxSerializedCount), 2^56 for sums of days.
constexpr std::int64_t kMaxDaySum = std::int64_t{1} << 56;

absl::Status Count(byte_io::Reader& r, std::int64_t* v, const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(v, field));
  if (*v < 0 || *v > kMaxSerializedCount) {
    return r.ErrorAt(at, absl::StrFormat("%s %d is outside 0..%d", field, *v, kMaxSerializedCount));
  }
  return absl::OkStatus();
}

absl::Status Bounded(byte_io::Reader& r, std::int64_t* v, std::int64_t limit, const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(v, field));
  if (*v < -limit || *v > limit) {
    return r.ErrorAt(at, absl::StrFormat("%s %d is outside -%d..%d", field, *v, limit, limit));
  }
  return absl::OkStatus();
}

absl::Status Name(byte_io::Reader& r, std::string* s, const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.GetString(s, field));
  if (s->size() > kMaxName) {
    return r.ErrorAt(at, absl::StrFormat("%s is longer than %d bytes", field, kMaxName));
  }
  return absl::OkStatus();
}

absl::Status Day32(byte_io::Reader& r, Day* d, bool none_ok, const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(d, field));
  if (*d == kNoDate ? !none_ok : (*d < kMinDay || *d > kMaxDay)) {
    return r.ErrorAt(at, absl::StrFormat("%s %d is not a day", field, *d));
  }
  return absl::OkStatus();
}

absl::Status Slot(byte_io::Reader& r, std::int32_t* v) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(v, "slot offset"));
  if (*v != 0 && *v != 1) return r.ErrorAt(at, absl::StrFormat("slot offset %d is not 0 or 1", *v));
  return absl::OkStatus();
}

absl::Status Examples(byte_io::Reader& r, std::vector<std::int64_t>* rows, std::size_t max,
                      const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.GetVector(rows, field));
  if (rows->size() > max) return r.ErrorAt(at, absl::StrFormat("%s: more than max_examples", field));
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if ((*rows)[i] < 0 || (i > 0 && (*rows)[i] <= (*rows)[i - 1])) {
      return r.ErrorAt(at, absl::StrFormat("%s: rows are not ascending non-negative", field));
    }
  }
  return absl::OkStatus();
}

void WriteIssues(const ReceivablesIssues& s, byte_io::Writer& w) {
  for (std::int64_t v : {s.invoices_after_as_of, s.payments_after_as_of,
                         s.payments_after_as_of_amount, s.overpaid_invoices, s.overpaid_amount,
                         s.early_payments, s.early_payment_amount}) {
    w.Put(v);
  }
  w.PutVector(s.overpaid_examples);
  w.PutVector(s.early_payment_examples);
}

absl::Status ReadIssues(byte_io::Reader& r, ReceivablesIssues* s, std::size_t max_examples) {
  SALESIGHT_BIO(Count(r, &s->invoices_after_as_of, "invoices after as_of"));
  SALESIGHT_BIO(Count(r, &s->payments_after_as_of, "payments after as_of"));
  SALESIGHT_BIO(r.Get(&s->payments_after_as_of_amount, "amount of payments after as_of"));
  SALESIGHT_BIO(Count(r, &s->overpaid_invoices, "overpaid invoices"));
  SALESIGHT_BIO(r.Get(&s->overpaid_amount, "overpaid amount"));
  SALESIGHT_BIO(Count(r, &s->early_payments, "early payments"));
  SALESIGHT_BIO(r.Get(&s->early_payment_amount, "early payment amount"));
  SALESIGHT_BIO(Examples(r, &s->overpaid_examples, max_examples, "overpaid examples"));
  SALESIGHT_BIO(Examples(r, &s->early_payment_examples, max_examples, "early payment examples"));
  return absl::OkStatus();
}

constexpr std::size_t kOverdueBytes = 8 + 8 + 4 + 4 + 8 + 8 + 4;

}  // namespace

void WriteAging(const AgingPartial& p, byte_io::Writer& w) {
  w.Put(p.as_of);
  w.Put(p.age_basis);
  w.PutVector(p.cutoffs);
  w.PutString(p.group_by);
  w.Put<std::uint64_t>(p.overdue_top_n);
  w.Put<std::uint64_t>(p.max_examples);
  w.Put(p.slot_offset);
  w.Put(p.num_slots);
  w.PutVector(p.groups);
  w.PutVector(p.cells);
  w.Put(p.invoices);
  w.Put(p.open_invoices);
  w.Put<std::uint64_t>(p.overdue.size());
  for (const OverdueInvoice& o : p.overdue) {
    w.Put(o.row);
    w.Put(o.invoice);
    w.Put(o.customer);
    w.Put(o.due_date);
    w.Put(o.amount);
    w.Put(o.outstanding);
    w.Put(o.days_past_due);
  }
  WriteIssues(p.issues, w);
}

absl::Status ReadAging(byte_io::Reader& r, AgingPartial* p) {
  std::size_t at = r.offset();
  SALESIGHT_BIO(Day32(r, &p->as_of, false, "as_of"));
  at = r.offset();
  SALESIGHT_BIO(r.Get(&p->age_basis, "age basis"));
  if (p->age_basis != AgeBasis::kDueDate && p->age_basis != AgeBasis::kInvoiceDate) {
    return r.ErrorAt(at, "age basis is not 0 (due date) or 1 (invoice date)");
  }
  at = r.offset();
  SALESIGHT_BIO(r.GetVector(&p->cutoffs, "cutoffs"));
  if (p->cutoffs.empty() || p->cutoffs.size() > kMaxCutoffs) {
    return r.ErrorAt(at, absl::StrFormat("%d cutoffs: 1..%d expected", p->cutoffs.size(),
                                         kMaxCutoffs));
  }
  for (std::size_t i = 0; i < p->cutoffs.size(); ++i) {
    const std::int32_t c = p->cutoffs[i];
    if (c < -kMaxCutoff || c > kMaxCutoff || (i > 0 && c <= p->cutoffs[i - 1])) {
      return r.ErrorAt(at, "cutoffs are not strictly ascending within -1000000..1000000");
    }
  }
  SALESIGHT_BIO(Name(r, &p->group_by, "group_by"));
  std::uint64_t top = 0, examples = 0;
  SALESIGHT_BIO(r.Get(&top, "overdue_top_n"));
  at = r.offset();
  SALESIGHT_BIO(r.Get(&examples, "max_examples"));
  if (examples > 1000000) return r.ErrorAt(at, "max_examples is above 1000000");
  p->overdue_top_n = static_cast<std::size_t>(top);
  p->max_examples = static_cast<std::size_t>(examples);
  SALESIGHT_BIO(Slot(r, &p->slot_offset));
  SALESIGHT_BIO(Count(r, &p->num_slots, "number of slots"));
  at = r.offset();
  SALESIGHT_BIO(r.GetVector(&p->groups, "groups"));
  for (std::size_t i = 0; i < p->groups.size(); ++i) {
    if (p->groups[i] < kNoId || (i > 0 && p->groups[i] <= p->groups[i - 1])) {
      return r.ErrorAt(at, "groups are not ascending ids");
    }
  }
  at = r.offset();
  SALESIGHT_BIO(r.GetVector(&p->cells, "cells"));
  if (p->cells.size() != p->groups.size() * (p->cutoffs.size() + 1)) {
    return r.ErrorAt(at, "cells are not groups x buckets");
  }
  SALESIGHT_BIO(Count(r, &p->invoices, "invoices"));
  SALESIGHT_BIO(Count(r, &p->open_invoices, "open invoices"));
  at = r.offset();
  std::size_t n = 0;
  SALESIGHT_BIO(r.GetCount(&n, kOverdueBytes, "overdue invoices"));
  if (n > p->overdue_top_n) return r.ErrorAt(at, "more overdue invoices than overdue_top_n");
  p->overdue.resize(n);
  for (OverdueInvoice& o : p->overdue) {
    at = r.offset();
    SALESIGHT_BIO(r.Get(&o.row, "overdue row"));
    SALESIGHT_BIO(r.Get(&o.invoice, "overdue invoice"));
    SALESIGHT_BIO(r.Get(&o.customer, "overdue customer"));
    SALESIGHT_BIO(Day32(r, &o.due_date, true, "overdue due date"));
    SALESIGHT_BIO(r.Get(&o.amount, "overdue amount"));
    SALESIGHT_BIO(r.Get(&o.outstanding, "overdue outstanding"));
    SALESIGHT_BIO(r.Get(&o.days_past_due, "days past due"));
    if (o.row < 0 || o.customer < kNoId) return r.ErrorAt(at, "an overdue row or customer is negative");
  }
  return ReadIssues(r, &p->issues, p->max_examples);
}

void WriteCollection(const CollectionPartial& p, byte_io::Writer& w) {
  w.Put(p.from);
  w.Put(p.to);
  w.Put(p.as_of);
  w.PutBool(p.rate_only);
  w.PutString(p.group_by);
  w.Put(p.slot_offset);
  w.Put<std::uint64_t>(p.sums.size());
  for (const CollectionSums& s : p.sums) {
    for (std::int64_t v : {s.invoices_due, s.billed, s.collected, s.payable_invoices,
                           s.on_time_invoices, s.paid_invoices, s.days_to_pay_sum,
                           s.paid_amount}) {
      w.Put(v);
    }
    w.Put(s.amount_days_lo);
    for (std::int64_t v : {s.amount_days_hi, s.invoiced, s.credit_sales, s.ar_beginning,
                           s.ar_ending, s.ar_ending_current}) {
      w.Put(v);
    }
  }
}

absl::Status ReadCollection(byte_io::Reader& r, CollectionPartial* p) {
  SALESIGHT_BIO(Day32(r, &p->from, true, "from"));
  SALESIGHT_BIO(Day32(r, &p->to, true, "to"));
  SALESIGHT_BIO(Day32(r, &p->as_of, false, "as_of"));
  SALESIGHT_BIO(r.GetBool(&p->rate_only, "rate_only"));
  SALESIGHT_BIO(Name(r, &p->group_by, "group_by"));
  SALESIGHT_BIO(Slot(r, &p->slot_offset));
  std::size_t n = 0;
  SALESIGHT_BIO(r.GetCount(&n, 15 * 8, "groups"));
  p->sums.resize(n);
  p->num_groups = static_cast<std::int64_t>(n);
  // FinishCollection adds every group into the total without checks for the
  // counts and day sums: their totals must stay within the same bounds.
  std::int64_t days_total = 0, hi_total = 0, count_total = 0;
  for (CollectionSums& s : p->sums) {
    const std::size_t group_at = r.offset();
    SALESIGHT_BIO(Count(r, &s.invoices_due, "invoices due"));
    SALESIGHT_BIO(r.Get(&s.billed, "billed"));
    SALESIGHT_BIO(r.Get(&s.collected, "collected"));
    SALESIGHT_BIO(Count(r, &s.payable_invoices, "payable invoices"));
    SALESIGHT_BIO(Count(r, &s.on_time_invoices, "on-time invoices"));
    SALESIGHT_BIO(Count(r, &s.paid_invoices, "paid invoices"));
    SALESIGHT_BIO(Bounded(r, &s.days_to_pay_sum, kMaxDaySum, "days to pay"));
    SALESIGHT_BIO(r.Get(&s.paid_amount, "paid amount"));
    SALESIGHT_BIO(r.Get(&s.amount_days_lo, "amount x days (low)"));
    SALESIGHT_BIO(Bounded(r, &s.amount_days_hi, kMaxDaySum, "amount x days (high)"));
    SALESIGHT_BIO(Count(r, &s.invoiced, "invoiced"));
    SALESIGHT_BIO(r.Get(&s.credit_sales, "credit sales"));
    SALESIGHT_BIO(r.Get(&s.ar_beginning, "receivables at the beginning"));
    SALESIGHT_BIO(r.Get(&s.ar_ending, "receivables at the end"));
    SALESIGHT_BIO(r.Get(&s.ar_ending_current, "current receivables at the end"));
    days_total += s.days_to_pay_sum < 0 ? -s.days_to_pay_sum : s.days_to_pay_sum;
    hi_total += s.amount_days_hi < 0 ? -s.amount_days_hi : s.amount_days_hi;
    count_total += s.invoices_due + s.payable_invoices + s.on_time_invoices + s.paid_invoices +
                   s.invoiced;
    if (days_total > kMaxDaySum || hi_total > kMaxDaySum || count_total > kMaxSerializedCount) {
      return r.ErrorAt(group_at, "the groups' counts or day sums add up beyond the limits");
    }
  }
  return absl::OkStatus();
}

}  // namespace salesight::receivables_internal
