/*
 * litebit_bench -- the C baseline: times TFLite through its stable C API with the settings of
 * litebit's Java API (XNNPACK with int8 on and N threads, or the builtin kernels without a
 * delegate), so that the Java API's overhead can be measured against it in the same run
 * (io.litebit.benchmarks.baseline.JavaVsC builds and drives this program).
 *
 *   litebit_bench MODEL [--backend xnnpack|builtin] [--threads N] [--mode invoke|full]
 *                       [--warmup N] [--samples N] [--batch K] [--seed S]
 *
 * --mode invoke times TfLiteInterpreterInvoke alone; --mode full times a full inference: copy
 * every input in, invoke, copy every output out (what matters for tiny models). A sample is the
 * mean time of K consecutive inferences (K = --batch, or chosen so that a sample lasts about
 * 2 ms when 0): a clock read per inference would cost more than a hello_world invoke.
 * The result is one JSON object on stdout; the Java side uses the same sampling, so the two
 * numbers are directly comparable. Exit status 0, 1 if TFLite fails, 2 for usage errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litebit_runtime.h"

#define MAX_TENSORS 64

static void usage(const char* message) {
  fprintf(stderr, "litebit_bench: %s\n", message);
  fprintf(stderr,
          "usage: litebit_bench MODEL [--backend xnnpack|builtin] [--threads N] [--mode invoke|full]\n"
          "                           [--warmup N] [--samples N] [--batch K] [--seed S]\n");
  exit(2);
}

static long parse_long(const char* option, const char* value, long min) {
  if (value == NULL) usage("missing value");
  char* end = NULL;
  errno = 0;
  long v = strtol(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || v < min) {
    char m[256];
    snprintf(m, sizeof(m), "%s: expected an integer >= %ld, given '%s'", option, min, value);
    usage(m);
  }
  return v;
}

/* SplitMix64: the Java side (JavaVsC) fills its inputs with the same generator and seed. */
static uint64_t next_random(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/*
 * Fills like JavaVsC.fill: float32 uniform in [-1, 1) (random bit patterns would include NaNs and
 * subnormals, which change float kernels' speed), every other dtype with random bytes.
 */
static void fill(unsigned char* data, size_t bytes, TfLiteType type, uint64_t* state) {
  if (type == kTfLiteFloat32) {
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
      float f = (float)((double)(next_random(state) >> 11) * 0x1.0p-53 * 2.0 - 1.0);
      memcpy(data + i, &f, 4);
    }
  } else {
    for (size_t i = 0; i < bytes; i++) data[i] = (unsigned char)next_random(state);
  }
}

static int compare_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

