// GroupKeyer against a hand-computed case and a plain reference (a std::map
// over key tuples) on random inputs: random cardinalities, members that may
// be missing (direct and through a relation's look-up), periods at every
// grain (with missing dates), the dense and hash modes forced, several calls
// per keyer, per-range keyers merged; the group limit; and that permuting
// the rows never changes the groups in canonical order.
#include "salesight/group_keyer.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace salesight {
namespace {

using Key = std::vector<std::int32_t>;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

DimensionColumn Dim(std::string name, const std::vector<Id>& codes, std::int32_t cardinality,
                    bool may_be_missing = false) {
  DimensionColumn d;
  d.name = std::move(name);
  d.codes = codes.data();
  d.cardinality = cardinality;
  d.may_be_missing = may_be_missing;
  return d;
}

std::vector<Key> KeysInOrder(const GroupKeyer& k) {
  std::vector<Key> out;
  for (std::int32_t s : k.CanonicalOrder()) {
    const auto key = k.Key(s);
    out.emplace_back(key.begin(), key.end());
  }
  return out;
}

// ------------------------------------------------------------ hand-computed

TEST(GroupKeyerTest, TinyCaseByHand) {
  // region: 3 members; channel: 2 members, may be missing; month of the day.
  const std::vector<Id> region = {2, 0, 2, 1, 0, 2};
  const std::vector<Id> channel = {1, kNoId, 1, 0, kNoId, 0};
  const Day jan = DayFromCivil(2024, 1, 15), feb = DayFromCivil(2024, 2, 3);
  const std::vector<Day> day = {jan, feb, jan, kNoDate, feb, feb};
  GroupPeriod period;
  period.days = day.data();
  period.grain = GrainUnit::kMonth;
  period.position = 1;  // region, month, channel
  for (const std::int64_t dense : {std::int64_t{1} << 20, std::int64_t{0}}) {
    SCOPED_TRACE(dense);
    auto k = GroupKeyer::Make({Dim("region", region, 3), Dim("channel", channel, 2, true)},
                              period, GroupKeyerLimits{dense, 100});
    ASSERT_TRUE(k.ok()) << k.status();
    EXPECT_EQ(k->dense(), dense != 0);
    std::vector<std::int32_t> slots(6);
    ASSERT_TRUE(k->Slots(0, 6, slots.data()).ok());
    // First seen: (2,jan,1)=0 (0,feb,none)=1 (2,jan,1)=0 skip (0,feb,none)=1 (2,feb,0)=2.
    EXPECT_THAT(slots, ElementsAre(0, 1, 0, GroupKeyer::kSkip, 1, 2));
    ASSERT_EQ(k->num_slots(), 3);
    const std::int32_t m_jan = 2024 * 12, m_feb = 2024 * 12 + 1;
    EXPECT_THAT(k->Key(0), ElementsAre(2, m_jan, 1));
    EXPECT_THAT(k->Key(1), ElementsAre(0, m_feb, kNoId));
    EXPECT_EQ(k->Code(1, 1), kNoId);
    EXPECT_EQ(k->Period(2), m_feb);
    EXPECT_THAT(k->CanonicalOrder(), ElementsAre(1, 0, 2));
    EXPECT_EQ(k->Describe(), "'region' (3 members) x month x 'channel' (2 members + none)");
  }
}

TEST(GroupKeyerTest, NoDimensionsIsOneGroup) {
  auto k = GroupKeyer::Make({});
  ASSERT_TRUE(k.ok());
  std::vector<std::int32_t> slots(5, 7);
  ASSERT_TRUE(k->Slots(0, 5, slots.data()).ok());
  EXPECT_THAT(slots, ElementsAre(0, 0, 0, 0, 0));
  EXPECT_EQ(k->num_slots(), 1);
  EXPECT_EQ(k->Key(0).size(), 0u);
}

TEST(GroupKeyerTest, CallerPeriodsSkipAndFindAdd) {
  const std::vector<Id> region = {0, 1, 0, 1};
  GroupPeriod period;  // ordinals from the caller
  period.grain = GrainUnit::kYear;
  auto k = GroupKeyer::Make({Dim("region", region, 2)}, period);
  ASSERT_TRUE(k.ok());
  EXPECT_FALSE(k->Slots(0, 4, std::vector<std::int32_t>(4).data()).ok());  // no day column
  const std::vector<std::int32_t> years = {2023, GroupKeyer::kSkipRow, 2024, 2023};
  std::vector<std::int32_t> slots(4);
  ASSERT_TRUE(k->SlotsOfPeriods(0, 4, years.data(), slots.data()).ok());
  EXPECT_THAT(slots, ElementsAre(0, GroupKeyer::kSkip, 1, 2));
  EXPECT_EQ(k->Find(3, 2023), 2);
  EXPECT_EQ(k->Find(3, 2030), GroupKeyer::kMissing);
  auto added = k->Add(3, 2030);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 3);
  EXPECT_EQ(k->Find(3, 2030), 3);
  EXPECT_THAT(k->Key(3), ElementsAre(1, 2030));
  // Keys given as parts: validated.
  EXPECT_FALSE(k->SlotOfKey({2, 2024}).ok());      // region has 2 members
  EXPECT_FALSE(k->SlotOfKey({kNoId, 2024}).ok());  // and never misses one
  EXPECT_FALSE(k->SlotOfKey({0}).ok());
  auto s = k->SlotOfKey({0, 2024});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 1);
}

