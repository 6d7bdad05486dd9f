// A query after appends equals the same query on a dataset built from all
// the lines at once (Dataset::Build), on random datasets and specs (the
// query reference test's, query/query_reference.hpp): the first k lines
// built, the rest appended in 1..5 batches (some empty, some with customers,
// regions and attribute members the dataset has not seen, in or out of date
// order), with the indexes built before the appends (queries forced through
// them) or not; each query scanned and through the indexes. Where the
// appended members happen to sort after the old ones the rebuilt dataset
// is the canonical one (the reference test's Build), else it uses the
// dictionaries the appends left (same ids, so the same output order).
// SALESIGHT_QUERY_REFERENCE_CASES sets the number of cases (default 60: each
// case is two datasets appended in batches and two rebuilt ones).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "query/query_reference.hpp"
#include "salesight/dataset.hpp"
#include "salesight/order_index.hpp"
#include "salesight/query.hpp"

namespace salesight {
namespace {

using query_reference::CellText;
using query_reference::Dicts;
using query_reference::Line;
using query_reference::Orders;
using query_reference::WithMaster;
using query_reference::World;

// The codes of `all` that `lines` use, in the world's (value) order.
DictionaryPtr Seen(const std::vector<std::string>& all, const std::vector<Line>& lines,
                   Id Line::*field) {
  std::vector<bool> used(all.size(), false);
  for (const Line& l : lines) used[static_cast<std::size_t>(l.*field)] = true;
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (used[i]) codes.push_back(all[i]);
  }
  return query_reference::Dict(codes);
}


void ExpectSameTable(const ResultTable& want, const ResultTable& got, const std::string& what) {
  ASSERT_EQ(got.num_rows(), want.num_rows()) << what;
  ASSERT_EQ(got.num_columns(), want.num_columns()) << what;
  for (std::size_t col = 0; col < want.num_columns(); ++col) {
    const ResultColumn& a = got.columns()[col];
    const ResultColumn& b = want.columns()[col];
    ASSERT_EQ(a.name, b.name) << what;
    for (std::size_t r = 0; r < want.num_rows(); ++r) {
      ASSERT_EQ(CellText(a, r), CellText(b, r)) << what << " column " << b.name << " row " << r;
    }
  }
}

bool SameCodes(const Dictionary& d, const std::vector<std::string>& codes) {
  if (static_cast<std::size_t>(d.size()) != codes.size()) return false;
  for (Id i = 0; i < d.size(); ++i) {
    if (d.Code(i) != codes[static_cast<std::size_t>(i)]) return false;
  }
  return true;
}

TEST(DatasetAppendReference, QueriesAfterAppendsEqualTheRebuiltDataset) {
  int cases = 60;
  if (const char* env = std::getenv("SALESIGHT_QUERY_REFERENCE_CASES")) cases = std::atoi(env);
  std::mt19937_64 rng(20261207);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int canonical = 0, nonempty = 0, new_members = 0;
  for (int c = 0; c < cases; ++c) {
    // Each form of the member postings the appended levels sit on (by size,
    // uint32 rows, blocked over blocks of 2 to 256 rows).
    const ScopedPostingsFormForTesting form(
        c % 3 == 0 ? PostingsForm::kBySize : c % 3 == 1 ? PostingsForm::kRows : PostingsForm::kBlocked,
        c % 3 == 2 ? 1 + c % 8 : kPostingsBlockBits);
    World w = query_reference::RandomWorld(rng);
    if (pick(0, 2) == 0) {  // in date order: the date index keeps row ranges
      std::stable_sort(w.lines.begin(), w.lines.end(),
                       [](const Line& a, const Line& b) { return a.day < b.day; });
    }
    const std::size_t n = w.lines.size();
    const auto k = static_cast<std::size_t>(pick(0, static_cast<int>(n)));
    std::vector<std::size_t> cuts = {k};
    for (int b = pick(1, 5); b > 0; --b) {
      cuts.push_back(static_cast<std::size_t>(pick(static_cast<int>(k), static_cast<int>(n))));
    }
    cuts.push_back(n);
    std::sort(cuts.begin(), cuts.end());
    auto part = [&](std::size_t i) {
      return std::vector<Line>(w.lines.begin() + static_cast<std::ptrdiff_t>(cuts[i]),
                               w.lines.begin() + static_cast<std::ptrdiff_t>(cuts[i + 1]));
    };
    const DictionaryPtr products = query_reference::Dict(w.products);  // the master's
    auto local = [&](const std::vector<Line>& lines) {
      return Dicts{Seen(w.customers, lines, &Line::customer), products,
                   Seen(w.regions, lines, &Line::region), Seen(w.segs, lines, &Line::seg)};
    };
    const std::vector<Line> first(w.lines.begin(),
                                  w.lines.begin() + static_cast<std::ptrdiff_t>(k));
    for (const bool built_before : {false, true}) {
      Dataset appended = WithMaster(w, Orders(w, first, local(first)));
      if (built_before) {
        // Queries through the indexes build them (every member index and the dates).
        for (int s = 0; s < 4; ++s) {
          QueryRunOptions options;
          options.index = QueryIndexUse::kAlways;
          const absl::StatusOr<QueryResult> r =
              RunQuery(appended, query_reference::RandomSpec(rng, w), options);
          ASSERT_TRUE(r.ok() || k == 0) << r.status();  // no lines: no product column yet
        }
      }
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        std::vector<Line> lines = part(i);
        Dicts d = local(lines);
        // Some batches code products by their own dictionary (matched by code).
        if (pick(0, 1) == 0) d.products = Seen(w.products, lines, &Line::product);
        const absl::Status s = appended.AppendOrders(Orders(w, lines, d));
        ASSERT_TRUE(s.ok()) << s;
      }
      ASSERT_EQ(appended.orders()->size(), n);
      const OrderLinesColumns& got = appended.orders()->columns();
      const Dicts final_dicts{got.customers, got.products, got.regions,
                              got.attributes[0].dictionary};
      new_members += got.customers->size() > local(first).customers->size();
      const Dataset rebuilt = WithMaster(w, Orders(w, w.lines, final_dicts));
      // The canonical dataset when every dictionary is the world's order.
      const bool is_canonical = SameCodes(*got.customers, w.customers) &&
                                SameCodes(*got.regions, w.regions) &&
                                SameCodes(*got.attributes[0].dictionary, w.segs);
      canonical += is_canonical;
      const Dataset reference = query_reference::Build(w, w.lines);
      for (int s = 0; s < 3; ++s) {
        const QuerySpec spec = query_reference::RandomSpec(rng, w);
        const std::string what = absl::StrCat("case ", c, " built_before ", built_before,
                                              " spec ", s, ": ", QuerySpecJson(spec));
        QueryRunOptions scan;
        scan.index = QueryIndexUse::kNever;
        absl::StatusOr<QueryResult> want = RunQuery(rebuilt, spec, scan);
        ASSERT_TRUE(want.ok()) << what << "\n" << want.status();
        nonempty += want->table.num_rows() > 0;
        if (is_canonical) {
          absl::StatusOr<QueryResult> ref = RunQuery(reference, spec, scan);
          ASSERT_TRUE(ref.ok()) << what;
          ExpectSameTable(ref->table, want->table, what + " (canonical rebuild)");
        }
        for (const QueryIndexUse use : {QueryIndexUse::kNever, QueryIndexUse::kAlways}) {
          for (int threads : {1, 2}) {
            QueryRunOptions options;
            options.index = use;
            options.num_threads = threads;
            options.min_rows_per_thread = 1;
            absl::StatusOr<QueryResult> r = RunQuery(appended, spec, options);
            ASSERT_TRUE(r.ok()) << what << "\n" << r.status();
            ExpectSameTable(want->table, r->table,
                            absl::StrCat(what, " index ", static_cast<int>(use), " threads ",
                                         threads));
            if (::testing::Test::HasFatalFailure()) return;
          }
        }
      }
    }
  }
  EXPECT_GT(nonempty, cases);        // most specs select something
  EXPECT_GT(new_members, cases / 10);  // batches brought customers the dataset had not seen
  EXPECT_GT(canonical, cases / 10);    // and often in canonical order
}

}  // namespace
}  // namespace salesight
