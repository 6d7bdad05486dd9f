/*
 * 8 threads computing on shared immutable tables at once, through the C ABI.
 * Each thread also builds its own table borrowing shared caller arrays, and
 * provokes errors (the last-error message is per thread), builds a large
 * table from int64 ids and nanosecond timestamps with the builder's own
 * conversion threads, and reads the decimal text of a shared result's
 * encoded id column (made once, on whichever thread asks first). Every
 * thread's results must equal the single-threaded reference exactly. Built twice by
 * tests/capi/CMakeLists.txt: plainly, and under ThreadSanitizer when the
 * build uses SALESIGHT_SANITIZE=thread.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "salesight.h"

#define kThreads 8
#define kRounds 3

static const salesight_table* g_orders;
static const salesight_table* g_products;
static const salesight_table* g_pipeline;
static salesight_result* g_ref_margin;
static salesight_result* g_ref_funnel;
static salesight_result* g_ref_rfm;

/* Caller arrays shared (borrowed) by every thread's own table. */
static int64_t g_ids[1000];
static int32_t g_days[1000];
static int32_t g_customers[1000];
static int64_t g_amounts[1000];
/* RFM over the arrays above: its customer column is decimal ids (no dictionary). */
static salesight_result* g_decimal_rfm;

/* A table long enough for the builder to split its conversions (2^18-row chunks). */
#define kWideRows ((1 << 19) + 7)
static int64_t g_wide_ids[kWideRows];
static int64_t g_wide_customers[kWideRows];
static int64_t g_wide_ns[kWideRows];
static int64_t g_wide_amounts[kWideRows];

/* Every row of the shared decimal-id column reads as its code in decimal. */
static long check_decimal_text(void) {
  int32_t col = -1;
  int64_t rows = 0, num_labels = 0, row;
  const int32_t* codes = NULL;
  long failures = 0;
  if (salesight_result_column_index(g_decimal_rfm, "customer", &col) != SALESIGHT_OK ||
      salesight_result_num_rows(g_decimal_rfm, &rows) != SALESIGHT_OK ||
      salesight_result_column_codes(g_decimal_rfm, col, &codes, &num_labels) != SALESIGHT_OK ||
      codes == NULL || num_labels != SALESIGHT_LABELS_DECIMAL || rows != 10) {
    return 1;
  }
  for (row = 0; row < rows; ++row) {
    char want[16];
    const char* text = NULL;
    snprintf(want, sizeof want, "%ld", (long)codes[row]);
    if (salesight_result_column_string(g_decimal_rfm, col, row, &text) != SALESIGHT_OK ||
        strcmp(text, want) != 0) {
      ++failures;
    }
  }
  return failures;
}

/* This thread's own large table, converted on 2 builder threads. */
static long build_wide_table(void) {
  salesight_table_builder* b = NULL;
  salesight_table* t = NULL;
  int64_t rows = 0;
  long failures = 0;
  if (salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b) != SALESIGHT_OK ||
      salesight_table_builder_set_num_threads(b, 2) != SALESIGHT_OK ||
      salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, g_wide_ids,
                                         kWideRows, NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
      salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT64, g_wide_customers,
                                         kWideRows, NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
      salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_TIMESTAMP_NS, g_wide_ns,
                                         kWideRows, NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
      salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, g_wide_amounts,
                                         kWideRows, NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
      salesight_table_builder_finish(b, &t) != SALESIGHT_OK ||
      salesight_table_num_rows(t, &rows) != SALESIGHT_OK || rows != kWideRows) {
    ++failures;
  }
  salesight_table_builder_destroy(b);
  salesight_table_destroy(t);
  return failures;
}

