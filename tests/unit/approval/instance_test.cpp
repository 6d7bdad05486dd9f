// Every event kind on the seed policy, worked by hand: who may act, what the
// state becomes, which actions are emitted; idempotent retries, the version
// conflict, tamper detection and exactly-once actions across a replay.
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "approval_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/approval/engine.hpp"

namespace salesight::approval {
namespace {

using testing_util::SeedContract;

// 2026-01-05 is a Monday.
const std::int64_t kMonday = std::int64_t{DayFromCivil(2026, 1, 5)} * 86400 + 9 * 3600;
constexpr std::int64_t kDay = 86400;

struct Harness {
  explicit Harness(Policy p = testing_util::SeedPolicy()) {
    EngineOptions o;
    o.sla_business_days = 2;
    absl::StatusOr<Engine> e = Engine::Create(std::move(p), testing_util::SeedDirectory(), o);
    EXPECT_TRUE(e.ok()) << e.status();
    engine.emplace(*std::move(e));
  }
  absl::StatusOr<ApplyResult> Do(EventKind kind, const std::string& actor, std::int64_t at = kMonday,
                                 Command extra = {}) {
    Command c = std::move(extra);
    c.kind = kind;
    c.actor = actor;
    c.at = at;
    c.instance = "I-1";
    if (c.key.empty()) c.key = "k" + std::to_string(++keys);
    return engine->Apply(inst, c);
  }
  absl::StatusOr<ApplyResult> Submit(const char* amount, const std::string& who = "rep1") {
    Command c;
    c.contract = SeedContract(amount, who.c_str());
    return Do(EventKind::kSubmitted, who, kMonday, c);
  }
  std::string Current() const {
    const InstanceState& s = inst.state;
    return s.current < s.nodes.size() ? s.nodes[s.current].node.id : "(done)";
  }
  std::optional<Engine> engine;
  Instance inst;
  int keys = 0;
};

std::vector<std::string> Names(const std::vector<Action>& as) {
  std::vector<std::string> out;
  for (const Action& a : as) {
    out.push_back(std::string(ActionKindName(a.kind)) + ":" + (a.name.empty() ? a.value : a.name) +
                  (a.to.empty() ? "" : "->" + a.to));
  }
  return out;
}
using V = std::vector<std::string>;

void ExpectRefused(const absl::StatusOr<ApplyResult>& r, const std::string& why) {
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_NE(std::string(r.status().message()).find(why), std::string::npos) << r.status();
}

TEST(Instance, SmallContractOneApprovalAndTheFollowUps) {
  Harness h;
  ASSERT_TRUE(h.Submit("49999.99").ok());
  EXPECT_EQ(h.inst.state.status, Status::kPending);
  EXPECT_EQ(Engine::PendingApprovers(h.inst.state), V{"dir1"});
  ExpectRefused(h.Do(EventKind::kApproved, "fin1"), "'fin1' is not an approver of node 'director'");
  absl::StatusOr<ApplyResult> r = h.Do(EventKind::kApproved, "dir1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(h.inst.state.status, Status::kApproved);
  EXPECT_EQ(Names(r->actions), (V{"set_status:approved", "task:schedule delivery", "task:issue invoice",
                                  "notify:contract approved->rep1"}));
  ExpectRefused(h.Do(EventKind::kApproved, "dir1"), "the instance is approved");
}

TEST(Instance, CountersignNeedsBoth) {
  Harness h;
  ASSERT_TRUE(h.Submit("50000.00").ok());
  EXPECT_EQ(Engine::PendingApprovers(h.inst.state), (V{"dir1", "fin1"}));
  ASSERT_TRUE(h.Do(EventKind::kApproved, "fin1").ok());
  EXPECT_EQ(h.inst.state.status, Status::kPending);
  ExpectRefused(h.Do(EventKind::kApproved, "fin1"), "'fin1' has already approved node 'countersign'");
  absl::StatusOr<ApplyResult> r = h.Do(EventKind::kApproved, "dir1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(h.inst.state.status, Status::kApproved);
  EXPECT_EQ(Names(r->actions)[0], "notify:countersigned->rep1");  // node_completed first
  EXPECT_EQ(r->actions.size(), 5u);
}

TEST(Instance, LargeGoesInTurnAndReturnGoesBack) {
  Harness h;
  ASSERT_TRUE(h.Submit("200000.01").ok());
  ExpectRefused(h.Do(EventKind::kApproved, "legal1"), "'legal1' is not an approver of node 'director'");
  ASSERT_TRUE(h.Do(EventKind::kApproved, "dir1").ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "legal1").ok());
  EXPECT_EQ(h.Current(), "cfo");
  Command to_legal;
  to_legal.target = "legal";
  ASSERT_TRUE(h.Do(EventKind::kReturned, "cfo", kMonday, to_legal).ok());
  EXPECT_EQ(h.Current(), "legal");
  EXPECT_TRUE(h.inst.state.nodes[0].complete);  // the director's approval stands
  EXPECT_TRUE(h.inst.state.nodes[1].approved_by.empty());
  Command to_gm;
  to_gm.target = "gm";
  ExpectRefused(h.Do(EventKind::kReturned, "legal1", kMonday, to_gm), "'gm' is not a node before 'legal'");
  for (const char* who : {"legal1", "cfo", "gm"}) ASSERT_TRUE(h.Do(EventKind::kApproved, who).ok()) << who;
  EXPECT_EQ(h.inst.state.status, Status::kApproved);
}

TEST(Instance, RejectCanEndTheInstance) {
  Policy end = testing_util::SeedPolicy();
  end.settings.reject = RejectMode::kEnd;
  Harness h(end);
  ASSERT_TRUE(h.Submit("100").ok());
  Command why;
  why.text = "price too low";
  absl::StatusOr<ApplyResult> r = h.Do(EventKind::kRejected, "dir1", kMonday, why);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(h.inst.state.status, Status::kRejected);
  EXPECT_EQ(Names(r->actions), (V{"set_status:rejected", "notify:contract rejected->rep1"}));
  ExpectRefused(h.Do(EventKind::kResubmitted, "rep1"), "the instance is rejected, not returned");
}

TEST(Instance, RejectToTheInitiatorThenResubmitReroutes) {
  Harness h;  // the seed policy sends a rejection back to the initiator
  ASSERT_TRUE(h.Submit("150000").ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "fin1").ok());
  ASSERT_TRUE(h.Do(EventKind::kRejected, "dir1").ok());
  EXPECT_EQ(h.inst.state.status, Status::kReturned);
  ExpectRefused(h.Do(EventKind::kResubmitted, "rep2"), "only the initiator resubmits");
  // Same chain: fin1's approval is not kept because the node was not complete.
  Command same;
  same.contract = SeedContract("160000");
  ASSERT_TRUE(h.Do(EventKind::kResubmitted, "rep1", kMonday, same).ok());
  EXPECT_EQ(h.inst.state.chains, V{"mid"});
  EXPECT_TRUE(h.inst.state.nodes[0].approved_by.empty());
  ASSERT_TRUE(h.Do(EventKind::kRejected, "dir1").ok());
  // Crossing a tier: the new chain.
  Command bigger;
  bigger.contract = SeedContract("250000");
  ASSERT_TRUE(h.Do(EventKind::kResubmitted, "rep1", kMonday, bigger).ok());
  EXPECT_EQ(h.inst.state.chains, V{"large"});
  EXPECT_EQ(h.inst.state.nodes.size(), 4u);
}

TEST(Instance, ResubmitKeepsCompletedNodesOfTheSameChain) {
  Harness h;
  ASSERT_TRUE(h.Submit("300000").ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "dir1").ok());
  ASSERT_TRUE(h.Do(EventKind::kRejected, "legal1").ok());
  Command again;
  again.contract = SeedContract("310000");
  ASSERT_TRUE(h.Do(EventKind::kResubmitted, "rep1", kMonday, again).ok());
  EXPECT_EQ(h.Current(), "legal");  // keep_approvals_on_resubmit: same_chain
}

TEST(Instance, WithdrawOnlyByTheInitiator) {
  Harness h;
  ASSERT_TRUE(h.Submit("100").ok());
  ExpectRefused(h.Do(EventKind::kWithdrawn, "dir1"), "only the initiator withdraws");
  ASSERT_TRUE(h.Do(EventKind::kWithdrawn, "rep1").ok());
  EXPECT_EQ(h.inst.state.status, Status::kWithdrawn);
  ExpectRefused(h.Do(EventKind::kCommented, "rep1"), "an empty comment");
}

TEST(Instance, TransferHandsTheNodeOver) {
  Harness h;
  ASSERT_TRUE(h.Submit("300000").ok());
  Command to;
  to.target = "rep1";
  ExpectRefused(h.Do(EventKind::kTransferred, "dir1", kMonday, to), "'rep1' is the initiator");
  to.target = "nobody";
  ExpectRefused(h.Do(EventKind::kTransferred, "dir1", kMonday, to), "'nobody' is not an active person");
  to.target = "rep2";
  ASSERT_TRUE(h.Do(EventKind::kTransferred, "dir1", kMonday, to).ok());
  ExpectRefused(h.Do(EventKind::kApproved, "dir1"), "'dir1' is not an approver");
  ASSERT_TRUE(h.Do(EventKind::kApproved, "rep2").ok());
  EXPECT_EQ(h.Current(), "legal");
}

TEST(Instance, AddSignerBeforeAfterAndInParallel) {
  Harness h;
  ASSERT_TRUE(h.Submit("300000").ok());
  Command add;
  add.people = {"rep2"};
  add.position = SignerPosition::kBefore;
  add.signer_kind = NodeKind::kSingle;
  ASSERT_TRUE(h.Do(EventKind::kSignerAdded, "dir1", kMonday, add).ok());
  EXPECT_EQ(h.Current(), "director+before2");
  ASSERT_TRUE(h.Do(EventKind::kApproved, "rep2").ok());
  EXPECT_EQ(h.Current(), "director");
  add.people = {"fin1", "cfo"};
  add.position = SignerPosition::kAfter;
  add.signer_kind = NodeKind::kSequential;
  ASSERT_TRUE(h.Do(EventKind::kSignerAdded, "dir1", kMonday, add).ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "dir1").ok());
  EXPECT_EQ(h.Current(), "director+after4");
  ExpectRefused(h.Do(EventKind::kApproved, "cfo"), "is sequential and 'fin1' is next");
  ASSERT_TRUE(h.Do(EventKind::kApproved, "fin1").ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "cfo").ok());
  EXPECT_EQ(h.Current(), "legal");
  add.people = {"gm"};
  add.position = SignerPosition::kParallel;
  ASSERT_TRUE(h.Do(EventKind::kSignerAdded, "legal1", kMonday, add).ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "legal1").ok());
  EXPECT_EQ(h.Current(), "legal");  // gm must approve too
  ASSERT_TRUE(h.Do(EventKind::kApproved, "gm").ok());
  // cfo approved the added node just before legal, not legal itself: cfo acts again.
  EXPECT_EQ(h.Current(), "cfo");
  ASSERT_TRUE(h.Do(EventKind::kApproved, "cfo").ok());
  // gm approved legal, but cfo came between: not consecutive, gm acts again.
  EXPECT_EQ(h.Current(), "gm");
}

