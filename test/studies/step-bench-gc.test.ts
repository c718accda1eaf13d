// The step benchmark collects the heap between routing and the timed part, so routing's garbage is not collected
// (and charged to wall_s) inside it: collectGarbage must really run a full collection.
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/studies/bench/step-bench.ts';

describe('collectGarbage', () => {
  it('runs a full collection: dropped objects no longer count in the heap', () => {
    let garbage: number[][] | undefined = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 2000 }, () => i)); // ~32 MB
    const held = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(2000);
    garbage = undefined;
    expect(collectGarbage()).toBe(true);
    const after = process.memoryUsage().heapUsed;
    console.log(`heap used: ${(held / 2 ** 20).toFixed(1)} MiB holding the arrays, ${(after / 2 ** 20).toFixed(1)} MiB after collectGarbage`);
    expect(held - after).toBeGreaterThan(20 * 2 ** 20);
  });
});
