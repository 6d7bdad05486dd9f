// The bundled sample: what a command analyses when given no exports. Generated
// in memory from the fixed seed (20,000 order lines, about 50 ms), so the
// result is the same on every machine. It has 3 key accounts (sample.hpp), so
// every default customer tier has customers; the WORKLOADS data has none.
#pragma once

#include "absl/status/statusor.h"
#include "salesight/sample.hpp"

namespace salesight::cli {

inline constexpr std::int64_t kBundledSampleLines = 20000;
inline constexpr int kBundledKeyAccounts = 3;

absl::StatusOr<SampleData> BundledSample();

}  // namespace salesight::cli