TEST(Instance, DelegationIsTimeBoundedAndAudited) {
  Harness h;
  ASSERT_TRUE(h.Submit("100").ok());
  Command d;
  d.target = "rep2";
  d.until = kMonday + kDay;
  ASSERT_TRUE(h.Do(EventKind::kDelegated, "dir1", kMonday, d).ok());
  Command behalf;
  behalf.on_behalf_of = "dir1";
  ExpectRefused(h.Do(EventKind::kApproved, "rep2", kMonday + kDay, behalf), "holds no delegation from 'dir1'");
  absl::StatusOr<ApplyResult> r = h.Do(EventKind::kApproved, "rep2", kMonday + 3600, behalf);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->events[0].actor, "rep2");
  EXPECT_EQ(r->events[0].on_behalf_of, "dir1");
  EXPECT_EQ(h.inst.state.nodes[0].approved_by, V{"dir1"});
  EXPECT_EQ(h.inst.state.status, Status::kApproved);
}

TEST(Instance, CommentRemindAndSlaEscalation) {
  Harness h;
  // Entered on a Friday: Monday is 1 business day later, Tuesday 2.
  const std::int64_t friday = kMonday + 4 * kDay;
  Command c;
  c.contract = SeedContract("100");
  ASSERT_TRUE(h.Do(EventKind::kSubmitted, "rep1", friday, c).ok());
  Command note;
  note.text = "urgent";
  ASSERT_TRUE(h.Do(EventKind::kCommented, "rep1", friday, note).ok());
  absl::StatusOr<ApplyResult> r = h.Do(EventKind::kReminded, "rep1", friday);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(r->actions), V{"notify:reminder->dir1"});
  ExpectRefused(h.Do(EventKind::kEscalated, "system", friday + 3 * kDay), "1 business day(s) old, the SLA is 2");
  r = h.Do(EventKind::kEscalated, "system", friday + 4 * kDay);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Names(r->actions), V{"notify:approval overdue->dir1"});
  ExpectRefused(h.Do(EventKind::kEscalated, "system", friday + 5 * kDay), "was already escalated");
  EXPECT_EQ(BusinessDaysBetween(DayFromCivil(2026, 1, 9), DayFromCivil(2026, 1, 13), {}), 2);
  EXPECT_EQ(BusinessDaysBetween(DayFromCivil(2026, 1, 9), DayFromCivil(2026, 1, 13), {DayFromCivil(2026, 1, 12)}), 1);
}

