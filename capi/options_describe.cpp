// salesight_options_describe: the declared options (salesight/options.hpp) of
// a registered calculator (the registry, src/calculators/registry.cpp, is the
// only list) as JSON, for bindings. The text is built once per calculator and kept for the
// library's lifetime, so the caller frees nothing (as salesight_status_name).
#include <map>
#include <mutex>
#include <string>

#include "capi_guard.hpp"
#include "salesight.h"
#include "salesight/declared_options.hpp"

namespace salesight::capi {
namespace {

salesight_status Describe(const char* calculator, const char** out) {
  if (calculator == nullptr || out == nullptr) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                "salesight_options_describe: calculator and out must not be NULL");
  }
  // Node-based: a stored string never moves, so its c_str() stays valid.
  static std::mutex mutex;
  static std::map<std::string, std::string, std::less<>> texts;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = texts.find(std::string_view(calculator));
  if (it == texts.end()) {
    absl::StatusOr<std::string> json = DescribeOptions(calculator);
    if (!json.ok()) return FromStatus(json.status());
    it = texts.emplace(calculator, *std::move(json)).first;
  }
  *out = it->second.c_str();
  return SALESIGHT_OK;
}

}  // namespace
}  // namespace salesight::capi

salesight_status salesight_options_describe(const char* calculator, const char** out) {
  return salesight::capi::Guard([&] { return salesight::capi::Describe(calculator, out); });
}
