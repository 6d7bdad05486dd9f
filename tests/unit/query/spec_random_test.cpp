// Random valid query specs: serialize -> parse gives the same spec, and the
// canonical JSON is a fixed point, on many seeds. The generator reaches every
// field, op, grain, compare and totals mode, nested and/or groups, Unicode and
// escapes in names and values, and extreme numbers. Also: the limits a
// C++-built spec is checked against (CheckQuerySpecShape) say the same as
// parsing its JSON under the same limits.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/query/measures.hpp"
#include "salesight/query/spec.hpp"

namespace salesight {
namespace {

class SpecGenerator {
 public:
  explicit SpecGenerator(std::uint64_t seed) : rng_(seed) {}

  QuerySpec Spec() {
    QuerySpec s;
    const auto measures = QueryMeasures();
    for (int i = Int(0, 4); i > 0; --i) {
      s.measures.emplace_back(measures[static_cast<std::size_t>(Int(0, static_cast<int>(measures.size()) - 1))].name);
    }
    for (int i = Int(0, 4); i > 0; --i) s.dimensions.push_back(Name());
    if (Coin()) {
      QueryTime t;
      t.dimension = Name();
      if (Coin()) t.grain = RandomGrain();
      if (Coin()) t.from = Date();
      if (Coin()) t.to = Date();
      if (t.from != kNoDate && t.to != kNoDate && t.from > t.to) std::swap(t.from, t.to);
      t.compare = static_cast<QueryCompare>(Int(0, 3));
      s.time = t;
    }
    if (Coin()) s.filters = Filters(3);
    for (int i = Int(0, 3); i > 0; --i) s.order.push_back(QueryOrder{Name(), Coin()});
    if (Coin()) s.limit = Count();
    if (Coin()) s.offset = Count();
    if (Coin()) s.top = QueryTop{Count() + 1, Coin() ? "" : Name(), Coin()};
    s.totals = static_cast<QueryTotals>(Int(0, 2));
    return s;
  }

 private:
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Int(0, 1) == 1; }

  std::int64_t Count() {
    switch (Int(0, 3)) {
      case 0: return 0;
      case 1: return Int(1, 100);
      case 2: return std::numeric_limits<std::int64_t>::max() - 1;
      default: return std::uniform_int_distribution<std::int64_t>(
          0, std::numeric_limits<std::int64_t>::max() - 1)(rng_);
    }
  }

  std::string Name() {
    static const char* const kPieces[] = {
        "region", "Sub-Category", "order_date", ".month", "華東", "é", " ", "\"", "\\", "/",
        "\n", "\t", "\x01", "😀", "a.b", "", "ÿ", "\u2028"};
    std::string out;
    for (int i = Int(0, 3); i > 0; --i) out += kPieces[Int(0, std::size(kPieces) - 1)];
    return out;
  }

  Day Date() { return Int(kMinDay, kMaxDay); }

  Grain RandomGrain() {
    const int u = Int(0, 5);
    if (u == 5) return Grain(GrainUnit::kFiscalYear, Int(1, 12));
    return Grain(static_cast<GrainUnit>(u));
  }

  QueryValue Value() {
    switch (Int(0, 5)) {
      case 0: return Name();
      case 1: return static_cast<std::int64_t>(Int(-1000, 1000));
      case 2: return std::numeric_limits<std::int64_t>::min();
      case 3: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
      case 4: {
        // Any finite double, bit patterns included (subnormals, huge, -0).
        std::uint64_t bits = rng_();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return std::isfinite(d) ? d : 0.5;
      }
      default: return FormatDate(Date());
    }
  }

