// The pipeline, receivables and targets measures on random datasets:
//   * equal to the calculators: win rate, pipeline amount and weighted
//     pipeline to the funnel (cohort, as_of = the range's end), billed,
//     collected, collection rate, credit sales, outstanding and dso to the
//     collection calculator, target and attainment to the trend's compare
//     target;
//   * a query mixing the tables against a brute-force reference written
//     plainly here (std::map over the labels, day by day for the targets).
// SALESIGHT_QUERY_REFERENCE_CASES sets the number of cases (default 200).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "salesight/funnel.hpp"
#include "salesight/query.hpp"
#include "salesight/receivables.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

int Cases() {
  const char* env = std::getenv("SALESIGHT_QUERY_REFERENCE_CASES");
  return env != nullptr ? std::max(1, std::atoi(env)) : 200;
}

DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

template <typename T>
std::shared_ptr<const T> Share(absl::StatusOr<T> table) {
  EXPECT_TRUE(table.ok()) << table.status();
  return std::make_shared<const T>(std::move(*table));
}

const std::vector<std::string> kRegions = {"East", "North", "West"};
const std::vector<std::string> kPeople = {"Ann", "Bob", "Cy"};
const Day kStart = DayFromCivil(2024, 1, 1);

struct Rng {
  std::mt19937_64 g;
  int operator()(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(g); }
};

// Each table's region dictionary is its own random, value-ordered subset.
std::vector<std::string> Subset(Rng& r) {
  std::vector<std::string> out;
  for (const std::string& s : kRegions) {
    if (r(0, 2) > 0) out.push_back(s);
  }
  if (out.empty()) out.push_back(kRegions[static_cast<std::size_t>(r(0, 2))]);
  return out;
}

struct Opp {
  Id region;
  Day created;
  std::vector<Day> stages;  // 3 stages
  Day lost;
  Money amount;
};
struct Bill {
  Id region;
  Day invoice, due;
  Money amount;
  std::vector<std::pair<Day, Money>> pays;
};
struct Line {
  Id region, person;
  Day day;
  Money amount;
};
struct Goal {
  Id person;
  std::int32_t month;  // yyyymm
  Money amount;
};

struct World {
  std::vector<std::string> order_regions, opp_regions, bill_regions;
  std::vector<Line> lines;
  std::vector<Opp> opps;
  std::vector<Bill> bills;
  std::vector<Goal> goals;
  bool payments_table = false;
};

World RandomWorld(Rng& r) {
  World w;
  w.order_regions = Subset(r);
  w.opp_regions = Subset(r);
  w.bill_regions = Subset(r);
  // Empty tables are a hand case (their fields cannot be told from absent ones).
  const int lines = r(1, 25), opps = r(1, 25), bills = r(1, 20);
  for (int i = 0; i < lines; ++i) {
    w.lines.push_back({static_cast<Id>(r(0, static_cast<int>(w.order_regions.size()) - 1)),
                       static_cast<Id>(r(0, 2)), kStart + r(0, 150),
                       r(0, 4) == 0 ? -r(0, 5000) : r(0, 20000)});
  }
  for (int i = 0; i < opps; ++i) {
    Opp o;
    o.region = static_cast<Id>(r(0, static_cast<int>(w.opp_regions.size()) - 1));
    o.created = kStart + r(0, 150);
    Day d = o.created;
    for (int s = 0; s < 3; ++s) {
      d += r(0, 20);
      o.stages.push_back(r(0, 2) == 0 ? kNoDate : d);
    }
    o.lost = r(0, 2) == 0 ? o.created + r(0, 60) : kNoDate;
    o.amount = r(0, 100000);
    w.opps.push_back(o);
  }
  w.payments_table = r(0, 1) == 1;
  for (int i = 0; i < bills; ++i) {
    Bill b;
    b.region = static_cast<Id>(r(0, static_cast<int>(w.bill_regions.size()) - 1));
    b.invoice = kStart + r(0, 150);
    b.due = b.invoice + r(0, 45);
    b.amount = r(0, 5) == 0 ? -r(0, 3000) : r(0, 100000);
    const int pays = w.payments_table ? r(0, 3) : r(0, 1);
    for (int k = 0; k < pays; ++k) b.pays.emplace_back(b.invoice + r(-5, 90), r(1, 60000));
    w.bills.push_back(b);
  }
  for (int p = 0; p < 3; ++p) {
    for (std::int32_t m = 202401; m <= 202406; ++m) {
      if (r(0, 2) > 0) w.goals.push_back({static_cast<Id>(p), m, r(0, 5) * 100000 + r(0, 99)});
    }
  }
  return w;
}

