// Aging and collection against plain brute-force references written from the
// header's definitions, on random data (many seeds, 1-3 threads, random
// partitions), and workload (d) against its SQL definition on the sample.
#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/receivables.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

struct Data {
  std::vector<std::int64_t> id;
  std::vector<Id> cust, sp, region;
  std::vector<Day> idate, due, pdate;
  std::vector<Money> amount, paid;
  // Payments table rows.
  std::vector<std::int64_t> prow;
  std::vector<Day> pday;
  std::vector<Money> pamount;
};

constexpr Day kAsOf = 19996;  // 2024-09-30

Data RandomData(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Data d;
  const int n = uni(0, 250);
  const int customers = uni(1, 12);
  for (int i = 0; i < n; ++i) {
    d.id.push_back((n - i) * 7);  // descending: overdue ties by number differ from by row
    // Every third seed spreads customer ids over > 4096 (several radix blocks).
    d.cust.push_back(uni(0, customers - 1) * (seed % 3 == 0 ? 1500 : 1));
    d.sp.push_back(uni(0, 4));
    d.region.push_back(uni(0, 2));
    // Invoice dates around as_of (some after it), due 0..120 days later.
    const Day inv = kAsOf + uni(-200, 15);
    d.idate.push_back(inv);
    d.due.push_back(inv + (uni(0, 3) == 0 ? 0 : uni(0, 120)));
    Money amount = uni(0, 9) == 0 ? -uni(1, 500) : uni(0, 5000);
    d.amount.push_back(amount);
    // Summary payment: none, partial, full, over; dated around the invoice
    // (sometimes before it, sometimes after as_of).
    const int kind = uni(0, 4);
    if (kind == 0) {
      d.paid.push_back(0);
      d.pdate.push_back(kNoDate);
    } else {
      const Money base = std::max<Money>(amount, 1);
      d.paid.push_back(kind == 1 ? uni(1, static_cast<int>(base)) : kind == 4 ? base + uni(1, 300) : base);
      d.pdate.push_back(inv + uni(-10, 150));
    }
    // Payments table: 0..3 payments.
    const int k = uni(0, 3);
    for (int j = 0; j < k; ++j) {
      d.prow.push_back(i);
      d.pday.push_back(inv + uni(-10, 150));
      d.pamount.push_back(uni(0, 2500));
    }
  }
  // Scramble the payments' order.
  std::vector<std::size_t> perm(d.prow.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  Data s = d;
  for (std::size_t i = 0; i < perm.size(); ++i) {
    s.prow[i] = d.prow[perm[i]];
    s.pday[i] = d.pday[perm[i]];
    s.pamount[i] = d.pamount[perm[i]];
  }
  return s;
}

Invoices Build(const Data& d) {
  InvoicesColumns c;
  c.invoice = Column<std::int64_t>::Own(d.id);
  c.customer = Column<Id>::Own(d.cust);
  c.salesperson = Column<Id>::Own(d.sp);
  c.region = Column<Id>::Own(d.region);
  c.invoice_date = Column<Day>::Own(d.idate);
  c.due_date = Column<Day>::Own(d.due);
  c.amount = Column<Money>::Own(d.amount);
  c.paid = Column<Money>::Own(d.paid);
  c.paid_date = Column<Day>::Own(d.pdate);
  auto t = Invoices::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

Payments BuildPayments(const Data& d, const Invoices& inv) {
  PaymentsColumns c;
  c.invoice_row = Column<std::int64_t>::Own(d.prow);
  c.date = Column<Day>::Own(d.pday);
  c.amount = Column<Money>::Own(d.pamount);
  auto t = Payments::Build(std::move(c), inv);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// The payments of invoice i as (date, amount) pairs, from the chosen source.
std::vector<std::pair<Day, Money>> PaymentsOf(const Data& d, std::size_t i, bool table) {
  std::vector<std::pair<Day, Money>> out;
  if (table) {
    for (std::size_t p = 0; p < d.prow.size(); ++p) {
      if (d.prow[p] == static_cast<std::int64_t>(i)) out.push_back({d.pday[p], d.pamount[p]});
    }
  } else if (d.pdate[i] != kNoDate) {
    out.push_back({d.pdate[i], d.paid[i]});
  }
  return out;
}

Money PaidBy(const Data& d, std::size_t i, bool table, Day t) {
  Money s = 0;
  for (const auto& [day, m] : PaymentsOf(d, i, table)) {
    if (day <= t) s += m;
  }
  return s;
}

Id GroupOf(const Data& d, std::size_t i, const std::string& g) {
  if (g == "customer") return d.cust[i];
  if (g == "salesperson") return d.sp[i];
  if (g == "region") return d.region[i];
  return 0;  // "" = not grouped
}

// The group dimensions the random options pick from.
std::string RandomGroup(std::mt19937& rng) {
  static const char* const kNames[] = {"customer", "salesperson", "region", ""};
  return kNames[rng() % 4];
}

// ---------------------------------------------------------------- aging reference

struct RefAging {
  std::map<Id, std::vector<Money>> buckets;
  std::vector<std::int64_t> overdue_rows;
  std::int64_t after = 0, late_payments = 0, overpaid = 0, early = 0, open = 0;
  Money late_amount = 0, overpaid_amount = 0, early_amount = 0;
  std::vector<std::int64_t> overpaid_rows, early_rows;
};

RefAging ReferenceAging(const Data& d, bool table, const AgingOptions& o) {
  RefAging r;
  std::vector<std::tuple<double, std::int64_t, std::int64_t>> overdue;  // (-score, invoice, row)
  for (std::size_t i = 0; i < d.id.size(); ++i) {
    if (d.idate[i] > o.as_of) {
      ++r.after;
      continue;
    }
    Money paid = 0;
    bool early_here = false;
    for (const auto& [day, m] : PaymentsOf(d, i, table)) {
      if (day > o.as_of) {
        ++r.late_payments;
        r.late_amount += m;
        continue;
      }
      paid += m;
      if (day < d.idate[i]) {
        ++r.early;
        r.early_amount += m;
        early_here = true;
      }
    }
    if (early_here) r.early_rows.push_back(static_cast<std::int64_t>(i));
    const Money out = d.amount[i] - paid;
    if (out < 0) {
      ++r.overpaid;
      r.overpaid_amount += -out;
      r.overpaid_rows.push_back(static_cast<std::int64_t>(i));
    }
    if (out <= 0) continue;
    ++r.open;
    const int age = o.as_of - (o.age_basis == AgeBasis::kDueDate ? d.due[i] : d.idate[i]);
    std::size_t b = 0;
    while (b < o.cutoffs.size() && age > o.cutoffs[b]) ++b;
    auto& v = r.buckets[GroupOf(d, i, o.group_by)];
    v.resize(o.cutoffs.size() + 1, 0);
    v[b] += out;
    const int dpd = o.as_of - d.due[i];
    if (dpd > 0) {
      overdue.emplace_back(-static_cast<double>(out) * dpd, d.id[i], static_cast<std::int64_t>(i));
    }
  }
  std::sort(overdue.begin(), overdue.end());  // small values: doubles are exact
  for (const auto& [s, invoice, row] : overdue) r.overdue_rows.push_back(row);
  if (o.overdue_top_n != kAllOverdue && r.overdue_rows.size() > o.overdue_top_n) {
    r.overdue_rows.resize(o.overdue_top_n);
  }
  auto cut = [&](std::vector<std::int64_t>& v) {
    if (v.size() > o.max_examples) v.resize(o.max_examples);
  };
  cut(r.overpaid_rows);
  cut(r.early_rows);
  return r;
}

void ExpectAgingEq(const AgingResult& got, const RefAging& want, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(got.groups.size(), want.buckets.size());
  std::size_t g = 0;
  Money total = 0;
  for (const auto& [id, v] : want.buckets) {
    EXPECT_EQ(got.groups[g], id);
    Money t = 0;
    for (std::size_t b = 0; b < v.size(); ++b) {
      EXPECT_EQ(got.amount(g, b), v[b]) << "group " << id << " bucket " << b;
      t += v[b];
    }
    EXPECT_EQ(got.totals[g], t);
    total += t;
    ++g;
  }
  EXPECT_EQ(got.total, total);
  EXPECT_EQ(got.open_invoices, want.open);
  std::vector<std::int64_t> rows;
  for (const auto& o : got.overdue) rows.push_back(o.row);
  EXPECT_EQ(rows, want.overdue_rows);
  EXPECT_EQ(got.issues.invoices_after_as_of, want.after);
  EXPECT_EQ(got.issues.payments_after_as_of, want.late_payments);
  EXPECT_EQ(got.issues.payments_after_as_of_amount, want.late_amount);
  EXPECT_EQ(got.issues.overpaid_invoices, want.overpaid);
  EXPECT_EQ(got.issues.overpaid_amount, want.overpaid_amount);
  EXPECT_EQ(got.issues.overpaid_examples, want.overpaid_rows);
  EXPECT_EQ(got.issues.early_payments, want.early);
  EXPECT_EQ(got.issues.early_payment_amount, want.early_amount);
  EXPECT_EQ(got.issues.early_payment_examples, want.early_rows);
}

AgingOptions RandomAgingOptions(std::mt19937& rng) {
  AgingOptions o;
  o.as_of = kAsOf + static_cast<int>(rng() % 11) - 5;
  o.age_basis = rng() % 3 == 0 ? AgeBasis::kInvoiceDate : AgeBasis::kDueDate;
  if (rng() % 2) {
    o.cutoffs.clear();
    int c = static_cast<int>(rng() % 20) - 10;
    const int k = 1 + static_cast<int>(rng() % 6);
    for (int j = 0; j < k; ++j) {
      o.cutoffs.push_back(c);
      c += 1 + static_cast<int>(rng() % 40);
    }
    // A span over 2^16 days takes the binary-search path instead of the table.
    if (rng() % 3 == 0) o.cutoffs.push_back(c + 70000);
  }
  o.group_by = RandomGroup(rng);
  const std::size_t tops[] = {0, 1, 3, 100, kAllOverdue};
  o.overdue_top_n = tops[rng() % 5];
  o.max_examples = rng() % 4;
  return o;
}

TEST(AgingReferenceTest, RandomDataManySeeds) {
  for (std::uint32_t seed = 1; seed <= 150; ++seed) {
    const Data d = RandomData(seed);
    const Invoices inv = Build(d);
    const Payments pay = BuildPayments(d, inv);
    std::mt19937 rng(seed * 31u);
    AgingOptions o = RandomAgingOptions(rng);
    for (bool table : {false, true}) {
      const RefAging want = ReferenceAging(d, table, o);
      for (int threads : {1, 2, 3}) {
        o.num_threads = threads;
        auto got = ComputeAging(test_data::InvoicesData(inv, table ? &pay : nullptr), o);
        ASSERT_TRUE(got.ok()) << got.status();
        ExpectAgingEq(*got, want,
                      "seed " + std::to_string(seed) + " table " + std::to_string(table) +
                          " threads " + std::to_string(threads));
      }
    }
  }
}

TEST(AgingReferenceTest, AnyPartitionMerges) {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    const Data d = RandomData(seed + 1000);
    const Invoices inv = Build(d);
    const Payments pay = BuildPayments(d, inv);
    std::mt19937 rng(seed);
    const AgingOptions o = RandomAgingOptions(rng);
    const bool table = seed % 2 == 0;
    const RefAging want = ReferenceAging(d, table, o);
    // Random cut points, merged in a random order of adjacent... any order.
    std::vector<std::size_t> cuts = {0, inv.size()};
    for (int k = 0; k < 3; ++k) cuts.push_back(rng() % (inv.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    std::vector<AgingPartial> parts;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      auto p = PartialAging(test_data::InvoicesData(inv, table ? &pay : nullptr), cuts[k], cuts[k + 1], o);
      ASSERT_TRUE(p.ok()) << p.status();
      parts.push_back(*std::move(p));
    }
    std::shuffle(parts.begin(), parts.end(), rng);
    AgingPartial all = parts[0];
    for (std::size_t k = 1; k < parts.size(); ++k) ASSERT_TRUE(MergeAging(all, parts[k]).ok());
    auto got = FinishAging(std::move(all), o);
    ASSERT_TRUE(got.ok());
    ExpectAgingEq(*got, want, "partition seed " + std::to_string(seed));
  }
}

// ---------------------------------------------------------------- collection reference

struct RefRow {
  CollectionSums s;
  std::vector<double> days;
  std::vector<Money> weights;
};

std::map<Id, RefRow> ReferenceCollection(const Data& d, bool table, const CollectionOptions& o) {
  const Day to = o.to == kNoDate ? o.as_of : o.to;
  const bool bounded = o.from != kNoDate;
  std::map<Id, RefRow> rows;
  for (std::size_t i = 0; i < d.id.size(); ++i) {
    RefRow& r = rows[GroupOf(d, i, o.group_by)];
    const Money amt = d.amount[i];
    if ((!bounded || d.due[i] >= o.from) && d.due[i] <= to) {
      ++r.s.invoices_due;
      r.s.billed += amt;
      const Money paid = PaidBy(d, i, table, o.as_of);
      r.s.collected += paid;
      if (amt > 0) {
        ++r.s.payable_invoices;
        if (PaidBy(d, i, table, d.due[i]) >= amt) ++r.s.on_time_invoices;
        if (paid >= amt) {
          ++r.s.paid_invoices;
          Day last = kNoDate;
          for (const auto& [day, m] : PaymentsOf(d, i, table)) {
            if (day <= o.as_of) last = std::max(last, day);
          }
          r.days.push_back(last - d.idate[i]);
          r.weights.push_back(amt);
        }
      }
    }
    if ((!bounded || d.idate[i] >= o.from) && d.idate[i] <= to) {
      ++r.s.invoiced;
      r.s.credit_sales += amt;
    }
    if (d.idate[i] <= to) {
      const Money out = amt - PaidBy(d, i, table, to);
      if (out > 0) {
        r.s.ar_ending += out;
        if (d.due[i] >= to) r.s.ar_ending_current += out;
      }
    }
    if (bounded && d.idate[i] <= o.from - 1) {
      const Money out = amt - PaidBy(d, i, table, o.from - 1);
      if (out > 0) r.s.ar_beginning += out;
    }
  }
  for (auto it = rows.begin(); it != rows.end();) {
    const CollectionSums& s = it->second.s;
    if (s.invoices_due == 0 && s.invoiced == 0 && s.ar_beginning == 0 && s.ar_ending == 0) {
      it = rows.erase(it);
    } else {
      ++it;
    }
  }
  return rows;
}

void ExpectOpt(const std::optional<double>& got, std::optional<double> want, const char* what) {
  ASSERT_EQ(got.has_value(), want.has_value()) << what;
  if (want) {
    EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::fabs(*want))) << what;
  }
}

TEST(CollectionReferenceTest, RandomDataManySeeds) {
  for (std::uint32_t seed = 1; seed <= 150; ++seed) {
    const Data d = RandomData(seed + 5000);
    const Invoices inv = Build(d);
    const Payments pay = BuildPayments(d, inv);
    std::mt19937 rng(seed);
    CollectionOptions o;
    o.as_of = kAsOf + static_cast<int>(rng() % 11) - 5;
    o.to = rng() % 3 == 0 ? kNoDate : o.as_of - static_cast<int>(rng() % 40);
    const Day to = o.to == kNoDate ? o.as_of : o.to;
    o.from = rng() % 4 == 0 ? kNoDate : to - static_cast<int>(rng() % 100);
    o.group_by = RandomGroup(rng);
    o.days_to_pay = rng() % 2 ? DaysToPayMean::kPlain : DaysToPayMean::kAmountWeighted;
    for (bool table : {false, true}) {
      const auto want = ReferenceCollection(d, table, o);
      for (int threads : {1, 2, 3}) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " table " + std::to_string(table) +
                     " threads " + std::to_string(threads));
        o.num_threads = threads;
        auto got = ComputeCollection(test_data::InvoicesData(inv, table ? &pay : nullptr), o);
        ASSERT_TRUE(got.ok()) << got.status();
        ASSERT_EQ(got->rows.size(), want.size());
        std::size_t k = 0;
        for (const auto& [id, ref] : want) {
          const CollectionRow& row = got->rows[k++];
          const CollectionSums& s = ref.s;
          EXPECT_EQ(row.group, id);
          EXPECT_EQ(row.sums.invoices_due, s.invoices_due);
          EXPECT_EQ(row.sums.billed, s.billed);
          EXPECT_EQ(row.sums.collected, s.collected);
          EXPECT_EQ(row.sums.payable_invoices, s.payable_invoices);
          EXPECT_EQ(row.sums.on_time_invoices, s.on_time_invoices);
          EXPECT_EQ(row.sums.paid_invoices, s.paid_invoices);
          EXPECT_EQ(row.sums.invoiced, s.invoiced);
          EXPECT_EQ(row.sums.credit_sales, s.credit_sales);
          EXPECT_EQ(row.sums.ar_beginning, s.ar_beginning);
          EXPECT_EQ(row.sums.ar_ending, s.ar_ending);
          EXPECT_EQ(row.sums.ar_ending_current, s.ar_ending_current);
          ExpectOpt(row.collection_rate,
                    s.billed == 0 ? std::nullopt
                                  : std::optional<double>(static_cast<double>(s.collected) /
                                                          static_cast<double>(s.billed)),
                    "collection_rate");
          std::optional<double> dso;
          if (o.from != kNoDate && s.credit_sales > 0) {
            dso = static_cast<double>(s.ar_ending) / static_cast<double>(s.credit_sales) *
                  (to - o.from + 1);
          }
          ExpectOpt(row.dso, dso, "dso");
          const double den = static_cast<double>(s.ar_beginning + s.credit_sales -
                                                 s.ar_ending_current);
          ExpectOpt(row.cei,
                    den == 0 ? std::nullopt
                             : std::optional<double>(
                                   static_cast<double>(s.ar_beginning + s.credit_sales -
                                                       s.ar_ending) /
                                   den * 100.0),
                    "cei");
          std::optional<double> days;
          if (!ref.days.empty()) {
            double num = 0, w = 0;
            for (std::size_t j = 0; j < ref.days.size(); ++j) {
              const double wj = o.days_to_pay == DaysToPayMean::kPlain
                                    ? 1.0
                                    : static_cast<double>(ref.weights[j]);
              num += wj * ref.days[j];
              w += wj;
            }
            days = num / w;
          }
          ExpectOpt(row.avg_days_to_pay, days, "avg_days_to_pay");
          ExpectOpt(row.on_time_rate,
                    s.payable_invoices == 0
                        ? std::nullopt
                        : std::optional<double>(static_cast<double>(s.on_time_invoices) /
                                                static_cast<double>(s.payable_invoices)),
                    "on_time_rate");
        }
        // rate_only: the groups with an invoice due, billed / collected only.
        CollectionOptions lean = o;
        lean.rate_only = true;
        auto rate = ComputeCollection(test_data::InvoicesData(inv, table ? &pay : nullptr), lean);
        ASSERT_TRUE(rate.ok()) << rate.status();
        std::size_t r = 0;
        for (const auto& [id, ref] : want) {
          if (ref.s.invoices_due == 0) continue;
          ASSERT_LT(r, rate->rows.size());
          const CollectionRow& row = rate->rows[r++];
          EXPECT_EQ(row.group, id);
          EXPECT_EQ(row.sums.invoices_due, ref.s.invoices_due);
          EXPECT_EQ(row.sums.billed, ref.s.billed);
          EXPECT_EQ(row.sums.collected, ref.s.collected);
          EXPECT_EQ(row.sums.ar_ending, 0);
          EXPECT_FALSE(row.dso.has_value());
          EXPECT_FALSE(row.cei.has_value());
        }
        EXPECT_EQ(r, rate->rows.size());
      }
    }
  }
}

