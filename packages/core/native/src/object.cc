// BPF object lifecycle: open from bytes, inspect, configure before load, load, close.
#include "addon.h"
#include <bpf/btf.h>
#include <cstring>

bpf_object *NettraceAddon::objectArg(const Napi::CallbackInfo &info, size_t index) {
    auto it = objects.find(info[index].As<Napi::Number>().Uint32Value());
    if (it == objects.end()) {
        throwUsage(info.Env(), "BPF object handle is closed or unknown");
        return nullptr;
    }
    return it->second;
}

bpf_program *NettraceAddon::programArg(const Napi::CallbackInfo &info, bpf_object *obj,
                                       size_t index) {
    std::string name = info[index].As<Napi::String>();
    bpf_program *prog = bpf_object__find_program_by_name(obj, name.c_str());
    if (!prog)
        throwUsage(info.Env(), "no BPF program named " + name + " in the object");
    return prog;
}

bpf_map *NettraceAddon::mapArg(const Napi::CallbackInfo &info, bpf_object *obj, size_t index) {
    std::string name = info[index].As<Napi::String>();
    bpf_map *map = bpf_object__find_map_by_name(obj, name.c_str());
    if (!map)
        throwUsage(info.Env(), "no BPF map named " + name + " in the object");
    return map;
}

Napi::Value NettraceAddon::LibbpfVersion(const Napi::CallbackInfo &info) {
    return Napi::String::New(info.Env(), libbpf_version_string());
}

// openObject(bytes: Uint8Array, name: string, btfPath?: string) -> handle
Napi::Value NettraceAddon::OpenObject(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    auto bytes = info[0].As<Napi::Uint8Array>();
    std::string name = info[1].As<Napi::String>();
    std::string btfPath = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
    uint32_t id = nextId++;
    auto &image = objectBytes[id];
    image.assign(reinterpret_cast<char *>(bytes.Data()),
                 reinterpret_cast<char *>(bytes.Data()) + bytes.ByteLength());
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name.c_str(),
                .btf_custom_path = btfPath.empty() ? nullptr : btfPath.c_str());
    clearLibbpfLog();
    bpf_object *obj = bpf_object__open_mem(image.data(), image.size(), &opts);
    if (!obj) {
        int err = -errno;
        objectBytes.erase(id);
        return throwBpfError(env, "open", err, name);
    }
    objects[id] = obj;
    return Napi::Number::New(env, id);
}

Napi::Value NettraceAddon::ObjectPrograms(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    bpf_object *obj = objectArg(info, 0);
    if (!obj)
        return env.Undefined();
    Napi::Array out = Napi::Array::New(env);
    bpf_program *prog;
    uint32_t i = 0;
    bpf_object__for_each_program(prog, obj) {
        Napi::Object p = Napi::Object::New(env);
        p.Set("name", bpf_program__name(prog));
        p.Set("section", bpf_program__section_name(prog));
        const char *type = libbpf_bpf_prog_type_str(bpf_program__type(prog));
        p.Set("type", type ? type : "unknown");
        p.Set("autoload", bpf_program__autoload(prog));
        out.Set(i++, p);
    }
    return out;
}

Napi::Value NettraceAddon::ObjectMaps(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    bpf_object *obj = objectArg(info, 0);
    if (!obj)
        return env.Undefined();
    Napi::Array out = Napi::Array::New(env);
    bpf_map *map;
    uint32_t i = 0;
    bpf_object__for_each_map(map, obj) {
        Napi::Object m = Napi::Object::New(env);
        m.Set("name", bpf_map__name(map));
        const char *type = libbpf_bpf_map_type_str(bpf_map__type(map));
        m.Set("type", type ? type : "unknown");
        m.Set("keySize", bpf_map__key_size(map));
        m.Set("valueSize", bpf_map__value_size(map));
        m.Set("maxEntries", bpf_map__max_entries(map));
        out.Set(i++, m);
    }
    return out;
}