Dataset Build(const World& w) {
  DatasetTables t;
  const DictionaryPtr people = Dict(kPeople);
  {
    OrderLinesColumns o;
    std::vector<std::int64_t> ids;
    std::vector<Day> days;
    std::vector<Id> region, person, customer;
    std::vector<Money> amount;
    for (std::size_t i = 0; i < w.lines.size(); ++i) {
      ids.push_back(static_cast<std::int64_t>(i));
      days.push_back(w.lines[i].day);
      region.push_back(w.lines[i].region);
      person.push_back(w.lines[i].person);
      customer.push_back(0);
      amount.push_back(w.lines[i].amount);
    }
    o.order_id = Column<std::int64_t>::Own(ids);
    o.order_date = Column<Day>::Own(days);
    o.customer = Column<Id>::Own(customer);
    o.customers = Dict({"C"});
    o.region = Column<Id>::Own(region);
    o.regions = Dict(w.order_regions);
    o.salesperson = Column<Id>::Own(person);
    o.salespeople = people;
    o.amount = Column<Money>::Own(amount);
    t.orders = Share(OrderLines::Build(std::move(o)));
  }
  {
    PipelineColumns p;
    std::vector<std::int64_t> ids;
    std::vector<Id> region;
    std::vector<Money> amount;
    std::vector<Day> created, lost;
    std::vector<std::vector<Day>> stages(3);
    for (std::size_t i = 0; i < w.opps.size(); ++i) {
      const Opp& o = w.opps[i];
      ids.push_back(static_cast<std::int64_t>(i));
      region.push_back(o.region);
      amount.push_back(o.amount);
      created.push_back(o.created);
      lost.push_back(o.lost);
      for (int s = 0; s < 3; ++s) stages[static_cast<std::size_t>(s)].push_back(o.stages[static_cast<std::size_t>(s)]);
    }
    p.opportunity = Column<std::int64_t>::Own(ids);
    p.region = Column<Id>::Own(region);
    p.regions = Dict(w.opp_regions);
    p.amount = Column<Money>::Own(amount);
    p.created = Column<Day>::Own(created);
    p.stage_names = {"lead", "quote", "won"};
    for (auto& s : stages) p.stage_dates.push_back(Column<Day>::Own(s));
    p.lost_date = Column<Day>::Own(lost);
    t.pipeline = Share(Pipeline::Build(std::move(p)));
  }
  {
    InvoicesColumns c;
    std::vector<std::int64_t> ids;
    std::vector<Id> region, customer;
    std::vector<Day> invoice, due, paid_date;
    std::vector<Money> amount, paid;
    PaymentsColumns pc;
    std::vector<std::int64_t> prow;
    std::vector<Day> pday;
    std::vector<Money> pamount;
    for (std::size_t i = 0; i < w.bills.size(); ++i) {
      const Bill& b = w.bills[i];
      ids.push_back(static_cast<std::int64_t>(i));
      region.push_back(b.region);
      customer.push_back(0);
      invoice.push_back(b.invoice);
      due.push_back(b.due);
      amount.push_back(b.amount);
      paid.push_back(b.pays.empty() ? 0 : b.pays[0].second);
      paid_date.push_back(b.pays.empty() ? kNoDate : b.pays[0].first);
      for (const auto& [d, a] : b.pays) {
        prow.push_back(static_cast<std::int64_t>(i));
        pday.push_back(d);
        pamount.push_back(a);
      }
    }
    c.invoice = Column<std::int64_t>::Own(ids);
    c.customer = Column<Id>::Own(customer);
    c.customers = Dict({"C"});
    c.region = Column<Id>::Own(region);
    c.regions = Dict(w.bill_regions);
    c.invoice_date = Column<Day>::Own(invoice);
    c.due_date = Column<Day>::Own(due);
    c.amount = Column<Money>::Own(amount);
    if (!w.payments_table) {
      c.paid = Column<Money>::Own(paid);
      c.paid_date = Column<Day>::Own(paid_date);
    }
    const auto invoices = Share(Invoices::Build(std::move(c)));
    t.invoices = invoices;
    if (w.payments_table) {
      pc.invoice_row = Column<std::int64_t>::Own(prow);
      pc.date = Column<Day>::Own(pday);
      pc.amount = Column<Money>::Own(pamount);
      t.payments = Share(Payments::Build(std::move(pc), *invoices));
    }
  }
  {
    TargetsColumns g;
    g.level = TargetLevel::kSalesperson;
    std::vector<Id> key;
    std::vector<std::int32_t> month;
    std::vector<Money> amount;
    for (const Goal& x : w.goals) {
      key.push_back(x.person);
      month.push_back(x.month);
      amount.push_back(x.amount);
    }
    g.key = Column<Id>::Own(key);
    g.keys = people;
    g.month = Column<std::int32_t>::Own(month);
    g.amount = Column<Money>::Own(amount);
    t.targets = Share(Targets::Build(std::move(g)));
  }
  return *Dataset::Build(std::move(t));
}

