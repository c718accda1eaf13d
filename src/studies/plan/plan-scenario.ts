// One planned configuration as a scenario: the point searched (system, size, layout, router), the routing sample it
// needs, the top-k it runs at, and the scenario object a worker simulates — on the analytical network model while
// searching (recording its routing, or replaying another configuration's with the same routing inputs,
// plan-routing-key.ts), or on the flow model when re-run (replaying that routing, which does not depend on the
// network model, so the re-run skips tfjs and the token source).
import { InputError } from '../../engine/index.ts';
import { routerExecution, routerExpertsPerToken } from '../../routing/index.ts';
import type { ChipSpec, NetworkModelName, SystemSpec } from '../../topology/index.ts';
import type { ModelSpec } from '../../workloads/index.ts';
import { parseRouterList, placementClassCount } from '../../sim/index.ts';
import type { LayoutChoice } from './plan-candidates.ts';
import type { Plan } from './plan-schema.ts';

export interface PlanPoint {
  system: SystemSpec;
  chip: ChipSpec;
  /** Index of the candidate in plan.candidates. */
  candidate: number;
  devices: number;
  /** The layout it runs. */
  layout: LayoutChoice;
  /** The layout the search chose, when the router changed it (a merged router runs it with ep = 1). */
  searchedLayout?: LayoutChoice;
  router: string;
}

/** Routing budget when the plan file sets none: one whole group per placement class, one micro-batch routed. */
const DEFAULT_SAMPLED_MICRO_BATCHES = 1;

/**
 * Tokens per (layer, micro-batch) to route for real: the plan's `routing.sampleTokensPerLayer`, raised to one whole
 * routing group (microBatchSize × seqLength tokens) per placement class when it holds less, so capacity binds as in
 * the real step (DESIGN.md, "Full-scale routing"); one whole group per class when the plan sets no budget.
 */
export function routingSampleTokens(plan: Plan, model: ModelSpec, p: PlanPoint): { tokens: number; wholeGroups: number } {
  const wholeGroups = placementClassCount(p.layout.ep, p.layout.tp, p.system.devicesPerServer) * p.layout.microBatchSize * model.seqLength;
  const given = plan.routing?.sampleTokensPerLayer;
  return { tokens: Math.max(given ?? 0, wholeGroups), wholeGroups };
}

/**
 * A configuration under `router`. A merged router (MEO) runs each token's merged expert on the token's own device, so
 * every device holds every expert: its layout has ep = 1 whatever the search chose (memory then says if it fits).
 */
/** The router the layout search runs: the first listed that dispatches tokens (a merged router forces ep = 1). */
export function searchRouter(routers: readonly string[]): string {
  const isMerged = (r: string): boolean => routerExecution(parseRouterList(r, 'routers')[0]?.name ?? r) === 'merged';
  return routers.find((r) => !isMerged(r)) ?? routers[0]!;
}

export function pointWithRouter(p: PlanPoint, router: string): PlanPoint {
  const name = parseRouterList(router, 'routers')[0]?.name ?? router;
  const searched = p.searchedLayout ?? p.layout;
  if (routerExecution(name) !== 'merged' || searched.ep === 1) return { ...p, router, layout: searched, searchedLayout: undefined };
  return { ...p, router, layout: { ...searched, ep: 1 }, searchedLayout: searched };
}

/** Experts per token of each router the plan lists, on the model (undefined: varies per token). */
export function routerTopKs(plan: Plan, model: ModelSpec): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  for (const [i, router] of plan.routers.entries()) {
    const [choice] = parseRouterList(router, `routers.${i}`);
    try {
      out.set(router, routerExpertsPerToken(choice?.name ?? router, choice?.overrides ?? {}, model.topK));
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`routers.${i}: "${router}": ${err.message}`, `routers.${i}`);
      throw err;
    }
  }
  return out;
}

/**
 * The note a row carries when its router sends tokens to another number of experts than the model's top-k ("top-1
 * router on a top-2 model"), or a varying number; undefined when it keeps the model's top-k.
 */
export function topKNote(modelTopK: number, routerTopK: number | undefined, measured: number): string | undefined {
  if (routerTopK === modelTopK) return undefined;
  if (routerTopK !== undefined) return `top-${routerTopK} router on a top-${modelTopK} model`;
  return `${measured.toFixed(2)} experts per token on average (varies per token) on a top-${modelTopK} model`;
}

export interface ScenarioRun {
  network: NetworkModelName;
  /** Record this run's routing into a trace directory, or replay one recorded by an earlier run. */
  routing: { record: string } | { replay: string };
}

export function planScenario(plan: Plan, model: ModelSpec, p: PlanPoint, run: ScenarioRun): unknown {
  const [choice] = parseRouterList(p.router, 'routers');
  const { tp, pp, dp, ep, sequenceParallel, zero, recompute, microBatchSize, globalBatch } = p.layout;
  const base = plan.routing ?? { sampledMicroBatches: DEFAULT_SAMPLED_MICRO_BATCHES };
  return {
    version: 1,
    name: `${plan.name}-${p.system.name}-${p.devices}`.toLowerCase(),
    seed: plan.seed,
    cluster: { preset: p.system.name, servers: p.devices / p.system.devicesPerServer, network: run.network },
    model: plan.model,
    parallelism: { tp, pp, dp, ep, sequenceParallel, zero, recompute, microBatchSize, globalBatch },
    router: { ...(choice?.overrides ?? {}), name: choice?.name ?? p.router },
    tokens: plan.tokensSource ?? { source: 'synthetic' },
    routing: { ...base, sampleTokensPerLayer: routingSampleTokens(plan, model, p).tokens, ...run.routing },
    output: { trace: false },
  };
}
