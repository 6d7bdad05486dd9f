// ComputeRfm, the partial state and RfmIncremental against a plain,
// obviously-correct reference written with std::map / std::set / std::sort.
#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::FlatRow;
using rfm_test::Line;
using rfm_test::MakeLines;

// ---------------------------------------------------------------- reference

struct RefOut {
  std::vector<FlatRow> rows;
  RfmCounts counts;
};

// NTILE(k) as a SQL engine numbers it: rows in order, row number rn = 1..n;
// the first n % k buckets have n / k + 1 rows.
int SqlNtile(long rn, long n, int k) {
  const long q = n / k, rem = n % k;
  if (rn <= rem * (q + 1)) return static_cast<int>((rn - 1) / (q + 1) + 1);
  return static_cast<int>(rem + (rn - 1 - rem * (q + 1)) / q + 1);
}

// key -> score for one metric; keys sorted ascending with id ASC on ties.
std::map<Id, int> RefScores(std::vector<std::pair<long long, Id>> v, const RfmOptions& o,
                            const std::vector<long long>& fixed_cuts) {
  std::sort(v.begin(), v.end());
  std::map<Id, int> out;
  const long n = static_cast<long>(v.size());
  for (long i = 0; i < n; ++i) {
    const Id id = v[static_cast<std::size_t>(i)].second;
    const long long key = v[static_cast<std::size_t>(i)].first;
    if (o.scoring == RfmScoring::kNtile) {
      out[id] = SqlNtile(i + 1, n, o.k);
    } else if (o.scoring == RfmScoring::kQuantile) {
      long first = i;  // first row of the tie group
      while (first > 0 && v[static_cast<std::size_t>(first - 1)].first == key) --first;
      out[id] = SqlNtile(first + 1, n, o.k);
    } else {
      int s = 1;
      for (long long c : fixed_cuts) s += key > c;
      out[id] = s;
    }
  }
  return out;
}

std::string RefSegment(const RfmOptions& o, int r, int f, int m, long long recency,
                       long long frequency, long long total, long long tenure) {
  if (o.segments == RfmSegments::kWorkload) {
    if (r >= 4 && f >= 4 && m >= 4) return "champions";
    if (r >= 3 && f >= 3) return "loyal";
    if (r >= 4 && f <= 2) return "new";
    if (r <= 2 && f >= 4) return "cant_lose";
    if (r <= 2 && f >= 2) return "at_risk";
    if (r <= 2) return "lost";
    return "need_attention";
  }
  if (o.segments == RfmSegments::kClassic) {
    if (r >= 4 && f >= 4 && m >= 4) return "champions";
    if (r >= 3 && f >= 3 && m >= 3) return "loyal";
    if (r >= 4 && f >= 2) return "potential_loyalist";
    if (r >= 4 && f <= 1) return "new";
    if (r == 3 && f <= 1) return "promising";
    if (r == 3) return "need_attention";
    if (r <= 1 && f >= 4 && m >= 4) return "cant_lose";
    if (r <= 2 && f >= 3 && m >= 3) return "at_risk";
    if (r == 2) return "about_to_sleep";
    if (r <= 1 && f >= 2) return "hibernating";
    if (r <= 1) return "lost";
    return "other";
  }
  // Default tiers, money scale 2: x a year  <=>  value * 365 vs x * max(365, tenure).
  const long long den = std::max(365LL, tenure);
  const long long fy = frequency * 365, my = total * 365;
  if (recency < 30 && fy > 10 * den && my > 1000000LL * 100 * den) return "high_value";
  if (recency < 60 && frequency == 1) return "new";
  if (recency < 90 && (fy < 5 * den || my < 100000LL * 100 * den)) return "potential";
  if (recency > 180 && fy > 5 * den) return "churn_risk";
  if (recency > 365 && fy < 2 * den && my < 10000LL * 100 * den) return "low_value";
  return "regular";
}

