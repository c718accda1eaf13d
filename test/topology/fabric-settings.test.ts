// Tests of scenario fabric settings (cluster.fabric) and their path through the scenario: switching topology,
// provenance of replaced figures, defaults marked assumed, loud errors for missing or foreign fields, overrides
// applied after the settings, and cluster.fabric / cluster.faults in a scenario file reaching buildCluster.
import { describe, expect, it } from 'vitest';
import { validateScenarioObject } from '../../src/sim/scenario/load-scenario.ts';
import { resolveScenario } from '../../src/sim/scenario/resolve-scenario.ts';
import { applyFabricSettings, buildCluster, getSystem } from '../../src/topology/index.ts';
import type { FabricSettings } from '../../src/topology/index.ts';

describe('applyFabricSettings', () => {
  const a2 = getSystem('atlas-800t-a2');

  it('switches the A2 preset to a 3-tier fat-tree, keeping its leaf figures and defaulting the new tier', () => {
    const system = applyFabricSettings(a2, { topology: 'fat-tree-3', leavesPerPod: 4 });
    const fabric = system.fabric;
    if (fabric.topology !== 'fat-tree-3') throw new Error('topology not switched');
    expect(fabric.leavesPerPod).toEqual({ value: 4, source: 'scenario cluster.fabric.leavesPerPod' });
    expect(fabric.serversPerLeaf).toEqual(a2.fabric.topology === 'fat-tree-2' ? a2.fabric.serversPerLeaf : undefined);
    expect(fabric.aggregationOversubscription).toMatchObject({ value: 1, assumed: true });
    expect(fabric.aggregationUplink.portBandwidth.value).toBe(fabric.leafUplink.portBandwidth.value);
    expect(fabric.aggregationUplink.portBandwidth.source).toMatch(/as leafUplink/);
    expect(a2.fabric.topology).toBe('fat-tree-2');
  });

  it('records the scenario and the old figure in the source of a replaced figure', () => {
    const system = applyFabricSettings(a2, { leafOversubscription: 2, leafUplink: { latency: 5e-7 } });
    if (system.fabric.topology !== 'fat-tree-2') throw new Error('topology changed');
    expect(system.fabric.leafOversubscription.source).toMatch(/^scenario cluster\.fabric\.leafOversubscription \(was 1: HARDWARE\.md/);
    expect(system.fabric.leafUplink.latency.value).toBe(5e-7);
    expect(system.fabric.leafUplink.portBandwidth).toEqual(a2.fabric.topology === 'fat-tree-2' ? a2.fabric.leafUplink.portBandwidth : undefined);
  });

  it('from single-switch, fills leaf uplinks from the NIC rate but needs serversPerLeaf', () => {
    const generic = getSystem('generic');
    expect(() => applyFabricSettings(generic, { topology: 'fat-tree-2' })).toThrow(
      /cluster\.fabric: topology "fat-tree-2" needs serversPerLeaf, which preset "generic" \(single-switch\) does not give; add cluster\.fabric\.serversPerLeaf/,
    );
    const system = applyFabricSettings(generic, { topology: 'fat-tree-2', serversPerLeaf: 2 });
    expect(system.fabric.topology === 'fat-tree-2' && system.fabric.leafUplink.portBandwidth.value).toBe(generic.fabric.nic.bandwidth.value);
  });

  it('rejects a field the topology does not have, and bad numbers, naming them', () => {
    expect(() => applyFabricSettings(getSystem('generic'), { spines: 4 })).toThrow(
      /cluster\.fabric\.spines: topology "single-switch" has no such field; its fields: nicsPerServer, nic, switchLatency/,
    );
    expect(() => applyFabricSettings(a2, { serversPerLeaf: 0 } as FabricSettings)).toThrow(/cluster\.fabric: serversPerLeaf/);
    expect(() => applyFabricSettings(a2, { topology: 'torus' } as unknown as FabricSettings)).toThrow(/cluster\.fabric: topology/);
    expect(() => applyFabricSettings(a2, { nicsPerServer: 16 })).toThrow(/nicsPerServer 16 must not exceed devicesPerServer 8/);
  });

  it('overrides apply after the fabric settings, so they can change fields the settings brought in', () => {
    // 1 server per leaf: 8 × 25 GB/s up over 50 GB/s ports → 4 aggregations per pod; each takes 2 leaves × 50 GB/s,
    // so 2 cores per plane at 1:1 and 1 at 2:1.
    const fabric: FabricSettings = { topology: 'fat-tree-3', leavesPerPod: 2, serversPerLeaf: 1 };
    const plain = buildCluster({ preset: 'atlas-800t-a2', servers: 4, fabric });
    expect(plain.fabric.tiers[1]).toMatchObject({ tier: 'aggregation', switches: 8, uplinksPerSwitch: 2 });
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 4, fabric, overrides: { system: { fabric: { aggregationOversubscription: 2 } } } });
    expect(cluster.fabric.tiers[1]).toMatchObject({ tier: 'aggregation', uplinksPerSwitch: 1 });
  });
});

describe('cluster.fabric and cluster.faults in a scenario', () => {
  const scenario = (cluster: Record<string, unknown>) => ({
    version: 1,
    name: 'fabric-test',
    seed: 1,
    cluster: { preset: 'atlas-800-910a', servers: 8, ...cluster },
    model: { preset: 'tiny-moe' },
    parallelism: { tp: 1, pp: 1, dp: 64, ep: 16, microBatchSize: 1, globalBatch: 64 },
    router: { name: 'switch' },
    tokens: { source: 'synthetic', clusters: 4, zipfExponent: 1, spread: 1, layerDrift: 0.5 },
  });

  it('reach buildCluster', () => {
    const parsed = validateScenarioObject(
      scenario({ fabric: { leafOversubscription: 4, spines: 2 }, faults: [{ link: 'leaf0↑spine1', state: { bandwidthFactor: 0.5 } }] }),
      'test.yaml',
    );
    const { cluster } = resolveScenario(parsed);
    expect(cluster.fabric.tiers[1]!.switches).toBe(2);
    expect(cluster.linkByName('leaf0↑spine1')!.bandwidthFactor).toBe(0.5);
  });

  it('are validated with the field named', () => {
    expect(() => validateScenarioObject(scenario({ fabric: { spine: 2 } }), 'test.yaml')).toThrow(/cluster\.fabric: unknown field "spine"/);
    expect(() => validateScenarioObject(scenario({ faults: [{ link: 'x', state: 'off' }] }), 'test.yaml')).toThrow(/cluster\.faults\.0\.state/);
    const parsed = validateScenarioObject(scenario({ faults: [{ link: 'leaf7↑spine1', state: 'down' }] }), 'test.yaml');
    expect(() => resolveScenario(parsed)).toThrow(/cluster\.faults\[0\]\.link: "leaf7↑spine1" names no link.*close matches/);
  });
});
