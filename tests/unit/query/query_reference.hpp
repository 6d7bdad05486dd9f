// The query reference test's random world, its brute-force reference and
// its random specs (run_reference_test.cpp), shared with the tests that
// compare queries on datasets made another way (append_reference_test.cpp):
// random datasets (orders with an attribute, a products master with gaps),
// plain nested-loop answers, random specs over them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "salesight/query.hpp"

namespace salesight::query_reference {

inline DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

struct Line {
  std::int64_t order;
  Day day;
  Id customer, product, region, seg;
  std::int32_t quantity;
  Money amount, cost;
};

// Members in value order, so ids sort as their labels (dictionary.hpp).
struct World {
  std::vector<std::string> customers, products, regions, segs, categories;
  std::vector<Id> category_of;      // per product: category id, kNoId = no master row
  std::vector<Money> standard_cost;  // per product: kNoStandardCost = none
  int cost_mode = 0;                 // 0 cost column, 1 products' standard costs, 2 none
  std::vector<Line> lines;
};

inline World RandomWorld(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  World w;
  w.customers = {"C1", "C2", "C3", "客户"};
  w.customers.resize(static_cast<std::size_t>(pick(1, 4)));
  w.products = {"P1", "P2", "P3", "P4"};
  w.products.resize(static_cast<std::size_t>(pick(1, 4)));
  w.regions = {"East", "North", "West"};
  w.regions.resize(static_cast<std::size_t>(pick(1, 3)));
  w.segs = {"", "Corporate", "Home"};
  w.categories = {"Furniture", "Office"};
  for (std::size_t p = 0; p < w.products.size(); ++p) {
    w.category_of.push_back(pick(0, 3) == 0 ? kNoId : static_cast<Id>(pick(0, 1)));
    w.standard_cost.push_back(pick(0, 2) == 0 ? kNoStandardCost : pick(0, 4000));
  }
  // One master row at least (an empty products table offers no category).
  if (w.category_of[0] == kNoId) w.category_of[0] = 0;
  w.cost_mode = pick(0, 2);
  // Empty tables are a hand case (their fields cannot be told from absent ones).
  const int n = pick(0, 3) == 0 ? pick(1, 2) : pick(3, 40);
  const Day start = DayFromCivil(2023, 11, 1);
  // ERP order numbers far apart (counted by sorting) or close (a stamp array).
  const std::int64_t order_step = pick(0, 2) == 0 ? 1'000'000'007 : 1;
  for (int i = 0; i < n; ++i) {
    Line l;
    l.order = pick(1, 8) * order_step;
    l.day = start + pick(0, 240);
    l.customer = static_cast<Id>(pick(0, static_cast<int>(w.customers.size()) - 1));
    l.product = static_cast<Id>(pick(0, static_cast<int>(w.products.size()) - 1));
    l.region = static_cast<Id>(pick(0, static_cast<int>(w.regions.size()) - 1));
    l.seg = static_cast<Id>(pick(0, 2));
    l.quantity = pick(-2, 5);
    l.amount = pick(0, 4) == 0 ? -pick(0, 3000) : pick(0, 10000);
    l.cost = pick(-1000, 6000);
    w.lines.push_back(l);
  }
  return w;
}

// Dictionaries to code a world's lines by (its members, or some of them).
struct Dicts {
  DictionaryPtr customers, products, regions, segs;
};

// The lines as order lines coded by `d` (every code of `lines` is in it).
inline OrderLines Orders(const World& w, const std::vector<Line>& lines, const Dicts& d) {
  OrderLinesColumns o;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, product, region, seg;
  std::vector<std::int32_t> quantity;
  std::vector<Money> amount, cost;
  for (const Line& l : lines) {
    order.push_back(l.order);
    day.push_back(l.day);
    customer.push_back(d.customers->Find(w.customers[static_cast<std::size_t>(l.customer)]));
    product.push_back(d.products->Find(w.products[static_cast<std::size_t>(l.product)]));
    region.push_back(d.regions->Find(w.regions[static_cast<std::size_t>(l.region)]));
    seg.push_back(d.segs->Find(w.segs[static_cast<std::size_t>(l.seg)]));
    quantity.push_back(l.quantity);
    amount.push_back(l.amount);
    cost.push_back(l.cost);
  }
  o.order_id = Column<std::int64_t>::Own(order);
  o.order_date = Column<Day>::Own(day);
  o.customer = Column<Id>::Own(customer);
  o.customers = d.customers;
  o.product = Column<Id>::Own(product);
  o.products = d.products;
  o.region = Column<Id>::Own(region);
  o.regions = d.regions;
  o.quantity = Column<std::int32_t>::Own(quantity);
  o.amount = Column<Money>::Own(amount);
  if (w.cost_mode == 0) o.cost = Column<Money>::Own(cost);
  o.attributes.push_back(AttributeColumn{"Seg", Column<Id>::Own(seg), d.segs});
  return *OrderLines::Build(std::move(o));
}

// The world's products master, coded by `products` (all the world's
// products, shared with the orders it is built with).
inline std::shared_ptr<const Products> Master(const World& w, const DictionaryPtr& products) {
  ProductsColumns p;
  std::vector<Id> ids, cats;
  std::vector<Money> costs;
  for (std::size_t i = 0; i < w.products.size(); ++i) {
    if (w.category_of[i] == kNoId) continue;  // no master row
    ids.push_back(static_cast<Id>(i));
    cats.push_back(w.category_of[i]);
    costs.push_back(w.cost_mode == 1 ? w.standard_cost[i] : kNoStandardCost);
  }
  p.product = Column<Id>::Own(ids);
  p.products = products;
  p.category = Column<Id>::Own(cats);
  p.categories = Dict(w.categories);
  p.standard_cost = Column<Money>::Own(costs);
  return std::make_shared<const Products>(*Products::Build(std::move(p)));
}

inline Dataset WithMaster(const World& w, const OrderLines& orders) {
  DatasetTables t;
  t.orders = std::make_shared<const OrderLines>(orders);
  t.products = Master(w, orders.columns().products);
  return *Dataset::Build(std::move(t));
}

// The lines coded by the world's whole dictionaries (ids = positions), with
// the products master.
inline Dataset Build(const World& w, const std::vector<Line>& lines) {
  const Dicts all{Dict(w.customers), Dict(w.products), Dict(w.regions), Dict(w.segs)};
  return WithMaster(w, Orders(w, lines, all));
}

// A result cell as text (doubles exactly, in hex), to compare two results.
inline std::string CellText(const ResultColumn& c, std::size_t r) {
  if (c.is_null(r)) return "null";
  switch (c.type) {
    case ResultType::kString: return c.StringAt(r);
    case ResultType::kDouble: return absl::StrFormat("%a", c.doubles[r]);
    default: return absl::StrCat(c.ints[r]);
  }
}

// ---------------------------------------------------------------- reference
inline const std::vector<std::string> kMeasures = {
    "revenue", "cost", "costed_revenue", "margin", "margin_pct", "quantity", "lines",
    "orders", "customers", "new_customers", "returning_customers", "aov",
    "revenue_per_customer", "return_amount"};
inline const std::vector<std::string> kDims = {"region", "product", "category", "Seg", "customer",
                                        "order_date.quarter"};
inline const std::vector<std::string> kGrains = {"day", "week", "month", "quarter", "year",
                                          "fiscal_year:4"};

inline std::string Label(const World& w, const Line& l, const std::string& member) {
  if (member == "region") return w.regions[static_cast<std::size_t>(l.region)];
  if (member == "product") return w.products[static_cast<std::size_t>(l.product)];
  if (member == "customer") return w.customers[static_cast<std::size_t>(l.customer)];
  if (member == "Seg") return w.segs[static_cast<std::size_t>(l.seg)];
  if (member == "category") {
    const Id c = w.category_of[static_cast<std::size_t>(l.product)];
    return c == kNoId ? "(none)" : w.categories[static_cast<std::size_t>(c)];
  }
  return PeriodLabel(GrainUnit::kQuarter, PeriodOf(GrainUnit::kQuarter, l.day));
}
// The sort rank of a member (ids are in value order; "(none)" first).
inline std::int64_t Rank(const World& w, const Line& l, const std::string& member) {
  if (member == "region") return l.region;
  if (member == "product") return l.product;
  if (member == "customer") return l.customer;
  if (member == "Seg") return l.seg;
  if (member == "category") return w.category_of[static_cast<std::size_t>(l.product)];
  return PeriodOf(GrainUnit::kQuarter, l.day);
}

inline std::string Text(const QueryValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::to_string(std::get<std::int64_t>(v));
}

inline bool RowPasses(const World& w, const Line& l, const QueryFilter& f) {
  if (f.kind == QueryFilter::Kind::kAnd) {
    for (const QueryFilter& c : f.children) {
      if (!RowPasses(w, l, c)) return false;
    }
    return true;
  }
  if (f.kind == QueryFilter::Kind::kOr) {
    for (const QueryFilter& c : f.children) {
      if (RowPasses(w, l, c)) return true;
    }
    return false;
  }
  if (f.member == "order_date") {
    std::vector<Day> v;
    for (const QueryValue& x : f.values) v.push_back(*ParseDate(std::get<std::string>(x)));
    const Day d = l.day;
    switch (f.op) {
      case FilterOp::kEquals: case FilterOp::kIn:
        return std::count(v.begin(), v.end(), d) > 0;
      case FilterOp::kNotEquals: case FilterOp::kNotIn:
        return std::count(v.begin(), v.end(), d) == 0;
      case FilterOp::kGt: return d > v[0];
      case FilterOp::kGte: return d >= v[0];
      case FilterOp::kLt: return d < v[0];
      case FilterOp::kLte: return d <= v[0];
      case FilterOp::kBetween: return d >= v[0] && d <= v[1];
      case FilterOp::kSet: return true;
      default: return false;
    }
  }
  const std::string label = Label(w, l, f.member);
  bool eq = false, contains = false, starts = false;
  for (const QueryValue& x : f.values) {
    const std::string v = Text(x);
    eq = eq || label == v;
    contains = contains || label.find(v) != std::string::npos;
    starts = starts || label.rfind(v, 0) == 0;
  }
  const bool missing = label == "(none)" && f.member == "category";
  switch (f.op) {
    case FilterOp::kEquals: case FilterOp::kIn: return eq;
    case FilterOp::kNotEquals: case FilterOp::kNotIn: return !eq;
    case FilterOp::kContains: return contains;
    case FilterOp::kStartsWith: return starts;
    case FilterOp::kSet: return !missing && !label.empty();
    case FilterOp::kNotSet: return missing || label.empty();
    default: return false;
  }
}

struct Cell {
  std::vector<std::string> labels;
  std::vector<std::int64_t> key;
  std::vector<const Line*> members;
  Money revenue = 0, cost = 0, costed = 0, returns = 0;
  std::int64_t quantity = 0, lines = 0;
  std::set<std::int64_t> orders;
  std::set<Id> customers, fresh, back;
};

// The measure's value as the result holds it (ints, or a double / null).
struct Value {
  bool is_double = false, null = false;
  std::int64_t i = 0;
  double d = 0;
};
inline Value ValueOf(const Cell& c, const std::string& m) {
  auto ratio = [](double num, double den, double scale) {
    Value v;
    v.is_double = true;
    v.null = den == 0;
    v.d = v.null ? 0 : num / den * scale;
    return v;
  };
  auto i = [](std::int64_t x) {
    Value v;
    v.i = x;
    return v;
  };
  const Money margin = c.costed - c.cost;
  if (m == "revenue") return i(c.revenue);
  if (m == "cost") return i(c.cost);
  if (m == "costed_revenue") return i(c.costed);
  if (m == "margin") return i(margin);
  if (m == "margin_pct") return ratio(static_cast<double>(margin), static_cast<double>(c.costed), 100);
  if (m == "quantity") return i(c.quantity);
  if (m == "lines") return i(c.lines);
  if (m == "orders") return i(static_cast<std::int64_t>(c.orders.size()));
  if (m == "customers") return i(static_cast<std::int64_t>(c.customers.size()));
  if (m == "new_customers") return i(static_cast<std::int64_t>(c.fresh.size()));
  if (m == "returning_customers") return i(static_cast<std::int64_t>(c.back.size()));
  if (m == "aov") {
    return ratio(static_cast<double>(c.revenue), static_cast<double>(c.orders.size()), 1.0 / 100);
  }
  if (m == "revenue_per_customer") {
    return ratio(static_cast<double>(c.revenue), static_cast<double>(c.customers.size()),
                 1.0 / 100);
  }
  return i(c.returns);  // return_amount
}

inline bool IsMoney(const std::string& m) {
  return m == "revenue" || m == "cost" || m == "costed_revenue" || m == "margin" ||
         m == "return_amount";
}

inline bool GroupPasses(const Cell& c, const QueryFilter& f) {
  if (f.kind != QueryFilter::Kind::kCondition) {
    const bool is_and = f.kind == QueryFilter::Kind::kAnd;
    for (const QueryFilter& x : f.children) {
      if (GroupPasses(c, x) != is_and) return !is_and;
    }
    return is_and;
  }
  const Value v = ValueOf(c, f.member);
  if (f.op == FilterOp::kSet) return !v.null;
  if (f.op == FilterOp::kNotSet) return v.null;
  if (v.null) return false;
  // Values here are integers: money in currency units.
  auto cmp = [&](const QueryValue& x) {
    const std::int64_t n = std::get<std::int64_t>(x);
    if (v.is_double) return v.d < static_cast<double>(n) ? -1 : v.d > static_cast<double>(n) ? 1 : 0;
    const std::int64_t t = IsMoney(f.member) ? n * 100 : n;
    return v.i < t ? -1 : v.i > t ? 1 : 0;
  };
  bool eq = false;
  for (const QueryValue& x : f.values) eq = eq || cmp(x) == 0;
  switch (f.op) {
    case FilterOp::kEquals: case FilterOp::kIn: return eq;
    case FilterOp::kNotEquals: case FilterOp::kNotIn: return !eq;
    case FilterOp::kGt: return cmp(f.values[0]) > 0;
    case FilterOp::kGte: return cmp(f.values[0]) >= 0;
    case FilterOp::kLt: return cmp(f.values[0]) < 0;
    case FilterOp::kLte: return cmp(f.values[0]) <= 0;
    case FilterOp::kBetween: return cmp(f.values[0]) >= 0 && cmp(f.values[1]) <= 0;
    default: return false;
  }
}

inline bool IsMeasureFilter(const QuerySpec& spec, const QueryFilter& f) {
  if (f.kind != QueryFilter::Kind::kCondition) return IsMeasureFilter(spec, f.children[0]);
  return std::count(spec.measures.begin(), spec.measures.end(), f.member) > 0;
}

struct Reference {
  const World& w;
  const QuerySpec& spec;
  std::optional<Grain> grain;
  Day from = kNoDate, to = kNoDate;
  std::map<Id, Day> first_purchase;
  std::map<std::int64_t, std::int32_t> order_first_period;

