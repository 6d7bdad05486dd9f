// leaderboard, declared once (salesight/calculator.hpp): besides its typed
// surfaces (salesight_leaderboard_compute, salesight.leaderboard, `salesight
// leaderboard`), every declared option through salesight_calculator_run(dataset,
// "leaderboard", ...) and salesight.Dataset(...).run("leaderboard", ...).
#include "core/internal/aggregator_kind.hpp"
#include "internal/partial_codec.hpp"
#include "salesight/calculator.hpp"
#include "salesight/leaderboard.hpp"

namespace salesight {
namespace {

using O = LeaderboardOptions;
using T = OptionType;
using V = OptionValue;

const OptionDecl<O> kDecls[] = {
    {Option("start", T::kDate, "", "", "first day of the period (default unbounded)").Cli("from"),
     [](O& o, const V& v) { o.from = v.date; }},
    {Option("end", T::kDate, "", "", "last day of the period (default unbounded)").Cli("to"),
     [](O& o, const V& v) { o.to = v.date; }},
    {Option("as_of", T::kDate, "", "", "what is known: won/lost deals and payments up to it (default end, else the latest date in the data)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("rank_by", T::kChoice, "revenue", "revenue|margin|orders|won|win_rate|collection_rate|attainment", "what ranks the salespeople: descending, nulls last, ties by salesperson code"),
     [](O& o, const V& v) {
       o.rank_by = v.text == "margin"            ? LeaderboardMetric::kMargin
                   : v.text == "orders"          ? LeaderboardMetric::kOrders
                   : v.text == "won"             ? LeaderboardMetric::kWon
                   : v.text == "win_rate"        ? LeaderboardMetric::kWinRate
                   : v.text == "collection_rate" ? LeaderboardMetric::kCollectionRate
                   : v.text == "attainment"      ? LeaderboardMetric::kTargetAttainment
                                                 : LeaderboardMetric::kRevenue;
     }},
    {Option("top", T::kInt, "0", "", "only the first N rows of the ranking (0 = all)").Range(0, 1000000000),
     [](O& o, const V& v) { o.top = v.integer; }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

ResultSet SetOf(const LeaderboardResult& r) {
  ResultSet out;
  out.problems.money_scale = r.money_scale;
  out.tables.push_back({"table", ToResultTable(r)});
  return out;
}

absl::StatusOr<ResultSet> Run(const Dataset& data, const O& options) {
  absl::StatusOr<LeaderboardResult> r = ComputeLeaderboard(data, options);
  if (!r.ok()) return r.status();
  return SetOf(*r);
}

// Rows: the orders, pipeline, invoices and targets one after another.
const aggregator_internal::KindOps<O, LeaderboardPartial> kKind{
    .name = "leaderboard",
    .kind = PartialKind::kLeaderboard,
    .rows = TableKind::kOrders,
    .row_count = &LeaderboardRows,
    .decls = kDecls,
    .partial = &PartialLeaderboard,
    .merge = &MergeLeaderboard,
    .merge_keeps_into_on_error = true,
    .money_scale = [](LeaderboardPartial& p) -> int& { return p.money_scale; },
    .write = &leaderboard_internal::WritePartial,
    .read = &leaderboard_internal::ReadPartial,
    .attach = [](LeaderboardPartial& p,
                 const LeaderboardPartial& fresh) { p.salesperson_codes = fresh.salesperson_codes; },
    .finish = [](LeaderboardPartial p, const O& options,
                 const Dataset*) -> absl::StatusOr<ResultSet> {
      absl::StatusOr<LeaderboardResult> r = FinishLeaderboard(std::move(p), options);
      if (!r.ok()) return r.status();
      return SetOf(*r);
    },
};

}  // namespace

absl::Span<const OptionDecl<LeaderboardOptions>> LeaderboardOptionDecls() { return kDecls; }

AggregatorSpec LeaderboardAggregator() { return aggregator_internal::DeclareAggregator(&kKind); }

CalculatorSpec LeaderboardCalculator() {
  return DeclareCalculator<O>(
      "leaderboard",
      "Per salesperson over a period: revenue, margin, orders, won and lost deals, win rate "
      "(with a pipeline), collection rate (with invoices), target and attainment (with "
      "targets), ranked; a missing input leaves its columns null (definitions: "
      "include/salesight/leaderboard.hpp, README).",
      {{TableKind::kOrders, true},
       {TableKind::kProducts, false},
       {TableKind::kPipeline, false},
       {TableKind::kInvoices, false},
       {TableKind::kPayments, false},
       {TableKind::kTargets, false}},
      {"table"}, LeaderboardOptionDecls(), &Run);
}

}  // namespace salesight
