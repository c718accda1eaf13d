// fp32 gradients (issue 17, part 4): `parallelism.gradientsInFp32` keeps and reduces gradients at 4 bytes per
// parameter instead of bf16's 2, as Megatron's --accumulate-allreduce-grads-in-fp32 does: twice the gradient memory
// and twice the bytes of the DP gradient reduction, and the rest of the step unchanged.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';

const yaml = readFileSync('scenarios/default.yaml', 'utf8').replace('  trace: true', '  trace: false') // spans are not read here;

describe('fp32 gradients', () => {
  it('doubles the gradient memory and the DP gradient bytes, and leaves the all-to-alls alone', async () => {
    const run = async (fp32: boolean) => {
      const text = yaml.replace('  globalBatch: 32 ', `  gradientsInFp32: ${fp32}\n  globalBatch: 32 `);
      const scenario = validateScenarioObject(parseScenarioYaml(text, 'grads.yaml'), 'grads.yaml');
      return (await runScenario(resolveScenario(scenario), { recordLinkActivity: false, recordTraffic: false, criticalPath: false })).summary;
    };
    const [bf16, fp32] = [await run(false), await run(true)];
    expect(fp32.parallelism.gradientsInFp32).toBe(true);
    expect(fp32.memory.gradients).toBe(2 * bf16.memory.gradients);
    expect(fp32.memory.weights).toBe(bf16.memory.weights);
    const grads = (s: typeof bf16) => s.commBytesByCategory['dp-grad']?.total ?? 0;
    expect(grads(bf16)).toBeGreaterThan(0);
    expect(grads(fp32)).toBe(2 * grads(bf16));
    expect(fp32.commBytesByCategory['ep-dispatch']).toEqual(bf16.commBytesByCategory['ep-dispatch']);
    expect(fp32.stepTime_s).toBeGreaterThanOrEqual(bf16.stepTime_s);
  }, 60_000);
});
