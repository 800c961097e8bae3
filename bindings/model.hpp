// SPDX-License-Identifier: MIT
#pragma once

// The model as Python sees it: one table per struct (Python name and the fields
// exposed, in order), from which the classes, their properties, keyword
// constructors, to_dict(), repr() and the list views are generated.

#include "common.hpp"

namespace hlspp_py {

template <class T>
struct model;  // specialized below for every exposed struct

template <class T, class = void>
struct is_model : std::false_type {};
template <class T>
struct is_model<T, std::void_t<decltype(model<T>::name)>> : std::true_type {};

template <class T>
struct is_model_vector : std::false_type {};
template <class E>
struct is_model_vector<std::vector<E>> : is_model<E> {};
template <class E>
struct is_model_vector<hlspp::compact_vector<E>> : is_model<E> {};

/// The std::vector behind a list member (a compact_vector makes its own on first use).
template <class E>
std::vector<E>& vector_of(std::vector<E>& v) noexcept {
  return v;
}
template <class E>
std::vector<E>& vector_of(hlspp::compact_vector<E>& v) {
  return v.storage();
}

template <class T>
struct is_model_optional : std::false_type {};
template <class S>
struct is_model_optional<std::optional<S>> : is_model<S> {};
template <class S>
struct is_model_optional<hlspp::boxed_optional<S>> : is_model<S> {};

template <>
struct model<hlspp::extra_line> {
  static constexpr const char* name = "ExtraLine";
  static constexpr const char* list_name = "ExtraLineList";
  template <class F>
  static void fields(F&& f) {
    f("kind", &hlspp::extra_line::type);
    f("text", &hlspp::extra_line::text);
  }
};

template <>
struct model<hlspp::key> {
  static constexpr const char* name = "Key";
  static constexpr const char* list_name = "KeyList";
  template <class F>
  static void fields(F&& f) {
    f("method", &hlspp::key::method);
    f("uri", &hlspp::key::uri);
    f("iv", &hlspp::key::iv);
    f("keyformat", &hlspp::key::keyformat);
    f("keyformatversions", &hlspp::key::keyformatversions);
    f("other", &hlspp::key::other);
  }
};

template <>
struct model<hlspp::init_section> {
  static constexpr const char* name = "InitSection";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    f("uri", &hlspp::init_section::uri);
    f("byterange", &hlspp::init_section::byterange);
    f("other", &hlspp::init_section::other);
  }
};

template <>
struct model<hlspp::date_range> {
  static constexpr const char* name = "DateRange";
  static constexpr const char* list_name = "DateRangeList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::date_range;
    f("id", &T::id);
    f("class_name", &T::class_name);
    f("start_date", &T::start_date);
    f("cue", &T::cue);
    f("end_date", &T::end_date);
    f("duration", &T::duration);
    f("planned_duration", &T::planned_duration);
    f("scte35_cmd", &T::scte35_cmd);
    f("scte35_out", &T::scte35_out);
    f("scte35_in", &T::scte35_in);
    f("end_on_next", &T::end_on_next);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::partial_segment> {
  static constexpr const char* name = "Part";
  static constexpr const char* list_name = "PartList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::partial_segment;
    f("uri", &T::uri);
    f("duration", &T::duration);
    f("independent", &T::independent);
    f("byterange", &T::byterange);
    f("gap", &T::gap);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::preload_hint> {
  static constexpr const char* name = "PreloadHint";
  static constexpr const char* list_name = "PreloadHintList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::preload_hint;
    f("type", &T::type);
    f("uri", &T::uri);
    f("byterange_start", &T::byterange_start);
    f("byterange_length", &T::byterange_length);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::rendition_report> {
  static constexpr const char* name = "RenditionReport";
  static constexpr const char* list_name = "RenditionReportList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::rendition_report;
    f("uri", &T::uri);
    f("last_msn", &T::last_msn);
    f("last_part", &T::last_part);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::skip_info> {
  static constexpr const char* name = "Skip";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::skip_info;
    f("skipped_segments", &T::skipped_segments);
    f("recently_removed_dateranges", &T::recently_removed_dateranges);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::server_control> {
  static constexpr const char* name = "ServerControl";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::server_control;
    f("can_skip_until", &T::can_skip_until);
    f("can_skip_dateranges", &T::can_skip_dateranges);
    f("hold_back", &T::hold_back);
    f("part_hold_back", &T::part_hold_back);
    f("can_block_reload", &T::can_block_reload);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::part_information> {
  static constexpr const char* name = "PartInf";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    f("part_target", &hlspp::part_information::part_target);
    f("other", &hlspp::part_information::other);
  }
};

template <>
struct model<hlspp::start_point> {
  static constexpr const char* name = "Start";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    f("time_offset", &hlspp::start_point::time_offset);
    f("precise", &hlspp::start_point::precise);
    f("other", &hlspp::start_point::other);
  }
};

template <>
struct model<hlspp::variable_definition> {
  static constexpr const char* name = "Define";
  static constexpr const char* list_name = "DefineList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::variable_definition;
    f("name", &T::name);
    f("value", &T::value);
    f("import_", &T::import);
    f("queryparam", &T::queryparam);
    f("other", &T::other);
  }
};

template <>
struct model<hlspp::media_segment> {
  static constexpr const char* name = "Segment";
  static constexpr const char* list_name = "SegmentList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::media_segment;
    f("uri", &T::uri);
    f("duration", &T::duration);
    f("title", &T::title);
    f("has_extinf", &T::has_extinf);
    f("byterange", &T::byterange);
    f("discontinuity", &T::discontinuity);
    f("gap", &T::gap);
    f("bitrate", &T::bitrate);
    f("keys", &T::keys);
    f("map", &T::map);
    f("program_date_time", &T::program_date_time);
    f("dateranges", &T::dateranges);
    f("parts", &T::parts);
    f("extras", &T::extras);
  }
};

template <>
struct model<hlspp::variant_stream> {
  static constexpr const char* name = "Variant";
  static constexpr const char* list_name = "VariantList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::variant_stream;
    f("uri", &T::uri);
    f("bandwidth", &T::bandwidth);
    f("average_bandwidth", &T::average_bandwidth);
    f("score", &T::score);
    f("codecs", &T::codecs);
    f("supplemental_codecs", &T::supplemental_codecs);
    f("resolution", &T::resolution);
    f("frame_rate", &T::frame_rate);
    f("hdcp_level", &T::hdcp_level);
    f("allowed_cpc", &T::allowed_cpc);
    f("video_range", &T::video_range);
    f("req_video_layout", &T::req_video_layout);
    f("stable_variant_id", &T::stable_variant_id);
    f("audio", &T::audio);
    f("video", &T::video);
    f("subtitles", &T::subtitles);
    f("closed_captions", &T::closed_captions);
    f("pathway_id", &T::pathway_id);
    f("program_id", &T::program_id);
    f("other", &T::other);
    f("extras", &T::extras);
  }
};

template <>
struct model<hlspp::iframe_stream> {
  static constexpr const char* name = "IFrameVariant";
  static constexpr const char* list_name = "IFrameVariantList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::iframe_stream;
    f("uri", &T::uri);
    f("bandwidth", &T::bandwidth);
    f("average_bandwidth", &T::average_bandwidth);
    f("score", &T::score);
    f("codecs", &T::codecs);
    f("supplemental_codecs", &T::supplemental_codecs);
    f("resolution", &T::resolution);
    f("hdcp_level", &T::hdcp_level);
    f("allowed_cpc", &T::allowed_cpc);
    f("video_range", &T::video_range);
    f("req_video_layout", &T::req_video_layout);
    f("stable_variant_id", &T::stable_variant_id);
    f("video", &T::video);
    f("pathway_id", &T::pathway_id);
    f("program_id", &T::program_id);
    f("other", &T::other);
    f("extras", &T::extras);
  }
};

