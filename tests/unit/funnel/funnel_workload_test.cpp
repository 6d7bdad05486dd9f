// WORKLOADS.md workload (b): funnel_overall and funnel_group must equal the
// SQL definition exactly (integers and doubles bit for bit). The reference
// below is that definition written plainly: COUNT(date), n_s / n_{s-1} as a
// double, quantile_cont(0.5) over (date_s - date_{s-1}) where both are present.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/funnel.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

struct SqlRow {
  std::vector<std::int64_t> n;
  std::vector<std::optional<double>> conv, med;
};

struct SqlAcc {
  std::vector<std::int64_t> n;
  std::vector<std::vector<std::int64_t>> diffs;
};

SqlRow Finish(const SqlAcc& a) {
  SqlRow r;
  const std::size_t S = a.n.size();
  r.n = a.n;
  for (std::size_t s = 1; s < S; ++s) {
    r.conv.push_back(a.n[s - 1] == 0 ? std::nullopt
                                     : std::optional<double>(static_cast<double>(a.n[s]) /
                                                             static_cast<double>(a.n[s - 1])));
    std::vector<std::int64_t> v = a.diffs[s];
    if (v.empty()) {
      r.med.push_back(std::nullopt);
      continue;
    }
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size();
    // quantile_cont(0.5): the middle value, or the mean of the two middle values.
    r.med.push_back(
        m % 2 == 1 ? static_cast<double>(v[m / 2])
                   : (static_cast<double>(v[m / 2 - 1]) + static_cast<double>(v[m / 2])) / 2.0);
  }
  return r;
}

// (overall, groups keyed by (region_id, yyyymm)).
std::pair<SqlRow, std::map<std::pair<std::int64_t, std::int64_t>, SqlRow>> SqlFunnel(
    const Pipeline& p) {
  const PipelineColumns& c = p.columns();
  const std::size_t S = p.num_stages();
  SqlAcc overall{std::vector<std::int64_t>(S), std::vector<std::vector<std::int64_t>>(S)};
  std::map<std::pair<std::int64_t, std::int64_t>, SqlAcc> groups;
  for (std::size_t i = 0; i < p.size(); ++i) {
    CivilDate cd = CivilFromDay(c.created[i]);
    auto key = std::make_pair(std::int64_t{c.region[i]}, std::int64_t{cd.year * 100 + cd.month});
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) {
      it->second.n.assign(S, 0);
      it->second.diffs.assign(S, {});
    }
    for (SqlAcc* a : {&overall, &it->second}) {
      for (std::size_t s = 0; s < S; ++s) {
        const Day d = c.stage_dates[s][i];
        if (d == kNoDate) continue;
        ++a->n[s];
        if (s > 0 && c.stage_dates[s - 1][i] != kNoDate) {
          a->diffs[s].push_back(std::int64_t{d} - c.stage_dates[s - 1][i]);
        }
      }
    }
  }
  std::map<std::pair<std::int64_t, std::int64_t>, SqlRow> out;
  for (const auto& [k, a] : groups) out[k] = Finish(a);
  return {Finish(overall), out};
}

void ExpectRow(const ResultTable& t, std::size_t row, const SqlRow& want,
               const std::vector<std::string>& stages, const std::string& what) {
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const ResultColumn* n = t.Find("n_" + stages[s]);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->ints[row], want.n[s]) << what << " n_" << stages[s];
  }
  for (std::size_t s = 1; s < stages.size(); ++s) {
    for (const auto& [prefix, values] : {std::make_pair(std::string("conv_"), &want.conv),
                                         std::make_pair(std::string("med_"), &want.med)}) {
      const ResultColumn* col = t.Find(prefix + stages[s]);
      ASSERT_NE(col, nullptr);
      const std::optional<double>& v = (*values)[s - 1];
      ASSERT_EQ(!col->is_null(row), v.has_value()) << what << " " << prefix << stages[s];
      if (v) {
        EXPECT_EQ(col->doubles[row], *v) << what << " " << prefix << stages[s];
      }
    }
  }
}

