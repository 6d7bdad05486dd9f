// RunQuery over the orders measures (salesight/query/run.hpp), hand-computed:
// every orders measure, every filter op, every grain, measure filters
// (HAVING), empty results, everything filtered out, missing members and
// unknown costs.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesight/query.hpp"

namespace salesight {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Day D(int y, int m, int d) { return DayFromCivil(y, m, d); }

DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

template <typename T>
std::shared_ptr<const T> Share(absl::StatusOr<T> table) {
  EXPECT_TRUE(table.ok()) << table.status();
  return std::make_shared<const T>(std::move(*table));
}

// Seven lines (cents):
//  row order date        customer product region qty  amount   cost
//   0   1    2024-01-05  C1       P1      East     2  100.00   60.00
//   1   1    2024-01-05  C1       P2      West     1   50.00   30.00
//   2   2    2024-02-10  C2       P1      East     1   40.00   25.00
//   3   3    2024-02-11  C1       P2      West    -1  -50.00  -30.00  (a return)
//   4   4    2024-03-01  C3       P1      East     3  120.00   70.00
//   5   5    2023-12-20  C2       P2      West     1   10.00    5.00
//   6   4    2024-04-02  C3       P2      East     1   30.00   20.00  (order 4 again)
// C2's first purchase is 2023-12-20, C1's 2024-01-05, C3's 2024-03-01.
Dataset Sample() {
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own({1, 1, 2, 3, 4, 5, 4});
  o.order_date = Column<Day>::Own({D(2024, 1, 5), D(2024, 1, 5), D(2024, 2, 10), D(2024, 2, 11),
                                   D(2024, 3, 1), D(2023, 12, 20), D(2024, 4, 2)});
  o.customer = Column<Id>::Own({0, 0, 1, 0, 2, 1, 2});
  o.customers = Dict({"C1", "C2", "C3"});
  o.product = Column<Id>::Own({0, 1, 0, 1, 0, 1, 1});
  o.products = Dict({"P1", "P2"});
  o.region = Column<Id>::Own({0, 1, 0, 1, 0, 1, 0});
  o.regions = Dict({"East", "West"});
  o.quantity = Column<std::int32_t>::Own({2, 1, 1, -1, 3, 1, 1});
  o.amount = Column<Money>::Own({10000, 5000, 4000, -5000, 12000, 1000, 3000});
  o.cost = Column<Money>::Own({6000, 3000, 2500, -3000, 7000, 500, 2000});
  DatasetTables t;
  t.orders = Share(OrderLines::Build(std::move(o)));
  return *Dataset::Build(std::move(t));
}

QueryResult Query(const Dataset& d, const std::string& json, int threads = 1) {
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
  EXPECT_TRUE(spec.ok()) << spec.status() << "\n" << json;
  QueryRunOptions options;
  options.num_threads = threads;
  absl::StatusOr<QueryResult> r = RunQuery(d, spec.ok() ? *spec : QuerySpec{}, options);
  EXPECT_TRUE(r.ok()) << r.status() << "\n" << json;
  return r.ok() ? std::move(*r) : QueryResult{};
}

absl::Status Error(const Dataset& d, const std::string& json) {
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
  EXPECT_TRUE(spec.ok()) << spec.status();
  return RunQuery(d, *spec).status();
}

std::vector<std::int64_t> Ints(const QueryResult& r, const std::string& name) {
  const ResultColumn* c = r.table.Find(name);
  EXPECT_NE(c, nullptr) << name;
  return c == nullptr ? std::vector<std::int64_t>{}
                      : std::vector<std::int64_t>(c->ints.begin(), c->ints.end());
}
std::vector<std::string> Texts(const QueryResult& r, const std::string& name) {
  const ResultColumn* c = r.table.Find(name);
  EXPECT_NE(c, nullptr) << name;
  return c == nullptr ? std::vector<std::string>{} : c->Texts();
}

TEST(RunQueryOrders, EveryMeasureOverAllLines) {
  const QueryResult r = Query(Sample(),
                            R"({"measures": ["revenue", "cost", "costed_revenue", "margin",
                                "margin_pct", "quantity", "lines", "orders", "customers",
                                "new_customers", "returning_customers", "aov",
                                "revenue_per_customer", "return_amount"]})");
  ASSERT_EQ(r.table.num_rows(), 1u);
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(30000));
  EXPECT_THAT(Ints(r, "cost"), ElementsAre(18000));
  EXPECT_THAT(Ints(r, "costed_revenue"), ElementsAre(30000));
  EXPECT_THAT(Ints(r, "margin"), ElementsAre(12000));
  EXPECT_DOUBLE_EQ(r.table.Find("margin_pct")->doubles[0], 40.0);
  EXPECT_THAT(Ints(r, "quantity"), ElementsAre(8));
  EXPECT_THAT(Ints(r, "lines"), ElementsAre(7));
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(5));
  EXPECT_THAT(Ints(r, "customers"), ElementsAre(3));
  EXPECT_THAT(Ints(r, "new_customers"), ElementsAre(3));  // no range start: every one is new
  EXPECT_THAT(Ints(r, "returning_customers"), ElementsAre(0));
  EXPECT_DOUBLE_EQ(r.table.Find("aov")->doubles[0], 60.0);  // 300.00 / 5 orders
  EXPECT_DOUBLE_EQ(r.table.Find("revenue_per_customer")->doubles[0], 100.0);
  EXPECT_THAT(Ints(r, "return_amount"), ElementsAre(-5000));
  EXPECT_EQ(r.table.Find("revenue")->type, ResultType::kMoney);
  EXPECT_EQ(r.table.Find("lines")->type, ResultType::kInt64);
  EXPECT_EQ(r.table.Find("aov")->type, ResultType::kDouble);
  EXPECT_TRUE(r.problems.empty());
}

