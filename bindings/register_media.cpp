// SPDX-License-Identifier: MIT
// Segment, SegmentList and MediaPlaylist.

#include "playlist.hpp"
#include "register.hpp"

#include <new>

namespace hlspp_py {

namespace {

std::size_t segment_index(const media_box& pl, Py_ssize_t index) {
  return normalize_index(index, pl.segments.size(), "segment");
}

// ---- Fast paths for reading segments (issue 7's Python target) -------------------------
//
// `for s in pl.segments: s.uri, s.duration` is the common way to read a playlist. Through
// pybind11 every step is a call through its dispatcher (argument casters, overload
// resolution) and every Segment object is made by a generic cast; here the three
// hot spots are plain CPython slots with the same behaviour:
//  - SegmentList.__iter__ returns a C iterator (tp_iternext);
//  - SegmentList.__getitem__ with an int is a METH_O method (slices go the generic way);
//  - Segment.uri and Segment.duration are getset descriptors;
// and the Segment objects are made with the type info looked up once. Identity, the
// registry of borrowed refs and the mutation semantics are those of borrow() and the
// generic properties (bindings/common.hpp, bindings/model.hpp).

using segment_ref = ref<hlspp::media_segment>;
using segment_view = list_view<hlspp::media_segment>;

PyTypeObject* segment_type = nullptr;
const py::detail::type_info* segment_tinfo = nullptr;
PyTypeObject* segment_view_type = nullptr;
PyTypeObject* segment_iterator_type = nullptr;

/// Runs f (returning a new reference or nullptr with an error set), turning C++
/// exceptions into Python ones the way pybind11's dispatcher does.
template <class F>
PyObject* guarded(F&& f) noexcept {
  try {
    return f();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (...) {
    try {
      py::detail::try_translate_exceptions();
    } catch (...) {
      PyErr_SetString(PyExc_SystemError, "hlspp: untranslatable C++ exception");
    }
  }
  return nullptr;
}

/// The C++ object of a pybind11 instance of exactly `type` (simple layout), or nullptr.
template <class T>
T* value_of(PyObject* self, PyTypeObject* type) noexcept {
  if (Py_TYPE(self) != type) return nullptr;
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  if (!inst->simple_layout) return nullptr;
  return static_cast<T*>(inst->simple_value_holder[0]);
}

segment_ref& segment_of(PyObject* self) {
  if (auto* r = value_of<segment_ref>(self, segment_type)) return *r;
  return py::handle(self).cast<segment_ref&>();  // subclasses, uninitialized objects: pybind11's checks
}

const segment_view& view_of(PyObject* self) {
  if (auto* v = value_of<segment_view>(self, segment_view_type)) return *v;
  return py::handle(self).cast<const segment_view&>();
}

// ---- Segment objects made and freed without pybind11's bookkeeping ----------------------
//
// A Segment made by borrow_segment() is a pybind11 instance of exactly Segment in the
// simple layout ([ref*][unique_ptr<ref>], owned), which is all pybind11 needs to use it
// (casts to ref&, properties, methods, subclass checks). What is left out is what
// costs most when a loop makes one object per segment: the lookups of the type's
// layout (all_type_info) and the entry in pybind11's table of registered instances,
// which only serves to find the Python object of a C++ pointer cast with a reference
// policy -- never done for refs: bindings/common.hpp's registry does that job.
// Such an object is freed by segment_dealloc (the type's tp_dealloc), which destroys
// the holder as pybind11's dealloc would; every other Segment object (made by
// pybind11: Segment(), copies, subclasses, or with weak references) goes to
// pybind11's own tp_dealloc. install_fast_paths checks the layout assumptions on a
// real instance and keeps the generic path when they do not hold.

using segment_holder = std::unique_ptr<segment_ref>;
static_assert(sizeof(segment_holder) <= sizeof(void*) * py::detail::instance_simple_holder_in_ptrs(),
              "the holder must fit the simple layout");

destructor pybind11_segment_dealloc = nullptr;  // the type's tp_dealloc as pybind11 made it
bool lean_segments = false;                     // the layout checks passed

segment_holder& holder_of(py::detail::instance* inst) noexcept {
  return *std::launder(reinterpret_cast<segment_holder*>(&inst->simple_value_holder[1]));
}

/// A new Segment object owning `r` (a new reference).
PyObject* new_segment_object(segment_holder& r) {
  if (!lean_segments) {
    py::handle h = py::detail::type_caster_generic::cast(r.get(), py::return_value_policy::take_ownership,
                                                         py::handle(), segment_tinfo, nullptr, nullptr, &r);
    if (!h) throw py::error_already_set();
    return h.ptr();
  }
  PyObject* o = segment_type->tp_alloc(segment_type, 0);  // zeroed; holds a reference to the type
  if (!o) throw py::error_already_set();
  auto* inst = reinterpret_cast<py::detail::instance*>(o);
  inst->simple_layout = true;
  inst->owned = true;
  inst->simple_value_holder[0] = r.get();
  new (&inst->simple_value_holder[1]) segment_holder(std::move(r));
  inst->simple_holder_constructed = true;
  return o;
}

/// Segment's tp_dealloc: the objects of new_segment_object here, every other one
/// through pybind11.
void segment_dealloc(PyObject* self) {
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  PyTypeObject* type = Py_TYPE(self);
  if (type != segment_type || !inst->simple_layout || inst->simple_instance_registered ||
      !inst->simple_holder_constructed || inst->weakrefs || inst->has_patients) {
    pybind11_segment_dealloc(self);
    return;
  }
  // The ref's destructor may run Python code (it drops the parent): an exception
  // being raised is kept aside meanwhile.
  PyObject *exc_type = nullptr, *exc_value = nullptr, *exc_tb = nullptr;
  const bool raising = PyErr_Occurred() != nullptr;
  if (raising) PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
  holder_of(inst).~segment_holder();
  inst->simple_holder_constructed = false;
  inst->simple_value_holder[0] = nullptr;
  if (raising)
    PyErr_Restore(exc_type, exc_value, exc_tb);
  else if (PyErr_Occurred())
    PyErr_Clear();  // as pybind11's dealloc (error_scope) does
  type->tp_free(self);
  Py_DECREF(type);
}

/// Whether Segment objects made by pybind11 have the layout new_segment_object makes.
bool lean_layout_holds(py::handle segment_class) {
  PyTypeObject* type = segment_type;
  if (PyType_HasFeature(type, Py_TPFLAGS_HAVE_GC) || type->tp_dictoffset != 0 ||
      type->tp_basicsize != static_cast<Py_ssize_t>(sizeof(py::detail::instance)) ||
      type->tp_alloc != PyType_GenericAlloc || type->tp_dealloc == nullptr)
    return false;
  py::object probe = segment_class();
  auto* inst = reinterpret_cast<py::detail::instance*>(probe.ptr());
  return Py_TYPE(probe.ptr()) == type && inst->simple_layout && inst->owned && inst->simple_holder_constructed &&
         inst->simple_instance_registered && !inst->has_patients && !inst->is_alias &&
         inst->simple_value_holder[0] == holder_of(inst).get();
}

/// borrow(seg, parent) without pybind11's generic cast (a new reference).
PyObject* borrow_segment(hlspp::media_segment& seg, PyObject* parent) {
  auto& reg = registry();
  auto range = reg.equal_range(address(&seg));
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second->tag == &type_tag<hlspp::media_segment>) {
      Py_INCREF(it->second->self);
      return it->second->self;
    }
  }
  auto r = std::make_unique<segment_ref>();
  segment_ref* raw = r.get();
  raw->keep = py::reinterpret_borrow<py::object>(parent);
  PyObject* o = new_segment_object(r);
  raw->self = o;
  raw->list_at(&seg);
  return o;
}

// Segment.uri / Segment.duration

PyObject* get_uri(PyObject* self, void*) {
  return guarded([&] { return to_str(segment_of(self).get().uri).release().ptr(); });
}

int set_uri(PyObject* self, PyObject* value, void*) {
  if (!value) {
    PyErr_SetString(PyExc_AttributeError, "can't delete attribute");
    return -1;
  }
  PyObject* r = guarded([&] {
    auto& seg = segment_of(self);
    std::string v = conv<std::string>::from(value, "Segment.uri");
    mutation_guard guard;
    seg.get().uri = std::move(v);
    Py_INCREF(Py_None);
    return Py_None;
  });
  if (!r) return -1;
  Py_DECREF(r);
  return 0;
}

PyObject* get_duration(PyObject* self, void*) {
  return guarded([&] { return PyFloat_FromDouble(segment_of(self).get().duration); });
}

int set_duration(PyObject* self, PyObject* value, void*) {
  if (!value) {
    PyErr_SetString(PyExc_AttributeError, "can't delete attribute");
    return -1;
  }
  PyObject* r = guarded([&] {
    auto& seg = segment_of(self);
    double v = conv<double>::from(value, "Segment.duration");
    mutation_guard guard;
    seg.get().duration = v;
    seg.get().has_extinf = true;
    Py_INCREF(Py_None);
    return Py_None;
  });
  if (!r) return -1;
  Py_DECREF(r);
  return 0;
}

PyGetSetDef segment_getset[] = {
    {"uri", get_uri, set_uri, "The URI line, as written (relative URIs stay relative).", nullptr},
    {"duration", get_duration, set_duration, "EXTINF duration in seconds (setting it sets has_extinf).", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

// Segment's tp_getattro: s.uri and s.duration go straight to get_uri/get_duration
// (the names as the interpreter passes them, interned), skipping the generic lookup
// through the type's MRO; anything else, a subclass, or a Segment class whose
// uri/duration are no longer these descriptors takes the generic path. The check
// of the class is redone whenever its version tag changes (any change to the class
// or its bases resets it).

getattrofunc segment_generic_getattro = nullptr;
PyObject* uri_name = nullptr;        // interned "uri"
PyObject* duration_name = nullptr;   // interned "duration"
PyObject* uri_descr = nullptr;       // the descriptors installed below
PyObject* duration_descr = nullptr;
unsigned int checked_version_tag = 0;  // the class's version tag when last seen unchanged

bool own_descriptors_in_place() {
  const unsigned int tag = segment_type->tp_version_tag;
  if (tag != 0 && tag == checked_version_tag) return true;
  if (tag == 0) return false;  // changed and not looked up since: the generic path assigns a new tag
  PyObject* dict = segment_type->tp_dict;
  PyObject* u = PyDict_GetItemWithError(dict, uri_name);
  PyObject* d = u ? PyDict_GetItemWithError(dict, duration_name) : nullptr;
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return false;
  }
  if (u != uri_descr || d != duration_descr) return false;
  checked_version_tag = tag;
  return true;
}

PyObject* segment_getattro(PyObject* self, PyObject* name) {
  if (Py_TYPE(self) == segment_type && (name == uri_name || name == duration_name) && own_descriptors_in_place())
    return name == uri_name ? get_uri(self, nullptr) : get_duration(self, nullptr);
  return segment_generic_getattro(self, name);
}

// SegmentList.__getitem__(int)

PyObject* segments_getitem(PyObject* self, PyObject* index) {
  return guarded([&]() -> PyObject* {
    const segment_view& view = view_of(self);
    if (PySlice_Check(index)) return view_getitem<hlspp::media_segment>(view, index).release().ptr();
    Py_ssize_t i = PyNumber_AsSsize_t(index, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred()) return nullptr;
    auto& vec = view.vec();
    return borrow_segment(vec[normalize_index(i, vec.size(), "SegmentList")], view.owner_obj.ptr());
  });
}

PyMethodDef segments_getitem_def = {"__getitem__", segments_getitem, METH_O,
                                    "The segment at an index (a live object), or a list of them for a slice."};

// iter(SegmentList)

struct segment_iterator {
  PyObject_HEAD
  PyObject* view;  // the SegmentList, kept alive (it keeps the playlist alive)
  std::size_t next;
};

void segment_iterator_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  Py_XDECREF(reinterpret_cast<segment_iterator*>(self)->view);
  type->tp_free(self);
  Py_DECREF(type);
}

PyObject* segment_iterator_next(PyObject* self) {
  auto* it = reinterpret_cast<segment_iterator*>(self);
  if (!it->view) return nullptr;
  return guarded([&]() -> PyObject* {
    const segment_view& view = view_of(it->view);
    auto& vec = view.vec();  // looked up each time: the list may change while iterating
    if (it->next >= vec.size()) {
      Py_CLEAR(it->view);
      return nullptr;  // StopIteration
    }
    return borrow_segment(vec[it->next++], view.owner_obj.ptr());
  });
}

PyType_Slot segment_iterator_slots[] = {
    {Py_tp_dealloc, reinterpret_cast<void*>(segment_iterator_dealloc)},
    {Py_tp_iter, reinterpret_cast<void*>(PyObject_SelfIter)},
    {Py_tp_iternext, reinterpret_cast<void*>(segment_iterator_next)},
    {0, nullptr},
};

PyType_Spec segment_iterator_spec = {"hlspp._core._SegmentIterator", sizeof(segment_iterator), 0,
                                     Py_TPFLAGS_DEFAULT, segment_iterator_slots};

void install_fast_paths(py::module_& m) {
  auto segment = m.attr("Segment");
  auto list = m.attr("SegmentList");
  segment_type = reinterpret_cast<PyTypeObject*>(segment.ptr());
  segment_view_type = reinterpret_cast<PyTypeObject*>(list.ptr());
  segment_tinfo = py::detail::get_type_info(typeid(segment_ref));
  if (!segment_tinfo) throw std::runtime_error("hlspp: Segment is not registered");
  if (lean_layout_holds(segment)) {
    pybind11_segment_dealloc = segment_type->tp_dealloc;
    segment_type->tp_dealloc = segment_dealloc;
    lean_segments = true;
  }

  for (PyGetSetDef* d = segment_getset; d->name; ++d) {
    auto descr = py::reinterpret_steal<py::object>(PyDescr_NewGetSet(segment_type, d));
    if (!descr) throw py::error_already_set();
    py::setattr(segment, d->name, descr);
  }
  if (segment_type->tp_getattro == PyObject_GenericGetAttr) {
    uri_name = PyUnicode_InternFromString("uri");
    duration_name = PyUnicode_InternFromString("duration");
    if (!uri_name || !duration_name) throw py::error_already_set();
    py::object members = segment.attr("__dict__");
    uri_descr = py::object(members["uri"]).release().ptr();  // references kept for the process's life
    duration_descr = py::object(members["duration"]).release().ptr();
    segment_generic_getattro = segment_type->tp_getattro;
    segment_type->tp_getattro = segment_getattro;
  }
  auto getitem = py::reinterpret_steal<py::object>(PyDescr_NewMethod(segment_view_type, &segments_getitem_def));
  if (!getitem) throw py::error_already_set();
  py::setattr(list, "__getitem__", getitem);

  auto iter_type = py::reinterpret_steal<py::object>(PyType_FromSpec(&segment_iterator_spec));
  if (!iter_type) throw py::error_already_set();
  segment_iterator_type = reinterpret_cast<PyTypeObject*>(iter_type.release().ptr());  // lives as long as the process
  py::setattr(list, "__iter__",
              py::cpp_function(
                  [](py::handle self) -> py::object {
                    (void)view_of(self.ptr());  // TypeError for anything else
                    auto* it = PyObject_New(segment_iterator, segment_iterator_type);
                    if (!it) throw py::error_already_set();
                    Py_INCREF(self.ptr());
                    it->view = self.ptr();
                    it->next = 0;
                    return py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(it));
                  },
                  py::name("__iter__"), py::is_method(list)));
}

}  // namespace