TEST(GroupKeyerTest, GroupLimitNamesTheDimensions) {
  const std::vector<Id> customer = {0, 1, 2, 3, 4, 0};
  const std::vector<Id> product = {0, 0, 0, 0, 0, 0};
  for (const std::int64_t dense : {std::int64_t{1} << 20, std::int64_t{0}}) {
    auto k = GroupKeyer::Make({Dim("customer", customer, 5), Dim("product", product, 1)},
                              std::nullopt, GroupKeyerLimits{dense, 3});
    ASSERT_TRUE(k.ok());
    std::vector<std::int32_t> slots(6);
    const absl::Status st = k->Slots(0, 6, slots.data());
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(st.message(), HasSubstr("'customer' (5 members) x 'product' (1 member)"));
    EXPECT_THAT(st.message(), HasSubstr("more than 3 groups"));
    EXPECT_EQ(k->num_slots(), 3);  // the slots before the failing row stay
  }
  EXPECT_FALSE(GroupKeyer::Make({}, std::nullopt, GroupKeyerLimits{1, 0}).ok());
}

TEST(GroupKeyerTest, MergeNeedsTheSameDimensions) {
  const std::vector<Id> a = {0, 1}, b = {0, 1};
  auto x = GroupKeyer::Make({Dim("a", a, 2)});
  auto y = GroupKeyer::Make({Dim("b", b, 3)});
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_FALSE(x->Merge(*y).ok());
  GroupPeriod month;
  month.grain = GrainUnit::kMonth;
  auto z = GroupKeyer::Make({Dim("a", a, 2)}, month);
  ASSERT_TRUE(z.ok());
  EXPECT_FALSE(x->Merge(*z).ok());
}

// ------------------------------------------------------------ reference

struct RandomInput {
  std::vector<std::vector<Id>> codes;  // per dimension: per row (or related id)
  std::vector<std::shared_ptr<const std::vector<Id>>> lookups;  // null = direct
  std::vector<std::int32_t> cards;
  std::vector<bool> missing;
  std::vector<Day> days;
  std::optional<Grain> grain;
  int period_position = -1;
  std::size_t rows = 0;

