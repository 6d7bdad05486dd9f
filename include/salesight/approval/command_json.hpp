// Commands and contracts as JSON, and the answer to a command as JSON: the
// text interchange of the C ABI (and any host that speaks JSON).
//
// Command: {"kind": "approved", "instance": "I-1", "key": "k1",
//           "expected_version": 3, "at": 1767603600, "actor": "dir1",
//           "on_behalf_of": "", "node": "", "target": "", "people": [],
//           "position": "after", "signer_kind": "all", "until": 0, "text": "",
//           "contract": {"id": "C-1", "attributes": {"amount": 50000}}}
//   (only "kind", "key" and "actor" are required; expected_version absent =
//   any version; the contract's initiator is the actor)
// Contract: {"id": "C-1", "initiator": "rep1", "attributes": {...}}
// Answer:   {"accepted": true, "duplicate": false, "version": 4,
//            "events": [<event objects>], "actions": [<action objects>]}
//        or {"accepted": false, "conflict": true|false, "reason": "..."}
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "salesight/approval/engine.hpp"

namespace salesight::approval {

absl::StatusOr<Command> CommandFromJson(std::string_view json);
absl::StatusOr<Contract> ContractFromJson(std::string_view json);
// `version` is the instance's version after the call.
std::string ApplyAnswerJson(const absl::StatusOr<ApplyResult>& result, std::int64_t version);

}  // namespace salesight::approval
