// The one noexcept guard every exported body runs in (LightGBM's API_BEGIN/END
// idea, as a function): catches everything, records the message for
// salesight_last_error(), returns a status code.
#pragma once

#include <exception>
#include <new>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "salesight.h"

namespace salesight::capi {

inline std::string& LastError() {
  thread_local std::string message;
  return message;
}

// Bytes handed to the caller (text, serialized states): malloc'd so that
// salesight_bytes_free is a plain free, NUL-terminated for text, at least 1 byte.
salesight_status OutBytes(std::string_view bytes, uint8_t** out, int64_t* out_length);

inline salesight_status Fail(salesight_status code, std::string message) {
  LastError() = std::move(message);
  return code;
}

inline salesight_status FromStatus(const absl::Status& st) {
  if (st.ok()) return SALESIGHT_OK;
  LastError() = std::string(st.message());
  switch (st.code()) {
    case absl::StatusCode::kInvalidArgument: return SALESIGHT_ERR_INVALID_ARGUMENT;
    case absl::StatusCode::kOutOfRange: return SALESIGHT_ERR_OUT_OF_RANGE;
    case absl::StatusCode::kNotFound: return SALESIGHT_ERR_IO;
    case absl::StatusCode::kUnimplemented: return SALESIGHT_ERR_UNSUPPORTED;
    case absl::StatusCode::kResourceExhausted: return SALESIGHT_ERR_OUT_OF_MEMORY;
    case absl::StatusCode::kFailedPrecondition: return SALESIGHT_ERR_INVALID_ARGUMENT;
    default: return SALESIGHT_ERR_INTERNAL;
  }
}

// Runs `body` (returning salesight_status) so that nothing escapes.
template <typename Body>
salesight_status Guard(Body&& body) noexcept {
  try {
    salesight_status st = std::forward<Body>(body)();
    if (st == SALESIGHT_OK) LastError().clear();
    return st;
  } catch (const std::bad_alloc&) {
    return Fail(SALESIGHT_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return Fail(SALESIGHT_ERR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(SALESIGHT_ERR_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace salesight::capi
