// The run summary (summary.json): the contract fields documented in METRICS.md, then the details behind them.
import { nsToSeconds } from '../engine/index.ts';
import { memoryReserveBytes } from '../topology/index.ts';
import type { MemoryBreakdown, ModelSpec } from '../workloads/index.ts';
import { COMPUTE_PASSES, countParams, memoryVerdict, pipelineScheduleFor, trainingFlopsPerToken } from '../workloads/index.ts';
import type { CommBytes, DeviceAccounting, ExecutionResult, LinkStats } from '../execute/index.ts';
import type { StepRouting } from './step-routing/route-step-shared.ts';
import type { ResolvedScenario } from './scenario/resolve-scenario.ts';

export interface Summary {
  // --- contract fields (never renamed; see METRICS.md) ---
  stepTime_s: number;
  tokensPerSecond: number;
  /** Model-FLOPs utilisation, the papers' convention (METRICS.md): flops.modelPerStep / (step × devices × peak). */
  mfu: number;
  devices: number;
  tokensPerExpert: number[][];
  droppedTokens: number;
  commBytes: CommBytes;
  peakMemoryBytes: number;
  router: string;
  seed: number;
  // --- details ---
  /** Hardware-FLOPs utilisation: the FLOPs the kernels executed (kept experts, recompute) / (step × devices × peak). */
  hfu: number;
  /** What the two utilisations count, and the peak they divide by. */
  flops: { modelPerToken: number; modelPerStep: number; executedPerStep: number; peakPerDevice: number; peakBasis: string; computeBasis: string };
  scenario: string;
  routerParams: Record<string, unknown>;
  cluster: { preset: string; servers: number; chip: string; network: string; fabric: string };
  model: { name: string; totalParams: number; activeParamsPerToken: number; expertsPerToken: number; trainingFlopsPerToken: number };
  parallelism: { tp: number; pp: number; vpp: number; schedule: string; dp: number; ep: number; expertTp: number; microBatchSize: number; globalBatch: number; microBatches: number; sequenceParallel: boolean; zero: number; offloadOptimizer: boolean; recompute: string; selectiveRecompute: string[]; overlapGradReduce: boolean; tpCommOverlap: boolean; epCommOverlap: boolean; epAllToAll: string; epAllToAllChunks: number; expertPlacement: string; stageLayers: number[]; gradientsInFp32: boolean };
  tokensPerStep: number;
  moeLayers: number[];
  proposedAssignments: number;
  droppedFraction: number;
  expertCapacity: number;
  maxOverMeanExpertLoad: number;
  auxLoss: number;
  /** Mean over devices; compute + exposedComm + imbalanceWait + pipelineBubble + idleAtEnd = stepTime_s. */
  breakdown_s: Breakdown;
  /** The same breakdown for the device that finishes last (it sets the step time). */
  criticalDevice: Breakdown & { device: number };
  /** The chain of kernels and collectives that set the step time (seconds by kind); its length is the step time. */
  criticalPath?: { endDevice: number; length_s: number; compute: Record<string, number>; computeByPass: Record<string, number>; comm: Record<string, number>; segments: number };
  commBytesByCategory: Record<string, CommBytes>;
  collectiveAlgorithms: Record<string, string>;
  linkBytesByKind: Record<string, number>;
  /** The five links that carried the most bytes (links.csv lists them all). */
  busiestLinks: LinkStats[];
  /** Number formats of the linear layers and the MoE dispatch. */
  precision: { linear: string; dispatch: string };
  memory: MemoryBreakdown & { device: number; hbmBytes: number; reserveBytes: number; fits: boolean; verdict?: string };
  routing: { backend: string; tokenSource: string; decisionsComputed: number; decisionsResampled: number; sampledGroups: number; sampledGroupSize: number; warmupSteps: number };
  engine: { events: number };
}

export interface Breakdown {
  /** Kernel time by category (recomputed kernels in their own category). */
  compute: Record<string, number>;
  /** The same kernel time split by pass instead (forward, recompute, backward, wgrad, optimizer): not added again. */
  computeByPass: Record<string, number>;
  exposedComm: Record<string, number>;
  imbalanceWait: number;
  pipelineBubble: number;
  /** Kernel time lost to running beside background collectives (the chip's overlapSlowdown), not in `compute`. */
  overlapSlowdown: number;
  idleAtEnd: number;
}

function breakdownOf(devices: DeviceAccounting[], stepTimeNs: number): Breakdown {
  const mean = (f: (d: DeviceAccounting) => number): number => nsToSeconds(devices.reduce((s, d) => s + f(d), 0) / devices.length);
  return {
    compute: meanSeconds(devices.map((d) => d.computeNs)),
    computeByPass: meanSeconds(devices.map((d) => d.computeByPassNs), COMPUTE_PASSES),
    exposedComm: meanSeconds(devices.map((d) => d.commNs)),
    imbalanceWait: mean((d) => d.waitNs),
    pipelineBubble: mean((d) => d.bubbleNs),
    overlapSlowdown: mean((d) => d.overlapSlowdownNs),
    idleAtEnd: mean((d) => stepTimeNs - d.finishNs),
  };
}

