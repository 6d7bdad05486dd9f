// The C++ side of the opaque handles in salesight.h, and helpers shared by the
// extern "C" shims. Nothing here is API: it never leaves libsalesight.so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "salesight.h"
#include "salesight/calculator.hpp"
#include "salesight/column.hpp"
#include "salesight/dataset.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/result_table.hpp"
#include "salesight/rfm_wide.hpp"
#include "salesight/tables.hpp"

namespace salesight::capi {

// The handles of salesight.h are incomplete types that are never defined:
// each points to one of the *Impl structs below (reinterpret_cast both ways,
// never dereferenced as the handle type). So the opaque types stay opaque
// even in the library's debug information, and the ABI description abidw
// extracts (tests/capi/abi) holds salesight.h's types only.
#define SALESIGHT_CAPI_HANDLE(HandleType, ImplType)                                          \
  inline ImplType* Impl(HandleType* h) { return reinterpret_cast<ImplType*>(h); }             \
  inline const ImplType* Impl(const HandleType* h) {                                         \
    return reinterpret_cast<const ImplType*>(h);                                             \
  }                                                                                          \
  inline HandleType* ToHandle(ImplType* p) { return reinterpret_cast<HandleType*>(p); }

// An ORDERS table built with salesight_table_builder_set_keep_wide whose
// customer and order_date columns were kept as the caller's int64 ids and ns
// timestamps, checked but not narrowed (table_builder.cpp). salesight_rfm_compute
// scans them through ComputeRfmWide; every other use narrows them first, once
// (EnsureNarrowed).
struct WideOrders {
  // Built from the table's columns with placeholders of the right length and
  // checked range for customer and order_date: only ComputeRfmWide, which
  // never reads those two, may be given it.
  salesight::OrderLines shadow;
  salesight::RfmWideKeys keys;
  salesight::Column<std::int32_t>::Range ids, days;  // of the narrowed values
  int num_threads = 1;  // the builder's, for the narrowing
  std::once_flag narrowed;
};

// One immutable table of any kind. Copying a salesight:: table is cheap (its
// columns are shared or borrowed), so handles own their table by value.
struct TableImpl {
  salesight_table_kind kind = 0;
  std::variant<std::monostate, salesight::OrderLines, salesight::Customers, salesight::Products,
               salesight::Pipeline, salesight::Invoices, salesight::Payments, salesight::Targets>
      table;
  // ORDERS only: per-line product category (from a "category" column or a CSV
  // mapping); empty when unknown. Kept beside OrderLines, which has no such field.
  salesight::Column<salesight::Id> category;
  salesight::DictionaryPtr categories;
  // Kept wide (ORDERS only): `table` is empty until EnsureNarrowed fills it.
  std::shared_ptr<WideOrders> wide;
};

// Makes a kept-wide table's `table` (narrows its key columns, once, thread
// safe); nothing for any other table. Every reader of TableImpl::table but
// the wide RFM scan (rfm_capi.cpp) calls it first. Throws on failure (the
// Guard reports it).
void EnsureNarrowed(const TableImpl& table);

struct ResultImpl {
  salesight::ResultTable table;
  // The data problems the calculator found (salesight_result_problems makes
  // their table on request); empty for results without any.
  salesight::DataProblems problems;
  // Per column: the decimal text of an encoded column without labels, made on
  // the first salesight_result_column_string call (results are shared across
  // threads, so once per column) and kept until destroy like every pointer.
  struct DecimalText {
    absl::once_flag once;
    std::vector<std::string> values;
  };
  std::unique_ptr<DecimalText[]> decimal_text;
};

SALESIGHT_CAPI_HANDLE(salesight_table, TableImpl)
SALESIGHT_CAPI_HANDLE(salesight_result, ResultImpl)

struct DatasetImpl {
  DatasetTables tables;
  Dataset data;  // Build(tables), rebuilt on every add
};
SALESIGHT_CAPI_HANDLE(salesight_dataset, DatasetImpl)
// The dataset a salesight_dataset handle holds (dataset_capi.cpp); for
// composites (the dashboard) that read a dataset made there.
const salesight::Dataset& DatasetOf(const salesight_dataset* handle);

// Declared options given as text by name (salesight_calculator_run,
// salesight_calculator_partial, salesight_partial_finish): checks the counts
// and NULLs, naming `fn`.
salesight_status ReadOptionSettings(const char* fn, const char* const* option_names,
                                    const char* const* option_values, int32_t num_options,
                                    std::vector<std::pair<std::string, std::string>>* out);
// The table `output` (NULL = the first declared) of a ResultSet-like run of
// calculator `calculator` as a new result handle with the run's problems.
salesight_status ResultOutput(const char* fn, std::string_view calculator, ResultSet result,
                              const char* output, salesight_result** out);

// Wraps a finished ResultTable into a new handle (validated first), with the
// data problems the calculator found: every compute attaches them this way.
salesight_status NewResult(ResultTable table, salesight_result** out);
salesight_status NewResult(ResultTable table, DataProblems problems, salesight_result** out);

// Every dictionary a table carries, by domain name ("customer", "product",
// "region", "salesperson", "channel", "department", "category", "source",
// "lost_reason"); null where absent.
DictionaryPtr TableDictionary(const TableImpl& table, std::string_view domain);

// No options struct will ever be this large: a garbage struct_size
// (uninitialised memory, a wrong argument) must not make the library read or
// write far into the caller's memory.
inline constexpr std::size_t kMaxOptionsStructSize = std::size_t{1} << 16;

// Copies a caller's option struct over `*out` (pre-filled with defaults),
// following the struct_size rules of salesight.h: NULL = defaults, smaller =
// the known prefix, larger = accepted only when the unknown tail is all zero.
template <typename T>
salesight_status ReadOptions(const T* in, T* out, const char* what) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->struct_size = static_cast<std::uint32_t>(sizeof(T));
  if (in == nullptr) return SALESIGHT_OK;
  const std::uint32_t size = in->struct_size;
  if (size < sizeof(std::uint32_t) || size > kMaxOptionsStructSize) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s.struct_size = %u is not a valid size (this library's "
                                "struct is %u bytes); initialise the struct with its _INIT "
                                "macro or init function",
                                what, size, sizeof(T)));
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  for (std::size_t i = sizeof(T); i < size; ++i) {
    if (bytes[i] != 0) {
      return Fail(SALESIGHT_ERR_UNSUPPORTED,
                  absl::StrFormat("%s: byte %u is set, but this library (version %s) knows "
                                  "only the first %u bytes of the struct: the option comes "
                                  "from a newer salesight",
                                  what, i, SALESIGHT_VERSION_STRING, sizeof(T)));
    }
  }
  std::memcpy(static_cast<void*>(out), in, size < sizeof(T) ? size : sizeof(T));
  out->struct_size = static_cast<std::uint32_t>(sizeof(T));
  return SALESIGHT_OK;
}

