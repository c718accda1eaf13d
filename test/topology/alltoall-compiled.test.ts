// Compiled staged all-to-alls (topology/collectives/alltoall-staged.ts): a plan filled from a compiled group, with its
// zero-byte slots and compiled routes, runs on both network models exactly as the plain packed plan, empty phases
// included; the compiled routes are the cluster's.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import {
  buildCluster, compileHierarchicalAllToAll, createAnalyticalNetwork, createFlowNetwork, fillHierarchicalAllToAll, hierarchicalAllToAllVPacked,
  packedPhaseCount, runPackedCollective, unpackPlan,
} from '../../src/topology/index.ts';
import type { PackedPlan } from '../../src/topology/index.ts';

const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 4 });
const group = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? i : 31 - i));
const serverOf = (rank: number): number => cluster.serverOf(group[rank] as number);
const dense = Float64Array.from({ length: 16 * 16 }, (_, i) => ((i * 7919) % 13) * 1e5 + (i % 3 === 0 ? 0 : 1.5));
// Only traffic inside a server: every exchange phase is empty and dropped.
const intraOnly = dense.map((v, i) => (serverOf(Math.floor(i / 16)) === serverOf(i % 16) ? v : 0));
// Only traffic between servers, and sparse.
const interOnly = dense.map((v, i) => (serverOf(Math.floor(i / 16)) !== serverOf(i % 16) && i % 5 === 0 ? v : 0));

describe('compiled staged all-to-all', () => {
  const compiled = compileHierarchicalAllToAll(group, cluster, cluster);

  it('compiles the cluster routes of every slot', () => {
    const routes = compiled.routes;
    expect(routes).toBeDefined();
    for (let f = 0; f < compiled.src.length; f++) {
      const a = compiled.src[f] as number;
      const b = compiled.dst[f] as number;
      expect(Array.from(routes?.links.subarray(routes.start[f], routes.start[f + 1]) ?? [])).toEqual([...cluster.route(a, b)]);
      expect(routes?.latency[f]).toBe(cluster.pathLatencyNs(a, b));
      expect(routes?.intraServer[f] === 1).toBe(cluster.isIntraServer(a, b));
    }
  });

  for (const [name, matrix] of [['dense', dense], ['intra-server only', intraOnly], ['inter-server only', interOnly]] as const) {
    it(`fills the plain plan's flows and phases (${name})`, () => {
      const filled = fillHierarchicalAllToAll(compiled, matrix, 1);
      const plain = hierarchicalAllToAllVPacked(group, matrix, cluster);
      expect(packedPhaseCount(filled)).toBe(packedPhaseCount(plain));
      expect(unpackPlan(filled)).toEqual(unpackPlan(plain));
    });

    for (const make of [createAnalyticalNetwork, createFlowNetwork]) {
      it(`runs on the ${make.name} network exactly as the plain plan (${name})`, () => {
        const run = (plan: PackedPlan): unknown => {
          const sim = new Simulator();
          const network = make(sim, cluster);
          let end = -1;
          runPackedCollective(sim, network, plan, 'a2a').onDone(() => (end = sim.now));
          sim.run();
          return { end, events: sim.eventsProcessed, bytes: network.linkBytes(), activity: network.linkActivity() };
        };
        expect(run(fillHierarchicalAllToAll(compiled, matrix, 1))).toEqual(run(hierarchicalAllToAllVPacked(group, matrix, cluster)));
      });
    }
  }

  it('maps entries through a term index and a scale, and refuses a bad entry', () => {
    const tokens = Float64Array.from(dense, (v) => v / 2);
    const filled = fillHierarchicalAllToAll(compiled, tokens, 2, compiled.terms);
    expect(unpackPlan(filled)).toEqual(unpackPlan(hierarchicalAllToAllVPacked(group, dense, cluster)));
    const bad = dense.slice();
    bad[1] = Number.NaN;
    expect(() => fillHierarchicalAllToAll(compiled, bad, 1)).toThrow(/finite number/);
  });
});
