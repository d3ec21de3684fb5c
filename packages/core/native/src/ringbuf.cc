// Ring buffer consumption on the libuv loop, zero-copy: the ring is mapped into this process as
// libbpf maps it (consumer page read-write, producer page + data read-only, the data mapped twice
// in a row so a record that wraps around is contiguous), and each drain hands JavaScript ONE call
// per batch: (bytes, count, offsets), where bytes is a borrowed view of the mapped data (valid
// during the call only, read-only memory) and offsets holds [offset, length] pairs. The records'
// space is released to the producers (consumer position stored) after the call returns. No copy,
// no per-record callback: the native cost per record is reading its 8-byte header.
//
// Wake-ups: the ring's fd sits in a private epoll set, edge-triggered, watched by uv_poll; a uv
// timer drains as well when the hybrid policy asks for one. Level-triggered epoll (libbpf's
// ring_buffer__poll) reports the ring readable whenever it holds any data: a reader that drains
// and goes back to epoll while the producer keeps writing is woken again at once, a few records
// per wake-up (measured: ~3 records per wake-up at 1.5 M events/s, ~550 ns of consumer CPU per
// event), and records submitted with BPF_RB_NO_WAKEUP would be picked up by this polling anyway.
// Edge-triggered, the reader sleeps until the kernel wakes it: when it had caught up (adaptive),
// or above the fill threshold (hybrid); the timer drains the rest.
#include "ringbuf.h"
#include <atomic>
#include <bpf/bpf.h>
#include <cerrno>
#include <linux/bpf.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

// Records per JavaScript call (the offsets array); a larger backlog is delivered in several.
static constexpr uint32_t kBatchRecords = 16384;
// Passes per drain before yielding to the loop (a producer faster than JS must not starve
// timers and signals); the drain continues from a uv_idle callback.
static constexpr int kPassesPerDrain = 8;

int RingConsumer::map(int fd) {
    bpf_map_info info = {};
    uint32_t len = sizeof(info);
    if (bpf_map_get_info_by_fd(fd, &info, &len))
        return -errno;
    if (info.type != BPF_MAP_TYPE_RINGBUF)
        return -EINVAL;
    pageSize = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    dataSize = info.max_entries;
    consumerPage = mmap(nullptr, pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (consumerPage == MAP_FAILED) {
        consumerPage = nullptr;
        return -errno;
    }
    producerPages = mmap(nullptr, pageSize + 2 * dataSize, PROT_READ, MAP_SHARED, fd, pageSize);
    if (producerPages == MAP_FAILED) {
        producerPages = nullptr;
        int err = -errno;
        unmap();
        return err;
    }
    consumerPos = static_cast<unsigned long *>(consumerPage);
    producerPos = static_cast<unsigned long *>(producerPages);
    data = static_cast<uint8_t *>(producerPages) + pageSize;
    epollFd = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev = {};
    ev.events = EPOLLIN | EPOLLET;
    if (epollFd < 0 || epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        int err = -errno;
        unmap();
        return err;
    }
    mapFd = fd;
    return 0;
}

void RingConsumer::unmap() {
    if (epollFd >= 0)
        close(epollFd);
    epollFd = -1;
    if (producerPages)
        munmap(producerPages, pageSize + 2 * dataSize);
    if (consumerPage)
        munmap(consumerPage, pageSize);
    producerPages = consumerPage = nullptr;
    consumerPos = producerPos = nullptr;
    data = nullptr;
}

void RingConsumer::makeViews() {
    bytesView = Napi::Persistent(Napi::Buffer<uint8_t>::New(env, data, 2 * dataSize));
    auto ab = Napi::ArrayBuffer::New(env, offsets.data(), offsets.size() * sizeof(uint32_t));
    offsetsView = Napi::Persistent(Napi::Uint32Array::New(env, offsets.size(), ab, 0));
}

void RingConsumer::deliver() {
    if (count == 0 || closed)
        return;
    Napi::HandleScope scope(env);
    batches++;
    callback.MakeCallback(env.Global(),
                          {bytesView.Value(), Napi::Number::New(env, count), offsetsView.Value()},
                          *asyncContext);
    if (env.IsExceptionPending()) {
        // The TS wrapper catches its own errors; anything escaping it is a bug to surface.
        Napi::Error e = env.GetAndClearPendingException();
        napi_fatal_exception(env, e.Value());
    }
}

// Collects the committed records between the consumer and producer positions (up to one batch),
// delivers them, then releases their space. Returns whether the consumer position moved.
bool RingConsumer::consumeOnce() {
    const unsigned long mask = dataSize - 1;
    unsigned long cons = *consumerPos; // only this process writes it
    unsigned long prod = __atomic_load_n(producerPos, __ATOMIC_ACQUIRE);
    unsigned long pos = cons;
    count = 0;
    const uint32_t capacity = static_cast<uint32_t>(offsets.size() / 2);
    while (pos < prod && count < capacity) {
        uint32_t *header = reinterpret_cast<uint32_t *>(data + (pos & mask));
        uint32_t len = __atomic_load_n(header, __ATOMIC_ACQUIRE);
        if (len & BPF_RINGBUF_BUSY_BIT)
            break; // reserved, not committed yet: its commit wakes us (adaptive) or the timer does
        uint32_t size = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
        if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
            offsets[count * 2] = static_cast<uint32_t>((pos & mask) + BPF_RINGBUF_HDR_SZ);
            offsets[count * 2 + 1] = size;
            count++;
        }
        pos += (size + BPF_RINGBUF_HDR_SZ + 7) & ~7ul;
    }
    lastFull = count == capacity;
    if (pos == cons)
        return false;
    records += count;
    deliver();
    count = 0;
    __atomic_store_n(consumerPos, pos, __ATOMIC_RELEASE);
    return true;
}

