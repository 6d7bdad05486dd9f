// RFM by a dimension (rfm.hpp, "by a dimension"): a hand-computed case of
// both scopes, the plain reference per member on random data (attributes
// built directly and read by the CSV reader), missing members, the
// by_scope customer error, row order and thread count, and the tables.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "rfm/rfm_reference.hpp"
#include "rfm/rfm_test_util.hpp"
#include "salesight/csv.hpp"
#include "salesight/dataset.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::FlatRow;
using rfm_test::Line;

DictionaryPtr Dict(std::vector<std::string> codes) {
  absl::StatusOr<Dictionary> d = Dictionary::FromCodes(codes);
  EXPECT_TRUE(d.ok()) << d.status();
  return std::make_shared<Dictionary>(*std::move(d));
}

// Lines with one attribute column `name` (member label per line; labels
// sorted bytewise are the dictionary, i.e. canonical for non-numeric text).
OrderLines LinesWithAttribute(const std::vector<Line>& lines, const std::string& name,
                              const std::vector<std::string>& member, DictionaryPtr customers = nullptr) {
  std::vector<std::string> labels = member;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  DictionaryPtr dict = Dict(labels);
  OrderLinesColumns c = rfm_test::MakeLines(lines, true).columns();
  std::vector<Id> codes;
  for (const std::string& m : member) codes.push_back(dict->Find(m));
  c.attributes.push_back({name, Column<Id>::Own(std::move(codes)), dict});
  c.customers = std::move(customers);
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// The plain reference per member: the lines of each member (labels in byte
// order) through rfm_test::Reference with the whole table's as_of.
std::map<std::string, rfm_test::RefOut> ReferenceBy(const std::vector<Line>& lines,
                                                    const std::vector<std::string>& member,
                                                    RfmOptions o) {
  if (o.as_of == kNoDate && !lines.empty()) {
    Day max_day = lines[0].day;
    for (const Line& l : lines) max_day = std::max(max_day, l.day);
    o.as_of = max_day + 1;
  }
  std::map<std::string, std::vector<Line>> parts;
  for (std::size_t i = 0; i < lines.size(); ++i) parts[member[i]].push_back(lines[i]);
  std::map<std::string, rfm_test::RefOut> out;
  for (const auto& [label, part] : parts) out[label] = rfm_test::Reference(part, o);
  return out;
}

void ExpectMatchesBy(const std::map<std::string, rfm_test::RefOut>& want, const RfmResult& got,
                     const std::string& where) {
  ASSERT_EQ(got.groups.size(), want.size()) << where;
  std::size_t g = 0;
  for (const auto& [label, ref] : want) {  // std::map: labels in byte order = canonical
    const RfmGroup& group = got.groups[g++];
    ASSERT_EQ(group.label, label) << where;
    rfm_test::ExpectMatches(ref, group.result, absl::StrCat(where, " member '", label, "'"));
    rfm_test::ExpectThresholdsExplainScores(group.result, where);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

std::vector<std::string> RandomMembers(std::mt19937_64& rng, std::size_t n) {
  static const std::vector<std::string> kLabels = {"East", "West", "", "西部", "North"};
  std::uniform_int_distribution<int> pick(0, 999);
  const int used = 1 + pick(rng) % static_cast<int>(kLabels.size());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(kLabels[static_cast<std::size_t>(pick(rng) % used)]);
  return out;
}

// ---------------------------------------------------------------- hand-computed

// A: East 100 on day 90, West 50 on day 95; B: East 200 on day 80; C: West 10
// on day 99; as_of 100, k = 2.
const std::vector<Line> kTiny = {
    {1, 90, 0, 100}, {2, 95, 0, 50}, {3, 80, 1, 200}, {4, 99, 2, 10}};
const std::vector<std::string> kTinyRegion = {"East", "West", "East", "West"};

RfmOptions TinyOptions() {
  RfmOptions o;
  o.as_of = 100;
  o.k = 2;
  o.by = "Region";
  return o;
}

TEST(RfmBy, LinesScopeHandComputed) {
  const OrderLines t = LinesWithAttribute(kTiny, "Region", kTinyRegion, Dict({"A", "B", "C"}));
  absl::StatusOr<RfmResult> r = ComputeRfm(t, TinyOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->by, "Region");
  ASSERT_EQ(r->groups.size(), 2u);
  // East: A (recency 10, m 100), B (recency 20, m 200). With n = 2, k = 2 the
  // cut is after the first: r by last day ASC B, A -> B 1, A 2; f ties (1, 1)
  // share the lower score 1; m A 1, B 2.
  const RfmResult& east = r->groups[0].result;
  EXPECT_EQ(r->groups[0].label, "East");
  ASSERT_EQ(east.customers.size(), 2u);
  EXPECT_EQ(east.customers[0].customer, 0);
  EXPECT_EQ(east.customers[0].recency_days, 10);
  EXPECT_EQ(east.customers[0].monetary, 100);
  EXPECT_EQ(east.customers[1].customer, 1);
  EXPECT_EQ(east.customers[1].recency_days, 20);
  EXPECT_EQ((std::vector<int>{east.scores[0].r, east.scores[0].f, east.scores[0].m}),
            (std::vector<int>{2, 1, 1}));
  EXPECT_EQ((std::vector<int>{east.scores[1].r, east.scores[1].f, east.scores[1].m}),
            (std::vector<int>{1, 1, 2}));
  // West: A (recency 5, m 50) and C (recency 1, m 10): A r 1 m 2, C r 2 m 1.
  const RfmResult& west = r->groups[1].result;
  EXPECT_EQ(r->groups[1].label, "West");
  ASSERT_EQ(west.customers.size(), 2u);
  EXPECT_EQ(west.customers[0].customer, 0);
  EXPECT_EQ(west.customers[0].recency_days, 5);
  EXPECT_EQ(west.customers[0].monetary, 50);
  EXPECT_EQ(west.customers[1].customer, 2);
  EXPECT_EQ((std::vector<int>{west.scores[0].r, west.scores[0].m}), (std::vector<int>{1, 2}));
  EXPECT_EQ((std::vector<int>{west.scores[1].r, west.scores[1].m}), (std::vector<int>{2, 1}));
  EXPECT_EQ(r->counts.lines, 4);
  EXPECT_EQ(r->counts.customers, 4);  // A once per region

  // The table: the member first, named after the dimension, rows group by group.
  const ResultTable table = ToResultTable(*r);
  ASSERT_EQ(table.columns().front().name, "Region");
  EXPECT_EQ(table.columns().front().Texts(),
            (std::vector<std::string>{"East", "East", "West", "West"}));
  EXPECT_EQ(table.Find("customer")->Texts(), (std::vector<std::string>{"A", "B", "A", "C"}));
  EXPECT_EQ(table.Find("r")->ints[0], 2);
  // The segment summary per member, shares within the member.
  absl::StatusOr<RfmSegmentSummary> s = SummarizeSegments(*r);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->groups.size(), 2u);
  EXPECT_EQ(s->groups[0].summary.customers, 2);
  EXPECT_EQ(s->customers, 4);
  const ResultTable st = ToResultTable(*s);
  EXPECT_EQ(st.columns().front().name, "Region");
  EXPECT_EQ(st.num_rows(), 2 * s->groups[0].summary.rows.size());
  ASSERT_TRUE(st.Validate().ok());
  EXPECT_FALSE(ComputePareto(*r).ok());  // per group
}

TEST(RfmBy, CustomerScopeHandComputedAndConflict) {
  RfmOptions o = TinyOptions();
  o.by_scope = RfmByScope::kCustomer;
  // Region differs between A's lines: an error naming A and both regions.
  const OrderLines mixed = LinesWithAttribute(kTiny, "Region", kTinyRegion, Dict({"A", "B", "C"}));
  absl::StatusOr<RfmResult> bad = ComputeRfm(mixed, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("customer 'A' has lines in 'East' and 'West'"),
            std::string::npos)
      << bad.status();
  // Tier: A gold, B silver, C gold. Scores over all three customers once:
  // A (recency 5, f 2, m 150), B (20, 1, 200), C (1, 1, 10); n = 3, k = 2:
  // the cut is after the second. r: B 80, A 95 | C 99 -> B 1, A 1, C 2.
  // f: B 1, C 1 | A 2 -> 1, 1, 2. m: C 10, A 150 | B 200 -> C 1, A 1, B 2.
  o.by = "Tier";
  const OrderLines tiers =
      LinesWithAttribute(kTiny, "Tier", {"gold", "gold", "silver", "gold"}, Dict({"A", "B", "C"}));
  absl::StatusOr<RfmResult> r = ComputeRfm(tiers, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 2u);
  const RfmResult& gold = r->groups[0].result;
  ASSERT_EQ(gold.customers.size(), 2u);
  EXPECT_EQ(gold.customers[0].customer, 0);
  EXPECT_EQ(gold.customers[0].frequency, 2);
  EXPECT_EQ(gold.customers[0].monetary, 150);
  EXPECT_EQ((std::vector<int>{gold.scores[0].r, gold.scores[0].f, gold.scores[0].m}),
            (std::vector<int>{1, 2, 1}));
  EXPECT_EQ(gold.customers[1].customer, 2);
  EXPECT_EQ((std::vector<int>{gold.scores[1].r, gold.scores[1].f, gold.scores[1].m}),
            (std::vector<int>{2, 1, 1}));
  const RfmResult& silver = r->groups[1].result;
  ASSERT_EQ(silver.customers.size(), 1u);
  EXPECT_EQ((std::vector<int>{silver.scores[0].r, silver.scores[0].f, silver.scores[0].m}),
            (std::vector<int>{1, 1, 2}));
  EXPECT_EQ(gold.counts.lines, 3);
  EXPECT_EQ(silver.counts.lines, 1);
  EXPECT_EQ(r->counts.customers, 3);
}

// ---------------------------------------------------------------- reference

TEST(RfmBy, LinesScopeMatchesReferencePerMember) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<Line> lines = rfm_test::RandomLines(rng, seed % 4 == 3);
    RfmOptions o = rfm_test::RandomOptions(rng, lines, false);
    const std::vector<std::string> member = RandomMembers(rng, lines.size());
    const OrderLines t = LinesWithAttribute(lines, "Region", member);
    o.by = "Region";
    const auto want = ReferenceBy(lines, member, o);
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
      ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
      ExpectMatchesBy(want, *got, absl::StrCat("seed ", seed, " threads ", threads));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(RfmBy, CustomerScopeEqualsTheWholeSplitByMember) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<Line> lines = rfm_test::RandomLines(rng, seed % 2 == 1);
    RfmOptions o = rfm_test::RandomOptions(rng, lines, false);
    // One member per customer.
    std::vector<std::string> member;
    for (const Line& l : lines) member.push_back(l.customer % 3 == 0 ? "a" : "b");
    const OrderLines t = LinesWithAttribute(lines, "Tier", member);
    const rfm_test::RefOut whole = rfm_test::Reference(lines, o);
    o.by = "Tier";
    o.by_scope = RfmByScope::kCustomer;
    for (int threads : {1, 2}) {
      o.num_threads = threads;
      absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
      ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
      std::vector<FlatRow> rows;
      RfmCounts sum;
      for (const RfmGroup& g : got->groups) {
        for (const FlatRow& row : rfm_test::Flatten(g.result)) {
          EXPECT_EQ(g.label, row.customer % 3 == 0 ? "a" : "b") << "seed " << seed;
          rows.push_back(row);
        }
        sum.lines += g.result.counts.lines;
        sum.lines_in_window += g.result.counts.lines_in_window;
        sum.excluded_future += g.result.counts.excluded_future;
        sum.excluded_before_window += g.result.counts.excluded_before_window;
        sum.return_lines += g.result.counts.return_lines;
        sum.customers += g.result.counts.customers;
        sum.customers_only_returns += g.result.counts.customers_only_returns;
      }
      std::sort(rows.begin(), rows.end(),
                [](const FlatRow& a, const FlatRow& b) { return a.customer < b.customer; });
      ASSERT_EQ(rows, whole.rows) << "seed " << seed;
      rfm_test::ExpectSameCounts(sum, whole.counts);
      rfm_test::ExpectSameCounts(got->counts, whole.counts);
    }
  }
}

