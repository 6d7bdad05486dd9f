// The grouping plan: options checked against the tables once, and every
// dimension turned into a dense code (an id, or a look-up table indexed by an
// id or a day) with a mixed-radix stride, so a group key is a few integer
// multiply-adds per line and never a hash.
#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"
#include "salesight/names.hpp"

namespace salesight::margin_internal {
namespace {

// Cardinality of an optional id column: the dictionary's size, else max + 1.
std::int64_t IdCardinality(const Column<Id>& column, const DictionaryPtr& dict) {
  if (dict) return dict->size();
  Id max_id = -1;
  for (Id v : column) max_id = std::max(max_id, v);
  return std::int64_t{max_id} + 1;
}

}  // namespace

absl::StatusOr<DimensionColumn> ResolveMember(const Dataset& data, const std::string& name) {
  absl::StatusOr<DimensionColumn> dim = data.Dimension(TableKind::kOrders, name);
  if (dim.ok()) return dim;
  if (data.orders()->size() == 0) {
    DimensionColumn never_read;
    never_read.name = name;
    return never_read;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s Also: 'order' and one period grain (day, week, month, quarter, year, "
      "fiscal_year[:M]).",
      dim.status().message()));
}

namespace {

absl::Status BuildDim(const Dataset& data, const std::string& name, std::size_t begin,
                      std::size_t end, GroupingPlan& plan, DimPlan& d, DictionaryPtr& dict) {
  const OrderLines& orders = *data.orders();
  const Products* products = data.products();
  const OrderLinesColumns& c = orders.columns();
  switch (d.name.kind) {
    case DimKind::kMember: {
      absl::StatusOr<DimensionColumn> member = ResolveMember(data, name);
      if (!member.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("margin option 'group_by': ", member.status().message()));
      }
      DimensionColumn& m = *member;
      dict = m.dictionary;
      d.column = m.codes;
      d.radix = m.cardinality;
      if (m.lookup != nullptr) {
        if (m.lookup_owner == nullptr) {
          return absl::InternalError("margin: a relation's look-up has no owner");
        }
        plan.lookups.push_back(m.lookup_owner);
        d.lut = m.lookup;
      }
      if (m.may_be_missing) {
        // Code 0 = missing (natural value -1, sorts first), c + 1 = member c;
        // without a relation the look-up is indexed by the code itself + 1.
        std::vector<std::int32_t>& lut = plan.member_luts.emplace_back();
        if (m.lookup != nullptr) {
          lut.reserve(m.lookup_owner->size());
          for (const Id v : *m.lookup_owner) lut.push_back(v + 1);
        } else {
          for (Id v = -1; v < m.cardinality; ++v) lut.push_back(v + 1);
          d.lut_offset = -1;
        }
        d.lut = lut.data();
        d.radix = std::int64_t{m.cardinality} + 1;
        d.value_offset = -1;
      }
      return absl::OkStatus();
    }
    case DimKind::kCategory: {
      if (c.product.empty() && orders.size() != 0) {
        return absl::InvalidArgumentError(
            "margin: grouping by category needs the orders' 'product' column");
      }
      if (products == nullptr || products->columns().category.empty()) {
        return absl::InvalidArgumentError(
            "margin: grouping by category needs a products table with a 'category' column");
      }
      const ProductsColumns& pc = products->columns();
      const std::int64_t categories = IdCardinality(pc.category, pc.categories);
      // Code 0 = unknown category (natural value -1, sorts first), c + 1 = category c.
      plan.category_lut.assign(static_cast<std::size_t>(orders.num_products()), 0);
      for (std::size_t row = 0; row < pc.product.size(); ++row) {
        const auto p = static_cast<std::size_t>(pc.product[row]);
        if (p < plan.category_lut.size()) plan.category_lut[p] = pc.category[row] + 1;
      }
      d.column = c.product.data();
      d.lut = plan.category_lut.data();
      d.radix = categories + 1;
      d.value_offset = -1;
      dict = pc.categories;
      return absl::OkStatus();
    }
    case DimKind::kOrder: {
      // Dense codes for the rows in range: the id minus the smallest id when
      // the ids are compact (the usual ERP numbering), else the rank among the
      // distinct ids. Either way code order = id order.
      const std::int64_t* ids = c.order_id.data();
      plan.order_codes.resize(end - begin);
      d.column = plan.order_codes.data();
      d.column_base = begin;
      if (begin == end) {
        d.radix = 0;
        return absl::OkStatus();
      }
      std::int64_t lo = ids[begin], hi = ids[begin];
      for (std::size_t i = begin; i < end; ++i) {
        lo = std::min(lo, ids[i]);
        hi = std::max(hi, ids[i]);
      }
      const auto rows = static_cast<std::uint64_t>(end - begin);
      const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
      if (span < 2 * rows + 1024 && span < std::numeric_limits<std::int32_t>::max()) {
        for (std::size_t i = begin; i < end; ++i) {
          plan.order_codes[i - begin] = static_cast<std::int32_t>(ids[i] - lo);
        }
        d.radix = static_cast<std::int64_t>(span) + 1;
        d.value_offset = lo;
      } else {
        d.values.assign(ids + begin, ids + end);
        std::sort(d.values.begin(), d.values.end());
        d.values.erase(std::unique(d.values.begin(), d.values.end()), d.values.end());
        for (std::size_t i = begin; i < end; ++i) {
          plan.order_codes[i - begin] = static_cast<std::int32_t>(
              std::lower_bound(d.values.begin(), d.values.end(), ids[i]) - d.values.begin());
        }
        d.radix = static_cast<std::int64_t>(d.values.size());
      }
      return absl::OkStatus();
    }
    case DimKind::kPeriod: {
      d.column = c.order_date.data();
      if (orders.size() == 0) {
        d.radix = 0;
        return absl::OkStatus();
      }
      const Day lo = orders.min_date(), hi = orders.max_date();
      plan.period_lut.resize(static_cast<std::size_t>(hi - lo) + 1);
      std::int64_t last = 0;
      for (Day day = lo; day <= hi; ++day) {
        const std::int64_t v = PeriodValue(day, d.name.period);
        if (d.values.empty() || v != last) d.values.push_back(v);
        last = v;
        plan.period_lut[static_cast<std::size_t>(day - lo)] =
            static_cast<std::int32_t>(d.values.size() - 1);
      }
      d.lut = plan.period_lut.data();
      d.lut_offset = lo;
      d.radix = static_cast<std::int64_t>(d.values.size());
      return absl::OkStatus();
    }
  }
  return absl::InternalError("margin: unknown dimension");
}

}  // namespace

