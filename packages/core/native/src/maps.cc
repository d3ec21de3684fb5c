// Map access by fd with caller-provided buffers, so the hot paths allocate nothing.
#include "addon.h"
#include <bpf/bpf.h>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

Napi::Value NettraceAddon::MapFd(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    bpf_map *map = obj ? mapArg(info, obj, 1) : nullptr;
    if (!map)
        return info.Env().Undefined();
    return Napi::Number::New(info.Env(), bpf_map__fd(map));
}

static void *bytesOf(const Napi::Value &v) {
    return v.IsTypedArray() ? v.As<Napi::Uint8Array>().Data() : nullptr;
}

// mapLookup(fd, key, valueOut) -> boolean (false when the key is absent)
Napi::Value NettraceAddon::MapLookup(const Napi::CallbackInfo &info) {
    int fd = info[0].As<Napi::Number>().Int32Value();
    int err = bpf_map_lookup_elem(fd, bytesOf(info[1]), bytesOf(info[2]));
    if (err && errno == ENOENT)
        return Napi::Boolean::New(info.Env(), false);
    if (err)
        return throwBpfError(info.Env(), "map lookup", -errno);
    return Napi::Boolean::New(info.Env(), true);
}

// mapUpdate(fd, key, value, flags)
Napi::Value NettraceAddon::MapUpdate(const Napi::CallbackInfo &info) {
    int fd = info[0].As<Napi::Number>().Int32Value();
    uint64_t flags = info[3].As<Napi::Number>().Int64Value();
    if (bpf_map_update_elem(fd, bytesOf(info[1]), bytesOf(info[2]), flags))
        return throwBpfError(info.Env(), "map update", -errno);
    return info.Env().Undefined();
}

// mapDelete(fd, key) -> boolean (false when the key was absent)
Napi::Value NettraceAddon::MapDelete(const Napi::CallbackInfo &info) {
    int fd = info[0].As<Napi::Number>().Int32Value();
    if (bpf_map_delete_elem(fd, bytesOf(info[1]))) {
        if (errno == ENOENT)
            return Napi::Boolean::New(info.Env(), false);
        return throwBpfError(info.Env(), "map delete", -errno);
    }
    return Napi::Boolean::New(info.Env(), true);
}

// mapNextKey(fd, key | null, nextOut) -> boolean (false at the end)
Napi::Value NettraceAddon::MapNextKey(const Napi::CallbackInfo &info) {
    int fd = info[0].As<Napi::Number>().Int32Value();
    void *key = info[1].IsNull() ? nullptr : bytesOf(info[1]);
    if (bpf_map_get_next_key(fd, key, bytesOf(info[2]))) {
        if (errno == ENOENT)
            return Napi::Boolean::New(info.Env(), false);
        return throwBpfError(info.Env(), "map next key", -errno);
    }
    return Napi::Boolean::New(info.Env(), true);
}

Napi::Value NettraceAddon::PossibleCpus(const Napi::CallbackInfo &info) {
    int n = libbpf_num_possible_cpus();
    if (n < 0)
        return throwBpfError(info.Env(), "possible cpus", n);
    return Napi::Number::New(info.Env(), n);
}

// programStats(progFd) -> { id, runTimeNs, runCount, recursionMisses } (non-zero only with
// kernel.bpf_stats_enabled=1)
Napi::Value NettraceAddon::ProgramStats(const Napi::CallbackInfo &info) {
    int fd = info[0].As<Napi::Number>().Int32Value();
    bpf_prog_info pinfo = {};
    uint32_t len = sizeof(pinfo);
    if (bpf_prog_get_info_by_fd(fd, &pinfo, &len))
        return throwBpfError(info.Env(), "program info", -errno);
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("id", Napi::Number::New(info.Env(), pinfo.id));
    out.Set("runTimeNs", Napi::Number::New(info.Env(), static_cast<double>(pinfo.run_time_ns)));
    out.Set("runCount", Napi::Number::New(info.Env(), static_cast<double>(pinfo.run_cnt)));
    // Runs the kernel skipped because another BPF program was active on that CPU (5.12+).
    out.Set("recursionMisses",
            Napi::Number::New(info.Env(), static_cast<double>(pinfo.recursion_misses)));
    return out;
}

