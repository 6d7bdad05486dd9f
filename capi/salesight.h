/*
 * salesight.h - the C ABI of salesight, and its only ABI promise.
 *
 * If it is not in this file, it is not API. Append-only within an ABI major
 * version (the SONAME). No C++ type appears here.
 *
 * Conventions (libgit2/SQLite style):
 *   - every fallible function returns salesight_status (0 = OK); the message of
 *     the last failure on the calling thread is salesight_last_error();
 *   - the out-parameter comes last and is named `out`;
 *   - handles are opaque; every destroy function accepts NULL;
 *   - no exception ever crosses this boundary.
 */
#ifndef SALESIGHT_H
#define SALESIGHT_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(SALESIGHT_BUILDING_LIBRARY)
#    define SALESIGHT_API __declspec(dllexport)
#  else
#    define SALESIGHT_API __declspec(dllimport)
#  endif
#else
#  define SALESIGHT_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define SALESIGHT_VERSION_MAJOR 0
#define SALESIGHT_VERSION_MINOR 1
#define SALESIGHT_VERSION_PATCH 0
/* major * 1000000 + minor * 1000 + patch */
#define SALESIGHT_VERSION_NUMBER \
  (SALESIGHT_VERSION_MAJOR * 1000000 + SALESIGHT_VERSION_MINOR * 1000 + SALESIGHT_VERSION_PATCH)

typedef int32_t salesight_status;
#define SALESIGHT_OK 0
#define SALESIGHT_ERR_INVALID_ARGUMENT 1 /* NULL, negative length, bad option value, bad data */
#define SALESIGHT_ERR_TYPE_MISMATCH 2    /* a column of the wrong type */
#define SALESIGHT_ERR_LENGTH_MISMATCH 3  /* columns of different lengths */
#define SALESIGHT_ERR_UNKNOWN_COLUMN 4   /* a name that is not a column */
#define SALESIGHT_ERR_UNSUPPORTED 5      /* valid request this version cannot do */
#define SALESIGHT_ERR_OUT_OF_MEMORY 6
#define SALESIGHT_ERR_OUT_OF_RANGE 7     /* overflow, id or date out of range */
#define SALESIGHT_ERR_IO 8               /* a file could not be read or written */
#define SALESIGHT_ERR_INTERNAL 99        /* a bug in salesight: please report it */

/* Runtime version, SALESIGHT_VERSION_NUMBER of the library actually loaded.
 * Thread-safe. */
SALESIGHT_API int32_t salesight_version_number(void);
/* "0.1.0"; static storage. Thread-safe. */
SALESIGHT_API const char* salesight_version_string(void);
/* Static, never NULL: "SALESIGHT_OK", "SALESIGHT_ERR_INVALID_ARGUMENT", ...,
 * "SALESIGHT_ERR_UNKNOWN" for codes this version does not know. Thread-safe. */
SALESIGHT_API const char* salesight_status_name(salesight_status status);
/* The message of the last failed call on this thread ("" if none). Valid until
 * the next salesight call on this thread. Never NULL. */
SALESIGHT_API const char* salesight_last_error(void);

#ifdef __cplusplus
}
#endif
#endif /* SALESIGHT_H */
