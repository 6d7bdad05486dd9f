// Contribution shares on top of the margin calculator's exact group sums;
// the only new arithmetic is the largest-remainder rounding.
#include "salesight/contribution.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/internal/parallel.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

absl::StatusOr<MarginOptions> ToMarginOptions(const ContributionOptions& o) {
  if (o.dimensions.empty() || o.dimensions.size() > 2) {
    return absl::InvalidArgumentError(absl::StrCat("contribution: need 1 or 2 dimensions, got ",
                                                   o.dimensions.size()));
  }
  if (o.dimensions.size() == 2 && o.dimensions[0] == o.dimensions[1]) {
    return absl::InvalidArgumentError("contribution: the two dimensions must differ");
  }
  if (o.decimals < 0 || o.decimals > 6) {
    return absl::InvalidArgumentError(
        absl::StrCat("contribution: decimals must be in 0..6, got ", o.decimals));
  }
  MarginOptions m;
  m.group_by.dimensions = o.dimensions;
  m.from = o.from;
  m.to = o.to;
  m.product_cost_order = o.product_cost_order;
  m.num_threads = o.num_threads;
  return m;
}

}  // namespace

absl::StatusOr<std::vector<std::int64_t>> LargestRemainderPercent(
    const std::vector<Money>& values, int decimals) {
  if (decimals < 0 || decimals > 6) {
    return absl::InvalidArgumentError(
        absl::StrCat("contribution: decimals must be in 0..6, got ", decimals));
  }
  Int128 total = 0;
  for (Money v : values) total += v;
  std::vector<std::int64_t> units;
  if (total == 0) return units;
  if (total > INT64_MAX || total < INT64_MIN) {
    return absl::OutOfRangeError("contribution: the total overflows int64");
  }
  const Int128 scale = static_cast<Int128>(100) * Pow10(decimals);
  // value / total == sign-flipped value / |total|: work with a positive
  // denominator so floor and remainder are the usual ones.
  const bool negate = total < 0;
  const Int128 den = negate ? -total : total;
  std::vector<Int128> remainder(values.size());
  units.resize(values.size());
  Int128 assigned = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Int128 num = static_cast<Int128>(negate ? -values[i] : values[i]) * scale;
    Int128 q = num / den, r = num % den;
    if (r < 0) {  // floor toward minus infinity
      q -= 1;
      r += den;
    }
    units[i] = static_cast<std::int64_t>(q);
    remainder[i] = r;
    assigned += q;
  }
  // sum(num) = scale * den exactly, so the missing units are the sum of the
  // remainders / den: an integer in [0, n).
  const auto missing = static_cast<std::size_t>(scale - assigned);
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return remainder[a] > remainder[b];
  });
  for (std::size_t k = 0; k < missing; ++k) ++units[order[k]];
  return units;
}

absl::StatusOr<ContributionPartial> PartialContribution(const Dataset& data, std::size_t begin,
                                                        std::size_t end,
                                                        const ContributionOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(MarginOptions m, ToMarginOptions(options));
  m.num_threads = 1;
  return PartialMargin(data, begin, end, m);
}

absl::Status MergeContribution(ContributionPartial& into, const ContributionPartial& from) {
  return MergeMargin(into, from);
}

absl::StatusOr<ContributionResult> FinishContribution(ContributionPartial partial,
                                                      const ContributionOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const MarginOptions m, ToMarginOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(MarginResult margin, FinishMargin(std::move(partial), m));
  ContributionResult r;
  r.options = options;
  r.money_scale = margin.money_scale;
  r.lines = margin.total.lines;
  r.cost_unknown_lines = margin.total.cost_unknown_lines;
  r.dictionaries[0] = margin.dictionaries[0];
  r.dictionaries[1] = options.dimensions.size() > 1 ? margin.dictionaries[1] : nullptr;
  std::vector<Money> values;
  values.reserve(margin.groups.size());
  for (const MarginGroup& g : margin.groups) {
    ContributionItem item;
    item.key[0] = g.key[0];
    item.key[1] = options.dimensions.size() > 1 ? g.key[1] : 0;
    item.value = options.measure == ContributionMeasure::kRevenue ? g.figures.revenue
                                                                  : g.figures.margin;
    if (!AddMoney(r.total, item.value, &r.total)) {
      return absl::OutOfRangeError("contribution: the total overflows int64");
    }
    values.push_back(item.value);
    r.items.push_back(item);
  }
  SALESIGHT_ASSIGN_OR_RETURN(const std::vector<std::int64_t> units,
                             LargestRemainderPercent(values, options.decimals));
  if (r.total != 0) {
    const double unit = static_cast<double>(Pow10(options.decimals));
    for (std::size_t i = 0; i < r.items.size(); ++i) {
      ContributionItem& item = r.items[i];
      item.share = static_cast<double>(item.value) / static_cast<double>(r.total);
      item.share_pct_units = units[i];
      item.share_pct = static_cast<double>(units[i]) / unit;
    }
  }
  return r;
}

absl::StatusOr<ContributionResult> ComputeContribution(const Dataset& data,
                                                       const ContributionOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const MarginOptions m, ToMarginOptions(options));
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("contribution: the dataset has no orders table");
  }
  if (absl::Status st = CheckMarginGrouping(data, m.group_by); !st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("contribution option 'dimensions': ", st.message()));
  }
  const std::size_t n = data.orders()->size();
  const std::size_t threads = internal::ThreadsForRows(options.num_threads, n);
  std::vector<absl::StatusOr<ContributionPartial>> parts(threads);
  internal::ForEachRange(threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    parts[t] = PartialContribution(data, b, e, options);
  });
  for (const auto& p : parts) SALESIGHT_RETURN_IF_ERROR(p.status());
  ContributionPartial total = std::move(*parts[0]);
  for (std::size_t t = 1; t < parts.size(); ++t) {
    SALESIGHT_RETURN_IF_ERROR(MergeContribution(total, *parts[t]));
  }
  return FinishContribution(std::move(total), options);
}

ResultTable ToResultTable(const ContributionResult& result) {
  ResultTable t;
  const auto& dims = result.options.dimensions;
  for (std::size_t d = 0; d < dims.size() && d < 2; ++d) {
    // Codes into the dimension's dictionary (decimal ids without one).
    ResultColumn& c = t.AddCodes(dims[d], result.dictionaries[d]);
    bool any_null = false;
    for (const ContributionItem& item : result.items) {
      const std::int64_t id = item.key[d];
      const bool null = id < 0;  // no member (margin.hpp "Groups")
      c.codes.push_back(null ? 0 : static_cast<std::int32_t>(id));
      c.valid.push_back(null ? 0 : 1);
      any_null = any_null || null;
    }
    if (!any_null) c.valid.clear();
  }
  ResultColumn& value = t.AddMoney("value", result.money_scale);
  ResultColumn& share = t.AddDouble("share");
  // share_pct is an exact decimal with `decimals` places (the units that sum
  // to 100): a fixed-point column prints "33.4" and "7.0", never
  // "5.2400000000000002", and its column sums to exactly 100.
  ResultColumn& pct = t.AddMoney("share_pct", result.options.decimals);
  for (const ContributionItem& item : result.items) {
    value.ints.push_back(item.value);
    share.doubles.push_back(item.share.value_or(0.0));
    pct.ints.push_back(item.share_pct_units.value_or(0));
  }
  if (result.total == 0 && !result.items.empty()) {
    share.valid.assign(result.items.size(), 0);
    pct.valid.assign(result.items.size(), 0);
  }
  return t;
}

}  // namespace salesight
