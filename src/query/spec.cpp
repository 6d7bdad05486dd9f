#include "salesight/query/spec.hpp"

#include <exception>
#include <limits>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/names.hpp"
#include "salesight/query/measures.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// ---------------------------------------------------------------- names
constexpr std::string_view kOpNames[kNumFilterOps] = {
    "equals", "notEquals", "in",      "notIn",    "gt",         "gte", "lt",
    "lte",    "between",   "contains", "startsWith", "set",     "notSet"};
constexpr std::string_view kCompareNames[] = {"none", "previous", "last-year", "target"};
constexpr std::string_view kTotalsNames[] = {"none", "grand", "subtotals"};
// The grain names ParseGrain knows, as a user would type them.
constexpr std::string_view kGrainNames[] = {"day",  "week",        "month",        "quarter",
                                            "year", "fiscal_year", "fiscal_year:M"};

constexpr std::string_view kTopKeys[] = {"version", "measures", "dimensions", "time", "filters",
                                         "order",   "limit",    "offset",     "top",  "totals"};
constexpr std::string_view kTimeKeys[] = {"dimension", "grain", "range", "compare"};
constexpr std::string_view kConditionKeys[] = {"member", "op", "values"};
constexpr std::string_view kOrderKeys[] = {"member", "desc"};
constexpr std::string_view kTopNKeys[] = {"n", "by", "others"};

template <std::size_t N>
std::vector<std::string> Names(const std::string_view (&names)[N]) {
  return std::vector<std::string>(std::begin(names), std::end(names));
}

// "unknown op 'equal'. Did you mean 'equals'? Valid ops: 'equals', ..."
std::string Unknown(std::string_view what, std::string_view name,
                    const std::vector<std::string>& valid) {
  return absl::StrFormat("unknown %s '%s'.%s Valid %ss: %s", what, name, DidYouMean(name, valid),
                         what, QuotedNames(valid));
}

absl::Status Error(const std::string& path, const std::string& message) {
  return absl::InvalidArgumentError(
      absl::StrFormat("query spec: %s%s", path.empty() ? "" : path + ": ", message));
}

absl::Status LimitError(std::string_view what, std::size_t count, std::size_t limit,
                        std::string_view limit_name) {
  return absl::InvalidArgumentError(
      absl::StrFormat("query spec: %d %s, over the limit of %d (QueryLimits::%s)", count, what,
                      limit, limit_name));
}

absl::Status DepthError(int max_depth) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "query spec: nested deeper than %d levels of JSON arrays and objects "
      "(QueryLimits::max_depth)",
      max_depth));
}

std::string Key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : absl::StrFormat("%s.%s", path, key);
}
std::string Index(const std::string& path, std::size_t i) {
  return absl::StrFormat("%s[%d]", path, i);
}

std::string_view TypeName(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "true/false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a fractional number";
    case Json::value_t::null: return "null";
    default: return "a value of another kind";
  }
}

absl::Status Expected(const std::string& path, std::string_view what, const Json& got) {
  return Error(path, absl::StrFormat("expected %s, got %s", what, TypeName(got)));
}

// The DOM of a spec, built by SAX events so that the nesting is checked as
// the parser goes (a container deeper than the limit stops it before anything
// below is read) and keys are unique per object. nlohmann's own callback
// parser is not used: it rescans the parent array at every object's end,
// quadratic in a long array of objects.
class BoundedDom {
 public:
  explicit BoundedDom(int max_depth) : max_depth_(max_depth) {}

  Json& root() { return root_; }
  bool too_deep() const { return too_deep_; }
  bool duplicate() const { return duplicate_; }
  const std::string& duplicate_key() const { return duplicate_key_; }
  const std::string& parse_error() const { return parse_error_; }
  std::size_t error_byte() const { return error_byte_; }

