// The synthetic token source: deterministic, finite, Zipf-skewed ids, layers that differ but stay correlated.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import { createSyntheticTokenSource, syntheticTokensSchema, ZipfSampler } from '../../src/workloads/index.ts';

const shape = { groups: 2, groupSize: 512, hidden: 16, vocab: 500 };
const config = syntheticTokensSchema.parse({ source: 'synthetic', clusters: 4 });

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('synthetic token source', () => {
  it('gives the same bytes for the same seed and arguments, whatever was asked before', () => {
    const a = createSyntheticTokenSource(config, shape, new Rng(1));
    const b = createSyntheticTokenSource(config, shape, new Rng(1));
    b.batch(3, 1);
    const [x, y] = [a.batch(2, 0), b.batch(2, 0)];
    expect(y.features).toEqual(x.features);
    expect(y.tokenIds).toEqual(x.tokenIds);
    expect(createSyntheticTokenSource(config, shape, new Rng(2)).batch(2, 0).features).not.toEqual(x.features);
  });

  it('writes a transient source\'s batches into one buffer, with the bytes a fresh buffer gets', () => {
    const fresh = createSyntheticTokenSource(config, shape, new Rng(1));
    const transient = createSyntheticTokenSource(config, shape, new Rng(1), { transient: true });
    const first = transient.batch(0, 0).features;
    for (const [layer, mb] of [[0, 0], [1, 0], [3, 1], [0, 1]] as const) {
      const t = transient.batch(layer, mb);
      expect(t.features).toBe(first);
      expect(t.features).toEqual(fresh.batch(layer, mb).features);
    }
    expect(fresh.batch(0, 0).features).not.toBe(fresh.batch(0, 0).features);
  });

  it('keeps token ids across layers and moves features between layers by the drift', () => {
    const s = createSyntheticTokenSource({ ...config, spread: 0 }, shape, new Rng(3));
    const [l0, l1] = [s.batch(0, 0), s.batch(1, 0)];
    expect(l1.tokenIds).toEqual(l0.tokenIds);
    const c = correlation(l0.features, l1.features);
    expect(c).toBeGreaterThan(0.6); // sqrt(1 − 0.5²) ≈ 0.87 expected
    expect(c).toBeLessThan(0.99);
    const same = createSyntheticTokenSource({ ...config, spread: 0, layerDrift: 0 }, shape, new Rng(3));
    expect(correlation(same.batch(0, 0).features, same.batch(5, 0).features)).toBeCloseTo(1, 6);
  });

  it('draws Zipf token ids: rank 0 about 1/H(n) of the draws', () => {
    const z = new ZipfSampler(100, 1);
    const rng = new Rng(4);
    let zeros = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) if (z.sample(rng) === 0) zeros++;
    let harmonic = 0;
    for (let r = 1; r <= 100; r++) harmonic += 1 / r;
    expect(Math.abs(zeros / n - 1 / harmonic)).toBeLessThan(0.005); // 1/H(100) = 0.1928
  });
});

describe('assertFiniteFeatures', () => {
  it('passes finite features and names the first NaN or infinite one', async () => {
    const { assertFiniteFeatures } = await import('../../src/workloads/index.ts');
    const batch = { features: new Float32Array(12).fill(0.5), tokenIds: new Int32Array(3), groups: 1, groupSize: 3, hidden: 4 };
    expect(() => assertFiniteFeatures(batch, 'ok')).not.toThrow();
    batch.features[6] = Number.NaN;
    expect(() => assertFiniteFeatures(batch, 'npy file')).toThrow(/npy file: feature \[token 1, dim 2\] is NaN/);
    batch.features[6] = 0;
    batch.features[11] = -Infinity;
    expect(() => assertFiniteFeatures(batch, 'x')).toThrow(/\[token 2, dim 3\] is -Infinity/);
  });
});
