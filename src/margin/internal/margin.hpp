// Private helpers of the margin calculator shared by its .cpp files: product
// cost resolution, the grouping plan (dense mixed-radix keys), and small text
// helpers for error messages and result tables.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/margin.hpp"

namespace salesight::margin_internal {

// ------------------------------------------------------------ product costs

// Per product id: standard cost and quantity tiers, at one money scale, with
// the lookup order decided once. Resolve() is the only per-line entry point.
class ProductCosts {
 public:
  // Products' money is rescaled to `to_scale` exactly (error when a cost has
  // more decimals than to_scale keeps). `min_products` sizes the tables so
  // every id below it can be looked up (ids beyond Products are "unlisted").
  static absl::StatusOr<ProductCosts> Build(const Products& products, int to_scale,
                                            ProductCostOrder order, std::int32_t min_products);

  // fixed_[p] values besides a real unit cost (>= 0).
  static constexpr Money kVaries = -1;   // depends on quantity: search the tiers
  static constexpr Money kUnknown = -2;  // no cost at any quantity

  std::int32_t size() const { return static_cast<std::int32_t>(fixed_.size()); }
  bool listed(Id p) const { return p >= 0 && p < size() && listed_[static_cast<std::size_t>(p)]; }
  bool any_cost() const { return any_cost_; }
  const Money* fixed() const { return fixed_.data(); }

  // Unit cost of product p (0 <= p < size()) at |quantity| = abs_quantity;
  // sets *unit and returns kStandardCost / kTierCost, or kUnknownCost.
  CostSource Resolve(Id p, std::int64_t abs_quantity, Money* unit, std::int32_t* tier_min) const {
    const auto pi = static_cast<std::size_t>(p);
    const Money f = fixed_[pi];
    if (f >= 0) {
      *unit = f;
      *tier_min = -1;
      return CostSource::kStandardCost;
    }
    if (f == kUnknown) return CostSource::kUnknownCost;
    // Tiers sorted by min_quantity ascending: the last one <= q applies.
    for (std::uint32_t t = tier_end_[pi]; t > tier_begin_[pi]; --t) {
      if (tier_min_[t - 1] <= abs_quantity) {
        *unit = tier_unit_[t - 1];
        *tier_min = tier_min_[t - 1];
        return CostSource::kTierCost;
      }
    }
    if (standard_[pi] >= 0) {  // tier-first order falls back to standard cost
      *unit = standard_[pi];
      *tier_min = -1;
      return CostSource::kStandardCost;
    }
    return CostSource::kUnknownCost;
  }

 private:
  std::vector<Money> fixed_;
  std::vector<Money> standard_;  // -1 = none
  std::vector<std::uint32_t> tier_begin_, tier_end_;
  std::vector<std::int32_t> tier_min_;
  std::vector<Money> tier_unit_;
  std::vector<std::uint8_t> listed_;
  bool any_cost_ = false;
};

// Rescales exactly from `from` to `to` decimals (error naming `what` when the
// value has more decimals than `to` keeps or leaves the money range).
absl::StatusOr<Money> RescaleExact(Money value, int from, int to, const std::string& what);

// ------------------------------------------------------------ grouping plan

// What a grouping name means (see "Groups" in margin.hpp): the built-ins that
// are not plain id columns, else a dimension of the order lines.
enum class DimKind : std::uint8_t { kOrder, kCategory, kPeriod, kMember };

struct DimName {
  DimKind kind = DimKind::kMember;
  Grain period;  // kPeriod only
};
// InvalidArgument for a malformed grain ("fiscal_year:13"), the one name
// that can be wrong before the data is seen.
absl::StatusOr<DimName> ClassifyDimension(std::string_view name);
// Duplicate names, more than one grain, too many dimensions: the checks that
// need no data (ParseMarginGrouping, the plan, the deserializer).
absl::Status CheckGrouping(const MarginGrouping& grouping);
// A name that is not a built-in: a dimension of the order lines (an error
// naming the valid names). An empty table cannot tell an absent column from
// an empty one: its keys are never read, so any name resolves.
absl::StatusOr<DimensionColumn> ResolveMember(const Dataset& data, const std::string& name);
// Same names, a grain compared as a grain ("week" = "iso_week").
bool SameGrouping(const MarginGrouping& a, const MarginGrouping& b);

struct DimPlan {
  DimName name;
  // code(i) = lut ? lut[column[i - column_base] - lut_offset] : column[i - column_base]
  const std::int32_t* column = nullptr;
  std::size_t column_base = 0;
  const std::int32_t* lut = nullptr;
  std::int32_t lut_offset = 0;
  std::int64_t radix = 0;
  std::int64_t stride = 0;
  // natural value = values.empty() ? code + value_offset : values[code]
  std::vector<std::int64_t> values;
  std::int64_t value_offset = 0;

