// salesight_aging_*, salesight_trend_*, salesight_contribution_*,
// salesight_leaderboard_*: the dashboard calculators (issue 8). Option structs to C++ options, tables to
// calculators, results to result handles. No logic of its own beyond
// translation; the definitions live in receivables.hpp, trend.hpp,
// contribution.hpp and leaderboard.hpp.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "options_internal.hpp"
#include "salesight.h"
#include "salesight/contribution.hpp"
#include "salesight/dataset.hpp"
#include "salesight/leaderboard.hpp"
#include "salesight/receivables.hpp"
#include "salesight/trend.hpp"

// No option struct has tail padding: a newer header appending an int32 must
// grow sizeof, or the struct_size check could not see the new field.
#define SALESIGHT_NO_TAIL_PADDING(T, last) \
  static_assert(sizeof(T) == offsetof(T, last) + sizeof(T::last), #T " has tail padding")
SALESIGHT_NO_TAIL_PADDING(salesight_aging_options, reserved);
SALESIGHT_NO_TAIL_PADDING(salesight_trend_options, reserved);
SALESIGHT_NO_TAIL_PADDING(salesight_contribution_options, reserved);
SALESIGHT_NO_TAIL_PADDING(salesight_leaderboard_options, reserved);

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::NullArgument;

namespace salesight::capi {
namespace {

// Optional table argument: NULL is fine, any other handle must be a T.
template <typename T>
salesight_status OptionalTableAs(const salesight_table* handle, const char* function,
                                 const char* argument, const T** out) {
  *out = nullptr;
  if (handle == nullptr) return SALESIGHT_OK;
  return TableAs(handle, function, argument, out);
}

// ------------------------------------------------------------------- aging

salesight_aging_options DefaultAgingOptions() {
  const AgingOptions d;
  const CollectionOptions c;
  salesight_aging_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.as_of = d.as_of;
  o.age_basis = SALESIGHT_AGE_FROM_DUE_DATE;
  o.num_cutoffs = 0;
  o.cutoffs = nullptr;
  o.group_by = nullptr;
  o.overdue_top_n = static_cast<int64_t>(d.overdue_top_n);
  o.max_examples = static_cast<int32_t>(d.max_examples);
  o.num_threads = d.num_threads;
  o.output = SALESIGHT_AGING_OUTPUT_TABLE;
  o.from = c.from;
  o.to = c.to;
  o.days_to_pay = SALESIGHT_DAYS_TO_PAY_PLAIN;
  o.rate_only = c.rate_only ? 1 : 0;
  return o;
}

// NULL keeps the default; "" (or only commas and spaces) = not grouped; any
// other text is a dimension name of the invoices, checked by the calculator.
void ToReceivablesGroup(const char* group_by, std::string* out) {
  if (group_by == nullptr) return;
  const std::vector<std::string> names = SplitList(group_by);
  *out = names.empty() ? std::string() : std::string(group_by);
}

salesight_status AgingCompute(const salesight_table* invoices_handle,
                              const salesight_table* payments_handle,
                              const salesight_aging_options* options, salesight_result** out) {
  constexpr const char* kFn = "salesight_aging_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const Invoices* invoices = nullptr;
  if (salesight_status st = TableAs(invoices_handle, kFn, "invoices", &invoices);
      st != SALESIGHT_OK) {
    return st;
  }
  const Payments* payments = nullptr;
  if (salesight_status st = OptionalTableAs(payments_handle, kFn, "payments", &payments);
      st != SALESIGHT_OK) {
    return st;
  }
  salesight_aging_options o = DefaultAgingOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_aging_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_aging_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
  if (o.output < SALESIGHT_AGING_OUTPUT_TABLE || o.output > SALESIGHT_AGING_OUTPUT_COLLECTION) {
    return BadOption("salesight_aging_options.output", o.output);
  }
  if (o.as_of == kNoDate) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                "salesight_aging_options.as_of is required (it is SALESIGHT_NO_DATE)");
  }

  DatasetTables tables;
  tables.invoices = BorrowTable(invoices);
  tables.payments = BorrowTable(payments);
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(tables));
  if (!data.ok()) return FromStatus(data.status());

  if (o.output == SALESIGHT_AGING_OUTPUT_COLLECTION) {
    CollectionOptions c;
    c.from = o.from;
    c.to = o.to;
    c.as_of = o.as_of;
    ToReceivablesGroup(o.group_by, &c.group_by);
    switch (o.days_to_pay) {
      case SALESIGHT_DAYS_TO_PAY_PLAIN: c.days_to_pay = DaysToPayMean::kPlain; break;
      case SALESIGHT_DAYS_TO_PAY_AMOUNT_WEIGHTED:
        c.days_to_pay = DaysToPayMean::kAmountWeighted;
        break;
      default: return BadOption("salesight_aging_options.days_to_pay", o.days_to_pay);
    }
    c.rate_only = o.rate_only != 0;
    c.num_threads = o.num_threads;
    absl::StatusOr<CollectionResult> result = ComputeCollection(*data, c);
    if (!result.ok()) return FromStatus(result.status());
    return NewResult(ToResultTable(*result), out);
  }

  AgingOptions a;
  a.as_of = o.as_of;
  switch (o.age_basis) {
    case SALESIGHT_AGE_FROM_DUE_DATE: a.age_basis = AgeBasis::kDueDate; break;
    case SALESIGHT_AGE_FROM_INVOICE_DATE: a.age_basis = AgeBasis::kInvoiceDate; break;
    default: return BadOption("salesight_aging_options.age_basis", o.age_basis);
  }
  // The calculator checks the values; the count is checked here so that a
  // garbage count never makes us read far into the caller's memory.
  if (o.num_cutoffs < 0 || o.num_cutoffs > 1000) {
    return BadOption("salesight_aging_options.num_cutoffs", o.num_cutoffs);
  }
  if (o.num_cutoffs > 0) {
    if (o.cutoffs == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("salesight_aging_options.cutoffs is NULL but num_cutoffs = %d",
                                  o.num_cutoffs));
    }
    a.cutoffs.assign(o.cutoffs, o.cutoffs + o.num_cutoffs);
  }
  ToReceivablesGroup(o.group_by, &a.group_by);
  if (o.overdue_top_n < -1) {
    return BadOption("salesight_aging_options.overdue_top_n", o.overdue_top_n);
  }
  a.overdue_top_n =
      o.overdue_top_n == -1 ? kAllOverdue : static_cast<std::size_t>(o.overdue_top_n);
  if (o.max_examples < 0) return BadOption("salesight_aging_options.max_examples", o.max_examples);
  a.max_examples = static_cast<std::size_t>(o.max_examples);
  a.num_threads = o.num_threads;
  absl::StatusOr<AgingResult> result = ComputeAging(*data, a);
  if (!result.ok()) return FromStatus(result.status());
  DataProblems problems = ReceivablesProblems(result->issues, *invoices);
  switch (o.output) {
    case SALESIGHT_AGING_OUTPUT_OVERDUE:
      return NewResult(OverdueToResultTable(*result), std::move(problems), out);
    case SALESIGHT_AGING_OUTPUT_ISSUES:
      return NewResult(IssuesToResultTable(result->issues, result->money_scale),
                       std::move(problems), out);
    default: return NewResult(ToResultTable(*result), std::move(problems), out);
  }
}

