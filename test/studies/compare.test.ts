// The router comparison's pieces that need no routing: the --routers syntax, parameter inheritance and
// validation (one error line naming the router and field), duplicates, and the row arithmetic (speed-up,
// all-to-all sums) on a hand-made summary.
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/sim/index.ts';
import { parseOverrideValue, parseRouterList, resolveRouterChoices, parseScenarioYaml, validateScenarioObject } from '../../src/sim/index.ts';
import { compareRow, scenariosForRouters } from '../../src/studies/index.ts';
import { defaultScenarioText, defaultScenarioWith } from '../helpers/run-cli.ts';

const scenario = validateScenarioObject(parseScenarioYaml(defaultScenarioText, 'default.yaml'), 'default.yaml');
const resolve = (list: string): ReturnType<typeof resolveRouterChoices> => resolveRouterChoices(scenario, parseRouterList(list));

describe('--routers syntax', () => {
  it('reads names and key=value overrides, values as number, boolean, null or string', () => {
    expect(parseRouterList(' gshard , switch:capacityFactor=1.1,gshard:capacityFactor=1.25:secondExpert=always')).toEqual([
      { name: 'gshard', overrides: {}, label: 'gshard' },
      { name: 'switch', overrides: { capacityFactor: 1.1 }, label: 'switch:capacityFactor=1.1' },
      { name: 'gshard', overrides: { capacityFactor: 1.25, secondExpert: 'always' }, label: 'gshard:capacityFactor=1.25:secondExpert=always' },
    ]);
    expect([parseOverrideValue('2'), parseOverrideValue('-1e-3'), parseOverrideValue('.5'), parseOverrideValue('true'), parseOverrideValue('false'), parseOverrideValue('null'), parseOverrideValue('1.2.3')])
      .toEqual([2, -0.001, 0.5, true, false, null, '1.2.3']);
  });

  it('rejects an empty list, empty items, a pair without "=", and a key given twice', () => {
    expect(() => parseRouterList('')).toThrow(/^--routers: the list is empty/);
    expect(() => parseRouterList(' , ')).toThrow(/^--routers: the list is empty/);
    expect(() => parseRouterList('gshard,,switch')).toThrow(/^--routers: item 2 is empty/);
    expect(() => parseRouterList('switch:capacityFactor')).toThrow(/^--routers: "switch:capacityFactor": expected key=value/);
    expect(() => parseRouterList('switch:=1')).toThrow(/expected key=value/);
    expect(() => parseRouterList('switch:capacityFactor=1:capacityFactor=2')).toThrow(/capacityFactor is given twice/);
  });
});

