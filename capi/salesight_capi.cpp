// extern "C" shims: translate handles and status codes, never compute.
#include "salesight.h"

#include <new>
#include <string>

#include "capi_guard.hpp"

using salesight::capi::Guard;

extern "C" {

int32_t salesight_version_number(void) { return SALESIGHT_VERSION_NUMBER; }

const char* salesight_version_string(void) { return SALESIGHT_VERSION_STRING; }

const char* salesight_status_name(salesight_status status) {
  switch (status) {
    case SALESIGHT_OK: return "SALESIGHT_OK";
    case SALESIGHT_ERR_INVALID_ARGUMENT: return "SALESIGHT_ERR_INVALID_ARGUMENT";
    case SALESIGHT_ERR_TYPE_MISMATCH: return "SALESIGHT_ERR_TYPE_MISMATCH";
    case SALESIGHT_ERR_LENGTH_MISMATCH: return "SALESIGHT_ERR_LENGTH_MISMATCH";
    case SALESIGHT_ERR_UNKNOWN_COLUMN: return "SALESIGHT_ERR_UNKNOWN_COLUMN";
    case SALESIGHT_ERR_UNSUPPORTED: return "SALESIGHT_ERR_UNSUPPORTED";
    case SALESIGHT_ERR_OUT_OF_MEMORY: return "SALESIGHT_ERR_OUT_OF_MEMORY";
    case SALESIGHT_ERR_OUT_OF_RANGE: return "SALESIGHT_ERR_OUT_OF_RANGE";
    case SALESIGHT_ERR_IO: return "SALESIGHT_ERR_IO";
    case SALESIGHT_ERR_INTERNAL: return "SALESIGHT_ERR_INTERNAL";
    default: return "SALESIGHT_ERR_UNKNOWN";
  }
}

const char* salesight_last_error(void) { return salesight::capi::LastError().c_str(); }

}  // extern "C"
