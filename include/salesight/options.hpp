// Declared options: a calculator says each of its options once - name, type,
// default, allowed values, one line of documentation, and how a value sets
// its C++ options struct - and every surface derives from that declaration:
// the CLI's flags, their --help and their parsing; the README's options table
// (`salesight options NAME --markdown`); the Python keyword arguments are
// checked against it (`salesight options NAME --json`, a test fails on drift).
// The C ABI keeps its hand-written typed structs: they are the ABI promise.
//
// Text forms (the CLI, the JSON description): kInt decimal ("1e6" allowed);
// kDouble decimal; kDate YYYY-MM-DD; kBool true|false (a CLI flag without a
// value is true; CliFalse: the flag sets false); kChoice one of `allowed`
// ('-' and '_' match each other: --compare last-year, compare="last_year");
// kText any (a declaration's `check` may restrict it); kIntList /
// kDoubleList comma-separated. A default of "" means none (e.g. as_of:
// derived from the data).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/date.hpp"

namespace salesight {

enum class OptionType : std::uint8_t { kInt, kDouble, kDate, kBool, kChoice, kText, kIntList, kDoubleList };

std::string_view OptionTypeName(OptionType type);  // "int", "double", "date", ...

// What every surface shows of an option.
struct OptionInfo {
  std::string_view name;        // snake_case: the Python keyword; CLI flag = name with '-'
  OptionType type = OptionType::kText;
  std::string_view default_value;  // text form; "" = none (derived from the data)
  std::string_view allowed;        // kChoice: "orders|days"; kText: the value's form ("KEY,..."), may be ""
  std::string_view doc;            // one line
  std::int64_t min = std::numeric_limits<std::int64_t>::min();  // kInt / kIntList bounds
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  double dmin = -std::numeric_limits<double>::infinity();  // kDouble bounds (inclusive)
  double dmax = std::numeric_limits<double>::infinity();
  std::string_view cli_flag;  // "" = name with '-'; set only where an older flag name is kept
  // kBool with a default of true: the CLI flag (cli_flag) sets it to false,
  // with this help (e.g. --explicit-stages-only for implied_reached).
  bool cli_sets_false = false;
  std::string_view cli_help;

  constexpr OptionInfo Range(std::int64_t lo, std::int64_t hi) const {
    OptionInfo o = *this;
    o.min = lo;
    o.max = hi;
    return o;
  }
  constexpr OptionInfo Between(double lo, double hi) const {
    OptionInfo o = *this;
    o.dmin = lo;
    o.dmax = hi;
    return o;
  }
  constexpr OptionInfo Cli(std::string_view flag) const {
    OptionInfo o = *this;
    o.cli_flag = flag;
    return o;
  }
  constexpr OptionInfo CliFalse(std::string_view flag, std::string_view help) const {
    OptionInfo o = *this;
    o.cli_flag = flag;
    o.cli_sets_false = true;
    o.cli_help = help;
    return o;
  }
};

// Option("k", OptionType::kInt, "5", "", "number of score levels").Range(1, 60)
constexpr OptionInfo Option(std::string_view name, OptionType type, std::string_view default_value,
                            std::string_view allowed, std::string_view doc) {
  OptionInfo o;
  o.name = name;
  o.type = type;
  o.default_value = default_value;
  o.allowed = allowed;
  o.doc = doc;
  return o;
}

// num_threads, which every calculator declares alike (the CLI's --threads,
// shared by every command, defaults to 0 = at most one per core). Either way
// the count is a maximum: core/internal/parallel.hpp ThreadsForRows takes one
// thread per 2^18 input lines - 2^21 for RFM and margin, whose per-thread
// states are merged - so a small input runs on one.
constexpr OptionInfo ThreadsOption() {
  return Option("num_threads", OptionType::kInt, "1", "",
                "most threads (0 = one per core); one per 2^18 input lines, 2^21 for RFM and "
                "margin, so small inputs use one; the CLI's --threads defaults to 0")
      .Range(0, 1024)
      .Cli("threads");
}

// A parsed value (the field of the option's type is set).
struct OptionValue {
  std::int64_t integer = 0;
  double number = 0;
  Day date = kNoDate;
  bool flag = false;
  std::string text;  // kChoice, kText
  std::vector<std::int64_t> integers;
  std::vector<double> numbers;
};

// An option of the options struct O: its description, how a checked value
// sets it (a captureless lambda) and, for a text whose grammar is its own
// (a grain, a grouping), the check of that grammar (null = none).
template <typename O>
struct OptionDecl {
  OptionInfo info;
  void (*apply)(O& options, const OptionValue& value);
  absl::Status (*check)(const OptionValue& value) = nullptr;
};

// Parses and checks `text` (type, range, allowed values). Errors name the
// option and list what is allowed.
absl::StatusOr<OptionValue> ParseOptionValue(const OptionInfo& info, std::string_view text);

// The option's CLI flag name: cli_flag, else name with '_' -> '-'.
std::string CliFlag(const OptionInfo& info);

// The README table: | option | type | default | allowed | meaning |.
std::string OptionsMarkdown(absl::Span<const OptionInfo> options);
// [{"name":..., "type":..., "default":..., "allowed":..., "min":..., "max":...,
//   "cli":..., "cli_sets_false":..., "doc":...}]; min/max are the kInt / kIntList
// bounds, or the kDouble bounds (null = unbounded), else null.
std::string OptionsJson(absl::Span<const OptionInfo> options);

template <typename O>
std::vector<OptionInfo> InfosOf(absl::Span<const OptionDecl<O>> decls) {
  std::vector<OptionInfo> out;
  for (const OptionDecl<O>& d : decls) out.push_back(d.info);
  return out;
}

// Sets option `name` of `options` from text, or fails naming it (an unknown
// name lists the declared ones).
template <typename O>
absl::Status SetOption(absl::Span<const OptionDecl<O>> decls, O& options, std::string_view name,
                       std::string_view text);

// ---------------------------------------------------------------- implementation
absl::Status UnknownOption(std::string_view name, absl::Span<const OptionInfo> options);
// "option NAME: <the check's message>" (it names the value).
absl::Status OptionError(const OptionInfo& info, std::string_view text, const absl::Status& why);

template <typename O>
absl::Status SetOption(absl::Span<const OptionDecl<O>> decls, O& options, std::string_view name,
                       std::string_view text) {
  for (const OptionDecl<O>& d : decls) {
    if (d.info.name != name) continue;
    absl::StatusOr<OptionValue> v = ParseOptionValue(d.info, text);
    if (!v.ok()) return v.status();
    if (d.check != nullptr) {
      if (absl::Status st = d.check(*v); !st.ok()) return OptionError(d.info, text, st);
    }
    d.apply(options, *v);
    return absl::OkStatus();
  }
  const std::vector<OptionInfo> infos = InfosOf(decls);
  return UnknownOption(name, infos);
}

}  // namespace salesight
