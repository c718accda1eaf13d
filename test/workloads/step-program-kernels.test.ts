// The kernels the step program runs: a layer's forward kernels in order between its collectives (norm, QKV, RoPE,
// flash attention, O, residual add, post-attention norm, router, permute, dispatch, experts, combine, unpermute,
// residual add), every weight GEMM's backward as dgrad then wgrad, recomputed kernels in their own category with
// pass 'recompute', MLA's projections and norms, cross-entropy's TP reductions, and durations equal to the kernel
// functions' for the shapes one TP rank sees.
import { describe, expect, it } from 'vitest';
import { normForwardCost, ropeCost } from '../../src/kernels/index.ts';
import type { KernelSequenceTask, StepProgram, Task } from '../../src/workloads/index.ts';
import { buildStepProgram } from '../../src/workloads/index.ts';
import { stepSetup, uniformRouting } from './step-model-helpers.ts';
import type { StepSetup } from './step-model-helpers.ts';

const programOf = (s: StepSetup): StepProgram => buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: uniformRouting(s) });

/** Device d's tasks as names: each kernel as "<name> <scope>", a collective as "[<name>]". */
function timeline(p: StepProgram, d: number): string[] {
  return (p.tasks[d] ?? []).flatMap((t: Task) => {
    if (t.kind === 'kernels') return t.kernels.map((k) => `${k.name} ${t.scope ?? ''}`.trim());
    if (t.kind === 'collective') return [`[${p.collectives[t.collective]?.name ?? ''}]`];
    return [];
  });
}

/** Every kernel of device d with its duration, scope and pass. */
function kernelsOf(p: StepProgram, d: number): { name: string; scope: string; category: string; pass: string; ns: number }[] {
  return (p.tasks[d] ?? []).filter((t): t is KernelSequenceTask => t.kind === 'kernels')
    .flatMap((t) => t.kernels.map((k, i) => ({ name: k.name, scope: t.scope ?? '', category: k.category, pass: k.pass, ns: t.durationsNs[i] as number })));
}

describe('the step program’s kernels', () => {
  it('runs a layer’s kernels in order between its TP collectives and all-to-alls (TP 2 with sequence parallelism)', () => {
    const s = stepSetup({ tp: 2, pp: 1, dp: 8, ep: 8, microBatchSize: 1, globalBatch: 8, sequenceParallel: true });
    const forward = timeline(programOf(s), 0).filter((n) => n.includes('L1 mb0') && !n.includes('bwd') && !n.includes('grad'));
    expect(forward.map((n) => n.replace(/ L1 mb0.*$/, '').replace(/^\[(.*)\]$/, '[$1]'))).toEqual([
      'input norm', '[tp attention in', 'qkv projection', 'rope', 'flash attention', 'o projection', '[tp attention out', 'attention residual add', 'post-attention norm',
      'router gate', 'router softmax/top-k', 'permute', '[dispatch', '[experts in all-gather', 'expert fc1', 'expert activation', 'expert fc2', '[experts out reduce-scatter',
      '[combine', 'unpermute', 'ffn residual add',
    ]);
    // Norms and residual adds run on 1/tp of the tokens with sequence parallelism: the norm's duration is the kernel's.
    const norm = kernelsOf(programOf(s), 0).find((k) => k.name === 'input norm');
    expect(norm?.ns).toBe(normForwardCost(s.chip, (1 * s.model.seqLength) / 2, s.model.hidden).timeNs);
    expect(norm?.category).toBe('norm');
  });

  it('runs every weight GEMM’s backward as dgrad then wgrad, and other kernels’ own backward, in reverse', () => {
    const s = stepSetup({ tp: 1, pp: 1, dp: 16, ep: 16, microBatchSize: 1, globalBatch: 16 });
    const backward = kernelsOf(programOf(s), 0).filter((k) => k.scope === 'L2 mb0' && k.pass !== 'forward');
    expect(backward.map((k) => `${k.name}/${k.pass}`)).toEqual([
      'unpermute bwd/backward', 'expert fc2 dgrad/backward', 'expert fc2 wgrad/wgrad', 'expert activation bwd/backward', 'expert fc1 dgrad/backward', 'expert fc1 wgrad/wgrad',
      'permute bwd/backward', 'router softmax/top-k bwd/backward', 'router gate dgrad/backward', 'router gate wgrad/wgrad', 'post-attention norm bwd/backward',
      'residual add bwd/backward', 'o projection dgrad/backward', 'o projection wgrad/wgrad', 'flash attention bwd/backward', 'rope bwd/backward',
      'qkv projection dgrad/backward', 'qkv projection wgrad/wgrad', 'input norm bwd/backward', 'residual add bwd/backward',
    ]);
  });

  it('recomputes the forward’s kernels in their own categories with pass recompute', () => {
    const s = stepSetup({ tp: 1, pp: 2, dp: 8, ep: 8, microBatchSize: 1, globalBatch: 16, recompute: 'full' });
    const recomputed = kernelsOf(programOf(s), 0).filter((k) => k.pass === 'recompute' && k.scope === 'L0 mb0');
    expect(recomputed.map((k) => k.name)).toContain('flash attention recompute');
    expect(recomputed.map((k) => k.name)).toContain('expert activation recompute');
    expect(new Set(recomputed.map((k) => k.category))).toEqual(new Set(['norm', 'attention-proj', 'rope', 'flash-attention', 'residual-add', 'router', 'permute', 'expert', 'activation']));
  });

  it('runs MLA’s down projections, low-rank norms and up projections, and RoPE on the rope part of its heads only', () => {
    const mla = { kind: 'mla' as const, qLoraRank: 256, kvLoraRank: 128, qkNopeHeadDim: 64, qkRopeHeadDim: 32, vHeadDim: 64 };
    const s = stepSetup({ tp: 2, pp: 1, dp: 8, ep: 8, microBatchSize: 1, globalBatch: 8 }, 2, 512, { attention: mla });
    const layer = kernelsOf(programOf(s), 0).filter((k) => k.scope === 'L0 mb0' && k.pass === 'forward');
    expect(layer.map((k) => k.name).slice(1, 9)).toEqual([
      'q down projection', 'q norm', 'q up projection', 'kv down projection', 'kv norm', 'kv up projection', 'rope', 'flash attention',
    ]);
    // 16 heads over tp 2: 8 query heads' rope parts plus the one shared k_pe, 32 dimensions each.
    expect(layer.find((k) => k.name === 'rope')?.ns).toBe(ropeCost(s.chip, 512, 8 + 1, 32, 512).timeNs);
  });

  it('reduces cross-entropy’s per-token max, sum of exps and target logit over TP (three small allreduces), only with tp > 1', () => {
    for (const tp of [1, 2]) {
      const s = stepSetup({ tp, pp: 1, dp: 16 / tp, ep: 16 / tp, microBatchSize: 1, globalBatch: 16 });
      const p = programOf(s);
      const reductions = p.collectives.filter((c) => c.name.startsWith('tp cross-entropy') && c.group.includes(0) && c.name.includes(' mb0 '));
      expect(reductions.map((c) => [c.name.replace(/ mb0.*$/, ''), c.op, c.bytes])).toEqual(tp === 1 ? [] : [
        ['tp cross-entropy max', 'allreduce', 4 * 512], ['tp cross-entropy sum-exp', 'allreduce', 4 * 512], ['tp cross-entropy target logit', 'allreduce', 4 * 512],
      ]);
      expect(timeline(p, 0).filter((n) => /^cross-entropy (max|exp-sum|loss) mb0$/.test(n))).toHaveLength(3);
    }
  });
});
