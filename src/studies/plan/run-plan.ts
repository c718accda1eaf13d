// `moesim plan`: search cluster sizes, layouts and routers for each candidate system, simulate each configuration
// (one training step, full scale), price it, and keep only what fits in memory. Two stages keep the search small and
// fast on the analytical network model: stage 1 runs each (system, size)'s top-ranked layouts under the first
// router; stage 2 runs every router on each (system, size)'s fastest layout. Configurations whose routers see the
// same inputs route once and replay the recorded trace (plan-routing-key.ts; routing is most of a run's time).
// Stage 3 re-runs on the flow network model (contention between concurrent collectives counted) every
// configuration the plan shows or that could take the place of one, until the Pareto front, the bests and the
// scaling points are all flow figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../engine/index.ts';
import type { NetworkModelName } from '../../topology/index.ts';
import { getChip, getSystem, memoryReserveBytes, networkModel } from '../../topology/index.ts';
import type { ModelSpec } from '../../workloads/index.ts';
import { hasMoeLayers, loadModelPreset, modelPresetFields, modelSpecSchema } from '../../workloads/index.ts';
import type { Summary } from '../../sim/index.ts';
import { runTasks } from '../worker-pool/worker-pool.ts';
import type { PlanRunTask } from './plan-run-task.ts';
import { PLAN_RUN_TASKS } from './plan-run-task.ts';
import type { LayoutChoice } from './plan-candidates.ts';
import { candidateLayouts } from './plan-candidates.ts';
import type { CostBasis, DeviceCostFigures } from './plan-cost-figures.ts';
import { deviceCostFigures, usesAssumedFigure } from './plan-cost-figures.ts';
import type { PlanCosts } from './plan-costs.ts';
import { devicePriceInPlanCurrency, planCosts } from './plan-costs.ts';
import type { PlanPoint } from './plan-scenario.ts';
import { routingInputsKey } from './plan-routing-key.ts';
import { planScenario, pointWithRouter, routerTopKs, routingSampleTokens, searchRouter, topKNote } from './plan-scenario.ts';
import type { Plan } from './plan-schema.ts';
import { FLOW_RUNNER_UPS_PER_SYSTEM, bestPerSystemOf, paretoOf, shownOrContending } from './plan-selection.ts';

/** Layouts per (system, size) that stage 1 simulates. */
export const LAYOUTS_PER_SIZE = 3;

export interface PlannedConfig {
  system: string;
  chip: string;
  devices: number;
  layout: LayoutChoice;
  router: string;
  /** Network model of the figures below: `flow` for configurations re-run before showing them, else `analytical`. */
  network: NetworkModelName;
  stepTime_s: number;
  tokensPerSecond: number;
  mfu: number;
  /** What the chip's compute figures rest on (catalog computeBasis): the MFU's calibration, cited next to it. */
  computeBasis: string;
  peakMemoryBytes: number;
  /** The model's top-k, the router's experts per token (null when it varies per token), the run's measured mean. */
  expertsPerToken: { model: number; router: number | null; measured: number };
  /** Present when the router changes the model's experts per token, e.g. "top-1 router on a top-2 model". */
  topKNote?: string;
  /** Tokens routed for real per (layer, micro-batch), after raising the plan's budget to whole routing groups. */
  routingSampleTokens: number;
  /** Price (plan currency; null when rented) and watts of one device on the plan's cost basis. */
  device: { costBasis: CostBasis; price: number | null; watts: number; assumedFigures: boolean };
  costs: PlanCosts;
  /** A flow re-run's analytical figures, kept for comparison. */
  analytical?: { stepTime_s: number; tokensPerSecond: number; mfu: number; trainingDays: number; totalCost: number; energyKWh: number };
}

export interface PlanResult {
  plan: string;
  currency: string;
  tokens: number;
  deadlineDays: number;
  costBasis: CostBasis;
  /** Per candidate system: the device price and power charged, with their sources and whether they are estimates. */
  costFigures: Record<string, DeviceCostFigures>;
  /** Every simulated configuration that fits in memory, in search order. */
  configs: PlannedConfig[];
  /** Indices into configs: the Pareto front over (trainingDays, totalCost, energyKWh). */
  pareto: number[];
  /** Per system: the cheapest configuration that meets the deadline, else the fastest; undefined if none fits. */
  bestPerSystem: Record<string, number | undefined>;
  /** The same among configurations whose router keeps the model's top-k (no topKNote); undefined if none. */
  bestKeepingTopK: Record<string, number | undefined>;
  /** Configurations simulated but left out because they do not fit in memory, and sizes with no layout at all. */
  rejected: { system: string; devices: number; layout?: LayoutChoice; router: string; reason: string }[];
  /** What the reader should know about how the plan ran (raised routing samples, flow re-runs). */
  notes: string[];
}

