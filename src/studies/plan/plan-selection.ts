// Which planned configurations the plan shows, and which it re-runs on the flow network model before showing them:
// the Pareto front over (training days, total cost, energy), the best configuration per system (the cheapest that
// meets the deadline, else the fastest) and the best among those that keep the model's top-k, each system's fastest
// configuration per cluster size (the scaling chart), and the runner-ups that could become a best if the flow model
// slowed it down. Pure functions of the configurations' figures; ties go to the earlier configuration (search
// order), so the choice is deterministic.
import { paretoIndices } from './plan-costs.ts';
import type { PlanCosts } from './plan-costs.ts';

/** What selection reads of a configuration. */
export interface Selectable {
  system: string;
  devices: number;
  costs: Pick<PlanCosts, 'trainingDays' | 'totalCost' | 'energyKWh' | 'meetsDeadline'>;
  /** Set when the router changes the model's experts per token. */
  topKNote?: string;
}

/** Runner-ups per system re-run on the flow model along with the best: the best could change among them. */
export const FLOW_RUNNER_UPS_PER_SYSTEM = 3;

export function paretoOf(configs: readonly Selectable[]): number[] {
  return paretoIndices(configs.map((c) => [c.costs.trainingDays, c.costs.totalCost, c.costs.energyKWh]));
}

/**
 * A system's configurations in the order the best is chosen: on time by cost, then late by training days. With
 * `keepTopK`, only those whose router keeps the model's top-k.
 */
export function rankForBest(configs: readonly Selectable[], system: string, keepTopK = false): number[] {
  const mine = configs.flatMap((c, i) => (c.system === system && !(keepTopK && c.topKNote !== undefined) ? [i] : []));
  const at = (i: number): Selectable => configs[i] as Selectable;
  const onTime = mine.filter((i) => at(i).costs.meetsDeadline).sort((a, b) => at(a).costs.totalCost - at(b).costs.totalCost || a - b);
  const late = mine.filter((i) => !at(i).costs.meetsDeadline).sort((a, b) => at(a).costs.trainingDays - at(b).costs.trainingDays || a - b);
  // With nothing on time the best is the fastest; otherwise the late ones only follow as runner-ups.
  return [...onTime, ...late];
}

export function bestPerSystemOf(configs: readonly Selectable[], systems: readonly string[], keepTopK = false): Record<string, number | undefined> {
  const best: Record<string, number | undefined> = {};
  for (const system of systems) best[system] = rankForBest(configs, system, keepTopK)[0];
  return best;
}

/** Per system, its fastest configuration at each cluster size (ties: cheaper, then earlier), by size. */
export function fastestPerSize(configs: readonly Selectable[]): Map<string, Map<number, number>> {
  const bySystem = new Map<string, Map<number, number>>();
  configs.forEach((c, i) => {
    const sizes = bySystem.get(c.system) ?? new Map<number, number>();
    const held = sizes.get(c.devices);
    const h = held === undefined ? undefined : configs[held];
    if (!h || c.costs.trainingDays < h.costs.trainingDays || (c.costs.trainingDays === h.costs.trainingDays && c.costs.totalCost < h.costs.totalCost)) sizes.set(c.devices, i);
    bySystem.set(c.system, sizes);
  });
  return bySystem;
}

/**
 * Every configuration the plan shows or that could take the place of one: the Pareto front, each system's best
 * (overall and keeping the model's top-k) with its next `runnerUps`, and each system's fastest per size. Sorted.
 */
export function shownOrContending(configs: readonly Selectable[], systems: readonly string[], runnerUps = FLOW_RUNNER_UPS_PER_SYSTEM): number[] {
  const out = new Set<number>(paretoOf(configs));
  for (const system of systems) {
    for (const keepTopK of [false, true]) for (const i of rankForBest(configs, system, keepTopK).slice(0, 1 + runnerUps)) out.add(i);
  }
  for (const sizes of fastestPerSize(configs).values()) for (const i of sizes.values()) out.add(i);
  return [...out].sort((a, b) => a - b);
}
