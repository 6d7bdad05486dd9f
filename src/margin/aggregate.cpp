// Grouped margin aggregation: the hot loop, the mergeable partial state and
// the finishing step.
//
// The hot loop is ONE pass over the rows of a range that resolves each line's
// cost and adds it to every grouping (GROUPING SETS share the pass, so each
// column is read from memory once). A grouping's key is its dimensions' dense
// codes (an id, or a look-up table indexed by an id or a day) times their
// mixed-radix strides; the sums live in a flat array of MarginSums indexed by
// that key (a hash map only for huge key spaces). Measured on this machine
// (workload c, 10^7 lines, CPU time), the fused loop costs ~2.9 ns/line
// against ~5 ns/line for a block-at-a-time multi-pass design, which spilled
// to buffers and stalled on each column in turn.
//
// Overflow without a branch or flag per add: the loop ORs together the
// magnitudes of every amount and cost it adds. Every running group sum is
// bounded by rows x 2^bits(that OR), so when rows x 2^bits <= 2^63 no sum can
// have wrapped; (lines, quantity) and (revenue, cost) are then added as
// int64 pairs with one vector add each. When the bound does not hold (sums
// near 9.2e18, never with real data) the range is re-run with checked adds,
// and an actual overflow is re-run once more plainly to name the group.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "core/internal/parallel.hpp"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"

namespace salesight {
namespace margin_internal {
namespace {

// Two 64-bit lanes (GCC/Clang vector extension; SSE2 paddq on x86-64). The
// adds are done unsigned: a sum that wraps on the unchecked path is defined
// behaviour, detected by the bound and redone with checked adds.
typedef std::uint64_t Pair __attribute__((vector_size(16)));
typedef std::int64_t SignedPair __attribute__((vector_size(16)));

// MarginSums is three adjacent pairs: (lines, quantity), (revenue, cost),
// (cost_unknown_lines, cost_unknown_revenue).
static_assert(offsetof(MarginSums, quantity) == offsetof(MarginSums, lines) + 8);
static_assert(offsetof(MarginSums, revenue) == offsetof(MarginSums, lines) + 16);
static_assert(offsetof(MarginSums, cost) == offsetof(MarginSums, lines) + 24);
static_assert(offsetof(MarginSums, cost_unknown_lines) == offsetof(MarginSums, lines) + 32);
static_assert(offsetof(MarginSums, cost_unknown_revenue) == offsetof(MarginSums, lines) + 40);
static_assert(sizeof(MarginSums) == 48);

ABSL_ATTRIBUTE_ALWAYS_INLINE inline void AddPair(std::int64_t* at, const Pair& v) {
  Pair x;
  std::memcpy(&x, at, sizeof(x));
  x += v;
  std::memcpy(at, &x, sizeof(x));
}

using HashSums = absl::flat_hash_map<std::int64_t, MarginSums>;

// One dimension as the kernel reads it: code = lut ? lut[col[j] - off] : col[j],
// with col already offset to the range's first row.
struct KernelDim {
  const std::int32_t* col = nullptr;
  const std::int32_t* lut = nullptr;
  std::int32_t off = 0;
  std::int64_t stride = 0;

  ABSL_ATTRIBUTE_ALWAYS_INLINE std::int64_t Code(std::size_t j) const {
    return Unscaled(j) * stride;
  }
  // The last dimension's stride is 1 (mixed radix), so it needs no multiply.
  ABSL_ATTRIBUTE_ALWAYS_INLINE std::int64_t Unscaled(std::size_t j) const {
    const std::int32_t v = col[j];
    return lut != nullptr ? lut[v - off] : v;
  }
};

struct KernelGrouping {
  int num_dims = 0;
  std::array<KernelDim, kMaxMarginKeys> dims{};
  MarginSums* dense = nullptr;  // else `map`
  HashSums* map = nullptr;

  // Up to three dimensions unrolled (a loop over dims costs ~2x in the hot
  // loop); more fall through to the loop.
  std::int64_t Key(std::size_t j) const {
    std::int64_t key = 0;
    if (num_dims > 0) key = dims[0].Code(j);
    if (num_dims > 1) key += dims[1].Code(j);
    if (num_dims > 2) key += dims[2].Code(j);
    if (num_dims > 3) {
      for (int d = 3; d < num_dims; ++d) key += dims[static_cast<std::size_t>(d)].Code(j);
    }
    return key;
  }
  MarginSums& Sums(std::size_t j) const {
    const std::int64_t key = Key(j);
    return dense != nullptr ? dense[key] : (*map)[key];
  }
};

// A grouping of one or two dimensions, copied into the kernel's locals so the
// compiler keeps its fields in registers (through a pointer it must reload
// them after every store into the sums, which costs ~2x).
// Dense only: a hash map's operator[] takes the key by reference, which
// forces it through memory on every line.
template <int kDims>
struct SmallGrouping {
  KernelDim d0, d1;
  MarginSums* dense = nullptr;

