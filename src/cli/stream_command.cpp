#include "internal/stream_command.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>

#include "absl/strings/numbers.h"
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
    const std::vector<std::pair<std::string, std::string>>& refused) {
  FlagSpec stream{"stream", "",
                  "read --orders in batches of --chunk-mb (memory: a batch + the distinct "
                  "codes; the file is read twice; README \"Streaming\")"};
  stream = stream.Needs("orders", "it streams the orders export");
  for (const char* attrs : {"attrs", "orders-attrs"}) {
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
                                                                      const Batch& batch) {
  std::unique_ptr<StreamedExports> out(new StreamedExports());
  std::int64_t chunk = static_cast<std::int64_t>(kDefaultChunkMb * 1048576.0);
  if (std::optional<std::string> mb = args.Get("chunk-mb")) {
    SALESIGHT_ASSIGN_OR_RETURN(chunk, ChunkBytes(*mb));
  }
  // Pass 1 inside the one loading of the exports (summaries, --rejects and
  // the canonical ids are a full load's); its options are pass 2's.
  std::optional<IngestOptions> orders_options;
  SALESIGHT_ASSIGN_OR_RETURN(
      out->exports_,
      LoadExports(args, MainFile::kOrders,
                  [&](const std::string& path, const IngestOptions& o,
                      Dictionaries& dicts) -> absl::StatusOr<OrdersCsv> {
                    orders_options = o;
                    SALESIGHT_ASSIGN_OR_RETURN(OrdersScan scan,
                                               ScanOrdersCsv(path, o, dicts, chunk));
                    out->max_date_ = scan.max_date;
                    return std::move(scan.empty);
                  }));
  LoadedExports& exports = out->exports_;
  if (!orders_options || !exports.orders) {
    return absl::InternalError("--stream: the orders export was not read");
  }
  // Each batch stands in for the empty table while its dataset is built.
  OrdersCsv empty = std::move(*exports.orders);
  std::vector<Id> categories;
  const std::string path = *args.Get("orders");
  absl::Status streamed = StreamOrdersCsv(
      path, *orders_options, exports.dicts, chunk, empty, [&](OrdersCsv rows) -> absl::Status {
        exports.orders = std::move(rows);
        absl::Status st = [&]() -> absl::Status {
          SALESIGHT_ASSIGN_OR_RETURN(Dataset data, DatasetFromExports(exports));
          SALESIGHT_RETURN_IF_ERROR(CheckCategories(data, exports.dicts, categories));
          return batch(data, out->max_date_);
        }();
        exports.orders.reset();  // it borrows the reader's columns
        return st;
      });
  exports.orders = std::move(empty);
  SALESIGHT_RETURN_IF_ERROR(streamed);
  SALESIGHT_ASSIGN_OR_RETURN(Dataset context, DatasetFromExports(exports));
  out->context_.emplace(std::move(context));
  return out;
}

}  // namespace salesight::cli
