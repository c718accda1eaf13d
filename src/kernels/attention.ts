// Flash-style attention core cost (scores and weighted values, never materialising the score matrix).
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { rooflineNs } from './kernel-chip.ts';

export interface AttentionShape {
  /** Sequences in the micro-batch. */
  sequences: number;
  seqLength: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  causal: boolean;
}

/** Forward FLOPs 4·s²·h per sequence (QKᵀ and AV), halved when causal; bytes read Q, K, V once and write O. */
export function flashAttentionCost(chip: KernelChip, a: AttentionShape, bytesPerElement = 2): KernelCost {
  const hidden = a.heads * a.headDim;
  const kvHidden = a.kvHeads * a.headDim;
  const fullFlops = 4 * a.sequences * a.seqLength * a.seqLength * hidden;
  const flops = a.causal ? fullFlops / 2 : fullFlops;
  const bytes = bytesPerElement * a.sequences * a.seqLength * (2 * hidden + 2 * kvHidden);
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, 1) };
}
