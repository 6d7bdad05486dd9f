// DMN XML -> decision tables, with pugixml. The file is untrusted: see
// salesight/approval/table_loaders.hpp for what is refused and why.
#include <array>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "pugixml.hpp"
#include "salesight/approval/table_loaders.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

// The DMN MODEL namespaces whose decision-table elements are the same.
constexpr std::array<std::string_view, 5> kDmnNamespaces{
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",  // 1.1
    "http://www.omg.org/spec/DMN/20180521/MODEL/",   // 1.2
    "https://www.omg.org/spec/DMN/20191111/MODEL/",  // 1.3
    "https://www.omg.org/spec/DMN/20211108/MODEL/",  // 1.4
    "https://www.omg.org/spec/DMN/20230324/MODEL/",  // 1.5
};
constexpr std::string_view kFeel1 = "http://www.omg.org/spec/FEEL/20140401";

absl::Status Err(std::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(where), ": ", what));
}

// Element names carry the root's prefix ("dmn:decision") or none.
class Names {
 public:
  explicit Names(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string operator()(std::string_view local) const {
    return prefix_.empty() ? std::string(local) : absl::StrCat(prefix_, ":", std::string(local));
  }
  bool Is(const pugi::xml_node& n, std::string_view local) const { return n.name() == (*this)(local); }

 private:
  std::string prefix_;
};

// Depth of the deepest element, without recursion (the document is untrusted).
class DepthWalker : public pugi::xml_tree_walker {
 public:
  bool for_each(pugi::xml_node&) override {
    if (depth() > max_) max_ = depth();
    return true;
  }
  int max_ = 0;
};

absl::StatusOr<std::string> ElementText(const pugi::xml_node& parent, const Names& names,
                                        std::string_view where) {
  const pugi::xml_node text = parent.child(names("text").c_str());
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && !names.Is(c, "text") &&
        !names.Is(c, "description") && !names.Is(c, "extensionElements")) {
      return Err(where, absl::StrCat("element <", c.name(),
                                     "> is not supported (only a FEEL <text> is)"));
    }
  }
  const std::string lang = parent.attribute("expressionLanguage").value();
  if (!lang.empty() && lang != kFeel1 && lang.find("FEEL") == std::string::npos &&
      lang != "feel") {
    return Err(where, absl::StrCat("expressionLanguage '", lang, "' is not FEEL"));
  }
  return std::string(text.text().get());
}

