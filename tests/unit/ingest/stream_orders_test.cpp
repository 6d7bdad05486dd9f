// Streamed reads of orders files (salesight/csv_stream.hpp): the batches put
// end to end equal a one-pass read - every column, the ids and dictionaries,
// the money scale, the reject report - on random document-style files for
// any batch size (quoted line breaks, rejects, fill-down, document totals, a
// money scale that grows, order numbers that turn into codes); where batches
// are cut (hand-computed); a total row that closes an earlier batch's lines.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"
#include "salesight/csv_stream.hpp"

namespace salesight {
namespace {

IngestOptions Options(const std::string& mapping, bool documents) {
  IngestOptions o;
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(mapping);
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  o.num_threads = 1;
  o.attributes = IngestOptions::AttributeSelection::kListed;  // a streamed read keeps none
  if (documents) {
    o.fill_down = {"Order", "Date", "Customer"};
    o.document_total = "DocTotal";
  }
  return o;
}

struct Streamed {
  absl::Status status;
  Dictionaries dicts;
  OrdersScan scan;
  std::vector<std::size_t> batch_rows;
  std::vector<std::int64_t> order;
  std::vector<Day> date;
  std::vector<Id> customer, product;
  std::vector<Money> amount;
};

Streamed Stream(const std::string& path, const IngestOptions& o, std::int64_t chunk) {
  Streamed s;
  absl::StatusOr<OrdersScan> scan = ScanOrdersCsv(path, o, s.dicts, chunk);
  if (!scan.ok()) {
    s.status = scan.status();
    return s;
  }
  s.scan = *std::move(scan);
  s.status = StreamOrdersCsv(path, o, s.dicts, chunk, s.scan.empty, [&](OrdersCsv b) {
    const OrderLinesColumns& c = b.table.columns();
    EXPECT_TRUE(b.table.size() > 0);
    EXPECT_EQ(b.table.money_scale(), s.scan.empty.table.money_scale());
    s.batch_rows.push_back(b.table.size());
    s.order.insert(s.order.end(), c.order_id.begin(), c.order_id.end());
    s.date.insert(s.date.end(), c.order_date.begin(), c.order_date.end());
    s.customer.insert(s.customer.end(), c.customer.begin(), c.customer.end());
    s.product.insert(s.product.end(), c.product.begin(), c.product.end());
    s.amount.insert(s.amount.end(), c.amount.begin(), c.amount.end());
    return absl::OkStatus();
  });
  return s;
}

template <typename T>
std::vector<T> Vec(const Column<T>& c) {
  return std::vector<T>(c.begin(), c.end());
}

std::vector<std::string> Codes(const std::shared_ptr<Dictionary>& d) {
  std::vector<std::string> out;
  if (d == nullptr) return {"<null>"};
  for (Id i = 0; i < d->size(); ++i) out.emplace_back(d->Code(i));
  return out;
}

void ExpectRejects(const std::vector<Reject>& a, const std::vector<Reject>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].line, b[i].line) << what << " " << i;
    EXPECT_EQ(a[i].column, b[i].column) << what << " " << i;
    EXPECT_EQ(a[i].value, b[i].value) << what << " " << i;
    EXPECT_EQ(a[i].reason, b[i].reason) << what << " " << i;
  }
}

// The one-pass read and the streamed one agree on everything.
void ExpectSame(const std::string& path, const IngestOptions& o, std::int64_t chunk,
                const std::string& what) {
  SCOPED_TRACE(what + ", chunk " + std::to_string(chunk));
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> full = ReadOrdersCsv(path, o, dicts);
  Streamed s = Stream(path, o, chunk);
  ASSERT_EQ(full.ok(), s.status.ok()) << full.status() << " / " << s.status;
  if (!full.ok()) return;
  const OrderLinesColumns& c = full->table.columns();
  EXPECT_EQ(Vec(c.order_id), s.order);
  EXPECT_EQ(Vec(c.order_date), s.date);
  EXPECT_EQ(Vec(c.customer), s.customer);
  EXPECT_EQ(Vec(c.product), s.product);
  EXPECT_EQ(Vec(c.amount), s.amount);
  EXPECT_EQ(full->table.money_scale(), s.scan.empty.table.money_scale());
  EXPECT_EQ(full->order_ids_are_codes, s.scan.empty.order_ids_are_codes);
  EXPECT_EQ(full->table.size() > 0 ? full->table.max_date() : kNoDate, s.scan.max_date);
  EXPECT_EQ(Codes(dicts.customers), Codes(s.dicts.customers));
  EXPECT_EQ(Codes(dicts.products), Codes(s.dicts.products));
  EXPECT_EQ(Codes(dicts.orders), Codes(s.dicts.orders));
  const RejectReport& a = full->report;
  const RejectReport& b = s.scan.empty.report;
  EXPECT_EQ(a.data_lines, b.data_lines);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.rejected, b.rejected);
  EXPECT_EQ(a.total_rows, b.total_rows);
  EXPECT_EQ(a.filled_down, b.filled_down);
  EXPECT_EQ(a.total_mismatches, b.total_mismatches);
  ExpectRejects(a.rejects, b.rejects, "rejects");
  ExpectRejects(a.notes, b.notes, "notes");
}

