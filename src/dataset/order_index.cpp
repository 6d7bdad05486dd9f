// Order line indexes (salesight/order_index.hpp): counting sorts by key.
#include "salesight/order_index.hpp"

#include <algorithm>
#include <atomic>
#include <limits>

namespace salesight {
namespace {

bool RowIdsFit(std::size_t lines) {
  return lines <= std::numeric_limits<std::uint32_t>::max();
}

// Postings of rows [first, lines) over `keys` keys where key_of(row) is in
// [0, keys): two passes.
template <typename KeyOf>
std::shared_ptr<RowPostings> CountingSort(std::size_t first, std::size_t lines, std::size_t keys,
                                          KeyOf key_of) {
  auto p = std::make_shared<RowPostings>();
  p->begin.assign(keys + 1, 0);
  for (std::size_t i = first; i < lines; ++i) ++p->begin[key_of(i) + 1];
  for (std::size_t k = 1; k <= keys; ++k) p->begin[k] += p->begin[k - 1];
  p->rows.resize(lines - first);
  std::vector<std::uint32_t> next(p->begin.begin(), p->begin.end() - 1);
  for (std::size_t i = first; i < lines; ++i) {
    p->rows[next[key_of(i)]++] = static_cast<std::uint32_t>(i);
  }
  return p;
}
template <typename KeyOf>
std::shared_ptr<RowPostings> CountingSort(std::size_t lines, std::size_t keys, KeyOf key_of) {
  return CountingSort(0, lines, keys, key_of);
}

std::atomic<PostingsForm> g_form{PostingsForm::kBySize};
std::atomic<int> g_block_bits{kPostingsBlockBits};

std::size_t BlocksOf(std::size_t lines, int bits) {
  return std::max<std::size_t>(1, (lines + (std::size_t{1} << bits) - 1) >> bits);
}

// Bytes of the postings of `lines` lines over `keys` keys in either form.
std::int64_t RowsBytes(std::size_t lines, std::size_t keys) {
  return static_cast<std::int64_t>((lines + keys + 1) * sizeof(std::uint32_t));
}
std::int64_t BlockedBytes(std::size_t lines, std::size_t keys) {
  return static_cast<std::int64_t>(lines * sizeof(std::uint16_t) +
                                   (keys * BlocksOf(lines, g_block_bits.load()) + 1) *
                                       sizeof(std::uint32_t));
}

bool UseBlocks(std::size_t lines, std::size_t keys) {
  switch (g_form.load(std::memory_order_relaxed)) {
    case PostingsForm::kRows: return false;
    case PostingsForm::kBlocked: return true;
    case PostingsForm::kBySize: break;
  }
  return BlockedBytes(lines, keys) < RowsBytes(lines, keys);
}

// The blocked form of CountingSort over rows [0, lines): per (key, block)
// cell its rows' low bits, cells key-major.
template <typename KeyOf>
std::shared_ptr<RowPostings> BlockedSort(std::size_t lines, std::size_t keys, KeyOf key_of) {
  auto p = std::make_shared<RowPostings>();
  const int bits = g_block_bits.load();
  const std::size_t blocks = BlocksOf(lines, bits);
  p->blocks = static_cast<std::uint32_t>(blocks);
  p->block_bits = bits;
  p->block_begin.assign(keys * blocks + 1, 0);
  auto cell = [&](std::size_t i) { return key_of(i) * blocks + (i >> bits); };
  for (std::size_t i = 0; i < lines; ++i) ++p->block_begin[cell(i) + 1];
  for (std::size_t k = 1; k < p->block_begin.size(); ++k) {
    p->block_begin[k] += p->block_begin[k - 1];
  }
  p->low.resize(lines);
  std::vector<std::uint32_t> next(p->block_begin.begin(), p->block_begin.end() - 1);
  const std::size_t low_mask = (std::size_t{1} << bits) - 1;
  for (std::size_t i = 0; i < lines; ++i) {
    p->low[next[cell(i)]++] = static_cast<std::uint16_t>(i & low_mask);
  }
  return p;
}

// Appended lines up to this share of the older ones (and at least
// kMinAppendedLevel) go to a second level; past it the index is built again.
constexpr std::size_t kAppendedShare = 16;
constexpr std::size_t kMinAppendedLevel = std::size_t{1} << 16;

// Postings `built` (rows-form levels) extended to rows [0, lines): a head
// over the rows past the oldest level, on top of it. Null when too many
// lines were appended (built again when needed).
template <typename KeyOf>
std::shared_ptr<const RowPostings> WithAppended(const std::shared_ptr<const RowPostings>& built,
                                                std::size_t lines, std::size_t keys,
                                                KeyOf key_of) {
  const std::shared_ptr<const RowPostings> base = built->prior != nullptr ? built->prior : built;
  const std::size_t old_lines = base->lines();
  if (old_lines == lines) return built;
  const std::size_t appended = lines - old_lines;
  if (appended > std::max(old_lines / kAppendedShare, kMinAppendedLevel) ||
      !RowIdsFit(lines)) {
    return nullptr;
  }
  std::shared_ptr<RowPostings> head = CountingSort(old_lines, lines, keys, key_of);
  head->prior = base;
  return head;
}

}  // namespace

void SetPostingsFormForTesting(PostingsForm form, int block_bits) {
  g_form.store(form);
  g_block_bits.store(std::clamp(block_bits, 1, kPostingsBlockBits));
}

std::int64_t OrderIndexes::CapBytes() const {
  return std::max(kIndexMinCapBytes,
                  kIndexBytesPerLine * static_cast<std::int64_t>(orders_->size()));
}

std::int64_t OrderIndexes::Bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

bool OrderIndexes::Fits(std::int64_t bytes) const {
  return RowIdsFit(orders_->size()) && bytes_ + bytes <= CapBytes();
}

std::shared_ptr<const RowPostings> OrderIndexes::Members(const DimensionColumn& column) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, postings] : members_) {
    if (name == column.name) return postings;
  }
  const std::size_t lines = orders_->size();
  const auto keys = static_cast<std::size_t>(column.cardinality) + 1;
  const bool blocked = UseBlocks(lines, keys);
  const std::int64_t estimate = blocked ? BlockedBytes(lines, keys) : RowsBytes(lines, keys);
  std::shared_ptr<const RowPostings> built;
  if (Fits(estimate)) {
    auto key_of = [&](std::size_t i) { return static_cast<std::size_t>(column.Code(i) + 1); };
    built = blocked ? BlockedSort(lines, keys, key_of) : CountingSort(lines, keys, key_of);
    bytes_ += built->Bytes();
  }
  // Remembered either way: a column over the cap is not weighed again.
  members_.emplace_back(column.name, built);
  return built;
}

