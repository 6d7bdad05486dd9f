// Little-endian byte writer and bounds-checked reader for the serialized
// partial states (include/salesight/partial_format.hpp). The reader never
// reads past its input and never allocates more than the remaining input can
// fill: every length is checked against the bytes left BEFORE any
// allocation, so hostile input costs at most O(input) memory and returns an
// error naming the byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace salesight::byte_io {

// The unsigned integer type holding T's bytes (T integral or enum).
template <typename T, bool = std::is_enum_v<T>>
struct Bits {
  using type = std::make_unsigned_t<T>;
};
template <typename T>
struct Bits<T, true> {
  using type = std::make_unsigned_t<std::underlying_type_t<T>>;
};
template <typename T>
using BitsT = typename Bits<T>::type;

class Writer {
 public:
  template <typename T>
  void Put(T v) {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>);
    using U = BitsT<T>;
    auto u = static_cast<U>(v);
    for (std::size_t i = 0; i < sizeof(U); ++i) {
      out_.push_back(static_cast<char>(static_cast<unsigned char>(u & 0xFFu)));
      if constexpr (sizeof(U) > 1) u = static_cast<U>(u >> 8);
    }
  }
  void PutBool(bool b) { Put<std::uint8_t>(b ? 1 : 0); }
  void PutDouble(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    Put(u);
  }
  void PutString(std::string_view s) {
    Put<std::uint64_t>(s.size());
    out_.append(s.data(), s.size());
  }
  void PutBytes(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  template <typename T>
  void PutVector(const std::vector<T>& v) {
    Put<std::uint64_t>(v.size());
    for (const T& x : v) Put(x);
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view in, const char* what) : in_(in), what_(what) {}

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool at_end() const { return pos_ == in_.size(); }

  absl::Status Error(std::string_view message) const { return ErrorAt(pos_, message); }
  absl::Status ErrorAt(std::size_t offset, std::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: byte offset %d: %s", what_, offset, message));
  }

  template <typename T>
  absl::Status Get(T* v, const char* field) {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>);
    using U = BitsT<T>;
    if (remaining() < sizeof(U)) return Truncated(field, sizeof(U));
    U u = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) {
      u = static_cast<U>(u | static_cast<U>(static_cast<U>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i)));
    }
    pos_ += sizeof(U);
    *v = static_cast<T>(u);
    return absl::OkStatus();
  }
  absl::Status GetBool(bool* b, const char* field) {
    const std::size_t at = pos_;
    std::uint8_t u = 0;
    if (absl::Status st = Get(&u, field); !st.ok()) return st;
    if (u > 1) return ErrorAt(at, absl::StrFormat("%s: %d is not a boolean (0 or 1)", field, u));
    *b = u != 0;
    return absl::OkStatus();
  }
  absl::Status GetDouble(double* d, const char* field) {
    std::uint64_t u = 0;
    if (absl::Status st = Get(&u, field); !st.ok()) return st;
    std::memcpy(d, &u, sizeof u);
    return absl::OkStatus();
  }
  // A count of elements of `element_bytes` each that must all follow.
  absl::Status GetCount(std::size_t* n, std::size_t element_bytes, const char* field) {
    const std::size_t at = pos_;
    std::uint64_t u = 0;
    if (absl::Status st = Get(&u, field); !st.ok()) return st;
    const std::size_t per = element_bytes == 0 ? 1 : element_bytes;
    if (u > remaining() / per) {
      return ErrorAt(at, absl::StrFormat("%s: length %d needs %d bytes per element but only %d "
                                         "bytes follow",
                                         field, u, per, remaining()));
    }
    *n = static_cast<std::size_t>(u);
    return absl::OkStatus();
  }
  absl::Status GetString(std::string* s, const char* field) {
    std::size_t n = 0;
    if (absl::Status st = GetCount(&n, 1, field); !st.ok()) return st;
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return absl::OkStatus();
  }
  template <typename T>
  absl::Status GetVector(std::vector<T>* v, const char* field) {
    std::size_t n = 0;
    if (absl::Status st = GetCount(&n, sizeof(T), field); !st.ok()) return st;
    v->resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (absl::Status st = Get(&(*v)[i], field); !st.ok()) return st;
    }
    return absl::OkStatus();
  }
  absl::Status Truncated(const char* field, std::size_t need) const {
    return Error(absl::StrFormat("truncated: %s needs %d bytes, %d left", field, need, remaining()));
  }

 private:
  std::string_view in_;
  const char* what_;
  std::size_t pos_ = 0;
};

}  // namespace salesight::byte_io

// Returns the status of `expr` from the calling function when it is an error.
#define SALESIGHT_BIO(expr)                                \
  do {                                                     \
    if (absl::Status st_ = (expr); !st_.ok()) return st_; \
  } while (0)
