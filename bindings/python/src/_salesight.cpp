// _salesight: the pybind11 module over the C ABI (salesight.h only - never the
// C++ internals), as XGBoost and LightGBM bind their C APIs: every Python call
// also exercises what ERP vendors link against.
//
// Zero-copy in: numpy arrays are handed to the library by pointer with
// SALESIGHT_BORROW and kept alive by the Table object. Zero-copy out: numeric
// result columns become read-only numpy arrays whose base keeps the result
// handle alive. The GIL is released around every library call that may take
// time (building tables, computing). Errors become the SalesightError
// subclasses registered by the pure-Python package, carrying
// salesight_last_error().
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "interned.hpp"
#include "salesight.h"

namespace py = pybind11;

// The approval engine's classes (approvals.cpp), given this module's status check.
void BindApprovals(py::module_& m, void (*check)(salesight_status));

namespace {

// status code -> Python exception class, registered by salesight/_errors.py.
py::dict& ErrorClasses() {
  static py::dict* classes = new py::dict();  // never destroyed: lives as long as the module
  return *classes;
}

[[noreturn]] void Raise(salesight_status status, const std::string& message) {
  py::dict& classes = ErrorClasses();
  py::object key = py::int_(status);
  py::object cls = classes.contains(key) ? classes[key]
                   : classes.contains(py::int_(-1)) ? classes[py::int_(-1)]
                                                    : py::object(py::reinterpret_borrow<py::object>(PyExc_RuntimeError));
  PyErr_SetObject(cls.ptr(), py::str(message).ptr());
  throw py::error_already_set();
}

void Check(salesight_status status) {
  if (status != SALESIGHT_OK) Raise(status, salesight_last_error());
}

// Runs a library call with the GIL released; the message is read on the same
// thread (it is thread-local), before the GIL is taken back.
template <typename F>
void CallNoGil(F&& f) {
  salesight_status status;
  std::string message;
  {
    py::gil_scoped_release release;
    status = f();
    if (status != SALESIGHT_OK) message = salesight_last_error();
  }
  if (status != SALESIGHT_OK) Raise(status, message);
}

// ------------------------------------------------------------------ handles

struct Table {
  std::shared_ptr<salesight_table> handle;
  py::list keepalive;  // borrowed numpy arrays
  salesight_table* get() const { return handle.get(); }
};

Table WrapTable(salesight_table* t) {
  return Table{std::shared_ptr<salesight_table>(t, salesight_table_destroy), py::list()};
}

struct Result {
  std::shared_ptr<salesight_result> handle;
};

Result WrapResult(salesight_result* r) {
  return Result{std::shared_ptr<salesight_result>(r, salesight_result_destroy)};
}

struct QuoteIndex {
  std::shared_ptr<salesight_quote_index> handle;
};

// ------------------------------------------------------------------ options

// Option dictionaries: keys are the C struct's field names; unknown keys are
// an error (a typo must not silently fall back to a default).
class OptionReader {
 public:
  explicit OptionReader(const py::dict& d) : d_(d) {}
  template <typename T>
  void Get(const char* key, T* field) {
    if (!d_.contains(key)) return;
    used_.push_back(key);
    py::object v = d_[key];
    if (v.is_none()) return;
    *field = v.cast<T>();
  }
  void GetString(const char* key, const char** field) {
    if (!d_.contains(key)) return;
    used_.push_back(key);
    py::object v = d_[key];
    if (v.is_none()) {
      *field = nullptr;
      return;
    }
    strings_.push_back(std::make_unique<std::string>(v.cast<std::string>()));
    *field = strings_.back()->c_str();
  }
  template <typename T>
  void GetArray(const char* key, const T** field) {
    if (!d_.contains(key)) return;
    used_.push_back(key);
    py::object v = d_[key];
    if (v.is_none()) return;
    auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(v);
    if (!a) throw py::type_error(std::string("option ") + key + ": expected a sequence of numbers");
    arrays_.push_back(a);
    *field = a.data();
  }
  void Done() const {
    for (auto item : d_) {
      const std::string key = py::str(item.first);
      bool known = false;
      for (const std::string& u : used_) known |= u == key;
      if (!known) Raise(SALESIGHT_ERR_INVALID_ARGUMENT, "unknown option '" + key + "'");
    }
  }

 private:
  const py::dict& d_;
  std::vector<std::string> used_;
  std::vector<std::unique_ptr<std::string>> strings_;
  std::vector<py::object> arrays_;
};

// ------------------------------------------------------------------ tables

// Keeps the UTF-8 bytes of a Python sequence of str/None alive and exposes
// the const char* array the C ABI wants (NULL for None).
struct StringColumn {
  std::vector<std::string> storage;
  std::vector<const char*> pointers;
  explicit StringColumn(const py::handle& values) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(values);
    const auto n = static_cast<std::size_t>(py::len(seq));
    storage.resize(n);
    pointers.resize(n);
    std::vector<bool> null(n);
    for (std::size_t i = 0; i < n; ++i) {
      py::handle item = seq[i];
      if (item.is_none()) {
        null[i] = true;
        continue;
      }
      if (PyFloat_Check(item.ptr()) && std::isnan(PyFloat_AsDouble(item.ptr()))) {
        null[i] = true;  // pandas' NaN for a missing string
        continue;
      }
      storage[i] = py::str(item).cast<std::string>();
    }
    for (std::size_t i = 0; i < n; ++i) pointers[i] = null[i] ? nullptr : storage[i].c_str();
  }
};

// One column to add: a numpy array (numeric) or a sequence of strings.
// Checks that the numpy dtype is exactly the physical type of `type` - never a
// silent conversion.
const void* NumericData(const py::array& a, salesight_type type, const std::string& name) {
  char kind = a.dtype().kind();
  const auto size = a.dtype().itemsize();
  bool ok = false;
  switch (type) {
    case SALESIGHT_TYPE_INT32:
    case SALESIGHT_TYPE_DATE: ok = kind == 'i' && size == 4; break;
    case SALESIGHT_TYPE_INT64:
    case SALESIGHT_TYPE_MONEY: ok = kind == 'i' && size == 8; break;
    case SALESIGHT_TYPE_TIMESTAMP_NS: ok = (kind == 'M' || kind == 'i') && size == 8; break;
    case SALESIGHT_TYPE_FLOAT64: ok = kind == 'f' && size == 8; break;
    default: ok = false;
  }
  if (!ok) {
    Raise(SALESIGHT_ERR_TYPE_MISMATCH,
          "column '" + name + "': numpy dtype " + py::str(a.dtype()).cast<std::string>() +
              " does not match the salesight type code " + std::to_string(type));
  }
  if (a.ndim() != 1 || !(a.flags() & py::array::c_style)) {
    Raise(SALESIGHT_ERR_INVALID_ARGUMENT,
          "column '" + name + "': the array must be one-dimensional and contiguous");
  }
  return a.data();
}

