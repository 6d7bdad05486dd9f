// `salesight report`, the main job: one readable summary, a section per
// calculator, of the bundled sample or of the user's exports.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "internal/ingest_flags.hpp"
#include "internal/rfm_flags.hpp"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/overview.hpp"
#include "salesight/receivables.hpp"
#include "salesight/rfm.hpp"
#include "salesight/trend.hpp"
#include "internal/command.hpp"
#include "internal/sample_source.hpp"

namespace salesight::cli {
namespace {

struct ReportInputs {
  Dataset data;  // every section reads this one dataset
  std::string source;
  RfmSegments segments = RfmSegments::kTiers;
  RfmRuleTable custom_rules;
};

void Heading(std::ostream& out, std::string_view title) {
  out << "\n== " << title << " " << std::string(title.size() < 70 ? 70 - title.size() : 0, '=')
      << "\n\n";
}

// A section that fails prints its error and the report goes on: one bad
// export must not hide the other answers.
void Failed(std::ostream& out, const absl::Status& st) { out << "  (not available: " << st.message() << ")\n"; }

void OverviewSection(const ReportInputs& in, std::ostream& out) {
  Heading(out, "Data");
  out << "  source: " << in.source << "\n";
  if (in.data.orders()) {
    absl::StatusOr<OrdersOverview> o = ComputeOverview(in.data);
    if (!o.ok()) {
      Failed(out, o.status());
    } else {
      out << absl::StrFormat(
          "  orders: %d lines in %d orders, %d customers, %d products, %s .. %s\n", o->lines,
          o->orders, o->customers, o->products, FormatDate(o->first_day), FormatDate(o->last_day));
      out << absl::StrFormat("  net revenue: %s (sales %s, returns %s in %d return lines)\n",
                             FormatMoney(o->net_revenue, o->money_scale),
                             FormatMoney(o->sales, o->money_scale),
                             FormatMoney(o->returns, o->money_scale), o->return_lines);
    }
  }
  if (const Pipeline* p = in.data.pipeline()) {
    out << absl::StrFormat("  pipeline: %d opportunities\n", p->size());
  }
  if (const Invoices* i = in.data.invoices()) out << absl::StrFormat("  invoices: %d\n", i->size());
}

void CustomerSection(const ReportInputs& in, const Args& args, std::ostream& out) {
  Heading(out, "Customer tiers (RFM, as of the day after the last order)");
  if (!in.data.orders()) return Failed(out, absl::InvalidArgumentError("no orders given"));
  RfmOptions options;
  options.num_threads = 0;
  options.segments = in.segments;
  options.custom_rules = in.custom_rules;
  absl::StatusOr<RfmResult> rfm = ComputeRfm(*in.data.orders(), options);
  if (!rfm.ok()) return Failed(out, rfm.status());
  absl::StatusOr<RfmSegmentSummary> summary = SummarizeSegments(*rfm);
  if (!summary.ok()) return Failed(out, summary.status());
  WriteSegmentSummary(*summary, args, out);
  absl::StatusOr<RfmPareto> pareto = ComputePareto(*rfm, 10);
  if (pareto.ok() && pareto->top20_share) {
    out << absl::StrFormat("\n  customer pyramid: the top 20%% of customers bring %.1f%% of revenue\n",
                           100.0 * *pareto->top20_share);
  }
}

void FunnelSection(const ReportInputs& in, std::ostream& out) {
  Heading(out, "Sales funnel (all opportunities)");
  if (!in.data.pipeline()) return Failed(out, absl::InvalidArgumentError("no pipeline given"));
  FunnelOptions options;
  options.num_threads = 0;
  options.group_by = {"region"};
  absl::StatusOr<FunnelResult> funnel = ComputeFunnel(*in.data.pipeline(), options);
  if (!funnel.ok()) return Failed(out, funnel.status());
  ResultTable t;
  ResultColumn& stage = t.AddString("stage");
  ResultColumn& count = t.AddInt64("count");
  ResultColumn& step = t.AddDouble("step_conv");
  ResultColumn& cum = t.AddDouble("cum_conv");
  ResultColumn& days = t.AddDouble("median_days");
  for (std::size_t s = 0; s < funnel->stage_names.size(); ++s) {
    const FunnelStageStats& st = funnel->overall.stages[s];
    stage.strings.push_back(funnel->stage_names[s]);
    count.ints.push_back(st.count);
    for (auto [col, v] : {std::pair{&step, st.step_conversion}, {&cum, st.cumulative_conversion},
                          {&days, st.days.median}}) {
      col->doubles.push_back(v.value_or(0));
      col->valid.push_back(v.has_value());
    }
  }
  PrintTable(t, out);
  const FunnelGroupStats& o = funnel->overall;
  auto pct = [](std::optional<double> v) {
    return v ? absl::StrFormat("%.1f%%", 100 * *v) : std::string("n/a");
  };
  out << absl::StrFormat("\n  win rate %s of closed (%s of created); median cycle %s days\n",
                         pct(o.win_rate_closed), pct(o.win_rate_created),
                         o.cycle_days.median ? absl::StrFormat("%.1f", *o.cycle_days.median)
                                             : std::string("n/a"));
  if (!funnel->bottlenecks.empty()) {
    out << "  bottlenecks by region:\n";
    for (std::size_t i = 0; i < funnel->bottlenecks.size() && i < 5; ++i) {
      out << "    " << funnel->bottlenecks[i].explanation << "\n";
    }
  }
}

void ProductSection(const ReportInputs& in, std::ostream& out) {
  Heading(out, "Top products by gross margin");
  if (!in.data.orders()) return Failed(out, absl::InvalidArgumentError("no orders given"));
  MarginOptions options;
  options.num_threads = 0;
  absl::StatusOr<MarginResult> margin = ComputeMargin(in.data, options);
  if (!margin.ok()) return Failed(out, margin.status());
  MarginRankOptions ro;
  ro.n = 10;
  absl::StatusOr<MarginRanking> top = RankMargin(*margin, ro);
  if (!top.ok()) return Failed(out, top.status());
  PrintTable(ToResultTable(*top, *margin), out);
  const MarginFigures& t = margin->total;
  out << absl::StrFormat("\n  total: revenue %s, cost %s, margin %s (%s)\n",
                         FormatMoney(t.revenue, margin->money_scale),
                         FormatMoney(t.cost, margin->money_scale),
                         FormatMoney(t.margin, margin->money_scale),
                         t.margin_pct ? absl::StrFormat("%.1f%%", *t.margin_pct) : "n/a");
  if (t.cost_unknown_lines > 0) {
    out << absl::StrFormat("  %d lines have no cost and are left out of the margin\n",
                           t.cost_unknown_lines);
  }
  absl::StatusOr<AbcResult> abc = ClassifyAbc(*margin, AbcOptions{});
  if (abc.ok()) {
    out << absl::StrFormat("  ABC by revenue: A %d products, B %d, C %d, N (net negative) %d\n",
                           abc->summary[0].items, abc->summary[1].items, abc->summary[2].items,
                           abc->summary[3].items);
  }
}

void ReceivablesSection(const ReportInputs& in, std::ostream& out) {
  if (!in.data.invoices()) {
    Heading(out, "Receivables aging");
    return Failed(out, absl::InvalidArgumentError("no invoices given"));
  }
  const Day as_of = in.data.invoices()->max_invoice_date();
  Heading(out, absl::StrFormat("Receivables aging (as of %s, the latest invoice date)",
                               FormatDate(as_of)));
  if (as_of == kNoDate) return Failed(out, absl::InvalidArgumentError("no invoices"));
  AgingOptions aging;
  aging.as_of = as_of;
  aging.group_by = "";  // one total row
  aging.overdue_top_n = 5;
  aging.num_threads = 0;
  CollectionOptions collection;
  collection.as_of = as_of;
  collection.from = as_of - 89;  // the last 90 days
  collection.group_by = "";
  collection.num_threads = 0;
  absl::StatusOr<ReceivablesResult> r = ComputeReceivables(in.data, aging, collection);
  if (!r.ok()) return Failed(out, r.status());
  PrintTable(ToResultTable(r->aging), out);
  const int scale = r->aging.money_scale;
  const CollectionRow& c = r->collection.total;
  // FormatSpec: the format strings below are checked at compile time.
  auto num = [](std::optional<double> v, const absl::FormatSpec<double>& format, double factor) {
    return v ? absl::StrFormat(format, factor * *v) : std::string("n/a");
  };
  out << absl::StrFormat(
      "\n  last 90 days: collection rate %s of %s billed, DSO %s days, CEI %s, on time %s\n",
      num(c.collection_rate, "%.1f%%", 100), FormatMoney(c.sums.billed, scale),
      num(c.dso, "%.0f", 1), num(c.cei, "%.1f", 1), num(c.on_time_rate, "%.1f%%", 100));
  if (!r->aging.overdue.empty()) {
    out << "  chase first (outstanding x days past due):\n";
    for (const OverdueInvoice& x : r->aging.overdue) {
      const DictionaryPtr& codes = in.data.invoices()->columns().customers;
      std::string customer =
          codes ? std::string(codes->Code(x.customer)) : std::to_string(x.customer);
      out << absl::StrFormat("    invoice %-8d %-10s %12s outstanding, %4d days past due\n", x.invoice,
                             customer, FormatMoney(x.outstanding, scale), x.days_past_due);
    }
  }
}

void TrendSection(const ReportInputs& in, std::ostream& out) {
  Heading(out, "Revenue trend by quarter vs last year");
  if (!in.data.orders()) return Failed(out, absl::InvalidArgumentError("no orders given"));
  TrendOptions options;
  options.grain = GrainUnit::kQuarter;
  options.compare = TrendCompare::kLastYear;
  options.as_of = in.data.orders()->max_date();
  options.num_threads = 0;
  // The trend section is revenue against last year and targets: no
  // collections, as before.
  DatasetTables tables;
  tables.orders = BorrowTable(*in.data.orders());
  if (in.data.products()) tables.products = BorrowTable(*in.data.products());
  if (in.data.targets()) tables.targets = BorrowTable(*in.data.targets());
  absl::StatusOr<Dataset> data = Dataset::Build(std::move(tables));
  if (!data.ok()) return Failed(out, data.status());
  absl::StatusOr<TrendResult> trend = ComputeTrend(*data, options);
  if (!trend.ok()) return Failed(out, trend.status());
  ResultTable t;
  ResultColumn& period = t.AddString("quarter");
  ResultColumn& revenue = t.AddMoney("revenue", trend->money_scale);
  ResultColumn& last_year = t.AddMoney("last_year", trend->money_scale);
  ResultColumn& growth = t.AddDouble("growth_pct");
  ResultColumn* target = trend->has_target ? &t.AddMoney("target", trend->money_scale) : nullptr;
  for (const TrendRow& row : trend->rows) {
    period.strings.push_back(PeriodLabel(options.grain, row.period));
    revenue.ints.push_back(row.value.revenue);
    last_year.ints.push_back(row.growth.base.value_or(0));
    last_year.valid.push_back(row.growth.base.has_value());
    growth.doubles.push_back(row.growth.growth_pct.value_or(0));
    growth.valid.push_back(row.growth.growth_pct.has_value());
    if (target) {
      target->ints.push_back(row.target.value_or(0));
      target->valid.push_back(row.target.has_value());
    }
  }
  PrintTable(t, out);
  for (const TrendToDate& d : trend->to_date) {
    if (d.kind != TrendToDateKind::kYear || !d.value) continue;
    out << absl::StrFormat("\n  year to date (%s .. %s): %s, %s vs %s .. %s\n", FormatDate(d.begin),
                           FormatDate(d.end), FormatMoney(d.value->revenue, trend->money_scale),
                           d.growth.growth_pct ? absl::StrFormat("%+.1f%%", *d.growth.growth_pct)
                                               : std::string("n/a"),
                           FormatDate(d.ly_begin), FormatDate(d.ly_end));
  }
}

}  // namespace

int RunReport(int argc, char** argv, int first) {
  std::vector<FlagSpec> specs =
      IngestFlagSpecs({MainFile::kOrders, MainFile::kPipeline, MainFile::kInvoices,
                       MainFile::kPayments, MainFile::kTargets},
                      {MainFile::kPipeline, MainFile::kInvoices});
  specs.push_back(SegmentsFlag());
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, specs);
  if (!args.ok()) return UsageError(args.status());
  if (args->help()) {
    std::cout << FormatHelp(
        "salesight report [--orders FILE --orders-map SPEC] [--pipeline FILE --pipeline-map "
        "SPEC --stages ...] [--invoices FILE --invoices-map SPEC] [--segments relative]",
        "The main job: a readable summary with one section per calculator (customer tiers,\n"
        "funnel, top products, receivables, trend). With no files it analyses the bundled\n"
        "sample (20,000 order lines generated from a fixed seed, with 3 key accounts).",
        specs);
    return 0;
  }
  std::optional<SampleData> sample;
  std::optional<LoadedExports> loaded;
  ReportInputs in;
  {
    RfmOptions segments;
    if (absl::Status st = SegmentsFromFlag(*args, segments); !st.ok()) return UsageError(st);
    in.segments = segments.segments;
    in.custom_rules = std::move(segments.custom_rules);
  }
  if (args->Has("orders") || args->Has("pipeline") || args->Has("invoices")) {
    MainFile main = args->Has("orders") ? MainFile::kOrders
                    : args->Has("pipeline") ? MainFile::kPipeline
                                            : MainFile::kInvoices;
    absl::StatusOr<LoadedExports> l = LoadExports(*args, main);
    if (!l.ok()) return DataError(l.status());
    loaded = *std::move(l);
    absl::StatusOr<Dataset> data = DatasetFromExports(*loaded);
    if (!data.ok()) return DataError(data.status());
    in.data = *std::move(data);
    in.source = "your exports";
  } else {
    absl::StatusOr<SampleData> s = BundledSample();
    if (!s.ok()) return DataError(s.status());
    sample = *std::move(s);
    absl::StatusOr<Dataset> data = SampleDataset(*sample);
    if (!data.ok()) return DataError(data.status());
    in.data = *std::move(data);
    in.source = absl::StrFormat("bundled sample (%d order lines, %d key accounts, seed %d)",
                                kBundledSampleLines, kBundledKeyAccounts, sample->seed);
  }
  std::ostream& out = std::cout;
  out << "salesight report";
  OverviewSection(in, out);
  CustomerSection(in, *args, out);
  FunnelSection(in, out);
  ProductSection(in, out);
  ReceivablesSection(in, out);
  TrendSection(in, out);
  return 0;
}

}  // namespace salesight::cli
