// One OVS_FLOW_CMD_NEW as an output row: the megaflow decoded (match text and fields, actions),
// the filters applied to its key (the BPF side cannot read nested attributes), and the upcalls
// it covers with the time from the first of them to the install.
import { monotonicToIso, type OptionValues } from '@nettrace/core';
import type { UpcallCorrelator } from './correlate.js';
import type { options } from './options.js';
import type { FlowEvent } from './ovs_userspace_megaflow.gen.js';
import { decodeActions, decodeMatch, matchText } from './ovs-flow-attrs.js';

type Values = OptionValues<typeof options>;
const TRUNCATED = ['key', 'mask', 'actions'];

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const field = (m: ReturnType<typeof decodeMatch>, attr: string, name: string) => {
  const v = m[attr];
  return typeof v === 'object' ? v[name] : undefined;
};
const PROTOCOLS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 };

/** The filters against the megaflow's key (its exact values: the packet that missed). */
function passes(key: ReturnType<typeof decodeMatch>, o: Values): boolean {
  const l3 = key.ipv4 ? 'ipv4' : key.ipv6 ? 'ipv6' : undefined;
  const l4 = ['tcp', 'udp', 'sctp'].find((p) => key[p]);
  const proto = l3 ? Number(field(key, l3, 'proto')) : undefined;
  if (o.srcIp && (!l3 || field(key, l3, 'src') !== o.srcIp.text)) return false;
  if (o.dstIp && (!l3 || field(key, l3, 'dst') !== o.dstIp.text)) return false;
  if (o.protocol && proto !== (typeof o.protocol === 'number' ? o.protocol : PROTOCOLS[String(o.protocol)])) return false;
  if (o.srcPort !== undefined && (!l4 || Number(field(key, l4, 'src')) !== o.srcPort)) return false;
  if (o.dstPort !== undefined && (!l4 || Number(field(key, l4, 'dst')) !== o.dstPort)) return false;
  if (o.ethSrc && field(key, 'eth', 'src') !== o.ethSrc) return false; // both lower case with colons
  if (o.ethDst && field(key, 'eth', 'dst') !== o.ethDst) return false;
  if (o.ethType && key.eth_type !== `0x${o.ethType.toString(16).padStart(4, '0')}`) return false;
  return true;
}

export function rowOfFlowNew(e: FlowEvent, o: Values, upcalls: UpcallCorrelator): Record<string, unknown> | undefined {
  const key = e.key.subarray(0, Math.min(e.key_len, e.key.length));
  const mask = e.mask_len ? e.mask.subarray(0, Math.min(e.mask_len, e.mask.length)) : undefined;
  const actions = e.actions.subarray(0, Math.min(e.actions_len, e.actions.length));
  if (!passes(decodeMatch(key), o)) return undefined;
  const match = decodeMatch(key, mask);
  const covered = upcalls.take(key, mask, e.ts_ns);
  const first = covered[0];
  return {
    event: 'FLOW_NEW',
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    match: matchText(match),
    match_fields: match,
    actions: decodeActions(actions),
    upcalls: covered.length,
    ...(first ? { since_upcall_us: Math.round((e.ts_ns - first.ts_ns) / 100) / 10 } : {}),
    truncated: TRUNCATED.filter((_, i) => (e.truncated >> i) & 1),
    portid: e.snd_portid,
    msg_len: e.msg_len,
    pid: e.pid,
    comm: e.comm,
    ...(o.verbose ? { key_hex: hexOf(key), mask_hex: mask ? hexOf(mask) : null, actions_hex: hexOf(actions) } : {}),
  };
}
