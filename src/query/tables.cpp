// The pipeline, receivables and targets measures (salesight/query/run.hpp):
// each table's rows are grouped on the dimensions the tables share, in one
// member space per dimension (the union of the tables' labels, in value
// order), so the groups of every table meet in one keyer - a full outer join
// of group keys. The definitions are the calculators' (funnel.hpp cohort,
// receivables.hpp collection, trend.hpp targets), computed here per group
// from exact sums.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "core/internal/parallel.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

bool IsMeasure(const Plan& plan, MeasureId m) {
  return std::find(plan.measures.begin(), plan.measures.end(), m) != plan.measures.end();
}

bool NeedsSnapshot(const Plan& plan) {
  return std::any_of(plan.measures.begin(), plan.measures.end(), IsSnapshot);
}

std::size_t RowsOf(const Dataset& data, TableKind t) {
  switch (t) {
    case TableKind::kPipeline: return data.pipeline()->size();
    case TableKind::kInvoices: return data.invoices()->size();
    case TableKind::kTargets: return data.targets()->size();
    default: return 0;
  }
}

// The first and last day of a targets yyyymm (an error names the row).
absl::Status TargetMonth(const Targets& t, std::size_t row, Day& first, Day& last) {
  const std::int32_t yyyymm = t.columns().month[row];
  const std::int32_t month = yyyymm % 100;
  if (yyyymm <= 0 || month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "query: targets row %d, column 'month': %d is not yyyymm", row, yyyymm));
  }
  const std::int32_t ordinal = (yyyymm / 100) * 12 + month - 1;
  first = PeriodStart(GrainUnit::kMonth, ordinal);
  last = PeriodEnd(GrainUnit::kMonth, ordinal);
  return absl::OkStatus();
}

// Every day any query table may place a row on: the range of period codes.
void DayRange(const Dataset& data, const Plan& plan, Day& lo, Day& hi) {
  auto add = [&](Day d) {
    if (d == kNoDate) return;
    lo = lo == kNoDate ? d : std::min(lo, d);
    hi = hi == kNoDate ? d : std::max(hi, d);
  };
  if (plan.orders->size() > 0) {
    add(plan.orders->min_date());
    add(plan.orders->max_date());
  }
  std::vector<std::pair<TableKind, const char*>> dates;
  if (plan.need_pipeline) dates.insert(dates.end(), {{TableKind::kPipeline, "created"},
                                                     {TableKind::kPipeline, "lost_date"}});
  if (plan.need_invoices) {
    dates.insert(dates.end(), {{TableKind::kInvoices, "invoice_date"},
                               {TableKind::kInvoices, "due_date"},
                               {TableKind::kInvoices, "paid_date"}});
  }
  for (const auto& [table, member] : dates) {
    if (const Column<Day>* c = DayColumn(data, table, member)) {
      for (const Day d : *c) add(d);
    }
  }
  if (plan.need_targets) {
    for (std::size_t i = 0; i < data.targets()->size(); ++i) {
      Day a = kNoDate, b = kNoDate;
      if (TargetMonth(*data.targets(), i, a, b).ok()) {
        add(a);
        add(b);
      }
    }
  }
}

// Money of a table at the plan's scale (the rare rescale out of line).
absl::StatusOr<Money> Rescaled(const Plan& plan, Money v, int scale, const char* table,
                               std::size_t row);
inline absl::StatusOr<Money> Scaled(const Plan& plan, Money v, int scale, const char* table,
                                    std::size_t row) {
  if (scale == plan.money_scale) [[likely]] return v;
  return Rescaled(plan, v, scale, table, row);
}
absl::StatusOr<Money> Rescaled(const Plan& plan, Money v, int scale, const char* table,
                               std::size_t row) {
  absl::StatusOr<Money> out = RescaleMoney(v, scale, plan.money_scale);
  if (!out.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "query: %s row %d: the amount cannot be shown at the result's money scale %d: %s", table,
        row, plan.money_scale, out.status().message()));
  }
  return *out;
}

