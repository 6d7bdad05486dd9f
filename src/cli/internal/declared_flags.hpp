// CLI flags derived from a calculator's declared options (salesight/options.hpp):
// one flag per option (its CLI spelling, value hint, help with the default,
// integer range), and their values applied through the declaration, so a
// command never spells an option list of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "args.hpp"
#include "salesight/options.hpp"

namespace salesight::cli {

// Flags for `options`, except those named in `cli_own` (options the command
// spells its own way, e.g. `--segments FILE`).
std::vector<FlagSpec> DeclaredFlags(absl::Span<const OptionInfo> options,
                                    absl::Span<const std::string_view> cli_own);

// The flag named `name` in `flags` (to attach cross-flag rules); it must exist.
FlagSpec& FlagNamed(std::vector<FlagSpec>& flags, std::string_view name);

// An option's error as the flag's: "option NAME: ..." / "option NAME must be
// ..." -> "--flag: ..." / "--flag must be ..." (the user typed the flag).
absl::Status AsFlagError(const absl::Status& status, std::string_view option,
                         std::string_view flag);

// Applies every given flag of a declared option (not in `cli_own`) through
// `set(name, text)`; a boolean flag is "true" (a CliFalse flag "false").
template <typename Set>
absl::Status ApplyDeclaredFlags(const Args& args, absl::Span<const OptionInfo> options,
                                absl::Span<const std::string_view> cli_own, Set set) {
  for (const OptionInfo& o : options) {
    bool own = false;
    for (std::string_view n : cli_own) own = own || n == o.name;
    const std::string flag = CliFlag(o);
    if (own || !args.Has(flag)) continue;
    std::string text = o.type == OptionType::kBool ? "true" : *args.Get(flag);
    if (o.cli_sets_false) text = "false";
    if (absl::Status st = set(o.name, text); !st.ok()) return AsFlagError(st, o.name, flag);
  }
  return absl::OkStatus();
}

// The same for an options struct O declared by `decls`: each given flag is
// set on `options` through its declaration.
template <typename O>
absl::Status ApplyDeclaredFlags(const Args& args, absl::Span<const OptionDecl<O>> decls,
                                absl::Span<const std::string_view> cli_own, O& options) {
  return ApplyDeclaredFlags(args, InfosOf(decls), cli_own,
                            [&](std::string_view name, std::string_view text) {
                              return SetOption(decls, options, name, text);
                            });
}

}  // namespace salesight::cli
