// Early return on error for code built on absl::Status / absl::StatusOr (the
// Abseil/Arrow idiom), as the library itself and its CLI use it. Public
// because every fallible salesight function returns one of the two, so a
// caller's code reads the same as ours.
//
//   SALESIGHT_RETURN_IF_ERROR(expr);        expr is an absl::Status: returns it when not OK.
//   SALESIGHT_ASSIGN_OR_RETURN(lhs, expr);  expr is an absl::StatusOr<T>: returns its status
//                                           when not OK, else moves the value into lhs
//                                           (`auto x` or an existing variable). A statement,
//                                           not an expression: not inside an unbraced if.
#pragma once

#include <utility>

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