static void onIdle(uv_idle_t *handle) {
    auto *rc = static_cast<RingConsumer *>(handle->data);
    uv_idle_stop(handle);
    rc->idleStarted = false;
    rc->drain();
}

// fromPoll: the epoll fd was reported readable; take the edge (epoll_wait with no timeout) so it
// stays quiet until the kernel wakes us again. toEmpty: an explicit drain (before a report).
void RingConsumer::drain(bool fromPoll, bool toEmpty) {
    if (closed || draining)
        return;
    draining = true;
    if (fromPoll) {
        epoll_event ev;
        while (epoll_wait(epollFd, &ev, 1, 0) > 0) {
        }
    }
    // Edge-triggered epoll cannot re-check on its own: our last consumer-position store and the
    // producer's read of it (which decides the adaptive wake-up) can pass each other (store ->
    // load reordering), and that wake-up would be lost for good. So: a full fence after each
    // pass, and one more pass: either we see the producer's record, or it sees our position
    // and wakes us. With a drain timer (hybrid), records that arrived during a pass just wait
    // for the next wake-up or tick: chasing them would cost a JavaScript call per handful.
    bool more = true;
    for (int pass = 0; pass < kPassesPerDrain && !closed && !(stopped && !toEmpty); pass++) {
        bool moved = consumeOnce();
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (!moved || (timerStarted && !toEmpty && !lastFull)) {
            more = false;
            break;
        }
    }
    if (more && !closed && !stopped && !idleStarted) {
        idleStarted = true;
        uv_idle_start(&idle, onIdle);
    }
    draining = false;
    if (closed)
        release();
}

static void onHandleClosed(uv_handle_t *handle) {
    auto *rc = static_cast<RingConsumer *>(handle->data);
    if (--rc->pendingHandleCloses == 0)
        delete rc;
}

void RingConsumer::release() {
    // The uv handles are always initialised; closing the poll handle first removes the epoll fd
    // from libuv before it is closed. The struct is freed once libuv is done with all three.
    pendingHandleCloses = 3;
    uv_close(reinterpret_cast<uv_handle_t *>(&poll), onHandleClosed);
    uv_close(reinterpret_cast<uv_handle_t *>(&timer), onHandleClosed);
    uv_close(reinterpret_cast<uv_handle_t *>(&idle), onHandleClosed);
    unmap();
}

static void onPoll(uv_poll_t *handle, int status, int events) {
    auto *rc = static_cast<RingConsumer *>(handle->data);
    rc->wakeups++;
    rc->drain(true);
}

static void onTimer(uv_timer_t *handle) {
    static_cast<RingConsumer *>(handle->data)->drain();
}