TEST(RfmBy, RowPermutationAndThreadsChangeNothing) {
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(seed + 1000);
    std::vector<Line> lines = rfm_test::RandomLines(rng, false);
    RfmOptions o = rfm_test::RandomOptions(rng, lines, true);
    std::vector<std::string> member = RandomMembers(rng, lines.size());
    o.by = "Region";
    absl::StatusOr<RfmResult> a = ComputeRfm(LinesWithAttribute(lines, "Region", member), o);
    ASSERT_TRUE(a.ok()) << a.status();
    std::vector<std::size_t> perm(lines.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<Line> pl;
    std::vector<std::string> pm;
    for (std::size_t i : perm) {
      pl.push_back(lines[i]);
      pm.push_back(member[i]);
    }
    o.num_threads = 2;
    absl::StatusOr<RfmResult> b = ComputeRfm(LinesWithAttribute(pl, "Region", pm), o);
    ASSERT_TRUE(b.ok()) << b.status();
    ASSERT_EQ(a->groups.size(), b->groups.size());
    for (std::size_t g = 0; g < a->groups.size(); ++g) {
      EXPECT_EQ(a->groups[g].label, b->groups[g].label);
      EXPECT_EQ(rfm_test::Flatten(a->groups[g].result), rfm_test::Flatten(b->groups[g].result))
          << "seed " << seed;
    }
  }
}

