// The upcall hook of the Open vSwitch plugins: the datapath's miss (or userspace() action) queued
// to ovs-vswitchd, as bpf-headers/nettrace/modules/openvswitch.bpf.h reads it.
import { ladder } from './hooks.js';

/** The openvswitch:ovs_dp_upcall tracepoint (5.19+), else ovs_dp_upcall (fentry, else kprobe). */
export function ovsUpcallHook(name = 'upcall') {
  return ladder(name, [
    { tracepoint: 'openvswitch/ovs_dp_upcall', module: 'openvswitch' },
    { function: 'ovs_dp_upcall', module: 'openvswitch' },
  ]);
}
