// The untrusted-input loaders on mutated copies of the shipped examples: any
// bytes give a value or an error, never a crash (a deterministic, short
// version of tests/fuzz/approval_fuzz.cpp that runs in every build).
#include <random>
#include <string>

#include "approval_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/approval/engine.hpp"
#include "salesight/approval/report.hpp"
#include "salesight/approval/table_check.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace salesight::approval {
namespace {

std::string Mutate(std::string s, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 6);
  static const char kBytes[] = "<>&\"'[](){}:,.-=0123456789 \n\\#;!/\x01\xff";
  for (int i = 0; i < edits && !s.empty(); ++i) {
    const std::size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0: s[at] = kBytes[rng() % (sizeof kBytes - 1)]; break;
      case 1: s.erase(at, 1 + rng() % 8); break;
      default: s.insert(at, s.substr(rng() % s.size(), rng() % 16)); break;
    }
  }
  return s;
}

TEST(LoaderRobustness, MutatedExamplesNeverCrash) {
  const std::string policy = testing_util::ReadExample("seed_policy.json");
  const std::string dmn = testing_util::ReadExample("seed_routing.dmn");
  const std::string log = testing_util::ReadExample("worked_example.jsonl");
  const std::string org = testing_util::ReadExample("org.json");
  EngineOptions o;
  o.allow_findings = true;
  const Engine engine = *Engine::Create(testing_util::SeedPolicy(), testing_util::SeedDirectory(), o);
  std::mt19937_64 rng(17);
  int loaded = 0;
  for (int i = 0; i < 1500; ++i) {
    if (auto p = LoadPolicyJson(Mutate(policy, rng)); p.ok()) {
      ++loaded;
      (void)CheckTable(p->decision);
    }
    if (auto t = LoadDmn(Mutate(dmn, rng)); t.ok()) {
      ++loaded;
      for (const DecisionTable& table : *t) (void)CheckTable(table);
    }
    if (auto l = LogFromJsonl(Mutate(log, rng)); l.ok()) {
      if (auto all = engine.ReplayAll(*l); all.ok()) ++loaded;
    }
    if (LoadDirectoryJson(Mutate(org, rng)).ok()) ++loaded;
  }
  EXPECT_GT(loaded, 0);  // some mutations keep a file valid: the loaders are exercised past parsing
}

}  // namespace
}  // namespace salesight::approval
