// A random data set of every table (orders, products, pipeline, invoices,
// payments, targets) as CSV text, read through the CSV ingest as one load:
// text codes whose text order differs from their first-seen order, many ties.
// Shared by the row-order property (row_order_test.cpp) and the partial-state
// property (aggregator_test.cpp).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "salesight/csv.hpp"

namespace salesight::random_data {

constexpr Day kJan1 = 19723;  // 2024-01-01

inline std::string Iso(Day day) {
  // Days since 1970-01-01 -> yyyy-mm-dd (civil-from-days, Howard Hinnant).
  int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return absl::StrFormat("%04d-%02d-%02d", y, m, d);
}

// One file: header and data rows (shuffled before writing).
struct CsvFile {
  std::string header;
  std::vector<std::string> rows;
};

struct DataSet {
  CsvFile products, orders, pipeline, invoices, payments, targets;
};

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

// Codes in an order that is neither their text order nor the order of the
// numbers in them; a few are UTF-8.
inline std::vector<std::string> Codes(std::mt19937& rng, const std::string& prefix, int n) {
  std::vector<std::string> out;
  while (static_cast<int>(out.size()) < n) {
    std::string code = prefix + std::to_string(1 + rng() % 400);
    if (rng() % 7 == 0) code = prefix + "\xE5\x8D\x8E" + std::to_string(rng() % 9);  // 华
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  return out;
}

inline DataSet Generate(unsigned seed) {
  std::mt19937 rng(seed);
  const std::vector<std::string> customers = Codes(rng, "C", 40);
  const std::vector<std::string> products = Codes(rng, "P", 14);
  const std::vector<std::string> salespeople = {"S-9", "S-10", "s-1", "Ann", "ann", "\xE7\x8E\x8B"};
  const std::vector<std::string> regions = {"West", "east", "", "\xE5\x8D\x8E\xE4\xB8\x9C", "North"};
  const std::vector<std::string> categories = {"Toys", "tools", "\xE5\xAE\xB6"};
  const std::vector<std::string> amounts = {"10.00", "20.00", "30.00"};

  DataSet d;
  d.products.header = "product,category,cost";
  for (const std::string& p : products) {
    d.products.rows.push_back(
        absl::StrFormat("%s,%s,%d.00", p, Pick(rng, categories), 2 + rng() % 3 * 2));
  }

  d.orders.header = "order,date,customer,product,region,salesperson,quantity,amount";
  std::vector<std::string> order_codes;
  for (int o = 0; o < 150; ++o) {
    const std::string order = "SO-" + std::to_string(1000 - o * 7 % 997);
    order_codes.push_back(order);
    const std::string customer = Pick(rng, customers);
    const std::string region = Pick(rng, regions);
    const std::string sp = Pick(rng, salespeople);
    const Day day = kJan1 + static_cast<Day>(rng() % 12) * 15;  // few dates: recency ties
    const int lines = 1 + static_cast<int>(rng() % 3);
    for (int l = 0; l < lines; ++l) {
      const std::string amount = rng() % 10 == 0 ? "-10.00" : Pick(rng, amounts);
      d.orders.rows.push_back(absl::StrFormat("%s,%s,%s,%s,%s,%s,%d,%s", order, Iso(day),
                                              customer, Pick(rng, products), region, sp,
                                              1 + rng() % 2, amount));
    }
  }

  d.pipeline.header =
      "id,created,customer,salesperson,region,source,amount,lead_date,opportunity_date,"
      "quote_date,contract_date,won_date,paid_date,lost,lost_reason";
  const std::vector<std::string> sources = {"web", "Ads", "ref", "\xE5\xB1\x95"};
  const std::vector<std::string> reasons = {"price", "Price", "timing"};
  for (int i = 0; i < 60; ++i) {
    const Day created = kJan1 + static_cast<Day>(rng() % 6) * 10;
    const int reached = static_cast<int>(rng() % 7);  // stages 0..reached-1 recorded
    std::string stages;
    for (int s = 0; s < 6; ++s) {
      stages += ",";
      if (s < reached) stages += Iso(created + s * 5);
    }
    const bool lost = reached < 5 && rng() % 2 == 0;
    d.pipeline.rows.push_back(absl::StrFormat(
        "OP-%d,%s,%s,%s,%s,%s,%s%s,%s,%s", 500 - i * 13 % 487, Iso(created),
        Pick(rng, customers), Pick(rng, salespeople), Pick(rng, regions), Pick(rng, sources),
        Pick(rng, amounts), stages, lost ? Iso(created + 40) : "",
        lost ? Pick(rng, reasons) : ""));
  }

  d.invoices.header = "invoice,order,customer,salesperson,region,date,due,amount";
  d.payments.header = "invoice,date,amount";
  for (int i = 0; i < 70; ++i) {
    const std::string invoice = "INV-" + std::to_string(300 - i * 11 % 293);
    const Day date = kJan1 + static_cast<Day>(rng() % 8) * 15;
    d.invoices.rows.push_back(absl::StrFormat(
        "%s,%s,%s,%s,%s,%s,%s,100.00", invoice, Pick(rng, order_codes), Pick(rng, customers),
        Pick(rng, salespeople), Pick(rng, regions), Iso(date), Iso(date + 30)));
    const int payments = static_cast<int>(rng() % 3);
    for (int p = 0; p < payments; ++p) {
      d.payments.rows.push_back(
          absl::StrFormat("%s,%s,%s", invoice, Iso(date + 10 + p * 20), "25.00"));
    }
  }

  d.targets.header = "salesperson,month,amount";
  for (const std::string& sp : salespeople) {
    for (int m = 1; m <= 6; ++m) {
      d.targets.rows.push_back(absl::StrFormat("%s,2024-%02d,%d.00", sp, m, 50 + rng() % 2 * 50));
    }
  }
  return d;
}

inline std::string ScratchDir() {
  if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return ::testing::TempDir();
}

inline std::string Write(const CsvFile& file, const std::string& name) {
  const std::string path = absl::StrFormat("%s/row_order_%d_%s.csv", ScratchDir(), ::getpid(), name);
  std::ofstream out(path, std::ios::binary);
  out << file.header << '\n';
  for (const std::string& row : file.rows) out << row << '\n';
  return path;
}

struct Load {
  Dictionaries dicts;
  ProductsCsv products;
  OrdersCsv orders;
  PipelineCsv pipeline;
  InvoicesCsv invoices;
  PaymentsCsv payments;
  TargetsCsv targets;
};

template <typename T>
T Take(absl::StatusOr<T> read, const char* what) {
  EXPECT_TRUE(read.ok()) << what << ": " << read.status();
  EXPECT_EQ(read->report.rejected, 0) << what << ": " << FormatRejectReport(read->report);
  return *std::move(read);
}

// Reads the files (in one of two file orders) as one load.
inline void Read(const DataSet& d, bool masters_last, Load& load) {
  IngestOptions o;
  const std::string products = Write(d.products, "products"), orders = Write(d.orders, "orders"),
                    pipeline = Write(d.pipeline, "pipeline"),
                    invoices = Write(d.invoices, "invoices"),
                    payments = Write(d.payments, "payments"),
                    targets = Write(d.targets, "targets");
  auto read_products = [&] {
    load.products = Take(ReadProductsCsv(products, o, load.dicts), "products");
  };
  auto read_targets = [&] {
    load.targets = Take(ReadTargetsCsv(targets, o, load.dicts), "targets");
  };
  if (!masters_last) {
    read_products();
    read_targets();
  }
  load.invoices = Take(ReadInvoicesCsv(invoices, o, load.dicts), "invoices");
  load.payments = Take(ReadPaymentsCsv(payments, o, load.invoices.table, load.dicts), "payments");
  load.pipeline = Take(ReadPipelineCsv(pipeline, o, {}, load.dicts), "pipeline");
  load.orders = Take(ReadOrdersCsv(orders, o, load.dicts), "orders");
  if (masters_last) {
    read_targets();
    read_products();
  }
  for (const std::string& p : {products, orders, pipeline, invoices, payments, targets}) {
    std::remove(p.c_str());
  }
  CsvLoad all;
  all.products = &load.products;
  all.orders = &load.orders;
  all.pipeline = &load.pipeline;
  all.invoices = &load.invoices;
  all.targets = &load.targets;
  ASSERT_TRUE(CanonicalizeIds(load.dicts, all).ok());
}

}  // namespace salesight::random_data
