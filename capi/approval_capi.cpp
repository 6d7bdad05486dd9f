// The approval engine's C ABI: text in (JSON), text out (malloc'd bytes,
// freed with salesight_bytes_free). Translation only: every decision is the
// engine's (include/salesight/approval/).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "capi_guard.hpp"
#include "salesight.h"
#include "salesight/approval/command_json.hpp"
#include "salesight/approval/engine.hpp"
#include "salesight/approval/report.hpp"
#include "salesight/approval/store.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace ap = salesight::approval;
using salesight::capi::Fail;
using salesight::capi::Guard;

struct salesight_approval_engine {
  explicit salesight_approval_engine(ap::Engine e) : engine(std::move(e)) {}
  ap::Engine engine;
};
struct salesight_approval_instance {
  ap::Instance instance;
};
struct salesight_approval_policy {
  ap::Policy policy;
};
struct salesight_approval_directory {
  ap::OrgDirectory directory;
};
struct salesight_approval_store {
  ap::InstanceStore store;
};

namespace {

// `text` with `length` bytes; NULL only with length 0.
bool Text(const char* text, int64_t length, std::string_view* out) {
  if (length < 0 || (text == nullptr && length != 0)) return false;
  *out = length == 0 ? std::string_view() : std::string_view(text, static_cast<std::size_t>(length));
  return true;
}

salesight_status Out(const std::string& s, uint8_t** out_text, int64_t* out_length) {
  return salesight::capi::OutBytes(s, out_text, out_length);
}

// Every engine error is about the caller's input: INVALID_ARGUMENT.
salesight_status Invalid(const absl::Status& st) {
  return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, std::string(st.message()));
}

// The policy from JSON, its table replaced by the DMN file's first decision.
absl::StatusOr<ap::Policy> LoadPolicy(std::string_view policy, const char* dmn_xml, std::string_view dmn) {
  absl::StatusOr<ap::Policy> p = ap::LoadPolicyJson(policy);
  if (!p.ok() || dmn_xml == nullptr) return p;
  absl::StatusOr<std::vector<ap::DecisionTable>> tables = ap::LoadDmn(dmn);
  if (!tables.ok()) return tables.status();
  return ap::WithDecision(*std::move(p), tables->front());
}

salesight_status MakeEngine(ap::Policy policy, ap::OrgDirectory directory, int32_t allow_findings,
                            salesight_approval_engine** out) {
  ap::EngineOptions o;
  o.allow_findings = allow_findings != 0;
  absl::StatusOr<ap::Engine> e = ap::Engine::Create(std::move(policy), std::move(directory), o);
  if (!e.ok()) return Invalid(e.status());
  *out = new salesight_approval_engine(*std::move(e));
  return SALESIGHT_OK;
}

salesight_status PendingOut(const std::vector<ap::PendingItem>& items, uint8_t** out_text, int64_t* out_length) {
  return Out(ap::PendingJson(items), out_text, out_length);
}

}  // namespace

extern "C" {

salesight_status salesight_approval_engine_create(const char* policy_json, int64_t policy_length,
                                                  const char* dmn_xml, int64_t dmn_length,
                                                  const char* directory_json, int64_t directory_length,
                                                  int32_t allow_findings, salesight_approval_engine** out) {
  return Guard([&]() -> salesight_status {
    std::string_view policy, dmn, directory;
    if (out == nullptr || policy_json == nullptr || directory_json == nullptr ||
        !Text(policy_json, policy_length, &policy) || !Text(directory_json, directory_length, &directory) ||
        !Text(dmn_xml, dmn_xml == nullptr ? 0 : dmn_length, &dmn) || (dmn_xml == nullptr && dmn_length != 0)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_engine_create: NULL or negative length");
    }
    *out = nullptr;
    absl::StatusOr<ap::Policy> p = LoadPolicy(policy, dmn_xml, dmn);
    if (!p.ok()) return Invalid(p.status());
    absl::StatusOr<ap::OrgDirectory> d = ap::LoadDirectoryJson(directory);
    if (!d.ok()) return Invalid(d.status());
    return MakeEngine(*std::move(p), *std::move(d), allow_findings, out);
  });
}

void salesight_approval_engine_destroy(salesight_approval_engine* engine) { delete engine; }

salesight_status salesight_approval_engine_findings(const salesight_approval_engine* engine, uint8_t** out_text,
                                                    int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (engine == nullptr || out_text == nullptr || out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_engine_findings: NULL argument");
    }
    return Out(ap::FindingsText(engine->engine.findings()), out_text, out_length);
  });
}

