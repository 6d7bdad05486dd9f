// The sample's two on-disk forms: the WORKLOADS exchange format (exact bytes,
// dtypes, round trip, errors) and the CSV export (headers, RFC 4180 quoting,
// values), checked by reading the files back here, byte by byte or line by line.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/money.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test under the system temp dir, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        fs::temp_directory_path() / ("salesight_sample_" + std::string(info->name()) + "_" + name +
                                     "_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

SampleData Generate(std::int64_t n, std::uint64_t seed = 20240930, int threads = 1) {
  SampleOptions o;
  o.order_lines = n;
  o.seed = seed;
  o.num_threads = threads;
  absl::StatusOr<SampleData> d = GenerateSample(o);
  EXPECT_TRUE(d.ok()) << d.status();
  return std::move(*d);
}

// Every file under `root`, relative path -> bytes.
std::map<std::string, std::string> Tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = ReadFile(e.path());
  }
  return files;
}

// Little-endian decode, independent of the host's byte order.
template <typename T>
std::vector<std::int64_t> Decode(const std::string& bytes) {
  std::vector<std::int64_t> out;
  for (std::size_t at = 0; at + sizeof(T) <= bytes.size(); at += sizeof(T)) {
    std::uint64_t u = 0;
    for (std::size_t b = 0; b < sizeof(T); ++b) {
      u |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + b])) << (8 * b);
    }
    // Sign-extend from sizeof(T) bytes.
    const int shift = 64 - 8 * static_cast<int>(sizeof(T));
    out.push_back(static_cast<std::int64_t>(u << shift) >> shift);
  }
  return out;
}

// ------------------------------------------------------------------ bin

TEST(SampleBinTest, SameSeedSameBytesOtherSeedOtherBytes) {
  TempDir a("a"), b("b"), c("c");
  ASSERT_TRUE(WriteWorkloadBin(Generate(20000, 5, 1), a.str()).ok());
  ASSERT_TRUE(WriteWorkloadBin(Generate(20000, 5, 3), b.str()).ok());
  ASSERT_TRUE(WriteWorkloadBin(Generate(20000, 6, 1), c.str()).ok());
  const auto ta = Tree(a.path()), tb = Tree(b.path()), tc = Tree(c.path());
  ASSERT_EQ(ta.size(), tb.size());
  for (const auto& [name, bytes] : ta) {
    ASSERT_TRUE(tb.count(name)) << name;
    EXPECT_TRUE(bytes == tb.at(name)) << name << " differs between runs with the same seed";
  }
  // Another seed: every random column differs (ids and fixed vocabularies may not).
  for (const char* name :
       {"orders/amount_cents.bin", "orders/customer_id.bin", "invoices/paid_date.bin",
        "opportunities/quote_date.bin", "customers/created_date.bin"}) {
    ASSERT_TRUE(tc.count(name)) << name;
    EXPECT_FALSE(ta.at(name) == tc.at(name)) << name;
  }
  EXPECT_TRUE(ta.at("dictionaries/region.txt") == tc.at("dictionaries/region.txt"));
}

