// ReadOrdersInChunks: an orders file read by several threads (chunked.hpp),
// merged into what one pass produces.
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "salesight/status_macros.hpp"
#include "core/internal/parallel_intern.hpp"
#include "internal/chunked.hpp"
#include "internal/orders_columns.hpp"

namespace salesight::ingest {
namespace {

struct OrderChunk {
  OrderColumns columns;
  Dictionaries dicts;  // the chunk's own, merged into the caller's
};
using Chunks = std::vector<ChunkRead<OrderChunk>>;

ChunkRead<OrderChunk> ReadOrderChunk(const std::string& path, const IngestOptions& options,
                                     const std::vector<std::string>& header, std::int64_t start,
                                     std::int64_t stop, std::int64_t first_line) {
  ChunkRead<OrderChunk> out;
  out.start = start;
  out.first_line = first_line;
  absl::StatusOr<std::unique_ptr<CsvReader>> reader =
      OpenChunkReader(path, options, start, stop, first_line);
  if (!reader.ok()) {
    out.part = reader.status();
    return out;
  }
  absl::StatusOr<std::unique_ptr<Loader>> loader =
      Loader::OpenChunk(*std::move(reader), options, "orders", header);
  if (!loader.ok()) {
    out.part = loader.status();
    return out;
  }
  OrderChunk chunk;
  absl::StatusOr<OrderColumns> columns =
      LoadOrderColumns(**loader, options, chunk.dicts, nullptr, CodeIds::kLocal);
  if (!columns.ok()) {
    out.part = columns.status();
    return out;
  }
  chunk.columns = *std::move(columns);
  out.report = (*loader)->Finish();
  out.end = start + (*loader)->position();
  out.next_line = (*loader)->next_line();
  out.line_reasons = (*loader)->line_reasons();
  out.part = std::move(chunk);
  return out;
}

OrderChunk& Part(ChunkRead<OrderChunk>& c) { return *c.part; }

// With auto money_scale the scale grows as rows are read, and a row's
// amounts are read at the scale reached before it: a later chunk starts at
// scale 0 where one pass may be higher. That changes nothing when no amount
// of the chunk could overflow at any scale (MoneyScale::saw_large), and no
// row of it was rejected at a money column (such reasons print amounts at
// the row's scale). The first chunk starts where one pass starts.
bool MoneyAgrees(Chunks& chunks, const IngestOptions& options, int* scale) {
  *scale = Part(chunks[0]).columns.c.money_scale;
  if (options.money_scale >= 0) return true;
  const OrderColumns& first = Part(chunks[0]).columns;
  std::vector<std::string> money;
  for (const std::string& name : first.money_columns) money.push_back(Printable(name));
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    *scale = std::max(*scale, Part(chunks[k]).columns.c.money_scale);
    if (k == 0) continue;
    if (Part(chunks[k]).columns.large_amounts) return false;
    // by_reason counts every reject, also those beyond the kept ones.
    for (const auto& [reason, count] : chunks[k].report.by_reason) {
      for (const std::string& m : money) {
        if (reason.rfind(m + ": ", 0) == 0) return false;
      }
    }
  }
  for (ChunkRead<OrderChunk>& chunk : chunks) {
    const OrderLinesColumns& c = Part(chunk).columns.c;
    if (c.money_scale == *scale) continue;
    if (first.cost_kind == OrderColumns::kUnitCost) return false;
    const Money limit = kMaxMoney / Pow10(*scale - c.money_scale);
    for (const Column<Money>* col : {&c.amount, &c.cost}) {
      for (Money v : *col) {
        if (v > limit || v < -limit) return false;
      }
    }
  }
  return true;
}

Column<Money> ConcatMoney(Chunks& chunks, Column<Money> OrderLinesColumns::*member, int scale) {
  std::size_t rows = 0;
  for (ChunkRead<OrderChunk>& chunk : chunks) rows += (Part(chunk).columns.c.*member).size();
  std::vector<Money> out;
  out.reserve(rows);
  for (ChunkRead<OrderChunk>& chunk : chunks) {
    OrderLinesColumns& c = Part(chunk).columns.c;
    const Money factor = Pow10(scale - c.money_scale);  // MoneyAgrees: no overflow
    for (Money v : c.*member) out.push_back(v * factor);
    c.*member = Column<Money>();
  }
  return Column<Money>::Own(std::move(out));
}

// Puts the codes of `dict` from `keep` on in canonical order and the chunks'
// maps (chunk id -> dict id) with them.
void ToCanonical(Dictionary& dict, Id keep, std::vector<std::vector<Id>>& maps) {
  const std::vector<Id> canonical = CanonicalOrder(dict, keep);
  dict.Reorder(canonical);
  for (std::vector<Id>& map : maps) {
    for (Id& id : map) id = canonical[static_cast<std::size_t>(id)];
  }
}

// Attribute columns have per-file dictionaries: the union, in canonical
// order. False when a column has more members than allowed (one pass fails
// there, naming the row).
bool MergeAttributes(Chunks& chunks, std::int32_t max_members, Attributes* out) {
  const std::size_t count = Part(chunks[0]).columns.c.attributes.size();
  for (std::size_t a = 0; a < count; ++a) {
    auto dict = std::make_shared<Dictionary>();
    std::vector<std::vector<Id>> maps;
    std::vector<Column<Id>*> parts;
    for (ChunkRead<OrderChunk>& chunk : chunks) {
      AttributeColumn& column = Part(chunk).columns.c.attributes[a];
      absl::StatusOr<std::vector<Id>> map = InternAll(*column.dictionary, dict);
      if (!map.ok() || dict->size() > max_members) return false;
      maps.push_back(*std::move(map));
      parts.push_back(&column.codes);
    }
    ToCanonical(*dict, 0, maps);
    std::string name = Part(chunks[0]).columns.c.attributes[a].name;
    out->push_back({std::move(name), Concat<Id>(std::move(parts), &maps), std::move(dict)});
  }
  return true;
}

// An id column of every chunk through the chunk's codes for `slot`
// (CodeIds::kLocal), interned into the caller's dictionary. The codes added are put in canonical order
// here (as OrderReadCodes would, which then finds nothing to move), so the
// merged column is written once: no second copy of it to remap.
absl::Status MergeIds(Chunks& chunks, std::shared_ptr<Dictionary> Dictionaries::*slot,
                      Column<Id>* (*column)(OrderColumns&), Dictionaries& dicts, Column<Id>* out) {
  const Id keep = dicts.*slot ? (dicts.*slot)->size() : 0;
  std::vector<std::vector<Id>> maps;
  std::vector<Column<Id>*> parts;
  for (ChunkRead<OrderChunk>& chunk : chunks) {
    OrderColumns& c = Part(chunk).columns;
    auto codes = std::find_if(c.local_codes.begin(), c.local_codes.end(),
                              [&](const auto& local) { return local.first == slot; });
    if (codes == c.local_codes.end()) return absl::InternalError("MergeIds: a chunk lacks codes");
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<Id> map,
                               internal::InternAll(codes->second, EnsureDictionary(dicts.*slot)));
    codes->second = internal::CodeTable();  // freed as soon as merged
    maps.push_back(std::move(map));
    parts.push_back(column(c));
  }
  ToCanonical(*(dicts.*slot), keep, maps);
  *out = Concat<Id>(std::move(parts), &maps);
  return absl::OkStatus();
}

