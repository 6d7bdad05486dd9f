// Salesperson leaderboard: revenue and distinct orders in one pass over the
// order lines, margin through ComputeMargin, won/lost through ComputeFunnel
// (activity mode), collection rate through ComputeCollection, targets summed
// per salesperson over the overlapping months; then one sort for the ranking.
// The pieces are shared with the partial state (partial.cpp).
#include "salesight/leaderboard.hpp"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/leaderboard.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace leaderboard_internal {
namespace {

struct Acc {
  bool present = false;
  Money revenue = 0;
  std::int64_t orders = 0;
  std::optional<Money> margin;
  std::optional<std::int64_t> won, lost;
  std::optional<double> win_rate, collection_rate;
  std::optional<Money> target;
};

Acc& At(std::vector<Acc>& acc, Id id) {
  const auto i = static_cast<std::size_t>(id);
  if (i >= acc.size()) acc.resize(i + 1);
  return acc[i];
}

std::optional<double> Metric(const LeaderboardRow& r, LeaderboardMetric m) {
  switch (m) {
    case LeaderboardMetric::kRevenue:
      return static_cast<double>(r.revenue);
    case LeaderboardMetric::kMargin:
      return r.margin ? std::optional<double>(static_cast<double>(*r.margin)) : std::nullopt;
    case LeaderboardMetric::kOrders:
      return static_cast<double>(r.orders);
    case LeaderboardMetric::kWon:
      return r.won ? std::optional<double>(static_cast<double>(*r.won)) : std::nullopt;
    case LeaderboardMetric::kWinRate:
      return r.win_rate;
    case LeaderboardMetric::kCollectionRate:
      return r.collection_rate;
    case LeaderboardMetric::kTargetAttainment:
      return r.attainment;
  }
  return std::nullopt;
}

// Money metrics are compared exactly (a double loses precision beyond 2^53).
bool RankBefore(const LeaderboardRow& a, const LeaderboardRow& b, LeaderboardMetric m) {
  if (m == LeaderboardMetric::kRevenue && a.revenue != b.revenue) return a.revenue > b.revenue;
  if (m == LeaderboardMetric::kMargin && a.margin && b.margin && *a.margin != *b.margin) {
    return *a.margin > *b.margin;
  }
  const std::optional<double> x = Metric(a, m), y = Metric(b, m);
  if (x.has_value() != y.has_value()) return x.has_value();  // nulls last
  if (x && y && *x != *y) return *x > *y;
  return a.salesperson < b.salesperson;
}

}  // namespace

absl::StatusOr<Plan> MakePlan(const Dataset& data, const LeaderboardOptions& options,
                              Day default_as_of) {
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("leaderboard: the dataset has no orders table");
  }
  const OrderLines& orders = *data.orders();
  if (orders.columns().salesperson.empty() && orders.size() > 0) {
    return absl::FailedPreconditionError("leaderboard: the orders have no 'salesperson' column");
  }
  const Day from = options.from, to = options.to;
  if (from != kNoDate && to != kNoDate && from > to) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaderboard: period start %s is after its end %s", FormatDate(from), FormatDate(to)));
  }
  Plan plan;
  plan.as_of = options.as_of != kNoDate ? options.as_of : to != kNoDate ? to : default_as_of;
  if ((data.pipeline() || data.invoices()) && plan.as_of == kNoDate) {
    return absl::InvalidArgumentError(
        "leaderboard: as_of (or the period end) is required with a pipeline or invoices that "
        "hold no dates");
  }
  if (to != kNoDate && plan.as_of != kNoDate && to > plan.as_of) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaderboard: period end %s is after as_of %s", FormatDate(to), FormatDate(plan.as_of)));
  }
  plan.lo = from == kNoDate ? kMinDay : from;
  plan.hi = to == kNoDate ? kMaxDay : to;
  plan.money_scale = orders.money_scale();
  // A products table carries costs only with standard costs or tiers (one
  // derived from the lines' categories has neither).
  const OrderLinesColumns& oc = orders.columns();
  const Products* products = data.products();
  plan.has_cost = !oc.cost.empty() || !oc.unit_cost.empty() ||
                  (products != nullptr && (!products->columns().standard_cost.empty() ||
                                           !products->columns().cost_tiers.empty()));
  if (const Pipeline* pipeline = data.pipeline()) {
    if (pipeline->columns().salesperson.empty() && pipeline->size() > 0) {
      return absl::FailedPreconditionError(
          "leaderboard: the pipeline has no 'salesperson' column");
    }
  }
  if (const Invoices* invoices = data.invoices()) {
    if (invoices->money_scale() != plan.money_scale) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaderboard: invoices money scale %d differs from the orders' %d",
          invoices->money_scale(), plan.money_scale));
    }
  }
  if (const Targets* targets = data.targets()) {
    const TargetsColumns& tc = targets->columns();
    if (tc.level != TargetLevel::kSalesperson) {
      return absl::InvalidArgumentError("leaderboard: targets must be per salesperson");
    }
    if (tc.money_scale != plan.money_scale) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaderboard: targets money scale %d differs from the orders' %d", tc.money_scale,
          plan.money_scale));
    }
  }
  return plan;
}

