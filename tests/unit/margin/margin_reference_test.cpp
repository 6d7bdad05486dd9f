// The margin calculator against a plain, row-by-row reference written from
// the header's definitions (std::map of key vectors, Boost for calendar
// keys), on random data over many seeds, thread counts, groupings, filters,
// cost sources and partitions.
#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::MakeRandomData;
using margin_test::RandomCost;
using margin_test::RandomData;
using margin_test::ToBoost;

// ---------------------------------------------------------------- reference

struct RefSums {
  std::int64_t lines = 0, quantity = 0;
  Money revenue = 0, cost = 0;
  std::int64_t unknown_lines = 0;
  Money unknown_revenue = 0;
};

struct RefResult {
  std::map<std::vector<std::int64_t>, RefSums> groups;
  std::int64_t outside = 0;
  std::array<std::int64_t, kNumCostSources> by_source{};
};

// Cost of line i and its source, by the header's rules, looked up naively.
std::pair<CostSource, Money> RefCost(const RandomData& d, bool with_products, std::size_t i,
                                     ProductCostOrder order) {
  const auto& l = d.lines;
  if (!l.cost.empty()) return {CostSource::kLineCost, l.cost[i]};
  if (!l.unit_cost.empty()) return {CostSource::kUnitCost, l.quantity[i] * l.unit_cost[i]};
  if (!with_products || l.quantity.empty()) return {CostSource::kUnknownCost, 0};
  const auto& p = d.products;
  const Id product = l.product[i];
  const std::int64_t q = l.quantity[i];
  const std::int64_t abs_q = q < 0 ? -q : q;
  const Money div = p.money_scale == 3 ? 10 : 1;
  std::optional<Money> standard, tier;
  bool listed = false;
  for (std::size_t r = 0; r < p.product.size(); ++r) {
    if (p.product[r] != product) continue;
    listed = true;
    if (!p.standard_cost.empty() && p.standard_cost[r] != kNoStandardCost) {
      standard = p.standard_cost[r] / div;
    }
  }
  if (!listed) return {CostSource::kUnknownCost, 0};
  std::int32_t best_min = -1;
  for (const CostTier& t : p.tiers) {
    if (t.product == product && t.min_quantity <= abs_q && t.min_quantity > best_min) {
      best_min = t.min_quantity;
      tier = t.unit_cost / div;
    }
  }
  if (order == ProductCostOrder::kStandardThenTier) {
    if (standard) return {CostSource::kStandardCost, q * *standard};
    if (tier) return {CostSource::kTierCost, q * *tier};
  } else {
    if (tier) return {CostSource::kTierCost, q * *tier};
    if (standard) return {CostSource::kStandardCost, q * *standard};
  }
  return {CostSource::kUnknownCost, 0};
}

std::int64_t RefPeriod(Day day, Grain period) {
  const boost::gregorian::date date = ToBoost(day);
  const int y = date.year(), m = date.month();
  switch (period.unit) {
    case GrainUnit::kDay: return day;
    case GrainUnit::kIsoWeek: {
      const int dow = date.day_of_week();  // Sunday = 0
      const int iso_dow = dow == 0 ? 7 : dow;
      const boost::gregorian::date thursday = date + boost::gregorian::days(4 - iso_dow);
      return std::int64_t{thursday.year()} * 100 + date.week_number();
    }
    case GrainUnit::kMonth: return y * 100 + m;
    case GrainUnit::kQuarter: return y * 10 + (m - 1) / 3 + 1;
    case GrainUnit::kYear: return y;
    case GrainUnit::kFiscalYear: {
      const int s = period.fiscal_start_month;
      return m >= s ? y : y - 1;
    }
  }
  return 0;
}