// Rounds num / den half away from zero (trend.hpp: a period's target).
Money RoundTarget(Int128 num) {
  const Int128 den = kTargetDenominator;
  Int128 q = num / den, r = num % den;
  if (2 * (r < 0 ? -r : r) >= den) q += num < 0 ? -1 : 1;
  return static_cast<Money>(q);
}

// The slot bookkeeping shared by every table: a key per row, sums per slot.
class Keys {
 public:
  Keys(const Plan& plan, Groups& g) : plan_(plan), g_(g) {
    key_.resize(static_cast<std::size_t>(g.keyer->num_parts()));
  }
  // The slot of `row` of table part `part` placed on day `day` (its period
  // and the period dimensions without a date of their own); -1 when a
  // period dimension's date is missing.
  absl::StatusOr<std::int32_t> Slot(const TablePart& part, std::size_t row, Day day) {
    std::size_t k = 0;
    if (plan_.grain) key_[k++] = PeriodOf(*plan_.grain, day);
    for (std::size_t d = 0; d < plan_.dims.size(); ++d) {
      const GroupDim& dim = plan_.dims[d];
      if (!dim.is_period) {
        key_[k++] = part.dims[d].Code(row);
        continue;
      }
      const Day on = part.dims[d].days != nullptr ? (*part.dims[d].days)[row] : day;
      if (on == kNoDate) return -1;
      key_[k++] = PeriodOf(dim.grain, on) - dim.lo;
    }
    absl::StatusOr<std::int32_t> slot = g_.keyer->SlotOfKey(key_);
    if (!slot.ok()) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("query: %s", slot.status().message()));
    }
    Grow();
    return *slot;
  }
  TableSums& Sums(std::int32_t slot) { return g_.table_sums[static_cast<std::size_t>(slot)]; }
  Groups& groups() { return g_; }

 private:
  void Grow() {
    const auto n = static_cast<std::size_t>(g_.keyer->num_slots());
    if (g_.table_sums.size() >= n) return;
    g_.sums.resize(n);
    g_.table_sums.resize(n);
    const auto s = static_cast<std::size_t>(plan_.stages);
    g_.open_by_stage.resize(n * s, 0);
    g_.open_count_by_stage.resize(n * s, 0);
  }
  const Plan& plan_;
  Groups& g_;
  std::vector<std::int32_t> key_;
};

[[gnu::noinline, gnu::cold]] absl::Status SumOverflow(const char* what, const char* table,
                                                      std::size_t row) {
  return absl::OutOfRangeError(absl::StrFormat(
      "query: the %s sum of a group overflows int64 at %s row %d", what, table, row));
}

inline absl::Status Add(Money& into, Money v, const char* what, const char* table,
                        std::size_t row) {
  if (__builtin_add_overflow(into, v, &into)) [[unlikely]] return SumOverflow(what, table, row);
  return absl::OkStatus();
}

// The stage tallies of the selected pipeline rows (company-wide, for the
// stage-to-won probabilities): won / lost deals per furthest stage + 1.
struct StageTops {
  std::vector<std::int64_t> won, lost;
};

// Rows [begin, end) of `part` that pass its filter, in blocks.
template <typename Fn>
absl::Status ForSelected(const TablePart& part, std::size_t begin, std::size_t end, Fn fn) {
  std::vector<std::uint8_t> mask(kBlock, 1);
  std::vector<std::uint8_t> scratch(kBlock * static_cast<std::size_t>(RowFilterDepth(part.where)));
  const bool filtered = !RowFilterIsAll(part.where);
  for (std::size_t b = begin; b < end; b += kBlock) {
    const std::size_t n = std::min(kBlock, end - b);
    if (filtered) EvalRowFilter(part.where, b, n, mask.data(), scratch.data());
    for (std::size_t j = 0; j < n; ++j) {
      if (mask[j]) SALESIGHT_RETURN_IF_ERROR(fn(b + j));
    }
  }
  return absl::OkStatus();
}

bool InRange(const Plan& plan, Day d, Day to) {
  return d != kNoDate && (plan.from == kNoDate || d >= plan.from) && (to == kNoDate || d <= to);
}

