// ReadOrdersCsv: order-line exports -> OrderLines (+ a per-line category).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "core/internal/code_table.hpp"
#include "internal/attributes.hpp"
#include "internal/canonical_ids.hpp"
#include "internal/loader.hpp"
#include "internal/orders_columns.hpp"
#include "internal/stream_batches.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

using ingest::FieldSpec;
using ingest::ParsedMoney;
using ingest::Row;

enum OrderField {
  kOrder, kLine, kDate, kCustomer, kProduct, kRegion, kSalesperson, kQuantity, kAmount, kCost,
  kUnitCost, kMargin, kChannel, kDepartment, kCategory, kNumOrderFields
};
constexpr FieldSpec kOrderFields[kNumOrderFields] = {
    {"order", true},     {"line", false},       {"date", true},        {"customer", true},
    {"product", false},  {"region", false},     {"salesperson", false}, {"quantity", false},
    {"amount", true},    {"cost", false},       {"unit_cost", false},  {"margin", false},
    {"channel", false},  {"department", false}, {"category", false}};

constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();

}  // namespace

namespace ingest {

absl::StatusOr<OrderColumns> LoadOrderColumns(Loader& loader, const IngestOptions& options,
                                              Dictionaries& dicts, OrderBatchSink* sink,
                                              CodeIds code_ids) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kOrderFields));
  constexpr std::string_view kDateFields[] = {"date"};
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys(kDateFields));
  const bool has_cost = col[kCost] >= 0, has_unit_cost = col[kUnitCost] >= 0,
             has_margin = col[kMargin] >= 0;
  if (has_cost + has_unit_cost + has_margin > 1) {
    return absl::InvalidArgumentError(
        "orders: map at most one of the fields cost, unit_cost and margin");
  }
  if (has_unit_cost && col[kQuantity] < 0) {
    return absl::InvalidArgumentError("orders: field 'unit_cost' needs field 'quantity' mapped");
  }
  const int cost_col = has_cost ? col[kCost] : has_unit_cost ? col[kUnitCost] : col[kMargin];
  auto bound = [&](OrderField f) { return col[f] >= 0; };
  SALESIGHT_ASSIGN_OR_RETURN(
      ingest::AttributeReader attributes,
      ingest::AttributeReader::Create(loader, options, col, kOrderLinesFieldNames));

  // Dictionaries of bound code fields exist even when no row is accepted, so the
  // table always carries them.
  ingest::EnsureDictionary(dicts.customers);
  if (bound(kProduct)) ingest::EnsureDictionary(dicts.products);
  if (bound(kRegion)) ingest::EnsureDictionary(dicts.regions);
  if (bound(kSalesperson)) ingest::EnsureDictionary(dicts.salespeople);
  if (bound(kChannel)) ingest::EnsureDictionary(dicts.channels);
  if (bound(kDepartment)) ingest::EnsureDictionary(dicts.departments);
  if (bound(kCategory)) ingest::EnsureDictionary(dicts.categories);
  // The per-row probe (code_table.hpp): the dictionaries' own ids, each
  // dictionary touched once per distinct code; kLocal: the read's own ids.
  const bool local = code_ids == CodeIds::kLocal && sink == nullptr;
  auto cache = [&](OrderField f, std::shared_ptr<Dictionary>& dict) {
    if (!bound(f)) return std::optional<internal::InternCache>();
    return std::make_optional(local ? internal::InternCache() : internal::InternCache(*dict));
  };
  std::optional<internal::InternCache> customer_ids = cache(kCustomer, dicts.customers),
                                       product_ids = cache(kProduct, dicts.products),
                                       region_ids = cache(kRegion, dicts.regions),
                                       salesperson_ids = cache(kSalesperson, dicts.salespeople),
                                       channel_ids = cache(kChannel, dicts.channels),
                                       department_ids = cache(kDepartment, dicts.departments),
                                       category_ids = cache(kCategory, dicts.categories);

  const std::size_t reserve = sink == nullptr ? loader.ReserveRows() : 0;
  ingest::KeyColumn order(&dicts.orders);
  std::vector<std::int32_t> line, quantity;
  std::vector<Day> date;
  std::vector<Id> customer, product, region, salesperson, channel, department, category;
  std::vector<Money> amount, cost;
  order.values().reserve(reserve);
  date.reserve(reserve);
  customer.reserve(reserve);
  amount.reserve(reserve);
  if (bound(kLine)) line.reserve(reserve);
  if (bound(kQuantity)) quantity.reserve(reserve);
  if (bound(kProduct)) product.reserve(reserve);
  if (bound(kRegion)) region.reserve(reserve);
  if (bound(kSalesperson)) salesperson.reserve(reserve);
  if (bound(kChannel)) channel.reserve(reserve);
  if (bound(kDepartment)) department.reserve(reserve);
  if (bound(kCategory)) category.reserve(reserve);
  if (cost_col >= 0) cost.reserve(reserve);

  ingest::MoneyScale money(options.money_scale, options.decimal_point,
                           options.thousands_separator);
  money.Register(&amount);
  money.Register(&cost);
  loader.CheckTotals(col[kAmount], &amount, &money);
  if (has_cost) loader.CheckTotals(col[kCost], &cost, &money);  // cost as in the file
  ingest::DateParser dates(loader.DateParserFor("date"));
  const char thousands = options.thousands_separator;

  // The columns, each through `column(vector, bound)`.
  auto take = [&](auto&& column) {
    OrderColumns out;
    out.order_codes = order.codes();
    OrderLinesColumns& c = out.c;
    c.order_id = column(order.values(), true);
    if (out.order_codes) c.orders = dicts.orders;  // messages name the numbers as given
    c.line = column(line, bound(kLine));
    c.order_date = column(date, true);
    c.customer = column(customer, true);
    c.product = column(product, bound(kProduct));
    c.region = column(region, bound(kRegion));
    c.salesperson = column(salesperson, bound(kSalesperson));
    c.quantity = column(quantity, bound(kQuantity));
    c.amount = column(amount, true);
    if (has_unit_cost) {
      c.unit_cost = column(cost, true);
    } else {
      c.cost = column(cost, cost_col >= 0);
    }
    c.channel = column(channel, bound(kChannel));
    c.department = column(department, bound(kDepartment));
    out.category = column(category, bound(kCategory));
    c.money_scale = money.scale();
    out.large_amounts = money.saw_large();
    c.customers = dicts.customers;
    if (bound(kProduct)) c.products = dicts.products;
    if (bound(kRegion)) c.regions = dicts.regions;
    if (bound(kSalesperson)) c.salespeople = dicts.salespeople;
    if (bound(kChannel)) c.channels = dicts.channels;
    if (bound(kDepartment)) c.departments = dicts.departments;
    c.attributes = attributes.Take();
    out.has_line = bound(kLine);
    out.has_quantity = bound(kQuantity);
    out.has_category = bound(kCategory);
    out.cost_kind = has_unit_cost ? OrderColumns::kUnitCost
                    : cost_col >= 0 ? OrderColumns::kCost
                                    : OrderColumns::kNoCost;
    out.money_columns.push_back(loader.header()[static_cast<std::size_t>(col[kAmount])]);
    if (cost_col >= 0) out.money_columns.push_back(loader.header()[static_cast<std::size_t>(cost_col)]);
    return out;
  };
  // Streaming: hands the rows before the first one an open document still
  // needs to the sink (salesight/csv_stream.hpp).
  std::optional<ingest::BatchCut> cut;
  if (sink != nullptr) cut.emplace(loader, sink->bytes);
  auto emit = [&](bool at_end) -> absl::Status {
    const std::size_t rows = cut->Due(at_end);
    if (rows == 0) return absl::OkStatus();
    sink->emitted_numeric_keys |= !order.codes();
    auto lend = [&](auto& v, bool is_bound) { return cut->Lend(v, is_bound, rows); };
    absl::Status st = sink->emit(take(lend));
    cut->Taken(rows);
    return st;
  };

  auto row_fn = [&](Row& row) -> bool {
    if (cut) {
      if (absl::Status st = emit(false); !st.ok()) return row.Fatal(st);
    }
    std::string_view order_code, customer_code, product_code, region_code, salesperson_code,
        channel_code, department_code, category_code;
    std::int64_t line_no = 0, qty = 0;
    Day day = kNoDate;
    ParsedMoney amt, cst;
    // Validate every field first (fields in mapping-table order), store nothing.
    if (!ingest::ReadCode(row, col[kOrder], true, &order_code) ||
        !ingest::ReadInt(row, col[kLine], thousands, kInt32Min, kInt32Max, &line_no) ||
        !ingest::ReadDate(row, col[kDate], dates, true, &day) ||
        !ingest::ReadCode(row, col[kCustomer], true, &customer_code) ||
        !ingest::ReadCode(row, col[kProduct], false, &product_code) ||
        !ingest::ReadCode(row, col[kRegion], false, &region_code) ||
        !ingest::ReadCode(row, col[kSalesperson], false, &salesperson_code) ||
        !ingest::ReadInt(row, col[kQuantity], thousands, kInt32Min, kInt32Max, &qty) ||
        !ingest::ReadMoney(row, col[kAmount], money, false, &amt) ||
        !(has_margin ? ingest::ReadMoneyOrPercentOf(row, cost_col, money, amt, &cst)
                     : ingest::ReadMoney(row, cost_col, money, false, &cst)) ||
        !ingest::ReadCode(row, col[kChannel], false, &channel_code) ||
        !ingest::ReadCode(row, col[kDepartment], false, &department_code) ||
        !ingest::ReadCode(row, col[kCategory], false, &category_code) ||
        !attributes.Read(row)) {
      return false;
    }
    const ingest::MoneyField fields[] = {{col[kAmount], &amt}, {cost_col, &cst}};
    int target = 0;
    if (!ingest::SettleRow(row, money, fields, &target)) return false;
    Money line_cost = cst.value;
    Money magnitude = cst.value;  // what must stay within +-kMaxMoney when rescaled
    if (has_margin) {
      if (__builtin_sub_overflow(amt.value, cst.value, &line_cost) || line_cost > kMaxMoney ||
          line_cost < -kMaxMoney) {
        return row.Fail(col[kMargin], "cost out of range",
                        absl::StrFormat("cost = amount - margin = %s - %s overflows +-9e15",
                                        FormatMoney(amt.value, target),
                                        FormatMoney(cst.value, target)));
      }
      magnitude = line_cost;
    } else if (has_unit_cost) {
      if (cst.value < 0) {
        return row.Fail(col[kUnitCost], "negative unit cost",
                        absl::StrFormat("unit cost %s is negative", FormatMoney(cst.value, target)));
      }
      if (!MulMoney(cst.value, qty, &magnitude) || magnitude > kMaxMoney ||
          magnitude < -kMaxMoney) {
        return row.Fail(col[kUnitCost], "cost out of range",
                        absl::StrFormat("quantity %d x unit cost %s overflows +-9e15", qty,
                                        FormatMoney(cst.value, target)));
      }
    }
    // Commit.
    if (!attributes.Push(row)) return false;
    if (absl::Status st = order.Push(order_code); !st.ok()) return row.Fatal(st);
    auto code = [&](std::optional<internal::InternCache>& ids, std::string_view text,
                    std::vector<Id>& out) {
      if (!ids) return true;
      absl::StatusOr<Id> v = ids->Intern(text);
      if (!v.ok()) return row.Fatal(v.status());
      ingest::PushGrow(out, *v);
      return true;
    };
    if (!code(customer_ids, customer_code, customer) ||
        !code(product_ids, product_code, product) ||
        !code(region_ids, region_code, region) ||
        !code(salesperson_ids, salesperson_code, salesperson) ||
        !code(channel_ids, channel_code, channel) ||
        !code(department_ids, department_code, department) ||
        !code(category_ids, category_code, category)) {
      return false;
    }
    if (bound(kLine)) ingest::PushGrow(line, static_cast<std::int32_t>(line_no));
    if (bound(kQuantity)) ingest::PushGrow(quantity, static_cast<std::int32_t>(qty));
    ingest::PushGrow(date, day);
    ingest::RaiseTo(money, target);
    ingest::PushGrow(amount, amt.value);
    money.Track(amt.value);
    if (cost_col >= 0) {
      ingest::PushGrow(cost, line_cost);
      money.Track(magnitude);
    }
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));
  auto all = [](auto& v, bool is_bound) { return ingest::TakeAll(v, is_bound); };
  if (sink == nullptr) {
    using D = Dictionaries;
    const std::tuple<std::optional<internal::InternCache>*, std::vector<Id>*,
                     std::shared_ptr<Dictionary> D::*>
        fields[] = {{&customer_ids, &customer, &D::customers},
                    {&product_ids, &product, &D::products},
                    {&region_ids, &region, &D::regions},
                    {&salesperson_ids, &salesperson, &D::salespeople},
                    {&channel_ids, &channel, &D::channels},
                    {&department_ids, &department, &D::departments},
                    {&category_ids, &category, &D::categories}};
    std::vector<std::pair<std::shared_ptr<Dictionary> D::*, internal::CodeTable>> local_codes;
    for (const auto& [ids, column, slot] : fields) {
      if (!*ids) continue;
      // In place, before the columns are shared: OrderReadCodes then finds the
      // codes in order and copies no id column to remap it.
      if (code_ids == CodeIds::kOrdered) (*ids)->ToCanonical(*column);
      if (local) local_codes.emplace_back(slot, std::move((*ids)->table()));
    }
    OrderColumns out = take(all);
    out.local_codes = std::move(local_codes);
    return out;
  }
  SALESIGHT_RETURN_IF_ERROR(emit(true));
  return take(all);  // no rows left: the table's shape, scale and dictionaries
}

