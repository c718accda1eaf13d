// The validation report's headline and counts. The headline is the median and mean |error| of the held-out
// accuracy cases (absolute figures no catalog value was fitted to), because that is what a user's prediction of
// an unseen cluster can expect; calibration accuracy, relative improvements, rankings and arithmetic follow, each
// with its own count; consistency cases (true by construction) are reported and never counted as validation.
import { median } from '../../engine/index.ts';
import type { CaseKind, CaseResult, CaseRole, CaseStatus } from './validation-types.ts';
import { CASE_KINDS } from './validation-types.ts';

export interface ErrorStats {
  cases: number;
  /** Cases with a finite error (a failed measurement has none). */
  measured: number;
  medianAbsError: number;
  meanAbsError: number;
}

export interface KindCounts {
  kind: CaseKind;
  role: CaseRole | 'all';
  cases: number;
  pass: number;
  fail: number;
  knownGap: number;
  improved: number;
  /** |predicted / published − 1| over the measured cases (accuracy and relative speed-ups; NaN when none). */
  error: ErrorStats;
}

export interface ValidationSummary {
  /** The headline: held-out accuracy cases. */
  heldOutAccuracy: KindCounts;
  /** The headline's cases by scope: whole training steps, and single kernels or collectives. */
  heldOutAccuracyByScope: { step: ErrorStats; component: ErrorStats };
  calibrationAccuracy: KindCounts;
  /** relative, ranking, arithmetic (both roles), then consistency, which is not validation. */
  others: KindCounts[];
  /** Over every case but consistency ones. */
  counts: { cases: number; pass: number; fail: number; knownGap: number; improved: number };
  consistency: { cases: number; pass: number; fail: number };
}

/** Median and mean |relativeError| of the cases whose error is finite. */
export function errorStats(cases: CaseResult[]): ErrorStats {
  const errors = cases.map((c) => Math.abs(c.relativeError)).filter(Number.isFinite);
  const mean = errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : Number.NaN;
  return { cases: cases.length, measured: errors.length, medianAbsError: median(errors), meanAbsError: mean };
}

function countStatus(cases: CaseResult[], status: CaseStatus): number {
  return cases.filter((c) => c.status === status).length;
}

function kindCounts(cases: CaseResult[], kind: CaseKind, role: CaseRole | 'all'): KindCounts {
  const chosen = cases.filter((c) => c.kind === kind && (role === 'all' || c.role === role));
  return {
    kind, role, cases: chosen.length, pass: countStatus(chosen, 'pass'), fail: countStatus(chosen, 'fail'),
    knownGap: countStatus(chosen, 'known gap'), improved: countStatus(chosen, 'improved'), error: errorStats(chosen),
  };
}

export function summariseValidation(cases: CaseResult[]): ValidationSummary {
  const counted = cases.filter((c) => c.kind !== 'consistency');
  const consistency = cases.filter((c) => c.kind === 'consistency');
  return {
    heldOutAccuracy: kindCounts(cases, 'accuracy', 'held-out'),
    heldOutAccuracyByScope: {
      step: errorStats(cases.filter((c) => c.kind === 'accuracy' && c.role === 'held-out' && c.scope === 'step')),
      component: errorStats(cases.filter((c) => c.kind === 'accuracy' && c.role === 'held-out' && c.scope === 'component')),
    },
    calibrationAccuracy: kindCounts(cases, 'accuracy', 'calibration'),
    others: CASE_KINDS.filter((k) => k !== 'accuracy').map((k) => kindCounts(cases, k, 'all')),
    counts: {
      cases: counted.length, pass: countStatus(counted, 'pass'), fail: countStatus(counted, 'fail'),
      knownGap: countStatus(counted, 'known gap'), improved: countStatus(counted, 'improved'),
    },
    consistency: { cases: consistency.length, pass: countStatus(consistency, 'pass'), fail: countStatus(consistency, 'fail') },
  };
}

/**
 * The exit code of a validation run: 1 when any case failed (outside its tolerance, a known gap worse than its
 * band, a crashed measurement, a prediction that is not finite), consistency cases included; else 0.
 */
export function validationExitCode(s: ValidationSummary): number {
  return s.counts.fail + s.consistency.fail > 0 ? 1 : 0;
}
