// The declarative query engine (issue 14): the spec (query/spec.hpp), the
// measure catalogue (query/measures.hpp) and the check of a spec against a
// Dataset (query/check.hpp), and running it (query/run.hpp).
#pragma once

#include "salesight/query/check.hpp"     // IWYU pragma: export
#include "salesight/query/measures.hpp"  // IWYU pragma: export
#include "salesight/query/partial.hpp"   // IWYU pragma: export
#include "salesight/query/drill.hpp"     // IWYU pragma: export
#include "salesight/query/run.hpp"       // IWYU pragma: export
#include "salesight/query/spec.hpp"      // IWYU pragma: export
