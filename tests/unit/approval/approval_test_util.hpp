// Shared by the approval tests: the seed example files and small builders.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "salesight/approval/directory.hpp"
#include "salesight/approval/policy.hpp"
#include "salesight/approval/route.hpp"

namespace salesight::approval::testing_util {

inline std::string ExamplePath(const std::string& name) {
  return std::string(SALESIGHT_TEST_DATA_DIR) + "/../../examples/approvals/" + name;
}

inline std::string ReadExample(const std::string& name) {
  std::ifstream in(ExamplePath(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << ExamplePath(name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Policy SeedPolicy() {
  absl::StatusOr<Policy> p = LoadPolicyJson(ReadExample("seed_policy.json"));
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

inline OrgDirectory SeedDirectory() {
  absl::StatusOr<OrgDirectory> d = LoadDirectoryJson(ReadExample("org.json"));
  EXPECT_TRUE(d.ok()) << d.status();
  return *d;
}

inline Value Num(const char* text) { return Value::Number(*ParseNumber(text)); }

inline Contract SeedContract(const char* amount, const char* initiator = "rep1") {
  Contract c;
  c.id = "C-1";
  c.initiator = initiator;
  c.attributes = {{"amount", Num(amount)}, {"discount_pct", Num("5")}, {"margin_pct", Num("30")},
                  {"customer_tier", Value::String("A")}};
  return c;
}

}  // namespace salesight::approval::testing_util
