// The leaves localiser: hand-computed cases, a plain reference implementation
// of the same method on random cases, recovery of injected causes, row-order
// independence, and the leaves file's errors.
#include "salesight/insights/localizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "insights/internal/synthetic_leaves.hpp"

namespace salesight::insights {
namespace {

using internal::MakeSyntheticCase;
using internal::SyntheticCase;
using internal::SyntheticSpec;

// A table from rows {members..., forecast, real} over dims named a, b, c, ...
LeavesTable Table(const std::vector<std::vector<std::string>>& members,
                  const std::vector<std::pair<std::vector<int>, std::pair<double, double>>>& rows) {
  SyntheticCase c;
  for (std::size_t d = 0; d < members.size(); ++d) {
    c.dims.push_back(std::string(1, static_cast<char>('a' + d)));
    c.member_names.push_back(members[d]);
    c.codes.emplace_back();
  }
  for (const auto& [ids, values] : rows) {
    for (std::size_t d = 0; d < ids.size(); ++d) c.codes[d].push_back(ids[d]);
    c.forecast.push_back(values.first);
    c.real.push_back(values.second);
  }
  absl::StatusOr<LeavesTable> t = internal::ToLeavesTable(c);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

std::vector<std::string> Texts(const LeavesTable& t, const Localization& loc) {
  std::vector<std::string> out;
  for (const RootCause& c : loc.causes) out.push_back(CombinationText(t, c));
  return out;
}

// Normal leaves get a small deterministic error of either sign (RiskLoc's
// cutoff needs some: with exact forecasts every normal deviation is 0).
double Wiggle(std::size_t i) { return 1.0 + 0.01 * static_cast<double>(static_cast<int>(i % 3) - 1); }

TEST(LocalizerTest, SingleElementAnomalyHandComputed) {
  // a2's leaves lose half their value; the others are within 2%.
  const LeavesTable t = Table({{"a1", "a2", "a3"}, {"b1", "b2", "b3"}},
                              {{{0, 0}, {100, 102}},
                               {{0, 1}, {100, 99}},
                               {{0, 2}, {100, 100}},
                               {{1, 0}, {100, 50}},
                               {{1, 1}, {200, 100}},
                               {{1, 2}, {100, 50}},
                               {{2, 0}, {100, 99}},
                               {{2, 1}, {100, 101}},
                               {{2, 2}, {100, 100}}});
  LocalizerOptions o;
  o.n_remove = 0;
  const Localization loc = *Localize(t, o);
  // Deviations 2(f-v)/(f+v): smallest -4/202 (a1b1), largest 2/3 (a2): t = 4/202 > 0,
  // so abnormal = dev > 4/202 = the three a2 leaves.
  EXPECT_DOUBLE_EQ(loc.cutoff, 4.0 / 202.0);
  EXPECT_EQ(loc.abnormal_leaves, 3);
  ASSERT_EQ(Texts(t, loc), std::vector<std::string>{"a=a2"});
  const RootCause& c = loc.causes[0];
  EXPECT_EQ(c.depth, 1);
  // sum real 801, sum forecast 1000: ep(a2) = (200 - 400) / (801 - 1000).
  EXPECT_NEAR(c.ep, 200.0 / 199.0, 1e-12);
  // Weights |dev| = 2/3 each, no normal leaf: high = 2 / (2 + 0 + 1).
  EXPECT_NEAR(c.high_risk, 2.0 / 3.0, 1e-12);
  // One ratio (0.5) explains all three leaves: no deviation is left.
  EXPECT_NEAR(c.low_risk, 0.0, 1e-12);
  EXPECT_NEAR(c.risk, 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(c.real, 200);
  EXPECT_DOUBLE_EQ(c.forecast, 400);
  EXPECT_EQ(c.leaves, 3);
}

TEST(LocalizerTest, SingleLeafCauseHasRiskExactlyOneHalf) {
  // a2&b3 drops to 0: deviation 2, weight capped at 1, so high = 1 / (1 + 0 + 1)
  // and (no leaf with both values non-zero) low = 0: risk 0.5 meets the default.
  // Its single members mix it with normal leaves: high < 0.5 there.
  const LeavesTable t = Table({{"a1", "a2", "a3"}, {"b1", "b2", "b3"}},
                              {{{0, 0}, {100, 102}},
                               {{0, 1}, {100, 99}},
                               {{0, 2}, {100, 100}},
                               {{1, 0}, {100, 101}},
                               {{1, 1}, {100, 99}},
                               {{1, 2}, {100, 0}},
                               {{2, 0}, {100, 99}},
                               {{2, 1}, {100, 101}},
                               {{2, 2}, {100, 100}}});
  LocalizerOptions o;
  o.n_remove = 0;
  const Localization loc = *Localize(t, o);
  EXPECT_EQ(loc.abnormal_leaves, 1);
  ASSERT_EQ(Texts(t, loc), std::vector<std::string>{"a=a2&b=b3"});
  EXPECT_EQ(loc.causes[0].depth, 2);
  EXPECT_DOUBLE_EQ(loc.causes[0].high_risk, 0.5);
  EXPECT_DOUBLE_EQ(loc.causes[0].low_risk, 0.0);
  // A threshold just above 0.5 rejects it (and nothing else qualifies).
  o.risk_threshold = 0.5001;
  EXPECT_TRUE(Localize(t, o)->causes.empty());
}

// A full product over `cards` with a wiggle, then each cause's leaves scaled.
LeavesTable Product(const std::vector<int>& cards,
                    const std::vector<std::pair<std::vector<int>, double>>& causes) {
  std::vector<std::vector<std::string>> members;
  std::size_t n = 1;
  for (std::size_t d = 0; d < cards.size(); ++d) {
    members.emplace_back();
    for (int m = 1; m <= cards[d]; ++m) {
      std::string name(1, static_cast<char>('a' + d));
      name.append(std::to_string(m));
      members[d].push_back(std::move(name));
    }
    std::sort(members[d].begin(), members[d].end());
    n *= static_cast<std::size_t>(cards[d]);
  }
  std::vector<std::pair<std::vector<int>, std::pair<double, double>>> rows;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int> ids(cards.size());
    std::size_t rest = i;
    for (std::size_t d = cards.size(); d-- > 0;) {
      ids[d] = static_cast<int>(rest % static_cast<std::size_t>(cards[d]));
      rest /= static_cast<std::size_t>(cards[d]);
    }
    const double f = 100 + static_cast<double>(i % 7) * 10;
    double v = f * Wiggle(i);
    for (const auto& [cause, scale] : causes) {
      bool in = true;
      for (std::size_t d = 0; d < cards.size(); ++d) in = in && (cause[d] < 0 || cause[d] == ids[d]);
      if (in) v = f * scale;
    }
    rows.push_back({ids, {f, v}});
  }
  return Table(members, rows);
}

TEST(LocalizerTest, TwoIndependentCauses) {
  // a=a1 (ids in text order: a1 is 0) loses 60%; b=b3 & c=c2 loses 50%.
  const LeavesTable t = Product({4, 5, 3}, {{{0, -1, -1}, 0.4}, {{-1, 2, 1}, 0.5}});
  const Localization loc = *Localize(t, {});
  std::vector<std::string> got = Texts(t, loc);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"a=a1", "b=b3&c=c2"}));
  // The larger fall is found first.
  EXPECT_EQ(CombinationText(t, loc.causes[0]), "a=a1");
}

