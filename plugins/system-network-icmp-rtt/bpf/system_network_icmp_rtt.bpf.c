/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-icmp-rtt: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h) in
 * round-trip mode over the OVS internal-port path: an ICMP echo request and its reply share one
 * session, keyed by the packets' own addresses, echo id and sequence (the reply keyed as its
 * request); each completed round trip is streamed when its total reaches the threshold (checked
 * here in the kernel) and added to the in-kernel end-to-end histogram. */
#include "stage_hooks.bpf.h"
