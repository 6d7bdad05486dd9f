// The attribute columns of a CSV file (IngestOptions::attributes): which
// header columns they are, their per-row codes and per-file dictionaries.
// A reader reads the row's attribute fields with its other fields (so a bad
// one rejects the row before anything is stored), pushes them with the row,
// and takes the columns, in canonical code order, when the file is done.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "loader.hpp"
#include "salesight/csv.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/tables.hpp"

namespace salesight::ingest {

class AttributeReader {
 public:
  // `used`: the header columns bound to fields or stages (-1 entries are
  // ignored); `fields`: the table's field names (tables.hpp), which an
  // attribute may not take.
  static absl::StatusOr<AttributeReader> Create(const Loader& loader,
                                                const IngestOptions& options,
                                                absl::Span<const int> used,
                                                absl::Span<const std::string_view> fields);

  // Reads the row's attribute fields (invalid UTF-8 rejects the row).
  bool Read(Row& row);
  // Stores the fields Read() read; fatal when a column exceeds its members.
  bool Push(Row& row);
  // The columns, codes in canonical order of each dictionary.
  Attributes Take();

 private:
  struct Pending {
    int column;
    std::string name;
    std::shared_ptr<Dictionary> dictionary;
    std::vector<Id> codes;
  };
  std::vector<Pending> columns_;
  std::vector<std::string_view> row_;  // per column, the current row's field
  std::string source_;  // the file, for messages
  std::int32_t max_members_ = 0;
  std::size_t reserve_ = 0;
};

}  // namespace salesight::ingest
