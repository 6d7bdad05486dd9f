// The RFC 4180 tokenizer: one test per edge case, plus a property test against a
// plain reference parser over random inputs and every chunk size.
#include "ingest/internal/csv_reader.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/csv.hpp"

namespace salesight::ingest {
namespace {

// Scratch files go to /dev/shm when it exists: on this project's CI disks a
// truncating open costs ~20 ms, which hundreds of property-test files add up.
std::string ScratchDir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("TEST_TMPDIR")) return std::string(env);
    if (::access("/dev/shm", W_OK) == 0) return std::string("/dev/shm");
    return ::testing::TempDir();
  }();
  return dir;
}

struct Rec {
  std::int64_t line = 0;
  std::vector<std::string> fields;
  RecordProblem problem = RecordProblem::kNone;
  std::int64_t problem_line = 0;
  bool operator==(const Rec& o) const {
    return line == o.line && fields == o.fields && problem == o.problem &&
           (problem == RecordProblem::kNone || problem_line == o.problem_line);
  }
};

std::ostream& operator<<(std::ostream& os, const Rec& r) {
  os << "{line " << r.line << " problem " << static_cast<int>(r.problem) << "@"
     << r.problem_line << ":";
  for (const std::string& f : r.fields) os << " [" << f << "]";
  return os << "}";
}

std::vector<Rec> ReadAll(std::string_view data, CsvReaderOptions o = {}) {
  auto reader = CsvReader::FromBuffer(data, o);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<Rec> out;
  CsvRecord r;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&r);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    Rec rec;
    rec.line = r.line;
    for (std::string_view f : r.fields) rec.fields.emplace_back(f);
    rec.problem = r.problem;
    rec.problem_line = r.problem_line;
    out.push_back(rec);
  }
  return out;
}

Rec R(std::int64_t line, std::vector<std::string> fields) { return Rec{line, std::move(fields)}; }

// ------------------------------------------------------------ reference parser
// Plain state machine, one character at a time, building std::strings. Same
// rules as csv.hpp states them; written independently of the chunked reader.
std::vector<Rec> RefParse(std::string s, char d, char q) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  std::vector<Rec> out;
  std::size_t i = 0;
  std::int64_t line = 1;
  const std::size_t n = s.size();
  auto eat_newline = [&] {  // s[i] is CR or LF
    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
      i += 2;
    } else {
      i += 1;
    }
    ++line;
  };
  while (i < n) {
    Rec r;
    r.line = line;
    std::string f;
    enum { kStart, kUnquoted, kQuoted, kClosed } st = kStart;
    bool consumed = false;  // any byte of the record before its terminator
    std::int64_t quote_line = 0;
    while (true) {
      if (i == n) {
        if (st == kQuoted) {
          r.problem = RecordProblem::kUnterminatedQuote;
          r.problem_line = quote_line;
        }
        r.fields.push_back(f);
        break;
      }
      const char c = s[i];
      const bool nl = c == '\n' || c == '\r';
      if (st == kStart) {
        if (c == q) {
          st = kQuoted;
          quote_line = line;
          consumed = true;
          ++i;
        } else {
          st = kUnquoted;
        }
        continue;
      }
      if (st == kUnquoted) {
        if (c == d) {
          r.fields.push_back(f);
          f.clear();
          st = kStart;
          consumed = true;
          ++i;
        } else if (nl) {
          eat_newline();
          r.fields.push_back(f);
          break;
        } else {
          f += c;
          consumed = true;
          ++i;
        }
        continue;
      }
      if (st == kQuoted) {
        if (c == q) {
          if (i + 1 < n && s[i + 1] == q) {
            f += q;
            i += 2;
          } else {
            st = kClosed;
            ++i;
          }
        } else if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
          f += "\r\n";
          i += 2;
          ++line;
        } else {
          if (nl) ++line;
          f += c;
          ++i;
        }
        continue;
      }
      // kClosed
      if (c == d) {
        r.fields.push_back(f);
        f.clear();
        st = kStart;
        ++i;
      } else if (nl) {
        eat_newline();
        r.fields.push_back(f);
        break;
      } else {
        if (r.problem == RecordProblem::kNone) {
          r.problem = RecordProblem::kTextAfterQuote;
          r.problem_line = quote_line;
        }
        ++i;
      }
    }
    const bool blank = r.fields.size() == 1 && r.fields[0].empty() && !consumed &&
                       r.problem == RecordProblem::kNone;
    if (!blank) out.push_back(r);
  }
  return out;
}

