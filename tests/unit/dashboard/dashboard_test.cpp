// The dashboard document (salesight/dashboard.hpp): its numbers equal the
// calculators' on the same data and, for the additive figures, a plain
// brute force over the lines (several seeds); the no-pipeline / no-invoices
// / no-targets cases say "no data" and why; a hostile customer name is only
// ever data (a JSON string; escaped in the HTML).
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "salesight/contribution.hpp"
#include "salesight/dashboard.hpp"
#include "salesight/dimension.hpp"
#include "salesight/funnel.hpp"
#include "salesight/grain.hpp"
#include "salesight/leaderboard.hpp"
#include "salesight/margin.hpp"
#include "salesight/query.hpp"
#include "salesight/receivables.hpp"
#include "salesight/rfm.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

using Json = nlohmann::json;

SampleData Sample(std::uint64_t seed, std::int64_t lines = 1000) {
  SampleOptions o;
  o.order_lines = lines;
  o.seed = seed;
  o.key_accounts = 1;
  return GenerateSample(o).value();
}

Dataset Whole(const SampleData& s) {
  return test_data::TestData({.orders = &s.orders, .customers = &s.customers,
                              .products = &s.products, .pipeline = &s.pipeline,
                              .invoices = &s.invoices, .payments = &s.payments,
                              .targets = &s.targets});
}

Json Render(const Dataset& data, const DashboardOptions& options = {}) {
  return Json::parse(RenderDashboard(data, options, DashboardFormat::kJson).value());
}

// A copy: a missing key reads as null (and fails the expectation) instead of
// the undefined behaviour of const operator[].
Json Kpi(const Json& doc, const std::string& id) {
  for (const Json& k : doc.at("kpis")) {
    if (k.at("id") == id) return k;
  }
  ADD_FAILURE() << "no KPI " << id;
  return Json::object();
}

// Brute force: the lines' amounts summed per key over [from, to].
template <typename KeyFn>
std::map<std::string, Money> SumBy(const OrderLines& o, Day from, Day to, KeyFn key) {
  std::map<std::string, Money> sums;
  const auto& c = o.columns();
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (c.order_date[i] < from || c.order_date[i] > to) continue;
    sums[key(i)] += c.amount[i];
  }
  return sums;
}