TEST(CollectionReferenceTest, AnyPartitionMerges) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const Data d = RandomData(seed + 9000);
    const Invoices inv = Build(d);
    const Payments pay = BuildPayments(d, inv);
    std::mt19937 rng(seed);
    CollectionOptions o;
    o.as_of = kAsOf;
    o.from = kAsOf - 60;
    o.group_by = RandomGroup(rng);
    auto whole = ComputeCollection(test_data::InvoicesData(inv, &pay), o);
    ASSERT_TRUE(whole.ok());
    std::vector<std::size_t> cuts = {0, inv.size(), rng() % (inv.size() + 1),
                                     rng() % (inv.size() + 1)};
    std::sort(cuts.begin(), cuts.end());
    std::vector<CollectionPartial> parts;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      auto p = PartialCollection(test_data::InvoicesData(inv, &pay), cuts[k], cuts[k + 1], o);
      ASSERT_TRUE(p.ok());
      parts.push_back(*std::move(p));
    }
    std::reverse(parts.begin(), parts.end());
    CollectionPartial all = parts[0];
    for (std::size_t k = 1; k < parts.size(); ++k) {
      ASSERT_TRUE(MergeCollection(all, parts[k]).ok());
    }
    auto got = FinishCollection(std::move(all), o);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->rows.size(), whole->rows.size());
    for (std::size_t k = 0; k < got->rows.size(); ++k) {
      EXPECT_EQ(got->rows[k].group, whole->rows[k].group);
      EXPECT_EQ(got->rows[k].sums.ar_ending, whole->rows[k].sums.ar_ending);
      EXPECT_EQ(got->rows[k].sums.collected, whole->rows[k].sums.collected);
      EXPECT_EQ(got->rows[k].sums.amount_days_lo, whole->rows[k].sums.amount_days_lo);
      EXPECT_EQ(got->rows[k].cei, whole->rows[k].cei);
    }
  }
}

