/** Now as OpenTelemetry's [seconds, nanoseconds] (serve's start times, OTLP collection times). */
export const hrNow = (): [number, number] => {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
};
