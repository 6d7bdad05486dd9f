/*
 * The C ABI from plain C99 (-std=c99 -Wpedantic -Werror): every function of
 * salesight.h, its success path and its error paths. check_coverage.cmake
 * fails the build's tests if a function of the header is not named here.
 *
 * Usage: c99_test <scratch directory>
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesight.h"

static int g_failures = 0;
static int g_checks = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    ++g_checks;                                                              \
    if (!(cond)) {                                                           \
      ++g_failures;                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, \
              __LINE__, #cond, salesight_last_error());                      \
    }                                                                        \
  } while (0)

/* Status equality, printing both names on failure. */
#define CHECK_STATUS(expr, expected)                                              \
  do {                                                                            \
    salesight_status st_ = (expr);                                                \
    ++g_checks;                                                                   \
    if (st_ != (expected)) {                                                      \
      ++g_failures;                                                               \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (last error: %s)\n",    \
              __FILE__, __LINE__, #expr, salesight_status_name(st_),              \
              salesight_status_name(expected), salesight_last_error());           \
    }                                                                             \
  } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, SALESIGHT_OK)

/* The last error mentions `text`. */
static void check_message(const char* text, int line) {
  ++g_checks;
  if (strstr(salesight_last_error(), text) == NULL) {
    ++g_failures;
    fprintf(stderr, "c99_test.c:%d: last error '%s' does not mention '%s'\n", line,
            salesight_last_error(), text);
  }
}
#define CHECK_MESSAGE(text) check_message(text, __LINE__)

static char g_dir[4096];

static const char* path_in(const char* name) {
  static char buffer[8192];
  sprintf(buffer, "%s/%s", g_dir, name);
  return buffer;
}

/* ------------------------------------------------------------ interned codes */

/* `n` strings "v<(i * 7919) % distinct>" as Arrow-style offsets + bytes. */
static char* make_strings(int64_t n, int64_t distinct, int64_t* offsets) {
  char* data = (char*)malloc((size_t)n * 24 + 1);
  int64_t at = 0, i;
  offsets[0] = 0;
  for (i = 0; i < n; ++i) {
    at += sprintf(data + at, "v%lld", (long long)((i * 7919) % distinct));
    offsets[i + 1] = at;
  }
  return data;
}

static void test_interned(void) {
  /* "b", "a", "b", null, "", "a": first-appearance codes, "" is a value */
  static const char kData[] = "babXa";
  static const int64_t kOffsets[7] = {0, 1, 2, 3, 4, 4, 5};
  static const uint8_t kValid[1] = {0x37}; /* row 3 null (its bytes "X" ignored) */
  static const int32_t kExpected[6] = {0, 1, 0, -1, 2, 1};
  static const int64_t kBadOffsets[3] = {0, 2, 1};
  static const char kNul[] = "a\0b";
  static const int64_t kNulOffsets[3] = {0, 1, 3};
  static const int32_t kDay[3] = {19000, 19001, 19002};
  static const int64_t kAmountMinor[3] = {100, 200, 300};
  salesight_interned* in = NULL;
  const int32_t* codes = NULL;
  const char* const* dict = NULL;
  int64_t count = 0, rows = 0, first_null = 0, i;
  CHECK_OK(salesight_interned_create(kOffsets, kData, 6, kValid, 1, &in));
  CHECK_OK(salesight_interned_codes(in, &codes));
  CHECK_OK(salesight_interned_num_rows(in, &rows));
  CHECK_OK(salesight_interned_dictionary(in, &dict, &count));
  CHECK_OK(salesight_interned_first_null(in, &first_null));
  CHECK(rows == 6 && count == 3 && first_null == 3);
  for (i = 0; i < 6; ++i) CHECK(codes[i] == kExpected[i]);
  CHECK(strcmp(dict[0], "b") == 0 && strcmp(dict[1], "a") == 0 && strcmp(dict[2], "") == 0);
  /* canonical order: "" < "a" < "b"; the null stays -1 */
  CHECK_OK(salesight_interned_canonical_order(in));
  CHECK_OK(salesight_interned_codes(in, &codes));
  CHECK_OK(salesight_interned_dictionary(in, &dict, &count));
  CHECK(count == 3 && strcmp(dict[0], "") == 0 && strcmp(dict[1], "a") == 0 &&
        strcmp(dict[2], "b") == 0);
  CHECK(codes[0] == 2 && codes[1] == 1 && codes[2] == 2 && codes[3] == -1 && codes[4] == 0 &&
        codes[5] == 1);
  salesight_interned_destroy(in);
  {
    /* every value an integer: by value, spellings of one value by their text */
    static const char kNumbers[] = "10907-3";
    static const int64_t kNumberOffsets[5] = {0, 2, 3, 5, 7};
    CHECK_OK(salesight_interned_create(kNumberOffsets, kNumbers, 4, NULL, 1, &in));
    CHECK_OK(salesight_interned_canonical_order(in));
    CHECK_OK(salesight_interned_codes(in, &codes));
    CHECK_OK(salesight_interned_dictionary(in, &dict, &count));
    CHECK(count == 4 && strcmp(dict[0], "-3") == 0 && strcmp(dict[1], "07") == 0 &&
          strcmp(dict[2], "9") == 0 && strcmp(dict[3], "10") == 0);
    CHECK(codes[0] == 3 && codes[1] == 2 && codes[2] == 1 && codes[3] == 0);
    salesight_interned_destroy(in);
  }

  /* The codes go to a table builder with their dictionary: ids follow the
   * codes' order ("x" < "y"), results show the codes. */
  {
    static const char kIds[] = "yxy";
    static const int64_t kIdOffsets[4] = {0, 1, 2, 3};
    salesight_table_builder* b = NULL;
    salesight_table* t = NULL;
    salesight_result* r = NULL;
    const char* s = NULL;
    CHECK_OK(salesight_interned_create(kIdOffsets, kIds, 3, NULL, 0, &in));
    CHECK_OK(salesight_interned_codes(in, &codes));
    CHECK_OK(salesight_interned_dictionary(in, &dict, &count));
    CHECK(count == 2 && codes[0] == 0 && codes[1] == 1 && codes[2] == 0);
    CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
    CHECK_OK(salesight_table_builder_set_dictionary(b, "customer", dict, count));
    CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT32, codes, 3,
                                                NULL, SALESIGHT_COPY));
    CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, kDay, 3,
                                                NULL, SALESIGHT_COPY));
    CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT32, kDay, 3,
                                                NULL, SALESIGHT_COPY));
    CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kAmountMinor,
                                                3, NULL, SALESIGHT_COPY));
    salesight_interned_destroy(in); /* the builder copied codes and dictionary */
    CHECK_OK(salesight_table_builder_finish(b, &t));
    salesight_table_builder_destroy(b);
    CHECK_OK(salesight_table_columns(t, &r));
    {
      int32_t c = 0, columns = 0, found = 0;
      const char* name = NULL;
      CHECK_OK(salesight_result_num_columns(r, &columns));
      for (c = 0; c < columns; ++c) {
        CHECK_OK(salesight_result_column_name(r, c, &name));
        if (strcmp(name, "customer") != 0) continue;
        found = 1;
        CHECK_OK(salesight_result_column_string(r, c, 0, &s));
        CHECK(strcmp(s, "y") == 0);
        CHECK_OK(salesight_result_column_string(r, c, 1, &s));
        CHECK(strcmp(s, "x") == 0);
      }
      CHECK(found);
    }
    salesight_result_destroy(r);
    salesight_table_destroy(t);
  }

  /* Two threads (2^19 + 5 rows: two ranges) give the codes of one. */
  {
    const int64_t n = (INT64_C(1) << 19) + 5;
    int64_t* offsets = (int64_t*)malloc((size_t)(n + 1) * sizeof(int64_t));
    char* data = make_strings(n, 100003, offsets);
    salesight_interned* two = NULL;
    const int32_t* codes2 = NULL;
    const char* const* dict2 = NULL;
    int64_t count2 = 0, differ = 0;
    CHECK_OK(salesight_interned_create(offsets, data, n, NULL, 1, &in));
    CHECK_OK(salesight_interned_create(offsets, data, n, NULL, 2, &two));
    CHECK_OK(salesight_interned_codes(in, &codes));
    CHECK_OK(salesight_interned_codes(two, &codes2));
    CHECK_OK(salesight_interned_dictionary(in, &dict, &count));
    CHECK_OK(salesight_interned_dictionary(two, &dict2, &count2));
    CHECK(count == 100003 && count2 == count);
    for (i = 0; i < n; ++i) differ += codes[i] != codes2[i];
    for (i = 0; i < count && i < count2; ++i) differ += strcmp(dict[i], dict2[i]) != 0;
    CHECK(differ == 0);
    CHECK(strcmp(dict[1], "v7919") == 0);
    CHECK_OK(salesight_interned_canonical_order(in));
    CHECK_OK(salesight_interned_canonical_order(two));
    CHECK_OK(salesight_interned_codes(in, &codes));
    CHECK_OK(salesight_interned_codes(two, &codes2));
    for (i = 0; i < n; ++i) differ += codes[i] != codes2[i];
    CHECK(differ == 0 && codes[0] == 0); /* "v0" sorts first */
    salesight_interned_destroy(two);
    salesight_interned_destroy(in);
    free(data);
    free(offsets);
  }

  /* Misuse: a status naming the argument or row, never a crash. */
  in = NULL;
  CHECK_STATUS(salesight_interned_create(kOffsets, kData, 6, NULL, 1, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_create(NULL, kData, 6, NULL, 1, &in),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("offsets");
  CHECK_STATUS(salesight_interned_create(kOffsets, kData, -1, NULL, 1, &in),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_create(kOffsets, kData, 6, NULL, -1, &in),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_create(kBadOffsets, kData, 2, NULL, 1, &in),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("row 1: offsets decreasing");
  CHECK_STATUS(salesight_interned_create(kNulOffsets, kNul, 2, NULL, 1, &in),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("row 1: a NUL byte");
  CHECK(in == NULL);
  CHECK_OK(salesight_interned_create(NULL, NULL, 0, NULL, 1, &in));
  CHECK_OK(salesight_interned_num_rows(in, &rows));
  CHECK(rows == 0);
  salesight_interned_destroy(in);
  CHECK_STATUS(salesight_interned_codes(NULL, &codes), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_num_rows(NULL, &rows), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_dictionary(NULL, &dict, &count),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_first_null(NULL, &first_null), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_interned_canonical_order(NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_interned_destroy(NULL);
}

/* ------------------------------------------------------------ version/errors */

static void test_version_and_errors(void) {
  static const salesight_status codes[] = {
      SALESIGHT_OK, SALESIGHT_ERR_INVALID_ARGUMENT, SALESIGHT_ERR_TYPE_MISMATCH,
      SALESIGHT_ERR_LENGTH_MISMATCH, SALESIGHT_ERR_UNKNOWN_COLUMN, SALESIGHT_ERR_UNSUPPORTED,
      SALESIGHT_ERR_OUT_OF_MEMORY, SALESIGHT_ERR_OUT_OF_RANGE, SALESIGHT_ERR_IO,
      SALESIGHT_ERR_INTERNAL};
  size_t i;
  CHECK(salesight_version_number() == SALESIGHT_VERSION_NUMBER);
  CHECK(strcmp(salesight_version_string(), SALESIGHT_VERSION_STRING) == 0);
  for (i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
    const char* name = salesight_status_name(codes[i]);
    CHECK(name != NULL && strncmp(name, "SALESIGHT_", 10) == 0);
    CHECK(strcmp(name, "SALESIGHT_ERR_UNKNOWN") != 0);
  }
  CHECK(strcmp(salesight_status_name(SALESIGHT_ERR_TYPE_MISMATCH), "SALESIGHT_ERR_TYPE_MISMATCH") ==
        0);
  CHECK(strcmp(salesight_status_name(12345), "SALESIGHT_ERR_UNKNOWN") == 0);
  CHECK(strcmp(salesight_status_name(-1), "SALESIGHT_ERR_UNKNOWN") == 0);
  CHECK(salesight_last_error() != NULL);
}

/* -------------------------------------------------------------------- tables */

/* 6 order lines, 3 customers ("A" twice, "B" three times, "C" once). */
static const int64_t kOrderId[6] = {1, 2, 3, 4, 5, 6};
static const int32_t kOrderDay[6] = {19000, 19010, 19020, 19030, 19040, 19050};
static const char* const kCustomer[6] = {"A", "B", "A", "B", "B", "C"};
static const double kAmount[6] = {10.5, 20.25, 1.0, 0.1, 99.99, 5.0};
static const int32_t kQuantity[6] = {1, 2, 1, 1, 3, 1};
static const int32_t kProduct[6] = {0, 1, 0, 1, 1, 0};
static const int64_t kUnitCost[6] = {500, 800, 500, 800, 800, 500};

static salesight_table* build_orders(void) {
  static const char* const product_codes[2] = {"P-1", "P-2"};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
  CHECK_OK(salesight_table_builder_set_money_scale(b, 2));
  CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, kOrderId, 6,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, kOrderDay, 6,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, kCustomer, 6,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_FLOAT64, kAmount, 6,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "quantity", SALESIGHT_TYPE_INT32, kQuantity, 6,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_set_dictionary(b, "product", product_codes, 2));
  CHECK_OK(salesight_table_builder_add_column(b, "product", SALESIGHT_TYPE_INT32, kProduct, 6,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "unit_cost", SALESIGHT_TYPE_MONEY, kUnitCost, 6,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  CHECK(t != NULL);
  salesight_table_builder_destroy(b);
  return t;
}

static void test_builder_errors(void) {
  static const int64_t big[2] = {1, 5000000000LL};
  static const double odd_cents[2] = {1.25, 1.255};
  static const uint8_t second_null[1] = {0x01}; /* row 0 valid, row 1 null */
  static const int32_t days[2] = {19000, 19001};
  static const char* const null_code[1] = {NULL};
  static const char* const dup_codes[2] = {"x", "x"};
  salesight_table_builder* b = NULL;
  salesight_table* t = (salesight_table*)&b; /* must be reset to NULL on failure */

  CHECK_STATUS(salesight_table_builder_create(99, &b), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(b == NULL);
  CHECK_STATUS(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));

  /* NULL and misuse */
  CHECK_STATUS(salesight_table_builder_add_column(NULL, "amount", SALESIGHT_TYPE_MONEY, kUnitCost,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_add_column(b, NULL, SALESIGHT_TYPE_MONEY, kUnitCost, 6,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, NULL, 6,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kUnitCost,
                                                  -1, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("negative length");
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kUnitCost, 6,
                                                  NULL, 7),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", 42, kUnitCost, 6, NULL,
                                                  SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  /* unknown column, wrong type */
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount_usd", SALESIGHT_TYPE_MONEY,
                                                  kUnitCost, 6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_UNKNOWN_COLUMN);
  CHECK_MESSAGE("amount_usd");
  CHECK_STATUS(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_FLOAT64, kAmount,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_STRING, kCustomer,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_INT64, kOrderId,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_TYPE_MISMATCH);
  /* lengths: the first accepted column fixes 6 rows */
  CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, kOrderId, 6,
                                              NULL, SALESIGHT_BORROW));
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kUnitCost, 5,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_LENGTH_MISMATCH);
  CHECK_MESSAGE("order_id");
  /* added twice */
  CHECK_STATUS(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, kOrderId,
                                                  6, NULL, SALESIGHT_BORROW),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  /* scale */
  CHECK_STATUS(salesight_table_builder_set_money_scale(b, 7), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_set_money_scale(NULL, 2), SALESIGHT_ERR_INVALID_ARGUMENT);
  /* dictionaries */
  CHECK_STATUS(salesight_table_builder_set_dictionary(b, "product", null_code, 1),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_set_dictionary(b, "product", dup_codes, 2),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_set_dictionary(b, "amount", dup_codes, 1),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_set_dictionary(b, "nope", dup_codes, 1),
               SALESIGHT_ERR_UNKNOWN_COLUMN);
  CHECK_STATUS(salesight_table_builder_set_dictionary(NULL, "product", dup_codes, 1),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_share_dictionaries(b, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_share_dictionaries(NULL, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  /* kind-specific setters on the wrong kind */
  CHECK_STATUS(salesight_table_builder_set_invoices(b, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_set_target_level(b, SALESIGHT_TARGET_REGION),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  /* missing required columns at finish: the message names one */
  CHECK_STATUS(salesight_table_builder_finish(b, &t), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(t == NULL);
  CHECK_MESSAGE("required column");
  /* the builder is spent */
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kUnitCost, 6,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_finish(b, &t), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_finish(b, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_table_builder_destroy(b);

  /* value errors, each naming the row */
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
  CHECK_STATUS(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT64, big, 2,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_OUT_OF_RANGE);
  CHECK_MESSAGE("row 1");
  CHECK_STATUS(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_FLOAT64, odd_cents,
                                                  2, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("row 1");
  CHECK_STATUS(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, days, 2,
                                                  second_null, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("row 1 is null");
  CHECK_STATUS(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, null_code,
                                                  1, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  /* after rejected columns, a 3-row column is still accepted */
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_FLOAT64, kAmount, 3,
                                              NULL, SALESIGHT_COPY));
  /* FLOAT64 money was converted at scale 2: the scale can no longer change */
  CHECK_STATUS(salesight_table_builder_set_money_scale(b, 3), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_builder_set_money_scale(b, 2));
  salesight_table_builder_destroy(b);
  salesight_table_builder_destroy(NULL);
}

static void test_tables(salesight_table* orders) {
  static const char* const cust_codes[3] = {"C", "A", "B"};
  static const int64_t limits[3] = {100000, 500000, 0};
  static const int32_t created[3] = {18000, 18001, 0};
  static const uint8_t created_valid[1] = {0x03}; /* third is null = no date */
  static const char* const prod_codes[2] = {"P-2", "P-1"};
  static const int64_t std_cost[2] = {800, 500};
  static const char* const tier_prod[2] = {"P-1", "P-1"};
  static const int32_t tier_min[2] = {1, 10};
  static const int64_t tier_cost[2] = {500, 450};
  static const int64_t inv_id[3] = {100, 101, 102};
  static const char* const inv_cust[3] = {"A", "B", "Z"};
  static const int32_t inv_date[3] = {19000, 19010, 19020};
  static const int32_t inv_due[3] = {19030, 19040, 19050};
  static const int64_t inv_amount[3] = {1050, 2025, 500};
  static const int64_t pay_row[2] = {0, 1};
  static const int32_t pay_date[2] = {19020, 19030};
  static const int64_t pay_amount[2] = {1050, 1000};
  static const char* const target_key[2] = {"North", "South"};
  static const int32_t target_month[2] = {202401, 202402};
  static const int64_t target_amount[2] = {100000, 200000};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  salesight_table* invoices = NULL;
  int64_t rows = 0;
  int32_t scale = 0;
  salesight_table_kind kind = 0;

  CHECK_OK(salesight_table_num_rows(orders, &rows));
  CHECK(rows == 6);
  CHECK_OK(salesight_table_kind_of(orders, &kind));
  CHECK(kind == SALESIGHT_TABLE_ORDERS);
  CHECK_OK(salesight_table_money_scale(orders, &scale));
  CHECK(scale == 2);
  CHECK_STATUS(salesight_table_num_rows(NULL, &rows), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_num_rows(orders, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_kind_of(NULL, &kind), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_money_scale(NULL, &scale), SALESIGHT_ERR_INVALID_ARGUMENT);

  /* customers sharing the orders' customer codes: "C", "A", "B" keep the ids
   * the orders gave them (A=0, B=1, C=2) */
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_CUSTOMERS, &b));
  CHECK_OK(salesight_table_builder_share_dictionaries(b, orders));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, cust_codes, 3,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "credit_limit", SALESIGHT_TYPE_MONEY, limits, 3,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "created", SALESIGHT_TYPE_DATE, created, 3,
                                              created_valid, SALESIGHT_COPY));
  CHECK_STATUS(salesight_table_builder_share_dictionaries(b, orders),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* after customer strings were added */
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  CHECK_OK(salesight_table_num_rows(t, &rows));
  CHECK(rows == 3);
  salesight_table_destroy(t);
  t = NULL;

  /* products with cost tiers; tier columns have their own length */
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PRODUCTS, &b));
  CHECK_OK(salesight_table_builder_share_dictionaries(b, orders));
  CHECK_OK(salesight_table_builder_add_column(b, "product", SALESIGHT_TYPE_STRING, prod_codes, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "standard_cost", SALESIGHT_TYPE_MONEY, std_cost,
                                              2, NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "tier_product", SALESIGHT_TYPE_STRING, tier_prod,
                                              2, NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "tier_min_quantity", SALESIGHT_TYPE_INT32,
                                              tier_min, 2, NULL, SALESIGHT_COPY));
  CHECK_STATUS(salesight_table_builder_add_column(b, "tier_unit_cost", SALESIGHT_TYPE_MONEY,
                                                  tier_cost, 1, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_LENGTH_MISMATCH);
  CHECK_OK(salesight_table_builder_add_column(b, "tier_unit_cost", SALESIGHT_TYPE_MONEY,
                                              tier_cost, 2, NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  salesight_table_destroy(t);
  t = NULL;

  /* standard_cost is nullable (a product master with gaps): a null bit or a
   * NaN means "no standard cost"; a negative amount is still an error. */
  {
    static const uint8_t second_is_null = 0x01;
    static const double nan_cost[2] = {8.0, NAN};
    static const int64_t negative_cost[2] = {800, -5};
    const salesight_type types[3] = {SALESIGHT_TYPE_MONEY, SALESIGHT_TYPE_FLOAT64,
                                     SALESIGHT_TYPE_MONEY};
    const void* values[3] = {std_cost, nan_cost, negative_cost};
    const uint8_t* validity[3] = {&second_is_null, NULL, NULL};
    int k;
    for (k = 0; k < 3; ++k) {
      CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PRODUCTS, &b));
      CHECK_OK(salesight_table_builder_add_column(b, "product", SALESIGHT_TYPE_STRING, prod_codes,
                                                  2, NULL, SALESIGHT_COPY));
      CHECK_OK(salesight_table_builder_add_column(b, "standard_cost", types[k], values[k], 2,
                                                  validity[k], SALESIGHT_COPY));
      if (k < 2) {
        CHECK_OK(salesight_table_builder_finish(b, &t));
      } else {
        CHECK_STATUS(salesight_table_builder_finish(b, &t), SALESIGHT_ERR_INVALID_ARGUMENT);
        CHECK(strstr(salesight_last_error(), "row 1") != NULL);
      }
      salesight_table_builder_destroy(b);
      salesight_table_destroy(t);
      t = NULL;
    }
  }

  /* invoices, then payments against them */
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_INVOICES, &b));
  CHECK_OK(salesight_table_builder_add_column(b, "invoice", SALESIGHT_TYPE_INT64, inv_id, 3, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, inv_cust, 3,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "invoice_date", SALESIGHT_TYPE_DATE, inv_date, 3,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "due_date", SALESIGHT_TYPE_DATE, inv_due, 3,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, inv_amount, 3,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &invoices));
  salesight_table_builder_destroy(b);

  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PAYMENTS, &b));
  CHECK_STATUS(salesight_table_builder_set_invoices(b, orders), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_set_invoices(b, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_builder_add_column(b, "invoice_row", SALESIGHT_TYPE_INT64, pay_row, 2,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "date", SALESIGHT_TYPE_DATE, pay_date, 2, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, pay_amount, 2,
                                              NULL, SALESIGHT_BORROW));
  CHECK_STATUS(salesight_table_builder_finish(b, &t), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_table_builder_destroy(b);
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PAYMENTS, &b));
  CHECK_OK(salesight_table_builder_set_invoices(b, invoices));
  CHECK_OK(salesight_table_builder_add_column(b, "invoice_row", SALESIGHT_TYPE_INT64, pay_row, 2,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "date", SALESIGHT_TYPE_DATE, pay_date, 2, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, pay_amount, 2,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  CHECK_OK(salesight_table_kind_of(t, &kind));
  CHECK(kind == SALESIGHT_TABLE_PAYMENTS);
  salesight_table_destroy(t);
  t = NULL;
  salesight_table_destroy(invoices);

  /* targets by region */
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_TARGETS, &b));
  CHECK_STATUS(salesight_table_builder_set_target_level(b, 9), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_builder_set_target_level(b, SALESIGHT_TARGET_REGION));
  CHECK_OK(salesight_table_builder_add_column(b, "key", SALESIGHT_TYPE_STRING, target_key, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_STATUS(salesight_table_builder_set_target_level(b, SALESIGHT_TARGET_SALESPERSON),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_builder_add_column(b, "month", SALESIGHT_TYPE_INT32, target_month, 2,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, target_amount, 2,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  salesight_table_destroy(t);
  salesight_table_destroy(NULL);
}

/* A 4-opportunity pipeline, 3 stages; null stage dates through the bitmap and
 * NaT timestamps. */
static salesight_table* build_pipeline(void) {
  static const int64_t id[4] = {1, 2, 3, 4};
  static const int64_t ns_per_day = 86400000000000LL;
  int64_t created_ns[4];
  static const int32_t lead[4] = {19000, 19001, 19002, 19003};
  static const int32_t quote[4] = {19005, 19008, 0, 0};
  static const uint8_t quote_valid[1] = {0x03};
  static const char* const won[4] = {"2022-01-20", NULL, NULL, ""};
  static const char* const region[4] = {"N", "S", "N", "S"};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  int i;
  for (i = 0; i < 4; ++i) created_ns[i] = (int64_t)lead[i] * ns_per_day + 3600000000000LL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PIPELINE, &b));
  CHECK_OK(salesight_table_builder_add_column(b, "opportunity", SALESIGHT_TYPE_INT64, id, 4, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "created", SALESIGHT_TYPE_TIMESTAMP_NS,
                                              created_ns, 4, NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "region", SALESIGHT_TYPE_STRING, region, 4, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:lead", SALESIGHT_TYPE_DATE, lead, 4, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:quote", SALESIGHT_TYPE_DATE, quote, 4,
                                              quote_valid, SALESIGHT_COPY));
  CHECK_STATUS(salesight_table_builder_add_column(b, "stage:quote", SALESIGHT_TYPE_DATE, quote, 4,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_add_column(b, "stage:", SALESIGHT_TYPE_DATE, quote, 4,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_builder_add_column(b, "stage:won", SALESIGHT_TYPE_STRING, won, 4, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  return t;
}

/* ------------------------------------------------------------------- results */

static void test_result(const salesight_result* r) {
  int32_t columns = 0, i, index = -1, scale = 0;
  int64_t rows = 0;
  const char* name = NULL;
  const char* text = NULL;
  const int64_t* ints = NULL;
  const double* doubles = NULL;
  const uint8_t* valid = NULL;
  salesight_type type = 0;

  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK_OK(salesight_result_num_columns(r, &columns));
  CHECK(columns > 0);
  for (i = 0; i < columns; ++i) {
    CHECK_OK(salesight_result_column_name(r, i, &name));
    CHECK(name != NULL && name[0] != '\0');
    CHECK_OK(salesight_result_column_index(r, name, &index));
    CHECK(index == i);
    CHECK_OK(salesight_result_column_type(r, i, &type));
    CHECK_OK(salesight_result_column_validity(r, i, &valid));
    switch (type) {
      case SALESIGHT_TYPE_INT64:
      case SALESIGHT_TYPE_DATE:
      case SALESIGHT_TYPE_MONEY:
        CHECK_OK(salesight_result_column_int64(r, i, &ints));
        CHECK(rows == 0 || ints != NULL);
        CHECK_STATUS(salesight_result_column_double(r, i, &doubles), SALESIGHT_ERR_TYPE_MISMATCH);
        CHECK_STATUS(salesight_result_column_string(r, i, 0, &text), SALESIGHT_ERR_TYPE_MISMATCH);
        {
          const int32_t* codes = NULL;
          int64_t num_labels = 0;
          CHECK_STATUS(salesight_result_column_codes(r, i, &codes, &num_labels),
                       SALESIGHT_ERR_TYPE_MISMATCH);
          CHECK_STATUS(salesight_result_column_label(r, i, 0, &text),
                       SALESIGHT_ERR_TYPE_MISMATCH);
        }
        if (type == SALESIGHT_TYPE_MONEY) {
          CHECK_OK(salesight_result_column_money_scale(r, i, &scale));
          CHECK(scale >= 0 && scale <= 6);
        } else {
          CHECK_STATUS(salesight_result_column_money_scale(r, i, &scale),
                       SALESIGHT_ERR_TYPE_MISMATCH);
        }
        break;
      case SALESIGHT_TYPE_FLOAT64: {
        int64_t row;
        CHECK_OK(salesight_result_column_double(r, i, &doubles));
        for (row = 0; row < rows; ++row) {
          CHECK(!isnan(doubles[row]) && !isinf(doubles[row])); /* nulls are flagged, not NaN */
        }
        CHECK_STATUS(salesight_result_column_int64(r, i, &ints), SALESIGHT_ERR_TYPE_MISMATCH);
        break;
      }
      case SALESIGHT_TYPE_STRING: {
        const int32_t* codes = NULL;
        int64_t num_labels = 0, row;
        if (rows > 0) {
          CHECK_OK(salesight_result_column_string(r, i, rows - 1, &text));
          CHECK(text != NULL);
        }
        /* Encoded or not, every row reads the same through codes + labels as
         * through salesight_result_column_string. */
        CHECK_OK(salesight_result_column_codes(r, i, &codes, &num_labels));
        if (codes == NULL) {
          CHECK(num_labels == 0);
          CHECK_STATUS(salesight_result_column_label(r, i, 0, &text),
                       SALESIGHT_ERR_TYPE_MISMATCH);
        } else {
          CHECK(num_labels >= 0 || num_labels == SALESIGHT_LABELS_DECIMAL);
          for (row = 0; row < rows; ++row) {
            char decimal[16];
            const char* label = NULL;
            CHECK(codes[row] >= 0);
            if (num_labels == SALESIGHT_LABELS_DECIMAL) {
              snprintf(decimal, sizeof decimal, "%ld", (long)codes[row]);
              label = decimal;
            } else {
              CHECK(codes[row] < num_labels);
              CHECK_OK(salesight_result_column_label(r, i, codes[row], &label));
            }
            CHECK_OK(salesight_result_column_string(r, i, row, &text));
            CHECK(strcmp(text, label) == 0);
          }
          if (num_labels >= 0) {
            CHECK_STATUS(salesight_result_column_label(r, i, num_labels, &text),
                         SALESIGHT_ERR_INVALID_ARGUMENT);
            CHECK_STATUS(salesight_result_column_label(r, i, -1, &text),
                         SALESIGHT_ERR_INVALID_ARGUMENT);
          } else {
            CHECK_STATUS(salesight_result_column_label(r, i, 0, &text),
                         SALESIGHT_ERR_TYPE_MISMATCH);
          }
        }
        CHECK_STATUS(salesight_result_column_codes(r, i, NULL, &num_labels),
                     SALESIGHT_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(salesight_result_column_codes(r, i, &codes, NULL),
                     SALESIGHT_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(salesight_result_column_string(r, i, rows, &text),
                     SALESIGHT_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(salesight_result_column_string(r, i, -1, &text),
                     SALESIGHT_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(salesight_result_column_int64(r, i, &ints), SALESIGHT_ERR_TYPE_MISMATCH);
        break;
      }
      default: CHECK(0 && "unknown result column type");
    }
  }
  CHECK_STATUS(salesight_result_column_name(r, columns, &name), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_name(r, -1, &name), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_type(r, columns, &type), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_index(r, "no such column", &index),
               SALESIGHT_ERR_UNKNOWN_COLUMN);
  CHECK_STATUS(salesight_result_column_index(r, NULL, &index), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_num_rows(NULL, &rows), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_num_columns(NULL, &columns), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_int64(NULL, 0, &ints), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_double(r, 0, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_validity(NULL, 0, &valid), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_column_string(NULL, 0, 0, &text), SALESIGHT_ERR_INVALID_ARGUMENT);
  {
    const int32_t* codes = NULL;
    int64_t num_labels = 0;
    CHECK_STATUS(salesight_result_column_codes(NULL, 0, &codes, &num_labels),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(salesight_result_column_codes(r, columns, &codes, &num_labels),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(salesight_result_column_label(NULL, 0, 0, &text), SALESIGHT_ERR_INVALID_ARGUMENT);
  }
  CHECK_STATUS(salesight_result_column_money_scale(NULL, 0, &scale),
               SALESIGHT_ERR_INVALID_ARGUMENT);
}

/* Column `name` as int64 at `row`. */
static int64_t int_at(const salesight_result* r, const char* name, int64_t row) {
  int32_t c = -1;
  const int64_t* v = NULL;
  CHECK_OK(salesight_result_column_index(r, name, &c));
  CHECK_OK(salesight_result_column_int64(r, c, &v));
  return v == NULL ? -999 : v[row];
}

static const char* text_at(const salesight_result* r, const char* name, int64_t row) {
  int32_t c = -1;
  const char* v = NULL;
  CHECK_OK(salesight_result_column_index(r, name, &c));
  CHECK_OK(salesight_result_column_string(r, c, row, &v));
  return v == NULL ? "" : v;
}

/* salesight_result_problems: a funnel over text opportunity ids whose second
 * lead is won before its lead date lists that problem naming the id as given
 * (never the internal dense id); a clean funnel and a problems result itself
 * give the empty table; NULL arguments are INVALID_ARGUMENT. */
static void test_problems(const salesight_table* clean_pipeline) {
  static const char* const id[3] = {"0f3a9c2e7b1d4e5f8a6b7c9d0e1f2a3b",
                                    "a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b",
                                    "b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1"};
  static const int32_t lead[3] = {19000, 19005, 19003};
  static const int32_t won[3] = {19009, 19002, 0};
  static const uint8_t won_valid[1] = {0x03};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  salesight_result* r = NULL;
  salesight_result* p = NULL;
  salesight_result* empty = NULL;
  int64_t rows = -1;
  int32_t columns = -1, c = -1;
  const int64_t* counts = NULL;
  const uint8_t* valid = NULL;

  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PIPELINE, &b));
  CHECK_OK(salesight_table_builder_add_column(b, "opportunity", SALESIGHT_TYPE_STRING, id, 3,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "created", SALESIGHT_TYPE_DATE, lead, 3, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:lead", SALESIGHT_TYPE_DATE, lead, 3, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:won", SALESIGHT_TYPE_DATE, won, 3,
                                              won_valid, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);

  CHECK_OK(salesight_funnel_compute(t, NULL, &r));
  CHECK_OK(salesight_result_problems(r, &p));
  CHECK_OK(salesight_result_num_rows(p, &rows));
  CHECK(rows == 1);
  CHECK_OK(salesight_result_num_columns(p, &columns));
  CHECK(columns == 6);
  if (rows == 1) {
    CHECK(strcmp(text_at(p, "problem", 0), "backwards_dates") == 0);
    CHECK(int_at(p, "count", 0) == 2); /* won < lead and won < created */
    CHECK(strcmp(text_at(p, "example_ids", 0),
                 "a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b;a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b") == 0);
    CHECK(strcmp(text_at(p, "example_rows", 0), "1;1") == 0);
    CHECK(strstr(text_at(p, "message", 0), "opportunity 'a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b'") !=
          NULL);
    CHECK(strstr(text_at(p, "message", 0), "opportunity '1'") == NULL);
    CHECK_OK(salesight_result_column_index(p, "amount", &c));
    CHECK_OK(salesight_result_column_validity(p, c, &valid));
    CHECK(valid != NULL && valid[0] == 0); /* no money involved: null */
  }
  /* the problems of a problems result: the empty table, same columns */
  CHECK_OK(salesight_result_problems(p, &empty));
  CHECK_OK(salesight_result_num_rows(empty, &rows));
  CHECK(rows == 0);
  CHECK_OK(salesight_result_num_columns(empty, &columns));
  CHECK(columns == 6);
  CHECK_OK(salesight_result_column_index(empty, "count", &c));
  CHECK_OK(salesight_result_column_int64(empty, c, &counts));
  salesight_result_destroy(empty);
  empty = NULL;
  salesight_result_destroy(p);
  p = NULL;
  salesight_result_destroy(r);
  r = NULL;
  salesight_table_destroy(t);

  /* a clean funnel: no problem */
  CHECK_OK(salesight_funnel_compute(clean_pipeline, NULL, &r));
  CHECK_OK(salesight_result_problems(r, &p));
  CHECK_OK(salesight_result_num_rows(p, &rows));
  CHECK(rows == 0);
  salesight_result_destroy(p);
  p = NULL;

  /* NULL arguments */
  CHECK_STATUS(salesight_result_problems(NULL, &p), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(p == NULL);
  CHECK_MESSAGE("result");
  CHECK_STATUS(salesight_result_problems(r, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("out");
  salesight_result_destroy(r);
}

/* salesight_table_builder_set_num_threads: 2^19 + 3 rows, so two threads get
 * two chunks; every thread count gives the table one thread gives (dates
 * before and after 1970 with a time of day, INT64 ids), and the same errors. */
static int64_t floor_day(int64_t ns) {
  const int64_t per_day = 86400000000000LL;
  int64_t q = ns / per_day;
  if (ns % per_day < 0) --q;
  return q;
}

static void test_builder_threads(void) {
  const int64_t n = (1 << 19) + 3;
  const int32_t thread_counts[4] = {1, 2, 0, 3};
  int64_t* order_id = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* ids = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* ns = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* amount = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* created = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t i;
  int k;
  CHECK(order_id != NULL && ids != NULL && ns != NULL && amount != NULL && created != NULL);
  if (order_id == NULL || ids == NULL || ns == NULL || amount == NULL || created == NULL) return;
  for (i = 0; i < n; ++i) {
    order_id[i] = i;
    ids[i] = (i * 7) % 1000;
    /* days -3000 .. 26999 (1961-10-15 .. 2043-12-03), seconds 0 .. 86399 */
    ns[i] = (-3000 + (i * 13) % 30000) * 86400000000000LL + ((i * 7919) % 86400) * 1000000000LL;
    amount[i] = i % 777;
    /* a nullable date column: every 1000th row (0, 1000, ...) NaT */
    created[i] = i % 1000 == 0 ? INT64_MIN : ns[i];
  }
  for (k = 0; k < 4; ++k) {
    salesight_table_builder* b = NULL;
    salesight_table* t = NULL;
    salesight_result* r = NULL;
    int64_t rows = 0;
    const int64_t probe[5] = {0, 1, (1 << 18) - 1, 1 << 18, n - 1};
    int p;
    CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
    CHECK_OK(salesight_table_builder_set_num_threads(b, thread_counts[k]));
    CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, order_id, n,
                                                NULL, SALESIGHT_BORROW));
    CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT64, ids, n, NULL,
                                                SALESIGHT_BORROW));
    CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_TIMESTAMP_NS, ns,
                                                n, NULL, SALESIGHT_BORROW));
    CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, amount, n,
                                                NULL, SALESIGHT_BORROW));
    CHECK_OK(salesight_table_builder_finish(b, &t));
    CHECK_STATUS(salesight_table_builder_set_num_threads(b, 2), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("already finished");
    salesight_table_builder_destroy(b);
    CHECK_OK(salesight_table_num_rows(t, &rows));
    CHECK(rows == n);
    CHECK_OK(salesight_table_columns(t, &r));
    for (p = 0; p < 5; ++p) {
      char code[32];
      int32_t col = -1;
      const char* text = NULL;
      CHECK(int_at(r, "order_date", probe[p]) == floor_day(ns[probe[p]]));
      sprintf(code, "%ld", (long)ids[probe[p]]);
      CHECK_OK(salesight_result_column_index(r, "customer", &col));
      CHECK_OK(salesight_result_column_string(r, col, probe[p], &text));
      CHECK(text != NULL && strcmp(text, code) == 0);
    }
    salesight_result_destroy(r);
    salesight_table_destroy(t);
    /* NaT in a nullable TIMESTAMP_NS column: null, in any chunk. */
    r = NULL;
    t = NULL;
    CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_CUSTOMERS, &b));
    CHECK_OK(salesight_table_builder_set_num_threads(b, thread_counts[k]));
    CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT64, order_id, n,
                                                NULL, SALESIGHT_BORROW));
    CHECK_OK(salesight_table_builder_add_column(b, "created", SALESIGHT_TYPE_TIMESTAMP_NS,
                                                created, n, NULL, SALESIGHT_BORROW));
    CHECK_OK(salesight_table_builder_finish(b, &t));
    salesight_table_builder_destroy(b);
    CHECK_OK(salesight_table_columns(t, &r));
    {
      const int64_t rows_to_check[6] = {0, 1, 999, 1000, 262000, 262001};
      const uint8_t* valid = NULL;
      int32_t col = -1;
      CHECK_OK(salesight_result_column_index(r, "created", &col));
      CHECK_OK(salesight_result_column_validity(r, col, &valid));
      CHECK(valid != NULL);
      for (p = 0; p < 6 && valid != NULL; ++p) {
        const int64_t row = rows_to_check[p];
        const int is_valid = valid[row] != 0; /* one byte per row */
        CHECK(is_valid == (row % 1000 != 0));
        if (is_valid) CHECK(int_at(r, "created", row) == floor_day(ns[row]));
      }
    }
    salesight_result_destroy(r);
    salesight_table_destroy(t);
  }
  /* Errors name the first bad row whichever chunk holds it. */
  ids[n - 2] = 5000000000LL;
  ids[n - 1] = -5000000000LL;
  ns[(1 << 18) + 5] = INT64_MIN; /* NaT in a required date column */
  for (k = 0; k < 2; ++k) {
    salesight_table_builder* b = NULL;
    CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
    CHECK_OK(salesight_table_builder_set_num_threads(b, thread_counts[k]));
    CHECK_STATUS(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT64, ids, n,
                                                    NULL, SALESIGHT_BORROW),
                 SALESIGHT_ERR_OUT_OF_RANGE);
    CHECK_MESSAGE("orders column 'customer' row 524289: 5000000000 does not fit in 32 bits");
    CHECK_STATUS(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_TIMESTAMP_NS,
                                                    ns, n, NULL, SALESIGHT_BORROW),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("orders column 'order_date' row 262149 is null");
    salesight_table_builder_destroy(b);
  }
  CHECK_STATUS(salesight_table_builder_set_num_threads(NULL, 2), SALESIGHT_ERR_INVALID_ARGUMENT);
  {
    salesight_table_builder* b = NULL;
    CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
    CHECK_STATUS(salesight_table_builder_set_num_threads(b, -1), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("num_threads -1 is negative");
    salesight_table_builder_destroy(b);
  }
  free(order_id);
  free(ids);
  free(ns);
  free(amount);
  free(created);
}

/* salesight_table_builder_set_keep_wide: the RFM of a table whose INT64 ids
 * and TIMESTAMP_NS dates were kept wide is the narrowed table's, cell for
 * cell (rows across several scan blocks, 1 and 2 threads, a window); other
 * uses (the table's columns, another output) narrow it; errors are the same. */
static int same_results(const salesight_result* a, const salesight_result* b) {
  int64_t rows_a = -1, rows_b = -2, row;
  int32_t cols_a = -1, cols_b = -2, c;
  CHECK_OK(salesight_result_num_rows(a, &rows_a));
  CHECK_OK(salesight_result_num_rows(b, &rows_b));
  CHECK_OK(salesight_result_num_columns(a, &cols_a));
  CHECK_OK(salesight_result_num_columns(b, &cols_b));
  if (rows_a != rows_b || cols_a != cols_b) return 0;
  for (c = 0; c < cols_a; ++c) {
    salesight_type ta = 0, tb = 0;
    CHECK_OK(salesight_result_column_type(a, c, &ta));
    CHECK_OK(salesight_result_column_type(b, c, &tb));
    if (ta != tb) return 0;
    for (row = 0; row < rows_a; ++row) {
      if (ta == SALESIGHT_TYPE_STRING) {
        const char* sa = NULL;
        const char* sb = NULL;
        CHECK_OK(salesight_result_column_string(a, c, row, &sa));
        CHECK_OK(salesight_result_column_string(b, c, row, &sb));
        if (sa == NULL || sb == NULL || strcmp(sa, sb) != 0) return 0;
      } else if (ta == SALESIGHT_TYPE_FLOAT64) {
        const double* da = NULL;
        const double* db = NULL;
        CHECK_OK(salesight_result_column_double(a, c, &da));
        CHECK_OK(salesight_result_column_double(b, c, &db));
        if (da == NULL || db == NULL || memcmp(&da[row], &db[row], sizeof(double)) != 0) return 0;
      } else {
        const int64_t* ia = NULL;
        const int64_t* ib = NULL;
        CHECK_OK(salesight_result_column_int64(a, c, &ia));
        CHECK_OK(salesight_result_column_int64(b, c, &ib));
        if (ia == NULL || ib == NULL || ia[row] != ib[row]) return 0;
      }
    }
  }
  return 1;
}

static salesight_table* keep_wide_table(int32_t keep, const int64_t* order_id, const int64_t* ids,
                                        const int64_t* ns, const int64_t* amount, int64_t n,
                                        salesight_status expected) {
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
  CHECK_OK(salesight_table_builder_set_keep_wide(b, keep));
  CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, order_id, n,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT64, ids, n, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_TIMESTAMP_NS, ns,
                                              n, NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, amount, n, NULL,
                                              SALESIGHT_BORROW));
  CHECK_STATUS(salesight_table_builder_finish(b, &t), expected);
  salesight_table_builder_destroy(b);
  return t;
}

static void test_builder_keep_wide(void) {
  const int64_t n = 20011; /* 2 whole scan blocks of 8192 rows and a partial one */
  int64_t* order_id = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* ids = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* ns = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t* amount = (int64_t*)malloc((size_t)n * sizeof(int64_t));
  int64_t i, rows = 0;
  int k, output;
  CHECK(order_id != NULL && ids != NULL && ns != NULL && amount != NULL);
  if (order_id == NULL || ids == NULL || ns == NULL || amount == NULL) return;
  for (i = 0; i < n; ++i) {
    order_id[i] = i / 3; /* orders of 3 lines */
    ids[i] = (i * 7919) % 3001;
    ns[i] = (-400 + (i * 13) % 20000) * 86400000000000LL + ((i * 7919) % 86400) * 1000000000LL;
    amount[i] = i % 11 == 0 ? -(i % 500) : i % 777;
  }
  {
    salesight_table* narrow = keep_wide_table(0, order_id, ids, ns, amount, n, SALESIGHT_OK);
    salesight_table* wide = keep_wide_table(1, order_id, ids, ns, amount, n, SALESIGHT_OK);
    salesight_result* a = NULL;
    salesight_result* b = NULL;
    CHECK_OK(salesight_table_num_rows(wide, &rows));
    CHECK(rows == n);
    for (k = 0; k < 4; ++k) {
      for (output = SALESIGHT_RFM_OUTPUT_CUSTOMERS; output <= SALESIGHT_RFM_OUTPUT_NEW_RETURNING;
           ++output) {
        salesight_rfm_options o = SALESIGHT_RFM_OPTIONS_INIT;
        o.num_threads = 1 + k % 2;
        o.output = output;
        if (k >= 2) {
          o.as_of = 15000;
          o.window_days = 4000;
          o.frequency = SALESIGHT_RFM_FREQUENCY_DAYS;
        }
        CHECK_OK(salesight_rfm_compute(narrow, &o, &a));
        CHECK_OK(salesight_rfm_compute(wide, &o, &b));
        CHECK(same_results(a, b));
        salesight_result_destroy(a);
        salesight_result_destroy(b);
      }
    }
    /* Another use narrows the kept columns: the same columns out. */
    CHECK_OK(salesight_table_columns(narrow, &a));
    CHECK_OK(salesight_table_columns(wide, &b));
    CHECK(same_results(a, b));
    salesight_result_destroy(a);
    salesight_result_destroy(b);
    salesight_table_destroy(narrow);
    salesight_table_destroy(wide);
  }
  /* Errors: the same codes and messages with and without keep. */
  ids[n - 1] = 5000000; /* too sparse for n rows: refused at finish */
  CHECK(keep_wide_table(1, order_id, ids, ns, amount, n, SALESIGHT_ERR_OUT_OF_RANGE) == NULL);
  CHECK_MESSAGE("orders row 20010, column 'customer': id 5000000 is too sparse");
  ids[n - 1] = -3; /* negative: refused at finish (the kept range decides it, not a placeholder) */
  CHECK(keep_wide_table(1, order_id, ids, ns, amount, n, SALESIGHT_ERR_OUT_OF_RANGE) == NULL);
  CHECK_MESSAGE("orders row 20010, column 'customer': id -3 is outside [0, 2147483647)");
  ids[n - 1] = 7;
  ns[12345] = INT64_MIN; /* NaT in the required order_date */
  {
    salesight_table_builder* b = NULL;
    CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
    CHECK_STATUS(salesight_table_builder_set_keep_wide(b, 2), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("keep must be 0 or 1");
    CHECK_OK(salesight_table_builder_set_keep_wide(b, 1));
    CHECK_STATUS(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_TIMESTAMP_NS,
                                                    ns, n, NULL, SALESIGHT_BORROW),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("orders column 'order_date' row 12345 is null");
    salesight_table_builder_destroy(b);
  }
  CHECK_STATUS(salesight_table_builder_set_keep_wide(NULL, 1), SALESIGHT_ERR_INVALID_ARGUMENT);
  free(order_id);
  free(ids);
  free(ns);
  free(amount);
}

/* ---------------------------------------------------------------- calculators */

static void test_funnel(const salesight_table* pipeline, const salesight_table* orders) {
  salesight_funnel_options o = SALESIGHT_FUNNEL_OPTIONS_INIT;
  salesight_funnel_options from_init;
  salesight_result* r = NULL;
  struct {
    salesight_funnel_options base;
    uint64_t extension;
  } newer;
  int64_t rows = 0;

  CHECK_OK(salesight_funnel_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_funnel_options_init(NULL, sizeof from_init),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  CHECK_OK(salesight_funnel_compute(pipeline, NULL, &r));
  test_result(r);
  /* 4 opportunities: all leads; quote: 1 and 2; won: 1 (row 4's "" is null) */
  CHECK(int_at(r, "lead_count", 0) == 4);
  CHECK(int_at(r, "quote_count", 0) == 2);
  CHECK(int_at(r, "won_count", 0) == 1);
  salesight_result_destroy(r);
  r = NULL;

  o.group_by = "region";
  o.output = SALESIGHT_FUNNEL_OUTPUT_DETAILED;
  CHECK_OK(salesight_funnel_compute(pipeline, &o, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 3); /* overall + N + S */
  salesight_result_destroy(r);
  r = NULL;
  o.output = SALESIGHT_FUNNEL_OUTPUT_BOTTLENECKS;
  CHECK_OK(salesight_funnel_compute(pipeline, &o, &r));
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o = from_init;
  o.group_by = "planet";
  CHECK_STATUS(salesight_funnel_compute(pipeline, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  CHECK_MESSAGE("planet");
  o = from_init;
  o.mode = 17;
  CHECK_STATUS(salesight_funnel_compute(pipeline, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.num_threads = -2;
  CHECK_STATUS(salesight_funnel_compute(pipeline, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_funnel_compute(orders, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_funnel_compute(NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_funnel_compute(pipeline, NULL, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);

  /* options from a newer header: zero tail accepted, non-zero tail refused */
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.struct_size = (uint32_t)sizeof(newer);
  CHECK_OK(salesight_funnel_compute(pipeline, &newer.base, &r));
  salesight_result_destroy(r);
  r = NULL;
  newer.extension = 1;
  CHECK_STATUS(salesight_funnel_compute(pipeline, &newer.base, &r), SALESIGHT_ERR_UNSUPPORTED);
  CHECK_MESSAGE("newer");
  /* an older, smaller struct: only up to num_threads; the rest defaults */
  o = from_init;
  o.struct_size = (uint32_t)(offsetof(salesight_funnel_options, num_threads) + sizeof(int32_t));
  o.group_by = "planet"; /* beyond the old size: must be ignored */
  CHECK_OK(salesight_funnel_compute(pipeline, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
  /* garbage sizes */
  o = from_init;
  o.struct_size = 2;
  CHECK_STATUS(salesight_funnel_compute(pipeline, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o.struct_size = 0xFFFFFFFFu;
  CHECK_STATUS(salesight_funnel_compute(pipeline, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.reserved = 1;
  CHECK_STATUS(salesight_funnel_compute(pipeline, &o, &r), SALESIGHT_ERR_UNSUPPORTED);
}

static void test_margin(const salesight_table* orders, const salesight_table* pipeline) {
  salesight_margin_options o = SALESIGHT_MARGIN_OPTIONS_INIT;
  salesight_margin_options from_init;
  salesight_result* r = NULL;
  int64_t rows = 0;
  struct {
    salesight_margin_options base;
    uint32_t extension[2];
  } newer;

  CHECK_OK(salesight_margin_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_margin_options_init(NULL, sizeof from_init),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  /* by product: P-1 lines 1,3,6: revenue 1050+100+500 = 1650, cost 3 x 500 =
   * 1500, margin 150; P-2 lines 2,4,5: 2025+10+9999 = 12034, cost (2+1+3) x
   * 800 = 4800, margin 7234 */
  CHECK_OK(salesight_margin_compute(orders, NULL, NULL, &r));
  test_result(r);
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 2);
  CHECK(int_at(r, "revenue", 0) == 1650);
  CHECK(int_at(r, "cost", 0) == 1500);
  CHECK(int_at(r, "margin", 0) == 150);
  CHECK(int_at(r, "revenue", 1) == 12034);
  CHECK(int_at(r, "margin", 1) == 7234);
  salesight_result_destroy(r);
  r = NULL;

  o.group_by = "customer,month";
  o.abc = SALESIGHT_METRIC_REVENUE + 1;
  CHECK_OK(salesight_margin_compute(orders, NULL, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
  o = from_init;
  o.output = SALESIGHT_MARGIN_OUTPUT_RANKING;
  o.rank_n = 1;
  CHECK_OK(salesight_margin_compute(orders, NULL, &o, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 1);
  salesight_result_destroy(r);
  r = NULL;
  o.output = SALESIGHT_MARGIN_OUTPUT_ABC;
  CHECK_OK(salesight_margin_compute(orders, NULL, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
  o.output = SALESIGHT_MARGIN_OUTPUT_QUADRANT;
  CHECK_OK(salesight_margin_compute(orders, NULL, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
  o.output = SALESIGHT_MARGIN_OUTPUT_SLOW_MOVERS;
  CHECK_OK(salesight_margin_compute(orders, NULL, &o, &r));
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o = from_init;
  o.group_by = "product,month,year";
  CHECK_STATUS(salesight_margin_compute(orders, NULL, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o.group_by = "colour";
  CHECK_STATUS(salesight_margin_compute(orders, NULL, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("colour");
  o = from_init;
  o.output = 99;
  CHECK_STATUS(salesight_margin_compute(orders, NULL, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_compute(pipeline, NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_compute(orders, pipeline, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_compute(orders, NULL, NULL, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.struct_size = (uint32_t)sizeof(newer);
  newer.extension[1] = 7;
  CHECK_STATUS(salesight_margin_compute(orders, NULL, &newer.base, &r), SALESIGHT_ERR_UNSUPPORTED);
  CHECK(r == NULL);
}

static void test_rfm(const salesight_table* orders, const salesight_table* pipeline) {
  salesight_rfm_options o = SALESIGHT_RFM_OPTIONS_INIT;
  salesight_rfm_options from_init;
  salesight_result* r = NULL;
  int32_t col = -1, output;
  int64_t rows = 0;
  const char* text = NULL;
  static const int32_t fixed_recency[4] = {5, 10, 20, 40};
  static const int32_t fixed_frequency[4] = {1, 2, 3, 4};
  static const double fixed_monetary[4] = {1.0, 10.0, 100.0, 1000.0};
  struct {
    salesight_rfm_options base;
    int64_t extension;
  } newer;

  CHECK_OK(salesight_rfm_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_rfm_options_init(NULL, sizeof from_init), SALESIGHT_ERR_INVALID_ARGUMENT);

  /* A: days 19000, 19020, 10.50 + 1.00; B: 19010, 19030, 19040, 20.25 + 0.10 +
   * 99.99; C: 19050, 5.00. as_of = the day after the last order = 19051, so
   * recency A = 31, B = 11, C = 1; frequency = distinct order ids 2, 3, 1. */
  CHECK_OK(salesight_rfm_compute(orders, NULL, &r));
  test_result(r);
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 3);
  CHECK_OK(salesight_result_column_index(r, "customer", &col));
  CHECK_OK(salesight_result_column_string(r, col, 0, &text));
  CHECK(strcmp(text, "A") == 0);
  CHECK(int_at(r, "recency_days", 0) == 31);
  CHECK(int_at(r, "recency_days", 1) == 11);
  CHECK(int_at(r, "recency_days", 2) == 1);
  CHECK(int_at(r, "frequency", 0) == 2);
  CHECK(int_at(r, "frequency", 1) == 3);
  CHECK(int_at(r, "frequency", 2) == 1);
  CHECK(int_at(r, "monetary", 0) == 1150);
  CHECK(int_at(r, "monetary", 1) == 12034);
  CHECK(int_at(r, "monetary", 2) == 500);
  salesight_result_destroy(r);
  r = NULL;

  for (output = SALESIGHT_RFM_OUTPUT_CUSTOMERS; output <= SALESIGHT_RFM_OUTPUT_NEW_RETURNING;
       ++output) {
    o = from_init;
    o.output = output;
    CHECK_OK(salesight_rfm_compute(orders, &o, &r));
    test_result(r);
    salesight_result_destroy(r);
    r = NULL;
  }
  o = from_init;
  o.scoring = SALESIGHT_RFM_SCORING_NTILE;
  o.segments = SALESIGHT_RFM_SEGMENTS_WORKLOAD;
  o.all_lines_are_purchases = 1;
  o.as_of = 19045;
  o.num_threads = 2;
  CHECK_OK(salesight_rfm_compute(orders, &o, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 2); /* C's only order is after as_of */
  salesight_result_destroy(r);
  r = NULL;
  /* relative tiers: high_value = of the most recent half (B, C) the top fifth
   * by amount per year (one customer), then the top half of that by orders */
  o = from_init;
  o.segments = SALESIGHT_RFM_SEGMENTS_RELATIVE_TIERS;
  o.output = SALESIGHT_RFM_OUTPUT_SEGMENTS;
  CHECK_OK(salesight_rfm_compute(orders, &o, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 6);
  CHECK_OK(salesight_result_column_index(r, "segment", &col));
  CHECK_OK(salesight_result_column_string(r, col, 0, &text));
  CHECK(strcmp(text, "high_value") == 0);
  CHECK(int_at(r, "customers", 0) == 1);
  salesight_result_destroy(r);
  r = NULL;
  o = from_init;
  o.scoring = SALESIGHT_RFM_SCORING_FIXED;
  o.fixed_recency_days = fixed_recency;
  o.fixed_frequency = fixed_frequency;
  o.fixed_monetary = fixed_monetary;
  CHECK_OK(salesight_rfm_compute(orders, &o, &r));
  CHECK(int_at(r, "r", 2) == 5); /* C: recency 1 <= 5 days */
  salesight_result_destroy(r);
  r = NULL;
  o = from_init;
  o.segments = SALESIGHT_RFM_SEGMENTS_CUSTOM;
  o.rules = "recent|近期|recency<20\nolder|较早|*\n";
  o.language = SALESIGHT_LANG_ZH;
  CHECK_OK(salesight_rfm_compute(orders, &o, &r));
  CHECK_OK(salesight_result_column_index(r, "segment", &col));
  CHECK_OK(salesight_result_column_string(r, col, 0, &text));
  CHECK(strcmp(text, "较早") == 0);
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o.rules = "fine|ok|recency<20\nbad|no|recncy<5\n";
  CHECK_STATUS(salesight_rfm_compute(orders, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("line 2");
  o.rules = NULL;
  CHECK_STATUS(salesight_rfm_compute(orders, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.k = 0;
  CHECK_STATUS(salesight_rfm_compute(orders, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.scoring = SALESIGHT_RFM_SCORING_FIXED; /* without thresholds */
  CHECK_STATUS(salesight_rfm_compute(orders, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.monetary = SALESIGHT_RFM_MONETARY_MARGIN; /* a cost source is there: unit_cost x quantity */
  CHECK_OK(salesight_rfm_compute(orders, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
  o = from_init;
  o.output = 42;
  CHECK_STATUS(salesight_rfm_compute(orders, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  CHECK_STATUS(salesight_rfm_compute(pipeline, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_compute(NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_compute(orders, NULL, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  /* newer struct: zero tail fine, non-zero tail UNSUPPORTED; older struct: defaults */
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.struct_size = (uint32_t)sizeof(newer);
  CHECK_OK(salesight_rfm_compute(orders, &newer.base, &r));
  salesight_result_destroy(r);
  r = NULL;
  newer.extension = -1;
  CHECK_STATUS(salesight_rfm_compute(orders, &newer.base, &r), SALESIGHT_ERR_UNSUPPORTED);
  o = from_init;
  o.struct_size = (uint32_t)offsetof(salesight_rfm_options, scoring);
  o.k = 0; /* beyond the old size: ignored, k stays 5 */
  CHECK_OK(salesight_rfm_compute(orders, &o, &r));
  /* quantile scores of 3 customers in 5 buckets: NTILE positions s_j = min(j,
   * 3) put A (recency 31), B (11), C (1) into buckets 1, 2, 3 */
  CHECK(int_at(r, "r", 0) == 1);
  CHECK(int_at(r, "r", 2) == 3);
  salesight_result_destroy(r);
  r = NULL;
}

static void test_table_columns(const salesight_table* orders, const salesight_table* pipeline) {
  salesight_result* r = NULL;
  int32_t col = -1;
  const char* text = NULL;
  const uint8_t* valid = NULL;
  CHECK_OK(salesight_table_columns(orders, &r));
  test_result(r);
  CHECK_OK(salesight_result_column_index(r, "customer", &col));
  CHECK_OK(salesight_result_column_string(r, col, 1, &text));
  CHECK(strcmp(text, "B") == 0);
  CHECK_OK(salesight_result_column_index(r, "product", &col));
  CHECK_OK(salesight_result_column_string(r, col, 1, &text));
  CHECK(strcmp(text, "P-2") == 0);
  CHECK(int_at(r, "amount", 4) == 9999);
  CHECK(int_at(r, "order_date", 5) == 19050);
  salesight_result_destroy(r);
  r = NULL;
  CHECK_OK(salesight_table_columns(pipeline, &r));
  CHECK_OK(salesight_result_column_index(r, "stage:quote", &col));
  CHECK_OK(salesight_result_column_validity(r, col, &valid));
  CHECK(valid != NULL && valid[0] == 1 && valid[2] == 0);
  salesight_result_destroy(r);
  r = NULL;
  CHECK_STATUS(salesight_table_columns(NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_columns(orders, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
}

static void test_sample_csv_quote(void) {
  salesight_sample_options so = SALESIGHT_SAMPLE_OPTIONS_INIT;
  salesight_sample_options so_init;
  salesight_sample* sample = NULL;
  salesight_table* tables[8] = {NULL};
  salesight_table* read = NULL;
  salesight_table* customers = NULL;
  salesight_table* products = NULL;
  salesight_csv_report* report = NULL;
  salesight_csv_options co = SALESIGHT_CSV_OPTIONS_INIT;
  salesight_csv_options co_init;
  salesight_quote_options qo = SALESIGHT_QUOTE_OPTIONS_INIT;
  salesight_quote_options qo_init;
  salesight_quote_index* index = NULL;
  salesight_result* r = NULL;
  int64_t n = 0, accepted = 0, rejected = 0, lines = 0;
  int32_t as_of = 0, scale = 0, kind;
  const char* text = NULL;
  FILE* f;

  CHECK_OK(salesight_sample_options_init(&so_init, sizeof so_init));
  CHECK(memcmp(&so, &so_init, sizeof(so)) == 0);
  CHECK_STATUS(salesight_sample_options_init(NULL, sizeof so_init), SALESIGHT_ERR_INVALID_ARGUMENT);
  so.order_lines = 10;
  CHECK_STATUS(salesight_sample_generate(&so, &sample), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(sample == NULL);
  CHECK_STATUS(salesight_sample_generate(NULL, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  so.order_lines = 2000;
  CHECK_OK(salesight_sample_generate(&so, &sample));
  for (kind = SALESIGHT_TABLE_ORDERS; kind <= SALESIGHT_TABLE_TARGETS; ++kind) {
    CHECK_OK(salesight_sample_table(sample, kind, &tables[kind]));
  }
  CHECK_STATUS(salesight_sample_table(sample, 0, &read), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_sample_table(NULL, SALESIGHT_TABLE_ORDERS, &read),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_table_num_rows(tables[SALESIGHT_TABLE_ORDERS], &n));
  CHECK(n == 2000);
  CHECK_OK(salesight_sample_as_of(sample, &as_of));
  CHECK(as_of == 19996);
  CHECK_STATUS(salesight_sample_as_of(NULL, &as_of), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_sample_write_csv(sample, g_dir));
  CHECK_STATUS(salesight_sample_write_csv(sample, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_sample_write_csv(NULL, g_dir), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_sample_destroy(sample); /* tables outlive it */
  salesight_sample_destroy(NULL);

  /* sample tables work with the calculators after the sample is gone */
  CHECK_OK(salesight_funnel_compute(tables[SALESIGHT_TABLE_PIPELINE], NULL, &r));
  salesight_result_destroy(r);
  r = NULL;
  CHECK_OK(salesight_margin_compute(tables[SALESIGHT_TABLE_ORDERS],
                                    tables[SALESIGHT_TABLE_PRODUCTS], NULL, &r));
  CHECK_OK(salesight_result_write(r, path_in("margin.csv")));
  CHECK_OK(salesight_result_write(r, path_in("margin.json")));
  CHECK_STATUS(salesight_result_write(r, "/nonexistent-dir/x.csv"), SALESIGHT_ERR_IO);
  CHECK_STATUS(salesight_result_write(NULL, path_in("x.csv")), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_result_write(r, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_result_destroy(r);
  r = NULL;

  /* CSV: the sample's own export */
  CHECK_OK(salesight_csv_options_init(&co_init, sizeof co_init));
  CHECK(memcmp(&co, &co_init, sizeof(co)) == 0);
  CHECK_STATUS(salesight_csv_options_init(NULL, sizeof co_init), SALESIGHT_ERR_INVALID_ARGUMENT);
  co.mapping = "order=order_id,date=order_date";
  co.encoding = "latin-1"; /* not an encoding salesight reads */
  CHECK_STATUS(salesight_csv_read_orders(path_in("orders.csv"), &co, &read, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  co.encoding = "utf-8";
  co.num_threads = 2; /* any count reads the same table */
  CHECK_OK(salesight_csv_read_orders(path_in("orders.csv"), &co, &read, &report));
  CHECK_OK(salesight_table_num_rows(read, &n));
  CHECK(n == 2000);
  CHECK_OK(salesight_csv_report_data_lines(report, &lines));
  CHECK_OK(salesight_csv_report_accepted(report, &accepted));
  CHECK_OK(salesight_csv_report_rejected(report, &rejected));
  CHECK(lines == 2000 && accepted == 2000 && rejected == 0);
  salesight_csv_report_destroy(report);
  report = NULL;
  salesight_table_destroy(read);
  read = NULL;

  /* CSV with bad rows: line 3 has a bad date, line 4 a bad amount */
  f = fopen(path_in("bad.csv"), "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("Order,Day,Who,Sales\n1,2024-01-02,A,10.50\n2,2024-13-01,B,3\n3,2024-01-03,C,abc\n"
          "4,2024-01-04,A,\"1,000.00\"\n",
          f);
    fclose(f);
  }
  co = co_init;
  co.mapping = "order=Order,date=Day,customer=Who,amount=Sales";
  co.thousands_separator = ',';
  CHECK_OK(salesight_csv_read(SALESIGHT_TABLE_ORDERS, path_in("bad.csv"), &co, &read, &report));
  CHECK_OK(salesight_csv_report_data_lines(report, &lines));
  CHECK_OK(salesight_csv_report_accepted(report, &accepted));
  CHECK_OK(salesight_csv_report_rejected(report, &rejected));
  CHECK(lines == 4 && accepted == 2 && rejected == 2);
  CHECK_OK(salesight_csv_report_rejects(report, &r));
  test_result(r);
  CHECK(int_at(r, "line", 0) == 3);
  CHECK(int_at(r, "line", 1) == 4);
  salesight_result_destroy(r);
  r = NULL;
  CHECK_OK(salesight_csv_report_summary(report, &text));
  CHECK(text != NULL && text[0] != '\0');
  CHECK_STATUS(salesight_csv_report_summary(NULL, &text), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_report_rejects(NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_report_data_lines(NULL, &lines), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_report_accepted(report, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_report_rejected(NULL, &rejected), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_csv_report_destroy(report);
  report = NULL;
  salesight_csv_report_destroy(NULL);
  salesight_table_destroy(read);
  read = NULL;
  /* a document-style export: fill-down, a total row, a document amount */
  f = fopen(path_in("doc.csv"), "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("Doc,Day,Who,DocAmount,Item,Amount\nBI1,2024-01-02,A,0.30,P1,0.10\n,,,,P2,0.20\n"
          ",,,,Total:,0.30\n",
          f);
    fclose(f);
  }
  co = co_init;
  co.mapping = "order=Doc,date=Day,customer=Who,product=Item,amount=Amount";
  co.fill_down = "Doc, Day,Who";
  co.document_total = "DocAmount";
  CHECK_OK(salesight_csv_read_orders(path_in("doc.csv"), &co, &read, &report));
  CHECK_OK(salesight_csv_report_count(report, "accepted", &accepted));
  CHECK_OK(salesight_csv_report_count(report, "total_rows", &n));
  CHECK(accepted == 2 && n == 1);
  CHECK_OK(salesight_csv_report_count(report, "filled_down", &n));
  CHECK(n == 1);
  CHECK_OK(salesight_csv_report_count(report, "total_mismatches", &n));
  CHECK(n == 0);
  CHECK_STATUS(salesight_csv_report_count(report, "colour", &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_report_count(report, NULL, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_csv_report_notes(report, &r));
  CHECK(int_at(r, "line", 0) == 3 && int_at(r, "line", 1) == 4);
  salesight_result_destroy(r);
  r = NULL;
  CHECK_STATUS(salesight_csv_report_notes(NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_csv_report_destroy(report);
  report = NULL;
  salesight_table_destroy(read);
  read = NULL;
  co.excel_dates = 1;
  co.fill_down = "Nope";
  CHECK_STATUS(salesight_csv_read_orders(path_in("doc.csv"), &co, &read, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  co = co_init;
  co.mapping = "order=Order,date=Day,customer=Who,amount=Sales";
  co.thousands_separator = ',';
  /* stop at the first bad row: an error naming the line */
  co.stop_on_first_error = 1;
  CHECK_STATUS(salesight_csv_read_orders(path_in("bad.csv"), &co, &read, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(read == NULL);
  CHECK_MESSAGE("line 3");
  /* errors */
  co = co_init;
  CHECK_STATUS(salesight_csv_read_orders(path_in("missing.csv"), &co, &read, &report),
               SALESIGHT_ERR_IO);
  CHECK(read == NULL && report == NULL);
  co.mapping = "colour=Who";
  CHECK_STATUS(salesight_csv_read_orders(path_in("bad.csv"), &co, &read, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  co = co_init;
  co.date_format = "%Q";
  CHECK_STATUS(salesight_csv_read_orders(path_in("bad.csv"), &co, &read, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_read_orders(NULL, NULL, &read, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_read_orders(path_in("bad.csv"), NULL, NULL, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_read(77, path_in("bad.csv"), NULL, &read, &report),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_csv_read(SALESIGHT_TABLE_PAYMENTS, path_in("payments.csv"), NULL, &read,
                                  &report),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* payments need options->invoices */
  co = co_init;
  co.reserved = 5;
  CHECK_STATUS(salesight_csv_read_orders(path_in("bad.csv"), &co, &read, &report),
               SALESIGHT_ERR_UNSUPPORTED);

  /* customers + products from CSV sharing codes, then the quote check */
  co = co_init;
  CHECK_OK(salesight_csv_read(SALESIGHT_TABLE_CUSTOMERS, path_in("customers.csv"), &co,
                              &customers, NULL));
  co.share_dictionaries = customers;
  CHECK_OK(salesight_csv_read(SALESIGHT_TABLE_PRODUCTS, path_in("products.csv"), &co, &products,
                              NULL));
  CHECK_OK(salesight_quote_options_init(&qo_init, sizeof qo_init));
  CHECK(memcmp(&qo, &qo_init, sizeof(qo)) == 0);
  CHECK_STATUS(salesight_quote_options_init(NULL, sizeof qo_init), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_quote_index_create(tables[SALESIGHT_TABLE_PRODUCTS],
                                        tables[SALESIGHT_TABLE_CUSTOMERS],
                                        tables[SALESIGHT_TABLE_INVOICES],
                                        tables[SALESIGHT_TABLE_PAYMENTS], &qo, &index));
  CHECK_OK(salesight_quote_index_money_scale(index, &scale));
  CHECK(scale == 2);
  CHECK_STATUS(salesight_quote_index_money_scale(NULL, &scale), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_quote_check(index, "C-000000", "P-00000", 5, 100, 19996, &r));
  test_result(r);
  CHECK(int_at(r, "quantity", 0) == 5);
  CHECK(int_at(r, "revenue", 0) == 500); /* 5 x 1.00 */
  salesight_result_destroy(r);
  r = NULL;
  CHECK_STATUS(salesight_quote_check(index, "NOBODY", "P-00000", 5, 100, 19996, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("NOBODY");
  CHECK_STATUS(salesight_quote_check(index, "C-000000", "P-00000", 0, 100, 19996, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_quote_check(index, NULL, "P-00000", 1, 100, 19996, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_quote_check(NULL, "C-000000", "P-00000", 1, 100, 19996, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_quote_index_destroy(index);
  index = NULL;
  salesight_quote_index_destroy(NULL);
  /* the CSV-read products and customers share one customer dictionary */
  CHECK_OK(salesight_quote_index_create(products, customers, NULL, NULL, NULL, &index));
  salesight_quote_index_destroy(index);
  index = NULL;
  CHECK_STATUS(salesight_quote_index_create(customers, products, NULL, NULL, NULL, &index),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_quote_index_create(products, customers, NULL,
                                            tables[SALESIGHT_TABLE_PAYMENTS], NULL, &index),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* payments without invoices */
  CHECK_STATUS(salesight_quote_index_create(products, customers, NULL, NULL, NULL, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_table_destroy(customers);
  salesight_table_destroy(products);
  for (kind = SALESIGHT_TABLE_ORDERS; kind <= SALESIGHT_TABLE_TARGETS; ++kind) {
    salesight_table_destroy(tables[kind]);
  }
}

/* ---------------------------------------------------------------- partial states */

static void test_partials(const salesight_table* orders, const salesight_table* pipeline) {
  salesight_partial* a = NULL;
  salesight_partial* b = NULL;
  salesight_partial* c = NULL;
  salesight_partial* m = NULL;
  salesight_result* r = NULL;
  salesight_result* whole = NULL;
  uint8_t* bytes = NULL;
  int64_t length = 0;
  int64_t rows = 0;
  int64_t row;
  int32_t kind = 0;
  salesight_rfm_options ro = SALESIGHT_RFM_OPTIONS_INIT;
  salesight_margin_options mo = SALESIGHT_MARGIN_OPTIONS_INIT;
  salesight_funnel_options fo = SALESIGHT_FUNNEL_OPTIONS_INIT;

  /* RFM over rows [0, 3) and [3, 6), the second through bytes: the same as
   * salesight_rfm_compute (A: 2 orders 11.50, recency 31; B: 3 orders 120.34,
   * recency 11; C: 1 order 5.00, recency 1 - see test_rfm). */
  CHECK_OK(salesight_rfm_partial(orders, 0, 3, NULL, &a));
  CHECK_OK(salesight_rfm_partial(orders, 3, 6, NULL, &b));
  CHECK_OK(salesight_partial_kind(a, &kind));
  CHECK(kind == SALESIGHT_PARTIAL_RFM);
  CHECK_OK(salesight_partial_serialize(b, &bytes, &length));
  CHECK(bytes != NULL && length > 16 && memcmp(bytes, "SLSPART", 7) == 0);
  CHECK_OK(salesight_partial_deserialize(bytes, length, &c));
  /* every truncation of the blob is an error, never a crash */
  for (row = 0; row < length; ++row) {
    salesight_partial* t = NULL;
    CHECK_STATUS(salesight_partial_deserialize(bytes, row, &t), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK(t == NULL);
  }
  CHECK_MESSAGE("byte offset");
  salesight_bytes_free(bytes);
  bytes = NULL;
  salesight_bytes_free(NULL);
  CHECK_OK(salesight_partial_merge(a, c));
  CHECK_OK(salesight_rfm_partial_finish(a, NULL, &r));
  test_result(r);
  CHECK_OK(salesight_rfm_compute(orders, NULL, &whole));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 3);
  CHECK(int_at(r, "frequency", 0) == 2);
  CHECK(int_at(r, "monetary", 0) == 1150);
  CHECK(int_at(r, "recency_days", 0) == 31);
  CHECK(int_at(r, "frequency", 1) == 3);
  CHECK(int_at(r, "monetary", 1) == 12034);
  CHECK(int_at(r, "recency_days", 2) == 1);
  for (row = 0; row < rows; ++row) {
    CHECK(int_at(r, "frequency", row) == int_at(whole, "frequency", row));
    CHECK(int_at(r, "monetary", row) == int_at(whole, "monetary", row));
    CHECK(int_at(r, "recency_days", row) == int_at(whole, "recency_days", row));
  }
  salesight_result_destroy(r);
  salesight_result_destroy(whole);
  r = NULL;
  whole = NULL;
  /* a finished partial can only be destroyed */
  CHECK_STATUS(salesight_rfm_partial_finish(a, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("already finished");
  CHECK_STATUS(salesight_partial_merge(a, b), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_serialize(a, &bytes, &length), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(bytes == NULL);
  salesight_partial_destroy(a);
  salesight_partial_destroy(b);
  salesight_partial_destroy(c);
  a = b = c = NULL;

  /* order-id ranges [1, 4] and [3, 6] overlap: the merge is refused, `into`
   * unchanged (finishing it still works) */
  CHECK_OK(salesight_rfm_partial(orders, 0, 4, NULL, &a));
  CHECK_OK(salesight_rfm_partial(orders, 2, 6, NULL, &b));
  CHECK_STATUS(salesight_partial_merge(a, b), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("overlap");
  CHECK_STATUS(salesight_partial_merge(a, a), SALESIGHT_ERR_INVALID_ARGUMENT);
  ro.output = SALESIGHT_RFM_OUTPUT_NEW_RETURNING;
  CHECK_STATUS(salesight_rfm_partial_finish(a, &ro, &r), SALESIGHT_ERR_UNSUPPORTED);
  ro.output = SALESIGHT_RFM_OUTPUT_CUSTOMERS;
  ro.as_of = 19020; /* scan options differ from the partial's: an error that consumes b */
  CHECK_STATUS(salesight_rfm_partial_finish(b, &ro, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("differ");
  CHECK_STATUS(salesight_rfm_partial_finish(b, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  ro.as_of = SALESIGHT_NO_DATE;
  ro.reserved = 1;
  CHECK_STATUS(salesight_rfm_partial(orders, 0, 6, &ro, &c), SALESIGHT_ERR_UNSUPPORTED);
  ro.reserved = 0;
  CHECK_OK(salesight_rfm_partial_finish(a, &ro, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 2); /* A and B: the lines up to row 4 */
  salesight_result_destroy(r);
  r = NULL;
  salesight_partial_destroy(a);
  salesight_partial_destroy(b);
  a = b = NULL;

  /* bad rows, tables, NULLs */
  CHECK_STATUS(salesight_rfm_partial(orders, 4, 2, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial(orders, 0, 7, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial(orders, -1, 2, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial(pipeline, 0, 1, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial(NULL, 0, 1, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial(orders, 0, 1, NULL, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_funnel_partial(orders, 0, 1, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_funnel_partial(NULL, 0, 1, NULL, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_partial(pipeline, NULL, 0, 1, NULL, &a),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_partial(orders, pipeline, 0, 1, NULL, &a),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(a == NULL);
  CHECK_STATUS(salesight_partial_kind(NULL, &kind), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_merge(NULL, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_serialize(NULL, &bytes, &length), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_deserialize(NULL, 5, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_deserialize((const uint8_t*)"SLSPART", -1, &a),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_deserialize((const uint8_t*)"garbage bytes here", 18, &a),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("magic");
  CHECK_STATUS(salesight_partial_deserialize(NULL, 0, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial_finish(NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_funnel_partial_finish(NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_partial_finish(NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(a == NULL && r == NULL);
  salesight_partial_destroy(NULL);

  /* funnel: halves merged through bytes == compute */
  CHECK_OK(salesight_table_num_rows(pipeline, &rows));
  CHECK_OK(salesight_funnel_partial(pipeline, 0, rows / 2, &fo, &a));
  CHECK_OK(salesight_funnel_partial(pipeline, rows / 2, rows, &fo, &b));
  CHECK_OK(salesight_partial_serialize(a, &bytes, &length));
  CHECK_OK(salesight_partial_deserialize(bytes, length, &c));
  salesight_bytes_free(bytes);
  bytes = NULL;
  CHECK_OK(salesight_partial_merge(c, b));
  CHECK_OK(salesight_funnel_partial_finish(c, &fo, &r));
  CHECK_OK(salesight_funnel_compute(pipeline, &fo, &whole));
  CHECK(int_at(r, "lead_count", 0) == 4);
  CHECK(int_at(r, "quote_count", 0) == int_at(whole, "quote_count", 0));
  CHECK(int_at(r, "won_count", 0) == int_at(whole, "won_count", 0));
  salesight_result_destroy(r);
  salesight_result_destroy(whole);
  r = whole = NULL;
  salesight_partial_destroy(c); /* finished: only destroy remains */
  c = NULL;
  fo.output = SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_GROUP;
  CHECK_STATUS(salesight_funnel_partial_finish(a, &fo, &r), SALESIGHT_ERR_UNSUPPORTED);

  /* margin: by product, halves merged == compute (P-1 revenue 1650, margin 150) */
  CHECK_OK(salesight_margin_partial(orders, NULL, 0, 3, NULL, &m));
  CHECK_OK(salesight_margin_partial(orders, NULL, 3, 6, NULL, &c));
  /* kind mismatch: funnel into margin, and finishing with the wrong kind */
  CHECK_STATUS(salesight_partial_merge(m, b), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_rfm_partial_finish(m, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_margin_partial_finish(b, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  mo.output = SALESIGHT_MARGIN_OUTPUT_QUADRANT;
  CHECK_STATUS(salesight_margin_partial_finish(m, &mo, &r), SALESIGHT_ERR_UNSUPPORTED);
  mo.output = SALESIGHT_MARGIN_OUTPUT_TABLE;
  mo.group_by = "customer";
  CHECK_STATUS(salesight_margin_partial_finish(m, &mo, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  mo.group_by = NULL;
  CHECK_OK(salesight_partial_kind(m, &kind));
  CHECK(kind == SALESIGHT_PARTIAL_MARGIN);
  salesight_partial_destroy(a);
  salesight_partial_destroy(b);
  a = b = NULL;
  CHECK_OK(salesight_partial_serialize(c, &bytes, &length));
  salesight_partial_destroy(c);
  c = NULL;
  CHECK_OK(salesight_partial_deserialize(bytes, length, &c));
  bytes[10] = 1; /* the kind byte says rfm: the margin body is refused */
  CHECK_STATUS(salesight_partial_deserialize(bytes, length, &a), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_bytes_free(bytes);
  bytes = NULL;
  CHECK_OK(salesight_partial_merge(m, c));
  CHECK_OK(salesight_margin_partial_finish(m, &mo, &r));
  test_result(r);
  CHECK(int_at(r, "revenue", 0) == 1650);
  CHECK(int_at(r, "margin", 0) == 150);
  CHECK(int_at(r, "margin", 1) == 7234);
  salesight_result_destroy(r);
  salesight_partial_destroy(m);
  salesight_partial_destroy(c);
}

/* ------------------------------------------------------- dashboard calculators */

/* Receivables, as of day 1000 (amounts in cents):
 *   row inv  cust sp  invoiced due   amount  payments
 *   0   101  A    S1  900      930   10000   3000 on 950
 *   1   102  B    S2  980      1010  5000    -
 *   2   103  A    S2  800      830   2000    2500 on 840 (overpaid by 500)
 *   3   104  C    S1  1005     1035  4000    -            (after as_of: unknown)
 *   4   105  B    S1  950      960   1500    500 on 1020  (after as_of: ignored) */
static const int64_t kInvId[5] = {101, 102, 103, 104, 105};
static const char* const kInvCust[5] = {"A", "B", "A", "C", "B"};
static const char* const kInvSp[5] = {"S1", "S2", "S2", "S1", "S1"};
static const int32_t kInvDate[5] = {900, 980, 800, 1005, 950};
static const int32_t kInvDue[5] = {930, 1010, 830, 1035, 960};
static const int64_t kInvAmount[5] = {10000, 5000, 2000, 4000, 1500};
static const int64_t kPayRow[3] = {0, 2, 4};
static const int32_t kPayDate[3] = {950, 840, 1020};
static const int64_t kPayAmount[3] = {3000, 2500, 500};

static void build_receivables(salesight_table** invoices, salesight_table** payments) {
  salesight_table_builder* b = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_INVOICES, &b));
  CHECK_OK(salesight_table_builder_add_column(b, "invoice", SALESIGHT_TYPE_INT64, kInvId, 5, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, kInvCust, 5,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "salesperson", SALESIGHT_TYPE_STRING, kInvSp, 5,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "invoice_date", SALESIGHT_TYPE_DATE, kInvDate, 5,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "due_date", SALESIGHT_TYPE_DATE, kInvDue, 5,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kInvAmount, 5,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, invoices));
  salesight_table_builder_destroy(b);
  b = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PAYMENTS, &b));
  CHECK_OK(salesight_table_builder_set_invoices(b, *invoices));
  CHECK_OK(salesight_table_builder_add_column(b, "invoice_row", SALESIGHT_TYPE_INT64, kPayRow, 3,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "date", SALESIGHT_TYPE_DATE, kPayDate, 3, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, kPayAmount, 3,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, payments));
  salesight_table_builder_destroy(b);
}

/* The STRING value of column `name` at `row` equals `expected`. */
static int string_is(const salesight_result* r, const char* name, int64_t row,
                     const char* expected) {
  int32_t c = -1;
  const char* s = NULL;
  CHECK_OK(salesight_result_column_index(r, name, &c));
  CHECK_OK(salesight_result_column_string(r, c, row, &s));
  return s != NULL && strcmp(s, expected) == 0;
}

static double double_at(const salesight_result* r, const char* name, int64_t row) {
  int32_t c = -1;
  const double* v = NULL;
  CHECK_OK(salesight_result_column_index(r, name, &c));
  CHECK_OK(salesight_result_column_double(r, c, &v));
  return v == NULL ? -999.0 : v[row];
}

/* 1 = valid, 0 = null. */
static int valid_at(const salesight_result* r, const char* name, int64_t row) {
  int32_t c = -1;
  const uint8_t* v = NULL;
  CHECK_OK(salesight_result_column_index(r, name, &c));
  CHECK_OK(salesight_result_column_validity(r, c, &v));
  return v == NULL ? 1 : v[row];
}

static int64_t rows_of(const salesight_result* r) {
  int64_t n = -1;
  CHECK_OK(salesight_result_num_rows(r, &n));
  return n;
}

/* RFM by an attribute column (rfm.hpp "by a dimension"): A bought in East
 * (day 90, 1.00) and West (day 95, 0.50), B in East (day 80, 2.00), C in West
 * (day 99, 0.10); as_of 100, k 2. By lines: East A r 2, B r 1; West A r 1,
 * C r 2. By customer: an error naming A and both regions. */
static void test_rfm_by(void) {
  static const int64_t order[4] = {1, 2, 3, 4};
  static const int32_t day[4] = {90, 95, 80, 99};
  static const char* const customer[4] = {"A", "A", "B", "C"};
  static const double amount[4] = {1.0, 0.5, 2.0, 0.1};
  static const char* const region[4] = {"East", "West", "East", "West"};
  static const char* const want_region[4] = {"East", "East", "West", "West"};
  static const char* const want_customer[4] = {"A", "B", "A", "C"};
  static const int64_t want_r[4] = {2, 1, 1, 2};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  salesight_result* r = NULL;
  salesight_rfm_options o = SALESIGHT_RFM_OPTIONS_INIT;
  int i;

  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
  CHECK_OK(salesight_table_builder_set_money_scale(b, 2));
  CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, order, 4, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, day, 4, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, customer, 4,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_FLOAT64, amount, 4, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "attr:Region", SALESIGHT_TYPE_STRING, region, 4,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);

  o.as_of = 100;
  o.k = 2;
  o.by = "Region";
  CHECK_OK(salesight_rfm_compute(t, &o, &r));
  CHECK(rows_of(r) == 4);
  for (i = 0; i < 4 && rows_of(r) == 4; ++i) {
    CHECK(string_is(r, "Region", i, want_region[i]));
    CHECK(string_is(r, "customer", i, want_customer[i]));
    CHECK(int_at(r, "r", i) == want_r[i]);
  }
  salesight_result_destroy(r);
  r = NULL;
  o.output = SALESIGHT_RFM_OUTPUT_SEGMENTS; /* per member: 6 tiers x 2 regions */
  CHECK_OK(salesight_rfm_compute(t, &o, &r));
  CHECK(rows_of(r) == 12);
  salesight_result_destroy(r);
  r = NULL;
  o.output = SALESIGHT_RFM_OUTPUT_PARETO;
  CHECK_STATUS(salesight_rfm_compute(t, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o.output = SALESIGHT_RFM_OUTPUT_CUSTOMERS;
  o.by_scope = SALESIGHT_RFM_BY_CUSTOMER;
  CHECK_STATUS(salesight_rfm_compute(t, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("customer 'A' has lines in 'East' and 'West'");
  o.by_scope = 7;
  CHECK_STATUS(salesight_rfm_compute(t, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  o.by_scope = SALESIGHT_RFM_BY_LINES;
  o.by = "Regio";
  CHECK_STATUS(salesight_rfm_compute(t, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("Region");
  CHECK(r == NULL);
  salesight_table_destroy(t);
}

/* Attribute columns ("attr:<name>"): any column is a dimension. origin is
 * STRING with NULLs (the missing member, labelled ""), tier INT32 codes into
 * a dictionary given out of canonical order ("z" before "a"). Groups follow
 * the codes' canonical order: "", "ads", "fair", "web". */
static void test_attributes(void) {
  static const int64_t id[6] = {1, 2, 3, 4, 5, 6};
  static const int32_t lead[6] = {19000, 19001, 19002, 19003, 19004, 19005};
  static const int32_t won[6] = {19010, 19011, 19012, 0, 0, 0};
  static const uint8_t won_valid[1] = {0x07};
  static const char* const origin[6] = {"web", NULL, "fair", "web", NULL, "ads"};
  static const char* const tier_codes[2] = {"z", "a"};
  static const int32_t tier[6] = {0, 1, 0, 1, 1, 1};
  static const int32_t region[6] = {0, 0, 0, 0, 0, 0};
  /* per origin "", ads, fair, web: leads 2 1 1 2, won 1 0 1 1 */
  static const char* const groups[4] = {"", "ads", "fair", "web"};
  static const int64_t leads[4] = {2, 1, 1, 2};
  static const int64_t wins[4] = {1, 0, 1, 1};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  salesight_result* r = NULL;
  salesight_funnel_options o = SALESIGHT_FUNNEL_OPTIONS_INIT;
  int g;

  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PIPELINE, &b));
  CHECK_OK(salesight_table_builder_add_column(b, "opportunity", SALESIGHT_TYPE_INT64, id, 6,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "created", SALESIGHT_TYPE_DATE, lead, 6, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:lead", SALESIGHT_TYPE_DATE, lead, 6, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:won", SALESIGHT_TYPE_DATE, won, 6,
                                              won_valid, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "attr:origin", SALESIGHT_TYPE_STRING, origin, 6,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "attr:tier", SALESIGHT_TYPE_INT32, tier, 6, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_set_dictionary(b, "attr:tier", tier_codes, 2));
  /* a name without the prefix that is no field stays an error */
  CHECK_STATUS(salesight_table_builder_add_column(b, "origin", SALESIGHT_TYPE_STRING, origin, 6,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_UNKNOWN_COLUMN);
  CHECK_MESSAGE("attr:<name>");
  CHECK_STATUS(salesight_table_builder_add_column(b, "attr:origin", SALESIGHT_TYPE_STRING, origin,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("twice");
  CHECK_STATUS(salesight_table_builder_add_column(b, "attr:region", SALESIGHT_TYPE_INT32, region,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("is a field");
  CHECK_STATUS(salesight_table_builder_add_column(b, "attr:", SALESIGHT_TYPE_INT32, region, 6,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_table_builder_add_column(b, "attr:amount2", SALESIGHT_TYPE_DATE, lead, 6,
                                                  NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(salesight_table_builder_add_column(b, "attr:short", SALESIGHT_TYPE_STRING, origin,
                                                  5, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_LENGTH_MISMATCH);
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  b = NULL;

  o.group_by = "origin";
  CHECK_OK(salesight_funnel_compute(t, &o, &r));
  CHECK(rows_of(r) == 4);
  for (g = 0; g < 4 && rows_of(r) == 4; ++g) {
    CHECK(string_is(r, "origin", g, groups[g]));
    CHECK(int_at(r, "lead_count", g) == leads[g]);
    CHECK(int_at(r, "won_count", g) == wins[g]);
  }
  salesight_result_destroy(r);
  r = NULL;

  /* codes given with a dictionary: "a" (3 rows, 1 won) sorts before "z" */
  o.group_by = "tier";
  CHECK_OK(salesight_funnel_compute(t, &o, &r));
  CHECK(rows_of(r) == 2);
  if (rows_of(r) == 2) {
    CHECK(string_is(r, "tier", 0, "a") && int_at(r, "lead_count", 0) == 4);
    CHECK(string_is(r, "tier", 1, "z") && int_at(r, "lead_count", 1) == 2);
    CHECK(int_at(r, "won_count", 0) == 1 && int_at(r, "won_count", 1) == 2);
  }
  salesight_result_destroy(r);
  r = NULL;

  o.group_by = "orign";
  CHECK_STATUS(salesight_funnel_compute(t, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  CHECK_MESSAGE("'orign'");
  CHECK_MESSAGE("origin"); /* the valid names are listed */
  CHECK_MESSAGE("tier");

  /* the table's columns name them as added; the missing member is "" */
  CHECK_OK(salesight_table_columns(t, &r));
  CHECK(string_is(r, "attr:origin", 0, "web"));
  CHECK(string_is(r, "attr:origin", 1, ""));
  CHECK(string_is(r, "attr:tier", 0, "z"));
  CHECK(string_is(r, "attr:tier", 1, "a"));
  salesight_result_destroy(r);
  r = NULL;
  salesight_table_destroy(t);
  t = NULL;

  /* INT codes without their dictionary; a table kind without attributes */
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_PIPELINE, &b));
  CHECK_OK(salesight_table_builder_add_column(b, "opportunity", SALESIGHT_TYPE_INT64, id, 6,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "created", SALESIGHT_TYPE_DATE, lead, 6, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "stage:lead", SALESIGHT_TYPE_DATE, lead, 6, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "attr:tier", SALESIGHT_TYPE_INT32, tier, 6, NULL,
                                              SALESIGHT_COPY));
  CHECK_STATUS(salesight_table_builder_finish(b, &t), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("set_dictionary");
  CHECK(t == NULL);
  salesight_table_builder_destroy(b);
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_TARGETS, &b));
  CHECK_STATUS(salesight_table_builder_add_column(b, "attr:origin", SALESIGHT_TYPE_STRING, origin,
                                                  6, NULL, SALESIGHT_COPY),
               SALESIGHT_ERR_UNKNOWN_COLUMN);
  salesight_table_builder_destroy(b);
}

static void test_aging(const salesight_table* invoices, const salesight_table* payments,
                       const salesight_table* orders) {
  salesight_aging_options o = SALESIGHT_AGING_OPTIONS_INIT;
  salesight_aging_options from_init;
  salesight_result* r = NULL;
  int32_t c = -1;
  static const int32_t two_cutoffs[2] = {0, 60};
  static const int32_t descending[2] = {60, 0};
  struct {
    salesight_aging_options base;
    uint64_t extension;
  } newer;

  CHECK_OK(salesight_aging_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_aging_options_init(NULL, sizeof from_init),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  /* Aging by customer, due-date basis. A: row 0 outstanding 10000 - 3000 =
   * 7000, dpd 1000 - 930 = 70 -> 61-90 (row 2 is overpaid: not aged). B: row
   * 1 5000, dpd -10 -> current; row 4 1500 (the payment on 1020 is after
   * as_of), dpd 40 -> 31-60; total 6500. C: invoiced after as_of -> no row. */
  o.as_of = 1000;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 2);
  CHECK(string_is(r, "customer", 0, "A"));
  CHECK(int_at(r, "b_61_90", 0) == 7000);
  CHECK(int_at(r, "b_current", 0) == 0);
  CHECK(int_at(r, "total", 0) == 7000);
  CHECK(string_is(r, "customer", 1, "B"));
  CHECK(int_at(r, "b_current", 1) == 5000);
  CHECK(int_at(r, "b_31_60", 1) == 1500);
  CHECK(int_at(r, "total", 1) == 6500);
  salesight_result_destroy(r);
  r = NULL;

  /* Without payments: the invoices have no paid columns, so nothing is paid:
   * A = 10000 (dpd 70) + 2000 (dpd 170, over 90). */
  CHECK_OK(salesight_aging_compute(invoices, NULL, &o, &r));
  CHECK(int_at(r, "b_61_90", 0) == 10000);
  CHECK(int_at(r, "b_over_90", 0) == 2000);
  salesight_result_destroy(r);
  r = NULL;

  /* Cut-offs {0, 60}: A's dpd 70 is over 60; B's dpd 40 is 1-60. */
  o.cutoffs = two_cutoffs;
  o.num_cutoffs = 2;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  CHECK_OK(salesight_result_num_columns(r, &c));
  CHECK(c == 5); /* customer, b_current, b_1_60, b_over_60, total */
  CHECK(int_at(r, "b_over_60", 0) == 7000);
  CHECK(int_at(r, "b_1_60", 1) == 1500);
  salesight_result_destroy(r);
  r = NULL;

  /* Age from the invoice date, one row: row 0 age 100 (over 90), row 1 age
   * 20 (1-30), row 4 age 50 (31-60); total 7000 + 5000 + 1500 = 13500. */
  o = from_init;
  o.as_of = 1000;
  o.age_basis = SALESIGHT_AGE_FROM_INVOICE_DATE;
  o.group_by = "";
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  CHECK(rows_of(r) == 1);
  CHECK_STATUS(salesight_result_column_index(r, "customer", &c), SALESIGHT_ERR_UNKNOWN_COLUMN);
  CHECK(int_at(r, "b_over_90", 0) == 7000);
  CHECK(int_at(r, "b_1_30", 0) == 5000);
  CHECK(int_at(r, "b_31_60", 0) == 1500);
  CHECK(int_at(r, "total", 0) == 13500);
  salesight_result_destroy(r);
  r = NULL;

  /* Overdue list: dpd > 0 and open, by outstanding x dpd: 101 (7000 x 70 =
   * 490000) before 105 (1500 x 40 = 60000); 102 is not due yet. */
  o = from_init;
  o.as_of = 1000;
  o.output = SALESIGHT_AGING_OUTPUT_OVERDUE;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 2);
  CHECK(int_at(r, "invoice", 0) == 101);
  CHECK(int_at(r, "days_past_due", 0) == 70);
  CHECK(int_at(r, "outstanding", 0) == 7000);
  CHECK(int_at(r, "invoice", 1) == 105);
  salesight_result_destroy(r);
  r = NULL;
  o.overdue_top_n = 1;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  CHECK(rows_of(r) == 1);
  salesight_result_destroy(r);
  r = NULL;
  o.overdue_top_n = -1; /* all */
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  CHECK(rows_of(r) == 2);
  salesight_result_destroy(r);
  r = NULL;

  /* Issues: 1 invoice after as_of (104); 1 payment after as_of (500); row 2
   * overpaid by 2500 - 2000 = 500; no payment before its invoice date. */
  o.output = SALESIGHT_AGING_OUTPUT_ISSUES;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 4);
  CHECK(string_is(r, "issue", 0, "invoices_after_as_of"));
  CHECK(int_at(r, "count", 0) == 1);
  CHECK(int_at(r, "count", 1) == 1);
  CHECK(int_at(r, "amount", 1) == 500);
  CHECK(string_is(r, "issue", 2, "overpaid_invoices"));
  CHECK(int_at(r, "count", 2) == 1);
  CHECK(int_at(r, "amount", 2) == 500);
  CHECK(string_is(r, "example_rows", 2, "2"));
  CHECK(int_at(r, "count", 3) == 0);
  /* The same issues as the problems table every output carries: only the
   * kinds with a count, the overpaid invoice named by its number. */
  {
    salesight_result* p = NULL;
    CHECK_OK(salesight_result_problems(r, &p));
    CHECK(rows_of(p) == 3);
    CHECK(string_is(p, "problem", 0, "invoices_after_as_of"));
    CHECK(string_is(p, "problem", 2, "overpaid_invoices"));
    CHECK(int_at(p, "count", 2) == 1);
    CHECK(int_at(p, "amount", 2) == 500);
    CHECK(string_is(p, "example_rows", 2, "2"));
    CHECK(string_is(p, "example_ids", 2, "103")); /* kInvId[2] */
    salesight_result_destroy(p);
  }
  salesight_result_destroy(r);
  r = NULL;

  /* Collection by salesperson over invoices due by as_of (rows 0, 2, 4):
   * S1 (rows 0, 4): billed 10000 + 1500 = 11500, collected 3000 + 0 (the
   * 500 came after as_of) = 3000, rate 3000 / 11500; S2 (row 2): billed
   * 2000, collected 2500 (an overpayment), rate 1.25. */
  o = from_init;
  o.as_of = 1000;
  o.output = SALESIGHT_AGING_OUTPUT_COLLECTION;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 2);
  CHECK(string_is(r, "salesperson", 0, "S1"));
  CHECK(int_at(r, "billed", 0) == 11500);
  CHECK(int_at(r, "collected", 0) == 3000);
  CHECK(fabs(double_at(r, "collection_rate", 0) - 3000.0 / 11500.0) < 1e-12);
  CHECK(string_is(r, "salesperson", 1, "S2"));
  CHECK(fabs(double_at(r, "collection_rate", 1) - 1.25) < 1e-12);
  CHECK(valid_at(r, "dso", 0) == 0); /* from unbounded: no DSO */
  salesight_result_destroy(r);
  r = NULL;
  o.rate_only = 1;
  o.group_by = "customer";
  o.days_to_pay = SALESIGHT_DAYS_TO_PAY_AMOUNT_WEIGHTED;
  o.from = 900;
  o.to = 990;
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  /* due in [900, 990]: rows 0 (A) and 4 (B) */
  CHECK(rows_of(r) == 2);
  CHECK(int_at(r, "billed", 0) == 10000);
  CHECK(int_at(r, "billed", 1) == 1500);
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o = from_init;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* as_of missing */
  CHECK(r == NULL);
  CHECK_MESSAGE("as_of");
  CHECK_STATUS(salesight_aging_compute(invoices, payments, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.as_of = 1000;
  o.output = 9;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.output = SALESIGHT_AGING_OUTPUT_TABLE;
  o.age_basis = 5;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.age_basis = 0;
  o.num_cutoffs = -1;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.num_cutoffs = 2; /* with cutoffs NULL */
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.cutoffs = descending;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.as_of = 1000;
  o.group_by = "planet";
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("planet");
  o.group_by = "region"; /* the invoices have no region column */
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.as_of = 1000;
  o.overdue_top_n = -2;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.overdue_top_n = 100;
  o.max_examples = -1;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.max_examples = 5;
  o.num_threads = -1;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.as_of = 1000;
  o.output = SALESIGHT_AGING_OUTPUT_COLLECTION;
  o.to = 1001; /* after as_of: the future is not known */
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.to = SALESIGHT_NO_DATE;
  o.days_to_pay = 7;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.as_of = 1000;
  CHECK_STATUS(salesight_aging_compute(orders, NULL, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_aging_compute(invoices, invoices, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_aging_compute(NULL, payments, &o, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.reserved = 1;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r), SALESIGHT_ERR_UNSUPPORTED);
  /* newer header: zero tail accepted, non-zero refused; older: prefix only */
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.as_of = 1000;
  newer.base.struct_size = (uint32_t)sizeof(newer);
  CHECK_OK(salesight_aging_compute(invoices, payments, &newer.base, &r));
  salesight_result_destroy(r);
  r = NULL;
  newer.extension = 1;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &newer.base, &r),
               SALESIGHT_ERR_UNSUPPORTED);
  CHECK_MESSAGE("newer");
  o = from_init;
  o.as_of = 1000;
  o.struct_size = (uint32_t)(offsetof(salesight_aging_options, as_of) + sizeof(int32_t));
  o.group_by = "planet"; /* beyond the old size: ignored */
  CHECK_OK(salesight_aging_compute(invoices, payments, &o, &r));
  CHECK(rows_of(r) == 2);
  salesight_result_destroy(r);
  r = NULL;
  o.struct_size = 1;
  CHECK_STATUS(salesight_aging_compute(invoices, payments, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
}

/* Targets: company level, 2022-01 = 3100.00, 2022-02 = 2800.00. */
static salesight_table* build_targets(void) {
  static const int32_t month[2] = {202201, 202202};
  static const int64_t amount[2] = {310000, 280000};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_TARGETS, &b));
  CHECK_OK(salesight_table_builder_set_target_level(b, SALESIGHT_TARGET_COMPANY));
  CHECK_OK(salesight_table_builder_add_column(b, "month", SALESIGHT_TYPE_INT32, month, 2, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, amount, 2, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  return t;
}

static void test_trend(const salesight_table* orders, const salesight_table* pipeline,
                       const salesight_table* invoices, const salesight_table* payments) {
  salesight_trend_options o = SALESIGHT_TREND_OPTIONS_INIT;
  salesight_trend_options from_init;
  salesight_result* r = NULL;
  salesight_table* targets = build_targets();
  struct {
    salesight_trend_options base;
    uint64_t extension;
  } newer;

  CHECK_OK(salesight_trend_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_trend_options_init(NULL, sizeof from_init),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  /* The 6 order lines fall on 2022-01-08, -18, -28 (days 19000..19020) and
   * 2022-02-07, -17, -27. Jan: 1050 + 2025 + 100 = 3175, cost 1x500 + 2x800
   * + 1x500 = 2600, margin 575, 3 orders; Feb: 10 + 9999 + 500 = 10509,
   * cost 800 + 3x800 + 500 = 3700, margin 6809. Last year: no base. */
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, NULL, &r));
  test_result(r);
  CHECK(rows_of(r) == 2);
  CHECK(string_is(r, "period", 0, "2022-01"));
  CHECK(int_at(r, "revenue", 0) == 3175);
  CHECK(int_at(r, "margin", 0) == 575);
  CHECK(int_at(r, "orders", 0) == 3);
  CHECK(string_is(r, "period", 1, "2022-02"));
  CHECK(int_at(r, "revenue", 1) == 10509);
  CHECK(int_at(r, "margin", 1) == 6809);
  CHECK(valid_at(r, "revenue_compare", 1) == 0);
  CHECK(valid_at(r, "growth_pct", 1) == 0);
  salesight_result_destroy(r);
  r = NULL;

  /* Previous period: Feb against Jan: +7334, 100 x 7334 / 3175 percent. */
  o.compare = SALESIGHT_COMPARE_PREVIOUS;
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r));
  CHECK(int_at(r, "revenue_compare", 1) == 3175);
  CHECK(int_at(r, "growth_diff", 1) == 7334);
  CHECK(fabs(double_at(r, "growth_pct", 1) - 100.0 * 7334.0 / 3175.0) < 1e-9);
  CHECK(valid_at(r, "revenue_compare", 0) == 0);
  salesight_result_destroy(r);
  r = NULL;

  /* Against target: the whole months, Jan 310000, Feb 280000 cents. */
  o.compare = SALESIGHT_COMPARE_TARGET;
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, targets, &o, &r));
  CHECK(int_at(r, "target", 0) == 310000);
  CHECK(int_at(r, "target", 1) == 280000);
  CHECK(int_at(r, "revenue_compare", 1) == 280000);
  salesight_result_destroy(r);
  r = NULL;

  /* Days, weeks, quarters, years; collections from invoices and payments
   * (dated in 1972: the range keeps them out) */
  o = from_init;
  o.grain = SALESIGHT_PERIOD_YEAR;
  o.from = 18993; /* 2022-01-01 */
  CHECK_OK(salesight_trend_compute(orders, NULL, invoices, payments, NULL, &o, &r));
  CHECK(rows_of(r) == 1);
  CHECK(string_is(r, "period", 0, "2022"));
  CHECK(int_at(r, "revenue", 0) == 13684);
  CHECK(int_at(r, "collections", 0) == 0);
  salesight_result_destroy(r);
  r = NULL;
  o.grain = SALESIGHT_PERIOD_WEEK;
  o.with_margin = 0;
  o.count_orders = 0;
  o.emit_empty_periods = 0;
  /* invoices without paid columns and without payments carry no collections */
  CHECK_STATUS(salesight_trend_compute(orders, NULL, invoices, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("paid");
  CHECK_OK(salesight_trend_compute(orders, NULL, invoices, payments, NULL, &o, &r));
  CHECK(rows_of(r) == 6);
  CHECK(string_is(r, "period", 0, "2022-W01")); /* Saturday 2022-01-08 */
  CHECK(valid_at(r, "orders", 0) == 0);
  salesight_result_destroy(r);
  r = NULL;
  o = from_init;
  o.grain = SALESIGHT_PERIOD_QUARTER;
  o.compare_measure = SALESIGHT_METRIC_ORDERS;
  o.tier_cost_first = 1;
  o.num_threads = 2;
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r));
  CHECK(rows_of(r) == 1);
  CHECK(int_at(r, "orders", 0) == 6);
  salesight_result_destroy(r);
  r = NULL;

  /* Period to date as of 2022-02-10 (day 19033): MTD Feb 1..10 = line 4
   * (2022-02-07, 10 cents); YTD Jan 1..Feb 10 = 3175 + 10 = 3185. */
  o = from_init;
  o.as_of = 19033;
  o.output = SALESIGHT_TREND_OUTPUT_TO_DATE;
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 3);
  CHECK(string_is(r, "kind", 0, "MTD"));
  CHECK(int_at(r, "revenue", 0) == 10);
  CHECK(string_is(r, "kind", 2, "YTD"));
  CHECK(int_at(r, "revenue", 2) == 3185);
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o = from_init;
  o.grain = SALESIGHT_PERIOD_NONE;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  o = from_init;
  o.compare = SALESIGHT_COMPARE_NONE;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.compare = SALESIGHT_COMPARE_TARGET; /* without targets */
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("targets");
  o = from_init;
  o.compare_measure = SALESIGHT_METRIC_QUANTITY;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.group_by = "planet";
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("planet");
  o.group_by = "region,channel";
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.group_by = "region"; /* the orders have no region column */
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.output = SALESIGHT_TREND_OUTPUT_TO_DATE; /* without as_of */
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.output = 7;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.max_cells = 0;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.max_cells = 10; /* 51 days: too large a window */
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_OUT_OF_MEMORY);
  CHECK_MESSAGE("max_cells");
  o = from_init;
  o.num_threads = -1;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, payments, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* payments without invoices */
  CHECK_STATUS(salesight_trend_compute(pipeline, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_trend_compute(orders, orders, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_trend_compute(orders, NULL, payments, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_trend_compute(orders, NULL, invoices, invoices, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, orders, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_trend_compute(NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.reserved = 1;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_UNSUPPORTED);
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.struct_size = (uint32_t)sizeof(newer);
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &newer.base, &r));
  salesight_result_destroy(r);
  r = NULL;
  newer.extension = 1;
  CHECK_STATUS(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &newer.base, &r),
               SALESIGHT_ERR_UNSUPPORTED);
  o = from_init;
  o.struct_size = (uint32_t)(offsetof(salesight_trend_options, grain) + sizeof(int32_t));
  o.grain = SALESIGHT_PERIOD_YEAR;
  o.compare = 99; /* beyond the old size: ignored */
  CHECK_OK(salesight_trend_compute(orders, NULL, NULL, NULL, NULL, &o, &r));
  CHECK(rows_of(r) == 1);
  salesight_result_destroy(r);
  r = NULL;
  salesight_table_destroy(targets);
}

static void test_contribution(const salesight_table* orders, const salesight_table* pipeline) {
  salesight_contribution_options o = SALESIGHT_CONTRIBUTION_OPTIONS_INIT;
  salesight_contribution_options from_init;
  salesight_result* r = NULL;
  int32_t c = -1;
  int32_t scale = -1;
  struct {
    salesight_contribution_options base;
    uint64_t extension;
  } newer;

  CHECK_OK(salesight_contribution_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_contribution_options_init(NULL, sizeof from_init),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  /* Revenue by customer: A 1050 + 100 = 1150, B 2025 + 10 + 9999 = 12034,
   * C 500; total 13684. Percent x 10 (decimals 1): A 11500/13684 x 100 =
   * 84.04 -> 84, B 879.42 -> 879, C 36.54 -> 36; 999 units, the missing 1
   * goes to the largest remainder (C: 0.54) -> 84 + 879 + 37 = 1000. */
  o.by = "customer";
  CHECK_OK(salesight_contribution_compute(orders, NULL, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 3);
  CHECK(string_is(r, "customer", 0, "A"));
  CHECK(int_at(r, "value", 0) == 1150);
  CHECK(int_at(r, "value", 1) == 12034);
  CHECK(int_at(r, "value", 2) == 500);
  CHECK(int_at(r, "share_pct", 0) == 84);
  CHECK(int_at(r, "share_pct", 1) == 879);
  CHECK(int_at(r, "share_pct", 2) == 37);
  CHECK_OK(salesight_result_column_index(r, "share_pct", &c));
  CHECK_OK(salesight_result_column_money_scale(r, c, &scale));
  CHECK(scale == 1);
  CHECK(fabs(double_at(r, "share", 1) - 12034.0 / 13684.0) < 1e-12);
  salesight_result_destroy(r);
  r = NULL;

  /* Margin by customer (cost = quantity x unit_cost): A 1150 - 1000 = 150,
   * B 12034 - 4800 = 7234, C 0; decimals 0: 150/7384 = 2.03 -> 2, 97.97 ->
   * 97 + 1 (largest remainder .97) = 98, 0 -> 0. */
  o.measure = SALESIGHT_METRIC_MARGIN;
  o.decimals = 0;
  o.num_threads = 2;
  CHECK_OK(salesight_contribution_compute(orders, NULL, &o, &r));
  CHECK(int_at(r, "value", 0) == 150);
  CHECK(int_at(r, "value", 1) == 7234);
  CHECK(int_at(r, "share_pct", 0) == 2);
  CHECK(int_at(r, "share_pct", 1) == 98);
  CHECK(int_at(r, "share_pct", 2) == 0);
  salesight_result_destroy(r);
  r = NULL;

  /* Two dimensions, a date range (Feb only: lines 4, 5, 6) */
  o = from_init;
  o.by = "customer, salesperson";
  o.from = 19024;
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* no salesperson column */
  o.by = "customer";
  o.tier_cost_first = 1;
  CHECK_OK(salesight_contribution_compute(orders, NULL, &o, &r));
  CHECK(rows_of(r) == 2); /* B 10009, C 500 */
  CHECK(int_at(r, "value", 0) == 10009);
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o = from_init; /* default "region": the orders have no region column */
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  o.by = "planet";
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("planet");
  o.by = "customer,customer,customer";
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.by = "";
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.by = "customer";
  o.measure = SALESIGHT_METRIC_ORDERS;
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.measure = SALESIGHT_METRIC_REVENUE;
  o.decimals = 7;
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.decimals = 1;
  o.num_threads = -3;
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.num_threads = 1;
  CHECK_STATUS(salesight_contribution_compute(pipeline, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_contribution_compute(orders, orders, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_contribution_compute(NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.reserved = 1;
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &o, &r), SALESIGHT_ERR_UNSUPPORTED);
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.by = "customer";
  newer.base.struct_size = (uint32_t)sizeof(newer);
  CHECK_OK(salesight_contribution_compute(orders, NULL, &newer.base, &r));
  salesight_result_destroy(r);
  r = NULL;
  newer.extension = 1;
  CHECK_STATUS(salesight_contribution_compute(orders, NULL, &newer.base, &r),
               SALESIGHT_ERR_UNSUPPORTED);
  o = from_init;
  o.struct_size = (uint32_t)(offsetof(salesight_contribution_options, by) + sizeof(o.by));
  o.by = "customer";
  o.decimals = 99; /* beyond the old size: ignored */
  CHECK_OK(salesight_contribution_compute(orders, NULL, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
}

/* Leaderboard over days 900..1000 (as_of = to = 1000). Orders (sharing the
 * invoices' dictionaries, so S1 = S1): S2 1000 + 500 cents in 2 orders, S1
 * 3000 in 1 order. Invoices due in [900, 1000]: rows 0 and 4 (both S1):
 * collection rate 3000 / 11500; S2 has none (null). Target S1 1972-07 (day
 * 900 = 1972-06-19 .. day 1000 = 1972-09-27 overlaps 1972-06..09): 6000 ->
 * attainment 3000 / 6000 = 0.5; S2 has no target (null). No cost: margin null. */
static void test_leaderboard(const salesight_table* orders, const salesight_table* pipeline,
                             const salesight_table* invoices, const salesight_table* payments) {
  static const int64_t id[3] = {1, 2, 3};
  static const int32_t day[3] = {990, 995, 999};
  static const char* const cust[3] = {"A", "B", "A"};
  static const char* const sp[3] = {"S2", "S1", "S2"};
  static const int64_t amount[3] = {1000, 3000, 500};
  static const char* const target_key[1] = {"S1"};
  static const int32_t target_month[1] = {197207};
  static const int64_t target_amount[1] = {6000};
  salesight_leaderboard_options o = SALESIGHT_LEADERBOARD_OPTIONS_INIT;
  salesight_leaderboard_options from_init;
  salesight_table_builder* b = NULL;
  salesight_table* lines = NULL;
  salesight_table* targets = NULL;
  salesight_result* r = NULL;
  struct {
    salesight_leaderboard_options base;
    uint64_t extension;
  } newer;

  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
  CHECK_OK(salesight_table_builder_share_dictionaries(b, invoices));
  CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, id, 3, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, day, 3, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, cust, 3, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "salesperson", SALESIGHT_TYPE_STRING, sp, 3,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, amount, 3, NULL,
                                              SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &lines));
  salesight_table_builder_destroy(b);
  b = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_TARGETS, &b));
  CHECK_OK(salesight_table_builder_share_dictionaries(b, invoices));
  CHECK_OK(salesight_table_builder_set_target_level(b, SALESIGHT_TARGET_SALESPERSON));
  CHECK_OK(salesight_table_builder_add_column(b, "key", SALESIGHT_TYPE_STRING, target_key, 1,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "month", SALESIGHT_TYPE_INT32, target_month, 1,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, target_amount, 1,
                                              NULL, SALESIGHT_BORROW));
  CHECK_OK(salesight_table_builder_finish(b, &targets));
  salesight_table_builder_destroy(b);

  CHECK_OK(salesight_leaderboard_options_init(&from_init, sizeof from_init));
  CHECK(memcmp(&o, &from_init, sizeof(o)) == 0);
  CHECK_STATUS(salesight_leaderboard_options_init(NULL, sizeof from_init),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  o.from = 900;
  o.to = 1000;
  CHECK_OK(salesight_leaderboard_compute(lines, NULL, NULL, invoices, payments, targets, &o, &r));
  test_result(r);
  CHECK(rows_of(r) == 2);
  CHECK(int_at(r, "rank", 0) == 1);
  CHECK(string_is(r, "salesperson", 0, "S1"));
  CHECK(int_at(r, "revenue", 0) == 3000);
  CHECK(int_at(r, "orders", 0) == 1);
  CHECK(fabs(double_at(r, "collection_rate", 0) - 3000.0 / 11500.0) < 1e-12);
  CHECK(int_at(r, "target", 0) == 6000);
  CHECK(fabs(double_at(r, "attainment", 0) - 0.5) < 1e-12);
  CHECK(valid_at(r, "margin", 0) == 0);
  CHECK(valid_at(r, "won", 0) == 0); /* no pipeline */
  CHECK(string_is(r, "salesperson", 1, "S2"));
  CHECK(int_at(r, "revenue", 1) == 1500);
  CHECK(int_at(r, "orders", 1) == 2);
  CHECK(valid_at(r, "collection_rate", 1) == 0);
  CHECK(valid_at(r, "attainment", 1) == 0);
  salesight_result_destroy(r);
  r = NULL;
  o.rank_by = SALESIGHT_METRIC_ORDERS;
  CHECK_OK(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, &r));
  CHECK(string_is(r, "salesperson", 0, "S2"));
  CHECK(valid_at(r, "collection_rate", 0) == 0); /* no invoices */
  salesight_result_destroy(r);
  r = NULL;
  o.rank_by = SALESIGHT_METRIC_TARGET_ATTAINMENT;
  o.num_threads = 2;
  CHECK_OK(salesight_leaderboard_compute(lines, NULL, NULL, invoices, NULL, targets, &o, &r));
  CHECK(string_is(r, "salesperson", 0, "S1")); /* S2's null ranks last */
  salesight_result_destroy(r);
  r = NULL;

  /* errors */
  o = from_init;
  o.rank_by = SALESIGHT_METRIC_QUANTITY;
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  o.rank_by = 99;
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.num_threads = -1;
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  o.to = 1000;
  o.as_of = 950; /* `to` after as_of */
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, invoices, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o = from_init;
  CHECK_STATUS(salesight_leaderboard_compute(orders, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* no salesperson column */
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, payments, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT); /* payments without invoices */
  CHECK_STATUS(salesight_leaderboard_compute(pipeline, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(lines, lines, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, lines, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, lines, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, invoices, invoices, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, lines, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(NULL, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, NULL),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  o.reserved = 1;
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_UNSUPPORTED);
  memset(&newer, 0, sizeof(newer));
  newer.base = from_init;
  newer.base.struct_size = (uint32_t)sizeof(newer);
  CHECK_OK(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &newer.base, &r));
  salesight_result_destroy(r);
  r = NULL;
  newer.extension = 1;
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &newer.base, &r),
               SALESIGHT_ERR_UNSUPPORTED);
  o = from_init;
  o.struct_size = (uint32_t)(offsetof(salesight_leaderboard_options, to) + sizeof(int32_t));
  o.rank_by = 99; /* beyond the old size: ignored */
  CHECK_OK(salesight_leaderboard_compute(lines, NULL, NULL, NULL, NULL, NULL, &o, &r));
  salesight_result_destroy(r);
  r = NULL;
  /* a pipeline without a salesperson column */
  o = from_init;
  o.to = 1000;
  CHECK_STATUS(salesight_leaderboard_compute(lines, NULL, pipeline, NULL, NULL, NULL, &o, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_table_destroy(targets);
  salesight_table_destroy(lines);
}


/* salesight_dataset_append_table: the 6 lines of build_orders, then 2 more
 * (customer D new, A again; their own dictionaries, matched by code): a
 * query compiled after the append reads 8 lines, one compiled before keeps
 * its 6; refused appends leave the dataset as it was. */
static salesight_table* build_append_batch(int32_t money_scale) {
  static const int64_t ids[2] = {7, 8};
  static const int32_t days[2] = {19060, 19061};
  static const char* const customers[2] = {"D", "A"};
  static const double amounts[2] = {2.5, 1.0};
  static const int32_t quantity[2] = {1, 1};
  static const int32_t product[2] = {1, 0};
  static const int64_t unit_cost[2] = {800, 500};
  static const char* const product_codes[2] = {"P-1", "P-2"};
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  CHECK_OK(salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b));
  CHECK_OK(salesight_table_builder_set_money_scale(b, money_scale));
  CHECK_OK(salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, ids, 2, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, days, 2, NULL,
                                              SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, customers, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_FLOAT64, amounts, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "quantity", SALESIGHT_TYPE_INT32, quantity, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_set_dictionary(b, "product", product_codes, 2));
  CHECK_OK(salesight_table_builder_add_column(b, "product", SALESIGHT_TYPE_INT32, product, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_add_column(b, "unit_cost", SALESIGHT_TYPE_MONEY, unit_cost, 2,
                                              NULL, SALESIGHT_COPY));
  CHECK_OK(salesight_table_builder_finish(b, &t));
  salesight_table_builder_destroy(b);
  return t;
}

static void test_dataset_append(void) {
  static const char* const kTotal = "{\"measures\": [\"revenue\", \"lines\"]}";
  salesight_dataset* ds = NULL;
  salesight_dataset* empty = NULL;
  salesight_table* orders = build_orders();
  salesight_table* batch = build_append_batch(2);
  salesight_table* other_scale = build_append_batch(3);
  salesight_table* pipeline = build_pipeline();
  salesight_query* before = NULL;
  salesight_query* after = NULL;
  salesight_result* r = NULL;
  int64_t rows = 0;
  CHECK_OK(salesight_dataset_create(&ds));
  CHECK_OK(salesight_dataset_add_table(ds, orders));
  CHECK_OK(salesight_query_compile(ds, kTotal, &before));
  CHECK_STATUS(salesight_dataset_append_table(NULL, batch), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_dataset_append_table(ds, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_dataset_append_table(ds, batch));
  salesight_table_destroy(batch);
  CHECK_OK(salesight_query_compile(ds, kTotal, &after));
  CHECK_OK(salesight_query_run(after, &r));
  CHECK(int_at(r, "revenue", 0) == 13684 + 350 && int_at(r, "lines", 0) == 8);
  salesight_result_destroy(r);
  CHECK_OK(salesight_query_run(before, &r)); /* compiled on the 6 lines */
  CHECK(int_at(r, "revenue", 0) == 13684 && int_at(r, "lines", 0) == 6);
  salesight_result_destroy(r);
  salesight_query_destroy(before);
  salesight_query_destroy(after);
  /* Per customer: A B C keep their ids, D comes after them. */
  CHECK_OK(salesight_query_compile(ds, "{\"measures\": [\"revenue\"], \"dimensions\": "
                                       "[\"customer\"]}", &after));
  CHECK_OK(salesight_query_run(after, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 4 && string_is(r, "customer", 0, "A") && int_at(r, "revenue", 0) == 1150 + 100);
  CHECK(string_is(r, "customer", 3, "D") && int_at(r, "revenue", 3) == 250);
  salesight_result_destroy(r);
  salesight_query_destroy(after);
  /* Refused: another money scale, a table that is not order lines, no orders. */
  CHECK_STATUS(salesight_dataset_append_table(ds, other_scale), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("money scale 3 differs");
  CHECK_STATUS(salesight_dataset_append_table(ds, pipeline), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("only order lines");
  CHECK_OK(salesight_dataset_create(&empty));
  CHECK_STATUS(salesight_dataset_append_table(empty, orders), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("no orders table");
  CHECK_OK(salesight_query_compile(ds, kTotal, &after));
  CHECK_OK(salesight_query_run(after, &r));
  CHECK(int_at(r, "lines", 0) == 8); /* unchanged by the refusals */
  salesight_result_destroy(r);
  salesight_query_destroy(after);
  salesight_table_destroy(other_scale);
  salesight_table_destroy(pipeline);
  salesight_table_destroy(orders);
  salesight_dataset_destroy(empty);
  salesight_dataset_destroy(ds);
}
/* The dataset handle and a declared calculator run by name (new_customers:
 * Jan 2022 A and B new (11.50 + 20.25), Feb B returning (0.10 + 99.99) and
 * C new (5.00)). The table handle is destroyed right after the add. */
static void test_dataset_calculators(void) {
  salesight_dataset* ds = NULL;
  salesight_table* orders = build_orders();
  salesight_table* second = build_orders();
  salesight_result* r = NULL;
  const char* names[1] = {"period"};
  const char* values[1] = {"month"};
  const char* bad_names[1] = {"perod"};
  const char* json = salesight_calculators_json();
  int64_t rows = 0;
  CHECK(json != NULL && strstr(json, "\"name\":\"new_customers\"") != NULL);
  CHECK_STATUS(salesight_dataset_create(NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_dataset_create(&ds));
  CHECK_STATUS(salesight_dataset_add_table(ds, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  /* No orders yet: the calculator names the missing table. */
  CHECK_STATUS(salesight_calculator_run(ds, "new_customers", NULL, NULL, 0, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("needs the orders table");
  CHECK_OK(salesight_dataset_add_table(ds, orders));
  salesight_table_destroy(orders);
  CHECK_STATUS(salesight_dataset_add_table(ds, second), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("one per kind");
  salesight_table_destroy(second);
  CHECK_OK(salesight_calculator_run(ds, "new_customers", names, values, 1, NULL, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 2);
  CHECK(int_at(r, "new_customers", 0) == 2 && int_at(r, "new_revenue", 0) == 3175);
  CHECK(int_at(r, "new_customers", 1) == 1 && int_at(r, "returning_customers", 1) == 1);
  CHECK(int_at(r, "new_revenue", 1) == 500 && int_at(r, "returning_revenue", 1) == 10009);
  CHECK(string_is(r, "period", 1, "2022-02"));
  salesight_result_destroy(r);
  r = NULL;
  {
    /* drivers: revenue Feb 2022 (105.09) vs Jan (31.75) by customer; B
     * (20.25 -> 100.09) explains 7984 / 7334 of the rise. */
    const char* dnames[3] = {"dims", "period", "measure"};
    const char* dvalues[3] = {"customer", "2022-02", "revenue"};
    CHECK_OK(salesight_calculator_run(ds, "drivers", dnames, dvalues, 3, "summary", &r));
    CHECK(int_at(r, "before", 0) == 3175 && int_at(r, "after", 0) == 10509);
    CHECK(int_at(r, "change", 0) == 7334);
    salesight_result_destroy(r);
    r = NULL;
    CHECK_OK(salesight_calculator_run(ds, "drivers", dnames, dvalues, 3, NULL, &r));
    CHECK(string_is(r, "combination", 0, "customer=B") && int_at(r, "change", 0) == 7984);
    salesight_result_destroy(r);
    r = NULL;
    dvalues[1] = "2022-2";
    CHECK_STATUS(salesight_calculator_run(ds, "drivers", dnames, dvalues, 3, NULL, &r),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("period '2022-2' is not a month label");
  }
  CHECK_STATUS(salesight_calculator_run(ds, "new_customer", NULL, NULL, 0, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("Did you mean 'new_customers'?");
  CHECK_STATUS(salesight_calculator_run(ds, "new_customers", bad_names, values, 1, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("'perod' is not an option");
  CHECK_STATUS(salesight_calculator_run(ds, "new_customers", NULL, NULL, 0, "weeks", &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("its outputs: periods");
  CHECK_STATUS(salesight_calculator_run(ds, "new_customers", NULL, values, 1, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_calculator_run(ds, "new_customers", names, values, -1, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_calculator_run(NULL, "new_customers", NULL, NULL, 0, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  {
    /* rfm and funnel through the dataset: the same tables as their typed calls. */
    salesight_table* pipeline = build_pipeline();
    salesight_result* typed = NULL;
    const char* outputs[1] = {"bottlenecks"};
    int64_t typed_rows = -1;
    CHECK_OK(salesight_calculator_run(ds, "rfm", NULL, NULL, 0, "segments", &r));
    CHECK_OK(salesight_result_num_rows(r, &rows));
    CHECK(rows == 6); /* every tier listed, empty ones too */
    salesight_result_destroy(r);
    r = NULL;
    CHECK_STATUS(salesight_calculator_run(ds, "funnel", NULL, NULL, 0, NULL, &r),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("funnel needs the pipeline table");
    CHECK_OK(salesight_dataset_add_table(ds, pipeline));
    CHECK_OK(salesight_calculator_run(ds, "funnel", NULL, NULL, 0, NULL, &r));
    CHECK_OK(salesight_funnel_compute(pipeline, NULL, &typed));
    CHECK_OK(salesight_result_num_rows(r, &rows));
    CHECK_OK(salesight_result_num_rows(typed, &typed_rows));
    CHECK(rows == typed_rows && rows > 0);
    salesight_result_destroy(r);
    salesight_result_destroy(typed);
    r = NULL;
    CHECK_OK(salesight_calculator_run(ds, "funnel", NULL, NULL, 0, outputs[0], &r));
    salesight_result_destroy(r);
    r = NULL;
    salesight_table_destroy(pipeline);
  }
  salesight_dataset_destroy(ds);
  salesight_dataset_destroy(NULL);
}

/* The whole text of a file (malloc'ed; NULL when it cannot be read). */
static char* slurp(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text = NULL;
  long n = 0;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    text = (char*)malloc((size_t)n + 1);
    if (text != NULL && fread(text, 1, (size_t)n, f) == (size_t)n) {
      text[n] = '\0';
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(f);
  return text;
}

/* Every cell of `typed` (a typed C call's result, consumed) equals the
 * output `output` of the declared calculator run by name on `ds` with the
 * options as text: same CSV bytes, more than a header. */
static void check_same_as_typed(salesight_dataset* ds, const char* calculator,
                                const char* const* names, const char* const* values,
                                int32_t n, const char* output, salesight_result* typed,
                                int line) {
  salesight_result* run = NULL;
  char* a = NULL;
  char* b = NULL;
  int64_t rows = 0;
  CHECK_OK(salesight_calculator_run(ds, calculator, names, values, n, output, &run));
  CHECK_OK(salesight_result_write(typed, path_in("registered_typed.csv")));
  CHECK_OK(salesight_result_write(run, path_in("registered_run.csv")));
  CHECK_OK(salesight_result_num_rows(typed, &rows));
  a = slurp(path_in("registered_typed.csv"));
  b = slurp(path_in("registered_run.csv"));
  ++g_checks;
  if (a == NULL || b == NULL || strcmp(a, b) != 0 || rows == 0) {
    ++g_failures;
    fprintf(stderr, "c99_test.c:%d: %s output %s differs from the typed call (%ld rows)\n", line,
            calculator, output == NULL ? "(default)" : output, (long)rows);
  }
  free(a);
  free(b);
  salesight_result_destroy(run);
  salesight_result_destroy(typed);
}
#define CHECK_SAME(calc, names, values, n, output, typed) \
  check_same_as_typed(ds, calc, names, values, n, output, typed, __LINE__)

/* Any kind through the generic calls: two aging partials of the invoices (one
 * through bytes), merged and finished with the dataset as context, equal
 * salesight_calculator_run on all the rows; misuse is refused. */
static void test_calculator_partials(const salesight_table* invoices,
                                     const salesight_table* payments) {
  salesight_dataset* ds = NULL;
  salesight_partial* a = NULL;
  salesight_partial* b = NULL;
  salesight_partial* c = NULL;
  salesight_result* r = NULL;
  uint8_t* bytes = NULL;
  int64_t length = 0, rows = 0;
  int32_t kind = 0;
  const char* names[] = {"as_of", "by"};
  const char* values[] = {"1972-10-15", "customer"};
  const char* other[] = {"1972-10-14", "customer"};
  CHECK_OK(salesight_dataset_create(&ds));
  CHECK_OK(salesight_dataset_add_table(ds, invoices));
  CHECK_OK(salesight_dataset_add_table(ds, payments));
  CHECK_OK(salesight_table_num_rows(invoices, &rows));
  CHECK_OK(salesight_calculator_partial(ds, "aging", names, values, 2, 0, rows / 2, &a));
  CHECK_OK(salesight_calculator_partial(ds, "aging", names, values, 2, rows / 2, rows, &b));
  CHECK_OK(salesight_partial_kind(a, &kind));
  CHECK(kind == SALESIGHT_PARTIAL_AGING);
  CHECK_OK(salesight_partial_serialize(b, &bytes, &length));
  salesight_partial_destroy(b);
  b = NULL;
  CHECK_OK(salesight_partial_deserialize(bytes, length, &b));
  salesight_bytes_free(bytes);
  CHECK_OK(salesight_partial_merge(a, b));
  /* different options, an unknown calculator or one without a partial */
  CHECK_OK(salesight_calculator_partial(ds, "aging", names, other, 2, 0, 1, &c));
  CHECK_STATUS(salesight_partial_merge(a, c), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("different options");
  salesight_partial_destroy(c);
  c = NULL;
  CHECK_STATUS(salesight_calculator_partial(ds, "overview", NULL, NULL, 0, 0, 0, &c),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_calculator_partial(ds, "aging", NULL, NULL, 0, 0, 1, &c),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("as_of");
  CHECK_STATUS(salesight_calculator_partial(ds, "aging", names, values, 2, 0, rows + 1, &c),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_calculator_partial(NULL, "aging", NULL, NULL, 0, 0, 0, &c),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(c == NULL);
  CHECK_STATUS(salesight_partial_finish(a, ds, NULL, NULL, 0, "nope", &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_partial_finish(NULL, ds, NULL, NULL, 0, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_partial_finish(a, ds, NULL, NULL, 0, "aging", &r));
  CHECK_SAME("aging", names, values, 2, "aging", r);
  r = NULL;
  CHECK_STATUS(salesight_partial_finish(a, ds, NULL, NULL, 0, NULL, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("already finished");
  salesight_partial_destroy(a);
  salesight_partial_destroy(b);
  salesight_dataset_destroy(ds);
}

/* margin, aging, collection, trend, contribution and leaderboard through
 * salesight_calculator_run equal their typed C calls on the same tables (the
 * sample: every table). */
static void test_registered_calculators(void) {
  salesight_sample_options so = SALESIGHT_SAMPLE_OPTIONS_INIT;
  salesight_sample* sample = NULL;
  salesight_dataset* ds = NULL;
  salesight_table* t[8] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  const salesight_table_kind kinds[6] = {SALESIGHT_TABLE_ORDERS,   SALESIGHT_TABLE_PRODUCTS,
                                         SALESIGHT_TABLE_PIPELINE, SALESIGHT_TABLE_INVOICES,
                                         SALESIGHT_TABLE_PAYMENTS, SALESIGHT_TABLE_TARGETS};
  salesight_result* typed = NULL;
  int i;
  so.order_lines = 2000;
  CHECK_OK(salesight_sample_generate(&so, &sample));
  CHECK_OK(salesight_dataset_create(&ds));
  for (i = 0; i < 6; ++i) {
    CHECK_OK(salesight_sample_table(sample, kinds[i], &t[kinds[i]]));
    CHECK_OK(salesight_dataset_add_table(ds, t[kinds[i]]));
  }
  {
    salesight_margin_options o = SALESIGHT_MARGIN_OPTIONS_INIT;
    const char* names[4] = {"by", "top", "bottom", "rank_by"};
    const char* values[4] = {"region,quarter", "3", "true", "revenue"};
    o.group_by = "region,quarter";
    CHECK_OK(salesight_margin_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS], &o,
                                      &typed));
    CHECK_SAME("margin", names, values, 1, NULL, typed);
    o.output = SALESIGHT_MARGIN_OUTPUT_RANKING;
    o.rank_n = 3;
    o.rank_bottom = 1;
    o.rank_metric = SALESIGHT_METRIC_REVENUE;
    CHECK_OK(salesight_margin_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS], &o,
                                      &typed));
    CHECK_SAME("margin", names, values, 4, "ranking", typed);
    o.output = SALESIGHT_MARGIN_OUTPUT_ABC;
    o.abc = SALESIGHT_METRIC_MARGIN + 1;
    values[0] = "product";
    values[1] = "margin";
    names[1] = "abc";
    o.group_by = NULL;
    CHECK_OK(salesight_margin_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS], &o,
                                      &typed));
    CHECK_SAME("margin", names, values, 2, "abc", typed);
    o.output = SALESIGHT_MARGIN_OUTPUT_QUADRANT;
    CHECK_OK(salesight_margin_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS], &o,
                                      &typed));
    CHECK_SAME("margin", names, values, 2, "quadrant", typed);
  }
  {
    salesight_aging_options o = SALESIGHT_AGING_OPTIONS_INIT;
    const int32_t cutoffs[3] = {0, 15, 45};
    const char* names[5] = {"as_of", "by", "cutoffs", "basis", "top"};
    const char* values[5] = {"2024-09-30", "salesperson", "0,15,45", "invoice", "7"};
    o.as_of = 19996; /* 2024-09-30 */
    o.group_by = "salesperson";
    o.num_cutoffs = 3;
    o.cutoffs = cutoffs;
    o.age_basis = SALESIGHT_AGE_FROM_INVOICE_DATE;
    o.overdue_top_n = 7;
    CHECK_OK(salesight_aging_compute(t[SALESIGHT_TABLE_INVOICES], t[SALESIGHT_TABLE_PAYMENTS], &o,
                                     &typed));
    CHECK_SAME("aging", names, values, 5, "aging", typed);
    o.output = SALESIGHT_AGING_OUTPUT_OVERDUE;
    CHECK_OK(salesight_aging_compute(t[SALESIGHT_TABLE_INVOICES], t[SALESIGHT_TABLE_PAYMENTS], &o,
                                     &typed));
    CHECK_SAME("aging", names, values, 5, "overdue", typed);
    /* collection: its own calculator (its own default grouping, salesperson) */
    o = (salesight_aging_options)SALESIGHT_AGING_OPTIONS_INIT;
    o.as_of = 19996;
    o.from = 19996 - 90;
    o.days_to_pay = SALESIGHT_DAYS_TO_PAY_AMOUNT_WEIGHTED;
    o.output = SALESIGHT_AGING_OUTPUT_COLLECTION;
    names[1] = "start";
    values[1] = "2024-07-02";
    names[2] = "days_to_pay";
    values[2] = "amount_weighted";
    CHECK_OK(salesight_aging_compute(t[SALESIGHT_TABLE_INVOICES], t[SALESIGHT_TABLE_PAYMENTS], &o,
                                     &typed));
    CHECK_SAME("collection", names, values, 3, NULL, typed);
  }
  {
    salesight_trend_options o = SALESIGHT_TREND_OPTIONS_INIT;
    const char* names[4] = {"grain", "by", "compare", "as_of"};
    const char* values[4] = {"quarter", "salesperson", "previous", "2024-09-30"};
    o.grain = SALESIGHT_PERIOD_QUARTER;
    o.group_by = "salesperson"; /* the sample's targets are per salesperson */
    o.compare = SALESIGHT_COMPARE_PREVIOUS;
    o.as_of = 19996;
    CHECK_OK(salesight_trend_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS],
                                     t[SALESIGHT_TABLE_INVOICES], t[SALESIGHT_TABLE_PAYMENTS],
                                     t[SALESIGHT_TABLE_TARGETS], &o, &typed));
    CHECK_SAME("trend", names, values, 4, "table", typed);
    o.output = SALESIGHT_TREND_OUTPUT_TO_DATE;
    CHECK_OK(salesight_trend_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS],
                                     t[SALESIGHT_TABLE_INVOICES], t[SALESIGHT_TABLE_PAYMENTS],
                                     t[SALESIGHT_TABLE_TARGETS], &o, &typed));
    CHECK_SAME("trend", names, values, 4, "to_date", typed);
  }
  {
    salesight_contribution_options o = SALESIGHT_CONTRIBUTION_OPTIONS_INIT;
    const char* names[3] = {"by", "measure", "decimals"};
    const char* values[3] = {"category,channel", "margin", "2"};
    o.by = "category,channel";
    o.measure = SALESIGHT_METRIC_MARGIN;
    o.decimals = 2;
    CHECK_OK(salesight_contribution_compute(t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS],
                                            &o, &typed));
    CHECK_SAME("contribution", names, values, 3, NULL, typed);
  }
  {
    salesight_leaderboard_options o = SALESIGHT_LEADERBOARD_OPTIONS_INIT;
    const char* names[3] = {"start", "end", "rank_by"};
    const char* values[3] = {"2024-06-01", "2024-09-30", "win_rate"};
    o.from = 19875; /* 2024-06-01 */
    o.to = 19996;
    o.rank_by = SALESIGHT_METRIC_WIN_RATE;
    CHECK_OK(salesight_leaderboard_compute(
        t[SALESIGHT_TABLE_ORDERS], t[SALESIGHT_TABLE_PRODUCTS], t[SALESIGHT_TABLE_PIPELINE],
        t[SALESIGHT_TABLE_INVOICES], t[SALESIGHT_TABLE_PAYMENTS], t[SALESIGHT_TABLE_TARGETS], &o,
        &typed));
    CHECK_SAME("leaderboard", names, values, 3, NULL, typed);
  }
  {
    /* leaderboard partials: its rows are the orders, pipeline, invoices and
     * targets one after another; three partials (one through bytes), merged
     * in another order and finished = salesight_calculator_run */
    const char* names[3] = {"start", "end", "rank_by"};
    const char* values[3] = {"2024-06-01", "2024-09-30", "attainment"};
    const salesight_table_kind parts[4] = {SALESIGHT_TABLE_ORDERS, SALESIGHT_TABLE_PIPELINE,
                                           SALESIGHT_TABLE_INVOICES, SALESIGHT_TABLE_TARGETS};
    salesight_partial* p[3] = {NULL, NULL, NULL};
    salesight_partial* q = NULL;
    salesight_partial* bad = NULL;
    uint8_t* bytes = NULL;
    int64_t length = 0, total = 0, n = 0;
    int32_t kind = 0;
    for (i = 0; i < 4; ++i) {
      CHECK_OK(salesight_table_num_rows(t[parts[i]], &n));
      total += n;
    }
    for (i = 0; i < 3; ++i) {
      CHECK_OK(salesight_calculator_partial(ds, "leaderboard", names, values, 3, total * i / 3,
                                            total * (i + 1) / 3, &p[i]));
    }
    CHECK_OK(salesight_partial_kind(p[1], &kind));
    CHECK(kind == SALESIGHT_PARTIAL_LEADERBOARD);
    CHECK_OK(salesight_partial_serialize(p[1], &bytes, &length));
    CHECK_OK(salesight_partial_deserialize(bytes, length, &q));
    salesight_bytes_free(bytes);
    CHECK_OK(salesight_partial_merge(p[2], q));
    CHECK_OK(salesight_partial_merge(p[2], p[0]));
    CHECK_STATUS(salesight_calculator_partial(ds, "leaderboard", names, values, 3, 0, total + 1,
                                              &bad),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(salesight_calculator_partial(ds, "leaderboard", NULL, NULL, 0, 0, 1, &bad),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("as_of");
    CHECK(bad == NULL);
    CHECK_OK(salesight_partial_finish(p[2], ds, NULL, NULL, 0, NULL, &typed));
    CHECK_SAME("leaderboard", names, values, 3, NULL, typed);
    salesight_partial_destroy(q);
    for (i = 0; i < 3; ++i) salesight_partial_destroy(p[i]);
  }
  for (i = 0; i < 8; ++i) salesight_table_destroy(t[i]);
  salesight_dataset_destroy(ds);
  salesight_sample_destroy(sample);
}

/* ----------------------------------------------------------- declared options */

static void test_options_describe(void) {
  const char* calculators[] = {"rfm", "funnel", "margin"};
  const char* json = NULL;
  const char* again = NULL;
  int i;
  for (i = 0; i < 3; ++i) {
    json = NULL;
    CHECK_OK(salesight_options_describe(calculators[i], &json));
    CHECK(json != NULL && json[0] == '[');
    CHECK(json != NULL && strstr(json, "\"num_threads\"") != NULL);
    CHECK_OK(salesight_options_describe(calculators[i], &again));
    CHECK(again == json); /* static text: the same pointer every time */
  }
  CHECK_OK(salesight_options_describe("margin", &json));
  CHECK(strstr(json, "\"name\": \"rank_by\", \"type\": \"choice\", \"default\": \"margin\"") != NULL);
  CHECK_OK(salesight_options_describe("funnel", &json));
  CHECK(strstr(json, "\"cli\": \"explicit-stages-only\", \"cli_sets_false\": true") != NULL);
  CHECK_STATUS(salesight_options_describe("margn", &json), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("'margn' has no declared options");
  CHECK_MESSAGE("rfm, funnel, margin");
  CHECK_STATUS(salesight_options_describe(NULL, &json), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_options_describe("rfm", NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------------ approvals */

static const char* kApprovalPolicy =
    "{\"policy\": \"c\", \"version\": 2, \"decision\": {\"id\": \"route\", \"hit_policy\": \"UNIQUE\","
    " \"inputs\": [{\"name\": \"amount\", \"type\": \"number\"}],"
    " \"outputs\": [{\"name\": \"chain\", \"type\": \"string\"}],"
    " \"rules\": [{\"id\": \"small\", \"when\": [\"< 50000\"], \"then\": [\"small\"]},"
    "            {\"id\": \"big\", \"when\": [\">= 50000\"], \"then\": [\"big\"]}]},"
    " \"chains\": {\"small\": [{\"id\": \"dir\", \"approvers\": [{\"user\": \"dir1\"}]}],"
    "   \"big\": [{\"id\": \"both\", \"kind\": \"all\", \"approvers\": [{\"user\": \"dir1\"}, {\"user\": \"fin1\"}]}]},"
    " \"triggers\": [{\"on\": \"approved\", \"action\": \"task\", \"name\": \"issue invoice\"}]}";
static const char* kApprovalOrg =
    "{\"people\": [{\"id\": \"dir1\"}, {\"id\": \"fin1\"}, {\"id\": \"rep1\", \"manager\": \"dir1\"}]}";

static int64_t slen(const char* s) { return (int64_t)strlen(s); }

/* Applies a command; returns the answer (free with salesight_bytes_free). */
static char* apply_json(const salesight_approval_engine* e, salesight_approval_instance* i, const char* cmd) {
  uint8_t* text = NULL;
  int64_t n = 0;
  CHECK_OK(salesight_approval_apply(e, i, cmd, slen(cmd), &text, &n));
  CHECK(text != NULL && (int64_t)strlen((const char*)text) == n);
  return (char*)text;
}

static void test_approvals(void) {
  salesight_approval_engine* engine = NULL;
  salesight_approval_instance* inst = NULL;
  salesight_approval_instance* again = NULL;
  uint8_t* text = NULL;
  uint8_t* log = NULL;
  uint8_t* state2 = NULL;
  int64_t n = 0, log_n = 0, n2 = 0;
  int32_t pending = -1;
  char* answer;
  const char* contract = "{\"id\": \"C-1\", \"initiator\": \"rep1\", \"attributes\": {\"amount\": \"50000.00\"}}";

  CHECK_OK(salesight_approval_engine_create(kApprovalPolicy, slen(kApprovalPolicy), NULL, 0, kApprovalOrg,
                                            slen(kApprovalOrg), 0, &engine));
  CHECK_OK(salesight_approval_engine_findings(engine, &text, &n));
  CHECK(n == 0);
  salesight_bytes_free(text);
  CHECK_OK(salesight_approval_route(engine, contract, slen(contract), &text, &n));
  CHECK(strstr((const char*)text, "\"chains\":[\"big\"]") != NULL);
  CHECK(strstr((const char*)text, "\"approvers\":[\"dir1\",\"fin1\"]") != NULL);
  salesight_bytes_free(text);

  CHECK_OK(salesight_approval_instance_create(&inst));
  answer = apply_json(engine, inst,
                      "{\"kind\": \"submitted\", \"instance\": \"I-1\", \"key\": \"k1\", \"actor\": \"rep1\","
                      " \"expected_version\": 0, \"contract\": {\"id\": \"C-1\", \"attributes\": {\"amount\": 60000}}}");
  CHECK(strstr(answer, "\"accepted\":true") != NULL);
  free(answer);
  CHECK_OK(salesight_approval_pending(inst, "fin1", &pending));
  CHECK(pending == 1);
  answer = apply_json(engine, inst, "{\"kind\": \"approved\", \"key\": \"k2\", \"actor\": \"rep1\"}");
  CHECK(strstr(answer, "\"accepted\":false") != NULL && strstr(answer, "not an approver") != NULL);
  free(answer);
  answer = apply_json(engine, inst, "{\"kind\": \"approved\", \"key\": \"k3\", \"actor\": \"fin1\", \"expected_version\": 1}");
  CHECK(strstr(answer, "\"accepted\":true") != NULL);
  free(answer);
  /* dir1 raced on version 1: a conflict; the retry of k3 is a duplicate. */
  answer = apply_json(engine, inst, "{\"kind\": \"approved\", \"key\": \"k4\", \"actor\": \"dir1\", \"expected_version\": 1}");
  CHECK(strstr(answer, "\"conflict\":true") != NULL);
  free(answer);
  answer = apply_json(engine, inst, "{\"kind\": \"approved\", \"key\": \"k3\", \"actor\": \"fin1\", \"expected_version\": 1}");
  CHECK(strstr(answer, "\"duplicate\":true") != NULL);
  free(answer);
  answer = apply_json(engine, inst, "{\"kind\": \"approved\", \"key\": \"k5\", \"actor\": \"dir1\", \"expected_version\": 2}");
  CHECK(strstr(answer, "\"name\":\"issue invoice\"") != NULL);
  free(answer);
  CHECK_OK(salesight_approval_pending(inst, "fin1", &pending));
  CHECK(pending == 0);
  CHECK_OK(salesight_approval_instance_state(inst, &text, &n));
  CHECK(strstr((const char*)text, "\"status\":\"approved\"") != NULL);

  /* Replay gives the same state; an edited log is refused, naming the event. */
  CHECK_OK(salesight_approval_instance_log(inst, &log, &log_n));
  CHECK_OK(salesight_approval_replay(engine, (const char*)log, log_n, &again));
  CHECK_OK(salesight_approval_instance_state(again, &state2, &n2));
  CHECK(n == n2 && memcmp(text, state2, (size_t)n) == 0);
  salesight_approval_instance_destroy(again);
  again = NULL;
  {
    char* edited = (char*)malloc((size_t)log_n + 1);
    char* at;
    memcpy(edited, log, (size_t)log_n + 1);
    at = strstr(edited, "\"actor\":\"fin1\"");
    CHECK(at != NULL);
    if (at != NULL) memcpy(at, "\"actor\":\"dir1\"", 14);
    CHECK_STATUS(salesight_approval_replay(engine, edited, log_n, &again), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("its hash does not match");
    CHECK(again == NULL);
    free(edited);
  }
  salesight_bytes_free(text);
  salesight_bytes_free(state2);
  salesight_bytes_free(log);

  /* Errors: NULLs, bad JSON, a policy with findings unless allowed. */
  CHECK_STATUS(salesight_approval_apply(engine, inst, "{", 1, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_apply(NULL, inst, "{}", 2, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_route(engine, contract, -1, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_pending(NULL, "x", &pending), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_instance_create(NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_instance_state(NULL, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_instance_log(NULL, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_engine_findings(NULL, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_replay(engine, NULL, 0, &again), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_approval_instance_destroy(inst);
  salesight_approval_engine_destroy(engine);
  engine = NULL;
  {
    /* The same policy without its "big" rule: a gap, refused unless allowed. */
    const char* gap = strstr(kApprovalPolicy, ",            {\"id\": \"big\"");
    char policy[4096];
    size_t head = (size_t)(gap - kApprovalPolicy);
    const char* tail = strstr(gap, "]},");
    memcpy(policy, kApprovalPolicy, head);
    strcpy(policy + head, tail);
    CHECK_STATUS(salesight_approval_engine_create(policy, slen(policy), NULL, 0, kApprovalOrg, slen(kApprovalOrg), 0,
                                                  &engine),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("gap: amount >= 50000: matches no rule");
    CHECK_OK(salesight_approval_engine_create(policy, slen(policy), NULL, 0, kApprovalOrg, slen(kApprovalOrg), 1,
                                              &engine));
    salesight_approval_engine_destroy(engine);
  }
  salesight_approval_engine_destroy(NULL);
  salesight_approval_instance_destroy(NULL);
}

/* Applies a command to a store; returns the answer (free with salesight_bytes_free). */
static char* store_apply_json(const salesight_approval_engine* e, salesight_approval_store* st, const char* cmd) {
  uint8_t* text = NULL;
  int64_t n = 0;
  CHECK_OK(salesight_approval_store_apply(e, st, cmd, slen(cmd), &text, &n));
  return (char*)text;
}

/* Policy and directory handles, an engine from them, a store of instances:
 * what waits for whom across instances, delegations, replay of one log. */
static void test_approval_store(void) {
  salesight_approval_policy* policy = NULL;
  salesight_approval_directory* directory = NULL;
  salesight_approval_engine* engine = NULL;
  salesight_approval_store* store = NULL;
  salesight_approval_store* again = NULL;
  salesight_approval_instance* inst = NULL;
  const salesight_approval_instance* list[1];
  uint8_t* text = NULL;
  uint8_t* text2 = NULL;
  uint8_t* log = NULL;
  int64_t n = 0, n2 = 0, log_n = 0;
  char* answer;

  CHECK_OK(salesight_approval_policy_create(kApprovalPolicy, slen(kApprovalPolicy), NULL, 0, &policy));
  CHECK_OK(salesight_approval_directory_create(kApprovalOrg, slen(kApprovalOrg), &directory));
  CHECK_OK(salesight_approval_engine_create_from(policy, directory, 0, &engine));
  /* The engine copied both. */
  salesight_approval_policy_destroy(policy);
  salesight_approval_directory_destroy(directory);

  CHECK_OK(salesight_approval_store_create(&store));
  answer = store_apply_json(engine, store,
                            "{\"kind\": \"submitted\", \"instance\": \"I-1\", \"key\": \"a1\", \"actor\": \"rep1\","
                            " \"contract\": {\"id\": \"C-1\", \"attributes\": {\"amount\": 60000}}}");
  CHECK(strstr(answer, "\"accepted\":true") != NULL);
  free(answer);
  answer = store_apply_json(engine, store,
                            "{\"kind\": \"submitted\", \"instance\": \"I-2\", \"key\": \"b1\", \"actor\": \"rep1\","
                            " \"contract\": {\"id\": \"C-2\", \"attributes\": {\"amount\": 100}}}");
  CHECK(strstr(answer, "\"accepted\":true") != NULL);
  free(answer);
  answer = store_apply_json(engine, store, "{\"kind\": \"approved\", \"instance\": \"I-9\", \"key\": \"x\", \"actor\": \"dir1\"}");
  CHECK(strstr(answer, "\"accepted\":false") != NULL && strstr(answer, "no instance 'I-9'") != NULL);
  free(answer);
  answer = store_apply_json(engine, store, "{\"kind\": \"approved\", \"key\": \"x\", \"actor\": \"dir1\"}");
  CHECK(strstr(answer, "\"accepted\":false") != NULL && strstr(answer, "names its instance") != NULL);
  free(answer);

  /* dir1 is waited for on both, fin1 on I-1 only (I-2 is dir1 alone). */
  CHECK_OK(salesight_approval_store_pending(store, "dir1", 0, &text, &n));
  CHECK(strcmp((const char*)text,
               "[{\"contract\":\"C-1\",\"instance\":\"I-1\",\"node\":\"both\",\"on_behalf_of\":\"\",\"version\":1},"
               "{\"contract\":\"C-2\",\"instance\":\"I-2\",\"node\":\"dir\",\"on_behalf_of\":\"\",\"version\":1}]") == 0);
  salesight_bytes_free(text);
  /* dir1 lets fin1 act for them on I-2 during [100, 1000). */
  answer = store_apply_json(engine, store,
                            "{\"kind\": \"delegated\", \"instance\": \"I-2\", \"key\": \"b2\", \"actor\": \"dir1\","
                            " \"target\": \"fin1\", \"at\": 100, \"until\": 1000}");
  CHECK(strstr(answer, "\"accepted\":true") != NULL);
  free(answer);
  CHECK_OK(salesight_approval_store_pending(store, "fin1", 500, &text, &n));
  CHECK(strstr((const char*)text, "\"instance\":\"I-1\",\"node\":\"both\",\"on_behalf_of\":\"\"") != NULL);
  CHECK(strstr((const char*)text, "\"instance\":\"I-2\",\"node\":\"dir\",\"on_behalf_of\":\"dir1\"") != NULL);
  salesight_bytes_free(text);
  CHECK_OK(salesight_approval_store_pending(store, "fin1", 1000, &text, &n));
  CHECK(strstr((const char*)text, "I-2") == NULL && strstr((const char*)text, "I-1") != NULL);
  salesight_bytes_free(text);

  /* One log for the whole store, replayed: the same answers. */
  CHECK_OK(salesight_approval_store_log(store, &log, &log_n));
  CHECK_OK(salesight_approval_store_replay(engine, (const char*)log, log_n, &again));
  CHECK_OK(salesight_approval_store_pending(store, "fin1", 500, &text, &n));
  CHECK_OK(salesight_approval_store_pending(again, "fin1", 500, &text2, &n2));
  CHECK(n == n2 && memcmp(text, text2, (size_t)n) == 0);
  salesight_bytes_free(text);
  salesight_bytes_free(text2);
  CHECK_OK(salesight_approval_store_state(again, "I-2", &text, &n));
  CHECK(strstr((const char*)text, "\"status\":\"pending\"") != NULL);
  salesight_bytes_free(text);
  CHECK_STATUS(salesight_approval_store_state(again, "I-7", &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("no instance 'I-7'");
  salesight_approval_store_destroy(again);
  again = NULL;
  log[log_n / 2] = 'x';
  CHECK_STATUS(salesight_approval_store_replay(engine, (const char*)log, log_n, &again), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(again == NULL);
  salesight_bytes_free(log);

  /* Instances the host keeps itself. */
  CHECK_OK(salesight_approval_instance_create(&inst));
  answer = apply_json(engine, inst,
                      "{\"kind\": \"submitted\", \"instance\": \"H-1\", \"key\": \"h1\", \"actor\": \"rep1\","
                      " \"contract\": {\"id\": \"C-5\", \"attributes\": {\"amount\": 10}}}");
  free(answer);
  list[0] = inst;
  CHECK_OK(salesight_approval_pending_list(list, 1, "dir1", 0, &text, &n));
  CHECK(strstr((const char*)text, "\"instance\":\"H-1\"") != NULL);
  salesight_bytes_free(text);
  CHECK_OK(salesight_approval_pending_list(NULL, 0, "dir1", 0, &text, &n));
  CHECK(strcmp((const char*)text, "[]") == 0);
  salesight_bytes_free(text);

  /* Errors. */
  CHECK_STATUS(salesight_approval_pending_list(list, -1, "dir1", 0, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_store_pending(NULL, "dir1", 0, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_store_apply(engine, NULL, "{}", 2, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_store_log(NULL, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_store_create(NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_policy_create("{", 1, NULL, 0, &policy), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(policy == NULL);
  CHECK_STATUS(salesight_approval_directory_create(NULL, 0, &directory), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_approval_engine_create_from(NULL, NULL, 0, &engine), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_approval_instance_destroy(inst);
  salesight_approval_store_destroy(store);
  salesight_approval_engine_destroy(engine);
  salesight_approval_store_destroy(NULL);
  salesight_approval_policy_destroy(NULL);
  salesight_approval_directory_destroy(NULL);
}

/* salesight_query_*: a JSON spec compiled against a dataset and run. */
static void test_query(const salesight_table* orders) {
  salesight_dataset* ds = NULL;
  salesight_dataset* ds2 = NULL;
  salesight_query* q = NULL;
  salesight_query* target = NULL;
  salesight_result* r = NULL;
  int64_t rows = -1;
  CHECK_OK(salesight_dataset_create(&ds));
  CHECK_OK(salesight_dataset_add_table(ds, orders));
  CHECK_OK(salesight_query_compile(
      ds, "{\"measures\": [\"revenue\", \"lines\"], \"dimensions\": [\"customer\"], "
          "\"totals\": \"grand\"}",
      &q));
  CHECK_OK(salesight_dataset_create(&ds2));
  CHECK_OK(salesight_dataset_add_table(ds2, orders));
  salesight_dataset_destroy(ds); /* the query keeps the tables */
  CHECK_OK(salesight_query_run(q, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 4);
  CHECK(string_is(r, "customer", 0, "A") && string_is(r, "customer", 3, "(all)"));
  CHECK(int_at(r, "revenue", 0) == 1150 && int_at(r, "revenue", 1) == 12034);
  CHECK(int_at(r, "revenue", 2) == 500 && int_at(r, "revenue", 3) == 13684);
  CHECK(int_at(r, "lines", 3) == 6);
  {
    /* Drill-through into customer B (row 1), paged; drill-down from B. */
    salesight_result* lines = NULL;
    salesight_query* down = NULL;
    const char* json = NULL;
    CHECK_OK(salesight_query_drill_through(q, r, 1, 1, 10, &lines));
    CHECK_OK(salesight_result_num_rows(lines, &rows));
    CHECK(rows == 2); /* B has 3 lines: the 2nd and 3rd */
    CHECK(int_at(lines, "row", 0) == 3 && int_at(lines, "amount", 1) == 9999);
    CHECK(string_is(lines, "customer", 0, "B"));
    salesight_result_destroy(lines);
    CHECK_STATUS(salesight_query_drill_through(q, r, 99, 0, 10, &lines),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(salesight_query_drill_through(q, r, 1, -1, 10, &lines),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(salesight_query_drill_through(q, NULL, 1, 0, 10, &lines),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    /* customer is not in a hierarchy level with one below it here. */
    CHECK_STATUS(salesight_query_drill(q, r, 1, NULL, &down), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("no level below it");
    CHECK(down == NULL);
    CHECK_STATUS(salesight_query_drill(q, r, -1, NULL, &down), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_OK(salesight_query_spec_json(q, &json));
    CHECK(json != NULL && strstr(json, "\"totals\":\"grand\"") != NULL);
    {
      /* Customers A and C (rows 0, 2) cross-filter a query by product. */
      static const int64_t picked[2] = {0, 2};
      salesight_query* crossed = NULL;
      salesight_result* cr = NULL;
      int64_t n = -1;
      CHECK_OK(salesight_query_compile(ds2, "{\"measures\": [\"revenue\"]}", &target));
      CHECK_OK(salesight_query_cross_filter(q, r, picked, 2, target, &crossed));
      CHECK_OK(salesight_query_run(crossed, &cr));
      CHECK_OK(salesight_result_num_rows(cr, &n));
      CHECK(n == 1 && int_at(cr, "revenue", 0) == 1650); /* A 11.50 + C 5.00 */
      salesight_result_destroy(cr);
      salesight_query_destroy(crossed);
      CHECK_STATUS(salesight_query_cross_filter(q, r, picked, 0, target, &crossed),
                   SALESIGHT_ERR_INVALID_ARGUMENT);
      CHECK_STATUS(salesight_query_cross_filter(q, r, NULL, 2, target, &crossed),
                   SALESIGHT_ERR_INVALID_ARGUMENT);
      CHECK(crossed == NULL);
      salesight_query_destroy(target);
    }
    CHECK_STATUS(salesight_query_spec_json(NULL, &json), SALESIGHT_ERR_INVALID_ARGUMENT);
  }
  salesight_result_destroy(r);
  r = (salesight_result*)&rows; /* reset to NULL on failure */
  CHECK_STATUS(salesight_query_run(NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL);
  CHECK_STATUS(salesight_query_run(q, NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_query_destroy(q);
  salesight_query_destroy(NULL);
  salesight_dataset_destroy(ds2);

  CHECK_OK(salesight_dataset_create(&ds));
  CHECK_OK(salesight_dataset_add_table(ds, orders));
  {
    /* Year 2022 down to its quarters (the orders are dated 2022-01-08 ..). */
    salesight_query* year = NULL;
    salesight_query* quarters = NULL;
    salesight_result* years = NULL;
    salesight_result* qs = NULL;
    const char* json = NULL;
    CHECK_OK(salesight_query_compile(
        ds, "{\"measures\": [\"lines\"], \"time\": {\"dimension\": \"order_date\", "
            "\"grain\": \"year\"}}",
        &year));
    CHECK_OK(salesight_query_run(year, &years));
    CHECK_OK(salesight_query_drill(year, years, 0, "", &quarters));
    CHECK_OK(salesight_query_spec_json(quarters, &json));
    CHECK(strstr(json, "\"grain\":\"quarter\"") != NULL);
    CHECK_OK(salesight_query_run(quarters, &qs));
    CHECK(int_at(qs, "lines", 0) == 6);
    CHECK(string_is(qs, "order_date.quarter", 0, "2022-Q1"));
    salesight_result_destroy(qs);
    salesight_result_destroy(years);
    salesight_query_destroy(quarters);
    salesight_query_destroy(year);
  }
  {
    /* Query partials: one per half of the rows (here: the same rows twice),
     * merged, finished = the query's own result with every line twice. */
    const char* spec = "{\"measures\": [\"revenue\", \"orders\"]}";
    salesight_query* pq = NULL;
    salesight_result* fin = NULL;
    uint8_t* a = NULL;
    uint8_t* m = NULL;
    int64_t a_len = 0, m_len = 0;
    CHECK_OK(salesight_query_compile(ds, spec, &pq));
    CHECK_OK(salesight_query_partial(pq, &a, &a_len));
    CHECK(a != NULL && a_len > 0);
    CHECK_OK(salesight_query_partial_merge(a, a_len, a, a_len, &m, &m_len));
    CHECK_OK(salesight_query_partial_finish(spec, m, m_len, &fin));
    CHECK(int_at(fin, "revenue", 0) == 2 * 13684); /* sums add */
    CHECK(int_at(fin, "orders", 0) >= 1);          /* sets unite */
    salesight_result_destroy(fin);
    CHECK_STATUS(salesight_query_partial_finish(spec, NULL, 3, &fin), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(salesight_query_partial_finish("{\"measures\": [\"lines\"]}", a, a_len, &fin),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("another spec");
    salesight_bytes_free(m);
    CHECK_STATUS(salesight_query_partial_merge(a, -1, a, a_len, &m, &m_len),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK(m == NULL);
    salesight_bytes_free(a);
    CHECK_STATUS(salesight_query_partial(NULL, &a, &a_len), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK(a == NULL);
    salesight_query_destroy(pq);
  }
  q = (salesight_query*)&rows;
  CHECK_STATUS(salesight_query_compile(ds, "{\"measures\": [\"revenu\"]}", &q),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("Did you mean 'revenue'?");
  CHECK(q == NULL);
  CHECK_STATUS(salesight_query_compile(ds, "{\"measures\": [\"revenue\"], \"dimensions\": "
                                           "[\"region\"]}", &q),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_query_compile(ds, "{\"measures\": ", &q), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_query_compile(ds, NULL, &q), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_query_compile(NULL, "{}", &q), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_query_compile(ds, "{}", NULL), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_dataset_destroy(ds);
}

/* ------------------------------------------------------------------ dashboard */
static void test_dashboard(void) {
  salesight_dataset* ds = NULL;
  salesight_table* orders = build_orders();
  salesight_dashboard_options options = SALESIGHT_DASHBOARD_OPTIONS_INIT;
  salesight_dashboard_options init;
  uint8_t* text = NULL;
  int64_t n = -1;
  CHECK_OK(salesight_dashboard_options_init(&init, sizeof init));
  CHECK(init.top_n == 10 && init.from == SALESIGHT_NO_DATE && init.currency == NULL);
  CHECK_STATUS(salesight_dashboard_options_init(NULL, sizeof init), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_OK(salesight_dataset_create(&ds));
  /* No order lines: an error naming them. */
  CHECK_STATUS(salesight_dashboard_render(ds, NULL, SALESIGHT_DASHBOARD_FORMAT_JSON, &text, &n),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("no order lines");
  CHECK(text == NULL);
  CHECK_OK(salesight_dataset_add_table(ds, orders));
  salesight_table_destroy(orders);
  CHECK_OK(salesight_dashboard_render(ds, NULL, SALESIGHT_DASHBOARD_FORMAT_JSON, &text, &n));
  CHECK(text != NULL && n == (int64_t)strlen((const char*)text));
  CHECK(strncmp((const char*)text, "{\"schema\":\"salesight.dashboard\",\"version\":1,", 44) == 0);
  /* Without a pipeline the funnel says why it has no data. */
  CHECK(strstr((const char*)text, "\"no pipeline (opportunities) given\"") != NULL);
  salesight_bytes_free(text);
  text = NULL;
  options.lang = SALESIGHT_DASHBOARD_LANG_ZH;
  options.title = "Q <1>";
  options.currency = "$";
  CHECK_OK(salesight_dashboard_render(ds, &options, SALESIGHT_DASHBOARD_FORMAT_HTML, &text, &n));
  CHECK(strncmp((const char*)text, "<!DOCTYPE html>", 15) == 0);
  CHECK(strstr((const char*)text, "<title>Q &lt;1&gt;</title>") != NULL);
  CHECK(strstr((const char*)text, "\"lang\":\"zh\"") != NULL && strstr((const char*)text, "\"currency\":\"$\"") != NULL);
  salesight_bytes_free(text);
  text = NULL;
  CHECK_STATUS(salesight_dashboard_render(ds, NULL, 7, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_dashboard_render(NULL, NULL, 0, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_dashboard_render(ds, NULL, 0, NULL, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  options.lang = 5;
  CHECK_STATUS(salesight_dashboard_render(ds, &options, 0, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  options.lang = SALESIGHT_DASHBOARD_LANG_EN;
  options.from = 19000;
  options.to = 18000;
  CHECK_STATUS(salesight_dashboard_render(ds, &options, 0, &text, &n), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("is after to");
  CHECK(text == NULL);
  salesight_dataset_destroy(ds);
}


/* ------------------------------------------------------------------------ clv */
/* The CDNOW calibration summary (ID,x,t_x,T,zbar; 2,357 customers). */
#define CDNOW_CUSTOMERS 2357
static double g_x[CDNOW_CUSTOMERS], g_tx[CDNOW_CUSTOMERS], g_T[CDNOW_CUSTOMERS],
    g_m[CDNOW_CUSTOMERS];

static int load_cdnow(void) {
  char line[256];
  int n = 0;
  FILE* f = fopen(SALESIGHT_CDNOW_SUMMARY, "r");
  if (f == NULL) return 0;
  if (fgets(line, sizeof line, f) == NULL) n = -1; /* header */
  while (n >= 0 && n < CDNOW_CUSTOMERS && fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%*[^,],%lf,%lf,%lf,%lf", &g_x[n], &g_tx[n], &g_T[n], &g_m[n]) == 4) ++n;
  }
  fclose(f);
  return n;
}

static int near(double got, double want, double tolerance) {
  return fabs(got - want) <= tolerance;
}

static double result_double(const salesight_result* r, const char* column, int64_t row) {
  const double* values = NULL;
  int32_t index = -1;
  if (salesight_result_column_index(r, column, &index) != SALESIGHT_OK ||
      salesight_result_column_double(r, index, &values) != SALESIGHT_OK) {
    return -1e300;
  }
  return values[row];
}

static void test_clv(salesight_table* orders) {
  salesight_clv_fit_options options = SALESIGHT_CLV_FIT_OPTIONS_INIT;
  salesight_clv_fit_options init;
  salesight_clv_predict_options predict = SALESIGHT_CLV_PREDICT_OPTIONS_INIT;
  salesight_clv_predict_options predict_init;
  salesight_clv_fit_info info;
  salesight_clv_model* model = NULL;
  salesight_clv_model* other = NULL;
  salesight_result* r = NULL;
  salesight_dataset* ds = NULL;
  const char* name = NULL;
  double estimate = 0, std_error = 0, value = 0;
  int64_t rows = 0;
  /* A customer with x = 2, t_x = 30.43, T = 38.86 (the paper's example), and x > T. */
  const double x1[2] = {2, 3}, tx1[2] = {30.43, 40}, T1[2] = {38.86, 39}, m1[2] = {20, 30};
  const char* const kBgNbd[4] = {"r", "alpha", "a", "b"};
  const double kPublished[4] = {0.243, 4.414, 0.793, 2.426};
  const double kTimes[6] = {0.1429, 1, 3, 31.8571, 32, 78};
  const double kExpected[6] = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
  int i;

  CHECK_OK(salesight_clv_fit_options_init(&init, sizeof init));
  CHECK(memcmp(&init, &options, sizeof init) == 0);
  CHECK_OK(salesight_clv_predict_options_init(&predict_init, sizeof predict_init));
  CHECK(memcmp(&predict_init, &predict, sizeof predict) == 0);
  CHECK_STATUS(salesight_clv_fit_options_init(NULL, sizeof init), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_clv_predict_options_init(&predict_init, 2), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(load_cdnow() == CDNOW_CUSTOMERS);

  /* BG/NBD on CDNOW: Fader, Hardie & Lee (2005). */
  CHECK_OK(salesight_clv_fit(g_x, g_tx, g_T, g_m, NULL, CDNOW_CUSTOMERS, &options, &model));
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  CHECK_OK(salesight_clv_model_info(model, SALESIGHT_CLV_FIT_MODEL, &info));
  CHECK(info.model == SALESIGHT_CLV_BGNBD && info.status == SALESIGHT_CLV_CONVERGED);
  CHECK(info.num_params == 4 && info.has_standard_errors == 1 && info.iterations > 0);
  CHECK(info.evaluations >= info.iterations && info.gradient_norm <= 1e-8);
  CHECK(info.time_unit == SALESIGHT_CLV_UNIT_WEEK && info.customers == CDNOW_CUSTOMERS);
  CHECK(near(info.log_likelihood, -9582.4, 0.05));
  for (i = 0; i < 4; ++i) {
    CHECK_OK(salesight_clv_model_param(model, SALESIGHT_CLV_FIT_MODEL, i, &name, &estimate,
                                       &std_error));
    CHECK(strcmp(name, kBgNbd[i]) == 0);
    CHECK(near(estimate, kPublished[i], 0.0005));
    CHECK(std_error > 0 && std_error < estimate);
  }
  CHECK_STATUS(salesight_clv_model_param(model, SALESIGHT_CLV_FIT_MODEL, 4, &name, &estimate,
                                         &std_error),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  /* Gamma-Gamma beside it on the 946 repeaters: p = 6.25, q = 3.74, gamma = 15.44. */
  CHECK_OK(salesight_clv_model_info(model, SALESIGHT_CLV_FIT_SPEND, &info));
  CHECK(info.model == SALESIGHT_CLV_GAMMA_GAMMA && info.customers == 946 &&
        near(info.log_likelihood, -4055.9, 0.05));
  CHECK_OK(salesight_clv_model_param(model, SALESIGHT_CLV_FIT_SPEND, 1, &name, &estimate,
                                     &std_error));
  CHECK(strcmp(name, "q") == 0 && near(estimate, 3.74, 0.005));
  CHECK_STATUS(salesight_clv_model_info(model, 2, &info), SALESIGHT_ERR_INVALID_ARGUMENT);
  /* A new customer's E[X(t)] at the paper's tracking points, and P(X(t) = n). */
  for (i = 0; i < 6; ++i) {
    CHECK_OK(salesight_clv_model_expected_purchases(model, kTimes[i], &value));
    CHECK(near(value, kExpected[i], kTimes[i] < 40 ? 0.00005 : 0.0005));
  }
  CHECK_OK(salesight_clv_model_probability_of_purchases(model, 1.0, 0, &value));
  CHECK(value > 0.9 && value < 1.0);
  CHECK_STATUS(salesight_clv_model_probability_of_purchases(model, 1.0, -1, &value),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_clv_model_expected_purchases(model, -1.0, &value),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  /* Predictions: E[Y(39) | 2, 30.43, 38.86] = 1.226; the second row has t_x > T. */
  predict.t = 39;
  CHECK_OK(salesight_clv_predict(model, x1, tx1, T1, m1, 1, &predict, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 1);
  CHECK(near(result_double(r, "expected_purchases", 0), 1.226, 0.0005));
  CHECK(result_double(r, "p_alive", 0) > 0 && result_double(r, "p_alive", 0) < 1);
  CHECK(result_double(r, "expected_spend", 0) > 0 && result_double(r, "clv", 0) > 0);
  salesight_result_destroy(r);
  r = NULL;
  CHECK_STATUS(salesight_clv_predict(model, x1, tx1, T1, m1, 2, &predict, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("customer row 2: T 39 is not a time >= recency 40");
  CHECK(r == NULL);
  predict.discount = -1;
  CHECK_STATUS(salesight_clv_predict(model, x1, tx1, T1, m1, 1, &predict, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("discount_rate -1 is not a rate > -1");
  predict.discount = 0;
  CHECK_STATUS(salesight_clv_predict(NULL, x1, tx1, T1, m1, 1, &predict, &r),
               SALESIGHT_ERR_INVALID_ARGUMENT);

  /* Bad inputs: a single customer, negative counts, T < t_x, no repeaters for Gamma-Gamma. */
  CHECK_STATUS(salesight_clv_fit(x1, tx1, T1, m1, NULL, 1, &options, &other),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("1 customer row(s)");
  CHECK_STATUS(salesight_clv_fit(x1, tx1, T1, m1, NULL, 2, &options, &other),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_MESSAGE("customer row 2: T 39 is not a time >= recency 40");
  {
    const double negative[2] = {1, -1}, zeros[3] = {0, 0, 0}, ages[3] = {5, 6, 7};
    CHECK_STATUS(salesight_clv_fit(negative, tx1, T1, m1, NULL, 2, &options, &other),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("customer row 2: frequency -1 is not a whole number");
    options.model = SALESIGHT_CLV_GAMMA_GAMMA;
    CHECK_STATUS(salesight_clv_fit(zeros, zeros, ages, zeros, NULL, 3, &options, &other),
                 SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("has a repeat purchase");
  }
  CHECK_STATUS(salesight_clv_fit(x1, tx1, T1, m1, NULL, -1, &options, &other),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_clv_fit(NULL, tx1, T1, m1, NULL, 2, &options, &other),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  options.model = 9;
  CHECK_STATUS(salesight_clv_fit(g_x, g_tx, g_T, g_m, NULL, 10, &options, &other),
               SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK(other == NULL);
  options.model = SALESIGHT_CLV_BGNBD;

  /* From a dataset's order lines: the summary, a fit, predictions per customer. */
  CHECK_OK(salesight_dataset_create(&ds));
  CHECK_OK(salesight_dataset_add_table(ds, orders));
  options.time_unit = SALESIGHT_CLV_UNIT_DAY;
  CHECK_OK(salesight_clv_summary(ds, &options, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 3);
  /* B bought on days 19010, 19030, 19040 (last order day 19050): x = 2, t_x = 30, T = 40. */
  CHECK(result_double(r, "recency", 1) == 30 && result_double(r, "T", 1) == 40);
  salesight_result_destroy(r);
  r = NULL;
  /* Three customers: a fit with a penalty, not converging allowed. */
  options.l2_penalty = 0.1;
  options.allow_not_converged = 1;
  CHECK_OK(salesight_clv_fit_dataset(ds, &options, &other));
  CHECK_OK(salesight_clv_model_info(other, SALESIGHT_CLV_FIT_MODEL, &info));
  CHECK(info.time_unit == SALESIGHT_CLV_UNIT_DAY && info.customers == 3);
  salesight_clv_model_destroy(other);
  /* The CDNOW model (weeks) predicts the dataset's customers (weeks since each first purchase). */
  CHECK_OK(salesight_clv_predict_dataset(model, ds, NULL, &r));
  CHECK_OK(salesight_result_num_rows(r, &rows));
  CHECK(rows == 3);
  CHECK(near(result_double(r, "T", 1), 40.0 / 7, 1e-12));
  CHECK(result_double(r, "p_alive", 2) == 1.0); /* C: no repeat yet, alive */
  CHECK(result_double(r, "clv", 1) > 0);
  salesight_result_destroy(r);
  r = NULL;
  /* RFM's CLV options: value_measure CLV needs a model; bad codes are named. */
  {
    salesight_rfm_options rfm = SALESIGHT_RFM_OPTIONS_INIT;
    CHECK(rfm.clv_model == SALESIGHT_RFM_CLV_NONE && rfm.clv_horizon == 12 && rfm.clv_margin == 1.0);
    rfm.value_measure = SALESIGHT_RFM_VALUE_CLV;
    CHECK_STATUS(salesight_rfm_compute(orders, &rfm, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("value_measure clv needs a clv_model");
    rfm.clv_time_unit = 5;
    rfm.clv_model = SALESIGHT_RFM_CLV_BGNBD;
    CHECK_STATUS(salesight_rfm_compute(orders, &rfm, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE("clv_time_unit");
    rfm.clv_time_unit = SALESIGHT_CLV_UNIT_DAY;
    rfm.clv_model = 7;
    CHECK_STATUS(salesight_rfm_compute(orders, &rfm, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
    CHECK(r == NULL);
  }
  CHECK_STATUS(salesight_clv_predict_dataset(model, NULL, NULL, &r), SALESIGHT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(salesight_clv_fit_dataset(NULL, &options, &other), SALESIGHT_ERR_INVALID_ARGUMENT);
  salesight_clv_model_destroy(model);
  salesight_clv_model_destroy(NULL);
  salesight_dataset_destroy(ds);
}

int main(int argc, char** argv) {
  salesight_table* orders;
  salesight_table* pipeline;
  salesight_table* invoices = NULL;
  salesight_table* payments = NULL;
  if (argc < 2 || strlen(argv[1]) >= sizeof(g_dir)) {
    fprintf(stderr, "usage: c99_test <scratch directory>\n");
    return 2;
  }
  strcpy(g_dir, argv[1]);
  test_version_and_errors();
  test_options_describe();
  test_builder_errors();
  test_builder_threads();
  test_builder_keep_wide();
  orders = build_orders();
  pipeline = build_pipeline();
  test_tables(orders);
  test_funnel(pipeline, orders);
  test_problems(pipeline);
  test_margin(orders, pipeline);
  test_rfm(orders, pipeline);
  test_partials(orders, pipeline);
  test_table_columns(orders, pipeline);
  test_sample_csv_quote();
  build_receivables(&invoices, &payments);
  test_aging(invoices, payments, orders);
  test_calculator_partials(invoices, payments);
  test_trend(orders, pipeline, invoices, payments);
  test_contribution(orders, pipeline);
  test_leaderboard(orders, pipeline, invoices, payments);
  test_attributes();
  test_dataset_calculators();
  test_dataset_append();
  test_registered_calculators();
  test_rfm_by();
  test_approvals();
  test_approval_store();
  test_query(orders);
  test_dashboard();
  test_clv(orders);
  test_interned();
  salesight_table_destroy(payments);
  salesight_table_destroy(invoices);
  salesight_table_destroy(pipeline);
  salesight_table_destroy(orders);
  printf("c99_test: %d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
