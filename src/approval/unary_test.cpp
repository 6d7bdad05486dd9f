#include "salesight/approval/unary_test.hpp"

#include <utility>

#include "absl/strings/str_cat.h"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

// A cursor over one entry. Every error says where it stopped.
class Reader {
 public:
  Reader(std::string_view text, ValueType type) : s_(text), type_(type) {}

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' ||
                                s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= s_.size();
  }
  bool Eat(std::string_view token) {
    SkipSpace();
    if (s_.substr(pos_, token.size()) == token) {
      pos_ += token.size();
      return true;
    }
    return false;
  }
  char Peek() {
    SkipSpace();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("'", std::string(s_), "': ", std::string(what),
                                                   " at offset ", pos_));
  }

  // A literal of the column's type.
  absl::StatusOr<Value> Literal() {
    SkipSpace();
    const std::string_view rest = s_.substr(pos_);
    if (rest.starts_with("null") && !IsWordChar(rest, 4)) {
      pos_ += 4;
      return Value::Null();
    }
    switch (type_) {
      case ValueType::kString:
        return StringLiteral();
      case ValueType::kBool:
        if (rest.starts_with("true") && !IsWordChar(rest, 4)) {
          pos_ += 4;
          return Value::Bool(true);
        }
        if (rest.starts_with("false") && !IsWordChar(rest, 5)) {
          pos_ += 5;
          return Value::Bool(false);
        }
        return Error("expected true or false");
      case ValueType::kNumber: {
        std::size_t end = pos_;
        if (end < s_.size() && (s_[end] == '-' || s_[end] == '+')) ++end;
        while (end < s_.size() && ((s_[end] >= '0' && s_[end] <= '9') ||
                                   (s_[end] == '.' && s_.substr(end, 2) != ".."))) {
          ++end;
        }
        if (end == pos_) return Error("expected a number");
        absl::StatusOr<std::int64_t> n = ParseNumber(s_.substr(pos_, end - pos_));
        if (!n.ok()) return Error(n.status().message());
        pos_ = end;
        return Value::Number(*n);
      }
      case ValueType::kDate: {
        if (!Eat("date") || !Eat("(")) return Error("expected date(\"YYYY-MM-DD\")");
        absl::StatusOr<Value> text = StringLiteral();
        if (!text.ok()) return text.status();
        if (!Eat(")")) return Error("expected ')' after the date");
        absl::StatusOr<Day> d = ParseDate(text->text, DateFormat::kIso);
        if (!d.ok()) return Error(d.status().message());
        return Value::Date(*d);
      }
      case ValueType::kNull:
        break;
    }
    return Error("a column of type null takes no literal");
  }

 private:
  static bool IsWordChar(std::string_view rest, std::size_t i) {
    if (i >= rest.size()) return false;
    const char c = rest[i];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  absl::StatusOr<Value> StringLiteral() {
    SkipSpace();
    if (pos_ >= s_.size() || s_[pos_] != '"') return Error("expected a \"string\"");
    std::string out;
    for (++pos_; pos_ < s_.size(); ++pos_) {
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return Value::String(std::move(out));
      }
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) break;
        const char e = s_[++pos_];
        if (e != '"' && e != '\\') return Error("only \\\" and \\\\ escapes are supported");
        out += e;
      } else {
        out += c;
      }
    }
    return Error("unterminated string");
  }

  std::string_view s_;
  ValueType type_;
  std::size_t pos_ = 0;
};

bool Ordered(ValueType t) { return t == ValueType::kNumber || t == ValueType::kDate || t == ValueType::kString; }

