// Collectives as plans: a sequence of phases, each a set of concurrent flows between the devices of a group.
// Ranks are positions in the group (rank r is device group[r]). Byte sizes follow nccl-tests' "size".
import { InputError } from '../engine/index.ts';
import type { Flow } from './network-types.ts';

export type CollectiveOp = 'allreduce' | 'allgather' | 'reducescatter' | 'alltoall' | 'broadcast' | 'sendrecv';

export interface CollectivePlan {
  readonly op: CollectiveOp;
  readonly algo: string;
  readonly group: readonly number[];
  /** Phases run one after another; the flows inside a phase run concurrently. */
  readonly phases: Flow[][];
}

export interface GroupOptions {
  /** Device count of the cluster; when given, ids must be below it. */
  readonly devices?: number;
}

/** Bytes rank i sends to rank j: a function, or a row-major n×n matrix (entry i*n + j). */
export type TrafficMatrix = ((i: number, j: number) => number) | Float64Array;

function describeGroup(group: readonly number[]): string {
  const shown = group.slice(0, 16).join(', ');
  return `group [${shown}${group.length > 16 ? `, … (${group.length} devices)` : ''}]`;
}

/** Throws on an empty group, a duplicate device, or an id that is not a device. */
export function validateGroup(group: readonly number[], options: GroupOptions = {}): void {
  if (group.length === 0) throw new InputError('collective group is empty: it needs at least one device');
  const seen = new Set<number>();
  for (const device of group) {
    const limit = options.devices;
    if (!Number.isInteger(device) || device < 0 || (limit !== undefined && device >= limit)) {
      const range = limit === undefined ? 'a non-negative integer' : `in 0..${limit - 1}`;
      throw new InputError(`${describeGroup(group)}: device id ${String(device)} is out of range (expected ${range})`);
    }
    if (seen.has(device)) throw new InputError(`${describeGroup(group)}: device ${device} appears more than once`);
    seen.add(device);
  }
}

function trafficReader(group: readonly number[], bytes: TrafficMatrix): (i: number, j: number) => number {
  const n = group.length;
  if (bytes instanceof Float64Array && bytes.length !== n * n) {
    throw new InputError(`${describeGroup(group)}: traffic matrix has ${bytes.length} entries, expected ${n}×${n} = ${n * n}`);
  }
  return (i, j) => {
    const value = bytes instanceof Float64Array ? (bytes[i * n + j] as number) : bytes(i, j);
    if (!Number.isFinite(value) || value < 0) {
      throw new InputError(`${describeGroup(group)}: bytes from rank ${i} to rank ${j} is ${String(value)}; expected a finite number ≥ 0`);
    }
    return value;
  };
}

const device = (group: readonly number[], rank: number): number => group[rank] as number;

/** All-to-all-v, direct: every rank sends to every other rank at once (one phase). Diagonal and zero entries are skipped. */
export function allToAllV(group: readonly number[], bytes: TrafficMatrix, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  const read = trafficReader(group, bytes);
  const n = group.length;
  const flows: Flow[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const b = read(i, j);
      if (b > 0) flows.push({ src: device(group, i), dst: device(group, j), bytes: b });
    }
  }
  return { op: 'alltoall', algo: 'direct', group: [...group], phases: n > 1 ? [flows] : [] };
}

/** All-to-all-v, pairwise exchange: n−1 rounds; in round r (1..n−1) rank i sends to rank (i + r) mod n. */
export function allToAllPairwise(group: readonly number[], bytes: TrafficMatrix, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  const read = trafficReader(group, bytes);
  const n = group.length;
  const phases: Flow[][] = [];
  for (let r = 1; r < n; r++) {
    const flows: Flow[] = [];
    for (let i = 0; i < n; i++) {
      const j = (i + r) % n;
      flows.push({ src: device(group, i), dst: device(group, j), bytes: read(i, j) });
    }
    phases.push(flows);
  }
  return { op: 'alltoall', algo: 'pairwise', group: [...group], phases };
}

/** `steps` phases in which every rank sends `chunk` bytes to the next rank around the ring. */
function ringPhases(group: readonly number[], steps: number, chunk: number): Flow[][] {
  const n = group.length;
  const phases: Flow[][] = [];
  for (let s = 0; s < steps; s++) {
    phases.push(group.map((src, i) => ({ src, dst: device(group, (i + 1) % n), bytes: chunk })));
  }
  return phases;
}

function checkSize(group: readonly number[], name: string, bytes: number): void {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new InputError(`${describeGroup(group)}: ${name} is ${String(bytes)}; expected a finite number ≥ 0`);
  }
}

/** Ring allreduce of a `bufferBytes` buffer held by every rank: 2(n−1) phases of bufferBytes/n per rank. */
export function ringAllReduce(group: readonly number[], bufferBytes: number, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'bufferBytes', bufferBytes);
  const n = group.length;
  return { op: 'allreduce', algo: 'ring', group: [...group], phases: ringPhases(group, 2 * (n - 1), bufferBytes / n) };
}

/** Ring allgather producing a `totalBytes` buffer on every rank (each contributes totalBytes/n): n−1 phases. */
export function ringAllGather(group: readonly number[], totalBytes: number, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'totalBytes', totalBytes);
  const n = group.length;
  return { op: 'allgather', algo: 'ring', group: [...group], phases: ringPhases(group, n - 1, totalBytes / n) };
}

/** Ring reduce-scatter of a `totalBytes` input on every rank (each ends with totalBytes/n): n−1 phases. */
export function ringReduceScatter(group: readonly number[], totalBytes: number, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'totalBytes', totalBytes);
  const n = group.length;
  return { op: 'reducescatter', algo: 'ring', group: [...group], phases: ringPhases(group, n - 1, totalBytes / n) };
}
