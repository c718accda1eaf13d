// Sweep point records and merge shards carry a checksum of their content and the sweep's fingerprint (issue 18): an
// edited record, or one copied from another sweep, is refused with its file named (one line, exit 2) instead of
// putting a doctored row into results.csv; an untouched record still resumes and merges.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, tempDir, writeScenario } from '../helpers/run-cli.ts';
import { tinySweepScenario } from '../helpers/tiny-sweep.ts';

const scenario = writeScenario(tinySweepScenario);
const sets = ['--set', 'router.capacityFactor=1,2'];

/** Replace the first number after `"tokensPerSecond":` in a JSON file (a doctored result). */
function doctor(path: string): void {
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(/("tokensPerSecond":\s*)[0-9.e+]+/, '$1999999999');
  expect(edited).not.toBe(text);
  writeFileSync(path, edited);
}

describe('checksummed sweep records', () => {
  it('an edited point record is refused on resume, naming it', async () => {
    const dir = join(tempDir('sweep-records'), 'sweep');
    expect((await runCli('sweep', scenario, ...sets, '--workers', '1', '-q', '-o', dir)).code).toBe(0);
    expect((await runCli('sweep', scenario, ...sets, '--workers', '1', '-q', '-o', dir)).code).toBe(0); // untouched: resumes
    doctor(join(dir, 'points', '000001.json'));
    expectOneLineError(await runCli('sweep', scenario, ...sets, '--workers', '1', '-q', '-o', dir), /points\/000001\.json: .*checksum/);
  }, 60_000);

  it('an edited merge shard is refused, naming it', async () => {
    const root = tempDir('sweep-shards');
    const [s0, s1] = [join(root, 's0'), join(root, 's1')];
    expect((await runCli('sweep', scenario, ...sets, '--shard', '0/2', '--workers', '1', '-q', '-o', s0)).code).toBe(0);
    expect((await runCli('sweep', scenario, ...sets, '--shard', '1/2', '--workers', '1', '-q', '-o', s1)).code).toBe(0);
    expect((await runCli('merge', s0, s1, '-o', join(root, 'ok'))).code).toBe(0);
    doctor(join(s1, 'shard-1-of-2.json'));
    expectOneLineError(await runCli('merge', s0, s1, '-o', join(root, 'merged')), /shard-1-of-2\.json: .*checksum/);
  }, 60_000);
});