TEST(RunQueryOrders, ByRegionDistinctCountsPerGroup) {
  const QueryResult r =
      Query(Sample(), R"({"measures": ["revenue", "orders", "customers"], "dimensions": ["region"]})");
  EXPECT_THAT(Texts(r, "region"), ElementsAre("East", "West"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(29000, 1000));
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(3, 3));        // {1,2,4}, {1,3,5}
  EXPECT_THAT(Ints(r, "customers"), ElementsAre(3, 2));     // {C1,C2,C3}, {C1,C2}
  EXPECT_EQ(r.table.columns().front().name, "region");
}

TEST(RunQueryOrders, ByMonthNewReturningAndOrdersInTheirFirstPeriod) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "lines", "orders", "customers",
      "new_customers", "returning_customers"], "time": {"dimension": "order_date", "grain": "month"}})");
  EXPECT_EQ(r.table.columns().front().name, "order_date.month");
  EXPECT_THAT(Texts(r, "order_date.month"),
              ElementsAre("2023-12", "2024-01", "2024-02", "2024-03", "2024-04"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(1000, 15000, -1000, 12000, 3000));
  EXPECT_THAT(Ints(r, "lines"), ElementsAre(1, 2, 2, 1, 1));
  // Order 4 (March and April) counts in March only.
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(1, 1, 2, 1, 0));
  EXPECT_THAT(Ints(r, "customers"), ElementsAre(1, 1, 2, 1, 1));
  // February: C2 buys again (returning); C1 only returns goods (no purchase).
  EXPECT_THAT(Ints(r, "new_customers"), ElementsAre(1, 1, 0, 1, 0));
  EXPECT_THAT(Ints(r, "returning_customers"), ElementsAre(0, 0, 1, 0, 1));
}

TEST(RunQueryOrders, NewCustomersOverARangeCountEarlierPurchases) {
  const QueryResult r = Query(Sample(), R"({"measures": ["new_customers", "returning_customers"],
      "time": {"dimension": "order_date", "range": ["2024-01-01", null]}})");
  EXPECT_THAT(Ints(r, "new_customers"), ElementsAre(2));        // C1, C3
  EXPECT_THAT(Ints(r, "returning_customers"), ElementsAre(1));  // C2 (first in 2023-12)
}

