/*
 * litebit_shim.h -- the litebit native shim: what the org.bytedeco:tensorflow-lite preset does
 * not map. Compiled by JavaCPP's Builder (javacpp Maven plugin, goal "build") into
 * libjnilitebit.so together with the JNI glue generated from io.litebit.nativelib.Shim.
 *
 * The shim does not link against the preset's libjnitensorflowlite.so. JavaCPP loads that
 * library with a plain System.load (RTLD_LOCAL) from its own cache directory, it has no SONAME,
 * so a DT_NEEDED entry could not be matched to the loaded copy and could even load TFLite a
 * second time. Instead litebit_bind() is given an address inside the loaded library's image (a
 * string literal or function of it; not a heap object such as DefaultErrorReporter()), finds the
 * file with dladdr(), obtains a handle with dlopen(RTLD_NOLOAD) and
 * looks every function up with dlsym(). A missing symbol is then a Java exception naming it,
 * never a "symbol lookup error" that kills the JVM at the first call.
 *
 * All functions are called from Java through JNI; the opaque TFLite pointers cross the boundary
 * as void*. Types and layouts: tflite_219_abi.h (pinned to TFLite 2.19.0).
 */
#ifndef LITEBIT_SHIM_H_
#define LITEBIT_SHIM_H_

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <new>

#include "tflite_219_abi.h"

namespace litebit_shim {

struct State {
  void* handle = nullptr;
  char library_path[4096] = {0};
  char error[2048] = {0};
  LitebitXnnpackOptionsDefaultFn xnnpack_options_default = nullptr;
  LitebitXnnpackCreateFn xnnpack_create = nullptr;
  LitebitXnnpackGetFlagsFn xnnpack_get_flags = nullptr;
  LitebitXnnpackGetOptionsFn xnnpack_get_options = nullptr;
  LitebitXnnpackDeleteFn xnnpack_delete = nullptr;
};

inline State& state() {
  static State s;
  return s;
}

inline void set_error(const char* what, const char* detail) {
  snprintf(state().error, sizeof(state().error), "%.512s%s%.1024s", what, detail ? ": " : "",
           detail ? detail : "");
}

inline void* lookup(const char* name) {
  State& s = state();
  if (s.handle == nullptr) {
    set_error("litebit shim is not bound to the TensorFlow Lite library (call litebit_bind first)",
              nullptr);
    return nullptr;
  }
  dlerror();
  void* symbol = dlsym(s.handle, name);
  if (symbol == nullptr) {
    const char* err = dlerror();
    snprintf(s.error, sizeof(s.error), "symbol %.256s not found in %.1024s: %.512s", name,
             s.library_path, err ? err : "(no dlerror)");
  }
  return symbol;
}

/* Measures how many bytes TfLiteXNNPackDelegateOptionsDefault() writes. */
inline int default_options_extent(LitebitXnnpackOptionsProbe* defaults_out) {
  int extent = 0;
  const unsigned char sentinels[2] = {0xA5, 0x5A};
  for (int k = 0; k < 2; k++) {
    // The probe must be the very buffer the callee writes to: fill it with the sentinel, then
    // construct the result in place (C++17 guaranteed copy elision makes the buffer the hidden
    // return-value pointer; an assignment could go through an uninitialised temporary).
    // XnnpackDelegateTest checks the measured extent (32 for 2.19).
    alignas(LitebitXnnpackOptionsProbe) unsigned char storage[sizeof(LitebitXnnpackOptionsProbe)];
    memset(storage, sentinels[k], sizeof(storage));
    // Compiler barrier: the new-expression below initialises the whole object, so without it
    // the optimiser may drop the memset as a dead store.
    __asm__ __volatile__("" : : "r"(storage) : "memory");
    LitebitXnnpackOptionsProbe* probe =
        new (storage) LitebitXnnpackOptionsProbe(state().xnnpack_options_default());
    __asm__ __volatile__("" : : "r"(storage) : "memory");
    int last = 0;
    for (int i = 0; i < LITEBIT_OPTIONS_PROBE_BYTES; i++) {
      if (storage[i] != sentinels[k]) last = i + 1;
    }
    if (last > extent) extent = last;
    if (k == 0 && defaults_out != nullptr) memcpy(defaults_out, probe, sizeof(*defaults_out));
  }
  return extent;
}

}  // namespace litebit_shim

/*
 * Binds the shim to the TFLite library that contains `anchor` (an address of any object or
 * function inside the preset's libjnitensorflowlite.so). Returns 0, or -1 with
 * litebit_last_error() set. Idempotent for the same library.
 */
inline int litebit_bind(void* anchor) {
  using namespace litebit_shim;
  State& s = state();
  Dl_info info;
  memset(&info, 0, sizeof(info));
  if (anchor == nullptr || dladdr(anchor, &info) == 0 || info.dli_fname == nullptr) {
    set_error("dladdr() could not find the library that contains the anchor address", nullptr);
    return -1;
  }
  void* handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) {
    set_error("dlopen(RTLD_NOLOAD) failed for the loaded TensorFlow Lite library", dlerror());
    return -1;
  }
  s.handle = handle;
  snprintf(s.library_path, sizeof(s.library_path), "%s", info.dli_fname);
  s.xnnpack_options_default =
      (LitebitXnnpackOptionsDefaultFn)lookup("TfLiteXNNPackDelegateOptionsDefault");
  s.xnnpack_create = (LitebitXnnpackCreateFn)lookup("TfLiteXNNPackDelegateCreate");
  s.xnnpack_get_flags = (LitebitXnnpackGetFlagsFn)lookup("TfLiteXNNPackDelegateGetFlags");
  s.xnnpack_get_options = (LitebitXnnpackGetOptionsFn)lookup("TfLiteXNNPackDelegateGetOptions");
  s.xnnpack_delete = (LitebitXnnpackDeleteFn)lookup("TfLiteXNNPackDelegateDelete");
  if (!s.xnnpack_options_default || !s.xnnpack_create || !s.xnnpack_get_flags ||
      !s.xnnpack_get_options || !s.xnnpack_delete) {
    s.handle = nullptr;
    return -1;
  }
  return 0;
}

