// Node-limited routing (DeepSeek-V3's M nodes per token) is respected by the placement the step model uses: the
// routers route against the step's own expert placement, so no token's kept experts span more than M servers (read
// from the distinct (token, server) counts DeepEP's dispatch is filled from, resampled groups included), and the
// locality-aware placement, which would move experts after routing, is refused with such a router.
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, routeStep, validateScenarioObject } from '../../src/sim/index.ts';
import type { Scenario } from '../../src/sim/index.ts';
import { defaultScenarioText } from '../helpers/run-cli.ts';

const TOKENS = 256; // per DP rank and micro-batch

/** 4 DGX H100 servers, 32 ranks, 64 experts top-8 (two per rank), DeepSeek's aux-free router, DeepEP's dispatch. */
function scenario(maxNodes: number, more: { parallelism?: Record<string, unknown>; routing?: Record<string, unknown> } = {}): Scenario {
  const base = parseScenarioYaml(defaultScenarioText, 'default.yaml') as Scenario;
  return validateScenarioObject({
    ...base, cluster: { preset: 'dgx-h100', servers: 4 }, model: { preset: 'tiny-moe', overrides: { seqLength: TOKENS, experts: 64, topK: 8 } },
    parallelism: { tp: 1, pp: 1, dp: 32, ep: 32, microBatchSize: 1, globalBatch: 32, epAllToAll: 'deepep', ...more.parallelism },
    router: { name: 'deepseek-aux-free', maxNodes }, routing: { ...more.routing }, output: { trace: false },
  }, 'test');
}

/** The most (token, server) pairs per token over the DP ranks of every MoE layer, and their mean. */
async function serversPerToken(s: Scenario): Promise<{ most: number; mean: number }> {
  const step = await routeStep(resolveScenario(s));
  let most = 0;
  let sum = 0;
  let count = 0;
  for (const r of step.routing[0]!) {
    if (r?.distinct === undefined) continue;
    const { values, servers, slotOfEpRank } = r.distinct;
    const dp = Math.round(Math.sqrt(r.dispatchTokens.length));
    for (let g = 0; g < dp; g++) {
      let pairs = 0;
      for (let t = 0; t < servers; t++) pairs += values[dp * slotOfEpRank.length + g * servers + t]!;
      most = Math.max(most, pairs / TOKENS);
      sum += pairs / TOKENS;
      count++;
    }
  }
  return { most, mean: sum / count };
}

describe('node-limited routing and the placement', () => {
  it('keeps every token within maxNodes servers of the step placement, routed whole or resampled', async () => {
    const limited = await serversPerToken(scenario(2));
    const sampled = await serversPerToken(scenario(2, { routing: { sampleTokensPerLayer: 2048 } }));
    const free = await serversPerToken(scenario(4));
    console.log(`servers per token: maxNodes 2 → most ${limited.most.toFixed(3)}, mean ${limited.mean.toFixed(3)} (resampled from 8 groups: most ${sampled.most.toFixed(3)}); maxNodes 4 → mean ${free.mean.toFixed(3)}`);
    expect(limited.most).toBeLessThanOrEqual(2);
    expect(sampled.most).toBeLessThanOrEqual(2);
    expect(free.mean).toBeGreaterThan(limited.mean);
  }, 60_000);

  it('refuses the locality-aware placement with a node limit below the servers an EP group spans, and only then', () => {
    expect(() => resolveScenario(scenario(2, { parallelism: { expertPlacement: 'locality-aware' } }))).toThrow(/parallelism.expertPlacement: deepseek-aux-free .*maxNodes = 2 of the 4 servers/);
    expect(() => resolveScenario(scenario(4, { parallelism: { expertPlacement: 'locality-aware' } }))).not.toThrow();
    // EP 8: each EP group sits in one server, so the limit cannot bind.
    expect(() => resolveScenario(scenario(2, { parallelism: { ep: 8, expertPlacement: 'locality-aware' } }))).not.toThrow();
  });
});
