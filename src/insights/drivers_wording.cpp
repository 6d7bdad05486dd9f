// The drivers' one sentence (en, zh): the total's change first, then the
// top driver and how much of the change it explains.
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "insights/internal/drivers.hpp"
#include "salesight/compact_number.hpp"
#include "salesight/money.hpp"

namespace salesight::insights::internal {
namespace {

struct Words {
  std::string_view measure, zh;
};

// The names a person reads; the others are the measure's own name.
constexpr Words kNames[] = {
    {"revenue", "收入"},          {"margin", "毛利"},          {"cost", "成本"},
    {"quantity", "数量"},         {"orders", "订单数"},        {"lines", "订单行数"},
    {"customers", "客户数"},      {"billed", "应收账款"},      {"collected", "回款"},
    {"margin_pct", "毛利率"},     {"collection_rate", "回款率"}, {"win_rate", "赢单率"},
    {"return_amount", "退货额"},  {"pipeline_amount", "商机金额"},
};

std::string MeasureName(const std::string& measure, bool zh) {
  if (zh) {
    for (const Words& w : kNames) {
      if (w.measure == measure) return std::string(w.zh);
    }
    return measure;
  }
  std::string out = measure;
  if (out.size() > 4 && out.substr(out.size() - 4) == "_pct") out = out.substr(0, out.size() - 4) + " %";
  for (char& c : out) c = c == '_' ? ' ' : c;
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// A value of the measure for a person: money in currency units, compact.
std::string Amount(const DriversResult& r, double minor_or_count, bool zh) {
  const double v = r.unit == MeasureUnit::kMoney
                       ? minor_or_count / static_cast<double>(Pow10(r.money_scale))
                       : minor_or_count;
  return CompactNumber(v, zh ? "zh" : "en");
}

// A rate for a person: percent measures as they are, fractions x 100.
double RatePoints(const DriversResult& r, double rate) {
  return r.unit == MeasureUnit::kRatio ? 100 * rate : rate;
}

std::string Versus(const DriversResult& r, const DriversOptions& o, bool zh) {
  if (o.from != kNoDate) {
    if (o.compare == DriversCompare::kTarget) return zh ? "目标" : "the target";
    return r.before_label;
  }
  switch (o.compare) {
    case DriversCompare::kPrevious:
      return zh ? absl::StrCat("上期（", r.before_label, "）")
                : absl::StrCat("the previous period (", r.before_label, ")");
    case DriversCompare::kLastYear:
      return zh ? absl::StrCat("去年同期（", r.before_label, "）")
                : absl::StrCat("the same period last year (", r.before_label, ")");
    case DriversCompare::kTarget: return zh ? "目标" : "the target";
  }
  return r.before_label;
}

std::string Signed(double pct) { return absl::StrCat(pct < 0 ? "-" : "+", PercentText(pct), "%"); }

std::string Who(const DriverRow& row) {
  std::vector<std::string> parts;
  for (const std::string& m : row.members) {
    if (!m.empty()) parts.push_back(m);
  }
  return absl::StrJoin(parts, " × ");
}

}  // namespace

std::string DriversSentence(const DriversResult& r, const DriversOptions& o) {
  const bool zh = o.lang == "zh";
  const std::string name = MeasureName(r.measure, zh);
  const std::string vs = Versus(r, o, zh);
  std::string total;
  bool up = false, unchanged = false;
  if (r.ratio) {
    if (!r.before_rate || !r.after_rate) {
      return zh ? absl::StrCat(name, "：", vs, "或本期没有分母，无法比较。")
                : absl::StrCat(name, " cannot be compared with ", vs,
                               ": one side has no denominator.");
    }
    const double b = RatePoints(r, *r.before_rate), a = RatePoints(r, *r.after_rate);
    const double points = a - b;
    up = points > 0;
    unchanged = *r.after_rate == *r.before_rate;
    total = unchanged
                ? (zh ? absl::StrCat(name, "与", vs, "持平，为 ", DecimalText(a, 1), "%")
                      : absl::StrCat(name, " is unchanged at ", DecimalText(a, 1), "% vs ", vs))
                : (zh ? absl::StrCat(name, "较", vs, up ? "上升 " : "下降 ", DecimalText(std::fabs(points), 2),
                                     " 个百分点（", DecimalText(b, 1), "% → ", DecimalText(a, 1), "%）")
                      : absl::StrCat(name, up ? " rose " : " fell ", DecimalText(std::fabs(points), 2),
                                     " points (", DecimalText(b, 1), "% to ", DecimalText(a, 1),
                                     "%) vs ", vs));
  } else {
    const double change = static_cast<double>(r.after) - static_cast<double>(r.before);
    up = change > 0;
    unchanged = r.after == r.before;
    const std::string signed_pct =
        r.before != 0 ? Signed(100 * change / std::fabs(static_cast<double>(r.before))) : "";
    const std::string pct = signed_pct.empty() ? ""
                            : zh              ? absl::StrCat("（", signed_pct, "）")
                                              : absl::StrCat(" (", signed_pct, ")");
    total = unchanged
                ? (zh ? absl::StrCat(name, "与", vs, "持平，为 ", Amount(r, static_cast<double>(r.after), zh))
                      : absl::StrCat(name, " is unchanged at ", Amount(r, static_cast<double>(r.after), zh),
                                     " vs ", vs))
                : (zh ? absl::StrCat(name, "较", vs, up ? "增长 " : "下降 ", Amount(r, std::fabs(change), zh), pct)
                      : absl::StrCat(name, up ? " rose " : " fell ", Amount(r, std::fabs(change), zh), pct,
                                     " vs ", vs));
  }
  if (r.rows.empty()) {
    if (unchanged) return absl::StrCat(total, zh ? "；没有组合发生变化。" : "; no combination changed.");
    return absl::StrCat(total, zh ? "；没有单个组合能解释其中的 " : "; no combination explains ",
                        zh ? "" : "at least ", PercentText(100 * o.min_share),
                        zh ? "% 以上。" : "% of it.");
  }
  const DriverRow& top = r.rows.front();
  if (unchanged || !top.share) {
    return absl::StrCat(total, zh ? "；变化最大的组合是 " : "; the largest shift is ", Who(top),
                        zh ? "，但各组合的变化相互抵消。" : ", but the shifts offset each other.");
  }
  std::string there;
  if (r.ratio) {
    there = zh ? absl::StrCat("（结构效应 ", DecimalText(RatePoints(r, top.mix), 2), "，比率效应 ",
                              DecimalText(RatePoints(r, top.rate), 2), " 个百分点）")
               : absl::StrCat(" (mix ", DecimalText(RatePoints(r, top.mix), 2), ", rate ",
                              DecimalText(RatePoints(r, top.rate), 2), " points)");
  } else if (top.before != 0) {
    const double pct = 100 * (static_cast<double>(top.after) - static_cast<double>(top.before)) /
                       std::fabs(static_cast<double>(top.before));
    there = zh ? absl::StrCat("（该组合 ", Signed(pct), "）") : absl::StrCat(" (", Signed(pct), " there)");
  } else {
    there = zh ? "（该组合此前为 0）" : " (new there)";
  }
  const std::string share = absl::StrCat(PercentText(100 * *top.share), "%");
  if (zh) {
    return absl::StrCat(total, "；", Who(top), " 解释了", up ? "增长" : "下降", "的 ", share, there, "。");
  }
  return absl::StrCat(total, "; ", Who(top), " explains ", share, " of the ", up ? "rise" : "fall",
                      there, ".");
}

}  // namespace salesight::insights::internal