/* Same columns, types and values (strings compared, ints and doubles exactly). */
static int same_result(const salesight_result* a, const salesight_result* b) {
  int32_t ca = 0, cb = 0, c;
  int64_t ra = 0, rb = 0, row;
  if (salesight_result_num_columns(a, &ca) || salesight_result_num_columns(b, &cb)) return 0;
  if (salesight_result_num_rows(a, &ra) || salesight_result_num_rows(b, &rb)) return 0;
  if (ca != cb || ra != rb) return 0;
  for (c = 0; c < ca; ++c) {
    salesight_type ta = 0, tb = 0;
    const uint8_t* va = NULL;
    const uint8_t* vb = NULL;
    salesight_result_column_type(a, c, &ta);
    salesight_result_column_type(b, c, &tb);
    if (ta != tb) return 0;
    salesight_result_column_validity(a, c, &va);
    salesight_result_column_validity(b, c, &vb);
    if ((va == NULL) != (vb == NULL)) return 0;
    if (va != NULL && memcmp(va, vb, (size_t)ra) != 0) return 0;
    if (ta == SALESIGHT_TYPE_FLOAT64) {
      const double* da = NULL;
      const double* db = NULL;
      salesight_result_column_double(a, c, &da);
      salesight_result_column_double(b, c, &db);
      if (ra > 0 && memcmp(da, db, (size_t)ra * sizeof(double)) != 0) return 0;
    } else if (ta == SALESIGHT_TYPE_STRING) {
      for (row = 0; row < ra; ++row) {
        const char* sa = NULL;
        const char* sb = NULL;
        salesight_result_column_string(a, c, row, &sa);
        salesight_result_column_string(b, c, row, &sb);
        if (strcmp(sa, sb) != 0) return 0;
      }
    } else {
      const int64_t* ia = NULL;
      const int64_t* ib = NULL;
      salesight_result_column_int64(a, c, &ia);
      salesight_result_column_int64(b, c, &ib);
      if (ra > 0 && memcmp(ia, ib, (size_t)ra * sizeof(int64_t)) != 0) return 0;
    }
  }
  return 1;
}

static void* worker(void* arg) {
  const int id = (int)(intptr_t)arg;
  int round;
  long failures = 0;
  for (round = 0; round < kRounds; ++round) {
    salesight_result* r = NULL;
    salesight_margin_options mo;
    salesight_funnel_options fo;
    salesight_table_builder* b = NULL;
    salesight_table* own = NULL;
    salesight_status st;

    salesight_margin_options_init(&mo, sizeof mo);
    mo.group_by = "product,month";
    mo.num_threads = 1 + id % 2; /* also exercise the library's own threads */
    if (salesight_margin_compute(g_orders, g_products, &mo, &r) != SALESIGHT_OK ||
        !same_result(r, g_ref_margin)) {
      ++failures;
    }
    salesight_result_destroy(r);
    r = NULL;

    salesight_funnel_options_init(&fo, sizeof fo);
    fo.group_by = "region";
    fo.period = SALESIGHT_PERIOD_MONTH;
    if (salesight_funnel_compute(g_pipeline, &fo, &r) != SALESIGHT_OK ||
        !same_result(r, g_ref_funnel)) {
      ++failures;
    }
    salesight_result_destroy(r);
    r = NULL;

    {
      salesight_rfm_options ro;
      salesight_rfm_options_init(&ro, sizeof ro);
      ro.num_threads = 1 + id % 3;
      if (salesight_rfm_compute(g_orders, &ro, &r) != SALESIGHT_OK || !same_result(r, g_ref_rfm)) {
        ++failures;
      }
      salesight_result_destroy(r);
      r = NULL;
    }

    /* A per-thread table borrowing the shared arrays. */
    if (salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b) != SALESIGHT_OK) ++failures;
    salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, g_ids, 1000, NULL,
                                       SALESIGHT_BORROW);
    salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, g_days, 1000, NULL,
                                       SALESIGHT_BORROW);
    salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT32, g_customers, 1000,
                                       NULL, SALESIGHT_BORROW);
    salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, g_amounts, 1000, NULL,
                                       SALESIGHT_BORROW);
    /* an error on this thread only: its message must stay this thread's */
    st = salesight_table_builder_add_column(b, "no_such_column", SALESIGHT_TYPE_MONEY, g_amounts,
                                            1000, NULL, SALESIGHT_BORROW);
    if (st != SALESIGHT_ERR_UNKNOWN_COLUMN ||
        strstr(salesight_last_error(), "no_such_column") == NULL) {
      ++failures;
    }
    if (salesight_table_builder_finish(b, &own) != SALESIGHT_OK) ++failures;
    salesight_table_builder_destroy(b);
    salesight_margin_options_init(&mo, sizeof mo);
    mo.group_by = "customer";
    /* no cost: every line is "cost unknown", the revenue is still exact */
    if (salesight_margin_compute(own, NULL, &mo, &r) != SALESIGHT_OK) {
      ++failures;
    } else {
      int64_t rows = 0;
      salesight_result_num_rows(r, &rows);
      if (rows != 10) ++failures;
    }
    if (strcmp(salesight_last_error(), "") != 0) ++failures;
    salesight_result_destroy(r);
    salesight_table_destroy(own);
    failures += check_decimal_text();
    if (round == 0) failures += build_wide_table();
  }
  return (void*)(intptr_t)failures;
}

