// salesight_table_builder_*: the caller's columns (borrowed or copied, with
// validity bitmaps and string codes) into validated salesight:: tables.
// Conversion only; every invariant is checked by the tables' own Build.
//
// Speed (10^7-row columns): converted columns live in huge-page memory
// (UninitLargeVector: one page fault per 2 MiB instead of per 4 KiB, and no
// zeroing pass), and a column without a validity bitmap is converted by a
// branch-free kernel (salesight/column_convert.hpp) that also returns its min and max.
// Only when those show a bad value or a NaT does the careful per-row loop run
// again, to map NaT to null or to name the first bad row. The range travels
// with the column (Column::OwnWithRange), so Build does not re-read it.
// salesight_table_builder_set_num_threads splits the kernels over threads.
//
// salesight_table_builder_set_keep_wide: an ORDERS customer column of INT64
// ids and order_date column of TIMESTAMP_NS, both borrowed without a bitmap,
// are checked by a read-only pass (the same kernels over small blocks, so the
// same errors) and kept as they are; the table then holds them as WideOrders
// (capi_internal.hpp) until some use other than the RFM scan narrows them.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/column_convert.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/large_array.hpp"
#include "salesight/margin.hpp"
#include "salesight/money.hpp"
#include "salesight/tables.hpp"

namespace salesight::capi {
namespace {

enum class Logical { kId, kKey64, kInt32, kDate, kMoney, kText };

// Code dictionaries shared between tables (by domain, not by column name:
// an orders "customer" and a customers "customer" are the same domain).
enum Domain : int {
  kNoDomain = -1,
  kCustomer,
  kProduct,
  kRegion,
  kSalesperson,
  kChannel,
  kDepartment,
  kCategory,
  kSource,
  kLostReason,
  kNumDomains,
};
constexpr const char* kDomainNames[kNumDomains] = {
    "customer", "product", "region", "salesperson", "channel",
    "department", "category", "source", "lost_reason"};

struct FieldSpec {
  const char* name;
  Logical logical;
  int domain;     // kId only
  bool nullable;  // rows may be null (dates become kNoDate, text "", standard_cost kNoStandardCost)
  int group;      // row list: 0 = the table's rows, 1 = product cost tiers
};

// Special domain for TARGETS.key: salesperson or region by the target level.
constexpr int kTargetKeyDomain = 100;

constexpr FieldSpec kOrderFields[] = {
    {"order_id", Logical::kKey64, kNoDomain, false, 0},
    {"line", Logical::kInt32, kNoDomain, false, 0},
    {"order_date", Logical::kDate, kNoDomain, false, 0},
    {"customer", Logical::kId, kCustomer, false, 0},
    {"product", Logical::kId, kProduct, false, 0},
    {"region", Logical::kId, kRegion, false, 0},
    {"salesperson", Logical::kId, kSalesperson, false, 0},
    {"quantity", Logical::kInt32, kNoDomain, false, 0},
    {"amount", Logical::kMoney, kNoDomain, false, 0},
    {"cost", Logical::kMoney, kNoDomain, false, 0},
    {"unit_cost", Logical::kMoney, kNoDomain, false, 0},
    {"channel", Logical::kId, kChannel, false, 0},
    {"department", Logical::kId, kDepartment, false, 0},
    {"category", Logical::kId, kCategory, false, 0},
    {"margin", Logical::kMoney, kNoDomain, false, 0},
};
constexpr FieldSpec kCustomerFields[] = {
    {"customer", Logical::kId, kCustomer, false, 0},
    {"name", Logical::kText, kNoDomain, true, 0},
    {"region", Logical::kId, kRegion, false, 0},
    {"owner", Logical::kId, kSalesperson, false, 0},
    {"credit_limit", Logical::kMoney, kNoDomain, false, 0},
    {"created", Logical::kDate, kNoDomain, true, 0},
};
constexpr FieldSpec kProductFields[] = {
    {"product", Logical::kId, kProduct, false, 0},
    {"name", Logical::kText, kNoDomain, true, 0},
    {"category", Logical::kId, kCategory, false, 0},
    {"standard_cost", Logical::kMoney, kNoDomain, true, 0},
    {"tier_product", Logical::kId, kProduct, false, 1},
    {"tier_min_quantity", Logical::kInt32, kNoDomain, false, 1},
    {"tier_unit_cost", Logical::kMoney, kNoDomain, false, 1},
};
constexpr FieldSpec kPipelineFields[] = {
    {"opportunity", Logical::kKey64, kNoDomain, false, 0},
    {"customer", Logical::kId, kCustomer, false, 0},
    {"salesperson", Logical::kId, kSalesperson, false, 0},
    {"region", Logical::kId, kRegion, false, 0},
    {"source", Logical::kId, kSource, false, 0},
    {"amount", Logical::kMoney, kNoDomain, false, 0},
    {"created", Logical::kDate, kNoDomain, false, 0},
    {"lost_date", Logical::kDate, kNoDomain, true, 0},
    {"lost_reason", Logical::kId, kLostReason, false, 0},
};
constexpr FieldSpec kInvoiceFields[] = {
    {"invoice", Logical::kKey64, kNoDomain, false, 0},
    {"order", Logical::kKey64, kNoDomain, false, 0},
    {"customer", Logical::kId, kCustomer, false, 0},
    {"salesperson", Logical::kId, kSalesperson, false, 0},
    {"region", Logical::kId, kRegion, false, 0},
    {"invoice_date", Logical::kDate, kNoDomain, false, 0},
    {"due_date", Logical::kDate, kNoDomain, false, 0},
    {"amount", Logical::kMoney, kNoDomain, false, 0},
    {"paid", Logical::kMoney, kNoDomain, false, 0},
    {"paid_date", Logical::kDate, kNoDomain, true, 0},
};
constexpr FieldSpec kPaymentFields[] = {
    {"invoice_row", Logical::kKey64, kNoDomain, false, 0},
    {"date", Logical::kDate, kNoDomain, false, 0},
    {"amount", Logical::kMoney, kNoDomain, false, 0},
};
constexpr FieldSpec kTargetFields[] = {
    {"key", Logical::kId, kTargetKeyDomain, false, 0},
    {"month", Logical::kInt32, kNoDomain, false, 0},
    {"amount", Logical::kMoney, kNoDomain, false, 0},
};

constexpr std::string_view kStagePrefix = "stage:";
// An unmapped column kept as an attribute (tables.hpp AttributeColumn): the
// prefix keeps a misspelt field name an error instead of a new attribute.
constexpr std::string_view kAttrPrefix = "attr:";

bool HasAttributes(salesight_table_kind kind) {
  return kind == SALESIGHT_TABLE_ORDERS || kind == SALESIGHT_TABLE_CUSTOMERS ||
         kind == SALESIGHT_TABLE_PRODUCTS || kind == SALESIGHT_TABLE_PIPELINE ||
         kind == SALESIGHT_TABLE_INVOICES;
}

// An attribute column as added: codes into `dictionary` (interned from STRING
// values, or INT32/INT64 codes into the codes given by set_dictionary).
struct PendingAttribute {
  std::string name;  // without the prefix
  std::shared_ptr<Dictionary> dictionary;
  bool dictionary_set = false;  // by set_dictionary
  bool added = false;           // the values came
  bool interned = false;        // STRING values were interned into `dictionary`
  Column<std::int32_t> codes;
};

struct Spec {
  const char* table;
  const FieldSpec* fields;
  std::size_t count;
};

std::optional<Spec> SpecOf(salesight_table_kind kind) {
  switch (kind) {
    case SALESIGHT_TABLE_ORDERS: return Spec{"orders", kOrderFields, std::size(kOrderFields)};
    case SALESIGHT_TABLE_CUSTOMERS:
      return Spec{"customers", kCustomerFields, std::size(kCustomerFields)};
    case SALESIGHT_TABLE_PRODUCTS:
      return Spec{"products", kProductFields, std::size(kProductFields)};
    case SALESIGHT_TABLE_PIPELINE:
      return Spec{"pipeline", kPipelineFields, std::size(kPipelineFields)};
    case SALESIGHT_TABLE_INVOICES:
      return Spec{"invoices", kInvoiceFields, std::size(kInvoiceFields)};
    case SALESIGHT_TABLE_PAYMENTS:
      return Spec{"payments", kPaymentFields, std::size(kPaymentFields)};
    case SALESIGHT_TABLE_TARGETS:
      return Spec{"targets", kTargetFields, std::size(kTargetFields)};
    default: return std::nullopt;
  }
}

// A column as added: int32 storage (ids, ints, dates) or int64 (keys, money)
// or text.
struct Pending {
  bool present = false;
  salesight_type type = 0;
  std::int64_t length = 0;
  Column<std::int32_t> i32;
  Column<std::int64_t> i64;
  std::vector<std::string> text;
  bool key_codes = false;  // kKey64 from STRING: i64 holds ids of BuilderImpl::keys
  // Kept wide (set_keep_wide): the caller's checked INT64 ids or TIMESTAMP_NS
  // values, and the range of their narrowed values; i32 is empty until
  // NarrowKept.
  const std::int64_t* wide = nullptr;
  Column<std::int32_t>::Range wide_range{0, 0};
};

bool IsValid(const std::uint8_t* validity, std::int64_t i) {
  return validity == nullptr || ((validity[i >> 3] >> (i & 7)) & 1) != 0;
}

const char* TypeName(salesight_type type) {
  switch (type) {
    case SALESIGHT_TYPE_INT32: return "INT32";
    case SALESIGHT_TYPE_INT64: return "INT64";
    case SALESIGHT_TYPE_FLOAT64: return "FLOAT64";
    case SALESIGHT_TYPE_STRING: return "STRING";
    case SALESIGHT_TYPE_DATE: return "DATE";
    case SALESIGHT_TYPE_MONEY: return "MONEY";
    case SALESIGHT_TYPE_TIMESTAMP_NS: return "TIMESTAMP_NS";
    default: return "an unknown type";
  }
}

const char* Accepted(Logical logical) {
  switch (logical) {
    case Logical::kId: return "INT32, INT64 or STRING (an id column)";
    case Logical::kKey64: return "INT64, INT32 or STRING (a key column)";
    case Logical::kInt32: return "INT32 or INT64 (an integer column)";
    case Logical::kDate: return "DATE, TIMESTAMP_NS or STRING (a date column)";
    case Logical::kMoney: return "MONEY, INT64 or FLOAT64 (a money column)";
    case Logical::kText: return "STRING (a text column)";
  }
  return "";
}

constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();

// A thread per chunk only from this many rows per chunk on: below it, starting
// a thread costs more than the chunk's conversion.
constexpr std::size_t kMinRowsPerThread = std::size_t{1} << 18;

// How many chunks `threads` threads split n rows into (fewer for short columns).
std::size_t ChunkCount(int threads, std::size_t n) {
  return std::clamp<std::size_t>(n / kMinRowsPerThread, 1,
                                 static_cast<std::size_t>(std::max(threads, 1)));
}

// Runs fn(begin, end, part) over `parts` contiguous chunks of [0, n), chunk 0
// on the calling thread. fn must not throw.
template <typename Fn>
void ForChunks(std::size_t parts, std::size_t n, Fn&& fn) {
  auto bound = [&](std::size_t p) { return n / parts * p + std::min(n % parts, p); };
  if (parts <= 1) {
    fn(std::size_t{0}, n, std::size_t{0});
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(parts - 1);
  try {
    for (std::size_t p = 1; p < parts; ++p) {
      threads.emplace_back([&fn, p, b = bound(p), e = bound(p + 1)] { fn(b, e, p); });
    }
  } catch (...) {
    // No thread could be started: join the started ones before the guard
    // reports the error (a joinable std::thread would terminate).
    for (std::thread& t : threads) t.join();
    throw;
  }
  fn(bound(0), bound(1), std::size_t{0});
  for (std::thread& t : threads) t.join();
}

}  // namespace
}  // namespace salesight::capi

namespace salesight::capi {

struct BuilderImpl {
  salesight_table_kind kind = 0;
  Spec spec{};
  bool finished = false;
  int money_scale = salesight::kDefaultMoneyScale;
  bool float_money_added = false;
  std::vector<Pending> fields;  // parallel to spec.fields
  // PIPELINE stage columns, in the order added.
  std::vector<std::string> stage_names;
  std::vector<salesight::Column<salesight::Day>> stage_dates;
  // "attr:<name>" columns and dictionaries, in the order first named.
  std::vector<salesight::capi::PendingAttribute> attributes;
  // First column of each row list (for length errors).
  std::string group_first[2];
  std::int64_t group_length[2] = {-1, -1};
  // Dictionaries: own (interned into / set by the caller) and shared (from
  // another table; copied on first intern so the other table is untouched).
  std::shared_ptr<salesight::Dictionary> own[salesight::capi::kNumDomains];
  salesight::DictionaryPtr shared[salesight::capi::kNumDomains];
  bool string_added[salesight::capi::kNumDomains] = {};
  // own[d] started as a copy of shared[d]: the shared codes keep their ids.
  bool extends_shared[salesight::capi::kNumDomains] = {};
  salesight::Dictionary keys;  // string keys (order numbers...) -> dense int64
  std::optional<salesight::Invoices> invoices;  // PAYMENTS
  salesight::TargetLevel target_level = salesight::TargetLevel::kSalesperson;
  bool target_key_added = false;
  int num_threads = 1;  // >= 1: chunks of the conversion kernels
  bool keep_wide = false;  // set_keep_wide

