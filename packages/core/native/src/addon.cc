// Registration of the addon's functions and teardown of everything still open when the
// environment exits (links first, so programs detach even if JS never called close()).
#include "ringbuf.h"
#include <bpf/btf.h>

NettraceAddon::NettraceAddon(Napi::Env env, Napi::Object exports) {
    captureLibbpfLog();
    DefineAddon(exports, {
                             InstanceMethod("libbpfVersion", &NettraceAddon::LibbpfVersion),
                             InstanceMethod("openObject", &NettraceAddon::OpenObject),
                             InstanceMethod("objectPrograms", &NettraceAddon::ObjectPrograms),
                             InstanceMethod("objectMaps", &NettraceAddon::ObjectMaps),
                             InstanceMethod("setAutoload", &NettraceAddon::SetAutoload),
                             InstanceMethod("setAttachTarget", &NettraceAddon::SetAttachTarget),
                             InstanceMethod("setMaxEntries", &NettraceAddon::SetMaxEntries),
                             InstanceMethod("setAutocreate", &NettraceAddon::SetAutocreate),
                             InstanceMethod("setInitialBytes", &NettraceAddon::SetInitialBytes),
                             InstanceMethod("loadObject", &NettraceAddon::LoadObject),
                             InstanceMethod("closeObject", &NettraceAddon::CloseObject),
                             InstanceMethod("programFd", &NettraceAddon::ProgramFd),
                             InstanceMethod("attach", &NettraceAddon::Attach),
                             InstanceMethod("destroyLink", &NettraceAddon::DestroyLink),
                             InstanceMethod("waitForRunningPrograms",
                                            &NettraceAddon::WaitForRunningPrograms),
                             InstanceMethod("mapFd", &NettraceAddon::MapFd),
                             InstanceMethod("mapLookup", &NettraceAddon::MapLookup),
                             InstanceMethod("mapUpdate", &NettraceAddon::MapUpdate),
                             InstanceMethod("mapDelete", &NettraceAddon::MapDelete),
                             InstanceMethod("mapNextKey", &NettraceAddon::MapNextKey),
                             InstanceMethod("mapLookupBatch", &NettraceAddon::MapLookupBatch),
                             InstanceMethod("possibleCpus", &NettraceAddon::PossibleCpus),
                             InstanceMethod("programStats", &NettraceAddon::ProgramStats),
                             InstanceMethod("programSymbols", &NettraceAddon::ProgramSymbols),
                             InstanceMethod("kallsymsParse", &NettraceAddon::KallsymsParse),
                             InstanceMethod("kallsymsLoad", &NettraceAddon::KallsymsLoad),
                             InstanceMethod("ringOpen", &NettraceAddon::RingOpen),
                             InstanceMethod("ringStart", &NettraceAddon::RingStart),
                             InstanceMethod("ringStop", &NettraceAddon::RingStop),
                             InstanceMethod("ringConsume", &NettraceAddon::RingConsume),
                             InstanceMethod("ringStats", &NettraceAddon::RingStats),
                             InstanceMethod("ringClose", &NettraceAddon::RingClose),
                             InstanceMethod("perfOpen", &NettraceAddon::PerfOpen),
                             InstanceMethod("perfStart", &NettraceAddon::PerfStart),
                             InstanceMethod("perfStop", &NettraceAddon::PerfStop),
                             InstanceMethod("perfConsume", &NettraceAddon::PerfConsume),
                             InstanceMethod("perfStats", &NettraceAddon::PerfStats),
                             InstanceMethod("perfClose", &NettraceAddon::PerfClose),
                             InstanceMethod("datasecVars", &NettraceAddon::DatasecVars),
                             InstanceMethod("btfOpen", &NettraceAddon::BtfOpen),
                             InstanceMethod("btfClose", &NettraceAddon::BtfClose),
                             InstanceMethod("btfEnum", &NettraceAddon::BtfEnum),
                             InstanceMethod("btfHasType", &NettraceAddon::BtfHasType),
                             InstanceMethod("mergeSplitBtf", &NettraceAddon::MergeSplitBtf),
                             InstanceMethod("probeMapType", &NettraceAddon::ProbeMapType),
                             InstanceMethod("probeTracing", &NettraceAddon::ProbeTracing),
                         });
}

NettraceAddon::~NettraceAddon() {
    // Split BTF first: it refers to the base it was parsed on.
    for (auto &b : btfs)
        if (b.second.base)
            btf__free(b.second.btf);
    for (auto &b : btfs)
        if (!b.second.base)
            btf__free(b.second.btf);
    for (auto &l : links)
        bpf_link__destroy(l.second);
    for (auto &o : objects)
        bpf_object__close(o.second);
}

NODE_API_ADDON(NettraceAddon)
