// DMN XML and JSON tables: hand-written files in the standard's XML, the
// namespaces of DMN 1.1-1.5, errors that name the element, and hostile files.
#include "salesight/approval/table_loaders.hpp"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"

namespace salesight::approval {
namespace {

// Written by hand after DMN 1.3 (chapter 8 example style), with a prefix as
// some modelers write it.
constexpr const char* kDmn13 = R"(<?xml version="1.0" encoding="UTF-8"?>
<dmn:definitions xmlns:dmn="https://www.omg.org/spec/DMN/20191111/MODEL/"
    id="risk" name="Risk" namespace="http://example.com/risk">
  <dmn:decision id="riskLevel" name="Risk level">
    <dmn:decisionTable id="dt1" hitPolicy="UNIQUE">
      <dmn:input id="in1" label="Age">
        <dmn:inputExpression id="ie1" typeRef="number"><dmn:text>Age</dmn:text></dmn:inputExpression>
      </dmn:input>
      <dmn:input id="in2" label="Risk category">
        <dmn:inputExpression id="ie2" typeRef="string"><dmn:text>RiskCategory</dmn:text></dmn:inputExpression>
      </dmn:input>
      <dmn:output id="out1" name="level" typeRef="string">
        <dmn:outputValues><dmn:text>"High","Medium","Low"</dmn:text></dmn:outputValues>
      </dmn:output>
      <dmn:rule id="young">
        <dmn:description>under 18</dmn:description>
        <dmn:inputEntry id="e1"><dmn:text>&lt; 18</dmn:text></dmn:inputEntry>
        <dmn:inputEntry id="e2"><dmn:text>-</dmn:text></dmn:inputEntry>
        <dmn:outputEntry id="o1"><dmn:text>"High"</dmn:text></dmn:outputEntry>
      </dmn:rule>
      <dmn:rule id="adult">
        <dmn:inputEntry id="e3"><dmn:text>[18..65)</dmn:text></dmn:inputEntry>
        <dmn:inputEntry id="e4"><dmn:text>"Medium","Low"</dmn:text></dmn:inputEntry>
        <dmn:outputEntry id="o2"><dmn:text>"Medium"</dmn:text></dmn:outputEntry>
      </dmn:rule>
      <dmn:rule id="senior">
        <dmn:inputEntry id="e5"><dmn:text>&gt;= 65</dmn:text></dmn:inputEntry>
        <dmn:inputEntry id="e6"><dmn:text>not("High")</dmn:text></dmn:inputEntry>
        <dmn:outputEntry id="o3"><dmn:text>"Low"</dmn:text></dmn:outputEntry>
      </dmn:rule>
    </dmn:decisionTable>
  </dmn:decision>
  <dmn:decision id="discount" name="Discount">
    <dmn:decisionTable id="dt2" hitPolicy="COLLECT" aggregation="SUM">
      <dmn:input id="in3"><dmn:inputExpression typeRef="boolean"><dmn:text>vip</dmn:text></dmn:inputExpression></dmn:input>
      <dmn:input id="in4"><dmn:inputExpression typeRef="date"><dmn:text>signed</dmn:text></dmn:inputExpression></dmn:input>
      <dmn:output id="out2" name="pct" typeRef="number"/>
      <dmn:rule id="d1">
        <dmn:inputEntry><dmn:text>true</dmn:text></dmn:inputEntry>
        <dmn:inputEntry><dmn:text>-</dmn:text></dmn:inputEntry>
        <dmn:outputEntry><dmn:text>5</dmn:text></dmn:outputEntry>
      </dmn:rule>
      <dmn:rule id="d2">
        <dmn:inputEntry><dmn:text>-</dmn:text></dmn:inputEntry>
        <dmn:inputEntry><dmn:text>&lt; date("2025-01-01")</dmn:text></dmn:inputEntry>
        <dmn:outputEntry><dmn:text>2.5</dmn:text></dmn:outputEntry>
      </dmn:rule>
    </dmn:decisionTable>
  </dmn:decision>
</dmn:definitions>
)";

Value N(const char* s) { return Value::Number(*ParseNumber(s)); }

TEST(DmnLoader, HandWrittenDmn13) {
  absl::StatusOr<std::vector<DecisionTable>> tables = LoadDmn(kDmn13);
  ASSERT_TRUE(tables.ok()) << tables.status();
  ASSERT_EQ(tables->size(), 2u);
  const DecisionTable& risk = **FindDecision(*tables, "Risk level");
  EXPECT_EQ(risk.id, "riskLevel");
  EXPECT_EQ(risk.inputs[1].name, "RiskCategory");
  EXPECT_EQ(risk.rules[0].description, "under 18");
  EXPECT_EQ(risk.outputs[0].values.size(), 3u);
  auto level = [&](const char* age, const char* cat) {
    absl::StatusOr<DecisionResult> r = Evaluate(risk, {N(age), Value::String(cat)});
    EXPECT_TRUE(r.ok()) << r.status();
    return r->rules.empty() ? std::string("-") : risk.rules[r->rules[0]].outputs[0].text;
  };
  EXPECT_EQ(level("17", "High"), "High");
  EXPECT_EQ(level("18", "Medium"), "Medium");
  EXPECT_EQ(level("18", "High"), "-");
  EXPECT_EQ(level("65", "Medium"), "Low");
  EXPECT_EQ(level("65", "High"), "-");

  const DecisionTable& disc = **FindDecision(*tables, "discount");
  EXPECT_EQ(disc.hit_policy, HitPolicy::kCollect);
  EXPECT_EQ(disc.aggregator, Aggregator::kSum);
  absl::StatusOr<DecisionResult> r =
      Evaluate(disc, {Value::Bool(true), Value::Date(*ParseDate("2024-12-31"))});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->aggregate, N("7.5"));
  EXPECT_FALSE(FindDecision(*tables, "nope").ok());
}

