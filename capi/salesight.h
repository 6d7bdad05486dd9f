/*
 * salesight.h - the C ABI of salesight, and its only ABI promise.
 *
 * If it is not in this file, it is not API. Append-only within an ABI major
 * version (the SONAME, libsalesight.so.<major>). No C++ type appears here; the
 * header compiles as C99 and as C++.
 *
 * Conventions (libgit2/SQLite style):
 *   - every fallible function returns salesight_status (0 = OK); the message of
 *     the last failure on the calling thread is salesight_last_error();
 *   - the out-parameter comes last and is named `out`; on failure *out is left
 *     NULL (handles) or untouched (values);
 *   - handles are opaque; every destroy function accepts NULL;
 *   - no exception and no abort ever crosses this boundary: misuse (NULL
 *     pointers, negative lengths, garbage option sizes) returns
 *     SALESIGHT_ERR_INVALID_ARGUMENT;
 *   - option structs start with `uint32_t struct_size`, are filled by
 *     SALESIGHT_X_OPTIONS_INIT or salesight_x_options_init(), and only ever
 *     grow at the end. NULL options mean "all defaults". A struct from an
 *     older header (smaller struct_size) is accepted: the missing fields take
 *     their defaults. A struct from a newer header (larger struct_size) is
 *     accepted only when every byte beyond the fields this library knows is
 *     zero; otherwise SALESIGHT_ERR_UNSUPPORTED, because the caller asked for
 *     something this library cannot do.
 *
 * Thread safety. Tables, samples and results are immutable once created: any
 * number of threads may read them and compute on them at the same time.
 * A builder is used by one thread at a time. salesight_last_error() is per
 * thread. Destroying a handle while another thread uses it is undefined.
 *
 * Values.
 *   - money: int64 minor units (cents, fen) at the table's money scale
 *     (decimals, 0..6, default 2). Sums are exact; overflow is an error.
 *   - dates: days since 1970-01-01 (1970-01-01 = 0). Valid dates lie in
 *     1900-01-01..2200-12-31. SALESIGHT_NO_DATE marks "missing / not reached".
 *   - ids: the ERP's own codes (strings) are interned into dense int32 ids in
 *     first-seen order; results map ids back to codes.
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

/* ===================================================================== version */

#define SALESIGHT_VERSION_MAJOR 0
#define SALESIGHT_VERSION_MINOR 1
#define SALESIGHT_VERSION_PATCH 0
/* major * 1000000 + minor * 1000 + patch */
#define SALESIGHT_VERSION_NUMBER \
  (SALESIGHT_VERSION_MAJOR * 1000000 + SALESIGHT_VERSION_MINOR * 1000 + SALESIGHT_VERSION_PATCH)
#define SALESIGHT_VERSION_STRING "0.1.0"

/* Runtime version, SALESIGHT_VERSION_NUMBER of the library actually loaded.
 * Bindings compare it with the header they were compiled against. Thread-safe. */
SALESIGHT_API int32_t salesight_version_number(void);
/* "0.1.0"; static storage. Thread-safe. */
SALESIGHT_API const char* salesight_version_string(void);

/* ====================================================================== errors */

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

/* Static, never NULL: "SALESIGHT_OK", "SALESIGHT_ERR_INVALID_ARGUMENT", ...,
 * "SALESIGHT_ERR_UNKNOWN" for codes this version does not know. Thread-safe. */
SALESIGHT_API const char* salesight_status_name(salesight_status status);
/* The message of the last failed call on this thread ("" after a successful
 * fallible call). It names what was wrong and where (table, column, row,
 * value). Valid until the next salesight call on this thread. Never NULL. */
SALESIGHT_API const char* salesight_last_error(void);

/* ================================================================ value types */

/* Column and result value types. */
typedef int32_t salesight_type;
#define SALESIGHT_TYPE_INT32 1  /* int32_t */
#define SALESIGHT_TYPE_INT64 2  /* int64_t */
#define SALESIGHT_TYPE_FLOAT64 3 /* double */
#define SALESIGHT_TYPE_STRING 4 /* const char* (UTF-8, NUL-terminated); NULL = null */
/* Days since 1970-01-01: int32_t in columns you add, int64_t in results. */
#define SALESIGHT_TYPE_DATE 5
/* int64_t minor units at the table's money scale. */
#define SALESIGHT_TYPE_MONEY 6
/* int64_t nanoseconds since 1970-01-01 UTC (numpy datetime64[ns]); INT64_MIN
 * (NaT) = null; the time of day is dropped (floor to the day). Input only. */
