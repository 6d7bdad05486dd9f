// Drill-down and drill-through (salesight/query/drill.hpp): a result row's
// members turned back into filters, one hierarchy level down or to the lines.
#include "salesight/query/drill.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/period_label.hpp"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"
#include "salesight/query/check.hpp"

namespace salesight {
namespace {

absl::Status Error(const std::string& message) {
  return absl::InvalidArgumentError("query drill: " + message);
}


// "<date>.<grain>" or a bare grain: the period's grain and date member.
std::optional<std::pair<Grain, std::string>> PeriodMember(const std::string& name,
                                                          const std::string& time_dimension) {
  if (absl::StatusOr<Grain> g = ParseGrain(name); g.ok()) return std::make_pair(*g, time_dimension);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  absl::StatusOr<Grain> g = ParseQueryGrain(name.substr(dot + 1));
  if (!g.ok()) return std::nullopt;
  return std::make_pair(*g, name.substr(0, dot));
}

std::string TimeColumn(const QuerySpec& spec) {
  if (!spec.time || !spec.time->grain) return "";
  return spec.time->dimension + "." + QueryGrainText(*spec.time->grain);
}

// The members of `row` as conditions (drill-down, drill-through, cross-filter).
absl::StatusOr<std::vector<QueryFilter>> RowConditions(const QuerySpec& spec,
                                                       const ResultTable& result,
                                                       std::size_t row) {
  if (row >= result.num_rows()) {
    return Error(absl::StrFormat("row %d is not a row of the result (%d rows)", row,
                                 result.num_rows()));
  }
  std::vector<QueryFilter> out;
  auto label_of = [&](const std::string& column) -> absl::StatusOr<std::string> {
    const ResultColumn* c = result.Find(column);
    if (c == nullptr) return Error(absl::StrFormat("the result has no column '%s'", column));
    std::string label = c->StringAt(row);
    if (label == "(others)") {
      return Error(absl::StrFormat("row %d is '(others)' in '%s': it is not one member; drill "
                                   "one of the ranked rows",
                                   row, column));
    }
    return label;
  };
  auto restrict = [&](const std::string& date_member, Grain grain,
                      const std::string& label) -> absl::Status {
    const std::optional<std::int32_t> p = PeriodOfLabel(grain, label);
    if (!p) {
      return Error(absl::StrFormat("'%s' is not a %s period label", label,
                                   std::string(GrainName(grain))));
    }
    QueryFilter f;
    f.member = date_member;
    f.op = FilterOp::kBetween;
    f.values = {FormatDate(PeriodStart(grain, *p)), FormatDate(PeriodEnd(grain, *p))};
    out.push_back(std::move(f));
    return absl::OkStatus();
  };
  const std::string time_column = TimeColumn(spec);
  if (!time_column.empty()) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string label, label_of(time_column));
    if (label != "(all)") {
      SALESIGHT_RETURN_IF_ERROR(restrict(spec.time->dimension, *spec.time->grain, label));
    }
  }
  const std::string time_dimension = spec.time ? spec.time->dimension : "order_date";
  for (const std::string& d : spec.dimensions) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string label, label_of(d));
    if (label == "(all)") continue;
    if (const auto period = PeriodMember(d, time_dimension)) {
      SALESIGHT_RETURN_IF_ERROR(restrict(period->second, period->first, label));
      continue;
    }
    QueryFilter f;
    f.member = d;
    f.op = FilterOp::kEquals;
    f.values = {label};
    out.push_back(std::move(f));
  }
  return out;
}

// The spec with the members of `row` as filters, unranked and unpaged.
absl::StatusOr<QuerySpec> WithRowFilters(const QuerySpec& spec, const ResultTable& result,
                                         std::size_t row) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<QueryFilter> conditions,
                             RowConditions(spec, result, row));
  QuerySpec out = spec;
  for (QueryFilter& f : conditions) out.filters.push_back(std::move(f));
  out.top.reset();
  out.offset = 0;
  out.limit.reset();
  return out;
}