std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}

// The query's result (one thread); the same spec split over three threads
// per table (a keyer each, merged) must give the same table.
QueryResult RunSpec(const Dataset& d, const std::string& json) {
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
  EXPECT_TRUE(spec.ok()) << spec.status() << "\n" << json;
  QueryRunOptions one;
  one.num_threads = 1;
  absl::StatusOr<QueryResult> r = RunQuery(d, spec.ok() ? *spec : QuerySpec{}, one);
  EXPECT_TRUE(r.ok()) << r.status() << "\n" << json;
  QueryRunOptions three;
  three.num_threads = 3;
  three.min_rows_per_thread = 1;
  absl::StatusOr<QueryResult> split = RunQuery(d, spec.ok() ? *spec : QuerySpec{}, three);
  EXPECT_TRUE(split.ok()) << split.status() << "\n" << json;
  if (r.ok() && split.ok()) EXPECT_EQ(Csv(r->table), Csv(split->table)) << json;
  return r.ok() ? std::move(*r) : QueryResult{};
}

std::optional<double> DoubleAt(const QueryResult& r, const std::string& name, std::size_t row) {
  const ResultColumn* c = r.table.Find(name);
  if (c == nullptr || c->is_null(row)) return std::nullopt;
  return c->doubles[row];
}
std::int64_t IntAt(const QueryResult& r, const std::string& name, std::size_t row) {
  return r.table.Find(name)->ints[row];
}
std::string TextAt(const QueryResult& r, const std::string& name, std::size_t row) {
  return r.table.Find(name)->Texts()[row];
}

// "2024-03" -> the month's ordinal.
std::optional<std::int32_t> PeriodOfLabel(const std::string& label) {
  const int year = std::atoi(label.substr(0, 4).c_str()), month = std::atoi(label.substr(5).c_str());
  return year * 12 + month - 1;
}

void ExpectSame(std::optional<double> a, std::optional<double> b, const std::string& what) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what;
  if (a) {
    EXPECT_DOUBLE_EQ(*a, *b) << what;
  }
}

struct Range {
  Day from = kNoDate, to = kNoDate;
  std::string Json(const std::string& dimension, const std::string& grain = "") const {
    std::string out = absl::StrCat(R"({"dimension": ")", dimension, "\"");
    if (!grain.empty()) absl::StrAppend(&out, R"(, "grain": ")", grain, "\"");
    if (from != kNoDate || to != kNoDate) {
      absl::StrAppend(&out, R"(, "range": [)",
                      from == kNoDate ? "null" : absl::StrCat("\"", FormatDate(from), "\""), ", ",
                      to == kNoDate ? "null" : absl::StrCat("\"", FormatDate(to), "\""), "]");
    }
    return out + "}";
  }
};

Range RandomRange(Rng& r, bool need_to) {
  Range x;
  if (r(0, 2) > 0) x.from = kStart + r(0, 90);
  if (need_to || r(0, 2) > 0) x.to = (x.from == kNoDate ? kStart : x.from) + r(0, 120);
  return x;
}

