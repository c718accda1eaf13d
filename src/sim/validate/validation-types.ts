// Types of the paper-validation suite (`moesim validate-papers`): a case is one published figure, the
// experiment that predicts it, and how close the prediction must be. A case either passes, fails, or is a
// known gap (it does not hold, and the reason is written down with the measured error).
import type { CompareResult } from '../compare-routers.ts';

/** How a prediction is judged against the published figure. */
export type Tolerance =
  /** |predicted / published − 1| ≤ value. */
  | { kind: 'relative'; value: number }
  /** |predicted − published| ≤ value, both fractions (5 percentage points = 0.05). */
  | { kind: 'points'; value: number }
  /** low ≤ predicted ≤ high: a published range, or a ranking (a speed-up above or below 1). */
  | { kind: 'range'; low: number; high: number };

/** What the cases measure from: the experiments' runs, cached, and figures computed without a step run. */
export interface Measurements {
  /** The experiment's scenario run under each of its routers (rows in the experiment's router order). */
  compare(experiment: string): Promise<CompareResult>;
}

export interface ValidationCase {
  /** Stable id, e.g. `locmoe-64-speedup-vs-hash`. */
  id: string;
  paper: string;
  /** Where the figure is published (paper, table or figure, through ROUTERS.md / HARDWARE.md). */
  source: string;
  /** What is compared, in words. */
  what: string;
  /** Unit of published and predicted values as displayed: '×', '%', 'GFLOPs', 'GB/s', 'tokens/s'. */
  unit: '×' | '%' | 'GFLOPs' | 'GB/s' | 'tokens/s';
  /** The published value (a range's lower end for display when `publishedText` says more). */
  published: number;
  /** The published figure as the paper states it, e.g. "12.68–22.24% lower". */
  publishedText: string;
  tolerance: Tolerance;
  /** True when a catalog figure was fitted to this case (docs/VALIDATION.md); false: held out. */
  calibration: boolean;
  /** Set when the case does not hold honestly: why (the measured error is reported with it). */
  knownGap?: string;
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

export interface CaseResult {
  id: string;
  paper: string;
  source: string;
  what: string;
  unit: ValidationCase['unit'];
  published: number;
  publishedText: string;
  predicted: number;
  /** relative: (predicted − published) / published; points: predicted − published; range: distance outside it (0 inside). */
  error: number;
  toleranceText: string;
  calibration: boolean;
  /** pass / fail; a known gap that fails is 'known gap', one that passes is 'pass' (the gap has closed). */
  status: 'pass' | 'fail' | 'known gap';
  knownGap?: string;
}

/** The error of `predicted` under `tolerance`, and whether it is within it. */
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

/** The tolerance as a table shows it, in the case's unit. */
export function toleranceText(t: Tolerance, unit: ValidationCase['unit']): string {
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
