// The network models by name, in the style of the router registry: each entry says how to build the model and what
// it can do, so the scenario schema, the CLI, the executor and the benchmark choose a model by looking it up here,
// never by testing its name. Adding a model: a file with its factory, an entry below, and the contract tests.
import type { Simulator } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';
import { createAnalyticalNetwork } from './analytical/model.ts';
import { createFlowNetwork } from './flow/model.ts';
import type { NetworkModel, NetworkModelName } from './types.ts';

export { NETWORK_MODELS } from './types.ts';
export type { NetworkModelName } from './types.ts';

/** What a step run asks of every model it builds. */
export interface NetworkBuildOptions {
  /** Record per-link rate intervals for linkActivity(); default true. */
  readonly recordActivity?: boolean;
  /** linkBytes() is read only once, after every phase has finished (a whole run); models may use that. */
  readonly finalLinkBytesOnly?: boolean;
}

export interface NetworkModelEntry {
  readonly name: NetworkModelName;
  /** One line for --help and the docs. */
  readonly description: string;
  readonly create: (sim: Simulator, cluster: Cluster, options?: NetworkBuildOptions) => NetworkModel;
  readonly capabilities: {
    /** Concurrent transfers share links (contention between collectives is modelled). */
    readonly contention: boolean;
    /**
     * A phase's cost does not depend on the order in which transfers starting at the same instant are issued, so the
     * executor may fuse back-to-back kernels into one event and wake a finished collective's devices directly.
     */
    readonly orderIndependent: boolean;
  };
}

const ENTRIES: Record<NetworkModelName, NetworkModelEntry> = {
  analytical: {
    name: 'analytical',
    description: 'each phase costs its busiest link\'s bytes over that link\'s bandwidth plus latency; concurrent phases do not contend',
    create: (sim, cluster, options = {}) => createAnalyticalNetwork(sim, cluster, options),
    capabilities: { contention: false, orderIndependent: true },
  },
  flow: {
    name: 'flow',
    description: 'flow-level max-min fair sharing of every link among all concurrent flows (contention between collectives)',
    create: (sim, cluster, options = {}) => createFlowNetwork(sim, cluster, options.recordActivity === undefined ? {} : { recordActivity: options.recordActivity }),
    capabilities: { contention: true, orderIndependent: false },
  },
};

/** The registry entry of a network model; names come from NETWORK_MODELS (schemas and flags check them first). */
export function networkModel(name: NetworkModelName): NetworkModelEntry {
  return ENTRIES[name];
}
