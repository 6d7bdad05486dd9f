// Receivables internals: payment sources and the one-pass kernel shared by
// aging, collection and the fused ComputeReceivables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/receivables.hpp"

namespace salesight::receivables_internal {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

int ResolveThreads(int num_threads);
const char* GroupName(ReceivablesGroupBy group_by);  // "customer", ...

// Payments of the invoice rows [begin, end) in row order (CSR): payments of
// row begin + k are [offsets[k], offsets[k + 1]) of dates / amounts. Built by
// a counting sort, so the Payments table may come in any order.
struct PaymentRange {
  std::vector<std::int64_t> offsets;
  std::vector<Day> dates;
  std::vector<Money> amounts;
};
PaymentRange GatherPayments(const Payments& payments, std::size_t begin, std::size_t end);

absl::Status ValidateAging(const Invoices& invoices, const AgingOptions& options);
absl::Status ValidateCollection(const Invoices& invoices, const CollectionOptions& options);

// Empty partial states sized for the rows [begin, end) (group arrays dense).
AgingPartial NewAgingPartial(const Invoices& invoices, const AgingOptions& options);
CollectionPartial NewCollectionPartial(const Invoices& invoices, std::size_t begin,
                                       std::size_t end, const CollectionOptions& options);

// One pass over [begin, end) adding into `aging` and/or `collection` (either
// may be null, not both).
absl::Status Accumulate(const Invoices& invoices, const Payments* payments, std::size_t begin,
                        std::size_t end, AgingPartial* aging, CollectionPartial* collection);

// Overdue order: larger outstanding x dpd first, ties by row ascending.
inline bool OverdueBefore(const OverdueInvoice& a, const OverdueInvoice& b) {
  const UInt128 sa = static_cast<UInt128>(a.outstanding) * static_cast<UInt128>(a.days_past_due);
  const UInt128 sb = static_cast<UInt128>(b.outstanding) * static_cast<UInt128>(b.days_past_due);
  // Ties by the invoice number (or its code's id: codes are in value order,
  // dictionary.hpp), so the list does not depend on the row order; the row
  // only separates rows that repeat a number.
  if (sa != sb) return sa > sb;
  return a.invoice != b.invoice ? a.invoice < b.invoice : a.row < b.row;
}

std::string BucketName(const std::vector<std::int32_t>& cutoffs, std::size_t bucket);

}  // namespace salesight::receivables_internal
