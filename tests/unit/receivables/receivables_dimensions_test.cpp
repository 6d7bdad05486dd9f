// Aging and collection grouped by dimension NAMES, on exports read by the CSV
// readers: an attribute column of the invoices, a field reached through the
// customer relation (invoices without a region column), an attribute of the
// customers table. Each is checked against a plain reference written here on
// random data (many seeds), with invoices whose customer has no master row
// (the group "(none)"), and shuffling the files' rows changes nothing.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/csv.hpp"
#include "salesight/dataset.hpp"
#include "salesight/dimension.hpp"
#include "salesight/receivables.hpp"

namespace salesight {
namespace {

constexpr Day kAsOf = 19900;
const std::vector<std::int32_t> kCuts = {0, 30, 60, 90};

std::string WriteTemp(const std::string& tag, const std::string& content) {
  const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path =
      absl::StrCat(dir, "/recv_dims_", ::getpid(), "_", tag, ".csv");
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

struct Row {  // one invoice as written to the CSV
  int invoice;
  std::string customer;
  Day date, due;
  Money amount, paid;
  Day paid_date;  // kNoDate = unpaid
  std::string channel;  // an attribute ("" is a member of its own)
};

struct Master {  // one customers row
  std::string customer, region, tier;
};

struct Data {
  std::vector<Row> rows;
  std::vector<Master> customers;  // C7 and C8 have no row: their invoices have no region
};

Data RandomData(std::uint32_t seed) {
  std::mt19937 rng(seed);
  Data d;
  const char* const kChannels[] = {"Web", "Shop", "", "直销"};
  const int n = 40 + static_cast<int>(rng() % 200);
  for (int i = 0; i < n; ++i) {
    Row r;
    r.invoice = 1000 + i;
    r.customer = absl::StrCat("C", 1 + rng() % 8);
    r.date = kAsOf - static_cast<Day>(rng() % 200) + 15;  // some after as_of
    r.due = r.date + static_cast<Day>(rng() % 60);
    r.amount = static_cast<Money>(rng() % 100000) - 3000;  // a few credit notes
    r.paid = r.amount > 0 && rng() % 2 ? static_cast<Money>(rng() % (r.amount + r.amount / 5 + 1))
                                       : 0;
    r.paid_date = r.paid > 0 ? r.date + static_cast<Day>(rng() % 120) - 5 : kNoDate;
    r.channel = kChannels[rng() % 4];
    d.rows.push_back(r);
  }
  const char* const kRegions[] = {"华东", "North", "South"};
  for (int c = 1; c <= 6; ++c) {
    d.customers.push_back(Master{absl::StrCat("C", c), kRegions[rng() % 3],
                                 rng() % 2 ? "Gold" : "Silver"});
  }
  return d;
}

std::string Money2(Money cents) {
  const Money a = cents < 0 ? -cents : cents;
  return absl::StrCat(cents < 0 ? "-" : "", a / 100, ".", (a % 100) / 10, a % 10);
}

// The CSV texts, rows in `order`.
std::string InvoicesCsvText(const Data& d, const std::vector<std::size_t>& order) {
  std::string s = "Invoice,Cust,Date,Due,Amount,Paid,PaidOn,Channel\n";
  for (std::size_t k : order) {
    const Row& r = d.rows[k];
    absl::StrAppend(&s, r.invoice, ",", r.customer, ",", FormatDate(r.date), ",",
                    FormatDate(r.due), ",", Money2(r.amount), ",", Money2(r.paid), ",",
                    r.paid_date == kNoDate ? "" : FormatDate(r.paid_date), ",", r.channel, "\n");
  }
  return s;
}

std::string CustomersCsvText(const Data& d, bool reversed) {
  std::vector<Master> m = d.customers;
  if (reversed) std::reverse(m.begin(), m.end());
  std::string s = "Cust,Region,Tier\n";
  for (const Master& c : m) absl::StrAppend(&s, c.customer, ",", c.region, ",", c.tier, "\n");
  return s;
}

// The exports as the CLI loads them: one set of dictionaries, ids canonical.
struct Loaded {
  Dictionaries dicts;
  InvoicesCsv invoices;
  CustomersCsv customers;
  Dataset data;
};

std::unique_ptr<Loaded> Load(const Data& d, const std::vector<std::size_t>& order, bool reversed) {
  auto l = std::make_unique<Loaded>();
  IngestOptions io;
  io.mapping = ParseFieldMapping("invoice=Invoice,customer=Cust,date=Date,due=Due,amount=Amount,"
                                 "paid=Paid,paid_date=PaidOn")
                   .value();
  l->invoices = ReadInvoicesCsv(WriteTemp("inv", InvoicesCsvText(d, order)), io, l->dicts).value();
  IngestOptions co;
  co.mapping = ParseFieldMapping("customer=Cust,region=Region").value();
  l->customers =
      ReadCustomersCsv(WriteTemp("cust", CustomersCsvText(d, reversed)), co, l->dicts).value();
  CsvLoad load;
  load.invoices = &l->invoices;
  load.customers = &l->customers;
  EXPECT_TRUE(CanonicalizeIds(l->dicts, load).ok());
  l->data = test_data::TestData(
      {.customers = &l->customers.table, .invoices = &l->invoices.table});
  return l;
}

// ---------------------------------------------------------------- references

std::string MemberOf(const Data& d, const Row& r, const std::string& by) {
  if (by == "Channel") return r.channel;
  for (const Master& c : d.customers) {
    if (c.customer == r.customer) return by == "region" ? c.region : c.tier;
  }
  return "(none)";  // no customers row: the missing member
}

// Label -> bucket sums, straight from receivables.hpp's definitions.
std::map<std::string, std::vector<Money>> RefAging(const Data& d, const std::string& by) {
  std::map<std::string, std::vector<Money>> out;
  for (const Row& r : d.rows) {
    if (r.date > kAsOf) continue;
    const Money paid = r.paid_date != kNoDate && r.paid_date <= kAsOf ? r.paid : 0;
    const Money open = r.amount - paid;
    if (open <= 0) continue;
    const std::int32_t age = kAsOf - r.due;
    std::size_t bucket = 0;
    while (bucket < kCuts.size() && age > kCuts[bucket]) ++bucket;
    std::vector<Money>& cells = out[MemberOf(d, r, by)];
    cells.resize(kCuts.size() + 1);
    cells[bucket] += open;
  }
  return out;
}

// Label -> (billed, collected) over invoices due in (-inf, as_of].
std::map<std::string, std::pair<Money, Money>> RefCollection(const Data& d,
                                                             const std::string& by) {
  std::map<std::string, std::pair<Money, Money>> out;
  for (const Row& r : d.rows) {
    if (r.due > kAsOf) continue;
    auto& [billed, collected] = out[MemberOf(d, r, by)];
    billed += r.amount;
    if (r.paid_date != kNoDate && r.paid_date <= kAsOf) collected += r.paid;
  }
  return out;
}

// The result as label -> sums, plus the labels in output order.
std::map<std::string, std::vector<Money>> GotAging(const AgingResult& a,
                                                   std::vector<std::string>* labels) {
  std::map<std::string, std::vector<Money>> out;
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    const std::string label = DimensionLabel(a.group_codes, a.groups[g]);
    labels->push_back(label);
    for (std::size_t b = 0; b < a.num_buckets(); ++b) out[label].push_back(a.amount(g, b));
  }
  return out;
}

AgingOptions Aging(const std::string& by) {
  AgingOptions o;
  o.as_of = kAsOf;
  o.group_by = by;
  o.num_threads = 2;
  return o;
}

CollectionOptions Collection(const std::string& by) {
  CollectionOptions o;
  o.as_of = kAsOf;
  o.group_by = by;
  o.rate_only = true;
  return o;
}

// Group ids follow the codes' canonical order, the missing member first.
void ExpectCanonical(const AgingResult& a) {
  for (std::size_t g = 1; g < a.groups.size(); ++g) EXPECT_LT(a.groups[g - 1], a.groups[g]);
}

TEST(ReceivablesDimensions, AgingByAnyNameMatchesTheReference) {
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const Data d = RandomData(seed);
    std::vector<std::size_t> order(d.rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto l = Load(d, order, false);
    for (const std::string by : {"Channel", "region", "Tier"}) {
      SCOPED_TRACE(absl::StrCat("seed ", seed, " by ", by));
      absl::StatusOr<AgingResult> a = ComputeAging(l->data, Aging(by));
      ASSERT_TRUE(a.ok()) << a.status();
      std::vector<std::string> labels;
      EXPECT_EQ(GotAging(*a, &labels), RefAging(d, by));
      ExpectCanonical(*a);
      if (!a->groups.empty() && a->groups.front() == kNoId) {
        EXPECT_EQ(labels.front(), "(none)");  // the missing member sorts first
      }
      absl::StatusOr<CollectionResult> c = ComputeCollection(l->data, Collection(by));
      ASSERT_TRUE(c.ok()) << c.status();
      std::map<std::string, std::pair<Money, Money>> got;
      for (const CollectionRow& row : c->rows) {
        got[DimensionLabel(c->group_codes, row.group)] = {row.sums.billed, row.sums.collected};
      }
      EXPECT_EQ(got, RefCollection(d, by));
    }
  }
}

TEST(ReceivablesDimensions, MissingMembersAreOneNullGroupInTheTable) {
  Data d;
  // Cents that keep the money scale at 2.
  d.rows = {{1, "C1", kAsOf - 10, kAsOf - 5, 501, 0, kNoDate, "Web"},
            {2, "C9", kAsOf - 50, kAsOf - 40, 702, 0, kNoDate, "Web"},
            {3, "C8", kAsOf - 10, kAsOf + 5, 303, 0, kNoDate, "Web"}};
  d.customers = {{"C1", "North", "Gold"}};
  const auto l = Load(d, {0, 1, 2}, false);
  absl::StatusOr<AgingResult> a = ComputeAging(l->data, Aging("region"));
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->groups.size(), 2u);
  EXPECT_EQ(a->groups[0], kNoId);  // C8 and C9: one group
  EXPECT_EQ(a->totals[0], 1005);
  EXPECT_EQ(a->totals[1], 501);
  const ResultTable t = ToResultTable(*a);
  const ResultColumn* region = t.Find("region");
  ASSERT_NE(region, nullptr);
  EXPECT_TRUE(region->is_null(0));
  EXPECT_EQ(region->StringAt(1), "North");
}

TEST(ReceivablesDimensions, ShuffledRowsGiveIdenticalResults) {
  for (std::uint32_t seed = 40; seed < 50; ++seed) {
    const Data d = RandomData(seed);
    std::vector<std::size_t> order(d.rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto base = Load(d, order, false);
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    const auto shuffled = Load(d, order, true);
    for (const std::string by : {"Channel", "region", "Tier", ""}) {
      SCOPED_TRACE(absl::StrCat("seed ", seed, " by '", by, "'"));
      const AgingResult a = ComputeAging(base->data, Aging(by)).value();
      const AgingResult b = ComputeAging(shuffled->data, Aging(by)).value();
      if (!by.empty()) {  // the labels as printed
        EXPECT_EQ(ToResultTable(a).Find(by)->Texts(), ToResultTable(b).Find(by)->Texts());
      }
      EXPECT_EQ(a.groups, b.groups);
      EXPECT_EQ(a.amounts, b.amounts);
      const CollectionResult c = ComputeCollection(base->data, Collection(by)).value();
      const CollectionResult e = ComputeCollection(shuffled->data, Collection(by)).value();
      ASSERT_EQ(c.rows.size(), e.rows.size());
      for (std::size_t k = 0; k < c.rows.size(); ++k) {
        EXPECT_EQ(c.rows[k].group, e.rows[k].group);
        EXPECT_EQ(c.rows[k].sums.billed, e.rows[k].sums.billed);
        EXPECT_EQ(c.rows[k].sums.collected, e.rows[k].sums.collected);
      }
    }
  }
}

TEST(ReceivablesDimensions, UnknownNameListsTheValidOnes) {
  const Data d = RandomData(3);
  std::vector<std::size_t> order(d.rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto l = Load(d, order, false);
  const absl::Status st = ComputeAging(l->data, Aging("Chanel")).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Channel"), std::string::npos) << st;  // did you mean
}

TEST(ReceivablesDimensions, PartialsOfARelatedDimensionMerge) {
  const Data d = RandomData(77);
  std::vector<std::size_t> order(d.rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto l = Load(d, order, false);
  const AgingOptions o = Aging("region");
  const std::size_t n = l->invoices.table.size(), cut = n / 3;
  AgingPartial p = PartialAging(l->data, 0, cut, o).value();
  ASSERT_TRUE(MergeAging(p, PartialAging(l->data, cut, n, o).value()).ok());
  const AgingResult merged = FinishAging(std::move(p), o).value();
  const AgingResult whole = ComputeAging(l->data, o).value();
  EXPECT_EQ(merged.groups, whole.groups);
  EXPECT_EQ(merged.amounts, whole.amounts);
  const CollectionOptions c = Collection("Tier");
  CollectionPartial q = PartialCollection(l->data, 0, cut, c).value();
  ASSERT_TRUE(MergeCollection(q, PartialCollection(l->data, cut, n, c).value()).ok());
  const CollectionResult cm = FinishCollection(std::move(q), c).value();
  const CollectionResult cw = ComputeCollection(l->data, c).value();
  ASSERT_EQ(cm.rows.size(), cw.rows.size());
  for (std::size_t k = 0; k < cm.rows.size(); ++k) {
    EXPECT_EQ(cm.rows[k].group, cw.rows[k].group);
    EXPECT_EQ(cm.rows[k].sums.billed, cw.rows[k].sums.billed);
  }
}

}  // namespace
}  // namespace salesight