// ---------------------------------------------------------------- workload (d)

// The SQL of WORKLOADS.md (d), written plainly over the raw columns.
struct WorkloadRef {
  std::map<Id, std::vector<Money>> ar_customer;  // 5 buckets + total
  std::map<Id, std::pair<Money, Money>> ar_salesperson;
};

WorkloadRef ReferenceWorkload(const InvoicesColumns& c, Day as_of) {
  WorkloadRef r;
  for (std::size_t i = 0; i < c.invoice.size(); ++i) {
    if (c.invoice_date[i] > as_of) continue;
    const Money collected =
        c.paid_date[i] != kNoDate && c.paid_date[i] <= as_of ? c.paid[i] : 0;
    const Money outstanding = c.amount[i] - collected;
    const int dpd = as_of - c.due_date[i];
    if (outstanding > 0) {
      const int b = dpd <= 0 ? 0 : dpd <= 30 ? 1 : dpd <= 60 ? 2 : dpd <= 90 ? 3 : 4;
      auto& v = r.ar_customer[c.customer[i]];
      v.resize(6, 0);
      v[static_cast<std::size_t>(b)] += outstanding;
      v[5] += outstanding;
    }
    if (c.due_date[i] <= as_of) {
      auto& s = r.ar_salesperson[c.salesperson[i]];
      s.first += c.amount[i];
      s.second += collected;
    }
  }
  return r;
}

