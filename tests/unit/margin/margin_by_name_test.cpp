// Margin grouped by any dimension name (issue 13): an order-line attribute,
// a products- or customers-table attribute reached through the relation,
// mixed with the built-ins order, category and a grain. Hand-computed cases,
// a plain std::map reference on random data, and the serialized partial.
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/dataset.hpp"
#include "salesight/margin.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::Dict;
using margin_test::LineRows;
using margin_test::ProductRows;

template <typename T>
std::shared_ptr<const T> Share(T value) {
  return std::make_shared<const T>(std::move(value));
}

// Four lines with unit costs:
//   r0 P0 "Chairs"  qty 2 amount 10.00 unit 3.00 -> cost 6.00
//   r1 P1 "Binders" qty 1 amount  5.00 unit 1.00 -> cost 1.00
//   r2 P0 "Chairs"  qty 1 amount  2.00 unit 2.50 -> cost 2.50
//   r3 P2 ""        qty 1 amount  0.50 unit 0.10 -> cost 0.10
// Products: P0 Brand "Acme", P1 Brand "Zeta"; P2 is not in the table.
struct Hand {
  LineRows lines;
  ProductRows products;
};

Hand MakeHand() {
  Hand h;
  LineRows& l = h.lines;
  l.products = Dict({"P0", "P1", "P2"});
  l.order_id = {1, 1, 2, 3};
  l.date = {D(2024, 1, 5), D(2024, 1, 5), D(2024, 2, 1), D(2024, 2, 2)};
  l.customer = {0, 0, 1, 1};
  l.product = {0, 1, 0, 2};
  l.quantity = {2, 1, 1, 1};
  l.amount = {1000, 500, 200, 50};
  l.unit_cost = {300, 100, 250, 10};
  // Codes: Binders 0, Chairs 1, "" 2 (an empty cell is a member of its own).
  l.attributes.push_back(
      AttributeColumn{"Sub-Category", Column<Id>::Own({1, 0, 1, 2}), Dict({"Binders", "Chairs", ""})});
  ProductRows& p = h.products;
  p.products = l.products;
  p.product = {0, 1};
  p.attributes.push_back(AttributeColumn{"Brand", Column<Id>::Own({0, 1}), Dict({"Acme", "Zeta"})});
  return h;
}

absl::StatusOr<Dataset> HandDataset(const Hand& h) {
  SALESIGHT_ASSIGN_OR_RETURN(OrderLines orders, h.lines.Build());
  SALESIGHT_ASSIGN_OR_RETURN(Products products, h.products.Build());
  DatasetTables t;
  t.orders = Share(std::move(orders));
  t.products = Share(std::move(products));
  return Dataset::Build(std::move(t));
}

// By "Sub-Category" (a space and capitals):
//   Binders: r1 revenue 500 cost 100 margin 400
//   Chairs:  r0 + r2 revenue 1200 cost 600 + 250 = 850 margin 350
//   "":      r3 revenue 50 cost 10 margin 40
// total margin 790; Binders' margin share 400 / 790.
TEST(MarginByNameTest, ByAnOrderLineAttribute) {
  const Hand h = MakeHand();
  absl::StatusOr<OrderLines> orders = h.lines.Build();
  ASSERT_TRUE(orders.ok()) << orders.status();
  MarginOptions o;
  o.group_by = *ParseMarginGrouping(" Sub-Category ");
  ASSERT_EQ(o.group_by.dimensions, std::vector<std::string>{"Sub-Category"});
  absl::StatusOr<MarginResult> r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 3u);
  EXPECT_EQ(r->groups[0].key[0], 0);
  EXPECT_EQ(r->groups[0].figures.revenue, 500);
  EXPECT_EQ(r->groups[0].figures.cost, 100);
  EXPECT_EQ(r->groups[0].figures.margin, 400);
  EXPECT_DOUBLE_EQ(*r->groups[0].figures.margin_share, 400.0 / 790.0);
  EXPECT_EQ(r->groups[1].key[0], 1);
  EXPECT_EQ(r->groups[1].figures.revenue, 1200);
  EXPECT_EQ(r->groups[1].figures.cost, 850);
  EXPECT_EQ(r->groups[1].figures.margin, 350);
  EXPECT_EQ(r->groups[1].figures.lines, 2);
  EXPECT_EQ(r->groups[2].key[0], 2);
  EXPECT_EQ(r->groups[2].figures.margin, 40);
  EXPECT_EQ(r->total.margin, 790);
  const ResultTable t = ToResultTable(*r);
  const ResultColumn* c = t.Find("Sub-Category");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->Texts(), (std::vector<std::string>{"Binders", "Chairs", ""}));
}