function criticalPathSeconds(p: NonNullable<ExecutionResult['criticalPath']>): NonNullable<Summary['criticalPath']> {
  const seconds = (r: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.keys(r).sort().map((k) => [k, nsToSeconds(r[k]!)]));
  const total = [...Object.values(p.computeNs), ...Object.values(p.commNs)].reduce((a, b) => a + b, 0) + p.gapNs;
  const byPass = Object.fromEntries(COMPUTE_PASSES.filter((k) => p.computeByPassNs[k] !== undefined).map((k) => [k, nsToSeconds(p.computeByPassNs[k]!)]));
  return { endDevice: p.device, length_s: nsToSeconds(total), compute: seconds(p.computeNs), computeByPass: byPass, comm: seconds(p.commNs), segments: p.segments };
}

/** Mean over devices of a per-device record of durations, in seconds, keys sorted (or in `order`, then sorted). */
function meanSeconds(records: Record<string, number>[], order: readonly string[] = []): Record<string, number> {
  const present = new Set(records.flatMap((r) => Object.keys(r)));
  const keys = [...order.filter((k) => present.has(k)), ...[...present].filter((k) => !order.includes(k)).sort()];
  return Object.fromEntries(keys.map((k) => [k, nsToSeconds(records.reduce((s, r) => s + (r[k] ?? 0), 0) / records.length)]));
}

/** What the router decided over the step, summed over micro-batches: per MoE layer, the tokens kept per expert. */
function routingTotals(model: ModelSpec, routed: StepRouting) {
  const moeLayers: number[] = [];
  const tokensPerExpert: number[][] = [];
  let proposed = 0;
  let dropped = 0;
  let auxLoss = 0;
  let capacity = 0;
  for (let l = 0; l < model.layers; l++) {
    const perMb = routed.routing.map((mb) => mb[l]).filter((r) => r !== undefined);
    if (perMb.length === 0) continue;
    moeLayers.push(l);
    const counts = new Array<number>(model.experts).fill(0);
    for (const r of perMb) {
      r.keptPerExpert.forEach((c, e) => (counts[e] = (counts[e] ?? 0) + c));
      proposed += r.proposedPairs;
      dropped += r.droppedPairs;
      auxLoss += r.losses.aux ?? 0;
      capacity = Math.max(capacity, r.capacity);
    }
    tokensPerExpert.push(counts);
  }
  return { moeLayers, tokensPerExpert, proposed, dropped, auxLoss, capacity };
}

/** The index of the first item with the largest key. */
function argMax<T>(items: readonly T[], key: (item: T) => number): number {
  let best = 0;
  items.forEach((item, i) => { if (key(item) > key(items[best]!)) best = i; });
  return best;
}

/** Bytes carried per link kind (links that carried nothing are left out). */
function linkBytesByKindOf(cluster: ResolvedScenario['cluster'], linkBytes: ExecutionResult['linkBytes']): Record<string, number> {
  const byKind: Record<string, number> = {};
  linkBytes.forEach((bytes, id) => {
    const kind = cluster.links[id]?.kind ?? 'unknown';
    if (bytes > 0) byKind[kind] = (byKind[kind] ?? 0) + bytes;
  });
  return byKind;
}

const sortedByKey = <V>(record: Record<string, V>): Record<string, V> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The run's summary. `executedFlops` is the FLOPs every device's kernels executed (workloads' executedFlops of the
 * step program): the hardware-FLOPs utilisation's numerator.
 */
