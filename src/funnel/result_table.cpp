// FunnelResult -> ResultTable for the surfaces (CLI, C ABI, Python).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "internal/periods.hpp"
#include "internal/workload_tables.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {


// One output row: a group (nullptr = the overall row) and the stats shown.
struct Row {
  const FunnelGroup* group;
  const FunnelGroupStats* stats;
};

using OptD = std::optional<double>;

// One column of `rows`: f(row) gives an optional value (null when empty).
// Templates, not std::function: a small call's tables are mostly this loop.
template <typename F>
void AddDoubles(ResultTable& t, std::string name, const std::vector<Row>& rows, const F& f) {
  ResultColumn& c = t.AddDouble(std::move(name));
  c.doubles.reserve(rows.size());
  c.valid.reserve(rows.size());
  for (const Row& r : rows) {
    OptD v = f(r);
    c.doubles.push_back(v.value_or(0.0));
    c.valid.push_back(v ? 1 : 0);
  }
}

template <typename F>
void AddInts(ResultTable& t, std::string name, const std::vector<Row>& rows, const F& f) {
  ResultColumn& c = t.AddInt64(std::move(name));
  c.ints.reserve(rows.size());
  c.valid.reserve(rows.size());
  for (const Row& r : rows) {
    std::optional<std::int64_t> v = f(r);
    c.ints.push_back(v.value_or(0));
    c.valid.push_back(v ? 1 : 0);
  }
}

template <typename F>
void AddMoneys(ResultTable& t, std::string name, int scale, const std::vector<Row>& rows,
               const F& f) {
  ResultColumn& c = t.AddMoney(std::move(name), scale);
  c.ints.reserve(rows.size());
  c.valid.reserve(rows.size());
  for (const Row& r : rows) {
    std::optional<Money> v = f(r);
    c.ints.push_back(v.value_or(0));
    c.valid.push_back(v ? 1 : 0);
  }
}

template <typename F>
void AddStrings(ResultTable& t, std::string name, const std::vector<Row>& rows, const F& f) {
  ResultColumn& c = t.AddString(std::move(name));
  c.strings.reserve(rows.size());
  c.valid.reserve(rows.size());
  for (const Row& r : rows) {
    std::optional<std::string> v = f(r);
    c.strings.push_back(v.value_or(""));
    c.valid.push_back(v ? 1 : 0);
  }
}

bool Grouped(const FunnelResult& r) {
  return !r.group_by.empty() || r.period.has_value();
}

void AddGroupColumns(ResultTable& t, const FunnelResult& r, const std::vector<Row>& rows) {
  for (std::size_t k = 0; k < r.group_by.size(); ++k) {
    AddStrings(t, r.group_by[k], rows,
               [&](const Row& row) -> std::optional<std::string> {
                 if (row.group == nullptr) return std::nullopt;
                 return DimensionLabel(r.key_dictionaries[k], row.group->keys[k]);
               });
  }
  if (r.period.has_value()) {
    AddStrings(t, internal::PeriodColumnName(r.period), rows,
               [&](const Row& row) -> std::optional<std::string> {
                 if (row.group == nullptr) return std::nullopt;
                 return FunnelPeriodLabel(r.period, row.group->period_start);
               });
  }
}

}  // namespace

std::string FunnelGroupLabel(const FunnelResult& result, const FunnelGroup& group) {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < result.group_by.size() && k < group.keys.size(); ++k) {
    DictionaryPtr dict =
        k < result.key_dictionaries.size() ? result.key_dictionaries[k] : DictionaryPtr();
    parts.push_back(DimensionLabel(dict, group.keys[k]));
  }
  if (result.period.has_value()) {
    parts.push_back(FunnelPeriodLabel(result.period, group.period_start));
  }
  if (parts.empty()) return "all";
  return absl::StrJoin(parts, " / ");
}

