// RfmIncremental: metrics updated in O(batch); scores refreshed for the rows
// whose scores may have changed (refresh.hpp), else by the full pass over
// every row from the incrementally maintained histograms (scoring.hpp).
#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/rfm.hpp"
#include "internal/partial.hpp"
#include "internal/refresh.hpp"
#include "internal/relative_tiers.hpp"
#include "internal/rules.hpp"
#include "internal/scoring.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

using rfm_internal::Access;

struct RfmIncremental::Impl {
  RfmOptions options;
  RfmPartial state;
  RfmResult result;
  std::vector<std::int32_t> row_of;
  rfm_internal::ScoreHistograms hist;
  rfm_internal::ScoreIndex index;  // rows by score bucket, the cuts
  rfm_internal::CompiledRules rules;
  int threads = 1;
  // result rows [0, sorted_rows) are in ascending id; later ones were appended.
  std::size_t sorted_rows = 0;

  // Full rebuild of the result, row index and histograms from the state.
  absl::Status Rebuild() {
    SALESIGHT_ASSIGN_OR_RETURN(result, FinishRfm(state, options));
    row_of.assign(Access::acc(state).size(), -1);
    sorted_rows = result.customers.size();
    hist.Reset();
    for (std::size_t i = 0; i < result.customers.size(); ++i) {
      const RfmCustomer& row = result.customers[i];
      row_of[static_cast<std::size_t>(row.customer)] = static_cast<std::int32_t>(i);
      hist.Add(result.as_of - row.recency_days, row.frequency, row.monetary, 1);
    }
    index.Reset(result.customers, hist, result.as_of);
    return index.ResolveCuts(result.customers, hist, result.as_of, options, result.money_scale);
  }
};

RfmIncremental::RfmIncremental(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RfmIncremental::RfmIncremental(RfmIncremental&&) noexcept = default;
RfmIncremental& RfmIncremental::operator=(RfmIncremental&&) noexcept = default;
RfmIncremental::~RfmIncremental() = default;

const RfmResult& RfmIncremental::result() const { return impl_->result; }

absl::StatusOr<RfmIncremental> RfmIncremental::Create(const OrderLines& orders,
                                                      const RfmOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckNoBy(options, "RfmIncremental"));
  if (options.window_days > 0 && options.as_of == kNoDate) {
    return absl::InvalidArgumentError(
        "rfm: RfmIncremental with window_days > 0 needs an explicit as_of (a window that moves "
        "with the data cannot drop old lines from the running totals)");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->threads = rfm_internal::ResolveThreads(options.num_threads);
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckScoring(options, orders.money_scale()));
  SALESIGHT_ASSIGN_OR_RETURN(impl->rules,
                             rfm_internal::CompileSegments(options, orders.money_scale()));
  if (orders.size() == 0) {
    SALESIGHT_ASSIGN_OR_RETURN(impl->state, PartialRfm(orders, 0, 0, options));
  } else {
    SALESIGHT_ASSIGN_OR_RETURN(impl->state, rfm_internal::BuildState(orders, options));
  }
  SALESIGHT_RETURN_IF_ERROR(impl->Rebuild());
  return RfmIncremental(std::move(impl));
}