// ------------------------------------------------------------------- trend

salesight_trend_options DefaultTrendOptions() {
  const TrendOptions d;
  salesight_trend_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.grain = SALESIGHT_PERIOD_MONTH;
  o.compare = SALESIGHT_COMPARE_LAST_YEAR;
  o.compare_measure = SALESIGHT_METRIC_REVENUE;
  o.group_by = nullptr;
  o.from = d.from;
  o.to = d.to;
  o.as_of = d.as_of;
  o.emit_empty_periods = d.emit_empty_periods ? 1 : 0;
  o.with_margin = d.with_margin ? 1 : 0;
  o.count_orders = d.count_orders ? 1 : 0;
  o.tier_cost_first = d.product_cost_order == ProductCostOrder::kTierThenStandard ? 1 : 0;
  o.num_threads = d.num_threads;
  o.max_cells = d.max_cells;
  o.output = SALESIGHT_TREND_OUTPUT_TABLE;
  return o;
}

salesight_status ToTrendOptions(const salesight_trend_options& o, TrendOptions* t) {
  std::optional<Grain> grain;
  if (!GrainFromPeriodCode(o.grain, &grain) || !grain) {
    return BadOption("salesight_trend_options.grain", o.grain);
  }
  t->grain = *grain;
  switch (o.compare) {
    case SALESIGHT_COMPARE_PREVIOUS: t->compare = TrendCompare::kPrevious; break;
    case SALESIGHT_COMPARE_LAST_YEAR: t->compare = TrendCompare::kLastYear; break;
    case SALESIGHT_COMPARE_TARGET: t->compare = TrendCompare::kTarget; break;
    default: return BadOption("salesight_trend_options.compare", o.compare);
  }
  switch (o.compare_measure) {
    case SALESIGHT_METRIC_REVENUE: t->compare_measure = TrendMeasure::kRevenue; break;
    case SALESIGHT_METRIC_MARGIN: t->compare_measure = TrendMeasure::kMargin; break;
    case SALESIGHT_METRIC_ORDERS: t->compare_measure = TrendMeasure::kOrders; break;
    case SALESIGHT_METRIC_COLLECTIONS: t->compare_measure = TrendMeasure::kCollections; break;
    default: return BadOption("salesight_trend_options.compare_measure", o.compare_measure);
  }
  const std::vector<std::string> keys = SplitList(o.group_by);
  if (keys.size() > 1) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("salesight_trend_options.group_by: '%s' names %d keys; a "
                                "trend groups by at most one",
                                o.group_by, keys.size()));
  }
  // A dimension name of the orders; the calculator refuses unknown ones,
  // naming the valid ones.
  t->group_by = keys.empty() ? std::string() : keys[0];
  t->from = o.from;
  t->to = o.to;
  t->as_of = o.as_of;
  t->emit_empty_periods = o.emit_empty_periods != 0;
  t->with_margin = o.with_margin != 0;
  t->count_orders = o.count_orders != 0;
  t->product_cost_order = o.tier_cost_first ? ProductCostOrder::kTierThenStandard
                                            : ProductCostOrder::kStandardThenTier;
  if (o.max_cells <= 0) return BadOption("salesight_trend_options.max_cells", o.max_cells);
  t->max_cells = o.max_cells;
  t->num_threads = o.num_threads;
  return CheckThreads(o.num_threads);
}

