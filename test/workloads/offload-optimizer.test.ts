// Host offload of the optimizer states (parallelism.offloadOptimizer, issue 17): their HBM is freed (kept in host
// memory instead) and the step pays two copies of them over the host link (the catalog's hostLinkBandwidth) around the
// optimizer update, checked against the hand count: 12 bytes per parameter of the device's shard, each way.
import { describe, expect, it } from 'vitest';
import { runStepProgram } from '../../src/execute/index.ts';
import type { ParallelismInput } from '../../src/workloads/index.ts';
import { buildStepProgram, estimateMemory } from '../../src/workloads/index.ts';
import { stageParams } from '../../src/workloads/param-sharding.ts';
import { stepSetup, uniformRouting } from './step-model-helpers.ts';

const BANDWIDTH = 50e9;

function run(p: Partial<ParallelismInput>) {
  const s = stepSetup({ tp: 1, pp: 2, dp: 8, ep: 8, microBatchSize: 1, globalBatch: 16, zero: 1, ...p });
  const routing = uniformRouting(s);
  const program = buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing, hostLinkBandwidth: BANDWIDTH });
  const r = runStepProgram(program, s.cluster, { network: 'analytical', recordSpans: false });
  return { s, r, memory: estimateMemory(s.model, s.layout, routing) };
}

describe('offloadOptimizer', () => {
  it('frees the optimizer states\' HBM and pays their copies over the host link, by the hand count', () => {
    const on = run({ offloadOptimizer: true });
    const off = run({});
    expect(on.memory[0]!.optimizerStates).toBe(0);
    expect(on.memory[0]!.hostBytes).toBe(off.memory[0]!.optimizerStates);
    expect(on.memory[0]!.total).toBeCloseTo(off.memory[0]!.total - off.memory[0]!.optimizerStates, 0);
    // Device 0 (stage 0, DP rank 0): ZeRO-1 shard of its stage's parameters, 12 B each, in and out.
    const p = stageParams(on.s.model, on.s.layout, 0);
    const shard = p.dense / on.s.layout.dp + p.expert / on.s.layout.epGroups;
    const expected = 2 * Math.ceil(((shard * 12) / BANDWIDTH) * 1e9);
    expect(on.r.devices[0]!.computeNs['host-copy']).toBe(expected);
    expect(off.r.devices[0]!.computeNs['host-copy']).toBeUndefined();
    console.log(`host copies ${(expected / 1e6).toFixed(3)} ms per step; step ${(off.r.stepTimeNs / 1e6).toFixed(3)} → ${(on.r.stepTimeNs / 1e6).toFixed(3)} ms`);
    expect(on.r.stepTimeNs).toBeGreaterThan(off.r.stepTimeNs);
  });
});