export function buildSummary(resolved: ResolvedScenario, routed: StepRouting, exec: ExecutionResult, memory: MemoryBreakdown[], executedFlops: number): Summary {
  const { scenario, model, layout, cluster } = resolved;
  const stepTime = nsToSeconds(exec.stepTimeNs);
  const tokensPerStep = layout.globalBatch * model.seqLength;
  const peak = cluster.chip.peakFlopsBf16.value;
  const { moeLayers, tokensPerExpert, proposed, dropped, auxLoss, capacity } = routingTotals(model, routed);
  // Experts per token the router chose (proposed assignments per token per MoE layer, before capacity drops): the
  // model's nominal work, as papers count it. A merged router (MEO) runs one merged expert per token whatever k it
  // merged (the merge is memory-bound overhead, not model FLOPs). What really ran (kept experts, recompute) is the
  // hardware count below.
  const expertsPerToken = resolved.router.execution === 'merged' ? 1 : moeLayers.length > 0 ? proposed / (tokensPerStep * moeLayers.length) : model.topK;
  const flopsPerToken = trainingFlopsPerToken(model, expertsPerToken);
  const loads = tokensPerExpert.flat();
  const meanLoad = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
  const maxLoad = Math.max(0, ...tokensPerExpert.map((row) => Math.max(...row)));

  const worst = argMax(memory, (m) => m.total);
  const worstMemory = memory[worst]!;
  const hbmBytes = cluster.chip.hbmBytes.value;
  const reserveBytes = memoryReserveBytes(cluster.chip);
  const verdict = memoryVerdict(worstMemory, hbmBytes, reserveBytes);
  const critical = argMax(exec.devices, (d) => d.finishNs);
  const linkBytesByKind = linkBytesByKindOf(cluster, exec.linkBytes);

  const params = countParams(model);
  return {
    stepTime_s: stepTime,
    tokensPerSecond: tokensPerStep / stepTime,
    mfu: (flopsPerToken * tokensPerStep) / (stepTime * layout.devices * peak),
    devices: layout.devices,
    tokensPerExpert,
    droppedTokens: dropped,
    commBytes: exec.commBytes,
    peakMemoryBytes: worstMemory.total,
    router: resolved.router.name,
    seed: scenario.seed,
    hfu: executedFlops / (stepTime * layout.devices * peak),
    flops: {
      modelPerToken: flopsPerToken, modelPerStep: flopsPerToken * tokensPerStep, executedPerStep: executedFlops, peakPerDevice: peak,
      peakBasis: `dense BF16 peak of one ${cluster.chip.name} (catalog peakFlopsBf16)`,
      computeBasis: cluster.chip.computeBasis,
    },
    scenario: scenario.name,
    routerParams: resolved.router.params,
    cluster: { preset: scenario.cluster.preset, servers: scenario.cluster.servers, chip: cluster.chip.name, network: scenario.cluster.network, fabric: cluster.fabric.topology },
    model: { name: model.name, totalParams: params.total, activeParamsPerToken: params.activePerToken, expertsPerToken, trainingFlopsPerToken: flopsPerToken },
    parallelism: {
      tp: layout.tp, pp: layout.pp, vpp: layout.vpp, schedule: pipelineScheduleFor(layout).name, dp: layout.dp, ep: layout.ep, expertTp: layout.expertTp, microBatchSize: layout.microBatchSize, globalBatch: layout.globalBatch, microBatches: layout.microBatches,
      sequenceParallel: layout.sequenceParallel, zero: layout.zero, offloadOptimizer: layout.offloadOptimizer, recompute: layout.recompute, selectiveRecompute: [...layout.recomputed], overlapGradReduce: layout.overlapGradReduce, tpCommOverlap: layout.tpCommOverlap, epCommOverlap: layout.epCommOverlap, epAllToAll: layout.epAllToAll, epAllToAllChunks: layout.epAllToAllChunks, expertPlacement: layout.expertPlacement,
      stageLayers: layout.stageLayers, gradientsInFp32: layout.gradientsInFp32,
    },
    tokensPerStep,
    moeLayers,
    proposedAssignments: proposed,
    droppedFraction: proposed > 0 ? dropped / proposed : 0,
    expertCapacity: capacity,
    maxOverMeanExpertLoad: meanLoad > 0 ? maxLoad / meanLoad : 0,
    auxLoss: moeLayers.length > 0 ? auxLoss / (moeLayers.length * layout.microBatches) : 0,
    breakdown_s: breakdownOf(exec.devices, exec.stepTimeNs),
    criticalDevice: { device: critical, ...breakdownOf([exec.devices[critical]!], exec.stepTimeNs) },
    ...(exec.criticalPath ? { criticalPath: criticalPathSeconds(exec.criticalPath) } : {}),
    commBytesByCategory: sortedByKey(exec.commBytesByCategory),
    collectiveAlgorithms: sortedByKey(exec.algorithms),
    linkBytesByKind: sortedByKey(linkBytesByKind),
    busiestLinks: exec.links.slice(0, 5),
    precision: { linear: resolved.precision.linear, dispatch: resolved.precision.dispatch },
    memory: { ...worstMemory, device: worst, hbmBytes, reserveBytes, fits: worstMemory.total <= hbmBytes - reserveBytes, ...(verdict ? { verdict } : {}) },
    routing: {
      backend: routed.backend.active, tokenSource: routed.tokenSource, decisionsComputed: routed.decisionsComputed, decisionsResampled: routed.decisionsResampled,
      sampledGroups: routed.sampledGroups, sampledGroupSize: routed.sampledGroupSize, warmupSteps: routed.warmupStepsRun,
    },
    engine: { events: exec.eventsProcessed },
  };
}
