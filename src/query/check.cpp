#include "salesight/query/check.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/names.hpp"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight {
namespace {

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

absl::Status Error(const std::string& message) {
  return absl::InvalidArgumentError("query: " + message);
}

bool HasTable(const Dataset& d, TableKind t) {
  switch (t) {
    case TableKind::kOrders: return d.orders() != nullptr;
    case TableKind::kCustomers: return d.customers() != nullptr;
    case TableKind::kProducts: return d.products() != nullptr;
    case TableKind::kPipeline: return d.pipeline() != nullptr;
    case TableKind::kInvoices: return d.invoices() != nullptr;
    case TableKind::kPayments: return d.payments() != nullptr;
    case TableKind::kTargets: return d.targets() != nullptr;
  }
  return false;
}

struct DayRange {
  Day from = kNoDate, to = kNoDate;  // kNoDate: no dated row
};

DayRange RangeOf(const Column<Day>& column) {
  DayRange r;
  for (const Day d : column) {
    if (d == kNoDate) continue;
    if (r.from == kNoDate || d < r.from) r.from = d;
    if (r.to == kNoDate || d > r.to) r.to = d;
  }
  return r;
}

// A date member of the rows of `table`: its present date columns, the one
// named `range_for` (if any) with the range of its dates (a column without a
// kept min/max is scanned for it, so only the member asked for is read).
struct DateMember {
  std::string name;
  DayRange range;
};

std::vector<DateMember> DateMembers(const Dataset& d, TableKind table,
                                    const std::string* range_for = nullptr) {
  std::vector<DateMember> out;
  auto add = [&](std::string name, auto range_of) {
    DateMember m{std::move(name), {}};
    if (range_for != nullptr && m.name == *range_for) m.range = range_of();
    out.push_back(std::move(m));
  };
  switch (table) {
    case TableKind::kOrders:
      if (const OrderLines* o = d.orders()) {
        add("order_date", [o] { return DayRange{o->min_date(), o->max_date()}; });
      }
      break;
    case TableKind::kPipeline:
      if (const Pipeline* p = d.pipeline()) {
        add("created", [p] { return DayRange{p->min_created(), p->max_created()}; });
        if (!p->columns().lost_date.empty()) {
          add("lost_date", [p] { return RangeOf(p->columns().lost_date); });
        }
      }
      break;
    case TableKind::kInvoices:
      if (const Invoices* i = d.invoices()) {
        add("invoice_date", [i] { return DayRange{i->min_invoice_date(), i->max_invoice_date()}; });
        add("due_date", [i] { return RangeOf(i->columns().due_date); });
        if (!i->columns().paid_date.empty()) {
          add("paid_date", [i] { return RangeOf(i->columns().paid_date); });
        }
      }
      break;
    case TableKind::kTargets:
      if (const Targets* t = d.targets()) {
        add("month", [t] {
          DayRange r;
          std::int32_t lo = std::numeric_limits<std::int32_t>::max(), hi = -1;
          for (const std::int32_t m : t->columns().month) {
            lo = std::min(lo, m);
            hi = std::max(hi, m);
          }
          if (hi < 0) return r;
          r.from = PeriodStart(GrainUnit::kMonth, (lo / 100) * 12 + lo % 100 - 1);
          r.to = PeriodEnd(GrainUnit::kMonth, (hi / 100) * 12 + hi % 100 - 1);
          return r;
        });
      }
      break;
    default:
      break;
  }
  return out;
}

std::vector<std::string> NamesOf(const std::vector<DateMember>& members) {
  std::vector<std::string> names;
  for (const DateMember& m : members) names.push_back(m.name);
  return names;
}

// The targets table's one dimension: its level's key.
std::vector<DimensionColumn> TargetDimensions(const Targets& t) {
  const TargetsColumns& c = t.columns();
  if (c.level == TargetLevel::kCompany) return {};
  DimensionColumn d;
  d.name = c.level == TargetLevel::kSalesperson ? "salesperson" : "region";
  d.codes = c.key.data();
  d.dictionary = c.keys;
  Id mx = -1;
  for (const Id k : c.key) mx = std::max(mx, k);
  d.cardinality = c.keys ? c.keys->size() : mx + 1;
  return {d};
}

// The pipeline's derived dimension "stage": each opportunity's furthest
// stage dated on or before as_of (kNoDate: any date), as AddPipeline places
// its open / won deals (funnel.hpp's cohort mode); "(none)" when no stage is
// dated. The codes are made per query (they depend on as_of) and owned by
// the column; without `codes` only its members (the checker's).
DimensionColumn PipelineStage(const Pipeline& p, Day as_of, bool codes) {
  const PipelineColumns& c = p.columns();
  DimensionColumn d;
  if (codes) {
    auto stage = std::make_shared<std::vector<Id>>(p.size(), kNoId);
    const auto stages = static_cast<Id>(c.stage_dates.size());
    // Stage by stage, each a sequential pass a later stage overwrites: the
    // furthest dated stage wins, and the loop vectorizes (one opportunity
    // at a time across six columns was 42 % of query 07).
    const Day cut = as_of == kNoDate ? std::numeric_limits<Day>::max() : as_of;
    Id* out = stage->data();
    for (Id s = 0; s < stages; ++s) {
      const Day* day = c.stage_dates[static_cast<std::size_t>(s)].data();
      for (std::size_t i = 0; i < p.size(); ++i) {
        out[i] = day[i] != kNoDate && day[i] <= cut ? s : out[i];
      }
    }
    d.codes = stage->data();
    d.lookup_owner = std::move(stage);
  }
  d.name = "stage";
  d.cardinality = static_cast<std::int32_t>(c.stage_names.size());
  d.may_be_missing = true;
  absl::StatusOr<Dictionary> names = Dictionary::FromCodes(c.stage_names);
  if (names.ok()) d.dictionary = std::make_shared<const Dictionary>(std::move(*names));
  return d;
}

absl::StatusOr<DimensionColumn> DimensionOf(const Dataset& d, TableKind table,
                                            const std::string& name, Day as_of = kNoDate,
                                            bool codes = false) {
  if (table == TableKind::kTargets) {
    return FindDimension(TargetDimensions(*d.targets()), name, "targets");
  }
  absl::StatusOr<DimensionColumn> column = d.Dimension(table, name);
  // A column of the user's named "stage" wins over the derived one.
  if (!column.ok() && table == TableKind::kPipeline && name == "stage" && d.pipeline() != nullptr) {
    return PipelineStage(*d.pipeline(), as_of, codes);
  }
  return column;
}

std::int64_t Periods(Grain grain, DayRange data, Day from, Day to) {
  const Day lo = from == kNoDate ? data.from : std::max(from, data.from);
  const Day hi = to == kNoDate ? data.to : std::min(to, data.to);
  if (data.from == kNoDate || lo > hi) return 0;
  return std::int64_t{PeriodOf(grain, hi)} - PeriodOf(grain, lo) + 1;
}

enum class QueryMemberType : std::uint8_t { kText, kDate, kNumber };

// What a name means for the query.
struct Member {
  QueryMemberType type = QueryMemberType::kText;
  bool is_period = false;
  Grain grain;
  std::string date_member;  // a period's or a date's; "" = each table's time member
  std::int64_t cardinality = 0;  // text: members; period: periods (estimated later)
};

class Checker {
 public:
  Checker(const Dataset& data, const QuerySpec& spec, const QueryLimits& limits)
      : data_(data), spec_(spec), limits_(limits) {}

