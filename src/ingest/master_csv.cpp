// Master data: ReadCustomersCsv, ReadProductsCsv, ReadTargetsCsv.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

// Each code may be described by one row only: the first line per id.
class FirstLines {
 public:
  // 0 when `id` is new (and remembers `line`), else the earlier line.
  std::int64_t Claim(Id id, std::int64_t line) {
    const auto i = static_cast<std::size_t>(id);
    if (i >= lines_.size()) lines_.resize(i + 1 + i / 4, 0);
    if (lines_[i] != 0) return lines_[i];
    lines_[i] = line;
    return 0;
  }
  bool Seen(Id id) const {
    const auto i = static_cast<std::size_t>(id);
    return i < lines_.size() && lines_[i] != 0;
  }
  std::int64_t LineOf(Id id) const { return lines_[static_cast<std::size_t>(id)]; }

 private:
  std::vector<std::int64_t> lines_;
};

bool ReadName(Row& row, int column, std::string_view* out) {
  if (column < 0) return true;
  std::string_view s = row.Get(column);
  if (!ingest::ValidUtf8(s)) {
    return row.Fail(column, "invalid UTF-8",
                    absl::StrFormat("'%s' is not valid UTF-8", ingest::Printable(s)));
  }
  *out = s;
  return true;
}

bool NonNegative(Row& row, int column, const ParsedMoney& m, std::string_view kind,
                 std::string_view what) {
  if (column < 0 || m.value >= 0) return true;
  return row.Fail(column, kind,
                  absl::StrFormat("%s %s is negative", what, FormatMoney(m.value, m.scale)));
}

// ---------------------------------------------------------------- customers
enum CustomerField { kCustomer, kName, kRegion, kOwner, kCreditLimit, kCreated, kNumCustomerFields };
constexpr FieldSpec kCustomerFields[kNumCustomerFields] = {
    {"customer", true}, {"name", false},         {"region", false},
    {"owner", false},   {"credit_limit", false}, {"created", false}};

absl::StatusOr<CustomersCsv> LoadCustomers(ingest::Loader& loader, const IngestOptions& options,
                                           Dictionaries& dicts) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kCustomerFields));
  SALESIGHT_ASSIGN_OR_RETURN(
      ingest::AttributeReader attributes,
      ingest::AttributeReader::Create(loader, options, col, kCustomersFieldNames));
  constexpr std::string_view kDateFields[] = {"created"};
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys(kDateFields));
  auto bound = [&](CustomerField f) { return col[f] >= 0; };
  Dictionary& customers = ingest::EnsureDictionary(dicts.customers);
  if (bound(kRegion)) ingest::EnsureDictionary(dicts.regions);
  if (bound(kOwner)) ingest::EnsureDictionary(dicts.salespeople);

  const std::size_t reserve = loader.ReserveRows();
  std::vector<Id> customer, region, owner;
  std::vector<std::string> name;
  std::vector<Money> credit_limit;
  std::vector<Day> created;
  customer.reserve(reserve);
  if (bound(kName)) name.reserve(reserve);
  if (bound(kRegion)) region.reserve(reserve);
  if (bound(kOwner)) owner.reserve(reserve);
  if (bound(kCreditLimit)) credit_limit.reserve(reserve);
  if (bound(kCreated)) created.reserve(reserve);
  ingest::MoneyScale money(options.money_scale, options.decimal_point,
                           options.thousands_separator);
  money.Register(&credit_limit);
  ingest::DateParser dates(loader.DateParserFor("created"));
  FirstLines first;

  auto row_fn = [&](Row& row) -> bool {
    std::string_view code, name_text, region_code, owner_code;
    Day day = kNoDate;
    ParsedMoney limit;
    if (!ingest::ReadCode(row, col[kCustomer], true, &code) ||
        !ReadName(row, col[kName], &name_text) ||
        !ingest::ReadCode(row, col[kRegion], false, &region_code) ||
        !ingest::ReadCode(row, col[kOwner], false, &owner_code) ||
        !ingest::ReadMoney(row, col[kCreditLimit], money, false, &limit) ||
        !ingest::ReadDate(row, col[kCreated], dates, false, &day) || !attributes.Read(row)) {
      return false;
    }
    const ingest::MoneyField fields[] = {{col[kCreditLimit], &limit}};
    int target = 0;
    if (!ingest::SettleRow(row, money, fields, &target) ||
        !NonNegative(row, col[kCreditLimit], limit, "negative credit limit", "credit limit")) {
      return false;
    }
    Id existing = customers.Find(code);
    if (existing != kNoId && first.Seen(existing)) {
      return row.Fail(col[kCustomer], "duplicate customer",
                      absl::StrFormat("customer '%s' is already described on line %d",
                                      ingest::Printable(code), first.LineOf(existing)));
    }
    if (!attributes.Push(row)) return false;
    Id id = 0;
    if (!ingest::InternCode(row, dicts.customers, code, &id)) return false;
    first.Claim(id, row.line());
    ingest::PushGrow(customer, id);
    if (bound(kName)) name.emplace_back(name_text);
    if (bound(kRegion)) {
      if (!ingest::InternCode(row, dicts.regions, region_code, &id)) return false;
      ingest::PushGrow(region, id);
    }
    if (bound(kOwner)) {
      if (!ingest::InternCode(row, dicts.salespeople, owner_code, &id)) return false;
      ingest::PushGrow(owner, id);
    }
    if (bound(kCreditLimit)) {
      ingest::RaiseTo(money, target);
      ingest::PushGrow(credit_limit, limit.value);
      money.Track(limit.value);
    }
    if (bound(kCreated)) ingest::PushGrow(created, day);
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));

  CustomersCsv out;
  CustomersColumns c;
  c.customer = Take(customer, true);
  c.name = std::move(name);
  c.region = Take(region, bound(kRegion));
  c.owner = Take(owner, bound(kOwner));
  c.credit_limit = Take(credit_limit, bound(kCreditLimit));
  c.created = Take(created, bound(kCreated));
  c.money_scale = money.scale();
  c.customers = dicts.customers;
  if (bound(kRegion)) c.regions = dicts.regions;
  if (bound(kOwner)) c.salespeople = dicts.salespeople;
  c.attributes = attributes.Take();
  SALESIGHT_ASSIGN_OR_RETURN(out.table, Customers::Build(std::move(c)));
  out.report = loader.Finish();
  return out;
}