// columns: list of (name, type, values, validity_bitmap_or_None, codes_or_None)
Table BuildTable(salesight_table_kind kind, const py::list& columns, int money_scale,
                 const Table* share, const py::object& stages_unused, const Table* invoices,
                 int32_t target_level, bool keep_wide, int32_t num_threads) {
  (void)stages_unused;
  salesight_table_builder* raw = nullptr;
  Check(salesight_table_builder_create(kind, &raw));
  std::unique_ptr<salesight_table_builder, decltype(&salesight_table_builder_destroy)> b(
      raw, salesight_table_builder_destroy);
  Check(salesight_table_builder_set_money_scale(b.get(), money_scale));
  Check(salesight_table_builder_set_num_threads(b.get(), num_threads));
  // The int64 ids and ns dates of an RFM call's own table stay the caller's
  // arrays (kept alive with the table below): salesight_rfm_compute reads them.
  if (keep_wide) Check(salesight_table_builder_set_keep_wide(b.get(), 1));
  if (share != nullptr) Check(salesight_table_builder_share_dictionaries(b.get(), share->get()));
  // PAYMENTS: the invoices table invoice_row indexes; TARGETS: what key is.
  if (invoices != nullptr) Check(salesight_table_builder_set_invoices(b.get(), invoices->get()));
  if (target_level >= 0) Check(salesight_table_builder_set_target_level(b.get(), target_level));
  Table table;
  for (py::handle item : columns) {
    py::tuple spec = py::reinterpret_borrow<py::tuple>(item);
    const std::string name = spec[0].cast<std::string>();
    const auto type = spec[1].cast<salesight_type>();
    py::object values = spec[2];
    py::object validity = spec[3];
    py::object codes = spec[4];
    if (!codes.is_none()) {
      StringColumn c(codes);
      Check(salesight_table_builder_set_dictionary(b.get(), name.c_str(), c.pointers.data(),
                                                   static_cast<int64_t>(c.pointers.size())));
    }
    const uint8_t* bitmap = nullptr;
    if (!validity.is_none()) {
      py::array v = py::reinterpret_borrow<py::array>(validity);
      bitmap = static_cast<const uint8_t*>(v.data());
      table.keepalive.append(v);
    }
    if (type == SALESIGHT_TYPE_STRING) {
      StringColumn c(values);
      CallNoGil([&] {
        return salesight_table_builder_add_column(b.get(), name.c_str(), type, c.pointers.data(),
                                                  static_cast<int64_t>(c.pointers.size()), bitmap,
                                                  SALESIGHT_COPY);
      });
      continue;
    }
    if (!py::isinstance<py::array>(values)) {
      Raise(SALESIGHT_ERR_TYPE_MISMATCH, "column '" + name + "': expected a numpy array");
    }
    py::array a = py::reinterpret_borrow<py::array>(values);
    const void* data = NumericData(a, type, name);
    const auto length = static_cast<int64_t>(a.shape(0));
    CallNoGil([&] {
      return salesight_table_builder_add_column(b.get(), name.c_str(), type, data, length, bitmap,
                                                SALESIGHT_BORROW);
    });
    table.keepalive.append(a);  // borrowed: lives as long as the table
  }
  salesight_table* t = nullptr;
  CallNoGil([&] { return salesight_table_builder_finish(b.get(), &t); });
  table.handle = std::shared_ptr<salesight_table>(t, salesight_table_destroy);
  return table;
}

// ------------------------------------------------------------------ results

py::object ColumnArray(const Result& r, int32_t column) {
  salesight_type type = 0;
  int64_t rows = 0;
  Check(salesight_result_column_type(r.handle.get(), column, &type));
  Check(salesight_result_num_rows(r.handle.get(), &rows));
  // The array's base owns a reference to the result handle.
  auto* holder = new std::shared_ptr<salesight_result>(r.handle);
  py::capsule base(holder, [](void* p) { delete static_cast<std::shared_ptr<salesight_result>*>(p); });
  py::array out;
  if (type == SALESIGHT_TYPE_FLOAT64) {
    const double* d = nullptr;
    Check(salesight_result_column_double(r.handle.get(), column, &d));
    static const double kEmpty = 0;
    out = py::array_t<double>({rows}, {sizeof(double)}, d ? d : &kEmpty, base);
  } else if (type == SALESIGHT_TYPE_STRING) {
    py::list values(static_cast<std::size_t>(rows));
    for (int64_t i = 0; i < rows; ++i) {
      const char* s = nullptr;
      Check(salesight_result_column_string(r.handle.get(), column, i, &s));
      values[static_cast<std::size_t>(i)] = py::reinterpret_steal<py::object>(
          PyUnicode_DecodeUTF8(s, static_cast<Py_ssize_t>(std::strlen(s)), "replace"));
    }
    return std::move(values);
  } else {
    const int64_t* v = nullptr;
    Check(salesight_result_column_int64(r.handle.get(), column, &v));
    static const int64_t kEmpty = 0;
    out = py::array_t<int64_t>({rows}, {sizeof(int64_t)}, v ? v : &kEmpty, base);
  }
  py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return std::move(out);
}

// A STRING column whose every value is a decimal integer (ids printed as
// text) as int64, without creating a Python string per row.
// The int32 codes of an encoded STRING column as a read-only numpy view that
// keeps the result alive, or None when the column is held as text.
py::object CodesView(const Result& r, int32_t column, int64_t* num_labels) {
  const int32_t* codes = nullptr;
  int64_t rows = 0;
  Check(salesight_result_column_codes(r.handle.get(), column, &codes, num_labels));
  if (codes == nullptr) return py::none();
  Check(salesight_result_num_rows(r.handle.get(), &rows));
  auto* holder = new std::shared_ptr<salesight_result>(r.handle);
  py::capsule base(holder, [](void* p) { delete static_cast<std::shared_ptr<salesight_result>*>(p); });
  py::array_t<int32_t> out({rows}, {sizeof(int32_t)}, codes, base);
  py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return std::move(out);
}

// An id column as integers: the codes themselves when the library holds the
// column as decimal ids (zero-copy), else each value's text parsed.
py::array ColumnParseInt64(const Result& r, int32_t column) {
  int64_t num_labels = 0;
  py::object codes = CodesView(r, column, &num_labels);
  if (!codes.is_none() && num_labels == SALESIGHT_LABELS_DECIMAL) {
    return py::reinterpret_borrow<py::array>(codes);
  }
  int64_t rows = 0;
  Check(salesight_result_num_rows(r.handle.get(), &rows));
  py::array_t<int64_t> out(rows);
  int64_t* dst = out.mutable_data();
  for (int64_t i = 0; i < rows; ++i) {
    const char* s = nullptr;
    Check(salesight_result_column_string(r.handle.get(), column, i, &s));
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0) {
      Raise(SALESIGHT_ERR_TYPE_MISMATCH, std::string("result value '") + s + "' is not an integer id");
    }
    dst[i] = v;
  }
  return std::move(out);
}

// A STRING column as (int32 codes, list of labels) for
// pandas.Categorical.from_codes without a Python string per row: the
// library's own codes and labels when it holds the column encoded (codes
// zero-copy), else codes assigned here in first-seen order.
py::tuple ColumnCodes(const Result& r, int32_t column) {
  int64_t num_labels = 0;
  py::object view = CodesView(r, column, &num_labels);
  if (!view.is_none() && num_labels >= 0) {
    py::list labels;
    for (int64_t k = 0; k < num_labels; ++k) {
      const char* s = nullptr;
      Check(salesight_result_column_label(r.handle.get(), column, k, &s));
      labels.append(py::reinterpret_steal<py::object>(
          PyUnicode_DecodeUTF8(s, static_cast<Py_ssize_t>(std::strlen(s)), "replace")));
    }
    return py::make_tuple(view, labels);
  }
  int64_t rows = 0;
  Check(salesight_result_num_rows(r.handle.get(), &rows));
  py::array_t<int32_t> codes(rows);
  int32_t* dst = codes.mutable_data();
  std::unordered_map<std::string_view, int32_t> ids;
  py::list labels;
  for (int64_t i = 0; i < rows; ++i) {
    const char* s = nullptr;
    Check(salesight_result_column_string(r.handle.get(), column, i, &s));
    auto [it, added] = ids.emplace(std::string_view(s), static_cast<int32_t>(ids.size()));
    if (added) labels.append(py::str(s));
    dst[i] = it->second;
  }
  return py::make_tuple(codes, labels);
}

