// The stress scenarios behind RELIABILITY.md (npm run stress) and their quick variants in npm test
// (tooling/test/soak-quick.test.ts): nettrace runs as a user runs it (its own process, JSON lines on
// stdout), traffic comes from a network namespace, the kernel's own counters are the witness, and
// the process is sampled from /proc while it runs.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Netns, VethPair } from '@nettrace/plugin-testing';
import { ProcessSampler, type Sample, summarize } from './process-sampler.js';

const BIN = join(__dirname, '../../packages/cli/bin/nettrace.js');


/** A running `nettrace run … -o json`: records are counted as they arrive, only the last kept. */
export class TracedRun {
  readonly child: ChildProcess;
  readonly sampler: ProcessSampler;
  events = 0;
  intervalTimes: number[] = [];
  final: Record<string, unknown> | undefined;
  lastInterval: Record<string, unknown> | undefined;
  stderr = '';
  readonly attached: Promise<void>;
  readonly exited: Promise<number>;

  constructor(id: string, args: string[], sampleEveryMs: number) {
    this.child = spawn(process.execPath, [BIN, 'run', id, ...args, '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.sampler = new ProcessSampler(this.child.pid!, sampleEveryMs);
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code ?? 128)));
    let pending = '';
    this.attached = new Promise((resolve, reject) => {
      this.child.stdout!.on('data', (d: Buffer) => {
        pending += d.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) this.#record(line, resolve);
      });
      void this.exited.then((code) => reject(new Error(`nettrace run ${id} exited ${code} before attaching: ${this.stderr}`)));
    });
    this.attached.catch(() => {});
  }

  #record(line: string, attached: () => void): void {
    if (line.startsWith('{"type":"event"')) {
      this.events++;
      return;
    }
    if (!line.startsWith('{')) return;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (r.type === 'header') attached();
    if (r.type === 'interval') {
      this.intervalTimes.push(Date.parse(r.time as string));
      this.lastInterval = r;
    }
    if (r.type === 'final') this.final = r;
  }

  /** SIGTERM, then the figures: samples, and the largest gap between interval reports. */
  async stop(): Promise<{ code: number; samples: Sample[]; maxIntervalGapS: number }> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    const samples = this.sampler.stop();
    const gaps = this.intervalTimes.slice(1).map((t, i) => (t - this.intervalTimes[i]) / 1000);
    return { code, samples, maxIntervalGapS: gaps.length ? Math.max(...gaps) : Number.NaN };
  }

  /** The BPF maps this process holds (from its fdinfo), with entries counted by bpftool. */
  maps(): { id: number; name: string; type: string; maxEntries: number; entries?: number }[] {
    const ids = new Set<number>();
    const pid = this.child.pid!;
    for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
      try {
        const m = /^map_id:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
        if (m) ids.add(Number(m[1]));
      } catch {
        // closed meanwhile
      }
    }
    return [...ids].map((id) => {
      const show = JSON.parse(spawnSync('bpftool', ['-j', 'map', 'show', 'id', String(id)], { encoding: 'utf8' }).stdout) as {
        name: string;
        type: string;
        max_entries: number;
      };
      const hashed = show.type.includes('hash');
      const entries = hashed
        ? (JSON.parse(spawnSync('bpftool', ['-j', 'map', 'dump', 'id', String(id)], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout || '[]') as unknown[])
            .length
        : undefined;
      return { id, name: show.name, type: show.type, maxEntries: show.max_entries, entries };
    });
  }
}

/**
 * Steady UDP to a closed port of `to` from inside `ns`: `perSecond` datagrams, each batch of 5 from
 * a new socket (a new source port, so flow-keyed maps keep seeing new keys). Runs until killed.
 */
export function steadyUdp(ns: Netns, to: string, perSecond: number): ChildProcess {
  const script = `
    const dgram = require('dgram'); const payload = Buffer.alloc(16, 120);
    let s; let sent = 0;
    setInterval(() => {
      for (let i = 0; i < ${Math.max(1, Math.round(perSecond / 100))}; i++) {
        if (sent++ % 5 === 0) { s?.close(); s = dgram.createSocket('udp4'); }
        s.send(payload, 9, '${to}');
      }
    }, 10);`;
  return spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script], { stdio: 'ignore' });
}

/** A burst of `count` datagrams to a closed port, as fast as one socket sends them (async). */
export async function burstUdp(ns: Netns, to: string, count: number): Promise<void> {
  const script = `
    const s = require('dgram').createSocket('udp4'); const payload = Buffer.alloc(16, 120); let n = 0;
    const next = () => n++ < ${count} ? s.send(payload, 9, '${to}', next) : s.close();
    next();`;
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
}

