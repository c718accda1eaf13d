// Tests for the seeded Rng: the xoshiro128** reference vector, determinism, stable derived substreams,
// rough moments of each distribution (tolerances stated), unbiased integers, shuffle and weighted picks.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

function extremes(values: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

describe('Rng core', () => {
  it('matches the xoshiro128** reference output for state [1, 2, 3, 4]', () => {
    expect(draws(Rng.fromState([1, 2, 3, 4]), 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives the same sequence for the same seed, and number and string seeds agree', () => {
    expect(draws(new Rng('scenario-a'), 1000)).toEqual(draws(new Rng('scenario-a'), 1000));
    expect(draws(new Rng(42), 50)).toEqual(draws(new Rng('42'), 50));
  });

  it('gives different sequences for different seeds', () => {
    expect(draws(new Rng(1), 8)).not.toEqual(draws(new Rng(2), 8));
  });

  it('pins the first draws of a named seed (guards against accidental algorithm changes)', () => {
    const first = draws(new Rng('moesim'), 3);
    expect(first).toEqual(draws(new Rng('moesim'), 3));
    expect(first).toEqual([830621663, 2042353777, 1036680601]);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Rng(NaN)).toThrow(/seed/);
  });
});

describe('derive', () => {
  it('does not depend on how many draws the parent has made', () => {
    const fresh = new Rng('run');
    const used = new Rng('run');
    draws(used, 137);
    used.normal();
    expect(draws(used.derive('routing'), 20)).toEqual(draws(fresh.derive('routing'), 20));
    expect(used.derive('routing').key).toBe('run/routing');
  });

  it('gives streams that differ from each other and from the parent', () => {
    const root = new Rng('run');
    const a = draws(root.derive('a'), 10);
    expect(a).not.toEqual(draws(root.derive('b'), 10));
    expect(a).not.toEqual(draws(new Rng('run'), 10));
    expect(draws(root.derive('a').derive('x'), 10)).toEqual(draws(new Rng('run/a/x'), 10));
  });
});

describe('distributions', () => {
  const n = 200_000;

  it('uniform is in [0, 1) with mean 1/2 and variance 1/12 (tolerance 0.005)', () => {
    const rng = new Rng('uniform');
    const values = Array.from({ length: n }, () => rng.uniform());
    expect(extremes(values).min).toBeGreaterThanOrEqual(0);
    expect(extremes(values).max).toBeLessThan(1);
    const { mean, variance } = moments(values);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.005);
    // 53 bits: values are not all multiples of 2^-32.
    expect(values.some((v) => !Number.isInteger(v * 2 ** 32))).toBe(true);
  });

  it('normal has the requested mean and sd (tolerance 0.02 sd)', () => {
    const rng = new Rng('normal');
    const values = Array.from({ length: n }, () => rng.normal(3, 2));
    const { mean, variance } = moments(values);
    expect(Math.abs(mean - 3)).toBeLessThan(0.02 * 2);
    expect(Math.abs(Math.sqrt(variance) - 2)).toBeLessThan(0.02 * 2);
  });

  it('ziggurat normals have Gaussian kurtosis and tail mass beyond R = 3.4426 (tolerances 0.03 and 12%)', () => {
    const values = new Rng('ziggurat-shape').fillNormal(new Float32Array(2_000_000));
    let m2 = 0;
    let m4 = 0;
    let tail = 0;
    for (const x of values) {
      m2 += x * x;
      m4 += x ** 4;
      if (Math.abs(x) > 3.442619855899) tail++;
    }
    const kurtosis = (m4 / values.length) / (m2 / values.length) ** 2;
    const expectedTail = 2 * 2.8796e-4 * values.length; // P(|Z| > 3.4426) = 5.759e-4
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.03);
    expect(Math.abs(tail - expectedTail) / expectedTail).toBeLessThan(0.12);
  });

  it('fillNormal equals successive normal() calls (as float32), across odd lengths', () => {
    const a = new Rng('fill');
    const b = new Rng('fill');
    const out1 = a.fillNormal(new Float32Array(7), 1, 0.5);
    const out2 = a.fillNormal(new Float32Array(4), 1, 0.5);
    const expected = Array.from({ length: 11 }, () => Math.fround(b.normal(1, 0.5)));
    expect([...out1, ...out2]).toEqual(expected);
    const big = new Rng('fill-moments').fillNormal(new Float32Array(n), 0, 1);
    const { mean, variance } = moments(big);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('exponential has the requested mean (tolerance 1%) and rejects a bad mean', () => {
    const rng = new Rng('exp');
    const values = Array.from({ length: n }, () => rng.exponential(250));
    expect(extremes(values).min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(moments(values).mean - 250) / 250).toBeLessThan(0.01);
    expect(() => rng.exponential(0)).toThrow(/mean/);
  });

  it('uniformInt covers [0, n) evenly (chi-square, 9 dof, below the 0.1% critical value 27.9)', () => {
    const rng = new Rng('int');
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) counts[rng.uniformInt(10)]!++;
    const expected = n / 10;
    const chiSquare = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.9);
  });

  it('uniformInt has no modulo bias for n = 3 * 2^30 (naive modulo would put 1/2 of draws below 2^30)', () => {
    const rng = new Rng('bias');
    const draws = 60_000;
    let low = 0;
    for (let i = 0; i < draws; i++) if (rng.uniformInt(3 * 2 ** 30) < 2 ** 30) low++;
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.01);
  });

  it('uniformInt handles n above 2^32 and rejects bad n', () => {
    const rng = new Rng('wide');
    const n53 = 2 ** 40 + 3;
    for (let i = 0; i < 1000; i++) {
      const v = rng.uniformInt(n53);
      expect(Number.isInteger(v) && v >= 0 && v < n53).toBe(true);
    }
    expect(() => rng.uniformInt(0)).toThrow(RangeError);
    expect(() => rng.uniformInt(2.5)).toThrow(RangeError);
  });
});

describe('shuffle and pickWeighted', () => {
  it('shuffle permutes in place, deterministically', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng('shuffle').shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(new Rng('shuffle').shuffle([...items])).toEqual(shuffled);
    const array = [1, 2, 3];
    expect(new Rng(1).shuffle(array)).toBe(array);
  });

  it('shuffle puts each element in each position about equally often (tolerance 0.02)', () => {
    const rng = new Rng('shuffle-uniform');
    const trials = 30_000;
    const firstCounts = [0, 0, 0, 0];
    for (let t = 0; t < trials; t++) firstCounts[rng.shuffle([0, 1, 2, 3])[0]!]!++;
    for (const c of firstCounts) expect(Math.abs(c / trials - 0.25)).toBeLessThan(0.02);
  });

  it('pickWeighted follows the weights and never picks a zero weight (tolerance 0.01)', () => {
    const rng = new Rng('weights');
    const weights = new Float64Array([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    const trials = 100_000;
    for (let t = 0; t < trials; t++) counts[rng.pickWeighted(weights)]!++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0]! / trials - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(counts[2]! / trials - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(counts[3]! / trials - 0.6)).toBeLessThan(0.01);
  });

  it('pickWeighted rejects negative, NaN and all-zero weights', () => {
    const rng = new Rng(1);
    expect(() => rng.pickWeighted([1, -1])).toThrow(/weight 1/);
    expect(() => rng.pickWeighted([NaN])).toThrow(RangeError);
    expect(() => rng.pickWeighted([0, 0])).toThrow(/positive weight/);
  });
});
