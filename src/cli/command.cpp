#include "internal/command.hpp"

#include <iostream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/sample_source.hpp"

namespace salesight::cli {

absl::StatusOr<Dataset> SampleDataset(const SampleData& s) {
  DatasetTables t;
  t.orders = BorrowTable(s.orders);
  t.customers = BorrowTable(s.customers);
  t.products = BorrowTable(s.products);
  t.pipeline = BorrowTable(s.pipeline);
  t.invoices = BorrowTable(s.invoices);
  t.payments = BorrowTable(s.payments);
  t.targets = BorrowTable(s.targets);
  return Dataset::Build(std::move(t));
}

std::optional<Args> ParseCommand(int argc, char** argv, int first,
                                 const std::vector<MainFile>& files,
                                 const std::vector<FlagSpec>& own, std::string_view usage,
                                 std::string_view description, int* exit_code) {
  std::vector<FlagSpec> specs = IngestFlagSpecs(files);
  specs.insert(specs.end(), own.begin(), own.end());
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, specs);
  if (!args.ok()) {
    *exit_code = UsageError(args.status());
    return std::nullopt;
  }
  if (args->help()) {
    std::cout << FormatHelp(usage, description, specs);
    *exit_code = 0;
    return std::nullopt;
  }
  return *std::move(args);
}

absl::StatusOr<std::unique_ptr<CommandData>> CommandData::Load(const Args& args, MainFile main) {
  std::unique_ptr<CommandData> data(new CommandData());
  // Without the main export the bundled sample is analysed; that no other
  // file is given then is checked with the flags (IngestFlagSpecs).
  const bool main_given = args.Has(MainFileFlag(main));
  if (main_given) {
    absl::StatusOr<LoadedExports> loaded = LoadExports(args, main);
    if (!loaded.ok()) return loaded.status();
    data->loaded_ = *std::move(loaded);
  } else {
    absl::StatusOr<SampleData> sample = BundledSample();
    if (!sample.ok()) return sample.status();
    data->sample_ = *std::move(sample);
  }
  return data;
}

const OrderLines* CommandData::orders() const {
  if (sample_) return &sample_->orders;
  return loaded_->orders ? &loaded_->orders->table : nullptr;
}
const Pipeline* CommandData::pipeline() const {
  if (sample_) return &sample_->pipeline;
  return loaded_->pipeline ? &loaded_->pipeline->table : nullptr;
}
const Invoices* CommandData::invoices() const {
  if (sample_) return &sample_->invoices;
  return loaded_->invoices ? &loaded_->invoices->table : nullptr;
}
const Payments* CommandData::payments() const {
  if (sample_) return &sample_->payments;
  return loaded_->payments ? &loaded_->payments->table : nullptr;
}
const Targets* CommandData::targets() const {
  if (sample_) return &sample_->targets;
  return loaded_->targets ? &loaded_->targets->table : nullptr;
}
const Products* CommandData::products() const {
  return sample_ ? &sample_->products : nullptr;
}

absl::StatusOr<Dataset> CommandData::BuildDataset() const {
  if (loaded_) return DatasetFromExports(*loaded_);
  return SampleDataset(*sample_);
}

}  // namespace salesight::cli