// One list item, appended to t: an interval, a comparison, an equality
// (`e` or `= e`), a non-equality (`!= e`: the two stretches around e) or a
// null test (`null`, `= null`; `!= null` is any non-null value).
absl::Status Item(Reader& r, ValueType type, UnaryTest& t) {
  Interval iv;
  const char c = r.Peek();
  if (c == '[' || c == '(' || c == ']') {
    if (!Ordered(type)) return r.Error("a range needs a number, string or date column");
    r.Eat(std::string_view(&c, 1));
    absl::StatusOr<Value> lo = r.Literal();
    if (!lo.ok()) return lo.status();
    if (!r.Eat("..")) return r.Error("expected '..' in the range");
    absl::StatusOr<Value> hi = r.Literal();
    if (!hi.ok()) return hi.status();
    const char close = r.Peek();
    if (close != ']' && close != ')' && close != '[') return r.Error("expected ']', ')' or '['");
    r.Eat(std::string_view(&close, 1));
    if (lo->is_null() || hi->is_null()) return r.Error("a range end cannot be null");
    iv.lo = Bound{true, c == '[', *std::move(lo)};
    iv.hi = Bound{true, close == ']', *std::move(hi)};
    const auto order = Compare(iv.lo.value, iv.hi.value);
    if (order > 0 || (order == 0 && !(iv.lo.closed && iv.hi.closed))) {
      return r.Error("the range is empty (its low end is not below its high end)");
    }
    t.items.push_back(std::move(iv));
    return absl::OkStatus();
  }
  for (std::string_view op : {"<=", ">=", "<", ">"}) {
    if (!r.Eat(op)) continue;
    if (!Ordered(type)) return r.Error("a comparison needs a number, string or date column");
    absl::StatusOr<Value> v = r.Literal();
    if (!v.ok()) return v.status();
    if (v->is_null()) return r.Error("cannot compare with null");
    const Bound b{true, op.size() == 2, *std::move(v)};
    if (op[0] == '<') {
      iv.hi = b;
    } else {
      iv.lo = b;
    }
    t.items.push_back(std::move(iv));
    return absl::OkStatus();
  }
  const bool not_equal = r.Eat("!=");
  if (!not_equal) r.Eat("=");
  absl::StatusOr<Value> v = r.Literal();
  if (!v.ok()) return v.status();
  if (v->is_null()) {
    if (not_equal) {
      t.items.push_back(Interval{});  // unbounded: every value that is not null
    } else {
      t.null = true;
    }
    return absl::OkStatus();
  }
  if (not_equal) {
    // Every value of the type but v: below it and above it (a boolean's
    // stretches hold the other value; Compare orders false < true).
    t.items.push_back(Interval{Bound{}, Bound{true, false, *v}});
    t.items.push_back(Interval{Bound{true, false, *v}, Bound{}});
    return absl::OkStatus();
  }
  iv.lo = Bound{true, true, *v};
  iv.hi = Bound{true, true, *std::move(v)};
  t.items.push_back(std::move(iv));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UnaryTest> ParseUnaryTest(std::string_view text, ValueType type) {
  UnaryTest t;
  t.text = std::string(text);
  if (text.size() > kMaxEntryChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("entry of ", text.size(), " characters is longer than the limit of ",
                     kMaxEntryChars));
  }
  Reader r(text, type);
  if (r.AtEnd()) return t;
  if (r.Eat("-") && r.AtEnd()) return t;
  r = Reader(text, type);
  t.any = false;
  if (r.Eat("not")) {
    if (!r.Eat("(")) return r.Error("expected '(' after not");
    t.negated = true;
  }
  for (std::size_t n = 0;; ++n) {
    if (n >= kMaxListItems) return r.Error(absl::StrCat("more than ", kMaxListItems, " list items"));
    SALESIGHT_RETURN_IF_ERROR(Item(r, type, t));
    if (!r.Eat(",")) break;
  }
  if (t.negated && !r.Eat(")")) return r.Error("expected ')' closing not(");
  if (!r.AtEnd()) return r.Error("unexpected text (not S-FEEL)");
  return t;
}

absl::StatusOr<Value> ParseLiteral(std::string_view text, ValueType type) {
  if (text.size() > kMaxEntryChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("entry of ", text.size(), " characters is longer than the limit of ",
                     kMaxEntryChars));
  }
  Reader r(text, type);
  absl::StatusOr<Value> v = r.Literal();
  if (!v.ok()) return v.status();
  if (!r.AtEnd()) return r.Error("unexpected text after the literal (not a FEEL literal)");
  return v;
}

bool Contains(const Interval& iv, const Value& v) {
  if (iv.lo.present) {
    if (iv.lo.value.type != v.type) return false;
    const auto c = Compare(v, iv.lo.value);
    if (c < 0 || (c == 0 && !iv.lo.closed)) return false;
  }
  if (iv.hi.present) {
    if (iv.hi.value.type != v.type) return false;
    const auto c = Compare(v, iv.hi.value);
    if (c > 0 || (c == 0 && !iv.hi.closed)) return false;
  }
  return true;
}

bool Matches(const UnaryTest& test, const Value& v) {
  if (test.any) return true;
  // A null input: only a null test decides (not(null) refuses it); against
  // every other item the comparison is null, and so is its negation.
  if (v.is_null()) return test.null && !test.negated;
  bool in = false;
  for (const Interval& iv : test.items) {
    if (Contains(iv, v)) {
      in = true;
      break;
    }
  }
  return in != test.negated;
}

}  // namespace salesight::approval