TEST(RunQueryOrders, EveryGrainLabelsItsPeriods) {
  const Dataset d = Sample();
  struct Case {
    std::string grain;
    std::vector<std::string> labels;
    std::vector<std::int64_t> lines;
  };
  const std::vector<Case> cases = {
      {"day", {"2023-12-20", "2024-01-05", "2024-02-10", "2024-02-11", "2024-03-01", "2024-04-02"},
       {1, 2, 1, 1, 1, 1}},
      {"week", {"2023-W51", "2024-W01", "2024-W06", "2024-W09", "2024-W14"}, {1, 2, 2, 1, 1}},
      {"quarter", {"2023-Q4", "2024-Q1", "2024-Q2"}, {1, 5, 1}},
      {"year", {"2023", "2024"}, {1, 6}},
      {"fiscal_year:4", {"FY2023", "FY2024"}, {6, 1}},
  };
  for (const Case& c : cases) {
    const QueryResult r = Query(d, R"({"measures": ["lines"], "time": {"dimension": "order_date",
        "grain": ")" + c.grain + R"("}})");
    ASSERT_EQ(r.table.num_columns(), 2u) << c.grain;
    EXPECT_EQ(Texts(r, r.table.columns().front().name), c.labels) << c.grain;
    EXPECT_EQ(Ints(r, "lines"), c.lines) << c.grain;
  }
}

TEST(RunQueryOrders, PeriodDimensionsAndTheGrainTogether) {
  const QueryResult r = Query(Sample(), R"({"measures": ["lines"],
      "dimensions": ["order_date.quarter", "region"],
      "time": {"dimension": "order_date", "grain": "year"}})");
  EXPECT_THAT(Texts(r, "order_date.year"), ElementsAre("2023", "2024", "2024", "2024"));
  EXPECT_THAT(Texts(r, "order_date.quarter"),
              ElementsAre("2023-Q4", "2024-Q1", "2024-Q1", "2024-Q2"));
  EXPECT_THAT(Texts(r, "region"), ElementsAre("West", "East", "West", "East"));
  EXPECT_THAT(Ints(r, "lines"), ElementsAre(1, 3, 2, 1));
  // A date member as a dimension is its day.
  const QueryResult days = Query(Sample(), R"({"measures": ["lines"], "dimensions": ["order_date"],
      "filters": [{"member": "region", "op": "equals", "values": ["East"]}]})");
  EXPECT_THAT(Texts(days, "order_date"),
              ElementsAre("2024-01-05", "2024-02-10", "2024-03-01", "2024-04-02"));
}

// Revenue (cents) of the lines each filter selects.
struct FilterCase {
  std::string name, filter;
  std::int64_t revenue;  // -1: no line selected (an empty table)
};

class RunQueryFilter : public ::testing::TestWithParam<FilterCase> {};