  Reference(const World& world, const QuerySpec& s) : w(world), spec(s) {
    if (spec.time) {
      grain = spec.time->grain;
      from = spec.time->from;
      to = spec.time->to;
    }
    for (const Line& l : w.lines) {
      if (l.amount < 0) continue;
      if (!first_purchase.count(l.customer) || l.day < first_purchase[l.customer]) {
        first_purchase[l.customer] = l.day;
      }
    }
  }

  // Cost per line, as margin.hpp defines it.
  bool Known(const Line& l) const {
    if (w.cost_mode == 0) return true;
    if (w.cost_mode == 2) return false;
    const std::size_t p = static_cast<std::size_t>(l.product);
    return w.category_of[p] != kNoId && w.standard_cost[p] != kNoStandardCost;
  }
  Money Cost(const Line& l) const {
    if (!Known(l)) return 0;
    return w.cost_mode == 0 ? l.cost : l.quantity * w.standard_cost[static_cast<std::size_t>(l.product)];
  }
  std::int32_t Period(const Line& l) const { return grain ? PeriodOf(*grain, l.day) : 0; }

  void Add(Cell& c, const Line* l) {
    const std::int32_t p = Period(*l);
    c.members.push_back(l);
    c.revenue += l->amount;
    c.returns += l->amount < 0 ? l->amount : 0;
    c.cost += Cost(*l);
    c.costed += Known(*l) ? l->amount : 0;
    c.quantity += l->quantity;
    c.lines += 1;
    c.customers.insert(l->customer);
    if (order_first_period[l->order] == p) c.orders.insert(l->order);
    if (l->amount >= 0) {
      const Day first = first_purchase[l->customer];
      if (grain) {
        if (PeriodOf(*grain, first) == p) c.fresh.insert(l->customer);
        if (PeriodOf(*grain, first) < p) c.back.insert(l->customer);
      } else if (from == kNoDate || first >= from) {
        c.fresh.insert(l->customer);
      } else {
        c.back.insert(l->customer);
      }
    }
  }

