// The stage engine's user-space half: a profile's hooks, its rodata tables for full and degraded
// plans (the first and last stages present create and end sessions; fallbacks; device roles;
// options that enable stages), the refusal when a direction has fewer than two stages, and the
// counter names taken from the C enum.
import { describe, expect, it } from 'vitest';
import {
  enqueueToIprecProfile,
  hookPoint,
  hookPoints,
  hostOvsProfile,
  KernelSupportError,
  NtStageDims,
  NtStageHook,
  profileHooks,
  rxInternalProfile,
  stageTables,
  vmOvsProfile,
} from '../src/index.js';

const { NT_STAGE_DIRS, NT_STAGE_ROLES, NT_STAGE_LEGS, NT_STAGE_MAX } = NtStageDims;
const H = NtStageHook;
const at = (hook: number, dir: number, role: number, leg = 0) =>
  ((hook * NT_STAGE_DIRS + dir) * NT_STAGE_ROLES + role) * NT_STAGE_LEGS + leg;
const all = () => true;
const tracepointsOnly = (hook: string) => hook.includes(':');
const names = (t: ReturnType<typeof stageTables>, d: 'tx' | 'rx') => t.active[d].map((a) => a.spec.name);

describe('stage profiles', () => {
  it('declare every hook point they use once, all optional, naming the stages they stamp', () => {
    const hooks = profileHooks(hostOvsProfile);
    expect(new Set(hooks.map((h) => h.name)).size).toBe(hooks.length);
    expect(hooks.every((h) => h.optional)).toBe(true);
    const dp = hooks.find((h) => h.name === 'ovs_dp_process_packet');
    expect(dp?.degrades).toBe('stage tx:ovs-process, rx:ovs-process');
    expect(dp).toMatchObject({ function: 'ovs_dp_process_packet', module: 'openvswitch' });
    expect(hooks.find((h) => h.name === 'nf_conntrack_in')?.when).toBe('enableCt');
    // Tracepoint stages name their programs: a plugin may add its own on the same tracepoint.
    expect(hooks.find((h) => h.name === 'net:net_dev_start_xmit')).toMatchObject({
      alternatives: [
        { program: 'nt_s_xmit_b', kind: 'tp_btf', target: 'net/net_dev_start_xmit' },
        { program: 'nt_s_xmit_t', kind: 'tracepoint', target: 'net/net_dev_start_xmit' },
      ],
    });
  });

  it('name every hook point of the C enum, with programs of at most 15 characters', () => {
    expect(hookPoints.map((h) => h.id).sort((a, b) => a - b)).toEqual([...Array(H.NT_SH_COUNT).keys()]);
    for (const h of hookPoints) expect(`nt_s_${h.short}_f`.length).toBeLessThanOrEqual(15);
    for (const p of [hostOvsProfile, vmOvsProfile, rxInternalProfile, enqueueToIprecProfile])
      for (const d of ['tx', 'rx'] as const) expect((p[d] ?? []).length).toBeLessThanOrEqual(NT_STAGE_MAX);
  });
});

