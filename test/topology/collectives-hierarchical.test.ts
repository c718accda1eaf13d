// Hierarchical all-to-all-v against direct: the same bytes per (source server, destination server) pair on a
// skewed traffic matrix, fewer inter-server flows, both rails; then group validation (loud errors naming the
// group) and the default algorithm per topology. Byte comparisons allow relative 1e-12 (float sums).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import {
  allToAllV,
  buildCluster,
  checkCollectivePlan,
  defaultCollectiveAlgorithm,
  hierarchicalAllReduce,
  hierarchicalAllToAllV,
  planCollective,
  ringAllReduce,
} from '../../src/topology/index.ts';
import type { Cluster, CollectivePlan } from '../../src/topology/index.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** A skewed matrix: Zipf-like destination popularity, some zero entries, seeded. */
function skewedMatrix(n: number, seed: string): Float64Array {
  const rng = new Rng(seed);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j && rng.uniform() > 0.2) m[i * n + j] = Math.round((1e6 * rng.uniform()) / (1 + (j % 5)));
  }
  return m;
}

/** Bytes per (source server, destination server) over flows that cross servers. */
function serverPairBytes(plan: CollectivePlan, cluster: Cluster): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const phase of plan.phases) {
    for (const f of phase) {
      if (cluster.isIntraServer(f.src, f.dst)) continue;
      const key = `${cluster.serverOf(f.src)}→${cluster.serverOf(f.dst)}`;
      pairs.set(key, (pairs.get(key) ?? 0) + f.bytes);
    }
  }
  return pairs;
}

const interFlows = (plan: CollectivePlan, cluster: Cluster): number =>
  plan.phases.reduce((count, phase) => count + phase.filter((f) => !cluster.isIntraServer(f.src, f.dst)).length, 0);

describe('hierarchical all-to-all-v', () => {
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 4 });
  const group = range(32);
  const matrix = skewedMatrix(32, 'hierarchical-a2a');
  const direct = allToAllV(group, matrix);

  for (const rail of ['destination', 'source'] as const) {
    for (const interServer of ['pairwise', 'direct'] as const) {
      it(`rail ${rail}, ${interServer} exchange: same bytes per server pair as direct, fewer inter-server flows`, () => {
        const plan = hierarchicalAllToAllV(group, matrix, { ...cluster, serverOf: cluster.serverOf, rail, interServer });
        const expected = serverPairBytes(direct, cluster);
        const actual = serverPairBytes(plan, cluster);
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [pair, bytes] of expected) expect(actual.get(pair)! / bytes).toBeCloseTo(1, 12);
        expect(interFlows(plan, cluster)).toBe(4 * 3 * 8); // one per (server pair, rail) …
        expect(interFlows(direct, cluster)).toBeGreaterThan(4 * 3 * 8 * 4); // … against one per device pair
        expect(plan.phases).toHaveLength(interServer === 'pairwise' ? 1 + 3 : 2);
        expect(checkCollectivePlan(plan, matrix)).toEqual([]);
      });
    }
  }

  it('the destination rail aggregates on the destination’s local index; intra-server traffic goes directly', () => {
    const plan = hierarchicalAllToAllV(group, matrix, cluster);
    const [gather, ...exchange] = plan.phases;
    for (const f of gather!) expect(cluster.isIntraServer(f.src, f.dst)).toBe(true);
    for (const phase of exchange) for (const f of phase) expect(f.dst % 8).toBe(f.src % 8);
    // device 3 → device 5 (same server) carries its own traffic plus what 3 sends to local index 5 elsewhere
    const flow = gather!.find((f) => f.src === 3 && f.dst === 5)!;
    const expected = matrix[3 * 32 + 5]! + matrix[3 * 32 + 13]! + matrix[3 * 32 + 21]! + matrix[3 * 32 + 29]!;
    expect(flow.bytes).toBe(expected);
  });

  it('the checker catches a plan missing its intra-server phase', () => {
    const plan = hierarchicalAllToAllV(group, matrix, cluster);
    const problems = checkCollectivePlan({ ...plan, phases: plan.phases.slice(1) }, matrix);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/rank \d+ \(device \d+\) (never receives anything that depends on rank|sends)/);
  });

  it('on one server it is a single phase equal to direct', () => {
    const one = buildCluster({ preset: 'atlas-800t-a2', servers: 1 });
    const m = skewedMatrix(8, 'one');
    expect(hierarchicalAllToAllV(range(8), m, one).phases).toEqual(allToAllV(range(8), m).phases);
  });
});

