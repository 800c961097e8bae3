// SPDX-License-Identifier: MIT
#pragma once

/// @file shared_string.hpp
/// `shared_string`: an immutable string whose bytes are shared, by reference count,
/// with its copies and, for the strings a parse produces, with the parsed text itself.
///
/// Why: a segment's URI, title and PROGRAM-DATE-TIME are most of a media playlist's
/// bytes. As std::string each was a heap allocation and a copy per segment, and the
/// parsed model held the text twice. A parsed shared_string points into the
/// playlist's copy of the text instead: parsing allocates nothing per segment, and
/// the model is about the size of the text. It stays safe to copy a segment out of
/// its playlist and drop the playlist: every shared_string holds a reference, so the
/// text lives while any string taken from it does (a single URI kept from a large
/// playlist keeps that playlist's text alive; `str()` makes an independent copy).
///
/// The value is immutable: assigning gives the string new bytes (its own block),
/// never writes into shared ones. Copies are cheap (one atomic increment) and may
/// be made and dropped from any thread.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <new>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

// For share_budget::assign, which the parser calls for every segment's URI, title
// and date from inside a loop so large that g++ stops inlining into it (the call cost
// ~3% of a parse's instructions). A compiler hint only; #undef'd at the end of this header.
#if defined(__GNUC__) || defined(__clang__)
#define HLSPP_DETAIL_HOT_INLINE __attribute__((always_inline))
#else
#define HLSPP_DETAIL_HOT_INLINE
#endif

namespace hlspp {

namespace detail {
/// Header of a block of shared bytes; the bytes follow it.
struct shared_block {
  std::atomic<std::size_t> refs{1};
  std::size_t size = 0;
  std::size_t capacity = 0;  // bytes allocated after the header (>= size)

  [[nodiscard]] char* bytes() noexcept { return reinterpret_cast<char*>(this + 1); }
  [[nodiscard]] const char* bytes() const noexcept { return reinterpret_cast<const char*>(this + 1); }

  /// A block holding a copy of `s`, with one reference.
  static shared_block* make(std::string_view s, std::size_t capacity = 0) {
    if (capacity < s.size()) capacity = s.size();
    void* memory = ::operator new(sizeof(shared_block) + capacity);
    auto* block = ::new (memory) shared_block;
    block->size = s.size();
    block->capacity = capacity;
    if (!s.empty()) std::memcpy(block->bytes(), s.data(), s.size());
    return block;
  }
  static void retain(shared_block* b) noexcept {
    if (b) b->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void release(shared_block* b, std::size_t n = 1) noexcept {
    if (b && n != 0 && b->refs.fetch_sub(n, std::memory_order_acq_rel) == n) {
      b->~shared_block();
      ::operator delete(static_cast<void*>(b));
    }
  }
};
class share_budget;
class release_batch;
class text_storage;
}  // namespace detail

class shared_string {
 public:
  using value_type = char;
  using size_type = std::size_t;
  using const_iterator = const char*;
  using iterator = const char*;
  static constexpr size_type npos = std::string_view::npos;

  shared_string() noexcept = default;
  shared_string(std::string_view s) { adopt_copy(s); }               // NOLINT: implicit by design
  shared_string(const std::string& s) { adopt_copy(s); }             // NOLINT
  shared_string(const char* s) { adopt_copy(std::string_view(s)); }  // NOLINT
  shared_string(const char* s, size_type n) { adopt_copy(std::string_view(s, n)); }
  shared_string(std::nullptr_t) = delete;

  shared_string(const shared_string& o) noexcept : block_(o.block_), offset_(o.offset_), size_(o.size_) {
    detail::shared_block::retain(block_);
  }
  shared_string(shared_string&& o) noexcept : block_(o.block_), offset_(o.offset_), size_(o.size_) {
    o.block_ = nullptr;
    o.offset_ = 0;
    o.size_ = 0;
  }
  shared_string& operator=(const shared_string& o) noexcept {
    detail::shared_block::retain(o.block_);  // before release: o may be *this
    detail::shared_block::release(block_);
    block_ = o.block_;
    offset_ = o.offset_;
    size_ = o.size_;
    return *this;
  }
  shared_string& operator=(shared_string&& o) noexcept {
    if (this != &o) {
      detail::shared_block::release(block_);
      block_ = o.block_;
      offset_ = o.offset_;
      size_ = o.size_;
      o.block_ = nullptr;
      o.offset_ = 0;
      o.size_ = 0;
    }
    return *this;
  }
  shared_string& operator=(std::string_view s) { return assign(s); }
  shared_string& operator=(const std::string& s) { return assign(s); }
  shared_string& operator=(const char* s) { return assign(std::string_view(s)); }
  shared_string& operator=(std::nullptr_t) = delete;
  ~shared_string() { detail::shared_block::release(block_); }

