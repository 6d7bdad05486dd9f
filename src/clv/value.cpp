#include "salesight/clv/value.hpp"

#include <cmath>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"

#include "absl/strings/str_cat.h"
#include "clv/internal/bgnbd_parts.hpp"
#include "clv/internal/validate.hpp"
#include "core/internal/parallel.hpp"

namespace salesight::clv {

absl::Status CheckValueOptions(const ValueOptions& o) {
  if (o.horizon < 1) return absl::InvalidArgumentError(absl::StrCat("horizon ", o.horizon, " < 1"));
  if (!(o.period_length > 0) || !std::isfinite(o.period_length)) {
    return absl::InvalidArgumentError(absl::StrCat("period_length ", o.period_length, " is not > 0"));
  }
  if (!(o.discount_rate > -1) || !std::isfinite(o.discount_rate)) {
    return absl::InvalidArgumentError(
        absl::StrCat("discount_rate ", o.discount_rate, " is not a rate > -1"));
  }
  if (!std::isfinite(o.margin)) {
    return absl::InvalidArgumentError(absl::StrCat("margin ", o.margin, " is not finite"));
  }
  return absl::OkStatus();
}

absl::StatusOr<double> DiscountedValue(
    const std::function<absl::StatusOr<double>(double t)>& expected, double spend,
    const ValueOptions& options) {
  if (absl::Status st = CheckValueOptions(options); !st.ok()) return st;
  double value = 0, previous = 0, discount = 1;
  for (int k = 1; k <= options.horizon; ++k) {
    absl::StatusOr<double> e = expected(k * options.period_length);
    if (!e.ok()) return e.status();
    discount /= 1 + options.discount_rate;
    value += (*e - previous) * discount;
    previous = *e;
  }
  return options.margin * spend * value;
}

absl::StatusOr<BgNbdPredictions> PredictBgNbd(const BgNbdParams& params,
                                              const CustomerSummary& summary,
                                              const ValueOptions& options,
                                              const GammaGammaParams* spend, int num_threads) {
  if (absl::Status st = CheckValueOptions(options); !st.ok()) return st;
  internal::SummaryNeeds needs{.monetary = spend != nullptr, .model = "BG/NBD prediction"};
  if (absl::Status st = internal::ValidateSummary(summary, needs); !st.ok()) return st;
  const std::size_t n = summary.size();
  BgNbdPredictions out;
  out.expected_purchases.resize(n);
  out.p_alive.resize(n);
  if (spend != nullptr) {
    out.expected_spend.resize(n);
    out.clv.resize(n);
  }
  // Checks the parameters (a != 1 included) once for all rows.
  if (absl::StatusOr<double> probe = BgNbdConditionalExpectedPurchases(params, 1, 0, 0, 0);
      !probe.ok()) {
    return probe.status();
  }
  const double horizon = options.horizon * options.period_length;
  const std::size_t threads = salesight::internal::ResolveThreads(num_threads, n / 4096 + 1);
  std::vector<absl::Status> errors(threads);
  salesight::internal::ForEachRange(threads, n, [&](std::size_t t, std::size_t begin,
                                                    std::size_t end) {
    // E[Y(h) | alive, x, T] per distinct (x, T, h): summaries built from
    // dated orders repeat them (times on a day grid), the 2F1 is the cost.
    absl::flat_hash_map<std::tuple<double, double, double>, double> cache;
    for (std::size_t i = begin; i < end && errors[t].ok(); ++i) {
      const double x = summary.frequency[i], tx = summary.recency[i], T = summary.T[i];
      const double alive = internal::BgNbdAliveProbability(params, x, tx, T);
      auto conditional = [&](double h) -> absl::StatusOr<double> {
        const auto key = std::make_tuple(x, T, h);
        if (auto it = cache.find(key); it != cache.end()) return it->second * alive;
        absl::StatusOr<double> v = internal::BgNbdAliveExpectedPurchases(params, h, x, T);
        if (!v.ok()) return v.status();
        if (cache.size() > (1u << 20)) cache.clear();  // continuous times: no reuse
        cache.emplace(key, *v);
        return *v * alive;
      };
      absl::Status st;
      absl::StatusOr<double> e = conditional(horizon);
      if (!e.ok()) {
        st = e.status();
      } else {
        out.expected_purchases[i] = *e;
        out.p_alive[i] = alive;
      }
      if (st.ok() && spend != nullptr) {
        absl::StatusOr<double> z = GammaGammaExpectedSpend(*spend, x, summary.monetary_value[i]);
        absl::StatusOr<double> v = z.ok() ? DiscountedValue(conditional, *z, options) : z;
        if (v.ok()) {
          out.expected_spend[i] = *z;
          out.clv[i] = *v;
        } else {
          st = v.status();
        }
      }
      if (!st.ok()) {
        errors[t] = absl::Status(st.code(), absl::StrCat("BG/NBD prediction: customer row ", i + 1,
                                                         ": ", st.message()));
      }
    }
  });
  for (const absl::Status& st : errors) {
    if (!st.ok()) return st;
  }
  return out;
}

}  // namespace salesight::clv