template <>
struct model<hlspp::rendition> {
  static constexpr const char* name = "Rendition";
  static constexpr const char* list_name = "RenditionList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::rendition;
    f("type", &T::type);
    f("group_id", &T::group_id);
    f("name", &T::name);
    f("language", &T::language);
    f("assoc_language", &T::assoc_language);
    f("uri", &T::uri);
    f("default", &T::is_default);
    f("autoselect", &T::autoselect);
    f("forced", &T::forced);
    f("stable_rendition_id", &T::stable_rendition_id);
    f("instream_id", &T::instream_id);
    f("bit_depth", &T::bit_depth);
    f("sample_rate", &T::sample_rate);
    f("characteristics", &T::characteristics);
    f("channels", &T::channels);
    f("other", &T::other);
    f("extras", &T::extras);
  }
};

template <>
struct model<hlspp::session_data> {
  static constexpr const char* name = "SessionData";
  static constexpr const char* list_name = "SessionDataList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::session_data;
    f("data_id", &T::data_id);
    f("value", &T::value);
    f("uri", &T::uri);
    f("format", &T::format);
    f("language", &T::language);
    f("other", &T::other);
    f("extras", &T::extras);
  }
};

template <>
struct model<hlspp::session_key> {
  static constexpr const char* name = "SessionKey";
  static constexpr const char* list_name = "SessionKeyList";
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::session_key;
    f("method", &T::method);
    f("uri", &T::uri);
    f("iv", &T::iv);
    f("keyformat", &T::keyformat);
    f("keyformatversions", &T::keyformatversions);
    f("other", &T::other);
    f("extras", &T::extras);
  }
};

template <>
struct model<hlspp::content_steering> {
  static constexpr const char* name = "ContentSteering";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    f("server_uri", &hlspp::content_steering::server_uri);
    f("pathway_id", &hlspp::content_steering::pathway_id);
    f("other", &hlspp::content_steering::other);
  }
};

template <>
struct model<media_box> {
  static constexpr const char* name = "MediaPlaylist";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::media_playlist;
    f("version", &T::version);
    f("independent_segments", &T::independent_segments);
    f("start", &T::start);
    f("defines", &T::defines);
    f("target_duration", &T::target_duration);
    f("media_sequence", &T::media_sequence);
    f("discontinuity_sequence", &T::discontinuity_sequence);
    f("endlist", &T::endlist);
    f("playlist_type", &T::playlist_type);
    f("i_frames_only", &T::i_frames_only);
    f("part_inf", &T::part_inf);
    f("server_control", &T::server_control);
    f("skip", &T::skip);
    f("allow_cache", &T::allow_cache);
    f("segments", &T::segments);
    f("trailing", &T::trailing);
    f("preload_hints", &T::preload_hints);
    f("rendition_reports", &T::rendition_reports);
    f("extras", &T::extras);
  }
};

