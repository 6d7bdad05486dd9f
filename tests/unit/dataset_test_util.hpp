// Tests hold their tables as locals; calculators take a Dataset. TestData
// borrows the tables (they outlive the call) and builds the dataset, failing
// the test (an exception from .value()) when Build refuses them.
#pragma once

#include <memory>

#include "salesight/dataset.hpp"

namespace salesight::test_data {

struct TestTables {
  const OrderLines* orders = nullptr;
  const Customers* customers = nullptr;
  const Products* products = nullptr;
  const Pipeline* pipeline = nullptr;
  const Invoices* invoices = nullptr;
  const Payments* payments = nullptr;
  const Targets* targets = nullptr;
};


inline Dataset TestData(const TestTables& t) {
  DatasetTables d;
  d.orders = BorrowTable(t.orders);
  d.customers = BorrowTable(t.customers);
  d.products = BorrowTable(t.products);
  d.pipeline = BorrowTable(t.pipeline);
  d.invoices = BorrowTable(t.invoices);
  d.payments = BorrowTable(t.payments);
  d.targets = BorrowTable(t.targets);
  return Dataset::Build(std::move(d)).value();
}

// The common shapes.
inline Dataset InvoicesData(const Invoices& invoices, const Payments* payments = nullptr) {
  return TestData({.invoices = &invoices, .payments = payments});
}
// `orders` with the other tables of `t`.
inline Dataset WithOrders(const OrderLines& orders, TestTables t = {}) {
  t.orders = &orders;
  return TestData(t);
}
inline Dataset OrdersData(const OrderLines& orders, const Products* products = nullptr) {
  return TestData({.orders = &orders, .products = products});
}

}  // namespace salesight::test_data
