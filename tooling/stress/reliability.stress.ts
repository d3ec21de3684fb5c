// The figures of RELIABILITY.md, measured on this machine by `npm run stress`:
//   flood: eth-drop under a burst far faster than its consumer (the smallest ring, drained once a
//          second) — exact accounting, memory, interval cadence;
//   soak:  kernel-drop-stack-stats (a flow table smaller than the flows it sees) and eth-drop side by
//          side for STRESS_SOAK_MINUTES (default 30) of steady drops — memory and CPU slopes, fds,
//          map sizes, exact totals.
// The invariants are asserted as well; the file is rewritten from scratch with this run's figures.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { type FloodFigures, flood, type SoakFigures, soak } from './scenarios.js';

const SOAK_MINUTES = Number(process.env.STRESS_SOAK_MINUTES ?? 30);
const FLOOD_DROPS = Number(process.env.STRESS_FLOOD_DROPS ?? 200_000);
const RSS_BOUND_MIB = 256;

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

let floodResult: FloodFigures | undefined;
let soakResult: Awaited<ReturnType<typeof soak>> | undefined;

describe('stress', () => {
  it(`flood: ${FLOOD_DROPS} drops in a burst, consumer far slower`, async () => {
    floodResult = await flood(net, FLOOD_DROPS);
    const f = floodResult;
    expect(f.code).toBe(0);
    expect(f.produced).toBe(FLOOD_DROPS);
    expect(f.delivered + f.lost).toBe(f.produced);
    expect(f.peakRssMiB).toBeLessThan(RSS_BOUND_MIB);
    // The point of a flood: drops arrive at least 10× faster than events reach the consumer.
    expect(f.produced / f.burstSeconds).toBeGreaterThan(10 * (f.delivered / f.seconds));
  });

  it(`soak: ${SOAK_MINUTES} minutes of a report plugin and a streaming plugin`, async () => {
    soakResult = await soak(net, SOAK_MINUTES * 60, { perSecond: 400, sampleEveryMs: 10_000, mapEveryMs: 60_000 });
    const r = soakResult;
    expect(r.reportedDrops).toBe(r.produced);
    expect(r.delivered + r.lost).toBe(r.produced);
    for (const f of r.figures) {
      expect(f.code).toBe(0);
      expect(f.fdsMax).toBe(f.fdsMin);
      expect(f.peakRssMiB).toBeLessThan(RSS_BOUND_MIB);
      for (const m of Object.values(f.maps)) expect(m.maxSeen).toBeLessThanOrEqual(m.maxEntries);
    }
  });
});

afterAll(() => {
  if (floodResult && soakResult) writeFileSync(join(__dirname, '../../RELIABILITY.md'), reliabilityDocument(floodResult, soakResult));
});

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function reliabilityDocument(f: FloodFigures, s: Awaited<ReturnType<typeof soak>>): string {
  const kernel = release();
  const node = process.version;
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Linux ${kernel}, Node ${node}, commit ${commit}`;
  const soakRow = (x: SoakFigures) =>
    `| ${x.plugin} | ${fixed(x.seconds / 60)} | ${fixed(x.peakRssMiB)} | ${fixed(x.rssSlopeKiBPerMin)} | ${fixed(x.cpuPercent, 2)} | ${fixed(x.cpuSlopePercentPerMin, 3)} | ${x.fdsMin}–${x.fdsMax} | ${
      Object.entries(x.maps)
        .map(([name, m]) => `${name} ${m.maxSeen}/${m.maxEntries}`)
        .join(', ') || '(no hash maps)'
    } | ${fixed(x.maxIntervalGapS, 2)} |`;
  return `# Reliability figures

Written by \`npm run stress\` (tooling/stress/reliability.stress.ts) on ${new Date().toISOString().slice(0, 10)}: ${machine}.
Traffic comes from a network namespace to a closed UDP port of another (each datagram one drop);
the kernel's own count of those drops (Udp NoPorts in the receiving namespace) is the witness.
The quick variants of both runs are in \`npm test\` (tooling/test/flood.test.ts, soak-quick.test.ts);
\`npm run stress\` also runs the fault tests (tooling/test/faults.test.ts: SIGKILL, SIGTERM and
SIGINT at load, attach and steady state leave no program, link or map; two runs at once).

## Flood

eth-drop with a 4 KiB ring drained once a second (\`--ring-bytes 4096 --wakeup hybrid --drain-ms 1000\`)
while one socket sends ${f.produced} datagrams as fast as it can.

| drops produced | in (s) | drop rate (/s) | delivered | delivered rate (/s) | drop rate / delivered rate | lost (counted) | delivered + lost | peak RSS (MiB) | interval reports | largest gap between them (s) |
|---|---|---|---|---|---|---|---|---|---|---|
| ${f.produced} | ${fixed(f.burstSeconds)} | ${fixed(f.produced / f.burstSeconds, 0)} | ${f.delivered} | ${fixed(f.delivered / f.seconds)} | ${fixed(f.produced / f.burstSeconds / (f.delivered / f.seconds))}× | ${f.lost} | ${f.delivered + f.lost} | ${fixed(f.peakRssMiB)} | ${f.intervals} (\`-i 1\`) | ${fixed(f.maxIntervalGapS, 2)} |

Bound: peak RSS under ${RSS_BOUND_MIB} MiB (asserted). Every drop is either delivered or counted as lost.

## Soak

kernel-drop-stack-stats \`--group-by flow --max-entries 1024 -i 10\` and eth-drop \`-p udp -i 10\`, both
filtered to the namespaces' addresses, side by side under ~400 drops/s from a new source port every
5 datagrams (more flows than the 1024-group table holds). Sampled every 10 s from /proc; slopes are
least-squares fits after the first 30 s; map entries counted with bpftool every minute.

| plugin | minutes | peak RSS (MiB) | RSS slope (KiB/min) | CPU (%) | CPU slope (%/min) | open fds | hash map entries (max seen / size) | largest gap between interval reports (s) |
|---|---|---|---|---|---|---|---|---|
${s.figures.map(soakRow).join('\n')}

Drops produced ${s.produced}; kernel-drop-stack-stats total ${s.reportedDrops} (${s.untrackedDrops} in groups the table evicted, reported as untracked); eth-drop delivered ${s.delivered} + lost ${s.lost}.
`;
}
