// SPDX-License-Identifier: MIT
#pragma once

// Shared machinery of the Python bindings (hlspp._core).
//
// Object model. Every model struct T is exposed through a `ref<T>`: either an
// owned T (a Segment() built in Python, a parsed playlist) or a borrowed pointer
// into the storage of its parent (pl.segments[3], seg.map), which it keeps alive
// through `keep`. Borrowed refs are listed in a registry by address so that
//  - the same element always gives the same Python object while one is alive;
//  - when a container is changed (insert, delete, reallocation) every borrowed
//    ref into it is moved to the element's new address, and a ref to an element
//    that is removed or replaced takes ownership of it (so `s = pl.segments[0];
//    del pl.segments[0]; s.uri` is the removed segment, never freed memory).
// Nothing is copied into Python objects up front: pl.segments is a view.
//
// Threads. Parsing and large serializations run with the GIL released. A
// serialization reads the model without the GIL, so every mutation made through
// the bindings takes `mutation_guard`, which waits for running serializations.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

// Only the headers the bindings use (not hlspp.hpp), so the extension builds from
// exactly what it exposes.
#include <hlspp/compare.hpp>
#include <hlspp/diagnostics.hpp>
#include <hlspp/master_playlist.hpp>
#include <hlspp/media_playlist.hpp>
#include <hlspp/parse.hpp>
#include <hlspp/playlist.hpp>
#include <hlspp/serialize.hpp>
#include <hlspp/types.hpp>
#include <hlspp/uri.hpp>
#include <hlspp/variables.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hlspp_py {

namespace py = pybind11;

// ---- The playlists as Python sees them -----------------------------------------

/// A parsed media playlist plus what the Python API keeps beside it.
struct media_box : hlspp::media_playlist {
  std::optional<std::string> base_uri;
  hlspp::diagnostics diagnostics;
};

/// A parsed multivariant playlist plus what the Python API keeps beside it.
struct master_box : hlspp::master_playlist {
  std::optional<std::string> base_uri;
  hlspp::diagnostics diagnostics;
};

// ---- Text -------------------------------------------------------------------

