#include "internal/ingest_flags.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "salesight/csv_preset.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::cli {

const char* MainFileFlag(MainFile f) {
  switch (f) {
    case MainFile::kOrders: return "orders";
    case MainFile::kPipeline: return "pipeline";
    case MainFile::kInvoices: return "invoices";
    case MainFile::kPayments: return "payments";
    case MainFile::kTargets: return "targets";
  }
  return "";
}

namespace {

absl::StatusOr<char> SingleChar(const Args& args, std::string_view flag, char fallback) {
  std::optional<std::string> v = args.Get(flag);
  if (!v) return fallback;
  if (*v == "\\t" || *v == "tab") return '\t';
  if (v->size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--%s must be one character, got '%s'", flag, *v));
  }
  return (*v)[0];
}

absl::StatusOr<IngestOptions> OptionsFor(const Args& args, MainFile file, MainFile main) {
  IngestOptions o;
  SALESIGHT_ASSIGN_OR_RETURN(o.dialect.delimiter, SingleChar(args, "delimiter", ','));
  SALESIGHT_ASSIGN_OR_RETURN(o.thousands_separator, SingleChar(args, "thousands", '\0'));
  o.dialect.has_header = !args.Has("no-header");
  o.stop_on_first_error = args.Has("stop-on-error");
  o.excel_dates = args.Has("excel-dates");
  // Every command's --threads (default 0 = all cores) also reads orders files
  // in parallel (csv.hpp "Parallel reading"; same result for any count).
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t scale, args.GetInt("money-scale", -1));  // range checked
  o.money_scale = static_cast<int>(scale);
  SALESIGHT_ASSIGN_OR_RETURN(o.date_format, ParseDateFormatName(args.GetOr("date-format", "auto")));
  SALESIGHT_ASSIGN_OR_RETURN(o.encoding, ParseEncodingName(args.GetOr("encoding", "auto")));
  if (std::optional<std::string> preset = args.Get("preset")) {
    // After the reading flags (a stated --encoding / --date-format wins) and
    // under --map (an explicit mapping wins field by field).
    SALESIGHT_ASSIGN_OR_RETURN(ExportPreset p, LoadPreset(*preset));
    ApplyPreset(p, MainFileFlag(file), &o);
  }
  std::string spec = args.GetOr(std::string(MainFileFlag(file)) + "-map", "");
  if (spec.empty() && file == main) spec = args.GetOr("map", "");
  SALESIGHT_ASSIGN_OR_RETURN(o.mapping, ParseFieldMapping(spec));
  // Attribute columns: --attrs for the main file (as --map), --<file>-attrs per file.
  std::optional<std::string> attrs = args.Get(std::string(MainFileFlag(file)) + "-attrs");
  if (!attrs && file == main) attrs = args.Get("attrs");
  if (attrs) {
    o.attributes = IngestOptions::AttributeSelection::kListed;
    if (absl::StripAsciiWhitespace(*attrs) != "none") o.attribute_columns = SplitColumnList(*attrs);
  }
  // Document-style exports: the main file's (like --attrs).
  if (std::optional<std::string> fill = args.Get("fill-down"); fill && file == main) {
    o.fill_down = SplitColumnList(*fill);
    o.document_total = args.GetOr("document-total", "");
  }
  // `funnel --lost COL` is shorthand for lost=COL in the pipeline mapping.
  if (file == MainFile::kPipeline && args.Has("lost") && o.mapping.Find("lost") == nullptr) {
    o.mapping.fields.emplace_back("lost", *args.Get("lost"));
  }
  if (StderrIsTerminal()) {
    o.progress = [name = std::string(MainFileFlag(file))](std::int64_t done, std::int64_t total) {
      if (total > (std::int64_t{64} << 20)) {
        std::fprintf(stderr, "\rloading %s: %3d%%", name.c_str(),
                     static_cast<int>(100 * done / std::max<std::int64_t>(total, 1)));
        if (done >= total) std::fprintf(stderr, "\n");
      }
    };
  }
  return o;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseStages(const Args& args) {
  std::vector<std::pair<std::string, std::string>> stages;
  std::optional<std::string> spec = args.Get("stages");
  if (!spec) return stages;
  // Same syntax as --map: name=Column,... in funnel order.
  SALESIGHT_ASSIGN_OR_RETURN(FieldMapping m, ParseFieldMapping(*spec));
  return m.fields;
}

void Summarize(const std::string& path, const RejectReport& r) {
  std::cerr << absl::StrFormat("%s: %d data lines, %d accepted, %d rejected", path,
                               r.data_lines, r.accepted, r.rejected);
  if (r.total_rows > 0) std::cerr << absl::StrFormat(", %d total rows", r.total_rows);
  std::cerr << "\n";
  if (r.rejected > 0 || r.total_mismatches > 0) std::cerr << FormatRejectReport(r, 10);
}

void AppendRejects(std::ofstream& out, const std::string& path, const RejectReport& r) {
  auto q = [](const std::string& s) {
    std::string o = "\"";
    for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
  };
  // Then the rows kept out of the data or completed ("total row: ...",
  // "filled down: ...", "document total mismatch: ..."), so every such row is listed.
  for (const std::vector<Reject>* list : {&r.rejects, &r.notes}) {
    for (const Reject& x : *list) {
      out << q(path) << ',' << x.line << ',' << q(x.column) << ',' << q(x.value) << ','
          << q(x.reason) << '\n';
    }
  }
}

}  // namespace

