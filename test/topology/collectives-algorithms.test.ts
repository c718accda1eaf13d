// Allreduce, allgather, reduce-scatter, broadcast and send/recv algorithms: per-rank byte totals (exact, up to
// float rounding: relative 1e-12), phase counts, and closed-form times on one Atlas 800T A2 server with
// latencies zeroed and efficiency 1 (within 1 ns per phase, as each phase rounds up to whole ns).
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import {
  buildCluster,
  checkCollectivePlan,
  createAnalyticalNetwork,
  halvingDoublingAllReduce,
  hierarchicalAllGather,
  hierarchicalAllReduce,
  hierarchicalReduceScatter,
  meshAllGather,
  meshAllReduce,
  meshReduceScatter,
  planRankBytes,
  ringAllReduce,
  ringBroadcast,
  ringSendRecv,
  sendRecv,
  simulateCollective,
  treeBroadcast,
} from '../../src/topology/index.ts';
import type { CollectivePlan } from '../../src/topology/index.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);
const EIGHT = range(8);
const S = 3 * 2 ** 27; // 384 MiB: divisible by every rank count used here

function expectEvery(values: Float64Array, expected: number): void {
  for (const v of values) expect(v / expected).toBeCloseTo(1, 12);
}

function sentPerPhase(plan: CollectivePlan, device: number): number[] {
  return plan.phases.map((phase) => phase.filter((f) => f.src === device).reduce((sum, f) => sum + f.bytes, 0));
}

describe('allreduce byte totals: reduce-scatter and allgather each move (n−1)/n · S per rank', () => {
  it('halving-doubling, n = 8: 2·log2 n phases, halving sizes then doubling', () => {
    const plan = halvingDoublingAllReduce(EIGHT, S);
    expect(plan.phases).toHaveLength(6);
    expect(sentPerPhase(plan, 5)).toEqual([S / 2, S / 4, S / 8, S / 8, S / 4, S / 2]);
    // step j pairs rank r with r XOR 2^j (distance doubling), the allgather mirrors it
    expect(plan.phases[0]!.find((f) => f.src === 5)!.dst).toBe(4);
    expect(plan.phases[2]!.find((f) => f.src === 5)!.dst).toBe(1);
    const { sent, received } = planRankBytes(plan);
    const half = plan.phases.length / 2;
    const reduceScatter = { ...plan, phases: plan.phases.slice(0, half) };
    expectEvery(planRankBytes(reduceScatter).sent, (7 / 8) * S);
    expectEvery(sent, (2 * 7 * S) / 8);
    expectEvery(received, (2 * 7 * S) / 8);
  });

  it('halving-doubling, n = 6 (not a power of two): fold, 4 ranks of power-of-two steps, unfold', () => {
    const group = range(6, 10);
    const plan = halvingDoublingAllReduce(group, S);
    expect(plan.phases).toHaveLength(1 + 4 + 1);
    expect(plan.phases[0]).toEqual([
      { src: 10, dst: 11, bytes: S },
      { src: 12, dst: 13, bytes: S },
    ]);
    expect(plan.phases[5]).toEqual([
      { src: 11, dst: 10, bytes: S },
      { src: 13, dst: 12, bytes: S },
    ]);
    const { sent, received } = planRankBytes(plan);
    expect([sent[0], received[0], sent[2], received[2]]).toEqual([S, S, S, S]); // folded ranks
    for (const survivor of [1, 3]) expect(sent[survivor]! / ((3 / 2) * S + S)).toBeCloseTo(1, 12);
    for (const survivor of [4, 5]) expect(sent[survivor]! / ((3 / 2) * S)).toBeCloseTo(1, 12);
    expect(sent.reduce((a, b) => a + b, 0) / (2 * 5 * S)).toBeCloseTo(1, 12); // = 2(n−1)·S in total
    expect(checkCollectivePlan(plan, S)).toEqual([]);
  });

  it('mesh: 2 phases, every rank sends S/n to every peer in each', () => {
    const plan = meshAllReduce(EIGHT, S);
    expect(plan.phases).toHaveLength(2);
    for (const phase of plan.phases) {
      expect(phase).toHaveLength(8 * 7);
      for (const flow of phase) expect(flow.bytes).toBe(S / 8);
    }
    expectEvery(planRankBytes({ ...plan, phases: [plan.phases[0]!] }).sent, (7 / 8) * S);
    expectEvery(planRankBytes(plan).received, (14 / 8) * S);
  });

  it('hierarchical on 4 servers × 8: 2(n−1)/n · S per rank, of which 2(S−1)/(S·L) · S crosses servers', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 4 });
    const group = range(32);
    const plan = hierarchicalAllReduce(group, S, cluster);
    expect(plan.phases).toHaveLength(1 + 2 * 3 + 1);
    expectEvery(planRankBytes(plan).sent, ((2 * 31) / 32) * S);
    const interSent = new Float64Array(32);
    for (const phase of plan.phases) for (const f of phase) if (!cluster.isIntraServer(f.src, f.dst)) interSent[f.src]! += f.bytes;
    expectEvery(interSent, ((2 * 3) / (4 * 8)) * S);
    const halving = hierarchicalAllReduce(group, S, { ...cluster, serverOf: cluster.serverOf, interServer: 'halving-doubling' });
    expect(halving.phases).toHaveLength(1 + 2 * 2 + 1);
    expectEvery(planRankBytes(halving).sent, ((2 * 31) / 32) * S);
  });
});

