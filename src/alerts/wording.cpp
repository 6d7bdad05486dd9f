// Sentences for a person: compact numbers (K/M/B in English, 万/亿 in
// Chinese), the slice first, then what is unusual and against what.
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "alerts/internal/wording.hpp"
#include "salesight/compact_number.hpp"

namespace salesight::alerts_internal {
namespace {

std::string Who(const AlertRow& a, bool zh) {
  if (a.dimension.empty()) return zh ? "总体" : "Total";
  return a.member;
}

std::string Pct(double x) { return PercentText(x); }

}  // namespace

std::string Compact(double x, const Kpi& kpi, std::string_view lang) {
  if (kpi.mult == 100) return absl::StrCat(DecimalText(x, 1), "%");
  return CompactNumber(x, lang);
}

std::string AnomalySentence(const AlertRow& a, const Kpi& kpi, std::string_view lang) {
  const bool zh = lang == "zh";
  const bool below = *a.deviation < 0;
  if (zh) {
    return absl::StrCat(Who(a, true), " ", kpi.name, " ", Compact(*a.value, kpi, lang), " 比预期 ",
                        Compact(*a.expected, kpi, lang), below ? " 低 " : " 高 ", Pct(*a.deviation_pct),
                        "%（去年同期 × 近期趋势）");
  }
  return absl::StrCat(Who(a, false), " ", kpi.name, " ", Compact(*a.value, kpi, lang), " is ",
                      Pct(*a.deviation_pct), below ? "% below" : "% above", " the expected ",
                      Compact(*a.expected, kpi, lang), " (last year x recent trend)");
}

std::string RuleSentence(const AlertRow& a, const Kpi& kpi, const AlertRule& rule,
                         std::string_view lang) {
  const bool zh = lang == "zh";
  const std::string op(AlertOpName(rule.op));
  const std::string value = Compact(*a.value, kpi, lang);
  if (rule.compare == AlertCompare::kValue) {
    const std::string t = kpi.mult == 100 ? absl::StrCat(rule.threshold.text, "%") : rule.threshold.text;
    if (kpi.name == "overdue") {
      return zh ? absl::StrCat(Who(a, true), " 逾期超过 ", rule.days, " 天的未收款 ", value, "（规则 ",
                               rule.id, "：", op, " ", t, "）")
                : absl::StrCat(Who(a, false), " has ", value, " outstanding more than ", rule.days,
                               " days past due (rule ", rule.id, ": ", op, " ", t, ")");
    }
    return zh ? absl::StrCat(Who(a, true), " ", kpi.name, " ", value, "（规则 ", rule.id, "：", op, " ", t, "）")
              : absl::StrCat(Who(a, false), " ", kpi.name, " ", value, " (rule ", rule.id, ": ", op, " ", t, ")");
  }
  const bool ly = rule.compare == AlertCompare::kVsLastYear;
  const bool down = *a.deviation < 0;
  if (zh) {
    return absl::StrCat(Who(a, true), " ", kpi.name, " ", value, " 较", ly ? "去年同期" : "上期", "（",
                        Compact(*a.expected, kpi, lang), "）", down ? "下降 " : "上升 ",
                        Pct(*a.deviation_pct), "%（规则 ", rule.id, "：", op, " ", rule.threshold.text, "%）");
  }
  return absl::StrCat(Who(a, false), " ", kpi.name, " ", value, " is ", Pct(*a.deviation_pct),
                      down ? "% down" : "% up", ly ? " vs last year (" : " vs the previous period (",
                      Compact(*a.expected, kpi, lang), "); rule ", rule.id, ": ", op, " ",
                      rule.threshold.text, "%");
}

}  // namespace salesight::alerts_internal