  absl::StatusOr<QueryPlanInfo> Run() {
    SALESIGHT_RETURN_IF_ERROR(CheckQuerySpecShape(spec_, limits_));
    SALESIGHT_RETURN_IF_ERROR(Measures());
    SALESIGHT_RETURN_IF_ERROR(Time());
    for (std::size_t i = 0; i < spec_.dimensions.size(); ++i) {
      const std::string& name = spec_.dimensions[i];
      if (std::find(spec_.dimensions.begin(), spec_.dimensions.begin() + i, name) !=
          spec_.dimensions.begin() + i) {
        return Error(absl::StrFormat("dimensions[%d]: '%s' is listed twice", i, name));
      }
      absl::StatusOr<Member> resolved = Resolve(name, /*measures_too=*/false);
      if (!resolved.ok()) {
        return Error(absl::StrFormat("dimensions[%d]: %s", i, resolved.status().message()));
      }
      const Member& m = *resolved;
      QueryPlanDimension dim;
      dim.name = name;
      dim.is_period = m.is_period || m.type == QueryMemberType::kDate;
      dim.grain = m.type == QueryMemberType::kDate ? Grain(GrainUnit::kDay) : m.grain;
      dim.date_member = m.date_member;
      dim.cardinality = dim.is_period ? PeriodsOf(dim.grain, dim.date_member) : m.cardinality;
      info_.dimensions.push_back(std::move(dim));
    }
    for (std::size_t i = 0; i < spec_.filters.size(); ++i) {
      SALESIGHT_RETURN_IF_ERROR(Filter(spec_.filters[i], absl::StrFormat("filters[%d]", i)));
    }
    SALESIGHT_RETURN_IF_ERROR(Order());
    SALESIGHT_RETURN_IF_ERROR(TopAndTotals());
    SALESIGHT_RETURN_IF_ERROR(Estimate());
    return std::move(info_);
  }

