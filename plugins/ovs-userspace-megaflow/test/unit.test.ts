// The netlink decoder on bytes captured from a real run (test kernel 6.1, Open vSwitch 3.1, a UDP
// flow under an OpenFlow rule on its destination port: `-v` prints each attribute's bytes), against
// what `ovs-dpctl dump-flows` printed for the same megaflow; then the correlation and filters.
import { describe, expect, it } from 'vitest';
import { covers, type UpcallKey } from '../src/correlate.js';
import { decodeActions, decodeMatch, matchText, parseAttrs } from '../src/ovs-flow-attrs.js';
import { parseDpctlMatch } from './dpctl.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
/** One netlink attribute: length, type, payload, padding to 4 bytes. */
const attr = (type: number, payload: number[]) => {
  const len = 4 + payload.length;
  return Uint8Array.from([len & 0xff, len >> 8, type & 0xff, type >> 8, ...payload, ...new Array((4 - (len % 4)) % 4).fill(0)]);
};
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const KEY = hex(
  '080014000000000008001300000000000800020000000000080003000100000008000f0000000000080016002100000006001700000000000800180000000000140019000000000000000000000000000000000014001a000a5f00010a5f0002d3861bbd1100000010000400aad0b346d0bb020000746b020600060008000000100007000a5f00010a5f00021100400008000a00d3861bbd',
);
const MASK = hex(
  '08000200000000000c001000050004000000000008000f0000000000080016000000000006001700000000000800180000000000140019000000000000000000000000000000000014001a000000000000000000000000000000000008001400ffffffff080013000000000008000300ffffffff10000400ffffffffffffffffffffffff06000600ffff0000100007000000000000000000ff0000ff08000a000000ffff',
);
const ACTIONS = hex('0800010002000000');
const DPCTL =
  'recirc_id(0),in_port(1),eth(src=aa:d0:b3:46:d0:bb,dst=02:00:00:74:6b:02),eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=7101)';

describe('OVS_FLOW_CMD_NEW attributes', () => {
  it('splits a stream of attributes, padded to 4 bytes, and stops at a truncated one', () => {
    expect(parseAttrs(KEY).map((a) => a.type)).toEqual([20, 19, 2, 3, 15, 22, 23, 24, 25, 26, 4, 6, 7, 10]);
    expect(parseAttrs(KEY.subarray(0, KEY.length - 3)).map((a) => a.type)).toHaveLength(13);
  });

  it('the key masked by the mask is what ovs-dpctl dump-flows lists, field by field', () => {
    const m = decodeMatch(KEY, MASK);
    expect(m).toEqual(parseDpctlMatch(DPCTL));
    expect(matchText(m)).toBe(DPCTL);
  });

  it('without a mask the key is an exact match; the packet itself', () => {
    const m = decodeMatch(KEY);
    expect(m.ipv4).toEqual({ src: '10.95.0.1', dst: '10.95.0.2', proto: '17', tos: '0', ttl: '64', frag: 'no' });
    expect(m.udp).toEqual({ src: '54150', dst: '7101' });
    expect(m.ct_state).toBe('+new-est-rel-rpl-inv+trk-snat-dnat');
    expect(m.ct_tuple4).toEqual({ src: '10.95.0.1', dst: '10.95.0.2', tp_src: '54150', tp_dst: '7101', proto: '17' });
  });

  it('partly masked fields print value/mask as ovs-dpctl does (the value as masked)', () => {
    const udp = attr(10, [0x1b, 0xbd, 0x1b, 0xbd]);
    expect(decodeMatch(udp, attr(10, [0, 0, 0xff, 0xc0]))).toEqual({ udp: { dst: '7040/0xffc0' } });
    const ip = attr(7, [10, 95, 0, 1, 10, 95, 0, 2, 17, 0, 64, 0]);
    const ipMask = attr(7, [255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(decodeMatch(ip, ipMask)).toEqual({ ipv4: { src: '10.95.0.0/255.255.255.0', frag: 'no' } });
  });

  it('a wildcarded Ethernet header stays as eth(), as ovs-dpctl prints it; other wildcarded attributes go', () => {
    const key = cat(attr(4, Array(12).fill(1)), attr(7, Array(12).fill(1)));
    const mask = cat(attr(4, Array(12).fill(0)), attr(7, Array(12).fill(0)));
    expect(decodeMatch(key, mask)).toEqual({ eth: {} });
    expect(matchText(decodeMatch(key, mask))).toBe('eth()');
  });

  it("ct()'s event mask is shown only when it is not ovs-vswitchd's default", () => {
    const ct = (mask: number) => attr(12, [...attr(1, []), ...attr(8, [mask & 0xff, mask >> 8, 0, 0]), ...attr(2, [5, 0])]);
    expect(decodeActions(ct(0x487))).toBe('ct(commit,zone=5)');
    expect(decodeActions(ct(0x1))).toBe('ct(commit,eventmask=0x1,zone=5)');
  });

  it('actions: output, ct, recirc, set_masked, none', () => {
    expect(decodeActions(ACTIONS)).toBe('2');
    expect(decodeActions(new Uint8Array())).toBe('drop');
    // ct(commit,zone=5) (nested OVS_CT_ATTR_COMMIT flag and _ZONE u16), recirc(0x1), output 3.
    const ct = cat(attr(12, [...attr(1, []), ...attr(2, [5, 0])]), attr(7, [1, 0, 0, 0]), attr(1, [3, 0, 0, 0]));
    expect(decodeActions(ct)).toBe('ct(commit,zone=5),recirc(0x1),3');
    // OVS_ACTION_ATTR_SET_MASKED: an ipv4 key attribute holding the value, then the mask.
    const value = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0];
    const mask = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfc, 0, 0];
    expect(decodeActions(attr(11, [...attr(7, [...value, ...mask])]))).toBe('set(ipv4(tos=0x10/0xfc))');
  });

  it('an upcall is covered by a megaflow when its fields agree under the mask', () => {
    const u: UpcallKey = {
      ts_ns: 0,
      in_port: 1,
      recirc_id: 0,
      skb_mark: 0,
      eth_src: hex('aad0b346d0bb'),
      eth_dst: hex('020000746b02'),
      eth_type: 0x0800,
      flow: {
        family: 2,
        protocol: 17,
        sport: 40000, // wildcarded by the mask: any source port is covered
        dport: 7101,
        l3_len: 0,
        saddr: hex('0a5f000100000000000000000000000000'),
        daddr: hex('0a5f000200000000000000000000000000'),
        icmp_type: 0,
        icmp_code: 0,
        icmp_id: 0,
        icmp_seq: 0,
        _pad: 0,
      } as UpcallKey['flow'],
    };
    const key = parseAttrs(KEY);
    const mask = new Map(parseAttrs(MASK).map((a) => [a.type, a.payload]));
    expect(covers(key, mask, u)).toBe(true);
    expect(covers(key, mask, { ...u, flow: { ...u.flow, dport: 7102 } })).toBe(false);
    expect(covers(key, mask, { ...u, in_port: 2 })).toBe(false);
    expect(covers(key, undefined, u)).toBe(false); // exact: the source port differs
  });
});
