// libFuzzer target: export preset documents (salesight/csv_preset.hpp), a
// user's JSON file. Beyond "no crash, leak or UB": a preset that parses
// applies to every table it names with exactly its fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "salesight/csv_preset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto preset = salesight::ParsePreset(text, "fuzz.json");
  if (!preset.ok()) return 0;
  for (const auto& [table, t] : preset->tables) {
    salesight::IngestOptions options;
    salesight::ApplyPreset(*preset, table, &options);
    if (options.field_candidates.size() != t.fields.size()) std::abort();
    for (const auto& [field, names] : options.field_candidates) {
      if (names.empty() || names.size() > 64) std::abort();
    }
  }
  return 0;
}