std::vector<FlagSpec> IngestFlagSpecs(const std::vector<MainFile>& files,
                                      const std::vector<MainFile>& standalone) {
  const MainFile main = files.front();
  const std::string main_flag = MainFileFlag(main);
  auto is_standalone = [&](MainFile f) {
    return f == main || std::find(standalone.begin(), standalone.end(), f) != standalone.end();
  };
  std::string any_file, any_main;  // "orders|pipeline|..."
  for (MainFile f : files) {
    const std::string name = MainFileFlag(f);
    any_file += (any_file.empty() ? "" : "|") + name;
    if (is_standalone(f)) any_main += (any_main.empty() ? "" : "|") + name;
  }
  const std::string sample_why = "without an export the bundled sample is analysed";
  std::vector<FlagSpec> specs;
  for (MainFile f : files) {
    std::string name = MainFileFlag(f);
    FlagSpec file{name, "FILE", name + " export (CSV)"};
    if (f == MainFile::kPayments) {
      file = file.Needs("invoices", "payments name invoices");
    } else if (!is_standalone(f)) {
      file = file.Needs(main_flag, "without --" + main_flag + " the bundled sample is analysed");
    }
    specs.push_back(file);
    specs.push_back(FlagSpec{name + "-map", "SPEC", "field=Column,... for the " + name + " file"}
                        .Needs(name));
    if (f != MainFile::kPayments && f != MainFile::kTargets) {
      specs.push_back(FlagSpec{name + "-attrs", "COL,...|none",
                               "attribute columns of the " + name + " file (as --attrs)"}
                          .Needs(name));
    }
  }
  specs.push_back(FlagSpec{"map", "SPEC",
                           "field=Column,... for the main file (column names may contain spaces)"}
                      .Needs(any_main, sample_why));
  if (main != MainFile::kPayments && main != MainFile::kTargets) {
    specs.push_back(
        FlagSpec{"attrs", "COL,...|none",
                 "unmapped columns of the main file kept as dimensions (default: all, at most "
                 "64, each at most 2^20 distinct values; none = keep none)"}
            .Needs(any_main, sample_why));
  }
  specs.push_back(
      FlagSpec{"fill-down", "COL,...",
               "document-style export: header columns carried down to a document's lines (the "
               "first starts a document when not empty)"}
          .Needs(any_main, sample_why));
  specs.push_back(FlagSpec{"document-total", "COL",
                           "the column holding a document's amount on its first line: checked "
                           "against its lines, never added"}
                      .Needs("fill-down", "documents are defined by --fill-down"));
  if (std::find(files.begin(), files.end(), MainFile::kPipeline) != files.end()) {
    specs.push_back(FlagSpec{"stages", "NAME=COL,...",
                             "pipeline stage date columns in funnel order (default lead_date, ...)"}
                        .Needs("pipeline", "they are columns of the pipeline export"));
  }
  const std::vector<FlagSpec> reading = {
      {"date-format", "F",
       "%Y-%m-%d, %Y/%m/%d, %m/%d/%Y, %d.%m.%Y, %Y%m%d, %d/%m/%Y, %m/%d/%y, %d/%m/%y or "
       "auto (default auto; day-first and 2-digit years must be stated)"},
      {"delimiter", "C", "field delimiter (default ','; 'tab' for tab)"},
      {"preset", "NAME|FILE.json",
       "column names of an ERP's exports: kingdee, yonyou, odoo, erpnext, sap_b1, or your own "
       "JSON file (README \"Export presets\"); --map still wins field by field"},
      {"encoding", "E",
       "utf-8, gb18030 (gbk is read as gb18030), utf-16 or auto (default: UTF-16 by its byte "
       "order mark, else UTF-8; a GB18030 file is an error naming this flag)"},
      {"excel-dates", "",
       "bare numbers of 1..5 digits in date columns are Excel serial dates (1900 system, "
       "45293 = 2024-01-02)"},
      FlagSpec{"money-scale", "N", "decimals of money, 0..6 (default: smallest exact)"}.Range(
          0, kMaxMoneyScale),
      {"thousands", "C", "thousands separator in amounts (default none)"},
      {"no-header", "", "the files have no header row (columns named 1, 2, ...)"},
      {"stop-on-error", "", "stop at the first bad row instead of reporting it"},
      {"rejects", "FILE.csv", "write every rejected row (file, line, column, value, reason)"},
  };
  for (const FlagSpec& r : reading) specs.push_back(r.Needs(any_file, sample_why));
  return specs;
}

