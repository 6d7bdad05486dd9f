// Export presets (salesight/csv_preset.hpp): parsed with nlohmann::json from
// the compiled-in texts or a user's file, every key checked.
#include "salesight/csv_preset.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "ingest/internal/preset_texts.hpp"
#include "nlohmann/json.hpp"
#include "salesight/names.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kTables[] = {"orders", "invoices", "payments", "customers",
                                        "products"};
constexpr std::size_t kMaxNamesPerField = 64;
constexpr std::size_t kMaxNameBytes = 256;
constexpr std::size_t kMaxFieldsPerTable = 64;

absl::Status Bad(std::string_view source, std::string_view path, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s: %s", source, path, why));
}

// Every key of `object` must be one of `allowed`.
absl::Status CheckKeys(const Json& object, std::initializer_list<std::string_view> allowed,
                       std::string_view source, std::string_view path) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::vector<std::string> names(allowed.begin(), allowed.end());
    return Bad(source, path,
               absl::StrFormat("unknown key '%s'.%s Valid: %s.", key, DidYouMean(key, names),
                               QuotedNames(names)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Text(const Json& v, std::string_view source, std::string_view path) {
  if (!v.is_string()) return Bad(source, path, "must be a string");
  std::string s = v.get<std::string>();
  if (s.size() > kMaxNameBytes * 16) return Bad(source, path, "is longer than 4096 bytes");
  return s;
}

absl::StatusOr<std::string> HeaderName(const Json& v, std::string_view source,
                                       std::string_view path) {
  if (!v.is_string()) return Bad(source, path, "must be a header name (a string)");
  std::string s = v.get<std::string>();
  if (s.empty() || s.size() > kMaxNameBytes) {
    return Bad(source, path, "a header name has 1 to 256 bytes");
  }
  return s;
}

absl::StatusOr<std::vector<std::string>> HeaderNames(const Json& v, std::string_view source,
                                                     const std::string& path) {
  if (!v.is_array() || v.empty() || v.size() > kMaxNamesPerField) {
    return Bad(source, path, "must be a list of 1 to 64 header names");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string name,
                               HeaderName(v[i], source, absl::StrFormat("%s[%d]", path, i)));
    out.push_back(std::move(name));
  }
  return out;
}

absl::StatusOr<ExportPreset::Table> ParseTable(const Json& v, std::string_view source,
                                               const std::string& path) {
  if (!v.is_object()) return Bad(source, path, "must be an object");
  SALESIGHT_RETURN_IF_ERROR(CheckKeys(v, {"fields", "fill_down", "document_total"}, source, path));
  ExportPreset::Table t;
  if (!v.contains("fields") || !v["fields"].is_object() || v["fields"].empty() ||
      v["fields"].size() > kMaxFieldsPerTable) {
    return Bad(source, path + ".fields", "must be an object of 1 to 64 fields");
  }
  for (const auto& [field, names] : v["fields"].items()) {
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::string> list,
                               HeaderNames(names, source, path + ".fields." + field));
    t.fields.emplace_back(field, std::move(list));
  }
  if (v.contains("fill_down")) {
    SALESIGHT_ASSIGN_OR_RETURN(t.fill_down, HeaderNames(v["fill_down"], source, path + ".fill_down"));
  }
  if (v.contains("document_total")) {
    SALESIGHT_ASSIGN_OR_RETURN(t.document_total,
                               HeaderName(v["document_total"], source, path + ".document_total"));
    if (t.fill_down.empty()) {
      return Bad(source, path + ".document_total",
                 "needs fill_down: a document starts where the first fill-down column is not empty");
    }
  }
  return t;
}

}  // namespace

const ExportPreset::Table* ExportPreset::Find(std::string_view table) const {
  for (const auto& [key, t] : tables) {
    if (key == table) return &t;
  }
  return nullptr;
}

std::vector<std::string> BuiltinPresetNames() {
  std::vector<std::string> out;
  for (const auto& [name, text] : ingest::BuiltinPresetTexts()) out.emplace_back(name);
  return out;
}

