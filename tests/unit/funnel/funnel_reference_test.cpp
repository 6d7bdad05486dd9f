// Funnel vs a plain brute-force reference on random pipelines (many seeds,
// thread counts 1..3), and the partition property: any split, merged in any
// order, gives exactly the single-pass result.
//
// The reference follows the header's definitions literally: per group it
// collects every day value in a std::vector, sorts it and reads quantiles off
// the sorted values; groups live in a std::map keyed by (key values, period
// start day) computed with the plain calendar functions.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {

// ------------------------------------------------------------ random data

// The pipeline (with a "category" attribute) and a customers table holding a
// "segment" attribute for the customers with segment >= 0; the others have
// no customers row, so their segment is the group "(none)" (kNoId).
struct RandomData {
  std::shared_ptr<const Pipeline> pipeline_ptr;
  const Pipeline* pipeline_raw = nullptr;
  Dataset dataset;
  std::vector<Id> segment;   // per customer, -1 = no customers row
  std::vector<Id> category;  // per row: the attribute code (0 = the missing member "")
  const Pipeline& pipeline() const { return *pipeline_raw; }
};

DictionaryPtr Names(const std::string& prefix, int n, bool with_missing) {
  auto d = std::make_shared<Dictionary>();
  if (with_missing) (void)d->Intern(kMissingMember);
  for (int k = 0; k < n; ++k) (void)d->Intern(prefix + std::to_string(k));
  return d;
}

RandomData MakeRandom(std::uint64_t seed, int rows, int stages, bool wide_ids) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const Day base = 19000;
  PipelineColumns c;
  std::vector<std::int64_t> id;
  std::vector<Day> created, lost;
  std::vector<Money> amount;
  std::vector<Id> region, sales, source, customer;
  std::vector<std::vector<Day>> dates(static_cast<std::size_t>(stages));
  const int customers = 12;
  RandomData out;
  for (int k = 0; k < customers; ++k) out.segment.push_back(uni(-1, 3));
  const int span = chance(0.5) ? 60 : 900;  // a few groups per period or many
  for (int i = 0; i < rows; ++i) {
    id.push_back(1000 + 7 * i);
    const Day cr = base + uni(0, span);
    created.push_back(cr);
    Day d = cr + (chance(0.2) ? uni(0, 3) : 0);
    bool alive = true;
    for (int s = 0; s < stages; ++s) {
      Day v = kNoDate;
      if (alive && (s == 0 ? chance(0.9) : chance(0.7))) {
        // Mostly small gaps, sometimes beyond any histogram, sometimes backwards.
        int gap = chance(0.1) ? uni(250, 1400) : uni(0, 40);
        if (chance(0.05)) gap = -uni(1, 30);
        d += gap;
        d = std::clamp(d, kMinDay + 5, kMaxDay - 5);
        v = d;
      } else if (alive && chance(0.3)) {
        v = kNoDate;  // skipped stage, funnel continues
      } else {
        alive = false;
      }
      dates[static_cast<std::size_t>(s)].push_back(v);
    }
    lost.push_back(chance(0.3) ? cr + uni(-5, 400) : kNoDate);
    amount.push_back(chance(0.02) ? 0 : static_cast<Money>(uni(1, 5'000'000)));
    region.push_back(uni(0, 3));
    sales.push_back(wide_ids ? uni(0, 6000) : uni(0, 5));
    source.push_back(uni(0, 2));
    customer.push_back(uni(0, customers - 1));
    out.category.push_back(uni(0, 5));
  }
  c.opportunity = Column<std::int64_t>::Own(id);
  c.created = Column<Day>::Own(created);
  c.lost_date = Column<Day>::Own(lost);
  c.amount = Column<Money>::Own(amount);
  c.region = Column<Id>::Own(region);
  c.salesperson = Column<Id>::Own(sales);
  c.source = Column<Id>::Own(source);
  c.customer = Column<Id>::Own(customer);
  c.stage_names.clear();
  for (int s = 0; s < stages; ++s) c.stage_names.push_back("s" + std::to_string(s));
  if (stages >= 3) c.stage_names[static_cast<std::size_t>(stages - 2)] = "won";
  for (auto& v : dates) c.stage_dates.push_back(Column<Day>::Own(v));
  c.attributes.push_back({"category", Column<Id>::Own(out.category), Names("c", 5, true)});
  auto p = Pipeline::Build(std::move(c));
  EXPECT_TRUE(p.ok()) << p.status();
  out.pipeline_ptr = std::make_shared<const Pipeline>(*std::move(p));
  out.pipeline_raw = out.pipeline_ptr.get();
  CustomersColumns cc;
  std::vector<Id> ids, segment;
  for (int k = 0; k < customers; ++k) {
    if (out.segment[static_cast<std::size_t>(k)] < 0) continue;
    ids.push_back(k);
    segment.push_back(out.segment[static_cast<std::size_t>(k)]);
  }
  cc.customer = Column<Id>::Own(ids);
  cc.attributes.push_back({"segment", Column<Id>::Own(segment), Names("s", 4, false)});
  auto customers_table = Customers::Build(std::move(cc));
  EXPECT_TRUE(customers_table.ok()) << customers_table.status();
  DatasetTables tables;
  tables.pipeline = out.pipeline_ptr;
  tables.customers = std::make_shared<const Customers>(*std::move(customers_table));
  auto ds = Dataset::Build(std::move(tables));
  EXPECT_TRUE(ds.ok()) << ds.status();
  out.dataset = *std::move(ds);
  return out;
}

