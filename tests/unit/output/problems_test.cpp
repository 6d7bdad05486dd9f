// The data problems every surface shows: the table's shape, the CLI
// formatter, ids named as the user gave them, and the problems of funnel and
// receivables equal to the counts the calculators report (random data, many
// seeds).
#include <cstdint>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/dataset.hpp"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/receivables.hpp"
#include "salesight/result_table.hpp"

namespace salesight {
namespace {

const DataProblem* FindProblem(const DataProblems& p, const std::string& kind) {
  for (const DataProblem& x : p.items) {
    if (x.problem == kind) return &x;
  }
  return nullptr;
}

std::int64_t CountOf(const DataProblems& p, const std::string& kind) {
  const DataProblem* x = FindProblem(p, kind);
  return x ? x->count : 0;
}

TEST(ProblemsTable, EmptyHasTheColumnsAndNoRows) {
  const ResultTable t = ProblemsToResultTable(DataProblems{});
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_rows(), 0u);
  std::vector<std::string> names;
  for (const ResultColumn& c : t.columns()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"problem", "count", "amount", "example_ids",
                                             "example_rows", "message"}));
  std::ostringstream out;
  PrintProblems(t, out);
  EXPECT_EQ(out.str(), "");
}

TEST(ProblemsTable, RowsAndTheCliFormatter) {
  DataProblems p;
  p.money_scale = 2;
  p.items.push_back(DataProblem{"overpaid_invoices", 3, Money{1250}, {"INV-7", "INV-9"}, {4, 17},
                                "3 invoices overpaid"});
  p.items.push_back(DataProblem{"invoices_after_as_of", 1, std::nullopt, {}, {}, "1 invoice"});
  const ResultTable t = ProblemsToResultTable(p);
  ASSERT_TRUE(t.Validate().ok());
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.Find("problem")->Texts(),
            (std::vector<std::string>{"overpaid_invoices", "invoices_after_as_of"}));
  EXPECT_EQ(t.Find("count")->ints[0], 3);
  EXPECT_EQ(t.Find("amount")->ints[0], 1250);
  EXPECT_EQ(t.Find("amount")->money_scale, 2);
  EXPECT_TRUE(t.Find("amount")->is_null(1));
  EXPECT_EQ(t.Find("example_ids")->StringAt(0), "INV-7;INV-9");
  EXPECT_EQ(t.Find("example_rows")->StringAt(0), "4;17");
  EXPECT_EQ(t.Find("example_rows")->StringAt(1), "");
  std::ostringstream out;
  PrintProblems(t, out);
  EXPECT_EQ(out.str(),
            "data problem: 3 invoices overpaid\n"
            "  examples: 'INV-7' (row 4) 'INV-9' (row 17)\n"
            "data problem: 1 invoice\n");
}

TEST(ProblemsTable, KeyIdText) {
  auto codes = std::make_shared<Dictionary>();
  ASSERT_TRUE(codes->Intern("a1f3").ok());
  ASSERT_TRUE(codes->Intern("b2c4").ok());
  EXPECT_EQ(KeyIdText(codes, 1), "b2c4");
  EXPECT_EQ(KeyIdText(nullptr, 6357), "6357");
}

// ------------------------------------------------------------------ funnel

// Text ids (their codes) in a Dictionary, the column holding ids into it.
Pipeline TextIdPipeline(const std::vector<std::string>& ids, const std::vector<Day>& lead,
                        const std::vector<Day>& won, const std::vector<Day>& lost) {
  auto codes = std::make_shared<Dictionary>();
  std::vector<std::int64_t> opp;
  for (const std::string& id : ids) opp.push_back(*codes->Intern(id));
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own(opp);
  c.created = Column<Day>::Own(lead);
  c.stage_names = {"lead", "quote", "won"};
  std::vector<Day> quote(ids.size(), kNoDate);
  c.stage_dates = {Column<Day>::Own(lead), Column<Day>::Own(quote), Column<Day>::Own(won)};
  c.lost_date = Column<Day>::Own(lost);
  c.opportunities = codes;
  return *Pipeline::Build(std::move(c));
}

