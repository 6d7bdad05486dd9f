// CSV ingestion: ERP exports -> validated salesight tables, with a reject report.
//
// Format (RFC 4180, read leniently where the RFC is silent):
//   * Fields are separated by `CsvDialect::delimiter` (',' ';' '\t' '|' or any byte
//     other than the quote, CR and LF). A field starting with the quote character is
//     quoted: it may hold delimiters, CR/LF line breaks and doubled quotes ("" -> ").
//     A quote in the middle of an unquoted field is an ordinary character (12" pipe).
//     Text between a closing quote and the next delimiter is a rejected row.
//   * Records end at LF, CRLF or a lone CR. A UTF-8 byte order mark is skipped.
//     Completely empty lines are skipped and are not data lines.
//   * Line numbers are FILE lines, 1-based; the header is line 1; a record that spans
//     several lines (quoted line breaks) is reported at its first line.
//   * The header row (when `has_header`) names the columns; names are compared after
//     trimming surrounding spaces, case-sensitively. Without a header the columns are
//     named "1", "2", ... and the mapping refers to them by those numbers.
//   * An empty file (no header) is an error "no header"; a header without data rows
//     gives an empty table.
//   * A record longer than `IngestOptions::max_record_bytes` (including its line
//     terminator) is an error naming its first line: it almost always means an
//     unterminated quote, and it bounds the reader's memory. A quote still open at
//     the end of the file makes that record a rejected row naming the line where the
//     quote was opened.
//
// Rows: every data record is accepted, a total row (see "Documents") or
// rejected, and `accepted + total_rows + rejected == data_lines` always holds. A row is rejected, as a whole and
// at its first failing field (in the order of the model fields listed below), when it
//   * has more or fewer fields than the header ("ragged");
//   * has an empty required field;
//   * has a code or name field (customer, product, ...) that is not valid UTF-8;
//   * has an amount that is not a decimal number, exceeds +-9e15 minor units, has more
//     decimals than a given `money_scale` (never rounded), or needs more than 6;
//   * has a date that does not parse with the column's format or is outside 1900..2199;
//   * has an integer field (quantity, line) that is not an integer in range;
//   * breaks a table rule the builder would otherwise refuse for the whole table
//     (due date before the invoice date, negative credit limit, cost or payment, a
//     customer/product described twice, a payment for an unknown invoice, a derived
//     cost that overflows).
// With `stop_on_first_error` the first such row is returned as an error instead:
// "<path> line <L>, column '<header name>': <reason>".
//
// Values:
//   * Surrounding spaces of every field are ignored.
//   * Codes (customer, product, region, ...) are interned into the shared
//     `Dictionaries`, so ids agree across files read with the same Dictionaries. An
//     empty OPTIONAL code field is the code "" (it is a real group: "no region").
//   * Ids follow the codes' canonical order (dictionary.hpp: numbers by value,
//     text bytewise), never the file's row order, because calculators break ties
//     by id. A reader gives the codes it adds ids in that order after the codes
//     the Dictionaries already held (those keep their ids, so a table read
//     earlier stays valid): a load of ONE file, or of files whose codes come in
//     order, is canonical as read; after a load of several files call
//     CanonicalizeIds once with all of its tables (the CLI does).
//   * Keys (order, invoice, opportunity numbers) are stored as int64 numbers while
//     every key of the file is a plain integer ("0" or [-]?[1-9][0-9]*, so "00123"
//     is a code); at the first key that is not, the keys read so far are re-interned
//     by their decimal text and the column holds dictionary ids from then on. When
//     the shared dictionary for the key already holds codes (an earlier file was
//     interned), keys are interned from the first row, so the ids agree.
//   * Money: exact decimal text (ParseMoney) with `decimal_point` and optional
//     `thousands_separator`; accounting negatives "(12.30)" and a leading currency
//     sign are accepted. All money columns of one table share one scale. Auto scale
//     (money_scale = -1): the scale starts at 0 and grows to the smallest scale
//     (<= 6) holding every accepted amount of the file exactly; on growth everything
//     read so far is rescaled. If that rescale would push an earlier amount over
//     +-9e15, the row asking for the larger scale is rejected instead (accepted rows
//     never change status). Payments always use their invoices' scale.
//     Spreadsheet and Chinese forms, each a fixed shape (nothing is guessed):
//     full-width digits and separators ("１，２３４．５０"), a "元" suffix
//     ("1,234.50元"), "¥"/"￥" signs, a trailing minus ("1,234.50-"). With no
//     `thousands_separator` set, the one of ',' and '.' that is not the decimal
//     point is read as the thousands separator when that is unambiguous: two or
//     more of them ("1,234,567") or one before the decimal point ("1,234.50");
//     "1,234" alone is rejected as ambiguous, naming the option. A percentage
//     ("12.5%") is never an amount; the one percentage field is orders'
//     `margin`, which may be either: "12.5%" means margin = amount x 0.125,
//     exact (a product needing more decimals than the scale allows - a fixed
//     money_scale, or 6 - is rejected, never rounded).
//   * Dates: ParseDate with `date_format`, or the per-field override in
//     `column_date_formats` (keyed by model field, or by stage name for pipeline
//     stages). A time part is dropped. kAuto tries the formats in date.hpp's order.
//     Unpadded "2024-1-7" and "2024/1/7" are those formats. Whatever the format,
//     "2024年1月7日" (an optional time after it dropped) and full-width digits
//     are read too, and with `excel_dates` Excel serial numbers: 1900 date
//     system, 1 = 1900-01-01; 60 is Excel's 1900-02-29 (Lotus 1-2-3's leap-year
//     bug: that day never existed) and is rejected, so 61 = 1900-03-01 and
//     45293 = 2024-01-02.
//   * Optional date fields (pipeline stages and lost, invoice paid_date, customer
//     created) may be empty: kNoDate. Other optional fields hold numbers the
//     table cannot mark missing (money, quantity, line, an invoice's order), so
//     when mapped they must have a value; the exception is `paid` (empty = 0).
//
// Documents (ERP list exports of multi-line documents, e.g. 单据编号, 单据日期,
// 客户编码 on a document's first line only, blank on its other lines):
//   * `fill_down` columns: a row whose first fill-down column is not empty
//     starts a document; on its other rows each empty fill-down field takes
//     the document's value. Rows before the first document are left as they
//     are. Each accepted row that was completed is noted "filled down".
//   * Total rows: a row one of whose cells is a total label - 小计/Subtotal
//     (level 1), 合计/Total (2), 总计/Grand Total (3); English case-insensitive,
//     inner spaces and a trailing ':'/'：' ignored - and whose key field (the
//     table's first required field: orders' order) is empty or is the label.
//     Always on (no data row has that shape). It is kept out of the data and
//     its amounts (orders: amount, and cost when mapped; invoices: amount and
//     paid; payments, pipeline, targets: amount) are checked against the sum
//     of the accepted lines it closes: the lines after the previous total row
//     of the same or a higher level. Equal: counted in total_rows and noted
//     "total row". Not equal: rejected ("total mismatch", both numbers). A
//     total row also ends the open document.
//   * `document_total`: a column holding the document's amount on its first
//     line (销售金额 beside the line amount 金额). It is never stored (not an
//     attribute, never added); when the document ends (a new document, a
//     total row, the end of the file) it is checked against the sum of the
//     document's accepted line amounts; a mismatch is noted with both numbers
//     and counted in total_mismatches (an error with stop_on_first_error).
//
// Model fields (what --map accepts; * = required). A field that is not in the
// mapping binds to a header column spelled exactly like the field, if there is one.
// Every other column is kept as an attribute column of the table (a dimension named
// like the column; IngestOptions::attributes says which, and bounds them).
//   orders:    order*, line, date*, customer*, product, region, salesperson, quantity,
//              amount*, at most one of cost | unit_cost | margin (cost = amount -
//              margin; unit_cost needs quantity), channel, department, category
//   pipeline:  id*, created (default: the first stage's column), customer,
//              salesperson, region, source, amount, lost (a date), lost_reason,
//              category (the deal's product category); the stage columns come as
//              a separate ordered list of (stage, column)
//   invoices:  invoice*, order, customer*, salesperson, region, date*, due*, amount*,
//              paid and paid_date (together)
//   payments:  invoice*, date*, amount*  (amount >= 0)
//   customers: customer*, name, region, owner (salesperson), credit_limit, created
//   products:  product*, name, category, cost (standard unit cost)
//   targets:   salesperson | region (at most one; neither = company level), month*
//              (yyyy-mm, yyyy/mm or yyyymm), amount*
//
// Streaming: the file is read in chunks of `chunk_bytes`; fields are views into the
// chunk (quoted fields with doubled quotes are unescaped in place), so the hot path
// allocates nothing per row. Columns are reserved for the row count estimated from
// the first chunk's bytes per line plus 25% (pages never written are never
// resident) and grown by 25% when even that is short, which keeps the resident
// memory of a load near the size of the resulting columns plus the dictionaries
// (measured in benchmarks/csv_benchmark.cpp: about 1.15x for 1M order lines).
//
// Parallel reading (orders files; `num_threads`): the file is cut into one
// chunk per thread, each at least `parallel_min_chunk_bytes` (so a small file
// is read by 1 thread), each thread parses and converts its chunk into its own
// columns and dictionaries, and the chunks are merged in file order: codes
// interned into the shared Dictionaries and put in canonical order exactly as
// a 1-thread read does, rejects in file order with the same lines and
// reasons. The result - columns, ids, dictionaries, report - is byte for byte
// the result of a 1-thread read. Method: a chunk is guessed to start after
// the first line break at or after its equal share of the bytes; each thread
// finishes the record under way at its chunk's end, and the guess was right
// exactly when that record ends where the next chunk started (the parse of a
// record depends only on where it starts). A wrong guess (a quoted line break
// at the cut) reads that chunk again from where the previous one really ended.
// 1 thread (the plain read above) is used for: other tables, files without a
// header, fill-down (a document crosses chunks), non-UTF-8 encodings
// (gb18030, utf-16: their decoders are sequential), a shared order-number
// dictionary that already holds codes, and - decided after the chunks are
// read, by reading again with 1 thread - any total row (it closes the lines
// before it), any error (stop_on_first_error, a limit), and with auto
// money_scale a rejected amount after the first chunk or chunks whose scales
// cannot be merged (the scale grows as rows are read). `progress` is called
// once at the end of a parallel read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/column.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/money.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// The text encoding of a file; everything is transcoded to UTF-8 (glibc iconv)
// before parsing, so codes, names and messages are UTF-8.
//   kAuto (default): a UTF-16 byte order mark means UTF-16 (Excel's "Unicode
//     text"); else UTF-8. A file that is not valid UTF-8 in its first 64 KiB
//     but decodes as GB18030 is an error showing its header decoded both ways
//     and naming encoding gb18030 (a guess either way would corrupt codes).
//   kUtf8: UTF-8 as is; rows with invalid bytes are rejected (shown escaped).
//   kGb18030: GB18030, which includes GBK and GB2312 ("gbk" reads as this).
//   kUtf16: UTF-16, by its byte order mark, little-endian without one.
// UTF-16 with the default ',' delimiter and a header holding tabs but no
// comma is read tab-separated (what Excel writes). Undecodable bytes are kept
// as invalid UTF-8, so their row is rejected with the bytes shown as \xNN.
enum class Encoding { kAuto, kUtf8, kGb18030, kUtf16 };
// "auto", "utf-8", "gb18030", "gbk", "utf-16" (case-insensitive; "utf8", "utf16" too).
absl::StatusOr<Encoding> ParseEncodingName(std::string_view name);

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  bool has_header = true;
};