Day FinishAsOf(const LeaderboardOptions& options) {
  return options.as_of != kNoDate ? options.as_of : options.to;
}

MarginOptions MarginOptionsOf(const LeaderboardOptions& options) {
  MarginOptions mo;
  mo.group_by = MarginGrouping{{"salesperson"}};
  mo.from = options.from;
  mo.to = options.to;
  mo.num_threads = options.num_threads;
  return mo;
}

FunnelOptions FunnelOptionsOf(const LeaderboardOptions& options, Day as_of) {
  FunnelOptions fo;
  fo.mode = FunnelMode::kActivity;
  fo.from = options.from;
  fo.to = options.to;
  fo.as_of = as_of;
  fo.group_by = {"salesperson"};
  fo.implied_reached = false;
  fo.compute_bottlenecks = false;
  fo.num_threads = options.num_threads;
  return fo;
}

CollectionOptions CollectionOptionsOf(const LeaderboardOptions& options, Day as_of) {
  CollectionOptions co;
  co.from = options.from;
  co.to = options.to == kNoDate ? as_of : options.to;
  co.as_of = as_of;
  co.group_by = "salesperson";
  co.rate_only = true;
  co.num_threads = options.num_threads;
  return co;
}

absl::StatusOr<Own> ScanOwn(const Dataset& data, const Plan& plan,
                            const LeaderboardOptions& options, std::size_t ob, std::size_t oe,
                            std::size_t tb, std::size_t te) {
  const OrderLines& orders = *data.orders();
  const OrderLinesColumns& oc = orders.columns();
  std::vector<Acc> acc(static_cast<std::size_t>(std::max(orders.num_salespeople(), 0)));
  Own own;
  for (std::size_t i = ob; i < oe; ++i) {
    const Day d = oc.order_date[i];
    if (d < plan.lo || d > plan.hi) continue;
    Acc& a = At(acc, oc.salesperson[i]);
    a.present = true;
    if (__builtin_add_overflow(a.revenue, oc.amount[i], &a.revenue)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "leaderboard: the revenue of salesperson %d overflows int64", oc.salesperson[i]));
    }
    own.orders.emplace_back(oc.salesperson[i], oc.order_id[i]);
  }
  std::sort(own.orders.begin(), own.orders.end());
  own.orders.erase(std::unique(own.orders.begin(), own.orders.end()), own.orders.end());

  // Targets over the months overlapping the period.
  if (const Targets* targets = data.targets(); targets != nullptr && tb < te) {
    const TargetsColumns& tc = targets->columns();
    const int first = options.from == kNoDate ? 0 : YearMonth(options.from);
    const int last = options.to == kNoDate ? 999999 : YearMonth(options.to);
    for (std::size_t i = tb; i < te; ++i) {
      if (tc.month[i] < first || tc.month[i] > last) continue;
      Acc& a = At(acc, tc.key[i]);
      a.present = true;
      Money t = a.target.value_or(0);
      if (__builtin_add_overflow(t, tc.amount[i], &t)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "leaderboard: the target of salesperson %d overflows int64", tc.key[i]));
      }
      a.target = t;
    }
  }
  for (std::size_t s = 0; s < acc.size(); ++s) {
    if (acc[s].present) own.sums.push_back({static_cast<Id>(s), acc[s].revenue, acc[s].target});
  }
  return own;
}

