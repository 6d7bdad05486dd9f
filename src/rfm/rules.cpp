#include "internal/rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using rfm_internal::kMicros;

struct FieldName {
  RfmField field;
  const char* name;
};
constexpr std::array<FieldName, 12> kFieldNames = {{
    {RfmField::kRecency, "recency"},
    {RfmField::kFrequency, "frequency"},
    {RfmField::kMonetary, "monetary"},
    {RfmField::kTotal, "total"},
    {RfmField::kR, "r"},
    {RfmField::kF, "f"},
    {RfmField::kM, "m"},
    {RfmField::kTenure, "tenure"},
    {RfmField::kOrdersPerYear, "orders_per_year"},
    {RfmField::kAmountPerYear, "amount_per_year"},
    {RfmField::kLines, "lines"},
    {RfmField::kReturns, "returns"},
}};

const char* FieldText(RfmField f) {
  for (const FieldName& n : kFieldNames) {
    if (n.field == f) return n.name;
  }
  return "?";
}

const char* OpText(RfmOp op) {
  switch (op) {
    case RfmOp::kLt: return "<";
    case RfmOp::kLe: return "<=";
    case RfmOp::kGt: return ">";
    case RfmOp::kGe: return ">=";
    case RfmOp::kEq: return "=";
    case RfmOp::kNe: return "!=";
  }
  return "?";
}

std::int64_t Micros(double x) { return std::llround(x * static_cast<double>(kMicros)); }
std::int64_t Micros(std::int64_t x) { return x * kMicros; }

RfmCondition Cond(RfmField field, RfmOp op, std::int64_t micros) { return {field, op, micros}; }

// "12.5" for 12'500'000 micros; integers without a decimal point.
std::string FormatMicros(std::int64_t v) {
  const bool neg = v < 0;
  const std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string out = absl::StrCat(neg ? "-" : "", u / 1'000'000u);
  std::uint64_t frac = u % 1'000'000u;
  if (frac != 0) {
    std::string digits = absl::StrFormat("%06d", frac);
    while (digits.back() == '0') digits.pop_back();
    absl::StrAppend(&out, ".", digits);
  }
  return out;
}

// --- parser -----------------------------------------------------------------
// (Debian's Abseil has its own absl::string_view, so plain helpers on
// std::string_view are used here.)

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

struct Token {
  enum Kind { kWord, kOp, kNumber } kind;
  std::string text;
};

absl::StatusOr<std::vector<Token>> Tokenize(std::string_view s, int line) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char ch = static_cast<unsigned char>(s[i]);
    if (std::isspace(ch)) {
      ++i;
    } else if (std::isalpha(ch) || ch == '_') {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::kWord, Lower(s.substr(i, j - i))});
      i = j;
    } else if (ch == '<' || ch == '>' || ch == '=' || ch == '!') {
      std::size_t j = i;
      while (j < s.size() && (s[j] == '<' || s[j] == '>' || s[j] == '=' || s[j] == '!')) ++j;
      out.push_back({Token::kOp, std::string(s.substr(i, j - i))});
      i = j;
    } else if (std::isdigit(ch) || ch == '-' || ch == '+' || ch == '.') {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      out.push_back({Token::kNumber, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      return absl::InvalidArgumentError(
          absl::StrFormat("rules line %d: unexpected character '%c'", line, s[i]));
    }
  }
  return out;
}

absl::StatusOr<std::int64_t> ParseMicros(const std::string& text, int line) {
  std::size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  std::int64_t whole = 0;
  std::size_t digits = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
    if (__builtin_mul_overflow(whole, 10, &whole) ||
        __builtin_add_overflow(whole, text[i] - '0', &whole)) {
      digits = 100;
    }
  }
  std::int64_t frac = 0;
  std::size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (++frac_digits > 6) break;
      frac = frac * 10 + (text[i] - '0');
    }
  }
  if (i != text.size() || digits + frac_digits == 0 || frac_digits > 6 || digits > 12) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rules line %d: '%s' is not a number with at most 12 integer digits and 6 decimals", line,
        text));
  }
  for (std::size_t d = frac_digits; d < 6; ++d) frac *= 10;
  const std::int64_t v = whole * kMicros + frac;
  return neg ? -v : v;
}

absl::StatusOr<RfmOp> ParseOp(const std::string& op, int line) {
  if (op == "<") return RfmOp::kLt;
  if (op == "<=") return RfmOp::kLe;
  if (op == ">") return RfmOp::kGt;
  if (op == ">=") return RfmOp::kGe;
  if (op == "=" || op == "==") return RfmOp::kEq;
  if (op == "!=") return RfmOp::kNe;
  return absl::InvalidArgumentError(absl::StrFormat(
      "rules line %d: unknown operator '%s' (expected <, <=, >, >=, =, == or !=)", line, op));
}