ResultTable ToResultTable(const FunnelResult& r) {
  std::vector<Row> rows;
  if (Grouped(r)) {
    for (const FunnelGroup& g : r.groups) rows.push_back(Row{&g, &g.stats});
  } else {
    rows.push_back(Row{nullptr, &r.overall});
  }
  ResultTable t;
  AddGroupColumns(t, r, rows);
  const std::size_t S = r.stage_names.size();
  for (std::size_t s = 0; s < S; ++s) {
    const std::string& name = r.stage_names[s];
    AddInts(t, name + "_count", rows, [&](const Row& row) { return row.stats->stages[s].count; });
    AddDoubles(t, name + "_step_conv", rows,
               [&](const Row& row) { return row.stats->stages[s].step_conversion; });
    AddDoubles(t, name + "_cum_conv", rows,
               [&](const Row& row) { return row.stats->stages[s].cumulative_conversion; });
    AddDoubles(t, name + "_median_days", rows,
               [&](const Row& row) { return row.stats->stages[s].days.median; });
  }
  AddDoubles(t, "win_rate", rows, [](const Row& row) { return row.stats->win_rate_closed; });
  AddDoubles(t, "cycle_days", rows, [](const Row& row) { return row.stats->cycle_days.median; });
  if (r.mode == FunnelMode::kSnapshot) {
    for (std::size_t s = 0; s < S; ++s) {
      const std::string& name = r.stage_names[s];
      AddInts(t, name + "_open", rows,
              [&](const Row& row) { return row.stats->stages[s].open_count; });
      AddMoneys(t, name + "_open_amount", r.money_scale, rows,
                [&](const Row& row) { return row.stats->stages[s].open_amount; });
      AddDoubles(t, name + "_median_age", rows,
                 [&](const Row& row) { return row.stats->stages[s].age.median; });
    }
  }
  if (r.compare != FunnelCompare::kNone && Grouped(r)) {
    AddStrings(t, "compare_period", rows, [&](const Row& row) -> std::optional<std::string> {
      if (row.group == nullptr || row.group->previous_start == kNoDate) return std::nullopt;
      return FunnelPeriodLabel(r.period, row.group->previous_start);
    });
    auto prev = [](const Row& row) -> const FunnelGroupStats* {
      return row.group != nullptr && row.group->previous ? &*row.group->previous : nullptr;
    };
    for (std::size_t s = 0; s < S; ++s) {
      const std::string& name = r.stage_names[s];
      AddInts(t, name + "_count_prev", rows, [&](const Row& row) -> std::optional<std::int64_t> {
        const FunnelGroupStats* p = prev(row);
        if (p == nullptr) return std::nullopt;
        return p->stages[s].count;
      });
      AddDoubles(t, name + "_cum_conv_prev", rows, [&](const Row& row) -> OptD {
        const FunnelGroupStats* p = prev(row);
        if (p == nullptr) return std::nullopt;
        return p->stages[s].cumulative_conversion;
      });
    }
    AddDoubles(t, "win_rate_prev", rows, [&](const Row& row) -> OptD {
      const FunnelGroupStats* p = prev(row);
      if (p == nullptr) return std::nullopt;
      return p->win_rate_closed;
    });
  }
  return t;
}