template <>
struct model<master_box> {
  static constexpr const char* name = "MasterPlaylist";
  static constexpr const char* list_name = nullptr;
  template <class F>
  static void fields(F&& f) {
    using T = hlspp::master_playlist;
    f("version", &T::version);
    f("independent_segments", &T::independent_segments);
    f("start", &T::start);
    f("defines", &T::defines);
    f("variants", &T::variants);
    f("iframe_variants", &T::iframe_streams);
    f("renditions", &T::renditions);
    f("session_data", &T::session_data);
    f("session_keys", &T::session_keys);
    f("content_steering", &T::content_steering);
    f("extras", &T::extras);
  }
};

// ---- Scalar conversions --------------------------------------------------------------
// conv<M>: get (C++ -> Python), set (Python -> C++, with a clear TypeError/ValueError),
// json (to_dict), py_type (for the stubs and messages).

template <class M, class = void>
struct conv;

template <>
struct conv<std::string> {
  static py::object get(const std::string& v) { return to_str(v); }
  static std::string from(py::handle h, const std::string& what) {
    if (!PyUnicode_Check(h.ptr())) throw py::type_error(what + " must be str, not " + type_name(h));
    return str_to_utf8(h);
  }
  static py::object json(const std::string& v) { return get(v); }
  static bool is_set(const std::string& v) { return !v.empty(); }
};

template <>
struct conv<hlspp::shared_string> {
  static py::object get(const hlspp::shared_string& v) { return to_str(v); }
  static hlspp::shared_string from(py::handle h, const std::string& what) { return conv<std::string>::from(h, what); }
  static py::object json(const hlspp::shared_string& v) { return get(v); }
  static bool is_set(const hlspp::shared_string& v) { return !v.empty(); }
};

template <>
struct conv<bool> {
  static py::object get(bool v) { return py::bool_(v); }
  static bool from(py::handle h, const std::string& what) {
    if (!PyBool_Check(h.ptr())) throw py::type_error(what + " must be bool, not " + type_name(h));
    return h.ptr() == Py_True;
  }
  static py::object json(bool v) { return get(v); }
  static bool is_set(bool v) { return v; }
};

template <>
struct conv<double> {
  static py::object get(double v) { return py::float_(v); }
  static double from(py::handle h, const std::string& what) {
    if (PyBool_Check(h.ptr()) || !(PyFloat_Check(h.ptr()) || PyLong_Check(h.ptr())))
      throw py::type_error(what + " must be float, not " + type_name(h));
    double v = PyFloat_AsDouble(h.ptr());
    if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    if (!std::isfinite(v)) throw py::value_error(what + " must be a finite number");
    return v;
  }
  static py::object json(double v) { return get(v); }
  static bool is_set(double v) { return v != 0; }
};

template <>
struct conv<std::uint64_t> {
  static py::object get(std::uint64_t v) { return py::int_(v); }
  static std::uint64_t from(py::handle h, const std::string& what) {
    if (PyBool_Check(h.ptr()) || !PyLong_Check(h.ptr()))
      throw py::type_error(what + " must be int, not " + type_name(h));
    if (py::reinterpret_borrow<py::int_>(h) < py::int_(0))
      throw py::value_error(what + " must not be negative");
    unsigned long long v = PyLong_AsUnsignedLongLong(h.ptr());
    if (v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
      PyErr_Clear();
      throw py::value_error(what + " is too large (at most 2**64-1)");
    }
    return static_cast<std::uint64_t>(v);
  }
  static py::object json(std::uint64_t v) { return get(v); }
  static bool is_set(std::uint64_t) { return true; }
};

template <>
struct conv<hlspp::date_time> {
  static py::object get(const hlspp::date_time& v) { return to_str(v.text); }
  static hlspp::date_time from(py::handle h, const std::string& what) {
    return hlspp::date_time{conv<std::string>::from(h, what)};
  }
  static py::object json(const hlspp::date_time& v) { return get(v); }
  static bool is_set(const hlspp::date_time&) { return true; }
};

template <>
struct conv<hlspp::byte_range> {
  static py::object get(const hlspp::byte_range& v) {
    return py::make_tuple(v.length, v.offset ? py::object(py::int_(*v.offset)) : py::object(py::none()));
  }
  static hlspp::byte_range from(py::handle h, const std::string& what) {
    if (!PyTuple_Check(h.ptr()) && !PyList_Check(h.ptr()))
      throw py::type_error(what + " must be a (length, offset) tuple, not " + type_name(h));
    auto seq = py::reinterpret_borrow<py::sequence>(h);
    if (seq.size() != 2) throw py::value_error(what + " must be a (length, offset) tuple");
    hlspp::byte_range r;
    r.length = conv<std::uint64_t>::from(seq[0], what + " length");
    py::object off = seq[1];
    if (!off.is_none()) r.offset = conv<std::uint64_t>::from(off, what + " offset");
    return r;
  }
  static py::object json(const hlspp::byte_range& v) {
    py::dict d;
    d["length"] = v.length;
    d["offset"] = v.offset ? py::object(py::int_(*v.offset)) : py::object(py::none());
    return std::move(d);
  }
  static bool is_set(const hlspp::byte_range&) { return true; }
};

