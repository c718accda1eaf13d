// The collective planner keeps a filled all-to-all plan exactly as long as the run still needs it: the forward,
// a recompute and the backward reuse one plan, and after its last counted use it is dropped (a later call fills anew).
import { describe, expect, it } from 'vitest';
import { createCollectivePlanner } from '../../src/sim/execute/collective-plans.ts';
import { buildCluster } from '../../src/topology/index.ts';
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

  it('without the run\'s collectives, keeps a plan for one repeat', () => {
    const plan = createCollectivePlanner(cluster);
    const first = plan(spec(0, false));
    expect(plan(spec(1, false))).toBe(first);
    expect(plan(spec(2, false))).not.toBe(first);
  });
});
