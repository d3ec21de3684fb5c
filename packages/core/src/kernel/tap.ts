// The --interface / --queue filter of the tun / vhost-net plugins, checked before load: the device
// must be a tun/tap device and the queue one it has. Written to the rodata of
// bpf-headers/nettrace/modules/tun_queue.bpf.h (cfg_ifindex comes from the interface option).
import { existsSync, readdirSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { type InterfaceValue, vocabulary } from '../plugin/options.js';

/** Queues of a tun/tap device in nettrace's own namespace (tun sets real_num_tx_queues to the
 * queues attached: one per open file of a multiqueue tap). */
export function tapQueueCount(name: string, flag = '--interface'): number {
  const dir = `/sys/class/net/${name}`;
  // tun registers tun_flags, owner and group on every device it creates.
  if (!existsSync(`${dir}/tun_flags`)) throw new UsageError(`${flag}: ${name} is not a tun/tap device`);
  return readdirSync(`${dir}/queues`).filter((q) => q.startsWith('tx-')).length;
}

/** What tapQueueFilter() writes: the rodata of tun_queue.bpf.h's queue filter (any object that
 * includes it has both variables). */
type QueueFilterConfigurer = { set(variable: 'cfg_queue_set' | 'cfg_queue', value: number): void };

export function tapQueueFilter(cfg: QueueFilterConfigurer, iface: InterfaceValue | undefined, queue: number | undefined): void {
  // Devices in another namespace (--netns) are only resolved by name; /sys shows this one's.
  if (iface && (iface.netns === undefined || iface.netns === 'self')) {
    const queues = tapQueueCount(iface.name);
    if (queue !== undefined && queue >= queues)
      throw new UsageError(`--queue: ${iface.name} has ${queues} queue${queues === 1 ? '' : 's'} (0-${queues - 1}), not ${queue}`);
  }
  if (queue === undefined) return;
  if (queue > 0xffff) throw new UsageError(`--queue: ${queue} is not a queue index`);
  cfg.set('cfg_queue_set', 1);
  cfg.set('cfg_queue', queue);
}

/** The options of a tool that follows tap queues, written to tun_queue.bpf.h's filter by
 * tapQueueFilter(): the device (`--interface`, or upstream's `--device`), its namespace and a
 * queue. `what` completes "only ..." in the help of the first. */
export function tapQueueOptions(what = 'this tap device') {
  return {
    iface: vocabulary.iface({ description: `only ${what} (named in --netns)`, aliases: ['device'] }),
    netns: vocabulary.netns(),
    queue: vocabulary.queue({ description: 'only this queue of the tap (one it has)' }),
  };
}
