// The dataset's order line indexes (salesight/order_index.hpp) by hand, and
// RunQuery and DrillThrough through them (QueryIndexUse::kAlways, kAuto)
// against the scan (kNever) on random datasets larger than the reference
// test's: many members, several-value `in` filters, date ranges, rows in
// date order or not. The brute-force reference over both paths is run_reference_test.cpp.
// SALESIGHT_QUERY_REFERENCE_CASES sets the number of cases (default 200).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "query/query_reference.hpp"
#include "salesight/order_index.hpp"
#include "salesight/query.hpp"

namespace salesight {
namespace {

DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

struct Lines {
  std::vector<Day> day;
  std::vector<Id> customer, product, region;
  std::vector<Money> amount;
};

Dataset Build(const Lines& l, std::int32_t customers, std::int32_t products) {
  OrderLinesColumns o;
  std::vector<std::int64_t> order;
  for (std::size_t i = 0; i < l.day.size(); ++i) order.push_back(static_cast<std::int64_t>(i / 3));
  o.order_id = Column<std::int64_t>::Own(order);
  o.order_date = Column<Day>::Own(l.day);
  o.customer = Column<Id>::Own(l.customer);
  std::vector<std::string> names;
  for (std::int32_t c = 0; c < customers; ++c) names.push_back(absl::StrCat("C", 100000 + c));
  o.customers = Dict(names);
  o.product = Column<Id>::Own(l.product);
  names.clear();
  for (std::int32_t p = 0; p < products; ++p) names.push_back(absl::StrCat("P", 1000 + p));
  o.products = Dict(names);
  o.region = Column<Id>::Own(l.region);
  o.regions = Dict({"East", "North", "West"});
  o.amount = Column<Money>::Own(l.amount);
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(*OrderLines::Build(std::move(o)));
  return *Dataset::Build(std::move(t));
}

using query_reference::CellText;  // doubles to the last bit: both paths sum the same integers

TEST(OrderIndexes, PostingsAndDateOrderByHand) {
  const ScopedPostingsFormForTesting rows_form(PostingsForm::kRows);
  const Day d0 = DayFromCivil(2024, 1, 1);
  Lines l;
  l.day = {d0 + 2, d0, d0 + 2, d0 + 1, d0, d0 + 2};
  l.customer = {0, 0, 0, 0, 0, 0};
  l.product = {0, 0, 0, 0, 0, 0};
  l.region = {1, 0, 1, 2, 0, 1};
  l.amount = {1, 2, 3, 4, 5, 6};
  const Dataset data = Build(l, 1, 1);
  const OrderIndexes& index = *data.order_indexes();
  EXPECT_EQ(data.IndexBytes(), 0);  // nothing built before a query needs it
  const std::shared_ptr<const RowPostings> region =
      index.Members(*data.Dimension(TableKind::kOrders, "region"));
  ASSERT_NE(region, nullptr);
  // key 0 = kNoId, then East (1, 4), North (0, 2, 5), West (3).
  EXPECT_EQ(region->begin, (std::vector<std::uint32_t>{0, 0, 2, 5, 6}));
  EXPECT_EQ(region->rows, (std::vector<std::uint32_t>{1, 4, 0, 2, 5, 3}));
  // Asked again: the same postings, not a second copy.
  EXPECT_EQ(index.Members(*data.Dimension(TableKind::kOrders, "region")), region);
  // Not in date order: a permutation by day, rows ascending within a day.
  const std::shared_ptr<const RowPostings> dates = index.Dates();
  ASSERT_NE(dates, nullptr);
  EXPECT_EQ(dates->begin, (std::vector<std::uint32_t>{0, 2, 3, 6}));
  EXPECT_EQ(dates->rows, (std::vector<std::uint32_t>{1, 4, 3, 0, 2, 5}));
  EXPECT_EQ(data.IndexBytes(), region->Bytes() + dates->Bytes());
  EXPECT_EQ(data.IndexBytes(), (5 + 6 + 4 + 6) * 4);

  // In date order: the offsets alone (a day's lines are a row range).
  Lines sorted = l;
  sorted.day = {d0, d0, d0 + 1, d0 + 2, d0 + 2, d0 + 2};
  const Dataset by_day = Build(sorted, 1, 1);
  const std::shared_ptr<const RowPostings> ranges = by_day.order_indexes()->Dates();
  ASSERT_NE(ranges, nullptr);
  EXPECT_EQ(ranges->begin, (std::vector<std::uint32_t>{0, 2, 3, 6}));
  EXPECT_TRUE(ranges->rows.empty());
  EXPECT_EQ(by_day.IndexBytes(), 4 * 4);
}

TEST(OrderIndexes, BlockedPostingsByHand) {
  // Blocks of 4 rows: rows 0-3 are block 0, rows 4-5 block 1.
  const ScopedPostingsFormForTesting blocked(PostingsForm::kBlocked, 2);
  const Day d0 = DayFromCivil(2024, 1, 1);
  Lines l;
  l.day = {d0 + 2, d0, d0 + 2, d0 + 1, d0, d0 + 2};
  l.customer = {0, 0, 0, 0, 0, 0};
  l.product = {0, 0, 0, 0, 0, 0};
  l.region = {1, 0, 1, 2, 0, 1};
  l.amount = {1, 2, 3, 4, 5, 6};
  const Dataset data = Build(l, 1, 1);
  const std::shared_ptr<const RowPostings> region =
      data.order_indexes()->Members(*data.Dimension(TableKind::kOrders, "region"));
  ASSERT_NE(region, nullptr);
  ASSERT_TRUE(region->blocked());
  EXPECT_EQ(region->blocks, 2u);
  EXPECT_EQ(region->keys(), 4u);
  EXPECT_EQ(region->lines(), 6u);
  // Cells key-major: kNoId {} {}, East {1} {4}, North {0, 2} {5}, West {3} {}.
  EXPECT_EQ(region->block_begin, (std::vector<std::uint32_t>{0, 0, 0, 1, 2, 4, 5, 6, 6}));
  EXPECT_EQ(region->low, (std::vector<std::uint16_t>{1, 0, 0, 2, 1, 3}));
  EXPECT_EQ(region->Bytes(), 6 * 2 + 9 * 4);

  // A query driven by them: North is rows 0 and 2 (block 0) and 5 (block 1).
  QuerySpec spec;
  spec.measures = {"revenue", "lines"};
  spec.dimensions = {"region"};
  QueryFilter f;
  f.member = "region";
  f.op = FilterOp::kEquals;
  f.values = {std::string("North")};
  spec.filters = {f};
  QueryRunOptions always;
  always.index = QueryIndexUse::kAlways;
  const QueryResult got = *RunQuery(data, spec, always);
  ASSERT_EQ(got.table.num_rows(), 1u);
  EXPECT_EQ(got.table.Find("revenue")->ints[0], 1 + 3 + 6);
  EXPECT_EQ(got.table.Find("lines")->ints[0], 3);
}

// n random lines over 500 customers, 50 products, 3 regions and 300 days,
// not in date order (the cap tests').
Lines CapLines(std::size_t n) {
  std::mt19937_64 rng(3);
  Lines l;
  for (std::size_t i = 0; i < n; ++i) {
    l.day.push_back(DayFromCivil(2024, 1, 1) + static_cast<Day>(rng() % 300));
    l.customer.push_back(static_cast<Id>(rng() % 500));
    l.product.push_back(static_cast<Id>(rng() % 50));
    l.region.push_back(static_cast<Id>(rng() % 3));
    l.amount.push_back(static_cast<Money>(rng() % 1000));
  }
  return l;
}

TEST(OrderIndexes, MemoryStaysUnderTheCap) {
  const ScopedPostingsFormForTesting rows_form(PostingsForm::kRows);
  // 40,000 lines: the cap is 8 bytes per line (320,000 bytes); postings take
  // 4 per line plus their offsets, so the third one is not built.
  const std::size_t n = 40'000;
  const Lines l = CapLines(n);
  const Dataset data = Build(l, 500, 50);
  const OrderIndexes& index = *data.order_indexes();
  EXPECT_EQ(index.CapBytes(), 8 * static_cast<std::int64_t>(n));
  EXPECT_NE(index.Members(*data.Dimension(TableKind::kOrders, "region")), nullptr);
  EXPECT_EQ(index.Members(*data.Dimension(TableKind::kOrders, "product")), nullptr);
  EXPECT_EQ(index.Dates(), nullptr);  // not in date order: a permutation would pass the cap
  EXPECT_LE(data.IndexBytes(), index.CapBytes());
  EXPECT_EQ(data.IndexBytes(), static_cast<std::int64_t>(4 * n + 5 * 4));

  // A query whose only driver is over the cap still answers (by a scan).
  QuerySpec spec;
  spec.measures = {"revenue", "lines"};
  spec.dimensions = {"region"};
  QueryFilter f;
  f.member = "product";
  f.op = FilterOp::kEquals;
  f.values = {std::string("P1007")};
  spec.filters = {f};
  QueryRunOptions always;
  always.index = QueryIndexUse::kAlways;
  QueryRunOptions never;
  never.index = QueryIndexUse::kNever;
  const QueryResult a = *RunQuery(data, spec, always);
  const QueryResult b = *RunQuery(data, spec, never);
  ASSERT_EQ(a.table.num_rows(), b.table.num_rows());
  for (std::size_t r = 0; r < a.table.num_rows(); ++r) {
    EXPECT_EQ(a.table.Find("revenue")->ints[r], b.table.Find("revenue")->ints[r]);
  }
}

TEST(OrderIndexes, ThreadsShareOneBuild) {
  // Queries on two threads ask for the same postings at once: one build,
  // both answers the scan's.
  std::mt19937_64 rng(11);
  Lines l;
  for (std::size_t i = 0; i < 5000; ++i) {
    l.day.push_back(DayFromCivil(2024, 1, 1) + static_cast<Day>(rng() % 90));
    l.customer.push_back(static_cast<Id>(rng() % 300));
    l.product.push_back(static_cast<Id>(rng() % 40));
    l.region.push_back(static_cast<Id>(rng() % 3));
    l.amount.push_back(static_cast<Money>(rng() % 1000));
  }
  const Dataset data = Build(l, 300, 40);
  QuerySpec spec;
  spec.measures = {"revenue", "customers"};
  spec.dimensions = {"region"};
  QueryFilter f;
  f.member = "product";
  f.op = FilterOp::kIn;
  f.values = {std::string("P1003"), std::string("P1017")};
  spec.filters = {f};
  QueryRunOptions scan;
  scan.index = QueryIndexUse::kNever;
  const QueryResult want = *RunQuery(data, spec, scan);
  std::vector<std::int64_t> revenue[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&data, &spec, &revenue, t] {
      QueryRunOptions options;
      options.index = QueryIndexUse::kAlways;
      options.num_threads = 1;
      absl::StatusOr<QueryResult> r = RunQuery(data, spec, options);
      if (r.ok()) {
        const ResultColumn& c = *r->table.Find("revenue");
        revenue[t].assign(c.ints.begin(), c.ints.end());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const ResultColumn& c = *want.table.Find("revenue");
  const std::vector<std::int64_t> expected(c.ints.begin(), c.ints.end());
  EXPECT_EQ(revenue[0], expected);
  EXPECT_EQ(revenue[1], expected);
  // Built once (blocked by size: 2 bytes per line, one block, 41 keys + 1 offsets).
  EXPECT_EQ(data.IndexBytes(), static_cast<std::int64_t>(5000 * 2 + 42 * 4));
}

QueryFilter Condition(std::mt19937_64& rng, std::int32_t customers, std::int32_t products) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  QueryFilter f;
  switch (pick(0, 3)) {
    case 0:
      f.member = "customer";
      f.op = FilterOp::kIn;
      for (int k = pick(1, 4); k > 0; --k) {
        f.values.push_back(absl::StrCat("C", 100000 + pick(0, customers - 1)));
      }
      break;
    case 1:
      f.member = "product";
      f.op = pick(0, 1) == 0 ? FilterOp::kEquals : FilterOp::kNotEquals;
      f.values.push_back(absl::StrCat("P", 1000 + pick(0, products)));  // one may not exist
      break;
    case 2:
      f.member = "region";
      f.op = FilterOp::kIn;
      f.values = {std::string(pick(0, 1) == 0 ? "East" : "West"), std::string("North")};
      f.values.resize(static_cast<std::size_t>(pick(1, 2)));
      break;
    default: {
      f.member = "order_date";
      f.op = FilterOp::kBetween;
      const Day a = DayFromCivil(2024, 1, 1) + pick(-5, 300);
      f.values = {FormatDate(a), FormatDate(a + pick(0, 40))};
    }
  }
  return f;
}

TEST(OrderIndexes, BlockedPostingsLetMoreDimensionsUnderTheCap) {
  // The 40,000 lines of MemoryStaysUnderTheCap, postings by size: blocked
  // (2 bytes per line + 4 per member and block), so region and product both
  // fit in the cap of 8 bytes per line where uint32 rows held one.
  const std::size_t n = 40'000;
  const Lines l = CapLines(n);
  const Dataset data = Build(l, 500, 50);
  const OrderIndexes& index = *data.order_indexes();
  const std::shared_ptr<const RowPostings> region =
      index.Members(*data.Dimension(TableKind::kOrders, "region"));
  const std::shared_ptr<const RowPostings> product =
      index.Members(*data.Dimension(TableKind::kOrders, "product"));
  ASSERT_NE(region, nullptr);
  ASSERT_NE(product, nullptr);
  EXPECT_TRUE(region->blocked() && product->blocked());
  // One block of 2^16 rows: keys + 1 offsets each (4 regions with kNoId, 51 products).
  EXPECT_EQ(data.IndexBytes(), static_cast<std::int64_t>(2 * (2 * n) + (5 + 52) * 4));
  EXPECT_LE(data.IndexBytes(), index.CapBytes());
  // Every key's lines, in order, as uint32 postings list them.
  for (std::size_t k = 0; k < product->keys(); ++k) {
    std::vector<std::uint32_t> want;
    for (std::size_t i = 0; i < n; ++i) {
      if (static_cast<std::size_t>(l.product[i]) + 1 == k) want.push_back(static_cast<std::uint32_t>(i));
    }
    const std::vector<std::uint16_t> got(product->low.begin() + product->block_begin[k],
                                         product->low.begin() + product->block_begin[k + 1]);
    ASSERT_EQ(got.size(), want.size()) << "key " << k;
    for (std::size_t j = 0; j < got.size(); ++j) ASSERT_EQ(got[j], want[j]) << "key " << k;
  }
}

TEST(OrderIndexes, IndexedQueriesEqualTheScanOnRandomSpecs) {
  int cases = 200;
  if (const char* env = std::getenv("SALESIGHT_QUERY_REFERENCE_CASES")) cases = std::atoi(env);
  std::mt19937_64 rng(1412);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::string> measures = {"lines", "orders", "customers", "new_customers",
                                             "returning_customers", "return_amount"};
  const std::vector<std::string> dims = {"region", "product", "customer"};
  int nonempty = 0, with_index = 0;
  for (int c = 0; c < cases / 10 + 1; ++c) {
    // Each form of the member postings: by size (blocked, one block, in
    // these small tables), uint32 rows, blocked over many small blocks.
    const ScopedPostingsFormForTesting form(
        c % 3 == 0 ? PostingsForm::kBySize : c % 3 == 1 ? PostingsForm::kRows : PostingsForm::kBlocked,
        c % 3 == 2 ? pick(1, 10) : kPostingsBlockBits);
    const std::int32_t customers = pick(1, 3000), products = pick(1, 200);
    const auto n = static_cast<std::size_t>(pick(1, 6000));
    Lines l;
    for (std::size_t i = 0; i < n; ++i) {
      l.day.push_back(DayFromCivil(2024, 1, 1) + pick(0, 300));
      l.customer.push_back(pick(0, customers - 1));
      l.product.push_back(pick(0, products - 1));
      l.region.push_back(pick(0, 2));
      l.amount.push_back(pick(0, 5) == 0 ? -pick(0, 500) : pick(0, 100000));
    }
    if (pick(0, 1) == 0) std::sort(l.day.begin(), l.day.end());
    const Dataset data = Build(l, customers, products);
    for (int s = 0; s < 10; ++s) {
      QuerySpec spec;
      spec.measures = {measures[static_cast<std::size_t>(pick(0, 5))], "revenue"};
      spec.dimensions = {dims[static_cast<std::size_t>(pick(0, 2))]};
      for (int k = pick(1, 3); k > 0; --k) spec.filters.push_back(Condition(rng, customers, products));
      if (pick(0, 2) == 0) {
        QueryTime t;
        t.dimension = "order_date";
        if (pick(0, 1) == 0) t.grain = *ParseGrain("month");
        t.from = DayFromCivil(2024, 1, 1) + pick(0, 250);
        t.to = t.from + pick(0, 60);
        spec.time = t;
      }
      const std::string what = absl::StrCat("case ", c, ": ", QuerySpecJson(spec));
      QueryRunOptions scan;
      scan.index = QueryIndexUse::kNever;
      absl::StatusOr<QueryResult> want = RunQuery(data, spec, scan);
      ASSERT_TRUE(want.ok()) << what << "\n" << want.status();
      for (const QueryIndexUse use : {QueryIndexUse::kAlways, QueryIndexUse::kAuto}) {
        for (int threads : {1, 2}) {
          QueryRunOptions options;
          options.index = use;
          options.num_threads = threads;
          options.min_rows_per_thread = 64;
          absl::StatusOr<QueryResult> got = RunQuery(data, spec, options);
          ASSERT_TRUE(got.ok()) << what << "\n" << got.status();
          ASSERT_EQ(got->table.num_rows(), want->table.num_rows()) << what;
          ASSERT_EQ(got->table.num_columns(), want->table.num_columns()) << what;
          for (std::size_t col = 0; col < want->table.num_columns(); ++col) {
            const ResultColumn& a = got->table.columns()[col];
            const ResultColumn& b = want->table.columns()[col];
            for (std::size_t r = 0; r < want->table.num_rows(); ++r) {
              ASSERT_EQ(CellText(a, r), CellText(b, r)) << what << " column " << b.name << " row " << r;
            }
          }
        }
      }
      nonempty += want->table.num_rows() > 0;
      // Drill-through pages the same lines through either path.
      if (want->table.num_rows() > 0) {
        const auto row = static_cast<std::size_t>(
            pick(0, static_cast<int>(want->table.num_rows()) - 1));
        const std::int64_t offset = pick(0, 3), limit = pick(1, 50);
        absl::StatusOr<ResultTable> a = DrillThrough(data, spec, want->table, row, offset, limit,
                                                     QueryIndexUse::kAlways);
        absl::StatusOr<ResultTable> b = DrillThrough(data, spec, want->table, row, offset, limit,
                                                     QueryIndexUse::kNever);
        ASSERT_TRUE(a.ok() && b.ok()) << what;
        ASSERT_EQ(a->Find("row")->ints.size(), b->Find("row")->ints.size()) << what;
        for (std::size_t r = 0; r < b->Find("row")->ints.size(); ++r) {
          ASSERT_EQ(a->Find("row")->ints[r], b->Find("row")->ints[r]) << what << " line " << r;
        }
      }
    }
    with_index += data.IndexBytes() > 0;
    EXPECT_LE(data.IndexBytes(), data.order_indexes()->CapBytes());
  }
  EXPECT_GT(nonempty, cases / 2);        // most specs select something
  EXPECT_GT(with_index, cases / 10 / 2);  // and most datasets were read through an index
}

}  // namespace
}  // namespace salesight
