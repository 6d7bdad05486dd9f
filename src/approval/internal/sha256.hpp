// SHA-256 (FIPS 180-4), for the hash chain of the approval event log and the
// deterministic action ids. Dependency-free on purpose; checked against the
// standard's test vectors. On x86-64 CPUs with the SHA extensions (SHA-NI,
// detected at run time) blocks go through the CPU's SHA-256 round
// instructions, about 5x the portable code; the portable code is the
// fallback and the reference the test compares the fast path with.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace salesight::approval::internal {

class Sha256 {
 public:
  // allow_hardware = false forces the portable code (tests compare the two).
  explicit Sha256(bool allow_hardware = true);
  void Update(std::string_view data);
  std::array<std::uint8_t, 32> Finish();

 private:
  void Blocks(const std::uint8_t* p, std::size_t n);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t used_ = 0;
  std::uint64_t bits_ = 0;
  bool hardware_ = false;
};

// True when this CPU runs the SHA-NI path.
bool Sha256HardwareAvailable();

// Lower-case hex of a digest, and of the digest of `data`.
std::string HexDigest(const std::array<std::uint8_t, 32>& digest);
std::string Sha256Hex(std::string_view data);

}  // namespace salesight::approval::internal
