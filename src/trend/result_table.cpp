// Trend result tables for the surfaces: the columns the CLI documents
// (period, revenue, margin, orders, revenue_compare, growth_pct, ...).
#include <string>

#include "absl/strings/str_cat.h"
#include "internal/trend.hpp"

namespace salesight {
namespace {


std::string IdText(const DictionaryPtr& dict, std::int64_t id) {
  if (dict && id >= 0 && id < dict->size()) return std::string(dict->Code(static_cast<Id>(id)));
  return absl::StrCat(id);
}

void PushInt(ResultColumn& c, const std::optional<std::int64_t>& v) {
  c.ints.push_back(v ? *v : 0);
  c.valid.push_back(v ? 1 : 0);
}
void PushDouble(ResultColumn& c, const std::optional<double>& v) {
  c.doubles.push_back(v ? *v : 0.0);
  c.valid.push_back(v ? 1 : 0);
}

// Drops an all-ones validity vector (empty = all valid).
void TidyValidity(ResultTable& table) {
  for (ResultColumn& c : table.mutable_columns()) {
    bool all = true;
    for (std::uint8_t v : c.valid) all = all && v != 0;
    if (all) c.valid.clear();
  }
}

const char* MeasureName(TrendMeasure m) {
  switch (m) {
    case TrendMeasure::kRevenue:
      return "revenue";
    case TrendMeasure::kMargin:
      return "margin";
    case TrendMeasure::kOrders:
      return "orders";
    case TrendMeasure::kCollections:
      return "collections";
  }
  return "revenue";
}

bool IsMoney(TrendMeasure m) { return m != TrendMeasure::kOrders; }

ResultColumn& AddMeasureColumn(ResultTable& t, const std::string& name, TrendMeasure m,
                               int scale) {
  return IsMoney(m) ? t.AddMoney(name, scale) : t.AddInt64(name);
}

const char* KindName(TrendToDateKind k) {
  switch (k) {
    case TrendToDateKind::kMonth:
      return "MTD";
    case TrendToDateKind::kQuarter:
      return "QTD";
    case TrendToDateKind::kYear:
      return "YTD";
  }
  return "";
}

}  // namespace

ResultTable ToResultTable(const TrendResult& result) {
  ResultTable t;
  const TrendOptions& o = result.options;
  const int scale = result.money_scale;
  const bool grouped = !o.group_by.empty();
  ResultColumn* period = nullptr;
  ResultColumn& p0 = o.grain == GrainUnit::kDay ? t.AddDate("period") : t.AddString("period");
  period = &p0;
  ResultColumn* group = grouped ? &t.AddString(o.group_by) : nullptr;
  ResultColumn& revenue = t.AddMoney("revenue", scale);
  ResultColumn& margin = t.AddMoney("margin", scale);
  ResultColumn& orders = t.AddInt64("orders");
  const std::string measure = MeasureName(o.compare_measure);
  ResultColumn& compare =
      AddMeasureColumn(t, measure + "_compare", o.compare_measure, scale);
  ResultColumn& pct = t.AddDouble("growth_pct");
  ResultColumn& diff = AddMeasureColumn(t, "growth_diff", o.compare_measure, scale);
  ResultColumn& ratio = t.AddDouble("growth_ratio");
  ResultColumn* target = result.has_target ? &t.AddMoney("target", scale) : nullptr;
  ResultColumn* collections =
      result.has_collections ? &t.AddMoney("collections", scale) : nullptr;
  ResultColumn& lines = t.AddInt64("lines");
  for (const TrendRow& row : result.rows) {
    if (o.grain == GrainUnit::kDay) {
      period->ints.push_back(row.period_start);
    } else {
      period->strings.push_back(PeriodLabel(o.grain, row.period));
    }
    if (group) group->strings.push_back(IdText(result.group_codes, row.group));
    revenue.ints.push_back(row.value.revenue);
    PushInt(margin, row.value.margin);
    PushInt(orders, row.value.orders);
    PushInt(compare, row.growth.base);
    PushDouble(pct, row.growth.growth_pct);
    PushInt(diff, row.growth.difference);
    PushDouble(ratio, row.growth.growth_ratio);
    if (target) PushInt(*target, row.target);
    if (collections) PushInt(*collections, row.value.collections);
    lines.ints.push_back(row.value.lines);
  }
  TidyValidity(t);
  return t;
}

ResultTable ToDateResultTable(const TrendResult& result) {
  ResultTable t;
  const TrendOptions& o = result.options;
  const int scale = result.money_scale;
  const bool grouped = !o.group_by.empty();
  ResultColumn& kind = t.AddString("kind");
  ResultColumn* group = grouped ? &t.AddString(o.group_by) : nullptr;
  ResultColumn& begin = t.AddDate("begin");
  ResultColumn& end = t.AddDate("end");
  ResultColumn& ly_begin = t.AddDate("ly_begin");
  ResultColumn& ly_end = t.AddDate("ly_end");
  ResultColumn& revenue = t.AddMoney("revenue", scale);
  ResultColumn& revenue_ly = t.AddMoney("revenue_ly", scale);
  ResultColumn& margin = t.AddMoney("margin", scale);
  ResultColumn& margin_ly = t.AddMoney("margin_ly", scale);
  ResultColumn& orders = t.AddInt64("orders");
  ResultColumn& orders_ly = t.AddInt64("orders_ly");
  ResultColumn* coll = result.has_collections ? &t.AddMoney("collections", scale) : nullptr;
  ResultColumn* coll_ly = result.has_collections ? &t.AddMoney("collections_ly", scale) : nullptr;
  ResultColumn& pct = t.AddDouble("growth_pct");
  ResultColumn& diff = AddMeasureColumn(t, "growth_diff", o.compare_measure, scale);
  ResultColumn& ratio = t.AddDouble("growth_ratio");
  auto opt = [](const std::optional<TrendMeasures>& m, auto field) {
    return m ? std::optional<std::int64_t>(field(*m)) : std::nullopt;
  };
  auto opt2 = [](const std::optional<TrendMeasures>& m, auto field) -> std::optional<std::int64_t> {
    if (!m) return std::nullopt;
    return field(*m);
  };
  for (const TrendToDate& r : result.to_date) {
    kind.strings.push_back(KindName(r.kind));
    if (group) group->strings.push_back(IdText(result.group_codes, r.group));
    begin.ints.push_back(r.begin);
    end.ints.push_back(r.end);
    ly_begin.ints.push_back(r.ly_begin);
    ly_end.ints.push_back(r.ly_end);
    PushInt(revenue, opt(r.value, [](const TrendMeasures& m) { return m.revenue; }));
    PushInt(revenue_ly, opt(r.last_year, [](const TrendMeasures& m) { return m.revenue; }));
    PushInt(margin, opt2(r.value, [](const TrendMeasures& m) { return m.margin; }));
    PushInt(margin_ly, opt2(r.last_year, [](const TrendMeasures& m) { return m.margin; }));
    PushInt(orders, opt2(r.value, [](const TrendMeasures& m) { return m.orders; }));
    PushInt(orders_ly, opt2(r.last_year, [](const TrendMeasures& m) { return m.orders; }));
    if (coll) {
      PushInt(*coll, opt2(r.value, [](const TrendMeasures& m) { return m.collections; }));
      PushInt(*coll_ly, opt2(r.last_year, [](const TrendMeasures& m) { return m.collections; }));
    }
    PushDouble(pct, r.growth.growth_pct);
    PushInt(diff, r.growth.difference);
    PushDouble(ratio, r.growth.growth_ratio);
  }
  TidyValidity(t);
  return t;
}

}  // namespace salesight
