// ReadInvoicesCsv and ReadPaymentsCsv: receivables exports.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/attributes.hpp"
#include "internal/canonical_ids.hpp"
#include "internal/loader.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

using ingest::FieldSpec;
using ingest::ParsedMoney;
using ingest::Row;

template <typename T>
Column<T> Take(std::vector<T>& v, bool bound) {
  if (!bound) return Column<T>();
  ingest::TrimSlack(v);
  return Column<T>::Own(std::move(v));
}

// ---------------------------------------------------------------- invoices
enum InvoiceField {
  kInvoice, kOrder, kCustomer, kSalesperson, kRegion, kDate, kDue, kAmount, kPaid, kPaidDate,
  kNumInvoiceFields
};
constexpr FieldSpec kInvoiceFields[kNumInvoiceFields] = {
    {"invoice", true},      {"order", false},  {"customer", true}, {"salesperson", false},
    {"region", false},      {"date", true},    {"due", true},      {"amount", true},
    {"paid", false},        {"paid_date", false}};

absl::StatusOr<InvoicesCsv> LoadInvoices(ingest::Loader& loader, const IngestOptions& options,
                                         Dictionaries& dicts) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kInvoiceFields));
  SALESIGHT_ASSIGN_OR_RETURN(
      ingest::AttributeReader attributes,
      ingest::AttributeReader::Create(loader, options, col, kInvoicesFieldNames));
  constexpr std::string_view kDateFields[] = {"date", "due", "paid_date"};
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys(kDateFields));
  auto bound = [&](InvoiceField f) { return col[f] >= 0; };
  if (bound(kPaid) != bound(kPaidDate)) {
    return absl::InvalidArgumentError(
        "invoices: fields 'paid' and 'paid_date' are mapped together or not at all");
  }
  ingest::EnsureDictionary(dicts.customers);
  if (bound(kSalesperson)) ingest::EnsureDictionary(dicts.salespeople);
  if (bound(kRegion)) ingest::EnsureDictionary(dicts.regions);

  const std::size_t reserve = loader.ReserveRows();
  ingest::KeyColumn invoice(&dicts.invoices), order(&dicts.orders);
  std::vector<Id> customer, salesperson, region;
  std::vector<Day> date, due, paid_date;
  std::vector<Money> amount, paid;
  invoice.values().reserve(reserve);
  customer.reserve(reserve);
  date.reserve(reserve);
  due.reserve(reserve);
  amount.reserve(reserve);
  if (bound(kOrder)) order.values().reserve(reserve);
  if (bound(kSalesperson)) salesperson.reserve(reserve);
  if (bound(kRegion)) region.reserve(reserve);
  if (bound(kPaid)) {
    paid.reserve(reserve);
    paid_date.reserve(reserve);
  }
  ingest::MoneyScale money(options.money_scale, options.decimal_point,
                           options.thousands_separator);
  money.Register(&amount);
  money.Register(&paid);
  loader.CheckTotals(col[kAmount], &amount, &money);
  loader.CheckTotals(col[kPaid], &paid, &money);
  ingest::DateParser dates(loader.DateParserFor("date")), due_dates(loader.DateParserFor("due")),
      paid_dates(loader.DateParserFor("paid_date"));

  auto row_fn = [&](Row& row) -> bool {
    std::string_view invoice_code, order_code, customer_code, salesperson_code, region_code;
    Day day = kNoDate, due_day = kNoDate, paid_day = kNoDate;
    ParsedMoney amt, pd;
    if (!ingest::ReadCode(row, col[kInvoice], true, &invoice_code) ||
        !ingest::ReadCode(row, col[kOrder], true, &order_code) ||
        !ingest::ReadCode(row, col[kCustomer], true, &customer_code) ||
        !ingest::ReadCode(row, col[kSalesperson], false, &salesperson_code) ||
        !ingest::ReadCode(row, col[kRegion], false, &region_code) ||
        !ingest::ReadDate(row, col[kDate], dates, true, &day) ||
        !ingest::ReadDate(row, col[kDue], due_dates, true, &due_day) ||
        !ingest::ReadMoney(row, col[kAmount], money, false, &amt) ||
        !ingest::ReadMoney(row, col[kPaid], money, true, &pd) ||
        !ingest::ReadDate(row, col[kPaidDate], paid_dates, false, &paid_day) ||
        !attributes.Read(row)) {
      return false;
    }
    if (due_day < day) {
      return row.Fail(col[kDue], "due before invoice date",
                      absl::StrFormat("due date %s is before the invoice date %s",
                                      FormatDate(due_day), FormatDate(day)));
    }
    const ingest::MoneyField fields[] = {{col[kAmount], &amt}, {col[kPaid], &pd}};
    int target = 0;
    if (!ingest::SettleRow(row, money, fields, &target)) return false;
    if (bound(kPaid) && pd.value < 0) {
      return row.Fail(col[kPaid], "negative paid amount",
                      absl::StrFormat("paid amount %s is negative", FormatMoney(pd.value, target)));
    }

    if (!attributes.Push(row)) return false;
    if (absl::Status st = invoice.Push(invoice_code); !st.ok()) return row.Fatal(st);
    if (bound(kOrder)) {
      if (absl::Status st = order.Push(order_code); !st.ok()) return row.Fatal(st);
    }
    Id id = 0;
    if (!ingest::InternCode(row, dicts.customers, customer_code, &id)) return false;
    ingest::PushGrow(customer, id);
    if (bound(kSalesperson)) {
      if (!ingest::InternCode(row, dicts.salespeople, salesperson_code, &id)) return false;
      ingest::PushGrow(salesperson, id);
    }
    if (bound(kRegion)) {
      if (!ingest::InternCode(row, dicts.regions, region_code, &id)) return false;
      ingest::PushGrow(region, id);
    }
    ingest::PushGrow(date, day);
    ingest::PushGrow(due, due_day);
    ingest::RaiseTo(money, target);
    ingest::PushGrow(amount, amt.value);
    money.Track(amt.value);
    if (bound(kPaid)) {
      ingest::PushGrow(paid, pd.value);
      ingest::PushGrow(paid_date, paid_day);
      money.Track(pd.value);
    }
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));

  InvoicesCsv out;
  out.invoice_ids_are_codes = invoice.codes();
  out.order_ids_are_codes = bound(kOrder) && order.codes();
  InvoicesColumns c;
  c.invoice = Take(invoice.values(), true);
  c.order = Take(order.values(), bound(kOrder));
  c.customer = Take(customer, true);
  c.salesperson = Take(salesperson, bound(kSalesperson));
  c.region = Take(region, bound(kRegion));
  c.invoice_date = Take(date, true);
  c.due_date = Take(due, true);
  c.amount = Take(amount, true);
  c.paid = Take(paid, bound(kPaid));
  c.paid_date = Take(paid_date, bound(kPaid));
  c.money_scale = money.scale();
  c.customers = dicts.customers;
  if (bound(kSalesperson)) c.salespeople = dicts.salespeople;
  if (bound(kRegion)) c.regions = dicts.regions;
  if (out.invoice_ids_are_codes) c.invoices = dicts.invoices;
  c.attributes = attributes.Take();
  SALESIGHT_ASSIGN_OR_RETURN(out.table, Invoices::Build(std::move(c)));
  out.report = loader.Finish();
  return out;
}

