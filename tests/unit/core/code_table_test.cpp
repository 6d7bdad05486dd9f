// CodeTable (the readers' per-row probe), InternCache (the same ids as the
// Dictionary behind it) and InternColumn (a text column on T threads: codes in
// first-appearance order for every thread count), each against a plain
// reference on random data.
#include "core/internal/code_table.hpp"

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/internal/parallel_intern.hpp"
#include "gtest/gtest.h"
#include "salesight/dictionary.hpp"
#include "salesight/text_codes.hpp"

namespace salesight::internal {
namespace {

TEST(CodeTableTest, FirstSeenIdsShortLongAndEmptyKeys) {
  CodeTable t;
  const std::string k20(20, 'x'), k21(21, 'x');
  // Two long keys that differ only after the inline bytes.
  const std::string long_a = std::string(30, 'p') + "a", long_b = std::string(30, 'p') + "b";
  EXPECT_EQ(t.Intern("C-000123"), 0);
  EXPECT_EQ(t.Intern("华东"), 1);
  EXPECT_EQ(t.Intern("C-000123"), 0);
  EXPECT_EQ(t.Intern(""), 2);
  EXPECT_EQ(t.Intern(k20), 3);
  EXPECT_EQ(t.Intern(k21), 4);
  EXPECT_EQ(t.Intern(long_a), 5);
  EXPECT_EQ(t.Intern(long_b), 6);
  EXPECT_EQ(t.Intern(std::string_view("a\0b", 3)), 7);  // bytes, not C strings
  EXPECT_EQ(t.Intern("a"), 8);
  bool added = true;
  EXPECT_EQ(t.Intern(long_b, &added), 6);
  EXPECT_FALSE(added);
  EXPECT_EQ(t.Intern("new", &added), 9);
  EXPECT_TRUE(added);
  EXPECT_EQ(t.size(), 10);
  EXPECT_EQ(t.Find(k21), 4);
  EXPECT_EQ(t.Find(std::string(22, 'x')), kNoId);
  EXPECT_EQ(t.Find("C-000124"), kNoId);
  EXPECT_EQ(t.Code(1), "华东");
  EXPECT_EQ(t.Code(2), "");
  EXPECT_EQ(t.Code(7), std::string_view("a\0b", 3));
  EXPECT_EQ(t.Code(6), long_b);
  EXPECT_EQ(CodeTable().Find("x"), kNoId);
}

TEST(CodeTableTest, CopiedKeysOutliveTheCallersBuffer) {
  CodeTable t;
  std::string buffer = "C-000001";
  t.Intern(buffer);
  std::string long_buffer(40, 'q');
  t.Intern(long_buffer);
  buffer = "C-999999";
  long_buffer.assign(40, 'r');
  EXPECT_EQ(t.Code(0), "C-000001");
  EXPECT_EQ(t.Code(1), std::string(40, 'q'));
  EXPECT_EQ(t.Find("C-000001"), 0);
  EXPECT_EQ(t.Find(std::string(40, 'q')), 1);
}

// Keys from a small alphabet and lengths around the inline size, so equal
// prefixes, equal lengths and growth all happen.
std::string RandomKey(std::mt19937_64& rng) {
  static constexpr char kAlphabet[] = {'a', 'b', '\0', '\xE4'};
  const std::size_t size = std::uniform_int_distribution<std::size_t>(0, 26)(rng);
  std::string key(size, 'a');
  for (char& c : key) c = kAlphabet[rng() % 4];
  if (size > 4 && rng() % 2 == 0) key.replace(0, 4, "C-00");  // a shared prefix
  return key;
}

TEST(CodeTableTest, MatchesAMapOnRandomKeys) {
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(seed);
    CodeTable t(seed % 2 == 0);
    std::map<std::string, Id> reference;
    std::vector<std::string> keep;  // copy_keys = false: the caller keeps the bytes
    const int n = static_cast<int>(rng() % 1000);
    keep.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      keep.push_back(RandomKey(rng));
      const std::string& key = keep.back();
      const auto [it, is_new] = reference.try_emplace(key, static_cast<Id>(reference.size()));
      bool added = false;
      ASSERT_EQ(t.Intern(key, &added), it->second) << "seed " << seed << " key " << i;
      ASSERT_EQ(added, is_new);
      const std::string absent = RandomKey(rng);
      const auto found = reference.find(absent);
      ASSERT_EQ(t.Find(absent), found == reference.end() ? kNoId : found->second);
    }
    ASSERT_EQ(t.size(), static_cast<Id>(reference.size()));
    for (const auto& [key, id] : reference) ASSERT_EQ(t.Code(id), key);
  }
}

