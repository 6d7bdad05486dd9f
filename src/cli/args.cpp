#include "internal/args.hpp"

#include <cctype>
#include <charconv>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/names.hpp"

namespace salesight::cli {

FlagSpec FlagSpec::Range(std::int64_t min, std::int64_t max) const {
  FlagSpec f = *this;
  f.range = {min, max};
  return f;
}
FlagSpec FlagSpec::Needs(std::string condition, std::string why) const {
  FlagSpec f = *this;
  f.needs.push_back({std::move(condition), std::move(why), ""});
  return f;
}
FlagSpec FlagSpec::NeedsWhen(std::string value, std::string condition, std::string why) const {
  FlagSpec f = *this;
  f.needs.push_back({std::move(condition), std::move(why), std::move(value)});
  return f;
}
FlagSpec FlagSpec::Excludes(std::string condition, std::string why) const {
  FlagSpec f = *this;
  f.excludes.push_back({std::move(condition), std::move(why), ""});
  return f;
}
FlagSpec FlagSpec::Check(std::function<absl::Status(std::string_view)> fn) const {
  FlagSpec f = *this;
  f.check = std::move(fn);
  return f;
}

namespace {

absl::StatusOr<std::int64_t> ParseInt(std::string_view name, std::string_view s) {
  std::int64_t out = 0;
  // Accept 1e6-style shorthand for sizes: "1e6" = 1000000.
  std::size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  auto [p, ec] = std::from_chars(mantissa.data(), mantissa.data() + mantissa.size(), out);
  bool ok = !mantissa.empty() && ec == std::errc() && p == mantissa.data() + mantissa.size();
  if (ok && e != std::string_view::npos) {
    int exp = 0;
    std::string_view es = s.substr(e + 1);
    auto [q, ec2] = std::from_chars(es.data(), es.data() + es.size(), exp);
    ok = ec2 == std::errc() && q == es.data() + es.size() && exp >= 0 && exp <= 15;
    for (int k = 0; ok && k < exp; ++k) {
      if (__builtin_mul_overflow(out, 10, &out)) ok = false;
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrFormat("--%s: '%s' is not an integer", name, s));
  }
  return out;
}

// "--scoring fixed", "--orders, --pipeline or --invoices".
std::string ConditionText(std::string_view condition) {
  std::vector<std::string> alternatives;
  for (std::string_view rest = condition; !rest.empty();) {
    const std::size_t bar = rest.find('|');
    std::string alt(rest.substr(0, bar));
    const std::size_t eq = alt.find('=');
    if (eq != std::string::npos) alt[eq] = ' ';
    alternatives.push_back("--" + alt);
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  if (alternatives.size() == 1) return alternatives[0];
  const std::string last = alternatives.back();
  alternatives.pop_back();
  return absl::StrJoin(alternatives, ", ") + " or " + last;
}

std::string Why(const FlagSpec::Rule& rule) {
  return rule.why.empty() ? "" : " (" + rule.why + ")";
}

// Flag values name choices case-insensitively (the library's name parsers do).
bool SameChoice(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Whether `condition` (see FlagSpec::Rule) holds for the flags given so far.
bool Holds(const Args& args, std::string_view condition) {
  for (std::string_view rest = condition; !rest.empty();) {
    const std::size_t bar = rest.find('|');
    const std::string_view alt = rest.substr(0, bar);
    const std::size_t eq = alt.find('=');
    const std::optional<std::string> v = args.Get(alt.substr(0, eq));
    if (v && (eq == std::string_view::npos || SameChoice(*v, alt.substr(eq + 1)))) return true;
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return false;
}

}  // namespace

absl::StatusOr<Args> Args::Parse(int argc, char** argv, int first,
                                 const std::vector<FlagSpec>& specs) {
  Args args;
  std::vector<const FlagSpec*> given;
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      args.help_ = true;
      continue;
    }
    if (a.substr(0, 2) != "--") {
      return absl::InvalidArgumentError(absl::StrFormat(
          "unexpected argument '%s' (every input is a --flag; see --help)", a));
    }
    std::string_view body = a.substr(2);
    std::string_view name = body.substr(0, body.find('='));
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("unknown flag --%s (see --help)", name));
    }
    const bool inline_value = body.size() > name.size();
    std::string value;
    if (spec->value_name.empty()) {
      if (inline_value) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--%s takes no value (got '%s')", name, body.substr(name.size() + 1)));
      }
      value = "true";
    } else {
      if (inline_value) {
        value = std::string(body.substr(name.size() + 1));
      } else if (i + 1 < argc && std::string_view(argv[i + 1]).substr(0, 2) != "--") {
        value = argv[++i];
      }
      if (value.empty()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("flag --%s needs a value (%s)", name, spec->value_name));
      }
      if (std::optional<std::string> before = args.Get(name)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--%s given twice ('%s' and '%s'); give it once", name, *before, value));
      }
    }
    if (spec->range) {
      absl::StatusOr<std::int64_t> v = ParseInt(name, value);
      if (!v.ok()) return v.status();
      if (*v < spec->range->first || *v > spec->range->second) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--%s: %s is outside %d..%d", name, value, spec->range->first, spec->range->second));
      }
    }
    if (spec->check) {
      if (absl::Status st = spec->check(value); !st.ok()) return st;
    }
    args.values_.emplace_back(std::string(name), std::move(value));
    given.push_back(spec);
  }
  if (args.help_) return args;
  for (const FlagSpec* spec : given) {
    for (const FlagSpec::Rule& rule : spec->needs) {
      if (!rule.when.empty() && !SameChoice(*args.Get(spec->name), rule.when)) continue;
      if (!Holds(args, rule.condition)) {
        const std::string self =
            rule.when.empty() ? "--" + spec->name : "--" + spec->name + " " + rule.when;
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s needs %s%s", self, ConditionText(rule.condition), Why(rule)));
      }
    }
    for (const FlagSpec::Rule& rule : spec->excludes) {
      if (Holds(args, rule.condition)) {
        return absl::InvalidArgumentError(absl::StrFormat("--%s cannot be combined with %s%s",
                                                          spec->name,
                                                          ConditionText(rule.condition), Why(rule)));
      }
    }
  }
  return args;
}

