// `nettrace serve` as an operator runs it: a real process, scraped over HTTP while the test
// generates drops in private namespaces; the exposition is read with a Prometheus text parser and
// the counters compared exactly with the drops sent.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(__dirname, '../bin/nettrace.js');
const DROPS = 'nettrace_kernel_drop_stack_stats_totals_total_drops_total';

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

interface Serving {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<unknown[]>;
}

async function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = once(child, 'exit');
  while (!/listening on (http:\S+)/.test(err) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (http:\S+)/.exec(err)?.[1];
  if (!url) throw new Error(`serve did not start: ${err}`);
  return { child, url, stderr: () => err, exited };
}

type Family = { name: string; type: string; metrics: { value?: string; labels?: Record<string, string> }[] };

async function scrape(url: string): Promise<Family[]> {
  const res = await fetch(`${url}/metrics`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text()) as Family[];
}

const value = (families: Family[], name: string, labels: Record<string, string> = {}) =>
  Number(
    families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ??
      Number.NaN,
  );

/** Scrapes until `name` reads `want` (reports are read every second), then returns the scrape. */
async function until(url: string, name: string, want: number): Promise<Family[]> {
  let families: Family[] = [];
  for (let i = 0; i < 100 && value(families, name) !== want; i++) {
    await new Promise((r) => setTimeout(r, 200));
    families = await scrape(url);
  }
  return families;
}

const filters = () => ['--src-ip', net.ipA, '--dst-ip', net.ipB, '-p', 'udp', '--dst-port', '9', '-i', '1'];

/** A minimal OTLP/HTTP receiver: ExportMetricsServiceRequest and ExportLogsServiceRequest in the
 * protocol's JSON encoding, kept in arrival order. */
type KeyValue = { key: string; value: { stringValue?: string; intValue?: string | number; doubleValue?: number } };
type Point = { asInt?: string | number; asDouble?: number; attributes?: KeyValue[] };
type Metric = {
  name: string;
  sum?: { dataPoints: Point[]; aggregationTemporality: number; isMonotonic: boolean };
  gauge?: { dataPoints: Point[] };
};
type MetricsRequest = { resourceMetrics: { resource: { attributes: KeyValue[] }; scopeMetrics: { metrics: Metric[] }[] }[] };
type LogRecord = { eventName?: string; body?: { stringValue?: string }; attributes?: KeyValue[] };
type LogsRequest = { resourceLogs: { resource: { attributes: KeyValue[] }; scopeLogs: { logRecords: LogRecord[] }[] }[] };

