// The drivers' result tables (salesight/insights/drivers.hpp: outputs):
// values typed as the measure (money exact, counts, ratios as doubles).
#include <cmath>
#include <string>

#include "salesight/insights/drivers.hpp"
#include "salesight/money.hpp"

namespace salesight {
namespace {

// A column of the measure's values: money, a count, or a double for a ratio.
ResultColumn& ValueColumn(ResultTable& t, const DriversResult& r, std::string name) {
  if (r.ratio) return t.AddDouble(std::move(name));
  if (r.unit == MeasureUnit::kMoney) return t.AddMoney(std::move(name), r.money_scale);
  return t.AddInt64(std::move(name));
}

void PushDouble(ResultColumn& c, std::optional<double> v) {
  const bool ok = v.has_value() && std::isfinite(*v);
  const bool track = !ok || !c.valid.empty();
  if (!ok && c.valid.empty()) c.valid.assign(c.doubles.size(), 1);  // the first null
  c.doubles.push_back(ok ? *v : 0);
  if (track) c.valid.push_back(ok ? 1 : 0);
}

void PushValue(ResultColumn& c, const DriversResult& r, std::int64_t exact, std::optional<double> rate) {
  if (r.ratio) {
    PushDouble(c, rate);
  } else {
    c.ints.push_back(exact);
  }
}

std::optional<double> ChangePct(double before, double after) {
  if (before == 0) return std::nullopt;
  return 100 * (after - before) / std::fabs(before);
}

}  // namespace

ResultTable DriversTable(const DriversResult& r) {
  ResultTable t;
  ResultColumn& rank = t.AddInt64("rank");
  ResultColumn& combination = t.AddString("combination");
  ResultColumn& depth = t.AddInt64("depth");
  ResultColumn& before = ValueColumn(t, r, "before");
  ResultColumn& after = ValueColumn(t, r, "after");
  ResultColumn& change = ValueColumn(t, r, "change");
  ResultColumn& change_pct = t.AddDouble("change_pct");
  ResultColumn& effect = t.AddDouble("effect");
  ResultColumn& mix = t.AddDouble("mix_effect");
  ResultColumn& rate = t.AddDouble("rate_effect");
  ResultColumn& share = t.AddDouble("share");
  ResultColumn& surprise = t.AddDouble("surprise");
  ResultColumn& root = t.AddInt64("root_cause");
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const DriverRow& row = r.rows[i];
    rank.ints.push_back(static_cast<std::int64_t>(i + 1));
    combination.strings.push_back(row.combination);
    depth.ints.push_back(row.depth);
    PushValue(before, r, row.before,
              row.has_before_rate ? std::optional<double>(row.before_rate) : std::nullopt);
    PushValue(after, r, row.after,
              row.has_after_rate ? std::optional<double>(row.after_rate) : std::nullopt);
    PushValue(change, r, row.after - row.before,
              std::optional<double>(row.after_rate - row.before_rate));
    PushDouble(change_pct, r.ratio ? (row.has_before_rate && row.has_after_rate
                                          ? ChangePct(row.before_rate, row.after_rate)
                                          : std::nullopt)
                                   : ChangePct(static_cast<double>(row.before),
                                               static_cast<double>(row.after)));
    // An additive measure's effect is its change, in the measure's unit.
    PushDouble(effect, !r.ratio && r.unit == MeasureUnit::kMoney
                           ? row.effect / static_cast<double>(Pow10(r.money_scale))
                           : row.effect);
    PushDouble(mix, r.ratio ? std::optional<double>(row.mix) : std::nullopt);
    PushDouble(rate, r.ratio ? std::optional<double>(row.rate) : std::nullopt);
    PushDouble(share, row.share);
    PushDouble(surprise, row.surprise);
    root.ints.push_back(row.root_cause ? 1 : 0);
  }
  return t;
}

ResultTable DriversSummaryTable(const DriversResult& r) {
  ResultTable t;
  t.AddString("measure").strings.push_back(r.measure);
  t.AddString("before_period").strings.push_back(r.before_label);
  t.AddString("after_period").strings.push_back(r.after_label);
  PushValue(ValueColumn(t, r, "before"), r, r.before, r.before_rate);
  PushValue(ValueColumn(t, r, "after"), r, r.after, r.after_rate);
  std::optional<double> rate_change;
  if (r.before_rate && r.after_rate) rate_change = *r.after_rate - *r.before_rate;
  PushValue(ValueColumn(t, r, "change"), r, r.after - r.before, rate_change);
  std::optional<double> pct;
  if (r.ratio) {
    if (r.before_rate && r.after_rate) pct = ChangePct(*r.before_rate, *r.after_rate);
  } else {
    pct = ChangePct(static_cast<double>(r.before), static_cast<double>(r.after));
  }
  PushDouble(t.AddDouble("change_pct"), pct);
  t.AddInt64("drivers").ints.push_back(static_cast<std::int64_t>(r.rows.size()));
  t.AddString("sentence").strings.push_back(r.sentence);
  return t;
}

}  // namespace salesight
