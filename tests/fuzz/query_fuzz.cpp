// libFuzzer target: a query spec from untrusted bytes (what a web front end
// sends). ParseQuerySpec must return a status whatever the bytes - no crash,
// exception, leak or undefined behaviour; a spec it accepts serializes to
// JSON that parses back to the same spec, a fixed point of QuerySpecJson;
// CheckQuery of it against a small dataset (orders with customers and
// products, pipeline, invoices, targets) returns a status too, and so do
// RunQuery (on 2 threads) and the drills of its first rows.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "salesight/query.hpp"

namespace salesight {
namespace {

DictionaryPtr Dict(const std::vector<std::string>& codes) {
  return std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes));
}

template <typename T>
std::shared_ptr<const T> Share(absl::StatusOr<T> table) {
  if (!table.ok()) std::abort();
  return std::make_shared<const T>(std::move(*table));
}

const Dataset& Data() {
  static const Dataset* const data = [] {
    const DictionaryPtr customers = Dict({"C1", "C2", "C3"}), regions = Dict({"East", "West"}),
                        people = Dict({"Ann", "Bob"}), products = Dict({"P1", "P2"});
    const Day d0 = DayFromCivil(2024, 1, 5);
    DatasetTables t;
    OrderLinesColumns o;
    o.order_id = Column<std::int64_t>::Own({1, 1, 2, 3});
    o.order_date = Column<Day>::Own({d0, d0, d0 + 40, d0 + 400});
    o.customer = Column<Id>::Own({0, 0, 1, 2});
    o.customers = customers;
    o.product = Column<Id>::Own({0, 1, 0, 1});
    o.products = products;
    o.region = Column<Id>::Own({0, 1, 0, 1});
    o.regions = regions;
    o.salesperson = Column<Id>::Own({0, 0, 1, 1});
    o.salespeople = people;
    o.amount = Column<Money>::Own({1000, 500, -200, 700});
    o.attributes.push_back(AttributeColumn{"Sub-Category", Column<Id>::Own({0, 1, 1, 0}),
                                           Dict({"Chairs", "Paper"})});
    t.orders = Share(OrderLines::Build(std::move(o)));
    CustomersColumns c;
    c.customer = Column<Id>::Own({0, 1});
    c.customers = customers;
    c.attributes.push_back(
        AttributeColumn{"segment", Column<Id>::Own({0, 1}), Dict({"Retail", "Corporate"})});
    t.customers = Share(Customers::Build(std::move(c)));
    ProductsColumns p;
    p.product = Column<Id>::Own({0, 1});
    p.products = products;
    p.category = Column<Id>::Own({0, 1});
    p.categories = Dict({"Furniture", "Office"});
    t.products = Share(Products::Build(std::move(p)));
    PipelineColumns f;
    f.opportunity = Column<std::int64_t>::Own({1, 2});
    f.created = Column<Day>::Own({d0, d0 + 100});
    f.region = Column<Id>::Own({0, 1});
    f.regions = regions;
    f.salesperson = Column<Id>::Own({0, 1});
    f.salespeople = people;
    for (std::size_t s = 0; s < f.stage_names.size(); ++s) {
      f.stage_dates.push_back(Column<Day>::Own({s == 0 ? d0 : kNoDate, kNoDate}));
    }
    t.pipeline = Share(Pipeline::Build(std::move(f)));
    InvoicesColumns i;
    i.invoice = Column<std::int64_t>::Own({10, 11});
    i.customer = Column<Id>::Own({0, 1});
    i.customers = customers;
    i.salesperson = Column<Id>::Own({0, 1});
    i.salespeople = people;
    i.invoice_date = Column<Day>::Own({d0, d0 + 30});
    i.due_date = Column<Day>::Own({d0 + 30, d0 + 60});
    i.amount = Column<Money>::Own({100, 200});
    t.invoices = Share(Invoices::Build(std::move(i)));
    TargetsColumns g;
    g.key = Column<Id>::Own({0, 1});
    g.keys = people;
    g.month = Column<std::int32_t>::Own({202401, 202402});
    g.amount = Column<Money>::Own({1000, 2000});
    t.targets = Share(Targets::Build(std::move(g)));
    absl::StatusOr<Dataset> d = Dataset::Build(std::move(t));
    if (!d.ok()) std::abort();
    return new Dataset(std::move(*d));
  }();
  return *data;
}

}  // namespace
}  // namespace salesight

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace salesight;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(text);
  if (!spec.ok()) return 0;
  // What the library writes it must read back, as the same spec.
  const std::string json = QuerySpecJson(*spec);
  absl::StatusOr<QuerySpec> again = ParseQuerySpec(json);
  if (!again.ok() || !(*again == *spec) || QuerySpecJson(*again) != json) std::abort();
  if (!CheckQuerySpecShape(*spec, QueryLimits{}).ok()) std::abort();
  if (!CheckQuery(Data(), *spec).ok()) return 0;
  // A checked spec runs to a status; a result is a valid table whose rows
  // drill to a status.
  QueryRunOptions options;
  options.num_threads = 2;
  options.min_rows_per_thread = 1;
  absl::StatusOr<QueryResult> result = RunQuery(Data(), *spec, options);
  if (!result.ok()) return 0;
  if (!result->table.Validate().ok()) std::abort();
  for (std::size_t row = 0; row < result->table.num_rows() && row < 2; ++row) {
    (void)DrillDown(Data(), *spec, result->table, row).ok();
    (void)DrillThrough(Data(), *spec, result->table, row, 0, 10).ok();
  }
  return 0;
}
