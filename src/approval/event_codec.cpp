// Events as canonical JSON lines (nlohmann's object keeps keys sorted, so one
// event has one encoding) and back, for the append-only log.
#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/json_util.hpp"
#include "internal/sha256.hpp"
#include "salesight/approval/events.hpp"
#include "salesight/approval/unary_test.hpp"
#include "salesight/json.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, kEventKinds> kKindNames{
    "submitted", "approved",     "rejected",  "returned",  "resubmitted", "withdrawn",
    "transferred", "signer_added", "delegated", "commented", "reminded",    "escalated"};
constexpr std::array<std::string_view, 3> kPositions{"before", "after", "parallel"};

// One log line is far below this; a longer one is refused before parsing.
constexpr std::size_t kMaxEventBytes = 1u << 20;

// The canonical encoding, written directly (it is on every apply and every
// replayed event's hash check): compact JSON with keys in sorted order, the
// form nlohmann's dump gives and DecodeEvent reads back.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  void Open() { *out_ += '{'; first_ = true; }
  void Close() { *out_ += '}'; first_ = false; }
  Writer& Key(std::string_view k) {
    if (!first_) *out_ += ',';
    first_ = false;
    *out_ += '"';
    out_->append(k);
    out_->append("\":");
    return *this;
  }
  // Text that needs no escape (the common case: ids, hashes) is copied as
  // is; anything else goes through the one JSON quoting (salesight/json.hpp).
  void Str(std::string_view v) {
    const bool plain = std::all_of(v.begin(), v.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
    });
    if (!plain) {
      *out_ += JsonQuote(v);
      return;
    }
    *out_ += '"';
    out_->append(v);
    *out_ += '"';
  }
  void Int(std::int64_t v) { absl::StrAppend(out_, v); }
  void Bool(bool v) { out_->append(v ? "true" : "false"); }
  void Strs(const std::vector<std::string>& v) {
    *out_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) *out_ += ',';
      Str(v[i]);
    }
    *out_ += ']';
  }
  std::string* out() { return out_; }

 private:
  std::string* out_;
  bool first_ = true;
};

void WriteRoute(const Route& r, std::string* out) {
  Writer w(out);
  w.Open();
  w.Key("chains").Strs(r.chains);
  w.Key("flags");
  {
    Writer f(out);
    f.Open();
    for (const auto& [k, v] : r.flags) f.Key(k).Str(FeelLiteral(v));
    f.Close();
  }
  w.Key("nodes");
  *out += '[';
  for (std::size_t i = 0; i < r.nodes.size(); ++i) {
    const ResolvedNode& n = r.nodes[i];
    if (i) *out += ',';
    Writer nw(out);
    nw.Open();
    nw.Key("approvers").Strs(n.approvers);
    nw.Key("id").Str(n.id);
    nw.Key("kind").Str(NodeKindName(n.kind));
    nw.Key("note").Str(n.note);
    nw.Key("required").Int(n.required);
    nw.Key("skipped").Bool(n.skipped);
    nw.Close();
  }
  *out += ']';
  w.Key("policy_version").Int(r.policy_version);
  w.Key("rules").Strs(r.rules);
  w.Close();
}

absl::Status Bad(std::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("event field '", std::string(field), "': ", why));
}

