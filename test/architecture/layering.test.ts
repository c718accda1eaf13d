// The layering rules of DESIGN-GUIDE.md (and DESIGN.md): which module may import which, through index.ts
// only, tfjs only in src/routing, and no import cycles between modules or between files.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, moduleOf, parseImports } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** module → modules it may import; "type" means type-only imports are allowed, nothing else. */
const allowed: Record<string, Record<string, 'any' | 'type'>> = {
  engine: {},
  topology: { engine: 'any' },
  kernels: { engine: 'any', topology: 'type' },
  routing: { engine: 'any' },
  workloads: { engine: 'any', routing: 'any', kernels: 'any', topology: 'type' },
  execute: { engine: 'any', topology: 'any', workloads: 'any' },
  sim: { engine: 'any', topology: 'any', kernels: 'any', routing: 'any', workloads: 'any', execute: 'any' },
  studies: { engine: 'any', topology: 'any', kernels: 'any', routing: 'any', workloads: 'any', execute: 'any', sim: 'any' },
  report: { engine: 'any', sim: 'type', studies: 'type' },
  cli: { engine: 'any', topology: 'any', kernels: 'any', routing: 'any', workloads: 'any', execute: 'any', sim: 'any', studies: 'any', report: 'any' },
  '(root)': { engine: 'any', topology: 'any', kernels: 'any', routing: 'any', workloads: 'any', execute: 'any', sim: 'any', studies: 'any', report: 'any', cli: 'any' },
};

export function layeringViolations(edges: ReturnType<typeof parseImports>): string[] {
  const problems: string[] = [];
  for (const e of edges) {
    const fromModule = moduleOf(e.from);
    if (e.specifier.startsWith('@tensorflow/') && fromModule !== 'routing') problems.push(`${e.from}: imports ${e.specifier}; only src/routing may import tfjs`);
    if (!e.target) continue;
    const toModule = moduleOf(e.target);
    if (toModule === fromModule) continue;
    const rules = allowed[fromModule];
    if (!rules) {
      problems.push(`${e.from}: module "${fromModule}" has no layering rule; add it to DESIGN.md and this test`);
      continue;
    }
    const rule = rules[toModule];
    if (!rule) problems.push(`${e.from}: ${fromModule} → ${toModule} is forbidden (${e.specifier})`);
    else if (rule === 'type' && !e.typeOnly) problems.push(`${e.from}: ${fromModule} may import only types from ${toModule} (${e.specifier})`);
    if (toModule !== '(root)' && e.target !== `${toModule}/index.ts`) problems.push(`${e.from}: imports ${e.specifier}; other modules are reached only through ${toModule}/index.ts`);
  }
  return problems;
}

describe('layering', () => {
  const edges = parseImports(srcDir);

  it('finds the imports of the source tree', () => {
    expect(edges.length).toBeGreaterThan(50);
    expect(edges.some((e) => e.from === 'sim/index.ts')).toBe(true);
  });

  it('has no forbidden edge between modules', () => {
    expect(layeringViolations(edges)).toEqual([]);
  });

  it('catches a forbidden edge, a type-only breach, tfjs outside routing and a bypassed index.ts', () => {
    const planted = [
      { from: 'engine/simulator.ts', specifier: '../topology/index.ts', target: 'topology/index.ts', typeOnly: false },
      { from: 'kernels/gemm.ts', specifier: '../topology/index.ts', target: 'topology/index.ts', typeOnly: false },
      { from: 'sim/summary.ts', specifier: '@tensorflow/tfjs', target: undefined, typeOnly: false },
      { from: 'sim/summary.ts', specifier: '../routing/gate.ts', target: 'routing/gate.ts', typeOnly: false },
    ];
    expect(layeringViolations(planted)).toHaveLength(4);
  });

  it('keeps the worker pool generic: studies/worker-pool imports no study (each study passes its own task module)', () => {
    const fromPool = edges.filter((e) => e.from.startsWith('studies/worker-pool/') && e.target?.startsWith('studies/'));
    expect(fromPool.filter((e) => !e.target?.startsWith('studies/worker-pool/')).map((e) => `${e.from} → ${e.target}`)).toEqual([]);
    expect(edges.some((e) => e.target === 'studies/worker-pool/worker-pool.ts')).toBe(true);
  });

  it('has no import cycle between modules or between files', () => {
    const moduleGraph = new Map<string, Set<string>>();
    const fileGraph = new Map<string, Set<string>>();
    for (const e of edges) {
      if (!e.target) continue;
      const [a, b] = [moduleOf(e.from), moduleOf(e.target)];
      if (a !== b) (moduleGraph.get(a) ?? moduleGraph.set(a, new Set()).get(a))?.add(b);
      (fileGraph.get(e.from) ?? fileGraph.set(e.from, new Set()).get(e.from))?.add(e.target);
    }
    expect(findCycles(moduleGraph)).toEqual([]);
    expect(findCycles(fileGraph)).toEqual([]);
  });

  it('detects a planted cycle', () => {
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
