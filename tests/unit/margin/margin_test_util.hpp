// Test helpers for the margin suites: building small tables from literals and
// a deterministic random data generator (std::mt19937_64 is fine here: the
// tests compare two implementations on the same data, never against stored
// bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "boost/date_time/gregorian/gregorian.hpp"
#include "gtest/gtest.h"
#include "salesight/margin.hpp"
#include "salesight/tables.hpp"

namespace salesight::margin_test {

inline Day D(int y, int m, int d) {
  static const boost::gregorian::date epoch(1970, 1, 1);
  return static_cast<Day>((boost::gregorian::date(static_cast<unsigned short>(y),
                                                  static_cast<unsigned short>(m),
                                                  static_cast<unsigned short>(d)) -
                           epoch)
                              .days());
}

inline boost::gregorian::date ToBoost(Day day) {
  return boost::gregorian::date(1970, 1, 1) + boost::gregorian::date_duration(day);
}

// Plain row-wise description of order lines; converted to columns by Build().
struct LineRows {
  std::vector<std::int64_t> order_id;
  std::vector<Day> date;
  std::vector<Id> customer, product, region, salesperson, channel, department;
  std::vector<std::int32_t> quantity;
  std::vector<Money> amount, cost, unit_cost;
  int money_scale = 2;
  DictionaryPtr customers, products, regions;
  Attributes attributes;

  std::size_t size() const { return order_id.size(); }

  absl::StatusOr<OrderLines> Build() const {
    OrderLinesColumns c;
    c.order_id = Column<std::int64_t>::Own(order_id);
    c.order_date = Column<Day>::Own(date);
    c.customer = Column<Id>::Own(customer);
    c.product = Column<Id>::Own(product);
    c.region = Column<Id>::Own(region);
    c.salesperson = Column<Id>::Own(salesperson);
    c.channel = Column<Id>::Own(channel);
    c.department = Column<Id>::Own(department);
    c.quantity = Column<std::int32_t>::Own(quantity);
    c.amount = Column<Money>::Own(amount);
    c.cost = Column<Money>::Own(cost);
    c.unit_cost = Column<Money>::Own(unit_cost);
    c.money_scale = money_scale;
    c.customers = customers;
    c.products = products;
    c.regions = regions;
    c.attributes = attributes;
    return OrderLines::Build(std::move(c));
  }
};

struct ProductRows {
  std::vector<Id> product;
  std::vector<Id> category;
  std::vector<Money> standard_cost;
  std::vector<CostTier> tiers;
  int money_scale = 2;
  DictionaryPtr products, categories;
  Attributes attributes;

  absl::StatusOr<Products> Build() const {
    ProductsColumns c;
    c.product = Column<Id>::Own(product);
    c.category = Column<Id>::Own(category);
    c.standard_cost = Column<Money>::Own(standard_cost);
    c.cost_tiers = tiers;
    c.money_scale = money_scale;
    c.products = products;
    c.categories = categories;
    c.attributes = attributes;
    return Products::Build(std::move(c));
  }
};

// The grouping name of a grain ("fiscal_year:4"; ParseGrain reads it back).
inline std::string GrainSpec(Grain grain) {
  std::string name(GrainName(grain));
  if (grain.unit == GrainUnit::kFiscalYear) name += ":" + std::to_string(grain.fiscal_start_month);
  return name;
}

inline DictionaryPtr Dict(const std::vector<std::string>& codes) {
  auto d = Dictionary::FromCodes(codes);
  EXPECT_TRUE(d.ok()) << d.status();
  return std::make_shared<const Dictionary>(std::move(*d));
}

// Cost modes of random data.
enum class RandomCost { kLineCost, kUnitCost, kProductTable, kNone };

struct RandomData {
  LineRows lines;
  ProductRows products;
  RandomCost cost_mode = RandomCost::kUnitCost;
};

// Random order lines and products exercising every path: returns, zero
// quantities, products missing from Products, products with only tiers, only
// a standard cost, both or neither; unknown categories; sparse order ids;
// dates across year and ISO-week boundaries.
inline RandomData MakeRandomData(std::uint64_t seed, std::size_t max_rows = 3000) {
  std::mt19937_64 rng(seed);
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  RandomData data;
  data.cost_mode = static_cast<RandomCost>(uni(0, 3));
  const std::size_t n = static_cast<std::size_t>(uni(0, static_cast<std::int64_t>(max_rows)));
  const auto num_products = static_cast<Id>(uni(1, 60));
  const auto num_customers = static_cast<Id>(uni(1, 40));
  const bool sparse_orders = uni(0, 3) == 0;
  const Day first = D(2022, 12, 20) + static_cast<Day>(uni(0, 20));
  const Day span = static_cast<Day>(uni(1, 420));
  LineRows& l = data.lines;
  std::int64_t order = uni(0, 1000);
  for (std::size_t i = 0; i < n; ++i) {
    if (uni(0, 2) == 0) order += sparse_orders ? uni(1, 1'000'000'000'000) : uni(1, 3);
    l.order_id.push_back(order);
    l.date.push_back(first + static_cast<Day>(uni(0, span)));
    l.customer.push_back(static_cast<Id>(uni(0, num_customers - 1)));
    l.product.push_back(static_cast<Id>(uni(0, num_products - 1)));
    l.region.push_back(static_cast<Id>(uni(0, 4)));
    l.salesperson.push_back(static_cast<Id>(uni(0, 6)));
    l.channel.push_back(static_cast<Id>(uni(0, 2)));
    l.department.push_back(static_cast<Id>(uni(0, 3)));
    const auto q = static_cast<std::int32_t>(uni(0, 9) == 0 ? uni(-5, 0) : uni(1, 60));
    l.quantity.push_back(q);
    l.amount.push_back(q * uni(0, 20000) + uni(-50, 50));
    if (data.cost_mode == RandomCost::kLineCost) l.cost.push_back(uni(-1000, 900000));
    if (data.cost_mode == RandomCost::kUnitCost) l.unit_cost.push_back(uni(0, 15000));
  }
  ProductRows& p = data.products;
  p.money_scale = uni(0, 1) == 0 ? 2 : 3;  // scale 3 costs are multiples of 10
  const Id num_categories = static_cast<Id>(uni(1, 6));
  const bool with_standard = uni(0, 4) != 0;
  for (Id id = 0; id < num_products; ++id) {
    if (uni(0, 7) == 0) continue;  // not in Products
    p.product.push_back(id);
    p.category.push_back(static_cast<Id>(uni(0, num_categories - 1)));
    if (with_standard) {  // the column is all or nothing; a row may say "none"
      p.standard_cost.push_back(uni(0, 5) == 0 ? kNoStandardCost
                                               : uni(0, 12000) * (p.money_scale == 3 ? 10 : 1));
    }
    const int tiers = static_cast<int>(uni(0, 3));
    std::int32_t min_q = static_cast<std::int32_t>(uni(0, 3));
    for (int t = 0; t < tiers; ++t) {
      p.tiers.push_back(CostTier{id, min_q, uni(0, 12000) * (p.money_scale == 3 ? 10 : 1)});
      min_q += static_cast<std::int32_t>(uni(1, 25));
    }
  }
  // Now and then no quantity column (only possible without unit_cost).
  if (data.cost_mode != RandomCost::kUnitCost && uni(0, 5) == 0) l.quantity.clear();
  return data;
}

}  // namespace salesight::margin_test
