/*
 * Option-struct init against callers compiled with another header: every
 * salesight_*_options_init(options, struct_size) is given a struct of exactly
 * struct_size bytes from malloc - shorter (an older header), equal, longer (a
 * newer header) - and must write those bytes and not one more (under
 * AddressSanitizer any byte beyond the malloc'd size fails the test; without
 * it a guard area after the struct must stay untouched). The prefix holds the
 * header's defaults, struct_size the caller's size, a longer tail zeros; the
 * short struct then gives the same result as the defaults in the matching
 * call. Sizes below 4 or above 64 KiB and NULL are INVALID_ARGUMENT.
 *
 * Usage: options_size_test <scratch directory> (gets the sample's CSV export)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesight.h"

static int g_failures = 0;
static int g_checks = 0;

static void check(int ok, const char* what, const char* options, size_t size, int line) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    fprintf(stderr, "options_size_test.c:%d: %s, struct_size %lu: %s (last error: %s)\n", line,
            options, (unsigned long)size, what, salesight_last_error());
  }
}
#define CHECK(cond, options, size) check((cond) != 0, #cond, options, size, __LINE__)

/* ------------------------------------------------------------- fixture */

/* One small sample (every table kind), its analysis date and its CSV export. */
typedef struct fixture {
  salesight_table* tables[SALESIGHT_TABLE_TARGETS + 1];
  int32_t as_of;
  char customers_csv[4096];
  salesight_dataset* orders;   /* the orders table, for the CLV calls */
  salesight_clv_model* model;  /* fitted on it with the defaults (a fit that stops is kept) */
} fixture;

static const fixture* g_fixture;

static const salesight_table* table(salesight_table_kind kind) {
  return g_fixture->tables[kind];
}

/* ------------------------------------------------------ result equality */

/* Two results hold the same columns (names, types, scales) and values. */
static int same_result(const salesight_result* a, const salesight_result* b) {
  int64_t rows = 0, rows_b = 0, row;
  int32_t columns = 0, columns_b = 0, c;
  if (salesight_result_num_rows(a, &rows) || salesight_result_num_rows(b, &rows_b) ||
      salesight_result_num_columns(a, &columns) ||
      salesight_result_num_columns(b, &columns_b) || rows != rows_b || columns != columns_b) {
    return 0;
  }
  for (c = 0; c < columns; ++c) {
    const char* name_a = NULL;
    const char* name_b = NULL;
    salesight_type type = 0, type_b = 0;
    const uint8_t* valid_a = NULL;
    const uint8_t* valid_b = NULL;
    if (salesight_result_column_name(a, c, &name_a) ||
        salesight_result_column_name(b, c, &name_b) || strcmp(name_a, name_b) != 0 ||
        salesight_result_column_type(a, c, &type) ||
        salesight_result_column_type(b, c, &type_b) || type != type_b ||
        salesight_result_column_validity(a, c, &valid_a) ||
        salesight_result_column_validity(b, c, &valid_b) ||
        (valid_a == NULL) != (valid_b == NULL) ||
        (valid_a != NULL && rows > 0 && memcmp(valid_a, valid_b, (size_t)rows) != 0)) {
      return 0;
    }
    for (row = 0; row < rows; ++row) {
      if (type == SALESIGHT_TYPE_FLOAT64) {
        const double* x = NULL;
        const double* y = NULL;
        if (salesight_result_column_double(a, c, &x) || salesight_result_column_double(b, c, &y) ||
            x[row] != y[row]) {
          return 0;
        }
      } else if (type == SALESIGHT_TYPE_STRING) {
        const char* x = NULL;
        const char* y = NULL;
        if (salesight_result_column_string(a, c, row, &x) ||
            salesight_result_column_string(b, c, row, &y) || strcmp(x, y) != 0) {
          return 0;
        }
      } else {
        const int64_t* x = NULL;
        const int64_t* y = NULL;
        if (salesight_result_column_int64(a, c, &x) || salesight_result_column_int64(b, c, &y) ||
            x[row] != y[row]) {
          return 0;
        }
      }
    }
  }
  return 1;
}

/* ------------------------------------------------- one case per struct */

/* The call an options struct is for, on the fixture; `options` may be NULL.
 * A table-making call returns the table's columns as the result. */
typedef salesight_status (*run_fn)(const void* options, salesight_result** out);
typedef salesight_status (*init_fn)(void* options, size_t struct_size);
/* Sets what a caller must set (aging's as_of) when the field lies within
 * the caller's `size` bytes, as a caller with that header would; returns
 * whether it could (else the call is expected to fail, with or without the
 * caller's struct). */
typedef int (*prepare_fn)(void* options, size_t size);

