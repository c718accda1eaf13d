// Tests of the progressive-filling solver on abstract networks: textbook allocations, weights as merged
// flows, and properties on random networks (no link over capacity, every flow bottlenecked, the allocation
// lexicographically monotone when a link loses capacity), plus the link heap against a sorted reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxMinFairRates } from '../../src/topology/index.ts';
import { LinkShareHeap } from '../../src/topology/network/flow/link-heap.ts';
import { RATE_TOLERANCE, capacityViolations, flowsWithoutBottleneck } from './network-flow-helpers.ts';

describe('maxMinFairRates', () => {
  it('gives the textbook allocation of a linear network: the long flow and each short one get half', () => {
    // links 0, 1, 2 of capacity 1; flow 0 crosses all three, flows 1..3 one link each
    const rates = maxMinFairRates([1, 1, 1], [[0, 1, 2], [0], [1], [2]]);
    expect([...rates]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('hands capacity left over by a bottlenecked flow to the others', () => {
    // link 0 (capacity 1) shared by flows 0 and 1; flow 1 also crosses link 1 (capacity 10) with flow 2
    const rates = maxMinFairRates([1, 10], [[0], [0, 1], [1]]);
    expect(rates[0]).toBeCloseTo(0.5, 12);
    expect(rates[1]).toBeCloseTo(0.5, 12);
    expect(rates[2]).toBeCloseTo(9.5, 12);
  });

  it('treats a weight-k flow exactly like k separate flows on the same path', () => {
    const merged = maxMinFairRates([3, 5], [[0, 1], [1]], [2, 1]);
    const separate = maxMinFairRates([3, 5], [[0, 1], [0, 1], [1]]);
    expect([...merged]).toEqual([separate[0], separate[2]]);
    expect(merged[0]).toBeCloseTo(1.5, 12);
    expect(merged[1]).toBeCloseTo(2, 12);
  });

  it('gives 0 to a flow with an empty path (it uses no link; the network model never passes one)', () => {
    expect([...maxMinFairRates([1], [[], [0]])]).toEqual([0, 1]);
  });
});

const networkArb = fc
  .record({
    bandwidth: fc.array(fc.double({ min: 0.5, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }),
    rawPaths: fc.array(fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 14 }),
    weights: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 14, maxLength: 14 }),
  })
  .map(({ bandwidth, rawPaths, weights }) => {
    const paths = rawPaths.map((path) => [...new Set(path.map((l) => l % bandwidth.length))]);
    return { bandwidth, paths, weights: weights.slice(0, paths.length) };
  });

/** Per-flow rates expanded by weight and sorted ascending (the vector max-min fairness maximises). */
function sortedRates(rates: Float64Array, weights: readonly number[]): number[] {
  return [...rates].flatMap((rate, i) => new Array<number>(weights[i]!).fill(rate)).sort((a, b) => a - b);
}

describe('properties of the solver on random networks', () => {
  it('never loads a link beyond its bandwidth and gives every flow a saturated bottleneck where it is largest', () => {
    fc.assert(
      fc.property(networkArb, ({ bandwidth, paths, weights }) => {
        const rates = maxMinFairRates(bandwidth, paths, weights);
        const flows = paths.map((path, i) => ({ path, weight: weights[i]!, bytesPerSecond: rates[i]! }));
        expect(capacityViolations(bandwidth, flows)).toEqual([]);
        expect(flowsWithoutBottleneck(bandwidth, flows)).toEqual([]);
      }),
      { seed: 4, numRuns: 400 },
    );
  });

  it('lowering one link never makes the sorted allocation lexicographically larger (tolerance 1e-9 relative)', () => {
    fc.assert(
      fc.property(networkArb, fc.nat(), fc.double({ min: 0.01, max: 0.99, noNaN: true }), ({ bandwidth, paths, weights }, pick, factor) => {
        const link = pick % bandwidth.length;
        const lowered = bandwidth.map((bw, l) => (l === link ? bw * factor : bw));
        const before = sortedRates(maxMinFairRates(bandwidth, paths, weights), weights);
        const after = sortedRates(maxMinFairRates(lowered, paths, weights), weights);
        const differs = before.findIndex((rate, i) => Math.abs(rate - after[i]!) > RATE_TOLERANCE * Math.max(rate, after[i]!));
        if (differs >= 0) expect(after[differs]!).toBeLessThan(before[differs]!);
      }),
      { seed: 5, numRuns: 400 },
    );
  });
});

describe('LinkShareHeap', () => {
  it('pops links in (key, id) order through pushes, key changes and removals', () => {
    const opArb = fc.oneof(
      fc.record({ op: fc.constant('set' as const), link: fc.nat(19), key: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ op: fc.constant('remove' as const), link: fc.nat(19) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const heap = new LinkShareHeap(20);
        const reference = new Map<number, number>();
        for (const step of ops) {
          if (step.op === 'remove') {
            heap.remove(step.link);
            reference.delete(step.link);
          } else if (heap.has(step.link)) {
            heap.update(step.link, step.key);
            reference.set(step.link, step.key);
          } else {
            heap.push(step.link, step.key);
            reference.set(step.link, step.key);
          }
        }
        const expected = [...reference].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([link]) => link);
        const popped: number[] = [];
        while (heap.size > 0) {
          const link = heap.peek();
          popped.push(link);
          heap.remove(link);
        }
        expect(popped).toEqual(expected);
      }),
      { seed: 6, numRuns: 300 },
    );
  });
});
