// Serialized partial states: RfmPartial, FunnelPartial and MarginPartial as
// bytes, so that partitions aggregated on other processes or machines (Dask
// workers) merge exactly as in-process partials do.
//
// ---------------------------------------------------------------- format
// The shared envelope (versioned little-endian fixed-width integers, the
// 16-byte header with the PartialKind) is salesight/partial_format.hpp; after
// the header each kind writes:
//   options  the options every merged partial must share (RFM: as_of,
//            window_days, frequency, monetary, purchase; funnel: the whole
//            derived configuration incl. stage names; margin: the grouping)
//   arrays   counts are u64 followed by that many elements.
// RFM stores only the customers with lines (id + record, 32 bytes each) and
// the id space size; funnel stores its slots, histograms and overflow list;
// margin its ascending (key, sums) groups.
// Not serialized: attached Dictionaries (codes are mapped back by the caller,
// who owns the id space, e.g. the Python/Dask layer), issue examples' row
// numbers are kept as they are (partition-local), thread counts.
//
// ---------------------------------------------------------------- id spaces
// RFM and funnel partials hold dense ids (customer; region, salesperson,
// source), margin partials the ids of its dimensions (product, customer, ...):
// partials of different tables merge correctly only when every table maps
// codes to ids the same way (the same Dictionary contents or the same integer
// ids). The Dask layer guarantees it by computing the sorted distinct codes
// once and giving that list to every partition.
//
// ---------------------------------------------------------------- safety
// Deserialization never trusts its input: every length is checked against
// the bytes left before anything is allocated, every enum, id, day and index
// is range-checked, and the state's internal invariants (array sizes, sorted
// keys, histogram layout) are verified, so that MergeX / FinishX on a
// deserialized state cannot read out of bounds. Errors are InvalidArgument
// naming the byte offset ("rfm partial: byte offset 40: truncated: ...").
// An RFM id space above kMaxSerializedRfmIds is refused (the dense state
// would need 32 bytes per id), and so is one above max(kMinDenseIdSpace,
// kMaxIdsPerSerializedCustomer x (customers in the blob + 1)): memory is then
// bounded by ~1000x the blob's size, so hostile bytes cannot demand gigabytes.
// (A partition touching fewer than 1 in 1024 of the customer ids it spans
// is refused; repartition more coarsely.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/partial_format.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

// RFM's own limits (see "safety" above); the shared ones are in
// salesight/partial_format.hpp.
inline constexpr std::int32_t kMaxSerializedRfmIds = std::int32_t{1} << 28;
inline constexpr std::int64_t kMaxIdsPerSerializedCustomer = 1024;

absl::StatusOr<std::string> SerializeRfmPartial(const RfmPartial& partial);
absl::StatusOr<RfmPartial> DeserializeRfmPartial(std::string_view bytes);

absl::StatusOr<std::string> SerializeFunnelPartial(const FunnelPartial& partial);
absl::StatusOr<FunnelPartial> DeserializeFunnelPartial(std::string_view bytes);

absl::StatusOr<std::string> SerializeMarginPartial(const MarginPartial& partial);
absl::StatusOr<MarginPartial> DeserializeMarginPartial(std::string_view bytes);

}  // namespace salesight