// "customer=Customer ID,date=Order Date,amount=Sales": model field -> the file's
// column name. Spaces around names are ignored; a column name containing ',' or '='
// is written quoted: product="Name, long" (a quote inside is doubled). Empty
// entries ("a=b,,c=d", a trailing comma) are skipped; an empty spec is an empty
// mapping. Duplicate fields, a missing '=' or an empty name are errors naming the
// entry.
struct FieldMapping {
  std::vector<std::pair<std::string, std::string>> fields;
  // The column mapped to `field`, or nullptr.
  const std::string* Find(std::string_view field) const;
};
absl::StatusOr<FieldMapping> ParseFieldMapping(std::string_view spec);
// "单据编号, 单据日期,,客户编码": column names separated by ',', spaces around
// them dropped, empty entries skipped (IngestOptions::fill_down from text).
std::vector<std::string> SplitColumnList(std::string_view spec);

struct Reject {
  std::int64_t line = 0;  // file line where the record starts (header = 1)
  std::string column;     // header name of the offending column; "" for row-level problems
  std::string value;      // the offending value (at most 256 bytes kept)
  std::string reason;     // full explanation, e.g. "'2024-13-01' is not a valid calendar date ..."
};

struct RejectReport {
  std::int64_t data_lines = 0;  // data records (blank lines and the header excluded)
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;  // accepted + total_rows + rejected == data_lines, always
  // Total and subtotal rows recognised and kept out of the data ("Documents");
  // a total row that is not the sum of its lines is rejected instead.
  std::int64_t total_rows = 0;
  std::int64_t filled_down = 0;       // accepted rows with fields filled down
  std::int64_t total_mismatches = 0;  // total rows and documents not equal to their lines' sum
  std::vector<Reject> rejects;  // the first `max_rejects_kept`, in file order
  // The rows kept out of the data or completed, the first `max_rejects_kept`
  // as found (a document's mismatch when the document ends), with the reason
  // starting "total row: ", "filled down: " or "document total mismatch: "
  // (named by the document's first line; its rows stay accepted).
  std::vector<Reject> notes;
  // Reject counts per "<column>: <kind>" (e.g. "Order Date: not a valid date"; row-level
  // kinds have no column prefix), most frequent first, ties by name.
  std::vector<std::pair<std::string, std::int64_t>> by_reason;
};