  std::vector<QueryFilter> Filters(int depth) {
    std::vector<QueryFilter> out;
    for (int i = Int(0, 4); i > 0; --i) {
      QueryFilter f;
      if (depth > 0 && Int(0, 3) == 0) {
        f.kind = Coin() ? QueryFilter::Kind::kAnd : QueryFilter::Kind::kOr;
        f.children = Filters(depth - 1);
      } else {
        f.member = Name();
        f.op = static_cast<FilterOp>(Int(0, kNumFilterOps - 1));
        int n = 0;
        switch (f.op) {
          case FilterOp::kGt: case FilterOp::kGte: case FilterOp::kLt: case FilterOp::kLte:
            n = 1;
            break;
          case FilterOp::kBetween: n = 2; break;
          case FilterOp::kSet: case FilterOp::kNotSet: n = 0; break;
          default: n = Int(1, 5);
        }
        for (int k = 0; k < n; ++k) f.values.push_back(Value());
      }
      out.push_back(std::move(f));
    }
    return out;
  }

  std::mt19937_64 rng_;
};

TEST(QuerySpecRandom, SerializeThenParseIsTheIdentity) {
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    const QuerySpec spec = SpecGenerator(seed).Spec();
    const std::string json = QuerySpecJson(spec);
    absl::StatusOr<QuerySpec> parsed = ParseQuerySpec(json);
    ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.status() << "\n" << json;
    ASSERT_EQ(*parsed, spec) << "seed " << seed << "\n" << json;
    ASSERT_EQ(QuerySpecJson(*parsed), json) << "seed " << seed;
  }
}

TEST(QuerySpecRandom, BuiltSpecLimitsAgreeWithParsing) {
  for (std::uint64_t seed = 1; seed <= 1500; ++seed) {
    const QuerySpec spec = SpecGenerator(seed).Spec();
    std::mt19937_64 rng(seed);
    QueryLimits limits;
    // >= 3: the time range and order items sit at depth 3, which only the
    // filters' nesting can exceed in a built spec.
    limits.max_depth = std::uniform_int_distribution<int>(3, 9)(rng);
    limits.max_filters = std::uniform_int_distribution<std::size_t>(0, 12)(rng);
    limits.max_values = std::uniform_int_distribution<std::size_t>(0, 20)(rng);
    limits.max_measures = std::uniform_int_distribution<std::size_t>(0, 4)(rng);
    limits.max_dimensions = std::uniform_int_distribution<std::size_t>(0, 4)(rng);
    limits.max_order = std::uniform_int_distribution<std::size_t>(0, 3)(rng);
    const std::string json = QuerySpecJson(spec);
    const absl::Status built = CheckQuerySpecShape(spec, limits);
    const absl::StatusOr<QuerySpec> parsed = ParseQuerySpec(json, limits);
    ASSERT_EQ(built.ok(), parsed.ok())
        << "seed " << seed << ": built " << built << ", parsed " << parsed.status() << "\n"
        << json;
  }
}

// Bytes near valid specs (random specs' JSON with bytes flipped, dropped or
// repeated): ParseQuerySpec returns a status, and what it accepts
// round-trips. (The libFuzzer target does this without end in CI; this runs
// in every unit test run, under the sanitizers too.)
TEST(QuerySpecRandom, MutatedSpecsReturnAStatus) {
  std::size_t accepted = 0;
  for (std::uint64_t seed = 1; seed <= 4000; ++seed) {
    std::string json = QuerySpecJson(SpecGenerator(seed).Spec());
    std::mt19937_64 rng(seed);
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0 && !json.empty(); --k) {
      const std::size_t at = rng() % json.size();
      switch (rng() % 3) {
        case 0: json[at] = static_cast<char>(rng()); break;
        case 1: json.erase(at, 1 + rng() % 8); break;
        default: json.insert(at, json.substr(at, 1 + rng() % 16)); break;
      }
    }
    const absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
    if (!spec.ok()) {
      ASSERT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << spec.status();
      ASSERT_EQ(spec.status().message().rfind("query spec: ", 0), 0u) << spec.status();
      continue;
    }
    ++accepted;
    const absl::StatusOr<QuerySpec> again = ParseQuerySpec(QuerySpecJson(*spec));
    ASSERT_TRUE(again.ok()) << again.status();
    ASSERT_EQ(*again, *spec) << json;
  }
  EXPECT_GT(accepted, 0u);
}

}  // namespace
}  // namespace salesight
