// The collective registry: which algorithms each op has, the default a real library would pick for a
// topology, and planCollective(), which builds a plan by name (used by `moesim collective`).
// `bytes` is nccl-tests' "size" per op: the allreduce buffer; the allgather output / reduce-scatter input;
// the all-to-all send buffer per rank (bytes/n to every rank); the broadcast buffer; the send/recv message.
import { InputError } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';
import type { CollectiveAlgorithm, CollectiveOp, CollectivePlan } from './plan.ts';
import { allToAllPairwise, allToAllV, hierarchicalAllToAllV } from './alltoall.ts';
import { halvingDoublingAllReduce, hierarchicalAllReduce, meshAllReduce, ringAllReduce } from './allreduce.ts';
import { ringBroadcast, ringSendRecv, treeBroadcast } from './broadcast.ts';
import {
  hierarchicalAllGather,
  hierarchicalReduceScatter,
  meshAllGather,
  meshReduceScatter,
  ringAllGather,
  ringReduceScatter,
} from './gather.ts';

export const collectiveOps: readonly CollectiveOp[] = ['allreduce', 'allgather', 'reducescatter', 'alltoall', 'broadcast', 'sendrecv'];

/** The algorithms of each op, by name. */
export const collectiveAlgorithms: Readonly<Record<CollectiveOp, readonly CollectiveAlgorithm[]>> = Object.freeze({
  allreduce: ['ring', 'halving-doubling', 'mesh', 'hierarchical'],
  allgather: ['ring', 'mesh', 'hierarchical'],
  reducescatter: ['ring', 'mesh', 'hierarchical'],
  alltoall: ['direct', 'pairwise', 'hierarchical'],
  broadcast: ['ring', 'tree'],
  sendrecv: ['ring'],
});

/** What planning needs from the cluster: the device count and the server of each device (a Cluster fits). */
export interface CollectiveTopology {
  readonly devices: number;
  serverOf(device: number): number;
}

/** An op name as typed by a user: case, dashes and underscores are ignored (all-to-all, reduce_scatter, AllReduce). */
export function parseCollectiveOp(text: string): CollectiveOp {
  const key = text.toLowerCase().replace(/[-_\s]/g, '');
  const op = collectiveOps.find((candidate) => candidate === key);
  if (op === undefined) throw new InputError(`unknown collective op "${text}"; accepted: ${collectiveOps.join(', ')}`, 'op');
  return op;
}

/** Throws unless `algo` is one of `op`'s algorithms, naming the accepted ones. */
export function checkCollectiveAlgorithm(op: CollectiveOp, algo: string): CollectiveAlgorithm {
  const known = collectiveAlgorithms[op].find((candidate) => candidate === algo);
  if (known === undefined) {
    throw new InputError(`unknown ${op} algorithm "${algo}"; accepted for ${op}: ${collectiveAlgorithms[op].join(', ')}`, 'algo');
  }
  return known;
}

/** Builds the plan of `op` with algorithm `algo` over `group` for a collective of nccl-tests size `bytes`. */
export function planCollective(op: CollectiveOp, algo: string, group: readonly number[], bytes: number, topology: CollectiveTopology): CollectivePlan {
  const name = checkCollectiveAlgorithm(op, algo);
  const options = { devices: topology.devices, serverOf: (device: number) => topology.serverOf(device) };
  const n = group.length;
  const perPeer = (_i: number, _j: number): number => bytes / n;
  switch (op) {
    case 'allreduce':
      if (name === 'halving-doubling') return halvingDoublingAllReduce(group, bytes, options);
      if (name === 'mesh') return meshAllReduce(group, bytes, options);
      if (name === 'hierarchical') return hierarchicalAllReduce(group, bytes, options);
      return ringAllReduce(group, bytes, options);
    case 'allgather':
      if (name === 'mesh') return meshAllGather(group, bytes, options);
      if (name === 'hierarchical') return hierarchicalAllGather(group, bytes, options);
      return ringAllGather(group, bytes, options);
    case 'reducescatter':
      if (name === 'mesh') return meshReduceScatter(group, bytes, options);
      if (name === 'hierarchical') return hierarchicalReduceScatter(group, bytes, options);
      return ringReduceScatter(group, bytes, options);
    case 'alltoall':
      if (!Number.isFinite(bytes) || bytes < 0) throw new InputError(`alltoall: bytes is ${String(bytes)}; expected a finite number ≥ 0`);
      if (name === 'pairwise') return allToAllPairwise(group, perPeer, options);
      if (name === 'hierarchical') return hierarchicalAllToAllV(group, perPeer, options);
      return allToAllV(group, perPeer, options);
    case 'broadcast':
      return name === 'tree' ? treeBroadcast(group, bytes, options) : ringBroadcast(group, bytes, options);
    case 'sendrecv':
      return ringSendRecv(group, bytes, options);
  }
}

/**
 * The algorithm the vendor library would pick, by the chip's vendor (HCCL for huawei, NCCL otherwise):
 * - HCCL inside one server: mesh for allreduce, allgather and reduce-scatter wherever every pair of devices
 *   has its own path (full mesh, switch, supernode), ring on the 910A's two PCIe-joined HCCS groups; direct
 *   all-to-all (HCCL's full-mesh all-to-all).
 * - HCCL across servers with equal devices per server: hierarchical for all four (HCCL's level-0/level-1
 *   split; its staged all-to-all-v is what hierarchicalAllToAllV models).
 * - NCCL: ring for allreduce, allgather and reduce-scatter; direct all-to-all (all sends and receives posted at once).
 * - Broadcast: the pipelined ring (chain); send/recv: ring (nccl-tests' pattern).
 * Latency-bound small sizes (where libraries switch to trees or one-shot kernels) are not modelled.
 */
export function defaultCollectiveAlgorithm(
  op: CollectiveOp,
  group: readonly number[],
  cluster: Pick<Cluster, 'serverOf' | 'system' | 'chip'>,
): CollectiveAlgorithm {
  const counts = new Map<number, number>();
  for (const device of group) counts.set(cluster.serverOf(device), (counts.get(cluster.serverOf(device)) ?? 0) + 1);
  const spans = counts.size;
  const evenServers = new Set(counts.values()).size <= 1;
  const hccl = cluster.chip.vendor === 'huawei';
  const privatePaths = cluster.system.intraServer.kind !== 'mesh-groups-pcie';
  switch (op) {
    case 'allreduce':
    case 'allgather':
    case 'reducescatter':
      if (!hccl) return 'ring';
      if (spans <= 1) return privatePaths ? 'mesh' : 'ring';
      return evenServers ? 'hierarchical' : 'ring';
    case 'alltoall':
      return hccl && spans > 1 && evenServers ? 'hierarchical' : 'direct';
    case 'broadcast':
    case 'sendrecv':
      return 'ring';
  }
}
