#include "internal/funnel_state.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/periods.hpp"

namespace salesight::internal {
namespace {

}  // namespace

void FunnelState::Init(FunnelConfig config) {
  cfg = std::move(config);
  level = 0;
  width = cfg.base_width;
  offset.assign(width.size(), 0);
  stride = 0;
  for (std::size_t c = 0; c < width.size(); ++c) {
    offset[c] = static_cast<std::int32_t>(stride);
    stride += width[c];
  }
}

void FunnelState::ReserveSlots(std::int32_t n) {
  const auto slots = static_cast<std::size_t>(n);
  // Halve before the slots exist (AddSlot would halve them all again and
  // again as they come).
  while (stride > 0 && static_cast<std::int64_t>(slots) * stride * 4 > hist_budget_bytes) {
    Shrink();
  }
  // At least doubling, as push_back would, so that slots added a few at a
  // time still cost amortized constant copies.
  auto room = [slots](auto& v, std::size_t per_slot) {
    const std::size_t need = slots * per_slot;
    if (need > v.capacity()) v.reserve(std::max(need, 2 * v.capacity()));
  };
  const auto s1 = static_cast<std::size_t>(cfg.num_stages + 1);
  const auto s0 = static_cast<std::size_t>(cfg.num_stages);
  room(keys, 1);
  room(created, 1);
  room(reach, s1);
  if (cfg.outcomes) {
    room(won, 1);
    room(lost, 1);
    room(won_amount, 1);
    room(won_top, s1);
    room(lost_top, s1);
    room(open_count, s0);
    room(open_amount, s0);
  }
  if (static_cast<std::int64_t>(slots) * stride * 4 <= hist_budget_bytes) {
    room(hist, static_cast<std::size_t>(stride));
  }
  room(long_hist, static_cast<std::size_t>(cfg.num_long_channels()));
}

std::int32_t FunnelState::AddSlot(const SlotKey& key) {
  const auto s1 = static_cast<std::size_t>(cfg.num_stages + 1);
  const auto s0 = static_cast<std::size_t>(cfg.num_stages);
  const std::int32_t slot = num_slots();
  keys.push_back(key);
  created.push_back(0);
  reach.resize(reach.size() + s1, 0);
  if (cfg.outcomes) {
    won.push_back(0);
    lost.push_back(0);
    won_amount.push_back(0);
    won_top.resize(won_top.size() + s1, 0);
    lost_top.resize(lost_top.size() + s1, 0);
    open_count.resize(open_count.size() + s0, 0);
    open_amount.resize(open_amount.size() + s0, 0);
  }
  hist.resize(hist.size() + static_cast<std::size_t>(stride), 0);
  long_hist.resize(long_hist.size() + static_cast<std::size_t>(cfg.num_long_channels()));
  while (stride > 0 && static_cast<std::int64_t>(hist.size()) * 4 > hist_budget_bytes) {
    Shrink();
  }
  return slot;
}

bool FunnelState::GrowLong(std::vector<std::uint32_t>& bins, std::int32_t value) {
  if (value < 0 || value >= kLongGrowCap) return false;
  std::size_t size = std::max<std::size_t>(bins.size(), kLongMinBins);
  while (size <= static_cast<std::size_t>(value)) size *= 2;
  const auto growth = static_cast<std::int64_t>(size - bins.size());
  if (long_bins + growth > kLongBudgetBins) return false;
  bins.resize(size, 0);
  long_bins += growth;
  return true;
}

void FunnelState::AddValue(std::int32_t slot, int channel, std::int32_t value, std::int64_t count) {
  if (channel >= cfg.num_gap_channels()) {
    std::vector<std::uint32_t>& bins = LongHist(slot, channel);
    if (value >= 0 && (static_cast<std::size_t>(value) < bins.size() || GrowLong(bins, value))) {
      std::uint32_t& bin = bins[static_cast<std::size_t>(value)];
      if (static_cast<std::uint64_t>(bin) + static_cast<std::uint64_t>(count) <=
          std::numeric_limits<std::uint32_t>::max()) {
        bin += static_cast<std::uint32_t>(count);
        return;
      }
    }
    overflow.push_back(OverflowEntry{slot, channel, value, count});
    return;
  }
  const auto ch = static_cast<std::size_t>(channel);
  if (value >= 0 && value < width[ch]) {
    std::uint32_t& bin = hist[static_cast<std::size_t>(slot * stride + offset[ch] + value)];
    // A bin that would pass 2^32 (only after merging huge partials) spills.
    if (static_cast<std::uint64_t>(bin) + static_cast<std::uint64_t>(count) <=
        std::numeric_limits<std::uint32_t>::max()) {
      bin += static_cast<std::uint32_t>(count);
      return;
    }
  }
  overflow.push_back(OverflowEntry{slot, channel, value, count});
}

void FunnelState::Shrink() {
  const int slots = num_slots();
  std::vector<std::int32_t> new_width(width.size()), new_offset(width.size());
  std::int64_t new_stride = 0;
  for (std::size_t c = 0; c < width.size(); ++c) {
    new_width[c] = width[c] / 2;
    new_offset[c] = static_cast<std::int32_t>(new_stride);
    new_stride += new_width[c];
  }
  std::vector<std::uint32_t> new_hist(static_cast<std::size_t>(new_stride * slots), 0);
  for (std::int32_t s = 0; s < slots; ++s) {
    for (std::size_t c = 0; c < width.size(); ++c) {
      const std::uint32_t* from = hist.data() + (s * stride + offset[c]);
      std::uint32_t* to = new_hist.data() + (s * new_stride + new_offset[c]);
      for (std::int32_t v = 0; v < width[c]; ++v) {
        if (from[v] == 0) continue;
        if (v < new_width[c]) {
          to[v] = from[v];
        } else {
          overflow.push_back(OverflowEntry{s, static_cast<std::int32_t>(c), v, from[v]});
        }
      }
    }
  }
  hist = std::move(new_hist);
  width = std::move(new_width);
  offset = std::move(new_offset);
  stride = new_stride;
  ++level;
}

std::string FunnelState::SlotName(std::int32_t slot) const {
  const SlotKey& k = keys[static_cast<std::size_t>(slot)];
  std::string out = "group (";
  for (std::size_t i = 0; i < cfg.keys.size(); ++i) {
    out += absl::StrFormat("%s%s %d", i ? ", " : "", cfg.keys[i], k.keys[i]);
  }
  if (cfg.period.has_value()) {
    absl::StrAppend(&out, cfg.keys.empty() ? "" : ", ", PeriodColumnName(cfg.period), " ",
                    FunnelPeriodLabel(cfg.period, PeriodStart(cfg.period, k.period)));
  }
  if (cfg.keys.empty() && !cfg.period.has_value()) out += "all";
  out += ")";
  return out;
}

void FunnelState::AddIssueExample(const FunnelDateIssue& issue) {
  if (defer_issue_cap || static_cast<std::int64_t>(issues.examples.size()) < cfg.max_issues) {
    issues.examples.push_back(issue);
  }
}

void FunnelState::SortIssueBlock(std::size_t block_start) {
  auto& ex = issues.examples;
  if (ex.size() == block_start) return;
  // Stable: a row's issues keep their order (stages first, then the cycle).
  std::stable_sort(
      ex.begin() + static_cast<std::ptrdiff_t>(block_start), ex.end(),
      [](const FunnelDateIssue& a, const FunnelDateIssue& b) { return a.row < b.row; });
  if (static_cast<std::int64_t>(ex.size()) > cfg.max_issues) {
    ex.resize(static_cast<std::size_t>(cfg.max_issues));
  }
}

}  // namespace salesight::internal
