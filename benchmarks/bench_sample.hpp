// The generated sample every benchmark file measures on: one per size,
// generated once per process (generation is not timed) and shared by all the
// files of salesight_benchmarks, so a full run holds each size once.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "salesight/sample.hpp"

namespace salesight {

inline const SampleData& CachedSample(std::int64_t order_lines) {
  static std::map<std::int64_t, std::unique_ptr<SampleData>> cache;
  std::unique_ptr<SampleData>& slot = cache[order_lines];
  if (!slot) {
    SampleOptions o;
    o.order_lines = order_lines;
    o.num_threads = 2;
    absl::StatusOr<SampleData> data = GenerateSample(o);
    if (!data.ok()) {
      std::fprintf(stderr, "GenerateSample: %s\n", std::string(data.status().message()).c_str());
      std::abort();
    }
    slot = std::make_unique<SampleData>(*std::move(data));
  }
  return *slot;
}

}  // namespace salesight
