// The rule table's reader: untrusted JSON, bounded (size, depth, count) and
// validated field by field so that every error names the rule and the field.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/alerts.hpp"
#include "salesight/names.hpp"

namespace salesight {
namespace {

using Json = nlohmann::json;

// Counts nesting as the parser goes, so a deep document stops before the DOM
// is built (the DOM parse follows only when this one accepted the text).
struct DepthGuard {
  int depth = 0;
  bool too_deep = false;
  std::size_t error_byte = 0;
  std::string error;
  bool Open() {
    if (++depth > kMaxAlertRulesDepth) too_deep = true;
    return !too_deep;
  }
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const Json::string_t&) { return true; }
  bool string(Json::string_t&) { return true; }
  bool binary(Json::binary_t&) { return false; }
  bool start_object(std::size_t) { return Open(); }
  bool start_array(std::size_t) { return Open(); }
  bool end_object() { return --depth, true; }
  bool end_array() { return --depth, true; }
  bool key(Json::string_t&) { return true; }
  template <typename Exception>
  bool parse_error(std::size_t byte, const std::string&, const Exception& e) {
    error_byte = byte;
    error = e.what();
    const std::size_t colon = error.find(": ");
    if (colon != std::string::npos) error = error.substr(colon + 2);
    return false;
  }
};

const std::vector<std::string>& RuleKeys() {
  static const std::vector<std::string>* const k = new std::vector<std::string>{
      "id", "kpi", "dimension", "compare", "op", "threshold", "days", "min_lines", "severity", "note"};
  return *k;
}

class RuleReader {
 public:
  RuleReader(std::size_t index, std::string id) : index_(index), id_(std::move(id)) {}

  absl::Status Error(std::string_view field, std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("rules: rule ", index_ + 1,
                                                   id_.empty() ? "" : absl::StrCat(" ('", id_, "')"),
                                                   ", field '", std::string(field), "': ", std::string(what)));
  }

  absl::StatusOr<std::string> Text(const Json& rule, std::string_view field, bool required,
                                   std::string fallback = "") const {
    auto it = rule.find(std::string(field));
    if (it == rule.end()) {
      if (required) return Error(field, "is required");
      return fallback;
    }
    if (!it->is_string()) return Error(field, absl::StrCat("must be text, got ", it->dump()));
    return it->get<std::string>();
  }

  template <typename E>
  absl::StatusOr<E> Choice(const Json& rule, std::string_view field, bool required, E fallback,
                           const std::vector<std::pair<std::string, E>>& allowed) const {
    auto it = rule.find(std::string(field));
    if (it == rule.end()) {
      if (required) return Error(field, "is required");
      return fallback;
    }
    std::vector<std::string> names;
    for (const auto& [name, value] : allowed) {
      if (it->is_string() && it->get<std::string>() == name) return value;
      names.push_back(name);
    }
    const std::string given = it->is_string() ? it->get<std::string>() : it->dump();
    return Error(field, absl::StrCat("'", given, "' is not one of ", QuotedNames(names), ".",
                                     DidYouMean(given, names)));
  }

