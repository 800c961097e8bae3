// SPDX-License-Identifier: MIT
// hlspp.merge(): N origins' multivariant playlists into one, for failover between
// origins (redundant streams) or content steering.

#include <hlspp/merge.hpp>

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_merge(py::module_& m) {
  m.def(
      "merge",
      [](py::handle origins, std::string_view mode, py::handle ids, std::optional<std::string> steering_uri,
         std::optional<std::string> default_pathway, bool allow_partial) {
        hlspp::merge_options options;
        if (mode == "redundant")
          options.mode = hlspp::merge_mode::redundant;
        else if (mode == "steering")
          options.mode = hlspp::merge_mode::steering;
        else
          throw py::value_error("mode must be 'redundant' or 'steering', not '" + std::string(mode) + "'");
        options.steering_uri = steering_uri.value_or("");
        options.default_pathway = default_pathway.value_or("");
        options.allow_partial = allow_partial;

        if (PyUnicode_Check(origins.ptr()) || !py::hasattr(origins, "__iter__"))
          throw py::type_error("merge() needs a list of MasterPlaylist or (MasterPlaylist, base_uri) pairs");
        std::vector<hlspp::merge_origin> list;
        for (py::handle item : py::reinterpret_borrow<py::iterable>(origins)) {
          hlspp::merge_origin o;
          py::handle pl = item;
          std::optional<std::string> base;
          if (PyTuple_Check(item.ptr())) {
            auto pair = py::reinterpret_borrow<py::tuple>(item);
            if (pair.size() != 2) throw py::type_error("merge() origin pairs are (MasterPlaylist, base_uri)");
            pl = pair[0];
            base = conv<std::string>::from(pair[1], "merge() origin base_uri");
          }
          if (!py::isinstance<ref<master_box>>(pl))
            throw py::type_error("merge() origins must be MasterPlaylist (or (MasterPlaylist, base_uri)), not " +
                                 type_name(pl));
          const master_box& box = pl.cast<ref<master_box>&>().get();
          o.playlist = static_cast<const hlspp::master_playlist&>(box);
          o.base_uri = base ? *base : box.base_uri.value_or("");
          list.push_back(std::move(o));
        }
        if (!ids.is_none()) {
          if (PyUnicode_Check(ids.ptr())) throw py::type_error("ids must be a list of str");
          std::vector<std::string> given;
          for (py::handle id : py::reinterpret_borrow<py::iterable>(ids)) given.push_back(conv<std::string>::from(id, "merge() id"));
          if (given.size() != list.size())
            throw py::value_error("merge() got " + std::to_string(given.size()) + " ids for " +
                                  std::to_string(list.size()) + " origins");
          for (std::size_t i = 0; i < given.size(); ++i) list[i].id = std::move(given[i]);
        }
        auto r = [&] {
          py::gil_scoped_release nogil;  // the inputs are copies: nothing Python can touch
          return hlspp::merge(std::move(list), options);
        }();
        if (!r.ok()) raise_error("MergeError", r.error(), &r.diagnostics());
        hlspp::diagnostics diagnostics = r.diagnostics();
        master_box box;
        static_cast<hlspp::master_playlist&>(box) = std::move(r).value();
        box.diagnostics = std::move(diagnostics);
        return own(std::move(box));
      },
      py::arg("origins"), py::kw_only(), py::arg("mode") = "redundant", py::arg("ids") = py::none(),
      py::arg("steering_uri") = py::none(), py::arg("default_pathway") = py::none(),
      py::arg("allow_partial") = false,
      "Merges two or more origins' multivariant playlists into one that lists every variant once per\n"
      "origin. origins: MasterPlaylist objects (each with its base_uri, e.g. from load()) or\n"
      "(MasterPlaylist, base_uri) pairs. mode: 'redundant' (failover) or 'steering' (content steering,\n"
      "needs steering_uri; PATHWAY-IDs are the ids, default 'a', 'b', ...). Every URI of the result is\n"
      "absolute. Raises MergeError (.code, .diagnostics) when the ladders differ (unless\n"
      "allow_partial) or the input is unusable; the result's diagnostics hold the warnings.");
}

}  // namespace hlspp_py
