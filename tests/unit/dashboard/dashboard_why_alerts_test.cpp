// The KPI cards' "why" and alerts (salesight/dashboard.hpp): a planted change
// is the revenue card's top driver with the hand-computed share and values;
// on sample data every card's why equals the drivers calculator run directly
// over the card's windows; the alerts on the cards and in alerts.others are
// exactly the alerts calculator's rows (a rule table given inline and as a
// file); a bad rule table fails naming the rule's field.
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "salesight/alerts.hpp"
#include "salesight/dashboard.hpp"
#include "salesight/insights/drivers.hpp"
#include "salesight/sample.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

using Json = nlohmann::json;

Day D(int y, int m, int d) { return DayFromCivil(y, m, d); }

Json Render(const Dataset& data, const DashboardOptions& options = {}) {
  return Json::parse(RenderDashboard(data, options, DashboardFormat::kJson).value());
}

const Json* Card(const Json& doc, const std::string& id) {
  for (const Json& k : doc.at("kpis")) {
    if (k.at("id") == id) return &k;
  }
  return nullptr;
}

// Lines of one region each (east, west), one order per line, cost half.
OrderLines Orders(const std::vector<std::tuple<Day, Id, Money>>& lines) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, region;
  std::vector<Money> amount, cost;
  for (const auto& [d, r, a] : lines) {
    order.push_back(static_cast<std::int64_t>(order.size()));
    day.push_back(d);
    customer.push_back(static_cast<Id>(order.size() % 3));
    region.push_back(r);
    amount.push_back(a);
    cost.push_back(a / 2);
  }
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.region = Column<Id>::Own(std::move(region));
  c.amount = Column<Money>::Own(std::move(amount));
  c.cost = Column<Money>::Own(std::move(cost));
  c.regions = std::make_shared<const Dictionary>(*Dictionary::FromCodes({"east", "west"}));
  return OrderLines::Build(std::move(c)).value();
}

TEST(DashboardWhy, APlantedChangeIsTheRevenueCardsTopDriver) {
  // January 2023: east 100.00 + west 100.00; January 2024: east 100.00,
  // west 100.00 + 200.00 planted. The period is 2024-01-01..2024-01-10 (the
  // year to date), last year 2023-01-01..2023-01-10: +200.00, all of it west.
  const OrderLines orders = Orders({{D(2023, 1, 5), 0, 10000},
                                    {D(2023, 1, 6), 1, 10000},
                                    {D(2024, 1, 5), 0, 10000},
                                    {D(2024, 1, 6), 1, 10000},
                                    {D(2024, 1, 10), 1, 20000}});
  const Dataset data = test_data::OrdersData(orders);
  const Json doc = Render(data);
  const Json& why = Card(doc, "revenue")->at("why");
  ASSERT_EQ(why.at("status"), "ok") << why.dump();
  EXPECT_EQ(why.at("measure"), "revenue");
  EXPECT_EQ(why.at("unit"), "money");
  EXPECT_EQ(why.at("combination"), "region=west");
  EXPECT_DOUBLE_EQ(why.at("share").get<double>(), 1.0);
  EXPECT_EQ(why.at("before"), 10000);
  EXPECT_EQ(why.at("after"), 30000);
  EXPECT_NE(why.at("sentence").get<std::string>().find("west"), std::string::npos) << why.at("sentence");
  // Orders: 2 -> 3, the new one in west.
  EXPECT_EQ(Card(doc, "orders")->at("why").at("combination"), "region=west");
  EXPECT_EQ(Card(doc, "orders")->at("why").at("before"), 1);
  EXPECT_EQ(Card(doc, "orders")->at("why").at("after"), 2);
  // The snapshot card has no driver; zh sentences in a zh dashboard.
  DashboardOptions zh;
  zh.language = DashboardLanguage::kZh;
  const Json zh_doc = Render(data, zh);
  const std::string sentence = Card(zh_doc, "revenue")->at("why").at("sentence");
  EXPECT_NE(sentence.find("收入"), std::string::npos) << sentence;
}

