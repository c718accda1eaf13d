// The collective planner keeps a filled all-to-all plan exactly as long as the run still needs it: the forward,
// a recompute and the backward reuse one plan, and after its last counted use it is dropped (a later call fills anew).
// Once every run of that last use is released, its byte array is refilled by a later plan, never before.
import { describe, expect, it } from 'vitest';
import { createCollectivePlanner } from '../../src/execute/collective-plans.ts';
import { buildCluster } from '../../src/topology/index.ts';
import type { PackedPlan } from '../../src/topology/index.ts';
import type { CollectiveSpec, LayerRouting } from '../../src/workloads/index.ts';

describe('createCollectivePlanner', () => {
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
  const group = Array.from({ length: 16 }, (_, d) => d); // two servers: HCCL's hierarchical all-to-all-v
  const ranks = [...group];
  const dispatchTokens = Float64Array.from({ length: 256 }, (_, i) => 1 + (i % 7));
  const routing = { dispatchTokens } as unknown as LayerRouting;
  const spec = (id: number, transpose: boolean): CollectiveSpec => ({
    id, name: `a2a ${id}`, category: transpose ? 'ep-combine' : 'ep-dispatch', group, op: 'all-to-all-v', traffic: { routing, ranks, transpose, bytesPerToken: 8192 },
  });

  it('reuses one plan for every counted use of a direction, then drops it', () => {
    // Forward dispatch, recompute dispatch and backward combine-gradient all move the dispatch matrix.
    const uses = [spec(0, false), spec(1, false), spec(2, false), spec(3, true), spec(4, true)];
    const plan = createCollectivePlanner(cluster, uses);
    const [a, b, c] = [plan(uses[0]!), plan(uses[1]!), plan(uses[2]!)];
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(plan(uses[3]!)).not.toBe(a); // the transpose is a different plan
    expect(plan(spec(5, false))).not.toBe(a); // past its last counted use the plan was dropped
  });

  it('reuses a plan\'s byte array only once its last counted use has been released', () => {
    const uses = [spec(0, false), spec(1, false), spec(2, true)];
    const plan = createCollectivePlanner(cluster, uses);
    const reference = createCollectivePlanner(cluster); // fills every plan into a fresh array
    const dispatch = plan(uses[0]!) as PackedPlan;
    plan.release(dispatch); // a use is still to come: the plan stays as it is
    const combine = plan(uses[2]!) as PackedPlan; // its only use
    expect(combine.bytes).not.toBe(dispatch.bytes);
    expect(plan(uses[1]!)).toBe(dispatch);
    const extra = plan(spec(3, true)) as PackedPlan; // an uncounted use: filled while `combine` still runs
    expect(extra.bytes).not.toBe(combine.bytes);
    plan.release(combine);
    plan.release(dispatch); // both released after their last use: their arrays are free
    const refilled = [plan(spec(4, false)) as PackedPlan, plan(spec(5, true)) as PackedPlan];
    expect([dispatch.bytes, combine.bytes]).toContain(refilled[0]!.bytes);
    expect([dispatch.bytes, combine.bytes]).toContain(refilled[1]!.bytes);
    expect(refilled[1]!.bytes).not.toBe(refilled[0]!.bytes);
    expect(Array.from(refilled[0]!.bytes)).toEqual(Array.from((reference(spec(6, false)) as PackedPlan).bytes));
    expect(Array.from(refilled[1]!.bytes)).toEqual(Array.from((reference(spec(7, true)) as PackedPlan).bytes));
    expect(Array.from(extra.bytes)).toEqual(Array.from(refilled[1]!.bytes)); // the one still held was not overwritten
  });

  it('without the run\'s collectives, keeps a plan for one repeat', () => {
    const plan = createCollectivePlanner(cluster);
    const first = plan(spec(0, false));
    expect(plan(spec(1, false))).toBe(first);
    expect(plan(spec(2, false))).not.toBe(first);
  });
});
