// The status macros are public (salesight/status_macros.hpp): the CLI and
// callers use them too. This forwarder keeps the core's includes unchanged
// while other branches are in flight; it goes when they have been switched.
#pragma once

#include "salesight/status_macros.hpp"
