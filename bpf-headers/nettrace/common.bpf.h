/* SPDX-License-Identifier: GPL-2.0 */
/* Every nettrace BPF program starts here: kernel types (vmlinux.h generated from BTF at build
 * time), libbpf helpers, and the few conventions shared by all plugins. */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#ifndef NT_LICENSE_DECLARED
#define NT_LICENSE_DECLARED
char LICENSE[] SEC("license") = "GPL";
#endif

/* Puts a type into the object's BTF even when only pointers to it are used (ring-buffer
 * records), so tooling can generate the TypeScript decoder from the object itself. */
#define NT_EXPORT_TYPE(type, tag) type *__nt_export_##tag __attribute__((unused))

/* container_of() with the member's offset taken from the running kernel's BTF (CO-RE), for structs
 * declared with preserve_access_index: the kernel's layout, never this build's. */
#define nt_container_of(ptr, type, member)                                                         \
    ((type *)((char *)(ptr) - bpf_core_field_offset(type, member)))

#define NT_TASK_COMM_LEN 16
#define NT_AF_INET 2
#define NT_AF_INET6 10
#define NT_ETH_P_IP 0x0800
#define NT_ETH_P_IPV6 0x86DD
#define NT_ETH_P_8021Q 0x8100
#define NT_ETH_P_8021AD 0x88A8
#define NT_IPPROTO_ICMP 1
#define NT_IPPROTO_TCP 6
#define NT_IPPROTO_UDP 17
#define NT_IPPROTO_ICMPV6 58

/* The value at `key`, created from `init` first when absent (a hash map entry two CPUs may race to
 * create: whoever loses finds the winner's). NULL when the table is full: count that, never
 * drop it silently. */
static __always_inline void *nt_map_lookup_or_init(void *map, const void *key, const void *init) {
    void *val = bpf_map_lookup_elem(map, key);
    if (val)
        return val;
    bpf_map_update_elem(map, key, init, BPF_NOEXIST);
    return bpf_map_lookup_elem(map, key);
}

static __always_inline __u32 nt_tgid(void) {
    return bpf_get_current_pid_tgid() >> 32;
}

static __always_inline __u32 nt_tid(void) {
    return (__u32)bpf_get_current_pid_tgid();
}