  int DomainOf(const FieldSpec& f) const {
    if (f.domain != salesight::capi::kTargetKeyDomain) return f.domain;
    return target_level == salesight::TargetLevel::kRegion ? salesight::capi::kRegion
                                                           : salesight::capi::kSalesperson;
  }
  salesight::Dictionary& Writable(int domain) {
    if (!own[domain]) {
      own[domain] = shared[domain] ? std::make_shared<salesight::Dictionary>(*shared[domain])
                                   : std::make_shared<salesight::Dictionary>();
      extends_shared[domain] = shared[domain] != nullptr;
    }
    return *own[domain];
  }
  // The attribute named `name` (without the prefix), created when new.
  salesight::capi::PendingAttribute& Attribute(std::string_view name) {
    for (salesight::capi::PendingAttribute& a : attributes) {
      if (a.name == name) return a;
    }
    salesight::capi::PendingAttribute& a = attributes.emplace_back();
    a.name = std::string(name);
    a.dictionary = std::make_shared<salesight::Dictionary>();
    return a;
  }
  salesight::DictionaryPtr Final(int domain) const {
    if (domain < 0) return nullptr;
    if (own[domain]) return own[domain];
    return shared[domain];
  }
};

SALESIGHT_CAPI_HANDLE(salesight_table_builder, BuilderImpl)

namespace {

using Builder = BuilderImpl;

salesight_status CheckBuilder(Builder* b, const char* function) {
  if (b == nullptr) return NullArgument(function, "builder");
  if (b->finished) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: the %s builder was already finished", function, b->spec.table));
  }
  return SALESIGHT_OK;
}

// Everything needed to convert one added column.
struct Input {
  const Builder* b;
  const char* column;
  salesight_type type;
  const void* data;
  std::int64_t length;
  const std::uint8_t* validity;
  bool borrow;

  salesight_status NullRow(std::int64_t row) const {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s column '%s' row %d is null, but the column does not allow "
                                "missing values",
                                b->spec.table, column, row));
  }
  salesight_status Mismatch(Logical logical) const {
    return Fail(SALESIGHT_ERR_TYPE_MISMATCH,
                absl::StrFormat("%s column '%s': type %s is not accepted; use %s", b->spec.table,
                                column, TypeName(type), Accepted(logical)));
  }
  template <typename T>
  const T* As() const {
    return static_cast<const T*>(data);
  }
};

// Copies `n` elements of a column without a validity bitmap into huge-page
// memory (SALESIGHT_COPY of a column stored as given).
template <typename T>
UninitLargeVector<T> CopyOf(const T* v, std::int64_t n) {
  UninitLargeVector<T> values(static_cast<std::size_t>(n));
  if (n > 0) std::memcpy(values.data(), v, static_cast<std::size_t>(n) * sizeof(T));
  return values;
}

// INT64 -> int32, row by row: the first null or value that does not fit is
// the error. Fills values[0, length).
salesight_status NarrowCareful(const Input& in, std::int32_t* values) {
  const auto* v = in.As<std::int64_t>();
  for (std::int64_t i = 0; i < in.length; ++i) {
    if (!IsValid(in.validity, i)) return in.NullRow(i);
    if (v[i] < kInt32Min || v[i] > kInt32Max) {
      return Fail(SALESIGHT_ERR_OUT_OF_RANGE,
                  absl::StrFormat("%s column '%s' row %d: %d does not fit in 32 bits",
                                  in.b->spec.table, in.column, i, v[i]));
    }
    values[i] = static_cast<std::int32_t>(v[i]);
  }
  return SALESIGHT_OK;
}

salesight_status ToInt32(const Input& in, Column<std::int32_t>* out) {
  const auto n = static_cast<std::size_t>(in.length);
  if (in.type == SALESIGHT_TYPE_INT32) {
    const auto* v = in.As<std::int32_t>();
    if (in.validity == nullptr && in.borrow) {
      *out = Column<std::int32_t>::Borrow(absl::MakeConstSpan(v, n));
      return SALESIGHT_OK;
    }
    if (in.validity == nullptr) {
      *out = Column<std::int32_t>::Own(CopyOf(v, in.length));
      return SALESIGHT_OK;
    }
    UninitLargeVector<std::int32_t> values(n);
    for (std::int64_t i = 0; i < in.length; ++i) {
      if (!IsValid(in.validity, i)) return in.NullRow(i);
      values[static_cast<std::size_t>(i)] = v[i];
    }
    *out = Column<std::int32_t>::Own(std::move(values));
    return SALESIGHT_OK;
  }
  // INT64: narrowed, checked.
  UninitLargeVector<std::int32_t> values(n);
  if (in.validity == nullptr) {
    // One branch-free pass (narrow + min/max); the careful loop only when
    // some value does not fit, to name the first one.
    const absl::Span<const std::int64_t> v(in.As<std::int64_t>(), n);
    std::vector<MinMax64> ranges(ChunkCount(in.b->num_threads, n));
    ForChunks(ranges.size(), n, [&](std::size_t b, std::size_t e, std::size_t p) {
      ranges[p] = NarrowToInt32(v.subspan(b, e - b), values.data() + b);
    });
    MinMax64 range;
    for (const MinMax64& r : ranges) range = Merge(range, r);
    if (n == 0 || (range.min >= kInt32Min && range.max <= kInt32Max)) {
      *out = Column<std::int32_t>::OwnWithRange(std::move(values),
                                                static_cast<std::int32_t>(range.min),
                                                static_cast<std::int32_t>(range.max));
      return SALESIGHT_OK;
    }
  }
  if (salesight_status st = NarrowCareful(in, values.data()); st != SALESIGHT_OK) return st;
  *out = Column<std::int32_t>::Own(std::move(values));
  return SALESIGHT_OK;
}

