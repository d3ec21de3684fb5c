#!/usr/bin/env node
// `npm run bench`: nettrace's event path side by side with a C libbpf consumer, on this machine.
//
//   throughput  one BPF producer object (bpf/rbbench.bpf.c: a record per getppid() of a producer
//               child) consumed (a) by @nettrace/core's public API with the decoder gen-types.mjs
//               generates from the object's BTF (node-consumer.mjs) and (b) by a C consumer over
//               the same vendored libbpf (c/consumer.c), rounds alternating C and nettrace;
//   saturation  two paced producer children at rising rates, until a consumer loses events;
//   startup     process start -> all programs attached: `nettrace run <plugin>
//               --exit-after-attach` vs. C open+load+attach of the same object and programs;
//               peak RSS of a running `nettrace run`;
//   kernel      kernel.bpf_stats_enabled=1: each plugin's programs' run_time_ns/run_cnt under a
//               fixed workload (workload.mjs), and the bench producer's.
//   output      a streaming plugin's decode → format → write path under a drop flood
//               (output-path.mjs): events written/s, CPU per event, loss, RSS.
//
// Results: markdown tables on stdout, appended to BENCHMARKS.md with the machine description.
// Options: --rounds N (3) --events N (2000000) --quick --only throughput,saturation,startup,kernel,output
//          --ring-bytes N (default: as `nettrace run` sizes a plugin's ring: defaultRingBytes) --drain-ms N --no-append
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDecoders } from '@nettrace/plugin-tools';
import { buildBpf, ensureVmlinuxHeader } from '../src/bpf-build.mjs';
import { libbpfRoot, repoRoot } from '../src/paths.mjs';
import { outputPath } from './output-path.mjs';
import { cpuMsOf, fmt1, fmtInt, fmtRate, fmtX, median, sum, table } from './util.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string' },
    events: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'ring-bytes': { type: 'string' },
    'drain-ms': { type: 'string' },
    'no-append': { type: 'boolean', default: false },
  },
});
const quick = args.quick;
const ROUNDS = Number(args.rounds ?? (quick ? 1 : 3));
const EVENTS = Number(args.events ?? (quick ? 500_000 : 2_000_000));
const PHASES = new Set((args.only ?? 'throughput,saturation,startup,kernel,output').split(','));
const STARTUP_RUNS = quick ? 3 : 7;

const benchDir = join(repoRoot, 'tooling/bench');
const cacheDir = join(repoRoot, 'tooling/.cache/bench');
const cliBin = join(repoRoot, 'packages/cli/dist/bin.js');
const started = Date.now();
const say = (line) => process.stderr.write(`bench: ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Preparation: BPF object (shared build rule), generated decoder, C binaries.

function preflight() {
  if (process.getuid?.() !== 0) throw new Error('the bench loads BPF programs: run it as root');
  for (const p of [
    join(repoRoot, 'packages/core/dist/index.js'),
    cliBin,
    join(repoRoot, 'packages/core/native/build/Release/nettrace_core.node'),
  ])
    if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` first`);
  if (!existsSync(join(libbpfRoot, 'lib/libbpf.a'))) throw new Error(`no vendored libbpf at ${libbpfRoot}: run \`npm run setup\``);
}

function newer(out, inputs) {
  return existsSync(out) && statSync(out).mtimeMs >= Math.max(...inputs.map((p) => statSync(p).mtimeMs));
}

