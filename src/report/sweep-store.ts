// Writing a sweep directory: sweep.json (which sweep this directory holds: its fingerprint), points/NNNNNN.json
// (one finished point's row each, for resume), shard-<i>-of-<n>.json (a finished shard's rows, for merge). Every
// file is written atomically (a temporary file renamed over the target), so an interrupted sweep never leaves a
// half-written record behind. Reading and checking a directory is src/cli/sweep-dir.ts.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SweepHeader, SweepRow, SweepShard } from '../studies/index.ts';
import { toJsonText } from './json-text.ts';

let tmpCounter = 0;

/** Write `text` to `path` through a temporary file in the same directory (unique per process and thread) and a rename. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${threadId}.${++tmpCounter}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export const SWEEP_MANIFEST = 'sweep.json';
/** The charts of a sweep's index.html, as charts/<name>.png. */
export const SWEEP_CHART_NAMES = ['tokens-per-second', 'mfu'] as const;
export const SWEEP_POINTS_DIR = 'points';
export const SHARD_FILE = /^shard-\d+-of-\d+\.json$/;
const pointFile = (dir: string, point: number): string => join(dir, SWEEP_POINTS_DIR, `${String(point).padStart(6, '0')}.json`);
const shardName = (shard: SweepShard): string => `shard-${shard.index}-of-${shard.count}.json`;

/** Write sweep.json: which sweep the directory holds. */
export function writeSweepManifest(dir: string, sweep: SweepHeader): void {
  writeFileAtomic(join(dir, SWEEP_MANIFEST), toJsonText({ sweep }));
}

/** Delete a sweep's manifest, point records, shard files, results, index.html and chart PNGs from `dir` (--force). */
export function clearSweepDir(dir: string): void {
  rmSync(join(dir, SWEEP_POINTS_DIR), { recursive: true, force: true });
  for (const f of readdirSync(dir)) if (/^(shard-\d+-of-\d+\.json|results\.(csv|json)|sweep\.json|index\.html)$/.test(f)) rmSync(join(dir, f), { force: true });
  for (const name of SWEEP_CHART_NAMES) rmSync(join(dir, 'charts', `${name}.png`), { force: true });
}

/** Record one finished point (resume skips it). */
export function writePointRecord(dir: string, row: SweepRow): void {
  writeFileAtomic(pointFile(dir, row.point), toJsonText(row, false));
}

/** Write a finished shard's rows: shard-<i>-of-<n>.json. */
export function writeShardFile(dir: string, sweep: SweepHeader, shard: SweepShard, rows: readonly SweepRow[]): string {
  const path = join(dir, shardName(shard));
  writeFileAtomic(path, toJsonText({ kind: 'moesim-sweep-shard', sweep, shard, rows }));
  return path;
}
