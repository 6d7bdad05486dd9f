#include "internal/json_table.hpp"

#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/json_util.hpp"
#include "salesight/approval/table_loaders.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace internal {
namespace {

using nlohmann::json;

absl::Status Err(std::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(where), ": ", what));
}

// The entries of one rule for `columns`, from a list in column order or an
// object keyed by column name (a missing key: `absent`).
template <typename Column>
absl::StatusOr<std::vector<const json*>> Entries(const json& j, const std::vector<Column>& columns,
                                                 const std::string& where) {
  std::vector<const json*> out(columns.size(), nullptr);
  if (j.is_array()) {
    if (j.size() != columns.size()) {
      return Err(where, absl::StrCat(j.size(), " entries, the table has ", columns.size(),
                                     " columns"));
    }
    for (std::size_t c = 0; c < columns.size(); ++c) out[c] = &j[c];
    return out;
  }
  if (!j.is_object()) return Err(where, "expected a list or an object keyed by column name");
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::size_t c = 0;
    while (c < columns.size() && columns[c].name != it.key()) ++c;
    if (c == columns.size()) return Err(where, absl::StrCat("no column named '", it.key(), "'"));
    out[c] = &it.value();
  }
  return out;
}

}  // namespace

absl::StatusOr<DecisionTable> DecisionTableFromJson(const json& j, const LoadLimits& limits) {
  if (!j.is_object()) return Err("decision", "expected an object");
  DecisionTable t;
  SALESIGHT_ASSIGN_OR_RETURN(t.id, OptString(j, "id", "decision"));
  SALESIGHT_ASSIGN_OR_RETURN(t.name, OptString(j, "name", "decision"));
  const std::string where = absl::StrCat("decision '", t.id.empty() ? t.name : t.id, "'");
  SALESIGHT_ASSIGN_OR_RETURN(std::string hit, OptString(j, "hit_policy", where));
  if (!hit.empty()) {
    absl::StatusOr<HitPolicy> p = ParseHitPolicy(hit);
    if (!p.ok()) return Err(where, p.status().message());
    t.hit_policy = *p;
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::string agg, OptString(j, "aggregator", where));
  {
    absl::StatusOr<Aggregator> a = ParseAggregator(agg);
    if (!a.ok()) return Err(where, a.status().message());
    t.aggregator = *a;
  }
  for (const char* key : {"inputs", "outputs", "rules"}) {
    if (!j.contains(key) || !j[key].is_array()) {
      return Err(where, absl::StrCat("'", key, "' must be a list"));
    }
  }
  if (j["inputs"].size() > limits.max_columns || j["outputs"].size() > limits.max_columns) {
    return Err(where, absl::StrCat("more than ", limits.max_columns, " columns"));
  }
  if (j["rules"].size() > limits.max_rules) {
    return Err(where, absl::StrCat(j["rules"].size(), " rules exceed the limit of ",
                                   limits.max_rules));
  }
  for (std::size_t c = 0; c < j["inputs"].size(); ++c) {
    const json& col = j["inputs"][c];
    const std::string cw = absl::StrCat(where, ", input #", c + 1);
    InputColumn in;
    SALESIGHT_ASSIGN_OR_RETURN(in.id, OptString(col, "id", cw));
    SALESIGHT_ASSIGN_OR_RETURN(in.name, OptString(col, "name", cw));
    SALESIGHT_ASSIGN_OR_RETURN(in.label, OptString(col, "label", cw));
    SALESIGHT_ASSIGN_OR_RETURN(std::string type, OptString(col, "type", cw));
    absl::StatusOr<ValueType> vt = ParseValueType(type);
    if (!vt.ok()) return Err(cw, vt.status().message());
    in.type = *vt;
    t.inputs.push_back(std::move(in));
  }
  for (std::size_t c = 0; c < j["outputs"].size(); ++c) {
    const json& col = j["outputs"][c];
    const std::string cw = absl::StrCat(where, ", output #", c + 1);
    OutputColumn out;
    SALESIGHT_ASSIGN_OR_RETURN(out.id, OptString(col, "id", cw));
    SALESIGHT_ASSIGN_OR_RETURN(out.name, OptString(col, "name", cw));
    SALESIGHT_ASSIGN_OR_RETURN(std::string type, OptString(col, "type", cw));
    absl::StatusOr<ValueType> vt = ParseValueType(type);
    if (!vt.ok()) return Err(cw, vt.status().message());
    out.type = *vt;
    if (col.contains("values")) {
      if (!col["values"].is_array()) return Err(cw, "'values' must be a list");
      for (const json& v : col["values"]) {
        absl::StatusOr<Value> value = JsonToValue(v, out.type);
        if (!value.ok()) return Err(cw, value.status().message());
        out.values.push_back(*std::move(value));
      }
    }
    t.outputs.push_back(std::move(out));
  }
  for (std::size_t r = 0; r < j["rules"].size(); ++r) {
    const json& rj = j["rules"][r];
    std::string rw = absl::StrCat(where, ", rule #", r + 1);
    Rule rule;
    SALESIGHT_ASSIGN_OR_RETURN(rule.id, OptString(rj, "id", rw));
    if (!rule.id.empty()) rw = absl::StrCat(where, ", rule '", rule.id, "' (#", r + 1, ")");
    SALESIGHT_ASSIGN_OR_RETURN(rule.description, OptString(rj, "description", rw));
    static const json kEmpty = json::object();
    const json& when = rj.contains("when") ? rj["when"] : kEmpty;
    SALESIGHT_ASSIGN_OR_RETURN(auto ins, Entries(when, t.inputs, rw + ", when"));
    for (std::size_t c = 0; c < t.inputs.size(); ++c) {
      const std::string ew = absl::StrCat(rw, ", input '", t.inputs[c].name, "'");
      std::string text = "-";
      if (ins[c] != nullptr) {
        if (!ins[c]->is_string()) return Err(ew, "an input entry is S-FEEL text (a string)");
        text = ins[c]->get<std::string>();
      }
      absl::StatusOr<UnaryTest> test = ParseUnaryTest(text, t.inputs[c].type);
      if (!test.ok()) return Err(ew, test.status().message());
      rule.inputs.push_back(*std::move(test));
    }
    if (!rj.contains("then")) return Err(rw, "no 'then'");
    SALESIGHT_ASSIGN_OR_RETURN(auto outs, Entries(rj["then"], t.outputs, rw + ", then"));
    for (std::size_t c = 0; c < t.outputs.size(); ++c) {
      const std::string ew = absl::StrCat(rw, ", output '", t.outputs[c].name, "'");
      absl::StatusOr<Value> v =
          outs[c] == nullptr ? Value::Null() : JsonToValue(*outs[c], t.outputs[c].type);
      if (!v.ok()) return Err(ew, v.status().message());
      rule.outputs.push_back(*std::move(v));
    }
    t.rules.push_back(std::move(rule));
  }
  SALESIGHT_RETURN_IF_ERROR(ValidateTable(t));
  return t;
}

}  // namespace internal

absl::StatusOr<DecisionTable> LoadDecisionTableJson(std::string_view text,
                                                    const LoadLimits& limits) {
  SALESIGHT_ASSIGN_OR_RETURN(nlohmann::json j, internal::ParseJsonBounded(text, limits, "decision"));
  return internal::DecisionTableFromJson(j, limits);
}

absl::StatusOr<const DecisionTable*> FindDecision(const std::vector<DecisionTable>& tables,
                                                  std::string_view id_or_name) {
  for (const DecisionTable& t : tables) {
    if (t.id == id_or_name) return &t;
  }
  for (const DecisionTable& t : tables) {
    if (t.name == id_or_name) return &t;
  }
  std::string ids;
  for (const DecisionTable& t : tables) absl::StrAppend(&ids, ids.empty() ? "" : ", ", t.id);
  return absl::NotFoundError(absl::StrCat("no decision '", std::string(id_or_name),
                                          "' (the file has: ", ids, ")"));
}

}  // namespace salesight::approval
