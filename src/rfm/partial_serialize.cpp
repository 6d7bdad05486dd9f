// RfmPartial <-> bytes (format in include/salesight/partial_state.hpp).
// Sparse: only customers with lines are written (id + 28-byte record), so a
// partition's blob is proportional to the customers it touches, not to the
// id space. The shared header: src/core/partial_header.cpp.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"
#include "core/internal/byte_io.hpp"
#include "core/internal/partial_header.hpp"
#include "internal/rfm.hpp"
#include "salesight/partial_state.hpp"

namespace salesight {

using rfm_internal::Access;

absl::StatusOr<std::string> SerializeRfmPartial(const RfmPartial& partial) {
  RfmPartial& p = const_cast<RfmPartial&>(partial);  // Access has non-const accessors only
  byte_io::Writer w;
  partial_format::WriteHeader(w, PartialKind::kRfm, Access::money_scale(p));
  w.Put<std::int32_t>(Access::as_of(p));
  w.Put<std::int32_t>(Access::window_days(p));
  w.Put(Access::frequency(p));
  w.Put(Access::monetary(p));
  w.Put(Access::purchase(p));
  w.Put<std::int32_t>(Access::max_date(p));
  const RfmCounts& n = Access::counts(p);
  for (std::int64_t v : {n.lines, n.lines_in_window, n.excluded_future, n.excluded_before_window,
                         n.return_lines, n.customers, n.customers_only_returns}) {
    w.Put(v);
  }
  w.PutBool(Access::has_orders(p));
  w.Put(Access::min_order(p));
  w.Put(Access::max_order(p));
  w.PutVector(Access::min_order_customers(p));
  w.PutVector(Access::max_order_customers(p));
  const RfmCustomers& acc = Access::acc(p);
  w.Put<std::int32_t>(static_cast<std::int32_t>(acc.size()));
  std::uint64_t present = 0;
  for (const RfmCustomer& x : acc) present += x.order_lines != 0;
  w.Put(present);
  for (std::size_t id = 0; id < acc.size(); ++id) {
    const RfmCustomer& x = acc[id];
    if (x.order_lines == 0) continue;
    w.Put<std::int32_t>(static_cast<std::int32_t>(id));
    w.Put(x.monetary);
    w.Put(x.recency_days);
    w.Put(x.first_purchase);
    w.Put(x.frequency);
    w.Put(x.order_lines);
    w.Put(x.returns);
  }
  return std::move(w.str());
}

namespace {

absl::Status ReadIdList(byte_io::Reader& r, std::int32_t num_ids, std::vector<Id>* out,
                        const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.GetVector(out, field));
  for (std::size_t i = 0; i < out->size(); ++i) {
    const Id id = (*out)[i];
    if (id < 0 || id >= num_ids || (i > 0 && id <= (*out)[i - 1])) {
      return r.ErrorAt(at, absl::StrFormat("%s: entry %d (%d) is not an ascending id below %d",
                                           field, i, id, num_ids));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RfmPartial> DeserializeRfmPartial(std::string_view bytes) {
  byte_io::Reader r(bytes, "rfm partial");
  RfmPartial p;
  int scale = 0;
  SALESIGHT_BIO(partial_format::ReadHeader(r, bytes, PartialKind::kRfm, &scale));
  Access::money_scale(p) = scale;
  Access::num_threads(p) = 1;
  std::size_t at = r.offset();
  Day as_of = 0;
  SALESIGHT_BIO(r.Get(&as_of, "as_of"));
  if (as_of != kNoDate && (as_of < kMinDay || as_of > kMaxDay + 1)) {
    return r.ErrorAt(at, absl::StrFormat("as_of %d is outside the supported days", as_of));
  }
  Access::as_of(p) = as_of;
  at = r.offset();
  std::int32_t window = 0;
  SALESIGHT_BIO(r.Get(&window, "window_days"));
  if (window < 0 || (window > 0 && as_of == kNoDate)) {
    return r.ErrorAt(at, absl::StrFormat("window_days %d is invalid (>= 0; > 0 needs as_of)", window));
  }
  Access::window_days(p) = window;
  std::uint8_t e[3] = {0, 0, 0};
  at = r.offset();
  SALESIGHT_BIO(r.Get(&e[0], "frequency"));
  SALESIGHT_BIO(r.Get(&e[1], "monetary"));
  SALESIGHT_BIO(r.Get(&e[2], "purchase"));
  if (e[0] > 1 || e[1] > 1 || e[2] > 1) return r.ErrorAt(at, "an RFM option enum is out of range");
  Access::frequency(p) = static_cast<RfmFrequency>(e[0]);
  Access::monetary(p) = static_cast<RfmMonetary>(e[1]);
  Access::purchase(p) = static_cast<RfmPurchase>(e[2]);
  at = r.offset();
  Day max_date = 0;
  SALESIGHT_BIO(r.Get(&max_date, "max_date"));
  if (max_date != kNoDate && (max_date < kMinDay || max_date > kMaxDay)) {
    return r.ErrorAt(at, absl::StrFormat("max_date %d is outside the supported days", max_date));
  }
  Access::max_date(p) = max_date;
  RfmCounts& n = Access::counts(p);
  at = r.offset();
  for (std::int64_t* v : {&n.lines, &n.lines_in_window, &n.excluded_future,
                          &n.excluded_before_window, &n.return_lines, &n.customers,
                          &n.customers_only_returns}) {
    SALESIGHT_BIO(r.Get(v, "counts"));
    if (*v < 0 || *v > kMaxSerializedCount) return r.ErrorAt(at, "a count is outside 0..2^40");
  }
  if (n.lines_in_window > n.lines || n.return_lines > n.lines_in_window ||
      n.excluded_future > n.lines || n.excluded_before_window > n.lines) {
    return r.ErrorAt(at, "the line counts are inconsistent");
  }
  if ((n.lines == 0) != (max_date == kNoDate)) {
    return r.ErrorAt(at, "max_date must be set exactly when there are lines");
  }
  bool has_orders = false;
  SALESIGHT_BIO(r.GetBool(&has_orders, "has_orders"));
  std::int64_t lo = 0, hi = 0;
  at = r.offset();
  SALESIGHT_BIO(r.Get(&lo, "min_order"));
  SALESIGHT_BIO(r.Get(&hi, "max_order"));
  if (has_orders && (lo > hi || Access::frequency(p) != RfmFrequency::kOrders)) {
    return r.ErrorAt(at, "the order-id boundary is invalid");
  }
  Access::has_orders(p) = has_orders;
  Access::min_order(p) = lo;
  Access::max_order(p) = hi;
  // The id space comes after the boundary lists; read them, check later.
  std::vector<Id> lo_c, hi_c;
  const std::size_t lists_at = r.offset();
  SALESIGHT_BIO(ReadIdList(r, std::numeric_limits<std::int32_t>::max(), &lo_c, "min_order_customers"));
  SALESIGHT_BIO(ReadIdList(r, std::numeric_limits<std::int32_t>::max(), &hi_c, "max_order_customers"));
  at = r.offset();
  std::int32_t num_ids = 0;
  SALESIGHT_BIO(r.Get(&num_ids, "number of customer ids"));
  if (num_ids < 0 || num_ids > kMaxSerializedRfmIds) {
    return r.ErrorAt(at, absl::StrFormat("number of customer ids %d is outside 0..%d", num_ids,
                                         kMaxSerializedRfmIds));
  }
  if (!has_orders && (!lo_c.empty() || !hi_c.empty())) {
    return r.ErrorAt(lists_at, "boundary customers without a boundary order");
  }
  for (const std::vector<Id>* v : {&lo_c, &hi_c}) {
    if (!v->empty() && v->back() >= num_ids) {
      return r.ErrorAt(lists_at, "a boundary customer is outside the id space");
    }
  }
  Access::min_order_customers(p) = std::move(lo_c);
  Access::max_order_customers(p) = std::move(hi_c);
  constexpr std::size_t kRecordBytes = 4 + 8 + 4 * 5;
  std::size_t present = 0;
  SALESIGHT_BIO(r.GetCount(&present, kRecordBytes, "number of customers"));
  if (present > static_cast<std::size_t>(num_ids)) {
    return r.Error("more customers than customer ids");
  }
  // The dense state costs 32 bytes per id: bound it by what the blob holds,
  // so a few hostile bytes cannot demand gigabytes (a real partition touches
  // far more than 1 in kMaxIdsPerSerializedCustomer of the ids it spans).
  const std::int64_t id_limit =
      std::max<std::int64_t>(kMinDenseIdSpace, kMaxIdsPerSerializedCustomer *
                                                   (static_cast<std::int64_t>(present) + 1));
  if (num_ids > id_limit) {
    return r.Error(absl::StrFormat(
        "%d customer ids for %d customers: more than max(%d, %d x (customers + 1))", num_ids,
        present, kMinDenseIdSpace, kMaxIdsPerSerializedCustomer));
  }
  RfmCustomers& acc = Access::acc(p);
  if (num_ids > 0) rfm_internal::ResizeZeroedLarge(acc, static_cast<std::size_t>(num_ids));
  const Day window_lo = window > 0 ? as_of - window : std::numeric_limits<Day>::min();
  std::int64_t lines = 0, returns = 0;
  Id prev = -1;
  for (std::size_t i = 0; i < present; ++i) {
    at = r.offset();
    Id id = 0;
    RfmCustomer x;
    SALESIGHT_BIO(r.Get(&id, "customer id"));
    SALESIGHT_BIO(r.Get(&x.monetary, "monetary"));
    SALESIGHT_BIO(r.Get(&x.recency_days, "last purchase"));
    SALESIGHT_BIO(r.Get(&x.first_purchase, "first purchase"));
    SALESIGHT_BIO(r.Get(&x.frequency, "frequency"));
    SALESIGHT_BIO(r.Get(&x.order_lines, "order lines"));
    SALESIGHT_BIO(r.Get(&x.returns, "returns"));
    if (id <= prev || id >= num_ids) {
      return r.ErrorAt(at, absl::StrFormat("customer id %d is not ascending below %d", id, num_ids));
    }
    prev = id;
    const bool purchase = x.recency_days != 0;
    bool ok = x.order_lines > 0 && x.returns >= 0 && x.returns <= x.order_lines &&
              x.frequency >= 0 && x.frequency <= x.order_lines &&
              purchase == (x.first_purchase > 0) && purchase == (x.frequency > 0) &&
              // "no purchase": 0 or kNoDate (a fresh record's default)
              (purchase || x.first_purchase == 0 || x.first_purchase == kNoDate);
    if (ok && purchase) {
      ok = x.recency_days > 0 && x.recency_days <= rfm_internal::LastCode(kMaxDay) &&
           x.first_purchase > 0 && x.first_purchase <= rfm_internal::FirstCode(kMinDay);
      if (ok) {
        const Day last = rfm_internal::LastDayOf(x.recency_days);
        const Day first = rfm_internal::FirstDayOf(x.first_purchase);
        ok = first <= last && max_date != kNoDate && last <= max_date &&
             (as_of == kNoDate || last <= as_of) && first >= window_lo;
      }
    }
    if (!ok) {
      return r.ErrorAt(at, absl::StrFormat(
                               "the record of customer id %d is inconsistent (lines %d, returns "
                               "%d, frequency %d, day codes %d/%d)",
                               id, x.order_lines, x.returns, x.frequency, x.recency_days,
                               x.first_purchase));
    }
    lines += x.order_lines;
    returns += x.returns;
    acc[static_cast<std::size_t>(id)] = x;
  }
  if (lines != n.lines_in_window || returns != n.return_lines) {
    return r.Error("the customers' lines do not add up to the line counts");
  }
  if (!r.at_end()) return r.Error("unexpected bytes after the end of the state");
  return p;
}

}  // namespace salesight
