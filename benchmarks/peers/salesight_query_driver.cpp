// The salesight engine of the 12-query comparison with DuckDB (issue 14 item 7;
// benchmarks/peers/query_bench.mjs drives it, queries/*.json are the specs).
//
//   salesight_query_driver --data DIR [--export OUT]
//
// Loads the WORKLOADS exchange format (ReadWorkloadBin) once and builds one
// Dataset: orders, customers, products, pipeline, invoices, targets. The
// payments table is left out: both engines read the invoices' paid summary
// (paid, paid_date) as the collection. Then one JSON line answers each stdin
// command:
//   run SPEC.json T     {"ok":true,"ms":...,"cpu_ms":...,"rows":N}   RunQuery only,
//                       timed (wall, and the process's CPU time), T threads
//   result SPEC.json T  {"ok":true,"result":{...}}      the table (result_json.hpp)
//   quit
// --export OUT writes the same tables as the CSV files the DuckDB side loads
// (the columns tests/query_duckdb/sql.mjs and sql_tables.mjs read, members
// as their labels) and exits.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "../../tests/query_duckdb/result_json.hpp"
#include "salesight/dataset.hpp"
#include "salesight/query.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}
std::string DateCell(Day d) { return d == kNoDate ? "" : FormatDate(d); }

// The labels of one dimension of `table`, row by row.
class Labels {
 public:
  Labels(const Dataset& d, TableKind table, const std::string& name)
      : col_(*d.Dimension(table, name)) {}
  std::string operator()(std::size_t row) const {
    const Id k = col_.Code(row);
    return Quote(k == kNoId ? std::string("(none)") : DimensionLabel(col_.dictionary, k));
  }

 private:
  DimensionColumn col_;
};

