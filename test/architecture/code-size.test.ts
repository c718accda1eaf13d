// Rooms stay small (issue 16): no function in src/ over 80 lines and no file over 300, measured with the TypeScript
// compiler API (a function's lines from its first to its last, nested functions counted in their own right). An
// exception needs an entry below with its reason, mirrored in DESIGN.md ("Size exceptions"); there are none today.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 300;
/** 'file' or 'file:function' → why it may be longer. */
const EXCEPTIONS: Record<string, string> = {};

/** Functions of a source text longer than `max` lines, as `name (lines)`. */
export function longFunctions(fileName: string, text: string, max: number): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = node.name?.getText() ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '(anonymous)');
      if (last - first + 1 > max) found.push(`${named} (${last - first + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('code size', () => {
  const files = listSourceFiles(srcDir).filter((f) => f.endsWith('.ts'));

  it(`has no function over ${MAX_FUNCTION_LINES} lines and no file over ${MAX_FILE_LINES}, except those listed`, () => {
    const over: string[] = [];
    for (const file of files) {
      const where = relative(srcDir, file);
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > MAX_FILE_LINES && !(where in EXCEPTIONS)) over.push(`${where}: ${lines} lines`);
      for (const f of longFunctions(where, text, MAX_FUNCTION_LINES)) if (!(`${where}:${f.split(' ')[0]}` in EXCEPTIONS)) over.push(`${where}: ${f}`);
    }
    expect(files.length).toBeGreaterThan(150);
    expect(over).toEqual([]);
  });

  it('measures a long function, an arrow function and a method', () => {
    const body = Array.from({ length: 85 }, (_, i) => `  x += ${i};`).join('\n');
    const text = `function long() {\n${body}\n}\nconst arrow = () => {\n${body}\n};\nclass C { m() {\n${body}\n} }\nfunction short() { return 1; }\n`;
    expect(longFunctions('t.ts', text, 80)).toEqual(['long (87 lines)', 'arrow (87 lines)', 'm (87 lines)']);
  });
});
