// A partial state nested in another kind's body (contribution's state is a
// margin partial; trend carries one): written as a string holding the nested
// kind's own bytes, read back through its own checked deserializer. Errors
// name both offsets.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "byte_io.hpp"

namespace salesight::aggregator_internal {

template <typename S>
void WriteNested(const S& state, absl::StatusOr<std::string> (*serialize)(const S&),
                 byte_io::Writer& w) {
  absl::StatusOr<std::string> bytes = serialize(state);
  // Only an inconsistent in-memory state fails; write an empty blob, which
  // reading refuses, rather than a wrong one.
  w.PutString(bytes.ok() ? *bytes : std::string());
}

template <typename S>
absl::Status ReadNested(byte_io::Reader& r, S* out,
                        absl::StatusOr<S> (*deserialize)(std::string_view), const char* what) {
  const std::size_t at = r.offset();
  std::string bytes;
  SALESIGHT_BIO(r.GetString(&bytes, what));
  absl::StatusOr<S> s = deserialize(bytes);
  if (!s.ok()) {
    return r.ErrorAt(at, absl::StrFormat("the nested %s (from byte %d): %s", what, at + 8,
                                         s.status().message()));
  }
  *out = *std::move(s);
  return absl::OkStatus();
}

}  // namespace salesight::aggregator_internal
