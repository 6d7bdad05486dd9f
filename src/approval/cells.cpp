#include "internal/cells.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace salesight::approval::internal {
namespace {

// The smallest representable value above v, or nullopt-like false when none.
bool Next(const Value& v, Value* out) {
  *out = v;
  switch (v.type) {
    case ValueType::kNumber:
      out->number = v.number + 1;
      return true;
    case ValueType::kDate:
      out->date = v.date + 1;
      return true;
    case ValueType::kString:
      out->text.push_back('\x01');
      return true;
    default:
      return false;
  }
}
bool Prev(const Value& v, Value* out) {
  *out = v;
  switch (v.type) {
    case ValueType::kNumber:
      out->number = v.number - 1;
      return true;
    case ValueType::kDate:
      out->date = v.date - 1;
      return true;
    case ValueType::kString:
      if (v.text.empty()) return false;
      out->text.clear();  // "" sorts below every non-empty string
      return true;
    default:
      return false;
  }
}

std::vector<Cell> Cells(const DecisionTable& t, std::size_t c) {
  std::vector<Cell> cells;
  const ValueType type = t.inputs[c].type;
  if (type == ValueType::kBool) {
    for (bool b : {false, true}) {
      Cell cell;
      cell.sample = Value::Bool(b);
      cell.range.lo = cell.range.hi = Bound{true, true, cell.sample};
      cells.push_back(cell);
    }
    return cells;
  }
  std::vector<Value> points;
  for (const Rule& r : t.rules) {
    for (const Interval& iv : r.inputs[c].items) {
      if (iv.lo.present) points.push_back(iv.lo.value);
      if (iv.hi.present) points.push_back(iv.hi.value);
    }
  }
  std::sort(points.begin(), points.end(), [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  points.erase(std::unique(points.begin(), points.end()), points.end());
  auto open = [&](const Value* lo, const Value* hi) {
    Cell cell;
    if (lo != nullptr) {
      cell.range.lo = Bound{true, false, *lo};
      if (!Next(*lo, &cell.sample)) return;
    } else if (hi != nullptr) {
      if (!Prev(*hi, &cell.sample)) return;
    } else {
      cell.sample = type == ValueType::kNumber ? Value::Number(0)
                    : type == ValueType::kDate ? Value::Date(0)
                                               : Value::String("");
    }
    if (hi != nullptr) {
      cell.range.hi = Bound{true, false, *hi};
      if (Compare(cell.sample, *hi) >= 0) return;  // nothing representable in between
    }
    cells.push_back(std::move(cell));
  };
  if (points.empty()) {
    open(nullptr, nullptr);
    return cells;
  }
  open(nullptr, &points[0]);
  for (std::size_t i = 0; i < points.size(); ++i) {
    Cell point;
    point.sample = points[i];
    point.range.lo = point.range.hi = Bound{true, true, points[i]};
    cells.push_back(std::move(point));
    open(&points[i], i + 1 < points.size() ? &points[i + 1] : nullptr);
  }
  return cells;
}

}  // namespace

std::vector<ColumnCells> CutIntoCells(const DecisionTable& t) {
  std::vector<ColumnCells> out(t.inputs.size());
  for (std::size_t c = 0; c < t.inputs.size(); ++c) {
    out[c].cells = Cells(t, c);
    out[c].match.assign(t.rules.size(), MakeBits(out[c].cells.size()));
    for (std::size_t r = 0; r < t.rules.size(); ++r) {
      for (std::size_t k = 0; k < out[c].cells.size(); ++k) {
        if (Matches(t.rules[r].inputs[c], out[c].cells[k].sample)) Set(out[c].match[r], k);
      }
    }
  }
  return out;
}

std::string DescribeCells(const DecisionTable& t, std::size_t column,
                          const std::vector<Cell>& cells, std::size_t first, std::size_t last) {
  const std::string& name = t.inputs[column].name;
  const Interval& a = cells[first].range;
  const Interval& b = cells[last].range;
  if (first == last && a.lo.present && a.hi.present && a.lo.closed && a.hi.closed) {
    return absl::StrCat(name, " = ", FeelLiteral(a.lo.value));
  }
  if (t.inputs[column].type == ValueType::kString) {
    // Open stretches of strings read best as "none of the listed values".
    std::string listed;
    for (const Cell& c : cells) {
      if (c.range.lo.present && c.range.hi.present && c.range.lo.closed && c.range.hi.closed) {
        absl::StrAppend(&listed, listed.empty() ? "" : ", ", FeelLiteral(c.range.lo.value));
      }
    }
    if (listed.empty()) return absl::StrCat(name, " is any value");
    return absl::StrCat(name, " is a value other than ", listed);
  }
  if (!a.lo.present && !b.hi.present) return absl::StrCat(name, " is any value");
  if (!a.lo.present) {
    return absl::StrCat(name, b.hi.closed ? " <= " : " < ", FeelLiteral(b.hi.value));
  }
  if (!b.hi.present) {
    return absl::StrCat(name, a.lo.closed ? " >= " : " > ", FeelLiteral(a.lo.value));
  }
  return absl::StrCat(name, " in ", a.lo.closed ? "[" : "(", FeelLiteral(a.lo.value), "..",
                      FeelLiteral(b.hi.value), b.hi.closed ? "]" : ")");
}

}  // namespace salesight::approval::internal
