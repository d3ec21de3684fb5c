/* SPDX-License-Identifier: GPL-2.0 */
/* Programs on a kernel function, one per attach kind the hook planner may choose, all thin
 * wrappers over one worker: fentry (or fexit) where the kernel allows it (module functions need
 * module BTF, 5.11+), kprobe (or kretprobe) everywhere else, compiler clones included. The
 * TypeScript side declares them as one hook with functionHook() from @nettrace/core.
 *
 *   NT_FUNCTION_PROGRAMS(tun_net_xmit, nt_x_fe, nt_x_kp,
 *                        (struct sk_buff *skb, struct net_device *dev), on_xmit(ctx, skb, dev))
 *
 * declares SEC("fentry/tun_net_xmit") nt_x_fe and SEC("kprobe/tun_net_xmit") nt_x_kp with those
 * typed parameters, each returning the call. The return side, NT_FUNCTION_RETURN_PROGRAMS, takes
 * two parameter lists: the fexit program's (the function's parameters, then its return value when
 * it has one) and the kretprobe program's (the return value alone, or nothing: a kretprobe does
 * not see the arguments, so entry state must come from a map keyed by thread):
 *
 *   NT_FUNCTION_RETURN_PROGRAMS(vhost_net_buf_peek, nt_p_fx, nt_p_kr,
 *                               (void *nvq, int ret), (int ret), on_return(ctx, ret))
 */
#pragma once
#include "common.bpf.h"

#define NT_UNPAREN(...) __VA_ARGS__
/* One more expansion step: BPF_PROG/BPF_KPROBE paste their parameters (##args), which would
 * otherwise keep the parenthesised list from being unpacked. */
#define NT_BPF_PROG(name, ...) BPF_PROG(name, __VA_ARGS__)
#define NT_BPF_KPROBE(name, ...) BPF_KPROBE(name, __VA_ARGS__)
#define NT_BPF_KRETPROBE(name, ...) BPF_KRETPROBE(name __VA_OPT__(, ) __VA_ARGS__)

#define NT_FUNCTION_PROGRAMS(func, fentry_name, kprobe_name, params, call)                         \
    SEC("fentry/" #func)                                                                           \
    int NT_BPF_PROG(fentry_name, NT_UNPAREN params) {                                              \
        return call;                                                                               \
    }                                                                                              \
    SEC("kprobe/" #func)                                                                           \
    int NT_BPF_KPROBE(kprobe_name, NT_UNPAREN params) {                                            \
        return call;                                                                               \
    }

#define NT_FUNCTION_RETURN_PROGRAMS(func, fexit_name, kretprobe_name, fexit_params,                \
                                    kretprobe_params, call)                                        \
    SEC("fexit/" #func)                                                                            \
    int NT_BPF_PROG(fexit_name, NT_UNPAREN fexit_params) {                                         \
        return call;                                                                               \
    }                                                                                              \
    SEC("kretprobe/" #func)                                                                        \
    int NT_BPF_KRETPROBE(kretprobe_name, NT_UNPAREN kretprobe_params) {                            \
        return call;                                                                               \
    }