  // A cell over the lines of `cells` with these labels and key.
  Cell Union(const std::vector<const Cell*>& cells, std::vector<std::string> labels,
             std::vector<std::int64_t> key) {
    Cell out;
    for (const Cell* c : cells) {
      for (const Line* l : c->members) Add(out, l);
    }
    out.labels = std::move(labels);
    out.key = std::move(key);
    return out;
  }

  // a before b by the order items (nulls last); false on a tie.
  bool Before(const Cell& a, const Cell& b, const std::vector<QueryOrder>& order) const {
    for (const QueryOrder& o : order) {
      int c = 0;
      std::size_t column = 0;
      bool is_key = false;
      if (grain && o.member == "order_date." + QueryGrainText(*grain)) {
        is_key = true;
      } else {
        for (std::size_t d = 0; d < spec.dimensions.size(); ++d) {
          if (spec.dimensions[d] == o.member) {
            is_key = true;
            column = d + (grain ? 1 : 0);
          }
        }
      }
      if (is_key) {
        c = a.key[column] < b.key[column] ? -1 : a.key[column] > b.key[column] ? 1 : 0;
        if (o.desc) c = -c;
      } else {
        const Value x = ValueOf(a, o.member), y = ValueOf(b, o.member);
        if (x.null || y.null) {
          c = x.null == y.null ? 0 : x.null ? 1 : -1;
        } else {
          c = x.is_double ? (x.d < y.d ? -1 : x.d > y.d ? 1 : 0)
                          : (x.i < y.i ? -1 : x.i > y.i ? 1 : 0);
          if (o.desc) c = -c;
        }
      }
      if (c != 0) return c < 0;
    }
    return false;
  }

