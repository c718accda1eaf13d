// Helpers of the paper-validation tests: run a paper's experiments once per file, then judge one case per test.
// Each test states its case's tolerance and, for a known gap, the error band the gap is recorded in; the test fails
// if the registry's differ (so neither can be loosened in one place only), prints published, predicted, error and
// tolerance, and fails unless the case passes or, for a known gap, its error stays inside the band. A measurement
// that throws or a prediction that is not finite fails, known gap or not: no `it.fails` hides a crash.
import { beforeAll, it } from 'vitest';
import type { CaseResult, CompareResult, Tolerance, ValidationCase } from '../../src/studies/index.ts';
import { formatCaseError, formatCaseValue } from '../../src/report/index.ts';
import { VALIDATION_CASES, VALIDATION_EXPERIMENTS, evaluateCase, measurementsOf, runExperiment } from '../../src/studies/index.ts';

export function caseById(id: string): ValidationCase {
  const c = VALIDATION_CASES.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no validation case "${id}"`);
  return c;
}

/** Run the experiments of `ids` in this worker (in order), for the cases of one test file. */
export async function runExperiments(ids: string[]): Promise<Map<string, CompareResult>> {
  const results = new Map<string, CompareResult>();
  for (const id of ids) {
    const e = VALIDATION_EXPERIMENTS.find((x) => x.id === id);
    if (e === undefined) throw new Error(`no validation experiment "${id}"`);
    results.set(id, await runExperiment(e.scenario, e.routers));
  }
  return results;
}

/** What a test states about its case: the tolerance, and the recorded band when the case is a known gap. */
export interface StatedCase {
  tolerance: Tolerance;
  band?: readonly [number, number];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Throws unless the registry's case `c` matches what the test states and its result is acceptable: a pass for a
 * case without a gap, a known gap inside its band for one with a gap. Pure, so the guards can be tested.
 */
export function checkCase(c: ValidationCase, stated: StatedCase, r: CaseResult): void {
  if (!same(c.tolerance, stated.tolerance)) {
    throw new Error(`${c.id}: the registry's tolerance ${JSON.stringify(c.tolerance)} differs from the test's ${JSON.stringify(stated.tolerance)}`);
  }
  const registryBand = c.knownGap?.band;
  if (!same(registryBand, stated.band)) {
    throw new Error(`${c.id}: the registry's known-gap band ${JSON.stringify(registryBand)} differs from the test's ${JSON.stringify(stated.band)}`);
  }
  if (r.failure !== undefined) throw new Error(`${c.id}: ${r.failure}`);
  if (!Number.isFinite(r.predicted) || !Number.isFinite(r.error)) throw new Error(`${c.id}: the prediction is not finite (${r.predicted})`);
  const expected = c.knownGap !== undefined ? 'known gap' : 'pass';
  if (r.status !== expected) {
    const why = r.status === 'improved'
      ? `the known gap improved (error ${r.error.toPrecision(3)} is better than its band ${JSON.stringify(registryBand)}): update the registry and this test`
      : c.knownGap !== undefined
        ? `the known gap got worse: error ${r.error.toPrecision(3)} is outside its recorded band ${JSON.stringify(registryBand)}`
        : `error ${r.error.toPrecision(3)} is outside the tolerance ${r.toleranceText}`;
    throw new Error(`${c.id}: ${why}`);
  }
}

/**
 * Inside a describe block: run experiments `ids` once before its tests (up to 10 minutes: the 6,144- and 8,192-device
 * runs), and return the getter its validationCase calls read the results through.
 */
export function experimentsBeforeAll(ids: string[]): () => Map<string, CompareResult> {
  let results = new Map<string, CompareResult>();
  beforeAll(async () => {
    results = await runExperiments(ids);
  }, 600_000);
  return () => results;
}

/** One test for case `id`, whose tolerance (and band, for a known gap) this test states. */
export function validationCase(id: string, stated: Tolerance | StatedCase, results: () => Map<string, CompareResult>): void {
  const c = caseById(id);
  const statement: StatedCase = 'tolerance' in stated ? stated : { tolerance: stated };
  it(`${id}: ${c.what} (${c.publishedText}) [${c.kind}, ${c.role}${c.knownGap !== undefined ? ', known gap' : ''}]`, async () => {
    const r = await evaluateCase(c, measurementsOf(results()));
    console.log(`${id}: published ${c.publishedText}, moesim ${formatCaseValue(r.predicted, r.unit)}, error ${formatCaseError(r)}, tolerance ${r.toleranceText}${c.knownGap !== undefined ? `, known gap band ${JSON.stringify(c.knownGap.band)}` : ''}`);
    checkCase(c, statement, r);
  });
}
