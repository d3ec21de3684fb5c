// JSON event lines: each row once, prefixed by its type and plugin; a frozen `stack` (kernel
// stacks are frozen and shared by every event of that stack) serialised once and reused.
import { describe, expect, it } from 'vitest';
import { JsonSink } from '../src/run/sinks/json.js';

function sinkLines() {
  const lines: string[] = [];
  const sink = new JsonSink('p', { write: (l) => lines.push(l), writeLines: (ls) => lines.push(...ls), log: () => {} });
  return { sink, lines };
}

describe('JSON event lines', () => {
  it('a row with a shared frozen stack is the same record as the row itself, every time, and the row is left as it was', () => {
    const { sink, lines } = sinkLines();
    const stack = Object.freeze(['kfree_skb_reason+0x1', 'ip_rcv+0x2']) as string[];
    const rows = [{ time: 't1', len: 1, stack }, { time: 't2', src_ip: '10.0.0.1', stack }, { stack }];
    for (const r of rows) sink.event(r);
    sink.flush();
    expect(lines.map((l) => JSON.parse(l))).toEqual(rows.map((r) => ({ type: 'event', plugin: 'p', ...r })));
    expect(rows.every((r) => r.stack === stack)).toBe(true);
    // The frames' text follows the row's other fields, once per line.
    expect(lines[1]).toBe('{"type":"event","plugin":"p","time":"t2","src_ip":"10.0.0.1","stack":["kfree_skb_reason+0x1","ip_rcv+0x2"]}');
  });

  it('rows without a stack, or with an array of their own, are written as they are', () => {
    const { sink, lines } = sinkLines();
    const rows = [{}, { stack: ['a'] }, { stack: 'not an array' }, { n: 0, stack: undefined }];
    for (const r of rows) sink.event(r);
    sink.flush();
    expect(lines).toEqual([
      '{"type":"event","plugin":"p"}',
      '{"type":"event","plugin":"p","stack":["a"]}',
      '{"type":"event","plugin":"p","stack":"not an array"}',
      '{"type":"event","plugin":"p","n":0}',
    ]);
  });
});
