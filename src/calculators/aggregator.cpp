// The aggregator interface's shared half (salesight/aggregator.hpp): the
// checks every kind gets (finished, kind, options), canonical options and the
// lookups over the registered kinds (the list is src/calculators/registry.cpp).
#include "salesight/aggregator.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/internal/partial_header.hpp"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"

namespace salesight {
namespace {

std::string SettingsText(const OptionSettings& s) {
  if (s.empty()) return "(defaults)";
  return absl::StrJoin(s, ", ", [](std::string* out, const auto& kv) {
    absl::StrAppend(out, kv.first, "=", kv.second);
  });
}

template <typename T>
std::size_t SizeOf(const T* table) {
  return table == nullptr ? 0 : table->size();
}

std::size_t RowsOf(const Dataset& d, TableKind kind) {
  switch (kind) {
    case TableKind::kOrders: return SizeOf(d.orders());
    case TableKind::kCustomers: return SizeOf(d.customers());
    case TableKind::kProducts: return SizeOf(d.products());
    case TableKind::kPipeline: return SizeOf(d.pipeline());
    case TableKind::kInvoices: return SizeOf(d.invoices());
    case TableKind::kPayments: return SizeOf(d.payments());
    case TableKind::kTargets: return SizeOf(d.targets());
  }
  return 0;
}

}  // namespace

absl::Status PartialAggregate::Merge(const PartialAggregate& from) {
  const std::string name(spec_->name);
  if (&from == this) {
    return absl::InvalidArgumentError(absl::StrCat(name, " partial: cannot merge a partial into "
                                                   "itself"));
  }
  if (finished_ || from.finished_) {
    return absl::InvalidArgumentError(absl::StrCat(name, " partial: cannot merge a finished "
                                                   "partial"));
  }
  if (from.spec_ != spec_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cannot merge a %s partial (kind %d) into a %s partial (kind %d)", std::string(from.spec_->name),
        from.spec_->kind, name, spec_->kind));
  }
  if (spec_->options_in_bytes && from.settings_ != settings_) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " partial: cannot merge partials of different options: ", SettingsText(settings_),
        " and ", SettingsText(from.settings_)));
  }
  return MergeState(from);
}

absl::StatusOr<std::string> PartialAggregate::Serialize() const {
  if (finished_) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(spec_->name),
                                                   " partial: already finished"));
  }
  return SerializeState();
}

absl::StatusOr<ResultSet> PartialAggregate::Finish(const Dataset* context,
                                                   const OptionSettings& settings) {
  const std::string name(spec_->name);
  if (finished_) return absl::InvalidArgumentError(absl::StrCat(name, " partial: already finished"));
  finished_ = true;
  absl::StatusOr<const CalculatorSpec*> calc = FindCalculator(spec_->name);
  if (!calc.ok()) return calc.status();
  absl::StatusOr<OptionSettings> given = CanonicalSettings((*calc)->options, settings);
  if (!given.ok()) return given.status();
  if (spec_->options_in_bytes && !settings.empty() && *given != settings_) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " partial: finish options ", SettingsText(*given),
        " differ from the partial's ", SettingsText(settings_),
        " (give the same options, or none)"));
  }
  const OptionSettings& use = spec_->options_in_bytes || settings.empty() ? settings_ : *given;
  return FinishState(context, use);
}

absl::StatusOr<OptionSettings> CanonicalSettings(absl::Span<const OptionInfo> options,
                                                 const OptionSettings& settings) {
  OptionSettings out;
  for (const auto& setting : settings) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const std::string& name = setting.first;
    const std::string& value = setting.second;
    const OptionInfo* info = nullptr;
    for (const OptionInfo& o : options) {
      if (o.name == name) info = &o;
    }
    if (info == nullptr) return UnknownOption(name, options);
    // Thread counts never change a result; defaults are implied.
    if (name == "threads") continue;
    auto same = [&](const auto& kv) { return kv.first == name; };
    out.erase(std::remove_if(out.begin(), out.end(), same), out.end());
    if (value == info->default_value) continue;
    out.emplace_back(name, value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<const AggregatorSpec*> FindAggregator(std::string_view name) {
  std::vector<std::string> names;
  for (const AggregatorSpec& a : Aggregators()) {
    if (a.name == name) return &a;
    names.emplace_back(a.name);
  }
  return absl::InvalidArgumentError(absl::StrCat("'", std::string(name),
                                                 "' has no partial state; the calculators with "
                                                 "one are ",
                                                 absl::StrJoin(names, ", ")));
}

absl::StatusOr<PartialPtr> MakePartial(std::string_view name, const Dataset& data,
                                       std::size_t begin, std::size_t end,
                                       const OptionSettings& settings) {
  absl::StatusOr<const AggregatorSpec*> spec = FindAggregator(name);
  if (!spec.ok()) return spec.status();
  absl::StatusOr<const CalculatorSpec*> calc = FindCalculator(name);
  if (!calc.ok()) return calc.status();
  if (absl::Status st = CheckInputs(**calc, data); !st.ok()) return st;
  absl::StatusOr<OptionSettings> canonical = CanonicalSettings((*calc)->options, settings);
  if (!canonical.ok()) return canonical.status();
  const std::size_t rows = PartialRows(**spec, data);
  if ((begin > end || end > rows) && (*spec)->row_count) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s partial: rows [%d, %d) are not inside its %d rows (its tables' rows one after "
        "another)", std::string(name), begin, end, rows));
  }
  if (begin > end || end > rows) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s partial: rows [%d, %d) are not inside the %s table's %d rows", std::string(name),
        begin, end, std::string(TableKindName((*spec)->rows)), rows));
  }
  return (*spec)->partial(**spec, data, begin, end, *std::move(canonical));
}

std::size_t PartialRows(const AggregatorSpec& spec, const Dataset& data) {
  return spec.row_count ? spec.row_count(data) : RowsOf(data, spec.rows);
}

absl::StatusOr<PartialPtr> AdoptPartial(std::string_view name, void* state) {
  absl::StatusOr<const AggregatorSpec*> spec = FindAggregator(name);
  if (!spec.ok()) return spec.status();
  return (*spec)->adopt(**spec, state);
}

absl::StatusOr<PartialPtr> DeserializePartial(std::string_view bytes) {
  // Magic and version first (PeekPartialKind), then the kind byte.
  absl::StatusOr<std::uint8_t> kind = partial_format::PeekKindByte(bytes);
  if (!kind.ok()) return kind.status();
  for (const AggregatorSpec& a : Aggregators()) {
    if (a.kind == *kind) return a.deserialize(a, bytes);
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("partial state: byte offset 10: unknown partial kind %d", *kind));
}

}  // namespace salesight