absl::StatusOr<std::string> Str(const json& j, const char* key) {
  if (!j.contains(key)) return std::string();
  if (!j[key].is_string()) return Bad(key, "not a string");
  return j[key].get<std::string>();
}
absl::StatusOr<std::int64_t> Int(const json& j, const char* key) {
  if (!j.contains(key)) return std::int64_t{0};
  if (!j[key].is_number_integer()) return Bad(key, "not an integer");
  return j[key].get<std::int64_t>();
}
absl::StatusOr<std::vector<std::string>> Strs(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) return Bad(key, "not a list");
  for (const json& v : j[key]) {
    if (!v.is_string()) return Bad(key, "holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

absl::StatusOr<Value> FlagValue(const std::string& text) {
  ValueType t = ValueType::kNumber;
  if (text.starts_with("\"")) t = ValueType::kString;
  if (text == "true" || text == "false") t = ValueType::kBool;
  if (text.starts_with("date(")) t = ValueType::kDate;
  return ParseLiteral(text, t);
}

absl::StatusOr<Route> RouteFromJson(const json& j) {
  Route r;
  if (!j.is_object()) return Bad("route", "not an object");
  SALESIGHT_ASSIGN_OR_RETURN(r.policy_version, Int(j, "policy_version"));
  SALESIGHT_ASSIGN_OR_RETURN(r.rules, Strs(j, "rules"));
  SALESIGHT_ASSIGN_OR_RETURN(r.chains, Strs(j, "chains"));
  if (!j.contains("nodes") || !j["nodes"].is_array()) return Bad("route.nodes", "not a list");
  for (const json& nj : j["nodes"]) {
    if (!nj.is_object()) return Bad("route.nodes", "holds a non-object");
    ResolvedNode n;
    SALESIGHT_ASSIGN_OR_RETURN(n.id, Str(nj, "id"));
    SALESIGHT_ASSIGN_OR_RETURN(std::string kind, Str(nj, "kind"));
    absl::StatusOr<NodeKind> k = ParseNodeKind(kind);
    if (!k.ok()) return Bad("route.nodes.kind", k.status().message());
    n.kind = *k;
    SALESIGHT_ASSIGN_OR_RETURN(n.approvers, Strs(nj, "approvers"));
    SALESIGHT_ASSIGN_OR_RETURN(std::int64_t required, Int(nj, "required"));
    if (required < 0 || required > static_cast<std::int64_t>(n.approvers.size())) {
      return Bad("route.nodes.required", "out of range");
    }
    n.required = static_cast<int>(required);
    if (nj.contains("skipped")) {
      if (!nj["skipped"].is_boolean()) return Bad("route.nodes.skipped", "not a boolean");
      n.skipped = nj["skipped"].get<bool>();
    }
    SALESIGHT_ASSIGN_OR_RETURN(n.note, Str(nj, "note"));
    r.nodes.push_back(std::move(n));
  }
  if (j.contains("flags")) {
    if (!j["flags"].is_object()) return Bad("route.flags", "not an object");
    for (auto it = j["flags"].begin(); it != j["flags"].end(); ++it) {
      if (!it.value().is_string()) return Bad("route.flags", "holds a non-string");
      absl::StatusOr<Value> v = FlagValue(it.value().get<std::string>());
      if (!v.ok()) return Bad("route.flags", v.status().message());
      r.flags.emplace(it.key(), *std::move(v));
    }
  }
  return r;
}

}  // namespace

std::string_view EventKindName(EventKind k) { return kKindNames[static_cast<std::size_t>(k)]; }
absl::StatusOr<EventKind> ParseEventKind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<EventKind>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown event kind '", std::string(name), "'"));
}
std::string_view SignerPositionName(SignerPosition p) { return kPositions[static_cast<std::size_t>(p)]; }
absl::StatusOr<SignerPosition> ParseSignerPosition(std::string_view name) {
  for (std::size_t i = 0; i < kPositions.size(); ++i) {
    if (kPositions[i] == name) return static_cast<SignerPosition>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown signer position '", std::string(name),
                                                 "' (expected before, after or parallel)"));
}

namespace {

void EncodeInto(const Event& e, bool with_hash, std::string& out) {
  Writer w(&out);
  const bool routed = e.kind == EventKind::kSubmitted || e.kind == EventKind::kResubmitted;
  const bool signer = e.kind == EventKind::kSignerAdded;
  // Optional fields only when set, so a line says what happened and no more.
  w.Open();
  w.Key("actor").Str(e.actor);
  w.Key("at").Int(e.at);
  if (routed) w.Key("contract").Str(e.contract);
  if (with_hash) w.Key("hash").Str(e.hash);
  w.Key("instance").Str(e.instance);
  w.Key("key").Str(e.key);
  w.Key("kind").Str(EventKindName(e.kind));
  if (!e.node.empty()) w.Key("node").Str(e.node);
  if (!e.on_behalf_of.empty()) w.Key("on_behalf_of").Str(e.on_behalf_of);
  if (signer) {
    w.Key("people").Strs(e.people);
    w.Key("position").Str(SignerPositionName(e.position));
  }
  w.Key("prev_hash").Str(e.prev_hash);
  if (routed) {
    w.Key("route");
    WriteRoute(e.route, &out);
  }
  if (signer) w.Key("signer_kind").Str(NodeKindName(e.signer_kind));
  if (!e.target.empty()) w.Key("target").Str(e.target);
  if (!e.text.empty()) w.Key("text").Str(e.text);
  if (e.kind == EventKind::kDelegated) w.Key("until").Int(e.until);
  w.Key("version").Int(e.version);
  w.Close();
}

}  // namespace