  /// New bytes of its own (`s` may point into this string's current bytes).
  shared_string& assign(std::string_view s) {
    shared_string fresh(s);
    swap(fresh);
    return *this;
  }
  void clear() noexcept { *this = shared_string(); }
  void swap(shared_string& o) noexcept {
    std::swap(block_, o.block_);
    std::swap(offset_, o.offset_);
    std::swap(size_, o.size_);
  }

  /// A string of the bytes `part`, sharing them when they lie within this string's
  /// bytes (no copy: how the parser makes a playlist's strings from its copy of the
  /// text), copying them otherwise.
  [[nodiscard]] shared_string share(std::string_view part) const {
    shared_string out;
    if (part.empty()) return out;
    const char* bytes = data();
    if (!block_ || part.data() < bytes || part.data() + part.size() > bytes + size_) return shared_string(part);
    detail::shared_block::retain(block_);
    out.block_ = block_;
    out.offset_ = static_cast<std::uint32_t>(part.data() - block_->bytes());
    out.size_ = static_cast<std::uint32_t>(part.size());
    return out;
  }
  /// The substring [pos, pos + n), sharing these bytes.
  [[nodiscard]] shared_string share_substr(size_type pos, size_type n = npos) const { return share(view().substr(pos, n)); }

  // ---- reading: what std::string_view offers ------------------------------------
  operator std::string_view() const noexcept { return {data(), size_}; }  // NOLINT: implicit by design
  [[nodiscard]] std::string_view view() const noexcept { return {data(), size_}; }
  /// An independent std::string copy.
  [[nodiscard]] std::string str() const { return std::string(data(), size_); }
  /// Implicit so that code written for std::string fields keeps compiling (a copy).
  operator std::string() const { return str(); }  // NOLINT: implicit by design

  [[nodiscard]] const char* data() const noexcept { return block_ ? block_->bytes() + offset_ : ""; }
  [[nodiscard]] size_type size() const noexcept { return size_; }
  [[nodiscard]] size_type length() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Strings are at most 4 GiB (as are the texts the parser takes: offsets are 32-bit).
  [[nodiscard]] static constexpr size_type max_size() noexcept { return 0xFFFFFFFFu; }
  [[nodiscard]] const char* begin() const noexcept { return data(); }
  [[nodiscard]] const char* end() const noexcept { return data() + size_; }
  [[nodiscard]] const char* cbegin() const noexcept { return begin(); }
  [[nodiscard]] const char* cend() const noexcept { return end(); }
  [[nodiscard]] char operator[](size_type i) const noexcept { return data()[i]; }
  [[nodiscard]] char front() const noexcept { return data()[0]; }
  [[nodiscard]] char back() const noexcept { return data()[size_ - 1]; }
  [[nodiscard]] std::string_view substr(size_type pos = 0, size_type n = npos) const { return view().substr(pos, n); }
  [[nodiscard]] size_type find(std::string_view s, size_type pos = 0) const noexcept { return view().find(s, pos); }
  [[nodiscard]] size_type find(char c, size_type pos = 0) const noexcept { return view().find(c, pos); }
  [[nodiscard]] size_type rfind(std::string_view s, size_type pos = npos) const noexcept { return view().rfind(s, pos); }
  [[nodiscard]] size_type rfind(char c, size_type pos = npos) const noexcept { return view().rfind(c, pos); }
  [[nodiscard]] size_type find_first_of(std::string_view s, size_type pos = 0) const noexcept {
    return view().find_first_of(s, pos);
  }
  [[nodiscard]] size_type find_first_not_of(std::string_view s, size_type pos = 0) const noexcept {
    return view().find_first_not_of(s, pos);
  }
  [[nodiscard]] size_type find_last_of(std::string_view s, size_type pos = npos) const noexcept {
    return view().find_last_of(s, pos);
  }
  [[nodiscard]] int compare(std::string_view s) const noexcept { return view().compare(s); }
  [[nodiscard]] bool starts_with(std::string_view s) const noexcept {
    return size_ >= s.size() && view().compare(0, s.size(), s) == 0;
  }
  [[nodiscard]] bool ends_with(std::string_view s) const noexcept {
    return size_ >= s.size() && view().compare(size_ - s.size(), s.size(), s) == 0;
  }
  /// Whether these bytes are shared with another string or a parsed text (diagnostics
  /// for tests and benchmarks; not part of the value).
  [[nodiscard]] bool shares_bytes() const noexcept { return block_ && block_->refs.load(std::memory_order_relaxed) > 1; }

