// Perf buffer consumption, the fallback event channel for kernels without BPF ring buffers
// (before 5.8) and for `--perf-buffer`. Same delivery model as the ring buffer: the per-CPU
// buffers' epoll fd is watched with uv_poll (plus an optional drain timer), every drain copies the
// records into one reused staging area, and JavaScript gets ONE call per drain:
// (bytes, count, offsets). Records the kernel dropped (buffer full) are counted via lost_cb.
#include "addon.h"
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <uv.h>

struct PerfConsumer {
    Napi::Env env;
    perf_buffer *pb = nullptr;
    uv_poll_t poll;
    uv_timer_t timer;
    bool pollStarted = false, timerStarted = false, draining = false, closed = false;
    std::vector<uint8_t> staging;
    size_t used = 0;
    std::vector<uint32_t> offsets; // [offset, length] pairs
    uint32_t count = 0;
    Napi::FunctionReference callback;
    Napi::Reference<Napi::Buffer<uint8_t>> bytesView;
    Napi::Reference<Napi::Uint32Array> offsetsView;
    std::unique_ptr<Napi::AsyncContext> asyncContext;
    double records = 0, batches = 0, wakeups = 0, lost = 0;
    int pendingHandleCloses = 0;

    explicit PerfConsumer(Napi::Env e) : env(e) {}

    void makeViews() {
        bytesView =
            Napi::Persistent(Napi::Buffer<uint8_t>::New(env, staging.data(), staging.size()));
        auto ab = Napi::ArrayBuffer::New(env, offsets.data(), offsets.size() * sizeof(uint32_t));
        offsetsView = Napi::Persistent(Napi::Uint32Array::New(env, offsets.size(), ab, 0));
    }

    void flush() {
        if (count == 0 || closed)
            return;
        Napi::HandleScope scope(env);
        batches++;
        callback.MakeCallback(
            env.Global(), {bytesView.Value(), Napi::Number::New(env, count), offsetsView.Value()},
            *asyncContext);
        count = 0;
        used = 0;
        if (env.IsExceptionPending())
            napi_fatal_exception(env, env.GetAndClearPendingException().Value());
    }

    void add(const void *data, size_t size) {
        size_t aligned = (size + 7) & ~size_t(7);
        if (used + aligned > staging.size() || (count + 1) * 2 > offsets.size()) {
            flush();
            if (aligned > staging.size()) {
                staging.assign(aligned * 2, 0);
                Napi::HandleScope scope(env);
                makeViews();
            }
        }
        memcpy(staging.data() + used, data, size);
        offsets[count * 2] = static_cast<uint32_t>(used);
        offsets[count * 2 + 1] = static_cast<uint32_t>(size);
        count++;
        used += aligned;
        records++;
    }

    void drain() {
        if (closed || draining)
            return;
        draining = true;
        perf_buffer__consume(pb);
        flush();
        draining = false;
        if (closed)
            release();
    }

    void release();
};

static void onSample(void *ctx, int cpu, void *data, __u32 size) {
    auto *pc = static_cast<PerfConsumer *>(ctx);
    if (!pc->closed)
        pc->add(data, size);
}

static void onLost(void *ctx, int cpu, __u64 n) {
    static_cast<PerfConsumer *>(ctx)->lost += static_cast<double>(n);
}

static void onClosed(uv_handle_t *handle) {
    auto *pc = static_cast<PerfConsumer *>(handle->data);
    if (--pc->pendingHandleCloses == 0)
        delete pc;
}

void PerfConsumer::release() {
    pendingHandleCloses = 2;
    uv_close(reinterpret_cast<uv_handle_t *>(&poll), onClosed);
    uv_close(reinterpret_cast<uv_handle_t *>(&timer), onClosed);
    perf_buffer__free(pb);
    pb = nullptr;
}

static void onPoll(uv_poll_t *handle, int status, int events) {
    auto *pc = static_cast<PerfConsumer *>(handle->data);
    pc->wakeups++;
    pc->drain();
}

