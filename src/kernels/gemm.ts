// GEMM cost: a roofline of 2·m·n·k FLOPs against the bytes of A, B and C, at the chip's GEMM efficiency scaled by
// the shape's relative efficiency (the chip's kernel profile table, looked up at m and min(n, k)); the backward
// GEMMs of a forward C = A·W at their own shapes (input gradient dA = dC·Wᵀ, weight gradient dW = Aᵀ·dC); and the
// grouped expert GEMMs, whose per-expert GEMMs are sized by the tokens each local expert really received.
import { efficiencyColumn, efficiencyInner, relativeGemmEfficiency, relativeGemmEfficiencyColumn } from './gemm-efficiency-table.ts';
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
 * Input gradient (dgrad) of the forward C[m,n] = A[m,k] · W[k,n]: dA[m,k] = dC[m,n] · Wᵀ, a GEMM of m rows, k
 * outputs and inner size n: gemmCost(m, k, n). Bytes: dC and W read, dA written.
 */
export function gemmInputGradientCost(chip: KernelChip, m: number, n: number, k: number, bytesPerElement = 2): KernelCost {
  return gemmCost(chip, m, k, n, bytesPerElement);
}

/**
 * Weight gradient (wgrad) of the forward C[m,n] = A[m,k] · W[k,n]: dW[k,n] = Aᵀ · dC, a GEMM of k rows, n outputs
 * and inner size m (the tokens): gemmCost(k, n, m)'s FLOPs and shape efficiency. Bytes: A and dC read, and the
 * weight gradient accumulated across micro-batches (read and written: Megatron's gradient-accumulation fusion,
 * in the bf16 gradient buffer that the DP reduction sends). Few tokens make it a skinny, memory-bound GEMM.
 */
export function gemmWeightGradientCost(chip: KernelChip, m: number, n: number, k: number, bytesPerElement = 2): KernelCost {
  if (m === 0 || n === 0 || k === 0) return ZERO_COST;
  const flops = 2 * m * n * k;
  const bytes = bytesPerElement * (m * k + m * n + 2 * k * n);
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, 1, relativeGemmEfficiency(chip.gemmShapeEfficiency, k, n, m)) };
}

/** One weight matrix's GEMMs in the three places a training step runs them. */
export interface GemmPassCosts {
  forward: KernelCost;
  /** dgrad: the gradient of the GEMM's input. */
  inputGradient: KernelCost;
  /** wgrad: the gradient of its weights. */
  weightGradient: KernelCost;
}

const ZERO_PASSES: GemmPassCosts = { forward: ZERO_COST, inputGradient: ZERO_COST, weightGradient: ZERO_COST };

/**
 * One weight matrix (k inputs → n outputs per expert) of the local experts as grouped GEMMs, forward and backward,
 * each one launch whatever the number of experts. Expert e with m_e > 0 tokens runs (shapes as (rows, outputs,
 * inner), looked up as relativeGemmEfficiency does: (m, min(n, k)) on a one-grid table)
 *  - forward C[m_e,n] = A[m_e,k]·W_e at relative efficiency (m_e, n·active, k),
 *  - dgrad dA[m_e,k] = dC·W_eᵀ at (m_e, k·active, n),
 *  - wgrad dW_e[k,n] = Aᵀ·dC at (k, n·active, m_e): k rows, inner size m_e, so an expert with few tokens is a
 *    skinny GEMM,
 * where `active` (experts with tokens) widens the output because the grouped kernel spreads every expert's tiles
 * over the cores together. Each pass's compute time is the sum of its experts' times (the flop-weighted harmonic
 * mean of their relative efficiencies), against its HBM bytes: forward and dgrad read the active experts' weights
 * and every token's input and write its output; wgrad reads the tokens' inputs and output gradients and
 * accumulates the active experts' weight gradients (read and written, as gemmWeightGradientCost). An expert with 0
 * tokens costs nothing; a device whose experts all got nothing still pays the launches (the host launches the
 * grouped kernel without knowing the counts). One pass over the experts for all three (it runs per micro-batch,
 * layer and DP rank).
 */
