#include "salesight/approval/report.hpp"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "internal/json_util.hpp"
#include "salesight/approval/engine.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

using nlohmann::json;

json RowOutputs(const DecisionTable& t, std::size_t rule) {
  if (t.outputs.size() == 1) return internal::ValueToJson(t.rules[rule].outputs[0]);
  json o = json::object();
  for (std::size_t c = 0; c < t.outputs.size(); ++c) o[t.outputs[c].name] = internal::ValueToJson(t.rules[rule].outputs[c]);
  return o;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) absl::StrAppend(&out, out.empty() ? "" : sep, s);
  return out;
}

// "2026-01-05T09:00:00Z" for seconds since 1970 (UTC).
std::string IsoTime(std::int64_t seconds) {
  const std::int64_t day = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  const std::int64_t rest = seconds - day * 86400;
  char hms[16];
  std::snprintf(hms, sizeof hms, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                static_cast<int>(rest % 60));
  return FormatDate(static_cast<Day>(day)) + hms;
}

// The audit row of one event.
json AuditRow(const Event& e, const std::vector<std::string>& rules, std::int64_t policy_version) {
  std::string detail = e.text;
  if (!e.target.empty()) detail = absl::StrCat("to ", e.target, detail.empty() ? "" : ": ", detail);
  if (!e.people.empty()) {
    detail = absl::StrCat(std::string(SignerPositionName(e.position)), " ", std::string(NodeKindName(e.signer_kind)),
                          ": ", Join(e.people, " "), e.text.empty() ? "" : "; ", e.text);
  }
  if (e.kind == EventKind::kDelegated) absl::StrAppend(&detail, " until ", IsoTime(e.until));
  return {{"version", e.version}, {"time", IsoTime(e.at)}, {"instance", e.instance}, {"event", std::string(EventKindName(e.kind))},
          {"actor", e.actor}, {"on_behalf_of", e.on_behalf_of}, {"node", e.node}, {"detail", detail},
          {"rules", Join(rules, " ")}, {"policy_version", policy_version}, {"hash", e.hash}};
}

template <typename F>
void ForEachAudit(const std::vector<Event>& log, F&& f) {
  std::map<std::string, std::pair<std::vector<std::string>, std::int64_t>> routed;  // per instance
  for (const Event& e : log) {
    if (e.kind == EventKind::kSubmitted || e.kind == EventKind::kResubmitted) {
      routed[e.instance] = {e.route.rules, e.route.policy_version};
    }
    const auto& r = routed[e.instance];
    f(AuditRow(e, r.first, r.second));
  }
}

constexpr const char* kAuditColumns[] = {"instance", "version", "time", "event", "actor", "on_behalf_of",
                                         "node", "detail", "rules", "policy_version", "hash"};

}  // namespace

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

absl::StatusOr<std::map<std::string, Value>> AttributesFromJson(std::string_view text) {
  LoadLimits limits;
  limits.max_bytes = 1u << 20;
  SALESIGHT_ASSIGN_OR_RETURN(json j, internal::ParseJsonBounded(text, limits, "inputs"));
  if (!j.is_object()) return absl::InvalidArgumentError("inputs: expected a JSON object of attributes");
  std::map<std::string, Value> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const json& v = it.value();
    ValueType t = ValueType::kNull;
    if (v.is_string()) t = ValueType::kString;
    if (v.is_number()) t = ValueType::kNumber;
    if (v.is_boolean()) t = ValueType::kBool;
    if (!v.is_null() && t == ValueType::kNull) {
      return absl::InvalidArgumentError(absl::StrCat("inputs, '", it.key(), "': ", v.dump(), " is not a string, number or boolean"));
    }
    absl::StatusOr<Value> value = t == ValueType::kNull ? Value::Null() : internal::JsonToValue(v, t);
    if (!value.ok()) return absl::InvalidArgumentError(absl::StrCat("inputs, '", it.key(), "': ", value.status().message()));
    out.emplace(it.key(), *std::move(value));
  }
  return out;
}

std::string DecisionResultJson(const DecisionTable& t, const DecisionResult& r) {
  if (r.aggregated) return internal::ValueToJson(r.aggregate).dump();
  if (IsSingleHit(t.hit_policy)) return r.rules.empty() ? "null" : RowOutputs(t, r.rules[0]).dump();
  json list = json::array();
  for (std::size_t rule : r.rules) list.push_back(RowOutputs(t, rule));
  return list.dump();
}

