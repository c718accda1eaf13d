// Tests of link activity over time in both network models: the intervals each model records, utilisation
// per bucket, the busiest links, bounded memory through coalescing, snapshots taken mid-run, and the
// recorder on its own. Utilisations are compared to 1e-12, bytes to 1e-6 relative, unless stated.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import {
  LinkActivityRecorder,
  allToAllV,
  buildCluster,
  busiestLinks,
  createAnalyticalNetwork,
  createFlowNetwork,
  linkUtilisation,
  runCollective,
} from '../../src/topology/index.ts';
import type { Flow } from '../../src/topology/index.ts';

// Line-rate links (efficiency 1), so closed forms use the catalog's 28 GB/s HCCS and 25 GB/s NIC figures.
const lineRate = { system: { intraServer: { link: { efficiency: 1 } }, fabric: { nic: { efficiency: 1 } } } };
const a2 = buildCluster({ preset: 'atlas-800t-a2', servers: 2, overrides: lineRate });
const [uplink0, downlink9] = a2.route(0, 9) as [number, number];
const oneFlow: Flow[] = [{ src: 0, dst: 9, bytes: 1e6 }]; // 40 µs at 25 GB/s, 50 µs with latencies

function closeTo(actual: Float64Array, expected: number[], digits = 12): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, digits));
}

describe('flow model activity', () => {
  it('records a lone flow at full line rate while it sends, and utilisation 1 in those buckets', () => {
    const sim = new Simulator();
    const network = createFlowNetwork(sim, a2);
    network.transfer(oneFlow, 'x');
    sim.run();
    const activity = network.linkActivity();
    expect(activity.endNs).toBe(50_000);
    expect(activity.linkIds).toEqual([uplink0, downlink9].sort((a, b) => a - b));
    expect(activity.intervals(uplink0)).toEqual([{ startNs: 0, endNs: 40_000, bytesPerSecond: 25e9 }]);
    closeTo(linkUtilisation(activity, uplink0, 25e9, 10_000), [1, 1, 1, 1, 0]);
    closeTo(linkUtilisation(activity, uplink0, 25e9, 15_000), [1, 1, 10 / 15, 0]); // last bucket spans 45..60 µs
  });

  it('splits a link between transfers started at different times', () => {
    const sim = new Simulator();
    const network = createFlowNetwork(sim, a2);
    network.transfer([{ src: 0, dst: 8, bytes: 1e6 }], 'a');
    sim.schedule(20_000, () => network.transfer([{ src: 0, dst: 9, bytes: 1e6 }], 'b'));
    sim.run();
    const activity = network.linkActivity();
    // alone 0–20 µs; both at 12.5 GB/s each until a finishes at 60 µs; b alone until 80 µs: the uplink stays full
    expect(activity.intervals(uplink0)).toEqual([{ startNs: 0, endNs: 80_000, bytesPerSecond: 25e9 }]);
    expect(activity.intervals(downlink9)).toEqual([
      { startNs: 20_000, endNs: 60_000, bytesPerSecond: 12.5e9 },
      { startNs: 60_000, endNs: 80_000, bytesPerSecond: 25e9 },
    ]);
  });

  it('snapshots mid-run up to now, matching linkBytes', () => {
    const sim = new Simulator();
    const network = createFlowNetwork(sim, a2);
    network.transfer(oneFlow, 'x');
    sim.run(10_000);
    const activity = network.linkActivity();
    expect(activity.endNs).toBe(10_000);
    expect(activity.bytes(uplink0)).toBeCloseTo(network.linkBytes()[uplink0]!, 6);
    expect(activity.bytes(uplink0)).toBeCloseTo(2.5e5, 6);
  });

  it('keeps memory bounded with activityMinIntervalNs: few intervals per link, bytes preserved', () => {
    const group = Array.from({ length: 16 }, (_, i) => i);
    const skewed = allToAllV(group, (i, j) => 1e6 * (1 + ((i * 7 + j * 3) % 11)));
    const run = (activityMinIntervalNs: number) => {
      const sim = new Simulator();
      const network = createFlowNetwork(sim, a2, { activityMinIntervalNs });
      runCollective(sim, network, skewed, 'a2a');
      sim.run();
      return { activity: network.linkActivity(), bytes: network.linkBytes(), end: sim.now };
    };
    const exact = run(0);
    const coarse = run(1_000_000);
    let exactCount = 0;
    let coarseCount = 0;
    for (const id of coarse.activity.linkIds) {
      const intervals = coarse.activity.intervals(id);
      exactCount += exact.activity.intervals(id).length;
      coarseCount += intervals.length;
      expect(intervals.length).toBeLessThanOrEqual(Math.ceil(coarse.end / 1_000_000) + 1);
      expect(coarse.activity.bytes(id)).toBeCloseTo(coarse.bytes[id]!, 3);
      expect(coarse.activity.bytes(id)).toBeCloseTo(exact.activity.bytes(id), 3);
    }
    expect(coarseCount).toBeLessThan(exactCount / 2); // coalescing really shrinks the record (502 → 173 when written)
  });

  it('records nothing when recordActivity is false, while linkBytes still counts', () => {
    const sim = new Simulator();
    const network = createFlowNetwork(sim, a2, { recordActivity: false });
    network.transfer(oneFlow, 'x');
    sim.run();
    expect(network.linkActivity().linkIds).toEqual([]);
    expect(network.linkBytes()[uplink0]).toBeCloseTo(1e6, 6);
  });
});

