#include "salesight/approval/table_index.hpp"

#include <algorithm>

#include "internal/cells.hpp"

namespace salesight::approval {
namespace {

bool IsPoint(const internal::Cell& cell) {
  const Interval& r = cell.range;
  return r.lo.present && r.hi.present && r.lo.closed && r.hi.closed && r.lo.value == r.hi.value;
}

std::int64_t Key(const Value& v) {
  switch (v.type) {
    case ValueType::kNumber:
      return v.number;
    case ValueType::kDate:
      return v.date;
    case ValueType::kBool:
      return v.boolean ? 1 : 0;
    default:
      return 0;
  }
}

}  // namespace

TableIndex TableIndex::Build(const DecisionTable& t) {
  TableIndex index;
  index.rules_ = t.rules.size();
  index.words_ = (t.rules.size() + 63) / 64;
  const std::vector<internal::ColumnCells> cells = internal::CutIntoCells(t);
  std::size_t bytes = 0;
  for (const internal::ColumnCells& cc : cells) bytes += (cc.cells.size() + 1) * index.words_ * 8;
  if (bytes > kMaxBytes) return index;
  index.columns_.resize(t.inputs.size());
  for (std::size_t c = 0; c < t.inputs.size(); ++c) {
    Column& col = index.columns_[c];
    col.type = t.inputs[c].type;
    const std::vector<internal::Cell>& cs = cells[c].cells;
    std::int32_t pending = -1;
    for (std::size_t k = 0; k < cs.size(); ++k) {
      if (!IsPoint(cs[k])) {
        pending = static_cast<std::int32_t>(k);
        continue;
      }
      if (col.type == ValueType::kString) {
        col.texts.push_back(cs[k].sample.text);
      } else {
        col.keys.push_back(Key(cs[k].sample));
      }
      col.at.push_back(static_cast<std::int32_t>(k));
      col.below.push_back(pending);
      pending = -1;
    }
    col.above = pending;
    col.bits.assign(cs.size() * index.words_, 0);
    col.null_bits.assign(index.words_, 0);
    for (std::size_t r = 0; r < t.rules.size(); ++r) {
      const std::uint64_t bit = std::uint64_t{1} << (r % 64);
      for (std::size_t k = 0; k < cs.size(); ++k) {
        if (internal::Test(cells[c].match[r], k)) col.bits[k * index.words_ + r / 64] |= bit;
      }
      if (Matches(t.rules[r].inputs[c], Value::Null())) col.null_bits[r / 64] |= bit;
    }
  }
  index.built_ = true;
  return index;
}

std::int32_t TableIndex::CellOf(const Column& c, const Value& v) const {
  std::size_t i = 0, n = 0;
  bool equal = false;
  if (c.type == ValueType::kString) {
    n = c.texts.size();
    i = static_cast<std::size_t>(std::lower_bound(c.texts.begin(), c.texts.end(), v.text) - c.texts.begin());
    equal = i < n && c.texts[i] == v.text;
  } else {
    const std::int64_t key = Key(v);
    n = c.keys.size();
    i = static_cast<std::size_t>(std::lower_bound(c.keys.begin(), c.keys.end(), key) - c.keys.begin());
    equal = i < n && c.keys[i] == key;
  }
  if (equal) return c.at[i];
  return i < n ? c.below[i] : c.above;
}

bool TableIndex::Match(absl::Span<const Value> inputs, bool first_only, std::vector<std::size_t>& out) const {
  out.clear();
  if (!built_ || inputs.size() != columns_.size()) return false;
  // A few words on the stack cover tables up to 1024 rules.
  std::uint64_t small[16];
  std::vector<std::uint64_t> large;
  std::uint64_t* acc = small;
  if (words_ > 16) {
    large.resize(words_);
    acc = large.data();
  }
  std::fill(acc, acc + words_, ~std::uint64_t{0});
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const Column& col = columns_[c];
    const std::uint64_t* bits = nullptr;
    if (inputs[c].is_null()) {
      bits = col.null_bits.data();
    } else {
      const std::int32_t cell = CellOf(col, inputs[c]);
      if (cell < 0) return false;
      bits = col.bits.data() + static_cast<std::size_t>(cell) * words_;
    }
    for (std::size_t w = 0; w < words_; ++w) acc[w] &= bits[w];
  }
  for (std::size_t w = 0; w < words_; ++w) {
    for (std::uint64_t word = acc[w]; word != 0; word &= word - 1) {
      const std::size_t r = w * 64 + static_cast<std::size_t>(__builtin_ctzll(word));
      if (r >= rules_) return true;
      out.push_back(r);
      if (first_only) return true;
    }
  }
  return true;
}

}  // namespace salesight::approval
