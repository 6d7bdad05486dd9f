// Subcommands whose calculators have not landed yet.
#include <iostream>

#include "commands.hpp"

namespace salesight::cli {
namespace {
int NotYet(const char* name) {
  std::cerr << "salesight " << name << ": not available in this build yet\n";
  return 2;
}
}  // namespace

int RunReport(int, char**, int) { return NotYet("report"); }
int RunValidate(int, char**, int) { return NotYet("validate"); }
int RunRfm(int, char**, int) { return NotYet("rfm"); }
int RunFunnel(int, char**, int) { return NotYet("funnel"); }
int RunMargin(int, char**, int) { return NotYet("margin"); }

}  // namespace salesight::cli
