// The shared ingestion flags of every subcommand that reads exports:
//   --orders / --pipeline / --invoices / --payments / --targets FILE   the exports
//   --map SPEC                 field=Column,... for the command's main file
//   --orders-map / --pipeline-map / ... SPEC  per file, when several
//   --stages NAME=COL,...      pipeline stage columns in funnel order
//   --attrs COL,...|none       unmapped columns of the main file kept as attributes
//                              (default all); --orders-attrs ... per file
//   --fill-down COL,...  --document-total COL   document-style exports (csv.hpp)
//   --date-format F  --excel-dates  --delimiter C  --encoding E  --money-scale N  --thousands C  --no-header
//   --stop-on-error  --rejects FILE.csv
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "args.hpp"
#include "salesight/csv.hpp"
#include "salesight/dataset.hpp"

namespace salesight::cli {

enum class MainFile { kOrders, kPipeline, kInvoices, kPayments, kTargets };

// "orders", "pipeline", ...: the file's flag name.
const char* MainFileFlag(MainFile file);

// Flag specs for the files a command reads, main first, with their rules:
// every other file needs the main one (without it the bundled sample is
// analysed), except the `standalone` ones; --payments needs --invoices; a
// per-file map needs its file; --map needs the main or a standalone file;
// --stages needs --pipeline; the reading options (--date-format ...
// --rejects) need some file.
std::vector<FlagSpec> IngestFlagSpecs(const std::vector<MainFile>& files,
                                      const std::vector<MainFile>& standalone = {});

struct LoadedExports {
  Dictionaries dicts;
  std::optional<OrdersCsv> orders;
  std::optional<PipelineCsv> pipeline;
  std::optional<InvoicesCsv> invoices;
  std::optional<PaymentsCsv> payments;  // needs invoices (payments name invoice codes)
  std::optional<TargetsCsv> targets;
};

// How the orders export is read (default ReadOrdersCsv); `--stream` reads
// it otherwise (stream_command.hpp).
using OrdersReader = std::function<absl::StatusOr<OrdersCsv>(
    const std::string& path, const IngestOptions& options, Dictionaries& dicts)>;

// Loads every file given on the command line. `main` is the file plain --map
// applies to. A one-line summary per file and the reject summary go to stderr;
// --rejects FILE.csv writes every kept reject (file, line, column, value, reason).
// The same for the pipeline export.
using PipelineReader = std::function<absl::StatusOr<PipelineCsv>(
    const std::string& path, const IngestOptions& options,
    const std::vector<std::pair<std::string, std::string>>& stages, Dictionaries& dicts)>;
absl::StatusOr<LoadedExports> LoadExports(const Args& args, MainFile main,
                                          const OrdersReader& read_orders = {},
                                          const PipelineReader& read_pipeline = {});

// Orders exports often carry the product category per line; the dataset
// wants it on a Products table (the line -> product -> category relation).
// The first category seen for a product wins; a product seen with two
// different categories is an error naming it. nullopt when the orders have
// no category or no product column.
absl::StatusOr<std::optional<Products>> ProductsFromLineCategories(const OrdersCsv& csv,
                                                                   const Dictionaries& dicts);

// The one dataset of the loaded exports: every table given, and a products
// table from the orders' per-line categories. Borrows `exports` (keep it
// alive) except the derived products, which the dataset owns.
absl::StatusOr<Dataset> DatasetFromExports(const LoadedExports& exports);

// OK when `name` is a dimension of the dataset's `rows`; else an error
// "--<flag>: ..." naming the valid names and the closest one.
absl::Status CheckDimensionFlag(const Dataset& data, TableKind rows, const std::string& name,
                                std::string_view flag);

}  // namespace salesight::cli
