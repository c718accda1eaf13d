// Replaying a routing trace never starts a tfjs backend: initTfBackend is replaced by one that throws, a trace is
// written from hand-made decisions with RoutingTraceRecorder (as a Python user would), and routeStep replays it.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RoutingDecision } from '../../src/routing/index.ts';
import { RoutingTraceRecorder } from '../../src/routing/index.ts';
import { resolveScenario, routeStep, validateScenarioObject } from '../../src/sim/index.ts';
import { tempDir } from '../helpers/run-cli.ts';

const initCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/routing/tf-backend.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/routing/tf-backend.ts')>()),
  initTfBackend: () => {
    initCalls.count++;
    throw new Error('tfjs backend started during a replay');
  },
}));

const groups = 16, groupSize = 128, experts = 16;

/** Token t of group g goes to expert (t + layer) mod 16, all kept; a second, dropped pair to the next expert. */
function handMade(layer: number, microBatch: number): RoutingDecision {
  const tokens = groups * groupSize;
  const pairToken = new Int32Array(2 * tokens), pairExpert = new Int32Array(2 * tokens), pairKept = new Uint8Array(2 * tokens);
  const keptCounts = new Int32Array(groups * experts), proposedCounts = new Int32Array(groups * experts);
  for (let t = 0; t < tokens; t++) {
    for (let j = 0; j < 2; j++) {
      const e = (t + layer + j) % experts;
      const g = Math.floor(t / groupSize);
      pairToken[2 * t + j] = t;
      pairExpert[2 * t + j] = e;
      pairKept[2 * t + j] = j === 0 ? 1 : 0;
      proposedCounts[g * experts + e]!++;
      if (j === 0) keptCounts[g * experts + e]!++;
    }
  }
  return {
    router: 'gshard', layer, microBatch, groups, groupSize, numExperts: experts, pairToken, pairExpert,
    pairWeight: new Float32Array(2 * tokens).fill(0.5), pairKept, keptCounts, proposedCounts, capacity: 8, losses: { aux: 0.01 * (layer + 1) },
  };
}

describe('routing trace replay', () => {
  it('routes a step from a hand-written trace without initialising tfjs', async () => {
    const dir = join(tempDir('handmade-trace'), 'trace');
    const recorder = new RoutingTraceRecorder(dir);
    for (let mb = 0; mb < 2; mb++) for (const l of [0, 1]) recorder.add(handMade(l, mb));
    recorder.finish({ router: 'gshard', params: {}, numExperts: experts, groups, groupSize, layers: 2, moeLayers: [0, 1], microBatches: 2, tokenSource: 'hand-made' });
    const scenario = validateScenarioObject({
      version: 1, name: 'replay', seed: 1,
      cluster: { preset: 'atlas-800t-a2', servers: 2 },
      model: { preset: 'tiny-moe', overrides: { layers: 2, seqLength: 128, hidden: 256, ffnHidden: 512 } },
      parallelism: { tp: 1, pp: 1, dp: 16, ep: 16, microBatchSize: 1, globalBatch: 32 },
      router: { name: 'gshard' },
      tokens: { source: 'synthetic' },
      routing: { replay: dir },
    }, 'test');
    const routed = await routeStep(resolveScenario(scenario));
    expect(initCalls.count).toBe(0);
    expect(routed.backend.active).toBe('none (replay)');
    expect(routed.tokenSource).toBe('routing trace replay (recorded from hand-made)');
    const layer1 = routed.routing[1]?.[1];
    expect(layer1?.droppedPairs).toBe(groups * groupSize);
    expect(Array.from(layer1?.keptPerExpert ?? [])).toEqual(new Array(experts).fill(groups * groupSize / experts));
    expect(layer1?.losses).toEqual({ aux: 0.02 });
    expect(routed.decisionsComputed).toBe(4 * 2 * groups * groupSize);
    // Without the trace the same scenario would start tfjs, which this test forbids: the check can fail.
    await expect(routeStep(resolveScenario({ ...scenario, routing: { sampleTokensPerLayer: 65536, warmupSteps: 0 } }))).rejects.toThrow(/tfjs backend started/);
    expect(initCalls.count).toBe(1);
  });
});