// A random document-style export: documents of 1..4 lines (order, date,
// customer and the document total on the first), some amounts and dates
// bad, quoted notes with line breaks, commas and quotes; amounts whole at
// first, then with cents, then some with 3 decimals; order numbers turn into
// codes part way when `codes`.
std::string RandomDocuments(std::mt19937& rng, bool codes) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::string out = "Order,Date,Customer,Product,Amount,Note,DocTotal\n";
  const int docs = 5 + pick(25);
  for (int d = 1; d <= docs; ++d) {
    const int lines = 1 + pick(4);
    std::string order = codes && d > docs / 2 ? "SO-" + std::to_string(d) : std::to_string(d);
    std::int64_t total = 0;
    std::vector<std::string> rows;
    for (int k = 0; k < lines; ++k) {
      const std::int64_t cents = d < docs / 3 ? 100 * (1 + pick(900)) : 1 + pick(90000);
      std::string amount = std::to_string(cents / 100);
      if (d >= docs / 3) amount += "." + std::to_string(100 + cents % 100).substr(1);
      if (d >= 2 * docs / 3 && k == 1) amount += "5";
      const bool bad_amount = pick(13) == 0;
      if (bad_amount) amount = "x" + amount; else total += cents;
      const std::string note = pick(4) == 0 ? "\"two\nlines, \"\"q\"\"\"" : "n";
      const std::string date = pick(17) == 0 ? "2024-02-30" : "2024-03-" + std::to_string(10 + pick(18));
      std::string head = k == 0 ? order + "," + date + ",C" + std::to_string(pick(6)) : ",,";
      rows.push_back(head + ",P" + std::to_string(pick(5)) + "," + amount + "," + note);
    }
    for (int k = 0; k < lines; ++k) {
      std::string doc_total;
      if (k == 0) doc_total = std::to_string(total / 100) + "." + std::to_string(100 + total % 100).substr(1);
      out += rows[static_cast<std::size_t>(k)] + "," + doc_total + "\n";
    }
  }
  return out;
}

const char kDocMap[] =
    "order=Order,date=Date,customer=Customer,product=Product,amount=Amount";

TEST(StreamOrders, RandomDocumentFilesAnyBatchSize) {
  int seeds = 100;
  if (const char* env = std::getenv("SALESIGHT_STREAM_SEEDS")) seeds = std::atoi(env);
  for (int seed = 1; seed <= seeds; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    const bool codes = seed % 3 == 0;
    const std::string path = testing_util::WriteScratch(RandomDocuments(rng, codes));
    const std::int64_t chunk = 1 + static_cast<std::int64_t>(rng() % 400);
    ExpectSame(path, Options(kDocMap, true), chunk, "seed " + std::to_string(seed));
    ExpectSame(path, Options(kDocMap, false), chunk, "plain, seed " + std::to_string(seed));
  }
}

// Where batches end: with a document total the lines of an open document
// wait for its end (2 + 2 rows); without, every row leaves at the next one
// (1-byte batches).
TEST(StreamOrders, BatchesKeepAnOpenDocument) {
  const std::string path = testing_util::WriteScratch(
      "Order,Date,Customer,Product,Amount,Note,DocTotal\n"
      "1,2024-01-01,C1,P1,10,n,30\n"
      ",,,P2,20,n,\n"
      "2,2024-01-02,C2,P1,5,n,12\n"
      ",,,P3,7,n,\n");
  Streamed docs = Stream(path, Options(kDocMap, true), 1);
  ASSERT_TRUE(docs.status.ok()) << docs.status;
  EXPECT_EQ(docs.batch_rows, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(docs.amount, (std::vector<Money>{10, 20, 5, 7}));
  EXPECT_EQ(docs.scan.empty.report.total_mismatches, 0);
  EXPECT_EQ(docs.scan.max_date, ParseDate("2024-01-02", DateFormat::kIso).value());
  IngestOptions plain = Options(kDocMap, false);
  plain.fill_down = {"Order", "Date", "Customer"};  // documents, but no total to check
  Streamed lines = Stream(path, plain, 1);
  ASSERT_TRUE(lines.status.ok()) << lines.status;
  EXPECT_EQ(lines.batch_rows, (std::vector<std::size_t>{1, 1, 1, 1}));
  Streamed one = Stream(path, Options(kDocMap, true), 1 << 20);
  EXPECT_EQ(one.batch_rows, (std::vector<std::size_t>{4}));
}

// A total row closing lines of an earlier batch cannot be checked: an error
// naming its line; inside one batch it is checked as in a one-pass read.
TEST(StreamOrders, TotalRowAcrossBatchesIsAnError) {
  const std::string path = testing_util::WriteScratch(
      "order,date,customer,amount\n1,2024-01-01,C1,10\n2,2024-01-02,C2,20\n,,Total,30\n");
  Dictionaries dicts;
  IngestOptions o = Options("", false);
  absl::StatusOr<OrdersScan> scan = ScanOrdersCsv(path, o, dicts, 1);
  ASSERT_FALSE(scan.ok());
  EXPECT_NE(std::string(scan.status().message()).find("line 4"), std::string::npos)
      << scan.status();
  EXPECT_NE(std::string(scan.status().message()).find("--chunk-mb"), std::string::npos);
  ExpectSame(path, o, 1 << 20, "one batch");
  EXPECT_FALSE(ScanOrdersCsv(path, o, dicts, 0).ok());  // chunks of at least one byte
}

}  // namespace
}  // namespace salesight
