#include "internal/documents.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "internal/loader.hpp"

namespace salesight::ingest {
namespace {

// Whether `s` (trimmed, not empty) starts like a total label (合 小 总, "tot",
// "sub", "gra" in any case): the cheap test that keeps ordinary fields, "SO-1"
// or "S-001", off the full comparison.
bool MayStartLabel(std::string_view s) {
  static constexpr std::string_view kStarts[] = {"\xE5\x90\x88" /*合*/, "\xE5\xB0\x8F" /*小*/,
                                                 "\xE6\x80\xBB" /*总*/, "tot", "sub", "gra"};
  if (s.size() < 3) return false;
  char head[3];
  for (int i = 0; i < 3; ++i) {
    const char c = s[static_cast<std::size_t>(i)];
    head[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (std::string_view start : kStarts) {
    if (std::string_view(head, 3) == start) return true;
  }
  return false;
}

}  // namespace

int TotalLevel(std::string_view field) {
  std::string_view s = Trim(field);
  if (s.size() > 32 || !MayStartLabel(s)) return 0;
  if (s.back() == ':') s.remove_suffix(1);
  if (s.size() >= 3 && s.substr(s.size() - 3) == "\xEF\xBC\x9A") s.remove_suffix(3);  // ：
  std::string t;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') continue;
    if (s.substr(i, 3) == "\xE3\x80\x80") {  // ideographic space: 合　计
      i += 2;
      continue;
    }
    const char c = s[i];
    t += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (t == "小计" || t == "subtotal" || t == "sub-total") return 1;
  if (t == "合计" || t == "total") return 2;
  if (t == "总计" || t == "grandtotal") return 3;
  return 0;
}

absl::StatusOr<Documents> Documents::Create(const IngestOptions& options,
                                            const std::vector<std::string>& header,
                                            const std::string& table, const std::string& source) {
  Documents d;
  d.header_ = header;
  d.source_ = source;
  auto find = [&](std::string_view what, std::string_view name) -> absl::StatusOr<int> {
    const std::string_view n = Trim(name);
    auto it = std::find(header.begin(), header.end(), n);
    if (it == header.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %s column '%s' is not in the header of %s; the header has %s", table, what,
          Printable(n, 80), source, QuotedList(header)));
    }
    if (std::count(header.begin(), header.end(), n) > 1) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %s column '%s' appears more than once in the header of %s", table, what,
          Printable(n, 80), source));
    }
    return static_cast<int>(it - header.begin());
  };
  for (const std::string& name : options.fill_down) {
    absl::StatusOr<int> c = find("fill-down", name);
    if (!c.ok()) return c.status();
    d.fill_columns_.push_back(*c);
  }
  if (!Trim(options.document_total).empty()) {
    if (d.fill_columns_.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: document_total needs fill_down: a document starts where the first fill-down "
          "column is not empty",
          table));
    }
    absl::StatusOr<int> c = find("document total", options.document_total);
    if (!c.ok()) return c.status();
    d.document_total_column_ = *c;
  }
  d.fill_values_.resize(d.fill_columns_.size());
  return d;
}

absl::Status Documents::Before(const CsvRecord& record, RejectCollector& rejects, bool* consumed,
                               const CsvRecord** record_out) {
  *consumed = false;
  *record_out = &record;
  filled_names_.clear();
  const auto field = [&](int c) { return Trim(record.fields[static_cast<std::size_t>(c)]); };
  if (key_column_ >= 0) {
    // A total row: its key field is the label, or it is empty and a label is
    // in another cell. A filled key costs one prefix test.
    const std::string_view key = field(key_column_);
    if (!key.empty()) {
      if (const int level = TotalLevel(key); level > 0) {
        *consumed = true;
        return HandleTotal(record, level, key_column_, rejects);
      }
    } else {
      for (std::size_t c = 0; c < record.fields.size(); ++c) {
        if (const int level = TotalLevel(record.fields[c]); level > 0) {
          *consumed = true;
          return HandleTotal(record, level, static_cast<int>(c), rejects);
        }
      }
    }
  }
  if (fill_columns_.empty()) return absl::OkStatus();
  if (!field(fill_columns_[0]).empty()) {
    if (absl::Status st = CloseDocument(rejects); !st.ok()) return st;
    in_document_ = true;
    document_line_ = record.line;
    document_first_row_ = rejects.report().accepted;
    document_rejected_ = rejects.report().rejected;
    for (std::size_t k = 0; k < fill_columns_.size(); ++k) {
      fill_values_[k].assign(field(fill_columns_[k]));
    }
    document_total_.assign(document_total_column_ >= 0 ? field(document_total_column_) : "");
    return absl::OkStatus();
  }
  if (!in_document_) return absl::OkStatus();  // lines before any document: nothing to carry
  filled_fields_.assign(record.fields.begin(), record.fields.end());
  for (std::size_t k = 0; k < fill_columns_.size(); ++k) {
    const auto c = static_cast<std::size_t>(fill_columns_[k]);
    if (!Trim(filled_fields_[c]).empty()) continue;
    filled_fields_[c] = fill_values_[k];
    filled_names_ += (filled_names_.empty() ? "" : ", ") + Printable(header_[c], 80);
  }
  if (filled_names_.empty()) return absl::OkStatus();
  filled_record_ = record;
  filled_record_.fields = absl::MakeConstSpan(filled_fields_);
  *record_out = &filled_record_;
  return absl::OkStatus();
}

