// salesight_dashboard_*: the dashboard document of a dataset handle, as JSON
// or HTML text (malloc'd, freed with salesight_bytes_free). Translation only:
// every number and every word of the page is salesight/dashboard.hpp's.
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "options_internal.hpp"
#include "salesight.h"
#include "salesight/dashboard.hpp"

static_assert(sizeof(salesight_dashboard_options) ==
                  offsetof(salesight_dashboard_options, title) + sizeof(const char*),
              "salesight_dashboard_options has tail padding");

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::NullArgument;

namespace salesight::capi {
namespace {

salesight_dashboard_options DefaultDashboardOptions() {
  const DashboardOptions d;
  salesight_dashboard_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.from = d.from;
  o.to = d.to;
  o.lang = SALESIGHT_DASHBOARD_LANG_EN;
  o.top_n = d.top_n;
  o.num_threads = d.num_threads;
  o.currency = nullptr;
  o.title = nullptr;
  return o;
}

salesight_status Render(const salesight_dataset* dataset, const salesight_dashboard_options* options,
                        int32_t format, uint8_t** out_text, int64_t* out_length) {
  constexpr const char* kFn = "salesight_dashboard_render";
  if (out_text == nullptr) return NullArgument(kFn, "out_text");
  if (out_length == nullptr) return NullArgument(kFn, "out_length");
  *out_text = nullptr;
  *out_length = 0;
  if (dataset == nullptr) return NullArgument(kFn, "dataset");
  if (format != SALESIGHT_DASHBOARD_FORMAT_JSON && format != SALESIGHT_DASHBOARD_FORMAT_HTML) {
    return BadOption("salesight_dashboard_render format", format);
  }
  salesight_dashboard_options o = DefaultDashboardOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_dashboard_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
  if (o.lang != SALESIGHT_DASHBOARD_LANG_EN && o.lang != SALESIGHT_DASHBOARD_LANG_ZH) {
    return BadOption("salesight_dashboard_options.lang", o.lang);
  }
  DashboardOptions d;
  d.from = o.from;
  d.to = o.to;
  d.language = o.lang == SALESIGHT_DASHBOARD_LANG_ZH ? DashboardLanguage::kZh : DashboardLanguage::kEn;
  d.top_n = o.top_n;
  d.num_threads = o.num_threads;
  if (o.currency != nullptr) d.currency = o.currency;
  if (o.title != nullptr) d.title = o.title;
  absl::StatusOr<std::string> text = RenderDashboard(
      DatasetOf(dataset), d,
      format == SALESIGHT_DASHBOARD_FORMAT_HTML ? DashboardFormat::kHtml : DashboardFormat::kJson);
  if (!text.ok()) return FromStatus(text.status());
  return OutBytes(*text, out_text, out_length);
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_dashboard_options_init(salesight_dashboard_options* options,
                                                  size_t struct_size) {
  return salesight::capi::InitOptions("salesight_dashboard_options_init", options, struct_size,
                                      salesight::capi::DefaultDashboardOptions);
}

salesight_status salesight_dashboard_render(const salesight_dataset* dataset,
                                            const salesight_dashboard_options* options,
                                            int32_t format, uint8_t** out_text,
                                            int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::Render(dataset, options, format, out_text, out_length);
  });
}

}  // extern "C"