absl::StatusOr<DecisionTable> ReadTable(const pugi::xml_node& decision,
                                        const pugi::xml_node& dt, const Names& names,
                                        const LoadLimits& limits) {
  DecisionTable t;
  t.id = decision.attribute("id").value();
  t.name = decision.attribute("name").value();
  const std::string where = absl::StrCat("decision '", t.id.empty() ? t.name : t.id, "'");
  const std::string hit = dt.attribute("hitPolicy").as_string("UNIQUE");
  absl::StatusOr<HitPolicy> p = ParseHitPolicy(hit);
  if (!p.ok()) return Err(where, p.status().message());
  t.hit_policy = *p;
  absl::StatusOr<Aggregator> a = ParseAggregator(dt.attribute("aggregation").value());
  if (!a.ok()) return Err(where, a.status().message());
  t.aggregator = *a;

  for (pugi::xml_node c : dt.children()) {
    if (c.type() != pugi::node_element) continue;
    if (names.Is(c, "input")) {
      const std::string cw = absl::StrCat(where, ", input #", t.inputs.size() + 1);
      if (t.inputs.size() >= limits.max_columns) return Err(cw, "too many input columns");
      InputColumn in;
      in.id = c.attribute("id").value();
      in.label = c.attribute("label").value();
      const pugi::xml_node expr = c.child(names("inputExpression").c_str());
      if (!expr) return Err(cw, "no <inputExpression>");
      SALESIGHT_ASSIGN_OR_RETURN(in.name, ElementText(expr, names, cw + ", inputExpression"));
      const std::string type = expr.attribute("typeRef").as_string("string");
      absl::StatusOr<ValueType> vt = ParseValueType(type);
      if (!vt.ok()) return Err(cw, vt.status().message());
      in.type = *vt;
      if (in.name.empty()) in.name = in.label;
      t.inputs.push_back(std::move(in));
    } else if (names.Is(c, "output")) {
      const std::string cw = absl::StrCat(where, ", output #", t.outputs.size() + 1);
      if (t.outputs.size() >= limits.max_columns) return Err(cw, "too many output columns");
      OutputColumn out;
      out.id = c.attribute("id").value();
      out.name = c.attribute("name").value();
      if (out.name.empty()) out.name = c.attribute("label").value();
      absl::StatusOr<ValueType> vt = ParseValueType(c.attribute("typeRef").as_string("string"));
      if (!vt.ok()) return Err(cw, vt.status().message());
      out.type = *vt;
      const pugi::xml_node values = c.child(names("outputValues").c_str());
      if (values) {
        SALESIGHT_ASSIGN_OR_RETURN(std::string text, ElementText(values, names, cw + ", outputValues"));
        // The allowed values are a FEEL list of literals: parse them as an
        // S-FEEL list and keep the equality items, in order.
        absl::StatusOr<UnaryTest> list = ParseUnaryTest(text, out.type);
        if (!list.ok()) return Err(cw + ", outputValues", list.status().message());
        if (list->null) return Err(cw + ", outputValues", "must be a list of literals");
        for (const Interval& iv : list->items) {
          if (list->negated || !iv.lo.present || !iv.hi.present || !(iv.lo == iv.hi)) {
            return Err(cw + ", outputValues", "must be a list of literals");
          }
          out.values.push_back(iv.lo.value);
        }
      }
      t.outputs.push_back(std::move(out));
    } else if (names.Is(c, "rule")) {
      if (t.rules.size() >= limits.max_rules) {
        return Err(where, absl::StrCat("more rules than the limit of ", limits.max_rules));
      }
      Rule rule;
      rule.id = c.attribute("id").value();
      const std::size_t r = t.rules.size();
      const std::string rw = rule.id.empty()
                                 ? absl::StrCat(where, ", rule #", r + 1)
                                 : absl::StrCat(where, ", rule '", rule.id, "' (#", r + 1, ")");
      for (pugi::xml_node e : c.children()) {
        if (e.type() != pugi::node_element) continue;
        if (names.Is(e, "inputEntry")) {
          const std::size_t col = rule.inputs.size();
          if (col >= t.inputs.size()) return Err(rw, "more inputEntry elements than inputs");
          const std::string ew = absl::StrCat(rw, ", inputEntry '", e.attribute("id").value(),
                                              "' (input '", t.inputs[col].name, "')");
          SALESIGHT_ASSIGN_OR_RETURN(std::string text, ElementText(e, names, ew));
          absl::StatusOr<UnaryTest> test = ParseUnaryTest(text, t.inputs[col].type);
          if (!test.ok()) return Err(ew, test.status().message());
          rule.inputs.push_back(*std::move(test));
        } else if (names.Is(e, "outputEntry")) {
          const std::size_t col = rule.outputs.size();
          if (col >= t.outputs.size()) return Err(rw, "more outputEntry elements than outputs");
          const std::string ew = absl::StrCat(rw, ", outputEntry '", e.attribute("id").value(),
                                              "' (output '", t.outputs[col].name, "')");
          SALESIGHT_ASSIGN_OR_RETURN(std::string text, ElementText(e, names, ew));
          absl::StatusOr<Value> v = text.empty() ? absl::StatusOr<Value>(Value::Null())
                                                 : ParseLiteral(text, t.outputs[col].type);
          if (!v.ok()) return Err(ew, v.status().message());
          rule.outputs.push_back(*std::move(v));
        } else if (names.Is(e, "description")) {
          rule.description = e.text().get();
        } else if (!names.Is(e, "annotationEntry") && !names.Is(e, "extensionElements")) {
          return Err(rw, absl::StrCat("element <", e.name(), "> is not supported"));
        }
      }
      t.rules.push_back(std::move(rule));
    } else if (!names.Is(c, "description") && !names.Is(c, "extensionElements") &&
               !names.Is(c, "annotation")) {
      return Err(where, absl::StrCat("element <", c.name(), "> is not supported"));
    }
  }
  SALESIGHT_RETURN_IF_ERROR(ValidateTable(t));
  return t;
}

}  // namespace

