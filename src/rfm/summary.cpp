// Segment / Pareto / new-vs-returning summaries, ResultTable conversions and
// the option names used by the surfaces.
#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

#include <cctype>
#include <cmath>
#include <string>
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/rfm.hpp"
#include "internal/rules.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_internal::CustomerName;

double Share(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}
std::optional<double> MoneyShare(Money part, Money whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void PushOptional(ResultColumn& c, const std::optional<double>& v, bool& any_null) {
  c.doubles.push_back(v.value_or(0.0));
  c.valid.push_back(v.has_value() ? 1 : 0);
  any_null |= !v.has_value();
}

// "1,234,567.89": `decimals` places (trailing zeros dropped when trim).
std::string Grouped(double v, int decimals, bool trim) {
  std::string text = absl::StrFormat("%.*f", decimals, std::fabs(v));
  if (trim && text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  const std::size_t dot = std::min(text.find('.'), text.size());
  std::string out;
  for (std::size_t i = 0; i < dot; ++i) {
    if (i > 0 && (dot - i) % 3 == 0) out += ',';
    out += text[i];
  }
  out += text.substr(dot);
  return (v < 0 && out.find_first_not_of("0.,") != std::string::npos ? "-" : "") + out;
}

bool IntegralField(RfmField f) {
  return f != RfmField::kMonetary && f != RfmField::kTotal && f != RfmField::kOrdersPerYear &&
         f != RfmField::kAmountPerYear;
}

std::string ConditionText(const RfmCondition& c) {
  return absl::StrCat(rfm_internal::FieldName(c.field), " ", rfm_internal::OpName(c.op), " ",
                      Grouped(static_cast<double>(c.value_micros) / 1e6, 6, true));
}

// Why no customer is in this clause's part of the segment.
std::string ClauseReason(const RfmClauseCheck& clause) {
  for (const RfmConditionCheck& c : clause.conditions) {
    if (c.customers != 0 || !c.best) continue;
    const RfmOp op = c.condition.op;
    const char* best = op == RfmOp::kGt || op == RfmOp::kGe   ? "largest"
                       : op == RfmOp::kLt || op == RfmOp::kLe ? "smallest"
                                                              : "closest";
    return absl::StrCat("no customer has ", ConditionText(c.condition), " (", best, ": ",
                        Grouped(*c.best, IntegralField(c.condition.field) ? 0 : 2, false), ")");
  }
  std::string terms, counts;
  for (const RfmConditionCheck& c : clause.conditions) {
    absl::StrAppend(&terms, terms.empty() ? "" : " and ", ConditionText(c.condition));
    absl::StrAppend(&counts, counts.empty() ? "" : ", ", ConditionText(c.condition), ": ",
                    c.customers);
  }
  return absl::StrCat("no customer has ", terms, " together (customers meeting each: ", counts,
                      ")");
}

}  // namespace

std::string DescribeEmptySegment(const RfmEmptySegment& e, RfmLanguage language) {
  std::string out =
      absl::StrCat(language == RfmLanguage::kZh ? e.label.zh : e.label.en, ": ");
  if (e.clauses.empty()) {
    return absl::StrCat(out, "every customer matches an earlier segment first");
  }
  if (e.customers > 0) {
    return absl::StrCat(out, "the ", e.customers,
                        e.customers == 1 ? " customer meeting its rule matches"
                                         : " customers meeting its rule match",
                        " an earlier segment first");
  }
  for (std::size_t i = 0; i < e.clauses.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : "; ", ClauseReason(e.clauses[i]));
  }
  return out;
}

absl::StatusOr<RfmSegmentSummary> SummarizeSegments(const RfmResult& r) {
  if (!r.by.empty()) {
    RfmSegmentSummary s;
    s.money_scale = r.money_scale;
    s.language = r.language;
    s.by = r.by;
    for (const RfmGroup& g : r.groups) {
      SALESIGHT_ASSIGN_OR_RETURN(RfmSegmentSummary one, SummarizeSegments(g.result));
      s.customers += one.customers;
      if (!AddMoney(s.revenue, one.revenue, &s.revenue)) {
        return absl::OutOfRangeError("rfm summary: the revenue of all groups overflows int64");
      }
      s.groups.push_back({g.label, std::move(one)});
    }
    return s;
  }
  RfmSegmentSummary s;
  s.money_scale = r.money_scale;
  s.language = r.language;
  s.rows.resize(r.segment_labels.size());
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    s.rows[i].segment = static_cast<int>(i);
    s.rows[i].label = r.segment_labels[i];
  }
  for (std::size_t i = 0; i < r.customers.size(); ++i) {
    const std::size_t seg = r.scores[i].segment;
    if (seg >= s.rows.size()) return absl::InternalError("rfm: segment index out of range");
    RfmSegmentSummaryRow& row = s.rows[seg];
    ++row.customers;
    row.orders += r.customers[i].frequency;
    if (!AddMoney(row.revenue, r.total(i), &row.revenue) ||
        !AddMoney(s.revenue, r.total(i), &s.revenue)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "rfm summary: the revenue of segment '%s' overflows int64", row.label.en));
    }
  }
  s.customers = static_cast<std::int64_t>(r.customers.size());
  for (RfmSegmentSummaryRow& row : s.rows) {
    row.customer_share = Share(row.customers, s.customers);
    row.revenue_share = MoneyShare(row.revenue, s.revenue);
    if (row.orders > 0) {
      row.average_order_value = MoneyToDouble(row.revenue, r.money_scale) / static_cast<double>(row.orders);
    }
  }
  SALESIGHT_ASSIGN_OR_RETURN(s.empty_segments, ExplainEmptySegments(r));
  return s;
}

