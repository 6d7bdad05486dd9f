// Leaderboard partial body <-> bytes (internal/partial_codec.hpp).
#include "internal/partial_codec.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"
#include "core/internal/partial_codec_util.hpp"
#include "salesight/aggregator.hpp"
#include "salesight/partial_format.hpp"
#include "salesight/partial_state.hpp"

namespace salesight::leaderboard_internal {
namespace {

constexpr std::size_t kSumBytes = 4 + 8 + 1 + 8;
constexpr std::size_t kPairBytes = 4 + 8;

// Collection's partial travels in its own kind's bytes (the aggregator's
// codec for it), so its checks are collection's.
absl::StatusOr<std::string> SerializeCollection(const CollectionPartial& p) {
  CollectionPartial copy = p;
  absl::StatusOr<PartialPtr> adopted = AdoptPartial("collection", &copy);
  if (!adopted.ok()) return adopted.status();
  return (*adopted)->Serialize();
}

absl::StatusOr<CollectionPartial> DeserializeCollection(std::string_view bytes) {
  absl::StatusOr<PartialKind> kind = PeekPartialKind(bytes);
  if (!kind.ok()) return kind.status();
  if (*kind != PartialKind::kCollection) {
    return absl::InvalidArgumentError("byte offset 10: not a collection partial");
  }
  absl::StatusOr<PartialPtr> p = DeserializePartial(bytes);
  if (!p.ok()) return p.status();
  return std::move(*static_cast<CollectionPartial*>((*p)->state()));
}

template <typename S>
absl::Status ReadOptional(byte_io::Reader& r, std::optional<S>* out,
                          absl::StatusOr<S> (*deserialize)(std::string_view), const char* what) {
  bool present = false;
  SALESIGHT_BIO(r.GetBool(&present, what));
  if (!present) return absl::OkStatus();
  S state;
  SALESIGHT_BIO(aggregator_internal::ReadNested(r, &state, deserialize, what));
  *out = std::move(state);
  return absl::OkStatus();
}

template <typename S>
void WriteOptional(const std::optional<S>& s, absl::StatusOr<std::string> (*serialize)(const S&),
                   byte_io::Writer& w) {
  w.PutBool(s.has_value());
  if (s) aggregator_internal::WriteNested(*s, serialize, w);
}

absl::Status Rows(byte_io::Reader& r, std::int64_t* v, const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(v, field));
  if (*v < 0 || *v > kMaxSerializedCount) {
    return r.ErrorAt(at, absl::StrFormat("%s %d is outside 0..%d", field, *v, kMaxSerializedCount));
  }
  return absl::OkStatus();
}

absl::Status Salesperson(byte_io::Reader& r, Id* id, Id after) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(id, "salesperson"));
  if (*id < 0 || *id == std::numeric_limits<Id>::max()) {
    return r.ErrorAt(at, absl::StrFormat("salesperson %d is not an id", *id));
  }
  if (*id < after) return r.ErrorAt(at, "salespeople are not ascending");
  return absl::OkStatus();
}

}  // namespace

void WritePartial(const LeaderboardPartial& p, byte_io::Writer& w) {
  w.Put(p.order_rows);
  w.Put(p.pipeline_rows);
  w.Put(p.invoice_rows);
  w.Put<std::uint64_t>(p.sums.size());
  for (const LeaderboardSums& s : p.sums) {
    w.Put(s.salesperson);
    w.Put(s.revenue);
    w.PutBool(s.target.has_value());
    w.Put(s.target.value_or(0));
  }
  w.Put<std::uint64_t>(p.orders.size());
  for (const auto& pair : p.orders) {
    w.Put(pair.first);
    w.Put(pair.second);
  }
  WriteOptional(p.margin, &SerializeMarginPartial, w);
  WriteOptional(p.funnel, &SerializeFunnelPartial, w);
  WriteOptional(p.collection, &SerializeCollection, w);
}

absl::Status ReadPartial(byte_io::Reader& r, LeaderboardPartial* p) {
  SALESIGHT_BIO(Rows(r, &p->order_rows, "order rows"));
  SALESIGHT_BIO(Rows(r, &p->pipeline_rows, "pipeline rows"));
  SALESIGHT_BIO(Rows(r, &p->invoice_rows, "invoice rows"));
  std::size_t n = 0;
  SALESIGHT_BIO(r.GetCount(&n, kSumBytes, "salespeople"));
  p->sums.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    LeaderboardSums& s = p->sums[i];
    SALESIGHT_BIO(Salesperson(r, &s.salesperson, i == 0 ? 0 : p->sums[i - 1].salesperson + 1));
    SALESIGHT_BIO(r.Get(&s.revenue, "revenue"));
    bool has_target = false;
    Money target = 0;
    SALESIGHT_BIO(r.GetBool(&has_target, "has target"));
    SALESIGHT_BIO(r.Get(&target, "target"));
    if (has_target) s.target = target;
  }
  const std::size_t orders_at = r.offset();
  SALESIGHT_BIO(r.GetCount(&n, kPairBytes, "orders"));
  if (n > static_cast<std::size_t>(kMaxSerializedCount)) {
    return r.ErrorAt(orders_at, "more orders than a partial holds");
  }
  p->orders.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t at = r.offset();
    auto& pair = p->orders[i];
    SALESIGHT_BIO(Salesperson(r, &pair.first, 0));
    SALESIGHT_BIO(r.Get(&pair.second, "order id"));
    if (i > 0 && !(p->orders[i - 1] < pair)) {
      return r.ErrorAt(at, "(salesperson, order) pairs are not strictly ascending");
    }
  }
  SALESIGHT_BIO(ReadOptional(r, &p->margin, &DeserializeMarginPartial, "margin partial"));
  SALESIGHT_BIO(ReadOptional(r, &p->funnel, &DeserializeFunnelPartial, "funnel partial"));
  SALESIGHT_BIO(ReadOptional(r, &p->collection, &DeserializeCollection, "collection partial"));
  // The nested money amounts must be at the leaderboard's scale.
  if ((p->margin && p->margin->money_scale != p->money_scale) ||
      (p->collection && p->collection->money_scale != p->money_scale)) {
    return r.Error("a nested partial's money scale differs from the leaderboard's");
  }
  return absl::OkStatus();
}

}  // namespace salesight::leaderboard_internal
