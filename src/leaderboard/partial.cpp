// The leaderboard's partial state (salesight/leaderboard.hpp): the own sums
// and order pairs of its share of the order lines and targets, margin's,
// funnel's and collection's partials of its share of the lines, pipeline
// and invoices; merged exactly, finished through the same Assemble as the
// whole run.
#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "internal/leaderboard.hpp"
#include "salesight/leaderboard.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using leaderboard_internal::Own;
using leaderboard_internal::Plan;

struct Ranges {
  std::size_t ob = 0, oe = 0, pb = 0, pe = 0, ib = 0, ie = 0, tb = 0, te = 0;
};

template <typename T>
std::size_t SizeOf(const T* table) {
  return table == nullptr ? 0 : table->size();
}

std::size_t TargetRows(const Dataset& data) {
  return data.targets() ? data.targets()->columns().month.size() : 0;
}

// [begin, end) of the tables one after another, cut into each table's share.
Ranges Split(const Dataset& data, std::size_t begin, std::size_t end) {
  Ranges r;
  std::size_t offset = 0;
  auto share = [&](std::size_t n, std::size_t* b, std::size_t* e) {
    *b = std::clamp(begin, offset, offset + n) - offset;
    *e = std::clamp(end, offset, offset + n) - offset;
    offset += n;
  };
  share(SizeOf(data.orders()), &r.ob, &r.oe);
  share(SizeOf(data.pipeline()), &r.pb, &r.pe);
  share(SizeOf(data.invoices()), &r.ib, &r.ie);
  share(TargetRows(data), &r.tb, &r.te);
  return r;
}

absl::Status AddSums(const std::vector<LeaderboardSums>& a, const std::vector<LeaderboardSums>& b,
                     std::vector<LeaderboardSums>* out) {
  out->clear();
  out->reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].salesperson < b[j].salesperson)) {
      out->push_back(a[i++]);
    } else if (i == a.size() || b[j].salesperson < a[i].salesperson) {
      out->push_back(b[j++]);
    } else {
      LeaderboardSums s = a[i];
      const LeaderboardSums& t = b[j];
      if (!AddMoney(s.revenue, t.revenue, &s.revenue)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "leaderboard partial: the revenue of salesperson %d overflows", s.salesperson));
      }
      if (t.target) {
        Money sum = s.target.value_or(0);
        if (!AddMoney(sum, *t.target, &sum)) {
          return absl::OutOfRangeError(absl::StrFormat(
              "leaderboard partial: the target of salesperson %d overflows", s.salesperson));
        }
        s.target = sum;
      }
      out->push_back(s);
      ++i;
      ++j;
    }
  }
  return absl::OkStatus();
}

enum class Side { kInto, kFrom, kBoth };

// Which side's nested partial the merge keeps: the one present, else the one
// that saw rows of its table (an empty side adds nothing), else both merged.
Side Pick(bool into, std::int64_t into_rows, bool from, std::int64_t from_rows) {
  if (!from) return Side::kInto;
  if (!into) return Side::kFrom;
  if (from_rows == 0) return Side::kInto;
  if (into_rows == 0) return Side::kFrom;
  return Side::kBoth;
}

absl::Status SameInputs(bool a, bool b, const char* what) {
  if (a == b) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "leaderboard partial: cannot merge a partial with %s into one without (or back): the "
      "partitions must hold the same tables and columns",
      what));
}

}  // namespace

std::size_t LeaderboardRows(const Dataset& data) {
  return SizeOf(data.orders()) + SizeOf(data.pipeline()) + SizeOf(data.invoices()) +
         TargetRows(data);
}

absl::StatusOr<LeaderboardPartial> PartialLeaderboard(const Dataset& data, std::size_t begin,
                                                      std::size_t end,
                                                      const LeaderboardOptions& options) {
  using namespace leaderboard_internal;  // this folder's own internals
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("leaderboard: the dataset has no orders table");
  }
  if (options.as_of == kNoDate && options.to == kNoDate &&
      (data.pipeline() != nullptr || data.invoices() != nullptr)) {
    return absl::InvalidArgumentError(
        "leaderboard partial: as_of (or end) is required with a pipeline or invoices (each "
        "partition would default to its own latest date)");
  }
  if (begin > end || end > LeaderboardRows(data)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaderboard partial: rows [%d, %d) are not inside its %d rows", begin, end,
        LeaderboardRows(data)));
  }
  SALESIGHT_ASSIGN_OR_RETURN(const Plan plan, MakePlan(data, options, kNoDate));
  const Ranges r = Split(data, begin, end);
  LeaderboardPartial p;
  p.money_scale = plan.money_scale;
  p.salesperson_codes = data.orders()->columns().salespeople;
  SALESIGHT_ASSIGN_OR_RETURN(Own own, ScanOwn(data, plan, options, r.ob, r.oe, r.tb, r.te));
  p.order_rows = static_cast<std::int64_t>(r.oe - r.ob);
  p.pipeline_rows = static_cast<std::int64_t>(r.pe - r.pb);
  p.invoice_rows = static_cast<std::int64_t>(r.ie - r.ib);
  p.sums = std::move(own.sums);
  p.orders = std::move(own.orders);
  if (plan.has_cost) {
    SALESIGHT_ASSIGN_OR_RETURN(p.margin, PartialMargin(data, r.ob, r.oe, MarginOptionsOf(options)));
  }
  if (const Pipeline* pipeline = data.pipeline()) {
    SALESIGHT_ASSIGN_OR_RETURN(
        p.funnel, PartialFunnel(*pipeline, r.pb, r.pe, FunnelOptionsOf(options, plan.as_of)));
  }
  if (data.invoices() != nullptr) {
    SALESIGHT_ASSIGN_OR_RETURN(
        p.collection,
        PartialCollection(data, r.ib, r.ie, CollectionOptionsOf(options, plan.as_of)));
  }
  return p;
}

