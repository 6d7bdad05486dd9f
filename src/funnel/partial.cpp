// PartialFunnel (the one pass over the columns) and MergeFunnel.
//
// Cohort and snapshot modes (the hot path) work in blocks of rows:
//   1. the group slot of every row from the group keyer
//      (salesight/group_keyer.hpp: the period of the creation date and the
//      group dimensions' codes);
//   2. each row's set of recorded stages as a bit mask, one date column at a
//      time (a loop the compiler vectorizes);
//   3. per row: one count per (slot, mask) - stage counts, `created` and the
//      "skipped a stage" issue are derived from these after the pass - and
//      the day gaps of the reached prefix of stages into the slot's
//      histograms. Anything unusual (a gap outside the histogram, a negative
//      gap, a stage recorded after a skipped one) goes to an out-of-line slow
//      path, so the common row takes no unpredictable branch but the prefix
//      walk.
// Stage lists longer than kMaskStages use a per-stage-counter variant of the
// same pass. Activity mode is a separate, simpler loop: each event (creation,
// stage entry, win, loss) finds its own slot.
#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <limits>
#include <utility>

#include "core/internal/multiversion.hpp"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/funnel_state.hpp"
#include "internal/partial_internal.hpp"
#include "internal/periods.hpp"
#include "salesight/group_keyer.hpp"