FunnelOptions RandomOptions(std::mt19937_64& rng, const RandomData& data) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  FunnelOptions o;
  const int mode = uni(0, 4);
  o.mode =
      mode == 0 ? FunnelMode::kActivity : (mode == 1 ? FunnelMode::kSnapshot : FunnelMode::kCohort);
  if (o.mode == FunnelMode::kSnapshot || chance(0.3)) o.as_of = 19000 + uni(100, 1500);
  if (chance(0.4)) o.from = 19000 + uni(0, 400);
  if (chance(0.3)) o.to = 19000 + uni(300, 1200);
  if (o.from != kNoDate && o.to != kNoDate && o.from > o.to) std::swap(o.from, o.to);
  std::vector<std::string> all = {"region", "salesperson", "source", "segment", "category"};
  std::shuffle(all.begin(), all.end(), rng);
  const int nk = uni(0, 3);
  for (int k = 0; k < nk; ++k) o.group_by.push_back(all[static_cast<std::size_t>(k)]);
  o.period = std::nullopt;
  if (const int unit = uni(0, 6); unit > 0) o.period = Grain(static_cast<GrainUnit>(unit - 1), uni(1, 12));
  if (o.period.has_value() && chance(0.4)) {
    o.compare = chance(0.5) ? FunnelCompare::kPreviousPeriod : FunnelCompare::kSamePeriodLastYear;
  }
  o.implied_reached = chance(0.5);
  o.include_backwards_gaps = chance(0.3);
  o.compute_outcomes = chance(0.8);
  if (chance(0.3)) {
    for (std::size_t s = 0; s < data.pipeline().num_stages(); ++s) {
      o.stage_probability.push_back(chance(0.5) ? -1.0 : uni(0, 100) / 100.0);
    }
  }
  o.bottleneck_margin = uni(0, 30) / 100.0;
  o.bottleneck_min_sample = uni(0, 8);
  o.max_reported_issues = uni(0, 20);
  return o;
}

// ------------------------------------------------------------ reference

Day PeriodStartOf(const std::optional<Grain>& period, Day d) {
  CivilDate c = CivilFromDay(d);
  if (!period) return kNoDate;
  switch (period->unit) {
    case GrainUnit::kDay:
      return d;
    case GrainUnit::kIsoWeek:
      return d - (Weekday(d) - 1);
    case GrainUnit::kMonth:
      return DayFromCivil(c.year, c.month, 1);
    case GrainUnit::kQuarter:
      return DayFromCivil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
    case GrainUnit::kYear:
      return DayFromCivil(c.year, 1, 1);
    case GrainUnit::kFiscalYear: {
      const int s = period->fiscal_start_month;
      return DayFromCivil(c.month >= s ? c.year : c.year - 1, s, 1);
    }
  }
  return kNoDate;
}

// Start of the period compared with the one starting at `start`.
std::optional<Day> CompareStart(const std::optional<Grain>& p, FunnelCompare cmp, Day start) {
  if (cmp == FunnelCompare::kPreviousPeriod) return PeriodStartOf(p, start - 1);
  CivilDate c = CivilFromDay(start);
  if (!p) return std::nullopt;
  switch (p->unit) {
    case GrainUnit::kDay:
      if (c.month == 2 && c.day == 29) return std::nullopt;
      return DayFromCivil(c.year - 1, c.month, c.day);
    case GrainUnit::kIsoWeek: {
      IsoWeek w = IsoWeekOf(start);
      for (Day d = start - 380; d < start - 350; ++d) {
        IsoWeek x = IsoWeekOf(d);
        if (Weekday(d) == 1 && x.year == w.year - 1 && x.week == w.week) return d;
      }
      return std::nullopt;
    }
    case GrainUnit::kMonth:
      return DayFromCivil(c.year - 1, c.month, 1);
    case GrainUnit::kQuarter:
      return DayFromCivil(c.year - 1, c.month, 1);
    case GrainUnit::kYear:
    case GrainUnit::kFiscalYear:
      return DayFromCivil(c.year - 1, c.month, 1);
  }
  return std::nullopt;
}

