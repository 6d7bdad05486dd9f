// The query spec's JSON (salesight/query/spec.hpp): hand-written specs parse
// to the fields they say and round-trip through the canonical JSON; every op,
// grain, compare and totals mode; each class of error with its message; the
// bounds of an untrusted spec (bytes, nesting, filters, values) refused
// without building what they bound.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesight/query/spec.hpp"

namespace salesight {
namespace {

using ::testing::HasSubstr;

QuerySpec Parse(const std::string& json, const QueryLimits& limits = {}) {
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json, limits);
  EXPECT_TRUE(spec.ok()) << spec.status() << "\n" << json;
  return spec.ok() ? *spec : QuerySpec{};
}

std::string ErrorOf(const std::string& json, const QueryLimits& limits = {}) {
  absl::StatusOr<QuerySpec> spec = ParseQuerySpec(json, limits);
  EXPECT_FALSE(spec.ok()) << json;
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(spec.status().message());
}

void ExpectRoundTrip(const QuerySpec& spec) {
  const std::string json = QuerySpecJson(spec);
  absl::StatusOr<QuerySpec> again = ParseQuerySpec(json);
  ASSERT_TRUE(again.ok()) << again.status() << "\n" << json;
  EXPECT_EQ(*again, spec) << json;
  EXPECT_EQ(QuerySpecJson(*again), json);
}

TEST(QuerySpec, TheDocumentedExampleParsesToItsFields) {
  const QuerySpec s = Parse(R"({"version": 1,
    "measures": ["revenue", "margin_pct"],
    "dimensions": ["region", "Category", "order_date.quarter"],
    "time": {"dimension": "order_date", "grain": "month",
             "range": ["2024-01-01", "2024-12-31"], "compare": "last-year"},
    "filters": [{"member": "Category", "op": "equals", "values": ["Furniture"]},
                {"or": [{"member": "revenue", "op": "gt", "values": [1000]},
                        {"member": "region", "op": "notSet"}]}],
    "order": [{"member": "revenue", "desc": true}],
    "limit": 100, "offset": 5,
    "top": {"n": 10, "by": "revenue", "others": true},
    "totals": "subtotals"})");
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(s.measures, (std::vector<std::string>{"revenue", "margin_pct"}));
  EXPECT_EQ(s.dimensions, (std::vector<std::string>{"region", "Category", "order_date.quarter"}));
  ASSERT_TRUE(s.time.has_value());
  EXPECT_EQ(s.time->dimension, "order_date");
  EXPECT_EQ(s.time->grain, Grain(GrainUnit::kMonth));
  EXPECT_EQ(s.time->from, DayFromCivil(2024, 1, 1));
  EXPECT_EQ(s.time->to, DayFromCivil(2024, 12, 31));
  EXPECT_EQ(s.time->compare, QueryCompare::kLastYear);
  ASSERT_EQ(s.filters.size(), 2u);
  EXPECT_EQ(s.filters[0].kind, QueryFilter::Kind::kCondition);
  EXPECT_EQ(s.filters[0].member, "Category");
  EXPECT_EQ(s.filters[0].op, FilterOp::kEquals);
  EXPECT_EQ(s.filters[0].values, (std::vector<QueryValue>{std::string("Furniture")}));
  EXPECT_EQ(s.filters[1].kind, QueryFilter::Kind::kOr);
  ASSERT_EQ(s.filters[1].children.size(), 2u);
  EXPECT_EQ(s.filters[1].children[0].values, (std::vector<QueryValue>{std::int64_t{1000}}));
  EXPECT_EQ(s.filters[1].children[1].op, FilterOp::kNotSet);
  EXPECT_TRUE(s.filters[1].children[1].values.empty());
  ASSERT_EQ(s.order.size(), 1u);
  EXPECT_EQ(s.order[0].member, "revenue");
  EXPECT_TRUE(s.order[0].desc);
  EXPECT_EQ(s.limit, 100);
  EXPECT_EQ(s.offset, 5);
  ASSERT_TRUE(s.top.has_value());
  EXPECT_EQ(s.top->n, 10);
  EXPECT_EQ(s.top->by, "revenue");
  EXPECT_TRUE(s.top->others);
  EXPECT_EQ(s.totals, QueryTotals::kSubtotals);
  ExpectRoundTrip(s);
}