absl::Status Export(const Dataset& d, const SampleData& s, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  {
    const OrderLinesColumns& c = s.orders.columns();
    const Labels cu(d, TableKind::kOrders, "customer"), pr(d, TableKind::kOrders, "product"),
        re(d, TableKind::kOrders, "region"), sp(d, TableKind::kOrders, "salesperson"),
        ch(d, TableKind::kOrders, "channel");
    std::ofstream f(dir / "lines.csv");
    f << "order_id,order_date,customer,product,region,salesperson,channel,quantity,amount,cost\n";
    for (std::size_t i = 0; i < s.orders.size(); ++i) {
      f << c.order_id[i] << ',' << FormatDate(c.order_date[i]) << ',' << cu(i) << ',' << pr(i)
        << ',' << re(i) << ',' << sp(i) << ',' << ch(i) << ',' << c.quantity[i] << ','
        << c.amount[i] << ',';
      // margin.hpp: the line's cost, else quantity x unit_cost (the sample has one of them).
      if (!c.cost.empty()) f << c.cost[i];
      else if (!c.unit_cost.empty()) f << c.quantity[i] * c.unit_cost[i];
      f << '\n';
    }
  }
  {
    const ProductsColumns& c = s.products.columns();
    const Labels pr(d, TableKind::kProducts, "product"), ca(d, TableKind::kProducts, "category");
    std::ofstream f(dir / "products.csv");
    f << "product,category,standard_cost\n";
    for (std::size_t i = 0; i < s.products.size(); ++i) {
      f << pr(i) << ',' << ca(i) << ',';
      if (c.standard_cost[i] != kNoStandardCost) f << c.standard_cost[i];
      f << '\n';
    }
  }
  {
    const Labels cu(d, TableKind::kCustomers, "customer");
    std::ofstream f(dir / "customers.csv");
    f << "customer\n";
    for (std::size_t i = 0; i < s.customers.size(); ++i) f << cu(i) << '\n';
  }
  {
    const PipelineColumns& c = s.pipeline.columns();
    const Labels cu(d, TableKind::kPipeline, "customer"), sp(d, TableKind::kPipeline, "salesperson"),
        re(d, TableKind::kPipeline, "region"), so(d, TableKind::kPipeline, "source");
    std::ofstream f(dir / "pipeline.csv");
    f << "opportunity,customer,salesperson,region,source,amount,created,lost_date";
    for (std::size_t k = 0; k < c.stage_dates.size(); ++k) f << ",s" << k;
    f << '\n';
    for (std::size_t i = 0; i < s.pipeline.size(); ++i) {
      f << c.opportunity[i] << ',' << cu(i) << ',' << sp(i) << ',' << re(i) << ',' << so(i) << ','
        << c.amount[i] << ',' << FormatDate(c.created[i]) << ','
        << (c.lost_date.empty() ? "" : DateCell(c.lost_date[i]));
      for (const Column<Day>& st : c.stage_dates) f << ',' << DateCell(st[i]);
      f << '\n';
    }
  }
  {
    const InvoicesColumns& c = s.invoices.columns();
    const Labels cu(d, TableKind::kInvoices, "customer"), sp(d, TableKind::kInvoices, "salesperson"),
        re(d, TableKind::kInvoices, "region");
    std::ofstream f(dir / "invoices.csv");
    f << "invoice,customer,salesperson,region,invoice_date,due_date,amount,paid,paid_date\n";
    for (std::size_t i = 0; i < s.invoices.size(); ++i) {
      f << c.invoice[i] << ',' << cu(i) << ',' << sp(i) << ',' << re(i) << ','
        << FormatDate(c.invoice_date[i]) << ',' << FormatDate(c.due_date[i]) << ',' << c.amount[i]
        << ',' << c.paid[i] << ',' << DateCell(c.paid_date[i]) << '\n';
    }
  }
  {
    const TargetsColumns& c = s.targets.columns();
    std::ofstream f(dir / "targets.csv");
    f << "salesperson,month,amount\n";
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
      f << Quote(DimensionLabel(c.keys, c.key[i])) << ',' << c.month[i] << ',' << c.amount[i] << '\n';
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<QuerySpec> ReadSpec(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseQuerySpec(text.str());
}

// The process's CPU time (user + system, every thread), ms.
double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

std::string Error(const absl::Status& s) {
  return "{\"ok\":false,\"error\":" + query_duckdb::JsonString(std::string(s.ToString())) + "}";
}

int Main(int argc, char** argv) {
  std::string data_dir, export_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--data") data_dir = argv[i + 1];
    else if (flag == "--export") export_dir = argv[i + 1];
  }
  if (data_dir.empty()) {
    std::cerr << "usage: salesight_query_driver --data DIR [--export OUT]\n";
    return 2;
  }
  absl::StatusOr<SampleData> s = ReadWorkloadBin(data_dir);
  if (!s.ok()) {
    std::cerr << s.status() << "\n";
    return 1;
  }
  DatasetTables t;
  t.orders = BorrowTable(s->orders);
  t.customers = BorrowTable(s->customers);
  t.products = BorrowTable(s->products);
  t.pipeline = BorrowTable(s->pipeline);
  t.invoices = BorrowTable(s->invoices);
  t.targets = BorrowTable(s->targets);
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(t));
  if (!data.ok()) {
    std::cerr << data.status() << "\n";
    return 1;
  }
  if (!export_dir.empty()) {
    const absl::Status st = Export(*data, *s, export_dir);
    if (!st.ok()) std::cerr << st << "\n";
    return st.ok() ? 0 : 1;
  }
  std::cout << "{\"ok\":true,\"lines\":" << data->orders()->size() << "}" << std::endl;
  std::string cmd, path;
  int threads = 1;
  while (std::cin >> cmd) {
    if (cmd == "quit") break;
    std::cin >> path >> threads;
    absl::StatusOr<QuerySpec> spec = ReadSpec(path);
    if (!spec.ok()) {
      std::cout << Error(spec.status()) << std::endl;
      continue;
    }
    QueryRunOptions options;
    options.num_threads = threads;
    const double c0 = CpuMs();
    const auto t0 = std::chrono::steady_clock::now();
    absl::StatusOr<QueryResult> r = RunQuery(*data, *spec, options);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu = CpuMs() - c0;
    if (!r.ok()) {
      std::cout << Error(r.status()) << std::endl;
      continue;
    }
    if (cmd == "result") {
      std::cout << "{\"ok\":true,\"result\":" << query_duckdb::ResultJson(r->table) << "}" << std::endl;
    } else {
      const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
      std::cout << "{\"ok\":true,\"ms\":" << absl::StrFormat("%.4f", ms)
                << ",\"cpu_ms\":" << absl::StrFormat("%.4f", cpu)
                << ",\"rows\":" << r->table.num_rows() << "}" << std::endl;
    }
  }
  return 0;
}

}  // namespace
}  // namespace salesight

int main(int argc, char** argv) { return salesight::Main(argc, argv); }
