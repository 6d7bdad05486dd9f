// Period labels read back: the inverse of grain.hpp's PeriodLabel, for
// options and specs that name a period the way results print it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "salesight/grain.hpp"

namespace salesight {

// The ordinal of the period whose label (PeriodLabel) is `label` exactly, or
// nullopt ("2024-3" for a month, "2024-W54").
std::optional<std::int32_t> PeriodOfLabel(Grain grain, std::string_view label);

}  // namespace salesight
