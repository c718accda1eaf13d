// `moesim route` and `moesim bench routing`: the JSON fields and their consistency (kept + dropped = computed,
// max/mean ≥ 1), determinism by seed, the mobydick and npy sources, chunked feature generation, the placement
// locality routers get, the table, and exit code 2 with one line naming the flag for every bad input.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import { writeNpyFile } from '../../src/routing/index.ts';
import { largestDivisorAtMost, maxOverMean, simplePlacement } from '../../src/studies/bench/route-tokens.ts';
import { expectOneLineError, repoRoot, runCli, tempDir } from '../helpers/run-cli.ts';

type RouteJson = {
  router: string; tokens: number; experts: number; tokensPerExpert: number[]; maxOverMean: number; dropped: number; computed: number;
  time_s: number; featureTime_s: number; groups: number; groupSize: number; chunks: number; nodes: number; tokenSource: string; topK: number;
};

const small = ['--tokens', '8192', '--experts', '16', '--hidden', '64'];

async function route(...args: string[]): Promise<RouteJson> {
  const out = await runCli('route', ...args, '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  expect(out.stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(out.stdout) as RouteJson;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

async function expectUsageError(args: string[], message: RegExp): Promise<void> {
  expectOneLineError(await runCli('route', ...args), message);
}

describe('moesim route', () => {
  it('prints one JSON line whose counts add up (gshard top-2 with capacity)', async () => {
    const r = await route('--router', 'gshard', ...small);
    expect(r).toMatchObject({ router: 'gshard', tokens: 8192, experts: 16, groups: 2, groupSize: 4096, nodes: 2 });
    expect(r.tokensPerExpert).toHaveLength(16);
    expect(sum(r.tokensPerExpert) + r.dropped).toBe(r.computed);
    expect(r.computed).toBeGreaterThan(8192); // first choices for all, second choices for some
    expect(r.computed).toBeLessThanOrEqual(2 * 8192);
    expect(r.maxOverMean).toBeGreaterThanOrEqual(1);
    expect(r.maxOverMean).toBeCloseTo(Math.max(...r.tokensPerExpert) / (sum(r.tokensPerExpert) / 16), 5);
    expect(r.time_s).toBeGreaterThan(0);
    expect(r.featureTime_s).toBeGreaterThan(0);
  });

  it('switch computes one assignment per token; deepseek-aux-free honours --top-k and drops nothing', async () => {
    const sw = await route('--router', 'switch', ...small);
    expect(sw.computed).toBe(8192);
    expect(sum(sw.tokensPerExpert) + sw.dropped).toBe(8192);
    const ds = await route('--router', 'deepseek-aux-free', ...small, '--top-k', '4');
    expect(ds).toMatchObject({ computed: 4 * 8192, dropped: 0, topK: 4 });
    expect(sum(ds.tokensPerExpert)).toBe(4 * 8192);
  });

  it('is deterministic: the same seed gives identical loads, another seed different ones', async () => {
    const a = await route('--router', 'gshard', ...small, '--seed', '7');
    const b = await route('--router', 'gshard', ...small, '--seed', '7');
    const c = await route('--router', 'gshard', ...small, '--seed', '8');
    expect(b.tokensPerExpert).toEqual(a.tokensPerExpert);
    expect(b.dropped).toBe(a.dropped);
    expect(c.tokensPerExpert).not.toEqual(a.tokensPerExpert);
  });

  it('routes Moby-Dick tokens with --source mobydick', async () => {
    const r = await route('--router', 'hash', ...small, '--source', 'mobydick');
    expect(r.tokenSource).toMatch(/moby-dick/);
    // hash routing is dropless and follows the text's token-frequency skew
    expect(r).toMatchObject({ computed: 8192, dropped: 0 });
    expect(r.maxOverMean).toBeGreaterThan(1.05);
  });

  it('reads features from npy:PATH', async () => {
    const path = join(tempDir('route-npy'), 'h.npy');
    const data = new Float32Array(1024 * 32);
    new Rng(3).fillNormal(data, 0, 1);
    writeNpyFile(path, { dtype: 'float32', shape: [1024, 32], data });
    const r = await route('--router', 'switch', '--tokens', '2048', '--experts', '8', '--hidden', '32', '--group-size', '512', '--source', `npy:${path}`);
    expect(r.tokenSource).toMatch(/^npy: 1024 × 32 float32/);
    expect(r.computed).toBe(2048);
    await expectUsageError(['--router', 'switch', '--tokens', '2048', '--experts', '8', '--hidden', '64', '--source', `npy:${path}`], /hidden size 32, but the model's hidden is 64/);
  });

  it('generates features in bounded chunks of whole groups', async () => {
    const r = await route('--router', 'switch', '--tokens', '65536', '--experts', '8', '--hidden', '8');
    expect(r).toMatchObject({ groups: 16, groupSize: 4096, chunks: 4, computed: 65536 });
    const odd = await route('--router', 'switch', '--tokens', '12288', '--experts', '8', '--hidden', '8', '--group-size', '3072');
    expect(odd).toMatchObject({ groups: 4, groupSize: 3072, chunks: 1 });
    expect(largestDivisorAtMost(16, 4)).toBe(4);
    expect(largestDivisorAtMost(7, 4)).toBe(1);
    expect(largestDivisorAtMost(1, 4)).toBe(1);
  });

  it('gives locality routers a placement: experts on floor(e/8), groups round-robin over ceil(E/8) nodes', async () => {
    let offset = 0;
    const p = simplePlacement(20, () => offset);
    expect(p.nodes).toBe(3);
    expect([0, 7, 8, 19].map((e) => p.expertNode(0, e))).toEqual([0, 0, 1, 2]);
    expect([0, 1, 2, 3].map((g) => p.groupNode(g))).toEqual([0, 1, 2, 0]);
    offset = 4;
    expect(p.groupNode(0)).toBe(1);
    for (const router of ['locmoe', 'locmoe-plus', 'expert-choice', 'base', 'adamoe', 'meo', 'dense']) {
      const r = await route('--router', router, '--tokens', '4096', '--experts', '16', '--hidden', '32', '--group-size', '1024');
      expect(r.router).toBe(router);
      expect(sum(r.tokensPerExpert)).toBeGreaterThan(0);
      expect(sum(r.tokensPerExpert) + r.dropped).toBe(r.computed);
      // MEO routes sequences (of gcd(1024, 2048) = 1024 tokens) to k = 2 experts; counts are reported in tokens
      if (router === 'meo') expect(r).toMatchObject({ computed: 2 * 4096, dropped: 0 });
    }
  });

  it('prints a small table without --json', async () => {
    const out = await runCli('route', '--router', 'gshard', ...small);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/router\s+gshard \(wasm\)/);
    expect(out.stdout).toMatch(/tokens\s+8,192 in 2 groups of 4,096 \(1 chunks\)/);
    expect(out.stdout).toMatch(/experts\s+16 on 2 nodes, top-k 2, hidden 64/);
    expect(out.stdout).toMatch(/max\/mean\s+\d\.\d{3}/);
    expect(out.stdout).toMatch(/dropped\s+[\d,]+ of [\d,]+ assignments/);
    expect(out.stdout).toMatch(/feature time/);
  });

  it('rejects bad input with exit code 2 and one line naming the flag', async () => {
    const args = ['--router', 'gshard', ...small];
    const replace = (flag: string, value: string): string[] => args.map((a, i) => (args[i - 1] === flag ? value : a));
    await expectUsageError(replace('--router', 'nope'), /--router: unknown router "nope"; accepted: .*gshard/);
    await expectUsageError(replace('--tokens', 'many'), /--tokens: must be an integer between 1 and/);
    await expectUsageError(replace('--tokens', '0'), /--tokens: must be an integer/);
    await expectUsageError(replace('--experts', '1.5'), /--experts: must be an integer/);
    await expectUsageError(replace('--hidden', '-4'), /--hidden: must be an integer/);
    await expectUsageError([...args, '--top-k', '17'], /--top-k: 17 is more than --experts 16/);
    await expectUsageError([...args, '--top-k', '0'], /--top-k: must be an integer ≥ 1/);
    await expectUsageError([...args, '--group-size', '3000'], /--group-size: 3000 does not divide --tokens 8192/);
    await expectUsageError([...args, '--group-size', '16384'], /--group-size: 16384 is more than --tokens 8192/);
    await expectUsageError([...args, '--source', 'wiki'], /--source: unknown token source "wiki"; accepted: synthetic, mobydick, npy:PATH/);
    await expectUsageError([...args, '--source', 'npy:'], /--source: unknown token source "npy:"/);
    await expectUsageError([...args, '--seed', 'x'], /--seed: must be an integer/);
    await expectUsageError([...args, '--backend', 'tpu'], /--backend: got "tpu"; accepted: wasm, cpu, node/);
    expect((await runCli('route', '--router', 'gshard', '--tokens', '8')).code).toBe(2); // missing required flags
  });
});

describe('maxOverMean', () => {
  it('is max / mean, and 0 for nothing kept', () => {
    expect(maxOverMean([1, 1, 4])).toBe(2);
    expect(maxOverMean([0, 0])).toBe(0);
    expect(maxOverMean([])).toBe(0);
  });
});

describe('moesim bench routing', () => {
  it('routes a small --tokens run and reports consistent figures', async () => {
    const out = await runCli('bench', 'routing', '--tokens', '4096', '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout) as Record<string, number>;
    expect(r).toMatchObject({ tokens: 4096, hidden: 1024, experts: 64, topK: 2, passes: 1, poolTokens: 4096, computed: 8192 });
    expect(r['routingTime_s']).toBeGreaterThan(0);
    expect(r['gflops']).toBeCloseTo((2 * 4096 * 1024 * 64) / (r['routingTime_s'] as number) / 1e9, 0);
    expect(r['tokensPerSecond']).toBeCloseTo(4096 / (r['routingTime_s'] as number), -2);
  });
  it('rejects --tokens that are not a multiple of 4096 (exit 2)', async () => {
    const out = await runCli('bench', 'routing', '--tokens', '1000');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^moesim: error: --tokens: must be a multiple of the routing group size 4096/);
  });
});

describe('route --backend cpu -q (issue 18)', () => {
  it('prints nothing: tfjs\'s cpu-backend banner is silenced (a fresh process, where the backend is first used)', () => {
    const out = spawnSync(process.execPath, ['bin/moesim.js', 'route', '--router', 'gshard', '--tokens', '64', '--experts', '4', '--hidden', '16', '--backend', 'cpu', '-q'], { cwd: repoRoot, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('');
  }, 60_000);
});
