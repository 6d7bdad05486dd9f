// Alerts: hand cases (flat history, a planted drop, the guard, each rule kind
// at and just past its threshold, rule validation), a plain per-line
// reference of the baseline and band on random data, row-order and thread
// count invariance, and the declaration.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/alerts.hpp"
#include "salesight/calculator.hpp"

namespace salesight {
namespace {

using test_data::TestData;

Day D(int y, int m, int d) { return DayFromCivil(y, m, d); }

struct Line {
  Day day;
  Money amount;
  Id region = 0;
  Id product = 0;
  Money cost = 0;
  std::int64_t order = -1;  // -1 = one order per line
  Id customer = 0;
};

const std::vector<std::string> kRegions = {"east", "west", "north", "south", "r4",
                                           "r5",   "r6",   "r7",    "r8",    "tiny"};

OrderLines MakeOrders(const std::vector<Line>& lines, bool with_cost = false) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, region, product;
  std::vector<Money> amount, cost;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    order.push_back(lines[i].order >= 0 ? lines[i].order : static_cast<std::int64_t>(i));
    day.push_back(lines[i].day);
    customer.push_back(lines[i].customer);
    region.push_back(lines[i].region);
    product.push_back(lines[i].product);
    amount.push_back(lines[i].amount);
    cost.push_back(lines[i].cost);
  }
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.region = Column<Id>::Own(std::move(region));
  c.product = Column<Id>::Own(std::move(product));
  c.amount = Column<Money>::Own(std::move(amount));
  if (with_cost) c.cost = Column<Money>::Own(std::move(cost));
  c.regions = std::make_shared<const Dictionary>(*Dictionary::FromCodes(kRegions));
  c.products = std::make_shared<const Dictionary>(*Dictionary::FromCodes({"A", "B", "C"}));
  return OrderLines::Build(std::move(c)).value();
}

// Every day of 2022-01-01..2024-12-31, one line of `amount(day, region)` per
// region in [0, regions).
template <typename F>
std::vector<Line> Daily(int regions, F amount) {
  std::vector<Line> lines;
  for (Day d = D(2022, 1, 1); d <= D(2024, 12, 31); ++d) {
    for (Id r = 0; r < regions; ++r) {
      const Money a = amount(d, r);
      if (a != 0) lines.push_back({d, a, r});
    }
  }
  return lines;
}

std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}

AlertsOptions RegionOptions() {
  AlertsOptions o;
  o.dims = {"region"};
  o.dims_given = true;
  return o;
}

const AlertSkippedRow* Skipped(const AlertsResult& r, std::string_view kind, std::string_view kpi,
                               std::string_view dim, std::string_view rule = "") {
  for (const AlertSkippedRow& s : r.skipped) {
    if (s.kind == kind && s.kpi == kpi && s.dimension == dim && s.rule == rule) return &s;
  }
  return nullptr;
}

TEST(Alerts, FlatHistoryFlagsNothing) {
  const OrderLines orders = MakeOrders(Daily(9, [](Day, Id) { return 100; }));
  absl::StatusOr<AlertsResult> r = ComputeAlerts(TestData({.orders = &orders}), RegionOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->period, "2024-12");
  EXPECT_TRUE(r->alerts.empty()) << r->alerts[0].sentence;
  const AlertSkippedRow* s = Skipped(*r, "anomaly", "revenue", "region");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->slices, 9);
  EXPECT_EQ(s->checked, 9);
  EXPECT_EQ(s->guarded + s->no_history, 0);
}

