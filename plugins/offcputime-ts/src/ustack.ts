// User stacks from the shared `stacks` map, named as `module+0xfileoffset` through the process's
// /proc/PID/maps (read while the process is alive; raw addresses once it has exited).
import { readFileSync } from 'node:fs';
import { type BpfObject, encodeUint } from '@nettrace/core';

type Mapping = { lo: bigint; hi: bigint; offset: bigint; name: string };

export function readMaps(tgid: number): Mapping[] {
  try {
    return readFileSync(`/proc/${tgid}/maps`, 'utf8')
      .split('\n')
      .map((line) => /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \d+\s*(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({
        lo: BigInt(`0x${m[1]}`),
        hi: BigInt(`0x${m[2]}`),
        offset: BigInt(`0x${m[3]}`),
        name: m[4].split('/').pop() || '[anon]',
      }));
  } catch {
    return [];
  }
}

export function userStack(obj: BpfObject, stackId: number, maps: Mapping[]): string[] {
  if (stackId === -1) return [];
  if (stackId < 0) return [`<stack unavailable: error ${-stackId}>`];
  const value = obj.map('stacks').lookup(encodeUint(stackId, 4));
  if (!value) return ['<stack evicted>'];
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const frames: string[] = [];
  for (let o = 0; o + 8 <= value.byteLength; o += 8) {
    const ip = view.getBigUint64(o, true);
    if (ip === 0n) break;
    const m = maps.find((x) => ip >= x.lo && ip < x.hi);
    frames.push(m ? `${m.name}+0x${(ip - m.lo + m.offset).toString(16)}` : `0x${ip.toString(16)}`);
  }
  return frames;
}