TEST(DashboardWhy, EveryCardsWhyEqualsTheDriversCalculator) {
  const std::map<std::string, std::string> measure = {
      {"revenue", "revenue"},         {"revenue_mtd", "revenue"},       {"revenue_qtd", "revenue"},
      {"revenue_ytd", "revenue"},     {"gross_margin_pct", "margin_pct"}, {"orders", "orders"},
      {"new_customers", "new_customers"}, {"won_deals", "won"},       {"collection_rate", "collection_rate"}};
  // Two seeds, one per language (each render runs nine drivers searches).
  for (const auto& [seed, lang] : {std::pair{1u, DashboardLanguage::kEn}, std::pair{2u, DashboardLanguage::kZh}}) {
    SCOPED_TRACE(seed);
    SampleOptions so;
    so.order_lines = 1500;
    so.seed = seed;
    const SampleData s = GenerateSample(so).value();
    const Dataset data = test_data::TestData(
        {.orders = &s.orders, .customers = &s.customers, .products = &s.products,
         .pipeline = &s.pipeline, .invoices = &s.invoices, .payments = &s.payments,
         .targets = &s.targets});
    {
      DashboardOptions opt;
      opt.language = lang;
      const Json doc = Render(data, opt);
      const Day to = ParseDate(doc.at("period").at("to").get<std::string>(), DateFormat::kIso).value();
      // The to-date cards' windows: the trend calculator's, as the cards'.
      TrendOptions t;
      t.grain = GrainUnit::kMonth;
      t.from = D(CivilFromDay(to).year - 1, 1, 1);
      t.to = to;
      t.as_of = to;
      const TrendResult trend = ComputeTrend(data, t).value();
      int checked = 0;
      for (const Json& card : doc["kpis"]) {
        const std::string id = card["id"];
        SCOPED_TRACE(id);
        auto m = measure.find(id);
        if (m == measure.end() || card.contains("status")) {
          EXPECT_FALSE(card.contains("why"));
          continue;
        }
        DriversOptions o;
        o.measure = m->second;
        o.lang = lang == DashboardLanguage::kZh ? "zh" : "en";
        auto day = [&](const char* key) {
          return ParseDate(doc.at("period").at(key).get<std::string>(), DateFormat::kIso).value();
        };
        o.from = day("from");
        o.to = day("to");
        o.before_from = day("last_year_from");
        o.before_to = day("last_year_to");
        const char* kinds[] = {"revenue_mtd", "revenue_qtd", "revenue_ytd"};
        for (const TrendToDate& d : trend.to_date) {
          if (d.group == kNoId && id == kinds[static_cast<int>(d.kind)]) {
            o.from = d.begin;
            o.to = d.end;
            o.before_from = d.ly_begin;
            o.before_to = d.ly_end;
          }
        }
        const DriversResult r = ComputeDrivers(data, o).value();
        const Json& why = card.at("why");
        ASSERT_EQ(why.at("status"), "ok") << why.dump();
        EXPECT_EQ(why.at("sentence"), r.sentence);
        EXPECT_EQ(why.at("before_period"), r.before_label);
        EXPECT_EQ(why.at("after_period"), r.after_label);
        if (r.rows.empty()) {
          EXPECT_TRUE(why.at("combination").is_null());
        } else {
          const DriverRow& top = r.rows.front();
          EXPECT_EQ(why.at("combination"), top.combination);
          if (top.share) {
            EXPECT_DOUBLE_EQ(why.at("share").get<double>(), *top.share);
          }
          if (r.ratio) {
            if (top.has_before_rate) {
              EXPECT_DOUBLE_EQ(why.at("before").get<double>(), top.before_rate);
            }
            if (top.has_after_rate) {
              EXPECT_DOUBLE_EQ(why.at("after").get<double>(), top.after_rate);
            }
          } else {
            EXPECT_EQ(why.at("before").get<std::int64_t>(), top.before);
            EXPECT_EQ(why.at("after").get<std::int64_t>(), top.after);
          }
        }
        ++checked;
      }
      EXPECT_GE(checked, 9);
      EXPECT_FALSE(Card(doc, "overdue")->contains("why"));
    }
  }
}

// Which card shows a KPI's alerts (the rest: alerts.others).
const std::map<std::string, std::string> kAlertCard = {
    {"revenue", "revenue"},   {"margin_pct", "gross_margin_pct"}, {"orders", "orders"},
    {"collection_rate", "collection_rate"}, {"overdue", "overdue"}};

