// The .npy token source: rows in order when the file is long enough, per-layer dumps, float16 input, token ids
// (int64 converted), seeded resampling of whole sequences when the file is short, and shape errors naming the file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/engine/index.ts';
import { float32ToFloat16, writeNpyFile } from '../../src/routing/index.ts';
import type { NpyShape } from '../../src/workloads/index.ts';
import { createNpyTokenSource, npyTokensSchema } from '../../src/workloads/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'moesim-npy-'));
const hidden = 4;
const shape: NpyShape = { groups: 2, groupSize: 4, hidden, seqLength: 2, layers: 3, moeLayers: [1, 2], microBatches: 2 };
const needed = shape.groups * shape.groupSize * shape.microBatches; // 16 tokens per step

/** Row r, column i of the test features: r + i/10 (layer slice k adds 100·k). */
const feature = (k: number, r: number, i: number): number => 100 * k + r + i / 10;
function features(layers: number, tokens: number): Float32Array {
  return Float32Array.from({ length: layers * tokens * hidden }, (_, j) => feature(Math.floor(j / (tokens * hidden)), Math.floor(j / hidden) % tokens, j % hidden));
}
const cfg = (o: Record<string, unknown>) => npyTokensSchema.parse({ source: 'npy', ...o });

describe('npy token source', () => {
  it('takes rows in order, micro-batch after micro-batch, with token ids from an int64 file', () => {
    const f = join(dir, 'h.npy');
    const ids = join(dir, 'ids.npy');
    writeNpyFile(f, { dtype: 'float32', shape: [20, hidden], data: features(1, 20) });
    writeNpyFile(ids, { dtype: 'int64', shape: [20], data: BigInt64Array.from({ length: 20 }, (_, i) => BigInt(1000 + i)) });
    const src = createNpyTokenSource(cfg({ features: f, tokenIds: ids }), shape, new Rng(1));
    const b = src.batch(1, 1);
    expect(b.features[0]).toBeCloseTo(feature(0, 8, 0), 5); // micro-batch 1 starts at row 8
    expect(b.features[7 * hidden + 3]).toBeCloseTo(feature(0, 15, 3), 5);
    expect(Array.from(b.tokenIds)).toEqual(Array.from({ length: 8 }, (_, i) => 1008 + i));
    expect(src.batch(2, 1).features).toEqual(b.features); // a [tokens, hidden] file feeds every MoE layer
    expect(src.description).toMatch(/first 16 of 20 tokens, in order/);
  });

  it('reads per-layer dumps [moeLayers, tokens, hidden] in float16, and without ids uses the row as the id', () => {
    const f = join(dir, 'layers.npy');
    writeNpyFile(f, { dtype: 'float16', shape: [2, 16, hidden], data: float32ToFloat16(features(2, 16)) });
    const src = createNpyTokenSource(cfg({ features: f }), shape, new Rng(1));
    expect(src.batch(1, 0).features[hidden + 1]).toBeCloseTo(feature(0, 1, 1), 2); // MoE layer 1 → slice 0
    expect(src.batch(2, 0).features[hidden + 1]).toBeCloseTo(feature(1, 1, 1), 1); // MoE layer 2 → slice 1
    expect(Array.from(src.batch(2, 1).tokenIds)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('resamples whole sequences (seeded) when the file is short, or stops with whenShort: error', () => {
    const f = join(dir, 'short.npy');
    writeNpyFile(f, { dtype: 'float32', shape: [6, hidden], data: features(1, 6) });
    const a = createNpyTokenSource(cfg({ features: f }), shape, new Rng(5)).batch(1, 0);
    const b = createNpyTokenSource(cfg({ features: f }), shape, new Rng(5)).batch(1, 0);
    expect(a.tokenIds).toEqual(b.tokenIds);
    for (let s = 0; s < 4; s++) {
      const start = a.tokenIds[2 * s] as number;
      expect(start % 2).toBe(0); // sequences start at a multiple of seqLength
      expect(a.tokenIds[2 * s + 1]).toBe(start + 1);
    }
    expect(createNpyTokenSource(cfg({ features: f }), shape, new Rng(5)).description).toMatch(/3 sequences of 2 resampled with replacement/);
    expect(() => createNpyTokenSource(cfg({ features: f, whenShort: 'error' }), shape, new Rng(5))).toThrow(/short\.npy: 6 tokens, but a step routes 16/);
  });

  it('rejects a wrong hidden size, layer count, rank or token-id shape, naming the file', () => {
    const wrongHidden = join(dir, 'wh.npy');
    writeNpyFile(wrongHidden, { dtype: 'float32', shape: [needed, 5], data: new Float32Array(needed * 5) });
    expect(() => createNpyTokenSource(cfg({ features: wrongHidden }), shape, new Rng(1))).toThrow(/wh\.npy: shape \(16, 5\): hidden size 5, but the model's hidden is 4/);
    const wrongLayers = join(dir, 'wl.npy');
    writeNpyFile(wrongLayers, { dtype: 'float32', shape: [4, needed, hidden], data: new Float32Array(4 * needed * hidden) });
    expect(() => createNpyTokenSource(cfg({ features: wrongLayers }), shape, new Rng(1))).toThrow(/wl\.npy: .*4 layers; expected 2 \(one per MoE layer\) or 3/);
    expect(() => createNpyTokenSource(cfg({ features: wrongLayers, layout: 'tokens' }), shape, new Rng(1))).toThrow(InputError);
    const ok = join(dir, 'ok.npy');
    writeNpyFile(ok, { dtype: 'float32', shape: [needed, hidden], data: new Float32Array(needed * hidden) });
    const badIds = join(dir, 'bad-ids.npy');
    writeNpyFile(badIds, { dtype: 'int32', shape: [needed - 1], data: new Int32Array(needed - 1) });
    expect(() => createNpyTokenSource(cfg({ features: ok, tokenIds: badIds }), shape, new Rng(1))).toThrow(/bad-ids\.npy: shape \(15\); expected \(16,\)/);
    const nan = join(dir, 'nan.npy');
    writeNpyFile(nan, { dtype: 'float32', shape: [needed, hidden], data: new Float32Array(needed * hidden).fill(NaN, 9, 10) });
    expect(() => createNpyTokenSource(cfg({ features: nan }), shape, new Rng(1))).toThrow(/nan\.npy: value at flat index 9 \(row 2, column 1\) is NaN/);
    expect(() => createNpyTokenSource(cfg({ features: join(dir, 'missing.npy') }), shape, new Rng(1))).toThrow(/missing\.npy: file not found/);
  });
});
