// Types of the paper-validation suite (`moesim validate-papers`): a case is one published figure, the
// experiment that predicts it, how close the prediction must be, what kind of evidence it is (an absolute
// accuracy figure, a relative improvement, a ranking, arithmetic, or a consistency check that holds by
// construction) and whether a catalog figure was fitted to it (calibration) or not (held out). A case passes,
// fails, or is a known gap: outside its tolerance for a written-down reason, with its error inside a recorded band.
import type { CompareResult } from '../compare/compare-routers.ts';

/** How a prediction is judged against the published figure. */
export type Tolerance =
  /** |predicted / published − 1| ≤ value. */
  | { kind: 'relative'; value: number }
  /** |predicted − published| ≤ value, both fractions (5 percentage points = 0.05). */
  | { kind: 'points'; value: number }
  /** low ≤ predicted ≤ high: a published range, or a ranking (a speed-up above or below 1). */
  | { kind: 'range'; low: number; high: number };

/**
 * What a case is evidence of. Only `accuracy` cases make the headline figure; `consistency` cases hold by
 * construction (a top-1 router keeps fewer tokens per expert than a top-2 one) and are reported, never counted.
 * - accuracy: an absolute figure (step time, tokens/s, MFU, bus bandwidth, a kernel time, a share of the step);
 * - relative: a published improvement of one configuration over another (a range or a speed-up);
 * - ranking: "A beats B";
 * - arithmetic: FLOP or parameter counts;
 * - consistency: true by construction.
 */
export type CaseKind = 'accuracy' | 'relative' | 'ranking' | 'arithmetic' | 'consistency';
export const CASE_KINDS: readonly CaseKind[] = ['accuracy', 'relative', 'ranking', 'arithmetic', 'consistency'];

/** calibration: a catalog figure was fitted to the case, or its inputs were inferred from its own figure. */
export type CaseRole = 'calibration' | 'held-out';

/** What a case's figure measures: a whole training step (throughput, MFU, shares), or one kernel or collective. */
export type CaseScope = 'step' | 'component';

/** Which MFU a case compares with, and the peak it divides by (METRICS.md, "MFU"). */
export interface MfuBasis {
  convention: 'model' | 'hardware';
  /** The per-device peak, in words: "BF16 dense, 294.9 TFLOPS (910B3 catalog)". */
  peak: string;
}

/** What we know of a case that does not hold with an honest model. */
export interface KnownGap {
  reason: string;
  /**
   * The error's recorded band [low, high] (same units as CaseResult.error). An error outside it fails the case when
   * it is worse (further from zero) and marks the gap `improved` when it is better, so neither goes unnoticed.
   */
  band: readonly [number, number];
}

/** What the cases measure from: the experiments' runs, cached, and figures computed without a step run. */
export interface Measurements {
  /** The experiment's scenario run under each of its routers (rows in the experiment's router order). */
  compare(experiment: string): Promise<CompareResult>;
}

export type CaseUnit = '×' | '%' | 'GFLOPs' | 'GB/s' | 'tokens/s' | 'ms' | 'µs';

export interface ValidationCase {
  /** Stable id, e.g. `locmoe-64-speedup-vs-hash`. */
  id: string;
  paper: string;
  /** Where the figure is published (paper, table or figure, through ROUTERS.md / HARDWARE.md). */
  source: string;
  /** What is compared, in words. */
  what: string;
  unit: CaseUnit;
  /** The published value (a range's lower end for display when `publishedText` says more). */
  published: number;
  /** The published figure as the paper states it, e.g. "12.68–22.24% lower". */
  publishedText: string;
  tolerance: Tolerance;
  kind: CaseKind;
  role: CaseRole;
  /** Default 'step'; 'component' for a single kernel or collective. */
  scope?: CaseScope;
  /** MFU cases: which MFU and which peak. */
  mfu?: MfuBasis;
  /** Set when the case does not hold honestly: why, and the band its error is recorded in. */
  knownGap?: KnownGap;
  /** Experiments the case needs (their runs are shared between cases). */
  experiments: string[];
  measure(m: Measurements): Promise<number> | number;
}