describe('allgather and reduce-scatter byte totals', () => {
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
  const group = range(16);
  it('mesh: one phase; allgather receives and reduce-scatter sends (n−1)/n · S per rank', () => {
    for (const plan of [meshAllGather(EIGHT, S), meshReduceScatter(EIGHT, S)]) {
      expect(plan.phases).toHaveLength(1);
      expectEvery(planRankBytes(plan).sent, (7 / 8) * S);
      expectEvery(planRankBytes(plan).received, (7 / 8) * S);
    }
  });
  it('hierarchical: rail ring then in-server mesh (allgather), the mirror for reduce-scatter', () => {
    const gather = hierarchicalAllGather(group, S, cluster);
    const scatter = hierarchicalReduceScatter(group, S, cluster);
    expect(gather.phases.map((p) => p.length)).toEqual([16, 2 * 8 * 7]);
    expect(scatter.phases.map((p) => p.length)).toEqual([2 * 8 * 7, 16]);
    for (const plan of [gather, scatter]) {
      expectEvery(planRankBytes(plan).sent, (15 / 16) * S);
      expect(checkCollectivePlan(plan, S)).toEqual([]);
    }
  });
});

describe('broadcast and send/recv', () => {
  it('ring (pipelined chain): C + n − 2 phases of S/C, every non-root receives S once', () => {
    const plan = ringBroadcast(EIGHT, S, { root: 3, chunks: 16 });
    expect(plan.root).toBe(3);
    expect(plan.phases).toHaveLength(16 + 8 - 2);
    const { sent, received } = planRankBytes(plan);
    expect(received[3]).toBe(0);
    for (const r of EIGHT) if (r !== 3) expect(received[r]).toBe(S);
    expect(sent[2]).toBe(0); // the end of the chain 3, 4, …, 7, 0, 1, 2
    expect(ringBroadcast(EIGHT, S).phases).toHaveLength(Math.ceil(S / 2 ** 22) + 6); // default chunk 4 MiB
  });
  it('tree (binomial): ceil(log2 n) phases of S, every non-root receives S once', () => {
    for (const n of [2, 5, 8, 13]) {
      const plan = treeBroadcast(range(n), S, { root: n - 1 });
      expect(plan.phases).toHaveLength(Math.ceil(Math.log2(n)));
      const { received } = planRankBytes(plan);
      for (let r = 0; r < n; r++) expect(received[r]).toBe(r === n - 1 ? 0 : S);
      expect(checkCollectivePlan(plan, S)).toEqual([]);
    }
  });
  it('send/recv is one flow; a self-loop or a bad root is an error naming the group', () => {
    expect(sendRecv(3, 9, 100).phases).toEqual([[{ src: 3, dst: 9, bytes: 100 }]]);
    expect(() => sendRecv(4, 4, 100)).toThrow(/send\/recv group \[4, 4\]: device 4 sends to itself \(a self-loop\)/);
    expect(() => ringSendRecv([7], 100)).toThrow(/group \[7\]: one device would send to itself/);
    expect(() => treeBroadcast(EIGHT, 1, { root: 8 })).toThrow(/group \[0, 1, .*\]: broadcast root rank 8 is not a rank/);
    expect(ringSendRecv([1, 2, 3], 5).phases).toEqual([
      [
        { src: 1, dst: 2, bytes: 5 },
        { src: 2, dst: 3, bytes: 5 },
        { src: 3, dst: 1, bytes: 5 },
      ],
    ]);
  });
});

