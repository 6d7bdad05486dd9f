// The option conversions shared by the compute shims and the partial-state
// shims: one C options struct -> one C++ options struct, in one place, so
// salesight_x_compute and salesight_x_partial / _finish can never read the
// same struct differently. Nothing here is API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salesight.h"
#include "salesight/funnel.hpp"
#include "salesight/grain.hpp"
#include "salesight/margin.hpp"
#include "salesight/rfm.hpp"

namespace salesight::capi {

// Comma-separated names, spaces around each ignored, empty entries skipped;
// NULL = none.
std::vector<std::string> SplitList(const char* text);

// INVALID_ARGUMENT "option <what> = <value> is not a valid value".
salesight_status BadOption(const char* what, std::int64_t value);
// UNSUPPORTED unless `reserved` is 0 (`what` names the struct).
salesight_status CheckReserved(std::int32_t reserved, const char* what);
// INVALID_ARGUMENT for a negative thread count.
salesight_status CheckThreads(std::int32_t num_threads);
// SALESIGHT_PERIOD_* (the C ABI's stable numbers) to a Grain; NONE gives
// nullopt. False for any other number.
bool GrainFromPeriodCode(std::int32_t code, std::optional<Grain>* out);

// ---------------------------------------------------------------- rfm
salesight_rfm_options DefaultRfmOptions();
// Every field but `output` and `reserved` (checked by the callers).
salesight_status ToRfmOptions(const salesight_rfm_options& o, RfmOptions* r);

// ---------------------------------------------------------------- funnel
salesight_funnel_options DefaultFunnelOptions();
// Every field but `output` and `reserved`.
salesight_status ToFunnelOptions(const salesight_funnel_options& o, FunnelOptions* f);

// ---------------------------------------------------------------- margin
salesight_margin_options DefaultMarginOptions();
// group_by text to a grouping; NULL keeps the default (by product).
salesight_status ToGrouping(const char* group_by, MarginGrouping* g);
// The fields MarginOptions holds: from, to, group_by, the cost options,
// num_threads. The output-only fields (abc, quadrant, language, rank_*,
// as_of, no_sale_days, output) are the callers'.
salesight_status ToMarginOptions(const salesight_margin_options& o, MarginOptions* m);

}  // namespace salesight::capi