TEST_P(RunQueryFilter, SelectsTheHandComputedLines) {
  const FilterCase& c = GetParam();
  const QueryResult r =
      Query(Sample(), R"({"measures": ["revenue"], "filters": [)" + c.filter + "]}");
  if (c.revenue < 0) {
    EXPECT_EQ(r.table.num_rows(), 0u);
    EXPECT_EQ(r.table.num_columns(), 1u);
  } else {
    EXPECT_THAT(Ints(r, "revenue"), ElementsAre(c.revenue));
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryOp, RunQueryFilter,
    ::testing::Values(
        FilterCase{"equals", R"({"member": "region", "op": "equals", "values": ["East"]})", 29000},
        FilterCase{"equals_any", R"({"member": "product", "op": "equals", "values": ["P2", "P9"]})",
                   4000},
        FilterCase{"notEquals", R"({"member": "region", "op": "notEquals", "values": ["East"]})",
                   1000},
        FilterCase{"in", R"({"member": "customer", "op": "in", "values": ["C1", "C3"]})", 25000},
        FilterCase{"notIn", R"({"member": "customer", "op": "notIn", "values": ["C1", "C3"]})",
                   5000},
        FilterCase{"contains", R"({"member": "region", "op": "contains", "values": ["as"]})", 29000},
        FilterCase{"startsWith", R"({"member": "region", "op": "startsWith", "values": ["W"]})",
                   1000},
        FilterCase{"set", R"({"member": "region", "op": "set"})", 30000},
        FilterCase{"notSet", R"({"member": "region", "op": "notSet"})", -1},
        FilterCase{"gt", R"({"member": "order_date", "op": "gt", "values": ["2024-02-10"]})", 10000},
        FilterCase{"gte", R"({"member": "order_date", "op": "gte", "values": ["2024-02-10"]})",
                   14000},
        FilterCase{"lt", R"({"member": "order_date", "op": "lt", "values": ["2024-01-05"]})", 1000},
        FilterCase{"lte", R"({"member": "order_date", "op": "lte", "values": ["2024-01-05"]})",
                   16000},
        FilterCase{"between",
                   R"({"member": "order_date", "op": "between", "values": ["2024-01-01", "2024-02-28"]})",
                   14000},
        FilterCase{"date_equals",
                   R"({"member": "order_date", "op": "equals", "values": ["2024-03-01"]})", 12000},
        FilterCase{"date_notIn",
                   R"({"member": "order_date", "op": "notIn", "values": ["2024-03-01", "2024-01-05"]})",
                   3000},
        FilterCase{"date_set", R"({"member": "order_date", "op": "set"})", 30000},
        FilterCase{"date_notSet", R"({"member": "order_date", "op": "notSet"})", -1},
        FilterCase{"or", R"({"or": [{"member": "region", "op": "equals", "values": ["West"]},
                                    {"member": "customer", "op": "equals", "values": ["C3"]}]})",
                   16000},
        FilterCase{"and_in_or",
                   R"({"or": [{"and": [{"member": "region", "op": "equals", "values": ["East"]},
                                       {"member": "product", "op": "equals", "values": ["P2"]}]},
                              {"member": "order_date", "op": "lt", "values": ["2024-01-01"]}]})",
                   4000},
        FilterCase{"nothing", R"({"member": "region", "op": "equals", "values": ["North"]})", -1}),
    [](const ::testing::TestParamInfo<FilterCase>& p) { return p.param.name; });

TEST(RunQueryOrders, MeasureFiltersSelectGroups) {
  const Dataset d = Sample();
  const QueryResult r = Query(d, R"({"measures": ["revenue", "orders"], "dimensions": ["customer"],
      "filters": [{"member": "revenue", "op": "gt", "values": [100]}]})");
  EXPECT_THAT(Texts(r, "customer"), ElementsAre("C3"));  // C1 100.00, C2 50.00, C3 150.00
  const QueryResult eq = Query(d, R"({"measures": ["revenue"], "dimensions": ["customer"],
      "filters": [{"member": "revenue", "op": "equals", "values": [100.0]}]})");
  EXPECT_THAT(Texts(eq, "customer"), ElementsAre("C1"));
  const QueryResult counts = Query(d, R"({"measures": ["revenue", "orders"], "dimensions": ["customer"],
      "filters": [{"or": [{"member": "orders", "op": "lte", "values": [1]},
                          {"member": "revenue", "op": "between", "values": [40, 60.5]}]}]})");
  EXPECT_THAT(Texts(counts, "customer"), ElementsAre("C2", "C3"));  // C2: 50.00; C3: 1 order
}

TEST(RunQueryOrders, MixingMeasuresAndRowsInOneGroupIsRefused) {
  const absl::Status s = Error(Sample(), R"({"measures": ["revenue"], "filters": [{"or": [
      {"member": "revenue", "op": "gt", "values": [1]},
      {"member": "region", "op": "equals", "values": ["East"]}]}]})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("filters[0] mixes measures"));
}

TEST(RunQueryOrders, EverythingFilteredOutIsAnEmptyTable) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "margin_pct"],
      "dimensions": ["region"], "time": {"dimension": "order_date", "grain": "month",
      "range": ["2030-01-01", "2030-12-31"]}})");
  EXPECT_EQ(r.table.num_rows(), 0u);
  ASSERT_EQ(r.table.num_columns(), 4u);
  EXPECT_EQ(r.table.columns()[0].name, "order_date.month");
  EXPECT_EQ(r.table.columns()[1].name, "region");
}

