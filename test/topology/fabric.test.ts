// Tests of the fabrics between servers: every route a valid path for each topology (property test over random
// shapes), hop counts by tier, oversubscription of leaf and aggregation uplinks, switch counts, partial leaves,
// shared NICs and link names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCluster, findLinks } from '../../src/topology/index.ts';
import type { Cluster, FabricSettings } from '../../src/topology/index.ts';
import { routeProblem } from './route-checks.ts';

/** Names of the nodes a route passes through (its intermediate nodes). */
function via(cluster: Cluster, src: number, dst: number): string[] {
  return cluster.route(src, dst).slice(0, -1).map((id) => cluster.nodeInfo(cluster.links[id]!.to).name);
}

const fatTree3: FabricSettings = { topology: 'fat-tree-3', serversPerLeaf: 2, leavesPerPod: 2 };

describe('every route is a valid path', () => {
  const shapes = fc.record({
    topology: fc.constantFrom('single-switch', 'fat-tree-2', 'fat-tree-3', 'rail-optimised'),
    servers: fc.integer({ min: 1, max: 9 }),
    serversPerLeaf: fc.integer({ min: 1, max: 4 }),
    leavesPerPod: fc.integer({ min: 1, max: 3 }),
    nicsPerServer: fc.constantFrom(1, 2, 3, 8),
    spines: fc.integer({ min: 1, max: 3 }),
  });
  it('for random fabric shapes, between every pair of devices (and intra-server routes stay inside)', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const { topology, servers, nicsPerServer } = shape;
        const fabric: FabricSettings =
          topology === 'single-switch'
            ? { topology, nicsPerServer }
            : topology === 'fat-tree-3'
              ? { topology, nicsPerServer, serversPerLeaf: shape.serversPerLeaf, leavesPerPod: shape.leavesPerPod, aggregationsPerPod: shape.spines, coresPerPlane: 2 }
              : { topology, nicsPerServer, serversPerLeaf: shape.serversPerLeaf, spines: shape.spines };
        const cluster = buildCluster({ preset: 'atlas-800t-a2', servers, fabric });
        for (let src = 0; src < cluster.devices; src++) {
          for (let dst = 0; dst < cluster.devices; dst++) {
            const problem = routeProblem(cluster, src, dst);
            if (problem !== undefined) throw new Error(problem);
            const leavesServer = cluster.route(src, dst).some((id) => cluster.links[id]!.kind !== 'hccs');
            if (leavesServer === cluster.isIntraServer(src, dst) && src !== dst) throw new Error(`${src}→${dst} fabric use wrong`);
          }
        }
      }),
      { numRuns: 30, seed: 4 },
    );
  });

  it('the route checker rejects a route that skips a hop', () => {
    const cluster = buildCluster({ preset: 'atlas-800-910a', servers: 8 });
    const skipping = { ...cluster, route: (s: number, d: number) => cluster.route(s, d).filter((_, i) => i !== 1) };
    expect(routeProblem(skipping, 0, 63)).toMatch(/starts at/);
  });
});

describe('preset fabrics', () => {
  it('LocMoE 910A: fat-tree-2 with 4 servers per leaf; A2: fat-tree-2 at 1:1; DGX/HGX: rail-optimised', () => {
    const topology = (preset: string) => buildCluster({ preset, servers: 1 }).system.fabric;
    expect(topology('atlas-800-910a')).toMatchObject({ topology: 'fat-tree-2', serversPerLeaf: { value: 4 } });
    expect(topology('atlas-800t-a2')).toMatchObject({ topology: 'fat-tree-2', leafOversubscription: { value: 1 } });
    for (const preset of ['dgx-h100', 'hgx-h800', 'dgx-a100']) expect(topology(preset).topology).toBe('rail-optimised');
    expect(buildCluster({ preset: 'atlas-800-910a', servers: 32 }).fabric.tiers.map((t) => [t.tier, t.switches])).toEqual([
      ['leaf', 8],
      ['spine', 32],
    ]);
  });
});

