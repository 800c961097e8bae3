// SPDX-License-Identifier: MIT
#pragma once

/// @file compact.hpp
/// One-pointer-wide containers for the members most elements leave empty.
///
/// Why: a media playlist is mostly segments, and most segments carry a URI, a
/// duration and perhaps a date-time, nothing else. Their KEY, MAP, DATERANGE, part
/// and kept-line members were inline (a 104-byte optional<init_section> and four
/// 24-byte vectors), so every segment paid ~200 bytes for what few use: the parsed
/// model was 4.5x the size of its text. These keep such a member one pointer wide,
/// null while empty, and put what is there on the heap.
///
/// - `compact_vector<T>`: the std::vector interface (iterators are `T*`), with the
///   elements in a heap std::vector made on first insert. Converts implicitly to
///   `const std::vector<T>&`; `storage()` gives the std::vector to mutate directly.
/// - `boxed_optional<T>`: the std::optional interface, the value on the heap.
///
/// Moving either moves the pointer: the elements keep their addresses (which the
/// Python bindings' live views rely on). Copies are deep.

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace hlspp {

template <class T>
class compact_vector {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  compact_vector() noexcept = default;
  compact_vector(std::initializer_list<T> init) {
    if (init.size() != 0) v_ = new std::vector<T>(init);
  }
  compact_vector(std::vector<T> v) {  // NOLINT: implicit, as code written for std::vector expects
    if (!v.empty()) v_ = new std::vector<T>(std::move(v));
  }
  template <class It, class = typename std::iterator_traits<It>::iterator_category>
  compact_vector(It first, It last) {
    if (first != last) v_ = new std::vector<T>(first, last);
  }
  compact_vector(const compact_vector& o) : v_(o.empty() ? nullptr : new std::vector<T>(*o.v_)) {}
  compact_vector(compact_vector&& o) noexcept : v_(std::exchange(o.v_, nullptr)) {}
  compact_vector& operator=(const compact_vector& o) {
    if (this != &o) compact_vector(o).swap(*this);
    return *this;
  }
  compact_vector& operator=(compact_vector&& o) noexcept {
    if (this != &o) {
      delete v_;
      v_ = std::exchange(o.v_, nullptr);
    }
    return *this;
  }
  compact_vector& operator=(std::vector<T> v) {
    compact_vector(std::move(v)).swap(*this);
    return *this;
  }
  compact_vector& operator=(std::initializer_list<T> init) {
    compact_vector(init).swap(*this);
    return *this;
  }
  ~compact_vector() { delete v_; }

  void swap(compact_vector& o) noexcept { std::swap(v_, o.v_); }
  friend void swap(compact_vector& a, compact_vector& b) noexcept { a.swap(b); }

  /// The elements as a std::vector (an empty one while there are none).
  [[nodiscard]] const std::vector<T>& as_vector() const noexcept { return v_ ? *v_ : empty_vector(); }
  operator const std::vector<T>&() const noexcept { return as_vector(); }  // NOLINT: implicit by design
  /// The std::vector holding the elements, made (empty) if there is none yet.
  [[nodiscard]] std::vector<T>& storage() {
    if (!v_) v_ = new std::vector<T>;
    return *v_;
  }

  [[nodiscard]] size_type size() const noexcept { return v_ ? v_->size() : 0; }
  [[nodiscard]] bool empty() const noexcept { return !v_ || v_->empty(); }
  [[nodiscard]] size_type capacity() const noexcept { return v_ ? v_->capacity() : 0; }
  [[nodiscard]] size_type max_size() const noexcept { return empty_vector().max_size(); }

  [[nodiscard]] T* data() noexcept { return v_ ? v_->data() : nullptr; }
  [[nodiscard]] const T* data() const noexcept { return v_ ? v_->data() : nullptr; }
  [[nodiscard]] iterator begin() noexcept { return data(); }
  [[nodiscard]] iterator end() noexcept { return data() + size(); }
  [[nodiscard]] const_iterator begin() const noexcept { return data(); }
  [[nodiscard]] const_iterator end() const noexcept { return data() + size(); }
  [[nodiscard]] const_iterator cbegin() const noexcept { return begin(); }
  [[nodiscard]] const_iterator cend() const noexcept { return end(); }
  [[nodiscard]] reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  [[nodiscard]] reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  [[nodiscard]] const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  [[nodiscard]] const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }

  [[nodiscard]] T& operator[](size_type i) noexcept { return (*v_)[i]; }
  [[nodiscard]] const T& operator[](size_type i) const noexcept { return (*v_)[i]; }
  [[nodiscard]] T& at(size_type i) {
    check(i);
    return (*v_)[i];
  }
  [[nodiscard]] const T& at(size_type i) const {
    check(i);
    return (*v_)[i];
  }
  [[nodiscard]] T& front() noexcept { return v_->front(); }
  [[nodiscard]] const T& front() const noexcept { return v_->front(); }
  [[nodiscard]] T& back() noexcept { return v_->back(); }
  [[nodiscard]] const T& back() const noexcept { return v_->back(); }

  void push_back(const T& value) { storage().push_back(value); }
  void push_back(T&& value) { storage().push_back(std::move(value)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return storage().emplace_back(std::forward<Args>(args)...);
  }
  void pop_back() noexcept { v_->pop_back(); }
  /// Removes every element and gives the storage back (the member is one null pointer again).
  void clear() noexcept {
    delete v_;
    v_ = nullptr;
  }
  void reserve(size_type n) {
    if (n != 0) storage().reserve(n);
  }
  void resize(size_type n) {
    if (n == 0) clear();
    else storage().resize(n);
  }
  void resize(size_type n, const T& value) {
    if (n == 0) clear();
    else storage().resize(n, value);
  }
  void shrink_to_fit() {
    if (v_) v_->shrink_to_fit();
  }
  template <class It, class = typename std::iterator_traits<It>::iterator_category>
  void assign(It first, It last) {
    compact_vector(first, last).swap(*this);
  }
  void assign(std::initializer_list<T> init) { compact_vector(init).swap(*this); }

  iterator insert(const_iterator pos, const T& value) { return emplace(pos, value); }
  iterator insert(const_iterator pos, T&& value) { return emplace(pos, std::move(value)); }
  template <class It, class = typename std::iterator_traits<It>::iterator_category>
  iterator insert(const_iterator pos, It first, It last) {
    const auto at = index_of(pos);
    auto& v = storage();
    v.insert(v.begin() + at, first, last);
    return data() + at;
  }
  iterator insert(const_iterator pos, std::initializer_list<T> init) { return insert(pos, init.begin(), init.end()); }
  template <class... Args>
  iterator emplace(const_iterator pos, Args&&... args) {
    const auto at = index_of(pos);
    auto& v = storage();
    v.emplace(v.begin() + at, std::forward<Args>(args)...);
    return data() + at;
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    const auto at = index_of(first);
    if (first == last) return data() + at;
    v_->erase(v_->begin() + at, v_->begin() + index_of(last));
    return data() + at;
  }

  friend bool operator==(const compact_vector& a, const compact_vector& b) { return a.as_vector() == b.as_vector(); }
  friend bool operator!=(const compact_vector& a, const compact_vector& b) { return !(a == b); }
  friend bool operator<(const compact_vector& a, const compact_vector& b) { return a.as_vector() < b.as_vector(); }
  friend bool operator==(const compact_vector& a, const std::vector<T>& b) { return a.as_vector() == b; }
  friend bool operator==(const std::vector<T>& a, const compact_vector& b) { return a == b.as_vector(); }
  friend bool operator!=(const compact_vector& a, const std::vector<T>& b) { return !(a == b); }
  friend bool operator!=(const std::vector<T>& a, const compact_vector& b) { return !(a == b); }

 private:
  static const std::vector<T>& empty_vector() noexcept {
    static const std::vector<T> none;
    return none;
  }
  [[nodiscard]] difference_type index_of(const_iterator p) const noexcept { return p - begin(); }
  void check(size_type i) const {
    if (i >= size()) throw std::out_of_range("hlspp::compact_vector::at: index out of range");
  }

  std::vector<T>* v_ = nullptr;
};

template <class T>
class boxed_optional {
 public:
  using value_type = T;

  boxed_optional() noexcept = default;
  boxed_optional(std::nullopt_t) noexcept {}                        // NOLINT: implicit, as std::optional
  boxed_optional(const T& value) : p_(new T(value)) {}               // NOLINT
  boxed_optional(T&& value) : p_(new T(std::move(value))) {}         // NOLINT
  boxed_optional(const std::optional<T>& o) : p_(o ? new T(*o) : nullptr) {}       // NOLINT
  boxed_optional(std::optional<T>&& o) : p_(o ? new T(std::move(*o)) : nullptr) {}  // NOLINT
  boxed_optional(const boxed_optional& o) : p_(o.p_ ? new T(*o.p_) : nullptr) {}
  boxed_optional(boxed_optional&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  boxed_optional& operator=(const boxed_optional& o) {
    if (this != &o) boxed_optional(o).swap(*this);
    return *this;
  }
  boxed_optional& operator=(boxed_optional&& o) noexcept {
    if (this != &o) {
      delete p_;
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  boxed_optional& operator=(std::nullopt_t) noexcept {
    reset();
    return *this;
  }
  boxed_optional& operator=(const T& value) {
    if (p_) *p_ = value;
    else p_ = new T(value);
    return *this;
  }
  boxed_optional& operator=(T&& value) {
    if (p_) *p_ = std::move(value);
    else p_ = new T(std::move(value));
    return *this;
  }
  boxed_optional& operator=(std::optional<T> o) {
    if (o) *this = std::move(*o);
    else reset();
    return *this;
  }
  ~boxed_optional() { delete p_; }

  void swap(boxed_optional& o) noexcept { std::swap(p_, o.p_); }
  friend void swap(boxed_optional& a, boxed_optional& b) noexcept { a.swap(b); }

  template <class... Args>
  T& emplace(Args&&... args) {
    T* fresh = new T(std::forward<Args>(args)...);
    delete p_;
    p_ = fresh;
    return *p_;
  }
  void reset() noexcept {
    delete p_;
    p_ = nullptr;
  }

  [[nodiscard]] bool has_value() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  [[nodiscard]] T& operator*() noexcept { return *p_; }
  [[nodiscard]] const T& operator*() const noexcept { return *p_; }
  [[nodiscard]] T* operator->() noexcept { return p_; }
  [[nodiscard]] const T* operator->() const noexcept { return p_; }
  [[nodiscard]] T& value() {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  [[nodiscard]] const T& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  template <class U>
  [[nodiscard]] T value_or(U&& fallback) const {
    return p_ ? *p_ : static_cast<T>(std::forward<U>(fallback));
  }
  /// A std::optional copy.
  [[nodiscard]] std::optional<T> to_optional() const { return p_ ? std::optional<T>(*p_) : std::nullopt; }

  friend bool operator==(const boxed_optional& a, const boxed_optional& b) {
    return a.p_ && b.p_ ? *a.p_ == *b.p_ : a.p_ == b.p_;
  }
  friend bool operator!=(const boxed_optional& a, const boxed_optional& b) { return !(a == b); }
  friend bool operator==(const boxed_optional& a, std::nullopt_t) noexcept { return !a.p_; }
  friend bool operator==(std::nullopt_t, const boxed_optional& a) noexcept { return !a.p_; }
  friend bool operator!=(const boxed_optional& a, std::nullopt_t) noexcept { return a.p_ != nullptr; }
  friend bool operator!=(std::nullopt_t, const boxed_optional& a) noexcept { return a.p_ != nullptr; }
  friend bool operator==(const boxed_optional& a, const T& b) { return a.p_ && *a.p_ == b; }
  friend bool operator==(const T& a, const boxed_optional& b) { return b == a; }
  friend bool operator!=(const boxed_optional& a, const T& b) { return !(a == b); }
  friend bool operator!=(const T& a, const boxed_optional& b) { return !(b == a); }

 private:
  T* p_ = nullptr;
};

}  // namespace hlspp
