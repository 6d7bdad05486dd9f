// Customer lifetime value: the BTYD models (see each header in clv/).
#pragma once

#include "salesight/clv/bgbb.hpp"          // IWYU pragma: export
#include "salesight/clv/bgnbd.hpp"         // IWYU pragma: export
#include "salesight/clv/fit.hpp"           // IWYU pragma: export
#include "salesight/clv/gamma_gamma.hpp"   // IWYU pragma: export
#include "salesight/clv/holdout.hpp"       // IWYU pragma: export
#include "salesight/clv/pareto_nbd.hpp"    // IWYU pragma: export
#include "salesight/clv/value.hpp"         // IWYU pragma: export
