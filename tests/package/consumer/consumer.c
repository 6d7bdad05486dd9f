/* Uses the installed library: version check, a table from columns, one
 * calculator, a result column. Exit status 0 = the package works. */
#include <stdio.h>
#include <string.h>

#include <salesight.h>

int main(void) {
  static const int64_t order_id[3] = {1, 2, 3};
  static const int32_t day[3] = {19000, 19001, 19002};
  static const char* const customer[3] = {"A", "B", "A"};
  static const int64_t amount[3] = {1000, 250, 500};
  salesight_table_builder* b = NULL;
  salesight_table* orders = NULL;
  salesight_result* r = NULL;
  salesight_margin_options o;
  int32_t col = -1;
  const int64_t* revenue = NULL;
  int64_t rows = 0;

  /* the same ABI: the same major, and during 0.x the same minor */
  if (salesight_version_number() / 1000000 != SALESIGHT_VERSION_MAJOR ||
      (SALESIGHT_VERSION_MAJOR == 0 &&
       salesight_version_number() / 1000 != SALESIGHT_VERSION_NUMBER / 1000)) {
    fprintf(stderr, "header %s but library %s\n", SALESIGHT_VERSION_STRING,
            salesight_version_string());
    return 1;
  }
  if (salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b) ||
      salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, order_id, 3, NULL,
                                         SALESIGHT_BORROW) ||
      salesight_table_builder_add_column(b, "order_date", SALESIGHT_TYPE_DATE, day, 3, NULL,
                                         SALESIGHT_BORROW) ||
      salesight_table_builder_add_column(b, "customer", SALESIGHT_TYPE_STRING, customer, 3, NULL,
                                         SALESIGHT_COPY) ||
      salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, amount, 3, NULL,
                                         SALESIGHT_BORROW) ||
      salesight_table_builder_finish(b, &orders)) {
    fprintf(stderr, "table: %s\n", salesight_last_error());
    return 1;
  }
  salesight_table_builder_destroy(b);
  salesight_margin_options_init(&o, sizeof o);
  o.group_by = "customer";
  if (salesight_margin_compute(orders, NULL, &o, &r) || salesight_result_num_rows(r, &rows) ||
      salesight_result_column_index(r, "revenue", &col) ||
      salesight_result_column_int64(r, col, &revenue)) {
    fprintf(stderr, "margin: %s\n", salesight_last_error());
    return 1;
  }
  /* A: 1000 + 500, B: 250 */
  if (rows != 2 || revenue[0] != 1500 || revenue[1] != 250) {
    fprintf(stderr, "unexpected result\n");
    return 1;
  }
  printf("consumer OK with salesight %s\n", salesight_version_string());
  salesight_result_destroy(r);
  salesight_table_destroy(orders);
  return 0;
}
