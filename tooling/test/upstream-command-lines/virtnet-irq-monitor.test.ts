// Catalog Appendix A, virtnet_irq_monitor: its one shape (no options) runs unchanged as `nettrace
// run virtnet-irq-monitor` and traces what BCC's did: exactly the IRQs of the machine's virtio-net
// devices, each one's handler calls per CPU matching /proc/interrupts over the traced window (the
// witness method: plugins/virtnet-irq-monitor/test/live.test.ts). The counts are usually 0 here:
// the virtio-net vectors fire only for traffic that leaves the machine, which tests must not send;
// the same programs count a busy IRQ exactly in the plugin's live test (--irqs only changes the mask).
import { describe, expect, it } from 'vitest';
import { check, diskIo, irqsOf, net, traced } from '../../../plugins/virtnet-irq-monitor/test/irq-witness.js';
import { shapeArgv } from '../../test-support/upstream-shapes.js';

describe('upstream command lines of virtnet-irq-monitor run unchanged with the same meaning', () => {
  it('virtnet_irq_monitor.py', async () => {
    const t = await traced(shapeArgv(''), () => diskIo(5));
    const want = [...net.values()].flatMap((dev) => irqsOf(t.innerAfter, dev)).sort((a, b) => a - b);
    expect(want.length).toBeGreaterThan(0);
    expect(t.rows.map((r) => r.irq)).toEqual(want);
    check(t);
  });
});
