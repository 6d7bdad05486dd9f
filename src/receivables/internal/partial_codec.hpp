// The bodies of serialized aging and collection partials (the envelope and
// options: core/aggregator_kind.hpp). Reading checks every count against the
// bytes left, every enum and id range and the invariants the merges rely on
// (ascending groups, cells = groups x buckets, bounded counters), so merging
// or finishing a decoded partial cannot overflow or read out of bounds.
#pragma once

#include "absl/status/status.h"
#include "core/internal/byte_io.hpp"
#include "salesight/receivables.hpp"

namespace salesight::receivables_internal {

void WriteAging(const AgingPartial& p, byte_io::Writer& w);
absl::Status ReadAging(byte_io::Reader& r, AgingPartial* p);
void WriteCollection(const CollectionPartial& p, byte_io::Writer& w);
absl::Status ReadCollection(byte_io::Reader& r, CollectionPartial* p);

}  // namespace salesight::receivables_internal
