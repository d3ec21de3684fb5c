/* SPDX-License-Identifier: GPL-2.0 */
/* vm-network-latency: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h) with
 * every stage hook program; the VM profile (tap <-> Open vSwitch <-> physical NIC) and the mode
 * are written into its rodata by @nettrace/core before load. */
#include "stage_hooks.bpf.h"
