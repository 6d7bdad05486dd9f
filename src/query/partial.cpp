// Query partials (salesight/query/partial.hpp): Aggregate's groups written
// with their members as labels, merged by key, and rebuilt into Groups in
// one member space (the labels' union, value order) for Finish.
//
// Bytes: CBOR of {"kind": "salesight.query.partial", "version": 1, "spec":
// canonical spec JSON, "scale": money scale, "dims": [{"name", "grain"
// ("" = a text member)}], "groups": [{"k": key, "s": sums, "o": order ids,
// "c": customer ids}]}. A key is [period ordinal (with time.grain), then per
// dimension its label (null = no member) or, for a period dimension, its
// ordinal]; sums are OrderSums' eight integers; ids are text, each once per
// group (with a grain every order id of the group's lines: the finish keeps
// an order in its first period over all partitions).
#include "salesight/query/partial.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight {
namespace {

using Json = nlohmann::json;
using query_internal::Groups;
using query_internal::IdSets;
using query_internal::MeasureId;
using query_internal::OrderSums;
using query_internal::Plan;

constexpr const char* kKind = "salesight.query.partial";
constexpr int kVersion = 1;

absl::Status Unsupported(const std::string& what) {
  return absl::UnimplementedError(absl::StrFormat(
      "query partial: %s needs all the lines at once; run it with RunQuery (salesight.query) "
      "instead of per partition",
      what));
}

absl::Status Corrupt(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrFormat("query partial: %s", what));
}

// What a partition cannot compute alone.
absl::Status CheckPartialSpec(const QuerySpec& spec) {
  for (const std::string& name : spec.measures) {
    const std::optional<MeasureId> id = query_internal::MeasureIdOf(name);
    if (!id || static_cast<int>(*id) > static_cast<int>(MeasureId::kReturnAmount)) {
      return Unsupported(absl::StrFormat("the measure '%s' (not an orders measure)", name));
    }
    if (*id == MeasureId::kNewCustomers || *id == MeasureId::kReturningCustomers) {
      return Unsupported(absl::StrFormat("the measure '%s' (first purchases ever)", name));
    }
  }
  if (spec.time && spec.time->compare != QueryCompare::kNone && spec.time->from != kNoDate) {
    return Unsupported("compare with a range start (the periods before the range)");
  }
  return absl::OkStatus();
}

std::array<std::int64_t, 8> SumsArray(const OrderSums& s) {
  return {s.revenue, s.cost, s.costed_revenue, s.returns, s.quantity, s.lines,
          s.cost_unknown_lines, s.cost_unknown_revenue};
}

OrderSums SumsOf(const Json& a) {
  OrderSums s;
  s.revenue = a.at(0).get<std::int64_t>();
  s.cost = a.at(1).get<std::int64_t>();
  s.costed_revenue = a.at(2).get<std::int64_t>();
  s.returns = a.at(3).get<std::int64_t>();
  s.quantity = a.at(4).get<std::int64_t>();
  s.lines = a.at(5).get<std::int64_t>();
  s.cost_unknown_lines = a.at(6).get<std::int64_t>();
  s.cost_unknown_revenue = a.at(7).get<std::int64_t>();
  return s;
}

absl::StatusOr<Json> Decode(std::string_view bytes) {
  Json j = Json::from_cbor(bytes.begin(), bytes.end(), true, false);
  if (j.is_discarded() || !j.is_object() || j.value("kind", "") != kKind) {
    return Corrupt("the bytes are not a query partial");
  }
  if (j.value("version", 0) != kVersion) {
    return Corrupt(absl::StrFormat("format version %d; this library reads %d",
                                   j.value("version", 0), kVersion));
  }
  return j;
}