  bool null() { return Put(Json(nullptr)) != nullptr; }
  bool boolean(bool v) { return Put(Json(v)) != nullptr; }
  bool number_integer(Json::number_integer_t v) { return Put(Json(v)) != nullptr; }
  bool number_unsigned(Json::number_unsigned_t v) { return Put(Json(v)) != nullptr; }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return Put(Json(v)) != nullptr; }
  bool string(Json::string_t& v) { return Put(Json(std::move(v))) != nullptr; }
  bool binary(Json::binary_t&) { return false; }  // not in JSON text
  bool start_object(std::size_t) { return Open(Json::object(), true); }
  bool start_array(std::size_t) { return Open(Json::array(), false); }
  bool end_object() {
    keys_.pop_back();
    open_.pop_back();
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  bool key(Json::string_t& k) {
    if (!keys_.back().insert(k).second) {
      duplicate_ = true;
      duplicate_key_ = k;
      return false;
    }
    slot_ = &(*open_.back())[k];
    return true;
  }
  template <typename Exception>
  bool parse_error(std::size_t byte, const std::string&, const Exception& e) {
    error_byte_ = byte;
    // e.what(): "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
    parse_error_ = e.what();
    const std::size_t colon = parse_error_.find(": ");
    if (colon != std::string::npos) parse_error_ = parse_error_.substr(colon + 2);
    return false;
  }

 private:
  // Stores a value where the parser is; returns where it went. A pointer to
  // an open array's last element stays valid: nothing is appended to that
  // array while the element is open.
  Json* Put(Json v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json& top = *open_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }

  bool Open(Json container, bool is_object) {
    if (static_cast<int>(open_.size()) + 1 > max_depth_) {
      too_deep_ = true;
      return false;
    }
    open_.push_back(Put(std::move(container)));
    if (is_object) keys_.emplace_back();
    return true;
  }

  int max_depth_;
  Json root_;
  std::vector<Json*> open_;
  // Per open object (a set: an object may have many keys).
  std::vector<absl::flat_hash_set<std::string>> keys_;
  Json* slot_ = nullptr;                        // the value of the last key
  bool too_deep_ = false, duplicate_ = false;
  std::string duplicate_key_, parse_error_;
  std::size_t error_byte_ = 0;
};

absl::Status CheckVersion(std::int64_t version) {
  if (version == kQuerySpecVersion) return absl::OkStatus();
  return Error("version", absl::StrFormat("version %d is not supported (supported: %d)", version,
                                          kQuerySpecVersion));
}

