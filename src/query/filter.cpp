// Row filters: each condition becomes a match table over a dimension's codes
// or over the days of the orders, built once per query; rows then cost one
// lookup per condition, evaluated a block at a time.
#include <algorithm>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

std::string ValueText(const QueryValue& v) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  if (const std::int64_t* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return absl::StrFormat("%g", std::get<double>(v));
}

bool TextMatches(FilterOp op, const std::string& label, Id code,
                 const std::vector<std::string>& values) {
  auto any = [&](auto pred) { return std::any_of(values.begin(), values.end(), pred); };
  switch (op) {
    case FilterOp::kEquals:
    case FilterOp::kIn:
      return any([&](const std::string& v) { return v == label; });
    case FilterOp::kNotEquals:
    case FilterOp::kNotIn:
      return !any([&](const std::string& v) { return v == label; });
    case FilterOp::kContains:
      return any([&](const std::string& v) { return absl::StrContains(label, v); });
    case FilterOp::kStartsWith:
      return any([&](const std::string& v) { return absl::StartsWith(label, v); });
    case FilterOp::kSet: return code != kNoId && !label.empty();
    case FilterOp::kNotSet: return code == kNoId || label.empty();
    default: return false;  // CheckQuery refuses the order ops on text
  }
}

bool DayMatches(FilterOp op, Day day, const std::vector<Day>& v) {
  switch (op) {
    case FilterOp::kEquals:
    case FilterOp::kIn: return std::find(v.begin(), v.end(), day) != v.end();
    case FilterOp::kNotEquals:
    case FilterOp::kNotIn: return std::find(v.begin(), v.end(), day) == v.end();
    case FilterOp::kGt: return day > v[0];
    case FilterOp::kGte: return day >= v[0];
    case FilterOp::kLt: return day < v[0];
    case FilterOp::kLte: return day <= v[0];
    case FilterOp::kBetween: return day >= v[0] && day <= v[1];
    case FilterOp::kSet: return true;  // order_date is required
    case FilterOp::kNotSet: return false;
    default: return false;
  }
}

// A day table over [lo, hi]: every row's day is inside it (or kNoDate when
// `has_missing`).
template <typename Pred>
RowFilter DayFilter(const Day* days, Day lo, Day hi, bool has_missing, Pred pred) {
  RowFilter f;
  f.kind = RowFilter::Kind::kDay;
  f.days = days;
  f.has_missing = has_missing;
  if (lo == kNoDate) return f;
  f.day_lo = lo;
  f.match.resize(static_cast<std::size_t>(hi - lo) + 1);
  for (std::size_t k = 0; k < f.match.size(); ++k) {
    f.match[k] = pred(static_cast<Day>(f.day_lo + static_cast<Day>(k))) ? 1 : 0;
  }
  return f;
}

template <typename Pred>
RowFilter DayFilter(const OrderLines& orders, Pred pred) {
  if (orders.size() == 0) return DayFilter(nullptr, kNoDate, kNoDate, false, pred);
  return DayFilter(orders.columns().order_date.data(), orders.min_date(), orders.max_date(),
                   false, pred);
}

// A date member of some table of the dataset (a filter on it selects that
// table's rows; CheckQuery refuses the bare grain "month" as a filter member).
bool IsDateMember(const Dataset& data, const std::string& m) {
  for (TableKind t : {TableKind::kOrders, TableKind::kPipeline, TableKind::kInvoices}) {
    if (DayColumn(data, t, m) != nullptr) return true;
  }
  return false;
}

absl::StatusOr<std::vector<Day>> FilterDays(const QueryFilter& f) {
  std::vector<Day> days;
  for (const QueryValue& v : f.values) {
    // CheckQuery checked every value is an ISO date.
    SALESIGHT_ASSIGN_OR_RETURN(Day d, ParseDate(std::get<std::string>(v), DateFormat::kIso));
    days.push_back(d);
  }
  return days;
}

RowFilter MemberFilter(DimensionColumn column, const QueryFilter& f) {
  RowFilter node;
  node.kind = RowFilter::Kind::kMember;
  node.column = std::move(column);
  std::vector<std::string> values;
  for (const QueryValue& v : f.values) values.push_back(ValueText(v));
  const auto members = static_cast<std::size_t>(node.column.cardinality);
  node.match.assign(members + 1, 0);
  node.match[0] = TextMatches(f.op, "(none)", kNoId, values) ? 1 : 0;
  for (std::size_t c = 0; c < members; ++c) {
    const Id code = static_cast<Id>(c);
    node.match[c + 1] =
        TextMatches(f.op, DimensionLabel(node.column.dictionary, code), code, values) ? 1 : 0;
  }
  return node;
}

}  // namespace

RowFilter RangeFilter(const OrderLines& orders, Day from, Day to) {
  return DayFilter(orders, [&](Day d) {
    return (from == kNoDate || d >= from) && (to == kNoDate || d <= to);
  });
}

absl::StatusOr<RowFilter> CompileRowFilter(const Dataset& data, const QueryFilter& f,
                                           const std::string& path) {
  if (f.kind != QueryFilter::Kind::kCondition) {
    RowFilter node;
    node.kind = f.kind == QueryFilter::Kind::kAnd ? RowFilter::Kind::kAnd : RowFilter::Kind::kOr;
    const char* key = f.kind == QueryFilter::Kind::kAnd ? "and" : "or";
    for (std::size_t i = 0; i < f.children.size(); ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(
          RowFilter child,
          CompileRowFilter(data, f.children[i], absl::StrFormat("%s.%s[%d]", path, key, i)));
      node.children.push_back(std::move(child));
    }
    return node;
  }
  const OrderLines& orders = *data.orders();
  if (f.member == "order_date") {
    SALESIGHT_ASSIGN_OR_RETURN(const std::vector<Day> days, FilterDays(f));
    return DayFilter(orders, [&](Day d) { return DayMatches(f.op, d, days); });
  }
  absl::StatusOr<DimensionColumn> column = data.Dimension(TableKind::kOrders, f.member);
  if (!column.ok()) {
    // A date member of another query table: it selects that table's rows only.
    if (IsDateMember(data, f.member)) return RowFilter{};
    return absl::InvalidArgumentError(
        absl::StrFormat("query: %s.member: %s", path, column.status().message()));
  }
  return MemberFilter(std::move(*column), f);
}

