// DeepEP's node-deduplicated dispatch (parallelism.epAllToAll: deepep) against a hand count: between servers it sends
// the bytes of distinct (token, destination server) pairs, inside servers those of distinct (token, destination
// rank) pairs the forwarders pass on. The staged all-to-all pipelined in chunks moves the library's bytes in less
// time than the stages run one after the other, and no less than its slowest stage.
import { describe, expect, it } from 'vitest';
import { runStepProgram } from '../../src/execute/index.ts';
import type { ExecutionResult } from '../../src/execute/index.ts';
import type { RoutingDecision } from '../../src/routing/index.ts';
import type { LayerRouting, ParallelismInput } from '../../src/workloads/index.ts';
import { buildStepProgram, countDistinctTokens, groupCountsOf, isMoeLayer, layoutPlacement, spreadDistinctTokens, summariseGroupCounts } from '../../src/workloads/index.ts';
import { handRouting, stepSetup, uniformRouting } from './step-model-helpers.ts';

const SEQ = 256;
const EXPERTS = 32; // two per EP rank over 16 ranks
const RANKS = 16;
const PER_SERVER = 8;

/** Token t of group g picks experts (g + t) mod 32 and (g + 3t + 1) mod 32 (distinct unless equal by chance: then the next). */
function expertsOf(g: number, t: number): [number, number] {
  const a = (g + t) % EXPERTS;
  let b = (g + 3 * t + 1) % EXPERTS;
  if (b === a) b = (b + 1) % EXPERTS;
  return [a, b];
}

function decision(layer: number, microBatch: number): RoutingDecision {
  const pairs = RANKS * SEQ * 2;
  const pairToken = new Int32Array(pairs);
  const pairExpert = new Int32Array(pairs);
  const counts = new Int32Array(RANKS * EXPERTS);
  for (let g = 0; g < RANKS; g++) {
    for (let t = 0; t < SEQ; t++) {
      expertsOf(g, t).forEach((e, k) => {
        const p = (g * SEQ + t) * 2 + k;
        pairToken[p] = g * SEQ + t;
        pairExpert[p] = e;
        counts[g * EXPERTS + e]! += 1;
      });
    }
  }
  return {
    router: 'hand', layer, microBatch, groups: RANKS, groupSize: SEQ, numExperts: EXPERTS, pairToken, pairExpert,
    pairWeight: new Float32Array(pairs).fill(0.5), pairKept: new Uint8Array(pairs).fill(1), keptCounts: counts, proposedCounts: counts, capacity: Infinity, losses: {},
  };
}

/** The hand count over every token: [remote (token, server) pairs, forwarded (token, rank) pairs inside servers, remote (token, expert) pairs]. */
function handCount(): { interPairs: number; intraPairs: number; libraryInterPairs: number } {
  let interPairs = 0;
  let intraPairs = 0;
  let libraryInterPairs = 0;
  const serverOf = (rank: number): number => Math.floor(rank / PER_SERVER);
  for (let g = 0; g < RANKS; g++) {
    for (let t = 0; t < SEQ; t++) {
      const ranks = new Set(expertsOf(g, t).map((e) => Math.floor(e / 2)));
      for (const e of expertsOf(g, t)) if (serverOf(Math.floor(e / 2)) !== serverOf(g)) libraryInterPairs++;
      const servers = new Set([...ranks].map(serverOf));
      for (const s of servers) if (s !== serverOf(g)) interPairs++;
      // Inside server s the token arrives at the rank with g's local index (g itself at home) and goes on to the others.
      for (const r of ranks) if (r !== serverOf(r) * PER_SERVER + (g % PER_SERVER)) intraPairs++;
    }
  }
  return { interPairs, intraPairs, libraryInterPairs };
}

function run(p: Partial<ParallelismInput>): { r: ExecutionResult; tokenBytes: number; layers: number; microBatches: number } {
  const s = stepSetup({ tp: 1, pp: 1, dp: RANKS, ep: RANKS, microBatchSize: 1, globalBatch: RANKS, ...p }, 2, SEQ, { experts: EXPERTS });
  const placement = layoutPlacement(s.layout, EXPERTS);
  const slotOfEpRank = Int32Array.from({ length: RANKS }, (_, r) => Math.floor(r / PER_SERVER));
  const routing = [Array.from({ length: s.model.layers }, (_, l): LayerRouting | undefined => {
    if (!isMoeLayer(s.model, l)) return undefined;
    const d = decision(l, 0);
    const summary = summariseGroupCounts(groupCountsOf(d), s.layout, placement);
    return { ...summary, distinct: spreadDistinctTokens(countDistinctTokens(d, placement.rankOf, slotOfEpRank, 2), s.layout, slotOfEpRank, 2, summary.dispatchTokens) };
  })];
  const program = buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing });
  const r = runStepProgram(program, s.cluster, { network: 'analytical', recordSpans: false });
  return { r, tokenBytes: s.model.hidden * 2, layers: s.model.layers, microBatches: s.layout.microBatches };
}