TEST(RunQueryTablesReference, FunnelAgrees) {
  for (int c = 0; c < Cases(); ++c) {
    Rng r{std::mt19937_64(static_cast<std::uint64_t>(c) + 1000)};
    const World w = RandomWorld(r);
    const Dataset d = Build(w);
    const Range range = RandomRange(r, false);
    const bool by_region = r(0, 1) == 1;
    const QueryResult q = RunSpec(d, absl::StrCat(
        R"({"measures": ["opportunities", "won", "lost", "win_rate", "pipeline_amount",
            "weighted_pipeline"], )",
        by_region ? R"("dimensions": ["region"], )" : "", R"("time": )", range.Json("created"),
        "}"));
    FunnelOptions o;
    o.from = range.from;
    o.to = range.to;
    o.as_of = range.to;
    if (by_region) o.group_by = {"region"};
    o.compute_bottlenecks = false;
    absl::StatusOr<FunnelResult> f = ComputeFunnel(d, o);
    ASSERT_TRUE(f.ok()) << f.status();
    std::vector<std::pair<std::string, const FunnelGroupStats*>> expected;
    if (by_region) {
      for (const FunnelGroup& g : f->groups) {
        expected.emplace_back(w.opp_regions[static_cast<std::size_t>(g.keys[0])], &g.stats);
      }
    } else if (f->overall.opportunities > 0) {
      expected.emplace_back("", &f->overall);
    }
    ASSERT_EQ(q.table.num_rows(), expected.size()) << "case " << c;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const std::string what = absl::StrCat("case ", c, " row ", i);
      if (by_region) {
        EXPECT_EQ(TextAt(q, "region", i), expected[i].first) << what;
      }
      const FunnelGroupStats& s = *expected[i].second;
      EXPECT_EQ(IntAt(q, "opportunities", i), s.opportunities) << what;
      EXPECT_EQ(IntAt(q, "won", i), s.won) << what;
      EXPECT_EQ(IntAt(q, "lost", i), s.lost) << what;
      ExpectSame(DoubleAt(q, "win_rate", i), s.win_rate_closed, what + " win_rate");
      EXPECT_EQ(IntAt(q, "pipeline_amount", i), s.open_amount.value_or(0)) << what;
      ExpectSame(DoubleAt(q, "weighted_pipeline", i), s.weighted_pipeline, what + " weighted");
    }
  }
}

TEST(RunQueryTablesReference, CollectionAgrees) {
  std::int64_t outstanding = 0;
  for (int c = 0; c < Cases(); ++c) {
    Rng r{std::mt19937_64(static_cast<std::uint64_t>(c) + 2000)};
    const World w = RandomWorld(r);
    const Dataset d = Build(w);
    const Range range = RandomRange(r, true);
    const bool by_region = r(0, 1) == 1;
    const QueryResult q = RunSpec(d, absl::StrCat(
        R"({"measures": ["billed", "collected", "collection_rate", "credit_sales", "outstanding",
            "overdue", "dso"], )",
        by_region ? R"("dimensions": ["region"], )" : "", R"("time": )",
        range.Json("invoice_date"), "}"));
    CollectionOptions o;
    o.from = range.from;
    o.to = range.to;
    o.as_of = range.to;
    o.group_by = by_region ? "region" : "";
    absl::StatusOr<CollectionResult> col = ComputeCollection(d, o);
    ASSERT_TRUE(col.ok()) << col.status();
    std::map<std::string, const CollectionRow*> rows;
    if (by_region) {
      for (const CollectionRow& row : col->rows) {
        rows[DimensionLabel(col->group_codes, row.group)] = &row;
      }
    } else {
      rows[""] = &col->total;
    }
    for (std::size_t i = 0; i < q.table.num_rows(); ++i) {
      const std::string key = by_region ? TextAt(q, "region", i) : "";
      const std::string what = absl::StrCat("case ", c, " group '", key, "'");
      ASSERT_TRUE(rows.count(key)) << what;
      const CollectionRow& e = *rows[key];
      EXPECT_EQ(IntAt(q, "billed", i), e.sums.billed) << what;
      EXPECT_EQ(IntAt(q, "collected", i), e.sums.collected) << what;
      ExpectSame(DoubleAt(q, "collection_rate", i), e.collection_rate, what + " rate");
      EXPECT_EQ(IntAt(q, "credit_sales", i), e.sums.credit_sales) << what;
      EXPECT_EQ(IntAt(q, "outstanding", i), e.sums.ar_ending) << what;
      outstanding += e.sums.ar_ending > 0 && e.dso.has_value();
      EXPECT_EQ(IntAt(q, "overdue", i), e.sums.ar_ending - e.sums.ar_ending_current) << what;
      ExpectSame(DoubleAt(q, "dso", i), e.dso, what + " dso");
      rows.erase(key);
    }
    // A group the query leaves out has nothing in the due set, no credit
    // sales and nothing outstanding at the end.
    for (const auto& [key, e] : rows) {
      EXPECT_EQ(e->sums.billed, 0) << "case " << c << " " << key;
      EXPECT_EQ(e->sums.invoices_due, 0) << "case " << c << " " << key;
      EXPECT_EQ(e->sums.invoiced, 0) << "case " << c << " " << key;
      EXPECT_EQ(e->sums.ar_ending, 0) << "case " << c << " " << key;
    }
  }
  EXPECT_GT(outstanding, Cases() / 4);  // dso is exercised, not only nulls
}

