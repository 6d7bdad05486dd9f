// salesight_csv_*: CSV exports into table handles, with the reject report.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/csv.hpp"
#include "salesight/csv_preset.hpp"
#include "salesight/date.hpp"

namespace salesight::capi {
struct CsvReportImpl {
  RejectReport report;
  std::string summary;
};
SALESIGHT_CAPI_HANDLE(salesight_csv_report, CsvReportImpl)
}  // namespace salesight::capi

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::Impl;
using salesight::capi::NullArgument;

namespace salesight::capi {
namespace {

// The preset table a file of `kind` reads (csv_preset.hpp); "" = none.
const char* PresetTable(salesight_table_kind kind) {
  switch (kind) {
    case SALESIGHT_TABLE_ORDERS: return "orders";
    case SALESIGHT_TABLE_CUSTOMERS: return "customers";
    case SALESIGHT_TABLE_PRODUCTS: return "products";
    case SALESIGHT_TABLE_INVOICES: return "invoices";
    case SALESIGHT_TABLE_PAYMENTS: return "payments";
    default: return "";
  }
}

salesight_csv_options DefaultCsvOptions() {
  salesight_csv_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.delimiter = ',';
  o.quote = '"';
  o.decimal_point = '.';
  o.thousands_separator = '\0';
  o.has_header = 1;
  o.money_scale = -1;
  o.stop_on_first_error = 0;
  o.max_rejects_kept = 1000;
  return o;
}

// The code domains a CSV read may share with another table, and their slots.
struct SharedDomain {
  const char* domain;
  std::shared_ptr<Dictionary> Dictionaries::*slot;
};
constexpr SharedDomain kSharedDomains[] = {
    {"customer", &Dictionaries::customers},      {"product", &Dictionaries::products},
    {"region", &Dictionaries::regions},          {"salesperson", &Dictionaries::salespeople},
    {"channel", &Dictionaries::channels},        {"department", &Dictionaries::departments},
    {"category", &Dictionaries::categories},     {"source", &Dictionaries::sources},
    {"lost_reason", &Dictionaries::lost_reasons}};

// Copies the shared table's dictionaries into `dicts` (copies: the shared
// table stays immutable; ids of its codes are preserved).
void ShareDictionaries(const TableImpl& from, Dictionaries& dicts) {
  for (const SharedDomain& s : kSharedDomains) {
    if (DictionaryPtr d = TableDictionary(from, s.domain)) {
      dicts.*s.slot = std::make_shared<Dictionary>(*d);
    }
  }
}

// Maps a reading error to a status: files that cannot be opened are IO.
salesight_status ReadError(const absl::Status& st) {
  if (st.code() == absl::StatusCode::kNotFound || st.code() == absl::StatusCode::kUnavailable ||
      st.code() == absl::StatusCode::kPermissionDenied || st.code() == absl::StatusCode::kDataLoss) {
    return Fail(SALESIGHT_ERR_IO, std::string(st.message()));
  }
  return FromStatus(st);
}

template <typename T>
salesight_status Take(absl::StatusOr<T> read, TableImpl* table, RejectReport* report) {
  if (!read.ok()) return ReadError(read.status());
  table->table = std::move(read->table);
  *report = std::move(read->report);
  return SALESIGHT_OK;
}

salesight_status Read(salesight_table_kind kind, const char* path,
                      const salesight_csv_options* options, salesight_table** out_table,
                      salesight_csv_report** out_report) {
  constexpr const char* kFn = "salesight_csv_read";
  if (out_report != nullptr) *out_report = nullptr;
  if (out_table == nullptr) return NullArgument(kFn, "out_table");
  *out_table = nullptr;
  if (path == nullptr) return NullArgument(kFn, "path");
  salesight_csv_options o = DefaultCsvOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_csv_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (o.reserved != 0 || o.reserved2 != 0 || o.reserved3 != 0) {
    return Fail(SALESIGHT_ERR_UNSUPPORTED,
                "salesight_csv_options.reserved, reserved2 and reserved3 must be 0 in this "
                "version");
  }
  if (o.max_rejects_kept < 0 || o.money_scale < -1 || o.money_scale > kMaxMoneyScale) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: max_rejects_kept %d must be >= 0 and money_scale %d in "
                                "-1..%d",
                                kFn, o.max_rejects_kept, o.money_scale, kMaxMoneyScale));
  }
  IngestOptions in;
  in.dialect.delimiter = o.delimiter;
  in.dialect.quote = o.quote;
  in.dialect.has_header = o.has_header != 0;
  in.decimal_point = o.decimal_point;
  in.thousands_separator = o.thousands_separator;
  in.money_scale = o.money_scale;
  in.stop_on_first_error = o.stop_on_first_error != 0;
  in.excel_dates = o.excel_dates != 0;
  if (o.fill_down != nullptr) in.fill_down = SplitColumnList(o.fill_down);
  if (o.document_total != nullptr) in.document_total = o.document_total;
  in.max_rejects_kept = static_cast<std::size_t>(o.max_rejects_kept);
  in.num_threads = o.num_threads;
  if (o.mapping != nullptr) {
    absl::StatusOr<FieldMapping> mapping = ParseFieldMapping(o.mapping);
    if (!mapping.ok()) return FromStatus(mapping.status());
    in.mapping = *std::move(mapping);
  }
  if (o.encoding != nullptr) {
    absl::StatusOr<Encoding> encoding = ParseEncodingName(o.encoding);
    if (!encoding.ok()) return FromStatus(encoding.status());
    in.encoding = *encoding;
  }
  if (o.date_format != nullptr && *o.date_format != '\0') {
    absl::StatusOr<DateFormat> format = ParseDateFormatName(o.date_format);
    if (!format.ok()) return FromStatus(format.status());
    in.date_format = *format;
  }
  if (o.preset != nullptr) {
    absl::StatusOr<ExportPreset> preset = LoadPreset(o.preset);
    if (!preset.ok()) return FromStatus(preset.status());
    ApplyPreset(*preset, PresetTable(kind), &in);
  }
  Dictionaries dicts;
  if (o.share_dictionaries != nullptr) ShareDictionaries(*Impl(o.share_dictionaries), dicts);

  auto table = std::make_unique<TableImpl>();
  table->kind = kind;
  auto report = std::make_unique<CsvReportImpl>();
  salesight_status st = SALESIGHT_OK;
  switch (kind) {
    case SALESIGHT_TABLE_ORDERS: {
      absl::StatusOr<OrdersCsv> read = ReadOrdersCsv(path, in, dicts);
      if (read.ok()) {
        table->category = std::move(read->category);
        table->categories = dicts.categories;
      }
      st = Take(std::move(read), table.get(), &report->report);
      break;
    }
    case SALESIGHT_TABLE_CUSTOMERS:
      st = Take(ReadCustomersCsv(path, in, dicts), table.get(), &report->report);
      break;
    case SALESIGHT_TABLE_PRODUCTS:
      st = Take(ReadProductsCsv(path, in, dicts), table.get(), &report->report);
      break;
    case SALESIGHT_TABLE_PIPELINE: {
      std::vector<std::pair<std::string, std::string>> stages;
      if (o.stages != nullptr && *o.stages != '\0') {
        // The stage list has the mapping's syntax: stage=column, in order.
        absl::StatusOr<FieldMapping> parsed = ParseFieldMapping(o.stages);
        if (!parsed.ok()) return FromStatus(parsed.status());
        stages = std::move(parsed->fields);
      }
      st = Take(ReadPipelineCsv(path, in, stages, dicts), table.get(), &report->report);
      break;
    }
    case SALESIGHT_TABLE_INVOICES:
      st = Take(ReadInvoicesCsv(path, in, dicts), table.get(), &report->report);
      break;
    case SALESIGHT_TABLE_PAYMENTS: {
      const Invoices* invoices = nullptr;
      if (salesight_status s = TableAs(o.invoices, kFn, "options->invoices", &invoices);
          s != SALESIGHT_OK) {
        return s;
      }
      st = Take(ReadPaymentsCsv(path, in, *invoices, dicts), table.get(), &report->report);
      break;
    }
    case SALESIGHT_TABLE_TARGETS:
      st = Take(ReadTargetsCsv(path, in, dicts), table.get(), &report->report);
      break;
    default:
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: %d is not a SALESIGHT_TABLE_* kind", kFn, kind));
  }
  if (st != SALESIGHT_OK) return st;
  if (o.share_dictionaries != nullptr) {
    // The reader ordered the codes it added after the shared ones (csv.hpp);
    // a table that cannot be in value order that way is refused (see
    // salesight_table_builder_share_dictionaries).
    for (const SharedDomain& s : kSharedDomains) {
      const char* domain = s.domain;
      const DictionaryPtr shared = TableDictionary(*Impl(o.share_dictionaries), domain);
      const DictionaryPtr read = TableDictionary(*table, domain);
      if (!shared || !read) continue;
      if (absl::Status order = CheckAddedCodesInOrder(*read, shared->size()); !order.ok()) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    absl::StrFormat("%s: %s codes: %s; read first the file holding every %s "
                                    "code",
                                    path, domain, order.message(), domain));
      }
    }
  }
  *out_table = ToHandle(table.release());
  if (out_report != nullptr) {
    report->summary = FormatRejectReport(report->report);
    *out_report = ToHandle(report.release());
  }
  return SALESIGHT_OK;
}

