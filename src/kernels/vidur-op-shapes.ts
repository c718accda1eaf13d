// What each of Vidur's measured ops computes, as moesim sees it: the GEMM shape (m, n, k) of the four linear
// layers and the HBM bytes and launches of the memory-bound ops, from the model shape, tokens and TP degree of a
// row of mlp.csv. The byte counts follow the kernels Vidur's profiler ran (sarathi-serve, branch vidur; details in
// data/vidur-profiling/README.md), fp16 (2 bytes an element):
//   norm         RMSNorm (LayerNorm for phi-2): reads the [T, h] input and writes the [T, h] output, plus the
//                weight (and LayerNorm's bias); not split by TP.
//   activation   SiLU-and-mul: reads [T, 2·ffn/tp], writes [T, ffn/tp]; phi-2's GELU reads and writes [T, ffn].
//   rope         in place on q and k: reads and writes [T, (heads + kvHeads)·headDim/tp], reads one cos/sin row of
//                headDim values and one int64 position per token.
//   residual-add reads two [T, h] tensors, writes one; phi-2 adds three tensors in two kernels.
//   embedding    gathers T rows of h from the (vocab/tp-row) table: reads T int64 ids and T·h values, writes T·h.
//                The TP masking around it runs outside the timed region, so the bytes do not depend on TP.
import type { MemoryOpKind } from './memory-op-kinds.ts';
import type { VidurMlpRow, VidurOp } from './vidur-profiling-data.ts';

const BYTES = 2;

/** One measured GEMM C[m, n] = A[m, k] · B[k, n]. */
export interface VidurGemm {
  model: string;
  op: VidurOp;
  tp: number;
  m: number;
  n: number;
  k: number;
  /** Measured device time (sum of the op's GPU kernel times), ns. */
  timeNs: number;
}

/** One measured memory-bound op. */
export interface VidurMemoryOp {
  model: string;
  op: VidurOp;
  kind: MemoryOpKind;
  tp: number;
  tokens: number;
  /** HBM bytes read and written (see the header). */
  bytes: number;
  /** Kernels the op launches (2 for phi-2's three-way residual add). */
  launches: number;
  timeNs: number;
}

/** The four linear layers of a row: attention QKV and output projections, MLP up (gate+up) and down. */
export function vidurGemms(row: VidurMlpRow): VidurGemm[] {
  const { heads, kvHeads, hidden, ffn, gated } = row.shape;
  const headDim = hidden / heads;
  const shapes: [VidurOp, number, number][] = [
    ['attn_pre_proj', ((heads + 2 * kvHeads) * headDim) / row.tp, hidden],
    ['attn_post_proj', hidden, (heads * headDim) / row.tp],
    ['mlp_up_proj', ((gated ? 2 : 1) * ffn) / row.tp, hidden],
    ['mlp_down_proj', hidden, ffn / row.tp],
  ];
  const out: VidurGemm[] = [];
  for (const [op, n, k] of shapes) {
    const timeNs = row.opNs[op];
    if (timeNs !== undefined) out.push({ model: row.model, op, tp: row.tp, m: row.tokens, n, k, timeNs });
  }
  return out;
}

/** The memory-bound ops of a row with their moesim kind, bytes and launches. */
export function vidurMemoryOps(row: VidurMlpRow): VidurMemoryOp[] {
  const { heads, kvHeads, hidden, ffn, gated } = row.shape;
  const T = row.tokens;
  const headDim = hidden / heads;
  // phi-2 (the one non-gated model) uses LayerNorm (weight and bias) and adds attention, MLP and residual at once.
  const normBytes = BYTES * (2 * T * hidden + (gated ? 1 : 2) * hidden);
  const ops: [VidurOp, MemoryOpKind, number, number][] = [
    ['input_layernorm', 'norm', normBytes, 1],
    ['post_attention_layernorm', 'norm', normBytes, 1],
    ['mlp_act', 'activation', gated ? BYTES * 3 * T * (ffn / row.tp) : BYTES * 2 * T * (ffn / row.tp), 1],
    ['attn_rope', 'rope', BYTES * 2 * T * ((heads + kvHeads) * headDim) / row.tp + BYTES * T * headDim + 8 * T, 1],
    ['add', 'residual-add', BYTES * 3 * T * hidden * (gated ? 1 : 2), gated ? 1 : 2],
    ['emb', 'embedding', BYTES * 2 * T * hidden + 8 * T, 1],
  ];
  const out: VidurMemoryOp[] = [];
  for (const [op, kind, bytes, launches] of ops) {
    const timeNs = row.opNs[op];
    if (timeNs !== undefined) out.push({ model: row.model, op, kind, tp: row.tp, tokens: T, bytes, launches, timeNs });
  }
  return out;
}
