// RunQuery over the pipeline, receivables and targets measures and compare
// target (salesight/query/run.hpp), hand-computed on tiny tables; a query
// mixing tables joins their groups by the members' labels (full outer join).
#include <cmath>
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

// Orders (cents): order 1 2024-01-10 C1 East Ann 100.00; order 2 2024-01-20
// C2 West Bob 50.00; order 3 2024-02-05 C1 East Ann 80.00.
std::shared_ptr<const OrderLines> Orders() {
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own({1, 2, 3});
  o.order_date = Column<Day>::Own({D(2024, 1, 10), D(2024, 1, 20), D(2024, 2, 5)});
  o.customer = Column<Id>::Own({0, 1, 0});
  o.customers = Dict({"C1", "C2"});
  o.region = Column<Id>::Own({0, 1, 0});
  o.regions = Dict({"East", "West"});
  o.salesperson = Column<Id>::Own({0, 1, 0});
  o.salespeople = Dict({"Ann", "Bob"});
  o.amount = Column<Money>::Own({10000, 5000, 8000});
  return Share(OrderLines::Build(std::move(o)));
}

// Stages lead, quote, won. Amounts 500, 100, 300, 200, 150.00.
//  opp created     region lead   quote  won    lost     outcome
//   1  2024-01-03  East   01-03  01-10  01-20           won (furthest 2)
//   2  2024-01-15  West   01-15                01-25    lost (furthest 0)
//   3  2024-01-20  East   01-20  02-01                  open at quote
//   4  2024-02-02  North  02-02                         open at lead
//   5  2024-02-10  West   02-10  02-12         02-20    lost (furthest 1)
// Stage-to-won: p2 = 1/1, p1 = 1/2, p0 = 1/3.
std::shared_ptr<const Pipeline> Opportunities() {
  PipelineColumns p;
  p.opportunity = Column<std::int64_t>::Own({1, 2, 3, 4, 5});
  p.region = Column<Id>::Own({0, 2, 0, 1, 2});
  p.regions = Dict({"East", "North", "West"});
  p.amount = Column<Money>::Own({50000, 10000, 30000, 20000, 15000});
  p.created = Column<Day>::Own(
      {D(2024, 1, 3), D(2024, 1, 15), D(2024, 1, 20), D(2024, 2, 2), D(2024, 2, 10)});
  p.stage_names = {"lead", "quote", "won"};
  p.stage_dates.push_back(Column<Day>::Own(
      {D(2024, 1, 3), D(2024, 1, 15), D(2024, 1, 20), D(2024, 2, 2), D(2024, 2, 10)}));
  p.stage_dates.push_back(
      Column<Day>::Own({D(2024, 1, 10), kNoDate, D(2024, 2, 1), kNoDate, D(2024, 2, 12)}));
  p.stage_dates.push_back(Column<Day>::Own({D(2024, 1, 20), kNoDate, kNoDate, kNoDate, kNoDate}));
  p.lost_date = Column<Day>::Own({kNoDate, D(2024, 1, 25), kNoDate, kNoDate, D(2024, 2, 20)});
  return Share(Pipeline::Build(std::move(p)));
}

//  inv customer region invoice     due         amount   paid
//   1  C1       East   2024-01-05  2024-02-04  1000.00  1000.00 on 2024-02-01
//   2  C2       West   2024-01-15  2024-02-14   500.00   200.00 on 2024-02-20
//   3  C1       East   2024-02-10  2024-03-11   400.00   unpaid
std::shared_ptr<const Invoices> Bills() {
  InvoicesColumns i;
  i.invoice = Column<std::int64_t>::Own({1, 2, 3});
  i.customer = Column<Id>::Own({0, 1, 0});
  i.customers = Dict({"C1", "C2"});
  i.region = Column<Id>::Own({0, 1, 0});
  i.regions = Dict({"East", "West"});
  i.invoice_date = Column<Day>::Own({D(2024, 1, 5), D(2024, 1, 15), D(2024, 2, 10)});
  i.due_date = Column<Day>::Own({D(2024, 2, 4), D(2024, 2, 14), D(2024, 3, 11)});
  i.amount = Column<Money>::Own({100000, 50000, 40000});
  i.paid = Column<Money>::Own({100000, 20000, 0});
  i.paid_date = Column<Day>::Own({D(2024, 2, 1), D(2024, 2, 20), kNoDate});
  return Share(Invoices::Build(std::move(i)));
}

