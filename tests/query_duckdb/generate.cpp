// The C++ half of the differential test of the query engine against DuckDB
// (issue 14 item 6; the other half is differential.mjs beside this file).
//
//   salesight_query_duckdb_gen --out DIR --datasets N --specs K [--table-specs J] --seed S
//
// writes N random datasets, each in DIR/dNNNNN/ as plain CSV files DuckDB reads
// (lines.csv, products.csv, customers.csv: text quoted, an empty text is a
// member of its own, "" never means missing), and K random query specs per
// dataset with salesight's answer to each, one JSON object a line in
// specs.jsonl: {"spec": <QuerySpecJson>, "result": {"columns": [...],
// "types": [...], "rows": [[...], ...]}}. Money and counts are decimal strings
// (exact int64 minor units), ratios %.17g strings, null is null.
//
// The datasets hold what the issue asks the suite to cover: Unicode members, a
// text with a comma, an attribute whose member is the empty text, products and
// customers without a master row (their category / Tier read "(none)"), returns
// and zero amounts, costs above the amount (negative margins), an order whose
// lines fall on different days, ERP order numbers far apart, a single line, and
// date spans over Feb 29 and ISO weeks 53. The cost of a line comes from a cost
// column, from the products' standard cost, or is unknown (margin.hpp's rules).
// Specs: 1-5 orders measures, 0-3 dimensions (fields, attributes, related
// master fields, a date and periods of any grain), a range and a grain,
// compare previous / last-year, row filters of every op nested in and/or
// (some select nothing), measure filters (HAVING) nested too, order, limit,
// offset, top-N with and without "(others)", grand totals and subtotals.
// Then J specs of the pipeline, receivables and targets measures per dataset
// (tables.hpp: the datasets' pipeline, invoices and targets, alone or mixed
// with orders measures). Every spec must run: an error is a failure of the
// suite (exit 1).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/dataset.hpp"
#include "salesight/query.hpp"
#include "salesight/status_macros.hpp"
#include "result_json.hpp"
#include "tables.hpp"

