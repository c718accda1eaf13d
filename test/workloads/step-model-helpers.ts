// Shared set-up for step-model tests: a small model on A2 servers, and hand-made routing (kept tokens per
// (routing group, expert)) turned into the step model's LayerRouting for every micro-batch and MoE layer.
import { kernelChipOf } from '../../src/sim/index.ts';
import type { Cluster } from '../../src/topology/index.ts';
import { buildCluster } from '../../src/topology/index.ts';
import type { KernelChip } from '../../src/kernels/index.ts';
import type { Layout, LayerRouting, ModelSpec, ParallelismInput } from '../../src/workloads/index.ts';
import { isMoeLayer, loadModelPreset, resolveLayout, summariseGroupCounts } from '../../src/workloads/index.ts';

export interface StepSetup {
  model: ModelSpec;
  layout: Layout;
  cluster: Cluster;
  chip: KernelChip;
}

/** tiny-moe (4 layers, 16 experts, top-2) with a short sequence on `servers` Atlas 800T A2 servers. */
export function stepSetup(parallelism: ParallelismInput, servers = 2, seqLength = 512, modelOverrides: Partial<ModelSpec> = {}): StepSetup {
  const model = { ...loadModelPreset('tiny-moe'), seqLength, ...modelOverrides };
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers });
  const layout = resolveLayout(parallelism, cluster.devices, model);
  return { model, layout, cluster, chip: kernelChipOf(cluster) };
}

/** routing[mb][layer] where DP rank g keeps `kept(g, e)` tokens for expert e (all proposed tokens kept). */
export function handRouting(s: Pick<StepSetup, 'model' | 'layout'>, kept: (group: number, expert: number) => number): (LayerRouting | undefined)[][] {
  const { model, layout } = s;
  const n = model.experts;
  return Array.from({ length: layout.microBatches }, (_, mb) => Array.from({ length: model.layers }, (__, l) => {
    if (!isMoeLayer(model, l)) return undefined;
    const counts = Float64Array.from({ length: layout.dp * n }, (___, i) => kept(Math.floor(i / n), i % n));
    return summariseGroupCounts({ layer: l, microBatch: mb, groups: layout.dp, numExperts: n, keptCounts: counts, proposedCounts: counts, capacity: Infinity, losses: {} }, layout);
  }));
}

/** Every DP rank sends tokens·topK assignments spread evenly over all experts. */
export function uniformRouting(s: Pick<StepSetup, 'model' | 'layout'>): (LayerRouting | undefined)[][] {
  const per = (s.layout.microBatchSize * s.model.seqLength * s.model.topK) / s.model.experts;
  return handRouting(s, () => per);
}