// Per period: outstanding, overdue, credit sales and dso are the collection
// calculator's over [the period's start, t], t = its last day (capped at the
// range's end); billed and collected its due set as of the range's end.
TEST(RunQueryTablesReference, CollectionPerPeriodAgrees) {
  std::int64_t periods = 0;
  for (int c = 0; c < Cases(); ++c) {
    Rng r{std::mt19937_64(static_cast<std::uint64_t>(c) + 5000)};
    const World w = RandomWorld(r);
    const Dataset d = Build(w);
    const Range range = RandomRange(r, true);
    const QueryResult q = RunSpec(d, absl::StrCat(
        R"({"measures": ["billed", "collected", "credit_sales", "outstanding", "overdue", "dso"],
            "time": )", range.Json("invoice_date", "month"), "}"));
    for (std::size_t i = 0; i < q.table.num_rows(); ++i) {
      const std::int32_t p = *PeriodOfLabel(TextAt(q, "invoice_date.month", i));
      const Day start = range.from == kNoDate
                            ? PeriodStart(GrainUnit::kMonth, p)
                            : std::max(range.from, PeriodStart(GrainUnit::kMonth, p));
      const Day t = std::min(range.to, PeriodEnd(GrainUnit::kMonth, p));
      CollectionOptions o;
      o.from = start;
      o.to = t;
      o.as_of = t;
      o.group_by = "";
      absl::StatusOr<CollectionResult> at_t = ComputeCollection(d, o);
      ASSERT_TRUE(at_t.ok()) << at_t.status();
      const CollectionSums& e = at_t->total.sums;
      const std::string what = absl::StrCat("case ", c, " ", TextAt(q, "invoice_date.month", i));
      EXPECT_EQ(IntAt(q, "credit_sales", i), e.credit_sales) << what;
      EXPECT_EQ(IntAt(q, "outstanding", i), e.ar_ending) << what;
      EXPECT_EQ(IntAt(q, "overdue", i), e.ar_ending - e.ar_ending_current) << what;
      ExpectSame(DoubleAt(q, "dso", i), at_t->total.dso, what + " dso");
      o.as_of = range.to;
      absl::StatusOr<CollectionResult> due = ComputeCollection(d, o);
      ASSERT_TRUE(due.ok()) << due.status();
      EXPECT_EQ(IntAt(q, "billed", i), due->total.sums.billed) << what;
      EXPECT_EQ(IntAt(q, "collected", i), due->total.sums.collected) << what;
      ++periods;
    }
  }
  EXPECT_GT(periods, Cases());
}