// DMN 1.4 by hand: '!=' and null tests as modelers write them (RULE ORDER,
// so every matching rule shows).
TEST(DmnLoader, HandWrittenDmn14NotEqualAndNullTests) {
  constexpr const char* kXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20211108/MODEL/" id="d" name="D" namespace="http://example.com/d">
  <decision id="review" name="Review">
    <decisionTable id="t" hitPolicy="RULE ORDER">
      <input id="i1"><inputExpression typeRef="string"><text>region</text></inputExpression></input>
      <input id="i2"><inputExpression typeRef="number"><text>discount_pct</text></inputExpression></input>
      <output id="o" name="check" typeRef="string"/>
      <rule id="no-region"><inputEntry><text>null</text></inputEntry><inputEntry><text>-</text></inputEntry>
        <outputEntry><text>"region missing"</text></outputEntry></rule>
      <rule id="abroad"><inputEntry><text>!= "CN"</text></inputEntry><inputEntry><text>-</text></inputEntry>
        <outputEntry><text>"export"</text></outputEntry></rule>
      <rule id="discounted"><inputEntry><text>-</text></inputEntry><inputEntry><text>not(null, = 0)</text></inputEntry>
        <outputEntry><text>"discount"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
)";
  absl::StatusOr<std::vector<DecisionTable>> tables = LoadDmn(kXml);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const DecisionTable& t = tables->front();
  auto checks = [&](const Value& region, const Value& discount) {
    absl::StatusOr<DecisionResult> result = Evaluate(t, {region, discount});
    EXPECT_TRUE(result.ok()) << result.status();
    std::string out;
    if (!result.ok()) return out;
    for (std::size_t r : result->rules) absl::StrAppend(&out, t.rules[r].id, ";");
    return out;
  };
  EXPECT_EQ(checks(Value::Null(), Value::Null()), "no-region;");
  EXPECT_EQ(checks(Value::String("CN"), N("0")), "");
  EXPECT_EQ(checks(Value::String("CN"), N("0.5")), "discounted;");
  EXPECT_EQ(checks(Value::String("DE"), N("3")), "abroad;discounted;");
  EXPECT_EQ(checks(Value::Null(), N("3")), "no-region;discounted;");
}

TEST(DmnLoader, EveryDmnNamespaceFrom11To15) {
  const std::string ns13 = "https://www.omg.org/spec/DMN/20191111/MODEL/";
  for (const char* ns : {"http://www.omg.org/spec/DMN/20151101/dmn.xsd",
                         "http://www.omg.org/spec/DMN/20180521/MODEL/",
                         "https://www.omg.org/spec/DMN/20211108/MODEL/",
                         "https://www.omg.org/spec/DMN/20230324/MODEL/"}) {
    EXPECT_TRUE(LoadDmn(absl::StrReplaceAll(kDmn13, {{ns13, ns}})).ok()) << ns;
  }
  absl::StatusOr<std::vector<DecisionTable>> bad =
      LoadDmn(absl::StrReplaceAll(kDmn13, {{ns13, "http://example.com/not-dmn"}}));
  EXPECT_FALSE(bad.ok());
  // Without a prefix (the default namespace), as Camunda Modeler writes it.
  const std::string plain = absl::StrReplaceAll(kDmn13, {{"dmn:", ""}, {"xmlns:dmn", "xmlns"}});
  EXPECT_TRUE(LoadDmn(plain).ok()) << LoadDmn(plain).status();
}

void ExpectError(const std::string& xml, const std::string& needle) {
  absl::StatusOr<std::vector<DecisionTable>> r = LoadDmn(xml);
  ASSERT_FALSE(r.ok()) << needle;
  EXPECT_NE(std::string(r.status().message()).find(needle), std::string::npos) << r.status();
}

