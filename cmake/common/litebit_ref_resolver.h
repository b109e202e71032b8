/*
 * litebit_ref_resolver.h -- the BUILTIN_REF op resolver for tools built on the C API: TFLite's
 * builtin resolver (BuiltinOpResolverWithoutDefaultDelegates, as tflite::CreateOpResolver() gives
 * it) with every operator that has a C++ reference kernel (tflite::ops::builtin::Register_*_REF())
 * replaced by it for every version the builtin resolver registers; the other operators keep their
 * builtin kernel. It is the resolver litebit's JNI side builds (native/README.md), so a harness
 * run on builtin-ref and the Java API's BUILTIN_REF run the same kernels.
 *
 *   char err[256];
 *   if (litebit_ref_resolver_install(options, err, sizeof err) != 0) fprintf(stderr, "%s\n", err);
 */
#ifndef LITEBIT_REF_RESOLVER_H_
#define LITEBIT_REF_RESOLVER_H_

#include <stddef.h>

#include "litebit_tflite_c.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Makes `options` resolve operators through the reference resolver (TfLiteInterpreterOptionsSetOpResolver).
 * The resolver is built once per process and lives until the process ends (TFLite keeps pointers
 * to its registrations in every interpreter). Returns 0, or -1 with a message in `error`.
 */
int litebit_ref_resolver_install(TfLiteInterpreterOptions* options, char* error, size_t error_size);

/* How many (op, version) registrations were replaced by a reference kernel; -1 before install. */
int litebit_ref_resolver_replaced(void);

#ifdef __cplusplus
}
#endif

#endif /* LITEBIT_REF_RESOLVER_H_ */