void ExpectWorkload(const ArWorkloadTables& got, const WorkloadRef& want) {
  const ResultTable& ac = got.ar_customer;
  ASSERT_TRUE(ac.Validate().ok());
  ASSERT_EQ(ac.num_rows(), want.ar_customer.size());
  const char* names[] = {"customer_id", "b_current", "b_1_30", "b_31_60", "b_61_90",
                         "b_over_90", "total"};
  for (std::size_t k = 0; k < 7; ++k) ASSERT_EQ(ac.columns()[k].name, names[k]);
  std::size_t row = 0;
  for (const auto& [id, v] : want.ar_customer) {
    ASSERT_EQ(ac.columns()[0].ints[row], id);
    for (std::size_t k = 0; k < 6; ++k) {
      ASSERT_EQ(ac.columns()[k + 1].ints[row], v[k]) << "customer " << id << " col " << k;
    }
    ++row;
  }
  const ResultTable& as = got.ar_salesperson;
  ASSERT_TRUE(as.Validate().ok());
  ASSERT_EQ(as.num_rows(), want.ar_salesperson.size());
  EXPECT_EQ(as.columns()[0].name, "salesperson_id");
  EXPECT_EQ(as.columns()[3].name, "collection_rate");
  row = 0;
  for (const auto& [id, s] : want.ar_salesperson) {
    ASSERT_EQ(as.columns()[0].ints[row], id);
    ASSERT_EQ(as.columns()[1].ints[row], s.first);
    ASSERT_EQ(as.columns()[2].ints[row], s.second);
    if (s.first == 0) {
      EXPECT_TRUE(as.columns()[3].is_null(row));
    } else {
      EXPECT_DOUBLE_EQ(as.columns()[3].doubles[row],
                       static_cast<double>(s.second) / static_cast<double>(s.first));
    }
    ++row;
  }
}

