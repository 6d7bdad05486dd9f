// Helpers shared by the RFM tests: build OrderLines from plain line structs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/rfm.hpp"
#include "salesight/tables.hpp"

namespace salesight::rfm_test {

struct Line {
  std::int64_t order;
  Day day;
  Id customer;
  Money amount;
  Money cost = 0;
};

inline OrderLines MakeLines(const std::vector<Line>& lines, bool with_cost = false,
                            DictionaryPtr codes = nullptr) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer;
  std::vector<Money> amount, cost;
  for (const Line& l : lines) {
    order.push_back(l.order);
    day.push_back(l.day);
    customer.push_back(l.customer);
    amount.push_back(l.amount);
    cost.push_back(l.cost);
  }
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.amount = Column<Money>::Own(std::move(amount));
  if (with_cost) c.cost = Column<Money>::Own(std::move(cost));
  c.customers = std::move(codes);
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

inline std::vector<Line> Slice(const std::vector<Line>& v, std::size_t b, std::size_t e) {
  return std::vector<Line>(v.begin() + static_cast<std::ptrdiff_t>(b),
                           v.begin() + static_cast<std::ptrdiff_t>(e));
}

// Rows as comparable tuples, sorted by customer id (RfmIncremental appends
// new customers at the end).
struct FlatRow {
  Id customer;
  std::int32_t recency, frequency;
  Money monetary, total;
  Day first;
  std::int32_t lines, returns;
  int r, f, m;
  std::string segment;
  bool operator==(const FlatRow&) const = default;
};

inline void PrintTo(const FlatRow& x, std::ostream* os) {
  *os << "{c=" << x.customer << " rec=" << x.recency << " freq=" << x.frequency
      << " mon=" << x.monetary << " tot=" << x.total << " first=" << x.first << " lines=" << x.lines
      << " ret=" << x.returns << " r=" << x.r << " f=" << x.f << " m=" << x.m << " seg=" << x.segment
      << "}";
}

inline std::vector<FlatRow> Flatten(const RfmResult& r) {
  std::vector<FlatRow> out;
  for (std::size_t i = 0; i < r.customers.size(); ++i) {
    const RfmCustomer& c = r.customers[i];
    out.push_back({c.customer, c.recency_days, c.frequency, c.monetary, r.total(i),
                   c.first_purchase, c.order_lines, c.returns, r.scores[i].r, r.scores[i].f,
                   r.scores[i].m, r.segment_labels[r.scores[i].segment].en});
  }
  std::sort(out.begin(), out.end(),
            [](const FlatRow& a, const FlatRow& b) { return a.customer < b.customer; });
  return out;
}

inline void ExpectSameCounts(const RfmCounts& a, const RfmCounts& b) {
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.lines_in_window, b.lines_in_window);
  EXPECT_EQ(a.excluded_future, b.excluded_future);
  EXPECT_EQ(a.excluded_before_window, b.excluded_before_window);
  EXPECT_EQ(a.return_lines, b.return_lines);
  EXPECT_EQ(a.customers, b.customers);
  EXPECT_EQ(a.customers_only_returns, b.customers_only_returns);
}

}  // namespace salesight::rfm_test
