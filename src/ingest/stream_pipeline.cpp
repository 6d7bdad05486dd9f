// ScanPipelineCsv / StreamPipelineCsv: a pipeline file in bounded batches
// (salesight/csv_stream.hpp), through the one pipeline loader with a batch sink.
#include <memory>
#include <utility>

#include "internal/canonical_ids.hpp"
#include "internal/loader.hpp"
#include "internal/pipeline_load.hpp"
#include "internal/stream_batches.hpp"
#include "salesight/csv_stream.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {

absl::StatusOr<PipelineCsv> ScanPipelineCsv(
    const std::string& path, const IngestOptions& options,
    const std::vector<std::pair<std::string, std::string>>& stages, Dictionaries& dicts,
    std::int64_t chunk_bytes) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckChunk("pipeline", chunk_bytes));
  const IngestOptions o = ingest::StreamOptions(options);
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  // At most twice, as ScanOrdersCsv: opportunity numbers dropped with a batch
  // before the ids turned out to be codes were never interned.
  for (int attempt = 0;; ++attempt) {
    SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                               ingest::Loader::OpenFile(path, o, "pipeline"));
    ingest::PipelineBatchSink sink;
    sink.bytes = chunk_bytes;
    sink.emit = [](PipelineCsv) { return absl::OkStatus(); };
    SALESIGHT_ASSIGN_OR_RETURN(PipelineCsv out,
                               ingest::LoadPipeline(*loader, o, stages, dicts, &sink));
    if (out.opportunity_ids_are_codes && sink.emitted_numeric_keys && attempt == 0) continue;
    SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
    return out;
  }
}

absl::Status StreamPipelineCsv(const std::string& path, const IngestOptions& options,
                               const std::vector<std::pair<std::string, std::string>>& stages,
                               Dictionaries& dicts, std::int64_t chunk_bytes,
                               const PipelineCsv& scan,
                               const std::function<absl::Status(PipelineCsv)>& batch) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckChunk("pipeline", chunk_bytes));
  IngestOptions o = ingest::StreamOptions(options);
  o.money_scale = scan.table.columns().money_scale;  // pass 1's final scale: no batch is rescaled
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, o, "pipeline"));
  ingest::PipelineBatchSink sink;
  sink.bytes = chunk_bytes;
  sink.emit = batch;
  SALESIGHT_ASSIGN_OR_RETURN(PipelineCsv rest,
                             ingest::LoadPipeline(*loader, o, stages, dicts, &sink));
  return ingest::CheckSecondPass(path, before, dicts, rest.report, scan.report);
}

}  // namespace salesight
