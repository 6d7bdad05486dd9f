// Portable random numbers for the sample generator.
//
// The same seed must give the same bytes with any compiler, standard library
// and CPU, so nothing here uses <random>'s distributions (their algorithms are
// unspecified and differ between libstdc++, libc++ and MSVC), nor libm's
// log/exp/sin/pow (glibc picks FMA or non-FMA code paths per CPU at run time,
// and other libms round differently in the last bit). The generator is
// xoshiro256** (Blackman & Vigna) seeded through splitmix64; Log and Exp are
// fdlibm's algorithms written with IEEE basic operations only (+ - * / and the
// exact frexp/ldexp), and normals come from Marsaglia's polar method (log and
// the correctly rounded sqrt, no trigonometry). The project compiles in ISO
// mode (-std=c++20), where GCC does not contract a*b+c into FMA, so every
// operation rounds the same way on any IEEE-754 machine. (Clang contracts
// within an expression by default: on FMA targets build with
// -ffp-contract=off for identical bytes.)
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace salesight::sample_internal {

// Natural logarithm of x > 0 (fdlibm e_log.c; < 1 ulp).
inline double Log(double x) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01,
                   kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01,
                   kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                   kLg7 = 1.479819860511658591e-01;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  const double f = m - 1.0;  // in [-0.29, 0.41)
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = t2 + t1;
  const double hfsq = 0.5 * f * f;
  const double k = static_cast<double>(e);
  return k * kLn2Hi - ((hfsq - (s * (hfsq + r) + k * kLn2Lo)) - f);
}

// e^x (fdlibm e_exp.c; < 1 ulp); 0 below -745, +inf above 709.78.
inline double Exp(double x) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kInvLn2 = 1.44269504088896338700e+00;
  constexpr double kP1 = 1.66666666666666019037e-01, kP2 = -2.77777777770155933842e-03,
                   kP3 = 6.61375632143793436117e-05, kP4 = -1.65339022054652515390e-06,
                   kP5 = 4.13813679705723846039e-08;
  if (x > 709.782712893383973096) return HUGE_VAL;
  if (x < -745.13321910194110842) return 0.0;
  const int k = static_cast<int>(x * kInvLn2 + (x < 0 ? -0.5 : 0.5));  // round to nearest
  const double hi = x - k * kLn2Hi;
  const double lo = k * kLn2Lo;
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (kP1 + t * (kP2 + t * (kP3 + t * (kP4 + t * kP5))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  return std::ldexp(y, k);
}

// a^b for a > 0.
inline double Pow(double a, double b) { return Exp(b * Log(a)); }

inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A well-mixed 64-bit key for (seed, stream tag, block index): every table and
// every block of rows draws from its own stream, which is what makes the output
// independent of the thread count.
inline std::uint64_t StreamKey(std::uint64_t seed, std::uint64_t tag, std::uint64_t block) {
  std::uint64_t s = seed;
  std::uint64_t a = SplitMix64(s);
  s = a ^ (tag * 0xd1342543de82ef95ULL);
  std::uint64_t b = SplitMix64(s);
  s = b ^ (block * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL);
  return SplitMix64(s);
}

class Rng {
 public:
  // State words from splitmix64, as the xoshiro authors recommend.
  explicit Rng(std::uint64_t key) {
    std::uint64_t sm = key;
    for (auto& w : s_) w = SplitMix64(sm);
  }
  Rng(std::uint64_t seed, std::uint64_t tag, std::uint64_t block)
      : Rng(StreamKey(seed, tag, block)) {}
  // Exact state, for known-answer tests.
  static Rng FromState(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3) {
    Rng r(0);
    r.s_[0] = s0;
    r.s_[1] = s1;
    r.s_[2] = s2;
    r.s_[3] = s3;
    return r;
  }

  // xoshiro256**.
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // (0, 1]: safe under log().
  double UniformPositive() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Bernoulli(double p) { return Uniform() < p; }

  // Uniform integer in [0, n), n >= 1 (Lemire's multiply-shift; the bias for
  // n < 2^32 is below 2^-32, irrelevant for synthetic data and deterministic).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * n) >> 32);
  }

  // Standard normal by Marsaglia's polar method; the second value of each pair
  // is kept for the next call.
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * Log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  double LogNormal(double mu, double sigma) { return Exp(mu + sigma * Normal()); }
  double Exponential(double mean) { return -mean * Log(UniformPositive()); }

  // Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 through the
  // boost U^(1/shape).
  double Gamma(double shape, double scale) {
    if (shape < 1.0) {
      const double u = UniformPositive();
      return Gamma(shape + 1.0, scale) * Pow(u, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      double x = 0.0, v = 0.0;
      do {
        x = Normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = UniformPositive();
      if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return d * v * scale;
      if (Log(u) < 0.5 * x * x + d * (1.0 - v + Log(v))) return d * v * scale;
    }
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Walker/Vose alias table over n < 2^31 weights: O(1) draws with two memory
// reads, which is what makes 10^8 Zipf draws over 10^7 customers cheap. Built
// with a fixed worklist order, so the table (and every draw) is deterministic.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    entries_.resize(n);
    double total = 0.0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<std::int32_t> small, large;
    small.reserve(n);
    large.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::int32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::int32_t s = small.back();
      small.pop_back();
      const std::int32_t l = large.back();
      const auto su = static_cast<std::size_t>(s);
      const auto lu = static_cast<std::size_t>(l);
      entries_[su].threshold = ToThreshold(scaled[su]);
      entries_[su].alias = l;
      scaled[lu] = (scaled[lu] + scaled[su]) - 1.0;
      if (scaled[lu] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // Leftovers are (up to rounding) exactly full.
    for (std::int32_t i : large) entries_[static_cast<std::size_t>(i)] = {kFull, i};
    for (std::int32_t i : small) entries_[static_cast<std::size_t>(i)] = {kFull, i};
  }

  std::int32_t Draw(Rng& rng) const {
    const std::uint64_t x = rng.Next();
    const auto i = static_cast<std::size_t>(((x >> 32) * entries_.size()) >> 32);
    const Entry& e = entries_[i];
    return static_cast<std::uint32_t>(x) < e.threshold ? static_cast<std::int32_t>(i) : e.alias;
  }
  std::size_t size() const { return entries_.size(); }

 private:
  static constexpr std::uint32_t kFull = 0xffffffffu;
  static std::uint32_t ToThreshold(double p) {
    if (p <= 0.0) return 0;
    if (p >= 1.0) return kFull;
    return static_cast<std::uint32_t>(p * 4294967296.0);
  }
  struct Entry {
    std::uint32_t threshold;  // keep i when the low 32 bits are below this
    std::int32_t alias;
  };
  std::vector<Entry> entries_;
};

// Fisher-Yates shuffle of 0..n-1 from one stream (sequential by nature; O(n)).
inline std::vector<std::int32_t> RandomPermutation(std::int32_t n, Rng& rng) {
  std::vector<std::int32_t> p(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) p[static_cast<std::size_t>(i)] = i;
  for (std::int32_t i = n - 1; i > 0; --i) {
    const std::uint32_t j = rng.Below(static_cast<std::uint32_t>(i) + 1);
    std::swap(p[static_cast<std::size_t>(i)], p[j]);
  }
  return p;
}

}  // namespace salesight::sample_internal