TEST(RunQueryOrders, EmptyTablesGiveAnEmptyResult) {
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own({});
  o.order_date = Column<Day>::Own({});
  o.customer = Column<Id>::Own({});
  o.amount = Column<Money>::Own({});
  DatasetTables t;
  t.orders = Share(OrderLines::Build(std::move(o)));
  const Dataset d = *Dataset::Build(std::move(t));
  const QueryResult r = Query(d, R"({"measures": ["revenue", "customers"],
      "time": {"dimension": "order_date", "grain": "month"}})");
  EXPECT_EQ(r.table.num_rows(), 0u);
  EXPECT_EQ(r.table.num_columns(), 3u);
}

// Products P1 (Furniture, standard cost 10.00), P2 (Office, no cost); P3 has
// no master row: its category is "(none)" and its cost unknown.
TEST(RunQueryOrders, MissingMembersAndUnknownCosts) {
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own({1, 2, 3, 4});
  o.order_date = Column<Day>::Own({D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 4)});
  o.customer = Column<Id>::Own({0, 0, 0, 0});
  o.customers = Dict({"C1"});
  o.product = Column<Id>::Own({0, 1, 2, 0});
  o.products = Dict({"P1", "P2", "P3"});
  o.quantity = Column<std::int32_t>::Own({2, 1, 1, -1});
  o.amount = Column<Money>::Own({5000, 3000, 700, -2500});
  ProductsColumns p;
  p.product = Column<Id>::Own({0, 1});
  p.products = o.products;
  p.category = Column<Id>::Own({0, 1});
  p.categories = Dict({"Furniture", "Office"});
  p.standard_cost = Column<Money>::Own({1000, kNoStandardCost});
  DatasetTables t;
  t.orders = Share(OrderLines::Build(std::move(o)));
  t.products = Share(Products::Build(std::move(p)));
  const Dataset d = *Dataset::Build(std::move(t));
  const QueryResult r = Query(d, R"({"measures": ["revenue", "cost", "margin", "margin_pct"],
      "dimensions": ["category"]})");
  EXPECT_THAT(Texts(r, "category"), ElementsAre("(none)", "Furniture", "Office"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(700, 2500, 3000));
  EXPECT_THAT(Ints(r, "cost"), ElementsAre(0, 1000, 0));  // 2 x 10.00 - 1 x 10.00
  EXPECT_THAT(Ints(r, "margin"), ElementsAre(0, 1500, 0));
  const ResultColumn* pct = r.table.Find("margin_pct");
  EXPECT_TRUE(pct->is_null(0));
  EXPECT_DOUBLE_EQ(pct->doubles[1], 60.0);
  EXPECT_TRUE(pct->is_null(2));
  ASSERT_EQ(r.problems.items.size(), 1u);
  EXPECT_EQ(r.problems.items[0].problem, "cost_unknown_lines");
  EXPECT_EQ(r.problems.items[0].count, 2);
  EXPECT_EQ(r.problems.items[0].amount, 3700);
  // "(none)" is a member like any other for filters.
  const QueryResult none = Query(d, R"js({"measures": ["revenue"],
      "filters": [{"member": "category", "op": "equals", "values": ["(none)"]}]})js");
  EXPECT_THAT(Ints(none, "revenue"), ElementsAre(700));
  const QueryResult unset = Query(d, R"({"measures": ["revenue"],
      "filters": [{"member": "category", "op": "notSet"}]})");
  EXPECT_THAT(Ints(unset, "revenue"), ElementsAre(700));
}

