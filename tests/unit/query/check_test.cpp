// A query spec checked against a Dataset (salesight/query/check.hpp): names
// resolve through the dataset (fields, attributes, related master fields,
// date members and periods), measures of tables that cannot share a dimension
// are refused, filters fit their member's type, and the group estimate
// (hand-computed here; on random data an upper bound of the real number of
// groups, equal to a plain product of the factors) refuses a query over the
// cap up front, naming every factor.
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesight/query.hpp"

namespace salesight {
namespace {

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

// Six order lines, Jan 5 .. Mar 20 2024 (3 months, 76 days):
//   customers C1 C2 C3 (the customers table lacks C3: its segment may be
//   "(none)"), products P1 P2 (categories Furniture, Office), regions East
//   West, salespeople Ann Bob, attributes Sub-Category (3 members) and
//   Ship.Mode (2; a dot in its name).
// Four opportunities created Jan 10 .. Apr 1 (4 months), regions East West,
// attribute origin. Three invoices. Targets by salesperson for Jan, Feb.
struct Data {
  DictionaryPtr customers = Dict({"C1", "C2", "C3"}), regions = Dict({"East", "West"}),
                people = Dict({"Ann", "Bob"}), products = Dict({"P1", "P2"});

  DatasetTables Tables(bool with_targets = true) const {
    DatasetTables t;
    OrderLinesColumns o;
    o.order_id = Column<std::int64_t>::Own({1, 1, 2, 3, 4, 5});
    o.order_date = Column<Day>::Own({D(2024, 1, 5), D(2024, 1, 5), D(2024, 2, 10),
                                     D(2024, 2, 11), D(2024, 3, 1), D(2024, 3, 20)});
    o.customer = Column<Id>::Own({0, 0, 1, 2, 2, 1});
    o.customers = customers;
    o.product = Column<Id>::Own({0, 1, 0, 1, 0, 1});
    o.products = products;
    o.region = Column<Id>::Own({0, 1, 0, 1, 0, 0});
    o.regions = regions;
    o.salesperson = Column<Id>::Own({0, 0, 1, 1, 0, 1});
    o.salespeople = people;
    o.amount = Column<Money>::Own({1000, 500, -200, 700, 50, 80});
    o.attributes.push_back(AttributeColumn{"Sub-Category", Column<Id>::Own({0, 1, 2, 0, 1, 2}),
                                           Dict({"Chairs", "Binders", "Paper"})});
    o.attributes.push_back(AttributeColumn{"Ship.Mode", Column<Id>::Own({0, 1, 0, 1, 0, 1}),
                                           Dict({"Air", "Sea"})});
    t.orders = Share(OrderLines::Build(std::move(o)));

    CustomersColumns c;
    c.customer = Column<Id>::Own({0, 1});
    c.customers = customers;
    c.attributes.push_back(
        AttributeColumn{"segment", Column<Id>::Own({0, 1}), Dict({"Retail", "Corporate"})});
    t.customers = Share(Customers::Build(std::move(c)));

    ProductsColumns p;
    p.product = Column<Id>::Own({0, 1});
    p.products = products;
    p.category = Column<Id>::Own({0, 1});
    p.categories = Dict({"Furniture", "Office"});
    t.products = Share(Products::Build(std::move(p)));

    PipelineColumns f;
    f.opportunity = Column<std::int64_t>::Own({1, 2, 3, 4});
    f.created = Column<Day>::Own({D(2024, 1, 10), D(2024, 2, 15), D(2024, 3, 1), D(2024, 4, 1)});
    f.region = Column<Id>::Own({0, 1, 0, 1});
    f.regions = regions;
    f.salesperson = Column<Id>::Own({0, 1, 1, 0});
    f.salespeople = people;
    for (std::size_t s = 0; s < f.stage_names.size(); ++s) {
      f.stage_dates.push_back(Column<Day>::Own(
          {s == 0 ? D(2024, 1, 10) : kNoDate, s == 0 ? D(2024, 2, 15) : kNoDate,
           s == 0 ? D(2024, 3, 1) : kNoDate, s == 0 ? D(2024, 4, 1) : kNoDate}));
    }
    f.attributes.push_back(
        AttributeColumn{"origin", Column<Id>::Own({0, 1, 0, 0}), Dict({"web", "fair"})});
    t.pipeline = Share(Pipeline::Build(std::move(f)));

    InvoicesColumns i;
    i.invoice = Column<std::int64_t>::Own({10, 11, 12});
    i.customer = Column<Id>::Own({0, 1, 2});
    i.customers = customers;
    i.salesperson = Column<Id>::Own({0, 1, 0});
    i.salespeople = people;
    i.invoice_date = Column<Day>::Own({D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)});
    i.due_date = Column<Day>::Own({D(2024, 3, 1), D(2024, 3, 30), D(2024, 5, 1)});
    i.amount = Column<Money>::Own({100, 200, 300});
    t.invoices = Share(Invoices::Build(std::move(i)));

