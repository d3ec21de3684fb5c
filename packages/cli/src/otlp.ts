// OTLP export for `nettrace serve`: the same metric families as /metrics, pushed to an
// OpenTelemetry collector (OTLP/HTTP) by the OpenTelemetry SDK's periodic reader and exporter. The
// reports already hold the aggregates (running totals, log2 histograms), so they enter the SDK as a
// MetricProducer with cumulative temporality instead of through instruments. With `events`, each
// event row of a streaming plugin is also a log record (the SDK's batch processor and exporter).
import { hostname } from 'node:os';
import type { MetricFamily, MetricSample } from '@nettrace/core';
import { type HrTime, ValueType } from '@opentelemetry/api';
import { type AnyValueMap, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  MeterProvider,
  type MetricData,
  type MetricProducer,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { hrNow } from './hr-time.js';

/** What to export at each collection: every plugin's families, and when its counts started. */
export type FamiliesSource = () => { families: MetricFamily[]; start: HrTime }[];

const attributes = (s: MetricSample) => Object.fromEntries(s.labels.filter(([k]) => k !== 'le').map(([k, v]) => [k, String(v)]));

/** A family's cumulative `_bucket{le}` samples as explicit-bucket counts (the +Inf bucket last). */
function histogramPoint(f: MetricFamily) {
  const buckets = f.samples.filter((s) => s.name.endsWith('_bucket'));
  const finite = buckets.filter((s) => s.labels.some(([k, v]) => k === 'le' && v !== '+Inf'));
  const count = f.samples.find((s) => s.name.endsWith('_count'))?.value ?? 0;
  const cumulative = [...finite.map((s) => s.value), count];
  return {
    buckets: {
      boundaries: finite.map((s) => Number(s.labels.find(([k]) => k === 'le')?.[1])),
      counts: cumulative.map((c, i) => c - (i ? cumulative[i - 1] : 0)),
    },
    count,
  };
}

function metricData(f: MetricFamily, start: HrTime, end: HrTime): MetricData {
  const descriptor = { name: f.name, description: f.help ?? '', unit: f.unit ?? '', valueType: ValueType.DOUBLE };
  const point = <T>(value: T, attrs: Record<string, string> = {}) => ({ startTime: start, endTime: end, attributes: attrs, value });
  const aggregationTemporality = AggregationTemporality.CUMULATIVE;
  if (f.type === 'histogram')
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: [point(histogramPoint(f))] };
  const dataPoints = f.samples.map((s) => point(s.value, attributes(s)));
  if (f.type === 'counter')
    return {
      descriptor: { ...descriptor, valueType: ValueType.INT },
      aggregationTemporality,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints,
    };
  return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints };
}

/** An event row as log attributes: scalars as they are, arrays of scalars as arrays, the rest as JSON. */
function eventAttributes(plugin: string, row: Record<string, unknown>): AnyValueMap {
  const attrs: AnyValueMap = { 'nettrace.plugin': plugin };
  for (const [k, v] of Object.entries(row)) {
    if (v === undefined || v === null) continue;
    const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
    attrs[k] = scalar(v) || (Array.isArray(v) && v.every(scalar)) ? (v as AnyValueMap[string]) : JSON.stringify(v);
  }
  return attrs;
}

export interface OtlpExport {
  /** Queues one event row of `plugin` as a log record (only when started with `events`). */
  event(plugin: string, row: Record<string, unknown>): void;
  /** Pushes what is pending (the final totals, the last events) and stops. */
  shutdown(): Promise<void>;
}

/** Starts pushing to `endpoint` (e.g. http://collector:4318): metrics every `intervalMs`, and with
 * `events` the streaming plugins' events as logs (batched; beyond `maxQueuedEvents` waiting, the
 * SDK drops). */
export function startOtlpExport(
  endpoint: string,
  intervalMs: number,
  source: FamiliesSource,
  opts: { events?: boolean; maxQueuedEvents?: number } = {},
): OtlpExport {
  const base = endpoint.replace(/\/$/, '');
  const resource = resourceFromAttributes({ 'service.name': 'nettrace', 'host.name': hostname() });
  const producer: MetricProducer = {
    async collect(): Promise<CollectionResult> {
      const end = hrNow();
      const metrics = source().flatMap(({ families, start }) => families.map((f) => metricData(f, start, end)));
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: '@nettrace/cli' }, metrics }] }, errors: [] };
    },
  };
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
    exportIntervalMillis: intervalMs,
    exportTimeoutMillis: Math.min(intervalMs, 30_000),
    metricProducers: [producer],
  });
  const meters = new MeterProvider({ resource, readers: [reader] });
  const logs = opts.events
    ? new LoggerProvider({
        resource,
        processors: [
          new BatchLogRecordProcessor(new OTLPLogExporter({ url: `${base}/v1/logs` }), {
            maxQueueSize: opts.maxQueuedEvents ?? 65_536,
            maxExportBatchSize: 4096,
            scheduledDelayMillis: Math.min(intervalMs, 5000),
          }),
        ],
      })
    : undefined;
  const logger = logs?.getLogger('@nettrace/cli');
  return {
    event(plugin, row) {
      logger?.emit({
        timestamp: Date.now(),
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        eventName: 'nettrace.event',
        body: `${plugin} event`,
        attributes: eventAttributes(plugin, row),
      });
    },
    async shutdown() {
      await Promise.all([meters.shutdown(), logs?.shutdown()]);
    },
  };
}
