// The kinds of memory-bound kernel and how one kind performs on a chip (the types of KernelChip.memoryOps), kept
// apart from memory-ops.ts so that kernel-chip.ts can name them without an import cycle.

export const MEMORY_OP_KINDS = [
  'norm', 'activation', 'rope', 'residual-add', 'embedding', 'permute', 'softmax-topk', 'cross-entropy', 'optimizer', 'generic',
] as const;
export type MemoryOpKind = (typeof MEMORY_OP_KINDS)[number];

/** How one kind of memory-bound kernel performs on a chip: time = max(fixedNs, bytes / (HBM × bandwidthEfficiency)). */
export interface MemoryOpEfficiency {
  /** Achieved fraction of HBM bandwidth for large tensors. */
  bandwidthEfficiency: number;
  /** Floor of one kernel's device time (ns): a tiny kernel still takes this long. */
  fixedNs: number;
}

export type MemoryOpTable = Partial<Record<MemoryOpKind, MemoryOpEfficiency>>;
