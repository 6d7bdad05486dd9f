// The alerts' order-line sums (src/alerts/internal/order_sums.hpp) against a
// plain per-window, per-line reference on random lines: every path (members
// packed or looked up, the dataset's date index or one built here, lines in
// date order or shuffled, an order's lines adjacent or apart, 1 to 3
// threads) gives exactly the reference's sums and distinct counts.
#include <algorithm>
#include <cstdlib>
#include <random>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "alerts/internal/order_sums.hpp"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"

namespace salesight {
namespace {

using alerts_internal::OrderCell;
using alerts_internal::OrderSums;
using alerts_internal::SumOrderLines;
using alerts_internal::SumOrderOptions;
using alerts_internal::Windows;

struct RefLine {
  Day day;
  Money amount;
  Id region, product;
  std::int64_t order;
  Id customer;
};

OrderLines Build(const std::vector<RefLine>& lines, int regions, int products) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, region, product;
  std::vector<Money> amount;
  for (const RefLine& l : lines) {
    order.push_back(l.order);
    day.push_back(l.day);
    customer.push_back(l.customer);
    region.push_back(l.region);
    product.push_back(l.product);
    amount.push_back(l.amount);
  }
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.region = Column<Id>::Own(std::move(region));
  c.product = Column<Id>::Own(std::move(product));
  c.amount = Column<Money>::Own(std::move(amount));
  std::vector<std::string> names;
  for (int r = 0; r < regions; ++r) names.push_back(absl::StrCat("r", r));
  c.regions = std::make_shared<const Dictionary>(*Dictionary::FromCodes(names));
  names.clear();
  for (int p = 0; p < products; ++p) names.push_back(absl::StrCat("p", p));
  c.products = std::make_shared<const Dictionary>(*Dictionary::FromCodes(names));
  return OrderLines::Build(std::move(c)).value();
}

TEST(AlertsOrderSums, EveryPathMatchesAPlainPerWindowReference) {
  const int seeds = std::getenv("SALESIGHT_ALERTS_SEEDS") ? std::atoi(std::getenv("SALESIGHT_ALERTS_SEEDS")) : 60;
  int checked_cells = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed) + 1000);
    const int regions = 1 + static_cast<int>(rng() % 5);
    // Hundreds of products on some seeds: the four product slicings below
    // then need more than 32 bits, so the members are looked up per line.
    const int products = seed % 3 == 0 ? 300 + static_cast<int>(rng() % 200) : 1 + static_cast<int>(rng() % 40);
    const Day first = DayFromCivil(2022, 1, 1) + static_cast<Day>(rng() % 60);
    const Day last = DayFromCivil(2023, 12, 31) - static_cast<Day>(rng() % 60);
    const int n = 200 + static_cast<int>(rng() % 800);
    const int customers = 1 + static_cast<int>(rng() % (seed % 2 ? 30 : 3000));
    std::vector<RefLine> lines;
    std::int64_t order = static_cast<std::int64_t>(rng() % 1000) - 500;
    for (int i = 0; i < n; ++i) {
      // Orders of 1-3 lines on one day, adjacent; shuffling below puts some apart.
      if (i == 0 || rng() % 3 == 0) order += 1 + static_cast<std::int64_t>(rng() % (seed % 4 == 1 ? 1000000 : 3));
      const Day d = i > 0 && lines.back().order == order
                        ? lines.back().day
                        : first + static_cast<Day>(rng() % static_cast<unsigned>(last - first + 1));
      lines.push_back({d, static_cast<Money>(rng() % 10000) - 1000, static_cast<Id>(rng() % regions),
                       static_cast<Id>(rng() % products), order, static_cast<Id>(rng() % customers)});
    }
    if (seed % 2 == 0) {
      std::stable_sort(lines.begin(), lines.end(), [](const RefLine& a, const RefLine& b) { return a.day < b.day; });
    } else {
      std::shuffle(lines.begin(), lines.end(), rng);
    }
    const OrderLines orders = Build(lines, regions, products);
    const Dataset data = test_data::TestData({.orders = &orders});
    AlertsOptions ao;
    ao.grain = seed % 5 == 4 ? Grain(GrainUnit::kIsoWeek) : Grain(GrainUnit::kMonth);
    ao.watch = seed % 3 == 2 ? AlertWatch::kToDate : AlertWatch::kComplete;
    ao.k = 1 + static_cast<int>(rng() % 3);
    ao.history = 2 + static_cast<int>(rng() % 8);
    const Day as_of = last - static_cast<Day>(rng() % 30);
    const Windows windows = alerts_internal::MakeWindows(ao, as_of).value();
    const DimensionColumn region = data.Dimension(TableKind::kOrders, "region").value();
    const DimensionColumn product = data.Dimension(TableKind::kOrders, "product").value();
    const std::vector<const DimensionColumn*> dims = {nullptr, &region, &product, &product, &product, &product};
    for (int variant = 0; variant < 4; ++variant) {
      SumOrderOptions so;
      so.num_threads = 1 + variant % 3;
      so.min_rows_per_thread = 1;
      so.pack_members = variant != 1;
      so.dataset_index = variant != 2;
      absl::StatusOr<OrderSums> got = SumOrderLines(data, dims, windows, so);
      ASSERT_TRUE(got.ok()) << got.status();
      for (int s = 0; s < 2 * windows.count; ++s) {
        const bool known = windows.start[s] != kNoDate && windows.start[s] >= orders.min_date();
        for (std::size_t k = 0; k < dims.size(); ++k) {
          const std::string where = absl::StrCat("seed ", seed, " variant ", variant, " window ", s, " slicing ", k);
          ASSERT_EQ(got->Find(k, s, 0) != nullptr, known) << where;
          if (!known) continue;
          const std::size_t offset = k > 0 && dims[k]->may_be_missing ? 1 : 0;
          struct Ref {
            Money revenue = 0;
            std::int64_t lines = 0;
            std::set<std::int64_t> orders;
            std::set<Id> customers;
          };
          std::map<std::size_t, Ref> ref;  // per member (cell index)
          for (const RefLine& l : lines) {
            if (l.day < windows.start[s] || l.day > windows.end[s]) continue;
            const Id member = k == 0 ? 0 : k == 1 ? l.region : l.product;  // k >= 2: product
            Ref& r = ref[static_cast<std::size_t>(member) + offset];
            r.revenue += l.amount;
            ++r.lines;
            r.orders.insert(l.order);
            r.customers.insert(l.customer);
          }
          // Every member with lines exactly; the others empty (checked where
          // there are few: each line is in one member, so the counts match).
          const std::size_t members = got->members[k];
          for (std::size_t m = 0; m < members; ++m) {
            if (members > 64 && ref.count(m) == 0) continue;
            const Ref r = ref.count(m) ? ref[m] : Ref{};
            const OrderCell& cell = *got->Find(k, s, m);
            EXPECT_EQ(cell.revenue, r.revenue) << where << " member " << m;
            EXPECT_EQ(cell.lines, r.lines) << where << " member " << m;
            EXPECT_EQ(cell.orders, static_cast<std::int64_t>(r.orders.size())) << where << " member " << m;
            EXPECT_EQ(cell.customers, static_cast<std::int64_t>(r.customers.size())) << where << " member " << m;
            checked_cells += r.lines > 0 ? 1 : 0;
          }
          if (::testing::Test::HasFailure()) return;
        }
      }
    }
  }
  EXPECT_GT(checked_cells, seeds * 50);  // not vacuous
}

}  // namespace
}  // namespace salesight