async function prepare() {
  mkdirSync(cacheDir, { recursive: true });
  ensureVmlinuxHeader();
  const [obj] = await buildBpf(benchDir);
  // The nettrace consumer's decoder: gen-types.mjs output from the object's BTF, exactly as a
  // plugin gets it, type-stripped by esbuild (the build's own bundler) so plain node imports it.
  const ts = generateDecoders(obj, ['bench_event', 'bench_event_big'], 'tooling/bench/bpf/rbbench.bpf.c');
  writeFileSync(join(cacheDir, 'rbbench.gen.ts'), ts);
  const { transformSync } = await import('esbuild');
  const decoder = join(cacheDir, 'rbbench.gen.mjs');
  writeFileSync(decoder, transformSync(ts, { loader: 'ts', format: 'esm' }).code);
  const inc = join(libbpfRoot, 'include');
  const consumer = join(cacheDir, 'consumer');
  const spin = join(cacheDir, 'spin');
  const consumerSrc = [join(benchDir, 'c/consumer.c'), join(benchDir, 'bpf/bench_event.h')];
  if (!newer(consumer, consumerSrc)) {
    say('compiling the C reference consumer (gcc, vendored libbpf.a)');
    execFileSync(
      'gcc',
      [
        '-O2',
        '-Wall',
        '-Wextra',
        '-Wno-unused-parameter',
        '-o',
        consumer,
        consumerSrc[0],
        '-I',
        inc,
        '-I',
        join(benchDir, 'bpf'),
        join(libbpfRoot, 'lib/libbpf.a'),
        '-lelf',
        '-lz',
      ],
      { stdio: 'inherit' },
    );
  }
  if (!newer(spin, [join(benchDir, 'c/spin.c')]))
    execFileSync('gcc', ['-O2', '-Wall', '-o', spin, join(benchDir, 'c/spin.c')], { stdio: 'inherit' });
  const flood = join(cacheDir, 'udp-flood');
  if (!newer(flood, [join(benchDir, 'c/udp-flood.c')]))
    execFileSync('gcc', ['-O2', '-Wall', '-o', flood, join(benchDir, 'c/udp-flood.c')], { stdio: 'inherit' });
  const { BpfObject, defaultRingBytes, defaultWakeupBytes, DEFAULT_DRAIN_MS, native } = await import('@nettrace/core');
  const probe = BpfObject.open(obj, { name: 'rbbench' });
  const objectRing = probe.maps().find((m) => m.name === 'events').maxEntries;
  probe.close();
  // Per record size, as `nettrace run` sizes a plugin's ring (defaultRingBytes), unless --ring-bytes.
  const ringFor = (size) => Number(args['ring-bytes'] ?? defaultRingBytes(size, objectRing));
  return {
    obj,
    decoder,
    consumer,
    spin,
    flood,
    ringFor,
    ringOverride: !!args['ring-bytes'],
    wakeupFor: (size) => defaultWakeupBytes(ringFor(size)),
    drainMs: Number(args['drain-ms'] ?? DEFAULT_DRAIN_MS),
    libbpf: native().libbpfVersion(),
  };
}

function runJson(cmd, argv, timeout = 180_000) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout, maxBuffer: 1 << 26 });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' / ');
    return { error: why };
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput and CPU

const VARIANTS = [
  { id: 'C, default wake-ups', consumer: 'c', mode: 'adaptive' },
  { id: 'nettrace, adaptive wake-ups', consumer: 'nettrace', mode: 'adaptive' },
  { id: 'C, hybrid', consumer: 'c', mode: 'hybrid' },
  { id: 'nettrace, hybrid (default)', consumer: 'nettrace', mode: 'hybrid' },
  { id: 'nettrace, hybrid, allocating decode', consumer: 'nettrace', mode: 'hybrid', decode: 'alloc' },
  // The floor: records delivered and counted, no field read (what reading them costs on top).
  { id: 'nettrace, hybrid, not decoded (floor)', consumer: 'nettrace', mode: 'hybrid', decode: 'none' },
];

