// The newcomer test: following docs/ARCHITECTURE.md alone (its extension-point row "a network model"), a toy network
// model (kept in test/newcomer/toy-network-model.ts) passes the exported contract suite, is registered, and the default
// scenario runs on it end to end. An ideal fabric never shares a link, so its step can be no slower than the analytical
// model's.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNetworkModelContract } from '../../src/testing.ts';
import { parseScenarioYaml, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';
import { planSweep, runSweep } from '../../src/studies/index.ts';
import { registerNetworkModel, unregisterNetworkModel } from '../../src/topology/index.ts';
import { IDEAL_FABRIC } from './toy-network-model.ts';

const defaultYaml = readFileSync('scenarios/default.yaml', 'utf8').replace('  trace: true', '  trace: false') // spans are not read here;
const scenarioOn = (network: string) => validateScenarioObject(parseScenarioYaml(defaultYaml.replace('network: analytical', `network: ${network}`), 'default.yaml'), 'default.yaml');
const stepTime = async (network: string): Promise<number> => {
  const scenario = scenarioOn(network);
  const run = await runScenario(resolveScenario(scenario), { recordLinkActivity: false, recordTraffic: false });
  return run.summary.stepTime_s;
};

describe('a newcomer adds a network model', () => {
  afterAll(() => unregisterNetworkModel(IDEAL_FABRIC.name));

  it('passes the exported contract suite', () => {
    expect(() => checkNetworkModelContract(IDEAL_FABRIC, { numRuns: 20 })).not.toThrow();
  });

  it('runs the default scenario once registered, no slower than the analytical model', async () => {
    expect(() => scenarioOn('ideal-fabric')).toThrow(/cluster\.network: got "ideal-fabric"; accepted: "analytical", "flow"/);
    registerNetworkModel(IDEAL_FABRIC);
    const ideal = await stepTime('ideal-fabric');
    const analytical = await stepTime('analytical');
    // The registry is per thread: a multi-worker sweep refuses the model up front instead of failing every point.
    const sweep = planSweep(defaultYaml.replace('network: analytical', 'network: ideal-fabric'), 'default.yaml', ['seed=1,2']);
    await expect(runSweep(sweep, { workers: 2 })).rejects.toThrow(/--workers: point 0 uses the network model "ideal-fabric", registered in this thread only/);
    console.log(`default scenario: ideal fabric ${ideal.toFixed(6)} s, analytical ${analytical.toFixed(6)} s`);
    expect(ideal).toBeGreaterThan(0);
    expect(ideal).toBeLessThanOrEqual(analytical);
  }, 120_000);
});
