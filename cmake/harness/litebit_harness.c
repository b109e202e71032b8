/*
 * litebit_harness -- runs a .tflite model once per input set on one backend and writes the
 * subgraph's outputs as .npy files: the native side of litebit's cross-platform conformance
 * backends (x86:*, arm64:*). Run on the all-outputs rewrite of a model, the outputs are every
 * intermediate tensor.
 *
 *   litebit_harness --backend xnnpack|builtin|builtin-ref --model M.tflite [--threads N]
 *                   [--write K,K,...] IN_DIR OUT_DIR [IN_DIR OUT_DIR ...]
 *
 * IN_DIR holds input<k>.npy for every subgraph input k: the input's own dtype, already quantized,
 * exactly its byte size (the shape in the file is not used to resize). OUT_DIR receives
 * output<k>.npy for every output k (or only those listed by --write), with the tensor's runtime
 * shape and dtype; an output without data is skipped and named on stderr. One interpreter serves
 * every input set. stdout gets one JSON line: backend, TFLite version, architecture, XNNPACK flags
 * read back from the delegate and the invoke time of each set (meaningless under emulation).
 * Exit status: 0; 1 when TFLite fails (its messages on stderr); 2 for usage or I/O errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litebit_runtime.h"

#if defined(__aarch64__)
#define LITEBIT_ARCH "aarch64"
#elif defined(__x86_64__)
#define LITEBIT_ARCH "x86_64"
#else
#define LITEBIT_ARCH "other"
#endif

static int usage(const char* why) {
  fprintf(stderr,
          "litebit_harness: %s\n"
          "usage: litebit_harness --backend xnnpack|builtin|builtin-ref --model M.tflite [--threads N]\n"
          "                       [--write K,K,...] IN_DIR OUT_DIR [IN_DIR OUT_DIR ...]\n",
          why);
  return 2;
}

/* numpy's descr of a TFLite type, or NULL for types litebit does not exchange. */
static const char* npy_descr(TfLiteType t) {
  switch (t) {
    case kTfLiteFloat32: return "<f4";
    case kTfLiteInt32: return "<i4";
    case kTfLiteUInt8: return "|u1";
    case kTfLiteInt64: return "<i8";
    case kTfLiteBool: return "|b1";
    case kTfLiteInt16: return "<i2";
    case kTfLiteInt8: return "|i1";
    case kTfLiteFloat16: return "<f2";
    case kTfLiteFloat64: return "<f8";
    case kTfLiteUInt64: return "<u8";
    case kTfLiteUInt32: return "<u4";
    case kTfLiteUInt16: return "<u2";
    default: return NULL;
  }
}

/* Reads an .npy file's payload (format 1.x/2.x/3.x, C order); checks descr and byte count. */
static int read_npy(const char* path, const char* descr, void* out, size_t bytes, char* err, size_t err_size) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  unsigned char pre[12];
  int rc = -1;
  char* header = NULL;
  if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
    snprintf(err, err_size, "%s is not an .npy file", path);
    goto done;
  }
  size_t header_len = pre[8] | ((size_t)pre[9] << 8);
  if (pre[6] >= 2) {
    if (fread(pre + 10, 1, 2, f) != 2) {
      snprintf(err, err_size, "%s: truncated header", path);
      goto done;
    }
    header_len |= ((size_t)pre[10] << 16) | ((size_t)pre[11] << 24);
  }
  header = malloc(header_len + 1);
  if (header == NULL || fread(header, 1, header_len, f) != header_len) {
    snprintf(err, err_size, "%s: truncated header", path);
    goto done;
  }
  header[header_len] = '\0';
  if (strstr(header, "'fortran_order': True") != NULL) {
    snprintf(err, err_size, "%s: Fortran order is not supported", path);
    goto done;
  }
  /* One-byte types are written with '|' by numpy and sometimes with '<' or '='. */
  char want[8];
  snprintf(want, sizeof(want), "'%s'", descr);
  int ok = strstr(header, want) != NULL;
  if (!ok && descr[0] == '|') {
    char alt[8];
    snprintf(alt, sizeof(alt), "'<%s'", descr + 1);
    ok = strstr(header, alt) != NULL;
  }
  if (!ok) {
    snprintf(err, err_size, "%s: dtype is not %s (header %s)", path, descr, header);
    goto done;
  }
  size_t got = fread(out, 1, bytes, f);
  unsigned char extra;
  if (got != bytes || fread(&extra, 1, 1, f) != 0) {
    snprintf(err, err_size, "%s: expected exactly %zu bytes of data", path, bytes);
    goto done;
  }
  rc = 0;
done:
  free(header);
  fclose(f);
  return rc;
}

