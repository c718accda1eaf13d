// Pieces shared by live routing and trace replay: the MoE layer list, the sampled shape, and turning one decision
// into the step model's LayerRouting (resampled to every routing group when only a sample was routed).
import type { Rng } from '../../engine/index.ts';
import type { BackendInfo, RoutingDecision } from '../../routing/index.ts';
import type { LayerRouting, ModelSpec, TokenStepShape } from '../../workloads/index.ts';
import type { ExpertPlacementMap } from '../../workloads/index.ts';
import { countDistinctTokens, deviceOf, epServerSlots, groupCountsOf, isMoeLayer, layoutPlacement, localityAwarePlacement, resampleGroupCounts, spreadDistinctTokens, summariseGroupCounts } from '../../workloads/index.ts';
import type { SamplingLayout } from './route-sampling.ts';
import { samplingLayout } from './route-sampling.ts';
import type { ResolvedScenario } from '../scenario/resolve-scenario.ts';

export interface StepRouting {
  /** routing[microBatch][layer]; undefined for dense layers. */
  routing: (LayerRouting | undefined)[][];
  backend: BackendInfo;
  tokenSource: string;
  /** Token-to-expert assignments the router computed (when replaying: the recorded ones replayed). */
  decisionsComputed: number;
  /** Assignments extended to the full batch by resampling (0 when every token was routed for real). */
  decisionsResampled: number;
  /** Routing groups routed for real per (layer, micro-batch), and their size in tokens. */
  sampledGroups: number;
  sampledGroupSize: number;
  /** Routing-only warm-up steps actually run (0 for routers without state, and for replays). */
  warmupStepsRun: number;
  /** Things the user should know about how routing ran (e.g. shrunk sample groups). */
  notes: string[];
}

export type ProgressCallback = (done: number, total: number) => void;

export function moeLayersOf(model: ModelSpec): number[] {
  return Array.from({ length: model.layers }, (_, l) => l).filter((l) => isMoeLayer(model, l));
}

/** Micro-batches routed for real (routing.sampledMicroBatches, at most the step's); later ones reuse them. */
export function sampledMicroBatchesOf(resolved: ResolvedScenario): number {
  return Math.min(resolved.scenario.routing.sampledMicroBatches ?? resolved.layout.microBatches, resolved.layout.microBatches);
}

export function samplingFor(resolved: ResolvedScenario): SamplingLayout {
  return samplingLayout(resolved.model, resolved.layout, resolved.cluster, resolved.scenario.routing.sampleTokensPerLayer);
}

/** The shape of what is routed for real (and recorded in traces): the sampled groups. */
export function traceShape(resolved: ResolvedScenario, sampling: SamplingLayout): TokenStepShape {
  const { model } = resolved;
  return {
    groups: sampling.plan.sampledGroups, groupSize: sampling.plan.sampledGroupSize, hidden: model.hidden, vocab: model.vocab,
    seqLength: model.seqLength, layers: model.layers, moeLayers: moeLayersOf(model), microBatches: sampledMicroBatchesOf(resolved),
  };
}

/** Summarise a decision for the step model, resampling it to every DP rank when only a sample was routed. */
export function condenseDecision(
  decision: RoutingDecision,
  resolved: ResolvedScenario,
  sampling: SamplingLayout,
  rng: Rng,
  counted: { computed: number; resampled: number },
  /** The decision was computed for another micro-batch and is reused here: everything counts as resampled. */
  reused = false,
  /** Per-layer placements of a locality-aware layout (filled from each layer's first micro-batch). */
  placements: Map<number, ExpertPlacementMap> = new Map(),
): LayerRouting {
  const { layout } = resolved;
  const counts = groupCountsOf(decision);
  const proposedOf = (c: { proposedCounts: ArrayLike<number> }): number => {
    let sum = 0;
    for (let i = 0; i < c.proposedCounts.length; i++) sum += c.proposedCounts[i]!;
    return sum;
  };
  const computed = reused ? 0 : proposedOf(counts);
  counted.computed += computed;
  let full = counts;
  if (!sampling.sampled) {
    if (reused) counted.resampled += proposedOf(counts);
  } else {
    const stream = rng.derive(`resample/layer${decision.layer}/mb${decision.microBatch}`);
    full = resampleGroupCounts(counts, sampling.plan.sampledGroupSize, layout.dp, sampling.groupSize, stream, sampling.classes);
    counted.resampled += Math.max(0, proposedOf(full) - computed);
  }
  let placement = placements.get(decision.layer);
  if (layout.expertPlacement !== 'locality-aware') placement = layoutPlacement(layout, decision.numExperts);
  else if (!placement) {
    const { cluster } = resolved;
    const first = cluster.serverOf(deviceOf(layout, 0, 0, 0));
    placement = localityAwarePlacement(full, layout, (r) => cluster.serverOf(deviceOf(layout, 0, r, 0)) - first);
    placements.set(decision.layer, placement);
  }
  const summary = summariseGroupCounts(full, layout, placement);
  if (layout.epAllToAll !== 'deepep') return summary;
  // DeepEP sends distinct tokens: counted on the routed groups, spread as their expert counts were.
  const { slotOfEpRank, servers } = epServerSlots(layout, (d) => resolved.cluster.serverOf(d));
  const distinct = countDistinctTokens(decision, placement.rankOf, slotOfEpRank, servers);
  return { ...summary, distinct: spreadDistinctTokens(distinct, layout, slotOfEpRank, servers, summary.dispatchTokens, full.sampleOf, full.scale) };
}

/**
 * Every (micro-batch, MoE layer) of the step in order: `decide` gives the decision (live routing or a trace), which
 * is condensed (and resampled when only a sample was routed). Micro-batches from routing.sampledMicroBatches on
 * reuse the decision of micro-batch mb mod that count, resampled with their own seeded stream (so their routing
 * groups draw different sampled groups). `tick` is called after each one for progress.
 */
export function condenseStep(
  resolved: ResolvedScenario,
  sampling: SamplingLayout,
  rng: Rng,
  decide: (microBatch: number, layer: number) => RoutingDecision,
  tick: () => void,
): { routing: (LayerRouting | undefined)[][]; computed: number; resampled: number } {
  const { model, layout } = resolved;
  const moeLayers = moeLayersOf(model);
  const counted = { computed: 0, resampled: 0 };
  const routing: (LayerRouting | undefined)[][] = [];
  const sampledMbs = sampledMicroBatchesOf(resolved);
  const kept = new Map<string, RoutingDecision>();
  const placements = new Map<number, ExpertPlacementMap>();
  for (let mb = 0; mb < layout.microBatches; mb++) {
    const perLayer = new Array<LayerRouting | undefined>(model.layers).fill(undefined);
    for (const l of moeLayers) {
      if (mb < sampledMbs) {
        const decision = decide(mb, l);
        if (sampledMbs < layout.microBatches) kept.set(`${mb}:${l}`, decision);
        perLayer[l] = condenseDecision(decision, resolved, sampling, rng, counted, false, placements);
      } else {
        const source = kept.get(`${mb % sampledMbs}:${l}`) as RoutingDecision;
        perLayer[l] = condenseDecision({ ...source, microBatch: mb }, resolved, sampling, rng, counted, true, placements);
      }
      tick();
    }
    routing.push(perLayer);
  }
  return { routing, ...counted };
}
