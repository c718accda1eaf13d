// Network models are chosen by name through their registry (src/topology/network/registry.ts): every name has an
// entry that builds a model of that kind, the schema and flags accept exactly the registry's names, and no source
// file outside the registry compares or spells out the model names (the check greps src/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/index.ts';
import { NETWORK_MODELS, buildCluster, networkModel } from '../../src/topology/index.ts';
import { listSourceFiles } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

describe('network model registry', () => {
  it('builds, for every name, a model of that kind that moves a phase in the time it says', () => {
    const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });
    for (const name of NETWORK_MODELS) {
      const sim = new Simulator();
      const model = networkModel(name).create(sim, cluster);
      expect(model.kind).toBe(name);
      const flows = [{ src: 0, dst: 8, bytes: 64e6 }, { src: 1, dst: 2, bytes: 16e6 }];
      const expected = model.phaseDuration(flows);
      let done = -1;
      model.transfer(flows, 'phase').onDone(() => { done = sim.now; });
      sim.run();
      expect(done).toBe(expected);
      expect(model.linkBytes().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
  });

  it('says which models count contention and which let the executor fuse events', () => {
    expect(NETWORK_MODELS.map((n) => [n, networkModel(n).capabilities])).toEqual([
      ['analytical', { contention: false, orderIndependent: true }],
      ['flow', { contention: true, orderIndependent: false }],
    ]);
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
