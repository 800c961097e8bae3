// SPDX-License-Identifier: MIT
// hlspp.validate(): every rule of RFC 8216bis the model can be checked against.

#include <hlspp/validate.hpp>

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_validate(py::module_& m) {
  m.def(
      "validate",
      [](py::handle playlist) {
        hlspp::diagnostics d;
        if (py::isinstance<ref<media_box>>(playlist))
          d = hlspp::validate(static_cast<const hlspp::media_playlist&>(playlist.cast<ref<media_box>&>().get()));
        else if (py::isinstance<ref<master_box>>(playlist))
          d = hlspp::validate(static_cast<const hlspp::master_playlist&>(playlist.cast<ref<master_box>&>().get()));
        else
          throw py::type_error("validate() needs a MediaPlaylist or MasterPlaylist, not " + type_name(playlist));
        return diagnostics_to_list(d);
      },
      py::arg("playlist"),
      "Checks the playlist as it is now (after any edits) against the spec's rules; returns the\n"
      "diagnostics (stable codes, severities, and lines where the element came from the text).");
}

}  // namespace hlspp_py
