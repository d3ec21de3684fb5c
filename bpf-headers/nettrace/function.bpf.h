/* SPDX-License-Identifier: GPL-2.0 */
/* Hooks on a kernel function: the fentry program (BTF-typed, cheapest; needs the function in the
 * kernel's or the module's BTF) and the kprobe program (works without BTF and on compiler clones
 * such as name.isra.0), declared once over one worker. The TypeScript side declares the hook with
 * functionHook(name, 'func'), which finds both programs in the object by their sections.
 *
 *   static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev);
 *   NT_FUNCTION_PROGRAMS(tun_net_xmit, nt_x_fe_xmit, nt_x_kp_xmit, on_xmit,
 *                        struct sk_buff *, skb, struct net_device *, dev)
 *
 * declares SEC("fentry/tun_net_xmit") nt_x_fe_xmit and SEC("kprobe/tun_net_xmit") nt_x_kp_xmit,
 * both calling on_xmit(ctx, skb, dev). The arguments come as type, name pairs (up to five: what a
 * kprobe reads from registers on every architecture), the leading ones of the function's own.
 * NT_FUNCTION_PROGRAMS_VIA also tells the worker which program ran; NT_FENTRY_PROGRAM and
 * NT_KPROBE_PROGRAM declare one of the two.
 *
 *   static __always_inline int on_ret(void *ctx, long ret);
 *   NT_FUNCTION_EXIT_PROGRAMS(tun_net_xmit, nt_x_fx_xmit, nt_x_kr_xmit, on_ret, 2, int)
 *
 * declares SEC("fexit/tun_net_xmit") and SEC("kretprobe/tun_net_xmit") calling on_ret(ctx, ret):
 * a kretprobe sees only the return value, so that is all either passes on. fexit finds the return
 * value after the function's arguments, hence their number (2 here) and the return type.
 * NT_FUNCTION_EXIT_VOID_PROGRAMS is the same for a function that returns nothing: on_ret(ctx). */
#pragma once
#include "common.bpf.h"

/* ", type name" and ", name" for each (type, name) pair; nothing for no pairs. */
#define ___nt_decl0()
#define ___nt_decl2(t, n) , t n
#define ___nt_decl4(t, n, ...) , t n ___nt_decl2(__VA_ARGS__)
#define ___nt_decl6(t, n, ...) , t n ___nt_decl4(__VA_ARGS__)
#define ___nt_decl8(t, n, ...) , t n ___nt_decl6(__VA_ARGS__)
#define ___nt_decl10(t, n, ...) , t n ___nt_decl8(__VA_ARGS__)
#define ___nt_name0()
#define ___nt_name2(t, n) , n
#define ___nt_name4(t, n, ...) , n ___nt_name2(__VA_ARGS__)
#define ___nt_name6(t, n, ...) , n ___nt_name4(__VA_ARGS__)
#define ___nt_name8(t, n, ...) , n ___nt_name6(__VA_ARGS__)
#define ___nt_name10(t, n, ...) , n ___nt_name8(__VA_ARGS__)
#define ___nt_decls(...) ___bpf_apply(___nt_decl, ___bpf_narg(__VA_ARGS__))(__VA_ARGS__)
#define ___nt_names(...) ___bpf_apply(___nt_name, ___bpf_narg(__VA_ARGS__))(__VA_ARGS__)
/* Placeholders for the arguments in front of an fexit program's return value. */
#define ___nt_skip0
#define ___nt_skip1 , __u64 ___nt_a0
#define ___nt_skip2 ___nt_skip1, __u64 ___nt_a1
#define ___nt_skip3 ___nt_skip2, __u64 ___nt_a2
#define ___nt_skip4 ___nt_skip3, __u64 ___nt_a3
#define ___nt_skip5 ___nt_skip4, __u64 ___nt_a4
#define ___nt_skip6 ___nt_skip5, __u64 ___nt_a5
/* Expands the arguments before BPF_PROG/BPF_KPROBE see them (they paste the program name). */
#define ___nt_expand(macro, ...) macro(__VA_ARGS__)

/* Which of the pair ran, for workers that keep their counts apart (NT_FUNCTION_PROGRAMS_VIA). */
enum nt_via { NT_VIA_FENTRY, NT_VIA_KPROBE };
#define ___nt_lead_plain(via)
#define ___nt_lead_via(via) , via

#define ___NT_FENTRY(func, name, worker, lead, ...)                                                \
    SEC("fentry/" #func)                                                                           \
    int ___nt_expand(BPF_PROG, name ___nt_decls(__VA_ARGS__)) {                                    \
        return worker(ctx ___nt_lead_##lead(NT_VIA_FENTRY) ___nt_names(__VA_ARGS__));              \
    }
#define ___NT_KPROBE(func, name, worker, lead, ...)                                                \
    SEC("kprobe/" #func)                                                                           \
    int ___nt_expand(BPF_KPROBE, name ___nt_decls(__VA_ARGS__)) {                                  \
        return worker(ctx ___nt_lead_##lead(NT_VIA_KPROBE) ___nt_names(__VA_ARGS__));              \
    }

/* One program type alone (a function a kprobe can reach but fentry cannot, or the reverse). */
#define NT_FENTRY_PROGRAM(func, name, worker, ...)                                                 \
    ___NT_FENTRY(func, name, worker, plain, ##__VA_ARGS__)
#define NT_KPROBE_PROGRAM(func, name, worker, ...)                                                 \
    ___NT_KPROBE(func, name, worker, plain, ##__VA_ARGS__)

#define NT_FUNCTION_PROGRAMS(func, fentry_name, kprobe_name, worker, ...)                          \
    ___NT_FENTRY(func, fentry_name, worker, plain, ##__VA_ARGS__)                                  \
    ___NT_KPROBE(func, kprobe_name, worker, plain, ##__VA_ARGS__)

/* The same pair, calling worker(ctx, NT_VIA_FENTRY or NT_VIA_KPROBE, args...): for checks that
 * run both programs at once and compare them. */
#define NT_FUNCTION_PROGRAMS_VIA(func, fentry_name, kprobe_name, worker, ...)                      \
    ___NT_FENTRY(func, fentry_name, worker, via, ##__VA_ARGS__)                                    \
    ___NT_KPROBE(func, kprobe_name, worker, via, ##__VA_ARGS__)

#define NT_FUNCTION_EXIT_PROGRAMS(func, fexit_name, kretprobe_name, worker, nargs, ret_type)       \
    SEC("fexit/" #func)                                                                            \
    int ___nt_expand(BPF_PROG, fexit_name ___nt_skip##nargs, ret_type ret) {                       \
        return worker(ctx, ret);                                                                   \
    }                                                                                              \
    SEC("kretprobe/" #func)                                                                        \
    int BPF_KRETPROBE(kretprobe_name, ret_type ret) {                                              \
        return worker(ctx, ret);                                                                   \
    }

#define NT_FUNCTION_EXIT_VOID_PROGRAMS(func, fexit_name, kretprobe_name, worker)                   \
    SEC("fexit/" #func)                                                                            \
    int BPF_PROG(fexit_name) {                                                                     \
        return worker(ctx);                                                                        \
    }                                                                                              \
    SEC("kretprobe/" #func)                                                                        \
    int BPF_KRETPROBE(kretprobe_name) {                                                            \
        return worker(ctx);                                                                        \
    }