template <>
struct conv<hlspp::resolution> {
  static py::object get(const hlspp::resolution& v) { return py::make_tuple(v.width, v.height); }
  static hlspp::resolution from(py::handle h, const std::string& what) {
    if (!PyTuple_Check(h.ptr()) && !PyList_Check(h.ptr()))
      throw py::type_error(what + " must be a (width, height) tuple, not " + type_name(h));
    auto seq = py::reinterpret_borrow<py::sequence>(h);
    if (seq.size() != 2) throw py::value_error(what + " must be a (width, height) tuple");
    return hlspp::resolution{conv<std::uint64_t>::from(seq[0], what + " width"),
                             conv<std::uint64_t>::from(seq[1], what + " height")};
  }
  static py::object json(const hlspp::resolution& v) {
    py::dict d;
    d["width"] = v.width;
    d["height"] = v.height;
    return std::move(d);
  }
  static bool is_set(const hlspp::resolution&) { return true; }
};

template <>
struct conv<hlspp::extra_line::kind> {
  using K = hlspp::extra_line::kind;
  static const char* name(K k) {
    switch (k) {
      case K::comment: return "comment";
      case K::blank: return "blank";
      case K::unknown_tag: return "unknown-tag";
      case K::verbatim: return "verbatim";
    }
    return "verbatim";
  }
  static py::object get(K k) { return py::str(name(k)); }
  static K from(py::handle h, const std::string& what) {
    std::string s = conv<std::string>::from(h, what);
    for (K k : {K::comment, K::blank, K::unknown_tag, K::verbatim})
      if (s == name(k)) return k;
    throw py::value_error(what + " must be 'comment', 'blank', 'unknown-tag' or 'verbatim', not '" + s + "'");
  }
  static py::object json(K k) { return get(k); }
  static bool is_set(K) { return true; }
};

template <>
struct conv<hlspp::attribute_list> {
  static py::object get(const hlspp::attribute_list& v) {
    py::list out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = py::make_tuple(to_str(v[i].name), to_str(v[i].value));
    return std::move(out);
  }
  static hlspp::attribute_list from(py::handle h, const std::string& what) {
    if (PyUnicode_Check(h.ptr()) || PyBytes_Check(h.ptr()))
      throw py::type_error(what + " must be a list of (name, value) pairs");
    hlspp::attribute_list out;
    for (py::handle item : py::reinterpret_borrow<py::iterable>(h)) {
      if (!PyTuple_Check(item.ptr()) && !PyList_Check(item.ptr()))
        throw py::type_error(what + " must be a list of (name, value) pairs, not of " + type_name(item));
      auto pair = py::reinterpret_borrow<py::sequence>(item);
      if (pair.size() != 2) throw py::value_error(what + " must be a list of (name, value) pairs");
      out.push_back({conv<std::string>::from(pair[0], what + " name"), conv<std::string>::from(pair[1], what + " value")});
    }
    return out;
  }
  static py::object json(const hlspp::attribute_list& v) {
    py::list out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      py::dict d;
      d["name"] = to_str(v[i].name);
      d["value"] = to_str(v[i].value);
      out[i] = std::move(d);
    }
    return std::move(out);
  }
  static bool is_set(const hlspp::attribute_list& v) { return !v.empty(); }
};

template <class X>
struct conv<std::optional<X>, std::enable_if_t<!is_model<X>::value>> {
  static py::object get(const std::optional<X>& v) { return v ? conv<X>::get(*v) : py::object(py::none()); }
  static std::optional<X> from(py::handle h, const std::string& what) {
    if (h.is_none()) return std::nullopt;
    return conv<X>::from(h, what);
  }
  static py::object json(const std::optional<X>& v) { return v ? conv<X>::json(*v) : py::object(py::none()); }
  static bool is_set(const std::optional<X>& v) { return v.has_value(); }
};

// ---- Model values ---------------------------------------------------------------------

/// A copy of the T wrapped by `h` (which must be a T object).
template <class T>
T value_from(py::handle h, const std::string& what) {
  if (!py::isinstance<ref<T>>(h))
    throw py::type_error(what + " must be " + model<T>::name + ", not " + type_name(h));
  return h.cast<ref<T>&>().get();
}

template <class T>
std::vector<T> values_from(py::handle h, const std::string& what);

template <class T>
py::dict to_dict(const T& obj);

template <class M>
py::object json_of(const M& v) {
  if constexpr (is_model<M>::value) {
    return to_dict(v);
  } else if constexpr (is_model_vector<M>::value) {
    py::list out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = to_dict(v[i]);
    return std::move(out);
  } else if constexpr (is_model_optional<M>::value) {
    return v ? py::object(to_dict(*v)) : py::object(py::none());
  } else {
    return conv<M>::json(v);
  }
}

template <class T>
py::dict to_dict(const T& obj) {
  py::dict d;
  model<T>::fields([&](const char* name, auto mp) { d[name] = json_of(obj.*mp); });
  return d;
}

/// Per type: how a keyword of the constructor sets a field of a new object.
template <class T>
using initializer = std::function<void(T&, py::handle)>;

