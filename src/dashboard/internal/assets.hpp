// The page's inline assets (generated: src/dashboard/assets.cmake).
#pragma once

#include <string_view>

namespace salesight::dashboard {

std::string_view Asset_echarts_js();       // dist/echarts.min.js
std::string_view Asset_echarts_license();  // the echarts package's LICENSE
std::string_view Asset_echarts_notice();   // and NOTICE
std::string_view Asset_page_js();          // web/dashboard.js
std::string_view Asset_page_css();         // web/dashboard.css
std::string_view EchartsVersion();

}  // namespace salesight::dashboard
