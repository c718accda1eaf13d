// Step benchmark (`moesim bench step`): one full training step of a DeepSeek-V3-like model at N devices. The
// scenario: Atlas 800T A2 servers (8 × 910B3, two-tier fat-tree), DeepSeek-V3 with 64 layers (61 does not split
// over 16 stages; the first 3 stay dense), TP 1, PP min(16, N/8), EP min(64, DP), DP = N / PP, ZeRO-1,
// sequence 4096, one sequence per micro-batch and as many micro-batches as stages (M = PP). Routing is Hash top-8
// (token ids through a fixed hash: Zipf-skewed loads without a 7168 × 256 gate matmul per layer) on 2,048 tokens
// per MoE layer of one micro-batch, resampled to the step (routing_s, timed apart: most of it is generating the
// 7168-wide token features). wall_s is what the benchmark is about: building the step program and running it on
// the engine with the chosen network model. The heap is collected between the two (collectGarbage), so routing's
// garbage is not collected inside the timed part.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { NetworkModelName } from '../../topology/index.ts';
import { buildStepProgram } from '../../workloads/index.ts';
import { runStepProgram } from '../../execute/index.ts';
import { resolveScenario, routeStep, stepProgramInput, validateScenarioObject } from '../../sim/index.ts';

export interface StepBenchOptions {
  devices: number;
  network: NetworkModelName;
}

export interface StepBenchResult {
  devices: number;
  network: NetworkModelName;
  /** Wall time of building the step program and running it on the engine, seconds. */
  wall_s: number;
  simulatedStepTime_s: number;
  /** Wall time of routing (tfjs on the sample, plus resampling), seconds; not part of wall_s. */
  routing_s: number;
  layout: { tp: number; pp: number; dp: number; ep: number; microBatches: number };
  tasks: number;
  collectives: number;
  events: number;
}

/** Device counts the benchmark's layout divides evenly: powers of two from 16 (PP divides 64 layers, EP divides DP and 256 experts). */
export function isStepBenchDeviceCount(devices: number): boolean {
  return Number.isSafeInteger(devices) && devices >= 16 && (devices & (devices - 1)) === 0;
}

/** The benchmark's scenario for N devices (a power of two, at least 16). */
export function stepBenchScenario(devices: number, network: NetworkModelName): unknown {
  if (!isStepBenchDeviceCount(devices)) throw new RangeError(`bench step: devices must be a power of two, at least 16 (got ${devices})`);
  const pp = Math.min(16, devices / 8);
  const dp = devices / pp;
  const ep = Math.min(64, dp);
  return {
    version: 1,
    name: `bench-step-${devices}`,
    seed: 1,
    cluster: { preset: 'atlas-800t-a2', servers: devices / 8, network },
    model: { preset: 'deepseek-v3', overrides: { layers: 64 } },
    parallelism: { tp: 1, pp, dp, ep, zero: 1, microBatchSize: 1, globalBatch: dp * pp },
    router: { name: 'hash', k: 8 },
    tokens: { source: 'synthetic', clusters: 16, zipfExponent: 1, spread: 1, layerDrift: 0.5 },
    routing: { sampleTokensPerLayer: 2048, sampledMicroBatches: 1 },
    output: { trace: false },
  };
}

/**
 * A full garbage collection now, as benchmark harnesses do before timing. V8 exposes `gc` only to contexts created
 * after --expose-gc is set, so the flag is set and a new context hands its `gc` back; false when that is refused.
 */
export function collectGarbage(): boolean {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return false;
    (gc as () => void)();
    return true;
  } catch {
    return false;
  }
}

export async function runStepBenchmark(options: StepBenchOptions): Promise<StepBenchResult> {
  const resolved = resolveScenario(validateScenarioObject(stepBenchScenario(options.devices, options.network), 'bench step'));
  const r0 = performance.now();
  const routed = await routeStep(resolved);
  const routingS = (performance.now() - r0) / 1000;
  collectGarbage();
  const t0 = performance.now();
  const program = buildStepProgram(stepProgramInput(resolved, routed.routing));
  const exec = runStepProgram(program, resolved.cluster, { network: options.network, recordSpans: false, recordLinkActivity: false, criticalPath: false });
  const wall = (performance.now() - t0) / 1000;
  const { tp, pp, dp, ep, microBatches } = resolved.layout;
  return {
    devices: options.devices,
    network: options.network,
    wall_s: Number(wall.toFixed(3)),
    simulatedStepTime_s: exec.stepTimeNs / 1e9,
    routing_s: Number(routingS.toFixed(3)),
    layout: { tp, pp, dp, ep, microBatches },
    tasks: program.tasks.reduce((s, t) => s + t.length, 0),
    collectives: program.collectives.length,
    events: exec.eventsProcessed,
  };
}
