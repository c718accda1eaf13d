// Compute the routing decisions of one training step with tfjs: every MoE layer of every micro-batch, on features
// from the scenario's token source. Steps too big to route whole are routed on a sample of groups and resampled
// (route-sampling.ts); stateful routers can first run warm-up steps; `routing.record` writes a trace and
// `routing.replay` reads one instead (route-replay.ts), touching neither tfjs nor the token source.
import { InputError, Rng } from '../engine/index.ts';
import type { Router, RoutingDecision } from '../routing/index.ts';
import { RoutingTraceRecorder, createRouter, initTfBackend } from '../routing/index.ts';
import type { LayerRouting, TokenSource } from '../workloads/index.ts';
import { assertFiniteFeatures, createTokenSource } from '../workloads/index.ts';
import { replayStep } from './route-replay.ts';
import { routingPlacement } from './route-sampling.ts';
import type { ProgressCallback, StepRouting } from './route-step-shared.ts';
import { condenseDecision, moeLayersOf, samplingFor, traceShape } from './route-step-shared.ts';
import type { ResolvedScenario } from './scenario/resolve-scenario.ts';


/** Routing-only training steps that let stateful routers (DeepSeek-V3's bias, LocMoE+'s bound) reach their state. */
function warmUp(router: Router, source: TokenSource, moeLayers: number[], steps: number, firstMicroBatch: number, tick: () => void): void {
  if (!router.endStep) return;
  for (let w = 0; w < steps; w++) {
    const decisions: RoutingDecision[] = [];
    for (const l of moeLayers) {
      decisions.push(router.route(source.batch(l, firstMicroBatch + w), l, firstMicroBatch + w));
      tick();
    }
    router.endStep(decisions);
  }
}

export async function routeStep(resolved: ResolvedScenario, onProgress?: ProgressCallback): Promise<StepRouting> {
  const { scenario, model, layout, cluster } = resolved;
  const moeLayers = moeLayersOf(model);
  const sampling = samplingFor(resolved);
  const none = { sampledGroups: sampling.plan.sampledGroups, sampledGroupSize: sampling.plan.sampledGroupSize };
  if (moeLayers.length === 0) {
    const routing = Array.from({ length: layout.microBatches }, () => new Array<LayerRouting | undefined>(model.layers).fill(undefined));
    return { routing, backend: { active: 'none (no MoE layers)' }, tokenSource: 'none', decisionsComputed: 0, decisionsResampled: 0, ...none };
  }
  const { replay, record, warmupSteps } = scenario.routing;
  if (replay !== undefined) {
    if (record !== undefined) throw new InputError('routing: replay and record cannot be combined (the replayed trace is already on disk)', 'routing.record');
    return replayStep(resolved, replay, onProgress);
  }
  const backend = await initTfBackend(scenario.backend);
  const rng = new Rng(scenario.seed);
  const shape = traceShape(resolved, sampling);
  const source = await createTokenSource(scenario.tokens, shape, rng.derive('tokens'));
  const recorder = record !== undefined ? new RoutingTraceRecorder(record) : undefined;
  const router = createRouter(resolved.router.name, resolved.router.params, {
    numExperts: model.experts, topK: model.topK, hidden: model.hidden, seqLength: model.seqLength,
    rng: rng.derive(`router/${resolved.router.name}`), placement: routingPlacement(layout, cluster, sampling.sampleDevice),
  });
  const warmTicks = router.endStep ? warmupSteps * moeLayers.length : 0;
  const total = warmTicks + layout.microBatches * moeLayers.length;
  let done = 0;
  const tick = (): void => onProgress?.(++done, total);
  // Warm-up steps read micro-batches past the measured step's, so they never see its tokens.
  warmUp(router, source, moeLayers, warmupSteps, layout.microBatches, tick);

  const routing: (LayerRouting | undefined)[][] = [];
  const counted = { computed: 0, resampled: 0 };
  for (let mb = 0; mb < layout.microBatches; mb++) {
    const perLayer = new Array<LayerRouting | undefined>(model.layers).fill(undefined);
    for (const l of moeLayers) {
      const batch = source.batch(l, mb);
      assertFiniteFeatures(batch, `tokens (layer ${l}, micro-batch ${mb})`);
      const decision = router.route(batch, l, mb);
      recorder?.add(decision);
      perLayer[l] = condenseDecision(decision, resolved, sampling, rng, counted);
      tick();
    }
    routing.push(perLayer);
  }
  recorder?.finish({
    router: resolved.router.name, params: { ...router.params }, numExperts: model.experts, groups: shape.groups, groupSize: shape.groupSize,
    layers: model.layers, moeLayers: [...moeLayers], microBatches: layout.microBatches, tokenSource: source.description, scenario: scenario.name, seed: scenario.seed,
  });
  return { routing, backend, tokenSource: source.description, decisionsComputed: counted.computed, decisionsResampled: counted.resampled, ...none };
}