RefResult Reference(const RandomData& d, bool with_products, const MarginOptions& o) {
  RefResult r;
  const auto& l = d.lines;
  for (std::size_t i = 0; i < l.size(); ++i) {
    if ((o.from != kNoDate && l.date[i] < o.from) || (o.to != kNoDate && l.date[i] > o.to)) {
      ++r.outside;
      continue;
    }
    std::vector<std::int64_t> key;
    for (const std::string& dim : o.group_by.dimensions) {
      if (dim == "product") {
        key.push_back(l.product[i]);
      } else if (dim == "category") {
        std::int64_t cat = -1;
        for (std::size_t p = 0; p < d.products.product.size(); ++p) {
          if (d.products.product[p] == l.product[i]) cat = d.products.category[p];
        }
        key.push_back(cat);
      } else if (dim == "customer") {
        key.push_back(l.customer[i]);
      } else if (dim == "region") {
        key.push_back(l.region[i]);
      } else if (dim == "salesperson") {
        key.push_back(l.salesperson[i]);
      } else if (dim == "channel") {
        key.push_back(l.channel[i]);
      } else if (dim == "department") {
        key.push_back(l.department[i]);
      } else if (dim == "order") {
        key.push_back(l.order_id[i]);
      } else {
        key.push_back(RefPeriod(l.date[i], *ParseGrain(dim)));
      }
    }
    const auto [source, cost] = RefCost(d, with_products, i, o.product_cost_order);
    RefSums& s = r.groups[key];
    s.lines += 1;
    s.quantity += l.quantity.empty() ? 0 : l.quantity[i];
    s.revenue += l.amount[i];
    r.by_source[static_cast<std::size_t>(source)] += 1;
    if (source == CostSource::kUnknownCost) {
      s.unknown_lines += 1;
      s.unknown_revenue += l.amount[i];
    } else {
      s.cost += cost;
    }
  }
  return r;
}

std::optional<double> Div(double a, double b) {
  if (b == 0) return std::nullopt;
  return a / b;
}

void ExpectMatchesReference(const MarginResult& got, const RefResult& ref,
                            const MarginOptions& o, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(got.groups.size(), ref.groups.size());
  EXPECT_EQ(got.lines_outside_range, ref.outside);
  EXPECT_EQ(got.lines_by_cost_source, ref.by_source);
  Money total_revenue = 0, total_margin = 0;
  for (const auto& [key, s] : ref.groups) {
    total_revenue += s.revenue;
    total_margin += s.revenue - s.unknown_revenue - s.cost;
  }
  EXPECT_EQ(got.total.revenue, total_revenue);
  EXPECT_EQ(got.total.margin, total_margin);
  const double margin_den = o.margin_share_sign == MarginShareSign::kSignOfGroup
                                ? std::abs(static_cast<double>(total_margin))
                                : static_cast<double>(total_margin);
  std::size_t row = 0;
  for (const auto& [key, s] : ref.groups) {
    const MarginGroup& g = got.groups[row++];
    for (std::size_t d = 0; d < key.size(); ++d) ASSERT_EQ(g.key[d], key[d]) << "dim " << d;
    const MarginFigures& f = g.figures;
    EXPECT_EQ(f.lines, s.lines);
    EXPECT_EQ(f.quantity, s.quantity);
    EXPECT_EQ(f.revenue, s.revenue);
    EXPECT_EQ(f.cost, s.cost);
    EXPECT_EQ(f.cost_unknown_lines, s.unknown_lines);
    EXPECT_EQ(f.cost_unknown_revenue, s.unknown_revenue);
    const Money costed = s.revenue - s.unknown_revenue;
    const Money margin = costed - s.cost;
    EXPECT_EQ(f.margin, margin);
    EXPECT_EQ(f.margin_pct, Div(100.0 * static_cast<double>(margin), static_cast<double>(costed)));
    EXPECT_EQ(f.revenue_share, Div(static_cast<double>(s.revenue), static_cast<double>(total_revenue)));
    EXPECT_EQ(f.margin_share, Div(static_cast<double>(margin), margin_den));
  }
}