  explicit SmallGrouping(const KernelGrouping& g) : d0(g.dims[0]), d1(g.dims[1]), dense(g.dense) {}
  ABSL_ATTRIBUTE_ALWAYS_INLINE MarginSums& Sums(std::size_t j) const {
    if constexpr (kDims == 1) {
      return dense[d0.Unscaled(j)];
    } else {
      return dense[d0.Code(j) + d1.Unscaled(j)];
    }
  }
};

// Kernel shapes: the number of groupings (1 or 2) and each one's number of
// dimensions (1 or 2) as template parameters; kGeneric = anything else.
enum Shape : int { kGeneric = 0, k1 = 1, k2 = 2, k11 = 11, k12 = 12, k21 = 21, k22 = 22 };
constexpr int NumGroupings(int shape) { return shape == 0 ? 0 : shape < 10 ? 1 : 2; }
constexpr int DimsOf(int shape, int g) { return g == 0 ? (shape < 10 ? shape : shape / 10) : shape % 10; }

// Columns offset to the range's first row; absent ones are null.
struct KernelInput {
  std::size_t rows = 0;
  const Money* amount = nullptr;
  const Money* cost = nullptr;       // kLineCost
  const Money* unit_cost = nullptr;  // kUnitCost
  const std::int32_t* quantity = nullptr;
  const Day* date = nullptr;
  const Id* product = nullptr;              // kProductTable
  const ProductCosts* product_costs = nullptr;  // kProductTable
  Day from = 0, to = 0;
  std::vector<KernelGrouping> groupings;
};

struct KernelOutput {
  bool checked = false;         // the sums were added with overflow checks
  // OR over the lines of x ^ (x >> 63) (= |x|, or |x| - 1 when negative) for
  // every amount and cost: every |x| <= 2^bits(magnitude). Unchecked path only.
  std::uint64_t magnitude = 0;
  unsigned overflow = 0;        // a checked sum overflowed
  unsigned cost_overflow = 0;   // quantity x product unit cost overflowed
  std::int64_t in_range = 0;
  std::array<std::int64_t, kNumCostSources> by_source{};
};

// kShape != kGeneric: one or two dense groupings of 1-2 dimensions held in
// locals; kGeneric: any groupings, read through the array (and the checked path).
template <CostMode kMode, bool kMasked, bool kChecked, int kShape>
void RunKernel(const KernelInput& in, KernelOutput& out) {
  constexpr int kGroupings = NumGroupings(kShape);
  constexpr bool kMayBeUnknown = kMode == CostMode::kProductTable || kMode == CostMode::kNone;
  const std::size_t rows = in.rows;
  const Money* amount = in.amount;
  const std::int32_t* quantity = in.quantity;
  const KernelGrouping* groupings = in.groupings.data();
  const std::size_t num_groupings = in.groupings.size();
  static const KernelGrouping kNone{};
  const SmallGrouping<DimsOf(kShape, 0)> g0(kGroupings >= 1 ? groupings[0] : kNone);
  const SmallGrouping<DimsOf(kShape, 1)> g1(kGroupings >= 2 ? groupings[1] : kNone);
  auto for_each_grouping = [&](std::size_t j, auto&& add) {
    if constexpr (kGroupings >= 1) add(g0.Sums(j));
    if constexpr (kGroupings >= 2) add(g1.Sums(j));
    if constexpr (kGroupings == 0) {
      for (std::size_t g = 0; g < num_groupings; ++g) add(groupings[g].Sums(j));
    }
  };
  Pair magnitudes = {0, 0};  // |amount|, |cost| bit patterns ORed lane-wise
  unsigned overflow = 0, cost_overflow = 0;
  std::int64_t in_range = 0, standard = 0, tier = 0, unknown_lines = 0;
  for (std::size_t j = 0; j < rows; ++j) {
    const Money a = amount[j];
    const std::int64_t q = quantity != nullptr ? quantity[j] : 0;
    std::int64_t m = 1;
    if constexpr (kMasked) {
      const Day d = in.date[j];
      m = static_cast<std::int64_t>(d >= in.from) & static_cast<std::int64_t>(d <= in.to);
    }
    in_range += m;
    Money c = 0;
    std::int64_t u = 0;  // 1 when the cost is unknown
    if constexpr (kMode == CostMode::kLineCost) {
      c = in.cost[j];
    } else if constexpr (kMode == CostMode::kUnitCost) {
      c = q * in.unit_cost[j];  // Build() checked it fits the money range
    } else if constexpr (kMode == CostMode::kProductTable) {
      const Id p = in.product[j];
      const ProductCosts& pc = *in.product_costs;
      Money unit = 0;
      CostSource src = CostSource::kUnknownCost;
      if (p < pc.size()) {
        const Money f = pc.fixed()[p];
        if (f >= 0) {
          unit = f;
          src = CostSource::kStandardCost;
        } else if (f == ProductCosts::kVaries) {
          std::int32_t tier_min = 0;
          src = pc.Resolve(p, q < 0 ? -q : q, &unit, &tier_min);
        }
      }
      // An unknown cost leaves unit = 0, so c = 0: never a cost, only counted.
      cost_overflow |= static_cast<unsigned>(__builtin_mul_overflow(unit, q, &c)) &
                       static_cast<unsigned>(m);
      u = src == CostSource::kUnknownCost;
      standard += m & static_cast<std::int64_t>(src == CostSource::kStandardCost);
      tier += m & static_cast<std::int64_t>(src == CostSource::kTierCost);
      unknown_lines += m & u;
    } else {
      u = 1;
    }
    Money am = a, cm = c, qm = q;
    if constexpr (kMasked) {
      am = a * m;
      cm = c * m;
      qm = q * m;
      u &= m;
    }
    if constexpr (kChecked) {
      for_each_grouping(j, [&](MarginSums& s) {
        s.lines += m;
        s.quantity += qm;
        overflow |= static_cast<unsigned>(__builtin_add_overflow(s.revenue, am, &s.revenue));
        overflow |= static_cast<unsigned>(__builtin_add_overflow(s.cost, cm, &s.cost));
        if constexpr (kMayBeUnknown) {
          s.cost_unknown_lines += u;
          overflow |= static_cast<unsigned>(__builtin_add_overflow(
              s.cost_unknown_revenue, u != 0 ? am : 0, &s.cost_unknown_revenue));
        }
      });
    } else {
      const Pair lq = {static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(qm)};
      const SignedPair src = {am, cm};
      const Pair rc = __builtin_convertvector(src, Pair);  // same bits
      magnitudes |= __builtin_convertvector(src ^ (src >> 63), Pair);
      const Pair un = {static_cast<std::uint64_t>(u), static_cast<std::uint64_t>(u != 0 ? am : 0)};
      for_each_grouping(j, [&](MarginSums& s) {
        AddPair(&s.lines, lq);
        AddPair(&s.revenue, rc);
        if constexpr (kMayBeUnknown) AddPair(&s.cost_unknown_lines, un);
      });
    }
  }
  out.checked = kChecked;
  out.magnitude = static_cast<std::uint64_t>(magnitudes[0] | magnitudes[1]);
  out.overflow = overflow;
  out.cost_overflow = cost_overflow;
  out.in_range = in_range;
  out.by_source = {};
  switch (kMode) {
    case CostMode::kLineCost: out.by_source[static_cast<int>(CostSource::kLineCost)] = in_range; break;
    case CostMode::kUnitCost: out.by_source[static_cast<int>(CostSource::kUnitCost)] = in_range; break;
    case CostMode::kProductTable:
      out.by_source[static_cast<int>(CostSource::kStandardCost)] = standard;
      out.by_source[static_cast<int>(CostSource::kTierCost)] = tier;
      out.by_source[static_cast<int>(CostSource::kUnknownCost)] = unknown_lines;
      break;
    case CostMode::kNone: out.by_source[static_cast<int>(CostSource::kUnknownCost)] = in_range; break;
  }
}

template <CostMode kMode, bool kMasked>
void RunKernelMasked(bool checked, const KernelInput& in, KernelOutput& out) {
  bool small = !in.groupings.empty() && in.groupings.size() <= 2;
  for (const KernelGrouping& g : in.groupings) {
    small = small && g.num_dims >= 1 && g.num_dims <= 2 && g.dense != nullptr;
  }
  if (checked) {
    RunKernel<kMode, kMasked, true, 0>(in, out);
  } else if (!small) {
    // More than two groupings, 0 or > 2 dimensions, or a hash map: the
    // generic loop (~1.5x slower per line).
    RunKernel<kMode, kMasked, false, 0>(in, out);
  } else {
    int shape = in.groupings[0].num_dims;
    if (in.groupings.size() == 2) shape = shape * 10 + in.groupings[1].num_dims;
    switch (shape) {
      case k1: RunKernel<kMode, kMasked, false, k1>(in, out); break;
      case k2: RunKernel<kMode, kMasked, false, k2>(in, out); break;
      case k11: RunKernel<kMode, kMasked, false, k11>(in, out); break;
      case k12: RunKernel<kMode, kMasked, false, k12>(in, out); break;
      case k21: RunKernel<kMode, kMasked, false, k21>(in, out); break;
      default: RunKernel<kMode, kMasked, false, k22>(in, out); break;
    }
  }
}

template <CostMode kMode>
void RunKernelFor(bool masked, bool checked, const KernelInput& in, KernelOutput& out) {
  if (masked) {
    RunKernelMasked<kMode, true>(checked, in, out);
  } else {
    RunKernelMasked<kMode, false>(checked, in, out);
  }
}

void Dispatch(CostMode mode, bool masked, bool checked, const KernelInput& in, KernelOutput& out) {
  switch (mode) {
    case CostMode::kLineCost: RunKernelFor<CostMode::kLineCost>(masked, checked, in, out); break;
    case CostMode::kUnitCost: RunKernelFor<CostMode::kUnitCost>(masked, checked, in, out); break;
    case CostMode::kProductTable:
      RunKernelFor<CostMode::kProductTable>(masked, checked, in, out);
      break;
    case CostMode::kNone: RunKernelFor<CostMode::kNone>(masked, checked, in, out); break;
  }
}

// Per grouping accumulator of one range.
struct Accumulator {
  bool dense = true;
  std::vector<MarginSums> array;
  HashSums map;
};

// True when no running sum can have wrapped: every |x| <= 2^bits and
// rows < 2^row_bits, so any partial sum has magnitude < 2^(bits + row_bits),
// which fits int64 when bits + row_bits <= 63.
bool WithinBound(std::uint64_t magnitude, std::size_t rows) {
  if (rows == 0) return true;
  const int bits = magnitude == 0 ? 0 : 64 - __builtin_clzll(magnitude);
  const int row_bits = 64 - __builtin_clzll(static_cast<std::uint64_t>(rows));
  return bits + row_bits <= 63;
}

inline std::int64_t DimCode(const DimPlan& d, std::size_t i) {
  const std::int32_t v = d.column[i - d.column_base];
  return d.lut != nullptr ? d.lut[v - d.lut_offset] : v;
}

// The checked, plain re-run used only to name what overflowed.
absl::Status NameOverflow(const MarginPlan& plan, std::size_t begin, std::size_t end) {
  const OrderLinesColumns& c = plan.orders->columns();
  auto in_range = [&](std::size_t i) {
    return !plan.filtered || (c.order_date[i] >= plan.from && c.order_date[i] <= plan.to);
  };
  if (plan.cost_mode == CostMode::kProductTable) {
    for (std::size_t i = begin; i < end; ++i) {
      const Id p = c.product[i];
      const std::int64_t q = c.quantity[i];
      Money unit = 0, cost = 0;
      std::int32_t tier = 0;
      if (in_range(i) && p < plan.product_costs->size() &&
          plan.product_costs->Resolve(p, q < 0 ? -q : q, &unit, &tier) !=
              CostSource::kUnknownCost &&
          __builtin_mul_overflow(unit, q, &cost)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "orders row %d: quantity %d x unit cost %d of product %d overflows int64", i, q,
            unit, p));
      }
    }
  }
  for (const GroupingPlan& gp : plan.groupings) {
    absl::flat_hash_map<std::int64_t, MarginSums> sums;
    for (std::size_t i = begin; i < end; ++i) {
      if (!in_range(i)) continue;
      std::int64_t key = 0;
      for (const DimPlan& d : gp.dims) key += DimCode(d, i) * d.stride;
      Money cost = 0;
      bool known = true;
      switch (plan.cost_mode) {
        case CostMode::kLineCost: cost = c.cost[i]; break;
        case CostMode::kUnitCost: cost = c.quantity[i] * c.unit_cost[i]; break;
        case CostMode::kProductTable: {
          const Id p = c.product[i];
          const std::int64_t q = c.quantity[i];
          Money unit = 0;
          std::int32_t tier = 0;
          known = p < plan.product_costs->size() &&
                  plan.product_costs->Resolve(p, q < 0 ? -q : q, &unit, &tier) !=
                      CostSource::kUnknownCost;
          cost = known ? unit * q : 0;  // checked above
          break;
        }
        case CostMode::kNone: known = false; break;
      }
      MarginSums& s = sums[key];
      const char* what = nullptr;
      if (__builtin_add_overflow(s.revenue, c.amount[i], &s.revenue)) what = "revenue";
      if (!what && __builtin_add_overflow(s.cost, cost, &s.cost)) what = "cost";
      if (!what && !known &&
          __builtin_add_overflow(s.cost_unknown_revenue, c.amount[i], &s.cost_unknown_revenue)) {
        what = "revenue of lines with unknown cost";
      }
      if (what != nullptr) {
        std::array<std::int64_t, kMaxMarginKeys> natural{};
        gp.Decode(key, natural.data());
        return absl::OutOfRangeError(absl::StrFormat(
            "margin group (%s): the %s sum overflows int64 at orders row %d",
            DescribeKey(gp.grouping, gp.dictionaries, natural.data()), what, i));
      }
    }
  }
  return absl::InternalError("margin: overflow flagged but not reproduced");
}

absl::Status UnknownCostError(const MarginPlan& plan, std::size_t begin, std::size_t end) {
  const OrderLinesColumns& c = plan.orders->columns();
  for (std::size_t i = begin; i < end; ++i) {
    const Day day = c.order_date[i];
    if (plan.filtered && (day < plan.from || day > plan.to)) continue;
    if (plan.cost_mode == CostMode::kNone) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "margin: orders row %d has no cost: the orders have no 'cost' or 'unit_cost' column "
          "and no products table with standard costs or cost tiers applies",
          i));
    }
    const Id p = c.product[i];
    const std::int64_t q = c.quantity[i];
    Money unit = 0;
    std::int32_t tier = 0;
    if (p >= plan.product_costs->size() ||
        plan.product_costs->Resolve(p, q < 0 ? -q : q, &unit, &tier) ==
            CostSource::kUnknownCost) {
      const DictionaryPtr& dict = c.products;
      return absl::FailedPreconditionError(absl::StrFormat(
          "margin: orders row %d (product %s, quantity %d) has no cost: %s", i,
          dict && p < dict->size() ? std::string(dict->Code(p)) : std::to_string(p), q,
          plan.product_costs->listed(p)
              ? "the product has no standard cost and no cost tier at that quantity"
              : "the product is not in the products table"));
    }
  }
  return absl::InternalError("margin: unknown cost flagged but not reproduced");
}

}  // namespace