TEST(Instance, InitiatorDirectorEscalatesAndDedupeApprovesOnce) {
  Harness h;
  ASSERT_TRUE(h.Submit("300000", "dir1").ok());
  EXPECT_EQ(h.inst.state.nodes[0].node.approvers, V{"gm"});  // escalated: dir1 is the initiator
  ASSERT_TRUE(h.Do(EventKind::kApproved, "gm").ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "legal1").ok());
  ASSERT_TRUE(h.Do(EventKind::kApproved, "cfo").ok());
  EXPECT_EQ(h.Current(), "gm");  // not consecutive with gm's first approval
  ASSERT_TRUE(h.Do(EventKind::kApproved, "gm").ok());
  EXPECT_EQ(h.inst.state.status, Status::kApproved);
}

TEST(Instance, IdempotentRetryAndVersionConflict) {
  Harness h;
  ASSERT_TRUE(h.Submit("60000").ok());
  Command a;
  a.key = "fin1-approve";
  a.expected_version = 1;
  absl::StatusOr<ApplyResult> first = h.Do(EventKind::kApproved, "fin1", kMonday, a);
  ASSERT_TRUE(first.ok());
  absl::StatusOr<ApplyResult> retry = h.Do(EventKind::kApproved, "fin1", kMonday, a);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->events, first->events);
  EXPECT_TRUE(retry->actions.empty());
  EXPECT_EQ(h.inst.state.version, 2);
  // dir1 saw version 1 too: the race is lost with a conflict, nothing applied.
  Command b;
  b.expected_version = 1;
  absl::StatusOr<ApplyResult> late = h.Do(EventKind::kApproved, "dir1", kMonday, b);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(h.inst.state.version, 2);
  EXPECT_FALSE(h.engine->Apply(h.inst, Command{}).ok());  // no key
}