export interface PlanOptions {
  workers?: number;
  /** Route configurations with the same routing inputs once (default true; exact, false only to test that). */
  shareRouting?: boolean;
  /** Stage 1: layouts, 2: routers, 3: flow re-runs (its total grows if the front changes). */
  onProgress?: (done: number, total: number, stage: 1 | 2 | 3) => void;
}

interface Simulated { point: PlanPoint; summary: Summary; traceDir: string }

function modelOf(plan: Plan): ModelSpec {
  const model = loadModelPreset(plan.model.preset);
  // The same merge and cross-field checks a scenario's model gets (every candidate's scenario is validated again).
  const merged = modelSpecSchema.safeParse(plan.model.overrides ? { ...modelPresetFields(plan.model.preset), ...plan.model.overrides } : model);
  if (!merged.success) throw new InputError(`model.overrides: ${merged.error.issues[0]?.path.join('.') ?? ''}: ${merged.error.issues[0]?.message ?? 'invalid'}`, 'model.overrides');
  return merged.data;
}

async function simulate(tasks: PlanRunTask[], options: PlanOptions, stage: 1 | 2 | 3, progress = { done: 0, total: tasks.length }): Promise<Summary[]> {
  const results = await runTasks(PLAN_RUN_TASKS, tasks, options.workers ?? 1, () => options.onProgress?.(++progress.done, progress.total, stage));
  return results.map((r) => (r as { summary: Summary }).summary); // without onError every slot is filled or runTasks threw
}

/** Stage 1's points: the top layouts of each (system, size) under `router` (searchRouter's choice). */
function stageOne(plan: Plan, model: ModelSpec, router: string, rejected: PlanResult['rejected']): PlanPoint[] {
  const points: PlanPoint[] = [];
  for (const [candidate, c] of plan.candidates.entries()) {
    const system = getSystem(c.system);
    const chip = getChip(system.chip);
    for (const devices of plan.devices) {
      if (devices % system.devicesPerServer !== 0) {
        throw new InputError(`devices: ${devices} is not a whole number of ${system.name} servers (${system.devicesPerServer} devices each)`, 'devices');
      }
      const layouts = candidateLayouts(model, devices, system.devicesPerServer, plan.globalBatch, chip.hbmBytes.value - memoryReserveBytes(chip)).slice(0, LAYOUTS_PER_SIZE);
      if (layouts.length === 0) rejected.push({ system: system.name, devices, router, reason: 'no layout fits in memory (lower bound)' });
      const seen = new Set<string>(); // a merged router's ep = 1 can make two layouts one
      for (const layout of layouts) {
        const point = pointWithRouter({ system, chip, candidate, devices, layout, router: '' }, router);
        const key = JSON.stringify(point.layout);
        if (!seen.has(key)) points.push(point);
        seen.add(key);
      }
    }
  }
  return points;
}

/** Notes on routing samples raised to whole groups, one per distinct raised budget. */
function samplingNotes(plan: Plan, model: ModelSpec, points: readonly PlanPoint[]): string[] {
  const given = plan.routing?.sampleTokensPerLayer;
  const raised = new Map<number, number>();
  for (const p of points) {
    const { tokens } = routingSampleTokens(plan, model, p);
    if (given === undefined || tokens > given) raised.set(tokens, (raised.get(tokens) ?? 0) + 1);
  }
  if (raised.size === 0) return [];
  const counts = [...raised].sort((a, b) => a[0] - b[0]).map(([t, n]) => `${t.toLocaleString('en-US')} tokens for ${n}`).join(', ');
  const why = `one whole routing group (microBatchSize × seqLength = ${model.seqLength.toLocaleString('en-US')} tokens) per placement class, so capacity binds as in the real step`;
  return [given === undefined
    ? `routing.sampleTokensPerLayer not set: each configuration routes ${why}: ${counts} of ${points.length} configurations`
    : `routing.sampleTokensPerLayer ${given.toLocaleString('en-US')} raised to ${why}: ${counts} of ${points.length} configurations`];
}

/** What the analytical stages share: the plan, its model, the options, and the routing traces recorded so far. */
interface AnalyticalContext {
  plan: Plan;
  model: ModelSpec;
  options: PlanOptions;
  traceRoot: string;
  /** Routing inputs key → the trace directory that holds its routing. */
  recorded: Map<string, string>;
}

