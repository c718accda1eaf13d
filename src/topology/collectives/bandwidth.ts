// Algorithm and bus bandwidth of a collective, with the nccl-tests definitions (see HARDWARE.md):
// algbw = size / time; busbw = algbw · 2(n−1)/n for allreduce, · (n−1)/n for allgather, reduce-scatter
// and all-to-all, · 1 for broadcast and send/recv. Huawei's HCCL test tool prints algbw, not busbw.
import { InputError } from '../../engine/index.ts';
import type { CollectiveOp } from './plan.ts';

/** Bytes per second: the collective's size (nccl-tests "size") over its duration. */
export function algBandwidth(bytes: number, seconds: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new InputError(`algBandwidth: bytes must be ≥ 0, got ${bytes}`);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InputError(`algBandwidth: seconds must be > 0, got ${seconds}`);
  return bytes / seconds;
}

/** The factor that turns algbw into busbw for `op` on `n` ranks. */
export function busBandwidthFactor(op: CollectiveOp, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`busBandwidth: rank count must be a positive integer, got ${n}`);
  switch (op) {
    case 'allreduce':
      return (2 * (n - 1)) / n;
    case 'allgather':
    case 'reducescatter':
    case 'alltoall':
      return (n - 1) / n;
    case 'broadcast':
    case 'sendrecv':
      return 1;
    default: {
      const unknown: never = op;
      throw new InputError(
        `busBandwidth: unknown op "${String(unknown)}"; accepted: allreduce, allgather, reducescatter, alltoall, broadcast, sendrecv`,
      );
    }
  }
}

/** Bus bandwidth in bytes per second (nccl-tests definition). */
export function busBandwidth(op: CollectiveOp, n: number, bytes: number, seconds: number): number {
  return algBandwidth(bytes, seconds) * busBandwidthFactor(op, n);
}
