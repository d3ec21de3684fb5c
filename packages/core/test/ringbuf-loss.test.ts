// Loss is never silent. A streaming plugin with a one-page ring (fixtures/loss-burst) gets a burst
// of events it cannot hold: every record must be either delivered or counted lost (exactly), and
// the loss must show in the JSON final record, the table footer, the exit summary on stderr, and
// as a non-zero exit code with --fail-on-loss, in-process and through the real `nettrace` binary.
// Live kernel, as root.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBpf } from '../../../tooling/src/bpf-build.mjs';
import { BpfObject, defaultRingBytes, type Plugin, parseOptions, runnerOptions, runPlugin } from '../src/index.js';
import { prepareChannel } from '../src/run/channel.js';

const FIXTURE = join(__dirname, 'fixtures/loss-burst');
const BIN = join(__dirname, '../../cli/dist/bin.js');
let plugin: Plugin;

beforeAll(async () => {
  buildBpf(FIXTURE); // the shared build rule: bpf/loss_burst.bpf.c -> dist/loss_burst.bpf.o
  plugin = ((await import(join(FIXTURE, 'index.js'))) as { default: Plugin }).default;
});

/** getppid() n times from this process. The JS thread is busy meanwhile, so nothing drains the
 * ring: it holds 15 records, the rest must be counted lost. */
function burst(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += process.ppid;
  return sum;
}

async function runBurst(argv: string[], n: number) {
  const values = parseOptions({ ...runnerOptions, ...plugin.options }, ['--pid', String(process.pid), ...argv], plugin.id);
  const lines: string[] = [];
  const log: string[] = [];
  const controller = new AbortController();
  const summary = await runPlugin(plugin, values, {
    write: (l) => lines.push(l),
    log: (l) => log.push(l),
    signal: controller.signal,
    onAttached: async () => {
      burst(n);
      await new Promise((r) => setTimeout(r, 50));
      controller.abort();
    },
  });
  return { summary, lines, log };
}

