// One self-contained BTF file from a kernel's BTF and split BTF for some of its modules.
// Kernels before 5.11 (and any kernel built without CONFIG_DEBUG_INFO_BTF_MODULES) publish no
// module BTF, so libbpf cannot relocate reads of module-private structs (tun_struct, vhost_net,
// datapath...). pahole can encode those modules' types from debug info as split BTF on top of the
// kernel's; libbpf's btf_custom_path, however, takes one non-split file and then ignores module
// BTF. So the split types are appended to a copy of the base: they keep their type IDs (split IDs
// continue the base's), and their strings are re-added to the copy's string table.
#include "addon.h"
#include <bpf/btf.h>
#include <cerrno>
#include <cstdio>
#include <memory>

using BtfPtr = std::unique_ptr<btf, void (*)(btf *)>;

// mergeSplitBtf(basePath, splitPath, outPath) -> { baseTypes, moduleTypes }
Napi::Value NettraceAddon::MergeSplitBtf(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::string basePath = info[0].As<Napi::String>();
    std::string splitPath = info[1].As<Napi::String>();
    std::string outPath = info[2].As<Napi::String>();

    clearLibbpfLog();
    BtfPtr base(btf__parse(basePath.c_str(), nullptr), btf__free);
    if (!base)
        return throwBpfError(env, "parse BTF", -errno, basePath);
    BtfPtr split(btf__parse_split(splitPath.c_str(), base.get()), btf__free);
    if (!split)
        return throwBpfError(env, "parse split BTF", -errno, splitPath);

    uint32_t baseSize = 0;
    const void *baseRaw = btf__raw_data(base.get(), &baseSize);
    BtfPtr merged(baseRaw ? btf__new(baseRaw, baseSize) : nullptr, btf__free);
    if (!merged)
        return throwBpfError(env, "copy BTF", -errno, basePath);

    const uint32_t first = btf__type_cnt(base.get());
    const uint32_t end = btf__type_cnt(split.get());
    for (uint32_t id = first; id < end; id++) {
        int got = btf__add_type(merged.get(), split.get(), btf__type_by_id(split.get(), id));
        if (got < 0)
            return throwBpfError(env, "append BTF type", got, splitPath);
        if (static_cast<uint32_t>(got) != id) // would break every reference into the split part
            return throwBpfError(env, "append BTF type", -EINVAL,
                                 "type IDs shifted while merging " + splitPath);
    }

    uint32_t size = 0;
    const void *raw = btf__raw_data(merged.get(), &size);
    if (!raw)
        return throwBpfError(env, "serialize BTF", -errno, outPath);
    std::unique_ptr<FILE, int (*)(FILE *)> out(fopen(outPath.c_str(), "wb"), fclose);
    if (!out)
        return throwBpfError(env, "write BTF", -errno, outPath);
    if (fwrite(raw, 1, size, out.get()) != size)
        return throwBpfError(env, "write BTF", -EIO, outPath);

    Napi::Object result = Napi::Object::New(env);
    result.Set("baseTypes", first - 1);
    result.Set("moduleTypes", end - first);
    return result;
}
