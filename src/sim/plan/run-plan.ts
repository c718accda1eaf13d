// `moesim plan`: search cluster sizes, layouts and routers for each candidate system, simulate each configuration
// (one training step, full scale), price it, and keep only what fits in memory. Two stages keep the search small:
// stage 1 runs each (system, size)'s top-ranked layouts under the first router; stage 2 runs every router on
// each (system, size)'s fastest layout. The result lists every configuration with its costs, the Pareto front
// over (training days, total cost, energy), and the best configuration per system.
import { InputError } from '../../engine/index.ts';
import { getChip, getSystem } from '../../topology/index.ts';
import type { ChipSpec, SystemSpec } from '../../topology/index.ts';
import { loadModelPreset, modelSpecSchema } from '../../workloads/index.ts';
import { parseRouterList } from '../router-choices.ts';
import type { Summary } from '../summary.ts';
import type { WorkerTask } from '../workers/worker-tasks.ts';
import { runTasks } from '../workers/worker-tasks.ts';
import type { LayoutChoice } from './plan-candidates.ts';
import { candidateLayouts } from './plan-candidates.ts';
import type { PlanCosts } from './plan-costs.ts';
import { paretoIndices, planCosts } from './plan-costs.ts';
import type { Plan } from './plan-schema.ts';

/** Layouts per (system, size) that stage 1 simulates. */
export const LAYOUTS_PER_SIZE = 3;

export interface PlannedConfig {
  system: string;
  chip: string;
  devices: number;
  layout: LayoutChoice;
  router: string;
  stepTime_s: number;
  tokensPerSecond: number;
  mfu: number;
  peakMemoryBytes: number;
  costs: PlanCosts;
}

export interface PlanResult {
  plan: string;
  currency: string;
  tokens: number;
  deadlineDays: number;
  /** Every simulated configuration that fits in memory, in search order. */
  configs: PlannedConfig[];
  /** Indices into configs: the Pareto front over (trainingDays, totalCost, energyKWh). */
  pareto: number[];
  /** Per system: the cheapest configuration that meets the deadline, else the fastest; undefined if none fits. */
  bestPerSystem: Record<string, number | undefined>;
  /** Configurations simulated but left out because they do not fit in memory, and sizes with no layout at all. */
  rejected: { system: string; devices: number; layout?: LayoutChoice; router: string; reason: string }[];
}

export interface PlanOptions {
  workers?: number;
  onProgress?: (done: number, total: number, stage: 1 | 2) => void;
}

interface Point { system: SystemSpec; chip: ChipSpec; candidate: Plan['candidates'][number]; devices: number; layout: LayoutChoice; router: string }

function scenarioOf(plan: Plan, p: Point): unknown {
  const [choice] = parseRouterList(p.router, 'routers');
  const { tp, pp, dp, ep, sequenceParallel, zero, recompute, microBatchSize, globalBatch } = p.layout;
  return {
    version: 1,
    name: `${plan.name}-${p.system.name}-${p.devices}`.toLowerCase(),
    seed: plan.seed,
    cluster: { preset: p.system.name, servers: p.devices / p.system.devicesPerServer, network: 'analytical' },
    model: plan.model,
    parallelism: { tp, pp, dp, ep, sequenceParallel, zero, recompute, microBatchSize, globalBatch },
    router: { ...(choice?.overrides ?? {}), name: choice?.name ?? p.router },
    tokens: plan.tokensSource ?? { source: 'synthetic' },
    routing: plan.routing ?? { sampleTokensPerLayer: 512, sampledMicroBatches: 1 },
    output: { trace: false },
  };
}

async function simulate(plan: Plan, points: Point[], options: PlanOptions, stage: 1 | 2): Promise<Summary[]> {
  const tasks = points.map((p): WorkerTask => ({ kind: 'scenario', scenario: scenarioOf(plan, p), label: `plan ${p.system.name} × ${p.devices}` }));
  let done = 0;
  const results = await runTasks<{ summary: Summary }>(tasks, options.workers ?? 1, () => options.onProgress?.(++done, tasks.length, stage));
  return results.map((r) => (r as { summary: Summary }).summary); // without onError every slot is filled or runTasks threw
}