py::object ColumnValidity(const Result& r, int32_t column) {
  const uint8_t* v = nullptr;
  int64_t rows = 0;
  Check(salesight_result_column_validity(r.handle.get(), column, &v));
  Check(salesight_result_num_rows(r.handle.get(), &rows));
  if (v == nullptr) return py::none();
  py::array_t<bool> out(rows);
  bool* dst = out.mutable_data();
  for (int64_t i = 0; i < rows; ++i) dst[i] = v[i] != 0;
  return std::move(out);
}

// ------------------------------------------------------------------ calculators

void ReadRfmOptions(OptionReader& read, salesight_rfm_options& o) {
  Check(salesight_rfm_options_init(&o, sizeof o));
  read.Get("as_of", &o.as_of);
  read.Get("window_days", &o.window_days);
  read.Get("frequency", &o.frequency);
  read.Get("monetary", &o.monetary);
  read.Get("mean_per_order", &o.mean_per_order);
  read.Get("all_lines_are_purchases", &o.all_lines_are_purchases);
  read.Get("scoring", &o.scoring);
  read.Get("k", &o.k);
  read.Get("segments", &o.segments);
  read.Get("language", &o.language);
  read.Get("num_threads", &o.num_threads);
  read.GetString("rules", &o.rules);
  read.GetArray("fixed_recency_days", &o.fixed_recency_days);
  read.GetArray("fixed_frequency", &o.fixed_frequency);
  read.GetArray("fixed_monetary", &o.fixed_monetary);
  read.Get("output", &o.output);
  read.GetString("by", &o.by);
  read.Get("by_scope", &o.by_scope);
  read.Get("clv_model", &o.clv_model);
  read.Get("clv_time_unit", &o.clv_time_unit);
  read.Get("clv_horizon", &o.clv_horizon);
  read.Get("value_measure", &o.value_measure);
  read.Get("clv_discount", &o.clv_discount);
  read.Get("clv_margin", &o.clv_margin);
  read.Done();
}

Result Rfm(const Table& orders, const py::dict& options) {
  salesight_rfm_options o;
  OptionReader read(options);
  ReadRfmOptions(read, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_rfm_compute(orders.get(), &o, &r); });
  return WrapResult(r);
}

void ReadFunnelOptions(OptionReader& read, salesight_funnel_options& o) {
  Check(salesight_funnel_options_init(&o, sizeof o));
  read.Get("mode", &o.mode);
  read.Get("from", &o.from);
  read.Get("to", &o.to);
  read.Get("as_of", &o.as_of);
  read.Get("period", &o.period);
  read.Get("compare", &o.compare);
  read.Get("implied_reached", &o.implied_reached);
  read.Get("include_backwards_gaps", &o.include_backwards_gaps);
  read.Get("compute_outcomes", &o.compute_outcomes);
  read.Get("compute_bottlenecks", &o.compute_bottlenecks);
  read.Get("num_threads", &o.num_threads);
  read.GetString("group_by", &o.group_by);
  read.GetString("won_stage", &o.won_stage);
  read.GetString("qualified_stage", &o.qualified_stage);
  read.Get("bottleneck_margin", &o.bottleneck_margin);
  read.Get("bottleneck_min_sample", &o.bottleneck_min_sample);
  read.Get("output", &o.output);
  read.Done();
}

Result Funnel(const Table& pipeline, const py::dict& options) {
  salesight_funnel_options o;
  OptionReader read(options);
  ReadFunnelOptions(read, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_funnel_compute(pipeline.get(), &o, &r); });
  return WrapResult(r);
}

void ReadMarginOptions(OptionReader& read, salesight_margin_options& o) {
  Check(salesight_margin_options_init(&o, sizeof o));
  read.Get("from", &o.from);
  read.Get("to", &o.to);
  read.Get("as_of", &o.as_of);
  read.GetString("group_by", &o.group_by);
  read.Get("tier_cost_first", &o.tier_cost_first);
  read.Get("unknown_cost_error", &o.unknown_cost_error);
  read.Get("plain_margin_share", &o.plain_margin_share);
  read.Get("num_threads", &o.num_threads);
  read.Get("abc", &o.abc);
  read.Get("quadrant", &o.quadrant);
  read.Get("language", &o.language);
  read.Get("output", &o.output);
  read.Get("rank_metric", &o.rank_metric);
  read.Get("rank_bottom", &o.rank_bottom);
  read.Get("rank_n", &o.rank_n);
  read.Get("no_sale_days", &o.no_sale_days);
  read.Done();
}

Result Margin(const Table& orders, const Table* products, const py::dict& options) {
  salesight_margin_options o;
  OptionReader read(options);
  ReadMarginOptions(read, o);
  salesight_result* r = nullptr;
  salesight_table* p = products ? products->get() : nullptr;
  CallNoGil([&] { return salesight_margin_compute(orders.get(), p, &o, &r); });
  return WrapResult(r);
}

// ------------------------------------------------------------------ dashboard

Result Aging(const Table& invoices, const Table* payments, const py::dict& options) {
  salesight_aging_options o;
  Check(salesight_aging_options_init(&o, sizeof o));
  OptionReader read(options);
  read.Get("as_of", &o.as_of);
  read.Get("age_basis", &o.age_basis);
  const int32_t* cutoffs = nullptr;
  read.GetArray("cutoffs", &cutoffs);
  if (cutoffs != nullptr) {
    o.cutoffs = cutoffs;
    o.num_cutoffs = static_cast<int32_t>(py::len(options["cutoffs"]));
  }
  read.GetString("group_by", &o.group_by);
  read.Get("overdue_top_n", &o.overdue_top_n);
  read.Get("max_examples", &o.max_examples);
  read.Get("num_threads", &o.num_threads);
  read.Get("output", &o.output);
  read.Get("from", &o.from);
  read.Get("to", &o.to);
  read.Get("days_to_pay", &o.days_to_pay);
  read.Get("rate_only", &o.rate_only);
  read.Done();
  salesight_result* r = nullptr;
  salesight_table* p = payments ? payments->get() : nullptr;
  CallNoGil([&] { return salesight_aging_compute(invoices.get(), p, &o, &r); });
  return WrapResult(r);
}

Result Trend(const Table& orders, const Table* products, const Table* invoices,
             const Table* payments, const Table* targets, const py::dict& options) {
  salesight_trend_options o;
  Check(salesight_trend_options_init(&o, sizeof o));
  OptionReader read(options);
  read.Get("grain", &o.grain);
  read.Get("compare", &o.compare);
  read.Get("compare_measure", &o.compare_measure);
  read.GetString("group_by", &o.group_by);
  read.Get("from", &o.from);
  read.Get("to", &o.to);
  read.Get("as_of", &o.as_of);
  read.Get("emit_empty_periods", &o.emit_empty_periods);
  read.Get("with_margin", &o.with_margin);
  read.Get("count_orders", &o.count_orders);
  read.Get("tier_cost_first", &o.tier_cost_first);
  read.Get("num_threads", &o.num_threads);
  read.Get("max_cells", &o.max_cells);
  read.Get("output", &o.output);
  read.Done();
  auto get = [](const Table* t) { return t ? t->get() : nullptr; };
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_trend_compute(orders.get(), get(products), get(invoices), get(payments),
                                   get(targets), &o, &r);
  });
  return WrapResult(r);
}