/// UTF-8 bytes to str; bytes that are not UTF-8 (possible only after a lenient
/// parse of bytes) become lone surrogates, as with errors="surrogateescape".
inline py::str to_str(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

inline std::string type_name(py::handle h) { return Py_TYPE(h.ptr())->tp_name; }

/// A str as UTF-8 (lone surrogates from surrogateescape turn back into their bytes).
inline std::string str_to_utf8(py::handle h) {
  Py_ssize_t n = 0;
  if (const char* p = PyUnicode_AsUTF8AndSize(h.ptr(), &n)) return std::string(p, static_cast<std::size_t>(n));
  PyErr_Clear();
  PyObject* b = PyUnicode_AsEncodedString(h.ptr(), "utf-8", "surrogateescape");
  if (!b) throw py::error_already_set();
  auto bytes = py::reinterpret_steal<py::object>(b);
  return std::string(PyBytes_AS_STRING(b), static_cast<std::size_t>(PyBytes_GET_SIZE(b)));
}

/// Playlist text given as str, bytes, bytearray or memoryview. The view stays
/// valid while this object (and the caller's argument) lives; str and bytes are
/// not copied.
class text_input {
 public:
  explicit text_input(py::handle h) {
    if (PyUnicode_Check(h.ptr())) {
      Py_ssize_t n = 0;
      if (const char* p = PyUnicode_AsUTF8AndSize(h.ptr(), &n)) {
        keep_ = py::reinterpret_borrow<py::object>(h);
        view_ = std::string_view(p, static_cast<std::size_t>(n));
        return;
      }
      PyErr_Clear();
      copy_ = str_to_utf8(h);
    } else if (PyBytes_Check(h.ptr())) {
      keep_ = py::reinterpret_borrow<py::object>(h);
      view_ = std::string_view(PyBytes_AS_STRING(h.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(h.ptr())));
      return;
    } else if (PyByteArray_Check(h.ptr()) || PyMemoryView_Check(h.ptr())) {
      auto b = py::reinterpret_steal<py::object>(PyBytes_FromObject(h.ptr()));
      if (!b) throw py::error_already_set();
      copy_.assign(PyBytes_AS_STRING(b.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(b.ptr())));
    } else {
      throw py::type_error("playlist text must be str or bytes, not " + type_name(h));
    }
    view_ = copy_;
  }
  [[nodiscard]] std::string_view view() const noexcept { return view_; }

 private:
  py::object keep_;
  std::string copy_;
  std::string_view view_;
};

// ---- Diagnostics and errors ------------------------------------------------------

inline std::optional<hlspp::diag_code> code_from_name(std::string_view name) {
  for (unsigned i = 0; i < 4096; ++i) {
    auto code = static_cast<hlspp::diag_code>(i);
    std::string_view n = hlspp::code_name(code);
    if (n == "unknown") break;
    if (n == name) return code;
  }
  return std::nullopt;
}

inline std::optional<hlspp::severity> severity_from_name(std::string_view name) {
  for (auto s : {hlspp::severity::info, hlspp::severity::warning, hlspp::severity::error})
    if (hlspp::severity_name(s) == name) return s;
  return std::nullopt;
}

inline py::list diagnostics_to_list(const hlspp::diagnostics& list) {
  py::list out(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) out[i] = py::cast(list[i]);
  return out;
}

/// Raises hlspp.<cls>(message, code=..., line=..., ...) from hlspp/_errors.py.
[[noreturn]] inline void raise_error(const char* cls_name, const hlspp::diagnostic& d,
                                     const hlspp::diagnostics* all = nullptr) {
  py::object cls = py::module_::import("hlspp._errors").attr(cls_name);
  py::dict kw;
  kw["code"] = std::string(hlspp::code_name(d.code));
  kw["severity"] = std::string(hlspp::severity_name(d.severity));
  kw["line"] = d.line;
  kw["column"] = d.column;
  kw["diagnostic"] = py::cast(d);
  if (all) kw["diagnostics"] = diagnostics_to_list(*all);
  py::object exc = cls(to_str(d.message), **kw);
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

// ---- Threads ---------------------------------------------------------------------

struct serialization_lock {
  std::shared_mutex mutex;
  std::atomic<int> readers{0};
};

inline serialization_lock& model_lock() {
  static auto* lock = new serialization_lock;  // never destroyed: used until the process ends
  return *lock;
}

/// Taken (with the GIL held) around every change of a model's memory. Waits only
/// while a serialization runs without the GIL. Never run Python code under it.
class mutation_guard {
 public:
  mutation_guard() {
    if (model_lock().readers.load(std::memory_order_acquire) > 0)
      lock_ = std::unique_lock<std::shared_mutex>(model_lock().mutex);
  }

 private:
  std::unique_lock<std::shared_mutex> lock_;
};

/// Releases the GIL for a read-only pass over the model (serialization).
class reading_without_gil {
 public:
  reading_without_gil() : counted_(), release_(), lock_(model_lock().mutex) {}

 private:
  struct counter {
    counter() { model_lock().readers.fetch_add(1, std::memory_order_acq_rel); }
    ~counter() { model_lock().readers.fetch_sub(1, std::memory_order_acq_rel); }
    counter(const counter&) = delete;
    counter& operator=(const counter&) = delete;
  };
  counter counted_;                           // destroyed last, with the GIL held again
  py::gil_scoped_release release_;            // the GIL comes back after the lock is gone
  std::shared_lock<std::shared_mutex> lock_;  // taken without the GIL
};

// ---- Refs and their registry -------------------------------------------------------

/// Recycled blocks of `Size` bytes for refs and the registry's entries, which a loop
/// over a playlist's elements makes and frees once per element. Used with the GIL
/// held (as is everything that makes or frees a ref); at most `kept` blocks wait on
/// the free list, the rest go back to the heap.
template <std::size_t Size>
class block_pool {
 public:
  static void* take() {
    if (node* n = head_) {
      head_ = n->next;
      --count_;
      return n;
    }
    return ::operator new(Size);
  }
  static void give(void* p) noexcept {
    if (count_ >= kept) {
      ::operator delete(p);
      return;
    }
    auto* n = static_cast<node*>(p);
    n->next = head_;
    head_ = n;
    ++count_;
  }

 private:
  static constexpr std::size_t kept = 1024;
  struct node {
    node* next;
  };
  static_assert(Size >= sizeof(node));
  static inline node* head_ = nullptr;
  static inline std::size_t count_ = 0;
};

/// An allocator taking single objects from block_pool (the registry's tree nodes).
template <class T>
struct pooled_allocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
  pooled_allocator() noexcept = default;
  template <class U>
  pooled_allocator(const pooled_allocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    if (n == 1) return static_cast<T*>(block_pool<sizeof(T)>::take());
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1)
      block_pool<sizeof(T)>::give(p);
    else
      std::allocator<T>().deallocate(p, n);
  }
  template <class U>
  friend bool operator==(const pooled_allocator&, const pooled_allocator<U>&) noexcept {
    return true;
  }
  template <class U>
  friend bool operator!=(const pooled_allocator&, const pooled_allocator<U>&) noexcept {
    return false;
  }
};

