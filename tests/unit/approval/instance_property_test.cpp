// Random command sequences against the seed policy (both reject modes):
// 100,000 sequences, each checked for the invariants of issue 17:
//   - an approved instance has every node satisfied (approvals >= required,
//     by distinct approvers of that node);
//   - no approver acts twice on one node within one activation;
//   - no action id is emitted twice (retries included);
//   - replaying the log gives the live state (through JSONL for a sample).
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "approval_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/approval/engine.hpp"

namespace salesight::approval {
namespace {

// 100,000 in the README's test command; a sanitizer run may ask for fewer
// (SALESIGHT_APPROVAL_SEQUENCES, set by .ci/run's ASan stage: every check runs,
// on fewer seeds, because ASan makes each ~10x slower).
int Sequences() {
  const char* env = std::getenv("SALESIGHT_APPROVAL_SEQUENCES");
  const int n = env != nullptr ? std::atoi(env) : 0;
  return n > 0 ? n : 100000;
}

const std::vector<std::string>& People() {
  static const std::vector<std::string> p{"gm", "cfo", "fin1", "legal1", "dir1", "rep1", "rep2", "ghost"};
  return p;
}

constexpr EventKind kKinds[] = {
    EventKind::kApproved,    EventKind::kApproved,  EventKind::kApproved,    EventKind::kApproved,
    EventKind::kRejected,    EventKind::kReturned,  EventKind::kResubmitted, EventKind::kWithdrawn,
    EventKind::kTransferred, EventKind::kSignerAdded, EventKind::kDelegated, EventKind::kCommented,
    EventKind::kReminded,    EventKind::kEscalated, EventKind::kSubmitted};

const char* kAmounts[] = {"10", "49999.99", "50000", "200000", "200000.01", "900000"};

void CheckState(const InstanceState& s, std::uint64_t seed) {
  for (const NodeState& n : s.nodes) {
    std::set<std::string> distinct(n.approved_by.begin(), n.approved_by.end());
    ASSERT_EQ(distinct.size(), n.approved_by.size()) << "seed " << seed << ": someone approved node " << n.node.id
                                                     << " twice";
    for (const std::string& a : n.approved_by) {
      ASSERT_NE(std::find(n.node.approvers.begin(), n.node.approvers.end(), a), n.node.approvers.end())
          << "seed " << seed << ": " << a << " approved " << n.node.id << " without being an approver";
    }
  }
  if (s.status == Status::kApproved) {
    for (const NodeState& n : s.nodes) {
      ASSERT_TRUE(n.complete && static_cast<int>(n.approved_by.size()) >= n.node.required)
          << "seed " << seed << ": approved with node " << n.node.id << " unsatisfied";
    }
  }
}

TEST(InstanceProperty, RandomSequencesKeepTheInvariants) {
  std::vector<Engine> engines;
  for (RejectMode mode : {RejectMode::kEnd, RejectMode::kToInitiator}) {
    Policy p = testing_util::SeedPolicy();
    p.settings.reject = mode;
    EngineOptions o;
    o.sla_business_days = 1;
    engines.push_back(*Engine::Create(p, testing_util::SeedDirectory(), o));
  }
  std::int64_t accepted = 0, refused = 0, approved = 0;
  const int sequences = Sequences();
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(sequences); ++seed) {
    std::mt19937_64 rng(seed);
    const Engine& engine = engines[seed % 2];
    Instance inst;
    std::set<std::string> action_ids;
    std::vector<std::string> keys;
    std::int64_t at = 1'767'600'000;  // 2026-01-05
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    const int steps = 4 + static_cast<int>(rng() % 14);
    for (int step = 0; step < steps; ++step) {
      Command c;
      c.instance = "I";
      c.kind = step == 0 ? EventKind::kSubmitted : kKinds[rng() % std::size(kKinds)];
      at += static_cast<std::int64_t>(rng() % 200000);
      c.at = at;
      const std::vector<std::string> pending = Engine::PendingApprovers(inst.state);
      // Mostly someone who may act, sometimes anyone.
      c.actor = (!pending.empty() && rng() % 4 != 0) ? pick(pending) : pick(People());
      if (c.kind == EventKind::kSubmitted || c.kind == EventKind::kResubmitted || c.kind == EventKind::kWithdrawn) {
        c.actor = (rng() % 5 != 0) ? "rep1" : pick(People());
        c.contract = testing_util::SeedContract(kAmounts[rng() % std::size(kAmounts)], c.actor.c_str());
      }
      if (rng() % 8 == 0 && !inst.state.nodes.empty()) c.node = inst.state.nodes[rng() % inst.state.nodes.size()].node.id;
      if (c.kind == EventKind::kReturned && !inst.state.nodes.empty()) {
        c.target = inst.state.nodes[rng() % inst.state.nodes.size()].node.id;
      } else if (c.kind == EventKind::kTransferred || c.kind == EventKind::kDelegated) {
        c.target = pick(People());
        c.until = at + static_cast<std::int64_t>(rng() % 400000);
      }
      if (c.kind == EventKind::kSignerAdded) {
        c.people = {pick(People())};
        if (rng() % 2) c.people.push_back(pick(People()));
        c.position = static_cast<SignerPosition>(rng() % 3);
        c.signer_kind = static_cast<NodeKind>(rng() % 4);
      }
      if (c.kind == EventKind::kApproved && rng() % 6 == 0 && !inst.state.delegations.empty()) {
        const Delegation& d = inst.state.delegations[rng() % inst.state.delegations.size()];
        c.actor = d.delegate;
        c.on_behalf_of = d.principal;
      }
      if (c.kind == EventKind::kCommented) c.text = "note";
      c.expected_version = rng() % 10 == 0 ? inst.state.version - 1 : inst.state.version;
      if (!keys.empty() && rng() % 10 == 0) {
        c.key = pick(keys);  // a retry (possibly of a different command: the key wins)
      } else {
        c.key = "k" + std::to_string(step);
        keys.push_back(c.key);
      }
      const InstanceState before = inst.state;
      absl::StatusOr<ApplyResult> r = engine.Apply(inst, c);
      if (!r.ok()) {
        ++refused;
        ASSERT_EQ(inst.state, before) << "seed " << seed << ": a refused command changed the state";
        continue;
      }
      if (r->duplicate) {
        ASSERT_TRUE(r->actions.empty());
        ASSERT_EQ(inst.state, before) << "seed " << seed;
        continue;
      }
      ++accepted;
      const Event& e = r->events.front();
      if (e.kind == EventKind::kApproved) {
        const std::string who = EffectiveActor(before, e);
        const NodeState& n = before.nodes[before.current];
        ASSERT_EQ(std::find(n.approved_by.begin(), n.approved_by.end(), who), n.approved_by.end())
            << "seed " << seed << ": " << who << " acted twice on " << n.node.id;
      }
      for (const Action& a : r->actions) {
        ASSERT_TRUE(action_ids.insert(a.id).second) << "seed " << seed << ": action " << a.id << " emitted twice";
      }
      CheckState(inst.state, seed);
    }
    approved += inst.state.status == Status::kApproved;
    absl::StatusOr<Instance> replayed =
        seed % 100 == 0 ? engine.Replay(*LogFromJsonl(LogToJsonl(inst.log))) : engine.Replay(inst.log);
    ASSERT_TRUE(replayed.ok()) << "seed " << seed << ": " << replayed.status();
    ASSERT_EQ(replayed->state, inst.state) << "seed " << seed << ": replay differs from the live state";
  }
  // The generator reaches the interesting states, not only refusals.
  EXPECT_GT(accepted, sequences * 2);
  EXPECT_GT(refused, sequences);
  EXPECT_GT(approved, sequences / 20);
  std::cout << "accepted " << accepted << ", refused " << refused << ", approved " << approved << "\n";
}

}  // namespace
}  // namespace salesight::approval