// Order numbers: int64 unless a chunk met a key that is not a plain integer;
// then every key is a code, the numbers by their decimal text (which is the
// text they were read from), as one pass switches (KeyColumn).
absl::Status MergeOrderKeys(Chunks& chunks, Dictionaries& dicts, OrderColumns* merged) {
  bool codes = false;
  for (ChunkRead<OrderChunk>& chunk : chunks) codes |= Part(chunk).columns.order_codes;
  merged->order_codes = codes;
  std::vector<Column<std::int64_t>*> parts;
  for (ChunkRead<OrderChunk>& chunk : chunks) parts.push_back(&Part(chunk).columns.c.order_id);
  if (!codes) {
    merged->c.order_id = Concat<std::int64_t>(std::move(parts));
    return absl::OkStatus();
  }
  Dictionary& global = EnsureDictionary(dicts.orders);
  std::size_t rows = 0;
  for (const Column<std::int64_t>* p : parts) rows += p->size();
  std::vector<std::int64_t> out;
  out.reserve(rows);
  for (ChunkRead<OrderChunk>& chunk : chunks) {
    OrderColumns& c = Part(chunk).columns;
    if (c.order_codes) {
      SALESIGHT_ASSIGN_OR_RETURN(std::vector<Id> map,
                                 InternAll(*Part(chunk).dicts.orders, dicts.orders));
      for (std::int64_t v : c.c.order_id) out.push_back(map[static_cast<std::size_t>(v)]);
    } else {
      for (std::int64_t v : c.c.order_id) {
        SALESIGHT_ASSIGN_OR_RETURN(Id id, global.Intern(std::to_string(v)));
        out.push_back(id);
      }
    }
    c.c.order_id = Column<std::int64_t>();
  }
  merged->c.order_id = Column<std::int64_t>::Own(std::move(out));
  merged->c.orders = dicts.orders;
  return absl::OkStatus();
}

template <typename T>
Column<T> ConcatOf(Chunks& chunks, Column<T> OrderLinesColumns::*member) {
  std::vector<Column<T>*> parts;
  for (ChunkRead<OrderChunk>& chunk : chunks) parts.push_back(&(Part(chunk).columns.c.*member));
  return Concat<T>(std::move(parts));
}

}  // namespace