TEST(DmnLoader, UnsupportedFeelIsNamedByElement) {
  ExpectError(absl::StrReplaceAll(kDmn13, {{"[18..65)", "Age * 2 &gt; 30"}}),
              "rule 'adult' (#2), inputEntry 'e3' (input 'Age')");
  ExpectError(absl::StrReplaceAll(kDmn13, {{"\"Medium\"</dmn:text></dmn:outputEntry>",
                                            "upper case(x)</dmn:text></dmn:outputEntry>"}}),
              "outputEntry 'o2' (output 'level')");
  ExpectError(absl::StrReplaceAll(kDmn13, {{"<dmn:decisionTable id=\"dt2\" hitPolicy=\"COLLECT\" "
                                            "aggregation=\"SUM\">",
                                            "<dmn:literalExpression><dmn:text>1</dmn:text></"
                                            "dmn:literalExpression><dmn:decisionTableX>"},
                                           {"</dmn:decisionTable>\n  </dmn:decision>\n</dmn:",
                                            "</dmn:decisionTableX>\n  </dmn:decision>\n</dmn:"}}),
              "decision 'discount': its logic is");
  ExpectError(absl::StrReplaceAll(kDmn13, {{"hitPolicy=\"UNIQUE\"", "hitPolicy=\"SOMETIMES\""}}),
              "unknown hit policy 'SOMETIMES'");
  ExpectError(absl::StrReplaceAll(kDmn13, {{"\"Medium\"</dmn:text></dmn:outputEntry>",
                                            "\"Maybe\"</dmn:text></dmn:outputEntry>"}}),
              "rule 'adult' (#2), output 'level'");
  ExpectError("<definitions", "not well-formed XML");
}

TEST(DmnLoader, HostileFilesAreRefused) {
  // XXE: an external entity pointing at a host file.
  ExpectError(R"(<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="d">&xxe;</decision></definitions>)",
              "DOCTYPE is refused");
  // Billion laughs.
  std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
  for (int i = 1; i < 10; ++i) {
    absl::StrAppend(&laughs, "<!ENTITY lol", i, " \"");
    for (int k = 0; k < 10; ++k) absl::StrAppend(&laughs, "&lol", i == 1 ? "" : absl::StrCat(i - 1), ";");
    laughs += "\">";
  }
  laughs += R"(]><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/">&lol9;</definitions>)";
  ExpectError(laughs, "DOCTYPE is refused");
  // Deep nesting.
  std::string deep = R"(<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/">)";
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  deep += "</definitions>";
  ExpectError(deep, "nesting deeper than the limit");
  // Size and rule count.
  LoadLimits small;
  small.max_bytes = 100;
  EXPECT_FALSE(LoadDmn(kDmn13, small).ok());
  small = LoadLimits{};
  small.max_rules = 2;
  absl::StatusOr<std::vector<DecisionTable>> r = LoadDmn(kDmn13, small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("limit of 2"), std::string::npos);
}

TEST(JsonTableLoader, ObjectAndListFormsAndNamedErrors) {
  absl::StatusOr<DecisionTable> t = LoadDecisionTableJson(R"({"id": "route", "hit_policy": "FIRST",
    "inputs": [{"name": "amount", "type": "number"}, {"name": "tier", "type": "string"}],
    "outputs": [{"name": "chain", "type": "string"}, {"name": "flag", "type": "boolean"}],
    "rules": [{"id": "a", "when": {"amount": "< 49999.99"}, "then": {"chain": "x"}},
              {"id": "b", "when": ["-", "\"gold\""], "then": ["y", true]}]})");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->rules[0].inputs[1].any);
  EXPECT_EQ(t->rules[0].outputs[1], Value::Null());
  EXPECT_EQ(t->rules[1].outputs[1], Value::Bool(true));
  EXPECT_EQ(t->rules[0].inputs[0].items[0].hi.value, N("49999.99"));

  absl::StatusOr<DecisionTable> bad = LoadDecisionTableJson(R"({"id": "route",
    "inputs": [{"name": "amount", "type": "number"}], "outputs": [{"name": "c", "type": "string"}],
    "rules": [{"id": "ok", "when": ["< 1"], "then": ["x"]},
              {"id": "broken", "when": ["between 1 and 2"], "then": ["x"]}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("rule 'broken' (#2), input 'amount'"),
            std::string::npos)
      << bad.status();
  EXPECT_FALSE(LoadDecisionTableJson(R"({"id": "r", "inputs": [{"name": "a", "type": "number"}],
    "outputs": [{"name": "c", "type": "string"}], "rules": [{"when": {"b": "1"}, "then": ["x"]}]})")
                   .ok());
  EXPECT_FALSE(LoadDecisionTableJson("{").ok());
  std::string deep(100000, '[');
  absl::StatusOr<DecisionTable> d = LoadDecisionTableJson(deep + std::string(100000, ']'));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(std::string(d.status().message()).find("nesting deeper"), std::string::npos) << d.status();
}

}  // namespace
}  // namespace salesight::approval
