// What every analysis subcommand does before its own work: parse its flags
// (the shared ingestion flags plus its own), answer --help, and load the data
// it analyses, which is the exports named on the command line or, when none
// is given, the bundled sample.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "args.hpp"
#include "ingest_flags.hpp"
#include "salesight/sample.hpp"

namespace salesight::cli {

// Parses argv[first..] against IngestFlagSpecs(files) + `own`. Returns nullopt
// when the command is done: after printing --help (*exit_code = 0) or a usage
// error (*exit_code = 2).
std::optional<Args> ParseCommand(int argc, char** argv, int first,
                                 const std::vector<MainFile>& files,
                                 const std::vector<FlagSpec>& own, std::string_view usage,
                                 std::string_view description, int* exit_code);

// Every table of the sample as one dataset, relations included (customers,
// products); it borrows from `sample`.
absl::StatusOr<Dataset> SampleDataset(const SampleData& sample);

// The tables a command analyses. When `main`'s file flag is on the command
// line every given export is loaded (the others stay absent); otherwise the
// whole bundled sample is used. Accessors return nullptr for an absent table.
// Not movable: the accessors point into the members.
class CommandData {
 public:
  static absl::StatusOr<std::unique_ptr<CommandData>> Load(const Args& args, MainFile main);
  CommandData(const CommandData&) = delete;
  CommandData& operator=(const CommandData&) = delete;

  bool from_sample() const { return sample_.has_value(); }
  const OrderLines* orders() const;
  const Pipeline* pipeline() const;
  const Invoices* invoices() const;
  const Payments* payments() const;
  const Targets* targets() const;
  const Products* products() const;  // the sample's; exports: null
  // The loaded exports (null for the sample), e.g. for per-line categories.
  const LoadedExports* exports() const { return loaded_ ? &*loaded_ : nullptr; }
  // The one dataset of these tables (DatasetFromExports, or the whole
  // sample); it borrows from this object.
  absl::StatusOr<Dataset> BuildDataset() const;

 private:
  CommandData() = default;
  std::optional<SampleData> sample_;
  std::optional<LoadedExports> loaded_;
};

}  // namespace salesight::cli