namespace salesight {

FunnelPartial::FunnelPartial() : state_(std::make_unique<internal::FunnelState>()) {}
FunnelPartial::~FunnelPartial() = default;
FunnelPartial::FunnelPartial(FunnelPartial&&) noexcept = default;
FunnelPartial& FunnelPartial::operator=(FunnelPartial&&) noexcept = default;
std::int64_t FunnelPartial::rows() const { return state_ ? state_->rows : 0; }

namespace internal {
namespace {

// Dense slot arrays larger than this many entries switch to a hash map.
constexpr std::int64_t kMaxDenseEntries = std::int64_t{1} << 22;

// Dates as unsigned so that "recorded and not after the cut" is one compare:
// kNoDate (INT32_MIN) maps to 0, and 0 - 1 wraps to the largest value.
inline std::uint32_t DateBits(Day d) { return static_cast<std::uint32_t>(d) ^ 0x80000000u; }

// Row -> slot: the group keyer over the group dimensions and the period of
// the creation date (events of activity mode pass their own periods).
absl::StatusOr<GroupKeyer> MakeKeyer(const Dataset& data, const FunnelConfig& cfg,
                                     std::vector<DictionaryPtr>* dictionaries) {
  std::vector<DimensionColumn> dims;
  for (const std::string& name : cfg.keys) {
    SALESIGHT_ASSIGN_OR_RETURN(DimensionColumn dim, ResolveGroupKey(data, name));
    dictionaries->push_back(dim.dictionary);
    dims.push_back(std::move(dim));
  }
  std::optional<GroupPeriod> period;
  if (cfg.period) {
    period.emplace();
    period->days = data.pipeline()->columns().created.data();
    period->grain = *cfg.period;
  }
  GroupKeyerLimits limits;
  limits.max_dense_entries = kMaxDenseEntries;
  return GroupKeyer::Make(std::move(dims), period, limits);
}

// Appends the keyer's new slots to the state (same numbering).
void AddNewSlots(FunnelState& st, const GroupKeyer& keyer) {
  st.ReserveSlots(keyer.num_slots());
  for (std::int32_t s = st.num_slots(); s < keyer.num_slots(); ++s) {
    SlotKey key;
    key.period = keyer.Period(s);
    for (int j = 0; j < keyer.num_dims(); ++j) key.keys[static_cast<std::size_t>(j)] = keyer.Code(s, j);
    st.AddSlot(key);
  }
}

// Column pointers and per-slot array bases for the hot loop; re-read after
// any slot is added (vectors may move, histograms may be halved).
struct Bases {
  std::int64_t* created;
  std::int64_t* reach;
  std::uint32_t* hist;
  std::int64_t* won;
  std::int64_t* lost;
  Money* won_amount;
  std::int64_t* won_top;
  std::int64_t* lost_top;
  std::int64_t* open_count;
  Money* open_amount;
  const std::int32_t* width;
  const std::int32_t* offset;
  std::int64_t stride;
};

Bases Refresh(FunnelState& st) {
  Bases b;
  b.created = st.created.data();
  b.reach = st.reach.data();
  b.hist = st.hist.data();
  b.won = st.won.data();
  b.lost = st.lost.data();
  b.won_amount = st.won_amount.data();
  b.won_top = st.won_top.data();
  b.lost_top = st.lost_top.data();
  b.open_count = st.open_count.data();
  b.open_amount = st.open_amount.data();
  b.width = st.width.data();
  b.offset = st.offset.data();
  b.stride = st.stride;
  return b;
}

absl::Status MoneyOverflow(const FunnelState& st, std::int32_t slot, const char* what) {
  return absl::OutOfRangeError(absl::StrFormat(
      "funnel: the %s sum overflows int64 minor units in %s", what, st.SlotName(slot)));
}

// Adds one day value to (slot, channel): histogram when it fits, else the
// exact overflow list. Long channels (cycle, ages) go through AddValue, which
// grows their histograms (the vectors of long_hist, not `b`, may change).
inline void Bump(FunnelState& st, const Bases& b, std::int32_t slot, int ch, std::int32_t v) {
  if (ch >= st.cfg.num_gap_channels()) {
    std::vector<std::uint32_t>& bins = st.LongHist(slot, ch);
    if (static_cast<std::uint32_t>(v) < bins.size()) {
      ++bins[static_cast<std::size_t>(v)];
    } else {
      st.AddValue(slot, ch, v, 1);
    }
  } else if (static_cast<std::uint32_t>(v) < static_cast<std::uint32_t>(b.width[ch])) {
    ++b.hist[slot * b.stride + b.offset[ch] + v];
  } else {
    st.overflow.push_back(OverflowEntry{slot, ch, v, 1});
  }
}

struct Ctx {
  const Pipeline* pipeline;
  std::size_t begin, end;
  const FunnelConfig* cfg;
  FunnelState* st;
  GroupKeyer* keyer;
  const std::int32_t* months;
};

// The slot of a row's key at `period` when the keyer had none yet: added to
// the keyer and the state (callers then re-read their Bases).
[[gnu::noinline]] absl::StatusOr<std::int32_t> NewSlot(const Ctx& x, std::size_t row,
                                                       std::int32_t period) {
  SALESIGHT_ASSIGN_OR_RETURN(const std::int32_t slot, x.keyer->Add(row, period));
  AddNewSlots(*x.st, *x.keyer);
  return slot;
}

// Period ordinals of a block of dates (the grain's switch hoisted out).
void PeriodsOf(const std::optional<Grain>& grain, const std::int32_t* months,
               const Day* __restrict day, std::size_t n, std::int32_t* __restrict out) {
  const int fiscal = grain ? grain->fiscal_start_month : 1;
  WithPeriodUnit(grain, [&](auto unit) {
    for (std::size_t k = 0; k < n; ++k) out[k] = FunnelPeriodOf<unit()>(months, day[k], fiscal);
  });
}

[[gnu::noinline]] void ReportBackwards(FunnelState& st, std::size_t row, std::int64_t opp,
                                       int stage, int prev_stage, Day date, Day prev_date) {
  ++st.issues.backwards_dates;
  st.AddIssueExample(FunnelDateIssue{row, opp, stage, prev_stage, date, prev_date});
}

// Out of the hot loop: a gap that does not fit the histogram.
[[gnu::noinline]] void OddGap(FunnelState& st, std::int32_t slot, int ch, std::int32_t gap,
                              bool include_backwards) {
  if (gap < 0 && !include_backwards) return;
  st.overflow.push_back(OverflowEntry{slot, ch, gap, 1});
}

// Per-stage counters, for stage lists longer than kMaskStages.
template <bool kOutcomes, bool kImplied>
absl::Status CohortPerStage(const Ctx& x) {
  const FunnelConfig& cfg = *x.cfg;
  FunnelState& st = *x.st;
  const PipelineColumns& c = x.pipeline->columns();
  const int S = cfg.num_stages;
  const std::size_t S1 = static_cast<std::size_t>(S) + 1;
  const Day* stage[kMaxFunnelStages];
  for (int s = 0; s < S; ++s) stage[s] = c.stage_dates[static_cast<std::size_t>(s)].data();
  const Day* created = c.created.data();
  const std::int64_t* opp = c.opportunity.data();
  const Day* lost_date = cfg.has_lost ? c.lost_date.data() : nullptr;
  const Money* amount = cfg.has_amount ? c.amount.data() : nullptr;
  const Day lo = cfg.lo, hi = cfg.hi, main_from = cfg.main_from;
  const std::int32_t main_first = cfg.main_first_period;
  const bool widened = cfg.widened;
  const std::uint32_t cut_bits = DateBits(cfg.cut);
  const std::optional<Grain> period_grain = cfg.period;
  const int w = cfg.won_stage;
  const bool include_backwards = cfg.include_backwards;
  Bases b = Refresh(st);
  std::int64_t skipped = 0, won_and_lost = 0;

  for (std::size_t i = x.begin; i < x.end; ++i) {
    const Day cr = created[i];
    if (cr < lo || cr > hi) continue;
    const std::int32_t period = PeriodOrdinal(period_grain, cr);
    const bool in_main = cr >= main_from;
    if (widened && !in_main && period >= main_first) continue;
    std::int32_t slot = x.keyer->Find(i, period);
    if (slot < 0) {
      SALESIGHT_ASSIGN_OR_RETURN(slot, NewSlot(x, i, period));
      b = Refresh(st);
    }
    ++b.created[slot];
    std::int64_t* reach = b.reach + static_cast<std::size_t>(slot) * S1;
    std::uint32_t* h = b.hist + slot * b.stride;

    std::uint32_t mask = 0;
    Day last = std::numeric_limits<Day>::min();
    int last_stage = -1;
    Day prev = 0;
    std::uint32_t prev_rec = 0;
    for (int s = 0; s < S; ++s) {
      const Day d = stage[s][i];
      const std::uint32_t rec = (DateBits(d) - 1u) < cut_bits ? 1u : 0u;
      if constexpr (!kImplied) reach[s] += rec;
      mask |= rec << s;
      if (s > 0) {
        const int ch = s - 1;
        const std::uint32_t valid = rec & prev_rec;
        const std::uint32_t g = static_cast<std::uint32_t>(d) - static_cast<std::uint32_t>(prev);
        const std::uint32_t in = valid & (g < static_cast<std::uint32_t>(b.width[ch]) ? 1u : 0u);
        h[b.offset[ch] + (in ? g : 0u)] += in;
        if (valid & ~in) [[unlikely]] {
          OddGap(st, slot, ch, static_cast<std::int32_t>(g), include_backwards);
        }
      }
      if (rec & (d < last ? 1u : 0u)) [[unlikely]] {
        if (in_main) ReportBackwards(st, i, opp[i], s, last_stage, d, last);
      }
      last = rec ? d : last;
      last_stage = rec ? s : last_stage;
      prev = d;
      prev_rec = rec;
    }
    const int L = mask != 0 ? 31 - std::countl_zero(mask) : -1;
    if constexpr (kImplied) ++reach[L + 1];
    skipped += (in_main && (mask & (mask + 1)) != 0) ? 1 : 0;

    if constexpr (kOutcomes) {
      const bool won_rec = ((mask >> w) & 1u) != 0;
      const bool won = kImplied ? L >= w : won_rec;
      const bool lost_any = lost_date != nullptr && (DateBits(lost_date[i]) - 1u) < cut_bits;
      const std::size_t top = static_cast<std::size_t>(slot) * S1 + static_cast<std::size_t>(L + 1);
      if (won) {
        ++b.won[slot];
        ++b.won_top[top];
        if (amount != nullptr && !AddMoney(b.won_amount[slot], amount[i], &b.won_amount[slot])) {
          return MoneyOverflow(st, slot, "won amount");
        }
        if (lost_any && in_main) ++won_and_lost;
        if (won_rec) {
          const std::int32_t cycle = stage[w][i] - cr;
          if (cycle < 0) {
            if (in_main) ReportBackwards(st, i, opp[i], w, -1, stage[w][i], cr);
            if (include_backwards) Bump(st, b, slot, cfg.cycle_channel(), cycle);
          } else {
            Bump(st, b, slot, cfg.cycle_channel(), cycle);
          }
        }
      } else if (lost_any) {
        ++b.lost[slot];
        ++b.lost_top[top];
      } else if (mask != 0) {
        const std::size_t at = static_cast<std::size_t>(slot) * static_cast<std::size_t>(S) +
                               static_cast<std::size_t>(L);
        ++b.open_count[at];
        if (amount != nullptr && !AddMoney(b.open_amount[at], amount[i], &b.open_amount[at])) {
          return MoneyOverflow(st, slot, "open amount");
        }
        if (cfg.ages) Bump(st, b, slot, cfg.age_channel(L), cfg.cut - stage[L][i]);
      }
    }
  }
  st.issues.skipped_stage += skipped;
  st.issues.won_and_lost += won_and_lost;
  return absl::OkStatus();
}

// Rows of up to kMaskStages stages take the fast kernel below: one count per
// (slot, set of recorded stages) instead of one per stage, from which the
// stage counts (implied or as recorded) and the "skipped a stage" issue are
// derived after the pass.
constexpr int kMaskStages = 8;

// Rare per-row work of the fast kernel: a consecutive gap outside [0, W)
// (too large: exact overflow list; negative: backwards), and backwards dates
// between non-consecutive recorded stages (only possible when a stage was
// skipped). Reports come in stage order.
// `prefix`: stages 0..prefix-1 are recorded and their in-range gaps were
// already counted by the caller; every other consecutive gap is counted here.
[[gnu::noinline]] void SlowRow(FunnelState& st, const FunnelConfig& cfg, const PipelineColumns& c,
                               std::size_t i, std::int32_t slot, std::uint32_t mask,
                               std::uint32_t width, bool in_main, int prefix) {
  const int S = cfg.num_stages;
  Day last = kNoDate;
  int last_stage = -1;
  for (int s = 0; s < S; ++s) {
    if (((mask >> s) & 1u) == 0) continue;
    const Day d = c.stage_dates[static_cast<std::size_t>(s)][i];
    if (last_stage == s - 1 && s > 0) {
      const std::int32_t g = d - last;
      const bool counted = s < prefix && static_cast<std::uint32_t>(g) < width;
      if (!counted && (g >= 0 || cfg.include_backwards)) {
        if (static_cast<std::uint32_t>(g) < width) {
          ++st.hist[static_cast<std::size_t>(slot * st.stride +
                                             st.offset[static_cast<std::size_t>(s - 1)] + g)];
        } else {
          st.overflow.push_back(OverflowEntry{slot, s - 1, g, 1});
        }
      }
    }
    if (last_stage >= 0 && d < last && in_main) {
      ReportBackwards(st, i, c.opportunity[i], s, last_stage, d, last);
    }
    last = d;
    last_stage = s;
  }
}


// mbits[k] |= (col[k] recorded) << s. Separate and restrict-qualified so the
// compiler vectorizes it (Day and uint32 could otherwise alias); cloned for
// AVX2 (8 lanes instead of SSE2's 4), picked at load time.
[[gnu::noinline]] SALESIGHT_AVX2_CLONES void OrRecordedBit(const Day* __restrict col,
                                                           std::uint32_t* __restrict mbits,
                                                           std::size_t n, std::uint32_t cut_bits,
                                                           int s) {
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t rec = (DateBits(col[k]) - 1u) < cut_bits ? 1u : 0u;
    mbits[k] |= rec << s;
  }
}

// kS: the stage count when known at compile time (the loop unrolls), else 0.
template <int kS, bool kOutcomes>
absl::Status CohortMasked(const Ctx& x) {
  const FunnelConfig& cfg = *x.cfg;
  FunnelState& st = *x.st;
  const PipelineColumns& c = x.pipeline->columns();
  const int S = kS > 0 ? kS : cfg.num_stages;
  const std::size_t S1 = static_cast<std::size_t>(S) + 1;
  const Day* stage[kMaskStages] = {};
  for (int s = 0; s < S; ++s) stage[s] = c.stage_dates[static_cast<std::size_t>(s)].data();
  const Day* created = c.created.data();
  const std::int64_t* opp = c.opportunity.data();
  const Day* lost_date = cfg.has_lost ? c.lost_date.data() : nullptr;
  const Money* amount = cfg.has_amount ? c.amount.data() : nullptr;
  const Day lo = cfg.lo, hi = cfg.hi, main_from = cfg.main_from;
  const std::int32_t main_first = cfg.main_first_period;
  const bool widened = cfg.widened;
  const std::uint32_t cut_bits = DateBits(cfg.cut);
  const std::optional<Grain> period_grain = cfg.period;
  const int w = cfg.won_stage;
  const bool include_backwards = cfg.include_backwards;
  const int shift = S;  // mask counts per slot: 2^S
  // 32-bit: a partial covers at most kMaxPartialRows rows.
  std::vector<std::uint32_t> masks;
  Bases b = Refresh(st);
  // Gap channels 0..S-2 all have the same width (they are halved together).
  auto gap_width = [&] { return S > 1 ? static_cast<std::uint32_t>(b.width[0]) : 0u; };
  std::uint32_t W = gap_width();
  std::int64_t won_and_lost = 0;

  // Blocks of kBlock rows (4096: measured best between 512 and 16384 - long
  // enough runs per column for the prefetchers, small enough for L2):
  // (1) scope and slot per row; (2) the recorded-stage
  // mask, one date column at a time (a plain loop the compiler vectorizes);
  // (3) per row, counts and the gaps of the reached prefix of stages (most
  // opportunities stop early, so this walks ~1-2 gaps instead of S - 1).
  constexpr std::size_t kBlock = 4096;
  const bool bounded =
      lo != std::numeric_limits<Day>::min() || hi != std::numeric_limits<Day>::max() || widened;
  // Per-block scratch (~90 KB: on the heap, not on a possibly small thread
  // stack), no larger than the rows (a small call zeroes no more than it uses).
  const std::size_t cap = std::min(kBlock, x.end - x.begin);
  std::vector<std::int32_t> slots_buf(cap), periods_buf(cap);
  std::vector<std::uint32_t> mbits_buf(cap);
  std::vector<std::uint16_t> gap_rows_buf(cap), odd_rows_buf(2 * cap);
  std::int32_t* const slots = slots_buf.data();
  std::int32_t* const periods = periods_buf.data();
  std::uint32_t* const mbits = mbits_buf.data();
  std::uint16_t* const gap_rows = gap_rows_buf.data();
  std::uint16_t* const odd_rows = odd_rows_buf.data();

  st.defer_issue_cap = true;  // SlowRow and the outcomes loop report out of row order
  for (std::size_t block = x.begin; block < x.end; block += kBlock) {
    const std::size_t n = std::min(kBlock, x.end - block);
    const std::size_t issues_before = st.issues.examples.size();
    const Day* cr_block = created + block;
    if (bounded) {
      // Out of scope: not grouped (kSkip).
      PeriodsOf(period_grain, x.months, cr_block, n, periods);
      for (std::size_t k = 0; k < n; ++k) {
        const Day cr = cr_block[k];
        const bool in =
            cr >= lo && cr <= hi && !(widened && cr < main_from && periods[k] >= main_first);
        periods[k] = in ? periods[k] : GroupKeyer::kSkipRow;
      }
      SALESIGHT_RETURN_IF_ERROR(x.keyer->SlotsOfPeriods(block, block + n, periods, slots));
    } else {
      SALESIGHT_RETURN_IF_ERROR(x.keyer->Slots(block, block + n, slots));
    }
    if (x.keyer->num_slots() > st.num_slots()) [[unlikely]] {
      AddNewSlots(st, *x.keyer);
      b = Refresh(st);
      W = gap_width();
      masks.resize(static_cast<std::size_t>(st.num_slots()) << shift, 0);
    }
    for (std::size_t k = 0; k < n; ++k) mbits[k] = 0;
    for (int s = 0; s < S; ++s) OrRecordedBit(stage[s] + block, mbits, n, cut_bits, s);
    // 3a. One count per row; the rows with a gap to record (stages 0 and 1
    // both recorded) are listed without branches, holes (a stage recorded
    // after a missing one) only noticed, then listed in a rare second scan.
    std::size_t n_gap = 0, n_odd = 0;
    std::uint32_t holes = 0;
    if (bounded) {
      for (std::size_t k = 0; k < n; ++k) {
        const std::int32_t slot = slots[k];
        const std::uint32_t m = slot < 0 ? 0u : mbits[k];
        mbits[k] = m;  // out of scope: no stage, no gap, no hole
        if (slot >= 0) ++masks[(static_cast<std::size_t>(slot) << shift) | m];
        gap_rows[n_gap] = static_cast<std::uint16_t>(k);
        n_gap += (m & 3u) == 3u ? 1 : 0;
        holes |= m & (m + 1);
      }
    } else {
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t m = mbits[k];
        ++masks[(static_cast<std::size_t>(slots[k]) << shift) | m];  // also yields `created`
        gap_rows[n_gap] = static_cast<std::uint16_t>(k);
        n_gap += (m & 3u) == 3u ? 1 : 0;
        holes |= m & (m + 1);
      }
    }
    if (holes != 0) [[unlikely]] {
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t m = mbits[k];
        if ((m & (m + 1)) != 0) odd_rows[n_odd++] = static_cast<std::uint16_t>(k);
      }
    }
    // 3b. Gaps of the reached prefix: stages 0..P-1 are recorded, so the gaps
    // into 1..P-1 are between consecutive stages.
    const std::size_t n_hole = n_odd;
    for (std::size_t j = 0; j < n_gap; ++j) {
      const std::size_t k = gap_rows[j];
      const std::size_t i = block + k;
      const std::uint32_t m = mbits[k];
      const int P = std::countr_one(m);
      std::uint32_t* h = b.hist + slots[k] * b.stride;
      bool out_of_range = false;
      Day dp = stage[0][i];
      for (int s = 1; s < P; ++s) {
        const Day d = stage[s][i];
        const auto g = static_cast<std::uint32_t>(d - dp);
        if (g < W) {
          ++h[static_cast<std::uint32_t>(s - 1) * W + g];
        } else {
          out_of_range = true;
        }
        dp = d;
      }
      if (out_of_range && (m & (m + 1)) == 0) [[unlikely]] {
        odd_rows[n_odd++] = static_cast<std::uint16_t>(k);
      }
    }
    // 3c. The rare rows: negative or too large gaps, holes (in row order, so
    // the issue examples come in row order).
    if (n_odd != 0) [[unlikely]] {
      if (n_odd != n_hole) std::sort(odd_rows, odd_rows + n_odd);
      for (std::size_t j = 0; j < n_odd; ++j) {
        const std::size_t k = odd_rows[j];
        const std::size_t i = block + k;
        SlowRow(st, cfg, c, i, slots[k], mbits[k], W, created[i] >= main_from,
                std::countr_one(mbits[k]));
      }
    }
    if constexpr (kOutcomes) {
      for (std::size_t k = 0; k < n; ++k) {
        const std::int32_t slot = slots[k];
        if (slot < 0) continue;
        const std::size_t i = block + k;
        const std::uint32_t m = mbits[k];
        const Day cr = created[i];
        const int L = m != 0 ? 31 - std::countl_zero(m) : -1;
        const bool in_main = cr >= main_from;
        const bool won_rec = ((m >> w) & 1u) != 0;
        const bool won = cfg.implied ? L >= w : won_rec;
        const bool lost_any = lost_date != nullptr && (DateBits(lost_date[i]) - 1u) < cut_bits;
        const std::size_t top =
            static_cast<std::size_t>(slot) * S1 + static_cast<std::size_t>(L + 1);
        if (won) {
          ++b.won[slot];
          ++b.won_top[top];
          if (amount != nullptr && !AddMoney(b.won_amount[slot], amount[i], &b.won_amount[slot])) {
            return MoneyOverflow(st, slot, "won amount");
          }
          if (lost_any && in_main) ++won_and_lost;
          if (won_rec) {
            const std::int32_t cycle = stage[w][i] - cr;
            if (cycle < 0) {
              if (in_main) ReportBackwards(st, i, opp[i], w, -1, stage[w][i], cr);
              if (include_backwards) Bump(st, b, slot, cfg.cycle_channel(), cycle);
            } else {
              Bump(st, b, slot, cfg.cycle_channel(), cycle);
            }
          }
        } else if (lost_any) {
          ++b.lost[slot];
          ++b.lost_top[top];
        } else if (m != 0) {
          const std::size_t at = static_cast<std::size_t>(slot) * static_cast<std::size_t>(S) +
                                 static_cast<std::size_t>(L);
          ++b.open_count[at];
          if (amount != nullptr && !AddMoney(b.open_amount[at], amount[i], &b.open_amount[at])) {
            return MoneyOverflow(st, slot, "open amount");
          }
          if (cfg.ages) Bump(st, b, slot, cfg.age_channel(L), cfg.cut - stage[L][i]);
        }
      }
    }
    st.SortIssueBlock(issues_before);
  }
  st.defer_issue_cap = false;