absl::StatusOr<std::vector<MarginPartial>> AggregateRange(const MarginPlan& plan,
                                                          std::size_t begin, std::size_t end) {
  const OrderLines& orders = *plan.orders;
  const OrderLinesColumns& c = orders.columns();
  const std::size_t rows = end - begin;
  const bool has_quantity = !c.quantity.empty();

  std::vector<Accumulator> accs(plan.groupings.size());
  KernelInput in;
  in.rows = rows;
  in.amount = c.amount.data() + begin;
  in.date = c.order_date.data() + begin;
  in.quantity = has_quantity ? c.quantity.data() + begin : nullptr;
  if (plan.cost_mode == CostMode::kLineCost) in.cost = c.cost.data() + begin;
  if (plan.cost_mode == CostMode::kUnitCost) in.unit_cost = c.unit_cost.data() + begin;
  if (plan.cost_mode == CostMode::kProductTable) {
    in.product = c.product.data() + begin;
    in.product_costs = &*plan.product_costs;
  }
  in.from = plan.from;
  in.to = plan.to;
  in.groupings.resize(plan.groupings.size());
  auto reset = [&]() {
    for (std::size_t g = 0; g < plan.groupings.size(); ++g) {
      const GroupingPlan& gp = plan.groupings[g];
      Accumulator& acc = accs[g];
      acc.dense = gp.key_space <= plan.max_dense_groups &&
                  (gp.key_space <= 65536 || gp.key_space <= 4 * static_cast<std::int64_t>(rows));
      KernelGrouping& kg = in.groupings[g];
      kg.num_dims = static_cast<int>(gp.dims.size());
      for (std::size_t d = 0; d < gp.dims.size(); ++d) {
        const DimPlan& dp = gp.dims[d];
        kg.dims[d] = KernelDim{dp.column + (begin - dp.column_base), dp.lut, dp.lut_offset,
                               dp.stride};
      }
      if (acc.dense) {
        acc.array.assign(static_cast<std::size_t>(gp.key_space), MarginSums{});
        kg.dense = acc.array.data();
        kg.map = nullptr;
      } else {
        acc.map.clear();
        kg.dense = nullptr;
        kg.map = &acc.map;
      }
    }
  };
  reset();
  KernelOutput out;
  Dispatch(plan.cost_mode, plan.filtered, /*checked=*/false, in, out);
  if (out.cost_overflow != 0) return NameOverflow(plan, begin, end);
  if (!out.checked && !WithinBound(out.magnitude, rows)) {
    reset();
    Dispatch(plan.cost_mode, plan.filtered, /*checked=*/true, in, out);
  }
  if (out.overflow != 0) return NameOverflow(plan, begin, end);
  const std::array<std::int64_t, kNumCostSources>& by_source = out.by_source;
  if (plan.unknown_cost == UnknownCostPolicy::kError &&
      by_source[static_cast<int>(CostSource::kUnknownCost)] > 0) {
    return UnknownCostError(plan, begin, end);
  }

  // Natural keys, ascending (dense key order = natural key order).
  std::vector<MarginPartial> partials(plan.groupings.size());
  for (std::size_t g = 0; g < plan.groupings.size(); ++g) {
    const GroupingPlan& gp = plan.groupings[g];
    Accumulator& acc = accs[g];
    MarginPartial& p = partials[g];
    p.grouping = gp.grouping;
    p.money_scale = orders.money_scale();
    p.has_quantity = has_quantity;
    p.lines_outside_range = static_cast<std::int64_t>(rows) - out.in_range;
    p.lines_by_cost_source = by_source;
    p.dictionaries = gp.dictionaries;
    const std::size_t dims = gp.num_dims();
    std::array<std::int64_t, kMaxMarginKeys> natural{};
    auto emit = [&](std::int64_t key, const MarginSums& s) {
      gp.Decode(key, natural.data());
      p.keys.insert(p.keys.end(), natural.begin(),
                    natural.begin() + static_cast<std::ptrdiff_t>(dims));
      p.sums.push_back(s);
    };
    if (acc.dense) {
      for (std::size_t k = 0; k < acc.array.size(); ++k) {
        if (acc.array[k].lines > 0) emit(static_cast<std::int64_t>(k), acc.array[k]);
      }
    } else {
      std::vector<std::pair<std::int64_t, const MarginSums*>> entries;
      entries.reserve(acc.map.size());
      for (const auto& [key, sums] : acc.map) {
        if (sums.lines > 0) entries.emplace_back(key, &sums);
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& x, const auto& y) { return x.first < y.first; });
      for (const auto& [key, sums] : entries) emit(key, *sums);
    }
  }
  return partials;
}

}  // namespace margin_internal

