// The one aggregator interface (salesight/aggregator.hpp): for every kind,
// random data split at random points into k partials, some through bytes
// (serialize / deserialize), merged in random order (neighbours only for rfm,
// whose order counting needs them), and finished with the dataset as context
// gives byte-identical output tables (CSV text) and problems to the
// calculator run on all the rows. Plus hand cases, option and kind mismatches
// and hostile bytes (every truncation, flipped bytes): errors, never crashes.
#include "salesight/aggregator.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "property/random_data.hpp"
#include "salesight/calculator.hpp"
#include "salesight/result_table.hpp"

namespace salesight {
namespace {

using random_data::kJan1;

struct Case {
  std::string name;
  OptionSettings settings;
};

// Each kind with groupings and options that exercise its state.
std::vector<Case> Cases() {
  return {
      {"aging", {{"as_of", "2024-07-19"}, {"by", "customer"}}},
      {"aging", {{"as_of", "2024-05-01"}, {"by", "region"}, {"top", "3"}, {"basis", "invoice"}}},
      {"collection", {{"as_of", "2024-07-19"}, {"by", "salesperson"}}},
      {"collection", {{"as_of", "2024-06-01"}, {"by", "none"}, {"start", "2024-02-01"}}},
      {"trend", {{"grain", "month"}}},
      {"trend", {{"grain", "week"}, {"by", "salesperson"}, {"compare", "target"}}},
      {"trend", {{"grain", "quarter"}, {"by", "salesperson"}, {"as_of", "2024-05-20"}}},
      {"contribution", {{"by", "product"}}},
      {"contribution", {{"by", "region,salesperson"}, {"measure", "margin"}}},
      {"rfm", {{"as_of", "2024-07-19"}}},
      {"funnel", {{"as_of", "2024-07-19"}, {"by", "salesperson"}}},
      {"margin", {{"by", "product"}, {"abc", "revenue"}}},
      {"leaderboard", {{"as_of", "2024-07-19"}}},
      {"leaderboard", {{"start", "2024-02-01"}, {"end", "2024-05-31"}, {"rank_by", "win_rate"},
                       {"top", "3"}}},
      {"leaderboard", {{"end", "2024-06-30"}, {"rank_by", "attainment"}}},
  };
}

std::string Csv(const ResultTable& table) {
  std::ostringstream out;
  WriteCsv(table, out);
  return out.str();
}

std::map<std::string, std::string> Texts(const ResultSet& r) {
  std::map<std::string, std::string> out;
  for (const NamedTable& t : r.tables) out[t.name] = Csv(t.table);
  out["(problems)"] = Csv(ProblemsToResultTable(r.problems));
  return out;
}

std::size_t MainRows(const Dataset& d, const std::string& name) {
  return PartialRows(**FindAggregator(name), d);
}

struct Loaded {
  random_data::Load load;
  Dataset data;
};

// The order lines sorted by order code (= by order id after canonical ids),
// as ERP exports are: rfm's distinct orders merge exactly only for row ranges
// split by order.
void LoadSeed(unsigned seed, Loaded& out) {
  random_data::DataSet d = random_data::Generate(seed);
  std::sort(d.orders.rows.begin(), d.orders.rows.end());
  random_data::Read(d, seed % 2 == 0, out.load);
  const random_data::Load& l = out.load;
  out.data = test_data::TestData({.orders = &l.orders.table,
                                  .products = &l.products.table,
                                  .pipeline = &l.pipeline.table,
                                  .invoices = &l.invoices.table,
                                  .payments = &l.payments.table,
                                  .targets = &l.targets.table});
}

// k partials of random row ranges, some round-tripped through bytes, merged
// in a random order, finished with the dataset as context.
absl::StatusOr<ResultSet> Partitioned(const Case& c, const Dataset& data, std::mt19937& rng) {
  const std::size_t n = MainRows(data, c.name);
  const std::size_t k = 1 + rng() % 5;
  std::vector<std::size_t> cuts = {0, n};
  for (std::size_t i = 1; i < k; ++i) cuts.push_back(rng() % (n + 1));
  std::sort(cuts.begin(), cuts.end());
  std::vector<PartialPtr> parts;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    absl::StatusOr<PartialPtr> p = MakePartial(c.name, data, cuts[i], cuts[i + 1], c.settings);
    if (!p.ok()) return p.status();
    if (rng() % 2 == 0) {
      absl::StatusOr<std::string> bytes = (*p)->Serialize();
      if (!bytes.ok()) return bytes.status();
      p = DeserializePartial(*bytes);
      if (!p.ok()) return p.status();
    }
    parts.push_back(*std::move(p));
  }
  // rfm counts orders across neighbours only; the others merge in any order.
  if (c.name != "rfm") std::shuffle(parts.begin(), parts.end(), rng);
  while (parts.size() > 1) {
    const std::size_t i = rng() % (parts.size() - 1);
    if (absl::Status st = parts[i]->Merge(*parts[i + 1]); !st.ok()) return st;
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(i + 1));
  }
  OptionSettings finish = c.settings;
  if (parts[0]->spec().options_in_bytes && rng() % 2 == 0) finish.clear();  // = the partial's
  return parts[0]->Finish(&data, finish);
}

