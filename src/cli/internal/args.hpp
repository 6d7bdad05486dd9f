// Command-line flags for the salesight CLI: `--name value`, `--name=value` and
// boolean `--name`. Every subcommand declares its flags with help text and
// their rules (numeric range, flags they need or exclude, a value check), and
// Args::Parse checks them all in one place, so no flag is ever ignored
// silently: an unknown flag, a stray argument, a value flag given twice, a
// boolean flag given a value, a number out of range, or a flag without the
// flag it needs is a usage error naming the flag.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace salesight::cli {

struct FlagSpec {
  // A condition on the other flags: "name" (given), "name=value" (given with
  // that value), alternatives separated by '|' ("orders|pipeline").
  struct Rule {
    std::string condition;
    std::string why;   // appended to the error in parentheses; may be empty
    std::string when;  // the rule applies only when this flag has this value ("" = always)
  };

  FlagSpec(std::string name_, std::string value_name_, std::string help_)
      : name(std::move(name_)), value_name(std::move(value_name_)), help(std::move(help_)) {}

  std::string name;        // without "--"
  std::string value_name;  // "" = boolean flag
  std::string help;
  std::optional<std::pair<std::int64_t, std::int64_t>> range;  // integer flags: [min, max]
  std::vector<Rule> needs;     // every rule must hold when this flag is given
  std::vector<Rule> excludes;  // no rule may hold when this flag is given
  std::function<absl::Status(std::string_view value)> check;  // value check (e.g. extension)

  FlagSpec Range(std::int64_t min, std::int64_t max) const;
  FlagSpec Needs(std::string condition, std::string why = "") const;
  // A rule for one value of this flag: --scoring fixed needs --fixed-recency.
  FlagSpec NeedsWhen(std::string value, std::string condition, std::string why = "") const;
  FlagSpec Excludes(std::string condition, std::string why = "") const;
  FlagSpec Check(std::function<absl::Status(std::string_view)> fn) const;
};

class Args {
 public:
  // Parses argv[first..] against `specs` and checks every rule above;
  // "--help" / "-h" sets help() (the rules are then not checked).
  static absl::StatusOr<Args> Parse(int argc, char** argv, int first,
                                    const std::vector<FlagSpec>& specs);
  bool help() const { return help_; }
  bool Has(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback) const;
  // The value as an integer ("1e6" shorthand allowed), or fallback if absent.
  absl::StatusOr<std::int64_t> GetInt(std::string_view name, std::int64_t fallback) const;

 private:
  bool help_ = false;
  std::vector<std::pair<std::string, std::string>> values_;
};

// "a,b,,c" -> {"a", "b", "c"}: salesight/names.hpp's SplitNames, as strings.
std::vector<std::string> SplitList(std::string_view text, char separator = ',');

std::string FormatHelp(std::string_view usage, std::string_view description,
                       const std::vector<FlagSpec>& specs);

}  // namespace salesight::cli
