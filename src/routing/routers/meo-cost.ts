// FLOP model of one MoE FFN layer per sequence: vanilla top-k MoE against MEO (arXiv 2310.09832), which first merges
// the sequence's k experts (Ŵ = Σ G_i W_i, b̂ = Σ G_i b_i) and then runs one dense FFN. Pure functions, so the kernel
// and step models can charge them. FLOPs count a multiply-add as 2.
//
//   vanilla = k · matrices · 2·L·d·f                                   (+ gate 2·L·d·n when `experts` is given)
//   MEO     = mergeFlopsPerElement · k · E  +  matrices · 2·L·d·f       (+ gate L·d pooling + 2·d·n)
//   E       = matrices·d·f weight elements (+ (matrices−1)·f + d bias elements when `bias`)
//
// The merge is memory bound: it reads k expert weight sets and writes one (meoMergeBytes). Bias adds inside the FFN
// and the activation are not counted (O(L·f), under 0.1% of the GEMMs). mergeFlopsPerElement defaults to 2 (a
// multiply and an add per element per expert); counting a fused multiply-add as 1 FLOP is the other convention.
//
// Validation (test/routing/meo.test.ts): BERT-base (d = 768, f = 3072, 12 layers, every FFN an MoE layer), sequence
// length 128, plus the non-expert rest of the model (attention 8·L·d² + 4·L²·d per layer, and a masked-LM head
// 2·L·d² + 2·L·d·V with V = 30522) reproduces the paper's figures: vanilla k = 4 gives 72.0G (paper 72.0G), k = 1
// gives 28.5G (≈28.4G), k = 32 gives 477.9G (≈476G); MEO k = 4 gives 28.9G (paper 28.6G) and k = 32 gives 32.1G
// against "about 28–30G" (30.3G with a 1-FLOP merge). The head is an assumption that the fit needs: without it the
// non-expert part is 7.9G, not the ≈14.0G the paper's k-slope implies.

export interface ExpertFfnShape {
  /** Experts per token (vanilla) or merged per sequence (MEO). */
  k: number;
  /** d: the model's hidden size. */
  hidden: number;
  /** f: the expert FFN's inner size. */
  ffnHidden: number;
  /** L: tokens per sequence. */
  seqLength: number;
  /** Weight matrices per expert: 2 (up, down; default) or 3 (gated: gate, up, down). */
  matrices?: number;
  /** Biases merged along with the weights (default true). */
  bias?: boolean;
  /** Experts n, to count the gate; absent or 0 leaves the gate out. */
  experts?: number;
  /** FLOPs per weight element per merged expert (default 2: multiply and add). */
  mergeFlopsPerElement?: number;
}

/** Elements of one expert's parameters that the merge combines. */
export function expertParameterElements(s: Pick<ExpertFfnShape, 'hidden' | 'ffnHidden' | 'matrices' | 'bias'>): number {
  const m = s.matrices ?? 2;
  const weights = m * s.hidden * s.ffnHidden;
  return (s.bias ?? true) ? weights + (m - 1) * s.ffnHidden + s.hidden : weights;
}

/** One expert's FFN on L tokens: matrices · 2·L·d·f. */
export function expertFfnFlopsPerSequence(s: ExpertFfnShape): number {
  return (s.matrices ?? 2) * 2 * s.seqLength * s.hidden * s.ffnHidden;
}

/** Vanilla top-k MoE FFN layer, per sequence. */
export function vanillaMoeFlopsPerSequence(s: ExpertFfnShape): number {
  const gate = 2 * s.seqLength * s.hidden * (s.experts ?? 0);
  return s.k * expertFfnFlopsPerSequence(s) + gate;
}

/** FLOPs of merging k experts into one (per sequence). */
export function meoMergeFlops(s: ExpertFfnShape): number {
  return (s.mergeFlopsPerElement ?? 2) * s.k * expertParameterElements(s);
}

/** Bytes the merge moves: k expert parameter sets read, one merged set written. */
export function meoMergeBytes(s: ExpertFfnShape, bytesPerElement: number): number {
  return (s.k + 1) * expertParameterElements(s) * bytesPerElement;
}

/** MEO FFN layer, per sequence: the merge, then one expert's FFN (plus the pooled gate when `experts` is given). */
export function meoFlopsPerSequence(s: ExpertFfnShape): number {
  const n = s.experts ?? 0;
  const gate = n > 0 ? s.seqLength * s.hidden + 2 * s.hidden * n : 0;
  return meoMergeFlops(s) + expertFfnFlopsPerSequence(s) + gate;
}