TEST(SampleBinTest, FilesHaveTheWorkloadsDtypesAndValues) {
  const SampleData d = Generate(5000);
  TempDir dir("dtypes");
  ASSERT_TRUE(WriteWorkloadBin(d, dir.str()).ok());
  const fs::path root = dir.path();
  const std::size_t n = 5000, m = 1000;
  struct Spec {
    const char* file;
    std::size_t rows, width;
  };
  // WORKLOADS.md: i64 ids and cents, i32 customer/product/dates/quantity,
  // i8 region, i16 salesperson.
  for (const Spec& s : std::vector<Spec>{
           {"orders/order_id.bin", n, 8},           {"orders/customer_id.bin", n, 4},
           {"orders/order_date.bin", n, 4},         {"orders/amount_cents.bin", n, 8},
           {"orders/product_id.bin", n, 4},         {"orders/quantity.bin", n, 4},
           {"orders/unit_cost_cents.bin", n, 8},    {"orders/region_id.bin", n, 1},
           {"orders/salesperson_id.bin", n, 2},     {"opportunities/opp_id.bin", m, 8},
           {"opportunities/customer_id.bin", m, 4}, {"opportunities/salesperson_id.bin", m, 2},
           {"opportunities/region_id.bin", m, 1},   {"opportunities/created_date.bin", m, 4},
           {"opportunities/lead_date.bin", m, 4},   {"opportunities/opportunity_date.bin", m, 4},
           {"opportunities/quote_date.bin", m, 4},  {"opportunities/contract_date.bin", m, 4},
           {"opportunities/won_date.bin", m, 4},    {"opportunities/paid_date.bin", m, 4},
           {"invoices/invoice_id.bin", n, 8},       {"invoices/order_id.bin", n, 8},
           {"invoices/customer_id.bin", n, 4},      {"invoices/salesperson_id.bin", n, 2},
           {"invoices/invoice_date.bin", n, 4},     {"invoices/due_date.bin", n, 4},
           {"invoices/amount_cents.bin", n, 8},     {"invoices/paid_cents.bin", n, 8},
           {"invoices/paid_date.bin", n, 4}}) {
    ASSERT_TRUE(fs::exists(root / s.file)) << s.file;
    EXPECT_EQ(fs::file_size(root / s.file), s.rows * s.width) << s.file;
  }
  // Values, decoded by hand: dates are days, missing = -1.
  const auto dates = Decode<std::int32_t>(ReadFile(root / "orders/order_date.bin"));
  const auto regions = Decode<std::int8_t>(ReadFile(root / "orders/region_id.bin"));
  const auto sps = Decode<std::int16_t>(ReadFile(root / "orders/salesperson_id.bin"));
  const auto amounts = Decode<std::int64_t>(ReadFile(root / "orders/amount_cents.bin"));
  const auto& o = d.orders.columns();
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(dates[i], o.order_date[i]);
    ASSERT_EQ(regions[i], o.region[i]);
    ASSERT_EQ(sps[i], o.salesperson[i]);
    ASSERT_EQ(amounts[i], o.amount[i]);
  }
  const auto paid_date = Decode<std::int32_t>(ReadFile(root / "invoices/paid_date.bin"));
  const auto paid = Decode<std::int64_t>(ReadFile(root / "invoices/paid_cents.bin"));
  std::size_t missing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(paid_date[i] == -1, paid[i] == 0) << i;
    missing += paid_date[i] == -1;
  }
  EXPECT_GT(missing, 0u);
  const auto won = Decode<std::int32_t>(ReadFile(root / "opportunities/won_date.bin"));
  std::size_t not_won = 0;
  for (std::size_t i = 0; i < m; ++i) {
    ASSERT_EQ(won[i] == -1, d.pipeline.columns().stage_dates[4][i] == kNoDate);
    not_won += won[i] == -1;
  }
  EXPECT_GT(not_won, m / 2);  // P(won) ~ 0.55 x 0.6 x 0.5 x 0.7 = 0.12

  const std::string meta = ReadFile(root / "meta.json");
  EXPECT_NE(meta.find("\"N\": 5000"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"K\": 500"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"seed\": 20240930"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"as_of\": 19996"), std::string::npos) << meta;
}

template <typename T>
void ExpectSameColumn(const Column<T>& a, const Column<T>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << what << " row " << i;
}

void ExpectSameDictionary(const std::shared_ptr<Dictionary>& a,
                          const std::shared_ptr<Dictionary>& b, const std::string& what) {
  ASSERT_TRUE(a && b) << what;
  ASSERT_EQ(a->size(), b->size()) << what;
  for (Id i = 0; i < a->size(); ++i) ASSERT_EQ(a->Code(i), b->Code(i)) << what;
}

