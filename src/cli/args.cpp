#include "args.hpp"

#include <charconv>

#include "absl/strings/str_format.h"

namespace salesight::cli {

absl::StatusOr<Args> Args::Parse(int argc, char** argv, int first,
                                 const std::vector<FlagSpec>& specs) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      args.help_ = true;
      continue;
    }
    if (a.substr(0, 2) != "--") {
      args.positional_.emplace_back(a);
      continue;
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
    std::string value;
    if (body.size() > name.size()) {
      value = std::string(body.substr(name.size() + 1));
    } else if (!spec->value_name.empty()) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(
            absl::StrFormat("flag --%s needs a value (%s)", name, spec->value_name));
      }
      value = argv[++i];
    } else {
      value = "true";
    }
    args.values_.emplace_back(std::string(name), std::move(value));
  }
  return args;
}

bool Args::Has(std::string_view name) const { return Get(name).has_value(); }

std::optional<std::string> Args::Get(std::string_view name) const {
  // The last occurrence wins, as in most Unix tools.
  for (auto it = values_.rbegin(); it != values_.rend(); ++it) {
    if (it->first == name) return it->second;
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
  std::string_view s = *v;
  std::int64_t out = 0;
  // Accept 1e6-style shorthand for sizes: "1e6" = 1000000.
  std::size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  auto [p, ec] = std::from_chars(mantissa.data(), mantissa.data() + mantissa.size(), out);
  bool ok = ec == std::errc() && p == mantissa.data() + mantissa.size();
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
    return absl::InvalidArgumentError(
        absl::StrFormat("--%s: '%s' is not an integer", name, s));
  }
  return out;
}

std::string FormatHelp(std::string_view usage, std::string_view description,
                       const std::vector<FlagSpec>& specs) {
  std::string out = "usage: " + std::string(usage) + "\n\n" + std::string(description) +
                    "\n\noptions:\n";
  for (const FlagSpec& s : specs) {
    std::string left = "  --" + s.name + (s.value_name.empty() ? "" : " ") + s.value_name;
    out += absl::StrFormat("%-34s %s\n", left, s.help);
  }
  out += absl::StrFormat("%-34s %s\n", "  --help", "show this help");
  return out;
}

std::vector<std::string> SplitList(std::string_view text, char separator) {
  std::vector<std::string> items;
  while (!text.empty()) {
    std::size_t cut = text.find(separator);
    std::string_view item = text.substr(0, cut);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    if (cut == std::string_view::npos) break;
    text.remove_prefix(cut + 1);
  }
  return items;
}

}  // namespace salesight::cli
