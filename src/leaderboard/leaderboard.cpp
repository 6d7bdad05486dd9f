// Salesperson leaderboard: revenue and distinct orders in one pass over the
// order lines, margin through ComputeMargin, won/lost through ComputeFunnel
// (activity mode), collection rate through ComputeCollection, targets summed
// per salesperson over the overlapping months; then one sort for the ranking.
#include "salesight/leaderboard.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/receivables.hpp"

namespace salesight {
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
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("leaderboard: the dataset has no orders table");
  }
  const OrderLines& orders = *data.orders();
  const OrderLinesColumns& oc = orders.columns();
  if (oc.salesperson.empty() && orders.size() > 0) {
    return absl::FailedPreconditionError("leaderboard: the orders have no 'salesperson' column");
  }
  const Day from = options.from, to = options.to;
  if (from != kNoDate && to != kNoDate && from > to) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaderboard: period start %s is after its end %s", FormatDate(from), FormatDate(to)));
  }
  const Day as_of = options.as_of != kNoDate ? options.as_of
                    : to != kNoDate          ? to
                                             : LatestDate(data);
  if ((data.pipeline() || data.invoices()) && as_of == kNoDate) {
    return absl::InvalidArgumentError(
        "leaderboard: as_of (or the period end) is required with a pipeline or invoices that "
        "hold no dates");
  }
  if (to != kNoDate && as_of != kNoDate && to > as_of) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaderboard: period end %s is after as_of %s", FormatDate(to), FormatDate(as_of)));
  }
  const Day lo = from == kNoDate ? kMinDay : from;
  const Day hi = to == kNoDate ? kMaxDay : to;
  const int scale = orders.money_scale();

  std::vector<Acc> acc(static_cast<std::size_t>(std::max(orders.num_salespeople(), 0)));

  // Revenue and distinct orders: (salesperson, order id) pairs, sorted.
  {
    std::vector<std::pair<Id, std::int64_t>> pairs;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      const Day d = oc.order_date[i];
      if (d < lo || d > hi) continue;
      Acc& a = At(acc, oc.salesperson[i]);
      a.present = true;
      if (__builtin_add_overflow(a.revenue, oc.amount[i], &a.revenue)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "leaderboard: the revenue of salesperson %d overflows int64", oc.salesperson[i]));
      }
      pairs.emplace_back(oc.salesperson[i], oc.order_id[i]);
    }
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      if (k == 0 || pairs[k] != pairs[k - 1]) ++acc[static_cast<std::size_t>(pairs[k].first)].orders;
    }
  }

  // Margin.
  // A products table carries costs only with standard costs or tiers (one
  // derived from the lines' categories has neither).
  const Products* products = data.products();
  const bool has_cost =
      !oc.cost.empty() || !oc.unit_cost.empty() ||
      (products != nullptr && (!products->columns().standard_cost.empty() ||
                               !products->columns().cost_tiers.empty()));
  if (has_cost) {
    MarginOptions mo;
    mo.group_by = MarginGrouping{{"salesperson"}};
    mo.from = from;
    mo.to = to;
    mo.num_threads = options.num_threads;
    SALESIGHT_ASSIGN_OR_RETURN(MarginResult m, ComputeMargin(data, mo));
    for (const MarginGroup& g : m.groups) At(acc, static_cast<Id>(g.key[0])).margin = g.figures.margin;
    for (Acc& a : acc) {
      if (!a.margin) a.margin = 0;  // no line in the period: a margin of 0, like revenue
    }
  }

  // Won / lost / win rate.
  if (const Pipeline* pipeline = data.pipeline()) {
    if (pipeline->columns().salesperson.empty() && pipeline->size() > 0) {
      return absl::FailedPreconditionError(
          "leaderboard: the pipeline has no 'salesperson' column");
    }
    FunnelOptions fo;
    fo.mode = FunnelMode::kActivity;
    fo.from = from;
    fo.to = to;
    fo.as_of = as_of;
    fo.group_by = {"salesperson"};
    fo.implied_reached = false;
    fo.compute_bottlenecks = false;
    fo.num_threads = options.num_threads;
    SALESIGHT_ASSIGN_OR_RETURN(FunnelResult f, ComputeFunnel(*pipeline, fo));
    for (const FunnelGroup& g : f.groups) {
      if (g.keys.empty() || g.keys[0] < 0) continue;
      Acc& a = At(acc, g.keys[0]);
      a.won = g.stats.won;
      a.lost = g.stats.lost;
      a.win_rate = g.stats.win_rate_closed;
      if (g.stats.won + g.stats.lost > 0) a.present = true;
    }
    for (Acc& a : acc) {
      if (!a.won) a.won = 0;
      if (!a.lost) a.lost = 0;
    }
  }

  // Collection rate.
  if (const Invoices* invoices = data.invoices()) {
    if (invoices->money_scale() != scale) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaderboard: invoices money scale %d differs from the orders' %d",
          invoices->money_scale(), scale));
    }
    CollectionOptions co;
    co.from = from;
    co.to = to == kNoDate ? as_of : to;
    co.as_of = as_of;
    co.group_by = "salesperson";
    co.rate_only = true;
    co.num_threads = options.num_threads;
    SALESIGHT_ASSIGN_OR_RETURN(CollectionResult c, ComputeCollection(data, co));
    for (const CollectionRow& r : c.rows) {
      if (r.group < 0) continue;  // invoices without a salesperson
      Acc& a = At(acc, r.group);
      a.collection_rate = r.collection_rate;
      a.present = true;
    }
  }

  // Targets over the months overlapping the period.
  if (const Targets* targets = data.targets()) {
    const TargetsColumns& tc = targets->columns();
    if (tc.level != TargetLevel::kSalesperson) {
      return absl::InvalidArgumentError("leaderboard: targets must be per salesperson");
    }
    if (tc.money_scale != scale) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "leaderboard: targets money scale %d differs from the orders' %d", tc.money_scale,
          scale));
    }
    const int first = from == kNoDate ? 0 : YearMonth(from);
    const int last = to == kNoDate ? 999999 : YearMonth(to);
    for (std::size_t i = 0; i < tc.month.size(); ++i) {
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

  LeaderboardResult result;
  result.options = options;
  result.money_scale = scale;
  result.salesperson_codes = oc.salespeople;
  for (std::size_t s = 0; s < acc.size(); ++s) {
    const Acc& a = acc[s];
    if (!a.present) continue;
    LeaderboardRow r;
    r.salesperson = static_cast<Id>(s);
    r.revenue = a.revenue;
    r.margin = a.margin;
    r.orders = a.orders;
    r.won = a.won;
    r.lost = a.lost;
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
