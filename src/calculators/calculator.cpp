// The surfaces' one way into a declared calculator (salesight/calculator.hpp).
#include "salesight/calculator.hpp"

#include "absl/strings/str_format.h"
#include "salesight/json.hpp"
#include "salesight/names.hpp"

namespace salesight {
namespace {

bool HasTable(const Dataset& data, TableKind kind) {
  switch (kind) {
    case TableKind::kOrders: return data.orders() != nullptr;
    case TableKind::kCustomers: return data.customers() != nullptr;
    case TableKind::kProducts: return data.products() != nullptr;
    case TableKind::kPipeline: return data.pipeline() != nullptr;
    case TableKind::kInvoices: return data.invoices() != nullptr;
    case TableKind::kPayments: return data.payments() != nullptr;
    case TableKind::kTargets: return data.targets() != nullptr;
  }
  return false;
}

}  // namespace

const ResultTable* ResultSet::Find(std::string_view name) const {
  for (const NamedTable& t : tables) {
    if (t.name == name) return &t.table;
  }
  return nullptr;
}

absl::Status CheckInputs(const CalculatorSpec& spec, const Dataset& data) {
  for (const CalculatorInput& in : spec.inputs) {
    if (in.required && !HasTable(data, in.table)) {
      return absl::InvalidArgumentError(absl::StrFormat("%s needs the %s table; the dataset has none",
                                                        spec.name, TableKindName(in.table)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ResultSet> RunCalculator(const CalculatorSpec& spec, const Dataset& data,
                                        const OptionSettings& settings) {
  if (absl::Status st = CheckInputs(spec, data); !st.ok()) return st;
  absl::StatusOr<ResultSet> result = spec.run(data, settings);
  if (!result.ok()) return result.status();
  // The declaration is the contract: every declared output, in order.
  if (result->tables.size() != spec.outputs.size()) {
    return absl::InternalError(absl::StrFormat("%s returned %d outputs, declares %d", spec.name,
                                               result->tables.size(), spec.outputs.size()));
  }
  for (std::size_t i = 0; i < spec.outputs.size(); ++i) {
    if (result->tables[i].name != spec.outputs[i]) {
      return absl::InternalError(absl::StrFormat("%s output %d is '%s', declared '%s'", spec.name,
                                                 i, result->tables[i].name, spec.outputs[i]));
    }
  }
  return result;
}

absl::StatusOr<const CalculatorSpec*> FindCalculator(std::string_view name) {
  std::vector<std::string> names;
  for (const CalculatorSpec& spec : Calculators()) {
    if (spec.name == name) return &spec;
    names.emplace_back(spec.name);
  }
  return absl::InvalidArgumentError(absl::StrFormat("'%s' is not a calculator.%s Known: %s.", name,
                                                    DidYouMean(name, names), QuotedNames(names)));
}

std::string CalculatorJson(const CalculatorSpec& spec) {
  std::string out = absl::StrFormat("{\"name\":%s,\"doc\":%s,\"inputs\":[", JsonQuote(spec.name),
                                    JsonQuote(spec.doc));
  for (std::size_t i = 0; i < spec.inputs.size(); ++i) {
    absl::StrAppendFormat(&out, "%s{\"table\":%s,\"required\":%s}", i ? "," : "",
                          JsonQuote(TableKindName(spec.inputs[i].table)),
                          spec.inputs[i].required ? "true" : "false");
  }
  out += "],\"outputs\":[";
  for (std::size_t i = 0; i < spec.outputs.size(); ++i) {
    absl::StrAppendFormat(&out, "%s%s", i ? "," : "", JsonQuote(spec.outputs[i]));
  }
  absl::StrAppendFormat(&out, "],\"options\":%s}", OptionsJson(spec.options));
  return out;
}

std::string CalculatorsJson() {
  std::string out = "[";
  for (const CalculatorSpec& spec : Calculators()) {
    if (out.size() > 1) out += ",";
    out += CalculatorJson(spec);
  }
  return out + "]";
}

}  // namespace salesight