absl::Status RfmIncremental::Append(const OrderLines& batch) {
  Impl& m = *impl_;
  if (batch.money_scale() != m.result.money_scale && !m.result.customers.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm: the batch has money scale %d but the state %d", batch.money_scale(),
        m.result.money_scale));
  }
  const Day old_as_of = m.result.as_of;
  std::vector<rfm_internal::Touched> touched;
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::AppendImpl(m.state, batch, m.options, &touched));
  if (old_as_of == kNoDate) return m.Rebuild();  // the state was empty

  const Day as_of = Access::as_of(m.state) != kNoDate ? Access::as_of(m.state)
                                                      : Access::max_date(m.state) + 1;
  const RfmCustomers& acc = Access::acc(m.state);
  if (m.row_of.size() < acc.size()) m.row_of.resize(acc.size(), -1);
  RfmResult& r = m.result;
  const bool mean = m.options.aggregation == RfmAggregation::kMeanPerOrder;
  // Rows are kept relative to old_as_of until ScoreRows shifts them all.
  for (const rfm_internal::Touched& t : touched) {
    const RfmCustomer& a = acc[static_cast<std::size_t>(t.id)];
    const bool was_only_returns = t.before.recency_days == 0 && t.before.order_lines > 0;
    const bool only_returns = a.recency_days == 0 && a.order_lines > 0;
    r.counts.customers_only_returns += (only_returns ? 1 : 0) - (was_only_returns ? 1 : 0);
    if (a.recency_days == 0) continue;
    RfmCustomer row;
    const Day last = rfm_internal::LastDayOf(a.recency_days);
    row.customer = t.id;
    row.recency_days = old_as_of - last;
    row.frequency = a.frequency;
    row.first_purchase = rfm_internal::FirstDayOf(a.first_purchase);
    row.order_lines = a.order_lines;
    row.returns = a.returns;
    row.monetary = mean ? rfm_internal::RoundDiv(a.monetary, a.frequency) : a.monetary;
    std::int32_t& index = m.row_of[static_cast<std::size_t>(t.id)];
    const rfm_internal::ScoreIndex::Buckets now = rfm_internal::ScoreIndex::BucketsOf(row, old_as_of);
    if (index >= 0) {
      RfmCustomer& old = r.customers[static_cast<std::size_t>(index)];
      m.hist.Add(old_as_of - old.recency_days, old.frequency, old.monetary, -1);
      const rfm_internal::ScoreIndex::Buckets before =
          rfm_internal::ScoreIndex::BucketsOf(old, old_as_of);
      m.index.Move(static_cast<std::uint32_t>(index), t.id, &before, now);
      old = row;
      if (mean) r.totals[static_cast<std::size_t>(index)] = a.monetary;
    } else {
      index = static_cast<std::int32_t>(r.customers.size());
      r.customers.push_back(row);
      r.scores.push_back(RfmScore{});
      if (mean) r.totals.push_back(a.monetary);
      m.index.Move(static_cast<std::uint32_t>(index), t.id, nullptr, now);
    }
    m.hist.Add(last, row.frequency, row.monetary, 1);
  }
  const RfmCounts& sc = Access::counts(m.state);
  r.counts.lines = sc.lines;
  r.counts.lines_in_window = sc.lines_in_window;
  r.counts.excluded_future = sc.excluded_future;
  r.counts.excluded_before_window = sc.excluded_before_window;
  r.counts.return_lines = sc.return_lines;
  r.counts.customers = static_cast<std::int64_t>(r.customers.size());
  r.as_of = as_of;
  r.customer_codes = Access::customer_codes(m.state);
  // Ties among appended rows are sorted at every refresh; when they become
  // many, one rebuild puts all rows back in id order (amortized).
  if (r.customers.size() - m.sorted_rows > r.customers.size() / 8 + 4096) return m.Rebuild();
  SALESIGHT_ASSIGN_OR_RETURN(const bool refreshed,
                             m.index.Refresh(r, m.row_of, m.hist, old_as_of, as_of, m.options,
                                             m.rules, m.threads));
  if (refreshed) return absl::OkStatus();
  rfm_internal::RefreshCounters().full.fetch_add(1, std::memory_order_relaxed);
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::ScoreRows(r.customers, r.totals, m.hist, old_as_of,
                                                    as_of, m.options, m.rules, r.money_scale,
                                                    m.threads, m.sorted_rows, r));
  SALESIGHT_RETURN_IF_ERROR(
      m.index.ResolveCuts(r.customers, m.hist, as_of, m.options, r.money_scale));
  // Relative cuts move with the data: taken again from every row.
  if (m.options.segments == RfmSegments::kRelativeTiers) {
    SALESIGHT_RETURN_IF_ERROR(rfm_internal::ApplyRelativeTiers(m.options, r));
  }
  return absl::OkStatus();
}

}  // namespace salesight