salesight_status ToInt64(const Input& in, Column<std::int64_t>* out) {
  const auto n = static_cast<std::size_t>(in.length);
  if (in.type == SALESIGHT_TYPE_INT32) {
    const auto* v = in.As<std::int32_t>();
    UninitLargeVector<std::int64_t> values(n);
    if (in.validity == nullptr) {
      std::copy(v, v + n, values.begin());  // widening: nothing to check
    } else {
      for (std::int64_t i = 0; i < in.length; ++i) {
        if (!IsValid(in.validity, i)) return in.NullRow(i);
        values[static_cast<std::size_t>(i)] = v[i];
      }
    }
    *out = Column<std::int64_t>::Own(std::move(values));
    return SALESIGHT_OK;
  }
  const auto* v = in.As<std::int64_t>();
  if (in.validity == nullptr && in.borrow) {
    *out = Column<std::int64_t>::Borrow(absl::MakeConstSpan(v, n));
    return SALESIGHT_OK;
  }
  if (in.validity == nullptr) {
    *out = Column<std::int64_t>::Own(CopyOf(v, in.length));
    return SALESIGHT_OK;
  }
  UninitLargeVector<std::int64_t> values(n);
  for (std::int64_t i = 0; i < in.length; ++i) {
    if (!IsValid(in.validity, i)) return in.NullRow(i);
    values[static_cast<std::size_t>(i)] = v[i];
  }
  *out = Column<std::int64_t>::Own(std::move(values));
  return SALESIGHT_OK;
}

// Reads string i (NULL pointer or invalid bit = null).
const char* StringAt(const Input& in, std::int64_t i) {
  const char* s = in.As<const char*>()[i];
  return IsValid(in.validity, i) ? s : nullptr;
}

salesight_status InternStrings(const Input& in, Dictionary& dict, std::vector<std::int32_t>* ids) {
  ids->resize(static_cast<std::size_t>(in.length));
  for (std::int64_t i = 0; i < in.length; ++i) {
    const char* s = StringAt(in, i);
    if (s == nullptr) return in.NullRow(i);
    absl::StatusOr<Id> id = dict.Intern(s);
    if (!id.ok()) return FromStatus(id.status());
    (*ids)[static_cast<std::size_t>(i)] = *id;
  }
  return SALESIGHT_OK;
}

salesight_status ConvertId(Builder* b, const Input& in, int domain, Pending* p) {
  switch (in.type) {
    case SALESIGHT_TYPE_INT32:
    case SALESIGHT_TYPE_INT64: return ToInt32(in, &p->i32);
    case SALESIGHT_TYPE_STRING: {
      std::vector<std::int32_t> ids;
      salesight_status st = InternStrings(in, b->Writable(domain), &ids);
      if (st != SALESIGHT_OK) return st;
      b->string_added[domain] = true;
      p->i32 = Column<std::int32_t>::Own(std::move(ids));
      return SALESIGHT_OK;
    }
    default: return in.Mismatch(Logical::kId);
  }
}

salesight_status ConvertKey(Builder* b, const Input& in, Pending* p) {
  switch (in.type) {
    case SALESIGHT_TYPE_INT32:
    case SALESIGHT_TYPE_INT64: return ToInt64(in, &p->i64);
    case SALESIGHT_TYPE_STRING: {
      std::vector<std::int32_t> ids;
      salesight_status st = InternStrings(in, b->keys, &ids);
      if (st != SALESIGHT_OK) return st;
      p->i64 = Column<std::int64_t>::Own(std::vector<std::int64_t>(ids.begin(), ids.end()));
      p->key_codes = true;
      return SALESIGHT_OK;
    }
    default: return in.Mismatch(Logical::kKey64);
  }
}

// TIMESTAMP_NS -> days, row by row: null / NaT becomes kNoDate (nullable) or
// the error, a day outside 1900..2199 the error. Fills days[0, length).
salesight_status TimestampsCareful(const Input& in, bool nullable, Day* days) {
  const auto* v = in.As<std::int64_t>();
  for (std::int64_t i = 0; i < in.length; ++i) {
    if (!IsValid(in.validity, i) || v[i] == kNaT) {
      if (!nullable) return in.NullRow(i);
      days[i] = kNoDate;
      continue;
    }
    const std::int64_t day = FloorDaysOfNs(v[i]);
    if (day < kMinDay || day > kMaxDay) {
      return Fail(SALESIGHT_ERR_OUT_OF_RANGE,
                  absl::StrFormat("%s column '%s' row %d: timestamp %d ns is outside "
                                  "1900-01-01..2199-12-31",
                                  in.b->spec.table, in.column, i, v[i]));
    }
    days[i] = static_cast<Day>(day);
  }
  return SALESIGHT_OK;
}

salesight_status ConvertDate(const Input& in, bool nullable, Column<Day>* out) {
  auto null_day = [&](std::int64_t row, Day* day) -> salesight_status {
    if (!nullable) return in.NullRow(row);
    *day = kNoDate;
    return SALESIGHT_OK;
  };
  const auto n = static_cast<std::size_t>(in.length);
  UninitLargeVector<Day> days;
  switch (in.type) {
    case SALESIGHT_TYPE_DATE: {
      const auto* v = in.As<std::int32_t>();
      if (in.validity == nullptr && in.borrow) {
        *out = Column<Day>::Borrow(absl::MakeConstSpan(v, n));
        return SALESIGHT_OK;
      }
      if (in.validity == nullptr) {
        *out = Column<Day>::Own(CopyOf(v, in.length));
        return SALESIGHT_OK;
      }
      days.resize(n);
      for (std::int64_t i = 0; i < in.length; ++i) {
        Day& d = days[static_cast<std::size_t>(i)];
        if (!IsValid(in.validity, i)) {
          if (salesight_status st = null_day(i, &d); st != SALESIGHT_OK) return st;
        } else {
          d = v[i];
        }
      }
      break;
    }
    case SALESIGHT_TYPE_TIMESTAMP_NS: {
      days.resize(n);
      if (in.validity == nullptr) {
        // One branch-free pass (days, NaT -> kNoDate, min/max, NaT count).
        // Only a day out of range, or a NaT in a required column, sends the
        // column through the careful loop (which names the first bad row).
        const absl::Span<const std::int64_t> v(in.As<std::int64_t>(), n);
        std::vector<DayStats> parts(ChunkCount(in.b->num_threads, n));
        ForChunks(parts.size(), n, [&](std::size_t b, std::size_t e, std::size_t p) {
          parts[p] = TimestampNsToDays(v.subspan(b, e - b), days.data() + b);
        });
        DayStats stats;
        for (const DayStats& s : parts) stats = Merge(stats, s);
        const bool real_days_ok = stats.min > stats.max ||  // none (empty or all NaT)
                                  (stats.min >= kMinDay && stats.max <= kMaxDay);
        if (real_days_ok && (nullable || stats.nats == 0)) {
          if (n == 0) {
            *out = Column<Day>::Own(std::move(days));
          } else {
            // The exact range of what was written: kNoDate is the minimum
            // when a NaT was; all NaT gives kNoDate..kNoDate.
            *out = Column<Day>::OwnWithRange(std::move(days),
                                             stats.nats > 0 ? kNoDate : stats.min,
                                             stats.min > stats.max ? kNoDate : stats.max);
          }
          return SALESIGHT_OK;
        }
      }
      if (salesight_status st = TimestampsCareful(in, nullable, days.data()); st != SALESIGHT_OK) {
        return st;
      }
      break;
    }
    case SALESIGHT_TYPE_STRING: {
      days.resize(n);
      for (std::int64_t i = 0; i < in.length; ++i) {
        Day& d = days[static_cast<std::size_t>(i)];
        const char* s = StringAt(in, i);
        if (s == nullptr || *s == '\0') {
          if (salesight_status st = null_day(i, &d); st != SALESIGHT_OK) return st;
          continue;
        }
        absl::StatusOr<Day> parsed = ParseDate(s, DateFormat::kAuto);
        if (!parsed.ok()) {
          return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                      absl::StrFormat("%s column '%s' row %d: %s", in.b->spec.table, in.column,
                                      i, parsed.status().message()));
        }
        d = *parsed;
      }
      break;
    }
    default: return in.Mismatch(Logical::kDate);
  }
  *out = Column<Day>::Own(std::move(days));
  return SALESIGHT_OK;
}

// ----------------------------------------------------------- kept wide

// An INT64 id column (kIds) or a TIMESTAMP_NS date column (kDays): what the
// kernels of column_convert.hpp make of it.
enum class Narrowing { kIds, kDays };

// The kernel's result on v added to `merged`: MinMax64 for ids, DayStats for
// timestamps.
MinMax64 NarrowChunk(absl::Span<const std::int64_t> v, std::int32_t* out, MinMax64 merged) {
  return Merge(merged, NarrowToInt32(v, out));
}
DayStats NarrowChunk(absl::Span<const std::int64_t> v, std::int32_t* out, DayStats merged) {
  return Merge(merged, TimestampNsToDays(v, out));
}