// ---------------------------------------------------------------- missing members

TEST(RfmBy, CustomersWithoutMasterRowAreTheGroupNone) {
  // Customers 0..2 in the master (tiers gold, silver, gold); 3 and 4 are not.
  DictionaryPtr codes = Dict({"A", "B", "C", "D", "E"});
  const std::vector<Line> lines = {{1, 10, 0, 100}, {2, 11, 1, 50}, {3, 12, 3, 70},
                                   {4, 13, 2, 20},  {5, 14, 4, 30}, {6, 15, 3, 10}};
  auto orders = std::make_shared<OrderLines>(rfm_test::MakeLines(lines, false, codes));
  CustomersColumns cc;
  cc.customer = Column<Id>::Own({0, 1, 2});
  cc.customers = codes;
  DictionaryPtr tiers = Dict({"gold", "silver"});
  cc.attributes.push_back({"Tier", Column<Id>::Own({0, 1, 0}), tiers});
  absl::StatusOr<Customers> customers = Customers::Build(std::move(cc));
  ASSERT_TRUE(customers.ok()) << customers.status();
  DatasetTables tables;
  tables.orders = orders;
  tables.customers = std::make_shared<Customers>(*std::move(customers));
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(tables));
  ASSERT_TRUE(data.ok()) << data.status();
  for (RfmByScope scope : {RfmByScope::kLines, RfmByScope::kCustomer}) {
    RfmOptions o;
    o.by = "Tier";
    o.by_scope = scope;
    absl::StatusOr<RfmResult> r = ComputeRfm(*data, o);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->groups.size(), 3u);
    // "(none)" < "gold" < "silver" bytewise.
    EXPECT_EQ(r->groups[0].label, "(none)");
    EXPECT_EQ(r->groups[0].member, kNoId);
    EXPECT_EQ(rfm_test::Flatten(r->groups[0].result).size(), 2u);  // D, E
    EXPECT_EQ(r->groups[0].result.customers[0].customer, 3);
    EXPECT_EQ(r->groups[1].label, "gold");
    EXPECT_EQ(r->groups[1].result.customers.size(), 2u);  // A, C
    EXPECT_EQ(r->groups[2].label, "silver");
    // D has two orders.
    EXPECT_EQ(r->groups[0].result.customers[0].frequency, 2);
  }
  // The missing value of an attribute column ("" cell) is a member like any other.
  const OrderLines t = LinesWithAttribute(kTiny, "Region", {"", "East", "", "East"});
  RfmOptions o;
  o.by = "Region";
  absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 2u);
  EXPECT_EQ(r->groups[0].label, "");
  EXPECT_EQ(r->groups[0].result.customers.size(), 2u);  // customers 0 and 1
}