absl::StatusOr<RfmPareto> ComputePareto(const RfmResult& r, int points) {
  if (!r.by.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm pareto: the result is by '%s'; the Pareto curve is per group (result.groups[i])",
        r.by));
  }
  if (points < 1 || points > 100000) {
    return absl::InvalidArgumentError(
        absl::StrFormat("rfm pareto: points must be in 1..100000, got %d", points));
  }
  RfmPareto p;
  p.money_scale = r.money_scale;
  const std::size_t n = r.customers.size();
  std::vector<Money> totals(n);
  for (std::size_t i = 0; i < n; ++i) totals[i] = r.total(i);
  std::sort(totals.begin(), totals.end(), std::greater<Money>());
  std::vector<Money> prefix(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!AddMoney(prefix[i], totals[i], &prefix[i + 1])) {
      return absl::OutOfRangeError("rfm pareto: the total revenue overflows int64");
    }
  }
  p.revenue = prefix[n];
  if (n == 0) return p;
  const std::size_t pts = static_cast<std::size_t>(points);
  for (std::size_t i = 1; i <= pts; ++i) {
    const std::size_t c = (i * n + pts - 1) / pts;
    RfmParetoPoint pt;
    pt.customers = static_cast<std::int64_t>(c);
    pt.customer_share = Share(pt.customers, static_cast<std::int64_t>(n));
    pt.revenue = prefix[c];
    pt.revenue_share = MoneyShare(pt.revenue, p.revenue);
    p.points.push_back(pt);
  }
  p.top20_share = MoneyShare(prefix[(n + 4) / 5], p.revenue);
  return p;
}

// ---------------------------------------------------------------- tables

namespace {

// Fills an int column from one field per customer row; sized once (a result of
// a million customers is built in a few ms, no regrowth).
template <typename F>
void FillInts(ResultColumn& c, std::size_t n, F value) {
  c.ints.resize(n);
  for (std::size_t i = 0; i < n; ++i) c.ints[i] = value(i);
}

}  // namespace

std::string RfmGroupColumnName(std::string_view by) {
  static constexpr std::string_view kTaken[] = {
      "customer", "recency_days", "frequency", "monetary", "r", "f", "m", "segment",
      "first_purchase", "order_lines", "returns", "tenure_days", "total", "customers",
      "customer_share", "revenue", "revenue_share", "orders", "average_order_value", "note"};
  for (std::string_view t : kTaken) {
    if (t == by) return absl::StrCat("by_", std::string(by));
  }
  return std::string(by);
}

namespace {

// The populations of a result: itself, or its groups in order.
std::vector<const RfmResult*> Parts(const RfmResult& r) {
  std::vector<const RfmResult*> parts;
  if (r.by.empty()) {
    parts.push_back(&r);
  } else {
    for (const RfmGroup& g : r.groups) parts.push_back(&g.result);
  }
  return parts;
}

// The group column: member labels as codes into a dictionary of the labels,
// `count(g)` rows for group g.
template <typename Count>
void AddGroupColumn(ResultTable& t, const std::string& by, const std::vector<std::string>& labels,
                    Count count) {
  auto dict = std::make_shared<Dictionary>();
  ResultColumn& c = t.AddCodes(RfmGroupColumnName(by), dict);
  for (std::size_t g = 0; g < labels.size(); ++g) {
    absl::StatusOr<Id> id = dict->Intern(labels[g]);
    c.codes.insert(c.codes.end(), count(g), id.ok() ? *id : 0);
  }
}

}  // namespace