// ------------------------------------------------------------ edge cases
TEST(CsvReader, PlainFieldsLf) {
  EXPECT_EQ(ReadAll("a,b\n1,2\n"), (std::vector<Rec>{R(1, {"a", "b"}), R(2, {"1", "2"})}));
}

TEST(CsvReader, LastLineWithoutTerminator) {
  EXPECT_EQ(ReadAll("a,b\n1,2"), (std::vector<Rec>{R(1, {"a", "b"}), R(2, {"1", "2"})}));
}

TEST(CsvReader, Crlf) {
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n3,4"),
            (std::vector<Rec>{R(1, {"a", "b"}), R(2, {"1", "2"}), R(3, {"3", "4"})}));
}

TEST(CsvReader, LoneCrEndsARecord) {
  EXPECT_EQ(ReadAll("a,b\r1,2\r"), (std::vector<Rec>{R(1, {"a", "b"}), R(2, {"1", "2"})}));
}

TEST(CsvReader, Utf8BomIsSkipped) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFid,name\n1,x\n"),
            (std::vector<Rec>{R(1, {"id", "name"}), R(2, {"1", "x"})}));
}

TEST(CsvReader, QuotedFieldWithDelimiterAndDoubledQuotes) {
  EXPECT_EQ(ReadAll("\"Bush Somerset, 3-Shelf\",\"12\"\" pipe\",\"\"\"\"\n"),
            (std::vector<Rec>{R(1, {"Bush Somerset, 3-Shelf", "12\" pipe", "\""})}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_EQ(ReadAll("12\" pipe,x\n"), (std::vector<Rec>{R(1, {"12\" pipe", "x"})}));
}

TEST(CsvReader, EmbeddedNewlinesKeepFileLineNumbers) {
  // Record 2 spans lines 2-4 (LF and CRLF inside quotes); the next starts at line 5.
  EXPECT_EQ(ReadAll("h1,h2\n1,\"line one\nline two\r\nline three\"\n2,x\n"),
            (std::vector<Rec>{R(1, {"h1", "h2"}), R(2, {"1", "line one\nline two\r\nline three"}),
                              R(5, {"2", "x"})}));
}

TEST(CsvReader, EmptyFields) {
  EXPECT_EQ(ReadAll(",\n,,\"\"\na,\n"),
            (std::vector<Rec>{R(1, {"", ""}), R(2, {"", "", ""}), R(3, {"a", ""})}));
}

TEST(CsvReader, TrailingDelimiterAtEndOfInput) {
  EXPECT_EQ(ReadAll("a,"), (std::vector<Rec>{R(1, {"a", ""})}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  EXPECT_EQ(ReadAll("a\n\n\r\nb\n\n"), (std::vector<Rec>{R(1, {"a"}), R(4, {"b"})}));
}

TEST(CsvReader, QuotedEmptyLineIsARecord) {
  EXPECT_EQ(ReadAll("a\n\"\"\n"), (std::vector<Rec>{R(1, {"a"}), R(2, {""})}));
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineItOpened) {
  std::vector<Rec> got = ReadAll("a,b\n1,2\n3,\"never\nclosed,4\n");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].line, 3);
  EXPECT_EQ(got[2].problem, RecordProblem::kUnterminatedQuote);
  EXPECT_EQ(got[2].problem_line, 3);
  EXPECT_EQ(got[2].fields, (std::vector<std::string>{"3", "never\nclosed,4\n"}));
}

TEST(CsvReader, TextAfterClosingQuoteIsFlagged) {
  std::vector<Rec> got = ReadAll("\"ab\"cd,e\nf,g\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].problem, RecordProblem::kTextAfterQuote);
  EXPECT_EQ(got[0].fields, (std::vector<std::string>{"ab", "e"}));
  EXPECT_EQ(got[1], R(2, {"f", "g"}));
}

struct DelimiterCase {
  char delimiter;
  const char* name;
};
class CsvReaderDelimiter : public ::testing::TestWithParam<DelimiterCase> {};

TEST_P(CsvReaderDelimiter, SplitsOnTheDialectDelimiterOnly) {
  const char d = GetParam().delimiter;
  std::string data = std::string("a") + d + "\"b" + d + "c\"" + d + "x,y;z|w\n";
  CsvReaderOptions o;
  o.dialect.delimiter = d;
  std::vector<Rec> got = ReadAll(data, o);
  ASSERT_EQ(got.size(), 1u);
  // The other delimiters are ordinary characters; d inside quotes is data.
  std::string last = "x,y;z|w";
  std::vector<std::string> expected = {"a", std::string("b") + d + "c", last};
  if (d != '\t') {
    // "x,y;z|w" splits on d itself.
    expected.pop_back();
    std::string part;
    for (char c : last) {
      if (c == d) {
        expected.push_back(part);
        part.clear();
      } else {
        part += c;
      }
    }
    expected.push_back(part);
  }
  EXPECT_EQ(got[0].fields, expected);
}

INSTANTIATE_TEST_SUITE_P(Delimiters, CsvReaderDelimiter,
                         ::testing::Values(DelimiterCase{',', "comma"},
                                           DelimiterCase{';', "semicolon"},
                                           DelimiterCase{'\t', "tab"},
                                           DelimiterCase{'|', "pipe"}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// A parallel read's chunk reader reserves its columns before its first
// record: FillFirst makes the estimate known then and changes no record.
TEST(CsvReader, FillFirstGivesTheEstimateBeforeTheFirstRecord) {
  const std::string data = "a,1\nb,2\n\"c\nd\",3\ne,4\n";
  CsvReaderOptions o;
  o.chunk_bytes = 8;  // the first buffer holds the first two lines
  auto reader = CsvReader::FromBuffer(data, o);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->EstimatedRecords(), 0);
  ASSERT_TRUE((*reader)->FillFirst().ok());
  // 2 line breaks in 8 bytes, extrapolated to 20 bytes: 5 (+1).
  EXPECT_EQ((*reader)->EstimatedRecords(), 6);
  ASSERT_TRUE((*reader)->FillFirst().ok());  // once only
  std::vector<Rec> got;
  CsvRecord r;
  for (absl::StatusOr<bool> more = (*reader)->Next(&r); more.ok() && *more;
       more = (*reader)->Next(&r)) {
    Rec rec;
    rec.line = r.line;
    for (std::string_view f : r.fields) rec.fields.emplace_back(f);
    got.push_back(rec);
  }
  EXPECT_EQ(got, ReadAll(data, o));
  EXPECT_EQ(got.size(), 4u);
}

TEST(CsvReader, RejectsADialectWhoseDelimiterIsTheQuote) {
  CsvReaderOptions o;
  o.dialect.delimiter = '"';
  EXPECT_FALSE(CsvReader::FromBuffer("a", o).ok());
}

TEST(CsvReader, RecordLongerThanTheLimitIsAnErrorNamingItsLine) {
  CsvReaderOptions o;
  o.max_record_bytes = 16;
  o.chunk_bytes = 4;
  auto reader = CsvReader::FromBuffer("a,b\n1,2\n\"this field never ends and keeps going", o);
  ASSERT_TRUE(reader.ok());
  CsvRecord r;
  ASSERT_TRUE(*(*reader)->Next(&r));
  ASSERT_TRUE(*(*reader)->Next(&r));
  absl::StatusOr<bool> third = (*reader)->Next(&r);
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.status().message().find("line 3"), std::string::npos) << third.status();
  EXPECT_NE(third.status().message().find("16 bytes"), std::string::npos) << third.status();
}

TEST(CsvReader, RecordLimitAlsoAppliesWhenTheRecordFitsInOneChunk) {
  CsvReaderOptions o;
  o.max_record_bytes = 8;  // the chunk (1 MiB) holds everything: the check is on length
  auto reader = CsvReader::FromBuffer("ab,cd\n123456789\n", o);
  ASSERT_TRUE(reader.ok());
  CsvRecord r;
  ASSERT_TRUE(*(*reader)->Next(&r));
  absl::StatusOr<bool> second = (*reader)->Next(&r);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("line 2"), std::string::npos) << second.status();
}

TEST(CsvReader, RecordExactlyAtTheLimitIsRead) {
  CsvReaderOptions o;
  o.max_record_bytes = 8;  // "1234567\n" is 8 bytes with its terminator
  o.chunk_bytes = 3;
  EXPECT_EQ(ReadAll("1234567\n1\n", o), (std::vector<Rec>{R(1, {"1234567"}), R(2, {"1"})}));
}

TEST(CsvReader, ReportsProgressPerChunk) {
  CsvReaderOptions o;
  o.chunk_bytes = 4;
  std::vector<std::int64_t> seen;
  o.progress = [&](std::int64_t read, std::int64_t total) {
    EXPECT_EQ(total, 10);
    seen.push_back(read);
  };
  ReadAll("a,b\n1,2\n3,", o);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), 10);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]);
}