absl::StatusOr<MarginPlan> BuildMarginPlan(const Dataset& data,
                                           absl::Span<const MarginGrouping> groupings,
                                           const MarginOptions& options, std::size_t begin,
                                           std::size_t end) {
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("margin: the dataset has no orders table");
  }
  const OrderLines& orders = *data.orders();
  const Products* products = data.products();
  if (begin > end || end > orders.size()) {
    return absl::OutOfRangeError(absl::StrFormat(
        "margin: row range [%d, %d) is outside the orders' %d rows", begin, end, orders.size()));
  }
  if (options.num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("margin: num_threads %d is negative", options.num_threads));
  }
  if (options.max_dense_groups < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "margin: max_dense_groups %d must be at least 1", options.max_dense_groups));
  }
  if (options.from != kNoDate && options.to != kNoDate && options.from > options.to) {
    return absl::InvalidArgumentError(
        absl::StrFormat("margin: date range from %s is after to %s", FormatDate(options.from),
                        FormatDate(options.to)));
  }
  if (products != nullptr && products->columns().money_scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError("margin: products money scale out of range");
  }
  const OrderLinesColumns& c = orders.columns();
  MarginPlan plan;
  plan.orders = &orders;
  plan.unknown_cost = options.unknown_cost;
  plan.max_dense_groups = options.max_dense_groups;
  plan.filtered = options.from != kNoDate || options.to != kNoDate;
  plan.from = options.from == kNoDate ? std::numeric_limits<Day>::min() : options.from;
  plan.to = options.to == kNoDate ? std::numeric_limits<Day>::max() : options.to;

  if (!c.cost.empty()) {
    plan.cost_mode = CostMode::kLineCost;
  } else if (!c.unit_cost.empty()) {
    plan.cost_mode = CostMode::kUnitCost;
  } else if (products != nullptr && !c.product.empty() && !c.quantity.empty()) {
    SALESIGHT_ASSIGN_OR_RETURN(
        ProductCosts pc, ProductCosts::Build(*products, orders.money_scale(),
                                             options.product_cost_order, orders.num_products()));
    if (pc.any_cost()) {
      plan.cost_mode = CostMode::kProductTable;
      plan.product_costs = std::move(pc);
    }
  }

  plan.groupings.resize(groupings.size());
  for (std::size_t g = 0; g < groupings.size(); ++g) {
    const MarginGrouping& grouping = groupings[g];
    GroupingPlan& gp = plan.groupings[g];
    gp.grouping = grouping;
    SALESIGHT_RETURN_IF_ERROR(CheckGrouping(grouping));
    gp.dims.resize(grouping.dimensions.size());
    for (std::size_t d = 0; d < grouping.dimensions.size(); ++d) {
      SALESIGHT_ASSIGN_OR_RETURN(gp.dims[d].name, ClassifyDimension(grouping.dimensions[d]));
    }
    // Look-up tables first (resizing them moves their data), then pointers.
    for (std::size_t d = 0; d < gp.dims.size(); ++d) {
      SALESIGHT_RETURN_IF_ERROR(BuildDim(data, grouping.dimensions[d], begin, end, gp,
                                         gp.dims[d], gp.dictionaries[d]));
    }
    std::int64_t space = 1;
    for (std::size_t d = gp.dims.size(); d-- > 0;) {
      gp.dims[d].stride = space;
      if (__builtin_mul_overflow(space, gp.dims[d].radix, &space)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "margin: the key space of grouping %s exceeds 2^63 combinations",
            absl::StrJoin(grouping.dimensions, " x ")));
      }
    }
    gp.key_space = space;
  }
  return plan;
}

