// Routing traces end to end through the CLI: `moesim run --record-routing DIR` on a small real-text scenario, then
// a scenario with `routing: { replay: DIR }` gives the same summary.json (only the routing provenance differs),
// experts.csv and trace.json; a mismatched scenario and each kind of corrupt trace exit 2 naming file and field.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, sha256Hex } from '../../src/routing/index.ts';
import { runCli, tempDir } from '../helpers/run-cli.ts';

const base = (extra = '', overrides = 'layers: 2, seqLength: 256, hidden: 256, ffnHidden: 512') => `version: 1
name: trace-small
seed: 7
cluster: { preset: atlas-800t-a2, servers: 2 }
model:
  preset: tiny-moe
  overrides: { ${overrides} }
parallelism: { tp: 1, pp: 1, dp: 16, ep: 16, microBatchSize: 1, globalBatch: 32 }
router: { name: gshard, capacityFactor: 1.25, secondExpert: random }
tokens: { source: text, corpus: moby-dick }
${extra}`;

describe('routing trace record → replay', () => {
  const root = tempDir('trace');
  const trace = join(root, 'trace');
  const write = (name: string, text: string): string => {
    const p = join(root, name);
    writeFileSync(p, text);
    return p;
  };
  let recorded: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    recorded = await runCli('run', write('record.yaml', base()), '--out', join(root, 'out-record'), '--record-routing', trace, '-q');
  }, 120_000);

  it('records a manifest and six arrays per (micro-batch, layer)', () => {
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    const m = JSON.parse(readFileSync(join(trace, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'moesim-routing-trace', schemaVersion: 1, router: 'gshard', numExperts: 16, groups: 16, groupSize: 256, layers: 2, moeLayers: [0, 1], microBatches: 2 });
    expect(m.entries).toHaveLength(4);
    const e = m.entries[0];
    const kept = decodeNpy(readFileSync(join(trace, e.arrays.keptCounts.file)), 'k');
    expect(kept).toMatchObject({ dtype: 'int32', shape: [16, 16] });
    expect(sha256Hex(readFileSync(join(trace, e.arrays.pairExpert.file)))).toBe(e.arrays.pairExpert.sha256);
  });

  it('replays without routing and gives the same summary, experts.csv and trace.json', async () => {
    const out = join(root, 'out-replay');
    const r = await runCli('run', write('replay.yaml', base(`routing: { replay: ${trace} }`)), '--out', out, '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(join(root, 'out-record', 'summary.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(b.routing.backend).toBe('none (replay)');
    expect(b.routing.tokenSource).toBe(`routing trace replay (recorded from ${a.routing.tokenSource})`);
    expect({ ...b, routing: { ...b.routing, backend: a.routing.backend, tokenSource: a.routing.tokenSource } }).toEqual(a);
    for (const f of ['experts.csv', 'trace.json']) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(root, 'out-record', f), 'utf8'));
  });

  it('refuses a trace recorded for another model or parallelism, naming the field (exit 2)', async () => {
    const r = await runCli('run', write('mismatch.yaml', base(`routing: { replay: ${trace} }`, 'layers: 2, seqLength: 128, hidden: 256, ffnHidden: 512')), '--out', join(root, 'x'), '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json: groupSize: the trace has 256, the scenario needs 128/);
    const experts = await runCli('run', write('mismatch2.yaml', base(`routing: { replay: ${trace} }`, 'layers: 2, seqLength: 256, hidden: 256, ffnHidden: 512, experts: 32')), '--out', join(root, 'y'), '-q');
    expect(experts.code).toBe(2);
    expect(experts.stderr).toMatch(/numExperts: the trace has 16, the scenario needs 32/);
  });

  /** Copy the trace, break it with `damage`, replay, and return stderr (expecting exit code 2). */
  async function replayDamaged(name: string, damage: (dir: string, m: { entries: { arrays: Record<string, { file: string; sha256: string; dtype: string }> }[] }) => void): Promise<string> {
    const dir = join(root, `damaged-${name}`);
    cpSync(trace, dir, { recursive: true });
    const manifestPath = join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    damage(dir, m);
    writeFileSync(manifestPath, JSON.stringify(m));
    const r = await runCli('run', write(`${name}.yaml`, base(`routing: { replay: ${dir} }`)), '--out', join(root, `out-${name}`), '-q');
    expect(r.code).toBe(2);
    return r.stderr;
  }

  it('names the file and field of a corrupt trace', async () => {
    const first = (m: Parameters<Parameters<typeof replayDamaged>[1]>[1]) => m.entries[0]!.arrays;
    expect(await replayDamaged('missing', (dir, m) => rmSync(join(dir, first(m).pairWeight!.file)))).toMatch(/mb0-layer0\.pairWeight\.npy \(entries\[micro-batch 0, layer 0\]\.arrays\.pairWeight\): file not found/);
    expect(await replayDamaged('checksum', (dir, m) => {
      const p = join(dir, first(m).pairExpert!.file);
      const bytes = readFileSync(p);
      bytes[bytes.length - 4] = 3;
      writeFileSync(p, bytes);
    })).toMatch(/pairExpert\.npy .*: sha256 mismatch/);
    const rewrite = (dir: string, entry: { file: string; sha256: string }, bytes: Uint8Array): void => {
      writeFileSync(join(dir, entry.file), bytes);
      entry.sha256 = sha256Hex(bytes);
    };
    expect(await replayDamaged('truncated', (dir, m) => {
      const e = first(m).pairToken!;
      rewrite(dir, e, readFileSync(join(dir, e.file)).subarray(0, -10));
    })).toMatch(/pairToken\.npy .*: truncated data: shape \(\d+\) of <i4 needs \d+ bytes/);
    expect(await replayDamaged('dtype', (dir, m) => {
      const e = first(m).pairKept!;
      const kept = decodeNpy(readFileSync(join(dir, e.file)), 'k');
      rewrite(dir, e, encodeNpy({ dtype: 'int32', shape: kept.shape, data: Int32Array.from(kept.data as Uint8Array) }));
    })).toMatch(/pairKept\.npy .*: dtype: the file holds int32; pairKept must be uint8/);
    expect(await replayDamaged('expert-range', (dir, m) => {
      const e = first(m).pairExpert!;
      const experts = decodeNpy(readFileSync(join(dir, e.file)), 'e');
      (experts.data as Int32Array)[5] = 16;
      rewrite(dir, e, encodeNpy(experts));
    })).toMatch(/mb0-layer0\.pairExpert\[5\]: expert id 16 is out of range \[0, 16\)/);
    expect(await replayDamaged('counts', (dir, m) => {
      const e = first(m).keptCounts!;
      const counts = decodeNpy(readFileSync(join(dir, e.file)), 'c');
      (counts.data as Int32Array)[0] = ((counts.data as Int32Array)[0] as number) + 1;
      rewrite(dir, e, encodeNpy(counts));
    })).toMatch(/mb0-layer0\.keptCounts\[0, 0\]: \d+, but the pairs give \d+/);
    expect(await replayDamaged('manifest-dtype', (_dir, m) => (first(m).pairWeight!.dtype = 'float16'))).toMatch(/dtype: the manifest says float16; pairWeight must be float32/);
    expect(await replayDamaged('manifest-field', (_dir, m) => delete (m as Record<string, unknown>).numExperts)).toMatch(/manifest\.json: numExperts: /);
  });

  it('refuses --record-routing on a replay, and a missing trace directory', async () => {
    const r = await runCli('run', write('both.yaml', base(`routing: { replay: ${trace} }`)), '--record-routing', join(root, 'again'), '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--record-routing: this scenario replays a routing trace/);
    const missing = await runCli('run', write('missing-dir.yaml', base(`routing: { replay: ${join(root, 'nope')} }`)), '-q');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/routing trace .*nope: directory not found/);
  });
});
