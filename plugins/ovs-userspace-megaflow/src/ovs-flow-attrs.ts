// Decodes the netlink attributes of an OVS_FLOW_CMD_NEW request (include/uapi/linux/openvswitch.h)
// into the text ovs-dpctl prints for a datapath flow: the key masked by its mask, fields whose mask
// is zero left out (`recirc_id(0),in_port(2),eth(src=…,dst=…),eth_type(0x0800),ipv4(frag=no)`),
// and the actions (`ct(commit,zone=5),recirc(0x1)`, `3`, `drop`). Only bytes are read here: the
// BPF side copies the attributes, this file gives them meaning, and nothing else.
import { AF_INET, AF_INET6, formatIp, formatMac } from '@nettrace/core';

/** One netlink attribute: its type (flag bits dropped) and payload. */
export interface NlAttr {
  type: number;
  payload: Uint8Array;
}

const NLA_TYPE_MASK = 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER

/** The attributes of a stream (each padded to 4 bytes); a truncated last one is left out. */
export function parseAttrs(bytes: Uint8Array): NlAttr[] {
  const out: NlAttr[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let o = 0; o + 4 <= bytes.length; ) {
    const len = v.getUint16(o, true);
    if (len < 4 || o + len > bytes.length) break;
    out.push({ type: v.getUint16(o + 2, true) & NLA_TYPE_MASK, payload: bytes.subarray(o + 4, o + len) });
    o += (len + 3) & ~3;
  }
  return out;
}

type Fmt = 'dec' | 'hex' | 'mac' | 'ipv4' | 'ipv6' | 'frag' | 'ct_state' | 'eth_type' | 'raw';
/** A member of a key attribute: name, byte offset, size (big-endian unless `host`), format. */
interface FieldSpec {
  name: string;
  at: number;
  size: number;
  fmt: Fmt;
  host?: boolean;
}
/** `fields` absent: the attribute is one value printed as `name(value)`. */
interface AttrSpec {
  name: string;
  fields?: FieldSpec[];
  value?: Omit<FieldSpec, 'name' | 'at'>;
}

const f = (name: string, at: number, size: number, fmt: Fmt): FieldSpec => ({ name, at, size, fmt });
const ports = (name: string): AttrSpec => ({ name, fields: [f('src', 0, 2, 'dec'), f('dst', 2, 2, 'dec')] });

/** enum ovs_key_attr → how ovs-dpctl names and prints it. */
const KEY_ATTRS: Record<number, AttrSpec> = {
  2: { name: 'skb_priority', value: { size: 4, fmt: 'hex', host: true } },
  3: { name: 'in_port', value: { size: 4, fmt: 'dec', host: true } },
  4: { name: 'eth', fields: [f('src', 0, 6, 'mac'), f('dst', 6, 6, 'mac')] },
  5: { name: 'vlan', value: { size: 2, fmt: 'hex' } },
  6: { name: 'eth_type', value: { size: 2, fmt: 'eth_type' } },
  7: {
    name: 'ipv4',
    fields: [
      f('src', 0, 4, 'ipv4'),
      f('dst', 4, 4, 'ipv4'),
      f('proto', 8, 1, 'dec'),
      f('tos', 9, 1, 'hex'),
      f('ttl', 10, 1, 'dec'),
      f('frag', 11, 1, 'frag'),
    ],
  },
  8: {
    name: 'ipv6',
    fields: [
      f('src', 0, 16, 'ipv6'),
      f('dst', 16, 16, 'ipv6'),
      f('label', 32, 4, 'hex'),
      f('proto', 36, 1, 'dec'),
      f('tclass', 37, 1, 'hex'),
      f('hlimit', 38, 1, 'dec'),
      f('frag', 39, 1, 'frag'),
    ],
  },
  9: ports('tcp'),
  10: ports('udp'),
  11: { name: 'icmp', fields: [f('type', 0, 1, 'dec'), f('code', 1, 1, 'dec')] },
  12: { name: 'icmpv6', fields: [f('type', 0, 1, 'dec'), f('code', 1, 1, 'dec')] },
  13: {
    name: 'arp',
    fields: [f('sip', 0, 4, 'ipv4'), f('tip', 4, 4, 'ipv4'), f('op', 8, 2, 'dec'), f('sha', 10, 6, 'mac'), f('tha', 16, 6, 'mac')],
  },
  14: { name: 'nd', fields: [f('target', 0, 16, 'ipv6'), f('sll', 16, 6, 'mac'), f('tll', 22, 6, 'mac')] },
  15: { name: 'skb_mark', value: { size: 4, fmt: 'hex', host: true } },
  17: ports('sctp'),
  18: { name: 'tcp_flags', value: { size: 2, fmt: 'hex' } },
  19: { name: 'dp_hash', value: { size: 4, fmt: 'hex', host: true } },
  20: { name: 'recirc_id', value: { size: 4, fmt: 'hex', host: true } },
  22: { name: 'ct_state', value: { size: 4, fmt: 'ct_state', host: true } },
  23: { name: 'ct_zone', value: { size: 2, fmt: 'hex', host: true } },
  24: { name: 'ct_mark', value: { size: 4, fmt: 'hex', host: true } },
  25: { name: 'ct_label', value: { size: 16, fmt: 'raw' } },
  26: {
    name: 'ct_tuple4',
    fields: [f('src', 0, 4, 'ipv4'), f('dst', 4, 4, 'ipv4'), f('tp_src', 8, 2, 'dec'), f('tp_dst', 10, 2, 'dec'), f('proto', 12, 1, 'dec')],
  },
  27: {
    name: 'ct_tuple6',
    fields: [
      f('src', 0, 16, 'ipv6'),
      f('dst', 16, 16, 'ipv6'),
      f('tp_src', 32, 2, 'dec'),
      f('tp_dst', 34, 2, 'dec'),
      f('proto', 36, 1, 'dec'),
    ],
  },
};

