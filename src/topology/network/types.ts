// The network-model interface shared by every back end (analytical and flow-level): a phase is a set
// of concurrent flows between devices that starts now and completes when all of them have finished.
import type { TimeNs, Waitable } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';
import type { LinkActivity } from './link-activity.ts';

/** `bytes` from device `src` to device `dst`. src === dst is a local copy and costs nothing on the network. */
export interface Flow {
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
  /** A later chunk of a message already under way on this connection (a pipelined plan): no per-message latency of its own. */
  readonly streamed?: boolean;
}

/** Per flow of a packed plan: its route's links (links[start[f]] … links[start[f+1]−1]), path latency, same server. */
export interface PackedRoutes {
  readonly start: Int32Array;
  readonly links: Int32Array;
  readonly latency: Float64Array;
  readonly intraServer: Uint8Array;
}

/**
 * A collective plan with its flows in parallel typed arrays, in plan order (collectives/packed-plan.ts). A zero-byte flow is no
 * flow (every consumer skips it), so a compiled plan can keep fixed slots (collectives/alltoall-staged.ts).
 */
export interface PackedPlan {
  /** Only the hierarchical all-to-all-v is built packed today. */
  readonly op: 'alltoall';
  readonly algo: string;
  readonly group: readonly number[];
  /** Phase p holds flows phaseStart[p] … phaseStart[p+1]−1; phaseStart has one entry more than there are phases. */
  readonly phaseStart: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly bytes: Float64Array;
  /** The flows' routes on the network's cluster, when the plan was compiled with them (cluster.route and friends). */
  readonly routes?: PackedRoutes | undefined;
  /** Per flow, 1 when it is a later chunk of a message already under way (Flow.streamed); absent: none is. */
  readonly streamed?: Uint8Array | undefined;
}

/** The built-in network models' names, the default first (registry.ts has an entry each; users may register more). */
export const NETWORK_MODELS = ['analytical', 'flow'] as const;
/** A network model's name: a built-in one, or one added with registerNetworkModel (registry.ts). */
export type NetworkModelName = string;

export interface NetworkModel {
  /** The name of the registry entry that built it. */
  readonly kind: NetworkModelName;
  readonly cluster: Cluster;
  /** Starts a phase of concurrent flows at the simulator's current time; the Waitable fires when all finish. */
  transfer(flows: readonly Flow[], label: string): Waitable<void>;
  /** transfer() of phase `phase` of a packed plan: the same result as transfer(unpackPhase(plan, phase), label). */
  transferPacked(plan: PackedPlan, phase: number, label: string): Waitable<void>;
  /**
   * Present exactly when the model's registry entry declares `capabilities.startFlow` (the analytical model; the
   * contract suite checks both ways; only a model without contention may declare it, since a lone flow's cost is
   * then fixed when it starts): transfer() of one flow without a Waitable. Records the phase from now and returns its duration;
   * the caller schedules its own completion event at now + duration (one event, as transfer()'s timeout would be).
   * Invalid flows throw naming `transfer "<label>"`; the label may be an object with a name (read only then: a
   * collective spec whose name is built when read).
   */
  readonly startFlow?: (src: number, dst: number, bytes: number, label: string | { readonly name: string }) => TimeNs;
  /** The cost of the phase in this model, without running it (for planning and tests). */
  phaseDuration(flows: readonly Flow[]): TimeNs;
  /**
   * Bytes that have crossed each link (by id) up to the simulator's now, a copy: the integral of
   * linkActivity() up to now. Every flow counts its bytes on every link of its route, so once all transfers
   * have finished link l holds Σ over flows routed through l of their bytes, in both models.
   */
  linkBytes(): Float64Array;
  /** Per-link rate intervals from time 0 to now (see link-activity.ts for each model's shape). */
  linkActivity(): LinkActivity;
}

/** One rate recomputation, for tests and diagnostics: per active entity its path, weight and rate. */
export interface FlowAllocation {
  /** When the rates took effect (ns, fractional in general). */
  readonly timeNs: number;
  readonly flows: readonly {
    /** Unique per flow entity over the model's life (entity slots are recycled; serials are not). */
    readonly serial: number;
    readonly path: readonly number[];
    readonly weight: number;
    /** The size of each of the `weight` merged flows. */
    readonly bytes: number;
    /** Per-flow rate (each of the `weight` merged flows gets this). */
    readonly bytesPerSecond: number;
    readonly remainingBytes: number;
  }[];
}

/** Called for each flow entity whose last byte has been sent, with that time rounded up to whole ns. */
export type FinishHandler = (entity: number, sentNs: TimeNs) => void;