struct Acc {
  std::int64_t opportunities = 0;
  std::vector<std::int64_t> n;
  std::vector<std::vector<std::int32_t>> gaps, ages;
  std::int64_t won = 0, lost = 0;
  Money won_amount = 0;
  std::vector<std::int32_t> cycles;
  std::vector<std::int64_t> won_top, lost_top, open_count;
  std::vector<Money> open_amount;
  explicit Acc(std::size_t S = 0)
      : n(S), gaps(S), ages(S), won_top(S + 1), lost_top(S + 1), open_count(S), open_amount(S) {}
};

FunnelDayStats RefDays(std::vector<std::int32_t> v) {
  FunnelDayStats out;
  out.count = static_cast<std::int64_t>(v.size());
  if (v.empty()) return out;
  std::sort(v.begin(), v.end());
  double sum = 0;
  std::int64_t isum = 0;
  for (std::int32_t x : v) isum += x;
  sum = static_cast<double>(isum);
  out.mean = sum / static_cast<double>(v.size());
  auto q = [&](double f) {
    double pos = f * static_cast<double>(v.size() - 1);
    double lo = std::floor(pos), hi = std::ceil(pos);
    double a = v[static_cast<std::size_t>(lo)], b = v[static_cast<std::size_t>(hi)];
    return a + (b - a) * (pos - lo);
  };
  out.median = q(0.5);
  out.p90 = q(0.9);
  return out;
}

std::optional<double> Div(std::int64_t a, std::int64_t b) {
  if (b == 0) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(b);
}

struct Reference {
  std::map<std::vector<std::int64_t>, Acc> groups;  // all groups incl. comparison-only
  Acc overall;
  FunnelIssues issues;
  std::vector<std::optional<double>> prob;
};

