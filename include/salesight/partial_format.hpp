// The envelope every serialized partial state shares (every kind of
// salesight/aggregator.hpp; the rfm, funnel and margin bodies are described in
// salesight/partial_state.hpp, the newer kinds' in src/core/aggregator_kind.hpp
// and their folders): its kinds, format version and limits. Core vocabulary: it names the kinds but knows
// nothing of the calculators behind them.
//
// Versioned, little-endian, fixed-width integers (no padding, no pointers).
// Every serialized state starts with a 16-byte header:
//   8 bytes magic "SLSPART\0", u16 format version (kPartialFormatVersion),
//   u8 kind (PartialKind), u8 reserved = 0, i32 money scale (0..kMaxMoneyScale)
// and then the kind's own body (described in salesight/partial_state.hpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace salesight {

// The envelope's kind byte of each aggregator (salesight/aggregator.hpp),
// numbered as the C ABI's SALESIGHT_PARTIAL_*; a new kind takes the next.
enum class PartialKind : std::uint8_t {
  kRfm = 1,
  kFunnel = 2,
  kMargin = 3,
  kAging = 4,
  kCollection = 5,
  kTrend = 6,
  kContribution = 7,
  kLeaderboard = 8,
  kLast = kLeaderboard
};

// 2: funnel group keys are dimension names (strings), no longer enum bytes.
inline constexpr std::uint16_t kPartialFormatVersion = 2;
// Every count in a serialized state (lines, opportunities, issues) is at most
// kMaxSerializedCount (~1.1e12, far beyond any ERP), so merging decoded states
// cannot overflow a count.
inline constexpr std::int64_t kMaxSerializedCount = std::int64_t{1} << 40;

// The kind of a serialized partial (checks magic and version only).
absl::StatusOr<PartialKind> PeekPartialKind(std::string_view bytes);

}  // namespace salesight
