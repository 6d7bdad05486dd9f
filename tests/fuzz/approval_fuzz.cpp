// libFuzzer target: the approval engine's untrusted inputs. The first byte
// picks the loader, the rest is the file: 0 JSON policy, 1 DMN XML, 2 event
// log (JSONL, decoded and replayed on the seed-like policy below), 3 org
// directory, 4 decision inputs JSON. Any input must give a value or an
// error, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "salesight/approval/engine.hpp"
#include "salesight/approval/report.hpp"
#include "salesight/approval/table_check.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace ap = salesight::approval;

namespace {

const ap::Engine* ReplayEngine() {
  static const ap::Engine* engine = [] {
    constexpr std::string_view kPolicy = R"({"policy": "f", "decision": {"id": "r", "hit_policy": "FIRST",
      "inputs": [{"name": "amount", "type": "number"}], "outputs": [{"name": "chain", "type": "string"}],
      "rules": [{"when": ["< 50000"], "then": ["a"]}, {"then": ["b"]}]},
      "chains": {"a": [{"id": "n1", "kind": "any", "approvers": [{"user": "u1"}, {"user": "u2"}]}],
                 "b": [{"id": "n1", "approvers": [{"user": "u1"}]}, {"id": "n2", "kind": "all",
                        "approvers": [{"group": "g"}]}]}})";
    ap::EngineOptions o;
    o.allow_findings = true;
    o.sla_business_days = 1;
    auto dir = ap::OrgDirectory::Build({{"u1", "", "", "", "", {}, {"g"}, true},
                                        {"u2", "", "u1", "", "", {}, {"g"}, true}});
    return new ap::Engine(*ap::Engine::Create(*ap::LoadPolicyJson(kPolicy), *dir, o));
  }();
  return engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      if (auto p = ap::LoadPolicyJson(text); p.ok()) (void)ap::CheckTable(p->decision);
      break;
    case 1:
      if (auto t = ap::LoadDmn(text); t.ok()) {
        for (const ap::DecisionTable& table : *t) (void)ap::CheckTable(table);
      }
      break;
    case 2:
      if (auto log = ap::LogFromJsonl(text); log.ok()) {
        if (auto all = ReplayEngine()->ReplayAll(*log); all.ok()) {
          for (const ap::Instance& i : *all) (void)ap::StateJson(i.state);
        }
      }
      break;
    case 3:
      (void)ap::LoadDirectoryJson(text);
      break;
    default:
      if (auto attrs = ap::AttributesFromJson(text); attrs.ok()) {
        const ap::DecisionTable& t = ReplayEngine()->policy().decision;
        if (auto in = ap::BindInputs(t, *attrs); in.ok()) (void)ap::Evaluate(t, *in);
      }
  }
  return 0;
}