// ---------------------------------------------------------------- pipeline
// funnel.hpp, cohort mode, as_of = time.range's end: a row takes part when
// its time member is in the range; a stage is recorded when dated and not
// after as_of; won = the furthest recorded stage reaches the won stage;
// lost = a lost date not after as_of and not won; open = a stage recorded,
// neither won nor lost, at its furthest stage.
absl::Status AddPipeline(const Plan& plan, const TablePart& part, std::size_t begin,
                         std::size_t end, Keys& keys, StageTops& tops) {
  Groups& g = keys.groups();
  const Pipeline& p = *plan.data->pipeline();
  const PipelineColumns& c = p.columns();
  const Column<Day>& place = *DayColumn(*plan.data, TableKind::kPipeline, plan.pipeline_date);
  const Day cut = plan.to;
  const int S = plan.stages, w = plan.won_stage;
  const bool amounts = !c.amount.empty();
  std::vector<std::int64_t>& won_top = tops.won;
  std::vector<std::int64_t>& lost_top = tops.lost;
  return ForSelected(part, begin, end, [&](std::size_t i) -> absl::Status {
    const Day day = place[i];
    if (!InRange(plan, day, plan.to)) return absl::OkStatus();
    int L = -1;
    for (int s = 0; s < S; ++s) {
      const Day d = c.stage_dates[static_cast<std::size_t>(s)][i];
      if (d != kNoDate && (cut == kNoDate || d <= cut)) L = s;
    }
    const bool won = L >= w;
    const bool lost = !won && !c.lost_date.empty() && c.lost_date[i] != kNoDate &&
                      (cut == kNoDate || c.lost_date[i] <= cut);
    SALESIGHT_ASSIGN_OR_RETURN(const std::int32_t slot, keys.Slot(part, i, day));
    if (won) ++won_top[static_cast<std::size_t>(L + 1)];
    if (lost) ++lost_top[static_cast<std::size_t>(L + 1)];
    if (slot < 0) return absl::OkStatus();
    TableSums& t = keys.Sums(slot);
    ++t.opportunities;
    t.won += won;
    t.lost += lost;
    if (!won && !lost && L >= 0) {
      const std::size_t at = static_cast<std::size_t>(slot) * static_cast<std::size_t>(S) +
                             static_cast<std::size_t>(L);
      ++g.open_count_by_stage[at];
      if (amounts) {
        SALESIGHT_ASSIGN_OR_RETURN(const Money a,
                                   Scaled(plan, c.amount[i], c.money_scale, "pipeline", i));
        SALESIGHT_RETURN_IF_ERROR(Add(t.pipeline_amount, a, "pipeline_amount", "pipeline", i));
        SALESIGHT_RETURN_IF_ERROR(Add(g.open_by_stage[at], a, "pipeline_amount", "pipeline", i));
      }
    }
    return absl::OkStatus();
  });
}

// Company-wide stage-to-won probabilities over the selected rows.
void SetStageProbabilities(const Plan& plan, const StageTops& tops, Groups& g) {
  const auto S = static_cast<std::size_t>(plan.stages);
  g.stage_probability.assign(S, std::nullopt);
  std::int64_t won_ge = 0, closed_ge = 0;
  for (std::size_t s = S; s-- > 0;) {
    won_ge += tops.won[s + 1];
    closed_ge += tops.won[s + 1] + tops.lost[s + 1];
    if (closed_ge > 0) {
      g.stage_probability[s] = static_cast<double>(won_ge) / static_cast<double>(closed_ge);
    }
  }
}

