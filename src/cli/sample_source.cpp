#include "internal/sample_source.hpp"

namespace salesight::cli {

absl::StatusOr<SampleData> BundledSample() {
  SampleOptions options;
  options.order_lines = kBundledSampleLines;
  options.key_accounts = kBundledKeyAccounts;
  return GenerateSample(options);
}

}  // namespace salesight::cli