// The kernel's result over all of v[0, n) on `threads` threads, each chunk
// narrowed a block at a time into a buffer that stays in the cache and is
// thrown away: the check without the narrowed copy.
template <typename Stats>
Stats CheckOnly(const std::int64_t* v, std::size_t n, int threads) {
  constexpr std::size_t kBlock = RfmWideKeys::kBlockRows;
  std::vector<Stats> parts(ChunkCount(threads, n));
  ForChunks(parts.size(), n, [&](std::size_t b, std::size_t e, std::size_t p) {
    std::int32_t buffer[kBlock];
    Stats s;
    for (std::size_t i = b; i < e; i += kBlock) {
      s = NarrowChunk(absl::MakeConstSpan(v + i, std::min(kBlock, e - i)), buffer, s);
    }
    parts[p] = s;
  });
  Stats all;
  for (const Stats& s : parts) all = Merge(all, s);
  return all;
}

// The narrowed column of checked values v[0, n) (range: their narrowed range),
// as ToInt32 / ConvertDate make it.
Column<std::int32_t> Narrowed(Narrowing how, const std::int64_t* v, std::size_t n, int threads,
                              Column<std::int32_t>::Range range) {
  UninitLargeVector<std::int32_t> out(n);
  ForChunks(ChunkCount(threads, n), n, [&](std::size_t b, std::size_t e, std::size_t) {
    if (how == Narrowing::kIds) {
      NarrowToInt32(absl::MakeConstSpan(v + b, e - b), out.data() + b);
    } else {
      TimestampNsToDays(absl::MakeConstSpan(v + b, e - b), out.data() + b);
    }
  });
  return Column<std::int32_t>::OwnWithRange(std::move(out), range.min, range.max);
}

// Whether set_keep_wide keeps column `field` of `in` wide.
bool KeepsWide(const Input& in, const FieldSpec& field) {
  if (!in.b->keep_wide || in.b->kind != SALESIGHT_TABLE_ORDERS || !in.borrow ||
      in.validity != nullptr || in.length == 0) {
    return false;
  }
  const std::string_view name(field.name);
  return (name == "customer" && in.type == SALESIGHT_TYPE_INT64) ||
         (name == "order_date" && in.type == SALESIGHT_TYPE_TIMESTAMP_NS);
}

// Checks a column KeepsWide keeps, exactly as ToInt32 (ids) and ConvertDate
// (required dates) would, and keeps it in `p`. On a bad value the careful
// loops name the first bad row, as they do there.
salesight_status CheckWide(const Input& in, Pending* p) {
  const auto n = static_cast<std::size_t>(in.length);
  const auto* v = in.As<std::int64_t>();
  const int threads = in.b->num_threads;
  auto first_bad = [&](auto careful) -> salesight_status {
    UninitLargeVector<std::int32_t> scratch(n);
    if (salesight_status st = careful(scratch.data()); st != SALESIGHT_OK) return st;
    return Fail(SALESIGHT_ERR_INTERNAL,
                absl::StrFormat("%s column '%s': the checked range disagrees with the values",
                                in.b->spec.table, in.column));
  };
  if (in.type == SALESIGHT_TYPE_INT64) {
    const MinMax64 r = CheckOnly<MinMax64>(v, n, threads);
    if (r.min < kInt32Min || r.max > kInt32Max) {
      return first_bad([&](std::int32_t* out) { return NarrowCareful(in, out); });
    }
    p->wide_range = {static_cast<std::int32_t>(r.min), static_cast<std::int32_t>(r.max)};
  } else {
    const DayStats s = CheckOnly<DayStats>(v, n, threads);
    if (s.nats > 0 || s.min < kMinDay || s.max > kMaxDay) {
      return first_bad([&](std::int32_t* out) { return TimestampsCareful(in, false, out); });
    }
    p->wide_range = {s.min, s.max};
  }
  p->wide = v;
  return SALESIGHT_OK;
}

Narrowing NarrowingOf(const Pending& p) {
  return p.type == SALESIGHT_TYPE_INT64 ? Narrowing::kIds : Narrowing::kDays;
}

// A kept column narrowed into its i32 column after all (no-op otherwise).
void NarrowKept(const Builder* b, Pending& p) {
  if (p.wide == nullptr) return;
  p.i32 = Narrowed(NarrowingOf(p), p.wide, static_cast<std::size_t>(p.length), b->num_threads,
                   p.wide_range);
  p.wide = nullptr;
}

// A column of n values that are never read, claiming `range` (WideOrders'
// shadow table: OrderLines::Build checks the range and keeps the column).
// Large blocks are fresh mappings (large_array.hpp) that are never touched,
// so they cost no memory; small ones are zeroed so that nothing is undefined.
Column<std::int32_t> Placeholder(std::size_t n, Column<std::int32_t>::Range range) {
  UninitLargeVector<std::int32_t> values(n);
  if (n * sizeof(std::int32_t) < (std::size_t{2} << 20)) {
    std::fill(values.begin(), values.end(), 0);
  }
  return Column<std::int32_t>::OwnWithRange(std::move(values), range.min, range.max);
}

// A nullable money column (PRODUCTS standard_cost): a null row, or NaN,
// becomes kNoStandardCost.
salesight_status ConvertMoney(Builder* b, const Input& in, bool nullable, Pending* p) {
  switch (in.type) {
    case SALESIGHT_TYPE_MONEY:
    case SALESIGHT_TYPE_INT64: {
      if (!nullable) return ToInt64(in, &p->i64);
      // The library's "none" marker is not a value a caller may pass.
      const auto* v = in.As<std::int64_t>();
      for (std::int64_t i = 0; i < in.length; ++i) {
        if (IsValid(in.validity, i) && v[i] == kNoStandardCost) {
          return Fail(SALESIGHT_ERR_OUT_OF_RANGE,
                      absl::StrFormat("%s column '%s' row %d: amount %d is out of range",
                                      in.b->spec.table, in.column, i, v[i]));
        }
      }
      if (in.validity == nullptr) return ToInt64(in, &p->i64);
      UninitLargeVector<std::int64_t> values(static_cast<std::size_t>(in.length));
      for (std::int64_t i = 0; i < in.length; ++i) {
        values[static_cast<std::size_t>(i)] = IsValid(in.validity, i) ? v[i] : kNoStandardCost;
      }
      p->i64 = Column<std::int64_t>::Own(std::move(values));
      return SALESIGHT_OK;
    }
    case SALESIGHT_TYPE_FLOAT64: {
      const auto* v = in.As<double>();
      const double unit = static_cast<double>(Pow10(b->money_scale));
      UninitLargeVector<std::int64_t> values(static_cast<std::size_t>(in.length));
      for (std::int64_t i = 0; i < in.length; ++i) {
        if (!IsValid(in.validity, i) || std::isnan(v[i])) {
          if (!nullable) return in.NullRow(i);
          values[static_cast<std::size_t>(i)] = kNoStandardCost;
          continue;
        }
        const double scaled = v[i] * unit;
        // 9.2e18 is where int64 ends; the table's own +-9e15 check follows.
        if (!(std::fabs(scaled) < 9.2e18)) {
          return Fail(SALESIGHT_ERR_OUT_OF_RANGE,
                      absl::StrFormat("%s column '%s' row %d: amount %g is out of range",
                                      in.b->spec.table, in.column, i, v[i]));
        }
        const double rounded = std::nearbyint(scaled);
        // A float64 amount is accepted only when it is a whole number of minor
        // units up to float noise (0.1 * 100 = 10.000000000000002); anything
        // else would be a silent rounding of the caller's money.
        const double tolerance = 1e-6 + std::fabs(scaled) * 1e-13;
        if (std::fabs(scaled - rounded) > tolerance) {
          return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                      absl::StrFormat("%s column '%s' row %d: amount %.17g has more than %d "
                                      "decimals (the money scale); set a larger scale with "
                                      "salesight_table_builder_set_money_scale",
                                      in.b->spec.table, in.column, i, v[i], b->money_scale));
        }
        values[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(rounded);
      }
      p->i64 = Column<std::int64_t>::Own(std::move(values));
      b->float_money_added = true;
      return SALESIGHT_OK;
    }
    default: return in.Mismatch(Logical::kMoney);
  }
}

salesight_status ConvertText(const Input& in, bool nullable, Pending* p) {
  if (in.type != SALESIGHT_TYPE_STRING) return in.Mismatch(Logical::kText);
  p->text.resize(static_cast<std::size_t>(in.length));
  for (std::int64_t i = 0; i < in.length; ++i) {
    const char* s = StringAt(in, i);
    if (s == nullptr) {
      if (!nullable) return in.NullRow(i);
      continue;
    }
    p->text[static_cast<std::size_t>(i)] = s;
  }
  return SALESIGHT_OK;
}

// Checks `length` against the row list's first column; Commit() records it
// once the column was converted (a rejected column must not fix the count).
salesight_status CheckLength(const Builder* b, int group, const char* column, std::int64_t length) {
  if (b->group_length[group] >= 0 && b->group_length[group] != length) {
    return Fail(SALESIGHT_ERR_LENGTH_MISMATCH,
                absl::StrFormat("%s column '%s' has %d values but column '%s' has %d",
                                b->spec.table, column, length, b->group_first[group],
                                b->group_length[group]));
  }
  return SALESIGHT_OK;
}

void CommitLength(Builder* b, int group, const char* column, std::int64_t length) {
  if (b->group_length[group] < 0) {
    b->group_length[group] = length;
    b->group_first[group] = column;
  }
}