  std::vector<Cell> Run() {
    std::vector<const Line*> selected;
    for (const Line& l : w.lines) {
      if (from != kNoDate && l.day < from) continue;
      if (to != kNoDate && l.day > to) continue;
      bool pass = true;
      for (const QueryFilter& f : spec.filters) {
        if (!IsMeasureFilter(spec, f)) pass = pass && RowPasses(w, l, f);
      }
      if (pass) selected.push_back(&l);
    }
    for (const Line* l : selected) {
      const std::int32_t p = Period(*l);
      if (!order_first_period.count(l->order) || p < order_first_period[l->order]) {
        order_first_period[l->order] = p;
      }
    }
    std::map<std::vector<std::int64_t>, Cell> cells;
    for (const Line* l : selected) {
      std::vector<std::int64_t> key;
      std::vector<std::string> labels;
      if (grain) {
        key.push_back(Period(*l));
        labels.push_back(PeriodLabel(*grain, Period(*l)));
      }
      for (const std::string& d : spec.dimensions) {
        key.push_back(Rank(w, *l, d));
        labels.push_back(Label(w, *l, d));
      }
      Cell& c = cells[key];
      c.labels = labels;
      c.key = key;
      Add(c, l);
    }
    std::vector<Cell> detail;
    for (const auto& [key, c] : cells) {
      bool pass = true;
      for (const QueryFilter& f : spec.filters) {
        if (IsMeasureFilter(spec, f)) pass = pass && GroupPasses(c, f);
      }
      if (pass) detail.push_back(c);
    }
    std::vector<Cell> out;
    if (spec.top) {
      const std::string by = spec.top->by.empty() ? spec.measures[0] : spec.top->by;
      const bool by_period = grain && !spec.dimensions.empty();
      std::vector<std::vector<Cell>> parts;
      for (const Cell& c : detail) {
        if (parts.empty() || (by_period && parts.back()[0].key[0] != c.key[0])) parts.emplace_back();
        parts.back().push_back(c);
      }
      for (std::vector<Cell>& part : parts) {
        std::stable_sort(part.begin(), part.end(), [&](const Cell& a, const Cell& b) {
          return Before(a, b, {QueryOrder{by, true}});
        });
        const auto n = static_cast<std::size_t>(std::min<std::int64_t>(spec.top->n, part.size()));
        std::vector<const Cell*> rest;
        for (std::size_t i = n; i < part.size(); ++i) rest.push_back(&part[i]);
        std::optional<Cell> others;
        if (spec.top->others && !rest.empty()) {
          std::vector<std::string> labels(part[0].labels.size(), "(others)");
          if (by_period) labels[0] = part[0].labels[0];
          others = Union(rest, labels, {});
        }
        part.resize(n);
        std::stable_sort(part.begin(), part.end(),
                         [&](const Cell& a, const Cell& b) { return Before(a, b, spec.order); });
        for (Cell& c : part) out.push_back(c);
        if (others) out.push_back(*others);
      }
    } else {
      out = detail;
      std::stable_sort(out.begin(), out.end(),
                       [&](const Cell& a, const Cell& b) { return Before(a, b, spec.order); });
    }
    out.erase(out.begin(), out.begin() + std::min<std::int64_t>(spec.offset, out.size()));
    if (spec.limit && static_cast<std::size_t>(*spec.limit) < out.size()) out.resize(*spec.limit);
    if (spec.totals != QueryTotals::kNone) {
      const std::size_t columns = spec.dimensions.size() + (grain ? 1 : 0);
      const std::size_t lowest =
          spec.totals == QueryTotals::kSubtotals && columns > 0 ? columns - 1 : 0;
      for (std::size_t level = lowest + 1; level-- > 0;) {
        std::map<std::vector<std::int64_t>, std::vector<const Cell*>> groups;
        std::map<std::vector<std::int64_t>, std::vector<std::string>> labels;
        for (const Cell& c : detail) {
          std::vector<std::int64_t> prefix(c.key.begin(), c.key.begin() + static_cast<std::ptrdiff_t>(level));
          groups[prefix].push_back(&c);
          std::vector<std::string> l(c.labels.begin(), c.labels.begin() + static_cast<std::ptrdiff_t>(level));
          l.resize(columns, "(all)");
          labels[prefix] = l;
        }
        for (const auto& [prefix, members] : groups) out.push_back(Union(members, labels[prefix], prefix));
      }
    }
    return out;
  }
};

// ---------------------------------------------------------------- random specs
inline QueryFilter Condition(std::mt19937_64& rng, const World& w) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  QueryFilter f;
  if (pick(0, 3) == 0) {
    f.member = "order_date";
    const FilterOp ops[] = {FilterOp::kEquals, FilterOp::kNotEquals, FilterOp::kIn, FilterOp::kNotIn,
                            FilterOp::kGt, FilterOp::kGte, FilterOp::kLt, FilterOp::kLte,
                            FilterOp::kBetween, FilterOp::kSet, FilterOp::kNotSet};
    f.op = ops[pick(0, 10)];
    auto day = [&] { return QueryValue(FormatDate(DayFromCivil(2023, 11, 1) + pick(0, 240))); };
    if (f.op == FilterOp::kBetween) {
      Day a = DayFromCivil(2023, 11, 1) + pick(0, 240), b = a + pick(0, 120);
      f.values = {FormatDate(a), FormatDate(b)};
    } else if (f.op == FilterOp::kIn || f.op == FilterOp::kNotIn) {
      f.values = {day(), day()};
    } else if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
      f.values = {day()};
    }
    return f;
  }
  f.member = kDims[static_cast<std::size_t>(pick(0, 4))];
  const FilterOp ops[] = {FilterOp::kEquals, FilterOp::kNotEquals, FilterOp::kIn, FilterOp::kNotIn,
                          FilterOp::kContains, FilterOp::kStartsWith, FilterOp::kSet,
                          FilterOp::kNotSet};
  f.op = ops[pick(0, 7)];
  const std::vector<std::string> pool = {"C1", "C2", "客户", "P1", "P3", "East", "West",
                                         "Furniture", "(none)", "Corporate", "", "e", "o",
                                         "Ho", "P", "X"};
  if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
    const int k = f.op == FilterOp::kEquals ? 1 : pick(1, 3);
    for (int i = 0; i < k; ++i) f.values.emplace_back(pool[static_cast<std::size_t>(pick(0, 15))]);
  }
  (void)w;
  return f;
}