std::string EncodeEvent(const Event& e, bool with_hash) {
  std::string out;
  out.reserve(256);
  EncodeInto(e, with_hash, out);
  return out;
}

std::string HashEvent(const Event& e) {
  // On every apply and every replayed event: the encoding goes to a buffer
  // this thread reuses, and the hash reads it in place.
  thread_local std::string buffer;
  buffer.clear();
  EncodeInto(e, /*with_hash=*/false, buffer);
  internal::Sha256 h;
  h.Update(e.prev_hash);
  h.Update("\n");
  h.Update(buffer);
  if (buffer.capacity() > (1u << 16)) std::string().swap(buffer);  // one huge event keeps no memory
  return internal::HexDigest(h.Finish());
}

absl::StatusOr<Event> DecodeEvent(std::string_view line) {
  LoadLimits limits;
  limits.max_bytes = kMaxEventBytes;
  limits.max_depth = 8;
  SALESIGHT_ASSIGN_OR_RETURN(json j, internal::ParseJsonBounded(line, limits, "event"));
  if (!j.is_object()) return Bad("(event)", "not an object");
  Event e;
  SALESIGHT_ASSIGN_OR_RETURN(e.version, Int(j, "version"));
  SALESIGHT_ASSIGN_OR_RETURN(std::string kind, Str(j, "kind"));
  absl::StatusOr<EventKind> k = ParseEventKind(kind);
  if (!k.ok()) return Bad("kind", k.status().message());
  e.kind = *k;
  SALESIGHT_ASSIGN_OR_RETURN(e.instance, Str(j, "instance"));
  SALESIGHT_ASSIGN_OR_RETURN(e.key, Str(j, "key"));
  SALESIGHT_ASSIGN_OR_RETURN(e.at, Int(j, "at"));
  SALESIGHT_ASSIGN_OR_RETURN(e.actor, Str(j, "actor"));
  SALESIGHT_ASSIGN_OR_RETURN(e.on_behalf_of, Str(j, "on_behalf_of"));
  SALESIGHT_ASSIGN_OR_RETURN(e.node, Str(j, "node"));
  SALESIGHT_ASSIGN_OR_RETURN(e.target, Str(j, "target"));
  SALESIGHT_ASSIGN_OR_RETURN(e.text, Str(j, "text"));
  SALESIGHT_ASSIGN_OR_RETURN(e.people, Strs(j, "people"));
  if (j.contains("position")) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string pos, Str(j, "position"));
    absl::StatusOr<SignerPosition> p = ParseSignerPosition(pos);
    if (!p.ok()) return Bad("position", p.status().message());
    e.position = *p;
  }
  if (j.contains("signer_kind")) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string sk, Str(j, "signer_kind"));
    absl::StatusOr<NodeKind> nk = ParseNodeKind(sk);
    if (!nk.ok()) return Bad("signer_kind", nk.status().message());
    e.signer_kind = *nk;
  }
  SALESIGHT_ASSIGN_OR_RETURN(e.until, Int(j, "until"));
  SALESIGHT_ASSIGN_OR_RETURN(e.contract, Str(j, "contract"));
  if (j.contains("route")) {
    SALESIGHT_ASSIGN_OR_RETURN(e.route, RouteFromJson(j["route"]));
  }
  SALESIGHT_ASSIGN_OR_RETURN(e.prev_hash, Str(j, "prev_hash"));
  SALESIGHT_ASSIGN_OR_RETURN(e.hash, Str(j, "hash"));
  return e;
}

}  // namespace salesight::approval
