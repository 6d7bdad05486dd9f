// FIPS 180-4 / NIST CSHS example vectors.
#include "approval/internal/sha256.hpp"

#include <random>
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

std::string Hex(std::string_view data, bool hardware) {
  Sha256 s(hardware);
  s.Update(data);
  return HexDigest(s.Finish());
}

// The portable code on the standard's vectors, whatever the CPU (the fast
// path is compared with it below).
TEST(Sha256, PortableFips180Vectors) {
  EXPECT_EQ(Hex("abc", false), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(std::string(1000000, 'a'), false),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// SHA-NI (when this CPU has it) against the portable code: random bytes of
// every length to 300, fed in two random pieces.
TEST(Sha256, HardwareEqualsPortableOnRandomInputs) {
  if (!Sha256HardwareAvailable()) GTEST_SKIP() << "no SHA-NI on this CPU";
  std::mt19937_64 rng(17);
  for (std::size_t len = 0; len <= 300; ++len) {
    std::string data(len, '\0');
    for (char& c : data) c = static_cast<char>(rng() & 0xff);
    const std::size_t cut = len == 0 ? 0 : rng() % (len + 1);
    Sha256 fast(true);
    fast.Update(std::string_view(data).substr(0, cut));
    fast.Update(std::string_view(data).substr(cut));
    ASSERT_EQ(HexDigest(fast.Finish()), Hex(data, false)) << "length " << len << ", cut " << cut;
  }
}

TEST(Sha256, IncrementalEqualsOneShotAcrossBlockEdges) {
  const std::string text(200, 'x');
  for (std::size_t cut = 0; cut <= text.size(); cut += 7) {
    Sha256 s;
    s.Update(std::string_view(text).substr(0, cut));
    s.Update(std::string_view(text).substr(cut));
    EXPECT_EQ(HexDigest(s.Finish()), Sha256Hex(text)) << cut;
  }
  for (std::size_t n : {55u, 56u, 63u, 64u, 65u}) EXPECT_EQ(Sha256Hex(std::string(n, 'a')).size(), 64u);
}

}  // namespace
}  // namespace salesight::approval::internal