using margin_internal::BuildMarginPlan;
using margin_internal::DescribeKey;
using margin_internal::MarginPlan;

namespace {

int CompareKeys(const std::int64_t* a, const std::int64_t* b, std::size_t dims) {
  for (std::size_t d = 0; d < dims; ++d) {
    if (a[d] != b[d]) return a[d] < b[d] ? -1 : 1;
  }
  return 0;
}

absl::Status AddSums(MarginSums& into, const MarginSums& from, const MarginPartial& partial,
                     const std::int64_t* key) {
  const char* what = nullptr;
  if (__builtin_add_overflow(into.revenue, from.revenue, &into.revenue)) what = "revenue";
  if (!what && __builtin_add_overflow(into.cost, from.cost, &into.cost)) what = "cost";
  if (!what && __builtin_add_overflow(into.cost_unknown_revenue, from.cost_unknown_revenue,
                                      &into.cost_unknown_revenue)) {
    what = "revenue of lines with unknown cost";
  }
  if (!what && __builtin_add_overflow(into.quantity, from.quantity, &into.quantity)) {
    what = "quantity";
  }
  if (what != nullptr) {
    return absl::OutOfRangeError(
        absl::StrFormat("margin group (%s): the %s sum overflows int64",
                        key ? DescribeKey(partial.grouping, partial.dictionaries, key)
                            : std::string("total"),
                        what));
  }
  // Line counts cannot overflow from real data, but deserialized partials are
  // untrusted bytes: checked too.
  if (__builtin_add_overflow(into.lines, from.lines, &into.lines) ||
      __builtin_add_overflow(into.cost_unknown_lines, from.cost_unknown_lines,
                             &into.cost_unknown_lines)) {
    return absl::OutOfRangeError("margin: a line count overflows int64");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MergeMargin(MarginPartial& into, const MarginPartial& from) {
  if (!margin_internal::SameGrouping(into.grouping, from.grouping)) {
    return absl::InvalidArgumentError("margin: cannot merge partials of different groupings");
  }
  if (into.money_scale != from.money_scale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "margin: cannot merge partials with money scales %d and %d", into.money_scale,
        from.money_scale));
  }
  if (into.has_quantity != from.has_quantity && !into.sums.empty() && !from.sums.empty()) {
    return absl::InvalidArgumentError(
        "margin: cannot merge a partial with quantities and one without");
  }
  const std::size_t dims = into.grouping.dimensions.size();
  if (into.keys.size() != into.sums.size() * dims || from.keys.size() != from.sums.size() * dims) {
    return absl::InvalidArgumentError("margin: partial keys and sums disagree in size");
  }
  // Counts from untrusted (deserialized) partials: checked, and `into` is
  // only changed once every count fits.
  std::int64_t outside = 0;
  std::array<std::int64_t, kNumCostSources> by_source{};
  bool overflow =
      __builtin_add_overflow(into.lines_outside_range, from.lines_outside_range, &outside);
  for (std::size_t s = 0; s < by_source.size(); ++s) {
    overflow |= __builtin_add_overflow(into.lines_by_cost_source[s], from.lines_by_cost_source[s],
                                       &by_source[s]);
  }
  if (overflow) return absl::OutOfRangeError("margin: a line count overflows int64");
  auto commit_counts = [&] {
    into.lines_outside_range = outside;
    into.lines_by_cost_source = by_source;
  };
  for (std::size_t d = 0; d < into.dictionaries.size(); ++d) {
    if (!into.dictionaries[d]) into.dictionaries[d] = from.dictionaries[d];
  }
  if (from.sums.empty()) {
    commit_counts();
    return absl::OkStatus();
  }
  if (into.sums.empty()) {
    commit_counts();
    into.has_quantity = from.has_quantity;
    into.keys = from.keys;
    into.sums = from.sums;
    return absl::OkStatus();
  }
  into.has_quantity = into.has_quantity || from.has_quantity;
  std::vector<std::int64_t> keys;
  std::vector<MarginSums> sums;
  keys.reserve(into.keys.size() + from.keys.size());
  sums.reserve(into.sums.size() + from.sums.size());
  std::size_t a = 0, b = 0;
  const std::size_t na = into.sums.size(), nb = from.sums.size();
  while (a < na || b < nb) {
    // With zero dimensions the key vectors are empty (data() may be null).
    const std::int64_t* ka = into.keys.data() + (a < na ? a : 0) * dims;
    const std::int64_t* kb = from.keys.data() + (b < nb ? b : 0) * dims;
    const int cmp = a == na ? 1 : b == nb ? -1 : CompareKeys(ka, kb, dims);
    if (cmp < 0) {
      keys.insert(keys.end(), ka, ka + dims);
      sums.push_back(into.sums[a++]);
    } else if (cmp > 0) {
      keys.insert(keys.end(), kb, kb + dims);
      sums.push_back(from.sums[b++]);
    } else {
      MarginSums s = into.sums[a++];
      SALESIGHT_RETURN_IF_ERROR(AddSums(s, from.sums[b++], into, ka));
      keys.insert(keys.end(), ka, ka + dims);
      sums.push_back(s);
    }
  }
  commit_counts();
  into.keys = std::move(keys);
  into.sums = std::move(sums);
  return absl::OkStatus();
}

namespace {

absl::StatusOr<MarginFigures> Figures(const MarginSums& s, const MarginPartial& partial,
                                      const std::int64_t* key) {
  MarginFigures f;
  f.lines = s.lines;
  f.quantity = s.quantity;
  f.revenue = s.revenue;
  f.cost = s.cost;
  f.cost_unknown_lines = s.cost_unknown_lines;
  f.cost_unknown_revenue = s.cost_unknown_revenue;
  Money costed = 0;
  if (__builtin_sub_overflow(s.revenue, s.cost_unknown_revenue, &costed) ||
      __builtin_sub_overflow(costed, s.cost, &f.margin)) {
    return absl::OutOfRangeError(absl::StrFormat(
        "margin group (%s): the margin overflows int64",
        key ? DescribeKey(partial.grouping, partial.dictionaries, key) : std::string("total")));
  }
  if (costed != 0) {
    f.margin_pct = 100.0 * static_cast<double>(f.margin) / static_cast<double>(costed);
  }
  return f;
}

}  // namespace

absl::StatusOr<MarginResult> FinishMargin(MarginPartial partial, const MarginOptions& options) {
  const std::size_t dims = partial.grouping.dimensions.size();
  if (partial.keys.size() != partial.sums.size() * dims) {
    return absl::InvalidArgumentError("margin: partial keys and sums disagree in size");
  }
  MarginResult r;
  r.grouping = partial.grouping;
  r.money_scale = partial.money_scale;
  r.has_quantity = partial.has_quantity;
  r.lines_outside_range = partial.lines_outside_range;
  r.lines_by_cost_source = partial.lines_by_cost_source;
  r.dictionaries = partial.dictionaries;

  MarginSums total;
  for (std::size_t g = 0; g < partial.sums.size(); ++g) {
    SALESIGHT_RETURN_IF_ERROR(AddSums(total, partial.sums[g], partial, nullptr));
  }
  SALESIGHT_ASSIGN_OR_RETURN(r.total, Figures(total, partial, nullptr));
  const double total_revenue = static_cast<double>(r.total.revenue);
  const double total_margin = static_cast<double>(r.total.margin);
  const double margin_den = options.margin_share_sign == MarginShareSign::kSignOfGroup
                                ? (total_margin < 0 ? -total_margin : total_margin)
                                : total_margin;
  auto shares = [&](MarginFigures& f) {
    f.revenue_share = margin_internal::Ratio(static_cast<double>(f.revenue), total_revenue);
    f.margin_share = margin_internal::Ratio(static_cast<double>(f.margin), margin_den);
  };
  shares(r.total);

  r.groups.resize(partial.sums.size());
  for (std::size_t g = 0; g < partial.sums.size(); ++g) {
    MarginGroup& group = r.groups[g];
    const std::int64_t* key = partial.keys.data() + g * dims;
    std::copy(key, key + dims, group.key.begin());
    SALESIGHT_ASSIGN_OR_RETURN(group.figures, Figures(partial.sums[g], partial, key));
    shares(group.figures);
  }
  return r;
}

namespace {

// The two tables as a dataset; neither is owned (the caller keeps them alive
// for the call).
absl::StatusOr<Dataset> OrdersAndProducts(const OrderLines& orders, const Products* products) {
  if (products == nullptr) return Dataset::Of(orders);
  DatasetTables t;
  t.orders = std::shared_ptr<const OrderLines>(std::shared_ptr<void>(), &orders);
  t.products = std::shared_ptr<const Products>(std::shared_ptr<void>(), products);
  return Dataset::Build(std::move(t));
}

}  // namespace

absl::StatusOr<MarginPartial> PartialMargin(const Dataset& data, std::size_t begin,
                                            std::size_t end, const MarginOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(
      MarginPlan plan,
      BuildMarginPlan(data, absl::MakeConstSpan(&options.group_by, 1), options, begin, end));
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<MarginPartial> partials,
                             margin_internal::AggregateRange(plan, begin, end));
  return std::move(partials.front());
}

