// FunnelPartial <-> bytes (format in include/salesight/partial_state.hpp).
// Written: the whole FunnelConfig (two partials merge only when their configs
// are equal, so it is the "options that must match"), the histogram halving
// level (the layout is re-derived from it, never trusted), then per slot its
// key, counters, gap bins and long histograms, the overflow list and the
// issue counters/examples. Key dictionaries are not written.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "core/internal/byte_io.hpp"
#include "core/internal/partial_header.hpp"
#include "internal/funnel_state.hpp"
#include "internal/periods.hpp"
#include "salesight/partial_state.hpp"

namespace salesight {
namespace {

using internal::FunnelConfig;
using internal::FunnelState;

// Halvings of the gap bins until they are gone (256 -> 0).
constexpr int kMaxLevel = 9;

template <typename T>
void PutArray(byte_io::Writer& w, const std::vector<T>& v) {
  for (const T& x : v) w.Put(x);
}

template <typename T>
absl::Status GetArray(byte_io::Reader& r, std::vector<T>* v, std::size_t n, const char* field) {
  if (n > r.remaining() / sizeof(T)) return r.Truncated(field, n * sizeof(T));
  v->resize(n);
  for (std::size_t i = 0; i < n; ++i) SALESIGHT_BIO(r.Get(&(*v)[i], field));
  return absl::OkStatus();
}

template <typename T>
absl::Status NonNegative(byte_io::Reader& r, std::size_t at, const std::vector<T>& v,
                         const char* field) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 0 || v[i] > kMaxSerializedCount) {
      return r.ErrorAt(at, absl::StrFormat("%s[%d] = %d is outside 0..2^40", field, i, v[i]));
    }
  }
  return absl::OkStatus();
}

void WriteConfig(byte_io::Writer& w, const FunnelConfig& c) {
  w.Put<std::int32_t>(c.num_stages);
  for (const std::string& s : c.stage_names) w.PutString(s);
  w.Put<std::int32_t>(c.won_stage);
  w.Put<std::int32_t>(c.qualified_stage);
  w.Put(c.mode);
  // 0 = no period, else GrainToByte + 1 (the v1 bytes of day..year unchanged).
  w.Put(static_cast<std::uint8_t>(c.period ? GrainToByte(*c.period) + 1 : 0));
  w.Put(c.compare);
  w.Put<std::uint64_t>(c.keys.size());
  for (const std::string& k : c.keys) w.PutString(k);
  for (std::int32_t v : {c.lo, c.hi, c.main_from, c.main_first_period, c.as_of, c.cut}) w.Put(v);
  for (bool b : {c.widened, c.implied, c.include_backwards, c.outcomes, c.has_amount, c.has_lost,
                 c.ages}) {
    w.PutBool(b);
  }
  w.Put(c.max_issues);
  w.Put<std::int32_t>(c.num_channels);
  w.PutVector(c.base_width);
}

bool DayOrUnbounded(Day d) {
  return d == std::numeric_limits<Day>::min() || d == std::numeric_limits<Day>::max() ||
         (d >= kMinDay && d <= kMaxDay);
}