struct IngestOptions {
  CsvDialect dialect;
  Encoding encoding = Encoding::kAuto;
  FieldMapping mapping;  // required fields must be bound; the error names the missing ones
  // Header names to try for fields `mapping` leaves unbound, in order: the
  // first one the header has is bound (an export preset's column names,
  // salesight/csv_preset.hpp); a field none of them matches falls back to a
  // column named like the field. `preset` names their source in errors.
  std::vector<std::pair<std::string, std::vector<std::string>>> field_candidates;
  std::string preset;
  // A preset's fill-down columns: used when `fill_down` is empty, each one the
  // header has (a preset serves exports with and without document layout).
  std::vector<std::string> preset_fill_down;
  std::string preset_document_total;  // likewise, when `document_total` is empty
  DateFormat date_format = DateFormat::kAuto;
  // Document-style exports (see "Documents"): header columns carried down to a
  // document's lines (the first starts a document when not empty), and the
  // column holding a document's amount on its first line (needs fill_down).
  std::vector<std::string> fill_down;
  std::string document_total;
  // Per model field (or pipeline stage name) date format, overriding `date_format`.
  std::vector<std::pair<std::string, DateFormat>> column_date_formats;
  // Date fields holding a bare number of 1..5 digits (optionally with a
  // fraction: the time) are Excel serial dates, 1900 system (see "Dates").
  // Off by default: without it such a number is rejected with a hint naming
  // this option and the date it would be. 8-digit numbers stay %Y%m%d.
  bool excel_dates = false;
  int money_scale = -1;  // -1 = auto: the smallest scale (0..6) holding every amount exactly
  char decimal_point = '.';
  char thousands_separator = '\0';  // '\0' = none; e.g. ',' for "1,234.50"
  bool stop_on_first_error = false;  // true: the first rejected row is returned as an error
  std::size_t max_rejects_kept = 1000;
  // Guard against runaway records (an unterminated quote in a 2 GiB file): a longer
  // record is an error. 64 MiB is far beyond any real ERP row and keeps memory sane.
  std::int64_t max_record_bytes = std::int64_t{64} << 20;
  std::size_t chunk_bytes = std::size_t{1} << 20;  // read size; the buffer grows only for longer records
  // Attribute columns (tables.hpp AttributeColumn) of orders, pipeline,
  // invoices, customers and products files: the columns no field or stage is
  // bound to, kept as text codes so that any column is a dimension ("origin").
  // An empty cell is the member kMissingMember (""), like any other value.
  //   kAll (default): every unmapped column, except one named like a field of
  //     the table or twice in the header (it could not be named as a
  //     dimension); more than max_attribute_columns of them is an error.
  //   kListed: exactly `attribute_columns` (each must be an unmapped header
  //     column; empty = none).
  // A column with more than max_attribute_members distinct values is an
  // error naming it (a free-text or id column: leave it out). Codes are
  // dictionary ids per file, in canonical order (dictionary.hpp); their
  // memory is an int32 per row and column plus the distinct values.
  enum class AttributeSelection { kAll, kListed };
  AttributeSelection attributes = AttributeSelection::kAll;
  std::vector<std::string> attribute_columns;
  int max_attribute_columns = 64;
  std::int32_t max_attribute_members = std::int32_t{1} << 20;
  // Threads for reading an orders file ("Parallel reading"); 0 = one per
  // hardware thread. Any value gives the same result.
  int num_threads = 0;
  // The smallest chunk worth a thread. Tests lower it to cut small files into
  // many chunks.
  std::int64_t parallel_min_chunk_bytes = std::int64_t{4} << 20;
  // Called after every chunk read (bytes_total = file size). May be empty.
  std::function<void(std::int64_t bytes_read, std::int64_t bytes_total)> progress;
};

