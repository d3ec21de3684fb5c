/* SPDX-License-Identifier: GPL-2.0 */
/* Tiny programs @nettrace/core loads to ask the running kernel what it supports: a program type
 * "exists" only if the kernel accepts a real program of it (libbpf cannot probe tracing types
 * without an attach target). bpf_fentry_test1 exists in every kernel with BPF and networking. */
#include "common.bpf.h"

SEC("fentry/bpf_fentry_test1")
int BPF_PROG(nt_probe_fentry, int a) {
    return 0;
}

SEC("kprobe/bpf_fentry_test1")
int BPF_KPROBE(nt_probe_kprobe, int a) {
    return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(nt_probe_tp_btf, bool preempt) {
    return 0;
}
