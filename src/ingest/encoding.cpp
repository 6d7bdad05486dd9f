#include "internal/encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "internal/field_parsers.hpp"

namespace salesight::ingest {
namespace {

// Bytes looked at before deciding: enough for the header and many rows, small
// enough to be free next to the file.
constexpr std::size_t kPeekBytes = std::size_t{64} << 10;
constexpr std::size_t kInBytes = std::size_t{256} << 10;
constexpr std::size_t kOutBytes = std::size_t{512} << 10;
constexpr std::size_t kOutSlack = 8;  // room for one undecodable unit after a full iconv call

class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

absl::Status NoCodec(const char* name) {
  return absl::UnavailableError(absl::StrFormat(
      "the C library has no iconv converter from %s to UTF-8 (glibc's gconv modules are "
      "missing)",
      name));
}

// How an undecodable unit is carried through, so that the row holding it is
// rejected as invalid UTF-8 and shown escaped (never dropped, never guessed):
// single bytes as themselves (a GB18030 byte that starts no character is never
// ASCII), a lone UTF-16 surrogate as its three-byte form, which strict UTF-8
// refuses.
enum class Unit { kByte, kUtf16Le, kUtf16Be };

// Serves `prefix` (bytes already read from `raw`), then the rest of `raw`.
ReadFn Prefixed(std::string prefix, ReadFn raw) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(prefix), 0);
  return [state, raw = std::move(raw)](char* out, std::size_t size) -> std::int64_t {
    auto& [bytes, pos] = *state;
    if (pos < bytes.size()) {
      const std::size_t n = std::min(size, bytes.size() - pos);
      std::memcpy(out, bytes.data() + pos, n);
      pos += n;
      if (pos == bytes.size()) std::string().swap(bytes);
      return static_cast<std::int64_t>(n);
    }
    return raw(out, size);
  };
}

class Transcoder {
 public:
  Transcoder(ReadFn raw, const char* from, Unit unit)
      : raw_(std::move(raw)), iconv_("UTF-8", from), unit_(unit) {}
  bool ok() const { return iconv_.ok(); }

  std::int64_t Read(char* out, std::size_t size) {
    while (out_pos_ == out_.size()) {
      if (failed_) return -1;
      if (!Decode()) return failed_ ? -1 : 0;
    }
    const std::size_t n = std::min(size, out_.size() - out_pos_);
    std::memcpy(out, out_.data() + out_pos_, n);
    out_pos_ += n;
    return static_cast<std::int64_t>(n);
  }

  // The first decoded bytes (without consuming them), and the UTF-8 bytes
  // produced per raw byte consumed so far.
  std::string_view Peek() {
    while (out_pos_ == out_.size() && !failed_ && Decode()) {
    }
    return std::string_view(out_).substr(out_pos_);
  }
  double Ratio() const {
    return consumed_ == 0 ? 1.0
                          : static_cast<double>(produced_) / static_cast<double>(consumed_);
  }

 private:
  // Refills out_ with the next decoded bytes; false at the end (or on failure).
  bool Decode() {
    out_.clear();
    out_pos_ = 0;
    while (out_.empty()) {
      if ((need_more_ || in_.size() - in_pos_ < 8) && !raw_eof_) {
        if (!ReadRaw()) return false;
        continue;
      }
      if (in_pos_ == in_.size()) return false;
      DecodeSome();
    }
    return true;
  }

  bool ReadRaw() {
    need_more_ = false;
    in_.erase(0, in_pos_);
    in_pos_ = 0;
    const std::size_t have = in_.size();
    in_.resize(kInBytes);
    std::int64_t n = raw_(in_.data() + have, kInBytes - have);
    if (n < 0) {
      failed_ = true;
      return false;
    }
    if (n == 0) raw_eof_ = true;
    in_.resize(have + static_cast<std::size_t>(n));
    return true;
  }

  void DecodeSome() {
    out_.resize(kOutBytes + kOutSlack);
    char* ip = in_.data() + in_pos_;
    std::size_t il = in_.size() - in_pos_;
    char* op = out_.data();
    std::size_t ol = kOutBytes;
    const std::size_t r = iconv(iconv_.get(), &ip, &il, &op, &ol);
    const int err = errno;
    const std::size_t before = in_pos_;
    in_pos_ = static_cast<std::size_t>(ip - in_.data());
    std::size_t produced = static_cast<std::size_t>(op - out_.data());
    if (r == static_cast<std::size_t>(-1)) {
      if (err == EILSEQ || (err == EINVAL && raw_eof_)) {
        produced += EmitInvalid(out_.data() + produced);
      } else if (err == EINVAL) {
        need_more_ = true;  // a character cut by the end of what was read
      }
    }
    out_.resize(produced);
    consumed_ += static_cast<std::int64_t>(in_pos_ - before);
    produced_ += static_cast<std::int64_t>(produced);
  }

