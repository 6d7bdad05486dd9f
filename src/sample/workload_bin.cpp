// The WORKLOADS exchange format: one raw little-endian file per column (as
// numpy's tofile writes them), narrowed to the dtypes WORKLOADS.md lists, plus
// meta.json. Layout and dtypes are listed in sample.hpp.
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "salesight/status_macros.hpp"
#include "salesight/sample.hpp"
#include "internal/sample.hpp"

namespace salesight {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunk = std::size_t{1} << 16;  // elements converted per write
constexpr char kFormatName[] = "salesight-workloads";

template <typename T>
T SwapToLittle(T v) {
  if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
    return v;
  } else {
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
    std::memcpy(&v, b, sizeof(T));
    return v;
  }
}

std::string ErrnoText() { return std::strerror(errno); }

template <typename T>
constexpr const char* DtypeName() {
  if constexpr (std::is_same_v<T, std::int8_t>) return "i8";
  if constexpr (std::is_same_v<T, std::int16_t>) return "i16";
  if constexpr (std::is_same_v<T, std::int32_t>) return "i32";
  return "i64";
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

absl::Status CloseChecked(File& f, const fs::path& path) {
  std::FILE* raw = f.release();
  if (std::fclose(raw) != 0) {
    return absl::InternalError(absl::StrFormat("%s: close failed: %s", path.string(), ErrnoText()));
  }
  return absl::OkStatus();
}

enum class Kind { kPlain, kDate };

// Writes `values` narrowed to Stored; dates map kNoDate -> -1. A value that
// does not fit the dtype is an error naming the file, row and value.
template <typename Stored, typename In>
absl::Status WriteColumn(const fs::path& path, absl::Span<const In> values, Kind kind) {
  if (values.empty()) {
    // An absent optional column has no file (an empty file would read back as
    // a length mismatch); drop a stale one from an earlier, larger data set.
    std::error_code ec;
    fs::remove(path, ec);
    return absl::OkStatus();
  }
  File f(std::fopen(path.string().c_str(), "wb"));
  if (!f) {
    return absl::InternalError(
        absl::StrFormat("%s: cannot open for writing: %s", path.string(), ErrnoText()));
  }
  std::vector<Stored> buffer(std::min(kChunk, values.size()));
  for (std::size_t begin = 0; begin < values.size(); begin += kChunk) {
    const std::size_t count = std::min(kChunk, values.size() - begin);
    for (std::size_t j = 0; j < count; ++j) {
      auto v = static_cast<std::int64_t>(values[begin + j]);
      if (kind == Kind::kDate) {
        if (values[begin + j] == static_cast<In>(kNoDate)) {
          v = -1;
        } else if (v == -1) {
          return absl::InvalidArgumentError(
              absl::StrFormat("%s row %d: day -1 (1969-12-31) cannot be stored, -1 means missing",
                              path.string(), begin + j));
        }
      }
      if (v < std::numeric_limits<Stored>::min() || v > std::numeric_limits<Stored>::max()) {
        return absl::OutOfRangeError(absl::StrFormat("%s row %d: value %d does not fit %s",
                                                     path.string(), begin + j, v,
                                                     DtypeName<Stored>()));
      }
      buffer[j] = SwapToLittle(static_cast<Stored>(v));
    }
    if (std::fwrite(buffer.data(), sizeof(Stored), count, f.get()) != count) {
      return absl::InternalError(
          absl::StrFormat("%s: write failed: %s", path.string(), ErrnoText()));
    }
  }
  return CloseChecked(f, path);
}

template <typename Stored, typename In>
absl::Status WriteColumn(const fs::path& path, const Column<In>& c, Kind kind = Kind::kPlain) {
  return WriteColumn<Stored, In>(path, c.span(), kind);
}

template <typename Stored, typename In>
absl::Status WriteVector(const fs::path& path, const std::vector<In>& values) {
  return WriteColumn<Stored, In>(path, absl::MakeConstSpan(values), Kind::kPlain);
}

absl::Status WriteText(const fs::path& path, const std::string& text) {
  File f(std::fopen(path.string().c_str(), "wb"));
  if (!f) {
    return absl::InternalError(
        absl::StrFormat("%s: cannot open for writing: %s", path.string(), ErrnoText()));
  }
  if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size()) {
    return absl::InternalError(absl::StrFormat("%s: write failed: %s", path.string(), ErrnoText()));
  }
  return CloseChecked(f, path);
}

