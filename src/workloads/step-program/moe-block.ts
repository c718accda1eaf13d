// One MoE block of the step program on a pipeline stage, forward and backward: the router (gate GEMM, softmax/top-k)
// and shared experts on every device, the permute into expert order, the dispatch all-to-all-v carrying the routing's
// DP-rank × DP-rank matrix among each EP group, the local experts' grouped GEMMs and activation timed from the tokens
// they really received (one kernel sequence per DP rank), combine (the transpose), and the unpermute's weighted sum.
// With sequence parallelism the block works on 1/tp of the tokens and the received tokens are all-gathered over TP
// before the experts and reduce-scattered after; without it, every TP rank routes all tokens and the experts'
// partial outputs are allreduced over TP at the end. MEO runs the router and the merged expert, with no all-to-all.
import type { ModelSpec } from '../model-spec.ts';
import type { Layout } from '../parallelism.ts';
import type { LayerRouting } from '../routing-summary.ts';
import type { ExpertTimes, LayerKernels } from '../step-costs.ts';
import { BYTES_PER_ELEMENT } from '../step-costs.ts';
import type { BlockKernels, KernelTemplate } from '../step-kernels.ts';
import type { StageBuilder } from './stage-builder.ts';
import type { KernelLabel } from './types.ts';

function labelled(templates: readonly KernelTemplate[], recompute: boolean): KernelLabel[] {
  return templates.map((t) => ({ name: recompute ? `${t.name} recompute` : t.name, category: t.category, pass: recompute ? 'recompute' : t.pass }));
}

export class MoeBlockBuilder {
  /** Each DP rank's expert kernel times per (micro-batch, layer), shared by the forward, a recompute and the backward. */
  private readonly expertTimes = new Map<number, ExpertTimes[]>();
  private readonly sp: boolean;
  /** The experts' kernels' labels: forward, recomputed forward, backward (one array each, for every rank and layer). */
  private readonly expertLabels: { forward: KernelLabel[]; recompute: KernelLabel[]; backward: KernelLabel[] };
  private readonly permute: BlockKernels;
  private readonly unpermute: BlockKernels;
  private readonly merged: BlockKernels;
  /** Bytes per token the all-to-alls carry on one TP rank (1/tp of the hidden state's with sequence parallelism). */
  private readonly tokenBytes: number;
  /** The same for the forward dispatch and the backward combine, which carry FP8 with FP8 dispatch (DeepSeek-V3). */
  private readonly dispatchBytes: number;

  constructor(
    private readonly stage: StageBuilder,
    private readonly costs: LayerKernels,
    private readonly model: ModelSpec,
    private readonly layout: Layout,
    private readonly routingOf: (mb: number, l: number) => LayerRouting,
    /** Kept (token, expert) assignments per routing group, the step's mean over MoE layers and micro-batches. */
    keptPerGroup: number,
    private readonly mergedExperts?: { k: number },
    dispatchBytesPerElement = BYTES_PER_ELEMENT,
  ) {
    this.sp = layout.sequenceParallel && layout.tp > 1;
    // One TP rank permutes 1/tp of its group's assignments with sequence parallelism. The same kernels (and so the
    // same shared kernel sequences) serve every layer and micro-batch.
    const assignments = keptPerGroup / (this.sp ? layout.tp : 1);
    this.permute = costs.permute(assignments);
    this.unpermute = costs.unpermute(assignments);
    this.merged = costs.mergedExperts(mergedExperts?.k ?? 1);
    this.tokenBytes = (model.hidden * BYTES_PER_ELEMENT) / (this.sp ? layout.tp : 1);
    this.dispatchBytes = (model.hidden * dispatchBytesPerElement) / (this.sp ? layout.tp : 1);
    this.expertLabels = {
      forward: labelled(costs.expertKernels.forward, false), recompute: labelled(costs.expertKernels.forward, true), backward: labelled(costs.expertKernels.backward, false),
    };
  }

