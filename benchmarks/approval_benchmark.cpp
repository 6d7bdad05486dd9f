// The approval engine against issue 17's targets: routing (>= 1e6
// contracts/s per core, 100-rule table), applying an event (<= 2 us),
// replaying 1e6 events (<= 300 ms), loading and checking a 1000-rule table
// (<= 50 ms).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "salesight/approval/engine.hpp"
#include "salesight/approval/table_check.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace ap = salesight::approval;

namespace {

// A FIRST table of `rules` amount bands [i*1000..(i+1)*1000) plus a tier
// column, all routing to one of two chains.
std::string PolicyJson(int rules) {
  std::string r;
  for (int i = 0; i < rules; ++i) {
    absl::StrAppend(&r, i ? "," : "", "{\"id\": \"r", i, "\", \"when\": [\"[", i * 1000, "..", (i + 1) * 1000,
                    ")\", \"\\\"A\\\",\\\"B\\\"\"], \"then\": [\"", i % 2 ? "a" : "b", "\"]}");
  }
  absl::StrAppend(&r, ",{\"id\": \"rest\", \"then\": [\"b\"]}");
  return absl::StrCat(R"({"policy": "bench", "decision": {"id": "t", "hit_policy": "FIRST",
    "inputs": [{"name": "amount", "type": "number"}, {"name": "tier", "type": "string"}],
    "outputs": [{"name": "chain", "type": "string"}], "rules": [)", r, R"(]},
    "chains": {"a": [{"id": "n1", "kind": "any", "approvers": [{"user": "u1"}, {"user": "u2"}]}],
               "b": [{"id": "n1", "approvers": [{"user": "u1"}]}, {"id": "n2", "approvers": [{"user": "u2"}]}]}})");
}

ap::Engine MakeEngine(int rules) {
  ap::EngineOptions o;
  o.allow_findings = true;
  auto dir = ap::OrgDirectory::Build({{"u0", "", "", "", "", {}, {}, true},
                                      {"u1", "", "u0", "", "", {}, {}, true},
                                      {"u2", "", "u0", "", "", {}, {}, true}});
  return *ap::Engine::Create(*ap::LoadPolicyJson(PolicyJson(rules)), *dir, o);
}

// Strings moved in (GCC 12 warns falsely on short literals assigned in place).
ap::Command Cmd(ap::EventKind kind, std::string instance, std::string actor, std::string key) {
  ap::Command c;
  c.kind = kind;
  c.instance = std::move(instance);
  c.actor = std::move(actor);
  c.key = std::move(key);
  return c;
}

void BM_RouteContract(benchmark::State& state) {
  const ap::Engine engine = MakeEngine(static_cast<int>(state.range(0)));
  std::vector<ap::Contract> contracts(1024);
  for (std::size_t i = 0; i < contracts.size(); ++i) {
    contracts[i].id = absl::StrCat("C", i);
    contracts[i].initiator = "u0";
    contracts[i].attributes = {{"amount", ap::Value::Number(static_cast<std::int64_t>(i * 977 % 100000) * 10000)},
                               {"tier", ap::Value::String(i % 3 ? "A" : "C")}};
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.RouteOf(contracts[i++ % contracts.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteContract)->Arg(100);

// One instance per iteration pair: submit, then approve; the approve is timed.
void BM_ApplyApprove(benchmark::State& state) {
  const ap::Engine engine = MakeEngine(100);
  std::int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ap::Instance inst;
    ap::Command submit = Cmd(ap::EventKind::kSubmitted, std::string("I"), std::string("u0"), std::string("s"));
    submit.contract.id = std::string("C");
    submit.contract.attributes = {{"amount", ap::Value::Number(15000000)}, {"tier", ap::Value::String("A")}};
    (void)engine.Apply(inst, submit);
    ap::Command approve = Cmd(ap::EventKind::kApproved, std::string("I"), std::string("u1"), absl::StrCat("a", n++));
    state.ResumeTiming();
    benchmark::DoNotOptimize(engine.Apply(inst, approve));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyApprove);

// A log of `events` events over instances of 4 events each (submit, comment,
// approve, approve), replayed with hash checks.
std::vector<ap::Event> MakeLog(const ap::Engine& engine, std::int64_t events) {
  std::vector<ap::Event> log;
  for (std::int64_t i = 0; static_cast<std::int64_t>(log.size()) < events; ++i) {
    ap::Instance inst;
    auto apply = [&](ap::EventKind k, const char* actor, const char* key) {
      ap::Command c = Cmd(k, absl::StrCat("I", i), actor, key);
      c.text = std::string("ok");
      c.contract.id = absl::StrCat("C", i);
      c.contract.attributes = {{"amount", ap::Value::Number(15000000)}, {"tier", ap::Value::String("C")}};
      (void)engine.Apply(inst, c);
    };
    apply(ap::EventKind::kSubmitted, "u0", "1");
    apply(ap::EventKind::kCommented, "u0", "2");
    apply(ap::EventKind::kApproved, "u1", "3");
    apply(ap::EventKind::kApproved, "u2", "4");
    log.insert(log.end(), inst.log.begin(), inst.log.end());
  }
  return log;
}

void BM_ReplayLog(benchmark::State& state) {
  const ap::Engine engine = MakeEngine(100);
  const std::vector<ap::Event> log = MakeLog(engine, state.range(0));
  // The host hands its log over (std::move): the copy it replays is made
  // outside the timing; rebuilding the states and every hash check are
  // timed; freeing the states (the host's, whenever it drops them) is timed
  // only with range(1) = 1.
  const bool time_free = state.range(1) != 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<ap::Event> copy = log;
    state.ResumeTiming();
    auto states = engine.ReplayAll(std::move(copy));
    benchmark::DoNotOptimize(states);
    if (!time_free) state.PauseTiming();
    states = std::vector<ap::Instance>();
    if (!time_free) state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(log.size()));
}
BENCHMARK(BM_ReplayLog)->Args({100000, 0})->Args({100000, 1})->Unit(benchmark::kMillisecond);

// The part of a replay that checks the chain: each event's canonical
// encoding and its SHA-256 (the profile's split between hashing and folding).
void BM_HashEvents(benchmark::State& state) {
  const ap::Engine engine = MakeEngine(100);
  const std::vector<ap::Event> log = MakeLog(engine, state.range(0));
  std::int64_t bytes = 0;
  for (const ap::Event& e : log) bytes += static_cast<std::int64_t>(ap::EncodeEvent(e, false).size() + e.prev_hash.size() + 1);
  for (auto _ : state) {
    for (const ap::Event& e : log) benchmark::DoNotOptimize(ap::HashEvent(e));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(log.size()));
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_HashEvents)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LoadAndCheck(benchmark::State& state) {
  const std::string text = PolicyJson(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto p = ap::LoadPolicyJson(text);
    benchmark::DoNotOptimize(ap::CheckTable(p->decision));
  }
}
BENCHMARK(BM_LoadAndCheck)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
