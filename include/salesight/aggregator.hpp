// The one aggregator interface: a mergeable partial state of any aggregating
// calculator (rfm, funnel, margin, aging, collection, trend, contribution,
// leaderboard),
// behind one abstract type, so that every surface (C salesight_partial_*,
// Python Dataset.partial, salesight.dask.run) serves every kind with the same
// code and no closed list of kinds:
//
//   partial   rows [begin, end) of the kind's main table of a Dataset, with
//             the calculator's declared options (OptionSettings, as text);
//   merge     in any order and any split (RFM's FREQUENCY_ORDERS: neighbours,
//             see capi/salesight.h), exact integer sums, so finishing the
//             merge of k partials equals the calculator run on all the rows;
//   serialize the shared envelope (salesight/partial_format.hpp) + the kind's
//             body; deserialize checks every length, enum and index before
//             allocating and names the byte offset of an error;
//   finish    the calculator's ResultSet (every named output at once).
//
// A kind is declared beside its calculator (its own folder) with
// DeclareAggregator and listed once in src/calculators/registry.cpp.
//
// Options. A partial built here keeps its options in canonical form (sorted
// by name; "threads" and values equal to the declared default dropped):
// merging partials of different options is an error naming both, and finish
// must be given the same options (or none = the partial's own). The kinds
// declared with `options_in_bytes` (every kind but the three older ones)
// also write them into their bytes; rfm, funnel and margin keep their older
// byte formats (the C ABI's), which carry the options they must match
// themselves, and take their finish options from the caller.
//
// Dictionaries (codes <-> ids) are not serialized: a deserialized partial
// prints ids, unless finish is given a `context` dataset coded the same way
// (e.g. the whole dataset, or a partition built over the same id space), whose
// dictionaries are then attached. Kinds whose finish reads a table besides
// the partitioned one (trend's targets) read it from the context.
//
// Thread safety: a partial is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/options.hpp"

namespace salesight {

// Declared, not included: the core's partial-state codecs build on this
// header and must not reach the tables (salesight/dataset.hpp,
// salesight/calculator.hpp define them).
class Dataset;
struct ResultSet;
enum class TableKind : std::uint8_t;
using OptionSettings = std::vector<std::pair<std::string, std::string>>;

struct AggregatorSpec;

class PartialAggregate {
 public:
  virtual ~PartialAggregate() = default;

  const AggregatorSpec& spec() const { return *spec_; }
  // Canonical (see "Options"); empty for an older kind read from bytes.
  const OptionSettings& settings() const { return settings_; }
  bool finished() const { return finished_; }

  // Adds `from` into this partial. Fails (this partial then unchanged) when
  // the kinds or options differ, either is finished, or a sum overflows.
  absl::Status Merge(const PartialAggregate& from);
  // The envelope + the kind's body.
  absl::StatusOr<std::string> Serialize() const;
  // CONSUMES the state (also on error): afterwards only destruction is left.
  absl::StatusOr<ResultSet> Finish(const Dataset* context, const OptionSettings& settings);

  // The kind's own state, for the typed surfaces (the older C finishes);
  // null when finished. A typed finish that moves the state out calls
  // MarkFinished.
  virtual void* state() = 0;
  void MarkFinished() { finished_ = true; }

 protected:
  PartialAggregate(const AggregatorSpec* spec, OptionSettings settings)
      : spec_(spec), settings_(std::move(settings)) {}
  virtual absl::Status MergeState(const PartialAggregate& from) = 0;
  virtual absl::StatusOr<std::string> SerializeState() const = 0;
  virtual absl::StatusOr<ResultSet> FinishState(const Dataset* context,
                                                const OptionSettings& settings) = 0;

 private:
  const AggregatorSpec* spec_;
  OptionSettings settings_;
  bool finished_ = false;
};

using PartialPtr = std::unique_ptr<PartialAggregate>;

struct AggregatorSpec {
  std::string_view name;  // the calculator's
  std::uint8_t kind = 0;  // the envelope's kind byte (unique; a test checks)
  TableKind rows{};  // the table [begin, end) indexes
  // Set for a kind whose rows are several tables' rows one after another
  // (leaderboard: orders, pipeline, invoices, targets): their total.
  std::function<std::size_t(const Dataset&)> row_count;
  bool options_in_bytes = true;
  // `self` is this spec (its registry address, which partials point to);
  // settings already canonical, rows already checked.
  std::function<absl::StatusOr<PartialPtr>(const AggregatorSpec& self, const Dataset&,
                                           std::size_t, std::size_t, OptionSettings)>
      partial;
  std::function<absl::StatusOr<PartialPtr>(const AggregatorSpec& self, std::string_view)>
      deserialize;
  // Moves a state built by a typed surface (e.g. salesight_rfm_partial) into
  // a partial; `state` points to the kind's own state type.
  std::function<PartialPtr(const AggregatorSpec& self, void* state)> adopt;
};

// Every registered kind (src/calculators/registry.cpp), and lookups: an
// unknown name lists the aggregating calculators.
absl::Span<const AggregatorSpec> Aggregators();
absl::StatusOr<const AggregatorSpec*> FindAggregator(std::string_view name);

// The rows [begin, end) of a partial of `spec` index: its main table's, or
// (row_count) its tables' rows one after another.
std::size_t PartialRows(const AggregatorSpec& spec, const Dataset& data);
// A partial of calculator `name` over rows [begin, end) of its main table
// (PartialRows).
absl::StatusOr<PartialPtr> MakePartial(std::string_view name, const Dataset& data,
                                       std::size_t begin, std::size_t end,
                                       const OptionSettings& settings);
// A partial of kind `name` holding `*state` (moved from; the kind's own state
// type: RfmPartial for "rfm", ...), for the typed surfaces.
absl::StatusOr<PartialPtr> AdoptPartial(std::string_view name, void* state);
// A partial of any registered kind from bytes of Serialize.
absl::StatusOr<PartialPtr> DeserializePartial(std::string_view bytes);

// Sorted by name, "threads" and declared defaults dropped; an unknown option
// is an error listing the declared ones.
absl::StatusOr<OptionSettings> CanonicalSettings(absl::Span<const OptionInfo> options,
                                                 const OptionSettings& settings);

}  // namespace salesight
