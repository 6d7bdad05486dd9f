// GenerateSample: the data model of WORKLOADS.md "Data" (see sample.hpp for
// the definitions). Layout of the work:
//   1. calendar: per-day volume weights (growth x season x weekday x noise),
//      turned into exact per-day counts for N orders and M opportunities;
//   2. customers (blocks of rows, one random stream per block), then the Zipf
//      alias table over them; products likewise;
//   3. orders + invoices + payment plans in one pass over blocks of rows;
//   4. payments (per-block offsets from step 3), customer created dates,
//      pipeline, targets;
//   5. Build every table (the builders' validation is the final check).
// Every block draws from its own stream keyed by (seed, stream tag, block), so
// the bytes depend on (order_lines, seed) only.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "salesight/sample.hpp"
#include "internal/sample.hpp"
#include "internal/names.hpp"
#include "internal/random.hpp"

namespace salesight {

using sample_internal::AliasTable;
using sample_internal::Exp;
using sample_internal::kAsOf;
using sample_internal::kMoneyScale;
using sample_internal::kNumRegions;
using sample_internal::kNumSalespeople;
using sample_internal::kWindowDays;
using sample_internal::kWindowEnd;
using sample_internal::kWindowMonths;
using sample_internal::kWindowStart;
using sample_internal::Log;
using sample_internal::ParallelFor;
using sample_internal::Pow;
using sample_internal::Rng;

namespace {

// Stream tags: one per kind of draw, never reused (changing one table's logic
// leaves the others' bytes alone).
enum Stream : std::uint64_t {
  kOrderDays = 1,
  kOpportunityDays = 2,
  kCustomerRanks = 3,
  kCustomerRows = 4,
  kCustomerCreated = 5,
  kProductRanks = 6,
  kProductRows = 7,
  kOrderRows = 8,
  kInvoiceRows = 9,
  kPipelineRows = 10,
  kTargetRows = 11,
  kOrderCustomers = 12,
  kPipelineCustomers = 13,
  kKeyAccountRows = 14,  // drawn only with key accounts
};

constexpr std::size_t kBlock = 8192;  // rows per random stream (and per parallel task)
constexpr std::int32_t kMaxProducts = 5000;
// Key accounts (sample.hpp): bulk lines carry this many times the drawn
// quantity; a lapsed one stops buying this many days before the snapshot.
constexpr std::int32_t kKeyAccountBulk = 5;
constexpr Day kKeyAccountLapseDays = 270;
constexpr int kSalespeoplePerRegion = kNumSalespeople / kNumRegions;  // 25

// Region shares of customers (华东 .. Overseas).
constexpr std::array<double, kNumRegions> kRegionShare = {0.26, 0.20, 0.16, 0.10,
                                                          0.09, 0.05, 0.06, 0.08};
// Funnel: P(reach stage k+1 | reached stage k) = kStageP[k] x kRegionFactor[region];
// max 0.92 x 1.08 < 1, so no clamping. Gap means in days (gamma, shape 2).
constexpr std::array<double, 5> kStageP = {0.55, 0.60, 0.50, 0.70, 0.92};
constexpr std::array<double, kNumRegions> kRegionFactor = {1.08, 1.05, 1.00, 0.95,
                                                           0.90, 0.85, 0.92, 1.02};
constexpr std::array<double, 5> kStageGapMean = {7, 14, 21, 14, 30};
constexpr std::array<double, 7> kSourceShare = {0.25, 0.15, 0.12, 0.13, 0.12, 0.08, 0.15};
// Seasonality by calendar month (Chinese New Year dip in Feb, Q4 peak) and ISO weekday.
constexpr std::array<double, 12> kMonthFactor = {0.90, 0.70, 1.00, 1.00, 1.00, 1.05,
                                                 0.95, 0.95, 1.05, 0.95, 1.10, 1.25};
constexpr std::array<double, 7> kWeekdayFactor = {1.00, 1.05, 1.05, 1.00, 0.95, 0.40, 0.25};

// sum_{x=a}^{b-1} x^-s for 20 <= a < b (Euler-Maclaurin to the f' term; the
// error is far below 1e-9 of the sum for a >= 20). Uses the portable Log/Exp,
// so the exponent (and every weight) is the same on every machine.
double PowerSum(double s, double a, double b) {
  const double t = 1.0 - s;
  const double la = Log(a), lb = Log(b);
  double integral = 0.0;  // of x^-s over [a, b] = (b^t - a^t) / t
  if (std::fabs(t) >= 1e-4) {
    integral = (Exp(t * lb) - Exp(t * la)) / t;
  } else {  // the series sum_j t^(j-1) (lb^j - la^j) / j!, free of cancellation
    double pa = 1.0, pb = 1.0, tj = 1.0, fact = 1.0;
    for (int j = 1; j <= 6; ++j) {
      pa *= la;
      pb *= lb;
      fact *= j;
      integral += tj * (pb - pa) / fact;
      tj *= t;
    }
  }
  const double fa = Exp(-s * la), fb = Exp(-s * lb);
  const double dfa = -s * fa / a, dfb = -s * fb / b;
  return integral + 0.5 * (fa - fb) + (dfb - dfa) / 12.0;
}

// Exact per-day counts summing to `total` (largest remainder; ties by day),
// so dates need no sorting and order ids follow dates.
std::vector<std::int64_t> AllocateByDay(std::int64_t total, const std::vector<double>& weight) {
  const double sum = std::accumulate(weight.begin(), weight.end(), 0.0);
  std::vector<std::int64_t> count(weight.size());
  std::vector<std::pair<double, std::size_t>> rest(weight.size());
  std::int64_t assigned = 0;
  for (std::size_t d = 0; d < weight.size(); ++d) {
    const double exact = static_cast<double>(total) * weight[d] / sum;
    count[d] = static_cast<std::int64_t>(std::floor(exact));
    assigned += count[d];
    rest[d] = {exact - static_cast<double>(count[d]), d};
  }
  std::sort(rest.begin(), rest.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  for (std::size_t i = 0; assigned < total; ++i, ++assigned) {
    ++count[rest[i % rest.size()].second];
  }
  // Rounding could in theory make the floors overshoot by one: take it back
  // from the days with the smallest remainders.
  for (std::size_t i = rest.size(); assigned > total && i > 0; --i) {
    std::int64_t& c = count[rest[i - 1].second];
    if (c > 0) {
      --c;
      --assigned;
    }
  }
  return count;
}

std::vector<double> DayWeights(std::uint64_t seed, std::uint64_t tag) {
  Rng rng(seed, tag, 0);
  std::vector<double> w(kWindowDays);
  for (int i = 0; i < kWindowDays; ++i) {
    const Day day = kWindowStart + i;
    const CivilDate c = CivilFromDay(day);
    const double growth = Pow(1.2, static_cast<double>(i) / 365.25);
    w[static_cast<std::size_t>(i)] = growth * kMonthFactor[static_cast<std::size_t>(c.month - 1)] *
                                     kWeekdayFactor[static_cast<std::size_t>(Weekday(day) - 1)] *
                                     rng.LogNormal(0.0, 0.08);
  }
  return w;
}

// First row of each day (size days + 1).
std::vector<std::int64_t> DayStarts(const std::vector<std::int64_t>& counts) {
  std::vector<std::int64_t> starts(counts.size() + 1, 0);
  for (std::size_t d = 0; d < counts.size(); ++d) starts[d + 1] = starts[d] + counts[d];
  return starts;
}

std::size_t DayOfRow(const std::vector<std::int64_t>& starts, std::int64_t row) {
  return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), row) -
                                  starts.begin() - 1);
}

