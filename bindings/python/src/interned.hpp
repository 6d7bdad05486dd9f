// String columns interned by the library (salesight_interned_*): the handle
// the module's Interned objects hold.
#pragma once

#include <memory>

#include <pybind11/pybind11.h>

#include "salesight.h"

struct Interned {
  std::shared_ptr<salesight_interned> handle;
};

// Registers intern_strings and the Interned class on `m`.
void BindInterned(pybind11::module_& m, void (*check)(salesight_status));