std::optional<Grain> Finer(Grain g) {
  switch (g.unit) {
    case GrainUnit::kYear: return Grain(GrainUnit::kQuarter);
    case GrainUnit::kFiscalYear: return Grain(GrainUnit::kMonth);
    case GrainUnit::kQuarter: return Grain(GrainUnit::kMonth);
    case GrainUnit::kMonth: return Grain(GrainUnit::kIsoWeek);
    case GrainUnit::kIsoWeek: return Grain(GrainUnit::kDay);
    case GrainUnit::kDay: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

absl::Span<const QueryHierarchy> QueryHierarchies() {
  static const std::vector<QueryHierarchy>* const hierarchies = new std::vector<QueryHierarchy>{
      {"time", {"year", "quarter", "month", "week", "day"}},
      {"product", {"category", "subcategory", "product"}},
      {"geography", {"region", "province", "city"}},
      {"organisation", {"department", "salesperson"}},
      {"customers", {"tier", "customer"}},
  };
  return *hierarchies;
}

absl::StatusOr<QuerySpec> DrillDown(const Dataset& data, const QuerySpec& spec,
                                    const ResultTable& result, std::size_t row,
                                    std::string_view level) {
  SALESIGHT_ASSIGN_OR_RETURN(QuerySpec out, WithRowFilters(spec, result, row));
  const std::string time_column = TimeColumn(spec);
  std::string drilled(level);
  if (drilled.empty()) drilled = spec.dimensions.empty() ? time_column : spec.dimensions.back();
  if (!time_column.empty() && drilled == time_column) {
    const std::optional<Grain> finer = Finer(*spec.time->grain);
    if (!finer) return Error(absl::StrFormat("'%s' is the finest time level (day)", drilled));
    out.time->grain = *finer;
    // The periods now listed may also be order items by their old name.
    for (QueryOrder& o : out.order) {
      if (o.member == time_column) o.member = TimeColumn(out);
    }
    return out;
  }
  const auto it = std::find(out.dimensions.begin(), out.dimensions.end(), drilled);
  if (it == out.dimensions.end()) {
    std::vector<std::string> columns = spec.dimensions;
    if (!time_column.empty()) columns.push_back(time_column);
    return Error(absl::StrFormat("'%s' is not a dimension or the time column of the query (%s)",
                                 drilled, absl::StrJoin(columns, ", ")));
  }
  // A period dimension goes down the time hierarchy as the time column does.
  if (const auto period = PeriodMember(drilled, spec.time ? spec.time->dimension : "order_date")) {
    const std::optional<Grain> finer = Finer(period->first);
    if (!finer) return Error(absl::StrFormat("'%s' is the finest time level (day)", drilled));
    *it = period->second + "." + QueryGrainText(*finer);
    for (QueryOrder& o : out.order) {
      if (o.member == drilled) o.member = *it;
    }
    return out;
  }
  for (const QueryHierarchy& h : QueryHierarchies()) {
    const auto at = std::find(h.levels.begin(), h.levels.end(), drilled);
    if (at == h.levels.end()) continue;
    for (auto next = at + 1; next != h.levels.end(); ++next) {
      const std::string name(*next);
      if (!data.Dimension(TableKind::kOrders, name).ok()) continue;  // not in this data
      if (std::find(out.dimensions.begin(), out.dimensions.end(), name) != out.dimensions.end()) {
        continue;
      }
      for (QueryOrder& o : out.order) {
        if (o.member == drilled) o.member = name;
      }
      *it = name;
      return out;
    }
  }
  return Error(absl::StrFormat("'%s' has no level below it in this data (hierarchies: time "
                               "year>quarter>month>week>day, product category>subcategory>"
                               "product, geography region>province>city, organisation "
                               "department>salesperson, customers tier>customer)",
                               drilled));
}

absl::StatusOr<QuerySpec> CrossFilter(const QuerySpec& source, const ResultTable& result,
                                      absl::Span<const std::size_t> rows,
                                      const QuerySpec& target) {
  if (rows.empty()) return Error("cross-filter: select at least one row");
  QueryFilter any;
  any.kind = QueryFilter::Kind::kOr;
  for (const std::size_t row : rows) {
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<QueryFilter> conditions,
                               RowConditions(source, result, row));
    if (conditions.empty()) return target;  // a grand total row selects every line
    QueryFilter all;
    all.kind = QueryFilter::Kind::kAnd;
    all.children = std::move(conditions);
    any.children.push_back(std::move(all));
  }
  QuerySpec out = target;
  out.filters.push_back(any.children.size() == 1 ? std::move(any.children[0]) : std::move(any));
  return out;
}

absl::StatusOr<ResultTable> DrillThrough(const Dataset& data, const QuerySpec& spec,
                                         const ResultTable& result, std::size_t row,
                                         std::int64_t offset, std::int64_t limit,
                                         QueryIndexUse index) {
  if (offset < 0 || limit < 0) {
    return Error(absl::StrFormat("offset %d and limit %d must be >= 0", offset, limit));
  }
  SALESIGHT_ASSIGN_OR_RETURN(QuerySpec lines, WithRowFilters(spec, result, row));
  // Lines, not groups: measure filters, compare and the shape do not apply.
  std::vector<QueryFilter> row_filters;
  for (const QueryFilter& f : lines.filters) {
    bool on_measure = false;
    std::vector<const QueryFilter*> stack = {&f};
    while (!stack.empty()) {
      const QueryFilter* x = stack.back();
      stack.pop_back();
      if (x->kind == QueryFilter::Kind::kCondition) {
        on_measure = on_measure || std::find(spec.measures.begin(), spec.measures.end(),
                                             x->member) != spec.measures.end();
      }
      for (const QueryFilter& c : x->children) stack.push_back(&c);
    }
    if (!on_measure) row_filters.push_back(f);
  }
  lines.filters = std::move(row_filters);
  lines.measures = {"lines"};
  lines.dimensions.clear();
  lines.order.clear();
  lines.totals = QueryTotals::kNone;
  if (lines.time) {
    lines.time->grain.reset();
    lines.time->compare = QueryCompare::kNone;
  }
  SALESIGHT_ASSIGN_OR_RETURN(QueryPlanInfo info, CheckQuery(data, lines));
  SALESIGHT_ASSIGN_OR_RETURN(query_internal::Plan plan,
                             query_internal::BuildPlan(data, lines, info, QueryLimits{}));
  const OrderLines& orders = *plan.orders;
  std::vector<std::size_t> picked;
  std::vector<std::uint8_t> mask(query_internal::kBlock, 1);
  std::vector<std::uint8_t> scratch(query_internal::kBlock *
                                    static_cast<std::size_t>(query_internal::RowFilterDepth(plan.where)));
  // A selective filter reads an index's lines (ascending: the same pages).
  const std::optional<query_internal::IndexedRows> indexed =
      query_internal::IndexedLines(plan, index);
  const std::uint32_t* ids = indexed ? indexed->rows.data() : nullptr;
  const std::size_t positions = indexed ? indexed->rows.size() : orders.size();
  const bool filtered =
      !query_internal::RowFilterIsAll(plan.where) && !(indexed && indexed->exact);
  std::int64_t seen = 0;
  for (std::size_t b = 0; b < positions && static_cast<std::int64_t>(picked.size()) < limit;
       b += query_internal::kBlock) {
    const std::size_t n = std::min(query_internal::kBlock, positions - b);
    if (filtered && ids == nullptr) {
      query_internal::EvalRowFilter(plan.where, b, n, mask.data(), scratch.data());
    } else if (filtered) {
      query_internal::EvalRowFilterAt(plan.where, ids + b, n, mask.data(), scratch.data());
    }
    for (std::size_t j = 0; j < n && static_cast<std::int64_t>(picked.size()) < limit; ++j) {
      if (!mask[j]) continue;
      if (seen++ >= offset) picked.push_back(ids == nullptr ? b + j : ids[b + j]);
    }
  }
  const OrderLinesColumns& c = orders.columns();
  ResultTable out;
  ResultColumn& rows = out.AddInt64("row");
  ResultColumn& order = out.AddString("order_id");
  ResultColumn& date = out.AddDate("order_date");
  for (const std::size_t i : picked) {
    rows.ints.push_back(static_cast<std::int64_t>(i));
    order.strings.push_back(KeyIdText(c.orders, c.order_id[i]));
    date.ints.push_back(c.order_date[i]);
  }
  auto codes = [&](const char* name, const Column<Id>& column, const DictionaryPtr& dict) {
    if (column.empty()) return;
    ResultColumn& col = out.AddCodes(name, dict);
    for (const std::size_t i : picked) col.codes.push_back(column[i]);
  };
  codes("customer", c.customer, c.customers);
  codes("product", c.product, c.products);
  codes("region", c.region, c.regions);
  codes("salesperson", c.salesperson, c.salespeople);
  if (!c.quantity.empty()) {
    ResultColumn& q = out.AddInt64("quantity");
    for (const std::size_t i : picked) q.ints.push_back(c.quantity[i]);
  }
  ResultColumn& amount = out.AddMoney("amount", orders.money_scale());
  for (const std::size_t i : picked) amount.ints.push_back(c.amount[i]);
  SALESIGHT_RETURN_IF_ERROR(out.Validate());
  return out;
}

}  // namespace salesight
