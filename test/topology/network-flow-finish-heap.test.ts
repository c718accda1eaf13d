// The flow model's finish heap (indexed 4-ary min-heap, ties on the smaller entity) against a plain map:
// after every random insert, key change or removal, peek() is the entity with the smallest (key, id).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FinishHeap } from '../../src/topology/network/flow/finish-heap.ts';

const opArb = fc.record({
  entity: fc.nat(200),
  key: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
  remove: fc.boolean(),
});

describe('FinishHeap', () => {
  it('always peeks the smallest (key, entity) under random sets and removals', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const heap = new FinishHeap();
        const model = new Map<number, number>();
        for (const { entity, key, remove } of ops) {
          if (remove) {
            heap.remove(entity);
            model.delete(entity);
          } else {
            heap.set(entity, key);
            model.set(entity, key);
          }
          expect(heap.size).toBe(model.size);
          if (model.size === 0) continue;
          let best = -1;
          for (const [e, k] of model) if (best < 0 || k < model.get(best)! || (k === model.get(best)! && e < best)) best = e;
          expect(heap.peek()).toBe(best);
        }
      }),
      { numRuns: 200 },
    );
  });
});
