// SPDX-License-Identifier: MIT
// hlspp.rebase() / hlspp.relativize(): every URI of a playlist made absolute against
// its base URI, or relative to a new one.

#include <hlspp/rebase.hpp>

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

namespace {

struct rebase_outcome {
  std::size_t rewritten = 0;
  hlspp::diagnostics diagnostics;
};

template <class Box>
rebase_outcome run(ref<Box>& self, const std::optional<std::string>& base_uri, bool relativize) {
  using base = typename box_traits<Box>::base;
  Box& pl = self.get();
  const char* what = relativize ? "relativize" : "rebase";
  if (!base_uri && !pl.base_uri)
    throw py::value_error(std::string(what) + "(): the playlist has no base_uri; pass base_uri=");
  const std::string b = base_uri ? *base_uri : *pl.base_uri;
  hlspp::rebase_result r;
  {
    mutation_guard guard;
    r = relativize ? hlspp::relativize(static_cast<base&>(pl), b) : hlspp::rebase(static_cast<base&>(pl), b);
    if (!hlspp::has_errors(r.diagnostics) && relativize) pl.base_uri = b;
  }
  for (const auto& d : r.diagnostics)
    if (d.severity == hlspp::severity::error) raise_error("RebaseError", d, &r.diagnostics);
  return rebase_outcome{r.rewritten, std::move(r.diagnostics)};
}

rebase_outcome dispatch(py::handle playlist, const std::optional<std::string>& base_uri, bool relativize) {
  if (py::isinstance<ref<media_box>>(playlist)) return run(playlist.cast<ref<media_box>&>(), base_uri, relativize);
  if (py::isinstance<ref<master_box>>(playlist)) return run(playlist.cast<ref<master_box>&>(), base_uri, relativize);
  throw py::type_error(std::string(relativize ? "relativize" : "rebase") +
                       "() needs a MediaPlaylist or MasterPlaylist, not " + type_name(playlist));
}

}  // namespace

void register_rebase(py::module_& m) {
  py::class_<rebase_outcome>(m, "RebaseResult", "What rebase() or relativize() did.")
      .def_property_readonly("rewritten", [](const rebase_outcome& r) { return r.rewritten; },
                             "How many URIs were rewritten.")
      .def_property_readonly("diagnostics", [](const rebase_outcome& r) { return diagnostics_to_list(r.diagnostics); },
                             "What was left alone for a reason worth knowing (e.g. a {$var} URI).")
      .def("__repr__", [](const rebase_outcome& r) {
        return "<RebaseResult rewritten=" + std::to_string(r.rewritten) +
               " diagnostics=" + std::to_string(r.diagnostics.size()) + ">";
      });

  m.def(
      "rebase",
      [](py::handle playlist, std::optional<std::string> base_uri) { return dispatch(playlist, base_uri, false); },
      py::arg("playlist"), py::arg("base_uri") = py::none(),
      "Makes every relative URI of the playlist absolute (in place) by resolving it against base_uri\n"
      "(default: the playlist's base_uri, the URL it was fetched from). Rendition-report URIs and\n"
      "{$var} URIs (reported) are left alone. Raises RebaseError when base_uri is not an absolute URI.");
  m.def(
      "relativize",
      [](py::handle playlist, std::optional<std::string> base_uri) { return dispatch(playlist, base_uri, true); },
      py::arg("playlist"), py::arg("base_uri") = py::none(),
      "The inverse of rebase(): rewrites every absolute URI that can be expressed relative to base_uri\n"
      "(same scheme and host) as the shortest relative reference, in place, and sets the playlist's\n"
      "base_uri to base_uri. Raises RebaseError when base_uri is not an absolute URI.");
}

}  // namespace hlspp_py