RefOut Reference(const std::vector<Line>& lines, const RfmOptions& o) {
  RefOut out;
  Day max_day = INT_MIN;
  for (const Line& l : lines) max_day = std::max(max_day, l.day);
  const Day as_of = o.as_of != kNoDate ? o.as_of : max_day + 1;
  const Day lo = o.window_days > 0 ? as_of - o.window_days : INT_MIN;
  struct Agg {
    long long sum = 0;
    std::set<long long> orders;
    std::set<Day> days;
    Day first = INT_MAX, last = INT_MIN;
    int lines = 0, returns = 0;
  };
  std::map<Id, Agg> agg;
  out.counts.lines = static_cast<std::int64_t>(lines.size());
  for (const Line& l : lines) {
    if (l.day > as_of) {
      ++out.counts.excluded_future;
      continue;
    }
    if (l.day < lo) {
      ++out.counts.excluded_before_window;
      continue;
    }
    ++out.counts.lines_in_window;
    Agg& a = agg[l.customer];
    a.sum += o.monetary == RfmMonetary::kMargin ? l.amount - l.cost : l.amount;
    ++a.lines;
    if (l.amount < 0) {
      ++a.returns;
      ++out.counts.return_lines;
    }
    if (o.purchase == RfmPurchase::kAllLines || l.amount >= 0) {
      a.orders.insert(l.order);
      a.days.insert(l.day);
      a.first = std::min(a.first, l.day);
      a.last = std::max(a.last, l.day);
    }
  }
  std::vector<std::pair<long long, Id>> rk, fk, mk;
  for (const auto& [id, a] : agg) {
    if (a.orders.empty()) {
      ++out.counts.customers_only_returns;
      continue;
    }
    FlatRow row{};
    row.customer = id;
    row.recency = as_of - a.last;
    row.frequency = static_cast<std::int32_t>(o.frequency == RfmFrequency::kOrders ? a.orders.size()
                                                                                   : a.days.size());
    row.total = a.sum;
    if (o.aggregation == RfmAggregation::kMeanPerOrder) {
      // round half away from zero
      const long double exact = static_cast<long double>(a.sum) / row.frequency;
      row.monetary = static_cast<Money>(std::llround(exact));
    } else {
      row.monetary = a.sum;
    }
    row.first = a.first;
    row.lines = a.lines;
    row.returns = a.returns;
    rk.push_back({-static_cast<long long>(row.recency), id});
    fk.push_back({row.frequency, id});
    mk.push_back({row.monetary, id});
    out.rows.push_back(row);
  }
  std::vector<long long> rc, fc, mc;
  if (o.scoring == RfmScoring::kFixed) {
    // recency <= t scores higher: -recency > -(t + 1)
    for (int t : o.fixed.recency_days) rc.push_back(-(static_cast<long long>(t) + 1));
    for (int t : o.fixed.frequency) fc.push_back(t);
    for (double t : o.fixed.monetary) mc.push_back(std::llround(t * 100));
  }
  const std::map<Id, int> r = RefScores(rk, o, rc), f = RefScores(fk, o, fc), m = RefScores(mk, o, mc);
  for (FlatRow& row : out.rows) {
    row.r = r.at(row.customer);
    row.f = f.at(row.customer);
    row.m = m.at(row.customer);
    row.segment = RefSegment(o, row.r, row.f, row.m, row.recency, row.frequency, row.total,
                             as_of - row.first);
  }
  out.counts.customers = static_cast<std::int64_t>(out.rows.size());
  return out;
}

// ---------------------------------------------------------------- random data

struct Case {
  std::vector<Line> lines;
  RfmOptions options;
};

// Orders with 1..3 lines, order ids increasing with the row (and dates
// nondecreasing), skewed customers, some returns and zero amounts; when
// `shuffle`, rows are permuted so order ids and dates are out of order.
std::vector<Line> RandomLines(std::mt19937_64& rng, bool shuffle) {
  std::uniform_int_distribution<int> pick(0, 999);
  const int num_customers = 1 + pick(rng) % 40;
  const int num_orders = pick(rng) % 300;
  const Day start = 19000;
  const int span = 1 + pick(rng) % 900;
  const int money_range = 1 + pick(rng) % 8;  // amounts up to 10^money_range cents
  std::vector<Day> days(static_cast<std::size_t>(num_orders));
  for (Day& d : days) d = start + pick(rng) % span;
  std::sort(days.begin(), days.end());
  std::vector<Line> lines;
  std::uniform_real_distribution<double> u(0, 1);
  for (int o = 0; o < num_orders; ++o) {
    const double x = u(rng);
    const Id c = static_cast<Id>(std::min<double>(num_customers - 1, num_customers * x * x));
    const int n_lines = 1 + pick(rng) % 3;
    for (int l = 0; l < n_lines; ++l) {
      // Rarely, one order id carries a second customer.
      const Id cust = pick(rng) < 15 ? static_cast<Id>(pick(rng) % num_customers) : c;
      const int kind = pick(rng) % 20;
      Money amount = static_cast<Money>(std::pow(10.0, u(rng) * money_range));
      if (kind == 0) amount = 0;
      if (kind <= 3 && kind > 0) amount = -amount / 2;
      const Money cost = amount / 2 + static_cast<Money>(pick(rng) % 7) - 3;
      lines.push_back({100 + o, days[static_cast<std::size_t>(o)], cust, amount, cost});
    }
  }
  if (shuffle) std::shuffle(lines.begin(), lines.end(), rng);
  return lines;
}

