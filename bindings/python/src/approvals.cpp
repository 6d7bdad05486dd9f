// The approval engine in the low-level module: handles over salesight.h's
// salesight_approval_* functions, JSON text in and out (the pure-Python
// salesight.approvals turns it into dicts).
#include <memory>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "salesight.h"

namespace py = pybind11;

namespace {

using CheckFn = void (*)(salesight_status);

struct EngineDeleter {
  void operator()(salesight_approval_engine* e) const { salesight_approval_engine_destroy(e); }
};
struct InstanceDeleter {
  void operator()(salesight_approval_instance* i) const { salesight_approval_instance_destroy(i); }
};

struct PolicyDeleter {
  void operator()(salesight_approval_policy* p) const { salesight_approval_policy_destroy(p); }
};
struct DirectoryDeleter {
  void operator()(salesight_approval_directory* d) const { salesight_approval_directory_destroy(d); }
};
struct StoreDeleter {
  void operator()(salesight_approval_store* s) const { salesight_approval_store_destroy(s); }
};

struct ApprovalInstance {
  std::unique_ptr<salesight_approval_instance, InstanceDeleter> handle;
};
struct ApprovalEngine {
  std::unique_ptr<salesight_approval_engine, EngineDeleter> handle;
};
struct ApprovalPolicy {
  std::unique_ptr<salesight_approval_policy, PolicyDeleter> handle;
};
struct ApprovalDirectory {
  std::unique_ptr<salesight_approval_directory, DirectoryDeleter> handle;
};
struct ApprovalStore {
  std::unique_ptr<salesight_approval_store, StoreDeleter> handle;
};

// Library-owned bytes as a Python str, freed either way.
std::string Take(uint8_t* bytes, int64_t length) {
  std::unique_ptr<uint8_t, void (*)(uint8_t*)> owned(bytes, &salesight_bytes_free);
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}

}  // namespace