namespace salesight {
namespace {

using Rng = std::mt19937_64;

int Pick(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

struct Line {
  std::int64_t order;
  Day day;
  Id customer, product, region, salesperson, seg;
  std::int32_t quantity;
  Money amount, cost;
};

// Members sorted bytewise: dictionaries are in their codes' canonical order.
struct World {
  std::vector<std::string> customers, products, regions, salespeople, segs, categories, tiers;
  std::vector<Id> category_of;       // per product; kNoId = no master row
  std::vector<Money> standard_cost;  // per product; kNoStandardCost = none
  std::vector<Id> tier_of;           // per customer; kNoId = no master row
  int cost_mode = 0;                 // 0 a cost column, 1 products' standard costs, 2 none
  std::vector<Line> lines;
  Day start = 0;  // the window of the lines' days
  int span = 0;
  query_duckdb::OtherTables other;  // pipeline, invoices, targets (tables.hpp)
  query_duckdb::SharedMembers Shared() const { return {&customers, &salespeople, &regions}; }
};

std::vector<std::string> Subset(Rng& rng, std::vector<std::string> pool, int at_least) {
  std::shuffle(pool.begin(), pool.end(), rng);
  pool.resize(static_cast<std::size_t>(Pick(rng, at_least, static_cast<int>(pool.size()))));
  std::sort(pool.begin(), pool.end());
  return pool;
}

World RandomWorld(Rng& rng) {
  World w;
  w.customers = Subset(rng, {"C1", "C2", "C3", "客户", "Ölmühle"}, 1);
  w.products = Subset(rng, {"P1", "P2", "P3", "P4", "Stuhl, grün"}, 1);
  w.regions = Subset(rng, {"East", "North", "West", "华东"}, 1);
  w.salespeople = Subset(rng, {"Ann", "Bob", "张伟"}, 1);
  w.segs = {"", "Corporate", "Home"};
  w.categories = {"Furniture", "Office", "Ü-Tech"};
  w.tiers = {"Gold", "Silver", "金"};
  for (std::size_t p = 0; p < w.products.size(); ++p) {
    w.category_of.push_back(Pick(rng, 0, 3) == 0 ? kNoId : static_cast<Id>(Pick(rng, 0, 2)));
    w.standard_cost.push_back(Pick(rng, 0, 2) == 0 ? kNoStandardCost : Pick(rng, 0, 4000));
  }
  for (std::size_t c = 0; c < w.customers.size(); ++c) {
    w.tier_of.push_back(Pick(rng, 0, 3) == 0 ? kNoId : static_cast<Id>(Pick(rng, 0, 2)));
  }
  // One master row at least: an empty table offers no field to resolve.
  if (w.category_of[0] == kNoId) w.category_of[0] = 0;
  if (w.tier_of[0] == kNoId) w.tier_of[0] = 0;
  w.cost_mode = Pick(rng, 0, 2);
  const int n = Pick(rng, 0, 4) == 0 ? Pick(rng, 1, 2) : Pick(rng, 3, 60);
  // Starts near a Feb 29 (2020, 2024) and ISO weeks 53 (2020, 2026).
  const Day starts[] = {DayFromCivil(2019, 11, 1), DayFromCivil(2023, 6, 1),
                        DayFromCivil(2025, 10, 1)};
  const Day start = starts[Pick(rng, 0, 2)];
  const int span = Pick(rng, 0, 3) == 0 ? Pick(rng, 0, 40) : Pick(rng, 100, 800);
  const std::int64_t order_step = Pick(rng, 0, 2) == 0 ? 1'000'000'007 : 1;
  const int orders = Pick(rng, 1, std::max(1, n / 2));
  auto id = [&](const std::vector<std::string>& v) {
    return static_cast<Id>(Pick(rng, 0, static_cast<int>(v.size()) - 1));
  };
  for (int i = 0; i < n; ++i) {
    Line l;
    l.order = Pick(rng, 1, orders) * order_step;
    l.day = start + Pick(rng, 0, span);
    l.customer = id(w.customers);
    l.product = id(w.products);
    l.region = id(w.regions);
    l.salesperson = id(w.salespeople);
    l.seg = id(w.segs);
    l.quantity = Pick(rng, -2, 5);
    const int kind = Pick(rng, 0, 9);
    l.amount = kind == 0 ? -Pick(rng, 1, 3000) : kind == 1 ? 0 : Pick(rng, 1, 10000);
    l.cost = Pick(rng, -1000, 9000);
    w.lines.push_back(l);
  }
  w.start = start;
  w.span = span;
  // Their own stream (seeded from this one): changing them leaves the lines alone.
  Rng other(rng());
  w.other = query_duckdb::RandomOtherTables(other, w.Shared(), start, span);
  return w;
}

DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

absl::StatusOr<Dataset> Build(const World& w) {
  OrderLinesColumns o;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, product, region, salesperson, seg;
  std::vector<std::int32_t> quantity;
  std::vector<Money> amount, cost;
  for (const Line& l : w.lines) {
    order.push_back(l.order);
    day.push_back(l.day);
    customer.push_back(l.customer);
    product.push_back(l.product);
    region.push_back(l.region);
    salesperson.push_back(l.salesperson);
    seg.push_back(l.seg);
    quantity.push_back(l.quantity);
    amount.push_back(l.amount);
    cost.push_back(l.cost);
  }
  o.order_id = Column<std::int64_t>::Own(order);
  o.order_date = Column<Day>::Own(day);
  o.customer = Column<Id>::Own(customer);
  const DictionaryPtr customers = Dict(w.customers), products = Dict(w.products);
  o.customers = customers;
  o.product = Column<Id>::Own(product);
  o.products = products;
  const DictionaryPtr regions = Dict(w.regions), salespeople = Dict(w.salespeople);
  o.region = Column<Id>::Own(region);
  o.regions = regions;
  o.salesperson = Column<Id>::Own(salesperson);
  o.salespeople = salespeople;
  o.quantity = Column<std::int32_t>::Own(quantity);
  o.amount = Column<Money>::Own(amount);
  if (w.cost_mode == 0) o.cost = Column<Money>::Own(cost);
  o.attributes.push_back(AttributeColumn{"Seg", Column<Id>::Own(seg), Dict(w.segs)});
  DatasetTables t;
  SALESIGHT_ASSIGN_OR_RETURN(OrderLines lines, OrderLines::Build(std::move(o)));
  t.orders = std::make_shared<const OrderLines>(std::move(lines));

  ProductsColumns p;
  std::vector<Id> ids, cats;
  std::vector<Money> costs;
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    if (w.category_of[i] == kNoId) continue;
    ids.push_back(static_cast<Id>(i));
    cats.push_back(w.category_of[i]);
    costs.push_back(w.cost_mode == 1 ? w.standard_cost[i] : kNoStandardCost);
  }
  p.product = Column<Id>::Own(ids);
  p.products = products;
  p.category = Column<Id>::Own(cats);
  p.categories = Dict(w.categories);
  p.standard_cost = Column<Money>::Own(costs);
  SALESIGHT_ASSIGN_OR_RETURN(Products product_table, Products::Build(std::move(p)));
  t.products = std::make_shared<const Products>(std::move(product_table));

  CustomersColumns c;
  std::vector<Id> cids, tiers;
  for (std::size_t i = 0; i < w.customers.size(); ++i) {
    if (w.tier_of[i] == kNoId) continue;
    cids.push_back(static_cast<Id>(i));
    tiers.push_back(w.tier_of[i]);
  }
  c.customer = Column<Id>::Own(cids);
  c.customers = customers;
  c.attributes.push_back(AttributeColumn{"Tier", Column<Id>::Own(tiers), Dict(w.tiers)});
  SALESIGHT_ASSIGN_OR_RETURN(Customers customer_table, Customers::Build(std::move(c)));
  t.customers = std::make_shared<const Customers>(std::move(customer_table));
  SALESIGHT_RETURN_IF_ERROR(
      query_duckdb::AddOtherTables(w.other, customers, salespeople, regions, t));
  return Dataset::Build(std::move(t));
}

// ---------------------------------------------------------------- files
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

void WriteWorld(const World& w, const std::filesystem::path& dir) {
  auto at = [](const std::vector<std::string>& v, Id i) { return Quote(v[static_cast<std::size_t>(i)]); };
  std::ofstream lines(dir / "lines.csv");
  lines << "order_id,order_date,customer,product,region,salesperson,quantity,amount"
        << (w.cost_mode == 0 ? ",cost" : "") << ",Seg\n";
  for (const Line& l : w.lines) {
    lines << l.order << ',' << FormatDate(l.day) << ',' << at(w.customers, l.customer) << ','
          << at(w.products, l.product) << ',' << at(w.regions, l.region) << ','
          << at(w.salespeople, l.salesperson) << ',' << l.quantity << ',' << l.amount;
    if (w.cost_mode == 0) lines << ',' << l.cost;
    lines << ',' << at(w.segs, l.seg) << '\n';
  }
  // standard_cost: empty = none for this product.
  std::ofstream products(dir / "products.csv");
  products << "product,category,standard_cost\n";
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    if (w.category_of[i] == kNoId) continue;
    products << Quote(w.products[i]) << ',' << at(w.categories, w.category_of[i]) << ',';
    if (w.cost_mode == 1 && w.standard_cost[i] != kNoStandardCost) products << w.standard_cost[i];
    products << '\n';
  }
  std::ofstream customers(dir / "customers.csv");
  customers << "customer,Tier\n";
  for (std::size_t i = 0; i < w.customers.size(); ++i) {
    if (w.tier_of[i] != kNoId) customers << Quote(w.customers[i]) << ',' << at(w.tiers, w.tier_of[i]) << '\n';
  }
  query_duckdb::WriteOtherTables(w.other, w.Shared(), dir);
}

// ---------------------------------------------------------------- specs
const std::vector<std::string> kMeasures = {
    "revenue", "cost", "costed_revenue", "margin", "margin_pct", "quantity", "lines",
    "orders", "customers", "new_customers", "returning_customers", "aov",
    "revenue_per_customer", "return_amount"};
// Text members: order fields, an order attribute, a product master field, a
// customer master attribute.
const std::vector<std::string> kTextMembers = {"region", "salesperson", "product", "customer",
                                               "Seg", "category", "Tier"};
const std::vector<std::string> kGrains = {"day", "week", "month", "quarter", "year", "fiscal_year"};

bool IsMoney(const std::string& m) {
  return m == "revenue" || m == "cost" || m == "costed_revenue" || m == "margin" ||
         m == "return_amount";
}
bool IsRatio(const std::string& m) {
  return m == "margin_pct" || m == "aov" || m == "revenue_per_customer";
}

Grain RandomGrain(Rng& rng) {
  const std::string name = kGrains[static_cast<std::size_t>(Pick(rng, 0, 5))];
  if (name == "fiscal_year") return Grain(GrainUnit::kFiscalYear, Pick(rng, 1, 12));
  return *ParseGrain(name);
}

Day RandomDay(Rng& rng, const World& w) {
  // Near the data mostly, sometimes outside it (everything filtered out).
  const Line& l = w.lines[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(w.lines.size()) - 1))];
  return l.day + (Pick(rng, 0, 5) == 0 ? Pick(rng, -400, 400) : Pick(rng, -20, 20));
}

