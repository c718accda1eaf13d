// Helpers of the paper-validation tests: run a paper's experiments once per file, then judge one case per test.
// Each test states its case's tolerance; the test fails if the registry's tolerance differs (so a tolerance cannot
// be loosened in one place only), prints published, predicted, error and tolerance, and holds the error within it.
// A known gap (ValidationCase.knownGap) is an `it.fails` test: it documents the measured error and starts failing
// the day the gap closes, so the registry gets updated.
import { expect, it } from 'vitest';
import type { CompareResult, Tolerance, ValidationCase } from '../../src/sim/index.ts';
import { VALIDATION_CASES, VALIDATION_EXPERIMENTS, evaluateCase, measurementsOf, runExperiment } from '../../src/sim/index.ts';

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

/** One test for case `id`, whose tolerance this test states as `tolerance`. */
export function validationCase(id: string, tolerance: Tolerance, results: () => Map<string, CompareResult>): void {
  const c = caseById(id);
  const test = c.knownGap !== undefined ? it.fails : it;
  test(`${id}: ${c.what} (${c.publishedText})${c.knownGap !== undefined ? ' [known gap]' : ''}`, async () => {
    expect(c.tolerance).toEqual(tolerance);
    const r = await evaluateCase(c, measurementsOf(results()));
    console.log(`${id}: published ${c.publishedText}, moesim ${r.predicted.toPrecision(5)} ${c.unit}, error ${r.error.toPrecision(3)}, tolerance ${r.toleranceText}${c.knownGap !== undefined ? ' (known gap)' : ''}`);
    expect(r.status, `${id} is outside its tolerance`).toBe('pass');
  });
}
