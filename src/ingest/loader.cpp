#include "internal/loader.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"
#include "internal/encoding.hpp"
#include "internal/value_forms.hpp"

namespace salesight::ingest {

CsvReaderOptions ReaderOptions(const IngestOptions& o) {
  CsvReaderOptions r;
  r.dialect = o.dialect;
  r.encoding = o.encoding;
  r.max_record_bytes = o.max_record_bytes;
  r.chunk_bytes = o.chunk_bytes;
  r.progress = o.progress;
  return r;
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  quoted.reserve(names.size());
  for (const std::string& n : names) quoted.push_back(absl::StrFormat("'%s'", Printable(n, 80)));
  return absl::StrJoin(quoted, ", ");
}

bool ReadCode(Row& row, int column, bool required, std::string_view* out) {
  if (column < 0) return true;
  std::string_view s = row.Get(column);
  if (s.empty()) {
    if (required) return row.Fail(column, "empty", "the field is required but empty");
    *out = s;
    return true;
  }
  if (!ValidUtf8(s)) {
    std::string gb;
    const bool gb18030 = DecodeGb18030(s, &gb);
    return row.Fail(column, "invalid UTF-8",
                    absl::StrFormat("'%s' is not valid UTF-8%s", Printable(s),
                                    gb18030 ? absl::StrFormat(" (as GB18030 it reads '%s': is "
                                                              "the file's encoding gb18030?)",
                                                              Printable(gb))
                                            : std::string()));
  }
  *out = s;
  return true;
}

bool ReadDate(Row& row, int column, DateParser& parser, bool required, Day* out) {
  if (column < 0) return true;
  std::string_view s = row.Get(column);
  if (s.empty()) {
    if (required) return row.Fail(column, "empty", "the field is required but empty");
    *out = kNoDate;
    return true;
  }
  absl::StatusOr<Day> day = parser.Parse(s);
  if (!day.ok()) {
    return row.Fail(column, "not a valid date", Printable(ToStd(day.status().message()), 1024));
  }
  *out = *day;
  return true;
}

bool ReadInt(Row& row, int column, char thousands_separator, std::int64_t lo, std::int64_t hi,
             std::int64_t* out) {
  if (column < 0) return true;
  std::string_view s = row.Get(column);
  if (s.empty()) return row.Fail(column, "empty", "the field is mapped but empty");
  if (!ParseInteger(s, thousands_separator, lo, hi, out)) {
    return row.Fail(column, "not an integer",
                    absl::StrFormat("'%s' is not an integer in [%d, %d]", Printable(s), lo, hi));
  }
  return true;
}

bool ReadMoney(Row& row, int column, const MoneyScale& scale, bool empty_is_zero,
               ParsedMoney* out) {
  if (column < 0) return true;
  std::string_view s = row.Get(column);
  if (s.empty()) {
    if (!empty_is_zero) return row.Fail(column, "empty", "the field is mapped but empty");
    *out = ParsedMoney{0, scale.scale()};
    return true;
  }
  std::string_view kind;
  std::string detail;
  if (!scale.Parse(s, out, &kind, &detail)) return row.Fail(column, kind, std::move(detail));
  return true;
}

bool ReadMoneyOrPercentOf(Row& row, int column, const MoneyScale& scale, const ParsedMoney& base,
                          ParsedMoney* out) {
  if (column < 0) return true;
  const std::string_view s = row.Get(column);
  if (s.find('%') == std::string_view::npos && s.find("\xEF\xBC\x85" /*％*/) == std::string_view::npos) {
    return ReadMoney(row, column, scale, false, out);
  }
  ExactRatio ratio;
  if (!ParsePercent(s, &ratio)) {
    return row.Fail(column, "not a percentage",
                    absl::StrFormat("'%s' is not a percentage like 12.5%%", Printable(s)));
  }
  Money v = 0;
  if (!MulMoney(base.value, ratio.value, &v)) {
    return row.Fail(column, "amount out of range",
                    absl::StrFormat("%s of %s overflows", Printable(s),
                                    FormatMoney(base.value, base.scale)));
  }
  int digits = base.scale + ratio.scale;
  const int most = scale.fixed() ? scale.scale() : kMaxMoneyScale;
  // The smallest scale that holds the product exactly (never below the amount's).
  while (digits > base.scale && v % 10 == 0) {
    v /= 10;
    --digits;
  }
  if (digits > most) {
    return row.Fail(column, "too many decimals",
                    absl::StrFormat("%s of %s is %s, which has more than %d decimals; it would "
                                    "have to be rounded",
                                    Printable(s), FormatMoney(base.value, base.scale),
                                    FormatMoney(v, digits), most));
  }
  if (v > kMaxMoney || v < -kMaxMoney) {
    return row.Fail(column, "amount out of range",
                    absl::StrFormat("%s of %s is outside +-9e15 minor units", Printable(s),
                                    FormatMoney(base.value, base.scale)));
  }
  *out = ParsedMoney{v, digits};
  return true;
}

bool SettleRow(Row& row, const MoneyScale& money, absl::Span<const MoneyField> fields,
               int* target) {
  // A table has at most a handful of money fields; fixed arrays keep the row
  // path allocation-free.
  constexpr std::size_t kMaxFields = 8;
  ParsedMoney* values[kMaxFields];
  int columns[kMaxFields];
  int original_scale[kMaxFields];
  std::size_t n = 0;
  if (fields.size() > kMaxFields) {
    return row.Fatal(absl::InternalError("SettleRow: more than 8 money fields in a table"));
  }
  for (const MoneyField& f : fields) {
    if (f.column < 0) continue;
    values[n] = f.value;
    columns[n] = f.column;
    original_scale[n] = f.value->scale;
    ++n;
  }
  std::size_t bad = 0;
  std::string detail;
  if (!money.Settle(absl::MakeConstSpan(values, n), target, &bad, &detail)) {
    return row.Fail(columns[bad], "amount out of range", std::move(detail));
  }
  if (*target > money.scale() && !money.CanRaise(*target)) {
    std::size_t asker = 0;
    while (asker + 1 < n && original_scale[asker] != *target) ++asker;
    return row.Fail(
        columns[asker], "rescale would overflow",
        absl::StrFormat("'%s' needs money scale %d, but rescaling the amounts read so far "
                        "(largest magnitude %s) from scale %d to %d would overflow +-9e15",
                        Printable(row.Get(columns[asker])), *target,
                        FormatMoney(money.max_abs(), money.scale()), money.scale(), *target));
  }
  return true;
}

absl::Status CheckIngestOptions(const IngestOptions& options) {
  if (options.money_scale < -1 || options.money_scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "money_scale %d is outside -1 (auto) .. %d", options.money_scale, kMaxMoneyScale));
  }
  if (options.decimal_point == options.thousands_separator) {
    return absl::InvalidArgumentError(
        "the decimal point and the thousands separator must differ");
  }
  return absl::OkStatus();
}