absl::StatusOr<std::vector<std::vector<RfmCondition>>> ParseCondition(std::string_view text,
                                                                      int line) {
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text, line));
  std::vector<std::vector<RfmCondition>> any_of(1);
  std::size_t i = 0;
  while (true) {
    if (i + 3 > tokens.size()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules line %d: expected 'field op number' at the end of '%s'", line, text));
    }
    const Token& f = tokens[i];
    const Token& op = tokens[i + 1];
    const Token& num = tokens[i + 2];
    if (f.kind != Token::kWord) {
      return absl::InvalidArgumentError(
          absl::StrFormat("rules line %d: expected a field name, got '%s'", line, f.text));
    }
    const FieldName* field = nullptr;
    for (const FieldName& n : kFieldNames) {
      if (f.text == n.name) field = &n;
    }
    if (field == nullptr) {
      std::vector<std::string> names;
      for (const FieldName& n : kFieldNames) names.push_back(n.name);
      return absl::InvalidArgumentError(
          absl::StrFormat("rules line %d: unknown field '%s' (expected one of %s)", line, f.text,
                          absl::StrJoin(names, ", ")));
    }
    if (op.kind != Token::kOp) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules line %d: expected an operator after '%s', got '%s'", line, f.text, op.text));
    }
    SALESIGHT_ASSIGN_OR_RETURN(RfmOp rop, ParseOp(op.text, line));
    if (num.kind != Token::kNumber) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules line %d: expected a number after '%s %s', got '%s'", line, f.text, op.text,
          num.text));
    }
    SALESIGHT_ASSIGN_OR_RETURN(std::int64_t micros, ParseMicros(num.text, line));
    any_of.back().push_back(Cond(field->field, rop, micros));
    i += 3;
    if (i == tokens.size()) break;
    if (tokens[i].kind == Token::kWord && tokens[i].text == "and") {
      ++i;
    } else if (tokens[i].kind == Token::kWord && tokens[i].text == "or") {
      any_of.emplace_back();
      ++i;
    } else {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules line %d: expected 'and' or 'or', got '%s'", line, tokens[i].text));
    }
  }
  return any_of;
}

RfmRule Rule(std::string en, std::string zh, std::vector<std::vector<RfmCondition>> any_of) {
  return RfmRule{std::move(en), std::move(zh), std::move(any_of)};
}

// Score conditions: r >= 4 etc.
RfmCondition S(RfmField f, RfmOp op, int v) { return Cond(f, op, Micros(std::int64_t{v})); }

}  // namespace

RfmRuleTable RfmRuleTable::Tiers(const TierThresholds& t) {
  using F = RfmField;
  using O = RfmOp;
  RfmRuleTable table;
  const auto days = [](std::int32_t d) { return Micros(std::int64_t{d}); };
  table.rules.push_back(Rule(
      "high_value", "高价值客户",
      {{Cond(F::kRecency, O::kLt, days(t.high_value_recency_below)),
        Cond(F::kOrdersPerYear, O::kGt, Micros(t.high_value_orders_per_year_above)),
        Cond(F::kAmountPerYear, O::kGt, Micros(t.high_value_amount_per_year_above))}}));
  table.rules.push_back(Rule("new", "新客户",
                             {{Cond(F::kRecency, O::kLt, days(t.new_recency_below)),
                               Cond(F::kFrequency, O::kEq, days(t.new_frequency_equals))}}));
  table.rules.push_back(
      Rule("potential", "潜力客户",
           {{Cond(F::kRecency, O::kLt, days(t.potential_recency_below)),
             Cond(F::kOrdersPerYear, O::kLt, Micros(t.potential_orders_per_year_below))},
            {Cond(F::kRecency, O::kLt, days(t.potential_recency_below)),
             Cond(F::kAmountPerYear, O::kLt, Micros(t.potential_amount_per_year_below))}}));
  table.rules.push_back(
      Rule("churn_risk", "流失风险客户",
           {{Cond(F::kRecency, O::kGt, days(t.churn_recency_above)),
             Cond(F::kOrdersPerYear, O::kGt, Micros(t.churn_orders_per_year_above))}}));
  table.rules.push_back(
      Rule("low_value", "低价值客户",
           {{Cond(F::kRecency, O::kGt, days(t.low_value_recency_above)),
             Cond(F::kOrdersPerYear, O::kLt, Micros(t.low_value_orders_per_year_below)),
             Cond(F::kAmountPerYear, O::kLt, Micros(t.low_value_amount_per_year_below))}}));
  table.rules.push_back(Rule("regular", "一般客户", {}));
  return table;
}