  std::size_t EmitInvalid(char* o) {
    const std::size_t left = in_.size() - in_pos_;
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(in_[in_pos_ + k]); };
    if (unit_ == Unit::kByte || left < 2) {
      o[0] = in_[in_pos_];
      ++in_pos_;
      return 1;
    }
    const unsigned u = unit_ == Unit::kUtf16Le ? (b(1) << 8) | b(0) : (b(0) << 8) | b(1);
    o[0] = static_cast<char>(0xE0 | (u >> 12));
    o[1] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    o[2] = static_cast<char>(0x80 | (u & 0x3F));
    in_pos_ += 2;
    return 3;
  }

  ReadFn raw_;
  Iconv iconv_;
  Unit unit_;
  std::string in_;
  std::size_t in_pos_ = 0;
  std::string out_;
  std::size_t out_pos_ = 0;
  bool raw_eof_ = false;
  bool need_more_ = false;
  bool failed_ = false;
  std::int64_t consumed_ = 0, produced_ = 0;
};

// The first `max` bytes of `raw` (fewer at its end); *eof when it ended.
absl::StatusOr<std::string> ReadPrefix(const ReadFn& raw, const std::string& source_name,
                                       std::size_t max, bool* eof) {
  std::string prefix(max, '\0');
  std::size_t have = 0;
  *eof = false;
  while (have < max) {
    std::int64_t n = raw(prefix.data() + have, max - have);
    if (n < 0) {
      return absl::DataLossError(absl::StrFormat("%s: read error after %d bytes", source_name,
                                                 static_cast<std::int64_t>(have)));
    }
    if (n == 0) {
      *eof = true;
      break;
    }
    have += static_cast<std::size_t>(n);
  }
  prefix.resize(have);
  return prefix;
}

