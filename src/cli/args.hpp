// Command-line flags for the salesight CLI: `--name value`, `--name=value` and
// boolean `--name`. Every subcommand declares its flags with help text, so
// `--help` and "unknown flag" errors come from one place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace salesight::cli {

struct FlagSpec {
  std::string name;  // without "--"
  std::string value_name;  // "" = boolean flag
  std::string help;
};

class Args {
 public:
  // Parses argv[first..] against `specs`; "--help" / "-h" sets help().
  static absl::StatusOr<Args> Parse(int argc, char** argv, int first,
                                    const std::vector<FlagSpec>& specs);
  bool help() const { return help_; }
  bool Has(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback) const;
  absl::StatusOr<std::int64_t> GetInt(std::string_view name, std::int64_t fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  bool help_ = false;
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::string> positional_;
};

// "a,b,,c" -> {"a", "b", "c"} (empty items dropped, spaces around items trimmed).
std::vector<std::string> SplitList(std::string_view text, char separator = ',');

std::string FormatHelp(std::string_view usage, std::string_view description,
                       const std::vector<FlagSpec>& specs);

}  // namespace salesight::cli
