// Run the moesim CLI in-process with captured stdout/stderr, and write scenario variants to a temp directory.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...args: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'moesim', ...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const defaultScenarioText = readFileSync(join(repoRoot, 'scenarios/default.yaml'), 'utf8');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `moesim-${prefix}-`));
}

/** Write `text` as a scenario file in a fresh temp directory and return its path. */
export function writeScenario(text: string, name = 'scenario.yaml'): string {
  const path = join(tempDir('scenario'), name);
  writeFileSync(path, text);
  return path;
}

/** The default scenario with `from` replaced by `to` (throws if `from` is absent, so a test can't silently test nothing). */
export function defaultScenarioWith(from: string, to: string): string {
  if (!defaultScenarioText.includes(from)) throw new Error(`default.yaml does not contain ${JSON.stringify(from)}`);
  return defaultScenarioText.replace(from, to);
}

/**
 * Assert the CLI's bad-input contract: exit code 2, nothing on stdout, exactly one stderr line starting
 * "moesim: error: " that matches `message`, and no stack trace. Returns that line.
 */
export function expectOneLineError(out: CliOutcome, message: RegExp): string {
  expect(out.code).toBe(2);
  expect(out.stdout).toBe('');
  const lines = out.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^moesim: error: /);
  expect(lines[0]).toMatch(message);
  expect(out.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return lines[0] as string;
}