Result Contribution(const Table& orders, const Table* products, const py::dict& options) {
  salesight_contribution_options o;
  Check(salesight_contribution_options_init(&o, sizeof o));
  OptionReader read(options);
  read.Get("measure", &o.measure);
  read.GetString("by", &o.by);
  read.Get("from", &o.from);
  read.Get("to", &o.to);
  read.Get("decimals", &o.decimals);
  read.Get("tier_cost_first", &o.tier_cost_first);
  read.Get("num_threads", &o.num_threads);
  read.Done();
  salesight_result* r = nullptr;
  salesight_table* p = products ? products->get() : nullptr;
  CallNoGil([&] { return salesight_contribution_compute(orders.get(), p, &o, &r); });
  return WrapResult(r);
}

Result Leaderboard(const Table& orders, const Table* products, const Table* pipeline,
                   const Table* invoices, const Table* payments, const Table* targets,
                   const py::dict& options) {
  salesight_leaderboard_options o;
  Check(salesight_leaderboard_options_init(&o, sizeof o));
  OptionReader read(options);
  read.Get("from", &o.from);
  read.Get("to", &o.to);
  read.Get("as_of", &o.as_of);
  read.Get("rank_by", &o.rank_by);
  read.Get("num_threads", &o.num_threads);
  read.Done();
  auto get = [](const Table* t) { return t ? t->get() : nullptr; };
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_leaderboard_compute(orders.get(), get(products), get(pipeline),
                                         get(invoices), get(payments), get(targets), &o, &r);
  });
  return WrapResult(r);
}

// ------------------------------------------------------------------ partial states

// A partial state (salesight_partial); moved between processes as bytes.
struct Partial {
  std::shared_ptr<salesight_partial> handle;
};

Partial WrapPartial(salesight_partial* p) {
  return Partial{std::shared_ptr<salesight_partial>(p, salesight_partial_destroy)};
}

Partial RfmPartial(const Table& orders, int64_t begin, int64_t end, const py::dict& options) {
  salesight_rfm_options o;
  OptionReader read(options);
  ReadRfmOptions(read, o);
  salesight_partial* p = nullptr;
  CallNoGil([&] { return salesight_rfm_partial(orders.get(), begin, end, &o, &p); });
  return WrapPartial(p);
}

Partial FunnelPartial(const Table& pipeline, int64_t begin, int64_t end, const py::dict& options) {
  salesight_funnel_options o;
  OptionReader read(options);
  ReadFunnelOptions(read, o);
  salesight_partial* p = nullptr;
  CallNoGil([&] { return salesight_funnel_partial(pipeline.get(), begin, end, &o, &p); });
  return WrapPartial(p);
}

Partial MarginPartial(const Table& orders, const Table* products, int64_t begin, int64_t end,
                      const py::dict& options) {
  salesight_margin_options o;
  OptionReader read(options);
  ReadMarginOptions(read, o);
  salesight_partial* p = nullptr;
  salesight_table* pt = products ? products->get() : nullptr;
  CallNoGil([&] { return salesight_margin_partial(orders.get(), pt, begin, end, &o, &p); });
  return WrapPartial(p);
}

py::bytes PartialSerialize(const Partial& p) {
  uint8_t* bytes = nullptr;
  int64_t length = 0;
  CallNoGil([&] { return salesight_partial_serialize(p.handle.get(), &bytes, &length); });
  std::unique_ptr<uint8_t, decltype(&salesight_bytes_free)> owned(bytes, salesight_bytes_free);
  return py::bytes(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}

Partial PartialDeserialize(const py::bytes& data) {
  char* buffer = nullptr;
  Py_ssize_t length = 0;
  if (PyBytes_AsStringAndSize(data.ptr(), &buffer, &length) != 0) throw py::error_already_set();
  salesight_partial* p = nullptr;
  // `data` stays referenced by the caller while the GIL is released.
  CallNoGil([&] {
    return salesight_partial_deserialize(reinterpret_cast<const uint8_t*>(buffer), length, &p);
  });
  return WrapPartial(p);
}

// Deserializes every blob (None = an empty partition, skipped), merges them
// in the given order and serializes the merged state; None when all are
// None. One call per reduction step of a Dask tree: the GIL is released for
// the whole step.
py::object MergeSerialized(const py::list& blobs) {
  std::vector<std::pair<const uint8_t*, int64_t>> views;
  for (py::handle b : blobs) {
    if (b.is_none()) continue;
    char* buffer = nullptr;
    Py_ssize_t length = 0;
    if (PyBytes_AsStringAndSize(b.ptr(), &buffer, &length) != 0) throw py::error_already_set();
    views.emplace_back(reinterpret_cast<const uint8_t*>(buffer), static_cast<int64_t>(length));
  }
  if (views.empty()) return py::none();
  uint8_t* out = nullptr;
  int64_t out_length = 0;
  CallNoGil([&]() -> salesight_status {
    salesight_partial* acc = nullptr;
    salesight_status st = salesight_partial_deserialize(views[0].first, views[0].second, &acc);
    for (std::size_t i = 1; st == SALESIGHT_OK && i < views.size(); ++i) {
      salesight_partial* next = nullptr;
      st = salesight_partial_deserialize(views[i].first, views[i].second, &next);
      if (st == SALESIGHT_OK) st = salesight_partial_merge(acc, next);
      salesight_partial_destroy(next);
    }
    if (st == SALESIGHT_OK) st = salesight_partial_serialize(acc, &out, &out_length);
    salesight_partial_destroy(acc);
    return st;
  });
  std::unique_ptr<uint8_t, decltype(&salesight_bytes_free)> owned(out, salesight_bytes_free);
  return py::bytes(reinterpret_cast<const char*>(out), static_cast<std::size_t>(out_length));
}

Result RfmFinish(const Partial& p, const py::dict& options) {
  salesight_rfm_options o;
  OptionReader read(options);
  ReadRfmOptions(read, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_rfm_partial_finish(p.handle.get(), &o, &r); });
  return WrapResult(r);
}

Result FunnelFinish(const Partial& p, const py::dict& options) {
  salesight_funnel_options o;
  OptionReader read(options);
  ReadFunnelOptions(read, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_funnel_partial_finish(p.handle.get(), &o, &r); });
  return WrapResult(r);
}

Result MarginFinish(const Partial& p, const py::dict& options) {
  salesight_margin_options o;
  OptionReader read(options);
  ReadMarginOptions(read, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_margin_partial_finish(p.handle.get(), &o, &r); });
  return WrapResult(r);
}

QuoteIndex MakeQuoteIndex(const Table& products, const Table& customers, const Table* invoices,
                          const Table* payments, const py::dict& options) {
  salesight_quote_options o;
  Check(salesight_quote_options_init(&o, sizeof o));
  OptionReader read(options);
  read.Get("tier_cost_first", &o.tier_cost_first);
  read.Get("margin_floor_pct", &o.margin_floor_pct);
  read.Get("receivables_as_of", &o.receivables_as_of);
  read.Get("language", &o.language);
  read.Done();
  salesight_quote_index* index = nullptr;
  CallNoGil([&] {
    return salesight_quote_index_create(products.get(), customers.get(),
                                        invoices ? invoices->get() : nullptr,
                                        payments ? payments->get() : nullptr, &o, &index);
  });
  return QuoteIndex{std::shared_ptr<salesight_quote_index>(index, salesight_quote_index_destroy)};
}

