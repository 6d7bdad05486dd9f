// salesight_interned_*: a string column (Arrow-style offsets + bytes) interned
// into int32 codes and their dictionary on several threads, so that a binding
// (Python: pandas object / string columns) hands the library codes instead of
// factorizing in the host language (pd.factorize was 3.0 s of a 3.6 s RFM call
// at 10^7 rows).
//
// Codes are numbered in first-appearance order for every thread count: each
// thread interns its contiguous row range into its own map (codes local to the
// range, in the range's first-appearance order); the ranges' distinct values
// are then merged in range order into the global dictionary, which visits them
// exactly in the order one thread scanning all rows meets them; last, the
// ranges after the first are renumbered in parallel. (The CSV reader merges
// its chunks' dictionaries the same way: src/ingest/orders_chunks.cpp.)
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "salesight.h"
#include "salesight/dictionary.hpp"
#include "salesight/large_array.hpp"

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

// As the table builder's conversions: no thread for fewer rows than this, so
// small columns stay on the calling thread.
constexpr std::int64_t kMinRowsPerThread = std::int64_t{1} << 18;
constexpr std::int64_t kMaxCodes = 2147483647;

bool IsValid(const std::uint8_t* validity, std::int64_t i) {
  return validity == nullptr || ((validity[i >> 3] >> (i & 7)) & 1) != 0;
}

using Map = absl::flat_hash_map<std::string_view, std::int32_t>;

// One thread's row range [begin, end): its codes (local), its distinct values
// in first-appearance order, and the first row it found wrong (-1 = none).
struct Range {
  std::int64_t begin = 0, end = 0;
  Map ids;  // value -> local code
  std::vector<std::string_view> values;
  std::int64_t first_null = -1;
  std::int64_t bad_row = -1;
  const char* bad_reason = nullptr;
  bool too_many = false;
  bool out_of_memory = false;
};

void InternRange(const std::int64_t* offsets, const char* data, const std::uint8_t* validity,
                 std::int32_t* codes, Range& r) {
  try {
    Map& ids = r.ids;
    for (std::int64_t i = r.begin; i < r.end; ++i) {
      if (!IsValid(validity, i)) {
        if (r.first_null < 0) r.first_null = i;
        codes[i] = -1;
        continue;
      }
      const std::int64_t b = offsets[i], e = offsets[i + 1];
      if (b < 0 || e < b) {
        r.bad_row = i;
        r.bad_reason = b < 0 ? "a negative offset" : "offsets decreasing";
        return;
      }
      const std::string_view value(data + b, static_cast<std::size_t>(e - b));
      auto [it, added] = ids.try_emplace(value, static_cast<std::int32_t>(r.values.size()));
      if (added) {
        if (value.find('\0') != std::string_view::npos) {
          r.bad_row = i;
          r.bad_reason = "a NUL byte, which a code cannot hold";
          return;
        }
        if (static_cast<std::int64_t>(r.values.size()) >= kMaxCodes) {
          r.too_many = true;
          return;
        }
        r.values.push_back(value);
      }
      codes[i] = it->second;
    }
  } catch (const std::bad_alloc&) {
    r.out_of_memory = true;
  }
}

// Runs fn(range index) for every range, range 0 on the calling thread. fn
// must not throw.
template <typename Fn>
void OnThreads(std::size_t count, Fn&& fn) {
  std::vector<std::thread> pool;
  pool.reserve(count);
  std::size_t started = 1;
  try {
    for (; started < count; ++started) pool.emplace_back([&fn, started] { fn(started); });
  } catch (...) {
    // Could not start a thread: the remaining ranges run here.
    for (std::size_t t = started; t < count; ++t) fn(t);
  }
  fn(std::size_t{0});
  for (std::thread& t : pool) t.join();
}

std::size_t RangeCount(std::int32_t num_threads, std::int64_t n) {
  std::int64_t threads = num_threads > 0 ? num_threads
                                         : std::max<std::int64_t>(
                                               1, std::thread::hardware_concurrency());
  return static_cast<std::size_t>(std::clamp<std::int64_t>(n / kMinRowsPerThread, 1, threads));
}

salesight_status Intern(const std::int64_t* offsets, const char* data, std::int64_t n,
                        const std::uint8_t* validity, std::int32_t num_threads,
                        InternedImpl& out) {
  constexpr const char* kFn = "salesight_interned_create";
  out.codes.resize(static_cast<std::size_t>(n));
  out.num_threads = num_threads;
  std::vector<Range> ranges(RangeCount(num_threads, n));
  const auto parts = static_cast<std::int64_t>(ranges.size());
  for (std::int64_t p = 0; p < parts; ++p) {
    ranges[static_cast<std::size_t>(p)].begin = n * p / parts;
    ranges[static_cast<std::size_t>(p)].end = n * (p + 1) / parts;
  }
  OnThreads(ranges.size(), [&](std::size_t p) {
    InternRange(offsets, data, validity, out.codes.data(), ranges[p]);
  });
  // The first range that went wrong holds the first wrong row.
  for (const Range& r : ranges) {
    if (r.out_of_memory) return Fail(SALESIGHT_ERR_OUT_OF_MEMORY, "out of memory");
    if (r.bad_row >= 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: row %d: %s", kFn, r.bad_row, r.bad_reason));
    }
    if (r.too_many) {
      return Fail(SALESIGHT_ERR_OUT_OF_RANGE,
                  absl::StrFormat("%s: more than %d distinct values", kFn, kMaxCodes));
    }
    if (out.first_null < 0) out.first_null = r.first_null;
  }
  // Merge in range order: global code of each range's local code.
  // Range 0's map is the start of the global one: its codes are final.
  Map global = std::move(ranges[0].ids);
  std::vector<std::string_view> values = std::move(ranges[0].values);
  std::vector<std::vector<std::int32_t>> remap(ranges.size());
  for (std::size_t p = 1; p < ranges.size(); ++p) {
    remap[p].reserve(ranges[p].values.size());
    for (std::string_view v : ranges[p].values) {
      auto [it, added] = global.try_emplace(v, static_cast<std::int32_t>(values.size()));
      if (added) {
        if (static_cast<std::int64_t>(values.size()) >= kMaxCodes) {
          return Fail(SALESIGHT_ERR_OUT_OF_RANGE,
                      absl::StrFormat("%s: more than %d distinct values", kFn, kMaxCodes));
        }
        values.push_back(v);
      }
      remap[p].push_back(it->second);
    }
  }
  if (ranges.size() > 1) {
    OnThreads(ranges.size() - 1, [&](std::size_t t) {
      const Range& r = ranges[t + 1];
      const std::vector<std::int32_t>& to = remap[t + 1];
      for (std::int64_t i = r.begin; i < r.end; ++i) {
        std::int32_t& c = out.codes[static_cast<std::size_t>(i)];
        if (c >= 0) c = to[static_cast<std::size_t>(c)];
      }
    });
  }
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
  const auto n = static_cast<std::int64_t>(in.codes.size());
  const std::size_t parts = RangeCount(in.num_threads, n);
  OnThreads(parts, [&](std::size_t p) {
    const std::int64_t end = n * static_cast<std::int64_t>(p + 1) / static_cast<std::int64_t>(parts);
    for (std::int64_t i = n * static_cast<std::int64_t>(p) / static_cast<std::int64_t>(parts);
         i < end; ++i) {
      std::int32_t& c = in.codes[static_cast<std::size_t>(i)];
      if (c >= 0) c = new_id[static_cast<std::size_t>(c)];
    }
  });
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