ResultTable ToResultTable(const RfmResult& whole, bool detail) {
  ResultTable t;
  const std::vector<const RfmResult*> parts = Parts(whole);
  std::size_t n = 0;
  for (const RfmResult* p : parts) n += p->customers.size();
  if (!whole.by.empty()) {
    std::vector<std::string> labels;
    for (const RfmGroup& g : whole.groups) labels.push_back(g.label);
    AddGroupColumn(t, whole.by, labels,
                   [&](std::size_t g) { return whole.groups[g].result.customers.size(); });
  }
  // Row i of the table: part pi, row k.
  std::vector<std::pair<const RfmResult*, std::size_t>> at;
  const bool one = parts.size() == 1;
  if (!one) {
    at.reserve(n);
    for (const RfmResult* p : parts) {
      for (std::size_t k = 0; k < p->customers.size(); ++k) at.emplace_back(p, k);
    }
  }
  auto row = [&](std::size_t i) -> const RfmCustomer& {
    return one ? parts[0]->customers[i] : at[i].first->customers[at[i].second];
  };
  auto score = [&](std::size_t i) -> const RfmScore& {
    return one ? parts[0]->scores[i] : at[i].first->scores[at[i].second];
  };
  auto total = [&](std::size_t i) {
    return one ? parts[0]->total(i) : at[i].first->total(at[i].second);
  };
  const RfmResult& r = whole;
  {
    // Ids as codes into the orders' customer dictionary (decimal without one):
    // no string per customer.
    ResultColumn& c = t.AddCodes("customer", r.customer_codes);
    c.codes.resize(n);
    for (std::size_t i = 0; i < n; ++i) c.codes[i] = row(i).customer;
  }
  FillInts(t.AddInt64("recency_days"), n, [&](std::size_t i) { return row(i).recency_days; });
  FillInts(t.AddInt64("frequency"), n, [&](std::size_t i) { return row(i).frequency; });
  FillInts(t.AddMoney("monetary", r.money_scale), n, [&](std::size_t i) { return row(i).monetary; });
  FillInts(t.AddInt64("r"), n, [&](std::size_t i) { return score(i).r; });
  FillInts(t.AddInt64("f"), n, [&](std::size_t i) { return score(i).f; });
  FillInts(t.AddInt64("m"), n, [&](std::size_t i) { return score(i).m; });
  {
    // The segment labels in the result's language as a small dictionary (two
    // rules may share a label, so segment index -> label code is a remap).
    // Every group has the same labels (rfm.hpp).
    auto labels = std::make_shared<Dictionary>();
    std::vector<std::int32_t> code_of(r.segment_labels.size());
    for (std::size_t s = 0; s < r.segment_labels.size(); ++s) {
      const RfmSegmentLabel& l = r.segment_labels[s];
      absl::StatusOr<Id> id = labels->Intern(r.language == RfmLanguage::kZh ? l.zh : l.en);
      code_of[s] = id.ok() ? *id : 0;  // Intern fails only past 2^31 codes
    }
    ResultColumn& c = t.AddCodes("segment", std::move(labels));
    c.codes.resize(n);
    for (std::size_t i = 0; i < n; ++i) c.codes[i] = code_of[score(i).segment];
  }
  if (r.has_clv) {  // one population only (CLV takes no by)
    for (auto [name, v] : {std::pair{"p_alive", &r.p_alive},
                           std::pair{"expected_purchases", &r.expected_purchases},
                           std::pair{"clv", &r.clv}}) {
      t.AddDouble(name).doubles.assign(v->begin(), v->end());
    }
  }
  if (detail) {
    FillInts(t.AddDate("first_purchase"), n, [&](std::size_t i) { return row(i).first_purchase; });
    FillInts(t.AddInt64("order_lines"), n, [&](std::size_t i) { return row(i).order_lines; });
    FillInts(t.AddInt64("returns"), n, [&](std::size_t i) { return row(i).returns; });
    FillInts(t.AddInt64("tenure_days"), n,
             [&](std::size_t i) { return std::int64_t{r.as_of} - row(i).first_purchase; });
    FillInts(t.AddMoney("total", r.money_scale), n, [&](std::size_t i) { return total(i); });
  }
  return t;
}

ResultTable ToResultTable(const RfmSegmentSummary& whole) {
  ResultTable t;
  std::vector<const RfmSegmentSummary*> parts;
  if (whole.by.empty()) {
    parts.push_back(&whole);
  } else {
    std::vector<std::string> labels;
    for (const RfmSegmentGroup& g : whole.groups) {
      parts.push_back(&g.summary);
      labels.push_back(g.label);
    }
    AddGroupColumn(t, whole.by, labels,
                   [&](std::size_t g) { return whole.groups[g].summary.rows.size(); });
  }
  ResultColumn& segment = t.AddString("segment");
  ResultColumn& customers = t.AddInt64("customers");
  ResultColumn& customer_share = t.AddDouble("customer_share");
  ResultColumn& revenue = t.AddMoney("revenue", whole.money_scale);
  ResultColumn& revenue_share = t.AddDouble("revenue_share");
  ResultColumn& orders = t.AddInt64("orders");
  ResultColumn& average = t.AddDouble("average_order_value");
  ResultColumn& note = t.AddString("note");
  bool null_share = false, null_average = false;
  for (const RfmSegmentSummary* s : parts) {
    const std::size_t first = note.strings.size();
    for (const auto& row : s->rows) {
      segment.strings.push_back(whole.language == RfmLanguage::kZh ? row.label.zh : row.label.en);
      customers.ints.push_back(row.customers);
      customer_share.doubles.push_back(row.customer_share);
      revenue.ints.push_back(row.revenue);
      PushOptional(revenue_share, row.revenue_share, null_share);
      orders.ints.push_back(row.orders);
      PushOptional(average, row.average_order_value, null_average);
      note.strings.emplace_back();
      note.valid.push_back(0);
    }
    for (const RfmEmptySegment& e : s->empty_segments) {
      const auto row = static_cast<std::size_t>(e.segment);
      if (row >= s->rows.size()) continue;
      note.strings[first + row] = DescribeEmptySegment(e, whole.language);
      note.valid[first + row] = 1;
    }
  }
  if (!null_share) revenue_share.valid.clear();
  if (!null_average) average.valid.clear();
  return t;
}