TEST(FunnelProblems, NameTheOpportunityAsGiven) {
  const Day d = DayFromCivil(2024, 1, 10);
  // Row 1: won before lead (and before created): 2 backwards dates; a skipped
  // quote stage on rows 0 and 1; row 2 won and lost.
  const Pipeline p = TextIdPipeline(
      {"0f3a9c2e7b1d4e5f8a6b7c9d0e1f2a3b", "a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b", "c3"},
      {d, d + 5, d}, {d + 9, d + 2, kNoDate}, {kNoDate, kNoDate, d + 1});
  FunnelOptions o;
  o.compute_bottlenecks = false;
  absl::StatusOr<FunnelResult> r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const DataProblems problems = FunnelProblems(*r);
  EXPECT_EQ(CountOf(problems, "backwards_dates"), 2);
  EXPECT_EQ(CountOf(problems, "skipped_stage"), 2);
  EXPECT_EQ(CountOf(problems, "won_and_lost"), 0);  // row 2 never reached won
  const DataProblem* back = FindProblem(problems, "backwards_dates");
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->example_ids,
            (std::vector<std::string>{"a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b",
                                      "a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b"}));
  EXPECT_EQ(back->example_rows, (std::vector<std::int64_t>{1, 1}));
  EXPECT_NE(back->message.find("opportunity 'a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b': won 2024-01-12 "
                               "is before lead 2024-01-15"),
            std::string::npos)
      << back->message;
  EXPECT_EQ(back->message.find("opportunity '1'"), std::string::npos);
  // The CLI's lines come from the same table.
  std::ostringstream out;
  PrintProblems(ProblemsToResultTable(problems), out);
  EXPECT_NE(out.str().find("'a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b' (row 1)"), std::string::npos);
  EXPECT_EQ(out.str().find("opportunity 1"), std::string::npos);
}

TEST(FunnelProblems, OnlyTheKindsWithACount) {
  const Day d = DayFromCivil(2024, 1, 10);
  const Pipeline p = TextIdPipeline({"x", "y"}, {d, d}, {d + 3, kNoDate}, {kNoDate, kNoDate});
  FunnelOptions o;
  o.implied_reached = true;
  absl::StatusOr<FunnelResult> r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok());
  // Row 0 skips quote: one skipped_stage, nothing else.
  const DataProblems problems = FunnelProblems(*r);
  ASSERT_EQ(problems.items.size(), 1u);
  EXPECT_EQ(problems.items[0].problem, "skipped_stage");
  EXPECT_TRUE(problems.items[0].example_ids.empty());
}

TEST(FunnelProblems, NumbersWithoutCodes) {
  PipelineColumns c;
  const Day d = DayFromCivil(2024, 1, 10);
  c.opportunity = Column<std::int64_t>::Own({900001, 6357});
  c.created = Column<Day>::Own({d, d});
  c.stage_names = {"lead", "won"};
  c.stage_dates = {Column<Day>::Own({d, d}), Column<Day>::Own({d + 1, d - 4})};
  absl::StatusOr<Pipeline> p = Pipeline::Build(std::move(c));
  ASSERT_TRUE(p.ok());
  absl::StatusOr<FunnelResult> r = ComputeFunnel(*p, FunnelOptions{});
  ASSERT_TRUE(r.ok());
  const DataProblems problems = FunnelProblems(*r);
  const DataProblem* back = FindProblem(problems, "backwards_dates");
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->example_ids, (std::vector<std::string>{"6357", "6357"}));
}

TEST(FunnelProblems, PipelineBuildChecksIdsAgainstTheirCodes) {
  auto codes = std::make_shared<Dictionary>();
  ASSERT_TRUE(codes->Intern("only").ok());
  PipelineColumns c;
  const Day d = DayFromCivil(2024, 1, 10);
  c.opportunity = Column<std::int64_t>::Own({0, 1});
  c.created = Column<Day>::Own({d, d});
  c.stage_names = {"lead"};
  c.stage_dates = {Column<Day>::Own({d, d})};
  c.opportunities = codes;
  absl::StatusOr<Pipeline> p = Pipeline::Build(std::move(c));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("row 1, column 'opportunity'"), std::string::npos)
      << p.status();
}

