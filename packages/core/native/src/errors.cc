// Error plumbing: native code reports -errno and libbpf's own text; TS turns it into BpfError
// with a hint. libbpf's print callback is process-wide (libbpf has no per-object logger), so the
// captured text lives in one thread-local buffer that every call clears first.
#include "addon.h"
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

static thread_local std::string libbpfLog;

static int onLibbpfPrint(enum libbpf_print_level level, const char *fmt, va_list args) {
    if (level == LIBBPF_DEBUG)
        return 0;
    // One message can hold a whole verifier log: measure it first, never truncate it.
    va_list measure;
    va_copy(measure, args);
    int n = vsnprintf(nullptr, 0, fmt, measure);
    va_end(measure);
    if (n <= 0)
        return n;
    std::string line(static_cast<size_t>(n) + 1, '\0');
    vsnprintf(line.data(), line.size(), fmt, args);
    line.resize(static_cast<size_t>(n));
    libbpfLog.append(line);
    // A failed load's log can be megabytes; keep the tail, where the reason is.
    if (libbpfLog.size() > (4u << 20))
        libbpfLog.erase(0, libbpfLog.size() - (2u << 20));
    return n;
}

void captureLibbpfLog() {
    libbpf_set_print(onLibbpfPrint);
}

void clearLibbpfLog() {
    libbpfLog.clear();
}

std::string takeLibbpfLog() {
    std::string out;
    out.swap(libbpfLog);
    return out;
}

Napi::Value throwBpfError(Napi::Env env, const char *op, int err, const std::string &what) {
    int code = err < 0 ? -err : err;
    std::string message =
        std::string(op) + (what.empty() ? "" : " " + what) + ": " + strerror(code);
    Napi::Error error = Napi::Error::New(env, message);
    error.Set("op", Napi::String::New(env, op));
    error.Set("errno", Napi::Number::New(env, code));
    error.Set("log", Napi::String::New(env, takeLibbpfLog()));
    error.ThrowAsJavaScriptException();
    return env.Undefined();
}

Napi::Value throwUsage(Napi::Env env, const std::string &message) {
    Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
    return env.Undefined();
}