absl::StatusOr<MarginPartial> PartialMargin(const OrderLines& orders, const Products* products,
                                            std::size_t begin, std::size_t end,
                                            const MarginOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Dataset data, OrdersAndProducts(orders, products));
  return PartialMargin(data, begin, end, options);
}

absl::StatusOr<std::vector<MarginResult>> ComputeMarginSets(
    const Dataset& data, absl::Span<const MarginGrouping> groupings,
    const MarginOptions& options) {
  const std::size_t n = data.orders() != nullptr ? data.orders()->size() : 0;
  SALESIGHT_ASSIGN_OR_RETURN(MarginPlan plan,
                             BuildMarginPlan(data, groupings, options, 0, n));
  const std::size_t threads =
      internal::ThreadsForRows(options.num_threads, n, internal::kMinRowsPerThreadMerged);
  std::vector<absl::StatusOr<std::vector<MarginPartial>>> parts(threads);
  internal::ForEachRange(threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    parts[t] = margin_internal::AggregateRange(plan, b, e);
  });
  for (auto& p : parts) {
    if (!p.ok()) return p.status();
  }
  std::vector<MarginPartial> merged = std::move(*parts[0]);
  for (std::size_t t = 1; t < threads; ++t) {
    for (std::size_t g = 0; g < merged.size(); ++g) {
      SALESIGHT_RETURN_IF_ERROR(MergeMargin(merged[g], (*parts[t])[g]));
    }
  }
  std::vector<MarginResult> results;
  results.reserve(merged.size());
  for (MarginPartial& p : merged) {
    SALESIGHT_ASSIGN_OR_RETURN(MarginResult r, FinishMargin(std::move(p), options));
    results.push_back(std::move(r));
  }
  return results;
}

absl::StatusOr<std::vector<MarginResult>> ComputeMarginSets(
    const OrderLines& orders, const Products* products,
    absl::Span<const MarginGrouping> groupings, const MarginOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Dataset data, OrdersAndProducts(orders, products));
  return ComputeMarginSets(data, groupings, options);
}

absl::StatusOr<MarginResult> ComputeMargin(const Dataset& data, const MarginOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(
      std::vector<MarginResult> results,
      ComputeMarginSets(data, absl::MakeConstSpan(&options.group_by, 1), options));
  return std::move(results.front());
}

absl::StatusOr<MarginResult> ComputeMargin(const OrderLines& orders, const Products* products,
                                           const MarginOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(const Dataset data, OrdersAndProducts(orders, products));
  return ComputeMargin(data, options);
}

}  // namespace salesight
