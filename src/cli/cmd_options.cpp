// `salesight options [CALCULATOR] [--markdown | --json]`: the declared options
// of each calculator (salesight/options.hpp), as the README table (--markdown)
// or machine-readable (--json; the Python test checks its keywords against it).
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/declared_options.hpp"

namespace salesight::cli {
namespace {

// Every calculator with declared options.
const std::vector<DeclaredCalculator>& Declared() { return DeclaredCalculators(); }

}  // namespace

int RunOptions(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"markdown", "", "print the README table"},
      FlagSpec{"json", "", "print JSON (name, type, default, allowed, min, max, cli, doc)"}.Excludes(
          "markdown"),
  };
  std::vector<std::string> names;
  for (const DeclaredCalculator& c : Declared()) names.emplace_back(c.name);
  // The calculator is the one positional argument.
  std::string calculator;
  if (first < argc && argv[first][0] != '-') calculator = argv[first++];
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, own);
  if (!args.ok()) return UsageError(args.status());
  if (args->help()) {
    std::cout << FormatHelp("salesight options [" + absl::StrJoin(names, "|") +
                                "] [--markdown | --json]",
                            "The declared options of a calculator: the CLI flags, the Python "
                            "keywords and the README tables come from them.",
                            own);
    return 0;
  }
  for (const auto& [name, infos] : Declared()) {
    if (!calculator.empty() && calculator != name) continue;
    if (args->Has("json")) {
      std::cout << OptionsJson(infos);
    } else if (args->Has("markdown")) {
      std::cout << OptionsMarkdown(infos);
    } else {
      std::cout << name << ":\n";
      for (const OptionInfo& o : infos) {
        std::cout << "  " << o.name << " (" << OptionTypeName(o.type) << ", default "
                  << (o.default_value.empty() ? "from the data" : o.default_value) << "): " << o.doc
                  << "\n";
      }
    }
    if (!calculator.empty()) return 0;
  }
  if (calculator.empty()) return 0;
  return UsageError(absl::InvalidArgumentError("'" + calculator + "' has no declared options; " +
                                               "declared: " + absl::StrJoin(names, ", ")));
}

}  // namespace salesight::cli
