// libFuzzer target: table building through the C ABI, then the calculators on
// whatever table comes out. The input is a little program: a table kind, then
// column operations (name, type, length, optional validity, ownership) whose
// values are taken from the input itself. Every call must return a status -
// never crash, leak, abort or hit undefined behaviour - whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "salesight.h"

namespace {

constexpr const char* kNames[] = {
    "order_id", "order_date", "customer", "amount", "product", "quantity", "unit_cost", "cost",
    "margin", "region", "line", "category", "opportunity", "created", "stage:lead",
    "stage:won", "lost_date", "invoice", "invoice_date", "due_date", "paid", "paid_date",
    "key", "month", "tier_product", "tier_min_quantity", "tier_unit_cost", "credit_limit",
    "standard_cost", "name", "no_such_column"};

struct Reader {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t Byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  // A span of up to `want` bytes of the input (kept alive by libFuzzer).
  const std::uint8_t* Take(std::size_t want, std::size_t* got) {
    *got = want < n ? want : n;
    const std::uint8_t* at = p;
    p += *got;
    n -= *got;
    return at;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in{data, size};
  salesight_table_builder* b = nullptr;
  if (salesight_table_builder_create(1 + in.Byte() % 7, &b) != SALESIGHT_OK) return 0;
  salesight_table_builder_set_money_scale(b, in.Byte() % 8);
  std::vector<std::vector<std::uint8_t>> aligned;  // numeric data, kept for BORROW
  const int ops = in.Byte() % 12;
  for (int op = 0; op < ops && in.n > 0; ++op) {
    const char* name = kNames[in.Byte() % (sizeof(kNames) / sizeof(kNames[0]))];
    const auto type = static_cast<salesight_type>(in.Byte() % 9);  // 0 and 8: invalid codes
    const std::int64_t rows = in.Byte() % 17;
    const bool with_validity = (in.Byte() & 1) != 0;
    const auto own = static_cast<salesight_ownership>(in.Byte() % 3);  // 2: invalid
    const std::uint8_t validity[3] = {in.Byte(), in.Byte(), in.Byte()};
    const std::uint8_t* bitmap = with_validity ? validity : nullptr;
    if (type == SALESIGHT_TYPE_STRING) {
      // Strings are always copied by the library: locals are enough.
      std::vector<std::string> text;
      std::vector<const char*> pointers;
      for (std::int64_t i = 0; i < rows; ++i) {
        std::size_t len = 0;
        const std::uint8_t* s = in.Take(in.Byte() % 12, &len);
        text.emplace_back(reinterpret_cast<const char*>(s), len);
      }
      for (const std::string& t : text) pointers.push_back(t.empty() ? nullptr : t.c_str());
      salesight_table_builder_add_column(b, name, type, rows ? pointers.data() : nullptr, rows,
                                         bitmap, own);
      continue;
    }
    const std::size_t width =
        (type == SALESIGHT_TYPE_INT32 || type == SALESIGHT_TYPE_DATE) ? 4 : 8;
    std::size_t got = 0;
    const std::uint8_t* bytes = in.Take(static_cast<std::size_t>(rows) * width, &got);
    aligned.emplace_back(static_cast<std::size_t>(rows) * width + 8, 0);
    std::memcpy(aligned.back().data(), bytes, got);
    salesight_table_builder_add_column(b, name, type, rows ? aligned.back().data() : nullptr,
                                       rows, bitmap, own);
  }
  salesight_table* t = nullptr;
  if (salesight_table_builder_finish(b, &t) == SALESIGHT_OK) {
    salesight_result* r = nullptr;
    salesight_table_kind kind = 0;
    salesight_table_kind_of(t, &kind);
    if (kind == SALESIGHT_TABLE_ORDERS) {
      if (salesight_rfm_compute(t, nullptr, &r) == SALESIGHT_OK) salesight_result_destroy(r);
      if (salesight_margin_compute(t, nullptr, nullptr, &r) == SALESIGHT_OK) {
        salesight_result_destroy(r);
      }
    } else if (kind == SALESIGHT_TABLE_PIPELINE) {
      if (salesight_funnel_compute(t, nullptr, &r) == SALESIGHT_OK) salesight_result_destroy(r);
    }
    if (salesight_table_columns(t, &r) == SALESIGHT_OK) salesight_result_destroy(r);
    salesight_table_destroy(t);
  }
  salesight_table_builder_destroy(b);
  return 0;
}
