// Unit tests of the flow-level network model on Atlas 800T A2 clusters: a lone flow costs what the
// analytical model says, sharing and not sharing links, the all-to-one bottleneck, concurrent transfers that
// contend (unlike the analytical model), exact aggregation, linkBytes over time, loud validation, and the
// documented max-min paradox. Times are exact integer ns unless a tolerance is stated.
import { describe, expect, it } from 'vitest';
import { InputError, Simulator } from '../../src/engine/index.ts';
import { allToAllV, buildCluster, createAnalyticalNetwork, createFlowNetwork, runCollective } from '../../src/topology/index.ts';
import type { Flow, FlowAllocation, NetworkModel } from '../../src/topology/index.ts';
import { withLinkBandwidth } from './network-flow-helpers.ts';

// Line-rate links (efficiency 1), so closed forms use the catalog's 28 GB/s HCCS and 25 GB/s NIC figures.
const lineRate = { system: { intraServer: { link: { efficiency: 1 } }, fabric: { nic: { efficiency: 1 } } } };
const a2 = buildCluster({ preset: 'atlas-800t-a2', servers: 2, overrides: lineRate });
const MESSAGE_NS = 5_000; // the A2 preset's messageLatency
const INTRA_PATH_NS = 1_000; // one HCCS link
const INTER_PATH_NS = 5_000; // NIC up (2 µs) + switch (1 µs) + NIC down (2 µs)

/** Runs one transfer per entry at its start time; returns each transfer's completion time. */
function runTransfers(network: NetworkModel, sim: Simulator, transfers: { at: number; flows: Flow[] }[]): number[] {
  const done: number[] = transfers.map(() => -1);
  transfers.forEach(({ at, flows }, i) => sim.schedule(at, () => network.transfer(flows, `t${i}`).onDone(() => (done[i] = sim.now))));
  sim.run();
  return done;
}

describe('flow model: single flows and sharing', () => {
  const network = createFlowNetwork(new Simulator(), a2);
  const analytical = createAnalyticalNetwork(new Simulator(), a2);

  it('a single flow costs message latency + path latency + bytes / bandwidth, as in the analytical model', () => {
    const intra: Flow[] = [{ src: 0, dst: 1, bytes: 56e6 }]; // 2 ms at 28 GB/s
    const inter: Flow[] = [{ src: 0, dst: 9, bytes: 1e6 }]; // 40 µs at 25 GB/s
    expect(network.phaseDuration(intra)).toBe(MESSAGE_NS + INTRA_PATH_NS + 2_000_000);
    expect(network.phaseDuration(inter)).toBe(MESSAGE_NS + INTER_PATH_NS + 40_000);
    for (const flows of [intra, inter, [{ src: 0, dst: 9, bytes: 99_725 }], [{ src: 3, dst: 2, bytes: 1 }]]) {
      expect(network.phaseDuration(flows)).toBe(analytical.phaseDuration(flows));
    }
  });

  it('a transfer in the simulator completes exactly phaseDuration after it starts', () => {
    const sim = new Simulator();
    const live = createFlowNetwork(sim, a2);
    const flows: Flow[] = [{ src: 0, dst: 9, bytes: 1e6 }, { src: 1, dst: 2, bytes: 5e5 }, { src: 4, dst: 4, bytes: 7 }];
    expect(runTransfers(live, sim, [{ at: 1_234, flows }])).toEqual([1_234 + live.phaseDuration(flows)]);
  });

  it('two flows sharing one link take twice as long as one', () => {
    const one = network.phaseDuration([{ src: 0, dst: 8, bytes: 1e6 }]);
    const two = network.phaseDuration([{ src: 0, dst: 8, bytes: 1e6 }, { src: 0, dst: 9, bytes: 1e6 }]);
    // Both from device 0: two messages' latency.
    expect(two - (2 * MESSAGE_NS + INTER_PATH_NS)).toBe(2 * (one - (MESSAGE_NS + INTER_PATH_NS)));
  });

  it('flows on disjoint links do not slow each other', () => {
    const one = network.phaseDuration([{ src: 0, dst: 1, bytes: 28e6 }]);
    const seven = network.phaseDuration([1, 2, 3, 4, 5, 6, 7].map((dst) => ({ src: 0, dst, bytes: 28e6 })));
    expect(seven).toBe(one + 6 * MESSAGE_NS); // seven messages from one device
  });

  it('zero-byte and device-local flows finish at once, with no latency', () => {
    const sim = new Simulator();
    const live = createFlowNetwork(sim, a2);
    const flows: Flow[] = [{ src: 3, dst: 3, bytes: 1e9 }, { src: 0, dst: 9, bytes: 0 }];
    expect(live.phaseDuration(flows)).toBe(0);
    expect(live.phaseDuration([])).toBe(0);
    expect(runTransfers(live, sim, [{ at: 500, flows }, { at: 600, flows: [] }])).toEqual([500, 600]);
  });
});