salesight_status salesight_approval_route(const salesight_approval_engine* engine, const char* contract_json,
                                          int64_t length, uint8_t** out_text, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    std::string_view text;
    if (engine == nullptr || contract_json == nullptr || out_text == nullptr || out_length == nullptr ||
        !Text(contract_json, length, &text)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_route: NULL or negative length");
    }
    absl::StatusOr<ap::Contract> c = ap::ContractFromJson(text);
    if (!c.ok()) return Invalid(c.status());
    absl::StatusOr<ap::Route> r = engine->engine.RouteOf(*c);
    if (!r.ok()) return Invalid(r.status());
    return Out(ap::RouteJson(c->id, *r), out_text, out_length);
  });
}

salesight_status salesight_approval_instance_create(salesight_approval_instance** out) {
  return Guard([&]() -> salesight_status {
    if (out == nullptr) return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_instance_create: NULL out");
    *out = new salesight_approval_instance();
    return SALESIGHT_OK;
  });
}

void salesight_approval_instance_destroy(salesight_approval_instance* instance) { delete instance; }

salesight_status salesight_approval_apply(const salesight_approval_engine* engine,
                                          salesight_approval_instance* instance, const char* command_json,
                                          int64_t length, uint8_t** out_text, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    std::string_view text;
    if (engine == nullptr || instance == nullptr || command_json == nullptr || out_text == nullptr ||
        out_length == nullptr || !Text(command_json, length, &text)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_apply: NULL or negative length");
    }
    absl::StatusOr<ap::Command> c = ap::CommandFromJson(text);
    if (!c.ok()) return Invalid(c.status());
    absl::StatusOr<ap::ApplyResult> r = engine->engine.Apply(instance->instance, *c);
    return Out(ap::ApplyAnswerJson(r, instance->instance.state.version), out_text, out_length);
  });
}

salesight_status salesight_approval_pending(const salesight_approval_instance* instance, const char* user,
                                            int32_t* out) {
  return Guard([&]() -> salesight_status {
    if (instance == nullptr || user == nullptr || out == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_pending: NULL argument");
    }
    const std::vector<std::string> who = ap::Engine::PendingApprovers(instance->instance.state);
    *out = std::find(who.begin(), who.end(), std::string(user)) != who.end() ? 1 : 0;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_approval_instance_state(const salesight_approval_instance* instance,
                                                   uint8_t** out_text, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (instance == nullptr || out_text == nullptr || out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_instance_state: NULL argument");
    }
    return Out(ap::StateJson(instance->instance.state), out_text, out_length);
  });
}

salesight_status salesight_approval_instance_log(const salesight_approval_instance* instance, uint8_t** out_text,
                                                 int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (instance == nullptr || out_text == nullptr || out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_instance_log: NULL argument");
    }
    return Out(ap::LogToJsonl(instance->instance.log), out_text, out_length);
  });
}

