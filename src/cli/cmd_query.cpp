// `salesight query`: any question of the data as flags (or a spec file),
// answered by RunQuery (salesight/query/run.hpp). The flags only build a
// QuerySpec; --print-spec shows it as the JSON the C ABI and Python take.
//
// --where: conditions joined by ';' (all must hold), each
//   member=value        equals (member=v1|v2: in)
//   member!=value       notEquals (member!=v1|v2: notIn)
//   member>=v, member>v, member<=v, member<v   gte, gt, lte, lt
// A member that is a measure of the query compares numbers (a HAVING on the
// groups); any other compares text or dates ("YYYY-MM-DD") as given.
//
// --cross-filter: the members of rows selected in another result (a chart's
// bars), rows joined by ';', each row's members by ',':
//   "Region=East,Category=Furniture;Region=West"
// Each row is given as a result row of a query by those members (a period
// column such as order_date.month=2024-03 too) and applied with CrossFilter
// (salesight/query/drill.hpp): one more filter, the OR over the rows of the
// AND of each row's members. Every row names the same members.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "salesight/query.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<QueryValue> Value(const std::string& text, bool number, const std::string& member) {
  if (!number) return QueryValue(text);
  char* end = nullptr;
  const long long i = std::strtoll(text.c_str(), &end, 10);
  if (!text.empty() && *end == '\0') return QueryValue(std::int64_t{i});
  const double d = std::strtod(text.c_str(), &end);
  if (!text.empty() && *end == '\0') return QueryValue(d);
  return absl::InvalidArgumentError(absl::StrFormat(
      "--where: '%s' is a measure: '%s' is not a number", member, text));
}

absl::StatusOr<std::vector<QueryFilter>> ParseWhere(const std::string& where,
                                                    const std::vector<std::string>& measures) {
  // Longest operators first, so "!=" and ">=" are not read as "=" or ">".
  static constexpr std::pair<std::string_view, FilterOp> kOps[] = {
      {"!=", FilterOp::kNotEquals}, {">=", FilterOp::kGte}, {"<=", FilterOp::kLte},
      {"=", FilterOp::kEquals},     {">", FilterOp::kGt},   {"<", FilterOp::kLt}};
  std::vector<QueryFilter> out;
  for (const std::string& item : SplitList(where, ';')) {
    std::size_t at = std::string::npos;
    std::string_view op_text;
    FilterOp op = FilterOp::kEquals;
    for (const auto& [text, o] : kOps) {
      const std::size_t p = item.find(text);
      if (p != std::string::npos && p > 0 && (at == std::string::npos || p < at)) {
        at = p;
        op_text = text;
        op = o;
      }
    }
    if (at == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--where '%s': expected member=value, member!=value, member>=value, member>value, "
          "member<=value, member<value or member=v1|v2",
          item));
    }
    QueryFilter f;
    f.member = item.substr(0, at);
    while (!f.member.empty() && f.member.back() == ' ') f.member.pop_back();
    std::string rest = item.substr(at + op_text.size());
    while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
    const bool number =
        std::find(measures.begin(), measures.end(), f.member) != measures.end();
    std::vector<std::string> values = SplitList(rest, '|');
    if (values.empty()) values.push_back("");
    if (values.size() > 1) {
      if (op != FilterOp::kEquals && op != FilterOp::kNotEquals) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--where '%s': several values (a|b) go with = or != only", item));
      }
      op = op == FilterOp::kEquals ? FilterOp::kIn : FilterOp::kNotIn;
    }
    f.op = op;
    for (const std::string& v : values) {
      absl::StatusOr<QueryValue> value = Value(v, number, f.member);
      if (!value.ok()) return value.status();
      f.values.push_back(*value);
    }
    out.push_back(std::move(f));
  }
  return out;
}

