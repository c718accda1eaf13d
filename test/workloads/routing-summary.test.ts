// From routing pairs to expert loads and the device-to-device dispatch matrix, on a hand-made decision.
import { describe, expect, it } from 'vitest';
import type { RoutingDecision } from '../../src/routing/index.ts';
import { loadModelPreset, resolveLayout, summariseRouting } from '../../src/workloads/index.ts';

describe('summariseRouting', () => {
  // 4 devices, ep 2 (2 EP groups), 4 experts → 2 experts per device. One token per group, top-2.
  const model = { ...loadModelPreset('tiny-moe'), experts: 4 };
  const layout = resolveLayout({ tp: 1, pp: 1, dp: 4, ep: 2, microBatchSize: 1, globalBatch: 4 }, 4, model);
  const decision: RoutingDecision = {
    router: 'hand', layer: 0, microBatch: 0, groups: 4, groupSize: 1, numExperts: 4,
    // token (=group) 0 → experts 3 (kept), 0 (kept); token 1 → 2 (kept), 3 (dropped); token 2 → 1 kept; token 3 → 3 kept
    pairToken: Int32Array.from([0, 0, 1, 1, 2, 3]),
    pairExpert: Int32Array.from([3, 0, 2, 3, 1, 3]),
    pairWeight: Float32Array.from([0.6, 0.4, 0.7, 0.3, 1, 1]),
    pairKept: Uint8Array.from([1, 1, 1, 0, 1, 1]),
    keptCounts: Int32Array.from([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
    proposedCounts: Int32Array.from([1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1]),
    capacity: 1,
    losses: {},
  };

  it('counts kept tokens per expert and per device-local expert', () => {
    const r = summariseRouting(decision, layout);
    expect([...r.keptPerExpert]).toEqual([1, 1, 1, 2]);
    expect(r.proposedPairs).toBe(6);
    expect(r.droppedPairs).toBe(1);
    // Group 0,1 (EP group 0: devices 0,1); groups 2,3 (EP group 1: devices 2,3). Device d holds experts 2(d%2), 2(d%2)+1.
    expect([...r.tokensPerRankExpert]).toEqual([1, 0, 1, 1, 0, 1, 0, 1]);
  });

  it('builds the dispatch matrix from token device to expert device, within each EP group', () => {
    const r = summariseRouting(decision, layout);
    const m = (i: number, j: number): number => r.dispatchTokens[i * 4 + j] as number;
    expect(m(0, 1)).toBe(1); // token 0 → expert 3 on device 1
    expect(m(0, 0)).toBe(1); // token 0 → expert 0 on its own device
    expect(m(1, 1)).toBe(1); // token 1 → expert 2 on device 1 (local); its dropped expert 3 sends nothing
    expect(m(2, 2)).toBe(1); // token 2 → expert 1 on device 2
    expect(m(3, 3)).toBe(1); // token 3 → expert 3 on device 3
    expect(r.dispatchTokens.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
