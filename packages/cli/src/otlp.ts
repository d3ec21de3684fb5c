// OTLP export for `nettrace serve`: the same metric families as /metrics, pushed to an
// OpenTelemetry collector (OTLP/HTTP) by the OpenTelemetry SDK's periodic reader and exporter. The
// reports already hold the aggregates (running totals, log2 histograms), so they enter the SDK as a
// MetricProducer with cumulative temporality instead of through instruments.
import { hostname } from 'node:os';
import type { MetricFamily, MetricSample } from '@nettrace/core';
import { type HrTime, ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  MeterProvider,
  type MetricData,
  type MetricProducer,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/** What to export at each collection: every plugin's families, and when its counts started. */
export type FamiliesSource = () => { families: MetricFamily[]; start: HrTime }[];

const hrNow = (): HrTime => {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
};

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

/** Starts pushing to `endpoint` (e.g. http://collector:4318) every `intervalMs`. */
export function startOtlpExport(endpoint: string, intervalMs: number, source: FamiliesSource): { shutdown(): Promise<void> } {
  const resource = resourceFromAttributes({ 'service.name': 'nettrace', 'host.name': hostname() });
  const producer: MetricProducer = {
    async collect(): Promise<CollectionResult> {
      const end = hrNow();
      const metrics = source().flatMap(({ families, start }) => families.map((f) => metricData(f, start, end)));
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: '@nettrace/cli' }, metrics }] }, errors: [] };
    },
  };
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/metrics` }),
    exportIntervalMillis: intervalMs,
    exportTimeoutMillis: Math.min(intervalMs, 30_000),
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ resource, readers: [reader] });
  return { shutdown: () => provider.shutdown() };
}
