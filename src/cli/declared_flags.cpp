#include "internal/declared_flags.hpp"

#include <stdexcept>

namespace salesight::cli {

std::vector<FlagSpec> DeclaredFlags(absl::Span<const OptionInfo> options,
                                    absl::Span<const std::string_view> cli_own) {
  std::vector<FlagSpec> out;
  for (const OptionInfo& o : options) {
    bool own = false;
    for (std::string_view n : cli_own) own = own || n == o.name;
    if (own) continue;
    std::string hint;
    switch (o.type) {
      case OptionType::kInt: hint = "N"; break;
      case OptionType::kDouble: hint = "X"; break;
      case OptionType::kDate: hint = "YYYY-MM-DD"; break;
      case OptionType::kBool: hint = ""; break;
      case OptionType::kChoice: hint = std::string(o.allowed); break;
      case OptionType::kText: hint = o.allowed.empty() ? "TEXT" : std::string(o.allowed); break;
      case OptionType::kIntList: hint = "N1,N2,.."; break;
      case OptionType::kDoubleList: hint = "X1,X2,.."; break;
    }
    std::string help(o.cli_sets_false ? o.cli_help : o.doc);
    if (!o.default_value.empty() && o.type != OptionType::kBool) {
      help += " (default " + std::string(o.default_value) + ")";
    }
    FlagSpec f(CliFlag(o), hint, help);
    if (o.type == OptionType::kInt) f = f.Range(o.min, o.max);
    if (o.type != OptionType::kBool) {
      // The value is checked with the flags, before any file is read.
      const OptionInfo info = o;
      f = f.Check([info](std::string_view text) {
        absl::StatusOr<OptionValue> v = ParseOptionValue(info, text);
        return v.ok() ? absl::OkStatus() : AsFlagError(v.status(), info.name, CliFlag(info));
      });
    }
    out.push_back(std::move(f));
  }
  return out;
}

absl::Status AsFlagError(const absl::Status& status, std::string_view option,
                         std::string_view flag) {
  std::string message(status.message());
  const std::string prefix = "option " + std::string(option);
  if (message.rfind(prefix + ": ", 0) == 0) {
    message = "--" + std::string(flag) + message.substr(prefix.size());
  } else if (message.rfind(prefix + " ", 0) == 0) {
    message = "--" + std::string(flag) + message.substr(prefix.size());
  } else {
    message = "--" + std::string(flag) + ": " + message;
  }
  return absl::Status(status.code(), message);
}

FlagSpec& FlagNamed(std::vector<FlagSpec>& flags, std::string_view name) {
  for (FlagSpec& f : flags) {
    if (f.name == name) return f;
  }
  throw std::logic_error("salesight CLI: no flag --" + std::string(name));  // a bug in a command
}

}  // namespace salesight::cli
