// Parallel reading of orders files (csv.hpp "Parallel reading"): a read on
// several threads equals the 1-thread read byte for byte - every column, the
// ids and dictionaries, the reject report - on random files whose quoted
// fields hold line breaks, delimiters and doubled quotes where the chunks are
// cut, and a hand-computed file cut inside a quoted field.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/internal/chunked.hpp"
#include "ingest/internal/encoding.hpp"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

struct Loaded {
  absl::StatusOr<OrdersCsv> csv = absl::UnknownError("not read");
  Dictionaries dicts;
};

IngestOptions Options(const std::string& mapping) {
  IngestOptions o;
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(mapping);
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  return o;
}

Loaded Load(const std::string& path, IngestOptions o, int threads, std::int64_t min_chunk) {
  o.num_threads = threads;
  o.parallel_min_chunk_bytes = min_chunk;
  Loaded out;
  out.csv = ReadOrdersCsv(path, o, out.dicts);
  return out;
}

template <typename T>
void ExpectColumn(const Column<T>& a, const Column<T>& b, const char* name) {
  EXPECT_EQ(std::vector<T>(a.begin(), a.end()), std::vector<T>(b.begin(), b.end())) << name;
}

std::vector<std::string> Codes(const std::shared_ptr<const Dictionary>& d) {
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

// Everything a read returns, compared field by field.
void ExpectSame(const Loaded& one, const Loaded& many) {
  ASSERT_EQ(one.csv.ok(), many.csv.ok()) << one.csv.status() << " vs " << many.csv.status();
  if (!one.csv.ok()) {
    EXPECT_EQ(one.csv.status(), many.csv.status());
    return;
  }
  const OrdersCsv& a = *one.csv;
  const OrdersCsv& b = *many.csv;
  const OrderLinesColumns& x = a.table.columns();
  const OrderLinesColumns& y = b.table.columns();
  ExpectColumn(x.order_id, y.order_id, "order_id");
  ExpectColumn(x.line, y.line, "line");
  ExpectColumn(x.order_date, y.order_date, "order_date");
  ExpectColumn(x.customer, y.customer, "customer");
  ExpectColumn(x.product, y.product, "product");
  ExpectColumn(x.region, y.region, "region");
  ExpectColumn(x.salesperson, y.salesperson, "salesperson");
  ExpectColumn(x.quantity, y.quantity, "quantity");
  ExpectColumn(x.amount, y.amount, "amount");
  ExpectColumn(x.cost, y.cost, "cost");
  ExpectColumn(x.unit_cost, y.unit_cost, "unit_cost");
  ExpectColumn(x.channel, y.channel, "channel");
  ExpectColumn(x.department, y.department, "department");
  ExpectColumn(a.category, b.category, "category");
  EXPECT_EQ(x.money_scale, y.money_scale);
  EXPECT_EQ(a.order_ids_are_codes, b.order_ids_are_codes);
  EXPECT_EQ(Codes(x.orders), Codes(y.orders));
  ASSERT_EQ(x.attributes.size(), y.attributes.size());
  for (std::size_t i = 0; i < x.attributes.size(); ++i) {
    EXPECT_EQ(x.attributes[i].name, y.attributes[i].name);
    ExpectColumn(x.attributes[i].codes, y.attributes[i].codes, "attribute");
    EXPECT_EQ(Codes(x.attributes[i].dictionary), Codes(y.attributes[i].dictionary));
  }
  const Dictionaries& d = one.dicts;
  const Dictionaries& e = many.dicts;
  for (auto slot : {&Dictionaries::customers, &Dictionaries::products, &Dictionaries::regions,
                    &Dictionaries::salespeople, &Dictionaries::channels,
                    &Dictionaries::departments, &Dictionaries::categories, &Dictionaries::orders}) {
    EXPECT_EQ(Codes(d.*slot), Codes(e.*slot));
  }
  const RejectReport& r = a.report;
  const RejectReport& s = b.report;
  EXPECT_EQ(r.data_lines, s.data_lines);
  EXPECT_EQ(r.accepted, s.accepted);
  EXPECT_EQ(r.rejected, s.rejected);
  EXPECT_EQ(r.total_rows, s.total_rows);
  EXPECT_EQ(r.filled_down, s.filled_down);
  EXPECT_EQ(r.total_mismatches, s.total_mismatches);
  EXPECT_EQ(r.by_reason, s.by_reason);
  ExpectRejects(r.rejects, s.rejects, "rejects");
  ExpectRejects(r.notes, s.notes, "notes");
}

// A field that stresses the tokenizer: quoted, with line breaks (LF, CRLF,
// CR), delimiters and doubled quotes, or plain.
std::string Tricky(std::mt19937_64& rng, const std::string& base) {
  switch (rng() % 6) {
    case 0: return "\"" + base + "\n" + base + "\"";
    case 1: return "\"" + base + ",\r\n\"\"x\"\"\"";
    case 2: return "\"" + base + "\r" + "\"";
    case 3: return "\"\n\n" + base + "\"";
    default: return base;
  }
}

// A random orders file: quoted line breaks everywhere, CRLF or LF, a BOM,
// empty lines, bad rows (dates, amounts, ragged, text after a quote), order
// numbers that turn into codes, amounts whose decimals grow the scale, and
// maybe no final line break or an unterminated quote at the end.
std::string RandomFile(std::mt19937_64& rng, int rows, bool crlf) {
  const std::string eol = crlf ? "\r\n" : "\n";
  std::string f;
  if (rng() % 4 == 0) f += "\xEF\xBB\xBF";
  f += "order,date,customer,\"prod\nuct\",amount,quantity,note,region" + eol;
  const bool code_keys = rng() % 4 == 0;
  for (int i = 0; i < rows; ++i) {
    if (rng() % 10 == 0) f += eol;  // an empty line
    std::string order = std::to_string(1000 + rng() % 40);
    if (code_keys && rng() % 8 == 0) order = "SO-" + order;
    if (rng() % 30 == 0) order = "0" + order;  // "01012" is a code
    std::string date = "2024-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10);
    if (rng() % 25 == 0) date = "2024-13-01";
    const std::string customer = Tricky(rng, "C" + std::to_string(rng() % 12));
    const std::string product = Tricky(rng, "P\"\"" + std::to_string(rng() % 5));
    std::string amount = std::to_string(rng() % 1000);
    const int decimals = static_cast<int>(rng() % 8);
    if (decimals == 1) amount += ".5";
    if (decimals == 2) amount += ".25";
    if (decimals == 3) amount += ".125";
    if (rng() % 30 == 0) amount = "abc";
    if (rng() % 40 == 0) amount = "\"1,234.50\"";
    const std::string qty = std::to_string(static_cast<int>(rng() % 7) - 1);
    std::string note = Tricky(rng, "n" + std::to_string(rng() % 6));
    if (rng() % 40 == 0) note = "\"n\"x";  // text after the closing quote
    std::string row = order + "," + date + "," + customer + "," + product + "," + amount + "," +
                      qty + "," + note + "," + Tricky(rng, rng() % 2 ? "东区" : "West");
    if (rng() % 40 == 0) row += ",extra";  // ragged
    f += row;
    if (i + 1 < rows || rng() % 3 != 0) f += eol;
  }
  if (rng() % 20 == 0) f += "9,2024-01-01,\"C1,unterminated" + eol + "more";
  return f;
}

int Seeds() {
  const char* env = std::getenv("SALESIGHT_PARALLEL_CSV_SEEDS");
  return env != nullptr ? std::atoi(env) : 120;
}

TEST(ParallelCsv, RandomFilesEqualOneThreadRead) {
  const IngestOptions base = Options("product=prod\nuct");
  const ingest::ChunkCounters before = ingest::ThreadChunkCounters();
  int chunked = 0;
  for (int seed = 0; seed < Seeds(); ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    const bool crlf = rng() % 2 == 0;
    const std::string path =
        testing_util::WriteScratch(RandomFile(rng, 1 + static_cast<int>(rng() % 40), crlf));
    IngestOptions o = base;
    if (seed % 3 == 0) o.money_scale = 3;
    if (seed % 7 == 0) o.max_rejects_kept = 2;
    if (seed % 11 == 0) o.stop_on_first_error = true;
    if (seed % 13 == 0) o.attributes = IngestOptions::AttributeSelection::kListed;
    const Loaded one = Load(path, o, 1, 1);
    const int threads = 2 + static_cast<int>(rng() % 15);
    const std::int64_t min_chunk = 1 + static_cast<std::int64_t>(rng() % 64);
    const std::int64_t files = ingest::ThreadChunkCounters().files;
    const Loaded many = Load(path, o, threads, min_chunk);
    chunked += ingest::ThreadChunkCounters().files > files;
    SCOPED_TRACE(::testing::Message() << "seed " << seed << ", " << threads << " threads, chunks >= "
                                      << min_chunk << " bytes");
    ExpectSame(one, many);
    if (::testing::Test::HasFailure()) break;
  }
  // The merge itself ran (not only the 1-thread fallbacks), and cuts fell
  // inside records and were read again.
  EXPECT_GT(chunked, Seeds() / 3);
  EXPECT_GT(ingest::ThreadChunkCounters().rereads, before.rereads);
}

// Dictionaries that already hold codes (a customers file read first): their
// ids stay, the codes the read adds follow in canonical order, every row names
// the code its file line holds, and the parallel read equals the 1-thread one
// (both put the added codes in order while reading, not after).
TEST(ParallelCsv, SharedDictionariesKeepTheirIdsAndOrderTheAddedCodes) {
  const IngestOptions base = Options("product=prod\nuct");
  auto prefilled = [] {
    Dictionaries d;
    d.customers = std::make_shared<Dictionary>();
    for (const char* code : {"C5", "Z", "C10"}) EXPECT_TRUE(d.customers->Intern(code).ok());
    d.regions = std::make_shared<Dictionary>();
    EXPECT_TRUE(d.regions->Intern("West").ok());
    return d;
  };
  for (int seed = 0; seed < Seeds() / 3; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed) + 1000);
    const std::string path = testing_util::WriteScratch(RandomFile(rng, 5 + seed % 30, false));
    IngestOptions o = base;
    o.num_threads = 1;
    Loaded one, many, fresh;
    one.dicts = prefilled();
    many.dicts = prefilled();
    one.csv = ReadOrdersCsv(path, o, one.dicts);
    fresh.csv = ReadOrdersCsv(path, o, fresh.dicts);
    o.num_threads = 2 + seed % 3;
    o.parallel_min_chunk_bytes = 1 + seed % 50;
    many.csv = ReadOrdersCsv(path, o, many.dicts);
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    ExpectSame(one, many);
    ASSERT_EQ(one.csv.ok(), fresh.csv.ok());
    if (!one.csv.ok()) continue;
    const Dictionary& customers = *one.dicts.customers;
    EXPECT_EQ(customers.Code(0), "C5");
    EXPECT_EQ(customers.Code(1), "Z");
    EXPECT_EQ(customers.Code(2), "C10");
    const std::vector<Id> order = CanonicalOrder(customers, 3);
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], static_cast<Id>(i));
    EXPECT_EQ(one.dicts.regions->Code(0), "West");
    const OrderLinesColumns& x = one.csv->table.columns();
    const OrderLinesColumns& y = fresh.csv->table.columns();
    ASSERT_EQ(x.customer.size(), y.customer.size());
    for (std::size_t i = 0; i < x.customer.size(); ++i) {
      EXPECT_EQ(customers.Code(x.customer[i]), fresh.dicts.customers->Code(y.customer[i]));
      EXPECT_EQ(one.dicts.regions->Code(x.region[i]), fresh.dicts.regions->Code(y.region[i]));
      EXPECT_EQ(one.dicts.products->Code(x.product[i]), fresh.dicts.products->Code(y.product[i]));
    }
  }
}