Reference RunReference(const RandomData& data, const FunnelOptions& o) {
  const PipelineColumns& c = data.pipeline().columns();
  const std::size_t S = data.pipeline().num_stages();
  int w = static_cast<int>(S) - 1;
  for (std::size_t s = 0; s < S; ++s) {
    if (c.stage_names[s] == "won") w = static_cast<int>(s);
  }
  const bool activity = o.mode == FunnelMode::kActivity;
  const Day as_of = o.as_of;
  auto recorded = [&](Day d) { return d != kNoDate && (as_of == kNoDate || d <= as_of); };
  auto below_hi = [&](Day d) {
    return (o.to == kNoDate || d <= o.to) && (as_of == kNoDate || d <= as_of);
  };
  auto main = [&](Day d) { return below_hi(d) && (o.from == kNoDate || d >= o.from); };
  // Comparison periods: before from's period (the header's widening).
  auto extended = [&](Day d) {
    if (main(d)) return true;
    if (o.compare == FunnelCompare::kNone || o.from == kNoDate || !below_hi(d)) return false;
    return PeriodStartOf(o.period, d) < PeriodStartOf(o.period, o.from);
  };
  Reference ref;
  ref.overall = Acc(S);
  auto key_of = [&](std::size_t i, Day d) {
    std::vector<std::int64_t> key;
    for (const std::string& k : o.group_by) {
      if (k == "region") key.push_back(c.region[i]);
      if (k == "salesperson") key.push_back(c.salesperson[i]);
      if (k == "source") key.push_back(c.source[i]);
      if (k == "segment") key.push_back(data.segment[static_cast<std::size_t>(c.customer[i])]);
      if (k == "category") key.push_back(data.category[i]);
    }
    key.push_back(!o.period.has_value() ? 0 : PeriodStartOf(o.period, d));
    return key;
  };
  auto group = [&](std::size_t i, Day d) -> Acc& {
    auto it = ref.groups.try_emplace(key_of(i, d), Acc(S)).first;
    return it->second;
  };

  for (std::size_t i = 0; i < data.pipeline().size(); ++i) {
    const Day cr = c.created[i];
    std::vector<Day> d(S);
    std::vector<bool> rec(S);
    int L = -1;
    for (std::size_t s = 0; s < S; ++s) {
      d[s] = c.stage_dates[s][i];
      rec[s] = recorded(d[s]);
      if (rec[s]) L = static_cast<int>(s);
    }
    const bool won = o.implied_reached ? L >= w : rec[static_cast<std::size_t>(w)];
    const bool won_rec = rec[static_cast<std::size_t>(w)];
    const bool lost_any = recorded(c.lost_date[i]);
    const Money amt = c.amount[i];
    auto gap_ok = [&](std::int32_t g) { return g >= 0 || o.include_backwards_gaps; };
    bool row_main = false;

    if (!activity) {
      if (!extended(cr)) continue;
      row_main = main(cr);
      std::vector<Acc*> accs = {&group(i, cr)};
      if (row_main) accs.push_back(&ref.overall);
      for (Acc* a : accs) {
        ++a->opportunities;
        for (std::size_t s = 0; s < S; ++s) {
          const bool reached = o.implied_reached ? static_cast<int>(s) <= L : rec[s];
          a->n[s] += reached ? 1 : 0;
          if (s > 0 && rec[s] && rec[s - 1] && gap_ok(d[s] - d[s - 1])) {
            a->gaps[s].push_back(d[s] - d[s - 1]);
          }
        }
        if (!o.compute_outcomes) continue;
        if (won) {
          ++a->won;
          ++a->won_top[static_cast<std::size_t>(L + 1)];
          a->won_amount += amt;
          if (won_rec && gap_ok(d[static_cast<std::size_t>(w)] - cr)) {
            a->cycles.push_back(d[static_cast<std::size_t>(w)] - cr);
          }
        } else if (lost_any) {
          ++a->lost;
          ++a->lost_top[static_cast<std::size_t>(L + 1)];
        } else if (L >= 0) {
          const auto l = static_cast<std::size_t>(L);
          ++a->open_count[l];
          a->open_amount[l] += amt;
          if (as_of != kNoDate) a->ages[l].push_back(as_of - d[l]);
        }
      }
    } else {
      auto add_event = [&](Day day, auto&& fn) {
        if (extended(day)) fn(group(i, day));
        if (main(day)) {
          fn(ref.overall);
          row_main = true;
        }
      };
      add_event(cr, [&](Acc& a) { ++a.opportunities; });
      for (std::size_t s = 0; s < S; ++s) {
        if (!rec[s]) continue;
        add_event(d[s], [&](Acc& a) {
          ++a.n[s];
          if (s > 0 && rec[s - 1] && gap_ok(d[s] - d[s - 1])) a.gaps[s].push_back(d[s] - d[s - 1]);
        });
      }
      if (o.compute_outcomes) {
        if (won_rec) {
          add_event(d[static_cast<std::size_t>(w)], [&](Acc& a) {
            ++a.won;
            ++a.won_top[static_cast<std::size_t>(L + 1)];
            a.won_amount += amt;
            if (gap_ok(d[static_cast<std::size_t>(w)] - cr)) {
              a.cycles.push_back(d[static_cast<std::size_t>(w)] - cr);
            }
          });
        }
        if (!won && lost_any) {
          add_event(c.lost_date[i], [&](Acc& a) {
            ++a.lost;
            ++a.lost_top[static_cast<std::size_t>(L + 1)];
          });
        }
      }
    }
    if (!row_main) continue;
    // Issues of in-scope opportunities.
    bool hole = false;
    for (int s = 0; s < L; ++s) hole = hole || !rec[static_cast<std::size_t>(s)];
    if (hole) ++ref.issues.skipped_stage;
    if (o.compute_outcomes && won && lost_any) ++ref.issues.won_and_lost;
    int last = -1;
    for (std::size_t s = 0; s < S; ++s) {
      if (!rec[s]) continue;
      if (last >= 0 && d[s] < d[static_cast<std::size_t>(last)]) {
        ++ref.issues.backwards_dates;
        ref.issues.examples.push_back(FunnelDateIssue{i, c.opportunity[i], static_cast<int>(s),
                                                      last, d[s],
                                                      d[static_cast<std::size_t>(last)]});
      }
      last = static_cast<int>(s);
    }
    if (o.compute_outcomes && won_rec && d[static_cast<std::size_t>(w)] < cr) {
      ++ref.issues.backwards_dates;
      ref.issues.examples.push_back(
          FunnelDateIssue{i, c.opportunity[i], w, -1, d[static_cast<std::size_t>(w)], cr});
    }
  }
  if (static_cast<std::int64_t>(ref.issues.examples.size()) > o.max_reported_issues) {
    ref.issues.examples.resize(static_cast<std::size_t>(o.max_reported_issues));
  }
  ref.prob.assign(S, std::nullopt);
  if (o.compute_outcomes) {
    for (std::size_t s = 0; s < S; ++s) {
      std::int64_t won_ge = 0, closed_ge = 0;
      for (std::size_t l = s; l < S; ++l) {
        won_ge += ref.overall.won_top[l + 1];
        closed_ge += ref.overall.won_top[l + 1] + ref.overall.lost_top[l + 1];
      }
      ref.prob[s] = Div(won_ge, closed_ge);
      if (s < o.stage_probability.size() && o.stage_probability[s] >= 0) {
        ref.prob[s] = o.stage_probability[s];
      }
    }
  }
  return ref;
}