async function otlpReceiver() {
  const metricsRequests: MetricsRequest[] = [];
  const logsRequests: LogsRequest[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      if (req.headers['content-type'] === 'application/json') {
        if (req.url === '/v1/metrics') metricsRequests.push(JSON.parse(json.toString()));
        if (req.url === '/v1/logs') logsRequests.push(JSON.parse(json.toString()));
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    metricsRequests,
    logsRequests,
    close: () => new Promise((r) => receiver.close(r)),
  };
}

describe('nettrace serve', () => {
  it('exports exact running totals as Prometheus counters and table gauges, and OpenMetrics on request', async () => {
    const s = await serve(['kernel-drop-stack-stats', ...filters()]);
    try {
      sendUdp(net.a, { to: net.ipB, port: 9, count: 5, size: 32 });
      let families = await until(s.url, DROPS, 5);
      expect(value(families, DROPS)).toBe(5);
      expect(families.find((f) => f.name === DROPS)?.type).toBe('COUNTER');
      // One row per (reason, stack, flow): each datagram had its own source port.
      const rows = families.find((f) => f.name === 'nettrace_kernel_drop_stack_stats_drops_count')?.metrics ?? [];
      expect(rows.every((m) => m.labels?.reason === 'NO_SOCKET' && m.labels?.protocol === 'udp' && m.labels?.dst === `${net.ipB}:9`)).toBe(
        true,
      );
      expect(rows.reduce((n, m) => n + Number(m.value), 0)).toBe(5);
      expect(value(families, 'nettrace_up', { plugin: 'kernel-drop-stack-stats' })).toBe(1);
      expect(value(families, 'nettrace_lost_events_total', { plugin: 'kernel-drop-stack-stats' })).toBe(0);
      // Counters are totals since the start: more drops add to them.
      sendUdp(net.a, { to: net.ipB, port: 9, count: 3, size: 32 });
      families = await until(s.url, DROPS, 8);
      expect(value(families, DROPS)).toBe(8);

      const open = await fetch(`${s.url}/metrics`, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
      expect(open.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
      const text = await open.text();
      expect(text).toMatch(/^# TYPE nettrace_kernel_drop_stack_stats_totals_total_drops counter$/m);
      expect(text).toMatch(new RegExp(`^${DROPS} 8$`, 'm'));
      expect(text.trimEnd().endsWith('# EOF')).toBe(true);

      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, plugins: [{ plugin: 'kernel-drop-stack-stats', state: 'running' }] });
    } finally {
      s.child.kill('SIGTERM');
    }
    const [code] = await s.exited;
    expect(code, s.stderr()).toBe(0);
  }, 60_000);

  it('deploy/serve.example.json as shipped (the image and the DaemonSet run it): every plugin in it runs', async () => {
    const example = join(__dirname, '../../../deploy/serve.example.json');
    const named = (JSON.parse(readFileSync(example, 'utf8')) as { plugins: { plugin: string }[] }).plugins.map((p) => p.plugin);
    const s = await serve(['--config', example]);
    try {
      let body = { plugins: [] as { plugin: string; state: string }[] };
      for (let i = 0; i < 100 && body.plugins.filter((p) => p.state === 'running').length < named.length; i++) {
        await new Promise((r) => setTimeout(r, 200));
        body = (await (await fetch(`${s.url}/healthz`)).json()) as typeof body;
      }
      expect(body.plugins.map((p) => [p.plugin, p.state]).sort()).toEqual(named.map((p) => [p, 'running']).sort());
      for (const p of named) expect(value(await scrape(s.url), 'nettrace_up', { plugin: p })).toBe(1);
    } finally {
      s.child.kill('SIGTERM');
    }
    const [code] = await s.exited;
    expect(code, s.stderr()).toBe(0);
  }, 60_000);

  it("--config: a plugin that cannot run fails alone (healthz 503); SIGHUP reloads, keeping unchanged plugins' counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntserve-'));
    const config = join(dir, 'serve.json');
    const write = (plugins: { plugin: string; args?: string[] }[]) => writeFileSync(config, JSON.stringify({ plugins }));
    // vhost-eventfd-count's hooks are kprobes/fentry in the vhost module: not on this kernel.
    write([{ plugin: 'kernel-drop-stack-stats', args: filters() }, { plugin: 'vhost-eventfd-count' }]);
    const s = await serve(['--config', config]);
    try {
      sendUdp(net.a, { to: net.ipB, port: 9, count: 4, size: 32 });
      let families = await until(s.url, DROPS, 4);
      expect(value(families, DROPS)).toBe(4);
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(503);
      const body = (await health.json()) as { plugins: { plugin: string; state: string; reason?: string }[] };
      const tun = body.plugins.find((p) => p.plugin === 'vhost-eventfd-count');
      expect(tun?.state).toBe('failed');
      expect(tun?.reason).toMatch(/vhost-eventfd-count cannot run on this kernel/);
      expect(value(families, 'nettrace_up', { plugin: 'vhost-eventfd-count' })).toBe(0);

      write([
        { plugin: 'kernel-drop-stack-stats', args: filters() },
        { plugin: 'iface-netstat', args: ['-I', net.devB, '--netns', net.b.name, '-i', '1'] },
      ]);
      s.child.kill('SIGHUP');
      while (!/reloaded/.test(s.stderr())) await new Promise((r) => setTimeout(r, 50));
      expect(s.stderr()).toMatch(/reloaded .*: 1 kept, 1 started/);
      sendUdp(net.a, { to: net.ipB, port: 9, count: 2, size: 32 });
      families = await until(s.url, DROPS, 6);
      expect(value(families, DROPS)).toBe(6);
      for (let i = 0; i < 100 && (await fetch(`${s.url}/healthz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      const after = (await (await fetch(`${s.url}/healthz`)).json()) as { ok: boolean; plugins: { plugin: string; state: string }[] };
      expect(after.ok).toBe(true);
      expect(after.plugins.map((p) => p.plugin).sort()).toEqual(['iface-netstat', 'kernel-drop-stack-stats']);
    } finally {
      s.child.kill('SIGTERM');
    }
    const [code] = await s.exited;
    expect(code, s.stderr()).toBe(0);
  }, 90_000);

  it('--otlp-endpoint pushes the same running totals to an OTLP/HTTP receiver (JSON encoding, cumulative sums)', async () => {
    const { endpoint, metricsRequests: requests, close } = await otlpReceiver();
    const metric = (r: MetricsRequest | undefined, name: string) =>
      r?.resourceMetrics.flatMap((m) => m.scopeMetrics.flatMap((x) => x.metrics)).find((m) => m.name === name);
    const drops = (r: MetricsRequest | undefined) =>
      Number(metric(r, 'nettrace_kernel_drop_stack_stats_totals_total_drops')?.sum?.dataPoints[0]?.asInt ?? Number.NaN);
    const s = await serve(['kernel-drop-stack-stats', ...filters(), '--otlp-endpoint', endpoint, '--otlp-interval', '1']);
    try {
      sendUdp(net.a, { to: net.ipB, port: 9, count: 5, size: 32 });
      for (let i = 0; i < 100 && drops(requests.at(-1)) !== 5; i++) await new Promise((r) => setTimeout(r, 200));
      const last = requests.at(-1);
      expect(drops(last), s.stderr()).toBe(5);
      const sum = metric(last, 'nettrace_kernel_drop_stack_stats_totals_total_drops')?.sum;
      expect(sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true }); // 2: CUMULATIVE
      const rows = metric(last, 'nettrace_kernel_drop_stack_stats_drops_count')?.gauge?.dataPoints ?? [];
      const attr = (p: Point, k: string) => p.attributes?.find((a) => a.key === k)?.value.stringValue;
      expect(rows.every((p) => attr(p, 'reason') === 'NO_SOCKET' && attr(p, 'dst') === `${net.ipB}:9`)).toBe(true);
      expect(rows.reduce((n, p) => n + Number(p.asDouble ?? p.asInt), 0)).toBe(5);
      const resource = last?.resourceMetrics[0].resource.attributes ?? [];
      expect(resource.find((a) => a.key === 'service.name')?.value.stringValue).toBe('nettrace');
      sendUdp(net.a, { to: net.ipB, port: 9, count: 2, size: 32 });
      await until(s.url, DROPS, 7);
    } finally {
      s.child.kill('SIGTERM');
    }
    const [code] = await s.exited;
    expect(code, s.stderr()).toBe(0);
    // The push on shutdown carries the final totals.
    expect(drops(requests.at(-1))).toBe(7);
    await close();
  }, 60_000);

  it('--otlp-events sends each event of a streaming plugin as one OTLP log record, with its fields as attributes', async () => {
    const { endpoint, logsRequests, close } = await otlpReceiver();
    const records = () => logsRequests.flatMap((r) => r.resourceLogs.flatMap((l) => l.scopeLogs.flatMap((x) => x.logRecords)));
    const attr = (r: LogRecord, k: string) => r.attributes?.find((a) => a.key === k)?.value;
    const s = await serve(['eth-drop', ...filters(), '--otlp-endpoint', endpoint, '--otlp-interval', '1', '--otlp-events']);
    try {
      // Attached once healthz says running: only then are the drops traced.
      for (let i = 0; i < 100; i++) {
        const body = (await (await fetch(`${s.url}/healthz`)).json()) as { plugins: { state: string }[] };
        if (body.plugins[0]?.state === 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      sendUdp(net.a, { to: net.ipB, port: 9, count: 5, size: 32 });
      for (let i = 0; i < 100 && records().length < 5; i++) await new Promise((r) => setTimeout(r, 200));
    } finally {
      s.child.kill('SIGTERM');
    }
    const [code] = await s.exited;
    expect(code, s.stderr()).toBe(0);
    const got = records();
    expect(got).toHaveLength(5);
    for (const r of got) {
      expect(r.eventName).toBe('nettrace.event');
      expect(attr(r, 'nettrace.plugin')?.stringValue).toBe('eth-drop');
      expect(attr(r, 'reason')?.stringValue).toBe('NO_SOCKET');
      expect(attr(r, 'src_ip')?.stringValue).toBe(net.ipA);
      expect(attr(r, 'dst_ip')?.stringValue).toBe(net.ipB);
      expect(Number(attr(r, 'dst_port')?.intValue)).toBe(9);
    }
    await close();
  }, 60_000);

  it('exits 1 by itself when no plugin can run', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', 'vhost-eventfd-count', '--listen', '127.0.0.1:0'], { stdio: 'pipe' });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    // A plugin that did run here would keep serving: never leave it behind the test.
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const [code] = await once(child, 'exit');
    clearTimeout(guard);
    expect(code, err).toBe(1);
    expect(err).toMatch(/\[vhost-eventfd-count\] failed: vhost-eventfd-count cannot run on this kernel/);
  }, 60_000);

  const usage: [string, string[], RegExp][] = [
    ['no plugin', ['serve'], /name a plugin, or --config FILE/],
    ['unknown plugin', ['serve', 'no-such-plugin'], /unknown plugin 'no-such-plugin'/],
    [
      'bad plugin option',
      ['serve', 'kernel-drop-stack-stats', '--src-ip', '1.2.3.999'],
      /--src-ip: '1.2.3.999' is not an IPv4 or IPv6 address/,
    ],
    ['bad --listen', ['serve', 'kernel-drop-stack-stats', '--listen', 'nowhere'], /--listen nowhere: expected HOST:PORT/],
    ['missing config', ['serve', '--config', '/nonexistent/serve.json'], /--config \/nonexistent\/serve.json: ENOENT/],
    [
      'bad --otlp-endpoint',
      ['serve', 'kernel-drop-stack-stats', '--otlp-endpoint', 'collector:4318'],
      /--otlp-endpoint collector:4318: expected http\(s\):\/\/HOST:PORT/,
    ],
  ];
  for (const [name, args, message] of usage) {
    it(`${name}: one line, exit 2`, () => {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