// ---------------------------------------------------------------- payments
enum PaymentField { kPayInvoice, kPayDate, kPayAmount, kNumPaymentFields };
constexpr FieldSpec kPaymentFields[kNumPaymentFields] = {
    {"invoice", true}, {"date", true}, {"amount", true}};

constexpr std::int64_t kAmbiguous = -2;

absl::StatusOr<PaymentsCsv> LoadPayments(ingest::Loader& loader, const IngestOptions& options,
                                         const Invoices& invoices, Dictionaries& dicts) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kPaymentFields));
  constexpr std::string_view kDateFields[] = {"date"};
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys(kDateFields));
  if (options.money_scale >= 0 && options.money_scale != invoices.money_scale()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "payments: money_scale %d differs from the invoices' scale %d; payments use the "
        "invoices' scale",
        options.money_scale, invoices.money_scale()));
  }
  // Invoice number (or dictionary id) -> row; kAmbiguous when on several rows.
  absl::flat_hash_map<std::int64_t, std::int64_t> row_of;
  const Column<std::int64_t>& numbers = invoices.columns().invoice;
  row_of.reserve(numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    auto [it, inserted] = row_of.emplace(numbers[i], static_cast<std::int64_t>(i));
    if (!inserted) it->second = kAmbiguous;
  }
  const Dictionary* codes =
      dicts.invoices != nullptr && !dicts.invoices->empty() ? dicts.invoices.get() : nullptr;

  const std::size_t reserve = loader.ReserveRows();
  std::vector<std::int64_t> invoice_row;
  std::vector<Day> date;
  std::vector<Money> amount;
  invoice_row.reserve(reserve);
  date.reserve(reserve);
  amount.reserve(reserve);
  ingest::MoneyScale money(invoices.money_scale(), options.decimal_point,
                           options.thousands_separator);
  loader.CheckTotals(col[kPayAmount], &amount, &money);
  ingest::DateParser dates(loader.DateParserFor("date"));

  auto row_fn = [&](Row& row) -> bool {
    std::string_view invoice_code;
    Day day = kNoDate;
    ParsedMoney amt;
    if (!ingest::ReadCode(row, col[kPayInvoice], true, &invoice_code) ||
        !ingest::ReadDate(row, col[kPayDate], dates, true, &day) ||
        !ingest::ReadMoney(row, col[kPayAmount], money, false, &amt)) {
      return false;
    }
    if (amt.value < 0) {
      return row.Fail(col[kPayAmount], "negative payment",
                      absl::StrFormat("payment %s is negative (refunds are credit notes)",
                                      FormatMoney(amt.value, money.scale())));
    }
    std::int64_t key = 0;
    bool known = false;
    if (codes != nullptr) {
      Id id = codes->Find(invoice_code);
      known = id != kNoId;
      key = id;
    } else {
      known = ingest::ParsePlainInteger(invoice_code, &key);
    }
    auto it = known ? row_of.find(key) : row_of.end();
    if (it == row_of.end()) {
      return row.Fail(col[kPayInvoice], "unknown invoice",
                      absl::StrFormat("invoice '%s' is not in the invoices table",
                                      ingest::Printable(invoice_code)));
    }
    if (it->second == kAmbiguous) {
      return row.Fail(col[kPayInvoice], "ambiguous invoice",
                      absl::StrFormat("invoice '%s' is on several rows of the invoices table",
                                      ingest::Printable(invoice_code)));
    }
    ingest::PushGrow(invoice_row, it->second);
    ingest::PushGrow(date, day);
    ingest::PushGrow(amount, amt.value);
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));

  PaymentsCsv out;
  PaymentsColumns c;
  c.invoice_row = Take(invoice_row, true);
  c.date = Take(date, true);
  c.amount = Take(amount, true);
  c.money_scale = invoices.money_scale();
  SALESIGHT_ASSIGN_OR_RETURN(out.table, Payments::Build(std::move(c), invoices));
  out.report = loader.Finish();
  return out;
}

}  // namespace

absl::StatusOr<InvoicesCsv> ReadInvoicesCsv(const std::string& path, const IngestOptions& options,
                                            Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "invoices"));
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(InvoicesCsv out, LoadInvoices(*loader, options, dicts));
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
  return out;
}

absl::StatusOr<PaymentsCsv> ReadPaymentsCsv(const std::string& path, const IngestOptions& options,
                                            const Invoices& invoices, Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "payments"));
  return LoadPayments(*loader, options, invoices, dicts);
}

}  // namespace salesight
