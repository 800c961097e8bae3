// SPDX-License-Identifier: MIT
#pragma once

// One registration function per family of bindings (one .cpp each).

#include <pybind11/pybind11.h>

namespace hlspp_py {

void register_diagnostics(pybind11::module_& m);
void register_elements(pybind11::module_& m);
void register_media(pybind11::module_& m);
void register_master(pybind11::module_& m);
void register_parse(pybind11::module_& m);
void register_variables(pybind11::module_& m);
void register_uri(pybind11::module_& m);
void register_rebase(pybind11::module_& m);
void register_validate(pybind11::module_& m);
void register_merge(pybind11::module_& m);
void register_live(pybind11::module_& m);

}  // namespace hlspp_py