    if (with_targets) {
      TargetsColumns g;
      g.level = TargetLevel::kSalesperson;
      g.key = Column<Id>::Own({0, 1, 0});
      g.keys = people;
      g.month = Column<std::int32_t>::Own({202401, 202401, 202402});
      g.amount = Column<Money>::Own({1000, 2000, 1500});
      t.targets = Share(Targets::Build(std::move(g)));
    }
    return t;
  }

  Dataset Build(bool with_targets = true) const {
    absl::StatusOr<Dataset> d = Dataset::Build(Tables(with_targets));
    EXPECT_TRUE(d.ok()) << d.status();
    return *d;
  }
};

QuerySpec Spec(const std::string& json) {
  absl::StatusOr<QuerySpec> s = ParseQuerySpec(json);
  EXPECT_TRUE(s.ok()) << s.status() << "\n" << json;
  return s.ok() ? *s : QuerySpec{};
}

QueryPlanInfo Ok(const Dataset& d, const std::string& json, const QueryLimits& limits = {}) {
  absl::StatusOr<QueryPlanInfo> info = CheckQuery(d, Spec(json), limits);
  EXPECT_TRUE(info.ok()) << info.status() << "\n" << json;
  return info.ok() ? *info : QueryPlanInfo{};
}

std::string ErrorOf(const Dataset& d, const std::string& json, const QueryLimits& limits = {}) {
  absl::StatusOr<QueryPlanInfo> info = CheckQuery(d, Spec(json), limits);
  EXPECT_FALSE(info.ok()) << json;
  return std::string(info.status().message());
}

class CheckQueryTest : public ::testing::Test {
 protected:
  Data data_;
  Dataset ds_ = data_.Build();
};

TEST_F(CheckQueryTest, DimensionsResolveWithTheirCardinalities) {
  const QueryPlanInfo info = Ok(ds_, R"({"measures":["revenue","margin_pct"],
      "dimensions":["region","category","segment","Sub-Category","Ship.Mode","order_date.month"]})");
  ASSERT_EQ(info.measures.size(), 2u);
  EXPECT_EQ(info.measures[1]->name, "margin_pct");
  ASSERT_EQ(info.tables.size(), 1u);
  EXPECT_EQ(info.tables[0].table, TableKind::kOrders);
  EXPECT_EQ(info.tables[0].time_member, "order_date");
  ASSERT_EQ(info.dimensions.size(), 6u);
  // region 2; category (products) 2; segment (customers, C3 has no row) 2 + 1;
  // Sub-Category 3; Ship.Mode 2; months Jan..Mar 3.
  const std::int64_t want[] = {2, 2, 3, 3, 2, 3};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(info.dimensions[i].cardinality, want[i]) << i;
  EXPECT_TRUE(info.dimensions[5].is_period);
  EXPECT_EQ(info.dimensions[5].grain, Grain(GrainUnit::kMonth));
  EXPECT_EQ(info.dimensions[5].date_member, "order_date");
  EXPECT_EQ(info.periods, 1);
  EXPECT_EQ(info.estimated_groups, 2 * 2 * 3 * 3 * 2 * 3);
}