describe('router parameters', () => {
  it("the scenario's router keeps the scenario's parameters; others start from their defaults", () => {
    const s = validateScenarioObject(parseScenarioYaml(defaultScenarioWith('capacityFactor: 1.25', 'capacityFactor: 1.5'), 'x.yaml'), 'x.yaml');
    const [gshard, sw, hash] = resolveRouterChoices(s, parseRouterList('gshard,switch,hash'));
    expect(gshard?.params).toEqual({ capacityFactor: 1.5, auxLossWeight: 0.01, secondExpert: 'random' });
    expect(sw?.params).toEqual({ capacityFactor: 1.25, auxLossWeight: 0.01 });
    expect(hash?.params).toEqual({ k: 1, capacityFactor: null, hashPerLayer: true });
  });

  it('puts overrides on top, validated by the router schema', () => {
    const [g, h, s] = resolve('gshard:secondExpert=always,hash:capacityFactor=2:hashPerLayer=false,switch:capacityFactor=3');
    expect(g?.params).toEqual({ capacityFactor: 1.25, auxLossWeight: 0.01, secondExpert: 'always' });
    expect(h?.params).toEqual({ k: 1, capacityFactor: 2, hashPerLayer: false });
    expect(s?.params).toMatchObject({ capacityFactor: 3 });
  });

  it('dotted keys set nested fields', () => {
    const [lp] = resolve('locmoe-plus:capacity.kind=locmoe-plus-bound:capacity.reestimateEvery=7');
    expect(lp?.params['capacity']).toEqual({ kind: 'locmoe-plus-bound', reestimateEvery: 7 });
  });

  it('bad names and values are one line naming the router and the field', () => {
    const line = (list: string): string => {
      try {
        resolve(list);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error(`${list} was accepted`);
    };
    expect(line('gshard,swich')).toMatch(/^--routers: unknown router "swich"; accepted: .*switch/);
    expect(line('switch:capacityFactor=0')).toBe('--routers: switch.capacityFactor: must be > 0 (got 0)');
    expect(line('switch:capacityFactor=big')).toBe('--routers: switch.capacityFactor: expected number, got "big"');
    expect(line('gshard:secondExpert=sometimes')).toMatch(/^--routers: gshard\.secondExpert: got "sometimes"; accepted: "random", "always"$/);
    expect(line('switch:capacityFacter=1')).toMatch(/^--routers: switch: unknown field "capacityFacter"; accepted fields: capacityFactor, auxLossWeight$/);
    expect(line('switch:name=gshard')).toMatch(/unknown field "name"/);
    for (const list of ['switch:capacityFactor=0', 'gshard,swich', 'switch:capacityFacter=1']) expect(line(list)).not.toContain('\n');
  });

  it('refuses duplicates: the same router with the same parameters, however spelt', () => {
    expect(() => resolve('gshard,switch,gshard')).toThrow(/^--routers: "gshard" is listed twice$/);
    // the scenario's gshard already has capacityFactor 1.25
    expect(() => resolve('gshard,gshard:capacityFactor=1.25')).toThrow(/^--routers: "gshard:capacityFactor=1.25" duplicates "gshard" \(the same router with the same parameters\)$/);
    expect(() => resolve('switch,switch:auxLossWeight=0.01')).toThrow(/duplicates "switch"/);
    expect(resolve('gshard,gshard:capacityFactor=2').map((r) => r.label)).toEqual(['gshard', 'gshard:capacityFactor=2']);
    expect(() => resolveRouterChoices(scenario, [])).toThrow(/^--routers: the list is empty/);
  });
});

describe('the scenario each router runs', () => {
  it('swaps the router block, drops trace spans and routing.record, and refuses a replayed trace', () => {
    const recording = { ...scenario, routing: { ...scenario.routing, record: '/tmp/never-written' } };
    const { resolved, notes } = scenariosForRouters(recording, resolve('switch,dense'));
    expect(resolved.map((r) => r.router.name)).toEqual(['switch', 'dense']);
    expect(resolved.every((r) => r.scenario.output.trace === false && r.scenario.routing.record === undefined)).toBe(true);
    expect(resolved[1]?.model.name).toBe('tiny-moe-dense-equivalent'); // the dense router runs the dense equivalent
    expect(notes).toEqual(['routing.record (/tmp/never-written) is ignored: compare does not record routing traces']);
    const replaying = { ...scenario, routing: { ...scenario.routing, replay: 'trace-dir' } };
    expect(() => scenariosForRouters(replaying, resolve('switch'))).toThrow(/^routing\.replay: compare routes every router live/);
  });
});

describe('compareRow', () => {
  const summary = (stepTime_s: number): Summary => ({
    stepTime_s, tokensPerSecond: 1000 / stepTime_s, mfu: 0.25, hfu: 0.3, maxOverMeanExpertLoad: 1.5, droppedTokens: 10, proposedAssignments: 200, droppedFraction: 0.05,
    peakMemoryBytes: 123, routerParams: { capacityFactor: 1 },
    commBytesByCategory: {
      'ep-dispatch': { total: 30, intraServer: 20, interServer: 10 }, 'ep-combine': { total: 7, intraServer: 4, interServer: 3 }, 'dp-grad': { total: 1000, intraServer: 900, interServer: 100 },
    },
    breakdown_s: { compute: { expert: 9 }, exposedComm: { 'ep-dispatch': 0.25, 'ep-combine': 0.5, 'dp-grad': 4 }, imbalanceWait: 0 },
  }) as unknown as Summary;

  it('sums dispatch and combine only, and divides the baseline step time by this one', () => {
    const row = compareRow({ label: 'switch:capacityFactor=1', name: 'switch', params: {} }, summary(0.004), 0.005);
    expect(row).toMatchObject({ router: 'switch:capacityFactor=1', name: 'switch', params: { capacityFactor: 1 }, allToAllIntraServerBytes: 24, allToAllInterServerBytes: 13, exposedAllToAll_s: 0.75, peakMemoryBytes: 123 });
    expect(row.speedup).toBe(1.25);
    expect(compareRow({ label: 'x', name: 'x', params: {} }, summary(0.005), 0.005).speedup).toBe(1);
  });

  it('reads missing all-to-all categories (the dense router) as zero', () => {
    const dense = { ...summary(0.002), commBytesByCategory: {}, breakdown_s: { compute: {}, exposedComm: {}, imbalanceWait: 0 } } as unknown as Summary;
    expect(compareRow({ label: 'dense', name: 'dense', params: {} }, dense, 0.004)).toMatchObject({ allToAllIntraServerBytes: 0, allToAllInterServerBytes: 0, exposedAllToAll_s: 0, speedup: 2 });
  });
});
