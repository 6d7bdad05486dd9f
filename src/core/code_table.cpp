#include "core/internal/code_table.hpp"

#include <algorithm>
#include <chrono>

namespace salesight::internal {
namespace {

__extension__ typedef unsigned __int128 Uint128;

std::uint64_t Load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
std::uint32_t Load32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// One 64x64 -> 128-bit multiply folded (wyhash's "mum"): every input bit
// reaches the high half, which the index and the stored hash come from.
std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

constexpr std::uint64_t kP0 = 0xa0761d6478bd642full, kP1 = 0xe7037ed1a0b428dbull,
                        kP2 = 0x8ebc6af09c88c6e3ull;

// A seed per process: codes come from files outside (hostile), and with a
// fixed hash a file could collide its keys on purpose and make every probe
// walk (quadratic load time). Ids are first-seen order, so no output depends
// on the seed.
// From the clock and this library's load address (ASLR): nothing that can
// fail or throw while the library loads, as std::random_device may.
int seed_anchor = 0;
const std::uint64_t kProcessSeed =
    static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) *
        kP1 ^
    static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&seed_anchor));

}  // namespace

std::uint32_t CodeTable::Hash(std::string_view key) {
  const char* p = key.data();
  const std::size_t n = key.size();
  std::uint64_t a = 0, b = 0, seed = kP0 ^ n ^ kProcessSeed;
  if (n >= 8) {
    // 16 bytes at a time, then the last 16 (or all 8..16): every load lies
    // inside the key, overlapping bytes already mixed where it must.
    for (std::size_t i = 0; i + 16 < n; i += 16) {
      seed = Mix(Load64(p + i) ^ kP1, Load64(p + i + 8) ^ seed);
    }
    a = Load64(p + (n > 16 ? n - 16 : 0));
    b = Load64(p + n - 8);
  } else if (n >= 4) {
    a = Load32(p);
    b = Load32(p + n - 4);
  } else if (n > 0) {
    a = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16) |
        (std::uint64_t{static_cast<unsigned char>(p[n >> 1])} << 8) |
        static_cast<unsigned char>(p[n - 1]);
  }
  const std::uint64_t h = Mix(a ^ kP1, b ^ seed);
  return static_cast<std::uint32_t>(Mix(h, kP2) >> 32 ^ h);
}

std::size_t CodeTable::Probe(std::string_view key, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const auto size = static_cast<std::uint32_t>(key.size());
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id == kNoId) return i;
    if (s.hash != hash || s.size != size) continue;
    // Short keys compare in the slot; longer ones against their stored text.
    const char* text = size <= kInlineBytes ? s.bytes : codes_[static_cast<std::size_t>(s.id)].data();
    if (size == 0 || std::memcmp(text, key.data(), size) == 0) return i;
  }
}

Id CodeTable::Find(std::string_view key) const {
  if (slots_.empty()) return kNoId;
  return slots_[Probe(key, Hash(key))].id;
}

Id CodeTable::Intern(std::string_view key, bool* added) {
  if (added != nullptr) *added = false;
  if (slots_.empty()) Grow();
  const std::uint32_t hash = Hash(key);
  std::size_t i = Probe(key, hash);
  if (slots_[i].id != kNoId) return slots_[i].id;
  if (codes_.size() >= static_cast<std::size_t>(kMaxCodes)) return kNoId;
  if ((codes_.size() + 1) * 4 > slots_.size() * 3) {
    Grow();
    i = Probe(key, hash);
  }
  const Id id = static_cast<Id>(codes_.size());
  codes_.push_back(Store(key));
  Slot& s = slots_[i];
  s.hash = hash;
  s.id = id;
  s.size = static_cast<std::uint32_t>(key.size());
  if (key.size() <= kInlineBytes && !key.empty()) std::memcpy(s.bytes, key.data(), key.size());
  if (added != nullptr) *added = true;
  return id;
}

void CodeTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == kNoId) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].id != kNoId) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::string_view CodeTable::Store(std::string_view key) {
  if (key.empty()) return {};
  if (!copy_keys_) return key;
  if (block_left_ < key.size()) {
    // Blocks of 64 KiB (or one key's size): few allocations, little slack.
    const std::size_t bytes = std::max<std::size_t>(std::size_t{1} << 16, key.size());
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
    block_at_ = blocks_.back().get();
    block_left_ = bytes;
  }
  std::memcpy(block_at_, key.data(), key.size());
  const std::string_view stored(block_at_, key.size());
  block_at_ += key.size();
  block_left_ -= key.size();
  return stored;
}

}  // namespace salesight::internal