  // ---- comparisons: by value --------------------------------------------------
  friend bool operator==(const shared_string& a, const shared_string& b) noexcept { return a.view() == b.view(); }
  friend bool operator!=(const shared_string& a, const shared_string& b) noexcept { return a.view() != b.view(); }
  friend bool operator<(const shared_string& a, const shared_string& b) noexcept { return a.view() < b.view(); }
  friend bool operator>(const shared_string& a, const shared_string& b) noexcept { return a.view() > b.view(); }
  friend bool operator<=(const shared_string& a, const shared_string& b) noexcept { return a.view() <= b.view(); }
  friend bool operator>=(const shared_string& a, const shared_string& b) noexcept { return a.view() >= b.view(); }
  friend bool operator==(const shared_string& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(std::string_view a, const shared_string& b) noexcept { return a == b.view(); }
  friend bool operator!=(const shared_string& a, std::string_view b) noexcept { return a.view() != b; }
  friend bool operator!=(std::string_view a, const shared_string& b) noexcept { return a != b.view(); }
  friend bool operator==(const shared_string& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const std::string& a, const shared_string& b) noexcept { return a == b.view(); }
  friend bool operator!=(const shared_string& a, const std::string& b) noexcept { return a.view() != b; }
  friend bool operator!=(const std::string& a, const shared_string& b) noexcept { return a != b.view(); }
  friend bool operator==(const shared_string& a, const char* b) noexcept { return a.view() == b; }
  friend bool operator==(const char* a, const shared_string& b) noexcept { return a == b.view(); }
  friend bool operator!=(const shared_string& a, const char* b) noexcept { return a.view() != b; }
  friend bool operator!=(const char* a, const shared_string& b) noexcept { return a != b.view(); }
  friend bool operator<(const shared_string& a, std::string_view b) noexcept { return a.view() < b; }
  friend bool operator<(std::string_view a, const shared_string& b) noexcept { return a < b.view(); }

  friend std::string operator+(const std::string& a, const shared_string& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    out.append(a).append(b.data(), b.size_);
    return out;
  }
  friend std::string operator+(const shared_string& a, const std::string& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    out.append(a.data(), a.size_).append(b);
    return out;
  }
  friend std::string operator+(const char* a, const shared_string& b) { return std::string(a) + b; }
  friend std::string operator+(const shared_string& a, const char* b) { return a + std::string(b); }
  friend std::string operator+(char a, const shared_string& b) { return std::string(1, a) + b; }
  friend std::string operator+(const shared_string& a, char b) { return a + std::string(1, b); }
  friend std::ostream& operator<<(std::ostream& os, const shared_string& s) { return os << s.view(); }

 private:
  friend class detail::share_budget;
  friend class detail::release_batch;
  friend class detail::text_storage;
  void adopt_copy(std::string_view s) {
    if (s.empty()) return;
    if (s.size() > max_size()) throw std::length_error("hlspp::shared_string: longer than 4 GiB");
    block_ = detail::shared_block::make(s);
    size_ = static_cast<std::uint32_t>(s.size());
  }

  // 16 bytes, not a pointer + size + block (24): a segment holds three of these.
  // The bytes are block_->bytes() + offset_; no block: empty.
  detail::shared_block* block_ = nullptr;
  std::uint32_t offset_ = 0;
  std::uint32_t size_ = 0;
};

inline void swap(shared_string& a, shared_string& b) noexcept { a.swap(b); }

namespace detail {
/// Shares parts of one string as shared_string::share() does, taking the references
/// in batches: one atomic add per `batch` strings instead of one per string (a parse
/// makes two or three strings per segment from its text, and an uncontended atomic
/// add still costs ~20 cycles). References taken and not handed out are given back
/// when the budget ends, so the count is exact again from then on; while it lasts the
/// count is only higher than the truth, never lower, so any string made from it may
/// be dropped at any time (a parse that fails half way drops its strings early).
class share_budget {
 public:
  share_budget() noexcept = default;
  explicit share_budget(const shared_string& whole, std::size_t batch = 1024) noexcept : batch_(batch == 0 ? 1 : batch) {
    whole_ = &whole;
  }
  share_budget(const share_budget&) = delete;
  share_budget& operator=(const share_budget&) = delete;
  ~share_budget() { give_back(); }

  /// Shares parts of `whole` from now on (it must outlive the budget or the next reset).
  void reset(const shared_string& whole) noexcept {
    give_back();
    whole_ = &whole;
  }