static int write_npy(const char* path, const TfLiteTensor* t, char* err, size_t err_size) {
  const char* descr = npy_descr(TfLiteTensorType(t));
  if (descr == NULL) {
    snprintf(err, err_size, "%s: dtype %d cannot be written as .npy", path, (int)TfLiteTensorType(t));
    return -1;
  }
  char dict[512];
  int n = snprintf(dict, sizeof(dict), "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  int dims = TfLiteTensorNumDims(t);
  for (int i = 0; i < dims; i++) {
    n += snprintf(dict + n, sizeof(dict) - n, "%d%s", TfLiteTensorDim(t, i), dims == 1 ? "," : (i + 1 < dims ? ", " : ""));
  }
  n += snprintf(dict + n, sizeof(dict) - n, "), }");
  /* Version 1.0: magic (6) + version (2) + length (2) + dict padded with spaces to a multiple of 64, ending in \n. */
  size_t total = 10 + (size_t)n + 1;
  size_t padded = (total + 63) / 64 * 64;
  size_t header_len = padded - 10;
  FILE* f = fopen(path, "wb");
  if (f == NULL) {
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(header_len & 0xff),
                           (unsigned char)(header_len >> 8)};
  int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(dict, 1, (size_t)n, f) == (size_t)n;
  for (size_t i = 10 + (size_t)n; ok && i < padded - 1; i++) ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF;
  size_t bytes = TfLiteTensorByteSize(t);
  ok = ok && (bytes == 0 || fwrite(TfLiteTensorData(t), 1, bytes, f) == bytes);
  ok = (fclose(f) == 0) && ok;
  if (!ok) {
    snprintf(err, err_size, "cannot write %s", path);
    return -1;
  }
  return 0;
}

int main(int argc, char** argv) {
  const char* backend_name = NULL;
  const char* model_path = NULL;
  const char* write_list = NULL;
  int threads = 1;
  int first_dir = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
      backend_name = argv[++i];
    } else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
      model_path = argv[++i];
    } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
      write_list = argv[++i];
    } else if (strncmp(argv[i], "--", 2) == 0) {
      return usage("unknown option");
    } else {
      first_dir = i;
      break;
    }
  }
  litebit_backend backend;
  if (backend_name == NULL || litebit_parse_backend(backend_name, &backend) != 0) return usage("--backend xnnpack|builtin|builtin-ref is required");
  if (model_path == NULL) return usage("--model is required");
  if (first_dir < 0 || (argc - first_dir) % 2 != 0) return usage("give IN_DIR OUT_DIR pairs");

  litebit_session s;
  if (litebit_session_open(&s, model_path, backend, threads) != 0) {
    fprintf(stderr, "litebit_harness: %s (%s, backend %s)\n", s.error, model_path, backend_name);
    return 1;
  }
  int inputs = TfLiteInterpreterGetInputTensorCount(s.interpreter);
  int outputs = TfLiteInterpreterGetOutputTensorCount(s.interpreter);
  char* wanted = calloc((size_t)(outputs > 0 ? outputs : 1), 1);
  if (write_list == NULL) {
    memset(wanted, 1, (size_t)outputs);
  } else {
    for (const char* p = write_list; *p;) {
      char* end;
      long k = strtol(p, &end, 10);
      if (end == p || k < 0 || k >= outputs) {
        free(wanted);
        litebit_session_close(&s);
        return usage("--write lists output indices of the model");
      }
      wanted[k] = 1;
      p = *end == ',' ? end + 1 : end;
    }
  }
  char err[8192];
  char path[4096];
  int rc = 0;
  printf("{\"backend\": \"%s\", \"tflite\": \"%s\", \"arch\": \"%s\", \"xnnpack_flags\": %d, \"inputs\": %d, "
         "\"outputs\": %d, \"invoke_ns\": [",
         litebit_backend_name(backend), TfLiteVersion(), LITEBIT_ARCH, s.xnnpack_flags, inputs, outputs);
  for (int d = first_dir; d < argc && rc == 0; d += 2) {
    for (int k = 0; k < inputs && rc == 0; k++) {
      TfLiteTensor* t = TfLiteInterpreterGetInputTensor(s.interpreter, k);
      const char* descr = npy_descr(TfLiteTensorType(t));
      snprintf(path, sizeof(path), "%s/input%d.npy", argv[d], k);
      if (descr == NULL) {
        fprintf(stderr, "litebit_harness: input %d has a dtype (%d) litebit cannot feed\n", k, (int)TfLiteTensorType(t));
        rc = 2;
      } else if (read_npy(path, descr, TfLiteTensorData(t), TfLiteTensorByteSize(t), err, sizeof(err)) != 0) {
        fprintf(stderr, "litebit_harness: %s\n", err);
        rc = 2;
      }
    }
    if (rc != 0) break;
    s.error[0] = '\0';
    uint64_t t0 = litebit_now_ns();
    if (TfLiteInterpreterInvoke(s.interpreter) != kTfLiteOk) {
      fprintf(stderr, "litebit_harness: invoke failed: %s (%s, backend %s)\n", s.error, model_path, backend_name);
      rc = 1;
      break;
    }
    printf("%s%llu", d == first_dir ? "" : ", ", (unsigned long long)(litebit_now_ns() - t0));
    for (int k = 0; k < outputs && rc == 0; k++) {
      if (!wanted[k]) continue;
      const TfLiteTensor* t = TfLiteInterpreterGetOutputTensor(s.interpreter, k);
      if (TfLiteTensorData(t) == NULL && TfLiteTensorByteSize(t) > 0) {
        fprintf(stderr, "litebit_harness: output %d (%s) has no data\n", k, TfLiteTensorName(t));
        continue;
      }
      snprintf(path, sizeof(path), "%s/output%d.npy", argv[d + 1], k);
      if (write_npy(path, t, err, sizeof(err)) != 0) {
        fprintf(stderr, "litebit_harness: %s\n", err);
        rc = 2;
      }
    }
  }
  printf("]}\n");
  free(wanted);
  litebit_session_close(&s);
  return rc;
}
