// intern_strings: a numpy object column of str (None / NaN = missing) to the
// library's int32 codes and dictionary (salesight_interned_create) instead of
// pandas.factorize. The UTF-8 bytes are gathered here into one Arrow-style
// buffer (offsets + bytes) while the GIL is held - the only part that touches
// Python objects - and interned with the GIL released on num_threads threads.
#include "interned.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <pybind11/numpy.h>

namespace py = pybind11;

namespace {

void (*g_check)(salesight_status) = nullptr;

// The UTF-8 bytes of every row of a 1-D object array; false when a value is
// neither str nor missing (None, float NaN), or a str has no UTF-8 form (lone
// surrogates): the caller then factorizes in Python as before.
struct Utf8Column {
  std::vector<int64_t> offsets;
  std::string bytes;
  std::vector<uint8_t> validity;
  bool any_null = false;

  bool Gather(const py::array& values) {
    const auto n = static_cast<std::size_t>(values.shape(0));
    const auto stride = values.strides(0);
    const char* base = static_cast<const char*>(values.data());
    offsets.resize(n + 1);
    validity.assign((n + 7) / 8, 0);
    bytes.reserve(n * 8);
    offsets[0] = 0;
    for (std::size_t i = 0; i < n; ++i) {
      PyObject* item = *reinterpret_cast<PyObject* const*>(base + static_cast<std::ptrdiff_t>(i) * stride);
      if (PyUnicode_Check(item)) {
        Py_ssize_t size = 0;
        const char* utf8 = PyUnicode_AsUTF8AndSize(item, &size);
        if (utf8 == nullptr) {
          PyErr_Clear();
          return false;
        }
        bytes.append(utf8, static_cast<std::size_t>(size));
        validity[i >> 3] = static_cast<uint8_t>(validity[i >> 3] | (1u << (i & 7)));
      } else if (item == Py_None || (PyFloat_Check(item) && std::isnan(PyFloat_AS_DOUBLE(item)))) {
        any_null = true;
      } else {
        return false;
      }
      offsets[i + 1] = static_cast<int64_t>(bytes.size());
    }
    return true;
  }
};

py::object InternStrings(const py::array& values, int32_t num_threads) {
  if (values.dtype().kind() != 'O' || values.ndim() != 1) {
    throw py::type_error("intern_strings: expected a one-dimensional numpy object array");
  }
  Utf8Column column;
  if (!column.Gather(values)) return py::none();
  salesight_interned* raw = nullptr;
  salesight_status status;
  {
    py::gil_scoped_release release;
    status = salesight_interned_create(column.offsets.data(), column.bytes.data(),
                                       static_cast<int64_t>(values.shape(0)),
                                       column.any_null ? column.validity.data() : nullptr,
                                       num_threads, &raw);
  }
  g_check(status);  // the message is this thread's: no library call in between
  return py::cast(Interned{std::shared_ptr<salesight_interned>(raw, salesight_interned_destroy)});
}

// The codes as a read-only int32 numpy view that keeps the handle alive.
py::array Codes(const Interned& in) {
  const int32_t* codes = nullptr;
  int64_t rows = 0;
  g_check(salesight_interned_codes(in.handle.get(), &codes));
  g_check(salesight_interned_num_rows(in.handle.get(), &rows));
  auto* holder = new std::shared_ptr<salesight_interned>(in.handle);
  py::capsule base(holder, [](void* p) {
    delete static_cast<std::shared_ptr<salesight_interned>*>(p);
  });
  static const int32_t kEmpty = 0;
  py::array_t<int32_t> out({rows}, {sizeof(int32_t)}, codes ? codes : &kEmpty, base);
  py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return std::move(out);
}

py::list Labels(const Interned& in) {
  const char* const* codes = nullptr;
  int64_t count = 0;
  g_check(salesight_interned_dictionary(in.handle.get(), &codes, &count));
  py::list out(static_cast<std::size_t>(count));
  for (int64_t k = 0; k < count; ++k) {
    out[static_cast<std::size_t>(k)] = py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(
        codes[k], static_cast<Py_ssize_t>(std::strlen(codes[k])), "strict"));
  }
  return out;
}

}  // namespace

void BindInterned(py::module_& m, void (*check)(salesight_status)) {
  g_check = check;
  py::class_<Interned>(m, "Interned")
      .def_property_readonly("codes", &Codes)
      .def_property_readonly("first_null",
                             [](const Interned& in) {
                               int64_t row = -1;
                               g_check(salesight_interned_first_null(in.handle.get(), &row));
                               return row;
                             })
      .def("labels", &Labels)
      .def("canonical_order", [](Interned& in) {
        salesight_status status;
        {
          py::gil_scoped_release release;
          status = salesight_interned_canonical_order(in.handle.get());
        }
        g_check(status);
      });
  m.def("intern_strings", &InternStrings, py::arg("values"), py::arg("num_threads") = 1,
        "The library's codes (first appearance) and dictionary of a numpy object array of "
        "str / None / NaN, or None when a value is none of these.");
}
