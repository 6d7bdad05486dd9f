// The registered calculators: the one list every surface reads (the CLI's
// command per calculator and `salesight options`, salesight_calculator_run and
// salesight_options_describe, the Python functions). A new calculator adds its
// line here.
#include "salesight/aggregator.hpp"
#include "salesight/alerts.hpp"
#include "salesight/calculator.hpp"
#include "salesight/clv/run.hpp"
#include "salesight/contribution.hpp"
#include "salesight/forecast.hpp"
#include "salesight/insights/drivers.hpp"
#include "salesight/funnel.hpp"
#include "salesight/leaderboard.hpp"
#include "salesight/margin.hpp"
#include "salesight/new_customers.hpp"
#include "salesight/overview.hpp"
#include "salesight/receivables.hpp"
#include "salesight/rfm.hpp"
#include "salesight/trend.hpp"

namespace salesight {

absl::Span<const CalculatorSpec> Calculators() {
  static const std::vector<CalculatorSpec>* const kAll = new std::vector<CalculatorSpec>{
      RfmCalculator(),
      FunnelCalculator(),
      MarginCalculator(),
      NewCustomersCalculator(),
      clv::ClvCalculator(),
      AgingCalculator(),
      CollectionCalculator(),
      TrendCalculator(),
      ContributionCalculator(),
      LeaderboardCalculator(),
      OverviewCalculator(),
      ForecastCalculator(),
      BacktestCalculator(),
      AlertsCalculator(),
      DriversCalculator(),
  };
  return *kAll;
}

// The calculators with a partial state (salesight/aggregator.hpp). A new
// kind adds its line here.
absl::Span<const AggregatorSpec> Aggregators() {
  static const std::vector<AggregatorSpec>* const kAll = new std::vector<AggregatorSpec>{
      RfmAggregator(),   FunnelAggregator(), MarginAggregator(),       AgingAggregator(),
      CollectionAggregator(), TrendAggregator(),  ContributionAggregator(), LeaderboardAggregator(),
  };
  return *kAll;
}

}  // namespace salesight