absl::Status ReadConfig(byte_io::Reader& r, int money_scale, FunnelConfig* c) {
  std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(&c->num_stages, "num_stages"));
  if (c->num_stages < 1 || c->num_stages > internal::kMaxFunnelStages) {
    return r.ErrorAt(at, absl::StrFormat("num_stages %d is outside 1..%d", c->num_stages,
                                         internal::kMaxFunnelStages));
  }
  const auto S = static_cast<std::size_t>(c->num_stages);
  c->stage_names.resize(S);
  for (std::string& s : c->stage_names) SALESIGHT_BIO(r.GetString(&s, "stage name"));
  at = r.offset();
  SALESIGHT_BIO(r.Get(&c->won_stage, "won_stage"));
  SALESIGHT_BIO(r.Get(&c->qualified_stage, "qualified_stage"));
  if (c->won_stage < 0 || c->won_stage >= c->num_stages || c->qualified_stage < 0 ||
      c->qualified_stage >= c->num_stages) {
    return r.ErrorAt(at, "won_stage or qualified_stage is not a stage");
  }
  at = r.offset();
  SALESIGHT_BIO(r.Get(&c->mode, "mode"));
  std::uint8_t period = 0;
  SALESIGHT_BIO(r.Get(&period, "period"));
  SALESIGHT_BIO(r.Get(&c->compare, "compare"));
  c->period = std::nullopt;
  bool period_ok = true;
  if (period > 0) {
    const std::optional<Grain> grain = GrainFromByte(static_cast<std::uint8_t>(period - 1));
    period_ok = grain.has_value();
    if (grain) c->period = *grain;
  }
  if (static_cast<int>(c->mode) > 2 || !period_ok || static_cast<int>(c->compare) > 2 ||
      (c->compare != FunnelCompare::kNone && !c->period.has_value())) {
    return r.ErrorAt(at, "mode, period or compare is out of range");
  }
  at = r.offset();
  std::size_t num_keys = 0;
  SALESIGHT_BIO(r.GetCount(&num_keys, 8, "number of group keys"));
  if (num_keys > static_cast<std::size_t>(kMaxFunnelGroupBy)) {
    return r.ErrorAt(at, "too many group keys");
  }
  c->keys.resize(num_keys);
  for (std::string& k : c->keys) SALESIGHT_BIO(r.GetString(&k, "group key name"));
  for (const std::string& k : c->keys) {
    if (k.empty() || std::count(c->keys.begin(), c->keys.end(), k) != 1) {
      return r.ErrorAt(at, "a group key name is empty or repeated");
    }
  }
  at = r.offset();
  for (std::int32_t* v : {&c->lo, &c->hi, &c->main_from, &c->main_first_period, &c->as_of, &c->cut}) {
    SALESIGHT_BIO(r.Get(v, "scope days"));
  }
  if (!DayOrUnbounded(c->lo) || !DayOrUnbounded(c->hi) || !DayOrUnbounded(c->main_from) ||
      !DayOrUnbounded(c->cut) ||
      (c->as_of != kNoDate && (c->as_of < kMinDay || c->as_of > kMaxDay))) {
    return r.ErrorAt(at, "a scope day is outside the supported days");
  }
  at = r.offset();
  for (bool* b : {&c->widened, &c->implied, &c->include_backwards, &c->outcomes, &c->has_amount,
                  &c->has_lost, &c->ages}) {
    SALESIGHT_BIO(r.GetBool(b, "flags"));
  }
  if ((c->has_amount || c->has_lost || c->ages) && !c->outcomes) {
    return r.ErrorAt(at, "amount, lost or ages without outcomes");
  }
  if (c->ages && (c->as_of == kNoDate || c->mode == FunnelMode::kActivity)) {
    return r.ErrorAt(at, "ages need as_of and a non-activity mode");
  }
  at = r.offset();
  SALESIGHT_BIO(r.Get(&c->max_issues, "max_issues"));
  if (c->max_issues < 0) return r.ErrorAt(at, "max_issues is negative");
  at = r.offset();
  SALESIGHT_BIO(r.Get(&c->num_channels, "num_channels"));
  const int channels = c->num_stages - 1 + (c->outcomes ? 1 : 0) + (c->ages ? c->num_stages : 0);
  if (c->num_channels != channels) {
    return r.ErrorAt(at, absl::StrFormat("num_channels %d, expected %d", c->num_channels, channels));
  }
  at = r.offset();
  SALESIGHT_BIO(r.GetVector(&c->base_width, "base_width"));
  if (c->base_width.size() != S - 1 ||
      std::any_of(c->base_width.begin(), c->base_width.end(),
                  [](std::int32_t v) { return v != internal::kGapBins; })) {
    return r.ErrorAt(at, "the gap histogram widths are not this library's");
  }
  c->money_scale = money_scale;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SerializeFunnelPartial(const FunnelPartial& partial) {
  if (!partial.valid() || partial.state().cfg.num_stages == 0) {
    return absl::InvalidArgumentError("funnel partial: not a state from PartialFunnel");
  }
  const FunnelState& st = partial.state();
  const FunnelConfig& c = st.cfg;
  byte_io::Writer w;
  partial_format::WriteHeader(w, PartialKind::kFunnel, c.money_scale);
  WriteConfig(w, c);
  w.Put(st.rows);
  w.Put<std::int32_t>(st.level);
  w.Put<std::uint64_t>(st.keys.size());
  for (const internal::SlotKey& k : st.keys) {
    w.Put(k.period);
    for (Id id : k.keys) w.Put(id);
  }
  PutArray(w, st.created);
  PutArray(w, st.reach);
  if (c.outcomes) {
    PutArray(w, st.won);
    PutArray(w, st.lost);
    PutArray(w, st.won_amount);
    PutArray(w, st.won_top);
    PutArray(w, st.lost_top);
    PutArray(w, st.open_count);
    PutArray(w, st.open_amount);
  }
  PutArray(w, st.hist);
  for (const std::vector<std::uint32_t>& h : st.long_hist) w.PutVector(h);
  w.Put<std::uint64_t>(st.overflow.size());
  for (const internal::OverflowEntry& e : st.overflow) {
    w.Put(e.slot);
    w.Put(e.channel);
    w.Put(e.value);
    w.Put(e.count);
  }
  w.Put(st.issues.backwards_dates);
  w.Put(st.issues.skipped_stage);
  w.Put(st.issues.won_and_lost);
  w.Put<std::uint64_t>(st.issues.examples.size());
  for (const FunnelDateIssue& e : st.issues.examples) {
    w.Put<std::uint64_t>(e.row);
    w.Put(e.opportunity);
    w.Put<std::int32_t>(e.stage);
    w.Put<std::int32_t>(e.previous_stage);
    w.Put(e.date);
    w.Put(e.previous_date);
  }
  return std::move(w.str());
}

