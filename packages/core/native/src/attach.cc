// Attach one program with the explicit kind and target chosen by the TypeScript hook planner.
#include "addon.h"
#include <cerrno>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

// kprobe.multi targets: a glob over available_filter_functions ("tcp_*"), or an explicit list of
// functions separated by commas ("ip_rcv,ip_local_deliver"), all attached through one link.
static bpf_link *attachKprobeMulti(bpf_program *prog, bool retprobe, const std::string &target) {
    LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .retprobe = retprobe);
    if (target.find(',') == std::string::npos)
        return bpf_program__attach_kprobe_multi_opts(prog, target.c_str(), &opts);
    std::vector<std::string> names;
    for (size_t start = 0; start <= target.size();) {
        size_t comma = target.find(',', start);
        if (comma == std::string::npos)
            comma = target.size();
        if (comma > start)
            names.push_back(target.substr(start, comma - start));
        start = comma + 1;
    }
    std::vector<const char *> syms;
    for (const auto &n : names)
        syms.push_back(n.c_str());
    opts.syms = syms.data();
    opts.cnt = syms.size();
    return bpf_program__attach_kprobe_multi_opts(prog, nullptr, &opts);
}

static bpf_link *attachByKind(bpf_program *prog, const std::string &kind,
                              const std::string &target) {
    if (kind == "tracepoint") {
        size_t slash = target.find('/');
        if (slash == std::string::npos) {
            errno = EINVAL;
            return nullptr;
        }
        return bpf_program__attach_tracepoint(prog, target.substr(0, slash).c_str(),
                                              target.substr(slash + 1).c_str());
    }
    if (kind == "raw_tp")
        return bpf_program__attach_raw_tracepoint(prog, target.c_str());
    if (kind == "kprobe" || kind == "kretprobe")
        return bpf_program__attach_kprobe(prog, kind == "kretprobe", target.c_str());
    if (kind == "kprobe.multi" || kind == "kretprobe.multi")
        return attachKprobeMulti(prog, kind == "kretprobe.multi", target);
    // fentry, fexit, tp_btf: the target was fixed at load time (setAttachTarget).
    if (kind == "fentry" || kind == "fexit" || kind == "tp_btf")
        return bpf_program__attach_trace(prog);
    errno = EINVAL;
    return nullptr;
}

// attach(obj, program, kind, target) -> link handle
Napi::Value NettraceAddon::Attach(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    uint32_t objectId = info[0].As<Napi::Number>().Uint32Value();
    bpf_object *obj = objectArg(info, 0);
    bpf_program *prog = obj ? programArg(info, obj, 1) : nullptr;
    if (!prog)
        return env.Undefined();
    std::string kind = info[2].As<Napi::String>();
    std::string target = info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "";
    clearLibbpfLog();
    bpf_link *link = attachByKind(prog, kind, target);
    if (!link)
        return throwBpfError(env, "attach", -errno, kind + (target.empty() ? "" : " " + target));
    uint32_t id = nextId++;
    links[id] = link;
    linkOwner[id] = objectId;
    return Napi::Number::New(env, id);
}

Napi::Value NettraceAddon::DestroyLink(const Napi::CallbackInfo &info) {
    uint32_t id = info[0].As<Napi::Number>().Uint32Value();
    auto it = links.find(id);
    if (it != links.end()) {
        bpf_link__destroy(it->second);
        links.erase(it);
        linkOwner.erase(id);
    }
    return info.Env().Undefined();
}

// Waits until every BPF program run that started before the call has finished. Detaching a link
// stops new runs, but a run already inside the program on another CPU may still be writing maps
// or submitting events; those runs are RCU readers (tracepoints and kprobes run with preemption
// off, trampolines under rcu_read_lock), and MEMBARRIER_CMD_GLOBAL is synchronize_rcu() from
// user space. Returns false when the kernel refuses it (nohz_full CPUs), so the caller can say so.
Napi::Value NettraceAddon::WaitForRunningPrograms(const Napi::CallbackInfo &info) {
    long rc = syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
    return Napi::Boolean::New(info.Env(), rc == 0);
}