TEST(QuerySpec, DefaultsAndTheSmallestSpec) {
  const QuerySpec s = Parse(R"({"measures": ["revenue"]})");
  EXPECT_EQ(s.version, kQuerySpecVersion);
  EXPECT_TRUE(s.dimensions.empty());
  EXPECT_FALSE(s.time.has_value());
  EXPECT_FALSE(s.limit.has_value());
  EXPECT_EQ(s.offset, 0);
  EXPECT_FALSE(s.top.has_value());
  EXPECT_EQ(s.totals, QueryTotals::kNone);
  EXPECT_EQ(QuerySpecJson(s), R"({"version":1,"measures":["revenue"]})");
  // Defaults spelled out give the same spec, and the same canonical JSON.
  const QuerySpec spelled = Parse(R"({"version":1,"measures":["revenue"],"dimensions":[],
    "filters":[],"order":[],"offset":0,"totals":"none"})");
  EXPECT_EQ(spelled, s);
  EXPECT_EQ(QuerySpecJson(spelled), QuerySpecJson(s));
}

TEST(QuerySpec, CanonicalJsonIsCompactOrderedAndLeavesDefaultsOut) {
  const QuerySpec s = Parse(R"({"totals":"grand","top":{"others":false,"n":3},
    "time":{"compare":"previous","range":[null,"2024-02-29"],"grain":"fiscal_year:4",
            "dimension":"invoice_date"},
    "measures":["billed"],"version":1})");
  EXPECT_EQ(QuerySpecJson(s),
            R"({"version":1,"measures":["billed"],"time":{"dimension":"invoice_date",)"
            R"("grain":"fiscal_year:4","range":[null,"2024-02-29"],"compare":"previous"},)"
            R"("top":{"n":3},"totals":"grand"})");
  ExpectRoundTrip(s);
}

TEST(QuerySpec, EveryOpParsesAndRoundTrips) {
  struct Case {
    const char* op;
    FilterOp want;
    const char* values;
  };
  const Case cases[] = {
      {"equals", FilterOp::kEquals, R"(["a"])"},
      {"notEquals", FilterOp::kNotEquals, R"(["a", "b"])"},
      {"in", FilterOp::kIn, R"(["a", "b", "c"])"},
      {"notIn", FilterOp::kNotIn, R"(["a"])"},
      {"gt", FilterOp::kGt, R"([1])"},
      {"gte", FilterOp::kGte, R"([1.5])"},
      {"lt", FilterOp::kLt, R"([-2])"},
      {"lte", FilterOp::kLte, R"(["2024-01-31"])"},
      {"between", FilterOp::kBetween, R"(["2024-01-01", "2024-01-31"])"},
      {"contains", FilterOp::kContains, R"(["華東"])"},
      {"startsWith", FilterOp::kStartsWith, R"(["Off"])"},
      {"set", FilterOp::kSet, R"([])"},
      {"notSet", FilterOp::kNotSet, nullptr},
  };
  static_assert(std::size(cases) == kNumFilterOps);
  for (const Case& c : cases) {
    std::string filter = absl::StrCat(R"({"member":"m","op":")", c.op, "\"");
    if (c.values != nullptr) absl::StrAppend(&filter, R"(,"values":)", c.values);
    const QuerySpec s = Parse(absl::StrCat(R"({"measures":["revenue"],"filters":[)", filter, "}]}"));
    ASSERT_EQ(s.filters.size(), 1u) << c.op;
    EXPECT_EQ(s.filters[0].op, c.want) << c.op;
    EXPECT_EQ(FilterOpName(c.want), c.op);
    ExpectRoundTrip(s);
  }
}

