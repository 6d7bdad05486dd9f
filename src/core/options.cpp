#include "salesight/options.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/json.hpp"
#include "salesight/names.hpp"

namespace salesight {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

absl::Status Bad(const OptionInfo& info, std::string_view text, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrFormat("option %s: '%s' %s", info.name, text, what));
}

// An integer in full; "1e6"-style shorthand for whole numbers.
bool ParseInt(std::string_view text, std::int64_t* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (ec == std::errc() && end == text.data() + text.size()) return true;
  double d = 0;
  const auto [end2, ec2] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec2 != std::errc() || end2 != text.data() + text.size() || !std::isfinite(d) ||
      d != std::floor(d) || std::fabs(d) > 9e15) {
    return false;
  }
  *out = static_cast<std::int64_t>(d);
  return true;
}

bool ParseDouble(std::string_view text, double* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(*out);
}

absl::Status CheckRange(const OptionInfo& info, std::string_view text, std::int64_t v) {
  if (v < info.min || v > info.max) {
    return Bad(info, text, absl::StrFormat("is outside %d..%d", info.min, info.max));
  }
  return absl::OkStatus();
}

bool DoubleBounded(const OptionInfo& info) {
  return std::isfinite(info.dmin) || std::isfinite(info.dmax);
}

// "0..1", "0.." or "..1".
std::string DoubleRange(const OptionInfo& info) {
  auto bound = [](double b) { return std::isfinite(b) ? absl::StrFormat("%g", b) : std::string(); };
  return bound(info.dmin) + ".." + bound(info.dmax);
}

absl::Status CheckDouble(const OptionInfo& info, std::string_view text, double v) {
  if (v < info.dmin || v > info.dmax) {
    return Bad(info, text, absl::StrFormat("is outside %s", DoubleRange(info)));
  }
  return absl::OkStatus();
}

// '-' and '_' are one character in a choice: the CLI's last-year is Python's
// last_year.
bool SameChoice(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] == '-' ? '_' : a[i];
    const char y = b[i] == '-' ? '_' : b[i];
    if (x != y) return false;
  }
  return true;
}

// "option lang must be en or zh, not 'fr'" (a CLI flag's error replaces
// "option lang" by "--lang").
absl::Status BadChoice(const OptionInfo& info, std::string_view text) {
  const std::vector<std::string_view> choices = SplitNames(info.allowed, '|');
  std::string list;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) list += i + 1 == choices.size() ? " or " : ", ";
    list += std::string(choices[i]);
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("option %s must be %s, not '%s'", info.name, list, text));
}


}  // namespace

std::string_view OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kInt: return "int";
    case OptionType::kDouble: return "double";
    case OptionType::kDate: return "date";
    case OptionType::kBool: return "bool";
    case OptionType::kChoice: return "choice";
    case OptionType::kText: return "text";
    case OptionType::kIntList: return "int list";
    case OptionType::kDoubleList: return "double list";
  }
  return "?";
}

absl::StatusOr<OptionValue> ParseOptionValue(const OptionInfo& info, std::string_view text) {
  OptionValue v;
  const std::string_view t = Trim(text);
  switch (info.type) {
    case OptionType::kInt:
      if (!ParseInt(t, &v.integer)) return Bad(info, text, "is not a whole number");
      if (absl::Status st = CheckRange(info, text, v.integer); !st.ok()) return st;
      return v;
    case OptionType::kDouble:
      if (!ParseDouble(t, &v.number)) return Bad(info, text, "is not a number");
      if (absl::Status st = CheckDouble(info, text, v.number); !st.ok()) return st;
      return v;
    case OptionType::kDate: {
      absl::StatusOr<Day> d = ParseDate(t, DateFormat::kIso);
      if (!d.ok()) return Bad(info, text, "is not a date YYYY-MM-DD");
      v.date = *d;
      return v;
    }
    case OptionType::kBool:
      if (t == "true" || t == "1") {
        v.flag = true;
      } else if (t != "false" && t != "0") {
        return Bad(info, text, "is not true or false");
      }
      return v;
    case OptionType::kChoice:
      for (std::string_view c : SplitNames(info.allowed, '|')) {
        if (SameChoice(t, c)) {
          v.text = std::string(c);  // the declared spelling
          return v;
        }
      }
      return BadChoice(info, text);
    case OptionType::kText:
      v.text = std::string(text);
      return v;
    case OptionType::kIntList:
      for (std::string_view part : SplitNames(t)) {
        std::int64_t x = 0;
        if (!ParseInt(part, &x)) return Bad(info, part, "is not a whole number");
        if (absl::Status st = CheckRange(info, part, x); !st.ok()) return st;
        v.integers.push_back(x);
      }
      return v;
    case OptionType::kDoubleList:
      for (std::string_view part : SplitNames(t)) {
        double x = 0;
        if (!ParseDouble(part, &x)) return Bad(info, part, "is not a number");
        if (absl::Status st = CheckDouble(info, part, x); !st.ok()) return st;
        v.numbers.push_back(x);
      }
      return v;
  }
  return Bad(info, text, "has an unknown type");
}

