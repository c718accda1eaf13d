// The README's first command, end to end: `moesim run scenarios/default.yaml` writes summary.json, experts.csv,
// traffic-matrix.csv and trace.json; the summary keeps its contract; the same scenario gives byte-identical files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/run-cli.ts';

const CONTRACT = ['stepTime_s', 'tokensPerSecond', 'mfu', 'devices', 'tokensPerExpert', 'droppedTokens', 'commBytes', 'peakMemoryBytes', 'router', 'seed'];

describe('moesim run scenarios/default.yaml', () => {
  const dirs = [tempDir('run-a'), tempDir('run-b')];
  const outcomes: Awaited<ReturnType<typeof runCli>>[] = [];

  beforeAll(async () => {
    for (const dir of dirs) outcomes.push(await runCli('run', 'scenarios/default.yaml', '--out', dir));
  }, 120_000);

  const read = (i: number, name: string): string => readFileSync(join(dirs[i] as string, name), 'utf8');

  it('exits 0 and prints the summary table', () => {
    for (const o of outcomes) {
      expect(o.stderr).toBe('');
      expect(o.code).toBe(0);
      expect(o.stdout).toMatch(/step time\s+\d+\.\d+ ms/);
      expect(o.stdout).toMatch(/wrote .*summary\.json, .*experts\.csv, .*links\.csv, .*link-utilisation\.csv, .*traffic-matrix\.csv, .*trace\.json, .*index\.html, .*charts\/step-breakdown\.png, .*charts\/tokens-per-expert\.png, .*charts\/link-utilisation\.png, .*charts\/traffic-matrix\.png\n/);
    }
  });

  it('prints exactly the summary table shown in README.md', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /```\n\$ npm start\n\n([\s\S]*?)\n\nwrote /.exec(readme)?.[1];
    expect(block, 'README.md has a worked example block').toBeDefined();
    const table = outcomes[0]?.stdout.split('\n\nwrote ')[0];
    expect(table).toBe(block);
  });

  it('writes byte-identical summary.json, experts.csv and trace.json on a second run', () => {
    for (const name of ['summary.json', 'experts.csv', 'links.csv', 'link-utilisation.csv', 'traffic-matrix.csv', 'trace.json', 'index.html']) expect(read(1, name)).toBe(read(0, name));
  });

  it('keeps the summary.json contract, with values that hang together', () => {
    const s = JSON.parse(read(0, 'summary.json')) as Record<string, unknown> & {
      stepTime_s: number; tokensPerSecond: number; mfu: number; devices: number; tokensPerExpert: number[][];
      droppedTokens: number; proposedAssignments: number; tokensPerStep: number; commBytes: { total: number; intraServer: number; interServer: number };
      peakMemoryBytes: number; expertCapacity: number; parallelism: { microBatches: number };
    };
    expect(Object.keys(s).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(s.devices).toBe(16);
    expect(s.router).toBe('gshard');
    expect(s.seed).toBe(42);
    expect(s.stepTime_s).toBeGreaterThan(0);
    expect(s.tokensPerSecond).toBeCloseTo(s.tokensPerStep / s.stepTime_s, 6);
    expect(s.mfu).toBeGreaterThan(0);
    expect(s.mfu).toBeLessThan(1);
    // 4 MoE layers × 16 experts; kept + dropped = proposed.
    expect(s.tokensPerExpert).toHaveLength(4);
    for (const row of s.tokensPerExpert) expect(row).toHaveLength(16);
    const kept = s.tokensPerExpert.flat().reduce((a, b) => a + b, 0);
    expect(kept + s.droppedTokens).toBe(s.proposedAssignments);
    // No expert keeps more than capacity × routing groups (16 devices × micro-batches).
    const maxKept = s.expertCapacity * 16 * s.parallelism.microBatches;
    expect(Math.max(...s.tokensPerExpert.flat())).toBeLessThanOrEqual(maxKept);
    expect(s.commBytes.total).toBe(s.commBytes.intraServer + s.commBytes.interServer);
    expect(s.commBytes.interServer).toBeGreaterThan(0); // the EP group spans both servers
    expect(s.peakMemoryBytes).toBeGreaterThan(0);
  });

  it('names the kernels a real step runs in the breakdown and on the critical path, and splits their time by pass', () => {
    const s = JSON.parse(read(0, 'summary.json')) as {
      breakdown_s: { compute: Record<string, number>; computeByPass: Record<string, number> };
      criticalPath: { compute: Record<string, number>; computeByPass: Record<string, number> };
    };
    for (const kernel of ['norm', 'attention-proj', 'rope', 'flash-attention', 'residual-add', 'router', 'permute', 'activation', 'expert', 'lm-head', 'cross-entropy', 'embedding', 'optimizer']) {
      expect(s.breakdown_s.compute[kernel], kernel).toBeGreaterThan(0);
      expect(s.criticalPath.compute[kernel], kernel).toBeGreaterThan(0);
    }
    expect(Object.keys(s.breakdown_s.computeByPass)).toEqual(['forward', 'backward', 'wgrad', 'optimizer']);
    const total = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
    expect(total(s.breakdown_s.computeByPass)).toBeCloseTo(total(s.breakdown_s.compute), 12);
    expect(total(s.criticalPath.computeByPass)).toBeCloseTo(total(s.criticalPath.compute), 12);
  });

  it('writes an experts.csv row per (layer, expert) matching tokensPerExpert', () => {
    const s = JSON.parse(read(0, 'summary.json')) as { tokensPerExpert: number[][] };
    const rows = read(0, 'experts.csv').trim().split('\n');
    expect(rows[0]).toBe('layer,expert,device,tokens,share_of_layer,load_over_mean');
    expect(rows).toHaveLength(1 + 4 * 16);
    const third = rows[1 + 16 + 3]?.split(',');
    expect(Number(third?.[3])).toBe(s.tokensPerExpert[1]?.[3]);
  });

  it('writes a self-contained index.html with the four charts, and PNG copies of the expected size', () => {
    const html = read(0, 'index.html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg/g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    for (const title of ['Where the step time goes', 'Tokens kept per expert', 'Busiest links over the step', 'Bytes sent, source → destination']) expect(html).toContain(title);
    for (const chart of ['step-breakdown', 'tokens-per-expert', 'link-utilisation', 'traffic-matrix']) {
      const png = readFileSync(join(dirs[0] as string, 'charts', `${chart}.png`));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
      expect(png.length).toBeGreaterThan(10_000); // not blank
    }
  });

  it('writes traffic-matrix.csv: 16 × 16 devices whose bytes add up to commBytes', () => {
    const s = JSON.parse(read(0, 'summary.json')) as { commBytes: { total: number; interServer: number } };
    const rows = read(0, 'traffic-matrix.csv').trim().split('\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['source_device', ...Array.from({ length: 16 }, (_, d) => `d${d}`)]);
    expect(rows).toHaveLength(17);
    let total = 0;
    let inter = 0;
    rows.slice(1).forEach((r, i) => r.slice(1).forEach((v, j) => {
      total += Number(v);
      if ((i < 8) !== (j < 8)) inter += Number(v);
    }));
    expect(total).toBe(s.commBytes.total);
    expect(inter).toBe(s.commBytes.interServer);
  });

  it('writes links.csv whose bytes add up to linkBytesByKind, busiest first', () => {
    const s = JSON.parse(read(0, 'summary.json')) as { linkBytesByKind: Record<string, number>; busiestLinks: { name: string; bytes: number }[] };
    const rows = read(0, 'links.csv').trim().split('\n').slice(1).map((r) => r.split(','));
    const byKind: Record<string, number> = {};
    for (const r of rows) byKind[r[1] as string] = (byKind[r[1] as string] ?? 0) + Number(r[3]);
    for (const [kind, bytes] of Object.entries(s.linkBytesByKind)) expect(Math.abs((byKind[kind] ?? 0) - bytes) / bytes).toBeLessThan(1e-9);
    const bytes = rows.map((r) => Number(r[3]));
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeLessThanOrEqual(bytes[i - 1] as number);
    expect(s.busiestLinks[0]?.name).toBe(rows[0]?.[0]);
  });

  it('writes link-utilisation.csv: 50 buckets of the 16 busiest links, whose mean matches links.csv', () => {
    const rows = read(0, 'link-utilisation.csv').trim().split('\n').map((r) => r.split(','));
    const header = rows[0] as string[];
    expect(header[0]).toBe('time_s');
    expect(header).toHaveLength(17);
    expect(rows).toHaveLength(51);
    const links = read(0, 'links.csv').trim().split('\n').slice(1).map((r) => r.split(','));
    expect(header[1]).toBe(links[0]?.[0]);
    // Mean over the buckets ≈ mean_utilisation (the last bucket may run past the step's end; tolerance 5%).
    const series = rows.slice(1).map((r) => Number(r[1]));
    const mean = series.reduce((a, b) => a + b, 0) / series.length;
    expect(Math.abs(mean - Number(links[0]?.[4])) / Number(links[0]?.[4])).toBeLessThan(0.05);
  });

  it('writes a Chrome trace whose spans fit inside the step on every device track', () => {
    const trace = JSON.parse(read(0, 'trace.json')) as { traceEvents: { ph: string; ts?: number; dur?: number; tid: number }[] };
    const s = JSON.parse(read(0, 'summary.json')) as { stepTime_s: number };
    const spans = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(spans.length).toBeGreaterThan(16 * 10);
    const stepUs = s.stepTime_s * 1e6;
    for (const e of spans) {
      expect(e.ts).toBeGreaterThanOrEqual(0);
      expect((e.ts ?? 0) + (e.dur ?? 0)).toBeLessThanOrEqual(stepUs + 1e-6);
    }
    expect(new Set(spans.map((e) => e.tid)).size).toBe(48); // compute, comm and background-comm tracks for 16 devices
  });
});
