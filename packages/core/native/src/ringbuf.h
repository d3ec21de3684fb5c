// One ring buffer consumer; see ringbuf.cc for the delivery model.
#pragma once
#include "addon.h"
#include <uv.h>

struct RingConsumer {
    Napi::Env env;
    int mapFd = -1;
    int epollFd = -1;
    // The kernel's ring, mapped as libbpf maps it: the consumer page (read-write), then the
    // producer page and the data pages, the data mapped twice in a row so that a record that
    // wraps around the end is contiguous.
    size_t pageSize = 0, dataSize = 0;
    void *consumerPage = nullptr, *producerPages = nullptr;
    unsigned long *consumerPos = nullptr, *producerPos = nullptr;
    uint8_t *data = nullptr;
    uv_poll_t poll;
    uv_timer_t timer;
    uv_idle_t idle; // continues a drain cut short so that other callbacks can run in between
    bool pollStarted = false, timerStarted = false, idleStarted = false;
    bool stopped = false;          // ringStop: no wake-ups and no continued drains until ringStart
    std::vector<uint32_t> offsets; // [offset, length] pairs, offsets into `data`
    uint32_t count = 0;
    Napi::FunctionReference callback;
    Napi::Reference<Napi::Buffer<uint8_t>> bytesView;
    Napi::Reference<Napi::Uint32Array> offsetsView;
    std::unique_ptr<Napi::AsyncContext> asyncContext;
    double records = 0, batches = 0, wakeups = 0;
    bool draining = false, closed = false;
    bool lastFull = false; // the last pass stopped at the batch size, not at the producer
    int pendingHandleCloses = 0;

    explicit RingConsumer(Napi::Env e) : env(e) {}
    ~RingConsumer() {
        unmap();
    }

    int map(int fd);
    void unmap();
    void makeViews();
    bool consumeOnce();
    void deliver();
    void drain(bool fromPoll = false, bool toEmpty = false);
    void release();
};
