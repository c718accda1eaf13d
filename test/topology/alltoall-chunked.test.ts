// Pipelined and reversed compiled all-to-alls (topology/collectives/alltoall-chunked.ts), and DeepEP's compiled
// dispatch: a plan in C chunks moves the same bytes over the same links as the staged one, in C + P − 1 phases, and
// its later chunks pay no per-message latency (Flow.streamed) on either network model; the reversed plan turns every
// flow round; the node-deduplicated dispatch sends one flow per (rank, other server) on the rank's own rail.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import {
  buildCluster, compileHierarchicalAllToAll, compileNodeDedupAllToAll, createAnalyticalNetwork, createFlowNetwork, fillHierarchicalAllToAll,
  packedPhaseCount, pipelineInChunks, reverseCompiled, runPackedCollective, unpackPhase,
} from '../../src/topology/index.ts';
import type { PackedPlan } from '../../src/topology/index.ts';

const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
const group = Array.from({ length: 16 }, (_, i) => i);
const matrix = Float64Array.from({ length: 16 * 16 }, (_, i) => (Math.floor(i / 16) === i % 16 ? 0 : 1e6 + (i % 7) * 1e5));
const staged = compileHierarchicalAllToAll(group, cluster, cluster);

function run(make: typeof createAnalyticalNetwork, plan: PackedPlan): { end: number; bytes: Float64Array } {
  const sim = new Simulator();
  const network = make(sim, cluster);
  let end = -1;
  runPackedCollective(sim, network, plan, 'a2a').onDone(() => (end = sim.now));
  sim.run();
  return { end, bytes: network.linkBytes() };
}

describe('an all-to-all pipelined in chunks', () => {
  const phases = staged.phaseStart.length - 1;
  const eight = pipelineInChunks(staged, 8);

  it('has chunks + P − 1 phases, the same bytes on every link, and its later chunks marked streamed', () => {
    const filled = fillHierarchicalAllToAll(eight, matrix, 1 / 8);
    expect(packedPhaseCount(filled)).toBe(8 + phases - 1);
    const whole = run(createAnalyticalNetwork, fillHierarchicalAllToAll(staged, matrix, 1));
    const piped = run(createAnalyticalNetwork, filled);
    for (let l = 0; l < whole.bytes.length; l++) expect(piped.bytes[l]).toBeCloseTo(whole.bytes[l]!, 3);
    const first = unpackPhase(filled, 0);
    expect(first.every((f) => f.streamed !== true)).toBe(true);
    expect(unpackPhase(filled, 1).some((f) => f.streamed === true)).toBe(true);
    expect(filled.algo).toBe('hierarchical-pipelined');
  });

  for (const make of [createAnalyticalNetwork, createFlowNetwork]) {
    it(`on the ${make.name} network: one chunk is the staged plan, eight overlap its stages, streamed chunks pay no α`, () => {
      const whole = run(make, fillHierarchicalAllToAll(staged, matrix, 1)).end;
      expect(run(make, fillHierarchicalAllToAll(pipelineInChunks(staged, 1), matrix, 1)).end).toBe(whole);
      const piped = run(make, fillHierarchicalAllToAll(eight, matrix, 1 / 8)).end;
      expect(piped).toBeLessThan(whole);
      expect(piped).toBeGreaterThanOrEqual(whole / phases);
      // The same plan with every chunk paying its own per-message latency is slower by about 7 chunks' α per phase.
      const unstreamed = { ...fillHierarchicalAllToAll(eight, matrix, 1 / 8), streamed: undefined };
      expect(run(make, unstreamed).end).toBeGreaterThan(piped);
    });
  }

  it('refuses a chunk count that is not a whole number ≥ 1', () => {
    expect(() => pipelineInChunks(staged, 0)).toThrow(/chunks is 0/);
    expect(() => pipelineInChunks(staged, 1.5)).toThrow(/whole number/);
  });
});

describe('DeepEP\'s compiled dispatch and its reverse', () => {
  const dispatch = compileNodeDedupAllToAll(group, cluster);
  // Values: every rank pair 10 distinct tokens, every (rank, server) pair 100.
  const values = Float64Array.from({ length: 16 * 16 + 16 * 2 }, (_, i) => (i < 256 ? 10 : 100));

  it('sends between servers once per (rank, other server) on its rail, then forwards inside each server', () => {
    const plan = fillHierarchicalAllToAll(dispatch, values, 1);
    const inter = unpackPhase(plan, 0);
    expect(inter).toHaveLength(16);
    for (const f of inter) {
      expect(f.dst % 8).toBe(f.src % 8); // the same local index: its own rail
      expect(cluster.isIntraServer(f.src, f.dst)).toBe(false);
      expect(f.bytes).toBe(100);
    }
    const intra = unpackPhase(plan, 1);
    expect(intra).toHaveLength(2 * 8 * 7);
    for (const f of intra) {
      expect(cluster.isIntraServer(f.src, f.dst)).toBe(true);
      expect(f.bytes).toBe(20); // its own 10 tokens for that rank and the 10 it received on its rail from the other server
    }
    expect([...dispatch.slotOfRank]).toEqual(group.map((d) => Math.floor(d / 8)));
  });

  it('reversed, turns every flow round and runs the forwarding first', () => {
    const back = fillHierarchicalAllToAll(reverseCompiled(dispatch, cluster), values, 1);
    const first = unpackPhase(back, 0);
    expect(first.every((f) => cluster.isIntraServer(f.src, f.dst))).toBe(true);
    const forward = unpackPhase(fillHierarchicalAllToAll(dispatch, values, 1), 0).map((f) => `${f.dst}→${f.src}`).sort();
    expect(unpackPhase(back, 1).map((f) => `${f.src}→${f.dst}`).sort()).toEqual(forward);
    expect(run(createAnalyticalNetwork, back).end).toBeGreaterThan(0);
  });
});