// Each op's number of values (the file comment of spec.hpp).
absl::Status CheckArity(const QueryFilter& f, const std::string& path) {
  const std::size_t n = f.values.size();
  const std::string_view op = FilterOpName(f.op);
  switch (f.op) {
    case FilterOp::kGt: case FilterOp::kGte: case FilterOp::kLt: case FilterOp::kLte:
      if (n != 1) {
        return Error(Key(path, "values"),
                     absl::StrFormat("op '%s' takes exactly 1 value, got %d", op, n));
      }
      break;
    case FilterOp::kBetween:
      if (n != 2) {
        return Error(Key(path, "values"),
                     absl::StrFormat("op 'between' takes exactly 2 values [low, high], got %d",
                                     n));
      }
      break;
    case FilterOp::kSet: case FilterOp::kNotSet:
      if (n != 0) {
        return Error(Key(path, "values"),
                     absl::StrFormat("op '%s' takes no values, got %d", op, n));
      }
      break;
    default:
      if (n == 0) {
        return Error(Key(path, "values"),
                     absl::StrFormat("op '%s' takes one or more values, got none", op));
      }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- reading
class Reader {
 public:
  explicit Reader(const QueryLimits& limits) : limits_(limits) {}

  absl::StatusOr<QuerySpec> Spec(const Json& j) {
    if (!j.is_object()) return Expected("", "an object", j);
    SALESIGHT_RETURN_IF_ERROR(Keys(j, "", Names(kTopKeys)));
    QuerySpec spec;
    if (const Json* v = Find(j, "version")) {
      SALESIGHT_ASSIGN_OR_RETURN(spec.version, Integer(*v, "version", 0));
      SALESIGHT_RETURN_IF_ERROR(CheckVersion(spec.version));
    }
    const Json* measures = Find(j, "measures");
    if (measures == nullptr) return Error("", "missing key 'measures'");
    SALESIGHT_ASSIGN_OR_RETURN(spec.measures, StringList(*measures, "measures",
                                                         limits_.max_measures, "max_measures"));
    for (std::size_t i = 0; i < spec.measures.size(); ++i) {
      absl::StatusOr<const QueryMeasure*> m = FindQueryMeasure(spec.measures[i]);
      if (!m.ok()) return Error(Index("measures", i), std::string(m.status().message()));
    }
    if (const Json* v = Find(j, "dimensions")) {
      SALESIGHT_ASSIGN_OR_RETURN(spec.dimensions, StringList(*v, "dimensions",
                                                             limits_.max_dimensions,
                                                             "max_dimensions"));
    }
    if (const Json* v = Find(j, "time")) {
      SALESIGHT_ASSIGN_OR_RETURN(spec.time, Time(*v, "time"));
    }
    if (const Json* v = Find(j, "filters")) {
      SALESIGHT_ASSIGN_OR_RETURN(spec.filters, Filters(*v, "filters"));
    }
    if (const Json* v = Find(j, "order")) {
      SALESIGHT_RETURN_IF_ERROR(ArrayOf(*v, "order", limits_.max_order, "order items",
                                        "max_order"));
      for (std::size_t i = 0; i < v->size(); ++i) {
        const Json& o = (*v)[i];
        const std::string path = Index("order", i);
        if (!o.is_object()) return Expected(path, "an object {member, desc}", o);
        SALESIGHT_RETURN_IF_ERROR(Keys(o, path, Names(kOrderKeys)));
        QueryOrder item;
        SALESIGHT_ASSIGN_OR_RETURN(item.member, RequiredString(o, path, "member"));
        if (const Json* d = Find(o, "desc")) {
          SALESIGHT_ASSIGN_OR_RETURN(item.desc, Bool(*d, Key(path, "desc")));
        }
        spec.order.push_back(std::move(item));
      }
    }
    if (const Json* v = Find(j, "limit")) {
      SALESIGHT_ASSIGN_OR_RETURN(spec.limit, Integer(*v, "limit", 0));
    }
    if (const Json* v = Find(j, "offset")) {
      SALESIGHT_ASSIGN_OR_RETURN(spec.offset, Integer(*v, "offset", 0));
    }
    if (const Json* v = Find(j, "top")) {
      if (!v->is_object()) return Expected("top", "an object {n, by, others}", *v);
      SALESIGHT_RETURN_IF_ERROR(Keys(*v, "top", Names(kTopNKeys)));
      QueryTop top;
      const Json* n = Find(*v, "n");
      if (n == nullptr) return Error("top", "missing key 'n'");
      SALESIGHT_ASSIGN_OR_RETURN(top.n, Integer(*n, "top.n", 1));
      if (const Json* by = Find(*v, "by")) {
        SALESIGHT_ASSIGN_OR_RETURN(top.by, String(*by, "top.by"));
      }
      if (const Json* others = Find(*v, "others")) {
        SALESIGHT_ASSIGN_OR_RETURN(top.others, Bool(*others, "top.others"));
      }
      spec.top = std::move(top);
    }
    if (const Json* v = Find(j, "totals")) {
      SALESIGHT_ASSIGN_OR_RETURN(std::string name, String(*v, "totals"));
      SALESIGHT_ASSIGN_OR_RETURN(int i, Choose(name, "totals", "totals mode", Names(kTotalsNames)));
      spec.totals = static_cast<QueryTotals>(i);
    }
    return spec;
  }

 private:
  static const Json* Find(const Json& obj, std::string_view key) {
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  // Keys are checked in name order (nlohmann keeps an object in a std::map).
  static absl::Status Keys(const Json& obj, const std::string& path,
                           const std::vector<std::string>& valid) {
    for (const auto& [key, value] : obj.items()) {
      if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
        return Error(path, Unknown("key", key, valid));
      }
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<int> Choose(const std::string& name, const std::string& path,
                                    std::string_view what, const std::vector<std::string>& valid) {
    for (std::size_t i = 0; i < valid.size(); ++i) {
      if (valid[i] == name) return static_cast<int>(i);
    }
    return Error(path, Unknown(what, name, valid));
  }

  static absl::StatusOr<std::string> String(const Json& j, const std::string& path) {
    if (!j.is_string()) return Expected(path, "a string", j);
    return j.get<std::string>();
  }

  static absl::StatusOr<std::string> RequiredString(const Json& obj, const std::string& path,
                                                    std::string_view key) {
    const Json* v = Find(obj, key);
    if (v == nullptr) return Error(path, absl::StrFormat("missing key '%s'", key));
    return String(*v, Key(path, key));
  }

  static absl::StatusOr<bool> Bool(const Json& j, const std::string& path) {
    if (!j.is_boolean()) return Expected(path, "true or false", j);
    return j.get<bool>();
  }

  static absl::StatusOr<std::int64_t> Integer(const Json& j, const std::string& path,
                                              std::int64_t min) {
    const std::string what = absl::StrFormat("an integer >= %d", min);
    if (j.is_number_unsigned()) {
      if (j.get<std::uint64_t>() > static_cast<std::uint64_t>(
                                       std::numeric_limits<std::int64_t>::max())) {
        return Error(path, absl::StrFormat("%d is too large", j.get<std::uint64_t>()));
      }
    } else if (!j.is_number_integer()) {
      if (j.is_number_float()) {
        return Error(path, absl::StrFormat("expected %s, got the fractional number %s", what,
                                           j.dump()));
      }
      return Expected(path, what, j);
    }
    const std::int64_t v = j.get<std::int64_t>();
    if (v < min) return Error(path, absl::StrFormat("expected %s, got %d", what, v));
    return v;
  }

  absl::Status ArrayOf(const Json& j, const std::string& path, std::size_t max,
                       std::string_view what, std::string_view limit_name) const {
    if (!j.is_array()) return Expected(path, "an array", j);
    if (j.size() > max) return LimitError(what, j.size(), max, limit_name);
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::string>> StringList(const Json& j, const std::string& path,
                                                      std::size_t max,
                                                      std::string_view limit_name) const {
    SALESIGHT_RETURN_IF_ERROR(ArrayOf(j, path, max, path, limit_name));
    std::vector<std::string> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(std::string s, String(j[i], Index(path, i)));
      out.push_back(std::move(s));
    }
    return out;
  }

  absl::StatusOr<QueryTime> Time(const Json& j, const std::string& path) {
    if (!j.is_object()) return Expected(path, "an object {dimension, grain, range, compare}", j);
    SALESIGHT_RETURN_IF_ERROR(Keys(j, path, Names(kTimeKeys)));
    QueryTime time;
    SALESIGHT_ASSIGN_OR_RETURN(time.dimension, RequiredString(j, path, "dimension"));
    if (const Json* v = Find(j, "grain")) {
      SALESIGHT_ASSIGN_OR_RETURN(std::string name, String(*v, Key(path, "grain")));
      absl::StatusOr<Grain> grain = ParseQueryGrain(name);
      if (!grain.ok()) return Error(Key(path, "grain"), std::string(grain.status().message()));
      time.grain = *grain;
    }
    if (const Json* v = Find(j, "range")) {
      const std::string rpath = Key(path, "range");
      if (!v->is_array() || v->size() != 2) {
        return Error(rpath, absl::StrFormat("expected [from, to] (two dates or nulls), got %s",
                                            v->is_array() ? absl::StrFormat(
                                                                "an array of %d", v->size())
                                                          : std::string(TypeName(*v))));
      }
      Day* ends[2] = {&time.from, &time.to};
      for (std::size_t i = 0; i < 2; ++i) {
        const Json& d = (*v)[i];
        if (d.is_null()) continue;
        if (!d.is_string()) return Expected(Index(rpath, i), "a date \"YYYY-MM-DD\" or null", d);
        absl::StatusOr<Day> day = ParseDate(d.get<std::string>(), DateFormat::kIso);
        if (!day.ok()) return Error(Index(rpath, i), std::string(day.status().message()));
        *ends[i] = *day;
      }
      if (time.from != kNoDate && time.to != kNoDate && time.from > time.to) {
        return Error(rpath, absl::StrFormat("from %s is after to %s", FormatDate(time.from),
                                            FormatDate(time.to)));
      }
    }
    if (const Json* v = Find(j, "compare")) {
      SALESIGHT_ASSIGN_OR_RETURN(std::string name, String(*v, Key(path, "compare")));
      SALESIGHT_ASSIGN_OR_RETURN(int i, Choose(name, Key(path, "compare"), "compare",
                                               Names(kCompareNames)));
      time.compare = static_cast<QueryCompare>(i);
    }
    return time;
  }

  absl::StatusOr<std::vector<QueryFilter>> Filters(const Json& j, const std::string& path) {
    if (!j.is_array()) return Expected(path, "an array", j);
    filters_ += j.size();
    if (filters_ > limits_.max_filters) {
      return LimitError("filters (conditions and and/or groups, all levels)", filters_,
                        limits_.max_filters, "max_filters");
    }
    std::vector<QueryFilter> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(QueryFilter f, Filter(j[i], Index(path, i)));
      out.push_back(std::move(f));
    }
    return out;
  }

  absl::StatusOr<QueryFilter> Filter(const Json& j, const std::string& path) {
    if (!j.is_object()) {
      return Expected(path, "an object {member, op, values}, {and: [...]} or {or: [...]}", j);
    }
    QueryFilter f;
    const Json* group_and = Find(j, "and");
    const Json* group_or = Find(j, "or");
    if (group_and != nullptr || group_or != nullptr) {
      if (j.size() != 1) {
        return Error(path, "a group is an object with the one key 'and' or 'or' (a condition "
                           "is {member, op, values})");
      }
      f.kind = group_and != nullptr ? QueryFilter::Kind::kAnd : QueryFilter::Kind::kOr;
      const std::string gpath = Key(path, group_and != nullptr ? "and" : "or");
      SALESIGHT_ASSIGN_OR_RETURN(f.children, Filters(group_and != nullptr ? *group_and : *group_or,
                                                     gpath));
      return f;
    }
    SALESIGHT_RETURN_IF_ERROR(Keys(j, path, Names(kConditionKeys)));
    SALESIGHT_ASSIGN_OR_RETURN(f.member, RequiredString(j, path, "member"));
    SALESIGHT_ASSIGN_OR_RETURN(std::string op, RequiredString(j, path, "op"));
    SALESIGHT_ASSIGN_OR_RETURN(int i, Choose(op, Key(path, "op"), "op", Names(kOpNames)));
    f.op = static_cast<FilterOp>(i);
    if (const Json* v = Find(j, "values")) {
      const std::string vpath = Key(path, "values");
      if (!v->is_array()) return Expected(vpath, "an array", *v);
      values_ += v->size();
      if (values_ > limits_.max_values) {
        return LimitError("filter values (all filters)", values_, limits_.max_values,
                          "max_values");
      }
      f.values.reserve(v->size());
      for (std::size_t k = 0; k < v->size(); ++k) {
        const Json& x = (*v)[k];
        if (x.is_string()) {
          f.values.emplace_back(x.get<std::string>());
        } else if (x.is_number_integer() || x.is_number_unsigned()) {
          SALESIGHT_ASSIGN_OR_RETURN(std::int64_t n,
                                     Integer(x, Index(vpath, k),
                                             std::numeric_limits<std::int64_t>::min()));
          f.values.emplace_back(n);
        } else if (x.is_number_float()) {
          f.values.emplace_back(x.get<double>());
        } else {
          return Expected(Index(vpath, k), "a string or a number", x);
        }
      }
    }
    SALESIGHT_RETURN_IF_ERROR(CheckArity(f, path));
    return f;
  }

  const QueryLimits& limits_;
  std::size_t filters_ = 0, values_ = 0;
};

// ---------------------------------------------------------------- writing
OrderedJson FilterJson(const QueryFilter& f) {
  OrderedJson o = OrderedJson::object();
  if (f.kind != QueryFilter::Kind::kCondition) {
    OrderedJson children = OrderedJson::array();
    for (const QueryFilter& c : f.children) children.push_back(FilterJson(c));
    o[f.kind == QueryFilter::Kind::kAnd ? "and" : "or"] = std::move(children);
    return o;
  }
  o["member"] = f.member;
  o["op"] = std::string(FilterOpName(f.op));
  if (!f.values.empty()) {
    OrderedJson values = OrderedJson::array();
    for (const QueryValue& v : f.values) {
      std::visit([&](const auto& x) { values.push_back(x); }, v);
    }
    o["values"] = std::move(values);
  }
  return o;
}

// Filter nesting and counts of a C++-built spec, as ParseQuerySpec would see
// its canonical JSON: `filters` is an array at JSON depth `array_depth`, its
// items one level deeper, a condition's values array one more. The
// recursion stops at the depth limit.
absl::Status WalkFilters(const std::vector<QueryFilter>& filters, const std::string& path,
                         int array_depth, const QueryLimits& limits, std::size_t& count,
                         std::size_t& values) {
  if (array_depth > limits.max_depth) return DepthError(limits.max_depth);
  if (filters.empty()) return absl::OkStatus();
  if (array_depth + 1 > limits.max_depth) return DepthError(limits.max_depth);
  count += filters.size();
  if (count > limits.max_filters) {
    return LimitError("filters (conditions and and/or groups, all levels)", count,
                      limits.max_filters, "max_filters");
  }
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const QueryFilter& f = filters[i];
    const std::string item = Index(path, i);
    if (f.kind == QueryFilter::Kind::kAnd || f.kind == QueryFilter::Kind::kOr) {
      SALESIGHT_RETURN_IF_ERROR(WalkFilters(
          f.children, Key(item, f.kind == QueryFilter::Kind::kAnd ? "and" : "or"),
          array_depth + 2, limits, count, values));
      continue;
    }
    if (f.kind != QueryFilter::Kind::kCondition) return Error(item, "not a filter kind");
    if (static_cast<int>(f.op) >= kNumFilterOps) return Error(Key(item, "op"), "not an op");
    if (!f.values.empty() && array_depth + 2 > limits.max_depth) {
      return DepthError(limits.max_depth);
    }
    values += f.values.size();
    if (values > limits.max_values) {
      return LimitError("filter values (all filters)", values, limits.max_values, "max_values");
    }
    SALESIGHT_RETURN_IF_ERROR(CheckArity(f, item));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view FilterOpName(FilterOp op) {
  const auto i = static_cast<std::size_t>(op);
  return i < std::size(kOpNames) ? kOpNames[i] : "?";
}

std::string_view QueryCompareName(QueryCompare compare) {
  const auto i = static_cast<std::size_t>(compare);
  return i < std::size(kCompareNames) ? kCompareNames[i] : "?";
}

std::string_view QueryTotalsName(QueryTotals totals) {
  const auto i = static_cast<std::size_t>(totals);
  return i < std::size(kTotalsNames) ? kTotalsNames[i] : "?";
}

absl::StatusOr<Grain> ParseQueryGrain(std::string_view name) {
  absl::StatusOr<Grain> g = ParseGrain(name);
  if (g.ok()) return g;
  // A malformed fiscal start month keeps ParseGrain's own message.
  if (name.substr(0, 11) == "fiscal_year") return g.status();
  return absl::InvalidArgumentError(Unknown("grain", name, Names(kGrainNames)));
}

std::string QueryGrainText(Grain grain) {
  std::string name(GrainName(grain));
  if (grain.unit == GrainUnit::kFiscalYear && grain.fiscal_start_month != 1) {
    name += absl::StrFormat(":%d", grain.fiscal_start_month);
  }
  return name;
}

absl::StatusOr<QuerySpec> ParseQuerySpec(std::string_view json, const QueryLimits& limits) {
  if (json.size() > limits.max_bytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "query spec: %d bytes, over the limit of %d (QueryLimits::max_bytes)", json.size(),
        limits.max_bytes));
  }
  try {
    BoundedDom dom(limits.max_depth);
    if (!Json::sax_parse(json.begin(), json.end(), &dom, Json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false)) {
      if (dom.too_deep()) return DepthError(limits.max_depth);
      if (dom.duplicate()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "query spec: the key '%s' appears twice in one object", dom.duplicate_key()));
      }
      return absl::InvalidArgumentError(absl::StrFormat(
          "query spec: not valid JSON at byte %d: %s", dom.error_byte(), dom.parse_error()));
    }
    Reader reader(limits);
    return reader.Spec(dom.root());
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("query spec: out of memory while parsing");
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrFormat("query spec: %s", e.what()));
  }
}

