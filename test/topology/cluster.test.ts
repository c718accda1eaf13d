// Tests of the cluster builder: node and link counts per intra-server kind, link pairing, valid and
// deterministic routes, the PCIe bottleneck between 910A groups, path latency, and loud input errors.
import { describe, expect, it } from 'vitest';
import { buildCluster, effectiveBandwidth, listPresets } from '../../src/topology/index.ts';
import type { Cluster } from '../../src/topology/index.ts';
import { routeProblem } from './route-checks.ts';

describe('link and node counts per system kind', () => {
  // Directed links: each physical link counts twice. Fabric: one NIC up/down pair per device, plus one trunk pair
  // per (leaf, spine). A2: 8 servers per leaf, 32 spines; 910A: 4 per leaf, 32 spines; DGX: rail leaves, 16 spines.
  const cases = [
    // full mesh: 8·7 directed HCCS links per server; 1 leaf, 32 spines
    { preset: 'atlas-800t-a2', servers: 2, nodes: 16 + 1 + 32, links: 2 * 56 + 2 * 16 + 2 * 32 },
    // two meshes of 4 (2·4·3 directed), 8 device↔bridge PCIe pairs, 1 bridge↔bridge pair; 1 leaf, 32 spines
    { preset: 'atlas-800-910a', servers: 2, nodes: 16 + 2 * 2 + 1 + 32, links: 2 * (24 + 16 + 2) + 2 * 16 + 2 * 32 },
    // NVSwitch: one up/down pair per GPU to the server's switch node; 8 rail leaves × 16 spines
    { preset: 'dgx-h100', servers: 2, nodes: 16 + 2 + 8 + 16, links: 2 * 16 + 2 * 16 + 2 * 8 * 16 },
    // 8 rail leaves × 32 spines
    { preset: 'hgx-h800', servers: 3, nodes: 24 + 3 + 8 + 32, links: 2 * 24 + 2 * 24 + 2 * 8 * 32 },
    // UB supernode: like a switch with 384 ports; one fabric switch
    { preset: 'cloudmatrix-384', servers: 1, nodes: 384 + 1 + 1, links: 2 * 384 + 2 * 384 },
  ];
  for (const c of cases) {
    it(`${c.preset} × ${c.servers}`, () => {
      const cluster = buildCluster({ preset: c.preset, servers: c.servers });
      expect(cluster.nodes).toBe(c.nodes);
      expect(cluster.links.length).toBe(c.links);
    });
  }

  it('counts links by kind on the A2 server', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
    const byKind = new Map<string, number>();
    for (const link of cluster.links) byKind.set(link.kind, (byKind.get(link.kind) ?? 0) + 1);
    expect(Object.fromEntries(byKind)).toEqual({ hccs: 112, roce: 32, 'switch-port': 64 });
  });
});

describe('links', () => {
  for (const preset of listPresets()) {
    it(`${preset}: ids are indexes and links come in reverse pairs with equal figures`, () => {
      const cluster = buildCluster({ preset, servers: 2 });
      cluster.links.forEach((link, i) => expect(link.id).toBe(i));
      for (let i = 0; i < cluster.links.length; i += 2) {
        const [a, b] = [cluster.links[i]!, cluster.links[i + 1]!];
        expect([b.from, b.to, b.kind, b.bandwidth, b.latencyNs]).toEqual([a.to, a.from, a.kind, a.bandwidth, a.latencyNs]);
      }
    });
  }
});

function allPairs(cluster: Cluster, devices: readonly number[]): string[] {
  const problems: string[] = [];
  for (const src of devices) {
    for (const dst of devices) {
      const problem = routeProblem(cluster, src, dst);
      if (problem !== undefined) problems.push(problem);
    }
  }
  return problems;
}

