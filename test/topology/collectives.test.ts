// Tests of collectives: plan shapes (ring, pairwise, direct), the ring allreduce closed form, an all-to-all
// bottlenecked on one device's incoming links, group validation, runCollective timing, and bus bandwidth.
// Closed forms use the link bandwidth with efficiency 1 (an override), so they test the plan, not the catalog.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import {
  algBandwidth,
  allToAllPairwise,
  allToAllV,
  buildCluster,
  busBandwidth,
  ceilSecondsToNs,
  createAnalyticalNetwork,
  ringAllGather,
  ringAllReduce,
  ringReduceScatter,
  runCollective,
} from '../../src/topology/index.ts';
import type { CollectiveOp, CollectivePlan, NetworkModel } from '../../src/topology/index.ts';

const EIGHT = [0, 1, 2, 3, 4, 5, 6, 7];

/** Runs `plan` in a fresh simulation and returns the time it completes. */
function runTime(network: NetworkModel, sim: Simulator, plan: CollectivePlan): number {
  let doneAt = -1;
  runCollective(sim, network, plan, 'test').onDone(() => (doneAt = sim.now));
  sim.run();
  return doneAt;
}

describe('ring allreduce on one Atlas 800T A2 server', () => {
  // Closed form: with zero latency, a ring of n ranks over links of bandwidth B moves S bytes in
  // 2(n−1)/n · S / B seconds. Each of the 2(n−1) phases is rounded up to whole ns, so the simulated
  // time is within 1 ns per phase of the closed form (and never below it).
  const cluster = buildCluster({
    preset: 'atlas-800t-a2',
    servers: 1,
    overrides: { system: { intraServer: { link: { latency: 0, efficiency: 1 } } } },
  });
  const B = 28e9;
  const n = 8;
  for (const S of [1e9, 123_456_789, 8, 4096 * 1024 * 3]) {
    it(`matches 2(n−1)/n · S/B within 1 ns per phase for S = ${S}`, () => {
      const sim = new Simulator();
      const network = createAnalyticalNetwork(sim, cluster, { messageLatencyNs: 0 });
      const plan = ringAllReduce(EIGHT, S);
      expect(plan.phases).toHaveLength(2 * (n - 1));
      const simulated = runTime(network, sim, plan);
      const closedForm = ((2 * (n - 1)) / n) * (S / B) * 1e9;
      expect(simulated).toBeGreaterThanOrEqual(closedForm - 1e-6);
      expect(simulated - closedForm).toBeLessThanOrEqual(2 * (n - 1));
    });
  }

  it('its bus bandwidth equals the link bandwidth (one ring uses one link per rank)', () => {
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, cluster, { messageLatencyNs: 0 });
    const S = 1e9;
    const seconds = runTime(network, sim, ringAllReduce(EIGHT, S)) / 1e9;
    expect(busBandwidth('allreduce', n, S, seconds) / B).toBeCloseTo(1, 6);
  });
});

describe('plan shapes', () => {
  it('ring allreduce: every phase sends S/n from each rank to the next', () => {
    const group = [5, 2, 9];
    const plan = ringAllReduce(group, 300);
    expect(plan).toMatchObject({ op: 'allreduce', algo: 'ring', group });
    expect(plan.phases).toHaveLength(4);
    for (const phase of plan.phases) {
      expect(phase).toEqual([
        { src: 5, dst: 2, bytes: 100 },
        { src: 2, dst: 9, bytes: 100 },
        { src: 9, dst: 5, bytes: 100 },
      ]);
    }
  });

  it('ring allgather and reduce-scatter: n−1 phases of S/n', () => {
    for (const plan of [ringAllGather(EIGHT, 800), ringReduceScatter(EIGHT, 800)]) {
      expect(plan.phases).toHaveLength(7);
      for (const phase of plan.phases) for (const flow of phase) expect(flow.bytes).toBe(100);
    }
    expect(ringAllGather([4], 10).phases).toEqual([]);
  });

  it('pairwise all-to-all: in round r rank i sends bytes(i, (i+r) mod n) to rank (i+r) mod n', () => {
    const group = [10, 11, 12, 13];
    const plan = allToAllPairwise(group, (i, j) => 100 * i + j);
    expect(plan.phases).toHaveLength(3);
    plan.phases.forEach((phase, index) => {
      const r = index + 1;
      expect(phase).toEqual(group.map((src, i) => ({ src, dst: group[(i + r) % 4], bytes: 100 * i + ((i + r) % 4) })));
    });
  });

  it('direct all-to-all-v: one phase, diagonal and zero entries skipped; matrix form equals function form', () => {
    const matrix = Float64Array.from([0, 5, 0, 7, 9, 1, 2, 3, 4]);
    const plan = allToAllV([0, 1, 2], matrix);
    expect(plan.phases).toEqual([
      [
        { src: 0, dst: 1, bytes: 5 },
        { src: 1, dst: 0, bytes: 7 },
        { src: 1, dst: 2, bytes: 1 },
        { src: 2, dst: 0, bytes: 2 },
        { src: 2, dst: 1, bytes: 3 },
      ],
    ]);
    expect(allToAllV([0, 1, 2], (i, j) => matrix[i * 3 + j]!)).toEqual(plan);
    expect(() => allToAllV([0, 1, 2], new Float64Array(4))).toThrow(/4 entries, expected 3×3 = 9/);
    expect(() => allToAllV([0, 1], () => -2)).toThrow(/group \[0, 1\]: bytes from rank 0 to rank 1 is -2/);
  });
});

