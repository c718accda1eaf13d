// Bad input gets one line naming the field, exit code 2 and no stack trace: malformed YAML, unknown values,
// negative counts, impossible parallelism, unknown fields, missing files.
import { describe, expect, it } from 'vitest';
import { defaultScenarioText, defaultScenarioWith, expectOneLineError, runCli, writeScenario } from '../helpers/run-cli.ts';
import { tinyPlanYaml } from '../helpers/tiny-plan.ts';

async function expectInputError(text: string, field: RegExp): Promise<string> {
  return expectOneLineError(await runCli('validate', writeScenario(text)), field);
}

describe('scenario input errors', () => {
  it('accepts the default scenario', async () => {
    const out = await runCli('validate', 'scenarios/default.yaml');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ok: scenarios\/default\.yaml: "default": 2 × atlas-800t-a2 \(16 × 910b3\)/);
  });

  it('malformed YAML names the line and column', async () => {
    const line = await expectInputError(defaultScenarioWith('  servers: 2', '  servers: [2'), /scenario\.yaml:\d+:\d+: malformed YAML/);
    const broken = defaultScenarioText.split('\n').findIndex((l) => l.startsWith('  servers: 2')) + 1;
    const reported = Number(/scenario\.yaml:(\d+):/.exec(line)?.[1]);
    expect(reported === broken || reported === broken + 1).toBe(true); // yaml reports where it noticed: that line or the next
  });

  it('an unknown router names router.name and lists the accepted ones', async () => {
    const line = await expectInputError(defaultScenarioWith('name: gshard', 'name: gshrad'), /router\.name/);
    expect(line).toContain('"gshrad"');
    expect(line).toContain('gshard');
    expect(line).toContain('switch');
  });

  it('an unknown enum value names the field and lists what is accepted', async () => {
    const line = await expectInputError(defaultScenarioWith('network: analytical', 'network: packet'), /cluster\.network: got "packet"; accepted: "analytical"/);
    expect(line).toBeTruthy();
  });

  it('an unknown cluster preset lists the presets', async () => {
    const line = await expectInputError(defaultScenarioWith('preset: atlas-800t-a2', 'preset: atlas-9000'), /atlas-9000/);
    expect(line).toContain('atlas-800t-a2');
  });

  it('a negative server count names cluster.servers', async () => {
    await expectInputError(defaultScenarioWith('servers: 2', 'servers: -2'), /cluster\.servers: must be > 0 \(got -2\)/);
  });

  it('a negative batch names parallelism.globalBatch', async () => {
    await expectInputError(defaultScenarioWith('globalBatch: 32', 'globalBatch: -32'), /parallelism\.globalBatch: must be > 0/);
  });

  it('impossible parallelism says which product does not match', async () => {
    await expectInputError(defaultScenarioWith('dp: 16', 'dp: 8'), /parallelism\.dp: tp·pp·dp = 1·1·8 = 8 must equal the cluster's 16 devices/);
    await expectInputError(defaultScenarioWith('ep: 16', 'ep: 3'), /parallelism\.ep: ep = 3 must divide dp = 16/);
  });

  it('a misspelt field is named with the accepted fields', async () => {
    const line = await expectInputError(defaultScenarioWith('  capacityFactor: 1.25', '  capacityFacter: 1.25'), /router/);
    expect(line).toContain('capacityFacter');
    expect(line).toContain('capacityFactor');
  });

  it('a router parameter out of range names it', async () => {
    await expectInputError(defaultScenarioWith('capacityFactor: 1.25', 'capacityFactor: 0'), /router\.capacityFactor: must be > 0/);
  });

  it('a model override that breaks the model names it', async () => {
    await expectInputError(defaultScenarioWith('  preset: tiny-moe', '  preset: tiny-moe\n  overrides: { topK: 99 }'), /model\.overrides\.topK/);
  });

  it('a wrong schema version says which version is read', async () => {
    await expectInputError(defaultScenarioWith('version: 1', 'version: 2'), /version: got 2; this moesim reads scenario schema version 1/);
  });

  it('a missing file is an input error', async () => {
    const out = await runCli('validate', 'scenarios/does-not-exist.yaml');
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('moesim: error: scenario file not found: scenarios/does-not-exist.yaml\n');
  });

  it('unknown commands and options are usage errors with exit code 2', async () => {
    expect((await runCli('frobnicate')).code).toBe(2);
    expect((await runCli('run', '--no-such-flag', 'scenarios/default.yaml')).code).toBe(2);
    expect((await runCli('bench', 'nothing')).code).toBe(2);
  });

  it('the meo router with ep > 1 is refused in one line naming parallelism.ep', async () => {
    const file = writeScenario(defaultScenarioWith('  name: gshard\n  capacityFactor: 1.25\n  secondExpert: random', '  name: meo'), 'meo-ep16.yaml');
    expectOneLineError(await runCli('validate', file), /parallelism\.ep: the meo router merges each sequence's experts into one on the sequence's own device, so every device holds every expert: set ep = 1 \(got 16\)/);
  });

  it('bench step refuses a device count its layout cannot divide and an unknown network model, in one line', async () => {
    expectOneLineError(await runCli('bench', 'step', '--devices', '12'), /--devices: must be a power of two, at least 16 \(got 12\)/);
    expectOneLineError(await runCli('bench', 'step', '--devices', '1536'), /--devices: must be a power of two, at least 16 \(got 1536\)/);
    expectOneLineError(await runCli('bench', 'step', '--devices', '64', '--network', 'packet'), /--network: got "packet"; accepted: analytical, flow/);
  });
});