py::tuple ReadCsv(salesight_table_kind kind, const std::string& path, const py::dict& options,
                  const Table* share, const Table* invoices) {
  salesight_csv_options o;
  Check(salesight_csv_options_init(&o, sizeof o));
  OptionReader read(options);
  auto get_char = [&](const char* key, char* field) {
    const char* text = nullptr;
    read.GetString(key, &text);
    if (text == nullptr) return;  // absent or None: the default
    const std::size_t n = std::strlen(text);
    if (n > 1) {
      Raise(SALESIGHT_ERR_INVALID_ARGUMENT, std::string("option ") + key + " must be one character");
    }
    *field = n == 0 ? '\0' : text[0];
  };
  get_char("delimiter", &o.delimiter);
  get_char("quote", &o.quote);
  get_char("decimal_point", &o.decimal_point);
  get_char("thousands_separator", &o.thousands_separator);
  read.GetString("mapping", &o.mapping);
  read.GetString("date_format", &o.date_format);
  read.GetString("stages", &o.stages);
  read.GetString("encoding", &o.encoding);
  read.GetString("fill_down", &o.fill_down);
  read.GetString("document_total", &o.document_total);
  read.GetString("preset", &o.preset);
  read.Get("has_header", &o.has_header);
  read.Get("excel_dates", &o.excel_dates);
  read.Get("money_scale", &o.money_scale);
  read.Get("stop_on_first_error", &o.stop_on_first_error);
  read.Get("max_rejects_kept", &o.max_rejects_kept);
  read.Get("num_threads", &o.num_threads);
  read.Done();
  o.share_dictionaries = share ? share->get() : nullptr;
  o.invoices = invoices ? invoices->get() : nullptr;
  salesight_table* t = nullptr;
  salesight_csv_report* report = nullptr;
  CallNoGil([&] { return salesight_csv_read(kind, path.c_str(), &o, &t, &report); });
  std::unique_ptr<salesight_csv_report, decltype(&salesight_csv_report_destroy)> rep(
      report, salesight_csv_report_destroy);
  Table table = WrapTable(t);
  int64_t data_lines = 0, accepted = 0, rejected = 0;
  const char* summary = nullptr;
  salesight_result* rejects = nullptr;
  Check(salesight_csv_report_data_lines(report, &data_lines));
  Check(salesight_csv_report_accepted(report, &accepted));
  Check(salesight_csv_report_rejected(report, &rejected));
  Check(salesight_csv_report_summary(report, &summary));
  Check(salesight_csv_report_rejects(report, &rejects));
  py::dict info;
  info["data_lines"] = data_lines;
  info["accepted"] = accepted;
  info["rejected"] = rejected;
  info["summary"] = std::string(summary);
  for (const char* count : {"total_rows", "filled_down", "total_mismatches"}) {
    int64_t n = 0;
    Check(salesight_csv_report_count(report, count, &n));
    info[count] = n;
  }
  salesight_result* notes = nullptr;
  Check(salesight_csv_report_notes(report, &notes));
  info["notes"] = WrapResult(notes);
  return py::make_tuple(table, info, WrapResult(rejects));
}

py::dict Sample(int64_t order_lines, uint64_t seed, int32_t num_threads) {
  salesight_sample_options o;
  Check(salesight_sample_options_init(&o, sizeof o));
  o.order_lines = order_lines;
  o.seed = seed;
  o.num_threads = num_threads;
  salesight_sample* s = nullptr;
  CallNoGil([&] { return salesight_sample_generate(&o, &s); });
  std::unique_ptr<salesight_sample, decltype(&salesight_sample_destroy)> sample(
      s, salesight_sample_destroy);
  py::dict out;
  const std::pair<const char*, salesight_table_kind> kinds[] = {
      {"orders", SALESIGHT_TABLE_ORDERS},     {"customers", SALESIGHT_TABLE_CUSTOMERS},
      {"products", SALESIGHT_TABLE_PRODUCTS}, {"pipeline", SALESIGHT_TABLE_PIPELINE},
      {"invoices", SALESIGHT_TABLE_INVOICES}, {"payments", SALESIGHT_TABLE_PAYMENTS},
      {"targets", SALESIGHT_TABLE_TARGETS}};
  for (const auto& [name, kind] : kinds) {
    salesight_table* t = nullptr;
    Check(salesight_sample_table(s, kind, &t));
    out[name] = WrapTable(t);
  }
  int32_t as_of = 0;
  Check(salesight_sample_as_of(s, &as_of));
  out["as_of"] = as_of;
  return out;
}

// ------------------------------------------------------------------ dataset

struct Dataset {
  std::shared_ptr<salesight_dataset> handle;
  std::vector<Table> tables;  // their borrowed numpy arrays must outlive the dataset
};

Dataset NewDataset() {
  salesight_dataset* d = nullptr;
  Check(salesight_dataset_create(&d));
  return Dataset{std::shared_ptr<salesight_dataset>(d, salesight_dataset_destroy), {}};
}

void DatasetAdd(Dataset& d, const Table& t) {
  Check(salesight_dataset_add_table(d.handle.get(), t.get()));
  d.tables.push_back(t);
}

void DatasetAppend(Dataset& d, const Table& t) {
  Check(salesight_dataset_append_table(d.handle.get(), t.get()));
  d.tables.push_back(t);  // as DatasetAdd: the appended lines may borrow its arrays
}

// The dashboard of a dataset as JSON or HTML text (salesight_dashboard_render).
std::string DashboardRender(const Dataset& d, int32_t from, int32_t to, int32_t lang, int32_t top_n,
                            int32_t num_threads, const std::optional<std::string>& currency,
                            const std::optional<std::string>& title, int32_t format) {
  salesight_dashboard_options o = SALESIGHT_DASHBOARD_OPTIONS_INIT;
  o.from = from;
  o.to = to;
  o.lang = lang;
  o.top_n = top_n;
  o.num_threads = num_threads;
  o.currency = currency ? currency->c_str() : nullptr;
  o.title = title ? title->c_str() : nullptr;
  uint8_t* text = nullptr;
  int64_t n = 0;
  CallNoGil([&] { return salesight_dashboard_render(d.handle.get(), &o, format, &text, &n); });
  std::unique_ptr<uint8_t, decltype(&salesight_bytes_free)> owned(text, salesight_bytes_free);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n));
}

// A declared calculator by name, options as text (salesight_calculator_run).
Result CalculatorRun(const Dataset& d, const std::string& name,
                     const std::vector<std::pair<std::string, std::string>>& options,
                     const std::optional<std::string>& output) {
  std::vector<const char*> names, values;
  for (const auto& [k, v] : options) {
    names.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_calculator_run(d.handle.get(), name.c_str(), names.data(), values.data(),
                                    static_cast<int32_t>(names.size()),
                                    output ? output->c_str() : nullptr, &r);
  });
  return WrapResult(r);
}

// Any kind's partial by calculator name (salesight_calculator_partial) and
// its finish (salesight_partial_finish); options as text, as CalculatorRun.
Partial CalculatorPartial(const Dataset& d, const std::string& name,
                          const std::vector<std::pair<std::string, std::string>>& options,
                          int64_t begin, int64_t end) {
  std::vector<const char*> names, values;
  for (const auto& [k, v] : options) {
    names.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  salesight_partial* p = nullptr;
  CallNoGil([&] {
    return salesight_calculator_partial(d.handle.get(), name.c_str(), names.data(),
                                        values.data(), static_cast<int32_t>(names.size()), begin,
                                        end, &p);
  });
  return WrapPartial(p);
}

Result PartialFinishAny(const Partial& p, const Dataset* context,
                        const std::vector<std::pair<std::string, std::string>>& options,
                        const std::optional<std::string>& output) {
  std::vector<const char*> names, values;
  for (const auto& [k, v] : options) {
    names.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_partial_finish(p.handle.get(), context ? context->handle.get() : nullptr,
                                    names.data(), values.data(),
                                    static_cast<int32_t>(names.size()),
                                    output ? output->c_str() : nullptr, &r);
  });
  return WrapResult(r);
}

