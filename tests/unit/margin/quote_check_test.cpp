// Quote check: hand cases (tier cost, below cost, below the margin floor,
// over the credit limit, boundaries), errors for unknown customers and
// products, open receivables, and a plain reference on random requests.
#include <random>

#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/quote_check.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::Dict;
using margin_test::ProductRows;

// P0: standard 10.00, tiers 10 -> 8.00, 100 -> 7.00; P1: standard 5.00.
absl::StatusOr<Products> HandProducts() {
  ProductRows p;
  p.products = Dict({"P0", "P1"});
  p.product = {0, 1};
  p.standard_cost = {1000, 500};
  p.tiers = {{0, 100, 700}, {0, 10, 800}};
  return p.Build();
}

// C0 limit 1000.00, C1 limit 0 (no credit), C2 limit 500.00.
absl::StatusOr<Customers> HandCustomers(bool with_limits = true, int scale = 2) {
  CustomersColumns c;
  c.customer = Column<Id>::Own({0, 1, 2});
  const Money unit = scale == 3 ? 10 : 1;
  if (with_limits) c.credit_limit = Column<Money>::Own({100000 * unit, 0, 50000 * unit});
  c.money_scale = scale;
  c.customers = Dict({"C-0", "C-1", "C-2", "C-9"});  // C-9 has a code but no row
  return Customers::Build(std::move(c));
}

// Open receivables: C0 900.00, C2 100.00.
OpenReceivables HandReceivables() {
  OpenReceivables r;
  r.by_customer = {90000, 0, 10000};
  r.as_of = D(2024, 3, 31);
  return r;
}

absl::StatusOr<QuoteIndex> HandIndex(QuoteIndexOptions o = {}) {
  auto products = HandProducts();
  auto customers = HandCustomers();
  if (!products.ok()) return products.status();
  if (!customers.ok()) return customers.status();
  return QuoteIndex::Build(*products, *customers, HandReceivables(), o);
}

