// The network-model contract: fast-check properties every NetworkModel must satisfy, runnable against the built-in
// models and a user's own (exported through moesim/testing). A phase alone finishes at its phaseDuration; local copies
// and empty flows cost nothing; more bytes never take less time; every flow's bytes cross every link of its route, and
// the link activity accounts for them; a packed phase costs what its flows cost; the same phases give the same times;
// invalid flows throw naming the transfer; and each declared capability holds (contention, order independence,
// startFlow). `checkNetworkModelContract` throws with the property's name and a shrunk counterexample.
import fc from 'fast-check';
import { Simulator } from '../../../engine/index.ts';
import { buildCluster } from '../../cluster/builder.ts';
import type { Cluster } from '../../cluster/types.ts';
import { hierarchicalAllToAllVPacked } from '../../collectives/alltoall.ts';
import { packedPhaseCount, unpackPhase } from '../../collectives/packed-plan.ts';
import type { NetworkModelEntry } from '../registry.ts';
import type { Flow, NetworkModel } from '../types.ts';
import { expectedLinkBytes, firstMismatch, matrixArbitrary, phaseArbitrary, runPhases } from './contract-runs.ts';

export interface NetworkContractOptions {
  /** Cases per property (default 25). */
  numRuns?: number;
  /** fast-check seed, so a failure reproduces (default 1). */
  seed?: number;
  /** The cluster the phases run on (default: two Atlas 800T A2 servers, 16 NPUs over HCCS and RoCE). */
  cluster?: Cluster;
  /** Most flows in one random phase (default 12). */
  maxFlows?: number;
}

const fail = (what: string): never => {
  throw new Error(what);
};

/** One property of the contract, whatever its generated values. */
export type NetworkContractProperty = fc.IProperty<unknown[]>;
const asContract = <T extends unknown[]>(p: fc.IProperty<T>): NetworkContractProperty => p as unknown as NetworkContractProperty;

/** The contract's properties for one model, by name (fast-check properties; run them with fc.assert or fc.check). */
export function networkContractProperties(entry: NetworkModelEntry, options: NetworkContractOptions = {}): Record<string, NetworkContractProperty> {
  const cluster = options.cluster ?? buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
  const ctx: ContractContext = {
    entry, cluster, phase: phaseArbitrary(cluster, options.maxFlows ?? 12), fresh: () => entry.create(new Simulator(), cluster, { recordActivity: true }),
  };
  return { ...behaviourProperties(ctx), ...capabilityProperties(ctx) };
}

/** What every property needs: the model's entry, the cluster, random phases on it, and a fresh model. */
interface ContractContext {
  entry: NetworkModelEntry;
  cluster: Cluster;
  phase: fc.Arbitrary<Flow[]>;
  fresh: () => NetworkModel;
}

/** What every model does, whatever it declares. */
function behaviourProperties({ entry, cluster, phase, fresh }: ContractContext): Record<string, NetworkContractProperty> {
  const { capabilities } = entry;
  const perServer = Math.min(cluster.system.devicesPerServer, cluster.devices);
  const group = Array.from({ length: perServer * Math.min(2, Math.floor(cluster.devices / perServer)) }, (_, i) => i);
  return {
    'builds a model of its own kind on the given cluster, with startFlow exactly when declared': asContract(fc.property(fc.constant(null), () => {
      const model = fresh();
      if (model.kind !== entry.name) fail(`kind is "${model.kind}", the entry is "${entry.name}"`);
      if (model.cluster !== cluster) fail('model.cluster is not the cluster it was built on');
      if ((typeof model.startFlow === 'function') !== capabilities.startFlow) fail(`capabilities.startFlow is ${capabilities.startFlow} but startFlow is ${typeof model.startFlow}`);
    })),
    'a phase alone finishes at its phaseDuration, a whole number of ns': asContract(fc.property(phase, (flows) => {
      const expected = fresh().phaseDuration(flows);
      if (!Number.isSafeInteger(expected) || expected < 0) fail(`phaseDuration is ${expected}`);
      const run = runPhases(entry, cluster, [{ atNs: 0, label: 'alone', flows }]);
      if (run.finishNs[0] !== expected) fail(`finished at ${run.finishNs[0]} ns, phaseDuration said ${expected} ns`);
    })),
    'local copies and empty flows cost nothing': asContract(fc.property(phase, (flows) => {
      const free = flows.map((f, i) => (i % 2 === 0 ? { ...f, dst: f.src } : { ...f, bytes: 0 }));
      const d = fresh().phaseDuration(free);
      if (d !== 0) fail(`a phase of local copies and zero-byte flows costs ${d} ns`);
    })),
    'more bytes never take less time': asContract(fc.property(phase, (flows) => {
      const model = fresh();
      const once = model.phaseDuration(flows);
      const twice = model.phaseDuration(flows.map((f) => ({ ...f, bytes: f.bytes * 2 })));
      if (twice < once) fail(`doubling every flow's bytes took ${twice} ns, less than ${once} ns`);
    })),
    'every flow\'s bytes cross every link of its route, and the link activity accounts for them': asContract(fc.property(phase, phase, (a, b) => {
      const run = runPhases(entry, cluster, [{ atNs: 0, label: 'a', flows: a }, { atNs: 1000, label: 'b', flows: b }]);
      const linkMiss = firstMismatch(run.linkBytes, expectedLinkBytes(cluster, [...a, ...b]));
      if (linkMiss) fail(`linkBytes: ${linkMiss} expected`);
      const activityMiss = firstMismatch(run.activityBytes, run.linkBytes, 1e-6);
      if (activityMiss) fail(`linkActivity().bytes: ${activityMiss} in linkBytes`);
    })),
    'a packed phase costs what its flows cost': asContract(fc.property(matrixArbitrary(group.length), (matrix) => {
      const plan = hierarchicalAllToAllVPacked(group, matrix, cluster);
      for (let p = 0; p < packedPhaseCount(plan); p++) {
        const packed = runPhases(entry, cluster, [{ atNs: 0, label: 'packed', packed: plan, phase: p }]);
        const flows = runPhases(entry, cluster, [{ atNs: 0, label: 'flows', flows: unpackPhase(plan, p) }]);
        if (packed.finishNs[0] !== flows.finishNs[0]) fail(`phase ${p}: packed ${packed.finishNs[0]} ns, unpacked ${flows.finishNs[0]} ns`);
        const miss = firstMismatch(packed.linkBytes, flows.linkBytes);
        if (miss) fail(`phase ${p}: packed linkBytes ${miss} unpacked`);
      }
    })),
    'the same phases give the same times and bytes': asContract(fc.property(phase, phase, (a, b) => {
      const phases = [{ atNs: 0, label: 'a', flows: a }, { atNs: 0, label: 'b', flows: b }, { atNs: 5000, label: 'a again', flows: a }];
      const one = runPhases(entry, cluster, phases);
      const two = runPhases(entry, cluster, phases);
      if (one.finishNs.join() !== two.finishNs.join()) fail(`finish times ${one.finishNs.join(', ')} then ${two.finishNs.join(', ')}`);
      const miss = firstMismatch(one.linkBytes, two.linkBytes, 0);
      if (miss) fail(`linkBytes ${miss}`);
    })),
    'invalid flows throw, naming the transfer': asContract(fc.property(fc.constantFrom(
      { src: 0, dst: cluster.devices, bytes: 1 }, { src: -1, dst: 0, bytes: 1 }, { src: 0, dst: 1, bytes: Number.NaN }, { src: 0, dst: 1, bytes: -1 },
    ), (bad) => {
      let message = '';
      try {
        fresh().transfer([bad], 'contract probe');
      } catch (err) {
        message = err instanceof Error ? err.message : String(err);
      }
      if (!message.includes('contract probe')) fail(`transfer of ${JSON.stringify(bad)} ${message ? `threw "${message}"` : 'did not throw'}, not naming the transfer`);
    })),
  };
}