// ---------------------------------------------------------------- errors

TEST(RfmBy, ErrorsNameTheDimensionAndPartialsRefuseBy) {
  const OrderLines t = LinesWithAttribute(kTiny, "Region", kTinyRegion);
  RfmOptions o;
  o.by = "Regon";
  absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Region"), std::string::npos) << r.status();  // did you mean
  o.by = "customer";
  EXPECT_FALSE(ComputeRfm(t, o).ok());
  o.by = "Region";
  EXPECT_FALSE(PartialRfm(t, 0, t.size(), o).ok());
  EXPECT_FALSE(RfmIncremental::Create(t, o).ok());
  RfmOptions plain;
  plain.as_of = 100;
  absl::StatusOr<RfmPartial> p = PartialRfm(t, 0, t.size(), plain);
  ASSERT_TRUE(p.ok());
  absl::Status st = AppendRfm(*p, t, o);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("takes no by ('Region')"), std::string::npos) << st;
  // Declared option: by_scope parses and rejects unknown names.
  RfmOptions d;
  ASSERT_TRUE(SetRfmOption(d, "by_scope", "customer").ok());
  EXPECT_EQ(d.by_scope, RfmByScope::kCustomer);
  EXPECT_FALSE(SetRfmOption(d, "by_scope", "rows").ok());
  ASSERT_TRUE(SetRfmOption(d, "by", "Sub-Category").ok());
  EXPECT_EQ(d.by, "Sub-Category");
}