std::string Encode(const Json& j) {
  const std::vector<std::uint8_t> bytes = Json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

// Sorted, each once.
void Unique(std::vector<std::string>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

absl::StatusOr<std::string> Partial(const Dataset& data, const QuerySpec& spec,
                                    const QueryRunOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(CheckPartialSpec(spec));
  SALESIGHT_ASSIGN_OR_RETURN(QueryPlanInfo info, CheckQuery(data, spec, options.limits));
  SALESIGHT_ASSIGN_OR_RETURN(Plan plan,
                             query_internal::BuildPlan(data, spec, info, options.limits));
  if (!plan.others.empty()) return Unsupported("a measure of another table than the orders");
  plan.all_order_ids = true;
  SALESIGHT_ASSIGN_OR_RETURN(Groups g, query_internal::Aggregate(plan, options));
  const OrderLinesColumns& c = plan.orders->columns();
  Json dims = Json::array();
  for (const query_internal::GroupDim& d : plan.dims) {
    dims.push_back({{"name", d.name}, {"grain", d.is_period ? QueryGrainText(d.grain) : ""}});
  }
  Json groups = Json::array();
  const GroupKeyer& k = *g.keyer;
  auto ids = [&](int which, std::int32_t slot, auto label) {
    std::vector<std::string> out;
    const IdSets& sets = g.sets[which];
    if (sets.begin.empty()) return out;
    for (auto x = sets.begin[static_cast<std::size_t>(slot)];
         x < sets.begin[static_cast<std::size_t>(slot) + 1]; ++x) {
      out.push_back(label(sets.ids[static_cast<std::size_t>(x)]));
    }
    Unique(out);
    return out;
  };
  for (const std::int32_t slot : k.CanonicalOrder()) {
    Json key = Json::array();
    if (plan.grain) key.push_back(k.Period(slot));
    for (std::size_t d = 0; d < plan.dims.size(); ++d) {
      const query_internal::GroupDim& dim = plan.dims[d];
      const Id code = k.Code(slot, static_cast<int>(d));
      if (dim.is_period) {
        key.push_back(dim.lo + code);
      } else if (code == kNoId) {
        key.push_back(nullptr);
      } else {
        key.push_back(DimensionLabel(dim.column.dictionary, code));
      }
    }
    Json group = {{"k", std::move(key)},
                  {"s", SumsArray(g.sums[static_cast<std::size_t>(slot)])}};
    if (plan.need_orders) {
      group["o"] = ids(query_internal::kDistinctOrders, slot, [&](std::int64_t id) {
        return c.orders ? std::string(c.orders->Code(static_cast<Id>(id))) : std::to_string(id);
      });
    }
    if (plan.need_customers) {
      group["c"] = ids(query_internal::kDistinctCustomers, slot, [&](std::int64_t id) {
        return DimensionLabel(c.customers, static_cast<Id>(id));
      });
    }
    groups.push_back(std::move(group));
  }
  return Encode({{"kind", kKind},
                 {"version", kVersion},
                 {"spec", QuerySpecJson(spec)},
                 {"scale", plan.money_scale},
                 {"dims", std::move(dims)},
                 {"groups", std::move(groups)}});
}

absl::StatusOr<std::string> Merge(std::string_view a_bytes, std::string_view b_bytes) {
  SALESIGHT_ASSIGN_OR_RETURN(Json a, Decode(a_bytes));
  SALESIGHT_ASSIGN_OR_RETURN(Json b, Decode(b_bytes));
  if (a.at("spec") != b.at("spec")) return Corrupt("the partials are of different specs");
  if (a.at("scale") != b.at("scale")) {
    return Corrupt(absl::StrFormat("the partials have different money scales (%d and %d)",
                                   a.at("scale").get<int>(), b.at("scale").get<int>()));
  }
  // By key (the key's JSON text), so the output order is the keys' and not
  // the partitions'.
  std::map<std::string, Json> by_key;
  for (Json* side : {&a, &b}) {
    for (Json& group : side->at("groups")) {
      const std::string key = group.at("k").dump();
      auto [it, inserted] = by_key.try_emplace(key, std::move(group));
      if (inserted) continue;
      // try_emplace left `group` in place: add it into the kept one.
      Json& into = it->second;
      std::array<std::int64_t, 8> s = into.at("s").get<std::array<std::int64_t, 8>>();
      const std::array<std::int64_t, 8> t = group.at("s").get<std::array<std::int64_t, 8>>();
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (__builtin_add_overflow(s[i], t[i], &s[i])) {
          return absl::OutOfRangeError(absl::StrFormat(
              "query partial: a sum of the group %s overflows int64", key));
        }
      }
      into["s"] = s;
      for (const char* set : {"o", "c"}) {
        if (!group.contains(set)) continue;
        std::vector<std::string> ids = into.value(set, std::vector<std::string>{});
        const std::vector<std::string> more = group.at(set).get<std::vector<std::string>>();
        ids.insert(ids.end(), more.begin(), more.end());
        Unique(ids);
        into[set] = std::move(ids);
      }
    }
  }
  Json groups = Json::array();
  for (auto& [key, group] : by_key) groups.push_back(std::move(group));
  a["groups"] = std::move(groups);
  return Encode(a);
}

absl::StatusOr<QueryResult> Finish(const QuerySpec& spec, std::string_view bytes) {
  SALESIGHT_RETURN_IF_ERROR(CheckPartialSpec(spec));
  SALESIGHT_ASSIGN_OR_RETURN(const Json j, Decode(bytes));
  if (j.at("spec").get<std::string>() != QuerySpecJson(spec)) {
    return Corrupt("the partial is of another spec than the one to finish");
  }
  Plan plan;
  for (const std::string& name : spec.measures) {
    plan.measures.push_back(*query_internal::MeasureIdOf(name));  // CheckPartialSpec
    plan.measure_names.push_back(name);
  }
  query_internal::SetMeasureNeeds(plan);
  query_internal::SetPlanTime(spec, plan);
  plan.money_scale = j.at("scale").get<int>();
  plan.max_groups = std::numeric_limits<std::int32_t>::max();
  for (const QueryFilter& f : spec.filters) {
    if (query_internal::SideOf(spec, f) == query_internal::FilterSide::kMeasures) {
      plan.having.push_back(&f);
    }
  }
  const Json& groups = j.at("groups");
  const Json& dims = j.at("dims");
  if (dims.size() != spec.dimensions.size()) return Corrupt("its dimensions are not the spec's");
  const std::size_t offset = plan.grain ? 1 : 0;
  // One member space per dimension: the labels' union in value order.
  for (std::size_t d = 0; d < dims.size(); ++d) {
    query_internal::GroupDim dim;
    dim.name = dims[d].at("name").get<std::string>();
    dim.column.name = dim.name;
    const std::string grain = dims[d].at("grain").get<std::string>();
    if (!grain.empty()) {
      SALESIGHT_ASSIGN_OR_RETURN(dim.grain, ParseQueryGrain(grain));
      dim.is_period = true;
      std::int32_t lo = 0, hi = -1;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto p = groups[g].at("k").at(offset + d).get<std::int32_t>();
        lo = g == 0 ? p : std::min(lo, p);
        hi = g == 0 ? p : std::max(hi, p);
      }
      if (std::int64_t{hi} - lo + 1 > std::numeric_limits<std::int32_t>::max()) {
        return Corrupt(absl::StrFormat("the periods of '%s' span more than 2^31", dim.name));
      }
      dim.lo = lo;
      dim.column.cardinality = hi - lo + 1;
    } else {
      std::vector<std::string> labels;
      for (const Json& g : groups) {
        const Json& part = g.at("k").at(offset + d);
        if (part.is_null()) {
          dim.column.may_be_missing = true;
        } else {
          labels.push_back(part.get<std::string>());
        }
      }
      Unique(labels);
      SALESIGHT_ASSIGN_OR_RETURN(Dictionary dict, Dictionary::FromCodes(labels));
      dict.Reorder(CanonicalOrder(dict));
      dim.column.cardinality = dict.size();
      dim.column.dictionary = std::make_shared<const Dictionary>(std::move(dict));
    }
    plan.dims.push_back(std::move(dim));
  }
  std::vector<DimensionColumn> columns;
  for (const query_internal::GroupDim& d : plan.dims) columns.push_back(d.column);
  std::optional<GroupPeriod> period;
  if (plan.grain) {
    GroupPeriod p;
    p.grain = *plan.grain;
    p.position = 0;
    period = p;
  }
  SALESIGHT_ASSIGN_OR_RETURN(GroupKeyer keyer, GroupKeyer::Make(std::move(columns), period));
  Groups g;
  g.keyer = std::move(keyer);
  std::vector<std::int32_t> slot_of(groups.size());
  std::vector<std::int32_t> key(offset + plan.dims.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Json& k = groups[i].at("k");
    if (k.size() != key.size()) return Corrupt("a group key has the wrong number of parts");
    if (plan.grain) key[0] = k.at(0).get<std::int32_t>();
    for (std::size_t d = 0; d < plan.dims.size(); ++d) {
      const query_internal::GroupDim& dim = plan.dims[d];
      const Json& part = k.at(offset + d);
      key[offset + d] = dim.is_period ? part.get<std::int32_t>() - dim.lo
                        : part.is_null()
                            ? kNoId
                            : dim.column.dictionary->Find(part.get<std::string>());
    }
    SALESIGHT_ASSIGN_OR_RETURN(slot_of[i], g.keyer->SlotOfKey(key));
  }
  g.sums.resize(static_cast<std::size_t>(g.keyer->num_slots()));
  for (std::size_t i = 0; i < groups.size(); ++i) {
    g.sums[static_cast<std::size_t>(slot_of[i])] = SumsOf(groups[i].at("s"));
  }
  // Distinct ids as dense numbers (a stamp array counts them); with a grain
  // an order counts in the period of its earliest line only.
  auto sets_of = [&](const char* name, bool first_period_only) {
    absl::flat_hash_map<std::string, std::int64_t> dense;
    absl::flat_hash_map<std::string, std::int32_t> first;
    if (first_period_only) {
      for (std::size_t i = 0; i < groups.size(); ++i) {
        const std::int32_t p = g.keyer->Period(slot_of[i]);
        for (const Json& id : groups[i].value(name, Json::array())) {
          auto [it, inserted] = first.try_emplace(id.get<std::string>(), p);
          if (!inserted) it->second = std::min(it->second, p);
        }
      }
    }
    std::vector<std::vector<std::int64_t>> per_slot(static_cast<std::size_t>(g.keyer->num_slots()));
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const std::int32_t slot = slot_of[i];
      for (const Json& id : groups[i].value(name, Json::array())) {
        const std::string text = id.get<std::string>();
        if (first_period_only && first.at(text) != g.keyer->Period(slot)) continue;
        const auto [it, inserted] =
            dense.try_emplace(text, static_cast<std::int64_t>(dense.size()));
        per_slot[static_cast<std::size_t>(slot)].push_back(it->second);
      }
    }
    IdSets sets;
    sets.begin.push_back(0);
    for (const std::vector<std::int64_t>& ids : per_slot) {
      sets.ids.insert(sets.ids.end(), ids.begin(), ids.end());
      sets.begin.push_back(static_cast<std::int64_t>(sets.ids.size()));
    }
    sets.lo = 0;
    sets.span = static_cast<std::int64_t>(dense.size());
    return sets;
  };
  if (plan.need_orders) {
    query_internal::SetDistinct(g, query_internal::kDistinctOrders,
                                sets_of("o", plan.grain.has_value()));
  }
  if (plan.need_customers) {
    query_internal::SetDistinct(g, query_internal::kDistinctCustomers, sets_of("c", false));
  }
  return query_internal::Finish(plan, spec, std::move(g), nullptr, nullptr);
}

// The JSON library reports malformed input by exceptions; none leaves here.
template <typename F>
auto Guarded(F f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return Corrupt(absl::StrFormat("the bytes do not hold a valid partial (%s)", e.what()));
  }
}

}  // namespace

absl::StatusOr<std::string> QueryPartial(const Dataset& data, const QuerySpec& spec,
                                         const QueryRunOptions& options) {
  return Guarded([&] { return Partial(data, spec, options); });
}

absl::StatusOr<std::string> MergeQueryPartials(std::string_view a, std::string_view b) {
  return Guarded([&] { return Merge(a, b); });
}

absl::StatusOr<QueryResult> FinishQueryPartial(const QuerySpec& spec, std::string_view partial) {
  return Guarded([&] { return Finish(spec, partial); });
}

}  // namespace salesight