RfmOptions RandomOptions(std::mt19937_64& rng, const std::vector<Line>& lines, bool explicit_as_of) {
  std::uniform_int_distribution<int> pick(0, 999);
  RfmOptions o;
  o.frequency = pick(rng) % 2 ? RfmFrequency::kOrders : RfmFrequency::kDays;
  o.monetary = pick(rng) % 4 == 0 ? RfmMonetary::kMargin : RfmMonetary::kRevenue;
  o.aggregation = pick(rng) % 4 == 0 ? RfmAggregation::kMeanPerOrder : RfmAggregation::kSum;
  o.purchase = pick(rng) % 4 == 0 ? RfmPurchase::kAllLines : RfmPurchase::kNonNegativeAmount;
  o.scoring = static_cast<RfmScoring>(pick(rng) % 3);
  o.segments = static_cast<RfmSegments>(pick(rng) % 3);  // tiers, classic, workload
  o.k = o.segments == RfmSegments::kTiers ? 1 + pick(rng) % 8 : 5;
  if (o.scoring == RfmScoring::kFixed) {
    std::set<int> r, f;
    std::set<double> m;
    while (static_cast<int>(r.size()) < o.k - 1) r.insert(pick(rng) % 700);
    while (static_cast<int>(f.size()) < o.k - 1) f.insert(pick(rng) % 12);
    while (static_cast<int>(m.size()) < o.k - 1) m.insert(std::pow(10.0, pick(rng) % 70 / 10.0));
    o.fixed.recency_days.assign(r.begin(), r.end());
    o.fixed.frequency.assign(f.begin(), f.end());
    o.fixed.monetary.assign(m.begin(), m.end());
  }
  if (!lines.empty() && (explicit_as_of || pick(rng) % 2 == 0)) {
    Day lo = INT_MAX, hi = INT_MIN;
    for (const Line& l : lines) {
      lo = std::min(lo, l.day);
      hi = std::max(hi, l.day);
    }
    o.as_of = lo - 3 + pick(rng) % (hi - lo + 10);
  }
  if (pick(rng) % 3 == 0 && (o.as_of != kNoDate || !explicit_as_of)) o.window_days = 1 + pick(rng) % 500;
  return o;
}

void ExpectMatches(const RefOut& want, const RfmResult& got, const std::string& where) {
  const std::vector<FlatRow> rows = rfm_test::Flatten(got);
  ASSERT_EQ(rows.size(), want.rows.size()) << where;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i], want.rows[i]) << where << " row " << i;
  }
  rfm_test::ExpectSameCounts(got.counts, want.counts);
}

// The reported thresholds mean what the header says, for every customer.
void ExpectThresholdsExplainScores(const RfmResult& r, const std::string& where) {
  if (r.scoring == RfmScoring::kNtile) {
    EXPECT_TRUE(r.recency_below.empty()) << where;
    return;
  }
  ASSERT_EQ(r.recency_below.size(), static_cast<std::size_t>(r.customers.empty() ? 0 : r.k - 1))
      << where;
  for (std::size_t i = 0; i < r.customers.size(); ++i) {
    const RfmCustomer& c = r.customers[i];
    for (std::size_t j = 1; j < static_cast<std::size_t>(r.k); ++j) {
      EXPECT_EQ(r.scores[i].r > j, c.recency_days < r.recency_below[j - 1]) << where << " j " << j;
      EXPECT_EQ(r.scores[i].f > j, c.frequency > r.frequency_above[j - 1]) << where << " j " << j;
      EXPECT_EQ(r.scores[i].m > j, c.monetary > r.monetary_above[j - 1]) << where << " j " << j;
    }
  }
}