struct ref_base;
using registry_t = std::multimap<std::uintptr_t, ref_base*, std::less<std::uintptr_t>,
                                 pooled_allocator<std::pair<const std::uintptr_t, ref_base*>>>;

inline registry_t& registry() {
  static auto* r = new registry_t;  // never destroyed: refs may outlive static destructors
  return *r;
}

inline std::uintptr_t address(const void* p) noexcept { return reinterpret_cast<std::uintptr_t>(p); }

/// One address per type, to tell ref types apart without RTTI.
template <class T>
inline const char type_tag = 0;

/// Python objects whose references must be dropped only after a mutation is done.
using deferred = std::vector<py::object>;

struct ref_base {
  void* ptr = nullptr;      // the object
  const void* tag;          // &type_tag<T>
  PyObject* self = nullptr; // the Python wrapper of a borrowed ref
  py::object keep;          // borrowed: the parent's wrapper, kept alive
  bool listed = false;      // borrowed refs are listed in the registry
  registry_t::iterator where{};

  explicit ref_base(const void* t) : tag(t) {}
  ref_base(const ref_base&) = delete;
  ref_base& operator=(const ref_base&) = delete;
  virtual ~ref_base() { unlist(); }

  void list_at(void* p) {
    ptr = p;
    where = registry().emplace(address(p), this);
    listed = true;
  }
  void unlist() {
    if (listed) {
      registry().erase(where);
      listed = false;
    }
  }
  void move_to(void* p) {
    unlist();
    list_at(p);
  }
  /// The element is about to be destroyed: move it into storage of our own.
  virtual void take_ownership(deferred& drop) = 0;
};

template <class T>
struct ref final : ref_base {
  std::unique_ptr<T> owned;

  static void* operator new(std::size_t size) {
    return size == sizeof(ref) ? block_pool<sizeof(ref)>::take() : ::operator new(size);
  }
  static void operator delete(void* p, std::size_t size) noexcept {
    if (size == sizeof(ref))
      block_pool<sizeof(ref)>::give(p);
    else
      ::operator delete(p);
  }

  ref() : ref_base(&type_tag<T>) {}
  explicit ref(T value) : ref_base(&type_tag<T>), owned(std::make_unique<T>(std::move(value))) {
    ptr = owned.get();
  }
  [[nodiscard]] T& get() const noexcept { return *static_cast<T*>(ptr); }

  void take_ownership(deferred& drop) override {
    unlist();
    owned = std::make_unique<T>(std::move(get()));
    ptr = owned.get();
    if (keep) drop.push_back(std::move(keep));
  }
};

/// A new Python object owning `value`.
template <class T>
py::object own(T value) {
  auto r = std::make_unique<ref<T>>(std::move(value));
  return py::cast(std::move(r));
}

/// The Python object for `obj`, which lives inside the object wrapped by `parent`.
template <class T>
py::object borrow(T& obj, py::handle parent) {
  auto& reg = registry();
  auto range = reg.equal_range(address(&obj));
  for (auto it = range.first; it != range.second; ++it)
    if (it->second->tag == &type_tag<T>) return py::reinterpret_borrow<py::object>(it->second->self);
  auto r = std::make_unique<ref<T>>();
  ref<T>* raw = r.get();
  raw->keep = py::reinterpret_borrow<py::object>(parent);
  py::object o = py::cast(std::move(r));
  raw->self = o.ptr();
  raw->list_at(&obj);
  return o;
}

