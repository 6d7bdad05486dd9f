// Contribution by dimension NAMES on exports read by the CSV readers: an
// attribute column of the orders ("Sub-Category"), a field (region), the
// product relation's category and an attribute of the products table
// ("Brand"). Checked against a plain reference written here on random data
// (many seeds), with lines whose product has no master row (the member
// "(none)", key -1, first), and shuffled rows give identical results.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/contribution.hpp"
#include "salesight/csv.hpp"
#include "salesight/dimension.hpp"

namespace salesight {
namespace {

std::string WriteTemp(const std::string& tag, const std::string& content) {
  const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = absl::StrCat(dir, "/contrib_dims_", ::getpid(), "_", tag, ".csv");
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

struct Line {
  int order;
  Day date;
  std::string customer, product, region, sub;
  Money cents;
};

struct Product {
  std::string product, category, brand;
};

struct Data {
  std::vector<Line> lines;
  std::vector<Product> products;  // P7, P8 have no row
};

Data RandomData(std::uint32_t seed) {
  std::mt19937 rng(seed);
  Data d;
  const char* const kSubs[] = {"Chairs", "Desks", "", "纸张"};
  const char* const kRegions[] = {"N", "S", "East"};
  const int n = 30 + static_cast<int>(rng() % 250);
  for (int i = 0; i < n; ++i) {
    d.lines.push_back(Line{i / 2, 19000 + static_cast<Day>(rng() % 300),
                           absl::StrCat("C", rng() % 9), absl::StrCat("P", 1 + rng() % 8),
                           kRegions[rng() % 3], kSubs[rng() % 4],
                           static_cast<Money>(rng() % 100000) - 10000 + 1});
  }
  const char* const kBrands[] = {"Acme", "Zeta", "Bolt"};
  for (int p = 1; p <= 6; ++p) {
    d.products.push_back(Product{absl::StrCat("P", p), p % 2 ? "Furniture" : "Office",
                                 kBrands[rng() % 3]});
  }
  return d;
}

std::string Money2(Money cents) {
  const Money a = cents < 0 ? -cents : cents;
  return absl::StrCat(cents < 0 ? "-" : "", a / 100, ".", (a % 100) / 10, a % 10);
}

struct Loaded {
  Dictionaries dicts;
  OrdersCsv orders;
  ProductsCsv products;
  Dataset data;
};

std::unique_ptr<Loaded> Load(const Data& d, const std::vector<std::size_t>& order, bool reversed) {
  std::string o = "Order,Date,Cust,Product,Region,Sub-Category,Sales\n";
  for (std::size_t k : order) {
    const Line& l = d.lines[k];
    absl::StrAppend(&o, l.order, ",", FormatDate(l.date), ",", l.customer, ",", l.product, ",",
                    l.region, ",", l.sub, ",", Money2(l.cents), "\n");
  }
  std::vector<Product> ps = d.products;
  if (reversed) std::reverse(ps.begin(), ps.end());
  std::string p = "Product,Category,Brand\n";
  for (const Product& x : ps) absl::StrAppend(&p, x.product, ",", x.category, ",", x.brand, "\n");
  auto l = std::make_unique<Loaded>();
  IngestOptions oo;
  oo.mapping = ParseFieldMapping(
                   "order=Order,date=Date,customer=Cust,product=Product,region=Region,"
                   "amount=Sales")
                   .value();
  l->orders = ReadOrdersCsv(WriteTemp("orders", o), oo, l->dicts).value();
  IngestOptions po;
  po.mapping = ParseFieldMapping("product=Product,category=Category").value();
  l->products = ReadProductsCsv(WriteTemp("products", p), po, l->dicts).value();
  CsvLoad load;
  load.orders = &l->orders;
  load.products = &l->products;
  EXPECT_TRUE(CanonicalizeIds(l->dicts, load).ok());
  l->data = test_data::OrdersData(l->orders.table, &l->products.table);
  return l;
}

std::string MemberOf(const Data& d, const Line& l, const std::string& by) {
  if (by == "Sub-Category") return l.sub;
  if (by == "region") return l.region;
  for (const Product& p : d.products) {
    if (p.product == l.product) return by == "category" ? p.category : p.brand;
  }
  return "(none)";
}

using Key = std::vector<std::string>;

std::map<Key, Money> Reference(const Data& d, const std::vector<std::string>& dims) {
  std::map<Key, Money> out;
  for (const Line& l : d.lines) {
    Key k;
    for (const std::string& dim : dims) k.push_back(MemberOf(d, l, dim));
    out[k] += l.cents;
  }
  return out;
}

std::map<Key, Money> Got(const ContributionResult& r, std::size_t dims) {
  std::map<Key, Money> out;
  for (const ContributionItem& item : r.items) {
    Key k;
    for (std::size_t i = 0; i < dims; ++i) {
      k.push_back(DimensionLabel(r.dictionaries[i], static_cast<Id>(item.key[i])));
    }
    out[k] = item.value;
  }
  return out;
}

const std::vector<std::vector<std::string>> kDims = {
    {"Sub-Category"}, {"Sub-Category", "region"}, {"Brand"}, {"category", "Sub-Category"}};

TEST(ContributionByName, AnyNameMatchesTheReference) {
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const Data d = RandomData(seed);
    std::vector<std::size_t> order(d.lines.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto l = Load(d, order, false);
    for (const std::vector<std::string>& dims : kDims) {
      SCOPED_TRACE(absl::StrCat("seed ", seed, " by ", dims[0]));
      ContributionOptions o;
      o.dimensions = dims;
      o.num_threads = 2;
      absl::StatusOr<ContributionResult> r = ComputeContribution(l->data, o);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(Got(*r, dims.size()), Reference(d, dims));
      // Canonical order: ascending by key (the missing member -1 first).
      for (std::size_t i = 1; i < r->items.size(); ++i) {
        EXPECT_LT(r->items[i - 1].key, r->items[i].key);
      }
      std::int64_t units = 0;
      for (const ContributionItem& item : r->items) units += item.share_pct_units.value_or(0);
      if (r->total != 0) {
        EXPECT_EQ(units, 1000);  // 100.0 with one decimal
      }
    }
  }
}

TEST(ContributionByName, MissingMemberPrintsNull) {
  Data d;
  d.lines = {{1, 19000, "C1", "P1", "N", "Desks", 1001}, {2, 19001, "C1", "P9", "N", "Desks", 2002}};
  d.products = {{"P1", "Office", "Acme"}};
  const auto l = Load(d, {0, 1}, false);
  ContributionOptions o;
  o.dimensions = {"Brand"};
  const ContributionResult r = ComputeContribution(l->data, o).value();
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].key[0], -1);
  EXPECT_EQ(r.items[0].value, 2002);
  const ResultTable t = ToResultTable(r);
  EXPECT_TRUE(t.Find("Brand")->is_null(0));
  EXPECT_EQ(t.Find("Brand")->StringAt(1), "Acme");
}

TEST(ContributionByName, ShuffledRowsGiveIdenticalResults) {
  for (std::uint32_t seed = 50; seed < 60; ++seed) {
    const Data d = RandomData(seed);
    std::vector<std::size_t> order(d.lines.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto base = Load(d, order, false);
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    const auto shuffled = Load(d, order, true);
    for (const std::vector<std::string>& dims : kDims) {
      ContributionOptions o;
      o.dimensions = dims;
      const ContributionResult a = ComputeContribution(base->data, o).value();
      const ContributionResult b = ComputeContribution(shuffled->data, o).value();
      ASSERT_EQ(a.items.size(), b.items.size());
      for (std::size_t i = 0; i < a.items.size(); ++i) {
        EXPECT_EQ(a.items[i].key, b.items[i].key);
        EXPECT_EQ(a.items[i].value, b.items[i].value);
        EXPECT_EQ(a.items[i].share_pct_units, b.items[i].share_pct_units);
      }
      for (const std::string& dim : dims) {
        EXPECT_EQ(ToResultTable(a).Find(dim)->Texts(), ToResultTable(b).Find(dim)->Texts());
      }
    }
  }
}

TEST(ContributionByName, UnknownNameListsTheValidOnes) {
  const Data d = RandomData(5);
  std::vector<std::size_t> order(d.lines.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto l = Load(d, order, false);
  ContributionOptions o;
  o.dimensions = {"SubCategory"};
  const absl::Status st = ComputeContribution(l->data, o).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Sub-Category"), std::string::npos) << st;
}

}  // namespace
}  // namespace salesight