QueryFilter RowCondition(Rng& rng, const World& w) {
  QueryFilter f;
  if (Pick(rng, 0, 3) == 0) {
    f.member = "order_date";
    const FilterOp ops[] = {FilterOp::kEquals, FilterOp::kNotEquals, FilterOp::kIn,
                            FilterOp::kNotIn,  FilterOp::kGt,        FilterOp::kGte,
                            FilterOp::kLt,     FilterOp::kLte,       FilterOp::kBetween,
                            FilterOp::kSet,    FilterOp::kNotSet};
    f.op = ops[Pick(rng, 0, 10)];
    auto day = [&] { return QueryValue(FormatDate(RandomDay(rng, w))); };
    if (f.op == FilterOp::kBetween) {
      const Day a = RandomDay(rng, w);
      f.values = {FormatDate(a), FormatDate(a + Pick(rng, 0, 200))};
    } else if (f.op == FilterOp::kIn || f.op == FilterOp::kNotIn) {
      for (int i = Pick(rng, 1, 3); i > 0; --i) f.values.push_back(day());
    } else if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
      f.values = {day()};
    }
    return f;
  }
  f.member = kTextMembers[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(kTextMembers.size()) - 1))];
  const FilterOp ops[] = {FilterOp::kEquals,   FilterOp::kNotEquals,  FilterOp::kIn,
                          FilterOp::kNotIn,    FilterOp::kContains,   FilterOp::kStartsWith,
                          FilterOp::kSet,      FilterOp::kNotSet};
  f.op = ops[Pick(rng, 0, 7)];
  const std::vector<std::string> pool = {
      "C1", "C2", "客户", "Ölmühle", "P1", "P3", "Stuhl, grün", "East", "West", "华东", "Ann",
      "张伟", "Furniture", "Ü-Tech", "Gold", "金", "(none)", "Corporate", "", "e", "o", "Ho",
      "P", "X", "客", "Ü", "'"};
  if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
    const int k = f.op == FilterOp::kEquals || f.op == FilterOp::kNotEquals ? 1 : Pick(rng, 1, 3);
    for (int i = 0; i < k; ++i) {
      f.values.emplace_back(pool[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(pool.size()) - 1))]);
    }
  }
  return f;
}