describe('all-to-all-v that sends everything to one device', () => {
  it('is bottlenecked on that device’s incoming NIC link', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, cluster);
    const X = 1e6;
    const group = [...Array(16).keys()];
    const plan = allToAllV(group, (_i, j) => (j === 0 ? X : 0));
    // 7 intra-server flows each have their own HCCS link into device 0; the 8 remote flows share its NIC downlink.
    const nicBandwidth = cluster.links.find((l) => l.kind === 'roce')!.bandwidth; // 25 GB/s × the catalog's NIC efficiency
    const expected = 5_000 + 5_000 + ceilSecondsToNs((8 * X) / nicBandwidth);
    expect(network.phaseDuration(plan.phases[0]!)).toBe(expected);
    expect(runTime(network, sim, plan)).toBe(expected);
    const bytes = network.linkBytes();
    const incoming = cluster.links.filter((l) => l.to === 0);
    const nicDown = incoming.find((l) => l.kind === 'roce')!;
    expect(bytes[nicDown.id]).toBe(8 * X);
    expect(incoming.reduce((sum, l) => sum + bytes[l.id]!, 0)).toBe(15 * X);
    // the same bytes spread evenly over destinations finish much sooner, though each device now sends 15 messages
    const spread = allToAllV(group, (i, j) => (i === j ? 0 : X / 15));
    expect(network.phaseDuration(spread.phases[0]!)).toBeLessThan(expected / 4 + 14 * 5_000);
  });
});

describe('group validation', () => {
  it('rejects an empty group', () => {
    expect(() => ringAllReduce([], 1)).toThrow(/group is empty/);
  });
  it('rejects a duplicate device, naming the group', () => {
    expect(() => allToAllV([0, 1, 1], () => 1)).toThrow(/group \[0, 1, 1\]: device 1 appears more than once/);
  });
  it('rejects ids out of range, naming the group', () => {
    expect(() => ringAllGather([0, 8], 1, { devices: 8 })).toThrow(/group \[0, 8\]: device id 8 is out of range \(expected in 0\.\.7\)/);
    expect(() => allToAllPairwise([-1, 0], () => 1)).toThrow(/group \[-1, 0\]: device id -1 is out of range/);
    expect(() => ringReduceScatter([0, 1.5], 1)).toThrow(/device id 1.5/);
  });
  it('rejects a negative size', () => {
    expect(() => ringAllReduce([0, 1], -5)).toThrow(/bufferBytes is -5/);
  });
});

describe('runCollective', () => {
  it('runs phases in sequence: total time is the sum of phase durations', () => {
    const cluster = buildCluster({ preset: 'dgx-h100', servers: 2 });
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, cluster);
    const plan = allToAllPairwise([...Array(16).keys()], (i, j) => 1e6 + 1000 * i + j);
    const sum = plan.phases.reduce((total, phase) => total + network.phaseDuration(phase), 0);
    expect(runTime(network, sim, plan)).toBe(sum);
  });

  it('completes at once for a plan without phases, and describes itself', () => {
    const cluster = buildCluster({ preset: 'dgx-h100', servers: 1 });
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, cluster);
    expect(runTime(network, sim, ringAllReduce([3], 1e9))).toBe(0);
    const run = runCollective(sim, network, ringAllReduce([0, 1], 1e6), 'grad sync');
    expect(run.describe()).toMatch(/collective "grad sync" \(allreduce\/ring, 2 ranks\): phase 1 of 2/);
  });
});

describe('bandwidth definitions (nccl-tests)', () => {
  it('algbw is size / time and busbw scales it per op', () => {
    expect(algBandwidth(1e9, 0.01)).toBe(1e11);
    const cases: [CollectiveOp, number][] = [
      ['allreduce', (2 * 7) / 8],
      ['allgather', 7 / 8],
      ['reducescatter', 7 / 8],
      ['alltoall', 7 / 8],
      ['broadcast', 1],
      ['sendrecv', 1],
    ];
    for (const [op, factor] of cases) expect(busBandwidth(op, 8, 1e9, 0.01)).toBeCloseTo(1e11 * factor, 0);
  });
  it('rejects an unknown op, a zero time, and a bad rank count', () => {
    expect(() => busBandwidth('gather' as CollectiveOp, 8, 1, 1)).toThrow(/unknown op "gather"; accepted: allreduce/);
    expect(() => algBandwidth(1, 0)).toThrow(/seconds must be > 0/);
    expect(() => busBandwidth('allreduce', 0, 1, 1)).toThrow(/rank count/);
  });
});