TEST(CsvReader, EstimatesRecordsFromTheFirstChunk) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "0123456789\n";  // 11 bytes a line
  CsvReaderOptions o;
  o.chunk_bytes = 1100;  // exactly 100 lines in the first chunk
  auto reader = CsvReader::FromBuffer(data, o);
  ASSERT_TRUE(reader.ok());
  CsvRecord r;
  ASSERT_TRUE(*(*reader)->Next(&r));
  // 11000 bytes x 100 lines / 1100 bytes = 1000, plus one of headroom.
  EXPECT_EQ((*reader)->EstimatedRecords(), 1001);
}

TEST(CsvReader, ReadsFiles) {
  const std::string path = ScratchDir() + "/csv_reader_test_file.csv";
  {
    std::ofstream f(path, std::ios::binary);
    f << "a;b\r\n\"x;y\";2\r\n";
  }
  CsvReaderOptions o;
  o.dialect.delimiter = ';';
  auto reader = CsvReader::OpenFile(path, o);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->bytes_total(), 14);
  CsvRecord r;
  ASSERT_TRUE(*(*reader)->Next(&r));
  ASSERT_TRUE(*(*reader)->Next(&r));
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.fields[0], "x;y");
  EXPECT_FALSE(*(*reader)->Next(&r));
  std::remove(path.c_str());
}

