#include "salesight/result_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "salesight/json.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace salesight {

std::size_t ResultColumn::size() const {
  switch (type) {
    case ResultType::kDouble: return doubles.size();
    case ResultType::kString: return encoded ? codes.size() : strings.size();
    default: return ints.size();
  }
}

std::string ResultColumn::StringAt(std::size_t row) const {
  if (!encoded) return strings[row];
  const std::int32_t code = codes[row];
  return labels ? std::string(labels->Code(code)) : std::to_string(code);
}

std::vector<std::string> ResultColumn::Texts() const {
  std::vector<std::string> out(size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = StringAt(i);
  return out;
}

namespace {
ResultColumn& Add(ResultColumns& cols, std::string name, ResultType type) {
  ResultColumn c;
  c.name = std::move(name);
  c.type = type;
  cols.push_back(std::move(c));
  return cols.back();
}
}  // namespace

ResultColumn& ResultTable::AddInt64(std::string name) {
  return Add(columns_, std::move(name), ResultType::kInt64);
}
ResultColumn& ResultTable::AddDouble(std::string name) {
  return Add(columns_, std::move(name), ResultType::kDouble);
}
ResultColumn& ResultTable::AddString(std::string name) {
  return Add(columns_, std::move(name), ResultType::kString);
}
ResultColumn& ResultTable::AddCodes(std::string name, std::shared_ptr<const Dictionary> labels) {
  ResultColumn& c = Add(columns_, std::move(name), ResultType::kString);
  c.encoded = true;
  c.labels = std::move(labels);
  return c;
}
ResultColumn& ResultTable::AddDate(std::string name) {
  return Add(columns_, std::move(name), ResultType::kDate);
}
ResultColumn& ResultTable::AddMoney(std::string name, int money_scale) {
  ResultColumn& c = Add(columns_, std::move(name), ResultType::kMoney);
  c.money_scale = money_scale;
  return c;
}

absl::Status ResultTable::Validate() const {
  absl::flat_hash_set<std::string> names;
  for (const ResultColumn& c : columns_) {
    if (!names.insert(c.name).second) {
      return absl::InternalError(absl::StrFormat("result column '%s' appears twice", c.name));
    }
    if (c.size() != num_rows()) {
      return absl::InternalError(absl::StrFormat("result column '%s' has %d rows, expected %d",
                                                 c.name, c.size(), num_rows()));
    }
    if (c.encoded) {
      const std::int32_t limit =
          c.labels ? c.labels->size() : std::numeric_limits<std::int32_t>::max();
      for (std::size_t i = 0; i < c.codes.size(); ++i) {
        if (c.is_null(i)) continue;  // a null row's code is never read
        if (c.codes[i] < 0 || c.codes[i] >= limit) {
          return absl::InternalError(absl::StrFormat(
              "result column '%s' row %d: code %d is outside [0, %d)", c.name, i, c.codes[i],
              limit));
        }
      }
    }
    if (!c.valid.empty() && c.valid.size() != c.size()) {
      return absl::InternalError(absl::StrFormat("result column '%s' validity has %d rows",
                                                 c.name, c.valid.size()));
    }
  }
  return absl::OkStatus();
}

const ResultColumn* ResultTable::Find(std::string_view name) const {
  for (const ResultColumn& c : columns_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string FormatCell(const ResultColumn& c, std::size_t row) {
  if (c.is_null(row)) return "";
  switch (c.type) {
    case ResultType::kInt64: return std::to_string(c.ints[row]);
    case ResultType::kDate: return FormatDate(static_cast<Day>(c.ints[row]));
    case ResultType::kMoney: return FormatMoney(c.ints[row], c.money_scale);
    case ResultType::kString: return c.StringAt(row);
    case ResultType::kDouble: {
      double v = c.doubles[row];
      if (!std::isfinite(v)) return "";
      return absl::StrFormat("%.17g", v);
    }
  }
  return "";
}

namespace {

void WriteCsvField(std::ostream& out, const std::string& s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) {
    out << s;
    return;
  }
  out << '"';
  for (char ch : s) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

void WriteJsonString(std::ostream& out, std::string_view s) { out << JsonQuote(s); }

}  // namespace

void WriteCsv(const ResultTable& table, std::ostream& out) {
  const auto& cols = table.columns();
  for (std::size_t j = 0; j < cols.size(); ++j) {
    if (j) out << ',';
    WriteCsvField(out, cols[j].name);
  }
  out << '\n';
  for (std::size_t i = 0; i < table.num_rows(); ++i) {
    for (std::size_t j = 0; j < cols.size(); ++j) {
      if (j) out << ',';
      WriteCsvField(out, FormatCell(cols[j], i));
    }
    out << '\n';
  }
}

void WriteJson(const ResultTable& table, std::ostream& out) {
  const auto& cols = table.columns();
  out << "[";
  for (std::size_t i = 0; i < table.num_rows(); ++i) {
    out << (i ? ",\n {" : "\n {");
    for (std::size_t j = 0; j < cols.size(); ++j) {
      if (j) out << ", ";
      WriteJsonString(out, cols[j].name);
      out << ": ";
      const ResultColumn& c = cols[j];
      if (c.is_null(i) || (c.type == ResultType::kDouble && !std::isfinite(c.doubles[i]))) {
        out << "null";
      } else if (c.type == ResultType::kString || c.type == ResultType::kDate) {
        WriteJsonString(out, FormatCell(c, i));
      } else {
        out << FormatCell(c, i);
      }
    }
    out << "}";
  }
  out << (table.num_rows() ? "\n]\n" : "]\n");
}

absl::Status WriteResultFile(const ResultTable& table, const std::string& path) {
  if (path == "-") {
    WriteCsv(table, std::cout);
    return absl::OkStatus();
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) return absl::NotFoundError(absl::StrFormat("cannot open '%s' for writing", path));
  if (absl::EndsWith(path, ".json")) {
    WriteJson(table, out);
  } else if (absl::EndsWith(path, ".csv")) {
    WriteCsv(table, out);
  } else {
    return absl::InvalidArgumentError(
        absl::StrFormat("output '%s' must end in .csv or .json", path));
  }
  out.flush();
  if (!out) return absl::DataLossError(absl::StrFormat("writing '%s' failed", path));
  return absl::OkStatus();
}

namespace {
// Display width of UTF-8 text: CJK and full-width characters count 2.
std::size_t DisplayWidth(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}
}  // namespace

void PrintTable(const ResultTable& table, std::ostream& out, std::size_t max_rows) {
  const auto& cols = table.columns();
  std::size_t rows = std::min(max_rows, table.num_rows());
  std::vector<std::vector<std::string>> cells(cols.size());
  std::vector<std::size_t> width(cols.size());
  for (std::size_t j = 0; j < cols.size(); ++j) {
    width[j] = DisplayWidth(cols[j].name);
    for (std::size_t i = 0; i < rows; ++i) {
      std::string cell = FormatCell(cols[j], i);
      if (cols[j].type == ResultType::kDouble && !cols[j].is_null(i)) {
        cell = absl::StrFormat("%.4g", cols[j].doubles[i]);
      }
      width[j] = std::max(width[j], DisplayWidth(cell));
      cells[j].push_back(std::move(cell));
    }
  }
  auto pad = [&](const std::string& s, std::size_t w, bool right) {
    std::string fill(w - DisplayWidth(s), ' ');
    out << (right ? fill + s : s + fill);
  };
  for (std::size_t j = 0; j < cols.size(); ++j) {
    if (j) out << "  ";
    pad(cols[j].name, width[j], cols[j].type != ResultType::kString);
  }
  out << '\n';
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols.size(); ++j) {
      if (j) out << "  ";
      pad(cells[j][i], width[j], cols[j].type != ResultType::kString);
    }
    out << '\n';
  }
  if (table.num_rows() > rows) out << "... (" << table.num_rows() - rows << " more rows)\n";
}

}  // namespace salesight
