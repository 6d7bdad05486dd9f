// Query partials (salesight/query/partial.hpp): the rows split into random
// partitions, each with its own dictionaries (only the labels it uses, in
// another order), one partial each, merged in a random order, finish to the
// table RunQuery gives over all rows - distinct counts, top + others,
// totals and measure filters included. Plus what a partial refuses.
// SALESIGHT_QUERY_REFERENCE_CASES sets the number of cases (default 200).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesight/query.hpp"

namespace salesight {
namespace {

using ::testing::HasSubstr;

int Cases() {
  const char* env = std::getenv("SALESIGHT_QUERY_REFERENCE_CASES");
  return env != nullptr ? std::max(1, std::atoi(env)) : 200;
}

struct Line {
  std::string order, customer, region;
  Day day;
  Money amount, cost;
};

// A dictionary of the labels `lines` use, in value order (as ingest makes).
template <typename Field>
Dictionary Labels(const std::vector<Line>& lines, Field field) {
  std::vector<std::string> codes;
  for (const Line& l : lines) codes.push_back(l.*field);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  Dictionary d = *Dictionary::FromCodes(codes);
  d.Reorder(CanonicalOrder(d));
  return d;
}

// A dataset of `lines` whose dictionaries hold only their labels.
Dataset Build(const std::vector<Line>& lines) {
  Dictionary orders = Labels(lines, &Line::order), customers = Labels(lines, &Line::customer),
             regions = Labels(lines, &Line::region);
  OrderLinesColumns o;
  std::vector<std::int64_t> order;
  std::vector<Id> customer, region;
  std::vector<Day> day;
  std::vector<Money> amount, cost;
  for (const Line& l : lines) {
    order.push_back(orders.Find(l.order));
    customer.push_back(customers.Find(l.customer));
    region.push_back(regions.Find(l.region));
    day.push_back(l.day);
    amount.push_back(l.amount);
    cost.push_back(l.cost);
  }
  o.order_id = Column<std::int64_t>::Own(order);
  o.orders = std::make_shared<const Dictionary>(std::move(orders));
  o.customer = Column<Id>::Own(customer);
  o.customers = std::make_shared<const Dictionary>(std::move(customers));
  o.region = Column<Id>::Own(region);
  o.regions = std::make_shared<const Dictionary>(std::move(regions));
  o.order_date = Column<Day>::Own(day);
  o.amount = Column<Money>::Own(amount);
  o.cost = Column<Money>::Own(cost);
  absl::StatusOr<OrderLines> built = OrderLines::Build(std::move(o));
  EXPECT_TRUE(built.ok()) << built.status();
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(std::move(*built));
  return *Dataset::Build(std::move(t));
}

std::string Csv(const ResultTable& t) {
  std::string out;
  for (const ResultColumn& c : t.columns()) absl::StrAppend(&out, c.name, "|");
  out += "\n";
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    for (const ResultColumn& c : t.columns()) absl::StrAppend(&out, FormatCell(c, r), "|");
    out += "\n";
  }
  return out;
}

TEST(QueryPartial, MergedPartitionsFinishToTheWholeResult) {
  const std::vector<std::string> measures = {"revenue", "cost", "margin", "margin_pct", "lines",
                                             "orders", "customers", "aov",
                                             "revenue_per_customer", "return_amount"};
  for (int c = 0; c < Cases(); ++c) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(c) + 77);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::vector<Line> lines;
    const int n = pick(1, 60);
    for (int i = 0; i < n; ++i) {
      lines.push_back({absl::StrCat("O", pick(1, 15)), absl::StrCat("C", pick(1, 6)),
                       std::vector<std::string>{"East", "West", "华南"}[static_cast<std::size_t>(pick(0, 2))],
                       DayFromCivil(2024, 1, 1) + pick(0, 200),
                       pick(0, 4) == 0 ? -pick(0, 3000) : pick(0, 10000), pick(0, 6000)});
    }
    std::vector<std::string> ms;
    for (const std::string& m : measures) {
      if (pick(0, 2) == 0) ms.push_back(absl::StrCat("\"", m, "\""));
    }
    if (ms.empty()) ms.push_back("\"orders\"");
    std::string dims;
    const int shape = pick(0, 3);
    if (shape == 1) dims = R"(, "dimensions": ["region"])";
    if (shape == 2) dims = R"(, "dimensions": ["region", "customer"])";
    if (shape == 3) dims = R"(, "dimensions": ["order_date.quarter"])";
    std::string time;
    const int t = pick(0, 3);
    if (t == 1) time = R"(, "time": {"dimension": "order_date", "grain": "month"})";
    if (t == 2) {
      time = R"(, "time": {"dimension": "order_date", "grain": "month", "range": ["2024-02-01", "2024-06-30"]})";
    }
    if (t == 3) time = R"(, "time": {"dimension": "order_date", "grain": "week", "compare": "previous"})";
    std::string extra;
    if (shape > 0 && pick(0, 1) == 1) extra += R"(, "top": {"n": 2, "others": true})";
    if (shape > 0 && pick(0, 1) == 1) extra += R"(, "totals": "subtotals")";
    if (pick(0, 3) == 0) extra += absl::StrCat(R"(, "filters": [{"member": )", ms[0], R"(, "op": "gt", "values": [1]}])");
    const std::string json = absl::StrCat("{\"measures\": [", absl::StrJoin(ms, ", "), "]", dims,
                                          time, extra, "}");
    absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json);
    ASSERT_TRUE(spec.ok()) << spec.status() << json;
    absl::StatusOr<QueryResult> whole = RunQuery(Build(lines), *spec);
    ASSERT_TRUE(whole.ok()) << whole.status() << json;

    std::shuffle(lines.begin(), lines.end(), rng);
    const int parts = pick(1, 4);
    std::vector<std::string> partials;
    for (int p = 0; p < parts; ++p) {
      const std::size_t b = lines.size() * static_cast<std::size_t>(p) / static_cast<std::size_t>(parts);
      const std::size_t e = lines.size() * static_cast<std::size_t>(p + 1) / static_cast<std::size_t>(parts);
      if (b == e) continue;
      absl::StatusOr<std::string> partial =
          QueryPartial(Build({lines.begin() + static_cast<std::ptrdiff_t>(b),
                              lines.begin() + static_cast<std::ptrdiff_t>(e)}),
                       *spec);
      ASSERT_TRUE(partial.ok()) << partial.status() << json;
      partials.push_back(std::move(*partial));
    }
    std::shuffle(partials.begin(), partials.end(), rng);
    std::string merged = partials[0];
    for (std::size_t p = 1; p < partials.size(); ++p) {
      absl::StatusOr<std::string> m = pick(0, 1) ? MergeQueryPartials(merged, partials[p])
                                                 : MergeQueryPartials(partials[p], merged);
      ASSERT_TRUE(m.ok()) << m.status();
      merged = std::move(*m);
    }
    absl::StatusOr<QueryResult> finished = FinishQueryPartial(*spec, merged);
    ASSERT_TRUE(finished.ok()) << finished.status() << json;
    EXPECT_EQ(Csv(finished->table), Csv(whole->table)) << "case " << c << " " << json;
  }
}