const ETHERNET = 4;
const FRAG = ['no', 'first', 'later'];
/** ct_state bits in ovs-dpctl's order (OVS_CS_F_*). */
const CT_STATE = ['new', 'est', 'rel', 'rpl', 'inv', 'trk', 'snat', 'dnat'];

function readUint(b: Uint8Array, at: number, size: number, host: boolean): number {
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + (b[host ? at + size - 1 - i : at + i] ?? 0);
  return n;
}

const hex = (n: number) => (n === 0 ? '0' : `0x${n.toString(16)}`);
const hexBytes = (b: Uint8Array) => `0x${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;

/** One value as ovs-dpctl prints it; `mask` (the same field's mask bytes) for partly masked ones. */
function formatValue(spec: Omit<FieldSpec, 'name' | 'at'>, b: Uint8Array, m?: Uint8Array): string {
  const n = () => readUint(b, 0, spec.size, !!spec.host);
  const mn = m ? readUint(m, 0, spec.size, !!spec.host) : undefined;
  const full = 2 ** (8 * Math.min(spec.size, 6)) - 1;
  const exact = !m || m.every((x) => x === 0xff);
  switch (spec.fmt) {
    case 'ct_state': {
      const want = mn ?? 0xffffffff;
      return CT_STATE.map((name, i) => ((want >> i) & 1 ? `${(n() >> i) & 1 ? '+' : '-'}${name}` : ''))
        .join('')
        .replace(/^$/, '0');
    }
    case 'frag':
      return exact ? (FRAG[n()] ?? String(n())) : `${hex(n())}/${hex(mn ?? 0)}`;
    case 'mac':
      return exact ? formatMac(b) : `${formatMac(b)}/${formatMac(m as Uint8Array)}`;
    case 'ipv4':
      return exact ? formatIp(AF_INET, b) : `${formatIp(AF_INET, b)}/${formatIp(AF_INET, m as Uint8Array)}`;
    case 'ipv6':
      return exact ? formatIp(AF_INET6, b) : `${formatIp(AF_INET6, b)}/${formatIp(AF_INET6, m as Uint8Array)}`;
    case 'raw':
      return exact ? hexBytes(b) : `${hexBytes(b)}/${hexBytes(m as Uint8Array)}`;
    case 'eth_type':
      return `0x${n().toString(16).padStart(4, '0')}${exact ? '' : `/${hex(mn ?? 0)}`}`;
    default: {
      const v = spec.fmt === 'hex' ? hex(n()) : String(n());
      return exact || mn === full ? v : `${v}/${hex(mn ?? 0)}`;
    }
  }
}

/** A decoded match: per attribute either one value or its fields, each `value` or `value/mask`. */
export type MatchFields = Record<string, string | Record<string, string>>;

function maskedValue(spec: FieldSpec | (Omit<FieldSpec, 'name' | 'at'> & { at: number }), key: Uint8Array, mask?: Uint8Array) {
  const b = key.subarray(spec.at, spec.at + spec.size);
  const m = mask?.subarray(spec.at, spec.at + spec.size);
  if (m?.every((x) => x === 0)) return undefined; // wildcarded: ovs-dpctl leaves it out
  // A partly masked value shows its masked bits, as the datapath stores it.
  const kept = m ? b.map((x, i) => x & (m[i] ?? 0)) : b;
  return formatValue(spec, kept, m);
}

/** Key attributes (with their mask, `undefined`: exact) as fields. `maskAttrs` null: no mask sent. */
function decodeKeyAttr(a: NlAttr, mask: Uint8Array | undefined): [string, string | Record<string, string>] | undefined {
  const spec = KEY_ATTRS[a.type];
  if (!spec) return mask?.every((x) => x === 0) ? undefined : [`key${a.type}`, hexBytes(a.payload)];
  if (!spec.fields) {
    const v = maskedValue({ ...(spec.value as Omit<FieldSpec, 'name' | 'at'>), at: 0 }, a.payload, mask);
    return v === undefined ? undefined : [spec.name, v];
  }
  const fields: Record<string, string> = {};
  for (const fs of spec.fields) {
    if (fs.at + fs.size > a.payload.length) continue;
    const v = maskedValue(fs, a.payload, mask);
    if (v !== undefined) fields[fs.name] = v;
  }
  // A wildcarded Ethernet header still says the packet has one: ovs-dpctl prints `eth()`.
  return Object.keys(fields).length || a.type === ETHERNET ? [spec.name, fields] : undefined;
}

/** The megaflow match: the key's attributes masked by the mask's (`mask` absent: exact match, as
 * the kernel takes it; an attribute the mask lacks is wildcarded). Nested ENCAP/TUNNEL attributes
 * are shown as raw bytes. */
export function decodeMatch(key: Uint8Array, mask?: Uint8Array): MatchFields {
  const masks = mask ? new Map(parseAttrs(mask).map((a) => [a.type, a.payload])) : undefined;
  const out: MatchFields = {};
  for (const a of parseAttrs(key)) {
    const m = masks ? (masks.get(a.type) ?? new Uint8Array(a.payload.length)) : undefined;
    const decoded = decodeKeyAttr(a, m);
    if (decoded) out[decoded[0]] = decoded[1];
  }
  return out;
}

/** ovs-dpctl's text of a match, in the key's attribute order. */
export function matchText(m: MatchFields): string {
  return Object.entries(m)
    .map(
      ([name, v]) =>
        `${name}(${
          typeof v === 'string'
            ? v
            : Object.entries(v)
                .map(([k, x]) => `${k}=${x}`)
                .join(',')
        })`,
    )
    .join(',');
}

const u32 = (p: Uint8Array) => readUint(p, 0, 4, true);

/** The conntrack events ovs-vswitchd asks for unless told otherwise (new, related, destroy, mark,
 * label: 1 << IPCT_*), which ovs-dpctl leaves out of ct(). */
const CT_EVENTMASK_DEFAULT = 0x487;

/** enum ovs_ct_attr → ct() argument text. */
function ctText(p: Uint8Array): string {
  const parts: string[] = [];
  for (const a of parseAttrs(p)) {
    if (a.type === 1) parts.push('commit');
    else if (a.type === 7) parts.push('force_commit');
    else if (a.type === 2) parts.push(`zone=${readUint(a.payload, 0, 2, true)}`);
    else if (a.type === 3) parts.push(`mark=${hex(u32(a.payload))}/${hex(readUint(a.payload, 4, 4, true))}`);
    else if (a.type === 4) parts.push(`label=${hexBytes(a.payload.subarray(0, 16))}`);
    else if (a.type === 5) parts.push(`helper=${new TextDecoder().decode(a.payload).replace(/\0.*$/s, '')}`);
    else if (a.type === 6) parts.push('nat');
    else if (a.type === 8) {
      if (u32(a.payload) !== CT_EVENTMASK_DEFAULT) parts.push(`eventmask=${hex(u32(a.payload))}`);
    } else parts.push(`attr${a.type}`);
  }
  return `ct(${parts.join(',')})`;
}

/** set(key attr) and set_masked (the value followed by its mask, each half the payload). */
function setText(p: Uint8Array, masked: boolean): string {
  const [a] = parseAttrs(p);
  if (!a) return 'set()';
  const half = masked ? a.payload.length / 2 : a.payload.length;
  const value = { type: a.type, payload: a.payload.subarray(0, half) };
  const d = decodeKeyAttr(value, masked ? a.payload.subarray(half) : undefined);
  return `set(${d ? matchText({ [d[0]]: d[1] }) : ''})`;
}

/** The actions as ovs-dpctl lists them, comma-separated; none is `drop`. */
export function decodeActions(bytes: Uint8Array): string {
  const out: string[] = [];
  for (const a of parseAttrs(bytes)) {
    const p = a.payload;
    switch (a.type) {
      case 1:
        out.push(String(u32(p)));
        break;
      case 2: {
        const pid = parseAttrs(p).find((x) => x.type === 1);
        out.push(`userspace(pid=${pid ? u32(pid.payload) : 0})`);
        break;
      }
      case 3:
      case 11:
        out.push(setText(p, a.type === 11));
        break;
      case 4:
        out.push(`push_vlan(vid=${readUint(p, 2, 2, false) & 0xfff},pcp=${readUint(p, 2, 2, false) >> 13})`);
        break;
      case 5:
        out.push('pop_vlan');
        break;
      case 6:
        out.push('sample(…)');
        break;
      case 7:
        out.push(`recirc(${hex(u32(p))})`);
        break;
      case 8:
        out.push(`hash(l4(${readUint(p, 4, 4, true)}))`);
        break;
      case 12:
        out.push(ctText(p));
        break;
      case 13:
        out.push(`trunc(${u32(p)})`);
        break;
      case 16:
        out.push('ct_clear');
        break;
      case 19:
        out.push(`meter(${u32(p)})`);
        break;
      case 20:
        out.push(`clone(${decodeActions(p)})`);
        break;
      case 24:
        out.push('drop');
        break;
      default:
        out.push(`action${a.type}`);
    }
  }
  return out.length ? out.join(',') : 'drop';
}