TEST(ReceivablesWorkloadTest, SampleMatchesSql) {
  SampleOptions so;
  so.order_lines = 30000;
  auto sample = GenerateSample(so);
  ASSERT_TRUE(sample.ok()) << sample.status();
  const WorkloadRef want = ReferenceWorkload(sample->invoices.columns(), sample->as_of);
  ASSERT_GT(want.ar_customer.size(), 100u);
  for (int threads : {1, 2, 3}) {
    auto got = ComputeArWorkload(test_data::InvoicesData(sample->invoices, nullptr), sample->as_of, threads);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectWorkload(*got, want);
  }
  // The Payments table describes the same payments at the as-of date (the
  // instalments sum to `paid` and the last one is dated paid_date; the first
  // may be earlier, so compare only the invoice totals that cannot differ:
  // billed).
  auto via_table = ComputeArWorkload(test_data::InvoicesData(sample->invoices, &sample->payments), sample->as_of, 2);
  ASSERT_TRUE(via_table.ok());
  EXPECT_EQ(via_table->ar_salesperson.columns()[1].ints,
            ComputeArWorkload(test_data::InvoicesData(sample->invoices, nullptr), sample->as_of, 1)
                ->ar_salesperson.columns()[1]
                .ints);
}

TEST(ReceivablesWorkloadTest, RandomDataMatchesSql) {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    const Data d = RandomData(seed + 20000);
    const Invoices inv = Build(d);
    const WorkloadRef want = ReferenceWorkload(inv.columns(), kAsOf);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " threads " + std::to_string(threads));
      auto got = ComputeArWorkload(test_data::InvoicesData(inv, nullptr), kAsOf, threads);
      ASSERT_TRUE(got.ok()) << got.status();
      ExpectWorkload(*got, want);
    }
  }
}