#define SALESIGHT_TYPE_TIMESTAMP_NS 7

/* "Missing / not reached" in date columns and date options. */
#define SALESIGHT_NO_DATE INT32_MIN

/* ===================================================================== tables */

typedef struct salesight_table salesight_table;
typedef struct salesight_table_builder salesight_table_builder;

typedef int32_t salesight_table_kind;
#define SALESIGHT_TABLE_ORDERS 1    /* order lines */
#define SALESIGHT_TABLE_CUSTOMERS 2
#define SALESIGHT_TABLE_PRODUCTS 3
#define SALESIGHT_TABLE_PIPELINE 4  /* opportunities with one date per funnel stage */
#define SALESIGHT_TABLE_INVOICES 5
#define SALESIGHT_TABLE_PAYMENTS 6
#define SALESIGHT_TABLE_TARGETS 7

typedef int32_t salesight_ownership;
/* The library keeps a pointer to your array: it must stay alive and unchanged
 * until every table built from it is destroyed. The library still copies when
 * it must convert (a different physical type, a validity bitmap, strings). */
#define SALESIGHT_BORROW 0
/* The library copies the values during the call. */
#define SALESIGHT_COPY 1

/* Columns per table kind (R = required, others optional; "id" columns accept
 * SALESIGHT_TYPE_INT32 dense ids >= 0, INT64 (narrowed, checked) or STRING
 * codes, interned in first-seen order; "key" columns accept INT64, INT32 or
 * STRING; "int" columns INT32 or INT64 (checked); "date" columns DATE,
 * TIMESTAMP_NS or STRING (parsed: %Y-%m-%d, %Y/%m/%d, %Y%m%d, %d.%m.%Y,
 * %m/%d/%Y, in this order); "money" columns MONEY or INT64 (minor units) or
 * FLOAT64 (currency units; must be exact at the money scale within 1e-6 of a
 * minor unit, else an error naming the row - never rounded silently); "text"
 * columns STRING only):
 *
 *   ORDERS     order_id key R, line int, order_date date R, customer id R,
 *              product id, region id, salesperson id, quantity int,
 *              amount money R (net line amount; negative = return),
 *              cost money, unit_cost money (needs quantity), channel id,
 *              department id, category id (per line product category; kept
 *              beside the table for margin grouping)
 *   CUSTOMERS  customer id R, name text, region id, owner id (salesperson),
 *              credit_limit money, created date (nullable)
 *   PRODUCTS   product id R, name text, category id, standard_cost money;
 *              cost tiers, a second list of rows with its own length:
 *              tier_product id, tier_min_quantity int, tier_unit_cost money
 *   PIPELINE   opportunity key R, customer id, salesperson id, region id,
 *              source id, amount money, created date R, lost_date date
 *              (nullable), lost_reason id, and one "stage:<name>" date column
 *              per funnel stage (nullable = not reached), in funnel order as
 *              added (at least one)
 *   INVOICES   invoice key R, order key, customer id R, salesperson id,
 *              region id, invoice_date date R, due_date date R, amount money
 *              R, paid money, paid_date date (nullable; with paid)
 *   PAYMENTS   invoice_row int R (row index into the invoices table given by
 *              salesight_table_builder_set_invoices), date date R,
 *              amount money R
 *   TARGETS    key id (salesperson or region, see set_target_level),
 *              month int R (yyyymm), amount money R
 *
 * Nulls come from the validity bitmap (bit i of byte i/8, LSB first, 1 =
 * valid; NULL = all valid) or from NULL string pointers or NaT timestamps.
 * A null in a nullable date column becomes SALESIGHT_NO_DATE; a null anywhere
 * else is SALESIGHT_ERR_INVALID_ARGUMENT naming the column and row. */

