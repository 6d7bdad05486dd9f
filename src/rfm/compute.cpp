// ComputeRfm and FinishRfm: state -> result rows (in place) -> scores.
#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/rfm.hpp"
#include "internal/partial.hpp"
#include "internal/rules.hpp"
#include "internal/relative_tiers.hpp"
#include "internal/scoring.hpp"
#include "salesight/btyd.hpp"
#include "salesight/clv/run.hpp"
#include "salesight/rfm.hpp"
#include "salesight/rfm_wide.hpp"

namespace salesight {
namespace rfm_internal {

// Turns the dense accumulators into result rows IN PLACE (ascending id, only
// customers with a purchase) and fills the histograms. Each thread compacts
// its own id range to the range's start; the ranges are then moved down.
RfmCustomers CompactRows(RfmPartial& state, Day as_of, bool mean,
                                     std::vector<Money>* totals, ScoreHistograms& hist,
                                     std::int64_t* only_returns, int num_threads) {
  RfmCustomers rows = std::move(Access::acc(state));
  const std::size_t num_ids = rows.size();
  const int parts = std::max(1, std::min(num_threads, static_cast<int>(num_ids / 1024) + 1));
  struct Part {
    std::size_t begin = 0, count = 0;
    std::int64_t only_returns = 0;
    ScoreHistograms hist;
    std::vector<Money> totals;
  };
  std::vector<Part> part(static_cast<std::size_t>(parts));
  ParallelFor(parts, num_ids, [&](std::size_t b, std::size_t e, int p) {
    Part& out = part[static_cast<std::size_t>(p)];
    out.begin = b;
    if (p == 0) {
      out.hist = std::move(hist);
    }
    out.hist.Reset();
    std::size_t n = b;
    for (std::size_t id = b; id < e; ++id) {
      const RfmCustomer x = rows[id];
      if (x.recency_days == 0) {
        out.only_returns += x.order_lines > 0;
        continue;
      }
      const Day last = LastDayOf(x.recency_days);
      RfmCustomer& row = rows[n++];
      row.customer = static_cast<Id>(id);
      row.recency_days = as_of - last;
      row.frequency = x.frequency;
      row.first_purchase = FirstDayOf(x.first_purchase);
      row.order_lines = x.order_lines;
      row.returns = x.returns;
      if (mean) {
        out.totals.push_back(x.monetary);
        row.monetary = RoundDiv(x.monetary, x.frequency);
      } else {
        row.monetary = x.monetary;
      }
      out.hist.Add(last, row.frequency, row.monetary, 1);
    }
    out.count = n - b;
  });
  hist = std::move(part[0].hist);
  std::size_t n = part[0].count;
  std::int64_t returns_only = part[0].only_returns;
  totals->clear();
  totals->insert(totals->end(), part[0].totals.begin(), part[0].totals.end());
  for (std::size_t p = 1; p < part.size(); ++p) {
    const Part& x = part[p];
    std::copy(rows.begin() + static_cast<std::ptrdiff_t>(x.begin),
              rows.begin() + static_cast<std::ptrdiff_t>(x.begin + x.count),
              rows.begin() + static_cast<std::ptrdiff_t>(n));  // n <= x.begin: moves down
    n += x.count;
    returns_only += x.only_returns;
    totals->insert(totals->end(), x.totals.begin(), x.totals.end());
    hist.Merge(x.hist);
  }
  rows.resize(n);
  *only_returns = returns_only;
  return rows;
}

absl::Status CheckNoBy(const RfmOptions& options, std::string_view what) {
  if (options.by.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "rfm: %s keeps one population and takes no by ('%s'); use ComputeRfm for RFM by a "
      "dimension",
      what, options.by));
}

Day ResolvedAsOf(RfmPartial& state) {
  if (Access::as_of(state) != kNoDate) return Access::as_of(state);
  return Access::max_date(state) == kNoDate ? kNoDate : Access::max_date(state) + 1;
}

}  // namespace rfm_internal

