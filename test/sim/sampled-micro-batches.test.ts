// routing.sampledMicroBatches: only the first K micro-batches are routed; the rest reuse them (counted as
// resampled), a recorded trace holds K micro-batches and replays to the same step, and warm-up stays inside them.
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, routeStep, validateScenarioObject } from '../../src/sim/index.ts';
import type { Scenario } from '../../src/sim/index.ts';
import { defaultScenarioText, tempDir } from '../helpers/run-cli.ts';

/** The default scenario with 4 micro-batches of 256-token sequences (fast), routing only the first K. */
function scenario(routing: Record<string, unknown>): Scenario {
  const base = parseScenarioYaml(defaultScenarioText, 'default.yaml') as Scenario;
  return validateScenarioObject({
    ...base, model: { preset: 'tiny-moe', overrides: { seqLength: 256 } }, parallelism: { ...base.parallelism, globalBatch: 64 },
    routing: { sampledMicroBatches: 1, ...routing }, output: { trace: false },
  }, 'test');
}

describe('routing.sampledMicroBatches', () => {
  it('routes one micro-batch of four, reuses it for the others, and a recorded trace replays to the same routing', async () => {
    const dir = tempDir('sampled-mb-trace');
    const live = await routeStep(resolveScenario(scenario({ record: dir })));
    expect(live.routing).toHaveLength(4);
    // Every token is routed for real in micro-batch 0; micro-batches 1–3 are copies of it, counted as resampled.
    expect(live.decisionsResampled).toBe(3 * live.decisionsComputed);
    expect([...(live.routing[3]?.[0]?.keptPerExpert ?? [])]).toEqual([...(live.routing[0]?.[0]?.keptPerExpert ?? [])]);
    const replayed = await routeStep(resolveScenario(scenario({ replay: dir })));
    expect(replayed.decisionsComputed).toBe(live.decisionsComputed);
    for (let mb = 0; mb < 4; mb++) {
      expect([...(replayed.routing[mb]?.[2]?.dispatchTokens ?? [])]).toEqual([...(live.routing[mb]?.[2]?.dispatchTokens ?? [])]);
    }
  }, 60_000);
});
