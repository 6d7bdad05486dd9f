// `--stream` for the commands whose big table is the orders export (rfm,
// margin, trend) or the pipeline export (funnel): that file is read in
// batches of --chunk-mb of input (salesight/csv_stream.hpp: a first pass for
// the codes, a second for the rows), each batch becomes a dataset with the
// other exports (loaded whole) and goes to the command's partial state; the
// command merges the partials and finishes against the context: the exports
// with a streamed table of no rows but the whole file's report, money scale
// and dictionaries. The summary lines, the reject report and --rejects are a
// full load's.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "args.hpp"
#include "ingest_flags.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"

namespace salesight::cli {

// --stream of the `streamed` file (excluding the `refused` flags, each with
// why it cannot stream) and --chunk-mb.
std::vector<FlagSpec> StreamFlags(
    const std::vector<std::pair<std::string, std::string>>& refused = {},
    MainFile streamed = MainFile::kOrders);

// The exports after a streamed read (not movable: the context borrows them).
class StreamedExports {
 public:
  // `max_date`: max_date() (known from the first pass, before any batch).
  using Batch = std::function<absl::Status(const Dataset& batch, Day max_date)>;
  // Loads the other exports, streams the `streamed` file (kOrders or
  // kPipeline) through `batch` in file order.
  static absl::StatusOr<std::unique_ptr<StreamedExports>> Run(const Args& args,
                                                              MainFile streamed,
                                                              const Batch& batch);
  StreamedExports(const StreamedExports&) = delete;
  StreamedExports& operator=(const StreamedExports&) = delete;

  // The streamed table has no rows; finish against it (dictionaries, targets).
  const Dataset& context() const { return *context_; }
  // The latest order date of an accepted line (kNoDate: none), as
  // OrderLines::max_date() of a full load; kNoDate for a streamed pipeline.
  Day max_date() const { return max_date_; }

 private:
  StreamedExports() = default;
  LoadedExports exports_;
  std::optional<Dataset> context_;
  Day max_date_ = kNoDate;
};

// Partial states folded in batch order: `partial(batch, max_date) -> State`,
// `merge(State& into, const State& from) -> Status`; with no batch at all,
// the partial of the context.
template <typename State, typename Partial, typename Merge>
absl::StatusOr<std::pair<std::unique_ptr<StreamedExports>, State>> StreamFold(
    const Args& args, MainFile streamed_file, Partial&& partial, Merge&& merge) {
  std::optional<State> state;
  absl::StatusOr<std::unique_ptr<StreamedExports>> streamed = StreamedExports::Run(
      args, streamed_file, [&](const Dataset& batch, Day max_date) -> absl::Status {
        absl::StatusOr<State> part = partial(batch, max_date);
        if (!part.ok()) return part.status();
        if (!state) {
          state.emplace(*std::move(part));
          return absl::OkStatus();
        }
        return merge(*state, *part);
      });
  if (!streamed.ok()) return streamed.status();
  if (!state) {
    absl::StatusOr<State> empty = partial((*streamed)->context(), (*streamed)->max_date());
    if (!empty.ok()) return empty.status();
    state.emplace(*std::move(empty));
  }
  return std::make_pair(*std::move(streamed), *std::move(state));
}
// The orders export streamed (rfm, margin, trend).
template <typename State, typename Partial, typename Merge>
absl::StatusOr<std::pair<std::unique_ptr<StreamedExports>, State>> StreamFold(const Args& args,
                                                                             Partial&& partial,
                                                                             Merge&& merge) {
  return StreamFold<State>(args, MainFile::kOrders, std::forward<Partial>(partial),
                           std::forward<Merge>(merge));
}

}  // namespace salesight::cli