TEST(QuerySpec, EveryGrainCompareAndTotalsMode) {
  const std::pair<const char*, Grain> grains[] = {
      {"day", GrainUnit::kDay},         {"week", GrainUnit::kIsoWeek},
      {"iso_week", GrainUnit::kIsoWeek}, {"month", GrainUnit::kMonth},
      {"quarter", GrainUnit::kQuarter}, {"year", GrainUnit::kYear},
      {"fiscal_year", Grain(GrainUnit::kFiscalYear, 1)},
      {"fiscal_year:7", Grain(GrainUnit::kFiscalYear, 7)}};
  for (const auto& [name, grain] : grains) {
    const QuerySpec s = Parse(absl::StrCat(
        R"({"measures":["revenue"],"time":{"dimension":"order_date","grain":")", name, "\"}}"));
    EXPECT_EQ(s.time->grain, grain) << name;
    ExpectRoundTrip(s);
  }
  const std::pair<const char*, QueryCompare> compares[] = {{"none", QueryCompare::kNone},
                                                           {"previous", QueryCompare::kPrevious},
                                                           {"last-year", QueryCompare::kLastYear},
                                                           {"target", QueryCompare::kTarget}};
  for (const auto& [name, compare] : compares) {
    const QuerySpec s = Parse(absl::StrCat(R"({"measures":["revenue"],"time":{"dimension":)",
                                           R"("order_date","grain":"month","compare":")", name,
                                           "\"}}"));
    EXPECT_EQ(s.time->compare, compare) << name;
    EXPECT_EQ(QueryCompareName(compare), name);
    ExpectRoundTrip(s);
  }
  const std::pair<const char*, QueryTotals> totals[] = {{"none", QueryTotals::kNone},
                                                        {"grand", QueryTotals::kGrand},
                                                        {"subtotals", QueryTotals::kSubtotals}};
  for (const auto& [name, mode] : totals) {
    const QuerySpec s =
        Parse(absl::StrCat(R"({"measures":["revenue"],"totals":")", name, "\"}"));
    EXPECT_EQ(s.totals, mode) << name;
    EXPECT_EQ(QueryTotalsName(mode), name);
    ExpectRoundTrip(s);
  }
}

TEST(QuerySpec, ValuesKeepTheirJsonKind) {
  const QuerySpec s = Parse(
      R"({"measures":["revenue"],"filters":[{"member":"m","op":"in","values":)"
      R"(["7", 7, 7.0, -0.5, 1e300, 9223372036854775807, -9223372036854775808, "\u00e9\n"]}]})");
  const std::vector<QueryValue> want = {std::string("7"),
                                        std::int64_t{7},
                                        7.0,
                                        -0.5,
                                        1e300,
                                        std::int64_t{9223372036854775807},
                                        std::numeric_limits<std::int64_t>::min(),
                                        std::string("\xc3\xa9\n")};
  EXPECT_EQ(s.filters[0].values, want);
  ExpectRoundTrip(s);
}

TEST(QuerySpecErrors, UnknownKeysOpsGrainsComparesAndTotalsNameTheValidOnes) {
  EXPECT_EQ(ErrorOf(R"({"mesures":["revenue"]})"),
            "query spec: unknown key 'mesures'. Did you mean 'measures'? Valid keys: 'version', "
            "'measures', 'dimensions', 'time', 'filters', 'order', 'limit', 'offset', 'top', "
            "'totals'");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"member":"a","op":"equal","values":["x"]}]})"),
            "query spec: filters[0].op: unknown op 'equal'. Did you mean 'equals'? Valid ops: "
            "'equals', 'notEquals', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'between', "
            "'contains', 'startsWith', 'set', 'notSet'");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","grain":"montth"}})"),
            "query spec: time.grain: unknown grain 'montth'. Did you mean 'month'? Valid grains: "
            "'day', 'week', 'month', 'quarter', 'year', 'fiscal_year', 'fiscal_year:M'");
  EXPECT_THAT(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","grain":"fiscal_year:13"}})"),
              HasSubstr("time.grain: grain 'fiscal_year:13': the fiscal year's start month must "
                        "be 1..12"));
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","compare":"lastyear"}})"),
            "query spec: time.compare: unknown compare 'lastyear'. Did you mean 'last-year'? "
            "Valid compares: 'none', 'previous', 'last-year', 'target'");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"totals":"subtotal"})"),
            "query spec: totals: unknown totals mode 'subtotal'. Did you mean 'subtotals'? Valid "
            "totals modes: 'none', 'grand', 'subtotals'");
  EXPECT_THAT(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"d","grian":"month"}})"),
              HasSubstr("time: unknown key 'grian'. Did you mean 'grain'?"));
  EXPECT_THAT(ErrorOf(R"({"measures":["revenue"],"top":{"n":3,"others":true,"byy":"x"}})"),
              HasSubstr("top: unknown key 'byy'. Did you mean 'by'?"));
  EXPECT_THAT(ErrorOf(R"({"measures":["revenue"],"order":[{"member":"x","descending":true}]})"),
              HasSubstr("order[0]: unknown key 'descending'"));
  EXPECT_THAT(ErrorOf(R"({"measures":["revenue"],"filters":[{"member":"x","op":"set","value":[]}]})"),
              HasSubstr("filters[0]: unknown key 'value'. Did you mean 'values'?"));
  EXPECT_EQ(ErrorOf(R"({"measures":["revenu"]})"),
            absl::StrCat("query spec: measures[0]: unknown measure 'revenu'. Did you mean "
                         "'revenue'? Valid measures: 'revenue', 'cost', 'costed_revenue', "
                         "'margin', 'margin_pct', 'quantity', 'lines', 'orders', 'customers', "
                         "'new_customers', 'returning_customers', 'aov', 'revenue_per_customer', "
                         "'return_amount', 'opportunities', 'won', 'lost', 'win_rate', "
                         "'pipeline_amount', 'weighted_pipeline', 'billed', 'collected', "
                         "'collection_rate', 'credit_sales', 'outstanding', 'overdue', 'dso', "
                         "'target', 'attainment_pct'"));
  EXPECT_EQ(ErrorOf(R"({"version":2,"measures":["revenue"]})"),
            "query spec: version: version 2 is not supported (supported: 1)");
  EXPECT_EQ(ErrorOf(R"({"dimensions":["region"]})"), "query spec: missing key 'measures'");
}

