// The trend's group column: a dimension of the rows' table by name.
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "internal/trend.hpp"

namespace salesight::trend_internal {

absl::StatusOr<GroupSource> GroupsOf(const Dataset& data, TableKind rows, std::size_t num_rows,
                                     const std::string& group_by, std::string_view what) {
  GroupSource out;
  if (group_by.empty() || num_rows == 0) return out;  // an empty table has no column to check
  absl::StatusOr<DimensionColumn> dim = data.Dimension(rows, group_by);
  if (!dim.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("trend: group_by for the ", std::string(what),
                                                   ": ", dim.status().message()));
  }
  if (dim->lookup != nullptr || dim->may_be_missing) {
    return absl::UnimplementedError(absl::StrCat(
        "trend: group_by '", group_by, "' is reached through a related table; the trend groups "
        "by a column of the ", std::string(what), " itself"));
  }
  out.codes = absl::MakeConstSpan(dim->codes, num_rows);
  out.labels = dim->dictionary;
  out.groups = std::max(dim->cardinality, 1);
  return out;
}

}  // namespace salesight::trend_internal
