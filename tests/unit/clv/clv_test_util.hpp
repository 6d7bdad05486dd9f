// Shared by the CLV tests: the CDNOW calibration summary shipped with
// lifetimes (tests/data/cdnow), and random summaries.
#pragma once

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "salesight/clv/fit.hpp"

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

}  // namespace salesight::clv_test