TEST(CsvReader, MissingFileIsAnErrorNamingIt) {
  auto reader = CsvReader::OpenFile("/nonexistent/dir/orders.csv", {});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("/nonexistent/dir/orders.csv"), std::string::npos);
}

// ------------------------------------------------------------ property
std::string RandomCsvBytes(std::mt19937_64& rng) {
  // Weighted toward the bytes that matter to the grammar.
  static const std::string kAlphabet = "ab,,;\"\"\"\n\n\r  x1\xC3\xA9|\t";
  std::uniform_int_distribution<int> len(0, 200);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string s;
  if (rng() % 8 == 0) s = "\xEF\xBB\xBF";
  for (int i = len(rng); i > 0; --i) s += kAlphabet[pick(rng)];
  return s;
}

TEST(CsvReaderProperty, MatchesReferenceParserForEveryChunkSize) {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    std::mt19937_64 rng(seed);
    const std::string data = RandomCsvBytes(rng);
    const char d = (seed % 3 == 0) ? ';' : ',';
    const std::vector<Rec> expected = RefParse(data, d, '"');
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                              std::size_t{64}, std::size_t{1} << 20}) {
      CsvReaderOptions o;
      o.dialect.delimiter = d;
      o.chunk_bytes = chunk;
      ASSERT_EQ(ReadAll(data, o), expected) << "seed " << seed << " chunk " << chunk;
    }
  }
}

