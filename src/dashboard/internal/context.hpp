// What every panel source reads: the dataset, the options and the period,
// resolved once (dashboard.hpp states the definitions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "salesight/dashboard.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"

namespace salesight::dashboard {

using Json = nlohmann::ordered_json;

struct Context {
  const Dataset& data;
  DashboardOptions options;
  Day from = kNoDate;  // resolved: never kNoDate
  Day to = kNoDate;
  Day ly_from = kNoDate;  // the same period one year earlier
  Day ly_to = kNoDate;
  int money_scale = 2;
  bool zh = false;
  std::string alert_rules{};  // the rule table's JSON text (the file read), "" = none
};

// `from`/`to` resolved against the orders; an error without order lines or
// with from > to.
absl::StatusOr<Context> MakeContext(const Dataset& data, const DashboardOptions& options);

// {"status":"no_data","reason":reason}: the one shape of an empty panel.
Json NoData(std::string reason);
// A status that stopped a panel, as that panel's no_data reason (one failing
// calculator must not hide the other panels).
Json Failed(const absl::Status& status);

// Whether the order lines can be grouped by `dim` (margin.hpp's names;
// "category" also needs the products table).
bool CanGroupBy(const Context& c, const std::string& dim);

// Money as the JSON's exact integer; null when absent.
Json MoneyOrNull(const std::optional<std::int64_t>& v);
Json NumberOrNull(const std::optional<double>& v);
Json IntOrNull(const std::optional<std::int64_t>& v);

// The member's label as the user gave it ("(none)" for kNoId): every user
// string enters the document through here, as data.
std::string Label(const DictionaryPtr& dictionary, std::int64_t id);

// "2024-03": the month label of a day; the cube's and the series' period key.
std::string MonthLabel(Day day);

}  // namespace salesight::dashboard