  std::vector<DimensionColumn> Dims() const {
    std::vector<DimensionColumn> dims;
    for (std::size_t d = 0; d < codes.size(); ++d) {
      DimensionColumn c;
      c.name = absl::StrFormat("d%d", d);
      c.codes = codes[d].data();
      c.cardinality = cards[d];
      c.may_be_missing = missing[d];
      if (lookups[d]) {
        c.lookup = lookups[d]->data();
        c.lookup_owner = lookups[d];
      }
      dims.push_back(c);
    }
    return dims;
  }
  std::optional<GroupPeriod> Period() const {
    if (!grain) return std::nullopt;
    GroupPeriod p;
    p.days = days.data();
    p.grain = *grain;
    p.position = period_position;
    return p;
  }
  // The key of a row, or nullopt when it is not grouped (no date).
  std::optional<Key> RefKey(std::size_t row) const {
    Key key;
    for (std::size_t d = 0; d < codes.size(); ++d) {
      const Id v = codes[d][row];
      key.push_back(lookups[d] ? (*lookups[d])[static_cast<std::size_t>(v)] : v);
    }
    if (grain) {
      if (days[row] == kNoDate) return std::nullopt;
      const std::size_t at =
          period_position < 0 ? key.size() : static_cast<std::size_t>(period_position);
      key.insert(key.begin() + static_cast<std::ptrdiff_t>(at), PeriodOf(*grain, days[row]));
    }
    return key;
  }
};

RandomInput MakeInput(std::mt19937_64& rng) {
  RandomInput in;
  in.rows = rng() % 3000;
  const int num_dims = static_cast<int>(rng() % 5);
  for (int d = 0; d < num_dims; ++d) {
    // Mostly small, sometimes large cardinalities (a large key space).
    const std::int32_t card = rng() % 4 == 0 ? static_cast<std::int32_t>(1 + rng() % 5000)
                                             : static_cast<std::int32_t>(1 + rng() % 12);
    const bool missing = rng() % 2 == 0;
    const bool related = rng() % 3 == 0;
    std::vector<Id> col(in.rows);
    std::shared_ptr<const std::vector<Id>> lookup;
    // Few distinct members per column, so groups repeat.
    const std::int32_t used = std::min<std::int32_t>(card, static_cast<std::int32_t>(1 + rng() % 40));
    auto member = [&] {
      if (missing && rng() % 7 == 0) return kNoId;
      return static_cast<Id>(rng() % static_cast<std::uint64_t>(used)) * (card / used);
    };
    if (related) {
      auto table = std::make_shared<std::vector<Id>>(1 + rng() % 60);
      for (Id& v : *table) v = member();
      for (Id& v : col) v = static_cast<Id>(rng() % table->size());
      lookup = table;
    } else {
      for (Id& v : col) v = member();
    }
    in.codes.push_back(std::move(col));
    in.lookups.push_back(lookup);
    in.cards.push_back(card);
    in.missing.push_back(missing);
  }
  if (rng() % 4 != 0) {
    static const Grain kGrains[] = {GrainUnit::kDay,   GrainUnit::kIsoWeek,
                                    GrainUnit::kMonth, GrainUnit::kQuarter,
                                    GrainUnit::kYear,  Grain(GrainUnit::kFiscalYear, 4)};
    in.grain = kGrains[rng() % 6];
    in.period_position = static_cast<int>(rng() % static_cast<std::uint64_t>(num_dims + 2)) - 1;
    const Day start = DayFromCivil(1995 + static_cast<int>(rng() % 30), 1, 1);
    const auto spread = static_cast<std::uint64_t>(1 + rng() % 2000);
    in.days.resize(in.rows);
    for (Day& day : in.days) {
      day = rng() % 20 == 0 ? kNoDate : start + static_cast<Day>(rng() % spread);
    }
    // Sometimes the far ends of the accepted range.
    if (in.rows > 2 && rng() % 5 == 0) {
      in.days[0] = kMinDay;
      in.days[1] = kMaxDay;
    }
  }
  return in;
}

