// Tests of the analytical network model: single-flow cost, free local and empty flows, contention within a
// phase, none between concurrent phases, per-link byte accounting, loud flow validation, and a property:
// adding bytes to any flow never makes a phase faster.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import { buildCluster, ceilSecondsToNs, createAnalyticalNetwork } from '../../src/topology/index.ts';
import type { Flow } from '../../src/topology/index.ts';

// Line-rate links (efficiency 1), so the closed forms below are in the catalog's line rates.
const lineRate = { system: { intraServer: { link: { efficiency: 1 } }, fabric: { nic: { efficiency: 1 } } } };
const a2 = buildCluster({ preset: 'atlas-800t-a2', servers: 2, overrides: lineRate });
const MESSAGE_NS = 5_000; // the A2 preset's messageLatency

describe('analytical phase cost', () => {
  const network = createAnalyticalNetwork(new Simulator(), a2);

  it('a single intra-server flow costs message latency + path latency + bytes / link bandwidth', () => {
    const bytes = 56e6; // 56 MB over 28 GB/s = 2 ms
    expect(network.phaseDuration([{ src: 0, dst: 1, bytes }])).toBe(MESSAGE_NS + 1_000 + 2_000_000);
  });

  it('a single inter-server flow is limited by the 25 GB/s NIC', () => {
    const bytes = 1e6; // 40 µs at 25 GB/s
    expect(network.phaseDuration([{ src: 0, dst: 9, bytes }])).toBe(MESSAGE_NS + 5_000 + 40_000);
  });

  it('rounds a fractional serialisation time up to the next ns', () => {
    expect(network.phaseDuration([{ src: 0, dst: 1, bytes: 1 }])).toBe(MESSAGE_NS + 1_000 + 1);
    expect(ceilSecondsToNs(1e6 / 25e9)).toBe(40_000);
    // 99 725 B / 25 GB/s is exactly 3 989 ns, but the float division gives 3989.0000000000005 ns
    expect(ceilSecondsToNs(99_725 / 25e9)).toBe(3_989);
    expect(network.phaseDuration([{ src: 0, dst: 9, bytes: 99_725 }])).toBe(MESSAGE_NS + 5_000 + 3_989);
    expect(ceilSecondsToNs(40_000.5e-9)).toBe(40_001);
  });

  it('startFlow costs one flow as transfer would, and reads an object label\'s name only to report a bad flow', () => {
    const sim = new Simulator();
    const net = createAnalyticalNetwork(sim, a2);
    let reads = 0;
    const label = { get name(): string { reads++; return 'pp activations mb0'; } };
    expect(net.startFlow?.(0, 9, 1e6, label)).toBe(network.phaseDuration([{ src: 0, dst: 9, bytes: 1e6 }]));
    expect(reads).toBe(0);
    expect(() => net.startFlow?.(0, 99, 1e6, label)).toThrow(/transfer "pp activations mb0"/);
    expect(() => net.startFlow?.(0, 1, Number.NaN, 'plain label')).toThrow(/transfer "plain label"/);
  });

  it('zero-byte flows and device-local flows cost nothing', () => {
    expect(network.phaseDuration([])).toBe(0);
    expect(network.phaseDuration([{ src: 3, dst: 3, bytes: 1e9 }, { src: 0, dst: 9, bytes: 0 }])).toBe(0);
  });

  it('counts contention inside a phase: two flows through one NIC uplink take twice as long (plus a second message)', () => {
    const one = network.phaseDuration([{ src: 0, dst: 8, bytes: 1e6 }]);
    const two = network.phaseDuration([{ src: 0, dst: 8, bytes: 1e6 }, { src: 0, dst: 9, bytes: 1e6 }]);
    expect(two - one).toBe(40_000 + 5_000);
  });

  it('flows on disjoint links do not slow each other, but each message from one device costs its latency', () => {
    const one = network.phaseDuration([{ src: 0, dst: 1, bytes: 28e6 }]);
    const many = network.phaseDuration([1, 2, 3, 4, 5, 6, 7].map((dst) => ({ src: 0, dst, bytes: 28e6 })));
    expect(many).toBe(one + 6 * 5_000);
    // Seven devices sending one message each, in parallel: one latency.
    const parallel = network.phaseDuration([1, 2, 3, 4, 5, 6, 7].map((src) => ({ src, dst: 0, bytes: 28e6 })));
    expect(parallel).toBe(one);
  });

  it('charges the message latency per message of the busiest sender: a 1 KiB all-to-all over 8 NPUs costs 7 of them', () => {
    const flows = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((src) => [0, 1, 2, 3, 4, 5, 6, 7].filter((dst) => dst !== src).map((dst) => ({ src, dst, bytes: 1024 / 8 })));
    const zero = createAnalyticalNetwork(new Simulator(), a2, { messageLatencyNs: 0 });
    expect(network.phaseDuration(flows) - zero.phaseDuration(flows)).toBe(7 * 5_000);
  });

  it('uses the messageLatencyNs option instead of the preset figure', () => {
    const zero = createAnalyticalNetwork(new Simulator(), a2, { messageLatencyNs: 0 });
    expect(zero.phaseDuration([{ src: 0, dst: 1, bytes: 28e3 }])).toBe(1_000 + 1_000);
  });

  it('rejects a flow to a device that does not exist, or a negative size', () => {
    expect(() => network.phaseDuration([{ src: 0, dst: 16, bytes: 1 }])).toThrow(/flow 0 has dst 16.*0\.\.15/);
    expect(() => network.phaseDuration([{ src: 0, dst: 1, bytes: -1 }])).toThrow(/flow 0 \(0→1\) has bytes -1/);
    expect(() => network.phaseDuration([{ src: 0, dst: 1, bytes: Number.NaN }])).toThrow(/bytes NaN/);
  });
});

