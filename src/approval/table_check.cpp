#include "salesight/approval/table_check.hpp"

#include <array>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "internal/cells.hpp"

namespace salesight::approval {
namespace {

using internal::Bits;
using internal::ColumnCells;

constexpr std::array<std::string_view, 6> kKindNames{
    "gap", "overlap", "never-fires", "incomplete", "unresolved-role", "chain-never-completes"};

// Depth-first search over the cells of the columns, carrying the rules that
// still match. One search serves gaps (no rule left) and dead rules (none of
// the rules that beat it left, while it still matches).
class Search {
 public:
  Search(const DecisionTable& t, const std::vector<ColumnCells>& cols, std::size_t max_steps)
      : t_(t), cols_(cols), steps_left_(max_steps) {}

  bool exhausted() const { return exhausted_; }

  // Calls on_empty(path) for each maximal run of cells in which no rule of
  // `candidates` matches, with `path` holding (first, last) cell per column
  // fixed so far; columns after the path are any value. `within` restricts
  // the cells visited (nullptr: all). Stops when on_empty returns false.
  template <typename F>
  bool Run(const std::vector<std::size_t>& candidates, const std::vector<const Bits*>* within,
           F&& on_empty) {
    path_.clear();
    return Visit(0, candidates, within, on_empty);
  }

  const std::vector<std::pair<std::size_t, std::size_t>>& path() const { return path_; }

 private:
  // True when a rule of `rules` has '-' on every column from c on.
  bool CoveredFrom(std::size_t c, const std::vector<std::size_t>& rules) const {
    for (std::size_t r : rules) {
      bool all = true;
      for (std::size_t k = c; k < t_.inputs.size() && all; ++k) all = t_.rules[r].inputs[k].any;
      if (all) return true;
    }
    return false;
  }

  template <typename F>
  bool Visit(std::size_t c, const std::vector<std::size_t>& rules,
             const std::vector<const Bits*>* within, F& on_empty) {
    if (c == t_.inputs.size() || CoveredFrom(c, rules)) return true;
    const ColumnCells& col = cols_[c];
    std::size_t run_start = SIZE_MAX;
    std::vector<std::size_t> next;
    for (std::size_t k = 0; k <= col.cells.size(); ++k) {
      if (steps_left_ == 0) {
        exhausted_ = true;
        return false;
      }
      --steps_left_;
      const bool inside = k < col.cells.size() &&
                          (within == nullptr || internal::Test(*(*within)[c], k));
      next.clear();
      if (inside) {
        for (std::size_t r : rules) {
          if (internal::Test(col.match[r], k)) next.push_back(r);
        }
      }
      if (inside && next.empty()) {
        if (run_start == SIZE_MAX) run_start = k;
        continue;
      }
      if (run_start != SIZE_MAX) {
        path_.emplace_back(run_start, k - 1);
        const bool go_on = on_empty();
        path_.pop_back();
        if (!go_on) return false;
        run_start = SIZE_MAX;
      }
      if (!inside) continue;
      path_.emplace_back(k, k);
      const bool go_on = Visit(c + 1, next, within, on_empty);
      path_.pop_back();
      if (!go_on) return false;
    }
    return true;
  }