// Equal cell for cell: names, types, values and validity bytes.
void ExpectSameTable(const ResultTable& got, const ResultTable& want, const std::string& what) {
  ASSERT_EQ(got.num_columns(), want.num_columns()) << what;
  for (std::size_t c = 0; c < want.num_columns(); ++c) {
    const ResultColumn& g = got.columns()[c];
    const ResultColumn& w = want.columns()[c];
    EXPECT_EQ(g.name, w.name) << what;
    EXPECT_EQ(g.type, w.type) << what << " " << w.name;
    EXPECT_EQ(g.ints, w.ints) << what << " " << w.name;
    EXPECT_EQ(g.valid, w.valid) << what << " " << w.name;
    ASSERT_EQ(g.doubles.size(), w.doubles.size()) << what << " " << w.name;
    for (std::size_t i = 0; i < w.doubles.size(); ++i) {
      // Bit for bit (a NaN would never be equal; none is expected).
      EXPECT_EQ(std::memcmp(&g.doubles[i], &w.doubles[i], sizeof(double)), 0)
          << what << " " << w.name << " row " << i << ": " << g.doubles[i] << " vs "
          << w.doubles[i];
    }
  }
}

void ExpectSameProblems(const DataProblems& got, const DataProblems& want,
                        const std::string& what) {
  EXPECT_EQ(got.money_scale, want.money_scale) << what;
  ASSERT_EQ(got.items.size(), want.items.size()) << what;
  for (std::size_t i = 0; i < want.items.size(); ++i) {
    const DataProblem& g = got.items[i];
    const DataProblem& w = want.items[i];
    EXPECT_EQ(g.problem, w.problem) << what;
    EXPECT_EQ(g.count, w.count) << what << " " << w.problem;
    EXPECT_EQ(g.amount, w.amount) << what << " " << w.problem;
    EXPECT_EQ(g.example_ids, w.example_ids) << what << " " << w.problem;
    EXPECT_EQ(g.example_rows, w.example_rows) << what << " " << w.problem;
    EXPECT_EQ(g.message, w.message) << what << " " << w.problem;
  }
}

// ComputeFunnelWorkload (one table per call: the overall row computed
// without groups, the groups straight into their table) against the tables
// and problems of the full FunnelResult.
void CheckOneTableCalls(const Pipeline& p, int threads, const FunnelWorkloadTables& tables,
                        const DataProblems& problems, const std::string& what) {
  for (FunnelWorkloadOutput output :
       {FunnelWorkloadOutput::kOverall, FunnelWorkloadOutput::kGroup}) {
    const bool overall = output == FunnelWorkloadOutput::kOverall;
    const std::string name = what + (overall ? " one-table overall" : " one-table group");
    auto one = ComputeFunnelWorkload(Dataset::Of(p), output, threads);
    ASSERT_TRUE(one.ok()) << name << ": " << one.status();
    ASSERT_TRUE(one->table.Validate().ok()) << name;
    ExpectSameTable(one->table, overall ? tables.overall : tables.group, name);
    ExpectSameProblems(one->problems, problems, name);
  }
}

void CheckWorkload(const Pipeline& p, int threads, const std::string& what) {
  FunnelOptions o = WorkloadFunnelOptions();
  o.num_threads = threads;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  auto tables = ToWorkloadTables(*r);
  ASSERT_TRUE(tables.ok()) << tables.status();
  CheckOneTableCalls(p, threads, *tables, FunnelProblems(*r), what);
  ASSERT_TRUE(tables->overall.Validate().ok());
  ASSERT_TRUE(tables->group.Validate().ok());
  auto [overall, groups] = SqlFunnel(p);
  const auto& stages = p.columns().stage_names;
  ASSERT_EQ(tables->overall.num_rows(), 1u);
  ExpectRow(tables->overall, 0, overall, stages, what + " overall");
  ASSERT_EQ(tables->group.num_rows(), groups.size()) << what;
  EXPECT_EQ(tables->group.columns()[0].name, "region_id");
  EXPECT_EQ(tables->group.columns()[1].name, "month");
  std::size_t row = 0;
  for (const auto& [key, want] : groups) {
    EXPECT_EQ(tables->group.columns()[0].ints[row], key.first) << what;
    EXPECT_EQ(tables->group.columns()[1].ints[row], key.second) << what;
    ExpectRow(tables->group, row, want, stages, what + " group " + std::to_string(row));
    ++row;
  }
}

