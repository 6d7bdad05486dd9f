// Dimensions: the one answer to "by what". A dimension is a name the user
// gives ("region", "origin", "Sub-Category"); resolved against the rows of a
// table it is a DimensionColumn: per row, a code. Names resolve, in order, to
//   1. a field of the rows' table (region, salesperson, source, ...),
//   2. an attribute column of that table (an unmapped export column),
//   3. through a relation, a field or attribute of a master table: the row's
//      customer -> the customers table (its region, its attributes), the
//      row's product -> the products table (its category, its attributes).
// The first match wins; names are compared exactly. Every grouping
// calculator reads its group keys through DimensionColumn, so a column that
// exists in the data is a dimension on every surface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dictionary.hpp"

namespace salesight {

struct DimensionColumn {
  std::string name;
  // Per row: the code, or (when `lookup` is set) the related id whose code
  // lookup[id] is.
  const Id* codes = nullptr;
  const Id* lookup = nullptr;
  // Codes are in [0, cardinality) or, when may_be_missing, kNoId (a related
  // id without a master row: a group of its own, labelled "(none)").
  std::int32_t cardinality = 0;
  bool may_be_missing = false;
  DictionaryPtr dictionary;  // the members' labels; null = the code's decimal value
  // Keeps a relation's lookup table alive (shared with the Dataset), or the
  // codes of a column derived per query (the pipeline's stage).
  std::shared_ptr<const std::vector<Id>> lookup_owner;

  Id Code(std::size_t row) const {
    const Id v = codes[row];
    return lookup != nullptr ? lookup[v] : v;
  }
};

// The candidate with this name, or InvalidArgument naming the valid names
// and the closest one ("did you mean 'Region'?"). `what` says whose rows:
// "pipeline", "orders".
absl::StatusOr<DimensionColumn> FindDimension(const std::vector<DimensionColumn>& candidates,
                                              std::string_view name, std::string_view what);

// The label of a member: the dictionary's code, the decimal id without a
// dictionary, "(none)" for kNoId.
std::string DimensionLabel(const DictionaryPtr& dictionary, Id code);

}  // namespace salesight
