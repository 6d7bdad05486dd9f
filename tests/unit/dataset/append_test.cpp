// Dataset::AppendOrders by hand: what the appended lines become (ids,
// dictionaries, figures, related fields, indexes), what is refused (and that
// the dataset is then unchanged), and what copies of a dataset see.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "salesight/dataset.hpp"
#include "salesight/order_index.hpp"
#include "salesight/query.hpp"

namespace salesight {
namespace {

DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

const Day kD0 = DayFromCivil(2024, 3, 1);

struct Part {
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer;
  std::vector<Money> amount;
  std::vector<std::string> customers;
};

OrderLinesColumns Columns(const Part& p) {
  OrderLinesColumns o;
  o.order_id = Column<std::int64_t>::Own(p.order);
  o.order_date = Column<Day>::Own(p.day);
  o.customer = Column<Id>::Own(p.customer);
  o.customers = Dict(p.customers);
  o.amount = Column<Money>::Own(p.amount);
  return o;
}

OrderLines Lines(const Part& p) { return *OrderLines::Build(Columns(p)); }

// Revenue per customer label, as the query gives it.
std::vector<std::pair<std::string, std::int64_t>> RevenueByCustomer(const Dataset& d) {
  QuerySpec spec;
  spec.measures = {"revenue"};
  spec.dimensions = {"customer"};
  const QueryResult r = *RunQuery(d, spec);
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (std::size_t i = 0; i < r.table.num_rows(); ++i) {
    out.emplace_back(r.table.Find("customer")->StringAt(i), r.table.Find("revenue")->ints[i]);
  }
  return out;
}

using Revenue = std::vector<std::pair<std::string, std::int64_t>>;

TEST(DatasetAppend, LinesIdsAndFiguresByHand) {
  // Customers B, D; a customers master gives B a region.
  const Part base{{1, 2, 3}, {kD0, kD0 + 1, kD0 + 1}, {0, 1, 0}, {100, -20, 50}, {"B", "D"}};
  CustomersColumns m;
  m.customer = Column<Id>::Own(std::vector<Id>{0});
  m.region = Column<Id>::Own(std::vector<Id>{0});
  m.regions = Dict({"East"});
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(Lines(base));
  m.customers = t.orders->columns().customers;
  t.customers = std::make_shared<const Customers>(*Customers::Build(std::move(m)));
  Dataset d = *Dataset::Build(t);
  // The batch codes its own customers (C, D, A): D again, C and A new, C
  // coded first.
  const Part batch{{4, 5, 6}, {kD0 - 2, kD0 + 5, kD0 + 5}, {1, 2, 0}, {7, -3, 9}, {"C", "D", "A"}};
  ASSERT_TRUE(d.AppendOrders(Lines(batch)).ok());
  const OrderLines& o = *d.orders();
  ASSERT_EQ(o.size(), 6u);
  // Old ids stay; the new codes follow in canonical order: A = 2, C = 3.
  const Dictionary& dict = *o.columns().customers;
  ASSERT_EQ(dict.size(), 4);
  EXPECT_EQ(dict.Code(0), "B");
  EXPECT_EQ(dict.Code(1), "D");
  EXPECT_EQ(dict.Code(2), "A");
  EXPECT_EQ(dict.Code(3), "C");
  EXPECT_EQ(std::vector<Id>(o.columns().customer.begin(), o.columns().customer.end()),
            (std::vector<Id>{0, 1, 0, 1, 2, 3}));
  EXPECT_EQ(std::vector<Money>(o.columns().amount.begin(), o.columns().amount.end()),
            (std::vector<Money>{100, -20, 50, 7, -3, 9}));
  EXPECT_EQ(o.num_customers(), 4);
  EXPECT_EQ(o.num_returns(), 2);
  EXPECT_EQ(o.min_date(), kD0 - 2);
  EXPECT_EQ(o.max_date(), kD0 + 5);
  // The caller's dictionary is not touched (the dataset extends its own copy).
  EXPECT_EQ(t.orders->columns().customers->size(), 2);
  EXPECT_EQ(t.orders->size(), 3u);
  // Queries read the new lines; the new customers have no master row.
  EXPECT_EQ(RevenueByCustomer(d), (Revenue{{"B", 150}, {"D", -13}, {"A", -3}, {"C", 9}}));
  QuerySpec spec;
  spec.measures = {"revenue"};
  spec.dimensions = {"region"};
  const QueryResult r = *RunQuery(d, spec);
  ASSERT_EQ(r.table.num_rows(), 2u);
  EXPECT_EQ(r.table.Find("region")->StringAt(0), "(none)");
  EXPECT_EQ(r.table.Find("revenue")->ints[0], -20 + 7 - 3 + 9);
  EXPECT_EQ(r.table.Find("region")->StringAt(1), "East");
  EXPECT_EQ(r.table.Find("revenue")->ints[1], 150);
  // An empty batch changes nothing.
  ASSERT_TRUE(d.AppendOrders(Lines(Part{})).ok());
  EXPECT_EQ(d.orders()->size(), 6u);
}

TEST(DatasetAppend, IndexesExtendWithoutARebuild) {
  const ScopedPostingsFormForTesting rows_form(PostingsForm::kRows);
  // Lines in date order: per-day ranges; customer postings.
  const Part base{{1, 2, 3, 4}, {kD0, kD0, kD0 + 1, kD0 + 3}, {0, 1, 0, 1}, {1, 2, 3, 4},
                  {"A", "B"}};
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(Lines(base));
  Dataset d = *Dataset::Build(t);
  const OrderIndexes& before = *d.order_indexes();
  ASSERT_NE(before.Dates(), nullptr);
  ASSERT_NE(before.Members(*d.Dimension(TableKind::kOrders, "customer")), nullptr);
  // Still in date order (from the last day on), one new customer.
  const Part batch{{5, 6, 7}, {kD0 + 3, kD0 + 3, kD0 + 5}, {0, 1, 0}, {5, 6, 7}, {"B", "C"}};
  ASSERT_TRUE(d.AppendOrders(Lines(batch)).ok());
  const OrderIndexes& after = *d.order_indexes();
  EXPECT_NE(&after, &before);
  EXPECT_GT(d.IndexBytes(), 0);  // carried over, not dropped
  const std::shared_ptr<const RowPostings> dates = after.Dates();
  ASSERT_NE(dates, nullptr);
  EXPECT_TRUE(dates->rows.empty());  // still ranges
  EXPECT_EQ(dates->begin, (std::vector<std::uint32_t>{0, 2, 3, 3, 6, 6, 7}));
  const std::shared_ptr<const RowPostings> customer =
      after.Members(*d.Dimension(TableKind::kOrders, "customer"));
  ASSERT_NE(customer, nullptr);
  ASSERT_NE(customer->prior, nullptr);  // the old postings, shared
  EXPECT_EQ(customer->prior->rows, (std::vector<std::uint32_t>{0, 2, 1, 3}));
  // Appended rows by key (kNoId, A, B, C): B = 4 and 6, C = 5.
  EXPECT_EQ(customer->begin, (std::vector<std::uint32_t>{0, 0, 0, 2, 3}));
  EXPECT_EQ(customer->rows, (std::vector<std::uint32_t>{4, 6, 5}));
  EXPECT_EQ(d.IndexBytes(), dates->Bytes() + customer->Bytes());
  // A line before the last day: the ranges become a permutation when needed.
  const Part late{{8}, {kD0 + 1}, {0}, {8}, {"C"}};
  ASSERT_TRUE(d.AppendOrders(Lines(late)).ok());
  const std::shared_ptr<const RowPostings> permuted = d.order_indexes()->Dates();
  ASSERT_NE(permuted, nullptr);
  EXPECT_EQ(permuted->rows, (std::vector<std::uint32_t>{0, 1, 2, 7, 3, 4, 5, 6}));
  // Indexed and scanned queries agree on the grown lines.
  QuerySpec spec;
  spec.measures = {"revenue", "lines"};
  spec.dimensions = {"customer"};
  QueryFilter f;
  f.member = "customer";
  f.op = FilterOp::kIn;
  f.values = {std::string("C"), std::string("A")};
  spec.filters = {f};
  QueryRunOptions always, never;
  always.index = QueryIndexUse::kAlways;
  never.index = QueryIndexUse::kNever;
  const QueryResult a = *RunQuery(d, spec, always), b = *RunQuery(d, spec, never);
  ASSERT_EQ(b.table.num_rows(), 2u);
  ASSERT_EQ(a.table.num_rows(), 2u);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(a.table.Find("revenue")->ints[r], b.table.Find("revenue")->ints[r]);
  }
  EXPECT_EQ(b.table.Find("revenue")->ints[0], 1 + 3);  // A
  EXPECT_EQ(b.table.Find("revenue")->ints[1], 6 + 8);  // C
}

TEST(DatasetAppend, RefusalsNameTheCauseAndChangeNothing) {
  const Part base{{1, 2}, {kD0, kD0 + 1}, {0, 1}, {10, 20}, {"A", "B"}};
  OrderLinesColumns with_product = Columns(base);
  with_product.product = Column<Id>::Own(std::vector<Id>{0, 0});
  with_product.products = Dict({"P"});
  with_product.attributes.push_back(
      AttributeColumn{"Seg", Column<Id>::Own(std::vector<Id>{0, 0}), Dict({"Home"})});
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(*OrderLines::Build(std::move(with_product)));
  Dataset d = *Dataset::Build(t);
  const Revenue before = RevenueByCustomer(d);
  auto batch = [&](auto edit) {
    OrderLinesColumns c = Columns(Part{{3}, {kD0 + 2}, {0}, {5}, {"C"}});
    c.product = Column<Id>::Own(std::vector<Id>{0});
    c.products = Dict({"Q"});
    c.attributes.push_back(
        AttributeColumn{"Seg", Column<Id>::Own(std::vector<Id>{0}), Dict({"Corp"})});
    edit(c);
    return *OrderLines::Build(std::move(c));
  };
  auto refused = [&](const OrderLines& b, const std::string& words) {
    const absl::Status s = d.AppendOrders(b);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find(words), std::string::npos) << s;
    EXPECT_EQ(d.orders()->size(), 2u);
    EXPECT_EQ(d.orders()->columns().customers->size(), 2);
    EXPECT_EQ(RevenueByCustomer(d), before);
  };
  refused(batch([](OrderLinesColumns& c) { c.money_scale = 3; }),
          "its money scale 3 differs from the dataset's 2");
  refused(batch([](OrderLinesColumns& c) { c.product = {}; }),
          "the dataset's order lines have column 'product' and the batch has none");
  refused(batch([](OrderLinesColumns& c) { c.cost = Column<Money>::Own(std::vector<Money>{1}); }),
          "it has column 'cost' that the dataset's order lines lack");
  refused(batch([](OrderLinesColumns& c) { c.attributes.clear(); }),
          "it lacks the attribute column(s) of the dataset's order lines: Seg");
  refused(batch([](OrderLinesColumns& c) {
            c.attributes.push_back(
                AttributeColumn{"Tier", Column<Id>::Own(std::vector<Id>{0}), Dict({"1"})});
          }),
          "attribute column(s) that the dataset's order lines lack: Tier");
  refused(batch([](OrderLinesColumns& c) { c.customers = nullptr; }),
          "column 'customer' holds integer ids and the dataset's order lines codes");
  // A bad row never gets here: the batch's Build names its row, column and value.
  OrderLinesColumns bad = Columns(Part{{3, 4}, {kD0, kNoDate}, {0, 0}, {5, 6}, {"C"}});
  const absl::StatusOr<OrderLines> refused_rows = OrderLines::Build(std::move(bad));
  ASSERT_FALSE(refused_rows.ok());
  EXPECT_NE(std::string(refused_rows.status().message()).find("row 1"), std::string::npos)
      << refused_rows.status();
  // Without an orders table there is nothing to append to.
  Dataset none;
  EXPECT_EQ(none.AppendOrders(Lines(base)).code(), absl::StatusCode::kFailedPrecondition);
  // After the refusals a good batch goes in.
  ASSERT_TRUE(d.AppendOrders(batch([](OrderLinesColumns&) {})).ok());
  EXPECT_EQ(RevenueByCustomer(d), (Revenue{{"A", 10}, {"B", 20}, {"C", 5}}));
  EXPECT_EQ(d.orders()->size(), 3u);
  EXPECT_EQ(d.orders()->columns().products->Code(1), "Q");
  EXPECT_EQ(d.orders()->columns().attributes[0].dictionary->Code(1), "Corp");
}