 private:
  absl::Status Measures() {
    if (spec_.measures.empty()) {
      return Error(absl::StrFormat("no measure: name at least one of %s",
                                   QuotedNames(QueryMeasureNames())));
    }
    for (std::size_t i = 0; i < spec_.measures.size(); ++i) {
      const std::string& name = spec_.measures[i];
      absl::StatusOr<const QueryMeasure*> found = FindQueryMeasure(name);
      if (!found.ok()) {
        return Error(absl::StrFormat("measures[%d]: %s", i, found.status().message()));
      }
      const QueryMeasure* m = *found;
      if (std::find(spec_.measures.begin(), spec_.measures.begin() + i, name) !=
          spec_.measures.begin() + i) {
        return Error(absl::StrFormat("measures[%d]: '%s' is listed twice", i, name));
      }
      for (TableKind t : MeasureTables(*m)) {
        if (!HasTable(data_, t)) {
          return Error(absl::StrFormat("the measure '%s' reads the %s table, which the dataset "
                                       "does not have",
                                       name, TableKindName(t)));
        }
        if (std::none_of(info_.tables.begin(), info_.tables.end(),
                         [t](const QueryPlanTable& x) { return x.table == t; })) {
          // A ratio's other table (attainment_pct's orders) is placed in time
          // by the date of that table's own measures.
          info_.tables.push_back(
              QueryPlanTable{t, std::string(m->table == t ? m->date : DefaultDate(t))});
        }
      }
      info_.measures.push_back(m);
    }
    return absl::OkStatus();
  }

  static std::string_view DefaultDate(TableKind t) {
    for (const QueryMeasure& m : QueryMeasures()) {
      if (m.table == t) return m.date;
    }
    return "";
  }

  std::string MeasureList() const {
    std::vector<std::string> names;
    for (const QueryMeasure* m : info_.measures) names.emplace_back(m->name);
    return QuotedNames(names);
  }

  absl::Status Time() {
    if (!spec_.time) return absl::OkStatus();
    const QueryTime& t = *spec_.time;
    bool found = false;
    std::vector<std::string> dates;
    for (QueryPlanTable& table : info_.tables) {
      for (const DateMember& m : DateMembers(data_, table.table)) {
        if (std::find(dates.begin(), dates.end(), m.name) == dates.end()) dates.push_back(m.name);
        if (m.name == t.dimension) {
          table.time_member = t.dimension;
          found = true;
        }
      }
    }
    if (!found) {
      // A text member in its place is a type mismatch, not an unknown name.
      for (const QueryPlanTable& table : info_.tables) {
        if (DimensionOf(data_, table.table, t.dimension).ok()) {
          return Error(absl::StrFormat(
              "time.dimension: '%s' is a text member of the %s, not a date; a time range and "
              "grain need a date member: %s",
              t.dimension, TableKindName(table.table), QuotedNames(dates)));
        }
      }
      return Error(absl::StrFormat("time.dimension: '%s' is not a date member of the tables of "
                                   "%s.%s Valid: %s",
                                   t.dimension, MeasureList(), DidYouMean(t.dimension, dates),
                                   QuotedNames(dates)));
    }
    if (t.compare != QueryCompare::kNone && !t.grain) {
      return Error(absl::StrFormat("time.compare '%s' compares periods: it needs time.grain",
                                   QueryCompareName(t.compare)));
    }
    if (t.compare == QueryCompare::kTarget && data_.targets() == nullptr) {
      return Error("time.compare 'target' needs the targets table, which the dataset does not "
                   "have");
    }
    if (t.grain) info_.periods = PeriodsOf(*t.grain, "");
    return absl::OkStatus();
  }