// By the products table's "Brand" through the relation, then month:
//   (none): P2 not in Products -> key -1, first; r3 Feb revenue 50 margin 40
//   Acme:   r0 (Jan) revenue 1000 margin 400; r2 (Feb) revenue 200 margin -50
//   Zeta:   r1 (Jan) revenue 500 margin 400
TEST(MarginByNameTest, ByAProductsAttributeThroughTheRelation) {
  const Hand h = MakeHand();
  absl::StatusOr<Dataset> data = HandDataset(h);
  ASSERT_TRUE(data.ok()) << data.status();
  MarginOptions o;
  o.group_by.dimensions = {"Brand", "month"};
  absl::StatusOr<MarginResult> r = ComputeMargin(*data, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 4u);
  const std::vector<std::array<std::int64_t, 2>> keys = {
      {-1, 202402}, {0, 202401}, {0, 202402}, {1, 202401}};
  const std::vector<Money> margins = {40, 400, -50, 400};
  for (std::size_t g = 0; g < 4; ++g) {
    EXPECT_EQ(r->groups[g].key[0], keys[g][0]) << g;
    EXPECT_EQ(r->groups[g].key[1], keys[g][1]) << g;
    EXPECT_EQ(r->groups[g].figures.margin, margins[g]) << g;
  }
  const ResultTable t = ToResultTable(*r);
  const ResultColumn* brand = t.Find("Brand");
  ASSERT_NE(brand, nullptr);
  ASSERT_EQ(brand->valid.size(), 4u);
  EXPECT_EQ(brand->valid[0], 0);  // (none) is null, like an unknown category
  EXPECT_EQ(brand->Texts()[1], "Acme");
  EXPECT_EQ(brand->Texts()[3], "Zeta");
  ASSERT_NE(t.Find("month"), nullptr);

  // The (orders, products*) overload reaches the same attribute.
  absl::StatusOr<MarginResult> again = ComputeMargin(*data->orders(), data->products(), o);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->groups.size(), r->groups.size());
  for (std::size_t g = 0; g < r->groups.size(); ++g) {
    EXPECT_EQ(again->groups[g].key, r->groups[g].key);
    EXPECT_EQ(again->groups[g].figures.margin, r->groups[g].figures.margin);
  }
}

