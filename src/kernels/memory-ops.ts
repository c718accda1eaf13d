// Memory-bound kernels by kind (norms, activations, RoPE, residual adds, embedding lookups, MoE permute/unpermute,
// the router's softmax/top-k, cross-entropy, the optimizer update). Each kind may have its own achieved HBM
// bandwidth and a fixed per-kernel floor (a small kernel never takes less than its floor), taken from the chip's
// kernel profile where measured data exists; a kind without an entry streams at the chip's memoryEfficiency.
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { rooflineNs } from './kernel-chip.ts';
import type { MemoryOpKind } from './memory-op-kinds.ts';

export type { MemoryOpEfficiency, MemoryOpKind, MemoryOpTable } from './memory-op-kinds.ts';
export { MEMORY_OP_KINDS } from './memory-op-kinds.ts';

/**
 * A memory-bound kernel of kind `op` that reads and writes `bytes` in total, with `flopsPerByte` arithmetic.
 * With an entry for `op` in the chip's table it streams at that kind's bandwidth with its floor; otherwise at the
 * chip's memoryEfficiency with no floor (the generic roofline). Launch overhead is added per launch either way.
 */
export function memoryOpCost(chip: KernelChip, op: MemoryOpKind, bytes: number, launches = 1, flopsPerByte = 0): KernelCost {
  const flops = bytes * flopsPerByte;
  const entry = chip.memoryOps?.[op];
  if (entry === undefined) return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, launches) };
  const streamS = bytes / (chip.hbmBandwidth * entry.bandwidthEfficiency);
  const computeS = flops / (chip.peakFlops * chip.gemmEfficiency);
  const deviceNs = Math.max(entry.fixedNs * launches, Math.ceil(Math.max(streamS, computeS) * 1e9));
  return { flops, bytes, timeNs: deviceNs + launches * chip.launchOverheadNs };
}