using rfm_internal::Access;

RfmOptions RfmOptionsForWorkload(Day as_of, int num_threads) {
  RfmOptions o;
  o.as_of = as_of;
  o.purchase = RfmPurchase::kAllLines;
  o.scoring = RfmScoring::kNtile;
  o.k = 5;
  o.segments = RfmSegments::kWorkload;
  o.num_threads = num_threads;
  return o;
}

const std::string& RfmResult::label(std::size_t i) const {
  const RfmSegmentLabel& l = segment_labels[scores[i].segment];
  return language == RfmLanguage::kZh ? l.zh : l.en;
}

absl::StatusOr<RfmResult> FinishRfm(RfmPartial state, const RfmOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckNoClv(options, "FinishRfm"));
  return rfm_internal::Finish(std::move(state), options);
}

absl::StatusOr<RfmResult> rfm_internal::Finish(RfmPartial state, const RfmOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckNoBy(options, "FinishRfm"));
  if (!rfm_internal::SameScanOptions(state, options, options.as_of)) {
    return absl::InvalidArgumentError(
        "rfm: FinishRfm options differ from the partial state's (as_of, window_days, frequency, "
        "monetary or purchase)");
  }
  const int scale = Access::money_scale(state);
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckScoring(options, scale));
  SALESIGHT_ASSIGN_OR_RETURN(rfm_internal::CompiledRules rules,
                             rfm_internal::CompileSegments(options, scale));
  RfmResult result;
  result.as_of = rfm_internal::ResolvedAsOf(state);
  result.window_start = options.window_days > 0 && result.as_of != kNoDate
                            ? result.as_of - options.window_days
                            : kNoDate;
  result.k = options.k;
  result.scoring = options.scoring;
  result.aggregation = options.aggregation;
  result.language = options.language;
  result.money_scale = scale;
  result.customer_codes = Access::customer_codes(state);
  result.segment_labels = rules.labels();
  result.segment_rules = rfm_internal::SegmentTable(options);
  result.counts = Access::counts(state);
  // The passes over the customers (compaction, scoring) take threads by
  // their own size, like the line scan by the lines' (a second thread for
  // 10^5 customers cost more than it saved: 10.6 against 6.9 ms for 10^6
  // lines in the quiet size sweep, README "Thread count by size").
  const int threads = static_cast<int>(
      internal::ThreadsForRows(options.num_threads, Access::acc(state).size()));

  rfm_internal::ScoreHistograms hist;
  result.customers = rfm_internal::CompactRows(
      state, result.as_of, options.aggregation == RfmAggregation::kMeanPerOrder, &result.totals,
      hist, &result.counts.customers_only_returns, threads);
  result.counts.customers = static_cast<std::int64_t>(result.customers.size());
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::ScoreRows(result.customers, result.totals, hist,
                                                    result.as_of, result.as_of, options, rules,
                                                    scale, threads, result.customers.size(),
                                                    result));
  if (options.segments == RfmSegments::kRelativeTiers) {
    SALESIGHT_RETURN_IF_ERROR(rfm_internal::ApplyRelativeTiers(options, result));
  }
  return result;
}