inline QueryFilter RowFilter(std::mt19937_64& rng, const World& w, int depth) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  if (depth == 0 || pick(0, 2) != 0) return Condition(rng, w);
  QueryFilter f;
  f.kind = pick(0, 1) == 0 ? QueryFilter::Kind::kAnd : QueryFilter::Kind::kOr;
  const int k = pick(1, 3);
  for (int i = 0; i < k; ++i) f.children.push_back(RowFilter(rng, w, depth - 1));
  return f;
}

inline QuerySpec RandomSpec(std::mt19937_64& rng, const World& w) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  QuerySpec s;
  std::vector<std::string> measures = kMeasures;
  std::shuffle(measures.begin(), measures.end(), rng);
  measures.resize(static_cast<std::size_t>(pick(1, 5)));
  s.measures = measures;
  std::vector<std::string> dims = kDims;
  std::shuffle(dims.begin(), dims.end(), rng);
  dims.resize(static_cast<std::size_t>(pick(0, 2)));
  s.dimensions = dims;
  if (pick(0, 2) != 0) {
    QueryTime t;
    t.dimension = "order_date";
    if (pick(0, 3) != 0) t.grain = *ParseGrain(kGrains[static_cast<std::size_t>(pick(0, 5))]);
    if (pick(0, 1) == 0) t.from = DayFromCivil(2023, 11, 1) + pick(0, 200);
    if (pick(0, 1) == 0) t.to = DayFromCivil(2024, 1, 1) + pick(0, 200);
    if (t.from != kNoDate && t.to != kNoDate && t.from > t.to) std::swap(t.from, t.to);
    s.time = t;
  }
  if (s.time && s.time->grain) {  // the period is listed once (a hand case)
    const std::string column = "order_date." + QueryGrainText(*s.time->grain);
    std::erase(s.dimensions, column);
  }
  const int filters = pick(0, 2);
  for (int i = 0; i < filters; ++i) s.filters.push_back(RowFilter(rng, w, 2));
  std::vector<std::string> columns = s.measures;
  columns.insert(columns.end(), s.dimensions.begin(), s.dimensions.end());
  if (s.time && s.time->grain) columns.push_back("order_date." + QueryGrainText(*s.time->grain));
  for (int i = pick(0, 3) - 1; i > 0; --i) {
    s.order.push_back(QueryOrder{columns[static_cast<std::size_t>(pick(0, static_cast<int>(columns.size()) - 1))],
                                 pick(0, 1) == 0});
  }
  if (pick(0, 4) == 0) s.limit = pick(0, 4);
  if (pick(0, 5) == 0) s.offset = pick(0, 3);
  if ((!s.dimensions.empty() || (s.time && s.time->grain)) && pick(0, 3) == 0) {
    QueryTop top;
    top.n = pick(1, 3);
    if (pick(0, 1) == 0) top.by = s.measures[static_cast<std::size_t>(pick(0, static_cast<int>(s.measures.size()) - 1))];
    top.others = pick(0, 1) == 0;
    s.top = top;
  }
  const int totals = pick(0, 5);
  if (totals == 1) s.totals = QueryTotals::kGrand;
  if (totals == 2 && !s.dimensions.empty()) s.totals = QueryTotals::kSubtotals;
  if (pick(0, 3) == 0) {
    QueryFilter f;
    f.member = s.measures[0];
    const FilterOp ops[] = {FilterOp::kGt, FilterOp::kGte, FilterOp::kLt, FilterOp::kLte,
                            FilterOp::kEquals, FilterOp::kNotIn, FilterOp::kBetween,
                            FilterOp::kSet, FilterOp::kNotSet};
    f.op = ops[pick(0, 8)];
    const bool money = IsMoney(f.member);
    auto value = [&] { return QueryValue(std::int64_t{money ? pick(-20, 150) : pick(0, 4)}); };
    if (f.op == FilterOp::kBetween) {
      const std::int64_t a = money ? pick(-20, 100) : pick(0, 3);
      f.values = {a, a + (money ? pick(0, 100) : pick(0, 3))};
    } else if (f.op == FilterOp::kNotIn) {
      f.values = {value(), value()};
    } else if (f.op != FilterOp::kSet && f.op != FilterOp::kNotSet) {
      f.values = {value()};
    }
    s.filters.push_back(f);
  }
  return s;
}