  absl::StatusOr<std::int64_t> Integer(const Json& rule, std::string_view field, std::int64_t lo,
                                       std::int64_t hi) const {
    const Json& v = rule.at(std::string(field));
    if (!v.is_number_integer()) return Error(field, absl::StrCat("must be an integer, got ", v.dump()));
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) {
      return Error(field, absl::StrCat(v.dump(), " is out of range ", lo, "..", hi));
    }
    const std::int64_t x = v.get<std::int64_t>();
    if (x < lo || x > hi) return Error(field, absl::StrCat(x, " is out of range ", lo, "..", hi));
    return x;
  }

  // An exact decimal of at most 6 decimals: a JSON integer or a string
  // ("-12.5", "50000.00"); a JSON fraction is refused (its binary double is
  // not the decimal the user wrote).
  absl::StatusOr<AlertThreshold> Threshold(const Json& rule) const {
    auto it = rule.find("threshold");
    if (it == rule.end()) return Error("threshold", "is required");
    AlertThreshold t;
    if (it->is_number_integer()) {
      t.text = it->dump();
    } else if (it->is_string()) {
      t.text = it->get<std::string>();
    } else if (it->is_number_float()) {
      return Error("threshold", absl::StrCat(it->dump(),
                                             " is a fraction: write it as a string (\"",
                                             it->dump(), "\") so it stays exact"));
    } else {
      return Error("threshold", absl::StrCat("must be a number, got ", it->dump()));
    }
    std::string_view s = t.text;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      negative = s[0] == '-';
      s.remove_prefix(1);
    }
    std::int64_t units = 0;
    int digits = 0;
    bool point = false;
    for (char c : s) {
      if (c == '.' && !point) {
        point = true;
        continue;
      }
      if (c < '0' || c > '9') {
        return Error("threshold", absl::StrCat("'", t.text, "' is not a decimal number"));
      }
      if (point && ++t.decimals > 6) {
        return Error("threshold", absl::StrCat("'", t.text, "' has more than 6 decimals"));
      }
      if (units > (std::int64_t{1} << 53)) {
        return Error("threshold", absl::StrCat("'", t.text, "' is too large"));
      }
      units = units * 10 + (c - '0');
      ++digits;
    }
    if (digits == 0) return Error("threshold", absl::StrCat("'", t.text, "' is not a decimal number"));
    t.units = negative ? -units : units;
    return t;
  }

 private:
  std::size_t index_;
  std::string id_;
};

absl::StatusOr<AlertRule> ReadRule(const Json& rule, std::size_t index) {
  std::string id;
  if (rule.is_object()) {
    auto it = rule.find("id");
    if (it != rule.end() && it->is_string()) id = it->get<std::string>();
  }
  RuleReader r(index, id.size() <= 64 ? id : id.substr(0, 64));
  if (!rule.is_object()) return r.Error("(rule)", absl::StrCat("must be an object, got ", rule.dump().substr(0, 80)));
  for (auto it = rule.begin(); it != rule.end(); ++it) {
    bool known = false;
    for (const std::string& k : RuleKeys()) known = known || k == it.key();
    if (!known) {
      return r.Error(it.key(), absl::StrCat("unknown field; the fields are ", QuotedNames(RuleKeys()),
                                            ".", DidYouMean(it.key(), RuleKeys())));
    }
  }
  AlertRule out;
  absl::StatusOr<std::string> s = r.Text(rule, "id", true);
  if (!s.ok()) return s.status();
  if (s->empty() || s->size() > 64) return r.Error("id", "must be 1..64 characters");
  out.id = *s;
  s = r.Text(rule, "kpi", true);
  if (!s.ok()) return s.status();
  if (s->empty()) return r.Error("kpi", "is empty");
  out.kpi = *s;
  if (out.kpi.rfind(kAlertConversionPrefix, 0) != 0 || out.kpi.size() == kAlertConversionPrefix.size()) {
    std::vector<std::string> names;
    for (std::string_view k : kAlertOrderKpis) names.emplace_back(k);
    for (std::string_view k : kAlertInvoiceKpis) names.emplace_back(k);
    if (std::find(names.begin(), names.end(), out.kpi) == names.end()) {
      names.push_back(absl::StrCat(std::string(kAlertConversionPrefix), "STAGE"));
      return r.Error("kpi", absl::StrCat("'", out.kpi, "' is not a KPI; the KPIs are ",
                                         QuotedNames(names), ".", DidYouMean(out.kpi, names)));
    }
  }
  s = r.Text(rule, "dimension", false, "total");
  if (!s.ok()) return s.status();
  if (s->empty()) return r.Error("dimension", "is empty (write \"total\" for no slicing)");
  out.dimension = *s == "total" ? "" : *s;
  absl::StatusOr<AlertCompare> compare = r.Choice<AlertCompare>(
      rule, "compare", false, AlertCompare::kValue,
      {{"value", AlertCompare::kValue},
       {"vs_last_year", AlertCompare::kVsLastYear},
       {"vs_previous", AlertCompare::kVsPrevious}});
  if (!compare.ok()) return compare.status();
  out.compare = *compare;
  absl::StatusOr<AlertOp> op = r.Choice<AlertOp>(rule, "op", true, AlertOp::kLess,
                                                 {{"<", AlertOp::kLess},
                                                  {"<=", AlertOp::kLessEqual},
                                                  {">", AlertOp::kGreater},
                                                  {">=", AlertOp::kGreaterEqual}});
  if (!op.ok()) return op.status();
  out.op = *op;
  absl::StatusOr<AlertThreshold> t = r.Threshold(rule);
  if (!t.ok()) return t.status();
  out.threshold = *t;
  if (rule.contains("days")) {
    if (out.kpi != "overdue") return r.Error("days", "applies to the kpi 'overdue' only");
    absl::StatusOr<std::int64_t> d = r.Integer(rule, "days", 0, 36500);
    if (!d.ok()) return d.status();
    out.days = static_cast<std::int32_t>(*d);
  }
  if (out.kpi == "overdue" && out.compare != AlertCompare::kValue) {
    return r.Error("compare", "the kpi 'overdue' is a state: only \"value\" applies");
  }
  if (rule.contains("min_lines")) {
    absl::StatusOr<std::int64_t> m = r.Integer(rule, "min_lines", 0, std::int64_t{1} << 40);
    if (!m.ok()) return m.status();
    out.min_lines = *m;
  }
  absl::StatusOr<AlertSeverity> sev = r.Choice<AlertSeverity>(
      rule, "severity", false, AlertSeverity::kWarning,
      {{"info", AlertSeverity::kInfo},
       {"warning", AlertSeverity::kWarning},
       {"critical", AlertSeverity::kCritical}});
  if (!sev.ok()) return sev.status();
  out.severity = *sev;
  if (rule.contains("note") && !rule["note"].is_string()) return r.Error("note", "must be text");
  return out;
}

}  // namespace