salesight_status Count(const salesight_csv_report* report, int64_t* out, const char* function,
                       std::int64_t RejectReport::*field) {
  if (report == nullptr) return NullArgument(function, "report");
  if (out == nullptr) return NullArgument(function, "out");
  *out = Impl(report)->report.*field;
  return SALESIGHT_OK;
}

// line, column, value, reason of the report's `rows` (rejects or notes).
salesight_status RowsResult(const salesight_csv_report* report,
                            std::vector<Reject> RejectReport::*rows, salesight_result** out,
                            const char* function) {
  if (out == nullptr) return NullArgument(function, "out");
  *out = nullptr;
  if (report == nullptr) return NullArgument(function, "report");
  ResultTable t;
  t.AddInt64("line");
  t.AddString("column");
  t.AddString("value");
  t.AddString("reason");
  // References into the columns stay valid (a deque), but take them together.
  auto& cols = t.mutable_columns();
  ResultColumn& line = cols[0];
  ResultColumn& column = cols[1];
  ResultColumn& value = cols[2];
  ResultColumn& reason = cols[3];
  for (const Reject& r : Impl(report)->report.*rows) {
    line.ints.push_back(r.line);
    column.strings.push_back(r.column);
    value.strings.push_back(r.value);
    reason.strings.push_back(r.reason);
  }
  return NewResult(std::move(t), out);
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_csv_options_init(salesight_csv_options* options, size_t struct_size) {
  return salesight::capi::InitOptions("salesight_csv_options_init", options, struct_size,
                                      salesight::capi::DefaultCsvOptions);
}

salesight_status salesight_csv_read(salesight_table_kind kind, const char* path,
                                    const salesight_csv_options* options,
                                    salesight_table** out_table,
                                    salesight_csv_report** out_report) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::Read(kind, path, options, out_table, out_report);
  });
}

