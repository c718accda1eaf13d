// Tests of deterministic ECMP: the hash is pinned (the same on every machine), routes are stable across calls
// and fresh builds, routeForFlow(…, 0) equals route, and pairs and flow keys spread evenly over spines and cores.
import { describe, expect, it } from 'vitest';
import { buildCluster, ecmpHash } from '../../src/topology/index.ts';
import type { Cluster } from '../../src/topology/index.ts';

/** Name of the second-tier switch (spine or aggregation) a route climbs to. */
function secondTier(cluster: Cluster, route: readonly number[]): string {
  const up = route.find((id) => cluster.links[id]!.kind === 'switch-port');
  if (up === undefined) throw new Error('route does not leave its leaf');
  return cluster.nodeInfo(cluster.links[up]!.to).name;
}

function counts(names: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const name of names) map.set(name, (map.get(name) ?? 0) + 1);
  return map;
}

describe('ecmpHash', () => {
  it('is pinned: FNV-1a over (src, dst, flowKey low, flowKey high, stage) with the murmur3 finaliser', () => {
    // Reference values computed once; a change here changes every route of every existing scenario.
    expect([ecmpHash(0, 0, 0, 0), ecmpHash(1, 2, 0, 0), ecmpHash(2, 1, 0, 0), ecmpHash(1, 2, 0, 1), ecmpHash(1, 2, 2 ** 32, 0)]).toEqual(
      PINNED,
    );
    expect(() => ecmpHash(0, 1, 0.5, 0)).toThrow(/flowKey must be a safe integer/);
  });
});

/** Checked against an independent Python implementation of the same hash. */
const PINNED = [3361541576, 3140028231, 3114193624, 3146059179, 1006219873];

describe('route choice', () => {
  const build = () => buildCluster({ preset: 'atlas-800t-a2', servers: 32 });

  it('is the same on every call, in a fresh build, and for routeForFlow with flow key 0', () => {
    const a = build();
    const b = build();
    for (const [src, dst] of [[0, 64], [5, 200], [255, 3], [17, 130]] as const) {
      expect(a.route(src, dst)).toBe(a.route(src, dst));
      expect(b.route(src, dst)).toEqual(a.route(src, dst));
      expect(a.routeForFlow(src, dst, 0)).toEqual(a.route(src, dst));
    }
  });

  it('spreads leaf-to-leaf pairs evenly over the 32 spines (each within ±35% of the mean)', () => {
    const cluster = build();
    const names: string[] = [];
    for (let src = 0; src < 64; src++) for (let dst = 64; dst < 128; dst++) names.push(secondTier(cluster, cluster.route(src, dst)));
    const perSpine = counts(names);
    expect(perSpine.size).toBe(32);
    const mean = names.length / 32; // 128
    for (const n of perSpine.values()) {
      expect(n).toBeGreaterThan(0.65 * mean);
      expect(n).toBeLessThan(1.35 * mean);
    }
  });

  it('hashes (src, dst) as an ordered pair: the reverse direction is chosen independently', () => {
    const cluster = build();
    let differ = 0;
    for (let src = 0; src < 32; src++) {
      const dst = 64 + src;
      if (secondTier(cluster, cluster.route(src, dst)) !== secondTier(cluster, cluster.route(dst, src))) differ++;
    }
    expect(differ).toBeGreaterThan(20);
  });

  it('routeForFlow spreads the flows of one pair over spines by flow key', () => {
    const cluster = build();
    const names = Array.from({ length: 256 }, (_, key) => secondTier(cluster, cluster.routeForFlow(0, 64, key)));
    expect(counts(names).size).toBeGreaterThan(25);
    expect(cluster.routeForFlow(0, 64, 7)).toEqual(cluster.routeForFlow(0, 64, 7));
    expect(() => cluster.routeForFlow(0, 64, 1.5)).toThrow(/flowKey/);
  });

  it('fat-tree-3 spreads cross-pod pairs over aggregation switches and over the cores of a plane', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 16, fabric: { topology: 'fat-tree-3', leavesPerPod: 1, coresPerPlane: 4 } });
    const aggs: string[] = [];
    const cores: string[] = [];
    const combos: string[] = [];
    for (let src = 0; src < 64; src++) {
      for (let dst = 64; dst < 128; dst++) {
        const route = cluster.route(src, dst);
        aggs.push(secondTier(cluster, route));
        cores.push(cluster.nodeInfo(cluster.links[route[2]!]!.to).name.replace(/^plane\d+\./, ''));
        combos.push(`${aggs.at(-1)} ${cores.at(-1)}`);
      }
    }
    expect(counts(aggs).size).toBe(32);
    // the core choice is independent of the aggregation choice: all 32 × 4 combinations occur
    expect(counts(combos).size).toBe(128);
    const perCore = counts(cores);
    expect(perCore.size).toBe(4);
    for (const n of perCore.values()) expect(Math.abs(n - 1024) / 1024).toBeLessThan(0.1);
  });
});
