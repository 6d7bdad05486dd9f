// Chinese and spreadsheet forms of dates and amounts (value_forms.hpp): every
// form accepted and rejected through an orders file (rejects name the line,
// the column and the value as written), and a random round trip: an exact
// amount or date written in each style and parsed back.
#include "ingest/internal/value_forms.hpp"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "ingest/internal/field_parsers.hpp"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"

namespace salesight::ingest {
namespace {

using testing_util::WriteScratch;

struct Case {
  std::string text;
  bool ok;
  std::int64_t want;      // day or minor units, when ok
  std::string fragment;   // in the reject reason, when not ok
};

std::string Quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// One row per case; `date_column` says which field the case text goes in.
void CheckThroughOrders(const std::vector<Case>& cases, bool date_column, IngestOptions o,
                        const std::string& suffix) {
  std::string csv = "order,date,customer,amount\n";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string date = date_column ? Quote(cases[i].text) : "2024-01-02";
    const std::string amount = date_column ? "1" : Quote(cases[i].text);
    csv += absl::StrFormat("%d,%s,C,%s\n", i + 1, date, amount);
  }
  o.money_scale = 2;
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> read = ReadOrdersCsv(WriteScratch(csv, suffix), o, dicts);
  ASSERT_TRUE(read.ok()) << read.status();
  const auto& col = read->table.columns();
  std::size_t accepted = 0, rejected = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::int64_t line = static_cast<std::int64_t>(i) + 2;
    if (c.ok) {
      ASSERT_LT(accepted, col.order_id.size()) << c.text;
      EXPECT_EQ(col.order_id[accepted], static_cast<std::int64_t>(i + 1)) << c.text;
      const std::int64_t got = date_column ? col.order_date[accepted] : col.amount[accepted];
      EXPECT_EQ(got, c.want) << c.text;
      ++accepted;
    } else {
      ASSERT_LT(rejected, read->report.rejects.size()) << c.text;
      const Reject& r = read->report.rejects[rejected++];
      EXPECT_EQ(r.line, line) << c.text;
      EXPECT_EQ(r.column, date_column ? "date" : "amount") << c.text;
      EXPECT_EQ(r.value, Trim(c.text)) << c.text;
      EXPECT_NE(r.reason.find(c.fragment), std::string::npos) << c.text << ": " << r.reason;
    }
  }
  EXPECT_EQ(read->report.accepted, static_cast<std::int64_t>(accepted));
  EXPECT_EQ(read->report.rejected, static_cast<std::int64_t>(rejected));
}

TEST(DateForms, AcceptedAndRejected) {
  const std::int64_t jan7 = DayFromCivil(2024, 1, 7);
  const std::vector<Case> cases = {
      {"2024年1月7日", true, jan7, ""},
      {"2024年01月07日 13:45:00", true, jan7, ""},
      {"2024年1月7日13:45", true, jan7, ""},
      {" 2024 年 1 月 7 日", true, jan7, ""},
      {"２０２４年１月７日", true, jan7, ""},
      {"2024年1月7号", true, jan7, ""},
      {"2024/1/7", true, jan7, ""},
      {"2024-1-7", true, jan7, ""},
      {"2024-01-07 13:45:00", true, jan7, ""},
      {"２０２４－０１－０７", true, jan7, ""},
      {"2024年13月1日", false, 0, "not a valid calendar date"},
      {"2024年2月30日", false, 0, "not a valid calendar date"},
      {"2024年1月", false, 0, "2024年1月7日"},
      {"2024年1月7日下午", false, 0, "2024年1月7日"},
      {"45293", false, 0, "'45293' would be 2024-01-02), read it with excel_dates"},
      {"２０２４－１３－０７", false, 0, "(read as '2024-13-07')"},
  };
  CheckThroughOrders(cases, true, IngestOptions{}, "dates");
}

TEST(DateForms, ExcelSerialsWithTheOption) {
  IngestOptions o;
  o.excel_dates = true;
  const std::vector<Case> cases = {
      {"45293", true, DayFromCivil(2024, 1, 2), ""},
      {"45293.75", true, DayFromCivil(2024, 1, 2), ""},
      {"1", true, DayFromCivil(1900, 1, 1), ""},
      {"59", true, DayFromCivil(1900, 2, 28), ""},
      {"61", true, DayFromCivil(1900, 3, 1), ""},
      {"20240107", true, DayFromCivil(2024, 1, 7), ""},  // 8 digits: %Y%m%d, not a serial
      {"2024年1月7日", true, DayFromCivil(2024, 1, 7), ""},
      {"60", false, 0, "1900-02-29, a day that never existed"},
      {"0", false, 0, "day 0"},
      {"123456", false, 0, "not a date"},
  };
  CheckThroughOrders(cases, true, o, "serials");
}

