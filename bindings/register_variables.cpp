// SPDX-License-Identifier: MIT
// hlspp.substitute_variables(): EXT-X-DEFINE substitution as an explicit operation.

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

namespace {

struct substitution {
  hlspp::variable_table variables;
  hlspp::diagnostics diagnostics;
};

}  // namespace

void register_variables(py::module_& m) {
  py::class_<substitution>(m, "Substitution", "What substitute_variables() did: the variables and any problem.")
      .def_property_readonly("variables",
                             [](const substitution& s) {
                               py::list out;
                               for (const auto& [name, value] : s.variables)
                                 out.append(py::make_tuple(to_str(name), to_str(value)));
                               return out;
                             })
      .def_property_readonly("diagnostics", [](const substitution& s) { return diagnostics_to_list(s.diagnostics); })
      .def_property_readonly("ok", [](const substitution& s) { return !hlspp::has_errors(s.diagnostics); })
      .def("__repr__", [](const substitution& s) {
        return "<Substitution variables=" + std::to_string(s.variables.size()) +
               " diagnostics=" + std::to_string(s.diagnostics.size()) + ">";
      });

  m.def(
      "substitute_variables",
      [](py::handle playlist, py::handle parent, std::optional<std::string> playlist_uri,
         std::size_t max_expansion_bytes) {
        hlspp::variable_table parent_table;
        hlspp::substitution_options options;
        if (!parent.is_none()) {
          for (py::handle item : py::reinterpret_borrow<py::iterable>(parent)) {
            auto pair = py::reinterpret_borrow<py::sequence>(item);
            if (pair.size() != 2) throw py::value_error("parent must be a list of (name, value) pairs");
            parent_table.emplace_back(conv<std::string>::from(pair[0], "parent name"),
                                      conv<std::string>::from(pair[1], "parent value"));
          }
          options.parent = &parent_table;
        }
        options.max_expansion_bytes = max_expansion_bytes;
        substitution out;
        hlspp::substitution_result r;
        if (py::isinstance<ref<media_box>>(playlist)) {
          auto& pl = playlist.cast<ref<media_box>&>().get();
          options.playlist_uri = playlist_uri ? *playlist_uri : pl.base_uri.value_or("");
          mutation_guard guard;
          r = hlspp::substitute_variables(static_cast<hlspp::media_playlist&>(pl), options);
        } else if (py::isinstance<ref<master_box>>(playlist)) {
          auto& pl = playlist.cast<ref<master_box>&>().get();
          options.playlist_uri = playlist_uri ? *playlist_uri : pl.base_uri.value_or("");
          mutation_guard guard;
          r = hlspp::substitute_variables(static_cast<hlspp::master_playlist&>(pl), options);
        } else {
          throw py::type_error("substitute_variables() needs a MediaPlaylist or MasterPlaylist, not " +
                               type_name(playlist));
        }
        out.variables = std::move(r.variables);
        out.diagnostics = std::move(r.diagnostics);
        return out;
      },
      py::arg("playlist"), py::kw_only(), py::arg("parent") = py::none(), py::arg("playlist_uri") = py::none(),
      py::arg("max_expansion_bytes") = std::size_t{16} << 20,
      "Replaces every {$name} in the playlist (in place) with its EXT-X-DEFINE value.\n"
      "parent: the multivariant playlist's variables (Substitution.variables), for IMPORT.\n"
      "playlist_uri: for QUERYPARAM (default: the playlist's base_uri).");
}

}  // namespace hlspp_py