template <class T>
std::unordered_map<std::string, initializer<T>>& initializers() {
  static auto* map = new std::unordered_map<std::string, initializer<T>>;
  return *map;
}

// ---- List views --------------------------------------------------------------------

/// pl.segments, seg.keys, ...: a live view of a std::vector inside the object
/// wrapped by `owner_obj`.
template <class E>
struct list_view {
  py::object owner_obj;
  ref_base* owner = nullptr;
  std::function<std::vector<E>&(void*)> access;

  [[nodiscard]] std::vector<E>& vec() const { return access(owner->ptr); }
};

template <class E>
struct list_iterator {
  list_view<E> view;
  std::size_t next = 0;
  bool reversed = false;
};

/// A copy of every E in `h` (an iterable of E objects, or another view).
template <class T>
std::vector<T> values_from(py::handle h, const std::string& what) {
  if (py::isinstance<list_view<T>>(h)) return h.cast<list_view<T>&>().vec();
  if (PyUnicode_Check(h.ptr()) || PyBytes_Check(h.ptr()) || !py::hasattr(h, "__iter__"))
    throw py::type_error(what + " must be an iterable of " + model<T>::name + ", not " + type_name(h));
  std::vector<T> out;
  for (py::handle item : py::reinterpret_borrow<py::iterable>(h)) out.push_back(value_from<T>(item, what + " item"));
  return out;
}

// ---- Generic class binding --------------------------------------------------------------

template <class T>
using model_class = py::class_<ref<T>>;

template <class T>
std::string qualified(const char* field) {
  return std::string(model<T>::name) + "." + field;
}

/// Adds one property per field of model<T>, and the keyword initializers.
template <class T>
struct field_binder {
  model_class<T>& cls;

  template <class C, class M>
  void operator()(const char* name, M C::*mp) const {
    static_assert(std::is_base_of_v<C, T>);
    const std::string what = qualified<T>(name);
    if constexpr (is_model_vector<M>::value) {
      using E = typename M::value_type;
      cls.def_property(
          name,
          [mp](py::handle self) {
            auto& r = self.cast<ref<T>&>();
            if constexpr (!std::is_same_v<M, std::vector<E>>) {
              // A compact_vector gets its std::vector on first view: a change of the
              // model's memory, so not while a serialization reads it without the GIL.
              auto& member = r.get().*mp;
              if (member.capacity() == 0) {
                mutation_guard guard;
                (void)member.storage();
              }
            }
            list_view<E> view{py::reinterpret_borrow<py::object>(self), &r,
                              [mp](void* p) -> std::vector<E>& { return vector_of(static_cast<T*>(p)->*mp); }};
            return py::cast(std::move(view));
          },
          [mp, what](ref<T>& self, py::handle value) {
            // pl.segments = pl.segments (and pl.segments += [...], which assigns the view
            // back) changes nothing: keep every element, and every reference to one.
            if (py::isinstance<list_view<E>>(value) && &value.cast<list_view<E>&>().vec() == &vector_of(self.get().*mp))
              return;
            auto values = values_from<E>(value, what);
            deferred drop;
            mutation_guard guard;
            auto& vec = vector_of(self.get().*mp);
            replace_range(vec, 0, vec.size(), std::move(values), drop);
          });
      initializers<T>()[name] = [mp, what](T& obj, py::handle value) { obj.*mp = values_from<E>(value, what); };
    } else if constexpr (is_model_optional<M>::value) {
      using S = typename M::value_type;
      cls.def_property(
          name,
          [mp](py::handle self) -> py::object {
            auto& slot = self.cast<ref<T>&>().get().*mp;
            return slot ? borrow(*slot, self) : py::object(py::none());
          },
          [mp, what](ref<T>& self, py::handle value) {
            auto& current = self.get().*mp;
            if (current && py::isinstance<ref<S>>(value) && value.cast<ref<S>&>().ptr == &*current) return;
            std::optional<S> v;
            if (!value.is_none()) v = value_from<S>(value, what);
            deferred drop;
            mutation_guard guard;
            replace_optional(self.get().*mp, std::move(v), drop);
          });
      initializers<T>()[name] = [mp, what](T& obj, py::handle value) {
        if (value.is_none())
          (obj.*mp).reset();
        else
          obj.*mp = value_from<S>(value, what);
      };
    } else if constexpr (is_model<M>::value) {
      cls.def_property(
          name, [mp](py::handle self) { return borrow(self.cast<ref<T>&>().get().*mp, self); },
          [mp, what](ref<T>& self, py::handle value) {
            if (py::isinstance<ref<M>>(value) && value.cast<ref<M>&>().ptr == &(self.get().*mp)) return;
            M v = value_from<M>(value, what);
            deferred drop;
            mutation_guard guard;
            replace_inline(self.get().*mp, std::move(v), drop);
          });
      initializers<T>()[name] = [mp, what](T& obj, py::handle value) { obj.*mp = value_from<M>(value, what); };
    } else {
      cls.def_property(
          name, [mp](const ref<T>& self) { return conv<M>::get(self.get().*mp); },
          [mp, what](ref<T>& self, py::handle value) {
            M v = conv<M>::from(value, what);
            mutation_guard guard;
            self.get().*mp = std::move(v);
          });
      initializers<T>()[name] = [mp, what](T& obj, py::handle value) { obj.*mp = conv<M>::from(value, what); };
    }
  }
};