// --cross-filter as the selected rows of a source query's result, then
// CrossFilter onto `target`.
absl::StatusOr<QuerySpec> WithCrossFilter(const std::string& text, const QuerySpec& target) {
  QuerySpec source;
  ResultTable selected;
  std::vector<ResultColumn*> columns;  // a deque's elements stay put
  std::vector<std::size_t> rows;
  for (const std::string& row : SplitList(text, ';')) {
    std::vector<std::string> members;
    std::vector<std::string> labels;
    for (const std::string& item : SplitList(row, ',')) {
      const std::size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--cross-filter '%s': expected member=value[,member=value...][;...]", item));
      }
      members.push_back(item.substr(0, eq));
      labels.push_back(item.substr(eq + 1));
    }
    if (rows.empty()) {
      source.dimensions = members;
      for (const std::string& m : members) columns.push_back(&selected.AddString(m));
    } else if (members != source.dimensions) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--cross-filter '%s': every selected row names the same members (%s), in that order",
          row, absl::StrJoin(source.dimensions, ",")));
    }
    for (std::size_t k = 0; k < members.size(); ++k) {
      columns[k]->strings.push_back(labels[k]);
    }
    rows.push_back(rows.size());
  }
  if (rows.empty()) return absl::InvalidArgumentError("--cross-filter: select at least one row");
  return CrossFilter(source, selected, rows, target);
}

absl::StatusOr<QuerySpec> SpecFromFlags(const Args& args) {
  if (std::optional<std::string> path = args.Get("spec")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrFormat("--spec: cannot read '%s'", *path));
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<QuerySpec> spec = ParseQuerySpec(text.str());
    if (!spec.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("--spec %s: %s", *path, spec.status().message()));
    }
    return spec;
  }
  QuerySpec spec;
  spec.measures = SplitList(args.GetOr("measures", ""));
  spec.dimensions = SplitList(args.GetOr("by", ""));
  if (std::optional<std::string> where = args.Get("where")) {
    absl::StatusOr<std::vector<QueryFilter>> filters = ParseWhere(*where, spec.measures);
    if (!filters.ok()) return filters.status();
    spec.filters = std::move(*filters);
  }
  if (args.Has("grain") || args.Has("from") || args.Has("to") || args.Has("compare") ||
      args.Has("time")) {
    QueryTime t;
    t.dimension = args.GetOr("time", "");
    if (t.dimension.empty() && !spec.measures.empty()) {
      // The date that places the first measure's rows in time (measures.hpp).
      absl::StatusOr<const QueryMeasure*> m = FindQueryMeasure(spec.measures[0]);
      if (!m.ok()) return m.status();
      t.dimension = std::string((*m)->date);
    }
    if (std::optional<std::string> g = args.Get("grain")) {
      absl::StatusOr<Grain> grain = ParseQueryGrain(*g);
      if (!grain.ok()) return grain.status();
      t.grain = *grain;
    }
    for (const char* flag : {"from", "to"}) {
      if (std::optional<std::string> text = args.Get(flag)) {
        absl::StatusOr<Day> day = ParseDate(*text, DateFormat::kIso);
        if (!day.ok()) {
          return absl::InvalidArgumentError(
              absl::StrFormat("--%s '%s': %s", flag, *text, day.status().message()));
        }
        (std::string_view(flag) == "from" ? t.from : t.to) = *day;
      }
    }
    const std::string compare = args.GetOr("compare", "none");
    bool known = false;
    for (QueryCompare c : {QueryCompare::kNone, QueryCompare::kPrevious, QueryCompare::kLastYear,
                           QueryCompare::kTarget}) {
      if (QueryCompareName(c) == compare) {
        t.compare = c;
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--compare '%s': expected previous, last-year or target", compare));
    }
    spec.time = t;
  }
  for (const std::string& item : SplitList(args.GetOr("order", ""))) {
    const bool desc = item.front() == '-';
    spec.order.push_back(QueryOrder{desc ? item.substr(1) : item, desc});
  }
  if (args.Has("limit")) {
    absl::StatusOr<std::int64_t> limit = args.GetInt("limit", 0);
    if (!limit.ok()) return limit.status();
    spec.limit = *limit;
  }
  absl::StatusOr<std::int64_t> offset = args.GetInt("offset", 0);
  if (!offset.ok()) return offset.status();
  spec.offset = *offset;
  if (args.Has("top")) {
    absl::StatusOr<std::int64_t> n = args.GetInt("top", 10);
    if (!n.ok()) return n.status();
    spec.top = QueryTop{*n, args.GetOr("top-by", ""), args.Has("others")};
  }
  const std::string totals = args.GetOr("totals", "none");
  bool known = false;
  for (QueryTotals t : {QueryTotals::kNone, QueryTotals::kGrand, QueryTotals::kSubtotals}) {
    if (QueryTotalsName(t) == totals) {
      spec.totals = t;
      known = true;
    }
  }
  if (!known) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--totals '%s': expected none, grand or subtotals", totals));
  }
  return spec;
}