// C0 buys 20 x P0 at 8.50: tier 10 -> 8.00. revenue 170.00, cost 160.00,
// margin 10.00 = 1000/17000 = 5.88% < 10% floor; exposure 900 + 170 = 1070.00
// > 1000.00 -> over by 70.00.
TEST(QuoteCheckTest, TierCostMarginFloorAndCredit) {
  auto index = HandIndex();
  ASSERT_TRUE(index.ok()) << index.status();
  auto q = index->Check(QuoteRequest{0, 0, 20, 850, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->cost_source, CostSource::kTierCost);
  EXPECT_EQ(q->tier_min_quantity, 10);
  EXPECT_EQ(q->unit_cost, 800);
  EXPECT_EQ(q->revenue, 17000);
  EXPECT_EQ(q->cost, 16000);
  EXPECT_EQ(q->margin, 1000);
  EXPECT_DOUBLE_EQ(*q->margin_pct, 100.0 * 1000 / 17000);
  EXPECT_EQ(q->open_receivables, 90000);
  EXPECT_EQ(q->exposure, 107000);
  EXPECT_EQ(*q->credit_limit, 100000);
  EXPECT_EQ(*q->credit_headroom, -7000);
  EXPECT_EQ(q->warnings, kQuoteBelowMarginFloor | kQuoteOverCreditLimit);
  EXPECT_EQ(WarningText(q->warnings), "below_margin_floor,over_credit_limit");
  EXPECT_EQ(WarningText(q->warnings, MarginLabelLanguage::kChinese), "低于毛利底线,超出信用额度");

  // 5 x P0 at 8.50: below the first tier -> standard 10.00 -> below cost.
  // revenue 42.50, cost 50.00, margin -7.50; exposure 942.50 <= 1000.
  q = index->Check(QuoteRequest{0, 0, 5, 850, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->cost_source, CostSource::kStandardCost);
  EXPECT_EQ(q->tier_min_quantity, -1);
  EXPECT_EQ(q->margin, -750);
  EXPECT_EQ(q->warnings, kQuoteBelowCost | kQuoteBelowMarginFloor);

  // 100 x P0 at 10.00: tier 100 -> 7.00, margin 30%; exposure 1900 > 1000.
  q = index->Check(QuoteRequest{0, 0, 100, 1000, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->unit_cost, 700);
  EXPECT_DOUBLE_EQ(*q->margin_pct, 30.0);
  EXPECT_EQ(q->warnings, kQuoteOverCreditLimit);

  // C2 buys 10 x P1 at 6.00: cost 50.00, margin 16.67%, exposure 160.00: fine.
  q = index->Check(QuoteRequest{2, 1, 10, 600, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->warnings, 0u);
  EXPECT_EQ(*q->credit_headroom, 34000);

  const ResultTable t = ToResultTable(*q, *index);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_rows(), 1u);
  EXPECT_EQ(FormatCell(*t.Find("exposure"), 0), "160.00");
  EXPECT_EQ(t.Find("cost_source")->Texts()[0], "standard");
  EXPECT_TRUE(t.Find("tier_min_quantity")->is_null(0));
  EXPECT_EQ(t.Find("warnings")->Texts()[0], "");
  EXPECT_EQ(t.Find("customer")->Texts()[0], "C-2");
  EXPECT_EQ(t.Find("product")->Texts()[0], "P1");
}

TEST(QuoteCheckTest, Boundaries) {
  auto index = HandIndex();
  ASSERT_TRUE(index.ok());
  // C2: receivables 100.00 + 40 x 10.00 = 500.00 == limit: not over.
  auto q = index->Check(QuoteRequest{2, 1, 40, 1000, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->exposure, 50000);
  EXPECT_EQ(*q->credit_headroom, 0);
  EXPECT_EQ(q->warnings & kQuoteOverCreditLimit, 0u);
  // One cent more is over.
  q = index->Check(QuoteRequest{2, 1, 1, 40001, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_NE(q->warnings & kQuoteOverCreditLimit, 0u);
  // C1 has limit 0 (no credit): any quote is over.
  q = index->Check(QuoteRequest{1, 1, 1, 600, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_NE(q->warnings & kQuoteOverCreditLimit, 0u);
  // Price equal to cost is not below cost; margin 0% is below a 10% floor.
  q = index->Check(QuoteRequest{2, 1, 1, 500, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->warnings, kQuoteBelowMarginFloor);
  // Margin exactly at the floor is not below it: floor 20%, P1 at 6.25 ->
  // (625 - 500) / 625 = 20%.
  QuoteIndexOptions o;
  o.margin_floor_pct = 20;
  auto index20 = HandIndex(o);
  ASSERT_TRUE(index20.ok());
  q = index20->Check(QuoteRequest{2, 1, 1, 625, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->warnings, 0u);
  q = index20->Check(QuoteRequest{2, 1, 1, 624, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->warnings, kQuoteBelowMarginFloor);
  // A free item has no margin % and is below any positive floor.
  q = index20->Check(QuoteRequest{2, 1, 1, 0, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->margin_pct.has_value());
  EXPECT_EQ(q->warnings, kQuoteBelowCost | kQuoteBelowMarginFloor);
  // Standard cost first: 20 x P0 uses 10.00 and 8.50 is below cost.
  QuoteIndexOptions standard_first;
  standard_first.cost_order = ProductCostOrder::kStandardThenTier;
  auto index_sf = HandIndex(standard_first);
  ASSERT_TRUE(index_sf.ok());
  q = index_sf->Check(QuoteRequest{0, 0, 20, 850, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->unit_cost, 1000);
  EXPECT_NE(q->warnings & kQuoteBelowCost, 0u);
}

// A customer listed twice is named by its code, never by its internal id.
TEST(QuoteCheckTest, DuplicateCustomerNamedAsGiven) {
  CustomersColumns c;
  c.customer = Column<Id>::Own({0, 3, 3});
  c.customers = Dict({"C-0", "C-1", "C-2", "C-9"});
  auto customers = Customers::Build(std::move(c));
  auto products = HandProducts();
  ASSERT_TRUE(customers.ok() && products.ok());
  auto index = QuoteIndex::Build(*products, *customers, OpenReceivables{});
  ASSERT_FALSE(index.ok());
  EXPECT_NE(index.status().message().find("customers row 2 lists customer 'C-9' a second time"),
            std::string::npos)
      << index.status();
}

TEST(QuoteCheckTest, UnknownCustomerOrProductIsAClearError) {
  auto index = HandIndex();
  ASSERT_TRUE(index.ok());
  auto q = index->Check(QuoteRequest{7, 0, 1, 100, D(2024, 4, 1)});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(q.status().message().find("customer 7"), std::string::npos) << q.status();
  q = index->Check(QuoteRequest{3, 0, 1, 100, D(2024, 4, 1)});  // C-9: a code, no row
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("C-9"), std::string::npos) << q.status();
  q = index->Check(QuoteRequest{0, 5, 1, 100, D(2024, 4, 1)});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(q.status().message().find("product 5"), std::string::npos) << q.status();
  q = index->Check("C-404", "P0", 1, 100, D(2024, 4, 1));
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("'C-404'"), std::string::npos) << q.status();
  q = index->Check("C-0", "P-nope", 1, 100, D(2024, 4, 1));
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("'P-nope'"), std::string::npos) << q.status();
  q = index->Check("C-0", "P1", 2, 600, D(2024, 4, 1));
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->revenue, 1200);
  // Invalid requests.
  EXPECT_EQ(index->Check(QuoteRequest{0, 0, 0, 100, D(2024, 4, 1)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index->Check(QuoteRequest{0, 0, 1, -1, D(2024, 4, 1)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index->Check(QuoteRequest{0, 0, 1, 100, kNoDate}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A product with tiers only: below its first tier there is no cost.
TEST(QuoteCheckTest, NoCostAtThatQuantityAndNoCreditLimitColumn) {
  ProductRows p;
  p.product = {0};
  p.tiers = {{0, 5, 200}};
  auto products = p.Build();
  auto customers = HandCustomers(/*with_limits=*/false);
  ASSERT_TRUE(products.ok() && customers.ok());
  auto index = QuoteIndex::Build(*products, *customers, OpenReceivables{});
  ASSERT_TRUE(index.ok());
  auto q = index->Check(QuoteRequest{0, 0, 3, 500, D(2024, 4, 1)});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), absl::StatusCode::kFailedPrecondition);
  q = index->Check(QuoteRequest{0, 0, 5, 500, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->cost, 1000);
  EXPECT_FALSE(q->credit_limit.has_value());
  EXPECT_EQ(q->warnings, kQuoteNoCreditLimit);
}

// Customers at scale 3 lift the index to scale 3: 8.00 becomes 8000.
TEST(QuoteCheckTest, MixedScalesAreRescaledExactly) {
  auto products = HandProducts();
  auto customers = HandCustomers(true, 3);
  ASSERT_TRUE(products.ok() && customers.ok());
  auto index = QuoteIndex::Build(*products, *customers, HandReceivables());
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(index->money_scale(), 3);
  auto q = index->Check(QuoteRequest{0, 0, 20, 8500, D(2024, 4, 1)});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->unit_cost, 8000);
  EXPECT_EQ(q->open_receivables, 900000);
  EXPECT_EQ(*q->credit_limit, 1000000);
}

// Invoices at as_of 2024-03-31:
//   i0 C0 2024-01-10 500.00, paid 200.00 on 2024-02-01 -> 300.00 open
//   i1 C0 2024-02-10 400.00, paid in full on 2024-04-15 (after as_of) -> 400.00
//   i2 C1 2024-04-01 (after as_of) -> not yet invoiced
//   i3 C2 2024-03-01 100.00 unpaid -> 100.00
// C0 = 700.00; with a Payments table instead (i0: 100.00 on 2024-01-20 and
// 100.00 on 2024-04-02) C0 = 400.00 + 400.00 = 800.00.
TEST(QuoteCheckTest, OpenReceivablesFromInvoicesAndPayments) {
  InvoicesColumns c;
  c.invoice = Column<std::int64_t>::Own({0, 1, 2, 3});
  c.customer = Column<Id>::Own({0, 0, 1, 2});
  c.invoice_date = Column<Day>::Own({D(2024, 1, 10), D(2024, 2, 10), D(2024, 4, 1), D(2024, 3, 1)});
  c.due_date = Column<Day>::Own({D(2024, 2, 10), D(2024, 3, 10), D(2024, 5, 1), D(2024, 4, 1)});
  c.amount = Column<Money>::Own({50000, 40000, 9999, 10000});
  c.paid = Column<Money>::Own({20000, 40000, 0, 0});
  c.paid_date = Column<Day>::Own({D(2024, 2, 1), D(2024, 4, 15), kNoDate, kNoDate});
  auto invoices = Invoices::Build(std::move(c));
  ASSERT_TRUE(invoices.ok()) << invoices.status();
  auto open = OpenReceivablesFromInvoices(*invoices, nullptr, D(2024, 3, 31));
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->by_customer, (std::vector<Money>{70000, 0, 10000}));
  PaymentsColumns pc;
  pc.invoice_row = Column<std::int64_t>::Own({0, 0});
  pc.date = Column<Day>::Own({D(2024, 1, 20), D(2024, 4, 2)});
  pc.amount = Column<Money>::Own({10000, 10000});
  auto payments = Payments::Build(std::move(pc), *invoices);
  ASSERT_TRUE(payments.ok()) << payments.status();
  open = OpenReceivablesFromInvoices(*invoices, &*payments, D(2024, 3, 31));
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->by_customer, (std::vector<Money>{80000, 0, 10000}));
  EXPECT_FALSE(OpenReceivablesFromInvoices(*invoices, nullptr, kNoDate).ok());
}

// Random products, tiers, customers and requests against a plain reference.
TEST(QuoteCheckTest, MatchesPlainReferenceOnRandomRequests) {
  std::mt19937_64 rng(3);
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int round = 0; round < 20; ++round) {
    ProductRows p;
    const int np = static_cast<int>(uni(1, 30));
    for (Id id = 0; id < np; ++id) {
      p.product.push_back(id);
      p.standard_cost.push_back(uni(0, 5000));
      std::int32_t min_q = static_cast<std::int32_t>(uni(1, 5));
      for (int t = static_cast<int>(uni(0, 3)); t > 0; --t) {
        p.tiers.push_back(CostTier{id, min_q, uni(0, 5000)});
        min_q += static_cast<std::int32_t>(uni(1, 40));
      }
    }
    auto products = p.Build();
    ASSERT_TRUE(products.ok());
    const int nc = static_cast<int>(uni(1, 20));
    CustomersColumns cc;
    std::vector<Id> ids;
    std::vector<Money> limits;
    OpenReceivables open;
    for (Id id = 0; id < nc; ++id) {
      ids.push_back(id);
      limits.push_back(uni(0, 1'000'000));
      open.by_customer.push_back(uni(-1000, 500'000));
    }
    cc.customer = Column<Id>::Own(ids);
    cc.credit_limit = Column<Money>::Own(limits);
    auto customers = Customers::Build(std::move(cc));
    ASSERT_TRUE(customers.ok());
    QuoteIndexOptions o;
    o.margin_floor_pct = static_cast<double>(uni(0, 40));
    o.cost_order = static_cast<ProductCostOrder>(uni(0, 1));
    auto index = QuoteIndex::Build(*products, *customers, open, o);
    ASSERT_TRUE(index.ok());
    for (int k = 0; k < 200; ++k) {
      const QuoteRequest req{static_cast<Id>(uni(0, nc - 1)), static_cast<Id>(uni(0, np - 1)),
                             static_cast<std::int32_t>(uni(1, 120)), uni(0, 8000), D(2024, 1, 1)};
      auto q = index->Check(req);
      ASSERT_TRUE(q.ok()) << q.status();
      // Reference unit cost.
      Money standard = p.standard_cost[static_cast<std::size_t>(req.product)];
      std::optional<Money> tier;
      std::int32_t best = -1;
      for (const CostTier& t : p.tiers) {
        if (t.product == req.product && t.min_quantity <= req.quantity && t.min_quantity > best) {
          best = t.min_quantity;
          tier = t.unit_cost;
        }
      }
      const Money unit =
          o.cost_order == ProductCostOrder::kTierThenStandard && tier ? *tier : standard;
      const Money revenue = req.quantity * req.unit_price;
      const Money margin = revenue - req.quantity * unit;
      const Money exposure = open.by_customer[static_cast<std::size_t>(req.customer)] + revenue;
      std::uint32_t warnings = 0;
      if (req.unit_price < unit) warnings |= kQuoteBelowCost;
      if (revenue == 0 ? o.margin_floor_pct > 0
                       : 100.0 * static_cast<double>(margin) / static_cast<double>(revenue) <
                             o.margin_floor_pct) {
        warnings |= kQuoteBelowMarginFloor;
      }
      if (exposure > limits[static_cast<std::size_t>(req.customer)]) warnings |= kQuoteOverCreditLimit;
      EXPECT_EQ(q->unit_cost, unit);
      EXPECT_EQ(q->margin, margin);
      EXPECT_EQ(q->exposure, exposure);
      EXPECT_EQ(q->warnings, warnings) << "round " << round << " request " << k;
    }
  }
}

}  // namespace
}  // namespace salesight
