// The bench's figures: medians, formats, markdown tables, a process's CPU time.
import { readdirSync, readFileSync } from 'node:fs';

export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
export const fmtRate = (n) => (!Number.isFinite(n) ? '–' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);
export const fmtX = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
export const fmt1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');

export function table(headers, rows) {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** CPU time (ms) the process has used so far, all threads (schedstat: ns precision). */
export function cpuMsOf(pid) {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
  return ns / 1e6;
}
