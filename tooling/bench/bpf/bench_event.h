/* SPDX-License-Identifier: GPL-2.0 */
/* Records of the benchmark producer, shared by the BPF object and the C reference consumer (the
 * nettrace consumer decodes them with a decoder generated from the object's BTF). Every field is
 * derived from `seq` so both consumers can check what they decoded: b = 2a, c = a ^ 0x5a5a,
 * words[i] = a + i. Include <linux/types.h> (user space) or vmlinux.h (BPF) first. */
#pragma once

/* 64 bytes */
struct bench_event {
    __u64 ts_ns;
    __u64 seq;
    __u32 tgid;
    __u32 tid;
    __u32 cpu;
    __u32 size;
    __u64 a;
    __u64 b;
    __u64 c;
    __u64 d;
};

#define BENCH_WORDS 24

/* 256 bytes */
struct bench_event_big {
    struct bench_event head;
    __u64 words[BENCH_WORDS];
};

#define BENCH_MAX_PRODUCERS 8
