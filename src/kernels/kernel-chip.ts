// The chip figures kernel costs depend on. The composition layer fills it from the hardware catalog.
import type { TimeNs } from '../engine/index.ts';
import type { GemmEfficiencyTable } from './gemm-efficiency-table.ts';
import type { MemoryOpTable } from './memory-op-kinds.ts';

export interface KernelChip {
  name: string;
  /** Dense BF16/FP16 peak, FLOP/s. */
  peakFlops: number;
  /** HBM bandwidth, bytes/s. */
  hbmBandwidth: number;
  /** Fixed cost of launching one kernel. */
  launchOverheadNs: TimeNs;
  /** Fraction of peak a large, well-shaped GEMM reaches. */
  gemmEfficiency: number;
  /** Fraction of HBM bandwidth a streaming (memory-bound) kernel reaches. */
  memoryEfficiency: number;
  /**
   * GEMM efficiency by shape relative to `gemmEfficiency` (the chip's kernel profile, catalog/kernels/*.csv).
   * Absent: every GEMM runs at `gemmEfficiency` (the flat model, handy for hand-built chips in tests).
   */
  gemmShapeEfficiency?: GemmEfficiencyTable;
  /** Memory-bound kernels by kind (memory-ops.ts); a kind without an entry streams at `memoryEfficiency`. */
  memoryOps?: MemoryOpTable;
  /**
   * Flash attention's achieved fraction of peak by pass, sequence length and (query/key) head size, from the chip's
   * kernel profile. Absent: attention runs at `gemmEfficiency` (the flat model).
   */
  attentionEfficiency?: (pass: 'forward' | 'backward', seqLength: number, headDim: number, causal: boolean) => number;
}

/** What one kernel (or a fused group of kernels) costs. */
export interface KernelCost {
  flops: number;
  /** Bytes moved to and from HBM. */
  bytes: number;
  timeNs: TimeNs;
}

export const ZERO_COST: KernelCost = { flops: 0, bytes: 0, timeNs: 0 };

/**
 * Roofline time of `flops` and `bytes` at the chip's achievable rates, plus `launches` kernel launches.
 * `relativeEfficiency` scales `gemmEfficiency` for the kernel's shape (the fraction of peak is capped at 1).
 */
export function rooflineNs(chip: KernelChip, flops: number, bytes: number, launches: number, relativeEfficiency = 1): TimeNs {
  const computeS = flops / (chip.peakFlops * Math.min(1, chip.gemmEfficiency * relativeEfficiency));
  const memoryS = bytes / (chip.hbmBandwidth * chip.memoryEfficiency);
  return Math.ceil(Math.max(computeS, memoryS) * 1e9) + launches * chip.launchOverheadNs;
}

export function addCosts(...costs: KernelCost[]): KernelCost {
  let flops = 0;
  let bytes = 0;
  let timeNs = 0;
  for (const c of costs) {
    flops += c.flops;
    bytes += c.bytes;
    timeNs += c.timeNs;
  }
  return { flops, bytes, timeNs };
}

/** Multiply a cost (e.g. backward ≈ 2 × forward: input gradient and weight gradient). */
export function scaleCost(cost: KernelCost, factor: number): KernelCost {
  return { flops: cost.flops * factor, bytes: cost.bytes * factor, timeNs: Math.ceil(cost.timeNs * factor) };
}
