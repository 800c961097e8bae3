// SPDX-License-Identifier: MIT
// RFC 3986 reference resolution and its inverse.

#include "common.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_uri(py::module_& m) {
  m.def(
      "resolve_uri", [](std::string_view base, std::string_view reference) { return to_str(hlspp::resolve_uri(base, reference)); },
      py::arg("base"), py::arg("reference"), "Resolves `reference` against `base` (RFC 3986 section 5.2, strict).");
  m.def(
      "relativize_uri",
      [](std::string_view base, std::string_view target) -> py::object {
        auto r = hlspp::relativize_uri(base, target);
        return r ? py::object(to_str(*r)) : py::object(py::none());
      },
      py::arg("base"), py::arg("target"),
      "A relative reference that resolves against `base` to exactly `target`, or None when there is none.");
  m.def(
      "is_absolute_uri", [](std::string_view s) { return hlspp::is_absolute_uri(s); }, py::arg("uri"),
      "True when `uri` starts with a scheme (http:, data:, skd:, ...).");
}

}  // namespace hlspp_py
