// WriteSampleCsv: the sample as ERP-style CSV exports (files and columns are
// listed in sample.hpp). Formatting is hand-rolled into a 1 MiB buffer: a
// 10^7-line orders file must not cost a formatting library call per field.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

namespace fs = std::filesystem;

class CsvFile {
 public:
  explicit CsvFile(fs::path path) : path_(std::move(path)) { buffer_.reserve(kFlushAt + 4096); }
  ~CsvFile() {
    if (file_) std::fclose(file_);
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  absl::Status Open(std::string_view header) {
    file_ = std::fopen(path_.string().c_str(), "wb");
    if (!file_) {
      return absl::InternalError(
          absl::StrFormat("%s: cannot open for writing: %s", path_.string(), std::strerror(errno)));
    }
    buffer_.append(header);
    buffer_.push_back('\n');
    return absl::OkStatus();
  }

  // RFC 4180: quote a field holding the delimiter, a quote, a line break, or
  // leading/trailing spaces (which readers may trim); double inner quotes.
  void Text(std::string_view s) {
    Sep();
    bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
    for (char ch : s) {
      if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') {
        quote = true;
        break;
      }
    }
    if (!quote) {
      buffer_.append(s);
      return;
    }
    buffer_.push_back('"');
    for (char ch : s) {
      if (ch == '"') buffer_.push_back('"');
      buffer_.push_back(ch);
    }
    buffer_.push_back('"');
  }
  void Code(const DictionaryPtr& dict, Id id) {
    if (dict && id >= 0 && id < dict->size()) {
      Text(dict->Code(id));
    } else {
      Int(id);
    }
  }
  void Int(std::int64_t v) {
    Sep();
    AppendInt(v);
  }
  // Exact decimal: -1234.50 for (-123450, 2).
  void Money(std::int64_t v, int scale) {
    Sep();
    std::uint64_t mag = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    if (v < 0) buffer_.push_back('-');
    std::uint64_t unit = 1;
    for (int i = 0; i < scale; ++i) unit *= 10;
    AppendUnsigned(mag / unit);
    if (scale > 0) {
      buffer_.push_back('.');
      std::uint64_t frac = mag % unit;
      char digits[20];
      for (int i = scale - 1; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
      }
      buffer_.append(digits, static_cast<std::size_t>(scale));
    }
  }
  // ISO date; empty for kNoDate.
  void Date(Day d) {
    Sep();
    if (d == kNoDate) return;
    const CivilDate c = CivilFromDay(d);
    char s[10];
    Digits(s, c.year, 4);
    s[4] = '-';
    Digits(s + 5, c.month, 2);
    s[7] = '-';
    Digits(s + 8, c.day, 2);
    buffer_.append(s, 10);
  }
  // "2024-09" for 202409.
  void Month(std::int32_t yyyymm) {
    Sep();
    char s[7];
    Digits(s, yyyymm / 100, 4);
    s[4] = '-';
    Digits(s + 5, yyyymm % 100, 2);
    buffer_.append(s, 7);
  }
  void Empty() { Sep(); }

  absl::Status EndRow() {
    buffer_.push_back('\n');
    first_ = true;
    if (buffer_.size() >= kFlushAt) return Flush();
    return absl::OkStatus();
  }

  absl::Status Close() {
    SALESIGHT_RETURN_IF_ERROR(Flush());
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) {
      return absl::InternalError(
          absl::StrFormat("%s: close failed: %s", path_.string(), std::strerror(errno)));
    }
    return absl::OkStatus();
  }

 private:
  static constexpr std::size_t kFlushAt = std::size_t{1} << 20;

  void Sep() {
    if (!first_) buffer_.push_back(',');
    first_ = false;
  }
  static void Digits(char* out, int v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  }
  void AppendUnsigned(std::uint64_t v) {
    char digits[20];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v > 0);
    while (n > 0) buffer_.push_back(digits[--n]);
  }
  void AppendInt(std::int64_t v) {
    if (v < 0) {
      buffer_.push_back('-');
      AppendUnsigned(0 - static_cast<std::uint64_t>(v));
    } else {
      AppendUnsigned(static_cast<std::uint64_t>(v));
    }
  }
  absl::Status Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return absl::InternalError(
          absl::StrFormat("%s: write failed: %s", path_.string(), std::strerror(errno)));
    }
    buffer_.clear();
    return absl::OkStatus();
  }

  fs::path path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool first_ = true;
};

template <typename T>
bool Has(const Column<T>& c, std::size_t i) {
  return i < c.size();
}