bool Args::Has(std::string_view name) const { return Get(name).has_value(); }

std::optional<std::string> Args::Get(std::string_view name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string Args::GetOr(std::string_view name, std::string fallback) const {
  std::optional<std::string> v = Get(name);
  return v ? *v : std::move(fallback);
}

absl::StatusOr<std::int64_t> Args::GetInt(std::string_view name, std::int64_t fallback) const {
  std::optional<std::string> v = Get(name);
  if (!v) return fallback;
  return ParseInt(name, *v);
}

std::string FormatHelp(std::string_view usage, std::string_view description,
                       const std::vector<FlagSpec>& specs) {
  std::string out = "usage: " + std::string(usage) + "\n\n" + std::string(description) +
                    "\n\noptions:\n";
  for (const FlagSpec& s : specs) {
    std::string left = "  --" + s.name + (s.value_name.empty() ? "" : " ") + s.value_name;
    std::string help = s.help;
    if (!s.needs.empty()) {
      std::vector<std::string> needs;
      for (const FlagSpec::Rule& r : s.needs) {
        needs.push_back((r.when.empty() ? "" : "when " + r.when + ": ") + ConditionText(r.condition));
      }
      help += " [needs " + absl::StrJoin(needs, "; ") + "]";
    }
    out += absl::StrFormat("%-34s %s\n", left, help);
  }
  out += absl::StrFormat("%-34s %s\n", "  --help", "show this help");
  return out;
}

std::vector<std::string> SplitList(std::string_view text, char separator) {
  const std::vector<std::string_view> items = SplitNames(text, separator);
  return std::vector<std::string>(items.begin(), items.end());
}

}  // namespace salesight::cli