FunnelGroupStats RefStats(const Acc& a, const Reference& ref, const FunnelOptions& o,
                          const Pipeline& p) {
  const std::size_t S = p.num_stages();
  const int scale = p.columns().money_scale;
  FunnelGroupStats out;
  out.opportunities = a.opportunities;
  out.stages.resize(S);
  for (std::size_t s = 0; s < S; ++s) {
    FunnelStageStats& st = out.stages[s];
    st.count = a.n[s];
    st.cumulative_conversion = Div(a.n[s], a.n[0]);
    if (s > 0) {
      st.step_conversion = Div(a.n[s], a.n[s - 1]);
      st.drop_off = a.n[s - 1] - a.n[s];
      if (st.step_conversion) st.drop_off_rate = 1.0 - *st.step_conversion;
      st.days = RefDays(a.gaps[s]);
    }
  }
  if (!o.compute_outcomes) return out;
  out.won = a.won;
  out.lost = a.lost;
  out.win_rate_closed = Div(a.won, a.won + a.lost);
  out.win_rate_created = Div(a.won, a.opportunities);
  out.cycle_days = RefDays(a.cycles);
  out.won_amount = a.won_amount;
  if (a.won > 0) {
    out.avg_won_amount = static_cast<double>(a.won_amount) / 100.0 / static_cast<double>(a.won);
  }
  (void)scale;
  for (std::size_t s = 0; s < S; ++s) out.stages[s].probability = ref.prob[s];
  if (o.mode == FunnelMode::kActivity) return out;
  int q = S >= 2 ? 1 : 0;
  double weighted = 0;
  bool known = true;
  Money open_amount = 0;
  for (std::size_t s = 0; s < S; ++s) {
    FunnelStageStats& st = out.stages[s];
    st.open_count = a.open_count[s];
    st.open_amount = a.open_amount[s];
    open_amount += a.open_amount[s];
    out.open += a.open_count[s];
    if (static_cast<int>(s) >= q) out.open_qualified += a.open_count[s];
    if (ref.prob[s]) {
      st.weighted_amount = static_cast<double>(a.open_amount[s]) / 100.0 * *ref.prob[s];
      weighted += *st.weighted_amount;
    } else if (a.open_count[s] > 0) {
      known = false;
    }
    if (o.as_of != kNoDate) st.age = RefDays(a.ages[s]);
  }
  out.open_amount = open_amount;
  if (known) out.weighted_pipeline = weighted;
  if (out.avg_won_amount && out.win_rate_closed && out.cycle_days.mean &&
      *out.cycle_days.mean != 0) {
    out.sales_velocity = static_cast<double>(out.open_qualified) * *out.avg_won_amount *
                         *out.win_rate_closed / *out.cycle_days.mean;
  }
  return out;
}

// ------------------------------------------------------------ comparison

void ExpectNear(const std::optional<double>& got, const std::optional<double>& want,
                const std::string& what) {
  ASSERT_EQ(got.has_value(), want.has_value()) << what;
  if (!got) return;
  EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::abs(*want))) << what;
}

void ExpectDays(const FunnelDayStats& got, const FunnelDayStats& want, const std::string& what) {
  EXPECT_EQ(got.count, want.count) << what;
  ExpectNear(got.median, want.median, what + " median");
  ExpectNear(got.mean, want.mean, what + " mean");
  ExpectNear(got.p90, want.p90, what + " p90");
}