void BindApprovals(py::module_& m, CheckFn check) {
  py::class_<ApprovalInstance>(m, "ApprovalInstance")
      .def(py::init([check] {
        salesight_approval_instance* raw = nullptr;
        check(salesight_approval_instance_create(&raw));
        return ApprovalInstance{{raw, {}}};
      }))
      .def("pending", [check](const ApprovalInstance& i, const std::string& user) {
        int32_t out = 0;
        check(salesight_approval_pending(i.handle.get(), user.c_str(), &out));
        return out != 0;
      })
      .def("state", [check](const ApprovalInstance& i) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_instance_state(i.handle.get(), &text, &n));
        return Take(text, n);
      })
      .def("log", [check](const ApprovalInstance& i) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_instance_log(i.handle.get(), &text, &n));
        return Take(text, n);
      });
  py::class_<ApprovalPolicy>(m, "ApprovalPolicy")
      .def(py::init([check](const std::string& policy, const py::object& dmn) {
             std::string dmn_text;
             const bool has_dmn = !dmn.is_none();
             if (has_dmn) dmn_text = dmn.cast<std::string>();
             salesight_approval_policy* raw = nullptr;
             check(salesight_approval_policy_create(policy.data(), static_cast<int64_t>(policy.size()),
                                                    has_dmn ? dmn_text.data() : nullptr,
                                                    static_cast<int64_t>(dmn_text.size()), &raw));
             return ApprovalPolicy{{raw, {}}};
           }),
           py::arg("policy"), py::arg("dmn") = py::none());
  py::class_<ApprovalDirectory>(m, "ApprovalDirectory").def(py::init([check](const std::string& directory) {
    salesight_approval_directory* raw = nullptr;
    check(salesight_approval_directory_create(directory.data(), static_cast<int64_t>(directory.size()), &raw));
    return ApprovalDirectory{{raw, {}}};
  }));
  py::class_<ApprovalStore>(m, "ApprovalStore")
      .def(py::init([check] {
        salesight_approval_store* raw = nullptr;
        check(salesight_approval_store_create(&raw));
        return ApprovalStore{{raw, {}}};
      }))
      .def("pending", [check](const ApprovalStore& s, const std::string& user, int64_t at) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_store_pending(s.handle.get(), user.c_str(), at, &text, &n));
        return Take(text, n);
      })
      .def("state", [check](const ApprovalStore& s, const std::string& instance) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_store_state(s.handle.get(), instance.c_str(), &text, &n));
        return Take(text, n);
      })
      .def("log", [check](const ApprovalStore& s) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_store_log(s.handle.get(), &text, &n));
        return Take(text, n);
      });
  m.def("approval_pending_list", [check](const std::vector<const ApprovalInstance*>& instances,
                                          const std::string& user, int64_t at) {
    std::vector<const salesight_approval_instance*> raw;
    for (const ApprovalInstance* i : instances) raw.push_back(i->handle.get());
    uint8_t* text = nullptr;
    int64_t n = 0;
    check(salesight_approval_pending_list(raw.data(), static_cast<int64_t>(raw.size()), user.c_str(), at, &text, &n));
    return Take(text, n);
  });
  py::class_<ApprovalEngine>(m, "ApprovalEngine")
      .def(py::init([check](const std::string& policy, const std::string& directory, const py::object& dmn,
                            bool allow_findings) {
             std::string dmn_text;
             const bool has_dmn = !dmn.is_none();
             if (has_dmn) dmn_text = dmn.cast<std::string>();
             salesight_approval_engine* raw = nullptr;
             check(salesight_approval_engine_create(
                 policy.data(), static_cast<int64_t>(policy.size()), has_dmn ? dmn_text.data() : nullptr,
                 static_cast<int64_t>(dmn_text.size()), directory.data(), static_cast<int64_t>(directory.size()),
                 allow_findings ? 1 : 0, &raw));
             return ApprovalEngine{{raw, {}}};
           }),
           py::arg("policy"), py::arg("directory"), py::arg("dmn") = py::none(), py::arg("allow_findings") = false)
      .def_static("from_handles",
                  [check](const ApprovalPolicy& p, const ApprovalDirectory& d, bool allow_findings) {
                    salesight_approval_engine* raw = nullptr;
                    check(salesight_approval_engine_create_from(p.handle.get(), d.handle.get(),
                                                                allow_findings ? 1 : 0, &raw));
                    return ApprovalEngine{{raw, {}}};
                  })
      .def("store_apply", [check](const ApprovalEngine& e, ApprovalStore& s, const std::string& command) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_store_apply(e.handle.get(), s.handle.get(), command.data(),
                                             static_cast<int64_t>(command.size()), &text, &n));
        return Take(text, n);
      })
      .def("store_replay", [check](const ApprovalEngine& e, const std::string& log) {
        salesight_approval_store* raw = nullptr;
        check(salesight_approval_store_replay(e.handle.get(), log.data(), static_cast<int64_t>(log.size()), &raw));
        return ApprovalStore{{raw, {}}};
      })
      .def("findings", [check](const ApprovalEngine& e) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_engine_findings(e.handle.get(), &text, &n));
        return Take(text, n);
      })
      .def("route", [check](const ApprovalEngine& e, const std::string& contract) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_route(e.handle.get(), contract.data(), static_cast<int64_t>(contract.size()), &text, &n));
        return Take(text, n);
      })
      .def("apply", [check](const ApprovalEngine& e, ApprovalInstance& i, const std::string& command) {
        uint8_t* text = nullptr;
        int64_t n = 0;
        check(salesight_approval_apply(e.handle.get(), i.handle.get(), command.data(),
                                       static_cast<int64_t>(command.size()), &text, &n));
        return Take(text, n);
      })
      .def("replay", [check](const ApprovalEngine& e, const std::string& log) {
        salesight_approval_instance* raw = nullptr;
        check(salesight_approval_replay(e.handle.get(), log.data(), static_cast<int64_t>(log.size()), &raw));
        return ApprovalInstance{{raw, {}}};
      });
}