export function groupedExpertGemmCosts(chip: KernelChip, tokensPerLocalExpert: ArrayLike<number>, n: number, k: number, bytesPerElement = 2): GemmPassCosts {
  if (tokensPerLocalExpert.length === 0) return ZERO_PASSES;
  const p = groupedPasses(chip, tokensPerLocalExpert, n, k, bytesPerElement);
  const flops = p[3]!;
  return {
    forward: { flops, bytes: p[4]!, timeNs: p[0]! },
    inputGradient: { flops, bytes: p[4]!, timeNs: p[1]! },
    weightGradient: { flops, bytes: p[5]!, timeNs: p[2]! },
  };
}

/**
 * groupedExpertGemmCosts' three times (forward, dgrad, wgrad ns) and the FLOPs of one pass, written to `into` from
 * `offset`: the step computes them per micro-batch, layer and DP rank and keeps nothing else, so this allocates
 * nothing.
 */
export function groupedExpertGemmTimes(chip: KernelChip, tokensPerLocalExpert: ArrayLike<number>, n: number, k: number, into: number[] | Float64Array, offset = 0): void {
  if (tokensPerLocalExpert.length === 0) {
    into.fill(0, offset, offset + 4);
    return;
  }
  const passes = groupedPasses(chip, tokensPerLocalExpert, n, k, 2);
  into[offset] = passes[0]!;
  into[offset + 1] = passes[1]!;
  into[offset + 2] = passes[2]!;
  into[offset + 3] = passes[3]!;
}

/** Scratch for groupedPasses: forward, dgrad and wgrad ns, FLOPs, forward/dgrad bytes, wgrad bytes. */
const passScratch = new Float64Array(6);

/** The tokens local experts received in all, and how many experts got any (`active`). */
function expertTokenTotals(tokensPerLocalExpert: ArrayLike<number>): { tokens: number; active: number } {
  let tokens = 0;
  let active = 0;
  for (let e = 0; e < tokensPerLocalExpert.length; e++) {
    const m = tokensPerLocalExpert[e]!;
    if (m > 0) {
      tokens += m;
      active++;
    }
  }
  return { tokens, active };
}

function groupedPasses(chip: KernelChip, tokensPerLocalExpert: ArrayLike<number>, n: number, k: number, bytesPerElement: number): Float64Array {
  const experts = tokensPerLocalExpert.length;
  const { tokens, active } = expertTokenTotals(tokensPerLocalExpert);
  const table = chip.gemmShapeEfficiency;
  const forwardAt = efficiencyColumn(table, n * active, k);
  const dgradAt = efficiencyColumn(table, k * active, n);
  const wgradAt = efficiencyInner(table, k, n * active);
  // Σ_e flops_e / relative_e per pass (flops_e = 2·m_e·n·k in all three).
  let forwardWeighted = 0;
  let dgradWeighted = 0;
  let wgradWeighted = 0;
  for (let e = 0; e < experts; e++) {
    const m = tokensPerLocalExpert[e]!;
    if (m <= 0) continue;
    const flops = 2 * m * n * k;
    forwardWeighted += forwardAt === undefined ? flops : flops / forwardAt.at(m);
    dgradWeighted += dgradAt === undefined ? flops : flops / dgradAt.at(m);
    wgradWeighted += wgradAt === undefined ? flops : flops / wgradAt.at(m);
  }
  const flops = 2 * tokens * n * k;
  const weights = active * n * k;
  const activations = tokens * (n + k);
  const forwardBytes = bytesPerElement * (weights + activations);
  const wgradBytes = bytesPerElement * (2 * weights + activations);
  const out = passScratch;
  out[0] = rooflineNs(chip, flops, forwardBytes, 1, forwardWeighted > 0 ? flops / forwardWeighted : 1);
  out[1] = rooflineNs(chip, flops, forwardBytes, 1, dgradWeighted > 0 ? flops / dgradWeighted : 1);
  out[2] = rooflineNs(chip, flops, wgradBytes, 1, wgradWeighted > 0 ? flops / wgradWeighted : 1);
  out[3] = flops;
  out[4] = forwardBytes;
  out[5] = wgradBytes;
  return out;
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
  const { tokens, active } = expertTokenTotals(tokensPerLocalExpert);
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
        const m = tokensPerLocalExpert[e]!;
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