ResultTable ToDetailedResultTable(const FunnelResult& r) {
  std::vector<Row> rows;
  rows.push_back(Row{nullptr, &r.overall});
  if (Grouped(r)) {
    for (const FunnelGroup& g : r.groups) rows.push_back(Row{&g, &g.stats});
  }
  ResultTable t;
  AddStrings(t, "group", rows, [&](const Row& row) -> std::optional<std::string> {
    return row.group == nullptr ? std::string("all") : FunnelGroupLabel(r, *row.group);
  });
  AddGroupColumns(t, r, rows);
  AddInts(t, "opportunities", rows, [](const Row& row) { return row.stats->opportunities; });
  const int scale = r.money_scale;
  for (std::size_t s = 0; s < r.stage_names.size(); ++s) {
    const std::string& n = r.stage_names[s];
    auto st = [s](const Row& row) -> const FunnelStageStats& { return row.stats->stages[s]; };
    AddInts(t, n + "_count", rows, [&](const Row& row) { return st(row).count; });
    AddDoubles(t, n + "_step_conv", rows, [&](const Row& row) { return st(row).step_conversion; });
    AddDoubles(t, n + "_cum_conv", rows,
               [&](const Row& row) { return st(row).cumulative_conversion; });
    AddInts(t, n + "_drop_off", rows, [&](const Row& row) { return st(row).drop_off; });
    AddDoubles(t, n + "_drop_off_rate", rows,
               [&](const Row& row) { return st(row).drop_off_rate; });
    AddInts(t, n + "_days_n", rows, [&](const Row& row) { return st(row).days.count; });
    AddDoubles(t, n + "_median_days", rows, [&](const Row& row) { return st(row).days.median; });
    AddDoubles(t, n + "_mean_days", rows, [&](const Row& row) { return st(row).days.mean; });
    AddDoubles(t, n + "_p90_days", rows, [&](const Row& row) { return st(row).days.p90; });
    AddInts(t, n + "_open", rows, [&](const Row& row) { return st(row).open_count; });
    AddMoneys(t, n + "_open_amount", scale, rows,
              [&](const Row& row) { return st(row).open_amount; });
    AddDoubles(t, n + "_probability", rows, [&](const Row& row) { return st(row).probability; });
    AddDoubles(t, n + "_weighted_amount", rows,
               [&](const Row& row) { return st(row).weighted_amount; });
    AddDoubles(t, n + "_median_age", rows, [&](const Row& row) { return st(row).age.median; });
    AddDoubles(t, n + "_mean_age", rows, [&](const Row& row) { return st(row).age.mean; });
    AddDoubles(t, n + "_p90_age", rows, [&](const Row& row) { return st(row).age.p90; });
  }
  AddInts(t, "won", rows, [](const Row& row) { return row.stats->won; });
  AddInts(t, "lost", rows, [](const Row& row) { return row.stats->lost; });
  AddDoubles(t, "win_rate_closed", rows, [](const Row& row) { return row.stats->win_rate_closed; });
  AddDoubles(t, "win_rate_created", rows,
             [](const Row& row) { return row.stats->win_rate_created; });
  AddInts(t, "cycle_n", rows, [](const Row& row) { return row.stats->cycle_days.count; });
  AddDoubles(t, "cycle_median_days", rows,
             [](const Row& row) { return row.stats->cycle_days.median; });
  AddDoubles(t, "cycle_mean_days", rows, [](const Row& row) { return row.stats->cycle_days.mean; });
  AddDoubles(t, "cycle_p90_days", rows, [](const Row& row) { return row.stats->cycle_days.p90; });
  AddMoneys(t, "won_amount", scale, rows, [](const Row& row) { return row.stats->won_amount; });
  AddDoubles(t, "avg_won_amount", rows, [](const Row& row) { return row.stats->avg_won_amount; });
  AddInts(t, "open", rows, [](const Row& row) { return row.stats->open; });
  AddInts(t, "open_qualified", rows, [](const Row& row) { return row.stats->open_qualified; });
  AddMoneys(t, "open_amount", scale, rows, [](const Row& row) { return row.stats->open_amount; });
  AddDoubles(t, "weighted_pipeline", rows,
             [](const Row& row) { return row.stats->weighted_pipeline; });
  AddDoubles(t, "sales_velocity", rows, [](const Row& row) { return row.stats->sales_velocity; });
  return t;
}

