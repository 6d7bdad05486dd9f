// The plan: what a checked spec means for the orders table - which sums and
// distinct sets to keep, the grouping columns (periods made per query), the
// row filter (WHERE) and the measure filters (HAVING).
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

absl::Status NotYet(const std::string& what) {
  return absl::UnimplementedError(absl::StrFormat(
      "query: %s is not computed by this version",
      what));
}

struct MeasureName {
  std::string_view name;
  MeasureId id;
};
constexpr MeasureName kMeasureIds[] = {
    {"opportunities", MeasureId::kOpportunities},
    {"won", MeasureId::kWon},
    {"lost", MeasureId::kLost},
    {"win_rate", MeasureId::kWinRate},
    {"pipeline_amount", MeasureId::kPipelineAmount},
    {"weighted_pipeline", MeasureId::kWeightedPipeline},
    {"billed", MeasureId::kBilled},
    {"collected", MeasureId::kCollected},
    {"collection_rate", MeasureId::kCollectionRate},
    {"credit_sales", MeasureId::kCreditSales},
    {"outstanding", MeasureId::kOutstanding},
    {"overdue", MeasureId::kOverdue},
    {"dso", MeasureId::kDso},
    {"target", MeasureId::kTarget},
    {"attainment_pct", MeasureId::kAttainmentPct},
    {"revenue", MeasureId::kRevenue},
    {"cost", MeasureId::kCost},
    {"costed_revenue", MeasureId::kCostedRevenue},
    {"margin", MeasureId::kMargin},
    {"margin_pct", MeasureId::kMarginPct},
    {"quantity", MeasureId::kQuantity},
    {"lines", MeasureId::kLines},
    {"orders", MeasureId::kOrders},
    {"customers", MeasureId::kCustomers},
    {"new_customers", MeasureId::kNewCustomers},
    {"returning_customers", MeasureId::kReturningCustomers},
    {"aov", MeasureId::kAov},
    {"revenue_per_customer", MeasureId::kRevenuePerCustomer},
    {"return_amount", MeasureId::kReturnAmount},
};

// Every condition member of a filter item.
void Members(const QueryFilter& f, std::vector<const std::string*>& out) {
  if (f.kind == QueryFilter::Kind::kCondition) {
    out.push_back(&f.member);
    return;
  }
  for (const QueryFilter& c : f.children) Members(c, out);
}

absl::StatusOr<GroupDim> PeriodDim(const OrderLines& orders, const std::string& name,
                                   Grain grain) {
  GroupDim d;
  d.name = name;
  d.is_period = true;
  d.grain = grain;
  const Column<Day>& days = orders.columns().order_date;
  auto codes = std::make_shared<std::vector<Id>>(days.size());
  std::int32_t hi = 0;
  if (!days.empty()) {
    d.lo = PeriodOf(grain, orders.min_date());
    hi = PeriodOf(grain, orders.max_date());
    for (std::size_t i = 0; i < days.size(); ++i) {
      (*codes)[i] = PeriodOf(grain, days[i]) - d.lo;
    }
  }
  d.column.name = name;
  d.column.codes = codes->data();
  d.column.cardinality = days.empty() ? 0 : hi - d.lo + 1;
  d.owned_codes = std::move(codes);
  return d;
}

}  // namespace

std::optional<MeasureId> MeasureIdOf(std::string_view name) {
  for (const MeasureName& m : kMeasureIds) {
    if (m.name == name) return m.id;
  }
  return std::nullopt;
}

void SetMeasureNeeds(Plan& plan) {
  for (MeasureId m : plan.measures) {
    switch (m) {
      case MeasureId::kCost:
      case MeasureId::kCostedRevenue:
      case MeasureId::kMargin:
      case MeasureId::kMarginPct: plan.need_cost = true; break;
      case MeasureId::kOrders:
      case MeasureId::kAov: plan.need_orders = true; break;
      case MeasureId::kCustomers:
      case MeasureId::kRevenuePerCustomer: plan.need_customers = true; break;
      case MeasureId::kNewCustomers: plan.need_new = true; break;
      case MeasureId::kReturningCustomers: plan.need_returning = true; break;
      default: break;
    }
  }
}

void SetPlanTime(const QuerySpec& spec, Plan& plan) {
  if (!spec.time) return;
  plan.grain = spec.time->grain;
  plan.compare = spec.time->compare;
  plan.from = spec.time->from;
  plan.to = spec.time->to;
  if (plan.grain) plan.time_column = spec.time->dimension + "." + QueryGrainText(*plan.grain);
}

FilterSide SideOf(const QuerySpec& spec, const QueryFilter& f) {
  std::vector<const std::string*> members;
  Members(f, members);
  std::size_t on_measures = 0;
  for (const std::string* m : members) {
    on_measures +=
        std::find(spec.measures.begin(), spec.measures.end(), *m) != spec.measures.end();
  }
  if (on_measures == members.size() && !members.empty()) return FilterSide::kMeasures;
  return on_measures == 0 ? FilterSide::kRows : FilterSide::kMixed;
}