// The threaded workload route (src/receivables/ar_workload.cpp: row pass,
// per-block counts, direct compaction into the columns) against the plain
// SQL reference, on data made for its edges: several radix blocks with empty
// ones between them (customers without invoices), every bucket boundary
// (due exactly 0, 1, 30, 31, ... 91 days before as_of), invoices and payments
// after as_of, credit notes, all paid (no open invoice: an empty table), all
// open, and amounts near 2^62 that send it to the general route.
// SALESIGHT_AR_WORKLOAD_SEEDS=N runs N seeds (default 300).
Data WorkloadEdgeData(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int mode = static_cast<int>(seed % 6);  // 0 all paid, 1 all open, 5 near-limit, else mixed
  Data d;
  const int n = seed % 25 == 0 ? uni(2000, 6000) : uni(0, 400);
  // Sparse ids over up to ~12 blocks of 4096, most slots (and blocks) empty.
  const int id_step = 1 + uni(0, 3) * 700;
  static constexpr int kBoundaries[] = {-1, 0, 1, 29, 30, 31, 59, 60, 61, 89, 90, 91, 200};
  bool big_plus = false, big_minus = false;
  for (int i = 0; i < n; ++i) {
    d.id.push_back(i);
    d.cust.push_back(uni(0, 70) * id_step);
    d.sp.push_back(uni(0, 6) * (seed % 4 == 0 ? 3 : 1));
    d.region.push_back(0);
    const Day due = uni(0, 1) == 0 ? kAsOf - kBoundaries[uni(0, 12)] : kAsOf + uni(-250, 40);
    const Day inv = due - uni(0, 60);
    d.idate.push_back(inv);
    d.due.push_back(due);
    Money amount = uni(0, 12) == 0 ? -uni(1, 500) : uni(0, 5000);
    // At most one huge amount of each sign: no sum overflows, but the fast
    // route's magnitude bound fails.
    if (mode == 5 && uni(0, 40) == 0 && !(amount > 0 ? big_plus : big_minus)) {
      (amount > 0 ? big_plus : big_minus) = true;
      amount = (amount > 0 ? 1 : -1) * (kMaxMoney / 2 + uni(0, 1000));
    }
    d.amount.push_back(amount);
    if (mode == 1 || (mode != 0 && uni(0, 3) == 0)) {
      d.paid.push_back(0);
      d.pdate.push_back(kNoDate);
    } else if (mode == 0) {
      d.paid.push_back(std::max<Money>(amount, 0));
      d.pdate.push_back(inv + uni(0, std::max(0, kAsOf - inv)));
    } else {
      const Money base = std::max<Money>(amount, 1);
      const int kind = uni(0, 3);
      d.paid.push_back(kind == 0 ? uni(1, static_cast<int>(std::min<Money>(base, 1 << 30)))
                       : kind == 3 ? base + uni(1, 300)
                                   : base);
      d.pdate.push_back(inv + uni(-10, 150));
    }
  }
  return d;
}

