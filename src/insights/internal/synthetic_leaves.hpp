// Synthetic labelled leaves for tests and benchmarks, shaped like the RiskLoc
// authors' public generator (generate_dataset.py: Weibull real values, zero
// leaves, relative forecast noise, anomalies that scale whole elements), but
// written plainly here and seeded with std::mt19937_64.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/insights/localizer.hpp"

namespace salesight::insights::internal {

struct SyntheticSpec {
  std::vector<int> cardinalities = {10, 10, 10, 20};  // 20,000 leaves
  int num_causes = 2;
  int max_cause_depth = 3;
  double noise = 0.05;          // sd of the relative forecast error of normal leaves
  double zero_rate = 0.05;      // share of leaves with real = forecast = 0
  double severity_min = 0.5;    // a cause's leaves lose this share of their forecast..
  double severity_max = 0.9;    // ..up to this one
  std::uint64_t seed = 1;
};

struct SyntheticCase {
  std::vector<std::string> dims;
  std::vector<std::vector<std::string>> member_names;  // [dim][member]
  std::vector<std::vector<Id>> codes;                  // [dim][leaf], full cartesian product
  std::vector<double> real, forecast;
  std::vector<std::vector<Id>> causes;  // [cause][dim], kNoId = not fixed
  std::vector<std::string> cause_texts;  // "a=a03&c=c07", sorted
};

inline SyntheticCase MakeSyntheticCase(const SyntheticSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  SyntheticCase out;
  const std::size_t dims = spec.cardinalities.size();
  std::size_t n = 1;
  for (std::size_t d = 0; d < dims; ++d) {
    out.dims.push_back(std::string(1, static_cast<char>('a' + d)));
    out.member_names.emplace_back();
    for (int m = 1; m <= spec.cardinalities[d]; ++m) {
      // Zero-padded so that text order is number order.
      char buf[16];
      std::snprintf(buf, sizeof buf, "%c%03d", static_cast<char>('a' + d), m);
      out.member_names[d].push_back(buf);
    }
    n *= static_cast<std::size_t>(spec.cardinalities[d]);
  }
  out.codes.assign(dims, std::vector<Id>(n));
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t rest = i;
    for (std::size_t d = dims; d-- > 0;) {
      const auto card = static_cast<std::size_t>(spec.cardinalities[d]);
      out.codes[d][i] = static_cast<Id>(rest % card);
      rest /= card;
    }
  }
  const double alpha = 0.5 + 0.5 * unit(rng);
  std::weibull_distribution<double> weibull(alpha, 1.0);
  std::normal_distribution<double> noise(0.0, spec.noise);
  out.real.resize(n);
  out.forecast.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double r = weibull(rng) * 100;
    if (unit(rng) < spec.zero_rate) r = 0;
    double p = std::max(r * (1 + noise(rng)), 0.0);
    if (unit(rng) < 0.5) std::swap(r, p);  // errors on both sides
    out.real[i] = r;
    out.forecast[i] = p;
  }
  // Causes: distinct elements that share no leaf, each of depth 1..max.
  auto overlap = [](const std::vector<Id>& x, const std::vector<Id>& y) {
    for (std::size_t d = 0; d < x.size(); ++d) {
      if (x[d] != kNoId && y[d] != kNoId && x[d] != y[d]) return false;
    }
    return true;
  };
  const int max_depth = std::min<int>(spec.max_cause_depth, static_cast<int>(dims));
  for (int tries = 0; static_cast<int>(out.causes.size()) < spec.num_causes && tries < 1000;
       ++tries) {
    const int depth = 1 + static_cast<int>(unit(rng) * max_depth) % max_depth;
    std::vector<std::size_t> order(dims);
    for (std::size_t d = 0; d < dims; ++d) order[d] = d;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<Id> cause(dims, kNoId);
    for (int k = 0; k < depth; ++k) {
      const std::size_t d = order[static_cast<std::size_t>(k)];
      cause[d] = static_cast<Id>(unit(rng) * spec.cardinalities[d]) % spec.cardinalities[d];
    }
    bool clash = false;
    for (const std::vector<Id>& c : out.causes) clash = clash || overlap(c, cause);
    if (!clash) out.causes.push_back(cause);
  }
  for (const std::vector<Id>& cause : out.causes) {
    const double severity =
        spec.severity_min + (spec.severity_max - spec.severity_min) * unit(rng);
    for (std::size_t i = 0; i < n; ++i) {
      bool in = true;
      for (std::size_t d = 0; d < dims && in; ++d) in = cause[d] == kNoId || out.codes[d][i] == cause[d];
      if (in) out.real[i] = out.forecast[i] * (1 - severity);
    }
    std::string text;
    for (std::size_t d = 0; d < dims; ++d) {
      if (cause[d] == kNoId) continue;
      if (!text.empty()) text += '&';
      text += out.dims[d] + "=" + out.member_names[d][static_cast<std::size_t>(cause[d])];
    }
    out.cause_texts.push_back(text);
  }
  std::sort(out.cause_texts.begin(), out.cause_texts.end());
  return out;
}

// The case as a LeavesTable (member names are already in canonical order).
inline absl::StatusOr<LeavesTable> ToLeavesTable(const SyntheticCase& c) {
  std::vector<Dictionary> members;
  for (const std::vector<std::string>& names : c.member_names) {
    absl::StatusOr<Dictionary> d = Dictionary::FromCodes(names);
    if (!d.ok()) return d.status();
    members.push_back(*std::move(d));
  }
  return LeavesTable::Make(c.dims, std::move(members), c.codes, c.real, c.forecast);
}

}  // namespace salesight::insights::internal