TEST(RunQueryOrders, SameResultOnTwoThreads) {
  const Dataset d = Sample();
  const std::string json = R"({"measures": ["revenue", "orders", "customers", "new_customers"],
      "dimensions": ["region"], "time": {"dimension": "order_date", "grain": "month"}})";
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
  QueryRunOptions one, two;
  one.num_threads = 1;
  two.num_threads = 2;
  two.min_rows_per_thread = 1;
  const QueryResult a = *RunQuery(d, *spec, one);
  const QueryResult b = *RunQuery(d, *spec, two);
  ASSERT_EQ(a.table.num_rows(), b.table.num_rows());
  for (const char* name : {"revenue", "orders", "customers", "new_customers"}) {
    EXPECT_EQ(Ints(a, name), Ints(b, name)) << name;
  }
  EXPECT_EQ(Texts(a, "region"), Texts(b, "region"));
}

TEST(RunQueryOrders, ThePeriodIsListedOnce) {
  const absl::Status s = Error(Sample(), R"({"measures": ["lines"],
      "dimensions": ["order_date.month"], "time": {"dimension": "order_date", "grain": "month"}})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("'order_date.month' is the period of time.grain"));
}

TEST(RunQueryOrders, AnOverflowingSumIsAnErrorNamingTheGroup) {
  // 1100 lines of 9e15 minor units: West's revenue passes int64 (9.2e18).
  const std::size_t n = 1100;
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own(std::vector<std::int64_t>(n, 1));
  o.order_date = Column<Day>::Own(std::vector<Day>(n, D(2024, 1, 1)));
  o.customer = Column<Id>::Own(std::vector<Id>(n, 0));
  o.region = Column<Id>::Own(std::vector<Id>(n, 1));
  o.regions = Dict({"East", "West"});
  o.amount = Column<Money>::Own(std::vector<Money>(n, kMaxMoney));
  DatasetTables t;
  t.orders = Share(OrderLines::Build(std::move(o)));
  const Dataset d = *Dataset::Build(std::move(t));
  for (int threads : {1, 2}) {
    absl::StatusOr<QuerySpec> spec = ParseQuerySpec(
        R"({"measures": ["lines", "revenue"], "dimensions": ["region"]})");
    QueryRunOptions options;
    options.num_threads = threads;
    options.min_rows_per_thread = 1;
    const absl::Status s = RunQuery(d, *spec, options).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << threads;
    EXPECT_THAT(s.message(), HasSubstr("the revenue sum of the group (region=West) overflows"));
  }
}

TEST(RunQueryOrders, QuantityNeedsItsColumn) {
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own({1});
  o.order_date = Column<Day>::Own({D(2024, 1, 1)});
  o.customer = Column<Id>::Own({0});
  o.amount = Column<Money>::Own({100});
  DatasetTables t;
  t.orders = Share(OrderLines::Build(std::move(o)));
  const Dataset d = *Dataset::Build(std::move(t));
  const absl::Status s = Error(d, R"({"measures": ["quantity"]})");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("quantity column"));
}

// ---------------------------------------------------------------- shape
// By customer: C1 100.00 (orders 1, 3), C2 50.00 (orders 2, 5), C3 150.00 (order 4).

TEST(RunQueryShape, OrderLimitOffset) {
  const Dataset d = Sample();
  const QueryResult asc = Query(d, R"({"measures": ["revenue"], "dimensions": ["customer"],
      "order": [{"member": "revenue"}]})");
  EXPECT_THAT(Texts(asc, "customer"), ElementsAre("C2", "C1", "C3"));
  const QueryResult desc = Query(d, R"({"measures": ["revenue"], "dimensions": ["customer"],
      "order": [{"member": "customer", "desc": true}], "limit": 2, "offset": 1})");
  EXPECT_THAT(Texts(desc, "customer"), ElementsAre("C2", "C1"));
  const QueryResult by_period = Query(d, R"({"measures": ["lines"], "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "quarter"},
      "order": [{"member": "lines", "desc": true}, {"member": "order_date.quarter", "desc": true}]})");
  EXPECT_THAT(Texts(by_period, "order_date.quarter"), ElementsAre("2024-Q1", "2024-Q1", "2024-Q2", "2023-Q4"));
  EXPECT_THAT(Ints(by_period, "lines"), ElementsAre(3, 2, 1, 1));
  const QueryResult none = Query(d, R"({"measures": ["revenue"], "dimensions": ["customer"],
      "offset": 5})");
  EXPECT_EQ(none.table.num_rows(), 0u);
}

