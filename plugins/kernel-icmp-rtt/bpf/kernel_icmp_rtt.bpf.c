/* SPDX-License-Identifier: GPL-2.0 */
/* kernel-icmp-rtt: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h) in round-trip
 * mode: an ICMP echo request and its reply share one session, keyed by the packets' own
 * addresses, echo id and sequence (the reply keyed as its request), and every completed round
 * trip is streamed when its total reaches the threshold, which is checked here in the kernel. */
#include "stage_hooks.bpf.h"
