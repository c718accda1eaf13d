// `compare`: run one scenario under several routers, with the scenario's token source and seed (so every router
// sees identical token features), and reduce each run to one row: step time, throughput, MFU, expert load,
// drops, all-to-all bytes and exposed time, peak memory, and the speed-up against the first router.
// Pure composition: no file output (src/report writes compare.csv and compare.json).
import { InputError } from '../../engine/index.ts';
import type { ProgressCallback, ResolvedRouterChoice, ResolvedScenario, RouterChoice, Scenario, Summary } from '../../sim/index.ts';
import { parseRouterList, resolveRouterChoices, resolveScenario, runScenario } from '../../sim/index.ts';

/** The expert-parallel all-to-alls: dispatch before the experts, combine after (forward and backward). */
export const ALL_TO_ALL_CATEGORIES = ['ep-dispatch', 'ep-combine'] as const;

/** One router's row of the comparison (METRICS.md, "moesim compare"). */
export interface CompareRow {
  /** The router as listed (`switch:capacityFactor=1.1`). */
  router: string;
  /** Registry name. */
  name: string;
  /** Parameters it ran with, defaults filled in. */
  params: Record<string, unknown>;
  stepTime_s: number;
  tokensPerSecond: number;
  /** Model-FLOPs utilisation (the papers' convention). */
  mfu: number;
  /** Hardware-FLOPs utilisation: executed kernel FLOPs (kept experts, recompute). */
  hfu: number;
  maxOverMeanExpertLoad: number;
  droppedTokens: number;
  proposedAssignments: number;
  droppedFraction: number;
  /** ep-dispatch + ep-combine bytes whose two ends are in the same server. */
  allToAllIntraServerBytes: number;
  /** ep-dispatch + ep-combine bytes between servers. */
  allToAllInterServerBytes: number;
  /** Mean over devices of the exposed time in ep-dispatch + ep-combine. */
  exposedAllToAll_s: number;
  peakMemoryBytes: number;
  /** Step time of the first router / step time of this one (> 1: faster than the first). */
  speedup: number;
}

export interface CompareResult {
  scenario: string;
  seed: number;
  /** The first router: every speed-up is against it. */
  baseline: string;
  cluster: Summary['cluster'];
  devices: number;
  /** The scenario's model preset (the dense router runs its dense equivalent). */
  model: string;
  parallelism: Summary['parallelism'];
  /** The scenario's token source settings, shared by every router. */
  tokens: Scenario['tokens'];
  /** What the token source generated (the first router that routed says). */
  tokenSource: string;
  rows: CompareRow[];
  /** Each router's full run summary, in row order (not written by compare). */
  summaries: Summary[];
  /** Notes from the runs, prefixed with the router. */
  notes: string[];
}

export interface CompareOptions {
  /** Called before router `index` (0-based) of `count` starts routing. */
  onRouterStart?: (index: number, count: number, router: ResolvedRouterChoice) => void;
  /** Routing progress of the router that is running. */
  onRoutingProgress?: ProgressCallback;
  /** Called when router `index` has finished. */
  onRouterEnd?: (index: number, count: number, row: CompareRow) => void;
  /** Record link activity (default true; see RunOptions). The rows do not depend on it. */
  recordLinkActivity?: boolean;
  /** Record each run's critical path (default true; see RunOptions). The rows do not depend on it. */
  criticalPath?: boolean;
}

const sumOf = (record: Record<string, number>, keys: readonly string[]): number => keys.reduce((s, k) => s + (record[k] ?? 0), 0);

