// Collectives as plans: a sequence of phases, each a set of concurrent flows between the devices of a group.
// This file holds the shared types and the group checks; the algorithms live in the other files of collectives/.
// Ranks are positions in the group (rank r is device group[r]). Byte sizes follow nccl-tests' "size".
import { InputError } from '../../engine/index.ts';
import type { Flow } from '../network/types.ts';

export type CollectiveOp = 'allreduce' | 'allgather' | 'reducescatter' | 'alltoall' | 'broadcast' | 'sendrecv';

/** Every algorithm name any op accepts (collectiveAlgorithms in registry.ts says which op takes which). */
export type CollectiveAlgorithm = 'direct' | 'pairwise' | 'hierarchical' | 'ring' | 'halving-doubling' | 'mesh' | 'tree';

export interface CollectivePlan {
  readonly op: CollectiveOp;
  readonly algo: string;
  readonly group: readonly number[];
  /** Phases run one after another; the flows inside a phase run concurrently. */
  readonly phases: Flow[][];
  /** The device that holds the data at the start (broadcast only). */
  readonly root?: number;
}

export interface GroupOptions {
  /** Device count of the cluster; when given, ids must be below it. */
  readonly devices?: number;
}

/** Bytes rank i sends to rank j: a function, or a row-major n×n matrix (entry i*n + j). */
export type TrafficMatrix = ((i: number, j: number) => number) | Float64Array;

/** "group [0, 1, 2, …]" for error messages (the first 16 devices, then the count). */
export function describeGroup(group: readonly number[]): string {
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

/** Throws unless `bytes` (named `name` in the message) is a finite number ≥ 0. */
export function checkSize(group: readonly number[], name: string, bytes: number): void {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new InputError(`${describeGroup(group)}: ${name} is ${String(bytes)}; expected a finite number ≥ 0`);
  }
}

/** A checked reader of a traffic matrix over `group`: throws on a wrong matrix size or a bad entry. */
export function trafficReader(group: readonly number[], bytes: TrafficMatrix): (i: number, j: number) => number {
  const n = group.length;
  if (bytes instanceof Float64Array && bytes.length !== n * n) {
    throw new InputError(`${describeGroup(group)}: traffic matrix has ${bytes.length} entries, expected ${n}×${n} = ${n * n}`);
  }
  return (i, j) => {
    const value = bytes instanceof Float64Array ? bytes[i * n + j]! : bytes(i, j);
    if (!Number.isFinite(value) || value < 0) {
      throw new InputError(`${describeGroup(group)}: bytes from rank ${i} to rank ${j} is ${String(value)}; expected a finite number ≥ 0`);
    }
    return value;
  };
}

/** The device of rank `rank` (callers guarantee the rank is in range). */
export const rankDevice = (group: readonly number[], rank: number): number => group[rank]!;

/** Phase-wise union of several phase lists (phase k of the result = phase k of every list, concatenated). */
export function zipPhases(lists: readonly Flow[][][]): Flow[][] {
  const length = lists.reduce((most, list) => Math.max(most, list.length), 0);
  const phases: Flow[][] = [];
  for (let k = 0; k < length; k++) phases.push(lists.flatMap((list) => list[k] ?? []));
  return phases;
}

/** One phase in which every member of `devices` sends `chunk` bytes to every other member. */
export function meshPhase(devices: readonly number[], chunk: number): Flow[] {
  const flows: Flow[] = [];
  for (const src of devices) for (const dst of devices) if (src !== dst) flows.push({ src, dst, bytes: chunk });
  return flows;
}

/** `steps` phases in which every member of `devices` sends `chunk` bytes to the next one around the ring. */
export function ringPhases(devices: readonly number[], steps: number, chunk: number): Flow[][] {
  const n = devices.length;
  const phases: Flow[][] = [];
  if (n < 2) return phases;
  for (let s = 0; s < steps; s++) {
    phases.push(devices.map((src, i) => ({ src, dst: rankDevice(devices, (i + 1) % n), bytes: chunk })));
  }
  return phases;
}
