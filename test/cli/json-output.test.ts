// The CLI's output contract, command by command: with --json, stdout holds only machine-readable output (it parses
// as JSON; bench step's is JSON Lines) and human messages go to stderr; nothing reaches the real stdout behind the
// CLI's back (console.log from a library, say); --quiet prints nothing on stdout. Cheap invocations only: the tiny
// sweep scenario, a tiny plan, one MEO validation case (no simulation).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inCi, progressEnabled } from '../../src/cli/progress.ts';
import { runCli, tempDir, writeScenario } from '../helpers/run-cli.ts';
import type { CliOutcome } from '../helpers/run-cli.ts';
import { tinyPlanYaml } from '../helpers/tiny-plan.ts';
import { tinySweepScenario } from '../helpers/tiny-sweep.ts';

const scenario = writeScenario(tinySweepScenario);
const root = tempDir('json-output');
const planFile = join(root, 'tiny-plan.yaml');
writeFileSync(planFile, tinyPlanYaml);

afterEach(() => vi.restoreAllMocks());

/** Run the CLI and fail if anything bypassed its io (console.log / console.info / process.stdout.write). */
async function runGuarded(...args: string[]): Promise<CliOutcome> {
  const leaks: string[] = [];
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void leaks.push(`console.log: ${a.join(' ')}`)),
    vi.spyOn(console, 'info').mockImplementation((...a: unknown[]) => void leaks.push(`console.info: ${a.join(' ')}`)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (leaks.push(`stdout: ${String(chunk)}`), true)),
  ];
  try {
    const out = await runCli(...args);
    expect(leaks, `${args.join(' ')} wrote to the real stdout`).toEqual([]);
    return out;
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

function expectJson(out: CliOutcome, args: string[]): unknown {
  expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
  expect(out.stdout.trim()).not.toBe('');
  return JSON.parse(out.stdout) as unknown;
}

const commands: [string, string[]][] = [
  ['run', ['run', scenario, '--no-trace', '-o', join(root, 'run')]],
  ['compare', ['compare', scenario, '--routers', 'switch,gshard', '-o', join(root, 'compare')]],
  ['sweep', ['sweep', scenario, '--set', 'router.capacityFactor=1,2', '--workers', '1', '-o', join(root, 'sweep')]],
  ['collective', ['collective', '--cluster', 'atlas-800t-a2', '--nodes', '1', '--op', 'allreduce', '--size', '1MiB']],
  ['route', ['route', '--router', 'switch', '--tokens', '4096', '--experts', '8', '--hidden', '64']],
  ['plan', ['plan', planFile, '--workers', '1', '-o', join(root, 'plan')]],
  ['catalog', ['catalog']],
  ['catalog <name>', ['catalog', 'tiny-moe']],
  ['bench engine', ['bench', 'engine', '--events', '20000']],
  ['validate', ['validate', scenario]],
  ['validate-papers', ['validate-papers', '--paper', 'MEO', '-o', join(root, 'validation')]],
];

describe('--json: machine-readable stdout, human messages on stderr', () => {
  it.each(commands)('%s --json prints JSON only on stdout', async (_name, args) => {
    const out = await runGuarded(...args, '--json');
    expectJson(out, args);
  }, 120_000);

  it('merge --json prints results.json, its message on stderr', async () => {
    const shard = join(root, 'shard');
    expect((await runGuarded('sweep', scenario, '--set', 'router.capacityFactor=1,2', '--workers', '1', '--shard', '0/1', '-q', '-o', shard)).code).toBe(0);
    const out = await runGuarded('merge', shard, '--json', '-o', join(root, 'merged'));
    expect(expectJson(out, ['merge'])).toMatchObject({ sweep: { points: 2 } });
    expect(out.stderr).toMatch(/^merged 1 shard file/);
  }, 120_000);

  it('bench step --json prints JSON Lines (one object per device count)', () => {
    // Not run here (a benchmark); its printer is one toJsonText(…, false) per rung: checked by reading the source.
    const src = readFileSync(new URL('../../src/cli/command-bench.ts', import.meta.url), 'utf8');
    expect(src).toMatch(/io\.stdout\(toJsonText\(\{ devices: r\.devices[^\n]*false\)\)/);
  });
});

describe('--quiet prints nothing on stdout', () => {
  it.each(commands.filter(([name]) => ['collective', 'route', 'catalog', 'catalog <name>', 'bench engine', 'validate', 'run', 'sweep'].includes(name)))('%s -q', async (_name, args) => {
    const out = await runGuarded(...args, '-q');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
  }, 120_000);
});

describe('progress bars', () => {
  it('show only on a terminal, never in CI or with --quiet/--json', () => {
    expect(progressEnabled(false, {}, true)).toBe(true);
    expect(progressEnabled(true, {}, true)).toBe(false);
    expect(progressEnabled(false, {}, false)).toBe(false);
    expect(progressEnabled(false, { CI: 'true' }, true)).toBe(false);
    expect(progressEnabled(false, { CI: '1' }, true)).toBe(false);
    expect(progressEnabled(false, { CI: 'false' }, true)).toBe(true);
    expect([inCi({ CI: '' }), inCi({ CI: '0' }), inCi({ CI: 'woodpecker' })]).toEqual([false, false, true]);
  });
});

describe('moesim plan index.html', () => {
  it('has the Pareto and scaling charts, the best per system and the Pareto front, with PNGs', () => {
    const dir = join(root, 'plan'); // written by the plan --json run above
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(2);
    for (const text of ['cost against training time', 'training time against cluster size', 'Best configuration per system', 'Pareto front', 'every size meets the 10-day deadline']) expect(html).toContain(text);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    for (const png of ['pareto.png', 'scaling.png']) expect(readFileSync(join(dir, png)).readUInt32BE(16)).toBe(1200);
    expect(existsSync(join(dir, 'plan.json'))).toBe(true);
  });
});
