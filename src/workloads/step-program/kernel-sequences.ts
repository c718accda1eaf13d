// Runs of kernels shared across a step program: equal runs (every layer's and micro-batch's attention block, say) share
// one labels array and one durations array, found as paths in a tree of StepKernels, and become KernelSequenceTasks
// named per layer and micro-batch by their scope.
import type { StepKernel } from '../step-kernels.ts';
import type { KernelLabel, KernelSequenceTask } from './types.ts';

/** Kernels with their labels, durations and FLOPs as one task, named in the trace with `scope` ("L3 mb2"). */
export function kernelSequence(kernels: readonly KernelLabel[], durationsNs: readonly number[], flops: number, scope: string): KernelSequenceTask {
  let durationNs = 0;
  for (let i = 0; i < durationsNs.length; i++) durationNs += durationsNs[i]!;
  return { kind: 'kernels', kernels, durationsNs, durationNs, flops, scope };
}

/** A run of kernels as a path from the root of KernelSequences' tree, with its labels and durations once built. */
export interface SequenceNode {
  parent: SequenceNode | undefined;
  label: KernelLabel | undefined;
  durationNs: number;
  /** FLOPs of the run up to and including this kernel. */
  flops: number;
  /** Next kernels: by StepKernel, one map for the forward and one for its recompute. */
  next: [Map<StepKernel, SequenceNode>, Map<StepKernel, SequenceNode>];
  built?: { kernels: KernelLabel[]; durationsNs: number[] };
}

/** Kernel runs as a tree of StepKernel paths, so that equal runs share their labels and durations arrays. */
export class KernelSequences {
  readonly root: SequenceNode = { parent: undefined, label: undefined, durationNs: 0, flops: 0, next: [new Map(), new Map()] };

  /** The run `node` followed by kernel `k` (recomputed: its pass is 'recompute', its name says so). */
  next(node: SequenceNode, k: StepKernel, recompute: boolean): SequenceNode {
    const children = node.next[recompute ? 1 : 0];
    let child = children.get(k);
    if (child === undefined) {
      const label: KernelLabel = { name: recompute ? `${k.name} recompute` : k.name, category: k.category, pass: recompute ? 'recompute' : k.pass };
      child = { parent: node, label, durationNs: k.cost.timeNs, flops: node.flops + k.cost.flops, next: [new Map(), new Map()] };
      children.set(k, child);
    }
    return child;
  }

  /** The run's labels and durations, in order (built once per distinct run). */
  built(node: SequenceNode): { kernels: KernelLabel[]; durationsNs: number[] } {
    if (node.built === undefined) {
      const kernels: KernelLabel[] = [];
      const durationsNs: number[] = [];
      for (let n: SequenceNode | undefined = node; n?.label !== undefined; n = n.parent) {
        kernels.push(n.label);
        durationsNs.push(n.durationNs);
      }
      node.built = { kernels: kernels.reverse(), durationsNs: durationsNs.reverse() };
    }
    return node.built;
  }
}