TEST(LocalizerTest, NoChangeAtAllIsAnEmptySet) {
  const LeavesTable t = Product({3, 4}, {{{-1, -1}, 1.0}});  // wiggle only: sums differ
  std::vector<std::pair<std::vector<int>, std::pair<double, double>>> rows;
  const LeavesTable flat = Table({{"x", "y"}, {"p", "q"}}, {{{0, 0}, {5, 5}},
                                                            {{0, 1}, {7, 7}},
                                                            {{1, 0}, {0, 0}},
                                                            {{1, 1}, {9, 9}}});
  const Localization loc = *Localize(flat, {});
  EXPECT_TRUE(loc.causes.empty());
  EXPECT_EQ(loc.abnormal_leaves, 0);
  // Noise alone (every leaf within 1%) explains nothing either.
  EXPECT_TRUE(Localize(t, {})->causes.empty());
}

TEST(LocalizerTest, CauseAtDepthThree) {
  const LeavesTable t = Product({4, 3, 5, 4}, {{{1, -1, 3, 2}, 0.3}});
  const Localization loc = *Localize(t, {});
  ASSERT_EQ(Texts(t, loc), std::vector<std::string>{"a=a2&c=c4&d=d3"});
  EXPECT_EQ(loc.causes[0].depth, 3);
  EXPECT_EQ(loc.causes[0].leaves, 3);
  // max_depth 2 cannot name it.
  LocalizerOptions o;
  o.max_depth = 2;
  const Localization shallow = *Localize(t, o);
  for (const RootCause& c : shallow.causes) EXPECT_LE(c.depth, 2);
}