TEST(RunQueryTablesReference, TrendTargetAgrees) {
  const char* grains[] = {"month", "week", "quarter", "day"};
  std::int64_t compared = 0;
  // Half the cases: the trend's day grain is the slowest part of the suite.
  for (int c = 0; c < std::max(1, Cases() / 2); ++c) {
    Rng r{std::mt19937_64(static_cast<std::uint64_t>(c) + 3000)};
    const World w = RandomWorld(r);
    if (w.lines.empty()) continue;  // the trend needs lines
    const Dataset d = Build(w);
    Range range = RandomRange(r, false);
    const std::string grain = grains[r(0, 3)];
    const QueryResult q = RunSpec(d, absl::StrCat(
        R"({"measures": ["revenue", "target", "attainment_pct"], "dimensions": ["salesperson"],
            "time": )", range.Json("order_date", grain), "}"));
    TrendOptions o;
    o.grain = *ParseGrain(grain);
    o.compare = TrendCompare::kTarget;
    o.group_by = "salesperson";
    o.from = range.from;
    o.to = range.to;
    o.with_margin = false;
    // The trend would also group the invoices (collections): orders and targets only.
    DatasetTables tables;
    tables.orders = BorrowTable(d.orders());
    tables.targets = BorrowTable(d.targets());
    absl::StatusOr<TrendResult> t = ComputeTrend(*Dataset::Build(std::move(tables)), o);
    ASSERT_TRUE(t.ok()) << t.status();
    std::map<std::pair<std::string, std::string>, std::size_t> at;
    for (std::size_t i = 0; i < q.table.num_rows(); ++i) {
      at[{TextAt(q, "order_date." + grain, i), TextAt(q, "salesperson", i)}] = i;
    }
    for (const TrendRow& row : t->rows) {
      const std::string what = absl::StrCat("case ", c, " ", grain, " ", PeriodLabel(o.grain, row.period),
                                            " ", kPeople[static_cast<std::size_t>(row.group)]);
      const auto it = at.find({PeriodLabel(o.grain, row.period), kPeople[static_cast<std::size_t>(row.group)]});
      if (it == at.end()) {
        EXPECT_EQ(row.value.revenue, 0) << what;
        EXPECT_EQ(row.target.value_or(0), 0) << what;
        continue;
      }
      compared += row.target.value_or(0) != 0;
      EXPECT_EQ(IntAt(q, "revenue", it->second), row.value.revenue) << what;
      EXPECT_EQ(IntAt(q, "target", it->second), row.target.value_or(0)) << what;
      std::optional<double> pct;
      if (row.growth.growth_ratio) pct = *row.growth.growth_ratio * 100;
      ExpectSame(DoubleAt(q, "attainment_pct", it->second), pct, what);
    }
  }
  EXPECT_GT(compared, Cases() / 2);  // the rows with a target are many
}

// ---------------------------------------------------------------- brute force
struct Sums {
  Money revenue = 0, billed = 0, collected = 0;
  std::int64_t opportunities = 0, won = 0;
  // targets: exact, in 1/377580 minor units
  Int128 target = 0;
  bool any = false;
};

Money Round(Int128 num) {
  const Int128 den = 377580;
  Int128 q = num / den, rem = num % den;
  if (2 * (rem < 0 ? -rem : rem) >= den) q += num < 0 ? -1 : 1;
  return static_cast<Money>(q);
}