// ---------------------------------------------------------------- tests

TEST(RfmReference, RandomInputsAllThreadCounts) {
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<Line> lines = RandomLines(rng, seed % 4 == 3);
    RfmOptions o = RandomOptions(rng, lines, false);
    const OrderLines t = MakeLines(lines, true);
    const RefOut want = Reference(lines, o);
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
      ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
      ExpectMatches(want, *got, absl::StrCat("seed ", seed, " threads ", threads));
      ExpectThresholdsExplainScores(*got, absl::StrCat("seed ", seed));
      if (HasFatalFailure()) return;
    }
  }
}

// Enough customers that every pass really splits over the threads.
TEST(RfmReference, ManyCustomersAllThreadCounts) {
  for (std::uint64_t seed = 0; seed < 24; ++seed) {
    std::mt19937_64 rng(7000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    std::vector<Line> lines;
    const int customers = 3000 + pick(rng) * 3;
    for (int o = 0; o < 20000; ++o) {
      const Money amount = static_cast<Money>(pick(rng) * pick(rng)) - (pick(rng) < 50 ? 400000 : 0);
      lines.push_back({o, 19000 + o / 30, static_cast<Id>(pick(rng) * customers / 1000), amount});
    }
    if (seed % 3 == 2) std::shuffle(lines.begin(), lines.end(), rng);
    RfmOptions o = RandomOptions(rng, lines, false);
    const RefOut want = Reference(lines, o);
    const OrderLines t = MakeLines(lines, true);
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
      ASSERT_TRUE(got.ok()) << got.status();
      ExpectMatches(want, *got, absl::StrCat("seed ", seed, " threads ", threads));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(RfmReference, NtileEqualsSqlNtileWithManyTies) {
  for (std::uint64_t seed = 0; seed < 150; ++seed) {
    std::mt19937_64 rng(1000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    // Few distinct days, frequencies and amounts: ties everywhere.
    std::vector<Line> lines;
    const int customers = 1 + pick(rng) % 60;
    for (int o = 0; o < 3 * customers; ++o) {
      lines.push_back({o, 19000 + pick(rng) % 4, static_cast<Id>(pick(rng) % customers),
                       static_cast<Money>(100 * (pick(rng) % 3))});
    }
    RfmOptions o = RfmOptionsForWorkload(19004, 1 + static_cast<int>(seed % 3));
    o.segments = RfmSegments::kTiers;
    o.k = 1 + pick(rng) % 9;
    const OrderLines t = MakeLines(lines);
    absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
    ASSERT_TRUE(got.ok()) << got.status();
    // Plain SQL: ROW_NUMBER over each ORDER BY, then the NTILE formula.
    std::map<Id, long long> last, freq, money;
    for (const Line& l : lines) {
      last[l.customer] = std::max(last.count(l.customer) ? last[l.customer] : LLONG_MIN,
                                  static_cast<long long>(l.day));
      ++freq[l.customer];
      money[l.customer] += l.amount;
    }
    auto ntile_of = [&](const std::map<Id, long long>& key, bool desc_recency) {
      std::vector<std::pair<long long, Id>> v;
      for (const auto& [id, k] : key) v.push_back({desc_recency ? -(19004 - k) : k, id});
      std::sort(v.begin(), v.end());
      std::map<Id, int> out;
      for (std::size_t i = 0; i < v.size(); ++i) {
        out[v[i].second] = SqlNtile(static_cast<long>(i) + 1, static_cast<long>(v.size()), o.k);
      }
      return out;
    };
    const auto r = ntile_of(last, true), f = ntile_of(freq, false), m = ntile_of(money, false);
    ASSERT_EQ(got->customers.size(), last.size());
    for (std::size_t i = 0; i < got->customers.size(); ++i) {
      const Id id = got->customers[i].customer;
      EXPECT_EQ(got->scores[i].r, r.at(id)) << "seed " << seed << " customer " << id;
      EXPECT_EQ(got->scores[i].f, f.at(id)) << "seed " << seed << " customer " << id;
      EXPECT_EQ(got->scores[i].m, m.at(id)) << "seed " << seed << " customer " << id;
    }
  }
}

TEST(RfmReference, WorkloadSegmentsMatchPlainRules) {
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(5000 + seed);
    const std::vector<Line> lines = RandomLines(rng, false);
    RfmOptions o = RfmOptionsForWorkload(19500, 1 + static_cast<int>(seed % 2));
    const RefOut want = Reference(lines, o);
    absl::StatusOr<RfmResult> got = ComputeRfm(MakeLines(lines, true), o);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectMatches(want, *got, absl::StrCat("seed ", seed));
  }
}

// finish(merge(partial(a), partial(b), ...)) == result(a u b u ...).
TEST(RfmPartition, ContiguousRangesMergeExactly) {
  for (std::uint64_t seed = 0; seed < 250; ++seed) {
    std::mt19937_64 rng(20000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const std::vector<Line> lines = RandomLines(rng, false);
    const RfmOptions o = RandomOptions(rng, lines, true);
    const OrderLines t = MakeLines(lines, true);
    absl::StatusOr<RfmResult> whole = ComputeRfm(t, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    // Random cut points, some splitting an order's lines.
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = pick(rng) % 4; c > 0; --c) cuts.push_back(lines.size() * static_cast<std::size_t>(pick(rng)) / 1000);
    std::sort(cuts.begin(), cuts.end());
    const bool separate_tables = seed % 2 == 0;
    const bool reverse = seed % 3 == 0;
    std::vector<RfmPartial> parts;
    std::vector<OrderLines> tables;
    tables.reserve(cuts.size());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      absl::StatusOr<RfmPartial> p;
      if (separate_tables) {
        tables.push_back(MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]), true));
        p = PartialRfm(tables.back(), 0, tables.back().size(), o);
      } else {
        p = PartialRfm(t, cuts[i], cuts[i + 1], o);
      }
      ASSERT_TRUE(p.ok()) << p.status();
      parts.push_back(*std::move(p));
    }
    if (reverse) std::reverse(parts.begin(), parts.end());
    RfmPartial state = std::move(parts[0]);
    for (std::size_t i = 1; i < parts.size(); ++i) {
      absl::Status st = MergeRfm(state, parts[i]);
      ASSERT_TRUE(st.ok()) << st << " seed " << seed;
    }
    absl::StatusOr<RfmResult> merged = FinishRfm(std::move(state), o);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(rfm_test::Flatten(*merged), rfm_test::Flatten(*whole)) << "seed " << seed;
    rfm_test::ExpectSameCounts(merged->counts, whole->counts);
    EXPECT_EQ(merged->as_of, whole->as_of);
  }
}