TEST_F(CheckQueryTest, PeriodsCountTheRangeClippedToTheData) {
  // Feb..Mar of the data within [Feb 1, Dec 31].
  QueryPlanInfo info = Ok(ds_, R"({"measures":["revenue"],"dimensions":["region"],
      "time":{"dimension":"order_date","grain":"month","range":["2024-02-01","2024-12-31"]}})");
  EXPECT_EQ(info.periods, 2);
  EXPECT_EQ(info.estimated_groups, 4);
  // Days: Jan 5 .. Mar 20 = 76; ISO weeks: 2024-W01 .. 2024-W12 = 12.
  info = Ok(ds_, R"({"measures":["revenue"],"time":{"dimension":"order_date","grain":"day"}})");
  EXPECT_EQ(info.periods, 76);
  info = Ok(ds_, R"({"measures":["revenue"],"time":{"dimension":"order_date","grain":"week"}})");
  EXPECT_EQ(info.periods, 12);
  // A bare grain as a dimension: each table's own date. A date member as a
  // dimension: its days.
  info = Ok(ds_, R"({"measures":["revenue"],"dimensions":["quarter","order_date"]})");
  EXPECT_TRUE(info.dimensions[0].is_period);
  EXPECT_EQ(info.dimensions[0].date_member, "");
  EXPECT_EQ(info.dimensions[0].cardinality, 1);
  EXPECT_EQ(info.dimensions[1].grain, Grain(GrainUnit::kDay));
  EXPECT_EQ(info.dimensions[1].cardinality, 76);
  // A range outside the data: no period, no group - valid (an empty result).
  info = Ok(ds_, R"({"measures":["revenue"],"dimensions":["region"],
      "time":{"dimension":"order_date","grain":"month","range":["2030-01-01",null]}})");
  EXPECT_EQ(info.estimated_groups, 0);
}

TEST_F(CheckQueryTest, AnEmptyResultIsValid) {
  const QueryPlanInfo info = Ok(ds_, R"({"measures":["revenue"],"dimensions":["region"],
      "filters":[{"member":"region","op":"equals","values":["Nowhere"]}]})");
  EXPECT_EQ(info.estimated_groups, 1);
  DatasetTables empty;
  OrderLinesColumns o;
  empty.orders = Share(OrderLines::Build(std::move(o)));
  absl::StatusOr<Dataset> d = Dataset::Build(std::move(empty));
  ASSERT_TRUE(d.ok()) << d.status();
  // (An empty table has no dimension columns: absent columns are empty.)
  const QueryPlanInfo none = Ok(*d, R"({"measures":["revenue","orders"],
      "time":{"dimension":"order_date","grain":"month"}})");
  EXPECT_EQ(none.estimated_groups, 0);
}

TEST_F(CheckQueryTest, MeasuresOfSeveralTables) {
  // revenue (orders) and billed (invoices) by salesperson and month: each
  // table keeps its own date for the grain.
  QueryPlanInfo info = Ok(ds_, R"({"measures":["revenue","billed","win_rate"],
      "dimensions":["salesperson"],"time":{"dimension":"order_date","grain":"month"}})");
  ASSERT_EQ(info.tables.size(), 3u);
  EXPECT_EQ(info.tables[0].time_member, "order_date");
  EXPECT_EQ(info.tables[1].table, TableKind::kInvoices);
  EXPECT_EQ(info.tables[1].time_member, "due_date");
  EXPECT_EQ(info.tables[2].time_member, "created");
  // Months: orders Jan..Mar, invoices due Mar..May, pipeline Jan..Apr: the most.
  EXPECT_EQ(info.periods, 4);
  // The time dimension replaces the date of its own table's measures.
  info = Ok(ds_, R"({"measures":["billed"],"time":{"dimension":"invoice_date","grain":"month"}})");
  EXPECT_EQ(info.tables[0].time_member, "invoice_date");
  // attainment_pct reads targets and orders; salesperson is in both.
  info = Ok(ds_, R"({"measures":["attainment_pct"],"dimensions":["salesperson"]})");
  ASSERT_EQ(info.tables.size(), 2u);
  EXPECT_EQ(info.tables[0].table, TableKind::kTargets);
  EXPECT_EQ(info.tables[0].time_member, "month");
  EXPECT_EQ(info.tables[1].table, TableKind::kOrders);
  EXPECT_EQ(info.tables[1].time_member, "order_date");
}