// --drill / --drill-through (salesight/query/drill.hpp): the drilled query's
// answer, or a page of the row's order lines (--lines-from, --lines).
int Drill(const Args& args, const Dataset& data, const QuerySpec& spec, const QueryResult& top,
          const QueryRunOptions& options) {
  if (args.Has("drill-through")) {
    absl::StatusOr<std::int64_t> row = args.GetInt("drill-through", 0);
    absl::StatusOr<std::int64_t> from = args.GetInt("lines-from", 0);
    absl::StatusOr<std::int64_t> count = args.GetInt("lines", 100);
    for (const auto* v : {&row, &from, &count}) {
      if (!v->ok()) return UsageError(v->status());
    }
    absl::StatusOr<ResultTable> lines =
        DrillThrough(data, spec, top.table, static_cast<std::size_t>(*row), *from, *count);
    if (!lines.ok()) return UsageError(lines.status());
    return WriteResult(lines.value(), args);
  }
  absl::StatusOr<std::int64_t> row = args.GetInt("drill", 0);
  if (!row.ok()) return UsageError(row.status());
  absl::StatusOr<QuerySpec> down = DrillDown(data, spec, top.table, static_cast<std::size_t>(*row),
                                             args.GetOr("drill-level", ""));
  if (!down.ok()) return UsageError(down.status());
  if (args.Has("print-spec")) {
    std::cout << QuerySpecJson(*down) << "\n";
    return 0;
  }
  absl::StatusOr<QueryResult> result = salesight::RunQuery(data, *down, options);
  if (!result.ok()) return DataError(result.status());
  PrintProblems(ProblemsToResultTable(result->problems), std::cerr);
  return WriteResult(result->table, args);
}

}  // namespace

