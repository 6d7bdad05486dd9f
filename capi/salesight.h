/*
 * salesight.h - the C ABI of salesight, and its only ABI promise.
 *
 * If it is not in this file, it is not API. Append-only within an ABI version,
 * which the SONAME names: libsalesight.so.<major> from 1.0, and
 * libsalesight.so.0.<minor> during 0.x, where a minor may change the ABI
 * (README, ABI policy). The SALESIGHT_VERSION_* macros below are the one place
 * the version is written: the build, the CLI and the Python package read them.
 * No C++ type appears here; the header compiles as C99 and as C++.
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
 *     SALESIGHT_X_OPTIONS_INIT or by salesight_x_options_init(&o, sizeof o),
 *     and only ever grow at the end. NULL options mean "all defaults". A
 *     struct from an older header (smaller struct_size) is accepted: the
 *     missing fields take their defaults. A struct from a newer header
 *     (larger struct_size) is accepted only when every byte beyond the fields
 *     this library knows is zero; otherwise SALESIGHT_ERR_UNSUPPORTED,
 *     because the caller asked for something this library cannot do.
 *     The init functions take the caller's size (libgit2's
 *     git_clone_options_init(opts, version)) and write exactly struct_size
 *     bytes, never one beyond, however old or new the caller's header: the
 *     defaults of the fields this library knows, zeros beyond them, and
 *     struct_size = the caller's size. struct_size below 4 (the struct_size
 *     field itself) or above 65536 is SALESIGHT_ERR_INVALID_ARGUMENT.
 *
 * Thread safety. Tables, samples and results are immutable once created: any
 * number of threads may read them and compute on them at the same time.
 * A builder is used by one thread at a time. salesight_last_error() is per
 * thread. Destroying a handle while another thread uses it is undefined.
 * An options struct's num_threads is the most threads a call starts (0 = one
 * per hardware thread): a calculator's pass takes one thread per 2^18 input
 * rows (2^21 for RFM and margin, whose per-thread states are merged), so a
 * small input runs on the calling thread alone. Results never depend on it.
 *
 * Values.
 *   - money: int64 minor units (cents, fen) at the table's money scale
 *     (decimals, 0..6, default 2). Sums are exact; overflow is an error.
 *   - dates: days since 1970-01-01 (1970-01-01 = 0). Valid dates lie in
 *     1900-01-01..2199-12-31. SALESIGHT_NO_DATE marks "missing / not reached".
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
#define SALESIGHT_VERSION_MINOR 2
#define SALESIGHT_VERSION_PATCH 0
/* major * 1000000 + minor * 1000 + patch */
#define SALESIGHT_VERSION_NUMBER \
  (SALESIGHT_VERSION_MAJOR * 1000000 + SALESIGHT_VERSION_MINOR * 1000 + SALESIGHT_VERSION_PATCH)
#define SALESIGHT_VERSION_STRING "0.2.0"

/* Runtime version, SALESIGHT_VERSION_NUMBER of the library actually loaded.
 * Bindings compare it with the header they were compiled against. Thread-safe. */
SALESIGHT_API int32_t salesight_version_number(void);
/* "0.2.0"; static storage. Thread-safe. */
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

/* The declared options of the registered calculator `calculator` ("rfm",
 * "margin", ...: every name of salesight_calculators_json) as JSON
 * text: an array of {"name", "type" (int, double, date, bool, choice, text,
 * int list, double list), "default" ("" = none, derived from the data),
 * "allowed" (choice: "a|b"; text: the value's form), "min", "max" (int:
 * integer bounds; double: bounds or null; else null), "cli" (the CLI flag
 * without "--"), "cli_sets_false", "doc"}: what a binding builds its keyword
 * arguments, checks and documentation from. `*out` is NUL-terminated UTF-8,
 * static: valid for the library's lifetime, never freed. The typed option
 * structs stay the ABI; names here are the surfaces' (Python keywords).
 * Errors: INVALID_ARGUMENT (NULL, an unknown calculator: the message names
 * the registered ones). */
SALESIGHT_API salesight_status salesight_options_describe(const char* calculator,
                                                          const char** out);

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
 *              beside the table), margin money (when there is no cost
 *              column: cost = amount - margin)
 *   CUSTOMERS  customer id R, name text, region id, owner id (salesperson),
 *              credit_limit money, created date (nullable)
 *   PRODUCTS   product id R, name text, category id, standard_cost money
 *              (nullable: a null or NaN = this product has no standard cost,
 *              so its lines take the tier cost);
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
 * Attribute columns (ORDERS, CUSTOMERS, PRODUCTS, PIPELINE, INVOICES): any
 * other column of an export or DataFrame is added as "attr:<name>" and is
 * then a dimension named <name> (e.g. group_by "origin" of
 * salesight_funnel_options). Its values are STRING (a NULL pointer or a null
 * bit = the missing member, the empty string "", a group of its own) or
 * INT32/INT64 codes into the codes given by salesight_table_builder_set_dictionary
 * for "attr:<name>" (before or after the values; a null code is refused: give
 * "" a code). <name> must not be a field of the table kind, and a name
 * without the prefix that is not a field stays UNKNOWN_COLUMN, so a misspelt
 * field never becomes an attribute. Codes are put in canonical order at
 * finish (README, Definitions: ids).
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

/* Threads that convert the columns added after this call: 1 (default) = the
 * calling thread only, 0 = one per hardware thread, n = up to n. Only the
 * bulk conversions split (INT64 ids/ints narrowed to int32, TIMESTAMP_NS to
 * dates, columns without a validity bitmap), in chunks of at least 2^18 rows,
 * so short columns use fewer threads. The threads are started and joined
 * inside each salesight_table_builder_add_column call; the converted values,
 * the errors and their messages are the same for every thread count.
 * Errors: INVALID_ARGUMENT (NULL builder, negative num_threads, builder
 * finished). */
SALESIGHT_API salesight_status salesight_table_builder_set_num_threads(
    salesight_table_builder* builder, int32_t num_threads);

/* keep = 1: ORDERS only. A "customer" column of INT64 ids and an "order_date"
 * column of TIMESTAMP_NS, each added afterwards with SALESIGHT_BORROW and no
 * validity bitmap, are checked as usual (same errors, same messages) but not
 * narrowed into int32 copies: when both are kept (and the table has no
 * customer codes of its own, e.g. from STRING ids or set_dictionary),
 * salesight_rfm_compute without `by`, without CLV and not for the
 * NEW_RETURNING output reads the caller's arrays directly, a cache-sized block
 * at a time. Any other use of the table (another calculator, another output,
 * a dataset, export, sharing its dictionaries) narrows them once, on first
 * use (thread-safe). Results are the same either way. keep = 0 (default):
 * every column is converted when added.
 * Errors: INVALID_ARGUMENT (NULL builder, keep not 0 or 1, builder finished). */
