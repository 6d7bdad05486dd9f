// Scratch files for the ingest tests that read CSV through a path.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace salesight::testing_util {

// /dev/shm when it exists: on CI disks a truncating open costs ~20 ms.
inline std::string ScratchDir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("TEST_TMPDIR")) return std::string(env);
    if (::access("/dev/shm", W_OK) == 0) return std::string("/dev/shm");
    return ::testing::TempDir();
  }();
  return dir;
}

// Writes `content` (bytes) to a file named after the running test; removed at exit.
inline std::string WriteScratch(const std::string& content, const std::string& suffix = "") {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string("ingest_") + info->test_suite_name() + "_" + info->name() + suffix;
  for (char& c : name) {
    if (c == '/' || c == ' ') c = '_';
  }
  const std::string path = ScratchDir() + "/" + name + ".csv";
  static struct Cleanup {
    std::vector<std::string> paths;
    ~Cleanup() {
      for (const std::string& p : paths) std::remove(p.c_str());
    }
  } cleanup;
  if (std::find(cleanup.paths.begin(), cleanup.paths.end(), path) == cleanup.paths.end()) {
    cleanup.paths.push_back(path);
  }
  std::ofstream f(path, std::ios::binary);
  f << content;
  return path;
}

}  // namespace salesight::testing_util
