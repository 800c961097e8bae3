// SPDX-License-Identifier: MIT
// Rendition-group equivalence (rfc8216bis §4.4.6.1.1), shared by validate() (redundant
// copies in one playlist) and merge() (the copies it is about to pair).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "../master_playlist.hpp"

namespace hlspp::detail {

/// One rendition group: its TYPE, GROUP-ID and members in playlist order.
struct rendition_group {
  std::string type;
  std::string id;
  std::vector<const rendition*> members;
};

/// "" when the two members are equivalent for §4.4.6.1.1 (all attributes equal except
/// URI, CHANNELS, BIT-DEPTH, STABLE-RENDITION-ID, INSTREAM-ID and SAMPLE-RATE; unknown
/// attributes, which clients ignore, are not compared), else an attribute that differs.
[[nodiscard]] inline std::string rendition_difference(const rendition& a, const rendition& b) {
  if (!(a.language == b.language)) return "LANGUAGE";
  if (!(a.assoc_language == b.assoc_language)) return "ASSOC-LANGUAGE";
  if (a.is_default.value_or(false) != b.is_default.value_or(false)) return "DEFAULT";
  if (a.autoselect.value_or(false) != b.autoselect.value_or(false)) return "AUTOSELECT";
  if (a.forced.value_or(false) != b.forced.value_or(false)) return "FORCED";
  if (!(a.characteristics == b.characteristics)) return "CHARACTERISTICS";
  return {};
}

/// "" when two groups of one TYPE have the same members (by NAME) with equivalent
/// attributes, else why not.
[[nodiscard]] inline std::string groups_difference(const rendition_group& a, const rendition_group& b) {
  auto quoted = [](std::string_view s) { return "\"" + std::string(s) + "\""; };
  // Members pair by NAME; should a group repeat a NAME (which validate() reports), the
  // n-th of one pairs with the n-th of the other.
  auto find_member = [](const rendition_group& in, const rendition_group& from, const rendition* m) -> const rendition* {
    std::size_t nth = 0;
    for (const rendition* x : from.members) {
      if (x == m) break;
      if (x->name == m->name) ++nth;
    }
    for (const rendition* x : in.members)
      if (x->name == m->name && nth-- == 0) return x;
    return nullptr;
  };
  for (const rendition* m : b.members) {
    const rendition* peer = find_member(a, b, m);
    if (!peer) return "member " + quoted(m->name.value_or("")) + " is not in group " + quoted(a.id);
    std::string attr = rendition_difference(*peer, *m);
    if (!attr.empty()) return "member " + quoted(m->name.value_or("")) + " differs in " + attr;
  }
  for (const rendition* m : a.members)
    if (!find_member(b, a, m))
      return "member " + quoted(m->name.value_or("")) + " of group " + quoted(a.id) + " is missing";
  return {};
}

/// The members of group (type, id) in `renditions` (a vector, or merge()'s view of
/// one origin's renditions), in order.
template <class Renditions>
[[nodiscard]] rendition_group collect_group(const Renditions& renditions, std::string_view type, std::string_view id) {
  rendition_group g{std::string(type), std::string(id), {}};
  for (const auto& r : renditions)
    if (r.type && r.group_id && *r.type == type && *r.group_id == id) g.members.push_back(&r);
  return g;
}

}  // namespace hlspp::detail
