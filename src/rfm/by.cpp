// RFM by a dimension (rfm.hpp, "by a dimension"): the lines partitioned by
// member and each partition computed as a table of its own (kLines), or the
// one population's result split by its customers' members (kCustomer). The
// unpartitioned path (ComputeWhole) is not touched: a partition is gathered
// into a small OrderLines of its own, with its customers renumbered densely
// in id order so that its per-customer arrays have the partition's size, not
// the whole id space's.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/rfm.hpp"
#include "internal/rules.hpp"
#include "internal/scoring.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

// The members that occur on some line, in canonical order, and per line its
// group (an index into `groups`).
struct Members {
  std::vector<RfmGroup> groups;      // member + label; result empty
  std::vector<std::int32_t> of_row;  // group per line
  std::vector<std::size_t> begin;    // rows of group g: rows[begin[g], begin[g+1])
  std::vector<std::size_t> rows;     // ascending within a group
};

Members GroupLines(const DimensionColumn& dim, std::size_t n) {
  // Slot = code, kNoId -> cardinality.
  const std::size_t slots = static_cast<std::size_t>(dim.cardinality) + 1;
  auto slot_of = [&](Id code) {
    return code == kNoId ? slots - 1 : static_cast<std::size_t>(code);
  };
  std::vector<std::size_t> count(slots, 0);
  for (std::size_t i = 0; i < n; ++i) ++count[slot_of(dim.Code(i))];
  Members m;
  std::vector<std::size_t> used;
  for (std::size_t s = 0; s < slots; ++s) {
    if (count[s] > 0) used.push_back(s);
  }
  // Canonical order: label bytes; the missing member after a member that
  // happens to be labelled "(none)" too.
  std::vector<std::string> label(slots);
  for (std::size_t s : used) {
    label[s] = DimensionLabel(dim.dictionary, s == slots - 1 ? kNoId : static_cast<Id>(s));
  }
  std::sort(used.begin(), used.end(), [&](std::size_t a, std::size_t b) {
    return label[a] != label[b] ? label[a] < label[b] : a < b;
  });
  std::vector<std::int32_t> group_of_slot(slots, -1);
  m.begin.assign(used.size() + 1, 0);
  for (std::size_t g = 0; g < used.size(); ++g) {
    const std::size_t s = used[g];
    group_of_slot[s] = static_cast<std::int32_t>(g);
    RfmGroup group;
    group.member = s == slots - 1 ? kNoId : static_cast<Id>(s);
    group.label = std::move(label[s]);
    m.groups.push_back(std::move(group));
    m.begin[g + 1] = m.begin[g] + count[s];
  }
  m.of_row.resize(n);
  m.rows.resize(n);
  std::vector<std::size_t> next(m.begin.begin(), m.begin.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t g = group_of_slot[slot_of(dim.Code(i))];
    m.of_row[i] = g;
    m.rows[next[static_cast<std::size_t>(g)]++] = i;
  }
  return m;
}

template <typename T>
Column<T> Gather(const Column<T>& from, absl::Span<const std::size_t> rows) {
  if (from.empty()) return {};
  std::vector<T> out(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) out[k] = from[rows[k]];
  return Column<T>::Own(std::move(out));
}

// The lines `rows` as a table of their own: the columns RFM reads, customers
// renumbered 0.. in ascending id (so every id-ordered rule - ties, the row
// order - is unchanged). `ids` gets the original id of each new one; `mark`
// is scratch of the table's customer-id size, all -1, left so.
absl::StatusOr<OrderLines> Partition(const OrderLines& t, absl::Span<const std::size_t> rows,
                                     std::vector<Id>& ids, std::vector<Id>& mark) {
  const OrderLinesColumns& c = t.columns();
  ids.clear();
  for (std::size_t r : rows) {
    Id& m = mark[static_cast<std::size_t>(c.customer[r])];
    if (m == -1) {
      m = -2;
      ids.push_back(c.customer[r]);
    }
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t k = 0; k < ids.size(); ++k) mark[static_cast<std::size_t>(ids[k])] = static_cast<Id>(k);
  std::vector<Id> customer(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    customer[k] = mark[static_cast<std::size_t>(c.customer[rows[k]])];
  }
  for (Id id : ids) mark[static_cast<std::size_t>(id)] = -1;

  OrderLinesColumns p;
  p.order_id = Gather(c.order_id, rows);
  p.order_date = Gather(c.order_date, rows);
  p.customer = Column<Id>::Own(std::move(customer));
  p.amount = Gather(c.amount, rows);
  p.cost = Gather(c.cost, rows);
  p.unit_cost = Gather(c.unit_cost, rows);
  p.quantity = Gather(c.quantity, rows);
  p.money_scale = c.money_scale;
  if (c.customers) {  // so that messages name customers as given
    std::vector<std::string> codes;
    codes.reserve(ids.size());
    for (Id id : ids) codes.emplace_back(c.customers->Code(id));
    SALESIGHT_ASSIGN_OR_RETURN(Dictionary dict, Dictionary::FromCodes(codes));
    p.customers = std::make_shared<Dictionary>(std::move(dict));
  }
  return OrderLines::Build(std::move(p));
}

