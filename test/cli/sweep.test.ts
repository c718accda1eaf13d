// `moesim sweep` and `moesim merge` end to end: shards merged byte-identical to the unsharded run, index.html and
// chart PNGs included (one shard on worker threads), resume skipping finished points and rewriting the report, a
// changed sweep refused (or restarted with --force), and bad input as one-line errors with exit code 2.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, tempDir, writeScenario } from '../helpers/run-cli.ts';
import { tinySweepScenario } from '../helpers/tiny-sweep.ts';

const scenario = writeScenario(tinySweepScenario);
const sets = ['--set', 'parallelism.dp:parallelism.ep=8:8,7:7', '--set', 'router.capacityFactor=1,2'];
const root = tempDir('sweep-cli');
const full = join(root, 'full');
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

describe('moesim sweep and merge', () => {
  it('writes results; shards merged are byte-identical to the unsharded run', async () => {
    const out = await runCli('sweep', scenario, ...sets, '--workers', '1', '-o', full);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/4 points \(2 ok, 2 errors\)/);
    expect(out.stdout).toMatch(/4 points run; wrote/);
    const csv = read(full, 'results.csv').split('\n');
    expect(csv[0]).toBe('point,parallelism.dp,parallelism.ep,router.capacityFactor,status,error,stepTime_s,tokensPerSecond,mfu,maxOverMeanExpertLoad,droppedFraction,allToAllIntraServerBytes,allToAllInterServerBytes,exposedAllToAll_s,peakMemoryBytes,memoryFits,devices');
    expect(csv[3]).toMatch(/^2,7,7,1,error,"?parallelism/);
    const s0 = join(root, 's0');
    const s1 = join(root, 's1');
    expect((await runCli('sweep', scenario, ...sets, '--shard', '0/2', '--workers', '2', '-o', s0, '-q')).code).toBe(0);
    expect(existsSync(join(s0, 'results.csv'))).toBe(false);
    expect(existsSync(join(s0, 'shard-0-of-2.json'))).toBe(true);
    expect((await runCli('sweep', scenario, ...sets, '--shard', '1/2', '--workers', '1', '-o', s1, '-q')).code).toBe(0);
    const merged = join(root, 'merged');
    const m = await runCli('merge', s0, s1, '-o', merged);
    expect(m.code).toBe(0);
    expect(m.stderr).toMatch(/merged 2 shard files \(4 points/);
    expect(read(merged, 'results.csv')).toBe(read(full, 'results.csv'));
    expect(read(merged, 'results.json')).toBe(read(full, 'results.json'));
    // index.html and its PNGs too: the report is built from the rows alone (no paths, no times).
    expect(read(merged, 'index.html')).toBe(read(full, 'index.html'));
    for (const png of ['tokens-per-second', 'mfu']) expect(readFileSync(join(merged, 'charts', `${png}.png`)).equals(readFileSync(join(full, 'charts', `${png}.png`)))).toBe(true);
    const html = read(full, 'index.html');
    expect(html.match(/<svg/g)).toHaveLength(2); // devices never change here: x is the first numeric key that does
    expect(html).toContain('Throughput against router.capacityFactor');
    expect(html).toMatch(/<h2>Failed points<\/h2>\n<table class="grid">[^]*parallelism\.dp=7, parallelism\.ep=7, router\.capacityFactor=1/);
    expectOneLineError(await runCli('merge', s0, '-o', merged), /merge: 2 of 4 points are missing \(points 1, 3\); shard 1\/2 not found/);
    expectOneLineError(await runCli('merge', s0, s0, s1, join(root, 'nothing')), /merge: cannot read directory/);
  }, 120_000);

  it('resumes: finished points are not run again', async () => {
    const before = statSync(join(full, 'points', '000000.json')).mtimeMs;
    const html = read(full, 'index.html');
    rmSync(join(full, 'index.html'));
    rmSync(join(full, 'charts'), { recursive: true });
    const again = await runCli('sweep', scenario, ...sets, '--workers', '1', '-o', full);
    expect(again.stdout).toMatch(/0 points run, 4 already finished \(skipped\)/);
    expect(read(full, 'index.html')).toBe(html); // a resumed sweep rewrites the report
    expect(existsSync(join(full, 'charts', 'mfu.png'))).toBe(true);
    rmSync(join(full, 'points', '000001.json'));
    const csv = read(full, 'results.csv');
    const third = await runCli('sweep', scenario, ...sets, '--workers', '1', '-o', full);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/1 point run, 3 already finished \(skipped\)/);
    expect(read(full, 'results.csv')).toBe(csv);
    expect(statSync(join(full, 'points', '000000.json')).mtimeMs).toBe(before);
    const json = await runCli('sweep', scenario, ...sets, '--workers', '1', '-o', full, '--json');
    expect(json.stdout).toBe(read(full, 'results.json'));
    expect(json.stderr).toMatch(/0 points run, 4 already finished/);
  }, 60_000);

  it('refuses a changed sweep in the same directory, and --force starts fresh', async () => {
    const changed = ['--set', 'parallelism.dp:parallelism.ep=8:8', '--set', 'router.capacityFactor=1,2'];
    expectOneLineError(await runCli('sweep', scenario, ...changed, '-o', full), /--out: .* holds a different sweep .*--force/);
    const shardDir = join(root, 's1');
    writeFileSync(join(root, 'other.yaml'), tinySweepScenario.replace('seed: 42', 'seed: 43'));
    const other = join(root, 'other');
    expect((await runCli('sweep', join(root, 'other.yaml'), ...sets, '--shard', '0/2', '--workers', '1', '-o', other, '-q')).code).toBe(0);
    expectOneLineError(await runCli('merge', other, shardDir), /merge: .* is from a different sweep than/);
    const forced = await runCli('sweep', scenario, ...changed, '--workers', '1', '-o', full, '--force', '-q');
    expect(forced.code).toBe(0);
    expect(read(full, 'results.csv').trim().split('\n')).toHaveLength(3);
    expect(existsSync(join(full, 'points', '000003.json'))).toBe(false);
  }, 60_000);

  it.each([
    [['--set', 'cluster.serverz=1'], /--set: unknown key "cluster.serverz"/],
    [['--set', 'router.capacityFactor='], /--set: router.capacityFactor: the value list is empty/],
    [['--set', 'router.capacityFactor'], /--set: "router.capacityFactor": expected key=v1,v2/],
    [['--set', 'router.capacityFactor=1', '--shard', '2/2'], /--shard: expected i\/n with 0 ≤ i < n/],
    [['--set', 'router.capacityFactor=1', '--shard', 'x'], /--shard: /],
    [['--set', 'router.capacityFactor=1', '--workers', '0'], /--workers: expected a whole number/],
    [[], /--set: give at least one --set/],
  ])('%j is a one-line error with exit code 2', async (args, message) => {
    expectOneLineError(await runCli('sweep', scenario, ...args, '-o', join(root, 'bad')), message);
  });
});