TEST(RunQueryShape, NullRatiosSortLast) {
  const QueryResult r = Query(Sample(), R"({"measures": ["aov"], "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "month"},
      "filters": [{"member": "order_date", "op": "gte", "values": ["2024-03-01"]}],
      "order": [{"member": "aov"}]})");
  // 2024-04's only line is of order 4, counted in March: 0 orders, aov null.
  EXPECT_THAT(Texts(r, "order_date.month"), ElementsAre("2024-03", "2024-04"));
  EXPECT_TRUE(r.table.Find("aov")->is_null(1));
}

TEST(RunQueryShape, TopWithOthersCountsDistinctOverTheRest) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "orders", "customers"],
      "dimensions": ["customer"], "top": {"n": 1, "by": "revenue", "others": true}})");
  EXPECT_THAT(Texts(r, "customer"), ElementsAre("C3", "(others)"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(15000, 15000));
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(1, 4));
  EXPECT_THAT(Ints(r, "customers"), ElementsAre(1, 2));
  const QueryResult plain = Query(Sample(), R"({"measures": ["revenue"],
      "dimensions": ["customer"], "top": {"n": 2}})");
  EXPECT_THAT(Texts(plain, "customer"), ElementsAre("C3", "C1"));
}

TEST(RunQueryShape, TopRanksWithinEachPeriod) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue"], "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "month"}, "top": {"n": 1, "others": true}})");
  EXPECT_THAT(Texts(r, "order_date.month"),
              ElementsAre("2023-12", "2024-01", "2024-01", "2024-02", "2024-02", "2024-03", "2024-04"));
  EXPECT_THAT(Texts(r, "region"),
              ElementsAre("West", "East", "(others)", "East", "(others)", "East", "East"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(1000, 10000, 5000, 4000, -5000, 12000, 3000));
  // Without dimensions the periods are ranked.
  const QueryResult periods = Query(Sample(), R"({"measures": ["revenue"],
      "time": {"dimension": "order_date", "grain": "month"}, "top": {"n": 2, "others": true}})");
  EXPECT_THAT(Texts(periods, "order_date.month"), ElementsAre("2024-01", "2024-03", "(others)"));
  EXPECT_THAT(Ints(periods, "revenue"), ElementsAre(15000, 12000, 3000));
}

TEST(RunQueryShape, GrandTotal) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "orders", "customers", "margin_pct"],
      "dimensions": ["region"], "totals": "grand"})");
  EXPECT_THAT(Texts(r, "region"), ElementsAre("East", "West", "(all)"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(29000, 1000, 30000));
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(3, 3, 5));  // not 6: order 1 is in both regions
  EXPECT_THAT(Ints(r, "customers"), ElementsAre(3, 2, 3));
  EXPECT_DOUBLE_EQ(r.table.Find("margin_pct")->doubles[2], 40.0);
}

TEST(RunQueryShape, SubtotalsRollUpEveryLevel) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "orders"],
      "dimensions": ["region"], "time": {"dimension": "order_date", "grain": "quarter"},
      "totals": "subtotals"})");
  EXPECT_THAT(Texts(r, "order_date.quarter"),
              ElementsAre("2023-Q4", "2024-Q1", "2024-Q1", "2024-Q2",  // detail
                          "2023-Q4", "2024-Q1", "2024-Q2",             // per quarter
                          "(all)"));
  EXPECT_THAT(Texts(r, "region"),
              ElementsAre("West", "East", "West", "East", "(all)", "(all)", "(all)", "(all)"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(1000, 26000, 0, 3000, 1000, 26000, 3000, 30000));
  // Order 4 counts in 2024-Q1 only (its earliest line); order 1 is East and West.
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(1, 3, 2, 0, 1, 4, 0, 5));
}

