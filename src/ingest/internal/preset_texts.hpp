// The built-in export presets' JSON texts, compiled in from
// src/ingest/presets/*.json (src/ingest/presets.cmake generates the table).
#pragma once

#include <string_view>
#include <utility>

#include "absl/types/span.h"

namespace salesight::ingest {

// (name, JSON text), sorted by name.
absl::Span<const std::pair<std::string_view, std::string_view>> BuiltinPresetTexts();

}  // namespace salesight::ingest