TEST_F(CheckQueryTest, TablesThatCannotShareADimension) {
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue","win_rate"],"dimensions":["Sub-Category"]})"),
            "query: dimensions[0]: the measures 'revenue', 'win_rate' cannot share the dimension "
            "'Sub-Category': the orders table has it, the pipeline table (of 'win_rate') does "
            "not");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["attainment_pct"],"dimensions":["region"]})"),
            "query: dimensions[0]: the measures 'attainment_pct' cannot share the dimension "
            "'region': the orders table has it, the targets table (of 'attainment_pct') does "
            "not");
  // region is on both the orders and the pipeline.
  EXPECT_EQ(Ok(ds_, R"({"measures":["revenue","win_rate"],"dimensions":["region"]})")
                .dimensions[0].cardinality, 2);
}

TEST_F(CheckQueryTest, UnknownNames) {
  EXPECT_THAT(ErrorOf(ds_, R"({"measures":["revenue"],"dimensions":["regoin"]})"),
              HasSubstr("query: dimensions[0]: 'regoin' is not a dimension of the orders. Did "
                        "you mean 'region'? Valid: 'customer', 'product', 'region'"));
  EXPECT_THAT(ErrorOf(ds_, R"({"measures":["revenue"],"dimensions":["regoin"]})"),
              HasSubstr("Dates: 'order_date' (a period: '<date>.<grain>' or a grain)."));
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],"dimensions":["order_date.montth"]})"),
            "query: dimensions[0]: 'order_date.montth': unknown grain 'montth'. Did you mean "
            "'month'? Valid grains: 'day', 'week', 'month', 'quarter', 'year', 'fiscal_year', "
            "'fiscal_year:M'");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],"time":{"dimension":"order_dat"}})"),
            "query: time.dimension: 'order_dat' is not a date member of the tables of "
            "'revenue'. Did you mean 'order_date'? Valid: 'order_date'");
  EXPECT_THAT(ErrorOf(ds_, R"({"measures":["revenue"],"order":[{"member":"revenu"}]})"),
              HasSubstr("query: order[0].member: 'revenu' is not a column of the result. Did "
                        "you mean 'revenue'? Valid: 'revenue'"));
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue","cost"],"top":{"n":3,"by":"margin"},
                            "dimensions":["region"]})"),
            "query: top.by: 'margin' is not a measure of the query. Valid: 'revenue', 'cost'");
  QuerySpec built;
  built.measures = {"revenu"};
  EXPECT_THAT(std::string(CheckQuery(ds_, built).status().message()),
              HasSubstr("query: measures[0]: unknown measure 'revenu'. Did you mean 'revenue'?"));
  built.measures = {};
  EXPECT_THAT(std::string(CheckQuery(ds_, built).status().message()),
              HasSubstr("query: no measure: name at least one of 'revenue', 'cost'"));
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue","revenue"]})"),
            "query: measures[1]: 'revenue' is listed twice");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],"dimensions":["region","region"]})"),
            "query: dimensions[1]: 'region' is listed twice");
}