// ---------------------------------------------------------------- invoices
// receivables.hpp collection as of A = plan.as_of: the due set (due date in
// [from, A]) gives billed and collected (payments dated <= A); credit sales
// are the invoices dated in [from, A]; outstanding / overdue at t = the end
// of each period (<= A; A without a grain) over the invoices dated <= t.
// What each invoice was paid by a day: its payments by date (CSR, built
// once per query and shared by the threads), or the invoices' paid summary
// (one payment of `paid` on `paid_date`) read in place.
class InvoicePayments {
 public:
  explicit InvoicePayments(const Plan& plan) : plan_(plan), c_(plan.data->invoices()->columns()) {
    const std::size_t n = plan.data->invoices()->size();
    const Payments* p = plan.data->payments();
    summary_ = p == nullptr && !c_.paid_date.empty() && !c_.paid.empty();
    scale_ = p != nullptr ? p->columns().money_scale : c_.money_scale;
    if (p == nullptr) return;
    begin_.assign(n + 1, 0);
    const PaymentsColumns& pc = p->columns();
    for (std::size_t k = 0; k < p->size(); ++k) ++begin_[static_cast<std::size_t>(pc.invoice_row[k]) + 1];
    for (std::size_t i = 1; i < begin_.size(); ++i) begin_[i] += begin_[i - 1];
    pays_.resize(p->size());
    std::vector<std::int64_t> next(begin_.begin(), begin_.end() - 1);
    for (std::size_t k = 0; k < p->size(); ++k) {
      const auto row = static_cast<std::size_t>(pc.invoice_row[k]);
      pays_[static_cast<std::size_t>(next[row]++)] = {pc.date[k], pc.amount[k]};
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::sort(pays_.begin() + begin_[i], pays_.begin() + begin_[i + 1]);
    }
  }
  // The payments of invoice i dated <= t, at the plan's money scale.
  absl::StatusOr<Money> PaidBy(std::size_t i, Day t) const {
    if (summary_) {
      if (c_.paid_date[i] == kNoDate || c_.paid_date[i] > t) return Money{0};
      return Scaled(plan_, c_.paid[i], scale_, "invoices", i);
    }
    Money sum = 0;
    if (begin_.empty()) return sum;  // nothing paid is known
    for (auto k = begin_[i]; k < begin_[i + 1]; ++k) {
      const auto& [day, amount] = pays_[static_cast<std::size_t>(k)];
      if (day > t) break;
      SALESIGHT_ASSIGN_OR_RETURN(const Money a, Scaled(plan_, amount, scale_, "invoices", i));
      SALESIGHT_RETURN_IF_ERROR(Add(sum, a, "payments", "invoices", i));
    }
    return sum;
  }

 private:
  const Plan& plan_;
  const InvoicesColumns& c_;
  bool summary_ = false;
  int scale_ = kDefaultMoneyScale;
  std::vector<std::int64_t> begin_;
  std::vector<std::pair<Day, Money>> pays_;
};