int Seeds() {
  const char* env = std::getenv("SALESIGHT_AGGREGATOR_SEEDS");
  return env != nullptr ? std::atoi(env) : 20;
}

TEST(Aggregator, PartitionedEqualsTheWholeRunForEveryKind) {
  std::set<std::string> covered;
  for (int seed = 1; seed <= Seeds(); ++seed) {
    Loaded l;
    LoadSeed(static_cast<unsigned>(seed), l);
    std::mt19937 rng(static_cast<unsigned>(seed) * 7919u);
    for (const Case& c : Cases()) {
      absl::StatusOr<const CalculatorSpec*> spec = FindCalculator(c.name);
      ASSERT_TRUE(spec.ok());
      absl::StatusOr<ResultSet> whole = RunCalculator(**spec, l.data, c.settings);
      ASSERT_TRUE(whole.ok()) << c.name << ": " << whole.status();
      absl::StatusOr<ResultSet> parts = Partitioned(c, l.data, rng);
      ASSERT_TRUE(parts.ok()) << c.name << " seed " << seed << ": " << parts.status();
      const auto want = Texts(*whole), got = Texts(*parts);
      if (c.name == "leaderboard" && seed == 1) {
        // Every input reaches the table: won/lost, a collection rate, a target.
        const std::string& t = want.at("table");
        EXPECT_GT(std::count(t.begin(), t.end(), '\n'), 2) << t;
      }
      for (const auto& [name, text] : want) {
        ASSERT_TRUE(got.count(name)) << c.name << " output " << name;
        ASSERT_EQ(got.at(name), text) << c.name << " output " << name << " seed " << seed;
      }
      covered.insert(c.name);
    }
  }
  for (const AggregatorSpec& a : Aggregators()) {
    EXPECT_TRUE(covered.count(std::string(a.name))) << a.name << " has no property case";
  }
}

TEST(Aggregator, KindsAreUniqueAndNameCalculators) {
  std::set<int> kinds;
  for (const AggregatorSpec& a : Aggregators()) {
    EXPECT_TRUE(kinds.insert(a.kind).second) << a.name;
    EXPECT_TRUE(FindCalculator(a.name).ok()) << a.name;
  }
  EXPECT_FALSE(FindAggregator("overview").ok());
}

