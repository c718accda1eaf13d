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
import { rankExpertTokens } from '../routing-summary.ts';
import type { ExpertTimes, LayerKernels } from '../step-costs.ts';
import { BYTES_PER_ELEMENT } from '../step-costs.ts';
import type { BlockKernels, KernelTemplate } from '../step-kernels.ts';
import { isActivationKernel } from '../step-kernels.ts';
import type { StageBuilder } from './stage-builder.ts';
import type { KernelLabel, RoutedTraffic } from './types.ts';

function labelled(templates: readonly KernelTemplate[], recompute: boolean): KernelLabel[] {
  return templates.map((t) => ({ name: recompute ? `${t.name} recompute` : t.name, category: t.category, pass: recompute ? 'recompute' : t.pass }));
}

export class MoeBlockBuilder {
  /** Each DP rank's expert kernel times per (micro-batch, layer), shared by the forward, a recompute and the backward. */
  private readonly expertTimes = new Map<number, ExpertTimes[]>();
  private readonly sp: boolean;
  /** The experts' kernels' labels: forward, recomputed forward, backward (one array each, for every rank and layer). */
  private readonly expertLabels: { forward: KernelLabel[]; recompute: KernelLabel[]; backward: KernelLabel[] };
  /** The experts' activation function alone, recomputed (selective recompute). */
  private readonly activationRecompute: KernelLabel[];
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
    this.activationRecompute = this.expertLabels.recompute.filter(isActivationKernel);
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
    this.allToAll(`dispatch${tag} ${scope}`, 'ep-dispatch', r, false, this.dispatchBytes);
    this.aroundExperts(`experts in all-gather${tag} ${scope}`, 'allgather', r);
    const times = this.timesOf(mb, l, r);
    this.experts(recompute ? this.expertLabels.recompute : this.expertLabels.forward, times, (t) => t.forwardNs, (t) => t.forwardFlops, scope);
    this.aroundExperts(`experts out reduce-scatter${tag} ${scope}`, 'reducescatter', r);
    this.allToAll(`combine${tag} ${scope}`, 'ep-combine', r, true, this.tokenBytes);
    stage.kernels(this.unpermute.forward, scope, recompute);
    if (!this.sp) stage.tpCollective(`tp moe out${tag} ${scope}`, 'allreduce');
  }

  /** Selective recompute of the activation functions: the shared experts' and each rank's experts' (their times). */
  recomputeActivations(l: number, mb: number): void {
    const scope = `L${l} mb${mb}`;
    this.stage.kernels(this.costs.sharedExperts.forward.filter(isActivationKernel), scope, true);
    if (this.mergedExperts) return;
    const times = this.timesOf(mb, l, this.routingOf(mb, l));
    const activation = this.expertLabels.recompute.findIndex(isActivationKernel);
    this.experts(this.activationRecompute, times, (t) => [t.forwardNs[activation]!], () => 0, scope);
  }

  /** Selective recompute of the permute and unpermute (MoE layers with an all-to-all). */
  recomputePermute(l: number, mb: number): void {
    if (this.mergedExperts) return;
    const scope = `L${l} mb${mb}`;
    this.stage.kernels(this.permute.forward, scope, true);
    this.stage.kernels(this.unpermute.forward, scope, true);
  }

  backward(l: number, mb: number): void {
    const { stage, costs } = this;
    const scope = `L${l} mb${mb}`;
    if (this.mergedExperts) stage.kernels(this.merged.backward, scope);
    else {
      const r = this.routingOf(mb, l);
      stage.kernels(this.unpermute.backward, scope);
      this.allToAll(`combine bwd ${scope}`, 'ep-combine', r, false, this.dispatchBytes);
      this.aroundExperts(`experts out all-gather bwd ${scope}`, 'allgather', r);
      const times = this.timesOf(mb, l, r);
      this.expertTimes.delete(mb * this.model.layers + l); // the backward is their last use
      this.experts(this.expertLabels.backward, times, (t) => t.backwardNs, (t) => 2 * t.forwardFlops, scope);
      this.aroundExperts(`experts in reduce-scatter bwd ${scope}`, 'reducescatter', r);
      this.allToAll(`dispatch bwd ${scope}`, 'ep-dispatch', r, true, this.tokenBytes);
      stage.kernels(this.permute.backward, scope);
      stage.kernels(costs.sharedExperts.backward, scope);
    }
    stage.kernels(costs.router.backward, scope);
    if (!this.sp) stage.tpCollective(`tp moe in bwd ${scope}`, 'allreduce');
  }

  /**
   * A routed all-to-all of `bytesPerToken` per token per TP rank; with expertTp below tp one over each EP group's TP ranks
   * too, each receiving the tokens for its slice of its DP rank's experts (whole tokens: tp × the per-rank bytes).
   */
  private allToAll(name: string, category: 'ep-dispatch' | 'ep-combine', r: LayerRouting, transpose: boolean, bytesPerToken: number): void {
    if (this.layout.expertSlices === 1) this.routedAllToAll(name, category, r, transpose, bytesPerToken);
    else this.routedAllToAll(name, category, r, transpose, bytesPerToken * this.layout.tp, this.sliceShares(r));
  }

  /**
   * A routed all-to-all-v per (TP rank, EP group): dispatch sends the routing's matrix, combine its transpose. With
   * `share` (expertTp below tp) one per EP group over all its TP ranks instead, each receiving its share of its DP
   * rank's tokens (RoutedTraffic.slices; bytesPerToken is then a whole token's).
   */
  private routedAllToAll(name: string, category: 'ep-dispatch' | 'ep-combine', r: LayerRouting, transpose: boolean, bytesPerToken: number, share?: Float64Array): void {
    const { stage, layout } = this;
    if (stage.gradients === 'weight') return;
    stage.flush();
    if (share !== undefined) {
      for (let g = 0; g < layout.epGroups; g++) {
        const ranks = stage.groups.epGroups[0]![g]!.ranks;
        const group = ranks.flatMap((d) => stage.devices.slice(d * layout.tp, (d + 1) * layout.tp));
        if (group.length < 2) continue;
        stage.collective({ name: `${name} ep${g}`, category, group, op: 'all-to-all-v', traffic: { routing: r, ranks, transpose, bytesPerToken, slices: { tp: layout.tp, expertTp: layout.expertTp, share } } });
      }
      return;
    }
    const algorithm = layout.epAllToAll;
    for (let t = 0; t < layout.tp; t++) {
      for (let g = 0; g < layout.epGroups; g++) {
        const { ranks, group } = stage.groups.epGroups[t]![g]!;
        if (ranks.length < 2) continue;
        const traffic: RoutedTraffic = { routing: r, ranks, transpose, bytesPerToken, ...(algorithm === 'library' ? {} : { algorithm: { name: algorithm, chunks: layout.epAllToAllChunks } }) };
        stage.collective({ name: `${name} ep${g} tp${t}`, category, group, op: 'all-to-all-v', traffic });
      }
    }
  }

  /**
   * Sequence parallelism with experts sharded over expertTp ranks: the tokens each expert-TP group received are
   * all-gathered over it before the experts and reduce-scattered after (over the TP group when expertTp = tp; none at 1).
   */
  private aroundExperts(name: string, op: 'allgather' | 'reducescatter', r: LayerRouting): void {
    const { expertSlices: slices, expertTp, expertsPerDevice: per } = this.layout;
    if (!this.sp || expertTp < 2) return;
    if (slices === 1) this.stage.joinGroups(name, 'tp', op, this.stage.groups.tp((d) => this.receivedBytes(r, d)));
    else this.stage.joinGroups(name, 'tp', op, this.stage.groups.expertTp((d, u) => rankExpertTokens(r, per, d, u, slices) * this.model.hidden * BYTES_PER_ELEMENT));
  }

  /** The experts' kernels: per DP rank (its TP ranks share each expert), or per expert slice (its expertTp ranks) below tp. */
  private experts(labels: KernelLabel[], times: ExpertTimes[], ns: (t: ExpertTimes) => number[], flops: (t: ExpertTimes) => number, scope: string): void {
    const slices = this.layout.expertSlices;
    if (slices === 1) this.stage.perRank(labels, (d) => ns(times[d]!), (d) => flops(times[d]!), scope);
    else this.stage.perSlice(labels, (d, u) => ns(times[d * slices + u]!), (d, u) => flops(times[d * slices + u]!), scope);
  }

  /** Each (DP rank, expert slice)'s share of the tokens routed to its DP rank: that slice of the rank's experts (expertTp below tp). */
  private sliceShares(r: LayerRouting): Float64Array {
    const { dp, expertSlices: slices, expertsPerDevice: per } = this.layout;
    const share = new Float64Array(dp * slices);
    for (let d = 0; d < dp; d++) {
      const total = rankExpertTokens(r, per, d);
      for (let t = 0; t < slices; t++) share[d * slices + t] = total > 0 ? rankExpertTokens(r, per, d, t, slices) / total : 1 / slices;
    }
    return share;
  }

  /** Bytes of the tokens DP rank d's local experts received (what the TP all-gather and reduce-scatter around them move). */
  private receivedBytes(r: LayerRouting, dpRank: number): number {
    return rankExpertTokens(r, this.layout.expertsPerDevice, dpRank) * this.model.hidden * BYTES_PER_ELEMENT;
  }

  /** Expert kernel times per DP rank, or per (DP rank, expert slice) with expertTp below tp (each slice's expertTp ranks alike). */
  private timesOf(mb: number, l: number, r: LayerRouting): ExpertTimes[] {
    const key = mb * this.model.layers + l;
    let known = this.expertTimes.get(key);
    if (known === undefined) {
      const { dp, expertSlices: slices, expertsPerDevice: per } = this.layout;
      const counts = new Float64Array(per / slices); // each device's counts, copied (expertTimes keeps nothing)
      known = Array.from({ length: dp * slices }, (_, i) => {
        const first = Math.floor(i / slices) * per + (i % slices) * counts.length;
        for (let e = 0; e < counts.length; e++) counts[e] = r.tokensPerRankExpert[first + e]!;
        return this.costs.expertTimes(counts);
      });
      this.expertTimes.set(key, known);
    }
    return known;
  }
}
