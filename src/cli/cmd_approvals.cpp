// `salesight approvals check|decide|route|replay|pending`: the approval
// engine from the command line. A surface: it reads files, calls the engine
// and prints the engine's own text forms (salesight/approval/report.hpp).
#include <fstream>
#include <limits>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "internal/args.hpp"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/approval/engine.hpp"
#include "salesight/approval/policy_check.hpp"
#include "salesight/approval/report.hpp"
#include "salesight/approval/store.hpp"
#include "salesight/approval/table_index.hpp"
#include "salesight/approval/table_loaders.hpp"
#include "salesight/csv.hpp"

namespace salesight::cli {
namespace {

namespace ap = salesight::approval;

constexpr const char* kUsage =
    "salesight approvals check POLICY.json|TABLE.dmn [--dmn TABLE.dmn] [--directory ORG.json]\n"
    "       salesight approvals decide --dmn FILE.dmn --decision ID_OR_NAME --inputs JSON\n"
    "       salesight approvals route --contracts CONTRACTS.csv --policy POLICY.json [--dmn TABLE.dmn]\n"
    "                                 --directory ORG.json|ORG.csv [--format csv|json]\n"
    "       salesight approvals replay --events LOG.jsonl --policy POLICY.json [--audit csv|json]\n"
    "       salesight approvals pending --user U --policy POLICY.json [--events LOG.jsonl|-] [--at SECONDS]\n"
    "                                   [--format csv|json]   (no --events: the log on stdin)";

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsDmn(const std::string& path) { return path.size() > 4 && path.substr(path.size() - 4) == ".dmn"; }

// The policy from --policy, its table replaced by --dmn's first decision when given.
absl::StatusOr<ap::Policy> LoadPolicy(const std::string& policy_path, const Args& args) {
  absl::StatusOr<std::string> text = ReadFile(policy_path);
  if (!text.ok()) return text.status();
  absl::StatusOr<ap::Policy> p = ap::LoadPolicyJson(*text);
  if (!p.ok()) return absl::InvalidArgumentError(absl::StrCat(policy_path, ": ", p.status().message()));
  if (!args.Has("dmn")) return p;
  const std::string dmn_path = *args.Get("dmn");
  absl::StatusOr<std::string> xml = ReadFile(dmn_path);
  if (!xml.ok()) return xml.status();
  absl::StatusOr<std::vector<ap::DecisionTable>> tables = ap::LoadDmn(*xml);
  if (!tables.ok()) return absl::InvalidArgumentError(absl::StrCat(dmn_path, ": ", tables.status().message()));
  return ap::WithDecision(*std::move(p), tables->front());
}

// An org directory as CSV: id, name, manager, department, region, roles and
// groups (each ';'-separated), active (true/false, default true); only id is
// required.
absl::StatusOr<ap::OrgDirectory> DirectoryFromCsv(const std::string& path) {
  absl::StatusOr<StringCsv> csv = ReadCsvStrings(path, IngestOptions{});
  if (!csv.ok()) return csv.status();
  if (!csv->report.rejects.empty()) return absl::InvalidArgumentError(FormatRejectReport(csv->report));
  std::vector<ap::Person> people(csv->num_rows());
  bool has_id = false;
  for (const StringColumn& col : csv->columns) {
    const std::string& name = col.name();
    for (std::size_t r = 0; r < col.size(); ++r) {
      const std::string v(col[r]);
      ap::Person& p = people[r];
      if (name == "id") {
        p.id = v;
        has_id = true;
      } else if (name == "name") {
        p.name = v;
      } else if (name == "manager") {
        p.manager = v;
      } else if (name == "department") {
        p.department = v;
      } else if (name == "region") {
        p.region = v;
      } else if (name == "roles" || name == "groups") {
        (name == "roles" ? p.roles : p.groups) = SplitList(v, ';');
      } else if (name == "active") {
        if (v != "" && v != "true" && v != "false") {
          return absl::InvalidArgumentError(absl::StrCat(path, " line ", r + 2, ", column 'active': '", v,
                                                         "' is not true or false"));
        }
        p.active = v != "false";
      } else {
        return absl::InvalidArgumentError(absl::StrCat(path, ": unknown column '", name,
                                                       "' (id, name, manager, department, region, roles, groups, active)"));
      }
    }
  }
  if (!has_id) return absl::InvalidArgumentError(absl::StrCat(path, ": needs the column 'id'"));
  return ap::OrgDirectory::Build(std::move(people));
}

absl::StatusOr<ap::OrgDirectory> LoadDirectory(const Args& args) {
  if (!args.Has("directory")) return ap::OrgDirectory::Build({});
  if (args.Get("directory")->ends_with(".csv")) {
    absl::StatusOr<ap::OrgDirectory> d = DirectoryFromCsv(*args.Get("directory"));
    if (!d.ok()) return absl::InvalidArgumentError(absl::StrCat(*args.Get("directory"), ": ", d.status().message()));
    return d;
  }
  absl::StatusOr<std::string> text = ReadFile(*args.Get("directory"));
  if (!text.ok()) return text.status();
  absl::StatusOr<ap::OrgDirectory> d = ap::LoadDirectoryJson(*text);
  if (!d.ok()) return absl::InvalidArgumentError(absl::StrCat(*args.Get("directory"), ": ", d.status().message()));
  return d;
}

int Check(const std::string& path, const Args& args) {
  std::vector<ap::Finding> findings;
  if (IsDmn(path)) {
    absl::StatusOr<std::string> xml = ReadFile(path);
    if (!xml.ok()) return DataError(xml.status());
    absl::StatusOr<std::vector<ap::DecisionTable>> tables = ap::LoadDmn(*xml);
    if (!tables.ok()) return DataError(absl::InvalidArgumentError(absl::StrCat(path, ": ", tables.status().message())));
    for (const ap::DecisionTable& t : *tables) {
      for (ap::Finding& f : ap::CheckTable(t)) findings.push_back(std::move(f));
    }
  } else {
    absl::StatusOr<ap::Policy> p = LoadPolicy(path, args);
    if (!p.ok()) return DataError(p.status());
    if (args.Has("directory")) {
      absl::StatusOr<ap::OrgDirectory> d = LoadDirectory(args);
      if (!d.ok()) return DataError(d.status());
      findings = ap::CheckPolicy(*p, *d);
    } else {
      findings = ap::CheckTable(p->decision);
    }
  }
  std::cout << ap::FindingsText(findings);
  if (findings.empty()) std::cout << "no findings\n";
  return findings.empty() ? 0 : 1;
}

int Decide(const Args& args) {
  absl::StatusOr<std::string> xml = ReadFile(*args.Get("dmn"));
  if (!xml.ok()) return DataError(xml.status());
  absl::StatusOr<std::vector<ap::DecisionTable>> tables = ap::LoadDmn(*xml);
  if (!tables.ok()) return DataError(tables.status());
  absl::StatusOr<const ap::DecisionTable*> t = ap::FindDecision(*tables, *args.Get("decision"));
  if (!t.ok()) return DataError(t.status());
  absl::StatusOr<std::map<std::string, ap::Value>> attrs = ap::AttributesFromJson(*args.Get("inputs"));
  if (!attrs.ok()) return DataError(attrs.status());
  absl::StatusOr<std::vector<ap::Value>> inputs = ap::BindInputs(**t, *attrs);
  if (!inputs.ok()) return DataError(inputs.status());
  absl::StatusOr<ap::DecisionResult> r = ap::Evaluate(**t, *inputs);
  if (!r.ok()) return DataError(r.status());
  std::cout << ap::DecisionResultJson(**t, *r) << "\n";
  return 0;
}

int Route(const Args& args) {
  absl::StatusOr<ap::Policy> p = LoadPolicy(*args.Get("policy"), args);
  if (!p.ok()) return DataError(p.status());
  absl::StatusOr<ap::OrgDirectory> d = LoadDirectory(args);
  if (!d.ok()) return DataError(d.status());
  const std::string path = *args.Get("contracts");
  absl::StatusOr<StringCsv> csv = ReadCsvStrings(path, IngestOptions{});
  if (!csv.ok()) return DataError(csv.status());
  if (!csv->report.rejects.empty()) {
    return DataError(absl::InvalidArgumentError(FormatRejectReport(csv->report)));
  }
  int id_col = -1, initiator_col = -1;
  for (std::size_t c = 0; c < csv->columns.size(); ++c) {
    const std::string& n = csv->columns[c].name();
    if (n == "id" || n == "contract") id_col = static_cast<int>(c);
    if (n == "initiator") initiator_col = static_cast<int>(c);
  }
  if (id_col < 0 || initiator_col < 0) {
    return DataError(absl::InvalidArgumentError(absl::StrCat(path, ": needs the columns 'id' and 'initiator'")));
  }
  const bool json = args.GetOr("format", "csv") == "json";
  if (!json) std::cout << ap::RouteCsvHeader();
  const ap::TableIndex index = ap::TableIndex::Build(p->decision);
  int failed = 0;
  for (std::size_t row = 0; row < csv->num_rows(); ++row) {
    ap::Contract c;
    c.id = std::string(csv->columns[static_cast<std::size_t>(id_col)][row]);
    c.initiator = std::string(csv->columns[static_cast<std::size_t>(initiator_col)][row]);
    for (std::size_t col = 0; col < csv->columns.size(); ++col) {
      if (static_cast<int>(col) == id_col || static_cast<int>(col) == initiator_col) continue;
      const std::string_view v = csv->columns[col][row];
      c.attributes[csv->columns[col].name()] = v.empty() ? ap::Value::Null() : ap::Value::String(std::string(v));
    }
    absl::StatusOr<ap::Route> r = ap::RouteContract(*p, *d, c, &index);
    if (!r.ok()) {
      std::cerr << "salesight: " << path << " line " << row + 2 << ": " << r.status().message() << "\n";
      ++failed;
      continue;
    }
    std::cout << (json ? ap::RouteJson(c.id, *r) + "\n" : ap::RouteCsvRows(c.id, *r));
  }
  return failed == 0 ? 0 : 1;
}

// The engine for reading logs: a log is replayed whatever the policy's static
// findings (they were the concern of whoever loaded it to run it).
absl::StatusOr<ap::Engine> LogEngine(const Args& args) {
  absl::StatusOr<ap::Policy> p = LoadPolicy(*args.Get("policy"), args);
  if (!p.ok()) return p.status();
  absl::StatusOr<ap::OrgDirectory> d = LoadDirectory(args);
  if (!d.ok()) return d.status();
  ap::EngineOptions o;
  o.allow_findings = true;
  return ap::Engine::Create(*std::move(p), *std::move(d), o);
}

absl::StatusOr<std::vector<ap::Event>> ReadLog(const Args& args) {
  // "-" (or no --events for pending) reads the log from stdin.
  const std::string path = args.Has("events") ? *args.Get("events") : "-";
  absl::StatusOr<std::string> text;
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    text = ReadFile(path);
  }
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<ap::Event>> log = ap::LogFromJsonl(*text);
  if (!log.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", log.status().message()));
  return log;
}

absl::StatusOr<std::vector<ap::Instance>> LoadLog(const ap::Engine& engine, const Args& args) {
  absl::StatusOr<std::vector<ap::Event>> log = ReadLog(args);
  if (!log.ok()) return log.status();
  absl::StatusOr<std::vector<ap::Instance>> all = engine.ReplayAll(*std::move(log));
  if (!all.ok()) return absl::Status(all.status().code(), absl::StrCat(*args.Get("events"), ": ", all.status().message()));
  return all;
}

int Replay(const Args& args) {
  absl::StatusOr<ap::Engine> engine = LogEngine(args);
  if (!engine.ok()) return DataError(engine.status());
  absl::StatusOr<std::vector<ap::Instance>> all = LoadLog(*engine, args);
  if (!all.ok()) return DataError(all.status());
  if (args.Has("audit")) {
    std::vector<ap::Event> log;
    for (const ap::Instance& i : *all) log.insert(log.end(), i.log.begin(), i.log.end());
    std::cout << (*args.Get("audit") == "json" ? ap::AuditJson(log) + "\n" : ap::AuditCsv(log));
    return 0;
  }
  for (const ap::Instance& i : *all) std::cout << ap::StateJson(i.state) << "\n";
  return 0;
}

// What waits for --user across every instance of the log (and, with --at,
// what they may do as a delegate then).
int Pending(const Args& args) {
  absl::StatusOr<ap::Engine> engine = LogEngine(args);
  if (!engine.ok()) return DataError(engine.status());
  absl::StatusOr<std::vector<ap::Event>> log = ReadLog(args);
  if (!log.ok()) return DataError(log.status());
  absl::StatusOr<ap::InstanceStore> store = ap::InstanceStore::Replay(*engine, *std::move(log));
  if (!store.ok()) return DataError(store.status());
  std::int64_t at = std::numeric_limits<std::int64_t>::min();
  if (args.Has("at") && !absl::SimpleAtoi(*args.Get("at"), &at)) {
    return UsageError(absl::InvalidArgumentError(absl::StrCat("--at '", *args.Get("at"), "' is not whole seconds")));
  }
  const std::vector<ap::PendingItem> items = store->Pending(*args.Get("user"), at);
  const bool json = args.Has("format") && *args.Get("format") == "json";
  std::cout << (json ? ap::PendingJson(items) + "\n" : ap::PendingCsv(items));
  return 0;
}

absl::Status OneOf(std::string_view v, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (v == a) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("'", std::string(v), "' is not allowed here"));
}

}  // namespace

