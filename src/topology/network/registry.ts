// The network models by name, in the style of the router registry: each entry says how to build the model and what
// it can do, so the scenario schema, the CLI, the executor and the benchmark choose a model by looking it up here,
// never by testing its name. Adding a built-in model: a folder with its class, an entry below, and the contract suite
// (network/contract/) in its tests; a user's own model: registerNetworkModel, and the same contract suite.
import type { Simulator } from '../../engine/index.ts';
import { InputError } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';
import { createAnalyticalNetwork } from './analytical/model.ts';
import { createFlowNetwork } from './flow/model.ts';
import { NETWORK_MODELS } from './types.ts';
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
  /** Lower-case letters, digits and hyphens; the scenario's `cluster.network` and the CLI flags use it. */
  readonly name: NetworkModelName;
  /** One line for --help and the docs. */
  readonly description: string;
  readonly create: (sim: Simulator, cluster: Cluster, options?: NetworkBuildOptions) => NetworkModel;
  readonly capabilities: NetworkCapabilities;
}

/** What a model declares it can do; the executor, the planner and the contract suite read these, never the name. */
export interface NetworkCapabilities {
  /** Concurrent transfers share links (contention between collectives is modelled). */
  readonly contention: boolean;
  /**
   * A phase's cost does not depend on the order in which transfers starting at the same instant are issued, so the
   * executor may fuse back-to-back kernels into one event and wake a finished collective's devices directly.
   */
  readonly orderIndependent: boolean;
  /**
   * The model costs a lone flow when it starts (`NetworkModel.startFlow`), so the executor sends point-to-point
   * transfers (pipeline activations and gradients) without a plan or a Waitable: one event each. Only a model
   * without contention may declare it.
   */
  readonly startFlow: boolean;
}

const BUILT_IN: readonly NetworkModelEntry[] = [
  {
    name: 'analytical',
    description: 'each phase costs its busiest link\'s bytes over that link\'s bandwidth plus latency; concurrent phases do not contend',
    create: (sim, cluster, options = {}) => createAnalyticalNetwork(sim, cluster, options),
    capabilities: { contention: false, orderIndependent: true, startFlow: true },
  },
  {
    name: 'flow',
    description: 'flow-level max-min fair sharing of every link among all concurrent flows (contention between collectives)',
    create: (sim, cluster, options = {}) => createFlowNetwork(sim, cluster, options.recordActivity === undefined ? {} : { recordActivity: options.recordActivity }),
    capabilities: { contention: true, orderIndependent: false, startFlow: false },
  },
];

const entries = new Map<NetworkModelName, NetworkModelEntry>(BUILT_IN.map((e) => [e.name, e]));

/** Every model's name: the built-in ones first (the default first), then those registered, in registration order. */
export function networkModelNames(): NetworkModelName[] {
  return [...entries.keys()];
}

/** The registry entry of a network model; an unknown name is an InputError listing the known ones. */
export function networkModel(name: NetworkModelName): NetworkModelEntry {
  const entry = entries.get(name);
  if (entry === undefined) throw new InputError(`network model "${name}" is unknown; accepted: ${networkModelNames().join(', ')}`, 'network');
  return entry;
}

/**
 * Add a network model (a user's own back end): from then on scenarios run in this thread may name it in
 * `cluster.network`. The registry is per thread: worker threads (a sweep with workers > 1) know the built-in models
 * only, and a multi-worker sweep refuses a registered one up front. Check the model first with
 * `checkNetworkModelContract` (moesim/testing). A name already taken, one that is not lower-case letters, digits and
 * hyphens, or startFlow declared together with contention, is refused.
 */
export function registerNetworkModel(entry: NetworkModelEntry): void {
  if (!/^[a-z][a-z0-9-]*$/.test(entry.name)) throw new Error(`registerNetworkModel: name "${entry.name}" must be lower-case letters, digits and hyphens`);
  if (entries.has(entry.name)) throw new Error(`registerNetworkModel: a network model named "${entry.name}" exists already`);
  if (entry.capabilities.startFlow && entry.capabilities.contention) throw new Error(`registerNetworkModel: "${entry.name}" declares startFlow and contention; a lone flow's cost is fixed at its start only without contention`);
  entries.set(entry.name, entry);
}

/** Remove a registered model (tests that add one clean up with this); the built-in models stay. */
export function unregisterNetworkModel(name: NetworkModelName): void {
  if ((NETWORK_MODELS as readonly string[]).includes(name)) throw new Error(`unregisterNetworkModel: "${name}" is built in`);
  entries.delete(name);
}
