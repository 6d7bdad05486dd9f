#include "tables.hpp"

#include <algorithm>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "salesight/status_macros.hpp"

namespace salesight::query_duckdb {
namespace {

int Pick(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

Id AnyOf(Rng& rng, const std::vector<std::string>* v) {
  return static_cast<Id>(Pick(rng, 0, static_cast<int>(v->size()) - 1));
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string DateCell(Day d) { return d == kNoDate ? "" : FormatDate(d); }

std::int32_t YearMonth(Day d) {
  const CivilDate c = CivilFromDay(d);
  return c.year * 100 + c.month;
}

// Measures by table; the orders' ones a mixed spec may add.
const std::vector<std::string> kPipelineMeasures = {
    "opportunities", "won", "lost", "win_rate", "pipeline_amount", "weighted_pipeline"};
const std::vector<std::string> kInvoiceMeasures = {"billed",      "collected", "outstanding",
                                                   "overdue",     "collection_rate", "dso",
                                                   "credit_sales"};
const std::vector<std::string> kTargetMeasures = {"target", "attainment_pct"};
const std::vector<std::string> kOrderMeasures = {"revenue", "margin", "lines", "customers"};
const std::vector<std::string> kGrains = {"day", "week", "month", "quarter", "year"};

std::vector<std::string> Some(Rng& rng, std::vector<std::string> pool, int lo, int hi) {
  std::shuffle(pool.begin(), pool.end(), rng);
  pool.resize(static_cast<std::size_t>(std::min(Pick(rng, lo, hi), static_cast<int>(pool.size()))));
  return pool;
}

}  // namespace

OtherTables RandomOtherTables(Rng& rng, const SharedMembers& m, Day start, int span) {
  OtherTables o;
  const int stages = static_cast<int>(DefaultStages().size());
  // One row at least: an empty table has no columns to group by.
  const int opps = Pick(rng, 0, 3) == 0 ? 1 : Pick(rng, 1, 60);
  for (int i = 0; i < opps; ++i) {
    Opportunity x;
    x.customer = AnyOf(rng, m.customers);
    x.salesperson = AnyOf(rng, m.salespeople);
    x.region = AnyOf(rng, m.regions);
    x.amount = Pick(rng, 0, 20000);
    x.created = start + Pick(rng, -30, span);
    // Stages reached in order, each some days after the previous one (some
    // after a range's end: "not reached" as of then).
    const int reached = Pick(rng, -1, stages - 1);
    Day d = x.created;
    x.stages.assign(static_cast<std::size_t>(stages), kNoDate);
    for (int s = 0; s <= reached; ++s) {
      x.stages[static_cast<std::size_t>(s)] = d;
      d += Pick(rng, 0, 60);
    }
    x.lost = Pick(rng, 0, 2) == 0 ? x.created + Pick(rng, 0, 200) : kNoDate;
    o.pipeline.push_back(std::move(x));
  }
  const int invoices = Pick(rng, 0, 3) == 0 ? 1 : Pick(rng, 1, 60);
  for (int i = 0; i < invoices; ++i) {
    Invoice x;
    x.customer = AnyOf(rng, m.customers);
    x.salesperson = AnyOf(rng, m.salespeople);
    x.region = AnyOf(rng, m.regions);
    x.invoice_date = start + Pick(rng, -30, span);
    const int terms[] = {0, 30, 60};
    x.due_date = x.invoice_date + terms[Pick(rng, 0, 2)];
    x.amount = Pick(rng, 0, 6) == 0 ? 0 : Pick(rng, 1, 10000);
    // Unpaid, paid in full, in part, or more than billed (never negative).
    const int how = Pick(rng, 0, 3);
    x.paid = how == 0 ? 0 : how == 1 ? x.amount : how == 2 ? x.amount / 2 : x.amount + 500;
    x.paid_date = how == 0 ? kNoDate : x.invoice_date + Pick(rng, -5, 120);
    o.invoices.push_back(x);
  }
  // Monthly targets of some salespeople over some months of the window.
  if (Pick(rng, 0, 5) != 0) {
    const std::int32_t first = YearMonth(start - 31), last = YearMonth(start + span + 31);
    for (Id s = 0; s < static_cast<Id>(m.salespeople->size()); ++s) {
      if (Pick(rng, 0, 3) == 0) continue;
      for (std::int32_t ym = first; ym <= last; ym = ym % 100 == 12 ? ym + 89 : ym + 1) {
        if (Pick(rng, 0, 3) == 0) continue;
        o.targets.push_back(Target{s, ym, Pick(rng, 0, 4) == 0 ? 0 : Pick(rng, 1, 300000)});
      }
    }
  }
  return o;
}

absl::Status AddOtherTables(const OtherTables& o, const DictionaryPtr& customers,
                            const DictionaryPtr& salespeople, const DictionaryPtr& regions,
                            DatasetTables& t) {
  {
    PipelineColumns c;
    std::vector<std::int64_t> id;
    std::vector<Id> cu, sp, re;
    std::vector<Money> amount;
    std::vector<Day> created, lost;
    std::vector<std::vector<Day>> stages(DefaultStages().size());
    for (std::size_t i = 0; i < o.pipeline.size(); ++i) {
      const Opportunity& x = o.pipeline[i];
      id.push_back(static_cast<std::int64_t>(i) + 1);
      cu.push_back(x.customer);
      sp.push_back(x.salesperson);
      re.push_back(x.region);
      amount.push_back(x.amount);
      created.push_back(x.created);
      lost.push_back(x.lost);
      for (std::size_t s = 0; s < stages.size(); ++s) stages[s].push_back(x.stages[s]);
    }
    c.opportunity = Column<std::int64_t>::Own(id);
    c.customer = Column<Id>::Own(cu);
    c.salesperson = Column<Id>::Own(sp);
    c.region = Column<Id>::Own(re);
    c.amount = Column<Money>::Own(amount);
    c.created = Column<Day>::Own(created);
    c.lost_date = Column<Day>::Own(lost);
    for (auto& s : stages) c.stage_dates.push_back(Column<Day>::Own(s));
    c.customers = customers;
    c.salespeople = salespeople;
    c.regions = regions;
    SALESIGHT_ASSIGN_OR_RETURN(Pipeline p, Pipeline::Build(std::move(c)));
    t.pipeline = std::make_shared<const Pipeline>(std::move(p));
  }
  {
    InvoicesColumns c;
    std::vector<std::int64_t> id;
    std::vector<Id> cu, sp, re;
    std::vector<Day> inv, due, paid_date;
    std::vector<Money> amount, paid;
    for (std::size_t i = 0; i < o.invoices.size(); ++i) {
      const Invoice& x = o.invoices[i];
      id.push_back(static_cast<std::int64_t>(i) + 1);
      cu.push_back(x.customer);
      sp.push_back(x.salesperson);
      re.push_back(x.region);
      inv.push_back(x.invoice_date);
      due.push_back(x.due_date);
      amount.push_back(x.amount);
      paid.push_back(x.paid);
      paid_date.push_back(x.paid_date);
    }
    c.invoice = Column<std::int64_t>::Own(id);
    c.customer = Column<Id>::Own(cu);
    c.salesperson = Column<Id>::Own(sp);
    c.region = Column<Id>::Own(re);
    c.invoice_date = Column<Day>::Own(inv);
    c.due_date = Column<Day>::Own(due);
    c.amount = Column<Money>::Own(amount);
    c.paid = Column<Money>::Own(paid);
    c.paid_date = Column<Day>::Own(paid_date);
    c.customers = customers;
    c.salespeople = salespeople;
    c.regions = regions;
    SALESIGHT_ASSIGN_OR_RETURN(Invoices i, Invoices::Build(std::move(c)));
    t.invoices = std::make_shared<const Invoices>(std::move(i));
  }
  {
    TargetsColumns c;
    c.level = TargetLevel::kSalesperson;
    std::vector<Id> key;
    std::vector<std::int32_t> month;
    std::vector<Money> amount;
    for (const Target& x : o.targets) {
      key.push_back(x.salesperson);
      month.push_back(x.yyyymm);
      amount.push_back(x.amount);
    }
    c.key = Column<Id>::Own(key);
    c.month = Column<std::int32_t>::Own(month);
    c.amount = Column<Money>::Own(amount);
    c.keys = salespeople;
    SALESIGHT_ASSIGN_OR_RETURN(Targets tg, Targets::Build(std::move(c)));
    t.targets = std::make_shared<const Targets>(std::move(tg));
  }
  return absl::OkStatus();
}

void WriteOtherTables(const OtherTables& o, const SharedMembers& m,
                      const std::filesystem::path& dir) {
  auto at = [](const std::vector<std::string>* v, Id i) {
    return Quote((*v)[static_cast<std::size_t>(i)]);
  };
  std::ofstream p(dir / "pipeline.csv");
  p << "opportunity,customer,salesperson,region,amount,created,lost_date";
  for (std::size_t s = 0; s < DefaultStages().size(); ++s) p << ",s" << s;
  p << '\n';
  for (std::size_t i = 0; i < o.pipeline.size(); ++i) {
    const Opportunity& x = o.pipeline[i];
    p << i + 1 << ',' << at(m.customers, x.customer) << ',' << at(m.salespeople, x.salesperson)
      << ',' << at(m.regions, x.region) << ',' << x.amount << ',' << DateCell(x.created) << ','
      << DateCell(x.lost);
    for (const Day d : x.stages) p << ',' << DateCell(d);
    p << '\n';
  }
  std::ofstream v(dir / "invoices.csv");
  v << "invoice,customer,salesperson,region,invoice_date,due_date,amount,paid,paid_date\n";
  for (std::size_t i = 0; i < o.invoices.size(); ++i) {
    const Invoice& x = o.invoices[i];
    v << i + 1 << ',' << at(m.customers, x.customer) << ',' << at(m.salespeople, x.salesperson)
      << ',' << at(m.regions, x.region) << ',' << DateCell(x.invoice_date) << ','
      << DateCell(x.due_date) << ',' << x.amount << ',' << x.paid << ',' << DateCell(x.paid_date)
      << '\n';
  }
  std::ofstream t(dir / "targets.csv");
  t << "salesperson,month,amount\n";
  for (const Target& x : o.targets) {
    t << at(m.salespeople, x.salesperson) << ',' << x.yyyymm << ',' << x.amount << '\n';
  }
}

QuerySpec RandomTableSpec(Rng& rng, const SharedMembers& m, Day start, int span) {
  QuerySpec s;
  // Which tables: one of the three, a pair, or one with orders measures.
  const int kind = Pick(rng, 0, 6);
  const bool pipeline = kind == 0 || kind == 3 || kind == 5;
  const bool invoices = kind == 1 || kind == 4 || kind == 5;
  // compare target (revenue beside its target) brings the targets in.
  const bool target_compare = Pick(rng, 0, 5) == 0;
  const bool targets = kind == 2 || kind == 6 || target_compare;
  const bool orders = kind == 3 || kind == 4 || (kind == 6 && Pick(rng, 0, 1) == 0);
  std::vector<std::string> pool;
  if (pipeline) pool.insert(pool.end(), kPipelineMeasures.begin(), kPipelineMeasures.end());
  if (invoices) pool.insert(pool.end(), kInvoiceMeasures.begin(), kInvoiceMeasures.end());
  if (targets) pool.insert(pool.end(), kTargetMeasures.begin(), kTargetMeasures.end());
  s.measures = Some(rng, pool, 1, 4);
  if (orders) {
    for (const std::string& x : Some(rng, kOrderMeasures, 1, 2)) s.measures.push_back(x);
  }
  if (target_compare && std::find(s.measures.begin(), s.measures.end(), "revenue") == s.measures.end()) {
    s.measures.push_back("revenue");
  }
  // Members every table of the query has (targets: their salesperson key).
  std::vector<std::string> members = {"salesperson"};
  if (!targets) members.insert(members.end(), {"region", "customer"});
  // The pipeline's derived stage (as of the range's end) when it is alone.
  if (kind == 0 && !targets) members.push_back("stage");
  s.dimensions = Some(rng, members, 0, 2);

  const bool snapshot = std::any_of(s.measures.begin(), s.measures.end(), [](const std::string& x) {
    return x == "outstanding" || x == "overdue" || x == "dso";
  });
  if (Pick(rng, 0, 4) != 0 || snapshot || target_compare) {
    QueryTime t;
    // A date member of a table the measures read.
    auto reads = [&](const std::vector<std::string>& of) {
      return std::any_of(s.measures.begin(), s.measures.end(), [&](const std::string& x) {
        return std::find(of.begin(), of.end(), x) != of.end();
      });
    };
    t.dimension = reads(kPipelineMeasures) ? "created"
                  : reads(kInvoiceMeasures) ? "invoice_date"
                  : orders                  ? "order_date"
                                            : "month";
    // Compare previous / last-year (a grain) sometimes; mostly over months
    // or longer, whose earlier periods hold rows of these small tables.
    const bool compare = !target_compare && Pick(rng, 0, 3) == 0;
    const bool coarse = snapshot || (compare && Pick(rng, 0, 2) != 0);
    // A snapshot per period costs a row per invoice and period: coarse
    // grains there (days over a long range would be many groups).
    if (Pick(rng, 0, 2) != 0 || target_compare || compare) {
      t.grain = *ParseGrain(kGrains[static_cast<std::size_t>(Pick(rng, coarse ? 2 : 0, 4))]);
    }
    if (target_compare) t.compare = QueryCompare::kTarget;
    if (compare) t.compare = Pick(rng, 0, 1) == 0 ? QueryCompare::kPrevious : QueryCompare::kLastYear;
    if (Pick(rng, 0, 2) != 0) t.from = start + Pick(rng, -40, span);
    if (Pick(rng, 0, 2) != 0) t.to = start + Pick(rng, -20, span + 60);
    if (t.from != kNoDate && t.to != kNoDate && t.from > t.to) std::swap(t.from, t.to);
    s.time = t;
  }
  // A text condition on a shared member, sometimes two under and/or.
  auto condition = [&] {
    QueryFilter f;
    f.member = members[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(members.size()) - 1))];
    const std::vector<std::string>* v = f.member == "salesperson" ? m.salespeople
                                        : f.member == "region"    ? m.regions
                                        : f.member == "stage"     ? &DefaultStages()
                                                                  : m.customers;
    const FilterOp ops[] = {FilterOp::kEquals, FilterOp::kNotEquals, FilterOp::kIn,
                            FilterOp::kNotIn, FilterOp::kStartsWith};
    f.op = ops[Pick(rng, 0, 4)];
    f.values.emplace_back((*v)[static_cast<std::size_t>(AnyOf(rng, v))]);
    if (f.op == FilterOp::kIn || f.op == FilterOp::kNotIn) {
      f.values.emplace_back((*v)[static_cast<std::size_t>(AnyOf(rng, v))]);
    }
    return f;
  };
  const int filters = Pick(rng, 0, 3);
  if (filters == 1) s.filters.push_back(condition());
  if (filters == 2) {
    QueryFilter f;
    f.kind = Pick(rng, 0, 1) == 0 ? QueryFilter::Kind::kAnd : QueryFilter::Kind::kOr;
    f.children = {condition(), condition()};
    s.filters.push_back(f);
  }
  // A measure filter (HAVING) sometimes: money in currency units, counts,
  // ratios of any scale (a rate, days, a percentage).
  if (Pick(rng, 0, 3) == 0) {
    QueryFilter f;
    f.member = s.measures[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(s.measures.size()) - 1))];
    const FilterOp ops[] = {FilterOp::kGt, FilterOp::kGte, FilterOp::kLt, FilterOp::kLte,
                            FilterOp::kBetween, FilterOp::kSet, FilterOp::kNotSet};
    f.op = ops[Pick(rng, 0, 6)];
    auto value = [&]() -> QueryValue {
      if (Pick(rng, 0, 1) == 0) return std::int64_t{Pick(rng, 0, 150)};
      return Pick(rng, 0, 400) / 4.0;
    };
    if (f.op == FilterOp::kBetween) {
      const std::int64_t a = Pick(rng, 0, 100);
      f.values = {a, a + Pick(rng, 0, 100)};
    } else if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
      f.values = {value()};
    }
    s.filters.push_back(f);
  }
  // Order, top (+ "(others)"), limit, offset and totals on these groups.
  std::vector<std::string> columns = s.measures;
  columns.insert(columns.end(), s.dimensions.begin(), s.dimensions.end());
  if (s.time && s.time->grain) columns.push_back(s.time->dimension + "." + QueryGrainText(*s.time->grain));
  for (int i = Pick(rng, 0, 3) - 1; i > 0; --i) {
    s.order.push_back(QueryOrder{
        columns[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(columns.size()) - 1))],
        Pick(rng, 0, 1) == 0});
  }
  if (Pick(rng, 0, 4) == 0) s.limit = Pick(rng, 0, 5);
  if (Pick(rng, 0, 5) == 0) s.offset = Pick(rng, 0, 3);
  if ((!s.dimensions.empty() || (s.time && s.time->grain)) && Pick(rng, 0, 3) == 0) {
    QueryTop top;
    top.n = Pick(rng, 1, 3);
    if (Pick(rng, 0, 1) == 0) {
      top.by = s.measures[static_cast<std::size_t>(Pick(rng, 0, static_cast<int>(s.measures.size()) - 1))];
    }
    top.others = Pick(rng, 0, 1) == 0;
    s.top = top;
  }
  const int totals = Pick(rng, 0, 4);
  if (totals == 1) s.totals = QueryTotals::kGrand;
  if (totals == 2 && !s.dimensions.empty()) s.totals = QueryTotals::kSubtotals;
  return s;
}

}  // namespace salesight::query_duckdb