void ExpectStats(const FunnelGroupStats& got, const FunnelGroupStats& want, const std::string& w) {
  EXPECT_EQ(got.opportunities, want.opportunities) << w;
  ASSERT_EQ(got.stages.size(), want.stages.size()) << w;
  for (std::size_t s = 0; s < got.stages.size(); ++s) {
    const std::string ws = w + " stage " + std::to_string(s);
    const FunnelStageStats& a = got.stages[s];
    const FunnelStageStats& b = want.stages[s];
    EXPECT_EQ(a.count, b.count) << ws;
    ExpectNear(a.step_conversion, b.step_conversion, ws + " step");
    ExpectNear(a.cumulative_conversion, b.cumulative_conversion, ws + " cum");
    EXPECT_EQ(a.drop_off, b.drop_off) << ws;
    ExpectNear(a.drop_off_rate, b.drop_off_rate, ws + " drop rate");
    ExpectDays(a.days, b.days, ws + " days");
    EXPECT_EQ(a.open_count, b.open_count) << ws;
    EXPECT_EQ(a.open_amount, b.open_amount) << ws;
    ExpectNear(a.probability, b.probability, ws + " probability");
    ExpectNear(a.weighted_amount, b.weighted_amount, ws + " weighted");
    ExpectDays(a.age, b.age, ws + " age");
  }
  EXPECT_EQ(got.won, want.won) << w;
  EXPECT_EQ(got.lost, want.lost) << w;
  ExpectNear(got.win_rate_closed, want.win_rate_closed, w + " win_rate_closed");
  ExpectNear(got.win_rate_created, want.win_rate_created, w + " win_rate_created");
  ExpectDays(got.cycle_days, want.cycle_days, w + " cycle");
  EXPECT_EQ(got.won_amount, want.won_amount) << w;
  ExpectNear(got.avg_won_amount, want.avg_won_amount, w + " avg won");
  EXPECT_EQ(got.open, want.open) << w;
  EXPECT_EQ(got.open_qualified, want.open_qualified) << w;
  EXPECT_EQ(got.open_amount, want.open_amount) << w;
  ExpectNear(got.weighted_pipeline, want.weighted_pipeline, w + " weighted pipeline");
  ExpectNear(got.sales_velocity, want.sales_velocity, w + " velocity");
}

void CheckAgainstReference(const RandomData& data, const FunnelOptions& o, const FunnelResult& r,
                           const std::string& what) {
  Reference ref = RunReference(data, o);
  ExpectStats(r.overall, RefStats(ref.overall, ref, o, data.pipeline()), what + " overall");
  EXPECT_EQ(r.issues.backwards_dates, ref.issues.backwards_dates) << what;
  EXPECT_EQ(r.issues.skipped_stage, ref.issues.skipped_stage) << what;
  EXPECT_EQ(r.issues.won_and_lost, ref.issues.won_and_lost) << what;
  ASSERT_EQ(r.issues.examples.size(), ref.issues.examples.size()) << what;
  for (std::size_t k = 0; k < r.issues.examples.size(); ++k) {
    const FunnelDateIssue& a = r.issues.examples[k];
    const FunnelDateIssue& b = ref.issues.examples[k];
    EXPECT_TRUE(a.row == b.row && a.opportunity == b.opportunity && a.stage == b.stage &&
                a.previous_stage == b.previous_stage && a.date == b.date &&
                a.previous_date == b.previous_date)
        << what << " issue " << k;
  }
  const bool grouped = !o.group_by.empty() || o.period.has_value();
  // Main groups: those with something in the main window.
  std::vector<std::pair<std::vector<std::int64_t>, const Acc*>> main_groups;
  for (const auto& [key, acc] : ref.groups) {
    const Day start = static_cast<Day>(key.back());
    bool is_main = o.compare == FunnelCompare::kNone || o.from == kNoDate ||
                   !o.period.has_value() || start >= PeriodStartOf(o.period, o.from);
    if (is_main) main_groups.emplace_back(key, &acc);
  }
  if (!grouped) {
    EXPECT_TRUE(r.groups.empty()) << what;
    return;
  }
  ASSERT_EQ(r.groups.size(), main_groups.size()) << what;
  std::vector<FunnelBottleneck> want_flags;
  const std::size_t nk = o.group_by.size();
  for (std::size_t g = 0; g < main_groups.size(); ++g) {
    const auto& [key, acc] = main_groups[g];
    const FunnelGroup& got = r.groups[g];
    const std::string wg = what + " group " + std::to_string(g);
    ASSERT_EQ(got.keys.size(), nk) << wg;
    for (std::size_t k = 0; k < nk; ++k) EXPECT_EQ(got.keys[k], key[k]) << wg;
    if (o.period.has_value()) {
      EXPECT_EQ(got.period_start, key.back()) << wg;
    }
    FunnelGroupStats want = RefStats(*acc, ref, o, data.pipeline());
    ExpectStats(got.stats, want, wg);
    if (o.compare != FunnelCompare::kNone) {
      std::optional<Day> cs = CompareStart(o.period, o.compare, static_cast<Day>(key.back()));
      EXPECT_EQ(got.previous_start, cs.value_or(kNoDate)) << wg;
      std::optional<FunnelGroupStats> prev;
      if (cs) {
        std::vector<std::int64_t> pk = key;
        pk.back() = *cs;
        if (auto it = ref.groups.find(pk); it != ref.groups.end()) {
          prev = RefStats(it->second, ref, o, data.pipeline());
        }
      }
      ASSERT_EQ(got.previous.has_value(), prev.has_value()) << wg;
      if (prev) {
        ExpectStats(*got.previous, *prev, wg + " previous");
      }
    }
    // Bottleneck flags, plainly.
    const FunnelGroupStats& base = r.overall;
    for (std::size_t s = 1; s < want.stages.size(); ++s) {
      const auto& gs = want.stages[s];
      const auto& bs = base.stages[s];
      if (gs.step_conversion && bs.step_conversion &&
          want.stages[s - 1].count >= o.bottleneck_min_sample &&
          *gs.step_conversion < *bs.step_conversion * (1 - o.bottleneck_margin)) {
        FunnelBottleneck b;
        b.group = g;
        b.stage = static_cast<int>(s);
        b.kind = BottleneckKind::kConversion;
        want_flags.push_back(b);
      }
      if (gs.days.count >= std::max<std::int64_t>(o.bottleneck_min_sample, 1) && bs.days.median &&
          *gs.days.median > *bs.days.median * (1 + o.bottleneck_margin)) {
        FunnelBottleneck b;
        b.group = g;
        b.stage = static_cast<int>(s);
        b.kind = BottleneckKind::kDwell;
        want_flags.push_back(b);
      }
    }
  }
  if (!o.compute_bottlenecks) return;
  ASSERT_EQ(r.bottlenecks.size(), want_flags.size()) << what;
  auto key = [](const FunnelBottleneck& b) {
    return std::make_tuple(b.group, b.stage, static_cast<int>(b.kind));
  };
  std::vector<std::tuple<std::size_t, int, int>> got_keys, want_keys;
  for (const auto& b : r.bottlenecks) got_keys.push_back(key(b));
  for (const auto& b : want_flags) want_keys.push_back(key(b));
  std::sort(got_keys.begin(), got_keys.end());
  std::sort(want_keys.begin(), want_keys.end());
  EXPECT_EQ(got_keys, want_keys) << what;
  for (std::size_t k = 1; k < r.bottlenecks.size(); ++k) {
    EXPECT_GE(r.bottlenecks[k - 1].revenue_at_stake, r.bottlenecks[k].revenue_at_stake) << what;
  }
}