// ------------------------------------------------------------------ clv

// A fitted CLV model (salesight_clv_model); Python's salesight.clv.fit wraps it.
struct ClvModel {
  std::shared_ptr<salesight_clv_model> handle;
};

void ReadClvFitOptions(const py::dict& options, salesight_clv_fit_options& o) {
  OptionReader read(options);
  Check(salesight_clv_fit_options_init(&o, sizeof o));
  read.Get("model", &o.model);
  read.Get("time_unit", &o.time_unit);
  read.Get("calibration_end", &o.calibration_end);
  read.Get("max_iterations", &o.max_iterations);
  read.Get("allow_not_converged", &o.allow_not_converged);
  read.Get("fit_spend", &o.fit_spend);
  read.Get("num_threads", &o.num_threads);
  read.Get("l2_penalty", &o.l2_penalty);
  read.Get("gradient_tolerance", &o.gradient_tolerance);
  read.Done();
}

void ReadClvPredictOptions(const py::dict& options, salesight_clv_predict_options& o) {
  OptionReader read(options);
  Check(salesight_clv_predict_options_init(&o, sizeof o));
  read.Get("horizon", &o.horizon);
  read.Get("num_threads", &o.num_threads);
  read.Get("calibration_end", &o.calibration_end);
  read.Get("t", &o.t);
  read.Get("period_length", &o.period_length);
  read.Get("discount", &o.discount);
  read.Get("margin", &o.margin);
  read.Done();
}

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

// The summary columns (None = absent) with their common length.
struct ClvColumns {
  std::optional<DoubleArray> frequency, recency, T, monetary, weight;
  int64_t n = 0;
  static const double* Data(const std::optional<DoubleArray>& a) { return a ? a->data() : nullptr; }
};

ClvColumns ToClvColumns(const py::object& frequency, const py::object& recency,
                        const py::object& T, const py::object& monetary,
                        const py::object& weight) {
  ClvColumns c;
  auto take = [](const py::object& v, const char* name, std::optional<DoubleArray>* out) {
    if (v.is_none()) return;
    DoubleArray a = DoubleArray::ensure(v);
    if (!a || a.ndim() != 1) throw py::type_error(std::string(name) + ": expected a 1-d array of numbers");
    *out = std::move(a);
  };
  take(frequency, "frequency", &c.frequency);
  take(recency, "recency", &c.recency);
  take(T, "T", &c.T);
  take(monetary, "monetary_value", &c.monetary);
  take(weight, "weight", &c.weight);
  c.n = c.frequency ? static_cast<int64_t>(c.frequency->shape(0)) : 0;
  for (auto [a, name] : {std::pair{&c.recency, "recency"}, std::pair{&c.T, "T"},
                         std::pair{&c.monetary, "monetary_value"}, std::pair{&c.weight, "weight"}}) {
    if (*a && (*a)->shape(0) != c.n) {
      Raise(SALESIGHT_ERR_LENGTH_MISMATCH, std::string(name) + " has " +
                                               std::to_string((*a)->shape(0)) +
                                               " rows, frequency has " + std::to_string(c.n));
    }
  }
  return c;
}

ClvModel ClvFit(const py::object& frequency, const py::object& recency, const py::object& T,
                const py::object& monetary, const py::object& weight, const py::dict& options) {
  salesight_clv_fit_options o;
  ReadClvFitOptions(options, o);
  const ClvColumns c = ToClvColumns(frequency, recency, T, monetary, weight);
  salesight_clv_model* m = nullptr;
  CallNoGil([&] {
    return salesight_clv_fit(ClvColumns::Data(c.frequency), ClvColumns::Data(c.recency),
                             ClvColumns::Data(c.T), ClvColumns::Data(c.monetary),
                             ClvColumns::Data(c.weight), c.n, &o, &m);
  });
  return ClvModel{std::shared_ptr<salesight_clv_model>(m, salesight_clv_model_destroy)};
}

ClvModel ClvFitDataset(const Dataset& d, const py::dict& options) {
  salesight_clv_fit_options o;
  ReadClvFitOptions(options, o);
  salesight_clv_model* m = nullptr;
  CallNoGil([&] { return salesight_clv_fit_dataset(d.handle.get(), &o, &m); });
  return ClvModel{std::shared_ptr<salesight_clv_model>(m, salesight_clv_model_destroy)};
}

Result ClvSummary(const Dataset& d, const py::dict& options) {
  salesight_clv_fit_options o;
  ReadClvFitOptions(options, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_clv_summary(d.handle.get(), &o, &r); });
  return WrapResult(r);
}

// {"model", "status", "iterations", "evaluations", "has_standard_errors",
//  "time_unit", "log_likelihood", "gradient_norm", "customers",
//  "params": [(name, estimate, std_error)]} of fit `which`.
py::dict ClvInfo(const ClvModel& m, int32_t which) {
  salesight_clv_fit_info info{};
  info.struct_size = sizeof info;
  Check(salesight_clv_model_info(m.handle.get(), which, &info));
  py::dict out;
  out["model"] = info.model;
  out["status"] = info.status;
  out["iterations"] = info.iterations;
  out["evaluations"] = info.evaluations;
  out["has_standard_errors"] = info.has_standard_errors != 0;
  out["time_unit"] = info.time_unit;
  out["log_likelihood"] = info.log_likelihood;
  out["gradient_norm"] = info.gradient_norm;
  out["customers"] = info.customers;
  py::list params;
  for (int32_t j = 0; j < info.num_params; ++j) {
    const char* name = nullptr;
    double estimate = 0, error = 0;
    Check(salesight_clv_model_param(m.handle.get(), which, j, &name, &estimate, &error));
    params.append(py::make_tuple(std::string(name), estimate, error));
  }
  out["params"] = params;
  return out;
}

Result ClvPredict(const ClvModel& m, const py::object& frequency, const py::object& recency,
                  const py::object& T, const py::object& monetary, const py::dict& options) {
  salesight_clv_predict_options o;
  ReadClvPredictOptions(options, o);
  const ClvColumns c = ToClvColumns(frequency, recency, T, monetary, py::none());
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_clv_predict(m.handle.get(), ClvColumns::Data(c.frequency),
                                 ClvColumns::Data(c.recency), ClvColumns::Data(c.T),
                                 ClvColumns::Data(c.monetary), c.n, &o, &r);
  });
  return WrapResult(r);
}

Result ClvPredictDataset(const ClvModel& m, const Dataset& d, const py::dict& options) {
  salesight_clv_predict_options o;
  ReadClvPredictOptions(options, o);
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_clv_predict_dataset(m.handle.get(), d.handle.get(), &o, &r); });
  return WrapResult(r);
}

double ClvNewCustomer(const ClvModel& m, double t, std::optional<int32_t> n) {
  double out = 0;
  if (n) {
    Check(salesight_clv_model_probability_of_purchases(m.handle.get(), t, *n, &out));
  } else {
    Check(salesight_clv_model_expected_purchases(m.handle.get(), t, &out));
  }
  return out;
}

