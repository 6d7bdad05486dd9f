// The two date ranges the drivers compare (salesight/insights/drivers.hpp):
// a period of a grain and its previous / last-year / target, or explicit ranges.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "insights/internal/drivers.hpp"
#include "salesight/grain.hpp"
#include "salesight/period_label.hpp"

namespace salesight::insights::internal {
namespace {

absl::Status Error(const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("drivers: ", message));
}

constexpr Day kExampleDay = 19783;  // 2024-03-01: the example in messages

std::string RangeLabel(Day from, Day to) { return absl::StrCat(FormatDate(from), "..", FormatDate(to)); }

}  // namespace

absl::StatusOr<DriverRanges> ResolveDriverRanges(const Dataset& data, const DriversOptions& o) {
  DriverRanges r;
  r.target = o.compare == DriversCompare::kTarget;
  const bool explicit_after = o.from != kNoDate || o.to != kNoDate;
  const bool explicit_before = o.before_from != kNoDate || o.before_to != kNoDate;
  if (explicit_after || explicit_before) {
    if (o.from == kNoDate || o.to == kNoDate) {
      return Error("explicit ranges need both from and to (the period after)");
    }
    if (o.from > o.to) {
      return Error(absl::StrCat("from ", FormatDate(o.from), " is after to ", FormatDate(o.to)));
    }
    r.after_from = o.from;
    r.after_to = o.to;
    r.after_label = RangeLabel(o.from, o.to);
    if (r.target) {
      if (explicit_before) return Error("compare target takes no before_from/before_to");
      r.before_from = o.from;
      r.before_to = o.to;
      r.before_label = absl::StrCat("target ", r.after_label);
      return r;
    }
    if (o.before_from == kNoDate || o.before_to == kNoDate) {
      return Error("explicit ranges need before_from and before_to (the period before)");
    }
    if (o.before_from > o.before_to) {
      return Error(absl::StrCat("before_from ", FormatDate(o.before_from), " is after before_to ",
                                FormatDate(o.before_to)));
    }
    r.before_from = o.before_from;
    r.before_to = o.before_to;
    r.before_label = RangeLabel(o.before_from, o.before_to);
    return r;
  }
  std::int32_t after = 0;
  if (o.period.empty()) {
    if (data.orders() == nullptr || data.orders()->max_date() == kNoDate) {
      return Error("no order lines to take the default period from: give period");
    }
    after = PeriodOf(o.grain, data.orders()->max_date());
  } else {
    const std::optional<std::int32_t> p = PeriodOfLabel(o.grain, o.period);
    if (!p) {
      return Error(absl::StrCat("period '", o.period, "' is not a ", std::string(GrainName(o.grain)),
                                " label (e.g. ", PeriodLabel(o.grain, PeriodOf(o.grain, kExampleDay)),
                                ")"));
    }
    after = *p;
  }
  r.after_from = PeriodStart(o.grain, after);
  r.after_to = PeriodEnd(o.grain, after);
  r.after_label = PeriodLabel(o.grain, after);
  std::int32_t before = after - 1;
  switch (o.compare) {
    case DriversCompare::kPrevious: break;
    case DriversCompare::kLastYear: {
      const std::optional<std::int32_t> ly = SamePeriodLastYear(o.grain, after);
      if (!ly) return Error(absl::StrCat("period ", r.after_label, " has no same period last year"));
      before = *ly;
      break;
    }
    case DriversCompare::kTarget:
      r.before_from = r.after_from;
      r.before_to = r.after_to;
      r.before_label = absl::StrCat("target ", r.after_label);
      return r;
  }
  r.before_from = PeriodStart(o.grain, before);
  r.before_to = PeriodEnd(o.grain, before);
  r.before_label = PeriodLabel(o.grain, before);
  return r;
}

}  // namespace salesight::insights::internal