TEST(DatasetAppend, CopiesAreSnapshots) {
  const Part base{{1, 2}, {kD0, kD0 + 1}, {0, 1}, {10, 20}, {"A", "B"}};
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(Lines(base));
  Dataset d = *Dataset::Build(t);
  ASSERT_TRUE(d.AppendOrders(Lines(Part{{3}, {kD0 + 2}, {0}, {30}, {"A"}})).ok());
  const Dataset copy = d;  // sees 3 lines, whatever d does next
  Dataset fork = d;
  ASSERT_TRUE(d.AppendOrders(Lines(Part{{4}, {kD0 + 3}, {0}, {40}, {"C"}})).ok());
  // The fork appends behind the same 3 lines: it must not write over d's 4th.
  ASSERT_TRUE(fork.AppendOrders(Lines(Part{{5, 6}, {kD0 + 3, kD0 + 4}, {0, 0}, {50, 60}, {"B"}}))
                  .ok());
  auto amounts = [](const Dataset& x) {
    const Column<Money>& a = x.orders()->columns().amount;
    return std::vector<Money>(a.begin(), a.end());
  };
  EXPECT_EQ(amounts(copy), (std::vector<Money>{10, 20, 30}));
  EXPECT_EQ(amounts(d), (std::vector<Money>{10, 20, 30, 40}));
  EXPECT_EQ(amounts(fork), (std::vector<Money>{10, 20, 30, 50, 60}));
  EXPECT_EQ(RevenueByCustomer(copy), (Revenue{{"A", 40}, {"B", 20}}));
  EXPECT_EQ(RevenueByCustomer(d), (Revenue{{"A", 40}, {"B", 20}, {"C", 40}}));
  EXPECT_EQ(RevenueByCustomer(fork), (Revenue{{"A", 40}, {"B", 130}}));
  // Many appends: the columns grow in place (amortised), values intact.
  std::vector<Money> want = amounts(d);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(d.AppendOrders(Lines(Part{{7 + i}, {kD0 + 5}, {0}, {i}, {"A"}})).ok());
    want.push_back(i);
  }
  EXPECT_EQ(amounts(d), want);
  EXPECT_EQ(amounts(copy), (std::vector<Money>{10, 20, 30}));
}

}  // namespace
}  // namespace salesight