inline salesight_status NullArgument(const char* function, const char* argument) {
  return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
              absl::StrFormat("%s: argument '%s' is NULL", function, argument));
}

// The body of every salesight_*_options_init(options, struct_size): the
// caller's struct is `struct_size` bytes (its sizeof, from the header it was
// compiled against), which may be shorter (an older header) or longer (a newer
// one) than this library's. Writes exactly those bytes and never one beyond:
// the defaults of the fields both know, zeros in a tail only the caller knows
// (ReadOptions accepts a zero tail), and struct_size = the caller's size (so
// ReadOptions reads only those bytes). The struct is handled as bytes: the
// caller's object may be too short to be accessed as an Options.
template <typename Options>
salesight_status InitOptions(const char* function, Options* options, std::size_t struct_size,
                             Options (*defaults)()) {
  static_assert(std::is_trivially_copyable_v<Options> && std::is_standard_layout_v<Options>);
  static_assert(offsetof(Options, struct_size) == 0 &&
                std::is_same_v<decltype(Options::struct_size), std::uint32_t>);
  return Guard([&]() -> salesight_status {
    if (options == nullptr) return NullArgument(function, "options");
    if (struct_size < sizeof(std::uint32_t) || struct_size > kMaxOptionsStructSize) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: struct_size = %u is not a valid size (this library's "
                                  "struct is %u bytes); pass sizeof of your struct",
                                  function, struct_size, sizeof(Options)));
    }
    const Options d = defaults();
    const std::size_t known = struct_size < sizeof(Options) ? struct_size : sizeof(Options);
    auto* bytes = reinterpret_cast<unsigned char*>(options);
    std::memcpy(bytes, &d, known);
    std::memset(bytes + known, 0, struct_size - known);
    const auto size = static_cast<std::uint32_t>(struct_size);
    std::memcpy(bytes, &size, sizeof size);
    return SALESIGHT_OK;
  });
}

// Gets the salesight:: table of kind T out of a handle, or fails naming the
// function and the expected kind.
template <typename T>
salesight_status TableAs(const salesight_table* handle, const char* function, const char* argument,
                         const T** out) {
  if (handle == nullptr) return NullArgument(function, argument);
  EnsureNarrowed(*Impl(handle));
  const T* t = std::get_if<T>(&Impl(handle)->table);
  if (t == nullptr) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: argument '%s' is not the right table kind (kind %d)",
                                function, argument, Impl(handle)->kind));
  }
  *out = t;
  return SALESIGHT_OK;
}

}  // namespace salesight::capi
