// Unit: link-layer formatting, drop-reason labels and monotonic → wall-clock conversion.
import { describe, expect, it } from 'vitest';
import { dropReasonLabel, ethertypeName, formatMac, KernelEnum, monotonicToEpochMs, parseEthertype, vlanFields } from '../src/index.js';

describe('frame helpers', () => {
  it('formats MACs and ethertypes, parses ethertypes', () => {
    expect(formatMac(Uint8Array.from([2, 0xab, 0, 1, 0x10, 0xff, 9]))).toBe('02:ab:00:01:10:ff');
    expect(ethertypeName(0x86dd)).toBe('ipv6');
    expect(ethertypeName(0x88b5)).toBe('0x88b5');
    expect(parseEthertype('ARP')).toBe(0x0806);
    expect(parseEthertype('flow-control')).toBe(0x8808);
    expect(parseEthertype('0x88B5')).toBe(0x88b5);
    expect(parseEthertype('2048')).toBe(0x0800);
    expect(parseEthertype('0x10000')).toBeUndefined();
    expect(parseEthertype('ipx')).toBeUndefined();
    expect(vlanFields((5 << 13) | 0x1000 | 42)).toEqual({ vlan_id: 42, vlan_prio: 5, vlan_dei: true });
  });
});

describe('drop reason labels', () => {
  const reasons = new KernelEnum(
    'skb_drop_reason',
    new Map([
      [2, 'SKB_DROP_REASON_NOT_SPECIFIED'],
      [3, 'SKB_DROP_REASON_NO_SOCKET'],
      [1, 'SKB_CONSUMED'],
    ]),
    'test',
  );
  it('strips the prefix, marks unreported and subsystem reasons', () => {
    expect(dropReasonLabel(reasons, 3)).toBe('NO_SOCKET');
    expect(dropReasonLabel(reasons, 1)).toBe('SKB_CONSUMED');
    expect(dropReasonLabel(reasons, 0)).toBe('-');
    expect(dropReasonLabel(reasons, 99)).toBe('UNKNOWN(99)');
    expect(dropReasonLabel(reasons, (3 << 16) | 7)).toBe('SUBSYS3:7');
    expect(dropReasonLabel(undefined, 5)).toBe('5');
  });
});

describe('monotonic clock', () => {
  it('maps CLOCK_MONOTONIC nanoseconds (process.hrtime) to wall-clock time', () => {
    const now = Date.now();
    expect(Math.abs(monotonicToEpochMs(process.hrtime.bigint()) - now)).toBeLessThan(50);
    expect(monotonicToEpochMs(process.hrtime.bigint() - 2_000_000_000n)).toBeLessThan(now - 1900);
    // Decoders give numbers: the float path agrees with the exact one to the millisecond.
    for (const ns of [process.hrtime.bigint(), 123_456_789_012_345n, 9_007_199_254_740_000n])
      expect(Math.abs(monotonicToEpochMs(Number(ns)) - monotonicToEpochMs(ns))).toBeLessThanOrEqual(1);
  });
});