TEST(RunQueryTablesReference, MixedTablesAgainstBruteForce) {
  for (int c = 0; c < Cases(); ++c) {
    Rng r{std::mt19937_64(static_cast<std::uint64_t>(c) + 4000)};
    const World w = RandomWorld(r);
    const Dataset d = Build(w);
    const Range range = RandomRange(r, false);
    const bool with_targets = r(0, 1) == 1;  // then by salesperson, else by region
    const bool by_dim = r(0, 2) > 0;
    const bool monthly = r(0, 1) == 1;
    const std::string dim = with_targets ? "salesperson" : "region";
    std::vector<std::string> measures = {"revenue"};
    if (with_targets) {
      measures.push_back("target");
    } else {
      for (const char* m : {"opportunities", "won", "billed", "collected"}) {
        if (r(0, 1) == 1) measures.push_back(m);
      }
    }
    std::string filter;
    std::string picked = with_targets ? kPeople[static_cast<std::size_t>(r(0, 2))]
                                      : kRegions[static_cast<std::size_t>(r(0, 2))];
    const bool filtered = r(0, 2) == 0;
    if (filtered) {
      filter = absl::StrCat(R"(, "filters": [{"member": ")", dim, R"(", "op": "notEquals", "values": [")",
                            picked, R"("]}])");
    }
    std::string ms;
    for (const std::string& m : measures) absl::StrAppend(&ms, ms.empty() ? "" : ", ", "\"", m, "\"");
    const QueryResult q = RunSpec(d, absl::StrCat(
        R"({"measures": [)", ms, "]", by_dim ? absl::StrCat(R"(, "dimensions": [")", dim, "\"]") : "",
        filter, R"(, "time": )", range.Json("order_date", monthly ? "month" : ""), "}"));

    // The reference: key = (month label or "", member label or "").
    std::map<std::pair<std::string, std::string>, Sums> ref;
    auto in = [&](Day day, Day to) {
      return (range.from == kNoDate || day >= range.from) && (to == kNoDate || day <= to);
    };
    auto key = [&](Day day, const std::string& member) {
      return std::make_pair(monthly ? PeriodLabel(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, day))
                                    : std::string(),
                            by_dim ? member : std::string());
    };
    auto keep = [&](const std::string& member) { return !filtered || member != picked; };
    for (const Line& l : w.lines) {
      const std::string m = with_targets ? kPeople[static_cast<std::size_t>(l.person)]
                                         : w.order_regions[static_cast<std::size_t>(l.region)];
      if (!in(l.day, range.to) || !keep(m)) continue;
      Sums& s = ref[key(l.day, m)];
      s.revenue += l.amount;
      s.any = true;
    }
    if (with_targets) {
      for (const Goal& g : w.goals) {
        const std::string m = kPeople[static_cast<std::size_t>(g.person)];
        if (!keep(m)) continue;
        const int year = g.month / 100, month = g.month % 100;
        const std::int32_t ordinal = year * 12 + month - 1;
        const int dim_days =
            PeriodEnd(GrainUnit::kMonth, ordinal) - PeriodStart(GrainUnit::kMonth, ordinal) + 1;
        for (int day = 1; day <= dim_days; ++day) {
          const Day x = DayFromCivil(year, month, day);
          if (!in(x, range.to)) continue;
          Sums& s = ref[key(x, m)];
          s.target += static_cast<Int128>(g.amount) * (377580 / dim_days);
          s.any = true;
        }
      }
    } else {
      const bool opps = std::count(measures.begin(), measures.end(), "opportunities") +
                            std::count(measures.begin(), measures.end(), "won") > 0;
      for (const Opp& o : w.opps) {
        if (!opps) break;
        const std::string m = w.opp_regions[static_cast<std::size_t>(o.region)];
        if (!in(o.created, range.to) || !keep(m)) continue;
        Sums& s = ref[key(o.created, m)];
        ++s.opportunities;
        const Day won = o.stages[2];
        s.won += won != kNoDate && (range.to == kNoDate || won <= range.to);
        s.any = true;
      }
      Day as_of = range.to;
      if (as_of == kNoDate) {
        for (const Bill& b : w.bills) as_of = as_of == kNoDate ? b.invoice : std::max(as_of, b.invoice);
      }
      const bool due_set = std::count(measures.begin(), measures.end(), "billed") +
                               std::count(measures.begin(), measures.end(), "collected") > 0;
      for (const Bill& b : w.bills) {
        const std::string m = w.bill_regions[static_cast<std::size_t>(b.region)];
        if (!due_set || !in(b.due, as_of) || !keep(m)) continue;
        Sums& s = ref[key(b.due, m)];
        s.billed += b.amount;
        // The paid columns carry the first payment only.
        for (std::size_t k = 0; k < b.pays.size() && (w.payments_table || k == 0); ++k) {
          if (b.pays[k].first <= as_of) s.collected += b.pays[k].second;
        }
        s.any = true;
      }
    }
    std::vector<std::pair<std::pair<std::string, std::string>, Sums>> want(ref.begin(), ref.end());
    // Value order of the members (the labels here sort as text), "" first.
    ASSERT_EQ(q.table.num_rows(), want.size()) << "case " << c;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const std::string what = absl::StrCat("case ", c, " row ", i);
      if (monthly) {
        EXPECT_EQ(TextAt(q, "order_date.month", i), want[i].first.first) << what;
      }
      if (by_dim) {
        EXPECT_EQ(TextAt(q, dim, i), want[i].first.second) << what;
      }
      const Sums& s = want[i].second;
      EXPECT_EQ(IntAt(q, "revenue", i), s.revenue) << what;
      for (const std::string& m : measures) {
        const std::int64_t expected = m == "target"          ? Round(s.target)
                                      : m == "opportunities" ? s.opportunities
                                      : m == "won"           ? s.won
                                      : m == "billed"        ? s.billed
                                      : m == "collected"     ? s.collected
                                                             : s.revenue;
        EXPECT_EQ(IntAt(q, m, i), expected) << what << " " << m;
      }
    }
  }
}

}  // namespace
}  // namespace salesight
