// Result tables for the surfaces (CLI CSV/JSON, C ABI, Python): the column
// names the CLI documents, money as kMoney at the orders' scale, ids printed
// as the ERP's codes when a dictionary is attached.
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/margin.hpp"
#include "salesight/quote_check.hpp"

namespace salesight {
namespace {

using margin_internal::ClassifyDimension;
using margin_internal::ColumnName;
using margin_internal::DimKind;

std::string IdText(const DictionaryPtr& dict, std::int64_t id) {
  if (dict && id >= 0 && id < dict->size()) return std::string(dict->Code(static_cast<Id>(id)));
  return absl::StrCat(id);
}

void PushOptional(ResultColumn& col, const std::optional<double>& v) {
  col.doubles.push_back(v ? *v : 0.0);
  col.valid.push_back(v ? 1 : 0);
}

// Drops an all-ones validity vector (empty = all valid).
void TidyValidity(ResultTable& table) {
  for (ResultColumn& c : table.mutable_columns()) {
    bool all = true;
    for (std::uint8_t v : c.valid) all = all && v != 0;
    if (all) c.valid.clear();
  }
}

// One column per grouping dimension, for the given rows of the result.
void AddGroupColumns(ResultTable& table, const MarginResult& result,
                     const std::vector<std::size_t>& rows) {
  const MarginGrouping& g = result.grouping;
  for (std::size_t d = 0; d < g.dimensions.size(); ++d) {
    // Names were checked on every path in (plan, deserializer).
    const absl::StatusOr<margin_internal::DimName> dn = ClassifyDimension(g.dimensions[d]);
    const DimKind kind = dn.ok() ? dn->kind : DimKind::kMember;
    const Grain period = dn.ok() ? dn->period : Grain();
    const std::string name = ColumnName(g.dimensions[d]);
    const DictionaryPtr& dict = result.dictionaries[d];
    auto value = [&](std::size_t row) { return result.groups[row].key[d]; };
    if (kind == DimKind::kOrder ||
        (kind == DimKind::kPeriod &&
         (period.unit == GrainUnit::kMonth || period.unit == GrainUnit::kYear ||
          period.unit == GrainUnit::kFiscalYear))) {
      ResultColumn& c = table.AddInt64(name);
      for (std::size_t row : rows) c.ints.push_back(value(row));
    } else if (kind == DimKind::kPeriod && period == GrainUnit::kDay) {
      ResultColumn& c = table.AddDate(name);
      for (std::size_t row : rows) c.ints.push_back(value(row));
    } else if (kind == DimKind::kPeriod) {
      ResultColumn& c = table.AddString(name);
      for (std::size_t row : rows) {
        // Keys are calendar numbers of real periods (checked on every path in).
        c.strings.push_back(PeriodLabel(period, *PeriodFromNumber(period, value(row))));
      }
    } else {
      // Codes into the dimension's dictionary (decimal ids without one): a
      // margin by customer over a million customers makes no string per row.
      ResultColumn& c = table.AddCodes(name, dict);
      c.codes.reserve(rows.size());
      for (std::size_t row : rows) {
        const std::int64_t v = value(row);
        const bool null = v < 0;  // an unknown category, a missing member
        c.codes.push_back(null ? 0 : static_cast<std::int32_t>(v));
        c.valid.push_back(null ? 0 : 1);
      }
    }
  }
}

void AddFigureColumns(ResultTable& table, const MarginResult& result,
                      const std::vector<std::size_t>& rows, bool cost_unknown) {
  const int scale = result.money_scale;
  ResultColumn* quantity = &table.AddInt64("quantity");
  for (std::size_t row : rows) {
    quantity->ints.push_back(result.groups[row].figures.quantity);
    quantity->valid.push_back(result.has_quantity ? 1 : 0);
  }
  struct MoneyField {
    const char* name;
    Money MarginFigures::*field;
  };
  for (const MoneyField& m : {MoneyField{"revenue", &MarginFigures::revenue},
                              MoneyField{"cost", &MarginFigures::cost},
                              MoneyField{"margin", &MarginFigures::margin}}) {
    ResultColumn& c = table.AddMoney(m.name, scale);
    for (std::size_t row : rows) c.ints.push_back(result.groups[row].figures.*(m.field));
  }
  struct RatioField {
    const char* name;
    std::optional<double> MarginFigures::*field;
  };
  for (const RatioField& f : {RatioField{"margin_pct", &MarginFigures::margin_pct},
                              RatioField{"revenue_share", &MarginFigures::revenue_share},
                              RatioField{"margin_share", &MarginFigures::margin_share}}) {
    ResultColumn& c = table.AddDouble(f.name);
    for (std::size_t row : rows) PushOptional(c, result.groups[row].figures.*(f.field));
  }
  if (cost_unknown) {
    ResultColumn& lines = table.AddInt64("cost_unknown_lines");
    for (std::size_t row : rows) lines.ints.push_back(result.groups[row].figures.cost_unknown_lines);
    ResultColumn& revenue = table.AddMoney("cost_unknown_revenue", scale);
    for (std::size_t row : rows) {
      revenue.ints.push_back(result.groups[row].figures.cost_unknown_revenue);
    }
  }
}

std::vector<std::size_t> AllRows(const MarginResult& result) {
  std::vector<std::size_t> rows(result.groups.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

}  // namespace

std::string_view QuadrantLabel(Quadrant quadrant, MarginLabelLanguage language) {
  const bool zh = language == MarginLabelLanguage::kChinese;
  switch (quadrant) {
    case Quadrant::kStar: return zh ? "明星" : "star";
    case Quadrant::kCashCow: return zh ? "现金牛" : "cash_cow";
    case Quadrant::kQuestionMark: return zh ? "问题" : "question_mark";
    case Quadrant::kDog: return zh ? "瘦狗" : "dog";
    case Quadrant::kNew: return zh ? "新品" : "new";
  }
  return "?";
}

std::string_view AbcLabel(AbcClass abc) {
  switch (abc) {
    case AbcClass::kA: return "A";
    case AbcClass::kB: return "B";
    case AbcClass::kC: return "C";
    case AbcClass::kN: return "N";
  }
  return "?";
}

ResultTable ToResultTable(const MarginResult& result, const MarginTableOptions& options) {
  ResultTable table;
  const std::vector<std::size_t> rows = AllRows(result);
  AddGroupColumns(table, result, rows);
  const bool cost_unknown =
      options.cost_unknown_columns == CostUnknownColumns::kAlways ||
      (options.cost_unknown_columns == CostUnknownColumns::kWhenAny &&
       result.total.cost_unknown_lines > 0);
  AddFigureColumns(table, result, rows, cost_unknown);
  if (options.abc != nullptr) {
    ResultColumn& c = table.AddString("abc");
    const bool aligned = options.abc->class_of_row.size() == result.groups.size();
    for (std::size_t row : rows) {
      c.strings.push_back(aligned ? std::string(AbcLabel(options.abc->class_of_row[row])) : "");
      c.valid.push_back(aligned ? 1 : 0);
    }
  }
  if (options.quadrant != nullptr) {
    ResultColumn& c = table.AddString("quadrant");
    const std::string_view want =
        options.quadrant->level == QuadrantLevel::kProduct ? "product" : "category";
    const bool joinable = result.grouping.dimensions.size() == 1 &&
                          result.grouping.dimensions[0] == want;
    absl::flat_hash_map<std::int64_t, Quadrant> by_item;
    if (joinable) {
      for (const QuadrantEntry& e : options.quadrant->entries) by_item[e.item] = e.quadrant;
    }
    for (std::size_t row : rows) {
      auto it = joinable ? by_item.find(result.groups[row].key[0]) : by_item.end();
      const bool found = it != by_item.end();
      c.strings.push_back(found ? std::string(QuadrantLabel(it->second, options.language)) : "");
      c.valid.push_back(found ? 1 : 0);
    }
  }
  TidyValidity(table);
  return table;
}

ResultTable ToResultTable(const MarginRanking& ranking, const MarginResult& result) {
  ResultTable table;
  std::vector<std::size_t> rows;
  ResultColumn& rank = table.AddInt64("rank");
  for (const MarginRankEntry& e : ranking.entries) {
    rank.ints.push_back(e.rank);
    rows.push_back(e.row);
  }
  AddGroupColumns(table, result, rows);
  AddFigureColumns(table, result, rows, false);
  TidyValidity(table);
  return table;
}

ResultTable ToResultTable(const AbcResult& abc, const MarginResult& result) {
  ResultTable table;
  std::vector<std::size_t> rows;
  ResultColumn& rank = table.AddInt64("rank");
  for (const AbcEntry& e : abc.entries) {
    rank.ints.push_back(e.rank);
    rows.push_back(e.row);
  }
  AddGroupColumns(table, result, rows);
  // References into the table stay valid only once every column is added.
  const std::size_t first = table.num_columns();
  table.AddMoney("value", result.money_scale);
  table.AddDouble("share");
  table.AddDouble("cumulative_share");
  table.AddString("abc");
  ResultColumn& value = table.mutable_columns()[first];
  ResultColumn& share = table.mutable_columns()[first + 1];
  ResultColumn& cumulative = table.mutable_columns()[first + 2];
  ResultColumn& cls = table.mutable_columns()[first + 3];
  for (const AbcEntry& e : abc.entries) {
    value.ints.push_back(e.value);
    PushOptional(share, e.share);
    PushOptional(cumulative, e.cumulative_share);
    cls.strings.emplace_back(AbcLabel(e.abc));
  }
  TidyValidity(table);
  return table;
}

ResultTable ToResultTable(const QuadrantResult& q, MarginLabelLanguage language) {
  ResultTable table;
  const bool by_product = q.level == QuadrantLevel::kProduct;
  ResultColumn& item = table.AddString(by_product ? "product" : "category");
  for (const QuadrantEntry& e : q.entries) {
    const bool null = !by_product && e.item < 0;
    item.strings.push_back(null ? std::string() : IdText(q.item_codes, e.item));
    item.valid.push_back(null ? 0 : 1);
  }
  if (by_product) {
    ResultColumn& cat = table.AddString("category");
    for (const QuadrantEntry& e : q.entries) {
      cat.strings.push_back(e.category < 0 ? std::string() : IdText(q.category_codes, e.category));
      cat.valid.push_back(e.category < 0 ? 0 : 1);
    }
  }
  const std::size_t first = table.num_columns();
  table.AddMoney("revenue", q.money_scale);
  table.AddMoney("revenue_prior", q.money_scale);
  table.AddMoney("margin", q.money_scale);
  table.AddDouble("growth");
  table.AddDouble("relative_share");
  table.AddDouble("margin_pct");
  table.AddString("quadrant");
  ResultColumns& cols = table.mutable_columns();
  ResultColumn& revenue = cols[first];
  ResultColumn& prior = cols[first + 1];
  ResultColumn& margin = cols[first + 2];
  ResultColumn& growth = cols[first + 3];
  ResultColumn& share = cols[first + 4];
  ResultColumn& pct = cols[first + 5];
  ResultColumn& label = cols[first + 6];
  for (const QuadrantEntry& e : q.entries) {
    revenue.ints.push_back(e.revenue);
    prior.ints.push_back(e.revenue_prior);
    margin.ints.push_back(e.margin);
    PushOptional(growth, e.growth);
    PushOptional(share, e.relative_share);
    PushOptional(pct, e.margin_pct);
    label.strings.emplace_back(QuadrantLabel(e.quadrant, language));
  }
  TidyValidity(table);
  return table;
}

ResultTable ToResultTable(const SlowMoverResult& s) {
  ResultTable table;
  table.AddString("product");
  table.AddDate("last_sale");
  table.AddInt64("days_since_sale");
  table.AddInt64("window_quantity");
  table.AddMoney("window_revenue", s.money_scale);
  table.AddInt64("no_recent_sale");
  table.AddInt64("bottom_quantity");
  ResultColumns& cols = table.mutable_columns();
  ResultColumn& product = cols[0];
  ResultColumn& last = cols[1];
  ResultColumn& days = cols[2];
  ResultColumn& qty = cols[3];
  ResultColumn& revenue = cols[4];
  ResultColumn& recent = cols[5];
  ResultColumn& bottom = cols[6];
  for (const SlowMover& m : s.products) {
    product.strings.push_back(IdText(s.product_codes, m.product));
    last.ints.push_back(m.last_sale == kNoDate ? 0 : m.last_sale);
    last.valid.push_back(m.last_sale == kNoDate ? 0 : 1);
    days.ints.push_back(m.days_since_sale.value_or(0));
    days.valid.push_back(m.days_since_sale ? 1 : 0);
    qty.ints.push_back(m.window_quantity);
    revenue.ints.push_back(m.window_revenue);
    recent.ints.push_back(m.no_recent_sale ? 1 : 0);
    bottom.ints.push_back(m.bottom_quantity ? 1 : 0);
  }
  TidyValidity(table);
  return table;
}

std::string WarningText(std::uint32_t warnings, MarginLabelLanguage language) {
  const bool zh = language == MarginLabelLanguage::kChinese;
  std::string out;
  auto add = [&](std::uint32_t bit, const char* en, const char* cn) {
    if ((warnings & bit) != 0) absl::StrAppend(&out, out.empty() ? "" : ",", zh ? cn : en);
  };
  add(kQuoteBelowCost, "below_cost", "低于成本");
  add(kQuoteBelowMarginFloor, "below_margin_floor", "低于毛利底线");
  add(kQuoteOverCreditLimit, "over_credit_limit", "超出信用额度");
  add(kQuoteNoCreditLimit, "no_credit_limit", "无信用额度");
  return out;
}

ResultTable ToResultTable(const QuoteResult& q, const QuoteIndex& index,
                          MarginLabelLanguage language) {
  ResultTable table;
  const int scale = index.money_scale();
  table.AddString("customer").strings.push_back(IdText(index.customer_codes(), q.customer));
  table.AddString("product").strings.push_back(IdText(index.product_codes(), q.product));
  table.AddInt64("quantity").ints.push_back(q.quantity);
  table.AddMoney("unit_price", scale).ints.push_back(q.unit_price);
  table.AddDate("date").ints.push_back(q.date);
  table.AddMoney("unit_cost", scale).ints.push_back(q.unit_cost);
  table.AddString("cost_source")
      .strings.emplace_back(q.cost_source == CostSource::kTierCost ? "tier" : "standard");
  ResultColumn& tier = table.AddInt64("tier_min_quantity");
  tier.ints.push_back(q.tier_min_quantity);
  if (q.tier_min_quantity < 0) tier.valid.push_back(0);
  table.AddMoney("revenue", scale).ints.push_back(q.revenue);
  table.AddMoney("cost", scale).ints.push_back(q.cost);
  table.AddMoney("margin", scale).ints.push_back(q.margin);
  PushOptional(table.AddDouble("margin_pct"), q.margin_pct);
  table.AddMoney("open_receivables", scale).ints.push_back(q.open_receivables);
  table.AddMoney("exposure", scale).ints.push_back(q.exposure);
  ResultColumn& limit = table.AddMoney("credit_limit", scale);
  limit.ints.push_back(q.credit_limit.value_or(0));
  limit.valid.push_back(q.credit_limit ? 1 : 0);
  ResultColumn& headroom = table.AddMoney("credit_headroom", scale);
  headroom.ints.push_back(q.credit_headroom.value_or(0));
  headroom.valid.push_back(q.credit_headroom ? 1 : 0);
  table.AddString("warnings").strings.push_back(WarningText(q.warnings, language));
  TidyValidity(table);
  return table;
}

}  // namespace salesight