// One string per line; strings must not contain a line break.
template <typename Get>
absl::Status WriteLines(const fs::path& path, std::size_t count, Get get) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view s = get(i);
    if (s.find_first_of("\r\n") != std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s entry %d: '%s' contains a line break, which this format cannot hold",
                          path.string(), i, s));
    }
    text.append(s);
    text.push_back('\n');
  }
  return WriteText(path, text);
}

absl::Status WriteDictionary(const fs::path& path, const std::shared_ptr<Dictionary>& d) {
  if (!d) return absl::OkStatus();
  return WriteLines(path, static_cast<std::size_t>(d->size()),
                    [&](std::size_t i) { return d->Code(static_cast<Id>(i)); });
}

absl::Status MakeDir(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrFormat("%s: cannot create directory: %s", path.string(), ec.message()));
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------ reading

absl::StatusOr<std::string> ReadText(const fs::path& path) {
  File f(std::fopen(path.string().c_str(), "rb"));
  if (!f) {
    return absl::NotFoundError(absl::StrFormat("%s: cannot open: %s", path.string(), ErrnoText()));
  }
  std::string text;
  char buf[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof(buf), f.get())) > 0) text.append(buf, got);
  if (std::ferror(f.get())) {
    return absl::InternalError(absl::StrFormat("%s: read failed: %s", path.string(), ErrnoText()));
  }
  return text;
}

absl::StatusOr<std::vector<std::string>> ReadLines(const fs::path& path) {
  SALESIGHT_ASSIGN_OR_RETURN(std::string text, ReadText(path));
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return lines;
}

absl::StatusOr<std::shared_ptr<Dictionary>> ReadDictionary(const fs::path& path) {
  if (!fs::exists(path)) return std::shared_ptr<Dictionary>();
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::string> codes, ReadLines(path));
  auto d = Dictionary::FromCodes(codes);
  if (!d.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %s", path.string(), d.status().message()));
  }
  return std::make_shared<Dictionary>(std::move(*d));
}

// Reads a column of `rows` values stored as Stored into Mem (-1 -> kNoDate for
// dates). A missing file gives an empty (absent) column unless required.
template <typename Stored, typename Mem>
absl::StatusOr<Column<Mem>> ReadColumn(const fs::path& path, std::size_t rows, bool required,
                                       Kind kind = Kind::kPlain) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (!required || rows == 0) return Column<Mem>();
    return absl::NotFoundError(
        absl::StrFormat("%s: required column file is missing", path.string()));
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec || size != rows * sizeof(Stored)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d bytes, expected %d rows x %d bytes (%s) = %d", path.string(),
                        ec ? 0 : static_cast<std::int64_t>(size), rows, sizeof(Stored),
                        DtypeName<Stored>(), rows * sizeof(Stored)));
  }
  File f(std::fopen(path.string().c_str(), "rb"));
  if (!f) {
    return absl::NotFoundError(absl::StrFormat("%s: cannot open: %s", path.string(), ErrnoText()));
  }
  std::vector<Mem> out(rows);
  std::vector<Stored> buffer(std::min(kChunk, rows));
  for (std::size_t begin = 0; begin < rows; begin += kChunk) {
    const std::size_t count = std::min(kChunk, rows - begin);
    if (std::fread(buffer.data(), sizeof(Stored), count, f.get()) != count) {
      return absl::InternalError(absl::StrFormat("%s: short read at row %d", path.string(), begin));
    }
    for (std::size_t j = 0; j < count; ++j) {
      const Stored v = SwapToLittle(buffer[j]);
      out[begin + j] =
          (kind == Kind::kDate && v == -1) ? static_cast<Mem>(kNoDate) : static_cast<Mem>(v);
    }
  }
  return Column<Mem>::Own(std::move(out));
}

