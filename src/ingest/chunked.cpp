#include "internal/chunked.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include "absl/strings/str_format.h"
#include "core/internal/parallel_intern.hpp"

namespace salesight::ingest {
namespace {

// The offset just after the first LF at or after `from`, or -1 (none before the end).
std::int64_t AfterLineBreak(std::FILE* file, std::int64_t from) {
  char buf[1 << 16];
  if (std::fseek(file, static_cast<long>(from), SEEK_SET) != 0) return -1;  // NOLINT(runtime/int)
  for (std::int64_t at = from;;) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, file);
    if (n == 0) return -1;
    if (const void* lf = std::memchr(buf, '\n', n); lf != nullptr) {
      return at + (static_cast<const char*>(lf) - buf) + 1;
    }
    at += static_cast<std::int64_t>(n);
  }
}

}  // namespace

ChunkCounters& ThreadChunkCounters() {
  thread_local ChunkCounters counters;
  return counters;
}

absl::StatusOr<ChunkPlan> PlanChunks(const std::string& path, const Loader& loader,
                                     const IngestOptions& options) {
  ChunkPlan plan;
  // Rules that make a chunk depend on what came before it: the first record
  // of a file without a header is pending in `loader`; fill-down carries a
  // document across chunks; gb18030 and utf-16 decode sequentially.
  if (!loader.has_header() || loader.fills_down() ||
      (options.encoding != Encoding::kAuto && options.encoding != Encoding::kUtf8)) {
    return plan;
  }
  const std::size_t wanted = internal::ResolveThreads(options.num_threads,
                                                      std::numeric_limits<std::size_t>::max());
  if (wanted < 2) return plan;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(absl::StrFormat("cannot open '%s': %s", path, std::strerror(errno)));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  char bom[2] = {0, 0};
  if (options.encoding == Encoding::kAuto && std::fread(bom, 1, 2, file) == 2 &&
      ((bom[0] == '\xFF' && bom[1] == '\xFE') || (bom[0] == '\xFE' && bom[1] == '\xFF'))) {
    return plan;  // UTF-16 by its byte order mark
  }
  if (std::fseek(file, 0, SEEK_END) != 0) return plan;
  const std::int64_t size = std::ftell(file);
  const std::int64_t data = loader.position();
  const std::int64_t bytes = size - data;
  const std::int64_t min_chunk = std::max<std::int64_t>(options.parallel_min_chunk_bytes, 1);
  if (size <= 0 || bytes / min_chunk < 2) return plan;
  const auto chunks = static_cast<std::int64_t>(
      std::min<std::size_t>(wanted, static_cast<std::size_t>(bytes / min_chunk)));
  plan.file_size = size;
  plan.first_line = loader.next_line();
  plan.starts.push_back(data);
  for (std::int64_t k = 1; k < chunks; ++k) {
    const std::int64_t cut = AfterLineBreak(file, data + bytes * k / chunks);
    if (cut < 0 || cut >= size) break;
    if (cut > plan.starts.back()) plan.starts.push_back(cut);
  }
  if (plan.starts.size() < 2) plan.starts.clear();
  return plan;
}

absl::StatusOr<std::unique_ptr<CsvReader>> OpenChunkReader(const std::string& path,
                                                           const IngestOptions& options,
                                                           std::int64_t start, std::int64_t stop,
                                                           std::int64_t first_line) {
  CsvReaderOptions o = ReaderOptions(options);
  o.encoding = Encoding::kUtf8;  // PlanChunks: UTF-8 only, so bytes pass as they are
  o.progress = nullptr;          // the caller's callback need not be thread-safe
  o.first_line = first_line;
  o.skip_bom = false;  // a byte order mark only counts at the start of the file
  o.stop_at = stop - start;
  absl::StatusOr<std::unique_ptr<CsvReader>> reader =
      CsvReader::OpenFile(path, o, start, stop - start);
  // The chunk's columns are reserved from the estimate before its first
  // record (no header is read): without it they grow from nothing, and the
  // copies of each growth step are what the allocator keeps.
  if (reader.ok()) {
    if (absl::Status st = (*reader)->FillFirst(); !st.ok()) return st;
  }
  return reader;
}

absl::StatusOr<std::vector<Id>> InternAll(const Dictionary& from,
                                          std::shared_ptr<Dictionary>& into) {
  return internal::InternAll(from, EnsureDictionary(into));
}

}  // namespace salesight::ingest