function consume(env, variant, { size, producers = 1, events, rate = 0, progStats = false }) {
  const common = [
    '--obj',
    env.obj,
    '--spin',
    env.spin,
    '--mode',
    variant.mode,
    '--big',
    size === 256 ? '1' : '0',
    '--producers',
    String(producers),
    '--events',
    String(events),
    '--rate',
    String(rate),
    '--wakeup-bytes',
    String(env.wakeupFor(size)),
    '--drain-ms',
    String(env.drainMs),
    '--ring-bytes',
    String(env.ringFor(size)),
  ];
  const r =
    variant.consumer === 'c'
      ? runJson(env.consumer, ['run', ...common])
      : runJson(process.execPath, [
          join(benchDir, 'node-consumer.mjs'),
          ...common,
          '--decoder',
          env.decoder,
          '--decode',
          variant.decode ?? 'into',
          ...(progStats ? ['--prog-stats'] : []),
        ]);
  if (r.error) return { variant, size, error: r.error };
  const producerNs = Math.max(...r.producer_ns);
  const producerCount = sum(r.producer_count);
  return {
    variant,
    size,
    ...r,
    eventsPerSec: r.consumed / (r.window_ns / 1e9),
    producerRate: producerCount / (producerNs / 1e9),
    cpuPerEvent: r.cpu_ns / r.consumed,
    perDrain: r.consumed / Math.max(1, r.drains),
    rssMiB: r.rss_kb / 1024,
    consistent: r.check && r.produced === r.consumed + r.lost && r.produced === producerCount,
  };
}

function throughput(env) {
  const results = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of [64, 256]) {
      // A/B alternating, and the order flips every round so neither side always runs first.
      const order = round % 2 ? [...VARIANTS].reverse() : VARIANTS;
      for (const v of order) {
        const r = consume(env, v, { size, events: EVENTS });
        say(
          `throughput round ${round + 1}/${ROUNDS} ${size} B ${v.id}: ${r.error ?? `${fmtRate(r.eventsPerSec)} events/s, ${fmt1(r.cpuPerEvent)} ns/event, lost ${r.lost}`}`,
        );
        results.push(r);
      }
    }
  }
  const rows = [];
  const summary = {};
  for (const size of [64, 256]) {
    const agg = (v) => {
      const rs = results.filter((r) => r.size === size && r.variant === v && !r.error);
      return {
        runs: rs.length,
        failed: results.filter((r) => r.size === size && r.variant === v && r.error).map((r) => r.error),
        produced: sum(rs.map((r) => r.produced)),
        consumed: sum(rs.map((r) => r.consumed)),
        lost: sum(rs.map((r) => r.lost)),
        eventsPerSec: median(rs.map((r) => r.eventsPerSec)),
        producerRate: median(rs.map((r) => r.producerRate)),
        cpu: median(rs.map((r) => r.cpuPerEvent)),
        cpuMin: Math.min(...rs.map((r) => r.cpuPerEvent)),
        cpuMax: Math.max(...rs.map((r) => r.cpuPerEvent)),
        perDrain: median(rs.map((r) => r.perDrain)),
        rss: median(rs.map((r) => r.rssMiB)),
        consistent: rs.every((r) => r.consistent),
      };
    };
    const a = new Map(VARIANTS.map((v) => [v, agg(v)]));
    const cDefault = a.get(VARIANTS[0]);
    const cSame = (v) => a.get(VARIANTS.find((x) => x.consumer === 'c' && x.mode === v.mode));
    summary[size] = a;
    for (const v of VARIANTS) {
      const x = a.get(v);
      const isC = v.consumer === 'c';
      rows.push([
        `${size} B`,
        v.id,
        `${x.runs}${x.failed.length ? ` (+${x.failed.length} failed)` : ''}`,
        fmtInt(x.produced),
        fmtInt(x.consumed),
        `${fmtInt(x.lost)}${x.produced ? ` (${((100 * x.lost) / x.produced).toFixed(2)} %)` : ''}`,
        fmtRate(x.eventsPerSec),
        fmtRate(x.producerRate),
        `${fmt1(x.cpu)} (${fmt1(x.cpuMin)}–${fmt1(x.cpuMax)})`,
        fmt1(x.perDrain),
        fmt1(x.rss),
        isC ? '' : fmtX(x.cpu / cDefault.cpu),
        isC ? '' : fmtX(x.cpu / cSame(v).cpu),
        fmtX(x.producerRate / cDefault.producerRate),
        x.consistent ? 'ok' : 'MISMATCH',
      ]);
    }
  }
  const text = table(
    [
      'size',
      'consumer',
      'runs',
      'produced',
      'consumed',
      'lost',
      'events/s',
      'producer syscalls/s',
      'consumer CPU ns/event (min–max)',
      'events/drain',
      'RSS MiB',
      'CPU ÷ C default',
      'CPU ÷ C same mode',
      'producer ÷ C default',
      'check',
    ],
    rows,
  );
  const failures = results.filter((r) => r.error).map((r) => `- ${r.size} B ${r.variant.id}: ${r.error}`);
  return { text: failures.length ? `${text}\n\nFailed runs:\n${failures.join('\n')}` : text, summary, results };
}