QueryFilter RowFilter(Rng& rng, const World& w, int depth) {
  if (depth == 0 || Pick(rng, 0, 2) != 0) return RowCondition(rng, w);
  QueryFilter f;
  f.kind = Pick(rng, 0, 1) == 0 ? QueryFilter::Kind::kAnd : QueryFilter::Kind::kOr;
  for (int i = Pick(rng, 1, 3); i > 0; --i) f.children.push_back(RowFilter(rng, w, depth - 1));
  return f;
}

// A condition on a measure of the query (HAVING): money in currency units,
// sometimes with cents (never a half cent: rounding is not the question here).
QueryFilter MeasureCondition(Rng& rng, const std::string& measure) {
  QueryFilter f;
  f.member = measure;
  const FilterOp ops[] = {FilterOp::kGt,     FilterOp::kGte,   FilterOp::kLt,
                          FilterOp::kLte,    FilterOp::kEquals, FilterOp::kNotEquals,
                          FilterOp::kIn,     FilterOp::kNotIn, FilterOp::kBetween,
                          FilterOp::kSet,    FilterOp::kNotSet};
  f.op = ops[Pick(rng, 0, 10)];
  auto value = [&]() -> QueryValue {
    if (IsMoney(measure)) {
      if (Pick(rng, 0, 2) == 0) return Pick(rng, -3000, 15000) / 100.0;
      return std::int64_t{Pick(rng, -30, 150)};
    }
    if (IsRatio(measure)) {
      if (Pick(rng, 0, 1) == 0) return Pick(rng, -400, 400) / 4.0;
      return std::int64_t{Pick(rng, -50, 100)};
    }
    return std::int64_t{Pick(rng, -1, 6)};
  };
  auto number = [](const QueryValue& v) {
    return std::holds_alternative<double>(v) ? std::get<double>(v)
                                             : static_cast<double>(std::get<std::int64_t>(v));
  };
  if (f.op == FilterOp::kBetween) {
    QueryValue a = value(), b = value();
    if (number(a) > number(b)) std::swap(a, b);
    f.values = {a, b};
  } else if (f.op == FilterOp::kIn || f.op == FilterOp::kNotIn) {
    for (int i = Pick(rng, 1, 3); i > 0; --i) f.values.push_back(value());
  } else if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
    f.values = {value()};
  }
  return f;
}