// meta.json is ours: flat {"key": integer-or-string, ...}.
absl::StatusOr<std::int64_t> MetaInt(const std::string& meta, std::string_view key,
                                     const fs::path& path) {
  const std::string quoted = absl::StrFormat("\"%s\"", key);
  std::size_t at = meta.find(quoted);
  if (at == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: key '%s' is missing", path.string(), key));
  }
  at = meta.find(':', at + quoted.size());
  if (at == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: key '%s' has no value", path.string(), key));
  }
  ++at;
  while (at < meta.size() && (meta[at] == ' ' || meta[at] == '\n' || meta[at] == '\t')) ++at;
  bool negative = false;
  if (at < meta.size() && meta[at] == '-') {
    negative = true;
    ++at;
  }
  std::uint64_t v = 0;
  std::size_t digits = 0;
  while (at < meta.size() && meta[at] >= '0' && meta[at] <= '9') {
    v = v * 10 + static_cast<std::uint64_t>(meta[at] - '0');
    ++at;
    ++digits;
  }
  if (digits == 0 || digits > 20) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: key '%s' is not an integer", path.string(), key));
  }
  // The seed is a uint64 and may exceed int64: returned as its two's complement bits.
  const auto bits = static_cast<std::int64_t>(v);
  return negative ? -bits : bits;
}

// The "stages": ["lead", ...] list of meta.json.
absl::StatusOr<std::vector<std::string>> MetaStages(const std::string& meta, const fs::path& path) {
  const std::size_t key = meta.find("\"stages\"");
  const std::size_t open = key == std::string::npos ? key : meta.find('[', key);
  const std::size_t close = open == std::string::npos ? open : meta.find(']', open);
  if (close == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: key 'stages' is missing or not a list", path.string()));
  }
  std::vector<std::string> stages;
  std::size_t at = open;
  while (true) {
    const std::size_t q1 = meta.find('"', at + 1);
    if (q1 == std::string::npos || q1 > close) break;
    const std::size_t q2 = meta.find('"', q1 + 1);
    if (q2 == std::string::npos || q2 > close) break;
    stages.emplace_back(meta, q1 + 1, q2 - q1 - 1);
    at = q2;
  }
  if (stages.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: 'stages' is empty", path.string()));
  }
  return stages;
}

}  // namespace

