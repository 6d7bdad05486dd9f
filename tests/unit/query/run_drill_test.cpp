// DrillDown and DrillThrough (salesight/query/drill.hpp), hand-computed: one
// level down the product and time hierarchies under a row, "(all)" and
// "(others)" rows, a period dimension, and the lines of a cell, paged.
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

// Lines (cents): order, date, product (category), region, amount
//   A-1 2023-11-02 P1 (Furniture) East  1000
//   A-2 2024-02-10 P2 (Furniture) West  2000
//   A-3 2024-05-05 P3 (Office)    East  4000
//   A-4 2024-05-20 P1 (Furniture) East   500
struct Fixture {
  DictionaryPtr products = Dict({"P1", "P2", "P3"});
  std::shared_ptr<const OrderLines> orders;
  std::shared_ptr<const Products> masters;
  Dataset data;
  Fixture() {
    OrderLinesColumns o;
    o.order_id = Column<std::int64_t>::Own({0, 1, 2, 3});
    o.orders = Dict({"A-1", "A-2", "A-3", "A-4"});
    o.order_date = Column<Day>::Own({D(2023, 11, 2), D(2024, 2, 10), D(2024, 5, 5), D(2024, 5, 20)});
    o.customer = Column<Id>::Own({0, 1, 0, 1});
    o.customers = Dict({"C1", "C2"});
    o.product = Column<Id>::Own({0, 1, 2, 0});
    o.products = products;
    o.region = Column<Id>::Own({0, 1, 0, 0});
    o.regions = Dict({"East", "West"});
    o.amount = Column<Money>::Own({1000, 2000, 4000, 500});
    orders = std::make_shared<const OrderLines>(*OrderLines::Build(std::move(o)));
    ProductsColumns p;
    p.product = Column<Id>::Own({0, 1, 2});
    p.products = products;
    p.category = Column<Id>::Own({0, 0, 1});
    p.categories = Dict({"Furniture", "Office"});
    masters = std::make_shared<const Products>(*Products::Build(std::move(p)));
    DatasetTables t;
    t.orders = orders;
    t.products = masters;
    data = *Dataset::Build(std::move(t));
  }
};

QuerySpec Spec(const std::string& json) {
  absl::StatusOr<QuerySpec> s = ParseQuerySpec(json);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

ResultTable Table(const Dataset& d, const QuerySpec& spec) {
  absl::StatusOr<QueryResult> r = RunQuery(d, spec);
  EXPECT_TRUE(r.ok()) << r.status();
  return r->table;
}

TEST(QueryDrill, CategoryDownToProducts) {
  Fixture f;
  const QuerySpec spec = Spec(R"({"measures": ["revenue"], "dimensions": ["category"],
      "top": {"n": 5}, "totals": "grand"})");
  const ResultTable top = Table(f.data, spec);
  // top ranks by revenue: Office 40.00, Furniture 35.00.
  ASSERT_THAT(top.Find("category")->Texts(), ElementsAre("Office", "Furniture", "(all)"));
  const QuerySpec down = *DrillDown(f.data, spec, top, 1);
  EXPECT_THAT(down.dimensions, ElementsAre("product"));
  EXPECT_FALSE(down.top.has_value());
  const ResultTable r = Table(f.data, down);
  EXPECT_THAT(r.Find("product")->Texts(), ElementsAre("P1", "P2", "(all)"));
  EXPECT_THAT(std::vector<std::int64_t>(r.Find("revenue")->ints.begin(), r.Find("revenue")->ints.end()),
              ElementsAre(1500, 2000, 3500));
  // The grand total row drills into everything.
  const ResultTable all = Table(f.data, *DrillDown(f.data, spec, top, 2));
  EXPECT_THAT(all.Find("product")->Texts(), ElementsAre("P1", "P2", "P3", "(all)"));
  // product is the last level.
  const absl::Status s = DrillDown(f.data, down, r, 0).status();
  EXPECT_THAT(s.message(), HasSubstr("'product' has no level below it"));
}

TEST(QueryDrill, YearDownToQuartersOfThatYear) {
  Fixture f;
  const QuerySpec spec = Spec(R"({"measures": ["revenue"], "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "year"}})");
  const ResultTable years = Table(f.data, spec);
  ASSERT_THAT(years.Find("order_date.year")->Texts(), ElementsAre("2023", "2024", "2024"));
  const QuerySpec down = *DrillDown(f.data, spec, years, 1, "order_date.year");
  const ResultTable r = Table(f.data, down);
  EXPECT_THAT(r.Find("order_date.quarter")->Texts(), ElementsAre("2024-Q2"));
  EXPECT_THAT(r.Find("region")->Texts(), ElementsAre("East"));
  EXPECT_EQ(r.Find("revenue")->ints[0], 4500);
  EXPECT_THAT(DrillDown(f.data, spec, years, 7).status().message(), HasSubstr("row 7"));
  EXPECT_THAT(DrillDown(f.data, spec, years, 0, "Region").status().message(),
              HasSubstr("'Region' is not a dimension"));
}