// A JSON query spec compiled against the dataset and run (salesight_query_*).
using QueryHandle = std::unique_ptr<salesight_query, decltype(&salesight_query_destroy)>;
QueryHandle Compile(const Dataset& d, const std::string& spec_json) {
  salesight_query* q = nullptr;
  Check(salesight_query_compile(d.handle.get(), spec_json.c_str(), &q));
  return QueryHandle(q, salesight_query_destroy);
}
Result RunCompiled(const salesight_query* q) {
  salesight_result* r = nullptr;
  CallNoGil([&] { return salesight_query_run(q, &r); });
  return WrapResult(r);
}
Result QueryRun(const Dataset& d, const std::string& spec_json) {
  return RunCompiled(Compile(d, spec_json).get());
}
// Query partials (Dask): bytes per partition, merged, finished.
py::bytes OwnedBytes(uint8_t* bytes, int64_t length) {
  std::unique_ptr<uint8_t, decltype(&salesight_bytes_free)> owned(bytes, salesight_bytes_free);
  return py::bytes(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}
std::string_view BytesView(const py::bytes& data) {
  char* buffer = nullptr;
  Py_ssize_t length = 0;
  if (PyBytes_AsStringAndSize(data.ptr(), &buffer, &length) != 0) throw py::error_already_set();
  return std::string_view(buffer, static_cast<std::size_t>(length));
}
py::bytes QueryPartialOf(const Dataset& d, const std::string& spec_json) {
  QueryHandle q = Compile(d, spec_json);
  uint8_t* bytes = nullptr;
  int64_t length = 0;
  CallNoGil([&] { return salesight_query_partial(q.get(), &bytes, &length); });
  return OwnedBytes(bytes, length);
}
py::bytes QueryPartialMerge(const py::bytes& a, const py::bytes& b) {
  const std::string_view x = BytesView(a), y = BytesView(b);  // a, b stay referenced
  uint8_t* bytes = nullptr;
  int64_t length = 0;
  CallNoGil([&] {
    return salesight_query_partial_merge(reinterpret_cast<const uint8_t*>(x.data()),
                                         static_cast<int64_t>(x.size()),
                                         reinterpret_cast<const uint8_t*>(y.data()),
                                         static_cast<int64_t>(y.size()), &bytes, &length);
  });
  return OwnedBytes(bytes, length);
}
Result QueryPartialFinish(const std::string& spec_json, const py::bytes& partial) {
  const std::string_view x = BytesView(partial);
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_query_partial_finish(spec_json.c_str(),
                                          reinterpret_cast<const uint8_t*>(x.data()),
                                          static_cast<int64_t>(x.size()), &r);
  });
  return WrapResult(r);
}
// The query one level down under a row of its result: (its spec JSON, its result).
std::pair<std::string, Result> QueryDrill(const Dataset& d, const std::string& spec_json,
                                          int64_t row, const std::string& level) {
  QueryHandle q = Compile(d, spec_json);
  Result top = RunCompiled(q.get());
  salesight_query* down = nullptr;
  Check(salesight_query_drill(q.get(), top.handle.get(), row, level.c_str(), &down));
  QueryHandle owned(down, salesight_query_destroy);
  const char* json = nullptr;
  Check(salesight_query_spec_json(owned.get(), &json));
  return {std::string(json), RunCompiled(owned.get())};
}
// `target_json` cross-filtered by rows of the source query's result: (its spec JSON, its result).
std::pair<std::string, Result> QueryCrossFilter(const Dataset& d, const std::string& source_json,
                                                const std::vector<int64_t>& rows,
                                                const std::string& target_json) {
  QueryHandle source = Compile(d, source_json);
  Result top = RunCompiled(source.get());
  QueryHandle target = Compile(d, target_json);
  salesight_query* crossed = nullptr;
  Check(salesight_query_cross_filter(source.get(), top.handle.get(), rows.data(),
                                     static_cast<int64_t>(rows.size()), target.get(), &crossed));
  QueryHandle owned(crossed, salesight_query_destroy);
  const char* json = nullptr;
  Check(salesight_query_spec_json(owned.get(), &json));
  return {std::string(json), RunCompiled(owned.get())};
}
// The lines under a row of the query's result, paged.
Result QueryDrillThrough(const Dataset& d, const std::string& spec_json, int64_t row,
                         int64_t offset, int64_t limit) {
  QueryHandle q = Compile(d, spec_json);
  Result top = RunCompiled(q.get());
  salesight_result* r = nullptr;
  CallNoGil([&] {
    return salesight_query_drill_through(q.get(), top.handle.get(), row, offset, limit, &r);
  });
  return WrapResult(r);
}

}  // namespace

