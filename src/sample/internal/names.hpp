// Fixed vocabularies of the bundled sample: regions, channels, sources,
// categories, and the Chinese + English names of salespeople, customers and
// products. Names are composed from short word lists so that a 10^7-customer
// sample costs no more than a few string appends per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "random.hpp"

namespace salesight::sample_internal {

inline constexpr int kNumRegions = 8;
inline constexpr int kNumSalespeople = 200;  // salesperson s belongs to region s mod 8

// Codes in id order.
const std::vector<std::string>& RegionCodes();      // 华东 .. 东北, Overseas
const std::vector<std::string>& CategoryCodes();    // 8 product categories (Chinese)
const std::vector<std::string>& ChannelCodes();     // 4 sales channels (Chinese)
const std::vector<std::string>& SourceCodes();      // lead sources (English)
const std::vector<std::string>& LostReasonCodes();  // lost reasons (English)

// Salesperson s in [0, 200): a unique Chinese name (the code) and its pinyin.
std::string SalespersonName(int s);
std::string SalespersonNameEn(int s);

// A company name in the customer's region, Chinese and English, e.g.
// "上海华盛电子科技有限公司" / "Shanghai Huasheng Electronics Technology Co., Ltd.".
void CompanyName(Rng& rng, int region, std::string* zh, std::string* en);

// A product name of the category, e.g. "工业级 不锈钢球阀 KV-1042" /
// "Industrial-grade Stainless Ball Valve KV-1042".
void ProductName(Rng& rng, int category, std::string* zh, std::string* en);

}  // namespace salesight::sample_internal