TEST(QueryDrill, WeeksAndPeriodDimensionsBecomeDateRanges) {
  Fixture f;
  const QuerySpec spec = Spec(R"({"measures": ["lines"], "dimensions": ["order_date.quarter"],
      "time": {"dimension": "order_date", "grain": "week"}})");
  const ResultTable weeks = Table(f.data, spec);
  ASSERT_THAT(weeks.Find("order_date.week")->Texts(),
              ElementsAre("2023-W44", "2024-W06", "2024-W18", "2024-W21"));
  const ResultTable days = Table(f.data, *DrillDown(f.data, spec, weeks, 2, "order_date.week"));
  EXPECT_THAT(days.Find("order_date.day")->Texts(), ElementsAre("2024-05-05"));
  // The last dimension by default: the quarter goes down to its months.
  const QuerySpec months = *DrillDown(f.data, spec, weeks, 3);
  EXPECT_THAT(months.dimensions, ElementsAre("order_date.month"));
  const ResultTable m = Table(f.data, months);
  EXPECT_THAT(m.Find("order_date.month")->Texts(), ElementsAre("2024-05"));
  EXPECT_THAT(m.Find("order_date.week")->Texts(), ElementsAre("2024-W21"));
}

TEST(QueryDrill, OthersRowsAreNotOneMember) {
  Fixture f;
  const QuerySpec spec = Spec(R"({"measures": ["revenue"], "dimensions": ["product"],
      "top": {"n": 1, "others": true}})");
  const ResultTable r = Table(f.data, spec);
  ASSERT_THAT(r.Find("product")->Texts(), ElementsAre("P3", "(others)"));
  EXPECT_THAT(DrillThrough(f.data, spec, r, 1).status().message(), HasSubstr("'(others)'"));
}

TEST(QueryDrill, ThroughToTheLinesPaged) {
  Fixture f;
  const QuerySpec spec = Spec(R"({"measures": ["revenue"], "dimensions": ["category"],
      "filters": [{"member": "revenue", "op": "gt", "values": [1]}],
      "time": {"dimension": "order_date", "range": ["2024-01-01", null]}})");
  const ResultTable r = Table(f.data, spec);
  ASSERT_THAT(r.Find("category")->Texts(), ElementsAre("Furniture", "Office"));
  const ResultTable lines = *DrillThrough(f.data, spec, r, 0);
  EXPECT_THAT(lines.Find("order_id")->Texts(), ElementsAre("A-2", "A-4"));
  EXPECT_THAT(lines.Find("product")->Texts(), ElementsAre("P2", "P1"));
  EXPECT_THAT(lines.Find("customer")->Texts(), ElementsAre("C2", "C2"));
  EXPECT_EQ(lines.Find("row")->ints[1], 3);
  EXPECT_EQ(lines.Find("amount")->type, ResultType::kMoney);
  const ResultTable page = *DrillThrough(f.data, spec, r, 0, 1, 1);
  EXPECT_THAT(page.Find("order_id")->Texts(), ElementsAre("A-4"));
  EXPECT_EQ(DrillThrough(f.data, spec, r, 0, 2, 5)->num_rows(), 0u);
}

TEST(QueryDrill, CrossFilterAppliesTheSelectedRowsToAnotherQuery) {
  Fixture f;
  const QuerySpec by_region = Spec(R"({"measures": ["revenue"], "dimensions": ["region"],
      "time": {"dimension": "order_date", "grain": "year"}, "totals": "grand"})");
  const ResultTable regions = Table(f.data, by_region);
  ASSERT_THAT(regions.Find("region")->Texts(), ElementsAre("East", "East", "West", "(all)"));
  ASSERT_THAT(regions.Find("order_date.year")->Texts(), ElementsAre("2023", "2024", "2024", "(all)"));
  const QuerySpec by_product = Spec(R"({"measures": ["revenue"], "dimensions": ["product"]})");
  // East in 2024 or West in 2024: A-2, A-3, A-4.
  const std::vector<std::size_t> rows = {1, 2};
  const ResultTable r = Table(f.data, *CrossFilter(by_region, regions, rows, by_product));
  EXPECT_THAT(r.Find("product")->Texts(), ElementsAre("P1", "P2", "P3"));
  EXPECT_THAT(std::vector<std::int64_t>(r.Find("revenue")->ints.begin(), r.Find("revenue")->ints.end()),
              ElementsAre(500, 2000, 4000));
  const std::vector<std::size_t> total = {3};
  EXPECT_EQ(*CrossFilter(by_region, regions, total, by_product), by_product);
  EXPECT_FALSE(CrossFilter(by_region, regions, {}, by_product).ok());
}

}  // namespace
}  // namespace salesight