QueryFilter MeasureFilter(Rng& rng, const QuerySpec& s, int depth) {
  if (depth == 0 || Pick(rng, 0, 2) != 0) {
    return MeasureCondition(rng, s.measures[static_cast<std::size_t>(
                                     Pick(rng, 0, static_cast<int>(s.measures.size()) - 1))]);
  }
  QueryFilter f;
  f.kind = Pick(rng, 0, 1) == 0 ? QueryFilter::Kind::kAnd : QueryFilter::Kind::kOr;
  for (int i = Pick(rng, 1, 3); i > 0; --i) f.children.push_back(MeasureFilter(rng, s, depth - 1));
  return f;
}

QuerySpec RandomSpec(Rng& rng, const World& w) {
  QuerySpec s;
  std::vector<std::string> measures = kMeasures;
  std::shuffle(measures.begin(), measures.end(), rng);
  measures.resize(static_cast<std::size_t>(Pick(rng, 1, 5)));
  s.measures = measures;

  std::optional<Grain> grain;
  if (Pick(rng, 0, 2) != 0) {
    QueryTime t;
    t.dimension = "order_date";
    if (Pick(rng, 0, 3) != 0) t.grain = RandomGrain(rng);
    if (Pick(rng, 0, 1) == 0) t.from = RandomDay(rng, w);
    if (Pick(rng, 0, 1) == 0) t.to = RandomDay(rng, w) + Pick(rng, 0, 300);
    if (t.from != kNoDate && t.to != kNoDate && t.from > t.to) std::swap(t.from, t.to);
    if (t.grain && Pick(rng, 0, 2) == 0) {
      t.compare = Pick(rng, 0, 1) == 0 ? QueryCompare::kPrevious : QueryCompare::kLastYear;
    }
    grain = t.grain;
    s.time = t;
  }
  const std::string time_column = grain ? "order_date." + QueryGrainText(*grain) : "";
  std::vector<std::string> dims = kTextMembers;
  dims.push_back("order_date");
  for (int i = 0; i < 3; ++i) dims.push_back("order_date." + QueryGrainText(RandomGrain(rng)));
  dims.push_back(QueryGrainText(RandomGrain(rng)));  // a bare grain: a period of order_date
  std::shuffle(dims.begin(), dims.end(), rng);
  const std::size_t want = static_cast<std::size_t>(Pick(rng, 0, 3));
  bool dated = false;
  for (const std::string& d : dims) {
    if (s.dimensions.size() == want) break;
    // A period listed once (the time column is not a dimension too); one
    // date dimension at most (days x days would pass the group cap).
    const bool date = d.rfind("order_date", 0) == 0 || ParseGrain(d).ok();
    if (d == time_column || "order_date." + d == time_column || (date && dated)) continue;
    if (std::count(s.dimensions.begin(), s.dimensions.end(), d) > 0) continue;
    dated = dated || date;
    s.dimensions.push_back(d);
  }

  // Half the specs without a row filter: with one, many select nothing.
  const int row_filters = std::max(0, Pick(rng, 0, 5) - 2);
  for (int i = row_filters == 3 ? 2 : row_filters; i > 0; --i) s.filters.push_back(RowFilter(rng, w, 2));
  if (Pick(rng, 0, 3) == 0) s.filters.push_back(MeasureFilter(rng, s, 2));

  std::vector<std::string> columns = s.measures;
  columns.insert(columns.end(), s.dimensions.begin(), s.dimensions.end());
  if (grain) columns.push_back(time_column);
  for (int i = Pick(rng, 0, 3) - 1; i > 0; --i) {
    s.order.push_back(QueryOrder{
        columns[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(columns.size()) - 1))],
        Pick(rng, 0, 1) == 0});
  }
  if (Pick(rng, 0, 4) == 0) s.limit = Pick(rng, 0, 5);
  if (Pick(rng, 0, 5) == 0) s.offset = Pick(rng, 0, 3);
  if ((!s.dimensions.empty() || grain) && Pick(rng, 0, 3) == 0) {
    QueryTop top;
    top.n = Pick(rng, 1, 3);
    if (Pick(rng, 0, 1) == 0) {
      top.by = s.measures[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(s.measures.size()) - 1))];
    }
    top.others = Pick(rng, 0, 1) == 0;
    s.top = top;
  }
  const int totals = Pick(rng, 0, 5);
  if (totals == 1) s.totals = QueryTotals::kGrand;
  if (totals == 2 && !s.dimensions.empty()) s.totals = QueryTotals::kSubtotals;
  return s;
}