Loader::Loader(std::unique_ptr<CsvReader> reader, const IngestOptions& options, std::string table)
    : reader_(std::move(reader)),
      options_(options),
      table_(std::move(table)),
      rejects_(reader_->source_name(), options.max_rejects_kept, options.stop_on_first_error) {}

absl::StatusOr<std::unique_ptr<Loader>> Loader::OpenFile(const std::string& path,
                                                         const IngestOptions& options,
                                                         std::string table) {
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader,
                             CsvReader::OpenFile(path, ReaderOptions(options)));
  return Open(std::move(reader), options, std::move(table));
}

absl::StatusOr<std::unique_ptr<Loader>> Loader::Open(std::unique_ptr<CsvReader> reader,
                                                     const IngestOptions& options,
                                                     std::string table) {
  std::unique_ptr<Loader> loader(new Loader(std::move(reader), options, std::move(table)));
  CsvRecord first;
  SALESIGHT_ASSIGN_OR_RETURN(bool any, loader->reader_->Next(&first));
  if (!any) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: the file is empty: no header%s", loader->source(),
        options.dialect.has_header ? "" : " and no rows"));
  }
  if (options.dialect.has_header) {
    if (first.problem != RecordProblem::kNone) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s line %d: the header has a malformed quoted name (quote opened on line %d)",
          loader->source(), first.line, first.problem_line));
    }
    for (std::string_view name : first.fields) loader->header_.emplace_back(Trim(name));
  } else {
    for (std::size_t i = 1; i <= first.fields.size(); ++i) {
      loader->header_.push_back(std::to_string(i));
    }
    loader->pending_ = first;
    loader->has_pending_ = true;
  }
  SALESIGHT_RETURN_IF_ERROR(loader->CreateDocuments());
  return loader;
}

absl::StatusOr<std::unique_ptr<Loader>> Loader::OpenChunk(std::unique_ptr<CsvReader> reader,
                                                          const IngestOptions& options,
                                                          std::string table,
                                                          std::vector<std::string> header) {
  std::unique_ptr<Loader> loader(new Loader(std::move(reader), options, std::move(table)));
  loader->header_ = std::move(header);
  SALESIGHT_RETURN_IF_ERROR(loader->CreateDocuments());
  return loader;
}

