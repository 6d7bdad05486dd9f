// PipelineFromStageLog: first/latest entries, skipped stages, lost and
// reopened deals, unknown stage codes.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {

constexpr Day B = 19723;  // 2024-01-01
constexpr Day N = kNoDate;

struct LogRow {
  std::int64_t opp;
  std::string stage;
  Day entered;
};

StageLogColumns MakeLog(const std::vector<LogRow>& rows) {
  auto dict = std::make_shared<Dictionary>();
  std::vector<std::int64_t> opp;
  std::vector<Id> stage;
  std::vector<Day> entered;
  for (const LogRow& r : rows) {
    opp.push_back(r.opp);
    stage.push_back(*dict->Intern(r.stage));
    entered.push_back(r.entered);
  }
  StageLogColumns log;
  log.opportunity = Column<std::int64_t>::Own(opp);
  log.stage = Column<Id>::Own(stage);
  log.entered = Column<Day>::Own(entered);
  log.stage_codes = dict;
  return log;
}

std::vector<Day> Col(const StageLogConversion& c, std::size_t stage) {
  return std::vector<Day>(c.columns.stage_dates[stage].begin(), c.columns.stage_dates[stage].end());
}

// Opp 20: lead B, quote B+5 (skips opportunity), quote again B+9, contract B+12.
// Opp 10: lead B+1, opportunity B+2, lost B+8, then reopened: quote B+10.
// Opp 30: lead B+3, lost B+4; a "negotiation" row (not a funnel stage).
std::vector<LogRow> Rows() {
  return {{20, "lead", B},
          {20, "quote", B + 9},
          {10, "lead", B + 1},
          {20, "quote", B + 5},
          {10, "opportunity", B + 2},
          {10, "lost", B + 8},
          {30, "lead", B + 3},
          {20, "contract", B + 12},
          {10, "quote", B + 10},
          {30, "negotiation", B + 2},
          {30, "lost", B + 4}};
}

TEST(StageLog, FirstEntryWithImpliedStages) {
  auto conv = PipelineFromStageLog(MakeLog(Rows()));
  ASSERT_TRUE(conv.ok()) << conv.status();
  const PipelineColumns& c = conv->columns;
  ASSERT_EQ(c.opportunity.size(), 3u);
  EXPECT_EQ(c.opportunity[0], 10);  // ascending by opportunity
  EXPECT_EQ(c.opportunity[1], 20);
  EXPECT_EQ(c.opportunity[2], 30);
  // lead, opportunity, quote, contract, won, paid
  EXPECT_EQ(Col(*conv, 0), (std::vector<Day>{B + 1, B, B + 3}));
  // Opp 20 never entered "opportunity": implied, dated like its next entered
  // stage (quote, first entry B+5).
  EXPECT_EQ(Col(*conv, 1), (std::vector<Day>{B + 2, B + 5, N}));
  EXPECT_EQ(Col(*conv, 2), (std::vector<Day>{B + 10, B + 5, N}));
  EXPECT_EQ(Col(*conv, 3), (std::vector<Day>{N, B + 12, N}));
  EXPECT_EQ(Col(*conv, 4), (std::vector<Day>{N, N, N}));
  // created = earliest entry; opp 30's "negotiation" row is ignored.
  EXPECT_EQ(std::vector<Day>(c.created.begin(), c.created.end()),
            (std::vector<Day>{B + 1, B, B + 3}));
  // Opp 10 was lost on B+8 but entered quote later: reopened, not lost.
  ASSERT_EQ(c.lost_date.size(), 3u);
  EXPECT_EQ(std::vector<Day>(c.lost_date.begin(), c.lost_date.end()),
            (std::vector<Day>{N, N, B + 4}));
  EXPECT_EQ(conv->reopened, 1);
  EXPECT_EQ(conv->re_entries, 1);      // opp 20's second quote
  EXPECT_EQ(conv->implied_stages, 1);  // opp 20's opportunity stage
  EXPECT_EQ(conv->ignored_rows, 1);
  EXPECT_EQ(conv->rows_used, 10);
  // The columns build a Pipeline.
  EXPECT_TRUE(Pipeline::Build(conv->columns).ok());
}