absl::StatusOr<Plan> BuildPlan(const Dataset& data, const QuerySpec& spec,
                               const QueryPlanInfo& info, const QueryLimits& limits) {
  Plan plan;
  plan.data = &data;
  bool reads_orders = false;
  for (const QueryMeasure* m : info.measures) {
    for (TableKind t : MeasureTables(*m)) {
      reads_orders = reads_orders || t == TableKind::kOrders;
      plan.need_pipeline = plan.need_pipeline || t == TableKind::kPipeline;
      plan.need_invoices = plan.need_invoices || t == TableKind::kInvoices;
      plan.need_targets = plan.need_targets || t == TableKind::kTargets;
    }
    const std::optional<MeasureId> id = MeasureIdOf(m->name);
    if (!id) return NotYet(absl::StrFormat("the measure '%s'", std::string(m->name)));
    plan.measures.push_back(*id);
    plan.measure_names.emplace_back(m->name);
  }
  // compare target: revenue beside its target (the orders and the targets).
  if (spec.time && spec.time->compare == QueryCompare::kTarget) {
    if (std::find(plan.measures.begin(), plan.measures.end(), MeasureId::kRevenue) ==
        plan.measures.end()) {
      return absl::InvalidArgumentError(
          "query: time.compare 'target' compares revenue with its target: the measures must "
          "include 'revenue'");
    }
    plan.need_targets = true;
  }
  const bool multi = plan.need_pipeline || plan.need_invoices || plan.need_targets;

  static const OrderLines* const kNoOrders = new OrderLines(*OrderLines::Build({}));
  const OrderLines& orders = reads_orders ? *data.orders() : *kNoOrders;
  plan.orders = &orders;
  plan.money_scale = orders.money_scale();
  if (!reads_orders) {
    if (plan.need_invoices) plan.money_scale = data.invoices()->money_scale();
    else if (plan.need_pipeline) plan.money_scale = data.pipeline()->columns().money_scale;
    else if (plan.need_targets) plan.money_scale = data.targets()->columns().money_scale;
  }
  SetMeasureNeeds(plan);
  if (std::find(plan.measures.begin(), plan.measures.end(), MeasureId::kQuantity) !=
          plan.measures.end() &&
      orders.columns().quantity.empty() && orders.size() > 0) {
    return absl::FailedPreconditionError(
        "query: the measure 'quantity' needs the orders' quantity column, which the "
        "dataset does not have");
  }
  SetPlanTime(spec, plan);
  for (std::size_t i = 0; i < info.dimensions.size(); ++i) {
    const QueryPlanDimension& d = info.dimensions[i];
    if (!plan.time_column.empty() && d.name == plan.time_column) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "query: dimensions[%d]: '%s' is the period of time.grain already (the result's first "
          "column); list it once",
          i, d.name));
    }
    if (d.is_period) {
      SALESIGHT_ASSIGN_OR_RETURN(GroupDim g, PeriodDim(orders, d.name, d.grain));
      g.date_member = d.date_member;
      plan.dims.push_back(std::move(g));
      continue;
    }
    GroupDim g;
    g.name = d.name;
    // Several tables: PlanTables replaces the column with the unified members.
    if (reads_orders || !multi) {
      SALESIGHT_ASSIGN_OR_RETURN(g.column, data.Dimension(TableKind::kOrders, d.name));
    }
    plan.dims.push_back(std::move(g));
  }

  plan.where.kind = RowFilter::Kind::kAnd;
  for (std::size_t i = 0; i < spec.filters.size(); ++i) {
    const QueryFilter& f = spec.filters[i];
    const FilterSide side = SideOf(spec, f);
    if (side == FilterSide::kMeasures) {
      plan.having.push_back(&f);
    } else if (side == FilterSide::kRows) {
      if (reads_orders) {
        SALESIGHT_ASSIGN_OR_RETURN(RowFilter rf,
                                   CompileRowFilter(data, f, absl::StrFormat("filters[%d]", i)));
        plan.where.children.push_back(std::move(rf));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrFormat(
          "query: filters[%d] mixes measures (filtered per group, after aggregation) with row "
          "members (filtered per line) in one and/or group; give them as separate top-level "
          "filters",
          i));
    }
  }
  if (plan.from != kNoDate || plan.to != kNoDate) {
    plan.where.children.push_back(RangeFilter(orders, plan.from, plan.to));
  }

  if (plan.need_cost) {
    SALESIGHT_ASSIGN_OR_RETURN(MarginLineCosts costs, MarginLineCosts::Make(data));
    plan.costs = std::move(costs);
  }
  if (plan.need_new || plan.need_returning) {
    const OrderLinesColumns& c = orders.columns();
    plan.first_purchase.assign(static_cast<std::size_t>(orders.num_customers()), kNoDate);
    for (std::size_t i = 0; i < orders.size(); ++i) {
      if (c.amount[i] < 0) continue;
      Day& first = plan.first_purchase[static_cast<std::size_t>(c.customer[i])];
      if (first == kNoDate || c.order_date[i] < first) first = c.order_date[i];
    }
  }
  plan.max_groups = std::min<std::int64_t>(limits.max_groups,
                                           std::numeric_limits<std::int32_t>::max());
  if (multi) SALESIGHT_RETURN_IF_ERROR(PlanTables(data, spec, info, plan));
  return plan;
}

}  // namespace salesight::query_internal
