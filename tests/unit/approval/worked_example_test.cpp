// The README's worked example: contract C-2001 through every event kind on
// the seed policy. The log and its audit trail are committed in
// examples/approvals/; this test rebuilds them through the engine and fails
// when they drift (SALESIGHT_REGENERATE=1 rewrites them). The log then
// replays to the same state.
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "approval_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/approval/engine.hpp"
#include "salesight/approval/report.hpp"

namespace salesight::approval {
namespace {

TEST(WorkedExample, EveryEventKindOnOneContract) {
  EngineOptions o;
  o.sla_business_days = 2;
  absl::StatusOr<Engine> engine = Engine::Create(testing_util::SeedPolicy(), testing_util::SeedDirectory(), o);
  ASSERT_TRUE(engine.ok()) << engine.status();
  Instance inst;
  const std::int64_t monday = std::int64_t{DayFromCivil(2026, 1, 5)} * 86400 + 9 * 3600;
  int n = 0;
  std::set<EventKind> kinds;
  auto step = [&](EventKind kind, const char* actor, std::int64_t hours, auto&& fill) {
    Command c;
    c.kind = kind;
    c.instance = "AP-2001";
    c.actor = actor;
    c.at = monday + hours * 3600;
    c.key = "cmd-" + std::to_string(++n);
    c.expected_version = inst.state.version;
    fill(c);
    absl::StatusOr<ApplyResult> r = engine->Apply(inst, c);
    ASSERT_TRUE(r.ok()) << "step " << n << ": " << r.status();
    kinds.insert(kind);
  };
  auto none = [](Command&) {};
  auto contract = [](const char* amount) {
    return [amount](Command& c) {
      c.contract = testing_util::SeedContract(amount);
      c.contract.id = "C-2001";
    };
  };
  step(EventKind::kSubmitted, "rep1", 0, contract("250000"));  // large: director, legal, cfo, gm
  step(EventKind::kCommented, "rep1", 1, [](Command& c) { c.text = "please sign before month end"; });
  step(EventKind::kDelegated, "dir1", 2, [&](Command& c) { c.target = "rep2"; c.until = monday + 48 * 3600; });
  step(EventKind::kApproved, "rep2", 3, [](Command& c) { c.on_behalf_of = "dir1"; });
  step(EventKind::kSignerAdded, "legal1", 4, [](Command& c) {
    c.people = {"fin1"};
    c.position = SignerPosition::kBefore;
    c.signer_kind = NodeKind::kSingle;
    c.text = "check the payment terms first";
  });
  step(EventKind::kApproved, "fin1", 5, none);
  step(EventKind::kTransferred, "legal1", 6, [](Command& c) { c.target = "legal2"; });
  step(EventKind::kReminded, "rep1", 30, none);
  step(EventKind::kEscalated, "system", 72, none);  // Thursday: 3 business days after Monday
  step(EventKind::kApproved, "legal2", 73, none);
  step(EventKind::kReturned, "cfo", 74, [](Command& c) { c.target = "legal"; c.text = "clause 7 changed"; });
  step(EventKind::kApproved, "legal2", 75, none);
  step(EventKind::kRejected, "cfo", 76, [](Command& c) { c.text = "price below the floor"; });
  step(EventKind::kResubmitted, "rep1", 96, contract("180000"));  // crosses a tier: mid
  step(EventKind::kApproved, "fin1", 97, none);
  step(EventKind::kWithdrawn, "rep1", 98, [](Command& c) { c.text = "customer postponed"; });
  EXPECT_EQ(static_cast<int>(kinds.size()), kEventKinds);
  EXPECT_EQ(inst.state.status, Status::kWithdrawn);

  const std::string log = LogToJsonl(inst.log);
  const std::string audit = AuditCsv(inst.log);
  if (std::getenv("SALESIGHT_REGENERATE") != nullptr) {
    std::ofstream(testing_util::ExamplePath("worked_example.jsonl"), std::ios::binary) << log;
    std::ofstream(testing_util::ExamplePath("worked_example_audit.csv"), std::ios::binary) << audit;
  }
  EXPECT_EQ(testing_util::ReadExample("worked_example.jsonl"), log);
  EXPECT_EQ(testing_util::ReadExample("worked_example_audit.csv"), audit);
  absl::StatusOr<Instance> again = engine->Replay(*LogFromJsonl(testing_util::ReadExample("worked_example.jsonl")));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state, inst.state);
}

}  // namespace
}  // namespace salesight::approval
