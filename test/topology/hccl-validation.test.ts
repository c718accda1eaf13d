// Validation against HCCL on one Atlas 800T A2 server (8 ranks), HARDWARE.md: allreduce busbw about 126 GB/s
// and allgather busbw about 130 GB/s (a secondary figure). HCCL runs its mesh algorithms in a full-mesh
// server, and so does moesim by default. The one knob is the HCCS link efficiency in
// catalog/systems/atlas-800t-a2.yaml, fitted by least squares to both figures; this test re-derives the fit,
// then holds each busbw within 15% (tolerance) at 1 GiB, where latency is negligible, and prints each error.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import * as topology from '../../src/topology/index.ts';
import type { Cluster, CollectiveOp, NetworkModel } from '../../src/topology/index.ts';

const TOLERANCE = 0.15;
const SIZE = 2 ** 30; // 1 GiB
const TARGETS: readonly { op: CollectiveOp; busbw: number }[] = [
  { op: 'allreduce', busbw: 126e9 },
  { op: 'allgather', busbw: 130e9 },
];
const group = [0, 1, 2, 3, 4, 5, 6, 7];

type NetworkFactory = (sim: Simulator, cluster: Cluster) => NetworkModel;
const models: [string, NetworkFactory][] = [['analytical', (sim, cluster) => topology.createAnalyticalNetwork(sim, cluster)]];
// The flow-level model lands separately; validate it too when this build has it.
const createFlowNetwork: unknown = (topology as unknown as Record<string, unknown>)['createFlowNetwork'];
if (typeof createFlowNetwork === 'function') models.push(['flow', createFlowNetwork as NetworkFactory]);

function busbw(op: CollectiveOp, cluster: Cluster, factory: NetworkFactory): number {
  const algo = topology.defaultCollectiveAlgorithm(op, group, cluster);
  const plan = topology.planCollective(op, algo, group, SIZE, cluster);
  const sim = new Simulator();
  const ns = topology.simulateCollective(sim, factory(sim, cluster), plan);
  return topology.busBandwidth(op, group.length, SIZE, ns / 1e9);
}

const a2 = topology.buildCluster({ preset: 'atlas-800t-a2', servers: 1 });
const catalogEfficiency = a2.system.intraServer.link.efficiency?.value;

describe('HCCL on one Atlas 800T A2 server (8 ranks)', () => {
  it('uses the mesh algorithms, as HCCL does in a full-mesh server', () => {
    expect(topology.defaultCollectiveAlgorithm('allreduce', group, a2)).toBe('mesh');
    expect(topology.defaultCollectiveAlgorithm('allgather', group, a2)).toBe('mesh');
  });

  it('the catalog HCCS efficiency is the least-squares fit to both figures (within 0.5%)', () => {
    // busbw is proportional to the efficiency e at this size: busbw_i(e) ≈ e · k_i with k_i the busbw at e = 1,
    // so the least-squares e minimising Σ (e·k_i − target_i)² is Σ k_i·target_i / Σ k_i².
    const raw = topology.buildCluster({ preset: 'atlas-800t-a2', servers: 1, overrides: { system: { intraServer: { link: { efficiency: 1 } } } } });
    const k = TARGETS.map(({ op }) => busbw(op, raw, models[0]![1]));
    const fit = k.reduce((sum, ki, i) => sum + ki * TARGETS[i]!.busbw, 0) / k.reduce((sum, ki) => sum + ki * ki, 0);
    console.log(`HCCS efficiency: least-squares fit ${fit.toFixed(4)} (raw busbw ${k.map((x) => (x / 1e9).toFixed(1)).join(', ')} GB/s), catalog ${catalogEfficiency}`);
    expect(catalogEfficiency).toBeDefined();
    expect(Math.abs(catalogEfficiency! - fit) / fit).toBeLessThan(0.005);
  });

  for (const [model, factory] of models) {
    for (const { op, busbw: target } of TARGETS) {
      it(`${op} busbw at 1 GiB is within ${TOLERANCE * 100}% of ${target / 1e9} GB/s (${model} model)`, () => {
        const simulated = busbw(op, a2, factory);
        const error = (simulated - target) / target;
        const algbwTarget = target / topology.busBandwidthFactor(op, group.length); // what HCCL's test tool would print
        console.log(
          `HCCL ${op} (${model}): simulated busbw ${(simulated / 1e9).toFixed(1)} GB/s vs ${target / 1e9} GB/s ` +
            `(algbw ${(algbwTarget / 1e9).toFixed(1)} GB/s): error ${(error * 100).toFixed(2)}%, tolerance ±${TOLERANCE * 100}%`,
        );
        expect(Math.abs(error)).toBeLessThanOrEqual(TOLERANCE);
      });
    }
  }

  it('the RoCE NIC runs at HARDWARE.md’s achieved 22.6 of 25 GB/s (efficiency 0.904)', () => {
    const nic = a2.system.fabric.nic;
    expect(nic.efficiency?.value).toBe(0.904);
    expect(topology.effectiveBandwidth(nic) / 22.6e9).toBeCloseTo(1, 9);
    const roce = topology.buildCluster({ preset: 'atlas-800t-a2', servers: 2 }).links.find((l) => l.kind === 'roce');
    expect(roce!.bandwidth / 22.6e9).toBeCloseTo(1, 9);
  });
});