inline void ExpectEqual(const std::vector<Cell>& want, const QueryResult& got, const QuerySpec& spec,
                 const std::string& what) {
  ASSERT_EQ(got.table.num_rows(), want.size()) << what;
  const std::size_t keys = spec.dimensions.size() + (spec.time && spec.time->grain ? 1 : 0);
  ASSERT_EQ(got.table.num_columns(), keys + spec.measures.size()) << what;
  for (std::size_t k = 0; k < keys; ++k) {
    const ResultColumn& col = got.table.columns()[k];
    for (std::size_t r = 0; r < want.size(); ++r) {
      ASSERT_EQ(col.StringAt(r), want[r].labels[k])
          << what << " column " << col.name << " row " << r;
    }
  }
  for (std::size_t m = 0; m < spec.measures.size(); ++m) {
    const ResultColumn& col = got.table.columns()[keys + m];
    ASSERT_EQ(col.name, spec.measures[m]) << what;
    for (std::size_t r = 0; r < want.size(); ++r) {
      const Value v = ValueOf(want[r], spec.measures[m]);
      if (v.is_double) {
        ASSERT_EQ(col.is_null(r), v.null) << what << " " << col.name << " row " << r;
        if (!v.null) {
          ASSERT_DOUBLE_EQ(col.doubles[r], v.d) << what << " " << col.name << " row " << r;
        }
      } else {
        ASSERT_EQ(col.ints[r], v.i) << what << " " << col.name << " row " << r;
      }
    }
  }
}

}  // namespace salesight::query_reference
