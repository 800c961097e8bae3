// SPDX-License-Identifier: MIT
// hlspp._core: the compiled half of the hlspp Python package.

#include <string>

#include <hlspp/version.hpp>

#include "common.hpp"
#include "register.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "hlspp's C++ core: HLS playlists parsed losslessly and written back exactly.";
  m.attr("__version__") = std::to_string(hlspp::version_major) + "." + std::to_string(hlspp::version_minor) + "." +
                          std::to_string(hlspp::version_patch);
  hlspp_py::register_diagnostics(m);
  hlspp_py::register_elements(m);
  hlspp_py::register_media(m);
  hlspp_py::register_master(m);
  hlspp_py::register_parse(m);
  hlspp_py::register_variables(m);
  hlspp_py::register_uri(m);
  hlspp_py::register_rebase(m);
  hlspp_py::register_validate(m);
  hlspp_py::register_merge(m);
  hlspp_py::register_live(m);
}
