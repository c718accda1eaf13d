// Locality-aware expert placement: experts move to the server whose tokens use them most, every rank keeps
// experts-per-rank experts, hot experts spread over a server's ranks, and the step sends fewer bytes between servers.
import { describe, expect, it } from 'vitest';
import { runStepProgram } from '../../src/sim/index.ts';
import { buildStepProgram, layoutPlacement, localityAwarePlacement, summariseGroupCounts } from '../../src/workloads/index.ts';
import type { GroupCounts } from '../../src/workloads/index.ts';
import { handRouting, stepSetup } from './step-model-helpers.ts';

describe('locality-aware expert placement', () => {
  // ep 16 over two A2 servers (8 ranks each), one expert per rank. Ranks 0–7 send to experts 8–15 and back:
  // contiguous placement makes every assignment cross servers.
  const s = stepSetup({ tp: 1, pp: 1, dp: 16, ep: 16, microBatchSize: 1, globalBatch: 16, expertPlacement: 'locality-aware' });
  const tokens = s.model.seqLength * s.model.topK;
  const crossing = (g: number, e: number): number => (Math.floor(g / 8) !== Math.floor(e / 8) ? tokens / 8 : 0);
  const counts = (kept: (g: number, e: number) => number): GroupCounts => {
    const c = Float64Array.from({ length: 16 * 16 }, (_, i) => kept(Math.floor(i / 16), i % 16));
    return { layer: 0, microBatch: 0, groups: 16, numExperts: 16, keptCounts: c, proposedCounts: c, capacity: Infinity, losses: {} };
  };
  const slot = (r: number): number => Math.floor(r / 8);

  it('moves each expert to the server that sends it its tokens, one expert per rank', () => {
    const p = localityAwarePlacement(counts(crossing), s.layout, slot);
    for (let e = 0; e < 16; e++) expect(slot(p.rankOf[e] as number), `expert ${e}`).toBe(1 - Math.floor(e / 8));
    expect([...p.rankOf].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, r) => r));
    expect([...p.localOf].every((v) => v === 0)).toBe(true);
  });

  it('spreads a server\'s hot experts over its ranks (largest load first onto the least-loaded rank)', () => {
    const layout = stepSetup({ tp: 1, pp: 1, dp: 16, ep: 8, microBatchSize: 1, globalBatch: 16, expertPlacement: 'locality-aware' }).layout;
    // 16 experts, 2 per rank, 4 ranks per server slot; experts 0–3 are hot and all wanted by slot 0.
    const p = localityAwarePlacement(counts((g, e) => (Math.floor((g % 8) / 4) === 0 ? (e < 4 ? 100 : e < 8 ? 10 : 0) : e >= 8 ? 10 : 0)), layout, (r) => Math.floor(r / 4));
    const hotRanks = [0, 1, 2, 3].map((e) => p.rankOf[e]);
    expect(new Set(hotRanks).size).toBe(4);
    for (let r = 0; r < 8; r++) expect([...p.rankOf].filter((x) => x === r)).toHaveLength(2);
  });

  it('cuts the step\'s inter-server all-to-all bytes against contiguous placement', () => {
    const routing = handRouting(s, crossing);
    const local = routing.map((perLayer) => perLayer.map((r, l) => {
      if (!r) return undefined;
      const c = counts(crossing);
      return summariseGroupCounts({ ...c, layer: l }, s.layout, localityAwarePlacement(c, s.layout, slot));
    }));
    const contiguous = routing.map((perLayer) => perLayer.map((r, l) => (r ? summariseGroupCounts({ ...counts(crossing), layer: l }, s.layout, layoutPlacement({ ...s.layout, expertPlacement: 'contiguous' }, 16)) : undefined)));
    const run = (rt: typeof routing) => runStepProgram(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: rt }), s.cluster, { network: 'analytical', recordSpans: false });
    const a = run(contiguous);
    const b = run(local);
    const inter = (r: typeof a): number => (r.commBytesByCategory['ep-dispatch']?.interServer ?? 0) + (r.commBytesByCategory['ep-combine']?.interServer ?? 0);
    console.log(`inter-server all-to-all bytes: contiguous ${(inter(a) / 2 ** 20).toFixed(0)} MiB, locality-aware ${(inter(b) / 2 ** 20).toFixed(0)} MiB; step ${(a.stepTimeNs / 1e6).toFixed(3)} → ${(b.stepTimeNs / 1e6).toFixed(3)} ms`);
    expect(inter(b)).toBe(0);
    expect(inter(a)).toBeGreaterThan(0);
    expect(b.stepTimeNs).toBeLessThan(a.stepTimeNs);
  });
});
