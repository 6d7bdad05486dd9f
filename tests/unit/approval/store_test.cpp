// InstanceStore: commands to instances by id, one log for all, and what
// waits for a user across instances (sequential nodes, delegations).
#include "salesight/approval/store.hpp"

#include <string>

#include "gtest/gtest.h"
#include "salesight/approval/table_loaders.hpp"

namespace salesight::approval {
namespace {

constexpr const char* kPolicy = R"({"policy": "store", "decision": {"id": "t", "hit_policy": "FIRST",
  "inputs": [{"name": "amount", "type": "number"}], "outputs": [{"name": "chain", "type": "string"}],
  "rules": [{"id": "big", "when": [">= 100"], "then": ["seq"]}, {"id": "small", "when": ["< 100"], "then": ["one"]}]},
  "chains": {"seq": [{"id": "s", "kind": "sequential", "approvers": [{"user": "u1"}, {"user": "u2"}]}],
             "one": [{"id": "o", "approvers": [{"user": "u2"}]}]}})";

Engine MakeEngine() {
  absl::StatusOr<OrgDirectory> dir = OrgDirectory::Build({{"u0", "", "", "", "", {}, {}, true},
                                                          {"u1", "", "u0", "", "", {}, {}, true},
                                                          {"u2", "", "u0", "", "", {}, {}, true},
                                                          {"u3", "", "u0", "", "", {}, {}, true}});
  absl::StatusOr<Policy> p = LoadPolicyJson(kPolicy);
  EXPECT_TRUE(dir.ok() && p.ok());
  absl::StatusOr<Engine> e = Engine::Create(*p, *dir);
  EXPECT_TRUE(e.ok()) << e.status();
  return *std::move(e);
}

Command Cmd(EventKind kind, const char* instance, const char* actor, const char* key) {
  Command c;
  c.kind = kind;
  c.instance = instance;
  c.actor = actor;
  c.key = key;
  return c;
}

Command Submit(const char* instance, std::int64_t units, const char* key) {
  Command c = Cmd(EventKind::kSubmitted, instance, "u0", key);
  c.contract.id = std::string("C-") + instance;
  c.contract.attributes = {{"amount", Value::Number(*NumberFromUnits(units))}};
  return c;
}

std::vector<std::string> Ids(const std::vector<PendingItem>& items) {
  std::vector<std::string> out;
  for (const PendingItem& p : items) out.push_back(p.instance + "/" + p.node + "/" + p.on_behalf_of);
  return out;
}

TEST(InstanceStore, PendingFollowsSequentialOrderAcrossInstances) {
  const Engine engine = MakeEngine();
  InstanceStore store;
  ASSERT_TRUE(store.Apply(engine, Submit("B", 500, "b1")).ok());
  ASSERT_TRUE(store.Apply(engine, Submit("A", 5, "a1")).ok());
  // B waits for u1 first (sequential), A for u2; ids ascending.
  EXPECT_EQ(Ids(store.Pending("u1", 0)), (std::vector<std::string>{"B/s/"}));
  EXPECT_EQ(Ids(store.Pending("u2", 0)), (std::vector<std::string>{"A/o/"}));
  ASSERT_TRUE(store.Apply(engine, Cmd(EventKind::kApproved, "B", "u1", "b2")).ok());
  EXPECT_EQ(Ids(store.Pending("u1", 0)), (std::vector<std::string>{}));
  EXPECT_EQ(Ids(store.Pending("u2", 0)), (std::vector<std::string>{"A/o/", "B/s/"}));
  EXPECT_EQ(store.Pending("u2", 0)[1].version, 2);
  ASSERT_TRUE(store.Apply(engine, Cmd(EventKind::kApproved, "B", "u2", "b3")).ok());
  EXPECT_EQ(Ids(store.Pending("u2", 0)), (std::vector<std::string>{"A/o/"}));  // B is approved
}

TEST(InstanceStore, UnknownInstancesAndRefusedSubmissionsAreNotStored) {
  const Engine engine = MakeEngine();
  InstanceStore store;
  EXPECT_EQ(store.Apply(engine, Cmd(EventKind::kApproved, "X", "u1", "k")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Apply(engine, Cmd(EventKind::kApproved, "", "u1", "k")).status().code(),
            absl::StatusCode::kInvalidArgument);
  Command no_amount = Cmd(EventKind::kSubmitted, "X", "u0", "k");  // no rule matches a null amount
  EXPECT_FALSE(store.Apply(engine, no_amount).ok());
  EXPECT_EQ(store.size(), 0u);
  ASSERT_TRUE(store.Apply(engine, Submit("X", 5, "k")).ok());
  absl::StatusOr<ApplyResult> retry = store.Apply(engine, Submit("X", 5, "k"));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(store.size(), 1u);
}

TEST(InstanceStore, DelegatesSeeWhatWaitsForTheirPrincipalWhileCovered) {
  const Engine engine = MakeEngine();
  InstanceStore store;
  ASSERT_TRUE(store.Apply(engine, Submit("A", 5, "a1")).ok());
  Command d = Cmd(EventKind::kDelegated, "A", "u2", "a2");
  d.target = "u3";
  d.at = 100;
  d.until = 200;
  ASSERT_TRUE(store.Apply(engine, d).ok());
  EXPECT_EQ(Ids(store.Pending("u3", 99)), (std::vector<std::string>{}));
  EXPECT_EQ(Ids(store.Pending("u3", 100)), (std::vector<std::string>{"A/o/u2"}));
  EXPECT_EQ(Ids(store.Pending("u3", 200)), (std::vector<std::string>{}));
  EXPECT_EQ(Ids(store.Pending("u2", 150)), (std::vector<std::string>{"A/o/"}));
  // What it lists, the delegate may do.
  Command act = Cmd(EventKind::kApproved, "A", "u3", "a3");
  act.on_behalf_of = "u2";
  act.at = 150;
  EXPECT_TRUE(store.Apply(engine, act).ok());
}

TEST(InstanceStore, OneLogReplaysToTheSameStore) {
  const Engine engine = MakeEngine();
  InstanceStore store;
  ASSERT_TRUE(store.Apply(engine, Submit("B", 500, "b1")).ok());
  ASSERT_TRUE(store.Apply(engine, Submit("A", 5, "a1")).ok());
  ASSERT_TRUE(store.Apply(engine, Cmd(EventKind::kApproved, "B", "u1", "b2")).ok());
  absl::StatusOr<InstanceStore> again = InstanceStore::Replay(engine, store.Log());
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), 2u);
  for (const char* id : {"A", "B"}) EXPECT_EQ(again->Find(id)->state, store.Find(id)->state) << id;
  EXPECT_EQ(again->Pending("u2", 0), store.Pending("u2", 0));
  std::vector<Event> log = store.Log();
  log[1].actor = "u3";
  EXPECT_EQ(InstanceStore::Replay(engine, log).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace salesight::approval
