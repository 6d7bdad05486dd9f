// ReadCsvStrings: any CSV as string columns (fuzzing, previews, the C ABI).
#include <string>
#include <utility>
#include <vector>

#include "salesight/status_macros.hpp"
#include "internal/loader.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

absl::StatusOr<StringCsv> LoadStrings(ingest::Loader& loader) {
  StringCsv out;
  const std::vector<std::string>& header = loader.header();
  out.columns.reserve(header.size());
  for (const std::string& name : header) out.columns.emplace_back(name);
  // Values are stored back to back; reserve one share of the input per column.
  // (Estimate only: StringColumn grows by itself past it.)
  const std::size_t rows = loader.ReserveRows();
  for (StringColumn& c : out.columns) c.Reserve(rows, 0);
  auto row_fn = [&](ingest::Row& row) -> bool {
    for (std::size_t i = 0; i < row.size(); ++i) out.columns[i].Append(row.Raw(i));
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));
  out.report = loader.Finish();
  return out;
}

}  // namespace

absl::StatusOr<StringCsv> ReadCsvStrings(const std::string& path, const IngestOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "csv"));
  return LoadStrings(*loader);
}

absl::StatusOr<StringCsv> ReadCsvStringsFromBuffer(std::string_view data,
                                                   const IngestOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(
      std::unique_ptr<ingest::CsvReader> reader,
      ingest::CsvReader::FromBuffer(data, ingest::ReaderOptions(options)));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::Open(std::move(reader), options, "csv"));
  return LoadStrings(*loader);
}

}  // namespace salesight