salesight_status TrendCompute(const salesight_table* orders_handle,
                              const salesight_table* products_handle,
                              const salesight_table* invoices_handle,
                              const salesight_table* payments_handle,
                              const salesight_table* targets_handle,
                              const salesight_trend_options* options, salesight_result** out) {
  constexpr const char* kFn = "salesight_trend_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  struct {
    const OrderLines* orders = nullptr;
    const Products* products = nullptr;
    const Invoices* invoices = nullptr;
    const Payments* payments = nullptr;
    const Targets* targets = nullptr;
  } in;
  if (salesight_status st = TableAs(orders_handle, kFn, "orders", &in.orders);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(products_handle, kFn, "products", &in.products);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(invoices_handle, kFn, "invoices", &in.invoices);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(payments_handle, kFn, "payments", &in.payments);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(targets_handle, kFn, "targets", &in.targets);
      st != SALESIGHT_OK) {
    return st;
  }
  if (in.payments != nullptr && in.invoices == nullptr) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: payments need their invoices table", kFn));
  }
  salesight_trend_options o = DefaultTrendOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_trend_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_trend_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (o.output != SALESIGHT_TREND_OUTPUT_TABLE && o.output != SALESIGHT_TREND_OUTPUT_TO_DATE) {
    return BadOption("salesight_trend_options.output", o.output);
  }
  TrendOptions t;
  if (salesight_status st = ToTrendOptions(o, &t); st != SALESIGHT_OK) return st;
  if (t.compare == TrendCompare::kTarget && in.targets == nullptr) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: compare = SALESIGHT_COMPARE_TARGET needs a targets table",
                                kFn));
  }
  if (o.output == SALESIGHT_TREND_OUTPUT_TO_DATE && t.as_of == kNoDate) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: output TO_DATE needs salesight_trend_options.as_of", kFn));
  }
  DatasetTables tables;
  tables.orders = BorrowTable(in.orders);
  tables.products = BorrowTable(in.products);
  tables.invoices = BorrowTable(in.invoices);
  tables.payments = BorrowTable(in.payments);
  tables.targets = BorrowTable(in.targets);
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(tables));
  if (!data.ok()) return FromStatus(data.status());
  absl::StatusOr<TrendResult> result = ComputeTrend(*data, t);
  if (!result.ok()) return FromStatus(result.status());
  if (o.output == SALESIGHT_TREND_OUTPUT_TO_DATE) {
    return NewResult(ToDateResultTable(*result), out);
  }
  return NewResult(ToResultTable(*result), out);
}

// ------------------------------------------------------------- contribution