TEST(Alerts, PlantedDropFlagsExactlyThatSlice) {
  // East sells half in December 2024; nine regions, so the total moves 5.6%
  // (z -2.8: inside the band).
  const OrderLines orders = MakeOrders(Daily(9, [](Day d, Id r) {
    return r == 0 && d >= D(2024, 12, 1) ? 50 : 100;
  }));
  absl::StatusOr<AlertsResult> r = ComputeAlerts(TestData({.orders = &orders}), RegionOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->alerts.size(), 2u);
  // Hand: V = 31 x 0.50 = 15.50; E = Dec 2023 (31.00) x the median of the
  // Sep-Nov 2024 / 2023 ratios (1) = 31.00; residuals: eleven 0 and Feb 2024
  // 29/28 - 1, so median 0, MAD 0, scale = min_band 0.02; z = -0.5 / 0.02.
  const AlertRow& a = r->alerts[0];  // |z| ties: kpi "aov" < "revenue"
  EXPECT_EQ(a.kpi, "aov");
  const AlertRow& b = r->alerts[1];
  EXPECT_EQ(b.kind, "anomaly");
  EXPECT_EQ(b.kpi, "revenue");
  EXPECT_EQ(b.dimension, "region");
  EXPECT_EQ(b.member, "east");
  EXPECT_EQ(b.period, "2024-12");
  EXPECT_DOUBLE_EQ(*b.value, 15.5);
  EXPECT_DOUBLE_EQ(*b.expected, 31.0);
  EXPECT_DOUBLE_EQ(*b.deviation, -15.5);
  EXPECT_DOUBLE_EQ(*b.deviation_pct, -50.0);
  EXPECT_DOUBLE_EQ(*b.z, -25.0);
  EXPECT_NEAR(*b.low, 31.0 * (1 - 3 * 0.02), 1e-12);
  EXPECT_NEAR(*b.high, 31.0 * (1 + 3 * 0.02), 1e-12);
  EXPECT_EQ(b.severity, AlertSeverity::kCritical);
  EXPECT_EQ(b.sentence, "east revenue 15.5 is 50% below the expected 31 (last year x recent trend)");
  AlertsOptions zh = RegionOptions();
  zh.lang = "zh";
  absl::StatusOr<AlertsResult> rz = ComputeAlerts(TestData({.orders = &orders}), zh);
  ASSERT_TRUE(rz.ok());
  EXPECT_EQ(rz->alerts[1].sentence, "east revenue 15.5 比预期 31 低 50%（去年同期 × 近期趋势）");
}

TEST(Alerts, GuardSilencesATinySlice) {
  // "tiny" (region 9) sells once a month; in December 2024 ten times as much.
  std::vector<Line> lines = Daily(9, [](Day, Id) { return 100; });
  for (int y = 2022; y <= 2024; ++y) {
    for (int m = 1; m <= 12; ++m) lines.push_back({D(y, m, 15), y == 2024 && m == 12 ? 1000 : 100, 9});
  }
  const OrderLines orders = MakeOrders(lines);
  absl::StatusOr<AlertsResult> r = ComputeAlerts(TestData({.orders = &orders}), RegionOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->alerts.empty());
  const AlertSkippedRow* s = Skipped(*r, "anomaly", "revenue", "region");
  EXPECT_EQ(s->slices, 10);
  EXPECT_EQ(s->guarded, 1);
  // Without the guard it is flagged.
  AlertsOptions o = RegionOptions();
  o.min_lines = 0;
  r = ComputeAlerts(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->alerts.empty());
  EXPECT_EQ(r->alerts[0].member, "tiny");
}

TEST(Alerts, SliceWithoutHistoryIsCountedNotDropped) {
  std::vector<Line> lines = Daily(2, [](Day, Id) { return 100; });
  for (Day d = D(2024, 11, 1); d <= D(2024, 12, 31); ++d) lines.push_back({d, 100, 3});  // new region
  const OrderLines orders = MakeOrders(lines);
  AlertsOptions o = RegionOptions();
  o.min_lines = 0;
  absl::StatusOr<AlertsResult> r = ComputeAlerts(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok());
  const AlertSkippedRow* s = Skipped(*r, "anomaly", "revenue", "region");
  EXPECT_EQ(s->slices, 3);
  EXPECT_EQ(s->no_history, 1);
  EXPECT_EQ(s->checked, 2);
}