TEST(QuerySpecErrors, WrongJsonTypesNameTheirPath) {
  EXPECT_EQ(ErrorOf(R"(["revenue"])"), "query spec: expected an object, got an array");
  EXPECT_EQ(ErrorOf(R"({"measures":"revenue"})"),
            "query spec: measures: expected an array, got a string");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue", 3]})"),
            "query spec: measures[1]: expected a string, got an integer");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"limit":10.5})"),
            "query spec: limit: expected an integer >= 0, got the fractional number 10.5");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"limit":-1})"),
            "query spec: limit: expected an integer >= 0, got -1");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"offset":"5"})"),
            "query spec: offset: expected an integer >= 0, got a string");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"limit":18446744073709551615})"),
            "query spec: limit: 18446744073709551615 is too large");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"top":{"n":0}})"),
            "query spec: top.n: expected an integer >= 1, got 0");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"top":{"by":"revenue"}})"),
            "query spec: top: missing key 'n'");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"top":{"n":1,"others":"yes"}})"),
            "query spec: top.others: expected true or false, got a string");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[
      {"member":"a","op":"set"},{"member":"a","op":"set"},
      {"member":"a","op":"in","values":["x", null]}]})"),
            "query spec: filters[2].values[1]: expected a string or a number, got null");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"or":[{"and":[{"member":"a","op":"in","values":[true]}]}]}]})"),
            "query spec: filters[0].or[0].and[0].values[0]: expected a string or a number, got "
            "true/false");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":{"member":"a","op":"set"}})"),
            "query spec: filters: expected an array, got an object");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"member":"a","op":"in","values":"x"}]})"),
            "query spec: filters[0].values: expected an array, got a string");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"op":"set"}]})"),
            "query spec: filters[0]: missing key 'member'");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"and":[],"or":[]}]})"),
            "query spec: filters[0]: a group is an object with the one key 'and' or 'or' (a "
            "condition is {member, op, values})");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"and":[],"member":"x"}]})"),
            "query spec: filters[0]: a group is an object with the one key 'and' or 'or' (a "
            "condition is {member, op, values})");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","range":["2024-01-01"]}})"),
            "query spec: time.range: expected [from, to] (two dates or nulls), got an array of 1");
  EXPECT_THAT(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","range":["2024-01-01","2024-13-01"]}})"),
              HasSubstr("query spec: time.range[1]: "));
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","range":[20240101,null]}})"),
            "query spec: time.range[0]: expected a date \"YYYY-MM-DD\" or null, got an integer");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"time":{"dimension":"order_date","range":["2024-02-01","2024-01-31"]}})"),
            "query spec: time.range: from 2024-02-01 is after to 2024-01-31");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"time":{"grain":"month"}})"),
            "query spec: time: missing key 'dimension'");
}