std::string_view LineAt(std::string_view s, std::size_t pos) {
  std::size_t begin = s.rfind('\n', pos == 0 ? 0 : pos - 1);
  begin = (begin == std::string_view::npos || pos == 0) ? 0 : begin + 1;
  std::size_t end = s.find('\n', pos);
  std::string_view line = s.substr(begin, end == std::string_view::npos ? s.size() - begin
                                                                       : end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string AsGb18030(std::string_view bytes) {
  std::string out;
  if (!DecodeGb18030(bytes, &out)) return "(not GB18030)";
  return Printable(out, 400);
}

// Kind of the non-UTF-8 check for Encoding::kAuto: OK, or the hint error.
absl::Status CheckUtf8(std::string_view prefix, bool eof, const std::string& source_name) {
  std::string_view sample = prefix;
  if (!eof) {
    // Only whole lines: the peek may cut a character.
    const std::size_t nl = sample.rfind('\n');
    if (nl != std::string_view::npos) sample = sample.substr(0, nl + 1);
  }
  const std::size_t valid = Utf8ValidPrefix(sample);
  if (valid == sample.size()) return absl::OkStatus();
  std::string decoded;
  if (!DecodeGb18030(sample, &decoded)) return absl::OkStatus();  // not GB18030 either
  std::string_view header = LineAt(sample, 0);
  if (header.size() >= 3 && header.substr(0, 3) == "\xEF\xBB\xBF") header.remove_prefix(3);
  const std::int64_t line =
      1 + std::count(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(valid), '\n');
  std::string msg = absl::StrFormat(
      "%s is not valid UTF-8 (line %d) but reads as GB18030: read it with encoding gb18030 "
      "(--encoding gb18030; GBK is read as GB18030), or with encoding utf-8 to reject the rows "
      "that are not UTF-8. The header as UTF-8: '%s'; as GB18030: '%s'",
      source_name, line, Printable(header, 400), AsGb18030(header));
  if (line > 1) {
    std::string_view bad = LineAt(sample, valid);
    msg += absl::StrFormat(". Line %d as UTF-8: '%s'; as GB18030: '%s'", line,
                           Printable(bad, 400), AsGb18030(bad));
  }
  return absl::InvalidArgumentError(msg);
}

}  // namespace

bool DecodeGb18030(std::string_view bytes, std::string* out) {
  Iconv cd("UTF-8", "GB18030");
  if (!cd.ok()) return false;
  out->assign(bytes.size() * 2 + 4, '\0');
  char* ip = const_cast<char*>(bytes.data());
  std::size_t il = bytes.size();
  char* op = out->data();
  std::size_t ol = out->size();
  const std::size_t r = iconv(cd.get(), &ip, &il, &op, &ol);
  out->resize(out->size() - ol);
  return r != static_cast<std::size_t>(-1);
}

absl::StatusOr<std::string> EncodeUtf8As(std::string_view text, const char* iconv_name) {
  Iconv cd(iconv_name, "UTF-8");
  if (!cd.ok()) return NoCodec(iconv_name);
  std::string out(text.size() * 4 + 8, '\0');
  char* ip = const_cast<char*>(text.data());
  std::size_t il = text.size();
  char* op = out.data();
  std::size_t ol = out.size();
  if (iconv(cd.get(), &ip, &il, &op, &ol) == static_cast<std::size_t>(-1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("'%s' cannot be written in %s", Printable(text), iconv_name));
  }
  out.resize(out.size() - ol);
  return out;
}

absl::StatusOr<DecodedSource> DecodeSource(ReadFn raw, std::int64_t raw_total,
                                           const std::string& source_name, Encoding encoding,
                                           char delimiter) {
  DecodedSource out;
  out.delimiter = delimiter;
  out.total_bytes = raw_total;
  if (encoding == Encoding::kUtf8) {
    out.read = std::move(raw);  // as before: no peek, no copy
    return out;
  }
  bool eof = false;
  absl::StatusOr<std::string> prefix = ReadPrefix(raw, source_name, kPeekBytes, &eof);
  if (!prefix.ok()) return prefix.status();
  const char* from = nullptr;
  Unit unit = Unit::kByte;
  std::size_t bom = 0;
  if (encoding == Encoding::kGb18030) {
    from = "GB18030";
  } else if (prefix->size() >= 2 && (*prefix)[0] == '\xFF' && (*prefix)[1] == '\xFE') {
    from = "UTF-16LE", unit = Unit::kUtf16Le, bom = 2;
  } else if (prefix->size() >= 2 && (*prefix)[0] == '\xFE' && (*prefix)[1] == '\xFF') {
    from = "UTF-16BE", unit = Unit::kUtf16Be, bom = 2;
  } else if (encoding == Encoding::kUtf16) {
    from = "UTF-16LE", unit = Unit::kUtf16Le;  // Windows writes little-endian
  } else {
    if (absl::Status st = CheckUtf8(*prefix, eof, source_name); !st.ok()) return st;
    out.read = Prefixed(*std::move(prefix), std::move(raw));
    return out;
  }
  prefix->erase(0, bom);
  auto transcoder =
      std::make_shared<Transcoder>(Prefixed(*std::move(prefix), std::move(raw)), from, unit);
  if (!transcoder->ok()) return NoCodec(from);
  std::string_view first = transcoder->Peek();
  if (raw_total > 0) {
    out.total_bytes =
        static_cast<std::int64_t>(static_cast<double>(raw_total) * transcoder->Ratio());
  }
  // Excel's "Unicode text" is UTF-16 with tabs: a header with tabs and no comma
  // cannot be a comma-separated header, so the tab is not a guess.
  if (unit != Unit::kByte && delimiter == ',') {
    std::string_view header = first.substr(0, first.find('\n'));
    if (header.find(',') == std::string_view::npos &&
        header.find('\t') != std::string_view::npos) {
      out.delimiter = '\t';
    }
  }
  out.read = [transcoder](char* o, std::size_t size) { return transcoder->Read(o, size); };
  return out;
}

}  // namespace salesight::ingest

namespace salesight {

absl::StatusOr<Encoding> ParseEncodingName(std::string_view name) {
  std::string n;
  for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "auto" || n.empty()) return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312") return Encoding::kGb18030;
  if (n == "utf-16" || n == "utf16") return Encoding::kUtf16;
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown encoding '%s' (use utf-8, gb18030, gbk, utf-16 or auto)",
      ingest::Printable(name, 80)));
}

}  // namespace salesight
