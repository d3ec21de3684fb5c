// ksoftirqd-sched-latency's options (shared by the plugin and its report).
import { vocabulary } from '@nettrace/core';

export const options = {
  cpu: { kind: 'string', long: 'cpu', description: 'only these CPUs: a list like 0,2,4-7 (default: all)' } as const,
  threshold: vocabulary.threshold({ description: 'count samples above this as high latency', unit: 'us', default: 100 }),
  verbose: vocabulary.verbose({ description: 'print every wake-up -> run sample as it happens' }),
};
