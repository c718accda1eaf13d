// moesim's all-reduce on one DGX server (8 GPUs on NVSwitch, catalog/systems/dgx-{h100,a100}.yaml) against
// Vidur's NCCL measurements (data/vidur-profiling/network/<gpu>_dgx/all_reduce.csv, 8 ranks, one node). Vidur's
// `size` is the all-reduced buffer in BYTES (fp16 elements × 2; data/vidur-profiling/README.md gives the evidence)
// and its time is the NCCL kernel's duration on rank 0, without launch latency.
//
// Rows: three large sizes where bandwidth dominates (16, 32, 64 MiB) and the small sizes where latency dominates
// (≤ 64 KiB: their single rows are bimodal, about 20 or 37 µs on H100, so the row is the median over those sizes,
// compared with moesim at 32 KiB). NVLink's efficiency and the per-message latency in catalog/systems are fitted to
// the small-size and 64 MiB rows (fitDgxAllReduce: calibration); the 16 and 32 MiB rows are held out.
import { join } from 'node:path';
import { InputError, Simulator, median } from '../../engine/index.ts';
import type { VidurGpu } from '../../kernels/index.ts';
import { csvWithHeader, readDataFile, vidurDataDirectory } from '../../kernels/index.ts';
import * as topology from '../../topology/index.ts';

export interface AllReduceRow {
  description: string;
  /** Buffer bytes moesim simulates (the small-size row: 32 KiB). */
  bytes: number;
  role: 'bandwidth' | 'latency';
  predictedUs: number;
  measuredUs: number;
  /** predicted / measured − 1. */
  error: number;
  /** nccl-tests bus bandwidth of both, GB/s (2·(n−1)/n · bytes / time). */
  predictedBusGBps: number;
  measuredBusGBps: number;
  /** A row the catalog's NVLink efficiency and message latency are fitted to (fitDgxAllReduce); the others are held out. */
  calibration: boolean;
}

const RANKS = 8;
const MiB = 2 ** 20;
const LARGE_SIZES = [16 * MiB, 32 * MiB, 64 * MiB];
const SMALL_LIMIT = 64 * 1024;
const SMALL_PROBE = 32 * 1024;

/** Vidur's median all-reduce time (µs) by buffer bytes, 8 ranks on one node; repeated sizes averaged. */
export function readVidurAllReduce(gpu: VidurGpu, directory: string = vidurDataDirectory()): Map<number, number> {
  const path = join(directory, 'network', `${gpu}_dgx`, 'all_reduce.csv');
  const { text, shown } = readDataFile(path, "Vidur's all-reduce data");
  const { lines, header, column } = csvWithHeader(text, shown);
  const [workers, perNode, size, medianAt] = ['num_workers', 'devices_per_node', 'size', 'time_stats.all_reduce.median'].map(column) as [number, number, number, number];
  const sums = new Map<number, [number, number]>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',');
    if (cells.length !== header.length) throw new InputError(`${shown}:${i + 2}: expected ${header.length} cells, got ${cells.length}`);
    if (Number(cells[workers]) !== RANKS || Number(cells[perNode]) !== RANKS) return;
    const bytes = Number(cells[size]);
    const ms = Number(cells[medianAt]);
    if (!(bytes > 0) || !(ms > 0)) throw new InputError(`${shown}:${i + 2}: size "${cells[size]}" and median "${cells[medianAt]}" must be positive numbers`);
    const [sum, count] = sums.get(bytes) ?? [0, 0];
    sums.set(bytes, [sum + ms * 1e3, count + 1]);
  });
  return new Map([...sums].map(([bytes, [sum, count]]) => [bytes, sum / count]));
}

/** moesim's all-reduce time (µs) of `bytes` over the 8 GPUs of one DGX server (the default algorithm: ring). */
export function dgxAllReduceUs(gpu: VidurGpu, bytes: number, system?: topology.SystemOverrides): number {
  const cluster = topology.buildCluster({ preset: gpu === 'h100' ? 'dgx-h100' : 'dgx-a100', servers: 1, ...(system !== undefined ? { overrides: { system } } : {}) });
  const group = Array.from({ length: cluster.devices }, (_, d) => d);
  const plan = topology.planCollective('allreduce', topology.defaultCollectiveAlgorithm('allreduce', group, cluster), group, bytes, cluster);
  const sim = new Simulator();
  return topology.simulateCollective(sim, topology.createAnalyticalNetwork(sim, cluster), plan) / 1e3;
}

const busGBps = (bytes: number, us: number): number => topology.busBandwidth('allreduce', RANKS, bytes, us / 1e6) / 1e9;