template <std::size_t N>
std::size_t PickWeighted(double u, const std::array<double, N>& share) {
  double acc = 0.0;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    acc += share[i];
    if (u < acc) return i;
  }
  return N - 1;
}

// "C-000123": fixed-width decimal code without a formatting library per row.
std::string Code(char prefix, std::int64_t n, int width) {
  char digits[24];
  int len = 0;
  do {
    digits[len++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n > 0);
  std::string s;
  s.reserve(static_cast<std::size_t>(std::max(len, width) + 2));
  s.push_back(prefix);
  s.push_back('-');
  for (int i = len; i < width; ++i) s.push_back('0');
  while (len > 0) s.push_back(digits[--len]);
  return s;
}

absl::StatusOr<std::shared_ptr<Dictionary>> DictionaryOf(const std::vector<std::string>& codes) {
  SALESIGHT_ASSIGN_OR_RETURN(Dictionary d, Dictionary::FromCodes(codes));
  return std::make_shared<Dictionary>(std::move(d));
}

std::size_t NumBlocks(std::size_t rows) { return (rows + kBlock - 1) / kBlock; }

// What an order needs to know about its customer, packed into 4 bytes so a
// random customer costs one cache miss (K reaches 10^7).
struct CustomerAttr {
  std::int8_t region;
  std::uint8_t owner;    // salesperson id < 200
  std::uint8_t terms60;  // 1: due after 60 days, else 30
  std::int8_t payer;     // 0 good, 1 late, 2 bad
};

// A paid invoice settled in two instalments: the first one's date and amount.
struct Split {
  std::int64_t row;
  Day first_date;
  Money first_amount;
};

// The generator's working state: the models drawn first (customers, products,
// calendar) and the row vectors that become the tables' columns at the end.
// Each step is one method; Run() calls them in the order their data needs.
class Generator {
 public:
  Generator(const SampleOptions& options, int threads)
      : seed_(options.seed),
        threads_(threads),
        workers_(static_cast<std::size_t>(threads)),
        n_(static_cast<std::size_t>(options.order_lines)),
        k_(static_cast<std::size_t>(options.order_lines / 10)),
        p_(options.order_lines >= 50000
               ? static_cast<std::size_t>(kMaxProducts)
               : std::max<std::size_t>(100, static_cast<std::size_t>(options.order_lines / 10))),
        m_(static_cast<std::size_t>(options.order_lines / 5)),
        key_accounts_(static_cast<std::size_t>(options.key_accounts)),
        block_attr_(workers_) {}

  absl::StatusOr<SampleData> Run();

 private:
  static constexpr std::size_t kCells = std::size_t{kNumSalespeople} * kWindowMonths;

  absl::Status SmallDictionaries();
  bool IsKeyAccount(Id customer) const {
    for (Id k : key_account_) {
      if (k == customer) return true;
    }
    return false;
  }
  void LapseKeyAccounts(std::size_t block, std::size_t begin, std::size_t end);
  void Calendar();
  void DrawCustomers();
  void DrawProducts();
  void DrawOrdersAndInvoices();
  void SettlePayments();
  void DateCustomers();
  void DrawPipeline();
  void SetTargets();
  absl::Status BuildTables();

  // Gathers the attributes of customers[begin, end) into this worker's
  // scratch: a tight loop whose independent random reads overlap in the CPU
  // (inside a long row loop they could not).
  const std::vector<CustomerAttr>& GatherCustomers(const std::vector<Id>& customers,
                                                   std::size_t begin, std::size_t end,
                                                   std::size_t worker) {
    std::vector<CustomerAttr>& attr = block_attr_[worker];
    attr.resize(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      attr[i - begin] = customer_attr_[static_cast<std::size_t>(customers[i])];
    }
    return attr;
  }

  const std::uint64_t seed_;
  const int threads_;
  const std::size_t workers_;
  const std::size_t n_, k_, p_, m_;  // orders, customers, products, opportunities
  const std::size_t key_accounts_;
  SampleData out_;
  std::vector<std::vector<CustomerAttr>> block_attr_;  // per-worker scratch

  // calendar
  std::vector<std::int64_t> order_day_start_, opp_day_start_;  // first row of each day
  std::array<int, kWindowDays> month_of_day_{};                // 0..35

  // customers
  std::vector<CustomerAttr> customer_attr_;
  AliasTable customer_pick_;  // Zipf over customer ids
  std::vector<Id> key_account_;  // customer ids of Zipf ranks 0..key_accounts-1
  std::vector<Money> credit_limit_;
  std::vector<std::string> customer_names_;
  std::vector<Day> created_;

  // products
  std::vector<Money> price_;  // list price, cents
  std::vector<Money> standard_cost_;
  std::array<std::vector<std::int32_t>, 2> tier_qty_;  // 0 = no tier
  std::array<std::vector<Money>, 2> tier_cost_;
  std::vector<CostTier> cost_tiers_;
  std::vector<Id> product_category_;
  std::vector<std::string> product_names_;
  AliasTable product_pick_;  // Zipf(0.8) over product ids

  // orders + invoices
  std::vector<std::int64_t> order_id_;
  std::vector<Day> order_date_, due_date_, paid_date_;
  std::vector<Id> o_customer_, o_product_, o_region_, o_salesperson_, o_channel_;
  std::vector<std::int32_t> quantity_;
  std::vector<Money> amount_, unit_cost_, paid_;
  std::vector<std::vector<Split>> splits_;  // per order block
  std::vector<std::int64_t> payments_in_block_;
  std::vector<std::vector<Money>> revenue_cell_;  // per worker: salesperson x month

  // payments
  std::vector<std::int64_t> pay_invoice_;
  std::vector<Day> pay_date_;
  std::vector<Money> pay_amount_;

  // pipeline
  std::vector<std::int64_t> opp_id_;
  std::vector<Id> opp_customer_, opp_salesperson_, opp_region_, opp_source_, opp_lost_reason_;
  std::vector<Money> opp_amount_;
  std::vector<Day> opp_created_, opp_lost_;
  std::array<std::vector<Day>, 6> stage_;

  // targets
  std::vector<Id> target_key_;
  std::vector<std::int32_t> target_month_;
  std::vector<Money> target_amount_;
};

absl::StatusOr<SampleData> Generator::Run() {
  out_.seed = seed_;
  out_.as_of = kAsOf;
  out_.snapshot = kWindowEnd;
  SALESIGHT_RETURN_IF_ERROR(SmallDictionaries());

  // The code dictionaries (10^7 hash inserts at the largest size) depend on
  // nothing random: with a spare thread they are built while the rows are
  // generated, and joined before the tables are built.
  out_.customer_codes = std::make_shared<Dictionary>();
  out_.product_codes = std::make_shared<Dictionary>();
  absl::Status codes_status;
  auto build_codes = [this, &codes_status] {
    // Zero-padded to the widest id, so the ids are in the codes' byte order
    // (dictionary.hpp): 10^7 customers need 7 digits.
    int width = 6;
    for (std::size_t top = (k_ > 0 ? k_ - 1 : 0) / 1000000; top > 0; top /= 10) ++width;
    for (std::size_t c = 0; c < k_ && codes_status.ok(); ++c) {
      codes_status =
          out_.customer_codes->Intern(Code('C', static_cast<std::int64_t>(c), width)).status();
    }
    for (std::size_t p = 0; p < p_ && codes_status.ok(); ++p) {
      codes_status =
          out_.product_codes->Intern(Code('P', static_cast<std::int64_t>(p), 5)).status();
    }
  };
  std::thread codes_thread;
  if (threads_ > 1) {
    codes_thread = std::thread(build_codes);
  } else {
    build_codes();
  }
  struct JoinOnExit {  // also when a step below throws (bad_alloc)
    std::thread& t;
    ~JoinOnExit() {
      if (t.joinable()) t.join();
    }
  } join_on_exit{codes_thread};

  Calendar();
  DrawCustomers();
  DrawProducts();
  DrawOrdersAndInvoices();
  SettlePayments();
  DateCustomers();
  DrawPipeline();
  SetTargets();

  if (codes_thread.joinable()) codes_thread.join();
  SALESIGHT_RETURN_IF_ERROR(codes_status);
  SALESIGHT_RETURN_IF_ERROR(BuildTables());
  return std::move(out_);
}

absl::Status Generator::SmallDictionaries() {
  SALESIGHT_ASSIGN_OR_RETURN(out_.region_codes, DictionaryOf(sample_internal::RegionCodes()));
  SALESIGHT_ASSIGN_OR_RETURN(out_.category_codes, DictionaryOf(sample_internal::CategoryCodes()));
  SALESIGHT_ASSIGN_OR_RETURN(out_.channel_codes, DictionaryOf(sample_internal::ChannelCodes()));
  SALESIGHT_ASSIGN_OR_RETURN(out_.source_codes, DictionaryOf(sample_internal::SourceCodes()));
  SALESIGHT_ASSIGN_OR_RETURN(out_.lost_reason_codes,
                             DictionaryOf(sample_internal::LostReasonCodes()));
  std::vector<std::string> names;
  for (int s = 0; s < kNumSalespeople; ++s) {
    names.push_back(sample_internal::SalespersonName(s));
    out_.salesperson_names_en.push_back(sample_internal::SalespersonNameEn(s));
  }
  SALESIGHT_ASSIGN_OR_RETURN(out_.salesperson_codes, DictionaryOf(names));
  return absl::OkStatus();
}

void Generator::Calendar() {
  order_day_start_ =
      DayStarts(AllocateByDay(static_cast<std::int64_t>(n_), DayWeights(seed_, kOrderDays)));
  opp_day_start_ =
      DayStarts(AllocateByDay(static_cast<std::int64_t>(m_), DayWeights(seed_, kOpportunityDays)));
  for (int i = 0; i < kWindowDays; ++i) {
    const CivilDate c = CivilFromDay(kWindowStart + i);
    month_of_day_[static_cast<std::size_t>(i)] = (c.year - 2022) * 12 + (c.month - 1);
  }
}

void Generator::DrawCustomers() {
  customer_attr_.resize(k_);
  credit_limit_.resize(k_);
  customer_names_.resize(k_);
  out_.customer_names_en.resize(k_);
  ParallelFor(NumBlocks(k_), threads_, [&](std::size_t b, std::size_t) {
    Rng rng(seed_, kCustomerRows, b);
    const std::size_t end = std::min(k_, (b + 1) * kBlock);
    for (std::size_t c = b * kBlock; c < end; ++c) {
      const auto region = static_cast<int>(PickWeighted(rng.Uniform(), kRegionShare));
      CustomerAttr& a = customer_attr_[c];
      a.region = static_cast<std::int8_t>(region);
      a.owner = static_cast<std::uint8_t>(
          region + kNumRegions * static_cast<int>(rng.Below(kSalespeoplePerRegion)));
      a.terms60 = static_cast<std::uint8_t>(rng.Bernoulli(0.3) ? 1 : 0);
      const double u = rng.Uniform();
      a.payer = static_cast<std::int8_t>(u < 0.70 ? 0 : u < 0.95 ? 1 : 2);
      // Credit limits are round sums: multiples of 10,000 (in currency units).
      const double limit = rng.LogNormal(Log(100000.0), 0.8);
      credit_limit_[c] = std::max<Money>(1, std::llround(limit / 10000.0)) * 10000 * 100;
      sample_internal::CompanyName(rng, region, &customer_names_[c], &out_.customer_names_en[c]);
    }
  });
  out_.customer_terms_days.resize(k_);
  out_.customer_payer_type.resize(k_);
  for (std::size_t c = 0; c < k_; ++c) {
    out_.customer_terms_days[c] = customer_attr_[c].terms60 ? 60 : 30;
    out_.customer_payer_type[c] = customer_attr_[c].payer;
  }
  Rng rng(seed_, kCustomerRanks, 0);
  const std::vector<std::int32_t> by_rank =
      sample_internal::RandomPermutation(static_cast<std::int32_t>(k_), rng);
  key_account_.assign(by_rank.begin(),
                      by_rank.begin() + static_cast<std::ptrdiff_t>(std::min(key_accounts_, k_)));
  const double s = SampleCustomerZipfExponent(static_cast<std::int64_t>(k_));
  std::vector<double> weight(k_);
  for (std::size_t r = 0; r < k_; ++r) {
    weight[static_cast<std::size_t>(by_rank[r])] = Pow(static_cast<double>(r) + 20.0, -s);
  }
  customer_pick_ = AliasTable(weight);
}

void Generator::DrawProducts() {
  price_.resize(p_);
  standard_cost_.resize(p_);
  for (std::size_t t = 0; t < 2; ++t) {
    tier_qty_[t].assign(p_, 0);
    tier_cost_[t].assign(p_, 0);
  }
  product_category_.resize(p_);
  product_names_.resize(p_);
  out_.product_names_en.resize(p_);
  Rng rng(seed_, kProductRows, 0);
  for (std::size_t p = 0; p < p_; ++p) {
    const auto category = static_cast<int>(rng.Below(8));
    product_category_[p] = category;
    // List prices: lognormal around 300.00, at least 1.00; above 100.00 whole units.
    double price = std::clamp(rng.LogNormal(Log(30000.0), 1.0), 100.0, 5e6);
    if (price >= 10000.0) price = std::round(price / 100.0) * 100.0;
    price_[p] = std::llround(price);
    const double ratio = rng.Uniform(0.45, 0.85);
    standard_cost_[p] = std::max<Money>(1, std::llround(static_cast<double>(price_[p]) * ratio));
    if (rng.Bernoulli(0.2)) {  // volume purchase tiers: -5% from 10 units, -10% from 30
      const std::array<std::int32_t, 2> qty = {10, 30};
      const std::array<double, 2> factor = {0.95, 0.90};
      for (std::size_t t = 0; t < 2; ++t) {
        tier_qty_[t][p] = qty[t];
        tier_cost_[t][p] =
            std::max<Money>(1, std::llround(static_cast<double>(standard_cost_[p]) * factor[t]));
        cost_tiers_.push_back({static_cast<Id>(p), qty[t], tier_cost_[t][p]});
      }
    }
    sample_internal::ProductName(rng, category, &product_names_[p], &out_.product_names_en[p]);
  }
  Rng rank_rng(seed_, kProductRanks, 0);
  const std::vector<std::int32_t> by_rank =
      sample_internal::RandomPermutation(static_cast<std::int32_t>(p_), rank_rng);
  std::vector<double> weight(p_);
  for (std::size_t r = 0; r < p_; ++r) {
    weight[static_cast<std::size_t>(by_rank[r])] = Pow(static_cast<double>(r) + 1.0, -0.8);
  }
  product_pick_ = AliasTable(weight);
}

void Generator::DrawOrdersAndInvoices() {
  order_id_.resize(n_);
  order_date_.resize(n_);
  due_date_.resize(n_);
  paid_date_.resize(n_);
  for (auto* v : {&o_customer_, &o_product_, &o_region_, &o_salesperson_, &o_channel_}) {
    v->resize(n_);
  }
  quantity_.resize(n_);
  amount_.resize(n_);
  unit_cost_.resize(n_);
  paid_.resize(n_);
  const std::size_t blocks = NumBlocks(n_);
  splits_.assign(blocks, {});
  payments_in_block_.assign(blocks, 0);
  revenue_cell_.assign(workers_, std::vector<Money>(kCells, 0));

  ParallelFor(blocks, threads_, [&](std::size_t b, std::size_t worker) {
    Rng crng(seed_, kOrderCustomers, b);
    Rng rng(seed_, kOrderRows, b);
    Rng irng(seed_, kInvoiceRows, b);
    Money* cell = revenue_cell_[worker].data();
    const std::size_t begin = b * kBlock, end = std::min(n_, (b + 1) * kBlock);
    for (std::size_t i = begin; i < end; ++i) o_customer_[i] = customer_pick_.Draw(crng);
    if (!key_account_.empty()) LapseKeyAccounts(b, begin, end);
    const std::vector<CustomerAttr>& attr = GatherCustomers(o_customer_, begin, end, worker);
    std::size_t day = DayOfRow(order_day_start_, static_cast<std::int64_t>(begin));
    std::int64_t payments = 0;
    for (std::size_t i = begin; i < end; ++i) {
      while (static_cast<std::int64_t>(i) >= order_day_start_[day + 1]) ++day;
      const Day date = kWindowStart + static_cast<Day>(day);
      const CustomerAttr& ca = attr[i - begin];
      const int region = ca.region;
      int sp = ca.owner;
      if (!rng.Bernoulli(0.95)) {  // a colleague of the same region books it
        const int own_slot = sp / kNumRegions;
        int slot = static_cast<int>(rng.Below(kSalespeoplePerRegion - 1));
        if (slot >= own_slot) ++slot;
        sp = region + kNumRegions * slot;
      }
      const std::int32_t p = product_pick_.Draw(rng);
      const auto pu = static_cast<std::size_t>(p);
      const auto drawn =
          static_cast<std::int32_t>(std::min(50.0, 1.0 + std::floor(rng.Exponential(4.5))));
      const std::int32_t q = IsKeyAccount(o_customer_[i]) ? drawn * kKeyAccountBulk : drawn;
      const double channel_draw = rng.Uniform();
      const int channel = channel_draw < 0.45   ? 0
                          : channel_draw < 0.75 ? 1
                          : channel_draw < 0.90 ? 2
                                                : 3;
      const double du = rng.Uniform();
      double discount = 0.0;
      switch (channel) {
        case 0:
          discount = du < 0.55 ? 0.0 : du < 0.80 ? 0.05 : du < 0.95 ? 0.10 : 0.15;
          break;
        case 1:
          discount = 0.12 + 0.08 * du;
          break;  // distributors' margin
        default:
          discount = du < 0.6 ? 0.0 : 0.05;
          break;
      }
      const double noise = rng.LogNormal(0.0, 0.08);
      const Money line_amount =
          std::max<Money>(1, std::llround(static_cast<double>(q) * static_cast<double>(price_[pu]) *
                                          noise * (1.0 - discount)));
      Money cost = standard_cost_[pu];
      for (std::size_t t = 0; t < 2; ++t) {
        if (tier_qty_[t][pu] > 0 && q >= tier_qty_[t][pu]) cost = tier_cost_[t][pu];
      }
      order_id_[i] = static_cast<std::int64_t>(i);
      order_date_[i] = date;
      o_product_[i] = p;
      o_region_[i] = region;
      o_salesperson_[i] = sp;
      o_channel_[i] = channel;
      quantity_[i] = q;
      amount_[i] = line_amount;
      unit_cost_[i] = cost;
      cell[static_cast<std::size_t>(sp) * kWindowMonths +
           static_cast<std::size_t>(month_of_day_[day])] += line_amount;

      // Invoice: issued on the order date, due after the customer's terms.
      const Day due = date + (ca.terms60 ? 60 : 30);
      due_date_[i] = due;
      const int payer = ca.payer;
      bool never = irng.Bernoulli(0.01);
      if (payer == 2 && irng.Bernoulli(0.40)) never = true;
      double delay = 0.0;  // days after the due date
      switch (payer) {
        case 0:
          delay = -irng.Gamma(4.0, 1.25);
          break;  // ~5 days early
        case 1:
          delay = irng.Gamma(4.0, 5.0);
          break;  // ~20 days late
        default:
          delay = irng.Gamma(4.0, 15.0);
          break;  // ~60 days late
      }
      const Day pay_day = std::max(date, due + static_cast<Day>(std::lround(delay)));
      Money pay = line_amount;
      if (irng.Bernoulli(0.05) && line_amount >= 2) {  // partial payment
        pay = std::clamp<Money>(static_cast<Money>(std::floor(static_cast<double>(line_amount) *
                                                              irng.Uniform(0.2, 0.9))),
                                1, line_amount - 1);
      }
      if (never || pay_day > kWindowEnd) {  // a payment after the snapshot is not made yet
        paid_[i] = 0;
        paid_date_[i] = kNoDate;
        continue;
      }
      paid_[i] = pay;
      paid_date_[i] = pay_day;
      ++payments;
      if (irng.Bernoulli(0.02) && pay >= 2) {  // two instalments
        const Money first = std::clamp<Money>(
            static_cast<Money>(std::floor(static_cast<double>(pay) * irng.Uniform(0.3, 0.7))), 1,
            pay - 1);
        const Day first_date =
            date + static_cast<Day>(irng.Below(static_cast<std::uint32_t>(pay_day - date) + 1));
        splits_[b].push_back({static_cast<std::int64_t>(i), first_date, first});
        ++payments;
      }
    }
    payments_in_block_[b] = payments;
  });
}

// Every third key account (the 3rd, 6th, ...) went to a competitor: its
// lines in the last kKeyAccountLapseDays days of the window belong to other
// customers, drawn again by weight (never a key account) from the block's own
// stream.
void Generator::LapseKeyAccounts(std::size_t block, std::size_t begin, std::size_t end) {
  Rng rng(seed_, kKeyAccountRows, block);
  const Day lapse = kWindowEnd - kKeyAccountLapseDays;
  std::size_t day = DayOfRow(order_day_start_, static_cast<std::int64_t>(begin));
  for (std::size_t i = begin; i < end; ++i) {
    while (static_cast<std::int64_t>(i) >= order_day_start_[day + 1]) ++day;
    if (kWindowStart + static_cast<Day>(day) <= lapse) continue;
    for (std::size_t k = 2; k < key_account_.size(); k += 3) {
      if (o_customer_[i] != key_account_[k]) continue;
      do {
        o_customer_[i] = customer_pick_.Draw(rng);
      } while (IsKeyAccount(o_customer_[i]));
      break;
    }
  }
}

void Generator::SettlePayments() {
  const std::size_t blocks = payments_in_block_.size();
  std::vector<std::int64_t> start(blocks + 1, 0);
  for (std::size_t b = 0; b < blocks; ++b) start[b + 1] = start[b] + payments_in_block_[b];
  const auto count = static_cast<std::size_t>(start[blocks]);
  pay_invoice_.resize(count);
  pay_date_.resize(count);
  pay_amount_.resize(count);
  ParallelFor(blocks, threads_, [&](std::size_t b, std::size_t) {
    auto k = static_cast<std::size_t>(start[b]);
    std::size_t next_split = 0;
    const std::vector<Split>& sb = splits_[b];
    const std::size_t end = std::min(n_, (b + 1) * kBlock);
    for (std::size_t i = b * kBlock; i < end; ++i) {
      if (paid_[i] == 0) continue;
      Money rest = paid_[i];
      if (next_split < sb.size() && sb[next_split].row == static_cast<std::int64_t>(i)) {
        pay_invoice_[k] = static_cast<std::int64_t>(i);
        pay_date_[k] = sb[next_split].first_date;
        pay_amount_[k] = sb[next_split].first_amount;
        rest -= sb[next_split].first_amount;
        ++k;
        ++next_split;
      }
      pay_invoice_[k] = static_cast<std::int64_t>(i);
      pay_date_[k] = paid_date_[i];
      pay_amount_[k] = rest;
      ++k;
    }
  });
  splits_.clear();
  splits_.shrink_to_fit();
}

// A customer exists before its first order (1 + gamma lead time, mean 300
// days); prospects were created some time in the window.
void Generator::DateCustomers() {
  created_.assign(k_, kNoDate);
  for (std::size_t i = 0; i < n_; ++i) {
    Day& first = created_[static_cast<std::size_t>(o_customer_[i])];
    if (first == kNoDate) first = order_date_[i];  // rows are sorted by date
  }
  ParallelFor(NumBlocks(k_), threads_, [&](std::size_t b, std::size_t) {
    Rng rng(seed_, kCustomerCreated, b);
    const std::size_t end = std::min(k_, (b + 1) * kBlock);
    for (std::size_t c = b * kBlock; c < end; ++c) {
      const double lead = rng.Gamma(1.5, 200.0);
      const double u = rng.Uniform();
      if (created_[c] == kNoDate) {
        created_[c] = kWindowStart + static_cast<Day>(u * kWindowDays);
      } else {
        created_[c] = std::max<Day>(12784 /* 2005-01-01 */,
                                    created_[c] - 1 - static_cast<Day>(std::floor(lead)));
      }
    }
  });
}

void Generator::DrawPipeline() {
  opp_id_.resize(m_);
  for (auto* v :
       {&opp_customer_, &opp_salesperson_, &opp_region_, &opp_source_, &opp_lost_reason_}) {
    v->resize(m_);
  }
  opp_amount_.resize(m_);
  opp_created_.resize(m_);
  opp_lost_.resize(m_);
  for (auto& s : stage_) s.resize(m_);
  const auto num_lost_reasons = static_cast<std::uint32_t>(out_.lost_reason_codes->size());
  ParallelFor(NumBlocks(m_), threads_, [&](std::size_t b, std::size_t worker) {
    Rng crng(seed_, kPipelineCustomers, b);
    Rng rng(seed_, kPipelineRows, b);
    const std::size_t begin = b * kBlock, end = std::min(m_, (b + 1) * kBlock);
    // Mostly existing accounts by their weight, some new names.
    for (std::size_t i = begin; i < end; ++i) {
      opp_customer_[i] =
          crng.Bernoulli(0.7)
              ? customer_pick_.Draw(crng)
              : static_cast<std::int32_t>(crng.Below(static_cast<std::uint32_t>(k_)));
    }
    const std::vector<CustomerAttr>& attr = GatherCustomers(opp_customer_, begin, end, worker);
    std::size_t day = DayOfRow(opp_day_start_, static_cast<std::int64_t>(begin));
    for (std::size_t i = begin; i < end; ++i) {
      while (static_cast<std::int64_t>(i) >= opp_day_start_[day + 1]) ++day;
      const Day date = kWindowStart + static_cast<Day>(day);
      const int region = attr[i - begin].region;
      opp_id_[i] = static_cast<std::int64_t>(i);
      opp_salesperson_[i] = attr[i - begin].owner;
      opp_region_[i] = region;
      opp_source_[i] = static_cast<Id>(PickWeighted(rng.Uniform(), kSourceShare));
      opp_amount_[i] = std::llround(rng.LogNormal(Log(50000.0), 0.9)) * 100;
      opp_created_[i] = date;
      stage_[0][i] = date;  // every opportunity is a lead on its created date
      Day last = date;
      bool refused = false;
      std::size_t k = 1;
      for (; k < 6; ++k) {
        if (!rng.Bernoulli(kStageP[k - 1] * kRegionFactor[static_cast<std::size_t>(region)])) {
          refused = true;
          break;
        }
        const Day next =
            last + 1 + static_cast<Day>(std::floor(rng.Gamma(2.0, kStageGapMean[k - 1] / 2.0)));
        if (next > kWindowEnd) break;  // would happen after the snapshot: not reached
        stage_[k][i] = next;
        last = next;
      }
      for (std::size_t j = k; j < 6; ++j) stage_[j][i] = kNoDate;
      opp_lost_[i] = kNoDate;
      opp_lost_reason_[i] = 0;  // ids cannot be missing; meaningful only with a lost date
      // Deals that stop before "won" are mostly closed as lost some days later.
      if (refused && k <= 4 && rng.Bernoulli(0.8)) {
        const Day lost = last + 1 + static_cast<Day>(std::floor(rng.Gamma(2.0, 10.0)));
        const auto reason = static_cast<Id>(rng.Below(num_lost_reasons));
        if (lost <= kWindowEnd) {
          opp_lost_[i] = lost;
          opp_lost_reason_[i] = reason;
        }
      }
    }
  });
}

// Quotas near what each salesperson turned out to sell (attainment ~80-110%),
// rounded to 100 units, at least 100 (a floor that small keeps attainment
// realistic in the small bundled sample too).
void Generator::SetTargets() {
  std::vector<Money> revenue(kCells, 0);
  for (const auto& part : revenue_cell_) {
    for (std::size_t j = 0; j < kCells; ++j) revenue[j] += part[j];
  }
  revenue_cell_.clear();
  Rng rng(seed_, kTargetRows, 0);
  for (int s = 0; s < kNumSalespeople; ++s) {
    for (int m = 0; m < kWindowMonths; ++m) {
      const double actual = static_cast<double>(
          revenue[static_cast<std::size_t>(s) * kWindowMonths + static_cast<std::size_t>(m)]);
      const double goal = actual * rng.Uniform(0.9, 1.25) / 10000.0;
      target_key_.push_back(s);
      target_month_.push_back((2022 + m / 12) * 100 + m % 12 + 1);
      target_amount_.push_back(std::max<Money>(1, std::llround(goal)) * 10000);
    }
  }
}

absl::Status Generator::BuildTables() {
  {
    CustomersColumns c;
    std::vector<Id> ids(k_), region(k_), owner(k_);
    for (std::size_t i = 0; i < k_; ++i) {
      ids[i] = static_cast<Id>(i);
      region[i] = customer_attr_[i].region;
      owner[i] = customer_attr_[i].owner;
    }
    c.customer = Column<Id>::Own(std::move(ids));
    c.name = std::move(customer_names_);
    c.region = Column<Id>::Own(std::move(region));
    c.owner = Column<Id>::Own(std::move(owner));
    c.credit_limit = Column<Money>::Own(std::move(credit_limit_));
    c.created = Column<Day>::Own(std::move(created_));
    c.money_scale = kMoneyScale;
    c.customers = out_.customer_codes;
    c.regions = out_.region_codes;
    c.salespeople = out_.salesperson_codes;
    SALESIGHT_ASSIGN_OR_RETURN(out_.customers, Customers::Build(std::move(c)));
  }
  {
    ProductsColumns c;
    std::vector<Id> ids(p_);
    std::iota(ids.begin(), ids.end(), 0);
    c.product = Column<Id>::Own(std::move(ids));
    c.name = std::move(product_names_);
    c.category = Column<Id>::Own(std::move(product_category_));
    c.standard_cost = Column<Money>::Own(std::move(standard_cost_));
    c.cost_tiers = std::move(cost_tiers_);
    c.money_scale = kMoneyScale;
    c.products = out_.product_codes;
    c.categories = out_.category_codes;
    SALESIGHT_ASSIGN_OR_RETURN(out_.products, Products::Build(std::move(c)));
  }
  {
    OrderLinesColumns o;
    o.order_id = Column<std::int64_t>::Own(std::move(order_id_));
    o.order_date = Column<Day>::Own(std::move(order_date_));
    o.customer = Column<Id>::Own(std::move(o_customer_));
    o.product = Column<Id>::Own(std::move(o_product_));
    o.region = Column<Id>::Own(std::move(o_region_));
    o.salesperson = Column<Id>::Own(std::move(o_salesperson_));
    o.quantity = Column<std::int32_t>::Own(std::move(quantity_));
    o.amount = Column<Money>::Own(std::move(amount_));
    o.unit_cost = Column<Money>::Own(std::move(unit_cost_));
    o.channel = Column<Id>::Own(std::move(o_channel_));
    o.money_scale = kMoneyScale;
    o.customers = out_.customer_codes;
    o.products = out_.product_codes;
    o.regions = out_.region_codes;
    o.salespeople = out_.salesperson_codes;
    o.channels = out_.channel_codes;
    SALESIGHT_ASSIGN_OR_RETURN(out_.orders, OrderLines::Build(std::move(o)));
  }
  {
    // One invoice per order, sharing the order's columns (no copy): invoice_id
    // = order_id, invoice_date = order_date, amount = order amount.
    const OrderLinesColumns& o = out_.orders.columns();
    InvoicesColumns v;
    v.invoice = o.order_id;
    v.order = o.order_id;
    v.customer = o.customer;
    v.salesperson = o.salesperson;
    v.region = o.region;
    v.invoice_date = o.order_date;
    v.due_date = Column<Day>::Own(std::move(due_date_));
    v.amount = o.amount;
    v.paid = Column<Money>::Own(std::move(paid_));
    v.paid_date = Column<Day>::Own(std::move(paid_date_));
    v.money_scale = kMoneyScale;
    v.customers = out_.customer_codes;
    v.salespeople = out_.salesperson_codes;
    v.regions = out_.region_codes;
    SALESIGHT_ASSIGN_OR_RETURN(out_.invoices, Invoices::Build(std::move(v)));
  }
  {
    PaymentsColumns p;
    p.invoice_row = Column<std::int64_t>::Own(std::move(pay_invoice_));
    p.date = Column<Day>::Own(std::move(pay_date_));
    p.amount = Column<Money>::Own(std::move(pay_amount_));
    p.money_scale = kMoneyScale;
    SALESIGHT_ASSIGN_OR_RETURN(out_.payments, Payments::Build(std::move(p), out_.invoices));
  }
  {
    PipelineColumns p;
    p.opportunity = Column<std::int64_t>::Own(std::move(opp_id_));
    p.customer = Column<Id>::Own(std::move(opp_customer_));
    p.salesperson = Column<Id>::Own(std::move(opp_salesperson_));
    p.region = Column<Id>::Own(std::move(opp_region_));
    p.source = Column<Id>::Own(std::move(opp_source_));
    p.amount = Column<Money>::Own(std::move(opp_amount_));
    p.created = Column<Day>::Own(std::move(opp_created_));
    for (auto& s : stage_) p.stage_dates.push_back(Column<Day>::Own(std::move(s)));
    p.lost_date = Column<Day>::Own(std::move(opp_lost_));
    p.lost_reason = Column<Id>::Own(std::move(opp_lost_reason_));
    p.money_scale = kMoneyScale;
    p.customers = out_.customer_codes;
    p.salespeople = out_.salesperson_codes;
    p.regions = out_.region_codes;
    p.sources = out_.source_codes;
    p.lost_reasons = out_.lost_reason_codes;
    SALESIGHT_ASSIGN_OR_RETURN(out_.pipeline, Pipeline::Build(std::move(p)));
  }
  {
    TargetsColumns t;
    t.level = TargetLevel::kSalesperson;
    t.key = Column<Id>::Own(std::move(target_key_));
    t.month = Column<std::int32_t>::Own(std::move(target_month_));
    t.amount = Column<Money>::Own(std::move(target_amount_));
    t.money_scale = kMoneyScale;
    t.keys = out_.salesperson_codes;
    SALESIGHT_ASSIGN_OR_RETURN(out_.targets, Targets::Build(std::move(t)));
  }
  return absl::OkStatus();
}

}  // namespace