// ---- a plain reference: the same method, written the obvious way ----------

std::vector<std::pair<std::string, double>> Reference(const SyntheticCase& c,
                                                      const LocalizerOptions& o) {
  const std::size_t n = c.real.size(), dims = c.dims.size();
  std::vector<double> dev(n), ep(n), w(n);
  std::vector<int> ab(n);
  double sv = 0, sf = 0;
  for (std::size_t i = 0; i < n; ++i) {
    dev[i] = c.forecast[i] + c.real[i] == 0
                 ? 0
                 : 2 * (c.forecast[i] - c.real[i]) / (c.forecast[i] + c.real[i]);
    sv += c.real[i];
    sf += c.forecast[i];
  }
  std::set<double> distinct(dev.begin(), dev.end());
  std::vector<double> sorted(distinct.begin(), distinct.end());
  const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(o.n_remove) + 1, sorted.size());
  const double lo = sorted[take - 1], hi = sorted[sorted.size() - take];
  const double t = -(std::abs(hi) < std::abs(lo) ? hi : lo);
  const bool right = t > 0 || (t == 0 && !std::signbit(t));
  double abnormal_ep = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ab[i] = right ? dev[i] > t : dev[i] < t;
    w[i] = std::min(ab[i] ? std::abs(dev[i])
                          : (c.real[i] == 0 && c.forecast[i] == 0 ? 0 : std::abs(t - dev[i])),
                    1.0);
    ep[i] = (c.real[i] - c.forecast[i]) / (sv - sf);
    if (ab[i]) abnormal_ep += ep[i];
  }
  if (abnormal_ep < 0) {
    for (double& e : ep) e = -e;
    abnormal_ep = -abnormal_ep;
  }
  const double ep_min = abnormal_ep * o.pep_threshold;
  std::vector<bool> active(n, true);
  std::set<std::pair<std::size_t, Id>> pruned;
  std::vector<std::pair<std::string, double>> out;
  // Cuboids by depth, in combination order.
  std::vector<std::vector<std::size_t>> cuboids;
  for (std::size_t depth = 1; depth <= dims; ++depth) {
    std::vector<bool> pick(dims, false);
    std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(depth), true);
    do {
      std::vector<std::size_t> cub;
      for (std::size_t d = 0; d < dims; ++d) {
        if (pick[d]) cub.push_back(d);
      }
      cuboids.push_back(cub);
    } while (std::prev_permutation(pick.begin(), pick.end()));
  }
  while (true) {
    double remaining = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (active[i] && ab[i]) remaining += ep[i];
    }
    if (remaining < ep_min) break;
    bool found = false;
    std::vector<Id> best_key;
    std::vector<std::size_t> best_cub;
    double best_ep = ep_min;
    std::size_t depth = 0;
    for (const std::vector<std::size_t>& cub : cuboids) {
      if (cub.size() != depth) {
        if (found) break;
        depth = cub.size();
        best_ep = ep_min;
      }
      std::map<std::vector<Id>, std::vector<std::size_t>> groups;
      for (std::size_t i = 0; i < n; ++i) {
        if (!active[i]) continue;
        std::vector<Id> key;
        bool skip = false;
        for (std::size_t d : cub) {
          key.push_back(c.codes[d][i]);
          skip = skip || pruned.count({d, c.codes[d][i]}) > 0;
        }
        if (!skip) groups[key].push_back(i);
      }
      std::vector<std::pair<double, std::vector<Id>>> cands;
      for (const auto& [key, leaves] : groups) {
        double e = 0, e_pos = 0;
        int abn = 0;
        for (std::size_t i : leaves) {
          e += ep[i];
          e_pos += std::max(ep[i], 0.0);
          abn += ab[i];
        }
        if (depth == 1 && (e_pos < ep_min || abn == 0)) pruned.insert({cub[0], key[0]});
        if (abn > 0 && e > best_ep) cands.push_back({e, key});
      }
      std::stable_sort(cands.begin(), cands.end(),
                       [](const auto& x, const auto& y) { return x.first > y.first; });
      for (const auto& [e, key] : cands) {
        const std::vector<std::size_t>& leaves = groups[key];
        double wa = 0, wn = 0, nv = 0, nf = 0, absdev = 0, sumd = 0;
        int nz = 0;
        for (std::size_t i : leaves) {
          (ab[i] ? wa : wn) += w[i];
          if (c.real[i] != 0 && c.forecast[i] != 0) {
            nv += c.real[i];
            nf += c.forecast[i];
            absdev += std::abs(dev[i]);
            ++nz;
          }
        }
        for (std::size_t i : leaves) {
          if (c.real[i] == 0 || c.forecast[i] == 0) continue;
          const double a = c.forecast[i] * nv / nf;
          sumd += std::abs(2 * (a - c.real[i]) / (a + c.real[i]));
        }
        const double high = wa / (wa + wn + 1);
        const double low = nz > 0 && absdev != 0 ? (sumd / nz) / (absdev / nz) : 0;
        if (high - low >= o.risk_threshold - 1e-9) {  // the header's tolerance
          found = true;
          best_ep = e;
          best_key = key;
          best_cub = cub;
          break;
        }
      }
    }
    if (!found) break;
    std::string text;
    for (std::size_t k = 0; k < best_cub.size(); ++k) {
      if (k) text += '&';
      text += c.dims[best_cub[k]] + "=" +
              c.member_names[best_cub[k]][static_cast<std::size_t>(best_key[k])];
    }
    out.push_back({text, best_ep});
    for (std::size_t i = 0; i < n; ++i) {
      bool in = true;
      for (std::size_t k = 0; k < best_cub.size(); ++k) in = in && c.codes[best_cub[k]][i] == best_key[k];
      if (in) active[i] = false;
    }
  }
  return out;
}

