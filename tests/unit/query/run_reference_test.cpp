// RunQuery against a brute-force reference written plainly here (nested
// loops and std::map over the rows, labels compared as text) on random
// datasets x random specs: the orders measures, dimensions (fields, an
// attribute with an empty member, a related master field with "(none)", a
// period), row filters of every op with and/or nesting, measure filters, the
// time range and every grain; each at 1 and 2 threads, on shuffled rows and
// on rows in date order, scanning every line and reading the indexes.
// SALESIGHT_QUERY_REFERENCE_CASES sets the number of cases (default 200).
#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "query/query_reference.hpp"
#include "salesight/margin.hpp"
#include "salesight/query.hpp"

namespace salesight {
namespace {

using namespace query_reference;  // NOLINT: the shared reference's vocabulary

// cost, margin and margin_pct are the margin calculator's (one cost rule).
TEST(RunQueryReference, MarginAgreesWithTheMarginCalculator) {
  std::mt19937_64 rng(7);
  for (int c = 0; c < 50; ++c) {
    const World w = RandomWorld(rng);
    const Dataset data = Build(w, w.lines);
    MarginOptions options;
    options.group_by.dimensions = {"product"};
    const MarginResult margin = *ComputeMargin(data, options);
    QuerySpec spec;
    spec.measures = {"revenue", "cost", "margin", "margin_pct"};
    spec.dimensions = {"product"};
    const QueryResult q = *RunQuery(data, spec);
    ASSERT_EQ(q.table.num_rows(), margin.groups.size());
    for (std::size_t r = 0; r < margin.groups.size(); ++r) {
      const MarginFigures& f = margin.groups[r].figures;
      EXPECT_EQ(q.table.Find("revenue")->ints[r], f.revenue);
      EXPECT_EQ(q.table.Find("cost")->ints[r], f.cost);
      EXPECT_EQ(q.table.Find("margin")->ints[r], f.margin);
      EXPECT_EQ(q.table.Find("margin_pct")->is_null(r), !f.margin_pct.has_value());
      if (f.margin_pct) {
        EXPECT_DOUBLE_EQ(q.table.Find("margin_pct")->doubles[r], *f.margin_pct);
      }
    }
  }
}

TEST(RunQueryReference, RandomDatasetsAndSpecs) {
  int cases = 200;
  if (const char* env = std::getenv("SALESIGHT_QUERY_REFERENCE_CASES")) cases = std::atoi(env);
  std::mt19937_64 rng(20261206);
  int nonempty = 0;
  for (int c = 0; c < cases; ++c) {
    const World w = RandomWorld(rng);
    const Dataset data = Build(w, w.lines);
    std::vector<Line> shuffled = w.lines;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const Dataset data_shuffled = Build(w, shuffled);
    // In date order the date index keeps row ranges, not a permutation.
    std::vector<Line> by_day = w.lines;
    std::stable_sort(by_day.begin(), by_day.end(),
                     [](const Line& a, const Line& b) { return a.day < b.day; });
    const Dataset data_by_day = Build(w, by_day);
    for (int s = 0; s < 3; ++s) {
      const QuerySpec spec = RandomSpec(rng, w);
      const std::string what = absl::StrCat("case ", c, " spec ", s, ": ", QuerySpecJson(spec));
      const std::vector<Cell> want = Reference(w, spec).Run();
      nonempty += !want.empty();
      // Both row paths: every line scanned, or only an index's lines.
      for (const QueryIndexUse use : {QueryIndexUse::kNever, QueryIndexUse::kAlways}) {
        for (int threads : {1, 2}) {
          QueryRunOptions options;
          options.num_threads = threads;
          options.min_rows_per_thread = 1;
          options.index = use;
          for (const Dataset* d : {&data, &data_shuffled, &data_by_day}) {
            absl::StatusOr<QueryResult> got = RunQuery(*d, spec, options);
            ASSERT_TRUE(got.ok()) << what << "\n" << got.status();
            ExpectEqual(want, *got, spec,
                        absl::StrCat(what, " threads ", threads, " index ", static_cast<int>(use)));
            if (::testing::Test::HasFatalFailure()) return;
          }
        }
      }
    }
  }
  EXPECT_GT(nonempty, cases);  // most specs select something
}

}  // namespace
}  // namespace salesight