absl::Status AddInvoices(const Plan& plan, const TablePart& part, std::size_t begin_row,
                         std::size_t end_row, const InvoicePayments& payments, Keys& keys) {
  const InvoicesColumns& c = plan.data->invoices()->columns();
  const Day A = plan.as_of;
  if (A == kNoDate) return absl::OkStatus();
  auto paid_by = [&](std::size_t i, Day t) { return payments.PaidBy(i, t); };
  const Column<Day>& due = *DayColumn(*plan.data, TableKind::kInvoices, plan.due_date);
  const Column<Day>& credit = *DayColumn(*plan.data, TableKind::kInvoices, plan.credit_date);
  const bool due_set = IsMeasure(plan, MeasureId::kBilled) ||
                       IsMeasure(plan, MeasureId::kCollected) ||
                       IsMeasure(plan, MeasureId::kCollectionRate);
  const bool credit_sales = IsMeasure(plan, MeasureId::kCreditSales) ||
                            IsMeasure(plan, MeasureId::kDso);
  const bool snapshot = NeedsSnapshot(plan);
  return ForSelected(part, begin_row, end_row, [&](std::size_t i) -> absl::Status {
    SALESIGHT_ASSIGN_OR_RETURN(const Money amount,
                               Scaled(plan, c.amount[i], c.money_scale, "invoices", i));
    if (due_set && InRange(plan, due[i], A)) {
      SALESIGHT_ASSIGN_OR_RETURN(const std::int32_t slot, keys.Slot(part, i, due[i]));
      if (slot >= 0) {
        SALESIGHT_ASSIGN_OR_RETURN(const Money paid, paid_by(i, A));
        TableSums& t = keys.Sums(slot);
        SALESIGHT_RETURN_IF_ERROR(Add(t.billed, amount, "billed", "invoices", i));
        SALESIGHT_RETURN_IF_ERROR(Add(t.collected, paid, "collected", "invoices", i));
      }
    }
    if (credit_sales && InRange(plan, credit[i], A)) {
      SALESIGHT_ASSIGN_OR_RETURN(const std::int32_t slot, keys.Slot(part, i, credit[i]));
      if (slot >= 0) {
        SALESIGHT_RETURN_IF_ERROR(
            Add(keys.Sums(slot).credit_sales, amount, "credit_sales", "invoices", i));
      }
    }
    if (!snapshot || c.invoice_date[i] > A) return absl::OkStatus();
    // One snapshot per period from the invoice's (or the range's first) to A's.
    std::int32_t p = 0, last = 0;
    if (plan.grain) {
      p = PeriodOf(*plan.grain, c.invoice_date[i]);
      if (plan.from != kNoDate) p = std::max(p, PeriodOf(*plan.grain, plan.from));
      last = PeriodOf(*plan.grain, A);
    }
    for (; p <= last; ++p) {
      const Day t = plan.grain ? std::min(PeriodEnd(*plan.grain, p), A) : A;
      SALESIGHT_ASSIGN_OR_RETURN(const Money paid, paid_by(i, t));
      Money open = 0;
      if (__builtin_sub_overflow(amount, paid, &open)) {
        return absl::OutOfRangeError(
            absl::StrFormat("query: invoices row %d: amount - paid overflows int64", i));
      }
      if (open <= 0) break;  // payments are positive: settled stays settled
      SALESIGHT_ASSIGN_OR_RETURN(const std::int32_t slot, keys.Slot(part, i, t));
      if (slot < 0) continue;
      TableSums& s = keys.Sums(slot);
      SALESIGHT_RETURN_IF_ERROR(Add(s.outstanding, open, "outstanding", "invoices", i));
      if (c.due_date[i] < t) SALESIGHT_RETURN_IF_ERROR(Add(s.overdue, open, "overdue", "invoices", i));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- targets
// trend.hpp: a month's target spreads over its days (amount / days in the
// month each), clipped to time.range; each slot sums its days' shares
// exactly (rounded once, when shown).
absl::Status AddTargets(const Plan& plan, const TablePart& part, std::size_t begin,
                        std::size_t end, Keys& keys) {
  const Targets& tg = *plan.data->targets();
  const TargetsColumns& c = tg.columns();
  return ForSelected(part, begin, end, [&](std::size_t i) -> absl::Status {
    Day first = kNoDate, last = kNoDate;
    SALESIGHT_RETURN_IF_ERROR(TargetMonth(tg, i, first, last));
    SALESIGHT_ASSIGN_OR_RETURN(const Money amount,
                               Scaled(plan, c.amount[i], c.money_scale, "targets", i));
    const auto per_day = static_cast<Int128>(amount) * (kTargetDenominator / (last - first + 1));
    const Day b = plan.from == kNoDate ? first : std::max(first, plan.from);
    const Day e = plan.to == kNoDate ? last : std::min(last, plan.to);
    for (Day d = b; d <= e; ++d) {
      SALESIGHT_ASSIGN_OR_RETURN(const std::int32_t slot, keys.Slot(part, i, d));
      if (slot >= 0) keys.Sums(slot).target_num += per_day;
    }
    return absl::OkStatus();
  });
}

}  // namespace

const Column<Day>* DayColumn(const Dataset& data, TableKind table, const std::string& member) {
  if (table == TableKind::kOrders && data.orders() != nullptr && member == "order_date") {
    return &data.orders()->columns().order_date;
  }
  if (table == TableKind::kPipeline && data.pipeline() != nullptr) {
    const PipelineColumns& c = data.pipeline()->columns();
    if (member == "created") return &c.created;
    if (member == "lost_date" && !c.lost_date.empty()) return &c.lost_date;
  }
  if (table == TableKind::kInvoices && data.invoices() != nullptr) {
    const InvoicesColumns& c = data.invoices()->columns();
    if (member == "invoice_date") return &c.invoice_date;
    if (member == "due_date") return &c.due_date;
    if (member == "paid_date" && !c.paid_date.empty()) return &c.paid_date;
  }
  return nullptr;
}

bool IsSnapshot(MeasureId m) {
  return m == MeasureId::kOutstanding || m == MeasureId::kOverdue || m == MeasureId::kDso;
}

absl::Status PlanTables(const Dataset& data, const QuerySpec& spec, const QueryPlanInfo& info,
                        Plan& plan) {
  // The invoices keep their measures' own dates whatever time.dimension
  // (receivables.hpp: the due set by due date, credit sales by invoice date).
  for (const QueryPlanTable& t : info.tables) {
    if (t.table == TableKind::kPipeline) plan.pipeline_date = t.time_member;
  }
  if (plan.need_pipeline) {
    const PipelineColumns& c = data.pipeline()->columns();
    plan.stages = static_cast<int>(c.stage_names.size());
    const auto won = std::find(c.stage_names.begin(), c.stage_names.end(), "won");
    plan.won_stage = won != c.stage_names.end()
                         ? static_cast<int>(won - c.stage_names.begin())
                         : plan.stages - 1;
    if (c.amount.empty() && data.pipeline()->size() > 0 &&
        (IsMeasure(plan, MeasureId::kPipelineAmount) ||
         IsMeasure(plan, MeasureId::kWeightedPipeline))) {
      return absl::FailedPreconditionError(
          "query: the measures 'pipeline_amount' and 'weighted_pipeline' need the pipeline's "
          "amount column, which the dataset does not have");
    }
  }
  if (plan.need_invoices) {
    plan.as_of = plan.to != kNoDate ? plan.to : data.invoices()->max_invoice_date();
  }
  if (NeedsSnapshot(plan)) {
    for (const GroupDim& d : plan.dims) {
      if (d.is_period) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "query: outstanding, overdue and dso are values as of a day; group them by period "
            "with time.grain, not with the period dimension '%s'",
            d.name));
      }
    }
  }

  std::vector<TableKind> tables;
  if (plan.need_pipeline) tables.push_back(TableKind::kPipeline);
  if (plan.need_invoices) tables.push_back(TableKind::kInvoices);
  if (plan.need_targets) tables.push_back(TableKind::kTargets);
  for (TableKind t : tables) {
    TablePart part;
    part.table = t;
    part.rows = RowsOf(data, t);
    part.where.kind = RowFilter::Kind::kAnd;
    for (std::size_t i = 0; i < spec.filters.size(); ++i) {
      const QueryFilter& f = spec.filters[i];
      if (std::find(plan.having.begin(), plan.having.end(), &f) != plan.having.end()) continue;
      SALESIGHT_ASSIGN_OR_RETURN(RowFilter rf,
                                 CompileTableFilter(data, t, f, absl::StrFormat("filters[%d]", i), plan.to));
      part.where.children.push_back(std::move(rf));
    }
    part.dims.resize(plan.dims.size());
    for (std::size_t d = 0; d < plan.dims.size(); ++d) {
      const GroupDim& dim = plan.dims[d];
      if (dim.is_period && !dim.date_member.empty()) {
        part.dims[d].days = DayColumn(data, t, dim.date_member);
      }
    }
    plan.others.push_back(std::move(part));
  }

  // One member space per dimension over the orders (when read) and the others.
  const bool orders = plan.orders == data.orders();
  // The period dimensions' member range (a pass over every date column of
  // the query's tables: only when one is asked for).
  Day lo = kNoDate, hi = kNoDate;
  if (std::any_of(plan.dims.begin(), plan.dims.end(), [](const GroupDim& d) { return d.is_period; })) {
    DayRange(data, plan, lo, hi);
  }
  for (std::size_t d = 0; d < plan.dims.size(); ++d) {
    GroupDim& dim = plan.dims[d];
    auto codes = std::make_shared<std::vector<Id>>(plan.orders->size());
    if (dim.is_period) {
      dim.lo = lo == kNoDate ? 0 : PeriodOf(dim.grain, lo);
      const std::int32_t top = hi == kNoDate ? dim.lo - 1 : PeriodOf(dim.grain, hi);
      const Column<Day>& days = plan.orders->columns().order_date;
      for (std::size_t i = 0; i < codes->size(); ++i) {
        (*codes)[i] = PeriodOf(dim.grain, days[i]) - dim.lo;
      }
      dim.column.cardinality = top - dim.lo + 1;
    } else {
      std::vector<std::pair<TableKind, DimensionColumn>> columns;
      if (orders && data.orders() != nullptr) {
        SALESIGHT_ASSIGN_OR_RETURN(DimensionColumn oc, data.Dimension(TableKind::kOrders, dim.name));
        columns.emplace_back(TableKind::kOrders, std::move(oc));
      }
      for (TableKind t : tables) {
        SALESIGHT_ASSIGN_OR_RETURN(DimensionColumn tc, QueryDimensionOf(data, t, dim.name, plan.to));
        columns.emplace_back(t, std::move(tc));
      }
      std::set<std::string> labels;
      bool missing = false;
      for (const auto& [t, col] : columns) {
        for (Id k = 0; k < col.cardinality; ++k) labels.insert(DimensionLabel(col.dictionary, k));
        missing = missing || col.may_be_missing;
      }
      absl::StatusOr<Dictionary> dict =
          Dictionary::FromCodes(std::vector<std::string>(labels.begin(), labels.end()));
      if (!dict.ok()) return dict.status();
      dict->Reorder(CanonicalOrder(*dict));
      auto unified = std::make_shared<const Dictionary>(std::move(*dict));
      for (auto& [t, col] : columns) {
        std::vector<Id> remap(static_cast<std::size_t>(col.cardinality));
        for (Id k = 0; k < col.cardinality; ++k) {
          remap[static_cast<std::size_t>(k)] = unified->Find(DimensionLabel(col.dictionary, k));
        }
        if (t == TableKind::kOrders) {
          for (std::size_t i = 0; i < codes->size(); ++i) {
            const Id k = col.Code(i);
            (*codes)[i] = k == kNoId ? kNoId : remap[static_cast<std::size_t>(k)];
          }
          continue;
        }
        for (TablePart& part : plan.others) {
          if (part.table == t) part.dims[d] = TableDim{std::move(col), std::move(remap)};
        }
      }
      dim.column.dictionary = unified;
      dim.column.cardinality = unified->size();
      dim.column.may_be_missing = missing;
    }
    dim.column.name = dim.name;
    dim.column.codes = codes->data();
    dim.column.lookup = nullptr;
    dim.column.lookup_owner.reset();
    dim.owned_codes = std::move(codes);
  }
  return absl::OkStatus();
}

