// Serialized funnel partial states: round trips, merges through bytes equal
// ComputeFunnel (and plain stage counts), hostile bytes -> errors.
#include <algorithm>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/funnel.hpp"
#include "salesight/partial_state.hpp"

namespace salesight {
namespace {

std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}

std::string Serialize(const FunnelPartial& p) {
  absl::StatusOr<std::string> b = SerializeFunnelPartial(p);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : std::string();
}

struct Data {
  Pipeline pipeline;
  std::vector<std::vector<Day>> dates;  // per stage, per row
};

Data MakeRandom(std::uint64_t seed, int rows, int stages) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  PipelineColumns c;
  std::vector<std::int64_t> id;
  std::vector<Day> created, lost;
  std::vector<Money> amount;
  std::vector<Id> region, sales, source;
  Data out;
  out.dates.resize(static_cast<std::size_t>(stages));
  for (int i = 0; i < rows; ++i) {
    id.push_back(1000 + 3 * i);
    const Day cr = 19000 + uni(0, 700);
    created.push_back(cr);
    Day d = cr;
    bool alive = true;
    for (int s = 0; s < stages; ++s) {
      Day v = kNoDate;
      if (alive && chance(s == 0 ? 0.95 : 0.7)) {
        int gap = chance(0.1) ? uni(250, 9000) : uni(0, 40);  // some beyond every histogram
        if (chance(0.05)) gap = -uni(1, 30);                  // some backwards
        d += gap;
        v = d;
      } else if (alive && chance(0.2)) {
        v = kNoDate;  // a skipped stage
      } else {
        alive = false;
      }
      out.dates[static_cast<std::size_t>(s)].push_back(v);
    }
    lost.push_back(chance(0.3) ? cr + uni(0, 400) : kNoDate);
    amount.push_back(uni(1, 5'000'000));
    region.push_back(uni(0, 3));
    sales.push_back(uni(0, 9));
    source.push_back(uni(0, 2));
  }
  c.opportunity = Column<std::int64_t>::Own(id);
  c.created = Column<Day>::Own(created);
  c.lost_date = Column<Day>::Own(lost);
  c.amount = Column<Money>::Own(amount);
  c.region = Column<Id>::Own(region);
  c.salesperson = Column<Id>::Own(sales);
  c.source = Column<Id>::Own(source);
  c.stage_names.clear();
  for (int s = 0; s < stages; ++s) c.stage_names.push_back("s" + std::to_string(s));
  if (stages >= 3) c.stage_names[static_cast<std::size_t>(stages - 2)] = "won";
  for (const auto& v : out.dates) c.stage_dates.push_back(Column<Day>::Own(v));
  absl::StatusOr<Pipeline> p = Pipeline::Build(std::move(c));
  EXPECT_TRUE(p.ok()) << p.status();
  out.pipeline = *std::move(p);
  return out;
}

FunnelOptions RandomOptions(std::mt19937_64& rng) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  FunnelOptions o;
  o.mode = static_cast<FunnelMode>(uni(0, 2));
  if (o.mode == FunnelMode::kSnapshot || uni(0, 2) == 0) o.as_of = 19000 + uni(200, 1500);
  if (uni(0, 2) == 0) o.from = 19000 + uni(0, 300);
  std::vector<std::string> keys = {"region", "salesperson", "source"};
  std::shuffle(keys.begin(), keys.end(), rng);
  keys.resize(static_cast<std::size_t>(uni(0, 2)));
  o.group_by = keys;
  o.period = std::nullopt;
  if (const int unit = uni(0, 6); unit > 0) o.period = Grain(static_cast<GrainUnit>(unit - 1), uni(1, 12));
  if (o.period.has_value() && uni(0, 2) == 0) o.compare = FunnelCompare::kPreviousPeriod;
  o.implied_reached = uni(0, 1) == 1;
  o.compute_outcomes = uni(0, 4) != 0;
  o.max_reported_issues = uni(0, 10);
  o.num_threads = uni(1, 3);
  return o;
}

std::string AllTables(const FunnelResult& r) {
  return Csv(ToResultTable(r)) + Csv(ToDetailedResultTable(r)) + Csv(BottlenecksToResultTable(r));
}

TEST(FunnelPartialSerialize, HandComputedCounts) {
  // 3 opportunities over stages s0, s1, s2 (recorded, not implied):
  // row 0 reaches s0 (day 10) and s1 (day 14); row 1 only s0; row 2 s0, s1 (day
  // 20 -> 26), s2. n = 3, 2, 1; gaps s0->s1: 4 and 6 days -> median 5.
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({1, 2, 3});
  c.created = Column<Day>::Own({10, 11, 20});
  c.stage_names = {"s0", "s1", "s2"};
  c.stage_dates.push_back(Column<Day>::Own({10, 11, 20}));
  c.stage_dates.push_back(Column<Day>::Own({14, kNoDate, 26}));
  c.stage_dates.push_back(Column<Day>::Own({kNoDate, kNoDate, 30}));
  absl::StatusOr<Pipeline> t = Pipeline::Build(std::move(c));
  ASSERT_TRUE(t.ok()) << t.status();
  FunnelOptions o;
  o.implied_reached = false;
  absl::StatusOr<FunnelPartial> a = PartialFunnel(*t, 0, 2, o), b = PartialFunnel(*t, 2, 3, o);
  ASSERT_TRUE(a.ok() && b.ok());
  absl::StatusOr<FunnelPartial> a2 = DeserializeFunnelPartial(Serialize(*a));
  absl::StatusOr<FunnelPartial> b2 = DeserializeFunnelPartial(Serialize(*b));
  ASSERT_TRUE(a2.ok()) << a2.status();
  ASSERT_TRUE(b2.ok()) << b2.status();
  ASSERT_TRUE(MergeFunnel(*a2, *b2).ok());
  absl::StatusOr<FunnelResult> r = FinishFunnel(*std::move(a2), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->overall.stages.size(), 3u);
  EXPECT_EQ(r->overall.stages[0].count, 3);
  EXPECT_EQ(r->overall.stages[1].count, 2);
  EXPECT_EQ(r->overall.stages[2].count, 1);
  ASSERT_TRUE(r->overall.stages[1].days.median.has_value());
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].days.median, 5.0);
}

