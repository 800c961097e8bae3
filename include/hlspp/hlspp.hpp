// SPDX-License-Identifier: MIT
#pragma once

/// @file hlspp.hpp
/// hlspp: HLS playlists, parsed losslessly, written back exactly, and more.
///
///     #include <hlspp/hlspp.hpp>
///     auto parsed = hlspp::parse(text);                  // never throws
///     if (!parsed) std::cerr << parsed.error().to_string();
///     auto& media = parsed->media();                     // or ->master()
///     media.segments[0].uri = "https://cdn.example/0.ts";
///     std::string out = hlspp::to_string(*parsed);       // unchanged lines byte for byte

#include "compact.hpp"
#include "compare.hpp"
#include "diagnostics.hpp"
#include "live.hpp"
#include "master_playlist.hpp"
#include "merge.hpp"
#include "media_playlist.hpp"
#include "parse.hpp"
#include "playlist.hpp"
#include "rebase.hpp"
#include "serialize.hpp"
#include "shared_string.hpp"
#include "types.hpp"
#include "uri.hpp"
#include "validate.hpp"
#include "variables.hpp"
#include "version.hpp"
