// libFuzzer target: a rule table from untrusted bytes (a user edits it).
// ParseAlertRules must return a status whatever the bytes - no crash,
// exception, leak or undefined behaviour; a table it accepts runs through
// ComputeAlerts on a small dataset (orders with a region, invoices) to a
// status, and a result's tables are valid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "salesight/alerts.hpp"

namespace salesight {
namespace {

template <typename T>
std::shared_ptr<const T> Share(absl::StatusOr<T> table) {
  if (!table.ok()) std::abort();
  return std::make_shared<const T>(std::move(*table));
}

const Dataset& Data() {
  static const Dataset* const data = [] {
    OrderLinesColumns o;
    std::vector<std::int64_t> id;
    std::vector<Day> day;
    std::vector<Id> customer, region;
    std::vector<Money> amount, cost;
    const Day first = DayFromCivil(2023, 1, 1);
    for (int i = 0; i < 800; ++i) {
      id.push_back(i / 2);
      day.push_back(first + i);
      customer.push_back(i % 3);
      region.push_back(i % 2);
      amount.push_back(1000 + (i * 37) % 500 - (i % 50 == 0 ? 3000 : 0));
      cost.push_back(700 + (i * 11) % 300);
    }
    o.order_id = Column<std::int64_t>::Own(std::move(id));
    o.order_date = Column<Day>::Own(std::move(day));
    o.customer = Column<Id>::Own(std::move(customer));
    o.region = Column<Id>::Own(std::move(region));
    o.amount = Column<Money>::Own(std::move(amount));
    o.cost = Column<Money>::Own(std::move(cost));
    o.regions = std::make_shared<const Dictionary>(*Dictionary::FromCodes({"华东", "west"}));
    o.customers = std::make_shared<const Dictionary>(*Dictionary::FromCodes({"C-1", "C-2", "C-3"}));
    InvoicesColumns v;
    v.invoice = Column<std::int64_t>::Own({1, 2, 3});
    v.customer = Column<Id>::Own({0, 1, 2});
    v.invoice_date = Column<Day>::Own({first + 10, first + 400, first + 700});
    v.due_date = Column<Day>::Own({first + 40, first + 430, first + 730});
    v.amount = Column<Money>::Own({5000000, 100, 7000});
    v.customers = o.customers;
    DatasetTables t;
    t.orders = Share(OrderLines::Build(std::move(o)));
    t.invoices = Share(Invoices::Build(std::move(v)));
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
  absl::StatusOr<std::vector<AlertRule>> rules = ParseAlertRules(text);
  if (!rules.ok()) return 0;
  AlertsOptions options;
  options.rules = std::string(text);
  options.anomalies = size % 2 == 0;
  options.min_lines = 0;
  options.num_threads = 2;
  absl::StatusOr<AlertsResult> result = ComputeAlerts(Data(), options);
  if (!result.ok()) return 0;
  if (!ToResultTable(*result).Validate().ok() || !SkippedResultTable(*result).Validate().ok()) {
    std::abort();
  }
  return 0;
}
