// salesight_interned_*: a string column (Arrow-style offsets + bytes) interned
// into int32 codes and their dictionary on several threads, so that a binding
// (Python: pandas object / string columns) hands the library codes instead of
// factorizing in the host language (pd.factorize was 3.0 s of a 3.6 s RFM call
// at 10^7 rows).
//
// Codes are numbered in first-appearance order for every thread count: the
// one parallel intern of src/core/internal/parallel_intern.hpp (which the
// parallel CSV read's merge shares).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "salesight.h"
#include "salesight/dictionary.hpp"
#include "salesight/large_array.hpp"
#include "salesight/text_codes.hpp"

namespace {

using salesight::capi::Fail;
using salesight::capi::Guard;

struct InternedImpl {
  salesight::UninitLargeVector<std::int32_t> codes;  // per row, -1 = null
  std::vector<char> bytes;                            // the values, each NUL-terminated
  std::vector<const char*> dictionary;                // code k -> its value in `bytes`
  std::int64_t first_null = -1;
  std::int32_t num_threads = 1;  // as given to create, for canonical_order
};

InternedImpl* Impl(salesight_interned* h) { return reinterpret_cast<InternedImpl*>(h); }
const InternedImpl* Impl(const salesight_interned* h) {
  return reinterpret_cast<const InternedImpl*>(h);
}

salesight_status Intern(const std::int64_t* offsets, const char* data, std::int64_t n,
                        const std::uint8_t* validity, std::int32_t num_threads,
                        InternedImpl& out) {
  out.codes.resize(static_cast<std::size_t>(n));
  out.num_threads = num_threads;
  absl::StatusOr<salesight::TextCodes> interned = salesight::InternTextColumn(
      offsets, data, n, validity, num_threads, out.codes.data());
  if (!interned.ok()) {
    if (interned.status().code() == absl::StatusCode::kResourceExhausted) {
      return Fail(SALESIGHT_ERR_OUT_OF_MEMORY, "out of memory");
    }
    const salesight_status code = salesight::capi::FromStatus(interned.status());
    return Fail(code, absl::StrCat("salesight_interned_create: ", interned.status().message()));
  }
  out.first_null = interned->first_null;
  const std::vector<std::string_view>& values = interned->dictionary;
  std::size_t total = 0;
  for (std::string_view v : values) total += v.size() + 1;
  out.bytes.resize(total);
  out.dictionary.reserve(values.size());
  char* at = out.bytes.data();
  for (std::string_view v : values) {
    if (!v.empty()) std::memcpy(at, v.data(), v.size());
    at[v.size()] = '\0';
    out.dictionary.push_back(at);
    at += v.size() + 1;
  }
  return SALESIGHT_OK;
}

// Codes and dictionary renumbered into the canonical order (dictionary.hpp).
salesight_status Canonical(InternedImpl& in) {
  salesight::Dictionary dict;
  for (const char* code : in.dictionary) {
    absl::StatusOr<salesight::Id> id = dict.Intern(code);
    if (!id.ok()) return salesight::capi::FromStatus(id.status());
  }
  const std::vector<salesight::Id> new_id = salesight::CanonicalOrder(dict);
  std::vector<const char*> reordered(in.dictionary.size());
  bool identity = true;
  for (std::size_t k = 0; k < new_id.size(); ++k) {
    reordered[static_cast<std::size_t>(new_id[k])] = in.dictionary[k];
    identity &= new_id[k] == static_cast<salesight::Id>(k);
  }
  if (identity) return SALESIGHT_OK;
  salesight::RenumberCodes(in.codes.data(), static_cast<std::int64_t>(in.codes.size()), new_id,
                           in.num_threads);
  in.dictionary = std::move(reordered);
  return SALESIGHT_OK;
}

salesight_status Null(const char* function, const char* argument) {
  return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
              absl::StrFormat("%s: argument '%s' is NULL", function, argument));
}

}  // namespace

extern "C" {

salesight_status salesight_interned_create(const int64_t* offsets, const char* data,
                                           int64_t length, const uint8_t* validity,
                                           int32_t num_threads, salesight_interned** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_interned_create";
    if (out == nullptr) return Null(kFn, "out");
    *out = nullptr;
    if (length < 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: negative length %d", kFn, length));
    }
    if (num_threads < 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: num_threads %d is negative (0 = one per hardware thread)",
                                  kFn, num_threads));
    }
    if (offsets == nullptr && length > 0) return Null(kFn, "offsets");
    if (length > 0 && offsets[0] < 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: row 0: a negative offset", kFn));
    }
    if (data == nullptr && length > 0 && offsets[length] != offsets[0]) return Null(kFn, "data");
    auto impl = std::make_unique<InternedImpl>();
    if (salesight_status st = Intern(offsets, data, length, validity, num_threads, *impl);
        st != SALESIGHT_OK) {
      return st;
    }
    *out = reinterpret_cast<salesight_interned*>(impl.release());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_interned_canonical_order(salesight_interned* interned) {
  return Guard([&]() -> salesight_status {
    if (interned == nullptr) return Null("salesight_interned_canonical_order", "interned");
    return Canonical(*Impl(interned));
  });
}

void salesight_interned_destroy(salesight_interned* interned) { delete Impl(interned); }

salesight_status salesight_interned_codes(const salesight_interned* interned,
                                          const int32_t** out) {
  return Guard([&]() -> salesight_status {
    if (interned == nullptr) return Null("salesight_interned_codes", "interned");
    if (out == nullptr) return Null("salesight_interned_codes", "out");
    *out = Impl(interned)->codes.data();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_interned_num_rows(const salesight_interned* interned, int64_t* out) {
  return Guard([&]() -> salesight_status {
    if (interned == nullptr) return Null("salesight_interned_num_rows", "interned");
    if (out == nullptr) return Null("salesight_interned_num_rows", "out");
    *out = static_cast<int64_t>(Impl(interned)->codes.size());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_interned_dictionary(const salesight_interned* interned,
                                               const char* const** out_codes, int64_t* out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_interned_dictionary";
    if (interned == nullptr) return Null(kFn, "interned");
    if (out_codes == nullptr) return Null(kFn, "out_codes");
    if (out == nullptr) return Null(kFn, "out");
    *out_codes = Impl(interned)->dictionary.data();
    *out = static_cast<int64_t>(Impl(interned)->dictionary.size());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_interned_first_null(const salesight_interned* interned,
                                               int64_t* out) {
  return Guard([&]() -> salesight_status {
    if (interned == nullptr) return Null("salesight_interned_first_null", "interned");
    if (out == nullptr) return Null("salesight_interned_first_null", "out");
    *out = Impl(interned)->first_null;
    return SALESIGHT_OK;
  });
}

}  // extern "C"