// ------------------------------------------------------------ names

absl::StatusOr<DimName> ClassifyDimension(std::string_view name) {
  if (name == "order") return DimName{DimKind::kOrder, {}};
  if (name == "category") return DimName{DimKind::kCategory, {}};
  absl::StatusOr<Grain> grain = ParseGrain(name);
  if (grain.ok()) return DimName{DimKind::kPeriod, *grain};
  if (name.substr(0, 12) == "fiscal_year:") return grain.status();
  return DimName{DimKind::kMember, {}};
}

absl::Status CheckGrouping(const MarginGrouping& grouping) {
  const std::vector<std::string>& names = grouping.dimensions;
  if (names.size() > static_cast<std::size_t>(kMaxMarginKeys)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "margin: %d grouping dimensions (at most %d)", names.size(), kMaxMarginKeys));
  }
  int periods = 0;
  for (std::size_t d = 0; d < names.size(); ++d) {
    if (names[d].empty()) return absl::InvalidArgumentError("margin: a dimension name is empty");
    SALESIGHT_ASSIGN_OR_RETURN(const DimName dn, ClassifyDimension(names[d]));
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(d), names[d]) !=
        names.begin() + static_cast<std::ptrdiff_t>(d)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("margin: grouping dimension '%s' is listed twice", names[d]));
    }
    if (dn.kind == DimKind::kPeriod && ++periods > 1) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "margin: '%s' is a second period grain (at most one)", names[d]));
    }
  }
  return absl::OkStatus();
}