TEST(ReceivablesWorkloadTest, ThreadedRouteMatchesSqlOnEdges) {
  std::uint32_t seeds = 300;
  if (const char* env = std::getenv("SALESIGHT_AR_WORKLOAD_SEEDS")) {
    seeds = static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10));
  }
  for (std::uint32_t seed = 1; seed <= seeds; ++seed) {
    const Data d = WorkloadEdgeData(seed);
    const Invoices inv = Build(d);
    const WorkloadRef want = ReferenceWorkload(inv.columns(), kAsOf);
    if (seed % 6 == 0) {
      ASSERT_TRUE(want.ar_customer.empty());  // all paid
    }
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " threads " + std::to_string(threads));
      auto got = ComputeArWorkload(test_data::InvoicesData(inv, nullptr), kAsOf, threads);
      ASSERT_TRUE(got.ok()) << got.status();
      ExpectWorkload(*got, want);
    }
  }
}

// Date-ordered invoices (as in the WORKLOADS data and most ERP exports) across
// as_of: the row pass skips 1024-row chunks dated wholly after as_of, and the
// threads take 65536-row slices from a shared counter. Sizes on both sides of
// a chunk and of a slice, the as-of date at the start, middle and end (all
// after it, none after it), local disorder (a late invoice between later
// ones, so a chunk is mixed) and, in some seeds, huge amounts only after
// as_of (they add to nothing: the threaded route may take them).
Data DateOrderedData(std::uint32_t seed, int n) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Data d;
  // Where as_of falls in the row order: 0 = before every row, 4 = after.
  const int cross = static_cast<int>(seed % 5);
  const int span = 400;
  const int start = kAsOf - span * cross / 4;
  const bool huge_after = seed % 3 == 0;
  for (int i = 0; i < n; ++i) {
    d.id.push_back(i);
    d.cust.push_back(uni(0, 9000));
    d.sp.push_back(uni(0, 30));
    d.region.push_back(0);
    Day inv = start + static_cast<Day>(static_cast<std::int64_t>(i) * span / std::max(n, 1));
    if (uni(0, 500) == 0) inv -= uni(0, 60);  // out of order now and then
    d.idate.push_back(inv);
    const Day due = inv + (uni(0, 1) == 0 ? 30 : 60);
    d.due.push_back(due);
    Money amount = uni(0, 12) == 0 ? -uni(1, 500) : uni(1, 5000);
    if (huge_after && inv > kAsOf && uni(0, 200) == 0) amount = kMaxMoney / 2 + uni(0, 1000);
    d.amount.push_back(amount);
    const int kind = uni(0, 5);
    if (kind == 0) {
      d.paid.push_back(0);
      d.pdate.push_back(kNoDate);
    } else {
      d.paid.push_back(kind == 1 ? std::max<Money>(1, amount / 2) : std::max<Money>(amount, 0));
      d.pdate.push_back(inv + uni(-5, 90));
    }
  }
  return d;
}