// Exact equality of two results (thread counts, partitions).
void ExpectIdentical(const FunnelResult& a, const FunnelResult& b, const std::string& what) {
  auto same_days = [](const FunnelDayStats& x, const FunnelDayStats& y) {
    return x.count == y.count && x.median == y.median && x.mean == y.mean && x.p90 == y.p90;
  };
  auto same = [&](const FunnelGroupStats& x, const FunnelGroupStats& y) {
    if (x.opportunities != y.opportunities || x.won != y.won || x.lost != y.lost ||
        x.win_rate_closed != y.win_rate_closed || x.win_rate_created != y.win_rate_created ||
        !same_days(x.cycle_days, y.cycle_days) || x.won_amount != y.won_amount ||
        x.avg_won_amount != y.avg_won_amount || x.open != y.open ||
        x.open_qualified != y.open_qualified || x.open_amount != y.open_amount ||
        x.weighted_pipeline != y.weighted_pipeline || x.sales_velocity != y.sales_velocity ||
        x.stages.size() != y.stages.size()) {
      return false;
    }
    for (std::size_t s = 0; s < x.stages.size(); ++s) {
      const auto& p = x.stages[s];
      const auto& q = y.stages[s];
      if (p.count != q.count || p.step_conversion != q.step_conversion ||
          p.cumulative_conversion != q.cumulative_conversion || p.drop_off != q.drop_off ||
          !same_days(p.days, q.days) || p.open_count != q.open_count ||
          p.open_amount != q.open_amount || p.probability != q.probability ||
          p.weighted_amount != q.weighted_amount || !same_days(p.age, q.age)) {
        return false;
      }
    }
    return true;
  };
  EXPECT_TRUE(same(a.overall, b.overall)) << what;
  ASSERT_EQ(a.groups.size(), b.groups.size()) << what;
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    EXPECT_EQ(a.groups[g].keys, b.groups[g].keys) << what;
    EXPECT_EQ(a.groups[g].period_start, b.groups[g].period_start) << what;
    EXPECT_TRUE(same(a.groups[g].stats, b.groups[g].stats)) << what << " group " << g;
    ASSERT_EQ(a.groups[g].previous.has_value(), b.groups[g].previous.has_value()) << what;
    if (a.groups[g].previous) {
      EXPECT_TRUE(same(*a.groups[g].previous, *b.groups[g].previous)) << what;
    }
  }
  EXPECT_EQ(a.issues.backwards_dates, b.issues.backwards_dates) << what;
  EXPECT_EQ(a.issues.examples.size(), b.issues.examples.size()) << what;
  ASSERT_EQ(a.bottlenecks.size(), b.bottlenecks.size()) << what;
  for (std::size_t k = 0; k < a.bottlenecks.size(); ++k) {
    EXPECT_EQ(a.bottlenecks[k].explanation, b.bottlenecks[k].explanation) << what;
    EXPECT_EQ(a.bottlenecks[k].revenue_at_stake, b.bottlenecks[k].revenue_at_stake) << what;
  }
}