TEST(FunnelPartialSerialize, MergesThroughBytesLikeCompute) {
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const int stages = 1 + static_cast<int>(seed % 7);
    const Data data = MakeRandom(900 + seed, 40 + static_cast<int>(seed) * 9, stages);
    const Pipeline& t = data.pipeline;
    std::mt19937_64 rng(seed);
    const FunnelOptions o = RandomOptions(rng);
    absl::StatusOr<FunnelResult> whole = ComputeFunnel(t, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    std::vector<std::size_t> cuts = {0, t.size()};
    for (int c = static_cast<int>(seed % 6); c > 0; --c) {
      cuts.push_back(std::uniform_int_distribution<std::size_t>(0, t.size())(rng));
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::string> blobs;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      absl::StatusOr<FunnelPartial> p = PartialFunnel(t, cuts[i], cuts[i + 1], o);
      ASSERT_TRUE(p.ok()) << p.status();
      blobs.push_back(Serialize(*p));
      absl::StatusOr<FunnelPartial> back = DeserializeFunnelPartial(blobs.back());
      ASSERT_TRUE(back.ok()) << back.status() << " seed " << seed;
      EXPECT_EQ(Serialize(*back), blobs.back()) << "seed " << seed;
    }
    // Pairwise tree through bytes.
    while (blobs.size() > 1) {
      std::vector<std::string> next;
      for (std::size_t i = 0; i < blobs.size(); i += 2) {
        absl::StatusOr<FunnelPartial> a = DeserializeFunnelPartial(blobs[i]);
        ASSERT_TRUE(a.ok()) << a.status();
        if (i + 1 < blobs.size()) {
          absl::StatusOr<FunnelPartial> b = DeserializeFunnelPartial(blobs[i + 1]);
          ASSERT_TRUE(b.ok()) << b.status();
          ASSERT_TRUE(MergeFunnel(*a, *b).ok());
        }
        next.push_back(Serialize(*a));
      }
      blobs = std::move(next);
    }
    absl::StatusOr<FunnelPartial> state = DeserializeFunnelPartial(blobs[0]);
    ASSERT_TRUE(state.ok()) << state.status();
    absl::StatusOr<FunnelResult> merged = FinishFunnel(*std::move(state), o);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(AllTables(*merged), AllTables(*whole)) << "seed " << seed;
    EXPECT_EQ(merged->issues.examples.size(), whole->issues.examples.size());
    // Plain reference: cohort mode, no window, recorded stages -> the overall
    // count of stage s is the number of rows with a date there (<= as_of).
    if (o.mode == FunnelMode::kCohort && !o.implied_reached && o.from == kNoDate &&
        o.as_of == kNoDate) {
      for (int s = 0; s < stages; ++s) {
        std::int64_t n = 0;
        for (Day d : data.dates[static_cast<std::size_t>(s)]) n += d != kNoDate;
        EXPECT_EQ(merged->overall.stages[static_cast<std::size_t>(s)].count, n) << "seed " << seed;
      }
    }
  }
}

TEST(FunnelPartialSerialize, TruncationsAndFlipsAreErrorsNotCrashes) {
  const Data data = MakeRandom(5, 120, 5);
  FunnelOptions o;
  o.group_by = {"region"};
  o.period = std::nullopt;  // 4 slots: the blob stays ~20 KB (fast under ASan)
  o.as_of = 19600;
  absl::StatusOr<FunnelPartial> p = PartialFunnel(data.pipeline, 0, data.pipeline.size(), o);
  ASSERT_TRUE(p.ok()) << p.status();
  const std::string b = Serialize(*p);
  // Every prefix of the config and slot region, then every 61st (the
  // histograms make the blob large).
  for (std::size_t n = 0; n < b.size(); n += (n < 400 ? 1 : 61)) {
    ASSERT_FALSE(DeserializeFunnelPartial(std::string_view(b.data(), n)).ok()) << n;
  }
  std::mt19937_64 rng(11);
  int accepted = 0;
  for (int trial = 0; trial < 150; ++trial) {
    std::string x = b;
    // Flip bytes in the first 600 bytes (config, slot keys, counters) and
    // anywhere.
    for (int k = 0; k < 2; ++k) {
      const std::size_t hi = k == 0 ? std::min<std::size_t>(600, x.size() - 1) : x.size() - 1;
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, hi)(rng);
      x[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
    absl::StatusOr<FunnelPartial> r = DeserializeFunnelPartial(x);
    if (!r.ok()) continue;
    if (accepted++ % 3 != 0) continue;  // finish every 3rd: Debug+ASan time
    absl::StatusOr<FunnelPartial> good = DeserializeFunnelPartial(b);
    ASSERT_TRUE(good.ok());
    (void)MergeFunnel(*good, *r);
    absl::StatusOr<FunnelResult> f = FinishFunnel(*std::move(r), o);
    if (f.ok()) (void)AllTables(*f);
  }
  EXPECT_GT(accepted, 0);
  absl::StatusOr<FunnelPartial> wrong = DeserializeFunnelPartial("SLSPART");
  EXPECT_FALSE(wrong.ok());
}

}  // namespace
}  // namespace salesight