TEST(Dashboard, NumbersEqualBruteForceAndCalculatorsOnSeveralSeeds) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    const SampleData s = Sample(seed);
    const Dataset data = Whole(s);
    Json doc = Render(data);
    ASSERT_EQ(doc["schema"], "salesight.dashboard");
    ASSERT_EQ(doc["version"], kDashboardSchemaVersion);
    const Day to = s.orders.max_date();
    const Day from = DayFromCivil(CivilFromDay(to).year, 1, 1);
    EXPECT_EQ(doc["period"]["from"], FormatDate(from));
    EXPECT_EQ(doc["period"]["to"], FormatDate(to));
    const OrderLines& o = s.orders;
    const auto& col = o.columns();

    // Revenue card = the lines' sum over the period; last year likewise.
    Money revenue = SumBy(o, from, to, [](std::size_t) { return std::string(); })[""];
    EXPECT_EQ(Kpi(doc, "revenue")["value"].get<Money>(), revenue);
    const Day ly_from = DayFromCivil(CivilFromDay(to).year - 1, 1, 1);
    const Day ly_to = DayFromCivil(CivilFromDay(to).year - 1, 12, 31);
    EXPECT_EQ(Kpi(doc, "revenue")["last_year"].get<Money>(),
              (SumBy(o, ly_from, ly_to, [](std::size_t) { return std::string(); })[""]));

    // Sparklines: the margin % of each month = the margin calculator's over
    // that month alone; the revenue of each month = the lines' sum.
    const Json margin_card = Kpi(doc, "gross_margin_pct");
    const Json revenue_card = Kpi(doc, "revenue");
    for (std::size_t m = 0; m < margin_card["sparkline"]["periods"].size(); ++m) {
      const std::string label = margin_card["sparkline"]["periods"][m];
      const Day begin = DayFromCivil(std::stoi(label.substr(0, 4)), std::stoi(label.substr(5, 2)), 1);
      const Day end = PeriodEnd(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, begin));
      MarginOptions mo;
      mo.group_by = MarginGrouping{{}};
      mo.from = std::max(begin, from);
      mo.to = std::min(end, to);
      const MarginResult month_margin = ComputeMargin(data, mo).value();
      EXPECT_DOUBLE_EQ(margin_card["sparkline"]["values"][m].get<double>(), *month_margin.total.margin_pct) << label;
      EXPECT_EQ(revenue_card["sparkline"]["values"][m].get<Money>(),
                (SumBy(o, mo.from, mo.to, [](std::size_t) { return std::string(); })[""])) << label;
      // The orders card's month = the distinct orders among that month's lines.
      std::set<std::int64_t> month_orders;
      for (std::size_t i = 0; i < o.size(); ++i) {
        if (col.order_date[i] >= mo.from && col.order_date[i] <= mo.to) month_orders.insert(col.order_id[i]);
      }
      EXPECT_EQ(Kpi(doc, "orders")["sparkline"]["values"][m].get<std::int64_t>(),
                static_cast<std::int64_t>(month_orders.size())) << label;
    }

    // Trend months = the lines per calendar month; last year = 12 months back.
    auto month_of = [&](std::size_t i) {
      return PeriodLabel(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, col.order_date[i]));
    };
    std::map<std::string, Money> months = SumBy(o, ly_from, to, month_of);
    const Json& month = doc["panels"]["trend"]["grains"]["month"];
    ASSERT_EQ(month["periods"].size(), 12u);
    for (std::size_t m = 0; m < 12; ++m) {
      const std::string label = month["periods"][m];
      EXPECT_EQ(month["revenue"][m].get<Money>(), months[label]) << label;
      const std::string ly_label = std::to_string(std::stoi(label.substr(0, 4)) - 1) + label.substr(4);
      EXPECT_EQ(month["last_year"][m].get<Money>(), months[ly_label]) << label;
    }

    // Region share = the lines per region = the contribution calculator.
    std::map<std::string, Money> regions = SumBy(o, from, to, [&](std::size_t i) {
      return DimensionLabel(col.regions, col.region[i]);
    });
    const Json& share = doc["panels"]["region_share"];
    ASSERT_EQ(share["items"].size(), regions.size());
    for (const Json& it : share["items"]) EXPECT_EQ(it["revenue"].get<Money>(), regions[it["label"]]);
    ContributionOptions co;
    co.from = from;
    co.to = to;
    const ContributionResult contribution = ComputeContribution(data, co).value();
    for (std::size_t i = 0; i < contribution.items.size(); ++i) {
      EXPECT_EQ(share["items"][i]["share_pct"].get<double>(), *contribution.items[i].share_pct);
    }

    // The top product by revenue = the brute force's largest.
    std::map<std::string, Money> products = SumBy(o, from, to, [&](std::size_t i) {
      return DimensionLabel(col.products, col.product[i]);
    });
    Money best = std::max_element(products.begin(), products.end(), [](auto& a, auto& b) {
                   return a.second < b.second;
                 })->second;
    EXPECT_EQ(doc["panels"]["product_ranking"]["top"]["by_revenue"][0]["revenue"].get<Money>(), best);

    // The cube re-aggregates to the same figures (the page's filters).
    Money cube_total = 0;
    const Json& f = doc["filters"];
    const std::size_t first_month = 12;  // months list starts with last year's January
    ASSERT_EQ(f["months"][first_month], FormatDate(from).substr(0, 7));
    std::map<std::string, Money> cube_regions;
    for (const Json& row : f["sales"]["rows"]) {
      if (row[0].get<std::size_t>() < first_month) continue;
      cube_total += row[4].get<Money>();
      cube_regions[f["labels"]["region"][std::to_string(row[1].get<int>())]] += row[4].get<Money>();
    }
    EXPECT_EQ(f["sales"]["columns"][4], "revenue");
    EXPECT_EQ(cube_total, revenue);
    EXPECT_EQ(cube_regions, regions);
    Money people_total = 0;
    for (const Json& row : f["people"]["rows"]) {
      if (row[0].get<std::size_t>() >= first_month) people_total += row[3].get<Money>();
    }
    EXPECT_EQ(people_total, revenue);

    // Funnel, customer value, leaderboard, collection = their calculators.
    FunnelOptions fo;
    fo.from = from;
    fo.to = to;
    fo.as_of = to;
    const FunnelResult funnel = ComputeFunnel(data, fo).value();
    const Json& stages = doc["panels"]["funnel"]["overall"]["stages"];
    ASSERT_EQ(stages.size(), funnel.stage_names.size());
    for (std::size_t i = 0; i < stages.size(); ++i) {
      EXPECT_EQ(stages[i]["name"], funnel.stage_names[i]);
      EXPECT_EQ(stages[i]["count"].get<std::int64_t>(), funnel.overall.stages[i].count);
    }
    EXPECT_EQ(Kpi(doc, "won_deals")["value"].get<std::int64_t>(), funnel.overall.won);
    // The period is 12 whole months: the monthly cohorts add up to the card.
    std::int64_t won_by_month = 0;
    const Json won_card = Kpi(doc, "won_deals");  // a local: the loop reads into it
    for (const Json& v : won_card["sparkline"]["values"]) won_by_month += v.get<std::int64_t>();
    EXPECT_EQ(won_by_month, funnel.overall.won) << won_card.dump();

    RfmOptions ro;
    ro.as_of = to + 1;
    const RfmSegmentSummary tiers = SummarizeSegments(ComputeRfm(data, ro).value()).value();
    const Json& pyramid = doc["panels"]["customer_value"]["tiers"];
    ASSERT_EQ(pyramid.size(), tiers.rows.size());
    for (std::size_t i = 0; i < pyramid.size(); ++i) {
      EXPECT_EQ(pyramid[i]["customers"].get<std::int64_t>(), tiers.rows[i].customers);
      EXPECT_EQ(pyramid[i]["revenue"].get<Money>(), tiers.rows[i].revenue);
    }

    LeaderboardOptions lo;
    lo.from = from;
    lo.to = to;
    lo.as_of = to;
    const LeaderboardResult board = ComputeLeaderboard(data, lo).value();
    const Json& rows = doc["panels"]["leaderboard"]["rows"];
    ASSERT_EQ(rows.size(), board.rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i]["revenue"].get<Money>(), board.rows[i].revenue);
      EXPECT_EQ(rows[i]["label"], DimensionLabel(board.salesperson_codes, board.rows[i].salesperson));
    }

    CollectionOptions cl;
    cl.from = from;
    cl.to = to;
    cl.as_of = to;
    cl.group_by = "";
    const CollectionResult collection = ComputeCollection(data, cl).value();
    EXPECT_DOUBLE_EQ(doc["panels"]["collection"]["collection_rate"].get<double>(),
                     *collection.total.collection_rate);
    EXPECT_DOUBLE_EQ(Kpi(doc, "collection_rate")["value"].get<double>(),
                     100 * *collection.total.collection_rate);
    AgingOptions ag;
    ag.as_of = to;
    ag.group_by = "";
    const AgingResult aging = ComputeAging(data, ag).value();
    EXPECT_EQ(doc["panels"]["collection"]["outstanding"].get<Money>(), aging.total);
    EXPECT_EQ(Kpi(doc, "overdue")["value"].get<Money>(), aging.total - aging.bucket_totals[0]);
  }
}

