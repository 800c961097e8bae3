// SPDX-License-Identifier: MIT
// The elements of both playlist kinds: Key, InitSection, DateRange, Part, ...,
// Variant, IFrameVariant, Rendition, SessionData, SessionKey, ContentSteering,
// and their list views.

#include "model.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_elements(py::module_& m) {
  bind_model<hlspp::extra_line>(m, "A line kept verbatim where it stood: kind is 'comment', 'blank', "
                                   "'unknown-tag' or 'verbatim'; text is the whole line.");
  bind_model<hlspp::key>(m, "EXT-X-KEY.");
  bind_model<hlspp::init_section>(m, "EXT-X-MAP: the media initialization section.");
  bind_model<hlspp::date_range>(m, "EXT-X-DATERANGE. Client (X-...) attributes are in `other`, as written.");
  bind_model<hlspp::partial_segment>(m, "EXT-X-PART (LL-HLS partial segment).");
  bind_model<hlspp::preload_hint>(m, "EXT-X-PRELOAD-HINT.");
  bind_model<hlspp::rendition_report>(m, "EXT-X-RENDITION-REPORT.");
  bind_model<hlspp::skip_info>(m, "EXT-X-SKIP (playlist delta updates).");
  bind_model<hlspp::server_control>(m, "EXT-X-SERVER-CONTROL.");
  bind_model<hlspp::part_information>(m, "EXT-X-PART-INF.");
  bind_model<hlspp::start_point>(m, "EXT-X-START.");
  bind_model<hlspp::variable_definition>(m, "EXT-X-DEFINE: NAME(+VALUE), IMPORT (import_) or QUERYPARAM.");
  bind_model<hlspp::variant_stream>(m, "EXT-X-STREAM-INF and the URI line after it.");
  bind_model<hlspp::iframe_stream>(m, "EXT-X-I-FRAME-STREAM-INF.");
  bind_model<hlspp::rendition>(m, "EXT-X-MEDIA: one alternative rendition.");
  bind_model<hlspp::session_data>(m, "EXT-X-SESSION-DATA.");
  bind_model<hlspp::session_key>(m, "EXT-X-SESSION-KEY.");
  bind_model<hlspp::content_steering>(m, "EXT-X-CONTENT-STEERING.");
}

}  // namespace hlspp_py