TEST(Instance, ReplayEqualsLiveAndTamperingIsDetected) {
  Harness h;
  ASSERT_TRUE(h.Submit("200000.01").ok());
  for (const char* who : {"dir1", "legal1", "cfo", "gm"}) ASSERT_TRUE(h.Do(EventKind::kApproved, who).ok());
  const std::string jsonl = LogToJsonl(h.inst.log);
  absl::StatusOr<std::vector<Event>> log = LogFromJsonl(jsonl);
  ASSERT_TRUE(log.ok()) << log.status();
  absl::StatusOr<Instance> replayed = h.engine->Replay(*log);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->state, h.inst.state);  // the same actions, with the same ids
  // An edit to a past event: the approver of event 3 changed.
  const std::string edited = absl::StrReplaceAll(jsonl, {{"\"actor\":\"legal1\"", "\"actor\":\"gm\""}});
  ASSERT_NE(edited, jsonl);
  absl::StatusOr<Instance> bad = h.engine->Replay(*LogFromJsonl(edited));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(std::string(bad.status().message()).find("event #3 (version 3): its hash does not match"),
            std::string::npos)
      << bad.status();
  // A deleted event.
  std::vector<Event> cut = *log;
  cut.erase(cut.begin() + 2);
  bad = h.engine->Replay(cut);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("prev_hash does not match"), std::string::npos);
  // Edited and re-hashed (a forger who knows SHA-256) but invalid in its state: still refused.
  std::vector<Event> forged = *log;
  forged[1].actor = "rep2";
  for (std::size_t i = 1; i < forged.size(); ++i) {
    forged[i].prev_hash = forged[i - 1].hash;
    forged[i].hash = HashEvent(forged[i]);
  }
  EXPECT_FALSE(h.engine->Replay(forged).ok());
}

