// What running a step program on the engine produces: the step time, per-device time accounting and trace spans.
import type { TimeNs } from '../engine/index.ts';
import type { CommCategory, ComputeCategory, ComputePass } from '../workloads/index.ts';
import type { LinkTimeline } from './link-timeline.ts';
import type { TrafficMatrix } from './traffic-matrix.ts';

/**
 * One interval on a device's timeline: a kernel, a collective the device waits in, waiting for the collective's
 * other members (or a pipeline neighbour), or a collective running in the background (async-comm: gradient
 * reduction overlapped with backward).
 */
export interface Span {
  device: number;
  name: string;
  kind: 'compute' | 'comm' | 'wait' | 'async-comm';
  category: ComputeCategory | CommCategory;
  /** A kernel's pass (compute spans only). */
  pass?: ComputePass;
  startNs: TimeNs;
  endNs: TimeNs;
}

export interface DeviceAccounting {
  /** Kernel time by category. */
  computeNs: Record<string, TimeNs>;
  /** The same kernel time by pass (forward, recompute, backward, wgrad, optimizer). */
  computeByPassNs: Record<string, TimeNs>;
  /** Time inside collectives once every member had arrived, by kind. */
  commNs: Record<string, TimeNs>;
  /** Time spent at a collective waiting for slower members to arrive (load imbalance, stragglers). */
  waitNs: TimeNs;
  /** Time waiting to receive activations or gradients from a pipeline neighbour (the pipeline bubble). */
  bubbleNs: TimeNs;
  /** Time kernels lost running slower while a collective ran in the background on the device (chip overlapSlowdown). */
  overlapSlowdownNs: TimeNs;
  finishNs: TimeNs;
}

export interface CommBytes {
  total: number;
  intraServer: number;
  interServer: number;
}

/** What one link carried over the step. */
export interface LinkStats {
  name: string;
  kind: string;
  /** Effective bandwidth (line rate × efficiency × fault factor), bytes/s per direction. */
  bandwidth: number;
  bytes: number;
  /** bytes / (bandwidth × step time). */
  meanUtilisation: number;
  /** Highest instantaneous rate / bandwidth (the analytical model can exceed 1 where phases overlap). */
  peakUtilisation: number;
}

export interface ExecutionResult {
  stepTimeNs: TimeNs;
  /** The chain of kernels and collectives that set the step time, walked back from the last device to finish. */
  criticalPath?: { device: number; computeNs: Record<string, number>; computeByPassNs: Record<string, number>; commNs: Record<string, number>; gapNs: number; segments: number };
  devices: DeviceAccounting[];
  spans: Span[];
  commBytes: CommBytes;
  commBytesByCategory: Record<string, CommBytes>;
  /** Collective algorithm used for each kind of collective (e.g. ep-dispatch: hierarchical). */
  algorithms: Record<string, string>;
  /** Bytes sent between devices (or servers, or groups of servers) by every collective transfer (recordTraffic). */
  traffic?: TrafficMatrix;
  /** The busiest links' rate over time for the trace (recordLinkTimeline). */
  linkTimeline?: LinkTimeline;
  /** Bytes carried per link id (an inter-server flow counts on every link of its path). */
  linkBytes: Float64Array;
  /** Every link that carried bytes, most bytes first (ties: lower link id). */
  links: LinkStats[];
  /** Utilisation over time of the busiest links: `bucketNs`-wide buckets from 0 to the step's end. */
  utilisationOverTime: { bucketNs: number; links: { name: string; utilisation: number[] }[] };
  eventsProcessed: number;
}