// Per salesperson: Ann 202401 3100.00, 202402 2900.00 (100.00 a day);
// Bob 202401 620.00 (20.00 a day), 202402 100.00 (100/29 a day).
std::shared_ptr<const Targets> Goals() {
  TargetsColumns g;
  g.level = TargetLevel::kSalesperson;
  g.key = Column<Id>::Own({0, 0, 1, 1});
  g.keys = Dict({"Ann", "Bob"});
  g.month = Column<std::int32_t>::Own({202401, 202402, 202401, 202402});
  g.amount = Column<Money>::Own({310000, 290000, 62000, 10000});
  return Share(Targets::Build(std::move(g)));
}

Dataset All() {
  DatasetTables t;
  t.orders = Orders();
  t.pipeline = Opportunities();
  t.invoices = Bills();
  t.targets = Goals();
  return *Dataset::Build(std::move(t));
}

QueryResult Query(const Dataset& d, const std::string& json) {
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
  EXPECT_TRUE(spec.ok()) << spec.status() << "\n" << json;
  absl::StatusOr<QueryResult> r = RunQuery(d, spec.ok() ? *spec : QuerySpec{});
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
// Doubles with NaN for null.
std::vector<double> Doubles(const QueryResult& r, const std::string& name) {
  const ResultColumn* c = r.table.Find(name);
  EXPECT_NE(c, nullptr) << name;
  std::vector<double> out;
  if (c == nullptr) return out;
  for (std::size_t i = 0; i < c->doubles.size(); ++i) {
    out.push_back(c->is_null(i) ? std::nan("") : c->doubles[i]);
  }
  return out;
}
bool IsNull(const QueryResult& r, const std::string& name, std::size_t row) {
  const ResultColumn* c = r.table.Find(name);
  return c != nullptr && c->is_null(row);
}

TEST(RunQueryTables, PipelineMeasuresOverAllOpportunities) {
  const QueryResult r = Query(All(), R"({"measures": ["opportunities", "won", "lost", "win_rate",
      "pipeline_amount", "weighted_pipeline"]})");
  ASSERT_EQ(r.table.num_rows(), 1u);
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(5));
  EXPECT_THAT(Ints(r, "won"), ElementsAre(1));
  EXPECT_THAT(Ints(r, "lost"), ElementsAre(2));
  EXPECT_DOUBLE_EQ(Doubles(r, "win_rate")[0], 1.0 / 3);
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(50000));  // 300 + 200 open
  EXPECT_DOUBLE_EQ(Doubles(r, "weighted_pipeline")[0], 300 * 0.5 + 200 * (1.0 / 3));
  EXPECT_EQ(r.table.Find("pipeline_amount")->type, ResultType::kMoney);
  EXPECT_EQ(r.table.Find("won")->type, ResultType::kInt64);
}

TEST(RunQueryTables, PipelineByRegionUsesTheCompanyWideProbabilities) {
  const QueryResult r = Query(All(), R"({"measures": ["opportunities", "won", "lost", "win_rate",
      "pipeline_amount", "weighted_pipeline"], "dimensions": ["region"]})");
  EXPECT_THAT(Texts(r, "region"), ElementsAre("East", "North", "West"));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2, 1, 2));
  EXPECT_THAT(Ints(r, "won"), ElementsAre(1, 0, 0));
  EXPECT_THAT(Ints(r, "lost"), ElementsAre(0, 0, 2));
  const std::vector<double> rate = Doubles(r, "win_rate");
  EXPECT_DOUBLE_EQ(rate[0], 1.0);
  EXPECT_TRUE(std::isnan(rate[1]));  // nothing closed
  EXPECT_DOUBLE_EQ(rate[2], 0.0);
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(30000, 20000, 0));
  const std::vector<double> w = Doubles(r, "weighted_pipeline");
  EXPECT_DOUBLE_EQ(w[0], 150.0);
  EXPECT_DOUBLE_EQ(w[1], 200.0 / 3);
  EXPECT_DOUBLE_EQ(w[2], 0.0);
}

TEST(RunQueryTables, PipelineByMonthWithTheRangeEndAsOf) {
  QueryResult r = Query(All(), R"({"measures": ["opportunities", "won", "lost", "pipeline_amount"],
      "time": {"dimension": "created", "grain": "month"}})");
  EXPECT_THAT(Texts(r, "created.month"), ElementsAre("2024-01", "2024-02"));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(3, 2));
  EXPECT_THAT(Ints(r, "won"), ElementsAre(1, 0));
  EXPECT_THAT(Ints(r, "lost"), ElementsAre(1, 1));
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(30000, 20000));
  // As of 2024-01-31: opportunity 3's quote (02-01) is not yet recorded, so
  // it is open at lead; p0 = won 1 / closed 2 over the cohort.
  r = Query(All(), R"({"measures": ["opportunities", "pipeline_amount", "weighted_pipeline"],
      "time": {"dimension": "created", "range": ["2024-01-01", "2024-01-31"]}})");
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(3));
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(30000));
  EXPECT_DOUBLE_EQ(Doubles(r, "weighted_pipeline")[0], 150.0);
}

