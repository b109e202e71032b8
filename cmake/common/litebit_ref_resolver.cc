// The reference resolver is C++ because tflite::CreateOpResolver() returns a std::unique_ptr,
// which the Itanium C++ ABI returns through a hidden pointer (rdi on x86-64, x8 on aarch64): C
// cannot call it portably. Only declarations of TFLite's exported symbols are written here (the
// preset ships no headers); the names mangle to the symbols libjnitensorflowlite.so exports.
#include "litebit_ref_resolver.h"

#include <cstdint>
#include <cstdio>
#include <mutex>

namespace tflite {
enum BuiltinOperator : int32_t {};

class MutableOpResolver {
 public:
  const TfLiteRegistration* FindOp(BuiltinOperator op, int version) const;
  const TfLiteRegistration* FindOp(const char* op, int version) const;
  // Both copy the registration and stamp it with the op code (or name) and version.
  void AddBuiltin(BuiltinOperator op, const TfLiteRegistration* registration, int version);
  void AddCustom(const char* name, const TfLiteRegistration* registration, int version);

 private:
  MutableOpResolver() = delete;
};

// Stands in for std::unique_ptr<MutableOpResolver>: one pointer with a non-trivial destructor,
// so it is returned the same way (indirectly). The destructor deliberately leaks: the resolver
// must outlive every interpreter of the process, and its own destructor is virtual (no symbol to
// call without the vtable layout).
struct ResolverHolder {
  MutableOpResolver* resolver;
  ~ResolverHolder() {}
};
ResolverHolder CreateOpResolver();

namespace ops {
namespace builtin {
#define LITEBIT_REF(fn) TfLiteRegistration* fn();
#include "litebit_ref_kernels.def"
#undef LITEBIT_REF
}  // namespace builtin
namespace custom {
TfLiteRegistration* Register_NUMERIC_VERIFY_REF();
}  // namespace custom
}  // namespace ops
}  // namespace tflite

namespace {

struct RefKernel {
  int32_t code;
  TfLiteRegistration* (*registration)();
};

// BuiltinOperator codes from schema.fbs; the same 49 kernels as litebit-native's ReferenceKernel.
const RefKernel kRefKernels[] = {
#define LITEBIT_REF_OP(code, fn) {code, &tflite::ops::builtin::fn},
#include "litebit_ref_kernels.def"
#undef LITEBIT_REF_OP
};

constexpr int kMaxVersion = 32;

std::once_flag g_once;
tflite::MutableOpResolver* g_resolver = nullptr;
int g_replaced = -1;

void Build() {
  tflite::ResolverHolder holder = tflite::CreateOpResolver();
  tflite::MutableOpResolver* r = holder.resolver;
  if (r == nullptr) return;
  int replaced = 0;
  for (const RefKernel& k : kRefKernels) {
    const TfLiteRegistration* ref = k.registration();
    for (int v = 1; v <= kMaxVersion; ++v) {
      auto op = static_cast<tflite::BuiltinOperator>(k.code);
      if (r->FindOp(op, v) != nullptr) {
        r->AddBuiltin(op, ref, v);
        ++replaced;
      }
    }
  }
  // The string literal outlives the resolver, which keeps the name pointer.
  static const char kNumericVerify[] = "NumericVerify";
  for (int v = 1; v <= kMaxVersion; ++v) {
    if (r->FindOp(kNumericVerify, v) != nullptr) {
      r->AddCustom(kNumericVerify, tflite::ops::custom::Register_NUMERIC_VERIFY_REF(), v);
      ++replaced;
    }
  }
  g_resolver = r;
  g_replaced = replaced;
}

const TfLiteRegistration* FindBuiltin(void* user_data, TfLiteBuiltinOperator op, int version) {
  return static_cast<const tflite::MutableOpResolver*>(user_data)->FindOp(static_cast<tflite::BuiltinOperator>(op),
                                                                            version);
}

const TfLiteRegistration* FindCustom(void* user_data, const char* op, int version) {
  return static_cast<const tflite::MutableOpResolver*>(user_data)->FindOp(op, version);
}

}  // namespace

extern "C" int litebit_ref_resolver_install(TfLiteInterpreterOptions* options, char* error, size_t error_size) {
  std::call_once(g_once, Build);
  if (g_resolver == nullptr) {
    std::snprintf(error, error_size, "tflite::CreateOpResolver() returned no resolver");
    return -1;
  }
  TfLiteInterpreterOptionsSetOpResolver(options, FindBuiltin, FindCustom, g_resolver);
  return 0;
}

extern "C" int litebit_ref_resolver_replaced(void) { return g_replaced; }