export interface FloodFigures {
  produced: number;
  /** How long the sender took to produce them. */
  burstSeconds: number;
  delivered: number;
  lost: number;
  peakRssMiB: number;
  maxIntervalGapS: number;
  intervals: number;
  seconds: number;
  code: number;
}

/** eth-drop with the smallest ring drained once a second while `count` drops are produced. */
export async function flood(net: VethPair, count: number): Promise<FloodFigures> {
  const before = net.b.udpNoPorts();
  const started = Date.now();
  const run = new TracedRun(
    'eth-drop',
    ['--src-ip', net.ipA, '--dst-ip', net.ipB, '-p', 'udp', '--ring-bytes', '4096', '--wakeup', 'hybrid', '--drain-ms', '1000', '-i', '1'],
    200,
  );
  await run.attached;
  const burstStart = Date.now();
  await burstUdp(net.a, net.ipB, count);
  const burstSeconds = (Date.now() - burstStart) / 1000;
  await new Promise((r) => setTimeout(r, 2500)); // a last drain and interval report
  const { code, samples, maxIntervalGapS } = await run.stop();
  const final = run.final as { events: number; lost_events: number };
  return {
    produced: net.b.udpNoPorts() - before,
    burstSeconds,
    delivered: run.events,
    lost: final.lost_events,
    peakRssMiB: summarize(samples, 0).peakRssMiB,
    maxIntervalGapS,
    intervals: run.intervalTimes.length,
    seconds: (Date.now() - started) / 1000,
    code,
  };
}

export interface SoakFigures {
  plugin: string;
  seconds: number;
  peakRssMiB: number;
  rssSlopeKiBPerMin: number;
  cpuPercent: number;
  cpuSlopePercentPerMin: number;
  fdsMin: number;
  fdsMax: number;
  /** Largest entry count seen in a hash map against its max_entries, per map name. */
  maps: Record<string, { maxSeen: number; maxEntries: number }>;
  maxIntervalGapS: number;
  code: number;
}

/**
 * A report plugin (kernel-drop-stack-stats by flow, a small LRU so it fills) and a streaming one
 * (eth-drop) side by side for `seconds` under steady drops from ever new source ports. Returns each
 * one's figures and the exact accounting against the namespace's drop counter.
 */
export async function soak(
  net: VethPair,
  seconds: number,
  opts: { perSecond: number; sampleEveryMs: number; mapEveryMs: number },
): Promise<{ figures: SoakFigures[]; produced: number; reportedDrops: number; untrackedDrops: number; delivered: number; lost: number }> {
  const filter = ['--src-ip', net.ipA, '--dst-ip', net.ipB];
  const report = new TracedRun('kernel-drop-stack-stats', [...filter, '--group-by', 'flow', '--max-entries', '1024', '-i', '10'], opts.sampleEveryMs);
  const stream = new TracedRun('eth-drop', [...filter, '-p', 'udp', '-i', '10'], opts.sampleEveryMs);
  await Promise.all([report.attached, stream.attached]);
  const before = net.b.udpNoPorts();
  const runs = [report, stream];
  const maps = runs.map(() => ({}) as SoakFigures['maps']);
  const watchMaps = () =>
    runs.forEach((r, i) => {
      for (const m of r.maps()) {
        if (m.entries === undefined) continue;
        const seen = maps[i][m.name];
        maps[i][m.name] = { maxSeen: Math.max(seen?.maxSeen ?? 0, m.entries), maxEntries: m.maxEntries };
      }
    });
  const mapTimer = setInterval(watchMaps, opts.mapEveryMs);
  const traffic = steadyUdp(net.a, net.ipB, opts.perSecond);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  traffic.kill('SIGTERM');
  await new Promise((r) => traffic.once('exit', r));
  clearInterval(mapTimer);
  watchMaps();
  await new Promise((r) => setTimeout(r, 500));
  const produced = net.b.udpNoPorts() - before;
  const stopped = await Promise.all(runs.map((r) => r.stop()));
  const figures = runs.map((r, i) => ({
    plugin: i === 0 ? 'kernel-drop-stack-stats' : 'eth-drop',
    ...summarize(stopped[i].samples, Math.min(30, seconds / 4)),
    maps: maps[i],
    maxIntervalGapS: stopped[i].maxIntervalGapS,
    code: stopped[i].code,
  }));
  const totals = (report.final as { totals: { total_drops: number; untracked_drops: number } }).totals;
  return {
    figures,
    produced,
    reportedDrops: totals.total_drops,
    untrackedDrops: totals.untracked_drops,
    delivered: stream.events,
    lost: (stream.final as { lost_events: number }).lost_events,
  };
}