TEST(Instance, EngineRefusesAPolicyWithFindingsUnlessAllowed) {
  Policy p = testing_util::SeedPolicy();
  p.decision.rules.pop_back();  // no rule for > 200000: a gap
  absl::StatusOr<Engine> e = Engine::Create(p, testing_util::SeedDirectory());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(std::string(e.status().message()).find("gap: amount > 200000: matches no rule"), std::string::npos)
      << e.status();
  EngineOptions o;
  o.allow_findings = true;
  EXPECT_TRUE(Engine::Create(p, testing_util::SeedDirectory(), o).ok());
}

TEST(Instance, EventCodecRoundTripsAndRefusesBadLines) {
  Harness h;
  ASSERT_TRUE(h.Submit("60000").ok());
  const Event& e = h.inst.log[0];
  absl::StatusOr<Event> back = DecodeEvent(EncodeEvent(e));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, e);
  EXPECT_FALSE(DecodeEvent("{\"kind\": \"approved\", \"version\": \"2\"}").ok());
  EXPECT_FALSE(DecodeEvent("{\"kind\": \"sung\"}").ok());
  EXPECT_FALSE(DecodeEvent("[[[[[[[[[[[[]]]]]]]]]]]]").ok());
  absl::StatusOr<std::vector<Event>> bad = LogFromJsonl("\n{}\nnot json\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("log line 2"), std::string::npos) << bad.status();
}

}  // namespace
}  // namespace salesight::approval

namespace salesight::approval {
namespace {

TEST(Instance, TextThatIsNotUtf8IsRefusedSoTheLogStaysReadable) {
  Harness h;
  ASSERT_TRUE(h.Submit("100").ok());
  for (const char* bad : {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"}) {
    Command c;
    c.text = bad;
    ExpectRefused(h.Do(EventKind::kCommented, "rep1", kMonday, c), "not valid UTF-8");
  }
  Command ok;
  ok.text = "审批通过 ✓ 𝄞";
  ASSERT_TRUE(h.Do(EventKind::kCommented, "rep1", kMonday, ok).ok());
  absl::StatusOr<std::vector<Event>> back = LogFromJsonl(LogToJsonl(h.inst.log));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->back().text, ok.text);
}

}  // namespace
}  // namespace salesight::approval