// "stage": each opportunity's furthest stage dated on or before the range's
// end. All dates: 1 won, 2 lead, 3 quote, 4 lead, 5 quote.
TEST(RunQueryTables, PipelineByStageAsOfTheRangeEnd) {
  QueryResult r = Query(All(), R"({"measures": ["opportunities", "lost", "pipeline_amount",
      "weighted_pipeline"], "dimensions": ["stage"]})");
  EXPECT_THAT(Texts(r, "stage"), ElementsAre("lead", "quote", "won"));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2, 2, 1));
  EXPECT_THAT(Ints(r, "lost"), ElementsAre(1, 1, 0));
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(20000, 30000, 0));
  std::vector<double> w = Doubles(r, "weighted_pipeline");
  EXPECT_DOUBLE_EQ(w[0], 200.0 / 3);  // opportunity 4 at lead, p0 = 1/3
  EXPECT_DOUBLE_EQ(w[1], 150.0);      // opportunity 3 at quote, p1 = 1/2
  EXPECT_DOUBLE_EQ(w[2], 0.0);
  // As of 2024-01-31 (created in January: 1, 2, 3): 3's quote (02-01) is
  // not recorded yet, so it is at lead beside 2.
  r = Query(All(), R"({"measures": ["opportunities", "won", "pipeline_amount"],
      "dimensions": ["stage"], "time": {"dimension": "created", "range": ["2024-01-01", "2024-01-31"]}})");
  EXPECT_THAT(Texts(r, "stage"), ElementsAre("lead", "won"));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2, 1));
  EXPECT_THAT(Ints(r, "won"), ElementsAre(0, 1));
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(30000, 0));
  // A filter on the stage: opportunities 3 and 5.
  r = Query(All(), R"({"measures": ["opportunities", "lost", "pipeline_amount"],
      "filters": [{"member": "stage", "op": "equals", "values": ["quote"]}]})");
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2));
  EXPECT_THAT(Ints(r, "lost"), ElementsAre(1));
  EXPECT_THAT(Ints(r, "pipeline_amount"), ElementsAre(30000));
  // The orders have no stage.
  EXPECT_FALSE(RunQuery(All(), *ParseQuerySpec(
                                   R"({"measures": ["revenue"], "dimensions": ["stage"]})"))
                   .ok());
}

TEST(RunQueryTables, ReceivablesOverARange) {
  const QueryResult r = Query(All(), R"({"measures": ["billed", "collected", "collection_rate",
      "credit_sales", "outstanding", "overdue", "dso"],
      "time": {"dimension": "due_date", "range": ["2024-01-01", "2024-02-29"]}})");
  ASSERT_EQ(r.table.num_rows(), 1u);
  EXPECT_THAT(Ints(r, "billed"), ElementsAre(150000));     // invoices 1, 2 due in range
  EXPECT_THAT(Ints(r, "collected"), ElementsAre(120000));  // 1000 + 200 by 02-29
  EXPECT_DOUBLE_EQ(Doubles(r, "collection_rate")[0], 0.8);
  EXPECT_THAT(Ints(r, "credit_sales"), ElementsAre(190000));  // invoice dates in range
  EXPECT_THAT(Ints(r, "outstanding"), ElementsAre(70000));  // 300 + 400 at 02-29
  EXPECT_THAT(Ints(r, "overdue"), ElementsAre(30000));      // invoice 2, due 02-14
  EXPECT_DOUBLE_EQ(Doubles(r, "dso")[0], 70000.0 / 190000.0 * 60);
}

TEST(RunQueryTables, ReceivablesByMonthSnapshotAtEachPeriodsEnd) {
  const QueryResult r = Query(All(), R"({"measures": ["revenue", "billed", "collected",
      "credit_sales", "outstanding", "overdue", "dso"], "time": {"dimension": "order_date", "grain": "month",
      "range": ["2024-01-01", "2024-02-29"]}})");
  // Billed by due date, credit sales by invoice date, outstanding as of
  // each month's end.
  EXPECT_THAT(Texts(r, "order_date.month"), ElementsAre("2024-01", "2024-02"));
  EXPECT_THAT(Ints(r, "billed"), ElementsAre(0, 150000));
  EXPECT_THAT(Ints(r, "collected"), ElementsAre(0, 120000));
  EXPECT_THAT(Ints(r, "credit_sales"), ElementsAre(150000, 40000));
  EXPECT_THAT(Ints(r, "outstanding"), ElementsAre(150000, 70000));
  EXPECT_THAT(Ints(r, "overdue"), ElementsAre(0, 30000));
  EXPECT_THAT(Doubles(r, "dso"), ElementsAre(31.0, 70000.0 / 40000.0 * 29));
}