// The same key at different places of one buffer, with different bytes
// after it, is one key (the hash reads only the key's own bytes).
TEST(CodeTableTest, KeysInsideALargerBufferHashByTheirBytesOnly) {
  for (std::size_t size = 0; size <= 40; ++size) {
    const std::string key(size, 'k');
    const std::string buffer = key + "AAAAAAAAAAAAAAAA" + key + "BBBBBBBBBBBBBBBB";
    CodeTable t(false);
    EXPECT_EQ(t.Intern(std::string_view(buffer).substr(0, size)), 0) << size;
    EXPECT_EQ(t.Intern(std::string_view(buffer).substr(size + 16, size)), 0) << size;
    EXPECT_EQ(t.size(), 1) << size;
  }
}

TEST(InternCacheTest, GivesTheDictionarysIdsForAPrefilledDictionary) {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 rng(seed);
    Dictionary dict, reference;
    for (int i = 0; i < 20; ++i) {
      const std::string key = RandomKey(rng);
      ASSERT_TRUE(dict.Intern(key).ok());
      ASSERT_TRUE(reference.Intern(key).ok());
    }
    InternCache cache(dict);
    for (int i = 0; i < 500; ++i) {
      const std::string key = RandomKey(rng);
      absl::StatusOr<Id> got = cache.Intern(key), want = reference.Intern(key);
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(*got, *want) << "seed " << seed;
    }
    ASSERT_EQ(dict.size(), reference.size());
    for (Id id = 0; id < dict.size(); ++id) ASSERT_EQ(dict.Code(id), reference.Code(id));
  }
}

TEST(InternCacheTest, WithoutADictionaryTheIdsAreItsOwn) {
  InternCache cache;
  EXPECT_EQ(*cache.Intern("b"), 0);
  EXPECT_EQ(*cache.Intern("a"), 1);
  EXPECT_EQ(*cache.Intern("b"), 0);
  EXPECT_EQ(cache.table().size(), 2);
  EXPECT_EQ(cache.table().Code(1), "a");
}

// An Arrow-style column: offsets, bytes and a validity bitmap.
struct TextColumn {
  std::vector<std::int64_t> offsets{0};
  std::string data;
  std::vector<std::uint8_t> validity;
  std::vector<bool> valid;
  void Add(std::string_view value, bool is_valid) {
    data.append(value);
    offsets.push_back(static_cast<std::int64_t>(data.size()));
    valid.push_back(is_valid);
    if (validity.size() * 8 < valid.size()) validity.push_back(0);
    if (is_valid) validity[(valid.size() - 1) / 8] |= std::uint8_t(1u << ((valid.size() - 1) % 8));
  }
  std::int64_t size() const { return static_cast<std::int64_t>(valid.size()); }
};

// InternColumn as the C ABI calls it (salesight::InternTextColumn) but with
// the thread count forced, so that small columns are split too.
InternedColumn InternOn(const TextColumn& c, std::size_t threads, std::vector<std::int32_t>* codes) {
  codes->assign(static_cast<std::size_t>(c.size()), -7);
  auto read = [&](std::int64_t i, std::string_view* value) -> const char* {
    if (!c.valid[static_cast<std::size_t>(i)]) return kNullCell;
    const std::int64_t b = c.offsets[static_cast<std::size_t>(i)],
                       e = c.offsets[static_cast<std::size_t>(i) + 1];
    if (e < b) return "offsets decreasing";
    *value = std::string_view(c.data).substr(static_cast<std::size_t>(b),
                                              static_cast<std::size_t>(e - b));
    return nullptr;
  };
  auto check_new = [](std::string_view v) -> const char* {
    return v.find('\0') != std::string_view::npos ? "a NUL byte" : nullptr;
  };
  return InternColumn(c.size(), threads, codes->data(), read, check_new);
}

