// SPDX-License-Identifier: MIT
//
// glibc compatibility for the statically linked C++ runtime (HLSPP_PYTHON_STATIC_RUNTIME).
//
// With -static-libstdc++ -static-libgcc, the code of libstdc++.a and libgcc_eh.a
// becomes part of hlspp._core, and so do its references into glibc. Built against a
// new glibc (Debian 12: 2.36), some of those references name symbol versions newer
// than manylinux_2_28 allows (AWS Lambda's Amazon Linux 2023 has glibc 2.34):
//
//   pthread_* moved from libpthread into libc in 2.34 (new default version GLIBC_2.34;
//     the old GLIBC_2.2.5 one is still exported, and on glibc < 2.34 lives in libpthread,
//     which the extension therefore lists as NEEDED)
//   __libc_single_threaded (2.32), _dl_find_object (2.35), arc4random (2.36) are new
//
// Each one is handled here, for every object of the link (ours and the static
// runtime's): the functions that exist in older glibc are pinned to their old version
// through `-Wl,--wrap=NAME` (bindings/CMakeLists.txt) and a __wrap_NAME below that
// calls NAME@<old version> (.symver); the three that do not exist before 2.32 get a
// local definition with the same meaning. `objdump -T _core*.so` and `auditwheel show`
// must then list nothing newer than GLIBC_2.28 (tests/python/test_wheel.py checks).
// The list is what a link without this file references (GCC 12.2, glibc 2.36: `objdump -T`
// showed exactly these twelve); another toolchain may need another entry, which
// test_wheel.py would report.
//
// Compiled with -fno-lto: the .symver directives must stay in this object file.
// x86_64 only (the version names below are x86_64's); on other platforms CMake leaves
// the option off.

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if !defined(__x86_64__) || !defined(__GLIBC__)
#error "glibc_compat.cpp is for x86_64 glibc only"
#endif

#define HLSPP_HIDDEN __attribute__((visibility("hidden")))

// NAME@VERSION under the local name hlspp_glibc_NAME, and __wrap_NAME calling it.
#define HLSPP_PIN(ret, name, version, params, args)                       \
  extern "C" ret hlspp_glibc_##name params;                               \
  __asm__(".symver hlspp_glibc_" #name "," #name "@" version);            \
  extern "C" HLSPP_HIDDEN ret __wrap_##name params { return hlspp_glibc_##name args; }

// ---- pthread: GLIBC_2.34 -> GLIBC_2.2.5 ------------------------------------------------
HLSPP_PIN(int, pthread_once, "GLIBC_2.2.5", (pthread_once_t * o, void (*f)()), (o, f))
HLSPP_PIN(int, pthread_key_create, "GLIBC_2.2.5", (pthread_key_t * k, void (*d)(void*)), (k, d))
HLSPP_PIN(int, __pthread_key_create, "GLIBC_2.2.5", (pthread_key_t * k, void (*d)(void*)), (k, d))
HLSPP_PIN(int, pthread_key_delete, "GLIBC_2.2.5", (pthread_key_t k), (k))
HLSPP_PIN(void*, pthread_getspecific, "GLIBC_2.2.5", (pthread_key_t k), (k))
HLSPP_PIN(int, pthread_setspecific, "GLIBC_2.2.5", (pthread_key_t k, const void* v), (k, v))
HLSPP_PIN(int, pthread_rwlock_rdlock, "GLIBC_2.2.5", (pthread_rwlock_t * l), (l))
HLSPP_PIN(int, pthread_rwlock_wrlock, "GLIBC_2.2.5", (pthread_rwlock_t * l), (l))
HLSPP_PIN(int, pthread_rwlock_unlock, "GLIBC_2.2.5", (pthread_rwlock_t * l), (l))

// ---- Symbols older glibc does not have --------------------------------------------------

// glibc >= 2.32 sets this to 1 while the process has a single thread, letting
// libstdc++ skip atomic instructions for reference counts. 0 ("maybe several
// threads") is always correct: the atomic path is taken.
extern "C" {
HLSPP_HIDDEN char __libc_single_threaded = 0;
}

// The unwinder of libgcc_eh (GCC >= 12, built against glibc >= 2.35) finds the
// .eh_frame_hdr of the object containing a PC with _dl_find_object and does NOT fall
// back to dl_iterate_phdr when it fails, so this one must work: it is built on
// dl_iterate_phdr (glibc 2.2.4), the way libgcc did it before _dl_find_object.
namespace {
struct find_request {
  std::uintptr_t pc;
  dl_find_object* result;
};

int find_callback(dl_phdr_info* info, std::size_t, void* data) {
  auto* req = static_cast<find_request*>(data);
  std::uintptr_t lo = UINTPTR_MAX, hi = 0;
  bool inside = false;
  const ElfW(Phdr)* eh = nullptr;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD) {
      const std::uintptr_t start = info->dlpi_addr + ph.p_vaddr, end = start + ph.p_memsz;
      if (req->pc >= start && req->pc < end) inside = true;
      if (start < lo) lo = start;
      if (end > hi) hi = end;
    } else if (ph.p_type == PT_GNU_EH_FRAME) {
      eh = &ph;
    }
  }
  if (!inside) return 0;
  std::memset(req->result, 0, sizeof *req->result);
  req->result->dlfo_map_start = reinterpret_cast<void*>(lo);
  req->result->dlfo_map_end = reinterpret_cast<void*>(hi);
  req->result->dlfo_link_map = nullptr;  // unused by the unwinder
  req->result->dlfo_eh_frame = eh ? reinterpret_cast<void*>(info->dlpi_addr + eh->p_vaddr) : nullptr;
  return 1;
}
}  // namespace

extern "C" HLSPP_HIDDEN int _dl_find_object(void* pc, dl_find_object* result) noexcept {
  find_request req{reinterpret_cast<std::uintptr_t>(pc), result};
  return dl_iterate_phdr(find_callback, &req) > 0 ? 0 : -1;
}

// std::random_device("default") may use arc4random; getrandom(2) gives the same.
extern "C" HLSPP_HIDDEN std::uint32_t arc4random() noexcept {
  std::uint32_t v = 0;
  auto* p = reinterpret_cast<unsigned char*>(&v);
  std::size_t got = 0;
  while (got < sizeof v) {
    const long n = syscall(SYS_getrandom, p + got, sizeof v - got, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      std::abort();  // as glibc's arc4random does when the kernel gives no randomness
    }
  }
  return v;
}
