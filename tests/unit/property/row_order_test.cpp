// Results do not depend on row order (ARCHITECTURE.md, value types): one
// random data set written as CSV files, read through the CSV ingest as a load
// of several files (CanonicalizeIds at the end, as the CLI does), and the same
// rows shuffled K times (files also read in another order) give identical
// output tables from every calculator, compared cell by cell with ids printed
// as their codes. The data has text codes whose text order differs from their
// first-seen order and from the order of the numbers in them, and many ties in
// frequency, dates and amounts, so NTILE, rankings and top-n lists have ties
// to break.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "dataset_test_util.hpp"
#include "property/random_data.hpp"
#include "gtest/gtest.h"
#include "salesight/calculator.hpp"
#include "salesight/contribution.hpp"
#include "salesight/csv.hpp"
#include "salesight/funnel.hpp"
#include "salesight/leaderboard.hpp"
#include "salesight/margin.hpp"
#include "salesight/receivables.hpp"
#include "salesight/result_table.hpp"
#include "salesight/new_customers.hpp"
#include "salesight/rfm.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

using namespace random_data;  // NOLINT: the generator is this test's vocabulary

std::string Csv(const ResultTable& table) {
  std::ostringstream out;
  WriteCsv(table, out);
  return out.str();
}

template <typename T>
T Ok(absl::StatusOr<T> r, const char* what) {
  EXPECT_TRUE(r.ok()) << what << ": " << r.status();
  return *std::move(r);
}