std::string RouteJson(const std::string& contract, const Route& route) {
  json nodes = json::array();
  for (const ResolvedNode& n : route.nodes) {
    nodes.push_back({{"id", n.id}, {"kind", std::string(NodeKindName(n.kind))}, {"approvers", n.approvers},
                     {"required", n.required}, {"skipped", n.skipped}, {"note", n.note}});
  }
  json flags = json::object();
  for (const auto& [k, v] : route.flags) flags[k] = internal::ValueToJson(v);
  return json{{"contract", contract}, {"policy_version", route.policy_version}, {"rules", route.rules},
              {"chains", route.chains}, {"nodes", nodes}, {"flags", flags}}
      .dump();
}

std::string RouteCsvHeader() { return "contract,step,node,kind,approvers,required,skipped,chains,rules,note\n"; }

std::string RouteCsvRows(const std::string& contract, const Route& route) {
  std::string out;
  for (std::size_t i = 0; i < route.nodes.size(); ++i) {
    const ResolvedNode& n = route.nodes[i];
    absl::StrAppend(&out, CsvField(contract), ",", i + 1, ",", CsvField(n.id), ",", std::string(NodeKindName(n.kind)),
                    ",", CsvField(Join(n.approvers, " ")), ",", n.required, ",", n.skipped ? "true" : "false", ",",
                    CsvField(Join(route.chains, " ")), ",", CsvField(Join(route.rules, " ")), ",", CsvField(n.note),
                    "\n");
  }
  return out;
}

std::string StateJson(const InstanceState& s) {
  json nodes = json::array();
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const NodeState& n = s.nodes[i];
    nodes.push_back({{"id", n.node.id}, {"kind", std::string(NodeKindName(n.node.kind))},
                     {"approvers", n.node.approvers}, {"required", n.node.required},
                     {"approved_by", n.approved_by}, {"complete", n.complete}, {"current", i == s.current}});
  }
  json actions = json::array();
  for (const Action& a : s.actions) {
    actions.push_back({{"id", a.id}, {"kind", std::string(ActionKindName(a.kind))}, {"on", a.on}, {"node", a.node},
                       {"name", a.name}, {"to", a.to}, {"value", a.value}, {"version", a.version}});
  }
  return json{{"instance", s.id}, {"contract", s.contract}, {"initiator", s.initiator},
              {"status", std::string(StatusName(s.status))}, {"version", s.version},
              {"policy_version", s.policy_version}, {"rules", s.rules}, {"chains", s.chains},
              {"pending", Engine::PendingApprovers(s)}, {"nodes", nodes}, {"actions", actions}}
      .dump();
}

std::string AuditCsv(const std::vector<Event>& log) {
  std::string out;
  for (const char* c : kAuditColumns) absl::StrAppend(&out, out.empty() ? "" : ",", c);
  out += "\n";
  ForEachAudit(log, [&](const json& row) {
    std::string line;
    for (const char* c : kAuditColumns) {
      const json& v = row[c];
      absl::StrAppend(&line, line.empty() ? "" : ",", v.is_string() ? CsvField(v.get<std::string>()) : v.dump());
    }
    absl::StrAppend(&out, line, "\n");
  });
  return out;
}

std::string AuditJson(const std::vector<Event>& log) {
  json rows = json::array();
  ForEachAudit(log, [&](const json& row) { rows.push_back(row); });
  return rows.dump();
}

std::string PendingJson(const std::vector<PendingItem>& items) {
  json out = json::array();
  for (const PendingItem& p : items) {
    out.push_back({{"instance", p.instance}, {"contract", p.contract}, {"node", p.node},
                   {"on_behalf_of", p.on_behalf_of}, {"version", p.version}});
  }
  return out.dump();
}

std::string PendingCsv(const std::vector<PendingItem>& items) {
  std::string out = "instance,contract,node,status,on_behalf_of,version\n";
  for (const PendingItem& p : items) {
    absl::StrAppend(&out, CsvField(p.instance), ",", CsvField(p.contract), ",", CsvField(p.node), ",pending,",
                    CsvField(p.on_behalf_of), ",", p.version, "\n");
  }
  return out;
}

std::string FindingsText(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) absl::StrAppend(&out, std::string(FindingKindName(f.kind)), ": ", f.message, "\n");
  return out;
}

}  // namespace salesight::approval