void AddCounts(RfmCounts& into, const RfmCounts& c) {
  into.lines += c.lines;
  into.lines_in_window += c.lines_in_window;
  into.excluded_future += c.excluded_future;
  into.excluded_before_window += c.excluded_before_window;
  into.return_lines += c.return_lines;
  into.customers += c.customers;
  into.customers_only_returns += c.customers_only_returns;
}

// What every group's result and the top-level one share.
void CopyHeader(const RfmResult& from, RfmResult& to) {
  to.segment_labels = from.segment_labels;
  to.segment_rules = from.segment_rules;
  to.as_of = from.as_of;
  to.window_start = from.window_start;
  to.k = from.k;
  to.scoring = from.scoring;
  to.aggregation = from.aggregation;
  to.language = from.language;
  to.money_scale = from.money_scale;
  to.customer_codes = from.customer_codes;
}

absl::StatusOr<RfmResult> ByLines(const OrderLines& t, Members m, const RfmOptions& o) {
  const std::size_t num_groups = m.groups.size();
  const int threads = rfm_internal::ResolveThreads(o.num_threads);
  // Many groups: one thread per group at a time; few: each group uses all.
  // Either way the results are those of ComputeWhole, which no thread count
  // changes.
  const int outer = num_groups >= static_cast<std::size_t>(threads) ? threads : 1;
  RfmOptions inner = o;
  inner.by.clear();
  inner.num_threads = outer > 1 ? 1 : threads;
  std::vector<absl::Status> status(num_groups);
  std::atomic<std::size_t> next{0};
  rfm_internal::ParallelFor(outer, static_cast<std::size_t>(outer),
                            [&](std::size_t, std::size_t, int) {
    std::vector<Id> mark(static_cast<std::size_t>(t.num_customers()), -1);
    std::vector<Id> ids;
    for (std::size_t g; (g = next.fetch_add(1)) < num_groups;) {
      const absl::Span<const std::size_t> rows(m.rows.data() + m.begin[g],
                                               m.begin[g + 1] - m.begin[g]);
      absl::StatusOr<OrderLines> part = Partition(t, rows, ids, mark);
      if (!part.ok()) {
        status[g] = part.status();
        continue;
      }
      absl::StatusOr<RfmResult> r = rfm_internal::ComputeWhole(*part, inner);
      if (!r.ok()) {
        status[g] = absl::Status(r.status().code(),
                                 absl::StrFormat("%s (%s '%s')", r.status().message(), o.by,
                                                 m.groups[g].label));
        continue;
      }
      for (RfmCustomer& row : r->customers) row.customer = ids[static_cast<std::size_t>(row.customer)];
      r->customer_codes = t.columns().customers;
      m.groups[g].result = *std::move(r);
    }
  });
  for (const absl::Status& st : status) SALESIGHT_RETURN_IF_ERROR(st);  // first group's error

  RfmResult out;
  {
    // The header every group shares (also for a table without lines).
    SALESIGHT_ASSIGN_OR_RETURN(rfm_internal::CompiledRules rules,
                               rfm_internal::CompileSegments(o, t.money_scale()));
    out.segment_labels = rules.labels();
  }
  out.segment_rules = rfm_internal::SegmentTable(o);
  out.as_of = o.as_of;
  out.window_start = o.window_days > 0 && o.as_of != kNoDate ? o.as_of - o.window_days : kNoDate;
  out.k = o.k;
  out.scoring = o.scoring;
  out.aggregation = o.aggregation;
  out.language = o.language;
  out.money_scale = t.money_scale();
  out.customer_codes = t.columns().customers;
  for (const RfmGroup& g : m.groups) AddCounts(out.counts, g.result.counts);
  out.groups = std::move(m.groups);
  return out;
}

