// The generated sample every benchmark file measures on: one per size,
// generated once per process (generation is not timed) and shared by all the
// files of salesight_benchmarks, so a full run holds each size once.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "salesight/dataset.hpp"
#include "salesight/sample.hpp"

namespace salesight {

inline const SampleData& CachedSample(std::int64_t order_lines) {
  static std::map<std::int64_t, std::unique_ptr<SampleData>> cache;
  std::unique_ptr<SampleData>& slot = cache[order_lines];
  if (!slot) {
    SampleOptions o;
    o.order_lines = order_lines;
    o.num_threads = 2;
    absl::StatusOr<SampleData> data = GenerateSample(o);
    if (!data.ok()) {
      std::fprintf(stderr, "GenerateSample: %s\n", std::string(data.status().message()).c_str());
      std::abort();
    }
    slot = std::make_unique<SampleData>(*std::move(data));
  }
  return *slot;
}

// The tables of the sample a benchmark's dataset holds besides its order lines.
enum SampleTables : unsigned {
  kWithCustomers = 1u << 0,
  kWithProducts = 1u << 1,
  kWithPipeline = 1u << 2,
  kWithInvoices = 1u << 3,
  kWithPayments = 1u << 4,
  kWithTargets = 1u << 5,
  kWithMasters = kWithCustomers | kWithProducts,
  kWithAll = (1u << 6) - 1,
};

// The sample's order lines and the `tables` named, as one dataset borrowing
// them: built once per (size, table set) and process.
inline const Dataset& CachedDataset(std::int64_t order_lines, unsigned tables) {
  static std::map<std::pair<std::int64_t, unsigned>, Dataset> cache;
  auto it = cache.find({order_lines, tables});
  if (it == cache.end()) {
    const SampleData& s = CachedSample(order_lines);
    DatasetTables t;
    t.orders = BorrowTable(s.orders);
    if (tables & kWithCustomers) t.customers = BorrowTable(s.customers);
    if (tables & kWithProducts) t.products = BorrowTable(s.products);
    if (tables & kWithPipeline) t.pipeline = BorrowTable(s.pipeline);
    if (tables & kWithInvoices) t.invoices = BorrowTable(s.invoices);
    if (tables & kWithPayments) t.payments = BorrowTable(s.payments);
    if (tables & kWithTargets) t.targets = BorrowTable(s.targets);
    absl::StatusOr<Dataset> data = Dataset::Build(std::move(t));
    if (!data.ok()) {
      std::fprintf(stderr, "Dataset::Build: %s\n", std::string(data.status().message()).c_str());
      std::abort();
    }
    it = cache.emplace(std::make_pair(order_lines, tables), *std::move(data)).first;
  }
  return it->second;
}

}  // namespace salesight
