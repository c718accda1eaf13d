// ZB-H1, DualPipe and DualPipeV: every (micro-batch, model chunk) runs F, B and W once in an order the unit-level
// timeline can execute without deadlock (a fast-check property over shapes), the timeline's bubble against the
// published formulas (1F1B and ZB-H1 exactly; DualPipe and DualPipeV exactly when F = B, including the README's 8
// ranks and 20 micro-batches, and with the measured, pinned gap when F ≠ B, see DESIGN.md), the peak in-flight
// activations of the papers' tables, and the layout checks. Times: F forward, B input gradients, W weight
// gradients, so the papers' whole backward is B + W and their F&B (pair with a whole backward) is FandB + W.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineScheduleEntry, PipelineScheduleName } from '../../src/workloads/index.ts';
import { pipelineScheduleEntry } from '../../src/workloads/index.ts';
import type { UnitTimes } from '../../src/workloads/pipeline-schedules/unit-timeline.ts';
import { evaluateUnitTimeline, peakInFlight } from '../../src/workloads/pipeline-schedules/unit-timeline.ts';

const entry = (name: PipelineScheduleName): PipelineScheduleEntry => pipelineScheduleEntry(name);
const EQUAL: UnitTimes = { F: 1, B: 1, W: 1 };
const UNEQUAL: UnitTimes = { F: 3, B: 2, W: 1 };
const bubble = (name: PipelineScheduleName, pp: number, vpp: number, m: number, t: UnitTimes): number => evaluateUnitTimeline(entry(name), pp, vpp, m, t).bubble;

/** The DualPipe README's table: (PP/2 − 1)(F&B + B − 3W) with B the whole backward and PP the pipeline stages. */
function dualPipeFormula(stages: number, t: UnitTimes): number {
  const wholeBackward = t.B + t.W;
  const pair = (t.FandB ?? t.F + t.B) + t.W;
  return (stages / 2 - 1) * (pair + wholeBackward - 3 * t.W);
}

describe('zb-h1, dualpipe and dualpipev unit orders', () => {
  it('run every (micro-batch, chunk) F, B, W once, in dependency order, for any accepted shape (property)', () => {
    const shapes = fc.tuple(fc.constantFrom<PipelineScheduleName>('zb-h1', 'dualpipe', 'dualpipev'), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 14 }));
    fc.assert(fc.property(shapes, ([name, pp, extra]) => {
      const e = entry(name);
      const vpp = name === 'zb-h1' ? 1 : 2;
      const ranks = name === 'dualpipe' ? 2 * Math.ceil(pp / 2) : pp;
      const m = name === 'zb-h1' ? 1 + extra : 2 * ranks + (name === 'dualpipe' ? 2 * extra : extra);
      expect(e.checkStages(ranks, vpp)).toBeUndefined();
      expect(e.checkMicroBatches(ranks, vpp, m)).toBeUndefined();
      const seen = new Map<string, string>();
      for (let s = 0; s < ranks; s++) {
        for (const u of e.units(s, ranks, vpp, m)) {
          const key = `${u.microBatch}:${e.chunkOf(s, u.virtualStage, ranks, vpp)}`;
          const want = { forward: undefined, backward: 'forward', weight: 'backward' }[u.pass];
          expect(seen.get(key), `${name} pp ${ranks} m ${m} stage ${s}: ${u.pass} of ${key}`).toBe(want);
          seen.set(key, u.pass);
        }
      }
      expect(seen.size).toBe(m * e.modelChunks(ranks, vpp));
      expect([...seen.values()].every((p) => p === 'weight')).toBe(true);
      // The timeline runs them all (it throws on a deadlock or a unit run twice), with and without latency.
      expect(evaluateUnitTimeline(e, ranks, vpp, m, UNEQUAL, 0.25).makespan).toBeGreaterThan(0);
    }), { numRuns: 150, seed: 7 });
  });

  it('detects a deadlock and names the stuck units', () => {
    const base = entry('1f1b');
    // Stage 0 runs its backward before its forward: nothing can ever start the backward.
    const broken: PipelineScheduleEntry = { ...base, units: (s, pp, vpp, m) => (s === 0 ? base.units(s, pp, vpp, m).reverse() : base.units(s, pp, vpp, m)) };
    expect(() => evaluateUnitTimeline(broken, 2, 1, 2, EQUAL)).toThrow(/deadlock in 1f1b .*stage 0 waits at backward mb1 v0/);
  });
});

