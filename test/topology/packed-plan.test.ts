// Packed plans (topology/collectives/packed-plan.ts): the packed hierarchical all-to-all-v unpacks to the plain plan, and both
// network models give a packed phase exactly the result of the same phase as Flow objects.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import { buildCluster, createAnalyticalNetwork, createFlowNetwork, hierarchicalAllToAllV, hierarchicalAllToAllVPacked, packedPhaseCount, runCollective, runPackedCollective, unpackPhase, unpackPlan } from '../../src/topology/index.ts';

const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 4 });
const group = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? i : 31 - i));
const matrix = Float64Array.from({ length: 16 * 16 }, (_, i) => ((i * 7919) % 13) * 1e5 + (i % 3 === 0 ? 0 : 1.5));

describe('packed plans', () => {
  it('unpack to the plain hierarchical all-to-all-v, for both rails and exchanges', () => {
    for (const rail of ['destination', 'source'] as const) {
      for (const interServer of ['pairwise', 'direct'] as const) {
        const options = { ...cluster, serverOf: cluster.serverOf, rail, interServer };
        const packed = hierarchicalAllToAllVPacked(group, matrix, options);
        expect(unpackPlan(packed)).toEqual(hierarchicalAllToAllV(group, matrix, options));
        expect(packedPhaseCount(packed)).toBeGreaterThan(1);
      }
    }
  });

  for (const make of [createAnalyticalNetwork, createFlowNetwork]) {
    it(`run on the ${make.name} network exactly as the plain plan`, () => {
      const run = (packed: boolean): { end: number; phases: number[]; bytes: Float64Array } => {
        const sim = new Simulator();
        const network = make(sim, cluster);
        const plan = hierarchicalAllToAllVPacked(group, matrix, cluster);
        const phases = Array.from({ length: packedPhaseCount(plan) }, (_, p) => network.phaseDuration(unpackPhase(plan, p)));
        let end = -1;
        (packed ? runPackedCollective(sim, network, plan, 'a2a') : runCollective(sim, network, unpackPlan(plan), 'a2a')).onDone(() => (end = sim.now));
        sim.run();
        return { end, phases, bytes: network.linkBytes() };
      };
      const plain = run(false);
      const packed = run(true);
      expect(packed.end).toBeGreaterThan(0);
      expect(packed).toEqual(plain);
    });
  }
});
