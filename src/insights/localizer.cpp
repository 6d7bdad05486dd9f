// RiskLoc-style root-cause localisation (the method is described in
// salesight/insights/localizer.hpp; credit: M. Kalander, "RiskLoc: Localization
// of Multi-dimensional Root Causes by Weighted Risk", 2022, and the reference
// code at github.com/shaido987/riskloc, read for its ideas only).
//
// Speed: a cuboid is built the first time the search reaches it (the search
// often stops at depth 1). Its element id of every leaf comes from its parent
// cuboid (the cuboid without its last dimension): key = parent_id *
// members(last) + member, made dense in key order, so element ids order
// elements by their members. Below depth 1 only RELEVANT leaves get an
// element: those in a viable element of every cuboid one dimension shallower,
// and in an element holding an abnormal leaf (no other element can win or
// make a deeper one viable). The same pass sums ep, positive ep, weights and
// counts per element and groups the leaves by element. The sums are kept: a
// found cause's leaves are subtracted from every built cuboid, so a later
// search scans only the elements holding an abnormal leaf, and a candidate's
// risk visits only its own leaves. Nothing is allocated per leaf in a search.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "insights/internal/dense_ids.hpp"
#include "salesight/insights/localizer.hpp"

namespace salesight::insights {
namespace {

// Risk is compared with this slack: a leaf whose weight is capped at 1 has
// risk exactly 1/2 - 0 in exact arithmetic (one ratio explains a single leaf),
// so at the default threshold 0.5 the last bits of the rescaled forecast
// would otherwise decide (and they differ between CSV parsers).
constexpr double kRiskTolerance = 1e-9;

struct Cuboid {
  std::uint32_t mask = 0;  // bit d = dimension d is fixed
  int depth = 0;
  int parent = -1;         // the cuboid without the last dimension; -1 at depth 1
  bool built = false;
  std::int32_t count = 0;            // elements
  std::vector<std::int32_t> elem;    // element id of each leaf
  std::vector<std::uint32_t> rep;    // one leaf of each element (its members)
  struct Sums {
    double ep = 0, ep_pos = 0;
    double w_abnormal = 0, w_normal = 0;  // weights, for the high risk
    std::int32_t abnormal = 0, leaves = 0;
  };
  std::vector<Sums> sums;            // per element, over the leaves not yet explained
  std::vector<std::int32_t> abnormal_elems;  // elements holding an abnormal leaf, ascending
  std::vector<std::uint32_t> relevant;       // leaves with an element, ascending
  std::vector<std::uint8_t> viable;          // per element, for deeper cuboids' builds
  std::vector<std::uint32_t> start;          // by_elem[start[e], start[e+1]) = element e's leaves
  std::vector<std::uint32_t> by_elem;
};

// All cuboids up to max_depth, by depth, then dimensions in combination order
// (as itertools.combinations lists them), so ties prefer earlier dimensions.
// Their element ids are built on first use: the search often stops at depth 1.
std::vector<Cuboid> ListCuboids(int dims, int max_depth) {
  std::vector<std::uint32_t> masks;
  for (std::uint32_t m = 1; m < (1u << dims); ++m) {
    if (__builtin_popcount(m) <= max_depth) masks.push_back(m);
  }
  std::sort(masks.begin(), masks.end(), [](std::uint32_t a, std::uint32_t b) {
    const int pa = __builtin_popcount(a), pb = __builtin_popcount(b);
    if (pa != pb) return pa < pb;
    // Sorted dimension lists in lexicographic order: the list holding the
    // lowest dimension where they differ comes first.
    const std::uint32_t diff = a ^ b;
    return (a & diff & (~diff + 1)) != 0;
  });
  std::vector<int> index_of(std::size_t{1} << dims, -1);
  std::vector<Cuboid> cuboids(masks.size());
  for (std::size_t c = 0; c < masks.size(); ++c) {
    cuboids[c].mask = masks[c];
    cuboids[c].depth = __builtin_popcount(masks[c]);
    index_of[masks[c]] = static_cast<int>(c);
    const std::uint32_t parent = masks[c] & ~(1u << (31 - __builtin_clz(masks[c])));
    cuboids[c].parent = parent == 0 ? -1 : index_of[parent];
  }
  return cuboids;
}

// The (k+1)-th smallest distinct value (the largest when fewer), by one scan
// keeping the k+1 smallest distinct values seen; `greater` flips the order.
double KthDistinct(const std::vector<double>& v, std::size_t k, bool greater) {
  std::vector<double> best;  // sorted by the order, at most k+1
  auto before = [greater](double a, double b) { return greater ? a > b : a < b; };
  for (double x : v) {
    if (best.size() == k + 1 && !before(x, best.back())) continue;
    auto it = std::lower_bound(best.begin(), best.end(), x, before);
    if (it != best.end() && *it == x) continue;  // -0.0 == 0.0: one value
    best.insert(it, x);
    if (best.size() > k + 1) best.pop_back();
  }
  return best.back();
}

// The partition cutoff (header, step 2).
double Cutoff(const std::vector<double>& dev, int n_remove, bool relative) {
  std::size_t k = static_cast<std::size_t>(std::max(n_remove, 0));
  if (!relative) {
    const double min_val = KthDistinct(dev, k, false);
    const double max_val = KthDistinct(dev, k, true);
    return -(std::abs(max_val) < std::abs(min_val) ? max_val : min_val);
  }
  std::vector<double> distinct(dev);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const std::size_t m = distinct.size();
  k = static_cast<std::size_t>(std::ceil(static_cast<double>(m) * static_cast<double>(k) / 100.0));
  const std::size_t take = std::min(k + 1, m);
  const double min_val = distinct[take - 1];
  const double max_val = distinct[m - take];
  return -(std::abs(max_val) < std::abs(min_val) ? max_val : min_val);
}

class Search {
 public:
  Search(const LeavesTable& t, const LocalizerOptions& o) : t_(t), o_(o) {}