describe('ring buffer loss accounting', () => {
  it('a burst into a one-page ring: every record is delivered or counted lost, JSON says so, --fail-on-loss exits 1', async () => {
    const n = 20_000;
    const { summary, lines, log } = await runBurst(['-o', 'json', '--fail-on-loss'], n);
    expect(summary.wakeup).toBe('hybrid'); // the default for a plugin that submits with nt_event_submit()
    expect(summary.lost).toBeGreaterThan(n / 2);
    expect(summary.events + summary.lost).toBe(n);
    expect(summary.exitCode).toBe(1);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r.type === 'event')).toHaveLength(summary.events);
    expect(records.find((r) => r.type === 'final')).toMatchObject({ events: summary.events, lost_events: summary.lost });
    expect(log.join('\n')).toMatch(new RegExp(`${summary.lost} of ${n} events lost \\(ring buffer full\\)`));
  });

  it('table output ends with the loss footer; without --fail-on-loss the exit code stays 0', async () => {
    const n = 5_000;
    const { summary, lines, log } = await runBurst([], n);
    expect(summary.lost).toBeGreaterThan(0);
    expect(summary.exitCode).toBe(0);
    expect(lines.at(-1)).toBe(
      `events: ${summary.events}, lost events: ${summary.lost} (ring buffer full: filter more, or use a larger ring)`,
    );
    expect(lines[0]).toMatch(/^\s*TGID\s+TID$/);
    expect(log.join('\n')).toMatch(/events lost/);
  });

  it('adaptive wake-ups account for every record just the same', async () => {
    const n = 5_000;
    const { summary } = await runBurst(['--wakeup', 'adaptive', '-o', 'json'], n);
    expect(summary.wakeup).toBe('adaptive');
    expect(summary.lost).toBeGreaterThan(0);
    expect(summary.events + summary.lost).toBe(n);
  });

  it('what fits in the ring is delivered in full: no loss, exit 0 with --fail-on-loss', async () => {
    const { summary, lines } = await runBurst(['-o', 'json', '--fail-on-loss'], 10);
    expect(summary).toMatchObject({ events: 10, lost: 0, exitCode: 0 });
    expect(lines.map((l) => JSON.parse(l)).find((r) => r.type === 'final')).toMatchObject({ events: 10, lost_events: 0 });
  });

  it('--ring-bytes sizes the ring: a burst that overflows one page fits in four', async () => {
    const n = 40; // 256-byte records: 15 fit in 4 KiB, 62 in 16 KiB
    expect((await runBurst(['-o', 'json'], n)).summary.lost).toBeGreaterThan(0);
    const { summary } = await runBurst(['-o', 'json', '--ring-bytes', '16384'], n);
    expect(summary).toMatchObject({ events: n, lost: 0 });
    await expect(runBurst(['--ring-bytes', '12288'], 1)).rejects.toThrow(/must be a power of 2/);
  });

  // Delivery without a final drain: hybrid records (submitted without a wake-up) arrive through
  // the drain timer, adaptive ones through the kernel's wake-up of the edge-triggered reader.
  for (const [policy, argv] of [
    ['hybrid', ['--drain-ms', '20']],
    ['adaptive', ['--wakeup', 'adaptive']],
  ] as const) {
    it(`${policy}: a lone event is delivered while the run goes on (latency bounded)`, async () => {
      const values = parseOptions(
        { ...runnerOptions, ...plugin.options },
        ['--pid', String(process.pid), '-o', 'json', ...argv],
        plugin.id,
      );
      const controller = new AbortController();
      let deliveredAfterMs: number | undefined;
      let burstAt = 0;
      const summary = await runPlugin(plugin, values, {
        write: (l) => {
          if (l.includes('"type":"event"') && deliveredAfterMs === undefined) deliveredAfterMs = performance.now() - burstAt;
        },
        log: () => {},
        signal: controller.signal,
        onAttached: async () => {
          burstAt = performance.now();
          burst(1);
          await new Promise((r) => setTimeout(r, 300));
          controller.abort();
        },
      });
      expect(summary).toMatchObject({ wakeup: policy, events: 1, lost: 0 });
      expect(deliveredAfterMs).toBeDefined();
      expect(deliveredAfterMs).toBeLessThan(250); // well before the final drain at 300 ms
    });
  }

  // The final report is read after the programs are detached: a process still calling when the
  // run stops cannot make the report count calls whose events were never drained.
  it('stopping while the traced process keeps calling: the final count = events + lost, exactly', async () => {
    // Spinning before the run starts (node's own start can take a second on a loaded machine).
    const spinner = spawn(process.execPath, ['-e', "process.stdout.write('go'); for (;;) process.ppid;"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await once(spinner.stdout, 'data');
    try {
      const values = parseOptions(
        { ...runnerOptions, ...plugin.options },
        ['--pid', String(spinner.pid), '-o', 'json', '--ring-bytes', String(1 << 22)],
        plugin.id,
      );
      const lines: string[] = [];
      const controller = new AbortController();
      const summary = await runPlugin(plugin, values, {
        write: (l) => lines.push(l),
        log: () => {},
        signal: controller.signal,
        onAttached: async () => {
          await new Promise((r) => setTimeout(r, 300));
          controller.abort();
        },
      });
      const final = lines.map((l) => JSON.parse(l)).find((r) => r.type === 'final');
      expect(summary.events).toBeGreaterThan(1000); // the spinner really ran while traced
      expect(final.traced.calls).toBe(summary.events + summary.lost);
    } finally {
      spinner.kill();
    }
  });

  it('the default ring follows the record size: room for 12,000 records in a ring left at the shared 1 MiB', () => {
    expect(defaultRingBytes(64, 1 << 20)).toBe(1 << 20); // 72 x 12,000 = 864,000
    expect(defaultRingBytes(224, 1 << 20)).toBe(1 << 22); // eth-drop
    expect(defaultRingBytes(256, 1 << 20)).toBe(1 << 22);
    expect(defaultRingBytes(632, 1 << 20)).toBe(1 << 23); // stage sessions
    expect(defaultRingBytes(4000, 1 << 20)).toBe(1 << 24); // at most 16 MiB
    expect(defaultRingBytes(256, 4096)).toBe(4096); // an object that sized its own ring keeps it
    // On a real object: the fixture's ring put back to the shared size grows for its 256-byte
    // records, and the kernel takes it at load; --ring-bytes still wins.
    const channel = { kind: 'ring', perfBuffer: false, drainMs: 5 } as const;
    for (const [ringBytes, expected] of [
      [undefined, 1 << 22],
      [1 << 16, 1 << 16],
    ] as const) {
      const obj = BpfObject.open(join(FIXTURE, 'dist/loss_burst.bpf.o'), { name: 'ring-size' });
      try {
        obj.setMaxEntries('events', 1 << 20);
        prepareChannel(obj, 'events', 256, { ...channel, ringBytes }, () => {});
        expect(obj.maps().find((m) => m.name === 'events')?.maxEntries).toBe(expected);
        obj.load();
      } finally {
        obj.close();
      }
    }
  });

  it('rejects a hybrid threshold that does not fit the ring', async () => {
    await expect(runBurst(['--wakeup-bytes', '4096'], 1)).rejects.toThrow(
      /--wakeup-bytes 4096: must be smaller than the ring buffer \(4096 bytes\)/,
    );
  });

  it('end to end: `nettrace run --fail-on-loss` exits 1 and reports the loss (burst from another process)', async () => {
    const n = 50_000;
    const producer = spawn(
      process.execPath,
      ['-e', `process.stdin.once('data', () => { let s = 0; for (let i = 0; i < ${n}; i++) s += process.ppid; process.exit(0); });`],
      {
        stdio: ['pipe', 'ignore', 'inherit'],
      },
    );
    const cli = spawn(
      process.execPath,
      [BIN, '--plugin', FIXTURE, 'run', 'fixture-loss-burst', '-P', String(producer.pid), '--fail-on-loss', '-T', '2', '-o', 'json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (d) => (stdout += d));
    await new Promise<void>((resolve) =>
      cli.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('Tracing')) resolve();
      }),
    );
    producer.stdin.end('go');
    const [code] = await once(cli, 'exit');
    expect(stderr).toMatch(/events lost \(ring buffer full\)/);
    expect(stderr).toMatch(/events were lost \(--fail-on-loss\)/);
    expect(code).toBe(1);
    const final = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((r) => r.type === 'final');
    expect(final.lost_events).toBeGreaterThan(0);
    expect(final.events + final.lost_events).toBe(n);
  });
});