// The attribute name of column `name` ("attr:<name>"), or an error: an empty
// name, a field name (an attribute never shadows a field), or a table kind
// without attributes.
salesight_status AttributeName(const Builder* b, const char* function, const char* name,
                               std::string_view* out) {
  if (!HasAttributes(b->kind)) {
    return Fail(SALESIGHT_ERR_UNKNOWN_COLUMN,
                absl::StrFormat("%s: %s tables have no attribute columns ('%s')", function,
                                b->spec.table, name));
  }
  const std::string_view attr = std::string_view(name).substr(kAttrPrefix.size());
  if (attr.empty()) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: %s column '%s': the attribute name is empty", function,
                                b->spec.table, name));
  }
  for (std::size_t i = 0; i < b->spec.count; ++i) {
    if (attr == b->spec.fields[i].name) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: %s column '%s': '%s' is a field of %s; add it as '%s'",
                                  function, b->spec.table, name, attr, b->spec.table, attr));
    }
  }
  *out = attr;
  return SALESIGHT_OK;
}

bool IsAttributeColumn(const char* name) {
  return std::string_view(name).substr(0, kAttrPrefix.size()) == kAttrPrefix;
}

// "attr:<name>": STRING values (NULL = the missing member kMissingMember) or
// INT32/INT64 codes into the codes given by set_dictionary (null rows refused:
// give "" a code instead).
salesight_status AddAttribute(Builder* b, const Input& in) {
  std::string_view name;
  if (salesight_status st = AttributeName(b, "salesight_table_builder_add_column", in.column, &name);
      st != SALESIGHT_OK) {
    return st;
  }
  for (const PendingAttribute& a : b->attributes) {
    if (a.name == name && a.added) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s column '%s' was added twice", b->spec.table, in.column));
    }
  }
  if (salesight_status st = CheckLength(b, 0, in.column, in.length); st != SALESIGHT_OK) return st;
  Column<std::int32_t> codes;
  bool interned = false;
  switch (in.type) {
    case SALESIGHT_TYPE_INT32:
    case SALESIGHT_TYPE_INT64: {
      if (salesight_status st = ToInt32(in, &codes); st != SALESIGHT_OK) return st;
      break;
    }
    case SALESIGHT_TYPE_STRING: {
      // Interned into a copy: a rejected column leaves the attribute as it was.
      const PendingAttribute* known = nullptr;
      for (const PendingAttribute& a : b->attributes) {
        if (a.name == name) known = &a;
      }
      auto dict = known ? std::make_shared<Dictionary>(*known->dictionary)
                        : std::make_shared<Dictionary>();
      std::vector<std::int32_t> ids(static_cast<std::size_t>(in.length));
      for (std::int64_t i = 0; i < in.length; ++i) {
        const char* s = StringAt(in, i);
        absl::StatusOr<Id> id = dict->Intern(s == nullptr ? kMissingMember : std::string_view(s));
        if (!id.ok()) return FromStatus(id.status());
        ids[static_cast<std::size_t>(i)] = *id;
      }
      PendingAttribute& a = b->Attribute(name);
      a.dictionary = std::move(dict);
      codes = Column<std::int32_t>::Own(std::move(ids));
      interned = true;
      break;
    }
    default:
      return Fail(SALESIGHT_ERR_TYPE_MISMATCH,
                  absl::StrFormat("%s column '%s': type %s is not accepted; use STRING (the "
                                  "values) or INT32/INT64 (codes, with "
                                  "salesight_table_builder_set_dictionary)",
                                  b->spec.table, in.column, TypeName(in.type)));
  }
  CommitLength(b, 0, in.column, in.length);
  PendingAttribute& a = b->Attribute(name);
  a.codes = std::move(codes);
  a.added = true;
  a.interned = interned;
  return SALESIGHT_OK;
}

// set_dictionary for "attr:<name>": the codes that INT32/INT64 values index
// (STRING values are interned after them).
salesight_status SetAttributeDictionary(Builder* b, const char* column, const char* const* codes,
                                        std::int64_t count) {
  constexpr const char* kFn = "salesight_table_builder_set_dictionary";
  std::string_view name;
  if (salesight_status st = AttributeName(b, kFn, column, &name); st != SALESIGHT_OK) return st;
  for (const PendingAttribute& a : b->attributes) {
    if (a.name == name && (a.dictionary_set || a.interned)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: the codes of %s column '%s' were already set or interned",
                                  kFn, b->spec.table, column));
    }
  }
  std::vector<std::string> list;
  list.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    if (codes[i] == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, absl::StrFormat("%s: code %d is NULL", kFn, i));
    }
    list.emplace_back(codes[i]);
  }
  absl::StatusOr<Dictionary> dict = Dictionary::FromCodes(list);
  if (!dict.ok()) return FromStatus(dict.status());
  PendingAttribute& a = b->Attribute(name);
  a.dictionary = std::make_shared<Dictionary>(*std::move(dict));
  a.dictionary_set = true;
  return SALESIGHT_OK;
}

salesight_status AddColumn(Builder* b, const char* name, salesight_type type, const void* data,
                           std::int64_t length, const std::uint8_t* validity,
                           salesight_ownership ownership) {
  constexpr const char* kFn = "salesight_table_builder_add_column";
  if (salesight_status st = CheckBuilder(b, kFn); st != SALESIGHT_OK) return st;
  if (name == nullptr) return NullArgument(kFn, "name");
  if (length < 0) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: column '%s' has a negative length %d", kFn, name, length));
  }
  if (data == nullptr && length > 0) return NullArgument(kFn, "data");
  if (ownership != SALESIGHT_BORROW && ownership != SALESIGHT_COPY) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: ownership %d is neither SALESIGHT_BORROW nor SALESIGHT_COPY",
                                kFn, ownership));
  }
  if (type < SALESIGHT_TYPE_INT32 || type > SALESIGHT_TYPE_TIMESTAMP_NS) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: column '%s' has an unknown type code %d", kFn, name, type));
  }
  Input in{b, name, type, data, length, validity, ownership == SALESIGHT_BORROW};
  const std::string_view n(name);

  // PIPELINE stage columns: "stage:<name>", nullable dates, funnel order as added.
  if (b->kind == SALESIGHT_TABLE_PIPELINE && n.substr(0, kStagePrefix.size()) == kStagePrefix) {
    std::string stage(n.substr(kStagePrefix.size()));
    if (stage.empty()) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("pipeline column '%s': the stage name is empty", name));
    }
    for (const std::string& s : b->stage_names) {
      if (s == stage) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    absl::StrFormat("pipeline column '%s' was added twice", name));
      }
    }
    if (salesight_status st = CheckLength(b, 0, name, length); st != SALESIGHT_OK) return st;
    Column<Day> dates;
    if (salesight_status st = ConvertDate(in, true, &dates); st != SALESIGHT_OK) return st;
    CommitLength(b, 0, name, length);
    b->stage_names.push_back(std::move(stage));
    b->stage_dates.push_back(std::move(dates));
    return SALESIGHT_OK;
  }

  if (IsAttributeColumn(name)) return AddAttribute(b, in);

  std::size_t index = b->spec.count;
  for (std::size_t i = 0; i < b->spec.count; ++i) {
    if (n == b->spec.fields[i].name) index = i;
  }
  if (index == b->spec.count) {
    std::string valid;
    for (std::size_t i = 0; i < b->spec.count; ++i) {
      absl::StrAppend(&valid, i ? ", " : "", b->spec.fields[i].name);
    }
    if (b->kind == SALESIGHT_TABLE_PIPELINE) absl::StrAppend(&valid, ", stage:<name>");
    if (HasAttributes(b->kind)) absl::StrAppend(&valid, ", attr:<name> (any other column)");
    return Fail(SALESIGHT_ERR_UNKNOWN_COLUMN,
                absl::StrFormat("%s has no column '%s'; its columns are: %s", b->spec.table, name,
                                valid));
  }
  const FieldSpec& f = b->spec.fields[index];
  Pending& p = b->fields[index];
  if (p.present) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s column '%s' was added twice", b->spec.table, name));
  }
  if (salesight_status st = CheckLength(b, f.group, name, length); st != SALESIGHT_OK) return st;
  Pending converted;
  salesight_status st = SALESIGHT_OK;
  if (KeepsWide(in, f)) {
    st = CheckWide(in, &converted);
  } else {
    switch (f.logical) {
      case Logical::kId: st = ConvertId(b, in, b->DomainOf(f), &converted); break;
      case Logical::kKey64: st = ConvertKey(b, in, &converted); break;
      case Logical::kInt32:
        st = (type == SALESIGHT_TYPE_INT32 || type == SALESIGHT_TYPE_INT64)
                 ? ToInt32(in, &converted.i32)
                 : in.Mismatch(Logical::kInt32);
        break;
      case Logical::kDate: st = ConvertDate(in, f.nullable, &converted.i32); break;
      case Logical::kMoney: st = ConvertMoney(b, in, f.nullable, &converted); break;
      case Logical::kText: st = ConvertText(in, f.nullable, &converted); break;
    }
  }
  if (st != SALESIGHT_OK) return st;
  CommitLength(b, f.group, name, length);
  p = std::move(converted);
  if (f.domain == kTargetKeyDomain) b->target_key_added = true;
  p.present = true;
  p.type = type;
  p.length = length;
  return SALESIGHT_OK;
}

// ----------------------------------------------------------------- finish