std::string_view AlertSeverityName(AlertSeverity s) {
  switch (s) {
    case AlertSeverity::kCritical: return "critical";
    case AlertSeverity::kWarning: return "warning";
    default: return "info";
  }
}

std::string_view AlertOpName(AlertOp op) {
  switch (op) {
    case AlertOp::kLess: return "<";
    case AlertOp::kLessEqual: return "<=";
    case AlertOp::kGreater: return ">";
    default: return ">=";
  }
}

absl::StatusOr<std::vector<AlertRule>> ParseAlertRules(std::string_view json) {
  if (json.size() > kMaxAlertRulesBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rules: %d bytes, over the limit of %d", json.size(), kMaxAlertRulesBytes));
  }
  try {
    DepthGuard guard;
    if (!Json::sax_parse(json.begin(), json.end(), &guard, Json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false)) {
      if (guard.too_deep) {
        return absl::InvalidArgumentError(
            absl::StrFormat("rules: nested deeper than %d levels", kMaxAlertRulesDepth));
      }
      return absl::InvalidArgumentError(
          absl::StrFormat("rules: not valid JSON at byte %d: %s", guard.error_byte, guard.error));
    }
    const Json doc = Json::parse(json.begin(), json.end());
    const Json* list = &doc;
    if (doc.is_object()) {
      for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it.key() != "rules") {
          return absl::InvalidArgumentError(absl::StrCat(
              "rules: unknown top-level field '", it.key(), "'; expected {\"rules\": [...]}"));
        }
      }
      if (!doc.contains("rules")) {
        return absl::InvalidArgumentError("rules: expected {\"rules\": [...]}");
      }
      list = &doc["rules"];
    }
    if (!list->is_array()) {
      return absl::InvalidArgumentError("rules: expected an array of rules or {\"rules\": [...]}");
    }
    if (list->size() > kMaxAlertRules) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rules: %d rules, over the limit of %d", list->size(), kMaxAlertRules));
    }
    std::vector<AlertRule> rules;
    absl::flat_hash_set<std::string> ids;
    for (std::size_t i = 0; i < list->size(); ++i) {
      absl::StatusOr<AlertRule> rule = ReadRule((*list)[i], i);
      if (!rule.ok()) return rule.status();
      if (!ids.insert(rule->id).second) {
        return RuleReader(i, rule->id).Error("id", "is used by an earlier rule");
      }
      rules.push_back(*std::move(rule));
    }
    return rules;
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("rules: out of memory while parsing");
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("rules: ", e.what()));
  }
}

}  // namespace salesight
