// iface-netstat inside the test kernels: N echo requests sent into a tun device held by a reader
// (tk-tun-traffic) are exactly N transmitted packets on that device, of the bytes the reader got.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';

interface Row {
  interface: string;
  packets: number;
  bytes: number;
}

kernelSuite('iface-netstat', (k) => {
  k.verify('N pings into a tun device are N transmitted packets on it, with the bytes its reader read', async () => {
    const pings = 7;
    const r = await k.run({ traffic: [`tk-tun-traffic tknst0 10.241.0 ${pings}`] });
    expect(r.exitCode, r.stderr).toBe(0);
    const reader = parseHelperOutput(r.trafficOutput);
    expect(Number(reader.packets)).toBe(pings);
    const final = r.final as { tx: Row[]; rx: Row[] };
    const tx = final.tx.filter((row) => row.interface === 'tknst0');
    expect(tx.map((row) => [row.packets, row.bytes])).toEqual([[pings, Number(reader.bytes)]]);
    // A tun device has no link layer: nothing was received on it.
    expect(final.rx.filter((row) => row.interface === 'tknst0')).toEqual([]);
  });
});