// Hand case: three invoices in two partials (one through bytes), as of
// 2024-04-15: #1 paid in full; #2 50.00 - 20.00 = 30.00 open, due 03-02, 44
// days past due (31_60); #3 30.00 open, due 03-31, 15 days (1_30).
TEST(Aggregator, AgingHandCase) {
  random_data::CsvFile inv{"invoice,order,customer,salesperson,region,date,due,amount",
                           {"1,SO-1,A,S,W,2024-01-01,2024-01-31,100.00",
                            "2,SO-2,A,S,W,2024-02-01,2024-03-02,50.00",
                            "3,SO-3,B,S,W,2024-03-01,2024-03-31,30.00"}};
  random_data::CsvFile pay{"invoice,date,amount", {"1,2024-02-10,100.00", "2,2024-02-15,20.00"}};
  Dictionaries dicts;
  IngestOptions o;
  InvoicesCsv invoices =
      random_data::Take(ReadInvoicesCsv(random_data::Write(inv, "hand_inv"), o, dicts), "inv");
  PaymentsCsv payments = random_data::Take(
      ReadPaymentsCsv(random_data::Write(pay, "hand_pay"), o, invoices.table, dicts), "pay");
  const Dataset data = test_data::InvoicesData(invoices.table, &payments.table);
  const OptionSettings s = {{"as_of", "2024-04-15"}, {"by", "none"}};
  absl::StatusOr<PartialPtr> a = MakePartial("aging", data, 0, 1, s);
  absl::StatusOr<PartialPtr> b = MakePartial("aging", data, 1, 3, s);
  ASSERT_TRUE(a.ok() && b.ok());
  absl::StatusOr<PartialPtr> b2 = DeserializePartial(*(*b)->Serialize());
  ASSERT_TRUE(b2.ok()) << b2.status();
  ASSERT_TRUE((*b2)->Merge(**a).ok());
  absl::StatusOr<ResultSet> r = (*b2)->Finish(nullptr, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Csv(*r->Find("aging")),
            "b_current,b_1_30,b_31_60,b_61_90,b_over_90,total\n0,30,30,0,0,60\n");
  EXPECT_TRUE((*b2)->finished());
  EXPECT_FALSE((*b2)->Finish(nullptr, {}).ok());
  EXPECT_FALSE((*b2)->Serialize().ok());
}

TEST(Aggregator, MismatchedOptionsAndKindsAreRefusedNamingBoth) {
  Loaded l;
  LoadSeed(5, l);
  auto a = MakePartial("trend", l.data, 0, 10, {{"grain", "month"}});
  auto b = MakePartial("trend", l.data, 10, 20, {{"by", "region"}});
  auto c = MakePartial("contribution", l.data, 10, 20, {});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  absl::Status st = (*a)->Merge(**b);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("by=region"), std::string::npos) << st;
  st = (*a)->Merge(**c);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("contribution"), std::string::npos) << st;
  EXPECT_FALSE((*a)->Finish(&l.data, {{"grain", "year"}}).ok());
  EXPECT_FALSE(MakePartial("aging", l.data, 0, 1, {}).ok());  // as_of required
  EXPECT_FALSE(MakePartial("trend", l.data, 5, 4, {}).ok());
  EXPECT_FALSE(MakePartial("trend", l.data, 0, 1, {{"nope", "1"}}).ok());
}

// Truncations and flipped bytes of every kind's bytes: an error
// naming a byte offset or a state that still serializes, merges and finishes.
TEST(Aggregator, HostileBytesGiveErrorsNeverCrashes) {
  Loaded l;
  LoadSeed(7, l);
  std::mt19937 rng(11);
  for (const Case& c : Cases()) {
    absl::StatusOr<PartialPtr> p = MakePartial(c.name, l.data, 0, MainRows(l.data, c.name) / 2,
                                               c.settings);
    ASSERT_TRUE(p.ok()) << c.name << ": " << p.status();
    const std::string bytes = *(*p)->Serialize();
    // The fuzz corpus seeds (tests/fuzz/corpus/partial) are written this way.
    if (const char* dir = std::getenv("SALESIGHT_WRITE_PARTIAL_CORPUS"); dir != nullptr) {
      const std::string path = std::string(dir) + "/" + c.name + "_" +
                               std::to_string(std::hash<std::string>()(bytes) % 100000);
      std::ofstream(path, std::ios::binary) << bytes;
    }
    // Every length of the header and options, then random lengths (every
    // length of every kind would take seconds).
    for (std::size_t i = 0; i < 160; ++i) {
      const std::size_t n = i < 96 ? std::min(i, bytes.size() - 1) : rng() % bytes.size();
      absl::StatusOr<PartialPtr> t = DeserializePartial(bytes.substr(0, n));
      ASSERT_FALSE(t.ok()) << c.name << " truncated to " << n;
      EXPECT_NE(std::string(t.status().message()).find("byte offset"), std::string::npos)
          << t.status();
    }
    for (int i = 0; i < 120; ++i) {
      std::string bad = bytes;
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
      absl::StatusOr<PartialPtr> q = DeserializePartial(bad);
      if (!q.ok()) continue;
      (void)(*q)->Serialize();
      absl::StatusOr<PartialPtr> r = DeserializePartial(bad);
      if (r.ok()) (void)(*q)->Merge(**r);
      (void)(*q)->Finish(nullptr, {});
    }
  }
}

}  // namespace
}  // namespace salesight