absl::Status WriteOrders(const SampleData& d, const fs::path& dir) {
  const OrderLinesColumns& o = d.orders.columns();
  const int scale = o.money_scale;
  CsvFile f(dir / "orders.csv");
  SALESIGHT_RETURN_IF_ERROR(f.Open(
      "order_id,order_date,customer,product,region,salesperson,channel,quantity,amount,unit_cost"));
  for (std::size_t i = 0; i < o.order_id.size(); ++i) {
    f.Int(o.order_id[i]);
    f.Date(o.order_date[i]);
    f.Code(o.customers, o.customer[i]);
    Has(o.product, i) ? f.Code(o.products, o.product[i]) : f.Empty();
    Has(o.region, i) ? f.Code(o.regions, o.region[i]) : f.Empty();
    Has(o.salesperson, i) ? f.Code(o.salespeople, o.salesperson[i]) : f.Empty();
    Has(o.channel, i) ? f.Code(o.channels, o.channel[i]) : f.Empty();
    Has(o.quantity, i) ? f.Int(o.quantity[i]) : f.Empty();
    f.Money(o.amount[i], scale);
    Has(o.unit_cost, i) ? f.Money(o.unit_cost[i], scale) : f.Empty();
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

absl::Status WriteCustomers(const SampleData& d, const fs::path& dir) {
  const CustomersColumns& c = d.customers.columns();
  CsvFile f(dir / "customers.csv");
  SALESIGHT_RETURN_IF_ERROR(
      f.Open("customer,name,name_en,region,owner,credit_limit,created,terms_days"));
  for (std::size_t i = 0; i < c.customer.size(); ++i) {
    f.Code(c.customers, c.customer[i]);
    i < c.name.size() ? f.Text(c.name[i]) : f.Empty();
    i < d.customer_names_en.size() ? f.Text(d.customer_names_en[i]) : f.Empty();
    Has(c.region, i) ? f.Code(c.regions, c.region[i]) : f.Empty();
    Has(c.owner, i) ? f.Code(c.salespeople, c.owner[i]) : f.Empty();
    Has(c.credit_limit, i) ? f.Money(c.credit_limit[i], c.money_scale) : f.Empty();
    Has(c.created, i) ? f.Date(c.created[i]) : f.Empty();
    i < d.customer_terms_days.size() ? f.Int(d.customer_terms_days[i]) : f.Empty();
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

absl::Status WriteProducts(const SampleData& d, const fs::path& dir) {
  const ProductsColumns& p = d.products.columns();
  {
    CsvFile f(dir / "products.csv");
    SALESIGHT_RETURN_IF_ERROR(f.Open("product,name,name_en,category,standard_cost"));
    for (std::size_t i = 0; i < p.product.size(); ++i) {
      f.Code(p.products, p.product[i]);
      i < p.name.size() ? f.Text(p.name[i]) : f.Empty();
      i < d.product_names_en.size() ? f.Text(d.product_names_en[i]) : f.Empty();
      Has(p.category, i) ? f.Code(p.categories, p.category[i]) : f.Empty();
      Has(p.standard_cost, i) ? f.Money(p.standard_cost[i], p.money_scale) : f.Empty();
      SALESIGHT_RETURN_IF_ERROR(f.EndRow());
    }
    SALESIGHT_RETURN_IF_ERROR(f.Close());
  }
  CsvFile f(dir / "cost_tiers.csv");
  SALESIGHT_RETURN_IF_ERROR(f.Open("product,min_quantity,unit_cost"));
  for (const CostTier& t : p.cost_tiers) {
    f.Code(p.products, t.product);
    f.Int(t.min_quantity);
    f.Money(t.unit_cost, p.money_scale);
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

absl::Status WriteSalespeople(const SampleData& d, const fs::path& dir) {
  CsvFile f(dir / "salespeople.csv");
  SALESIGHT_RETURN_IF_ERROR(f.Open("salesperson,name_en,region"));
  const Id count = d.salesperson_codes ? d.salesperson_codes->size() : 0;
  const Id regions = d.region_codes ? d.region_codes->size() : 0;
  for (Id s = 0; s < count; ++s) {
    f.Code(d.salesperson_codes, s);
    static_cast<std::size_t>(s) < d.salesperson_names_en.size()
        ? f.Text(d.salesperson_names_en[static_cast<std::size_t>(s)])
        : f.Empty();
    // The sample's rule: salesperson s works in region s mod (number of regions).
    regions > 0 ? f.Code(d.region_codes, s % regions) : f.Empty();
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

absl::Status WritePipeline(const SampleData& d, const fs::path& dir) {
  const PipelineColumns& p = d.pipeline.columns();
  std::string header = "opportunity_id,customer,salesperson,region,source,amount,created_date";
  for (const std::string& s : p.stage_names) header += "," + s + "_date";
  header += ",lost_date,lost_reason";
  CsvFile f(dir / "pipeline.csv");
  SALESIGHT_RETURN_IF_ERROR(f.Open(header));
  for (std::size_t i = 0; i < p.opportunity.size(); ++i) {
    f.Int(p.opportunity[i]);
    Has(p.customer, i) ? f.Code(p.customers, p.customer[i]) : f.Empty();
    Has(p.salesperson, i) ? f.Code(p.salespeople, p.salesperson[i]) : f.Empty();
    Has(p.region, i) ? f.Code(p.regions, p.region[i]) : f.Empty();
    Has(p.source, i) ? f.Code(p.sources, p.source[i]) : f.Empty();
    Has(p.amount, i) ? f.Money(p.amount[i], p.money_scale) : f.Empty();
    f.Date(p.created[i]);
    for (const Column<Day>& s : p.stage_dates) f.Date(s[i]);
    const bool lost = Has(p.lost_date, i) && p.lost_date[i] != kNoDate;
    lost ? f.Date(p.lost_date[i]) : f.Empty();
    lost&& Has(p.lost_reason, i) ? f.Code(p.lost_reasons, p.lost_reason[i]) : f.Empty();
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

absl::Status WriteInvoices(const SampleData& d, const fs::path& dir) {
  const InvoicesColumns& v = d.invoices.columns();
  const int scale = v.money_scale;
  {
    CsvFile f(dir / "invoices.csv");
    SALESIGHT_RETURN_IF_ERROR(
        f.Open("invoice_id,order_id,customer,salesperson,region,invoice_date,due_date,amount,paid,"
               "paid_date"));
    for (std::size_t i = 0; i < v.invoice.size(); ++i) {
      f.Int(v.invoice[i]);
      Has(v.order, i) ? f.Int(v.order[i]) : f.Empty();
      f.Code(v.customers, v.customer[i]);
      Has(v.salesperson, i) ? f.Code(v.salespeople, v.salesperson[i]) : f.Empty();
      Has(v.region, i) ? f.Code(v.regions, v.region[i]) : f.Empty();
      f.Date(v.invoice_date[i]);
      f.Date(v.due_date[i]);
      f.Money(v.amount[i], scale);
      Has(v.paid, i) ? f.Money(v.paid[i], scale) : f.Empty();
      Has(v.paid_date, i) ? f.Date(v.paid_date[i]) : f.Empty();
      SALESIGHT_RETURN_IF_ERROR(f.EndRow());
    }
    SALESIGHT_RETURN_IF_ERROR(f.Close());
  }
  const PaymentsColumns& p = d.payments.columns();
  CsvFile f(dir / "payments.csv");
  SALESIGHT_RETURN_IF_ERROR(f.Open("invoice_id,payment_date,amount"));
  for (std::size_t i = 0; i < p.invoice_row.size(); ++i) {
    f.Int(v.invoice[static_cast<std::size_t>(p.invoice_row[i])]);
    f.Date(p.date[i]);
    f.Money(p.amount[i], p.money_scale);
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

absl::Status WriteTargets(const SampleData& d, const fs::path& dir) {
  const TargetsColumns& t = d.targets.columns();
  CsvFile f(dir / "targets.csv");
  SALESIGHT_RETURN_IF_ERROR(f.Open("salesperson,month,target"));
  for (std::size_t i = 0; i < t.month.size(); ++i) {
    Has(t.key, i) ? f.Code(t.keys, t.key[i]) : f.Empty();
    f.Month(t.month[i]);
    f.Money(t.amount[i], t.money_scale);
    SALESIGHT_RETURN_IF_ERROR(f.EndRow());
  }
  return f.Close();
}

}  // namespace

absl::Status WriteSampleCsv(const SampleData& data, const std::string& dir) {
  const fs::path root(dir);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrFormat("%s: cannot create directory: %s", root.string(), ec.message()));
  }
  SALESIGHT_RETURN_IF_ERROR(WriteOrders(data, root));
  SALESIGHT_RETURN_IF_ERROR(WriteCustomers(data, root));
  SALESIGHT_RETURN_IF_ERROR(WriteProducts(data, root));
  SALESIGHT_RETURN_IF_ERROR(WriteSalespeople(data, root));
  SALESIGHT_RETURN_IF_ERROR(WritePipeline(data, root));
  SALESIGHT_RETURN_IF_ERROR(WriteInvoices(data, root));
  return WriteTargets(data, root);
}

}  // namespace salesight
