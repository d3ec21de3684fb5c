// User stacks from the shared `stacks` map, named as `module+0xfileoffset` through the process's
// /proc/PID/maps (read while the process is alive; raw addresses once it has exited).
import { readFileSync } from 'node:fs';

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

/** A user stack (ctx.stackAddresses() of its id) named through the process's mappings. */
export function userStack(ips: bigint[] | string, maps: Mapping[]): string[] {
  if (typeof ips === 'string') return [ips];
  return ips.map((ip) => {
    const m = maps.find((x) => ip >= x.lo && ip < x.hi);
    return m ? `${m.name}+0x${(ip - m.lo + m.offset).toString(16)}` : `0x${ip.toString(16)}`;
  });
}