LeaderboardResult Assemble(const Own& own, const MarginResult* margin, const FunnelResult* funnel,
                           const CollectionResult* collection, const LeaderboardOptions& options,
                           int money_scale, DictionaryPtr salesperson_codes) {
  // Keyed by id (not dense: a deserialized partial's ids are not bounded by
  // a table); the ranking orders the rows.
  absl::flat_hash_map<Id, Acc> acc;
  for (const LeaderboardSums& s : own.sums) {
    Acc& a = acc[s.salesperson];
    a.present = true;
    a.revenue = s.revenue;
    a.target = s.target;
  }
  for (const auto& pair : own.orders) ++acc[pair.first].orders;
  if (margin != nullptr) {
    for (const MarginGroup& g : margin->groups) acc[static_cast<Id>(g.key[0])].margin = g.figures.margin;
  }
  if (funnel != nullptr) {
    for (const FunnelGroup& g : funnel->groups) {
      if (g.keys.empty() || g.keys[0] < 0) continue;
      Acc& a = acc[g.keys[0]];
      a.won = g.stats.won;
      a.lost = g.stats.lost;
      a.win_rate = g.stats.win_rate_closed;
      if (g.stats.won + g.stats.lost > 0) a.present = true;
    }
  }
  if (collection != nullptr) {
    for (const CollectionRow& r : collection->rows) {
      if (r.group < 0) continue;  // invoices without a salesperson
      Acc& a = acc[r.group];
      a.collection_rate = r.collection_rate;
      a.present = true;
    }
  }

  LeaderboardResult result;
  result.options = options;
  result.money_scale = money_scale;
  result.salesperson_codes = std::move(salesperson_codes);
  for (const auto& entry : acc) {
    const Acc& a = entry.second;
    if (!a.present) continue;
    LeaderboardRow r;
    r.salesperson = entry.first;
    r.revenue = a.revenue;
    r.orders = a.orders;
    // No line in the period: a margin of 0, like revenue; no deal: 0 won, 0 lost.
    if (margin != nullptr) r.margin = a.margin.value_or(0);
    if (funnel != nullptr) {
      r.won = a.won.value_or(0);
      r.lost = a.lost.value_or(0);
    }
    r.win_rate = a.win_rate;
    r.collection_rate = a.collection_rate;
    r.target = a.target;
    if (a.target && *a.target != 0) {
      r.attainment = static_cast<double>(a.revenue) / static_cast<double>(*a.target);
    }
    result.rows.push_back(r);
  }
  std::sort(result.rows.begin(), result.rows.end(),
            [&](const LeaderboardRow& a, const LeaderboardRow& b) {
              return RankBefore(a, b, options.rank_by);
            });
  if (options.top > 0 && static_cast<std::size_t>(options.top) < result.rows.size()) {
    result.rows.resize(static_cast<std::size_t>(options.top));
  }
  for (std::size_t k = 0; k < result.rows.size(); ++k) {
    result.rows[k].rank = static_cast<std::int64_t>(k + 1);
  }
  return result;
}

}  // namespace leaderboard_internal