absl::Status MergeLeaderboard(LeaderboardPartial& into, const LeaderboardPartial& from) {
  if (into.money_scale != from.money_scale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "leaderboard partial: money scales %d and %d differ", into.money_scale,
        from.money_scale));
  }
  SALESIGHT_RETURN_IF_ERROR(
      SameInputs(into.funnel.has_value(), from.funnel.has_value(), "a pipeline"));
  SALESIGHT_RETURN_IF_ERROR(
      SameInputs(into.collection.has_value(), from.collection.has_value(), "invoices"));
  // Everything that can fail first, into copies; the funnel merge (which
  // leaves its `into` unchanged on error) last; then commit.
  std::vector<LeaderboardSums> sums;
  SALESIGHT_RETURN_IF_ERROR(AddSums(into.sums, from.sums, &sums));
  std::vector<std::pair<Id, std::int64_t>> orders;
  orders.reserve(into.orders.size() + from.orders.size());
  std::set_union(into.orders.begin(), into.orders.end(), from.orders.begin(), from.orders.end(),
                 std::back_inserter(orders));
  // Margin is computed where lines have cost information; a partition
  // without order lines has no cost column, so one side may lack it.
  std::optional<MarginPartial> margin;
  switch (Pick(into.margin.has_value(), into.order_rows, from.margin.has_value(),
               from.order_rows)) {
    case Side::kInto: margin = into.margin; break;
    case Side::kFrom: margin = from.margin; break;
    case Side::kBoth:
      margin = into.margin;
      SALESIGHT_RETURN_IF_ERROR(MergeMargin(*margin, *from.margin));
      break;
  }
  std::optional<CollectionPartial> collection;
  switch (Pick(into.collection.has_value(), into.invoice_rows, from.collection.has_value(),
               from.invoice_rows)) {
    case Side::kInto: collection = into.collection; break;
    case Side::kFrom: collection = from.collection; break;
    case Side::kBoth:
      collection = into.collection;
      SALESIGHT_RETURN_IF_ERROR(MergeCollection(*collection, *from.collection));
      break;
  }
  // The funnel partial is move-only: `from`'s is copied through its bytes.
  std::optional<FunnelPartial> funnel_copy;
  const Side funnel_side = Pick(into.funnel.has_value(), into.pipeline_rows,
                                from.funnel.has_value(), from.pipeline_rows);
  if (funnel_side == Side::kFrom) {
    SALESIGHT_ASSIGN_OR_RETURN(const std::string bytes, SerializeFunnelPartial(*from.funnel));
    SALESIGHT_ASSIGN_OR_RETURN(funnel_copy, DeserializeFunnelPartial(bytes));
  } else if (funnel_side == Side::kBoth) {
    SALESIGHT_RETURN_IF_ERROR(MergeFunnel(*into.funnel, *from.funnel));  // last: may fail
  }
  if (funnel_copy) into.funnel = std::move(funnel_copy);
  into.sums = std::move(sums);
  into.orders = std::move(orders);
  into.margin = std::move(margin);
  into.collection = std::move(collection);
  into.order_rows += from.order_rows;
  into.pipeline_rows += from.pipeline_rows;
  into.invoice_rows += from.invoice_rows;
  if (!into.salesperson_codes) into.salesperson_codes = from.salesperson_codes;
  return absl::OkStatus();
}

absl::StatusOr<LeaderboardResult> FinishLeaderboard(LeaderboardPartial partial,
                                                    const LeaderboardOptions& options) {
  using namespace leaderboard_internal;  // this folder's own internals
  const Day as_of = FinishAsOf(options);
  std::optional<MarginResult> margin;
  std::optional<FunnelResult> funnel;
  std::optional<CollectionResult> collection;
  if (partial.margin) {
    SALESIGHT_ASSIGN_OR_RETURN(margin,
                               FinishMargin(std::move(*partial.margin), MarginOptionsOf(options)));
  }
  if (partial.funnel) {
    SALESIGHT_ASSIGN_OR_RETURN(
        funnel, FinishFunnel(std::move(*partial.funnel), FunnelOptionsOf(options, as_of)));
  }
  if (partial.collection) {
    SALESIGHT_ASSIGN_OR_RETURN(collection, FinishCollection(std::move(*partial.collection),
                                                            CollectionOptionsOf(options, as_of)));
  }
  Own own{std::move(partial.sums), std::move(partial.orders)};
  return Assemble(own, margin ? &*margin : nullptr, funnel ? &*funnel : nullptr,
                  collection ? &*collection : nullptr, options, partial.money_scale,
                  std::move(partial.salesperson_codes));
}

}  // namespace salesight