TEST(RfmPartition, DefaultAsOfResolvedAtFinish) {
  std::mt19937_64 rng(77);
  const std::vector<Line> lines = RandomLines(rng, false);
  ASSERT_GT(lines.size(), 10u);
  const OrderLines t = MakeLines(lines);
  const std::size_t mid = lines.size() / 2;
  absl::StatusOr<RfmPartial> a = PartialRfm(t, 0, mid), b = PartialRfm(t, mid, t.size());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(MergeRfm(*a, *b).ok());
  absl::StatusOr<RfmResult> merged = FinishRfm(*std::move(a));
  absl::StatusOr<RfmResult> whole = ComputeRfm(t);
  ASSERT_TRUE(merged.ok() && whole.ok());
  EXPECT_EQ(merged->as_of, t.max_date() + 1);
  EXPECT_EQ(rfm_test::Flatten(*merged), rfm_test::Flatten(*whole));
}

TEST(RfmPartition, OverlappingOrderIdsFailAndLeaveStateUnchanged) {
  // Order 5 appears in both partitions, with order 6 in between: the second
  // partition's range [5, 7] overlaps the first's [5, 6] beyond one shared id.
  std::vector<Line> lines = {{5, 19000, 0, 10}, {6, 19001, 1, 10}, {5, 19000, 0, 10},
                             {7, 19002, 1, 10}};
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<RfmPartial> a = PartialRfm(t, 0, 2), b = PartialRfm(t, 2, 4);
  ASSERT_TRUE(a.ok() && b.ok());
  const RfmPartial before = *a;
  absl::Status st = MergeRfm(*a, *b);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_NE(st.message().find("overlap"), std::string::npos);
  absl::StatusOr<RfmResult> x = FinishRfm(*a), y = FinishRfm(before);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_EQ(rfm_test::Flatten(*x), rfm_test::Flatten(*y));
  // ComputeRfm on the same lines recounts and stays exact: customer 0 has 1 order.
  for (int threads : {1, 2, 3}) {
    RfmOptions o;
    o.num_threads = threads;
    absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->customers[0].frequency, 1);
  }
}

