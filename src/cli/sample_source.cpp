#include "sample_source.hpp"

namespace salesight::cli {

absl::StatusOr<SampleData> BundledSample() {
  SampleOptions options;
  options.order_lines = kBundledSampleLines;
  return GenerateSample(options);
}

}  // namespace salesight::cli
