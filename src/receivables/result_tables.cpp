// Receivables results as ResultTables (the CLI / C ABI / Python shape).
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "salesight/status_macros.hpp"
#include "internal/receivables.hpp"
#include "salesight/receivables.hpp"

namespace salesight {
namespace {

// The group column (codes; the member kNoId is null), or none when ungrouped.
void AddGroupColumn(ResultTable& t, const std::string& name, const DictionaryPtr& codes,
                    const std::vector<Id>& groups) {
  if (name.empty()) return;
  // Codes, not strings: aging by customer can have a million rows.
  ResultColumn& g = t.AddCodes(name, codes);
  g.codes.reserve(groups.size());
  bool missing = false;
  for (const Id id : groups) {
    g.codes.push_back(id < 0 ? 0 : id);
    missing = missing || id < 0;
  }
  if (missing) {
    for (const Id id : groups) g.valid.push_back(id < 0 ? 0 : 1);
  }
}

void PutOptional(ResultColumn& col, const std::optional<double>& v) {
  col.doubles.push_back(v.value_or(0.0));
  col.valid.push_back(v.has_value() ? 1 : 0);
}

}  // namespace

ResultTable ToResultTable(const AgingResult& result) {
  ResultTable t;
  const std::size_t rows = result.groups.size();
  AddGroupColumn(t, result.group_by, result.group_codes, result.groups);
  const std::size_t nb = result.num_buckets();
  for (std::size_t b = 0; b < nb; ++b) {
    ResultColumn& col = t.AddMoney("b_" + result.bucket_names[b], result.money_scale);
    col.ints.reserve(rows);
    for (std::size_t r = 0; r < rows; ++r) col.ints.push_back(result.amount(r, b));
  }
  ResultColumn& total = t.AddMoney("total", result.money_scale);
  total.ints.assign(result.totals.begin(), result.totals.end());
  return t;
}

ResultTable OverdueToResultTable(const AgingResult& result) {
  ResultTable t;
  // Text invoice numbers are named as given, never by their internal id.
  ResultColumn& invoice = result.invoice_codes ? t.AddCodes("invoice", result.invoice_codes)
                                               : t.AddInt64("invoice");
  ResultColumn& customer = t.AddCodes("customer", result.customer_codes);
  ResultColumn& due = t.AddDate("due_date");
  ResultColumn& amount = t.AddMoney("amount", result.money_scale);
  ResultColumn& outstanding = t.AddMoney("outstanding", result.money_scale);
  ResultColumn& dpd = t.AddInt64("days_past_due");
  for (const OverdueInvoice& o : result.overdue) {
    if (invoice.encoded) {
      invoice.codes.push_back(static_cast<std::int32_t>(o.invoice));
    } else {
      invoice.ints.push_back(o.invoice);
    }
    customer.codes.push_back(o.customer);
    due.ints.push_back(o.due_date);
    amount.ints.push_back(o.amount);
    outstanding.ints.push_back(o.outstanding);
    dpd.ints.push_back(o.days_past_due);
  }
  return t;
}

ResultTable ToResultTable(const CollectionResult& result) {
  ResultTable t;
  std::vector<Id> groups;
  groups.reserve(result.rows.size());
  for (const CollectionRow& r : result.rows) groups.push_back(r.group);
  AddGroupColumn(t, result.group_by, result.group_codes, groups);
  ResultColumn& due = t.AddInt64("invoices_due");
  ResultColumn& billed = t.AddMoney("billed", result.money_scale);
  ResultColumn& collected = t.AddMoney("collected", result.money_scale);
  ResultColumn& rate = t.AddDouble("collection_rate");
  ResultColumn& sales = t.AddMoney("credit_sales", result.money_scale);
  ResultColumn& begin = t.AddMoney("ar_beginning", result.money_scale);
  ResultColumn& end = t.AddMoney("ar_ending", result.money_scale);
  ResultColumn& current = t.AddMoney("ar_ending_current", result.money_scale);
  ResultColumn& dso = t.AddDouble("dso");
  ResultColumn& cei = t.AddDouble("cei");
  ResultColumn& days = t.AddDouble("avg_days_to_pay");
  ResultColumn& on_time = t.AddDouble("on_time_rate");
  for (const CollectionRow& r : result.rows) {
    due.ints.push_back(r.sums.invoices_due);
    billed.ints.push_back(r.sums.billed);
    collected.ints.push_back(r.sums.collected);
    PutOptional(rate, r.collection_rate);
    sales.ints.push_back(r.sums.credit_sales);
    begin.ints.push_back(r.sums.ar_beginning);
    end.ints.push_back(r.sums.ar_ending);
    current.ints.push_back(r.sums.ar_ending_current);
    PutOptional(dso, r.dso);
    PutOptional(cei, r.cei);
    PutOptional(days, r.avg_days_to_pay);
    PutOptional(on_time, r.on_time_rate);
  }
  return t;
}

ResultTable IssuesToResultTable(const ReceivablesIssues& issues, int money_scale) {
  ResultTable t;
  ResultColumn& name = t.AddString("issue");
  ResultColumn& count = t.AddInt64("count");
  ResultColumn& amount = t.AddMoney("amount", money_scale);
  ResultColumn& examples = t.AddString("example_rows");
  auto add = [&](const char* n, std::int64_t c, std::optional<Money> a,
                 const std::vector<std::int64_t>& ex) {
    name.strings.emplace_back(n);
    count.ints.push_back(c);
    amount.ints.push_back(a.value_or(0));
    amount.valid.push_back(a.has_value() ? 1 : 0);
    examples.strings.push_back(absl::StrJoin(ex, ";"));
  };
  add("invoices_after_as_of", issues.invoices_after_as_of, std::nullopt, {});
  add("payments_after_as_of", issues.payments_after_as_of, issues.payments_after_as_of_amount,
      {});
  add("overpaid_invoices", issues.overpaid_invoices, issues.overpaid_amount,
      issues.overpaid_examples);
  add("payments_before_invoice_date", issues.early_payments, issues.early_payment_amount,
      issues.early_payment_examples);
  return t;
}

}  // namespace salesight