void ExpectSameResult(const MarginResult& a, const MarginResult& b) {
  ASSERT_EQ(a.groups.size(), b.groups.size());
  EXPECT_EQ(a.lines_outside_range, b.lines_outside_range);
  EXPECT_EQ(a.lines_by_cost_source, b.lines_by_cost_source);
  EXPECT_EQ(a.has_quantity, b.has_quantity);
  for (std::size_t i = 0; i < a.groups.size(); ++i) {
    EXPECT_EQ(a.groups[i].key, b.groups[i].key);
    const MarginFigures &x = a.groups[i].figures, &y = b.groups[i].figures;
    EXPECT_EQ(x.lines, y.lines);
    EXPECT_EQ(x.quantity, y.quantity);
    EXPECT_EQ(x.revenue, y.revenue);
    EXPECT_EQ(x.cost, y.cost);
    EXPECT_EQ(x.margin, y.margin);
    EXPECT_EQ(x.cost_unknown_lines, y.cost_unknown_lines);
    EXPECT_EQ(x.cost_unknown_revenue, y.cost_unknown_revenue);
    EXPECT_EQ(x.margin_pct, y.margin_pct);
    EXPECT_EQ(x.revenue_share, y.revenue_share);
    EXPECT_EQ(x.margin_share, y.margin_share);
  }
}

// Random options valid for the data.
MarginOptions RandomOptions(std::mt19937_64& rng, const RandomData& d, bool with_products) {
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  MarginOptions o;
  std::vector<std::string> pool = {
      "product", "customer",    "region",
      "salesperson", "channel", "department",
      "order",   "<period>"};
  if (with_products && !d.products.product.empty()) pool.push_back("category");
  std::shuffle(pool.begin(), pool.end(), rng);
  o.group_by.dimensions.assign(pool.begin(), pool.begin() + uni(0, 4));
  const Grain period(static_cast<GrainUnit>(uni(0, 5)), static_cast<int>(uni(1, 12)));
  for (std::string& name : o.group_by.dimensions) {
    if (name == "<period>") name = margin_test::GrainSpec(period);
  }
  o.product_cost_order = static_cast<ProductCostOrder>(uni(0, 1));
  o.margin_share_sign = static_cast<MarginShareSign>(uni(0, 1));
  const Day mid = D(2023, 6, 1);
  switch (uni(0, 3)) {
    case 0: break;
    case 1: o.from = mid - static_cast<Day>(uni(0, 200)); break;
    case 2: o.to = mid + static_cast<Day>(uni(0, 200)); break;
    default:
      o.from = mid - static_cast<Day>(uni(0, 200));
      o.to = o.from + static_cast<Day>(uni(0, 300));
  }
  if (uni(0, 3) == 0) o.max_dense_groups = 1;  // force the hash path
  return o;
}

