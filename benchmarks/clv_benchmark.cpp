// CLV benchmarks (issue 18's goals):
//   BM_ClvFitBgNbdCdnow: BG/NBD fit on the 2,357 CDNOW customers (goal <= 2 ms).
//   BM_ClvFitBgNbdSynthetic/{customers}/{threads}: fit on customers simulated
//     from the BG/NBD process at the CDNOW parameters (goal 10^6, 2 threads <= 150 ms).
//   BM_ClvPredictBgNbd/{customers}/{threads}: E[Y(39)] and P(alive) per
//     customer (goal 10^6 <= 30 ms).
//
//   salesight_benchmarks --benchmark_filter='Clv'
//
// Data loading and simulation are outside the timing.
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>

#include "benchmark/benchmark.h"
#include "salesight/clv.hpp"

namespace salesight::clv {
namespace {

CustomerSummary LoadCdnow() {
  CustomerSummary s;
  std::ifstream in(std::string(SALESIGHT_CDNOW_DIR) + "/cdnow_customers_summary.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, x, tx, t;
    std::getline(ss, id, ',');
    std::getline(ss, x, ',');
    std::getline(ss, tx, ',');
    std::getline(ss, t, ',');
    if (t.empty()) continue;
    s.frequency.push_back(std::stod(x));
    s.recency.push_back(std::stod(tx));
    s.T.push_back(std::stod(t));
  }
  return s;
}

// The BG/NBD story at r, alpha, a, b = 0.243, 4.414, 0.793, 2.426: first
// purchases spread over 12 weeks, calibration to week 39. Times are whole
// days in weeks (purchase times floored to the day), as in any summary
// built from dated orders.
CustomerSummary Simulate(std::size_t n) {
  std::mt19937_64 rng(18);
  std::gamma_distribution<double> lambda_d(0.243, 1.0 / 4.414);
  std::gamma_distribution<double> ga(0.793, 1.0), gb(2.426, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  CustomerSummary s;
  s.frequency.reserve(n);
  s.recency.reserve(n);
  s.T.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double lambda = lambda_d(rng), xa = ga(rng), p = xa / (xa + gb(rng));
    const double T = std::floor(273.0 - 84.0 * u(rng)) / 7.0;
    double t = 0, tx = 0;
    int x = 0;
    for (;;) {
      t += -std::log1p(-u(rng)) / lambda;
      if (t > T) break;
      ++x;
      tx = t;
      if (u(rng) < p) break;
    }
    s.frequency.push_back(x);
    s.recency.push_back(std::floor(tx * 7.0) / 7.0);
    s.T.push_back(T);
  }
  return s;
}

const CustomerSummary& Synthetic(std::size_t n) {
  static std::map<std::size_t, CustomerSummary> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, Simulate(n)).first;
  return it->second;
}

void BM_ClvFitBgNbdCdnow(benchmark::State& state) {
  const CustomerSummary s = LoadCdnow();
  for (auto _ : state) {
    absl::StatusOr<FitResult> fit = FitBgNbd(s);
    if (!fit.ok()) {
      state.SkipWithError(std::string(fit.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(fit->params.data());
    state.counters["iterations"] = fit->iterations;
    state.counters["evaluations"] = fit->evaluations;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
}
BENCHMARK(BM_ClvFitBgNbdCdnow)->Unit(benchmark::kMillisecond);

void BM_ClvFitBgNbdSynthetic(benchmark::State& state) {
  const CustomerSummary& s = Synthetic(static_cast<std::size_t>(state.range(0)));
  FitOptions o;
  o.num_threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    absl::StatusOr<FitResult> fit = FitBgNbd(s, o);
    if (!fit.ok()) {
      state.SkipWithError(std::string(fit.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(fit->params.data());
    state.counters["evaluations"] = fit->evaluations;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClvFitBgNbdSynthetic)
    ->Args({100000, 1})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ClvPredictBgNbd(benchmark::State& state) {
  const CustomerSummary& s = Synthetic(static_cast<std::size_t>(state.range(0)));
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};
  ValueOptions o;
  o.horizon = 1;
  o.period_length = 39;
  for (auto _ : state) {
    absl::StatusOr<BgNbdPredictions> r =
        PredictBgNbd(p, s, o, nullptr, static_cast<int>(state.range(1)));
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->expected_purchases.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClvPredictBgNbd)
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight::clv