TEST(QuerySpecErrors, OpArity) {
  auto with = [](const char* op, const char* values) {
    return absl::StrCat(R"({"measures":["revenue"],"filters":[{"member":"a","op":")", op,
                        R"(","values":)", values, "}]}");
  };
  EXPECT_EQ(ErrorOf(with("between", R"(["2024-01-01"])")),
            "query spec: filters[0].values: op 'between' takes exactly 2 values [low, high], got 1");
  EXPECT_EQ(ErrorOf(with("gt", "[1, 2]")),
            "query spec: filters[0].values: op 'gt' takes exactly 1 value, got 2");
  EXPECT_EQ(ErrorOf(with("lte", "[]")),
            "query spec: filters[0].values: op 'lte' takes exactly 1 value, got 0");
  EXPECT_EQ(ErrorOf(with("set", R"(["x"])")),
            "query spec: filters[0].values: op 'set' takes no values, got 1");
  EXPECT_EQ(ErrorOf(with("in", "[]")),
            "query spec: filters[0].values: op 'in' takes one or more values, got none");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"filters":[{"member":"a","op":"equals"}]})"),
            "query spec: filters[0].values: op 'equals' takes one or more values, got none");
}

TEST(QuerySpecErrors, InvalidJsonNamesTheBytePosition) {
  EXPECT_THAT(ErrorOf(R"({"measures": [revenue]})"), HasSubstr("not valid JSON at byte 15"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("query spec: not valid JSON at byte 1"));
  EXPECT_THAT(ErrorOf(R"({"measures": ["revenue"]} x)"), HasSubstr("not valid JSON at byte 27"));
  EXPECT_THAT(ErrorOf("{\"measures\": [\"\xff\"]}"), HasSubstr("not valid JSON at byte"));
  EXPECT_THAT(ErrorOf(R"({"measures": ["revenue"], /* no comments */ "limit": 1})"),
              HasSubstr("not valid JSON at byte"));
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"measures":["cost"]})"),
            "query spec: the key 'measures' appears twice in one object");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"top":{"n":1,"n":2}})"),
            "query spec: the key 'n' appears twice in one object");
}

// ---------------------------------------------------------------- bounds
TEST(QuerySpecBounds, OverOneMegabyteIsRefusedBeforeParsing) {
  std::string json = R"({"measures":["revenue"],"filters":[{"member":"a","op":"in","values":[")";
  json += std::string((1 << 20) + 1, 'x');
  json += "\"]}]}";
  EXPECT_EQ(ErrorOf(json), absl::StrCat("query spec: ", json.size(),
                                        " bytes, over the limit of 1048576 (QueryLimits::max_bytes)"));
  // The same text is fine under a larger limit.
  QueryLimits big;
  big.max_bytes = json.size();
  EXPECT_TRUE(ParseQuerySpec(json, big).ok());
}

TEST(QuerySpecBounds, DeepNestingStopsTheParser) {
  const std::string deep_arrays = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(ErrorOf(deep_arrays),
            "query spec: nested deeper than 32 levels of JSON arrays and objects "
            "(QueryLimits::max_depth)");
  std::string deep_filters = R"({"measures":["revenue"],"filters":)";
  for (int i = 0; i < 100000; ++i) deep_filters += R"([{"and":)";
  deep_filters += "[]";
  for (int i = 0; i < 100000; ++i) deep_filters += "}]";
  deep_filters += "}";
  EXPECT_THAT(ErrorOf(deep_filters), HasSubstr("nested deeper than 32 levels"));
  // Unterminated: still the depth error, not a crash or a parse of the rest.
  EXPECT_THAT(ErrorOf(std::string(100000, '{')), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorOf("{\"a\":" + std::string(100000, '[')), HasSubstr("nested deeper"));
}

TEST(QuerySpecBounds, NestingAtTheLimitParses) {
  // top object (1) > filters (2) > {or} (3) > [..] (4) > ... a condition with
  // values needs its values array: depth 1 + 2 k + 1 for k filter levels.
  QueryLimits limits;
  limits.max_depth = 8;
  auto nested = [](int groups) {
    std::string f = R"({"member":"a","op":"in","values":["x"]})";
    for (int i = 0; i < groups; ++i) f = absl::StrCat(R"({"or":[)", f, "]}");
    return absl::StrCat(R"({"measures":["revenue"],"filters":[)", f, "]}");
  };
  // groups = 2: object 1, filters 2, or 3, [ 4, or 5, [ 6, condition 7, values 8.
  absl::StatusOr<QuerySpec> ok = ParseQuerySpec(nested(2), limits);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(CheckQuerySpecShape(*ok, limits).ok());
  EXPECT_THAT(ErrorOf(nested(3), limits), HasSubstr("nested deeper than 8 levels"));
  QueryLimits tighter = limits;
  tighter.max_depth = 7;
  EXPECT_THAT(std::string(CheckQuerySpecShape(*ok, tighter).message()),
              HasSubstr("nested deeper than 7 levels"));
}