int Main(int argc, char** argv) {
  std::string out;
  int datasets = 1, specs = 1, table_specs = 0;
  std::uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--out") out = value;
    else if (flag == "--datasets") datasets = std::stoi(value);
    else if (flag == "--specs") specs = std::stoi(value);
    else if (flag == "--table-specs") table_specs = std::stoi(value);
    else if (flag == "--seed") seed = std::stoull(value);
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (out.empty()) {
    std::cerr << "usage: salesight_query_duckdb_gen --out DIR --datasets N --specs K [--table-specs J] --seed S\n";
    return 2;
  }
  Rng rng(seed);
  for (int d = 0; d < datasets; ++d) {
    const World w = RandomWorld(rng);
    absl::StatusOr<Dataset> data = Build(w);
    if (!data.ok()) {
      std::cerr << "dataset " << d << ": " << data.status() << "\n";
      return 1;
    }
    const std::filesystem::path dir = std::filesystem::path(out) / absl::StrFormat("d%05d", d);
    std::filesystem::create_directories(dir);
    WriteWorld(w, dir);
    std::ofstream jsonl(dir / "specs.jsonl");
    // The table specs draw from their own stream too (tables.hpp), after the orders specs.
    Rng table_rng(rng());
    for (int k = 0; k < specs + table_specs; ++k) {
      const QuerySpec spec = k < specs ? RandomSpec(rng, w)
                                       : query_duckdb::RandomTableSpec(table_rng, w.Shared(), w.start, w.span);
      QueryRunOptions options;
      options.num_threads = Pick(rng, 1, 2);
      options.min_rows_per_thread = 1;
      absl::StatusOr<QueryResult> got = RunQuery(*data, spec, options);
      if (!got.ok()) {
        std::cerr << "dataset " << dir << " spec " << k << ": " << QuerySpecJson(spec) << "\n"
                  << got.status() << "\n";
        return 1;
      }
      jsonl << "{\"spec\":" << QuerySpecJson(spec) << ",\"result\":" << query_duckdb::ResultJson(got->table)
            << "}\n";
    }
  }
  return 0;
}

}  // namespace
}  // namespace salesight

int main(int argc, char** argv) { return salesight::Main(argc, argv); }
