// Streaming an orders or pipeline file larger than memory (`--stream`): the
// table's one loader (src/ingest/orders_csv.cpp, pipeline_csv.cpp) reads the file once from start to end and
// hands its rows on in batches of about `chunk_bytes` of input, so every rule
// that carries state from row to row (fill-down, documents, total rows, the
// auto money scale, the reject report and its line numbers) is the one-pass
// rule. Peak memory: a batch, the dictionaries and the caller's states.
//
// Two passes, because a batch's ids must already be the final, canonical
// ones (csv.hpp "Ids"; results never depend on first-seen order) and its
// amounts at the final money scale, so that partial states of different
// batches merge into what one load computes:
//   1. ScanOrdersCsv interns every code (batches are dropped) and gives the
//      table with no rows but its report, money scale and dictionaries; the
//      caller puts the codes of all its files in canonical order
//      (CanonicalizeIds), as after a full load.
//   2. StreamOrdersCsv reads the file again at that scale into those
//      dictionaries (a new code or another report is an internal error).
// Attribute columns are not kept (their dictionaries are per file).
// A total row that closes lines of an earlier batch is an error naming the
// line (src/ingest/internal/documents.hpp); an open document's lines wait for its end.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/csv.hpp"
#include "salesight/date.hpp"

namespace salesight {

struct OrdersScan {
  OrdersCsv empty;       // no rows; report, money scale, dictionaries
  Day max_date = kNoDate;  // the latest order date of an accepted line
};

// Pass 1. `options` as for ReadOrdersCsv (its attributes and threads are not
// used); chunk_bytes >= 1.
absl::StatusOr<OrdersScan> ScanOrdersCsv(const std::string& path, const IngestOptions& options,
                                         Dictionaries& dicts, std::int64_t chunk_bytes);

// Pass 2: `batch` gets the rows in file order (tables over `dicts`, no report);
// a batch borrows the reader's columns: it is valid during the call only.
// `scan` is pass 1's table after the canonical reorder.
absl::Status StreamOrdersCsv(const std::string& path, const IngestOptions& options,
                             Dictionaries& dicts, std::int64_t chunk_bytes, const OrdersCsv& scan,
                             const std::function<absl::Status(OrdersCsv)>& batch);

// The same two passes for a pipeline (opportunities) export; `stages` as for
// ReadPipelineCsv. Pass 1 gives the table with no rows but its report,
// money scale and dictionaries; pass 2 the rows in batches.
absl::StatusOr<PipelineCsv> ScanPipelineCsv(
    const std::string& path, const IngestOptions& options,
    const std::vector<std::pair<std::string, std::string>>& stages, Dictionaries& dicts,
    std::int64_t chunk_bytes);
absl::Status StreamPipelineCsv(const std::string& path, const IngestOptions& options,
                               const std::vector<std::pair<std::string, std::string>>& stages,
                               Dictionaries& dicts, std::int64_t chunk_bytes,
                               const PipelineCsv& scan,
                               const std::function<absl::Status(PipelineCsv)>& batch);

}  // namespace salesight
