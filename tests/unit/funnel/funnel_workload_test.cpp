// WORKLOADS.md workload (b): funnel_overall and funnel_group must equal the
// SQL definition exactly (integers and doubles bit for bit). The reference
// below is that definition written plainly: COUNT(date), n_s / n_{s-1} as a
// double, quantile_cont(0.5) over (date_s - date_{s-1}) where both are present.
#include <algorithm>
#include <cmath>
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

void CheckWorkload(const Pipeline& p, int threads, const std::string& what) {
  FunnelOptions o = WorkloadFunnelOptions();
  o.num_threads = threads;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  auto tables = ToWorkloadTables(*r);
  ASSERT_TRUE(tables.ok()) << tables.status();
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

// The bundled sample generator's pipeline (the data the benchmark uses).
TEST(FunnelWorkload, MatchesSqlDefinitionOnSample) {
  SampleOptions so;
  so.order_lines = 50000;  // 10000 opportunities
  auto data = GenerateSample(so);
  ASSERT_TRUE(data.ok()) << data.status();
  for (int threads : {1, 2}) CheckWorkload(data->pipeline, threads, "sample");
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
