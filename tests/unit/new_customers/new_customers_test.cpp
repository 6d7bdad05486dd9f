// new_customers: a hand case, a plain-sets reference on random data, and the
// declaration (the calculator as every surface runs it).
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "options_decl_test_util.hpp"
#include "rfm/rfm_test_util.hpp"
#include "salesight/calculator.hpp"
#include "salesight/new_customers.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

TEST(NewCustomers, MonthsByHand) {
  const Day jan10 = DayFromCivil(2024, 1, 10), jan15 = DayFromCivil(2024, 1, 15);
  const Day feb3 = DayFromCivil(2024, 2, 3), feb5 = DayFromCivil(2024, 2, 5);
  const Day feb6 = DayFromCivil(2024, 2, 6), feb7 = DayFromCivil(2024, 2, 7);
  const std::vector<Line> lines = {
      {1, jan10, 0, 1000},  // c0 first purchase (Jan)
      {2, jan15, 2, 500},   // c2 first purchase (Jan)
      {3, feb3, 0, 700},    // c0 again: returning in Feb
      {4, feb5, 1, 300},    // c1 first purchase (Feb)
      {5, feb6, 2, -200},   // c2 only returns in Feb: not active there
      {6, feb7, 1, -50},    // c1 return in Feb, c1 is active in Feb
  };
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<NewCustomersResult> m = ComputeNewCustomers(t);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->rows.size(), 2u);
  EXPECT_EQ(m->rows[0].label, "2024-01");
  EXPECT_EQ(m->rows[0].period, 202401);
  EXPECT_EQ(m->rows[0].new_customers, 2);
  EXPECT_EQ(m->rows[0].returning_customers, 0);
  EXPECT_EQ(m->rows[0].new_revenue, 1500);  // 1000 + 500
  EXPECT_EQ(m->rows[1].label, "2024-02");
  EXPECT_EQ(m->rows[1].new_customers, 1);
  EXPECT_EQ(m->rows[1].returning_customers, 1);
  EXPECT_EQ(m->rows[1].new_revenue, 250);        // c1: 300 - 50
  EXPECT_EQ(m->rows[1].returning_revenue, 700);  // c0
  // A 10-day window (as_of Feb 8): only February; c0 is still returning.
  NewCustomersOptions w;
  w.window_days = 10;
  m = ComputeNewCustomers(t, w);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->rows.size(), 1u);
  EXPECT_EQ(m->rows[0].returning_customers, 1);
  EXPECT_EQ(m->rows[0].new_customers, 1);
  // Quarter: all three are new in 2024-Q1; c2's Feb return counts (active in Q1).
  NewCustomersOptions q;
  q.period = GrainUnit::kQuarter;
  m = ComputeNewCustomers(t, q);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->rows.size(), 1u);
  EXPECT_EQ(m->rows[0].label, "2024-Q1");
  EXPECT_EQ(m->rows[0].new_customers, 3);
  EXPECT_EQ(m->rows[0].new_revenue, 1000 + 500 + 700 + 300 - 200 - 50);
  ResultTable table = ToResultTable(*m);
  ASSERT_TRUE(table.Validate().ok());
  EXPECT_EQ(table.Find("period")->Texts()[0], "2024-Q1");
}

TEST(NewCustomers, AgainstPlainSets) {
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(900 + seed);
    std::vector<Line> lines;
    const int customers = 1 + static_cast<int>(rng() % 50);
    for (int i = 0; i < 500; ++i) {
      const Money amount = static_cast<Money>(rng() % 1000) - (rng() % 5 == 0 ? 1200 : 0);
      lines.push_back({i, 19000 + static_cast<Day>(rng() % 400), static_cast<Id>(rng() % customers), amount});
    }
    const Grain period = seed % 2 ? GrainUnit::kMonth : GrainUnit::kIsoWeek;
    NewCustomersOptions o;
    o.period = period;
    if (seed % 3 == 0) o.window_days = 100;
    if (seed % 5 == 0) o.as_of = 19300;
    absl::StatusOr<NewCustomersResult> got = ComputeNewCustomers(MakeLines(lines), o);
    ASSERT_TRUE(got.ok()) << got.status();
    Day max_day = 0;
    for (const Line& l : lines) max_day = std::max(max_day, l.day);
    const Day as_of = o.as_of == kNoDate ? max_day + 1 : o.as_of;
    const Day lo = o.window_days > 0 ? as_of - o.window_days : INT32_MIN;
    auto key = [&](Day d) {
      if (period == GrainUnit::kMonth) return YearMonth(d);
      const IsoWeek w = IsoWeekOf(d);
      return w.year * 100 + w.week;
    };
    std::map<Id, Day> first;
    for (const Line& l : lines) {
      if (l.day <= as_of && l.amount >= 0 && (!first.count(l.customer) || l.day < first[l.customer])) {
        first[l.customer] = l.day;
      }
    }
    std::map<int, std::set<Id>> active;
    for (const Line& l : lines) {
      if (l.day <= as_of && l.day >= lo && l.amount >= 0) active[key(l.day)].insert(l.customer);
    }
    std::map<int, NewCustomersRow> want;
    for (const auto& [k, ids] : active) {
      for (Id id : ids) (key(first[id]) == k ? want[k].new_customers : want[k].returning_customers)++;
    }
    for (const Line& l : lines) {
      if (l.day > as_of || l.day < lo || !active[key(l.day)].count(l.customer)) continue;
      (key(first[l.customer]) == key(l.day) ? want[key(l.day)].new_revenue
                                            : want[key(l.day)].returning_revenue) += l.amount;
    }
    ASSERT_EQ(got->rows.size(), want.size()) << seed;
    std::size_t i = 0;
    for (const auto& [k, w] : want) {
      const NewCustomersRow& g = got->rows[i++];
      EXPECT_EQ(g.period, k);
      EXPECT_EQ(g.new_customers, w.new_customers) << k;
      EXPECT_EQ(g.returning_customers, w.returning_customers) << k;
      EXPECT_EQ(g.new_revenue, w.new_revenue) << k;
      EXPECT_EQ(g.returning_revenue, w.returning_revenue) << k;
    }
  }
}


