// The serialized partial states' shared header (src/core/partial_header.hpp)
// and PeekPartialKind (salesight/partial_format.hpp).
#include "internal/partial_header.hpp"

#include <cstdint>
#include <string_view>

#include "absl/strings/str_format.h"
#include "salesight/money.hpp"

namespace salesight {
namespace partial_format {

constexpr char kMagic[8] = {'S', 'L', 'S', 'P', 'A', 'R', 'T', '\0'};

void WriteHeader(byte_io::Writer& w, PartialKind kind, int money_scale) {
  w.PutBytes(kMagic, sizeof kMagic);
  w.Put<std::uint16_t>(kPartialFormatVersion);
  w.Put(static_cast<std::uint8_t>(kind));
  w.Put<std::uint8_t>(0);
  w.Put<std::int32_t>(money_scale);
}

absl::Status ReadHeader(byte_io::Reader& r, std::string_view bytes, PartialKind kind,
                        int* money_scale) {
  if (bytes.size() < sizeof kMagic) return r.Truncated("magic", sizeof kMagic);
  if (bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic)) {
    return r.Error("not a salesight partial state (bad magic)");
  }
  std::uint64_t skip = 0;
  if (absl::Status st = r.Get(&skip, "magic"); !st.ok()) return st;
  std::uint16_t version = 0;
  if (absl::Status st = r.Get(&version, "format version"); !st.ok()) return st;
  if (version != kPartialFormatVersion) {
    return r.ErrorAt(8, absl::StrFormat("format version %d is not supported (this library "
                                        "reads version %d)",
                                        version, kPartialFormatVersion));
  }
  std::uint8_t k = 0, reserved = 0;
  if (absl::Status st = r.Get(&k, "kind"); !st.ok()) return st;
  if (k != static_cast<std::uint8_t>(kind)) {
    return r.ErrorAt(10, absl::StrFormat("the partial state is of kind %d, expected %d "
                                         "(salesight/partial_format.hpp lists the kinds)",
                                         k, static_cast<int>(kind)));
  }
  if (absl::Status st = r.Get(&reserved, "reserved"); !st.ok()) return st;
  if (reserved != 0) return r.ErrorAt(11, "reserved byte is not 0");
  std::int32_t scale = 0;
  if (absl::Status st = r.Get(&scale, "money scale"); !st.ok()) return st;
  if (scale < 0 || scale > kMaxMoneyScale) {
    return r.ErrorAt(12, absl::StrFormat("money scale %d is outside 0..%d", scale, kMaxMoneyScale));
  }
  *money_scale = scale;
  return absl::OkStatus();
}

}  // namespace partial_format

namespace partial_format {

absl::StatusOr<std::uint8_t> PeekKindByte(std::string_view bytes) {
  byte_io::Reader r(bytes, "partial state");
  if (bytes.size() < 12) return r.Truncated("header", 16);
  if (bytes.substr(0, 8) != std::string_view(kMagic, 8)) {
    return r.Error("not a salesight partial state (bad magic)");
  }
  const auto version = static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[8]) |
                                                  (static_cast<unsigned char>(bytes[9]) << 8));
  if (version != kPartialFormatVersion) {
    return r.ErrorAt(8, absl::StrFormat("format version %d is not supported (this library reads "
                                        "version %d)",
                                        version, kPartialFormatVersion));
  }
  return static_cast<std::uint8_t>(bytes[10]);
}

}  // namespace partial_format

absl::StatusOr<PartialKind> PeekPartialKind(std::string_view bytes) {
  absl::StatusOr<std::uint8_t> k = partial_format::PeekKindByte(bytes);
  if (!k.ok()) return k.status();
  if (*k < 1 || *k > static_cast<std::uint8_t>(PartialKind::kLast)) {
    byte_io::Reader r(bytes, "partial state");
    return r.ErrorAt(10, absl::StrFormat("unknown partial kind %d", *k));
  }
  return static_cast<PartialKind>(*k);
}

}  // namespace salesight