TEST(SampleBinTest, RoundTripKeepsEveryColumn) {
  const SampleData d = Generate(30000, 9, 2);
  TempDir dir("roundtrip");
  ASSERT_TRUE(WriteWorkloadBin(d, dir.str()).ok());
  absl::StatusOr<SampleData> r = ReadWorkloadBin(dir.str());
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& o1 = d.orders.columns();
  const auto& o2 = r->orders.columns();
  ExpectSameColumn(o1.order_id, o2.order_id, "orders.order_id");
  ExpectSameColumn(o1.order_date, o2.order_date, "orders.order_date");
  ExpectSameColumn(o1.customer, o2.customer, "orders.customer");
  ExpectSameColumn(o1.product, o2.product, "orders.product");
  ExpectSameColumn(o1.region, o2.region, "orders.region");
  ExpectSameColumn(o1.salesperson, o2.salesperson, "orders.salesperson");
  ExpectSameColumn(o1.quantity, o2.quantity, "orders.quantity");
  ExpectSameColumn(o1.amount, o2.amount, "orders.amount");
  ExpectSameColumn(o1.unit_cost, o2.unit_cost, "orders.unit_cost");
  ExpectSameColumn(o1.channel, o2.channel, "orders.channel");
  EXPECT_EQ(r->orders.money_scale(), 2);

  const auto& p1 = d.pipeline.columns();
  const auto& p2 = r->pipeline.columns();
  ExpectSameColumn(p1.opportunity, p2.opportunity, "pipeline.opportunity");
  ExpectSameColumn(p1.customer, p2.customer, "pipeline.customer");
  ExpectSameColumn(p1.salesperson, p2.salesperson, "pipeline.salesperson");
  ExpectSameColumn(p1.region, p2.region, "pipeline.region");
  ExpectSameColumn(p1.source, p2.source, "pipeline.source");
  ExpectSameColumn(p1.amount, p2.amount, "pipeline.amount");
  ExpectSameColumn(p1.created, p2.created, "pipeline.created");
  ASSERT_EQ(p1.stage_names, p2.stage_names);
  for (std::size_t s = 0; s < p1.stage_dates.size(); ++s) {
    ExpectSameColumn(p1.stage_dates[s], p2.stage_dates[s], "pipeline." + p1.stage_names[s]);
  }
  ExpectSameColumn(p1.lost_date, p2.lost_date, "pipeline.lost_date");
  ExpectSameColumn(p1.lost_reason, p2.lost_reason, "pipeline.lost_reason");

  const auto& v1 = d.invoices.columns();
  const auto& v2 = r->invoices.columns();
  ExpectSameColumn(v1.invoice, v2.invoice, "invoices.invoice");
  ExpectSameColumn(v1.order, v2.order, "invoices.order");
  ExpectSameColumn(v1.customer, v2.customer, "invoices.customer");
  ExpectSameColumn(v1.salesperson, v2.salesperson, "invoices.salesperson");
  ExpectSameColumn(v1.region, v2.region, "invoices.region");
  ExpectSameColumn(v1.invoice_date, v2.invoice_date, "invoices.invoice_date");
  ExpectSameColumn(v1.due_date, v2.due_date, "invoices.due_date");
  ExpectSameColumn(v1.amount, v2.amount, "invoices.amount");
  ExpectSameColumn(v1.paid, v2.paid, "invoices.paid");
  ExpectSameColumn(v1.paid_date, v2.paid_date, "invoices.paid_date");

  const auto& c1 = d.customers.columns();
  const auto& c2 = r->customers.columns();
  ExpectSameColumn(c1.customer, c2.customer, "customers.customer");
  ExpectSameColumn(c1.region, c2.region, "customers.region");
  ExpectSameColumn(c1.owner, c2.owner, "customers.owner");
  ExpectSameColumn(c1.credit_limit, c2.credit_limit, "customers.credit_limit");
  ExpectSameColumn(c1.created, c2.created, "customers.created");
  EXPECT_EQ(c1.name, c2.name);
  EXPECT_EQ(d.customer_names_en, r->customer_names_en);
  EXPECT_EQ(d.customer_terms_days, r->customer_terms_days);
  EXPECT_EQ(d.customer_payer_type, r->customer_payer_type);

  const auto& pr1 = d.products.columns();
  const auto& pr2 = r->products.columns();
  ExpectSameColumn(pr1.product, pr2.product, "products.product");
  ExpectSameColumn(pr1.category, pr2.category, "products.category");
  ExpectSameColumn(pr1.standard_cost, pr2.standard_cost, "products.standard_cost");
  EXPECT_EQ(pr1.name, pr2.name);
  EXPECT_EQ(d.product_names_en, r->product_names_en);
  ASSERT_EQ(pr1.cost_tiers.size(), pr2.cost_tiers.size());
  for (std::size_t i = 0; i < pr1.cost_tiers.size(); ++i) {
    EXPECT_EQ(pr1.cost_tiers[i].product, pr2.cost_tiers[i].product);
    EXPECT_EQ(pr1.cost_tiers[i].min_quantity, pr2.cost_tiers[i].min_quantity);
    EXPECT_EQ(pr1.cost_tiers[i].unit_cost, pr2.cost_tiers[i].unit_cost);
  }

  ExpectSameColumn(d.payments.columns().invoice_row, r->payments.columns().invoice_row,
                   "payments.invoice_row");
  ExpectSameColumn(d.payments.columns().date, r->payments.columns().date, "payments.date");
  ExpectSameColumn(d.payments.columns().amount, r->payments.columns().amount, "payments.amount");
  ExpectSameColumn(d.targets.columns().key, r->targets.columns().key, "targets.key");
  ExpectSameColumn(d.targets.columns().month, r->targets.columns().month, "targets.month");
  ExpectSameColumn(d.targets.columns().amount, r->targets.columns().amount, "targets.amount");

  ExpectSameDictionary(d.customer_codes, r->customer_codes, "customer codes");
  ExpectSameDictionary(d.product_codes, r->product_codes, "product codes");
  ExpectSameDictionary(d.region_codes, r->region_codes, "region codes");
  ExpectSameDictionary(d.salesperson_codes, r->salesperson_codes, "salesperson codes");
  ExpectSameDictionary(d.category_codes, r->category_codes, "category codes");
  ExpectSameDictionary(d.channel_codes, r->channel_codes, "channel codes");
  ExpectSameDictionary(d.source_codes, r->source_codes, "source codes");
  ExpectSameDictionary(d.lost_reason_codes, r->lost_reason_codes, "lost reason codes");
  EXPECT_EQ(d.salesperson_names_en, r->salesperson_names_en);
  EXPECT_EQ(r->seed, 9u);
  EXPECT_EQ(r->as_of, 19996);
  EXPECT_EQ(r->snapshot, 20088);

  // Writing what was read gives the same bytes again.
  TempDir again("again");
  ASSERT_TRUE(WriteWorkloadBin(*r, again.str()).ok());
  EXPECT_TRUE(Tree(dir.path()) == Tree(again.path()));
}