describe('bubbles against the published formulas (exact unless stated)', () => {
  it('1F1B: (pp − 1)(F + whole backward)', () => {
    for (const t of [EQUAL, UNEQUAL]) {
      for (const [pp, m] of [[4, 8], [4, 16], [8, 16], [8, 20]] as const) expect(bubble('1f1b', pp, 1, m, t)).toBe((pp - 1) * (t.F + t.B + t.W));
    }
    expect(bubble('1f1b', 4, 1, 8, EQUAL)).toBe(9);
  });

  it('ZB-H1: (pp − 1)(F + whole backward − 2W), a third of 1F1B\'s at F = B = W (the paper\'s assumption)', () => {
    for (const t of [EQUAL, UNEQUAL]) {
      for (const [pp, m] of [[4, 8], [4, 16], [8, 16], [8, 20], [8, 24]] as const) {
        expect(bubble('zb-h1', pp, 1, m, t), `pp ${pp}, m ${m}`).toBe((pp - 1) * (t.F + t.B + t.W - 2 * t.W));
      }
    }
    expect(bubble('zb-h1', 8, 1, 24, EQUAL)).toBe(7);
    expect(bubble('1f1b', 8, 1, 24, EQUAL)).toBe(21);
  });

  it('DualPipe: (pp/2 − 1)(F&B + B − 3W) exactly at pp = 4 when F = B, also with a faster overlapped pair', () => {
    for (const t of [EQUAL, { ...EQUAL, FandB: 1.5 }, { F: 2, B: 2, W: 1 }, { F: 2, B: 2, W: 1, FandB: 3.5 }]) {
      for (const m of [8, 16, 20]) expect(bubble('dualpipe', 4, 2, m, t), JSON.stringify(t)).toBe(dualPipeFormula(4, t));
    }
    expect(bubble('dualpipe', 2, 2, 8, EQUAL)).toBe(0); // pp/2 − 1 = 0: no bubble at all
  });

  it('DualPipe at the README\'s 8 ranks and 20 micro-batches: the formula at F = B = W, pinned above it at F ≠ B', () => {
    // F = B = W (the figure's equal cells, 66 wide with 6 idle per device): 6, the formula; F = 3, B = 2, W = 1: 21
    // against 18 (the formula assumes F = B).
    expect(dualPipeFormula(8, EQUAL)).toBe(6);
    expect(bubble('dualpipe', 8, 2, 20, EQUAL)).toBe(6);
    expect(evaluateUnitTimeline(entry('dualpipe'), 8, 2, 20, EQUAL).makespan).toBe(66);
    expect(dualPipeFormula(8, UNEQUAL)).toBe(18);
    expect(bubble('dualpipe', 8, 2, 20, UNEQUAL)).toBe(21);
    for (const m of [16, 24]) expect(bubble('dualpipe', 8, 2, m, EQUAL)).toBe(6); // independent of the micro-batches
  });

  it('DualPipeV: the same bubble as DualPipe over the same number of stages (2·pp), as the README\'s table says', () => {
    for (const t of [EQUAL, UNEQUAL, { ...EQUAL, FandB: 1.5 }]) {
      for (const [ranks, m] of [[2, 8], [4, 16], [4, 20]] as const) {
        expect(bubble('dualpipev', ranks, 2, m, t), `${ranks} ranks, ${JSON.stringify(t)}`).toBe(bubble('dualpipe', 2 * ranks, 2, m, t));
      }
    }
    expect(bubble('dualpipev', 2, 2, 10, EQUAL)).toBe(dualPipeFormula(4, EQUAL)); // 4 stages: exact
    expect(bubble('dualpipev', 4, 2, 10, EQUAL)).toBe(dualPipeFormula(8, EQUAL)); // the README figure's 4 ranks, 10 micro-batches: 6
  });

  it('a p2p latency only adds to the bubble', () => {
    for (const name of ['1f1b', 'zb-h1'] as const) expect(evaluateUnitTimeline(entry(name), 4, 1, 8, EQUAL, 0.5).bubble).toBeGreaterThan(bubble(name, 4, 1, 8, EQUAL));
    expect(evaluateUnitTimeline(entry('dualpipe'), 4, 2, 8, EQUAL, 0.5).bubble).toBeGreaterThan(bubble('dualpipe', 4, 2, 8, EQUAL));
  });
});

