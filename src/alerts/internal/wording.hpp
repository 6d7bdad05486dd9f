// The alerts' sentences (en, zh): one place for the wording.
#pragma once

#include <string>
#include <string_view>

#include "alerts/internal/series.hpp"

namespace salesight::alerts_internal {

// "华东 revenue 1.2M is 31% below the expected 1.7M (last year x recent trend)".
std::string AnomalySentence(const AlertRow& a, const Kpi& kpi, std::string_view lang);
// "华东 revenue 1.2M is 25% down vs last year (1.6M); rule region_down: <= -20%".
std::string RuleSentence(const AlertRow& a, const Kpi& kpi, const AlertRule& rule,
                         std::string_view lang);
// 1.2M / 1.2万 (money and counts), 12.3% (percent KPIs).
std::string Compact(double x, const Kpi& kpi, std::string_view lang);

}  // namespace salesight::alerts_internal