double SampleCustomerZipfExponent(std::int64_t customers) {
  const double k = static_cast<double>(std::max<std::int64_t>(customers, 5));
  const double head = std::max(1.0, std::floor(k / 5.0));
  auto share = [&](double s) {
    return PowerSum(s, 20.0, 20.0 + head) / PowerSum(s, 20.0, 20.0 + k);
  };
  double lo = 0.0, hi = 8.0;
  if (share(hi) < kSampleTopWeightShare) return hi;  // tiny K: as skewed as we go
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (share(mid) < kSampleTopWeightShare ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

absl::StatusOr<SampleData> GenerateSample(const SampleOptions& options) {
  const std::int64_t n = options.order_lines;
  if (n < kSampleMinOrderLines || n > kSampleMaxOrderLines) {
    return absl::InvalidArgumentError(absl::StrFormat("sample: order_lines %d is outside %d..%d", n,
                                                      kSampleMinOrderLines, kSampleMaxOrderLines));
  }
  if (options.key_accounts < 0 || options.key_accounts > kSampleMaxKeyAccounts) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample: key_accounts %d is outside 0..%d", options.key_accounts, kSampleMaxKeyAccounts));
  }
  if (options.num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("sample: num_threads %d is negative", options.num_threads));
  }
  // Heap-allocated: the generator's state is large and lives until the tables are built.
  auto generator =
      std::make_unique<Generator>(options, sample_internal::ResolveThreads(options.num_threads));
  return generator->Run();
}

}  // namespace salesight