// Random pipelines in the workload's shape, plus what SQL also handles:
// skipped stages, dates going backwards, gaps beyond any histogram.
TEST(FunnelWorkload, MatchesSqlDefinitionOnRandomData) {
  const std::vector<std::string> stages = DefaultStages();
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    std::mt19937_64 rng(seed);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int rows = uni(0, 3000);
    PipelineColumns c;
    std::vector<std::int64_t> id;
    std::vector<Day> created;
    std::vector<Id> region;
    std::vector<std::vector<Day>> dates(stages.size());
    for (int i = 0; i < rows; ++i) {
      id.push_back(i);
      const Day cr = 18993 + uni(0, 1095);
      created.push_back(cr);
      region.push_back(uni(0, 7));
      Day d = cr;
      bool alive = true;
      for (std::size_t s = 0; s < stages.size(); ++s) {
        const int u = uni(0, 99);
        if (!alive || u < 30) {
          alive = alive && u >= 10;  // sometimes a stage is skipped, not the end
          dates[s].push_back(kNoDate);
          continue;
        }
        d += uni(0, 99) < 3 ? -uni(1, 20) : (uni(0, 99) < 5 ? uni(300, 2000) : uni(0, 60));
        dates[s].push_back(d);
      }
    }
    c.opportunity = Column<std::int64_t>::Own(id);
    c.created = Column<Day>::Own(created);
    c.region = Column<Id>::Own(region);
    for (auto& v : dates) c.stage_dates.push_back(Column<Day>::Own(v));
    auto p = Pipeline::Build(std::move(c));
    ASSERT_TRUE(p.ok()) << p.status();
    for (int threads : {1, 2, 3}) {
      CheckWorkload(*p, threads,
                    "seed " + std::to_string(seed) + " threads " + std::to_string(threads));
      if (testing::Test::HasFailure()) return;
    }
  }
}

// The bundled sample generator's pipeline (the data the benchmark uses),
// also at the latency benchmark's 10^4 lines (about 2,000 opportunities in
// 286 groups: narrow bins, most gaps in the overflow list).
TEST(FunnelWorkload, MatchesSqlDefinitionOnSample) {
  for (std::int64_t lines : {10000, 50000}) {
    SampleOptions so;
    so.order_lines = lines;
    auto data = GenerateSample(so);
    ASSERT_TRUE(data.ok()) << data.status();
    for (int threads : {1, 2}) {
      CheckWorkload(data->pipeline, threads, "sample of " + std::to_string(lines) + " lines");
    }
  }
}

// A one-table call fails as the grouped computation does: a pipeline without
// a region column cannot be grouped by region, whichever table is asked for.
TEST(FunnelWorkload, OneTableCallsFailAsTheGroupedCall) {
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({1, 2});
  c.created = Column<Day>::Own({19000, 19001});
  for (std::size_t s = 0; s < 6; ++s) c.stage_dates.push_back(Column<Day>::Own({19000, 19002}));
  auto p = Pipeline::Build(std::move(c));
  ASSERT_TRUE(p.ok());
  // The dataset without its customers table: no customer attribute named
  // "region" either.
  auto grouped = ComputeFunnel(*p, WorkloadFunnelOptions());
  ASSERT_FALSE(grouped.ok());
  for (FunnelWorkloadOutput output :
       {FunnelWorkloadOutput::kOverall, FunnelWorkloadOutput::kGroup}) {
    auto one = ComputeFunnelWorkload(Dataset::Of(*p), output, 1);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.status(), grouped.status());
  }
}

TEST(FunnelWorkload, NeedsTheWorkloadGrouping) {
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({1});
  c.created = Column<Day>::Own({19000});
  for (std::size_t s = 0; s < 6; ++s) c.stage_dates.push_back(Column<Day>::Own({19000}));
  auto p = Pipeline::Build(std::move(c));
  ASSERT_TRUE(p.ok());
  auto r = ComputeFunnel(*p, FunnelOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(ToWorkloadTables(*r).ok());
}

}  // namespace
}  // namespace salesight
