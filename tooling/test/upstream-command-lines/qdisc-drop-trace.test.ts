// Catalog Appendix A, qdisc_drop_trace: both shapes run unchanged as `nettrace run
// qdisc-drop-trace …` (they take no filter: every qdisc of the machine is traced; `-o json` added).
// A burst of N datagrams overflows the test's tbf; the run must report exactly tc's drop count for
// that qdisc, as drop lines by default and only in the per-qdisc reports with --summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { runWith } from '../../test-support/run.js';
import { type Tbf, tbf } from '../../test-support/tbf.js';
import { shapeArgv } from '../../test-support/upstream-shapes.js';

const TOOL = 'qdisc_drop_trace.py';
const LINES = ['', '--interval 1 --summary'];
const N = 200;
const PORT = 9;

let net: VethPair;
let q: Tbf;
beforeAll(() => {
  net = vethPair();
  q = tbf(net);
});
afterAll(() => net.cleanup());

interface QdiscRow {
  interface: string;
  netns: string;
  qdisc: string;
  drops: number;
  offered: number;
}

describe('upstream command lines of qdisc-drop-trace run unchanged with the same meaning', () => {
  for (const line of LINES)
    it(`${TOOL} ${line}`.trim(), async () => {
      const argv = [...shapeArgv(line), '-o', 'json'];
      const summary = argv.includes('--summary');
      q.reset();
      const run = await runWith(
        'qdisc-drop-trace',
        argv,
        async () => {
          sendUdp(net.a, { to: net.ipB, port: PORT, count: N, size: 1000, fromPort: 40003 });
          if (argv.includes('--interval')) await new Promise((r) => setTimeout(r, 1200));
        },
        2500, // the queued packets drain at 1 mbit/s
      );
      const tc = q.dropped();
      expect(tc).toBeGreaterThan(N / 2);
      const final = run.json.find((r) => r.type === 'final') as { qdiscs: QdiscRow[] };
      const ours = final.qdiscs.filter((r) => r.interface === net.devA && r.netns === net.a.name);
      expect(ours).toEqual([expect.objectContaining({ qdisc: '8001:', drops: tc })]);
      expect(ours[0]?.offered).toBeGreaterThanOrEqual(N);
      const events = run.json.filter((r) => r.type === 'event');
      if (summary) {
        expect(events).toEqual([]);
        expect(run.json.filter((r) => r.type === 'interval').length).toBeGreaterThanOrEqual(1);
      } else {
        const drops = events.filter((e) => e.event === 'drop' && e.interface === net.devA);
        expect(drops.length).toBe(tc);
        expect(drops.every((e) => e.src_ip === net.ipA && e.dst_port === PORT)).toBe(true);
      }
    }, 60_000);
});