  // The periods of `grain` over the query's range on `date_member` ("" =
  // each table's time member); the largest over the tables that have it.
  std::int64_t PeriodsOf(Grain grain, const std::string& date_member) {
    const Day from = spec_.time ? spec_.time->from : kNoDate;
    const Day to = spec_.time ? spec_.time->to : kNoDate;
    std::int64_t most = 0;
    for (const QueryPlanTable& table : info_.tables) {
      const std::string& want = date_member.empty() ? table.time_member : date_member;
      for (const DateMember& m : DateMembers(data_, table.table, &want)) {
        if (m.name == want) most = std::max(most, Periods(grain, m.range, from, to));
      }
    }
    return most;
  }

  // Which query tables have the date member `name`.
  std::vector<TableKind> TablesWithDate(const std::string& name) const {
    std::vector<TableKind> out;
    for (const QueryPlanTable& table : info_.tables) {
      for (const DateMember& m : DateMembers(data_, table.table)) {
        if (m.name == name) out.push_back(table.table);
      }
    }
    return out;
  }

  absl::StatusOr<Member> Resolve(const std::string& name, bool measures_too) {
    Member out;
    if (measures_too) {
      for (const QueryMeasure* m : info_.measures) {
        if (m->name == name) {
          out.type = QueryMemberType::kNumber;
          return out;
        }
      }
      if (FindQueryMeasure(name).ok()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "'%s' is a measure the query does not ask for (its measures: %s); add it to "
            "filter or order by it",
            name, MeasureList()));
      }
    }
    if (absl::StatusOr<Grain> g = ParseGrain(name); g.ok()) {
      out.is_period = true;
      out.grain = *g;
      return out;
    }
    if (!TablesWithDate(name).empty()) {
      out.type = QueryMemberType::kDate;
      out.date_member = name;
      return out;
    }
    // "<date member>.<grain>": the last '.' splits, so attributes with dots
    // in their names still resolve below when the prefix is not a date.
    if (const std::size_t dot = name.rfind('.'); dot != std::string::npos) {
      const std::string date = name.substr(0, dot), grain = name.substr(dot + 1);
      if (!TablesWithDate(date).empty()) {
        absl::StatusOr<Grain> g = ParseQueryGrain(grain);
        if (!g.ok()) {
          return absl::InvalidArgumentError(
              absl::StrFormat("'%s': %s", name, g.status().message()));
        }
        out.is_period = true;
        out.grain = *g;
        out.date_member = date;
        return out;
      }
    }
    // A dimension: the same on every query table.
    std::optional<absl::Status> first_error;
    const QueryPlanTable* has = nullptr;
    const QueryPlanTable* lacks = nullptr;
    for (const QueryPlanTable& table : info_.tables) {
      absl::StatusOr<DimensionColumn> d = DimensionOf(data_, table.table, name);
      if (!d.ok()) {
        if (!first_error) first_error = d.status();
        if (lacks == nullptr) lacks = &table;
        continue;
      }
      if (has == nullptr) has = &table;
      out.cardinality = std::max<std::int64_t>(out.cardinality,
                                               std::int64_t{d->cardinality} + d->may_be_missing);
    }
    if (lacks == nullptr) return out;
    if (has != nullptr) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the measures %s cannot share the dimension '%s': the %s table has it, the %s table "
          "(of '%s') does not",
          MeasureList(), name, TableKindName(has->table), TableKindName(lacks->table),
          MeasureOf(lacks->table)));
    }
    std::vector<std::string> dates;
    for (const QueryPlanTable& table : info_.tables) {
      for (const std::string& n : NamesOf(DateMembers(data_, table.table))) dates.push_back(n);
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s Dates: %s (a period: '<date>.<grain>' or a grain).",
                                 first_error->message(), QuotedNames(dates)));
  }

  std::string MeasureOf(TableKind t) const {
    for (const QueryMeasure* m : info_.measures) {
      for (TableKind x : MeasureTables(*m)) {
        if (x == t) return std::string(m->name);
      }
    }
    return "";
  }

  absl::Status Filter(const QueryFilter& f, const std::string& path) {
    if (f.kind != QueryFilter::Kind::kCondition) {
      const char* key = f.kind == QueryFilter::Kind::kAnd ? "and" : "or";
      for (std::size_t i = 0; i < f.children.size(); ++i) {
        SALESIGHT_RETURN_IF_ERROR(Filter(f.children[i], absl::StrFormat("%s.%s[%d]", path, key, i)));
      }
      return absl::OkStatus();
    }
    absl::StatusOr<Member> resolved = Resolve(f.member, /*measures_too=*/true);
    if (!resolved.ok()) {
      return Error(absl::StrFormat("%s.member: %s", path, resolved.status().message()));
    }
    const Member& m = *resolved;
    if (m.is_period) {
      return Error(absl::StrFormat("%s.member: '%s' is a period; filter its date instead (a "
                                   "date member with gte/lte or between)",
                                   path, f.member));
    }
    const std::string_view op = FilterOpName(f.op);
    auto op_error = [&](std::string_view kind, std::string_view valid) {
      return Error(absl::StrFormat("%s.op: '%s' does not apply to '%s', a %s member (its ops: %s)",
                                   path, op, f.member, kind, valid));
    };
    switch (m.type) {
      case QueryMemberType::kText:
        switch (f.op) {
          case FilterOp::kGt: case FilterOp::kGte: case FilterOp::kLt: case FilterOp::kLte:
          case FilterOp::kBetween:
            return op_error("text",
                            "equals, notEquals, in, notIn, contains, startsWith, set, notSet");
          default: break;
        }
        for (std::size_t i = 0; i < f.values.size(); ++i) {
          if (std::holds_alternative<double>(f.values[i])) {
            return Error(absl::StrFormat("%s.values[%d]: '%s' is a text member: a value is a "
                                         "string, got the number %g",
                                         path, i, f.member, std::get<double>(f.values[i])));
          }
        }
        return absl::OkStatus();
      case QueryMemberType::kDate: {
        if (f.op == FilterOp::kContains || f.op == FilterOp::kStartsWith) {
          return op_error("date",
                          "equals, notEquals, in, notIn, gt, gte, lt, lte, between, set, notSet");
        }
        std::vector<Day> days;
        for (std::size_t i = 0; i < f.values.size(); ++i) {
          const std::string* s = std::get_if<std::string>(&f.values[i]);
          absl::StatusOr<Day> day = s == nullptr
                                        ? absl::StatusOr<Day>(absl::InvalidArgumentError(
                                              "a date is a string \"YYYY-MM-DD\", got a number"))
                                        : ParseDate(*s, DateFormat::kIso);
          if (!day.ok()) {
            return Error(absl::StrFormat("%s.values[%d]: '%s' is a date member: %s", path, i,
                                         f.member, day.status().message()));
          }
          days.push_back(*day);
        }
        if (f.op == FilterOp::kBetween && days[0] > days[1]) {
          return Error(absl::StrFormat("%s.values: between %s and %s: the low end is after the "
                                       "high end",
                                       path, FormatDate(days[0]), FormatDate(days[1])));
        }
        return absl::OkStatus();
      }
      case QueryMemberType::kNumber: {
        if (f.op == FilterOp::kContains || f.op == FilterOp::kStartsWith) {
          return op_error("measure",
                          "equals, notEquals, in, notIn, gt, gte, lt, lte, between, set, notSet");
        }
        std::vector<double> numbers;
        for (std::size_t i = 0; i < f.values.size(); ++i) {
          if (const std::string* s = std::get_if<std::string>(&f.values[i])) {
            return Error(absl::StrFormat("%s.values[%d]: '%s' is a measure: a value is a number, "
                                         "got the string '%s'",
                                         path, i, f.member, *s));
          }
          numbers.push_back(std::holds_alternative<double>(f.values[i])
                                ? std::get<double>(f.values[i])
                                : static_cast<double>(std::get<std::int64_t>(f.values[i])));
        }
        if (f.op == FilterOp::kBetween && numbers[0] > numbers[1]) {
          return Error(absl::StrFormat("%s.values: between %g and %g: the low end is above the "
                                       "high end",
                                       path, numbers[0], numbers[1]));
        }
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }

  // The result's column names: measures, dimensions, the time period.
  std::vector<std::string> Columns() const {
    std::vector<std::string> names = spec_.measures;
    names.insert(names.end(), spec_.dimensions.begin(), spec_.dimensions.end());
    if (spec_.time && spec_.time->grain) names.push_back(TimeColumn());
    return names;
  }

  std::string TimeColumn() const {
    return spec_.time->dimension + "." + QueryGrainText(*spec_.time->grain);
  }

  absl::Status Order() {
    const std::vector<std::string> columns = Columns();
    for (std::size_t i = 0; i < spec_.order.size(); ++i) {
      const std::string& member = spec_.order[i].member;
      if (std::find(columns.begin(), columns.end(), member) == columns.end()) {
        return Error(absl::StrFormat("order[%d].member: '%s' is not a column of the result.%s "
                                     "Valid: %s",
                                     i, member, DidYouMean(member, columns),
                                     QuotedNames(columns)));
      }
    }
    return absl::OkStatus();
  }

  absl::Status TopAndTotals() {
    const bool has_grain = spec_.time && spec_.time->grain;
    if (spec_.top) {
      if (spec_.dimensions.empty() && !has_grain) {
        return Error("top ranks the members of a dimension: the query has no dimension or grain");
      }
      if (!spec_.top->by.empty() &&
          std::find(spec_.measures.begin(), spec_.measures.end(), spec_.top->by) ==
              spec_.measures.end()) {
        return Error(absl::StrFormat("top.by: '%s' is not a measure of the query.%s Valid: %s",
                                     spec_.top->by, DidYouMean(spec_.top->by, spec_.measures),
                                     QuotedNames(spec_.measures)));
      }
    }
    if (spec_.totals == QueryTotals::kSubtotals && spec_.dimensions.empty()) {
      return Error("totals 'subtotals' rolls up per dimension level: the query has no dimension "
                   "(use 'grand')");
    }
    return absl::OkStatus();
  }

  // Top-level AND conditions equals/in on `name`: the fewest values.
  std::optional<std::int64_t> ValuesCap(const std::vector<QueryFilter>& filters,
                                        const std::string& name) const {
    std::optional<std::int64_t> cap;
    for (const QueryFilter& f : filters) {
      std::optional<std::int64_t> c;
      if (f.kind == QueryFilter::Kind::kAnd) {
        c = ValuesCap(f.children, name);
      } else if (f.kind == QueryFilter::Kind::kCondition && f.member == name &&
                 (f.op == FilterOp::kEquals || f.op == FilterOp::kIn)) {
        c = static_cast<std::int64_t>(f.values.size());
      }
      if (c && (!cap || *c < *cap)) cap = c;
    }
    return cap;
  }

  absl::Status Estimate() {
    std::int64_t product = 1;
    bool saturated = false;
    std::string factors;
    auto multiply = [&](std::int64_t factor, const std::string& what) {
      if (!factors.empty()) factors += " x ";
      factors += what;
      if (factor == 0) {
        product = 0;
        saturated = false;
      } else if (product != 0 && product > kMaxInt64 / factor) {
        product = kMaxInt64;
        saturated = true;
      } else if (!saturated) {
        product *= factor;
      }
    };
    for (QueryPlanDimension& d : info_.dimensions) {
      if (!d.is_period) {
        if (auto cap = ValuesCap(spec_.filters, d.name)) d.cardinality = std::min(d.cardinality, *cap);
      }
      multiply(d.cardinality, absl::StrFormat("%s: %d %s", d.name, d.cardinality,
                                              d.is_period ? "periods" : "members"));
    }
    if (spec_.time && spec_.time->grain) {
      multiply(info_.periods, absl::StrFormat("%s: %d periods", TimeColumn(), info_.periods));
    }
    info_.estimated_groups = product;
    if (product > limits_.max_groups) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "query: up to %s%d groups (%s), over the cap of %d groups (QueryLimits::max_groups); "
          "drop a dimension, filter one to fewer members, or choose a coarser grain",
          saturated ? "more than " : "", product, factors, limits_.max_groups));
    }
    return absl::OkStatus();
  }

  const Dataset& data_;
  const QuerySpec& spec_;
  const QueryLimits& limits_;
  QueryPlanInfo info_;
};

}  // namespace

absl::StatusOr<QueryPlanInfo> CheckQuery(const Dataset& data, const QuerySpec& spec,
                                         const QueryLimits& limits) {
  return Checker(data, spec, limits).Run();
}

namespace query_internal {
absl::StatusOr<DimensionColumn> QueryDimensionOf(const Dataset& data, TableKind table,
                                                 const std::string& name, Day as_of) {
  return DimensionOf(data, table, name, as_of, /*codes=*/true);
}
}  // namespace query_internal

}  // namespace salesight