void register_media(py::module_& m) {
  auto segment = bind_model<hlspp::media_segment>(
      m,
      "One media segment: its URI line and every tag before it, as written (a KEY or MAP is on\n"
      "the segment it precedes; MediaPlaylist.effective_keys()/effective_map() give what applies).");
  segment.def_property(
      "key",
      [](py::handle self) -> py::object {
        auto& seg = self.cast<ref<hlspp::media_segment>&>().get();
        return seg.keys.empty() ? py::object(py::none()) : borrow(seg.keys.front(), self);
      },
      [](ref<hlspp::media_segment>& self, py::handle value) {
        std::vector<hlspp::key> keys;
        if (!value.is_none()) keys.push_back(value_from<hlspp::key>(value, "Segment.key"));
        deferred drop;
        mutation_guard guard;
        auto& vec = self.get().keys.storage();
        replace_range(vec, 0, vec.size(), std::move(keys), drop);
      },
      "The first EXT-X-KEY written before this segment, or None (setting it replaces `keys`).");
  // Giving a segment a duration or title gives it an EXTINF line (a segment parsed
  // leniently without one would otherwise keep a value its text cannot show).
  segment.def_property(
      "duration", [](const ref<hlspp::media_segment>& self) { return self.get().duration; },
      [](ref<hlspp::media_segment>& self, py::handle value) {
        double v = conv<double>::from(value, "Segment.duration");
        mutation_guard guard;
        self.get().duration = v;
        self.get().has_extinf = true;
      },
      "EXTINF duration in seconds (setting it sets has_extinf).");
  segment.def_property(
      "title", [](const ref<hlspp::media_segment>& self) { return to_str(self.get().title); },
      [](ref<hlspp::media_segment>& self, py::handle value) {
        std::string v = conv<std::string>::from(value, "Segment.title");
        mutation_guard guard;
        self.get().title = std::move(v);
        self.get().has_extinf = true;
      },
      "EXTINF title (setting it sets has_extinf).");
  initializers<hlspp::media_segment>()["key"] = [](hlspp::media_segment& seg, py::handle value) {
    seg.keys.clear();
    if (!value.is_none()) seg.keys.push_back(value_from<hlspp::key>(value, "Segment.key"));
  };

  auto cls = bind_model<media_box>(
      m,
      "A media playlist. Parse one with hlspp.parse() or build one: MediaPlaylist(target_duration=6, ...).\n"
      "`segments` is a live, mutable view; edits show in dumps().");
  bind_playlist_common(cls);
  cls.def("__repr__", [](const ref<media_box>& self) {
    const auto& pl = self.get();
    std::string out = "<MediaPlaylist segments=" + std::to_string(pl.segments.size());
    if (pl.target_duration) out += " target_duration=" + std::to_string(*pl.target_duration);
    if (pl.media_sequence) out += " media_sequence=" + std::to_string(*pl.media_sequence);
    if (pl.playlist_type) out += " playlist_type=" + *pl.playlist_type;
    out += pl.endlist ? " endlist=True" : " endlist=False";
    if (pl.base_uri) out += " base_uri=" + py::repr(to_str(*pl.base_uri)).cast<std::string>();
    return out + ">";
  });
  cls.def(
      "total_duration", [](const ref<media_box>& self) { return self.get().total_duration(); },
      "The sum of the segment durations, in seconds.");
  cls.def(
      "sequence_number",
      [](const ref<media_box>& self, Py_ssize_t index) {
        return self.get().sequence_number(segment_index(self.get(), index));
      },
      py::arg("index"), "The media sequence number of segments[index].");
  cls.def(
      "effective_keys",
      [](py::handle self, Py_ssize_t index) {
        auto& pl = self.cast<ref<media_box>&>().get();
        const std::size_t i = segment_index(pl, index);
        py::list out;
        for (std::size_t k = i + 1; k-- > 0;) {
          if (pl.segments[k].keys.empty()) continue;
          py::object seg = borrow(pl.segments[k], self);
          for (auto& key : pl.segments[k].keys) out.append(borrow(key, seg));
          break;
        }
        return out;
      },
      py::arg("index"), "The EXT-X-KEY tags in effect for segments[index] (empty: none).");
  cls.def(
      "effective_map",
      [](py::handle self, Py_ssize_t index) -> py::object {
        auto& pl = self.cast<ref<media_box>&>().get();
        const std::size_t i = segment_index(pl, index);
        for (std::size_t k = i + 1; k-- > 0;) {
          if (!pl.segments[k].map) continue;
          py::object seg = borrow(pl.segments[k], self);
          return borrow(*pl.segments[k].map, seg);
        }
        return py::none();
      },
      py::arg("index"), "The EXT-X-MAP in effect for segments[index], or None.");

  install_fast_paths(m);
}

}  // namespace hlspp_py
