// The sweep directory, the one home of its format: sweep.json (which sweep the directory holds: its fingerprint),
// points/NNNNNN.json (one finished point's row each, for resume) and shard-<i>-of-<n>.json (a finished shard's rows,
// for merge), each sealed with a checksum of its content and the sweep's fingerprint, checked when read back. Writing: every file atomically (common/atomic-file.ts), so an interrupted sweep never leaves a
// half-written record. Reading: claiming a directory for a sweep (resume, or refusing another sweep's directory) and
// collecting shard files for `moesim merge`. Joining shards is pure and lives in src/studies/sweep/merge-shards.ts;
// results.csv, results.json and index.html are written by write-sweep-report.ts.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../engine/index.ts';
import type { SweepHeader, SweepRow, SweepShard, SweepShardFile } from '../../studies/index.ts';
import { writeFileAtomic } from '../common/atomic-file.ts';
import { toJsonText } from '../common/json-text.ts';

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

/**
 * The checksum a record carries: sha256 of its sweep's fingerprint and its content as JSON. Every caller passes the
 * content as it reads back from the file (the writers parse what they are about to write), so the writer's number
 * formatting cannot make the two differ. Not a signature: it catches a record edited by hand or copied from another
 * sweep, not a forger.
 */
function checksum(fingerprint: string, content: unknown): string {
  return createHash('sha256').update(`${fingerprint}\n${JSON.stringify(content)}`).digest('hex');
}

/** Record one finished point (resume skips it), sealed with the sweep's fingerprint. */
export function writePointRecord(dir: string, row: SweepRow, fingerprint: string): void {
  const content = JSON.parse(toJsonText(row, false)) as unknown;
  writeFileAtomic(pointFile(dir, row.point), toJsonText({ kind: 'moesim-sweep-point', fingerprint, row: content, sha256: checksum(fingerprint, content) }, false));
}

/** Write a finished shard's rows: shard-<i>-of-<n>.json, sealed with the sweep's fingerprint. */
export function writeShardFile(dir: string, sweep: SweepHeader, shard: SweepShard, rows: readonly SweepRow[]): string {
  const path = join(dir, shardName(shard));
  const content = JSON.parse(toJsonText({ shard, rows })) as { shard: SweepShard; rows: SweepRow[] };
  writeFileAtomic(path, toJsonText({ kind: 'moesim-sweep-shard', sweep, ...content, sha256: checksum(sweep.fingerprint, content) }));
  return path;
}

/** A point record's row, when its checksum and fingerprint hold; an InputError naming the file otherwise. */
function checkedPoint(file: string, data: unknown, fingerprint: string): SweepRow {
  const record = data as { kind?: unknown; fingerprint?: unknown; row?: unknown; sha256?: unknown } | undefined;
  if (record?.kind !== 'moesim-sweep-point' || record.fingerprint !== fingerprint || record.sha256 !== checksum(fingerprint, record.row)) {
    throw new InputError(`${file}: the point record's checksum does not match its content or this sweep (edited, written by another sweep or another moesim); delete it to run that point again`, 'out');
  }
  return record.row as SweepRow;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Claim `dir` for this sweep and return the rows of the points already finished there (resume). A directory that
 * holds another sweep (another fingerprint) is refused, unless `force`, which deletes that sweep's files first.
 */
export function openSweepDir(dir: string, sweep: SweepHeader, force: boolean): Map<number, SweepRow> {
  const manifestPath = join(dir, SWEEP_MANIFEST);
  if (existsSync(manifestPath)) {
    const existing = (readJson(manifestPath) as { sweep?: Partial<SweepHeader> } | undefined)?.sweep?.fingerprint;
    if (existing !== sweep.fingerprint) {
      if (!force) {
        throw new InputError(`--out: ${dir} holds a different sweep (fingerprint ${String(existing).slice(0, 12)}…, this one ${sweep.fingerprint.slice(0, 12)}…: the scenario text or the --set list changed); use another --out, or --force to delete it and start fresh`, 'out');
      }
      clearSweepDir(dir);
    }
  }
  writeSweepManifest(dir, sweep);
  const finished = new Map<number, SweepRow>();
  const pointsDir = join(dir, SWEEP_POINTS_DIR);
  if (!existsSync(pointsDir)) return finished;
  for (const f of readdirSync(pointsDir)) {
    if (!/^\d+\.json$/.test(f)) continue;
    const row = checkedPoint(join(pointsDir, f), readJson(join(pointsDir, f)), sweep.fingerprint);
    const valid = row !== undefined && Number.isSafeInteger(row.point) && row.point >= 0 && row.point < sweep.points && (row.status === 'ok' || row.status === 'error');
    if (valid) finished.set(row.point, row);
  }
  return finished;
}

/** Every shard file in the given directories (each once, in directory then name order). */
export function readShardFiles(dirs: readonly string[]): SweepShardFile[] {
  const seen = new Set<string>();
  const out: SweepShardFile[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      throw new InputError(`merge: cannot read directory ${dir}`, 'merge');
    }
    for (const name of names.filter((n) => SHARD_FILE.test(n)).sort()) {
      const file = join(dir, name);
      if (seen.has(file)) continue;
      seen.add(file);
      const data = readJson(file) as (Partial<SweepShardFile> & { kind?: string; sha256?: string }) | undefined;
      if (data?.kind !== 'moesim-sweep-shard' || !data.sweep || !data.shard || !Array.isArray(data.rows)) {
        throw new InputError(`merge: ${file} is not a moesim sweep shard file (unreadable or malformed)`, 'merge');
      }
      if (typeof data.sweep.fingerprint !== 'string' || data.sha256 !== checksum(data.sweep.fingerprint, { shard: data.shard, rows: data.rows })) {
        throw new InputError(`merge: ${file}: the shard's checksum does not match its content (edited, or written by another moesim); run that shard again`, 'merge');
      }
      out.push({ file, sweep: data.sweep, shard: data.shard, rows: data.rows });
    }
  }
  return out;
}
