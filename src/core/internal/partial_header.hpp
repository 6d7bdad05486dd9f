// The codec of the 16-byte header every serialized partial state starts with
// (layout in include/salesight/partial_format.hpp), shared by the rfm, funnel
// and margin serializers.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "byte_io.hpp"
#include "salesight/partial_format.hpp"

namespace salesight::partial_format {

// Magic, format version, kind, reserved 0, money scale.
void WriteHeader(byte_io::Writer& w, PartialKind kind, int money_scale);
// Reads and checks all of them; `kind` is the kind expected. Errors name the
// byte offset.
absl::Status ReadHeader(byte_io::Reader& r, std::string_view bytes, PartialKind kind,
                        int* money_scale);
// The kind byte after checking magic and version (any value: the registry of
// salesight/aggregator.hpp says which kinds exist).
absl::StatusOr<std::uint8_t> PeekKindByte(std::string_view bytes);

}  // namespace salesight::partial_format
