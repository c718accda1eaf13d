// Network models are chosen by name through their registry (src/topology/network/registry.ts): every built-in model
// passes the exported contract suite (moesim/testing's checkNetworkModelContract), the suite catches models that break
// it, users can register their own, the scenario schema and flags accept exactly the registry's names, and no source
// file outside the registry compares or spells out the model names (the check greps src/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNetworkModelContract } from '../../src/testing.ts';
import type { NetworkModel, NetworkModelEntry } from '../../src/testing.ts';
import { NETWORK_MODELS, networkModel, networkModelNames, registerNetworkModel, unregisterNetworkModel } from '../../src/topology/index.ts';
import { listSourceFiles } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** A built-in entry with one thing changed, to show the contract catches it. */
function mutant(base: string, change: { capabilities?: Partial<NetworkModelEntry['capabilities']>; model?: (m: NetworkModel) => NetworkModel }): NetworkModelEntry {
  const entry = networkModel(base);
  return {
    ...entry,
    capabilities: { ...entry.capabilities, ...change.capabilities },
    create: (sim, cluster, options) => (change.model ?? ((m) => m))(entry.create(sim, cluster, options)),
  };
}

describe('network model registry', () => {
  it('has the built-in models first, the default first', () => {
    expect(networkModelNames().slice(0, NETWORK_MODELS.length)).toEqual([...NETWORK_MODELS]);
    expect(NETWORK_MODELS[0]).toBe('analytical');
  });

  it.each(NETWORK_MODELS)('%s passes the contract suite', (name) => {
    expect(() => checkNetworkModelContract(networkModel(name), { numRuns: 30 })).not.toThrow();
  });

  it('catches models that break the contract, naming the property', () => {
    const cases: [NetworkModelEntry, RegExp][] = [
      [mutant('analytical', { capabilities: { startFlow: false } }), /startFlow exactly when declared/],
      [mutant('flow', { capabilities: { contention: false } }), /contention not declared/],
      [mutant('analytical', { model: (m) => Object.assign(Object.create(m) as NetworkModel, { phaseDuration: (f: Parameters<NetworkModel['phaseDuration']>[0]) => m.phaseDuration(f) + 1 }) }), /finishes at its phaseDuration|cost nothing/],
      [mutant('flow', { model: (m) => Object.assign(Object.create(m) as NetworkModel, { linkBytes: () => m.linkBytes().map((b) => b / 2) }) }), /every link of its route/],
    ];
    for (const [entry, property] of cases) expect(() => checkNetworkModelContract(entry, { numRuns: 10 })).toThrow(property);
  });

  it('takes a user\'s model by name once registered, refuses duplicates and bad names, and lists it in errors', () => {
    const entry = { ...networkModel('analytical'), name: 'my-model', create: networkModel('analytical').create };
    expect(() => networkModel('my-model')).toThrow(/network model "my-model" is unknown; accepted: analytical, flow/);
    registerNetworkModel(entry);
    try {
      expect(networkModel('my-model')).toBe(entry);
      expect(networkModelNames()).toEqual(['analytical', 'flow', 'my-model']);
      expect(() => registerNetworkModel(entry)).toThrow(/exists already/);
      expect(() => registerNetworkModel({ ...entry, name: 'Bad Name' })).toThrow(/lower-case/);
      expect(() => unregisterNetworkModel('flow')).toThrow(/built in/);
      expect(() => registerNetworkModel({ ...entry, name: 'lone-flows', capabilities: { contention: true, orderIndependent: false, startFlow: true } })).toThrow(/declares startFlow and contention/);
    } finally {
      unregisterNetworkModel('my-model');
    }
    expect(networkModelNames()).toEqual([...NETWORK_MODELS]);
  });

  it('is the only place in src/ that tests or lists network model names', () => {
    const offending: string[] = [];
    const pattern = /[!=]==\s*'(analytical|flow)'|'(analytical|flow)'\s*[!=]==|'analytical'\s*\|\s*'flow'|\['analytical',\s*'flow'\]/;
    for (const file of listSourceFiles(srcDir)) {
      const where = relative(srcDir, file);
      if (where === 'topology/network/types.ts' || where === 'topology/network/registry.ts') continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => { if (pattern.test(line)) offending.push(`${where}:${i + 1}: ${line.trim()}`); });
    }
    expect(offending).toEqual([]);
  });
});