salesight_status salesight_csv_read_orders(const char* path, const salesight_csv_options* options,
                                           salesight_table** out_table,
                                           salesight_csv_report** out_report) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::Read(SALESIGHT_TABLE_ORDERS, path, options, out_table, out_report);
  });
}

void salesight_csv_report_destroy(salesight_csv_report* report) { delete Impl(report); }

salesight_status salesight_csv_report_data_lines(const salesight_csv_report* report, int64_t* out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::Count(report, out, "salesight_csv_report_data_lines",
                                  &salesight::RejectReport::data_lines);
  });
}

salesight_status salesight_csv_report_accepted(const salesight_csv_report* report, int64_t* out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::Count(report, out, "salesight_csv_report_accepted",
                                  &salesight::RejectReport::accepted);
  });
}

salesight_status salesight_csv_report_rejected(const salesight_csv_report* report, int64_t* out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::Count(report, out, "salesight_csv_report_rejected",
                                  &salesight::RejectReport::rejected);
  });
}

salesight_status salesight_csv_report_rejects(const salesight_csv_report* report,
                                              salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::RowsResult(report, &salesight::RejectReport::rejects, out,
                                       "salesight_csv_report_rejects");
  });
}

salesight_status salesight_csv_report_notes(const salesight_csv_report* report,
                                            salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::RowsResult(report, &salesight::RejectReport::notes, out,
                                       "salesight_csv_report_notes");
  });
}

salesight_status salesight_csv_report_count(const salesight_csv_report* report, const char* name,
                                            int64_t* out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_csv_report_count";
    if (name == nullptr) return NullArgument(kFn, "name");
    using R = salesight::RejectReport;
    static constexpr std::pair<std::string_view, std::int64_t R::*> kCounts[] = {
        {"data_lines", &R::data_lines},   {"accepted", &R::accepted},
        {"rejected", &R::rejected},       {"total_rows", &R::total_rows},
        {"filled_down", &R::filled_down}, {"total_mismatches", &R::total_mismatches}};
    for (const auto& [n, field] : kCounts) {
      if (n == name) return salesight::capi::Count(report, out, kFn, field);
    }
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: unknown count '%s' (data_lines, accepted, rejected, "
                                "total_rows, filled_down, total_mismatches)",
                                kFn, name));
  });
}

salesight_status salesight_csv_report_summary(const salesight_csv_report* report,
                                              const char** out) {
  return Guard([&]() -> salesight_status {
    if (report == nullptr) return NullArgument("salesight_csv_report_summary", "report");
    if (out == nullptr) return NullArgument("salesight_csv_report_summary", "out");
    *out = Impl(report)->summary.c_str();
    return SALESIGHT_OK;
  });
}

}  // extern "C"
