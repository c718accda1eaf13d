// The step's device-to-device traffic matrix: bytes every collective plan sends from each bin to each other (every
// transfer, staging hops of hierarchical algorithms included: the flows addPlanBytes counts), so its total equals
// commBytes.total. Bins are devices when there are at most 64, else servers when at most 64, else runs of
// consecutive servers (⌈servers / 64⌉ each), so the matrix is never more than 64 × 64. A packed plan is binned once
// into a sparse sum (plans are reused many times in a step) and added from there; plain plans flow by flow.
import type { Cluster, CollectivePlan, PackedPlan } from '../topology/index.ts';

/** Largest number of bins per side. */
export const MAX_TRAFFIC_BINS = 64;

export type TrafficBinLabel = 'device' | 'server' | 'server group';

/** Bytes sent from bin i (row) to bin j (column) over the step; the diagonal is traffic inside a bin. */
export interface TrafficMatrix {
  binLabel: TrafficBinLabel;
  /** Name of each bin: `d3`, `s3`, or `s0–s3` for a group of servers. */
  bins: string[];
  /** bytes[i][j]: bytes sent from bin i to bin j. */
  bytes: number[][];
}

/** Bin of each device, and the bins' names, for a cluster (see the header for the rule). */
export function trafficBins(cluster: Cluster): { binLabel: TrafficBinLabel; bins: string[]; binOf: Int32Array } {
  const devices = cluster.devices;
  const binOf = new Int32Array(devices);
  if (devices <= MAX_TRAFFIC_BINS) {
    for (let d = 0; d < devices; d++) binOf[d] = d;
    return { binLabel: 'device', bins: Array.from({ length: devices }, (_, d) => `d${d}`), binOf };
  }
  const servers = cluster.servers;
  const per = Math.ceil(servers / MAX_TRAFFIC_BINS);
  for (let d = 0; d < devices; d++) binOf[d] = Math.floor(cluster.serverOf(d) / per);
  if (per === 1) return { binLabel: 'server', bins: Array.from({ length: servers }, (_, s) => `s${s}`), binOf };
  const count = Math.ceil(servers / per);
  const bins = Array.from({ length: count }, (_, b) => {
    const first = b * per;
    const last = Math.min(servers, first + per) - 1;
    return first === last ? `s${first}` : `s${first}–s${last}`;
  });
  return { binLabel: 'server group', bins, binOf };
}

/** A packed plan's binned bytes: bin-pair indices (src bin × bins + dst bin) and their sums. */
interface SparseSum {
  index: Int32Array;
  bytes: Float64Array;
}

/** Accumulates the traffic matrix of one run. */
export class TrafficRecorder {
  readonly binLabel: TrafficBinLabel;
  readonly bins: string[];
  private readonly binOf: Int32Array;
  private readonly n: number;
  private readonly sums: Float64Array;
  private readonly scratch: Float64Array;
  /** Per recorder (its binning), not global: a plan is summed once per run that uses it. */
  private readonly packed = new WeakMap<PackedPlan, SparseSum>();

  constructor(cluster: Cluster) {
    const { binLabel, bins, binOf } = trafficBins(cluster);
    this.binLabel = binLabel;
    this.bins = bins;
    this.binOf = binOf;
    this.n = bins.length;
    this.sums = new Float64Array(this.n * this.n);
    this.scratch = new Float64Array(this.n * this.n);
  }

  /** One transfer (a device sending to itself moves nothing, as in commBytes). */
  addFlow(src: number, dst: number, bytes: number): void {
    if (src === dst || bytes === 0) return;
    const k = this.binOf[src]! * this.n + this.binOf[dst]!;
    this.sums[k] = this.sums[k]! + bytes;
  }

  /** Every transfer of a collective plan. */
  addPlan(plan: CollectivePlan | PackedPlan): void {
    if ('phases' in plan) {
      for (const phase of plan.phases) for (const flow of phase) this.addFlow(flow.src, flow.dst, flow.bytes);
      return;
    }
    let sparse = this.packed.get(plan);
    if (sparse === undefined) this.packed.set(plan, (sparse = this.bin(plan)));
    const { index, bytes } = sparse;
    for (let i = 0; i < index.length; i++) {
      const k = index[i]!;
      this.sums[k] = this.sums[k]! + bytes[i]!;
    }
  }

  /** The matrix by rows. */
  result(): TrafficMatrix {
    const n = this.n;
    return { binLabel: this.binLabel, bins: [...this.bins], bytes: Array.from({ length: n }, (_, i) => Array.from(this.sums.subarray(i * n, (i + 1) * n))) };
  }

  private bin(plan: PackedPlan): SparseSum {
    const scratch = this.scratch;
    const n = this.n;
    const end = plan.phaseStart[plan.phaseStart.length - 1]!;
    const touched: number[] = [];
    for (let f = plan.phaseStart[0]!; f < end; f++) {
      const src = plan.src[f]!;
      const dst = plan.dst[f]!;
      const bytes = plan.bytes[f]!;
      if (src === dst || bytes === 0) continue;
      const k = this.binOf[src]! * n + this.binOf[dst]!;
      if (scratch[k] === 0) touched.push(k);
      scratch[k] = scratch[k]! + bytes;
    }
    touched.sort((a, b) => a - b);
    const index = Int32Array.from(touched);
    const bytes = new Float64Array(index.length);
    for (let i = 0; i < index.length; i++) {
      bytes[i] = scratch[index[i]!]!;
      scratch[index[i]!] = 0;
    }
    return { index, bytes };
  }
}