TEST(SampleBinTest, PaymentsMapInvoiceIdsThatAreNotRowNumbers) {
  SampleData d = Generate(2000);
  // Invoice ids 7 x row + 5: payments still refer to rows in memory, to ids on disk.
  InvoicesColumns v = d.invoices.columns();
  std::vector<std::int64_t> ids(v.invoice.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = 7 * static_cast<std::int64_t>(i) + 5;
  v.invoice = Column<std::int64_t>::Own(ids);
  absl::StatusOr<Invoices> invoices = Invoices::Build(v);
  ASSERT_TRUE(invoices.ok()) << invoices.status();
  d.invoices = *invoices;
  absl::StatusOr<Payments> payments = Payments::Build(d.payments.columns(), d.invoices);
  ASSERT_TRUE(payments.ok()) << payments.status();
  d.payments = *payments;

  TempDir dir("ids");
  ASSERT_TRUE(WriteWorkloadBin(d, dir.str()).ok());
  const auto on_disk = Decode<std::int64_t>(ReadFile(dir.path() / "payments" / "invoice_id.bin"));
  const auto& rows = d.payments.columns().invoice_row;
  ASSERT_EQ(on_disk.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(on_disk[i], 7 * rows[i] + 5);
  absl::StatusOr<SampleData> r = ReadWorkloadBin(dir.str());
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectSameColumn(rows, r->payments.columns().invoice_row, "payments.invoice_row");
  ExpectSameColumn(d.invoices.columns().invoice, r->invoices.columns().invoice, "invoice ids");
}

TEST(SampleBinTest, ReadErrorsNameTheFile) {
  TempDir dir("errors");
  absl::StatusOr<SampleData> none = ReadWorkloadBin(dir.str());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("meta.json"), std::string_view::npos) << none.status();

  ASSERT_TRUE(WriteWorkloadBin(Generate(2000), dir.str()).ok());
  // Truncate one column by one byte: a length error naming the file.
  const fs::path col = dir.path() / "invoices" / "paid_cents.bin";
  fs::resize_file(col, fs::file_size(col) - 1);
  absl::StatusOr<SampleData> bad = ReadWorkloadBin(dir.str());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("paid_cents.bin"), std::string_view::npos) << bad.status();

  // A missing required column.
  fs::remove(col);
  fs::remove(dir.path() / "orders" / "amount_cents.bin");
  bad = ReadWorkloadBin(dir.str());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("amount_cents.bin"), std::string_view::npos)
      << bad.status();
}

