// FieldMapping: the --map syntax "field=Column,field=\"Column, with comma\"".
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/names.hpp"
#include "internal/field_parsers.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Reads one name at spec[*pos] up to one of `stops` (not consumed) or the end:
// either a quoted name (exact, "" = ") or unquoted text (trimmed).
absl::Status ReadName(std::string_view spec, std::size_t* pos, std::string_view stops,
                      std::string_view what, int entry, std::string* out) {
  std::size_t p = *pos;
  while (p < spec.size() && IsSpace(spec[p])) ++p;
  out->clear();
  if (p < spec.size() && spec[p] == '"') {
    const std::size_t open = p++;
    while (true) {
      if (p >= spec.size()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "mapping entry %d: the quote at position %d is never closed", entry, open + 1));
      }
      if (spec[p] == '"') {
        if (p + 1 < spec.size() && spec[p + 1] == '"') {
          out->push_back('"');
          p += 2;
          continue;
        }
        ++p;
        break;
      }
      out->push_back(spec[p++]);
    }
    while (p < spec.size() && IsSpace(spec[p])) ++p;
    if (p < spec.size() && stops.find(spec[p]) == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "mapping entry %d: unexpected text after the quoted %s \"%s\" at position %d", entry,
          what, *out, p + 1));
    }
  } else {
    const std::size_t start = p;
    while (p < spec.size() && stops.find(spec[p]) == std::string_view::npos) ++p;
    *out = std::string(ingest::Trim(spec.substr(start, p - start)));
  }
  *pos = p;
  return absl::OkStatus();
}

}  // namespace

const std::string* FieldMapping::Find(std::string_view field) const {
  for (const auto& [f, column] : fields) {
    if (f == field) return &column;
  }
  return nullptr;
}

absl::StatusOr<FieldMapping> ParseFieldMapping(std::string_view spec) {
  FieldMapping mapping;
  std::size_t p = 0;
  int entry = 0;
  while (p < spec.size()) {
    ++entry;
    std::size_t start = p;
    while (p < spec.size() && IsSpace(spec[p])) ++p;
    if (p == spec.size()) break;
    if (spec[p] == ',') {  // an empty entry ("a=b,,c=d" or a trailing comma) is skipped
      ++p;
      continue;
    }
    std::string field, column;
    absl::Status st = ReadName(spec, &p, "=,", "field", entry, &field);
    if (!st.ok()) return st;
    if (p >= spec.size() || spec[p] != '=') {
      return absl::InvalidArgumentError(
          absl::StrFormat("mapping entry %d ('%s'): expected field=Column", entry,
                          spec.substr(start, p - start)));
    }
    ++p;  // '='
    st = ReadName(spec, &p, ",", "column", entry, &column);
    if (!st.ok()) return st;
    if (field.empty() || column.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("mapping entry %d ('%s'): the %s name is empty", entry,
                          spec.substr(start, p - start), field.empty() ? "field" : "column"));
    }
    if (mapping.Find(field) != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("mapping entry %d: field '%s' is mapped twice", entry, field));
    }
    mapping.fields.emplace_back(std::move(field), std::move(column));
    if (p < spec.size()) ++p;  // ','
  }
  return mapping;
}

std::vector<std::string> SplitColumnList(std::string_view spec) {
  std::vector<std::string> out;
  for (std::string_view name : SplitNames(spec)) out.emplace_back(name);
  return out;
}

}  // namespace salesight
