// Streamed reads of pipeline files (salesight/csv_stream.hpp): the batches
// put end to end equal a one-pass read (every column, the dictionaries, the
// money scale, the reject report) on random files for any batch size (quoted
// line breaks, rejects, a money scale that grows, opportunity numbers that
// turn into codes), and the funnel of the batches' partials (issue rows moved
// by OffsetFunnelRows, merged in file order) equals ComputeFunnel on the
// one-pass table, data-problem examples included.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"
#include "salesight/csv_stream.hpp"
#include "salesight/funnel.hpp"
#include "salesight/result_table.hpp"

namespace salesight {
namespace {

using Stages = std::vector<std::pair<std::string, std::string>>;
const Stages kStages = {{"lead", "Lead"}, {"quote", "Quote"}, {"won", "Won"}};

IngestOptions Options() {
  IngestOptions o;
  absl::StatusOr<FieldMapping> m =
      ParseFieldMapping("id=Opp,created=Created,region=Region,amount=Amount,lost=Lost");
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  o.num_threads = 1;
  o.attributes = IngestOptions::AttributeSelection::kListed;  // a streamed read keeps none
  return o;
}

// Random opportunities: some bad amounts and dates (rejected), quoted notes
// with line breaks, quotes dated before leads (backwards), skipped quotes;
// amounts whole, then with cents, then some with 3 decimals; ids turn into
// codes part way when `codes`.
std::string RandomPipeline(std::mt19937& rng, bool codes) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto date = [](int day) {
    return "2024-" + std::to_string(101 + day / 28).substr(1) + "-" +
           std::to_string(101 + day % 28).substr(1);
  };
  std::string out = "Opp,Created,Region,Amount,Lead,Quote,Won,Lost,Note\n";
  const int rows = 5 + pick(80);
  for (int n = 1; n <= rows; ++n) {
    const std::string id = codes && n > rows / 2 ? "OP-" + std::to_string(n) : std::to_string(n);
    const int day = pick(200);
    const std::int64_t cents = n < rows / 3 ? 100 * (1 + pick(900)) : 1 + pick(90000);
    std::string amount = std::to_string(cents / 100);
    if (n >= rows / 3) amount += "." + std::to_string(100 + cents % 100).substr(1);
    if (n >= 2 * rows / 3 && pick(3) == 0) amount += "5";
    if (pick(13) == 0) amount = "x" + amount;
    const std::string created = pick(17) == 0 ? "2024-02-30" : date(day);
    const int q = pick(5);
    const std::string quote = q == 0 ? "" : date(q == 1 ? day - 1 < 0 ? 0 : day - 1 : day + pick(60));
    const std::string won = pick(3) == 0 ? date(day + 60 + pick(30)) : "";
    const std::string lost = won.empty() && pick(2) == 0 ? date(day + 90) : "";
    const std::string note = pick(4) == 0 ? "\"two\nlines, \"\"q\"\"\"" : "n";
    out += id + "," + created + ",R" + std::to_string(pick(4)) + "," + amount + "," + date(day) +
           "," + quote + "," + won + "," + lost + "," + note + "\n";
  }
  return out;
}

template <typename T>
void Append(std::vector<T>& to, const Column<T>& c) {
  to.insert(to.end(), c.begin(), c.end());
}
template <typename T>
std::vector<T> Vec(const Column<T>& c) {
  return std::vector<T>(c.begin(), c.end());
}
std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}
std::vector<std::string> Codes(const std::shared_ptr<Dictionary>& d) {
  std::vector<std::string> out;
  if (d == nullptr) return {"<null>"};
  for (Id i = 0; i < d->size(); ++i) out.emplace_back(d->Code(i));
  return out;
}

