// DeclareAggregator: a kind of salesight/aggregator.hpp from a calculator's
// typed functions over its own state S and options O (declared options,
// salesight/options.hpp). Included by the kinds' folders only.
//
// Bytes of a kind with options_in_bytes: the 16-byte header (kind, money
// scale), u64 number of options, (string name, string value) each in
// canonical order, then the kind's body (`write` / `read`). Strings are a u64
// length and the bytes; a name or value is at most kMaxOptionBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "byte_io.hpp"
#include "partial_header.hpp"
#include "salesight/aggregator.hpp"

namespace salesight::aggregator_internal {

inline constexpr std::size_t kMaxOptionBytes = 4096;
inline constexpr std::size_t kMaxOptions = 64;

template <typename O, typename S>
struct KindOps {
  std::string_view name;
  PartialKind kind = PartialKind::kRfm;
  TableKind rows{};
  // Optional: AggregatorSpec::row_count (rows of several tables).
  std::size_t (*row_count)(const Dataset&) = nullptr;
  absl::Span<const OptionDecl<O>> decls;
  // Rows [begin, end) of `data` (may refuse options a partition cannot
  // honour, e.g. an as_of derived from the data).
  absl::StatusOr<S> (*partial)(const Dataset& data, std::size_t begin, std::size_t end,
                               const O& options) = nullptr;
  absl::Status (*merge)(S& into, const S& from) = nullptr;
  // The merge leaves `into` unchanged on error itself (no copy needed).
  bool merge_keeps_into_on_error = false;
  // The state's money scale (read before the body is, set from the header).
  int& (*money_scale)(S&) = nullptr;
  // New kinds: the body after the options. Older kinds (options_in_bytes
  // false): whole bytes in their own format (`serialize` / `deserialize`).
  void (*write)(const S&, byte_io::Writer&) = nullptr;
  absl::Status (*read)(byte_io::Reader&, S*) = nullptr;
  absl::StatusOr<std::string> (*serialize)(const S&) = nullptr;
  absl::StatusOr<S> (*deserialize)(std::string_view) = nullptr;
  // Copies the dictionaries of `fresh` (a zero-row partial of the context).
  void (*attach)(S& state, const S& fresh) = nullptr;
  absl::StatusOr<ResultSet> (*finish)(S state, const O& options, const Dataset* context) = nullptr;
};

template <typename O>
absl::StatusOr<O> OptionsFrom(absl::Span<const OptionDecl<O>> decls, const OptionSettings& s) {
  O options{};
  for (const auto& [name, text] : s) {
    if (absl::Status st = SetOption(decls, options, name, text); !st.ok()) return st;
  }
  return options;
}

// ResultSet, named dependently: this header only declares it (the core must
// not reach the tables), the kinds' sources that instantiate it define it.
template <typename S>
using ResultSetOf = std::conditional_t<sizeof(S) != 0, ResultSet, void>;

template <typename O, typename S>
class StatePartial final : public PartialAggregate {
 public:
  StatePartial(const AggregatorSpec* spec, const KindOps<O, S>* ops, OptionSettings settings,
               S state)
      : PartialAggregate(spec, std::move(settings)), ops_(ops), state_(std::move(state)) {}

  void* state() override { return finished() ? nullptr : &state_; }

 protected:
  absl::Status MergeState(const PartialAggregate& from) override {
    const S& other = static_cast<const StatePartial&>(from).state_;
    if (ops_->merge_keeps_into_on_error) return ops_->merge(state_, other);
    if constexpr (std::is_copy_constructible_v<S>) {
      // Merge into a copy: a failure (an overflow half-way) leaves this unchanged.
      S merged = state_;
      if (absl::Status st = ops_->merge(merged, other); !st.ok()) return st;
      state_ = std::move(merged);
      return absl::OkStatus();
    } else {
      return ops_->merge(state_, other);  // move-only states merge transactionally themselves
    }
  }

  absl::StatusOr<std::string> SerializeState() const override {
    if (ops_->serialize != nullptr) return ops_->serialize(state_);
    byte_io::Writer w;
    partial_format::WriteHeader(w, ops_->kind, ops_->money_scale(const_cast<S&>(state_)));
    w.Put<std::uint64_t>(settings().size());
    for (const auto& [name, value] : settings()) {
      w.PutString(name);
      w.PutString(value);
    }
    ops_->write(state_, w);
    return std::move(w.str());
  }