// Orders and products only (no pipeline, invoices or targets), with a
// customer and a product named like an attack: the panels without their
// table say no data and why; the names stay data.
// Item 7: the panels' numbers equal the query engine's for the same period
// (revenue by month, region, product and salesperson; orders, new customers
// and margin % of the period).
std::map<std::string, Json> QueryBy(const Dataset& data, const std::string& measures,
                                    const std::string& dimension, const std::string& time) {
  const std::string spec = "{\"measures\": [" + measures + "], " +
                           (dimension.empty() ? "" : "\"dimensions\": [\"" + dimension + "\"], ") +
                           "\"time\": " + time + "}";
  absl::StatusOr<QuerySpec> parsed = ParseQuerySpec(spec);
  EXPECT_TRUE(parsed.ok()) << parsed.status() << spec;
  absl::StatusOr<QueryResult> r = RunQuery(data, *parsed);
  EXPECT_TRUE(r.ok()) << r.status() << spec;
  std::map<std::string, Json> rows;
  const ResultTable& t = r->table;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    Json row = Json::object();
    std::string key;
    for (const ResultColumn& c : t.columns()) {
      const std::string cell = FormatCell(c, i);
      if (c.name == dimension || c.name == "order_date.month") key = cell;
      row[c.name] = cell;
    }
    rows[key] = row;
  }
  return rows;
}

std::string Money2(Money v) { return FormatMoney(v, 2); }

