// The HTML writer: the dashboard document as one self-contained page.
#pragma once

#include <string>

#include "context.hpp"

namespace salesight::dashboard {

Json BuildDocument(const Context& c);  // document.cpp

// One offline page: the document embedded as data, the page script and
// styles, and Apache ECharts with its licence notice, all inline.
std::string WriteHtml(const Json& doc, const Context& c);

}  // namespace salesight::dashboard
