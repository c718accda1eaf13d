// `moesim compare`: a small default scenario (one micro-batch) under gshard, switch, hash and switch with a larger
// capacity factor. Rows come in the order given; speed-ups are ratios of step times (exactly 1 for the first);
// top-1 Switch moves fewer all-to-all bytes than top-2 GShard; a row equals `moesim run` with that router;
// two runs write byte-identical files; bad input exits 2 with one line before anything runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliOutcome } from '../helpers/run-cli.ts';
import { defaultScenarioWith, expectOneLineError, runCli, tempDir, writeScenario } from '../helpers/run-cli.ts';

type Row = {
  router: string; name: string; params: Record<string, unknown>; stepTime_s: number; tokensPerSecond: number; mfu: number; maxOverMeanExpertLoad: number;
  droppedTokens: number; proposedAssignments: number; droppedFraction: number; allToAllIntraServerBytes: number; allToAllInterServerBytes: number;
  exposedAllToAll_s: number; peakMemoryBytes: number; speedup: number;
};
type CompareJson = { scenario: string; seed: number; baseline: string; devices: number; tokenSource: string; routers: Row[] };

const ROUTERS = 'gshard,switch,hash,switch:capacityFactor=2';
// The default scenario cut to one micro-batch of 512-token sequences (16 × 512 tokens per layer), to keep it fast.
const TOKENS = 16 * 512;
const small = defaultScenarioWith('globalBatch: 32', 'globalBatch: 16').replace('  preset: tiny-moe', '  preset: tiny-moe\n  overrides: { seqLength: 512 }');
const outDir = tempDir('compare-a');
const scenarioDir = tempDir('compare-b');
const smallFile = writeScenario(small);
const withOutputDir = writeScenario(small.replace('  trace: true', `  dir: ${scenarioDir}\n  trace: true`));

describe('moesim compare', () => {
  let table: CliOutcome;
  let json: CliOutcome;
  let run: CliOutcome;

  beforeAll(async () => {
    table = await runCli('compare', smallFile, '--routers', ROUTERS, '--out', outDir);
    json = await runCli('compare', withOutputDir, '--routers', ROUTERS, '--json');
    run = await runCli('run', smallFile, '--json', '--no-trace', '--out', tempDir('compare-run'));
  }, 120_000);

  const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
  const result = (): CompareJson => JSON.parse(read(outDir, 'compare.json')) as CompareJson;

  it('prints one table row per router, in the order given, and writes compare.csv and compare.json', () => {
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    const header = lines.findIndex((l) => /^\s+router\s+step time\s+tokens\/s\s+MFU\s+HFU\s+max\/mean\s+dropped\s+a2a intra\s+a2a inter\s+exposed a2a\s+peak memory\s+speed-up$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines.slice(header + 1, header + 5).map((l) => l.trim().split(/\s+/)[0])).toEqual(ROUTERS.split(','));
    expect(lines[header + 1]).toMatch(/ 1\.000×$/);
    expect(table.stdout).toContain(`wrote ${join(outDir, 'compare.csv')}, ${join(outDir, 'compare.json')}`);
  });

  it('keeps the order, and speed-up = first step time / this step time (exactly 1 for the first)', () => {
    const r = result();
    expect(r.routers.map((row) => row.router)).toEqual(ROUTERS.split(','));
    expect(r.baseline).toBe('gshard');
    expect(r.routers[0]?.speedup).toBe(1);
    const first = r.routers[0]?.stepTime_s as number;
    for (const row of r.routers) {
      expect(row.speedup).toBe(first / row.stepTime_s);
      expect(row.tokensPerSecond).toBeCloseTo(TOKENS / row.stepTime_s, 3);
    }
  });

  it('switch (top-1) moves fewer all-to-all bytes and exposes less all-to-all time than gshard (top-2)', () => {
    const [gshard, sw] = result().routers as [Row, Row];
    const bytes = (row: Row): number => row.allToAllIntraServerBytes + row.allToAllInterServerBytes;
    expect(bytes(sw)).toBeLessThan(bytes(gshard));
    expect(sw.allToAllInterServerBytes).toBeGreaterThan(0); // the EP group spans both servers
    expect(sw.exposedAllToAll_s).toBeLessThan(gshard.exposedAllToAll_s);
    expect(sw.proposedAssignments).toBe(TOKENS * 4); // one expert per token in each of 4 MoE layers
    expect(gshard.proposedAssignments).toBeGreaterThan(sw.proposedAssignments);
  });

  it('gives each router its parameters: the scenario\'s for gshard, defaults or overrides for the rest', () => {
    const [gshard, sw, hash, sw2] = result().routers as [Row, Row, Row, Row];
    expect(gshard.params).toEqual({ capacityFactor: 1.25, auxLossWeight: 0.01, secondExpert: 'random' });
    expect(sw.params).toEqual({ capacityFactor: 1.25, auxLossWeight: 0.01 });
    expect(sw2.params).toEqual({ capacityFactor: 2, auxLossWeight: 0.01 });
    // hash is dropless; the same switch gate with more capacity drops fewer of the same proposals
    expect(hash).toMatchObject({ droppedTokens: 0, droppedFraction: 0 });
    expect(sw2.proposedAssignments).toBe(sw.proposedAssignments);
    expect(sw2.droppedTokens).toBeLessThan(sw.droppedTokens);
    expect(sw2.droppedFraction).toBe(sw2.droppedTokens / sw2.proposedAssignments);
  });

  it("a router's row is what `moesim run` reports for it", () => {
    expect(run.code).toBe(0);
    const s = JSON.parse(run.stdout) as Row & { commBytesByCategory: Record<string, { intraServer: number; interServer: number }> };
    const gshard = result().routers[0] as Row;
    for (const key of ['stepTime_s', 'tokensPerSecond', 'mfu', 'maxOverMeanExpertLoad', 'droppedTokens', 'peakMemoryBytes'] as const) expect(gshard[key]).toBe(s[key]);
    const c = s.commBytesByCategory;
    expect(gshard.allToAllInterServerBytes).toBe((c['ep-dispatch']?.interServer ?? 0) + (c['ep-combine']?.interServer ?? 0));
  });

  it('writes a CSV with the same rows as the JSON', () => {
    const rows = read(outDir, 'compare.csv').trimEnd().split('\n').map((l) => l.split(','));
    const header = rows[0] as string[];
    expect(header.slice(0, 3)).toEqual(['router', 'name', 'stepTime_s']);
    expect(header.at(-1)).toBe('speedup');
    expect(rows).toHaveLength(1 + 4);
    result().routers.forEach((row, i) => {
      const cells = Object.fromEntries(header.map((h, j) => [h, rows[i + 1]?.[j]]));
      expect(cells['router']).toBe(row.router);
      expect(Number(cells['stepTime_s'])).toBe(row.stepTime_s);
      expect(Number(cells['allToAllInterServerBytes'])).toBe(row.allToAllInterServerBytes);
      expect(Number(cells['speedup'])).toBe(row.speedup);
    });
  });

  it('--json prints compare.json on stdout, writes under output.dir/compare, and the files are byte-identical across runs', () => {
    expect(json.code).toBe(0);
    const written = join(scenarioDir, 'compare');
    expect(json.stderr).toMatch(new RegExp(`^wrote ${join(written, 'compare.csv')}, ${join(written, 'compare.json')}, ${join(written, 'index.html')}, `));
    expect(json.stdout).toBe(read(written, 'compare.json'));
    for (const name of ['compare.csv', 'compare.json', 'index.html']) expect(read(written, name)).toBe(read(outDir, name));
    for (const name of readdirSync(join(outDir, 'charts'))) expect(readFileSync(join(written, 'charts', name))).toEqual(readFileSync(join(outDir, 'charts', name)));
  });

  it('writes index.html: one breakdown bar per router with its step time, the table, a heatmap per router; PNG copies', () => {
    const html = read(outDir, 'index.html');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
    const r = result();
    // The breakdown chart labels each bar with its total: the router's step time.
    for (const row of r.routers) {
      expect(html).toContain(`>${row.router}<`);
      expect(html).toContain(`${(row.stepTime_s * 1e3).toFixed(1)} ms`);
    }
    expect(html.match(/<table class="grid">[\s\S]*?<\/table>/)?.[0].match(/<tr>/g)).toHaveLength(1 + 4);
    expect(html.match(/Tokens kept per expert: /g)).toHaveLength(4);
    const charts = readdirSync(join(outDir, 'charts')).sort();
    expect(charts).toEqual(['step-breakdown.png', 'tokens-per-expert-1-gshard.png', 'tokens-per-expert-2-switch.png', 'tokens-per-expert-3-hash.png', 'tokens-per-expert-4-switch-capacityFactor-2.png']);
    for (const name of charts) {
      const png = readFileSync(join(outDir, 'charts', name));
      expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
      expect(png.length).toBeGreaterThan(20_000); // a blank 1200-px image compresses to a few kB
    }
  });
});

