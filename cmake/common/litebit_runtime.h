/*
 * litebit_runtime.h -- what every native litebit tool does the same way as the Java API:
 * load a model, build an interpreter on a backend (XNNPACK with int8 on, or TFLite's builtin
 * kernels without any delegate, or its reference kernels) with a thread count, collect TFLite's error messages, tear down
 * in the safe order. The C baseline benchmark uses it now; the .npy harness will too.
 */
#ifndef LITEBIT_RUNTIME_H_
#define LITEBIT_RUNTIME_H_

#include <stddef.h>
#include <stdint.h>

#include "litebit_tflite_c.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  /* XNNPACK delegate created with QS8|QU8 (=3): int8 and uint8 ops really run on XNNPACK. */
  LITEBIT_BACKEND_XNNPACK = 0,
  /* No delegate: TFLite's builtin (optimized) kernels, as litebit's Backend.BUILTIN. */
  LITEBIT_BACKEND_BUILTIN = 1,
  /* No delegate, TFLite's C++ reference kernels where they exist (litebit_ref_resolver.h), as
     litebit's Backend.BUILTIN_REF. */
  LITEBIT_BACKEND_BUILTIN_REF = 2
} litebit_backend;

typedef struct {
  TfLiteModel* model;
  TfLiteInterpreterOptions* options;
  TfLiteDelegate* delegate; /* NULL on BUILTIN */
  TfLiteInterpreter* interpreter;
  int xnnpack_flags;        /* read back from the delegate, -1 without one */
  int xnnpack_threads;      /* read back from the delegate, -1 without one */
  char error[2048];         /* what went wrong, with TFLite's own messages */
} litebit_session;

/* "xnnpack", "builtin" or "builtin-ref" (case-sensitive, as the Java CLI prints them); 0 on success. */
int litebit_parse_backend(const char* name, litebit_backend* out);
const char* litebit_backend_name(litebit_backend backend);

/*
 * Loads the model, creates the interpreter on `backend` with `threads` threads and allocates its
 * tensors. Returns 0, or -1 with session->error set (everything created so far is freed).
 * Refuses a TFLite whose version is not the one litebit_tflite_c.h is pinned to.
 */
int litebit_session_open(litebit_session* session, const char* model_path, litebit_backend backend, int threads);

/* Frees in dependency order: interpreter, delegate, options, model. Idempotent. */
void litebit_session_close(litebit_session* session);

/* Monotonic clock in nanoseconds. */
uint64_t litebit_now_ns(void);

const char* litebit_type_name(TfLiteType type);

#ifdef __cplusplus
}
#endif

#endif /* LITEBIT_RUNTIME_H_ */