/**
 * Simulate `points` on the analytical network: first the configurations with new routing inputs, recording their
 * routing; then the rest, replaying the trace of one with the same inputs.
 */
async function simulateAnalytical(ctx: AnalyticalContext, points: PlanPoint[], stage: 1 | 2): Promise<Simulated[]> {
  const { plan, model, options, traceRoot, recorded } = ctx;
  const traceDirs: string[] = [];
  const firsts: number[] = [];
  const repeats: number[] = [];
  points.forEach((p, i) => {
    const own = join(traceRoot, `stage${stage}-${i}`);
    const key = options.shareRouting === false ? own : routingInputsKey(planScenario(plan, model, p, { network: 'analytical', routing: { record: own } }), `plan ${p.system.name} × ${p.devices}`);
    const dir = recorded.get(key);
    if (dir === undefined) recorded.set(key, own);
    (dir === undefined ? firsts : repeats).push(i);
    traceDirs[i] = dir ?? own;
  });
  const run = (indices: number[], routing: (dir: string) => { record: string } | { replay: string }): PlanRunTask[] => indices.map((i) => {
    const p = points[i]!;
    return { scenario: planScenario(plan, model, p, { network: 'analytical', routing: routing(traceDirs[i]!) }), label: `plan ${p.system.name} × ${p.devices}` };
  });
  const progress = { done: 0, total: points.length };
  const summaries: Summary[] = [];
  const first = await simulate(run(firsts, (record) => ({ record })), options, stage, progress);
  firsts.forEach((i, k) => (summaries[i] = first[k]!));
  const again = await simulate(run(repeats, (replay) => ({ replay })), options, stage, progress);
  repeats.forEach((i, k) => (summaries[i] = again[k]!));
  return points.map((point, i) => ({ point, summary: summaries[i]!, traceDir: traceDirs[i]! }));
}

/** Each (system, size)'s fastest layout that fits in memory. */
function fastestFittingPerSize(simulated: readonly Simulated[]): Simulated[] {
  const best = new Map<string, Simulated>();
  for (const s of simulated) {
    const key = `${s.point.system.name}/${s.point.devices}`;
    const prev = best.get(key);
    if (s.summary.memory.fits && (prev === undefined || s.summary.stepTime_s < prev.summary.stepTime_s)) best.set(key, s);
  }
  return [...best.values()];
}

/** The configurations that fit, with their figures and costs; the others go to `rejected` with the memory verdict. */
function plannedConfigs(plan: Plan, model: ModelSpec, topKs: ReadonlyMap<string, number | undefined>, all: readonly Simulated[], figures: readonly DeviceCostFigures[], rejected: PlanResult['rejected']) {
  const configs: PlannedConfig[] = [];
  const simulated: Simulated[] = [];
  // A dense model has no top-k to change: no router note, and every router counts as keeping it.
  const moe = hasMoeLayers(model);
  for (const s of all) {
    const { point: p, summary } = s;
    if (!summary.memory.fits) {
      rejected.push({ system: p.system.name, devices: p.devices, layout: p.layout, router: p.router, reason: summary.memory.verdict ?? 'does not fit' });
      continue;
    }
    const routerK = topKs.get(p.router);
    const f = figures[p.candidate]!;
    const note = moe ? topKNote(model.topK, routerK, summary.model.expertsPerToken) : undefined;
    configs.push({
      system: p.system.name, chip: p.chip.name, devices: p.devices, layout: p.layout, router: p.router, network: 'analytical',
      ...figuresOf(plan, p, f, summary),
      expertsPerToken: { model: model.topK, router: routerK ?? null, measured: summary.model.expertsPerToken }, ...(note ? { topKNote: note } : {}),
      routingSampleTokens: routingSampleTokens(plan, model, p).tokens,
      device: { costBasis: plan.costBasis, price: devicePriceInPlanCurrency(plan, f) ?? null, watts: f.watts.value, assumedFigures: usesAssumedFigure(f) },
    });
    simulated.push(s);
  }
  return { configs, simulated };
}

