// Shared by the CLV tests: the CDNOW calibration summary shipped with
// lifetimes (tests/data/cdnow), and random summaries.
#pragma once

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/clv/fit.hpp"
#include "salesight/date.hpp"
#include "salesight/tables.hpp"

namespace salesight::clv_test {

// cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar (weeks).
inline clv::CustomerSummary LoadCdnowSummary() {
  clv::CustomerSummary s;
  std::ifstream in(std::string(SALESIGHT_CDNOW_DIR) +
                   "/cdnow_customers_summary_with_transactions.csv");
  EXPECT_TRUE(in.good());
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string id, x, tx, t, zbar;
    std::getline(ss, id, ',');
    std::getline(ss, x, ',');
    std::getline(ss, tx, ',');
    std::getline(ss, t, ',');
    std::getline(ss, zbar, ',');
    s.frequency.push_back(std::stod(x));
    s.recency.push_back(std::stod(tx));
    s.T.push_back(std::stod(t));
    s.monetary_value.push_back(std::stod(zbar));
  }
  return s;
}

// n customers with x in [0, max_x], 0 <= t_x <= T <= 40 (t_x = 0 when x = 0),
// spend in (1, 100).
inline clv::CustomerSummary RandomSummary(std::mt19937_64& rng, std::size_t n, int max_x = 12) {
  clv::CustomerSummary s;
  std::uniform_int_distribution<int> xd(0, max_x);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = xd(rng), T = 1.0 + 39.0 * u(rng);
    s.frequency.push_back(x);
    s.T.push_back(T);
    s.recency.push_back(x == 0 ? 0.0 : T * u(rng));
    s.monetary_value.push_back(x == 0 ? 0.0 : 1.0 + 99.0 * u(rng));
  }
  return s;
}

// CDNOW_sample.txt as order lines (sample id - 1 as the customer id), and
// its (customer, day) pairs.
struct Raw {
  std::vector<std::pair<Id, Day>> lines;
  OrderLines orders;
};

inline Raw LoadCdnowSample() {
  std::ifstream in(std::string(SALESIGHT_CDNOW_DIR) + "/CDNOW_sample.txt");
  EXPECT_TRUE(in.good());
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer;
  std::vector<Money> amount;
  std::vector<std::pair<Id, Day>> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long master = 0, sample = 0, ymd = 0, cds = 0;
    double dollars = 0;
    if (!(fields >> master >> sample >> ymd >> cds >> dollars)) continue;
    order.push_back(static_cast<std::int64_t>(order.size()));
    day.push_back(DayFromCivil(static_cast<int>(ymd / 10000), static_cast<int>(ymd / 100 % 100),
                               static_cast<int>(ymd % 100)));
    customer.push_back(static_cast<Id>(sample - 1));
    amount.push_back(static_cast<Money>(dollars * 100 + 0.5));
    lines.emplace_back(customer.back(), day.back());
  }
  OrderLinesColumns c;
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.amount = Column<Money>::Own(std::move(amount));
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return {std::move(lines), *std::move(t)};
}

}  // namespace salesight::clv_test
