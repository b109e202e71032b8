/*
 * tflite_219_abi.h -- the ONLY place where litebit declares TensorFlow Lite types and functions
 * itself. Everything here is PINNED TO TensorFlow Lite 2.19.0 exactly as built into
 * org.bytedeco:tensorflow-lite:2.19.0-1.5.12 (libjnitensorflowlite.so, linux-x86_64 and
 * linux-arm64). The preset jar ships no TFLite headers, so the shim cannot compile against
 * TFLite's own headers; it declares the few things it needs here and resolves the functions at
 * run time with dlsym() in the already-loaded preset library (see litebit_shim.h).
 *
 * When the preset version changes, re-check every item below against the new binary
 * (objdump -d of TfLiteXNNPackDelegateOptionsDefault / TfLiteXNNPackDelegateCreateWithThreadpool)
 * and run the native module's tests: XnnpackDelegateTest pins the layout at run time.
 */
#ifndef LITEBIT_TFLITE_219_ABI_H_
#define LITEBIT_TFLITE_219_ABI_H_

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque here: the shim only passes these pointers around. */
typedef struct TfLiteDelegate TfLiteDelegate;
typedef struct TfLiteRegistration TfLiteRegistration;

/* tensorflow/lite/delegates/xnnpack/xnnpack_delegate.h (same values in 2.19 and in LiteRT). */
#define LITEBIT_XNNPACK_FLAG_QS8 0x00000001u  /* TFLITE_XNNPACK_DELEGATE_FLAG_QS8 */
#define LITEBIT_XNNPACK_FLAG_QU8 0x00000002u  /* TFLITE_XNNPACK_DELEGATE_FLAG_QU8 */
#define LITEBIT_XNNPACK_FLAG_FORCE_FP16 0x00000004u  /* TFLITE_XNNPACK_DELEGATE_FLAG_FORCE_FP16 */

/*
 * TfLiteXNNPackDelegateOptions as compiled into the 2.19.0-1.5.12 preset: 32 bytes on LP64.
 * Measured in the binary: TfLiteXNNPackDelegateOptionsDefault zeroes exactly 32 bytes, the
 * delegate copies exactly 32 bytes of options (to delegate+0x100..0x11f),
 * TfLiteXNNPackDelegateGetFlags reads delegate+0x104 (flags at offset 4), a non-null
 * weights_cache is tested at +0x108, handle_variable_ops at +0x110 and weight_cache_file_path
 * (+0x118) is handed to MMapWeightCacheProvider::LoadOrStartBuild.
 *
 * Newer TFLite/LiteRT headers differ: they insert `uint32_t runtime_flags` after num_threads
 * (which moves `flags` to offset 8) and append weight_cache_file_descriptor,
 * weight_cache_provider and weight_cache_lock_memory. Passing QS8|QU8 through a wrong layout
 * silently leaves int8 on the builtin kernels, hence the read-back check in
 * litebit_xnnpack_create() and the tests.
 */
typedef struct LitebitXnnpackOptions219 {
  int32_t num_threads;                 /* offset 0  */
  uint32_t flags;                      /* offset 4  */
  void* weights_cache;                 /* offset 8  (struct TfLiteXNNPackDelegateWeightsCache*) */
  bool handle_variable_ops;            /* offset 16 */
  const char* weight_cache_file_path;  /* offset 24 */
} LitebitXnnpackOptions219;

#ifdef __cplusplus
static_assert(sizeof(void*) != 8 || sizeof(LitebitXnnpackOptions219) == 32,
              "TfLiteXNNPackDelegateOptions is 32 bytes in TFLite 2.19 on LP64");
static_assert(offsetof(LitebitXnnpackOptions219, flags) == 4, "flags at offset 4 in 2.19");
#endif

/*
 * The exported C functions of the XNNPACK delegate (all present in the preset's dynamic symbol
 * table). TfLiteXNNPackDelegateOptionsDefault returns the struct by value; on x86-64 SysV and
 * AArch64 AAPCS64 a struct larger than 16 bytes is returned through a caller-provided buffer, so
 * the shim declares it as returning a larger probe struct: the library writes only its own size
 * into it and the shim can measure how many bytes that is.
 */
typedef TfLiteDelegate* (*LitebitXnnpackCreateFn)(const LitebitXnnpackOptions219* options);
typedef int (*LitebitXnnpackGetFlagsFn)(TfLiteDelegate* delegate);
typedef const LitebitXnnpackOptions219* (*LitebitXnnpackGetOptionsFn)(TfLiteDelegate* delegate);
typedef void (*LitebitXnnpackDeleteFn)(TfLiteDelegate* delegate);

#define LITEBIT_OPTIONS_PROBE_BYTES 256
typedef struct LitebitXnnpackOptionsProbe {
  unsigned char bytes[LITEBIT_OPTIONS_PROBE_BYTES];
} LitebitXnnpackOptionsProbe;
typedef LitebitXnnpackOptionsProbe (*LitebitXnnpackOptionsDefaultFn)(void);

/*
 * TFLite's C++ kernel registration functions, e.g.
 *   TfLiteRegistration* tflite::ops::builtin::Register_CONVOLUTION_REF();
 *   TfLiteRegistration* tflite::ops::custom::Register_NUMERIC_VERIFY_REF();
 * Itanium C++ ABI mangling (return types are not mangled for plain functions):
 *   _ZN6tflite3ops<len(ns)><ns><len(name)><name>Ev
 */
typedef TfLiteRegistration* (*LitebitRegisterFn)(void);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif  /* LITEBIT_TFLITE_219_ABI_H_ */