static void onTimer(uv_timer_t *handle) {
    static_cast<PerfConsumer *>(handle->data)->drain();
}

// perfOpen(mapFd, callback(bytes, count, offsets), pagesPerCpu) -> handle
Napi::Value NettraceAddon::PerfOpen(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    int fd = info[0].As<Napi::Number>().Int32Value();
    size_t pages = info[2].As<Napi::Number>().Uint32Value();
    auto pc = std::make_unique<PerfConsumer>(env);
    clearLibbpfLog();
    pc->pb = perf_buffer__new(fd, pages, onSample, onLost, pc.get(), nullptr);
    if (!pc->pb)
        return throwBpfError(env, "perf buffer open", -errno);
    pc->staging.assign(1 << 20, 0);
    pc->offsets.assign(pc->staging.size() / 8 * 2, 0);
    pc->makeViews();
    pc->callback = Napi::Persistent(info[1].As<Napi::Function>());
    pc->asyncContext = std::make_unique<Napi::AsyncContext>(env, "nettrace.perfbuf");
    uv_loop_t *loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    uv_poll_init(loop, &pc->poll, perf_buffer__epoll_fd(pc->pb));
    uv_timer_init(loop, &pc->timer);
    pc->poll.data = pc.get();
    pc->timer.data = pc.get();
    uint32_t id = nextId++;
    perfs[id] = pc.release();
    return Napi::Number::New(env, id);
}

static PerfConsumer *perfArg(NettraceAddon *addon, const Napi::CallbackInfo &info) {
    auto it = addon->perfs.find(info[0].As<Napi::Number>().Uint32Value());
    return it == addon->perfs.end() ? nullptr : it->second;
}

// perfStart(handle, wakeOnData, timerMs)
Napi::Value NettraceAddon::PerfStart(const Napi::CallbackInfo &info) {
    PerfConsumer *pc = perfArg(this, info);
    if (!pc)
        return throwUsage(info.Env(), "perf buffer handle is closed or unknown");
    if (info[1].As<Napi::Boolean>() && !pc->pollStarted) {
        uv_poll_start(&pc->poll, UV_READABLE, onPoll);
        pc->pollStarted = true;
    }
    uint32_t ms = info[2].As<Napi::Number>().Uint32Value();
    if (ms > 0 && !pc->timerStarted) {
        uv_timer_start(&pc->timer, onTimer, ms, ms);
        pc->timerStarted = true;
    }
    return info.Env().Undefined();
}

// perfStop(handle): no more deliveries until perfStart (see ringStop).
Napi::Value NettraceAddon::PerfStop(const Napi::CallbackInfo &info) {
    if (PerfConsumer *pc = perfArg(this, info)) {
        if (pc->pollStarted)
            uv_poll_stop(&pc->poll);
        if (pc->timerStarted)
            uv_timer_stop(&pc->timer);
        pc->pollStarted = pc->timerStarted = false;
    }
    return info.Env().Undefined();
}

Napi::Value NettraceAddon::PerfConsume(const Napi::CallbackInfo &info) {
    if (PerfConsumer *pc = perfArg(this, info))
        pc->drain();
    return info.Env().Undefined();
}

Napi::Value NettraceAddon::PerfStats(const Napi::CallbackInfo &info) {
    PerfConsumer *pc = perfArg(this, info);
    if (!pc)
        return info.Env().Undefined();
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("records", pc->records);
    out.Set("batches", pc->batches);
    out.Set("wakeups", pc->wakeups);
    out.Set("lost", pc->lost);
    return out;
}

Napi::Value NettraceAddon::PerfClose(const Napi::CallbackInfo &info) {
    PerfConsumer *pc = perfArg(this, info);
    if (!pc)
        return info.Env().Undefined();
    perfs.erase(info[0].As<Napi::Number>().Uint32Value());
    pc->closed = true;
    if (!pc->draining) // otherwise drain() releases it when the current consume returns
        pc->release();
    return info.Env().Undefined();
}