salesight_contribution_options DefaultContributionOptions() {
  const ContributionOptions d;
  salesight_contribution_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.measure = SALESIGHT_METRIC_REVENUE;
  o.by = nullptr;
  o.from = d.from;
  o.to = d.to;
  o.decimals = d.decimals;
  o.tier_cost_first = d.product_cost_order == ProductCostOrder::kTierThenStandard ? 1 : 0;
  o.num_threads = d.num_threads;
  return o;
}

salesight_status ToContributionOptions(const salesight_contribution_options& o,
                                       ContributionOptions* c) {
  switch (o.measure) {
    case SALESIGHT_METRIC_REVENUE: c->measure = ContributionMeasure::kRevenue; break;
    case SALESIGHT_METRIC_MARGIN: c->measure = ContributionMeasure::kMargin; break;
    default: return BadOption("salesight_contribution_options.measure", o.measure);
  }
  if (o.by != nullptr) {
    // Dimension names of the order lines, checked by the calculator.
    c->dimensions = SplitList(o.by);
    if (c->dimensions.empty() || c->dimensions.size() > 2) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("salesight_contribution_options.by: '%s' names %d "
                                  "dimensions; give one or two",
                                  o.by, c->dimensions.size()));
    }
  }
  c->from = o.from;
  c->to = o.to;
  if (o.decimals < 0 || o.decimals > 6) {
    return BadOption("salesight_contribution_options.decimals", o.decimals);
  }
  c->decimals = o.decimals;
  c->product_cost_order = o.tier_cost_first ? ProductCostOrder::kTierThenStandard
                                            : ProductCostOrder::kStandardThenTier;
  c->num_threads = o.num_threads;
  return CheckThreads(o.num_threads);
}

salesight_status ContributionCompute(const salesight_table* orders_handle,
                                     const salesight_table* products_handle,
                                     const salesight_contribution_options* options,
                                     salesight_result** out) {
  constexpr const char* kFn = "salesight_contribution_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const OrderLines* orders = nullptr;
  if (salesight_status st = TableAs(orders_handle, kFn, "orders", &orders); st != SALESIGHT_OK) {
    return st;
  }
  const Products* products = nullptr;
  if (salesight_status st = OptionalTableAs(products_handle, kFn, "products", &products);
      st != SALESIGHT_OK) {
    return st;
  }
  salesight_contribution_options o = DefaultContributionOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_contribution_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_contribution_options");
      st != SALESIGHT_OK) {
    return st;
  }
  ContributionOptions c;
  if (salesight_status st = ToContributionOptions(o, &c); st != SALESIGHT_OK) return st;
  DatasetTables tables;
  tables.orders = BorrowTable(orders);
  tables.products = BorrowTable(products);
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(tables));
  if (!data.ok()) return FromStatus(data.status());
  absl::StatusOr<ContributionResult> result = ComputeContribution(*data, c);
  if (!result.ok()) return FromStatus(result.status());
  return NewResult(ToResultTable(*result), ContributionProblems(*result), out);
}

// -------------------------------------------------------------- leaderboard

salesight_leaderboard_options DefaultLeaderboardOptions() {
  const LeaderboardOptions d;
  salesight_leaderboard_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.from = d.from;
  o.to = d.to;
  o.as_of = d.as_of;
  o.rank_by = SALESIGHT_METRIC_REVENUE;
  o.num_threads = d.num_threads;
  return o;
}

salesight_status LeaderboardMetricOf(std::int32_t m, LeaderboardMetric* out) {
  switch (m) {
    case SALESIGHT_METRIC_REVENUE: *out = LeaderboardMetric::kRevenue; return SALESIGHT_OK;
    case SALESIGHT_METRIC_MARGIN: *out = LeaderboardMetric::kMargin; return SALESIGHT_OK;
    case SALESIGHT_METRIC_ORDERS: *out = LeaderboardMetric::kOrders; return SALESIGHT_OK;
    case SALESIGHT_METRIC_WON: *out = LeaderboardMetric::kWon; return SALESIGHT_OK;
    case SALESIGHT_METRIC_WIN_RATE: *out = LeaderboardMetric::kWinRate; return SALESIGHT_OK;
    case SALESIGHT_METRIC_COLLECTION_RATE:
      *out = LeaderboardMetric::kCollectionRate;
      return SALESIGHT_OK;
    case SALESIGHT_METRIC_TARGET_ATTAINMENT:
      *out = LeaderboardMetric::kTargetAttainment;
      return SALESIGHT_OK;
    default: return BadOption("salesight_leaderboard_options.rank_by", m);
  }
}