// Checks one keyer's slots for rows [0, rows) against the reference: equal
// keys <-> equal slots, every slot's key, the number of slots, and the
// canonical order.
void ExpectMatchesReference(const RandomInput& in, const GroupKeyer& k,
                            const std::vector<std::int32_t>& slots) {
  std::map<Key, std::int32_t> ref;
  for (std::size_t i = 0; i < in.rows; ++i) {
    const std::optional<Key> key = in.RefKey(i);
    if (!key) {
      ASSERT_EQ(slots[i], GroupKeyer::kSkip) << "row " << i;
      continue;
    }
    ASSERT_GE(slots[i], 0) << "row " << i;
    ASSERT_LT(slots[i], k.num_slots());
    const auto got = k.Key(slots[i]);
    ASSERT_EQ(Key(got.begin(), got.end()), *key) << "row " << i;
    auto [it, inserted] = ref.emplace(*key, slots[i]);
    ASSERT_EQ(it->second, slots[i]) << "row " << i;
  }
  ASSERT_EQ(static_cast<std::size_t>(k.num_slots()), ref.size());
  std::vector<Key> expected;
  for (const auto& [key, slot] : ref) expected.push_back(key);
  EXPECT_EQ(KeysInOrder(k), expected);
}

GroupKeyerLimits RandomLimits(std::mt19937_64& rng) {
  GroupKeyerLimits l;
  switch (rng() % 4) {
    case 0: l.max_dense_entries = 0; break;                          // hash from the start
    case 1: l.max_dense_entries = static_cast<std::int64_t>(rng() % 2000); break;  // may switch
    default: l.max_dense_entries = std::int64_t{1} << 20; break;    // dense
  }
  return l;
}

TEST(GroupKeyerTest, MatchesReferenceOnRandomInputs) {
  int dense = 0, hash = 0, switched = 0;  // every mode is exercised
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const RandomInput in = MakeInput(rng);
    const GroupKeyerLimits limits = RandomLimits(rng);
    std::optional<GroupPeriod> period = in.Period();
    if (period && rng() % 2 == 0 && in.rows > 0) {  // known range: sized up front
      Day lo = kMaxDay, hi = kMinDay;
      for (Day d : in.days) {
        if (d != kNoDate) lo = std::min(lo, d), hi = std::max(hi, d);
      }
      if (lo <= hi) period->first_day = lo, period->last_day = hi;
    }
    auto keyer = GroupKeyer::Make(in.Dims(), period, limits);
    ASSERT_TRUE(keyer.ok()) << keyer.status();
    // Several calls over consecutive ranges of random lengths.
    std::vector<std::int32_t> slots(in.rows);
    for (std::size_t b = 0; b < in.rows;) {
      const std::size_t e = std::min(in.rows, b + 1 + rng() % 5000);
      ASSERT_TRUE(keyer->Slots(b, e, slots.data() + b).ok());
      b = e;
    }
    ExpectMatchesReference(in, *keyer, slots);
    dense += keyer->dense() ? 1 : 0;
    hash += keyer->dense() ? 0 : 1;
    switched += !keyer->dense() && limits.max_dense_entries > 0 && keyer->num_slots() > 0;

    // The caller's ordinals give the same slots; so does one row at a time.
    if (in.grain) {
      GroupPeriod given = *in.Period();
      given.days = nullptr;
      auto by_ordinal = GroupKeyer::Make(in.Dims(), given, limits);
      ASSERT_TRUE(by_ordinal.ok());
      std::vector<std::int32_t> periods(in.rows), again(in.rows);
      for (std::size_t i = 0; i < in.rows; ++i) {
        periods[i] = in.days[i] == kNoDate ? GroupKeyer::kSkipRow : PeriodOf(*in.grain, in.days[i]);
      }
      ASSERT_TRUE(by_ordinal->SlotsOfPeriods(0, in.rows, periods.data(), again.data()).ok());
      EXPECT_EQ(again, slots);
    }
    auto single = GroupKeyer::Make(in.Dims(), in.Period(), limits);
    ASSERT_TRUE(single.ok());
    for (std::size_t i = 0; i < in.rows; ++i) {
      const std::int32_t p = single->PeriodOfRow(i);
      if (p == GroupKeyer::kSkipRow) continue;
      std::int32_t s = single->Find(i, p);
      if (s == GroupKeyer::kMissing) {
        auto added = single->Add(i, p);
        ASSERT_TRUE(added.ok());
        s = *added;
      }
      ASSERT_EQ(s, slots[i]) << "row " << i;
    }
  }
  EXPECT_GT(dense, 100);
  EXPECT_GT(hash, 50);
  EXPECT_GT(switched, 10);
}