salesight_status salesight_approval_replay(const salesight_approval_engine* engine, const char* log_jsonl,
                                           int64_t length, salesight_approval_instance** out) {
  return Guard([&]() -> salesight_status {
    std::string_view text;
    if (engine == nullptr || log_jsonl == nullptr || out == nullptr || !Text(log_jsonl, length, &text)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_replay: NULL or negative length");
    }
    *out = nullptr;
    absl::StatusOr<std::vector<ap::Event>> log = ap::LogFromJsonl(text);
    if (!log.ok()) return Invalid(log.status());
    absl::StatusOr<ap::Instance> inst = engine->engine.Replay(*std::move(log));
    if (!inst.ok()) return Invalid(inst.status());
    auto* h = new salesight_approval_instance();
    h->instance = *std::move(inst);
    *out = h;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_approval_policy_create(const char* policy_json, int64_t policy_length,
                                                  const char* dmn_xml, int64_t dmn_length,
                                                  salesight_approval_policy** out) {
  return Guard([&]() -> salesight_status {
    std::string_view policy, dmn;
    if (out == nullptr || policy_json == nullptr || !Text(policy_json, policy_length, &policy) ||
        (dmn_xml == nullptr && dmn_length != 0) || !Text(dmn_xml, dmn_xml == nullptr ? 0 : dmn_length, &dmn)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_policy_create: NULL or negative length");
    }
    *out = nullptr;
    absl::StatusOr<ap::Policy> p = LoadPolicy(policy, dmn_xml, dmn);
    if (!p.ok()) return Invalid(p.status());
    *out = new salesight_approval_policy{*std::move(p)};
    return SALESIGHT_OK;
  });
}

void salesight_approval_policy_destroy(salesight_approval_policy* policy) { delete policy; }

salesight_status salesight_approval_directory_create(const char* directory_json, int64_t length,
                                                     salesight_approval_directory** out) {
  return Guard([&]() -> salesight_status {
    std::string_view text;
    if (out == nullptr || directory_json == nullptr || !Text(directory_json, length, &text)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_directory_create: NULL or negative length");
    }
    *out = nullptr;
    absl::StatusOr<ap::OrgDirectory> d = ap::LoadDirectoryJson(text);
    if (!d.ok()) return Invalid(d.status());
    *out = new salesight_approval_directory{*std::move(d)};
    return SALESIGHT_OK;
  });
}

void salesight_approval_directory_destroy(salesight_approval_directory* directory) { delete directory; }

salesight_status salesight_approval_engine_create_from(const salesight_approval_policy* policy,
                                                       const salesight_approval_directory* directory,
                                                       int32_t allow_findings, salesight_approval_engine** out) {
  return Guard([&]() -> salesight_status {
    if (policy == nullptr || directory == nullptr || out == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_engine_create_from: NULL argument");
    }
    *out = nullptr;
    return MakeEngine(policy->policy, directory->directory, allow_findings, out);
  });
}

salesight_status salesight_approval_store_create(salesight_approval_store** out) {
  return Guard([&]() -> salesight_status {
    if (out == nullptr) return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_store_create: NULL out");
    *out = new salesight_approval_store();
    return SALESIGHT_OK;
  });
}

void salesight_approval_store_destroy(salesight_approval_store* store) { delete store; }

salesight_status salesight_approval_store_apply(const salesight_approval_engine* engine,
                                                salesight_approval_store* store, const char* command_json,
                                                int64_t length, uint8_t** out_text, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    std::string_view text;
    if (engine == nullptr || store == nullptr || command_json == nullptr || out_text == nullptr ||
        out_length == nullptr || !Text(command_json, length, &text)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_store_apply: NULL or negative length");
    }
    absl::StatusOr<ap::Command> c = ap::CommandFromJson(text);
    if (!c.ok()) return Invalid(c.status());
    absl::StatusOr<ap::ApplyResult> r = store->store.Apply(engine->engine, *c);
    const ap::Instance* inst = store->store.Find(c->instance);
    return Out(ap::ApplyAnswerJson(r, inst == nullptr ? 0 : inst->state.version), out_text, out_length);
  });
}

salesight_status salesight_approval_store_replay(const salesight_approval_engine* engine, const char* log_jsonl,
                                                 int64_t length, salesight_approval_store** out) {
  return Guard([&]() -> salesight_status {
    std::string_view text;
    if (engine == nullptr || log_jsonl == nullptr || out == nullptr || !Text(log_jsonl, length, &text)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_store_replay: NULL or negative length");
    }
    *out = nullptr;
    absl::StatusOr<std::vector<ap::Event>> log = ap::LogFromJsonl(text);
    if (!log.ok()) return Invalid(log.status());
    absl::StatusOr<ap::InstanceStore> store = ap::InstanceStore::Replay(engine->engine, *std::move(log));
    if (!store.ok()) return Invalid(store.status());
    *out = new salesight_approval_store{*std::move(store)};
    return SALESIGHT_OK;
  });
}

salesight_status salesight_approval_store_pending(const salesight_approval_store* store, const char* user,
                                                  int64_t at, uint8_t** out_text, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (store == nullptr || user == nullptr || out_text == nullptr || out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_store_pending: NULL argument");
    }
    return PendingOut(store->store.Pending(user, at), out_text, out_length);
  });
}

salesight_status salesight_approval_pending_list(const salesight_approval_instance* const* instances, int64_t count,
                                                 const char* user, int64_t at, uint8_t** out_text,
                                                 int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (count < 0 || (instances == nullptr && count != 0) || user == nullptr || out_text == nullptr ||
        out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_pending_list: NULL or negative count");
    }
    std::vector<ap::PendingItem> items;
    for (int64_t i = 0; i < count; ++i) {
      if (instances[i] == nullptr) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    "salesight_approval_pending_list: instance #" + std::to_string(i) + " is NULL");
      }
      ap::AppendPending(instances[i]->instance.state, user, at, items);
    }
    return PendingOut(items, out_text, out_length);
  });
}

salesight_status salesight_approval_store_state(const salesight_approval_store* store, const char* instance_id,
                                                uint8_t** out_text, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (store == nullptr || instance_id == nullptr || out_text == nullptr || out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_store_state: NULL argument");
    }
    const ap::Instance* inst = store->store.Find(instance_id);
    if (inst == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  std::string("salesight_approval_store_state: no instance '") + instance_id + "'");
    }
    return Out(ap::StateJson(inst->state), out_text, out_length);
  });
}

salesight_status salesight_approval_store_log(const salesight_approval_store* store, uint8_t** out_text,
                                              int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    if (store == nullptr || out_text == nullptr || out_length == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_approval_store_log: NULL argument");
    }
    return Out(ap::LogToJsonl(store->store.Log()), out_text, out_length);
  });
}

}  // extern "C"
