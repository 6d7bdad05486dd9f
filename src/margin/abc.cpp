// ABC classification from exact integer prefix sums: the cumulative share is
// prefix / total of two integers, so it is exactly 1.0 at the last positive
// item, and the class limits are compared in integers, never in floats.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_format.h"
#include "internal/margin.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

constexpr std::int64_t kPpm = 1'000'000;

}  // namespace

absl::StatusOr<AbcResult> ClassifyAbc(const MarginResult& result, const AbcOptions& options) {
  if (!(options.a_limit > 0 && options.a_limit <= options.b_limit && options.b_limit <= 1)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "abc: limits must satisfy 0 < a_limit (%g) <= b_limit (%g) <= 1", options.a_limit,
        options.b_limit));
  }
  if (static_cast<int>(options.metric) > static_cast<int>(AbcMetric::kMargin) ||
      static_cast<int>(options.crossing_item) > static_cast<int>(AbcBoundary::kUpperClass)) {
    return absl::InvalidArgumentError("abc: unknown metric or boundary rule");
  }
  const std::size_t n = result.groups.size();
  auto value_of = [&](std::size_t row) {
    const MarginFigures& f = result.groups[row].figures;
    return options.metric == AbcMetric::kRevenue ? f.revenue : f.margin;
  };
  AbcResult abc;
  abc.options = options;
  Money total = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const Money v = value_of(r);
    if (v > 0 && __builtin_add_overflow(total, v, &total)) {
      return absl::OutOfRangeError("abc: the sum of positive values overflows int64");
    }
  }
  abc.positive_total = total;

  // Value descending, ties by key ascending (= row ascending): positive items,
  // then zeros, then negatives with the most negative last.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return value_of(a) > value_of(b); });

  const Int128 a_cut = Int128{std::llround(options.a_limit * kPpm)} * total;
  const Int128 b_cut = Int128{std::llround(options.b_limit * kPpm)} * total;
  const double den = static_cast<double>(total);
  abc.entries.resize(n);
  abc.class_of_row.assign(n, AbcClass::kC);
  Money prefix = 0;
  for (std::size_t i = 0; i < n; ++i) {
    AbcEntry& e = abc.entries[i];
    e.row = order[i];
    e.rank = static_cast<std::int64_t>(i + 1);
    e.value = value_of(e.row);
    if (total > 0) e.share = static_cast<double>(e.value) / den;
    if (e.value > 0) {
      const Int128 before = Int128{prefix} * kPpm;
      prefix += e.value;  // <= total: cannot overflow
      const Int128 after = Int128{prefix} * kPpm;
      e.cumulative_share = prefix == total ? 1.0 : static_cast<double>(prefix) / den;
      if (options.crossing_item == AbcBoundary::kLowerClass) {
        e.abc = after <= a_cut ? AbcClass::kA : after <= b_cut ? AbcClass::kB : AbcClass::kC;
      } else {
        e.abc = before < a_cut ? AbcClass::kA : before < b_cut ? AbcClass::kB : AbcClass::kC;
      }
    } else if (e.value == 0) {
      if (total > 0) e.cumulative_share = 1.0;
      e.abc = AbcClass::kC;
    } else {
      e.abc = options.negative_as_c ? AbcClass::kC : AbcClass::kN;
    }
    abc.class_of_row[e.row] = e.abc;
    AbcClassSummary& s = abc.summary[static_cast<std::size_t>(e.abc)];
    s.items += 1;
    if (__builtin_add_overflow(s.value, e.value, &s.value)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "abc: the value of class %s overflows int64", AbcLabel(e.abc)));
    }
  }
  return abc;
}

}  // namespace salesight
