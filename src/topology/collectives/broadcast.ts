// Broadcast and point-to-point plans: a pipelined chain broadcast ("ring", as NCCL's), a binomial-tree
// broadcast, a single send/recv between pipeline stages, and nccl-tests' sendrecv pattern (each rank sends
// to the next around the ring).
import { InputError } from '../../engine/index.ts';
import { checkSize, describeGroup, rankDevice, validateGroup } from './plan.ts';
import type { CollectivePlan, GroupOptions } from './plan.ts';
import type { Flow } from '../network/types.ts';

/** Default pipeline chunk of the ring broadcast (bytes). */
export const DEFAULT_BROADCAST_CHUNK_BYTES = 4 * 1024 * 1024;

export interface BroadcastOptions extends GroupOptions {
  /** Rank (position in the group) that holds the data; default 0. */
  readonly root?: number;
}

export interface RingBroadcastOptions extends BroadcastOptions {
  /** Number of pipeline chunks; default ceil(bytes / 4 MiB), at least 1. */
  readonly chunks?: number;
}

function checkRoot(group: readonly number[], root: number): void {
  if (!Number.isInteger(root) || root < 0 || root >= group.length) {
    throw new InputError(`${describeGroup(group)}: broadcast root rank ${String(root)} is not a rank of the group (0..${group.length - 1})`);
  }
}

/**
 * Pipelined chain broadcast: ranks form a chain starting at the root (root, root+1, … wrapping), the data is
 * cut into C equal chunks, and in phase t the member at chain position p forwards chunk t − p to position
 * p + 1. C + n − 2 phases of bytes/C each; every non-root rank receives `bytes` once.
 */
export function ringBroadcast(group: readonly number[], bytes: number, options: RingBroadcastOptions = {}): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'bytes', bytes);
  const root = options.root ?? 0;
  checkRoot(group, root);
  const chunks = options.chunks ?? Math.max(1, Math.ceil(bytes / DEFAULT_BROADCAST_CHUNK_BYTES));
  if (!Number.isInteger(chunks) || chunks < 1) {
    throw new InputError(`${describeGroup(group)}: broadcast chunks is ${String(chunks)}; expected a positive integer`);
  }
  const n = group.length;
  const chain = Array.from({ length: n }, (_, p) => rankDevice(group, (root + p) % n));
  const phases: Flow[][] = [];
  for (let t = 0; n > 1 && t < chunks + n - 2; t++) {
    const flows: Flow[] = [];
    for (let p = 0; p < n - 1; p++) {
      const chunk = t - p;
      if (chunk >= 0 && chunk < chunks) flows.push({ src: chain[p]!, dst: chain[p + 1]!, bytes: bytes / chunks });
    }
    phases.push(flows);
  }
  return { op: 'broadcast', algo: 'ring', group: [...group], phases, root: rankDevice(group, root) };
}

/**
 * Binomial-tree broadcast: with v the rank relative to the root, in round k (mask m = 2^k) every v < m sends
 * the whole buffer to v + m. ceil(log2 n) phases of `bytes`.
 */
export function treeBroadcast(group: readonly number[], bytes: number, options: BroadcastOptions = {}): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'bytes', bytes);
  const root = options.root ?? 0;
  checkRoot(group, root);
  const n = group.length;
  const at = (v: number): number => rankDevice(group, (root + v) % n);
  const phases: Flow[][] = [];
  for (let mask = 1; mask < n; mask *= 2) {
    const flows: Flow[] = [];
    for (let v = 0; v < mask && v + mask < n; v++) flows.push({ src: at(v), dst: at(v + mask), bytes });
    phases.push(flows);
  }
  return { op: 'broadcast', algo: 'tree', group: [...group], phases, root: rankDevice(group, root) };
}

/** One send/recv of `bytes` from device `src` to device `dst` (e.g. activations between pipeline stages). */
export function sendRecv(src: number, dst: number, bytes: number, options: GroupOptions = {}): CollectivePlan {
  const group = [src, dst];
  if (src === dst) throw new InputError(`send/recv ${describeGroup(group)}: device ${src} sends to itself (a self-loop)`);
  validateGroup(group, options);
  checkSize(group, 'bytes', bytes);
  return { op: 'sendrecv', algo: 'direct', group, phases: [[{ src, dst, bytes }]] };
}

/** nccl-tests' sendrecv: every rank sends `bytes` to the next rank around the ring (one phase); needs 2+ ranks. */
export function ringSendRecv(group: readonly number[], bytes: number, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'bytes', bytes);
  const n = group.length;
  if (n < 2) throw new InputError(`send/recv ${describeGroup(group)}: one device would send to itself (a self-loop); use 2 or more`);
  const flows = group.map((src, i) => ({ src, dst: rankDevice(group, (i + 1) % n), bytes }));
  return { op: 'sendrecv', algo: 'ring', group: [...group], phases: [flows] };
}
