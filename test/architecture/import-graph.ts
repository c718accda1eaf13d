// Parse every import under src/ with the TypeScript compiler API (static, type-only, re-export and dynamic).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to src/ (e.g. "sim/summary.ts"). */
  from: string;
  /** Import specifier as written. */
  specifier: string;
  /** Resolved target relative to src/ for relative imports; undefined for packages. */
  target: string | undefined;
  typeOnly: boolean;
}

export function listSourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listSourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

export function parseImports(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of listSourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const from = relative(srcDir, file);
    const add = (specifier: string, typeOnly: boolean): void => {
      const target = specifier.startsWith('.') ? relative(srcDir, resolve(dirname(file), specifier)) : undefined;
      edges.push({ from, specifier, target, typeOnly });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const allTypeNamed = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) && !clause.name
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly);
        add(node.moduleSpecifier.text, Boolean(clause?.isTypeOnly || allTypeNamed));
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.isTypeOnly);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        add(arg && ts.isStringLiteral(arg) ? arg.text : '<computed>', false);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** The module a src-relative path belongs to: its first directory, or "(root)" for files directly in src/. */
export function moduleOf(srcRelative: string): string {
  const parts = srcRelative.split(/[\\/]/);
  return parts.length > 1 ? (parts[0] as string) : '(root)';
}

/** Every cycle (as a list of nodes) in a directed graph, found by depth-first search; empty when acyclic. */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of [...(graph.get(n) ?? [])].sort()) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}