TEST(AmountForms, AcceptedAndRejected) {
  const std::vector<Case> cases = {
      {"¥1,234.50", true, 123450, ""},
      {"￥1,234.50", true, 123450, ""},
      {"1,234.50元", true, 123450, ""},
      {"1,234.50 元", true, 123450, ""},
      {"１，２３４．５０", true, 123450, ""},
      {"￥１２３４．５", true, 123450, ""},
      {"(1,234.50)", true, -123450, ""},
      {"1,234.50-", true, -123450, ""},
      {"¥1,234.50-", true, -123450, ""},
      {"-¥1,234.50", true, -123450, ""},
      {"1,234,567", true, 123456700, ""},
      {"－１２", true, -1200, ""},
      {"1,234", false, 0, "--thousands ','"},
      {"12.5%", false, 0, "a percentage"},
      {"12,34.5", false, 0, "(read as '12,34.5')"},
      {"abc元", false, 0, "not an amount"},
      {"1,234.567", false, 0, "decimals"},
  };
  CheckThroughOrders(cases, false, IngestOptions{}, "amounts");
  IngestOptions with_separator;
  with_separator.thousands_separator = ',';
  CheckThroughOrders({{"1,234", true, 123400, ""}, {"1,234元", true, 123400, ""}}, false,
                     with_separator, "separator");
  IngestOptions decimal_comma;
  decimal_comma.decimal_point = ',';
  CheckThroughOrders({{"1.234,50", true, 123450, ""},
                      {"1.234.567", true, 123456700, ""},
                      {"1.234", false, 0, "--thousands '.'"}},
                     false, decimal_comma, "comma");
}

std::string FullWidth(const std::string& s);

TEST(AmountForms, Percentages) {
  ExactRatio r;
  ASSERT_TRUE(ParsePercent("12.5%", &r));
  EXPECT_EQ(r.value, 125);
  EXPECT_EQ(r.scale, 3);
  ASSERT_TRUE(ParsePercent("１２．５％", &r));
  EXPECT_EQ(r.value, 125);
  ASSERT_TRUE(ParsePercent("-3%", &r));
  EXPECT_EQ(r.value, -3);
  EXPECT_EQ(r.scale, 2);
  ASSERT_TRUE(ParsePercent(" 0.5 %", &r));
  EXPECT_EQ(r.value, 5);
  EXPECT_EQ(r.scale, 3);
  for (const char* bad : {"12.5", "%", "(5%)", "¥5%", "1,2%", "5%%"}) {
    EXPECT_FALSE(ParsePercent(bad, &r)) << bad;
  }
  std::mt19937_64 rng(5);
  for (int i = 0; i < 300; ++i) {  // random exact percentages, written both widths
    const int decimals = static_cast<int>(rng() % 5);
    const auto value = static_cast<std::int64_t>(rng() % 2000000000) - 1000000000;
    const std::string text = FormatMoney(value, decimals) + "%";
    for (const std::string& t : {text, FullWidth(text)}) {
      ASSERT_TRUE(ParsePercent(t, &r)) << t;
      EXPECT_EQ(r.value, value) << t;
      EXPECT_EQ(r.scale, decimals + 2) << t;
    }
  }
}

// The percentage field: orders' margin as a percentage of the line amount.
TEST(AmountForms, MarginAsAPercentageOfTheAmount) {
  const std::string csv =
      "order,date,customer,amount,margin\n"
      "1,2024-01-02,C,100.00,12.5%\n"   // cost 87.50
      "2,2024-01-02,C,80.00,１０％\n"     // cost 72.00
      "3,2024-01-02,C,0.10,-5%\n"        // margin -0.005: cost 0.105 (scale 3)
      "4,2024-01-02,C,10.00,abc%\n"      // rejected
      "5,2024-01-02,C,10.00,2.50\n";     // a plain margin still works: cost 7.50
  IngestOptions o;
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> read = ReadOrdersCsv(WriteScratch(csv, "auto"), o, dicts);
  ASSERT_TRUE(read.ok()) << read.status();
  const auto& c = read->table.columns();
  ASSERT_EQ(read->table.money_scale(), 3);
  EXPECT_EQ(std::vector<Money>(c.cost.begin(), c.cost.end()),
            (std::vector<Money>{87500, 72000, 105, 7500}));
  ASSERT_EQ(read->report.rejects.size(), 1u);
  EXPECT_EQ(read->report.rejects[0].line, 5);
  EXPECT_EQ(read->report.rejects[0].column, "margin");
  EXPECT_EQ(read->report.rejects[0].value, "abc%");
  // At a fixed scale of 2 the -0.005 margin would need rounding: rejected.
  o.money_scale = 2;
  Dictionaries d2;
  read = ReadOrdersCsv(WriteScratch(csv, "fixed"), o, d2);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->report.rejects.size(), 2u);
  EXPECT_EQ(read->report.rejects[0].line, 4);
  EXPECT_NE(read->report.rejects[0].reason.find("-0.005"), std::string::npos)
      << read->report.rejects[0].reason;
}

