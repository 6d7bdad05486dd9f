// SHA-256 (FIPS 180-4), for the hash chain of the approval event log and the
// deterministic action ids. Small and dependency-free on purpose; checked
// against the standard's test vectors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace salesight::approval::internal {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  std::array<std::uint8_t, 32> Finish();

 private:
  void Block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t used_ = 0;
  std::uint64_t bits_ = 0;
};

// Lower-case hex digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace salesight::approval::internal