TEST_F(CheckQueryTest, MissingTables) {
  const Dataset orders_only = Dataset::Of(*ds_.orders());
  EXPECT_EQ(ErrorOf(orders_only, R"({"measures":["revenue","win_rate"]})"),
            "query: the measure 'win_rate' reads the pipeline table, which the dataset does not "
            "have");
  const Dataset no_targets = data_.Build(/*with_targets=*/false);
  EXPECT_EQ(ErrorOf(no_targets, R"({"measures":["attainment_pct"]})"),
            "query: the measure 'attainment_pct' reads the targets table, which the dataset does "
            "not have");
  EXPECT_EQ(ErrorOf(no_targets, R"({"measures":["revenue"],
      "time":{"dimension":"order_date","grain":"month","compare":"target"}})"),
            "query: time.compare 'target' needs the targets table, which the dataset does not "
            "have");
}

TEST_F(CheckQueryTest, TypeMismatches) {
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "time":{"dimension":"region","range":["2024-01-01","2024-03-31"]}})"),
            "query: time.dimension: 'region' is a text member of the orders, not a date; a time "
            "range and grain need a date member: 'order_date'");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"region","op":"gt","values":["East"]}]})"),
            "query: filters[0].op: 'gt' does not apply to 'region', a text member (its ops: "
            "equals, notEquals, in, notIn, contains, startsWith, set, notSet)");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"and":[{"member":"order_date","op":"contains","values":["2024"]}]}]})"),
            "query: filters[0].and[0].op: 'contains' does not apply to 'order_date', a date "
            "member (its ops: equals, notEquals, in, notIn, gt, gte, lt, lte, between, set, "
            "notSet)");
  EXPECT_THAT(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"order_date","op":"between","values":["2024-01-01","March"]}]})"),
              HasSubstr("query: filters[0].values[1]: 'order_date' is a date member: 'March' does "
                        "not match the date format"));
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"order_date","op":"between","values":["2024-03-01","2024-01-01"]}]})"),
            "query: filters[0].values: between 2024-03-01 and 2024-01-01: the low end is after "
            "the high end");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"revenue","op":"gt","values":["1000"]}]})"),
            "query: filters[0].values[0]: 'revenue' is a measure: a value is a number, got the "
            "string '1000'");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"region","op":"in","values":["East", 1.5]}]})"),
            "query: filters[0].values[1]: 'region' is a text member: a value is a string, got "
            "the number 1.5");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"cost","op":"gt","values":[0]}]})"),
            "query: filters[0].member: 'cost' is a measure the query does not ask for (its "
            "measures: 'revenue'); add it to filter or order by it");
  EXPECT_THAT(ErrorOf(ds_, R"({"measures":["revenue"],
      "filters":[{"member":"order_date.month","op":"equals","values":["2024-01"]}]})"),
              HasSubstr("is a period; filter its date instead"));
  // between with one value: refused by the parser, and by the check of a
  // spec built in C++.
  QuerySpec built = Spec(R"({"measures":["revenue"]})");
  QueryFilter f;
  f.member = "order_date";
  f.op = FilterOp::kBetween;
  f.values = {std::string("2024-01-01")};
  built.filters = {f};
  EXPECT_EQ(CheckQuery(ds_, built).status().message(),
            "query spec: filters[0].values: op 'between' takes exactly 2 values [low, high], got 1");
  // The ops that fit: text, date and measure members.
  Ok(ds_, R"({"measures":["revenue"],"filters":[
      {"member":"region","op":"startsWith","values":["Ea"]},
      {"member":"customer","op":"in","values":["C1", 3]},
      {"member":"segment","op":"notSet"},
      {"or":[{"member":"order_date","op":"gte","values":["2024-02-01"]},
             {"member":"revenue","op":"between","values":[0, 1e6]}]}]})");
}

