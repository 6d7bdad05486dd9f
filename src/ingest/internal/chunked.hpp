// Reading one CSV file in chunks on several threads ("Parallel reading" in
// csv.hpp): where the chunks start, reading them, checking the cuts, and
// the parts of the merge every table shares (reports, dictionaries, columns).
//
// The cut method: a chunk is guessed to start right after the first line
// break at or after its equal share of the data. Each chunk's reader finishes
// the record under way at the chunk's end (CsvReaderOptions::stop_at), so
// the chunks cover the file; the parse of a record depends only on where it
// starts, so a chunk whose start is where the previous chunk's reader really
// stopped parsed exactly what a 1-thread read parses there. A guess that was
// wrong (the line break was inside a quoted field, or the previous chunk's
// last record ran past it) reads that chunk again from the right place, after
// the parallel pass. File lines are counted per chunk from 1 and shifted when
// the chunk before is known; a chunk whose reasons name lines (quote
// problems) is read again with its true first line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/internal/parallel.hpp"
#include "csv_reader.hpp"
#include "loader.hpp"
#include "salesight/csv.hpp"
#include "salesight/dictionary.hpp"

namespace salesight::ingest {

// Where the chunks start: increasing file offsets, the first at the first
// data record; fewer than 2 = read the file in one pass.
struct ChunkPlan {
  std::vector<std::int64_t> starts;
  std::int64_t file_size = 0;
  std::int64_t first_line = 1;  // file line of starts[0]
};

// The chunks of the file `loader` has opened (its header read), by the rules
// every table shares: a header, no fill-down, UTF-8, num_threads and
// parallel_min_chunk_bytes.
absl::StatusOr<ChunkPlan> PlanChunks(const std::string& path, const Loader& loader,
                                     const IngestOptions& options);

// A reader of the file from `start` that starts no record at or after `stop`.
absl::StatusOr<std::unique_ptr<CsvReader>> OpenChunkReader(const std::string& path,
                                                           const IngestOptions& options,
                                                           std::int64_t start, std::int64_t stop,
                                                           std::int64_t first_line);

// What the parallel reads of this thread did, for tests: files read in
// chunks, chunks merged, chunks read a second time (a cut inside a record).
struct ChunkCounters {
  std::int64_t files = 0, chunks = 0, rereads = 0;
};
ChunkCounters& ThreadChunkCounters();

// One chunk, read.
template <typename Part>
struct ChunkRead {
  absl::StatusOr<Part> part = absl::UnknownError("chunk not read");
  RejectReport report;
  std::int64_t start = 0;        // file bytes [start, end) were read
  std::int64_t end = 0;
  std::int64_t first_line = 1;   // the line the reader counted from
  std::int64_t next_line = 1;    // its line after the last record
  std::int64_t line_reasons = 0;  // Loader::line_reasons()
};

// Reads the chunks of `plan` with `read(start, stop, first_line) ->
// ChunkRead<Part>` on threads, then checks the cuts in file order, reading
// again (on this thread) each chunk that started in the wrong place; a chunk
// that a previous one swallowed whole is dropped. Rejects and notes are
// given their file lines. An error is a chunk's error: read the file in one
// pass instead, which gives the error exactly as a 1-thread read does.
template <typename Part, typename Read>
absl::StatusOr<std::vector<ChunkRead<Part>>> ReadChunks(const ChunkPlan& plan, Read&& read) {
  const std::size_t n = plan.starts.size();
  auto stop_of = [&](std::size_t k) {
    return k + 1 < n ? plan.starts[k + 1] : plan.file_size;
  };
  auto guarded = [&](std::int64_t start, std::int64_t stop, std::int64_t line) {
    try {
      return read(start, stop, line);
    } catch (const std::exception& e) {  // no exception may leave a thread
      ChunkRead<Part> failed;
      failed.part = absl::ResourceExhaustedError(e.what());
      return failed;
    }
  };
  std::vector<ChunkRead<Part>> chunks(n);
  internal::RunOnThreads(n, [&](std::size_t k) {
    chunks[k] = guarded(plan.starts[k], stop_of(k), k == 0 ? plan.first_line : 1);
  });
  std::vector<ChunkRead<Part>> out;
  out.reserve(n);
  std::int64_t at = plan.starts[0], line = plan.first_line;
  for (std::size_t k = 0; k < n; ++k) {
    if (at >= stop_of(k)) continue;  // the previous chunk's last record covered it
    ChunkRead<Part> c = std::move(chunks[k]);
    if (c.start != at || (c.line_reasons > 0 && c.first_line != line)) {
      c = guarded(at, stop_of(k), line);
      ++ThreadChunkCounters().rereads;
    }
    if (!c.part.ok()) return c.part.status();
    const std::int64_t shift = line - c.first_line;
    if (shift != 0) {
      for (Reject& r : c.report.rejects) r.line += shift;
      for (Reject& r : c.report.notes) r.line += shift;
    }
    at = c.end;
    line = c.next_line + shift;
    out.push_back(std::move(c));
  }
  return out;
}

// Interns every code of `from` into `into` (created when null) in id order;
// returns from's id -> into's id (the merge step of parallel_intern.hpp).
absl::StatusOr<std::vector<Id>> InternAll(const Dictionary& from,
                                          std::shared_ptr<Dictionary>& into);

// The columns one after the other, each part freed once copied; with `maps`,
// part k's ids go through maps[k].
template <typename T>
Column<T> Concat(std::vector<Column<T>*> parts, const std::vector<std::vector<Id>>* maps = nullptr) {
  std::size_t rows = 0;
  for (const Column<T>* p : parts) rows += p->size();
  std::vector<T> out;
  out.reserve(rows);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (maps == nullptr) {
      out.insert(out.end(), parts[k]->begin(), parts[k]->end());
    } else {
      const std::vector<Id>& map = (*maps)[k];
      for (T v : *parts[k]) out.push_back(map[static_cast<std::size_t>(v)]);
    }
    *parts[k] = Column<T>();
  }
  return Column<T>::Own(std::move(out));
}

}  // namespace salesight::ingest
