// The network-model interface shared by every back end (analytical now, flow-level later): a phase is a set
// of concurrent flows between devices that starts now and completes when all of them have finished.
import type { TimeNs, Waitable } from '../engine/index.ts';
import type { Cluster } from './cluster-types.ts';

/** `bytes` from device `src` to device `dst`. src === dst is a local copy and costs nothing on the network. */
export interface Flow {
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
}

export interface NetworkModel {
  readonly kind: 'analytical' | 'flow';
  readonly cluster: Cluster;
  /** Starts a phase of concurrent flows at the simulator's current time; the Waitable fires when all finish. */
  transfer(flows: readonly Flow[], label: string): Waitable<void>;
  /** The cost of the phase in this model, without running it (for planning and tests). */
  phaseDuration(flows: readonly Flow[]): TimeNs;
  /** Bytes carried per link id so far (a copy). */
  linkBytes(): Float64Array;
}