void Documents::Accepted(const CsvRecord& record, RejectCollector& rejects) {
  if (filled_names_.empty()) return;
  rejects.FilledDown(record.line, absl::StrFormat("filled down: %s from line %d", filled_names_,
                                                  document_line_));
}

bool Documents::Compare(const TotalColumn& column, std::string_view text, std::int64_t from,
                        std::int64_t to, std::string_view lines, std::string_view* kind,
                        std::string* detail) const {
  ParsedMoney stated;
  if (!column.scale->Parse(text, &stated, kind, detail)) return false;
  const int scale = column.scale->scale();
  Money sum = 0;
  bool overflow = false;
  for (std::int64_t i = from; i < to && !overflow; ++i) {
    overflow = !AddMoney(sum, (*column.values)[static_cast<std::size_t>(i - dropped_)], &sum);
  }
  const int common = std::max(scale, stated.scale);
  absl::StatusOr<Money> a = RescaleMoney(stated.value, stated.scale, common);
  absl::StatusOr<Money> b = overflow ? absl::StatusOr<Money>(absl::OutOfRangeError("sum"))
                                     : RescaleMoney(sum, scale, common);
  if (a.ok() && b.ok() && *a == *b) return true;
  *kind = "total mismatch";
  *detail = absl::StrFormat("%s but the %d accepted line%s %s sum to %s", Printable(text),
                            to - from, to - from == 1 ? "" : "s", lines,
                            b.ok() ? FormatMoney(*b, common) : std::string("more than +-9e15"));
  return false;
}

absl::Status Documents::HandleTotal(const CsvRecord& record, int level, int label_column,
                                    RejectCollector& rejects) {
  if (absl::Status st = CloseDocument(rejects); !st.ok()) return st;
  in_document_ = false;  // a line after a total row starts no document of its own
  const std::int64_t now = rejects.report().accepted;
  const std::int64_t from = level_first_row_[level];
  const std::int64_t rejected_between = rejects.report().rejected - level_rejected_[level];
  const std::int64_t after_line = level_line_[level];
  const std::string label(Trim(record.fields[static_cast<std::size_t>(label_column)]));
  // The next lines of this level and the levels below start after this row.
  for (int k = 1; k <= level; ++k) {
    level_first_row_[k] = now;
    level_line_[k] = record.line;
  }
  std::string checked;
  for (const TotalColumn& t : totals_) {
    const std::string_view text = Trim(record.fields[static_cast<std::size_t>(t.column)]);
    if (text.empty()) continue;
    if (from < dropped_) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s line %d: the total row '%s' closes lines after line %d, which a streamed read "
          "(--stream) has already passed on; raise --chunk-mb above the size of what it "
          "closes, or read without --stream",
          source_, record.line, Printable(label, 80), after_line));
    }
    std::string_view kind;
    std::string detail;
    const std::string lines = absl::StrFormat(
        "it closes (after line %d)%s", after_line,
        rejected_between > 0
            ? absl::StrFormat(" (%d rejected rows between are not in the sum)", rejected_between)
            : std::string());
    if (!Compare(t, text, from, now, lines, &kind, &detail)) {
      if (kind == "total mismatch") {
        rejects.CountMismatch();
        detail = absl::StrFormat("%s says %s", Printable(label, 80), detail);
      }
      const absl::Status st = rejects.Reject(record.line, Name(t.column), text, kind, detail);
      for (int k = 1; k <= level; ++k) level_rejected_[k] = rejects.report().rejected;
      return st;
    }
    checked += absl::StrFormat("%s%s %s", checked.empty() ? "" : ", ", Printable(Name(t.column), 80),
                               Printable(text));
  }
  for (int k = 1; k <= level; ++k) level_rejected_[k] = rejects.report().rejected;
  rejects.TotalRow(record.line, Name(label_column), label,
                   checked.empty()
                       ? absl::StrFormat("total row: %s (no amount to check)", Printable(label, 80))
                       : absl::StrFormat("total row: %s %s = the sum of the %d lines it closes",
                                         Printable(label, 80), checked, now - from));
  return absl::OkStatus();
}

absl::Status Documents::CloseDocument(RejectCollector& rejects) {
  if (!in_document_) return absl::OkStatus();
  in_document_ = false;
  if (document_total_.empty() || totals_.empty()) return absl::OkStatus();
  const std::int64_t now = rejects.report().accepted;
  std::string_view kind;
  std::string detail;
  const std::int64_t rejected = rejects.report().rejected - document_rejected_;
  const std::string lines = absl::StrFormat(
      "of the document (%s)%s", Printable(Name(totals_[0].column), 80),
      rejected > 0 ? absl::StrFormat("; %d of its rows were rejected and are not in the sum",
                                     rejected)
                   : std::string());
  if (Compare(totals_[0], document_total_, document_first_row_, now, lines, &kind, &detail)) {
    return absl::OkStatus();
  }
  if (kind == "total mismatch") {
    detail = absl::StrFormat("document total mismatch: %s", detail);
  } else {
    detail = absl::StrFormat("document total %s: %s", kind, detail);
  }
  return rejects.DocumentMismatch(document_line_, Name(document_total_column_), document_total_,
                                  detail);
}

}  // namespace salesight::ingest