PYBIND11_MODULE(_salesight, m) {
  m.doc() = "Low-level bindings over the salesight C ABI (salesight.h). Use the `salesight` "
            "package instead.";
  BindApprovals(m, &Check);
  BindInterned(m, &Check);
  m.attr("HEADER_VERSION_NUMBER") = SALESIGHT_VERSION_NUMBER;
  m.attr("HEADER_VERSION_STRING") = SALESIGHT_VERSION_STRING;
  m.attr("NO_DATE") = SALESIGHT_NO_DATE;
  m.def("version_number", &salesight_version_number);
  m.def("version_string", [] { return std::string(salesight_version_string()); });
  m.def("status_name", [](int32_t s) { return std::string(salesight_status_name(s)); });
  m.def("_register_errors", [](const py::dict& classes) {
    ErrorClasses().clear();
    for (auto item : classes) ErrorClasses()[item.first] = item.second;
  });

  py::class_<Table>(m, "Table")
      .def_property_readonly("num_rows",
                             [](const Table& t) {
                               int64_t n = 0;
                               Check(salesight_table_num_rows(t.get(), &n));
                               return n;
                             })
      .def_property_readonly("kind",
                             [](const Table& t) {
                               salesight_table_kind k = 0;
                               Check(salesight_table_kind_of(t.get(), &k));
                               return k;
                             })
      .def_property_readonly("money_scale",
                             [](const Table& t) {
                               int32_t s = 0;
                               Check(salesight_table_money_scale(t.get(), &s));
                               return s;
                             })
      .def("columns", [](const Table& t) {
        salesight_result* r = nullptr;
        CallNoGil([&] { return salesight_table_columns(t.get(), &r); });
        return WrapResult(r);
      });

  py::class_<Result>(m, "Result")
      .def_property_readonly("num_rows",
                             [](const Result& r) {
                               int64_t n = 0;
                               Check(salesight_result_num_rows(r.handle.get(), &n));
                               return n;
                             })
      .def_property_readonly("num_columns",
                             [](const Result& r) {
                               int32_t n = 0;
                               Check(salesight_result_num_columns(r.handle.get(), &n));
                               return n;
                             })
      .def("column_name",
           [](const Result& r, int32_t c) {
             const char* name = nullptr;
             Check(salesight_result_column_name(r.handle.get(), c, &name));
             return std::string(name);
           })
      .def("column_type",
           [](const Result& r, int32_t c) {
             salesight_type t = 0;
             Check(salesight_result_column_type(r.handle.get(), c, &t));
             return t;
           })
      .def("column_money_scale",
           [](const Result& r, int32_t c) {
             int32_t s = 0;
             Check(salesight_result_column_money_scale(r.handle.get(), c, &s));
             return s;
           })
      .def("column", &ColumnArray)
      .def("column_validity", &ColumnValidity)
      .def("column_parse_int64", &ColumnParseInt64)
      .def("column_codes", &ColumnCodes)
      .def("problems",
           [](const Result& r) {
             salesight_result* p = nullptr;
             Check(salesight_result_problems(r.handle.get(), &p));
             return WrapResult(p);
           })
      .def("write", [](const Result& r, const std::string& path) {
        Check(salesight_result_write(r.handle.get(), path.c_str()));
      });

  py::class_<QuoteIndex>(m, "QuoteIndex")
      .def_property_readonly("money_scale",
                             [](const QuoteIndex& q) {
                               int32_t s = 0;
                               Check(salesight_quote_index_money_scale(q.handle.get(), &s));
                               return s;
                             })
      .def("check", [](const QuoteIndex& q, const std::string& customer, const std::string& product,
                       int32_t quantity, int64_t unit_price, int32_t date) {
        salesight_result* r = nullptr;
        Check(salesight_quote_check(q.handle.get(), customer.c_str(), product.c_str(), quantity,
                                    unit_price, date, &r));
        return WrapResult(r);
      });

  m.def("build_table", &BuildTable, py::arg("kind"), py::arg("columns"),
        py::arg("money_scale") = 2, py::arg("share") = nullptr, py::arg("stages") = py::none(),
        py::arg("invoices") = nullptr, py::arg("target_level") = -1, py::arg("keep_wide") = false,
        py::arg("num_threads") = 1);
  // The declared options of a calculator, JSON (salesight_options_describe).
  m.def(
      "options_describe",
      [](const std::string& calculator) {
        const char* json = nullptr;
        Check(salesight_options_describe(calculator.c_str(), &json));
        return std::string(json);
      },
      py::arg("calculator"));
  m.def("rfm", &Rfm, py::arg("orders"), py::arg("options") = py::dict());
  py::class_<Dataset>(m, "Dataset")
      .def("add", &DatasetAdd, py::arg("table"))
      .def("append", &DatasetAppend, py::arg("table"));
  m.def("dataset", &NewDataset);
  m.def("calculators_json", [] { return std::string(salesight_calculators_json()); });
  m.def("dashboard_render", &DashboardRender, py::arg("dataset"), py::arg("from_day"),
        py::arg("to_day"), py::arg("lang"), py::arg("top_n"), py::arg("num_threads"),
        py::arg("currency"), py::arg("title"), py::arg("format"));
  py::class_<ClvModel>(m, "ClvModel")
      .def("info", &ClvInfo, py::arg("which") = 0)
      .def("predict", &ClvPredict, py::arg("frequency"), py::arg("recency"), py::arg("T"),
           py::arg("monetary_value"), py::arg("options") = py::dict())
      .def("predict_dataset", &ClvPredictDataset, py::arg("dataset"),
           py::arg("options") = py::dict())
      .def("new_customer", &ClvNewCustomer, py::arg("t"), py::arg("n") = std::nullopt);
  m.def("clv_fit", &ClvFit, py::arg("frequency"), py::arg("recency"), py::arg("T"),
        py::arg("monetary_value"), py::arg("weight"), py::arg("options") = py::dict());
  m.def("clv_fit_dataset", &ClvFitDataset, py::arg("dataset"), py::arg("options") = py::dict());
  m.def("clv_summary", &ClvSummary, py::arg("dataset"), py::arg("options") = py::dict());
  m.def("calculator_run", &CalculatorRun, py::arg("dataset"), py::arg("name"),
        py::arg("options"), py::arg("output") = std::nullopt);
  m.def("query_run", &QueryRun, py::arg("dataset"), py::arg("spec_json"));
  m.def("query_partial", &QueryPartialOf, py::arg("dataset"), py::arg("spec_json"));
  m.def("query_partial_merge", &QueryPartialMerge, py::arg("a"), py::arg("b"));
  m.def("query_partial_finish", &QueryPartialFinish, py::arg("spec_json"), py::arg("partial"));
  m.def("query_drill", &QueryDrill, py::arg("dataset"), py::arg("spec_json"), py::arg("row"),
        py::arg("level"));
  m.def("query_cross_filter", &QueryCrossFilter, py::arg("dataset"), py::arg("source_json"),
        py::arg("rows"), py::arg("target_json"));
  m.def("query_drill_through", &QueryDrillThrough, py::arg("dataset"), py::arg("spec_json"),
        py::arg("row"), py::arg("offset"), py::arg("limit"));
  m.def("funnel", &Funnel, py::arg("pipeline"), py::arg("options") = py::dict());
  m.def("margin", &Margin, py::arg("orders"), py::arg("products") = nullptr,
        py::arg("options") = py::dict());
  m.def("aging", &Aging, py::arg("invoices"), py::arg("payments") = nullptr,
        py::arg("options") = py::dict());
  m.def("trend", &Trend, py::arg("orders"), py::arg("products") = nullptr,
        py::arg("invoices") = nullptr, py::arg("payments") = nullptr,
        py::arg("targets") = nullptr, py::arg("options") = py::dict());
  m.def("contribution", &Contribution, py::arg("orders"), py::arg("products") = nullptr,
        py::arg("options") = py::dict());
  m.def("leaderboard", &Leaderboard, py::arg("orders"), py::arg("products") = nullptr,
        py::arg("pipeline") = nullptr, py::arg("invoices") = nullptr,
        py::arg("payments") = nullptr, py::arg("targets") = nullptr,
        py::arg("options") = py::dict());
  py::class_<Partial>(m, "Partial")
      .def_property_readonly("kind",
                             [](const Partial& p) {
                               int32_t k = 0;
                               Check(salesight_partial_kind(p.handle.get(), &k));
                               return k;
                             })
      .def("serialize", &PartialSerialize)
      .def("merge", [](Partial& into, const Partial& from) {
        CallNoGil([&] { return salesight_partial_merge(into.handle.get(), from.handle.get()); });
      });
  m.def("rfm_partial", &RfmPartial, py::arg("orders"), py::arg("begin"), py::arg("end"),
        py::arg("options") = py::dict());
  m.def("funnel_partial", &FunnelPartial, py::arg("pipeline"), py::arg("begin"), py::arg("end"),
        py::arg("options") = py::dict());
  m.def("margin_partial", &MarginPartial, py::arg("orders"), py::arg("products"),
        py::arg("begin"), py::arg("end"), py::arg("options") = py::dict());
  m.def("partial_deserialize", &PartialDeserialize, py::arg("data"));
  m.def("calculator_partial", &CalculatorPartial, py::arg("dataset"), py::arg("name"),
        py::arg("options"), py::arg("begin"), py::arg("end"));
  m.def("partial_finish", &PartialFinishAny, py::arg("partial"), py::arg("context"),
        py::arg("options"), py::arg("output"));
  m.def("merge_serialized", &MergeSerialized, py::arg("blobs"));
  m.def("rfm_finish", &RfmFinish, py::arg("partial"), py::arg("options") = py::dict());
  m.def("funnel_finish", &FunnelFinish, py::arg("partial"), py::arg("options") = py::dict());
  m.def("margin_finish", &MarginFinish, py::arg("partial"), py::arg("options") = py::dict());
  m.def("quote_index", &MakeQuoteIndex, py::arg("products"), py::arg("customers"),
        py::arg("invoices") = nullptr, py::arg("payments") = nullptr,
        py::arg("options") = py::dict());
  m.def("read_csv", &ReadCsv, py::arg("kind"), py::arg("path"), py::arg("options") = py::dict(),
        py::arg("share") = nullptr, py::arg("invoices") = nullptr);
  m.def("sample", &Sample, py::arg("order_lines") = 20000, py::arg("seed") = 20240930,
        py::arg("num_threads") = 1);
}