TEST(RfmPartition, OverlappingDaysFail) {
  std::vector<Line> lines = {{1, 19000, 0, 10}, {2, 19005, 0, 10}, {3, 19002, 0, 10}};
  RfmOptions o;
  o.frequency = RfmFrequency::kDays;
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<RfmPartial> a = PartialRfm(t, 0, 2, o), b = PartialRfm(t, 2, 3, o);
  ASSERT_TRUE(a.ok() && b.ok());
  absl::Status st = MergeRfm(*a, *b);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
}

TEST(RfmPartition, MismatchedOptionsFail) {
  std::mt19937_64 rng(3);
  const std::vector<Line> lines = RandomLines(rng, false);
  const OrderLines t = MakeLines(lines);
  RfmOptions a, b;
  a.as_of = b.as_of = 19500;
  b.frequency = RfmFrequency::kDays;
  absl::StatusOr<RfmPartial> pa = PartialRfm(t, 0, t.size(), a), pb = PartialRfm(t, 0, t.size(), b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_EQ(MergeRfm(*pa, *pb).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(FinishRfm(*pa, b).ok());
  RfmOptions w;
  w.window_days = 30;  // needs an explicit as_of in the partial API
  EXPECT_FALSE(PartialRfm(t, 0, t.size(), w).ok());
}

// Appended batches (separate tables, later order ids) == one ComputeRfm.
TEST(RfmAppend, BatchesEqualRecompute) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(40000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const std::vector<Line> lines = RandomLines(rng, false);
    RfmOptions o = RandomOptions(rng, lines, seed % 2 == 0);
    absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(lines, true), o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = 1 + pick(rng) % 4; c > 0; --c) cuts.push_back(lines.size() * static_cast<std::size_t>(pick(rng)) / 1000);
    std::sort(cuts.begin(), cuts.end());
    // A partial state built from the first part (or empty), then AppendRfm.
    RfmOptions po = o;
    if (po.as_of == kNoDate) po.window_days = 0;  // default as_of cannot window a partial
    const bool windowless_default = o.as_of == kNoDate && o.window_days > 0;
    if (windowless_default) continue;
    RfmPartial state;
    std::vector<OrderLines> tables;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      tables.push_back(MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]), true));
      if (i == 0 && seed % 3 != 0) {
        absl::StatusOr<RfmPartial> p = PartialRfm(tables.back(), 0, tables.back().size(), po);
        ASSERT_TRUE(p.ok()) << p.status();
        state = *std::move(p);
      } else {
        absl::Status st = AppendRfm(state, tables.back(), po);
        ASSERT_TRUE(st.ok()) << st << " seed " << seed;
      }
    }
    absl::StatusOr<RfmResult> appended = FinishRfm(std::move(state), po);
    ASSERT_TRUE(appended.ok()) << appended.status();
    EXPECT_EQ(rfm_test::Flatten(*appended), rfm_test::Flatten(*whole)) << "seed " << seed;
    rfm_test::ExpectSameCounts(appended->counts, whole->counts);
  }
}

TEST(RfmAppend, EarlierOrderIdFailsAndLeavesStateUnchanged) {
  const OrderLines first = MakeLines({{10, 19000, 0, 100}, {11, 19001, 1, 100}});
  const OrderLines late = MakeLines({{12, 19002, 0, 100}, {9, 19002, 1, 100}});
  absl::StatusOr<RfmPartial> s = PartialRfm(first, 0, first.size());
  ASSERT_TRUE(s.ok());
  const RfmPartial before = *s;
  absl::Status st = AppendRfm(*s, late);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_NE(st.message().find("order id 9"), std::string::npos) << st;
  absl::StatusOr<RfmResult> x = FinishRfm(*s), y = FinishRfm(before);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_EQ(rfm_test::Flatten(*x), rfm_test::Flatten(*y));
  EXPECT_EQ(x->counts.lines, 2);
}