namespace {

// Sizes g's per-slot vectors to its keyer's slots.
void GrowTables(const Plan& plan, Groups& g) {
  const auto n = static_cast<std::size_t>(g.keyer->num_slots());
  const auto stages = static_cast<std::size_t>(plan.stages);
  g.sums.resize(std::max(g.sums.size(), n));
  g.table_sums.resize(n);
  g.open_by_stage.resize(n * stages, 0);
  g.open_count_by_stage.resize(n * stages, 0);
}

// Rows [begin, end) of `part` into keys' groups.
absl::Status AddPart(const Plan& plan, const TablePart& part, std::size_t begin, std::size_t end,
                     const InvoicePayments* payments, Keys& keys, StageTops& tops) {
  switch (part.table) {
    case TableKind::kPipeline: return AddPipeline(plan, part, begin, end, keys, tops);
    case TableKind::kInvoices: return AddInvoices(plan, part, begin, end, *payments, keys);
    case TableKind::kTargets: return AddTargets(plan, part, begin, end, keys);
    default: return absl::OkStatus();
  }
}

// Adds another thread's groups (same plan, its own keyer) into g.
absl::Status MergeTableGroups(const Plan& plan, const Groups& from, Groups& g) {
  SALESIGHT_ASSIGN_OR_RETURN(const std::vector<std::int32_t> to, g.keyer->Merge(*from.keyer));
  GrowTables(plan, g);
  const std::size_t slots = std::min(to.size(), from.table_sums.size());
  for (std::size_t s = 0; s < slots; ++s) {
    const auto into = static_cast<std::size_t>(to[s]);
    if (!AddTableSlot(plan, from, s, g, into)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "query: a sum of the group (%s) overflows int64",
          DescribeSlot(plan, *g.keyer, static_cast<std::int32_t>(into))));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AggregateTables(const Plan& plan, const QueryRunOptions& options, Groups& g) {
  if (plan.others.empty()) return absl::OkStatus();
  GrowTables(plan, g);
  const auto stage_slots = static_cast<std::size_t>(plan.stages) + 1;
  StageTops tops{std::vector<std::int64_t>(stage_slots, 0),
                 std::vector<std::int64_t>(stage_slots, 0)};
  std::optional<InvoicePayments> payments;
  if (plan.need_invoices) payments.emplace(plan);
  const std::size_t per =
      static_cast<std::size_t>(std::max<std::int64_t>(1, options.min_rows_per_thread));
  for (const TablePart& part : plan.others) {
    const std::size_t threads =
        std::min(internal::ResolveThreads(options.num_threads, part.rows),
                 std::max<std::size_t>(1, (part.rows + per - 1) / per));
    if (threads <= 1) {
      Keys keys(plan, g);
      SALESIGHT_RETURN_IF_ERROR(AddPart(plan, part, 0, part.rows, payments ? &*payments : nullptr,
                                        keys, tops));
      continue;
    }
    // Each thread keys its contiguous rows with its own keyer; merged in
    // thread order (the result's row order is canonical, not slot order).
    struct Local {
      Groups g;
      StageTops tops;
      absl::Status status;
    };
    std::vector<Local> locals(threads);
    internal::ForEachRange(threads, part.rows, [&](std::size_t t, std::size_t b, std::size_t e) {
      Local& l = locals[t];
      l.tops = StageTops{std::vector<std::int64_t>(stage_slots, 0),
                         std::vector<std::int64_t>(stage_slots, 0)};
      absl::StatusOr<GroupKeyer> keyer = MakeKeyer(plan);
      if (!keyer.ok()) {
        l.status = keyer.status();
        return;
      }
      l.g.keyer = std::move(*keyer);
      Keys keys(plan, l.g);
      l.status = AddPart(plan, part, b, e, payments ? &*payments : nullptr, keys, l.tops);
    });
    for (const Local& l : locals) SALESIGHT_RETURN_IF_ERROR(l.status);
    for (const Local& l : locals) {
      SALESIGHT_RETURN_IF_ERROR(MergeTableGroups(plan, l.g, g));
      for (std::size_t k = 0; k < stage_slots; ++k) {
        tops.won[k] += l.tops.won[k];
        tops.lost[k] += l.tops.lost[k];
      }
    }
  }
  if (plan.need_pipeline) SetStageProbabilities(plan, tops, g);
  return absl::OkStatus();
}

Money TargetOf(const TableSums& s) { return RoundTarget(s.target_num); }

bool AddTableSlot(const Plan& plan, const Groups& from, std::size_t s, Groups& g,
                  std::size_t into) {
  TableSums& a = g.table_sums[into];
  const TableSums& b = from.table_sums[s];
  a.opportunities += b.opportunities;
  a.won += b.won;
  a.lost += b.lost;
  a.target_num += b.target_num;
  bool overflow = false;
  for (auto [x, y] : {std::pair{&a.pipeline_amount, b.pipeline_amount},
                      std::pair{&a.billed, b.billed}, std::pair{&a.collected, b.collected},
                      std::pair{&a.credit_sales, b.credit_sales},
                      std::pair{&a.outstanding, b.outstanding}, std::pair{&a.overdue, b.overdue}}) {
    overflow = __builtin_add_overflow(*x, y, x) || overflow;
  }
  const auto S = static_cast<std::size_t>(plan.stages);
  for (std::size_t k = 0; k < S; ++k) {
    overflow = __builtin_add_overflow(g.open_by_stage[into * S + k], from.open_by_stage[s * S + k],
                                      &g.open_by_stage[into * S + k]) ||
               overflow;
    g.open_count_by_stage[into * S + k] += from.open_count_by_stage[s * S + k];
  }
  return !overflow;
}

}  // namespace salesight::query_internal
