// Expert tensor parallelism (parallelism.expertTp, issue 17): with expertTp = 1 each TP rank holds whole experts of
// its own (Megatron's ETP 1, MindSpeed's TP-extend-EP), so the all-to-all spans the EP group's TP ranks and the
// all-gather and reduce-scatter of the received tokens around the experts disappear; the experts' FLOPs do not change.
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
    expect(() => build({ ...base, expertTp: 2 })).toThrow(/parallelism.expertTp: must be 1 .* or tp = 4/);
    expect(() => build({ ...base, sequenceParallel: false, expertTp: 1 })).toThrow(/parallelism.expertTp: .*sequenceParallel: true/);
  });
});
