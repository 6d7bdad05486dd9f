#include "salesight/approval/command_json.hpp"

#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/json_util.hpp"
#include "salesight/approval/report.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCommandBytes = 1u << 20;

absl::StatusOr<json> Parse(std::string_view text, const char* what) {
  LoadLimits limits;
  limits.max_bytes = kMaxCommandBytes;
  limits.max_depth = 8;
  return internal::ParseJsonBounded(text, limits, what);
}

absl::StatusOr<Contract> ContractFrom(const json& j, const char* where) {
  if (!j.is_object()) return absl::InvalidArgumentError(absl::StrCat(where, ": expected an object"));
  Contract c;
  SALESIGHT_ASSIGN_OR_RETURN(c.id, internal::OptString(j, "id", where));
  SALESIGHT_ASSIGN_OR_RETURN(c.initiator, internal::OptString(j, "initiator", where));
  if (j.contains("attributes")) {
    SALESIGHT_ASSIGN_OR_RETURN(c.attributes, AttributesFromJson(j["attributes"].dump()));
  }
  return c;
}

json ActionJson(const Action& a) {
  return {{"id", a.id}, {"kind", std::string(ActionKindName(a.kind))}, {"on", a.on}, {"node", a.node},
          {"name", a.name}, {"to", a.to}, {"value", a.value}, {"version", a.version}};
}

}  // namespace

absl::StatusOr<Command> CommandFromJson(std::string_view text) {
  SALESIGHT_ASSIGN_OR_RETURN(json j, Parse(text, "command"));
  if (!j.is_object()) return absl::InvalidArgumentError("command: expected an object");
  Command c;
  const char* w = "command";
  SALESIGHT_ASSIGN_OR_RETURN(std::string kind, internal::OptString(j, "kind", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.kind, ParseEventKind(kind));
  SALESIGHT_ASSIGN_OR_RETURN(c.instance, internal::OptString(j, "instance", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.key, internal::OptString(j, "key", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.actor, internal::OptString(j, "actor", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.on_behalf_of, internal::OptString(j, "on_behalf_of", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.node, internal::OptString(j, "node", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.target, internal::OptString(j, "target", w));
  SALESIGHT_ASSIGN_OR_RETURN(c.text, internal::OptString(j, "text", w));
  for (const char* key : {"expected_version", "at", "until"}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_number_integer()) return absl::InvalidArgumentError(absl::StrCat("command: '", key, "' must be an integer"));
    const std::int64_t v = j[key].get<std::int64_t>();
    if (std::string_view(key) == "expected_version") c.expected_version = v;
    if (std::string_view(key) == "at") c.at = v;
    if (std::string_view(key) == "until") c.until = v;
  }
  if (j.contains("people")) {
    if (!j["people"].is_array()) return absl::InvalidArgumentError("command: 'people' must be a list");
    for (const json& p : j["people"]) {
      if (!p.is_string()) return absl::InvalidArgumentError("command: 'people' holds a non-string");
      c.people.push_back(p.get<std::string>());
    }
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::string position, internal::OptString(j, "position", w));
  if (!position.empty()) {
    SALESIGHT_ASSIGN_OR_RETURN(c.position, ParseSignerPosition(position));
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::string signer_kind, internal::OptString(j, "signer_kind", w));
  if (!signer_kind.empty()) {
    SALESIGHT_ASSIGN_OR_RETURN(c.signer_kind, ParseNodeKind(signer_kind));
  }
  if (j.contains("contract")) {
    SALESIGHT_ASSIGN_OR_RETURN(c.contract, ContractFrom(j["contract"], "command, contract"));
  }
  return c;
}

absl::StatusOr<Contract> ContractFromJson(std::string_view text) {
  SALESIGHT_ASSIGN_OR_RETURN(json j, Parse(text, "contract"));
  return ContractFrom(j, "contract");
}

std::string ApplyAnswerJson(const absl::StatusOr<ApplyResult>& r, std::int64_t version) {
  if (!r.ok()) {
    return json{{"accepted", false}, {"conflict", r.status().code() == absl::StatusCode::kAborted},
                {"reason", std::string(r.status().message())}, {"version", version}}
        .dump();
  }
  json events = json::array();
  for (const Event& e : r->events) events.push_back(json::parse(EncodeEvent(e)));
  json actions = json::array();
  for (const Action& a : r->actions) actions.push_back(ActionJson(a));
  return json{{"accepted", true}, {"duplicate", r->duplicate}, {"version", version}, {"events", events},
              {"actions", actions}}
      .dump();
}

}  // namespace salesight::approval
