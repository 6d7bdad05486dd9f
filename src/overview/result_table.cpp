// The overview as one row (salesight/overview.hpp): what the C ABI and Python
// receive from the declared calculator.
#include "salesight/overview.hpp"

namespace salesight {

ResultTable ToResultTable(const OrdersOverview& o) {
  ResultTable t;
  for (auto [name, value] : {std::pair{"lines", o.lines}, {"orders", o.orders},
                             {"customers", o.customers}, {"products", o.products},
                             {"return_lines", o.return_lines}}) {
    t.AddInt64(name).ints.push_back(value);
  }
  for (auto [name, day] : {std::pair{"first_day", o.first_day}, {"last_day", o.last_day}}) {
    ResultColumn& c = t.AddDate(name);
    c.ints.push_back(day == kNoDate ? 0 : day);
    if (day == kNoDate) c.valid = {0};  // an empty table has no dates
  }
  for (auto [name, value] : {std::pair{"sales", o.sales}, {"returns", o.returns},
                             {"net_revenue", o.net_revenue}}) {
    t.AddMoney(name, o.money_scale).ints.push_back(value);
  }
  return t;
}

}  // namespace salesight