  absl::StatusOr<ResultSetOf<S>> FinishState(const Dataset* context,
                                             const OptionSettings& settings) override {
    S state = std::move(state_);
    state_ = S();
    absl::StatusOr<O> options = OptionsFrom(ops_->decls, settings);
    if (!options.ok()) return options.status();
    if (context != nullptr) {
      absl::StatusOr<S> fresh = ops_->partial(*context, 0, 0, *options);
      if (!fresh.ok()) return fresh.status();
      ops_->attach(state, *fresh);
    }
    return ops_->finish(std::move(state), *options, context);
  }

 private:
  const KindOps<O, S>* ops_;
  S state_;
};

template <typename O, typename S>
absl::StatusOr<PartialPtr> Build(const AggregatorSpec& spec, const KindOps<O, S>* ops,
                                 const Dataset& data, std::size_t begin, std::size_t end,
                                 OptionSettings settings) {
  absl::StatusOr<O> options = OptionsFrom(ops->decls, settings);
  if (!options.ok()) return options.status();
  absl::StatusOr<S> state = ops->partial(data, begin, end, *options);
  if (!state.ok()) return state.status();
  return PartialPtr(new StatePartial<O, S>(&spec, ops, std::move(settings), *std::move(state)));
}

template <typename O, typename S>
absl::StatusOr<PartialPtr> Read(const AggregatorSpec& spec, const KindOps<O, S>* ops,
                                std::string_view bytes) {
  if (ops->deserialize != nullptr) {
    absl::StatusOr<S> state = ops->deserialize(bytes);
    if (!state.ok()) return state.status();
    return PartialPtr(new StatePartial<O, S>(&spec, ops, {}, *std::move(state)));
  }
  const std::string what = absl::StrCat(std::string(spec.name), " partial");
  byte_io::Reader r(bytes, what.c_str());
  int scale = 0;
  SALESIGHT_BIO(partial_format::ReadHeader(r, bytes, ops->kind, &scale));
  std::size_t at = r.offset();
  std::size_t n = 0;
  SALESIGHT_BIO(r.GetCount(&n, 16, "number of options"));
  if (n > kMaxOptions) return r.ErrorAt(at, absl::StrFormat("%d options: more than declared", n));
  OptionSettings settings(n);
  for (auto& [name, value] : settings) {
    at = r.offset();
    SALESIGHT_BIO(r.GetString(&name, "option name"));
    SALESIGHT_BIO(r.GetString(&value, "option value"));
    if (name.size() > kMaxOptionBytes || value.size() > kMaxOptionBytes) {
      return r.ErrorAt(at, "an option name or value is too long");
    }
  }
  // The options must be what a partial built here holds: declared, valid,
  // canonical (else a merge with a fresh partial would compare unequal).
  absl::StatusOr<OptionSettings> canonical = CanonicalSettings(InfosOf(ops->decls), settings);
  if (!canonical.ok()) return r.ErrorAt(at, std::string(canonical.status().message()));
  if (*canonical != settings) return r.ErrorAt(at, "the options are not in canonical form");
  if (absl::StatusOr<O> o = OptionsFrom(ops->decls, settings); !o.ok()) {
    return r.ErrorAt(at, std::string(o.status().message()));
  }
  S state;
  ops->money_scale(state) = scale;
  SALESIGHT_BIO(ops->read(r, &state));
  if (ops->money_scale(state) != scale) {
    return r.ErrorAt(12, "the money scale differs from the body's");
  }
  if (!r.at_end()) return r.Error("trailing bytes after the partial state");
  return PartialPtr(new StatePartial<O, S>(&spec, ops, std::move(settings), std::move(state)));
}

// The registry entry of `ops` (which must outlive the program: a static).
template <typename O, typename S>
AggregatorSpec DeclareAggregator(const KindOps<O, S>* ops) {
  AggregatorSpec spec;
  spec.name = ops->name;
  spec.kind = static_cast<std::uint8_t>(ops->kind);
  spec.rows = ops->rows;
  spec.options_in_bytes = ops->serialize == nullptr;
  if (ops->row_count != nullptr) spec.row_count = ops->row_count;
  spec.partial = [ops](const AggregatorSpec& self, const Dataset& data, std::size_t begin,
                       std::size_t end, OptionSettings settings) {
    return Build(self, ops, data, begin, end, std::move(settings));
  };
  spec.deserialize = [ops](const AggregatorSpec& self, std::string_view bytes) {
    return Read(self, ops, bytes);
  };
  spec.adopt = [ops](const AggregatorSpec& self, void* state) {
    return PartialPtr(new StatePartial<O, S>(&self, ops, {}, std::move(*static_cast<S*>(state))));
  };
  return spec;
}

}  // namespace salesight::aggregator_internal
