// The one macro pair every fallible path uses (Abseil/Arrow style).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SALESIGHT_RETURN_IF_ERROR(expr)            \
  do {                                             \
    if (absl::Status _st = (expr); !_st.ok()) {    \
      return _st;                                  \
    }                                              \
  } while (false)

#define SALESIGHT_CONCAT_INNER(a, b) a##b
#define SALESIGHT_CONCAT(a, b) SALESIGHT_CONCAT_INNER(a, b)
#define SALESIGHT_ASSIGN_OR_RETURN(lhs, expr)                              \
  auto SALESIGHT_CONCAT(_so_, __LINE__) = (expr);                          \
  if (!SALESIGHT_CONCAT(_so_, __LINE__).ok())                              \
    return SALESIGHT_CONCAT(_so_, __LINE__).status();                      \
  lhs = std::move(*SALESIGHT_CONCAT(_so_, __LINE__))