RfmRuleTable RfmRuleTable::Classic() {
  using F = RfmField;
  using O = RfmOp;
  RfmRuleTable t;
  t.designed_for_k = 5;
  t.rules = {
      Rule("champions", "冠军客户", {{S(F::kR, O::kGe, 4), S(F::kF, O::kGe, 4), S(F::kM, O::kGe, 4)}}),
      Rule("loyal", "忠诚客户", {{S(F::kR, O::kGe, 3), S(F::kF, O::kGe, 3), S(F::kM, O::kGe, 3)}}),
      Rule("potential_loyalist", "潜在忠诚客户", {{S(F::kR, O::kGe, 4), S(F::kF, O::kGe, 2)}}),
      Rule("new", "新客户", {{S(F::kR, O::kGe, 4), S(F::kF, O::kLe, 1)}}),
      Rule("promising", "有潜力客户", {{S(F::kR, O::kEq, 3), S(F::kF, O::kLe, 1)}}),
      Rule("need_attention", "需要关注客户", {{S(F::kR, O::kEq, 3)}}),
      Rule("cant_lose", "不能失去的客户",
           {{S(F::kR, O::kLe, 1), S(F::kF, O::kGe, 4), S(F::kM, O::kGe, 4)}}),
      Rule("at_risk", "有流失风险客户", {{S(F::kR, O::kLe, 2), S(F::kF, O::kGe, 3), S(F::kM, O::kGe, 3)}}),
      Rule("about_to_sleep", "即将沉睡客户", {{S(F::kR, O::kEq, 2)}}),
      Rule("hibernating", "休眠客户", {{S(F::kR, O::kLe, 1), S(F::kF, O::kGe, 2)}}),
      Rule("lost", "流失客户", {{S(F::kR, O::kLe, 1)}}),
  };
  return t;
}

RfmRuleTable RfmRuleTable::Workload() {
  using F = RfmField;
  using O = RfmOp;
  RfmRuleTable t;
  t.designed_for_k = 5;
  t.rules = {
      Rule("champions", "冠军客户", {{S(F::kR, O::kGe, 4), S(F::kF, O::kGe, 4), S(F::kM, O::kGe, 4)}}),
      Rule("loyal", "忠诚客户", {{S(F::kR, O::kGe, 3), S(F::kF, O::kGe, 3)}}),
      Rule("new", "新客户", {{S(F::kR, O::kGe, 4), S(F::kF, O::kLe, 2)}}),
      Rule("cant_lose", "不能失去的客户", {{S(F::kR, O::kLe, 2), S(F::kF, O::kGe, 4)}}),
      Rule("at_risk", "有流失风险客户", {{S(F::kR, O::kLe, 2), S(F::kF, O::kGe, 2)}}),
      Rule("lost", "流失客户", {{S(F::kR, O::kLe, 2)}}),
      Rule("need_attention", "需要关注客户", {}),
  };
  return t;
}

std::string RfmRuleTable::ToText() const {
  std::string out = "# label_en|label_zh|condition  (first match wins; '*' matches everyone)\n";
  if (designed_for_k != 0) absl::StrAppend(&out, "# scores 1..", designed_for_k, "\n");
  bool catch_all = false;
  for (const RfmRule& r : rules) {
    std::vector<std::string> clauses;
    for (const std::vector<RfmCondition>& clause : r.any_of) {
      std::vector<std::string> terms;
      for (const RfmCondition& c : clause) {
        terms.push_back(
            absl::StrCat(FieldText(c.field), " ", OpText(c.op), " ", FormatMicros(c.value_micros)));
      }
      clauses.push_back(absl::StrJoin(terms, " and "));
    }
    catch_all = r.any_of.empty();
    absl::StrAppend(&out, r.label_en, "|", r.label_zh, "|",
                    catch_all ? std::string("*") : absl::StrJoin(clauses, " or "), "\n");
    if (catch_all) break;
  }
  if (!catch_all && (default_en != "other" || default_zh != "其他")) {
    absl::StrAppend(&out, default_en, "|", default_zh, "|*\n");
  }
  return out;
}

absl::StatusOr<RfmRuleTable> ParseRuleTable(std::string_view text) {
  RfmRuleTable table;
  int line_no = 0;
  int catch_all_line = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (catch_all_line != 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules line %d: unreachable, the rule on line %d matches every customer", line_no,
          catch_all_line));
    }
    std::vector<std::string_view> parts = Split(line, '|');
    if (parts.size() != 3) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules line %d: expected label_en|label_zh|condition, got '%s'", line_no, line));
    }
    RfmRule rule;
    rule.label_en = std::string(Trim(parts[0]));
    rule.label_zh = std::string(Trim(parts[1]));
    if (rule.label_en.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat("rules line %d: empty label_en", line_no));
    }
    if (rule.label_zh.empty()) rule.label_zh = rule.label_en;
    const std::string_view cond = Trim(parts[2]);
    if (cond.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("rules line %d: empty condition (use '*' to match everyone)", line_no));
    }
    if (cond == "*") {
      catch_all_line = line_no;
    } else {
      SALESIGHT_ASSIGN_OR_RETURN(rule.any_of, ParseCondition(cond, line_no));
    }
    table.rules.push_back(std::move(rule));
  }
  return table;
}