  // Mask counts -> stage counts (implied: by furthest stage; recorded: per
  // stage) and opportunities with a skipped stage (main periods only).
  const auto patterns = static_cast<std::uint32_t>(1) << shift;
  for (std::int32_t slot = 0; slot < st.num_slots(); ++slot) {
    const bool main = !widened || st.keys[static_cast<std::size_t>(slot)].period >= main_first;
    std::int64_t* reach = &st.reach[static_cast<std::size_t>(slot) * S1];
    for (std::uint32_t m = 0; m < patterns; ++m) {
      const std::int64_t n = masks[(static_cast<std::size_t>(slot) << shift) | m];
      if (n == 0) continue;
      st.created[static_cast<std::size_t>(slot)] += n;
      if (cfg.implied) {
        const int L = m != 0 ? 31 - std::countl_zero(m) : -1;
        reach[L + 1] += n;
      } else {
        for (int s = 0; s < S; ++s) reach[s] += ((m >> s) & 1u) ? n : 0;
      }
      if (main && (m & (m + 1)) != 0) st.issues.skipped_stage += n;
    }
  }
  st.issues.won_and_lost += won_and_lost;
  return absl::OkStatus();
}

// Activity mode: every event finds its own slot (the period of its date).
absl::Status ActivityKernel(const Ctx& x) {
  const FunnelConfig& cfg = *x.cfg;
  FunnelState& st = *x.st;
  const PipelineColumns& c = x.pipeline->columns();
  const int S = cfg.num_stages;
  const std::size_t S1 = static_cast<std::size_t>(S) + 1;
  const Day* created = c.created.data();
  const Day* lost_date = cfg.has_lost ? c.lost_date.data() : nullptr;
  const Money* amount = cfg.has_amount ? c.amount.data() : nullptr;
  const int w = cfg.won_stage;
  Bases b = Refresh(st);
  Day dates[kMaxFunnelStages];

  // Slot of an event dated `d`, or -1 when outside the window (or when a
  // slot could not be added: `error`, checked per row).
  absl::Status error;
  auto event_slot = [&](Day d, std::size_t row) -> std::int32_t {
    if (d < cfg.lo || d > cfg.hi) return -1;
    const std::int32_t period = PeriodOrdinal(cfg.period, d);
    if (cfg.widened && d < cfg.main_from && period >= cfg.main_first_period) return -1;
    std::int32_t slot = x.keyer->Find(row, period);
    if (slot < 0) {
      absl::StatusOr<std::int32_t> added = NewSlot(x, row, period);
      if (!added.ok()) {
        error = added.status();
        return -1;
      }
      slot = *added;
      b = Refresh(st);
    }
    return slot;
  };
  auto in_main = [&](Day d) { return d >= cfg.main_from && d >= cfg.lo && d <= cfg.hi; };

  for (std::size_t i = x.begin; i < x.end; ++i) {
    std::uint32_t mask = 0;
    for (int s = 0; s < S; ++s) {
      const Day d = c.stage_dates[static_cast<std::size_t>(s)][i];
      const bool rec = d != kNoDate && d <= cfg.cut;
      dates[s] = rec ? d : kNoDate;
      mask |= (rec ? 1u : 0u) << s;
    }
    const int L = mask != 0 ? 31 - std::countl_zero(mask) : -1;
    bool any_main = in_main(created[i]);

    if (const std::int32_t slot = event_slot(created[i], i); slot >= 0) ++b.created[slot];
    for (int s = 0; s < S; ++s) {
      if (dates[s] == kNoDate) continue;
      any_main = any_main || in_main(dates[s]);
      const std::int32_t slot = event_slot(dates[s], i);
      if (slot < 0) continue;
      ++b.reach[static_cast<std::size_t>(slot) * S1 + static_cast<std::size_t>(s)];
      if (s > 0 && dates[s - 1] != kNoDate) {
        const std::int32_t gap = dates[s] - dates[s - 1];
        if (gap >= 0 || cfg.include_backwards) Bump(st, b, slot, s - 1, gap);
      }
    }

    bool won = false;
    bool lost_any = false;
    if (cfg.outcomes) {
      const bool won_rec = dates[w] != kNoDate;
      won = cfg.implied ? L >= w : won_rec;
      lost_any = lost_date != nullptr && lost_date[i] != kNoDate && lost_date[i] <= cfg.cut;
      if (won_rec) {
        any_main = any_main || in_main(dates[w]);
        if (const std::int32_t slot = event_slot(dates[w], i); slot >= 0) {
          ++b.won[slot];
          ++b.won_top[static_cast<std::size_t>(slot) * S1 + static_cast<std::size_t>(L + 1)];
          if (amount != nullptr && !AddMoney(b.won_amount[slot], amount[i], &b.won_amount[slot])) {
            return MoneyOverflow(st, slot, "won amount");
          }
          const std::int32_t cycle = dates[w] - created[i];
          if (cycle >= 0 || cfg.include_backwards) Bump(st, b, slot, cfg.cycle_channel(), cycle);
        }
      }
      if (!won && lost_any) {
        any_main = any_main || in_main(lost_date[i]);
        if (const std::int32_t slot = event_slot(lost_date[i], i); slot >= 0) {
          ++b.lost[slot];
          ++b.lost_top[static_cast<std::size_t>(slot) * S1 + static_cast<std::size_t>(L + 1)];
        }
      }
    }

    if (!error.ok()) return error;
    if (!any_main) continue;
    // Issues of opportunities with an event in the window.
    if ((mask & (mask + 1)) != 0) ++st.issues.skipped_stage;
    if (won && lost_any) ++st.issues.won_and_lost;
    Day last = kNoDate;
    int last_stage = -1;
    for (int s = 0; s < S; ++s) {
      if (dates[s] == kNoDate) continue;
      if (last != kNoDate && dates[s] < last) {
        ReportBackwards(st, i, c.opportunity[i], s, last_stage, dates[s], last);
      }
      last = dates[s];
      last_stage = s;
    }
    if (cfg.outcomes && dates[w] != kNoDate && dates[w] < created[i]) {
      ReportBackwards(st, i, c.opportunity[i], w, -1, dates[w], created[i]);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FunnelPartial> PartialWithConfig(const Dataset& data, std::size_t begin,
                                                std::size_t end, const FunnelConfig& cfg,
                                                std::int64_t hist_budget_bytes) {
  const Pipeline& pipeline = *data.pipeline();
  if (begin > end || end > pipeline.size()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("funnel: row range [%d, %d) is not inside the pipeline's %d rows", begin,
                        end, pipeline.size()));
  }
  if (end - begin > kMaxPartialRows) {
    // Histogram bins are 32-bit: one partial covers at most 2^32 - 1 rows.
    return absl::InvalidArgumentError(absl::StrFormat(
        "funnel: a partial covers at most %d rows; split [%d, %d) into smaller ranges",
        kMaxPartialRows, begin, end));
  }
  FunnelPartial partial;
  FunnelState& st = partial.state();
  st.Init(cfg);
  st.rows = static_cast<std::int64_t>(end - begin);
  st.hist_budget_bytes = hist_budget_bytes;
  SALESIGHT_ASSIGN_OR_RETURN(GroupKeyer keyer, MakeKeyer(data, cfg, &st.key_dicts));
  st.opportunity_codes = pipeline.columns().opportunities;
  Ctx x{&pipeline, begin, end, &cfg, &st, &keyer, MonthOrdinalTable()};
  absl::Status status;
  if (cfg.mode == FunnelMode::kActivity) {
    status = ActivityKernel(x);
  } else if (cfg.num_stages > kMaskStages) {
    // Long stage lists: per-stage counters (2^S mask counts would not fit).
    if (cfg.outcomes) {
      status = cfg.implied ? CohortPerStage<true, true>(x) : CohortPerStage<true, false>(x);
    } else {
      status = cfg.implied ? CohortPerStage<false, true>(x) : CohortPerStage<false, false>(x);
    }
  } else if (cfg.num_stages == 6) {
    status = cfg.outcomes ? CohortMasked<6, true>(x) : CohortMasked<6, false>(x);
  } else {
    status = cfg.outcomes ? CohortMasked<0, true>(x) : CohortMasked<0, false>(x);
  }
  if (!status.ok()) return status;
  return partial;
}

absl::Status MergeStates(FunnelState& a, const FunnelState& b) {
  if (!(a.cfg == b.cfg)) {
    return absl::InvalidArgumentError(
        "funnel: cannot merge partials computed with different options or stage lists");
  }
  const auto S = static_cast<std::size_t>(a.cfg.num_stages);
  const std::size_t S1 = S + 1;
  while (a.level < b.level) a.Shrink();

  absl::flat_hash_map<SlotKey, std::int32_t> index;
  index.reserve(static_cast<std::size_t>(a.num_slots() + b.num_slots()));
  for (std::int32_t s = 0; s < a.num_slots(); ++s) {
    index.emplace(a.keys[static_cast<std::size_t>(s)], s);
  }
  std::vector<std::int32_t> remap(static_cast<std::size_t>(b.num_slots()));
  for (std::int32_t s = 0; s < b.num_slots(); ++s) {
    const SlotKey& key = b.keys[static_cast<std::size_t>(s)];
    auto [it, inserted] = index.try_emplace(key, 0);
    if (inserted) it->second = a.AddSlot(key);
    remap[static_cast<std::size_t>(s)] = it->second;
  }

  for (std::int32_t sb = 0; sb < b.num_slots(); ++sb) {
    const std::int32_t sa = remap[static_cast<std::size_t>(sb)];
    const auto ua = static_cast<std::size_t>(sa), ub = static_cast<std::size_t>(sb);
    a.created[ua] += b.created[ub];
    for (std::size_t j = 0; j < S1; ++j) a.reach[ua * S1 + j] += b.reach[ub * S1 + j];
    if (a.cfg.outcomes) {
      a.won[ua] += b.won[ub];
      a.lost[ua] += b.lost[ub];
      if (!AddMoney(a.won_amount[ua], b.won_amount[ub], &a.won_amount[ua])) {
        return absl::OutOfRangeError(absl::StrFormat(
            "funnel: the won amount sum overflows int64 minor units in %s", a.SlotName(sa)));
      }
      for (std::size_t j = 0; j < S1; ++j) {
        a.won_top[ua * S1 + j] += b.won_top[ub * S1 + j];
        a.lost_top[ua * S1 + j] += b.lost_top[ub * S1 + j];
      }
      for (std::size_t j = 0; j < S; ++j) {
        a.open_count[ua * S + j] += b.open_count[ub * S + j];
        if (!AddMoney(a.open_amount[ua * S + j], b.open_amount[ub * S + j],
                      &a.open_amount[ua * S + j])) {
          return absl::OutOfRangeError(absl::StrFormat(
              "funnel: the open amount sum overflows int64 minor units in %s", a.SlotName(sa)));
        }
      }
    }
    for (int ch = a.cfg.num_gap_channels(); ch < a.cfg.num_channels; ++ch) {
      std::vector<std::uint32_t>& to = a.LongHist(sa, ch);
      const std::vector<std::uint32_t>& from = b.LongHist(sb, ch);
      if (from.size() > to.size()) {
        a.GrowLong(to, static_cast<std::int32_t>(from.size()) - 1);
      }
      const std::size_t common = std::min(to.size(), from.size());
      for (std::size_t v = 0; v < common; ++v) {
        const std::uint32_t sum = to[v] + from[v];
        if (sum < to[v]) [[unlikely]] {  // would pass 2^32: spill
          a.overflow.push_back(OverflowEntry{sa, ch, static_cast<std::int32_t>(v), from[v]});
        } else {
          to[v] = sum;
        }
      }
      for (std::size_t v = common; v < from.size(); ++v) {
        if (from[v] != 0) a.AddValue(sa, ch, static_cast<std::int32_t>(v), from[v]);
      }
    }
    if (a.level == b.level) {
      // Same layout: add the slot's bins at once; a bin passing 2^32 (only
      // after merging huge partials) keeps its old count and spills the rest.
      std::uint32_t* to = a.hist.data() + sa * a.stride;  // stride may be 0
      const std::uint32_t* from = b.hist.data() + sb * b.stride;
      bool wrapped = false;
      for (std::int64_t j = 0; j < a.stride; ++j) {
        const std::uint32_t sum = to[j] + from[j];
        wrapped |= sum < to[j];
        to[j] = sum;
      }
      if (wrapped) [[unlikely]] {
        for (std::size_t ch = 0; ch < a.width.size(); ++ch) {
          for (std::int32_t v = 0; v < a.width[ch]; ++v) {
            std::uint32_t& bin = to[a.offset[ch] + v];
            const std::uint32_t add = from[b.offset[ch] + v];
            if (bin < add) {  // wrapped: undo, keep the old count, spill the addition
              bin -= add;
              a.overflow.push_back(
                  OverflowEntry{sa, static_cast<std::int32_t>(ch), v, std::int64_t{add}});
            }
          }
        }
      }
    } else {
      for (std::size_t ch = 0; ch < b.width.size(); ++ch) {
        const std::uint32_t* bins = b.hist.data() + (sb * b.stride + b.offset[ch]);
        for (std::int32_t v = 0; v < b.width[ch]; ++v) {
          if (bins[v] != 0) a.AddValue(sa, static_cast<int>(ch), v, bins[v]);
        }
      }
    }
  }
  for (const OverflowEntry& e : b.overflow) {
    a.AddValue(remap[static_cast<std::size_t>(e.slot)], e.channel, e.value, e.count);
  }

  a.rows += b.rows;
  for (std::size_t k = 0; k < a.key_dicts.size() && k < b.key_dicts.size(); ++k) {
    if (!a.key_dicts[k]) a.key_dicts[k] = b.key_dicts[k];
  }
  if (!a.opportunity_codes) a.opportunity_codes = b.opportunity_codes;
  a.issues.backwards_dates += b.issues.backwards_dates;
  a.issues.skipped_stage += b.issues.skipped_stage;
  a.issues.won_and_lost += b.issues.won_and_lost;
  // Row ranges of partials do not overlap, so merging by row (stable) keeps
  // each row's examples in their order and gives the first N overall.
  std::vector<FunnelDateIssue> merged;
  merged.reserve(a.issues.examples.size() + b.issues.examples.size());
  std::merge(a.issues.examples.begin(), a.issues.examples.end(), b.issues.examples.begin(),
             b.issues.examples.end(), std::back_inserter(merged),
             [](const FunnelDateIssue& x, const FunnelDateIssue& y) { return x.row < y.row; });
  if (static_cast<std::int64_t>(merged.size()) > a.cfg.max_issues) {
    merged.resize(static_cast<std::size_t>(a.cfg.max_issues));
  }
  a.issues.examples = std::move(merged);
  return absl::OkStatus();
}

}  // namespace internal

absl::StatusOr<FunnelPartial> PartialFunnel(const Dataset& data, std::size_t begin,
                                            std::size_t end, const FunnelOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(internal::FunnelConfig cfg, internal::MakeFunnelConfig(data, options));
  return internal::PartialWithConfig(data, begin, end, cfg);
}

void OffsetFunnelRows(FunnelPartial& partial, std::size_t first_row) {
  for (FunnelDateIssue& e : partial.state().issues.examples) e.row += first_row;
}

absl::StatusOr<FunnelPartial> PartialFunnel(const Pipeline& pipeline, std::size_t begin,
                                            std::size_t end, const FunnelOptions& options) {
  return PartialFunnel(Dataset::Of(pipeline), begin, end, options);
}

absl::Status MergeFunnel(FunnelPartial& into, const FunnelPartial& from) {
  if (!into.valid() || !from.valid() || into.state().cfg.num_stages == 0 ||
      from.state().cfg.num_stages == 0) {
    return absl::InvalidArgumentError("funnel: MergeFunnel needs partials from PartialFunnel");
  }
  return internal::MergeStates(into.state(), from.state());
}

}  // namespace salesight