absl::Status Loader::CreateDocuments() {
  const IngestOptions* documents = &options_;
  IngestOptions preset_documents;
  if (options_.fill_down.empty() && !options_.preset_fill_down.empty()) {
    preset_documents = options_;
    const auto& header = header_;
    auto has = [&](const std::string& name) {
      return std::count(header.begin(), header.end(), name) == 1;
    };
    for (const std::string& name : options_.preset_fill_down) {
      if (has(name)) preset_documents.fill_down.push_back(name);
    }
    if (preset_documents.document_total.empty() && !preset_documents.fill_down.empty() &&
        has(options_.preset_document_total)) {
      preset_documents.document_total = options_.preset_document_total;
    }
    documents = &preset_documents;
  }
  SALESIGHT_ASSIGN_OR_RETURN(documents_,
                             Documents::Create(*documents, header_, table_, source()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int>> Loader::Bind(absl::Span<const FieldSpec> specs) {
  std::vector<std::string> valid;
  for (const FieldSpec& s : specs) valid.emplace_back(s.name);
  for (const auto& [field, column] : options_.mapping.fields) {
    if (std::find(valid.begin(), valid.end(), field) == valid.end()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: unknown field '%s' in the mapping; the fields are: %s", table_,
                          Printable(field, 80), absl::StrJoin(valid, ", ")));
    }
  }
  for (const auto& [field, names] : options_.field_candidates) {
    if (std::find(valid.begin(), valid.end(), field) == valid.end()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: preset %s names an unknown field '%s'; the fields are: %s",
                          table_, options_.preset, Printable(field, 80), absl::StrJoin(valid, ", ")));
    }
  }
  std::vector<int> columns(specs.size(), -1);
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (const std::string* column = options_.mapping.Find(specs[i].name)) {
      SALESIGHT_ASSIGN_OR_RETURN(
          columns[i], ColumnIndex(absl::StrFormat("field '%s'", specs[i].name), *column));
      continue;
    }
    if (const std::vector<std::string>* names = CandidatesFor(specs[i].name)) {
      for (const std::string& name : *names) {
        if (std::count(header_.begin(), header_.end(), name) == 0) continue;
        SALESIGHT_ASSIGN_OR_RETURN(
            columns[i],
            ColumnIndex(absl::StrFormat("field '%s' (preset %s)", specs[i].name, options_.preset),
                        name));
        break;
      }
      if (columns[i] >= 0) continue;
    }
    auto it = std::find(header_.begin(), header_.end(), specs[i].name);
    if (it != header_.end()) {
      columns[i] = static_cast<int>(it - header_.begin());
    } else if (specs[i].required) {
      missing.emplace_back(specs[i].name);
    }
  }
  if (!missing.empty()) {
    std::string tried;
    for (const std::string& field : missing) {
      if (const std::vector<std::string>* names = CandidatesFor(field)) {
        absl::StrAppendFormat(&tried, "; preset %s looked for %s as %s", options_.preset, field,
                              QuotedList(*names));
      }
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: required field%s not mapped: %s (map with field=Column; the header of %s has %s%s)",
        table_, missing.size() > 1 ? "s" : "", absl::StrJoin(missing, ", "), source(),
        QuotedList(header_), tried));
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].required) {
      documents_.SetKeyColumn(columns[i]);
      break;
    }
  }
  return columns;
}

const std::vector<std::string>* Loader::CandidatesFor(std::string_view field) const {
  for (const auto& [name, columns] : options_.field_candidates) {
    if (name == field) return &columns;
  }
  return nullptr;
}

absl::StatusOr<int> Loader::ColumnIndex(std::string_view what, std::string_view column) const {
  std::string_view name = Trim(column);
  int found = -1, count = 0;
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) {
      if (found < 0) found = static_cast<int>(i);
      ++count;
    }
  }
  if (count == 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: %s is mapped to column '%s', which is not in the header of %s; the header has %s",
        table_, what, Printable(name, 80), source(), QuotedList(header_)));
  }
  if (count > 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %s is mapped to column '%s', which appears %d times in the header "
                        "of %s",
                        table_, what, Printable(name, 80), count, source()));
  }
  return found;
}

DateParser Loader::DateParserFor(std::string_view field) const {
  for (const auto& [name, format] : options_.column_date_formats) {
    if (name == field) return DateParser(format, options_.excel_dates);
  }
  return DateParser(options_.date_format, options_.excel_dates);
}

absl::Status Loader::CheckDateFormatKeys(absl::Span<const std::string_view> valid) const {
  for (const auto& entry : options_.column_date_formats) {
    if (std::find(valid.begin(), valid.end(), entry.first) == valid.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: column_date_formats names '%s', which is not a date field of the table; the date "
          "fields are: %s",
          table_, Printable(entry.first, 80),
          absl::StrJoin(std::vector<std::string>(valid.begin(), valid.end()), ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status Loader::CheckShape(const CsvRecord& record, bool* ok) {
  *ok = false;
  auto name_of = [&](std::size_t field) -> std::string_view {
    return field < header_.size() ? std::string_view(header_[field]) : std::string_view();
  };
  if (record.problem != RecordProblem::kNone) ++line_reasons_;
  if (record.problem == RecordProblem::kUnterminatedQuote) {
    return rejects_.Reject(
        record.line, name_of(record.problem_field),
        record.fields[record.problem_field].substr(0, 64), "unterminated quote",
        absl::StrFormat("the quote opened on line %d is never closed; the rest of the file is "
                        "inside this field",
                        record.problem_line));
  }
  if (record.problem == RecordProblem::kTextAfterQuote) {
    return rejects_.Reject(
        record.line, name_of(record.problem_field), record.fields[record.problem_field],
        "text after closing quote",
        absl::StrFormat("the quoted field opened on line %d is followed by text before the next "
                        "delimiter",
                        record.problem_line));
  }
  if (record.fields.size() != header_.size()) {
    return rejects_.Reject(record.line, "", "", "wrong number of fields",
                           absl::StrFormat("the row has %d fields but the header has %d",
                                           record.fields.size(), header_.size()));
  }
  *ok = true;
  return absl::OkStatus();
}

}  // namespace salesight::ingest