void ExpectSame(const std::string& path, std::int64_t chunk, const std::string& what) {
  SCOPED_TRACE(what + ", chunk " + std::to_string(chunk));
  const IngestOptions o = Options();
  Dictionaries dicts;
  absl::StatusOr<PipelineCsv> full = ReadPipelineCsv(path, o, kStages, dicts);
  Dictionaries sd;
  absl::StatusOr<PipelineCsv> scan = ScanPipelineCsv(path, o, kStages, sd, chunk);
  ASSERT_EQ(full.ok(), scan.ok()) << full.status() << " / " << scan.status();
  if (!full.ok()) return;
  std::vector<std::int64_t> id;
  std::vector<Day> created, quote, lost;
  std::vector<Id> region;
  std::vector<Money> amount;
  FunnelOptions fo;
  fo.group_by = {"region"};
  fo.period = GrainUnit::kMonth;
  fo.max_reported_issues = 5;
  fo.bottleneck_min_sample = 1;
  std::optional<FunnelPartial> total;
  std::size_t rows_before = 0;
  absl::Status st = StreamPipelineCsv(path, o, kStages, sd, chunk, *scan, [&](PipelineCsv b) {
    const PipelineColumns& c = b.table.columns();
    EXPECT_GT(b.table.size(), 0u);
    EXPECT_EQ(c.money_scale, scan->table.columns().money_scale);
    Append(id, c.opportunity);
    Append(created, c.created);
    Append(quote, c.stage_dates[1]);
    Append(lost, c.lost_date);
    Append(region, c.region);
    Append(amount, c.amount);
    absl::StatusOr<FunnelPartial> part = PartialFunnel(b.table, 0, b.table.size(), fo);
    if (!part.ok()) return part.status();
    OffsetFunnelRows(*part, rows_before);
    rows_before += b.table.size();
    if (!total) {
      total.emplace(*std::move(part));
      return absl::OkStatus();
    }
    return MergeFunnel(*total, *part);
  });
  ASSERT_TRUE(st.ok()) << st;
  const PipelineColumns& c = full->table.columns();
  EXPECT_EQ(Vec(c.opportunity), id);
  EXPECT_EQ(Vec(c.created), created);
  EXPECT_EQ(Vec(c.stage_dates[1]), quote);
  EXPECT_EQ(Vec(c.lost_date), lost);
  EXPECT_EQ(Vec(c.region), region);
  EXPECT_EQ(Vec(c.amount), amount);
  EXPECT_EQ(c.money_scale, scan->table.columns().money_scale);
  EXPECT_EQ(full->opportunity_ids_are_codes, scan->opportunity_ids_are_codes);
  EXPECT_EQ(Codes(dicts.regions), Codes(sd.regions));
  EXPECT_EQ(Codes(dicts.opportunities), Codes(sd.opportunities));
  const RejectReport& a = full->report;
  const RejectReport& b = scan->report;
  EXPECT_EQ(a.data_lines, b.data_lines);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.rejected, b.rejected);
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].line, b.rejects[i].line);
    EXPECT_EQ(a.rejects[i].value, b.rejects[i].value);
    EXPECT_EQ(a.rejects[i].reason, b.rejects[i].reason);
  }
  // The funnel of the batches equals the one-pass table's.
  absl::StatusOr<FunnelResult> want = ComputeFunnel(full->table, fo);
  ASSERT_TRUE(want.ok()) << want.status();
  if (!total) {
    EXPECT_EQ(full->table.size(), 0u);
    return;
  }
  absl::StatusOr<FunnelResult> got = FinishFunnel(*std::move(total), fo);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(Csv(ToResultTable(*want)), Csv(ToResultTable(*got)));
  EXPECT_EQ(Csv(ToDetailedResultTable(*want)), Csv(ToDetailedResultTable(*got)));
  EXPECT_EQ(Csv(ProblemsToResultTable(FunnelProblems(*want))),
            Csv(ProblemsToResultTable(FunnelProblems(*got))));
}

TEST(StreamPipeline, RandomFilesAnyBatchSize) {
  int seeds = 60;
  if (const char* env = std::getenv("SALESIGHT_STREAM_SEEDS")) seeds = std::atoi(env);
  for (int seed = 1; seed <= seeds; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed) * 31u);
    const std::string path = testing_util::WriteScratch(RandomPipeline(rng, seed % 3 == 0));
    const std::int64_t chunk = 1 + static_cast<std::int64_t>(rng() % 400);
    ExpectSame(path, chunk, "seed " + std::to_string(seed));
    if (testing::Test::HasFailure()) return;
  }
}

TEST(StreamPipeline, ChunksOfAtLeastOneByte) {
  const std::string path = testing_util::WriteScratch("Opp,Created,Lead,Quote,Won\n1,2024-01-01,2024-01-01,,\n");
  Dictionaries dicts;
  EXPECT_FALSE(ScanPipelineCsv(path, Options(), kStages, dicts, 0).ok());
}

}  // namespace
}  // namespace salesight