salesight_status LeaderboardCompute(const salesight_table* orders_handle,
                                    const salesight_table* products_handle,
                                    const salesight_table* pipeline_handle,
                                    const salesight_table* invoices_handle,
                                    const salesight_table* payments_handle,
                                    const salesight_table* targets_handle,
                                    const salesight_leaderboard_options* options,
                                    salesight_result** out) {
  constexpr const char* kFn = "salesight_leaderboard_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const OrderLines* orders = nullptr;
  if (salesight_status st = TableAs(orders_handle, kFn, "orders", &orders); st != SALESIGHT_OK) {
    return st;
  }
  struct {
    const Products* products = nullptr;
    const Pipeline* pipeline = nullptr;
    const Invoices* invoices = nullptr;
    const Payments* payments = nullptr;
    const Targets* targets = nullptr;
  } in;
  if (salesight_status st = OptionalTableAs(products_handle, kFn, "products", &in.products);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(pipeline_handle, kFn, "pipeline", &in.pipeline);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(invoices_handle, kFn, "invoices", &in.invoices);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(payments_handle, kFn, "payments", &in.payments);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = OptionalTableAs(targets_handle, kFn, "targets", &in.targets);
      st != SALESIGHT_OK) {
    return st;
  }
  if (in.payments != nullptr && in.invoices == nullptr) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: payments need their invoices table", kFn));
  }
  salesight_leaderboard_options o = DefaultLeaderboardOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_leaderboard_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_leaderboard_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
  LeaderboardOptions l;
  if (salesight_status st = LeaderboardMetricOf(o.rank_by, &l.rank_by); st != SALESIGHT_OK) {
    return st;
  }
  l.from = o.from;
  l.to = o.to;
  l.as_of = o.as_of;
  l.num_threads = o.num_threads;
  DatasetTables tables;
  tables.orders = BorrowTable(orders);
  tables.products = BorrowTable(in.products);
  tables.pipeline = BorrowTable(in.pipeline);
  tables.invoices = BorrowTable(in.invoices);
  tables.payments = BorrowTable(in.payments);
  tables.targets = BorrowTable(in.targets);
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(tables));
  if (!data.ok()) return FromStatus(data.status());
  absl::StatusOr<LeaderboardResult> result = ComputeLeaderboard(*data, l);
  if (!result.ok()) return FromStatus(result.status());
  return NewResult(ToResultTable(*result), out);
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_aging_options_init(salesight_aging_options* options,
                                              size_t struct_size) {
  return salesight::capi::InitOptions("salesight_aging_options_init", options, struct_size,
                                      salesight::capi::DefaultAgingOptions);
}

salesight_status salesight_aging_compute(const salesight_table* invoices,
                                         const salesight_table* payments,
                                         const salesight_aging_options* options,
                                         salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::AgingCompute(invoices, payments, options, out);
  });
}

salesight_status salesight_trend_options_init(salesight_trend_options* options,
                                              size_t struct_size) {
  return salesight::capi::InitOptions("salesight_trend_options_init", options, struct_size,
                                      salesight::capi::DefaultTrendOptions);
}

salesight_status salesight_trend_compute(const salesight_table* orders,
                                         const salesight_table* products,
                                         const salesight_table* invoices,
                                         const salesight_table* payments,
                                         const salesight_table* targets,
                                         const salesight_trend_options* options,
                                         salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::TrendCompute(orders, products, invoices, payments, targets, options,
                                         out);
  });
}

salesight_status salesight_contribution_options_init(salesight_contribution_options* options,
                                                     size_t struct_size) {
  return salesight::capi::InitOptions("salesight_contribution_options_init", options, struct_size,
                                      salesight::capi::DefaultContributionOptions);
}

salesight_status salesight_contribution_compute(const salesight_table* orders,
                                                const salesight_table* products,
                                                const salesight_contribution_options* options,
                                                salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::ContributionCompute(orders, products, options, out);
  });
}

salesight_status salesight_leaderboard_options_init(salesight_leaderboard_options* options,
                                                    size_t struct_size) {
  return salesight::capi::InitOptions("salesight_leaderboard_options_init", options, struct_size,
                                      salesight::capi::DefaultLeaderboardOptions);
}

salesight_status salesight_leaderboard_compute(const salesight_table* orders,
                                               const salesight_table* products,
                                               const salesight_table* pipeline,
                                               const salesight_table* invoices,
                                               const salesight_table* payments,
                                               const salesight_table* targets,
                                               const salesight_leaderboard_options* options,
                                               salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::LeaderboardCompute(orders, products, pipeline, invoices, payments,
                                               targets, options, out);
  });
}

}  // extern "C"