TEST(MarginByNameTest, UnknownNameSaysDidYouMeanAndListsTheValidNames) {
  const Hand h = MakeHand();
  absl::StatusOr<Dataset> data = HandDataset(h);
  ASSERT_TRUE(data.ok()) << data.status();
  MarginOptions o;
  o.group_by.dimensions = {"Sub-Categroy"};
  absl::StatusOr<MarginResult> r = ComputeMargin(*data, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string m(r.status().message());
  EXPECT_NE(m.find("'Sub-Categroy'"), std::string::npos) << m;
  EXPECT_NE(m.find("Did you mean 'Sub-Category'?"), std::string::npos) << m;
  EXPECT_NE(m.find("'Brand'"), std::string::npos) << m;
  EXPECT_NE(m.find("'order'"), std::string::npos) << m;
  const absl::Status check = CheckMarginGrouping(*data, o.group_by);
  EXPECT_EQ(absl::StrCat("margin option 'group_by': ", check.message()), m);
  o.group_by.dimensions = {"category"};  // a name; the missing column is a data error
  EXPECT_TRUE(CheckMarginGrouping(*data, o.group_by).ok());
  r = ComputeMargin(*data, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'category' column"), std::string::npos) << r.status();
  o.group_by.dimensions = {"Brand", "order", "fiscal_year:4"};
  EXPECT_TRUE(CheckMarginGrouping(*data, o.group_by).ok());
  o.group_by.dimensions = {"month", "week"};
  EXPECT_FALSE(CheckMarginGrouping(*data, o.group_by).ok());
  EXPECT_FALSE(ParseMarginGrouping("month,iso_week").ok());
  EXPECT_FALSE(ParseMarginGrouping("Brand,Brand").ok());
  EXPECT_FALSE(ParseMarginGrouping("fiscal_year:13").ok());
}

TEST(MarginByNameTest, PartialWithAttributeNamesRoundTripsThroughBytes) {
  const Hand h = MakeHand();
  absl::StatusOr<Dataset> data = HandDataset(h);
  ASSERT_TRUE(data.ok()) << data.status();
  MarginOptions o;
  o.group_by.dimensions = {"Sub-Category", "Brand", "week"};
  absl::StatusOr<MarginResult> whole = ComputeMargin(*data, o);
  ASSERT_TRUE(whole.ok()) << whole.status();
  absl::StatusOr<MarginPartial> a = PartialMargin(*data, 0, 2, o);
  absl::StatusOr<MarginPartial> b = PartialMargin(*data, 2, 4, o);
  ASSERT_TRUE(a.ok() && b.ok());
  absl::StatusOr<std::string> ba = SerializeMarginPartial(*a), bb = SerializeMarginPartial(*b);
  ASSERT_TRUE(ba.ok() && bb.ok());
  absl::StatusOr<MarginPartial> acc = DeserializeMarginPartial(*ba);
  absl::StatusOr<MarginPartial> next = DeserializeMarginPartial(*bb);
  ASSERT_TRUE(acc.ok()) << acc.status();
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(acc->grouping.dimensions, o.group_by.dimensions);
  ASSERT_TRUE(MergeMargin(*acc, *next).ok());
  absl::StatusOr<MarginResult> merged = FinishMargin(*std::move(acc), o);
  ASSERT_TRUE(merged.ok()) << merged.status();
  ASSERT_EQ(merged->groups.size(), whole->groups.size());
  for (std::size_t g = 0; g < whole->groups.size(); ++g) {
    EXPECT_EQ(merged->groups[g].key, whole->groups[g].key);
    EXPECT_EQ(merged->groups[g].figures.margin, whole->groups[g].figures.margin);
    EXPECT_EQ(merged->groups[g].figures.revenue, whole->groups[g].figures.revenue);
  }
  // ("", none, 2024-W05): r3, P2's missing brand survives the bytes.
  EXPECT_EQ(whole->groups.back().key[0], 2);
  EXPECT_EQ(whole->groups.back().key[1], -1);

  // The deserializer refuses bad names and out-of-range keys.
  auto refused = [&](std::vector<std::string> names, std::vector<std::int64_t> key) {
    MarginPartial p;
    p.grouping.dimensions = std::move(names);
    p.keys = std::move(key);
    p.sums.push_back(MarginSums{1, 0, 5, 0, 0, 0});
    absl::StatusOr<std::string> bytes = SerializeMarginPartial(p);
    return bytes.ok() && !DeserializeMarginPartial(*bytes).ok();
  };
  EXPECT_TRUE(refused({"Brand", "Brand"}, {0, 0}));
  EXPECT_TRUE(refused({""}, {0}));
  EXPECT_TRUE(refused({"month", "week"}, {202401, 202401}));
  EXPECT_TRUE(refused({std::string(2000, 'x')}, {0}));
  EXPECT_TRUE(refused({"Brand"}, {-2}));
  EXPECT_TRUE(refused({"month"}, {202413}));
  EXPECT_FALSE(refused({"Brand"}, {-1}));
  EXPECT_FALSE(refused({"order"}, {-123456789}));
}

// ---------------------------------------------------------------- reference

struct RefSums {
  std::int64_t lines = 0, quantity = 0;
  Money revenue = 0, cost = 0;
};

// Random order lines with an order attribute "Sub-Category", a products
// attribute "Brand" and a customers attribute "Segment" (some products and
// customers lack a master row: the member -1).
struct RandomDims {
  margin_test::RandomData d;
  std::vector<Id> sub_category;              // per line
  std::map<Id, Id> brand_of, segment_of;     // per listed product / customer
  std::map<Id, Id> category_of;              // per listed product
};

TEST(MarginByNameTest, RandomMixesOfNamesMatchAPlainMap) {
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    std::mt19937_64 rng(seed * 104729);
    auto uni = [&](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    RandomDims x;
    x.d = margin_test::MakeRandomData(seed, 1500);
    LineRows& l = x.d.lines;
    const std::vector<std::string> sub_codes = {"Chairs", "Binders", "", "Paper"};
    for (std::size_t i = 0; i < l.size(); ++i) {
      x.sub_category.push_back(static_cast<Id>(uni(0, 3)));
    }
    l.attributes.push_back(
        AttributeColumn{"Sub-Category", Column<Id>::Own(x.sub_category), Dict(sub_codes)});
    ProductRows& p = x.d.products;
    std::vector<Id> brands;
    for (std::size_t r = 0; r < p.product.size(); ++r) {
      brands.push_back(static_cast<Id>(uni(0, 2)));
      x.brand_of[p.product[r]] = brands.back();
      x.category_of[p.product[r]] = p.category[r];
    }
    p.attributes.push_back(
        AttributeColumn{"Brand", Column<Id>::Own(brands), Dict({"Acme", "Zeta", "Orbit"})});
    Id max_customer = -1;
    for (Id c : l.customer) max_customer = std::max(max_customer, c);
    CustomersColumns cc;
    std::vector<Id> ids, segments;
    for (Id c = 0; c <= max_customer; ++c) {
      // No customers row now and then (customer 0 always has one: an empty
      // customers table offers no attribute at all).
      if (c > 0 && uni(0, 4) == 0) continue;
      ids.push_back(c);
      segments.push_back(static_cast<Id>(uni(0, 1)));
      x.segment_of[c] = segments.back();
    }
    cc.customer = Column<Id>::Own(ids);
    cc.attributes.push_back(
        AttributeColumn{"Segment", Column<Id>::Own(segments), Dict({"SMB", "Enterprise"})});

    absl::StatusOr<OrderLines> orders = l.Build();
    ASSERT_TRUE(orders.ok()) << orders.status();
    absl::StatusOr<Products> products = p.Build();
    ASSERT_TRUE(products.ok()) << products.status();
    absl::StatusOr<Customers> customers = Customers::Build(std::move(cc));
    ASSERT_TRUE(customers.ok()) << customers.status();
    DatasetTables t;
    t.orders = Share(*std::move(orders));
    t.products = Share(*std::move(products));
    t.customers = Share(*std::move(customers));
    absl::StatusOr<Dataset> data = Dataset::Build(std::move(t));
    ASSERT_TRUE(data.ok()) << data.status();

    for (int round = 0; round < 3; ++round) {
      const Grain grain(static_cast<GrainUnit>(uni(0, 5)), static_cast<int>(uni(1, 12)));
      std::vector<std::string> pool = {"product",      "customer", "region",   "salesperson",
                                       "channel",      "department", "order",  "category",
                                       "Sub-Category", "Brand",    "Segment",
                                       margin_test::GrainSpec(grain)};
      std::shuffle(pool.begin(), pool.end(), rng);
      MarginOptions o;
      o.group_by.dimensions.assign(pool.begin(), pool.begin() + uni(0, 4));
      o.num_threads = static_cast<int>(uni(1, 3));
      if (uni(0, 3) == 0) o.max_dense_groups = 1;  // the hash path

      // Plain reference: one std::map entry per key tuple.
      std::map<std::vector<std::int64_t>, RefSums> ref;
      for (std::size_t i = 0; i < l.size(); ++i) {
        std::vector<std::int64_t> key;
        for (const std::string& name : o.group_by.dimensions) {
          auto master = [](const std::map<Id, Id>& m, Id id) -> std::int64_t {
            auto it = m.find(id);
            return it == m.end() ? -1 : it->second;
          };
          if (name == "product") key.push_back(l.product[i]);
          else if (name == "customer") key.push_back(l.customer[i]);
          else if (name == "region") key.push_back(l.region[i]);
          else if (name == "salesperson") key.push_back(l.salesperson[i]);
          else if (name == "channel") key.push_back(l.channel[i]);
          else if (name == "department") key.push_back(l.department[i]);
          else if (name == "order") key.push_back(l.order_id[i]);
          else if (name == "category") key.push_back(master(x.category_of, l.product[i]));
          else if (name == "Sub-Category") key.push_back(x.sub_category[i]);
          else if (name == "Brand") key.push_back(master(x.brand_of, l.product[i]));
          else if (name == "Segment") key.push_back(master(x.segment_of, l.customer[i]));
          else key.push_back(PeriodNumber(grain, PeriodOf(grain, l.date[i])));
        }
        RefSums& s = ref[key];
        s.lines += 1;
        s.quantity += l.quantity.empty() ? 0 : l.quantity[i];
        s.revenue += l.amount[i];
        if (!l.cost.empty()) s.cost += l.cost[i];
        if (l.cost.empty() && !l.unit_cost.empty()) s.cost += l.quantity[i] * l.unit_cost[i];
      }
      const bool costs_per_line = !l.cost.empty() || !l.unit_cost.empty();

      absl::StatusOr<MarginResult> got = ComputeMargin(*data, o);
      ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
      ASSERT_EQ(got->groups.size(), ref.size()) << "seed " << seed;
      std::size_t g = 0;
      const std::size_t dims = o.group_by.dimensions.size();
      for (const auto& [key, s] : ref) {  // std::map order = ascending key tuples
        const MarginGroup& group = got->groups[g++];
        for (std::size_t k = 0; k < dims; ++k) {
          ASSERT_EQ(group.key[k], key[k]) << "seed " << seed << " dimension "
                                          << o.group_by.dimensions[k];
        }
        EXPECT_EQ(group.figures.lines, s.lines) << "seed " << seed;
        EXPECT_EQ(group.figures.quantity, s.quantity) << "seed " << seed;
        EXPECT_EQ(group.figures.revenue, s.revenue) << "seed " << seed;
        if (costs_per_line) {
          EXPECT_EQ(group.figures.cost, s.cost) << "seed " << seed;
        }
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 120 * 3);
}

}  // namespace
}  // namespace salesight