absl::StatusOr<ExportPreset> ParsePreset(std::string_view json, std::string_view source) {
  if (json.size() > kMaxPresetBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: %d bytes; a preset has at most %d", source, json.size(), kMaxPresetBytes));
  }
  // No exceptions out of the parser: a discarded value is a syntax error.
  const Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not valid JSON", source));
  }
  if (!doc.is_object()) return Bad(source, "(top)", "must be a JSON object");
  SALESIGHT_RETURN_IF_ERROR(CheckKeys(
      doc, {"preset", "name", "title", "notes", "tables", "encoding", "date_format"}, source,
      "(top)"));
  if (!doc.contains("preset") || !doc["preset"].is_number_integer() || doc["preset"] != 1) {
    return Bad(source, "preset", "must be 1 (the format version)");
  }
  ExportPreset p;
  for (auto [key, field] : {std::pair{"name", &p.name}, {"title", &p.title}, {"notes", &p.notes}}) {
    if (!doc.contains(key)) continue;
    SALESIGHT_ASSIGN_OR_RETURN(*field, Text(doc[key], source, key));
  }
  if (!doc.contains("tables") || !doc["tables"].is_object() || doc["tables"].empty()) {
    return Bad(source, "tables", "must be an object naming at least one table");
  }
  for (const auto& [table, value] : doc["tables"].items()) {
    if (std::find(std::begin(kTables), std::end(kTables), table) == std::end(kTables)) {
      std::vector<std::string> names(std::begin(kTables), std::end(kTables));
      return Bad(source, "tables",
                 absl::StrFormat("unknown table '%s'.%s Valid: %s.", table,
                                 DidYouMean(table, names), QuotedNames(names)));
    }
    SALESIGHT_ASSIGN_OR_RETURN(ExportPreset::Table t, ParseTable(value, source, "tables." + table));
    p.tables.emplace_back(table, std::move(t));
  }
  if (doc.contains("encoding")) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string text, Text(doc["encoding"], source, "encoding"));
    absl::StatusOr<Encoding> e = ParseEncodingName(text);
    if (!e.ok()) return Bad(source, "encoding", std::string(e.status().message()));
    p.encoding = *e;
  }
  if (doc.contains("date_format")) {
    SALESIGHT_ASSIGN_OR_RETURN(std::string text, Text(doc["date_format"], source, "date_format"));
    absl::StatusOr<DateFormat> f = ParseDateFormatName(text);
    if (!f.ok()) return Bad(source, "date_format", std::string(f.status().message()));
    p.date_format = *f;
  }
  return p;
}

absl::StatusOr<ExportPreset> LoadPreset(std::string_view name_or_path) {
  for (const auto& [name, text] : ingest::BuiltinPresetTexts()) {
    if (name == name_or_path) return ParsePreset(text, absl::StrFormat("preset %s", name));
  }
  const std::string path(name_or_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::vector<std::string> names = BuiltinPresetNames();
    return absl::NotFoundError(absl::StrFormat(
        "preset '%s' is neither a built-in preset nor a readable file.%s The built-in presets: %s.",
        path, DidYouMean(path, names), QuotedNames(names)));
  }
  std::string text;
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxPresetBytes) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: larger than %d bytes; a preset is a small JSON file", path,
                          kMaxPresetBytes));
    }
  }
  return ParsePreset(text, path);
}

void ApplyPreset(const ExportPreset& preset, std::string_view table, IngestOptions* options) {
  const ExportPreset::Table* t = preset.Find(table);
  if (t == nullptr) return;
  options->preset = preset.name.empty() ? std::string("(unnamed)") : preset.name;
  options->field_candidates = t->fields;
  options->preset_fill_down = t->fill_down;
  options->preset_document_total = t->document_total;
  if (preset.encoding && options->encoding == Encoding::kAuto) options->encoding = *preset.encoding;
  if (preset.date_format && options->date_format == DateFormat::kAuto) {
    options->date_format = *preset.date_format;
  }
}

}  // namespace salesight