std::string CliFlag(const OptionInfo& info) {
  if (!info.cli_flag.empty()) return std::string(info.cli_flag);
  std::string out(info.name);
  for (char& c : out) {
    if (c == '_') c = '-';
  }
  return out;
}

std::string OptionsMarkdown(absl::Span<const OptionInfo> options) {
  std::string out = "| option | CLI flag | type | default | allowed | meaning |\n|---|---|---|---|---|---|\n";
  for (const OptionInfo& o : options) {
    std::string allowed(o.allowed);
    if (o.type == OptionType::kInt || o.type == OptionType::kIntList) {
      if (o.min != std::numeric_limits<std::int64_t>::min() ||
          o.max != std::numeric_limits<std::int64_t>::max()) {
        allowed = absl::StrFormat("%d..%d", o.min, o.max);
      }
    }
    if ((o.type == OptionType::kDouble || o.type == OptionType::kDoubleList) && DoubleBounded(o)) {
      allowed = DoubleRange(o);
    }
    // '|' separates choices but also table cells: escaped.
    auto cell = [](std::string_view text) {
      std::string escaped;
      for (const char c : text) {
        if (c == '|') escaped += '\\';
        escaped += c;
      }
      return escaped;
    };
    absl::StrAppendFormat(&out, "| `%s` | `--%s`%s | %s | %s | %s | %s |\n", o.name, CliFlag(o),
                          o.cli_sets_false ? " (sets false)" : "",
                          OptionTypeName(o.type),
                          o.default_value.empty() ? std::string("none")
                                                  : absl::StrFormat("`%s`", o.default_value),
                          cell(allowed), cell(o.doc));
  }
  return out;
}

std::string OptionsJson(absl::Span<const OptionInfo> options) {
  std::vector<std::string> items;
  for (const OptionInfo& o : options) {
    std::string min = "null", max = "null";
    if (o.type == OptionType::kInt || o.type == OptionType::kIntList) {
      min = absl::StrFormat("%d", o.min);
      max = absl::StrFormat("%d", o.max);
    } else if (o.type == OptionType::kDouble || o.type == OptionType::kDoubleList) {
      if (std::isfinite(o.dmin)) min = absl::StrFormat("%.17g", o.dmin);
      if (std::isfinite(o.dmax)) max = absl::StrFormat("%.17g", o.dmax);
    }
    items.push_back(absl::StrFormat(
        "{\"name\": %s, \"type\": %s, \"default\": %s, \"allowed\": %s, \"min\": %s, \"max\": %s, "
        "\"cli\": %s, \"cli_sets_false\": %s, \"doc\": %s}",
        JsonQuote(o.name), JsonQuote(OptionTypeName(o.type)), JsonQuote(o.default_value),
        JsonQuote(o.allowed), min, max, JsonQuote(CliFlag(o)),
        o.cli_sets_false ? "true" : "false", JsonQuote(o.doc)));
  }
  return "[\n  " + absl::StrJoin(items, ",\n  ") + "\n]\n";
}

absl::Status UnknownOption(std::string_view name, absl::Span<const OptionInfo> options) {
  std::vector<std::string> names;
  for (const OptionInfo& o : options) names.emplace_back(o.name);
  return absl::InvalidArgumentError(absl::StrFormat("'%s' is not an option; the options are %s",
                                                    name, absl::StrJoin(names, ", ")));
}

absl::Status OptionError(const OptionInfo& info, std::string_view text, const absl::Status& why) {
  (void)text;  // the check's message names the value (a grain, a dimension) itself
  return absl::InvalidArgumentError(
      absl::StrFormat("option %s: %s", info.name, std::string(why.message())));
}

}  // namespace salesight