/* A new builder for one table kind. Not thread-safe; destroy it with
 * salesight_table_builder_destroy (also after finish).
 * Errors: INVALID_ARGUMENT (NULL out, unknown kind). */
SALESIGHT_API salesight_status salesight_table_builder_create(salesight_table_kind kind,
                                                              salesight_table_builder** out);
/* Frees the builder; NULL is a no-op. Borrowed arrays are not touched. */
SALESIGHT_API void salesight_table_builder_destroy(salesight_table_builder* builder);

/* Decimals of every money column of this table, 0..6 (default 2). Call it
 * before adding FLOAT64 money columns (they are converted at this scale).
 * Errors: INVALID_ARGUMENT (NULL, scale out of range, FLOAT64 money already
 * added, builder finished). */
SALESIGHT_API salesight_status salesight_table_builder_set_money_scale(
    salesight_table_builder* builder, int32_t money_scale);

/* Adds column `name` (see the list above) of `length` values of `type` at
 * `data`. STRING data is `const char* const*`. `validity` may be NULL.
 * Errors: INVALID_ARGUMENT (NULL builder/name, NULL data with length > 0,
 * negative length, unknown ownership, the column added twice, a null in a
 * non-nullable column, a value that cannot be converted - each naming the
 * row and value), UNKNOWN_COLUMN (not a column of this table kind),
 * TYPE_MISMATCH (a type this column does not accept), LENGTH_MISMATCH (a
 * length different from the columns added before in the same row list),
 * OUT_OF_RANGE (an INT64 id or int beyond int32). */
SALESIGHT_API salesight_status salesight_table_builder_add_column(
    salesight_table_builder* builder, const char* name, salesight_type type, const void* data,
    int64_t length, const uint8_t* validity, salesight_ownership ownership);

/* Declares that the INT32/INT64 ids of id column `column` are indexes into
 * `codes` (count UTF-8 strings, copied), so results show the codes. Must come
 * before the column's values if they are STRING (they are then interned after
 * these codes). Errors: INVALID_ARGUMENT (NULL, duplicate or NULL code, not an
 * id column of this kind, a dictionary already set for that column's domain),
 * UNKNOWN_COLUMN. */
SALESIGHT_API salesight_status salesight_table_builder_set_dictionary(
    salesight_table_builder* builder, const char* column, const char* const* codes, int64_t count);

/* Starts this table's code dictionaries (customer, product, region,
 * salesperson, channel, department, category, source, lost_reason) from
 * `from`'s, so that the same code gets the same id in both tables (needed to
 * join e.g. orders with customers). New codes get new ids after the shared
 * ones; `from` is not modified and may be destroyed afterwards.
 * Errors: INVALID_ARGUMENT (NULL, builder finished, called after a string
 * column of a shared domain was added). */
SALESIGHT_API salesight_status salesight_table_builder_share_dictionaries(
    salesight_table_builder* builder, const salesight_table* from);

/* PAYMENTS only: the invoices table whose rows invoice_row indexes (checked at
 * finish). The invoices table may be destroyed after finish.
 * Errors: INVALID_ARGUMENT (NULL, not a payments builder, not an invoices table). */
SALESIGHT_API salesight_status salesight_table_builder_set_invoices(
    salesight_table_builder* builder, const salesight_table* invoices);

#define SALESIGHT_TARGET_SALESPERSON 0 /* default */
#define SALESIGHT_TARGET_REGION 1
#define SALESIGHT_TARGET_COMPANY 2
/* TARGETS only: what `key` identifies. Errors: INVALID_ARGUMENT. */
SALESIGHT_API salesight_status salesight_table_builder_set_target_level(
    salesight_table_builder* builder, int32_t level);

/* Validates the columns (lengths, ids >= 0 and inside attached dictionaries,
 * dates 1900..2200, money within +-9e15 minor units, required columns present)
 * and returns the immutable table. The builder is spent afterwards (further
 * calls fail with INVALID_ARGUMENT) but must still be destroyed.
 * Errors: INVALID_ARGUMENT (a missing required column or invalid value: the
 * message names the table, column, row and value), OUT_OF_RANGE. */