TEST(Dashboard, PanelsEqualTheQueryEngine) {
  for (std::uint64_t seed : {4u, 5u, 6u}) {
    SCOPED_TRACE(seed);
    const SampleData s = Sample(seed);
    const Dataset data = Whole(s);
    const Json doc = Render(data);
    const std::string from = doc["period"]["from"], to = doc["period"]["to"];
    const std::string period = "{\"dimension\": \"order_date\", \"range\": [\"" + from + "\", \"" + to + "\"]}";

    const Json& month = doc["panels"]["trend"]["grains"]["month"];
    const std::string first = month["periods"][0].get<std::string>() + "-01";
    const auto months = QueryBy(data, "\"revenue\"", "",
                                "{\"dimension\": \"order_date\", \"grain\": \"month\", \"range\": [\"" +
                                    first + "\", \"" + to + "\"]}");
    for (std::size_t m = 0; m < month["periods"].size(); ++m) {
      const std::string label = month["periods"][m];
      ASSERT_TRUE(months.count(label)) << label;
      EXPECT_EQ(months.at(label)["revenue"], Money2(month["revenue"][m].get<Money>())) << label;
    }
    const auto regions = QueryBy(data, "\"revenue\"", "region", period);
    ASSERT_FALSE(doc["panels"]["region_share"]["items"].empty());
    for (const Json& x : doc["panels"]["region_share"]["items"]) {
      ASSERT_TRUE(regions.count(x["label"])) << x.dump();
      EXPECT_EQ(regions.at(x["label"])["revenue"], Money2(x["revenue"].get<Money>())) << x["label"];
    }
    const auto products = QueryBy(data, "\"revenue\"", "product", period);
    ASSERT_FALSE(doc["panels"]["product_ranking"]["top"]["by_revenue"].empty());
    for (const Json& x : doc["panels"]["product_ranking"]["top"]["by_revenue"]) {
      ASSERT_TRUE(products.count(x["label"])) << x.dump();
      EXPECT_EQ(products.at(x["label"])["revenue"], Money2(x["revenue"].get<Money>())) << x["label"];
    }
    const auto people = QueryBy(data, "\"revenue\"", "salesperson", period);
    ASSERT_FALSE(doc["panels"]["leaderboard"]["rows"].empty());
    for (const Json& x : doc["panels"]["leaderboard"]["rows"]) {
      // A salesperson with a target or deals but no line in the period has
      // no query row: revenue 0 on the board.
      const std::string revenue = people.count(x["label"]) ? people.at(x["label"])["revenue"].get<std::string>() : Money2(0);
      EXPECT_EQ(revenue, Money2(x["revenue"].get<Money>())) << x["label"];
    }
    const Json total = QueryBy(data, "\"revenue\", \"orders\", \"new_customers\", \"margin_pct\"", "", period)
                           .begin()->second;
    EXPECT_EQ(total["revenue"], Money2(Kpi(doc, "revenue")["value"].get<Money>()));
    EXPECT_EQ(total["orders"], std::to_string(Kpi(doc, "orders")["value"].get<std::int64_t>()));
    EXPECT_EQ(total["new_customers"], std::to_string(Kpi(doc, "new_customers")["value"].get<std::int64_t>()));
    EXPECT_NEAR(std::stod(total["margin_pct"].get<std::string>()),
                Kpi(doc, "gross_margin_pct")["value"].get<double>(), 1e-9);
  }
}

