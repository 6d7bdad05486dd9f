// FIPS 180-4 / NIST CSHS example vectors.
#include "approval/internal/sha256.hpp"

#include <string>

#include "gtest/gtest.h"

namespace salesight::approval::internal {
namespace {

TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsOneShotAcrossBlockEdges) {
  const std::string text(200, 'x');
  for (std::size_t cut = 0; cut <= text.size(); cut += 7) {
    Sha256 s;
    s.Update(std::string_view(text).substr(0, cut));
    s.Update(std::string_view(text).substr(cut));
    const auto d = s.Finish();
    std::string hex;
    for (std::uint8_t b : d) {
      static constexpr char kHex[] = "0123456789abcdef";
      hex += kHex[b >> 4];
      hex += kHex[b & 15];
    }
    EXPECT_EQ(hex, Sha256Hex(text)) << cut;
  }
  for (std::size_t n : {55u, 56u, 63u, 64u, 65u}) EXPECT_EQ(Sha256Hex(std::string(n, 'a')).size(), 64u);
}

}  // namespace
}  // namespace salesight::approval::internal