absl::StatusOr<LoadedExports> LoadExports(const Args& args, MainFile main,
                                          const OrdersReader& read_orders,
                                          const PipelineReader& read_pipeline) {
  LoadedExports out;
  std::optional<std::ofstream> rejects;
  if (std::optional<std::string> path = args.Get("rejects")) {
    rejects.emplace(*path);
    if (!*rejects) {
      return absl::NotFoundError(absl::StrFormat("cannot open '%s' for writing", *path));
    }
    *rejects << "file,line,column,value,reason\n";
  }
  if (std::optional<std::string> path = args.Get("orders")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kOrders, main));
    SALESIGHT_ASSIGN_OR_RETURN(OrdersCsv csv, read_orders ? read_orders(*path, o, out.dicts)
                                                          : ReadOrdersCsv(*path, o, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.orders = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("pipeline")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kPipeline, main));
    SALESIGHT_ASSIGN_OR_RETURN(auto stages, ParseStages(args));
    SALESIGHT_ASSIGN_OR_RETURN(PipelineCsv csv,
                               read_pipeline ? read_pipeline(*path, o, stages, out.dicts)
                                             : ReadPipelineCsv(*path, o, stages, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.pipeline = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("invoices")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kInvoices, main));
    SALESIGHT_ASSIGN_OR_RETURN(InvoicesCsv csv, ReadInvoicesCsv(*path, o, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.invoices = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("payments")) {
    // --payments needs --invoices is a flag rule (IngestFlagSpecs); kept as a guard.
    if (!out.invoices) return absl::InternalError("payments without invoices");
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kPayments, main));
    SALESIGHT_ASSIGN_OR_RETURN(PaymentsCsv csv,
                               ReadPaymentsCsv(*path, o, out.invoices->table, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.payments = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("targets")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kTargets, main));
    SALESIGHT_ASSIGN_OR_RETURN(TargetsCsv csv, ReadTargetsCsv(*path, o, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.targets = std::move(csv);
  }
  // Ids in the codes' value order across all the files (csv.hpp).
  CsvLoad load;
  if (out.orders) load.orders = &*out.orders;
  if (out.pipeline) load.pipeline = &*out.pipeline;
  if (out.invoices) load.invoices = &*out.invoices;
  if (out.targets) load.targets = &*out.targets;
  SALESIGHT_RETURN_IF_ERROR(CanonicalizeIds(out.dicts, load));
  return out;
}

absl::StatusOr<std::optional<Products>> ProductsFromLineCategories(const OrdersCsv& csv,
                                                                   const Dictionaries& dicts) {
  if (csv.category.empty() || csv.table.columns().product.empty()) return std::nullopt;
  const Column<Id>& product = csv.table.columns().product;
  std::vector<Id> category_of(static_cast<std::size_t>(csv.table.num_products()), kNoId);
  for (std::size_t i = 0; i < product.size(); ++i) {
    Id& c = category_of[static_cast<std::size_t>(product[i])];
    if (c == kNoId) {
      c = csv.category[i];
    } else if (c != csv.category[i]) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "orders row %d: product '%s' has category '%s' but earlier '%s'", i,
          dicts.products ? std::string(dicts.products->Code(product[i])) : std::to_string(product[i]),
          dicts.categories->Code(csv.category[i]), dicts.categories->Code(c)));
    }
  }
  ProductsColumns pc;
  std::vector<Id> ids(category_of.size());
  for (std::size_t p = 0; p < ids.size(); ++p) ids[p] = static_cast<Id>(p);
  pc.product = Column<Id>::Own(std::move(ids));
  pc.category = Column<Id>::Own(std::move(category_of));
  pc.money_scale = csv.table.money_scale();
  pc.products = dicts.products;
  pc.categories = dicts.categories;
  SALESIGHT_ASSIGN_OR_RETURN(Products products, Products::Build(std::move(pc)));
  return products;
}

absl::StatusOr<Dataset> DatasetFromExports(const LoadedExports& exports) {
  DatasetTables t;
  if (exports.orders) {
    t.orders = BorrowTable(exports.orders->table);
    SALESIGHT_ASSIGN_OR_RETURN(std::optional<Products> products,
                               ProductsFromLineCategories(*exports.orders, exports.dicts));
    if (products) t.products = std::make_shared<const Products>(*std::move(products));
  }
  if (exports.pipeline) t.pipeline = BorrowTable(exports.pipeline->table);
  if (exports.invoices) t.invoices = BorrowTable(exports.invoices->table);
  if (exports.payments) t.payments = BorrowTable(exports.payments->table);
  if (exports.targets) t.targets = BorrowTable(exports.targets->table);
  return Dataset::Build(std::move(t));
}

absl::Status CheckDimensionFlag(const Dataset& data, TableKind rows, const std::string& name,
                                std::string_view flag) {
  if (absl::Status st = data.Dimension(rows, name).status(); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat("--%s: %s", flag, st.message()));
  }
  return absl::OkStatus();
}

}  // namespace salesight::cli