absl::StatusOr<std::vector<DecisionTable>> LoadDmn(std::string_view xml, const LoadLimits& limits) {
  if (xml.size() > limits.max_bytes) {
    return Err("DMN", absl::StrCat(xml.size(), " bytes exceed the limit of ", limits.max_bytes));
  }
  pugi::xml_document doc;
  // parse_doctype keeps a DOCTYPE as a node so that it can be refused; pugixml
  // never fetches external entities and expands only the five predefined
  // ones and character references.
  const unsigned options = pugi::parse_default | pugi::parse_doctype;
  const pugi::xml_parse_result res = doc.load_buffer(xml.data(), xml.size(), options,
                                                     pugi::encoding_utf8);
  if (!res) {
    return Err("DMN", absl::StrCat("not well-formed XML at offset ", res.offset, ": ",
                                   res.description()));
  }
  for (pugi::xml_node n : doc.children()) {
    if (n.type() == pugi::node_doctype) {
      return Err("DMN", "a DOCTYPE is refused (no DTDs or entities in policy files)");
    }
  }
  DepthWalker walker;
  doc.traverse(walker);
  if (walker.max_ >= limits.max_depth) {
    return Err("DMN", absl::StrCat("nesting deeper than the limit of ", limits.max_depth));
  }
  const pugi::xml_node root = doc.document_element();
  const std::string root_name = root.name();
  const std::size_t colon = root_name.find(':');
  const std::string prefix = colon == std::string::npos ? "" : root_name.substr(0, colon);
  const std::string local = colon == std::string::npos ? root_name : root_name.substr(colon + 1);
  if (local != "definitions") {
    return Err("DMN", absl::StrCat("the root element is <", root_name, ">, not <definitions>"));
  }
  const std::string ns =
      root.attribute(prefix.empty() ? "xmlns" : absl::StrCat("xmlns:", prefix).c_str()).value();
  bool known = false;
  for (std::string_view k : kDmnNamespaces) known = known || ns == k;
  if (!known) {
    return Err("DMN", absl::StrCat("namespace '", ns, "' is not a DMN 1.1-1.5 MODEL namespace"));
  }
  const Names names(prefix);
  std::vector<DecisionTable> tables;
  // The range keeps a pointer to the name: it must outlive the loop.
  const std::string decision_name = names("decision");
  for (pugi::xml_node d : root.children(decision_name.c_str())) {
    const std::string where = absl::StrCat("decision '", d.attribute("id").value(), "'");
    if (tables.size() >= limits.max_decisions) {
      return Err(where, absl::StrCat("more decisions than the limit of ", limits.max_decisions));
    }
    const pugi::xml_node dt = d.child(names("decisionTable").c_str());
    if (!dt) {
      std::string logic = "none";
      for (pugi::xml_node c : d.children()) {
        if (c.type() == pugi::node_element && !names.Is(c, "variable") &&
            !names.Is(c, "informationRequirement") && !names.Is(c, "description") &&
            !names.Is(c, "extensionElements") && !names.Is(c, "authorityRequirement") &&
            !names.Is(c, "knowledgeRequirement") && !names.Is(c, "question") &&
            !names.Is(c, "allowedAnswers")) {
          logic = absl::StrCat("<", c.name(), ">");
        }
      }
      return Err(where, absl::StrCat("its logic is ", logic,
                                     "; only <decisionTable> is supported"));
    }
    SALESIGHT_ASSIGN_OR_RETURN(DecisionTable t, ReadTable(d, dt, names, limits));
    tables.push_back(std::move(t));
  }
  if (tables.empty()) return Err("DMN", "no <decision> with a <decisionTable>");
  return tables;
}

}  // namespace salesight::approval
