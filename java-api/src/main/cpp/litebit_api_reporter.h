/*
 * litebit_api_reporter.h -- a tflite::ErrorReporter that keeps what TFLite reports, so that the
 * Java API can put TFLite's own sentences into its exceptions.
 *
 * The preset maps tflite::ErrorReporter only as an opaque pointer (no way to subclass it from
 * Java), and a C callback reporter would hand Java a va_list it cannot format. So the formatting
 * happens here, with vsnprintf, into a buffer that Java reads after a failed call.
 *
 * The preset ships no TFLite headers. The base class is declared below exactly as TFLite 2.19
 * declares it (tflite/core/api/error_reporter.h): a polymorphic class whose vtable is
 * { ~ErrorReporter() [complete], ~ErrorReporter() [deleting], Report(const char*, va_list) }.
 * Its non-virtual helpers Report(const char*, ...) and ReportError(void*, ...) are left out: this
 * library never calls them and TFLite calls its own copies. No TFLite symbol is referenced, so
 * this library does not link against libjnitensorflowlite.so.
 *
 * Thread safety: TFLite may report from kernel worker threads; every access holds a mutex.
 */
#ifndef LITEBIT_API_REPORTER_H_
#define LITEBIT_API_REPORTER_H_

#include <stdarg.h>
#include <stdio.h>

#include <mutex>
#include <new>
#include <string>

namespace tflite {
class ErrorReporter {
 public:
  virtual ~ErrorReporter() = default;
  virtual int Report(const char* format, va_list args) = 0;
};
}  // namespace tflite

namespace litebit_api {

class CapturingReporter final : public tflite::ErrorReporter {
 public:
  // A reporter that lives as long as an interpreter could fill memory without bound if a
  // kernel reported on every invoke and nobody read it; the first messages are the useful ones.
  static constexpr size_t kMaxBytes = 64 * 1024;

  int Report(const char* format, va_list args) override {
    char line[2048];
    va_list copy;
    va_copy(copy, args);
    int n = vsnprintf(line, sizeof(line), format == nullptr ? "(null)" : format, copy);
    va_end(copy);
    if (n < 0) return n;
    std::lock_guard<std::mutex> lock(mutex_);
    if (truncated_) return n;
    if (messages_.size() + strlen_bounded(line, sizeof(line)) + 1 > kMaxBytes) {
      truncated_ = true;
      messages_ += "... (further TFLite messages dropped)\n";
      return n;
    }
    messages_ += line;
    // One report, one line: TFLite's messages sometimes end with '\n' and sometimes not.
    if (messages_.empty() || messages_.back() != '\n') messages_ += '\n';
    return n;
  }

  // Copied into a per-thread string: the JNI glue turns the returned pointer into a Java string
  // after this function has returned, when another thread may already have appended.
  const char* Messages() {
    thread_local std::string snapshot;
    std::lock_guard<std::mutex> lock(mutex_);
    snapshot = messages_;
    return snapshot.c_str();
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.clear();
    truncated_ = false;
  }

 private:
  static size_t strlen_bounded(const char* s, size_t max) {
    size_t i = 0;
    while (i < max && s[i] != '\0') i++;
    return i;
  }

  std::mutex mutex_;
  std::string messages_;
  bool truncated_ = false;
};

}  // namespace litebit_api

/* A new reporter (as tflite::ErrorReporter*), or nullptr if out of memory. */
inline void* litebit_reporter_create() {
  tflite::ErrorReporter* reporter = new (std::nothrow) litebit_api::CapturingReporter();
  return static_cast<void*>(reporter);
}

/* Everything reported since the last clear, one report per line ("" for a null reporter). */
inline const char* litebit_reporter_messages(void* reporter) {
  if (reporter == nullptr) return "";
  return static_cast<litebit_api::CapturingReporter*>(
             static_cast<tflite::ErrorReporter*>(reporter))->Messages();
}

inline void litebit_reporter_clear(void* reporter) {
  if (reporter == nullptr) return;
  static_cast<litebit_api::CapturingReporter*>(static_cast<tflite::ErrorReporter*>(reporter))
      ->Clear();
}

/* Reports a message as TFLite would (for tests of the capture itself). */
inline void litebit_reporter_report(void* reporter, const char* message) {
  if (reporter == nullptr) return;
  struct Helper {
    static void Call(tflite::ErrorReporter* r, const char* format, ...) {
      va_list args;
      va_start(args, format);
      r->Report(format, args);
      va_end(args);
    }
  };
  Helper::Call(static_cast<tflite::ErrorReporter*>(reporter), "%s", message);
}

/* Deletes the reporter. Nothing (no FlatBufferModel, no interpreter) may use it any more. */
inline void litebit_reporter_delete(void* reporter) {
  delete static_cast<tflite::ErrorReporter*>(reporter);
}

#endif  /* LITEBIT_API_REPORTER_H_ */