typedef struct options_case {
  const char* name;
  size_t size;          /* this header's sizeof */
  size_t older;         /* an older header's size: offsetof a middle field */
  const void* defaults; /* the header's _INIT macro */
  init_fn init;
  run_fn run;
  prepare_fn prepare; /* NULL = nothing to set */
} options_case;

static salesight_status table_columns(salesight_status st, salesight_table* t,
                                      salesight_result** out) {
  if (st == SALESIGHT_OK) st = salesight_table_columns(t, out);
  salesight_table_destroy(t);
  return st;
}

static salesight_status run_sample(const void* o, salesight_result** out) {
  salesight_sample* sample = NULL;
  salesight_table* orders = NULL;
  salesight_status st = salesight_sample_generate(o, &sample);
  if (st == SALESIGHT_OK) st = salesight_sample_table(sample, SALESIGHT_TABLE_ORDERS, &orders);
  salesight_sample_destroy(sample);
  return table_columns(st, orders, out);
}
static salesight_status run_csv(const void* o, salesight_result** out) {
  salesight_table* t = NULL;
  salesight_status st =
      salesight_csv_read(SALESIGHT_TABLE_CUSTOMERS, g_fixture->customers_csv, o, &t, NULL);
  return table_columns(st, t, out);
}
static salesight_status run_rfm(const void* o, salesight_result** out) {
  return salesight_rfm_compute(table(SALESIGHT_TABLE_ORDERS), o, out);
}
static salesight_status run_funnel(const void* o, salesight_result** out) {
  return salesight_funnel_compute(table(SALESIGHT_TABLE_PIPELINE), o, out);
}
static salesight_status run_margin(const void* o, salesight_result** out) {
  return salesight_margin_compute(table(SALESIGHT_TABLE_ORDERS), table(SALESIGHT_TABLE_PRODUCTS),
                                  o, out);
}
static salesight_status run_quote(const void* o, salesight_result** out) {
  salesight_quote_index* index = NULL;
  salesight_status st = salesight_quote_index_create(
      table(SALESIGHT_TABLE_PRODUCTS), table(SALESIGHT_TABLE_CUSTOMERS),
      table(SALESIGHT_TABLE_INVOICES), table(SALESIGHT_TABLE_PAYMENTS), o, &index);
  if (st == SALESIGHT_OK) {
    st = salesight_quote_check(index, "C-000000", "P-00000", 5, 100, g_fixture->as_of, out);
  }
  salesight_quote_index_destroy(index);
  return st;
}
static salesight_status run_aging(const void* o, salesight_result** out) {
  return salesight_aging_compute(table(SALESIGHT_TABLE_INVOICES), table(SALESIGHT_TABLE_PAYMENTS),
                                 o, out);
}
static salesight_status run_trend(const void* o, salesight_result** out) {
  return salesight_trend_compute(table(SALESIGHT_TABLE_ORDERS), table(SALESIGHT_TABLE_PRODUCTS),
                                 table(SALESIGHT_TABLE_INVOICES), table(SALESIGHT_TABLE_PAYMENTS),
                                 NULL, o, out);
}
static salesight_status run_contribution(const void* o, salesight_result** out) {
  return salesight_contribution_compute(table(SALESIGHT_TABLE_ORDERS),
                                        table(SALESIGHT_TABLE_PRODUCTS), o, out);
}
static salesight_status run_leaderboard(const void* o, salesight_result** out) {
  return salesight_leaderboard_compute(table(SALESIGHT_TABLE_ORDERS),
                                       table(SALESIGHT_TABLE_PRODUCTS), NULL, NULL, NULL, NULL, o,
                                       out);
}

/* A CLV fit's result: the predictions it gives (default options). */
static salesight_status run_clv_fit(const void* o, salesight_result** out) {
  salesight_clv_model* model = NULL;
  salesight_status st = salesight_clv_fit_dataset(g_fixture->orders, o, &model);
  if (st == SALESIGHT_OK) st = salesight_clv_predict_dataset(model, g_fixture->orders, NULL, out);
  salesight_clv_model_destroy(model);
  return st;
}
static salesight_status run_clv_predict(const void* o, salesight_result** out) {
  return salesight_clv_predict_dataset(g_fixture->model, g_fixture->orders, o, out);
}

static int prepare_aging(void* o, size_t size) {
  if (size < offsetof(salesight_aging_options, as_of) + sizeof(int32_t)) return 0;
  ((salesight_aging_options*)o)->as_of = g_fixture->as_of;
  return 1;
}

/* The sample's BG/NBD fit stops (diverges): a caller whose struct has
 * allow_not_converged takes it. */