/** Vidur's small-size (latency-bound) figure: the median time over its sizes ≤ 64 KiB, and how many sizes that is. */
function smallSizesMedian(measured: Map<number, number>): { us: number; sizes: number } {
  const small = [...measured].filter(([bytes]) => bytes <= SMALL_LIMIT);
  return { us: median(small.map(([, us]) => us)), sizes: small.length };
}

/** The compared rows for one DGX server: 16, 32 and 64 MiB, and the small-size (latency) row. */
export function vidurDgxAllReduceRows(gpu: VidurGpu): AllReduceRow[] {
  const measured = readVidurAllReduce(gpu);
  const system = `DGX ${gpu.toUpperCase()}`;
  const rows = LARGE_SIZES.map((bytes): AllReduceRow => {
    const m = measured.get(bytes);
    if (m === undefined) throw new Error(`Vidur's ${gpu}_dgx all-reduce data has no ${bytes}-byte row`);
    const p = dgxAllReduceUs(gpu, bytes);
    return {
      description: `all-reduce of ${bytes / MiB} MiB over the 8 GPUs of one ${system} (bandwidth-bound)`, bytes, role: 'bandwidth',
      predictedUs: p, measuredUs: m, error: p / m - 1, predictedBusGBps: busGBps(bytes, p), measuredBusGBps: busGBps(bytes, m), calibration: bytes === 64 * MiB,
    };
  });
  const { us: m, sizes } = smallSizesMedian(measured);
  const p = dgxAllReduceUs(gpu, SMALL_PROBE);
  rows.push({
    description: `all-reduce of small buffers over the 8 GPUs of one ${system} (latency-bound): Vidur's median over its ${sizes} sizes ≤ 64 KiB, moesim at 32 KiB`,
    bytes: SMALL_PROBE, role: 'latency', predictedUs: p, measuredUs: m, error: p / m - 1,
    predictedBusGBps: busGBps(SMALL_PROBE, p), measuredBusGBps: busGBps(SMALL_PROBE, m), calibration: true,
  });
  return rows;
}

export interface DgxAllReduceFit {
  gpu: VidurGpu;
  /** Fitted NVLink efficiency (achieved / line rate) and per-message latency (s): the catalog's figures. */
  nvlinkEfficiency: number;
  messageLatency_s: number;
  /** The calibration rows the two were solved from, and the catalog's current figures for comparison. */
  calibrationRows: string[];
  description: string;
}

/**
 * The DGX generation's NVLink efficiency and per-message latency, solved from two calibration rows: the small-size
 * (latency-bound) row and the 64 MiB (bandwidth-bound) row; 16 and 32 MiB stay held out. moesim's ring all-reduce
 * is 2·(n − 1) phases, each costing the message latency + its path latency + its busiest link's bytes / (line
 * rate × efficiency), so a row's time is 14·m + L + B(bytes) / e with L and B read off moesim at m = 0, e = 1:
 * two rows, two unknowns. What NCCL does that the model lacks (tree and LL protocols at small sizes, NVLS in-switch
 * reduction on H100) is folded into the two figures: one per hardware generation, never per case.
 */
export function fitDgxAllReduce(gpu: VidurGpu): DgxAllReduceFit {
  const preset = gpu === 'h100' ? 'dgx-h100' : 'dgx-a100';
  // moesim with no message latency and NVLink at its line rate (a catalog without an efficiency figure is at 1).
  const unfitted: topology.SystemOverrides = topology.getSystem(preset).intraServer.link.efficiency !== undefined
    ? { messageLatency: 0, intraServer: { link: { efficiency: 1 } } } : { messageLatency: 0 };
  const plain = (bytes: number): number => dgxAllReduceUs(gpu, bytes, unfitted);
  const measured = readVidurAllReduce(gpu);
  const small = smallSizesMedian(measured).us;
  const t64 = measured.get(64 * MiB) as number;
  const steps = 2 * (RANKS - 1);
  // plain(b) = L + B(b): the path latencies L are bytes-independent; B(small) is the small probe's bandwidth term.
  const zero = plain(0.5);
  const bandwidthSmall = plain(SMALL_PROBE) - zero;
  const bandwidth64 = plain(64 * MiB) - zero;
  // small = 14·m + L + B_s / e and t64 = 14·m + L + B_64 / e.
  const inverseEfficiency = (t64 - small) / (bandwidth64 - bandwidthSmall);
  const messageLatencyUs = (small - zero - bandwidthSmall * inverseEfficiency) / steps;
  return {
    gpu, nvlinkEfficiency: 1 / inverseEfficiency, messageLatency_s: messageLatencyUs / 1e6,
    calibrationRows: ['the small-size row (median over sizes ≤ 64 KiB)', 'the 64 MiB row'],
    description: `${preset}: NVLink efficiency and per-message latency solved from Vidur's small-size and 64 MiB all-reduce rows (8 ranks); 16 and 32 MiB held out`,
  };
}