// ---------------------------------------------------------------------------------------------
// Saturation: two producer children, paced, at rising total rates.

function saturation(env) {
  const rates = quick ? [500_000, 2_000_000, 0] : [250_000, 500_000, 1_000_000, 2_000_000, 0];
  const seconds = quick ? 0.5 : 1;
  const rounds = quick ? 1 : 2;
  const variants = VARIANTS.filter((v) => !v.decode);
  const runs = [];
  for (let round = 0; round < rounds; round++)
    for (const size of [64, 256]) {
      for (const [i, rate] of rates.entries()) {
        const order = (i + round) % 2 ? [...variants].reverse() : variants;
        for (const v of order) {
          const events = rate ? Math.round((rate / 2) * seconds) : Math.round(EVENTS / 2);
          const r = consume(env, v, { size, producers: 2, events, rate: rate / 2 });
          say(
            `saturation ${size} B ${rate ? fmtRate(rate) : 'unpaced'} ${v.id}: ${r.error ?? `${fmtRate(r.producerRate)} offered, lost ${r.lost}`}`,
          );
          runs.push({ ...r, target: rate });
        }
      }
    }
  // One point per (size, rate, consumer): median rates, loss summed over the rounds. The offered
  // rate is both children's syscalls over the longer child's run.
  const points = [];
  for (const size of [64, 256])
    for (const rate of rates)
      for (const v of variants) {
        const rs = runs.filter((r) => r.size === size && r.target === rate && r.variant === v);
        const ok = rs.filter((r) => !r.error);
        points.push({
          size,
          target: rate,
          variant: v,
          error: ok.length ? undefined : rs[0]?.error,
          offered: median(ok.map((r) => r.producerRate)),
          consumedPerSec: median(ok.map((r) => r.eventsPerSec)),
          lost: sum(ok.map((r) => r.lost)),
          produced: sum(ok.map((r) => r.produced)),
          cpu: median(ok.map((r) => r.cpuPerEvent)),
        });
      }
  const rows = points.map((p) => [
    `${p.size} B`,
    p.target ? `${fmtRate(p.target)}/s` : 'unpaced',
    p.variant.id,
    p.error ? `failed: ${p.error}` : fmtRate(p.offered),
    p.error ? '' : fmtRate(p.consumedPerSec),
    p.error ? '' : fmtInt(p.lost),
    p.error ? '' : `${((100 * p.lost) / Math.max(1, p.produced)).toFixed(2)} %`,
    p.error ? '' : fmt1(p.cpu),
  ]);
  const limits = [];
  for (const size of [64, 256])
    for (const v of variants) {
      const ps = points.filter((p) => p.size === size && p.variant === v && !p.error);
      const clean = ps.filter((p) => p.lost === 0).map((p) => p.offered);
      const lossy = ps.filter((p) => p.lost > 0).map((p) => p.offered);
      limits.push([
        `${size} B`,
        v.id,
        clean.length ? `${fmtRate(Math.max(...clean))}/s` : 'none',
        lossy.length ? `${fmtRate(Math.min(...lossy))}/s` : 'no loss at any rate reached',
      ]);
    }
  const intro = `Two producer children, paced in 1 ms bursts to the target total rate (unpaced: as fast as they can); ${rounds} round${rounds > 1 ? 's' : ''} per point, median rates, loss summed.`;
  return {
    text: `${intro}\n\n${table(['size', 'target rate (2 producers)', 'consumer', 'offered syscalls/s', 'consumed/s', 'lost', 'loss', 'CPU ns/event'], rows)}\n\n${table(['size', 'consumer', 'highest offered rate without loss', 'lowest offered rate with loss'], limits)}`,
    points,
  };
}

