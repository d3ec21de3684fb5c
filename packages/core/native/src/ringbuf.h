// One ring buffer consumer; see ringbuf.cc for the delivery model.
#pragma once
#include "addon.h"
#include <uv.h>

struct RingConsumer {
    Napi::Env env;
    ring_buffer *rb = nullptr;
    uv_poll_t poll;
    uv_timer_t timer;
    bool pollStarted = false, timerStarted = false;
    std::vector<uint8_t> staging;
    size_t used = 0;
    std::vector<uint32_t> offsets; // [offset, length] pairs
    uint32_t count = 0;
    Napi::FunctionReference callback;
    Napi::Reference<Napi::Buffer<uint8_t>> bytesView;
    Napi::Reference<Napi::Uint32Array> offsetsView;
    std::unique_ptr<Napi::AsyncContext> asyncContext;
    double records = 0, batches = 0, wakeups = 0;
    bool draining = false, closed = false;
    int pendingHandleCloses = 0;

    explicit RingConsumer(Napi::Env e) : env(e) {}

    void makeViews() {
        bytesView = Napi::Persistent(Napi::Buffer<uint8_t>::New(env, staging.data(), staging.size()));
        auto ab = Napi::ArrayBuffer::New(env, offsets.data(), offsets.size() * sizeof(uint32_t));
        offsetsView = Napi::Persistent(Napi::Uint32Array::New(env, offsets.size(), ab, 0));
    }

    void flush() {
        if (count == 0 || closed)
            return;
        Napi::HandleScope scope(env);
        batches++;
        callback.MakeCallback(env.Global(),
                              {bytesView.Value(), Napi::Number::New(env, count), offsetsView.Value()},
                              *asyncContext);
        count = 0;
        used = 0;
        if (env.IsExceptionPending()) {
            // The TS wrapper catches its own errors; anything escaping it is a bug to surface.
            Napi::Error e = env.GetAndClearPendingException();
            napi_fatal_exception(env, e.Value());
        }
    }

    void grow(size_t need) {
        size_t size = staging.size();
        while (size < need)
            size *= 2;
        staging.assign(size, 0);
        Napi::HandleScope scope(env);
        makeViews();
    }

    // fromPoll: the epoll fd was reported readable. ring_buffer__poll(rb, 0) collects the
    // (edge-triggered) readiness, so the fd stays quiet until the kernel wakes us again, and
    // consumes the ring; timer and explicit drains just consume.
    void drain(bool fromPoll = false) {
        if (closed || draining)
            return;
        draining = true;
        if (fromPoll)
            ring_buffer__poll(rb, 0);
        else
            ring_buffer__consume(rb);
        flush();
        draining = false;
        if (closed)
            release();
    }

    void release();
};