describe('routes', () => {
  for (const preset of listPresets()) {
    it(`${preset}: every route is a valid path from src to dst, intra-server ones never leave the server`, () => {
      const cluster = buildCluster({ preset, servers: 2 });
      const dps = cluster.system.devicesPerServer;
      // All devices for small servers; for the supernode, a spread sample in both servers.
      const sample = dps <= 16 ? [...Array(cluster.devices).keys()] : [0, 1, 7, 100, 383, 384, 385, 500, 767];
      expect(allPairs(cluster, sample)).toEqual([]);
      for (const src of sample) {
        for (const dst of sample) {
          const kinds = cluster.route(src, dst).map((id) => cluster.links[id]!.kind);
          const usesFabric = kinds.some((k) => k === 'roce' || k === 'ib');
          expect(usesFabric).toBe(src !== dst && !cluster.isIntraServer(src, dst));
        }
      }
    });
  }

  it('the route checker catches a broken path', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 1 });
    const broken = { ...cluster, route: () => [cluster.route(0, 1)[0]!, cluster.route(2, 3)[0]!] };
    expect(routeProblem(broken, 0, 1)).toMatch(/starts at 2/);
  });

  it('full mesh: an intra-server route is the one direct HCCS link', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 1 });
    const ids = cluster.route(3, 6);
    expect(ids).toHaveLength(1);
    const hccs = effectiveBandwidth(cluster.system.intraServer.link);
    expect(cluster.links[ids[0]!]).toMatchObject({ from: 3, to: 6, kind: 'hccs', bandwidth: hccs, name: 'd3→d6' });
  });

  it('inter-server under one leaf: NIC uplink → leaf switch → NIC downlink', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
    const [up, down] = cluster.route(2, 13).map((id) => cluster.links[id]!);
    expect(cluster.route(2, 13)).toHaveLength(2);
    expect(up).toMatchObject({ from: 2, kind: 'roce', bandwidth: effectiveBandwidth(cluster.system.fabric.nic), name: 's0.nic2↑leaf0' });
    expect(down).toMatchObject({ to: 13, kind: 'roce', name: 'leaf0↓s1.nic5' });
    expect(cluster.nodeInfo(up!.to).kind).toBe('fabric-switch');
  });

  it('910A: cross-group traffic shares the one PCIe link between the groups', () => {
    const cluster = buildCluster({ preset: 'atlas-800-910a', servers: 1 });
    expect(cluster.route(0, 3).map((id) => cluster.links[id]!.kind)).toEqual(['hccs']);
    const crossing = new Set<number>();
    for (const src of [0, 1, 2, 3]) {
      for (const dst of [4, 5, 6, 7]) {
        const route = cluster.route(src, dst);
        expect(route.map((id) => cluster.links[id]!.kind)).toEqual(['pcie', 'pcie', 'pcie']);
        crossing.add(route[1]!);
      }
    }
    expect(crossing.size).toBe(1);
    const bridgeLink = cluster.links[[...crossing][0]!]!;
    expect([cluster.nodeInfo(bridgeLink.from).kind, cluster.nodeInfo(bridgeLink.to).kind]).toEqual(['pcie-bridge', 'pcie-bridge']);
  });

  it('switch: an intra-server route goes up to the NVSwitch node and down', () => {
    const cluster = buildCluster({ preset: 'dgx-h100', servers: 1 });
    const links = cluster.route(1, 5).map((id) => cluster.links[id]!);
    expect(links.map((l) => l.kind)).toEqual(['nvlink', 'nvlink']);
    expect(cluster.nodeInfo(links[0]!.to).kind).toBe('intra-switch');
    expect(links[0]!.bandwidth).toBe(450e9 * 0.896); // line rate × the calibrated NVLink efficiency (catalog/systems/dgx-h100.yaml)
  });

  it('is cached and deterministic', () => {
    const a = buildCluster({ preset: 'dgx-h100', servers: 2 });
    const b = buildCluster({ preset: 'dgx-h100', servers: 2 });
    expect(a.route(0, 9)).toBe(a.route(0, 9));
    expect(a.route(0, 9)).toEqual(b.route(0, 9));
    expect(a.links).toEqual(b.links);
  });

  it('path latency is link latencies plus the latency of the nodes passed through', () => {
    const a2 = buildCluster({ preset: 'atlas-800t-a2', servers: 9 });
    expect(a2.pathLatencyNs(0, 1)).toBe(1_000); // one HCCS link
    expect(a2.pathLatencyNs(0, 8)).toBe(2_000 + 1_000 + 2_000); // NIC, leaf, NIC
    expect(a2.pathLatencyNs(0, 64)).toBe(2_000 + 1_000 + 100 + 1_000 + 100 + 1_000 + 2_000); // NIC, leaf, trunk, spine, trunk, leaf, NIC
    const dgx = buildCluster({ preset: 'dgx-h100', servers: 1 });
    expect(dgx.pathLatencyNs(0, 1)).toBe(250 + 500 + 250);
    expect(dgx.pathLatencyNs(4, 4)).toBe(0);
  });
});

describe('devices and servers', () => {
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 3 });

  it('numbers devices server by server', () => {
    expect(cluster.devices).toBe(24);
    expect([0, 7, 8, 23].map((d) => cluster.serverOf(d))).toEqual([0, 0, 1, 2]);
    expect(cluster.isIntraServer(8, 15)).toBe(true);
    expect(cluster.isIntraServer(7, 8)).toBe(false);
    for (let d = 0; d < cluster.devices; d++) expect(cluster.nodeInfo(d).kind).toBe('device');
  });

  it('rejects device ids that do not exist', () => {
    expect(() => cluster.route(0, 24)).toThrow(/route destination 24 is not a device.*0\.\.23/);
    expect(() => cluster.serverOf(-1)).toThrow(/not a device/);
    expect(() => cluster.route(1.5, 2)).toThrow(/route source 1.5/);
  });

  it('rejects a bad server count and an unknown preset', () => {
    expect(() => buildCluster({ preset: 'atlas-800t-a2', servers: 0 })).toThrow(/servers: expected a positive integer/);
    expect(() => buildCluster({ preset: 'nope', servers: 1 })).toThrow(/accepted presets: .*atlas-800t-a2/);
  });

  it('refuses more NICs than devices, saying why', () => {
    expect(() =>
      buildCluster({ preset: 'atlas-800t-a2', servers: 2, overrides: { system: { fabric: { nicsPerServer: 9 } } } }),
    ).toThrow(/fabric\.nicsPerServer: nicsPerServer 9 must not exceed devicesPerServer 8/);
  });
});