// ---------------------------------------------------------------------------------------------
// Start-up and RSS

// Devices for plugins whose options require interfaces (vm-pair-latency's two VM-side devices):
// the two ends of a veth pair made for the bench, in order.
const BENCH_DEVICES = ['ntbench0', 'ntbench1'];
let benchDevicesMade = false;

function benchDevices() {
  if (!benchDevicesMade) {
    spawnSync('ip', ['link', 'del', BENCH_DEVICES[0]], { stdio: 'ignore' });
    execFileSync('ip', ['link', 'add', BENCH_DEVICES[0], 'type', 'veth', 'peer', 'name', BENCH_DEVICES[1]]);
    process.once('exit', () => spawnSync('ip', ['link', 'del', BENCH_DEVICES[0]], { stdio: 'ignore' }));
    benchDevicesMade = true;
  }
  return BENCH_DEVICES;
}

/** `nettrace run` arguments for a plugin's required options, or undefined when the bench cannot
 * provide one (only interfaces, from the bench's veth pair, can be). */
function requiredArgs(info) {
  const args = [];
  const devices = [...BENCH_DEVICES];
  for (const spec of Object.values(info.options ?? {})) {
    if (!spec.required) continue;
    if (spec.kind !== 'interface' || !devices.length) return undefined;
    benchDevices();
    args.push(`--${spec.long}`, devices.shift());
  }
  return args;
}

function plugins() {
  const list = spawnSync(process.execPath, [cliBin, 'list', '-o', 'json'], { encoding: 'utf8' });
  const found = [];
  for (const line of list.stdout.trim().split('\n').filter(Boolean)) {
    const p = JSON.parse(line);
    if (p.status !== 'runnable') continue;
    const info = spawnSync(process.execPath, [cliBin, 'info', p.id, '-o', 'json'], { encoding: 'utf8' });
    let parsed;
    try {
      parsed = JSON.parse(info.stdout);
    } catch {
      say(`skipping ${p.id}: nettrace info failed (${info.stderr.trim().split('\n').pop()})`);
      continue;
    }
    const args = requiredArgs(parsed);
    if (args) found.push({ ...p, info: parsed, args });
    else say(`skipping ${p.id}: it requires an option the bench cannot provide`);
  }
  return found;
}

async function pluginObjectPath(id) {
  const { discoverPlugins } = await import('@nettrace/cli');
  const p = discoverPlugins().plugins.find((x) => x.id === id);
  return p ? join(p.dir, 'dist', p.manifest.object) : undefined;
}

/**
 * Wall time from spawn to the first output matching `marker` (ms), the process's CPU time at
 * that moment (less sensitive than wall time to other load on the machine), and time to exit.
 */
function timeToMarker(cmd, argv, stream, marker) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let attached;
    let cpu = Number.NaN;
    let text = '';
    child[stream].on('data', (d) => {
      text += d;
      if (attached === undefined && marker.test(text)) {
        attached = performance.now() - t0;
        cpu = cpuMsOf(child.pid);
      }
    });
    let err = '';
    child[stream === 'stdout' ? 'stderr' : 'stdout'].on('data', (d) => (err += d));
    child.on('exit', (code) =>
      resolve({
        attached,
        cpu,
        exited: performance.now() - t0,
        code,
        error: attached === undefined ? `${err}${text}`.trim().split('\n').slice(-2).join(' / ') || `exit ${code}` : undefined,
      }),
    );
  });
}

const medianOf = (rs, k) => median(rs.filter((r) => !r.error).map((r) => r[k]));
const spread = (rs, k) => {
  const v = rs.filter((r) => !r.error).map((r) => r[k]);
  return v.length ? `${fmt1(Math.min(...v))}–${fmt1(Math.max(...v))}` : '–';
};

function chosenPrograms(info) {
  return (info.plan?.hooks ?? [])
    .filter((h) => h.chosen)
    .map((h) => {
      const c = h.chosen;
      const target = c.kind === 'tracepoint' ? c.target : (c.resolvedTarget ?? c.target);
      return `${c.program}:${c.kind}:${target}`;
    });
}