TEST(LocalizerTest, MatchesPlainReferenceOnRandomCases) {
  int with_causes = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    SyntheticSpec spec;
    spec.cardinalities = seed % 2 ? std::vector<int>{4, 5, 3, 6} : std::vector<int>{3, 4, 2, 3, 3};
    spec.num_causes = 1 + static_cast<int>(seed % 3);
    spec.max_cause_depth = 1 + static_cast<int>(seed % 4);
    spec.noise = 0.02 + 0.1 * static_cast<double>(seed % 5) / 4;
    spec.severity_min = 0.2;
    spec.seed = seed;
    const SyntheticCase c = MakeSyntheticCase(spec);
    const LeavesTable t = *internal::ToLeavesTable(c);
    LocalizerOptions o;
    o.n_remove = static_cast<int>(seed % 6);
    o.prune_elements = seed % 5 != 0;
    const std::vector<std::pair<std::string, double>> want = Reference(c, o);
    const Localization got = *Localize(t, o);
    ASSERT_EQ(got.causes.size(), want.size()) << "seed " << seed;
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(CombinationText(t, got.causes[k]), want[k].first) << "seed " << seed;
      EXPECT_NEAR(got.causes[k].ep, want[k].second, 1e-9) << "seed " << seed;
    }
    with_causes += !want.empty();
  }
  EXPECT_GT(with_causes, 40);  // the cases are not trivially empty
}

