// The issue-6 scenario: Mixtral 8x7B on 32 × 910B3 (TP 4, PP 4, DP 2, EP 2; sequence 32768, global batch 128)
// runs end to end from its scenario file and reports step time, tokens/s, MFU, tokens per expert per layer,
// communication bytes, the kernels it runs (breakdown, critical path, passes) and peak memory, and fits in 64 GiB.
// Routing is cut to one 2,048-token sample of one micro-batch here to keep the test fast (the file routes 8,192
// tokens of 2 micro-batches).
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';

describe('scenarios/mixtral-8x7b-910b3-32.yaml', () => {
  it('completes and reports the step, the expert loads, the bytes and a memory peak that fits', async () => {
    const scenario = loadScenarioFile('scenarios/mixtral-8x7b-910b3-32.yaml');
    const quick = validateScenarioObject({ ...scenario, routing: { ...scenario.routing, sampleTokensPerLayer: 2048, sampledMicroBatches: 1 }, output: { trace: false } }, 'test');
    const { summary: s } = await runScenario(resolveScenario(quick));
    const gib = (b: number): string => (b / 2 ** 30).toFixed(2);
    console.log(`mixtral 32 × 910B3: step ${s.stepTime_s.toFixed(3)} s, ${Math.round(s.tokensPerSecond)} tokens/s, MFU ${(100 * s.mfu).toFixed(1)}%, peak ${gib(s.peakMemoryBytes)} GiB (${s.memory.verdict ?? 'fits'}), bubble ${s.breakdown_s.pipelineBubble.toFixed(2)} s`);
    expect(s.parallelism).toMatchObject({ tp: 4, pp: 4, dp: 2, ep: 2, globalBatch: 128, microBatches: 64 });
    expect(s.devices).toBe(32);
    expect(s.tokensPerStep).toBe(128 * 32768);
    expect(s.stepTime_s).toBeGreaterThan(0);
    expect(s.tokensPerSecond).toBeCloseTo(s.tokensPerStep / s.stepTime_s, 6);
    expect(s.mfu).toBeGreaterThan(0.05);
    expect(s.mfu).toBeLessThan(0.9);
    expect(s.tokensPerExpert).toHaveLength(32);
    for (const row of s.tokensPerExpert) expect(row).toHaveLength(8);
    for (const kind of ['ep-dispatch', 'ep-combine', 'tp', 'pp', 'dp-grad', 'param-allgather']) expect(s.commBytesByCategory[kind]?.total ?? 0, kind).toBeGreaterThan(0);
    expect(s.breakdown_s.pipelineBubble).toBeGreaterThan(0);
    // The kernels a real step runs, in the breakdown and on the critical path; full recomputation is a pass.
    for (const kernel of ['norm', 'attention-proj', 'rope', 'flash-attention', 'residual-add', 'router', 'permute', 'activation', 'expert', 'cross-entropy']) {
      expect(s.breakdown_s.compute[kernel] ?? 0, kernel).toBeGreaterThan(0);
      expect(s.criticalPath?.compute[kernel] ?? 0, kernel).toBeGreaterThan(0);
    }
    expect(Object.keys(s.breakdown_s.computeByPass)).toEqual(['forward', 'recompute', 'backward', 'wgrad', 'optimizer']);
    console.log(`kernel time by pass (mean device): ${Object.entries(s.breakdown_s.computeByPass).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}`);
    expect(s.memory.fits).toBe(true);
    expect(s.peakMemoryBytes).toBeLessThanOrEqual(64 * 2 ** 30);
    // A device holds 1/(tp·pp) of the dense weights and 1/(tp·pp·ep) of the experts: (1.6B + 45.1B / 2) / 16 ≈ 1.51B
    // parameters in bf16 (within 5%: the first stage also holds the input embedding).
    const expected = (1.6e9 + 45.1e9 / 2) / 16;
    console.log(`weights per device: ${(s.memory.weights / 2 / 1e9).toFixed(3)}B parameters (hand estimate ${(expected / 1e9).toFixed(3)}B)`);
    expect(Math.abs(s.memory.weights / 2 - expected) / expected).toBeLessThan(0.05);
  }, 120_000);
});