TEST(ReceivablesWorkloadTest, DateOrderedChunksAndSlicesMatchSql) {
  const int sizes[] = {0, 1, 1023, 1024, 1025, 65535, 65536, 65537, 2 * 65536 + 1500};
  std::uint32_t seed = 0;
  for (const int n : sizes) {
    for (int rep = 0; rep < (n > 60000 ? 5 : 10); ++rep) {
      const Data d = DateOrderedData(++seed + 40000, n);
      const Invoices inv = Build(d);
      const WorkloadRef want = ReferenceWorkload(inv.columns(), kAsOf);
      for (int threads : {1, 2, 3}) {
        SCOPED_TRACE("n " + std::to_string(n) + " seed " + std::to_string(seed) + " threads " +
                     std::to_string(threads));
        auto got = ComputeArWorkload(test_data::InvoicesData(inv, nullptr), kAsOf, threads);
        ASSERT_TRUE(got.ok()) << got.status();
        ExpectWorkload(*got, want);
      }
    }
  }
}

// Hand-computed: as_of 2024-09-30; customer 5000 (second radix block) owes
// 100 due today (current) and 30 of a 50 invoice 31 days overdue (31-60);
// customer 0's invoice is paid; customer 7's is after as_of.
TEST(ReceivablesWorkloadTest, ThreadedRouteTinyCase) {
  Data d;
  auto add = [&](Id cust, Id sp, Day inv, Day due, Money amount, Money paid, Day pdate) {
    d.id.push_back(static_cast<std::int64_t>(d.id.size()));
    d.cust.push_back(cust);
    d.sp.push_back(sp);
    d.region.push_back(0);
    d.idate.push_back(inv);
    d.due.push_back(due);
    d.amount.push_back(amount);
    d.paid.push_back(paid);
    d.pdate.push_back(pdate);
  };
  add(5000, 1, kAsOf - 10, kAsOf, 100, 0, kNoDate);
  add(5000, 2, kAsOf - 40, kAsOf - 31, 50, 20, kAsOf - 5);
  add(0, 2, kAsOf - 40, kAsOf - 10, 70, 70, kAsOf - 1);
  add(7, 1, kAsOf + 1, kAsOf + 30, 90, 0, kNoDate);
  const Invoices inv = Build(d);
  for (int threads : {1, 2, 3}) {
    auto got = ComputeArWorkload(test_data::InvoicesData(inv, nullptr), kAsOf, threads);
    ASSERT_TRUE(got.ok()) << got.status();
    const auto& c = got->ar_customer.columns();
    ASSERT_EQ(got->ar_customer.num_rows(), 1u);
    EXPECT_EQ(c[0].ints[0], 5000);
    EXPECT_EQ(c[1].ints[0], 100);  // current
    EXPECT_EQ(c[2].ints[0], 0);
    EXPECT_EQ(c[3].ints[0], 30);   // 31-60
    EXPECT_EQ(c[6].ints[0], 130);  // total
    const auto& s = got->ar_salesperson.columns();
    ASSERT_EQ(got->ar_salesperson.num_rows(), 2u);  // salesperson 1's only due invoice: 100
    EXPECT_EQ(s[0].ints, (LargeVector<std::int64_t>{1, 2}));
    EXPECT_EQ(s[1].ints, (LargeVector<std::int64_t>{100, 120}));
    EXPECT_EQ(s[2].ints, (LargeVector<std::int64_t>{0, 90}));
    EXPECT_DOUBLE_EQ(s[3].doubles[1], 0.75);
  }
}

}  // namespace
}  // namespace salesight