// Sparse leaves over many members: the element ids and the "hot" filter take
// their sort paths (key ranges far above the leaf count).
TEST(LocalizerTest, MatchesPlainReferenceOnSparseLeaves) {
  int with_causes = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    std::mt19937_64 rng(seed);
    SyntheticCase c;
    const int cards[3] = {300, 5, 400};
    for (int d = 0; d < 3; ++d) {
      c.dims.push_back(std::string(1, static_cast<char>('a' + d)));
      c.member_names.emplace_back();
      for (int m = 0; m < cards[d]; ++m) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "m%04d", m);
        c.member_names.back().push_back(buf);
      }
      c.codes.emplace_back();
    }
    std::set<std::vector<Id>> seen;
    std::uniform_real_distribution<double> unit(0, 1);
    while (seen.size() < 3000) {
      std::vector<Id> key;
      for (int d = 0; d < 3; ++d) {
        // Skewed so that some members hold many leaves.
        const double u = unit(rng);
        key.push_back(static_cast<Id>(u * u * cards[d]));
      }
      if (!seen.insert(key).second) continue;
      for (int d = 0; d < 3; ++d) c.codes[static_cast<std::size_t>(d)].push_back(key[static_cast<std::size_t>(d)]);
      const double f = 10 + 90 * unit(rng);
      double v = f * (1 + 0.05 * (unit(rng) - 0.5));
      if (key[0] == 1 && key[1] == 0) v = f * 0.3;  // a cause at depth 2
      if (key[2] == static_cast<Id>(seed)) v = f * 0.4;  // and one at depth 1
      c.forecast.push_back(f);
      c.real.push_back(v);
    }
    const LeavesTable t = *internal::ToLeavesTable(c);
    for (bool prune : {true, false}) {
      LocalizerOptions o;
      o.prune_elements = prune;
      const std::vector<std::pair<std::string, double>> want = Reference(c, o);
      const Localization got = *Localize(t, o);
      ASSERT_EQ(got.causes.size(), want.size()) << "seed " << seed;
      for (std::size_t k = 0; k < want.size(); ++k) {
        EXPECT_EQ(CombinationText(t, got.causes[k]), want[k].first) << "seed " << seed;
        EXPECT_NEAR(got.causes[k].ep, want[k].second, 1e-9) << "seed " << seed;
      }
      with_causes += !want.empty();
    }
  }
  EXPECT_GT(with_causes, 8);
}

TEST(LocalizerTest, RecoversInjectedCauses) {
  int exact = 0;
  const int cases = 20;
  for (int seed = 1; seed <= cases; ++seed) {
    SyntheticSpec spec;
    spec.cardinalities = {8, 6, 5, 10};
    spec.num_causes = 2;
    spec.max_cause_depth = 3;
    spec.noise = 0.05;
    spec.seed = static_cast<std::uint64_t>(seed) * 7919;
    const SyntheticCase c = MakeSyntheticCase(spec);
    const LeavesTable t = *internal::ToLeavesTable(c);
    std::vector<std::string> got = Texts(t, *Localize(t, {}));
    std::sort(got.begin(), got.end());
    exact += got == c.cause_texts;
  }
  // RiskLoc's paper reports F1 ~0.9 on comparable synthetic sets.
  EXPECT_GE(exact, 17) << exact << " of " << cases << " recovered exactly";
}

