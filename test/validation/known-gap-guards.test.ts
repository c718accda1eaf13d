// The validation suite's guards: a known gap is still a test that can fail. Its test fails when the registry's
// tolerance or recorded error band differs from the test's, when its error leaves the band (worse, or better: the
// registry is then stale), when its measurement throws, and when its prediction is not finite; and a crashed or
// NaN case is a `fail` that makes `moesim validate-papers` exit 1.
import { describe, expect, it } from 'vitest';
import type { CaseResult, ValidationCase } from '../../src/studies/index.ts';
import { evaluateCase, measurementsOf, summariseValidation, validationExitCode } from '../../src/studies/index.ts';
import type { StatedCase } from './validation-helpers.ts';
import { caseById, checkCase } from './validation-helpers.ts';

const noRuns = measurementsOf(new Map());
/** A real known gap of the registry (PanGu-Σ's tokens/s, +26% in its band 0.21 … 0.31), with its measure replaced. */
const base = caseById('pangu-sigma-512-tokens-per-s');
const stated: StatedCase = { tolerance: { kind: 'relative', value: 0.1 }, band: [0.21, 0.31] };
const withPrediction = (predicted: number | (() => number)): ValidationCase => ({
  ...base, experiments: [], measure: typeof predicted === 'number' ? () => predicted : predicted,
});
const inBand = base.published * 1.26;

async function check(c: ValidationCase, statement = stated): Promise<CaseResult> {
  const r = await evaluateCase(c, noRuns);
  checkCase(c, statement, r);
  return r;
}

describe('known-gap guards', () => {
  it('the registry case is a known gap with the band its test states', () => {
    expect(base.knownGap?.band).toEqual(stated.band);
  });

  it('a known gap inside its band passes its test', async () => {
    const r = await check(withPrediction(inBand));
    expect(r.status).toBe('known gap');
  });

  it('fails when the test states another tolerance than the registry (e.g. loosened to 99%)', async () => {
    await expect(check(withPrediction(inBand), { ...stated, tolerance: { kind: 'relative', value: 0.99 } })).rejects.toThrow(/tolerance/);
  });

  it('fails when the test states another band than the registry', async () => {
    await expect(check(withPrediction(inBand), { ...stated, band: [0.1, 0.4] })).rejects.toThrow(/band/);
    await expect(check({ ...withPrediction(inBand), knownGap: { reason: 'x', band: [0.2, 0.31] } })).rejects.toThrow(/band/);
  });

  it('fails when the gap gets worse than its band, and flags an improvement as stale', async () => {
    const worse = await evaluateCase(withPrediction(base.published * 1.5), noRuns);
    expect(worse.status).toBe('fail');
    expect(() => checkCase(base, stated, worse)).toThrow(/got worse/);
    const better = await evaluateCase(withPrediction(base.published * 1.15), noRuns);
    expect(better.status).toBe('improved');
    expect(() => checkCase(base, stated, better)).toThrow(/improved/);
  });

  it('fails when the measurement throws', async () => {
    const crashed = withPrediction(() => {
      throw new Error('scenario exploded');
    });
    const r = await evaluateCase(crashed, noRuns);
    expect(r.status).toBe('fail');
    expect(r.failure).toMatch(/scenario exploded/);
    await expect(check(crashed)).rejects.toThrow(/scenario exploded/);
  });

  it('fails when the experiment it needs was not run or failed', async () => {
    const r = await evaluateCase(base, measurementsOf(new Map(), new Map([['pangu-sigma-910a-512', 'worker thread died']])));
    expect(r.status).toBe('fail');
    expect(r.failure).toMatch(/worker thread died/);
  });

  it('fails when the prediction is NaN or infinite, never counting it as a known gap', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = await evaluateCase(withPrediction(bad), noRuns);
      expect(r.status).toBe('fail');
      expect(r.failure).toMatch(/not a finite number/);
    }
  });

  it('a crashed or NaN case makes the run exit 1; known gaps in their band exit 0', async () => {
    const ok = await evaluateCase(withPrediction(inBand), noRuns);
    const nan = await evaluateCase(withPrediction(Number.NaN), noRuns);
    expect(validationExitCode(summariseValidation([ok]))).toBe(0);
    expect(validationExitCode(summariseValidation([ok, nan]))).toBe(1);
    expect(summariseValidation([ok, nan]).counts).toMatchObject({ cases: 2, fail: 1, knownGap: 1 });
  });

  it('consistency cases are reported but not counted in the headline', async () => {
    const consistency = await evaluateCase({ ...withPrediction(base.published), kind: 'consistency', knownGap: undefined } as ValidationCase, noRuns);
    const accuracy = await evaluateCase({ ...withPrediction(base.published * 1.2), knownGap: undefined } as ValidationCase, noRuns);
    const s = summariseValidation([consistency, accuracy]);
    expect(s.counts.cases).toBe(1);
    expect(s.consistency.cases).toBe(1);
    expect(s.heldOutAccuracy.error.medianAbsError).toBeCloseTo(0.2, 12);
  });
});
