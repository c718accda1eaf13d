// Routers are run by their execution trait (src/routing/registry.ts: dispatch, merged or dense), never by name: the
// composition asks `router.execution`, every router declares a trait the step knows how to run, and no source file
// outside src/routing compares a router's name (the check greps src/).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROUTER_EXECUTIONS, routerExecution, routerNames } from '../../src/routing/index.ts';
import { loadScenarioFile, resolveScenario, validateScenarioObject } from '../../src/sim/index.ts';
import type { Scenario } from '../../src/sim/index.ts';
import { isMoeLayer } from '../../src/workloads/index.ts';
import { listSourceFiles } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const base = loadScenarioFile(fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url)));

function withRouter(name: string, parallelism: Partial<Scenario['parallelism']> = {}): Scenario {
  return validateScenarioObject({ ...base, router: { name }, parallelism: { ...base.parallelism, ...parallelism } }, 'test');
}

describe('router execution traits', () => {
  it('gives every registered router a trait the step can run', () => {
    for (const name of routerNames()) expect(ROUTER_EXECUTIONS).toContain(routerExecution(name));
    expect(routerNames().filter((n) => routerExecution(n) === 'dispatch').length).toBeGreaterThan(5);
  });

  it('resolves by trait: a dense router runs a model without MoE layers, a merged one needs ep = 1', () => {
    for (const name of routerNames()) {
      const execution = routerExecution(name);
      if (execution === 'merged') {
        expect(() => resolveScenario(withRouter(name))).toThrow(/parallelism\.ep: .* set ep = 1/);
        expect(resolveScenario(withRouter(name, { ep: 1 })).router.execution).toBe('merged');
        continue;
      }
      const resolved = resolveScenario(withRouter(name));
      expect(resolved.router.execution).toBe(execution);
      const moeLayers = Array.from({ length: resolved.model.layers }, (_, l) => isMoeLayer(resolved.model, l)).filter(Boolean).length;
      if (execution === 'dense') expect(moeLayers, name).toBe(0);
      else expect(moeLayers, name).toBeGreaterThan(0);
    }
  });

  it('is the only place in src/ that compares router names', () => {
    const names = routerNames().map((n) => n.replace(/[-]/g, '\\-')).join('|');
    const compared = new RegExp(`\\b(name|router|routerName|versus)\\s*[!=]==\\s*'(${names})'|'(${names})'\\s*[!=]==\\s*\\w*(name|router|versus)\\b`, 'i');
    const offending: string[] = [];
    for (const file of listSourceFiles(srcDir)) {
      const where = relative(srcDir, file);
      if (where.startsWith('routing/')) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => { if (compared.test(line)) offending.push(`${where}:${i + 1}: ${line.trim()}`); });
    }
    expect(offending).toEqual([]);
    expect(compared.test("if (resolved.router.name === 'meo') return {};")).toBe(true);
  });
});