namespace {

// ComputeWhole, the lines' customer and day read from `wide` when given
// (ComputeRfmWide: no CLV, so only the scan reads them).
absl::StatusOr<RfmResult> ComputeWholeOf(const OrderLines& orders, const RfmOptions& options,
                                         const RfmWideKeys* wide) {
  RfmOptions o = options;
  if (o.as_of == kNoDate && orders.size() > 0) o.as_of = orders.max_date() + 1;
  // Check everything cheap before the scan.
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckScoring(o, orders.money_scale()));
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CompileSegments(o, orders.money_scale()).status());
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckClvOptions(o));
  // CLV: the BTYD summary comes from the RFM scan itself (btyd_scan.hpp).
  const bool with_clv = o.clv.model != RfmClvModel::kNone;
  std::optional<clv::ClvRunOptions> run;
  std::optional<rfm_internal::ClvById> clv;
  BtydTimeUnit unit = BtydTimeUnit::kDays;
  if (with_clv) {
    run = rfm_internal::ClvRunFor(o);
    SALESIGHT_ASSIGN_OR_RETURN(BtydOptions bo, clv::ClvBtydOptions(*run));
    unit = bo.unit;
    if (orders.size() == 0) {  // no scan: the (empty) summary, and the fit's error
      SALESIGHT_ASSIGN_OR_RETURN(BtydSummary btyd, ComputeBtydSummary(orders, bo));
      SALESIGHT_ASSIGN_OR_RETURN(clv, rfm_internal::ComputeClvById(btyd, 0, o));
    }
  }
  if (orders.size() == 0) {
    if (o.as_of == kNoDate) o.window_days = 0;  // nothing to window
    SALESIGHT_ASSIGN_OR_RETURN(RfmPartial empty, PartialRfm(orders, 0, 0, o));
    return rfm_internal::Finish(std::move(empty), o);
  }
  rfm_internal::BtydScan scan;
  SALESIGHT_ASSIGN_OR_RETURN(RfmPartial state,
                             rfm_internal::BuildState(orders, o, with_clv ? &scan : nullptr,
                                                      {}, wide));
  if (with_clv) {
    SALESIGHT_ASSIGN_OR_RETURN(
        BtydSummary btyd,
        rfm_internal::BtydSummaryFromScan(orders, std::move(scan), o.as_of, unit, o.num_threads));
    clv::ToClvTimeUnit(*run, btyd);
    SALESIGHT_ASSIGN_OR_RETURN(clv, rfm_internal::ComputeClvById(btyd, orders.num_customers(), o));
  }
  // value_measure clv: M is scored on CLV (in minor units) in place of the
  // monetary sum, which is put back into the rows afterwards.
  std::vector<Money> monetary;
  if (clv && o.value == RfmValue::kClv) {
    RfmCustomers& acc = Access::acc(state);
    monetary.resize(acc.size());
    for (std::size_t id = 0; id < acc.size(); ++id) {
      monetary[id] = acc[id].monetary;
      if (acc[id].recency_days == 0) continue;  // no purchase: no row
      if (!clv->known[id]) {
        return absl::InternalError(absl::StrFormat(
            "rfm: customer id %d has an RFM row but no CLV summary row", id));
      }
      SALESIGHT_ASSIGN_OR_RETURN(acc[id].monetary,
                                 rfm_internal::ClvMinorUnits(clv->clv[id], orders.money_scale(),
                                                             static_cast<Id>(id)));
    }
  }
  SALESIGHT_ASSIGN_OR_RETURN(RfmResult result, rfm_internal::Finish(std::move(state), o));
  if (!monetary.empty()) {
    for (RfmCustomer& row : result.customers) {
      row.monetary = monetary[static_cast<std::size_t>(row.customer)];
    }
  }
  if (clv) rfm_internal::AttachClvColumns(*clv, result);
  return result;
}

}  // namespace

// The one population (no `by`): the fast path. ComputeRfm(Dataset) and each
// partition of by.cpp come here.
absl::StatusOr<RfmResult> rfm_internal::ComputeWhole(const OrderLines& orders,
                                                     const RfmOptions& options) {
  return ComputeWholeOf(orders, options, nullptr);
}

absl::StatusOr<RfmResult> ComputeRfmWide(const OrderLines& orders, const RfmWideKeys& keys,
                                         const RfmOptions& options) {
  if (!options.by.empty() || options.clv.model != RfmClvModel::kNone) {
    return absl::InvalidArgumentError(
        "rfm: the wide-key scan computes one population without CLV (no by, clv_model none)");
  }
  return ComputeWholeOf(orders, options, &keys);
}

absl::StatusOr<RfmResult> ComputeRfm(const OrderLines& orders, const RfmOptions& options) {
  return ComputeRfm(Dataset::Of(orders), options);
}

}  // namespace salesight