TEST(GroupKeyerTest, MergedRangeKeyersMatchReference) {
  for (std::uint64_t seed = 1000; seed < 1300; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const RandomInput in = MakeInput(rng);
    const std::size_t parts = 1 + rng() % 4;
    std::vector<GroupKeyer> keyers;
    std::vector<std::vector<std::int32_t>> local(parts);
    for (std::size_t t = 0; t < parts; ++t) {
      auto k = GroupKeyer::Make(in.Dims(), in.Period(), RandomLimits(rng));
      ASSERT_TRUE(k.ok());
      const std::size_t b = in.rows * t / parts, e = in.rows * (t + 1) / parts;
      local[t].resize(e - b);
      ASSERT_TRUE(k->Slots(b, e, local[t].data()).ok());
      keyers.push_back(*std::move(k));
    }
    // Into the first: every row's slot through the remaps.
    std::vector<std::int32_t> slots(in.rows);
    for (std::size_t t = 0; t < parts; ++t) {
      std::vector<std::int32_t> remap;
      if (t == 0) {
        remap.resize(static_cast<std::size_t>(keyers[0].num_slots()));
        std::iota(remap.begin(), remap.end(), 0);
      } else {
        auto r = keyers[0].Merge(keyers[t]);
        ASSERT_TRUE(r.ok()) << r.status();
        remap = *r;
      }
      const std::size_t b = in.rows * t / parts;
      for (std::size_t j = 0; j < local[t].size(); ++j) {
        const std::int32_t s = local[t][j];
        slots[b + j] = s < 0 ? s : remap[static_cast<std::size_t>(s)];
      }
    }
    ExpectMatchesReference(in, keyers[0], slots);
  }
}

TEST(GroupKeyerTest, RowPermutationKeepsCanonicalGroups) {
  for (std::uint64_t seed = 5000; seed < 5150; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const RandomInput in = MakeInput(rng);
    std::vector<std::size_t> perm(in.rows);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    RandomInput shuffled = in;
    for (std::size_t d = 0; d < in.codes.size(); ++d) {
      for (std::size_t i = 0; i < in.rows; ++i) shuffled.codes[d][i] = in.codes[d][perm[i]];
    }
    for (std::size_t i = 0; i < in.days.size(); ++i) shuffled.days[i] = in.days[perm[i]];
    const GroupKeyerLimits limits = RandomLimits(rng);
    auto a = GroupKeyer::Make(in.Dims(), in.Period(), limits);
    auto b = GroupKeyer::Make(shuffled.Dims(), shuffled.Period(), limits);
    ASSERT_TRUE(a.ok() && b.ok());
    std::vector<std::int32_t> sa(in.rows), sb(in.rows);
    ASSERT_TRUE(a->Slots(0, in.rows, sa.data()).ok());
    ASSERT_TRUE(b->Slots(0, in.rows, sb.data()).ok());
    EXPECT_EQ(KeysInOrder(*a), KeysInOrder(*b));
    // Row i of the shuffle is row perm[i]: same key.
    for (std::size_t i = 0; i < in.rows; ++i) {
      if (sb[i] < 0) {
        ASSERT_EQ(sa[perm[i]], sb[i]);
        continue;
      }
      const auto kb = b->Key(sb[i]);
      const auto ka = a->Key(sa[perm[i]]);
      ASSERT_EQ(Key(ka.begin(), ka.end()), Key(kb.begin(), kb.end()));
    }
  }
}

}  // namespace
}  // namespace salesight
