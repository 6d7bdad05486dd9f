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

constexpr Day kJan1 = 19723;  // 2024-01-01

std::string Iso(Day day) {
  // Days since 1970-01-01 -> yyyy-mm-dd (civil-from-days, Howard Hinnant).
  int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return absl::StrFormat("%04d-%02d-%02d", y, m, d);
}

// One file: header and data rows (shuffled before writing).
struct CsvFile {
  std::string header;
  std::vector<std::string> rows;
};

struct DataSet {
  CsvFile products, orders, pipeline, invoices, payments, targets;
};

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

// Codes in an order that is neither their text order nor the order of the
// numbers in them; a few are UTF-8.
std::vector<std::string> Codes(std::mt19937& rng, const std::string& prefix, int n) {
  std::vector<std::string> out;
  while (static_cast<int>(out.size()) < n) {
    std::string code = prefix + std::to_string(1 + rng() % 400);
    if (rng() % 7 == 0) code = prefix + "\xE5\x8D\x8E" + std::to_string(rng() % 9);  // 华
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  return out;
}

DataSet Generate(unsigned seed) {
  std::mt19937 rng(seed);
  const std::vector<std::string> customers = Codes(rng, "C", 40);
  const std::vector<std::string> products = Codes(rng, "P", 14);
  const std::vector<std::string> salespeople = {"S-9", "S-10", "s-1", "Ann", "ann", "\xE7\x8E\x8B"};
  const std::vector<std::string> regions = {"West", "east", "", "\xE5\x8D\x8E\xE4\xB8\x9C", "North"};
  const std::vector<std::string> categories = {"Toys", "tools", "\xE5\xAE\xB6"};
  const std::vector<std::string> amounts = {"10.00", "20.00", "30.00"};

  DataSet d;
  d.products.header = "product,category,cost";
  for (const std::string& p : products) {
    d.products.rows.push_back(
        absl::StrFormat("%s,%s,%d.00", p, Pick(rng, categories), 2 + rng() % 3 * 2));
  }

  d.orders.header = "order,date,customer,product,region,salesperson,quantity,amount";
  std::vector<std::string> order_codes;
  for (int o = 0; o < 150; ++o) {
    const std::string order = "SO-" + std::to_string(1000 - o * 7 % 997);
    order_codes.push_back(order);
    const std::string customer = Pick(rng, customers);
    const std::string region = Pick(rng, regions);
    const std::string sp = Pick(rng, salespeople);
    const Day day = kJan1 + static_cast<Day>(rng() % 12) * 15;  // few dates: recency ties
    const int lines = 1 + static_cast<int>(rng() % 3);
    for (int l = 0; l < lines; ++l) {
      const std::string amount = rng() % 10 == 0 ? "-10.00" : Pick(rng, amounts);
      d.orders.rows.push_back(absl::StrFormat("%s,%s,%s,%s,%s,%s,%d,%s", order, Iso(day),
                                              customer, Pick(rng, products), region, sp,
                                              1 + rng() % 2, amount));
    }
  }

  d.pipeline.header =
      "id,created,customer,salesperson,region,source,amount,lead_date,opportunity_date,"
      "quote_date,contract_date,won_date,paid_date,lost,lost_reason";
  const std::vector<std::string> sources = {"web", "Ads", "ref", "\xE5\xB1\x95"};
  const std::vector<std::string> reasons = {"price", "Price", "timing"};
  for (int i = 0; i < 60; ++i) {
    const Day created = kJan1 + static_cast<Day>(rng() % 6) * 10;
    const int reached = static_cast<int>(rng() % 7);  // stages 0..reached-1 recorded
    std::string stages;
    for (int s = 0; s < 6; ++s) {
      stages += ",";
      if (s < reached) stages += Iso(created + s * 5);
    }
    const bool lost = reached < 5 && rng() % 2 == 0;
    d.pipeline.rows.push_back(absl::StrFormat(
        "OP-%d,%s,%s,%s,%s,%s,%s%s,%s,%s", 500 - i * 13 % 487, Iso(created),
        Pick(rng, customers), Pick(rng, salespeople), Pick(rng, regions), Pick(rng, sources),
        Pick(rng, amounts), stages, lost ? Iso(created + 40) : "",
        lost ? Pick(rng, reasons) : ""));
  }

  d.invoices.header = "invoice,order,customer,salesperson,region,date,due,amount";
  d.payments.header = "invoice,date,amount";
  for (int i = 0; i < 70; ++i) {
    const std::string invoice = "INV-" + std::to_string(300 - i * 11 % 293);
    const Day date = kJan1 + static_cast<Day>(rng() % 8) * 15;
    d.invoices.rows.push_back(absl::StrFormat(
        "%s,%s,%s,%s,%s,%s,%s,100.00", invoice, Pick(rng, order_codes), Pick(rng, customers),
        Pick(rng, salespeople), Pick(rng, regions), Iso(date), Iso(date + 30)));
    const int payments = static_cast<int>(rng() % 3);
    for (int p = 0; p < payments; ++p) {
      d.payments.rows.push_back(
          absl::StrFormat("%s,%s,%s", invoice, Iso(date + 10 + p * 20), "25.00"));
    }
  }

  d.targets.header = "salesperson,month,amount";
  for (const std::string& sp : salespeople) {
    for (int m = 1; m <= 6; ++m) {
      d.targets.rows.push_back(absl::StrFormat("%s,2024-%02d,%d.00", sp, m, 50 + rng() % 2 * 50));
    }
  }
  return d;
}

std::string ScratchDir() {
  if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return ::testing::TempDir();
}

std::string Write(const CsvFile& file, const std::string& name) {
  const std::string path = absl::StrFormat("%s/row_order_%d_%s.csv", ScratchDir(), ::getpid(), name);
  std::ofstream out(path, std::ios::binary);
  out << file.header << '\n';
  for (const std::string& row : file.rows) out << row << '\n';
  return path;
}

struct Load {
  Dictionaries dicts;
  ProductsCsv products;
  OrdersCsv orders;
  PipelineCsv pipeline;
  InvoicesCsv invoices;
  PaymentsCsv payments;
  TargetsCsv targets;
};

template <typename T>
T Take(absl::StatusOr<T> read, const char* what) {
  EXPECT_TRUE(read.ok()) << what << ": " << read.status();
  EXPECT_EQ(read->report.rejected, 0) << what << ": " << FormatRejectReport(read->report);
  return *std::move(read);
}

// Reads the files (in one of two file orders) as one load.
void Read(const DataSet& d, bool masters_last, Load& load) {
  IngestOptions o;
  const std::string products = Write(d.products, "products"), orders = Write(d.orders, "orders"),
                    pipeline = Write(d.pipeline, "pipeline"),
                    invoices = Write(d.invoices, "invoices"),
                    payments = Write(d.payments, "payments"),
                    targets = Write(d.targets, "targets");
  auto read_products = [&] {
    load.products = Take(ReadProductsCsv(products, o, load.dicts), "products");
  };
  auto read_targets = [&] {
    load.targets = Take(ReadTargetsCsv(targets, o, load.dicts), "targets");
  };
  if (!masters_last) {
    read_products();
    read_targets();
  }
  load.invoices = Take(ReadInvoicesCsv(invoices, o, load.dicts), "invoices");
  load.payments = Take(ReadPaymentsCsv(payments, o, load.invoices.table, load.dicts), "payments");
  load.pipeline = Take(ReadPipelineCsv(pipeline, o, {}, load.dicts), "pipeline");
  load.orders = Take(ReadOrdersCsv(orders, o, load.dicts), "orders");
  if (masters_last) {
    read_targets();
    read_products();
  }
  for (const std::string& p : {products, orders, pipeline, invoices, payments, targets}) {
    std::remove(p.c_str());
  }
  CsvLoad all;
  all.products = &load.products;
  all.orders = &load.orders;
  all.pipeline = &load.pipeline;
  all.invoices = &load.invoices;
  all.targets = &load.targets;
  ASSERT_TRUE(CanonicalizeIds(load.dicts, all).ok());
}

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
