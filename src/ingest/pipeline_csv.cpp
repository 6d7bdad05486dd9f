// ReadPipelineCsv: opportunity exports with one date column per funnel stage.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/attributes.hpp"
#include "internal/canonical_ids.hpp"
#include "internal/loader.hpp"
#include "internal/pipeline_load.hpp"
#include "internal/stream_batches.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

using ingest::FieldSpec;
using ingest::ParsedMoney;
using ingest::Row;

enum PipelineField {
  kId, kCreated, kCustomer, kSalesperson, kRegion, kSource, kAmount, kLost, kLostReason,
  kCategory, kNumPipelineFields
};
constexpr FieldSpec kPipelineFields[kNumPipelineFields] = {
    {"id", true},      {"created", false}, {"customer", false},
    {"salesperson", false}, {"region", false}, {"source", false},
    {"amount", false}, {"lost", false},    {"lost_reason", false},
    {"category", false}};

}  // namespace

namespace ingest {

absl::StatusOr<PipelineCsv> LoadPipeline(Loader& loader, const IngestOptions& options,
                                         std::vector<std::pair<std::string, std::string>> stages,
                                         Dictionaries& dicts, PipelineBatchSink* sink) {
  if (stages.empty()) {
    for (const std::string& s : DefaultStages()) stages.emplace_back(s, s + "_date");
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::vector<int> col, loader.Bind(kPipelineFields));
  std::vector<int> stage_col;
  std::vector<std::string_view> date_fields = {"created", "lost"};
  for (const auto& [stage, column] : stages) {
    SALESIGHT_ASSIGN_OR_RETURN(int c,
                               loader.ColumnIndex(absl::StrFormat("stage '%s'", stage), column));
    stage_col.push_back(c);
    date_fields.push_back(stage);
  }
  SALESIGHT_RETURN_IF_ERROR(loader.CheckDateFormatKeys(date_fields));
  std::vector<int> used = col;
  used.insert(used.end(), stage_col.begin(), stage_col.end());
  SALESIGHT_ASSIGN_OR_RETURN(
      ingest::AttributeReader attributes,
      ingest::AttributeReader::Create(loader, options, used, kPipelineFieldNames));
  auto bound = [&](PipelineField f) { return col[f] >= 0; };
  // "created" defaults to the first stage's column (every opportunity enters the
  // funnel at its first stage), with that stage's date format.
  const int created_col = bound(kCreated) ? col[kCreated] : stage_col[0];
  ingest::DateParser created_dates(
      loader.DateParserFor(bound(kCreated) ? std::string_view("created") : stages[0].first));
  ingest::DateParser lost_dates(loader.DateParserFor("lost"));
  std::vector<ingest::DateParser> stage_dates;
  for (const auto& stage : stages) stage_dates.emplace_back(loader.DateParserFor(stage.first));

  if (bound(kCustomer)) ingest::EnsureDictionary(dicts.customers);
  if (bound(kSalesperson)) ingest::EnsureDictionary(dicts.salespeople);
  if (bound(kRegion)) ingest::EnsureDictionary(dicts.regions);
  if (bound(kSource)) ingest::EnsureDictionary(dicts.sources);
  if (bound(kLostReason)) ingest::EnsureDictionary(dicts.lost_reasons);
  if (bound(kCategory)) ingest::EnsureDictionary(dicts.categories);

  const std::size_t reserve = sink == nullptr ? loader.ReserveRows() : 0;
  ingest::KeyColumn id(&dicts.opportunities);
  std::vector<Id> customer, salesperson, region, source, lost_reason, category;
  std::vector<Money> amount;
  std::vector<Day> created, lost;
  std::vector<std::vector<Day>> stage_values(stages.size());
  id.values().reserve(reserve);
  created.reserve(reserve);
  for (auto& v : stage_values) v.reserve(reserve);
  if (bound(kCustomer)) customer.reserve(reserve);
  if (bound(kSalesperson)) salesperson.reserve(reserve);
  if (bound(kRegion)) region.reserve(reserve);
  if (bound(kSource)) source.reserve(reserve);
  if (bound(kAmount)) amount.reserve(reserve);
  if (bound(kLost)) lost.reserve(reserve);
  if (bound(kLostReason)) lost_reason.reserve(reserve);
  if (bound(kCategory)) category.reserve(reserve);

  ingest::MoneyScale money(options.money_scale, options.decimal_point,
                           options.thousands_separator);
  money.Register(&amount);
  loader.CheckTotals(col[kAmount], &amount, &money);
  std::vector<Day> row_stages(stages.size());  // per row, reused

  // The table of the rows held, each column through `column(vector, bound)`.
  auto take = [&](auto&& column) -> absl::StatusOr<PipelineCsv> {
    PipelineCsv out;
    out.opportunity_ids_are_codes = id.codes();
    PipelineColumns c;
    c.opportunity = column(id.values(), true);
    c.customer = column(customer, bound(kCustomer));
    c.salesperson = column(salesperson, bound(kSalesperson));
    c.region = column(region, bound(kRegion));
    c.source = column(source, bound(kSource));
    c.amount = column(amount, bound(kAmount));
    c.created = column(created, true);
    c.stage_names.clear();
    for (std::size_t s = 0; s < stages.size(); ++s) {
      c.stage_names.push_back(stages[s].first);
      c.stage_dates.push_back(column(stage_values[s], true));
    }
    c.lost_date = column(lost, bound(kLost));
    c.lost_reason = column(lost_reason, bound(kLostReason));
    c.money_scale = money.scale();
    if (bound(kCustomer)) c.customers = dicts.customers;
    if (bound(kSalesperson)) c.salespeople = dicts.salespeople;
    if (bound(kRegion)) c.regions = dicts.regions;
    if (bound(kSource)) c.sources = dicts.sources;
    if (bound(kLostReason)) c.lost_reasons = dicts.lost_reasons;
    // The deal's category is a dimension of the pipeline like any attribute
    // (a streamed read keeps no other attribute: StreamOptions).
    if (sink == nullptr) c.attributes = attributes.Take();
    if (bound(kCategory)) {
      c.attributes.push_back({"category", column(category, true), dicts.categories});
    }
    if (out.opportunity_ids_are_codes) c.opportunities = dicts.opportunities;
    SALESIGHT_ASSIGN_OR_RETURN(out.table, Pipeline::Build(std::move(c)));
    return out;
  };
  // Streaming: hands the rows before the first one an open document still
  // needs to the sink (salesight/csv_stream.hpp).
  std::optional<BatchCut> cut;
  if (sink != nullptr) cut.emplace(loader, sink->bytes);
  auto emit = [&](bool at_end) -> absl::Status {
    const std::size_t rows = cut->Due(at_end);
    if (rows == 0) return absl::OkStatus();
    sink->emitted_numeric_keys |= !id.codes();
    auto lend = [&](auto& v, bool is_bound) { return cut->Lend(v, is_bound, rows); };
    absl::StatusOr<PipelineCsv> batch = take(lend);
    absl::Status st = batch.ok() ? sink->emit(*std::move(batch)) : batch.status();
    cut->Taken(rows);
    return st;
  };

  auto row_fn = [&](Row& row) -> bool {
    if (cut) {
      if (absl::Status st = emit(false); !st.ok()) return row.Fatal(st);
    }
    std::string_view id_code, customer_code, salesperson_code, region_code, source_code,
        reason_code, category_code;
    Day created_day = kNoDate, lost_day = kNoDate;
    ParsedMoney amt;
    if (!ingest::ReadCode(row, col[kId], true, &id_code) ||
        !ingest::ReadDate(row, created_col, created_dates, true, &created_day) ||
        !ingest::ReadCode(row, col[kCustomer], false, &customer_code) ||
        !ingest::ReadCode(row, col[kSalesperson], false, &salesperson_code) ||
        !ingest::ReadCode(row, col[kRegion], false, &region_code) ||
        !ingest::ReadCode(row, col[kSource], false, &source_code) ||
        !ingest::ReadMoney(row, col[kAmount], money, false, &amt) ||
        !ingest::ReadDate(row, col[kLost], lost_dates, false, &lost_day) ||
        !ingest::ReadCode(row, col[kLostReason], false, &reason_code) ||
        !ingest::ReadCode(row, col[kCategory], false, &category_code)) {
      return false;
    }
    for (std::size_t s = 0; s < stages.size(); ++s) {
      if (!ingest::ReadDate(row, stage_col[s], stage_dates[s], false, &row_stages[s])) {
        return false;
      }
    }
    if (!attributes.Read(row)) return false;
    const ingest::MoneyField fields[] = {{col[kAmount], &amt}};
    int target = 0;
    if (!ingest::SettleRow(row, money, fields, &target)) return false;

    if (absl::Status st = id.Push(id_code); !st.ok()) return row.Fatal(st);
    auto code = [&](PipelineField f, std::shared_ptr<Dictionary>& dict, std::string_view text,
                    std::vector<Id>& out) {
      if (!bound(f)) return true;
      Id v = 0;
      if (!ingest::InternCode(row, dict, text, &v)) return false;
      ingest::PushGrow(out, v);
      return true;
    };
    if (!code(kCustomer, dicts.customers, customer_code, customer) ||
        !code(kSalesperson, dicts.salespeople, salesperson_code, salesperson) ||
        !code(kRegion, dicts.regions, region_code, region) ||
        !code(kSource, dicts.sources, source_code, source) ||
        !code(kLostReason, dicts.lost_reasons, reason_code, lost_reason) ||
        !code(kCategory, dicts.categories, category_code, category)) {
      return false;
    }
    if (!attributes.Push(row)) return false;
    ingest::PushGrow(created, created_day);
    for (std::size_t s = 0; s < stages.size(); ++s) ingest::PushGrow(stage_values[s], row_stages[s]);
    if (bound(kLost)) ingest::PushGrow(lost, lost_day);
    if (bound(kAmount)) {
      ingest::RaiseTo(money, target);
      ingest::PushGrow(amount, amt.value);
      money.Track(amt.value);
    }
    return true;
  };
  SALESIGHT_RETURN_IF_ERROR(loader.Run(row_fn));
  auto all = [](auto& v, bool is_bound) { return TakeAll(v, is_bound); };
  if (sink != nullptr) SALESIGHT_RETURN_IF_ERROR(emit(true));
  // With a sink no rows are left: the table's shape, scale and dictionaries.
  SALESIGHT_ASSIGN_OR_RETURN(PipelineCsv out, take(all));
  out.report = loader.Finish();
  return out;
}

}  // namespace ingest

absl::StatusOr<PipelineCsv> ReadPipelineCsv(
    const std::string& path, const IngestOptions& options,
    const std::vector<std::pair<std::string, std::string>>& stages, Dictionaries& dicts) {
  SALESIGHT_RETURN_IF_ERROR(ingest::CheckIngestOptions(options));
  SALESIGHT_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Loader> loader,
                             ingest::Loader::OpenFile(path, options, "pipeline"));
  const ingest::SlotSizes before = ingest::SizesOf(dicts);
  SALESIGHT_ASSIGN_OR_RETURN(PipelineCsv out, ingest::LoadPipeline(*loader, options, stages, dicts));
  SALESIGHT_RETURN_IF_ERROR(ingest::OrderReadCodes(dicts, before, out));
  return out;
}

}  // namespace salesight
