// The lines a selective row filter reads from the dataset's indexes
// (query/internal/plan.hpp's IndexedLines): one driving condition's postings,
// clipped to the date window, merged into ascending row ids.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "salesight/order_index.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

// Lines of one key: ids[begin .. end) of a postings' rows, base + low[begin
// .. end) of a blocked postings' cell, or (both null) the rows [begin, end)
// themselves.
struct Run {
  const std::uint32_t* ids = nullptr;
  const std::uint16_t* low = nullptr;
  std::uint64_t base = 0;
  std::uint64_t begin = 0, end = 0;
};

struct Source {
  std::vector<Run> runs;
  std::uint64_t lines = 0;
  std::shared_ptr<const RowPostings> keep;  // the runs' postings
};

// Rows are in [lo, hi): the date window (every row without date conditions).
struct Window {
  std::uint64_t lo = 0, hi = 0;
};

// A key's run clipped to the window.
Run Clip(const RowPostings& p, std::size_t key, const Window& w) {
  Run r;
  const std::uint64_t b = p.begin[key], e = p.begin[key + 1];  // widened: no wrap below
  if (p.rows.empty()) {
    r.begin = std::clamp(b, w.lo, w.hi);
    r.end = std::clamp(e, w.lo, w.hi);
    return r;
  }
  r.ids = p.rows.data();
  const std::uint32_t* first = p.rows.data() + b;
  const std::uint32_t* last = p.rows.data() + e;
  r.begin = static_cast<std::uint64_t>(
      std::lower_bound(first, last, w.lo,
                       [](std::uint32_t a, std::uint64_t v) { return std::uint64_t{a} < v; }) -
      p.rows.data());
  // w.hi may be 2^32 (one past the last uint32 id): compared as uint64.
  r.end = static_cast<std::uint64_t>(
      std::lower_bound(first, last, w.hi,
                       [](std::uint32_t a, std::uint64_t v) { return std::uint64_t{a} < v; }) -
      p.rows.data());
  return r;
}

// A blocked postings' key clipped to the window: a run per row block.
void ClipBlocked(const RowPostings& p, std::size_t key, const Window& w, std::vector<Run>& out) {
  if (w.hi <= w.lo) return;
  const std::uint64_t block = std::uint64_t{1} << p.block_bits;
  const std::uint64_t last = std::min<std::uint64_t>((w.hi - 1) / block, p.blocks - 1);
  for (std::uint64_t b = w.lo / block; b <= last; ++b) {
    const std::size_t cell = key * p.blocks + b;
    const std::uint16_t* first = p.low.data() + p.block_begin[cell];
    const std::uint16_t* after = p.low.data() + p.block_begin[cell + 1];
    if (first == after) continue;
    // The window within the block, as low bits: [lo, hi), hi up to 2^16.
    const std::uint64_t base = b * block;
    const std::uint64_t lo = w.lo > base ? w.lo - base : 0;
    const std::uint64_t hi = std::min(w.hi - base, block);
    auto below = [](std::uint16_t a, std::uint64_t v) { return std::uint64_t{a} < v; };
    Run r;
    r.low = p.low.data();
    r.base = base;
    r.begin = static_cast<std::uint64_t>(std::lower_bound(first, after, lo, below) - r.low);
    r.end = static_cast<std::uint64_t>(std::lower_bound(first, after, hi, below) - r.low);
    if (r.end > r.begin) out.push_back(r);
  }
}

// The runs of the keys whose match byte is set (match[k] for key k), in
// every level of the postings (appended lines: order_index.hpp).
Source FromPostings(std::shared_ptr<const RowPostings> p, const std::vector<std::uint8_t>& match,
                    const Window& w) {
  Source s;
  for (const RowPostings* level = p.get(); level != nullptr; level = level->prior.get()) {
    const std::size_t keys = std::min(match.size(), level->keys());
    for (std::size_t k = 0; k < keys; ++k) {
      if (!match[k]) continue;
      if (level->blocked()) {
        ClipBlocked(*level, k, w, s.runs);
        continue;
      }
      const Run r = Clip(*level, k, w);
      if (r.end <= r.begin) continue;
      s.runs.push_back(r);
    }
  }
  for (const Run& r : s.runs) s.lines += r.end - r.begin;
  s.keep = std::move(p);
  return s;
}

// The top-level AND leaves of the filter (children of AND nodes); false
// when an OR sits among them (its rows are not known without running it).
bool Leaves(const RowFilter& f, std::vector<const RowFilter*>& out) {
  if (f.kind == RowFilter::Kind::kAnd) {
    bool all = true;
    for (const RowFilter& c : f.children) all = Leaves(c, out) && all;
    return all;
  }
  if (f.kind == RowFilter::Kind::kOr) return false;
  out.push_back(&f);
  return true;
}

// The matched keys are one interval (a date window holds exactly them).
bool Contiguous(const std::vector<std::uint8_t>& match) {
  const auto first = std::find(match.begin(), match.end(), 1);
  const auto after = std::find(first, match.end(), 0);
  return std::find(after, match.end(), 1) == match.end();
}

bool IsOrderDate(const Plan& plan, const RowFilter& f) {
  return f.kind == RowFilter::Kind::kDay && !f.has_missing &&
         f.days == plan.orders->columns().order_date.data() &&
         f.day_lo == plan.orders->min_date();
}