int RunQuery(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      FlagSpec{"measures", "M,...", "measures (README: query measures), e.g. revenue,margin_pct"}
          .Excludes("spec", "the spec file has them"),
      FlagSpec{"by", "DIM,...", "dimensions: any column of the data, a date or DATE.GRAIN"},
      FlagSpec{"where", "COND;...",
               "filters, all must hold: member=v, member!=v, member>=v (> <= <), member=v1|v2"},
      FlagSpec{"grain", "G", "a period column: day, week, month, quarter, year, fiscal_year:M"},
      FlagSpec{"time", "DATE", "the date member of --grain/--from/--to (default: the first "
                               "measure's date, e.g. order_date)"},
      FlagSpec{"from", "YYYY-MM-DD", "first day (inclusive)"},
      FlagSpec{"to", "YYYY-MM-DD", "last day (inclusive)"},
      FlagSpec{"compare", "C", "previous, last-year or target (needs --grain)"}.Needs("grain"),
      FlagSpec{"order", "COL,...", "sort by result columns; -COL descending"},
      FlagSpec{"limit", "N", "at most N rows (after --offset)"}.Range(0, INT64_MAX),
      FlagSpec{"offset", "N", "skip the first N rows"}.Range(0, INT64_MAX),
      FlagSpec{"top", "N", "the N largest groups by --top-by (per period with --grain and --by)"}
          .Range(1, INT64_MAX),
      FlagSpec{"top-by", "M", "the measure --top ranks by (default: the first)"}.Needs("top"),
      FlagSpec{"others", "", "with --top: one more row '(others)' with the rest"}.Needs("top"),
      FlagSpec{"totals", "T", "none, grand or subtotals (a rollup per level)"},
      FlagSpec{"spec", "FILE", "the query as a JSON spec (salesight/query/spec.hpp)"}
          .Excludes("by|where|grain|time|from|to|compare|order|limit|offset|top|totals",
                    "the spec file says it"),
      FlagSpec{"cross-filter", "SEL",
               "rows selected in another result, applied as one more filter: "
               "member=v,member=v;... (';' between rows: any row)"},
      FlagSpec{"print-spec", "", "print the query's JSON spec and exit"},
      FlagSpec{"drill", "ROW", "answer the query one level down under result row ROW (0-based)"}
          .Range(0, INT64_MAX),
      FlagSpec{"drill-level", "COL", "with --drill: the dimension or time column to drill "
                                     "(default: the last dimension, else the time column)"}
          .Needs("drill"),
      FlagSpec{"drill-through", "ROW", "print the order lines under result row ROW (0-based)"}
          .Range(0, INT64_MAX)
          .Excludes("drill"),
      FlagSpec{"lines", "N", "with --drill-through: at most N lines (default 100)"}
          .Range(0, INT64_MAX)
          .Needs("drill-through"),
      FlagSpec{"lines-from", "K", "with --drill-through: skip the first K lines"}
          .Range(0, INT64_MAX)
          .Needs("drill-through"),
      ThreadsFlag("threads (0 = all cores)"),
      OutFlag(),
  };
  const std::vector<MainFile> files = {MainFile::kOrders, MainFile::kPipeline,
                                       MainFile::kInvoices, MainFile::kPayments,
                                       MainFile::kTargets};
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, files, own,
      "salesight query --orders FILE --map FIELD=COL,... --measures M,... [--by DIM,...] [options]",
      "Any question of the data: measures by dimensions, filtered, per period, compared, "
      "ranked and totalled. Without --orders it asks the bundled sample.",
      &exit_code);
  if (!args) return exit_code;
  if (!args->Has("measures") && !args->Has("spec")) {
    return UsageError(absl::InvalidArgumentError("query: give --measures (or --spec FILE)"));
  }
  absl::StatusOr<QuerySpec> spec = SpecFromFlags(*args);
  if (!spec.ok()) return UsageError(spec.status());
  if (std::optional<std::string> cross = args->Get("cross-filter")) {
    spec = WithCrossFilter(*cross, *spec);
    if (!spec.ok()) return UsageError(spec.status());
  }
  if (args->Has("print-spec") && !args->Has("drill")) {
    std::cout << QuerySpecJson(*spec) << "\n";
    return 0;
  }
  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  QueryRunOptions options;
  absl::StatusOr<std::int64_t> threads = args->GetInt("threads", 0);
  if (!threads.ok()) return UsageError(threads.status());
  options.num_threads = static_cast<int>(*threads);
  absl::StatusOr<QueryResult> result = salesight::RunQuery(*dataset, *spec, options);
  if (!result.ok()) {
    // A spec that does not fit the data (an unknown name, a type) is the
    // user's to fix like a flag; anything later is about the data.
    return result.status().code() == absl::StatusCode::kInvalidArgument
               ? UsageError(result.status())
               : DataError(result.status());
  }
  PrintProblems(ProblemsToResultTable(result->problems), std::cerr);
  if (args->Has("drill") || args->Has("drill-through")) {
    return Drill(*args, *dataset, *spec, *result, options);
  }
  return WriteResult(result->table, *args);
}

}  // namespace salesight::cli
