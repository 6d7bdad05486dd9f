// `salesight generate`: the deterministic sample ERP data set, as CSV exports
// and/or the WORKLOADS exchange format.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>

#include "internal/args.hpp"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/sample.hpp"

namespace salesight::cli {

int RunGenerate(int argc, char** argv, int first) {
  const std::vector<FlagSpec> specs = {
      FlagSpec{"rows", "N", "order lines to generate, 1000..1e8 (default 20000; 1e6 shorthand ok)"}
          .Range(kSampleMinOrderLines, kSampleMaxOrderLines),
      {"format", "csv|bin|both", "CSV exports, the WORKLOADS exchange format, or both (default csv)"},
      {"out", "DIR", "output folder (created if missing; required)"},
      FlagSpec{"seed", "S", "random seed (default 20240930, the WORKLOADS seed)"}.Range(
          0, std::numeric_limits<std::int64_t>::max()),
      ThreadsFlag("generation threads, 0 = all cores (default 0; output does not depend on it)"),
  };
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, specs);
  if (!args.ok()) return UsageError(args.status());
  if (args->help()) {
    std::cout << FormatHelp("salesight generate --rows N --format csv|bin|both --out DIR",
                            "Writes one coherent, seeded ERP data set (customers, products, order "
                            "lines, pipeline,\ninvoices, payments, targets): the same seed and "
                            "size always give the same bytes.",
                            specs);
    return 0;
  }
  absl::StatusOr<std::int64_t> rows = args->GetInt("rows", 20000);
  absl::StatusOr<std::int64_t> seed = args->GetInt("seed", 20240930);
  absl::StatusOr<std::int64_t> threads = args->GetInt("threads", 0);
  for (const auto* st : {&rows, &seed, &threads}) {
    if (!st->ok()) return UsageError(st->status());
  }
  std::optional<std::string> out = args->Get("out");
  if (!out) return UsageError(absl::InvalidArgumentError("--out DIR is required"));
  std::string format = args->GetOr("format", "csv");
  if (format != "csv" && format != "bin" && format != "both") {
    return UsageError(absl::InvalidArgumentError("--format must be csv, bin or both"));
  }
  SampleOptions options;
  options.order_lines = *rows;
  options.seed = static_cast<std::uint64_t>(*seed);
  options.num_threads = static_cast<int>(*threads);
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<SampleData> data = GenerateSample(options);
  if (!data.ok()) return DataError(data.status());
  if (format != "bin") {
    if (absl::Status st = WriteSampleCsv(*data, *out); !st.ok()) return DataError(st);
  }
  if (format != "csv") {
    if (absl::Status st = WriteWorkloadBin(*data, *out); !st.ok()) return DataError(st);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "generated %lld order lines, %zu customers, %zu opportunities, %zu invoices "
               "(seed %llu) into %s as %s in %.2f s\n",
               static_cast<long long>(data->orders.size()), data->customers.size(),
               data->pipeline.size(), data->invoices.size(),
               static_cast<unsigned long long>(options.seed), out->c_str(), format.c_str(),
               seconds);
  return 0;
}

}  // namespace salesight::cli
