// The pipeline, invoices and targets half of the differential test's random
// datasets and specs (generate.cpp holds the orders half): random tables over
// the orders' own member lists (so the tables meet on shared dimensions), the
// CSV files sql_tables.mjs reads, and specs of the pipeline, receivables and
// targets measures, alone or mixed with orders measures (the full outer join
// of group keys).
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/query.hpp"

namespace salesight::query_duckdb {

using Rng = std::mt19937_64;

struct Opportunity {
  Id customer, salesperson, region;
  Money amount;
  Day created, lost;
  std::vector<Day> stages;  // one per DefaultStages() stage; kNoDate = not reached
};
struct Invoice {
  Id customer, salesperson, region;
  Day invoice_date, due_date, paid_date;  // paid_date kNoDate: unpaid
  Money amount, paid;
};
struct Target {
  Id salesperson;
  std::int32_t yyyymm;
  Money amount;
};

// The members the tables share with the orders (sorted dictionaries).
struct SharedMembers {
  const std::vector<std::string>* customers;
  const std::vector<std::string>* salespeople;
  const std::vector<std::string>* regions;
};

struct OtherTables {
  std::vector<Opportunity> pipeline;
  std::vector<Invoice> invoices;
  std::vector<Target> targets;
};

// Tables dated around [start, start + span] (the orders' window).
OtherTables RandomOtherTables(Rng& rng, const SharedMembers& m, Day start, int span);

// Adds them to `t` (the dictionaries are the orders').
absl::Status AddOtherTables(const OtherTables& o, const DictionaryPtr& customers,
                            const DictionaryPtr& salespeople, const DictionaryPtr& regions,
                            DatasetTables& t);

// pipeline.csv, invoices.csv, targets.csv (dates yyyy-mm-dd, empty = none).
void WriteOtherTables(const OtherTables& o, const SharedMembers& m,
                      const std::filesystem::path& dir);

// A spec of 1-4 measures of the pipeline, receivables or targets tables,
// sometimes with orders measures too: dimensions and row filters on the
// members every table of the query has, a range, a grain, a measure filter,
// order, top (with or without "(others)"), limit, offset, compare target,
// previous or last-year, grand totals and subtotals.
QuerySpec RandomTableSpec(Rng& rng, const SharedMembers& m, Day start, int span);

}  // namespace salesight::query_duckdb
