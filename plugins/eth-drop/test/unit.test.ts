import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// Unit: option → rodata mapping, and golden bytes → decoded record → output row.
import {
  features,
  KernelEnum,
  type KernelSymbols,
  parseOptions,
  type RunContext,
  recordConfig,
  runnerOptions,
  UsageError,
} from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { DropEventSize, decodeDropEvent } from '../src/eth_drop.gen.js';
import plugin, { dropNotes, formatHasReason, typeFilter } from '../src/index.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 'eth-drop');

describe('eth-drop configure', () => {
  it('writes filters, ethertype mode, VLAN and stack switches into rodata', () => {
    const rec = recordConfig(
      plugin,
      parse(['-s', 'fd00::1', '-p', 'tcp', '--type', 'ipv6', '--vlan-id', '42', '--no-stack', '--all-frees']),
    );
    const vars = Object.fromEntries(rec.variables);
    expect(vars.cfg_src_ip_family).toBe(10);
    expect([...(vars.cfg_src_ip as Uint8Array)]).toEqual([0xfd, 0, ...Array(13).fill(0), 1]);
    expect(vars.cfg_protocol).toBe(6);
    expect(vars).toMatchObject({
      cfg_type_mode: 1,
      cfg_ethertype: 0x86dd,
      cfg_vlan_set: true,
      cfg_vlan_id: 42,
      cfg_stack: false,
      cfg_all_frees: true,
    });
  });

  it('defaults: every ethertype, no VLAN filter, stacks on, consumed frees skipped', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse([])).variables);
    expect(vars).toMatchObject({ cfg_type_mode: 0, cfg_vlan_set: false, cfg_stack: true, cfg_all_frees: false });
  });

  it('parses ethertypes by name or number and rejects the rest as a usage error', () => {
    expect(typeFilter('all')).toEqual([0, 0]);
    expect(typeFilter('other')).toEqual([2, 0]);
    expect(typeFilter('arp')).toEqual([1, 0x0806]);
    expect(typeFilter('flow_control')).toEqual([1, 0x8808]);
    expect(typeFilter('0x88b5')).toEqual([1, 0x88b5]);
    expect(() => typeFilter('ipx')).toThrow(UsageError);
    expect(() => typeFilter('0x12345')).toThrow(UsageError);
    expect(() => parse(['--vlan-id', '4096'])).toThrow(UsageError);
  });
});

function golden(): DataView {
  const b = new Uint8Array(DropEventSize);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, 123_000_000n, true); // ts_ns
  v.setBigUint64(8, 0xffffffff81000010n, true); // location
  v.setUint32(16, 12, true); // reason
  v.setInt32(20, -1, true); // stack_id
  v.setUint32(24, 4242, true); // pid
  v.setUint32(36, 7, true); // ifindex
  v.setUint32(40, 46, true); // len
  b.set(Buffer.from('python3'), 56); // comm
  b.set(Buffer.from('vb0'), 72); // ifname
  b.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 88); // l2.dst
  b.set([0x02, 0x6e, 0x74, 0, 0, 1], 94); // l2.src
  v.setUint16(100, 0x0806, true); // l2.ethertype
  v.setUint16(102, 0x8100, true); // l2.vlan_proto
  v.setUint16(104, (5 << 13) | 42, true); // l2.vlan_tci
  b[106] = 1 | 2 | 4; // l2.flags: ETH, VLAN, offloaded
  v.setUint16(116, 1, true); // arp.htype
  v.setUint16(118, 0x0800, true); // arp.ptype
  b[120] = 6; // hlen
  b[121] = 4; // plen
  v.setUint16(122, 2, true); // op: reply
  b.set([0x02, 0x6e, 0x74, 0, 0, 1], 124); // sha
  b.set([192, 0, 2, 10], 130); // spa
  b.set([0x0a, 0, 0, 0, 0, 2], 134); // tha
  b.set([10, 1, 0, 2], 140); // tpa
  return v;
}

describe('drop_event decoding and output row', () => {
  it('decodes golden bytes laid out as the BTF says and formats the row', () => {
    const e = decodeDropEvent(golden(), 0);
    expect(e).toMatchObject({
      reason: 12,
      stack_id: -1,
      pid: 4242,
      ifindex: 7,
      len: 46,
      comm: 'python3',
      ifname: 'vb0',
      location: 0xffffffff81000010n,
    });
    expect(e.l2).toMatchObject({ ethertype: 0x0806, vlan_proto: 0x8100, flags: 7 });
    const ctx = {
      options: { verbose: false, noStack: true },
      symbols: () => ({ symbolize: (a: bigint) => `nft_do_chain+0x${(a - 0xffffffff81000000n).toString(16)}` }) as unknown as KernelSymbols,
      kernelEnum: () => new KernelEnum('skb_drop_reason', new Map([[12, 'SKB_DROP_REASON_NETFILTER_DROP']]), 'test'),
    } as unknown as RunContext<never>;
    const row = plugin.output.kind === 'stream' ? plugin.output.row(e, ctx) : undefined;
    expect(row).toMatchObject({
      reason: 'NETFILTER_DROP',
      reason_code: 12,
      location: 'nft_do_chain+0x10',
      interface: 'vb0',
      ethertype: 'arp',
      src_mac: '02:6e:74:00:00:01',
      dst_mac: 'ff:ff:ff:ff:ff:ff',
      vlan_id: 42,
      vlan_prio: 5,
      vlan_dei: false,
      vlan_offloaded: true,
      arp: {
        op: 'reply',
        htype: 1,
        ptype: 0x0800,
        sender_mac: '02:6e:74:00:00:01',
        sender_ip: '192.0.2.10',
        target_mac: '0a:00:00:00:00:02',
        target_ip: '10.1.0.2',
      },
    });
    expect(row).not.toHaveProperty('stack');
    expect(row).not.toHaveProperty('src_ip');
  });
});

describe('eth-drop notes', () => {
  it('before 5.17 (no drop reason in skb:kfree_skb) the run says that every free is reported, unlike BCC', () => {
    expect(dropNotes(false)).toEqual([expect.stringMatching(/before 5\.17.*every kfree_skb is reported.*BCC's eth_drop hid as 'normal'/)]);
    expect(dropNotes(true)).toEqual([]);
  });

  it('reads the reason field from the tracepoint format: 5.10 has none, this kernel has one', () => {
    // skb:kfree_skb's fields on 5.10 (no reason), as its format file lists them
    const v510 = [
      '\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;',
      '\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;',
      '\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;',
    ].join('\n');
    expect(formatHasReason(v510)).toBe(false);
    expect(formatHasReason(`${v510}\n\tfield:enum skb_drop_reason reason;\toffset:28;\tsize:4;\tsigned:0;`)).toBe(true);
    expect(formatHasReason(readFileSync(join(features.tracefsRoot(), 'events/skb/kfree_skb/format'), 'utf8'))).toBe(true);
  });
});