/// A short repr: the fields that are set.
template <class T>
std::string repr_of(const T& obj) {
  std::string out = std::string(model<T>::name) + "(";
  bool first = true;
  model<T>::fields([&](const char* name, auto mp) {
    using M = std::decay_t<decltype(obj.*mp)>;
    const auto& v = obj.*mp;
    std::string shown;
    if constexpr (is_model_vector<M>::value) {
      if (v.empty()) return;
      shown = "[" + std::to_string(v.size()) + " " + model<typename M::value_type>::name + "]";
    } else if constexpr (is_model_optional<M>::value) {
      if (!v) return;
      shown = repr_of(*v);
    } else if constexpr (is_model<M>::value) {
      return;  // pl.trailing: shown on demand
    } else {
      if (!conv<M>::is_set(v)) return;
      shown = py::repr(conv<M>::get(v)).template cast<std::string>();
    }
    if (!first) out += ", ";
    first = false;
    out += name;
    out += "=";
    out += shown;
  });
  return out + ")";
}

template <class T>
py::object eq_impl(const ref<T>& a, py::handle b) {
  if (!py::isinstance<ref<T>>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
  const T& x = a.get();
  const T& y = b.cast<const ref<T>&>().get();
  if constexpr (std::is_same_v<T, media_box>)
    return py::bool_(static_cast<const hlspp::media_playlist&>(x) == static_cast<const hlspp::media_playlist&>(y));
  else if constexpr (std::is_same_v<T, master_box>)
    return py::bool_(static_cast<const hlspp::master_playlist&>(x) == static_cast<const hlspp::master_playlist&>(y));
  else
    return py::bool_(x == y);
}

template <class T>
T construct_from_kwargs(const py::kwargs& kwargs) {
  T obj{};
  auto& inits = initializers<T>();
  for (auto item : kwargs) {
    std::string key = item.first.cast<std::string>();
    auto it = inits.find(key);
    if (it == inits.end())
      throw py::type_error(std::string(model<T>::name) + "() got an unexpected keyword argument '" + key + "'");
    it->second(obj, item.second);
  }
  return obj;
}

/// The Python class of list_view<E> (SegmentList, KeyList, ...).
template <class E>
void bind_list(py::module_& m);

/// Creates the class for T with its fields, constructor, ==, repr, to_dict, copy.
template <class T>
model_class<T> bind_model(py::module_& m, const char* doc) {
  model_class<T> cls(m, model<T>::name, doc);
  model<T>::fields(field_binder<T>{cls});
  cls.def(py::init([](const py::kwargs& kwargs) { return std::make_unique<ref<T>>(construct_from_kwargs<T>(kwargs)); }));
  cls.def("__eq__", &eq_impl<T>, py::is_operator());
  cls.def("__ne__", [](const ref<T>& a, py::handle b) -> py::object {
    py::object r = eq_impl<T>(a, b);
    if (r.ptr() == Py_NotImplemented) return r;
    return py::bool_(!r.cast<bool>());
  }, py::is_operator());
  cls.attr("__hash__") = py::none();
  if constexpr (!std::is_same_v<T, media_box> && !std::is_same_v<T, master_box>)
    cls.def("__repr__", [](const ref<T>& self) { return repr_of(self.get()); });
  cls.def("to_dict", [](const ref<T>& self) { return to_dict(self.get()); },
          "The value as a dict of JSON-ready values (str, int, float, bool, None, list, dict).");
  cls.def("copy", [](const ref<T>& self) { return own(T(self.get())); }, "An independent copy.");
  cls.def("__copy__", [](const ref<T>& self) { return own(T(self.get())); });
  cls.def("__deepcopy__", [](const ref<T>& self, py::handle) { return own(T(self.get())); });
  if constexpr (model<T>::list_name != nullptr) bind_list<T>(m);
  return cls;
}

// ---- List view classes -----------------------------------------------------------------

/// Normalizes a Python index (negative counts from the end); IndexError when out of range.
inline std::size_t normalize_index(Py_ssize_t i, std::size_t size, const char* what) {
  const auto n = static_cast<Py_ssize_t>(size);
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw py::index_error(std::string(what) + " index out of range");
  return static_cast<std::size_t>(i);
}

template <class E>
py::object view_getitem(const list_view<E>& self, py::handle index) {
  auto& vec = self.vec();
  if (PySlice_Check(index.ptr())) {
    Py_ssize_t start = 0, stop = 0, step = 0;
    if (PySlice_Unpack(index.ptr(), &start, &stop, &step) < 0) throw py::error_already_set();
    Py_ssize_t len = PySlice_AdjustIndices(static_cast<Py_ssize_t>(vec.size()), &start, &stop, step);
    py::list out(static_cast<std::size_t>(len));
    for (Py_ssize_t k = 0; k < len; ++k)
      out[static_cast<std::size_t>(k)] = borrow(vec[static_cast<std::size_t>(start + k * step)], self.owner_obj);
    return std::move(out);
  }
  Py_ssize_t i = PyNumber_AsSsize_t(index.ptr(), PyExc_IndexError);
  if (i == -1 && PyErr_Occurred()) throw py::error_already_set();
  return borrow(vec[normalize_index(i, vec.size(), model<E>::list_name)], self.owner_obj);
}

template <class E>
void view_setitem(list_view<E>& self, py::handle index, py::handle value) {
  const std::string what = std::string(model<E>::list_name) + " item";
  if (PySlice_Check(index.ptr())) {
    auto values = values_from<E>(value, what);
    Py_ssize_t start = 0, stop = 0, step = 0;
    if (PySlice_Unpack(index.ptr(), &start, &stop, &step) < 0) throw py::error_already_set();
    Py_ssize_t len = PySlice_AdjustIndices(static_cast<Py_ssize_t>(self.vec().size()), &start, &stop, step);
    if (step != 1 && static_cast<std::size_t>(len) != values.size())
      throw py::value_error("attempt to assign sequence of size " + std::to_string(values.size()) +
                            " to extended slice of size " + std::to_string(len));
    deferred drop;
    mutation_guard guard;
    auto& vec = self.vec();
    if (step == 1) {
      if (stop < start) stop = start;
      replace_range(vec, static_cast<std::size_t>(start), static_cast<std::size_t>(stop), std::move(values), drop);
      return;
    }
    for (Py_ssize_t k = 0; k < len; ++k) {
      auto at = static_cast<std::size_t>(start + k * step);
      std::vector<E> one;
      one.push_back(std::move(values[static_cast<std::size_t>(k)]));
      replace_range(vec, at, at + 1, std::move(one), drop);
    }
    return;
  }
  Py_ssize_t i = PyNumber_AsSsize_t(index.ptr(), PyExc_IndexError);
  if (i == -1 && PyErr_Occurred()) throw py::error_already_set();
  std::vector<E> one;
  one.push_back(value_from<E>(value, what));
  deferred drop;
  mutation_guard guard;
  auto& vec = self.vec();
  const std::size_t at = normalize_index(i, vec.size(), model<E>::list_name);
  replace_range(vec, at, at + 1, std::move(one), drop);
}

template <class E>
void view_delitem(list_view<E>& self, py::handle index) {
  if (PySlice_Check(index.ptr())) {
    Py_ssize_t start = 0, stop = 0, step = 0;
    if (PySlice_Unpack(index.ptr(), &start, &stop, &step) < 0) throw py::error_already_set();
    Py_ssize_t len = PySlice_AdjustIndices(static_cast<Py_ssize_t>(self.vec().size()), &start, &stop, step);
    if (len <= 0) return;
    deferred drop;
    mutation_guard guard;
    auto& vec = self.vec();
    if (step == 1) {
      replace_range(vec, static_cast<std::size_t>(start), static_cast<std::size_t>(stop), {}, drop);
      return;
    }
    std::vector<std::size_t> at;
    for (Py_ssize_t k = 0; k < len; ++k) at.push_back(static_cast<std::size_t>(start + k * step));
    std::sort(at.begin(), at.end());
    for (auto it = at.rbegin(); it != at.rend(); ++it) replace_range(vec, *it, *it + 1, {}, drop);
    return;
  }
  Py_ssize_t i = PyNumber_AsSsize_t(index.ptr(), PyExc_IndexError);
  if (i == -1 && PyErr_Occurred()) throw py::error_already_set();
  deferred drop;
  mutation_guard guard;
  auto& vec = self.vec();
  const std::size_t at = normalize_index(i, vec.size(), model<E>::list_name);
  replace_range(vec, at, at + 1, {}, drop);
}

template <class E>
bool value_equals(const E& a, py::handle b) {
  return py::isinstance<ref<E>>(b) && a == b.cast<const ref<E>&>().get();
}

template <class E>
void bind_list(py::module_& m) {
  using V = list_view<E>;
  using I = list_iterator<E>;
  const char* name = model<E>::list_name;
  py::class_<I>(m, (std::string("_") + name + "Iterator").c_str())
      .def("__iter__", [](py::handle self) { return py::reinterpret_borrow<py::object>(self); })
      .def("__next__", [](I& it) -> py::object {
        auto& vec = it.view.vec();
        if (it.next >= vec.size()) throw py::stop_iteration();
        std::size_t at = it.reversed ? vec.size() - 1 - it.next : it.next;
        ++it.next;
        return borrow(vec[at], it.view.owner_obj);
      });

  py::class_<V> cls(m, name,
                    (std::string("A live, mutable sequence of ") + model<E>::name +
                     " (a view into its playlist: changes are made in place; items added are copied).")
                        .c_str());
  cls.def("__len__", [](const V& self) { return self.vec().size(); })
      .def("__getitem__", &view_getitem<E>)
      .def("__setitem__", &view_setitem<E>)
      .def("__delitem__", &view_delitem<E>)
      .def("__iter__", [](const V& self) { return I{self, 0, false}; })
      .def("__reversed__", [](const V& self) { return I{self, 0, true}; })
      .def("__contains__", [](const V& self, py::handle value) {
        for (const auto& e : self.vec())
          if (value_equals(e, value)) return true;
        return false;
      })
      .def("insert", [](V& self, Py_ssize_t index, py::handle value) {
        std::vector<E> one;
        one.push_back(value_from<E>(value, std::string(model<E>::list_name) + " item"));
        deferred drop;
        mutation_guard guard;
        auto& vec = self.vec();
        const auto n = static_cast<Py_ssize_t>(vec.size());
        if (index < 0) index = std::max<Py_ssize_t>(0, index + n);
        if (index > n) index = n;
        replace_range(vec, static_cast<std::size_t>(index), static_cast<std::size_t>(index), std::move(one), drop);
      }, py::arg("index"), py::arg("value"))
      .def("append", [](V& self, py::handle value) {
        std::vector<E> one;
        one.push_back(value_from<E>(value, std::string(model<E>::list_name) + " item"));
        deferred drop;
        mutation_guard guard;
        auto& vec = self.vec();
        replace_range(vec, vec.size(), vec.size(), std::move(one), drop);
      }, py::arg("value"))
      .def("extend", [](V& self, py::handle values) {
        auto more = values_from<E>(values, std::string(model<E>::list_name) + ".extend()");
        deferred drop;
        mutation_guard guard;
        auto& vec = self.vec();
        replace_range(vec, vec.size(), vec.size(), std::move(more), drop);
      }, py::arg("values"))
      .def("__iadd__", [](py::handle self, py::handle values) {
        auto more = values_from<E>(values, std::string(model<E>::list_name) + " +=");
        {
          deferred drop;
          mutation_guard guard;
          auto& vec = self.cast<V&>().vec();
          replace_range(vec, vec.size(), vec.size(), std::move(more), drop);
        }
        return py::reinterpret_borrow<py::object>(self);
      })
      .def("pop", [](V& self, Py_ssize_t index) {
        auto& vec = self.vec();
        if (vec.empty()) throw py::index_error(std::string("pop from empty ") + model<E>::list_name);
        const std::size_t at = normalize_index(index, vec.size(), model<E>::list_name);
        py::object item = borrow(vec[at], self.owner_obj);
        deferred drop;
        mutation_guard guard;
        replace_range(self.vec(), at, at + 1, {}, drop);
        return item;
      }, py::arg("index") = -1)
      .def("remove", [](V& self, py::handle value) {
        auto& vec = self.vec();
        for (std::size_t i = 0; i < vec.size(); ++i) {
          if (value_equals(vec[i], value)) {
            deferred drop;
            mutation_guard guard;
            replace_range(vec, i, i + 1, {}, drop);
            return;
          }
        }
        throw py::value_error(std::string(model<E>::list_name) + ".remove(x): x not in list");
      }, py::arg("value"))
      .def("clear", [](V& self) {
        deferred drop;
        mutation_guard guard;
        auto& vec = self.vec();
        replace_range(vec, 0, vec.size(), {}, drop);
      })
      .def("reverse", [](V& self) {
        mutation_guard guard;
        reverse_elements(self.vec());
      })
      .def("index", [](const V& self, py::handle value, Py_ssize_t start, Py_ssize_t stop) {
        auto& vec = self.vec();
        const auto n = static_cast<Py_ssize_t>(vec.size());
        if (start < 0) start = std::max<Py_ssize_t>(0, start + n);
        if (stop < 0) stop = std::max<Py_ssize_t>(0, stop + n);
        for (Py_ssize_t i = start; i < std::min(stop, n); ++i)
          if (value_equals(vec[static_cast<std::size_t>(i)], value)) return i;
        throw py::value_error(std::string(model<E>::list_name) + ".index(x): x not in list");
      }, py::arg("value"), py::arg("start") = 0, py::arg("stop") = PY_SSIZE_T_MAX)
      .def("count", [](const V& self, py::handle value) {
        std::size_t n = 0;
        for (const auto& e : self.vec())
          if (value_equals(e, value)) ++n;
        return n;
      }, py::arg("value"))
      .def("__eq__", [](const V& self, py::handle other) -> py::object {
        if (py::isinstance<V>(other)) return py::bool_(self.vec() == other.cast<const V&>().vec());
        if (!PyList_Check(other.ptr()) && !PyTuple_Check(other.ptr()))
          return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        auto seq = py::reinterpret_borrow<py::sequence>(other);
        auto& vec = self.vec();
        if (seq.size() != vec.size()) return py::bool_(false);
        for (std::size_t i = 0; i < vec.size(); ++i)
          if (!value_equals(vec[i], seq[i])) return py::bool_(false);
        return py::bool_(true);
      }, py::is_operator())
      .def("__repr__", [](const V& self) {
        auto& vec = self.vec();
        std::string out = std::string(model<E>::list_name) + "([";
        for (std::size_t i = 0; i < vec.size() && i < 10; ++i) {
          if (i) out += ", ";
          out += repr_of(vec[i]);
        }
        if (vec.size() > 10) out += ", ... (" + std::to_string(vec.size()) + " items)";
        return out + "])";
      })
      .def("to_list", [](const V& self) {
        auto& vec = self.vec();
        py::list out(vec.size());
        for (std::size_t i = 0; i < vec.size(); ++i) out[i] = borrow(vec[i], self.owner_obj);
        return out;
      }, "The items as a plain list (each item is still live).");
  cls.attr("__hash__") = py::none();
  py::module_::import("collections.abc").attr("MutableSequence").attr("register")(cls);
}

}  // namespace hlspp_py
