#include "internal/stream_command.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/csv_stream.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::cli {
namespace {

constexpr double kDefaultChunkMb = 64;

// --chunk-mb X: X MiB, a decimal so that tests can cut batches of a few bytes.
absl::StatusOr<std::int64_t> ChunkBytes(std::string_view text) {
  double mb = 0;
  if (!absl::SimpleAtod(std::string(text), &mb) || !std::isfinite(mb) || mb * 1048576.0 < 1 ||
      mb > 1048576.0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--chunk-mb '%s': a number of MiB from 0.000001 (one byte) to 1048576", text));
  }
  return static_cast<std::int64_t>(mb * 1048576.0);
}

// Product -> category of every batch so far: a product seen with two
// categories in different batches is the error one load gives
// (ProductsFromLineCategories) within one.
absl::Status CheckCategories(const Dataset& batch, const Dictionaries& dicts,
                             std::vector<Id>& seen) {
  const Products* products = batch.products();
  if (products == nullptr || products->columns().category.empty()) return absl::OkStatus();
  const ProductsColumns& c = products->columns();
  for (std::size_t i = 0; i < c.product.size(); ++i) {
    const Id category = c.category[i];
    const auto p = static_cast<std::size_t>(c.product[i]);
    if (category == kNoId) continue;
    if (seen.size() <= p) seen.resize(p + 1, kNoId);
    if (seen[p] == kNoId) {
      seen[p] = category;
    } else if (seen[p] != category) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "orders: product '%s' has category '%s' but earlier '%s'",
          dicts.products->Code(c.product[i]), dicts.categories->Code(category),
          dicts.categories->Code(seen[p])));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<FlagSpec> StreamFlags(
    const std::vector<std::pair<std::string, std::string>>& refused, MainFile streamed) {
  const std::string file = MainFileFlag(streamed);
  FlagSpec stream{"stream", "",
                  absl::StrCat("read --", file,
                               " in batches of --chunk-mb (memory: a batch + the distinct "
                               "codes; the file is read twice; README \"Streaming\")")};
  stream = stream.Needs(file, absl::StrCat("it streams the ", file, " export"));
  for (const std::string& attrs : {std::string("attrs"), absl::StrCat(file, "-attrs")}) {
    stream = stream.Excludes(attrs, "a streamed read keeps no attribute columns");
  }
  for (const auto& [flag, why] : refused) stream = stream.Excludes(flag, why);
  FlagSpec chunk{"chunk-mb", "MB",
                 "input per batch of --stream in MiB, decimals allowed (default 64)"};
  chunk = chunk.Needs("stream").Check(
      [](std::string_view v) { return ChunkBytes(v).status(); });
  return {stream, chunk};
}

absl::StatusOr<std::unique_ptr<StreamedExports>> StreamedExports::Run(const Args& args,
                                                                      MainFile streamed,
                                                                      const Batch& batch) {
  if (streamed != MainFile::kOrders && streamed != MainFile::kPipeline) {
    return absl::InternalError("--stream reads orders or pipeline exports only");
  }
  std::unique_ptr<StreamedExports> out(new StreamedExports());
  std::int64_t chunk = static_cast<std::int64_t>(kDefaultChunkMb * 1048576.0);
  if (std::optional<std::string> mb = args.Get("chunk-mb")) {
    SALESIGHT_ASSIGN_OR_RETURN(chunk, ChunkBytes(*mb));
  }
  const bool orders = streamed == MainFile::kOrders;
  // Pass 1 inside the one loading of the exports (summaries, --rejects and
  // the canonical ids are a full load's); its options are pass 2's.
  std::optional<IngestOptions> options;
  std::vector<std::pair<std::string, std::string>> stages;
  OrdersReader scan_orders = [&](const std::string& path, const IngestOptions& o,
                                 Dictionaries& dicts) -> absl::StatusOr<OrdersCsv> {
    options = o;
    SALESIGHT_ASSIGN_OR_RETURN(OrdersScan scan, ScanOrdersCsv(path, o, dicts, chunk));
    out->max_date_ = scan.max_date;
    return std::move(scan.empty);
  };
  PipelineReader scan_pipeline =
      [&](const std::string& path, const IngestOptions& o,
          const std::vector<std::pair<std::string, std::string>>& s,
          Dictionaries& dicts) -> absl::StatusOr<PipelineCsv> {
    options = o;
    stages = s;
    return ScanPipelineCsv(path, o, s, dicts, chunk);
  };
  SALESIGHT_ASSIGN_OR_RETURN(out->exports_,
                             orders ? LoadExports(args, streamed, scan_orders)
                                    : LoadExports(args, streamed, {}, scan_pipeline));
  LoadedExports& exports = out->exports_;
  if (!options || (orders ? !exports.orders : !exports.pipeline)) {
    return absl::InternalError(absl::StrCat("--stream: the ", MainFileFlag(streamed),
                                            " export was not read"));
  }
  std::vector<Id> categories;
  // Each batch stands in for the table of no rows while its dataset is built.
  auto each = [&](auto& slot, auto rows) -> absl::Status {
    slot = std::move(rows);
    absl::Status st = [&]() -> absl::Status {
      SALESIGHT_ASSIGN_OR_RETURN(Dataset data, DatasetFromExports(exports));
      SALESIGHT_RETURN_IF_ERROR(CheckCategories(data, exports.dicts, categories));
      return batch(data, out->max_date_);
    }();
    slot.reset();  // it borrows the reader's columns
    return st;
  };
  const std::string path = *args.Get(MainFileFlag(streamed));
  absl::Status st;
  if (orders) {
    OrdersCsv empty = std::move(*exports.orders);
    exports.orders.reset();
    st = StreamOrdersCsv(path, *options, exports.dicts, chunk, empty,
                         [&](OrdersCsv rows) { return each(exports.orders, std::move(rows)); });
    exports.orders = std::move(empty);
  } else {
    PipelineCsv empty = std::move(*exports.pipeline);
    exports.pipeline.reset();
    st = StreamPipelineCsv(
        path, *options, stages, exports.dicts, chunk, empty,
        [&](PipelineCsv rows) { return each(exports.pipeline, std::move(rows)); });
    exports.pipeline = std::move(empty);
  }
  SALESIGHT_RETURN_IF_ERROR(st);
  SALESIGHT_ASSIGN_OR_RETURN(Dataset context, DatasetFromExports(exports));
  out->context_.emplace(std::move(context));
  return out;
}

}  // namespace salesight::cli
