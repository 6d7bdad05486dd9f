// The subcommands of the `salesight` CLI. Each takes the whole argv and the
// index of its first own argument, returns the process exit code, and prints
// errors to stderr. Exit codes: 0 ok, 1 bad input/data, 2 bad usage.
#pragma once

#include <string>
#include <string_view>

#include "salesight/calculator.hpp"

namespace salesight::cli {

int RunReport(int argc, char** argv, int first);
int RunGenerate(int argc, char** argv, int first);
int RunValidate(int argc, char** argv, int first);
int RunRfm(int argc, char** argv, int first);
int RunClv(int argc, char** argv, int first);
int RunFunnel(int argc, char** argv, int first);
int RunMargin(int argc, char** argv, int first);
int RunAging(int argc, char** argv, int first);
int RunTrend(int argc, char** argv, int first);
int RunContribution(int argc, char** argv, int first);
int RunLeaderboard(int argc, char** argv, int first);
int RunOptions(int argc, char** argv, int first);
int RunApprovals(int argc, char** argv, int first);
int RunDrivers(int argc, char** argv, int first);
int RunQuery(int argc, char** argv, int first);
int RunDashboard(int argc, char** argv, int first);

// Every declared calculator (salesight/calculator.hpp) is a command named
// after it, '_' spelled '-' (new_customers -> new-customers).
std::string CommandName(std::string_view calculator);
int RunDeclaredCalculator(const CalculatorSpec& spec, int argc, char** argv, int first);

}  // namespace salesight::cli
