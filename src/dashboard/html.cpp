// The HTML writer: one self-contained page. The document is embedded as
// JSON data (never as markup: '<', '>' and '&' are written as \u escapes, so
// no user string can close the script element or open a tag); the page
// script (web/dashboard.js) builds every element with textContent and hands
// ECharts plain data. No src or href points outside the file.
#include <string>
#include <string_view>

#include "internal/assets.hpp"
#include "internal/html.hpp"

namespace salesight::dashboard {
namespace {

// Text inside an HTML element or attribute.
std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

// JSON text that may sit inside <script>: the three markup characters only
// occur inside JSON strings, where \u escapes mean the same.
std::string JsonForScript(const Json& doc) {
  const std::string text = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char ch : text) {
    switch (ch) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += ch;
    }
  }
  return out;
}

bool IsScriptWord(std::string_view w) {
  constexpr std::string_view kScript = "script";
  for (std::size_t i = 0; i < kScript.size(); ++i) {
    if ((w[i] | 0x20) != kScript[i]) return false;  // ASCII lower case
  }
  return true;
}

// Script text (ECharts, the page script, the licence): "</script" in any
// case would end the element early; "<\/script" means the same to
// JavaScript. Nothing else is touched (the pinned ECharts has none: its
// bytes are inlined unchanged).
std::string ScriptText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 7 < s.size() && s[i + 1] == '/' &&
        IsScriptWord(s.substr(i + 2, 6))) {
      out += "<\\/";
      ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

std::string WriteHtml(const Json& doc, const Context& c) {
  const std::string& title = c.options.title;
  std::string html;
  html.reserve(Asset_echarts_js().size() + 1024 * 1024);
  html += "<!DOCTYPE html>\n<html lang=\"";
  html += c.zh ? "zh-CN" : "en";
  html += "\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"salesight\">\n<title>";
  html += EscapeHtml(title);
  html += "</title>\n<!-- Charts: Apache ECharts ";
  html += EchartsVersion();
  html += ", Apache License 2.0; its licence and notice are at the end of this file. -->\n<style>\n";
  html += Asset_page_css();
  html += "</style>\n</head>\n<body>\n<div id=\"app\" data-title=\"";
  html += EscapeHtml(title);
  html += "\"></div>\n<script type=\"application/json\" id=\"salesight-data\">";
  html += JsonForScript(doc);
  html += "</script>\n<script>\n";
  html += ScriptText(Asset_echarts_js());
  html += "\n</script>\n<script>\n";
  html += ScriptText(Asset_page_js());
  html += "\n</script>\n<script type=\"text/plain\" id=\"echarts-licence\">\nApache ECharts ";
  html += EchartsVersion();
  html += " (npm package echarts), inlined above.\n\nNOTICE\n\n";
  html += ScriptText(Asset_echarts_notice());
  html += "\n\nLICENSE\n\n";
  html += ScriptText(Asset_echarts_license());
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace salesight::dashboard