TEST(RfmAppend, ContinuedBoundaryOrderCountsOnce) {
  // Order 11's lines straddle the append.
  const OrderLines first = MakeLines({{10, 19000, 0, 100}, {11, 19001, 0, 100}});
  const OrderLines next = MakeLines({{11, 19001, 0, 50}, {12, 19003, 0, 100}});
  absl::StatusOr<RfmPartial> s = PartialRfm(first, 0, first.size());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(AppendRfm(*s, next).ok());
  absl::StatusOr<RfmResult> r = FinishRfm(*std::move(s));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->customers[0].frequency, 3);  // orders 10, 11, 12
  EXPECT_EQ(r->customers[0].monetary, 350);
  EXPECT_EQ(r->as_of, 19004);
}

TEST(RfmIncrementalTest, AppendsEqualRecompute) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(60000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const std::vector<Line> lines = RandomLines(rng, false);
    RfmOptions o = RandomOptions(rng, lines, seed % 2 == 0);
    if (o.as_of == kNoDate) o.window_days = 0;
    o.num_threads = 1 + static_cast<int>(seed % 3);
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = 1 + pick(rng) % 5; c > 0; --c) cuts.push_back(lines.size() * static_cast<std::size_t>(pick(rng)) / 1000);
    std::sort(cuts.begin(), cuts.end());
    absl::StatusOr<RfmIncremental> inc =
        RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, cuts[1]), true), o);
    ASSERT_TRUE(inc.ok()) << inc.status();
    for (std::size_t i = 1; i + 1 < cuts.size(); ++i) {
      absl::Status st = inc->Append(MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]), true));
      ASSERT_TRUE(st.ok()) << st << " seed " << seed;
      // After every batch, the result equals a recompute over everything so far.
      const std::vector<Line> so_far = rfm_test::Slice(lines, 0, cuts[i + 1]);
      absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(so_far, true), o);
      ASSERT_TRUE(whole.ok()) << whole.status();
      ASSERT_EQ(rfm_test::Flatten(inc->result()), rfm_test::Flatten(*whole))
          << "seed " << seed << " batch " << i;
      rfm_test::ExpectSameCounts(inc->result().counts, whole->counts);
      EXPECT_EQ(inc->result().as_of, whole->as_of);
      EXPECT_EQ(inc->result().recency_below, whole->recency_below);
      EXPECT_EQ(inc->result().monetary_above, whole->monetary_above);
    }
  }
}

TEST(RfmIncrementalTest, ManyCustomersThreaded) {
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int> pick(0, 999);
  std::vector<Line> lines;
  for (int o = 0; o < 20000; ++o) {
    lines.push_back({o, 19000 + o / 25, static_cast<Id>(pick(rng) * 4), static_cast<Money>(pick(rng) * 37)});
  }
  for (RfmScoring scoring : {RfmScoring::kNtile, RfmScoring::kQuantile}) {
    RfmOptions o;
    o.scoring = scoring;
    o.num_threads = 2;
    absl::StatusOr<RfmIncremental> inc = RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, 15000)), o);
    ASSERT_TRUE(inc.ok());
    for (std::size_t b = 15000; b < lines.size(); b += 1000) {
      ASSERT_TRUE(inc->Append(MakeLines(rfm_test::Slice(lines, b, b + 1000))).ok());
      absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(rfm_test::Slice(lines, 0, b + 1000)), o);
      ASSERT_TRUE(whole.ok());
      ASSERT_EQ(rfm_test::Flatten(inc->result()), rfm_test::Flatten(*whole)) << b;
    }
  }
}

TEST(RfmIncrementalTest, MovingWindowIsRefused) {
  RfmOptions o;
  o.window_days = 30;
  EXPECT_FALSE(RfmIncremental::Create(MakeLines({{1, 19000, 0, 10}}), o).ok());
}

}  // namespace
}  // namespace salesight