  Localization Run() {
    Localization out;
    const std::size_t n = t_.num_leaves();
    const int dims = static_cast<int>(t_.num_dims());
    if (n == 0) return out;
    const std::vector<double>& v = t_.real();
    const std::vector<double>& f = t_.forecast();
    dev_.resize(n);
    double total_v = 0, total_f = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double s = f[i] + v[i];
      dev_[i] = s == 0 ? 0.0 : 2 * (f[i] - v[i]) / s;
      total_v += v[i];
      total_f += f[i];
    }
    if (total_v == total_f) return out;  // nothing to explain
    const double t = Cutoff(dev_, o_.n_remove, o_.remove_relative);
    out.cutoff = t;
    const bool right = t > 0 || (t == 0 && !std::signbit(t));
    abnormal_.assign(n, 0);
    weight_.resize(n);
    ep_.resize(n);
    double abnormal_ep = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool ab = right ? dev_[i] > t : dev_[i] < t;
      abnormal_[i] = ab ? 1 : 0;
      const double w =
          ab ? std::abs(dev_[i]) : (v[i] == 0 && f[i] == 0 ? 0.0 : std::abs(t - dev_[i]));
      weight_[i] = std::min(w, 1.0);
      ep_[i] = (v[i] - f[i]) / (total_v - total_f);
      if (ab) abnormal_ep += ep_[i];
      out.abnormal_leaves += ab ? 1 : 0;
    }
    if (out.abnormal_leaves == 0) return out;
    if (abnormal_ep < 0) {
      for (double& e : ep_) e = -e;
      abnormal_ep = -abnormal_ep;
    }
    ep_min_ = abnormal_ep * o_.pep_threshold;
    pruned_.resize(static_cast<std::size_t>(dims));
    for (int d = 0; d < dims; ++d) {
      pruned_[static_cast<std::size_t>(d)].assign(
          static_cast<std::size_t>(t_.members(static_cast<std::size_t>(d)).size()), 0);
    }
    removed_.assign(n, 0);
    const int max_depth = o_.max_depth <= 0 ? dims : std::min(o_.max_depth, dims);
    cuboids_ = ListCuboids(dims, max_depth);
    index_of_.assign(std::size_t{1} << dims, -1);
    for (std::size_t c = 0; c < cuboids_.size(); ++c) index_of_[cuboids_[c].mask] = static_cast<int>(c);

