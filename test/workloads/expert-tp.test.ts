// Expert tensor parallelism (parallelism.expertTp, issue 17): with expertTp = 1 each TP rank holds whole experts of
// its own (Megatron's ETP 1, MindSpeed's TP-extend-EP), so the all-to-all spans the EP group's TP ranks and the
// all-gather and reduce-scatter of the received tokens around the experts disappear; the experts' FLOPs do not change.
// In between (expertTp 2 of tp 4) each pair of TP ranks holds half the EP rank's experts, sharded over the pair: the
// all-gathers and reduce-scatters around the experts run inside each pair on half the tokens.
import { describe, expect, it } from 'vitest';
import { runStepProgram } from '../../src/execute/index.ts';
import type { ParallelismInput } from '../../src/workloads/index.ts';
import { buildStepProgram, estimateMemory, executedFlops } from '../../src/workloads/index.ts';
import { stepSetup, uniformRouting } from './step-model-helpers.ts';

function build(p: ParallelismInput) {
  const s = stepSetup({ microBatchSize: 1, ...p }, 2, 512);
  return { s, program: buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: uniformRouting(s) }) };
}

describe('expertTp', () => {
  const base = { tp: 4, pp: 1, dp: 4, ep: 4, globalBatch: 8, sequenceParallel: true };

  it('expertTp 1 removes the experts\' TP all-gathers and reduce-scatters and keeps every other TP collective', () => {
    const sharded = build(base).program;
    const whole = build({ ...base, expertTp: 1 }).program;
    const tpNames = (p: typeof sharded): string[] => p.collectives.filter((c) => c.category === 'tp').map((c) => c.name.replace(/ \[\d+…\]$/, ''));
    const expertsTp = tpNames(sharded).filter((n) => n.startsWith('experts '));
    expect(expertsTp.length).toBeGreaterThan(0);
    expect(tpNames(whole).filter((n) => n.startsWith('experts '))).toEqual([]);
    expect(tpNames(whole)).toEqual(tpNames(sharded).filter((n) => !n.startsWith('experts ')));
    // The all-to-alls: one per EP group over its 4 DP ranks × 4 TP ranks instead of one per (TP rank, EP group).
    const a2a = whole.collectives.filter((c) => c.category === 'ep-dispatch');
    expect(a2a.every((c) => c.group.length === 16)).toBe(true);
    expect(a2a.length * 4).toBe(sharded.collectives.filter((c) => c.category === 'ep-dispatch').length);
    // Whole experts on a quarter of the tokens each do the same FLOPs as quarter experts on all of them.
    expect(executedFlops(whole) / executedFlops(sharded)).toBeCloseTo(1, 9);
    // Each TP rank keeps only its slice's received tokens (at the full expert width): fewer activation bytes.
    const activations = (p: ParallelismInput): number => {
      const { s } = build(p);
      return Math.max(...estimateMemory(s.model, s.layout, uniformRouting(s)).map((m) => m.activations));
    };
    expect(activations({ ...base, expertTp: 1 })).toBeLessThan(activations(base));
    // Pairs keep half the tokens at half the width: in between.
    expect(activations({ ...base, expertTp: 2 })).toBeLessThan(activations(base));
    expect(activations({ ...base, expertTp: 2 })).toBeGreaterThan(activations({ ...base, expertTp: 1 }));
  });

  it('moves fewer TP bytes and runs the step without stalls; bad values are refused naming the field', () => {
    const [sharded, whole] = [base, { ...base, expertTp: 1 }].map((p) => {
      const { s, program } = build(p);
      return runStepProgram(program, s.cluster, { network: 'analytical', recordSpans: false });
    });
    const tp = (r: typeof sharded): number => r!.commBytesByCategory.tp?.total ?? 0;
    console.log(`TP bytes ${tp(sharded) / 2 ** 20} → ${tp(whole) / 2 ** 20} MiB; step ${sharded!.stepTimeNs / 1e6} → ${whole!.stepTimeNs / 1e6} ms`);
    expect(tp(whole)).toBeLessThan(tp(sharded));
    // The all-to-all carries the same tokens between servers; inside a server it now also crosses TP ranks.
    const ep = (r: typeof sharded) => r!.commBytesByCategory['ep-dispatch']!;
    expect(ep(whole).interServer).toBe(ep(sharded).interServer);
    expect(ep(whole).intraServer).toBeGreaterThan(ep(sharded).intraServer);
    expect(whole!.stepTimeNs).toBeLessThan(sharded!.stepTimeNs);
    expect(() => build({ ...base, expertTp: 8 })).toThrow(/parallelism.expertTp: must divide tp = 4/);
    expect(() => build({ ...base, sequenceParallel: false, expertTp: 1 })).toThrow(/parallelism.expertTp: .*sequenceParallel: true/);
  });

  it('expertTp 2 of tp 4: the experts\' TP collectives move (k − 1)/(tp − 1) = 1/3 of the sharded bytes, over pairs of ranks, with the same FLOPs', () => {
    const sharded = build(base);
    const pairs = build({ ...base, expertTp: 2 });
    const expertTpBytes = (p: typeof sharded): number => {
      const r = runStepProgram(p.program, p.s.cluster, { network: 'analytical', recordSpans: false });
      return r.commBytesByCategory.tp!.total;
    };
    const experts = (p: typeof sharded) => p.program.collectives.filter((c) => c.category === 'tp' && c.name.startsWith('experts '));
    expect(experts(pairs).every((c) => c.group.length === 2)).toBe(true);
    expect(experts(pairs).length).toBe(2 * experts(sharded).length); // two pairs per TP group
    // Uniform routing: each pair all-gathers half of its DP rank's received tokens, so (2 − 1)·R/2 per slice, R per
    // DP rank, against (4 − 1)·R for the whole TP group; the rest of the TP traffic is the same.
    const other = expertTpBytes(build({ ...base, expertTp: 1 }));
    const third = (expertTpBytes(pairs) - other) / (expertTpBytes(sharded) - other);
    console.log(`experts' TP bytes with expertTp 2 over expertTp 4: ${third.toFixed(6)} (hand count 1/3)`);
    expect(third).toBeCloseTo(1 / 3, 9);
    expect(executedFlops(pairs.program) / executedFlops(sharded.program)).toBeCloseTo(1, 9);
    const a2a = pairs.program.collectives.filter((c) => c.category === 'ep-dispatch');
    expect(a2a.every((c) => c.group.length === 16)).toBe(true);
    const run = runStepProgram(pairs.program, pairs.s.cluster, { network: 'analytical', recordSpans: false });
    const whole = runStepProgram(build({ ...base, expertTp: 1 }).program, pairs.s.cluster, { network: 'analytical', recordSpans: false });
    expect(run.commBytesByCategory['ep-dispatch']!.interServer).toBe(whole.commBytesByCategory['ep-dispatch']!.interServer);
  });
});