// Shared dictionaries so ids agree across tables read from several files. A loader
// creates the ones it needs when they are null. Not thread-safe: load files that
// share Dictionaries one after the other.
struct Dictionaries {
  std::shared_ptr<Dictionary> customers, products, regions, salespeople, channels, departments,
      categories, sources, lost_reasons, orders, opportunities, invoices;
};

struct OrdersCsv {
  OrderLines table;
  RejectReport report;
  Column<Id> category;            // per line, when `category` is mapped (dicts.categories)
  bool order_ids_are_codes = false;  // order_id holds dicts.orders ids, not the ERP numbers
};
absl::StatusOr<OrdersCsv> ReadOrdersCsv(const std::string& path, const IngestOptions& options,
                                        Dictionaries& dicts);

// `stages`: (stage name, column name) in funnel order; empty = DefaultStages() read
// from columns named "<stage>_date" (the sample generator's names).
struct PipelineCsv {
  Pipeline table;
  RejectReport report;
  bool opportunity_ids_are_codes = false;  // dicts.opportunities ids
};
absl::StatusOr<PipelineCsv> ReadPipelineCsv(
    const std::string& path, const IngestOptions& options,
    const std::vector<std::pair<std::string, std::string>>& stages, Dictionaries& dicts);

struct InvoicesCsv {
  Invoices table;
  RejectReport report;
  bool invoice_ids_are_codes = false;  // dicts.invoices ids
  bool order_ids_are_codes = false;    // dicts.orders ids
};
absl::StatusOr<InvoicesCsv> ReadInvoicesCsv(const std::string& path, const IngestOptions& options,
                                            Dictionaries& dicts);