/** Reduce a run summary to a comparison row (speed-up against `baselineStep_s`). */
export function compareRow(choice: ResolvedRouterChoice, s: Summary, baselineStep_s: number): CompareRow {
  const a2a = ALL_TO_ALL_CATEGORIES.map((c) => s.commBytesByCategory[c]);
  return {
    router: choice.label,
    name: choice.name,
    params: s.routerParams,
    stepTime_s: s.stepTime_s,
    tokensPerSecond: s.tokensPerSecond,
    mfu: s.mfu,
    hfu: s.hfu,
    maxOverMeanExpertLoad: s.maxOverMeanExpertLoad,
    droppedTokens: s.droppedTokens,
    proposedAssignments: s.proposedAssignments,
    droppedFraction: s.droppedFraction,
    allToAllIntraServerBytes: a2a.reduce((t, b) => t + (b?.intraServer ?? 0), 0),
    allToAllInterServerBytes: a2a.reduce((t, b) => t + (b?.interServer ?? 0), 0),
    exposedAllToAll_s: sumOf(s.breakdown_s.exposedComm, ALL_TO_ALL_CATEGORIES),
    peakMemoryBytes: s.peakMemoryBytes,
    speedup: baselineStep_s / s.stepTime_s,
  };
}

/**
 * The scenario as each router runs it: the router block replaced, no trace spans. A replayed trace holds one
 * router's decisions, so it cannot be compared; recording is dropped (each router would overwrite the last).
 */
export function scenariosForRouters(scenario: Scenario, routers: readonly ResolvedRouterChoice[]): { resolved: ResolvedScenario[]; notes: string[] } {
  if (scenario.routing.replay !== undefined) {
    throw new InputError('routing.replay: compare routes every router live, but this scenario replays a recorded trace (one router\'s decisions); remove routing.replay', 'routing.replay');
  }
  const notes = scenario.routing.record !== undefined ? [`routing.record (${scenario.routing.record}) is ignored: compare does not record routing traces`] : [];
  const { record: _record, ...routing } = scenario.routing;
  const base: Scenario = { ...scenario, routing, output: { ...scenario.output, trace: false } };
  resolveScenario(base); // the scenario itself must be valid, whatever routers are compared
  const resolved = routers.map((r) => resolveScenario({ ...base, router: { name: r.name, ...r.params } }));
  return { resolved, notes };
}

/**
 * Run `scenario` under each router (a `--routers` list or RouterChoice objects) and return one row per router,
 * in the order given. Every input problem (unknown router, bad parameter, duplicate, empty list, a scenario
 * that replays a trace) is an InputError raised before anything runs.
 */
export async function compareRouters(scenario: Scenario, routers: string | readonly RouterChoice[], options: CompareOptions = {}): Promise<CompareResult> {
  const choices = resolveRouterChoices(scenario, typeof routers === 'string' ? parseRouterList(routers) : routers);
  const { resolved, notes } = scenariosForRouters(scenario, choices);
  const rows: CompareRow[] = [];
  const summaries: Summary[] = [];
  for (const [i, choice] of choices.entries()) {
    options.onRouterStart?.(i, choices.length, choice);
    // No traffic matrix: a comparison reports none (compare's page draws the breakdown and expert loads).
    const run = await runScenario(resolved[i] as ResolvedScenario, {
      onRoutingProgress: options.onRoutingProgress, recordTraffic: false,
      ...(options.recordLinkActivity === false ? { recordLinkActivity: false } : {}), ...(options.criticalPath === false ? { criticalPath: false } : {}),
    });
    for (const note of run.notes) if (!notes.includes(`${choice.label}: ${note}`)) notes.push(`${choice.label}: ${note}`);
    summaries.push(run.summary);
    const row = compareRow(choice, run.summary, (summaries[0] as Summary).stepTime_s);
    rows.push(row);
    options.onRouterEnd?.(i, choices.length, row);
  }
  const first = summaries[0] as Summary;
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    baseline: (choices[0] as ResolvedRouterChoice).label,
    cluster: first.cluster,
    devices: first.devices,
    model: scenario.model.preset,
    parallelism: first.parallelism,
    tokens: scenario.tokens,
    tokenSource: summaries.find((s) => s.routing.tokenSource !== 'none')?.routing.tokenSource ?? 'none',
    rows,
    summaries,
    notes,
  };
}