// ringOpen(mapFd, callback(bytes, count, offsets)) -> ring handle. Records are read in place.
Napi::Value NettraceAddon::RingOpen(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    int fd = info[0].As<Napi::Number>().Int32Value();
    auto rc = std::make_unique<RingConsumer>(env);
    if (int err = rc->map(fd))
        return throwBpfError(env, "ring buffer open", err);
    rc->offsets.assign(kBatchRecords * 2, 0);
    rc->makeViews();
    rc->callback = Napi::Persistent(info[1].As<Napi::Function>());
    rc->asyncContext = std::make_unique<Napi::AsyncContext>(env, "nettrace.ringbuf");
    uv_loop_t *loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    uv_poll_init(loop, &rc->poll, rc->epollFd);
    uv_timer_init(loop, &rc->timer);
    uv_idle_init(loop, &rc->idle);
    rc->poll.data = rc.get();
    rc->timer.data = rc.get();
    rc->idle.data = rc.get();
    uint32_t id = nextId++;
    rings[id] = std::move(rc);
    return Napi::Number::New(env, id);
}

// ringStart(ring, wakeOnData: boolean, timerMs: number): epoll wake-ups, a drain timer, or both.
Napi::Value NettraceAddon::RingStart(const Napi::CallbackInfo &info) {
    auto it = rings.find(info[0].As<Napi::Number>().Uint32Value());
    if (it == rings.end())
        return throwUsage(info.Env(), "ring buffer handle is closed or unknown");
    RingConsumer *rc = it->second.get();
    rc->stopped = false;
    if (info[1].As<Napi::Boolean>() && !rc->pollStarted) {
        uv_poll_start(&rc->poll, UV_READABLE, onPoll);
        rc->pollStarted = true;
    }
    uint32_t ms = info[2].As<Napi::Number>().Uint32Value();
    if (ms > 0 && !rc->timerStarted) {
        uv_timer_start(&rc->timer, onTimer, ms, ms);
        rc->timerStarted = true;
    }
    // Records written before the reader existed woke nobody, and an edge-triggered reader would
    // not be woken for the ones after them: drain once on the next loop iteration.
    if (!rc->idleStarted) {
        rc->idleStarted = true;
        uv_idle_start(&rc->idle, onIdle);
    }
    return info.Env().Undefined();
}

// ringStop(ring): no more deliveries until ringStart (a reader that cannot keep up, e.g. output
// backlogged): records wait in the ring, and what does not fit is counted lost by the producer.
Napi::Value NettraceAddon::RingStop(const Napi::CallbackInfo &info) {
    auto it = rings.find(info[0].As<Napi::Number>().Uint32Value());
    if (it == rings.end())
        return info.Env().Undefined();
    RingConsumer *rc = it->second.get();
    rc->stopped = true;
    if (rc->pollStarted)
        uv_poll_stop(&rc->poll);
    if (rc->timerStarted)
        uv_timer_stop(&rc->timer);
    if (rc->idleStarted)
        uv_idle_stop(&rc->idle);
    rc->pollStarted = rc->timerStarted = rc->idleStarted = false;
    return info.Env().Undefined();
}

// ringConsume(ring): drain now (e.g. before the final report).
Napi::Value NettraceAddon::RingConsume(const Napi::CallbackInfo &info) {
    auto it = rings.find(info[0].As<Napi::Number>().Uint32Value());
    if (it != rings.end())
        it->second->drain(false, true);
    return info.Env().Undefined();
}

Napi::Value NettraceAddon::RingStats(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    auto it = rings.find(info[0].As<Napi::Number>().Uint32Value());
    if (it == rings.end())
        return env.Undefined();
    Napi::Object out = Napi::Object::New(env);
    out.Set("records", it->second->records);
    out.Set("batches", it->second->batches);
    out.Set("wakeups", it->second->wakeups);
    return out;
}

Napi::Value NettraceAddon::RingClose(const Napi::CallbackInfo &info) {
    auto it = rings.find(info[0].As<Napi::Number>().Uint32Value());
    if (it == rings.end())
        return info.Env().Undefined();
    RingConsumer *rc = it->second.release();
    rings.erase(it);
    rc->closed = true;
    if (!rc->draining) // otherwise drain() releases it when the current pass returns
        rc->release();
    return info.Env().Undefined();
}