TEST(MarginReferenceTest, RandomDataMatchesReferenceForAnyThreadCount) {
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 160; ++seed) {
    const RandomData d = MakeRandomData(seed);
    auto orders = d.lines.Build();
    ASSERT_TRUE(orders.ok()) << orders.status();
    auto products = d.products.Build();
    ASSERT_TRUE(products.ok()) << products.status();
    std::mt19937_64 rng(seed * 7919);
    for (int round = 0; round < 3; ++round) {
      const bool with_products = rng() % 4 != 0;
      MarginOptions o = RandomOptions(rng, d, with_products);
      const RefResult ref = Reference(d, with_products, o);
      for (int threads : {1, 2, 3}) {
        o.num_threads = threads;
        auto got = ComputeMargin(*orders, with_products ? &*products : nullptr, o);
        ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
        ExpectMatchesReference(*got, ref, o,
                               "seed " + std::to_string(seed) + " round " +
                                   std::to_string(round) + " threads " + std::to_string(threads));
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 160 * 3 * 3);
}

// Partition property: finish(merge(partial(a), partial(b), ...)) equals the
// result on the whole, for random cuts merged in random order.
TEST(MarginReferenceTest, AnyPartitionMergedInAnyOrderGivesTheSameResult) {
  for (std::uint64_t seed = 300; seed < 420; ++seed) {
    const RandomData d = MakeRandomData(seed);
    auto orders = d.lines.Build();
    ASSERT_TRUE(orders.ok());
    auto products = d.products.Build();
    ASSERT_TRUE(products.ok());
    std::mt19937_64 rng(seed);
    const MarginOptions o = RandomOptions(rng, d, true);
    auto whole = ComputeMargin(*orders, &*products, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    const std::size_t n = orders->size();
    std::vector<std::size_t> cuts = {0, n};
    for (int k = 0; k < 4; ++k) cuts.push_back(n == 0 ? 0 : rng() % (n + 1));
    std::sort(cuts.begin(), cuts.end());
    std::vector<MarginPartial> parts;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      auto p = PartialMargin(*orders, &*products, cuts[k], cuts[k + 1], o);
      ASSERT_TRUE(p.ok()) << p.status();
      parts.push_back(std::move(*p));
    }
    std::shuffle(parts.begin(), parts.end(), rng);
    MarginPartial merged = parts[0];
    for (std::size_t k = 1; k < parts.size(); ++k) {
      ASSERT_TRUE(MergeMargin(merged, parts[k]).ok());
    }
    auto finished = FinishMargin(std::move(merged), o);
    ASSERT_TRUE(finished.ok());
    SCOPED_TRACE("seed " + std::to_string(seed));
    ExpectSameResult(*finished, *whole);
  }
}

// Grouping sets in one pass equal separate passes.
TEST(MarginReferenceTest, GroupingSetsEqualSeparateRuns) {
  for (std::uint64_t seed = 500; seed < 560; ++seed) {
    const RandomData d = MakeRandomData(seed);
    auto orders = d.lines.Build();
    ASSERT_TRUE(orders.ok());
    auto products = d.products.Build();
    ASSERT_TRUE(products.ok());
    std::mt19937_64 rng(seed);
    std::vector<MarginGrouping> sets;
    MarginOptions o;
    for (int k = 0; k < 3; ++k) {
      o = RandomOptions(rng, d, true);
      sets.push_back(o.group_by);
    }
    o.num_threads = 2;
    auto all = ComputeMarginSets(*orders, &*products, sets, o);
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->size(), sets.size());
    for (std::size_t k = 0; k < sets.size(); ++k) {
      MarginOptions one = o;
      one.group_by = sets[k];
      one.num_threads = 1;
      auto single = ComputeMargin(*orders, &*products, one);
      ASSERT_TRUE(single.ok());
      ExpectSameResult((*all)[k], *single);
    }
  }
}

// One amount of 4.5e15 (2^52) makes rows x 2^bits exceed 2^63, so the range
// is re-run on the checked path; the sums themselves stay far from overflow
// and must equal the reference exactly.
TEST(MarginReferenceTest, HugeAmountTakesTheCheckedPath) {
  for (std::uint64_t seed = 700; seed < 740; ++seed) {
    RandomData d = MakeRandomData(seed, 4000);
    if (d.lines.size() < 2) continue;
    std::mt19937_64 rng(seed);
    d.lines.amount[rng() % d.lines.size()] = 4'500'000'000'000'000;
    auto orders = d.lines.Build();
    ASSERT_TRUE(orders.ok());
    auto products = d.products.Build();
    ASSERT_TRUE(products.ok());
    MarginOptions o = RandomOptions(rng, d, true);
    const RefResult ref = Reference(d, true, o);
    for (int threads : {1, 2}) {
      o.num_threads = threads;
      auto got = ComputeMargin(*orders, &*products, o);
      ASSERT_TRUE(got.ok()) << got.status();
      ExpectMatchesReference(*got, ref, o, "seed " + std::to_string(seed));
    }
  }
}

// The multi-threaded path on inputs large enough to span many blocks per thread.
TEST(MarginReferenceTest, LargerInputsAcrossThreads) {
  for (std::uint64_t seed = 900; seed < 906; ++seed) {
    const RandomData d = MakeRandomData(seed, 60000);
    auto orders = d.lines.Build();
    ASSERT_TRUE(orders.ok());
    auto products = d.products.Build();
    ASSERT_TRUE(products.ok());
    std::mt19937_64 rng(seed);
    MarginOptions o = RandomOptions(rng, d, true);
    const RefResult ref = Reference(d, true, o);
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      auto got = ComputeMargin(*orders, &*products, o);
      ASSERT_TRUE(got.ok()) << got.status();
      ExpectMatchesReference(*got, ref, o, "seed " + std::to_string(seed));
    }
  }
}

}  // namespace
}  // namespace salesight