SALESIGHT_API salesight_status salesight_table_builder_finish(salesight_table_builder* builder,
                                                              salesight_table** out);

/* Frees a table; NULL is a no-op. Results computed from it stay valid. */
SALESIGHT_API void salesight_table_destroy(salesight_table* table);
/* The SALESIGHT_TABLE_* kind. Errors: INVALID_ARGUMENT (NULL). Thread-safe. */
SALESIGHT_API salesight_status salesight_table_kind_of(const salesight_table* table,
                                                       salesight_table_kind* out);
/* Number of rows. Errors: INVALID_ARGUMENT (NULL). Thread-safe. */
SALESIGHT_API salesight_status salesight_table_num_rows(const salesight_table* table,
                                                        int64_t* out);
/* The money scale of the table. Errors: INVALID_ARGUMENT (NULL). Thread-safe. */
SALESIGHT_API salesight_status salesight_table_money_scale(const salesight_table* table,
                                                           int32_t* out);

/* ==================================================================== results */

/* A library-owned, immutable result table: named, typed columns. Every
 * pointer obtained from it stays valid, unchanged, until it is destroyed.
 * Column types: INT64, FLOAT64, STRING, DATE (int64_t days), MONEY (int64_t
 * minor units at salesight_result_column_money_scale). Nulls: see
 * salesight_result_column_validity (a null double is never NaN). */
typedef struct salesight_result salesight_result;

/* Frees a result; NULL is a no-op. */
SALESIGHT_API void salesight_result_destroy(salesight_result* result);
/* Errors (all accessors): INVALID_ARGUMENT (NULL, column index out of range,
 * row out of range). Thread-safe. */
SALESIGHT_API salesight_status salesight_result_num_rows(const salesight_result* result,
                                                         int64_t* out);
SALESIGHT_API salesight_status salesight_result_num_columns(const salesight_result* result,
                                                            int32_t* out);
/* Index of the column named `name`. Errors: UNKNOWN_COLUMN. */
SALESIGHT_API salesight_status salesight_result_column_index(const salesight_result* result,
                                                             const char* name, int32_t* out);
/* NUL-terminated name, owned by the result. */
SALESIGHT_API salesight_status salesight_result_column_name(const salesight_result* result,
                                                            int32_t column, const char** out);
SALESIGHT_API salesight_status salesight_result_column_type(const salesight_result* result,
                                                            int32_t column, salesight_type* out);
/* Decimals of a MONEY column (TYPE_MISMATCH for other types). */
SALESIGHT_API salesight_status salesight_result_column_money_scale(
    const salesight_result* result, int32_t column, int32_t* out);
/* num_rows int64_t values of an INT64, DATE or MONEY column (TYPE_MISMATCH
 * otherwise). May be NULL when the result has 0 rows. */
SALESIGHT_API salesight_status salesight_result_column_int64(const salesight_result* result,
                                                             int32_t column,
                                                             const int64_t** out);
/* num_rows doubles of a FLOAT64 column (TYPE_MISMATCH otherwise). A null
 * row holds 0.0; check the validity. May be NULL when there are 0 rows. */
SALESIGHT_API salesight_status salesight_result_column_double(const salesight_result* result,
                                                              int32_t column,
                                                              const double** out);
/* One byte per row, 1 = valid, 0 = null; *out = NULL when the column has no
 * nulls at all. */
SALESIGHT_API salesight_status salesight_result_column_validity(const salesight_result* result,
                                                                int32_t column,
                                                                const uint8_t** out);
/* The NUL-terminated UTF-8 value of a STRING column at `row` ("" when null).
 * TYPE_MISMATCH for other types. */
SALESIGHT_API salesight_status salesight_result_column_string(const salesight_result* result,
                                                              int32_t column, int64_t row,
                                                              const char** out);
/* Writes the result to `path`: CSV (RFC 4180, header row) unless the path ends
 * in ".json" (an array of row objects). Money in currency units, dates ISO.
 * Errors: INVALID_ARGUMENT (NULL), IO. */
SALESIGHT_API salesight_status salesight_result_write(const salesight_result* result,
                                                      const char* path);

#ifdef __cplusplus
}
#endif
#endif /* SALESIGHT_H */
