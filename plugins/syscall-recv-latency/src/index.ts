// syscall-recv-latency: how long do receive syscalls take for a process (or everyone)? A log2
// histogram in microseconds, call/byte/error counters, and one event per call above --threshold.
import {
  columns,
  countersSection,
  definePlugin,
  enumLabel,
  histogramSection,
  type PluginContext,
  reportCounters,
  reportHistogram,
  tracepointHook,
  UsageError,
  vocabulary,
} from '@nettrace/core';
import { contract, RecvCall, RecvEventLayout } from './syscall_recv_latency.gen.js';

const options = {
  pid: vocabulary.pid(),
  process: vocabulary.process(),
  port: {
    kind: 'port',
    long: 'port',
    description: 'only calls on a socket with this local or remote port (BCC took the option and ignored it)',
    rodata: 'cfg_sock_port',
  } as const,
  threshold: vocabulary.threshold({ description: 'print every call at least this slow', unit: 'us', aliases: ['high-latency-threshold'] }),
  read: {
    kind: 'flag',
    long: 'read',
    description: 'trace read(2) too: the default, as in BCC (accepted for earlier command lines)',
    default: false,
  } as const,
  noRead: {
    kind: 'flag',
    long: 'no-read',
    description: 'do not trace read(2), only recvfrom/recvmsg (read(2) also sees file and pipe reads)',
    default: false,
  } as const,
  clear: vocabulary.clear(),
};

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  return {
    sections: [
      countersSection('counters', reportCounters(ctx), 'Receive syscalls'),
      histogramSection('latency', 'Latency', reportHistogram(ctx, 'latency'), 'us'),
    ],
  };
}

/** The enter and exit tracepoints of a receive syscall. read(2) is traced by default, as BCC did
 * (readers like iperf3 receive with read()); --no-read turns it off in the kernel. */
const syscall = (call: 'recvfrom' | 'recvmsg' | 'read', dir: 'enter' | 'exit') =>
  tracepointHook(`sys_${dir}_${call}`, `syscalls/sys_${dir}_${call}`, call === 'read' ? { optional: true, degrades: 'read(2) calls' } : {});

export default definePlugin({
  id: 'syscall-recv-latency',
  summary: 'Latency of recvfrom/recvmsg (and read) syscalls: log2 histogram, counters, slow calls',
  description:
    'Hooks the syscalls enter/exit tracepoints of recvfrom, recvmsg and read (read as in BCC; --no-read leaves it out). --pid matches the process (thread group); calls are paired per thread. With --threshold, every call at or above it is printed as it happens.',
  contract,
  options,
  defaultInterval: 5,
  hooks: (['recvfrom', 'recvmsg', 'read'] as const).flatMap((call) => [syscall(call, 'enter'), syscall(call, 'exit')]),
  configure(cfg, o) {
    cfg.set('cfg_threshold_us', o.threshold ?? 0);
    if (o.read && o.noRead) throw new UsageError('--read and --no-read contradict each other');
    cfg.set('cfg_trace_read', !o.noRead);
  },
  output: {
    kind: 'stream',
    layout: RecvEventLayout,
    columns: columns({
      comm: 'COMM',
      pid: 'PID',
      tid: 'TID',
      call: 'CALL',
      fd: 'FD',
      latency_us: 'LAT(us)',
      ret: 'RET',
      cpu: { header: 'CPU', value: (r) => (r.cpu_enter === r.cpu_exit ? `${r.cpu_exit}` : `${r.cpu_enter}->${r.cpu_exit}`) },
    }),
    row: (e) => ({
      comm: e.comm,
      pid: e.pid,
      tid: e.tid,
      call: enumLabel(RecvCall, e.call, 'CALL_')?.toLowerCase() ?? String(e.call),
      fd: e.fd,
      latency_us: e.latency_us,
      ret: e.ret,
      cpu_enter: e.cpu_enter,
      cpu_exit: e.cpu_exit,
    }),
    collect,
  },
});
