// docs/ARCHITECTURE.md is the map of the code: every file or folder it names (in backticks, without placeholders such
// as <name>) must exist, under src/, test/ or the repository root, so the map cannot drift from the tree unnoticed.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('docs/ARCHITECTURE.md', 'utf8');

/** Backticked paths in a Markdown text: tokens with a slash or a file extension, no spaces and no placeholders. */
export function namedPaths(text: string): string[] {
  const tokens = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return [...new Set(tokens.filter((t) => !t.includes('<') && (t.includes('/') || /\.(ts|mjs|md|yaml|csv|sh)$/.test(t)) && !t.startsWith('moesim/')))];
}

const exists = (p: string): boolean => ['src/', 'test/', ''].some((root) => existsSync(`${root}${p}`));

describe('docs/ARCHITECTURE.md', () => {
  it('names only files and folders that exist', () => {
    const paths = namedPaths(doc);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !exists(p))).toEqual([]);
  });

  it('would catch a path that does not exist', () => {
    expect(namedPaths('see `sim/no-such-file.ts` and `routing/<name>.ts`').filter((p) => !exists(p))).toEqual(['sim/no-such-file.ts']);
  });
});