/* The last error message of the shim (empty if none). */
inline const char* litebit_last_error() { return litebit_shim::state().error; }

/* Absolute path of the TFLite library the shim is bound to ("" before litebit_bind). */
inline const char* litebit_tflite_library_path() { return litebit_shim::state().library_path; }

/* dlsym() in the bound TFLite library; nullptr (and litebit_last_error) if absent. */
inline void* litebit_symbol(const char* name) { return litebit_shim::lookup(name); }

/*
 * Calls TfLiteRegistration* tflite::ops::<ns>::<function>() and returns its result, e.g.
 * ns = "builtin", function = "Register_CONVOLUTION_REF". nullptr if the symbol is not exported.
 * The registration is a static object of the TFLite library: never free it.
 */
inline void* litebit_kernel_registration(const char* ns, const char* function) {
  if (ns == nullptr || function == nullptr) {
    litebit_shim::set_error("namespace and function name must not be null", nullptr);
    return nullptr;
  }
  char mangled[512];
  int n = snprintf(mangled, sizeof(mangled), "_ZN6tflite3ops%zu%s%zu%sEv", strlen(ns), ns,
                   strlen(function), function);
  if (n <= 0 || n >= (int)sizeof(mangled)) {
    litebit_shim::set_error("kernel name too long", function);
    return nullptr;
  }
  LitebitRegisterFn fn = (LitebitRegisterFn)litebit_shim::lookup(mangled);
  if (fn == nullptr) return nullptr;
  return (void*)fn();
}

/* sizeof the options struct this shim is pinned to (32 on LP64). */
inline int litebit_xnnpack_options_size() { return (int)sizeof(LitebitXnnpackOptions219); }

/* How many bytes TfLiteXNNPackDelegateOptionsDefault() writes (the library's sizeof), or -1. */
inline int litebit_xnnpack_default_options_extent() {
  if (litebit_shim::state().xnnpack_options_default == nullptr) {
    litebit_shim::set_error("litebit shim is not bound", nullptr);
    return -1;
  }
  return litebit_shim::default_options_extent(nullptr);
}

/*
 * TfLiteXNNPackDelegateCreate with the library's default options, num_threads and flags
 * overridden. The options buffer handed to the library is the (larger) probe buffer filled by
 * TfLiteXNNPackDelegateOptionsDefault(), so fields beyond the pinned prefix, if a library had
 * any, keep the library's own defaults. Returns the TfLiteDelegate* or nullptr with
 * litebit_last_error() set. Release with litebit_xnnpack_delete.
 */
inline void* litebit_xnnpack_create(int num_threads, int flags) {
  using namespace litebit_shim;
  State& s = state();
  if (s.xnnpack_create == nullptr) {
    set_error("litebit shim is not bound", nullptr);
    return nullptr;
  }
  LitebitXnnpackOptionsProbe probe;
  default_options_extent(&probe);
  LitebitXnnpackOptions219 options;
  memcpy(&options, probe.bytes, sizeof(options));
  options.num_threads = num_threads;
  options.flags = (uint32_t)flags;
  memcpy(probe.bytes, &options, sizeof(options));
  TfLiteDelegate* delegate = s.xnnpack_create((const LitebitXnnpackOptions219*)probe.bytes);
  if (delegate == nullptr) {
    set_error("TfLiteXNNPackDelegateCreate returned null", nullptr);
  }
  return (void*)delegate;
}

/* TfLiteXNNPackDelegateGetFlags: the flags the delegate really uses. */
inline int litebit_xnnpack_flags(void* delegate) {
  if (litebit_shim::state().xnnpack_get_flags == nullptr || delegate == nullptr) return -1;
  return litebit_shim::state().xnnpack_get_flags((TfLiteDelegate*)delegate);
}

/* num_threads from TfLiteXNNPackDelegateGetOptions (offset 0 in every known layout). */
inline int litebit_xnnpack_num_threads(void* delegate) {
  if (litebit_shim::state().xnnpack_get_options == nullptr || delegate == nullptr) return -1;
  const LitebitXnnpackOptions219* options =
      litebit_shim::state().xnnpack_get_options((TfLiteDelegate*)delegate);
  return options == nullptr ? -1 : options->num_threads;
}

/* TfLiteXNNPackDelegateDelete. The delegate must no longer be used by any interpreter. */
inline void litebit_xnnpack_delete(void* delegate) {
  if (litebit_shim::state().xnnpack_delete != nullptr && delegate != nullptr) {
    litebit_shim::state().xnnpack_delete((TfLiteDelegate*)delegate);
  }
}

#endif  /* LITEBIT_SHIM_H_ */