/** One experiment: a scenario file of scenarios/papers/ run under a list of routers (`compare` syntax). */
export interface Experiment {
  id: string;
  /** Path relative to the repository root. */
  scenario: string;
  routers: string;
}

/**
 * pass: within tolerance. fail: outside it (not a known gap), a known gap whose error got worse than its band, a
 * measurement that threw or a prediction that is not a finite number. known gap: outside tolerance, error inside
 * its band. improved: a known gap whose error is better than its band (or inside the tolerance): the registry is
 * stale and must be updated, but the prediction is not wrong.
 */
export type CaseStatus = 'pass' | 'fail' | 'known gap' | 'improved';

export interface CaseResult {
  id: string;
  paper: string;
  source: string;
  what: string;
  unit: CaseUnit;
  published: number;
  publishedText: string;
  predicted: number;
  /** relative: (predicted − published) / published; points: predicted − published; range: distance outside it (0 inside). */
  error: number;
  /** predicted / published − 1, whatever the tolerance (what the accuracy headline averages). */
  relativeError: number;
  toleranceText: string;
  kind: CaseKind;
  role: CaseRole;
  scope: CaseScope;
  mfu?: MfuBasis;
  status: CaseStatus;
  knownGap?: KnownGap;
  /** Why a case failed when it is not its error: the measurement threw, or the prediction is not finite. */
  failure?: string;
}

/** The error of `predicted` under `tolerance`, and whether it is within it. A non-finite prediction never is. */
export function judge(predicted: number, published: number, tolerance: Tolerance): { error: number; within: boolean } {
  if (!Number.isFinite(predicted)) return { error: Number.NaN, within: false };
  switch (tolerance.kind) {
    case 'relative': {
      const error = (predicted - published) / published;
      return { error, within: Math.abs(error) <= tolerance.value + 1e-12 };
    }
    case 'points': {
      const error = predicted - published;
      return { error, within: Math.abs(error) <= tolerance.value + 1e-12 };
    }
    case 'range': {
      const error = predicted < tolerance.low ? predicted - tolerance.low : predicted > tolerance.high ? predicted - tolerance.high : 0;
      return { error, within: error === 0 };
    }
  }
}

/**
 * The status of a finite prediction with `error` (within tolerance or not) for a case with or without a known gap.
 * A known gap's error outside its band is `improved` when nearer zero than every point of the band, else `fail`.
 */
export function caseStatus(error: number, within: boolean, gap: KnownGap | undefined): CaseStatus {
  if (!Number.isFinite(error)) return 'fail';
  if (gap === undefined) return within ? 'pass' : 'fail';
  if (within) return 'improved';
  const [low, high] = gap.band;
  if (error >= low - 1e-12 && error <= high + 1e-12) return 'known gap';
  const nearest = low <= 0 && high >= 0 ? 0 : Math.min(Math.abs(low), Math.abs(high));
  return Math.abs(error) < nearest ? 'improved' : 'fail';
}

/** The tolerance as a table shows it, in the case's unit. */
export function toleranceText(t: Tolerance, unit: CaseUnit): string {
  const show = (x: number): string => (unit === '%' ? `${(x * 100).toFixed(2)}%` : `${x}${unit === '×' ? '×' : ` ${unit}`}`);
  switch (t.kind) {
    case 'relative':
      return `±${(t.value * 100).toFixed(0)}%`;
    case 'points':
      return `±${(t.value * 100).toFixed(0)} pp`;
    case 'range':
      if (t.high === Number.POSITIVE_INFINITY) return `> ${show(t.low)}`;
      if (t.low === Number.NEGATIVE_INFINITY || t.low === 0) return `≤ ${show(t.high)}`;
      return `${show(t.low)} … ${show(t.high)}`;
  }
}
