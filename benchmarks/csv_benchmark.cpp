// CSV ingestion throughput (issue 2, item 7: >= 100 MB/s on one thread for a
// typical orders file) and peak memory against the size of the resulting columns
// (< 1.5x).
//
//   salesight_benchmarks --benchmark_filter='Csv'
//
// Each benchmark writes its own temp file once per size (deterministic, seeded):
// a typical ERP order-line export, ~80 bytes a line:
//   order,line,date,customer,product,region,salesperson,quantity,amount,unit_cost
//   100234,1,2023-05-17,C-004521,P-01234,East,S-017,12,1234.56,45.10
// with one product name in 20 quoted and holding a comma, as real exports do.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ingest/internal/csv_reader.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

// Temp files by row count, removed at exit.
struct TempFiles {
  std::map<std::int64_t, std::string> paths;
  ~TempFiles() {
    for (const auto& [rows, path] : paths) std::remove(path.c_str());
  }
};

// Customer of each line: uniform over K = rows/10 customers (the worst case for
// the dictionaries' caches), or skewed as WORKLOADS.md describes real ERP data
// (weights 1/(rank+20)^s, s = 1.1: the top 20% of customers place ~75% of the
// lines), with ranks scattered over the codes.
class CustomerPicker {
 public:
  CustomerPicker(unsigned customers, bool skewed) : n_(customers), skewed_(skewed) {
    if (!skewed_) return;
    double total = 0;
    cumulative_.reserve(n_);
    for (unsigned r = 0; r < n_; ++r) {
      total += 1.0 / std::pow(r + 20.0, 1.1);
      cumulative_.push_back(total);
    }
    for (double& c : cumulative_) c /= total;
  }
  unsigned Pick(std::mt19937_64& rng) const {
    if (!skewed_) return static_cast<unsigned>(rng() % n_);
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const auto rank = static_cast<unsigned>(
        std::lower_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
    return static_cast<unsigned>((std::uint64_t{rank} * 2654435761u) % n_);  // scatter
  }

 private:
  unsigned n_;
  bool skewed_;
  std::vector<double> cumulative_;
};

const std::string& OrdersFile(std::int64_t rows, bool skewed = false) {
  static TempFiles temp;  // setup only, not timed
  std::map<std::int64_t, std::string>& files = temp.paths;
  const std::int64_t key = rows * 2 + (skewed ? 1 : 0);
  auto it = files.find(key);
  if (it != files.end()) return it->second;
  std::string path = "/tmp/salesight_csv_benchmark_" + std::to_string(::getpid()) + "_" +
                     std::to_string(rows) + (skewed ? "_skewed" : "_uniform") + ".csv";
  std::ofstream out(path, std::ios::binary);
  out << "order,line,date,customer,product,region,salesperson,quantity,amount,unit_cost\n";
  std::mt19937_64 rng(20240930);
  const CustomerPicker customers(static_cast<unsigned>(rows / 10 + 1), skewed);
  static const char* kRegions[] = {"East", "West", "North", "South", "华东", "华南", "Central",
                                   "Export"};
  char buf[256];
  std::int64_t order = 100000;
  int line = 1;
  for (std::int64_t i = 0; i < rows; ++i) {
    if (rng() % 3 == 0) {
      ++order;
      line = 1;
    } else {
      ++line;
    }
    const int day = static_cast<int>(i * 1096 / rows);  // 2022-01-01 .. 2024-12-31
    const int year = 2022 + day / 365, doy = day % 365;
    const int month = 1 + doy / 31 % 12, dom = 1 + doy % 28;
    const unsigned customer = customers.Pick(rng);
    const unsigned product = static_cast<unsigned>(rng() % 5000);
    const unsigned quantity = 1 + static_cast<unsigned>(rng() % 50);
    const unsigned price = 100 + static_cast<unsigned>(rng() % 200000);
    const bool quoted = rng() % 20 == 0;
    std::snprintf(buf, sizeof buf,
                  quoted ? "%lld,%d,%04d-%02d-%02d,C-%06u,\"P-%05u, boxed\",%s,S-%03u,%u,%u.%02u,%u.%02u\n"
                         : "%lld,%d,%04d-%02d-%02d,C-%06u,P-%05u,%s,S-%03u,%u,%u.%02u,%u.%02u\n",
                  static_cast<long long>(order), line, year, month, dom, customer, product,
                  kRegions[customer % 8], customer % 200, quantity, price * quantity / 100,
                  price * quantity % 100, price * 6 / 1000, price * 6 / 10 % 100);
    out << buf;
  }
  out.close();
  return files.emplace(key, path).first->second;
}

std::int64_t FileSize(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  return static_cast<std::int64_t>(f.tellg());
}

// range(0) = rows, range(1) = 1 for skewed customers, 0 for uniform.
void BM_ReadOrdersCsv(benchmark::State& state) {
  const std::string& path = OrdersFile(state.range(0), state.range(1) != 0);
  const std::int64_t bytes = FileSize(path);
  IngestOptions options;
  for (auto _ : state) {
    Dictionaries dicts;
    absl::StatusOr<OrdersCsv> r = ReadOrdersCsv(path, options, dicts);
    if (!r.ok() || r->report.rejected != 0) {
      state.SkipWithError("load failed");
      break;
    }
    benchmark::DoNotOptimize(r->table.columns().amount.data());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReadOrdersCsv)
    ->ArgNames({"rows", "skewed"})
    ->ArgsProduct({{100'000, 1'000'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// The generic reader: every field copied into string columns.
void BM_ReadCsvStrings(benchmark::State& state) {
  const std::string& path = OrdersFile(state.range(0));
  const std::int64_t bytes = FileSize(path);
  IngestOptions options;
  for (auto _ : state) {
    absl::StatusOr<StringCsv> r = ReadCsvStrings(path, options);
    if (!r.ok()) {
      state.SkipWithError("load failed");
      break;
    }
    benchmark::DoNotOptimize(r->num_rows());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReadCsvStrings)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The tokenizer alone (records and field views, nothing parsed): the ceiling.
void BM_CsvTokenizeOnly(benchmark::State& state) {
  const std::string& path = OrdersFile(state.range(0));
  const std::int64_t bytes = FileSize(path);
  for (auto _ : state) {
    auto reader = ingest::CsvReader::OpenFile(path, {});
    if (!reader.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    ingest::CsvRecord record;
    std::size_t fields = 0;
    while (*(*reader)->Next(&record)) fields += record.fields.size();
    benchmark::DoNotOptimize(fields);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_CsvTokenizeOnly)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

std::int64_t StatusKb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string k;
  std::int64_t v = -1;
  while (f >> k) {
    if (k == key) {
      f >> v;
      return v;
    }
  }
  return -1;
}

// Peak RSS growth while loading, against the bytes of the resulting columns.
// The kernel's high-water mark is reset first (/proc/self/clear_refs = 5) and
// freed heap is returned (malloc_trim), so earlier benchmarks do not hide growth.
void BM_ReadOrdersCsvPeakMemory(benchmark::State& state) {
  const std::string& path = OrdersFile(state.range(0));
  IngestOptions options;
  double column_mb = 0, peak_mb = 0, dictionary_mb = 0;
  for (auto _ : state) {
    malloc_trim(0);
    { std::ofstream("/proc/self/clear_refs") << "5"; }
    const std::int64_t base_kb = StatusKb("VmRSS:");
    Dictionaries dicts;
    absl::StatusOr<OrdersCsv> r = ReadOrdersCsv(path, options, dicts);
    const std::int64_t peak_kb = StatusKb("VmHWM:");
    if (!r.ok() || base_kb < 0 || peak_kb < 0) {
      state.SkipWithError("load or /proc read failed");
      break;
    }
    const OrderLinesColumns& c = r->table.columns();
    const double bytes = static_cast<double>(
        c.order_id.size() * 8 + c.line.size() * 4 + c.order_date.size() * 4 +
        c.customer.size() * 4 + c.product.size() * 4 + c.region.size() * 4 +
        c.salesperson.size() * 4 + c.quantity.size() * 4 + c.amount.size() * 8 +
        c.unit_cost.size() * 8);
    column_mb = bytes / 1e6;
    peak_mb = static_cast<double>(peak_kb - base_kb) / 1e3;
    // Dictionaries are part of the result too, but not "columns": shown apart
    // (codes + ~40 bytes of deque/hash overhead each; an estimate).
    double dict_bytes = 0;
    for (const auto& d : {dicts.customers, dicts.products, dicts.regions, dicts.salespeople}) {
      if (d) dict_bytes += static_cast<double>(d->size()) * (16 + 40);
    }
    dictionary_mb = dict_bytes / 1e6;
  }
  state.counters["column_MB"] = column_mb;
  state.counters["dictionary_MB_est"] = dictionary_mb;
  state.counters["peak_growth_MB"] = peak_mb;
  state.counters["peak_over_columns"] = column_mb > 0 ? peak_mb / column_mb : 0;
}
BENCHMARK(BM_ReadOrdersCsvPeakMemory)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace salesight
