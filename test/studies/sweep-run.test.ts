// Running a sweep: an invalid point becomes an error row and the sweep goes on, shards partition the points, and
// the token-batch cache is exact (cached rows equal uncached ones, and routers reuse the features).
import { describe, expect, it } from 'vitest';
import { TokenBatchCache } from '../../src/sim/index.ts';
import { planSweep, runSweep, runSweepPoint, shardPoints, sweepTask } from '../../src/studies/index.ts';
import { tinySweepScenario } from '../helpers/tiny-sweep.ts';

describe('runSweep', () => {
  it('records an invalid point as an error row and runs the others', async () => {
    const plan = planSweep(tinySweepScenario, 'tiny', ['parallelism.dp=8,7', 'router.name=gshard,switch']);
    const done: number[] = [];
    const { rows } = await runSweep(plan, { workers: 1, onPointDone: (row) => done.push(row.point) });
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'error', 'error']);
    expect(rows[2]?.error).toMatch(/parallelism\.dp: tp·pp·dp = 1·1·7 = 7 must equal the cluster's 8 devices/);
    expect(rows[2]?.stepTime_s).toBeNull();
    expect(rows[0]?.devices).toBe(8);
    expect(rows[0]?.memoryFits).toBe(true);
    expect(rows[1]?.values).toEqual({ 'parallelism.dp': 8, 'router.name': 'switch' });
    expect(done.sort()).toEqual([0, 1, 2, 3]);
  }, 60_000);

  it('skips finished points and runs only its shard', async () => {
    expect(shardPoints(10, { index: 1, count: 4 })).toEqual([1, 5, 9]);
    const plan = planSweep(tinySweepScenario, 'tiny', ['parallelism.dp=7,6,5,4,3']);
    const { rows } = await runSweep(plan, { shard: { index: 1, count: 2 }, finished: new Set([1]) });
    expect(rows.map((r) => r.point)).toEqual([3]);
  });

  it('reuses token batches across routers and capacity factors, with results equal to uncached runs', async () => {
    const plan = planSweep(tinySweepScenario, 'tiny', ['router.name=gshard,expert-choice', 'router.capacityFactor=1,2']);
    const cache = new TokenBatchCache();
    const uncached = [];
    for (let p = 0; p < plan.points; p++) uncached.push((await runSweepPoint(sweepTask(plan, p), { useCache: false })).row);
    const cached = [];
    for (let p = 0; p < plan.points; p++) cached.push((await runSweepPoint(sweepTask(plan, p), { cache })).row);
    expect(cached).toEqual(uncached);
    expect(cache.misses).toBe(2 * 4); // 2 micro-batches × 4 MoE layers, generated once
    expect(cache.hits).toBe((plan.points - 1) * 8);
  }, 60_000);
});