describe('moesim compare: bad input exits 2 with one line, before anything runs', () => {
  const badOut = tempDir('compare-bad');
  const compare = (routers: string, file = 'scenarios/default.yaml'): Promise<CliOutcome> => runCli('compare', file, '--routers', routers, '--out', badOut);

  it('rejects unknown routers, empty lists, duplicates and bad parameters', async () => {
    expectOneLineError(await compare('gshard,swich'), /--routers: unknown router "swich"; accepted: .*switch/);
    expectOneLineError(await compare(''), /--routers: the list is empty/);
    expectOneLineError(await compare(','), /--routers: the list is empty/);
    expectOneLineError(await compare('gshard,,hash'), /--routers: item 2 is empty/);
    expectOneLineError(await compare('gshard,switch,gshard'), /--routers: "gshard" is listed twice/);
    expectOneLineError(await compare('gshard,gshard:capacityFactor=1.25'), /--routers: "gshard:capacityFactor=1.25" duplicates "gshard"/);
    expectOneLineError(await compare('switch:capacityFactor=-1'), /--routers: switch\.capacityFactor: must be > 0 \(got -1\)/);
    expectOneLineError(await compare('switch:capacityFacter=1'), /--routers: switch: unknown field "capacityFacter"; accepted fields: capacityFactor, auxLossWeight/);
    expectOneLineError(await compare('switch:capacityFactor'), /--routers: "switch:capacityFactor": expected key=value/);
  });

  it('rejects a bad or missing scenario, a replayed trace, a bad backend, and a missing --routers', async () => {
    expectOneLineError(await compare('gshard', 'scenarios/nope.yaml'), /scenario file not found: scenarios\/nope\.yaml/);
    expectOneLineError(await compare('gshard', writeScenario(defaultScenarioWith('servers: 2', 'servers: -2'))), /cluster\.servers: must be > 0/);
    expectOneLineError(await compare('switch', writeScenario(defaultScenarioWith('backend: wasm', 'backend: wasm\nrouting:\n  replay: some-trace'))), /routing\.replay: compare routes every router live/);
    expectOneLineError(await runCli('compare', 'scenarios/default.yaml', '--routers', 'gshard', '--backend', 'tpu'), /--backend: got "tpu"/);
    const missing = await runCli('compare', 'scenarios/default.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--routers/);
    expect(readdirSync(badOut)).toEqual([]); // nothing ran, nothing was written
  });
});