describe('analytical transfers in the simulator', () => {
  it('completes a phase after its duration and counts bytes on every link of each route', () => {
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, a2);
    const flows: Flow[] = [{ src: 0, dst: 9, bytes: 1e6 }, { src: 1, dst: 2, bytes: 5e5 }, { src: 4, dst: 4, bytes: 7 }];
    const expected = network.phaseDuration(flows);
    let doneAt = -1;
    sim.schedule(1_000, () => network.transfer(flows, 'phase A').onDone(() => (doneAt = sim.now)));
    sim.run();
    expect(doneAt).toBe(1_000 + expected);
    const bytes = network.linkBytes();
    const expectedBytes = new Float64Array(a2.links.length);
    for (const id of a2.route(0, 9)) expectedBytes[id]! += 1e6;
    for (const id of a2.route(1, 2)) expectedBytes[id]! += 5e5;
    expect([...bytes]).toEqual([...expectedBytes]);
  });

  it('with finalLinkBytesOnly gives the same link bytes once every phase has finished, and refuses while one is in flight', () => {
    const flows: Flow[] = [{ src: 0, dst: 9, bytes: 1e6 / 3 }, { src: 1, dst: 2, bytes: 5e5 }, { src: 8, dst: 0, bytes: 0.1 }];
    const [kept, final] = [false, true].map((finalLinkBytesOnly) => {
      const sim = new Simulator();
      const network = createAnalyticalNetwork(sim, a2, { finalLinkBytesOnly });
      for (let k = 0; k < 5; k++) sim.schedule(k * 700, () => network.transfer(flows.slice(k % 3), `phase ${k}`));
      sim.run(1_000);
      if (finalLinkBytesOnly) expect(() => network.linkBytes()).toThrow(/phases in flight/);
      sim.run();
      return { bytes: [...network.linkBytes()], activity: network.linkActivity() };
    });
    expect(final?.bytes).toEqual(kept?.bytes);
    expect(final?.activity).toEqual(kept?.activity);
  });

  it('returns a copy from linkBytes', () => {
    const network = createAnalyticalNetwork(new Simulator(), a2);
    network.linkBytes()[0] = 99;
    expect(network.linkBytes()[0]).toBe(0);
  });

  it('does not make concurrent phases contend (documented limit of this model)', () => {
    const sim = new Simulator();
    const network = createAnalyticalNetwork(sim, a2);
    const phase: Flow[] = [{ src: 0, dst: 8, bytes: 1e6 }];
    const finish: number[] = [];
    network.transfer(phase, 'a').onDone(() => finish.push(sim.now));
    network.transfer(phase, 'b').onDone(() => finish.push(sim.now));
    sim.run();
    expect(finish).toEqual([network.phaseDuration(phase), network.phaseDuration(phase)]);
  });
});

describe('property: phase cost is monotone in bytes', () => {
  const cluster = buildCluster({ preset: 'atlas-800-910a', servers: 2 });
  const network = createAnalyticalNetwork(new Simulator(), cluster);
  const flowArb = fc.record({
    src: fc.integer({ min: 0, max: cluster.devices - 1 }),
    dst: fc.integer({ min: 0, max: cluster.devices - 1 }),
    bytes: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e10, noNaN: true })),
  });

  it('adding bytes to any flow never decreases phaseDuration', () => {
    fc.assert(
      fc.property(
        fc.array(flowArb, { minLength: 1, maxLength: 24 }),
        fc.nat(),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        (flows, pick, extra) => {
          const index = pick % flows.length;
          const grown = flows.map((f, i) => (i === index ? { ...f, bytes: f.bytes + extra } : f));
          return network.phaseDuration(grown) >= network.phaseDuration(flows);
        },
      ),
      { seed: 20240611, numRuns: 500 },
    );
  });
});
