// salesight: sales analytics over ERP exports, from the command line.
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "internal/commands.hpp"
#include "salesight.h"  // SALESIGHT_VERSION_STRING only: the version is written there, once

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**, int);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"report", salesight::cli::RunReport,
     "the main job: a readable summary of the bundled sample or your exports"},
    {"rfm", salesight::cli::RunRfm, "customer value: RFM metrics, scores and segments"},
    {"clv", salesight::cli::RunClv, "customer lifetime value: BG/NBD, Pareto/NBD, Gamma-Gamma, BG/BB"},
    {"funnel", salesight::cli::RunFunnel, "sales funnel: stage counts, conversion, time in stage"},
    {"margin", salesight::cli::RunMargin, "product and profitability: margins, rankings, ABC"},
    {"aging", salesight::cli::RunAging, "receivables: aging buckets, overdue list, collection"},
    {"trend", salesight::cli::RunTrend, "trends vs last year / target, period-to-date"},
    {"contribution", salesight::cli::RunContribution, "shares of revenue or margin, summing to 100%"},
    {"leaderboard", salesight::cli::RunLeaderboard, "salespeople ranked: revenue, margin, win rate, collection, target"},
    {"dashboard", salesight::cli::RunDashboard, "the sales dashboard: one offline HTML page (or its JSON)"},
    {"drivers", salesight::cli::RunDrivers, "why a measure changed: the combinations that explain it (or --leaves FILE)"},
    {"query", salesight::cli::RunQuery, "any question: measures by dimensions, filtered, compared, top N, totals"},
    {"validate", salesight::cli::RunValidate, "load CSV exports, print table summary and rejects"},
    {"generate", salesight::cli::RunGenerate, "write a deterministic sample ERP data set"},
    {"options", salesight::cli::RunOptions, "a calculator's declared options (--markdown, --json)"},
    {"approvals", salesight::cli::RunApprovals, "contract approval routing: check, decide, route, replay, pending"},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "usage: salesight <command> [options]\n"
               "       salesight --version\n\n"
               "Sales analytics over ERP data, exact to the cent.\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-13s %s\n", c.name, c.summary);
  for (const salesight::CalculatorSpec& spec : salesight::Calculators()) {
    bool listed = false;  // a calculator with a command of its own (clv)
    for (const Command& c : kCommands) listed = listed || c.name == spec.name;
    if (listed) continue;
    const std::string doc(spec.doc);
    std::fprintf(out, "  %-13s %s\n", salesight::cli::CommandName(spec.name).c_str(),
                 doc.substr(0, doc.find_first_of(".,")).c_str());
  }
  std::fprintf(out, "\n`salesight <command> --help` describes each command's options.\n"
                    "With no command, `salesight` runs `report` on the bundled sample.\n");
}

}  // namespace

namespace {

int Dispatch(int argc, char** argv) {
  if (argc < 2) return salesight::cli::RunReport(argc, argv, 1);
  std::string_view first = argv[1];
  if (first == "--version" || first == "-V") {
    std::printf("salesight %s\n", SALESIGHT_VERSION_STRING);
    return 0;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    PrintUsage(stdout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (first == c.name) return c.run(argc, argv, 2);
  }
  for (const salesight::CalculatorSpec& spec : salesight::Calculators()) {
    if (first == salesight::cli::CommandName(spec.name)) {
      return salesight::cli::RunDeclaredCalculator(spec, argc, argv, 2);
    }
  }
  std::fprintf(stderr, "salesight: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}

}  // namespace

// Out of memory (a file too large for the machine or its ulimit) or any
// other escaped exception is a clear message and exit code 1, never an abort.
int main(int argc, char** argv) {
  try {
    return Dispatch(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr,
                 "salesight: out of memory (the input is too large for the memory this process "
                 "may use; for orders files try --stream)\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "salesight: internal error: %s\n", e.what());
  }
  return 1;
}