export async function runPlan(plan: Plan, options: PlanOptions = {}): Promise<PlanResult> {
  const model = loadModelPreset(plan.model.preset);
  // The same merge and cross-field checks a scenario's model gets (every candidate's scenario is validated again).
  const merged = modelSpecSchema.safeParse(plan.model.overrides ? { ...model, ...plan.model.overrides } : model);
  if (!merged.success) throw new InputError(`model.overrides: ${merged.error.issues[0]?.path.join('.') ?? ''}: ${merged.error.issues[0]?.message ?? 'invalid'}`, 'model.overrides');
  const modelSpec = merged.data;
  const rejected: PlanResult['rejected'] = [];
  const stage1: Point[] = [];
  for (const candidate of plan.candidates) {
    const system = getSystem(candidate.system);
    const chip = getChip(system.chip);
    for (const devices of plan.devices) {
      if (devices % system.devicesPerServer !== 0) {
        throw new InputError(`devices: ${devices} is not a whole number of ${system.name} servers (${system.devicesPerServer} devices each)`, 'devices');
      }
      const layouts = candidateLayouts(modelSpec, devices, system.devicesPerServer, plan.globalBatch, chip.hbmBytes.value).slice(0, LAYOUTS_PER_SIZE);
      if (layouts.length === 0) rejected.push({ system: system.name, devices, router: plan.routers[0] as string, reason: 'no layout fits in memory (lower bound)' });
      for (const layout of layouts) stage1.push({ system, chip, candidate, devices, layout, router: plan.routers[0] as string });
    }
  }
  const summaries1 = await simulate(plan, stage1, options, 1);
  // Stage 2: every other router on each (system, size)'s fastest layout that fits.
  const best = new Map<string, number>();
  summaries1.forEach((s, i) => {
    const key = `${(stage1[i] as Point).system.name}/${(stage1[i] as Point).devices}`;
    const prev = best.get(key);
    if (s.memory.fits && (prev === undefined || s.stepTime_s < (summaries1[prev] as Summary).stepTime_s)) best.set(key, i);
  });
  const stage2: Point[] = [...best.values()].flatMap((i) => plan.routers.slice(1).map((router) => ({ ...(stage1[i] as Point), router })));
  const summaries2 = await simulate(plan, stage2, options, 2);

  const configs: PlannedConfig[] = [];
  [...stage1, ...stage2].forEach((p, i) => {
    const s = (i < stage1.length ? summaries1[i] : summaries2[i - stage1.length]) as Summary;
    if (!s.memory.fits) {
      rejected.push({ system: p.system.name, devices: p.devices, layout: p.layout, router: p.router, reason: s.memory.verdict ?? 'does not fit' });
      return;
    }
    configs.push({
      system: p.system.name, chip: p.chip.name, devices: p.devices, layout: p.layout, router: p.router,
      stepTime_s: s.stepTime_s, tokensPerSecond: s.tokensPerSecond, mfu: s.mfu, peakMemoryBytes: s.peakMemoryBytes,
      costs: planCosts(plan, p.candidate, p.system, p.chip, p.devices, s.tokensPerSecond, s.stepTime_s),
    });
  });
  const pareto = paretoIndices(configs.map((c) => [c.costs.trainingDays, c.costs.totalCost, c.costs.energyKWh]));
  const bestPerSystem: Record<string, number | undefined> = {};
  for (const candidate of plan.candidates) {
    const mine = configs.map((c, i) => ({ c, i })).filter(({ c }) => c.system === candidate.system);
    const onTime = mine.filter(({ c }) => c.costs.meetsDeadline).sort((a, b) => a.c.costs.totalCost - b.c.costs.totalCost);
    const fastest = [...mine].sort((a, b) => a.c.costs.trainingDays - b.c.costs.trainingDays);
    bestPerSystem[candidate.system] = (onTime[0] ?? fastest[0])?.i;
  }
  return { plan: plan.name, currency: plan.currency, tokens: plan.tokens, deadlineDays: plan.deadlineDays, configs, pareto, bestPerSystem, rejected };
}