describe('analytical model activity', () => {
  it('spreads each phase\'s bytes evenly over its duration, latency included', () => {
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, a2);
    network.transfer(oneFlow, 'x');
    sim.run();
    const activity = network.linkActivity();
    expect(activity.intervals(uplink0)).toEqual([{ startNs: 0, endNs: 50_000, bytesPerSecond: 20e9 }]);
    closeTo(linkUtilisation(activity, uplink0, 25e9, 25_000), [0.8, 0.8]);
  });

  it('lets concurrent phases overlap on a link, so utilisation can exceed 1 (this model does not make them contend)', () => {
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, a2);
    network.transfer(oneFlow, 'a');
    network.transfer(oneFlow, 'b');
    sim.run();
    const activity = network.linkActivity();
    expect(activity.intervals(uplink0)).toHaveLength(2);
    closeTo(linkUtilisation(activity, uplink0, 25e9, 50_000), [1.6]);
    const [busiest] = busiestLinks(activity, a2, 1);
    expect(busiest!.peakUtilisation).toBeCloseTo(1.6, 12);
  });

  it('clips a phase still running to now, matching linkBytes', () => {
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, a2);
    network.transfer(oneFlow, 'x');
    sim.run(12_500);
    const activity = network.linkActivity();
    expect(activity.intervals(uplink0)).toEqual([{ startNs: 0, endNs: 12_500, bytesPerSecond: 20e9 }]);
    expect(activity.bytes(uplink0)).toBeCloseTo(network.linkBytes()[uplink0]!, 6);
    expect(network.linkBytes()[uplink0]).toBeCloseTo(2.5e5, 6);
  });
});

describe('busiestLinks and linkUtilisation', () => {
  it('ranks links by bytes (ties by id) with their kind, ends, mean and peak utilisation', () => {
    const sim = new Simulator();
    const network = createFlowNetwork(sim, a2);
    network.transfer([{ src: 0, dst: 9, bytes: 2e6 }, { src: 1, dst: 2, bytes: 2.8e6 }, { src: 3, dst: 4, bytes: 1e6 }], 'x');
    sim.run();
    const activity = network.linkActivity();
    const top = busiestLinks(activity, a2, 3);
    const hccs12 = a2.route(1, 2)[0]!;
    expect(top.map((link) => link.linkId)).toEqual([hccs12, uplink0, downlink9]);
    expect(top[0]).toMatchObject({ kind: 'hccs', from: 1, to: 2, bytes: 2.8e6 });
    expect(top[0]!.peakUtilisation).toBeCloseTo(1, 12);
    expect(top[1]!.meanUtilisation).toBeCloseTo(2e6 / (25e9 * activity.endNs * 1e-9), 12);
    expect(busiestLinks(activity, a2, 0)).toEqual([]);
  });

  it('refuses nonsense arguments', () => {
    const activity = createFlowNetwork(new Simulator(), a2).linkActivity();
    expect(() => linkUtilisation(activity, 0, 25e9, 0)).toThrow(/bucketNs/);
    expect(() => linkUtilisation(activity, 0, 0, 1)).toThrow(/bandwidth/);
    expect(() => activity.intervals(a2.links.length)).toThrow(/does not exist/);
    expect(() => busiestLinks(activity, buildCluster({ preset: 'atlas-800t-a2', servers: 1, overrides: lineRate }), 1)).toThrow(/covers/);
  });
});

describe('LinkActivityRecorder', () => {
  it('coalesces rapid rate changes into mean-rate intervals of at least minIntervalNs, keeping the bytes', () => {
    const exact = new LinkActivityRecorder(1);
    const coarse = new LinkActivityRecorder(1, { minIntervalNs: 1_000 });
    for (let t = 0; t < 10_000; t += 10) {
      const rate = (t / 10) % 2 === 0 ? 1e9 : 3e9;
      exact.setRate(0, t, rate);
      coarse.setRate(0, t, rate);
    }
    exact.setRate(0, 10_000, 0);
    coarse.setRate(0, 10_000, 0);
    const exactActivity = exact.snapshot(20_000);
    const coarseActivity = coarse.snapshot(20_000);
    expect(exactActivity.intervals(0)).toHaveLength(1_000);
    expect(coarseActivity.intervals(0).length).toBeLessThanOrEqual(10);
    expect(coarseActivity.bytes(0)).toBeCloseTo(exactActivity.bytes(0), 3);
    expect(coarseActivity.bytes(0)).toBeCloseTo(20_000, 3); // mean 2 GB/s for 10 µs
    for (const interval of coarseActivity.intervals(0)) expect(interval.bytesPerSecond).toBeCloseTo(2e9, 0);
  });

  it('does not smear bytes over an idle gap after a short busy spell', () => {
    const recorder = new LinkActivityRecorder(1, { minIntervalNs: 1_000 });
    recorder.setRate(0, 0, 1e9);
    recorder.setRate(0, 100, 0); // busy 0.1 µs
    recorder.setRate(0, 50_000, 1e9);
    recorder.setRate(0, 50_100, 0);
    const intervals = recorder.snapshot(60_000).intervals(0);
    expect(intervals).toEqual([
      { startNs: 0, endNs: 100, bytesPerSecond: 1e9 },
      { startNs: 50_000, endNs: 50_100, bytesPerSecond: 1e9 },
    ]);
  });
});
