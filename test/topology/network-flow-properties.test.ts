// Property tests of the flow-level model on small real clusters (Atlas 800T A2 with 1–3 servers, DGX H100
// with 1–2 rail-optimised or single-switch, an A2 fat-tree oversubscribed 2:1) with random flows in several transfers started at random times. Checked at every rate
// recomputation through the onAllocation hook: (1) no link above its bandwidth, (3) every flow has a
// saturated bottleneck where its rate is the largest; over the run: (2) each flow delivers exactly its bytes
// and linkBytes / linkActivity equal Σ bytes over the flows routed through each link; and (4) phaseDuration
// never drops when a link loses bandwidth, on clusters whose routes each run over links of one bandwidth.
// (4) does not hold in general: max-min fairness is not makespan-optimal, and where one flow cannot fill a
// shared link (an oversubscribed fat-tree trunk) throttling another flow can hand the longest flow more
// bandwidth; network-flow.test.ts pins such a case. Tolerances: rates 1e-9 relative, bytes 1e-6 relative,
// times 1 ns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import { buildCluster, createFlowNetwork } from '../../src/topology/index.ts';
import type { Cluster, Flow, FlowAllocation } from '../../src/topology/index.ts';
import { RATE_TOLERANCE, capacityViolations, flowsWithoutBottleneck, withLinkBandwidth } from './network-flow-helpers.ts';

const BYTES_TOLERANCE = 1e-6;

const clusters: Cluster[] = [
  buildCluster({ preset: 'atlas-800t-a2', servers: 1 }),
  buildCluster({ preset: 'atlas-800t-a2', servers: 2 }),
  buildCluster({ preset: 'atlas-800t-a2', servers: 3 }),
  buildCluster({ preset: 'dgx-h100', servers: 1 }),
  buildCluster({ preset: 'dgx-h100', servers: 2 }), // rail-optimised: cross-rail routes cross 100 GB/s trunks
  buildCluster({ preset: 'dgx-h100', servers: 2, fabric: { topology: 'single-switch' } }),
  // one server per leaf and 2:1 at the leaf: inter-server paths cross NIC (22.6 GB/s) and trunk (45.2 GB/s) links
  buildCluster({ preset: 'atlas-800t-a2', servers: 3, fabric: { serversPerLeaf: 1, leafOversubscription: 2 } }),
];

const flowArb = fc.record({
  src: fc.nat(),
  dst: fc.nat(),
  bytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.double({ min: 1e3, max: 5e6, noNaN: true })),
});
const scenarioArb = fc
  .record({
    clusterIndex: fc.nat(clusters.length - 1),
    transfers: fc.array(fc.record({ at: fc.integer({ min: 0, max: 150_000 }), flows: fc.array(flowArb, { minLength: 1, maxLength: 8 }) }), {
      minLength: 1,
      maxLength: 5,
    }),
  })
  // Counterexamples name the cluster by its index in `clusters` (printing a whole Cluster is unreadable).
  .map(({ clusterIndex, transfers }) => {
    const cluster = clusters[clusterIndex]!;
    const onCluster = (flow: Flow): Flow => ({ ...flow, src: flow.src % cluster.devices, dst: flow.dst % cluster.devices });
    return { clusterIndex, transfers: transfers.map(({ at, flows }) => ({ at, flows: flows.map(onCluster) })) };
  });

/** True when every link of every route has the same bandwidth as the route's first link. */
function routesHaveUniformBandwidth(cluster: Cluster): boolean {
  for (let src = 0; src < cluster.devices; src++) {
    for (let dst = 0; dst < cluster.devices; dst++) {
      const bandwidths = cluster.route(src, dst).map((l) => cluster.links[l]!.bandwidth);
      if (bandwidths.some((bw) => bw !== bandwidths[0])) return false;
    }
  }
  return true;
}
const uniformRouteClusters = clusters.filter(routesHaveUniformBandwidth);

function expectBytesClose(actual: number, expected: number, what: string): void {
  const tolerance = BYTES_TOLERANCE * Math.max(expected, 1);
  if (Math.abs(actual - expected) > tolerance) throw new Error(`${what}: ${actual} bytes, expected ${expected} (±${tolerance})`);
}