Napi::Value NettraceAddon::SetAutoload(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    bpf_program *prog = obj ? programArg(info, obj, 1) : nullptr;
    if (!prog)
        return info.Env().Undefined();
    int err = bpf_program__set_autoload(prog, info[2].As<Napi::Boolean>());
    return err ? throwBpfError(info.Env(), "set autoload", err) : info.Env().Undefined();
}

// For fentry/fexit/tp_btf chosen by the planner: the BTF target must be set before load.
Napi::Value NettraceAddon::SetAttachTarget(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    bpf_program *prog = obj ? programArg(info, obj, 1) : nullptr;
    if (!prog)
        return info.Env().Undefined();
    std::string target = info[2].As<Napi::String>();
    clearLibbpfLog();
    int err = bpf_program__set_attach_target(prog, 0, target.c_str());
    return err ? throwBpfError(info.Env(), "set attach target", err, target)
               : info.Env().Undefined();
}

Napi::Value NettraceAddon::SetMaxEntries(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    bpf_map *map = obj ? mapArg(info, obj, 1) : nullptr;
    if (!map)
        return info.Env().Undefined();
    int err = bpf_map__set_max_entries(map, info[2].As<Napi::Number>().Uint32Value());
    return err ? throwBpfError(info.Env(), "set max entries", err, bpf_map__name(map))
               : info.Env().Undefined();
}

// setAutocreate(obj, map, on): a map the chosen channel does not use is not created (a ring
// buffer on a kernel without them); programs referring to it must not reach it (verifier prunes).
Napi::Value NettraceAddon::SetAutocreate(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    bpf_map *map = obj ? mapArg(info, obj, 1) : nullptr;
    if (!map)
        return info.Env().Undefined();
    int err = bpf_map__set_autocreate(map, info[2].As<Napi::Boolean>());
    return err ? throwBpfError(info.Env(), "set autocreate", err, bpf_map__name(map))
               : info.Env().Undefined();
}

// setInitialBytes(obj, mapName, offset, bytes): patch .rodata/.bss/.data before load.
Napi::Value NettraceAddon::SetInitialBytes(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    bpf_object *obj = objectArg(info, 0);
    bpf_map *map = obj ? mapArg(info, obj, 1) : nullptr;
    if (!map)
        return env.Undefined();
    uint32_t offset = info[2].As<Napi::Number>().Uint32Value();
    auto bytes = info[3].As<Napi::Uint8Array>();
    size_t size = 0;
    void *data = bpf_map__initial_value(map, &size);
    if (!data || offset + bytes.ByteLength() > size)
        return throwUsage(env,
                          std::string("initial value out of range for map ") + bpf_map__name(map));
    memcpy(static_cast<char *>(data) + offset, bytes.Data(), bytes.ByteLength());
    return env.Undefined();
}

Napi::Value NettraceAddon::LoadObject(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    if (!obj)
        return info.Env().Undefined();
    clearLibbpfLog();
    int err = bpf_object__load(obj);
    if (err)
        return throwBpfError(info.Env(), "load", err, bpf_object__name(obj));
    takeLibbpfLog();
    return info.Env().Undefined();
}

Napi::Value NettraceAddon::ProgramFd(const Napi::CallbackInfo &info) {
    bpf_object *obj = objectArg(info, 0);
    bpf_program *prog = obj ? programArg(info, obj, 1) : nullptr;
    if (!prog)
        return info.Env().Undefined();
    return Napi::Number::New(info.Env(), bpf_program__fd(prog));
}

// Closing is idempotent: links of the object go first, then the object (its maps and programs).
Napi::Value NettraceAddon::CloseObject(const Napi::CallbackInfo &info) {
    uint32_t id = info[0].As<Napi::Number>().Uint32Value();
    for (auto it = linkOwner.begin(); it != linkOwner.end();) {
        if (it->second == id) {
            bpf_link__destroy(links[it->first]);
            links.erase(it->first);
            it = linkOwner.erase(it);
        } else {
            ++it;
        }
    }
    auto obj = objects.find(id);
    if (obj != objects.end()) {
        bpf_object__close(obj->second);
        objects.erase(obj);
    }
    objectBytes.erase(id);
    return info.Env().Undefined();
}
