// `nettrace serve`: plugins as a service. Each plugin runs continuously with running totals
// (--cumulative) and its latest report becomes metrics at /metrics (Prometheus text, or
// OpenMetrics when the scraper asks for it); /healthz says how each plugin is doing. A plugin that
// fails does not take the others down; SIGHUP re-reads --config and restarts only what changed.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  formatHelp,
  KernelSupportError,
  type MetricFamily,
  parseOptions,
  planRun,
  type ReportRecord,
  renderMetrics,
  reportMetrics,
  runnerOptions,
  runPlugin,
  UsageError,
} from '@nettrace/core';
import { discoverFor, findPlugin } from '../discover.js';
import { hrNow } from '../hr-time.js';
import type { Io } from '../io.js';
import { importPlugin } from '../plugin-import.js';

export const serveHelp = `Usage: nettrace serve <plugin> [runner options] [plugin options] [--listen HOST:PORT]
       nettrace serve --config FILE [--listen HOST:PORT]

Runs plugins continuously and serves their numbers over HTTP:
  /metrics   Prometheus text format (OpenMetrics when the scraper asks for it): counts are
             counters (totals since start), histograms are histograms, table rows are gauges
             labelled by their text columns (at most --max-series rows per table, the rest "other")
  /healthz   JSON: each plugin's state (running, degraded, failed with the reason); 503 if one failed

Options:
  --listen HOST:PORT   where to listen (default 127.0.0.1:9464; port 0: any free port)
  --config FILE        JSON: {"listen": "HOST:PORT", "plugins": [{"plugin": "<id>", "args": ["..."]}]};
                       SIGHUP re-reads it (plugins whose line did not change keep their counts)
  --max-series N       rows per table exported as series (default 1000)
  --otlp-endpoint URL  also push the same metrics to an OpenTelemetry collector (OTLP/HTTP,
                       e.g. http://collector:4318), cumulative temporality
  --otlp-interval N    seconds between OTLP pushes (default 15)
  --otlp-events        also send each event of a streaming plugin as an OTLP log record
  -i, --interval N     seconds between reads of the kernel's counters (default 5)
  -h, --help           this help

Runner and plugin options are those of \`nettrace run\` (\`nettrace run <plugin> --help\`).

Runner options:
${formatHelp(runnerOptions)}`;

interface PluginSpec {
  plugin: string;
  args: string[];
}

interface Served {
  spec: PluginSpec;
  key: string;
  state: 'starting' | 'running' | 'degraded' | 'failed' | 'stopped';
  reason?: string;
  degraded: string[];
  latest?: ReportRecord;
  /** When its counts started (OTLP start time). */
  started: [number, number];
  stop: AbortController;
  done: Promise<void>;
}

/** Where a streaming plugin's event rows go (OTLP logs). */
type EventSink = (plugin: string, row: Record<string, unknown>) => void;

interface ServeOptions {
  listen: string;
  config?: string;
  maxSeries: number;
  otlp?: { endpoint: string; intervalMs: number; events: boolean };
  specs: PluginSpec[];
}

/** Takes serve's own options out of argv (anywhere before `--`); the rest is `<plugin> [options]`. */
function serveOptions(argv: string[]): ServeOptions & { help: boolean } {
  const own = new Map<string, string>();
  const rest: string[] = [];
  let help = false;
  let events = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--otlp-events') {
      events = true;
      continue;
    }
    const m = /^--(listen|config|max-series|otlp-endpoint|otlp-interval)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`nettrace serve: --${m[1]} needs a value`);
      own.set(m[1], value);
    } else if ((a === '-h' || a === '--help') && rest.length === 0) help = true;
    else rest.push(a);
  }
  const maxSeries = Number(own.get('max-series') ?? 1000);
  if (!Number.isInteger(maxSeries) || maxSeries < 1)
    throw new UsageError(`nettrace serve: --max-series ${own.get('max-series')}: a whole number ≥ 1`);
  const config = own.get('config');
  const fromFile = config ? readConfig(config) : undefined;
  if (config && rest.length) throw new UsageError('nettrace serve: give plugins either on the command line or in --config, not both');
  const specs = fromFile?.plugins ?? (rest.length ? [{ plugin: rest[0], args: rest.slice(1) }] : []);
  if (!help && !specs.length) throw new UsageError('nettrace serve: name a plugin, or --config FILE (see nettrace serve --help)');
  const listen = own.get('listen') ?? fromFile?.listen ?? '127.0.0.1:9464';
  const endpoint = own.get('otlp-endpoint');
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) throw new UsageError(`--otlp-endpoint ${endpoint}: expected http(s)://HOST:PORT`);
  const interval = Number(own.get('otlp-interval') ?? 15);
  if (!(interval > 0)) throw new UsageError(`nettrace serve: --otlp-interval ${own.get('otlp-interval')}: seconds, more than 0`);
  if (events && !endpoint) throw new UsageError('nettrace serve: --otlp-events needs --otlp-endpoint');
  const otlp = endpoint ? { endpoint, intervalMs: interval * 1000, events } : undefined;
  return { listen, config, maxSeries, otlp, specs, help };
}