// Full-width form of ASCII text (digits, separators, signs).
std::string FullWidth(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c > 0x20 && c < 0x7F) {
      const unsigned cp = 0xFF01 + static_cast<unsigned>(c - 0x21);
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += c;
    }
  }
  return out;
}

std::string Grouped(std::uint64_t units, char sep) {
  std::string digits = std::to_string(units);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

TEST(AmountForms, RandomRoundTripInEveryStyle) {
  std::mt19937_64 rng(19);
  const MoneyScale dot(2, '.', '\0');
  const MoneyScale comma(2, ',', '\0');
  for (int i = 0; i < 300; ++i) {
    const std::int64_t magnitude = static_cast<std::int64_t>(rng() % 100000000000000ull);
    const bool negative = rng() % 2 == 1;
    const std::int64_t want = negative ? -magnitude : magnitude;
    const std::string cents = absl::StrFormat("%02d", magnitude % 100);
    const std::uint64_t units = static_cast<std::uint64_t>(magnitude / 100);
    const std::string plain = std::to_string(units) + "." + cents;
    const std::string grouped = Grouped(units, ',') + "." + cents;
    const std::string euro = Grouped(units, '.') + "," + cents;
    std::vector<std::pair<std::string, const MoneyScale*>> styles;
    if (negative) {
      styles = {{"-" + plain, &dot},          {"(" + grouped + ")", &dot},
                {grouped + "-", &dot},        {"-¥" + grouped, &dot},
                {"￥" + grouped + "-", &dot}, {FullWidth("-" + grouped), &dot},
                {grouped + "元-", &dot},      {"-" + euro, &comma}};
    } else {
      styles = {{plain, &dot},           {"¥" + grouped, &dot}, {"￥" + grouped, &dot},
                {grouped + "元", &dot},  {FullWidth(grouped), &dot},
                {FullWidth("￥" + plain), &dot}, {euro, &comma}};
    }
    for (const auto& [text, scale] : styles) {
      ParsedMoney got;
      std::string_view kind;
      std::string detail;
      ASSERT_TRUE(scale->Parse(text, &got, &kind, &detail)) << text << ": " << detail;
      EXPECT_EQ(got.value, want) << text;
      EXPECT_EQ(got.scale, 2) << text;
    }
  }
}

TEST(DateForms, RandomRoundTripInEveryStyle) {
  std::mt19937 rng(7);
  DateParser parser(DateFormat::kAuto, /*excel_serial=*/true);  // one parser: forms interleave
  const Day serial_first = DayFromCivil(1900, 3, 1);
  const Day serial_last = DayFromCivil(1899, 12, 30) + 99999;
  for (int i = 0; i < 300; ++i) {
    const Day day = kMinDay + static_cast<Day>(rng() % static_cast<unsigned>(kMaxDay - kMinDay + 1));
    const CivilDate c = CivilFromDay(day);
    std::vector<std::string> styles = {
        absl::StrFormat("%d年%d月%d日", c.year, c.month, c.day),
        absl::StrFormat("%04d年%02d月%02d日 %02d:%02d:%02d", c.year, c.month, c.day,
                        rng() % 24, rng() % 60, rng() % 60),
        absl::StrFormat("%d/%d/%d", c.year, c.month, c.day),
        absl::StrFormat("%d-%d-%d", c.year, c.month, c.day),
        absl::StrFormat("%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, rng() % 24,
                        rng() % 60, rng() % 60),
        FullWidth(absl::StrFormat("%04d-%02d-%02d", c.year, c.month, c.day)),
    };
    if (day >= serial_first && day <= serial_last) {
      styles.push_back(std::to_string(day - DayFromCivil(1899, 12, 30)));
      styles.push_back(std::to_string(day - DayFromCivil(1899, 12, 30)) + ".25");
    }
    std::shuffle(styles.begin(), styles.end(), rng);
    for (const std::string& text : styles) {
      absl::StatusOr<Day> got = parser.Parse(text);
      ASSERT_TRUE(got.ok()) << text << ": " << got.status();
      EXPECT_EQ(*got, day) << text;
    }
  }
}

}  // namespace
}  // namespace salesight::ingest