async function peakRss(argv, ms) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {}
    }, 20);
    setTimeout(() => child.kill('SIGINT'), ms);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ peakMiB: peak / 1024, code, error: code ? err.trim().split('\n').pop() : undefined });
    });
  });
}

async function startup(env, list) {
  const rows = [];
  const rssRows = [];
  const targets = [];
  for (const p of list) {
    const obj = await pluginObjectPath(p.id);
    const progs = chosenPrograms(p.info);
    if (obj && progs.length)
      targets.push({ id: p.id, obj, progs, args: p.args, nettrace: ['run', p.id, ...p.args, '--exit-after-attach'] });
  }
  const startupRow = (id, progs, n, c, errs) => [
    id,
    progs,
    `${fmt1(medianOf(n, 'attached'))} (${spread(n, 'attached')})`,
    fmt1(medianOf(n, 'cpu')),
    fmt1(medianOf(n, 'exited')),
    `${fmt1(medianOf(c, 'attached'))} (${spread(c, 'attached')})`,
    fmt1(medianOf(c, 'cpu')),
    fmtX(medianOf(n, 'attached') / medianOf(c, 'attached')),
    errs.length ? `${n.length}+${c.length} runs, ${errs.length} failed: ${errs[0]}` : `${n.length}+${c.length} runs`,
  ];
  for (const t of targets) {
    const n = [];
    const c = [];
    for (let i = 0; i < STARTUP_RUNS; i++) {
      // Alternating, C first on odd runs.
      const runN = () => timeToMarker(process.execPath, [cliBin, ...t.nettrace], 'stderr', /Tracing/).then((r) => n.push(r));
      const runC = () =>
        timeToMarker(env.consumer, ['startup', '--obj', t.obj, ...t.progs.flatMap((s) => ['--prog', s])], 'stdout', /attached/).then((r) =>
          c.push(r),
        );
      if (i % 2) {
        await runC();
        await runN();
      } else {
        await runN();
        await runC();
      }
    }
    const errs = [...n, ...c].filter((r) => r.error).map((r) => r.error);
    say(
      `startup ${t.id}: nettrace ${fmt1(medianOf(n, 'attached'))} ms, C ${fmt1(medianOf(c, 'attached'))} ms${errs.length ? ` (errors: ${errs[0]})` : ''}`,
    );
    rows.push(startupRow(t.id, t.progs.map((s) => s.split(':').slice(0, 2).join(' ')).join(', '), n, c, errs));
    const rss = await peakRss(['run', t.id, ...t.args, '-T', '0'], 3000);
    rssRows.push([t.id, rss.error ? `failed: ${rss.error}` : fmt1(rss.peakMiB)]);
  }
  // The core API alone (no CLI, discovery or planning) on the bench object, vs. C on it.
  const coreRuns = [];
  const cRuns = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    coreRuns.push(
      await timeToMarker(
        process.execPath,
        [join(benchDir, 'node-consumer.mjs'), '--startup', '--obj', env.obj, '--decoder', env.decoder],
        'stdout',
        /attached/,
      ),
    );
    cRuns.push(
      await timeToMarker(
        env.consumer,
        ['startup', '--obj', env.obj, '--prog', 'nt_bench:tracepoint:syscalls/sys_enter_getppid'],
        'stdout',
        /attached/,
      ),
    );
  }
  rows.push(
    startupRow(
      'bench object via @nettrace/core API (no CLI)',
      'nt_bench tracepoint',
      coreRuns,
      cRuns,
      [...coreRuns, ...cRuns].filter((r) => r.error).map((r) => r.error),
    ),
  );
  const nodeBare = [];
  for (let i = 0; i < STARTUP_RUNS; i++)
    nodeBare.push(await timeToMarker(process.execPath, ['-e', 'console.log("attached")'], 'stdout', /attached/));
  rows.push([
    '(bare `node -e`, for scale)',
    '',
    `${fmt1(medianOf(nodeBare, 'attached'))} (${spread(nodeBare, 'attached')})`,
    fmt1(medianOf(nodeBare, 'cpu')),
    fmt1(medianOf(nodeBare, 'exited')),
    '',
    '',
    '',
    `${nodeBare.length} runs`,
  ]);
  return {
    text: `${table(['plugin / object', 'programs attached', 'nettrace start → attached, ms: median (min–max)', 'nettrace CPU ms to attached', 'nettrace start → exit ms', 'C open+load+attach: start → attached ms', 'C CPU ms', 'nettrace ÷ C (wall)', 'runs'], rows)}\n\nPeak RSS of a running \`nettrace run <plugin>\` (VmHWM, 3 s run, no traffic generated):\n\n${table(['plugin', 'peak RSS MiB'], rssRows)}`,
    rows,
    rssRows,
  };
}

