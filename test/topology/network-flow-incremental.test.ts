// The incremental fluid state (re-solves only the components a start or finish touches, lazy remaining
// bytes, a finish heap) against the former full re-solve on every change (network-flow-fluid-reference.ts,
// kept verbatim): on random flow sets started at random times on small real clusters, every flow's
// reported finish (whole ns) must agree within 1 ns and per-link carried bytes to 1e-9 relative. The 1 ns:
// both round a float instant up to whole ns, and the reference subtracts rate × dt from every flow at every
// instant while the incremental state does so only when a flow's rate changes, so a finish that is exactly
// on a whole ns can land on either side of it (the pinned case below: the incremental state is exact there).
// Equal sizes and shared ends are frequent in the generator, so simultaneous finishes and ties in the
// progressive filling are exercised, not only generic positions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../src/topology/index.ts';
import type { Cluster } from '../../src/topology/index.ts';
import { FluidFlowState } from '../../src/topology/network/flow/fluid.ts';
import { MaxMinSolver } from '../../src/topology/network/flow/solver.ts';
import { ReferenceFluidFlowState } from './network-flow-fluid-reference.ts';

const clusters: Cluster[] = [
  buildCluster({ preset: 'atlas-800t-a2', servers: 2 }),
  buildCluster({ preset: 'atlas-800t-a2', servers: 4 }),
  buildCluster({ preset: 'dgx-h100', servers: 2 }),
  buildCluster({ preset: 'atlas-800t-a2', servers: 4, fabric: { serversPerLeaf: 1, leafOversubscription: 2 } }),
];

interface FluidLike {
  addFlow(src: number, dst: number, bytes: number, weight: number, where: string): number;
  settle(nowNs: number, onFinish: (entity: number, sentNs: number) => void): void;
  nextWakeNs(): number | undefined;
}

interface Transfer {
  readonly at: number;
  readonly flows: readonly { src: number; dst: number; bytes: number; weight: number }[];
}

/** Drives a fluid state as the flow model (topology/network/flow/model.ts) does; returns each flow's finish (in order of addition). */
function run(state: FluidLike, transfers: readonly Transfer[]): number[] {
  const order: number[] = []; // entity → index of addition (entities are recycled)
  const finish: number[] = [];
  const record = (entity: number, sentNs: number): void => {
    finish[order[entity]!] = sentNs;
  };
  const drainUntil = (limit: number): void => {
    for (let next = state.nextWakeNs(); next !== undefined && next < limit; next = state.nextWakeNs()) state.settle(next, record);
  };
  let added = 0;
  for (const { at, flows } of [...transfers].sort((a, b) => a.at - b.at)) {
    drainUntil(at);
    state.settle(at, record);
    for (const { src, dst, bytes, weight } of flows) {
      if (src === dst) continue;
      order[state.addFlow(src, dst, bytes, weight, 'test')] = added++;
    }
  }
  drainUntil(Number.POSITIVE_INFINITY);
  expect(finish.filter((t) => t !== undefined)).toHaveLength(added);
  return finish;
}

const flowArb = fc.record({
  src: fc.nat(63),
  dst: fc.nat(63),
  bytes: fc.oneof(fc.constantFrom(1e6, 2e6, 4e6), fc.integer({ min: 1, max: 5_000_000 }), fc.double({ min: 1e3, max: 5e6, noNaN: true })),
  weight: fc.integer({ min: 1, max: 3 }),
});
const scenarioArb = fc.record({
  clusterIndex: fc.nat(clusters.length - 1),
  transfers: fc.array(
    fc.record({ at: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300_000 })), flows: fc.array(flowArb, { minLength: 1, maxLength: 24 }) }),
    { minLength: 1, maxLength: 8 },
  ),
});

describe('incremental flow solving', () => {
  it('reports the same finish for every flow as a full re-solve on every change, and the same link bytes', () => {
    fc.assert(
      fc.property(scenarioArb, ({ clusterIndex, transfers }) => {
        const cluster = clusters[clusterIndex]!;
        const onCluster = transfers.map(({ at, flows }) => ({
          at,
          flows: flows.map((flow) => ({ ...flow, src: flow.src % cluster.devices, dst: flow.dst % cluster.devices })),
        }));
        const bandwidth = Float64Array.from(cluster.links, (link) => link.bandwidth);
        const incremental = new FluidFlowState(cluster, new MaxMinSolver(bandwidth), bandwidth, 0);
        const reference = new ReferenceFluidFlowState(cluster, new MaxMinSolver(bandwidth), bandwidth, 0);
        const got = run(incremental, onCluster);
        const want = run(reference, onCluster);
        want.forEach((sentNs, k) => expect(Math.abs(got[k]! - sentNs), `flow ${k}: ${got[k]} vs ${sentNs}`).toBeLessThanOrEqual(1));
        const carried = incremental.carriedBytes();
        reference.carried.forEach((bytes, l) => {
          expect(Math.abs(carried[l]! - bytes), `link ${l}`).toBeLessThanOrEqual(1e-9 * Math.max(bytes, 1));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('finishes a flow on the exact ns across unrelated finishes and settles (where the full re-solve rounded up)', () => {
    const cluster = clusters[2]!; // dgx-h100 × 2: 0→8 and 8→0 share no link, 50 GB/s each way
    const transfers = [
      { at: 2871, flows: [{ src: 8, dst: 0, bytes: 1_555_035, weight: 2 }] },
      { at: 59_999, flows: [{ src: 0, dst: 8, bytes: 1e6, weight: 3 }] }, // 3 MB at 50 GB/s: exactly 60 µs
      { at: 119_995, flows: [] }, // a settle shortly before: the reference advances every flow to it
    ];
    const bandwidth = Float64Array.from(cluster.links, (link) => link.bandwidth);
    const state = new FluidFlowState(cluster, new MaxMinSolver(bandwidth), bandwidth, 0);
    expect(run(state, transfers)).toEqual([65_073, 119_999]);
    const reference = new ReferenceFluidFlowState(cluster, new MaxMinSolver(bandwidth), bandwidth, 0);
    expect(run(reference, transfers)).toEqual([65_073, 120_000]);
  });
});