// A customers table describing one customer twice: the relation error names
// the customer as given, never its internal id.
TEST(DatasetProblems, DuplicateMasterRowNamesTheCustomerAsGiven) {
  auto customers = std::make_shared<Dictionary>();
  ASSERT_TRUE(customers->Intern("K-1").ok());
  ASSERT_TRUE(customers->Intern("K-2").ok());
  const Day d = DayFromCivil(2024, 1, 10);
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({1, 2});
  c.created = Column<Day>::Own({d, d});
  c.customer = Column<Id>::Own({0, 1});
  c.customers = customers;
  c.stage_names = {"lead"};
  c.stage_dates = {Column<Day>::Own({d, d})};
  absl::StatusOr<Pipeline> p = Pipeline::Build(std::move(c));
  ASSERT_TRUE(p.ok());
  CustomersColumns m;
  m.customer = Column<Id>::Own({1, 0, 1});
  m.customers = customers;
  absl::StatusOr<Customers> master = Customers::Build(std::move(m));
  ASSERT_TRUE(master.ok());
  DatasetTables tables;
  tables.pipeline = std::make_shared<const Pipeline>(*std::move(p));
  tables.customers = std::make_shared<const Customers>(*std::move(master));
  absl::StatusOr<Dataset> ds = Dataset::Build(std::move(tables));
  ASSERT_FALSE(ds.ok());
  EXPECT_NE(ds.status().message().find("customers rows 0 and 2 describe the same id 'K-2'"),
            std::string::npos)
      << ds.status();
}

// Random pipelines: the problems' counts are the calculator's issue counts,
// and every example id is the code of the example row's opportunity.
TEST(FunnelProblems, CountsEqualTheIssuesOnRandomData) {
  std::int64_t seen[3] = {0, 0, 0};  // the data must exercise every kind
  for (int seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    const int n = 1 + static_cast<int>(rng() % 300);
    std::vector<std::string> ids;
    std::vector<Day> lead, won, lost;
    const Day base = DayFromCivil(2023, 1, 1);
    for (int i = 0; i < n; ++i) {
      ids.push_back(absl::StrFormat("opp-%08x", rng()));
      lead.push_back(base + static_cast<Day>(rng() % 300));
      won.push_back(rng() % 3 == 0 ? kNoDate : base + static_cast<Day>(rng() % 300));
      lost.push_back(rng() % 4 == 0 ? base + static_cast<Day>(rng() % 300) : kNoDate);
    }
    const Pipeline p = TextIdPipeline(ids, lead, won, lost);
    FunnelOptions o;
    o.max_reported_issues = 7;
    o.num_threads = 1 + seed % 3;
    absl::StatusOr<FunnelResult> r = ComputeFunnel(p, o);
    ASSERT_TRUE(r.ok()) << r.status();
    const DataProblems problems = FunnelProblems(*r);
    EXPECT_EQ(CountOf(problems, "backwards_dates"), r->issues.backwards_dates) << seed;
    EXPECT_EQ(CountOf(problems, "skipped_stage"), r->issues.skipped_stage) << seed;
    EXPECT_EQ(CountOf(problems, "won_and_lost"), r->issues.won_and_lost) << seed;
    seen[0] += r->issues.backwards_dates;
    seen[1] += r->issues.skipped_stage;
    seen[2] += r->issues.won_and_lost;
    for (const DataProblem& x : problems.items) EXPECT_GT(x.count, 0);
    if (const DataProblem* back = FindProblem(problems, "backwards_dates")) {
      ASSERT_EQ(back->example_ids.size(), back->example_rows.size());
      EXPECT_LE(back->example_ids.size(), 7u);
      for (std::size_t k = 0; k < back->example_ids.size(); ++k) {
        EXPECT_EQ(back->example_ids[k], ids[static_cast<std::size_t>(back->example_rows[k])]);
      }
    }
    const ResultTable t = ProblemsToResultTable(problems);
    EXPECT_TRUE(t.Validate().ok());
    EXPECT_EQ(t.num_rows(), problems.items.size());
  }
  for (std::int64_t n : seen) EXPECT_GT(n, 0);
}

// -------------------------------------------------------------- receivables

