// SPDX-License-Identifier: MIT
#pragma once

// What MediaPlaylist and MasterPlaylist share: parsing into them, writing them
// (dumps, str, to_bytes), base_uri, diagnostics, pickle.

#include "model.hpp"

namespace hlspp_py {

template <class Box>
struct box_traits;
template <>
struct box_traits<media_box> {
  using base = hlspp::media_playlist;
  static constexpr const char* kind = "media";
  static constexpr hlspp::playlist_kind playlist_kind = hlspp::playlist_kind::media;
  static std::size_t elements(const media_box& b) { return b.segments.size(); }
};
template <>
struct box_traits<master_box> {
  using base = hlspp::master_playlist;
  static constexpr const char* kind = "master";
  static constexpr hlspp::playlist_kind playlist_kind = hlspp::playlist_kind::master;
  static std::size_t elements(const master_box& b) {
    return b.variants.size() + b.renditions.size() + b.iframe_streams.size();
  }
};

/// Inputs at least this large are parsed with the GIL released; playlists with at
/// least this many elements are written with it released.
constexpr std::size_t large_input_bytes = 32 * 1024;
constexpr std::size_t large_playlist_elements = 256;

inline hlspp::strictness strictness_from(std::string_view name) {
  if (name == "default") return hlspp::strictness::normal;
  if (name == "lenient") return hlspp::strictness::lenient;
  if (name == "strict") return hlspp::strictness::strict;
  throw py::value_error("strictness must be 'lenient', 'default' or 'strict', not '" + std::string(name) + "'");
}

inline hlspp::parse_result run_parse(std::string_view text, const hlspp::parse_options& options) {
  if (text.size() >= large_input_bytes) {
    py::gil_scoped_release nogil;
    return hlspp::parse(text, options);
  }
  return hlspp::parse(text, options);
}

/// The Python object for a parsed playlist.
inline py::object wrap_playlist(hlspp::playlist&& pl, hlspp::diagnostics diagnostics,
                                std::optional<std::string> base_uri) {
  if (auto* master = pl.as_master()) {
    master_box box;
    static_cast<hlspp::master_playlist&>(box) = std::move(*master);
    box.base_uri = std::move(base_uri);
    box.diagnostics = std::move(diagnostics);
    return own(std::move(box));
  }
  media_box box;
  static_cast<hlspp::media_playlist&>(box) = std::move(pl.media());
  box.base_uri = std::move(base_uri);
  box.diagnostics = std::move(diagnostics);
  return own(std::move(box));
}

/// The text of a playlist; SerializeError when the model holds an unsafe value.
template <class Box>
std::string write_text(const Box& box, bool canonical) {
  using base = typename box_traits<Box>::base;
  hlspp::serialize_options options;
  options.canonical = canonical;
  auto run = [&] { return hlspp::serialize(static_cast<const base&>(box), options); };
  hlspp::serialize_result r = [&] {
    if (box_traits<Box>::elements(box) >= large_playlist_elements) {
      reading_without_gil nogil;
      return run();
    }
    return run();
  }();
  if (!r.ok()) raise_error("SerializeError", r.error());
  return std::move(r).value();
}

inline void collect_unknown(const std::vector<hlspp::extra_line>& extras, py::list& out) {
  for (const auto& e : extras)
    if (e.type == hlspp::extra_line::kind::unknown_tag) out.append(to_str(e.text));
}

inline py::list unknown_tags_of(const media_box& b) {
  py::list out;
  collect_unknown(b.extras, out);
  for (const auto& s : b.segments) collect_unknown(s.extras, out);
  collect_unknown(b.trailing.extras, out);
  return out;
}

inline py::list unknown_tags_of(const master_box& b) {
  py::list out;
  collect_unknown(b.extras, out);
  for (const auto& r : b.renditions) collect_unknown(r.extras, out);
  for (const auto& v : b.variants) collect_unknown(v.extras, out);
  for (const auto& f : b.iframe_streams) collect_unknown(f.extras, out);
  for (const auto& d : b.session_data) collect_unknown(d.extras, out);
  for (const auto& k : b.session_keys) collect_unknown(k.extras, out);
  return out;
}

inline py::tuple diagnostic_state(const hlspp::diagnostic& d) {
  return py::make_tuple(std::string(hlspp::code_name(d.code)), std::string(hlspp::severity_name(d.severity)), d.line,
                        d.column, to_str(d.message));
}

inline hlspp::diagnostic diagnostic_from_state(py::handle h) {
  auto t = py::reinterpret_borrow<py::tuple>(h);
  if (t.size() != 5) throw py::value_error("invalid Diagnostic state");
  hlspp::diagnostic d;
  auto code = code_from_name(t[0].cast<std::string>());
  auto sev = severity_from_name(t[1].cast<std::string>());
  if (!code || !sev) throw py::value_error("invalid Diagnostic state");
  d.code = *code;
  d.severity = *sev;
  d.line = t[2].cast<std::uint32_t>();
  d.column = t[3].cast<std::uint32_t>();
  d.message = str_to_utf8(t[4]);
  return d;
}

/// Moves what both playlist kinds have (EXT-X-VERSION, INDEPENDENT-SEGMENTS, START,
/// DEFINE, kept lines and the lossless layout) from one kind to the other.
template <class From, class To>
void move_common(From& from, To& to) {
  to.version = from.version;
  to.independent_segments = from.independent_segments;
  to.start = std::move(from.start);
  to.defines = std::move(from.defines);
  to.extras = std::move(from.extras);
  to.layout = std::move(from.layout);
}

template <class Box>
void bind_playlist_common(model_class<Box>& cls) {
  using traits = box_traits<Box>;
  cls.def_property(
      "base_uri", [](const ref<Box>& self) { return conv<std::optional<std::string>>::get(self.get().base_uri); },
      [](ref<Box>& self, py::handle value) {
        auto v = conv<std::optional<std::string>>::from(value, qualified<Box>("base_uri"));
        mutation_guard guard;
        self.get().base_uri = std::move(v);
      },
      "The URI the playlist was read from (after redirects), against which its relative URIs resolve.");
  initializers<Box>()["base_uri"] = [](Box& obj, py::handle value) {
    obj.base_uri = conv<std::optional<std::string>>::from(value, qualified<Box>("base_uri"));
  };
  cls.def_property_readonly(
      "diagnostics", [](const ref<Box>& self) { return diagnostics_to_list(self.get().diagnostics); },
      "What parsing found (warnings, and below strict the errors it could get past).");
  cls.def_property_readonly("kind", [](const ref<Box>&) { return traits::kind; });
  cls.def_property_readonly(
      "unknown_tags", [](const ref<Box>& self) { return unknown_tags_of(self.get()); },
      "Every unknown tag line kept verbatim: the playlist-level ones, then those attached to elements.");
  cls.def(
      "dumps",
      [](const ref<Box>& self, bool canonical) { return to_str(write_text(self.get(), canonical)); },
      py::arg("canonical") = false,
      "The playlist as text: lossless (unchanged lines keep their exact bytes) unless canonical=True.\n"
      "Raises SerializeError (code 'unsafe-value') when a value would change the text's meaning.");
  cls.def(
      "to_bytes",
      [](const ref<Box>& self, bool canonical) { return py::bytes(write_text(self.get(), canonical)); },
      py::arg("canonical") = false, "Like dumps(), as UTF-8 bytes.");
  cls.def("__str__", [](const ref<Box>& self) { return to_str(write_text(self.get(), false)); });
  cls.def(py::pickle(
      [](const ref<Box>& self) {
        const Box& box = self.get();
        py::list diags;
        for (const auto& d : box.diagnostics) diags.append(diagnostic_state(d));
        return py::make_tuple(1, py::bytes(write_text(box, false)),
                              conv<std::optional<std::string>>::get(box.base_uri), diags);
      },
      [](const py::tuple& state) {
        if (state.size() != 4 || state[0].cast<int>() != 1)
          throw py::value_error(std::string("invalid ") + model<Box>::name + " state");
        text_input text(state[1]);
        hlspp::parse_options options;
        options.strictness = hlspp::strictness::lenient;
        options.expected_kind = traits::playlist_kind;
        auto r = run_parse(text.view(), options);
        if (!r.ok()) raise_error("ParseError", r.error(), &r.diagnostics());
        Box box;
        if (auto* same = std::get_if<typename traits::base>(&r->get())) {
          static_cast<typename traits::base&>(box) = std::move(*same);
        } else {
          // Only the tags both kinds share (or none): the text alone cannot say
          // which kind it is, and the parser guessed the other one.
          std::visit([&](auto& other) { move_common(other, box); }, r->get());
        }
        py::object base = state[2];
        if (!base.is_none()) box.base_uri = str_to_utf8(base);
        for (py::handle d : py::reinterpret_borrow<py::list>(state[3])) box.diagnostics.push_back(diagnostic_from_state(d));
        return std::make_unique<ref<Box>>(std::move(box));
      }));
}

}  // namespace hlspp_py