describe('peak in-flight activations (forwards whose B has not run)', () => {
  const peaks = (name: PipelineScheduleName, pp: number, vpp: number, m: number, untilWeight = false): number[] =>
    Array.from({ length: pp }, (_, s) => peakInFlight(entry(name).units(s, pp, vpp, m), untilWeight));

  it('ZB-H1 holds pp − s on stage s like 1F1B (pp at most), also counting until W', () => {
    expect(peaks('zb-h1', 8, 1, 20)).toEqual(peaks('1f1b', 8, 1, 20));
    expect(peaks('zb-h1', 8, 1, 20)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(Math.max(...peaks('zb-h1', 8, 1, 20, true))).toBe(8);
  });

  it('DualPipe holds pp + 1 chunk activations per rank, DualPipeV 2·pp + 1 (PP + 1 over its 2·pp stages)', () => {
    expect(peaks('dualpipe', 8, 2, 20)).toEqual(new Array(8).fill(9));
    expect(peaks('dualpipe', 4, 2, 16)).toEqual(new Array(4).fill(5));
    expect(peaks('dualpipev', 4, 2, 10)).toEqual(new Array(4).fill(9));
  });
});

describe('layout checks and chunk placement', () => {
  it('name the field and the fix', () => {
    expect(entry('zb-h1').checkStages(4, 2)).toMatchObject({ field: 'vpp', message: expect.stringMatching(/set vpp = 1/) });
    expect(entry('dualpipe').checkStages(3, 2)).toMatchObject({ field: 'pp', message: expect.stringMatching(/even pp/) });
    expect(entry('dualpipe').checkStages(4, 1)).toMatchObject({ field: 'vpp', message: expect.stringMatching(/set vpp = 2/) });
    expect(entry('dualpipe').checkMicroBatches(4, 2, 6)?.field).toBe('globalBatch');
    expect(entry('dualpipe').checkMicroBatches(4, 2, 9)?.message).toMatch(/even number/);
    expect(entry('dualpipe').checkMicroBatches(4, 2, 8)).toBeUndefined();
    expect(entry('dualpipev').checkStages(4, 3)).toMatchObject({ field: 'vpp', message: expect.stringMatching(/set vpp = 2/) });
    expect(entry('dualpipev').checkMicroBatches(4, 2, 7)).toMatchObject({ field: 'globalBatch', message: expect.stringMatching(/at least 2·pp = 8/) });
    expect(entry('dualpipev').checkMicroBatches(4, 2, 8)).toBeUndefined();
  });

  it('place chunks: Megatron v·pp + s, DualPipeV s and 2·pp − 1 − s, DualPipe s and pp − 1 − s held twice', () => {
    expect(entry('interleaved').chunkOf(1, 1, 4, 2)).toBe(5);
    expect(entry('zb-h1').modelChunks(4, 1)).toBe(4);
    expect([entry('dualpipev').chunkOf(1, 0, 4, 2), entry('dualpipev').chunkOf(1, 1, 4, 2), entry('dualpipev').modelChunks(4, 2)]).toEqual([1, 6, 8]);
    expect([entry('dualpipe').chunkOf(1, 0, 4, 2), entry('dualpipe').chunkOf(1, 1, 4, 2), entry('dualpipe').modelChunks(4, 2)]).toEqual([1, 2, 4]);
    expect(entry('dualpipe').parameterCopies).toBe(2);
    expect(entry('dualpipev').parameterCopies).toBe(1);
    // DualPipe's direction-1 micro-batches enter at the last rank, and their direction says so.
    const last = entry('dualpipe').units(3, 4, 2, 8);
    expect(last[0]).toEqual({ pass: 'forward', microBatch: 4, virtualStage: 1, direction: 1 });
    expect(last.filter((u) => u.overlapWithNext).every((u) => u.pass === 'forward')).toBe(true);
  });
});
