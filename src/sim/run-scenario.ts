// The whole pipeline for one scenario: route with tfjs → build the step program → run it on the engine →
// memory model → summary. Pure composition: no file output (src/report writes the files).
import type { StepProgramInput } from '../workloads/index.ts';
import { buildStepProgram, deviceOf, estimateMemory, executedFlops, expertDpRank, expertLocalIndex, layerPlacement } from '../workloads/index.ts';
import { routerExpertsPerToken } from '../routing/index.ts';
import type { ExecutionResult, LinkStats, LinkTimeline, Span, TrafficMatrix } from '../execute/index.ts';
import { runStepProgram } from '../execute/index.ts';
import type { ProgressCallback } from './step-routing/route-step-shared.ts';
import { routeStep } from './step-routing/route-step.ts';
import type { ResolvedScenario } from './scenario/resolve-scenario.ts';
import type { Summary } from './summary.ts';
import type { TokenBatchCache } from './step-routing/token-batch-cache.ts';
import { buildSummary } from './summary.ts';

export interface RunResult {
  summary: Summary;
  spans: Span[];
  /** Every link that carried bytes in the step, most bytes first. */
  links: LinkStats[];
  /** Utilisation over time of the busiest links (link-utilisation.csv). */
  utilisationOverTime: ExecutionResult['utilisationOverTime'];
  /** Bytes sent between devices, servers or groups of servers (traffic-matrix.csv); absent with recordTraffic false. */
  traffic?: TrafficMatrix;
  /** The busiest links' rate over time (the trace's link tracks); only when the scenario writes a trace. */
  linkTimeline?: LinkTimeline;
  /** Server of each device (trace process grouping). */
  serverOfDevice: number[];
  /** Per MoE layer (rows of summary.tokensPerExpert): the device holding each expert in EP group 0, TP rank 0 of the layer's stage. */
  expertDevices: number[][];
  /** Informational notes for the user (e.g. a backend fallback). */
  notes: string[];
}

export interface RunOptions {
  onRoutingProgress?: ProgressCallback;
  /** Reuse token batches across runs (sweeps); exact. */
  batchCache?: TokenBatchCache;
  /**
   * Record link activity over time (default true). Without it the summary's busiestLinks and links.csv are empty
   * and link-utilisation has no series; step time and every other figure are the same. Validation experiments and
   * plans turn it off: at 6,144 devices recording it costs more than the rest of the run.
   */
  recordLinkActivity?: boolean;
  /** Record the device-to-device traffic matrix (default true; cheap: a packed plan is binned once). */
  recordTraffic?: boolean;
  /**
   * Record the critical path (default true). Without it summary.criticalPath is absent and every other figure is the
   * same; validation experiments, plans and sweeps turn it off (it costs about a quarter of a large step's run).
   */
  criticalPath?: boolean;
}

/** A `merged` router (MEO) runs one merged expert of k experts per token; other routers dispatch tokens. */
function mergedExpertsOf(resolved: ResolvedScenario): { mergedExperts?: { k: number } } {
  const { name, params, execution } = resolved.router;
  if (execution !== 'merged') return {};
  return { mergedExperts: { k: routerExpertsPerToken(name, params, resolved.model.topK) ?? resolved.model.topK } };
}

/**
 * The step program's input for a resolved scenario and its routing: the chip and the view its linear layers run on,
 * the dispatch's bytes per element, a merged router's k and the host link. `run` and `bench step` build the same.
 */
export function stepProgramInput(resolved: ResolvedScenario, routing: StepProgramInput['routing']): StepProgramInput {
  const { model, layout, kernelChip, cluster, precision } = resolved;
  const hostLinkBandwidth = cluster.system.hostLinkBandwidth?.value;
  return {
    model, layout, chip: kernelChip, linearChip: precision.linearChip, dispatchBytesPerElement: precision.dispatchBytesPerElement, routing,
    ...mergedExpertsOf(resolved), ...(hostLinkBandwidth === undefined ? {} : { hostLinkBandwidth }),
  };
}

export async function runScenario(resolved: ResolvedScenario, options: RunOptions = {}): Promise<RunResult> {
  const { scenario, model, layout, cluster } = resolved;
  const routed = await routeStep(resolved, options.onRoutingProgress, { batchCache: options.batchCache });
  const program = buildStepProgram(stepProgramInput(resolved, routed.routing));
  const exec = runStepProgram(program, cluster, { network: scenario.cluster.network, recordSpans: scenario.output.trace, recordLinkActivity: options.recordLinkActivity ?? true,
    recordTraffic: options.recordTraffic ?? true, recordLinkTimeline: scenario.output.trace, criticalPath: options.criticalPath ?? true,
  });
  const memory = estimateMemory(model, layout, routed.routing, { fp8Linear: resolved.precision.linear === 'fp8' });
  const summary = buildSummary(resolved, routed, exec, memory, executedFlops(program));
  return {
    summary,
    spans: exec.spans,
    links: exec.links,
    utilisationOverTime: exec.utilisationOverTime,
    ...(exec.traffic ? { traffic: exec.traffic } : {}),
    ...(exec.linkTimeline ? { linkTimeline: exec.linkTimeline } : {}),
    serverOfDevice: Array.from({ length: cluster.devices }, (_, d) => cluster.serverOf(d)),
    expertDevices: summary.moeLayers.map((l) => {
      const placement = routed.routing[0]?.[l]?.placement;
      const stage = layerPlacement(layout, l).stage;
      // With expertTp below tp a DP rank's runs of expertTp TP ranks hold consecutive slices of its local experts (the first of the run named).
      const slice = (e: number): number => Math.floor((placement ? placement.localOf[e]! : expertLocalIndex(layout, e)) / (layout.expertsPerDevice / layout.expertSlices));
      return Array.from({ length: model.experts }, (_, e) => deviceOf(layout, stage, placement ? placement.rankOf[e]! : expertDpRank(layout, 0, e), slice(e) * layout.expertTp));
    }),
    notes: [...(routed.backend.note ? [routed.backend.note] : []), ...routed.notes],
  };
}