describe('flow model properties', () => {
  it('respects capacity, max-min fairness and byte conservation at every recomputation', () => {
    fc.assert(
      fc.property(scenarioArb, ({ clusterIndex, transfers }) => {
        const cluster = clusters[clusterIndex]!;
        const sim = new Simulator();
        const allocations: FlowAllocation[] = [];
        const network = createFlowNetwork(sim, cluster, { onAllocation: (allocation) => allocations.push(allocation) });
        const bandwidth = cluster.links.map((link) => link.bandwidth);
        let completed = 0;
        for (const { at, flows } of transfers) sim.schedule(at, () => network.transfer(flows, `at ${at}`).onDone(() => completed++));
        sim.run();
        expect(completed).toBe(transfers.length);

        for (const allocation of allocations) {
          expect(capacityViolations(bandwidth, allocation.flows), `t=${allocation.timeNs}`).toEqual([]);
          expect(flowsWithoutBottleneck(bandwidth, allocation.flows), `t=${allocation.timeNs}`).toEqual([]);
        }

        // (2) per flow: ∫ rate dt over the allocations it appears in = its bytes; it must disappear (finish).
        const delivered = new Map<number, { bytes: number; sent: number; open: boolean }>();
        allocations.forEach((allocation, k) => {
          const seen = new Set<number>();
          const next = allocations[k + 1];
          for (const flow of allocation.flows) {
            seen.add(flow.serial);
            const entry = delivered.get(flow.serial) ?? { bytes: flow.bytes, sent: 0, open: true };
            if (next !== undefined) entry.sent += (flow.bytesPerSecond * (next.timeNs - allocation.timeNs)) / 1e9;
            delivered.set(flow.serial, entry);
          }
          for (const [serial, entry] of delivered) if (!seen.has(serial)) entry.open = false;
        });
        for (const [serial, entry] of delivered) {
          expect(entry.open, `flow ${serial} never finished`).toBe(false);
          expectBytesClose(entry.sent, entry.bytes, `flow ${serial}`);
        }

        // (2) per link: linkBytes and the activity record both equal Σ bytes over the flows routed through it.
        const expected = new Float64Array(cluster.links.length);
        for (const { flows } of transfers) {
          for (const flow of flows) if (flow.src !== flow.dst) for (const l of cluster.route(flow.src, flow.dst)) expected[l]! += flow.bytes;
        }
        const linkBytes = network.linkBytes();
        const activity = network.linkActivity();
        expected.forEach((bytes, l) => {
          expectBytesClose(linkBytes[l]!, bytes, `linkBytes[${l}]`);
          expectBytesClose(activity.bytes(l), bytes, `activity of link ${l}`);
          let previousEnd = 0;
          for (const interval of activity.intervals(l)) {
            expect(interval.startNs).toBeGreaterThanOrEqual(previousEnd); // disjoint and sorted
            expect(interval.bytesPerSecond).toBeLessThanOrEqual(bandwidth[l]! * (1 + RATE_TOLERANCE));
            previousEnd = interval.endNs;
          }
        });
      }),
      { seed: 20250101, numRuns: 200 },
    );
  });

  it('runs the monotonicity property on the A2 clusters and the single-switch DGX pair', () => {
    expect(uniformRouteClusters.map((c) => `${c.system.name}×${c.servers}/${c.fabric.topology}`)).toEqual([
      'atlas-800t-a2×1/fat-tree-2',
      'atlas-800t-a2×2/fat-tree-2',
      'atlas-800t-a2×3/fat-tree-2',
      'dgx-h100×1/rail-optimised',
      'dgx-h100×2/single-switch',
    ]);
  });

  it('never finishes a phase earlier when any one link loses bandwidth, on uniform routes (tolerance 1 ns)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), ({ clusterIndex, transfers }, pick, factor) => {
        const cluster = clusters[clusterIndex]!;
        fc.pre(uniformRouteClusters.includes(cluster));
        const phase = transfers.flatMap(({ flows }) => flows);
        const used = [...new Set(phase.flatMap((flow) => [...cluster.route(flow.src, flow.dst)]))];
        fc.pre(used.length > 0);
        const link = used[pick % used.length]!;
        const slower = withLinkBandwidth(cluster, link, cluster.links[link]!.bandwidth * factor);
        const before = createFlowNetwork(new Simulator(), cluster).phaseDuration(phase);
        const after = createFlowNetwork(new Simulator(), slower).phaseDuration(phase);
        expect(after).toBeGreaterThanOrEqual(before - 1);
      }),
      { seed: 20250102, numRuns: 400 },
    );
  });
});