TEST(RfmBy, GroupColumnNameAvoidsResultColumns) {
  EXPECT_EQ(RfmGroupColumnName("Region"), "Region");
  EXPECT_EQ(RfmGroupColumnName("segment"), "by_segment");
  EXPECT_EQ(RfmGroupColumnName("r"), "by_r");
  const OrderLines t = LinesWithAttribute(kTiny, "segment", kTinyRegion);
  RfmOptions o;
  o.by = "segment";
  absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(ToResultTable(*r, true).Validate().ok());
  EXPECT_EQ(ToResultTable(*r).columns().front().name, "by_segment");
}

// ---------------------------------------------------------------- CSV attributes

std::string TempCsv(const std::string& content, std::uint64_t seed) {
  const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = absl::StrCat(dir, "/rfm_by_", ::getpid(), "_", seed, ".csv");
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(RfmBy, AttributesFromTheCsvReaderMatchReference) {
  for (std::uint64_t seed = 0; seed < 80; ++seed) {
    std::mt19937_64 rng(seed + 77);
    std::vector<Line> lines = rfm_test::RandomLines(rng, seed % 2 == 0);
    if (lines.empty()) continue;
    RfmOptions o = rfm_test::RandomOptions(rng, lines, false);
    o.monetary = RfmMonetary::kRevenue;  // the CSV carries no cost
    const std::vector<std::string> member = RandomMembers(rng, lines.size());
    std::string csv = "order,date,customer,amount,Region\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Line& l = lines[i];
      absl::StrAppend(&csv, l.order, ",", FormatDate(l.day), ",K", l.customer, ",",
                      l.amount / 100, ".", absl::StrFormat("%02d", (l.amount < 0 ? -l.amount : l.amount) % 100),
                      ",", member[i], "\n");
    }
    // A negative amount above -1 needs its sign on the zero.
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].amount < 0 && lines[i].amount > -100) {
        lines[i].amount = -lines[i].amount;  // written as "0.xx": keep the reference in step
      }
    }
    const std::string path = TempCsv(csv, seed);
    Dictionaries dicts;
    IngestOptions io;
    absl::StatusOr<OrdersCsv> read = ReadOrdersCsv(path, io, dicts);
    std::remove(path.c_str());
    ASSERT_TRUE(read.ok()) << read.status();
    ASSERT_EQ(read->report.accepted, static_cast<std::int64_t>(lines.size())) << "seed " << seed;
    // The reference in the reader's customer ids.
    std::vector<Line> ref = lines;
    for (Line& l : ref) l.customer = dicts.customers->Find(absl::StrCat("K", l.customer));
    o.by = "Region";
    absl::StatusOr<RfmResult> got = ComputeRfm(read->table, o);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectMatchesBy(ReferenceBy(ref, member, o), *got, absl::StrCat("csv seed ", seed));
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace salesight