ResultTable BottlenecksToResultTable(const FunnelResult& r) {
  ResultTable t;
  const auto& bs = r.bottlenecks;
  {
    ResultColumn& c = t.AddString("group");
    for (const auto& b : bs) c.strings.push_back(FunnelGroupLabel(r, r.groups[b.group]));
  }
  {
    ResultColumn& c = t.AddString("stage");
    for (const auto& b : bs) c.strings.push_back(r.stage_names[static_cast<std::size_t>(b.stage)]);
  }
  {
    ResultColumn& c = t.AddString("kind");
    for (const auto& b : bs) {
      c.strings.push_back(b.kind == BottleneckKind::kConversion ? "conversion" : "dwell");
    }
  }
  {
    ResultColumn& c = t.AddDouble("value");
    for (const auto& b : bs) c.doubles.push_back(b.value);
  }
  {
    ResultColumn& c = t.AddDouble("baseline");
    for (const auto& b : bs) c.doubles.push_back(b.baseline);
  }
  {
    ResultColumn& c = t.AddInt64("sample");
    for (const auto& b : bs) c.ints.push_back(b.sample);
  }
  {
    ResultColumn& c = t.AddDouble("revenue_at_stake");
    for (const auto& b : bs) c.doubles.push_back(b.revenue_at_stake);
  }
  {
    ResultColumn& c = t.AddString("explanation");
    for (const auto& b : bs) c.strings.push_back(b.explanation);
  }
  return t;
}

namespace internal {

WorkloadTableBuilder::WorkloadTableBuilder(const std::vector<std::string>& stage_names,
                                           bool group_columns, std::size_t rows) {
  std::vector<ResultColumn*> all;
  if (group_columns) {
    region_ = &table_.AddInt64("region_id");
    month_ = &table_.AddInt64("month");
    all = {region_, month_};
  }
  const std::size_t S = stage_names.size();
  for (std::size_t s = 0; s < S; ++s) {
    all.push_back(n_.emplace_back(&table_.AddInt64("n_" + stage_names[s])));
  }
  for (std::size_t s = 1; s < S; ++s) {
    all.push_back(conv_.emplace_back(&table_.AddDouble("conv_" + stage_names[s])));
  }
  for (std::size_t s = 1; s < S; ++s) {
    all.push_back(med_.emplace_back(&table_.AddDouble("med_" + stage_names[s])));
  }
  for (ResultColumn* c : all) {
    c->ints.reserve(c->type == ResultType::kInt64 ? rows : 0);
    c->doubles.reserve(c->type == ResultType::kDouble ? rows : 0);
    c->valid.reserve(rows);
  }
}

void WorkloadTableBuilder::Add(const FunnelGroupStats& stats, Id region, Day period_start) {
  // Every cell carries a validity byte, as the other funnel tables' columns.
  auto put_int = [](ResultColumn* c, std::int64_t v) {
    c->ints.push_back(v);
    c->valid.push_back(1);
  };
  auto put_double = [](ResultColumn* c, const std::optional<double>& v) {
    c->doubles.push_back(v.value_or(0.0));
    c->valid.push_back(v ? 1 : 0);
  };
  if (region_ != nullptr) {
    put_int(region_, region);
    put_int(month_, YearMonth(period_start));
  }
  for (std::size_t s = 0; s < n_.size(); ++s) put_int(n_[s], stats.stages[s].count);
  for (std::size_t s = 0; s < conv_.size(); ++s) {
    put_double(conv_[s], stats.stages[s + 1].step_conversion);
    put_double(med_[s], stats.stages[s + 1].days.median);
  }
}

ResultTable WorkloadOverallTable(const FunnelResult& r) {
  WorkloadTableBuilder t(r.stage_names, false, 1);
  t.Add(r.overall);
  return std::move(t).Take();
}

absl::Status CheckWorkloadGrouping(const FunnelResult& r) {
  if (r.group_by != std::vector<std::string>{"region"} || r.period != GrainUnit::kMonth) {
    return absl::InvalidArgumentError(
        "funnel: the workload tables need group_by = {region} and period = month "
        "(WorkloadFunnelOptions)");
  }
  return absl::OkStatus();
}

}  // namespace internal

absl::StatusOr<FunnelWorkloadTables> ToWorkloadTables(const FunnelResult& r) {
  SALESIGHT_RETURN_IF_ERROR(internal::CheckWorkloadGrouping(r));
  FunnelWorkloadTables out;
  out.overall = internal::WorkloadOverallTable(r);
  internal::WorkloadTableBuilder group(r.stage_names, true, r.groups.size());
  for (const FunnelGroup& g : r.groups) group.Add(g.stats, g.keys[0], g.period_start);
  out.group = std::move(group).Take();
  return out;
}

}  // namespace salesight
