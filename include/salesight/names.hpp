// Names a user types (dimensions, options, calculators, measures): the one
// "did you mean" rule, so every unknown-name error suggests alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salesight {

// " Did you mean 'X'?" for the candidate closest to `name` (case-insensitive
// edit distance) when it is close enough (at most max(2, |name| / 3) edits),
// else "". Ties go to the earlier candidate.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

// 'a', 'b', 'c' (each quoted), or "none".
std::string QuotedNames(const std::vector<std::string>& names);

// The items of a list a user typed ("region, Sub-Category", "0,30,60"):
// split at `separator`, the spaces around an item dropped, empty items
// skipped. The one rule for every such list (list options, groupings, CLI
// flags); the views point into `text`.
std::vector<std::string_view> SplitNames(std::string_view text, char separator = ',');

}  // namespace salesight