    while (true) {
      double remaining = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!removed_[i] && abnormal_[i]) remaining += ep_[i];
      }
      if (remaining < ep_min_) break;
      RootCause cause;
      std::size_t cuboid = 0;
      std::int32_t element = -1;
      if (!FindCause(&cause, &cuboid, &element)) break;
      Remove(cuboid, element);
      out.causes.push_back(std::move(cause));
    }
    return out;
  }

 private:
  using Sums = Cuboid::Sums;
  struct Candidate {
    std::int32_t element;
    double ep;
  };

  // An element of a deeper cuboid can win only if its parent element can:
  // ep <= ep_pos <= the parent's ep_pos, and an abnormal leaf of it is one of
  // the parent's. (Sums only fall as causes are removed, so an element ruled
  // out stays out.) The tolerance covers the rounding of those subtractions.
  bool Viable(const Sums& s) const {
    return s.abnormal > 0 && s.ep_pos >= ep_min_ - 1e-9 * std::abs(ep_min_);
  }

  // Element ids and sums of cuboid ci over its RELEVANT leaves: not yet
  // explained and, below depth 1, in a viable element of every cuboid one
  // dimension shallower (all built: the search goes depth by depth); the
  // others get element -1. Few elements hold an abnormal leaf in every such
  // cuboid, so deep cuboids stay cheap.
  void Build(std::size_t ci) {
    Cuboid& c = cuboids_[ci];
    if (c.built) return;
    const Cuboid* parent = nullptr;
    subs_.clear();
    if (c.parent >= 0) {
      for (std::uint32_t m = c.mask; m != 0; m &= m - 1) {
        const std::uint32_t sub_mask = c.mask & ~(m & (~m + 1));
        const auto sub = static_cast<std::size_t>(index_of_[sub_mask]);
        Build(sub);
        Cuboid& s = cuboids_[sub];
        s.viable.resize(static_cast<std::size_t>(s.count));
        for (std::size_t e = 0; e < s.viable.size(); ++e) s.viable[e] = Viable(s.sums[e]) ? 1 : 0;
        subs_.push_back(&s);
      }
      parent = &cuboids_[static_cast<std::size_t>(c.parent)];
    }
    const auto last = static_cast<std::size_t>(31 - __builtin_clz(c.mask));
    const Id* member = t_.codes(last).data();
    const auto card = static_cast<std::uint64_t>(t_.members(last).size());
    const std::size_t n = t_.num_leaves();
    keys_.clear();
    c.relevant.clear();
    c.elem.assign(n, -1);
    if (parent == nullptr) {
      for (std::size_t i = 0; i < n; ++i) {
        if (removed_[i]) continue;
        c.relevant.push_back(static_cast<std::uint32_t>(i));
        keys_.push_back(static_cast<std::uint64_t>(member[i]));
      }
    } else {
      for (const std::uint32_t i : parent->relevant) {
        if (removed_[i]) continue;
        bool ok = true;
        for (const Cuboid* s : subs_) {
          const std::int32_t se = s->elem[i];
          ok = ok && se >= 0 && s->viable[static_cast<std::size_t>(se)];
        }
        if (!ok) continue;
        c.relevant.push_back(i);
        keys_.push_back(static_cast<std::uint64_t>(parent->elem[i]) * card +
                        static_cast<std::uint64_t>(member[i]));
      }
    }
    const std::uint64_t range = (parent ? static_cast<std::uint64_t>(parent->count) : 1) * card;
    if (parent != nullptr) KeepHot(c, range);
    c.count = internal::DenseIds(keys_, range, &ids_, &c.rep, &scratch_);
    for (std::uint32_t& r : c.rep) r = c.relevant[r];
    c.built = true;
    const auto elems = static_cast<std::size_t>(c.count);
    c.sums.assign(elems, Sums{});
    Sums* const sums = c.sums.data();
    std::int32_t* const elem = c.elem.data();
    const double* const ep = ep_.data();
    const double* const weight = weight_.data();
    const std::uint8_t* const abnormal = abnormal_.data();
    // Leaves come sorted by their members, so one element's leaves often come
    // in a run: sum a run in registers and store it once (summing in memory
    // made every leaf wait for the previous leaf's store).
    Sums run;
    std::int32_t run_elem = -1;
    for (std::size_t j = 0; j < c.relevant.size(); ++j) {
      const std::uint32_t i = c.relevant[j];
      const std::int32_t e = ids_[j];
      elem[i] = e;
      if (e != run_elem) {
        if (run_elem >= 0) Add(run, &sums[run_elem]);
        run = Sums{};
        run_elem = e;
      }
      run.ep += ep[i];
      run.ep_pos += std::max(ep[i], 0.0);
      run.w_abnormal += abnormal[i] ? weight[i] : 0.0;
      run.w_normal += abnormal[i] ? 0.0 : weight[i];
      run.abnormal += abnormal[i];
      run.leaves += 1;
    }
    if (run_elem >= 0) Add(run, &sums[run_elem]);
    for (std::size_t e = 0; e < elems; ++e) {
      if (sums[e].abnormal > 0) c.abnormal_elems.push_back(static_cast<std::int32_t>(e));
    }
    // The relevant leaves grouped by element (ascending within one), so a
    // candidate's risk and a cause's removal visit only its own leaves.
    c.start.assign(elems + 1, 0);
    for (const std::int32_t e : ids_) ++c.start[static_cast<std::size_t>(e) + 1];
    for (std::size_t e = 0; e < elems; ++e) c.start[e + 1] += c.start[e];
    c.by_elem.resize(c.relevant.size());
    fill_.assign(c.start.begin(), c.start.end() - 1);
    for (std::size_t j = 0; j < c.relevant.size(); ++j) {
      c.by_elem[fill_[static_cast<std::size_t>(ids_[j])]++] = c.relevant[j];
    }
  }

  // Below depth 1, only elements holding an abnormal leaf matter: no other can
  // be a candidate or make a deeper element viable. Drops the other leaves
  // from c.relevant and keys_ (a leaf's element is all-or-nothing relevant).
  void KeepHot(Cuboid& c, std::uint64_t range) {
    std::vector<std::uint32_t>& rel = c.relevant;
    const bool table = range <= std::max<std::uint64_t>(4 * static_cast<std::uint64_t>(rel.size()),
                                                        1u << 16);
    hot_.clear();
    for (std::size_t j = 0; j < rel.size(); ++j) {
      if (abnormal_[rel[j]]) hot_.push_back(keys_[j]);
    }
    if (table) {
      mark_.assign(range, 0);
      for (const std::uint64_t k : hot_) mark_[k] = 1;
    } else {
      std::sort(hot_.begin(), hot_.end());
    }
    std::size_t out = 0;
    for (std::size_t j = 0; j < rel.size(); ++j) {
      const std::uint64_t k = keys_[j];
      const bool keep = table ? mark_[k] != 0 : std::binary_search(hot_.begin(), hot_.end(), k);
      if (keep) {
        rel[out] = rel[j];
        keys_[out] = k;
        ++out;
      }
    }
    rel.resize(out);
    keys_.resize(out);
  }

  // A found cause's leaves leave every built cuboid's sums.
  void Remove(std::size_t ci, std::int32_t element) {
    const Cuboid& found = cuboids_[ci];
    const auto e = static_cast<std::size_t>(element);
    gone_.clear();
    for (std::uint32_t j = found.start[e]; j < found.start[e + 1]; ++j) {
      const std::uint32_t i = found.by_elem[j];
      if (!removed_[i]) {
        removed_[i] = 1;
        gone_.push_back(i);
      }
    }
    for (Cuboid& c : cuboids_) {
      if (!c.built) continue;
      for (const std::uint32_t i : gone_) {
        if (c.elem[i] < 0) continue;  // not relevant to this cuboid
        Sums& s = c.sums[static_cast<std::size_t>(c.elem[i])];
        s.ep -= ep_[i];
        s.ep_pos -= std::max(ep_[i], 0.0);
        (abnormal_[i] ? s.w_abnormal : s.w_normal) -= weight_[i];
        s.abnormal -= abnormal_[i];
        s.leaves -= 1;
      }
    }
  }

  static void Add(const Sums& a, Sums* s) {
    s->ep += a.ep;
    s->ep_pos += a.ep_pos;
    s->w_abnormal += a.w_abnormal;
    s->w_normal += a.w_normal;
    s->abnormal += a.abnormal;
    s->leaves += a.leaves;
  }

  static double HighRisk(const Sums& s) {
    return s.w_abnormal / (s.w_abnormal + s.w_normal + 1);
  }

  // An element containing a pruned single member.
  bool Pruned(const Cuboid& c, std::size_t e) const {
    if (!o_.prune_elements) return false;
    const std::uint32_t leaf = c.rep[e];
    for (std::uint32_t m = c.mask; m != 0; m &= m - 1) {
      const auto d = static_cast<std::size_t>(__builtin_ctz(m));
      if (pruned_[d][static_cast<std::size_t>(t_.codes(d)[leaf])]) return true;
    }
    return false;
  }

  // Step 5 over every depth; true when a depth had a candidate.
  bool FindCause(RootCause* best, std::size_t* best_cuboid, std::int32_t* best_element) {
    int depth = 1;
    double best_ep = ep_min_;
    bool found = false;
    for (std::size_t ci = 0; ci < cuboids_.size(); ++ci) {
      if (cuboids_[ci].depth != depth) {
        if (found) return true;
        depth = cuboids_[ci].depth;
        best_ep = ep_min_;
      }
      Build(ci);
      const Cuboid& c = cuboids_[ci];
      if (c.depth == 1 && o_.prune_elements) {
        // Pruned from now on (the reference prunes depth 1 only). Such a
        // member cannot win here either: ep <= ep_pos < ep_min, or no abnormal leaf.
        const auto dim = static_cast<std::size_t>(__builtin_ctz(c.mask));
        for (std::size_t e = 0; e < static_cast<std::size_t>(c.count); ++e) {
          const Sums& s = c.sums[e];
          if (s.leaves > 0 && (s.ep_pos < ep_min_ || s.abnormal == 0)) {
            pruned_[dim][static_cast<std::size_t>(t_.codes(dim)[c.rep[e]])] = 1;
          }
        }
      }
      candidates_.clear();
      for (const std::int32_t e : c.abnormal_elems) {
        const Sums& s = c.sums[static_cast<std::size_t>(e)];
        // risk = high - low with low >= 0: a high risk under the threshold
        // rules the element out without visiting its leaves.
        if (s.abnormal > 0 && s.ep > best_ep && HighRisk(s) >= o_.risk_threshold - 2 * kRiskTolerance &&
            !Pruned(c, static_cast<std::size_t>(e))) {
          candidates_.push_back({e, s.ep});
        }
      }
      if (candidates_.empty()) continue;
      std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
        return a.ep != b.ep ? a.ep > b.ep : a.element < b.element;
      });
      for (std::size_t k = 0; k < candidates_.size(); ++k) {
        RootCause rc;
        Score(c, k, &rc);
        if (rc.risk >= o_.risk_threshold - kRiskTolerance) {
          *best = std::move(rc);
          *best_cuboid = ci;
          *best_element = candidates_[k].element;
          best_ep = candidates_[k].ep;
          found = true;
          break;
        }
      }
    }
    return found;
  }

  // High and low risk of candidate k (header, step 5).
  void Score(const Cuboid& c, std::size_t k, RootCause* rc) const {
    const std::vector<double>& v = t_.real();
    const std::vector<double>& f = t_.forecast();
    double w_ab = 0, w_norm = 0, sv = 0, sf = 0, nz_v = 0, nz_f = 0, nz_dev = 0;
    std::int64_t nz = 0, count = 0;
    const auto e = static_cast<std::size_t>(candidates_[k].element);
    const std::uint32_t* first = c.by_elem.data() + c.start[e];
    const std::uint32_t* last = c.by_elem.data() + c.start[e + 1];
    for (const std::uint32_t* p = first; p != last; ++p) {
      const std::uint32_t i = *p;
      if (removed_[i]) continue;
      ++count;
      (abnormal_[i] ? w_ab : w_norm) += weight_[i];
      sv += v[i];
      sf += f[i];
      if (v[i] != 0 && f[i] != 0) {
        nz_v += v[i];
        nz_f += f[i];
        nz_dev += std::abs(dev_[i]);
        ++nz;
      }
    }
    double low = 0;
    if (nz > 0 && nz_dev != 0) {
      double sum = 0;
      for (const std::uint32_t* p = first; p != last; ++p) {
        const std::uint32_t i = *p;
        if (removed_[i] || v[i] == 0 || f[i] == 0) continue;
        // f * sum_v / sum_f, in this order, as the reference evaluates it: a
      // single leaf then gives a == v exactly (low risk 0), and its risk sits
      // exactly on the default threshold 0.5 when its weight is capped at 1.
      const double a = f[i] * nz_v / nz_f;
        const double s = a + v[i];
        if (s != 0) sum += std::abs(2 * (a - v[i]) / s);
      }
      low = sum / nz_dev;  // (sum / nz) / (nz_dev / nz)
    }
    rc->members.assign(t_.num_dims(), kNoId);
    const std::uint32_t leaf = c.rep[static_cast<std::size_t>(candidates_[k].element)];
    for (std::uint32_t m = c.mask; m != 0; m &= m - 1) {
      const auto d = static_cast<std::size_t>(__builtin_ctz(m));
      rc->members[d] = t_.codes(d)[leaf];
    }
    rc->depth = c.depth;
    rc->ep = candidates_[k].ep;
    rc->high_risk = w_ab / (w_ab + w_norm + 1);
    rc->low_risk = low;
    rc->risk = rc->high_risk - low;
    rc->real = sv;
    rc->forecast = sf;
    rc->leaves = count;
  }

  const LeavesTable& t_;
  const LocalizerOptions& o_;
  std::vector<double> dev_, weight_, ep_;
  std::vector<std::uint8_t> abnormal_, removed_;
  std::vector<std::vector<std::uint8_t>> pruned_;
  std::vector<Cuboid> cuboids_;
  double ep_min_ = 0;
  // Reused between cuboids and searches.
  std::vector<std::uint64_t> keys_, hot_;
  std::vector<std::uint8_t> mark_;
  std::vector<int> index_of_;  // cuboid of each dimension mask
  std::vector<Cuboid*> subs_;
  std::vector<std::int32_t> ids_, scratch_;
  std::vector<Candidate> candidates_;
  std::vector<std::uint32_t> fill_, gone_;
};

}  // namespace

absl::StatusOr<Localization> Localize(const LeavesTable& leaves, const LocalizerOptions& options) {
  if (!(options.risk_threshold > -2 && options.risk_threshold <= 1)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "risk_threshold %g: must be in (-2, 1] (risk = high - low, high < 1)",
        options.risk_threshold));
  }
  if (!(options.pep_threshold >= 0 && options.pep_threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("pep_threshold %g: must be in [0, 1]", options.pep_threshold));
  }
  if (options.n_remove < 0 || (options.remove_relative && options.n_remove > 100)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "n_remove %d: must be >= 0 (a percentage <= 100 when relative)", options.n_remove));
  }
  if (options.max_depth < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("max_depth %d: must be >= 0 (0 = every depth)", options.max_depth));
  }
  Search search(leaves, options);
  return search.Run();
}

}  // namespace salesight::insights