namespace rfm_internal {

absl::StatusOr<CompiledRules> CompiledRules::Compile(const RfmRuleTable& table, int k,
                                                     int money_scale) {
  if (table.designed_for_k != 0 && table.designed_for_k != k) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm: the segment table is written for scores 1..%d but k = %d", table.designed_for_k, k));
  }
  if (money_scale < 0 || money_scale > 6) {
    return absl::InvalidArgumentError(absl::StrFormat("rfm: money scale %d", money_scale));
  }
  CompiledRules c;
  c.money_to_micros_ = Pow10(6 - money_scale);
  auto label_index = [&c](const std::string& en, const std::string& zh) -> int {
    for (std::size_t i = 0; i < c.labels_.size(); ++i) {
      if (c.labels_[i].en == en) return static_cast<int>(i);
    }
    c.labels_.push_back({en, zh.empty() ? en : zh});
    return static_cast<int>(c.labels_.size()) - 1;
  };
  bool catch_all = false;
  bool scores_only = true;
  for (const RfmRule& r : table.rules) {
    if (r.label_en.empty()) return absl::InvalidArgumentError("rfm: a segment rule has no label");
    const int idx = label_index(r.label_en, r.label_zh);
    if (idx > 254) return absl::InvalidArgumentError("rfm: a segment table has at most 255 labels");
    c.rule_begin_.push_back(static_cast<std::uint32_t>(c.clause_begin_.size()));
    c.rule_segment_.push_back(static_cast<std::uint8_t>(idx));
    for (const std::vector<RfmCondition>& clause : r.any_of) {
      c.clause_begin_.push_back(static_cast<std::uint32_t>(c.conds_.size()));
      for (const RfmCondition& cond : clause) {
        c.conds_.push_back({cond.field, cond.op, cond.value_micros});
        scores_only &= cond.field == RfmField::kR || cond.field == RfmField::kF ||
                       cond.field == RfmField::kM;
      }
    }
    if (r.any_of.empty()) {
      catch_all = true;
      break;  // later rules can never match
    }
  }
  c.rule_begin_.push_back(static_cast<std::uint32_t>(c.clause_begin_.size()));
  c.clause_begin_.push_back(static_cast<std::uint32_t>(c.conds_.size()));
  if (!catch_all) {
    const int idx = label_index(table.default_en, table.default_zh);
    if (idx > 254) return absl::InvalidArgumentError("rfm: a segment table has at most 255 labels");
    c.default_segment_ = static_cast<std::uint8_t>(idx);
  }
  if (scores_only && k >= 1 && k <= 32) {
    c.stride_ = static_cast<std::size_t>(k) + 1;
    std::vector<std::uint8_t> lut(c.stride_ * c.stride_ * c.stride_, 0);
    const RfmCustomer dummy{};
    for (int r = 1; r <= k; ++r) {
      for (int f = 1; f <= k; ++f) {
        for (int m = 1; m <= k; ++m) {
          lut[(static_cast<std::size_t>(r) * c.stride_ + static_cast<std::size_t>(f)) * c.stride_ +
              static_cast<std::size_t>(m)] =
              c.Evaluate(dummy, 0, 0, static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(f),
                         static_cast<std::uint8_t>(m));
        }
      }
    }
    c.lut_ = std::move(lut);
  }
  return c;
}

std::uint8_t CompiledRules::Evaluate(const RfmCustomer& row, Money total, Day as_of,
                                     std::uint8_t r, std::uint8_t f, std::uint8_t m) const {
  const std::size_t num_rules = rule_segment_.size();
  for (std::size_t i = 0; i < num_rules; ++i) {
    const std::uint32_t cb = rule_begin_[i], ce = rule_begin_[i + 1];
    if (cb == ce) return rule_segment_[i];  // '*'
    for (std::uint32_t cl = cb; cl < ce; ++cl) {
      bool all = true;
      for (std::uint32_t k = clause_begin_[cl]; all && k < clause_begin_[cl + 1]; ++k) {
        const Cond& cond = conds_[k];
        std::int64_t den = 1;
        const Int128 lhs = FieldValue(cond.field, row, total, as_of, r, f, m, money_to_micros_, &den);
        all = Compare(cond.op, lhs, Int128{cond.value_micros} * den);
      }
      if (all) return rule_segment_[i];
    }
  }
  return default_segment_;
}

const char* FieldName(RfmField field) { return FieldText(field); }
const char* OpName(RfmOp op) { return OpText(op); }

}  // namespace rfm_internal
}  // namespace salesight
