// Replay a recorded routing trace: no tfjs backend and no token source; the decisions go through the same
// summarising and resampling as live routing, so a replay reproduces the recorded run.
import { Rng } from '../engine/index.ts';
import { checkTraceMatches, openRoutingTrace } from '../routing/index.ts';
import type { LayerRouting } from '../workloads/index.ts';
import type { ResolvedScenario } from './scenario/resolve-scenario.ts';
import type { ProgressCallback, StepRouting } from './route-step-shared.ts';
import { condenseDecision, moeLayersOf, samplingFor, traceShape } from './route-step-shared.ts';

export function replayStep(resolved: ResolvedScenario, dir: string, onProgress?: ProgressCallback): StepRouting {
  const { model, layout, scenario } = resolved;
  const sampling = samplingFor(resolved);
  const shape = traceShape(resolved, sampling);
  const trace = openRoutingTrace(dir);
  checkTraceMatches(trace, { router: resolved.router.name, numExperts: model.experts, ...shape });
  const moeLayers = moeLayersOf(model);
  const rng = new Rng(scenario.seed);
  const routing: (LayerRouting | undefined)[][] = [];
  const counted = { computed: 0, resampled: 0 };
  const total = layout.microBatches * moeLayers.length;
  for (let mb = 0; mb < layout.microBatches; mb++) {
    const perLayer = new Array<LayerRouting | undefined>(model.layers).fill(undefined);
    moeLayers.forEach((l, i) => {
      perLayer[l] = condenseDecision(trace.decision(mb, l), resolved, sampling, rng, counted);
      onProgress?.(mb * moeLayers.length + i + 1, total);
    });
    routing.push(perLayer);
  }
  const recorded = trace.manifest.tokenSource ?? 'not stated';
  return {
    routing, backend: { active: 'none (replay)' }, tokenSource: `routing trace replay (recorded from ${recorded})`,
    decisionsComputed: counted.computed, decisionsResampled: counted.resampled, sampledGroups: sampling.plan.sampledGroups, sampledGroupSize: sampling.plan.sampledGroupSize,
    warmupStepsRun: 0, notes: [],
  };
}
