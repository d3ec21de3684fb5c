// Names for the numbers conntrack events carry. TCP conntrack states come from the running
// kernel's BTF (enum tcp_conntrack, internal), with the mainline order as the fallback. ctinfo and
// the status bits are UAPI (nf_conntrack_common.h), whose enums give several names to one value
// (IP_CT_IS_REPLY = IP_CT_ESTABLISHED_REPLY, IPS_EXPECTED = IPS_SEEN_REPLY_BIT...), so they are
// named from the UAPI tables; verdicts and OVS ct_state bits are UAPI macros (no BTF).
import type { KernelEnum } from '@nettrace/core';

type Enums = (name: string) => KernelEnum | undefined;

/** CT_NO_STATE, NT_NO_CTINFO and CT_NO_VERDICT in the BPF program. */
export const NO_STATE = 0xff;
export const NO_CTINFO = 0xff;
export const NO_VERDICT = -999;

const CTINFO: Record<number, string> = {
  0: 'ESTABLISHED',
  1: 'RELATED',
  2: 'NEW',
  3: 'ESTABLISHED_REPLY',
  4: 'RELATED_REPLY',
  7: 'UNTRACKED',
};
const IPS = [
  'EXPECTED',
  'SEEN_REPLY',
  'ASSURED',
  'CONFIRMED',
  'SRC_NAT',
  'DST_NAT',
  'SEQ_ADJUST',
  'SRC_NAT_DONE',
  'DST_NAT_DONE',
  'DYING',
  'FIXED_TIMEOUT',
  'TEMPLATE',
  'NAT_CLASH',
  'HELPER',
  'OFFLOAD',
  'HW_OFFLOAD',
];
const TCP_STATES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];
const VERDICTS: Record<number, string> = {
  0: 'DROP',
  1: 'ACCEPT',
  2: 'STOLEN',
  3: 'QUEUE',
  4: 'REPEAT',
  5: 'STOP',
  [-1]: 'INVALID(-ACCEPT)',
};
const OVS_CS = ['NEW', 'ESTABLISHED', 'RELATED', 'REPLY_DIR', 'INVALID', 'TRACKED', 'SRC_NAT', 'DST_NAT'];
const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

const bits = (value: number, names: readonly string[]) => names.filter((_, i) => value & (1 << i));

export const ctinfoName = (v: number) => (v === NO_CTINFO ? 'none' : (CTINFO[v] ?? String(v)));

export function tcpStateName(enums: Enums, v: number): string | undefined {
  if (v === NO_STATE) return undefined;
  const e = enums('tcp_conntrack');
  return e?.values.has(v) ? e.label(v, 'TCP_CONNTRACK_') : (TCP_STATES[v] ?? String(v));
}

/** IPS_* bits set in `status` (bits without a name show as BIT<n>). */
export function statusFlags(status: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) if (status & (2 ** bit)) out.push(IPS[bit] ?? `BIT${bit}`);
  return out;
}

export const verdictName = (v: number) => (v === NO_VERDICT ? undefined : (VERDICTS[v] ?? String(v)));
export const ovsStateFlags = (v: number) => bits(v, OVS_CS);
export const tcpFlags = (v: number) => bits(v, TCP_FLAGS);
