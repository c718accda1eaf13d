// What the paper cases read from an experiment's runs: speed-ups and time reductions between routers, the
// all-to-all share of the step, tokens per expert, idle experts and memory. Each takes the experiment's
// CompareResult (one row and one summary per router, in the experiment's router order).
import { InputError } from '../../engine/index.ts';
import type { CompareResult, CompareRow } from '../compare/compare-routers.ts';
import type { Summary } from '../../sim/index.ts';
import type { Measurements } from './validation-types.ts';

function indexOf(result: CompareResult, router: string): number {
  const i = result.rows.findIndex((r) => r.name === router || r.router === router);
  if (i < 0) throw new InputError(`validation: experiment ${result.scenario} has no router "${router}" (it ran ${result.rows.map((r) => r.router).join(', ')})`);
  return i;
}

export function rowOf(result: CompareResult, router: string): CompareRow {
  return result.rows[indexOf(result, router)] as CompareRow;
}

export function summaryOf(result: CompareResult, router: string): Summary {
  return result.summaries[indexOf(result, router)] as Summary;
}

/** Step time of `versus` / step time of `router` (> 1: `router` is faster). */
export async function speedup(m: Measurements, experiment: string, router: string, versus: string): Promise<number> {
  const r = await m.compare(experiment);
  return rowOf(r, versus).stepTime_s / rowOf(r, router).stepTime_s;
}

/** 1 − step time of `router` / step time of `versus`: how much shorter `router`'s step (or epoch) is. */
export async function timeReduction(m: Measurements, experiment: string, router: string, versus: string): Promise<number> {
  return 1 - 1 / (await speedup(m, experiment, router, versus));
}

/** Exposed all-to-all time (dispatch + combine, mean over devices) as a share of the step time. */
export async function allToAllShare(m: Measurements, experiment: string, router: string): Promise<number> {
  const row = rowOf(await m.compare(experiment), router);
  return row.exposedAllToAll_s / row.stepTime_s;
}

/** Mean tokens kept per expert per MoE layer over the step. */
export function meanTokensPerExpert(s: Summary): number {
  const loads = s.tokensPerExpert.flat();
  return loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
}

/** 1 − mean tokens per expert of `router` / that of `versus`. */
export async function tokensPerExpertReduction(m: Measurements, experiment: string, router: string, versus: string): Promise<number> {
  const r = await m.compare(experiment);
  return 1 - meanTokensPerExpert(summaryOf(r, router)) / meanTokensPerExpert(summaryOf(r, versus));
}

/** 1 − peak memory of `router` / that of `versus`. */
export async function memoryReduction(m: Measurements, experiment: string, router: string, versus: string): Promise<number> {
  const r = await m.compare(experiment);
  return 1 - rowOf(r, router).peakMemoryBytes / rowOf(r, versus).peakMemoryBytes;
}

/** Share of (MoE layer, expert) pairs that are nearly idle: fewer tokens than `fraction` of the layer's mean. */
export function idleExpertShare(s: Summary, fraction = 0.1): number {
  let idle = 0;
  let total = 0;
  for (const layer of s.tokensPerExpert) {
    const mean = layer.reduce((a, b) => a + b, 0) / Math.max(1, layer.length);
    for (const load of layer) if (load < fraction * mean) idle++;
    total += layer.length;
  }
  return total > 0 ? idle / total : 0;
}