void ExpectAlertsEqualTheCalculator(const Dataset& data, const DashboardOptions& opt,
                                    const std::string& rules_json, std::size_t min_rows) {
  const Json doc = Render(data, opt);
  ASSERT_EQ(doc.at("alerts").at("status"), "ok") << doc.at("alerts").dump();
  AlertsOptions o;
  o.as_of = ParseDate(doc.at("period").at("to").get<std::string>(), DateFormat::kIso).value();
  o.rules = rules_json;
  o.lang = opt.language == DashboardLanguage::kZh ? "zh" : "en";
  const AlertsResult r = ComputeAlerts(data, o).value();
  ASSERT_GE(r.alerts.size(), min_rows);
  EXPECT_EQ(doc.at("alerts").at("period"), r.period);
  EXPECT_EQ(doc.at("alerts").at("total"), r.alerts.size());
  // Per destination, the calculator's rows in its order.
  std::map<std::string, std::vector<const AlertRow*>> want;
  for (const AlertRow& a : r.alerts) {
    auto card = kAlertCard.find(a.kpi);
    want[card == kAlertCard.end() ? "" : card->second].push_back(&a);
  }
  auto same = [](const Json& got, const std::vector<const AlertRow*>& rows) {
    ASSERT_EQ(got.size(), rows.size()) << got.dump();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(got[i]["sentence"], rows[i]->sentence);
      EXPECT_EQ(got[i]["kpi"], rows[i]->kpi);
      EXPECT_EQ(got[i]["kind"], rows[i]->kind);
      EXPECT_EQ(got[i]["rule"], rows[i]->rule);
      EXPECT_EQ(got[i]["dimension"], rows[i]->dimension);
      EXPECT_EQ(got[i]["member"], rows[i]->member);
      EXPECT_EQ(got[i]["severity"], std::string(AlertSeverityName(rows[i]->severity)));
    }
  };
  same(doc.at("alerts").at("others"), want[""]);
  for (const auto& [kpi, card_id] : kAlertCard) {
    const Json* card = Card(doc, card_id);
    ASSERT_NE(card, nullptr) << card_id;
    same(card->at("alerts"), want[card_id]);
  }
}

TEST(DashboardAlerts, CardsAndOthersHoldExactlyTheCalculatorsRows) {
  // Rules that fire on the total and per region, on carded and card-less KPIs.
  const std::string rules = R"({"rules": [
      {"id": "any_revenue", "kpi": "revenue", "op": ">", "threshold": 0},
      {"id": "regions", "kpi": "revenue", "dimension": "region", "op": ">", "threshold": 0, "severity": "critical"},
      {"id": "buyers", "kpi": "customers", "op": ">=", "threshold": 1, "severity": "info"},
      {"id": "margin", "kpi": "margin_pct", "dimension": "region", "op": "<", "threshold": 100}]})";
  for (std::uint64_t seed : {4u}) {
    SCOPED_TRACE(seed);
    SampleOptions so;
    so.order_lines = 2000;
    so.seed = seed;
    const SampleData s = GenerateSample(so).value();
    const Dataset data = test_data::TestData(
        {.orders = &s.orders, .customers = &s.customers, .products = &s.products,
         .pipeline = &s.pipeline, .invoices = &s.invoices, .payments = &s.payments});
    DashboardOptions opt;
    ExpectAlertsEqualTheCalculator(data, opt, "", 0);  // anomalies alone
    opt.alert_rules = rules;
    ExpectAlertsEqualTheCalculator(data, opt, rules, 4);
    // The same table from a file, through the alerts' declared option.
    const std::string path = ::testing::TempDir() + "dashboard_rules.json";
    std::ofstream(path) << rules;
    opt.alert_rules = path;
    opt.language = DashboardLanguage::kZh;
    ExpectAlertsEqualTheCalculator(data, opt, rules, 4);
    std::remove(path.c_str());
  }
}

TEST(DashboardAlerts, ABadRuleTableFailsNamingTheField) {
  SampleOptions so;
  so.order_lines = 1000;
  const SampleData s = GenerateSample(so).value();
  const Dataset data = test_data::OrdersData(s.orders);
  DashboardOptions opt;
  opt.alert_rules = R"([{"id": "x", "kpi": "revenue", "op": "~", "threshold": 1}])";
  const absl::StatusOr<std::string> r = RenderDashboard(data, opt, DashboardFormat::kJson);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'op'"), std::string::npos) << r.status();
  EXPECT_NE(r.status().message().find("'x'"), std::string::npos) << r.status();
  opt.alert_rules = "/nonexistent/rules.json";
  EXPECT_FALSE(RenderDashboard(data, opt, DashboardFormat::kJson).ok());
}

}  // namespace
}  // namespace salesight