export async function runPlan(plan: Plan, options: PlanOptions = {}): Promise<PlanResult> {
  const model = modelOf(plan);
  const topKs = routerTopKs(plan, model);
  const figures = plan.candidates.map((_, i) => deviceCostFigures(plan, i));
  const rejected: PlanResult['rejected'] = [];
  const traceRoot = mkdtempSync(join(tmpdir(), 'moesim-plan-traces-'));
  try {
    const ctx: AnalyticalContext = { plan, model, options, traceRoot, recorded: new Map() };
    const searched = searchRouter(plan.routers);
    const stage1 = await simulateAnalytical(ctx, stageOne(plan, model, searched, rejected), 1);
    // Stage 2: every other router on each (system, size)'s fastest layout that fits.
    const others = plan.routers.filter((r) => r !== searched);
    const stage2 = await simulateAnalytical(ctx, fastestFittingPerSize(stage1).flatMap((s) => others.map((router) => pointWithRouter(s.point, router))), 2);
    const all = [...stage1, ...stage2];
    const { configs, simulated } = plannedConfigs(plan, model, topKs, all, figures, rejected);
    const systems = plan.candidates.map((c) => c.system);
    const reruns = await rerunOnFlow(plan, model, configs, simulated, systems, figures, options);
    const costFigures: Record<string, DeviceCostFigures> = {};
    plan.candidates.forEach((c, i) => (costFigures[c.system] = figures[i]!));
    const notes = [
      ...samplingNotes(plan, model, all.map((s) => s.point)),
      `routed ${ctx.recorded.size} distinct sets of routing inputs for ${all.length} configurations; the other ${all.length - ctx.recorded.size} replay the trace of one with the same inputs (exact)`,
      `${reruns} of ${configs.length} configurations re-run on the flow network model, which counts contention between concurrent collectives: the Pareto front, each system's best (also keeping the model's top-k) and next ${FLOW_RUNNER_UPS_PER_SYSTEM}, and each system's fastest per size; the rest keep the analytical search's figures (plan.csv's network column)`,
    ];
    return {
      plan: plan.name, currency: plan.currency, tokens: plan.tokens, deadlineDays: plan.deadlineDays, costBasis: plan.costBasis, costFigures,
      configs, pareto: paretoOf(configs), bestPerSystem: bestPerSystemOf(configs, systems), bestKeepingTopK: bestPerSystemOf(configs, systems, true), rejected, notes,
    };
  } finally {
    rmSync(traceRoot, { recursive: true, force: true });
  }
}

function figuresOf(plan: Plan, p: PlanPoint, f: DeviceCostFigures, s: Summary): Pick<PlannedConfig, 'stepTime_s' | 'tokensPerSecond' | 'mfu' | 'computeBasis' | 'peakMemoryBytes' | 'costs'> {
  return {
    stepTime_s: s.stepTime_s, tokensPerSecond: s.tokensPerSecond, mfu: s.mfu, computeBasis: s.flops.computeBasis, peakMemoryBytes: s.peakMemoryBytes,
    costs: planCosts(plan, plan.candidates[p.candidate] as Plan['candidates'][number], f, p.devices, s.tokensPerSecond, s.stepTime_s),
  };
}

/**
 * Re-run on the flow model, replaying each one's recorded routing, every configuration shown or contending
 * (plan-selection.ts), again until that set holds only flow figures. Updates `configs` in place; returns how many.
 */
async function rerunOnFlow(
  plan: Plan, model: ModelSpec, configs: PlannedConfig[], simulated: readonly Simulated[], systems: readonly string[], figures: readonly DeviceCostFigures[], options: PlanOptions,
): Promise<number> {
  const progress = { done: 0, total: 0 };
  let reruns = 0;
  for (;;) {
    // Configurations whose figures still come from a model without contention.
    const todo = shownOrContending(configs, systems).filter((i) => !networkModel((configs[i] as PlannedConfig).network).capabilities.contention);
    if (todo.length === 0) return reruns;
    progress.total += todo.length;
    const tasks = todo.map((i): PlanRunTask => {
      const s = simulated[i] as Simulated;
      return { scenario: planScenario(plan, model, s.point, { network: 'flow', routing: { replay: s.traceDir } }), label: `plan ${s.point.system.name} × ${s.point.devices} (flow)` };
    });
    const summaries = await simulate(tasks, options, 3, progress);
    todo.forEach((i, k) => {
      const c = configs[i] as PlannedConfig;
      const s = simulated[i] as Simulated;
      const analytical = { stepTime_s: c.stepTime_s, tokensPerSecond: c.tokensPerSecond, mfu: c.mfu, trainingDays: c.costs.trainingDays, totalCost: c.costs.totalCost, energyKWh: c.costs.energyKWh };
      configs[i] = { ...c, network: 'flow', ...figuresOf(plan, s.point, figures[s.point.candidate] as DeviceCostFigures, summaries[k] as Summary), analytical };
    });
    reruns += todo.length;
  }
}
