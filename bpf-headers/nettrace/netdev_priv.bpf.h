/* SPDX-License-Identifier: GPL-2.0 */
/* netdev_priv(dev): where a driver keeps its private struct (tun_struct, virtnet_info, ...). Shared
 * by the module headers under modules/, so every driver-private read starts from the same place. */
#pragma once
#include "common.bpf.h"

/* Located through CO-RE on every kernel: the `priv` member where struct net_device has one (6.x),
 * else the private area after the struct, aligned to NETDEV_ALIGN (32). Sizes and offsets come
 * from the running kernel's BTF, not from this build. */
static __always_inline void *nt_netdev_priv(struct net_device *dev) {
    if (bpf_core_field_exists(dev->priv))
        return (char *)dev + bpf_core_field_offset(struct net_device, priv);
    __u64 size = bpf_core_type_size(struct net_device);
    return (char *)dev + ((size + 31) & ~31ULL);
}