struct Finisher {
  Builder* b;
  Column<std::int32_t> I32(const char* name) {
    for (std::size_t i = 0; i < b->spec.count; ++i) {
      if (std::string_view(b->spec.fields[i].name) == name) return b->fields[i].i32;
    }
    return {};
  }
  Column<std::int64_t> I64(const char* name) {
    for (std::size_t i = 0; i < b->spec.count; ++i) {
      if (std::string_view(b->spec.fields[i].name) == name) return b->fields[i].i64;
    }
    return {};
  }
  std::vector<std::string> Text(const char* name) {
    for (std::size_t i = 0; i < b->spec.count; ++i) {
      if (std::string_view(b->spec.fields[i].name) == name) return std::move(b->fields[i].text);
    }
    return {};
  }
  bool Present(const char* name) const {
    for (std::size_t i = 0; i < b->spec.count; ++i) {
      if (std::string_view(b->spec.fields[i].name) == name) return b->fields[i].present;
    }
    return false;
  }
  DictionaryPtr Dict(int domain) const { return b->Final(domain); }
  // The text codes of a key column added as STRING (its ids index them), so
  // messages and outputs name the keys as given; null for numeric keys. Moved
  // out of the builder (finished: nothing reads them again), never copied.
  DictionaryPtr KeyCodes(const char* name) const {
    for (std::size_t i = 0; i < b->fields.size(); ++i) {
      if (std::string_view(b->spec.fields[i].name) == name && b->fields[i].present &&
          b->fields[i].type == SALESIGHT_TYPE_STRING) {
        return std::make_shared<salesight::Dictionary>(std::move(b->keys));
      }
    }
    return nullptr;
  }
};

bool IsIdentity(const std::vector<Id>& new_id) {
  for (std::size_t i = 0; i < new_id.size(); ++i) {
    if (new_id[i] != static_cast<Id>(i)) return false;
  }
  return true;
}

template <typename T>
void MapIds(const std::vector<Id>& new_id, Column<T>& column) {
  std::vector<T> out(column.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<T>(new_id[static_cast<std::size_t>(column[i])]);
  }
  column = Column<T>::Own(std::move(out));
}

// Ids follow the codes' canonical order (dictionary.hpp), whatever order the
// strings came in or the caller's set_dictionary listed them, because
// calculators break ties by id: each dictionary of the builder is reordered
// and the id columns of its domain remapped (ids outside the dictionary are
// left for the table checks to report). Codes shared from another table keep
// that table's ids (it is immutable), so the codes this table adds are ordered
// after them; when one of them sorts before a shared code the table cannot be
// canonical and is refused, rather than ordered by which table was built first.
absl::Status CanonicalIds(Builder* b) {
  for (int d = 0; d < kNumDomains; ++d) {
    if (!b->own[d]) continue;
    Dictionary& dict = *b->own[d];
    const Id keep = b->extends_shared[d] ? b->shared[d]->size() : 0;
    std::vector<Pending*> columns;
    std::vector<const char*> names;
    for (std::size_t i = 0; i < b->spec.count; ++i) {
      const FieldSpec& f = b->spec.fields[i];
      if (f.logical != Logical::kId || b->DomainOf(f) != d || !b->fields[i].present) continue;
      for (std::int32_t id : b->fields[i].i32) {
        if (id < 0 || id >= dict.size()) return absl::OkStatus();  // Build names the row
      }
      columns.push_back(&b->fields[i]);
      names.push_back(f.name);
    }
    const std::vector<Id> new_id = CanonicalOrder(dict, keep);
    if (!IsIdentity(new_id)) {
      for (Pending* p : columns) MapIds(new_id, p->i32);
      dict.Reorder(new_id);
    }
    Id added = kNoId;
    const absl::Status order = CheckAddedCodesInOrder(dict, keep, &added);
    if (order.ok()) continue;
    std::int64_t row = -1;
    std::size_t column = 0;
    for (std::size_t c = 0; c < columns.size() && row < 0; ++c) {
      const Column<std::int32_t>& ids = columns[c]->i32;
      for (std::size_t r = 0; r < ids.size(); ++r) {
        if (ids[r] == added) {
          row = static_cast<std::int64_t>(r);
          column = c;
          break;
        }
      }
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s row %d, column '%s': %s; build first the table holding every %s code, or give "
        "every table all of them with salesight_table_builder_set_dictionary",
        b->spec.table, row, columns.empty() ? "" : names[column], order.message(),
        kDomainNames[d]));
  }
  if (!b->keys.empty()) {
    const std::vector<Id> new_id = CanonicalOrder(b->keys);
    if (!IsIdentity(new_id)) {
      for (Pending& p : b->fields) {
        if (p.key_codes) MapIds(new_id, p.i64);
      }
      b->keys.Reorder(new_id);
    }
  }
  return absl::OkStatus();
}

// The attribute columns in canonical code order (as CanonicalIds does for the
// domains: results break ties by code). Codes outside the dictionary are left
// for the table checks to report with their row.
absl::StatusOr<Attributes> FinishAttributes(Builder* b) {
  Attributes out;
  out.reserve(b->attributes.size());
  for (PendingAttribute& a : b->attributes) {
    if (!a.added) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a dictionary was set for column '%s%s' but the column was not added",
          b->spec.table, kAttrPrefix, a.name));
    }
    if (!a.interned && !a.dictionary_set) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s column '%s%s': integer codes need their dictionary; call "
          "salesight_table_builder_set_dictionary for it, or add the values as STRING",
          b->spec.table, kAttrPrefix, a.name));
    }
    Dictionary& dict = *a.dictionary;
    bool in_range = true;
    for (std::int32_t id : a.codes) in_range &= id >= 0 && id < dict.size();
    const std::vector<Id> new_id = CanonicalOrder(dict);
    if (in_range && !IsIdentity(new_id)) {
      MapIds(new_id, a.codes);
      dict.Reorder(new_id);
    }
    out.push_back(AttributeColumn{a.name, std::move(a.codes), std::move(a.dictionary)});
  }
  return out;
}

// The builder's field `name`.
Pending& Field(Builder* b, std::string_view name) {
  for (std::size_t i = 0; i < b->spec.count; ++i) {
    if (b->spec.fields[i].name == name) return b->fields[i];
  }
  throw std::logic_error("no such field");
}

// Whether the table keeps its keys wide: both kept (a table with one of them
// narrowed gains nothing), no customer codes of its own (their canonical
// order would remap the ids: CanonicalIds), and ids whose range alone passes
// OrderLines::Build's id check (ColumnChecker::Ids: in [0, codes) or dense
// enough without codes; the kept dates' range always passes). Anything else
// is narrowed now, so that Build reads the real values: its error paths
// re-read the column to name a row, and the shadow's placeholders would not
// show the bad value (a negative id would even pass).
bool FinishKeepsWide(Builder* b) {
  if (b->kind != SALESIGHT_TABLE_ORDERS) return false;
  Pending& customer = Field(b, "customer");
  Pending& date = Field(b, "order_date");
  if (customer.wide != nullptr && date.wide != nullptr && !b->own[kCustomer]) {
    const DictionaryPtr codes = b->Final(kCustomer);
    const std::int64_t dense = std::max(kMinDenseIdSpace, kDenseIdsPerRow * customer.length);
    const Column<std::int32_t>::Range ids = customer.wide_range;
    if (ids.min >= 0 && (codes ? ids.max < codes->size() : ids.max < dense)) return true;
  }
  NarrowKept(b, customer);
  NarrowKept(b, date);
  return false;
}