absl::Status WriteWorkloadBin(const SampleData& d, const std::string& dir) {
  const fs::path root(dir);
  // meta.json goes last: drop an old one first so a half-written set never
  // looks complete.
  {
    std::error_code ec;
    fs::remove(root / "meta.json", ec);
  }
  for (const char* sub :
       {"orders", "opportunities", "invoices", "customers", "products", "product_cost_tiers",
        "payments", "targets", "dictionaries", "salespeople"}) {
    SALESIGHT_RETURN_IF_ERROR(MakeDir(root / sub));
  }
  using I8 = std::int8_t;
  using I16 = std::int16_t;
  using I32 = std::int32_t;
  using I64 = std::int64_t;

  // orders
  const OrderLinesColumns& o = d.orders.columns();
  const fs::path od = root / "orders";
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(od / "order_id.bin", o.order_id));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(od / "customer_id.bin", o.customer));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(od / "order_date.bin", o.order_date, Kind::kDate));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(od / "amount_cents.bin", o.amount));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(od / "product_id.bin", o.product));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(od / "quantity.bin", o.quantity));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(od / "unit_cost_cents.bin", o.unit_cost));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(od / "region_id.bin", o.region));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I16>(od / "salesperson_id.bin", o.salesperson));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(od / "channel_id.bin", o.channel));

  // opportunities
  const PipelineColumns& p = d.pipeline.columns();
  const fs::path pd = root / "opportunities";
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(pd / "opp_id.bin", p.opportunity));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(pd / "customer_id.bin", p.customer));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I16>(pd / "salesperson_id.bin", p.salesperson));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(pd / "region_id.bin", p.region));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(pd / "created_date.bin", p.created, Kind::kDate));
  for (std::size_t s = 0; s < p.stage_names.size(); ++s) {
    SALESIGHT_RETURN_IF_ERROR(
        WriteColumn<I32>(pd / (p.stage_names[s] + "_date.bin"), p.stage_dates[s], Kind::kDate));
  }
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(pd / "source_id.bin", p.source));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(pd / "amount_cents.bin", p.amount));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(pd / "lost_date.bin", p.lost_date, Kind::kDate));
  if (!p.lost_reason.empty()) {
    std::vector<Id> reason(p.lost_reason.begin(), p.lost_reason.end());
    for (std::size_t i = 0; i < reason.size() && i < p.lost_date.size(); ++i) {
      if (p.lost_date[i] == kNoDate) reason[i] = -1;
    }
    SALESIGHT_RETURN_IF_ERROR(WriteVector<I8>(pd / "lost_reason_id.bin", reason));
  }

  // invoices
  const InvoicesColumns& v = d.invoices.columns();
  const fs::path vd = root / "invoices";
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(vd / "invoice_id.bin", v.invoice));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(vd / "order_id.bin", v.order));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(vd / "customer_id.bin", v.customer));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I16>(vd / "salesperson_id.bin", v.salesperson));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(vd / "invoice_date.bin", v.invoice_date, Kind::kDate));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(vd / "due_date.bin", v.due_date, Kind::kDate));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(vd / "amount_cents.bin", v.amount));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(vd / "paid_cents.bin", v.paid));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(vd / "paid_date.bin", v.paid_date, Kind::kDate));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(vd / "region_id.bin", v.region));

  // customers
  const CustomersColumns& c = d.customers.columns();
  const fs::path cd = root / "customers";
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(cd / "customer_id.bin", c.customer));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(cd / "region_id.bin", c.region));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I16>(cd / "owner_id.bin", c.owner));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(cd / "credit_limit_cents.bin", c.credit_limit));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(cd / "created_date.bin", c.created, Kind::kDate));
  SALESIGHT_RETURN_IF_ERROR(WriteVector<I16>(cd / "terms_days.bin", d.customer_terms_days));
  SALESIGHT_RETURN_IF_ERROR(WriteVector<I8>(cd / "payer_type.bin", d.customer_payer_type));
  SALESIGHT_RETURN_IF_ERROR(
      WriteLines(cd / "name.txt", c.name.size(),
                 [&](std::size_t i) -> std::string_view { return c.name[i]; }));
  SALESIGHT_RETURN_IF_ERROR(
      WriteLines(cd / "name_en.txt", d.customer_names_en.size(),
                 [&](std::size_t i) -> std::string_view { return d.customer_names_en[i]; }));

  // products + tiers
  const ProductsColumns& pr = d.products.columns();
  const fs::path prd = root / "products";
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(prd / "product_id.bin", pr.product));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I8>(prd / "category_id.bin", pr.category));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(prd / "standard_cost_cents.bin", pr.standard_cost));
  SALESIGHT_RETURN_IF_ERROR(
      WriteLines(prd / "name.txt", pr.name.size(),
                 [&](std::size_t i) -> std::string_view { return pr.name[i]; }));
  SALESIGHT_RETURN_IF_ERROR(
      WriteLines(prd / "name_en.txt", d.product_names_en.size(),
                 [&](std::size_t i) -> std::string_view { return d.product_names_en[i]; }));
  {
    std::vector<Id> product;
    std::vector<std::int32_t> min_q;
    std::vector<Money> cost;
    for (const CostTier& t : pr.cost_tiers) {
      product.push_back(t.product);
      min_q.push_back(t.min_quantity);
      cost.push_back(t.unit_cost);
    }
    const fs::path td = root / "product_cost_tiers";
    SALESIGHT_RETURN_IF_ERROR(WriteVector<I32>(td / "product_id.bin", product));
    SALESIGHT_RETURN_IF_ERROR(WriteVector<I32>(td / "min_quantity.bin", min_q));
    SALESIGHT_RETURN_IF_ERROR(WriteVector<I64>(td / "unit_cost_cents.bin", cost));
  }

  // payments: invoice_id is the id of the invoice at the payment's row (the
  // row itself when invoice ids are 0..N-1, as in the sample: no copy then).
  const PaymentsColumns& pay = d.payments.columns();
  {
    const fs::path yd = root / "payments";
    bool identity = true;
    for (std::size_t i = 0; i < v.invoice.size() && identity; ++i) {
      identity = v.invoice[i] == static_cast<std::int64_t>(i);
    }
    if (identity) {
      SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(yd / "invoice_id.bin", pay.invoice_row));
    } else {
      std::vector<std::int64_t> invoice_id(pay.invoice_row.size());
      for (std::size_t i = 0; i < invoice_id.size(); ++i) {
        invoice_id[i] = v.invoice[static_cast<std::size_t>(pay.invoice_row[i])];
      }
      SALESIGHT_RETURN_IF_ERROR(WriteVector<I64>(yd / "invoice_id.bin", invoice_id));
    }
    SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(yd / "payment_date.bin", pay.date, Kind::kDate));
    SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(yd / "amount_cents.bin", pay.amount));
  }

  // targets
  const TargetsColumns& t = d.targets.columns();
  const fs::path td = root / "targets";
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I16>(td / "salesperson_id.bin", t.key));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I32>(td / "month.bin", t.month));
  SALESIGHT_RETURN_IF_ERROR(WriteColumn<I64>(td / "amount_cents.bin", t.amount));

  // dictionaries and names
  const fs::path dd = root / "dictionaries";
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "customer.txt", d.customer_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "product.txt", d.product_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "region.txt", d.region_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "salesperson.txt", d.salesperson_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "category.txt", d.category_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "channel.txt", d.channel_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "source.txt", d.source_codes));
  SALESIGHT_RETURN_IF_ERROR(WriteDictionary(dd / "lost_reason.txt", d.lost_reason_codes));
  SALESIGHT_RETURN_IF_ERROR(
      WriteLines(root / "salespeople" / "name_en.txt", d.salesperson_names_en.size(),
                 [&](std::size_t i) -> std::string_view { return d.salesperson_names_en[i]; }));

  // meta.json last: its presence marks a complete data set.
  const std::string meta = absl::StrFormat(
      "{\n"
      "  \"format\": \"%s\",\n"
      "  \"version\": 1,\n"
      "  \"N\": %d,\n"
      "  \"K\": %d,\n"
      "  \"M\": %d,\n"
      "  \"P\": %d,\n"
      "  \"payments\": %d,\n"
      "  \"targets\": %d,\n"
      "  \"cost_tiers\": %d,\n"
      "  \"seed\": %u,\n"
      "  \"as_of\": %d,\n"
      "  \"as_of_date\": \"%s\",\n"
      "  \"snapshot\": %d,\n"
      "  \"money_scale\": %d,\n"
      "  \"stages\": [\"%s\"]\n"
      "}\n",
      kFormatName, d.orders.size(), d.customers.size(), d.pipeline.size(), d.products.size(),
      d.payments.size(), d.targets.size(), pr.cost_tiers.size(), d.seed, d.as_of,
      FormatDate(d.as_of), d.snapshot, d.orders.money_scale(),
      absl::StrJoin(p.stage_names, "\", \""));
  return WriteText(root / "meta.json", meta);
}

