// Compute the routing decisions of one training step with tfjs: every MoE layer of every micro-batch, on features
// from the scenario's token source. Steps too big to route whole are routed on a sample of groups and resampled
// (route-sampling.ts); stateful routers can first run warm-up steps; `routing.record` writes a trace and
// `routing.replay` reads one instead (route-replay.ts), touching neither tfjs nor the token source.
import { InputError, Rng } from '../../engine/index.ts';
import type { Router, RoutingDecision } from '../../routing/index.ts';
import { RoutingTraceRecorder, createRouter, initTfBackend } from '../../routing/index.ts';
import type { LayerRouting, TokenBatch, TokenSource } from '../../workloads/index.ts';
import { assertFiniteFeatures, createTokenSource } from '../../workloads/index.ts';
import { replayStep } from './route-replay.ts';
import { routingPlacement } from './route-sampling.ts';
import type { ProgressCallback, StepRouting } from './route-step-shared.ts';
import { condenseStep, moeLayersOf, samplingFor, traceShape } from './route-step-shared.ts';
import type { ResolvedScenario } from '../scenario/resolve-scenario.ts';
import type { TokenBatchCache } from './token-batch-cache.ts';

/** Batches already checked for NaN and infinities (a cached batch is checked once). */
const checkedBatches = new WeakSet<object>();

function checkFinite(batch: TokenBatch, origin: () => string): void {
  if (checkedBatches.has(batch)) return;
  assertFiniteFeatures(batch, origin());
  checkedBatches.add(batch);
}

export interface RouteStepOptions {
  /** Reuse token batches across runs (sweeps): exact, see token-batch-cache.ts. */
  batchCache?: TokenBatchCache;
}

/**
 * Routing-only training steps that let stateful routers (DeepSeek-V3's bias, LocMoE+'s bound) reach their state.
 * Step w routes micro-batch w mod microBatches of the step's own data (every source holds those tokens; an npy
 * file may hold no more). Returns the number of steps run: 0 for routers without state.
 */
function warmUp(router: Router, source: TokenSource, moeLayers: number[], steps: number, microBatches: number, tick: () => void): number {
  if (!router.endStep) return 0;
  for (let w = 0; w < steps; w++) {
    const mb = w % microBatches;
    const decisions: RoutingDecision[] = [];
    for (const l of moeLayers) {
      const batch = source.batch(l, mb);
      checkFinite(batch, () => `tokens (warm-up step ${w}, layer ${l}, micro-batch ${mb})`);
      decisions.push(router.route(batch, l, mb));
      tick();
    }
    router.endStep(decisions);
  }
  return steps;
}

export async function routeStep(resolved: ResolvedScenario, onProgress?: ProgressCallback, options: RouteStepOptions = {}): Promise<StepRouting> {
  const { scenario, model, layout, cluster } = resolved;
  const moeLayers = moeLayersOf(model);
  const sampling = samplingFor(resolved);
  const notes = sampling.shrunk
    ? [`routing.sampleTokensPerLayer (${scenario.routing.sampleTokensPerLayer}) cannot hold one whole routing group of ${sampling.groupSize} tokens per placement class, so sampled groups have ${sampling.plan.sampledGroupSize} tokens: capacity binds differently in them (expect more drops); raise the budget for fidelity`]
    : [];
  const none = { sampledGroups: sampling.plan.sampledGroups, sampledGroupSize: sampling.plan.sampledGroupSize, notes };
  if (moeLayers.length === 0) {
    const routing = Array.from({ length: layout.microBatches }, () => new Array<LayerRouting | undefined>(model.layers).fill(undefined));
    return { routing, backend: { active: 'none (no MoE layers)' }, tokenSource: 'none', decisionsComputed: 0, decisionsResampled: 0, warmupStepsRun: 0, ...none };
  }
  const { replay, record, warmupSteps } = scenario.routing;
  if (replay !== undefined) {
    if (record !== undefined) throw new InputError('routing: replay and record cannot be combined (the replayed trace is already on disk)', 'routing.record');
    return { ...replayStep(resolved, replay, onProgress), notes };
  }
  const backend = await initTfBackend(scenario.backend);
  const rng = new Rng(scenario.seed);
  const shape = traceShape(resolved, sampling);
  // Batches are routed and dropped one at a time, so without a cache (which keeps them) the source may reuse buffers.
  const create = (transient: boolean) => (): Promise<TokenSource> => createTokenSource(scenario.tokens, shape, rng.derive('tokens'), { transient });
  const source = options.batchCache ? await options.batchCache.source(scenario.tokens, scenario.seed, shape, create(false)) : await create(true)();
  const recorder = record !== undefined ? new RoutingTraceRecorder(record) : undefined;
  const router = createRouter(resolved.router.name, resolved.router.params, {
    numExperts: model.experts, topK: model.topK, hidden: model.hidden, seqLength: model.seqLength,
    rng: rng.derive(`router/${resolved.router.name}`), placement: routingPlacement(layout, cluster, sampling.sampleRank),
  });
  const warmTicks = router.endStep ? warmupSteps * moeLayers.length : 0;
  const total = warmTicks + layout.microBatches * moeLayers.length;
  let done = 0;
  const tick = (): void => onProgress?.(++done, total);
  const warmupStepsRun = warmUp(router, source, moeLayers, warmupSteps, shape.microBatches, tick);

  const { routing, computed, resampled } = condenseStep(resolved, sampling, rng, (mb, l) => {
    const batch = source.batch(l, mb);
    checkFinite(batch, () => `tokens (layer ${l}, micro-batch ${mb})`);
    const decision = router.route(batch, l, mb);
    recorder?.add(decision);
    return decision;
  }, tick);
  recorder?.finish({
    router: resolved.router.name, params: { ...router.params }, numExperts: model.experts, groups: shape.groups, groupSize: shape.groupSize,
    layers: model.layers, moeLayers: [...moeLayers], microBatches: shape.microBatches, tokenSource: source.description, scenario: scenario.name, seed: scenario.seed,
  });
  return { routing, backend, tokenSource: source.description, decisionsComputed: computed, decisionsResampled: resampled, warmupStepsRun, ...none };
}