// Funnel conversions and collection rates come from their calculators: a
// planted drop in December 2024 of each is flagged, the flat rest is not.
TEST(Alerts, ConversionAndCollectionRate) {
  const OrderLines orders = MakeOrders(Daily(1, [](Day, Id) { return 100; }));
  PipelineColumns p;
  std::vector<std::int64_t> id;
  std::vector<Day> created;
  std::vector<std::vector<Day>> dates(3);
  InvoicesColumns v;
  std::vector<std::int64_t> invoice;
  std::vector<Id> customer;
  std::vector<Day> idate, due, paid_date;
  std::vector<Money> amount, paid;
  for (Day d = D(2022, 1, 1); d <= D(2024, 12, 31); ++d) {
    const bool december = d >= D(2024, 12, 1);
    for (int i = 0; i < 4; ++i) {
      id.push_back(static_cast<std::int64_t>(id.size()));
      created.push_back(d);
      dates[0].push_back(d);
      // Half the leads become quotes (one in four in December 2024).
      dates[1].push_back(i < (december ? 1 : 2) ? d : kNoDate);
      dates[2].push_back(kNoDate);
      invoice.push_back(static_cast<std::int64_t>(invoice.size()));
      customer.push_back(0);
      idate.push_back(d - 30);
      due.push_back(d);
      amount.push_back(1000);
      // Three in four paid on their due date (one in four in December 2024).
      const bool is_paid = i < (december ? 1 : 3);
      paid.push_back(is_paid ? 1000 : 0);
      paid_date.push_back(is_paid ? d : kNoDate);
    }
  }
  p.opportunity = Column<std::int64_t>::Own(std::move(id));
  p.created = Column<Day>::Own(std::move(created));
  p.stage_names = {"lead", "quote", "won"};
  for (auto& d : dates) p.stage_dates.push_back(Column<Day>::Own(std::move(d)));
  const Pipeline pipeline = Pipeline::Build(std::move(p)).value();
  v.invoice = Column<std::int64_t>::Own(std::move(invoice));
  v.customer = Column<Id>::Own(std::move(customer));
  v.invoice_date = Column<Day>::Own(std::move(idate));
  v.due_date = Column<Day>::Own(std::move(due));
  v.amount = Column<Money>::Own(std::move(amount));
  v.paid = Column<Money>::Own(std::move(paid));
  v.paid_date = Column<Day>::Own(std::move(paid_date));
  const Invoices invoices = Invoices::Build(std::move(v)).value();
  AlertsOptions o;
  o.dims_given = true;  // the total only
  absl::StatusOr<AlertsResult> r =
      ComputeAlerts(TestData({.orders = &orders, .pipeline = &pipeline, .invoices = &invoices}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::string, const AlertRow*> by_kpi;
  for (const AlertRow& a : r->alerts) by_kpi[a.kpi] = &a;
  ASSERT_EQ(by_kpi.count("conversion:quote"), 1u);
  EXPECT_DOUBLE_EQ(*by_kpi["conversion:quote"]->value, 25.0);
  EXPECT_DOUBLE_EQ(*by_kpi["conversion:quote"]->expected, 50.0);
  ASSERT_EQ(by_kpi.count("collection_rate"), 1u);
  EXPECT_DOUBLE_EQ(*by_kpi["collection_rate"]->value, 25.0);
  EXPECT_DOUBLE_EQ(*by_kpi["collection_rate"]->expected, 75.0);
  EXPECT_EQ(by_kpi.count("revenue"), 0u);
  EXPECT_NE(Skipped(*r, "anomaly", "conversion:won", ""), nullptr);
}

// ---------------------------------------------------------------- rules

AlertsOptions RulesOnly(std::string rules) {
  AlertsOptions o;
  o.anomalies = false;
  o.rules = std::move(rules);
  o.min_lines = 0;
  return o;
}

TEST(AlertsRules, ValueRuleOnMarginPct) {
  // December 2024: product A margin 9% (fires on "< 10"), B exactly 10% (not).
  // (The 2022 line makes December 2024 a known window: it starts after the
  // first line.)
  std::vector<Line> lines = {
      {D(2024, 12, 3), 1000, 0, 0, 910}, {D(2024, 12, 4), 1000, 0, 1, 900},
      {D(2024, 12, 31), 500, 0, 2, 0}, {D(2022, 1, 1), 500, 0, 2, 0}};
  const OrderLines orders = MakeOrders(lines, /*with_cost=*/true);
  absl::StatusOr<AlertsResult> r = ComputeAlerts(
      TestData({.orders = &orders}),
      RulesOnly(R"({"rules":[{"id":"low_margin","kpi":"margin_pct","dimension":"product",
                "op":"<","threshold":10,"severity":"critical"}]})"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->alerts.size(), 1u);
  EXPECT_EQ(r->alerts[0].member, "A");
  EXPECT_EQ(r->alerts[0].rule, "low_margin");
  EXPECT_DOUBLE_EQ(*r->alerts[0].value, 9.0);
  EXPECT_EQ(r->alerts[0].severity, AlertSeverity::kCritical);
  EXPECT_EQ(r->alerts[0].sentence, "A margin_pct 9% (rule low_margin: < 10%)");
  // "9.5" as an exact decimal string: 9% < 9.5 fires, 10% does not.
  r = ComputeAlerts(TestData({.orders = &orders}),
                    RulesOnly(R"([{"id":"m","kpi":"margin_pct","dimension":"product","op":"<=","threshold":"9"}])"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->alerts.size(), 1u);
}

TEST(AlertsRules, DownVersusLastYear) {
  // December: east 80% of last year (-20%: fires on "<= -20"), west 81%.
  std::vector<Line> lines = {{D(2023, 12, 5), 1000, 0}, {D(2024, 12, 5), 800, 0},
                             {D(2023, 12, 5), 1000, 1}, {D(2024, 12, 5), 810, 1},
                             {D(2024, 12, 31), 1, 2}, {D(2022, 1, 1), 1, 3}};
  const OrderLines orders = MakeOrders(lines);
  absl::StatusOr<AlertsResult> r = ComputeAlerts(
      TestData({.orders = &orders}),
      RulesOnly(R"({"rules":[{"id":"region_down","kpi":"revenue","dimension":"region",
                "compare":"vs_last_year","op":"<=","threshold":-20}]})"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->alerts.size(), 1u);
  EXPECT_EQ(r->alerts[0].member, "east");
  EXPECT_DOUBLE_EQ(*r->alerts[0].deviation_pct, -20.0);
  EXPECT_EQ(r->alerts[0].sentence,
            "east revenue 8 is 20% down vs last year (10); rule region_down: <= -20%");
  const AlertSkippedRow* s = Skipped(*r, "rule", "revenue", "region", "region_down");
  EXPECT_EQ(s->slices, 3);
  EXPECT_EQ(s->no_history, 1);  // north: nothing last year
  // vs the previous period: east 2024-11 1000 -> 2024-12 800 (-20%: fires on
  // "< -19.99"), west 1000 -> 810 (-19%: does not).
  lines.push_back({D(2024, 11, 5), 1000, 0});
  lines.push_back({D(2024, 11, 5), 1000, 1});
  const OrderLines orders2 = MakeOrders(lines);
  r = ComputeAlerts(TestData({.orders = &orders2}),
                    RulesOnly(R"([{"id":"p","kpi":"revenue","dimension":"region",
                      "compare":"vs_previous","op":"<","threshold":"-19.99"}])"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->alerts.size(), 1u);
  EXPECT_EQ(r->alerts[0].member, "east");
}

