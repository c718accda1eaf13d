// Keeps src/engine self-contained and deterministic: it imports only its own files (with .ts extensions),
// uses no wall clock or Math.random, and its index re-exports the public API.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as engine from '../../src/engine/index.ts';

const engineDir = join(import.meta.dirname, '../../src/engine');
const files = readdirSync(engineDir).filter((f) => f.endsWith('.ts'));

describe('src/engine boundary', () => {
  it.each(files)('%s imports only sibling engine files', (file) => {
    const source = readFileSync(join(engineDir, file), 'utf8');
    const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const spec of specifiers) expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[a-z0-9-]+\.ts$/);
  });

  it.each(files)('%s starts with a header comment and reads no clock or Math.random', (file) => {
    const source = readFileSync(join(engineDir, file), 'utf8');
    expect(source.startsWith('//')).toBe(true);
    expect(source).not.toMatch(/Math\.random|Date\.now|new Date\(|performance\.now/);
  });

  it('exports the public API from index.ts', () => {
    for (const name of [
      'EventQueue', 'Simulator', 'Process', 'wait', 'Signal', 'Server', 'Store', 'Rng', 'Counter', 'Tally',
      'TimeWeighted', 'SimulationStalledError', 'ProcessError', 'SimulationLivelockError', 'secondsToNs',
      'nsToSeconds', 'assertTime', 'NS_PER_SECOND', 'InputError',
    ]) {
      expect(engine, name).toHaveProperty(name);
    }
  });
});