// ---------------------------------------------------------------------------------------------
// Kernel-side cost: bpf_stats

function progFdStats(pid) {
  const out = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let link;
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (link !== 'anon_inode:bpf-prog') continue;
    const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    const field = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    out.push({ id: field('prog_id'), runTimeNs: field('run_time_ns'), runCnt: field('run_cnt') });
  }
  return out;
}

function progName(id) {
  try {
    return JSON.parse(execFileSync('bpftool', ['prog', 'show', 'id', String(id), '-j'], { encoding: 'utf8' })).name;
  } catch {
    return `id ${id}`;
  }
}

async function kernelCost(env, list) {
  const statsPath = '/proc/sys/kernel/bpf_stats_enabled';
  const before = readFileSync(statsPath, 'utf8').trim();
  const rows = [];
  const restore = () => writeFileSync(statsPath, before);
  process.once('SIGINT', () => {
    restore();
    process.exit(130);
  });
  writeFileSync(statsPath, '1');
  try {
    for (const p of list) {
      const child = spawn(process.execPath, [cliBin, 'run', p.id, ...p.args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      const ready = await new Promise((resolve) => {
        child.stderr.on('data', (d) => {
          err += d;
          if (err.includes('Tracing')) resolve(true);
        });
        child.on('exit', () => resolve(false));
      });
      if (!ready) {
        rows.push([p.id, `failed: ${err.trim().split('\n').pop()}`, '', '', '']);
        continue;
      }
      const base = new Map(progFdStats(child.pid).map((s) => [s.id, s]));
      const work = spawnSync(process.execPath, [join(benchDir, 'workload.mjs')], { encoding: 'utf8', timeout: 60_000 });
      const after = progFdStats(child.pid).map((s) => ({ ...s, name: progName(s.id) }));
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
      if (work.status !== 0) say(`workload failed: ${work.stderr}`);
      for (const s of after) {
        const b = base.get(s.id) ?? { runTimeNs: 0, runCnt: 0 };
        const cnt = s.runCnt - b.runCnt;
        const ns = s.runTimeNs - b.runTimeNs;
        rows.push([p.id, s.name, fmtInt(cnt), fmtInt(ns), cnt ? fmt1(ns / cnt) : '–']);
      }
      say(`kernel cost ${p.id}: done`);
    }
    // The bench producer itself, per wake-up policy and record size (the hybrid submit queries the
    // ring's fill level; the wake-up it saves happens in irq_work, outside the program's time).
    for (const size of [64, 256])
      for (const v of VARIANTS.filter((x) => x.consumer === 'nettrace' && !x.decode)) {
        const r = consume(env, v, { size, events: Math.round(EVENTS / 4), progStats: true });
        if (r.error || !r.prog) rows.push([`bench producer ${size} B, ${v.mode}`, 'nt_bench', `failed: ${r.error}`, '', '']);
        else
          rows.push([
            `bench producer ${size} B, ${v.mode}`,
            'nt_bench',
            fmtInt(r.prog.runCount),
            fmtInt(r.prog.runTimeNs),
            fmt1(r.prog.runTimeNs / r.prog.runCount),
          ]);
      }
  } finally {
    restore();
  }
  return {
    text: `Workload (tooling/bench/workload.mjs, loopback): 20,000 UDP datagrams to a closed port, 20,000 UDP datagrams sent and received, 200 TCP connections echoing 16 KiB. Bench producer: ${fmtInt(EVENTS / 4)} getppid() records.\n\n${table(['plugin', 'program', 'run_cnt', 'run_time_ns', 'ns/run'], rows)}`,
    rows,
  };
}

// ---------------------------------------------------------------------------------------------

function machine(env) {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const gcc = spawnSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).stdout.trim();
  let os = '';
  try {
    os = /PRETTY_NAME="([^"]*)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {}
  return { kernel: release(), cpu: model, cores: cpus().length, node: process.version, libbpf: env.libbpf, gcc, os };
}