// Every output table of every calculator, by name, as CSV text.
std::map<std::string, std::string> Outputs(const Load& l) {
  std::map<std::string, std::string> out;
  const OrderLines& orders = l.orders.table;
  const Day as_of = kJan1 + 200;

  for (RfmScoring scoring : {RfmScoring::kNtile, RfmScoring::kQuantile}) {
    RfmOptions o;
    o.as_of = as_of;
    o.scoring = scoring;
    const std::string tag = scoring == RfmScoring::kNtile ? "ntile" : "quantile";
    RfmResult rfm = Ok(ComputeRfm(orders, o), "rfm");
    out["rfm customers " + tag] = Csv(ToResultTable(rfm, true));
    out["rfm segments " + tag] = Csv(ToResultTable(Ok(SummarizeSegments(rfm), "segments")));
    out["rfm pareto " + tag] = Csv(ToResultTable(Ok(ComputePareto(rfm, 10), "pareto")));
  }
  {
    NewCustomersOptions o;
    o.as_of = as_of;
    out["new_customers"] = Csv(ToResultTable(Ok(ComputeNewCustomers(orders, o), "new_customers")));
  }

  for (const std::vector<std::string>& keys :
       {std::vector<std::string>{}, std::vector<std::string>{"salesperson"},
        std::vector<std::string>{"region", "source"}}) {
    FunnelOptions o;
    o.group_by = keys;
    o.as_of = as_of;
    o.bottleneck_min_sample = 1;
    FunnelResult funnel = Ok(ComputeFunnel(l.pipeline.table, o), "funnel");
    const std::string tag = std::to_string(keys.size());
    out["funnel " + tag] = Csv(ToResultTable(funnel));
    out["funnel detail " + tag] = Csv(ToDetailedResultTable(funnel));
    out["funnel bottlenecks " + tag] = Csv(BottlenecksToResultTable(funnel));
  }

  for (const std::vector<std::string>& dims :
       {std::vector<std::string>{"product"},
        std::vector<std::string>{"customer"},
        std::vector<std::string>{"order"},
        std::vector<std::string>{"category"},
        std::vector<std::string>{"region", "salesperson"}}) {
    MarginOptions o;
    o.group_by.dimensions = dims;
    MarginResult margin = Ok(ComputeMargin(orders, &l.products.table, o), "margin");
    const std::string tag = dims[0];
    AbcResult abc = Ok(ClassifyAbc(margin, AbcOptions{}), "abc");
    MarginTableOptions table_options;
    table_options.abc = &abc;
    out["margin table " + tag] = Csv(ToResultTable(margin, table_options));
    out["margin abc " + tag] = Csv(ToResultTable(abc, margin));
    for (MarginMetric metric : {MarginMetric::kRevenue, MarginMetric::kQuantity,
                                MarginMetric::kMargin, MarginMetric::kMarginPct}) {
      for (MarginRankOrder order : {MarginRankOrder::kTop, MarginRankOrder::kBottom}) {
        MarginRankOptions r;
        r.metric = metric;
        r.order = order;
        r.n = 5;
        out[absl::StrFormat("margin ranking %s %d %d", tag, static_cast<int>(metric),
                            static_cast<int>(order))] =
            Csv(ToResultTable(Ok(RankMargin(margin, r), "rank"), margin));
      }
    }
  }

  const Dataset receivables = test_data::InvoicesData(l.invoices.table, &l.payments.table);
  for (const std::string by : {"customer", "salesperson", "region"}) {
    AgingOptions a;
    a.as_of = as_of;
    a.group_by = by;
    a.overdue_top_n = 12;
    CollectionOptions c;
    c.as_of = as_of;
    c.group_by = by;
    const std::string& tag = by;
    AgingResult aging = Ok(ComputeAging(receivables, a), "aging");
    out["aging " + tag] = Csv(ToResultTable(aging));
    out["overdue " + tag] = Csv(OverdueToResultTable(aging));
    out["collection " + tag] =
        Csv(ToResultTable(Ok(ComputeCollection(receivables, c), "coll")));
  }

  for (const std::string by : {"", "region", "salesperson"}) {
    test_data::TestTables in;
    in.orders = &orders;
    in.products = &l.products.table;
    in.invoices = &l.invoices.table;
    in.payments = &l.payments.table;
    if (by != "region") in.targets = &l.targets.table;  // salesperson targets
    TrendOptions o;
    o.group_by = by;
    o.as_of = as_of;
    out["trend " + by] =
        Csv(ToResultTable(Ok(ComputeTrend(test_data::TestData(in), o), "trend")));
  }

  for (const std::vector<std::string>& dims :
       {std::vector<std::string>{"customer"},
        std::vector<std::string>{"category", "salesperson"}}) {
    ContributionOptions o;
    o.dimensions = dims;
    out["contribution " + std::to_string(dims.size())] =
        Csv(ToResultTable(Ok(ComputeContribution(test_data::OrdersData(orders, &l.products.table), o),
                             "contribution")));
  }

  for (LeaderboardMetric metric :
       {LeaderboardMetric::kRevenue, LeaderboardMetric::kMargin, LeaderboardMetric::kOrders,
        LeaderboardMetric::kWon, LeaderboardMetric::kWinRate, LeaderboardMetric::kCollectionRate,
        LeaderboardMetric::kTargetAttainment}) {
    test_data::TestTables in;
    in.orders = &orders;
    in.products = &l.products.table;
    in.pipeline = &l.pipeline.table;
    in.invoices = &l.invoices.table;
    in.payments = &l.payments.table;
    in.targets = &l.targets.table;
    LeaderboardOptions o;
    o.to = as_of;
    o.rank_by = metric;
    out["leaderboard " + std::to_string(static_cast<int>(metric))] =
        Csv(ToResultTable(Ok(ComputeLeaderboard(test_data::TestData(in), o), "leaderboard")));
  }

  // The registered calculators through the declaration (every named output and
  // the data problems), on one dataset of every table.
  test_data::TestTables all;
  all.orders = &orders;
  all.products = &l.products.table;
  all.pipeline = &l.pipeline.table;
  all.invoices = &l.invoices.table;
  all.payments = &l.payments.table;
  all.targets = &l.targets.table;
  const Dataset everything = test_data::TestData(all);
  for (const char* name :
       {"margin", "aging", "collection", "trend", "contribution", "leaderboard", "overview"}) {
    const CalculatorSpec& spec = *Ok(FindCalculator(name), name);
    OptionSettings settings;
    for (const OptionInfo& o : spec.options) {
      if (o.name == "as_of") settings.emplace_back("as_of", Iso(as_of));
    }
    if (std::string_view(name) == "margin") {
      settings.insert(settings.end(), {{"abc", "margin"}, {"quadrant", "true"}, {"top", "4"}});
    }
    const ResultSet set = Ok(RunCalculator(spec, everything, settings), name);
    for (const NamedTable& t : set.tables) {
      out[absl::StrFormat("registered %s %s", name, t.name)] = Csv(t.table);
    }
    out[absl::StrFormat("registered %s problems", name)] =
        Csv(ProblemsToResultTable(set.problems));
  }
  return out;
}

// The first line where two CSV texts differ, for the failure message.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "equal";
    if (ea != eb || la != lb) {
      return absl::StrFormat("line %d:\n  before: %s\n  after:  %s", line, ea ? "<end>" : la,
                             eb ? "<end>" : lb);
    }
  }
}

TEST(RowOrder, EveryCalculatorGivesTheSameTablesForShuffledRows) {
  constexpr int kPermutations = 4;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const DataSet data = Generate(seed);
    Load first;
    Read(data, false, first);
    const std::map<std::string, std::string> expected = Outputs(first);
    std::mt19937 rng(seed * 7919);
    for (int k = 0; k < kPermutations; ++k) {
      DataSet shuffled = data;
      for (CsvFile* f : {&shuffled.products, &shuffled.orders, &shuffled.pipeline,
                         &shuffled.invoices, &shuffled.payments, &shuffled.targets}) {
        std::shuffle(f->rows.begin(), f->rows.end(), rng);
      }
      Load load;
      Read(shuffled, k % 2 == 0, load);
      const std::map<std::string, std::string> got = Outputs(load);
      ASSERT_EQ(got.size(), expected.size());
      for (const auto& [name, table] : expected) {
        EXPECT_EQ(got.at(name), table) << "seed " << seed << " permutation " << k << ", " << name
                                       << " differs at " << FirstDifference(table, got.at(name));
      }
    }
  }
}

}  // namespace
}  // namespace salesight
