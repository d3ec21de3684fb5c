// BTF look-ups the TS side needs: variable offsets inside .rodata (to configure before load) and
// kernel enums (drop reasons are renumbered between releases, so names come from the running
// kernel's BTF, never from a table compiled in).
#include "addon.h"
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <cerrno>
#include <unistd.h>

// datasecVars(obj, ".rodata") -> [{ name, offset, size }]
Napi::Value NettraceAddon::DatasecVars(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    bpf_object *obj = objectArg(info, 0);
    if (!obj)
        return env.Undefined();
    std::string section = info[1].As<Napi::String>();
    Napi::Array out = Napi::Array::New(env);
    btf *b = bpf_object__btf(obj);
    int id = b ? btf__find_by_name_kind(b, section.c_str(), BTF_KIND_DATASEC) : -1;
    if (id < 0)
        return out; // no such section: the object declares no variables there
    const btf_type *sec = btf__type_by_id(b, id);
    const btf_var_secinfo *vars = btf_var_secinfos(sec);
    for (uint32_t i = 0; i < btf_vlen(sec); i++) {
        const btf_type *var = btf__type_by_id(b, vars[i].type);
        Napi::Object v = Napi::Object::New(env);
        v.Set("name", btf__name_by_offset(b, var->name_off));
        v.Set("offset", vars[i].offset);
        v.Set("size", vars[i].size);
        out.Set(i, v);
    }
    return out;
}

// Parsed kernel BTF, by handle. TypeScript decides what to parse and when to free it
// (kernel/btf.ts: the planner asks about every hook, so parsing vmlinux BTF once, ~20 ms, matters;
// before a load it frees its copies, because libbpf parses its own).
btf *NettraceAddon::btfArg(const Napi::CallbackInfo &info, size_t index) {
    auto it = btfs.find(info[index].As<Napi::Number>().Uint32Value());
    if (it == btfs.end()) {
        throwUsage(info.Env(), "BTF handle is closed or unknown");
        return nullptr;
    }
    return it->second.btf;
}

// btfOpen(path, base?: handle) -> handle. Module BTF (/sys/kernel/btf/<module>) is split BTF: it
// only parses on top of the vmlinux BTF it was built against, given as `base`.
Napi::Value NettraceAddon::BtfOpen(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::string path = info[0].As<Napi::String>();
    uint32_t baseId = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 0;
    btf *base = baseId ? btfArg(info, 1) : nullptr;
    if (baseId && !base)
        return env.Undefined();
    clearLibbpfLog();
    btf *b = base ? btf__parse_split(path.c_str(), base) : btf__parse(path.c_str(), nullptr);
    if (!b)
        return throwBpfError(env, "parse BTF", -errno, path);
    uint32_t id = nextId++;
    btfs[id] = {b, baseId};
    return Napi::Number::New(env, id);
}

// btfClose(handle): a base still under an open split BTF is refused (the split refers to it).
Napi::Value NettraceAddon::BtfClose(const Napi::CallbackInfo &info) {
    uint32_t id = info[0].As<Napi::Number>().Uint32Value();
    auto it = btfs.find(id);
    if (it == btfs.end())
        return info.Env().Undefined();
    for (auto &other : btfs)
        if (other.second.base == id)
            return throwUsage(info.Env(),
                              "BTF handle is the base of an open split BTF: close that first");
    btf__free(it->second.btf);
    btfs.erase(it);
    return info.Env().Undefined();
}

// btfEnum(handle, enumName) -> [[name, value], ...] or null when the enum does not exist
Napi::Value NettraceAddon::BtfEnum(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    btf *b = btfArg(info, 0);
    if (!b)
        return env.Undefined();
    std::string name = info[1].As<Napi::String>();
    int id = btf__find_by_name_kind(b, name.c_str(), BTF_KIND_ENUM);
    if (id < 0)
        id = btf__find_by_name_kind(b, name.c_str(), BTF_KIND_ENUM64);
    if (id < 0)
        return env.Null();
    const btf_type *t = btf__type_by_id(b, id);
    Napi::Array out = Napi::Array::New(env);
    for (uint32_t i = 0; i < btf_vlen(t); i++) {
        Napi::Array pair = Napi::Array::New(env, 2);
        if (btf_is_enum(t)) {
            const struct btf_enum *e = btf_enum(t) + i;
            pair.Set(0u, btf__name_by_offset(b, e->name_off));
            pair.Set(1u, static_cast<double>(e->val));
        } else {
            const struct btf_enum64 *e = btf_enum64(t) + i;
            pair.Set(0u, btf__name_by_offset(b, e->name_off));
            pair.Set(1u, static_cast<double>(btf_enum64_value(e)));
        }
        out.Set(i, pair);
    }
    return out;
}

// btfHasType(handle, name, kind: 'struct' | 'func' | 'enum' | 'typedef') -> boolean
Napi::Value NettraceAddon::BtfHasType(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    btf *b = btfArg(info, 0);
    if (!b)
        return env.Undefined();
    std::string name = info[1].As<Napi::String>();
    std::string kind = info[2].As<Napi::String>();
    int k = kind == "func"      ? BTF_KIND_FUNC
            : kind == "enum"    ? BTF_KIND_ENUM
            : kind == "typedef" ? BTF_KIND_TYPEDEF
                                : BTF_KIND_STRUCT;
    bool found = btf__find_by_name_kind(b, name.c_str(), k) >= 0;
    return Napi::Boolean::New(env, found);
}

static int mapTypeByName(const std::string &name) {
    for (int t = 0; t < 64; t++) {
        const char *s = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(t));
        if (s && name == s)
            return t;
    }
    return -1;
}

// probeMapType('ringbuf') -> boolean (libbpf's feature probe)
Napi::Value NettraceAddon::ProbeMapType(const Napi::CallbackInfo &info) {
    int t = mapTypeByName(info[0].As<Napi::String>());
    if (t < 0)
        return throwUsage(info.Env(), "unknown map type");
    int r = libbpf_probe_bpf_map_type(static_cast<bpf_map_type>(t), nullptr);
    return Napi::Boolean::New(info.Env(), r == 1);
}

// probeTracing(btfHandle, 'tp_btf' | 'fentry', target): loads a two-instruction tracing program
// for `target` (resolved in the running kernel's parsed BTF), throws the kernel's refusal like a
// load would. The same answer as loading a probe object, without libbpf parsing the BTF again.
Napi::Value NettraceAddon::ProbeTracing(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    btf *b = btfArg(info, 0);
    if (!b)
        return env.Undefined();
    std::string kind = info[1].As<Napi::String>();
    std::string target = info[2].As<Napi::String>();
    bool tpBtf = kind == "tp_btf";
    std::string name = tpBtf ? "btf_trace_" + target : target;
    int id = btf__find_by_name_kind(b, name.c_str(), tpBtf ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC);
    if (id < 0)
        return throwBpfError(env, "load", -ENOENT, name + " is not in the kernel BTF");
    const bpf_insn insns[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0}, // r0 = 0
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                  // exit
    };
    LIBBPF_OPTS(bpf_prog_load_opts, opts,
                .expected_attach_type = tpBtf ? BPF_TRACE_RAW_TP : BPF_TRACE_FENTRY,
                .attach_btf_id = static_cast<__u32>(id));
    clearLibbpfLog();
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nt_probe", "GPL", insns, 2, &opts);
    if (fd < 0)
        return throwBpfError(env, "load", -errno, kind + " " + target);
    close(fd);
    return Napi::Boolean::New(env, true);
}