TEST(SampleBinTest, CorruptIdsAreCaughtByTheTableBuilders) {
  TempDir dir("corrupt");
  ASSERT_TRUE(WriteWorkloadBin(Generate(2000), dir.str()).ok());
  // Region 9 in row 0: outside the 8-entry region dictionary.
  const fs::path col = dir.path() / "orders" / "region_id.bin";
  std::string bytes = ReadFile(col);
  bytes[0] = 9;
  std::ofstream(col, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  absl::StatusOr<SampleData> bad = ReadWorkloadBin(dir.str());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("region"), std::string_view::npos) << bad.status();
}

// ------------------------------------------------------------------ CSV

// RFC 4180 record splitter for checking our own files (LF line ends).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
      any = true;
    } else if (ch == ',') {
      row.push_back(field);
      field.clear();
      any = true;
    } else if (ch == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      any = false;
    } else {
      field.push_back(ch);
      any = true;
    }
  }
  if (any) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
  return s;
}

TEST(SampleCsvTest, FilesHeadersAndRowCounts) {
  const SampleData d = Generate(3000);
  TempDir dir("csv");
  ASSERT_TRUE(WriteSampleCsv(d, dir.str()).ok());
  struct Expect {
    const char* file;
    const char* header;
    std::size_t rows;
  };
  const std::vector<Expect> files = {
      {"orders.csv",
       "order_id,order_date,customer,product,region,salesperson,channel,quantity,amount,unit_cost",
       3000},
      {"customers.csv", "customer,name,name_en,region,owner,credit_limit,created,terms_days", 300},
      {"products.csv", "product,name,name_en,category,standard_cost", 300},
      {"cost_tiers.csv", "product,min_quantity,unit_cost", d.products.columns().cost_tiers.size()},
      {"salespeople.csv", "salesperson,name_en,region", 200},
      {"pipeline.csv",
       "opportunity_id,customer,salesperson,region,source,amount,created_date,lead_date,"
       "opportunity_date,quote_date,contract_date,won_date,paid_date,lost_date,lost_reason",
       600},
      {"invoices.csv",
       "invoice_id,order_id,customer,salesperson,region,invoice_date,due_date,amount,paid,"
       "paid_date",
       3000},
      {"payments.csv", "invoice_id,payment_date,amount", d.payments.size()},
      {"targets.csv", "salesperson,month,target", 7200},
  };
  for (const Expect& e : files) {
    const std::string text = ReadFile(dir.path() / e.file);
    ASSERT_FALSE(text.empty()) << e.file;
    EXPECT_EQ(text.back(), '\n') << e.file;
    EXPECT_EQ(text.find('\r'), std::string::npos) << e.file;
    const auto rows = ParseCsv(text);
    ASSERT_EQ(rows.size(), e.rows + 1) << e.file;
    EXPECT_EQ(Join(rows[0]), e.header) << e.file;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].size(), rows[0].size()) << e.file << " line " << r + 1;
    }
  }
}

