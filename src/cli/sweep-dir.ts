// Reading a sweep directory for `moesim sweep` (resume: which points are finished; refusing a directory that holds
// another sweep) and for `moesim merge` (the shard files). The files are written by src/report/sweep-store.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../engine/index.ts';
import { SHARD_FILE, SWEEP_MANIFEST, SWEEP_POINTS_DIR, clearSweepDir, writeSweepManifest } from '../report/index.ts';
import type { SweepHeader, SweepRow, SweepShardFile } from '../studies/index.ts';

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
    const row = readJson(join(pointsDir, f)) as SweepRow | undefined;
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
      const data = readJson(file) as (Partial<SweepShardFile> & { kind?: string }) | undefined;
      if (data?.kind !== 'moesim-sweep-shard' || !data.sweep || !data.shard || !Array.isArray(data.rows)) {
        throw new InputError(`merge: ${file} is not a moesim sweep shard file (unreadable or malformed)`, 'merge');
      }
      out.push({ file, sweep: data.sweep, shard: data.shard, rows: data.rows });
    }
  }
  return out;
}