// Payments name invoices by their code. When `dicts.invoices` holds codes (the
// invoices were interned) a code is looked up there, else it must be the invoice
// number; a code matching no invoice row, or several, is a rejected row. The money
// scale is the invoices' scale (a given `money_scale` that differs is an error).
struct PaymentsCsv {
  Payments table;
  RejectReport report;
};
absl::StatusOr<PaymentsCsv> ReadPaymentsCsv(const std::string& path, const IngestOptions& options,
                                            const Invoices& invoices, Dictionaries& dicts);

struct CustomersCsv {
  Customers table;
  RejectReport report;
};
absl::StatusOr<CustomersCsv> ReadCustomersCsv(const std::string& path,
                                              const IngestOptions& options, Dictionaries& dicts);

struct ProductsCsv {
  Products table;
  RejectReport report;
};
absl::StatusOr<ProductsCsv> ReadProductsCsv(const std::string& path, const IngestOptions& options,
                                            Dictionaries& dicts);

struct TargetsCsv {
  Targets table;
  RejectReport report;
};
absl::StatusOr<TargetsCsv> ReadTargetsCsv(const std::string& path, const IngestOptions& options,
                                          Dictionaries& dicts);

// The tables of one load (null = not read), for CanonicalizeIds. Payments hold
// invoice rows, not ids, and need no remapping.
struct CsvLoad {
  OrdersCsv* orders = nullptr;
  PipelineCsv* pipeline = nullptr;
  InvoicesCsv* invoices = nullptr;
  CustomersCsv* customers = nullptr;
  ProductsCsv* products = nullptr;
  TargetsCsv* targets = nullptr;
};
// Puts every dictionary of `dicts` in canonical order (a slot that changes
// gets a new Dictionary, so a table left out keeps the dictionary its ids
// index) and rebuilds the given tables with the new ids. Every table given must
// have been read with `dicts`, else an error. Cost: one pass over each id
// column whose dictionary changed, plus the table checks.
absl::Status CanonicalizeIds(Dictionaries& dicts, const CsvLoad& load);