ResultTable ToResultTable(const RfmPareto& p) {
  ResultTable t;
  {
    ResultColumn& c = t.AddInt64("customers");
    for (const auto& pt : p.points) c.ints.push_back(pt.customers);
  }
  {
    ResultColumn& c = t.AddDouble("customer_share");
    for (const auto& pt : p.points) c.doubles.push_back(pt.customer_share);
  }
  {
    ResultColumn& c = t.AddMoney("revenue", p.money_scale);
    for (const auto& pt : p.points) c.ints.push_back(pt.revenue);
  }
  {
    ResultColumn& c = t.AddDouble("revenue_share");
    bool any_null = false;
    for (const auto& pt : p.points) PushOptional(c, pt.revenue_share, any_null);
    if (!any_null) c.valid.clear();
  }
  return t;
}

// ---------------------------------------------------------------- names

namespace {
template <typename E, std::size_t N>
absl::StatusOr<E> ParseName(std::string_view what, std::string_view name,
                            const std::pair<const char*, E> (&table)[N]) {
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string expected;
  for (const auto& [text, value] : table) {
    if (lower == text) return value;
    absl::StrAppend(&expected, expected.empty() ? "" : ", ", text);
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("rfm: unknown %s '%s' (expected %s)", what, name, expected));
}
}  // namespace

absl::StatusOr<RfmFrequency> ParseRfmFrequency(std::string_view name) {
  static constexpr std::pair<const char*, RfmFrequency> kNames[] = {
      {"orders", RfmFrequency::kOrders}, {"days", RfmFrequency::kDays}};
  return ParseName("frequency", name, kNames);
}
absl::StatusOr<RfmMonetary> ParseRfmMonetary(std::string_view name) {
  static constexpr std::pair<const char*, RfmMonetary> kNames[] = {
      {"revenue", RfmMonetary::kRevenue}, {"margin", RfmMonetary::kMargin}};
  return ParseName("monetary", name, kNames);
}
absl::StatusOr<RfmAggregation> ParseRfmAggregation(std::string_view name) {
  static constexpr std::pair<const char*, RfmAggregation> kNames[] = {
      {"sum", RfmAggregation::kSum}, {"mean", RfmAggregation::kMeanPerOrder}};
  return ParseName("aggregation", name, kNames);
}
absl::StatusOr<RfmScoring> ParseRfmScoring(std::string_view name) {
  static constexpr std::pair<const char*, RfmScoring> kNames[] = {
      {"quantile", RfmScoring::kQuantile}, {"ntile", RfmScoring::kNtile}, {"fixed", RfmScoring::kFixed}};
  return ParseName("scoring", name, kNames);
}
absl::StatusOr<RfmSegments> ParseRfmSegments(std::string_view name) {
  static constexpr std::pair<const char*, RfmSegments> kNames[] = {
      {"tiers", RfmSegments::kTiers},
      {"classic", RfmSegments::kClassic},
      {"workload", RfmSegments::kWorkload},
      {"custom", RfmSegments::kCustom},
      {"relative", RfmSegments::kRelativeTiers}};
  return ParseName("segment table", name, kNames);
}
absl::StatusOr<RfmByScope> ParseRfmByScope(std::string_view name) {
  static constexpr std::pair<const char*, RfmByScope> kNames[] = {
      {"lines", RfmByScope::kLines}, {"customer", RfmByScope::kCustomer}};
  return ParseName("by_scope", name, kNames);
}
absl::StatusOr<RfmLanguage> ParseRfmLanguage(std::string_view name) {
  static constexpr std::pair<const char*, RfmLanguage> kNames[] = {{"en", RfmLanguage::kEn},
                                                                   {"zh", RfmLanguage::kZh}};
  return ParseName("language", name, kNames);
}

}  // namespace salesight