TEST(InternColumnTest, FirstAppearanceCodesForEveryThreadCount) {
  for (std::uint64_t seed = 0; seed < 150; ++seed) {
    std::mt19937_64 rng(seed);
    TextColumn column;
    const int n = static_cast<int>(rng() % 400);
    const int distinct = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      std::string value = absl::StrCat("v", rng() % static_cast<std::uint64_t>(distinct));
      value.append(rng() % 25, 'z');
      column.Add(value, rng() % 8 != 0);
    }
    // Reference: one pass, codes in first-appearance order.
    std::map<std::string, std::int32_t> ids;
    std::vector<std::string> dictionary;
    std::vector<std::int32_t> want;
    std::int64_t first_null = -1;
    for (std::int64_t i = 0; i < column.size(); ++i) {
      if (!column.valid[static_cast<std::size_t>(i)]) {
        if (first_null < 0) first_null = i;
        want.push_back(-1);
        continue;
      }
      const std::string v = column.data.substr(
          static_cast<std::size_t>(column.offsets[static_cast<std::size_t>(i)]),
          static_cast<std::size_t>(column.offsets[static_cast<std::size_t>(i) + 1] -
                                   column.offsets[static_cast<std::size_t>(i)]));
      auto [it, added] = ids.try_emplace(v, static_cast<std::int32_t>(dictionary.size()));
      if (added) dictionary.push_back(v);
      want.push_back(it->second);
    }
    for (std::size_t threads : {1u, 2u, 3u, 7u}) {
      std::vector<std::int32_t> codes;
      const InternedColumn got = InternOn(column, threads, &codes);
      ASSERT_LT(got.bad_row, 0);
      ASSERT_FALSE(got.too_many || got.out_of_memory);
      ASSERT_EQ(codes, want) << "seed " << seed << ", " << threads << " threads";
      ASSERT_EQ(got.first_null, first_null);
      ASSERT_EQ(got.table.size(), static_cast<Id>(dictionary.size()));
      for (std::size_t k = 0; k < dictionary.size(); ++k) {
        ASSERT_EQ(got.table.Code(static_cast<Id>(k)), dictionary[k]);
      }
    }
  }
}

TEST(InternColumnTest, NamesTheFirstWrongRowForEveryThreadCount) {
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    std::mt19937_64 rng(seed);
    TextColumn column;
    const int n = 1 + static_cast<int>(rng() % 300);
    std::int64_t first_bad = -1;
    for (int i = 0; i < n; ++i) {
      const bool bad = rng() % 40 == 0;
      if (bad && first_bad < 0) first_bad = i;
      // Bad rows hold a NUL; valid ones repeat a few values.
      column.Add(bad ? std::string("x\0y", 3) : absl::StrCat("c", rng() % 5), true);
    }
    for (std::size_t threads : {1u, 2u, 4u}) {
      std::vector<std::int32_t> codes;
      const InternedColumn got = InternOn(column, threads, &codes);
      ASSERT_EQ(got.bad_row, first_bad) << "seed " << seed << ", " << threads << " threads";
      if (first_bad >= 0) {
        ASSERT_STREQ(got.bad_reason, "a NUL byte");
      }
    }
  }
}

TEST(InternTextColumnTest, HandCase) {
  TextColumn column;
  column.Add("b", true);
  column.Add("a", true);
  column.Add("", false);
  column.Add("b", true);
  column.Add("", true);
  std::vector<std::int32_t> codes(5);
  absl::StatusOr<TextCodes> got = InternTextColumn(column.offsets.data(), column.data.data(), 5,
                                                   column.validity.data(), 2, codes.data());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(codes, (std::vector<std::int32_t>{0, 1, -1, 0, 2}));
  EXPECT_EQ(got->dictionary, (std::vector<std::string_view>{"b", "a", ""}));
  EXPECT_EQ(got->first_null, 2);
  const std::vector<std::int32_t> new_id = {1, 2, 0};  // "" < "a" < "b"
  RenumberCodes(codes.data(), 5, new_id, 2);
  EXPECT_EQ(codes, (std::vector<std::int32_t>{1, 2, -1, 1, 0}));

  column.offsets[4] = column.offsets[3] - 1;  // row 3 ends before it starts
  got = InternTextColumn(column.offsets.data(), column.data.data(), 5, nullptr, 1, codes.data());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), "row 3: offsets decreasing");
}

}  // namespace
}  // namespace salesight::internal
