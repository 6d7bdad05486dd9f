// The grouping plan: options checked against the tables once, and every
// dimension turned into a dense code (an id, or a look-up table indexed by an
// id or a day) with a mixed-radix stride, so a group key is a few integer
// multiply-adds per line and never a hash.
#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.hpp"
#include "margin/internal.hpp"

namespace salesight::margin_internal {
namespace {

// Cardinality of an optional id column: the dictionary's size, else max + 1.
std::int64_t IdCardinality(const Column<Id>& column, const DictionaryPtr& dict) {
  if (dict) return dict->size();
  Id max_id = -1;
  for (Id v : column) max_id = std::max(max_id, v);
  return std::int64_t{max_id} + 1;
}

absl::Status NeedColumn(bool present, MarginDimension dim, Grain period,
                        std::string_view column) {
  if (present) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("margin: grouping by %s needs the orders' '%s' column",
                      DimensionName(dim, period), column));
}

absl::Status BuildDim(const OrderLines& orders, const Products* products, Grain period,
                      std::size_t begin, std::size_t end, GroupingPlan& plan, DimPlan& d,
                      DictionaryPtr& dict) {
  const OrderLinesColumns& c = orders.columns();
  switch (d.dim) {
    case MarginDimension::kProduct:
      SALESIGHT_RETURN_IF_ERROR(NeedColumn(!c.product.empty() || orders.size() == 0, d.dim,
                                           period, "product"));
      d.column = c.product.data();
      d.radix = orders.num_products();
      dict = c.products;
      return absl::OkStatus();
    case MarginDimension::kCategory: {
      SALESIGHT_RETURN_IF_ERROR(NeedColumn(!c.product.empty() || orders.size() == 0, d.dim,
                                           period, "product"));
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
    case MarginDimension::kCustomer:
      d.column = c.customer.data();
      d.radix = orders.num_customers();
      dict = c.customers;
      return absl::OkStatus();
    case MarginDimension::kRegion:
      SALESIGHT_RETURN_IF_ERROR(NeedColumn(!c.region.empty() || orders.size() == 0, d.dim,
                                           period, "region"));
      d.column = c.region.data();
      d.radix = orders.num_regions();
      dict = c.regions;
      return absl::OkStatus();
    case MarginDimension::kSalesperson:
      SALESIGHT_RETURN_IF_ERROR(NeedColumn(!c.salesperson.empty() || orders.size() == 0, d.dim,
                                           period, "salesperson"));
      d.column = c.salesperson.data();
      d.radix = orders.num_salespeople();
      dict = c.salespeople;
      return absl::OkStatus();
    case MarginDimension::kChannel:
      SALESIGHT_RETURN_IF_ERROR(NeedColumn(!c.channel.empty() || orders.size() == 0, d.dim,
                                           period, "channel"));
      d.column = c.channel.data();
      d.radix = IdCardinality(c.channel, c.channels);
      dict = c.channels;
      return absl::OkStatus();
    case MarginDimension::kDepartment:
      SALESIGHT_RETURN_IF_ERROR(NeedColumn(!c.department.empty() || orders.size() == 0, d.dim,
                                           period, "department"));
      d.column = c.department.data();
      d.radix = IdCardinality(c.department, c.departments);
      dict = c.departments;
      return absl::OkStatus();
    case MarginDimension::kOrder: {
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
    case MarginDimension::kPeriod: {
      d.column = c.order_date.data();
      if (orders.size() == 0) {
        d.radix = 0;
        return absl::OkStatus();
      }
      const Day lo = orders.min_date(), hi = orders.max_date();
      plan.period_lut.resize(static_cast<std::size_t>(hi - lo) + 1);
      std::int64_t last = 0;
      for (Day day = lo; day <= hi; ++day) {
        const std::int64_t v = PeriodValue(day, period);
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

absl::StatusOr<MarginPlan> BuildMarginPlan(const OrderLines& orders, const Products* products,
                                           absl::Span<const MarginGrouping> groupings,
                                           const MarginOptions& options, std::size_t begin,
                                           std::size_t end) {
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
    if (grouping.dimensions.size() > static_cast<std::size_t>(kMaxMarginDimensions)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "margin: %d grouping dimensions (at most %d)", grouping.dimensions.size(),
          kMaxMarginDimensions));
    }
    if (grouping.period.unit == GrainUnit::kFiscalYear &&
        (grouping.period.fiscal_start_month < 1 || grouping.period.fiscal_start_month > 12)) {
      return absl::InvalidArgumentError("margin: the fiscal year's start month must be 1..12");
    }
    gp.dims.resize(grouping.dimensions.size());
    for (std::size_t d = 0; d < grouping.dimensions.size(); ++d) {
      const MarginDimension dim = grouping.dimensions[d];
      if (static_cast<int>(dim) > static_cast<int>(MarginDimension::kPeriod)) {
        return absl::InvalidArgumentError("margin: unknown grouping dimension");
      }
      for (std::size_t e = 0; e < d; ++e) {
        if (grouping.dimensions[e] == dim) {
          return absl::InvalidArgumentError(
              absl::StrFormat("margin: grouping dimension '%s' is listed twice",
                              DimensionName(dim, grouping.period)));
        }
      }
      gp.dims[d].dim = dim;
    }
    // Look-up tables first (resizing them moves their data), then pointers.
    for (std::size_t d = 0; d < gp.dims.size(); ++d) {
      SALESIGHT_RETURN_IF_ERROR(BuildDim(orders, products, grouping.period, begin, end, gp,
                                         gp.dims[d], gp.dictionaries[d]));
    }
    std::int64_t space = 1;
    for (std::size_t d = gp.dims.size(); d-- > 0;) {
      gp.dims[d].stride = space;
      if (__builtin_mul_overflow(space, gp.dims[d].radix, &space)) {
        std::string names;
        for (MarginDimension dim : grouping.dimensions) {
          absl::StrAppend(&names, names.empty() ? "" : " x ",
                          std::string(DimensionName(dim, grouping.period)));
        }
        return absl::InvalidArgumentError(absl::StrFormat(
            "margin: the key space of grouping %s exceeds 2^63 combinations", names));
      }
    }
    gp.key_space = space;
  }
  return plan;
}

// ------------------------------------------------------------ text helpers

std::string_view DimensionName(MarginDimension dim, Grain period) {
  switch (dim) {
    case MarginDimension::kProduct: return "product";
    case MarginDimension::kCategory: return "category";
    case MarginDimension::kCustomer: return "customer";
    case MarginDimension::kRegion: return "region";
    case MarginDimension::kSalesperson: return "salesperson";
    case MarginDimension::kChannel: return "channel";
    case MarginDimension::kDepartment: return "department";
    case MarginDimension::kOrder: return "order";
    case MarginDimension::kPeriod: return GrainName(period);
  }
  return "?";
}

}  // namespace salesight::margin_internal

namespace salesight {

absl::StatusOr<MarginGrouping> ParseMarginGrouping(std::string_view spec) {
  static constexpr MarginDimension kNamed[] = {
      MarginDimension::kProduct,     MarginDimension::kCategory, MarginDimension::kCustomer,
      MarginDimension::kRegion,      MarginDimension::kSalesperson, MarginDimension::kChannel,
      MarginDimension::kDepartment,  MarginDimension::kOrder};
  MarginGrouping g;
  g.dimensions.clear();
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    std::string_view key = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    if (key.empty()) continue;
    std::optional<MarginDimension> dim;
    for (const MarginDimension d : kNamed) {
      if (key == margin_internal::DimensionName(d, {})) dim = d;
    }
    if (!dim) {
      absl::StatusOr<Grain> grain = ParseGrain(key);
      if (!grain.ok() && key.substr(0, 11) != "fiscal_year") {
        return absl::InvalidArgumentError(absl::StrFormat(
            "unknown key '%s' (product, category, customer, region, salesperson, channel, "
            "department, order, day, week, month, quarter, year, fiscal_year[:M])",
            key));
      }
      if (!grain.ok()) return grain.status();
      g.period = *grain;
      dim = MarginDimension::kPeriod;
    }
    if (std::find(g.dimensions.begin(), g.dimensions.end(), *dim) != g.dimensions.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "'%s' is given twice%s", key,
          *dim == MarginDimension::kPeriod ? " (at most one period grain)" : ""));
    }
    g.dimensions.push_back(*dim);
  }
  return g;
}

}  // namespace salesight

namespace salesight::margin_internal {

std::int64_t PeriodValue(Day day, Grain period) {
  return PeriodNumber(period, PeriodOf(period, day));
}

std::string DescribeKey(const MarginGrouping& grouping,
                        const std::array<DictionaryPtr, kMaxMarginDimensions>& dictionaries,
                        const std::int64_t* key) {
  std::string out;
  for (std::size_t d = 0; d < grouping.dimensions.size(); ++d) {
    const MarginDimension dim = grouping.dimensions[d];
    std::string value;
    const DictionaryPtr& dict = dictionaries[d];
    if (dim == MarginDimension::kCategory && key[d] < 0) {
      value = "(unknown)";
    } else if (dict && key[d] >= 0 && key[d] < dict->size()) {
      value = std::string(dict->Code(static_cast<Id>(key[d])));
    } else if (dim == MarginDimension::kPeriod && grouping.period == GrainUnit::kDay) {
      value = FormatDate(static_cast<Day>(key[d]));
    } else {
      value = absl::StrCat(key[d]);
    }
    absl::StrAppend(&out, d ? ", " : "", std::string(DimensionName(dim, grouping.period)), "=",
                    value);
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
