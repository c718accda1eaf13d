// BASE layers: the invariants suite with exact quotas, the auction's optimality gap against brute force
// (fast-check over small cases; bound tolerance·range), greedy's measured gap, and speed at T = 4096, n = 64.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterContext } from '../../src/routing/index.ts';
import {
  assertRouterInvariants, auctionAssign, balancedQuotas, checkDecision, createRouter, greedyAssign, initTfBackend, totalAffinity,
} from '../../src/routing/index.ts';

/** Best total affinity over every assignment meeting the quotas (exhaustive; small T only). */
function bruteForceBest(a: ArrayLike<number>, tokens: number, experts: number, quota: Int32Array): number {
  const room = quota.slice();
  let best = -Infinity;
  const go = (t: number, sum: number): void => {
    if (t === tokens) {
      best = Math.max(best, sum);
      return;
    }
    for (let e = 0; e < experts; e++) {
      if (room[e] === 0) continue;
      room[e] = (room[e] as number) - 1;
      go(t + 1, sum + (a[t * experts + e] as number));
      room[e] = (room[e] as number) + 1;
    }
  };
  go(0, 0);
  return best;
}

describe('base router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite with every expert at exactly T/n tokens (auction and greedy)', () => {
    for (const algorithm of ['auction', 'greedy']) {
      const r = {
        create: (ctx: RouterContext) => createRouter('base', { algorithm }, ctx),
        expectations: (input: { groupSize: number }, ctx: RouterContext) => ({ exactQuota: input.groupSize / ctx.numExperts }),
      };
      expect(() => assertRouterInvariants(r, { numRuns: 20, seed: 41 })).not.toThrow();
    }
  });

  it('quotas differ by at most one and sum to T', () => {
    expect(Array.from(balancedQuotas(10, 4))).toEqual([3, 3, 2, 2]);
    expect(Array.from(balancedQuotas(4096, 64)).every((q) => q === 64)).toBe(true);
  });

  it('the auction is within tolerance·range of the brute-force optimum; greedy gap measured (fast-check, 150 cases)', () => {
    let worstAuction = 0;
    let worstGreedy = 0;
    let exact = 0;
    const cases = fc.record({
      shape: fc.constantFrom<[number, number]>([4, 2], [6, 2], [6, 3], [8, 2], [8, 4], [7, 3], [9, 3]),
      values: fc.array(fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }), { minLength: 36, maxLength: 36 }),
      tolerance: fc.constantFrom(1e-2, 1e-3, 1e-4),
    });
    fc.assert(fc.property(cases, ({ shape: [T, n], values, tolerance }) => {
      const a = Float64Array.from(values.slice(0, T * n));
      const quota = balancedQuotas(T, n);
      const best = bruteForceBest(a, T, n, quota);
      const range = Math.max(...a) - Math.min(...a);
      for (const [assigned, isAuction] of [[auctionAssign(a, T, n, quota, tolerance), true], [greedyAssign(a, T, n, quota), false]] as const) {
        const loads = new Int32Array(n);
        for (const e of assigned) loads[e] = (loads[e] as number) + 1;
        expect(Array.from(loads)).toEqual(Array.from(quota));
        const gap = best - totalAffinity(a, n, assigned);
        expect(gap).toBeGreaterThanOrEqual(-1e-9);
        const relative = range > 0 ? gap / range : 0;
        if (isAuction) {
          expect(gap).toBeLessThanOrEqual(tolerance * range + 1e-9);
          worstAuction = Math.max(worstAuction, relative);
          if (gap <= 1e-12) exact++;
        } else worstGreedy = Math.max(worstGreedy, relative);
      }
    }), { numRuns: 150, seed: 42 });
    console.log(`BASE vs brute force (150 cases, T ≤ 9): auction worst gap ${worstAuction.toExponential(2)}·range, exact optimum in ${exact}/150; greedy worst gap ${worstGreedy.toFixed(3)}·range`);
    expect(worstGreedy).toBeGreaterThan(0); // greedy is not optimal, so the measurement can tell them apart
  });

  it('routes T = 4096 tokens to n = 64 experts per group fast enough, auction beating greedy', () => {
    const T = 4096;
    const n = 64;
    const hidden = 64;
    const rng = new Rng(43);
    const input = { features: rng.fillNormal(new Float32Array(2 * T * hidden)), tokenIds: new Int32Array(2 * T), groups: 2, groupSize: T, hidden };
    const ctx = (): RouterContext => ({ numExperts: n, topK: 1, hidden, rng: new Rng(44) });
    createRouter('base', {}, ctx()).route(input, 0, 0); // warm up the JIT
    // CPU time rather than wall time: the test machine may be shared (wall time is printed too)
    const cpuMs = (since: NodeJS.CpuUsage): number => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
    let c0 = process.cpuUsage();
    const t0 = performance.now();
    const d = createRouter('base', {}, ctx()).route(input, 1, 0);
    const [routerWall, routerCpu] = [(performance.now() - t0) / 2, cpuMs(c0) / 2];
    expect(checkDecision(d, { exactQuota: 64 })).toEqual([]);
    const a = new Rng(45).fillNormal(new Float32Array(T * n));
    const quota = balancedQuotas(T, n);
    c0 = process.cpuUsage();
    const auction = totalAffinity(a, n, auctionAssign(a, T, n, quota, 1e-3));
    const auctionCpu = cpuMs(c0);
    const greedy = totalAffinity(a, n, greedyAssign(a, T, n, quota));
    console.log(`BASE T=${T} n=${n}: router ${routerCpu.toFixed(0)} ms CPU (${routerWall.toFixed(0)} ms wall) per group, gate included; auction alone ${auctionCpu.toFixed(0)} ms CPU; total affinity auction ${auction.toFixed(1)} vs greedy ${greedy.toFixed(1)}`);
    expect(auctionCpu).toBeLessThan(1000);
    expect(auction).toBeGreaterThan(greedy);
  });
});
