// vhost-buf-peek-stats inside the test kernels: vhost-net driven from user space by
// tk-vhost-traffic. Each ping makes exactly one look that finds it (the 98-byte frame), and each
// handle_rx run ends with a look that finds nothing (0): per receive virtqueue, the found lengths
// are exactly the packets the driver received. A decoy device is filtered out by --device.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { verifyTapRefusals } from '../../../test-kernel/src/tap-cases.js';
import { tapCommand, tapDeleteCommand, vhostTrafficCommand, vhostTrafficResults } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

interface VqRow {
  nvq: string;
  device: string | null;
  queue: number | null;
  calls: number;
  empty: number;
  returns: { ret: number; count: number; pct: number }[];
}

const validate = schemaValidator('vhost-buf-peek-stats');
const PING_FRAME = 98;
const vqsOf = (rec: Record<string, unknown> | undefined, device: string) =>
  ((rec?.vqs ?? []) as VqRow[]).filter((v) => v.device === device);

kernelSuite('vhost-buf-peek-stats', (k) => {
  k.verify("--interval 1: the lengths found are the driver's packets; each run of handle_rx ends on an empty ring", async () => {
    const pings = 5;
    const r = await k.run({ args: ['--interval', '1'], traffic: [vhostTrafficCommand('tkvb0', '10.244.0', pings)] });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    const fe = k.spec.facts.fentryOnModules;
    expect(chosenRungs(r)).toEqual((fe ? ['fentry', 'fexit'] : ['kprobe', 'kretprobe']).map((kind) => `${kind}:vhost_net_buf_peek`));
    const [d] = vhostTrafficResults(r.trafficOutput);
    expect(d).toMatchObject({ rxUsed: pings });
    const [vq] = vqsOf(r.final, 'tkvb0');
    expect(vqsOf(r.final, 'tkvb0')).toHaveLength(1);
    expect(vq?.returns.map((x) => x.ret)).toEqual([0, PING_FRAME]);
    expect(vq?.returns.find((x) => x.ret === PING_FRAME)?.count).toBe(d?.rxUsed);
    expect(vq?.empty).toBeGreaterThanOrEqual(1);
    expect(vq?.calls).toBe((vq?.empty ?? 0) + pings);
    // The interval reports add up to the run.
    const intervals = r.records.filter((x) => x.type === 'interval').flatMap((i) => vqsOf(i, 'tkvb0'));
    expect(intervals.reduce((n, v) => n + v.calls, 0)).toBe(vq?.calls);
  });

  k.verify('--device X: a decoy vhost device is not seen', async () => {
    const r = await k.run({
      args: ['--device', 'tkvb1'],
      before: [tapCommand('tkvb1')],
      traffic: [vhostTrafficCommand('tkvb1', '10.244.1', 3), vhostTrafficCommand('tkvb2', '10.244.2', 4), tapDeleteCommand('tkvb1')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const [target, decoy] = vhostTrafficResults(r.trafficOutput);
    expect([target?.rxUsed, decoy?.rxUsed]).toEqual([3, 4]);
    const vqs = r.final?.vqs as VqRow[];
    expect(vqs.map((v) => v.device)).toEqual(['tkvb1']);
    expect(vqs[0]?.returns.find((x) => x.ret === PING_FRAME)?.count).toBe(3);
  });

  verifyTapRefusals(k, 'tkvbq');
});
