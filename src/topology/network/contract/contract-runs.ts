// What the network-model contract suite runs: random phases of flows on a cluster (fast-check arbitraries), and
// phases run on a fresh simulator and model, with each phase's finish time and the links' bytes read afterwards.
import fc from 'fast-check';
import { Simulator } from '../../../engine/index.ts';
import type { Cluster } from '../../cluster/types.ts';
import type { NetworkModelEntry } from '../registry.ts';
import type { Flow, NetworkModel, PackedPlan } from '../types.ts';

/** Random flows between the cluster's devices: some inside a server, some across; a few local or empty ones. */
export function phaseArbitrary(cluster: Cluster, maxFlows: number): fc.Arbitrary<Flow[]> {
  const device = fc.integer({ min: 0, max: cluster.devices - 1 });
  const bytes = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: 1, max: 64 * 2 ** 20 }) });
  return fc.array(fc.record({ src: device, dst: device, bytes }), { minLength: 1, maxLength: maxFlows });
}

/** An all-to-all bytes matrix over `ranks` ranks (row: source), zero on the diagonal. */
export function matrixArbitrary(ranks: number): fc.Arbitrary<Float64Array> {
  return fc.array(fc.integer({ min: 0, max: 8 * 2 ** 20 }), { minLength: ranks * ranks, maxLength: ranks * ranks })
    .map((cells) => Float64Array.from(cells, (b, i) => (Math.floor(i / ranks) === i % ranks ? 0 : b)));
}

/** One phase to start at `atNs`: plain flows, or phase `phase` of a packed plan. */
export type ScheduledPhase = { atNs: number; label: string } & ({ flows: readonly Flow[] } | { packed: PackedPlan; phase: number });

export interface PhaseRun {
  readonly model: NetworkModel;
  /** Each phase's finish time (ns), in the order given. */
  readonly finishNs: number[];
  readonly linkBytes: Float64Array;
  /** Σ over links of linkActivity().bytes(link), per link. */
  readonly activityBytes: Float64Array;
}

/** Run `phases` on a fresh simulator and a fresh model of `entry`; phases at the same time start in the given order. */
export function runPhases(entry: NetworkModelEntry, cluster: Cluster, phases: readonly ScheduledPhase[]): PhaseRun {
  const sim = new Simulator();
  const model = entry.create(sim, cluster, { recordActivity: true });
  const finishNs = phases.map(() => -1);
  const start = (i: number): void => {
    const p = phases[i]!;
    const done = 'flows' in p ? model.transfer(p.flows, p.label) : model.transferPacked(p.packed, p.phase, p.label);
    done.onDone(() => { finishNs[i] = sim.now; });
  };
  phases.forEach((p, i) => {
    if (p.atNs === 0) start(i);
    else sim.scheduleCall(p.atNs, start, i);
  });
  sim.run();
  const activity = model.linkActivity();
  const activityBytes = Float64Array.from({ length: cluster.links.length }, (_, l) => activity.bytes(l));
  return { model, finishNs, linkBytes: model.linkBytes(), activityBytes };
}

/** The bytes each link must carry: every non-local flow's bytes on every link of cluster.route(src, dst). */
export function expectedLinkBytes(cluster: Cluster, flows: readonly Flow[]): Float64Array {
  const bytes = new Float64Array(cluster.links.length);
  for (const f of flows) {
    if (f.src === f.dst || f.bytes === 0) continue;
    for (const l of cluster.route(f.src, f.dst)) bytes[l] = bytes[l]! + f.bytes;
  }
  return bytes;
}

/** The first link whose two figures differ by more than `relative` of the larger (and 1 byte), or undefined. */
export function firstMismatch(a: Float64Array, b: Float64Array, relative = 1e-9): string | undefined {
  for (let l = 0; l < a.length; l++) {
    const x = a[l]!;
    const y = b[l]!;
    if (Math.abs(x - y) > Math.max(1, relative * Math.max(Math.abs(x), Math.abs(y)))) return `link ${l}: ${x} against ${y}`;
  }
  return undefined;
}
