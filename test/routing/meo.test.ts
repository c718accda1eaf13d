// MEO on tfjs-wasm: sequence-level pairs (k per sequence, never dropped), the pooled gate against plain JS,
// permuting whole sequences, and the FLOP model against the paper's published figures (tolerance 10%).
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/engine/index.ts';
import type { ExpertFfnShape, RouterContext, RouterInput } from '../../src/routing/index.ts';
import {
  checkDecision, createRouter, initTfBackend, meoFlopsPerSequence, meoMergeBytes, routerInvariantProperties, sameDecisions,
  vanillaMoeFlopsPerSequence,
} from '../../src/routing/index.ts';
import { randomInput } from './locmoe-helpers.ts';

const HIDDEN = 64;
const EXPERTS = 8;
const ctxOf = (seed: number, extra: Partial<RouterContext> = {}): RouterContext => ({ numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(seed), ...extra });

describe('meo router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite, traffic included, as a dropless router with normalised weights', () => {
    const props = routerInvariantProperties({
      create: (ctx) => createRouter('meo', { sequenceLength: 8 }, ctx),
      expectations: () => ({ dropless: true, normalisedWeights: true }),
    });
    expect(Object.keys(props).some((name) => name.startsWith('communication'))).toBe(true);
    for (const property of Object.values(props)) fc.assert(property, { numRuns: 15, seed: 51 });
  });

  it('names sequences: k distinct experts per sequence, all kept, chosen by the mean-pooled gate as in plain JS', () => {
    const L = 16;
    const input = randomInput(3, 2, 128);
    const d = createRouter('meo', {}, ctxOf(4, { seqLength: L })).route(input, 0, 0);
    const sequences = (2 * 128) / L;
    expect(d.sequenceLength).toBe(L);
    expect(d.capacity).toBe(Infinity);
    expect(d.pairToken.length).toBe(2 * sequences);
    expect(checkDecision(d, { dropless: true, normalisedWeights: true })).toEqual([]);
    const w = new Float32Array(HIDDEN * EXPERTS);
    new Rng(4).derive('gate/layer0').fillNormal(w, 0, 1 / Math.sqrt(HIDDEN));
    for (let s = 0; s < sequences; s++) {
      const logits = Array.from({ length: EXPERTS }, (_, e) => {
        let z = 0;
        for (let t = s * L; t < (s + 1) * L; t++) for (let j = 0; j < HIDDEN; j++) z += ((input.features[t * HIDDEN + j] as number) / L) * (w[j * EXPERTS + e] as number);
        return z;
      });
      const order = logits.map((z, e) => [z, e] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      expect([d.pairToken[2 * s], d.pairToken[2 * s + 1]]).toEqual([s, s]);
      expect([d.pairExpert[2 * s], d.pairExpert[2 * s + 1]]).toEqual([order[0]?.[1], order[1]?.[1]]);
      expect(d.pairKept[2 * s]).toBe(1);
    }
    // Counts are in sequences: group 0 holds 128 / L = 8 sequences, so its counts sum to k · 8 = 16.
    expect(Array.from(d.keptCounts.subarray(0, EXPERTS)).reduce((a, b) => a + b, 0)).toBe(2 * 128 / L);
  });

  it('permuting whole sequences permutes the decisions, and the same seed repeats bit for bit', () => {
    const L = 8;
    const input = randomInput(5, 1, 64);
    const perm = [3, 0, 7, 1, 6, 2, 5, 4]; // new sequence i holds old sequence perm[i]
    const features = new Float32Array(input.features.length);
    perm.forEach((old, i) => features.set(input.features.subarray(old * L * HIDDEN, (old + 1) * L * HIDDEN), i * L * HIDDEN));
    const permuted: RouterInput = { ...input, features };
    const a = createRouter('meo', { sequenceLength: L, k: 3 }, ctxOf(6)).route(input, 2, 0);
    const b = createRouter('meo', { sequenceLength: L, k: 3 }, ctxOf(6)).route(permuted, 2, 0);
    perm.forEach((old, i) => {
      for (let j = 0; j < 3; j++) {
        expect(b.pairExpert[i * 3 + j]).toBe(a.pairExpert[old * 3 + j]);
        expect(b.pairWeight[i * 3 + j]).toBe(a.pairWeight[old * 3 + j]);
      }
    });
    expect(sameDecisions(a, createRouter('meo', { sequenceLength: L, k: 3 }, ctxOf(6)).route(input, 2, 0))).toBe(true);
  });

  it('needs a sequence length that divides the routing group', () => {
    expect(() => createRouter('meo', {}, ctxOf(1))).toThrow(/router\.sequenceLength: MEO routes whole sequences/);
    const r = createRouter('meo', { sequenceLength: 24 }, ctxOf(1));
    expect(() => r.route(randomInput(1, 1, 64), 0, 0)).toThrow(/does not hold whole sequences of 24/);
    expect(() => createRouter('meo', { k: 9 }, ctxOf(1, { seqLength: 8 }))).toThrow(/router\.k/);
  });
});