  /// `out = share(part)`, written straight into `out`. A shared_string is returned
  /// through memory, and the caller reading it back field by field right after the
  /// callee stored it stalls on store forwarding (seen in parse_media's profile).
  HLSPP_DETAIL_HOT_INLINE void assign(shared_string& out, std::string_view part) {
    shared_block* block = whole_->block_;
    const char* bytes = whole_->data();
    if (part.empty() || !block || part.data() < bytes || part.data() + part.size() > bytes + whole_->size_) {
      out = whole_->share(part);
      return;
    }
    if (unused_ == 0) {
      block->refs.fetch_add(batch_, std::memory_order_relaxed);
      unused_ = batch_;
    }
    --unused_;
    shared_block::release(out.block_);
    out.block_ = block;
    out.offset_ = static_cast<std::uint32_t>(part.data() - block->bytes());
    out.size_ = static_cast<std::uint32_t>(part.size());
  }

  /// What whole.share(part) gives.
  [[nodiscard]] shared_string share(std::string_view part) {
    shared_string out;
    assign(out, part);
    return out;
  }

 private:
  void give_back() noexcept {
    if (whole_) shared_block::release(whole_->block_, unused_);
    unused_ = 0;
  }

  const shared_string* whole_ = nullptr;
  std::size_t batch_ = 1024;
  std::size_t unused_ = 0;
};

/// Empties strings that are about to be destroyed and gives their references back in
/// one atomic subtraction per run of strings on the same block, not one per string:
/// destroying a parsed playlist would otherwise make two or three atomic decrements
/// per segment on its text's block (half the time its destruction took).
class release_batch {
 public:
  release_batch() noexcept = default;
  release_batch(const release_batch&) = delete;
  release_batch& operator=(const release_batch&) = delete;
  ~release_batch() { flush(); }

  void take(shared_string& s) noexcept {
    if (!s.block_) return;
    if (s.block_ != block_) {
      flush();
      block_ = s.block_;
    }
    ++count_;
    s.block_ = nullptr;
    s.offset_ = 0;
    s.size_ = 0;
  }

 private:
  void flush() noexcept {
    shared_block::release(block_, count_);
    block_ = nullptr;
    count_ = 0;
  }

  shared_block* block_ = nullptr;
  std::size_t count_ = 0;
};

/// The block of a parsed text, kept from one parse to the next (parse_recycling()):
/// re-reading a long playlist then copies it into memory it already has instead of
/// fresh pages. A block is kept only when nothing else holds it, and reused only when
/// the new text fits and does not leave most of it idle.
class text_storage {
 public:
  text_storage() noexcept = default;
  text_storage(const text_storage&) = delete;
  text_storage& operator=(const text_storage&) = delete;
  text_storage(text_storage&& o) noexcept : block_(o.block_) { o.block_ = nullptr; }
  text_storage& operator=(text_storage&& o) noexcept {
    std::swap(block_, o.block_);
    return *this;
  }
  ~text_storage() { shared_block::release(block_); }

  /// Keeps `text`'s block when `text` is its only holder (otherwise just drops it).
  void keep(shared_string&& text) noexcept {
    shared_block* block = text.block_;
    if (!block || block->refs.load(std::memory_order_acquire) != 1) return;  // text's destructor drops it
    text.block_ = nullptr;
    text.offset_ = 0;
    text.size_ = 0;
    shared_block::release(block_);
    block_ = block;
  }

  /// A string holding a copy of `s`: in the kept block when it fits, else in a new one
  /// with an eighth to spare (a live EVENT playlist grows a little on every reload).
  [[nodiscard]] shared_string copy(std::string_view s) {
    if (s.empty()) return shared_string();
    if (s.size() > shared_string::max_size()) throw std::length_error("hlspp::shared_string: longer than 4 GiB");
    shared_string out;
    if (block_ && block_->capacity >= s.size() && block_->capacity / 4 <= s.size()) {
      std::memmove(block_->bytes(), s.data(), s.size());  // `s` may lie in the kept block itself
      block_->size = s.size();
      out.block_ = block_;
      block_ = nullptr;
    } else {
      out.block_ = shared_block::make(s, s.size() + s.size() / 8);
    }
    out.size_ = static_cast<std::uint32_t>(s.size());
    return out;
  }

 private:
  shared_block* block_ = nullptr;  // one reference, ours
};
}  // namespace detail

}  // namespace hlspp

template <>
struct std::hash<hlspp::shared_string> {
  std::size_t operator()(const hlspp::shared_string& s) const noexcept { return std::hash<std::string_view>{}(s.view()); }
};

#undef HLSPP_DETAIL_HOT_INLINE