// ------------------------------------------------------------ tests

TEST(FunnelReference, RandomPipelinesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    std::mt19937_64 rng(seed * 7919);
    const int rows = std::uniform_int_distribution<int>(0, 400)(rng);
    // 1..8 stages take the mask kernel, 9..11 the per-stage one.
    const int stages = std::uniform_int_distribution<int>(1, 11)(rng);
    RandomData data = MakeRandom(seed, rows, stages, false);
    FunnelOptions o = RandomOptions(rng, data);
    FunnelResult first;
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      const std::string what =
          "seed " + std::to_string(seed) + " threads " + std::to_string(threads);
      auto r = ComputeFunnel(data.dataset, o);
      ASSERT_TRUE(r.ok()) << what << ": " << r.status();
      if (threads == 1) {
        CheckAgainstReference(data, o, *r, what);
        first = *r;
      } else {
        ExpectIdentical(first, *r, what);
      }
      if (testing::Test::HasFailure()) return;
    }
  }
}

// Many groups: histograms get halved (values move to the overflow list) and
// the slot map switches to a hash map; results stay exact.
TEST(FunnelReference, ManyGroupsStayExact) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    // The last seed has enough open deals to exhaust the long-histogram
    // budget (ages then go to the exact overflow list, also when merging).
    RandomData data = MakeRandom(1000 + seed, seed == 3 ? 20000 : 6000, 6, /*wide_ids=*/true);
    FunnelOptions o;
    o.group_by = {"salesperson"};
    o.period = GrainUnit::kDay;
    o.as_of = 19000 + 1200;
    o.bottleneck_min_sample = 1;
    for (int threads : {1, 2}) {
      o.num_threads = threads;
      auto r = ComputeFunnel(data.dataset, o);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_GT(r->groups.size(), 1500u);
      CheckAgainstReference(data, o, *r, "seed " + std::to_string(seed));
      if (testing::Test::HasFailure()) return;
    }
  }
}

TEST(FunnelReference, AnyPartitionAnyMergeOrder) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed * 104729);
    const int rows = std::uniform_int_distribution<int>(0, 300)(rng);
    RandomData data = MakeRandom(seed + 500, rows, 6, seed % 5 == 0);
    FunnelOptions o = RandomOptions(rng, data);
    auto whole = ComputeFunnel(data.dataset, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    // Random cut points, partials merged in a random order.
    const int parts = std::uniform_int_distribution<int>(1, 6)(rng);
    std::vector<std::size_t> cuts = {0, static_cast<std::size_t>(rows)};
    for (int k = 1; k < parts; ++k) {
      cuts.push_back(
          std::uniform_int_distribution<std::size_t>(0, static_cast<std::size_t>(rows))(rng));
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<FunnelPartial> partials;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      auto p = PartialFunnel(data.dataset, cuts[k], cuts[k + 1], o);
      ASSERT_TRUE(p.ok()) << p.status();
      partials.push_back(std::move(*p));
    }
    std::shuffle(partials.begin(), partials.end(), rng);
    FunnelPartial total = std::move(partials[0]);
    for (std::size_t k = 1; k < partials.size(); ++k) {
      ASSERT_TRUE(MergeFunnel(total, partials[k]).ok());
    }
    auto merged = FinishFunnel(std::move(total), o);
    ASSERT_TRUE(merged.ok()) << merged.status();
    ExpectIdentical(*whole, *merged, "seed " + std::to_string(seed));
    if (testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace salesight
