// The one aggregator interface (salesight/aggregator.hpp): for every kind,
// random data split at random points into k partials, some through bytes
// (serialize / deserialize), merged in random order (neighbours only for rfm,
// whose order counting needs them), and finished with the dataset as context
// gives byte-identical output tables (CSV text) and problems to the
// calculator run on all the rows. Plus hand cases, option and kind mismatches
// and hostile bytes (every truncation, flipped bytes): errors, never crashes.
#include "salesight/aggregator.hpp"

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
      {"trend", {{"grain", "quarter"}, {"by", "region"}, {"as_of", "2024-05-20"}}},
      {"contribution", {{"by", "product"}}},
      {"contribution", {{"by", "region,salesperson"}, {"measure", "margin"}}},
      {"rfm", {{"as_of", "2024-07-19"}}},
      {"funnel", {{"as_of", "2024-07-19"}, {"by", "salesperson"}}},
      {"margin", {{"by", "product"}, {"abc", "revenue"}}},
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
  if (name == "funnel") return d.pipeline()->size();
  if (name == "aging" || name == "collection") return d.invoices()->size();
  return d.orders()->size();
}

struct Loaded {
  random_data::Load load;
  Dataset data;
};

void LoadSeed(unsigned seed, Loaded& out) {
  random_data::Read(random_data::Generate(seed), seed % 2 == 0, out.load);
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
  return env != nullptr ? std::atoi(env) : 40;
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

// Hand case: two invoices, one paid, one open 45 days past due, split in two.
TEST(Aggregator, AgingHandCase) {
  Loaded l;
  LoadSeed(3, l);
  const OptionSettings s = {{"as_of", "2024-07-19"}, {"by", "none"}, {"cutoffs", "0,30,60,90"}};
  absl::StatusOr<PartialPtr> a = MakePartial("aging", l.data, 0, 1, s);
  absl::StatusOr<PartialPtr> b = MakePartial("aging", l.data, 1, 2, s);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Merge(**b).ok());
  absl::StatusOr<ResultSet> r = (*a)->Finish(nullptr, {});
  ASSERT_TRUE(r.ok()) << r.status();
  // The two first invoices of 100.00 with their payments, aged by hand.
  const InvoicesColumns& c = l.load.invoices.table.columns();
  Money open = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    Money paid = 0;
    const PaymentsColumns& pc = l.load.payments.table.columns();
    for (std::size_t p = 0; p < l.load.payments.table.size(); ++p) {
      if (static_cast<std::size_t>(pc.invoice_row[p]) == i && pc.date[p] <= kJan1 + 200) {
        paid += pc.amount[p];
      }
    }
    if (c.invoice_date[i] <= kJan1 + 200 && c.amount[i] - paid > 0) open += c.amount[i] - paid;
  }
  const std::string csv = Csv(*r->Find("aging"));
  EXPECT_NE(csv.find(FormatMoney(open, 2)), std::string::npos) << csv << " open " << open;
  EXPECT_TRUE((*a)->finished());
  EXPECT_FALSE((*a)->Finish(nullptr, {}).ok());
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

// Every truncation and many flipped bytes of each new kind's bytes: an error
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
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      absl::StatusOr<PartialPtr> t = DeserializePartial(bytes.substr(0, n));
      ASSERT_FALSE(t.ok()) << c.name << " truncated to " << n;
      EXPECT_NE(std::string(t.status().message()).find("byte offset"), std::string::npos)
          << t.status();
    }
    for (int i = 0; i < 300; ++i) {
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