absl::StatusOr<RowFilter> CompileTableFilter(const Dataset& data, TableKind table,
                                             const QueryFilter& f, const std::string& path,
                                             Day as_of) {
  if (table == TableKind::kOrders) return CompileRowFilter(data, f, path);
  if (f.kind != QueryFilter::Kind::kCondition) {
    RowFilter node;
    node.kind = f.kind == QueryFilter::Kind::kAnd ? RowFilter::Kind::kAnd : RowFilter::Kind::kOr;
    const char* key = f.kind == QueryFilter::Kind::kAnd ? "and" : "or";
    for (std::size_t i = 0; i < f.children.size(); ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(
          RowFilter child, CompileTableFilter(data, table, f.children[i],
                                              absl::StrFormat("%s.%s[%d]", path, key, i), as_of));
      node.children.push_back(std::move(child));
    }
    return node;
  }
  if (const Column<Day>* column = DayColumn(data, table, f.member)) {
    SALESIGHT_ASSIGN_OR_RETURN(const std::vector<Day> days, FilterDays(f));
    Day lo = kNoDate, hi = kNoDate;
    bool missing = false;
    for (const Day d : *column) {
      if (d == kNoDate) {
        missing = true;
        continue;
      }
      lo = lo == kNoDate ? d : std::min(lo, d);
      hi = hi == kNoDate ? d : std::max(hi, d);
    }
    RowFilter node = DayFilter(column->data(), lo, hi, missing,
                               [&](Day d) { return DayMatches(f.op, d, days); });
    // A missing date: only notSet (and the negations) match it.
    node.missing_match = f.op == FilterOp::kNotSet || f.op == FilterOp::kNotEquals ||
                                 f.op == FilterOp::kNotIn
                             ? 1
                             : 0;
    return node;
  }
  // A date member of another table: every row.
  if (IsDateMember(data, f.member)) return RowFilter{};
  absl::StatusOr<DimensionColumn> column = QueryDimensionOf(data, table, f.member, as_of);
  if (!column.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("query: %s.member: %s", path, column.status().message()));
  }
  return MemberFilter(std::move(*column), f);
}

bool RowFilterIsAll(const RowFilter& f) {
  return f.kind == RowFilter::Kind::kAnd &&
         std::all_of(f.children.begin(), f.children.end(), RowFilterIsAll);
}

int RowFilterDepth(const RowFilter& f) {
  int depth = 0;
  for (const RowFilter& c : f.children) depth = std::max(depth, RowFilterDepth(c));
  return depth + 1;
}

namespace {

// One evaluation for both row sources: row(k) is the k-th row of the block
// (begin + k when scanning, an index's row ids otherwise).
template <typename RowOf>
void Eval(const RowFilter& f, RowOf row, std::size_t n, std::uint8_t* mask,
          std::uint8_t* scratch) {
  switch (f.kind) {
    case RowFilter::Kind::kMember: {
      const std::uint8_t* match = f.match.data();
      const Id* codes = f.column.codes;
      if (f.column.lookup != nullptr) {
        for (std::size_t k = 0; k < n; ++k) {
          mask[k] = match[static_cast<std::size_t>(f.column.lookup[codes[row(k)]] + 1)];
        }
      } else {
        for (std::size_t k = 0; k < n; ++k) mask[k] = match[static_cast<std::size_t>(codes[row(k)] + 1)];
      }
      return;
    }
    case RowFilter::Kind::kDay: {
      const std::uint8_t* match = f.match.data();
      const Day* days = f.days;
      if (f.has_missing) {
        for (std::size_t k = 0; k < n; ++k) {
          const Day d = days[row(k)];
          mask[k] = d == kNoDate ? f.missing_match : match[static_cast<std::size_t>(d - f.day_lo)];
        }
        return;
      }
      for (std::size_t k = 0; k < n; ++k) mask[k] = match[static_cast<std::size_t>(days[row(k)] - f.day_lo)];
      return;
    }
    case RowFilter::Kind::kAnd:
    case RowFilter::Kind::kOr: {
      const bool is_and = f.kind == RowFilter::Kind::kAnd;
      std::memset(mask, is_and ? 1 : 0, n);
      for (const RowFilter& c : f.children) {
        Eval(c, row, n, scratch, scratch + kBlock);
        if (is_and) {
          for (std::size_t k = 0; k < n; ++k) mask[k] &= scratch[k];
        } else {
          for (std::size_t k = 0; k < n; ++k) mask[k] |= scratch[k];
        }
      }
      return;
    }
  }
}

}  // namespace

void EvalRowFilter(const RowFilter& f, std::size_t begin, std::size_t n, std::uint8_t* mask,
                   std::uint8_t* scratch) {
  Eval(f, [begin](std::size_t k) { return begin + k; }, n, mask, scratch);
}

void EvalRowFilterAt(const RowFilter& f, const std::uint32_t* rows, std::size_t n,
                     std::uint8_t* mask, std::uint8_t* scratch) {
  Eval(f, [rows](std::size_t k) { return static_cast<std::size_t>(rows[k]); }, n, mask, scratch);
}

}  // namespace salesight::query_internal