absl::Status Finish(Builder* b, TableImpl* t) {
  bool wide = FinishKeepsWide(b);
  if (absl::Status st = CanonicalIds(b); !st.ok()) return st;
  absl::StatusOr<Attributes> attributes = FinishAttributes(b);
  if (!attributes.ok()) return attributes.status();
  Finisher f{b};
  t->kind = b->kind;
  const int scale = b->money_scale;
  switch (b->kind) {
    case SALESIGHT_TABLE_ORDERS: {
      OrderLinesColumns c;
      c.order_id = f.I64("order_id");
      c.orders = f.KeyCodes("order_id");
      c.line = f.I32("line");
      c.product = f.I32("product");
      c.region = f.I32("region");
      c.salesperson = f.I32("salesperson");
      c.quantity = f.I32("quantity");
      c.amount = f.I64("amount");
      c.cost = f.I64("cost");
      c.unit_cost = f.I64("unit_cost");
      if (f.Present("margin")) {
        // Exports often carry profit instead of cost: cost = amount - margin.
        if (f.Present("cost")) {
          return absl::InvalidArgumentError(
              "orders: give either column 'cost' or column 'margin', not both");
        }
        Column<Money> margin = f.I64("margin");
        absl::StatusOr<Column<Money>> cost = CostFromMargin(c.amount.span(), margin.span());
        if (!cost.ok()) return cost.status();
        c.cost = *std::move(cost);
      }
      c.channel = f.I32("channel");
      c.department = f.I32("department");
      c.money_scale = scale;
      c.customers = f.Dict(kCustomer);
      c.products = f.Dict(kProduct);
      c.regions = f.Dict(kRegion);
      c.salespeople = f.Dict(kSalesperson);
      c.channels = f.Dict(kChannel);
      c.departments = f.Dict(kDepartment);
      c.attributes = *std::move(attributes);
      absl::StatusOr<OrderLines> built = absl::UnknownError("not built");
      if (wide) {
        OrderLinesColumns shadow = c;  // shares the columns
        const std::size_t n = c.order_id.size();
        shadow.customer = Placeholder(n, Field(b, "customer").wide_range);
        shadow.order_date = Placeholder(n, Field(b, "order_date").wide_range);
        built = OrderLines::Build(std::move(shadow));
        if (!built.ok()) {
          // Another column's error (the keys' checks passed on their
          // ranges): the same from the real columns, which name its row.
          wide = false;
          NarrowKept(b, Field(b, "customer"));
          NarrowKept(b, Field(b, "order_date"));
        }
      }
      if (!wide) {
        c.order_date = f.I32("order_date");
        c.customer = f.I32("customer");
        built = OrderLines::Build(std::move(c));
      }
      if (!built.ok()) return built.status();
      // The per-line category is not an OrderLines field; check it here with
      // the same rule as the other id columns.
      Column<Id> category = f.I32("category");
      DictionaryPtr categories = f.Dict(kCategory);
      for (std::size_t i = 0; i < category.size(); ++i) {
        if (category[i] < 0 || (categories && category[i] >= categories->size())) {
          return absl::OutOfRangeError(absl::StrFormat(
              "orders row %d, column 'category': id %d is outside [0, %d)", i, category[i],
              categories ? categories->size() : std::numeric_limits<std::int32_t>::max()));
        }
      }
      if (wide) {
        const Pending& customer = Field(b, "customer");
        const Pending& date = Field(b, "order_date");
        t->wide = std::make_shared<WideOrders>();
        t->wide->shadow = *std::move(built);
        t->wide->keys = RfmWideKeys{customer.wide, date.wide};
        t->wide->ids = customer.wide_range;
        t->wide->days = date.wide_range;
        t->wide->num_threads = b->num_threads;
      } else {
        t->table = *std::move(built);
      }
      t->category = std::move(category);
      t->categories = std::move(categories);
      return absl::OkStatus();
    }
    case SALESIGHT_TABLE_CUSTOMERS: {
      CustomersColumns c;
      c.customer = f.I32("customer");
      c.name = f.Text("name");
      c.region = f.I32("region");
      c.owner = f.I32("owner");
      c.credit_limit = f.I64("credit_limit");
      c.created = f.I32("created");
      c.money_scale = scale;
      c.customers = f.Dict(kCustomer);
      c.regions = f.Dict(kRegion);
      c.salespeople = f.Dict(kSalesperson);
      c.attributes = *std::move(attributes);
      absl::StatusOr<Customers> built = Customers::Build(std::move(c));
      if (!built.ok()) return built.status();
      t->table = *std::move(built);
      return absl::OkStatus();
    }
    case SALESIGHT_TABLE_PRODUCTS: {
      ProductsColumns c;
      c.product = f.I32("product");
      c.name = f.Text("name");
      c.category = f.I32("category");
      c.standard_cost = f.I64("standard_cost");
      const bool tp = f.Present("tier_product"), tq = f.Present("tier_min_quantity"),
                 tc = f.Present("tier_unit_cost");
      if ((tp || tq || tc) && !(tp && tq && tc)) {
        return absl::InvalidArgumentError(
            "products: cost tiers need all three columns tier_product, tier_min_quantity and "
            "tier_unit_cost");
      }
      if (tp) {
        Column<Id> product = f.I32("tier_product");
        Column<std::int32_t> min_quantity = f.I32("tier_min_quantity");
        Column<Money> unit_cost = f.I64("tier_unit_cost");
        c.cost_tiers.reserve(product.size());
        for (std::size_t i = 0; i < product.size(); ++i) {
          c.cost_tiers.push_back(CostTier{product[i], min_quantity[i], unit_cost[i]});
        }
      }
      c.money_scale = scale;
      c.products = f.Dict(kProduct);
      c.categories = f.Dict(kCategory);
      c.attributes = *std::move(attributes);
      absl::StatusOr<Products> built = Products::Build(std::move(c));
      if (!built.ok()) return built.status();
      t->table = *std::move(built);
      return absl::OkStatus();
    }
    case SALESIGHT_TABLE_PIPELINE: {
      if (b->stage_names.empty()) {
        return absl::InvalidArgumentError(
            "pipeline: no stage columns; add one date column per funnel stage, named "
            "'stage:<name>', in funnel order");
      }
      PipelineColumns c;
      c.opportunity = f.I64("opportunity");
      c.customer = f.I32("customer");
      c.salesperson = f.I32("salesperson");
      c.region = f.I32("region");
      c.source = f.I32("source");
      c.amount = f.I64("amount");
      c.created = f.I32("created");
      c.stage_names = b->stage_names;
      c.stage_dates = b->stage_dates;
      c.lost_date = f.I32("lost_date");
      c.lost_reason = f.I32("lost_reason");
      c.money_scale = scale;
      c.customers = f.Dict(kCustomer);
      c.salespeople = f.Dict(kSalesperson);
      c.regions = f.Dict(kRegion);
      c.sources = f.Dict(kSource);
      c.lost_reasons = f.Dict(kLostReason);
      c.opportunities = f.KeyCodes("opportunity");
      c.attributes = *std::move(attributes);
      absl::StatusOr<Pipeline> built = Pipeline::Build(std::move(c));
      if (!built.ok()) return built.status();
      t->table = *std::move(built);
      return absl::OkStatus();
    }
    case SALESIGHT_TABLE_INVOICES: {
      InvoicesColumns c;
      c.invoice = f.I64("invoice");
      c.order = f.I64("order");
      c.customer = f.I32("customer");
      c.salesperson = f.I32("salesperson");
      c.region = f.I32("region");
      c.invoice_date = f.I32("invoice_date");
      c.due_date = f.I32("due_date");
      c.amount = f.I64("amount");
      c.paid = f.I64("paid");
      c.paid_date = f.I32("paid_date");
      c.money_scale = scale;
      c.customers = f.Dict(kCustomer);
      c.salespeople = f.Dict(kSalesperson);
      c.regions = f.Dict(kRegion);
      c.invoices = f.KeyCodes("invoice");
      c.attributes = *std::move(attributes);
      absl::StatusOr<Invoices> built = Invoices::Build(std::move(c));
      if (!built.ok()) return built.status();
      t->table = *std::move(built);
      return absl::OkStatus();
    }
    case SALESIGHT_TABLE_PAYMENTS: {
      if (!b->invoices.has_value()) {
        return absl::InvalidArgumentError(
            "payments: no invoices table; call salesight_table_builder_set_invoices first");
      }
      PaymentsColumns c;
      c.invoice_row = f.I64("invoice_row");
      c.date = f.I32("date");
      c.amount = f.I64("amount");
      c.money_scale = scale;
      absl::StatusOr<Payments> built = Payments::Build(std::move(c), *b->invoices);
      if (!built.ok()) return built.status();
      t->table = *std::move(built);
      return absl::OkStatus();
    }
    case SALESIGHT_TABLE_TARGETS: {
      TargetsColumns c;
      c.level = b->target_level;
      c.key = f.I32("key");
      c.month = f.I32("month");
      c.amount = f.I64("amount");
      c.money_scale = scale;
      if (b->target_level != TargetLevel::kCompany) {
        c.keys = f.Dict(b->target_level == TargetLevel::kRegion ? kRegion : kSalesperson);
      }
      absl::StatusOr<Targets> built = Targets::Build(std::move(c));
      if (!built.ok()) return built.status();
      t->table = *std::move(built);
      return absl::OkStatus();
    }
    default: return absl::InternalError("unknown table kind");
  }
}

}  // namespace

void EnsureNarrowed(const TableImpl& t) {
  if (!t.wide) return;
  WideOrders& w = *t.wide;
  std::call_once(w.narrowed, [&] {
    OrderLinesColumns c = w.shadow.columns();
    const std::size_t n = w.shadow.size();
    c.customer = Narrowed(Narrowing::kIds, w.keys.customer, n, w.num_threads, w.ids);
    c.order_date = Narrowed(Narrowing::kDays, w.keys.order_date_ns, n, w.num_threads, w.days);
    absl::StatusOr<OrderLines> built = OrderLines::Build(std::move(c));
    if (!built.ok()) {  // the shadow passed the same checks
      throw std::runtime_error("narrowing a kept-wide orders table: " +
                               std::string(built.status().message()));
    }
    // The handle is const to its readers, who all come through here first.
    const_cast<TableImpl&>(t).table = *std::move(built);
  });
}

DictionaryPtr TableDictionary(const TableImpl& t, std::string_view domain) {
  struct Visitor {
    std::string_view d;
    DictionaryPtr operator()(const std::monostate&) const { return nullptr; }
    DictionaryPtr operator()(const OrderLines& o) const {
      const OrderLinesColumns& c = o.columns();
      if (d == "customer") return c.customers;
      if (d == "product") return c.products;
      if (d == "region") return c.regions;
      if (d == "salesperson") return c.salespeople;
      if (d == "channel") return c.channels;
      if (d == "department") return c.departments;
      return nullptr;
    }
    DictionaryPtr operator()(const Customers& o) const {
      const CustomersColumns& c = o.columns();
      if (d == "customer") return c.customers;
      if (d == "region") return c.regions;
      if (d == "salesperson") return c.salespeople;
      return nullptr;
    }
    DictionaryPtr operator()(const Products& o) const {
      const ProductsColumns& c = o.columns();
      if (d == "product") return c.products;
      if (d == "category") return c.categories;
      return nullptr;
    }
    DictionaryPtr operator()(const Pipeline& o) const {
      const PipelineColumns& c = o.columns();
      if (d == "customer") return c.customers;
      if (d == "salesperson") return c.salespeople;
      if (d == "region") return c.regions;
      if (d == "source") return c.sources;
      if (d == "lost_reason") return c.lost_reasons;
      return nullptr;
    }
    DictionaryPtr operator()(const Invoices& o) const {
      const InvoicesColumns& c = o.columns();
      if (d == "customer") return c.customers;
      if (d == "salesperson") return c.salespeople;
      if (d == "region") return c.regions;
      return nullptr;
    }
    DictionaryPtr operator()(const Payments&) const { return nullptr; }
    DictionaryPtr operator()(const Targets& o) const {
      const TargetsColumns& c = o.columns();
      if (c.level == TargetLevel::kSalesperson && d == "salesperson") return c.keys;
      if (c.level == TargetLevel::kRegion && d == "region") return c.keys;
      return nullptr;
    }
  };
  if (domain == "category" && t.categories) return t.categories;
  // A kept-wide table's codes are its shadow's: no need to narrow it.
  if (t.wide) return Visitor{domain}(t.wide->shadow);
  return std::visit(Visitor{domain}, t.table);
}

}  // namespace salesight::capi