  const DecisionTable& t_;
  const std::vector<ColumnCells>& cols_;
  std::size_t steps_left_;
  bool exhausted_ = false;
  std::vector<std::pair<std::size_t, std::size_t>> path_;
};

std::string Witness(const DecisionTable& t, const std::vector<ColumnCells>& cols,
                    const std::vector<std::pair<std::size_t, std::size_t>>& path) {
  std::string out;
  for (std::size_t c = 0; c < path.size(); ++c) {
    absl::StrAppend(&out, out.empty() ? "" : " and ",
                    internal::DescribeCells(t, c, cols[c].cells, path[c].first, path[c].second));
  }
  return out.empty() ? "every input" : out;
}

std::size_t Rank(const OutputColumn& col, const Value& v) {
  for (std::size_t i = 0; i < col.values.size(); ++i) {
    if (col.values[i] == v) return i;
  }
  return col.values.size();
}
// -1: a ranks above b, 1: below, 0: equal.
int RankOrder(const DecisionTable& t, std::size_t a, std::size_t b) {
  for (std::size_t c = 0; c < t.outputs.size(); ++c) {
    const std::size_t ra = Rank(t.outputs[c], t.rules[a].outputs[c]);
    const std::size_t rb = Rank(t.outputs[c], t.rules[b].outputs[c]);
    if (ra != rb) return ra < rb ? -1 : 1;
  }
  return 0;
}

}  // namespace

std::string_view FindingKindName(FindingKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::vector<Finding> CheckTable(const DecisionTable& t, const CheckOptions& options) {
  std::vector<Finding> out;
  const std::string id = t.id.empty() ? t.name : t.id;
  const std::vector<ColumnCells> cols = internal::CutIntoCells(t);
  bool incomplete = false;

  // Rules that match nothing: some column has no cell.
  std::vector<bool> empty_rule(t.rules.size(), false);
  for (std::size_t r = 0; r < t.rules.size(); ++r) {
    for (std::size_t c = 0; c < t.inputs.size(); ++c) {
      bool any = false;
      for (std::uint64_t w : cols[c].match[r]) any |= w != 0;
      if (!any) {
        empty_rule[r] = true;
        out.push_back({FindingKind::kNeverFires, id, {r},
                       absl::StrCat(RuleName(t, r), " matches no value of input '",
                                    t.inputs[c].name, "' (", t.rules[r].inputs[c].text, ")")});
        break;
      }
    }
  }

  if (options.gaps) {
    std::vector<std::size_t> all(t.rules.size());
    for (std::size_t r = 0; r < all.size(); ++r) all[r] = r;
    Search s(t, cols, options.max_steps);
    absl::flat_hash_set<std::string> seen;
    std::size_t found = 0;
    s.Run(all, nullptr, [&]() {
      std::string msg = absl::StrCat(Witness(t, cols, s.path()), ": matches no rule");
      if (seen.insert(msg).second) {
        out.push_back({FindingKind::kGap, id, {}, std::move(msg)});
        ++found;
      }
      return found < options.max_findings_per_kind;
    });
    incomplete |= s.exhausted();
  }

  const bool unique = t.hit_policy == HitPolicy::kUnique;
  if (unique || t.hit_policy == HitPolicy::kAny) {
    std::size_t found = 0;
    for (std::size_t a = 0; a < t.rules.size() && found < options.max_findings_per_kind; ++a) {
      for (std::size_t b = a + 1; b < t.rules.size() && found < options.max_findings_per_kind; ++b) {
        if (!unique && t.rules[a].outputs == t.rules[b].outputs) continue;
        std::string witness;
        bool meet = true;
        for (std::size_t c = 0; c < t.inputs.size() && meet; ++c) {
          const Bits& x = cols[c].match[a];
          const Bits& y = cols[c].match[b];
          meet = false;
          for (std::size_t w = 0; w < x.size() && !meet; ++w) {
            if (const std::uint64_t both = x[w] & y[w]; both != 0) {
              meet = true;
              const std::size_t k = w * 64 + static_cast<std::size_t>(__builtin_ctzll(both));
              if (!t.rules[a].inputs[c].any || !t.rules[b].inputs[c].any) {
                absl::StrAppend(&witness, witness.empty() ? "" : ", ", t.inputs[c].name, " = ",
                                FeelLiteral(cols[c].cells[k].sample));
              }
            }
          }
        }
        if (!meet) continue;
        ++found;
        out.push_back({FindingKind::kOverlap, id, {a, b},
                       absl::StrCat(RuleName(t, a), " and ", RuleName(t, b), " both match",
                                    witness.empty() ? "" : " (e.g. " + witness + ")",
                                    unique ? " under UNIQUE" : " with different outputs under ANY")});
      }
    }
  }

  if (t.hit_policy == HitPolicy::kFirst || t.hit_policy == HitPolicy::kPriority) {
    std::size_t found = 0;
    for (std::size_t r = 0; r < t.rules.size() && found < options.max_findings_per_kind; ++r) {
      if (empty_rule[r]) continue;
      std::vector<std::size_t> beaters;
      for (std::size_t k = 0; k < t.rules.size(); ++k) {
        if (k == r) continue;
        const bool beats = t.hit_policy == HitPolicy::kFirst
                               ? k < r
                               : (RankOrder(t, k, r) < 0 || (RankOrder(t, k, r) == 0 && k < r));
        if (beats) beaters.push_back(k);
      }
      std::vector<const Bits*> within(t.inputs.size());
      for (std::size_t c = 0; c < t.inputs.size(); ++c) within[c] = &cols[c].match[r];
      Search s(t, cols, options.max_steps);
      bool fires = false;
      s.Run(beaters, &within, [&]() {
        fires = true;
        return false;
      });
      if (s.exhausted()) {
        incomplete = true;
        continue;
      }
      if (fires) continue;
      ++found;
      // Name the rules that take its inputs: the beaters that overlap it.
      std::vector<std::size_t> by;
      std::string names;
      for (std::size_t k : beaters) {
        bool meet = true;
        for (std::size_t c = 0; c < t.inputs.size() && meet; ++c) {
          bool any = false;
          for (std::size_t w = 0; w < cols[c].match[k].size(); ++w) {
            any |= (cols[c].match[k][w] & cols[c].match[r][w]) != 0;
          }
          meet = any;
        }
        if (meet) {
          by.push_back(k);
          absl::StrAppend(&names, names.empty() ? "" : ", ", RuleName(t, k));
        }
      }
      std::vector<std::size_t> rules{r};
      rules.insert(rules.end(), by.begin(), by.end());
      out.push_back({FindingKind::kNeverFires, id, rules,
                     absl::StrCat(RuleName(t, r), " can never fire under ",
                                  std::string(HitPolicyName(t.hit_policy)), ": ", names,
                                  t.hit_policy == HitPolicy::kFirst ? " match(es) every input first"
                                                                    : " outrank(s) it on every input")});
    }
  }
  if (incomplete) {
    out.push_back({FindingKind::kIncomplete, id, {},
                   absl::StrCat("the check stopped after ", options.max_steps,
                                " steps; findings may be missing")});
  }
  return out;
}

}  // namespace salesight::approval