TEST(StageLog, LatestEntryNoImplied) {
  StageLogOptions o;
  o.entry = StageEntry::kLatest;
  o.mark_skipped_reached = false;
  auto conv = PipelineFromStageLog(MakeLog(Rows()), o);
  ASSERT_TRUE(conv.ok()) << conv.status();
  EXPECT_EQ(Col(*conv, 1), (std::vector<Day>{B + 2, N, N}));
  EXPECT_EQ(Col(*conv, 2), (std::vector<Day>{B + 10, B + 9, N}));
  EXPECT_EQ(conv->implied_stages, 0);
}

TEST(StageLog, CustomStagesAndErrors) {
  StageLogOptions o;
  o.stages = {"lead", "quote"};
  o.lost_stage = "";
  o.unknown_stage = UnknownStage::kError;
  auto conv = PipelineFromStageLog(MakeLog({{1, "lead", B}, {1, "quote", B + 1}}), o);
  ASSERT_TRUE(conv.ok()) << conv.status();
  EXPECT_TRUE(conv->columns.lost_date.empty());  // no lost stage -> no column
  auto bad = PipelineFromStageLog(MakeLog({{1, "lead", B}, {7, "demo", B + 1}}), o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("row 1"), std::string::npos) << bad.status();
  EXPECT_NE(bad.status().message().find("demo"), std::string::npos);
  auto missing = PipelineFromStageLog(MakeLog({{1, "lead", N}}), o);
  EXPECT_FALSE(missing.ok());
  StageLogColumns no_dict = MakeLog({{1, "lead", B}});
  no_dict.stage_codes = nullptr;
  EXPECT_FALSE(PipelineFromStageLog(no_dict).ok());
  StageLogOptions dup;
  dup.stages = {"lead", "lead"};
  EXPECT_FALSE(PipelineFromStageLog(MakeLog({{1, "lead", B}}), dup).ok());
}

TEST(StageLog, FeedsTheFunnel) {
  auto conv = PipelineFromStageLog(MakeLog(Rows()));
  ASSERT_TRUE(conv.ok());
  auto p = Pipeline::Build(conv->columns);
  ASSERT_TRUE(p.ok()) << p.status();
  FunnelOptions o;
  o.implied_reached = false;  // the log conversion already implied the skipped stage
  auto r = ComputeFunnel(*p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->overall.stages[0].count, 3);
  EXPECT_EQ(r->overall.stages[1].count, 2);
  EXPECT_EQ(r->overall.stages[2].count, 2);
  EXPECT_EQ(r->overall.stages[3].count, 1);
  EXPECT_EQ(r->overall.lost, 1);
  // opportunity -> quote: opp 10 8 days, opp 20 0 days (implied date) -> median 4.
  EXPECT_DOUBLE_EQ(*r->overall.stages[2].days.median, 4.0);
}

}  // namespace
}  // namespace salesight

namespace salesight {
namespace {

// Text opportunity ids: the error names the id as given (not its internal id)
// and the converted pipeline carries the codes.
TEST(StageLog, TextOpportunityIdsAreNamedAsGiven) {
  auto ids = std::make_shared<Dictionary>();
  const std::int64_t a = *ids->Intern("a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b");
  const std::int64_t b = *ids->Intern("b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1");
  StageLogColumns log = MakeLog({{a, "lead", B}, {b, "lead", B + 1}, {b, "qualify", B + 2}});
  log.opportunity_codes = ids;
  StageLogOptions o;
  o.unknown_stage = UnknownStage::kError;
  absl::StatusOr<StageLogConversion> bad = PipelineFromStageLog(log, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("opportunity 'b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1'"),
            std::string::npos)
      << bad.status();
  EXPECT_EQ(bad.status().message().find("opportunity 1"), std::string::npos);
  o.unknown_stage = UnknownStage::kIgnore;
  absl::StatusOr<StageLogConversion> ok = PipelineFromStageLog(log, o);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->columns.opportunities, ids);
  EXPECT_TRUE(Pipeline::Build(ok->columns).ok());
}

}  // namespace
}  // namespace salesight
