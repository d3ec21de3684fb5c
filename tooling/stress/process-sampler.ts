// Samples a running process from /proc: resident memory, CPU time and open fds, every `everyMs`.
// Used by the stress figures (npm run stress) and their quick variants in npm test.
import { readdirSync, readFileSync } from 'node:fs';

export interface Sample {
  /** Seconds since sampling started. */
  t: number;
  rssKiB: number;
  /** user + system CPU seconds so far. */
  cpuSeconds: number;
  fds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function sampleProcess(pid: number, t: number): Sample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    if (rss === undefined) return undefined; // still in exec: no memory map yet
    const rssKiB = Number(rss);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    return { t, rssKiB, cpuSeconds, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined; // exited
  }
}

export class ProcessSampler {
  readonly samples: Sample[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #start = Date.now();

  constructor(
    readonly pid: number,
    everyMs: number,
  ) {
    this.#take();
    this.#timer = setInterval(() => this.#take(), everyMs);
  }

  #take(): void {
    const s = sampleProcess(this.pid, (Date.now() - this.#start) / 1000);
    if (s) this.samples.push(s);
  }

  stop(): Sample[] {
    clearInterval(this.#timer);
    this.#take();
    return this.samples;
  }
}

/** Least-squares slope of y over x (per unit of x); 0 for fewer than two points. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The figures of a sampled run: after `warmupSeconds` (start-up, first map fills) is left out. */
export function summarize(samples: readonly Sample[], warmupSeconds: number) {
  const steady = samples.filter((s) => s.t >= warmupSeconds);
  const first = steady[0];
  const last = steady[steady.length - 1];
  const span = last && first ? last.t - first.t : 0;
  return {
    peakRssMiB: Math.max(...samples.map((s) => s.rssKiB)) / 1024,
    rssSlopeKiBPerMin: slope(steady.map((s) => ({ x: s.t / 60, y: s.rssKiB }))),
    cpuPercent: span > 0 ? ((last.cpuSeconds - first.cpuSeconds) / span) * 100 : 0,
    cpuSlopePercentPerMin: cpuRateSlope(steady),
    fdsMin: Math.min(...steady.map((s) => s.fds)),
    fdsMax: Math.max(...steady.map((s) => s.fds)),
    seconds: span,
  };
}

/** How the CPU rate (percent, per sample interval) moves over time: flat is ~0. */
function cpuRateSlope(steady: readonly Sample[]): number {
  const rates = steady.slice(1).map((s, i) => ({ x: s.t / 60, y: ((s.cpuSeconds - steady[i].cpuSeconds) / (s.t - steady[i].t)) * 100 }));
  return slope(rates);
}
