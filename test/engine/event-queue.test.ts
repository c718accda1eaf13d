// Tests for EventQueue: ordering by (time, push order), growth, clear, errors, and a fast-check model test
// against a stable sort of (time, seq) for arbitrary push/pop interleavings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/engine/index.ts';

function drain(queue: EventQueue): number[] {
  const out: number[] = [];
  while (queue.size > 0) out.push(queue.pop());
  return out;
}

describe('EventQueue', () => {
  it('pops in time order', () => {
    const queue = new EventQueue();
    [50, 10, 40, 20, 30].forEach((t, i) => queue.push(t, i));
    expect(queue.size).toBe(5);
    expect(queue.peekTime()).toBe(10);
    expect(drain(queue)).toEqual([1, 3, 4, 2, 0]);
  });

  it('pops equal times in push order', () => {
    const queue = new EventQueue();
    for (let id = 0; id < 20; id++) queue.push(id % 2 === 0 ? 7 : 3, id);
    expect(drain(queue)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('is empty-safe: peekTime is Infinity and pop throws', () => {
    const queue = new EventQueue();
    expect(queue.peekTime()).toBe(Infinity);
    expect(() => queue.pop()).toThrow(/empty/);
    queue.push(5, 1);
    expect(queue.pop()).toBe(1);
    expect(queue.peekTime()).toBe(Infinity);
    expect(queue.size).toBe(0);
  });

  it('grows past its initial capacity and keeps order', () => {
    const queue = new EventQueue(2);
    const n = 5000;
    for (let i = 0; i < n; i++) queue.push((i * 7919) % n, i);
    const times: number[] = [];
    while (queue.size > 0) {
      times.push(queue.peekTime());
      queue.pop();
    }
    expect(times).toHaveLength(n);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('keeps large times exact (no combined float key)', () => {
    const queue = new EventQueue();
    const big = 2 ** 52;
    queue.push(big + 1, 1);
    queue.push(big, 2);
    queue.push(big + 1, 3);
    expect(drain(queue)).toEqual([2, 1, 3]);
  });

  it('clear() empties it and restarts sequence numbers', () => {
    const queue = new EventQueue();
    queue.push(1, 1);
    queue.push(2, 2);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBe(Infinity);
    queue.push(4, 9);
    queue.push(4, 8);
    expect(drain(queue)).toEqual([9, 8]);
  });

  it.each([NaN, -1, Infinity])('rejects time %s', (bad) => {
    expect(() => new EventQueue().push(bad, 0)).toThrow(RangeError);
  });
});

type Op = { kind: 'push'; time: number } | { kind: 'pop' };

const timeArb = fc.oneof(
  fc.integer({ min: 0, max: 8 }), // many ties
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 2 ** 52 - 16, max: 2 ** 52 + 16 }), // large times where a combined key would lose bits
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: timeArb.map((time) => ({ kind: 'push' as const, time })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
);

describe('EventQueue (property)', () => {
  it('pops in the same order as a stable sort of (time, seq) for any push/pop interleaving', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (ops, initialCapacity) => {
        const queue = new EventQueue(initialCapacity);
        const model: { time: number; seq: number; id: number }[] = [];
        let nextId = 0;
        let seq = 0;
        for (const op of ops) {
          if (op.kind === 'push') {
            queue.push(op.time, nextId);
            model.push({ time: op.time, seq: seq++, id: nextId++ });
          } else if (model.length === 0) {
            expect(() => queue.pop()).toThrow();
          } else {
            model.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const expected = model.shift()!;
            expect(queue.peekTime()).toBe(expected.time);
            expect(queue.pop()).toBe(expected.id);
          }
          expect(queue.size).toBe(model.length);
        }
        model.sort((a, b) => a.time - b.time || a.seq - b.seq);
        expect(drain(queue)).toEqual(model.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
