// GenerateSample against the distribution WORKLOADS.md and sample.hpp state:
// sizes, determinism, thread independence, the Pareto share, the funnel's
// conversion rates, invoice and payment semantics. Every expected number below
// comes from the stated definitions, never from a run of the generator.
#include "salesight/sample.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/date.hpp"

namespace salesight {
namespace {

constexpr Day kStart = 18993;     // 2022-01-01
constexpr Day kSnapshot = 20088;  // 2024-12-31

// Generated once per (N, seed) for the whole binary: several tests read the
// same data set.
const SampleData& Cached(std::int64_t n, std::uint64_t seed = 20240930) {
  static std::map<std::pair<std::int64_t, std::uint64_t>, std::unique_ptr<SampleData>> cache;
  auto& slot = cache[{n, seed}];
  if (!slot) {
    SampleOptions o;
    o.order_lines = n;
    o.seed = seed;
    o.num_threads = 2;
    absl::StatusOr<SampleData> d = GenerateSample(o);
    EXPECT_TRUE(d.ok()) << d.status();
    slot = std::make_unique<SampleData>(std::move(*d));
  }
  return *slot;
}

// ------------------------------------------------------------------ basics

TEST(SampleGenerateTest, RejectsSizesOutsideTheRange) {
  for (std::int64_t n :
       {std::int64_t{0}, std::int64_t{999}, std::int64_t{-5}, kSampleMaxOrderLines + 1}) {
    SampleOptions o;
    o.order_lines = n;
    absl::StatusOr<SampleData> d = GenerateSample(o);
    ASSERT_FALSE(d.ok()) << n;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find("order_lines"), std::string_view::npos);
  }
  SampleOptions o;
  o.order_lines = 1000;
  o.num_threads = -1;
  EXPECT_FALSE(GenerateSample(o).ok());
}

TEST(SampleGenerateTest, TableSizesFollowN) {
  // N = 1000: K = 100, M = 200, P = max(100, 100) = 100.
  // N = 1234: K = 123, M = 246, P = 123.
  // N = 100000: K = 10000, M = 20000, P = 5000.
  struct Case {
    std::int64_t n, k, m, p;
  };
  for (const Case& c :
       {Case{1000, 100, 200, 100}, Case{1234, 123, 246, 123}, Case{100000, 10000, 20000, 5000}}) {
    const SampleData& d = Cached(c.n);
    EXPECT_EQ(d.orders.size(), static_cast<std::size_t>(c.n));
    EXPECT_EQ(d.invoices.size(), static_cast<std::size_t>(c.n));
    EXPECT_EQ(d.customers.size(), static_cast<std::size_t>(c.k));
    EXPECT_EQ(d.pipeline.size(), static_cast<std::size_t>(c.m));
    EXPECT_EQ(d.products.size(), static_cast<std::size_t>(c.p));
    EXPECT_EQ(d.targets.size(), 200u * 36u);
    EXPECT_EQ(d.customer_codes->size(), c.k);
    EXPECT_EQ(d.product_codes->size(), c.p);
    EXPECT_EQ(d.region_codes->size(), 8);
    EXPECT_EQ(d.salesperson_codes->size(), 200);
    EXPECT_EQ(d.customer_names_en.size(), static_cast<std::size_t>(c.k));
    EXPECT_EQ(d.product_names_en.size(), static_cast<std::size_t>(c.p));
    EXPECT_EQ(d.salesperson_names_en.size(), 200u);
    EXPECT_EQ(d.as_of, 19996);
    EXPECT_EQ(d.snapshot, 20088);
    EXPECT_EQ(d.orders.money_scale(), 2);
  }
}

TEST(SampleGenerateTest, CodesAndNames) {
  const SampleData& d = Cached(20000);
  EXPECT_EQ(d.customer_codes->Code(0), "C-000000");
  EXPECT_EQ(d.customer_codes->Code(123), "C-000123");
  EXPECT_EQ(d.product_codes->Code(42), "P-00042");
  EXPECT_EQ(d.region_codes->Code(0), "华东");
  EXPECT_EQ(d.region_codes->Code(7), "Overseas");
  const auto& names = d.customers.columns().name;
  ASSERT_EQ(names.size(), 2000u);
  for (std::size_t i = 0; i < names.size(); ++i) {
    ASSERT_FALSE(names[i].empty());
    ASSERT_FALSE(d.customer_names_en[i].empty());
  }
  EXPECT_NE(names[0].find("有限公司"), std::string::npos);
  // The 200 salesperson codes are distinct names (FromCodes would have failed).
  EXPECT_EQ(d.salesperson_codes->size(), 200);
}

// ------------------------------------------------------------------ determinism

bool SameOrders(const OrderLines& a, const OrderLines& b) {
  const auto& x = a.columns();
  const auto& y = b.columns();
  auto eq = [](const auto& c1, const auto& c2) {
    return std::equal(c1.begin(), c1.end(), c2.begin(), c2.end());
  };
  return eq(x.order_id, y.order_id) && eq(x.order_date, y.order_date) &&
         eq(x.customer, y.customer) && eq(x.product, y.product) && eq(x.region, y.region) &&
         eq(x.salesperson, y.salesperson) && eq(x.quantity, y.quantity) && eq(x.amount, y.amount) &&
         eq(x.unit_cost, y.unit_cost) && eq(x.channel, y.channel);
}

template <typename T>
bool Eq(const Column<T>& a, const Column<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

void ExpectSameData(const SampleData& a, const SampleData& b, const std::string& what) {
  EXPECT_TRUE(SameOrders(a.orders, b.orders)) << what;
  const auto& ia = a.invoices.columns();
  const auto& ib = b.invoices.columns();
  EXPECT_TRUE(Eq(ia.due_date, ib.due_date) && Eq(ia.paid, ib.paid) &&
              Eq(ia.paid_date, ib.paid_date))
      << what;
  const auto& pa = a.pipeline.columns();
  const auto& pb = b.pipeline.columns();
  bool stages = Eq(pa.customer, pb.customer) && Eq(pa.amount, pb.amount) &&
                Eq(pa.source, pb.source) && Eq(pa.lost_date, pb.lost_date) &&
                Eq(pa.lost_reason, pb.lost_reason);
  for (std::size_t s = 0; s < pa.stage_dates.size(); ++s) {
    stages = stages && Eq(pa.stage_dates[s], pb.stage_dates[s]);
  }
  EXPECT_TRUE(stages) << what;
  const auto& ya = a.payments.columns();
  const auto& yb = b.payments.columns();
  EXPECT_TRUE(Eq(ya.invoice_row, yb.invoice_row) && Eq(ya.date, yb.date) &&
              Eq(ya.amount, yb.amount))
      << what;
  const auto& ca = a.customers.columns();
  const auto& cb = b.customers.columns();
  EXPECT_TRUE(Eq(ca.region, cb.region) && Eq(ca.owner, cb.owner) &&
              Eq(ca.credit_limit, cb.credit_limit) && Eq(ca.created, cb.created) &&
              ca.name == cb.name && a.customer_names_en == b.customer_names_en)
      << what;
  EXPECT_TRUE(Eq(a.targets.columns().amount, b.targets.columns().amount)) << what;
  EXPECT_TRUE(Eq(a.products.columns().standard_cost, b.products.columns().standard_cost) &&
              a.products.columns().name == b.products.columns().name)
      << what;
}

TEST(SampleGenerateTest, IndependentOfThreadCount) {
  // 200000 lines = 25 order blocks of 8192, 3 customer blocks, 5 pipeline blocks.
  SampleOptions o;
  o.order_lines = 200000;
  o.num_threads = 1;
  absl::StatusOr<SampleData> one = GenerateSample(o);
  ASSERT_TRUE(one.ok()) << one.status();
  for (int threads : {2, 3, 0}) {
    o.num_threads = threads;
    absl::StatusOr<SampleData> many = GenerateSample(o);
    ASSERT_TRUE(many.ok()) << many.status();
    ExpectSameData(*one, *many, "threads " + std::to_string(threads));
  }
}

TEST(SampleGenerateTest, SameSeedSameDataOtherSeedOtherData) {
  SampleOptions o;
  o.order_lines = 20000;
  o.seed = 77;
  absl::StatusOr<SampleData> a = GenerateSample(o);
  absl::StatusOr<SampleData> b = GenerateSample(o);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectSameData(*a, *b, "same seed");
  o.seed = 78;
  absl::StatusOr<SampleData> c = GenerateSample(o);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(SameOrders(a->orders, c->orders));
  EXPECT_FALSE(Eq(a->invoices.columns().paid_date, c->invoices.columns().paid_date));
  EXPECT_FALSE(Eq(a->pipeline.columns().stage_dates[1], c->pipeline.columns().stage_dates[1]));
}

// ------------------------------------------------------------------ customers & Pareto

// Brute-force share of the top 20% of ranks for weights (r+20)^-s.
double BruteHeadShare(double s, std::int64_t k) {
  double head = 0, total = 0;
  for (std::int64_t r = 0; r < k; ++r) {
    const double w = std::pow(static_cast<double>(r) + 20.0, -s);
    total += w;
    if (r < k / 5) head += w;
  }
  return head / total;
}

TEST(SampleParetoTest, ExponentSolvesTheStatedWeightShare) {
  for (std::int64_t k : {100, 1000, 10000, 100000, 1000000}) {
    const double s = SampleCustomerZipfExponent(k);
    EXPECT_GT(s, 0.5) << k;
    EXPECT_NEAR(BruteHeadShare(s, k), kSampleTopWeightShare, 1e-6) << k;
  }
  // A larger customer base needs a flatter curve for the same head share.
  EXPECT_GT(SampleCustomerZipfExponent(1000), SampleCustomerZipfExponent(100000));
}

struct CustomerStats {
  double top20_share;
  double active;
};

CustomerStats Customers(const SampleData& d) {
  const auto& o = d.orders.columns();
  const std::size_t k = d.customers.size();
  std::vector<std::int64_t> revenue(k, 0);
  for (std::size_t i = 0; i < o.amount.size(); ++i) {
    revenue[static_cast<std::size_t>(o.customer[i])] += o.amount[i];
  }
  const std::int64_t total = std::accumulate(revenue.begin(), revenue.end(), std::int64_t{0});
  std::size_t active = 0;
  for (std::int64_t r : revenue) active += r > 0;
  std::sort(revenue.rbegin(), revenue.rend());
  const std::int64_t top = std::accumulate(
      revenue.begin(), revenue.begin() + static_cast<std::ptrdiff_t>(k / 5), std::int64_t{0});
  return {static_cast<double>(top) / static_cast<double>(total),
          static_cast<double>(active) / static_cast<double>(k)};
}

TEST(SampleParetoTest, TopFifthOfCustomersHoldsAbout80PercentOfRevenue) {
  for (std::int64_t n : {10000, 100000, 1000000}) {
    const CustomerStats s = Customers(Cached(n));
    EXPECT_GE(s.top20_share, 0.75) << n;
    EXPECT_LE(s.top20_share, 0.85) << n;
  }
  for (std::uint64_t seed : {1u, 2u}) {
    const CustomerStats s = Customers(Cached(100000, seed));
    EXPECT_GE(s.top20_share, 0.75) << seed;
    EXPECT_LE(s.top20_share, 0.85) << seed;
  }
}

TEST(SampleParetoTest, About93PercentOfCustomersHaveAnOrder) {
  EXPECT_NEAR(Customers(Cached(10000)).active, 0.93, 0.04);
  EXPECT_NEAR(Customers(Cached(100000)).active, 0.93, 0.02);
  EXPECT_NEAR(Customers(Cached(1000000)).active, 0.93, 0.02);
}

TEST(SampleGenerateTest, CustomersRegionOwnerAndCreated) {
  const SampleData& d = Cached(100000);
  const auto& c = d.customers.columns();
  const auto& o = d.orders.columns();
  std::vector<Day> first(c.customer.size(), kNoDate);
  for (std::size_t i = 0; i < o.customer.size(); ++i) {
    Day& f = first[static_cast<std::size_t>(o.customer[i])];
    if (f == kNoDate || o.order_date[i] < f) f = o.order_date[i];
  }
  std::array<int, 8> per_region{};
  for (std::size_t i = 0; i < c.customer.size(); ++i) {
    ASSERT_EQ(c.customer[i], static_cast<Id>(i));
    ASSERT_EQ(c.owner[i] % 8, c.region[i]) << "customer " << i;
    ASSERT_GT(c.credit_limit[i], 0);
    ASSERT_EQ(c.credit_limit[i] % 1000000, 0);  // multiples of 10,000.00
    ASSERT_NE(c.created[i], kNoDate);
    if (first[i] != kNoDate) {
      ASSERT_LT(c.created[i], first[i]) << "customer " << i;
    }
    ASSERT_TRUE(d.customer_terms_days[i] == 30 || d.customer_terms_days[i] == 60);
    ASSERT_GE(d.customer_payer_type[i], 0);
    ASSERT_LE(d.customer_payer_type[i], 2);
    ++per_region[static_cast<std::size_t>(c.region[i])];
  }
  const std::array<double, 8> share = {0.26, 0.20, 0.16, 0.10, 0.09, 0.05, 0.06, 0.08};
  for (std::size_t r = 0; r < 8; ++r) {
    EXPECT_NEAR(per_region[r] / 10000.0, share[r], 0.02) << r;
  }
  int good = 0, late = 0, bad = 0, terms60 = 0;
  for (std::size_t i = 0; i < c.customer.size(); ++i) {
    good += d.customer_payer_type[i] == 0;
    late += d.customer_payer_type[i] == 1;
    bad += d.customer_payer_type[i] == 2;
    terms60 += d.customer_terms_days[i] == 60;
  }
  EXPECT_NEAR(good / 10000.0, 0.70, 0.02);
  EXPECT_NEAR(late / 10000.0, 0.25, 0.02);
  EXPECT_NEAR(bad / 10000.0, 0.05, 0.01);
  EXPECT_NEAR(terms60 / 10000.0, 0.30, 0.02);
}

// ------------------------------------------------------------------ orders

TEST(SampleGenerateTest, OrdersAreSortedInTheWindowWithValidFields) {
  for (std::int64_t n : {1000, 20000, 100000}) {
    const SampleData& d = Cached(n);
    const auto& o = d.orders.columns();
    const auto& c = d.customers.columns();
    const std::int32_t products = d.product_codes->size();
    for (std::size_t i = 0; i < o.order_id.size(); ++i) {
      ASSERT_EQ(o.order_id[i], static_cast<std::int64_t>(i));
      if (i > 0) {
        ASSERT_LE(o.order_date[i - 1], o.order_date[i]) << "row " << i;
      }
      ASSERT_GE(o.order_date[i], kStart);
      ASSERT_LE(o.order_date[i], kSnapshot);
      ASSERT_GE(o.quantity[i], 1);
      ASSERT_LE(o.quantity[i], 50);
      ASSERT_GE(o.product[i], 0);
      ASSERT_LT(o.product[i], products);
      ASSERT_GT(o.amount[i], 0);
      ASSERT_GT(o.unit_cost[i], 0);
      const auto cu = static_cast<std::size_t>(o.customer[i]);
      ASSERT_EQ(o.region[i], c.region[cu]) << "row " << i;
      ASSERT_EQ(o.salesperson[i] % 8, o.region[i]) << "row " << i;
      ASSERT_GE(o.channel[i], 0);
      ASSERT_LT(o.channel[i], 4);
    }
    EXPECT_EQ(d.orders.num_returns(), 0);
  }
}

TEST(SampleGenerateTest, UnitCostIsTheProductsTierOrStandardCost) {
  const SampleData& d = Cached(100000);
  const auto& p = d.products.columns();
  // Plain reference: the largest tier with min_quantity <= quantity, else standard.
  std::vector<std::vector<CostTier>> tiers(p.product.size());
  for (const CostTier& t : p.cost_tiers) tiers[static_cast<std::size_t>(t.product)].push_back(t);
  std::size_t with_tiers = 0;
  for (const auto& t : tiers) with_tiers += !t.empty();
  EXPECT_NEAR(static_cast<double>(with_tiers) / 5000.0, 0.20, 0.03);
  const auto& o = d.orders.columns();
  for (std::size_t i = 0; i < o.amount.size(); ++i) {
    const auto pu = static_cast<std::size_t>(o.product[i]);
    Money expected = p.standard_cost[pu];
    std::int32_t best = -1;
    for (const CostTier& t : tiers[pu]) {
      if (t.min_quantity <= o.quantity[i] && t.min_quantity > best) {
        best = t.min_quantity;
        expected = t.unit_cost;
      }
    }
    ASSERT_EQ(o.unit_cost[i], expected) << "row " << i;
  }
}

TEST(SampleGenerateTest, CostRatioPerProductWithinStatedRange) {
  // Undiscounted direct-channel lines price the product at list price x noise
  // (lognormal sd 0.08), so median(unit amount) / standard cost estimates
  // 1 / ratio with ratio in 0.45..0.85: bounds 1/0.85 = 1.18 .. 1/0.45 = 2.22,
  // widened by the noise.
  const SampleData& d = Cached(1000000);
  const auto& o = d.orders.columns();
  const auto& p = d.products.columns();
  std::vector<std::vector<double>> unit(p.product.size());
  for (std::size_t i = 0; i < o.amount.size(); ++i) {
    if (o.quantity[i] >= 10) continue;  // below any tier
    unit[static_cast<std::size_t>(o.product[i])].push_back(static_cast<double>(o.amount[i]) /
                                                           o.quantity[i]);
  }
  int checked = 0;
  for (std::size_t j = 0; j < unit.size(); ++j) {
    if (unit[j].size() < 200) continue;
    std::sort(unit[j].begin(), unit[j].end());
    const double top = unit[j][unit[j].size() * 95 / 100];  // ~undiscounted list price
    const double ratio = static_cast<double>(p.standard_cost[j]) / top;
    EXPECT_GT(ratio, 0.45 * 0.85) << j;
    EXPECT_LT(ratio, 0.85 * 1.05) << j;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(SampleGenerateTest, OwnerBooksAbout95Percent) {
  const SampleData& d = Cached(1000000);
  const auto& o = d.orders.columns();
  const auto& c = d.customers.columns();
  std::int64_t by_owner = 0;
  for (std::size_t i = 0; i < o.customer.size(); ++i) {
    by_owner += o.salesperson[i] == c.owner[static_cast<std::size_t>(o.customer[i])];
  }
  EXPECT_NEAR(static_cast<double>(by_owner) / 1e6, 0.95, 0.002);  // se 0.0002
}

TEST(SampleGenerateTest, VolumeGrowsWithSeasonAndWeekday) {
  const SampleData& d = Cached(1000000);
  const auto& o = d.orders.columns();
  std::array<double, 3> per_year{};
  std::array<double, 13> per_month{};  // 2023 only
  std::array<double, 8> per_weekday{};
  for (Day day : o.order_date) {
    const CivilDate c = CivilFromDay(day);
    per_year[static_cast<std::size_t>(c.year - 2022)] += 1;
    if (c.year == 2023) per_month[static_cast<std::size_t>(c.month)] += 1;
    per_weekday[static_cast<std::size_t>(Weekday(day))] += 1;
  }
  // Same calendar and seasonality each year: the order count grows ~20%/year.
  EXPECT_NEAR(per_year[1] / per_year[0], 1.2, 0.04);
  EXPECT_NEAR(per_year[2] / per_year[1], 1.2, 0.04);
  // Month factors Feb 0.70 < Jan 0.90 < Dec 1.25 (per day, 2023).
  EXPECT_LT(per_month[2] / 28, per_month[1] / 31);
  EXPECT_LT(per_month[1] / 31, per_month[12] / 31);
  // Weekday factors: Sat 0.40, Sun 0.25 against ~1.0 on weekdays.
  EXPECT_NEAR(per_weekday[6] / per_weekday[1], 0.40, 0.05);
  EXPECT_NEAR(per_weekday[7] / per_weekday[1], 0.25, 0.04);
}

// ------------------------------------------------------------------ invoices & payments

TEST(SampleInvoiceTest, SemanticsHoldOnEveryRow) {
  for (std::int64_t n : {1000, 20000, 100000}) {
    const SampleData& d = Cached(n);
    const auto& v = d.invoices.columns();
    const auto& o = d.orders.columns();
    for (std::size_t i = 0; i < v.invoice.size(); ++i) {
      ASSERT_EQ(v.invoice[i], o.order_id[i]);
      ASSERT_EQ(v.order[i], o.order_id[i]);
      ASSERT_EQ(v.customer[i], o.customer[i]);
      ASSERT_EQ(v.salesperson[i], o.salesperson[i]);
      ASSERT_EQ(v.invoice_date[i], o.order_date[i]);
      ASSERT_EQ(v.amount[i], o.amount[i]);
      const int terms = d.customer_terms_days[static_cast<std::size_t>(v.customer[i])];
      ASSERT_EQ(v.due_date[i] - v.invoice_date[i], terms) << "row " << i;
      ASSERT_GE(v.paid[i], 0);
      ASSERT_LE(v.paid[i], v.amount[i]) << "row " << i;
      ASSERT_EQ(v.paid_date[i] == kNoDate, v.paid[i] == 0) << "row " << i;
      if (v.paid_date[i] != kNoDate) {
        ASSERT_GE(v.paid_date[i], v.invoice_date[i]) << "row " << i;
        ASSERT_LE(v.paid_date[i], kSnapshot) << "row " << i;
      }
    }
  }
}

TEST(SampleInvoiceTest, PayerTypesDelaysAndRates) {
  const SampleData& d = Cached(1000000);
  const auto& v = d.invoices.columns();
  // Invoices due by 2024-06-30 (day 19904): payment delays up to 184 days fit
  // before the snapshot, so censoring hardly matters.
  const Day due_by = 19904;
  std::array<double, 3> delay_sum{}, paid_count{}, total{}, unpaid{};
  double partial = 0, paid_all = 0;
  for (std::size_t i = 0; i < v.invoice.size(); ++i) {
    if (v.due_date[i] > due_by) continue;
    const auto t =
        static_cast<std::size_t>(d.customer_payer_type[static_cast<std::size_t>(v.customer[i])]);
    total[t] += 1;
    if (v.paid[i] == 0) {
      unpaid[t] += 1;
      continue;
    }
    paid_all += 1;
    partial += v.paid[i] < v.amount[i];
    if (v.paid_date[i] > v.invoice_date[i]) {  // not clipped at the invoice date
      delay_sum[t] += v.paid_date[i] - v.due_date[i];
      paid_count[t] += 1;
    }
  }
  EXPECT_NEAR(delay_sum[0] / paid_count[0], -5.0, 0.5);  // good: ~5 days early
  EXPECT_NEAR(delay_sum[1] / paid_count[1], 20.0, 0.5);  // late: ~20 days late
  EXPECT_NEAR(delay_sum[2] / paid_count[2], 60.0, 2.0);  // bad: ~60 days late
  // Never paid: 1% of all invoices; bad payers 40% + 60% x 1% = 40.6%.
  EXPECT_NEAR(unpaid[0] / total[0], 0.01, 0.002);
  EXPECT_NEAR(unpaid[1] / total[1], 0.01, 0.002);
  EXPECT_NEAR(unpaid[2] / total[2], 0.406, 0.02);
  EXPECT_NEAR(partial / paid_all, 0.05, 0.003);
}

TEST(SampleInvoiceTest, PaymentsSumToPaidPerInvoice) {
  for (std::int64_t n : {1000, 100000}) {
    const SampleData& d = Cached(n);
    const auto& v = d.invoices.columns();
    const auto& p = d.payments.columns();
    std::vector<Money> sum(v.invoice.size(), 0);
    std::vector<int> rows(v.invoice.size(), 0);
    for (std::size_t i = 0; i < p.invoice_row.size(); ++i) {
      if (i > 0) {
        ASSERT_LE(p.invoice_row[i - 1], p.invoice_row[i]);
      }
      const auto r = static_cast<std::size_t>(p.invoice_row[i]);
      ASSERT_GT(p.amount[i], 0);
      ASSERT_GE(p.date[i], v.invoice_date[r]);
      ASSERT_LE(p.date[i], v.paid_date[r]);
      sum[r] += p.amount[i];
      ++rows[r];
    }
    std::int64_t paid_invoices = 0, split = 0;
    for (std::size_t r = 0; r < v.invoice.size(); ++r) {
      ASSERT_EQ(sum[r], v.paid[r]) << "invoice " << r;
      ASSERT_LE(rows[r], 2);
      paid_invoices += v.paid[r] > 0;
      split += rows[r] == 2;
    }
    if (n == 100000) {
      EXPECT_NEAR(static_cast<double>(split) / static_cast<double>(paid_invoices), 0.02, 0.004);
    }
  }
}

// ------------------------------------------------------------------ pipeline

TEST(SamplePipelineTest, StageDatesArePrefixesAndIncrease) {
  for (std::int64_t n : {1000, 100000}) {
    const SampleData& d = Cached(n);
    const auto& p = d.pipeline.columns();
    ASSERT_EQ(p.stage_names, DefaultStages());
    ASSERT_EQ(p.stage_dates.size(), 6u);
    for (std::size_t i = 0; i < p.opportunity.size(); ++i) {
      ASSERT_EQ(p.opportunity[i], static_cast<std::int64_t>(i));
      if (i > 0) {
        ASSERT_LE(p.created[i - 1], p.created[i]);
      }
      ASSERT_EQ(p.stage_dates[0][i], p.created[i]) << "every opportunity is a lead";
      ASSERT_GE(p.created[i], kStart);
      std::size_t reached = 1;
      while (reached < 6 && p.stage_dates[reached][i] != kNoDate) {
        ASSERT_GT(p.stage_dates[reached][i], p.stage_dates[reached - 1][i]) << "opp " << i;
        ASSERT_LE(p.stage_dates[reached][i], kSnapshot);
        ++reached;
      }
      for (std::size_t s = reached; s < 6; ++s) {
        ASSERT_EQ(p.stage_dates[s][i], kNoDate) << "opp " << i << " stage " << s;
      }
      if (p.lost_date[i] != kNoDate) {
        ASSERT_LT(reached, 5u) << "a won deal is not lost, opp " << i;
        ASSERT_GT(p.lost_date[i], p.stage_dates[reached - 1][i]);
        ASSERT_LE(p.lost_date[i], kSnapshot);
      } else {
        ASSERT_EQ(p.lost_reason[i], 0);
      }
      ASSERT_EQ(p.salesperson[i] % 8, p.region[i]);
      ASSERT_GT(p.amount[i], 0);
    }
  }
}

TEST(SamplePipelineTest, ConversionRatesMatchStatedProbabilities) {
  const SampleData& d = Cached(1000000);
  const auto& p = d.pipeline.columns();
  const std::array<double, 5> base = {0.55, 0.60, 0.50, 0.70, 0.92};
  const std::array<double, 8> factor = {1.08, 1.05, 1.00, 0.95, 0.90, 0.85, 0.92, 1.02};
  // Opportunities created before 2024-01-01 (day 19723) are essentially never
  // cut by the snapshot (total gap mean 91 days, sd ~30).
  std::array<std::array<double, 6>, 8> n{};
  for (std::size_t i = 0; i < p.opportunity.size(); ++i) {
    if (p.created[i] >= 19723) continue;
    for (std::size_t s = 0; s < 6; ++s) {
      n[static_cast<std::size_t>(p.region[i])][s] += p.stage_dates[s][i] != kNoDate;
    }
  }
  for (std::size_t r = 0; r < 8; ++r) {
    for (std::size_t s = 1; s < 6; ++s) {
      const double expected = base[s - 1] * factor[r];
      const double trials = n[r][s - 1];
      ASSERT_GT(trials, 200) << r << " " << s;
      const double se = std::sqrt(expected * (1 - expected) / trials);
      EXPECT_NEAR(n[r][s] / trials, expected, 4.5 * se) << "region " << r << " stage " << s;
    }
  }
}

TEST(SamplePipelineTest, StageGapsHaveStatedMeans) {
  // Gap = 1 + floor(Gamma(2, mean/2)): mean = 1 + mean - ~0.5 (the floor).
  const SampleData& d = Cached(1000000);
  const auto& p = d.pipeline.columns();
  const std::array<double, 5> mean = {7, 14, 21, 14, 30};
  for (std::size_t s = 1; s < 6; ++s) {
    double sum = 0, count = 0;
    for (std::size_t i = 0; i < p.opportunity.size(); ++i) {
      if (p.created[i] >= 19723 || p.stage_dates[s][i] == kNoDate) continue;
      sum += p.stage_dates[s][i] - p.stage_dates[s - 1][i];
      count += 1;
    }
    EXPECT_NEAR(sum / count, mean[s - 1] + 0.5, 0.05 * mean[s - 1] + 0.3) << s;
  }
}

// ------------------------------------------------------------------ targets

TEST(SampleGenerateTest, TargetsCoverEverySalespersonAndMonth) {
  const SampleData& d = Cached(1000000);
  const auto& t = d.targets.columns();
  ASSERT_EQ(t.month.size(), 7200u);
  std::vector<std::vector<Money>> seen(200, std::vector<Money>(36, -1));
  for (std::size_t i = 0; i < t.month.size(); ++i) {
    const int m = t.month[i];
    const int idx = (m / 100 - 2022) * 12 + m % 100 - 1;
    ASSERT_GE(idx, 0);
    ASSERT_LT(idx, 36);
    ASSERT_GE(t.amount[i], 10000);      // at least 100.00
    ASSERT_EQ(t.amount[i] % 10000, 0);  // whole 100.00
    seen[static_cast<std::size_t>(t.key[i])][static_cast<std::size_t>(idx)] = t.amount[i];
  }
  for (const auto& row : seen) {
    for (Money m : row) EXPECT_GE(m, 0);
  }
  // Definition: target = actual month revenue x uniform(0.9, 1.25), rounded to
  // 100.00, at least 100.00. Where the actual is >= 100,000.00 the rounding
  // moves the ratio by at most 0.05%.
  std::vector<std::vector<Money>> actual(200, std::vector<Money>(36, 0));
  const auto& o = d.orders.columns();
  for (std::size_t i = 0; i < o.amount.size(); ++i) {
    const CivilDate c = CivilFromDay(o.order_date[i]);
    actual[static_cast<std::size_t>(o.salesperson[i])]
          [static_cast<std::size_t>((c.year - 2022) * 12 + c.month - 1)] += o.amount[i];
  }
  double ratio_sum = 0, cells = 0;
  for (std::size_t s = 0; s < 200; ++s) {
    for (std::size_t m = 0; m < 36; ++m) {
      const double a = static_cast<double>(actual[s][m]);
      const double target = static_cast<double>(seen[s][m]);
      if (a * 1.25 < 5000) {
        EXPECT_EQ(seen[s][m], 10000) << s << " " << m;  // the floor
      }
      if (a < 10000000) continue;
      const double ratio = target / a;
      EXPECT_GE(ratio, 0.9 - 0.0005) << s << " " << m;
      EXPECT_LE(ratio, 1.25 + 0.0005) << s << " " << m;
      ratio_sum += ratio;
      cells += 1;
    }
  }
  ASSERT_GT(cells, 1000);
  EXPECT_NEAR(ratio_sum / cells, 1.075, 0.01);  // mean of uniform(0.9, 1.25)
}

}  // namespace
}  // namespace salesight
