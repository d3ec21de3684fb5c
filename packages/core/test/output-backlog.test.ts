// A reader that cannot keep up with the output must not make nettrace queue events in memory
// without bound: while the output is backlogged, delivery pauses, the events wait in the kernel's
// ring and what does not fit is counted lost there (exactly, as every loss is). The fixture's ring
// (fixtures/loss-burst, one event per getppid() of --pid) is fed by a process calling getppid()
// without pause. In process with a backlog the test controls, then through the real `nettrace`
// binary with a stdout pipe nobody reads for a while. Live kernel, as root.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBpf } from '../../../tooling/src/bpf-build.mjs';
import { type Plugin, parseOptions, runnerOptions, runPlugin } from '../src/index.js';

const FIXTURE = join(__dirname, 'fixtures/loss-burst');
const BIN = join(__dirname, '../../cli/dist/bin.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let plugin: Plugin;
let spinner: ChildProcess | undefined;

beforeAll(async () => {
  buildBpf(FIXTURE);
  plugin = ((await import(join(FIXTURE, 'index.js'))) as { default: Plugin }).default;
});

afterEach(() => {
  spinner?.kill();
  spinner = undefined;
});

/** A process calling getppid() in a loop, already spinning when this resolves. */
async function spin(): Promise<number> {
  spinner = spawn(process.execPath, ['-e', "process.stdout.write('go'); for (;;) process.ppid;"], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(spinner.stdout as NodeJS.ReadableStream, 'data');
  return spinner.pid as number;
}

describe('output backlog', () => {
  it('in process: no event is delivered while the output is backlogged, delivery resumes on drain, and events + lost = calls', async () => {
    const pid = await spin();
    const values = parseOptions({ ...runnerOptions, ...plugin.options }, ['--pid', String(pid), '-o', 'json'], plugin.id);
    let events = 0;
    let full = false;
    let resume: (() => void) | undefined;
    const seen: number[] = [];
    const controller = new AbortController();
    const lines: string[] = [];
    const summary = await runPlugin(plugin, values, {
      write: (l) => lines.push(l),
      writeLines: (ls) => {
        events += ls.length;
      },
      log: () => {},
      signal: controller.signal,
      backlog: { full: () => full, onDrain: (r) => (resume = r) },
      onAttached: async () => {
        await sleep(200);
        full = true; // the next batch pauses delivery
        await sleep(100);
        seen.push(events); // paused by now
        await sleep(300);
        seen.push(events); // still paused: nothing delivered meanwhile
        full = false;
        resume?.();
        await sleep(200);
        seen.push(events); // flowing again
        controller.abort();
      },
    });
    expect(resume).toBeDefined();
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBeGreaterThan(seen[1]);
    // The one-page ring overflowed while paused; every call is an event or counted lost.
    expect(summary.lost).toBeGreaterThan(0);
    const final = lines.map((l) => JSON.parse(l)).find((r) => r.type === 'final');
    expect(final.traced.calls).toBe(summary.events + summary.lost);
  });

  it('`nettrace run` with a stdout pipe nobody reads for a while: delivery pauses instead of queueing, every call accounted for', async () => {
    const pid = await spin();
    // A large ring: without the pause, everything the spinner causes would be read into memory.
    const cli = spawn(
      process.execPath,
      [BIN, '--plugin', FIXTURE, 'run', 'fixture-loss-burst', '-P', String(pid), '-o', 'json', '--ring-bytes', String(1 << 20), '-T', '3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    cli.stderr.on('data', (d) => (stderr += d));
    const stdout = cli.stdout as NodeJS.ReadableStream;
    stdout.pause(); // nobody reads: the pipe fills, then nettrace's own queue would
    await sleep(2500);
    spinner?.kill(); // no more events: what comes out now is what nettrace held or left in the ring
    const chunks: Buffer[] = [];
    stdout.on('data', (d: Buffer) => chunks.push(d));
    stdout.resume();
    const [code] = await once(cli, 'exit');
    expect(code, stderr).toBe(0);
    const records = Buffer.concat(chunks)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const final = records.find((r) => r.type === 'final');
    const events = records.filter((r) => r.type === 'event');
    expect(events).toHaveLength(final.events);
    // What was written is bounded by what nettrace may hold: its stdout queue's limit (4 MiB), one
    // output buffer (1 MiB), the pipe (at most 1 MiB) and the ring's records. Unbounded, it is
    // everything the spinner caused while nobody read (hundreds of MB here).
    const longest = Math.max(...events.map((e) => JSON.stringify(e).length + 1));
    expect(Buffer.concat(chunks).length).toBeLessThan(6 * (1 << 20) + ((1 << 20) / 256) * longest + 4096);
    expect(final.traced.calls).toBe(final.events + final.lost_events);
    // The stalled reader cost events in the kernel (said on stderr), not memory in nettrace.
    expect(final.lost_events).toBeGreaterThan(0);
    expect(stderr).toMatch(/events lost \(ring buffer full\)/);
  }, 30_000);
});