// ---------------------------------------------------------------- products
enum ProductField { kProduct, kProductName, kCategory, kCost, kNumProductFields };
constexpr FieldSpec kProductFields[kNumProductFields] = {
    {"product", true}, {"name", false}, {"category", false}, {"cost", false}};

absl::StatusOr<ProductsCsv> LoadProducts(ingest::Loader& loader, const IngestOptions& options,
                                         Dictionaries& dicts) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kProductFields));
  SALESIGHT_ASSIGN_OR_RETURN(
      ingest::AttributeReader attributes,
      ingest::AttributeReader::Create(loader, options, col, kProductsFieldNames));
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys({}));
  auto bound = [&](ProductField f) { return col[f] >= 0; };
  Dictionary& products = ingest::EnsureDictionary(dicts.products);
  if (bound(kCategory)) ingest::EnsureDictionary(dicts.categories);

  const std::size_t reserve = loader.ReserveRows();
  std::vector<Id> product, category;
  std::vector<std::string> name;
  std::vector<Money> cost;
  product.reserve(reserve);
  if (bound(kProductName)) name.reserve(reserve);
  if (bound(kCategory)) category.reserve(reserve);
  if (bound(kCost)) cost.reserve(reserve);
  ingest::MoneyScale money(options.money_scale, options.decimal_point,
                           options.thousands_separator);
  money.Register(&cost);
  FirstLines first;

  auto row_fn = [&](Row& row) -> bool {
    std::string_view code, name_text, category_code;
    ParsedMoney unit_cost;
    if (!ingest::ReadCode(row, col[kProduct], true, &code) ||
        !ReadName(row, col[kProductName], &name_text) ||
        !ingest::ReadCode(row, col[kCategory], false, &category_code) ||
        !ingest::ReadMoney(row, col[kCost], money, false, &unit_cost) ||
        !attributes.Read(row)) {
      return false;
    }
    const ingest::MoneyField fields[] = {{col[kCost], &unit_cost}};
    int target = 0;
    if (!ingest::SettleRow(row, money, fields, &target) ||
        !NonNegative(row, col[kCost], unit_cost, "negative cost", "standard cost")) {
      return false;
    }
    Id existing = products.Find(code);
    if (existing != kNoId && first.Seen(existing)) {
      return row.Fail(col[kProduct], "duplicate product",
                      absl::StrFormat("product '%s' is already described on line %d",
                                      ingest::Printable(code), first.LineOf(existing)));
    }
    if (!attributes.Push(row)) return false;
    Id id = 0;
    if (!ingest::InternCode(row, dicts.products, code, &id)) return false;
    first.Claim(id, row.line());
    ingest::PushGrow(product, id);
    if (bound(kProductName)) name.emplace_back(name_text);
    if (bound(kCategory)) {
      if (!ingest::InternCode(row, dicts.categories, category_code, &id)) return false;
      ingest::PushGrow(category, id);
    }
    if (bound(kCost)) {
      ingest::RaiseTo(money, target);
      ingest::PushGrow(cost, unit_cost.value);
      money.Track(unit_cost.value);
    }
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));

  ProductsCsv out;
  ProductsColumns c;
  c.product = Take(product, true);
  c.name = std::move(name);
  c.category = Take(category, bound(kCategory));
  c.standard_cost = Take(cost, bound(kCost));
  c.money_scale = money.scale();
  c.products = dicts.products;
  if (bound(kCategory)) c.categories = dicts.categories;
  c.attributes = attributes.Take();
  SALESIGHT_ASSIGN_OR_RETURN(out.table, Products::Build(std::move(c)));
  out.report = loader.Finish();
  return out;
}