absl::StatusOr<FunnelPartial> DeserializeFunnelPartial(std::string_view bytes) {
  byte_io::Reader r(bytes, "funnel partial");
  int scale = 0;
  SALESIGHT_BIO(partial_format::ReadHeader(r, bytes, PartialKind::kFunnel, &scale));
  FunnelConfig cfg;
  SALESIGHT_BIO(ReadConfig(r, scale, &cfg));
  FunnelPartial partial;
  FunnelState& st = partial.state();
  const auto S = static_cast<std::size_t>(cfg.num_stages);
  const int num_keys = static_cast<int>(cfg.keys.size());
  const std::optional<Grain> period = cfg.period;
  const bool outcomes = cfg.outcomes;
  st.Init(std::move(cfg));
  st.key_dicts.assign(static_cast<std::size_t>(num_keys), nullptr);
  std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(&st.rows, "rows"));
  if (st.rows < 0 || st.rows > kMaxSerializedCount) return r.ErrorAt(at, "rows is outside 0..2^40");
  at = r.offset();
  std::int32_t level = 0;
  SALESIGHT_BIO(r.Get(&level, "level"));
  if (level < 0 || level > kMaxLevel) {
    return r.ErrorAt(at, absl::StrFormat("histogram level %d is outside 0..%d", level, kMaxLevel));
  }
  for (int i = 0; i < level; ++i) st.Shrink();  // no slots yet: only the layout changes

  // Slot keys: period ordinals of real days, ids >= kNoId, unused entries 0.
  const std::int32_t lo_period = internal::PeriodOrdinal(period, kMinDay);
  const std::int32_t hi_period = internal::PeriodOrdinal(period, kMaxDay);
  std::size_t slots = 0;
  SALESIGHT_BIO(r.GetCount(&slots, 4 * (1 + kMaxFunnelGroupBy), "number of slots"));
  if (slots > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return r.Error("too many slots");
  }
  st.keys.resize(slots);
  absl::flat_hash_set<internal::SlotKey> seen;
  seen.reserve(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    at = r.offset();
    internal::SlotKey& k = st.keys[s];
    SALESIGHT_BIO(r.Get(&k.period, "slot period"));
    for (Id& id : k.keys) SALESIGHT_BIO(r.Get(&id, "slot key"));
    bool ok = k.period >= lo_period && k.period <= hi_period;
    for (int i = 0; i < kMaxFunnelGroupBy; ++i) {
      const Id id = k.keys[static_cast<std::size_t>(i)];
      ok = ok && (i < num_keys ? id >= kNoId : id == 0);
    }
    if (!ok) return r.ErrorAt(at, absl::StrFormat("slot %d: its key is out of range", s));
    if (!seen.insert(k).second) return r.ErrorAt(at, absl::StrFormat("slot %d: repeated key", s));
  }
  const std::size_t S1 = S + 1;
  at = r.offset();
  SALESIGHT_BIO(GetArray(r, &st.created, slots, "created"));
  SALESIGHT_BIO(GetArray(r, &st.reach, slots * S1, "reach"));
  SALESIGHT_BIO(NonNegative(r, at, st.created, "created"));
  SALESIGHT_BIO(NonNegative(r, at, st.reach, "reach"));
  if (outcomes) {
    at = r.offset();
    SALESIGHT_BIO(GetArray(r, &st.won, slots, "won"));
    SALESIGHT_BIO(GetArray(r, &st.lost, slots, "lost"));
    SALESIGHT_BIO(GetArray(r, &st.won_amount, slots, "won_amount"));
    SALESIGHT_BIO(GetArray(r, &st.won_top, slots * S1, "won_top"));
    SALESIGHT_BIO(GetArray(r, &st.lost_top, slots * S1, "lost_top"));
    SALESIGHT_BIO(GetArray(r, &st.open_count, slots * S, "open_count"));
    SALESIGHT_BIO(GetArray(r, &st.open_amount, slots * S, "open_amount"));
    for (const auto* v : {&st.won, &st.lost, &st.won_top, &st.lost_top, &st.open_count}) {
      SALESIGHT_BIO(NonNegative(r, at, *v, "outcome counts"));
    }
  }
  SALESIGHT_BIO(GetArray(r, &st.hist, slots * static_cast<std::size_t>(st.stride), "gap bins"));
  const auto long_channels = static_cast<std::size_t>(st.cfg.num_long_channels());
  st.long_hist.resize(slots * long_channels);
  st.long_bins = 0;
  for (std::vector<std::uint32_t>& h : st.long_hist) {
    at = r.offset();
    SALESIGHT_BIO(r.GetVector(&h, "long histogram"));
    const std::size_t n = h.size();
    const bool power = (n & (n - 1)) == 0;
    if (n != 0 && (!power || n < static_cast<std::size_t>(internal::kLongMinBins) ||
                   n > static_cast<std::size_t>(2 * internal::kLongGrowCap))) {
      return r.ErrorAt(at, absl::StrFormat("a long histogram has %d bins", n));
    }
    st.long_bins += static_cast<std::int64_t>(n);
    if (st.long_bins > internal::kLongBudgetBins) {
      return r.ErrorAt(at, "the long histograms exceed their budget");
    }
  }
  std::size_t overflow = 0;
  SALESIGHT_BIO(r.GetCount(&overflow, 20, "overflow entries"));
  st.overflow.resize(overflow);
  for (internal::OverflowEntry& e : st.overflow) {
    at = r.offset();
    SALESIGHT_BIO(r.Get(&e.slot, "overflow slot"));
    SALESIGHT_BIO(r.Get(&e.channel, "overflow channel"));
    SALESIGHT_BIO(r.Get(&e.value, "overflow value"));
    SALESIGHT_BIO(r.Get(&e.count, "overflow count"));
    if (e.slot < 0 || static_cast<std::size_t>(e.slot) >= slots || e.channel < 0 ||
        e.channel >= st.cfg.num_channels || e.count < 1 || e.count > kMaxSerializedCount) {
      return r.ErrorAt(at, "an overflow entry is out of range");
    }
  }
  at = r.offset();
  SALESIGHT_BIO(r.Get(&st.issues.backwards_dates, "issues"));
  SALESIGHT_BIO(r.Get(&st.issues.skipped_stage, "issues"));
  SALESIGHT_BIO(r.Get(&st.issues.won_and_lost, "issues"));
  for (std::int64_t v :
       {st.issues.backwards_dates, st.issues.skipped_stage, st.issues.won_and_lost}) {
    if (v < 0 || v > kMaxSerializedCount) return r.ErrorAt(at, "an issue count is outside 0..2^40");
  }
  std::size_t examples = 0;
  SALESIGHT_BIO(r.GetCount(&examples, 32, "issue examples"));
  if (examples > static_cast<std::size_t>(st.cfg.max_issues)) {
    return r.Error("more issue examples than max_issues");
  }
  st.issues.examples.resize(examples);
  std::uint64_t prev_row = 0;
  for (std::size_t i = 0; i < examples; ++i) {
    at = r.offset();
    FunnelDateIssue& e = st.issues.examples[i];
    std::uint64_t row = 0;
    std::int32_t stage = 0, previous = 0;
    SALESIGHT_BIO(r.Get(&row, "issue row"));
    SALESIGHT_BIO(r.Get(&e.opportunity, "issue opportunity"));
    SALESIGHT_BIO(r.Get(&stage, "issue stage"));
    SALESIGHT_BIO(r.Get(&previous, "issue previous stage"));
    SALESIGHT_BIO(r.Get(&e.date, "issue date"));
    SALESIGHT_BIO(r.Get(&e.previous_date, "issue previous date"));
    auto day_ok = [](Day d) { return d == kNoDate || (d >= kMinDay && d <= kMaxDay); };
    if (row < prev_row || stage < 0 || stage >= st.cfg.num_stages || previous < -1 ||
        previous >= st.cfg.num_stages || !day_ok(e.date) || !day_ok(e.previous_date)) {
      return r.ErrorAt(at, absl::StrFormat("issue example %d is out of range", i));
    }
    prev_row = row;
    e.row = static_cast<std::size_t>(row);
    e.stage = stage;
    e.previous_stage = previous;
  }
  if (!r.at_end()) return r.Error("unexpected bytes after the end of the state");
  return partial;
}

}  // namespace salesight
