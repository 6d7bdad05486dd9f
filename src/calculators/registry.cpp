// The registered calculators: the one list the generic surfaces (CLI command
// per calculator, salesight_calculator_run, the Python functions) read. A new
// calculator adds its line here.
#include "salesight/calculator.hpp"
#include "salesight/clv/run.hpp"
#include "salesight/forecast.hpp"
#include "salesight/funnel.hpp"
#include "salesight/new_customers.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

absl::Span<const CalculatorSpec> Calculators() {
  static const std::vector<CalculatorSpec>* const kAll = new std::vector<CalculatorSpec>{
      RfmCalculator(),
      FunnelCalculator(),
      NewCustomersCalculator(),
      clv::ClvCalculator(),
      ForecastCalculator(),
      BacktestCalculator(),
  };
  return *kAll;
}

}  // namespace salesight