TEST(QuerySpecBounds, ManyFiltersAndValues) {
  std::string json = R"({"measures":["revenue"],"filters":[)";
  for (int i = 0; i < 100000; ++i) absl::StrAppend(&json, i ? "," : "", R"({"member":"a","op":"set"})");
  json += "]}";
  // Over a megabyte: refused by size first.
  EXPECT_THAT(ErrorOf(json), HasSubstr("over the limit of 1048576 (QueryLimits::max_bytes)"));
  QueryLimits big;
  big.max_bytes = 64 << 20;
  EXPECT_EQ(ErrorOf(json, big),
            "query spec: 100000 filters (conditions and and/or groups, all levels), over the "
            "limit of 1024 (QueryLimits::max_filters)");
  // Filters count over all levels: 2 groups of 600 conditions.
  std::string nested = R"({"measures":["revenue"],"filters":[)";
  for (int g = 0; g < 2; ++g) {
    absl::StrAppend(&nested, g ? "," : "", R"({"and":[)");
    for (int i = 0; i < 600; ++i) absl::StrAppend(&nested, i ? "," : "", R"({"member":"a","op":"set"})");
    nested += "]}";
  }
  nested += "]}";
  EXPECT_THAT(ErrorOf(nested), HasSubstr("1202 filters (conditions and and/or groups, all "
                                         "levels), over the limit of 1024"));
  std::string values = R"({"measures":["revenue"],"filters":[{"member":"a","op":"in","values":[)";
  for (int i = 0; i < 100001; ++i) absl::StrAppend(&values, i ? "," : "", i);
  values += "]}]}";
  EXPECT_EQ(ErrorOf(values, big),
            "query spec: 100001 filter values (all filters), over the limit of 100000 "
            "(QueryLimits::max_values)");
}

// A megabyte of many small objects in one array, or of many keys in one
// object, is read in linear time (nlohmann's callback parser rescans the
// array at each object's end; the duplicate-key check uses a set).
TEST(QuerySpecBounds, LongArraysOfObjectsAndWideObjects) {
  std::string order = R"({"measures":["revenue"],"order":[)";
  for (int i = 0; order.size() < (1 << 20) - 16; ++i) absl::StrAppend(&order, i ? "," : "", "{}");
  order += "]}";
  EXPECT_THAT(ErrorOf(order), HasSubstr("order items, over the limit of 32 (QueryLimits::max_order)"));
  std::string wide = R"({"measures":["revenue"],"time":{)";
  for (int i = 0; wide.size() < (1 << 20) - 64; ++i) absl::StrAppend(&wide, i ? "," : "", "\"k", i, "\":0");
  wide += R"(,"dimension":"order_date"}})";
  EXPECT_THAT(ErrorOf(wide), HasSubstr("query spec: time: unknown key 'k0'"));
}

TEST(QuerySpecBounds, MeasuresDimensionsAndOrderItems) {
  QueryLimits small;
  small.max_measures = 2;
  small.max_dimensions = 1;
  small.max_order = 1;
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue","cost","margin"]})", small),
            "query spec: 3 measures, over the limit of 2 (QueryLimits::max_measures)");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"dimensions":["a","b"]})", small),
            "query spec: 2 dimensions, over the limit of 1 (QueryLimits::max_dimensions)");
  EXPECT_EQ(ErrorOf(R"({"measures":["revenue"],"order":[{"member":"a"},{"member":"b"}]})", small),
            "query spec: 2 order items, over the limit of 1 (QueryLimits::max_order)");
  QuerySpec built;
  built.measures = {"revenue", "cost", "margin"};
  EXPECT_EQ(CheckQuerySpecShape(built, small).message(),
            "query spec: 3 measures, over the limit of 2 (QueryLimits::max_measures)");
}

}  // namespace
}  // namespace salesight
