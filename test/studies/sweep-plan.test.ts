// Sweep definitions: --set parsing (zipped axes, values like compare's overrides), key checks against the scenario
// schema, the point order (first --set slowest), each point's scenario (router changes start from defaults), and
// the fingerprint.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/engine/index.ts';
import { parseSetArgument, planSweep, pointScenario, pointValues } from '../../src/studies/index.ts';
import { defaultScenarioText } from '../helpers/run-cli.ts';

describe('sweep plan', () => {
  it('parses values like compare overrides and zipped axes', () => {
    expect(parseSetArgument('router.capacityFactor=1, 1.25,2')).toEqual({ keys: ['router.capacityFactor'], values: [[1], [1.25], [2]] });
    expect(parseSetArgument('a.b=true,null,x')).toEqual({ keys: ['a.b'], values: [[true], [null], ['x']] });
    expect(parseSetArgument('cluster.servers:parallelism.dp=1:8,2:16')).toEqual({ keys: ['cluster.servers', 'parallelism.dp'], values: [[1, 8], [2, 16]] });
  });

  it('enumerates the cartesian product with the first --set varying slowest', () => {
    const plan = planSweep(defaultScenarioText, 'default.yaml', ['cluster.servers:parallelism.dp=1:8,2:16', 'router.name=gshard,switch,hash', 'router.capacityFactor=1,2']);
    expect(plan.points).toBe(12);
    expect(plan.keys).toEqual(['cluster.servers', 'parallelism.dp', 'router.name', 'router.capacityFactor']);
    const order = Array.from({ length: plan.points }, (_, p) => Object.values(pointValues(plan, p)).join('/'));
    expect(order.slice(0, 4)).toEqual(['1/8/gshard/1', '1/8/gshard/2', '1/8/switch/1', '1/8/switch/2']);
    expect(order[6]).toBe('2/16/gshard/1');
    expect(order[11]).toBe('2/16/hash/2');
  });

  it("keeps the scenario's router parameters for its own router and starts others from their defaults", () => {
    const plan = planSweep(defaultScenarioText, 'default.yaml', ['router.name=gshard,switch', 'router.capacityFactor=2']);
    expect(pointScenario(plan, 0).router).toEqual({ name: 'gshard', capacityFactor: 2, secondExpert: 'random' });
    expect(pointScenario(plan, 1).router).toEqual({ name: 'switch', capacityFactor: 2 });
    expect((pointScenario(plan, 1).output as { trace: boolean }).trace).toBe(false);
  });

  it('fingerprints the scenario text and the axes', () => {
    const a = planSweep(defaultScenarioText, 'x', ['router.capacityFactor=1,2']).fingerprint;
    expect(planSweep(defaultScenarioText, 'y', ['router.capacityFactor=1, 2']).fingerprint).toBe(a);
    expect(planSweep(defaultScenarioText, 'x', ['router.capacityFactor=1,3']).fingerprint).not.toBe(a);
    expect(planSweep(`${defaultScenarioText}\n# changed\n`, 'x', ['router.capacityFactor=1,2']).fingerprint).not.toBe(a);
  });

  it.each([
    [['cluster.serverz=1'], /unknown key "cluster.serverz".*accepted: preset, servers/],
    [['router.capacityFactr=1'], /no router of this sweep \(gshard\) has a parameter "capacityFactr"/],
    [['router.name=gshard,nope'], /unknown router "nope"/],
    [['cluster.servers='], /value list is empty/],
    [['cluster.servers=1,,2'], /value 2 is empty/],
    [['cluster.servers'], /expected key=v1,v2/],
    [['cluster.servers=1,1'], /listed twice/],
    [['cluster.servers:parallelism.dp=1'], /must give 2 values/],
    [['seed=1', 'seed=2'], /"seed" is swept by two --set options/],
    [[], /at least one --set/],
  ])('refuses %j naming --set', (sets, message) => {
    const attempt = (): unknown => planSweep(defaultScenarioText, 'default.yaml', sets);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/^--set: /);
    expect(attempt).toThrow(message);
  });

  it('accepts free-form and union sections (checked when the point runs)', () => {
    expect(planSweep(defaultScenarioText, 'd', ['tokens.spread=0.5,1', 'cluster.overrides.system.x=1', 'model.overrides.seqLength=128']).points).toBe(2);
  });
});
