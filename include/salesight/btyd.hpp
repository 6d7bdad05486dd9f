// BTYD ("buy till you die") summary per customer, exactly as the Python
// package lifetimes defines it in utils.summary_data_from_transaction_data
// (the input of BG/NBD, Pareto/NBD and Gamma-Gamma models):
//
// * Lines whose period starts after observation_end's period are dropped
//   (default observation_end: the latest order_date; for kIsoWeek the whole week
//   holding observation_end is kept, as lifetimes' period truncation does).
//   Every other line is a transaction, whatever its
//   amount (lifetimes has no notion of returns; zero and negative amounts
//   count and are summed).
// * A customer's transactions in the same period are merged into one
//   purchase whose value is their sum. period (a Grain): kDay = same calendar
//   day (lifetimes freq='D'); kIsoWeek = same ISO week, Monday..Sunday
//   (lifetimes freq='W'), dated at the week's Monday; any other grain alike,
//   dated at the period's first day.
// * frequency = number of purchases - 1 (repeat purchases);
//   recency   = last purchase - first purchase;
//   T         = observation_end (its period's start) - first purchase;
//   times in `unit`: kDays, or kWeeks = days / 7 (lifetimes freq='D' with
//   freq_multiplier=7, the convention of the CDNOW summaries);
//   monetary_value = mean value of the repeat purchases (first purchase
//   excluded) in currency units, 0 when frequency = 0.
// * One row per customer with at least one line up to observation_end,
//   ascending customer id.
//
// Built from tests/data/cdnow/CDNOW_sample.txt with observation_end 1997-09-30,
// kDay, kWeeks it reproduces cdnow_customers_summary_with_transactions.csv.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/grain.hpp"
#include "salesight/money.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

enum class BtydTimeUnit : std::uint8_t { kDays, kWeeks };

struct BtydOptions {
  Day observation_end = kNoDate;  // inclusive; kNoDate = the latest order_date
  Grain period = GrainUnit::kDay;  // transactions counted per period (kIsoWeek: per ISO week)
  BtydTimeUnit unit = BtydTimeUnit::kDays;  // lifetimes' default
  int num_threads = 1;                      // 0 = hardware concurrency
};

struct BtydSummary {
  std::vector<Id> customer;
  std::vector<std::int32_t> frequency;
  std::vector<double> recency;
  std::vector<double> T;
  std::vector<double> monetary_value;
  Day observation_end = kNoDate;
  Grain period = GrainUnit::kDay;  // transactions counted per period (kIsoWeek: per ISO week)
  BtydTimeUnit unit = BtydTimeUnit::kDays;
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr customer_codes;
};

absl::StatusOr<BtydSummary> ComputeBtydSummary(const OrderLines& orders,
                                               const BtydOptions& options = {});

// customer, frequency, recency, T, monetary_value (lifetimes' column names).
ResultTable ToResultTable(const BtydSummary& summary);

}  // namespace salesight
