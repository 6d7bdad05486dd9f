// The one pipeline loader (ReadPipelineCsv's rules), shared by the plain read
// and the streamed one (salesight/csv_stream.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "loader.hpp"
#include "salesight/csv.hpp"
#include "stream_batches.hpp"

namespace salesight::ingest {

using PipelineBatchSink = BatchSink<PipelineCsv>;

// Binds the fields and stages and reads every record of `loader`. With a
// sink every row goes to it (tables over `dicts`, no report) and the result
// has no rows but the report. The codes are not yet in canonical order.
absl::StatusOr<PipelineCsv> LoadPipeline(Loader& loader, const IngestOptions& options,
                                         std::vector<std::pair<std::string, std::string>> stages,
                                         Dictionaries& dicts, PipelineBatchSink* sink = nullptr);

}  // namespace salesight::ingest