describe('hop counts', () => {
  it('fat-tree-2 (LocMoE 910A cluster, 4 servers per leaf): same leaf via the leaf, else via one spine', () => {
    const cluster = buildCluster({ preset: 'atlas-800-910a', servers: 8 });
    expect(via(cluster, 0, 31)).toEqual(['leaf0']); // servers 0 and 3
    const cross = via(cluster, 0, 32); // server 0 (leaf0) → server 4 (leaf1)
    expect(cross).toHaveLength(3);
    expect(cross[0]).toBe('leaf0');
    expect(cross[1]).toMatch(/^spine\d+$/);
    expect(cross[2]).toBe('leaf1');
  });

  it('rail-optimised: same rail in one group crosses one switch; another rail goes via a spine', () => {
    const cluster = buildCluster({ preset: 'dgx-h100', servers: 4 });
    expect(via(cluster, 3, 8 + 3)).toEqual(['su0.rail3']);
    const other = via(cluster, 3, 8 + 5);
    expect(other).toHaveLength(3);
    expect(other[0]).toBe('su0.rail3');
    expect(other[1]).toMatch(/^spine\d+$/);
    expect(other[2]).toBe('su0.rail5');
    expect(cluster.leafOf(11)).toBe(cluster.leafOf(3));
  });

  it('fat-tree-3: same leaf 2 links, same pod 4 via an aggregation switch, across pods 6 via a core', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 8, fabric: fatTree3 });
    expect(via(cluster, 0, 8)).toEqual(['pod0.leaf0']);
    const samePod = via(cluster, 0, 16);
    expect(samePod).toEqual(['pod0.leaf0', expect.stringMatching(/^pod0\.agg\d+$/), 'pod0.leaf1']);
    const crossPod = via(cluster, 0, 40);
    expect(crossPod).toHaveLength(5);
    const agg = /^pod0\.agg(\d+)$/.exec(crossPod[1]!)!;
    expect(crossPod[0]).toBe('pod0.leaf0');
    expect(crossPod[2]).toMatch(new RegExp(`^plane${agg[1]}\\.core\\d+$`));
    expect(crossPod[3]).toBe(`pod1.agg${agg[1]}`);
    expect(crossPod[4]).toBe('pod1.leaf0');
  });
});

/** Sum of bandwidths of links from (or into) node `node` of a given kind. */
function capacity(cluster: Cluster, node: number, direction: 'out' | 'in', kind: string): number {
  return cluster.links
    .filter((l) => (direction === 'out' ? l.from : l.to) === node && l.kind === kind)
    .reduce((sum, l) => sum + l.bandwidth, 0);
}

describe('oversubscription and switch counts', () => {
  for (const ratio of [1, 2, 3]) {
    it(`fat-tree-2 at ${ratio}:1: leaf uplink capacity = downlink capacity / ${ratio}`, () => {
      const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 16, fabric: { leafOversubscription: ratio } });
      const leaf = cluster.leafOf(0);
      const down = capacity(cluster, leaf, 'out', 'roce');
      expect(down).toBeCloseTo(64 * cluster.links[cluster.route(0, 8)[0]!]!.bandwidth, 0);
      expect(capacity(cluster, leaf, 'out', 'switch-port')).toBeCloseTo(down / ratio, 0);
      expect(cluster.fabric.tiers[0]!.uplinksPerSwitch).toBe(Math.ceil(32 / ratio));
    });
  }

  it('fat-tree-3: aggregation uplink capacity = its downlink capacity / aggregationOversubscription', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 8, fabric: { ...fatTree3, aggregationOversubscription: 4 } });
    const agg = cluster.links.find((l) => l.name.startsWith('pod0.leaf0↑'))!.to;
    const aggDown = cluster.links.filter((l) => l.from === agg && cluster.nodeInfo(l.to).name.includes('leaf'));
    const aggUp = cluster.links.filter((l) => l.from === agg && cluster.nodeInfo(l.to).name.includes('core'));
    const sum = (links: typeof aggDown) => links.reduce((s, l) => s + l.bandwidth, 0);
    expect(aggDown).toHaveLength(2);
    expect(sum(aggUp)).toBeCloseTo(sum(aggDown) / 4, 0);
    expect(cluster.fabric.tiers.map((t) => t.tier)).toEqual(['leaf', 'aggregation', 'core']);
  });

  it('derives spines from the uplink port rate, or takes them from the spec', () => {
    // A2: 8 servers × 8 NICs × 25 GB/s line rate = 1.6 TB/s up at 1:1, over 50 GB/s ports → 32 spines.
    expect(buildCluster({ preset: 'atlas-800t-a2', servers: 2 }).fabric.tiers[1]).toMatchObject({ tier: 'spine', switches: 32 });
    const four = buildCluster({ preset: 'atlas-800t-a2', servers: 2, fabric: { spines: 4 } });
    expect(four.fabric.tiers[1]!.switches).toBe(4);
    expect(findLinks(four, 'leaf0↑spine*')).toHaveLength(4);
  });

  it('a partial last leaf has fewer servers and the uplinks of a full leaf', () => {
    const cluster = buildCluster({ preset: 'atlas-800-910a', servers: 6 });
    expect(cluster.fabric.tiers[0]!.switches).toBe(2);
    expect(cluster.leafOf(5 * 8)).toBe(cluster.leafOf(4 * 8));
    expect(findLinks(cluster, 'leaf1↓*nic*')).toHaveLength(16);
    const up = (leaf: string) => findLinks(cluster, `${leaf}↑*`).reduce((s, l) => s + l.bandwidth, 0);
    expect(up('leaf1')).toBe(up('leaf0'));
  });
});

