// On real text (Moby-Dick, cl100k), Hash routing inherits the corpus's token-frequency skew while Expert Choice
// balances load exactly: Hash's max/mean expert load is worse than Expert Choice's, which is exactly 1.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RoutingDecision } from '../../src/routing/index.ts';
import { createRouter, initTfBackend } from '../../src/routing/index.ts';
import { createTokenSource, tokenSourceSchema } from '../../src/workloads/index.ts';

const EXPERTS = 16;

function maxOverMean(d: RoutingDecision): number {
  const load = new Float64Array(d.numExperts);
  for (let i = 0; i < d.keptCounts.length; i++) load[i % d.numExperts] = (load[i % d.numExperts] as number) + (d.keptCounts[i] as number);
  const mean = load.reduce((a, b) => a + b, 0) / load.length;
  return Math.max(...load) / mean;
}

describe('Hash against Expert Choice on Moby-Dick tokens', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('Hash is skewed by token frequency; Expert Choice is balanced exactly', async () => {
    const shape = { groups: 4, groupSize: 2048, hidden: 64, vocab: 100_277, seqLength: 512, layers: 1, moeLayers: [0], microBatches: 1 };
    const source = await createTokenSource(tokenSourceSchema.parse({ source: 'text' }), shape, new Rng(7).derive('tokens'));
    const batch = source.batch(0, 0);
    const ctx = (seed: number) => ({ numExperts: EXPERTS, topK: 1, hidden: 64, rng: new Rng(seed) });
    const hash = createRouter('hash', {}, ctx(1)).route(batch, 0, 0);
    const ec = createRouter('expert-choice', { capacityFactor: 1 }, ctx(2)).route(batch, 0, 0);
    const [h, e] = [maxOverMean(hash), maxOverMean(ec)];
    console.log(`Moby-Dick, ${4 * 2048} tokens, ${EXPERTS} experts: hash max/mean ${h.toFixed(3)}, expert-choice max/mean ${e.toFixed(3)}`);
    expect(e).toBe(1);
    expect(h).toBeGreaterThan(1.1); // real text: frequent tokens (",", " the") pile onto their hashed experts
  });
});