/* Nearest rank, as io.litebit benchmark code computes it. */
static double quantile(const double* sorted, int n, double p) {
  int rank = (int)((p * n) + 0.999999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

typedef struct {
  TfLiteInterpreter* interpreter;
  int inputs, outputs;
  TfLiteTensor* in[MAX_TENSORS];
  const TfLiteTensor* out[MAX_TENSORS];
  unsigned char* in_src[MAX_TENSORS];
  unsigned char* out_dst[MAX_TENSORS];
  size_t in_bytes[MAX_TENSORS], out_bytes[MAX_TENSORS];
  int full;
  unsigned counter;
} run_state;

static volatile unsigned char sink;

/* One inference; direct pointer copies, the fastest a C caller can write and read tensors. */
static int step(run_state* r) {
  if (r->full) {
    for (int i = 0; i < r->inputs; i++) {
      r->in_src[i][0] = (unsigned char)r->counter;
      memcpy(TfLiteTensorData(r->in[i]), r->in_src[i], r->in_bytes[i]);
    }
    r->counter++;
  }
  if (TfLiteInterpreterInvoke(r->interpreter) != kTfLiteOk) return -1;
  if (r->full) {
    for (int i = 0; i < r->outputs; i++) memcpy(r->out_dst[i], TfLiteTensorData(r->out[i]), r->out_bytes[i]);
    sink = r->out_dst[0][0];
  }
  return 0;
}

int main(int argc, char** argv) {
  const char* model = NULL;
  litebit_backend backend = LITEBIT_BACKEND_XNNPACK;
  long threads = 1, warmup = 20, samples = 30, batch = 0, seed = 1;
  int full = 0;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--backend") == 0) {
      if (v == NULL || litebit_parse_backend(v, &backend) != 0) usage("--backend: expected xnnpack or builtin");
      i++;
    } else if (strcmp(a, "--threads") == 0) {
      threads = parse_long(a, v, 1), i++;
    } else if (strcmp(a, "--mode") == 0) {
      if (v == NULL || (strcmp(v, "invoke") != 0 && strcmp(v, "full") != 0)) usage("--mode: expected invoke or full");
      full = strcmp(v, "full") == 0, i++;
    } else if (strcmp(a, "--warmup") == 0) {
      warmup = parse_long(a, v, 0), i++;
    } else if (strcmp(a, "--samples") == 0) {
      samples = parse_long(a, v, 1), i++;
    } else if (strcmp(a, "--batch") == 0) {
      batch = parse_long(a, v, 0), i++;
    } else if (strcmp(a, "--seed") == 0) {
      seed = parse_long(a, v, 0), i++;
    } else if (a[0] == '-' && a[1] == '-') {
      char m[256];
      snprintf(m, sizeof(m), "unknown option %s", a);
      usage(m);
    } else if (model == NULL) {
      model = a;
    } else {
      usage("more than one model given");
    }
  }
  if (model == NULL) usage("no model given");

  litebit_session session;
  if (litebit_session_open(&session, model, backend, (int)threads) != 0) {
    fprintf(stderr, "litebit_bench: %s: %s\n", model, session.error);
    return 1;
  }
  run_state r;
  memset(&r, 0, sizeof(r));
  r.interpreter = session.interpreter;
  r.full = full;
  r.inputs = TfLiteInterpreterGetInputTensorCount(session.interpreter);
  r.outputs = TfLiteInterpreterGetOutputTensorCount(session.interpreter);
  if (r.inputs > MAX_TENSORS || r.outputs > MAX_TENSORS || r.outputs < 1) {
    fprintf(stderr, "litebit_bench: %s: %d inputs and %d outputs, supported 0..%d and 1..%d\n", model, r.inputs,
            r.outputs, MAX_TENSORS, MAX_TENSORS);
    litebit_session_close(&session);
    return 1;
  }
  uint64_t random_state = (uint64_t)seed;
  size_t total_in = 0, total_out = 0;
  for (int i = 0; i < r.inputs; i++) {
    r.in[i] = TfLiteInterpreterGetInputTensor(session.interpreter, i);
    r.in_bytes[i] = TfLiteTensorByteSize(r.in[i]);
    r.in_src[i] = calloc(r.in_bytes[i] + 1, 1);
    fill(r.in_src[i], r.in_bytes[i], TfLiteTensorType(r.in[i]), &random_state);
    memcpy(TfLiteTensorData(r.in[i]), r.in_src[i], r.in_bytes[i]);
    total_in += r.in_bytes[i];
  }
  for (int i = 0; i < r.outputs; i++) {
    r.out[i] = TfLiteInterpreterGetOutputTensor(session.interpreter, i);
    r.out_bytes[i] = TfLiteTensorByteSize(r.out[i]);
    r.out_dst[i] = calloc(r.out_bytes[i] + 1, 1);
    total_out += r.out_bytes[i];
  }

  int status = 0;
  double* per_inference = calloc((size_t)samples, sizeof(double));
  for (long i = 0; i < warmup && status == 0; i++) status = step(&r);
  if (status == 0 && batch == 0) {
    /* Calibrate over ~20 ms, then size a batch to last ~2 ms (at least one inference). */
    uint64_t t0 = litebit_now_ns();
    long n = 0;
    while (status == 0 && litebit_now_ns() - t0 < 20000000ull && n < 1000000) status = step(&r), n++;
    double each = (double)(litebit_now_ns() - t0) / (double)n;
    batch = (long)(2.0e6 / each);
    if (batch < 1) batch = 1;
  }
  for (long s = 0; s < samples && status == 0; s++) {
    uint64_t t0 = litebit_now_ns();
    for (long k = 0; k < batch && status == 0; k++) status = step(&r);
    per_inference[s] = (double)(litebit_now_ns() - t0) / (double)batch;
  }
  if (status != 0) {
    fprintf(stderr, "litebit_bench: %s: invoke failed: %s\n", model, session.error);
  } else {
    double mean = 0;
    for (long s = 0; s < samples; s++) mean += per_inference[s];
    mean /= (double)samples;
    qsort(per_inference, (size_t)samples, sizeof(double), compare_double);
    printf("{\"tool\": \"litebit_bench\", \"tflite\": \"%s\", \"model\": \"", TfLiteVersion());
    for (const char* c = model; *c; c++) {
      if (*c == '"' || *c == '\\') putchar('\\');
      putchar(*c);
    }
    printf("\", \"backend\": \"%s\", \"threads\": %ld, \"mode\": \"%s\", \"xnnpack_flags\": %d, "
           "\"input_bytes\": %zu, \"output_bytes\": %zu, \"warmup\": %ld, \"batch\": %ld, \"samples\": %ld, "
           "\"median_ns\": %.1f, \"p90_ns\": %.1f, \"min_ns\": %.1f, \"mean_ns\": %.1f}\n",
           litebit_backend_name(backend), threads, full ? "full" : "invoke", session.xnnpack_flags, total_in, total_out,
           warmup, batch, samples, quantile(per_inference, (int)samples, 0.5),
           quantile(per_inference, (int)samples, 0.9), per_inference[0], mean);
  }
  free(per_inference);
  for (int i = 0; i < r.inputs; i++) free(r.in_src[i]);
  for (int i = 0; i < r.outputs; i++) free(r.out_dst[i]);
  litebit_session_close(&session);
  return status == 0 ? 0 : 1;
}
