// Export presets: the column names of common ERP exports for salesight's
// fields, so `salesight rfm --orders export.csv --preset kingdee` needs no
// --map. A preset is data (JSON), not code: the built-in ones are the files in
// src/ingest/presets/ compiled into the library (kingdee, yonyou, odoo,
// erpnext, sap_b1); a user writes their own in the same format and passes its
// path. README "Export presets" documents the format and each preset.
//
// Format (version 1):
//   {"preset": 1, "name": "...", "title": "...", "notes": "...",
//    "tables": {"orders"|"invoices"|"payments"|"customers"|"products": {
//        "fields": {"<field>": ["<header name>", ...], ...},
//        "fill_down": ["<header name>", ...],      optional
//        "document_total": "<header name>"},        optional
//    "encoding": "utf-8|gb18030|gbk|utf-16|auto",    optional
//    "date_format": "%Y-%m-%d|...|auto"}             optional
// A field takes the first of its header names the file has; an explicit
// mapping (--map) wins over the preset, and a field none of the names match
// falls back to a column named like the field. fill_down applies the columns
// the file has (an export with and without document layout both load).
// Hostile input: at most kMaxPresetBytes, every key checked (an unknown one is
// an error naming it and its path), at most 64 names per field, 256 bytes per
// name; field names are checked against the table when a file is loaded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/csv.hpp"
#include "salesight/date.hpp"

namespace salesight {

inline constexpr std::size_t kMaxPresetBytes = std::size_t{256} << 10;

struct ExportPreset {
  struct Table {
    std::vector<std::pair<std::string, std::vector<std::string>>> fields;
    std::vector<std::string> fill_down;
    std::string document_total;
  };
  std::string name;  // the built-in name, or what the file calls itself
  std::string title;
  std::string notes;
  std::vector<std::pair<std::string, Table>> tables;  // by table name
  std::optional<Encoding> encoding;
  std::optional<DateFormat> date_format;

  const Table* Find(std::string_view table) const;
};

// The names of the built-in presets, sorted.
std::vector<std::string> BuiltinPresetNames();

// Parses a preset document; `source` names it in errors ("preset kingdee",
// "my.json").
absl::StatusOr<ExportPreset> ParsePreset(std::string_view json, std::string_view source);

// A built-in preset by name, else a JSON file at that path (a name that is
// neither lists the built-in ones).
absl::StatusOr<ExportPreset> LoadPreset(std::string_view name_or_path);

// Sets `options` for a file of `table` ("orders", "invoices", ...): the
// preset's header names per field, its fill-down and document total columns
// (when `options` has none), its encoding and date format (when `options`
// still has auto). A table the preset does not describe changes nothing.
void ApplyPreset(const ExportPreset& preset, std::string_view table, IngestOptions* options);

}  // namespace salesight
