// GEMM cost: a roofline of 2·m·n·k FLOPs against the bytes of A, B and C, at the chip's GEMM efficiency scaled by
// the shape's relative efficiency (the chip's kernel profile table, looked up at m and min(n, k)); and the grouped
// expert FFN, whose per-expert GEMMs are sized by the tokens each local expert really received.
import { relativeGemmEfficiency, relativeGemmEfficiencyColumn } from './gemm-efficiency-table.ts';
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { ZERO_COST, rooflineNs } from './kernel-chip.ts';

/** C[m,n] = A[m,k] · B[k,n] with elements of `bytesPerElement` bytes: one kernel launch. */
export function gemmCost(chip: KernelChip, m: number, n: number, k: number, bytesPerElement = 2): KernelCost {
  if (m === 0 || n === 0 || k === 0) return ZERO_COST;
  const flops = 2 * m * n * k;
  const bytes = bytesPerElement * (m * k + k * n + m * n);
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, 1, relativeGemmEfficiency(chip.gemmShapeEfficiency, m, n, k)) };
}

/**
 * A grouped expert FFN on one device: the local experts' GEMMs in one grouped kernel per weight matrix (one launch
 * per matrix, not per expert), driven by the real number of tokens each local expert received. `matrices` is 3 for
 * SwiGLU (gate and up: hidden → ffnHidden; down: ffnHidden → hidden) and 2 for GELU (up, down).
 *
 * Per matrix (n × k weights), expert e with m_e > 0 tokens runs C[m_e, n] = A[m_e, k] · W_e, charged at the
 * relative efficiency of shape (m_e, min(n · active, k)): its own m sets the tile padding, and n is widened by the
 * number of active (non-empty) experts because the grouped kernel spreads all their tiles over the cores together
 * (wave quantisation over the whole group). A hot expert costs more; an expert with 0 tokens costs nothing, not
 * even its weight read. The matrix's compute time is Σ_e flops_e / (peak · efficiency_e), against HBM bytes
 * (active experts' weights, each expert's input and output activations). A device with local experts but no tokens
 * still pays the launches (the host launches the grouped kernel without knowing the counts).
 */
export function groupedExpertFfnCost(
  chip: KernelChip,
  tokensPerLocalExpert: ArrayLike<number>,
  hidden: number,
  ffnHidden: number,
  matrices: number,
  bytesPerElement = 2,
): KernelCost {
  const experts = tokensPerLocalExpert.length;
  if (experts === 0) return ZERO_COST;
  if (!Number.isInteger(matrices) || matrices < 1) throw new Error(`groupedExpertFfnCost: matrices must be a positive integer, got ${matrices}`);
  let tokens = 0;
  let active = 0;
  for (let e = 0; e < experts; e++) {
    const m = tokensPerLocalExpert[e] as number;
    if (m > 0) {
      tokens += m;
      active++;
    }
  }
  let flops = 0;
  let bytes = 0;
  let timeNs = 0;
  let weighted = 0;
  for (let j = 0; j < matrices; j++) {
    const down = j === matrices - 1;
    const n = down ? hidden : ffnHidden;
    const k = down ? ffnHidden : hidden;
    const matrixFlops = 2 * tokens * n * k;
    // Σ_e flops_e / relative_e, so that matrixFlops / weighted is the flop-weighted harmonic mean of the experts'
    // relative efficiencies: the matrix's compute time is then exactly the sum of its experts' times. The matrices
    // before the down projection have the same shape: summed once.
    if (j === 0 || down) {
      const relativeAt = relativeGemmEfficiencyColumn(chip.gemmShapeEfficiency, n * active, k);
      weighted = 0;
      for (let e = 0; e < experts; e++) {
        const m = tokensPerLocalExpert[e] as number;
        if (m > 0) weighted += (2 * m * n * k) / relativeAt(m);
      }
    }
    const relative = weighted > 0 ? matrixFlops / weighted : 1;
    const matrixBytes = bytesPerElement * (active * n * k + tokens * (n + k));
    flops += matrixFlops;
    bytes += matrixBytes;
    timeNs += rooflineNs(chip, matrixFlops, matrixBytes, 1, relative);
  }
  return { flops, bytes, timeNs };
}