bool SameGrouping(const MarginGrouping& a, const MarginGrouping& b) {
  if (a.dimensions.size() != b.dimensions.size()) return false;
  for (std::size_t d = 0; d < a.dimensions.size(); ++d) {
    if (a.dimensions[d] == b.dimensions[d]) continue;
    const absl::StatusOr<Grain> ga = ParseGrain(a.dimensions[d]);
    const absl::StatusOr<Grain> gb = ParseGrain(b.dimensions[d]);
    if (!ga.ok() || !gb.ok() || !(*ga == *gb)) return false;
  }
  return true;
}

std::string ColumnName(std::string_view name) {
  const absl::StatusOr<Grain> grain = ParseGrain(name);
  return std::string(grain.ok() ? GrainName(*grain) : name);
}

}  // namespace salesight::margin_internal

namespace salesight {

absl::Status CheckMarginGrouping(const Dataset& data, const MarginGrouping& grouping) {
  using margin_internal::DimKind;
  SALESIGHT_RETURN_IF_ERROR(margin_internal::CheckGrouping(grouping));
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("margin: the dataset has no orders table");
  }
  for (const std::string& name : grouping.dimensions) {
    SALESIGHT_ASSIGN_OR_RETURN(const margin_internal::DimName dn,
                               margin_internal::ClassifyDimension(name));
    if (dn.kind == DimKind::kMember) {
      SALESIGHT_RETURN_IF_ERROR(margin_internal::ResolveMember(data, name).status());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<MarginGrouping> ParseMarginGrouping(std::string_view spec) {
  MarginGrouping g;
  g.dimensions.clear();
  for (std::string_view key : SplitNames(spec)) {
    SALESIGHT_ASSIGN_OR_RETURN(const margin_internal::DimName dn,
                               margin_internal::ClassifyDimension(key));
    for (const std::string& earlier : g.dimensions) {
      const bool both_periods =
          dn.kind == margin_internal::DimKind::kPeriod && ParseGrain(earlier).ok();
      if (earlier == key || both_periods) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "'%s' is given twice%s", key, both_periods ? " (at most one period grain)" : ""));
      }
    }
    g.dimensions.emplace_back(key);
  }
  return g;
}

}  // namespace salesight

namespace salesight::margin_internal {

std::int64_t PeriodValue(Day day, Grain period) {
  return PeriodNumber(period, PeriodOf(period, day));
}

std::string DescribeKey(const MarginGrouping& grouping,
                        const std::array<DictionaryPtr, kMaxMarginKeys>& dictionaries,
                        const std::int64_t* key) {
  std::string out;
  for (std::size_t d = 0; d < grouping.dimensions.size(); ++d) {
    const std::string& name = grouping.dimensions[d];
    const absl::StatusOr<DimName> dn = ClassifyDimension(name);
    const DimKind kind = dn.ok() ? dn->kind : DimKind::kMember;
    std::string value;
    const DictionaryPtr& dict = dictionaries[d];
    if (kind == DimKind::kCategory && key[d] < 0) {
      value = "(unknown)";
    } else if (kind == DimKind::kMember && key[d] < 0) {
      value = DimensionLabel(dict, kNoId);
    } else if (dict && key[d] >= 0 && key[d] < dict->size()) {
      value = std::string(dict->Code(static_cast<Id>(key[d])));
    } else if (kind == DimKind::kPeriod && dn->period == GrainUnit::kDay) {
      value = FormatDate(static_cast<Day>(key[d]));
    } else {
      value = absl::StrCat(key[d]);
    }
    absl::StrAppend(&out, d ? ", " : "", ColumnName(name), "=", value);
  }
  return out.empty() ? "(total)" : out;
}

Day ShiftYears(Day day, int years) {
  CivilDate cd = CivilFromDay(day);
  cd.year += years;
  const bool leap = (cd.year % 4 == 0 && cd.year % 100 != 0) || cd.year % 400 == 0;
  if (cd.month == 2 && cd.day == 29 && !leap) cd.day = 28;
  return DayFromCivil(cd.year, cd.month, cd.day);
}

std::optional<double> Median(std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid),
                   values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2;
}

}  // namespace salesight::margin_internal