TEST(LocalizerTest, RowOrderDoesNotMatter) {
  SyntheticSpec spec;
  spec.cardinalities = {5, 4, 6};
  spec.num_causes = 3;
  spec.seed = 11;
  SyntheticCase c = MakeSyntheticCase(spec);
  const Localization a = *Localize(*internal::ToLeavesTable(c), {});
  std::vector<std::size_t> perm(c.real.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::mt19937_64 rng(3);
  std::shuffle(perm.begin(), perm.end(), rng);
  SyntheticCase s = c;
  for (std::size_t i = 0; i < perm.size(); ++i) {
    for (std::size_t d = 0; d < c.dims.size(); ++d) s.codes[d][i] = c.codes[d][perm[i]];
    s.real[i] = c.real[perm[i]];
    s.forecast[i] = c.forecast[perm[i]];
  }
  const Localization b = *Localize(*internal::ToLeavesTable(s), {});
  ASSERT_EQ(a.causes.size(), b.causes.size());
  for (std::size_t k = 0; k < a.causes.size(); ++k) {
    EXPECT_EQ(a.causes[k].members, b.causes[k].members);
    EXPECT_EQ(a.causes[k].ep, b.causes[k].ep);  // bit for bit
    EXPECT_EQ(a.causes[k].risk, b.causes[k].risk);
  }
}

// ---- the leaves file --------------------------------------------------------

absl::StatusOr<LeavesTable> FromCsv(const std::string& text,
                                    const std::vector<std::string>& dims = {"a", "b"}) {
  IngestOptions o;
  o.stop_on_first_error = true;
  absl::StatusOr<StringCsv> csv = ReadCsvStringsFromBuffer(text, o);
  if (!csv.ok()) return csv.status();
  return LeavesTable::FromStringCsv(*csv, dims, "real", "predict");
}

TEST(LeavesFileTest, ReadsMembersInValueOrder) {
  absl::StatusOr<LeavesTable> t = FromCsv("a,b,real,predict\nz,10,1,2\ny,9,3,4\nz,9,5,6\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->num_leaves(), 3u);
  EXPECT_EQ(t->members(0).Code(0), "y");
  EXPECT_EQ(t->members(1).Code(0), "9");  // numeric members by value
  // Leaves in member order: (y,9), (z,9), (z,10).
  EXPECT_EQ(t->real(), (std::vector<double>{3, 5, 1}));
}

TEST(LeavesFileTest, Errors) {
  struct Case {
    std::string csv;
    std::vector<std::string> dims;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"a,b,real\nx,y,1\n", {"a", "b"}, "no column 'predict'"},
      {"a,real,predict\nx,1,2\n", {"a", "b"}, "no column 'b'"},
      {"a,b,real,predict\nx,y,1,2\nx,z,abc,2\n", {"a", "b"},
       "row 2, column 'real': 'abc' is not a finite number"},
      {"a,b,real,predict\nx,y,1,NaN\n", {"a", "b"}, "row 1, column 'predict': 'NaN'"},
      {"a,b,real,predict\nx,y,1,inf\n", {"a", "b"}, "'inf' is not a finite number"},
      {"a,b,real,predict\nx,y,,2\n", {"a", "b"}, "row 1, column 'real': '' is not"},
      {"a,b,real,predict\nx,y,1,2\nx,z,1,2\nx,y,3,4\n", {"a", "b"},
       "rows 1 and 3: the same leaf a=x&b=y twice"},
      {"a,b,real,predict\nx,y,1,2\n", {"a", "a"}, "dimension 'a' given twice"},
      {"a,b,real,predict\nx,y,1,2\n", {"a", "real"}, "'real' is both a dimension"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LeavesTable> t = FromCsv(c.csv, c.dims);
    ASSERT_FALSE(t.ok()) << c.csv;
    EXPECT_NE(std::string(t.status().message()).find(c.message), std::string::npos)
        << t.status() << "\nwanted: " << c.message;
  }
}

TEST(LocalizerTest, RejectsBadOptions) {
  const LeavesTable t = Product({2, 2}, {});
  for (auto set : std::vector<void (*)(LocalizerOptions&)>{
           [](LocalizerOptions& o) { o.risk_threshold = std::nan(""); },
           [](LocalizerOptions& o) { o.pep_threshold = -0.1; },
           [](LocalizerOptions& o) { o.n_remove = -1; },
           [](LocalizerOptions& o) { o.max_depth = -1; }}) {
    LocalizerOptions o;
    set(o);
    EXPECT_FALSE(Localize(t, o).ok());
  }
}

}  // namespace
}  // namespace salesight::insights
