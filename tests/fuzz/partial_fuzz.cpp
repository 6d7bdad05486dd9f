// libFuzzer target: partial states from untrusted bytes (what a Dask worker
// or any other engine hands back). Deserialize; when the bytes are accepted,
// serialize again (what the library writes it must read back, identically),
// merge two decoded copies, and finish with default options (every kind). Every call must return a status
// whatever the bytes: no crash, leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "salesight.h"

namespace {

void Finish(salesight_partial* p) {
  std::int32_t kind = 0;
  if (salesight_partial_kind(p, &kind) != SALESIGHT_OK) return;
  salesight_result* r = nullptr;
  switch (kind) {
    case SALESIGHT_PARTIAL_RFM:
      salesight_rfm_partial_finish(p, nullptr, &r);
      break;
    case SALESIGHT_PARTIAL_FUNNEL:
      salesight_funnel_partial_finish(p, nullptr, &r);
      break;
    case SALESIGHT_PARTIAL_MARGIN:
      salesight_margin_partial_finish(p, nullptr, &r);
      break;
    default:  // every other kind (aging, collection, trend, contribution)
      salesight_partial_finish(p, NULL, NULL, NULL, 0, NULL, &r);
      break;
  }
  salesight_result_destroy(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  salesight_partial* a = nullptr;
  if (salesight_partial_deserialize(data, static_cast<std::int64_t>(size), &a) != SALESIGHT_OK) {
    return 0;
  }
  // What the library writes it must read back, and the encoding is then a
  // fixed point: serialize(deserialize(serialize(a))) == serialize(a).
  std::uint8_t* bytes = nullptr;
  std::int64_t length = 0;
  if (salesight_partial_serialize(a, &bytes, &length) == SALESIGHT_OK) {
    salesight_partial* c = nullptr;
    if (salesight_partial_deserialize(bytes, length, &c) != SALESIGHT_OK) std::abort();
    std::uint8_t* again = nullptr;
    std::int64_t again_length = 0;
    if (salesight_partial_serialize(c, &again, &again_length) != SALESIGHT_OK ||
        again_length != length ||
        std::memcmp(again, bytes, static_cast<std::size_t>(length)) != 0) {
      std::abort();
    }
    salesight_bytes_free(again);
    salesight_partial_destroy(c);
    salesight_bytes_free(bytes);
  }
  salesight_partial* b = nullptr;
  if (salesight_partial_deserialize(data, static_cast<std::int64_t>(size), &b) == SALESIGHT_OK) {
    salesight_partial_merge(a, b);
    Finish(b);
  }
  Finish(a);
  salesight_partial_destroy(b);
  salesight_partial_destroy(a);
  return 0;
}
