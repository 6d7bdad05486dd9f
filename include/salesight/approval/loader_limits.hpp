// Bounds on policy files, which are untrusted input (an editor's upload, a
// tenant's DMN): every loader refuses a file beyond them with an error that
// names the limit, before it can cost unbounded memory or time.
#pragma once

#include <cstddef>

namespace salesight::approval {

struct LoadLimits {
  std::size_t max_bytes = 8u << 20;  // the whole file
  int max_depth = 32;                // JSON/XML nesting
  std::size_t max_decisions = 64;
  std::size_t max_rules = 20000;     // per decision table
  std::size_t max_columns = 64;      // inputs, and outputs, per table
  std::size_t max_chains = 1024;
  std::size_t max_nodes = 256;       // per chain
};

}  // namespace salesight::approval