describe('stage tables', () => {
  const devices = { phy: [7], internal: [9] };

  it('full plan: the first and last stages of each direction, stages bound to device roles', () => {
    const t = stageTables(hostOvsProfile, { directions: ['tx', 'rx'], devices, attached: all, options: {} });
    expect(names(t, 'tx')).toEqual([
      'ip-out',
      'internal-xmit',
      'vport-receive',
      'ovs-process',
      'ovs-upcall',
      'ovs-execute',
      'vport-send',
      'phy-queue',
      'qdisc-dequeue',
      'phy-xmit',
    ]);
    expect(t.missing.tx.map((m) => m.stage)).toEqual(['ovs-ct', 'conntrack']);
    expect([...t.first]).toEqual([1, 1]);
    const txLast = hostOvsProfile.tx!.findIndex((s) => s.name === 'phy-xmit') + 1;
    const rxLast = hostOvsProfile.rx!.findIndex((s) => s.name === 'l4-rcv') + 1;
    expect([...t.last]).toEqual([txLast, rxLast]);
    // One tracepoint, two tx stages told apart by the device: the internal port and the NIC.
    expect(t.of[at(H.NT_SH_NET_DEV_START_XMIT, 0, 2)]).toBe(2);
    expect(t.of[at(H.NT_SH_NET_DEV_START_XMIT, 0, 1)]).toBe(txLast);
    expect(t.of[at(H.NT_SH_NET_DEV_START_XMIT, 0, 0)]).toBe(0);
    expect(t.hookRoles[H.NT_SH_NET_DEV_START_XMIT]).toBe(0b110);
    // OVS hooks have no device: both directions, role 0.
    const dp = hostOvsProfile.tx!.findIndex((s) => s.name === 'ovs-process') + 1;
    expect(t.of[at(H.NT_SH_OVS_DP_PROCESS, 0, 0)]).toBe(dp);
    expect(t.of[at(H.NT_SH_OVS_DP_PROCESS, 1, 0)]).toBe(hostOvsProfile.rx!.findIndex((s) => s.name === 'ovs-process') + 1);
    expect(t.hookRoles[H.NT_SH_OVS_DP_PROCESS]).toBe(1);
    // Two ifindexes per role, little-endian u32: phy at role 1, internal at role 2.
    const v = new DataView(t.roleIfindex.buffer);
    expect([v.getUint32(8, true), v.getUint32(16, true)]).toEqual([7, 9]);
  });

  it('degraded plan (tracepoints only): sessions start and end at the boundary stages it can see', () => {
    const t = stageTables(hostOvsProfile, { directions: ['tx', 'rx'], devices, attached: tracepointsOnly, options: {} });
    expect(names(t, 'tx')).toEqual(['internal-xmit', 'phy-queue', 'qdisc-dequeue', 'phy-xmit']);
    expect(names(t, 'rx')).toEqual(['phy-rx', 'internal-rx', 'backlog-rx']);
    expect(t.first[0]).toBe(2);
    expect(t.missing.tx.find((m) => m.stage === 'ip-out')?.why).toMatch(/no hook on this kernel \(ip_output\)/);
    // internal-rx falls back to net:netif_rx.
    expect(t.active.rx.find((a) => a.spec.name === 'internal-rx')?.hooks).toEqual([H.NT_SH_NETIF_RX]);
    expect(t.hookRoles[H.NT_SH_INTERNAL_DEV_RECV]).toBe(0);
  });

  it('a stage bound to a device whose option is missing is off; a fallback is used only without the primary hook', () => {
    const t = stageTables(hostOvsProfile, { directions: ['tx'], devices: { phy: [7] }, attached: all, options: {} });
    expect(t.missing.tx.find((m) => m.stage === 'internal-xmit')?.why).toMatch(/internal interface/);
    expect(t.last[1]).toBe(0); // rx not requested
    const full = stageTables(rxInternalProfile, { directions: ['rx'], devices: { internal: [9] }, attached: all, options: {} });
    expect(full.active.rx.find((a) => a.spec.name === 'backlog-rx')?.hooks).toEqual([H.NT_SH_NETIF_RECEIVE_SKB_FN]);
    expect(full.of[at(H.NT_SH_NETIF_RECEIVE_SKB, 1, 2)]).toBe(0);
    const tp = stageTables(enqueueToIprecProfile, {
      directions: ['rx'],
      devices: { internal: [9] },
      attached: tracepointsOnly,
      options: {},
    });
    expect(names(tp, 'rx')).toEqual(['enqueue', 'netif-receive']);
    expect(tp.of[at(H.NT_SH_NETIF_RX, 1, 2)]).toBe(1);
    expect(tp.of[at(H.NT_SH_NETIF_RECEIVE_SKB, 1, 2)]).toBe(2); // on the same interface
  });

  it('options enable stages; a stage that needs another one is off without it', () => {
    const on = stageTables(vmOvsProfile, {
      directions: ['tx'],
      devices: { phy: [7], vm: [5] },
      attached: all,
      options: { enableCt: true },
    });
    const ct = vmOvsProfile.tx!.findIndex((s) => s.name === 'ovs-ct');
    expect(names(on, 'tx')).toContain('conntrack');
    expect(on.after[0 * NT_STAGE_MAX + ct + 1]).toBe(ct + 1);
    const noCtExec = stageTables(vmOvsProfile, {
      directions: ['tx'],
      devices: { phy: [7], vm: [5] },
      attached: (h) => h !== 'ovs_ct_execute',
      options: { enableCt: true },
    });
    expect(noCtExec.missing.tx.find((m) => m.stage === 'conntrack')?.why).toMatch(/after stage ovs-ct/);
  });

  it('refuses a direction with fewer than two stages, naming what is missing', () => {
    expect(() => stageTables(vmOvsProfile, { directions: ['rx'], devices: { phy: [7] }, attached: tracepointsOnly, options: {} })).toThrow(
      KernelSupportError,
    );
    expect(() => stageTables(vmOvsProfile, { directions: ['rx'], devices: { phy: [7] }, attached: tracepointsOnly, options: {} })).toThrow(
      /rx path needs at least two stages, this run can observe phy-rx .*vm-xmit: needs the vm interface option/,
    );
  });
});

describe('stage hook points', () => {
  it('hook points resolve by id', () => {
    expect(hookPoint(H.NT_SH_NETDEV_FRAME_HOOK).fn).toBe('netdev_frame_hook');
  });
});