describe('flow model: the all-to-one bottleneck', () => {
  const bytes = 3e6;
  const target = 3;
  const toTarget = (i: number, j: number) => (j === target && i !== target ? bytes : 0);

  it('on one full-mesh server equals bytes in / Σ incoming link bandwidth (7 HCCS links of 28 GB/s)', () => {
    const server = buildCluster({ preset: 'atlas-800t-a2', servers: 1, overrides: lineRate });
    const group = Array.from({ length: 8 }, (_, i) => i);
    const [phase] = allToAllV(group, toTarget).phases;
    const closedForm = Math.ceil(((7 * bytes) / (7 * 28e9)) * 1e9);
    expect(createFlowNetwork(new Simulator(), server).phaseDuration(phase!)).toBe(MESSAGE_NS + INTRA_PATH_NS + closedForm);
    expect(createAnalyticalNetwork(new Simulator(), server).phaseDuration(phase!)).toBe(MESSAGE_NS + INTRA_PATH_NS + closedForm);
  });

  it('across two servers is limited by the target NIC downlink, and the activity record shows that link saturated', () => {
    const sim = new Simulator();
    const network = createFlowNetwork(sim, a2);
    const group = Array.from({ length: 16 }, (_, i) => i);
    const plan = allToAllV(group, toTarget);
    let done = -1;
    runCollective(sim, network, plan, 'to-one').onDone(() => (done = sim.now));
    sim.run();
    const downlink = a2.route(8, target).at(-1)!; // switch → device 3
    const serialisation = Math.ceil(((8 * bytes) / 25e9) * 1e9);
    expect(done).toBe(MESSAGE_NS + INTER_PATH_NS + serialisation);
    expect(done).toBe(createAnalyticalNetwork(new Simulator(), a2).phaseDuration(plan.phases[0]!));
    const intervals = network.linkActivity().intervals(downlink);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]!.bytesPerSecond).toBeCloseTo(25e9, 0);
    expect(intervals[0]!.endNs - intervals[0]!.startNs).toBeCloseTo(serialisation, 0);
  });
});

describe('flow model: concurrent transfers', () => {
  const phase: Flow[] = [{ src: 0, dst: 8, bytes: 1e6 }];

  it('slow each other down in the flow model but not in the analytical one', () => {
    const flowSim = new Simulator();
    const analyticalSim = new Simulator();
    const both = [{ at: 0, flows: phase }, { at: 0, flows: phase }];
    const flowDone = runTransfers(createFlowNetwork(flowSim, a2), flowSim, both);
    const analyticalDone = runTransfers(createAnalyticalNetwork(analyticalSim, a2), analyticalSim, both);
    expect(analyticalDone).toEqual([50_000, 50_000]); // 40 µs each, as if alone
    expect(flowDone).toEqual([90_000, 90_000]); // 80 µs: the uplink is shared
  });

  it('shares bandwidth from the moment a later transfer starts', () => {
    const sim = new Simulator();
    // first alone for 20 µs (500 kB sent), then both at 12.5 GB/s: the first's 500 kB left take 40 µs
    const done = runTransfers(createFlowNetwork(sim, a2), sim, [{ at: 0, flows: phase }, { at: 20_000, flows: phase }]);
    expect(done).toEqual([60_000 + 10_000, 20_000 + 40_000 + 20_000 + 10_000]);
  });

  it('can finish a transfer earlier when another link loses capacity (max-min paradox, not a bug)', () => {
    // A: 0→8 and B: 1→8 share device 8's downlink. Cutting device 0's uplink slows A, so B gets more.
    const uplink0 = a2.route(0, 8)[0]!;
    const cut = withLinkBandwidth(a2, uplink0, 5e9);
    const transfers = [{ at: 0, flows: [{ src: 0, dst: 8, bytes: 1e6 }] }, { at: 0, flows: [{ src: 1, dst: 8, bytes: 1e6 }] }];
    const sim = new Simulator();
    const cutSim = new Simulator();
    const before = runTransfers(createFlowNetwork(sim, a2), sim, transfers);
    const after = runTransfers(createFlowNetwork(cutSim, cut), cutSim, transfers);
    expect(before).toEqual([90_000, 90_000]);
    expect(after[1]).toBe(60_000); // B at 20 GB/s: earlier than before
    expect(after[0]).toBeGreaterThan(before[0]!); // A, and so the phase as a whole, later
  });
});