TEST(SampleCsvTest, ValuesAreCodesDecimalsAndIsoDates) {
  const SampleData d = Generate(3000);
  TempDir dir("values");
  ASSERT_TRUE(WriteSampleCsv(d, dir.str()).ok());
  const auto orders = ParseCsv(ReadFile(dir.path() / "orders.csv"));
  const auto& o = d.orders.columns();
  for (std::size_t i = 0; i < o.order_id.size(); ++i) {
    const auto& f = orders[i + 1];
    ASSERT_EQ(f[0], std::to_string(o.order_id[i]));
    ASSERT_EQ(f[1], FormatDate(o.order_date[i]));
    ASSERT_EQ(f[2], d.customer_codes->Code(o.customer[i]));
    ASSERT_EQ(f[3], d.product_codes->Code(o.product[i]));
    ASSERT_EQ(f[4], d.region_codes->Code(o.region[i]));
    ASSERT_EQ(f[5], d.salesperson_codes->Code(o.salesperson[i]));
    ASSERT_EQ(f[6], d.channel_codes->Code(o.channel[i]));
    ASSERT_EQ(f[7], std::to_string(o.quantity[i]));
    ASSERT_EQ(f[8], FormatMoney(o.amount[i], 2));
    ASSERT_EQ(f[9], FormatMoney(o.unit_cost[i], 2));
    // Decimal text parses back exactly.
    absl::StatusOr<Money> back = ParseMoney(f[8]);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(*back, o.amount[i]);
  }
  // Hand-checked formatting: 123450 cents -> "1234.50", 5 -> "0.05".
  EXPECT_EQ(FormatMoney(123450, 2), "1234.50");

  const auto invoices = ParseCsv(ReadFile(dir.path() / "invoices.csv"));
  const auto& v = d.invoices.columns();
  std::size_t empty_paid_date = 0;
  for (std::size_t i = 0; i < v.invoice.size(); ++i) {
    const auto& f = invoices[i + 1];
    ASSERT_EQ(f[6], FormatDate(v.due_date[i]));
    ASSERT_EQ(f[8], FormatMoney(v.paid[i], 2));
    ASSERT_EQ(f[9].empty(), v.paid_date[i] == kNoDate);
    empty_paid_date += f[9].empty();
  }
  EXPECT_GT(empty_paid_date, 0u);

  const auto pipeline = ParseCsv(ReadFile(dir.path() / "pipeline.csv"));
  const auto& p = d.pipeline.columns();
  for (std::size_t i = 0; i < p.opportunity.size(); ++i) {
    const auto& f = pipeline[i + 1];
    for (std::size_t s = 0; s < 6; ++s) {
      ASSERT_EQ(f[7 + s], FormatDate(p.stage_dates[s][i]));  // "" when not reached
    }
    ASSERT_EQ(f[13].empty(), p.lost_date[i] == kNoDate);
    ASSERT_EQ(f[14].empty(), p.lost_date[i] == kNoDate);
  }

  // Names with commas ("Co., Ltd.") are quoted and come back whole.
  const auto customers = ParseCsv(ReadFile(dir.path() / "customers.csv"));
  const std::string raw = ReadFile(dir.path() / "customers.csv");
  EXPECT_NE(raw.find("Co., Ltd.\""), std::string::npos);
  const auto& c = d.customers.columns();
  for (std::size_t i = 0; i < c.customer.size(); ++i) {
    ASSERT_EQ(customers[i + 1][1], c.name[i]);
    ASSERT_EQ(customers[i + 1][2], d.customer_names_en[i]);
  }

  const auto targets = ParseCsv(ReadFile(dir.path() / "targets.csv"));
  EXPECT_EQ(targets[1][1], "2022-01");
  EXPECT_EQ(targets[36][1], "2024-12");
}

TEST(SampleCsvTest, UnwritableDirectoryIsAnError) {
  TempDir dir("blocked");
  // A regular file where the directory should be.
  std::ofstream(dir.path()) << "x";
  absl::Status st = WriteSampleCsv(Generate(1000), (dir.path() / "sub").string());
  EXPECT_FALSE(st.ok());
  st = WriteWorkloadBin(Generate(1000), (dir.path() / "sub").string());
  EXPECT_FALSE(st.ok());
  std::error_code ec;
  fs::remove(dir.path(), ec);
}

}  // namespace
}  // namespace salesight
