/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-latency: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h) with every
 * stage hook program; the profile (host sockets <-> OVS internal port <-> physical NIC) and the
 * summary mode are written into its rodata by @nettrace/core before load. */
#include "stage_hooks.bpf.h"
