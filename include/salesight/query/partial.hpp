// A query's mergeable partial state (issue 14 item 8, Dask): each partition
// of the orders aggregates the spec into a partial - per group its members
// as labels (so partitions need not share dictionaries), its exact sums and
// its distinct ids (orders, customers) as text - serialized to bytes (CBOR,
// versioned); partials merge in any order and any split; the finish gives
// the same table as RunQuery over all the rows (tested), distinct counts
// exact (sets are unions, never sums of counts).
//
// Kept to what one partition can know: the orders measures except
// new_customers and returning_customers (they need each customer's first
// purchase over all lines), and compare only with a range unbounded below
// (the comparison periods are then the query's own); anything else is
// Unimplemented naming it. Every partial of one finish must come from the
// same spec (its canonical JSON is in the bytes) and money scale.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/query/run.hpp"
#include "salesight/query/spec.hpp"

namespace salesight {

// The partial of `spec` over the rows of `data`.
absl::StatusOr<std::string> QueryPartial(const Dataset& data, const QuerySpec& spec,
                                         const QueryRunOptions& options = {});
// The partial of the union of a's and b's rows. Errors (InvalidArgument):
// bytes that are not a query partial, different specs or money scales.
absl::StatusOr<std::string> MergeQueryPartials(std::string_view a, std::string_view b);
// The result of `spec` from a partial of it (HAVING, order, top, totals and
// compare applied here, over the merged groups).
absl::StatusOr<QueryResult> FinishQueryPartial(const QuerySpec& spec, std::string_view partial);

}  // namespace salesight
