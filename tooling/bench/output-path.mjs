// The output path of a streaming plugin: eth-drop under a flood of UDP datagrams to a closed port
// in a network namespace (c/udp-flood.c; each one a kernel drop, i.e. one event), decoded,
// formatted (JSON lines or the table) and written. Per format: stdout to /dev/null (the floor:
// decode, row, format, write) and to a pipe drained by `cat` (the reader's CPU not counted).
// Figures: events written per second of the flood (until drained), the plugin process's CPU per
// event written, events lost (ring full: the consumer fell behind), peak RSS. Produced = the
// namespace's own count of datagrams to no port (Udp NoPorts), so every event is accounted for.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { vethPair } from '@nettrace/plugin-testing';
import { cpuMsOf, fmt1, fmtInt, fmtRate, median, table } from './util.mjs';

const CLOSED_PORT = 9;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One run: nettrace attached, the flood, the drain (CPU stops rising), SIGINT, the accounting. */
async function oneRun({ cliBin, flood, net, count, format, sink }) {
  const reader = sink === 'pipe' ? spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] }) : undefined;
  const out = reader ? reader.stdin : openSync('/dev/null', 'w');
  const argv = [cliBin, 'run', 'eth-drop', '--src-ip', net.ipA, '--dst-ip', net.ipB, '-p', 'udp', '-o', format];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  const attached = new Promise((resolve) =>
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/Tracing/.test(stderr)) resolve();
    }),
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await Promise.race([attached, exited]);
  if (child.exitCode !== null) throw new Error(`eth-drop did not start: ${stderr.trim()}`);
  const before = net.b.udpNoPorts();
  const cpu0 = cpuMsOf(child.pid);
  const t0 = performance.now();
  const sender = spawn('ip', ['netns', 'exec', net.a.name, flood, net.ipB, String(CLOSED_PORT), String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let sent = '';
  sender.stdout.on('data', (d) => (sent += d));
  const senderDone = new Promise((resolve) => sender.on('exit', resolve));
  sender.stdin.end('g');
  let peakKiB = 0;
  const hwm = () => {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
  };
  await senderDone;
  // Drained: the consumer's CPU stopped rising (less than 2 ms in 100 ms).
  let last = cpuMsOf(child.pid);
  let tEnd = performance.now();
  for (let i = 0; i < 200; i++) {
    await sleep(100);
    hwm();
    const now = cpuMsOf(child.pid);
    if (now - last < 2) break;
    last = now;
    tEnd = performance.now();
  }
  const cpuMs = last - cpu0;
  child.kill('SIGINT');
  const code = await exited;
  reader?.stdin.end();
  const produced = net.b.udpNoPorts() - before;
  const lostMatch = /eth-drop: (\d+) of (\d+) events lost/.exec(stderr);
  const lost = lostMatch ? Number(lostMatch[1]) : 0;
  const written = produced - lost;
  const [, floodNs] = sent.trim().split(' ').map(Number);
  return {
    code,
    produced,
    offeredPerS: produced / (floodNs / 1e9),
    written,
    lost,
    writtenPerS: written / ((tEnd - t0) / 1000),
    cpuUsPerEvent: (cpuMs * 1000) / written,
    peakMiB: peakKiB / 1024,
    error: code === 0 ? undefined : stderr.trim().split('\n').pop(),
  };
}

/** The section: `rounds` runs of each (format, sink), alternating. */
export async function outputPath({ cliBin, flood, rounds, count, say }) {
  const net = vethPair();
  // No port-unreachable replies: the flood's cost stays on the drops being measured.
  net.b.exec('sysctl', ['-qw', 'net.ipv4.icmp_ratelimit=1000000', 'net.ipv4.icmp_msgs_per_sec=1']);
  const variants = [
    ['json', 'devnull'],
    ['json', 'pipe'],
    ['table', 'devnull'],
    ['table', 'pipe'],
  ];
  const runs = new Map(variants.map((v) => [v.join(' '), []]));
  try {
    for (let r = 0; r < rounds; r++)
      for (const [format, sink] of variants) {
        const x = await oneRun({ cliBin, flood, net, count, format, sink });
        say(
          `output ${format} → ${sink}: ${fmtRate(x.writtenPerS)} events/s written, ${fmt1(x.cpuUsPerEvent)} µs CPU/event, ${fmtInt(x.lost)} lost of ${fmtInt(x.produced)}, ${fmt1(x.peakMiB)} MiB`,
        );
        runs.get(`${format} ${sink}`).push(x);
      }
  } finally {
    net.cleanup();
  }
  const rows = variants.map(([format, sink]) => {
    const xs = runs.get(`${format} ${sink}`);
    const m = (k) => median(xs.map((x) => x[k]));
    const errors = xs.filter((x) => x.error);
    return [
      `eth-drop -o ${format}`,
      sink === 'pipe' ? 'pipe (cat)' : '/dev/null',
      fmtRate(m('offeredPerS')),
      fmtRate(m('writtenPerS')),
      fmt1(m('cpuUsPerEvent')),
      `${fmtInt(xs.reduce((a, x) => a + x.lost, 0))} of ${fmtInt(xs.reduce((a, x) => a + x.produced, 0))}`,
      fmt1(Math.max(...xs.map((x) => x.peakMiB))),
      errors.length ? `${xs.length} runs, ${errors.length} failed: ${errors[0].error}` : `${xs.length} runs`,
    ];
  });
  return {
    text: `${table(['plugin', 'stdout', 'drops offered/s', 'events written/s (median)', 'CPU µs per event written', 'lost (all runs)', 'peak RSS MiB', 'runs'], rows)}\n\nA flood of ${fmtInt(count)} one-byte UDP datagrams per run (sendmmsg, c/udp-flood.c) from one namespace to a closed port in another; eth-drop filters on the pair's addresses and UDP in the kernel, with kernel stacks (its default). Events written/s: written events over the time from the flood's start until the plugin's CPU stopped rising.`,
    rows,
  };
}