// ---------------------------------------------------------------- targets
enum TargetField { kSalesperson, kTargetRegion, kMonth, kAmount, kNumTargetFields };
constexpr FieldSpec kTargetFields[kNumTargetFields] = {
    {"salesperson", false}, {"region", false}, {"month", true}, {"amount", true}};

// "2024-03", "2024/3", "202403" -> 202403, within 1900..2199.
bool ParseMonth(std::string_view s, std::int32_t* out) {
  int year = 0, month = 0;
  std::size_t p = 0;
  auto digits = [&](std::size_t n, int* v) {
    std::size_t k = 0;
    *v = 0;
    while (k < n && p < s.size() && s[p] >= '0' && s[p] <= '9') *v = *v * 10 + (s[p++] - '0'), ++k;
    return k;
  };
  if (digits(4, &year) != 4) return false;
  if (p < s.size() && (s[p] == '-' || s[p] == '/')) {
    ++p;
    if (digits(2, &month) == 0) return false;
  } else if (digits(2, &month) != 2) {
    return false;
  }
  if (p != s.size() || year < 1900 || year > 2199 || month < 1 || month > 12) return false;
  *out = year * 100 + month;
  return true;
}

absl::StatusOr<TargetsCsv> LoadTargets(ingest::Loader& loader, const IngestOptions& options,
                                       Dictionaries& dicts) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kTargetFields));
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys({}));
  if (col[kSalesperson] >= 0 && col[kTargetRegion] >= 0) {
    return absl::InvalidArgumentError(
        "targets: map either 'salesperson' or 'region' (the level of the targets), not both");
  }
  TargetLevel level = col[kSalesperson] >= 0    ? TargetLevel::kSalesperson
                      : col[kTargetRegion] >= 0 ? TargetLevel::kRegion
                                                : TargetLevel::kCompany;
  std::shared_ptr<Dictionary>* keys = level == TargetLevel::kSalesperson ? &dicts.salespeople
                                      : level == TargetLevel::kRegion    ? &dicts.regions
                                                                         : nullptr;
  const int key_col = level == TargetLevel::kSalesperson ? col[kSalesperson] : col[kTargetRegion];
  if (keys != nullptr) ingest::EnsureDictionary(*keys);

  const std::size_t reserve = loader.ReserveRows();
  std::vector<Id> key;
  std::vector<std::int32_t> month;
  std::vector<Money> amount;
  if (keys != nullptr) key.reserve(reserve);
  month.reserve(reserve);
  amount.reserve(reserve);
  ingest::MoneyScale money(options.money_scale, options.decimal_point,
                           options.thousands_separator);
  money.Register(&amount);
  loader.CheckTotals(col[kAmount], &amount, &money);

  auto row_fn = [&](Row& row) -> bool {
    std::string_view key_code;
    ParsedMoney amt;
    std::int32_t m = 0;
    if (!ingest::ReadCode(row, key_col, true, &key_code)) return false;
    std::string_view month_text = row.Get(col[kMonth]);
    if (month_text.empty()) return row.Fail(col[kMonth], "empty", "the field is required but empty");
    if (!ParseMonth(month_text, &m)) {
      return row.Fail(col[kMonth], "not a month",
                      absl::StrFormat("'%s' is not a month yyyy-mm or yyyymm in 1900..2199",
                                      ingest::Printable(month_text)));
    }
    if (!ingest::ReadMoney(row, col[kAmount], money, false, &amt)) return false;
    const ingest::MoneyField fields[] = {{col[kAmount], &amt}};
    int target = 0;
    if (!ingest::SettleRow(row, money, fields, &target) ||
        !NonNegative(row, col[kAmount], amt, "negative target", "target")) {
      return false;
    }
    if (keys != nullptr) {
      Id id = 0;
      if (!ingest::InternCode(row, *keys, key_code, &id)) return false;
      ingest::PushGrow(key, id);
    }
    ingest::PushGrow(month, m);
    ingest::RaiseTo(money, target);
    ingest::PushGrow(amount, amt.value);
    money.Track(amt.value);
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));

  TargetsCsv out;
  TargetsColumns c;
  c.level = level;
  c.key = Take(key, keys != nullptr);
  c.month = Take(month, true);
  c.amount = Take(amount, true);
  c.money_scale = money.scale();
  if (keys != nullptr) c.keys = *keys;
  SALESIGHT_ASSIGN_OR_RETURN(out.table, Targets::Build(std::move(c)));
  out.report = loader.Finish();
  return out;
}

}  // namespace

absl::StatusOr<CustomersCsv> ReadCustomersCsv(const std::string& path,
                                              const IngestOptions& options, Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "customers"));
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(CustomersCsv out, LoadCustomers(*loader, options, dicts));
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
  return out;
}

absl::StatusOr<ProductsCsv> ReadProductsCsv(const std::string& path, const IngestOptions& options,
                                            Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "products"));
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(ProductsCsv out, LoadProducts(*loader, options, dicts));
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
  return out;
}

absl::StatusOr<TargetsCsv> ReadTargetsCsv(const std::string& path, const IngestOptions& options,
                                          Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "targets"));
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(TargetsCsv out, LoadTargets(*loader, options, dicts));
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
  return out;
}

}  // namespace salesight
