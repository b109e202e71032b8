/*
 * litebit_tflite_c.h -- the part of TensorFlow Lite's stable C API (and of the XNNPACK delegate's
 * C API) that litebit's native tools use, declared by litebit itself.
 *
 * Why our own declarations: the org.bytedeco:tensorflow-lite preset ships the library
 * (libjnitensorflowlite.so, which statically contains TFLite, XNNPACK and ruy and exports the C
 * API) but no TFLite headers. The declarations below follow the documented C API of TFLite 2.19.0
 * and are pinned to it; every struct that crosses the boundary by value is written out here, so a
 * layout change in a newer TFLite is a change to this file, tested by the tools that use it (the
 * benchmark checks the XNNPACK flags it asked for by reading them back from the delegate).
 *
 * Shared by every tool of cmake/ (the C baseline benchmark now, the cross-platform .npy harness
 * later): keep it free of tool-specific code.
 */
#ifndef LITEBIT_TFLITE_C_H_
#define LITEBIT_TFLITE_C_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The TFLite version these declarations are pinned to (TfLiteVersion() must start with it). */
#define LITEBIT_TFLITE_PINNED_VERSION "2.19.0"

/* ----------------------------------------------------------------- opaque handles */
typedef struct TfLiteModel TfLiteModel;
typedef struct TfLiteInterpreterOptions TfLiteInterpreterOptions;
typedef struct TfLiteInterpreter TfLiteInterpreter;
typedef struct TfLiteTensor TfLiteTensor;
/* TfLiteDelegate / TfLiteOpaqueDelegate: only ever handled by pointer here. */
typedef struct TfLiteDelegate TfLiteDelegate;
/* A kernel registration: only ever handled by pointer here (its layout is TFLite's business). */
typedef struct TfLiteRegistration TfLiteRegistration;

/* ----------------------------------------------------------------- enums and small structs */
typedef enum {
  kTfLiteOk = 0,
  kTfLiteError = 1,
  kTfLiteDelegateError = 2,
  kTfLiteApplicationError = 3,
  kTfLiteDelegateDataNotFound = 4,
  kTfLiteDelegateDataWriteError = 5,
  kTfLiteDelegateDataReadError = 6,
  kTfLiteUnresolvedOps = 7,
  kTfLiteCancelled = 8,
  kTfLiteOutputShapeNotKnown = 9
} TfLiteStatus;

typedef enum {
  kTfLiteNoType = 0,
  kTfLiteFloat32 = 1,
  kTfLiteInt32 = 2,
  kTfLiteUInt8 = 3,
  kTfLiteInt64 = 4,
  kTfLiteString = 5,
  kTfLiteBool = 6,
  kTfLiteInt16 = 7,
  kTfLiteComplex64 = 8,
  kTfLiteInt8 = 9,
  kTfLiteFloat16 = 10,
  kTfLiteFloat64 = 11,
  kTfLiteComplex128 = 12,
  kTfLiteUInt64 = 13,
  kTfLiteResource = 14,
  kTfLiteVariant = 15,
  kTfLiteUInt32 = 16,
  kTfLiteUInt16 = 17,
  kTfLiteInt4 = 18,
  kTfLiteBFloat16 = 19
} TfLiteType;

/* Per-tensor (legacy) quantization: real = scale * (q - zero_point). */
typedef struct {
  float scale;
  int32_t zero_point;
} TfLiteQuantizationParams;

typedef void (*LitebitTfLiteReporter)(void* user_data, const char* format, va_list args);

/* ----------------------------------------------------------------- c_api.h */
const char* TfLiteVersion(void);

TfLiteModel* TfLiteModelCreate(const void* model_data, size_t model_size);
TfLiteModel* TfLiteModelCreateFromFile(const char* model_path);
TfLiteModel* TfLiteModelCreateFromFileWithErrorReporter(const char* model_path, LitebitTfLiteReporter reporter,
                                                        void* user_data);
void TfLiteModelDelete(TfLiteModel* model);

TfLiteInterpreterOptions* TfLiteInterpreterOptionsCreate(void);
void TfLiteInterpreterOptionsDelete(TfLiteInterpreterOptions* options);
void TfLiteInterpreterOptionsSetNumThreads(TfLiteInterpreterOptions* options, int32_t num_threads);
/* The delegate must outlive every interpreter created with these options. */
void TfLiteInterpreterOptionsAddDelegate(TfLiteInterpreterOptions* options, TfLiteDelegate* delegate);
void TfLiteInterpreterOptionsSetErrorReporter(TfLiteInterpreterOptions* options, LitebitTfLiteReporter reporter,
                                              void* user_data);

/*
 * In 2.19 the op resolver behind this is tflite::CreateOpResolver(), i.e.
 * BuiltinOpResolverWithoutDefaultDelegates: no lazy default XNNPACK delegate, so an interpreter
 * without an added delegate runs TFLite's builtin (optimized) kernels, like litebit's BUILTIN.
 * Returns NULL if the interpreter cannot be built or a delegate cannot be applied.
 */
