// offcputime-ts's options (shared by the plugin and its report).

export const options = {
  // BCC's -p/-t take comma-separated lists (offcputime_ts.bpf.c: NT_OCT_IDS at most).
  pid: {
    kind: 'pid-list',
    long: 'pid',
    short: 'P',
    description: 'only these processes (thread groups), comma separated',
    max: 16,
  } as const,
  tid: { kind: 'pid-list', long: 'tid', description: 'only these threads, comma separated', max: 16 } as const,
  userThreadsOnly: {
    kind: 'flag',
    long: 'user-threads-only',
    description: 'user threads only (no kernel threads)',
    default: false,
  } as const,
  kernelThreadsOnly: { kind: 'flag', long: 'kernel-threads-only', description: 'kernel threads only', default: false } as const,
  userStacksOnly: { kind: 'flag', long: 'user-stacks-only', description: 'record user stacks only', default: false } as const,
  kernelStacksOnly: { kind: 'flag', long: 'kernel-stacks-only', description: 'record kernel stacks only', default: false } as const,
  minBlock: { kind: 'uint', long: 'min-block-time', description: 'ignore blocks shorter than this', unit: 'us', default: 1 } as const,
  maxBlock: {
    kind: 'uint',
    long: 'max-block-time',
    description: 'ignore blocks longer than this (default: no limit)',
    unit: 'us',
  } as const,
  state: {
    kind: 'uint',
    long: 'state',
    description: 'only tasks leaving in these states: a TASK_* mask (1 interruptible, 2 uninterruptible); 0 = preempted only',
  } as const,
  folded: { kind: 'flag', long: 'folded', description: 'print folded stacks (flamegraph.pl input)', default: false } as const,
  delimited: {
    kind: 'flag',
    long: 'delimited',
    description: 'put "-" between user and kernel frames in folded stacks',
    default: false,
  } as const,
  offset: {
    kind: 'flag',
    long: 'offset',
    description: "keep each frame's offset (function+0x1a) in the table and folded output, as BCC -s/--offset",
    default: false,
  } as const,
  stackStorage: {
    kind: 'uint',
    long: 'stack-storage-size',
    description: 'distinct stacks kept in the kernel',
    default: 16384,
    min: 64,
  } as const,
  maxEntries: {
    kind: 'uint',
    long: 'max-entries',
    description: 'distinct (thread, stacks) groups kept in the kernel',
    default: 10240,
    min: 64,
  } as const,
};
