// SPDX-License-Identifier: MIT
// Live analysis: hlspp.diff() of two snapshots, hlspp.lag() of a CDN copy behind
// its origin, hlspp.align() of two regions' copies of a rendition.

#include <hlspp/live.hpp>

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

namespace {

const hlspp::media_playlist& media_arg(py::handle h, const char* fn, const char* name) {
  if (!py::isinstance<ref<media_box>>(h))
    throw py::type_error(std::string(fn) + "() needs a MediaPlaylist for '" + name + "', not " + type_name(h));
  return h.cast<ref<media_box>&>().get();
}

/// Read-only properties, to_dict() and repr() from one list of (name, member).
template <class R, class... Fields>
void bind_result(py::class_<R>& cls, const char* name, Fields... fields) {
  auto each = [](const R& r, auto&& f, auto... fs) { (f(fs.first, r.*(fs.second)), ...); };
  (cls.def_property_readonly(fields.first,
                             [mp = fields.second](const R& r) -> py::object {
                               using M = std::decay_t<decltype(r.*mp)>;
                               if constexpr (std::is_same_v<M, hlspp::diagnostics>)
                                 return diagnostics_to_list(r.*mp);
                               else if constexpr (std::is_same_v<M, hlspp::live_status>)
                                 return py::str(std::string(hlspp::status_name(r.*mp)));
                               else
                                 return py::cast(r.*mp);
                             }),
   ...);
  cls.def("to_dict", [each, fields...](const R& r) {
    py::dict d;
    each(
        r,
        [&](const char* key, const auto& v) {
          using M = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<M, hlspp::diagnostics>) {
            py::list out;
            for (const auto& diag : v) out.append(py::cast(diag).attr("to_dict")());
            d[key] = out;
          } else if constexpr (std::is_same_v<M, hlspp::live_status>) {
            d[key] = std::string(hlspp::status_name(v));
          } else {
            d[key] = v;
          }
        },
        fields...);
    return d;
  }, "The result as a JSON-ready dict.");
  cls.def("__repr__", [each, name, fields...](const R& r) {
    std::string out = std::string("<") + name;
    each(
        r,
        [&](const char* key, const auto& v) {
          using M = std::decay_t<decltype(v)>;
          out += " ";
          out += key;
          out += "=";
          if constexpr (std::is_same_v<M, hlspp::diagnostics>)
            out += "[" + std::to_string(v.size()) + " Diagnostic]";
          else if constexpr (std::is_same_v<M, hlspp::live_status>)
            out += "'" + std::string(hlspp::status_name(v)) + "'";
          else
            out += py::repr(py::cast(v)).template cast<std::string>();
        },
        fields...);
    return out + ">";
  });
}

template <class R, class M>
std::pair<const char*, M R::*> field(const char* name, M R::*mp) {
  return {name, mp};
}

}  // namespace

void register_live(py::module_& m) {
  using D = hlspp::live_diff;
  py::class_<D> diff_cls(m, "LiveDiff", "What a new snapshot of a live media playlist means (hlspp.diff()).");
  bind_result(diff_cls, "LiveDiff", field("status", &D::status), field("media_sequence_delta", &D::media_sequence_delta),
              field("discontinuity_sequence_delta", &D::discontinuity_sequence_delta),
              field("segments_added", &D::segments_added), field("segments_removed", &D::segments_removed),
              field("parts_added", &D::parts_added), field("preload_hint_moved", &D::preload_hint_moved),
              field("dateranges_added", &D::dateranges_added), field("dateranges_changed", &D::dateranges_changed),
              field("dateranges_removed", &D::dateranges_removed), field("seconds_added", &D::seconds_added),
              field("seconds_since_change", &D::seconds_since_change), field("violations", &D::violations));

  using L = hlspp::lag_result;
  py::class_<L> lag_cls(m, "LagResult", "How far a CDN copy of a media playlist is behind the origin (hlspp.lag()).");
  bind_result(lag_cls, "LagResult", field("segments_behind", &L::segments_behind),
              field("seconds_behind", &L::seconds_behind), field("stale_edge", &L::stale_edge),
              field("player_stall", &L::player_stall), field("diagnostics", &L::diagnostics));

  using A = hlspp::align_result;
  py::class_<A> align_cls(m, "AlignResult", "Whether one region's copy of a rendition can stand in for another's (hlspp.align()).");
  bind_result(align_cls, "AlignResult", field("aligned", &A::aligned), field("offset_seconds", &A::offset_seconds),
              field("media_sequence_offset", &A::media_sequence_offset), field("diagnostics", &A::diagnostics));

  m.def(
      "diff",
      [](py::handle previous, py::handle current, double elapsed, double stale_factor, double stuck_factor) {
        const auto& p = media_arg(previous, "diff", "previous");
        const auto& c = media_arg(current, "diff", "current");
        if (!std::isfinite(elapsed) || elapsed < 0) throw py::value_error("elapsed must be a finite number >= 0");
        hlspp::diff_options options;
        options.stale_factor = stale_factor;
        options.stuck_factor = stuck_factor;
        return hlspp::diff(p, c, elapsed, options);
      },
      py::arg("previous"), py::arg("current"), py::kw_only(), py::arg("elapsed"), py::arg("stale_factor") = 1.5,
      py::arg("stuck_factor") = 3.5,
      "Compares two snapshots of one live media playlist. elapsed: seconds since `previous` last\n"
      "brought new media (carry LiveDiff.seconds_since_change forward). status is 'advanced',\n"
      "'unchanged', 'stale', 'stuck', 'reset', 'ended', 'invalid-update' or 'unavailable';\n"
      "violations are positioned in `current`.");
  m.def(
      "lag",
      [](py::handle origin, py::handle cdn) {
        return hlspp::lag(media_arg(origin, "lag", "origin"), media_arg(cdn, "lag", "cdn"));
      },
      py::arg("origin"), py::arg("cdn"),
      "How far a CDN copy of a media playlist is behind the origin's, fetched at about the same time.");
  m.def(
      "align",
      [](py::handle a, py::handle b) { return hlspp::align(media_arg(a, "align", "a"), media_arg(b, "align", "b")); },
      py::arg("a"), py::arg("b"),
      "Checks that b (one region's copy of a rendition) can stand in for a (another region's).");
}

}  // namespace hlspp_py