describe('DeepEP node-deduplicated dispatch', () => {
  it('sends between servers the bytes of distinct (token, server) pairs and inside them the forwarded (token, rank) pairs', () => {
    const hand = handCount();
    const deepep = run({ epAllToAll: 'deepep', epAllToAllChunks: 4 });
    const library = run({});
    // Each MoE layer dispatches forward and sends its dispatch gradient back in the backward: two of each per layer.
    const uses = 2 * deepep.layers * deepep.microBatches;
    const dispatch = deepep.r.commBytesByCategory['ep-dispatch']!;
    const combine = deepep.r.commBytesByCategory['ep-combine']!;
    console.log(`hand count per layer and pass: ${hand.interPairs} remote (token, server) pairs, ${hand.intraPairs} forwarded (token, rank) pairs; library ${hand.libraryInterPairs} remote (token, expert) pairs`);
    console.log(`inter-server dispatch bytes: deepep ${dispatch.interServer}, library ${library.r.commBytesByCategory['ep-dispatch']!.interServer}`);
    expect(dispatch.interServer).toBe(uses * hand.interPairs * deepep.tokenBytes);
    expect(dispatch.intraServer).toBe(uses * hand.intraPairs * deepep.tokenBytes);
    expect(combine.interServer).toBe(dispatch.interServer);
    expect(library.r.commBytesByCategory['ep-dispatch']!.interServer).toBe(uses * hand.libraryInterPairs * deepep.tokenBytes);
    expect(hand.interPairs).toBeLessThan(hand.libraryInterPairs);
    expect(deepep.r.algorithms['ep-dispatch']).toBe('deepep');
  });

  it('is refused with experts split over TP ranks, and on a model without experts', () => {
    expect(() => stepSetup({ tp: 2, pp: 1, dp: 8, ep: 8, expertTp: 1, sequenceParallel: true, globalBatch: 8, epAllToAll: 'deepep' }, 2, SEQ, { experts: EXPERTS }))
      .toThrow(/parallelism.epAllToAll: deepep .*expertTp = tp/);
    expect(() => stepSetup({ tp: 1, pp: 1, dp: 16, ep: 1, globalBatch: 16, epAllToAll: 'deepep' }, 2, SEQ, { experts: 1, topK: 1, moeLayerInterval: 0 }))
      .toThrow(/parallelism.epAllToAll: .*no MoE layers/);
  });
});

describe('the staged all-to-all pipelined in chunks', () => {
  /** Uniform routing over 2 A2 servers (HCCL's staged all-to-all: intra-server gather, then one exchange round). */
  function staged(seq: number, p: Partial<ParallelismInput>): ExecutionResult {
    const s = stepSetup({ tp: 1, pp: 1, dp: RANKS, ep: RANKS, microBatchSize: 1, globalBatch: RANKS, ...p }, 2, seq);
    const program = buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: uniformRouting(s) });
    return runStepProgram(program, s.cluster, { network: 'analytical', recordSpans: false });
  }
  const epNs = (r: ExecutionResult): number => (r.devices[0]!.commNs['ep-dispatch'] ?? 0) + (r.devices[0]!.commNs['ep-combine'] ?? 0);
  const ms = (r: ExecutionResult): string => (epNs(r) / 1e6).toFixed(3);

  it('moves the same bytes; with large messages the stages overlap (at most halving two stages), with small ones each chunk pays latency', () => {
    const large = staged(8192, {});
    const one = staged(8192, { epAllToAll: 'hierarchical-pipelined', epAllToAllChunks: 1 });
    const eight = staged(8192, { epAllToAll: 'hierarchical-pipelined', epAllToAllChunks: 8 });
    const small = staged(256, {});
    const smallEight = staged(256, { epAllToAll: 'hierarchical-pipelined', epAllToAllChunks: 8 });
    console.log(`expert all-to-all time on device 0, 8192 tokens per rank: staged ${ms(large)} ms, 1 chunk ${ms(one)} ms, 8 chunks ${ms(eight)} ms; 256 tokens: staged ${ms(small)} ms, 8 chunks ${ms(smallEight)} ms`);
    const bytes = (r: ExecutionResult): number => r.commBytesByCategory['ep-dispatch']!.total;
    expect(bytes(eight)).toBeCloseTo(bytes(large), 0);
    expect(epNs(one)).toBeCloseTo(epNs(large), -3); // one chunk is the staged all-to-all (within a microsecond)
    expect(epNs(eight)).toBeLessThan(epNs(large));
    expect(epNs(eight)).toBeGreaterThanOrEqual(0.5 * epNs(large));
    expect(epNs(smallEight)).toBeGreaterThan(epNs(small));
    expect(eight.algorithms['ep-dispatch']).toBe('hierarchical-pipelined');
  });

  it('in one chunk is the staged all-to-all in both directions, with routing that is not symmetric', () => {
    // DP ranks 0–7 send every assignment to expert 9 (on rank 9, the other server); the rest spread evenly.
    const run = (p: Partial<ParallelismInput>): ExecutionResult => {
      const s = stepSetup({ tp: 1, pp: 1, dp: RANKS, ep: RANKS, microBatchSize: 1, globalBatch: RANKS, ...p }, 2, 1024);
      const routing = handRouting(s, (g, e) => (g < 8 ? (e === 9 ? 2048 : 0) : 128));
      return runStepProgram(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing }), s.cluster, { network: 'analytical', recordSpans: false });
    };
    const staged = run({});
    const one = run({ epAllToAll: 'hierarchical-pipelined', epAllToAllChunks: 1 });
    for (const category of ['ep-dispatch', 'ep-combine']) {
      expect(one.commBytesByCategory[category]).toEqual(staged.commBytesByCategory[category]);
      for (const d of [0, 9]) expect(one.devices[d]!.commNs[category]).toBeCloseTo(staged.devices[d]!.commNs[category]!, -3);
    }
  });
});
