// A calculator, declared once: its name, what it reads from the Dataset, its
// options (salesight/options.hpp), its named outputs, and how it runs. Every
// surface derives from the declaration, so a new calculator needs no surface
// code of its own:
//   CLI     `salesight NAME [data flags] [--OPTION V ...] [--output NAME]`,
//           its --help and `salesight options NAME --markdown|--json`;
//   C ABI   salesight_calculator_run(dataset, "NAME", option names/values,
//           output, &result) and salesight_calculators_describe (JSON);
//   Python  salesight.NAME(orders=df, ..., OPTION=value) with a docstring made
//           from the description, and salesight.Dataset(...).run("NAME", ...).
// A calculator returns ALL its named outputs at once (a ResultSet); a surface
// picks the one asked for instead of recomputing per output selector.
// CONTRIBUTING.md walks through adding one (new_customers is the example).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/dataset.hpp"
#include "salesight/options.hpp"
#include "salesight/result_table.hpp"

namespace salesight {

// A table the calculator reads. A required one that the dataset lacks is an
// error naming it before the calculator runs.
struct CalculatorInput {
  TableKind table = TableKind::kOrders;
  bool required = true;
};

struct NamedTable {
  std::string name;
  ResultTable table;
};

// Every output of one run, in the declared order, and the data problems the
// run found (shown by every surface: see DataProblems).
struct ResultSet {
  std::vector<NamedTable> tables;
  DataProblems problems;
  // The output called `name`, or null.
  const ResultTable* Find(std::string_view name) const;
};

// Option values as text, by declared name (what the CLI, C and Python pass).
using OptionSettings = std::vector<std::pair<std::string, std::string>>;

struct CalculatorSpec {
  std::string_view name;  // snake_case: the Python function; CLI command = name with '-'
  std::string_view doc;   // one paragraph: what it answers and its definitions
  std::vector<CalculatorInput> inputs;       // the first one is the main table
  std::vector<std::string_view> outputs;     // the first one is the default
  std::vector<OptionInfo> options;
  // Checks and applies `settings` through the declaration, then computes.
  std::function<absl::StatusOr<ResultSet>(const Dataset&, const OptionSettings&)> run;
};

// Declares a calculator whose options struct O is declared by `decls` and
// whose work is `compute`. The run checks the required inputs first.
template <typename O>
CalculatorSpec DeclareCalculator(std::string_view name, std::string_view doc,
                                 std::vector<CalculatorInput> inputs,
                                 std::vector<std::string_view> outputs,
                                 absl::Span<const OptionDecl<O>> decls,
                                 absl::StatusOr<ResultSet> (*compute)(const Dataset&, const O&));

// Every registered calculator (src/calculators/registry.cpp lists them), and
// one by name (an unknown name lists the known ones, with "did you mean").
absl::Span<const CalculatorSpec> Calculators();
absl::StatusOr<const CalculatorSpec*> FindCalculator(std::string_view name);

// Runs `spec` on `data`: settings applied through its declaration, required
// inputs checked. The surfaces call this, never spec.run directly.
absl::StatusOr<ResultSet> RunCalculator(const CalculatorSpec& spec, const Dataset& data,
                                        const OptionSettings& settings);

// {"name", "doc", "inputs": [{"table", "required"}], "outputs": [...],
//  "options": OptionsJson} for one calculator, and a JSON array of them all.
std::string CalculatorJson(const CalculatorSpec& spec);
std::string CalculatorsJson();

// ---------------------------------------------------------------- implementation

absl::Status CheckInputs(const CalculatorSpec& spec, const Dataset& data);

template <typename O>
CalculatorSpec DeclareCalculator(std::string_view name, std::string_view doc,
                                 std::vector<CalculatorInput> inputs,
                                 std::vector<std::string_view> outputs,
                                 absl::Span<const OptionDecl<O>> decls,
                                 absl::StatusOr<ResultSet> (*compute)(const Dataset&, const O&)) {
  CalculatorSpec spec;
  spec.name = name;
  spec.doc = doc;
  spec.inputs = std::move(inputs);
  spec.outputs = std::move(outputs);
  spec.options = InfosOf(decls);
  spec.run = [decls, compute](const Dataset& data,
                              const OptionSettings& settings) -> absl::StatusOr<ResultSet> {
    O options{};
    for (const auto& [option, text] : settings) {
      if (absl::Status st = SetOption(decls, options, option, text); !st.ok()) return st;
    }
    return compute(data, options);
  };
  return spec;
}

}  // namespace salesight
