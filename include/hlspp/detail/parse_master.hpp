// SPDX-License-Identifier: MIT
#pragma once

// Multivariant playlist half of the parser (included by parser.hpp).

namespace hlspp::detail {

inline parse_result parser::parse_master(master_playlist& pl) {
  auto& layout = pl.layout;
  line_view ln;
  bool m3u_checked = false;
  bool missing_reported = false;

  struct pending_extra {
    extra_line extra;
    line_view line;
  };
  std::vector<pending_extra> pending;
  // A STREAM-INF waiting for its URI line.
  std::optional<variant_stream> open_variant;
  line_view open_first{};
  std::string open_kinds;
  std::uint32_t stream_inf_line = 0;
  line_view stream_inf_view{};

  auto flush_pending_to_playlist = [&] {
    for (auto& p : pending) {
      add_layout(p.line, tag_id::extra, pl.extras.size(), layout);
      pl.extras.push_back(std::move(p.extra));
    }
    pending.clear();
  };
  // Starts an item block: the pending extras become the item's.
  auto take_pending = [&](std::vector<extra_line>& extras, std::string& kinds, const line_view& line) {
    line_view first = pending.empty() ? line : pending.front().line;
    for (auto& p : pending) {
      extras.push_back(std::move(p.extra));
      kinds += kind_extra;
    }
    pending.clear();
    return first;
  };
  auto set_origin = [&](block_origin& o, const line_view& first, const line_view& last, std::string kinds) {
    o.offset = first.offset;
    o.length = last.offset + last.length - first.offset;
    o.line = first.number;
    o.source = source_->id;
    o.line_kinds = std::move(kinds);
  };
  auto close_variant_without_uri = [&](const line_view& last) {
    report(diag_code::stream_inf_without_uri, severity::error, stream_inf_line, 1,
           "EXT-X-STREAM-INF must be followed by a URI line");
    // Lines after the URI-less STREAM-INF stay pending for whatever comes next.
    (void)last;
    set_origin(open_variant->origin, open_first, stream_inf_view, std::move(open_kinds));
    open_kinds.clear();
    pl.variants.push_back(std::move(*open_variant));
    open_variant.reset();
  };
  line_view previous{};

  line_reader lines(text_);
  const char* line_data = nullptr;
  std::size_t line_size = 0;
  while (lines.next(ln, line_data, line_size)) {
    std::string_view text(line_data, line_size);  // not `= ln.text`: see line_reader::next
    if (!m3u_checked) {
      if (ln.number == 1 && starts_with(text, "\xEF\xBB\xBF")) {
        // Read line 1 without its byte order mark everywhere (attribute lists
        // included); its origin still covers the BOM, so it is written back.
        text.remove_prefix(3);
        ln.text = text;
      }
      if (ln.number == m3u_line_) {
        m3u_checked = true;
        flush_pending_to_playlist();
        if (text != "#EXTM3U")
          report_at(ln, 7, diag_code::whitespace, severity::warning, "whitespace after #EXTM3U");
        add_layout(ln, tag_id::extm3u, 0, layout);
        previous = ln;
        continue;
      }
      const bool blank = is_blank(text);
      if (!blank || m3u_line_ == 0) {
        // With no #EXTM3U at all the text is not a playlist; lines before a later
        // #EXTM3U break a MUST (strict fails) but leave a readable playlist.
        if (!lenient() && m3u_line_ == 0)
          return fail(diag_code::missing_extm3u, ln.number, 1, "the first line must be #EXTM3U");
        if (!missing_reported) {
          missing_reported = true;
          report(diag_code::missing_extm3u, severity::error, ln.number, 1, "the first line must be #EXTM3U");
        }
      } else {
        report_at(ln, 0, diag_code::missing_extm3u, severity::warning, "blank line before #EXTM3U");
      }
      if (m3u_line_ == 0) {
        // No header at all (lenient): parse the lines as they are.
        m3u_checked = true;
        layout.extm3u_missing = true;
      } else {
        // Lines before a late #EXTM3U (lenient) stay verbatim where they stood.
        check_pre_header_kind(ln, text, true);
        flush_pending_to_playlist();
        add_layout(ln, tag_id::extra, pl.extras.size(), layout);
        const auto k = blank                        ? extra_line::kind::blank
                       : starts_with(text, "#EXT")  ? extra_line::kind::verbatim
                       : text.front() == '#'        ? extra_line::kind::comment
                                                    : extra_line::kind::verbatim;
        pl.extras.push_back(extra_line{k, std::string(ln.text)});
        previous = ln;
        continue;
      }
    }
    // (A tag, comment or URI fails the first test: no loop over the line.)
    if (text.empty() || ((text.front() == ' ' || text.front() == '\t') && is_blank(text))) {
      pending.push_back({extra_line{extra_line::kind::blank, std::string(text)}, ln});
      previous = ln;
      continue;
    }
    if (text.front() != '#') {
      std::string_view uri = trim(text);
      if (uri.size() != text.size())
        report_at(ln, 0, diag_code::whitespace, severity::warning, "whitespace around a URI line");
      if (open_variant) {
        for (auto& p : pending) {
          open_variant->extras.push_back(std::move(p.extra));
          open_kinds += kind_extra;
        }
        pending.clear();
        open_kinds += kind_uri;
        check_variables(ln, uri);
        open_variant->uri.assign(uri.data(), uri.size());
        set_origin(open_variant->origin, open_first, ln, std::move(open_kinds));
        open_kinds.clear();
        pl.variants.push_back(std::move(*open_variant));
        open_variant.reset();
      } else {
        report_at(ln, 0, diag_code::uri_without_stream_inf, severity::error,
                  "a URI line in a multivariant playlist must follow EXT-X-STREAM-INF");
        flush_pending_to_playlist();
        add_layout(ln, tag_id::extra, pl.extras.size(), layout);
        pl.extras.push_back(make_extra(ln, extra_line::kind::verbatim));
      }
      previous = ln;
      continue;
    }
    if (!starts_with(text, "#EXT")) {
      pending.push_back({extra_line{extra_line::kind::comment, std::string(text)}, ln});
      previous = ln;
      continue;
    }
    std::string_view name = text.substr(0, text.find(':'));
    tag_id id = lookup_tag(name);
    if (id == tag_id::none && lookup_tag(trim(name)) != tag_id::none) {
      report_at(ln, 0, diag_code::whitespace, severity::warning, "whitespace in a tag name");
      id = lookup_tag(trim(name));
    }
    if (id == tag_id::none) {
      report_at(ln, 0, diag_code::unknown_tag, severity::info, "unknown tag " + std::string(name));
      pending.push_back({make_extra(ln, extra_line::kind::unknown_tag), ln});
      previous = ln;
      continue;
    }
    if (open_variant) close_variant_without_uri(previous);
    previous = ln;

    if (is_media_tag(id)) {
      if (!wrong_kind_line_) wrong_kind_line_ = ln.number;
      report_at(ln, 0, diag_code::wrong_playlist_kind, severity::error,
                std::string(name) + " cannot appear in a multivariant playlist");
      flush_pending_to_playlist();
      add_layout(ln, tag_id::extra, pl.extras.size(), layout);
      pl.extras.push_back(make_extra(ln, extra_line::kind::verbatim));
      continue;
    }

    switch (id) {
      case tag_id::stream_inf: {
        variant_stream v;
        parse_attrs(ln, name, v);
        if (!v.bandwidth)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-STREAM-INF requires BANDWIDTH");
        if (v.program_id)
          report_at(ln, name.size() + 1, diag_code::removed_tag, severity::warning,
                    "PROGRAM-ID was removed in protocol version 6");
        open_first = take_pending(v.extras, open_kinds, ln);
        open_kinds += static_cast<char>(id);
        open_variant = std::move(v);
        stream_inf_line = ln.number;
        stream_inf_view = ln;
        break;
      }
      case tag_id::i_frame_stream_inf: {
        iframe_stream f;
        parse_attrs(ln, name, f);
        if (f.program_id)
          report_at(ln, name.size() + 1, diag_code::removed_tag, severity::warning,
                    "PROGRAM-ID was removed in protocol version 6");
        if (!f.bandwidth || !f.uri)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-I-FRAME-STREAM-INF requires BANDWIDTH and URI");
        std::string kinds;
        line_view first = take_pending(f.extras, kinds, ln);
        kinds += static_cast<char>(id);
        set_origin(f.origin, first, ln, std::move(kinds));
        pl.iframe_streams.push_back(std::move(f));
        break;
      }
      case tag_id::media: {
        rendition r;
        parse_attrs(ln, name, r);
        if (!r.type || !r.group_id || !r.name)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-MEDIA requires TYPE, GROUP-ID and NAME");
        if (r.type && *r.type == "CLOSED-CAPTIONS" && r.uri)
          report_at(ln, name.size() + 1, diag_code::attribute_not_allowed, severity::error,
                    "EXT-X-MEDIA of TYPE CLOSED-CAPTIONS must not have a URI");
        if (r.type && *r.type == "SUBTITLES" && !r.uri)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-MEDIA of TYPE SUBTITLES requires URI");
        std::string kinds;
        line_view first = take_pending(r.extras, kinds, ln);
        kinds += static_cast<char>(id);
        set_origin(r.origin, first, ln, std::move(kinds));
        pl.renditions.push_back(std::move(r));
        break;
      }
      case tag_id::session_data: {
        session_data d;
        parse_attrs(ln, name, d);
        if (!d.data_id)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-SESSION-DATA requires DATA-ID");
        if (d.value.has_value() == d.uri.has_value())
          report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                    "EXT-X-SESSION-DATA needs exactly one of VALUE or URI");
        std::string kinds;
        line_view first = take_pending(d.extras, kinds, ln);
        kinds += static_cast<char>(id);
        set_origin(d.origin, first, ln, std::move(kinds));
        pl.session_data.push_back(std::move(d));
        break;
      }
      case tag_id::session_key: {
        session_key k;
        parse_attrs(ln, name, static_cast<key&>(k));
        if (!k.method || *k.method == "NONE" || !k.uri)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-SESSION-KEY requires METHOD (not NONE) and URI");
        std::string kinds;
        line_view first = take_pending(k.extras, kinds, ln);
        kinds += static_cast<char>(id);
        set_origin(k.origin, first, ln, std::move(kinds));
        pl.session_keys.push_back(std::move(k));
        break;
      }
      case tag_id::content_steering: {
        flush_pending_to_playlist();
        if (pl.content_steering) {
          duplicate(ln, name);
          add_layout(ln, tag_id::extra, pl.extras.size(), layout);
          pl.extras.push_back(make_extra(ln, extra_line::kind::verbatim));
          break;
        }
        hlspp::content_steering cs;
        parse_attrs(ln, name, cs);
        if (!cs.server_uri)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-CONTENT-STEERING requires SERVER-URI");
        pl.content_steering = std::move(cs);
        add_layout(ln, id, 0, layout);
        break;
      }
      default: {
        flush_pending_to_playlist();
        bool kept = false;
        if (id == tag_id::extm3u) {
          duplicate(ln, name);
        } else {
          kept = common_tag(id, ln, name, pl);
          if (kept && id == tag_id::version) version_seen_ = *pl.version;
        }
        if (!kept) {
          add_layout(ln, tag_id::extra, pl.extras.size(), layout);
          pl.extras.push_back(make_extra(ln, extra_line::kind::verbatim));
        }
        break;
      }
    }
  }
  if (open_variant) close_variant_without_uri(previous);
  if (!m3u_checked) layout.extm3u_missing = true;
  flush_pending_to_playlist();

  // Whole-playlist rules the parser can see; the rest is validate()'s.
  const std::uint64_t v = pl.version.value_or(1);
  if (!pl.defines.empty() && v < 8)
    report(pl.version ? diag_code::version_too_low : diag_code::version_missing,
           pl.version ? severity::error : severity::warning, 1, 1, "EXT-X-DEFINE needs EXT-X-VERSION 8 or higher");
  layout.crlf = text_has_crlf_;
  return finish(std::move(pl));
}

}  // namespace hlspp::detail
