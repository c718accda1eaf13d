// FP8 (issue 17, part 4): on a chip with FP8 figures, the linear layers' GEMMs run at the FP8 peak and efficiency (so
// about half the BF16 time on H100, whose FP8 peak is twice its BF16 one at the same assumed efficiency), the MoE
// forward dispatch and backward combine carry 1 byte per element plus an fp32 scale per 128, and a chip without FP8
// refuses it with one line naming the fix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';
import { layerKernels } from '../../src/workloads/index.ts';

const base = readFileSync('scenarios/default.yaml', 'utf8').replace('  trace: true', '  trace: false') // spans are not read here;
const scenario = (preset: string, precision: string) => validateScenarioObject(parseScenarioYaml(
  base.replace('preset: atlas-800t-a2     # 8 × 910B3, HCCS full mesh; 8 × 200GE RoCE per server', `preset: ${preset}`) + (precision ? `precision: ${precision}\n` : ''), 'fp8.yaml'), 'fp8.yaml');

describe('FP8', () => {
  it('halves a linear layer\'s GEMM time on H100 and leaves the attention core and LM head in BF16', () => {
    const bf16 = resolveScenario(scenario('dgx-h100', ''));
    const fp8 = resolveScenario(scenario('dgx-h100', '{ linear: fp8 }'));
    const launch = bf16.kernelChip.launchOverheadNs;
    const at = (r: typeof bf16) => layerKernels(r.model, r.layout, r.kernelChip, r.precision.linearChip);
    const [a, b] = [at(bf16), at(fp8)];
    const qkv = (k: typeof a) => k.core.forward.find((x) => x.name === 'qkv projection')!.cost.timeNs - launch;
    const flash = (k: typeof a) => k.core.forward.find((x) => x.name === 'flash attention')!.cost.timeNs;
    const expected = (989.4e12 * 0.7262) / (1978.9e12 * 0.7262);
    console.log(`qkv projection on H100: bf16 ${qkv(a)} ns, fp8 ${qkv(b)} ns, ratio ${(qkv(b) / qkv(a)).toFixed(4)} (peaks: ${expected.toFixed(4)})`);
    expect(qkv(b) / qkv(a)).toBeCloseTo(expected, 2);
    expect(flash(b)).toBe(flash(a));
    expect(b.lmHead.forward.map((x) => x.cost.timeNs)).toEqual(a.lmHead.forward.map((x) => x.cost.timeNs));
  });

  it('sends the forward dispatch and the backward combine in FP8, and the step is faster', async () => {
    const run = async (precision: string) => (await runScenario(resolveScenario(scenario('dgx-h100', precision)), { recordLinkActivity: false, recordTraffic: false, criticalPath: false })).summary;
    const bf16 = await run('');
    const fp8 = await run('{ linear: fp8 }');
    const linearOnly = await run('{ linear: fp8, dispatch: bf16 }');
    expect(fp8.precision).toEqual({ linear: 'fp8', dispatch: 'fp8' });
    const dispatch = (s: typeof bf16) => s.commBytesByCategory['ep-dispatch']!.total;
    const combine = (s: typeof bf16) => s.commBytesByCategory['ep-combine']!.total;
    // Each category is half forward, half backward: (1 + 4/128 + 2) / (2 + 2) of the BF16 bytes.
    expect(dispatch(fp8) / dispatch(bf16)).toBeCloseTo((1 + 4 / 128 + 2) / 4, 9);
    expect(combine(fp8) / combine(bf16)).toBeCloseTo((1 + 4 / 128 + 2) / 4, 9);
    expect(dispatch(linearOnly)).toBe(dispatch(bf16));
    console.log(`default scenario on 2 x DGX H100: step bf16 ${bf16.stepTime_s.toFixed(5)} s, fp8 ${fp8.stepTime_s.toFixed(5)} s, fp8 GEMMs with bf16 dispatch ${linearOnly.stepTime_s.toFixed(5)} s`);
    expect(linearOnly.stepTime_s).toBeLessThan(bf16.stepTime_s);
    expect(fp8.stepTime_s).toBeLessThanOrEqual(linearOnly.stepTime_s);
  }, 120_000);

  it('refuses FP8 on a chip without FP8 figures, naming the fix', () => {
    expect(() => resolveScenario(scenario('atlas-800t-a2', '{ linear: fp8 }'))).toThrow(/precision\.linear: fp8, but the catalog gives 910b3 no FP8 figures; use bf16, or add cluster\.overrides\.chip\.fp8/);
    expect(() => resolveScenario(scenario('atlas-800t-a2', '{ dispatch: fp8 }'))).toThrow(/precision\.dispatch: fp8, but the catalog gives 910b3 no FP8 figures/);
  });
});