// The calculator as the surfaces run it: through the registry, options as text.
TEST(NewCustomersCalculator, RunsThroughTheDeclaration) {
  absl::StatusOr<const CalculatorSpec*> spec = FindCalculator("new_customers");
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ((*spec)->outputs.size(), 1u);
  EXPECT_EQ((*spec)->outputs[0], "periods");
  const OrderLines t = MakeLines({{1, DayFromCivil(2024, 1, 10), 0, 1000},
                                  {2, DayFromCivil(2024, 2, 3), 0, 700},
                                  {3, DayFromCivil(2024, 2, 5), 1, 300}});
  const Dataset data = Dataset::Of(t);
  absl::StatusOr<ResultSet> r =
      RunCalculator(**spec, data, {{"period", "quarter"}, {"all_lines_are_purchases", "true"}});
  ASSERT_TRUE(r.ok()) << r.status();
  const ResultTable* periods = r->Find("periods");
  ASSERT_NE(periods, nullptr);
  ASSERT_EQ(periods->num_rows(), 1u);
  EXPECT_EQ(periods->Find("period")->Texts()[0], "2024-Q1");
  EXPECT_EQ(periods->Find("new_customers")->ints[0], 2);
  // Same as the C++ call with the same options.
  NewCustomersOptions o;
  o.period = GrainUnit::kQuarter;
  o.all_lines_are_purchases = true;
  absl::StatusOr<NewCustomersResult> direct = ComputeNewCustomers(t, o);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(periods->Find("new_revenue")->ints[0], direct->rows[0].new_revenue);
}

std::string Fingerprint(const NewCustomersOptions& o) {
  return absl::StrCat(o.as_of, "/", o.window_days, "/", o.all_lines_are_purchases, "/",
                      std::string(GrainName(o.period)));
}

TEST(NewCustomersCalculator, DeclaredDefaultsAreTheStructDefaults) {
  // A surface that passes no option must get what a C++ caller gets.
  options_test::ExpectDefaultsAreTheStructDefaults(NewCustomersOptionDecls(), Fingerprint);
  options_test::ExpectEveryChoiceSetsADistinctValue(NewCustomersOptionDecls(), Fingerprint);
}

TEST(NewCustomersCalculator, ErrorsNameWhatIsWrong) {
  const CalculatorSpec& spec = **FindCalculator("new_customers");
  const OrderLines t = MakeLines({{1, 19000, 0, 100}});
  absl::Status st = RunCalculator(spec, Dataset::Of(t), {{"perod", "month"}}).status();
  EXPECT_NE(st.message().find("'perod' is not an option"), std::string::npos) << st;
  st = RunCalculator(spec, Dataset::Of(t), {{"period", "decade"}}).status();
  EXPECT_NE(st.message().find("decade"), std::string::npos) << st;
  st = RunCalculator(spec, Dataset{}, {}).status();
  EXPECT_NE(st.message().find("needs the orders table"), std::string::npos) << st;
  absl::StatusOr<const CalculatorSpec*> typo = FindCalculator("new_customer");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("Did you mean 'new_customers'?"), std::string::npos)
      << typo.status();
}

TEST(Calculators, DescriptionIsJsonOfEveryDeclaration) {
  const std::string json = CalculatorsJson();
  for (const CalculatorSpec& spec : Calculators()) {
    EXPECT_NE(json.find(absl::StrCat("\"name\":\"", std::string(spec.name), "\"")),
              std::string::npos);
    for (const OptionInfo& o : spec.options) {
      EXPECT_NE(json.find(absl::StrCat("\"", std::string(o.name), "\"")), std::string::npos)
          << o.name;
    }
  }
}

}  // namespace
}  // namespace salesight