TEST(Dashboard, MissingTablesSayNoDataAndHostileNamesStayData) {
  const SampleData s = Sample(7);
  OrderLinesColumns c = s.orders.columns();
  std::vector<std::string> names;
  for (Id i = 0; i < c.customers->size(); ++i) names.emplace_back(c.customers->Code(i));
  const std::string hostile = "<script>alert(1)</script>";
  // Every customer gets the name, with a suffix to keep codes unique.
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = hostile + "\"'&" + std::to_string(i);
  c.customers = std::make_shared<const Dictionary>(Dictionary::FromCodes(names).value());
  const OrderLines orders = OrderLines::Build(c).value();
  const Dataset data = test_data::TestData({.orders = &orders, .products = &s.products});
  Json doc = Render(data);
  for (const char* panel : {"funnel", "collection"}) {
    EXPECT_EQ(doc["panels"][panel]["status"], "no_data") << panel;
    EXPECT_FALSE(doc["panels"][panel]["reason"].get<std::string>().empty()) << panel;
  }
  EXPECT_EQ(doc["panels"]["funnel"]["reason"], "no pipeline (opportunities) given");
  EXPECT_EQ(doc["panels"]["collection"]["reason"], "no invoices given");
  EXPECT_EQ(doc["panels"]["trend"]["status"], "ok");
  EXPECT_EQ(doc["panels"]["trend"]["has_target"], false);
  EXPECT_EQ(doc["panels"]["trend"]["target_reason"], "no targets given");
  EXPECT_FALSE(doc["panels"]["trend"]["grains"]["month"].contains("target"));
  EXPECT_EQ(Kpi(doc, "won_deals")["status"], "no_data");
  EXPECT_EQ(Kpi(doc, "overdue")["status"], "no_data");
  EXPECT_FALSE(Kpi(doc, "revenue").contains("target"));
  EXPECT_FALSE(doc["filters"].contains("targets"));
  for (const char* panel : {"region_share", "product_ranking", "customer_value", "leaderboard"}) {
    EXPECT_EQ(doc["panels"][panel]["status"], "ok") << panel;
  }
  // The names are JSON strings, byte for byte.
  int named = 0;
  for (const Json& tier : doc["panels"]["customer_value"]["top_customers"]) {
    for (const Json& customer : tier) {
      const std::string name = customer.at("customer");
      EXPECT_EQ(name.rfind(hostile + "\"'&", 0), 0u) << name;
      ++named;
    }
  }
  EXPECT_GT(named, 0);

  // In the page the name never appears as markup.
  const std::string html = RenderDashboard(data, {}, DashboardFormat::kHtml).value();
  EXPECT_EQ(html.find(hostile), std::string::npos);
  EXPECT_NE(html.find("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), std::string::npos);
}

// Many salespeople: the filter facts keep the ones with the most revenue in
// the period, within max_people_rows rows (a brute force picks the same).
TEST(Dashboard, PeopleFactsKeepTheLargestSalespeopleWithinTheBound) {
  const SampleData s = Sample(4);
  const Dataset data = Whole(s);
  DashboardOptions o;
  o.max_people_rows = 300;
  Json doc = Render(data, o);
  const Json& f = doc["filters"];
  ASSERT_TRUE(f.contains("people_kept"));
  const std::int64_t kept = f["people_kept"]["salespeople"];
  EXPECT_LE(f["people"]["rows"].size(), 300u);
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, f["people_kept"]["of"].get<std::int64_t>());
  const auto& col = s.orders.columns();
  const Day to = s.orders.max_date();
  const Day from = DayFromCivil(CivilFromDay(to).year, 1, 1);
  std::map<Id, Money> revenue;
  for (std::size_t i = 0; i < s.orders.size(); ++i) {
    if (col.order_date[i] >= from && col.order_date[i] <= to) revenue[col.salesperson[i]] += col.amount[i];
    else revenue[col.salesperson[i]] += 0;
  }
  std::vector<std::pair<Money, Id>> ranked;
  for (auto [id, r] : revenue) ranked.push_back({-r, id});
  std::sort(ranked.begin(), ranked.end());
  std::set<std::int64_t> in_cube;
  const std::size_t sp = 2;  // month, region, salesperson
  ASSERT_EQ(f["people"]["columns"][sp], "salesperson");
  for (const Json& row : f["people"]["rows"]) in_cube.insert(row[sp].get<std::int64_t>());
  EXPECT_EQ(static_cast<std::int64_t>(in_cube.size()), kept);
  for (std::int64_t i = 0; i < kept; ++i) {
    EXPECT_TRUE(in_cube.count(ranked[static_cast<std::size_t>(i)].second)) << i;
  }
  for (const Json& row : f["targets"]["rows"]) EXPECT_TRUE(in_cube.count(row[1].get<std::int64_t>()));
}

TEST(Dashboard, OptionsAreChecked) {
  const SampleData s = Sample(1);
  const Dataset data = Whole(s);
  DashboardOptions o;
  o.from = DayFromCivil(2024, 5, 1);
  o.to = DayFromCivil(2024, 4, 1);
  absl::StatusOr<std::string> r = RenderDashboard(data, o, DashboardFormat::kJson);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("2024-05-01 is after to 2024-04-01"), std::string::npos);
  o = {};
  o.top_n = 0;
  EXPECT_FALSE(RenderDashboard(data, o, DashboardFormat::kJson).ok());
  EXPECT_FALSE(RenderDashboard(Dataset(), {}, DashboardFormat::kJson).ok());
  // A chosen period: the revenue card is its lines' sum.
  o = {};
  o.from = DayFromCivil(2024, 3, 5);
  o.to = DayFromCivil(2024, 6, 17);
  Json doc = Render(data, o);
  Money sum = 0;
  for (std::size_t i = 0; i < s.orders.size(); ++i) {
    const Day d = s.orders.columns().order_date[i];
    if (d >= *&o.from && d <= o.to) sum += s.orders.columns().amount[i];
  }
  EXPECT_EQ(Kpi(doc, "revenue")["value"].get<Money>(), sum);
  EXPECT_EQ(doc["panels"]["trend"]["grains"]["month"]["periods"].front(), "2024-03");
  EXPECT_EQ(doc["panels"]["trend"]["grains"]["month"]["periods"].back(), "2024-06");
}

}  // namespace
}  // namespace salesight