absl::StatusOr<std::optional<OrdersCsv>> ReadOrdersInChunks(const std::string& path,
                                                            const Loader& loader,
                                                            const IngestOptions& options,
                                                            Dictionaries& dicts) {
  // Keys are interned from the first row when the shared dictionary holds codes.
  if (dicts.orders != nullptr && !dicts.orders->empty()) return std::nullopt;
  SALESIGHT_ASSIGN_OR_RETURN(ChunkPlan plan, PlanChunks(path, loader, options));
  if (plan.starts.size() < 2) return std::nullopt;
  const std::vector<std::string>& header = loader.header();
  absl::StatusOr<Chunks> read = ReadChunks<OrderChunk>(
      plan, [&](std::int64_t start, std::int64_t stop, std::int64_t first_line) {
        return ReadOrderChunk(path, options, header, start, stop, first_line);
      });
  if (!read.ok()) return std::nullopt;
  Chunks& chunks = *read;
  // Everything that may send the file to one pass is decided before the
  // caller's dictionaries are touched.
  for (const ChunkRead<OrderChunk>& chunk : chunks) {
    if (HasDocumentRows(chunk.report)) return std::nullopt;
  }
  int scale = 0;
  if (!MoneyAgrees(chunks, options, &scale)) return std::nullopt;
  OrderColumns merged;
  if (!MergeAttributes(chunks, options.max_attribute_members, &merged.c.attributes)) {
    return std::nullopt;
  }

  const OrderColumns& first = Part(chunks[0]).columns;
  merged.has_line = first.has_line;
  merged.has_quantity = first.has_quantity;
  merged.has_category = first.has_category;
  merged.cost_kind = first.cost_kind;
  merged.money_columns = first.money_columns;
  OrderLinesColumns& c = merged.c;
  c.money_scale = scale;
  SALESIGHT_RETURN_IF_ERROR(MergeOrderKeys(chunks, dicts, &merged));
  using D = Dictionaries;
  struct IdColumn {
    std::shared_ptr<Dictionary> D::*slot;
    Column<Id>* (*column)(OrderColumns&);
    bool bound;
    Column<Id>* out;
    DictionaryPtr* table_dict;
  };
  const OrderLinesColumns& f = first.c;
  const IdColumn ids[] = {
      {&D::customers, [](OrderColumns& o) { return &o.c.customer; }, true, &c.customer,
       &c.customers},
      {&D::products, [](OrderColumns& o) { return &o.c.product; }, f.products != nullptr,
       &c.product, &c.products},
      {&D::regions, [](OrderColumns& o) { return &o.c.region; }, f.regions != nullptr, &c.region,
       &c.regions},
      {&D::salespeople, [](OrderColumns& o) { return &o.c.salesperson; },
       f.salespeople != nullptr, &c.salesperson, &c.salespeople},
      {&D::channels, [](OrderColumns& o) { return &o.c.channel; }, f.channels != nullptr,
       &c.channel, &c.channels},
      {&D::departments, [](OrderColumns& o) { return &o.c.department; },
       f.departments != nullptr, &c.department, &c.departments},
      {&D::categories, [](OrderColumns& o) { return &o.category; }, first.has_category,
       &merged.category, nullptr},
  };
  for (const IdColumn& id : ids) {
    if (!id.bound) continue;
    SALESIGHT_RETURN_IF_ERROR(MergeIds(chunks, id.slot, id.column, dicts, id.out));
    if (id.table_dict != nullptr) *id.table_dict = dicts.*(id.slot);
  }
  if (first.has_line) c.line = ConcatOf(chunks, &OrderLinesColumns::line);
  c.order_date = ConcatOf(chunks, &OrderLinesColumns::order_date);
  if (first.has_quantity) c.quantity = ConcatOf(chunks, &OrderLinesColumns::quantity);
  c.amount = ConcatMoney(chunks, &OrderLinesColumns::amount, scale);
  if (first.cost_kind == OrderColumns::kCost) {
    c.cost = ConcatMoney(chunks, &OrderLinesColumns::cost, scale);
  } else if (first.cost_kind == OrderColumns::kUnitCost) {
    c.unit_cost = ConcatMoney(chunks, &OrderLinesColumns::unit_cost, scale);
  }
  std::vector<RejectReport> reports;
  for (ChunkRead<OrderChunk>& chunk : chunks) reports.push_back(std::move(chunk.report));
  ++ThreadChunkCounters().files;
  ThreadChunkCounters().chunks += static_cast<std::int64_t>(reports.size());
  chunks.clear();
  if (options.progress) options.progress(plan.file_size, plan.file_size);
  SALESIGHT_ASSIGN_OR_RETURN(
      OrdersCsv out,
      BuildOrders(std::move(merged), MergeReports(std::move(reports), options.max_rejects_kept)));
  return std::optional<OrdersCsv>(std::move(out));
}

}  // namespace salesight::ingest