async function main() {
  preflight();
  const load0 = loadavg();
  say('preparing (BPF object, generated decoder, C consumer)');
  const env = await prepare();
  const m = machine(env);
  const sections = [];
  const list = PHASES.has('startup') || PHASES.has('kernel') ? plugins() : [];
  const phases = [];
  if (PHASES.has('throughput')) phases.push(['Throughput and consumer CPU', () => throughput(env)]);
  if (PHASES.has('saturation')) phases.push(['Saturation', () => saturation(env)]);
  if (PHASES.has('startup')) phases.push(['Start-up and memory', () => startup(env, list)]);
  if (PHASES.has('kernel')) phases.push(['Kernel-side cost (bpf_stats)', () => kernelCost(env, list)]);
  if (PHASES.has('output'))
    phases.push([
      'Output path (streaming)',
      () => outputPath({ cliBin, flood: env.flood, rounds: ROUNDS, count: quick ? 500_000 : 2_000_000, say }),
    ]);
  for (const [title, fn] of phases) {
    const t = Date.now();
    const r = await fn();
    sections.push(`### ${title}\n\n${r.text}\n\n(${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  const load1 = loadavg();
  const header = [
    `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench\`${quick ? ' --quick' : ''}`,
    '',
    `Machine: ${m.os}, kernel ${m.kernel}, ${m.cpu}, ${m.cores} cores; node ${m.node}, libbpf ${m.libbpf} (vendored, both consumers), gcc ${m.gcc}.`,
    `Load average before/after: ${load0[0].toFixed(2)} / ${load1[0].toFixed(2)}${load0[0] > 0.5 || load1[0] > 1.5 ? ' (other work was running on this machine: expect noise)' : ''}.`,
    `Parameters: ${ROUNDS} rounds × ${fmtInt(EVENTS)} events per throughput run, C and nettrace alternating; ring buffer ${fmtInt(env.ringFor(64))} bytes for 64 B records, ${fmtInt(env.ringFor(256))} for 256 B${env.ringOverride ? ' (--ring-bytes)' : " (as `nettrace run` sizes a plugin's ring from its record size: defaultRingBytes)"}; hybrid threshold ${fmtInt(env.wakeupFor(64))} / ${fmtInt(env.wakeupFor(256))} bytes (defaultWakeupBytes), drain every ${env.drainMs} ms.`,
    '',
    'Consumer CPU = user+system CPU of the consumer process over the run window (go → last record drained), per consumed event; nettrace\'s includes all of Node\'s threads. Producer syscalls/s = the traced child\'s own rate (the observer effect). "C, default wake-ups" is libbpf\'s ring_buffer__poll() loop as libbpf-tools use it; "C, hybrid" submits with the same threshold and drains on the same timer, with the epoll fix nettrace uses (edge-triggered + fence). check = produced equals consumed + lost and every decoded field matched its expected relation.',
  ].join('\n');
  const text = `${header}\n\n${sections.join('\n\n')}\n`;
  process.stdout.write(`\n${text}`);
  if (!args['no-append']) {
    const file = join(repoRoot, 'BENCHMARKS.md');
    if (!existsSync(file))
      writeFileSync(
        file,
        '# nettrace benchmarks\n\nAppended by `npm run bench` (tooling/bench/main.mjs); newest last. See docs/benchmarks.md for what the numbers mean.\n\n',
      );
    appendFileSync(file, `${text}\n`);
    say(`appended to ${file}`);
  }
  say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
