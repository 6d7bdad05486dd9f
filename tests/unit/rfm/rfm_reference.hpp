// The plain reference of RFM's definitions (rfm.hpp) and the random inputs
// the reference tests draw: shared by rfm_reference_test.cpp and
// rfm_by_test.cpp (RFM by a dimension = this reference per member).
#pragma once

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight::rfm_test {

// ---------------------------------------------------------------- reference

struct RefOut {
  std::vector<FlatRow> rows;
  RfmCounts counts;
};

// NTILE(k) as a SQL engine numbers it: rows in order, row number rn = 1..n;
// the first n % k buckets have n / k + 1 rows.
inline int SqlNtile(long rn, long n, int k) {
  const long q = n / k, rem = n % k;
  if (rn <= rem * (q + 1)) return static_cast<int>((rn - 1) / (q + 1) + 1);
  return static_cast<int>(rem + (rn - 1 - rem * (q + 1)) / q + 1);
}

// key -> score for one metric; keys sorted ascending with id ASC on ties.
inline std::map<Id, int> RefScores(std::vector<std::pair<long long, Id>> v, const RfmOptions& o,
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

inline std::string RefSegment(const RfmOptions& o, int r, int f, int m, long long recency,
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

inline RefOut Reference(const std::vector<Line>& lines, const RfmOptions& o) {
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
inline std::vector<Line> RandomLines(std::mt19937_64& rng, bool shuffle) {
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

inline RfmOptions RandomOptions(std::mt19937_64& rng, const std::vector<Line>& lines, bool explicit_as_of) {
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

inline void ExpectMatches(const RefOut& want, const RfmResult& got, const std::string& where) {
  const std::vector<FlatRow> rows = rfm_test::Flatten(got);
  ASSERT_EQ(rows.size(), want.rows.size()) << where;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i], want.rows[i]) << where << " row " << i;
  }
  rfm_test::ExpectSameCounts(got.counts, want.counts);
}

// The reported thresholds mean what the header says, for every customer.
inline void ExpectThresholdsExplainScores(const RfmResult& r, const std::string& where) {
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

}  // namespace salesight::rfm_test