// ---------------------------------------------------------------- generic reader
// Type-agnostic: every column as strings, with the same RFC 4180 rules, streaming,
// the same limits and the same reject report (ragged rows, quote problems). Values
// are kept exactly as in the file after unquoting (not trimmed). Meant for
// fuzzing, previews and the C ABI. Uses only dialect, rejects, limits and progress
// from the options.
class StringColumn {
 public:
  explicit StringColumn(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  std::size_t size() const { return offsets_.size() - 1; }
  std::string_view operator[](std::size_t row) const {
    return std::string_view(bytes_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  void Append(std::string_view value) {
    bytes_.append(value);
    offsets_.push_back(bytes_.size());
  }
  void Reserve(std::size_t rows, std::size_t bytes) {
    offsets_.reserve(rows + 1);
    bytes_.reserve(bytes);
  }

 private:
  std::string name_;
  std::string bytes_;                       // all values, back to back
  std::vector<std::size_t> offsets_ = {0};  // value i is bytes_[offsets_[i], offsets_[i+1])
};

struct StringCsv {
  std::vector<StringColumn> columns;
  RejectReport report;
  std::size_t num_rows() const { return columns.empty() ? 0 : columns.front().size(); }
};
absl::StatusOr<StringCsv> ReadCsvStrings(const std::string& path, const IngestOptions& options);
// The same over bytes already in memory (copied chunk by chunk, like a file).
absl::StatusOr<StringCsv> ReadCsvStringsFromBuffer(std::string_view data,
                                                   const IngestOptions& options);

// One line per reject kind, then the first `max_lines` rejects, for CLI summaries.
std::string FormatRejectReport(const RejectReport& report, std::size_t max_lines = 20);

}  // namespace salesight