Invoices MakeInvoices(Day as_of) {
  // customer 0: 91 days past due, 50,000.01 outstanding (fires);
  // customer 1: 90 days past due, 60,000 (not: needs more than 90 days);
  // customer 2: 91 days past due, exactly 50,000 (not: needs more than).
  InvoicesColumns c;
  c.invoice = Column<std::int64_t>::Own({1, 2, 3});
  c.customer = Column<Id>::Own({0, 1, 2});
  c.invoice_date = Column<Day>::Own({as_of - 200, as_of - 200, as_of - 200});
  c.due_date = Column<Day>::Own({as_of - 91, as_of - 90, as_of - 91});
  c.amount = Column<Money>::Own({5000001, 6000000, 5000000});
  c.customers = std::make_shared<const Dictionary>(*Dictionary::FromCodes({"C-1", "C-2", "C-3"}));
  return Invoices::Build(std::move(c)).value();
}

TEST(AlertsRules, OverdueCustomer) {
  const Day as_of = D(2024, 12, 31);
  const OrderLines orders = MakeOrders({{as_of, 100, 0}});
  const Invoices invoices = MakeInvoices(as_of);
  absl::StatusOr<AlertsResult> r = ComputeAlerts(
      TestData({.orders = &orders, .invoices = &invoices}),
      RulesOnly(R"({"rules":[{"id":"overdue_big","kpi":"overdue","dimension":"customer",
                "days":90,"op":">","threshold":50000,"severity":"critical"}]})"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->alerts.size(), 1u);
  EXPECT_EQ(r->alerts[0].member, "C-1");
  EXPECT_DOUBLE_EQ(*r->alerts[0].value, 50000.01);
  EXPECT_EQ(r->alerts[0].sentence,
            "C-1 has 50K outstanding more than 90 days past due (rule overdue_big: > 50000)");
  // An exact decimal threshold one cent higher silences it.
  r = ComputeAlerts(TestData({.orders = &orders, .invoices = &invoices}),
                    RulesOnly(R"([{"id":"o","kpi":"overdue","dimension":"customer","days":90,
                      "op":">","threshold":"50000.01"}])"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->alerts.empty());
}