/** What a model declares: contention or none, order independence, a single-flow path. */
function capabilityProperties({ entry, cluster, phase, fresh }: ContractContext): Record<string, NetworkContractProperty> {
  const { capabilities } = entry;
  return {
    [`contention ${capabilities.contention ? 'declared: two copies of a phase started together finish no earlier than one alone' : 'not declared: concurrent phases each finish as if alone'}`]: asContract(fc.property(phase, (flows) => {
      const alone = fresh().phaseDuration(flows);
      const run = runPhases(entry, cluster, [{ atNs: 0, label: 'one', flows }, { atNs: 0, label: 'two', flows }]);
      for (const t of run.finishNs) {
        if (capabilities.contention ? t < alone : t !== alone) fail(`a copy finished at ${t} ns; alone the phase takes ${alone} ns`);
      }
    })),
    ...(capabilities.orderIndependent ? {
      'order independence declared: phases started at one instant finish the same in either order': asContract(fc.property(phase, phase, (a, b) => {
        const ab = runPhases(entry, cluster, [{ atNs: 0, label: 'a', flows: a }, { atNs: 0, label: 'b', flows: b }]).finishNs;
        const ba = runPhases(entry, cluster, [{ atNs: 0, label: 'b', flows: b }, { atNs: 0, label: 'a', flows: a }]).finishNs;
        if (ab[0] !== ba[1] || ab[1] !== ba[0]) fail(`a, b finished at ${ab.join(', ')} ns; b, a at ${ba[1]}, ${ba[0]} ns`);
      })),
    } : {}),
    ...(capabilities.startFlow ? {
      'startFlow declared: only without contention; a lone flow costs what its phase costs and crosses its route': asContract(fc.property(phase, (flows) => {
        if (capabilities.contention) fail('startFlow and contention are both declared: a lone flow\'s cost is fixed at its start only without contention');
        const f = flows[0]!;
        const sim = new Simulator();
        const model = entry.create(sim, cluster, { recordActivity: true });
        const startFlow = model.startFlow?.bind(model);
        const d = startFlow?.(f.src, f.dst, f.bytes, 'lone flow') ?? -1;
        if (d !== model.phaseDuration([f])) fail(`startFlow returned ${d} ns, phaseDuration ${model.phaseDuration([f])} ns`);
        sim.scheduleCall(d, () => undefined, null); // the caller's completion event, as the executor schedules it
        sim.run();
        const miss = firstMismatch(model.linkBytes(), expectedLinkBytes(cluster, [f]));
        if (miss) fail(`after startFlow, linkBytes: ${miss} expected`);
      })),
    } : {}),
  };
}

/** Check a network model against the whole contract; throws naming the failed property, with a shrunk counterexample. */
export function checkNetworkModelContract(entry: NetworkModelEntry, options: NetworkContractOptions = {}): void {
  for (const [name, property] of Object.entries(networkContractProperties(entry, options))) {
    const result = fc.check(property, { numRuns: options.numRuns ?? 25, seed: options.seed ?? 1 });
    if (result.failed) {
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : 'the property returned false';
      throw new Error(`network model "${entry.name}" breaks the contract: ${name}: ${cause}\n${fc.defaultReportMessage(result) ?? ''}`);
    }
  }
}