describe('usage errors (issue 18)', () => {
  it('are one line with the moesim: error: prefix and exit 2, like every other error', async () => {
    expectOneLineError(await runCli('run'), /^moesim: error: missing required argument 'scenario' \(run "moesim --help" for usage\)$/);
    expectOneLineError(await runCli('frobnicate'), /unknown command 'frobnicate'/);
    expectOneLineError(await runCli('run', 'scenarios/default.yaml', '--bogus'), /unknown option '--bogus'/);
    expectOneLineError(await runCli('collective', '--cluster', 'atlas-800t-a2'), /required option '--nodes <n>' not specified/);
  });
});

describe('link faults at the edge of the clock (issue 18)', () => {
  it('a bandwidth factor too small for the simulator, alone or multiplied, is one line with exit 2', async () => {
    const fault = (lines: string): string => defaultScenarioWith('  network: analytical\n', `  network: analytical\n  faults:\n${lines}`);
    await expectInputError(fault("    - { link: '*', state: { bandwidthFactor: 5.0e-324 } }\n"), /cluster\.faults\.0\.state\.bandwidthFactor: must be >= 0\.000001 \(got 5e-324\)/);
    await expectInputError(fault("    - { link: '*', state: { bandwidthFactor: 0.001 } }\n    - { link: '*', state: { bandwidthFactor: 0.0001 } }\n"), /cluster\.faults\[1\]\.state\.bandwidthFactor: the faults on .* multiply to 1\.00e-10/);
  });
});

describe('several mistakes in one file (issue 18)', () => {
  it('print one line each, every line with the moesim: error: prefix, from a scenario and from a plan', async () => {
    const two = defaultScenarioWith('  servers: 2', '  servers: -2').replace('  dp: 16', '  dp: zero');
    const out = await runCli('validate', writeScenario(two));
    expect(out.code).toBe(2);
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^moesim: error: .*scenario\.yaml: cluster\.servers: must be > 0 \(got -2\)$/),
      expect.stringMatching(/^moesim: error: .*scenario\.yaml: parallelism\.dp: expected number, got "zero"$/),
    ]);
    const plan = writeScenario(tinyPlanYaml.replace('deadlineDays: 10', 'deadlineDays: -1').replace('globalBatch: 32', 'globalBatch: many'), 'plan.yaml');
    const planned = await runCli('plan', plan, '-q');
    expect(planned.code).toBe(2);
    expect(planned.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^moesim: error: .*plan\.yaml: deadlineDays: must be > 0 \(got -1\)$/),
      expect.stringMatching(/^moesim: error: .*plan\.yaml: globalBatch: expected number, got "many"$/),
    ]);
  });
});