describe('MEO FLOP model against the paper (arXiv 2310.09832)', () => {
  // Assumed configuration: BERT-base (d = 768, ffn 3072, 12 layers, every FFN an MoE layer of 2 matrices), sequence
  // length 128, FLOPs = 2 × multiply-adds; the non-expert rest of the model is attention (8·L·d² + 4·L²·d per layer)
  // plus a masked-LM head (2·L·d² + 2·L·d·V, V = 30522). The gate (< 0.1 GFLOPs) is left out.
  const d = 768, f = 3072, L = 128, layers = 12, vocab = 30522;
  const rest = layers * (8 * L * d * d + 4 * L * L * d) + 2 * L * d * d + 2 * L * d * vocab;
  const shape = (k: number): ExpertFfnShape => ({ k, hidden: d, ffnHidden: f, seqLength: L, matrices: 2 });
  const moe = (k: number): number => (rest + layers * vanillaMoeFlopsPerSequence(shape(k))) / 1e9;
  const meo = (k: number, mergeFlopsPerElement = 2): number => (rest + layers * meoFlopsPerSequence({ ...shape(k), mergeFlopsPerElement })) / 1e9;
  const TOLERANCE = 0.10;

  it('reproduces 72.0G → 28.6G at k = 4 and the k = 1..32 trend within 10%', () => {
    const rows: [string, number, number][] = [
      ['vanilla MoE, k = 4', moe(4), 72.0],
      ['MEO, k = 4', meo(4), 28.6],
      ['vanilla MoE, k = 1', moe(1), 28.4],
      ['vanilla MoE, k = 32', moe(32), 476],
    ];
    for (const k of [1, 2, 4, 8, 16, 32]) rows.push([`MEO, k = ${k} (paper: 28–30G)`, meo(k), Math.min(30, Math.max(28, meo(k)))]);
    const lines = rows.map(([what, ours, paper]) => `${what}: ${ours.toFixed(2)}G vs ${paper}G, error ${(100 * (ours / paper - 1)).toFixed(2)}%`);
    console.log(`non-expert part ${(rest / 1e9).toFixed(2)}G, one expert's FFNs ${(layers * 2 * 2 * L * d * f / 1e9).toFixed(2)}G\n${lines.join('\n')}\nMEO with a 1-FLOP merge: k = 4 ${meo(4, 1).toFixed(2)}G, k = 32 ${meo(32, 1).toFixed(2)}G`);
    for (const [what, ours, paper] of rows) expect(Math.abs(ours / paper - 1), what).toBeLessThanOrEqual(TOLERANCE);
  });

  it('MEO stays near one expert while vanilla MoE grows linearly in k; the merge moves (k + 1) weight sets', () => {
    expect(moe(32) / moe(1)).toBeGreaterThan(15);
    expect(meo(32) / meo(1)).toBeLessThan(1.15);
    const s = shape(4);
    expect(meoMergeBytes(s, 2)).toBe(5 * (2 * d * f + f + d) * 2);
  });
});
