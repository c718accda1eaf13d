// Replay a recorded routing trace: no tfjs backend and no token source; the decisions go through the same
// summarising and resampling as live routing, so a replay reproduces the recorded run.
import { Rng } from '../../engine/index.ts';
import { checkTraceMatches, openRoutingTrace } from '../../routing/index.ts';
import type { ResolvedScenario } from '../scenario/resolve-scenario.ts';
import type { ProgressCallback, StepRouting } from './route-step-shared.ts';
import { condenseStep, moeLayersOf, samplingFor, traceShape } from './route-step-shared.ts';

export function replayStep(resolved: ResolvedScenario, dir: string, onProgress?: ProgressCallback): StepRouting {
  const { model, layout, scenario } = resolved;
  const sampling = samplingFor(resolved);
  const shape = traceShape(resolved, sampling);
  const trace = openRoutingTrace(dir);
  checkTraceMatches(trace, { router: resolved.router.name, numExperts: model.experts, ...shape });
  const total = layout.microBatches * moeLayersOf(model).length;
  let done = 0;
  const { routing, computed, resampled } = condenseStep(resolved, sampling, new Rng(scenario.seed), (mb, l) => trace.decision(mb, l), () => onProgress?.(++done, total));
  const recorded = trace.manifest.tokenSource ?? 'not stated';
  return {
    routing, backend: { active: 'none (replay)' }, tokenSource: `routing trace replay (recorded from ${recorded})`,
    decisionsComputed: computed, decisionsResampled: resampled, sampledGroups: sampling.plan.sampledGroups, sampledGroupSize: sampling.plan.sampledGroupSize,
    warmupStepsRun: 0, notes: [],
  };
}