// programSymbols(progFd) -> { tag, name, funcs: [hi, lo, length, ...] }: where the program's
// JIT-compiled functions (the main one, then its subprograms) are in kernel memory. kallsyms
// names each `bpf_prog_<tag>_<name>`; a stack symbolised from a kallsyms read made before this
// program was loaded places its frames with these.
Napi::Value NettraceAddon::ProgramSymbols(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    int fd = info[0].As<Napi::Number>().Int32Value();
    bpf_prog_info pinfo = {};
    uint32_t len = sizeof(pinfo);
    if (bpf_prog_get_info_by_fd(fd, &pinfo, &len))
        return throwBpfError(env, "program info", -errno);
    // Second call with room for the counts the first one reported (ksyms and lengths only).
    std::vector<__u64> ksyms(pinfo.nr_jited_ksyms);
    std::vector<__u32> lens(pinfo.nr_jited_func_lens);
    char tag[2 * BPF_TAG_SIZE + 1];
    for (int i = 0; i < BPF_TAG_SIZE; i++)
        snprintf(tag + 2 * i, 3, "%02x", pinfo.tag[i]);
    std::string name(pinfo.name, strnlen(pinfo.name, sizeof(pinfo.name)));
    bpf_prog_info funcs = {};
    funcs.nr_jited_ksyms = static_cast<__u32>(ksyms.size());
    funcs.jited_ksyms = reinterpret_cast<__u64>(ksyms.data());
    funcs.nr_jited_func_lens = static_cast<__u32>(lens.size());
    funcs.jited_func_lens = reinterpret_cast<__u64>(lens.data());
    len = sizeof(funcs);
    if (!ksyms.empty() && bpf_prog_get_info_by_fd(fd, &funcs, &len))
        return throwBpfError(env, "program info", -errno);
    Napi::Array out = Napi::Array::New(env);
    // Not JIT-compiled, or addresses hidden (kptr_restrict): no functions to report.
    for (size_t i = 0; i < ksyms.size() && i < lens.size() && ksyms[i]; i++) {
        uint32_t at = static_cast<uint32_t>(i * 3);
        out.Set(at, Napi::Number::New(env, static_cast<double>(ksyms[i] >> 32)));
        out.Set(at + 1, Napi::Number::New(env, static_cast<double>(ksyms[i] & 0xffffffffu)));
        out.Set(at + 2, Napi::Number::New(env, lens[i]));
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("tag", Napi::String::New(env, tag));
    result.Set("name", Napi::String::New(env, name));
    result.Set("funcs", out);
    return result;
}

// mapLookupBatch(fd, inBatch | null, outBatch, keys, values, count) -> { count, done }
// One syscall for up to `count` entries (hash/array maps, kernel 5.6+). `inBatch`/`outBatch` are
// opaque cursors of key size. ENOENT means this was the last batch.
Napi::Value NettraceAddon::MapLookupBatch(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    int fd = info[0].As<Napi::Number>().Int32Value();
    void *in = info[1].IsNull() ? nullptr : bytesOf(info[1]);
    __u32 count = info[5].As<Napi::Number>().Uint32Value();
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    int err = bpf_map_lookup_batch(fd, in, bytesOf(info[2]), bytesOf(info[3]), bytesOf(info[4]),
                                   &count, &opts);
    bool done = false;
    if (err) {
        if (errno != ENOENT)
            return throwBpfError(env, "map lookup batch", -errno);
        done = true;
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("count", Napi::Number::New(env, count));
    out.Set("done", Napi::Boolean::New(env, done));
    return out;
}
