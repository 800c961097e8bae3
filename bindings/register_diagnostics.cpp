// SPDX-License-Identifier: MIT
// Diagnostic: one finding (line, column, stable code, severity, message).

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_diagnostics(py::module_& m) {
  py::class_<hlspp::diagnostic> cls(m, "Diagnostic",
                                    "One finding: 1-based line and byte column (line 0: the whole input), a stable\n"
                                    "kebab-case code (e.g. 'duplicate-tag'), a severity ('info', 'warning', 'error')\n"
                                    "and a message. str() gives 'LINE:COLUMN: SEVERITY: CODE: message'.");
  cls.def(py::init([](const std::string& code, const std::string& severity, std::uint32_t line,
                      std::uint32_t column, py::handle message) {
            hlspp::diagnostic d;
            auto c = code_from_name(code);
            if (!c) throw py::value_error("unknown diagnostic code '" + code + "'");
            auto s = severity_from_name(severity);
            if (!s) throw py::value_error("severity must be 'info', 'warning' or 'error', not '" + severity + "'");
            d.code = *c;
            d.severity = *s;
            d.line = line;
            d.column = column;
            d.message = conv<std::string>::from(message, "Diagnostic.message");
            return d;
          }),
          py::kw_only(), py::arg("code"), py::arg("severity") = "error", py::arg("line") = 0, py::arg("column") = 0,
          py::arg("message") = "");
  cls.def_property_readonly("code", [](const hlspp::diagnostic& d) { return std::string(hlspp::code_name(d.code)); });
  cls.def_property_readonly("severity",
                            [](const hlspp::diagnostic& d) { return std::string(hlspp::severity_name(d.severity)); });
  cls.def_property_readonly("line", [](const hlspp::diagnostic& d) { return d.line; });
  cls.def_property_readonly("column", [](const hlspp::diagnostic& d) { return d.column; });
  cls.def_property_readonly("message", [](const hlspp::diagnostic& d) { return to_str(d.message); });
  cls.def("__str__", [](const hlspp::diagnostic& d) { return to_str(d.to_string()); });
  cls.def("__repr__", [](const hlspp::diagnostic& d) {
    return "Diagnostic(code='" + std::string(hlspp::code_name(d.code)) + "', severity='" +
           std::string(hlspp::severity_name(d.severity)) + "', line=" + std::to_string(d.line) +
           ", column=" + std::to_string(d.column) + ", message=" + py::repr(to_str(d.message)).cast<std::string>() + ")";
  });
  cls.def("__eq__", [](const hlspp::diagnostic& a, py::handle b) -> py::object {
    if (!py::isinstance<hlspp::diagnostic>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::bool_(a == b.cast<const hlspp::diagnostic&>());
  }, py::is_operator());
  cls.def("__hash__", [](const hlspp::diagnostic& d) {
    return py::hash(py::make_tuple(std::string(hlspp::code_name(d.code)), d.line, d.column, to_str(d.message)));
  });
  cls.def("to_dict", [](const hlspp::diagnostic& d) {
    py::dict out;
    out["line"] = d.line;
    out["column"] = d.column;
    out["severity"] = std::string(hlspp::severity_name(d.severity));
    out["code"] = std::string(hlspp::code_name(d.code));
    out["message"] = to_str(d.message);
    return out;
  }, "The diagnostic as a JSON-ready dict.");
  cls.def(py::pickle([](const hlspp::diagnostic& d) { return diagnostic_state(d); },
                     [](const py::tuple& t) { return diagnostic_from_state(t); }));
}

}  // namespace hlspp_py