int RunApprovals(int argc, char** argv, int first) {
  const std::vector<FlagSpec> specs = {
      {"policy", "POLICY.json", "the JSON policy (route, replay, pending)"},
      {"dmn", "FILE.dmn", "a DMN file: the decision for decide, or the routing table replacing the policy's"},
      {"directory", "ORG.json|ORG.csv", "the org directory approvers resolve through (CSV: id, name, manager, "
                                        "department, region, roles, groups, active)"},
      {"decision", "ID_OR_NAME", "decide: the decision to evaluate"},
      {"inputs", "JSON", "decide: the inputs as a JSON object"},
      {"contracts", "FILE.csv", "route: contracts, with columns id, initiator and the attributes"},
      FlagSpec{"format", "csv|json", "route, pending: output format (default csv)"}.Check(
          [](std::string_view v) { return OneOf(v, {"csv", "json"}); }),
      {"events", "LOG.jsonl", "replay, pending: the event log"},
      FlagSpec{"audit", "csv|json", "replay: print the audit trail instead of the final states"}.Check(
          [](std::string_view v) { return OneOf(v, {"csv", "json"}); }),
      {"user", "ID", "pending: the approver"},
      {"at", "SECONDS", "pending: also what --user may do then as a delegate (seconds since 1970 UTC)"},
  };
  std::string sub, positional;
  if (first < argc && argv[first][0] != '-') sub = argv[first++];
  if (sub == "check" && first < argc && argv[first][0] != '-') positional = argv[first++];
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, specs);
  if (!args.ok()) return UsageError(args.status());
  if (args->help() || sub.empty()) {
    std::cout << FormatHelp(kUsage,
                            "Contract approval routing: check a policy, evaluate one decision, route "
                            "contracts to their approval chains, replay event logs.",
                            specs);
    return sub.empty() && !args->help() ? 2 : 0;
  }
  auto need = [&](std::initializer_list<const char*> flags) -> absl::Status {
    for (const char* f : flags) {
      if (!args->Has(f)) return absl::InvalidArgumentError(absl::StrCat("approvals ", sub, " needs --", f));
    }
    return absl::OkStatus();
  };
  absl::Status st;
  if (sub == "check") {
    if (positional.empty()) return UsageError(absl::InvalidArgumentError("approvals check needs a POLICY file"));
    return Check(positional, *args);
  }
  if (sub == "decide") {
    if (st = need({"dmn", "decision", "inputs"}); !st.ok()) return UsageError(st);
    return Decide(*args);
  }
  if (sub == "route") {
    if (st = need({"contracts", "policy", "directory"}); !st.ok()) return UsageError(st);
    return Route(*args);
  }
  if (sub == "replay") {
    if (st = need({"events", "policy"}); !st.ok()) return UsageError(st);
    return Replay(*args);
  }
  if (sub == "pending") {
    if (st = need({"user", "policy"}); !st.ok()) return UsageError(st);
    return Pending(*args);
  }
  return UsageError(absl::InvalidArgumentError(
      absl::StrCat("unknown approvals command '", sub, "' (check, decide, route, replay or pending)")));
}

}  // namespace salesight::cli