describe('group validation names the group', () => {
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
  it('hierarchical algorithms need equal devices per server', () => {
    const uneven = [...range(8), 8, 9, 10];
    expect(() => hierarchicalAllReduce(uneven, 1e6, cluster)).toThrow(
      /group \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\]: hierarchical allreduce needs the same number of group devices in every server, got server 0: 8, server 1: 3/,
    );
    expect(() => hierarchicalAllToAllV(uneven, () => 1, cluster)).toThrow(/hierarchical all-to-all needs the same number/);
    // the flat algorithms accept the same group
    expect(ringAllReduce(uneven, 1e6).phases).toHaveLength(20);
  });
  it('a device in two roles, an empty group, an out-of-range device, a bad server map', () => {
    expect(() => hierarchicalAllReduce([0, 8, 0, 9], 1, cluster)).toThrow(/group \[0, 8, 0, 9\]: device 0 appears more than once/);
    expect(() => planCollective('allreduce', 'mesh', [], 1, cluster)).toThrow(/collective group is empty/);
    expect(() => planCollective('alltoall', 'direct', [0, 16], 1, cluster)).toThrow(/group \[0, 16\]: device id 16 is out of range \(expected in 0\.\.15\)/);
    expect(() => hierarchicalAllReduce([0, 1], 1, { serverOf: () => 0.5 })).toThrow(/serverOf\(0\) returned 0\.5/);
  });
  it('an unknown algorithm lists the accepted ones for the op', () => {
    expect(() => planCollective('allgather', 'halving-doubling', [0, 1], 1, cluster)).toThrow(
      /unknown allgather algorithm "halving-doubling"; accepted for allgather: ring, mesh, hierarchical/,
    );
  });
});

describe('default algorithm per topology', () => {
  const all = (c: Cluster): number[] => range(c.devices);
  const a2 = buildCluster({ preset: 'atlas-800t-a2', servers: 1 });
  const a2x4 = buildCluster({ preset: 'atlas-800t-a2', servers: 4 });
  const a910 = buildCluster({ preset: 'atlas-800-910a', servers: 1 });
  const dgx = buildCluster({ preset: 'dgx-h100', servers: 2 });
  it('HCCL: mesh in one full-mesh server, hierarchical across servers, ring on the 910A PCIe-joined groups', () => {
    expect(defaultCollectiveAlgorithm('allreduce', all(a2), a2)).toBe('mesh');
    expect(defaultCollectiveAlgorithm('allgather', all(a2), a2)).toBe('mesh');
    expect(defaultCollectiveAlgorithm('alltoall', all(a2), a2)).toBe('direct');
    expect(defaultCollectiveAlgorithm('allreduce', all(a2x4), a2x4)).toBe('hierarchical');
    expect(defaultCollectiveAlgorithm('alltoall', all(a2x4), a2x4)).toBe('hierarchical');
    expect(defaultCollectiveAlgorithm('allreduce', [...range(8), 8], a2x4)).toBe('ring'); // uneven servers
    expect(defaultCollectiveAlgorithm('allreduce', all(a910), a910)).toBe('ring');
  });
  it('NCCL: ring and direct', () => {
    expect(defaultCollectiveAlgorithm('allreduce', all(dgx), dgx)).toBe('ring');
    expect(defaultCollectiveAlgorithm('alltoall', all(dgx), dgx)).toBe('direct');
    expect(defaultCollectiveAlgorithm('broadcast', all(dgx), dgx)).toBe('ring');
  });
});