absl::StatusOr<SampleData> ReadWorkloadBin(const std::string& dir) {
  const fs::path root(dir);
  const fs::path meta_path = root / "meta.json";
  SALESIGHT_ASSIGN_OR_RETURN(const std::string meta, ReadText(meta_path));
  if (meta.find(kFormatName) == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a %s meta file", meta_path.string(), kFormatName));
  }
  auto count = [&](std::string_view key) -> absl::StatusOr<std::size_t> {
    SALESIGHT_ASSIGN_OR_RETURN(const std::int64_t v, MetaInt(meta, key, meta_path));
    if (v < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: '%s' is negative (%d)", meta_path.string(), key, v));
    }
    return static_cast<std::size_t>(v);
  };
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t n, count("N"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t k, count("K"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t m, count("M"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t np, count("P"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t npay, count("payments"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t ntarget, count("targets"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::size_t ntier, count("cost_tiers"));
  SALESIGHT_ASSIGN_OR_RETURN(const std::int64_t seed, MetaInt(meta, "seed", meta_path));
  SALESIGHT_ASSIGN_OR_RETURN(const std::int64_t as_of, MetaInt(meta, "as_of", meta_path));
  SALESIGHT_ASSIGN_OR_RETURN(const std::int64_t snapshot, MetaInt(meta, "snapshot", meta_path));
  SALESIGHT_ASSIGN_OR_RETURN(const std::int64_t scale, MetaInt(meta, "money_scale", meta_path));

  SampleData d;
  d.seed = static_cast<std::uint64_t>(seed);
  d.as_of = static_cast<Day>(as_of);
  d.snapshot = static_cast<Day>(snapshot);
  const int money_scale = static_cast<int>(scale);
  using I8 = std::int8_t;
  using I16 = std::int16_t;
  using I32 = std::int32_t;
  using I64 = std::int64_t;

  const fs::path dd = root / "dictionaries";
  SALESIGHT_ASSIGN_OR_RETURN(d.customer_codes, ReadDictionary(dd / "customer.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.product_codes, ReadDictionary(dd / "product.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.region_codes, ReadDictionary(dd / "region.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.salesperson_codes, ReadDictionary(dd / "salesperson.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.category_codes, ReadDictionary(dd / "category.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.channel_codes, ReadDictionary(dd / "channel.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.source_codes, ReadDictionary(dd / "source.txt"));
  SALESIGHT_ASSIGN_OR_RETURN(d.lost_reason_codes, ReadDictionary(dd / "lost_reason.txt"));
  if (fs::exists(root / "salespeople" / "name_en.txt")) {
    SALESIGHT_ASSIGN_OR_RETURN(d.salesperson_names_en,
                               ReadLines(root / "salespeople" / "name_en.txt"));
  }

  // orders
  {
    const fs::path od = root / "orders";
    OrderLinesColumns o;
    SALESIGHT_ASSIGN_OR_RETURN(o.order_id,
                               (ReadColumn<I64, std::int64_t>(od / "order_id.bin", n, true)));
    SALESIGHT_ASSIGN_OR_RETURN(o.customer, (ReadColumn<I32, Id>(od / "customer_id.bin", n, true)));
    SALESIGHT_ASSIGN_OR_RETURN(o.order_date,
                               (ReadColumn<I32, Day>(od / "order_date.bin", n, true, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(o.amount,
                               (ReadColumn<I64, Money>(od / "amount_cents.bin", n, true)));
    SALESIGHT_ASSIGN_OR_RETURN(o.product, (ReadColumn<I32, Id>(od / "product_id.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(o.quantity,
                               (ReadColumn<I32, std::int32_t>(od / "quantity.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(o.unit_cost,
                               (ReadColumn<I64, Money>(od / "unit_cost_cents.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(o.region, (ReadColumn<I8, Id>(od / "region_id.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(o.salesperson,
                               (ReadColumn<I16, Id>(od / "salesperson_id.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(o.channel, (ReadColumn<I8, Id>(od / "channel_id.bin", n, false)));
    o.money_scale = money_scale;
    o.customers = d.customer_codes;
    o.products = d.product_codes;
    o.regions = d.region_codes;
    o.salespeople = d.salesperson_codes;
    o.channels = d.channel_codes;
    SALESIGHT_ASSIGN_OR_RETURN(d.orders, OrderLines::Build(std::move(o)));
  }

  // opportunities
  {
    const fs::path pd = root / "opportunities";
    PipelineColumns p;
    SALESIGHT_ASSIGN_OR_RETURN(p.opportunity,
                               (ReadColumn<I64, std::int64_t>(pd / "opp_id.bin", m, true)));
    SALESIGHT_ASSIGN_OR_RETURN(p.customer, (ReadColumn<I32, Id>(pd / "customer_id.bin", m, false)));
    SALESIGHT_ASSIGN_OR_RETURN(p.salesperson,
                               (ReadColumn<I16, Id>(pd / "salesperson_id.bin", m, false)));
    SALESIGHT_ASSIGN_OR_RETURN(p.region, (ReadColumn<I8, Id>(pd / "region_id.bin", m, false)));
    SALESIGHT_ASSIGN_OR_RETURN(
        p.created, (ReadColumn<I32, Day>(pd / "created_date.bin", m, true, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(p.stage_names, MetaStages(meta, meta_path));
    p.stage_dates.clear();
    for (const std::string& stage : p.stage_names) {
      SALESIGHT_ASSIGN_OR_RETURN(
          Column<Day> dates,
          (ReadColumn<I32, Day>(pd / (stage + "_date.bin"), m, true, Kind::kDate)));
      p.stage_dates.push_back(std::move(dates));
    }
    SALESIGHT_ASSIGN_OR_RETURN(p.source, (ReadColumn<I8, Id>(pd / "source_id.bin", m, false)));
    SALESIGHT_ASSIGN_OR_RETURN(p.amount,
                               (ReadColumn<I64, Money>(pd / "amount_cents.bin", m, false)));
    SALESIGHT_ASSIGN_OR_RETURN(p.lost_date,
                               (ReadColumn<I32, Day>(pd / "lost_date.bin", m, false, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(Column<Id> reason,
                               (ReadColumn<I8, Id>(pd / "lost_reason_id.bin", m, false)));
    if (!reason.empty()) {
      std::vector<Id> r(reason.begin(), reason.end());
      for (Id& x : r) x = x < 0 ? 0 : x;  // -1 marks "not lost"; the table holds 0 there
      p.lost_reason = Column<Id>::Own(std::move(r));
    }
    p.money_scale = money_scale;
    p.customers = d.customer_codes;
    p.salespeople = d.salesperson_codes;
    p.regions = d.region_codes;
    p.sources = d.source_codes;
    p.lost_reasons = d.lost_reason_codes;
    SALESIGHT_ASSIGN_OR_RETURN(d.pipeline, Pipeline::Build(std::move(p)));
  }

  // invoices
  {
    const fs::path vd = root / "invoices";
    InvoicesColumns v;
    SALESIGHT_ASSIGN_OR_RETURN(v.invoice,
                               (ReadColumn<I64, std::int64_t>(vd / "invoice_id.bin", n, true)));
    SALESIGHT_ASSIGN_OR_RETURN(v.order,
                               (ReadColumn<I64, std::int64_t>(vd / "order_id.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(v.customer, (ReadColumn<I32, Id>(vd / "customer_id.bin", n, true)));
    SALESIGHT_ASSIGN_OR_RETURN(v.salesperson,
                               (ReadColumn<I16, Id>(vd / "salesperson_id.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(v.region, (ReadColumn<I8, Id>(vd / "region_id.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(
        v.invoice_date, (ReadColumn<I32, Day>(vd / "invoice_date.bin", n, true, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(v.due_date,
                               (ReadColumn<I32, Day>(vd / "due_date.bin", n, true, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(v.amount,
                               (ReadColumn<I64, Money>(vd / "amount_cents.bin", n, true)));
    SALESIGHT_ASSIGN_OR_RETURN(v.paid, (ReadColumn<I64, Money>(vd / "paid_cents.bin", n, false)));
    SALESIGHT_ASSIGN_OR_RETURN(v.paid_date,
                               (ReadColumn<I32, Day>(vd / "paid_date.bin", n, false, Kind::kDate)));
    v.money_scale = money_scale;
    v.customers = d.customer_codes;
    v.salespeople = d.salesperson_codes;
    v.regions = d.region_codes;
    SALESIGHT_ASSIGN_OR_RETURN(d.invoices, Invoices::Build(std::move(v)));
  }

  // customers
  {
    const fs::path cd = root / "customers";
    CustomersColumns c;
    SALESIGHT_ASSIGN_OR_RETURN(c.customer, (ReadColumn<I32, Id>(cd / "customer_id.bin", k, true)));
    SALESIGHT_ASSIGN_OR_RETURN(c.region, (ReadColumn<I8, Id>(cd / "region_id.bin", k, false)));
    SALESIGHT_ASSIGN_OR_RETURN(c.owner, (ReadColumn<I16, Id>(cd / "owner_id.bin", k, false)));
    SALESIGHT_ASSIGN_OR_RETURN(c.credit_limit,
                               (ReadColumn<I64, Money>(cd / "credit_limit_cents.bin", k, false)));
    SALESIGHT_ASSIGN_OR_RETURN(
        c.created, (ReadColumn<I32, Day>(cd / "created_date.bin", k, false, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(Column<std::int16_t> terms,
                               (ReadColumn<I16, std::int16_t>(cd / "terms_days.bin", k, false)));
    d.customer_terms_days.assign(terms.begin(), terms.end());
    SALESIGHT_ASSIGN_OR_RETURN(Column<std::int8_t> payer,
                               (ReadColumn<I8, std::int8_t>(cd / "payer_type.bin", k, false)));
    d.customer_payer_type.assign(payer.begin(), payer.end());
    if (fs::exists(cd / "name.txt")) {
      SALESIGHT_ASSIGN_OR_RETURN(c.name, ReadLines(cd / "name.txt"));
    }
    if (fs::exists(cd / "name_en.txt")) {
      SALESIGHT_ASSIGN_OR_RETURN(d.customer_names_en, ReadLines(cd / "name_en.txt"));
    }
    c.money_scale = money_scale;
    c.customers = d.customer_codes;
    c.regions = d.region_codes;
    c.salespeople = d.salesperson_codes;
    SALESIGHT_ASSIGN_OR_RETURN(d.customers, Customers::Build(std::move(c)));
  }

  // products + tiers
  {
    const fs::path prd = root / "products";
    ProductsColumns pr;
    SALESIGHT_ASSIGN_OR_RETURN(pr.product, (ReadColumn<I32, Id>(prd / "product_id.bin", np, true)));
    SALESIGHT_ASSIGN_OR_RETURN(pr.category,
                               (ReadColumn<I8, Id>(prd / "category_id.bin", np, false)));
    SALESIGHT_ASSIGN_OR_RETURN(
        pr.standard_cost, (ReadColumn<I64, Money>(prd / "standard_cost_cents.bin", np, false)));
    if (fs::exists(prd / "name.txt")) {
      SALESIGHT_ASSIGN_OR_RETURN(pr.name, ReadLines(prd / "name.txt"));
    }
    if (fs::exists(prd / "name_en.txt")) {
      SALESIGHT_ASSIGN_OR_RETURN(d.product_names_en, ReadLines(prd / "name_en.txt"));
    }
    const fs::path td = root / "product_cost_tiers";
    SALESIGHT_ASSIGN_OR_RETURN(Column<Id> tp,
                               (ReadColumn<I32, Id>(td / "product_id.bin", ntier, ntier > 0)));
    SALESIGHT_ASSIGN_OR_RETURN(
        Column<std::int32_t> tq,
        (ReadColumn<I32, std::int32_t>(td / "min_quantity.bin", ntier, ntier > 0)));
    SALESIGHT_ASSIGN_OR_RETURN(
        Column<Money> tc, (ReadColumn<I64, Money>(td / "unit_cost_cents.bin", ntier, ntier > 0)));
    for (std::size_t i = 0; i < ntier; ++i) pr.cost_tiers.push_back({tp[i], tq[i], tc[i]});
    pr.money_scale = money_scale;
    pr.products = d.product_codes;
    pr.categories = d.category_codes;
    SALESIGHT_ASSIGN_OR_RETURN(d.products, Products::Build(std::move(pr)));
  }

  // payments: invoice ids back to invoice rows.
  {
    const fs::path yd = root / "payments";
    SALESIGHT_ASSIGN_OR_RETURN(Column<std::int64_t> ids,
                               (ReadColumn<I64, std::int64_t>(yd / "invoice_id.bin", npay, true)));
    const Column<std::int64_t>& invoice = d.invoices.columns().invoice;
    bool identity = true;
    for (std::size_t i = 0; i < invoice.size() && identity; ++i) {
      identity = invoice[i] == static_cast<std::int64_t>(i);
    }
    std::vector<std::int64_t> rows(npay);
    if (identity) {
      for (std::size_t i = 0; i < npay; ++i) rows[i] = ids[i];  // Build checks the range
    } else {
      absl::flat_hash_map<std::int64_t, std::int64_t> row_of;
      for (std::size_t i = 0; i < invoice.size(); ++i) {
        row_of.try_emplace(invoice[i], static_cast<std::int64_t>(i));
      }
      for (std::size_t i = 0; i < npay; ++i) {
        auto it = row_of.find(ids[i]);
        if (it == row_of.end()) {
          return absl::InvalidArgumentError(
              absl::StrFormat("%s row %d: invoice %d is not in invoices",
                              (yd / "invoice_id.bin").string(), i, ids[i]));
        }
        rows[i] = it->second;
      }
    }
    PaymentsColumns p;
    p.invoice_row = Column<std::int64_t>::Own(std::move(rows));
    SALESIGHT_ASSIGN_OR_RETURN(
        p.date, (ReadColumn<I32, Day>(yd / "payment_date.bin", npay, true, Kind::kDate)));
    SALESIGHT_ASSIGN_OR_RETURN(p.amount,
                               (ReadColumn<I64, Money>(yd / "amount_cents.bin", npay, true)));
    p.money_scale = money_scale;
    SALESIGHT_ASSIGN_OR_RETURN(d.payments, Payments::Build(std::move(p), d.invoices));
  }

  // targets
  {
    const fs::path td = root / "targets";
    TargetsColumns t;
    t.level = TargetLevel::kSalesperson;
    SALESIGHT_ASSIGN_OR_RETURN(t.key,
                               (ReadColumn<I16, Id>(td / "salesperson_id.bin", ntarget, true)));
    SALESIGHT_ASSIGN_OR_RETURN(t.month,
                               (ReadColumn<I32, std::int32_t>(td / "month.bin", ntarget, true)));
    SALESIGHT_ASSIGN_OR_RETURN(t.amount,
                               (ReadColumn<I64, Money>(td / "amount_cents.bin", ntarget, true)));
    t.money_scale = money_scale;
    t.keys = d.salesperson_codes;
    SALESIGHT_ASSIGN_OR_RETURN(d.targets, Targets::Build(std::move(t)));
  }
  return d;
}

}  // namespace salesight