struct found_ref {
  ref_base* r;
  std::size_t index;   // which element
  std::size_t offset;  // byte offset inside it (0 for the element itself)
};

/// Every listed ref pointing into the `count` objects of `size` bytes at `base`.
inline std::vector<found_ref> refs_in(const void* base, std::size_t size, std::size_t count) {
  std::vector<found_ref> out;
  if (count == 0) return out;
  const std::uintptr_t lo = address(base), hi = lo + size * count;
  auto& reg = registry();
  for (auto it = reg.lower_bound(lo); it != reg.end() && it->first < hi; ++it) {
    const std::uintptr_t d = it->first - lo;
    out.push_back({it->second, d / size, d % size});
  }
  return out;
}

/// The `count` objects at `first` are about to be destroyed or overwritten: every
/// ref into them takes ownership of what it refers to (an element ref takes the
/// whole element, and refs to parts of it follow it).
template <class T>
void release(T* first, std::size_t count, deferred& drop) {
  auto found = refs_in(first, sizeof(T), count);
  if (found.empty()) return;
  std::vector<std::pair<std::size_t, char*>> moved;  // element index -> its new storage
  for (auto& f : found) {
    if (f.offset == 0 && f.r->tag == &type_tag<T>) {
      f.r->take_ownership(drop);
      moved.emplace_back(f.index, static_cast<char*>(f.r->ptr));
      f.r = nullptr;
    }
  }
  for (auto& f : found) {
    if (!f.r) continue;
    char* base = nullptr;
    for (auto& [index, storage] : moved)
      if (index == f.index) base = storage;
    if (base)
      f.r->move_to(base + f.offset);
    else
      f.r->take_ownership(drop);
  }
}

/// Replaces vec[start, stop) with `values`, keeping every ref valid (see above).
template <class T>
void replace_range(std::vector<T>& vec, std::size_t start, std::size_t stop, std::vector<T> values,
                   deferred& drop) {
  release(vec.data() + start, stop - start, drop);
  const std::size_t removed = stop - start, added = values.size();
  const bool moves = removed != added || vec.size() - removed + added > vec.capacity();
  std::vector<found_ref> survivors;
  if (moves) {
    survivors = refs_in(vec.data(), sizeof(T), vec.size());
    for (auto& s : survivors) s.r->unlist();
  }
  if (removed == added) {
    std::move(values.begin(), values.end(), vec.begin() + static_cast<std::ptrdiff_t>(start));
  } else {
    vec.erase(vec.begin() + static_cast<std::ptrdiff_t>(start), vec.begin() + static_cast<std::ptrdiff_t>(stop));
    vec.insert(vec.begin() + static_cast<std::ptrdiff_t>(start), std::make_move_iterator(values.begin()),
               std::make_move_iterator(values.end()));
  }
  for (auto& s : survivors) {
    const std::size_t index = s.index < start ? s.index : s.index - removed + added;
    s.r->list_at(reinterpret_cast<char*>(vec.data() + index) + s.offset);
  }
}

/// Reverses vec in place; refs follow their elements.
template <class T>
void reverse_elements(std::vector<T>& vec) {
  auto found = refs_in(vec.data(), sizeof(T), vec.size());
  for (auto& f : found) f.r->unlist();
  std::reverse(vec.begin(), vec.end());
  const std::size_t n = vec.size();
  for (auto& f : found) f.r->list_at(reinterpret_cast<char*>(vec.data() + (n - 1 - f.index)) + f.offset);
}

/// Replaces an optional sub-object (seg.map = ..., pl.start = None); `slot` is a
/// std::optional<S> or an hlspp::boxed_optional<S>.
template <class Slot, class S>
void replace_optional(Slot& slot, std::optional<S> value, deferred& drop) {
  if (slot) release(&*slot, 1, drop);
  slot = std::move(value);
}

/// Replaces a sub-object that is always there (pl.trailing = ...).
template <class S>
void replace_inline(S& slot, S value, deferred& drop) {
  release(&slot, 1, drop);
  slot = std::move(value);
}

}  // namespace hlspp_py
