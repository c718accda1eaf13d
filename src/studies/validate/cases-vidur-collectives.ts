// Component cases: NCCL all-reduce on fewer ranks than a whole DGX server (2 and 4 GPUs of one DGX H100 or A100) and
// over two DGX A100 servers (16 ranks), against Vidur's measurements (Vidur profiling data, microsoft/vidur;
// data/vidur-profiling/network/<gpu>_dgx/all_reduce.csv: 64 MiB rows, the median of the rank-0 kernel time).
// vidur-allreduce.ts holds the 8-rank rows (two of them the NVLink calibration); these rows were not fitted to.
// `size` counts bytes (data/vidur-profiling/README.md; vidur-allreduce.ts gives the evidence).
import { join } from 'node:path';
import { InputError, Simulator } from '../../engine/index.ts';
import type { VidurGpu } from '../../kernels/index.ts';
import { csvWithHeader, readDataFile, vidurDataDirectory } from '../../kernels/index.ts';
import * as topology from '../../topology/index.ts';
import type { KnownGap, ValidationCase } from './validation-types.ts';

const MiB = 2 ** 20;
const BYTES = 64 * MiB;

/** Vidur's median all-reduce time (µs) of `bytes` over `ranks` GPUs, `perNode` of them per server (repeats averaged). */
export function vidurAllReduceUs(gpu: VidurGpu, ranks: number, perNode: number, bytes: number): number {
  const path = join(vidurDataDirectory(), 'network', `${gpu}_dgx`, 'all_reduce.csv');
  const { text, shown } = readDataFile(path, "Vidur's all-reduce data");
  const { lines, column } = csvWithHeader(text, shown);
  const [workers, node, size, medianAt] = ['num_workers', 'devices_per_node', 'size', 'time_stats.all_reduce.median'].map(column) as [number, number, number, number];
  const times = lines.slice(1).map((l) => l.split(',')).filter((c) => Number(c[workers]) === ranks && Number(c[node]) === perNode && Number(c[size]) === bytes)
    .map((c) => Number(c[medianAt]) * 1e3);
  if (times.length === 0) throw new InputError(`${shown}: no row for ${ranks} ranks, ${perNode} per node, ${bytes} bytes`);
  return times.reduce((a, b) => a + b, 0) / times.length;
}

/** moesim's all-reduce time (µs) of `bytes` over `ranks` GPUs, `perNode` per DGX server (the default algorithm). */
export function dgxGroupAllReduceUs(gpu: VidurGpu, ranks: number, perNode: number, bytes: number): number {
  const servers = ranks / perNode;
  const cluster = topology.buildCluster({ preset: gpu === 'h100' ? 'dgx-h100' : 'dgx-a100', servers });
  const group = Array.from({ length: ranks }, (_, r) => Math.floor(r / perNode) * (cluster.devices / servers) + (r % perNode));
  const plan = topology.planCollective('allreduce', topology.defaultCollectiveAlgorithm('allreduce', group, cluster), group, bytes, cluster);
  const sim = new Simulator();
  return topology.simulateCollective(sim, topology.createAnalyticalNetwork(sim, cluster), plan) / 1e3;
}

const INTER_NODE_GAP: KnownGap = {
  band: [-0.33, -0.23],
  reason: 'Vidur\'s two-server rows are slower than the catalog\'s 8 × 200 Gb/s HDR rails allow: its 2-rank, one-per-server row moves 64 MiB in 11.4 ms (5.9 GB/s, a quarter of one HDR port), so its profiling nodes were not joined as a DGX SuperPOD is (their NICs and transport are not published); moesim\'s ring crosses the servers on one rail (5.2 ms)',
};

/** NCCL on 2 or 4 GPUs of an NVSwitch server reaches less of NVLink than on 8 (where H100 also uses NVLink SHARP). */
const FEW_RANKS = 'the NVLink efficiency is fitted to 8-rank all-reduces (one figure per generation: on H100 it folds in NVLink SHARP, which NCCL uses at 8 ranks); NCCL\'s 2- and 4-rank all-reduces reach less of the line rate (Vidur, H100 busbw: 274 GB/s at 2 ranks, 365 at 8), so moesim is fast on few ranks';
const fewRanks = (band: readonly [number, number]): KnownGap => ({ band, reason: FEW_RANKS });

function allReduceCase(gpu: VidurGpu, ranks: number, perNode: number, gap?: KnownGap): ValidationCase {
  const servers = ranks / perNode;
  const measured = (): number => vidurAllReduceUs(gpu, ranks, perNode, BYTES);
  return {
    id: `vidur-${gpu}-allreduce-${ranks}ranks-${servers}node${servers > 1 ? 's' : ''}-64mib`, paper: 'Vidur NCCL',
    source: `Vidur profiling data (microsoft/vidur at 7d475133), data/vidur-profiling/network/${gpu}_dgx/all_reduce.csv`,
    what: `NCCL all-reduce of 64 MiB over ${ranks} GPUs, ${perNode} per DGX ${gpu.toUpperCase()} server${servers > 1 ? `, ${servers} servers` : ''}`,
    unit: 'µs',
    // Read from the data file when judged (evaluateCase reads `published` inside its guard).
    get published(): number {
      return measured();
    },
    get publishedText(): string {
      return `${measured().toFixed(1)} µs (${gpu.toUpperCase()})`;
    },
    tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out', scope: 'component', experiments: [],
    ...(gap !== undefined ? { knownGap: gap } : {}),
    measure: () => dgxGroupAllReduceUs(gpu, ranks, perNode, BYTES),
  };
}

/** 2 and 4 GPUs of one server on H100 and A100; 16 GPUs over two A100 servers (held out: none was fitted to). */
export const VIDUR_COLLECTIVE_CASES: ValidationCase[] = [
  allReduceCase('h100', 2, 2, fewRanks([-0.35, -0.25])),
  allReduceCase('h100', 4, 4, fewRanks([-0.22, -0.12])),
  allReduceCase('a100', 2, 2, fewRanks([-0.19, -0.09])),
  allReduceCase('a100', 4, 4),
  allReduceCase('a100', 16, 8, INTER_NODE_GAP),
];