TEST_F(CheckQueryTest, CompareTopAndTotalsNeedWhatTheyWorkOn) {
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],
      "time":{"dimension":"order_date","compare":"last-year"}})"),
            "query: time.compare 'last-year' compares periods: it needs time.grain");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],"top":{"n":5}})"),
            "query: top ranks the members of a dimension: the query has no dimension or grain");
  EXPECT_EQ(ErrorOf(ds_, R"({"measures":["revenue"],"totals":"subtotals"})"),
            "query: totals 'subtotals' rolls up per dimension level: the query has no dimension "
            "(use 'grand')");
  Ok(ds_, R"({"measures":["revenue"],"top":{"n":5,"others":true},"totals":"grand",
      "time":{"dimension":"order_date","grain":"month","compare":"target"},
      "order":[{"member":"order_date.month","desc":true}]})");
}

TEST_F(CheckQueryTest, TheGroupCapNamesEveryFactor) {
  QueryLimits limits;
  limits.max_groups = 10;
  const std::string spec = R"({"measures":["revenue"],"dimensions":["customer","product"],
      "time":{"dimension":"order_date","grain":"month"}})";
  absl::StatusOr<QueryPlanInfo> refused = CheckQuery(ds_, Spec(spec), limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            "query: up to 18 groups (customer: 3 members x product: 2 members x "
            "order_date.month: 3 periods), over the cap of 10 groups (QueryLimits::max_groups); "
            "drop a dimension, filter one to fewer members, or choose a coarser grain");
  // One customer selected at the top level (directly or in an and group):
  // 1 x 2 x 3.
  const QueryPlanInfo info = Ok(ds_, R"({"measures":["revenue"],"dimensions":["customer","product"],
      "time":{"dimension":"order_date","grain":"month"},
      "filters":[{"and":[{"member":"customer","op":"in","values":["C1"]}]}]})", limits);
  EXPECT_EQ(info.estimated_groups, 6);
  // Under an or, the selection does not cap.
  EXPECT_THAT(ErrorOf(ds_, R"({"measures":["revenue"],"dimensions":["customer","product"],
      "time":{"dimension":"order_date","grain":"month"},
      "filters":[{"or":[{"member":"customer","op":"in","values":["C1"]},
                        {"member":"region","op":"set"}]}]})", limits),
              HasSubstr("up to 18 groups"));
}