static int prepare_clv_fit(void* o, size_t size) {
  if (size < offsetof(salesight_clv_fit_options, allow_not_converged) + sizeof(int32_t)) return 0;
  ((salesight_clv_fit_options*)o)->allow_not_converged = 1;
  return 1;
}

/* The typed init behind a void* (calling a function through another
 * function type would be undefined), the defaults, and the case. */
#define OPTIONS_CASE(x, X, older_field, run, prepare)                               \
  static salesight_status init_##x(void* o, size_t size) {                          \
    return salesight_##x##_options_init((salesight_##x##_options*)o, size);         \
  }                                                                                 \
  static const salesight_##x##_options defaults_##x = SALESIGHT_##X##_OPTIONS_INIT; \
  static const options_case case_##x = {                                            \
      "salesight_" #x "_options", sizeof(salesight_##x##_options),                  \
      offsetof(salesight_##x##_options, older_field), &defaults_##x, init_##x, run, prepare};

OPTIONS_CASE(sample, SAMPLE, order_lines, run_sample, NULL)
OPTIONS_CASE(csv, CSV, mapping, run_csv, NULL)
OPTIONS_CASE(rfm, RFM, k, run_rfm, NULL)
OPTIONS_CASE(funnel, FUNNEL, group_by, run_funnel, NULL)
OPTIONS_CASE(margin, MARGIN, group_by, run_margin, NULL)
OPTIONS_CASE(quote, QUOTE, margin_floor_pct, run_quote, NULL)
OPTIONS_CASE(aging, AGING, group_by, run_aging, prepare_aging)
OPTIONS_CASE(trend, TREND, group_by, run_trend, NULL)
OPTIONS_CASE(contribution, CONTRIBUTION, by, run_contribution, NULL)
OPTIONS_CASE(leaderboard, LEADERBOARD, rank_by, run_leaderboard, NULL)
OPTIONS_CASE(clv_fit, CLV_FIT, max_iterations, run_clv_fit, prepare_clv_fit)
OPTIONS_CASE(clv_predict, CLV_PREDICT, t, run_clv_predict, NULL)

static const options_case* const kCases[] = {
    &case_sample,  &case_csv,         &case_rfm,     &case_funnel,      &case_margin,
    &case_quote,   &case_aging,       &case_trend,   &case_contribution, &case_leaderboard,
    &case_clv_fit, &case_clv_predict};

/* ------------------------------------------------------------- checks */

enum { kGuard = 64, kFill = 0xA5 };

static uint32_t struct_size_of(const void* options) {
  uint32_t size;
  memcpy(&size, options, sizeof size);
  return size;
}

/* What init wrote into a caller's `size` bytes. */
static void check_written(const options_case* k, const unsigned char* bytes, size_t size) {
  const size_t known = size < k->size ? size : k->size;
  size_t i;
  int tail_zero = 1;
  CHECK(struct_size_of(bytes) == size, k->name, size);
  CHECK(memcmp(bytes + sizeof(uint32_t), (const unsigned char*)k->defaults + sizeof(uint32_t),
               known - sizeof(uint32_t)) == 0,
        k->name, size);
  for (i = known; i < size; ++i) tail_zero &= bytes[i] == 0;
  CHECK(tail_zero, k->name, size);
}

/* The call with the caller's struct gives what it gives with the defaults
 * (both prepared as a caller of that size would: the same status, and the
 * same result when it succeeds). */
static void check_same_as_defaults(const options_case* k, void* options, size_t size) {
  unsigned char reference[512];
  salesight_result* expected = NULL;
  salesight_result* got = NULL;
  salesight_status st_expected, st_got;
  int complete = 1;
  CHECK(k->size <= sizeof reference, k->name, size);
  memcpy(reference, k->defaults, k->size);
  if (k->prepare != NULL) {
    complete = k->prepare(reference, size);
    k->prepare(options, size);
  }
  st_expected = k->run(k->prepare != NULL ? (const void*)reference : NULL, &expected);
  st_got = k->run(options, &got);
  CHECK(st_got == st_expected, k->name, size);
  CHECK(!complete || st_got == SALESIGHT_OK, k->name, size); /* not merely the same error */
  CHECK(st_got != SALESIGHT_OK || same_result(expected, got), k->name, size);
  salesight_result_destroy(expected);
  salesight_result_destroy(got);
}

static void check_size(const options_case* k, size_t size) {
  unsigned char* exact = malloc(size);
  unsigned char* guarded = malloc(size + kGuard);
  size_t i;
  int untouched = 1;
  if (exact == NULL || guarded == NULL) {
    CHECK(0 && "malloc failed", k->name, size);
    free(exact);
    free(guarded);
    return;
  }
  /* Exactly the caller's bytes: AddressSanitizer sees any write beyond. */
  memset(exact, kFill, size);
  CHECK(k->init(exact, size) == SALESIGHT_OK, k->name, size);
  check_written(k, exact, size);
  /* The same with a guard area after it, for builds without a sanitizer. */
  memset(guarded, kFill, size + kGuard);
  CHECK(k->init(guarded, size) == SALESIGHT_OK, k->name, size);
  for (i = size; i < size + kGuard; ++i) untouched &= guarded[i] == kFill;
  CHECK(untouched, k->name, size);
  check_same_as_defaults(k, exact, size);
  free(exact);
  free(guarded);
}

static void check_errors(const options_case* k) {
  static const size_t bad[] = {0, 1, sizeof(uint32_t) - 1, 65537, (size_t)-1};
  unsigned char guarded[kGuard];
  size_t i, j;
  for (i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    int untouched = 1;
    memset(guarded, kFill, sizeof guarded);
    CHECK(k->init(guarded, bad[i]) == SALESIGHT_ERR_INVALID_ARGUMENT, k->name, bad[i]);
    CHECK(strstr(salesight_last_error(), "struct_size") != NULL, k->name, bad[i]);
    CHECK(strstr(salesight_last_error(), k->name) != NULL, k->name, bad[i]);
    for (j = 0; j < sizeof guarded; ++j) untouched &= guarded[j] == kFill;
    CHECK(untouched, k->name, bad[i]);
  }
  CHECK(k->init(NULL, k->size) == SALESIGHT_ERR_INVALID_ARGUMENT, k->name, k->size);
  CHECK(strstr(salesight_last_error(), "NULL") != NULL, k->name, k->size);
}

static void check_case(const options_case* k) {
  const size_t sizes[] = {
      sizeof(uint32_t),       /* the oldest possible caller: struct_size only */
      k->older,               /* an older header */
      k->older + 2,           /* a size inside a field */
      k->size,                /* this header */
      k->size + 24,           /* a newer header */
      65536,                  /* the largest accepted */
  };
  size_t i;
  CHECK(k->older > sizeof(uint32_t) && k->older < k->size, k->name, k->older);
  for (i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) check_size(k, sizes[i]);
  check_errors(k);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char** argv) {
  static fixture f;
  salesight_sample_options so = SALESIGHT_SAMPLE_OPTIONS_INIT;
  salesight_sample* sample = NULL;
  salesight_table_kind kind;
  size_t i;
  if (argc < 2 || strlen(argv[1]) + 32 >= sizeof f.customers_csv) {
    fprintf(stderr, "usage: options_size_test <scratch directory>\n");
    return 2;
  }
  so.order_lines = 1000;
  if (salesight_sample_generate(&so, &sample) != SALESIGHT_OK ||
      salesight_sample_as_of(sample, &f.as_of) != SALESIGHT_OK ||
      salesight_sample_write_csv(sample, argv[1]) != SALESIGHT_OK) {
    fprintf(stderr, "sample: %s\n", salesight_last_error());
    return 1;
  }
  for (kind = SALESIGHT_TABLE_ORDERS; kind <= SALESIGHT_TABLE_TARGETS; ++kind) {
    if (salesight_sample_table(sample, kind, &f.tables[kind]) != SALESIGHT_OK) {
      fprintf(stderr, "sample table %d: %s\n", (int)kind, salesight_last_error());
      return 1;
    }
  }
  salesight_sample_destroy(sample);
  sprintf(f.customers_csv, "%s/customers.csv", argv[1]);
  {
    salesight_clv_fit_options fo = SALESIGHT_CLV_FIT_OPTIONS_INIT;
    fo.allow_not_converged = 1;
    if (salesight_dataset_create(&f.orders) != SALESIGHT_OK ||
        salesight_dataset_add_table(f.orders, f.tables[SALESIGHT_TABLE_ORDERS]) != SALESIGHT_OK ||
        salesight_clv_fit_dataset(f.orders, &fo, &f.model) != SALESIGHT_OK) {
      fprintf(stderr, "clv fixture: %s\n", salesight_last_error());
      return 1;
    }
  }
  g_fixture = &f;

  for (i = 0; i < sizeof kCases / sizeof kCases[0]; ++i) check_case(kCases[i]);

  salesight_clv_model_destroy(f.model);
  salesight_dataset_destroy(f.orders);
  for (kind = SALESIGHT_TABLE_ORDERS; kind <= SALESIGHT_TABLE_TARGETS; ++kind) {
    salesight_table_destroy(f.tables[kind]);
  }
  printf("options_size_test: %d options structs, %d checks, %d failures\n",
         (int)(sizeof kCases / sizeof kCases[0]), g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