namespace {

// The latest date any input knows: the default as_of when neither as_of nor
// the period end is given (kNoDate = INT32_MIN when empty, so max() skips it).
Day LatestDate(const Dataset& data) {
  Day latest = data.orders()->max_date();
  if (data.invoices()) latest = std::max(latest, data.invoices()->max_invoice_date());
  if (data.pipeline()) latest = std::max(latest, data.pipeline()->max_created());
  return latest;
}

}  // namespace

absl::StatusOr<LeaderboardResult> ComputeLeaderboard(const Dataset& data,
                                                     const LeaderboardOptions& options) {
  using namespace leaderboard_internal;  // NOLINT: this file's own internals
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("leaderboard: the dataset has no orders table");
  }
  SALESIGHT_ASSIGN_OR_RETURN(const Plan plan, MakePlan(data, options, LatestDate(data)));
  const std::size_t targets = data.targets() ? data.targets()->columns().month.size() : 0;
  SALESIGHT_ASSIGN_OR_RETURN(const Own own,
                             ScanOwn(data, plan, options, 0, data.orders()->size(), 0, targets));
  std::optional<MarginResult> margin;
  std::optional<FunnelResult> funnel;
  std::optional<CollectionResult> collection;
  if (plan.has_cost) {
    SALESIGHT_ASSIGN_OR_RETURN(margin, ComputeMargin(data, MarginOptionsOf(options)));
  }
  if (const Pipeline* pipeline = data.pipeline()) {
    SALESIGHT_ASSIGN_OR_RETURN(funnel,
                               ComputeFunnel(*pipeline, FunnelOptionsOf(options, plan.as_of)));
  }
  if (data.invoices() != nullptr) {
    SALESIGHT_ASSIGN_OR_RETURN(collection,
                               ComputeCollection(data, CollectionOptionsOf(options, plan.as_of)));
  }
  return Assemble(own, margin ? &*margin : nullptr, funnel ? &*funnel : nullptr,
                  collection ? &*collection : nullptr, options, plan.money_scale,
                  data.orders()->columns().salespeople);
}

ResultTable ToResultTable(const LeaderboardResult& result) {
  ResultTable t;
  ResultColumn& rank = t.AddInt64("rank");
  ResultColumn& sp = t.AddString("salesperson");
  ResultColumn& revenue = t.AddMoney("revenue", result.money_scale);
  ResultColumn& margin = t.AddMoney("margin", result.money_scale);
  ResultColumn& orders = t.AddInt64("orders");
  ResultColumn& won = t.AddInt64("won");
  ResultColumn& lost = t.AddInt64("lost");
  ResultColumn& win_rate = t.AddDouble("win_rate");
  ResultColumn& collection = t.AddDouble("collection_rate");
  ResultColumn& target = t.AddMoney("target", result.money_scale);
  ResultColumn& attainment = t.AddDouble("attainment");
  auto put_int = [](ResultColumn& c, std::optional<std::int64_t> v) {
    c.ints.push_back(v.value_or(0));
    c.valid.push_back(v.has_value() ? 1 : 0);
  };
  auto put_double = [](ResultColumn& c, std::optional<double> v) {
    c.doubles.push_back(v.value_or(0.0));
    c.valid.push_back(v.has_value() ? 1 : 0);
  };
  const DictionaryPtr& codes = result.salesperson_codes;
  for (const LeaderboardRow& r : result.rows) {
    rank.ints.push_back(r.rank);
    sp.strings.push_back(codes && r.salesperson < codes->size()
                             ? std::string(codes->Code(r.salesperson))
                             : absl::StrCat(r.salesperson));
    revenue.ints.push_back(r.revenue);
    put_int(margin, r.margin);
    orders.ints.push_back(r.orders);
    put_int(won, r.won);
    put_int(lost, r.lost);
    put_double(win_rate, r.win_rate);
    put_double(collection, r.collection_rate);
    put_int(target, r.target);
    put_double(attainment, r.attainment);
  }
  return t;
}

}  // namespace salesight
