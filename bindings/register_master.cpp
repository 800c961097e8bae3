// SPDX-License-Identifier: MIT
// MasterPlaylist (multivariant playlist).

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_master(py::module_& m) {
  auto cls = bind_model<master_box>(
      m,
      "A multivariant (master) playlist. Parse one with hlspp.parse() or build one: MasterPlaylist(...).\n"
      "`variants`, `renditions`, ... are live, mutable views; edits show in dumps().");
  bind_playlist_common(cls);
  cls.def("__repr__", [](const ref<master_box>& self) {
    const auto& pl = self.get();
    std::string out = "<MasterPlaylist variants=" + std::to_string(pl.variants.size()) +
                      " renditions=" + std::to_string(pl.renditions.size()) +
                      " iframe_variants=" + std::to_string(pl.iframe_streams.size());
    if (pl.base_uri) out += " base_uri=" + py::repr(to_str(*pl.base_uri)).cast<std::string>();
    return out + ">";
  });
}

}  // namespace hlspp_py
