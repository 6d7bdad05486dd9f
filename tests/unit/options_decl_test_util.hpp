// The two checks every declared option list gets (salesight/options.hpp),
// written once: the declared defaults ARE the options struct's defaults, and
// every choice of a choice option sets a distinct value. `fingerprint(o)`
// renders every field of O the declaration can set.
#pragma once

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "salesight/options.hpp"

namespace salesight::options_test {

template <typename O, typename Fingerprint>
void ExpectDefaultsAreTheStructDefaults(absl::Span<const OptionDecl<O>> decls,
                                        Fingerprint fingerprint) {
  O o{};
  for (const OptionDecl<O>& d : decls) {
    if (d.info.default_value.empty()) continue;
    ASSERT_TRUE(SetOption(decls, o, d.info.name, d.info.default_value).ok()) << d.info.name;
  }
  EXPECT_EQ(fingerprint(o), fingerprint(O{}));
}

template <typename O, typename Fingerprint>
void ExpectEveryChoiceSetsADistinctValue(absl::Span<const OptionDecl<O>> decls,
                                         Fingerprint fingerprint) {
  for (const OptionDecl<O>& d : decls) {
    if (d.info.type != OptionType::kChoice) continue;
    std::set<std::string> seen;
    int choices = 0;
    const std::string allowed(d.info.allowed);
    for (std::size_t start = 0; start <= allowed.size();) {
      const std::size_t bar = std::min(allowed.find('|', start), allowed.size());
      O o{};
      ASSERT_TRUE(SetOption(decls, o, d.info.name, allowed.substr(start, bar - start)).ok())
          << d.info.name;
      seen.insert(fingerprint(o));
      ++choices;
      start = bar + 1;
    }
    EXPECT_EQ(static_cast<int>(seen.size()), choices) << d.info.name;
  }
}

}  // namespace salesight::options_test
