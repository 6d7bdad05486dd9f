#include "internal/attributes.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "internal/field_parsers.hpp"

namespace salesight::ingest {

absl::StatusOr<AttributeReader> AttributeReader::Create(const Loader& loader,
                                                        const IngestOptions& options,
                                                        absl::Span<const int> used,
                                                        absl::Span<const std::string_view> fields) {
  const std::vector<std::string>& header = loader.header();
  // The document-total column repeats the lines' sum: never a dimension.
  auto is_used = [&](std::size_t c) {
    return std::find(used.begin(), used.end(), static_cast<int>(c)) != used.end() ||
           static_cast<int>(c) == loader.document_total_column();
  };
  auto is_field = [&](std::string_view name) {
    return std::find(fields.begin(), fields.end(), name) != fields.end();
  };
  auto count = [&](std::string_view name) { return std::count(header.begin(), header.end(), name); };
  AttributeReader r;
  r.max_members_ = options.max_attribute_members;
  r.source_ = loader.source();
  r.reserve_ = loader.ReserveRows();
  if (options.attributes == IngestOptions::AttributeSelection::kListed) {
    for (const std::string& wanted : options.attribute_columns) {
      const std::string_view name = Trim(wanted);
      auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: attribute column '%s' is not in the header of %s; the header has %s",
            loader.table(), Printable(name, 80), loader.source(), QuotedList(header)));
      }
      const auto c = static_cast<std::size_t>(it - header.begin());
      const char* why = is_used(c)          ? "is mapped to a field or stage"
                        : is_field(name)    ? "has the name of a field of the table"
                        : count(name) > 1   ? "appears more than once in the header"
                                            : nullptr;
      for (const Pending& p : r.columns_) {
        if (p.name == name) why = "is listed twice";
      }
      if (why != nullptr) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s: attribute column '%s' of %s %s", loader.table(),
                            Printable(name, 80), loader.source(), why));
      }
      r.columns_.push_back({static_cast<int>(c), std::string(name), nullptr, {}});
    }
  } else {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (is_used(c) || header[c].empty() || is_field(header[c]) || count(header[c]) > 1) continue;
      r.columns_.push_back({static_cast<int>(c), header[c], nullptr, {}});
    }
    if (static_cast<int>(r.columns_.size()) > options.max_attribute_columns) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %s has %d unmapped columns, more than the %d kept as attributes (the first "
          "beyond: '%s'); choose the attribute columns with --attrs COL,... (or --attrs none)",
          loader.table(), loader.source(), r.columns_.size(), options.max_attribute_columns,
          Printable(r.columns_[static_cast<std::size_t>(options.max_attribute_columns)].name,
                    80)));
    }
  }
  for (Pending& p : r.columns_) {
    p.dictionary = std::make_shared<Dictionary>();
    p.codes.reserve(r.reserve_);
  }
  r.row_.resize(r.columns_.size());
  return r;
}

bool AttributeReader::Read(Row& row) {
  for (std::size_t a = 0; a < columns_.size(); ++a) {
    if (!ReadCode(row, columns_[a].column, false, &row_[a])) return false;
  }
  return true;
}

bool AttributeReader::Push(Row& row) {
  for (std::size_t a = 0; a < columns_.size(); ++a) {
    Pending& p = columns_[a];
    absl::StatusOr<Id> id = p.dictionary->Intern(row_[a]);
    if (!id.ok()) return row.Fatal(id.status());
    if (*id >= max_members_) {
      return row.Fatal(absl::InvalidArgumentError(absl::StrFormat(
          "%s line %d, column '%s': more than %d distinct values, too many for an attribute "
          "column (a free-text or id column?); leave it out with --attrs COL,... naming the "
          "columns to keep (or --attrs none)",
          source_, row.line(), Printable(p.name, 80), max_members_)));
    }
    PushGrow(p.codes, *id);
  }
  return true;
}

Attributes AttributeReader::Take() {
  Attributes out;
  out.reserve(columns_.size());
  for (Pending& p : columns_) {
    // Per file, shared with no other table: the whole dictionary is ordered.
    const std::vector<Id> new_id = CanonicalOrder(*p.dictionary);
    bool identity = true;
    for (std::size_t i = 0; i < new_id.size(); ++i) identity &= new_id[i] == static_cast<Id>(i);
    if (!identity) {
      for (Id& code : p.codes) code = new_id[static_cast<std::size_t>(code)];
      p.dictionary->Reorder(new_id);
    }
    TrimSlack(p.codes);
    out.push_back({std::move(p.name), Column<Id>::Own(std::move(p.codes)),
                   std::move(p.dictionary)});
  }
  columns_.clear();
  return out;
}

}  // namespace salesight::ingest
