#!/usr/bin/env node
// The nettrace consumer for `npm run bench`: the benchmark object consumed through @nettrace/core's
// public API (BpfObject.open, setVariable, load, attach, ringBuffer), every field decoded by the
// decoder gen-types.mjs generated from the object's BTF, and aggregated. Same protocol and JSON
// output as the C reference (c/consumer.c `run`).
//
//   node node-consumer.mjs --obj rbbench.bpf.o --spin ./spin --decoder decoder.mjs
//        --mode adaptive|hybrid --big 0|1 --producers K --events N [--rate R]
//        [--wakeup-bytes B] [--drain-ms D] [--ring-bytes R] [--decode into|alloc|none] [--prog-stats]
//   node node-consumer.mjs --startup --obj rbbench.bpf.o
//        open, load, attach, print "attached", exit (start-up time through the core API alone)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BpfObject, native } from '@nettrace/core';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const mode = opt('--mode', 'adaptive');
const big = opt('--big', '0') === '1';
const producers = Number(opt('--producers', '1'));
const events = opt('--events', '1000000');
const rate = opt('--rate', '0');
const wakeupBytes = Number(opt('--wakeup-bytes', '0'));
const drainMs = Number(opt('--drain-ms', '5'));
const ringBytes = Number(opt('--ring-bytes', '0'));
const decodeMode = opt('--decode', 'into');

if (argv.includes('--startup')) {
  const obj = BpfObject.open(opt('--obj'), { name: 'rbbench' });
  obj.load();
  obj.attach('nt_bench', 'tracepoint', 'syscalls/sys_enter_getppid');
  process.stdout.write('attached\n');
  obj.close();
  process.exit(0);
}
const gen = await import(pathToFileURL(opt('--decoder')).href);

// Producer children first: their tgids are the object's filter, written before load.
const children = Array.from({ length: producers }, () => spawn(opt('--spin'), [events, rate], { stdio: ['pipe', 'pipe', 'inherit'] }));
const results = children.map(
  (child) =>
    new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('exit', (code) =>
        code === 0 ? resolve(out.trim().split(' ').map(Number)) : reject(new Error(`producer exited with ${code}`)),
      );
    }),
);

const obj = BpfObject.open(opt('--obj'), { name: 'rbbench' });
const tgids = new Uint8Array(4 * 8);
children.forEach((c, i) => {
  new DataView(tgids.buffer).setUint32(i * 4, c.pid, true);
});
obj.setVariable('cfg_tgids', tgids);
obj.setVariable('cfg_ntgids', producers);
obj.setVariable('cfg_big', big);
obj.setVariable('cfg_wakeup_bytes', mode === 'hybrid' ? wakeupBytes : 0);
if (ringBytes) obj.setMaxEntries('events', ringBytes);
obj.load();
obj.attach('nt_bench', 'tracepoint', 'syscalls/sys_enter_getppid');
const ring = obj.ringBuffer('events', { wakeup: mode, timerMs: mode === 'hybrid' ? drainMs : undefined });

// Aggregates: plain numbers in a closure are boxed on every store, so each batch sums into
// locals and adds them to this Float64Array once.
const agg = new Float64Array(12); // count ts seq tgid tid cpu size a b c d words
const small = gen.createBenchEvent();
const large = gen.createBenchEventBig();
if (decodeMode === 'none') ring.on('batch', (batch) => void (agg[0] += batch.count));
else
  ring.on('batch', (batch) => {
    const v = batch.view;
    const n = batch.count;
    let ts = 0,
      seq = 0,
      tgid = 0,
      tid = 0,
      cpu = 0,
      size = 0,
      a = 0,
      b = 0,
      c = 0,
      d = 0,
      w = 0;
    for (let i = 0; i < n; i++) {
      const o = batch.offset(i);
      let e;
      if (big) {
        const r = decodeMode === 'into' ? gen.decodeBenchEventBigInto(large, v, o) : gen.decodeBenchEventBig(v, o);
        for (let k = 0; k < r.words.length; k++) w += r.words[k];
        e = r.head;
      } else {
        e = decodeMode === 'into' ? gen.decodeBenchEventInto(small, v, o) : gen.decodeBenchEvent(v, o);
      }
      ts += e.ts_ns;
      seq += e.seq;
      tgid += e.tgid;
      tid += e.tid;
      cpu += e.cpu;
      size += e.size;
      a += e.a;
      b += e.b;
      c += e.c;
      d += e.d;
    }
    agg[0] += n;
    agg[1] += ts;
    agg[2] += seq;
    agg[3] += tgid;
    agg[4] += tid;
    agg[5] += cpu;
    agg[6] += size;
    agg[7] += a;
    agg[8] += b;
    agg[9] += c;
    agg[10] += d;
    agg[11] += w;
  });
ring.start();

const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const cpu0 = cpuNs();
const t0 = process.hrtime.bigint();
for (const c of children) c.stdin.end(Buffer.alloc(1));
const produced_ns = await Promise.all(results);
ring.drain();
const t1 = process.hrtime.bigint();
const cpu1 = cpuNs();

const producedMap = obj.map('bench_produced');
const produced = producedMap.sumU64(producedMap.lookup(new Uint8Array(4)));
const stats = ring.stats();
let progStats;
if (argv.includes('--prog-stats')) progStats = native().programStats(obj.programFd('nt_bench'));
const [count, , , , , , size, a, b, , , w] = agg;
const wordsExpected = big ? a * 24 + count * 276 : 0;
const check = decodeMode === 'none' || (b === 2 * a && size === count * (big ? 256 : 64) && w === wordsExpected);
const rssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
process.stdout.write(
  `${JSON.stringify({
    consumer: 'nettrace',
    mode,
    size: big ? 256 : 64,
    producers,
    produced,
    consumed: count,
    lost: stats.lost,
    window_ns: Number(t1 - t0),
    cpu_ns: cpu1 - cpu0,
    drains: stats.batches,
    wakeups: stats.wakeups,
    rss_kb: rssKb,
    check,
    producer_ns: produced_ns.map((r) => r[1]),
    producer_count: produced_ns.map((r) => r[0]),
    prog: progStats,
    decode: decodeMode,
  })}\n`,
);
obj.close();
