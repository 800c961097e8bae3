// SPDX-License-Identifier: MIT
// Segment, SegmentList and MediaPlaylist.

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

namespace {

std::size_t segment_index(const media_box& pl, Py_ssize_t index) {
  return normalize_index(index, pl.segments.size(), "segment");
}

}  // namespace

void register_media(py::module_& m) {
  auto segment = bind_model<hlspp::media_segment>(
      m,
      "One media segment: its URI line and every tag before it, as written (a KEY or MAP is on\n"
      "the segment it precedes; MediaPlaylist.effective_keys()/effective_map() give what applies).");
  segment.def_property(
      "key",
      [](py::handle self) -> py::object {
        auto& seg = self.cast<ref<hlspp::media_segment>&>().get();
        return seg.keys.empty() ? py::object(py::none()) : borrow(seg.keys.front(), self);
      },
      [](ref<hlspp::media_segment>& self, py::handle value) {
        std::vector<hlspp::key> keys;
        if (!value.is_none()) keys.push_back(value_from<hlspp::key>(value, "Segment.key"));
        deferred drop;
        mutation_guard guard;
        auto& vec = self.get().keys;
        replace_range(vec, 0, vec.size(), std::move(keys), drop);
      },
      "The first EXT-X-KEY written before this segment, or None (setting it replaces `keys`).");
  // Giving a segment a duration or title gives it an EXTINF line (a segment parsed
  // leniently without one would otherwise keep a value its text cannot show).
  segment.def_property(
      "duration", [](const ref<hlspp::media_segment>& self) { return self.get().duration; },
      [](ref<hlspp::media_segment>& self, py::handle value) {
        double v = conv<double>::from(value, "Segment.duration");
        mutation_guard guard;
        self.get().duration = v;
        self.get().has_extinf = true;
      },
      "EXTINF duration in seconds (setting it sets has_extinf).");
  segment.def_property(
      "title", [](const ref<hlspp::media_segment>& self) { return to_str(self.get().title); },
      [](ref<hlspp::media_segment>& self, py::handle value) {
        std::string v = conv<std::string>::from(value, "Segment.title");
        mutation_guard guard;
        self.get().title = std::move(v);
        self.get().has_extinf = true;
      },
      "EXTINF title (setting it sets has_extinf).");
  initializers<hlspp::media_segment>()["key"] = [](hlspp::media_segment& seg, py::handle value) {
    seg.keys.clear();
    if (!value.is_none()) seg.keys.push_back(value_from<hlspp::key>(value, "Segment.key"));
  };

  auto cls = bind_model<media_box>(
      m,
      "A media playlist. Parse one with hlspp.parse() or build one: MediaPlaylist(target_duration=6, ...).\n"
      "`segments` is a live, mutable view; edits show in dumps().");
  bind_playlist_common(cls);
  cls.def("__repr__", [](const ref<media_box>& self) {
    const auto& pl = self.get();
    std::string out = "<MediaPlaylist segments=" + std::to_string(pl.segments.size());
    if (pl.target_duration) out += " target_duration=" + std::to_string(*pl.target_duration);
    if (pl.media_sequence) out += " media_sequence=" + std::to_string(*pl.media_sequence);
    if (pl.playlist_type) out += " playlist_type=" + *pl.playlist_type;
    out += pl.endlist ? " endlist=True" : " endlist=False";
    if (pl.base_uri) out += " base_uri=" + py::repr(to_str(*pl.base_uri)).cast<std::string>();
    return out + ">";
  });
  cls.def(
      "total_duration", [](const ref<media_box>& self) { return self.get().total_duration(); },
      "The sum of the segment durations, in seconds.");
  cls.def(
      "sequence_number",
      [](const ref<media_box>& self, Py_ssize_t index) {
        return self.get().sequence_number(segment_index(self.get(), index));
      },
      py::arg("index"), "The media sequence number of segments[index].");
  cls.def(
      "effective_keys",
      [](py::handle self, Py_ssize_t index) {
        auto& pl = self.cast<ref<media_box>&>().get();
        const std::size_t i = segment_index(pl, index);
        py::list out;
        for (std::size_t k = i + 1; k-- > 0;) {
          if (pl.segments[k].keys.empty()) continue;
          py::object seg = borrow(pl.segments[k], self);
          for (auto& key : pl.segments[k].keys) out.append(borrow(key, seg));
          break;
        }
        return out;
      },
      py::arg("index"), "The EXT-X-KEY tags in effect for segments[index] (empty: none).");
  cls.def(
      "effective_map",
      [](py::handle self, Py_ssize_t index) -> py::object {
        auto& pl = self.cast<ref<media_box>&>().get();
        const std::size_t i = segment_index(pl, index);
        for (std::size_t k = i + 1; k-- > 0;) {
          if (!pl.segments[k].map) continue;
          py::object seg = borrow(pl.segments[k], self);
          return borrow(*pl.segments[k].map, seg);
        }
        return py::none();
      },
      py::arg("index"), "The EXT-X-MAP in effect for segments[index], or None.");
}

}  // namespace hlspp_py
