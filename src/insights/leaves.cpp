// LeavesTable: building and checking the leaves a localiser searches.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "insights/internal/dense_ids.hpp"
#include "salesight/insights/localizer.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::insights {
namespace {

constexpr std::size_t kMaxDims = 16;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A finite decimal number, the whole field; false otherwise ("nan", "inf",
// "1e999" and "" included: a missing or infinite value is never a number here).
bool ParseFinite(std::string_view text, double* out) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(*out);
}

std::string LeafText(const std::vector<std::string>& names, const std::vector<Dictionary>& members,
                     const std::vector<std::vector<Id>>& dims, std::size_t leaf) {
  std::vector<std::string> parts;
  for (std::size_t d = 0; d < names.size(); ++d) {
    parts.push_back(absl::StrFormat("%s=%s", names[d],
                                    std::string(members[d].Code(dims[d][leaf]))));
  }
  return absl::StrJoin(parts, "&");
}

}  // namespace

absl::StatusOr<LeavesTable> LeavesTable::Make(std::vector<std::string> dim_names,
                                              std::vector<Dictionary> members,
                                              std::vector<std::vector<Id>> dims,
                                              std::vector<double> real,
                                              std::vector<double> forecast) {
  if (dim_names.empty()) return absl::InvalidArgumentError("leaves: no dimension given");
  if (dim_names.size() > kMaxDims) {
    return absl::InvalidArgumentError(
        absl::StrFormat("leaves: %d dimensions, at most %d", dim_names.size(), kMaxDims));
  }
  if (members.size() != dim_names.size() || dims.size() != dim_names.size()) {
    return absl::InvalidArgumentError("leaves: one member dictionary and one column per dimension");
  }
  const std::size_t n = real.size();
  if (forecast.size() != n) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaves: %d real values but %d forecast values", n, forecast.size()));
  }
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].size() != n) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaves: dimension '%s' has %d rows, real has %d", dim_names[d], dims[d].size(), n));
    }
    if (!IsCanonical(members[d])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaves: members of '%s' are not in canonical order", dim_names[d]));
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (dims[d][i] < 0 || dims[d][i] >= members[d].size()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "leaves row %d, dimension '%s': member id %d out of range", i + 1, dim_names[d],
            dims[d][i]));
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(real[i]) || !std::isfinite(forecast[i])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaves row %d: real %g, forecast %g: values must be finite", i + 1, real[i],
          forecast[i]));
    }
  }
  // Leaves are kept in their members' order (dense ids of the full
  // combination follow it), so no result depends on the input's row order;
  // two rows with one id are a duplicate leaf.
  std::vector<std::int32_t> ids, prev, scratch;
  std::vector<std::uint32_t> rep;
  std::vector<std::uint64_t> keys;
  std::int32_t count = 1;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    count = internal::ExtendIds(d == 0 ? nullptr : &prev, count, dims[d], members[d].size(), &ids,
                                &rep, &keys, &scratch);
    prev.swap(ids);
  }
  ids.swap(prev);
  if (static_cast<std::size_t>(count) != n) {
    std::vector<std::int64_t> first(static_cast<std::size_t>(count), -1);
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t& f = first[static_cast<std::size_t>(ids[i])];
      if (f >= 0) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "leaves data rows %d and %d: the same leaf %s twice", f + 1, i + 1,
            LeafText(dim_names, members, dims, i)));
      }
      f = static_cast<std::int64_t>(i);
    }
  }
  auto permute = [&](auto& column) {
    std::remove_reference_t<decltype(column)> sorted(n);
    for (std::size_t i = 0; i < n; ++i) sorted[static_cast<std::size_t>(ids[i])] = column[i];
    column.swap(sorted);
  };
  for (std::vector<Id>& c : dims) permute(c);
  permute(real);
  permute(forecast);
  LeavesTable t;
  t.dim_names_ = std::move(dim_names);
  t.members_ = std::move(members);
  t.codes_ = std::move(dims);
  t.real_ = std::move(real);
  t.forecast_ = std::move(forecast);
  return t;
}

absl::StatusOr<LeavesTable> LeavesTable::FromStringCsv(const StringCsv& csv,
                                                       const std::vector<std::string>& dims,
                                                       const std::string& real,
                                                       const std::string& forecast) {
  auto find = [&](const std::string& name) -> absl::StatusOr<const StringColumn*> {
    for (const StringColumn& c : csv.columns) {
      if (Trim(c.name()) == name) return &c;
    }
    std::vector<std::string> have;
    for (const StringColumn& c : csv.columns) have.push_back(c.name());
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaves file has no column '%s' (columns: %s)", name, absl::StrJoin(have, ", ")));
  };
  for (std::size_t a = 0; a < dims.size(); ++a) {
    for (std::size_t b = a + 1; b < dims.size(); ++b) {
      if (dims[a] == dims[b]) {
        return absl::InvalidArgumentError(
            absl::StrFormat("dimension '%s' given twice", dims[a]));
      }
    }
    if (dims[a] == real || dims[a] == forecast) {
      return absl::InvalidArgumentError(
          absl::StrFormat("'%s' is both a dimension and a value column", dims[a]));
    }
  }
  const std::size_t n = csv.num_rows();
  std::vector<Dictionary> members(dims.size());
  std::vector<std::vector<Id>> codes(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) {
    SALESIGHT_ASSIGN_OR_RETURN(const StringColumn* col, find(dims[d]));
    codes[d].resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(codes[d][i], members[d].Intern(Trim((*col)[i])));
    }
    // Ids in the members' value order, so ties never follow the file's row order.
    const std::vector<Id> new_id = CanonicalOrder(members[d]);
    members[d].Reorder(new_id);
    for (Id& c : codes[d]) c = new_id[static_cast<std::size_t>(c)];
  }
  std::vector<double> values[2];
  const std::string* names[2] = {&real, &forecast};
  for (int k = 0; k < 2; ++k) {
    SALESIGHT_ASSIGN_OR_RETURN(const StringColumn* col, find(*names[k]));
    values[k].resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!ParseFinite((*col)[i], &values[k][i])) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "leaves data row %d, column '%s': '%s' is not a finite number", i + 1, *names[k],
            std::string((*col)[i])));
      }
    }
  }
  return Make(dims, std::move(members), std::move(codes), std::move(values[0]),
              std::move(values[1]));
}

std::string CombinationText(const LeavesTable& leaves, const RootCause& cause) {
  std::string out;
  for (std::size_t d = 0; d < leaves.num_dims(); ++d) {
    if (cause.members[d] == kNoId) continue;
    if (!out.empty()) out += '&';
    out += leaves.dim_name(d);
    out += '=';
    out += leaves.members(d).Code(cause.members[d]);
  }
  return out;
}

}  // namespace salesight::insights