TEST(RunQueryShape, TotalsOfAnEmptyResultAreNone) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue"], "dimensions": ["region"],
      "totals": "grand", "filters": [{"member": "region", "op": "equals", "values": ["North"]}]})");
  EXPECT_EQ(r.table.num_rows(), 0u);
}

// ---------------------------------------------------------------- compare
std::vector<bool> Nulls(const QueryResult& r, const std::string& name) {
  const ResultColumn* c = r.table.Find(name);
  std::vector<bool> out;
  for (std::size_t i = 0; c != nullptr && i < c->size(); ++i) out.push_back(c->is_null(i));
  return out;
}

TEST(RunQueryCompare, PreviousPeriod) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue"],
      "time": {"dimension": "order_date", "grain": "month", "compare": "previous"}})");
  EXPECT_THAT(Texts(r, "order_date.month"),
              ElementsAre("2023-12", "2024-01", "2024-02", "2024-03", "2024-04"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(1000, 15000, -1000, 12000, 3000));
  EXPECT_THAT(Ints(r, "revenue_previous"), ElementsAre(0, 1000, 15000, -1000, 12000));
  EXPECT_THAT(Ints(r, "revenue_change"), ElementsAre(1000, 14000, -16000, 13000, -9000));
  const ResultColumn* pct = r.table.Find("revenue_change_pct");
  EXPECT_TRUE(pct->is_null(0));  // nothing to grow from
  EXPECT_DOUBLE_EQ(pct->doubles[1], 1400.0);
  EXPECT_DOUBLE_EQ(pct->doubles[3], 1300.0);  // from -10.00 to 120.00: / |base|
  EXPECT_DOUBLE_EQ(pct->doubles[4], -75.0);
  EXPECT_EQ(r.table.Find("revenue_previous")->type, ResultType::kMoney);
}

TEST(RunQueryCompare, LastYearByRegion) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "margin_pct"],
      "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "year", "compare": "last-year"}})");
  EXPECT_THAT(Texts(r, "order_date.year"), ElementsAre("2023", "2024", "2024"));
  EXPECT_THAT(Texts(r, "region"), ElementsAre("West", "East", "West"));
  EXPECT_THAT(Ints(r, "revenue_last_year"), ElementsAre(0, 0, 1000));
  EXPECT_THAT(Ints(r, "revenue_change"), ElementsAre(1000, 29000, -1000));
  // A ratio of a period without lines is null, and so is its change (West
  // 2024 has no costed revenue either: 50.00 - 50.00).
  EXPECT_THAT(Nulls(r, "margin_pct_last_year"), ElementsAre(true, true, false));
  EXPECT_THAT(Nulls(r, "margin_pct_change"), ElementsAre(true, true, true));
  EXPECT_DOUBLE_EQ(r.table.Find("margin_pct_last_year")->doubles[2], 50.0);
}

TEST(RunQueryCompare, TheComparisonComesFromBeforeTheRange) {
  const QueryResult r = Query(Sample(), R"({"measures": ["revenue", "orders"],
      "time": {"dimension": "order_date", "grain": "month", "compare": "previous",
               "range": ["2024-04-01", null]}})");
  EXPECT_THAT(Texts(r, "order_date.month"), ElementsAre("2024-04"));
  EXPECT_THAT(Ints(r, "revenue_previous"), ElementsAre(12000));
  // The row is the query's own (order 4 starts in the range here) ...
  EXPECT_THAT(Ints(r, "orders"), ElementsAre(1));
  // ... and the comparison is March as a query from March shows it.
  EXPECT_THAT(Ints(r, "orders_previous"), ElementsAre(1));
}

TEST(RunQueryCompare, TotalsHaveNoComparison) {
  const QueryResult r = Query(Sample(), R"({"measures": ["lines"], "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "year", "compare": "last-year"},
      "totals": "grand"})");
  EXPECT_THAT(Texts(r, "region"), ElementsAre("West", "East", "West", "(all)"));
  EXPECT_THAT(Nulls(r, "lines_last_year"), ElementsAre(false, false, false, true));
}

}  // namespace
}  // namespace salesight
