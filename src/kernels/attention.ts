// Flash-style attention core cost (scores and weighted values, never materialising the score matrix), forward
// and backward, with separate query/key and value head sizes for multi-head latent attention (MLA). Each pass runs
// at the chip's flash-attention efficiency for its sequence length and head size when the kernel profile has one,
// else at the GEMM efficiency.
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
  /** Per-head size of queries and keys (default headDim); MLA (DeepSeek-V2/V3): 192 = 128 nope + 64 rope. */
  qkHeadDim?: number;
  /** Per-head size of values and the output (default headDim); MLA: 128. */
  vHeadDim?: number;
}

/**
 * Backward FLOPs over forward FLOPs when qk = v head sizes: the forward does two matmuls per score block (S = QKᵀ,
 * O = PV); the backward recomputes S (no stored P) and does dV = PᵀdO, dP = dO Vᵀ, dQ = dS K, dK = dSᵀ Q: five, so
 * 5/2 = 2.5 (FlashAttention-2, Dao 2023, section 3.2). With qk ≠ v the exact count is used (see below).
 */
export const FLASH_BACKWARD_FLOP_FACTOR = 2.5;

interface AttentionSizes {
  qk: number;
  v: number;
  /** Score-matrix entries (per head, summed over sequences), halved when causal. */
  scores: number;
}

function sizes(a: AttentionShape): AttentionSizes {
  const full = a.sequences * a.seqLength * a.seqLength;
  return { qk: a.qkHeadDim ?? a.headDim, v: a.vHeadDim ?? a.headDim, scores: a.causal ? full / 2 : full };
}

/**
 * Roofline time of one attention pass: FLOPs at `chip.attentionEfficiency(pass, seqLength, qk head size, causal)` (an
 * absolute fraction of peak, capped at 1) when the chip has it, else at gemmEfficiency; bytes at the streaming
 * rate. One launch.
 */
function attentionNs(chip: KernelChip, pass: 'forward' | 'backward', a: AttentionShape, s: AttentionSizes, flops: number, bytes: number): number {
  const efficiency = chip.attentionEfficiency?.(pass, a.seqLength, s.qk, a.causal);
  if (efficiency === undefined) return rooflineNs(chip, flops, bytes, 1);
  if (!(efficiency > 0)) throw new Error(`attentionEfficiency(${pass}, ${a.seqLength}, ${s.qk}, ${a.causal}) must be positive, got ${efficiency}`);
  const computeS = flops / (chip.peakFlops * Math.min(1, efficiency));
  const memoryS = bytes / (chip.hbmBandwidth * chip.memoryEfficiency);
  return Math.ceil(Math.max(computeS, memoryS) * 1e9) + chip.launchOverheadNs;
}

/** Elements of Q, K, V and O (each read or written once). */
function tensorElements(a: AttentionShape, s: AttentionSizes): { q: number; k: number; v: number; o: number } {
  const tokens = a.sequences * a.seqLength;
  return { q: tokens * a.heads * s.qk, k: tokens * a.kvHeads * s.qk, v: tokens * a.kvHeads * s.v, o: tokens * a.heads * s.v };
}

/**
 * Forward: 2·(qk + v)·heads FLOPs per score entry (QKᵀ then PV), i.e. 4·s²·h per sequence when qk = v = headDim
 * (h = heads·headDim), halved when causal; bytes read Q, K, V once and write O. One launch.
 */
export function flashAttentionCost(chip: KernelChip, a: AttentionShape, bytesPerElement = 2): KernelCost {
  const s = sizes(a);
  const flops = 2 * s.scores * a.heads * (s.qk + s.v);
  const t = tensorElements(a, s);
  const bytes = bytesPerElement * (t.q + t.k + t.v + t.o);
  return { flops, bytes, timeNs: attentionNs(chip, 'forward', a, s, flops, bytes) };
}

/**
 * Backward: recompute S = QKᵀ (qk), dV = PᵀdO (v), dP = dO Vᵀ (v), dQ = dS K (qk), dK = dSᵀ Q (qk): 2·(3·qk + 2·v)
 * FLOPs per score entry and head, FLASH_BACKWARD_FLOP_FACTOR × the forward when qk = v. Bytes: read Q, K, V, O
 * and dO, write dQ, dK and dV (the row statistics are negligible). One launch (a fused backward op, as Ascend's
 * FlashAttentionScoreGrad; FlashAttention-2 on GPUs adds two small pre/post kernels, not charged).
 */
export function flashAttentionBackwardCost(chip: KernelChip, a: AttentionShape, bytesPerElement = 2): KernelCost {
  const s = sizes(a);
  const flops = 2 * s.scores * a.heads * (3 * s.qk + 2 * s.v);
  const t = tensorElements(a, s);
  const bytes = bytesPerElement * (2 * (t.q + t.k + t.v) + 2 * t.o);
  return { flops, bytes, timeNs: attentionNs(chip, 'backward', a, s, flops, bytes) };
}
