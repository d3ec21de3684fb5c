// Shared declarations of the nettrace core addon. Native code only moves bytes and file
// descriptors; every policy (validation, fallbacks, decoding) lives in TypeScript.
#pragma once
#include <napi.h>
#include <bpf/libbpf.h>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct RingConsumer;
struct PerfConsumer;

// One instance per Node environment (worker threads get their own); no global handle tables.
class NettraceAddon : public Napi::Addon<NettraceAddon> {
  public:
    NettraceAddon(Napi::Env env, Napi::Object exports);
    ~NettraceAddon();

    std::unordered_map<uint32_t, bpf_object *> objects;
    // libbpf reads the ELF image lazily until load, so the bytes live as long as the object.
    std::unordered_map<uint32_t, std::vector<char>> objectBytes;
    std::unordered_map<uint32_t, bpf_link *> links;
    std::unordered_map<uint32_t, uint32_t> linkOwner; // link id -> object id
    std::unordered_map<uint32_t, std::unique_ptr<RingConsumer>> rings;
    // Parsed BTF by handle (btf.cc), opened and closed by TypeScript; `base` is the handle a
    // split (module) BTF was parsed on, 0 for none.
    struct ParsedBtf {
        struct btf *btf;
        uint32_t base;
    };
    std::unordered_map<uint32_t, ParsedBtf> btfs;
    std::unordered_map<uint32_t, PerfConsumer *> perfs; // freed by their own close sequence
    uint32_t nextId = 1;

    bpf_object *objectArg(const Napi::CallbackInfo &info, size_t index);
    bpf_program *programArg(const Napi::CallbackInfo &info, bpf_object *obj, size_t index);
    bpf_map *mapArg(const Napi::CallbackInfo &info, bpf_object *obj, size_t index);
    struct btf *btfArg(const Napi::CallbackInfo &info, size_t index);

  private:
    // object.cc
    Napi::Value LibbpfVersion(const Napi::CallbackInfo &info);
    Napi::Value OpenObject(const Napi::CallbackInfo &info);
    Napi::Value ObjectPrograms(const Napi::CallbackInfo &info);
    Napi::Value ObjectMaps(const Napi::CallbackInfo &info);
    Napi::Value SetAutoload(const Napi::CallbackInfo &info);
    Napi::Value SetAttachTarget(const Napi::CallbackInfo &info);
    Napi::Value SetMaxEntries(const Napi::CallbackInfo &info);
    Napi::Value SetAutocreate(const Napi::CallbackInfo &info);
    Napi::Value SetInitialBytes(const Napi::CallbackInfo &info);
    Napi::Value LoadObject(const Napi::CallbackInfo &info);
    Napi::Value CloseObject(const Napi::CallbackInfo &info);
    Napi::Value ProgramFd(const Napi::CallbackInfo &info);
    // attach.cc
    Napi::Value Attach(const Napi::CallbackInfo &info);
    Napi::Value DestroyLink(const Napi::CallbackInfo &info);
    Napi::Value WaitForRunningPrograms(const Napi::CallbackInfo &info);
    // maps.cc
    Napi::Value MapFd(const Napi::CallbackInfo &info);
    Napi::Value MapLookup(const Napi::CallbackInfo &info);
    Napi::Value MapUpdate(const Napi::CallbackInfo &info);
    Napi::Value MapDelete(const Napi::CallbackInfo &info);
    Napi::Value MapNextKey(const Napi::CallbackInfo &info);
    Napi::Value MapLookupBatch(const Napi::CallbackInfo &info);
    Napi::Value PossibleCpus(const Napi::CallbackInfo &info);
    Napi::Value ProgramStats(const Napi::CallbackInfo &info);
    Napi::Value ProgramSymbols(const Napi::CallbackInfo &info);
    // kallsyms.cc
    Napi::Value KallsymsParse(const Napi::CallbackInfo &info);
    Napi::Value KallsymsLoad(const Napi::CallbackInfo &info);
    // ringbuf.cc
    Napi::Value RingOpen(const Napi::CallbackInfo &info);
    Napi::Value RingStart(const Napi::CallbackInfo &info);
    Napi::Value RingStop(const Napi::CallbackInfo &info);
    Napi::Value RingConsume(const Napi::CallbackInfo &info);
    Napi::Value RingStats(const Napi::CallbackInfo &info);
    Napi::Value RingClose(const Napi::CallbackInfo &info);
    // perfbuf.cc
    Napi::Value PerfOpen(const Napi::CallbackInfo &info);
    Napi::Value PerfStart(const Napi::CallbackInfo &info);
    Napi::Value PerfStop(const Napi::CallbackInfo &info);
    Napi::Value PerfConsume(const Napi::CallbackInfo &info);
    Napi::Value PerfStats(const Napi::CallbackInfo &info);
    Napi::Value PerfClose(const Napi::CallbackInfo &info);
    // btf.cc
    Napi::Value BtfOpen(const Napi::CallbackInfo &info);
    Napi::Value BtfClose(const Napi::CallbackInfo &info);
    Napi::Value DatasecVars(const Napi::CallbackInfo &info);
    Napi::Value BtfEnum(const Napi::CallbackInfo &info);
    Napi::Value BtfHasType(const Napi::CallbackInfo &info);
    Napi::Value ProbeMapType(const Napi::CallbackInfo &info);
    Napi::Value ProbeTracing(const Napi::CallbackInfo &info);
    // btf_merge.cc
    Napi::Value MergeSplitBtf(const Napi::CallbackInfo &info);
};

// errors.cc: libbpf's messages are captured per call so a failure carries them to TS.
void captureLibbpfLog();
void clearLibbpfLog();
std::string takeLibbpfLog();
// Throws a JS Error with .op, .errno and .log (libbpf's messages); returns undefined for chaining.
Napi::Value throwBpfError(Napi::Env env, const char *op, int err, const std::string &what = "");
Napi::Value throwUsage(Napi::Env env, const std::string &message);
