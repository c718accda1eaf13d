// Bounded input (issue 18): a file that is not a regular file (a directory, a FIFO, a device), one over its kind's
// size limit, and YAML that would blow up the parser (an alias bomb, nesting 100,000 deep, a `!!js/function` tag) get
// the same one-line error with exit 2 from every command that reads them, promptly (a FIFO or /dev/zero would read
// forever), and an npy file or routing trace path that is a directory is refused by name too; validate checks the
// npy feature files a run would read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, openRoutingTrace, readNpyFile } from '../../src/routing/index.ts';
import { defaultScenarioWith, expectOneLineError, runCli, tempDir, writeScenario } from '../helpers/run-cli.ts';

const dir = tempDir('bounded-input');
const fifo = join(dir, 'fifo.yaml');
execFileSync('mkfifo', [fifo]);
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const aliasBomb = write('bomb.yaml', 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n');
const deep = write('deep.yaml', `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
const blockDeep = write('block.yaml', `version: 1\n${'- '.repeat(1000)}x\n`);
const tagged = write('tag.yaml', 'version: 1\nname: !!js/function "function () {}"\n');
const huge = write('huge.yaml', `# ${'x'.repeat(INPUT_LIMITS.yaml)}\n`);

/** [input, what the one line must say] for every command that reads a YAML file. */
const CASES: [string, string, RegExp][] = [
  ['a directory', dir, /is a directory, not a regular file/],
  ['a FIFO', fifo, /is a FIFO, not a regular file/],
  ['a character device', '/dev/zero', /is a character device, not a regular file/],
  ['a file over 1 MiB', huge, /is 1\.0 MiB; a (scenario|plan) file is read up to 1 MiB/],
  ['an alias bomb', aliasBomb, /bomb\.yaml: malformed YAML: aliases expand more than 100 times/],
  ['brackets nested 100,000 deep', deep, /deep\.yaml:1: malformed YAML: brackets nested more than 64 deep/],
  ['block entries nested 1,000 deep', blockDeep, /block\.yaml:2: malformed YAML: block nesting past column 512/],
  ['a !!js/function tag', tagged, /tag\.yaml:2:7: malformed YAML: unsupported tag !!js\/function/],
];

describe('bounded input files', () => {
  for (const [what, path, message] of CASES) {
    it(`${what}: one line, exit 2, from validate, run, compare, sweep and plan`, async () => {
      const started = Date.now();
      for (const args of [['validate', path], ['run', path], ['compare', path, '--routers', 'gshard,switch'], ['sweep', path, '--set', 'seed=1,2'], ['plan', path]]) {
        expectOneLineError(await runCli(...args), message);
      }
      expect(Date.now() - started).toBeLessThan(10_000); // nothing reads a FIFO or a device to its (absent) end
    });
  }

  it('validate checks the npy feature files a run would read: missing, or a directory', async () => {
    const tokens = 'tokens:\n  source: synthetic\n  clusters: 16\n  zipfExponent: 1.0\n  spread: 1.0\n  layerDrift: 0.5\n';
    const missing = writeScenario(defaultScenarioWith(tokens, `tokens:\n  source: npy\n  features: ${join(dir, 'absent.npy')}\n`));
    expectOneLineError(await runCli('validate', missing), /tokens\.features: .*absent\.npy: file not found/);
    const folder = join(dir, 'folder.npy');
    mkdirSync(folder, { recursive: true });
    const isDir = writeScenario(defaultScenarioWith(tokens, `tokens:\n  source: npy\n  features: ${folder}\n`));
    expectOneLineError(await runCli('validate', isDir), /tokens\.features: .*folder\.npy: is a directory, not a regular file/);
  });

  it('an npy file or a routing trace manifest that is a directory is refused by name', () => {
    const npyDir = join(dir, 'features.npy');
    mkdirSync(npyDir);
    expect(() => readNpyFile(npyDir)).toThrow(/features\.npy: is a directory, not a regular file/);
    const trace = join(dir, 'trace');
    mkdirSync(join(trace, 'manifest.json'), { recursive: true });
    expect(() => openRoutingTrace(trace)).toThrow(/manifest\.json: is a directory, not a regular file/);
  });
});
