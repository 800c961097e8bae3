// SPDX-License-Identifier: MIT
#pragma once

// Media playlist half of the parser (included by parser.hpp).

#include <cmath>

namespace hlspp::detail {

inline parse_result parser::parse_media(media_playlist& pl) {
  auto& layout = pl.layout;
  // The segment being read is built in place as the last element of `segments` (no
  // 400-byte move and re-construction per segment); it is popped at the end. Reserved
  // once from the count of URI lines (+1 for that open segment), so the vector never
  // grows: growth of a large vector is an mmap, a copy and page faults each time.
  const std::size_t slots = std::min(uri_lines_, options_.limits.max_segments) + 1;
  if (recycling_) {
    // Recycled storage: kept unless it would leave most of it idle; grown with an
    // eighth to spare, so a playlist that gains a segment per reload reuses it.
    if (pl.segments.capacity() / 4 > slots) std::vector<media_segment>().swap(pl.segments);
    if (pl.segments.capacity() < slots) pl.segments.reserve(slots + slots / 8);
  } else {
    pl.segments.reserve(slots);
  }
  media_segment* cur = &pl.segments.emplace_back();
  line_view ln;
  bool m3u_checked = false;
  bool missing_reported = false;

  struct pending_extra {
    extra_line extra;
    line_view line;
  };
  std::vector<pending_extra> pending;
  bool cur_started = false;
  line_view cur_first{};
  bool have_extinf = false;
  std::uint32_t extinf_line = 0;
  bool seen_uri = false;
  std::uint32_t first_segment_line = 0;
  double max_duration = 0;
  std::uint32_t max_duration_line = 0;
  bool any_float_duration = false;
  std::uint32_t float_line = 0;
  bool any_byterange = false;
  std::uint32_t byterange_line = 0;
  bool any_iv = false;
  std::uint32_t iv_line = 0;
  bool any_map = false;
  std::uint32_t map_line = 0;
  bool any_pdt = false;
  std::uint32_t daterange_line = 0;
  std::uint32_t part_line = 0;
  std::uint32_t hint_line = 0;
  std::uint32_t skip_line = 0;
  std::uint32_t endlist_line = 0;
  std::uint32_t msn_line = 0, dsn_line = 0;
  std::string_view last_range_uri;  // a view of the text: no copy per segment
  bool have_range_uri = false;
  bool discontinuity_seen = false;
  date_time_checker pdt_checker;  // PROGRAM-DATE-TIMEs, reusing the check of a shared date and hour

  auto flush_pending_to_playlist = [&] {
    for (auto& p : pending) {
      add_layout(p.line, tag_id::extra, pl.extras.size(), layout);
      pl.extras.push_back(std::move(p.extra));
      if (cur_started) cur->origin.line_kinds += kind_foreign;
    }
    pending.clear();
  };
  // With comments or unknown tags waiting: they join the segment, before this line.
  auto begin_segment_line_slow = [&](char kind) {
    if (!cur_started) {
      cur_started = true;
      cur_first = pending.front().line;
    }
    for (auto& p : pending) {
      cur->extras.push_back(std::move(p.extra));
      cur->origin.line_kinds += kind_extra;
    }
    pending.clear();
    cur->origin.line_kinds += kind;
  };
  // Called for every line of every segment: the usual case (no comments waiting) stays
  // small enough to inline, the rest is a call.
  auto begin_segment_line = [&](const line_view& line, char kind) HLSPP_DETAIL_HOT_INLINE {
    if (!pending.empty()) return begin_segment_line_slow(kind);
    if (!cur_started) {
      cur_started = true;
      cur_first = line;
    }
    cur->origin.line_kinds += kind;
  };
  auto close_block = [&](media_segment& seg, const line_view& last) {
    seg.origin.offset = cur_first.offset;
    seg.origin.length = last.offset + last.length - cur_first.offset;
    seg.origin.line = cur_first.number;
    seg.origin.source = source_->id;
    cur_started = false;
  };
  // A segment-level line that could not be understood stays with its segment.
  auto keep_segment_verbatim = [&](const line_view& line) {
    begin_segment_line(line, kind_extra);
    cur->extras.push_back(make_extra(line, extra_line::kind::verbatim));
  };
  auto keep_playlist_verbatim = [&](const line_view& line, extra_line::kind k) {
    flush_pending_to_playlist();
    add_layout(line, tag_id::extra, pl.extras.size(), layout);
    pl.extras.push_back(make_extra(line, k));
    if (cur_started) cur->origin.line_kinds += kind_foreign;
  };
  auto playlist_tag_layout = [&](const line_view& line, tag_id id, std::size_t index) {
    add_layout(line, id, index, layout);
    if (cur_started) cur->origin.line_kinds += kind_foreign;
  };

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
        check_pre_header_kind(ln, text, false);
        flush_pending_to_playlist();
        add_layout(ln, tag_id::extra, pl.extras.size(), layout);
        const auto k = blank                        ? extra_line::kind::blank
                       : starts_with(text, "#EXT")  ? extra_line::kind::verbatim
                       : text.front() == '#'        ? extra_line::kind::comment
                                                    : extra_line::kind::verbatim;
        pl.extras.push_back(extra_line{k, std::string(ln.text)});
        continue;
      }
    }
    // (A tag, comment or URI fails the first test: no loop over the line.)
    if (text.empty() || ((text.front() == ' ' || text.front() == '\t') && is_blank(text))) {
      pending.push_back({extra_line{extra_line::kind::blank, std::string(text)}, ln});
      continue;
    }
    if (text.front() != '#') {
      // URI line: closes the current segment.
      if (pl.segments.size() - 1 >= options_.limits.max_segments)
        return fail(diag_code::too_many_lines, ln.number, 1,
                    "more than " + std::to_string(options_.limits.max_segments) + " segments");
      begin_segment_line(ln, kind_uri);
      std::string_view uri = trim(text);
      if (uri.size() != text.size())
        report_at(ln, 0, diag_code::whitespace, severity::warning, "whitespace around a URI line");
      check_variables(ln, uri);
      shares_.assign(cur->uri, uri);  // a view of the parsed text: no copy
      if (!have_extinf) {
        cur->has_extinf = false;
        report_at(ln, 0, diag_code::missing_extinf, severity::error, "media segment without EXTINF");
      }
      if (cur->byterange) {
        if (!cur->byterange->offset && (!have_range_uri || last_range_uri != uri))
          report_at(ln, 0, diag_code::byterange_without_offset, severity::error,
                    "EXT-X-BYTERANGE without an offset must follow a sub-range of the same resource");
        last_range_uri = uri;
        have_range_uri = true;
      } else {
        have_range_uri = false;
      }
      if (!seen_uri) first_segment_line = cur_first.number;
      seen_uri = true;
      close_block(*cur, ln);
      cur = &pl.segments.emplace_back();
      have_extinf = false;
      continue;
    }
    if (!starts_with(text, "#EXT")) {
      pending.push_back({extra_line{extra_line::kind::comment, std::string(text)}, ln});
      continue;
    }
    std::string_view name;
    tag_id id;
    // The two tags of nearly every segment: a prefix test gives what find(':') and the
    // tag table would (the name ends at the first ':'), without either.
    if (starts_with(text, "#EXTINF:")) {
      name = std::string_view(text.data(), 7);
      id = tag_id::extinf;
    } else if (starts_with(text, "#EXT-X-PROGRAM-DATE-TIME:")) {
      name = std::string_view(text.data(), 24);
      id = tag_id::program_date_time;
    } else {
      name = text.substr(0, text.find(':'));
      id = lookup_tag(name);
    }
    if (id == tag_id::none) {
      tag_id trimmed = lookup_tag(trim(name));
      if (trimmed != tag_id::none) {
        report_at(ln, 0, diag_code::whitespace, severity::warning, "whitespace in a tag name");
        id = trimmed;
        name = text.substr(0, name.size());
      }
    }
    if (id == tag_id::none) {
      report_at(ln, 0, diag_code::unknown_tag, severity::info, "unknown tag " + std::string(name));
      pending.push_back({make_extra(ln, extra_line::kind::unknown_tag), ln});
      continue;
    }
    if (is_master_tag(id)) {
      if (!wrong_kind_line_) wrong_kind_line_ = ln.number;
      report_at(ln, 0, diag_code::wrong_playlist_kind, severity::error,
                std::string(name) + " cannot appear in a media playlist");
      keep_playlist_verbatim(ln, extra_line::kind::verbatim);
      continue;
    }
    std::string_view value = tag_value(ln, name);
    if (id != tag_id::extinf && value.size() != trim(value).size()) {
      report_at(ln, name.size() + 1, diag_code::whitespace, severity::warning, "whitespace in a tag value");
      value = trim(value);
    }

    switch (id) {
      case tag_id::extm3u:
        duplicate(ln, name);
        keep_playlist_verbatim(ln, extra_line::kind::verbatim);
        break;
      case tag_id::extinf: {
        if (have_extinf) {
          duplicate(ln, "EXTINF for one segment");
          keep_segment_verbatim(ln);
          break;
        }
        std::size_t comma = std::string_view::npos;
        std::string_view dur_text;
        std::optional<double> d;
        if (!read_plain_extinf_duration(value, comma, d)) {
          comma = value.find(',');
          dur_text = trim(value.substr(0, comma));
          d = parse_decimal_float(dur_text, true);
        } else {
          dur_text = std::string_view(value.data(), comma);  // comma < size: no substr bounds check
        }
        if (!d) {
          report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                    "invalid EXTINF duration '" + std::string(dur_text) + "'");
          keep_segment_verbatim(ln);
          break;
        }
        if (comma == std::string_view::npos)
          report_at(ln, ln.text.size(), diag_code::malformed_tag, severity::warning,
                    "EXTINF needs a comma after the duration");
        if (*d < 0)
          report_at(ln, name.size() + 1, diag_code::negative_duration, severity::error, "negative EXTINF duration");
        if (!any_float_duration && dur_text.find('.') != std::string_view::npos) {
          any_float_duration = true;
          float_line = ln.number;
        }
        begin_segment_line(ln, static_cast<char>(id));
        cur->duration = *d;
        cur->has_extinf = true;
        if (comma != std::string_view::npos) {
          const std::string_view title(value.data() + comma + 1, value.size() - comma - 1);
          if (!title.empty()) shares_.assign(cur->title, title);  // a new segment's title is empty
        }
        if (*d > max_duration) {
          max_duration = *d;
          max_duration_line = ln.number;
        }
        have_extinf = true;
        extinf_line = ln.number;
        break;
      }
      case tag_id::byterange: {
        byte_range br;
        if (cur->byterange) {
          duplicate(ln, name);
          keep_segment_verbatim(ln);
          break;
        }
        if (!parse_byte_range(value, br)) {
          report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                    "invalid EXT-X-BYTERANGE '" + std::string(value) + "'");
          keep_segment_verbatim(ln);
          break;
        }
        begin_segment_line(ln, static_cast<char>(id));
        cur->byterange = br;
        if (!any_byterange) {
          any_byterange = true;
          byterange_line = ln.number;
        }
        break;
      }
      case tag_id::discontinuity:
        if (cur->discontinuity) {
          duplicate(ln, name);
          keep_segment_verbatim(ln);
          break;
        }
        flag_tag_value_check(ln, name);
        begin_segment_line(ln, static_cast<char>(id));
        cur->discontinuity = true;
        discontinuity_seen = true;
        break;
      case tag_id::gap:
        if (cur->gap) {
          duplicate(ln, name);
          keep_segment_verbatim(ln);
          break;
        }
        flag_tag_value_check(ln, name);
        begin_segment_line(ln, static_cast<char>(id));
        cur->gap = true;
        break;
      case tag_id::bitrate: {
        auto n = parse_decimal_integer(value);
        if (!n || cur->bitrate) {
          if (cur->bitrate)
            duplicate(ln, name);
          else
            report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                      "invalid EXT-X-BITRATE '" + std::string(value) + "'");
          keep_segment_verbatim(ln);
          break;
        }
        begin_segment_line(ln, static_cast<char>(id));
        cur->bitrate = *n;
        break;
      }
      case tag_id::program_date_time: {
        if (cur->program_date_time) {
          duplicate(ln, name);
          keep_segment_verbatim(ln);
          break;
        }
        // Checked with integers only; the seconds are computed when asked for.
        if (!pdt_checker.valid(value))
          report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                    "invalid ISO 8601 date-time '" + std::string(value) + "'");
        begin_segment_line(ln, static_cast<char>(id));
        shares_.assign(cur->program_date_time.emplace().text, value);
        any_pdt = true;
        break;
      }
      case tag_id::key: {
        key k;
        parse_attrs(ln, name, k);
        if (!k.method)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error, "EXT-X-KEY requires METHOD");
        else if (*k.method == "NONE" && (k.uri || k.iv || k.keyformat || k.keyformatversions))
          report_at(ln, name.size() + 1, diag_code::attribute_not_allowed, severity::error,
                    "EXT-X-KEY with METHOD=NONE takes no other attribute");
        else if (*k.method != "NONE" && !k.uri)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-KEY requires URI unless METHOD is NONE");
        if (k.iv && !any_iv) {
          any_iv = true;
          iv_line = ln.number;
        }
        begin_segment_line(ln, static_cast<char>(id));
        cur->keys.push_back(std::move(k));
        break;
      }
      case tag_id::map: {
        if (cur->map) {
          duplicate(ln, name);
          keep_segment_verbatim(ln);
          break;
        }
        init_section m;
        parse_attrs(ln, name, m);
        if (!m.uri)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error, "EXT-X-MAP requires URI");
        if (!any_map) {
          any_map = true;
          map_line = ln.number;
        }
        begin_segment_line(ln, static_cast<char>(id));
        cur->map = std::move(m);
        break;
      }
      case tag_id::daterange: {
        date_range dr;
        parse_attrs(ln, name, dr);
        if (!dr.id)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error, "EXT-X-DATERANGE requires ID");
        if (!daterange_line) daterange_line = ln.number;
        begin_segment_line(ln, static_cast<char>(id));
        cur->dateranges.push_back(std::move(dr));
        break;
      }
      case tag_id::part: {
        partial_segment p;
        parse_attrs(ln, name, p);
        if (!p.uri || !p.duration)
          report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                    "EXT-X-PART requires URI and DURATION");
        if (!part_line) part_line = ln.number;
        begin_segment_line(ln, static_cast<char>(id));
        cur->parts.push_back(std::move(p));
        break;
      }
      default: {
        // Playlist-level tags.
        flush_pending_to_playlist();
        bool kept = true;
        switch (id) {
          case tag_id::version:
          case tag_id::independent_segments:
          case tag_id::start:
          case tag_id::define:
            kept = common_tag(id, ln, name, pl);
            if (kept && cur_started) cur->origin.line_kinds += kind_foreign;
            if (kept && id == tag_id::version) version_seen_ = *pl.version;
            break;
          case tag_id::targetduration: {
            if (pl.target_duration) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            auto n = parse_decimal_integer(value);
            if (!n) {
              n = parse_float_ceil_u64(value);
              if (n) {
                report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::warning,
                          "EXT-X-TARGETDURATION should be an integer; read as " + std::to_string(*n));
              }
            }
            if (!n) {
              report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                        "invalid EXT-X-TARGETDURATION '" + std::string(value) + "'");
              kept = false;
              break;
            }
            pl.target_duration = *n;
            playlist_tag_layout(ln, id, 0);
            break;
          }
          case tag_id::media_sequence:
          case tag_id::discontinuity_sequence: {
            auto& field = id == tag_id::media_sequence ? pl.media_sequence : pl.discontinuity_sequence;
            if (field) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            auto n = parse_decimal_integer(value);
            if (!n) {
              report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                        "invalid " + std::string(name) + " '" + std::string(value) + "'");
              kept = false;
              break;
            }
            if (seen_uri)
              report_at(ln, 0, diag_code::tag_after_segment, severity::error,
                        std::string(name) + " must appear before the first media segment");
            if (id == tag_id::discontinuity_sequence && discontinuity_seen)
              report_at(ln, 0, diag_code::tag_after_segment, severity::error,
                        "EXT-X-DISCONTINUITY-SEQUENCE must appear before any EXT-X-DISCONTINUITY");
            field = *n;
            (id == tag_id::media_sequence ? msn_line : dsn_line) = ln.number;
            playlist_tag_layout(ln, id, 0);
            break;
          }
          case tag_id::endlist:
            if (pl.endlist) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            flag_tag_value_check(ln, name);
            pl.endlist = true;
            endlist_line = ln.number;
            playlist_tag_layout(ln, id, 0);
            break;
          case tag_id::i_frames_only:
            if (pl.i_frames_only) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            flag_tag_value_check(ln, name);
            pl.i_frames_only = true;
            playlist_tag_layout(ln, id, 0);
            break;
          case tag_id::playlist_type:
            if (pl.playlist_type) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            if (value != "VOD" && value != "EVENT") {
              report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                        "EXT-X-PLAYLIST-TYPE must be VOD or EVENT, got '" + std::string(value) + "'");
              kept = false;
              break;
            }
            pl.playlist_type = std::string(value);
            playlist_tag_layout(ln, id, 0);
            break;
          case tag_id::allow_cache:
            report_at(ln, 0, diag_code::removed_tag, severity::warning,
                      "EXT-X-ALLOW-CACHE was removed in protocol version 7");
            if (pl.allow_cache) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            if (value != "YES" && value != "NO") {
              report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                        "EXT-X-ALLOW-CACHE must be YES or NO");
              kept = false;
              break;
            }
            pl.allow_cache = std::string(value);
            playlist_tag_layout(ln, id, 0);
            break;
          case tag_id::part_inf: {
            if (pl.part_inf) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            part_information pi;
            parse_attrs(ln, name, pi);
            if (!pi.part_target)
              report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                        "EXT-X-PART-INF requires PART-TARGET");
            pl.part_inf = std::move(pi);
            playlist_tag_layout(ln, id, 0);
            break;
          }
          case tag_id::server_control: {
            if (pl.server_control) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            hlspp::server_control sc;
            parse_attrs(ln, name, sc);
            pl.server_control = std::move(sc);
            playlist_tag_layout(ln, id, 0);
            break;
          }
          case tag_id::skip: {
            if (pl.skip) {
              duplicate(ln, name);
              kept = false;
              break;
            }
            skip_info sk;
            parse_attrs(ln, name, sk);
            if (!sk.skipped_segments)
              report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                        "EXT-X-SKIP requires SKIPPED-SEGMENTS");

            skip_line = ln.number;
            pl.skip = std::move(sk);
            playlist_tag_layout(ln, id, 0);
            break;
          }
          case tag_id::preload_hint: {
            preload_hint h;
            parse_attrs(ln, name, h);
            if (!h.type || !h.uri)
              report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                        "EXT-X-PRELOAD-HINT requires TYPE and URI");
            if (!hint_line) hint_line = ln.number;
            playlist_tag_layout(ln, id, pl.preload_hints.size());
            pl.preload_hints.push_back(std::move(h));
            break;
          }
          case tag_id::rendition_report: {
            rendition_report r;
            parse_attrs(ln, name, r);
            if (!r.uri)
              report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                        "EXT-X-RENDITION-REPORT requires URI");
            playlist_tag_layout(ln, id, pl.rendition_reports.size());
            pl.rendition_reports.push_back(std::move(r));
            break;
          }
          default:
            kept = false;
            break;
        }
        if (!kept) {
          // Already reported; keep the line's bytes where it stood.
          add_layout(ln, tag_id::extra, pl.extras.size(), layout);
          pl.extras.push_back(make_extra(ln, extra_line::kind::verbatim));
          if (cur_started) cur->origin.line_kinds += kind_foreign;
        }
        break;
      }
    }
  }
  if (!m3u_checked) layout.extm3u_missing = true;
  flush_pending_to_playlist();
  if (cur_started) {
    // Tags after the last URI line (LL-HLS parts of the open segment, date ranges...).
    line_view last{};
    // The block ends at the last line that belongs to it: recompute from the kinds.
    std::size_t p = cur_first.offset;
    std::uint32_t n = cur_first.number - 1;
    line_view walk;
    std::size_t count = 0;
    while (count < cur->origin.line_kinds.size() && next_line(text_, p, n, walk)) {
      last = walk;
      ++count;
    }
    cur->has_extinf = have_extinf;
    close_block(*cur, last);
    pl.trailing = std::move(*cur);
  } else {
    pl.trailing.has_extinf = false;
  }
  pl.segments.pop_back();  // the open segment

  // Whole-playlist rules.
  const bool strict_target = true;
  if (!pl.target_duration) {
    report(diag_code::missing_target_duration, severity::error, 1, 1, "EXT-X-TARGETDURATION is required");
  } else if (strict_target) {
    const double td = static_cast<double>(*pl.target_duration);
    // From version 6 the rule compares the rounded duration; before, the duration itself.
    const double longest = version_seen_ >= 6 ? std::round(max_duration) : max_duration;
    if (longest > td + 1e-9 && std::round(max_duration) > td)
      report(diag_code::extinf_exceeds_target_duration, severity::error, max_duration_line, 1,
             "segment duration " + std::to_string(max_duration) + " exceeds EXT-X-TARGETDURATION " +
                 std::to_string(*pl.target_duration));
  }
  const std::uint64_t v = pl.version.value_or(1);
  auto need = [&](std::uint64_t min, std::uint32_t line, const char* what) {
    if (v >= min) return;
    report(pl.version ? diag_code::version_too_low : diag_code::version_missing,
           pl.version ? severity::error : severity::warning, line, 1,
           std::string(what) + " needs EXT-X-VERSION " + std::to_string(min) + " or higher");
  };
  if (any_iv) need(2, iv_line, "an EXT-X-KEY IV");
  if (any_float_duration) need(3, float_line, "a decimal EXTINF duration");
  if (any_byterange) need(4, byterange_line, "EXT-X-BYTERANGE");
  if (pl.i_frames_only) need(4, 1, "EXT-X-I-FRAMES-ONLY");
  if (any_map) need(pl.i_frames_only ? 5 : 6, map_line, "EXT-X-MAP");
  if (!pl.defines.empty()) need(8, 1, "EXT-X-DEFINE");
  if (pl.skip) need(9, skip_line, "EXT-X-SKIP");
  if (daterange_line && !any_pdt)
    report(diag_code::daterange_without_program_date_time, severity::error, daterange_line, 1,
           "a playlist with EXT-X-DATERANGE needs an EXT-X-PROGRAM-DATE-TIME");
  if (part_line && !pl.part_inf)
    report(diag_code::part_without_part_inf, severity::error, part_line, 1,
           "EXT-X-PART requires EXT-X-PART-INF");
  if (hint_line && pl.endlist)
    report(diag_code::preload_hint_with_endlist, severity::error, hint_line, 1,
           "EXT-X-PRELOAD-HINT must not appear with EXT-X-ENDLIST");
  (void)extinf_line;
  (void)endlist_line;
  (void)msn_line;
  (void)dsn_line;
  (void)first_segment_line;
  layout.crlf = text_has_crlf_;
  return finish(std::move(pl));
}

}  // namespace hlspp::detail
