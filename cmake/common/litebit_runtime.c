#define _POSIX_C_SOURCE 200809L
#include "litebit_runtime.h"

#include "litebit_ref_resolver.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int litebit_parse_backend(const char* name, litebit_backend* out) {
  if (name != NULL && strcmp(name, "xnnpack") == 0) {
    *out = LITEBIT_BACKEND_XNNPACK;
    return 0;
  }
  if (name != NULL && strcmp(name, "builtin") == 0) {
    *out = LITEBIT_BACKEND_BUILTIN;
    return 0;
  }
  if (name != NULL && strcmp(name, "builtin-ref") == 0) {
    *out = LITEBIT_BACKEND_BUILTIN_REF;
    return 0;
  }
  return -1;
}

const char* litebit_backend_name(litebit_backend backend) {
  switch (backend) {
    case LITEBIT_BACKEND_XNNPACK: return "xnnpack";
    case LITEBIT_BACKEND_BUILTIN_REF: return "builtin-ref";
    default: return "builtin";
  }
}

/* TFLite reports through a printf-style callback; keep every message, not just the last one. */
static void collect(void* user_data, const char* format, va_list args) {
  litebit_session* s = (litebit_session*)user_data;
  size_t used = strlen(s->error);
  if (used + 4 >= sizeof(s->error)) return;
  if (used > 0) {
    s->error[used++] = ' ';
    s->error[used++] = '|';
    s->error[used++] = ' ';
    s->error[used] = '\0';
  }
  vsnprintf(s->error + used, sizeof(s->error) - used, format, args);
}

static int fail(litebit_session* s, const char* what) {
  char detail[sizeof(s->error)];
  snprintf(detail, sizeof(detail), "%s", s->error);
  snprintf(s->error, sizeof(s->error), "%s%s%s", what, detail[0] ? ": " : "", detail);
  litebit_session_close(s);
  return -1;
}

int litebit_session_open(litebit_session* s, const char* model_path, litebit_backend backend, int threads) {
  memset(s, 0, sizeof(*s));
  s->xnnpack_flags = -1;
  s->xnnpack_threads = -1;
  const char* version = TfLiteVersion();
  if (version == NULL || strncmp(version, LITEBIT_TFLITE_PINNED_VERSION, strlen(LITEBIT_TFLITE_PINNED_VERSION)) != 0) {
    snprintf(s->error, sizeof(s->error), "TFLite %s, but litebit_tflite_c.h is pinned to %s", version ? version : "?",
             LITEBIT_TFLITE_PINNED_VERSION);
    return -1;
  }
  if (threads < 1) {
    snprintf(s->error, sizeof(s->error), "threads must be >= 1, given %d", threads);
    return -1;
  }
  /* Not ...WithErrorReporter: in 2.19 the model keeps a pointer to a reporter that function frees
     on return, so a later report would use freed memory. Load errors go to stderr instead. */
  s->model = TfLiteModelCreateFromFile(model_path);
  if (s->model == NULL) return fail(s, "cannot load the model");
  s->options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(s->options, threads);
  TfLiteInterpreterOptionsSetErrorReporter(s->options, collect, s);
  if (backend == LITEBIT_BACKEND_BUILTIN_REF) {
    char why[256];
    if (litebit_ref_resolver_install(s->options, why, sizeof(why)) != 0) return fail(s, why);
  }
  if (backend == LITEBIT_BACKEND_XNNPACK) {
    LitebitXnnpackOptionsStorage options = TfLiteXNNPackDelegateOptionsDefault();
    options.v219.num_threads = threads;
    options.v219.flags = LITEBIT_XNNPACK_FLAG_QS8 | LITEBIT_XNNPACK_FLAG_QU8;
    s->delegate = TfLiteXNNPackDelegateCreate(&options);
    if (s->delegate == NULL) return fail(s, "cannot create the XNNPACK delegate");
    s->xnnpack_flags = TfLiteXNNPackDelegateGetFlags(s->delegate);
    const LitebitXnnpackOptions219* applied = TfLiteXNNPackDelegateGetOptions(s->delegate);
    s->xnnpack_threads = applied ? applied->num_threads : -1;
    /* A layout that does not match the library would leave int8 off without a word: check. */
    if ((uint32_t)s->xnnpack_flags != options.v219.flags || s->xnnpack_threads != threads) {
      snprintf(s->error, sizeof(s->error),
               "XNNPACK options layout mismatch: asked flags %u threads %d, the delegate has flags %d threads %d",
               options.v219.flags, threads, s->xnnpack_flags, s->xnnpack_threads);
      litebit_session_close(s);
      return -1;
    }
    TfLiteInterpreterOptionsAddDelegate(s->options, s->delegate);
  }
  s->interpreter = TfLiteInterpreterCreate(s->model, s->options);
  if (s->interpreter == NULL) return fail(s, "cannot create the interpreter");
  if (TfLiteInterpreterAllocateTensors(s->interpreter) != kTfLiteOk) return fail(s, "cannot allocate tensors");
  return 0;
}

void litebit_session_close(litebit_session* s) {
  if (s->interpreter != NULL) TfLiteInterpreterDelete(s->interpreter);
  s->interpreter = NULL;
  if (s->delegate != NULL) TfLiteXNNPackDelegateDelete(s->delegate);
  s->delegate = NULL;
  if (s->options != NULL) TfLiteInterpreterOptionsDelete(s->options);
  s->options = NULL;
  if (s->model != NULL) TfLiteModelDelete(s->model);
  s->model = NULL;
}

uint64_t litebit_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char* litebit_type_name(TfLiteType type) {
  switch (type) {
    case kTfLiteFloat32: return "float32";
    case kTfLiteInt32: return "int32";
    case kTfLiteUInt8: return "uint8";
    case kTfLiteInt64: return "int64";
    case kTfLiteBool: return "bool";
    case kTfLiteInt16: return "int16";
    case kTfLiteInt8: return "int8";
    case kTfLiteFloat16: return "float16";
    case kTfLiteFloat64: return "float64";
    default: return "other";
  }
}
