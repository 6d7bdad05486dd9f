// The salesight side of the SciPy comparison (clv_scipy_compare.py): builds
// the BTYD summary (weeks, same-day purchases merged) from a CDNOW-format
// transaction file, or reads a lifetimes-format summary CSV, fits BG/NBD,
// writes the summary it fitted (so SciPy fits the very same numbers) and
// prints the fit as JSON with its wall time.
//
//   salesight_clv_fit --master CDNOW_master.txt --calibration-end 1997-09-30 --summary-out s.csv
//   salesight_clv_fit --summary cdnow_customers_summary.csv
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "salesight/btyd.hpp"
#include "salesight/clv.hpp"
#include "salesight/money.hpp"

namespace {

using salesight::clv::CustomerSummary;

int Fail(const std::string& message) {
  std::fprintf(stderr, "salesight_clv_fit: %s\n", message.c_str());
  return 1;
}

// customer_id YYYYMMDD cds dollars, whitespace-separated, a header line.
bool LoadMaster(const std::string& path, salesight::Day end, CustomerSummary* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::vector<std::int64_t> order;
  std::vector<salesight::Day> day;
  std::vector<salesight::Id> customer;
  std::vector<salesight::Money> amount;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    long id = 0, ymd = 0, cds = 0;
    std::string dollars;
    if (!(f >> id >> ymd >> cds >> dollars)) continue;  // the header
    absl::StatusOr<salesight::Money> m = salesight::ParseMoney(dollars);
    if (!m.ok()) return false;
    order.push_back(static_cast<std::int64_t>(order.size()));
    day.push_back(salesight::DayFromCivil(static_cast<int>(ymd / 10000),
                                          static_cast<int>(ymd / 100 % 100),
                                          static_cast<int>(ymd % 100)));
    customer.push_back(static_cast<salesight::Id>(id));
    amount.push_back(*m);
  }
  salesight::OrderLinesColumns c;
  c.order_id = salesight::Column<std::int64_t>::Own(std::move(order));
  c.order_date = salesight::Column<salesight::Day>::Own(std::move(day));
  c.customer = salesight::Column<salesight::Id>::Own(std::move(customer));
  c.amount = salesight::Column<salesight::Money>::Own(std::move(amount));
  absl::StatusOr<salesight::OrderLines> lines = salesight::OrderLines::Build(std::move(c));
  if (!lines.ok()) return false;
  salesight::BtydOptions o;
  o.observation_end = end;
  o.unit = salesight::BtydTimeUnit::kWeeks;
  absl::StatusOr<salesight::BtydSummary> s = salesight::ComputeBtydSummary(*lines, o);
  if (!s.ok()) return false;
  *out = salesight::clv::FromBtydSummary(*s);
  return true;
}

// ID,frequency,recency,T (lifetimes' CDNOW summary).
bool LoadSummary(const std::string& path, CustomerSummary* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, x, tx, t;
    std::getline(ss, id, ',');
    std::getline(ss, x, ',');
    std::getline(ss, tx, ',');
    std::getline(ss, t, ',');
    if (t.empty()) continue;
    out->frequency.push_back(std::stod(x));
    out->recency.push_back(std::stod(tx));
    out->T.push_back(std::stod(t));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string master, summary, summary_out, end = "1997-09-30";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--master") master = value;
    else if (flag == "--summary") summary = value;
    else if (flag == "--summary-out") summary_out = value;
    else if (flag == "--calibration-end") end = value;
    else return Fail("unknown flag " + flag);
  }
  CustomerSummary s;
  if (!master.empty()) {
    absl::StatusOr<salesight::Day> d = salesight::ParseDate(end);
    if (!d.ok() || !LoadMaster(master, *d, &s)) return Fail("cannot load " + master);
  } else if (summary.empty() || !LoadSummary(summary, &s)) {
    return Fail("give --master FILE or --summary FILE");
  }
  if (!summary_out.empty()) {
    std::ofstream out(summary_out);
    out.precision(17);
    out << "ID,frequency,recency,T\n";
    for (std::size_t i = 0; i < s.size(); ++i) {
      out << i + 1 << ',' << s.frequency[i] << ',' << s.recency[i] << ',' << s.T[i] << '\n';
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<salesight::clv::FitResult> fit = salesight::clv::FitBgNbd(s);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!fit.ok()) return Fail(std::string(fit.status().message()));
  std::printf("{\"customers\": %zu, \"log_likelihood\": %.10f, \"ms\": %.3f, \"status\": \"%s\"",
              s.size(), fit->log_likelihood, ms, salesight::clv::FitStatusName(fit->status));
  for (std::size_t j = 0; j < fit->names.size(); ++j) {
    std::printf(", \"%s\": %.10f", fit->names[j].c_str(), fit->params[j]);
  }
  std::printf("}\n");
  return 0;
}