TEST(QueryPartial, WhatOnePartitionCannotKnowIsRefused) {
  const Dataset d = Build({{"O1", "C1", "East", DayFromCivil(2024, 1, 1), 100, 50}});
  for (const char* json :
       {R"({"measures": ["new_customers"]})",
        R"({"measures": ["revenue"], "time": {"dimension": "order_date", "grain": "month",
            "compare": "last-year", "range": ["2024-01-01", null]}})"}) {
    const absl::StatusOr<std::string> p = QueryPartial(d, *ParseQuerySpec(json));
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnimplemented) << json;
  }
  const QuerySpec revenue = *ParseQuerySpec(R"({"measures": ["revenue"]})");
  const QuerySpec lines = *ParseQuerySpec(R"({"measures": ["lines"]})");
  const std::string a = *QueryPartial(d, revenue), b = *QueryPartial(d, lines);
  EXPECT_THAT(MergeQueryPartials(a, b).status().message(), HasSubstr("different specs"));
  EXPECT_THAT(FinishQueryPartial(lines, a).status().message(), HasSubstr("another spec"));
  EXPECT_EQ(MergeQueryPartials(a, "not cbor").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FinishQueryPartial(revenue, a.substr(0, a.size() / 2)).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Two partials of the same rows count each order and customer once.
  absl::StatusOr<std::string> twice = MergeQueryPartials(
      *QueryPartial(d, *ParseQuerySpec(R"({"measures": ["orders", "customers", "lines"]})")),
      *QueryPartial(d, *ParseQuerySpec(R"({"measures": ["orders", "customers", "lines"]})")));
  ASSERT_TRUE(twice.ok());
  const QueryResult r =
      *FinishQueryPartial(*ParseQuerySpec(R"({"measures": ["orders", "customers", "lines"]})"), *twice);
  EXPECT_EQ(r.table.Find("orders")->ints[0], 1);
  EXPECT_EQ(r.table.Find("customers")->ints[0], 1);
  EXPECT_EQ(r.table.Find("lines")->ints[0], 2);
}

}  // namespace
}  // namespace salesight