  forward(l: number, mb: number, recompute: boolean): void {
    const { stage, costs } = this;
    const scope = `L${l} mb${mb}`;
    const tag = recompute ? ' recompute' : '';
    stage.kernels(costs.router.forward, scope, recompute);
    if (this.mergedExperts) {
      stage.kernels(this.merged.forward, scope, recompute);
      if (!this.sp) stage.tpCollective(`tp moe out${tag} ${scope}`, 'allreduce');
      return;
    }
    const r = this.routingOf(mb, l);
    stage.kernels(costs.sharedExperts.forward, scope, recompute);
    stage.kernels(this.permute.forward, scope, recompute);
    stage.allToAll(`dispatch${tag} ${scope}`, 'ep-dispatch', r, false, this.dispatchBytes);
    if (this.sp) stage.joinGroups(`experts in all-gather${tag} ${scope}`, 'tp', 'allgather', stage.groups.tp((d) => this.receivedBytes(r, d)));
    const times = this.timesOf(mb, l, r);
    stage.perRank(recompute ? this.expertLabels.recompute : this.expertLabels.forward, (d) => (times[d] as ExpertTimes).forwardNs, (d) => (times[d] as ExpertTimes).forwardFlops, scope);
    if (this.sp) stage.joinGroups(`experts out reduce-scatter${tag} ${scope}`, 'tp', 'reducescatter', stage.groups.tp((d) => this.receivedBytes(r, d)));
    stage.allToAll(`combine${tag} ${scope}`, 'ep-combine', r, true, this.tokenBytes);
    stage.kernels(this.unpermute.forward, scope, recompute);
    if (!this.sp) stage.tpCollective(`tp moe out${tag} ${scope}`, 'allreduce');
  }

  backward(l: number, mb: number): void {
    const { stage, costs } = this;
    const scope = `L${l} mb${mb}`;
    if (this.mergedExperts) stage.kernels(this.merged.backward, scope);
    else {
      const r = this.routingOf(mb, l);
      stage.kernels(this.unpermute.backward, scope);
      stage.allToAll(`combine bwd ${scope}`, 'ep-combine', r, false, this.dispatchBytes);
      if (this.sp) stage.joinGroups(`experts out all-gather bwd ${scope}`, 'tp', 'allgather', stage.groups.tp((d) => this.receivedBytes(r, d)));
      const times = this.timesOf(mb, l, r);
      this.expertTimes.delete(mb * this.model.layers + l); // the backward is their last use
      stage.perRank(this.expertLabels.backward, (d) => (times[d] as ExpertTimes).backwardNs, (d) => 2 * (times[d] as ExpertTimes).forwardFlops, scope);
      if (this.sp) stage.joinGroups(`experts in reduce-scatter bwd ${scope}`, 'tp', 'reducescatter', stage.groups.tp((d) => this.receivedBytes(r, d)));
      stage.allToAll(`dispatch bwd ${scope}`, 'ep-dispatch', r, true, this.tokenBytes);
      stage.kernels(this.permute.backward, scope);
      stage.kernels(costs.sharedExperts.backward, scope);
    }
    stage.kernels(costs.router.backward, scope);
    if (!this.sp) stage.tpCollective(`tp moe in bwd ${scope}`, 'allreduce');
  }

  /** Bytes of the tokens DP rank d's local experts received (what the TP all-gather and reduce-scatter around them move). */
  private receivedBytes(r: LayerRouting, dpRank: number): number {
    const perDevice = this.layout.expertsPerDevice;
    let sum = 0;
    for (let i = dpRank * perDevice; i < (dpRank + 1) * perDevice; i++) sum += r.tokensPerRankExpert[i]!;
    return sum * this.model.hidden * BYTES_PER_ELEMENT;
  }

  private timesOf(mb: number, l: number, r: LayerRouting): ExpertTimes[] {
    const key = mb * this.model.layers + l;
    let known = this.expertTimes.get(key);
    if (known === undefined) {
      const counts = new Float64Array(this.layout.expertsPerDevice); // each rank's counts, copied (expertTimes keeps nothing)
      known = Array.from({ length: this.layout.dp }, (_, d) => {
        for (let e = 0; e < counts.length; e++) counts[e] = r.tokensPerRankExpert[d * counts.length + e]!;
        return this.costs.expertTimes(counts);
      });
      this.expertTimes.set(key, known);
    }
    return known;
  }
}