// Hand-computed: the middle of the data is inside the quoted note of line 2,
// so the first guessed cut (after a line break in the note) is wrong.
TEST(ParallelCsv, CutInsideQuotedFieldIsReadAgain) {
  std::string note = "\"";
  for (int i = 0; i < 30; ++i) note += "a,\"\"b\"\"\n";
  note += "\"";
  const std::string file = "order,date,customer,amount,note\n"
                           "1,2024-01-02,C2,1.50," + note + "\n" +
                           "2,2024-13-01,C1,2,x\n"
                           "3,2024-01-03,C1,2,y\n";
  const std::string path = testing_util::WriteScratch(file);
  const IngestOptions o = Options("");
  const ingest::ChunkCounters before = ingest::ThreadChunkCounters();
  const Loaded many = Load(path, o, 2, 1);
  EXPECT_EQ(ingest::ThreadChunkCounters().files, before.files + 1);
  EXPECT_EQ(ingest::ThreadChunkCounters().rereads, before.rereads + 1);
  ASSERT_TRUE(many.csv.ok()) << many.csv.status();
  const OrderLinesColumns& c = many.csv->table.columns();
  EXPECT_EQ(std::vector<std::int64_t>(c.order_id.begin(), c.order_id.end()),
            (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(std::vector<Money>(c.amount.begin(), c.amount.end()), (std::vector<Money>{15, 20}));  // auto scale 1: 1.5 and 2
  // Ids in code order: C1 = 0, C2 = 1.
  EXPECT_EQ(std::vector<Id>(c.customer.begin(), c.customer.end()), (std::vector<Id>{1, 0}));
  ASSERT_EQ(c.attributes.size(), 1u);
  EXPECT_EQ(c.attributes[0].dictionary->Code(c.attributes[0].codes[0]).substr(0, 9),
            "a,\"b\"\na,\"");
  ASSERT_EQ(many.csv->report.rejects.size(), 1u);
  EXPECT_EQ(many.csv->report.rejects[0].line, 33);  // header 1, row 1 on lines 2..32
  EXPECT_EQ(many.csv->report.rejects[0].column, "date");
  ExpectSame(Load(path, o, 1, 1), many);
}

TEST(ParallelCsv, FileSmallerThanChunksAndEmptyData) {
  const IngestOptions o = Options("");
  for (const std::string file : {"order,date,customer,amount\n1,2024-01-02,C,1",
                                 "order,date,customer,amount\n", "order,date,customer,amount",
                                 "order,date,customer,amount\n\n\n1,2024-01-02,C,1\n\n"}) {
    const std::string path = testing_util::WriteScratch(file);
    ExpectSame(Load(path, o, 1, 1), Load(path, o, 8, 1));
  }
}

// GB18030 decodes sequentially: read by 1 thread whatever num_threads says,
// with the same result; its UTF-8 twin is read in chunks.
TEST(ParallelCsv, Gb18030IsReadByOneThreadUtf8InChunks) {
  std::string utf8 = "order,date,customer,amount,region\n";
  for (int i = 0; i < 40; ++i) {
    utf8 += std::to_string(i) + ",2024-01-0" + std::to_string(1 + i % 9) + ",\"客户\n" +
            std::to_string(i % 7) + "\"," + std::to_string(i) + ".5," +
            (i % 3 == 0 ? "华东" : "\"华,北\"") + "\n";
  }
  absl::StatusOr<std::string> gb = ingest::EncodeUtf8As(utf8, "GB18030");
  ASSERT_TRUE(gb.ok()) << gb.status();
  IngestOptions o = Options("");
  const std::string utf8_path = testing_util::WriteScratch(utf8, "_utf8");
  const std::string gb_path = testing_util::WriteScratch(*gb, "_gb");
  std::int64_t files = ingest::ThreadChunkCounters().files;
  ExpectSame(Load(utf8_path, o, 1, 1), Load(utf8_path, o, 4, 1));
  EXPECT_EQ(ingest::ThreadChunkCounters().files, files + 1);
  o.encoding = Encoding::kGb18030;
  files = ingest::ThreadChunkCounters().files;
  const Loaded one = Load(gb_path, o, 1, 1);
  ExpectSame(one, Load(gb_path, o, 4, 1));
  EXPECT_EQ(ingest::ThreadChunkCounters().files, files);
  ASSERT_TRUE(one.csv.ok());
  EXPECT_GT(one.csv->report.accepted, 0);
}

// Rows that depend on rows before them send the file to one pass: total rows
// (they close the lines before them) and fill-down.
TEST(ParallelCsv, DocumentRowsFallBackToOnePass) {
  std::string file = "order,date,customer,amount\n";
  for (int i = 0; i < 20; ++i) file += std::to_string(i) + ",2024-01-02,C,1\n";
  file += ",,合计:,20\n";
  const std::string path = testing_util::WriteScratch(file);
  IngestOptions o = Options("");
  const std::int64_t files = ingest::ThreadChunkCounters().files;
  const Loaded one = Load(path, o, 1, 1);
  ExpectSame(one, Load(path, o, 4, 1));
  EXPECT_EQ(ingest::ThreadChunkCounters().files, files);
  ASSERT_TRUE(one.csv.ok());
  EXPECT_EQ(one.csv->report.total_rows, 1);
  o.fill_down = {"order"};
  ExpectSame(Load(path, o, 1, 1), Load(path, o, 4, 1));
}

}  // namespace
}  // namespace salesight
