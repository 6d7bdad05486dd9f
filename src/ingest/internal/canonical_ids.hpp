// Canonical ids for the CSV readers (dictionary.hpp: ids follow the codes'
// value order, never the file's row order). Each reader orders the codes it
// added when it finishes; CanonicalizeIds (csv.hpp) orders whole dictionaries
// after a load of several files and remaps every table of the load.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "salesight/csv.hpp"
#include "salesight/dictionary.hpp"

namespace salesight::ingest {

// The Dictionaries slots, as one list.
enum Slot {
  kCustomers, kProducts, kRegions, kSalespeople, kChannels, kDepartments, kCategories, kSources,
  kLostReasons, kOrders, kOpportunities, kInvoices, kNumSlots
};

// Old id -> new id per slot; empty = the ids stay.
using IdMaps = std::array<std::vector<Id>, kNumSlots>;
// The size of each slot's dictionary (0 when null).
using SlotSizes = std::array<Id, kNumSlots>;

SlotSizes SizesOf(const Dictionaries& dicts);

// Puts the codes added since `before` in canonical order after the codes there
// were, in place: those keep their ids, so tables read earlier with `dicts`
// stay valid and agree with the next table. Returns the id changes.
IdMaps OrderNewCodes(Dictionaries& dicts, const SlotSizes& before);

// Puts every dictionary in canonical order: slots that change get a reordered
// COPY (tables not remapped keep the dictionary their ids index).
IdMaps OrderAllCodes(Dictionaries& dicts);

// Rebuilds a reader's result with its id columns mapped by `maps` and its
// dictionaries taken from `dicts` (a no-op when nothing it uses changed).
absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, OrdersCsv& csv);
absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, PipelineCsv& csv);
absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, InvoicesCsv& csv);
absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, CustomersCsv& csv);
absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, ProductsCsv& csv);
absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, TargetsCsv& csv);

// A reader's last step: orders the codes it added and remaps its result.
template <typename Csv>
absl::Status OrderReadCodes(Dictionaries& dicts, const SlotSizes& before, Csv& csv) {
  return Remap(OrderNewCodes(dicts, before), dicts, csv);
}

}  // namespace salesight::ingest