std::shared_ptr<const RowPostings> OrderIndexes::Dates() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (dates_tried_ || orders_->size() == 0) return dates_;
  dates_tried_ = true;  // over the cap: not weighed again
  const Column<Day>& days = orders_->columns().order_date;
  const Day lo = orders_->min_date();
  const auto keys = static_cast<std::size_t>(orders_->max_date() - lo) + 1;
  const std::size_t lines = days.size();
  bool sorted = true;
  for (std::size_t i = 1; i < lines && sorted; ++i) sorted = days[i - 1] <= days[i];
  const auto offsets = static_cast<std::int64_t>((keys + 1) * sizeof(std::uint32_t));
  if (sorted) {
    if (!Fits(offsets)) return nullptr;
    auto p = std::make_shared<RowPostings>();
    p->begin.assign(keys + 1, 0);
    for (std::size_t i = 0; i < lines; ++i) ++p->begin[static_cast<std::size_t>(days[i] - lo) + 1];
    for (std::size_t k = 1; k <= keys; ++k) p->begin[k] += p->begin[k - 1];
    dates_ = std::move(p);
  } else {
    if (!Fits(offsets + static_cast<std::int64_t>(lines * sizeof(std::uint32_t)))) return nullptr;
    dates_ = CountingSort(lines, keys,
                          [&](std::size_t i) { return static_cast<std::size_t>(days[i] - lo); });
  }
  bytes_ += dates_->Bytes();
  return dates_;
}

std::shared_ptr<const RowPostings> OrderIndexes::ExtendedMembers(
    const std::shared_ptr<const RowPostings>& built, const DimensionColumn& column,
    std::size_t lines) {
  const auto keys = static_cast<std::size_t>(column.cardinality) + 1;
  return WithAppended(built, lines, keys,
                      [&](std::size_t i) { return static_cast<std::size_t>(column.Code(i) + 1); });
}

std::shared_ptr<const RowPostings> OrderIndexes::ExtendedDates(const OrderLines& grown) const {
  const Day lo = orders_->min_date();
  if (grown.min_date() != lo) return nullptr;  // every key moves: built again when needed
  const Column<Day>& days = grown.columns().order_date;
  const std::size_t old_lines = orders_->size(), lines = grown.size();
  const auto keys = static_cast<std::size_t>(grown.max_date() - lo) + 1;
  auto key_of = [&](std::size_t i) { return static_cast<std::size_t>(days[i] - lo); };
  if (!dates_->rows.empty() || dates_->prior != nullptr) {
    return WithAppended(dates_, lines, keys, key_of);
  }
  // Row ranges: still ranges when the appended lines keep the date order.
  for (std::size_t i = old_lines; i < lines; ++i) {
    if (days[i] < days[i - 1]) return nullptr;  // a permutation, when needed
  }
  // Appended lines are on the old last day or later: the older days' starts
  // stay, a later key starts after the old lines plus the appended ones
  // before it.
  const std::size_t old_keys = dates_->begin.size() - 1;
  auto p = std::make_shared<RowPostings>();
  p->begin.assign(keys + 1, 0);
  for (std::size_t i = old_lines; i < lines; ++i) ++p->begin[key_of(i) + 1];
  for (std::size_t k = 1; k <= keys; ++k) p->begin[k] += p->begin[k - 1];
  for (std::size_t k = 0; k <= keys; ++k) {
    p->begin[k] += k < old_keys ? dates_->begin[k] : static_cast<std::uint32_t>(old_lines);
  }
  return p;
}

}  // namespace salesight