using salesight::capi::Fail;
using salesight::capi::Guard;
using salesight::capi::FieldSpec;
using salesight::capi::Impl;
using salesight::capi::Logical;
using salesight::capi::NullArgument;

extern "C" {

salesight_status salesight_table_builder_create(salesight_table_kind kind,
                                                salesight_table_builder** out) {
  return Guard([&]() -> salesight_status {
    if (out == nullptr) return NullArgument("salesight_table_builder_create", "out");
    *out = nullptr;
    std::optional<salesight::capi::Spec> spec = salesight::capi::SpecOf(kind);
    if (!spec) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("salesight_table_builder_create: %d is not a "
                                  "SALESIGHT_TABLE_* kind",
                                  kind));
    }
    auto b = std::make_unique<salesight::capi::BuilderImpl>();
    b->kind = kind;
    b->spec = *spec;
    b->fields.resize(spec->count);
    *out = salesight::capi::ToHandle(b.release());
    return SALESIGHT_OK;
  });
}

void salesight_table_builder_destroy(salesight_table_builder* builder) {
  delete salesight::capi::Impl(builder);
}

salesight_status salesight_table_builder_set_money_scale(salesight_table_builder* builder,
                                                         int32_t money_scale) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_set_money_scale";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (money_scale < 0 || money_scale > salesight::kMaxMoneyScale) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: money scale %d is outside 0..%d", kFn, money_scale,
                                  salesight::kMaxMoneyScale));
    }
    if (Impl(builder)->float_money_added && money_scale != Impl(builder)->money_scale) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: FLOAT64 money columns were already converted at scale "
                                  "%d; set the scale before adding them",
                                  kFn, Impl(builder)->money_scale));
    }
    Impl(builder)->money_scale = money_scale;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_set_num_threads(salesight_table_builder* builder,
                                                         int32_t num_threads) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_set_num_threads";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (num_threads < 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: num_threads %d is negative (0 = one per hardware "
                                  "thread)",
                                  kFn, num_threads));
    }
    int threads = num_threads;
    if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    Impl(builder)->num_threads = threads;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_set_keep_wide(salesight_table_builder* builder,
                                                      int32_t keep) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_set_keep_wide";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (keep != 0 && keep != 1) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: keep must be 0 or 1, got %d", kFn, keep));
    }
    Impl(builder)->keep_wide = keep != 0;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_add_column(salesight_table_builder* builder,
                                                    const char* name, salesight_type type,
                                                    const void* data, int64_t length,
                                                    const uint8_t* validity,
                                                    salesight_ownership ownership) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::AddColumn(Impl(builder), name, type, data, length, validity, ownership);
  });
}

salesight_status salesight_table_builder_set_dictionary(salesight_table_builder* builder,
                                                        const char* column,
                                                        const char* const* codes,
                                                        int64_t count) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_set_dictionary";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (column == nullptr) return NullArgument(kFn, "column");
    if (codes == nullptr && count > 0) return NullArgument(kFn, "codes");
    if (count < 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: negative count %d", kFn, count));
    }
    if (salesight::capi::IsAttributeColumn(column)) {
      return salesight::capi::SetAttributeDictionary(Impl(builder), column, codes, count);
    }
    const FieldSpec* field = nullptr;
    for (std::size_t i = 0; i < Impl(builder)->spec.count; ++i) {
      if (std::string_view(Impl(builder)->spec.fields[i].name) == column) field = &Impl(builder)->spec.fields[i];
    }
    if (field == nullptr) {
      return Fail(SALESIGHT_ERR_UNKNOWN_COLUMN,
                  absl::StrFormat("%s: %s has no column '%s'", kFn, Impl(builder)->spec.table, column));
    }
    if (field->logical != Logical::kId) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: %s column '%s' is not an id column", kFn,
                                  Impl(builder)->spec.table, column));
    }
    const int domain = Impl(builder)->DomainOf(*field);
    if (Impl(builder)->own[domain]) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: the %s codes of %s were already set or interned", kFn,
                                  salesight::capi::kDomainNames[domain], Impl(builder)->spec.table));
    }
    std::vector<std::string> list;
    list.reserve(static_cast<std::size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      if (codes[i] == nullptr) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    absl::StrFormat("%s: code %d is NULL", kFn, i));
      }
      list.emplace_back(codes[i]);
    }
    absl::StatusOr<salesight::Dictionary> dict = salesight::Dictionary::FromCodes(list);
    if (!dict.ok()) return salesight::capi::FromStatus(dict.status());
    Impl(builder)->own[domain] = std::make_shared<salesight::Dictionary>(*std::move(dict));
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_share_dictionaries(salesight_table_builder* builder,
                                                            const salesight_table* from) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_share_dictionaries";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (from == nullptr) return NullArgument(kFn, "from");
    for (int d = 0; d < salesight::capi::kNumDomains; ++d) {
      salesight::DictionaryPtr dict =
          salesight::capi::TableDictionary(*Impl(from), salesight::capi::kDomainNames[d]);
      if (!dict) continue;
      if (Impl(builder)->own[d]) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    absl::StrFormat("%s: %s codes were already added to this builder; share "
                                    "dictionaries before adding string columns",
                                    kFn, salesight::capi::kDomainNames[d]));
      }
      Impl(builder)->shared[d] = std::move(dict);
    }
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_set_invoices(salesight_table_builder* builder,
                                                      const salesight_table* invoices) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_set_invoices";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (Impl(builder)->kind != SALESIGHT_TABLE_PAYMENTS) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: only a payments builder takes an invoices table", kFn));
    }
    const salesight::Invoices* inv = nullptr;
    if (salesight_status st = salesight::capi::TableAs(invoices, kFn, "invoices", &inv);
        st != SALESIGHT_OK) {
      return st;
    }
    Impl(builder)->invoices = *inv;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_set_target_level(salesight_table_builder* builder,
                                                          int32_t level) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_set_target_level";
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    if (Impl(builder)->kind != SALESIGHT_TABLE_TARGETS) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: only a targets builder has a level", kFn));
    }
    if (Impl(builder)->target_key_added) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: set the level before adding the 'key' column", kFn));
    }
    switch (level) {
      case SALESIGHT_TARGET_SALESPERSON:
        Impl(builder)->target_level = salesight::TargetLevel::kSalesperson;
        break;
      case SALESIGHT_TARGET_REGION: Impl(builder)->target_level = salesight::TargetLevel::kRegion; break;
      case SALESIGHT_TARGET_COMPANY:
        Impl(builder)->target_level = salesight::TargetLevel::kCompany;
        break;
      default:
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    absl::StrFormat("%s: %d is not a SALESIGHT_TARGET_* level", kFn, level));
    }
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_builder_finish(salesight_table_builder* builder,
                                                salesight_table** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_table_builder_finish";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (salesight_status st = salesight::capi::CheckBuilder(Impl(builder), kFn); st != SALESIGHT_OK) {
      return st;
    }
    Impl(builder)->finished = true;
    auto table = std::make_unique<salesight::capi::TableImpl>();
    absl::Status st = salesight::capi::Finish(Impl(builder), table.get());
    if (!st.ok()) return salesight::capi::FromStatus(st);
    *out = salesight::capi::ToHandle(table.release());
    return SALESIGHT_OK;
  });
}

void salesight_table_destroy(salesight_table* table) { delete salesight::capi::Impl(table); }

salesight_status salesight_table_kind_of(const salesight_table* table, salesight_table_kind* out) {
  return Guard([&]() -> salesight_status {
    if (table == nullptr) return NullArgument("salesight_table_kind_of", "table");
    if (out == nullptr) return NullArgument("salesight_table_kind_of", "out");
    *out = Impl(table)->kind;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_num_rows(const salesight_table* table, int64_t* out) {
  return Guard([&]() -> salesight_status {
    if (table == nullptr) return NullArgument("salesight_table_num_rows", "table");
    if (out == nullptr) return NullArgument("salesight_table_num_rows", "out");
    if (const auto& wide = Impl(table)->wide) {
      *out = static_cast<int64_t>(wide->shadow.size());
      return SALESIGHT_OK;
    }
    *out = std::visit(
        [](const auto& t) -> int64_t {
          if constexpr (std::is_same_v<std::decay_t<decltype(t)>, std::monostate>) {
            return 0;
          } else {
            return static_cast<int64_t>(t.size());
          }
        },
        Impl(table)->table);
    return SALESIGHT_OK;
  });
}

salesight_status salesight_table_money_scale(const salesight_table* table, int32_t* out) {
  return Guard([&]() -> salesight_status {
    if (table == nullptr) return NullArgument("salesight_table_money_scale", "table");
    if (out == nullptr) return NullArgument("salesight_table_money_scale", "out");
    if (const auto& wide = Impl(table)->wide) {
      *out = wide->shadow.money_scale();
      return SALESIGHT_OK;
    }
    *out = std::visit(
        [](const auto& t) -> int32_t {
          using T = std::decay_t<decltype(t)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return salesight::kDefaultMoneyScale;
          } else {
            return t.columns().money_scale;
          }
        },
        Impl(table)->table);
    return SALESIGHT_OK;
  });
}

}  // extern "C"