TEST(ReceivablesProblems, CountsEqualTheIssuesAndNameTheInvoices) {
  std::int64_t seen[4] = {0, 0, 0, 0};  // the data must exercise every kind
  for (int seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    const int n = 1 + static_cast<int>(rng() % 200);
    auto codes = std::make_shared<Dictionary>();
    std::vector<std::string> given;
    std::vector<std::int64_t> inv;
    std::vector<Id> cust;
    std::vector<Day> idate, due, pdate;
    std::vector<Money> amount, paid;
    const Day base = DayFromCivil(2024, 1, 1);
    for (int i = 0; i < n; ++i) {
      given.push_back(absl::StrFormat("INV-%d-%d", seed, i));
      inv.push_back(*codes->Intern(given.back()));
      cust.push_back(static_cast<Id>(rng() % 5));
      idate.push_back(base + static_cast<Day>(rng() % 120));
      due.push_back(idate.back() + static_cast<Day>(rng() % 60));
      amount.push_back(static_cast<Money>(rng() % 20000) - 2000);
      pdate.push_back(rng() % 3 == 0 ? kNoDate : base + static_cast<Day>(rng() % 150));
      paid.push_back(pdate.back() == kNoDate ? 0 : static_cast<Money>(rng() % 20000));
    }
    InvoicesColumns c;
    c.invoice = Column<std::int64_t>::Own(inv);
    c.customer = Column<Id>::Own(cust);
    c.invoice_date = Column<Day>::Own(idate);
    c.due_date = Column<Day>::Own(due);
    c.amount = Column<Money>::Own(amount);
    c.paid = Column<Money>::Own(paid);
    c.paid_date = Column<Day>::Own(pdate);
    c.invoices = codes;
    absl::StatusOr<Invoices> invoices = Invoices::Build(std::move(c));
    ASSERT_TRUE(invoices.ok()) << invoices.status();
    AgingOptions o;
    o.as_of = base + 100;
    o.num_threads = 1 + seed % 2;
    absl::StatusOr<AgingResult> r = ComputeAging(test_data::InvoicesData(*invoices), o);
    ASSERT_TRUE(r.ok()) << r.status();
    const ReceivablesIssues& x = r->issues;
    const DataProblems problems = ReceivablesProblems(x, *invoices);
    EXPECT_EQ(CountOf(problems, "invoices_after_as_of"), x.invoices_after_as_of);
    EXPECT_EQ(CountOf(problems, "payments_after_as_of"), x.payments_after_as_of);
    EXPECT_EQ(CountOf(problems, "overpaid_invoices"), x.overpaid_invoices);
    EXPECT_EQ(CountOf(problems, "payments_before_invoice_date"), x.early_payments);
    seen[0] += x.invoices_after_as_of;
    seen[1] += x.payments_after_as_of;
    seen[2] += x.overpaid_invoices;
    seen[3] += x.early_payments;
    for (const DataProblem& p : problems.items) {
      EXPECT_GT(p.count, 0);
      ASSERT_EQ(p.example_ids.size(), p.example_rows.size());
      for (std::size_t k = 0; k < p.example_ids.size(); ++k) {
        EXPECT_EQ(p.example_ids[k], given[static_cast<std::size_t>(p.example_rows[k])]);
      }
      if (!p.example_ids.empty()) {
        EXPECT_NE(p.message.find("invoice '" + p.example_ids[0] + "'"), std::string::npos);
      }
    }
    if (const DataProblem* over = FindProblem(problems, "overpaid_invoices")) {
      EXPECT_EQ(over->amount, x.overpaid_amount);
      EXPECT_EQ(over->example_rows, x.overpaid_examples);
    }
  }
  for (std::int64_t n : seen) EXPECT_GT(n, 0);
}

TEST(MarginProblems, UnknownCostLines) {
  MarginResult r;
  r.money_scale = 2;
  EXPECT_TRUE(MarginProblems(r).empty());
  r.total.cost_unknown_lines = 4;
  r.total.cost_unknown_revenue = 12345;
  const DataProblems p = MarginProblems(r);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0].problem, "cost_unknown_lines");
  EXPECT_EQ(p.items[0].count, 4);
  EXPECT_EQ(p.items[0].amount, Money{12345});
  EXPECT_EQ(p.items[0].message,
            "4 lines (revenue 123.45) have no cost: left out of cost and margin");
}

}  // namespace
}  // namespace salesight