absl::StatusOr<OrdersCsv> BuildOrders(OrderColumns columns, RejectReport report) {
  OrdersCsv out;
  out.order_ids_are_codes = columns.order_codes;
  out.category = std::move(columns.category);
  SALESIGHT_ASSIGN_OR_RETURN(out.table, OrderLines::Build(std::move(columns.c)));
  out.report = std::move(report);
  return out;
}

}  // namespace ingest

namespace {

absl::StatusOr<OrdersCsv> LoadOrders(ingest::Loader& loader, const IngestOptions& options,
                                     Dictionaries& dicts) {
  SALESIGHT_ASSIGN_OR_RETURN(ingest::OrderColumns columns,
                             ingest::LoadOrderColumns(loader, options, dicts, nullptr,
                                                                 ingest::CodeIds::kOrdered));
  return ingest::BuildOrders(std::move(columns), loader.Finish());
}

}  // namespace

absl::StatusOr<OrdersCsv> ReadOrdersCsv(const std::string& path, const IngestOptions& options,
                                        Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "orders"));
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(std::optional<OrdersCsv> chunked,
                             ingest::ReadOrdersInChunks(path, *loader, options, dicts));
  if (chunked.has_value()) {
    SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, *chunked));
    return *std::move(chunked);
  }
  SALESIGHT_ASSIGN_OR_RETURN(OrdersCsv out, LoadOrders(*loader, options, dicts));
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
  return out;
}

}  // namespace salesight
