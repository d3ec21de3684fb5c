// Shares as report fields: `part` of `whole` in percent, rounded to `decimals` places; 0 when
// `whole` is 0 (nothing happened, rather than NaN in JSON).
export function percent(part: number, whole: number, decimals = 1): number {
  const scale = 10 ** decimals;
  return whole ? Math.round((100 * scale * part) / whole) / scale : 0;
}
