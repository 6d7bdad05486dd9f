// Receivables internals: payment sources and the one-pass kernel shared by
// aging, collection and the fused ComputeReceivables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/dimension.hpp"
#include "salesight/receivables.hpp"

namespace salesight::receivables_internal {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// The group dimension of the invoice rows: `group_by` resolved against the
// dataset once ("" or an empty invoices table: ungrouped). `what` ("aging",
// "collection") starts the error, which names the valid dimensions.
struct GroupDimension {
  std::string name;                    // "" = ungrouped
  std::optional<DimensionColumn> column;  // absent when ungrouped
  // Slot = id + slot_offset; 1 when a member may be missing (slot 0).
  std::int32_t slot_offset = 0;
  std::int64_t num_slots = 1;
};
absl::StatusOr<GroupDimension> ResolveGroup(const Dataset& data, const std::string& group_by,
                                            const char* what);

// The slots of the rows [begin, end): slots[i - begin] (null when
// ungrouped). A field of the invoices themselves is read in place; a related
// field, or one with missing members, is computed once per range.
class GroupSlots {
 public:
  GroupSlots(const GroupDimension& dim, std::size_t begin, std::size_t end);
  GroupSlots(const GroupSlots&) = delete;
  GroupSlots& operator=(const GroupSlots&) = delete;
  const Id* data() const { return slots_; }

 private:
  std::vector<Id> owned_;
  const Id* slots_ = nullptr;
};

// The label of a slot (its code as given; "(none)" for the missing member).
std::string SlotLabel(const DictionaryPtr& codes, std::int32_t slot_offset, std::int64_t slot);

// Payments of the invoice rows [begin, end) in row order (CSR): payments of
// row begin + k are [offsets[k], offsets[k + 1]) of dates / amounts. Built by
// a counting sort, so the Payments table may come in any order.
struct PaymentRange {
  std::vector<std::int64_t> offsets;
  std::vector<Day> dates;
  std::vector<Money> amounts;
};
PaymentRange GatherPayments(const Payments& payments, std::size_t begin, std::size_t end);

// The dataset's invoices (an error without them).
absl::StatusOr<const Invoices*> InvoicesOf(const Dataset& data, const char* what);
absl::Status ValidateAging(const AgingOptions& options);
absl::Status ValidateCollection(const CollectionOptions& options);
absl::Status CheckRange(const Invoices& invoices, std::size_t begin, std::size_t end,
                        const char* what);

// Empty partial states (group arrays dense over the dimension's slots).
AgingPartial NewAgingPartial(const Invoices& invoices, const GroupDimension& group,
                             const AgingOptions& options);
CollectionPartial NewCollectionPartial(const Invoices& invoices, const GroupDimension& group,
                                       const CollectionOptions& options);

// One pass over [begin, end) adding into `aging` and/or `collection` (either
// may be null, not both); agroup / cgroup are their slots of the rows
// (GroupSlots::data(), null = ungrouped).
absl::Status Accumulate(const Invoices& invoices, const Payments* payments, std::size_t begin,
                        std::size_t end, AgingPartial* aging, const Id* agroup,
                        CollectionPartial* collection, const Id* cgroup);

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
