#include "internal/context.hpp"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/alerts.hpp"
#include "salesight/dimension.hpp"
#include "salesight/grain.hpp"
#include "salesight/margin.hpp"

namespace salesight::dashboard {
namespace {

// The same calendar date a year earlier; Feb 29 -> Feb 28.
Day YearEarlier(Day day) {
  CivilDate c = CivilFromDay(day);
  const int d = (c.month == 2 && c.day == 29) ? 28 : c.day;
  return DayFromCivil(c.year - 1, c.month, d);
}

}  // namespace

absl::StatusOr<Context> MakeContext(const Dataset& data, const DashboardOptions& options) {
  const OrderLines* orders = data.orders();
  if (orders == nullptr) return absl::InvalidArgumentError("dashboard: no order lines given");
  if (orders->size() == 0) return absl::InvalidArgumentError("dashboard: the order lines are empty");
  if (options.top_n < 1 || options.top_n > 1000) {
    return absl::InvalidArgumentError(
        absl::StrFormat("dashboard option 'top_n': %d is not in 1..1000", options.top_n));
  }
  if (options.max_people_rows < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "dashboard option 'max_people_rows': %d is not positive", options.max_people_rows));
  }
  Context c{data, options};
  c.to = options.to != kNoDate ? options.to : orders->max_date();
  c.from = options.from != kNoDate
               ? options.from
               : std::max(orders->min_date(), DayFromCivil(CivilFromDay(c.to).year, 1, 1));
  if (c.from > c.to) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "dashboard: from %s is after to %s", FormatDate(c.from), FormatDate(c.to)));
  }
  c.ly_from = YearEarlier(c.from);
  c.ly_to = YearEarlier(c.to);
  c.money_scale = orders->money_scale();
  if (!options.alert_rules.empty()) {
    // Through the alerts' own declaration: it reads the file and checks
    // the table, so the dashboard accepts exactly what `alerts` does.
    AlertsOptions alerts;
    if (absl::Status st = SetOption(AlertsOptionDecls(), alerts, "rules", options.alert_rules);
        !st.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("dashboard alert rules: ", st.message()));
    }
    c.alert_rules = alerts.rules;
  }
  c.zh = options.language == DashboardLanguage::kZh;
  if (c.options.title.empty()) c.options.title = c.zh ? "销售仪表盘" : "Sales dashboard";
  return c;
}

bool CanGroupBy(const Context& c, const std::string& dim) {
  if (dim == "category" && c.data.products() == nullptr) return false;
  return CheckMarginGrouping(c.data, MarginGrouping{{dim}}).ok();
}

Json NoData(std::string reason) {
  return Json{{"status", "no_data"}, {"reason", std::move(reason)}};
}

Json Failed(const absl::Status& status) { return NoData(std::string(status.message())); }

Json MoneyOrNull(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json NumberOrNull(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json IntOrNull(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

std::string Label(const DictionaryPtr& dictionary, std::int64_t id) {
  return DimensionLabel(dictionary, static_cast<Id>(id));
}

std::string MonthLabel(Day day) {
  return PeriodLabel(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, day));
}

}  // namespace salesight::dashboard