TEST(RunQueryTables, ReceivablesByRegionAndTotals) {
  const QueryResult r = Query(All(), R"({"measures": ["billed", "collected", "outstanding",
      "overdue"], "dimensions": ["region"], "totals": "grand",
      "time": {"dimension": "invoice_date", "grain": "month",
      "range": ["2024-02-01", "2024-02-29"]}})");
  // billed keeps its due date whatever the axis: invoices 1 and 2.
  EXPECT_THAT(Texts(r, "region"), ElementsAre("East", "West", "(all)"));
  EXPECT_THAT(Ints(r, "billed"), ElementsAre(100000, 50000, 150000));
  EXPECT_THAT(Ints(r, "outstanding"), ElementsAre(40000, 30000, 70000));
  EXPECT_THAT(Ints(r, "overdue"), ElementsAre(0, 30000, 30000));
}

TEST(RunQueryTables, ASnapshotTotalOverSeveralPeriodsIsNull) {
  const QueryResult r = Query(All(), R"({"measures": ["credit_sales", "outstanding"],
      "totals": "grand", "time": {"dimension": "invoice_date", "grain": "month",
      "range": ["2024-01-01", "2024-02-29"]}})");
  EXPECT_THAT(Texts(r, "invoice_date.month"), ElementsAre("2024-01", "2024-02", "(all)"));
  EXPECT_THAT(Ints(r, "credit_sales"), ElementsAre(150000, 40000, 190000));
  EXPECT_FALSE(IsNull(r, "outstanding", 1));
  EXPECT_TRUE(IsNull(r, "outstanding", 2));
}

TEST(RunQueryTables, TargetsSpreadOverDaysAndRoundedOnce) {
  QueryResult r = Query(All(), R"({"measures": ["target"]})");
  EXPECT_THAT(Ints(r, "target"), ElementsAre(672000));  // 3100 + 2900 + 620 + 100
  r = Query(All(), R"({"measures": ["target"], "dimensions": ["salesperson"],
      "time": {"dimension": "month", "range": ["2024-02-10", "2024-02-29"]}})");
  EXPECT_THAT(Texts(r, "salesperson"), ElementsAre("Ann", "Bob"));
  EXPECT_THAT(Ints(r, "target"), ElementsAre(200000, 6897));  // 20 days; 20 x 100/29 = 68.97
  r = Query(All(), R"({"measures": ["target"], "totals": "grand",
      "time": {"dimension": "month", "grain": "week", "range": ["2024-01-29", "2024-03-03"]}})");
  // Week of 2024-01-29: Ann 3 x 100 + 4 x 100, Bob 3 x 20 + 4 x 100/29 = 73.79.
  ASSERT_GE(r.table.num_rows(), 2u);
  EXPECT_EQ(Ints(r, "target")[0], 70000 + 6000 + 1379);
  EXPECT_EQ(Ints(r, "target").back(), 290000 + 10000 + 300 * 100 + 3 * 2000);  // (all): exact
}

TEST(RunQueryTables, AttainmentJoinsOrdersAndTargetsBySalesperson) {
  const QueryResult r = Query(All(), R"({"measures": ["revenue", "target", "attainment_pct"],
      "dimensions": ["salesperson"], "time": {"dimension": "order_date", "grain": "month"}})");
  EXPECT_THAT(Texts(r, "order_date.month"), ElementsAre("2024-01", "2024-01", "2024-02", "2024-02"));
  EXPECT_THAT(Texts(r, "salesperson"), ElementsAre("Ann", "Bob", "Ann", "Bob"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(10000, 5000, 8000, 0));
  EXPECT_THAT(Ints(r, "target"), ElementsAre(310000, 62000, 290000, 10000));
  const std::vector<double> a = Doubles(r, "attainment_pct");
  EXPECT_DOUBLE_EQ(a[0], 10000.0 / 310000.0 * 100);
  EXPECT_DOUBLE_EQ(a[3], 0.0);
}

