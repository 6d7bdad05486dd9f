// The measure catalogue (salesight/query/measures.hpp): the issue's measures
// are all there, names are unique, a ratio's components are summed measures
// of the catalogue, each measure cites the calculator header it agrees with,
// and the README's measures table is the generated one.
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "salesight/query/measures.hpp"

namespace salesight {
namespace {

TEST(QueryMeasures, TheIssuesMeasuresAreDeclaredOnceWithTheirTables) {
  const std::pair<const char*, TableKind> want[] = {
      {"revenue", TableKind::kOrders}, {"cost", TableKind::kOrders},
      {"margin", TableKind::kOrders}, {"margin_pct", TableKind::kOrders},
      {"quantity", TableKind::kOrders}, {"lines", TableKind::kOrders},
      {"orders", TableKind::kOrders}, {"customers", TableKind::kOrders},
      {"new_customers", TableKind::kOrders}, {"returning_customers", TableKind::kOrders},
      {"aov", TableKind::kOrders}, {"revenue_per_customer", TableKind::kOrders},
      {"return_amount", TableKind::kOrders}, {"opportunities", TableKind::kPipeline},
      {"won", TableKind::kPipeline}, {"lost", TableKind::kPipeline},
      {"win_rate", TableKind::kPipeline}, {"pipeline_amount", TableKind::kPipeline},
      {"weighted_pipeline", TableKind::kPipeline}, {"billed", TableKind::kInvoices},
      {"collected", TableKind::kInvoices}, {"outstanding", TableKind::kInvoices},
      {"overdue", TableKind::kInvoices}, {"collection_rate", TableKind::kInvoices},
      {"dso", TableKind::kInvoices}, {"target", TableKind::kTargets},
      {"attainment_pct", TableKind::kTargets}};
  for (const auto& [name, table] : want) {
    absl::StatusOr<const QueryMeasure*> m = FindQueryMeasure(name);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ((*m)->table, table) << name;
  }
  std::set<std::string_view> names;
  for (const QueryMeasure& m : QueryMeasures()) {
    EXPECT_TRUE(names.insert(m.name).second) << "declared twice: " << m.name;
    EXPECT_FALSE(m.definition.empty()) << m.name;
    EXPECT_NE(m.source.find(".hpp"), std::string_view::npos) << m.name << " cites no header";
    EXPECT_FALSE(m.date.empty()) << m.name;
  }
}

TEST(QueryMeasures, ARatioIsARatioOfSummedComponents) {
  for (const QueryMeasure& m : QueryMeasures()) {
    if (m.aggregation != MeasureAggregation::kRatio) {
      EXPECT_TRUE(m.numerator.empty() && m.denominator.empty()) << m.name;
      continue;
    }
    ASSERT_FALSE(m.numerator.empty()) << m.name;
    ASSERT_FALSE(m.denominator.empty()) << m.name;
    for (const auto* side : {&m.numerator, &m.denominator}) {
      for (std::string_view c : *side) {
        absl::StatusOr<const QueryMeasure*> component = FindQueryMeasure(c);
        ASSERT_TRUE(component.ok()) << m.name << ": " << component.status();
        EXPECT_NE((*component)->aggregation, MeasureAggregation::kRatio)
            << m.name << " is a ratio of the ratio " << c;
      }
    }
  }
  // The percentages are x 100; the rates plain fractions; dso x days.
  auto measure = [](std::string_view name) { return **FindQueryMeasure(name); };
  EXPECT_EQ(measure("margin_pct").scale, RatioScale::kHundred);
  EXPECT_EQ(measure("attainment_pct").scale, RatioScale::kHundred);
  EXPECT_EQ(measure("win_rate").scale, RatioScale::kOne);
  EXPECT_EQ(measure("win_rate").denominator, (std::vector<std::string_view>{"won", "lost"}));
  EXPECT_EQ(measure("collection_rate").scale, RatioScale::kOne);
  EXPECT_EQ(measure("dso").scale, RatioScale::kDaysInPeriod);
  EXPECT_EQ(measure("orders").aggregation, MeasureAggregation::kDistinct);
  EXPECT_EQ(measure("outstanding").aggregation, MeasureAggregation::kSnapshot);
  // attainment reads both tables.
  EXPECT_EQ(MeasureTables(measure("attainment_pct")),
            (std::vector<TableKind>{TableKind::kTargets, TableKind::kOrders}));
}

TEST(QueryMeasures, UnknownNameSuggests) {
  absl::StatusOr<const QueryMeasure*> m = FindQueryMeasure("win_rat");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("unknown measure 'win_rat'. Did you mean 'win_rate'?"),
            std::string_view::npos)
      << m.status();
}

TEST(QueryMeasures, MarkdownHasARowPerMeasure) {
  const std::string md = QueryMeasuresMarkdown();
  EXPECT_EQ(md.rfind("| measure | table | aggregation | unit | definition | as in |\n", 0), 0u);
  EXPECT_NE(md.find("| `margin_pct` | orders | ratio | percent | 100 x margin / costed_revenue | "
                    "margin.hpp margin_pct |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `attainment_pct` | targets + orders | ratio | percent |"), std::string::npos);
  std::size_t rows = 0;
  for (char c : md) rows += c == '\n';
  EXPECT_EQ(rows, QueryMeasures().size() + 2);
}

TEST(QueryMeasures, ReadmeTableIsTheGeneratedOne) {
  std::ifstream in(std::string(SALESIGHT_TEST_DATA_DIR) + "/../../README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::string begin = "<!-- query:measures -->\n", end = "<!-- /query:measures -->";
  const std::size_t b = readme.find(begin), e = readme.find(end);
  ASSERT_NE(b, std::string::npos) << "README lacks " << begin;
  ASSERT_NE(e, std::string::npos) << "README lacks " << end;
  EXPECT_EQ(readme.substr(b + begin.size(), e - b - begin.size()), QueryMeasuresMarkdown())
      << "README's measures table drifted from the declaration (src/query/measures.cpp): put "
         "the generated table (QueryMeasuresMarkdown(), the second value above) between the "
         "markers";
}

}  // namespace
}  // namespace salesight