describe('closed-form times on one A2 server (latencies 0, efficiency 1)', () => {
  const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 1, overrides: { system: { intraServer: { link: { latency: 0, efficiency: 1 } } } } });
  const B = 28e9;
  const time = (plan: CollectivePlan): number => {
    const sim = new Simulator();
    return simulateCollective(sim, createAnalyticalNetwork(sim, cluster, { messageLatencyNs: 0 }), plan);
  };
  const within = (plan: CollectivePlan, seconds: number): void => {
    const ns = time(plan);
    expect(ns).toBeGreaterThanOrEqual(seconds * 1e9 - 1e-6);
    expect(ns - seconds * 1e9).toBeLessThanOrEqual(plan.phases.length);
  };
  it('halving-doubling equals ring in bandwidth: 2(n−1)/n · S/B', () => within(halvingDoublingAllReduce(EIGHT, S), ((2 * 7) / 8) * (S / B)));
  it('mesh is n−1 times faster than ring: 2 · (S/n)/B', () => {
    within(meshAllReduce(EIGHT, S), (2 * S) / 8 / B);
    expect(time(ringAllReduce(EIGHT, S)) / time(meshAllReduce(EIGHT, S))).toBeCloseTo(7, 3);
  });
  it('mesh allgather: (S/n)/B', () => within(meshAllGather(EIGHT, S), S / 8 / B));
  it('tree broadcast: ceil(log2 n) · S/B', () => within(treeBroadcast(EIGHT, S), (3 * S) / B));
  it('ring broadcast with C chunks: (C + n − 2) · (S/C)/B', () => within(ringBroadcast(EIGHT, S, { chunks: 32 }), ((32 + 6) * S) / 32 / B));
});

describe('hierarchical allreduce time on 2 A2 servers (latencies 0)', () => {
  it('is 2 mesh phases of (S/L)/B_hccs plus 2 ring phases of (S/(L·servers))/B_nic', () => {
    const zero = { latency: 0 };
    const cluster = buildCluster({
      preset: 'atlas-800t-a2',
      servers: 2,
      overrides: { system: { intraServer: { link: zero }, fabric: { nic: zero, switchLatency: 0 } } },
    });
    const hccs = cluster.links.find((l) => l.kind === 'hccs')!.bandwidth;
    const nic = cluster.links.find((l) => l.kind === 'roce')!.bandwidth;
    const sim = new Simulator();
    const plan = hierarchicalAllReduce(range(16), S, cluster);
    const ns = simulateCollective(sim, createAnalyticalNetwork(sim, cluster, { messageLatencyNs: 0 }), plan);
    const expected = (2 * (S / 8)) / hccs + (2 * (S / 16)) / nic;
    expect(ns - expected * 1e9).toBeGreaterThanOrEqual(-1e-6);
    expect(ns - expected * 1e9).toBeLessThanOrEqual(plan.phases.length);
  });
});