int main(void) {
  salesight_sample_options so;
  salesight_sample* sample = NULL;
  salesight_table* orders = NULL;
  salesight_table* products = NULL;
  salesight_table* pipeline = NULL;
  salesight_margin_options mo;
  salesight_funnel_options fo;
  pthread_t threads[kThreads];
  long failures = 0;
  int i;

  for (i = 0; i < 1000; ++i) {
    g_ids[i] = i;
    g_days[i] = 19000 + i % 300;
    g_customers[i] = i % 10;
    g_amounts[i] = 100 + i;
  }
  for (i = 0; i < kWideRows; ++i) {
    g_wide_ids[i] = i;
    g_wide_customers[i] = i % 5000;
    g_wide_ns[i] = (int64_t)(19000 + i % 700) * 86400 * INT64_C(1000000000) + i % 86400;
    g_wide_amounts[i] = 1 + i % 1000;
  }
  {
    salesight_table_builder* b = NULL;
    salesight_table* t = NULL;
    if (salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b) != SALESIGHT_OK ||
        salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, g_ids, 1000, NULL,
                                           SALESIGHT_BORROW) != SALESIGHT_OK ||
        salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, g_days, 1000,
                                           NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
        salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_INT32, g_customers,
                                           1000, NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
        salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, g_amounts, 1000,
                                           NULL, SALESIGHT_BORROW) != SALESIGHT_OK ||
        salesight_table_builder_finish(b, &t) != SALESIGHT_OK ||
        salesight_rfm_compute(t, NULL, &g_decimal_rfm) != SALESIGHT_OK) {
      fprintf(stderr, "decimal-id setup failed: %s\n", salesight_last_error());
      return 1;
    }
    salesight_table_builder_destroy(b);
    salesight_table_destroy(t); /* the result stays valid */
  }
  salesight_sample_options_init(&so, sizeof so);
  so.order_lines = 20000;
  if (salesight_sample_generate(&so, &sample) != SALESIGHT_OK ||
      salesight_sample_table(sample, SALESIGHT_TABLE_ORDERS, &orders) != SALESIGHT_OK ||
      salesight_sample_table(sample, SALESIGHT_TABLE_PRODUCTS, &products) != SALESIGHT_OK ||
      salesight_sample_table(sample, SALESIGHT_TABLE_PIPELINE, &pipeline) != SALESIGHT_OK) {
    fprintf(stderr, "setup failed: %s\n", salesight_last_error());
    return 1;
  }
  salesight_sample_destroy(sample);
  g_orders = orders;
  g_products = products;
  g_pipeline = pipeline;

  salesight_margin_options_init(&mo, sizeof mo);
  mo.group_by = "product,month";
  salesight_funnel_options_init(&fo, sizeof fo);
  fo.group_by = "region";
  fo.period = SALESIGHT_PERIOD_MONTH;
  if (salesight_margin_compute(orders, products, &mo, &g_ref_margin) != SALESIGHT_OK ||
      salesight_funnel_compute(pipeline, &fo, &g_ref_funnel) != SALESIGHT_OK ||
      salesight_rfm_compute(orders, NULL, &g_ref_rfm) != SALESIGHT_OK) {
    fprintf(stderr, "reference failed: %s\n", salesight_last_error());
    return 1;
  }
  for (i = 0; i < kThreads; ++i) {
    if (pthread_create(&threads[i], NULL, worker, (void*)(intptr_t)i) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      return 1;
    }
  }
  for (i = 0; i < kThreads; ++i) {
    void* ret = NULL;
    pthread_join(threads[i], &ret);
    failures += (long)(intptr_t)ret;
  }
  salesight_result_destroy(g_ref_margin);
  salesight_result_destroy(g_ref_funnel);
  salesight_result_destroy(g_ref_rfm);
  salesight_result_destroy(g_decimal_rfm);
  salesight_table_destroy(orders);
  salesight_table_destroy(products);
  salesight_table_destroy(pipeline);
  printf("threads_test: %d threads x %d rounds, %ld failures\n", kThreads, kRounds, failures);
  return failures == 0 ? 0 : 1;
}