TEST(CheckQueryCap, HighCardinalityDimensionsSaturateInsteadOfOverflowing) {
  std::vector<std::string> codes;
  for (int i = 0; i < 65536; ++i) codes.push_back(absl::StrCat("m", i));
  const DictionaryPtr big = Dict(codes);
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own({1});
  o.order_date = Column<Day>::Own({D(2024, 1, 1)});
  o.customer = Column<Id>::Own({0});
  o.amount = Column<Money>::Own({1});
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    o.attributes.push_back(AttributeColumn{name, Column<Id>::Own({0}), big});
  }
  absl::StatusOr<OrderLines> orders = OrderLines::Build(std::move(o));
  ASSERT_TRUE(orders.ok()) << orders.status();
  const Dataset d = Dataset::Of(*orders);
  const absl::StatusOr<QueryPlanInfo> r = CheckQuery(
      d, Spec(R"({"measures":["revenue"],"dimensions":["a","b","c","d","e"]})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "query: up to more than 9223372036854775807 groups (a: 65536 members x b: 65536 "
            "members x c: 65536 members x d: 65536 members x e: 65536 members), over the cap of "
            "10000000 groups (QueryLimits::max_groups); drop a dimension, filter one to fewer "
            "members, or choose a coarser grain");
}

// On random order lines: the estimate is the plain product of the factors
// (members from the dictionaries, "(none)" when a related row is missing,
// periods from the dates) and never below the real number of groups.
TEST(CheckQueryRandom, EstimateIsAnUpperBoundOfTheRealGroups) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    const int rows = 1 + pick(60), regions = 1 + pick(4), customers = 1 + pick(6),
              subcats = 1 + pick(5), kept = 1 + pick(customers);
    std::vector<std::string> region_codes, customer_codes, sub_codes, seg_codes = {"x", "y"};
    for (int i = 0; i < regions; ++i) region_codes.push_back(absl::StrCat("R", i));
    for (int i = 0; i < customers; ++i) customer_codes.push_back(absl::StrCat("C", i));
    for (int i = 0; i < subcats; ++i) sub_codes.push_back(absl::StrCat("S", i));
    const DictionaryPtr cust_dict = Dict(customer_codes);
    std::vector<std::int64_t> order_id;
    std::vector<Day> date;
    std::vector<Id> customer, region, sub;
    std::vector<Money> amount;
    for (int r = 0; r < rows; ++r) {
      order_id.push_back(r);
      date.push_back(D(2023, 1, 1) + pick(800));
      customer.push_back(pick(customers));
      region.push_back(pick(regions));
      sub.push_back(pick(subcats));
      amount.push_back(pick(1000) - 100);
    }
    OrderLinesColumns o;
    o.order_id = Column<std::int64_t>::Own(order_id);
    o.order_date = Column<Day>::Own(date);
    o.customer = Column<Id>::Own(customer);
    o.customers = cust_dict;
    o.region = Column<Id>::Own(region);
    o.regions = Dict(region_codes);
    o.amount = Column<Money>::Own(amount);
    o.attributes.push_back(AttributeColumn{"sub", Column<Id>::Own(sub), Dict(sub_codes)});
    // The customers table describes the first `kept` customers only.
    CustomersColumns c;
    std::vector<Id> ids, segs;
    for (int i = 0; i < kept; ++i) {
      ids.push_back(i);
      segs.push_back(pick(2));
    }
    c.customer = Column<Id>::Own(ids);
    c.customers = cust_dict;
    c.attributes.push_back(AttributeColumn{"segment", Column<Id>::Own(segs), Dict(seg_codes)});
    DatasetTables t;
    t.orders = Share(OrderLines::Build(std::move(o)));
    t.customers = Share(Customers::Build(std::move(c)));
    absl::StatusOr<Dataset> ds = Dataset::Build(std::move(t));
    ASSERT_TRUE(ds.ok()) << ds.status();

    const std::vector<std::string> all = {"region", "customer", "sub", "segment",
                                          "order_date.quarter"};
    std::vector<std::string> dims;
    for (const std::string& name : all) {
      if (pick(2) == 1) dims.push_back(name);
    }
    QuerySpec spec;
    spec.measures = {"revenue"};
    spec.dimensions = dims;
    QueryLimits unlimited;
    unlimited.max_groups = std::numeric_limits<std::int64_t>::max();
    absl::StatusOr<QueryPlanInfo> info = CheckQuery(*ds, spec, unlimited);
    ASSERT_TRUE(info.ok()) << info.status();

    // The plain reference.
    std::int64_t product = 1;
    std::set<std::vector<std::int64_t>> groups;
    Day lo = date[0], hi = date[0];
    for (Day x : date) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    for (const std::string& name : dims) {
      if (name == "region") product *= regions;
      if (name == "customer") product *= customers;
      if (name == "sub") product *= subcats;
      if (name == "segment") product *= 2 + (kept < customers ? 1 : 0);
      if (name == "order_date.quarter") {
        product *= PeriodOf(GrainUnit::kQuarter, hi) - PeriodOf(GrainUnit::kQuarter, lo) + 1;
      }
    }
    for (int r = 0; r < rows; ++r) {
      std::vector<std::int64_t> key;
      for (const std::string& name : dims) {
        if (name == "region") key.push_back(region[r]);
        if (name == "customer") key.push_back(customer[r]);
        if (name == "sub") key.push_back(sub[r]);
        if (name == "segment") key.push_back(customer[r] < kept ? segs[customer[r]] : -1);
        if (name == "order_date.quarter") key.push_back(PeriodOf(GrainUnit::kQuarter, date[r]));
      }
      groups.insert(key);
    }
    EXPECT_EQ(info->estimated_groups, product) << "seed " << seed;
    EXPECT_GE(info->estimated_groups, static_cast<std::int64_t>(groups.size())) << "seed " << seed;
  }
}

}  // namespace
}  // namespace salesight