absl::StatusOr<RfmResult> ByCustomer(const OrderLines& t, const Members& m, const RfmOptions& o) {
  const OrderLinesColumns& c = t.columns();
  const std::size_t num_ids = static_cast<std::size_t>(t.num_customers());
  // Smallest and largest group (= label order) of each customer's lines.
  std::vector<std::int32_t> lo(num_ids, std::numeric_limits<std::int32_t>::max());
  std::vector<std::int32_t> hi(num_ids, -1);
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto id = static_cast<std::size_t>(c.customer[i]);
    lo[id] = std::min(lo[id], m.of_row[i]);
    hi[id] = std::max(hi[id], m.of_row[i]);
  }
  for (std::size_t id = 0; id < num_ids; ++id) {
    if (hi[id] >= 0 && lo[id] != hi[id]) {
      // The second member: the next one in label order after the first.
      std::int32_t second = hi[id];
      for (std::size_t i = 0; i < t.size(); ++i) {
        const std::int32_t g = m.of_row[i];
        if (static_cast<std::size_t>(c.customer[i]) == id && g != lo[id]) second = std::min(second, g);
      }
      return absl::InvalidArgumentError(absl::StrFormat(
          "rfm: by_scope customer needs '%s' to be one member per customer, but customer '%s' "
          "has lines in '%s' and '%s' (use by_scope lines to score each member's lines)",
          o.by, rfm_internal::CustomerName(c.customers, static_cast<Id>(id)),
          m.groups[static_cast<std::size_t>(lo[id])].label,
          m.groups[static_cast<std::size_t>(second)].label));
    }
  }
  RfmOptions whole_options = o;
  whole_options.by.clear();
  SALESIGHT_ASSIGN_OR_RETURN(RfmResult whole, rfm_internal::ComputeWhole(t, whole_options));

  std::vector<RfmGroup> groups = m.groups;
  for (RfmGroup& g : groups) CopyHeader(whole, g.result);
  for (RfmGroup& g : groups) {
    g.result.recency_below = whole.recency_below;
    g.result.frequency_above = whole.frequency_above;
    g.result.monetary_above = whole.monetary_above;
  }
  const bool mean = !whole.totals.empty();
  for (std::size_t i = 0; i < whole.customers.size(); ++i) {
    const RfmCustomer& row = whole.customers[i];
    RfmResult& r = groups[static_cast<std::size_t>(lo[static_cast<std::size_t>(row.customer)])].result;
    r.customers.push_back(row);
    r.scores.push_back(whole.scores[i]);
    if (mean) r.totals.push_back(whole.totals[i]);
  }
  // Per-group line counts, as the scan counts them (rfm.hpp, as_of / window).
  const Day hi_day = whole.as_of;
  const Day lo_day = whole.window_start;
  std::vector<std::uint8_t> used(num_ids, 0);
  for (std::size_t i = 0; i < t.size(); ++i) {
    RfmCounts& n = groups[static_cast<std::size_t>(m.of_row[i])].result.counts;
    ++n.lines;
    const Day d = c.order_date[i];
    if (hi_day != kNoDate && d > hi_day) {
      ++n.excluded_future;
    } else if (lo_day != kNoDate && d < lo_day) {
      ++n.excluded_before_window;
    } else {
      ++n.lines_in_window;
      n.return_lines += c.amount[i] < 0;
      used[static_cast<std::size_t>(c.customer[i])] = 1;
    }
  }
  for (const RfmCustomer& row : whole.customers) used[static_cast<std::size_t>(row.customer)] = 0;
  for (std::size_t id = 0; id < num_ids; ++id) {
    if (used[id]) ++groups[static_cast<std::size_t>(lo[id])].result.counts.customers_only_returns;
  }
  for (RfmGroup& g : groups) g.result.counts.customers = static_cast<std::int64_t>(g.result.customers.size());

  RfmResult out;
  CopyHeader(whole, out);
  out.counts = whole.counts;
  out.groups = std::move(groups);
  return out;
}

}  // namespace

absl::StatusOr<RfmResult> ComputeRfm(const Dataset& data, const RfmOptions& options) {
  const OrderLines* orders = data.orders();
  if (orders == nullptr) return absl::InvalidArgumentError("rfm: the dataset has no orders table");
  if (options.by.empty()) return rfm_internal::ComputeWhole(*orders, options);
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckClvOptions(options));  // no CLV by a dimension
  SALESIGHT_ASSIGN_OR_RETURN(DimensionColumn dim, data.Dimension(TableKind::kOrders, options.by));
  if (dim.name == "customer") {
    return absl::InvalidArgumentError(
        "rfm: by 'customer' would make every customer a group of its own; RFM is already per "
        "customer");
  }
  RfmOptions o = options;
  // One as_of for every group: recencies compare across members.
  if (o.as_of == kNoDate && orders->size() > 0) o.as_of = orders->max_date() + 1;
  // Everything cheap before the partitioning, so a bad option fails once.
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckScoring(o, orders->money_scale()));
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CompileSegments(o, orders->money_scale()).status());
  Members m = GroupLines(dim, orders->size());
  SALESIGHT_ASSIGN_OR_RETURN(RfmResult out, o.by_scope == RfmByScope::kLines
                                                ? ByLines(*orders, std::move(m), o)
                                                : ByCustomer(*orders, m, o));
  out.by = dim.name;
  out.by_scope = o.by_scope;
  return out;
}

}  // namespace salesight
