// SPDX-License-Identifier: MIT
#pragma once

/// @file playlist.hpp
/// `playlist` (a master or a media playlist), the non-throwing `result<T>`, and
/// the options and limits of parsing.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "diagnostics.hpp"
#include "master_playlist.hpp"
#include "media_playlist.hpp"

namespace hlspp {

namespace detail {
/// The text a playlist was parsed from, shared (immutably) by the playlist, its
/// copies and any playlist built from its elements (e.g. by merge).
struct source_buffer {
  shared_string text;
  std::uint32_t id = 0;
};

inline std::uint32_t next_source_id() noexcept {
  static std::atomic<std::uint32_t> counter{0};
  std::uint32_t id = ++counter;
  if (id == 0) id = ++counter;  // 0 means "no source"; skip it on wrap-around
  return id;
}
}  // namespace detail

enum class playlist_kind : std::uint8_t { master, media };

/// A parsed or built playlist: either a master (multivariant) or a media playlist.
class playlist {
 public:
  playlist() = default;
  playlist(master_playlist m) : value_(std::move(m)) {}  // NOLINT: implicit by design
  playlist(media_playlist m) : value_(std::move(m)) {}   // NOLINT: implicit by design

  [[nodiscard]] playlist_kind kind() const noexcept {
    return value_.index() == 0 ? playlist_kind::master : playlist_kind::media;
  }
  [[nodiscard]] bool is_master() const noexcept { return value_.index() == 0; }
  [[nodiscard]] bool is_media() const noexcept { return value_.index() == 1; }

  /// The master playlist; throws std::bad_variant_access when this is a media playlist.
  [[nodiscard]] master_playlist& master() { return std::get<master_playlist>(value_); }
  [[nodiscard]] const master_playlist& master() const { return std::get<master_playlist>(value_); }
  [[nodiscard]] media_playlist& media() { return std::get<media_playlist>(value_); }
  [[nodiscard]] const media_playlist& media() const { return std::get<media_playlist>(value_); }

  [[nodiscard]] master_playlist* as_master() noexcept { return std::get_if<master_playlist>(&value_); }
  [[nodiscard]] const master_playlist* as_master() const noexcept {
    return std::get_if<master_playlist>(&value_);
  }
  [[nodiscard]] media_playlist* as_media() noexcept { return std::get_if<media_playlist>(&value_); }
  [[nodiscard]] const media_playlist* as_media() const noexcept {
    return std::get_if<media_playlist>(&value_);
  }

  [[nodiscard]] std::variant<master_playlist, media_playlist>& get() noexcept { return value_; }
  [[nodiscard]] const std::variant<master_playlist, media_playlist>& get() const noexcept {
    return value_;
  }

 private:
  std::variant<master_playlist, media_playlist> value_;
};

/// A value or the error that prevented it, plus every diagnostic collected on the
/// way (for a successful parse: the warnings and, below strict, the errors).
template <class T, class Error = parse_error>
class result {
 public:
  result(T value, hlspp::diagnostics diags = {})
      : value_(std::move(value)), diagnostics_(std::move(diags)) {}
  result(diagnostic error, hlspp::diagnostics diags)
      : error_(std::move(error)), diagnostics_(std::move(diags)) {}

  [[nodiscard]] bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  /// The value; throws Error (with the error's line/column/code) if there is none.
  [[nodiscard]] T& value() & {
    if (!value_) throw Error(*error_);
    return *value_;
  }
  [[nodiscard]] const T& value() const& {
    if (!value_) throw Error(*error_);
    return *value_;
  }
  [[nodiscard]] T&& value() && {
    if (!value_) throw Error(*error_);
    return std::move(*value_);
  }
  [[nodiscard]] T& operator*() & { return value(); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  /// `*parse(text)` moves the value out of the temporary (as std::optional does).
  [[nodiscard]] T&& operator*() && { return std::move(*this).value(); }
  [[nodiscard]] T* operator->() { return &value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }

  /// The error that stopped it (only when !ok()).
  [[nodiscard]] const diagnostic& error() const { return *error_; }
  [[nodiscard]] const hlspp::diagnostics& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::optional<T> value_;
  std::optional<diagnostic> error_;
  hlspp::diagnostics diagnostics_;
};

/// Limits on untrusted input. Exceeding one is an error at every strictness level
/// (the parse stops there, so time and memory stay bounded).
struct parse_limits {
  std::size_t max_input_bytes = std::size_t{64} << 20;  // 64 MiB
  std::size_t max_line_bytes = std::size_t{1} << 20;    // 1 MiB
  std::size_t max_lines = 4'000'000;
  std::size_t max_segments = 1'000'000;
  std::size_t max_diagnostics = 1000;  // further diagnostics are counted, not stored
};

struct parse_options {
  hlspp::strictness strictness = strictness::normal;
  parse_limits limits;
  /// When set, a playlist of the other kind is an error.
  std::optional<playlist_kind> expected_kind;
};

using parse_result = result<playlist>;

}  // namespace hlspp
