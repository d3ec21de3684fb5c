// syscall-recv-latency: how long do receive syscalls take for a process (or everyone)? A log2
// histogram in microseconds, call/byte/error counters, and one event per call above --threshold.
import { definePlugin, log2CountsFromValue, type RunContext, readCounters, vocabulary } from '@nettrace/core';
import { RecvEventLayout } from './syscall_recv_latency.gen.js';

const CALLS = ['recvfrom', 'recvmsg', 'read'];
const COUNTERS = ['calls', 'bytes', 'cpu_migrations', 'errors', 'zero_byte'] as const;

function collect(ctx: RunContext<{ clear: boolean }>) {
  const latency = ctx.object.map('latency');
  const zeroKey = new Uint8Array(4);
  const hist = latency.lookup(zeroKey);
  const values = readCounters(ctx.object.map('counters'), COUNTERS, ctx.options.clear);
  if (ctx.options.clear) latency.update(zeroKey, new Uint8Array(latency.valueBytes));
  return {
    sections: [
      { kind: 'counters' as const, key: 'counters', title: 'Receive syscalls', values },
      {
        kind: 'histogram' as const,
        key: 'latency',
        title: 'Latency',
        hist: { label: 'latency', unit: 'us', kind: 'log2' as const, counts: hist ? log2CountsFromValue(latency, hist) : [] },
      },
    ],
  };
}

export default definePlugin({
  id: 'syscall-recv-latency',
  summary: 'Latency of recvfrom/recvmsg (and read) syscalls: log2 histogram, counters, slow calls',
  description:
    'Hooks the syscalls enter/exit tracepoints. --pid matches the process (thread group); calls are paired per thread. With --threshold, every call at or above it is printed as it happens.',
  object: new URL('./syscall_recv_latency.bpf.o', import.meta.url),
  options: {
    pid: vocabulary.pid(),
    threshold: vocabulary.threshold({ description: 'print every call at least this slow', unit: 'us' }),
    read: { kind: 'flag', long: 'read', description: 'also trace read(2) (sees file reads of the process too)', default: false } as const,
    clear: vocabulary.clear(),
  },
  defaultInterval: 5,
  hooks: [
    ['recvfrom', 'enter', 'nt_srl_in_from'],
    ['recvfrom', 'exit', 'nt_srl_out_from'],
    ['recvmsg', 'enter', 'nt_srl_in_msg'],
    ['recvmsg', 'exit', 'nt_srl_out_msg'],
    ['read', 'enter', 'nt_srl_in_read'],
    ['read', 'exit', 'nt_srl_out_read'],
  ].map(([call, dir, program]) => ({
    name: `sys_${dir}_${call}`,
    optional: call === 'read',
    degrades: call === 'read' ? '--read' : undefined,
    alternatives: [{ program, kind: 'tracepoint' as const, target: `syscalls/sys_${dir}_${call}` }],
  })),
  configure(cfg, o) {
    cfg.set('cfg_threshold_us', o.threshold ?? 0);
    cfg.set('cfg_trace_read', o.read);
  },
  output: {
    kind: 'stream',
    layout: RecvEventLayout,
    columns: [
      { key: 'comm', header: 'COMM' },
      { key: 'pid', header: 'PID' },
      { key: 'tid', header: 'TID' },
      { key: 'call', header: 'CALL' },
      { key: 'fd', header: 'FD' },
      { key: 'latency_us', header: 'LAT(us)' },
      { key: 'ret', header: 'RET' },
      { key: 'cpu', header: 'CPU', value: (r) => (r.cpu_enter === r.cpu_exit ? `${r.cpu_exit}` : `${r.cpu_enter}->${r.cpu_exit}`) },
    ],
    row: (e) => ({
      comm: e.comm,
      pid: e.pid,
      tid: e.tid,
      call: CALLS[e.call] ?? String(e.call),
      fd: e.fd,
      latency_us: e.latency_us,
      ret: e.ret,
      cpu_enter: e.cpu_enter,
      cpu_exit: e.cpu_exit,
    }),
    collect: (ctx) => collect(ctx as RunContext<{ clear: boolean }>),
  },
});