TfLiteInterpreter* TfLiteInterpreterCreate(const TfLiteModel* model, const TfLiteInterpreterOptions* optional_options);
void TfLiteInterpreterDelete(TfLiteInterpreter* interpreter);
int32_t TfLiteInterpreterGetInputTensorCount(const TfLiteInterpreter* interpreter);
TfLiteTensor* TfLiteInterpreterGetInputTensor(const TfLiteInterpreter* interpreter, int32_t input_index);
TfLiteStatus TfLiteInterpreterResizeInputTensor(TfLiteInterpreter* interpreter, int32_t input_index,
                                                const int* input_dims, int32_t input_dims_size);
TfLiteStatus TfLiteInterpreterAllocateTensors(TfLiteInterpreter* interpreter);
TfLiteStatus TfLiteInterpreterInvoke(TfLiteInterpreter* interpreter);
int32_t TfLiteInterpreterGetOutputTensorCount(const TfLiteInterpreter* interpreter);
const TfLiteTensor* TfLiteInterpreterGetOutputTensor(const TfLiteInterpreter* interpreter, int32_t output_index);

/* BuiltinOperator codes of schema.fbs (ADD = 0, CONV_2D = 3, ...; CUSTOM = 32). */
typedef int32_t TfLiteBuiltinOperator;

/*
 * c_api_experimental.h: when set, the interpreter resolves every operator through these callbacks
 * INSTEAD of the default builtin resolver (no fallback), so the callbacks must answer every op.
 * The returned registrations must outlive the interpreter.
 */
void TfLiteInterpreterOptionsSetOpResolver(
    TfLiteInterpreterOptions* options,
    const TfLiteRegistration* (*find_builtin_op)(void* user_data, TfLiteBuiltinOperator op, int version),
    const TfLiteRegistration* (*find_custom_op)(void* user_data, const char* custom_op, int version),
    void* op_resolver_user_data);

TfLiteType TfLiteTensorType(const TfLiteTensor* tensor);
int32_t TfLiteTensorNumDims(const TfLiteTensor* tensor);
int32_t TfLiteTensorDim(const TfLiteTensor* tensor, int32_t dim_index);
size_t TfLiteTensorByteSize(const TfLiteTensor* tensor);
void* TfLiteTensorData(const TfLiteTensor* tensor);
const char* TfLiteTensorName(const TfLiteTensor* tensor);
TfLiteQuantizationParams TfLiteTensorQuantizationParams(const TfLiteTensor* tensor);
TfLiteStatus TfLiteTensorCopyFromBuffer(TfLiteTensor* tensor, const void* input_data, size_t input_data_size);
TfLiteStatus TfLiteTensorCopyToBuffer(const TfLiteTensor* tensor, void* output_data, size_t output_data_size);

/* ----------------------------------------------------------------- XNNPACK delegate (2.19.0) */
#define LITEBIT_XNNPACK_FLAG_QS8 0x00000001u /* int8 (signed) quantized ops on XNNPACK */
#define LITEBIT_XNNPACK_FLAG_QU8 0x00000002u /* uint8 quantized ops on XNNPACK */

/*
 * TfLiteXNNPackDelegateOptions as TFLite 2.19.0 is built in the preset: 32 bytes (measured in
 * the binary: OptionsDefault zeroes 32 bytes, GetFlags reads offset 4; see native/README.md).
 * Newer LiteRT inserts a runtime_flags field after num_threads, which moves flags: a wrong layout
 * silently leaves int8 off, hence the read-back in litebit_runtime.c.
 */
typedef struct {
  int32_t num_threads;
  uint32_t flags;
  void* weights_cache;
  bool handle_variable_ops;
  const char* weight_cache_file_path;
} LitebitXnnpackOptions219;

/*
 * Storage for TfLiteXNNPackDelegateOptionsDefault()'s result that is larger than any plausible
 * options struct: a struct this big is returned through a caller-provided buffer on x86-64 and
 * aarch64, so a library whose struct grew would still write inside our storage, and the fields it
 * added keep the library's defaults when the storage is handed to TfLiteXNNPackDelegateCreate.
 */
typedef union {
  LitebitXnnpackOptions219 v219;
  unsigned char bytes[256];
} LitebitXnnpackOptionsStorage;

LitebitXnnpackOptionsStorage TfLiteXNNPackDelegateOptionsDefault(void);
TfLiteDelegate* TfLiteXNNPackDelegateCreate(const LitebitXnnpackOptionsStorage* options);
void TfLiteXNNPackDelegateDelete(TfLiteDelegate* delegate);
int TfLiteXNNPackDelegateGetFlags(TfLiteDelegate* delegate);
const LitebitXnnpackOptions219* TfLiteXNNPackDelegateGetOptions(TfLiteDelegate* delegate);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LITEBIT_TFLITE_C_H_ */