TEST(AlertsRules, ValidationNamesTheRuleAndTheField) {
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {R"([{"id":"a","kpi":"revenue","op":"<","threshold":1},{"id":"b","kpi":"revenue","op":"=<","threshold":1}])",
       "rule 2 ('b'), field 'op': '=<' is not one of"},
      {R"([{"id":"a","kpi":"revenue","op":"<"}])", "rule 1 ('a'), field 'threshold': is required"},
      {R"([{"id":"a","kpi":"revenue","op":"<","threshold":1.5}])",
       "field 'threshold': 1.5 is a fraction: write it as a string"},
      {R"([{"id":"a","kpi":"revenue","op":"<","threshold":1,"severty":"info"}])",
       "field 'severty': unknown field"},
      {R"([{"id":"a","kpi":"revenue","op":"<","threshold":1},{"id":"a","kpi":"revenue","op":"<","threshold":1}])",
       "rule 2 ('a'), field 'id': is used by an earlier rule"},
      {R"([{"kpi":"revenue","op":"<","threshold":1}])", "rule 1, field 'id': is required"},
      {R"([{"id":"a","kpi":"revenue","op":"<","threshold":"1.2.3"}])", "is not a decimal number"},
      {R"([{"id":"a","kpi":"revenue","op":"<","threshold":1,"days":3}])",
       "field 'days': applies to the kpi 'overdue' only"},
      {R"({"rule":[]})", "unknown top-level field 'rule'"},
      {R"([[[[[[[[[1]]]]]]]]])", "nested deeper than 8"},
      {R"([{"id":"a",)", "not valid JSON"},
      {R"([{"id":"m","kpi":"margn_pct","op":"<","threshold":1}])",
       "rule 1 ('m'), field 'kpi': 'margn_pct' is not a KPI; the KPIs are 'revenue', 'margin', "
       "'margin_pct', 'orders', 'customers', 'aov', 'collection_rate', 'overdue', "
       "'conversion:STAGE'. Did you mean 'margin_pct'?"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<std::vector<AlertRule>> r = ParseAlertRules(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.json << "\n" << r.status().message();
  }
  // Against the data: a KPI it lacks (no cost: no margin; no pipeline), an
  // unknown dimension, with did-you-mean.
  const OrderLines orders = MakeOrders({{D(2024, 12, 31), 100, 0}});
  absl::StatusOr<AlertsResult> r = ComputeAlerts(
      TestData({.orders = &orders}), RulesOnly(R"([{"id":"x","kpi":"margin","op":"<","threshold":1}])"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("rule 1 ('x'), field 'kpi': 'margin' is not a KPI of this data"),
            std::string::npos)
      << r.status();
  r = ComputeAlerts(TestData({.orders = &orders}),
                    RulesOnly(R"([{"id":"c","kpi":"conversion:quote","op":"<","threshold":1}])"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'kpi': 'conversion:quote' is not a KPI of this data"),
            std::string::npos)
      << r.status();
  r = ComputeAlerts(TestData({.orders = &orders}),
                    RulesOnly(R"([{"id":"y","kpi":"revenue","dimension":"regoin","op":"<","threshold":1}])"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("rule 1 ('y'), field 'dimension':"), std::string::npos);
  EXPECT_NE(r.status().message().find("region"), std::string::npos) << r.status();
  r = ComputeAlerts(TestData({.orders = &orders}),
                    RulesOnly(R"([{"id":"z","kpi":"revenue","op":"<","threshold":"1.001"}])"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'threshold': '1.001' has more decimals"), std::string::npos);
}

// ---------------------------------------------------------------- reference

struct RefLine {
  Day day;
  Money amount;
  Id region;
  std::int64_t order;
  Id customer;
};

enum class RefKpi { kRevenue, kOrders, kCustomers };

double RefMedian(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The header's definitions, per line and per window, for revenue, orders and
// customers of one slice (region < 0 = the total).
struct RefResult {
  bool checked = false;
  double value = 0, expected = 0, z = 0;
};

RefResult Reference(const std::vector<RefLine>& lines, int region, RefKpi kpi,
                    const AlertsOptions& o, Day as_of, Day first_day) {
  const Grain g = o.grain;
  const bool to_date = o.watch == AlertWatch::kToDate;
  std::int32_t p = PeriodOf(g, as_of);
  if (!to_date && as_of != PeriodEnd(g, p)) --p;
  const int elapsed = as_of - PeriodStart(g, p) + 1;
  // Value of [a, b], or NaN when unknown.
  const auto value = [&](Day a, Day b, RefKpi what) {
    if (a == kNoDate || a < first_day) return std::nan("");
    double sum = 0;
    std::vector<std::int64_t> seen;
    for (const RefLine& l : lines) {
      if (l.day < a || l.day > b || (region >= 0 && l.region != region)) continue;
      if (what != RefKpi::kRevenue) {
        const std::int64_t id = what == RefKpi::kOrders ? l.order : l.customer;
        if (std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
      } else {
        sum += static_cast<double>(l.amount) / 100;
      }
    }
    return what != RefKpi::kRevenue ? static_cast<double>(seen.size()) : sum;
  };
  const auto cur = [&](int t) {
    const Day s = PeriodStart(g, p - t);
    return value(s, to_date ? std::min(s + elapsed - 1, PeriodEnd(g, p - t)) : PeriodEnd(g, p - t),
                 kpi);
  };
  const auto lag_of = [&](int t, RefKpi what) {
    const Day s = PeriodStart(g, p - t);
    if (to_date) return value(s - 364, std::min(s + elapsed - 1, PeriodEnd(g, p - t)) - 364, what);
    const std::optional<std::int32_t> ly = SamePeriodLastYear(g, p - t);
    return ly ? value(PeriodStart(g, *ly), PeriodEnd(g, *ly), what) : std::nan("");
  };
  const auto lag = [&](int t) { return lag_of(t, kpi); };
  const int w = o.history + o.k + 1;
  const auto expected = [&](int t) {
    const double l = lag(t);
    if (!(l > 0)) return 0.0;
    std::vector<double> ratios;
    for (int j = 1; j <= o.k && t + j < w; ++j) {
      const double c = cur(t + j), ll = lag(t + j);
      if (!std::isnan(c) && ll > 0) ratios.push_back(c / ll);
    }
    return ratios.empty() ? 0.0 : l * RefMedian(ratios);
  };
  RefResult r;
  const double e0 = expected(0);
  std::vector<double> res;
  for (int t = 1; t <= o.history; ++t) {
    const double e = expected(t), v = cur(t);
    if (e > 0 && !std::isnan(v)) res.push_back(v / e - 1);
  }
  const double v0 = cur(0);
  // The guard: last year's revenue below min_base (0).
  if (lag_of(0, RefKpi::kRevenue) < 0) return r;
  if (!(e0 > 0) || std::isnan(v0) || static_cast<int>(res.size()) < o.min_history) return r;
  const double med = RefMedian(res);
  std::vector<double> dev;
  for (double x : res) dev.push_back(std::fabs(x - med));
  r.checked = true;
  r.value = v0;
  r.expected = e0;
  r.z = (v0 / e0 - 1 - med) / std::max(o.mad_scale * RefMedian(dev), o.min_band);
  return r;
}

TEST(AlertsReference, BaselineAndBandMatchAPlainPerLineReference) {
  const int seeds = std::getenv("SALESIGHT_ALERTS_SEEDS") ? std::atoi(std::getenv("SALESIGHT_ALERTS_SEEDS")) : 100;
  int compared[3] = {0, 0, 0};
  for (int seed = 0; seed < seeds; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::vector<RefLine> ref;
    std::vector<Line> lines;
    const Day first = D(2022, 1, 1) + static_cast<Day>(rng() % 200);
    const Day last = D(2024, 6, 1) + static_cast<Day>(rng() % 200);
    const int per_day = 1 + static_cast<int>(rng() % 2);
    for (Day d = first; d <= last; d += 1 + static_cast<Day>(rng() % 3)) {
      for (int i = 0; i < per_day; ++i) {
        const Id region = static_cast<Id>(rng() % 3);
        const Money amount = static_cast<Money>(rng() % 5000) - 200;
        const std::int64_t order = static_cast<std::int64_t>(rng() % 400);
        const Id customer = static_cast<Id>(rng() % 30);
        ref.push_back({d, amount, region, order, customer});
        lines.push_back({d, amount, region, 0, 0, order, customer});
      }
    }
    const OrderLines orders = MakeOrders(lines);
    AlertsOptions o = RegionOptions();
    o.grain = seed % 4 == 3 ? Grain(GrainUnit::kIsoWeek) : Grain(GrainUnit::kMonth);
    o.watch = seed % 2 ? AlertWatch::kToDate : AlertWatch::kComplete;
    o.as_of = last - static_cast<Day>(rng() % 20);
    o.k = 1 + static_cast<int>(rng() % 3);
    o.history = 4 + static_cast<int>(rng() % 8);
    o.min_history = 3;
    o.min_lines = 0;
    o.z = 0.1;  // nearly every checked slice is reported: compare them all
    o.min_band = 0.001;
    absl::StatusOr<AlertsResult> r = ComputeAlerts(TestData({.orders = &orders}), o);
    ASSERT_TRUE(r.ok()) << r.status();
    for (int region = -1; region < 3; ++region) {
      for (const RefKpi kpi : {RefKpi::kRevenue, RefKpi::kOrders, RefKpi::kCustomers}) {
        const RefResult want = Reference(ref, region, kpi, o, o.as_of, orders.min_date());
        const char* name = kpi == RefKpi::kRevenue ? "revenue" : kpi == RefKpi::kOrders ? "orders" : "customers";
        const AlertRow* got = nullptr;
        for (const AlertRow& a : r->alerts) {
          if (a.kpi == name &&
              a.dimension == (region < 0 ? "" : "region") &&
              (region < 0 || a.member == kRegions[static_cast<std::size_t>(region)])) {
            got = &a;
          }
        }
        const std::string where = absl::StrCat("seed ", seed, " region ", region, " ", name);
        if (!want.checked || std::fabs(want.z) < o.z) {
          EXPECT_TRUE(got == nullptr || std::fabs(std::fabs(*got->z) - o.z) < 1e-9) << where;
          continue;
        }
        ASSERT_NE(got, nullptr) << where << " z " << want.z;
        ++compared[static_cast<int>(kpi)];
        EXPECT_NEAR(*got->value, want.value, 1e-9 * std::max(1.0, std::fabs(want.value))) << where;
        EXPECT_NEAR(*got->expected, want.expected, 1e-9 * std::max(1.0, want.expected)) << where;
        EXPECT_NEAR(*got->z, want.z, 1e-6 * std::max(1.0, std::fabs(want.z))) << where;
      }
    }
  }
  // Not vacuous: most slices of every KPI were compared.
  for (int c : compared) EXPECT_GT(c, seeds * 2);
}

TEST(AlertsInvariance, RowOrderAndThreads) {
  std::mt19937 rng(7);
  std::vector<Line> lines = Daily(4, [&](Day, Id) { return static_cast<Money>(rng() % 1000); });
  for (std::size_t i = 0; i < lines.size(); ++i) {
    lines[i].order = static_cast<std::int64_t>(i / 3);  // three adjacent lines an order
    lines[i].customer = static_cast<Id>(rng() % 50);
  }
  const std::string rules =
      R"([{"id":"r","kpi":"revenue","dimension":"region","compare":"vs_last_year","op":">","threshold":-50}])";
  std::string first;
  for (int round = 0; round < 6; ++round) {
    std::vector<Line> shuffled = lines;
    // Even rounds keep each order's lines together (the stamp pass without a
    // permutation), odd ones shuffle them.
    if (round % 2 == 1) std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const OrderLines orders = MakeOrders(shuffled);
    AlertsOptions o = RegionOptions();
    o.z = 0.5;
    o.rules = rules;
    const int threads[] = {1, 3, 2, 1, 3, 0};  // 0 = all cores
    o.num_threads = threads[round];
    o.min_rows_per_thread = 1;  // split even this small table
    absl::StatusOr<AlertsResult> r = ComputeAlerts(TestData({.orders = &orders}), o);
    ASSERT_TRUE(r.ok()) << r.status();
    const std::string csv = Csv(ToResultTable(*r)) + Csv(SkippedResultTable(*r));
    if (round == 0) {
      first = csv;
      EXPECT_GT(r->alerts.size(), 3u);
    } else {
      EXPECT_EQ(csv, first) << "round " << round;
    }
  }
}

TEST(AlertsDeclaration, RunsThroughTheRegistry) {
  const OrderLines orders = MakeOrders(Daily(2, [](Day d, Id r) {
    return r == 0 && d >= D(2024, 12, 1) ? 50 : 100;
  }));
  absl::StatusOr<const CalculatorSpec*> spec = FindCalculator("alerts");
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<ResultSet> r = RunCalculator(
      **spec, TestData({.orders = &orders}),
      {{"dims", "region"},
       {"rules", R"([{"id":"d","kpi":"revenue","dimension":"region","compare":"vs_last_year","op":"<=","threshold":-20}])"}});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_NE(r->Find("alerts"), nullptr);
  ASSERT_NE(r->Find("skipped"), nullptr);
  const std::vector<std::string> kinds = r->Find("alerts")->Find("kind")->Texts();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "rule"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "anomaly"), kinds.end());
  // A bad rule table is an option error (the CLI's usage error).
  r = RunCalculator(**spec, TestData({.orders = &orders}), {{"rules", "[{\"id\":1}]"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("option rules: ", 0), 0u) << r.status();
  r = RunCalculator(**spec, TestData({.orders = &orders}), {{"rules", "/nonexistent/rules.json"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot read the rule file"), std::string::npos) << r.status();
}

}  // namespace
}  // namespace salesight