TEST(RunQueryTables, CompareTarget) {
  const QueryResult r = Query(All(), R"({"measures": ["revenue"],
      "time": {"dimension": "order_date", "grain": "month", "compare": "target"}})");
  EXPECT_THAT(Texts(r, "order_date.month"), ElementsAre("2024-01", "2024-02"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(15000, 8000));
  EXPECT_THAT(Ints(r, "revenue_target"), ElementsAre(372000, 300000));
  EXPECT_THAT(Ints(r, "revenue_change"), ElementsAre(15000 - 372000, 8000 - 300000));
  const std::vector<double> pct = Doubles(r, "revenue_change_pct");
  EXPECT_DOUBLE_EQ(pct[0], 100.0 * (15000 - 372000) / 372000);
  const absl::Status s = Error(All(), R"({"measures": ["lines"],
      "time": {"dimension": "order_date", "grain": "month", "compare": "target"}})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("must include 'revenue'"));
}

TEST(RunQueryTables, MixedTablesFullOuterJoinByMemberLabel) {
  // North is a pipeline region only: its revenue is 0, not a missing row.
  const QueryResult r = Query(All(), R"({"measures": ["revenue", "opportunities", "billed"],
      "dimensions": ["region"], "order": [{"member": "region", "desc": true}]})");
  EXPECT_THAT(Texts(r, "region"), ElementsAre("West", "North", "East"));
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(5000, 0, 18000));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2, 1, 2));
  // As of the latest invoice date (2024-02-10): invoice 1 is the due set.
  EXPECT_THAT(Ints(r, "billed"), ElementsAre(0, 0, 100000));
}

TEST(RunQueryTables, RowFiltersApplyToEveryTable) {
  const QueryResult r = Query(All(), R"({"measures": ["revenue", "opportunities", "billed"],
      "filters": [{"member": "region", "op": "equals", "values": ["East"]}],
      "time": {"dimension": "order_date", "range": ["2024-01-01", "2024-02-29"]}})");
  EXPECT_THAT(Ints(r, "revenue"), ElementsAre(18000));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2));
  EXPECT_THAT(Ints(r, "billed"), ElementsAre(100000));
  // A date member of one table filters that table's rows only.
  const QueryResult lost = Query(All(), R"({"measures": ["revenue", "opportunities"],
      "filters": [{"member": "lost_date", "op": "set"}]})");
  EXPECT_THAT(Ints(lost, "revenue"), ElementsAre(23000));
  EXPECT_THAT(Ints(lost, "opportunities"), ElementsAre(2));
}

TEST(RunQueryTables, MeasureFiltersAndTopOnTableMeasures) {
  const QueryResult r = Query(All(), R"({"measures": ["opportunities", "pipeline_amount"],
      "dimensions": ["region"], "filters": [{"member": "pipeline_amount", "op": "gt",
      "values": [100]}]})");
  EXPECT_THAT(Texts(r, "region"), ElementsAre("East", "North"));
  const QueryResult top = Query(All(), R"({"measures": ["opportunities"], "dimensions": ["region"],
      "top": {"n": 1, "by": "opportunities", "others": true}})");
  EXPECT_THAT(Texts(top, "region"), ElementsAre("East", "(others)"));
  EXPECT_THAT(Ints(top, "opportunities"), ElementsAre(2, 3));
}

TEST(RunQueryTables, ADimensionATableLacksIsRefusedAndSnapshotsNeedTheGrain) {
  absl::Status s = Error(All(), R"({"measures": ["revenue", "target"], "dimensions": ["region"]})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("cannot share the dimension 'region'"));
  s = Error(All(), R"({"measures": ["outstanding"], "dimensions": ["month"]})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("with time.grain"));
}

TEST(RunQueryTables, ATableAloneWithoutOrders) {
  DatasetTables t;
  t.pipeline = Opportunities();
  const Dataset d = *Dataset::Build(std::move(t));
  const QueryResult r = Query(d, R"({"measures": ["opportunities", "won"],
      "dimensions": ["region"], "time": {"dimension": "created", "grain": "quarter"}})");
  EXPECT_THAT(Texts(r, "created.quarter"), ElementsAre("2024-Q1", "2024-Q1", "2024-Q1"));
  EXPECT_THAT(Texts(r, "region"), ElementsAre("East", "North", "West"));
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2, 1, 2));
}

TEST(RunQueryTables, CompareLastYearOnTableMeasures) {
  const QueryResult r = Query(All(), R"({"measures": ["opportunities"],
      "time": {"dimension": "created", "grain": "month", "compare": "previous",
      "range": ["2024-02-01", "2024-02-29"]}})");
  EXPECT_THAT(Ints(r, "opportunities"), ElementsAre(2));
  EXPECT_THAT(Ints(r, "opportunities_previous"), ElementsAre(3));
}

}  // namespace
}  // namespace salesight