// A leaf that keeps every member would build postings for nothing; kAuto
// builds them only for a leaf that keeps at most half the members (equals,
// in), which may pay back.
bool Selects(const std::vector<std::uint8_t>& match) {
  return std::find(match.begin(), match.end(), 0) != match.end();
}
bool WorthIndexing(const std::vector<std::uint8_t>& match, QueryIndexUse use) {
  if (use == QueryIndexUse::kAlways) return Selects(match);
  const auto kept = static_cast<std::size_t>(std::count(match.begin(), match.end(), 1));
  return kept * 2 <= match.size();
}

std::vector<std::uint32_t> Gather(const Source& s, const Window& w) {
  std::vector<std::uint32_t> rows;
  rows.reserve(s.lines);
  for (const Run& r : s.runs) {
    if (r.ids != nullptr) {
      rows.insert(rows.end(), r.ids + r.begin, r.ids + r.end);
    } else if (r.low != nullptr) {
      for (std::uint64_t i = r.begin; i < r.end; ++i) {
        rows.push_back(static_cast<std::uint32_t>(r.base + r.low[i]));
      }
    } else {
      for (std::uint64_t i = r.begin; i < r.end; ++i) rows.push_back(static_cast<std::uint32_t>(i));
    }
  }
  if (std::is_sorted(rows.begin(), rows.end())) return rows;
  // Several members' runs interleave: ascending rows (the scan's order) by a
  // sort when few, else by a bitmap over the window.
  const std::uint64_t span = w.hi - w.lo;
  if (rows.size() < span / 1024) {
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  std::vector<std::uint64_t> bits((span + 63) / 64, 0);
  for (const std::uint32_t r : rows) {
    const std::uint64_t x = r - w.lo;
    bits[x / 64] |= std::uint64_t{1} << (x % 64);
  }
  rows.clear();
  for (std::size_t word = 0; word < bits.size(); ++word) {
    for (std::uint64_t b = bits[word]; b != 0; b &= b - 1) {
      rows.push_back(static_cast<std::uint32_t>(w.lo + word * 64 +
                                                static_cast<std::uint64_t>(__builtin_ctzll(b))));
    }
  }
  return rows;
}

}  // namespace

std::optional<IndexedRows> IndexedLines(const Plan& plan, QueryIndexUse use) {
  const OrderIndexes* index = plan.data == nullptr ? nullptr : plan.data->order_indexes();
  if (use == QueryIndexUse::kNever || index == nullptr || plan.orders != plan.data->orders() ||
      plan.orders->size() == 0) {
    return std::nullopt;
  }
  std::vector<const RowFilter*> leaves;
  const bool only_and = Leaves(plan.where, leaves);
  const std::uint64_t lines = plan.orders->size();
  Window w{0, lines};
  // Lines in date order: each date condition bounds the rows.
  std::shared_ptr<const RowPostings> dates;
  for (const RowFilter* f : leaves) {
    if (!IsOrderDate(plan, *f) || !Selects(f->match)) continue;
    if (dates == nullptr) dates = index->Dates();
    if (dates == nullptr || !dates->rows.empty()) break;
    const auto first = std::find(f->match.begin(), f->match.end(), 1);
    if (first == f->match.end()) {
      w.hi = w.lo;  // nothing matches
      break;
    }
    const auto last = std::find(f->match.rbegin(), f->match.rend(), 1);
    const auto k0 = static_cast<std::size_t>(first - f->match.begin());
    const auto k1 = static_cast<std::size_t>(f->match.rend() - last);  // one past
    w.lo = std::max<std::uint64_t>(w.lo, dates->begin[k0]);
    w.hi = std::min<std::uint64_t>(w.hi, dates->begin[k1]);
    if (w.hi < w.lo) w.hi = w.lo;
  }
  // Whether the window holds exactly the rows of every date condition.
  const bool window_exact = dates != nullptr && dates->rows.empty();
  std::optional<Source> best;
  const RowFilter* driver = nullptr;
  if (w.hi - w.lo < lines) {
    best = Source{};
    if (w.hi > w.lo) {
      Run window;
      window.begin = w.lo;
      window.end = w.hi;
      best->runs.push_back(window);
    }
    best->lines = w.hi - w.lo;
  }
  for (const RowFilter* f : leaves) {
    if (!WorthIndexing(f->match, use)) continue;
    std::shared_ptr<const RowPostings> p;
    if (f->kind == RowFilter::Kind::kMember) {
      p = index->Members(f->column);
    } else if (IsOrderDate(plan, *f)) {
      p = dates != nullptr ? dates : index->Dates();
    }
    if (p == nullptr) continue;
    Source s = FromPostings(std::move(p), f->match, w);
    if (!best || s.lines < best->lines) {
      best = std::move(s);
      driver = f;
    }
  }
  if (!best) return std::nullopt;
  if (use == QueryIndexUse::kAuto && best->lines * kIndexSelectivity > lines) return std::nullopt;
  IndexedRows out;
  out.rows = Gather(*best, w);
  out.exact = only_and && std::all_of(leaves.begin(), leaves.end(), [&](const RowFilter* f) {
                return f == driver || !Selects(f->match) ||
                       (window_exact && IsOrderDate(plan, *f) && Contiguous(f->match));
              });
  return out;
}

}  // namespace salesight::query_internal