SALESIGHT_API salesight_status salesight_table_builder_set_keep_wide(
    salesight_table_builder* builder, int32_t keep);

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
 * these codes). `column` may be an attribute column "attr:<name>" (see above;
 * its own codes, shared with no other column or table). At finish the table's ids are put in the codes' order (README,
 * Definitions: ids), so result code views may number them differently from
 * `codes`; labels always match. Errors: INVALID_ARGUMENT (NULL, duplicate or
 * NULL code, not an id column of this kind, a dictionary already set for that
 * column's domain), UNKNOWN_COLUMN. */
SALESIGHT_API salesight_status salesight_table_builder_set_dictionary(
    salesight_table_builder* builder, const char* column, const char* const* codes, int64_t count);

/* Starts this table's code dictionaries (customer, product, region,
 * salesperson, channel, department, category, source, lost_reason) from
 * `from`'s, so that the same code gets the same id in both tables (needed to
 * join e.g. orders with customers). New codes get new ids after the shared
 * ones; `from` is not modified and may be destroyed afterwards. Ids follow
 * the codes' order (README, Definitions: ids), so the new codes must sort
 * after every shared code of their domain: else finish fails with
 * INVALID_ARGUMENT naming the row and code (build first the table holding
 * every code, or give each table all codes with set_dictionary).
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
 * dates 1900..2199, money within +-9e15 minor units, required columns present)
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

/* The table's columns as a new result (destroy it), named like the columns
 * you add (pipeline stages as "stage:<name>", attribute columns as
 * "attr:<name>", STRING, missing = ""): ids as their codes (STRING;
 * the id as text when the table has no dictionary), dates as DATE with
 * missing dates null, money as MONEY, keys and counts as INT64 (a key column
 * added or read as text - opportunity, invoice - as STRING, its text). Absent
 * optional columns are left out. Errors: INVALID_ARGUMENT (NULL). */
typedef struct salesight_result salesight_result;
SALESIGHT_API salesight_status salesight_table_columns(const salesight_table* table,
                                                       salesight_result** out);

/* ============================================================ interned codes */

/* A string column interned into dense int32 codes and their dictionary, on
 * several threads, for a binding whose strings are not NUL-terminated C
 * strings (numpy / pandas object columns, Arrow). The codes are numbered in
 * first-appearance order, the same for every thread count; pass them to a
 * table builder as an INT32 id column after salesight_table_builder_set_dictionary
 * with salesight_interned_dictionary (the builder then puts the ids in
 * canonical order, as for STRING values), or, after
 * salesight_interned_canonical_order, as dense ids without a dictionary. */
typedef struct salesight_interned salesight_interned;

/* Interns `length` strings given as Arrow-style buffers: string i is the bytes
 * data[offsets[i], offsets[i+1]) (UTF-8; offsets has length + 1 entries,
 * non-decreasing, >= 0), null where bit i of `validity` (LSB first; NULL = all
 * valid) is 0. Null rows get code -1. num_threads: 1 = the calling thread,
 * 0 = one per hardware thread, n = up to n (in chunks of at least 2^18 rows).
 * Errors: INVALID_ARGUMENT (NULL out, NULL offsets with length > 0, NULL data
 * with bytes, negative length or num_threads, offsets decreasing or negative,
 * a value holding a NUL byte: each naming the row), OUT_OF_MEMORY, OUT_OF_RANGE
 * (more than 2^31 - 1 distinct values). */
SALESIGHT_API salesight_status salesight_interned_create(const int64_t* offsets, const char* data,
                                                         int64_t length, const uint8_t* validity,
                                                         int32_t num_threads,
                                                         salesight_interned** out);
/* Renumbers the codes and the dictionary into the library's canonical code
 * order (README, Definitions: ids: by value when every value is an integer,
 * else bytewise) - the order a table builder gives ids - on the threads given
 * to create. A binding may then pass the codes as dense INT32 ids without a
 * dictionary and keep the labels itself, as it would after sorting them.
 * Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_interned_canonical_order(salesight_interned* interned);
/* Frees the codes and dictionary; NULL is a no-op. */
SALESIGHT_API void salesight_interned_destroy(salesight_interned* interned);
/* The `length` int32 codes, one per row (-1 = null); valid until destroy.
 * Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_interned_codes(const salesight_interned* interned,
                                                        const int32_t** out);
/* The number of rows (`length` given to create). Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_interned_num_rows(const salesight_interned* interned,
                                                           int64_t* out);
/* The distinct values, `*count` NUL-terminated UTF-8 strings, value k = code
 * k: the `codes` array salesight_table_builder_set_dictionary takes. Valid
 * until destroy. Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_interned_dictionary(const salesight_interned* interned,
                                                             const char* const** out_codes,
                                                             int64_t* out);
/* The first null row, or -1 when no row is null. Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_interned_first_null(const salesight_interned* interned,
                                                             int64_t* out);

/* ==================================================================== results */

/* A library-owned, immutable result table: named, typed columns. Every
 * pointer obtained from it stays valid, unchanged, until it is destroyed.
 * Column types: INT64, FLOAT64, STRING, DATE (int64_t days), MONEY (int64_t
 * minor units at salesight_result_column_money_scale). Nulls: see
 * salesight_result_column_validity (a null double is never NaN). */

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
/* The codes of a STRING column the library holds dictionary-encoded (ids
 * such as customer, and labels such as the RFM segment): `*codes` = num_rows
 * int32_t codes owned by the result (valid until destroy; a null row holds
 * some code, see the validity), and `*num_labels` = the number of labels, each
 * read with salesight_result_column_label(code). *num_labels ==
 * SALESIGHT_LABELS_DECIMAL means the column has no dictionary: a row's value is
 * its code in decimal (ids of a table built from INT32/INT64 ids without
 * salesight_table_builder_set_dictionary). A STRING column held as text gives
 * *codes = NULL and *num_labels = 0: read it with
 * salesight_result_column_string (which works for every STRING column). Lets a
 * binding map a million ids back without a string per row.
 * Errors: INVALID_ARGUMENT (NULL), TYPE_MISMATCH (not a STRING column). */
#define SALESIGHT_LABELS_DECIMAL (-1)
SALESIGHT_API salesight_status salesight_result_column_codes(const salesight_result* result,
                                                             int32_t column,
                                                             const int32_t** codes,
                                                             int64_t* num_labels);
/* Label `label` (0 <= label < num_labels) of a dictionary-encoded STRING
 * column, NUL-terminated UTF-8 owned by the result. Errors: INVALID_ARGUMENT
 * (NULL, label out of range), TYPE_MISMATCH (not an encoded column with
 * labels). */
SALESIGHT_API salesight_status salesight_result_column_label(const salesight_result* result,
                                                             int32_t column, int64_t label,
                                                             const char** out);
/* Writes the result to `path`: CSV (RFC 4180, header row) unless the path ends
 * in ".json" (an array of row objects). Money in currency units, dates ISO.
 * Errors: INVALID_ARGUMENT (NULL), IO. */
SALESIGHT_API salesight_status salesight_result_write(const salesight_result* result,
                                                      const char* path);


/* ===================================================================== sample */

/* The bundled, deterministic sample ERP data set (customers, products, order
 * lines, pipeline, invoices, payments, targets) described in the README: the
 * same options give the same bytes on every platform and thread count. */
typedef struct salesight_sample salesight_sample;

typedef struct salesight_sample_options {
  uint32_t struct_size; /* sizeof(salesight_sample_options) */
  int32_t num_threads;  /* generation threads, 0 = all cores; default 1 */
  int64_t order_lines;  /* N, 1000..100000000; default 20000 */
  uint64_t seed;        /* default 20240930 */
} salesight_sample_options;

#define SALESIGHT_SAMPLE_OPTIONS_INIT \
  { (uint32_t)sizeof(salesight_sample_options), 1, 20000, 20240930u }

/* Fills the caller's struct_size bytes of *options with the defaults (see
 * the option-struct convention at the top). Errors: INVALID_ARGUMENT (NULL,
 * bad struct_size). */
SALESIGHT_API salesight_status salesight_sample_options_init(salesight_sample_options* options,
                                                             size_t struct_size);

/* Generates the sample; NULL options = defaults. Takes about a second per
 * 10^7 order lines. Errors: INVALID_ARGUMENT (out NULL, order_lines out of
 * range), UNSUPPORTED (options from a newer header with a non-zero tail). */
SALESIGHT_API salesight_status salesight_sample_generate(const salesight_sample_options* options,
                                                         salesight_sample** out);
/* Frees the sample; NULL is a no-op. Tables taken from it stay valid. */
SALESIGHT_API void salesight_sample_destroy(salesight_sample* sample);
/* A new handle on one of the sample's tables (shares its memory; destroy it
 * with salesight_table_destroy; it outlives the sample). All tables share one
 * set of code dictionaries. Errors: INVALID_ARGUMENT (NULL, unknown kind). */
SALESIGHT_API salesight_status salesight_sample_table(const salesight_sample* sample,
                                                      salesight_table_kind kind,
                                                      salesight_table** out);
/* The sample's analysis date (2024-09-30 = day 19996). */
SALESIGHT_API salesight_status salesight_sample_as_of(const salesight_sample* sample,
                                                      int32_t* out);
/* Writes the sample as CSV exports (orders.csv, customers.csv, products.csv,
 * pipeline.csv, invoices.csv, payments.csv, targets.csv, ...) into `dir`,
 * created if missing. Errors: INVALID_ARGUMENT (NULL), IO. */
SALESIGHT_API salesight_status salesight_sample_write_csv(const salesight_sample* sample,
                                                          const char* dir);


/* ======================================================================== CSV */

/* The outcome of reading one CSV file: counts and the rejected rows. Every
 * data line is accepted, a total row (a 合计/小计/总计/Total row of a
 * document-style export, kept out of the data) or rejected:
 * accepted + total_rows + rejected = data_lines. */
typedef struct salesight_csv_report salesight_csv_report;

typedef struct salesight_csv_options {
  uint32_t struct_size;     /* sizeof(salesight_csv_options) */
  char delimiter;           /* default ',' (also ';', '\t', '|', ...) */
  char quote;               /* default '"' */
  char decimal_point;       /* default '.' */
  char thousands_separator; /* default 0 = none; e.g. ',' for "1,234.50" */
  /* Model field -> the file's column name: "customer=Customer ID,date=Order
   * Date,amount=Sales" (names may contain spaces; quote a name holding ',' or
   * '=': product="Name, long"). A field not mapped binds to a column spelled
   * like the field. NULL or "" = no explicit mapping. The model fields per
   * table are listed in the README (orders: order*, line, date*, customer*,
   * product, region, salesperson, quantity, amount*, cost | unit_cost |
   * margin, channel, department, category). */
  const char* mapping;
  /* "auto" (default, NULL), "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y",
   * "%Y%m%d", "%d/%m/%Y", "%m/%d/%y", "%d/%m/%y" (two-digit years: 00-68 ->
   * 20xx, 69-99 -> 19xx; auto never guesses day-first or two-digit years). */
  const char* date_format;
  /* PIPELINE only: "lead=Lead Date,won=Won Date,..." (stage=column) in funnel
   * order; NULL = the default stages read from "<stage>_date" columns. */
  const char* stages;
  /* NULL, or a table whose code dictionaries this file extends, so ids agree
   * (read customers.csv, then orders.csv sharing the customers table). The
   * file's new codes must sort after the shared ones (see
   * salesight_table_builder_share_dictionaries), else INVALID_ARGUMENT. */
  const salesight_table* share_dictionaries;
  /* PAYMENTS only (required there): the invoices table payments refer to. */
  const salesight_table* invoices;
  int32_t has_header;          /* default 1; 0 = columns are named "1", "2", ... */
  int32_t money_scale;         /* default -1 = the smallest scale (<= 6) holding every amount */
  int32_t stop_on_first_error; /* default 0; 1 = the first bad row is the error */
  int32_t reserved;            /* must be 0 */
  int64_t max_rejects_kept;    /* default 1000: rejects kept in the report (all are counted) */
  /* Appended in 0.19 (read only when struct_size covers them). */
  /* The file's text encoding: NULL or "auto" (UTF-16 by its byte order mark,
   * else UTF-8; a file that is not UTF-8 but reads as GB18030 is an
   * INVALID_ARGUMENT error showing its header both ways), "utf-8",
   * "gb18030" ("gbk" reads as gb18030), "utf-16". */
  const char* encoding;
  /* Document-style exports (a document's header fields on its first line
   * only): "COL,..." header columns carried down to the document's other
   * lines; the first one starts a document when not empty. NULL = none. */
  const char* fill_down;
  /* NULL, or the header column holding a document's amount on its first
   * line: checked against the sum of the document's line amounts, never
   * added to them (needs fill_down). */
  const char* document_total;
  int32_t excel_dates; /* default 0; 1 = 1..5-digit numbers in date fields are
                        * Excel serial dates (1900 system, 45293 = 2024-01-02) */
  int32_t reserved2;   /* must be 0 */
  /* Appended after 0.2.0 (read only when struct_size covers it). An export
   * preset: "kingdee", "yonyou", "odoo", "erpnext", "sap_b1" or the path of a
   * preset JSON file (README "Export presets"): the column captions of that
   * ERP's exports for this kind's
   * fields (orders, customers, products, invoices, payments; other kinds are
   * unchanged). `mapping` wins field by field; the preset's encoding, date
   * format and fill-down apply when those options are unset. NULL = none. */
  const char* preset;
  /* Appended after 0.2.0 (read only when struct_size covers it). Threads
   * reading an ORDERS file (default 0 = one per core; other kinds, files
   * without a header, fill-down and non-UTF-8 encodings read with 1). The
   * table, ids and report are the same for any value (README "Parallel
   * reading"). */
  int32_t num_threads;
  int32_t reserved3; /* must be 0 */
} salesight_csv_options;

#define SALESIGHT_CSV_OPTIONS_INIT \
  { (uint32_t)sizeof(salesight_csv_options), ',', '"', '.', 0, NULL, NULL, NULL, NULL, NULL, \
    1, -1, 0, 0, 1000, NULL, NULL, NULL, 0, 0, NULL, 0, 0 }

/* Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_csv_options_init(salesight_csv_options* options,
                                                          size_t struct_size);

/* Reads a CSV export of `kind` (RFC 4180, streaming) into a table. Bad rows
 * do not fail the call: they are counted and listed in the report (unless
 * stop_on_first_error). out_report may be NULL. On failure *out_table and
 * *out_report are NULL.
 * Errors: INVALID_ARGUMENT (NULL path/out_table, bad mapping - the message
 * lists the valid fields -, a required field not bound, a bad row with
 * stop_on_first_error: "<path> line <L>, column '<name>': <reason>"), IO
 * (the file cannot be read), UNSUPPORTED (options from a newer header). */
SALESIGHT_API salesight_status salesight_csv_read(salesight_table_kind kind, const char* path,
                                                  const salesight_csv_options* options,
                                                  salesight_table** out_table,
                                                  salesight_csv_report** out_report);
/* salesight_csv_read(SALESIGHT_TABLE_ORDERS, ...). */
SALESIGHT_API salesight_status salesight_csv_read_orders(const char* path,
                                                         const salesight_csv_options* options,
                                                         salesight_table** out_table,
                                                         salesight_csv_report** out_report);

/* Frees a report; NULL is a no-op. */
SALESIGHT_API void salesight_csv_report_destroy(salesight_csv_report* report);
/* Data lines (records; the header and blank lines excluded), accepted rows and
 * rejected rows. Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_csv_report_data_lines(const salesight_csv_report* report,
                                                               int64_t* out);
SALESIGHT_API salesight_status salesight_csv_report_accepted(const salesight_csv_report* report,
                                                             int64_t* out);
SALESIGHT_API salesight_status salesight_csv_report_rejected(const salesight_csv_report* report,
                                                             int64_t* out);
/* The kept rejects as a new result (destroy it): columns line (INT64, file
 * line, header = 1), column, value, reason (STRING). */
SALESIGHT_API salesight_status salesight_csv_report_rejects(const salesight_csv_report* report,
                                                            salesight_result** out);
/* A count of the report by name: "data_lines", "accepted", "rejected",
 * "total_rows", "filled_down" (accepted rows with fields filled down) or
 * "total_mismatches" (total rows and documents whose amount is not the sum
 * of their lines). Errors: INVALID_ARGUMENT (NULL, unknown name). */
SALESIGHT_API salesight_status salesight_csv_report_count(const salesight_csv_report* report,
                                                          const char* name, int64_t* out);
/* The rows kept out of the data or completed, as a new result (destroy it):
 * line, column, value, reason, the reason starting "total row: ", "filled
 * down: " or "document total mismatch: ". At most max_rejects_kept. */
SALESIGHT_API salesight_status salesight_csv_report_notes(const salesight_csv_report* report,
                                                          salesight_result** out);
/* A readable summary (counts per reason, then the first rejects); owned by
 * the report. */
SALESIGHT_API salesight_status salesight_csv_report_summary(const salesight_csv_report* report,
                                                            const char** out);


/* ================================================================ calculators
 *
 * Every calculator: salesight_<x>_compute(tables..., options, &out) -> a new
 * result (destroy it). NULL options = defaults. Inputs are only read, so any
 * number of threads may compute on the same tables at once. The result's
 * columns are the CLI's (see the README); `output` picks which of a
 * calculator's tables is returned. Money columns are MONEY at the input's
 * scale; codes print as the ERP's codes when the table has them (else the id
 * as text). Definitions are stated in the README's definitions table. */

/* Period grains (funnel, margin, trend). */
#define SALESIGHT_PERIOD_NONE 0
#define SALESIGHT_PERIOD_DAY 1
#define SALESIGHT_PERIOD_WEEK 2 /* ISO week, Monday first */
#define SALESIGHT_PERIOD_MONTH 3
#define SALESIGHT_PERIOD_QUARTER 4
#define SALESIGHT_PERIOD_YEAR 5

/* Label languages. */
#define SALESIGHT_LANG_EN 0
#define SALESIGHT_LANG_ZH 1

/* ---------------------------------------------------------------------- RFM */

#define SALESIGHT_RFM_FREQUENCY_ORDERS 0 /* distinct orders (default) */
#define SALESIGHT_RFM_FREQUENCY_DAYS 1   /* distinct purchase days */

#define SALESIGHT_RFM_MONETARY_REVENUE 0 /* net amount (default) */
#define SALESIGHT_RFM_MONETARY_MARGIN 1  /* amount - cost (needs cost or unit_cost) */

#define SALESIGHT_RFM_SCORING_QUANTILE 0 /* value thresholds; ties share a score (default) */
#define SALESIGHT_RFM_SCORING_NTILE 1    /* SQL NTILE, customer id breaks ties */
#define SALESIGHT_RFM_SCORING_FIXED 2    /* user thresholds (fixed_* below) */

#define SALESIGHT_RFM_SEGMENTS_TIERS 0    /* high_value, new, potential, churn_risk, low_value, regular (default) */
#define SALESIGHT_RFM_SEGMENTS_CLASSIC 1  /* champions ... lost (score based, k = 5) */
#define SALESIGHT_RFM_SEGMENTS_WORKLOAD 2 /* WORKLOADS.md (a) rule table (k = 5) */
#define SALESIGHT_RFM_SEGMENTS_CUSTOM 3   /* `rules` text */
#define SALESIGHT_RFM_SEGMENTS_RELATIVE_TIERS 4 /* the tiers with cuts from the data's quantiles (README Definitions) */

/* RFM by a dimension (`by`): what is scored together (README, Definitions). */
#define SALESIGHT_RFM_BY_LINES 0    /* each member's lines, scored among that member's customers (default) */
#define SALESIGHT_RFM_BY_CUSTOMER 1 /* one scoring over all customers; one member per customer, else an error */

/* RFM outputs. */
#define SALESIGHT_RFM_OUTPUT_CUSTOMERS 0     /* customer, recency_days, frequency, monetary, r, f, m, segment */
#define SALESIGHT_RFM_OUTPUT_DETAIL 1        /* ... + first_purchase, order_lines, returns, tenure_days, total */
#define SALESIGHT_RFM_OUTPUT_SEGMENTS 2      /* segment, customers, customer_share, revenue, revenue_share, orders, average_order_value, note (why a segment is empty) */
#define SALESIGHT_RFM_OUTPUT_PARETO 3        /* customers, customer_share, revenue, revenue_share (100 points) */
#define SALESIGHT_RFM_OUTPUT_NEW_RETURNING 4 /* period, new_customers, returning_customers, new_revenue, returning_revenue (monthly) */

typedef struct salesight_rfm_options {
  uint32_t struct_size;
  int32_t as_of;          /* default SALESIGHT_NO_DATE = the day after the last order */
  int32_t window_days;    /* default 0 = all history up to as_of */
  int32_t frequency;      /* SALESIGHT_RFM_FREQUENCY_*; default ORDERS */
  int32_t monetary;       /* SALESIGHT_RFM_MONETARY_*; default REVENUE */
  int32_t mean_per_order; /* default 0 = sum; 1 = mean per order (rounded half away from zero) */
  int32_t all_lines_are_purchases; /* default 0: amount < 0 lines are returns; 1 = every line counts */
  int32_t scoring;        /* SALESIGHT_RFM_SCORING_*; default QUANTILE */
  int32_t k;              /* scores 1..k; default 5 */
  int32_t segments;       /* SALESIGHT_RFM_SEGMENTS_*; default TIERS */
  int32_t language;       /* SALESIGHT_LANG_*; default EN (segment labels) */
  int32_t num_threads;    /* default 1; 0 = all cores */
  /* CUSTOM segments: one rule per line "label_en|label_zh|recency<30 and
   * frequency>10 or r>=4" (fields recency, frequency, monetary, total, r, f,
   * m, tenure, orders_per_year, amount_per_year, lines, returns). */
  const char* rules;
  /* FIXED scoring: k-1 strictly ascending thresholds each (recency in days,
   * frequency in orders, monetary in currency units). */
  const int32_t* fixed_recency_days;
  const int32_t* fixed_frequency;
  const double* fixed_monetary;
  int32_t output;   /* SALESIGHT_RFM_OUTPUT_*; default CUSTOMERS */
  int32_t reserved; /* must be 0 */
  /* Since 0.3 (appended; older callers' struct_size leaves the defaults).
   * `by`: a dimension of the orders table - a field (region, salesperson,
   * channel, ...) or an attribute column ("attr:<name>" when built) by its
   * name; NULL or "" (default) = one population. The CUSTOMERS, DETAIL and
   * SEGMENTS outputs then start with a column named after it (by_<name> if
   * that name is taken), one block of rows per member in label order;
   * PARETO and NEW_RETURNING take no `by` (INVALID_ARGUMENT). */
  const char* by;
  int32_t by_scope;  /* SALESIGHT_RFM_BY_*; default LINES */
  int32_t reserved2; /* must be 0 */
  /* Appended (older callers' struct_size leaves the defaults): CLV columns
   * (README "Customer lifetime value" and Definitions). clv_model adds
   * p_alive, expected_purchases and clv after `segment` (CUSTOMERS, DETAIL):
   * the model, with Gamma-Gamma spend, fitted on the same order lines at
   * as_of (time from each customer's first purchase in clv_time_unit).
   * value_measure CLV: the M score (and so the tiers) ranks clv instead of
   * monetary. Not with `by` (INVALID_ARGUMENT). */
  int32_t clv_model;     /* SALESIGHT_RFM_CLV_*; default NONE */
  int32_t clv_time_unit; /* SALESIGHT_CLV_UNIT_*; default WEEK */
  int32_t clv_horizon;   /* time units ahead, >= 1; default 12 */
  int32_t value_measure; /* SALESIGHT_RFM_VALUE_*; default MONETARY */
  double clv_discount;   /* per time unit, > -1; default 0 */
  double clv_margin;     /* share of spend kept; default 1 */
} salesight_rfm_options;

#define SALESIGHT_RFM_CLV_NONE 0
#define SALESIGHT_RFM_CLV_BGNBD 1
#define SALESIGHT_RFM_CLV_PARETO_NBD 2
#define SALESIGHT_RFM_VALUE_MONETARY 0 /* M ranks monetary (default) */
#define SALESIGHT_RFM_VALUE_CLV 1      /* M ranks clv (needs clv_model) */

#define SALESIGHT_RFM_OPTIONS_INIT                                                      \
  { (uint32_t)sizeof(salesight_rfm_options), SALESIGHT_NO_DATE, 0, 0, 0, 0, 0, 0, 5, 0, \
    0, 1, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 0, 0, 1, 12, 0, 0.0, 1.0 }

SALESIGHT_API salesight_status salesight_rfm_options_init(salesight_rfm_options* options,
                                                          size_t struct_size);

/* Recency, frequency, monetary, scores and segments per customer of an
 * ORDERS table (the definitions are in the README). Errors:
 * INVALID_ARGUMENT (NULL, not an orders table, bad option value, a bad rule
 * table - the message names its line), UNSUPPORTED (newer options with a
 * non-zero tail), OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_rfm_compute(const salesight_table* orders,
                                                     const salesight_rfm_options* options,
                                                     salesight_result** out);

/* ------------------------------------------------------------------- funnel */

#define SALESIGHT_FUNNEL_COHORT 0   /* opportunities created in [from, to] (default) */
#define SALESIGHT_FUNNEL_ACTIVITY 1 /* stage entries dated in [from, to] */
#define SALESIGHT_FUNNEL_SNAPSHOT 2 /* open pipeline as of as_of (required) */

#define SALESIGHT_COMPARE_NONE 0
#define SALESIGHT_COMPARE_PREVIOUS 1  /* the previous period */
#define SALESIGHT_COMPARE_LAST_YEAR 2 /* the same period one year earlier */

/* Funnel outputs. */
#define SALESIGHT_FUNNEL_OUTPUT_TABLE 0       /* CLI table: groups, <stage>_count, _step_conv, _cum_conv, _median_days, win_rate, cycle_days */
#define SALESIGHT_FUNNEL_OUTPUT_DETAILED 1    /* every metric, first row = overall */
#define SALESIGHT_FUNNEL_OUTPUT_BOTTLENECKS 2 /* group, stage, kind, value, baseline, sample, revenue_at_stake, explanation */
/* WORKLOADS.md (b): these two ignore every option but num_threads. */
#define SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_OVERALL 3
#define SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_GROUP 4

typedef struct salesight_funnel_options {
  uint32_t struct_size;
  int32_t mode;                   /* SALESIGHT_FUNNEL_*; default COHORT */
  int32_t from;                   /* inclusive; SALESIGHT_NO_DATE (default) = unbounded */
  int32_t to;                     /* inclusive; SALESIGHT_NO_DATE (default) = unbounded */
  int32_t as_of;                  /* later dates are ignored; default SALESIGHT_NO_DATE = no cut */
  int32_t period;                 /* SALESIGHT_PERIOD_* of the created date; default NONE */
  int32_t compare;                /* SALESIGHT_COMPARE_*; needs a period; default NONE */
  int32_t implied_reached;        /* default 1: a later stage implies the earlier ones */
  int32_t include_backwards_gaps; /* default 0: gaps of backwards dates are excluded */
  int32_t compute_outcomes;       /* default 1: won/lost, win rates, velocity, weighted pipeline */
  int32_t compute_bottlenecks;    /* default 1 */
  int32_t num_threads;            /* default 1; 0 = all cores */
  /* Comma-separated group keys in order: "region", "salesperson", "source";
   * NULL or "" (default) = only the overall row. */
  const char* group_by;
  const char* won_stage;          /* NULL (default) = the stage named "won", else the last */
  const char* qualified_stage;    /* NULL (default) = the stage after the first */
  double bottleneck_margin;       /* default 0.2 (relative to the company baseline) */
  int64_t bottleneck_min_sample;  /* default 30 */
  int32_t output;                 /* SALESIGHT_FUNNEL_OUTPUT_*; default TABLE */
  int32_t reserved;               /* must be 0 */
} salesight_funnel_options;

#define SALESIGHT_FUNNEL_OPTIONS_INIT                                                    \
  { (uint32_t)sizeof(salesight_funnel_options), 0, SALESIGHT_NO_DATE, SALESIGHT_NO_DATE, \
    SALESIGHT_NO_DATE, 0, 0, 1, 0, 1, 1, 1, NULL, NULL, NULL, 0.2, 30, 0, 0 }

SALESIGHT_API salesight_status salesight_funnel_options_init(salesight_funnel_options* options,
                                                             size_t struct_size);

/* Stage counts, step and cumulative conversion, days between stages, win
 * rates, cycle, velocity, weighted pipeline and bottlenecks of a PIPELINE
 * table. Errors: INVALID_ARGUMENT (NULL, not a pipeline, bad option value or
 * group key), UNSUPPORTED (newer options with a non-zero tail),
 * OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_funnel_compute(const salesight_table* pipeline,
                                                        const salesight_funnel_options* options,
                                                        salesight_result** out);

/* ------------------------------------------------------------------- margin */

/* Margin outputs. */
#define SALESIGHT_MARGIN_OUTPUT_TABLE 0       /* <groups>, quantity, revenue, cost, margin, margin_pct, revenue_share, margin_share [, abc] [, quadrant] */
#define SALESIGHT_MARGIN_OUTPUT_RANKING 1     /* rank, <groups>, ... : top/bottom rank_n by rank_metric */
#define SALESIGHT_MARGIN_OUTPUT_ABC 2         /* rank, <groups>, value, share, cumulative_share, abc */
#define SALESIGHT_MARGIN_OUTPUT_QUADRANT 3    /* product, category, revenue, revenue_prior, margin, growth, relative_share, margin_pct, quadrant */
#define SALESIGHT_MARGIN_OUTPUT_SLOW_MOVERS 4 /* product, last_sale, days_since_sale, window_quantity, window_revenue, no_recent_sale, bottom_quantity */

#define SALESIGHT_METRIC_REVENUE 0
#define SALESIGHT_METRIC_QUANTITY 1
#define SALESIGHT_METRIC_MARGIN 2
#define SALESIGHT_METRIC_MARGIN_PCT 3

typedef struct salesight_margin_options {
  uint32_t struct_size;
  int32_t from;               /* inclusive order_date bound; default SALESIGHT_NO_DATE = none */
  int32_t to;                 /* inclusive; default SALESIGHT_NO_DATE = none */
  int32_t as_of;              /* quadrant period end / slow movers; default NO_DATE = last order */
  /* Comma-separated dimensions in order: product, category (needs products),
   * customer, region, salesperson, channel, department, order, and at most
   * one period: day, week, month, quarter, year. NULL (default) = "product";
   * "" = one grand-total row. */
  const char* group_by;
  int32_t tier_cost_first;    /* default 0: standard cost, else the quantity tier; 1 = tier first */
  int32_t unknown_cost_error; /* default 0: lines without a cost are reported, not costed; 1 = error */
  int32_t plain_margin_share; /* default 0: share = margin / |total margin|; 1 = margin / total */
  int32_t num_threads;        /* default 1; 0 = all cores */
  int32_t abc;                /* 0 (default) none, else SALESIGHT_METRIC_REVENUE + 1 or SALESIGHT_METRIC_MARGIN + 1: adds the abc column / basis of OUTPUT_ABC */
  int32_t quadrant;           /* default 0; 1 = adds the quadrant column (single product or category grouping) */
  int32_t language;           /* SALESIGHT_LANG_*; default EN */
  int32_t output;             /* SALESIGHT_MARGIN_OUTPUT_*; default TABLE */
  int32_t rank_metric;        /* SALESIGHT_METRIC_*; default MARGIN */
  int32_t rank_bottom;        /* default 0 = top; 1 = bottom */
  int64_t rank_n;             /* default 10 */
  int32_t no_sale_days;       /* slow movers: default 90 */
  int32_t reserved;           /* must be 0 */
} salesight_margin_options;

#define SALESIGHT_MARGIN_OPTIONS_INIT                                                    \
  { (uint32_t)sizeof(salesight_margin_options), SALESIGHT_NO_DATE, SALESIGHT_NO_DATE,    \
    SALESIGHT_NO_DATE, NULL, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 10, 90, 0 }

SALESIGHT_API salesight_status salesight_margin_options_init(salesight_margin_options* options,
                                                             size_t struct_size);

/* Revenue, cost, margin and shares per group of an ORDERS table; `products`
 * (may be NULL) supplies standard costs, cost tiers and categories. Cost per
 * line: the cost column, else quantity x unit_cost, else the product's
 * standard cost or tier cost; otherwise the line is counted as "cost unknown"
 * and left out of cost and margin (never a silent zero).
 * Errors: INVALID_ARGUMENT (NULL, wrong table kinds, bad dimension),
 * UNSUPPORTED (newer options), OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_margin_compute(const salesight_table* orders,
                                                        const salesight_table* products,
                                                        const salesight_margin_options* options,
                                                        salesight_result** out);

/* -------------------------------------------------------------- quote check */

/* A prepared deal-desk index over products, customers and open receivables.
 * Immutable: any number of threads may check quotes on it at once. */
typedef struct salesight_quote_index salesight_quote_index;

typedef struct salesight_quote_options {
  uint32_t struct_size;
  int32_t tier_cost_first;   /* default 1: the quantity tier, else the standard cost */
  double margin_floor_pct;   /* default 10.0 (percent) */
  int32_t receivables_as_of; /* open receivables at this day; default NO_DATE = the last invoice date */
  int32_t language;          /* warnings text: SALESIGHT_LANG_*; default EN */
} salesight_quote_options;

#define SALESIGHT_QUOTE_OPTIONS_INIT \
  { (uint32_t)sizeof(salesight_quote_options), 1, 10.0, SALESIGHT_NO_DATE, 0 }

SALESIGHT_API salesight_status salesight_quote_options_init(salesight_quote_options* options,
                                                            size_t struct_size);

/* Builds the index. `invoices` (may be NULL: no open receivables) and
 * `payments` (may be NULL: use the invoices' paid columns) give the exposure.
 * The tables may be destroyed afterwards. Errors: INVALID_ARGUMENT (NULL,
 * wrong kinds), UNSUPPORTED, OUT_OF_RANGE. */
SALESIGHT_API salesight_status salesight_quote_index_create(
    const salesight_table* products, const salesight_table* customers,
    const salesight_table* invoices, const salesight_table* payments,
    const salesight_quote_options* options, salesight_quote_index** out);
SALESIGHT_API void salesight_quote_index_destroy(salesight_quote_index* index);
/* Money scale of unit_price and of the results. */
SALESIGHT_API salesight_status salesight_quote_index_money_scale(
    const salesight_quote_index* index, int32_t* out);
/* Checks one quote by ERP codes: one result row with customer, product,
 * quantity, unit_price, date, unit_cost, cost_source, tier_min_quantity,
 * revenue, cost, margin, margin_pct, open_receivables, exposure, credit_limit,
 * credit_headroom, warnings ("below_cost,below_margin_floor,
 * over_credit_limit"). unit_price is in minor units at the index's scale.
 * Errors: INVALID_ARGUMENT (NULL, quantity <= 0, negative price, bad date),
 * UNKNOWN_COLUMN is never returned; an unknown customer or product code is
 * INVALID_ARGUMENT naming it; a product without any cost is INVALID_ARGUMENT. */
SALESIGHT_API salesight_status salesight_quote_check(const salesight_quote_index* index,
                                                     const char* customer, const char* product,
                                                     int32_t quantity, int64_t unit_price,
                                                     int32_t date, salesight_result** out);

/* -------------------------------------------------------- dashboard metrics */

/* More SALESIGHT_METRIC_* values (trend compare_measure, contribution
 * measure, leaderboard rank_by; each lists the ones it accepts). */
#define SALESIGHT_METRIC_ORDERS 4            /* distinct orders */
#define SALESIGHT_METRIC_COLLECTIONS 5       /* payments received */
#define SALESIGHT_METRIC_WON 6               /* won deals */
#define SALESIGHT_METRIC_WIN_RATE 7          /* won / (won + lost) */
#define SALESIGHT_METRIC_COLLECTION_RATE 8   /* collected / billed */
#define SALESIGHT_METRIC_TARGET_ATTAINMENT 9 /* revenue / target */

/* Trend only: compare with the period's target (needs a TARGETS table). */
#define SALESIGHT_COMPARE_TARGET 3

/* ------------------------------------------------------------------- aging */

/* Aging outputs (one options struct, one function: the aging table, the
 * overdue list and the data issues come from one aging computation; the
 * collection table from the collection computation over the same invoices). */
#define SALESIGHT_AGING_OUTPUT_TABLE 0      /* [<group>,] one money column per bucket (b_current, b_1_30, b_31_60, b_61_90, b_over_90 by default), total */
#define SALESIGHT_AGING_OUTPUT_OVERDUE 1    /* invoice, customer, due_date, amount, outstanding, days_past_due */
#define SALESIGHT_AGING_OUTPUT_ISSUES 2     /* issue, count, amount, example_rows ("3;17;42") */
#define SALESIGHT_AGING_OUTPUT_COLLECTION 3 /* [<group>,] invoices_due, billed, collected, collection_rate, credit_sales, ar_beginning, ar_ending, ar_ending_current, dso, cei, avg_days_to_pay, on_time_rate */

#define SALESIGHT_AGE_FROM_DUE_DATE 0     /* age = as_of - due_date: days past due (default) */
#define SALESIGHT_AGE_FROM_INVOICE_DATE 1 /* age = as_of - invoice_date */

#define SALESIGHT_DAYS_TO_PAY_PLAIN 0           /* plain mean over fully paid invoices (default) */
#define SALESIGHT_DAYS_TO_PAY_AMOUNT_WEIGHTED 1 /* weighted by invoice amount */

typedef struct salesight_aging_options {
  uint32_t struct_size;
  int32_t as_of;       /* REQUIRED: the knowledge date (SALESIGHT_NO_DATE = an error) */
  int32_t age_basis;   /* SALESIGHT_AGE_FROM_*; default DUE_DATE (aging table only) */
  int32_t num_cutoffs; /* 0 (default) = the cut-offs {0, 30, 60, 90} */
  /* num_cutoffs strictly ascending bucket cut-offs in days (1..1000 of them,
   * each in -1000000..1000000; copied during the call): bucket 0 is age <=
   * c0, bucket j is c(j-1) < age <= cj, the last is age > c(k-1). */
  const int32_t* cutoffs;
  /* A dimension name of the invoices: "customer", "salesperson", "region",
   * any attribute column, or a field / attribute of the customers; "" = one
   * row without a group column. NULL (default) = "customer" for the aging
   * table and "salesperson" for the collection table. An unknown name is
   * SALESIGHT_ERR_INVALID_ARGUMENT naming the valid ones. */
  const char* group_by;
  int64_t overdue_top_n; /* overdue list length; default 100; -1 = all; 0 = none */
  int32_t max_examples;  /* example invoice rows per issue; default 5 */
  int32_t num_threads;   /* default 1; 0 = all cores */
  int32_t output;        /* SALESIGHT_AGING_OUTPUT_*; default TABLE */
  /* Collection only (output COLLECTION): the period [from, to] of due dates. */
  int32_t from;        /* inclusive; default SALESIGHT_NO_DATE = unbounded below */
  int32_t to;          /* inclusive; default SALESIGHT_NO_DATE = as_of; after as_of = an error */
  int32_t days_to_pay; /* SALESIGHT_DAYS_TO_PAY_*; default PLAIN */
  /* default 0; 1 = only invoices_due, billed, collected, collection_rate
   * (the other columns 0 / null) and only groups with an invoice due:
   * with from unbounded, WORKLOADS.md (d)'s ar_salesperson. */
  int32_t rate_only;
  int32_t reserved; /* must be 0 */
} salesight_aging_options;

#define SALESIGHT_AGING_OPTIONS_INIT                                                   \
  { (uint32_t)sizeof(salesight_aging_options), SALESIGHT_NO_DATE, 0, 0, NULL, NULL, \
    100, 5, 1, 0, SALESIGHT_NO_DATE, SALESIGHT_NO_DATE, 0, 0, 0 }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_aging_options_init(salesight_aging_options* options,
                                                            size_t struct_size);

/* Receivables of an INVOICES table as of options->as_of: the aging table,
 * the overdue list, the data issues found, or the collection table (collection
 * rate, DSO, CEI, average days to pay, on-time rate), picked by `output`.
 * `payments` (may be NULL) is the only payment source when given (a PAYMENTS
 * table built against these invoices); otherwise the invoices' paid /
 * paid_date columns; with neither, nothing is paid. Definitions (boundaries,
 * overpayments, prepayments, DSO, CEI) are in the README and in
 * include/salesight/receivables.hpp. The tables are only read: any number of
 * threads may compute on them at once; the result is theirs to destroy.
 * Errors: INVALID_ARGUMENT (NULL invoices/out, wrong table kinds, as_of
 * missing, bad option value or group key, cut-offs not strictly ascending,
 * `to` after as_of, a group column the invoices lack), UNSUPPORTED (newer
 * options with a non-zero tail, reserved != 0), OUT_OF_RANGE (a money sum
 * overflows). */
SALESIGHT_API salesight_status salesight_aging_compute(const salesight_table* invoices,
                                                       const salesight_table* payments,
                                                       const salesight_aging_options* options,
                                                       salesight_result** out);

/* ------------------------------------------------------------------- trend */

#define SALESIGHT_TREND_OUTPUT_TABLE 0   /* period, [<group>,] revenue, margin, orders, revenue_compare, growth_pct, growth_diff, growth_ratio, [target,] [collections,] lines */
#define SALESIGHT_TREND_OUTPUT_TO_DATE 1 /* kind (MTD/QTD/YTD), [<group>,] begin, end, ly_begin, ly_end, revenue, revenue_ly, margin, margin_ly, orders, orders_ly, [collections, collections_ly,] growth_pct, growth_diff, growth_ratio (needs as_of) */

typedef struct salesight_trend_options {
  uint32_t struct_size;
  int32_t grain;           /* SALESIGHT_PERIOD_DAY..YEAR; default MONTH (NONE is invalid) */
  int32_t compare;         /* SALESIGHT_COMPARE_PREVIOUS, _LAST_YEAR (default) or _TARGET */
  int32_t compare_measure; /* SALESIGHT_METRIC_REVENUE (default), _MARGIN, _ORDERS or _COLLECTIONS */
  /* "region", "salesperson" or "channel": a trend per group; NULL or ""
   * (default) = one trend. */
  const char* group_by;
  int32_t from;               /* inclusive order_date bound; default SALESIGHT_NO_DATE = none */
  int32_t to;                 /* inclusive; default SALESIGHT_NO_DATE = none */
  int32_t as_of;              /* period-to-date windows (TO_DATE); default NO_DATE = none */
  int32_t emit_empty_periods; /* default 1: zero-filled periods, no gaps; 0 = periods with data only */
  int32_t with_margin;        /* default 1: margin when a cost source exists (a second pass) */
  int32_t count_orders;       /* default 1: distinct orders; 0 = the orders column is null */
  int32_t tier_cost_first;    /* margin costs: default 0 = standard cost, 1 = quantity tier first */
  int32_t num_threads;        /* default 1; 0 = all cores */
  int64_t max_cells;          /* groups x days of the date window; default 16777216 */
  int32_t output;             /* SALESIGHT_TREND_OUTPUT_*; default TABLE */
  int32_t reserved;           /* must be 0 */
} salesight_trend_options;

#define SALESIGHT_TREND_OPTIONS_INIT                                                        \
  { (uint32_t)sizeof(salesight_trend_options), SALESIGHT_PERIOD_MONTH,                      \
    SALESIGHT_COMPARE_LAST_YEAR, SALESIGHT_METRIC_REVENUE, NULL, SALESIGHT_NO_DATE,         \
    SALESIGHT_NO_DATE, SALESIGHT_NO_DATE, 1, 1, 1, 0, 1, 16777216, 0, 0 }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_trend_options_init(salesight_trend_options* options,
                                                            size_t struct_size);

/* Revenue, margin, orders and collections per period of an ORDERS table,
 * compared with the previous period, the same period last year or the
 * target, with growth as difference, percentage and ratio (null - never
 * NaN or infinity - where the base is missing or 0). Only `orders` is
 * required: `products` (may be NULL) gives standard / tier costs for the
 * margin, `invoices` (may be NULL) the collections (by payment date, from
 * `payments` when given, else the invoices' paid / paid_date; `payments`
 * needs `invoices`), `targets` (may be NULL; needed by COMPARE_TARGET) the
 * target column (monthly targets spread to days by calendar days). Periods
 * print as "2019-03-05", "2019-W05" (ISO week), "2019-03", "2019-Q1", "2019";
 * ISO week 53 and Feb 29 have no last-year base. Definitions: README and
 * include/salesight/trend.hpp. Thread safety as for every calculator.
 * Errors: INVALID_ARGUMENT (NULL orders/out, wrong table kinds, bad option
 * value or group key, payments without invoices, invoices with neither
 * payments nor paid / paid_date columns, compare TARGET without targets, a
 * group the orders, invoices or targets cannot carry), UNSUPPORTED (newer
 * options, reserved != 0), OUT_OF_MEMORY (the date window holds more than
 * max_cells groups x days: narrow from / to), OUT_OF_RANGE (a money sum
 * overflows). */
SALESIGHT_API salesight_status salesight_trend_compute(
    const salesight_table* orders, const salesight_table* products,
    const salesight_table* invoices, const salesight_table* payments,
    const salesight_table* targets, const salesight_trend_options* options,
    salesight_result** out);

/* ------------------------------------------------------------ contribution */

typedef struct salesight_contribution_options {
  uint32_t struct_size;
  int32_t measure; /* SALESIGHT_METRIC_REVENUE (default) or SALESIGHT_METRIC_MARGIN */
  /* One or two comma-separated dimension names of the order lines: region,
   * department, channel, category (needs products), salesperson, customer,
   * any attribute column, or a field / attribute of the products. NULL
   * (default) = "region". */
  const char* by;
  int32_t from;            /* inclusive order_date bound; default SALESIGHT_NO_DATE = none */
  int32_t to;              /* inclusive; default SALESIGHT_NO_DATE = none */
  int32_t decimals;        /* of share_pct, 0..6; default 1 */
  int32_t tier_cost_first; /* margin costs: default 0 = standard cost, 1 = quantity tier first */
  int32_t num_threads;     /* default 1; 0 = all cores */
  int32_t reserved;        /* must be 0 */
} salesight_contribution_options;

#define SALESIGHT_CONTRIBUTION_OPTIONS_INIT                                          \
  { (uint32_t)sizeof(salesight_contribution_options), SALESIGHT_METRIC_REVENUE, NULL, \
    SALESIGHT_NO_DATE, SALESIGHT_NO_DATE, 1, 0, 1, 0 }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_contribution_options_init(
    salesight_contribution_options* options, size_t struct_size);

/* Each item's share of total revenue or margin of an ORDERS table: columns
 * <by>[, <by2>], value (MONEY), share (FLOAT64, value / total), share_pct
 * (MONEY-typed fixed point with scale = decimals: the percentages, rounded by
 * the largest-remainder method so that they sum to exactly 100). A total of
 * 0 gives null shares. `products` (may be NULL) gives categories and costs.
 * Errors: INVALID_ARGUMENT (NULL orders/out, wrong table kinds, bad option
 * value or dimension, more than two dimensions), UNSUPPORTED (newer
 * options, reserved != 0), OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_contribution_compute(
    const salesight_table* orders, const salesight_table* products,
    const salesight_contribution_options* options, salesight_result** out);

/* ------------------------------------------------------------- leaderboard */

typedef struct salesight_leaderboard_options {
  uint32_t struct_size;
  int32_t from;  /* inclusive period start; default SALESIGHT_NO_DATE = unbounded */
  int32_t to;    /* inclusive period end; default SALESIGHT_NO_DATE = unbounded */
  int32_t as_of; /* knowledge date for deals and payments; default NO_DATE = `to` */
  /* SALESIGHT_METRIC_REVENUE (default), _MARGIN, _ORDERS, _WON, _WIN_RATE,
   * _COLLECTION_RATE or _TARGET_ATTAINMENT; descending, nulls last, ties by
   * salesperson id. */
  int32_t rank_by;
  int32_t num_threads; /* default 1; 0 = all cores */
  int32_t reserved;    /* must be 0 */
} salesight_leaderboard_options;

#define SALESIGHT_LEADERBOARD_OPTIONS_INIT                                                \
  { (uint32_t)sizeof(salesight_leaderboard_options), SALESIGHT_NO_DATE, SALESIGHT_NO_DATE, \
    SALESIGHT_NO_DATE, SALESIGHT_METRIC_REVENUE, 1, 0 }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_leaderboard_options_init(
    salesight_leaderboard_options* options, size_t struct_size);

/* One row per salesperson, in rank order: rank, salesperson, revenue,
 * margin, orders, won, lost, win_rate, collection_rate, target, attainment
 * over the period [from, to]. `orders` (with a salesperson column) is
 * required; every other table may be NULL and then its columns are null:
 * `products` (costs for margin), `pipeline` (won / lost / win rate; needs a
 * salesperson column), `invoices` + `payments` (collection rate; payments
 * need invoices), `targets` (level SALESIGHT_TARGET_SALESPERSON: target and
 * attainment). Tables sharing salespeople must share their dictionaries
 * (salesight_table_builder_share_dictionaries) so the ids agree. Definitions:
 * README and include/salesight/leaderboard.hpp.
 * Errors: INVALID_ARGUMENT (NULL orders/out, wrong table kinds, bad option
 * value, payments without invoices, as_of missing with a pipeline or
 * invoices and no `to`, `to` after as_of, a missing salesperson column,
 * money scales that differ), UNSUPPORTED (newer options, reserved != 0),
 * OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_leaderboard_compute(
    const salesight_table* orders, const salesight_table* products,
    const salesight_table* pipeline, const salesight_table* invoices,
    const salesight_table* payments, const salesight_table* targets,
    const salesight_leaderboard_options* options, salesight_result** out);

/* ----------------------------------------------------------- partial states */

/* A mergeable partial state of one calculator over some rows (a partition):
 * build one per partition, merge them in any grouping, serialize them to
 * bytes to move them between processes or machines, and finish once. The
 * result equals the calculator's compute over all the rows. Typical use:
 * Dask or Spark workers each build and serialize a partial, a tree of merges
 * combines them, the client finishes.
 *
 * Requirements of the partitions:
 *   - every partition's table maps codes to ids the same way (the same
 *     integer ids, or dictionaries with the same contents): partials hold ids,
 *     and the serialized bytes hold no dictionary; results print ids as text;
 *   - RFM with FREQUENCY_ORDERS: the partitions are split by order id - two
 *     partials may share at most ONE order id, the largest of one and the
 *     smallest of the other (e.g. contiguous row ranges of lines sorted by
 *     order). Merge in that order (a chain or a tree of neighbours); merging
 *     partials whose order-id ranges overlap more fails with INVALID_ARGUMENT
 *     and leaves `into` unchanged. FREQUENCY_DAYS: the same per customer for
 *     purchase days (partitions split by date);
 *   - RFM with window_days > 0 needs an explicit as_of.
 * Funnel, margin, aging, collection, trend, contribution and leaderboard
 * partials merge in any order and any split (salesight_calculator_partial
 * builds every kind).
 *
 * Serialized format: little-endian, versioned ("SLSPART" magic, format
 * version, kind, money scale, the options that must match, then the
 * arrays); see include/salesight/partial_state.hpp. Deserialization checks
 * every length, id, day and internal invariant: arbitrary bytes give
 * INVALID_ARGUMENT naming the byte offset, never a crash.
 *
 * Thread safety: a partial is used by one thread at a time. */
typedef struct salesight_partial salesight_partial;

#define SALESIGHT_PARTIAL_RFM 1
#define SALESIGHT_PARTIAL_FUNNEL 2
#define SALESIGHT_PARTIAL_MARGIN 3
#define SALESIGHT_PARTIAL_AGING 4
#define SALESIGHT_PARTIAL_COLLECTION 5
#define SALESIGHT_PARTIAL_TREND 6
#define SALESIGHT_PARTIAL_CONTRIBUTION 7
#define SALESIGHT_PARTIAL_LEADERBOARD 8

/* Rows [begin, end) of an ORDERS table, with the scan options of `options`
 * (as_of, window_days, frequency, monetary, all_lines_are_purchases; the
 * others are used by finish). Errors: INVALID_ARGUMENT (NULL, wrong table
 * kind, begin/end outside the table, bad option value), UNSUPPORTED,
 * OUT_OF_RANGE. */
SALESIGHT_API salesight_status salesight_rfm_partial(const salesight_table* orders, int64_t begin,
                                                     int64_t end,
                                                     const salesight_rfm_options* options,
                                                     salesight_partial** out);
/* Rows [begin, end) of a PIPELINE table. */
SALESIGHT_API salesight_status salesight_funnel_partial(const salesight_table* pipeline,
                                                        int64_t begin, int64_t end,
                                                        const salesight_funnel_options* options,
                                                        salesight_partial** out);
/* Rows [begin, end) of an ORDERS table; `products` may be NULL. */
SALESIGHT_API salesight_status salesight_margin_partial(const salesight_table* orders,
                                                        const salesight_table* products,
                                                        int64_t begin, int64_t end,
                                                        const salesight_margin_options* options,
                                                        salesight_partial** out);
/* SALESIGHT_PARTIAL_* of the partial. */
SALESIGHT_API salesight_status salesight_partial_kind(const salesight_partial* partial,
                                                      int32_t* out);
/* Adds `from` into `into` (same kind, same options, same money scale; see
 * the requirements above). `from` is unchanged. On failure `into` is
 * unchanged. Errors: INVALID_ARGUMENT (NULL, kinds or options differ, a
 * finished partial, RFM partitions not split by order id), OUT_OF_RANGE. */
SALESIGHT_API salesight_status salesight_partial_merge(salesight_partial* into,
                                                       const salesight_partial* from);
/* The partial as bytes: *out_bytes (free with salesight_bytes_free) and
 * *out_length. Errors: INVALID_ARGUMENT (NULL, a finished partial). */
SALESIGHT_API salesight_status salesight_partial_serialize(const salesight_partial* partial,
                                                           uint8_t** out_bytes,
                                                           int64_t* out_length);
/* Frees bytes from salesight_partial_serialize; NULL is fine. */
SALESIGHT_API void salesight_bytes_free(uint8_t* bytes);
/* A new partial from bytes of salesight_partial_serialize (any kind).
 * `bytes` may be NULL when length is 0 (which is an error: no header).
 * Errors: INVALID_ARGUMENT (NULL, negative length, truncated or corrupt
 * bytes, a format version this library does not read - the message names
 * the byte offset). */
SALESIGHT_API salesight_status salesight_partial_deserialize(const uint8_t* bytes, int64_t length,
                                                             salesight_partial** out);
/* Finishing CONSUMES the partial's state - also when the finish itself
 * fails after the argument checks (e.g. options that differ from the
 * partial's): afterwards the handle can only be destroyed (other calls fail
 * with INVALID_ARGUMENT "already finished"). Serialize first to keep a copy.
 * The options must give
 * the same scan options as the partial was built with (RFM: as_of,
 * window_days, frequency, monetary, all_lines_are_purchases; funnel: all but
 * the outputs, bottleneck settings and num_threads; margin: group_by and the
 * cost options). Outputs that need the rows themselves are UNSUPPORTED: RFM
 * NEW_RETURNING, funnel WORKLOAD_*, margin QUADRANT, SLOW_MOVERS and
 * quadrant = 1. Errors: INVALID_ARGUMENT (NULL, wrong kind, options differ),
 * UNSUPPORTED, OUT_OF_RANGE. */
SALESIGHT_API salesight_status salesight_rfm_partial_finish(salesight_partial* partial,
                                                            const salesight_rfm_options* options,
                                                            salesight_result** out);
SALESIGHT_API salesight_status salesight_funnel_partial_finish(
    salesight_partial* partial, const salesight_funnel_options* options, salesight_result** out);
SALESIGHT_API salesight_status salesight_margin_partial_finish(
    salesight_partial* partial, const salesight_margin_options* options, salesight_result** out);
/* NULL is fine. */
SALESIGHT_API void salesight_partial_destroy(salesight_partial* partial);


/* ============================================================ data problems */

/* The data problems the calculator that made `result` found in its input and
 * worked around - counted, never dropped silently: a stage date before an
 * earlier stage's, skipped stages, won and lost (funnel); invoices or payments
 * after the as-of date, overpaid invoices, payments before their invoice
 * (aging); lines without a cost (margin, contribution). *out = a new result
 * (free it with salesight_result_destroy) with one row per problem kind whose
 * count is > 0, in a fixed order per calculator:
 *   problem       STRING  stable snake_case kind, e.g. "backwards_dates"
 *   count         INT64   exact
 *   amount        MONEY   the money involved; null when the kind has none
 *   example_ids   STRING  example ids as the caller gave them (the text of a
 *                         STRING id column, else the number), joined by ";"
 *   example_rows  STRING  their 0-based rows in the input table, joined by ";"
 *   message       STRING  one line for a person, naming ids as given
 * Zero rows (same columns) when there is none, and for every result that is
 * not a calculator's (tables, samples, quotes, problems). RFM, trend,
 * leaderboard and collection have none: their counts (lines after the as-of
 * date or outside the window, customers with only returns) are scope, not
 * data problems. The CLI prints the same table. Errors: INVALID_ARGUMENT
 * (NULL). */
SALESIGHT_API salesight_status salesight_result_problems(const salesight_result* result,
                                                         salesight_result** out);

/* ------------------------------------------------------------------ dataset */

/* A dataset: the tables of one computation (at most one of each
 * SALESIGHT_TABLE_* kind) with their relations resolved once, when a table
 * is added: line -> customer -> the customers table (its region and
 * attribute columns reach the lines), line -> product -> the products table
 * (its category and attributes). Calculators read the dataset instead of
 * positional table handles. Immutable between adds: one dataset may be read
 * by any number of threads at once; adds and appends need exclusive access. */
typedef struct salesight_dataset salesight_dataset;

/* An empty dataset. Errors: INVALID_ARGUMENT (NULL out). */
SALESIGHT_API salesight_status salesight_dataset_create(salesight_dataset** out);
SALESIGHT_API void salesight_dataset_destroy(salesight_dataset* dataset);

/* Adds `table` in the role of its kind. The dataset keeps its own reference:
 * the table handle may be destroyed afterwards (borrowed column memory must
 * still outlive the dataset). Errors (the dataset is then unchanged):
 * INVALID_ARGUMENT (NULL; a second table of one kind; a master table that
 * lists an id twice or codes ids differently from the rows naming them - the
 * message names the id). */
SALESIGHT_API salesight_status salesight_dataset_add_table(salesight_dataset* dataset,
                                                           const salesight_table* table);

/* Appends the lines of `table` (SALESIGHT_TABLE_ORDERS) to the dataset's
 * order lines, without a rebuild: calculators and queries run afterwards
 * read them, as if every line had been added at once (the C++
 * Dataset::AppendOrders: members are matched by code, new ones added after
 * the old ones; O(lines appended), the dataset's indexes extended). The
 * table handle may be destroyed afterwards (borrowed column memory must
 * still outlive the dataset). A compiled salesight_query keeps the lines it
 * was compiled on (compile again to read the new ones); no query or
 * calculator may run on the dataset, or on a query compiled from it, while
 * the append runs. Errors (the dataset is then unchanged): INVALID_ARGUMENT
 * (NULL; not an orders table; the dataset has no orders table; another
 * money scale; a column or attribute one side has and the other lacks; ids
 * coded by text on one side and integers on the other - the message names
 * it). */
SALESIGHT_API salesight_status salesight_dataset_append_table(salesight_dataset* dataset,
                                                              const salesight_table* table);

/* --------------------------------------------------------------- calculators */

/* Every declared calculator as a JSON array of
 *   {"name", "doc", "inputs": [{"table", "required"}], "outputs": [names],
 *    "options": [{"name", "type", "default", "allowed", "min", "max", "cli", "doc"}]}
 * (option types: int, double, date, bool, choice, text, int_list, double_list).
 * Owned by the library, valid while it is loaded. Bindings build their
 * functions, argument checks and documentation from it. */
SALESIGHT_API const char* salesight_calculators_json(void);

/* Runs the declared calculator `calculator` on `dataset`. Options are given
 * as text by name (num_options pairs; the forms are those of the JSON
 * description: decimal numbers, YYYY-MM-DD dates, true/false, a choice's
 * name, comma-separated lists); an option not given keeps its default.
 * `output` names one of the declared outputs (NULL = the first); the result
 * carries the run's data problems (salesight_result_problems).
 * Errors: INVALID_ARGUMENT (NULL; unknown calculator, option or output - the
 * message lists the valid names; a bad option value; a required table
 * missing from the dataset), OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_calculator_run(const salesight_dataset* dataset,
                                                        const char* calculator,
                                                        const char* const* option_names,
                                                        const char* const* option_values,
                                                        int32_t num_options, const char* output,
                                                        salesight_result** out);

/* ----------------------------------------------------------- partial states of any calculator */
/* Any aggregating calculator, by name (every kind above: rfm, funnel, margin,
 * aging, collection, trend, contribution, leaderboard): a partial of rows
 * [begin, end) of its main table in `dataset` (orders; pipeline for funnel;
 * invoices for aging and collection; for leaderboard the orders, pipeline,
 * invoices and targets rows one after another, as of as_of or end), with its declared options as text by name (as
 * salesight_calculator_run). Merge, serialize, deserialize and destroy as
 * above; merging partials built with different options fails naming both.
 * The kinds after MARGIN write their options into their bytes. aging and
 * collection need an explicit as_of (a partition cannot know the latest
 * invoice date of all); rfm refuses `by`; trend's partial holds the lines'
 * part (collections and targets come from the finish context).
 * Errors: INVALID_ARGUMENT (NULL; a calculator without a partial state - the
 * message lists those with one; an unknown or bad option; rows outside the
 * table; a required table missing), OUT_OF_RANGE (a sum overflows). */
SALESIGHT_API salesight_status salesight_calculator_partial(
    const salesight_dataset* dataset, const char* calculator, const char* const* option_names,
    const char* const* option_values, int32_t num_options, int64_t begin, int64_t end,
    salesight_partial** out);
/* Finishes a partial of any kind into its calculator's output `output` (NULL
 * = the first declared), with the run's data problems; CONSUMES the state as
 * the typed finishes do (not when the output name is unknown). Options as
 * salesight_calculator_partial: for the kinds that store theirs, none
 * (num_options 0) means the partial's own and others must be the same; rfm,
 * funnel and margin take theirs from here. `context` may be NULL; a dataset
 * coded like the partitions (e.g. the whole data) gives the outputs their
 * codes instead of ids, and trend its collections and targets, margin its
 * quadrant output. Errors: INVALID_ARGUMENT (NULL, finished, unknown output,
 * options differ from the partial's, an output that needs the context),
 * OUT_OF_RANGE. */
SALESIGHT_API salesight_status salesight_partial_finish(
    salesight_partial* partial, const salesight_dataset* context,
    const char* const* option_names, const char* const* option_values, int32_t num_options,
    const char* output, salesight_result** out);
/* ================================================================= approvals */
/* The contract approval engine (include/salesight/approval/, README
 * "Contract approvals"). Text in and out is UTF-8 JSON, in the forms of
 * include/salesight/approval/command_json.hpp; text out is NUL-terminated
 * bytes (*out_length excludes the NUL), freed with salesight_bytes_free. */
typedef struct salesight_approval_engine salesight_approval_engine;
typedef struct salesight_approval_instance salesight_approval_instance;

/* An engine from a JSON policy, an optional DMN file whose first decision
 * replaces the policy's table (dmn_xml NULL = none) and a JSON org directory.
 * A policy with static findings (gaps, overlaps, dead rules, unresolved
 * roles, chains that never complete) is refused unless allow_findings is
 * nonzero. Errors: INVALID_ARGUMENT (NULL, negative length, a file that does
 * not load - the message names the rule, column or element - or findings). */
SALESIGHT_API salesight_status salesight_approval_engine_create(
    const char* policy_json, int64_t policy_length, const char* dmn_xml, int64_t dmn_length,
    const char* directory_json, int64_t directory_length, int32_t allow_findings,
    salesight_approval_engine** out);
/* NULL is fine. */
SALESIGHT_API void salesight_approval_engine_destroy(salesight_approval_engine* engine);
/* The engine's static findings, one "kind: message" line each ("" = none). */
SALESIGHT_API salesight_status salesight_approval_engine_findings(const salesight_approval_engine* engine,
                                                                  uint8_t** out_text, int64_t* out_length);
/* Routes one contract ({"id", "initiator", "attributes": {...}}) to its
 * chain: JSON {"contract", "policy_version", "rules", "chains", "nodes",
 * "flags"}. Errors: INVALID_ARGUMENT (NULL, bad JSON, no rule matches, an
 * approver that cannot be resolved). */
SALESIGHT_API salesight_status salesight_approval_route(const salesight_approval_engine* engine,
                                                        const char* contract_json, int64_t length,
                                                        uint8_t** out_text, int64_t* out_length);
/* An empty instance (its first command is a submission). */
SALESIGHT_API salesight_status salesight_approval_instance_create(salesight_approval_instance** out);
/* NULL is fine. */
SALESIGHT_API void salesight_approval_instance_destroy(salesight_approval_instance* instance);
/* Applies one command (JSON) to the instance. A refused command, a version
 * conflict and a retried idempotency key are answers, not errors: the JSON
 * says {"accepted": false, "conflict": ..., "reason": ...} or
 * {"accepted": true, "duplicate": ..., "events": [...], "actions": [...]};
 * a refused command changes nothing. Errors: INVALID_ARGUMENT (NULL, a
 * command that is not valid JSON or names an unknown kind). */
SALESIGHT_API salesight_status salesight_approval_apply(const salesight_approval_engine* engine,
                                                        salesight_approval_instance* instance,
                                                        const char* command_json, int64_t length,
                                                        uint8_t** out_text, int64_t* out_length);
/* *out = 1 when `user` may act on the instance now (a pending approver of
 * its current node), else 0. Errors: INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_approval_pending(const salesight_approval_instance* instance,
                                                          const char* user, int32_t* out);
/* The instance's state as JSON (status, nodes, pending approvers, actions). */
SALESIGHT_API salesight_status salesight_approval_instance_state(
    const salesight_approval_instance* instance, uint8_t** out_text, int64_t* out_length);
/* The instance's event log as JSON lines (append-only, hash-chained). */
SALESIGHT_API salesight_status salesight_approval_instance_log(
    const salesight_approval_instance* instance, uint8_t** out_text, int64_t* out_length);
/* An instance from its log (JSON lines of one instance): every hash is
 * checked and the events are folded; the state equals the live one.
 * Errors: INVALID_ARGUMENT (NULL, a line that does not decode, an edited,
 * removed or reordered event - the message names it). */
SALESIGHT_API salesight_status salesight_approval_replay(const salesight_approval_engine* engine,
                                                         const char* log_jsonl, int64_t length,
                                                         salesight_approval_instance** out);

/* Policy and directory as their own handles, so that a host loads each once
 * and builds engines from them (a new directory with the same policy, ...). */
typedef struct salesight_approval_policy salesight_approval_policy;
typedef struct salesight_approval_directory salesight_approval_directory;
/* A policy from JSON, its table replaced by the first decision of an
 * optional DMN file (dmn_xml NULL = none). Errors: INVALID_ARGUMENT (NULL,
 * negative length, a file that does not load: the message names the rule,
 * column or element). */
SALESIGHT_API salesight_status salesight_approval_policy_create(const char* policy_json, int64_t policy_length,
                                                                const char* dmn_xml, int64_t dmn_length,
                                                                salesight_approval_policy** out);
/* NULL is fine. */
SALESIGHT_API void salesight_approval_policy_destroy(salesight_approval_policy* policy);
/* An org directory from JSON. Errors: INVALID_ARGUMENT (NULL, negative
 * length, a directory that does not load). */
SALESIGHT_API salesight_status salesight_approval_directory_create(const char* directory_json, int64_t length,
                                                                   salesight_approval_directory** out);
/* NULL is fine. */
SALESIGHT_API void salesight_approval_directory_destroy(salesight_approval_directory* directory);
/* An engine from a policy and a directory; both are copied (they may be
 * destroyed after). Findings refuse it as in salesight_approval_engine_create
 * unless allow_findings is nonzero. Errors: INVALID_ARGUMENT. */
SALESIGHT_API salesight_status salesight_approval_engine_create_from(const salesight_approval_policy* policy,
                                                                     const salesight_approval_directory* directory,
                                                                     int32_t allow_findings,
                                                                     salesight_approval_engine** out);

/* A store: many instances by id, for a host that asks what waits for a user
 * across all of them and replays one log that holds them all. */
typedef struct salesight_approval_store salesight_approval_store;
/* An empty store. */
SALESIGHT_API salesight_status salesight_approval_store_create(salesight_approval_store** out);
/* NULL is fine. */
SALESIGHT_API void salesight_approval_store_destroy(salesight_approval_store* store);
/* Applies a command to the instance its "instance" field names; a
 * submission to a new id creates the instance (only when accepted). The
 * answer is salesight_approval_apply's JSON; a command to an unknown id, or
 * one without an instance id, is a refused answer. Errors: INVALID_ARGUMENT
 * (NULL, a command that is not valid JSON or names an unknown kind). */
SALESIGHT_API salesight_status salesight_approval_store_apply(const salesight_approval_engine* engine,
                                                              salesight_approval_store* store,
                                                              const char* command_json, int64_t length,
                                                              uint8_t** out_text, int64_t* out_length);
/* A store from a log of many instances (JSON lines, interleaved): every
 * hash is checked and each instance folded. Errors: INVALID_ARGUMENT (NULL,
 * a line that does not decode, an edited, removed or reordered event: the
 * message names the instance and the event). */
SALESIGHT_API salesight_status salesight_approval_store_replay(const salesight_approval_engine* engine,
                                                               const char* log_jsonl, int64_t length,
                                                               salesight_approval_store** out);
/* What waits for `user` (NUL-terminated) across the store's instances, as a
 * JSON list of {"instance", "contract", "node", "on_behalf_of", "version"},
 * instances by id: every pending instance whose current node waits for the
 * user (a sequential node: its next approver only), and, for a delegation
 * to the user covering `at` (seconds since 1970 UTC), each one that waits
 * for the principal ("on_behalf_of" names them; "" otherwise). Errors:
 * INVALID_ARGUMENT (NULL). */
SALESIGHT_API salesight_status salesight_approval_store_pending(const salesight_approval_store* store,
                                                                const char* user, int64_t at,
                                                                uint8_t** out_text, int64_t* out_length);
/* The same over instance handles the host keeps itself (`instances` holds
 * `count` non-NULL handles; NULL only with count 0), in the given order.
 * Errors: INVALID_ARGUMENT (NULL, negative count). */
SALESIGHT_API salesight_status salesight_approval_pending_list(const salesight_approval_instance* const* instances,
                                                               int64_t count, const char* user, int64_t at,
                                                               uint8_t** out_text, int64_t* out_length);
/* One instance's state as JSON (salesight_approval_instance_state's form).
 * Errors: INVALID_ARGUMENT (NULL, no instance of that id). */
SALESIGHT_API salesight_status salesight_approval_store_state(const salesight_approval_store* store,
                                                              const char* instance_id, uint8_t** out_text,
                                                              int64_t* out_length);
/* Every event of the store as JSON lines, instance after instance (ids
 * ascending): what salesight_approval_store_replay reads back. */
SALESIGHT_API salesight_status salesight_approval_store_log(const salesight_approval_store* store,
                                                            uint8_t** out_text, int64_t* out_length);

/* ===================================================================== query */
/* Any question of a dataset as a JSON query spec (include/salesight/query/
 * spec.hpp; README "Query"): measures by dimensions, filtered, per period,
 * compared, ranked and totalled. The result's shape: the period column
 * ("order_date.month") with a grain, the dimensions in the spec's order, one
 * column per measure (money exact, counts int64, ratios double with nulls),
 * then the compare columns; include/salesight/query/run.hpp says it all. */
typedef struct salesight_query salesight_query;

/* Parses `spec_json` (NUL-terminated UTF-8) and checks it against `dataset`
 * (every name, type and the group cap). The query keeps its own reference to
 * the dataset's tables: the dataset handle may be destroyed or grow after.
 * Errors: INVALID_ARGUMENT (NULL; a malformed spec, an unknown key, measure,
 * dimension or op - the message names it and lists the valid names; a type
 * mismatch), OUT_OF_MEMORY (the groups could exceed the cap: refused before
 * any work, the message names each factor). */
SALESIGHT_API salesight_status salesight_query_compile(const salesight_dataset* dataset,
                                                       const char* spec_json,
                                                       salesight_query** out);
/* Runs a compiled query (any number of times, from any threads). The result
 * carries the data problems found (salesight_result_problems).
 * Errors: INVALID_ARGUMENT (NULL), OUT_OF_RANGE (a money sum overflows),
 * UNSUPPORTED (a measure or compare this version does not compute). */
SALESIGHT_API salesight_status salesight_query_run(const salesight_query* query,
                                                   salesight_result** out);
SALESIGHT_API void salesight_query_destroy(salesight_query* query);

/* The query one level down under row `row` of `result` (a result of
 * salesight_query_run(query)): the row's members become filters and `level`
 * (a dimension of the query or its time column; NULL or "" = the last
 * dimension, else the time column) is replaced by the next level of its
 * hierarchy (time year>quarter>month>week>day, product category>product,
 * organisation department>salesperson, ...; include/salesight/query/
 * drill.hpp). A new query handle, run like any other.
 * Errors: INVALID_ARGUMENT (NULL; a row out of range or negative; an
 * "(others)" row; a level without a level below it in the data). */
SALESIGHT_API salesight_status salesight_query_drill(const salesight_query* query,
                                                     const salesight_result* result, int64_t row,
                                                     const char* level, salesight_query** out);
/* The order lines under row `row` of `result`, lines offset ..
 * offset + limit - 1 of them in table order: columns row, order_id (as the
 * ERP gave it), order_date, customer, product, region, salesperson (those
 * the orders have), quantity, amount. Errors as salesight_query_drill,
 * and INVALID_ARGUMENT for a negative offset or limit. */
SALESIGHT_API salesight_status salesight_query_drill_through(const salesight_query* query,
                                                             const salesight_result* result,
                                                             int64_t row, int64_t offset,
                                                             int64_t limit,
                                                             salesight_result** out);
/* Cross-filter: `target` with the members of rows rows[0 .. num_rows) of
 * `result` (a result of salesight_query_run(source)) as one more filter -
 * the OR over the rows of the AND of each row's members. A grand total row
 * leaves target as it is. A new query handle on target's dataset.
 * Errors: INVALID_ARGUMENT (NULL; no rows or a row out of range; an
 * "(others)" row; a member that target's tables do not have). */
SALESIGHT_API salesight_status salesight_query_cross_filter(const salesight_query* source,
                                                            const salesight_result* result,
                                                            const int64_t* rows, int64_t num_rows,
                                                            const salesight_query* target,
                                                            salesight_query** out);
/* The query's spec as canonical JSON (NUL-terminated, owned by the query,
 * valid until it is destroyed): a drilled query's spec, for a front end. */
SALESIGHT_API salesight_status salesight_query_spec_json(const salesight_query* query,
                                                         const char** out);

/* Query partials (Dask, Spark; include/salesight/query/partial.hpp): the
 * query's groups over its dataset's rows (a partition) as bytes - members as
 * labels, exact sums, distinct ids as sets - which merge in any order and any
 * split and finish to the result salesight_query_run gives over all the rows.
 * The orders measures except new_customers / returning_customers, compare
 * only with a range unbounded below (else UNSUPPORTED, naming it).
 * Bytes out are freed with salesight_bytes_free.
 * Errors: INVALID_ARGUMENT (NULL, negative length, bytes that are not a query
 * partial, partials of different specs or money scales), UNSUPPORTED,
 * OUT_OF_RANGE (a money sum overflows). */
SALESIGHT_API salesight_status salesight_query_partial(const salesight_query* query,
                                                       uint8_t** out_bytes, int64_t* out_length);
SALESIGHT_API salesight_status salesight_query_partial_merge(const uint8_t* a, int64_t a_length,
                                                             const uint8_t* b, int64_t b_length,
                                                             uint8_t** out_bytes,
                                                             int64_t* out_length);
/* The result of `spec_json` (the spec the partials were made of) from a
 * partial of it. */
SALESIGHT_API salesight_status salesight_query_partial_finish(const char* spec_json,
                                                              const uint8_t* bytes, int64_t length,
                                                              salesight_result** out);

/* ================================================================= dashboard */
/* The sales dashboard (README "Dashboard", include/salesight/dashboard.hpp):
 * the KPI cards and seven panels of a dataset as the versioned JSON document
 * (src/dashboard/dashboard.schema.json; money as exact integers in minor
 * units) or as one self-contained offline HTML page (Apache ECharts inlined).
 * The same numbers as `salesight dashboard`. */
#define SALESIGHT_DASHBOARD_FORMAT_JSON 0 /* the panel data */
#define SALESIGHT_DASHBOARD_FORMAT_HTML 1 /* the page */
#define SALESIGHT_DASHBOARD_LANG_EN 0
#define SALESIGHT_DASHBOARD_LANG_ZH 1

typedef struct salesight_dashboard_options {
  uint32_t struct_size;
  int32_t from;         /* inclusive; default SALESIGHT_NO_DATE = January 1 of to's year */
  int32_t to;           /* inclusive, also the as-of day; default NO_DATE = the last order date */
  int32_t lang;         /* SALESIGHT_DASHBOARD_LANG_*; default EN */
  int32_t top_n;        /* rows of the top lists and drill-downs, 1..1000; default 10 */
  int32_t num_threads;  /* default 1; 0 = all cores */
  const char* currency; /* UTF-8 symbol printed before money; NULL (default) = the yuan sign */
  const char* title;    /* UTF-8 page title; NULL (default) = the language's */
} salesight_dashboard_options;

#define SALESIGHT_DASHBOARD_OPTIONS_INIT                                                 \
  { (uint32_t)sizeof(salesight_dashboard_options), SALESIGHT_NO_DATE, SALESIGHT_NO_DATE, \
    SALESIGHT_DASHBOARD_LANG_EN, 10, 1, NULL, NULL }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_dashboard_options_init(
    salesight_dashboard_options* options, size_t struct_size);

/* The dashboard of `dataset` (order lines required; products, customers,
 * pipeline, invoices, payments and targets used when present - a panel whose
 * table is absent says "no_data" and why) as NUL-terminated UTF-8 text in
 * *out_text (*out_length excludes the NUL), freed with salesight_bytes_free.
 * `format` is SALESIGHT_DASHBOARD_FORMAT_*. Errors: INVALID_ARGUMENT (NULL,
 * bad format or option value, no order lines, from after to), UNSUPPORTED
 * (newer options with a non-zero tail), OUT_OF_MEMORY. */
SALESIGHT_API salesight_status salesight_dashboard_render(const salesight_dataset* dataset,
                                                          const salesight_dashboard_options* options,
                                                          int32_t format, uint8_t** out_text,
                                                          int64_t* out_length);

/* ======================================================================= clv */
/* Customer lifetime value (README "Customer lifetime value",
 * include/salesight/clv/model.hpp): a BTYD model fitted by maximum likelihood
 * on a customer summary - frequency x (repeat purchases), recency t_x and age
 * T in one time unit, monetary_value (mean repeat-purchase value) - given as
 * columns or built from a dataset's order lines. The handle holds the fit
 * (parameters under the papers' names, standard errors, log-likelihood,
 * convergence) and predicts per customer. bgnbd and pareto-nbd also fit
 * Gamma-Gamma on the repeaters (the "spend" fit) for expected spend and CLV.
 * The same numbers as `salesight clv`. */
typedef struct salesight_clv_model salesight_clv_model;

#define SALESIGHT_CLV_BGNBD 0
#define SALESIGHT_CLV_PARETO_NBD 1
#define SALESIGHT_CLV_GAMMA_GAMMA 2
#define SALESIGHT_CLV_BGBB 3

#define SALESIGHT_CLV_UNIT_DAY 0
#define SALESIGHT_CLV_UNIT_WEEK 1
#define SALESIGHT_CLV_UNIT_MONTH 2 /* 365.25 / 12 days */

/* salesight_clv_fit_info.status */
#define SALESIGHT_CLV_CONVERGED 0
#define SALESIGHT_CLV_MAX_ITERATIONS 1
#define SALESIGHT_CLV_LINE_SEARCH_FAILED 2
#define SALESIGHT_CLV_DIVERGED 3 /* a parameter beyond 1e5 or below 1e-5: not identified */

/* Which fit of a model an accessor reads. */
#define SALESIGHT_CLV_FIT_MODEL 0 /* the model's own */
#define SALESIGHT_CLV_FIT_SPEND 1 /* its Gamma-Gamma spend fit (bgnbd, pareto-nbd) */

typedef struct salesight_clv_fit_options {
  uint32_t struct_size;
  int32_t model;               /* SALESIGHT_CLV_*; default BGNBD */
  int32_t time_unit;           /* SALESIGHT_CLV_UNIT_* of the summary built from orders; default WEEK */
  int32_t calibration_end;     /* from orders: inclusive; default SALESIGHT_NO_DATE = the last order date */
  int32_t max_iterations;      /* default 500 */
  int32_t allow_not_converged; /* 0 (default): not converging is an error; 1: the fit says so in its status */
  int32_t fit_spend;           /* bgnbd, pareto-nbd: 1 (default) also fits Gamma-Gamma when it can */
  int32_t num_threads;         /* default 1; 0 = all cores; the fit is identical for any count */
  double l2_penalty;           /* >= 0; default 0 (lifetimes' penalizer_coef) */
  double gradient_tolerance;   /* > 0, on max |d objective / d log p|; default 1e-8 */
} salesight_clv_fit_options;

#define SALESIGHT_CLV_FIT_OPTIONS_INIT                                                     \
  { (uint32_t)sizeof(salesight_clv_fit_options), SALESIGHT_CLV_BGNBD, SALESIGHT_CLV_UNIT_WEEK, \
    SALESIGHT_NO_DATE, 500, 0, 1, 1, 0.0, 1e-8 }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_clv_fit_options_init(salesight_clv_fit_options* options,
                                                              size_t struct_size);

/* Fits options->model on num_customers rows of a summary: frequency, recency,
 * T (bgbb: x, t_x, n opportunities, whole numbers), monetary_value (NULL =
 * none; needed by gamma-gamma and for spend), weight (NULL = 1 each: how many
 * identical customers a row stands for). time_unit and calibration_end are
 * not read. Errors: INVALID_ARGUMENT (NULL, a bad option, a bad row - named
 * with its 1-based number, column and value - fewer than 2 rows, no repeat
 * purchase at all, not converging unless allowed). */
SALESIGHT_API salesight_status salesight_clv_fit(const double* frequency, const double* recency,
                                                 const double* T, const double* monetary_value,
                                                 const double* weight, int64_t num_customers,
                                                 const salesight_clv_fit_options* options,
                                                 salesight_clv_model** out);

/* The customer summary of a dataset's order lines at options->calibration_end
 * in options->time_unit (time counted from each customer's first purchase):
 * columns customer, frequency, recency, T, monetary_value (currency units). */
SALESIGHT_API salesight_status salesight_clv_summary(const salesight_dataset* dataset,
                                                     const salesight_clv_fit_options* options,
                                                     salesight_result** out);

/* Fits on the summary of a dataset's order lines (salesight_clv_summary). */
SALESIGHT_API salesight_status salesight_clv_fit_dataset(const salesight_dataset* dataset,
                                                         const salesight_clv_fit_options* options,
                                                         salesight_clv_model** out);

/* Accepts NULL. */
SALESIGHT_API void salesight_clv_model_destroy(salesight_clv_model* model);

/* A fit's summary, written up to out->struct_size bytes (set it to the
 * sizeof of your struct first). */
typedef struct salesight_clv_fit_info {
  uint32_t struct_size;
  int32_t model;               /* SALESIGHT_CLV_* of this fit */
  int32_t status;              /* SALESIGHT_CLV_CONVERGED | MAX_ITERATIONS | LINE_SEARCH_FAILED | DIVERGED */
  int32_t iterations;
  int32_t evaluations;         /* objective + gradient evaluations */
  int32_t num_params;
  int32_t has_standard_errors; /* 0 when the Hessian is not negative definite */
  int32_t time_unit;           /* the model's SALESIGHT_CLV_UNIT_* */
  double log_likelihood;       /* total, weighted, without the penalty */
  double gradient_norm;        /* max |d objective / d log p| at the end */
  double customers;            /* the sum of the row weights */
} salesight_clv_fit_info;

/* `which`: SALESIGHT_CLV_FIT_MODEL or _SPEND. Errors: INVALID_ARGUMENT (NULL,
 * bad which, a model without a spend fit - the message says why it has none,
 * struct_size < 4). */
SALESIGHT_API salesight_status salesight_clv_model_info(const salesight_clv_model* model,
                                                        int32_t which,
                                                        salesight_clv_fit_info* out);

/* Parameter `index` (0 .. num_params - 1) of a fit: its name in the paper
 * (r, alpha, a, b; r, alpha, s, beta; p, q, gamma; alpha, beta, gamma,
 * delta; static text), estimate and standard error (0 when
 * has_standard_errors is 0). Errors: INVALID_ARGUMENT (NULL, bad which or index). */
SALESIGHT_API salesight_status salesight_clv_model_param(const salesight_clv_model* model,
                                                         int32_t which, int32_t index,
                                                         const char** out_name,
                                                         double* out_estimate,
                                                         double* out_std_error);

/* A new customer's expected purchases E[X(t)] (bgnbd, pareto-nbd) and
 * P(X(t) = n) (bgnbd), t in the model's time unit. Errors: INVALID_ARGUMENT
 * (NULL, t < 0, n < 0), UNSUPPORTED (another model). */
SALESIGHT_API salesight_status salesight_clv_model_expected_purchases(
    const salesight_clv_model* model, double t, double* out);
SALESIGHT_API salesight_status salesight_clv_model_probability_of_purchases(
    const salesight_clv_model* model, double t, int32_t n, double* out);

typedef struct salesight_clv_predict_options {
  uint32_t struct_size;
  int32_t horizon;          /* CLV periods, >= 1; default 12 */
  int32_t num_threads;      /* default 1; 0 = all cores */
  int32_t calibration_end;  /* from a dataset; default SALESIGHT_NO_DATE = the fit's (or the last order date) */
  double t;                 /* expected purchases in the next t; default 0 = horizon * period_length */
  double period_length;     /* a CLV period in the model's time unit, > 0; default 1 */
  double discount;          /* per period, > -1; default 0 */
  double margin;            /* share of spend kept; default 1 */
} salesight_clv_predict_options;

#define SALESIGHT_CLV_PREDICT_OPTIONS_INIT                                             \
  { (uint32_t)sizeof(salesight_clv_predict_options), 12, 1, SALESIGHT_NO_DATE, 0.0, 1.0, \
    0.0, 1.0 }

/* Fills *options with the defaults. Errors: INVALID_ARGUMENT (NULL, bad struct_size). */
SALESIGHT_API salesight_status salesight_clv_predict_options_init(
    salesight_clv_predict_options* options, size_t struct_size);

/* Per customer of a summary (columns as salesight_clv_fit; monetary_value
 * NULL = no spend, no CLV): a result with frequency, recency, T, then the
 * columns the model gives - expected_purchases (E[Y(t) | x, t_x, T]),
 * p_alive, expected_spend, clv (discounted cash flow over horizon periods,
 * README). Never NaN: a row the model cannot predict is an error naming it. */
SALESIGHT_API salesight_status salesight_clv_predict(const salesight_clv_model* model,
                                                     const double* frequency, const double* recency,
                                                     const double* T, const double* monetary_value,
                                                     int64_t num_customers,
                                                     const salesight_clv_predict_options* options,
                                                     salesight_result** out);

/* The same for the summary of a dataset's order lines (in the model's time
 * unit, at options->calibration_end): customer, frequency, recency, T,
 * monetary_value, then the predictions. */
SALESIGHT_API salesight_status salesight_clv_predict_dataset(
    const salesight_clv_model* model, const salesight_dataset* dataset,
    const salesight_clv_predict_options* options, salesight_result** out);

#ifdef __cplusplus
}
#endif
#endif /* SALESIGHT_H */