std::string QuerySpecJson(const QuerySpec& spec) {
  OrderedJson o = OrderedJson::object();
  o["version"] = spec.version;
  o["measures"] = spec.measures;
  if (!spec.dimensions.empty()) o["dimensions"] = spec.dimensions;
  if (spec.time) {
    const QueryTime& t = *spec.time;
    OrderedJson time = OrderedJson::object();
    time["dimension"] = t.dimension;
    if (t.grain) time["grain"] = QueryGrainText(*t.grain);
    if (t.from != kNoDate || t.to != kNoDate) {
      OrderedJson range = OrderedJson::array();
      for (Day d : {t.from, t.to}) {
        range.push_back(d == kNoDate ? OrderedJson(nullptr) : OrderedJson(FormatDate(d)));
      }
      time["range"] = std::move(range);
    }
    if (t.compare != QueryCompare::kNone) time["compare"] = std::string(QueryCompareName(t.compare));
    o["time"] = std::move(time);
  }
  if (!spec.filters.empty()) {
    OrderedJson filters = OrderedJson::array();
    for (const QueryFilter& f : spec.filters) filters.push_back(FilterJson(f));
    o["filters"] = std::move(filters);
  }
  if (!spec.order.empty()) {
    OrderedJson order = OrderedJson::array();
    for (const QueryOrder& item : spec.order) {
      OrderedJson x = OrderedJson::object();
      x["member"] = item.member;
      if (item.desc) x["desc"] = true;
      order.push_back(std::move(x));
    }
    o["order"] = std::move(order);
  }
  if (spec.limit) o["limit"] = *spec.limit;
  if (spec.offset != 0) o["offset"] = spec.offset;
  if (spec.top) {
    OrderedJson top = OrderedJson::object();
    top["n"] = spec.top->n;
    if (!spec.top->by.empty()) top["by"] = spec.top->by;
    if (spec.top->others) top["others"] = true;
    o["top"] = std::move(top);
  }
  if (spec.totals != QueryTotals::kNone) o["totals"] = std::string(QueryTotalsName(spec.totals));
  // Invalid UTF-8 (only a C++-built spec can hold it) is replaced, not thrown.
  return o.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

absl::Status CheckQuerySpecShape(const QuerySpec& spec, const QueryLimits& limits) {
  SALESIGHT_RETURN_IF_ERROR(CheckVersion(spec.version));
  if (spec.measures.size() > limits.max_measures) {
    return LimitError("measures", spec.measures.size(), limits.max_measures, "max_measures");
  }
  if (spec.dimensions.size() > limits.max_dimensions) {
    return LimitError("dimensions", spec.dimensions.size(), limits.max_dimensions,
                      "max_dimensions");
  }
  if (spec.order.size() > limits.max_order) {
    return LimitError("order items", spec.order.size(), limits.max_order, "max_order");
  }
  if (spec.time) {
    const QueryTime& t = *spec.time;
    if (t.grain && (static_cast<int>(t.grain->unit) > static_cast<int>(GrainUnit::kFiscalYear) ||
                    t.grain->fiscal_start_month < 1 || t.grain->fiscal_start_month > 12)) {
      return Error("time.grain", "not a grain (a fiscal year starts in month 1..12)");
    }
    if (static_cast<std::size_t>(t.compare) >= std::size(kCompareNames)) {
      return Error("time.compare", "not a compare");
    }
    if (t.from != kNoDate && t.to != kNoDate && t.from > t.to) {
      return Error("time.range", absl::StrFormat("from %s is after to %s", FormatDate(t.from),
                                                 FormatDate(t.to)));
    }
  }
  if (spec.limit && *spec.limit < 0) {
    return Error("limit", absl::StrFormat("expected an integer >= 0, got %d", *spec.limit));
  }
  if (spec.offset < 0) {
    return Error("offset", absl::StrFormat("expected an integer >= 0, got %d", spec.offset));
  }
  if (spec.top && spec.top->n < 1) {
    return Error("top.n", absl::StrFormat("expected an integer >= 1, got %d", spec.top->n));
  }
  if (static_cast<std::size_t>(spec.totals) >= std::size(kTotalsNames)) {
    return Error("totals", "not a totals mode");
  }
  std::size_t count = 0, values = 0;
  if (spec.filters.empty()) return absl::OkStatus();
  return WalkFilters(spec.filters, "filters", 2, limits, count, values);
}

}  // namespace salesight