describe('NICs shared by several devices', () => {
  it('maps devices to NICs in even contiguous blocks, each device through its own NIC only', () => {
    const four = buildCluster({ preset: 'atlas-800t-a2', servers: 2, fabric: { nicsPerServer: 4 } });
    expect([...Array(16).keys()].map((d) => four.nicOf(d))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1, 2, 2, 3, 3]);
    const names = (s: number, d: number) => four.route(s, d).map((id) => four.links[id]!.name);
    expect(names(0, 8)).toEqual(['d0↑s0.nic0', 's0.nic0↑leaf0', 'leaf0↓s1.nic0', 's1.nic0↓d8']);
    expect(names(1, 15)[1]).toBe('s0.nic0↑leaf0');
    expect(four.nodeInfo(four.links[four.route(0, 8)[0]!]!.to).kind).toBe('nic');
    const three = buildCluster({ preset: 'atlas-800t-a2', servers: 2, fabric: { nicsPerServer: 3 } });
    expect([...Array(8).keys()].map((d) => three.nicOf(d))).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
    // the wiring agrees with nicOf: each device has exactly one attachment, to its own NIC
    expect(three.links.filter((l) => l.kind === 'nic-attach')).toHaveLength(2 * 16);
    for (let d = 0; d < 16; d++) {
      const first = three.links[three.route(d, (d + 8) % 16)[0]!]!.name;
      expect(first).toBe(`d${d}↑s${three.serverOf(d)}.nic${three.nicOf(d)}`);
    }
  });
});

describe('link names', () => {
  it('are unique and follow the documented scheme', () => {
    const a2 = buildCluster({ preset: 'atlas-800t-a2', servers: 9 });
    expect(new Set(a2.links.map((l) => l.name)).size).toBe(a2.links.length);
    for (const name of ['d2→d5', 'd5→d2', 's1.nic5↑leaf0', 'leaf0↓s1.nic5', 'leaf0↑spine1', 'spine1↓leaf1']) {
      expect(a2.linkByName(name)?.name).toBe(name);
    }
    expect(a2.linkByName('leaf0↑spine1')!.kind).toBe('switch-port');
    const a910 = buildCluster({ preset: 'atlas-800-910a', servers: 1 });
    expect(['d0↑s0.pcie0', 's0.pcie0→s0.pcie1', 's0.pcie1↓d7'].every((n) => a910.linkByName(n) !== undefined)).toBe(true);
    const dgx = buildCluster({ preset: 'dgx-h100', servers: 1 });
    expect(['d1↑s0.switch', 's0.nic3↑su0.rail3', 'su0.rail3↑spine2'].every((n) => dgx.linkByName(n) !== undefined)).toBe(true);
    const three = buildCluster({ preset: 'atlas-800t-a2', servers: 8, fabric: fatTree3 });
    expect(three.linkByName('pod1.agg1↑plane1.core0')).toBeDefined();
    expect(three.linkByName('pod1.agg1↑plane0.core0')).toBeUndefined();
  });

  it('findLinks takes an exact name or a glob', () => {
    const cluster = buildCluster({ preset: 'atlas-800-910a', servers: 8 });
    expect(findLinks(cluster, 'leaf0↑spine3').map((l) => l.name)).toEqual(['leaf0↑spine3']);
    expect(findLinks(cluster, 'leaf0?spine3').map((l) => l.name)).toEqual(['leaf0↑spine3']);
    expect(findLinks(cluster, 'spine3?leaf*').map((l) => l.name)).toEqual(['spine3↓leaf0', 'spine3↓leaf1']);
    expect(findLinks(cluster, 's0.nic*↑leaf0')).toHaveLength(8);
    expect(findLinks(cluster, 'leaf9*')).toEqual([]);
    expect(findLinks(cluster, 'd0.')).toEqual([]);
  });
});
