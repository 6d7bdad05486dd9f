// The workload-(d) fast kernel (paid/paid_date source, rate-only collection,
// no overdue list, <= 4 cut-offs) must equal the generic kernel, which the
// brute-force references in receivables_reference_test.cpp check. Asking for
// one overdue invoice forces the generic kernel on the same data, so every
// output (groups, cells, totals, every issue count, amount and example row,
// the collection rows) is compared across random data: several 1024-row
// chunks, sparse ids, both age bases, 1-5 cut-offs, early payments, credit
// notes, and near-limit amounts that send the fast kernel to its fallback.
#include <algorithm>
#include <random>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/receivables.hpp"

namespace salesight {
namespace {

Invoices RandomInvoices(unsigned seed, Day as_of) {
  std::mt19937_64 rng(seed);
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const int n = seed % 10 == 0 ? static_cast<int>(uni(3000, 9000)) : static_cast<int>(uni(0, 600));
  const unsigned mode = seed % 5;  // 3: few rare cases; 4: near-limit amounts
  const std::int64_t spread = seed % 3 == 0 ? 1500 : 1;
  std::vector<std::int64_t> id;
  std::vector<Id> customer, salesperson;
  std::vector<Day> invoice_date, due, paid_date;
  std::vector<Money> amount, paid;
  for (int i = 0; i < n; ++i) {
    id.push_back(i);
    customer.push_back(static_cast<Id>(uni(0, 20) * spread));
    salesperson.push_back(static_cast<Id>(uni(0, 6)));
    const Day inv = as_of + static_cast<Day>(uni(-300, 20));
    invoice_date.push_back(inv);
    due.push_back(inv + static_cast<Day>(uni(0, 130)));
    Money a = uni(0, 9) == 0 ? -uni(1, 500) : uni(0, 5000);
    if (mode == 4 && uni(0, 50) == 0) a = (uni(0, 1) ? 1 : -1) * (kMaxMoney - uni(0, 5));
    if (mode == 3) a = uni(1, 5000);
    amount.push_back(a);
    const std::int64_t kind = uni(0, 4);
    if (kind == 0) {
      paid.push_back(0);
      paid_date.push_back(kNoDate);
    } else {
      const Money base = std::max<Money>(a, 1);
      paid.push_back(std::min<Money>(
          kMaxMoney, kind == 1 ? uni(1, base) : kind == 4 ? base + uni(1, 300) : base));
      paid_date.push_back(inv + static_cast<Day>(uni(mode == 3 ? 0 : -10, 150)));
    }
  }
  InvoicesColumns c;
  c.invoice = Column<std::int64_t>::Own(id);
  c.customer = Column<Id>::Own(customer);
  c.salesperson = Column<Id>::Own(salesperson);
  c.region = Column<Id>::Own(salesperson);
  c.invoice_date = Column<Day>::Own(invoice_date);
  c.due_date = Column<Day>::Own(due);
  c.amount = Column<Money>::Own(amount);
  c.paid = Column<Money>::Own(paid);
  c.paid_date = Column<Day>::Own(paid_date);
  absl::StatusOr<Invoices> t = Invoices::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

TEST(ReceivablesFastKernel, EqualsTheGenericKernel) {
  const Day as_of = 19996;
  const std::vector<std::vector<std::int32_t>> cutoffs = {
      {0, 30, 60, 90}, {0}, {-5, 10}, {-10, 0, 45}, {0, 30, 60, 90, 120}};
  for (unsigned seed = 1; seed <= 150; ++seed) {
    const Invoices inv = RandomInvoices(seed, as_of);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " threads " << threads);
      AgingOptions a;
      a.as_of = as_of;
      a.num_threads = threads;
      a.max_examples = 3;
      a.cutoffs = cutoffs[seed % cutoffs.size()];
      a.age_basis = seed % 4 == 1 ? AgeBasis::kInvoiceDate : AgeBasis::kDueDate;
      a.group_by = seed % 7 == 2 ? "region" : "customer";
      CollectionOptions co;
      co.as_of = as_of;
      co.rate_only = true;
      co.group_by = "salesperson";
      if (seed % 6 == 5) {
        co.from = as_of - 40;
        co.to = as_of - 3;
      }
      a.overdue_top_n = 0;  // eligible for the fast kernel
      absl::StatusOr<ReceivablesResult> f = ComputeReceivables(test_data::InvoicesData(inv, nullptr), a, co);
      a.overdue_top_n = 1;  // the generic kernel
      absl::StatusOr<ReceivablesResult> g = ComputeReceivables(test_data::InvoicesData(inv, nullptr), a, co);
      ASSERT_EQ(f.ok(), g.ok()) << f.status() << " | " << g.status();
      if (!f.ok()) {
        EXPECT_EQ(f.status(), g.status());
        continue;
      }
      const AgingResult& x = f->aging;
      const AgingResult& y = g->aging;
      EXPECT_EQ(x.groups, y.groups);
      EXPECT_EQ(x.amounts, y.amounts);
      EXPECT_EQ(x.totals, y.totals);
      EXPECT_EQ(x.bucket_totals, y.bucket_totals);
      EXPECT_EQ(x.total, y.total);
      EXPECT_EQ(x.invoices, y.invoices);
      EXPECT_EQ(x.open_invoices, y.open_invoices);
      const ReceivablesIssues& p = x.issues;
      const ReceivablesIssues& q = y.issues;
      EXPECT_EQ(p.invoices_after_as_of, q.invoices_after_as_of);
      EXPECT_EQ(p.payments_after_as_of, q.payments_after_as_of);
      EXPECT_EQ(p.payments_after_as_of_amount, q.payments_after_as_of_amount);
      EXPECT_EQ(p.overpaid_invoices, q.overpaid_invoices);
      EXPECT_EQ(p.overpaid_amount, q.overpaid_amount);
      EXPECT_EQ(p.early_payments, q.early_payments);
      EXPECT_EQ(p.early_payment_amount, q.early_payment_amount);
      EXPECT_EQ(p.overpaid_examples, q.overpaid_examples);
      EXPECT_EQ(p.early_payment_examples, q.early_payment_examples);
      const std::vector<CollectionRow>& cx = f->collection.rows;
      const std::vector<CollectionRow>& cy = g->collection.rows;
      ASSERT_EQ(cx.size(), cy.size());
      for (std::size_t r = 0; r < cx.size(); ++r) {
        EXPECT_EQ(cx[r].group, cy[r].group);
        EXPECT_EQ(cx[r].sums.invoices_due, cy[r].sums.invoices_due);
        EXPECT_EQ(cx[r].sums.billed, cy[r].sums.billed);
        EXPECT_EQ(cx[r].sums.collected, cy[r].sums.collected);
        EXPECT_EQ(cx[r].collection_rate, cy[r].collection_rate);
      }
      EXPECT_EQ(f->collection.total.sums.billed, g->collection.total.sums.billed);
    }
  }
}

}  // namespace
}  // namespace salesight
