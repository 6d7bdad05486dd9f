// A margin partial nested in another kind's body (contribution's state is
// one; trend carries one): written as a string holding margin's own bytes,
// read back through margin's checked deserializer. Errors name both offsets.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "core/byte_io.hpp"
#include "salesight/margin.hpp"
#include "salesight/partial_state.hpp"

namespace salesight::aggregator_internal {

inline void WriteNestedMargin(const MarginPartial& p, byte_io::Writer& w) {
  absl::StatusOr<std::string> bytes = SerializeMarginPartial(p);
  // Only an inconsistent in-memory state fails; write an empty blob, which
  // reading refuses, rather than a wrong one.
  w.PutString(bytes.ok() ? *bytes : std::string());
}

inline absl::Status ReadNestedMargin(byte_io::Reader& r, MarginPartial* p) {
  const std::size_t at = r.offset();
  std::string bytes;
  SALESIGHT_BIO(r.GetString(&bytes, "margin partial"));
  absl::StatusOr<MarginPartial> m = DeserializeMarginPartial(bytes);
  if (!m.ok()) {
    return r.ErrorAt(at, absl::StrFormat("the nested margin partial (from byte %d): %s", at + 8,
                                         m.status().message()));
  }
  *p = *std::move(m);
  return absl::OkStatus();
}

}  // namespace salesight::aggregator_internal