describe('flow model: a phase can end earlier when a link loses capacity (max-min is not makespan-optimal)', () => {
  it('on an oversubscribed fat-tree, throttling one flow hands the longest flow more of a shared trunk', () => {
    // One server per leaf, 2:1 at the leaf: NICs 22.6 GB/s, trunks 45.2 GB/s. All three flows cross
    // spine1↓leaf0 (15.07 GB/s each); none alone can fill it. Cutting device 23's NIC to 45 % slows 23→1,
    // and 9→5, the longest flow, gets 17.5 GB/s instead: the phase ends 17.8 µs earlier.
    const fatTree = buildCluster({ preset: 'atlas-800t-a2', servers: 3, fabric: { serversPerLeaf: 1, leafOversubscription: 2 } });
    const phase: Flow[] = [{ src: 23, dst: 1, bytes: 2.2e6 }, { src: 9, dst: 5, bytes: 4.3e6 }, { src: 22, dst: 7, bytes: 2.4e6 }];
    const nic23 = fatTree.route(23, 1)[0]!;
    const cut = withLinkBandwidth(fatTree, nic23, fatTree.links[nic23]!.bandwidth * 0.45);
    const before = createFlowNetwork(new Simulator(), fatTree).phaseDuration(phase);
    const after = createFlowNetwork(new Simulator(), cut).phaseDuration(phase);
    expect(before - after).toBeGreaterThan(15_000);
  });
});

describe('flow model: aggregation, accounting and validation', () => {
  it('merging equal parallel flows changes neither times nor bytes, only the number of solver entities', () => {
    const flows: Flow[] = [
      { src: 0, dst: 8, bytes: 1e6 }, { src: 0, dst: 8, bytes: 1e6 }, { src: 0, dst: 8, bytes: 3e5 },
      { src: 2, dst: 9, bytes: 7e5 }, { src: 0, dst: 8, bytes: 1e6 }, { src: 1, dst: 9, bytes: 2e6 },
    ];
    const outcome = (aggregateFlows: boolean) => {
      const sim = new Simulator();
      const entities: number[] = [];
      const onAllocation = (allocation: FlowAllocation) => entities.push(allocation.flows.length);
      const network = createFlowNetwork(sim, a2, { aggregateFlows, onAllocation });
      const done = runTransfers(network, sim, [{ at: 0, flows }, { at: 10_000, flows: flows.slice(3) }]);
      return { done, bytes: [...network.linkBytes()], duration: network.phaseDuration(flows), firstEntities: entities[0] };
    };
    const merged = outcome(true);
    const separate = outcome(false);
    expect(merged.done).toEqual(separate.done);
    expect(merged.duration).toBe(separate.duration);
    merged.bytes.forEach((bytes, l) => expect(bytes).toBeCloseTo(separate.bytes[l]!, 6)); // float sums differ in the last bits
    expect([merged.firstEntities, separate.firstEntities]).toEqual([4, 6]);
  });

  it('linkBytes counts the bytes that have crossed each link so far, the same way in both models', () => {
    const flows: Flow[] = [{ src: 0, dst: 9, bytes: 1e6 }];
    const [uplink, downlink] = a2.route(0, 9);
    for (const create of [createFlowNetwork, createAnalyticalNetwork]) {
      const sim = new Simulator();
      const network = create(sim, a2);
      network.transfer(flows, 'x');
      const duration = network.phaseDuration(flows);
      // flow model: 40 µs at 25 GB/s; analytical: spread over the whole 50 µs phase
      const halfway = create === createFlowNetwork ? 20_000 : duration / 2;
      sim.run(halfway);
      const middle = network.linkBytes();
      expect(middle[uplink!]).toBeCloseTo(5e5, 3);
      expect(middle[downlink!]).toBeCloseTo(5e5, 3);
      sim.run();
      expect(network.linkBytes()[uplink!]).toBeCloseTo(1e6, 3);
      expect(network.linkBytes().reduce((a, b) => a + b, 0)).toBeCloseTo(2e6, 3); // bytes × path length
    }
  });

  it('rejects flows naming missing devices or bad sizes with the analytical model\'s messages', () => {
    const network = createFlowNetwork(new Simulator(), a2);
    expect(() => network.transfer([{ src: 0, dst: 16, bytes: 1 }], 'bad')).toThrow(/transfer "bad": flow 0 has dst 16.*0\.\.15/);
    expect(() => network.phaseDuration([{ src: 0, dst: 1, bytes: -1 }])).toThrow(/flow 0 \(0→1\) has bytes -1/);
    expect(() => network.phaseDuration([{ src: 0, dst: 1, bytes: Number.NaN }])).toThrow(InputError);
  });

  it('refuses a flow over a link without bandwidth instead of never finishing', () => {
    const dead = withLinkBandwidth(a2, a2.route(0, 1)[0]!, 0);
    const network = createFlowNetwork(new Simulator(), dead);
    expect(() => network.transfer([{ src: 0, dst: 1, bytes: 1 }], 'x')).toThrow(/transfer "x": flow 0→1 crosses hccs link \d+ .*bandwidth is 0/);
  });
});
