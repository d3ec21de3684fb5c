// Kernel symbol tables from /proc/kallsyms text. Parsing ~120k lines took ~50 ms of a cold
// JavaScript start (most of it before V8 optimised the loop); here it takes a few, and
// kallsymsLoad reads and parses on a libuv pool thread while JavaScript loads and attaches.
//
//   kallsymsParse(chunks: Uint8Array[]) -> table
//   kallsymsLoad(path, callback(error | null, bytes, table))
//
// A chunk holds whole lines. table: text symbols (t/T/w/W) sorted by address, as typed arrays:
// hi, lo (address halves), chunk, nameAt, nameLen, moduleAt, moduleLen (0: no module); name and
// module are byte ranges of their chunk.
#include "addon.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <numeric>
#include <unistd.h>

namespace {

struct SymbolTable {
    std::vector<uint32_t> hi, lo, nameAt, moduleAt;
    std::vector<uint16_t> chunk, nameLen, moduleLen;
};

uint32_t hexValue(unsigned char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

// "ffffffff81000000 T _stext" or "ffffffffc0a01000 t foo\t[module]"
void parseChunk(const unsigned char *b, size_t len, uint16_t index, SymbolTable &t) {
    for (size_t pos = 0; pos < len;) {
        const unsigned char *nl =
            static_cast<const unsigned char *>(memchr(b + pos, '\n', len - pos));
        size_t end = nl ? static_cast<size_t>(nl - b) : len;
        size_t sp = pos;
        while (sp < end && b[sp] != ' ')
            sp++;
        unsigned char type = sp + 1 < end ? (b[sp + 1] | 0x20) : 0;
        if (sp > pos && sp + 3 < end && (type == 't' || type == 'w') && b[sp + 2] == ' ') {
            uint64_t address = 0;
            for (size_t i = pos; i < sp; i++)
                address = address * 16 + hexValue(b[i]);
            size_t start = sp + 3, stop = start;
            while (stop < end && b[stop] != ' ' && b[stop] != '\t')
                stop++;
            uint32_t moduleAt = 0, moduleLen = 0;
            if (stop + 1 < end && b[stop] == '\t' && b[stop + 1] == '[') {
                size_t close = stop + 2;
                while (close < end && b[close] != ']')
                    close++;
                moduleAt = static_cast<uint32_t>(stop + 2);
                moduleLen = static_cast<uint32_t>(close - stop - 2);
            }
            t.hi.push_back(static_cast<uint32_t>(address >> 32));
            t.lo.push_back(static_cast<uint32_t>(address));
            t.chunk.push_back(index);
            t.nameAt.push_back(static_cast<uint32_t>(start));
            t.nameLen.push_back(static_cast<uint16_t>(stop - start));
            t.moduleAt.push_back(moduleAt);
            t.moduleLen.push_back(static_cast<uint16_t>(moduleLen));
        }
        pos = end + 1;
    }
}

template <typename T> void permute(std::vector<T> &v, const std::vector<uint32_t> &order) {
    std::vector<T> out(v.size());
    for (size_t k = 0; k < order.size(); k++)
        out[k] = v[order[k]];
    v.swap(out);
}

// Address order, ties in file order. A kernel without modules lists its text sorted already.
void sortByAddress(SymbolTable &t) {
    auto key = [&t](uint32_t i) { return (static_cast<uint64_t>(t.hi[i]) << 32) | t.lo[i]; };
    size_t n = t.hi.size();
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = key(static_cast<uint32_t>(i - 1)) <= key(static_cast<uint32_t>(i));
    if (sorted)
        return;
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
    permute(t.hi, order);
    permute(t.lo, order);
    permute(t.chunk, order);
    permute(t.nameAt, order);
    permute(t.nameLen, order);
    permute(t.moduleAt, order);
    permute(t.moduleLen, order);
}

template <typename T, typename A> A typedCopy(Napi::Env env, const std::vector<T> &v) {
    A out = A::New(env, v.size());
    if (!v.empty())
        memcpy(out.Data(), v.data(), v.size() * sizeof(T));
    return out;
}

Napi::Object tableToJs(Napi::Env env, const SymbolTable &t) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("hi", typedCopy<uint32_t, Napi::Uint32Array>(env, t.hi));
    o.Set("lo", typedCopy<uint32_t, Napi::Uint32Array>(env, t.lo));
    o.Set("chunk", typedCopy<uint16_t, Napi::Uint16Array>(env, t.chunk));
    o.Set("nameAt", typedCopy<uint32_t, Napi::Uint32Array>(env, t.nameAt));
    o.Set("nameLen", typedCopy<uint16_t, Napi::Uint16Array>(env, t.nameLen));
    o.Set("moduleAt", typedCopy<uint32_t, Napi::Uint32Array>(env, t.moduleAt));
    o.Set("moduleLen", typedCopy<uint16_t, Napi::Uint16Array>(env, t.moduleLen));
    return o;
}

// /proc/kallsyms reports size 0: read until EOF.
int readAll(const std::string &path, std::vector<unsigned char> &out) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    out.resize(1 << 22);
    size_t used = 0;
    for (;;) {
        if (used == out.size())
            out.resize(out.size() * 2);
        ssize_t n = read(fd, out.data() + used, out.size() - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int err = n < 0 ? -errno : 0;
            close(fd);
            out.resize(used);
            return err;
        }
        used += static_cast<size_t>(n);
    }
}

class KallsymsLoadWorker : public Napi::AsyncWorker {
  public:
    KallsymsLoadWorker(Napi::Function callback, std::string path)
        : Napi::AsyncWorker(callback, "nettrace:kallsyms"), path(std::move(path)) {}

    void Execute() override {
        int err = readAll(path, bytes);
        if (err) {
            SetError(path + ": " + strerror(-err));
            return;
        }
        parseChunk(bytes.data(), bytes.size(), 0, table);
        sortByAddress(table);
    }

    void OnOK() override {
        Napi::Env env = Env();
        Callback().Call({env.Null(),
                         Napi::Buffer<unsigned char>::Copy(env, bytes.data(), bytes.size()),
                         tableToJs(env, table)});
    }

  private:
    std::string path;
    std::vector<unsigned char> bytes;
    SymbolTable table;
};

} // namespace

Napi::Value NettraceAddon::KallsymsParse(const Napi::CallbackInfo &info) {
    Napi::Array chunks = info[0].As<Napi::Array>();
    SymbolTable table;
    for (uint32_t i = 0; i < chunks.Length(); i++) {
        Napi::Uint8Array chunk = chunks.Get(i).As<Napi::Uint8Array>();
        parseChunk(chunk.Data(), chunk.ByteLength(), static_cast<uint16_t>(i), table);
    }
    sortByAddress(table);
    return tableToJs(info.Env(), table);
}

Napi::Value NettraceAddon::KallsymsLoad(const Napi::CallbackInfo &info) {
    std::string path = info[0].As<Napi::String>().Utf8Value();
    auto *worker = new KallsymsLoadWorker(info[1].As<Napi::Function>(), path);
    worker->Queue();
    return info.Env().Undefined();
}
