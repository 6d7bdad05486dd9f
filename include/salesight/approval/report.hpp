// Text forms of the engine's results for the surfaces (CLI, C ABI, Python):
// decisions, routes, instance states, the audit trail and check findings, as
// JSON or CSV. The surfaces print these; they do not format on their own.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/decision_table.hpp"
#include "salesight/approval/events.hpp"
#include "salesight/approval/instance.hpp"
#include "salesight/approval/route.hpp"
#include "salesight/approval/store.hpp"
#include "salesight/approval/table_check.hpp"

namespace salesight::approval {

// A JSON object of attributes: strings stay strings (typed later per column,
// as CSV cells are), numbers are exact decimals, booleans, null.
absl::StatusOr<std::map<std::string, Value>> AttributesFromJson(std::string_view json);

// The decision's result as DMN engines give it: nothing matched -> null; one
// output -> its value, several -> an object by output name; a multi-hit
// policy -> a list of those; COLLECT with an aggregator -> the number.
std::string DecisionResultJson(const DecisionTable& table, const DecisionResult& result);

// One route as a JSON object, and as CSV rows (one per node) under RouteCsvHeader().
std::string RouteJson(const std::string& contract, const Route& route);
std::string RouteCsvHeader();
std::string RouteCsvRows(const std::string& contract, const Route& route);

// The state of an instance as JSON (status, nodes, pending approvers, actions).
std::string StateJson(const InstanceState& state);

// The audit trail: one row per event (who did what, when, on whose behalf,
// on which node, the routing rules and the policy version in force).
std::string AuditCsv(const std::vector<Event>& log);
std::string AuditJson(const std::vector<Event>& log);

// What waits for a user (InstanceStore::Pending): a JSON list of
// {"instance", "contract", "node", "on_behalf_of", "version"}, and CSV rows
// under "instance,contract,node,status,on_behalf_of,version".
std::string PendingJson(const std::vector<PendingItem>& items);
std::string PendingCsv(const std::vector<PendingItem>& items);

// "kind: message" lines.
std::string FindingsText(const std::vector<Finding>& findings);

// RFC 4180 field quoting (quotes only when needed).
std::string CsvField(std::string_view s);

}  // namespace salesight::approval