function readConfig(path: string): { listen?: string; plugins: PluginSpec[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--config ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const c = parsed as { listen?: unknown; plugins?: unknown };
  const bad = (why: string) => new UsageError(`--config ${path}: ${why}`);
  if (!Array.isArray(c.plugins) || !c.plugins.length) throw bad('"plugins" must be a non-empty list of {"plugin": "<id>", "args": [...]}');
  if (c.listen !== undefined && typeof c.listen !== 'string') throw bad('"listen" must be "HOST:PORT"');
  const plugins = c.plugins.map((p: { plugin?: unknown; args?: unknown }, i: number) => {
    if (typeof p?.plugin !== 'string') throw bad(`plugins[${i}].plugin must be a plugin id`);
    if (p.args !== undefined && !(Array.isArray(p.args) && p.args.every((a) => typeof a === 'string')))
      throw bad(`plugins[${i}].args must be a list of strings`);
    return { plugin: p.plugin, args: (p.args as string[] | undefined) ?? [] };
  });
  const ids = plugins.map((p) => p.plugin);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw bad(`${twice} is listed twice (its metrics would collide)`);
  return { listen: c.listen as string | undefined, plugins };
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(listen);
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new UsageError(`--listen ${listen}: expected HOST:PORT (e.g. 0.0.0.0:9464)`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Checks a spec the way `run` would (unknown plugin, bad options: exit 2) and returns its values. */
function checkedValues(spec: PluginSpec, pluginDirs: string[]) {
  const installed = findPlugin(discoverFor(pluginDirs, [spec.plugin]), spec.plugin);
  const values = parseOptions({ ...runnerOptions, ...installed.manifest.options }, spec.args, `nettrace serve ${installed.id}`);
  // Counters must be totals since the start (Prometheus counters), whatever the text output does.
  return { installed, values: { ...values, cumulative: true, interval: values.interval ?? 5 } };
}

function start(spec: PluginSpec, pluginDirs: string[], io: Io, onFailed: () => void, onEvent?: EventSink): Served {
  const stop = new AbortController();
  const served: Served = {
    spec,
    key: JSON.stringify(spec),
    state: 'starting',
    degraded: [],
    started: hrNow(),
    stop,
    done: Promise.resolve(),
  };
  const { installed, values } = checkedValues(spec, pluginDirs);
  const log = (line: string) => io.err(`[${installed.id}] ${line}`);
  served.done = (async () => {
    try {
      const plan = planRun({ ...installed.manifest, id: installed.id }, values);
      const plugin = await importPlugin(installed);
      await runPlugin(
        plugin,
        values,
        {
          signal: stop.signal,
          write: () => {},
          writeLines: () => {},
          log: (l) => (l.startsWith('Tracing...') ? undefined : log(l)),
          onAttached: () => {
            served.state = 'running';
            log('attached');
          },
          onEvent: onEvent && ((row) => onEvent(installed.id, row)),
          onReport: (r) => {
            served.latest = r;
            served.degraded = r.degraded;
            if (served.state === 'running' && r.degraded.length) served.state = 'degraded';
          },
        },
        plan,
      );
      served.state = 'stopped';
    } catch (err) {
      const e = err as Error;
      served.state = 'failed';
      served.reason = `${e.message.split('\n').join(' ')}${err instanceof KernelSupportError && err.hint ? ` (${err.hint})` : ''}`;
      log(`failed: ${served.reason}`);
      onFailed();
    }
  })();
  return served;
}

/** The metrics of a plugin's latest report. */
const pluginMetrics = (s: Served, maxSeries: number): MetricFamily[] =>
  s.latest?.report ? reportMetrics(s.spec.plugin, s.latest.report, { totals: true, maxSeries }) : [];

/** The metrics of every plugin's latest report, and of the runs themselves. */
function metrics(served: Served[], maxSeries: number): MetricFamily[] {
  return [...served.flatMap((s) => pluginMetrics(s, maxSeries)), ...runMetrics(served)];
}

/** Per plugin: up, degraded, events, lost events, missed runs. */
function runMetrics(served: Served[]): MetricFamily[] {
  const perPlugin = (name: string, type: 'counter' | 'gauge', help: string, value: (s: Served) => number): MetricFamily => ({
    name,
    type,
    help,
    samples: served.map((s) => ({
      name: type === 'counter' ? `${name}_total` : name,
      labels: [['plugin', s.spec.plugin]],
      value: value(s),
    })),
  });
  return [
    perPlugin('nettrace_up', 'gauge', '1 while the plugin runs (degraded included), 0 when it failed or stopped', (s) =>
      s.state === 'running' || s.state === 'degraded' ? 1 : 0,
    ),
    perPlugin('nettrace_degraded', 'gauge', '1 when optional hooks are missing on this kernel', (s) => (s.degraded.length ? 1 : 0)),
    perPlugin('nettrace_events', 'counter', 'events received from the kernel (streaming plugins)', (s) => s.latest?.events ?? 0),
    perPlugin('nettrace_lost_events', 'counter', 'events the kernel could not hand over (buffer full)', (s) => s.latest?.lost ?? 0),
    perPlugin(
      'nettrace_missed_runs',
      'counter',
      'program runs the kernel skipped (recursion protection)',
      (s) => s.latest?.missedRuns ?? 0,
    ),
  ];
}

function respond(req: IncomingMessage, res: ServerResponse, served: Served[], maxSeries: number): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
  } else if (path === '/metrics') {
    const open = /application\/openmetrics-text/.test(req.headers.accept ?? '');
    const body = `${renderMetrics(metrics(served, maxSeries), open ? 'openmetrics' : 'prometheus')}\n`;
    res
      .writeHead(200, {
        'Content-Type': open ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8',
      })
      .end(body);
  } else if (path === '/healthz') {
    const plugins = served.map((s) => ({
      plugin: s.spec.plugin,
      state: s.state,
      ...(s.reason ? { reason: s.reason } : {}),
      degraded: s.degraded,
      lost_events: s.latest?.lost ?? 0,
      missed_runs: s.latest?.missedRuns ?? 0,
    }));
    const ok = served.every((s) => s.state !== 'failed');
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ ok, plugins })}\n`);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('nettrace serve: /metrics or /healthz\n');
  }
}

export async function serveCommand(argv: string[], pluginDirs: string[], io: Io): Promise<number> {
  const opts = serveOptions(argv);
  if (opts.help) {
    io.out(serveHelp);
    return 0;
  }
  const { host, port } = parseListen(opts.listen);
  // Every spec is checked before anything loads: a typo is exit 2, not a failed plugin.
  for (const spec of opts.specs) checkedValues(spec, pluginDirs);
  // A service with nothing left running exits (1) so its supervisor sees it.
  let allFailed = () => {};
  const onFailed = () => {
    if (served.every((s) => s.state === 'failed')) allFailed();
  };
  let served: Served[] = [];
  // The OpenTelemetry SDK only when asked for (it is most of serve's start-up otherwise), and
  // before the plugins start, so their first events have somewhere to go.
  const serveStarted = hrNow();
  const otlp =
    opts.otlp &&
    (await import('../otlp.js')).startOtlpExport(
      opts.otlp.endpoint,
      opts.otlp.intervalMs,
      () => [
        ...served.map((s) => ({ families: pluginMetrics(s, opts.maxSeries), start: s.started })),
        { families: runMetrics(served), start: serveStarted },
      ],
      { events: opts.otlp.events },
    );
  const onEvent: EventSink | undefined = otlp && opts.otlp?.events ? (plugin, row) => otlp.event(plugin, row) : undefined;
  const startOne = (spec: PluginSpec) => start(spec, pluginDirs, io, onFailed, onEvent);
  served = opts.specs.map(startOne);

  const server: Server = createServer((req, res) => respond(req, res, served, opts.maxSeries));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`--listen ${opts.listen}: ${err.code === 'EADDRINUSE' ? 'address in use' : err.message}`)),
    );
    server.listen(port, host, () => resolve());
  }).catch(async (err) => {
    for (const s of served) s.stop.abort();
    await Promise.all(served.map((s) => s.done));
    await otlp?.shutdown().catch(() => {});
    throw err;
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  io.err(`nettrace serve: listening on http://${shown}:${address.port} (/metrics, /healthz)`);
  if (opts.otlp)
    io.err(
      `nettrace serve: pushing OTLP to ${opts.otlp.endpoint} every ${opts.otlp.intervalMs / 1000} s${opts.otlp.events ? ', events as logs' : ''}`,
    );

  const reload = () => {
    if (!opts.config) return io.err('nettrace serve: SIGHUP ignored (no --config to re-read)');
    let specs: PluginSpec[];
    try {
      specs = readConfig(opts.config).plugins;
      for (const spec of specs) checkedValues(spec, pluginDirs);
    } catch (err) {
      return io.err(`nettrace serve: reload refused, still running the previous configuration: ${(err as Error).message}`);
    }
    const keys = new Set(specs.map((s) => JSON.stringify(s)));
    for (const s of served) if (!keys.has(s.key)) s.stop.abort();
    const kept = served.filter((s) => keys.has(s.key));
    const added = specs.filter((spec) => !kept.some((s) => s.key === JSON.stringify(spec))).map(startOne);
    served = [...kept, ...added];
    io.err(`nettrace serve: reloaded ${opts.config}: ${kept.length} kept, ${added.length} started`);
  };

  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    allFailed = resolve;
    onFailed();
  });
  process.on('SIGHUP', reload);
  try {
    await stopped;
  } finally {
    process.off('SIGHUP', reload);
    for (const s of served) s.stop.abort();
    await Promise.all(served.map((s) => s.done));
    // The last push carries the final totals.
    await otlp?.shutdown().catch((err: Error) => io.err(`nettrace serve: last OTLP push failed: ${err.message}`));
    await new Promise((r) => server.close(r));
  }
  return served.every((s) => s.state !== 'failed') ? 0 : 1;
}