TEST(CsvReaderProperty, GenericReaderKeepsExactlyTheWellFormedRecords) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    const std::string data = "h1,h2,h3\n" + RandomCsvBytes(rng);
    const std::vector<Rec> ref = RefParse(data, ',', '"');
    std::vector<std::vector<std::string>> good;
    for (std::size_t i = 1; i < ref.size(); ++i) {
      if (ref[i].problem == RecordProblem::kNone && ref[i].fields.size() == 3) {
        good.push_back(ref[i].fields);
      }
    }
    IngestOptions o;
    o.encoding = Encoding::kUtf8;  // random bytes as they are (auto would name GB18030)
    o.chunk_bytes = 1 + seed % 13;
    absl::StatusOr<StringCsv> got = ReadCsvStringsFromBuffer(data, o);
    ASSERT_TRUE(got.ok()) << got.status();
    const RejectReport& rep = got->report;
    ASSERT_EQ(rep.data_lines, static_cast<std::int64_t>(ref.size()) - 1) << "seed " << seed;
    ASSERT_EQ(rep.accepted + rep.rejected, rep.data_lines);
    ASSERT_EQ(rep.accepted, static_cast<std::int64_t>(good.size())) << "seed " << seed;
    ASSERT_EQ(got->num_rows(), good.size());
    for (std::size_t r = 0; r < good.size(); ++r) {
      for (std::size_t c = 0; c < 3; ++c) {
        ASSERT_EQ(got->columns[c][r], good[r][c]) << "seed " << seed << " row " << r;
      }
    }
  }
}

TEST(CsvReaderProperty, OrdersLoaderCountsEveryRecordOfGarbageFiles) {
  const std::string path = ScratchDir() + "/csv_reader_garbage_orders.csv";
  std::int64_t total_accepted = 0, total_rejected = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    // Garbage with valid rows between, so that both counts move.
    std::string data = "order,date,customer,amount\n";
    for (int piece = static_cast<int>(rng() % 4); piece >= 0; --piece) {
      data += RandomCsvBytes(rng);
      data += "\n1,2024-01-01,C,5\n";
    }
    {
      std::ofstream f(path, std::ios::binary);
      f << data;
    }
    IngestOptions o;
    o.encoding = Encoding::kUtf8;  // random bytes as they are (auto would name GB18030)
    o.chunk_bytes = 1 + seed % 29;
    Dictionaries dicts;
    absl::StatusOr<OrdersCsv> got = ReadOrdersCsv(path, o, dicts);
    ASSERT_TRUE(got.ok()) << got.status();
    const RejectReport& rep = got->report;
    ASSERT_EQ(rep.data_lines, static_cast<std::int64_t>(RefParse(data, ',', '"').size()) - 1)
        << "seed " << seed;
    ASSERT_EQ(rep.accepted + rep.rejected, rep.data_lines) << "seed " << seed;
    ASSERT_EQ(static_cast<std::int64_t>(got->table.size()), rep.accepted);
    total_accepted += rep.accepted;
    total_rejected += rep.rejected;
  }
  EXPECT_GT(total_accepted, 100);  // the property was exercised on both sides
  EXPECT_GT(total_rejected, 100);
  std::remove(path.c_str());
}

TEST(CsvReaderProperty, ReferenceParserAgreesOnHandCases) {
  // Guards the reference itself against sharing a bug with the reader.
  EXPECT_EQ(RefParse("a,\"b\"\"c\"\r\n\nd", ',', '"'),
            (std::vector<Rec>{R(1, {"a", "b\"c"}), R(3, {"d"})}));
  EXPECT_EQ(RefParse("\"x\ny\",z\nw", ',', '"'),
            (std::vector<Rec>{R(1, {"x\ny", "z"}), R(3, {"w"})}));
}

}  // namespace
}  // namespace salesight::ingest