  std::int64_t Natural(std::int64_t code) const {
    return values.empty() ? code + value_offset : values[static_cast<std::size_t>(code)];
  }
};

struct GroupingPlan {
  MarginGrouping grouping;
  std::vector<DimPlan> dims;
  std::int64_t key_space = 1;
  std::array<DictionaryPtr, kMaxMarginKeys> dictionaries{};
  // Owned look-up data the DimPlans point into.
  std::vector<std::int32_t> category_lut;
  std::vector<std::int32_t> period_lut;
  std::vector<std::int32_t> order_codes;
  // Shifted look-ups of members that may be missing (code 0 = missing), and
  // the relations' look-ups the DimPlans read.
  std::vector<std::vector<std::int32_t>> member_luts;
  std::vector<std::shared_ptr<const std::vector<Id>>> lookups;

  std::size_t num_dims() const { return dims.size(); }
  // Natural key values of a dense key.
  void Decode(std::int64_t key, std::int64_t* out) const {
    for (std::size_t d = dims.size(); d-- > 0;) {
      out[d] = dims[d].Natural(key % dims[d].radix);
      key /= dims[d].radix;
    }
  }
};

enum class CostMode : std::uint8_t { kLineCost, kUnitCost, kProductTable, kNone };

struct MarginPlan {
  const OrderLines* orders = nullptr;
  CostMode cost_mode = CostMode::kNone;
  std::optional<ProductCosts> product_costs;  // kProductTable only
  bool filtered = false;
  Day from = kNoDate, to = kNoDate;  // effective inclusive bounds when filtered
  std::vector<GroupingPlan> groupings;
  UnknownCostPolicy unknown_cost = UnknownCostPolicy::kExclude;
  std::int64_t max_dense_groups = 0;
};

// Validates the options against the dataset's order lines (and products) and
// prepares keys and costs. Order codes are computed for rows [begin, end) only.
absl::StatusOr<MarginPlan> BuildMarginPlan(const Dataset& data,
                                           absl::Span<const MarginGrouping> groupings,
                                           const MarginOptions& options, std::size_t begin,
                                           std::size_t end);

// Aggregates rows [begin, end) for every grouping of the plan.
absl::StatusOr<std::vector<MarginPartial>> AggregateRange(const MarginPlan& plan,
                                                          std::size_t begin, std::size_t end);

// ------------------------------------------------------------ text helpers

// The result column of a dimension: its name, the grain's name for a period.
std::string ColumnName(std::string_view name);
// "product=P-00042, month=202403" for error messages.
std::string DescribeKey(const MarginGrouping& grouping,
                        const std::array<DictionaryPtr, kMaxMarginKeys>& dictionaries,
                        const std::int64_t* key);
// Natural period value of a day (see margin.hpp "Groups").
std::int64_t PeriodValue(Day day, Grain period);
// The same calendar day one year earlier (Feb 29 -> Feb 28).
Day ShiftYears(Day day, int years);
// Median of the values (mean of the two middle ones for an even count);
// reorders `values`; nullopt when empty.
std::optional<double> Median(std::vector<double>& values);

inline std::optional<double> Ratio(double num, double den) {
  if (den == 0) return std::nullopt;
  return num / den;
}

}  // namespace salesight::margin_internal
