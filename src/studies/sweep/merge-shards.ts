// The sweep's identity as written into its files, and joining shard results: every shard must come from the same
// sweep (same fingerprint) and together they must hold each point exactly once. Pure: no file is touched here;
// the sweep directory's files are written and read in src/report/sweep/sweep-directory.ts.
import { InputError } from '../../engine/index.ts';
import type { SweepAxis, SweepPlan } from './sweep-plan.ts';
import type { SweepRow } from './sweep-point.ts';

/** What identifies a sweep in results.json, sweep.json and shard files. */
export interface SweepHeader {
  scenario: string;
  fingerprint: string;
  points: number;
  axes: SweepAxis[];
}

/** One shard's results as read from its file. */
export interface SweepShardFile {
  /** Where it was read from (for messages). */
  file: string;
  sweep: SweepHeader;
  shard: { index: number; count: number };
  rows: SweepRow[];
}

export function sweepHeader(plan: SweepPlan): SweepHeader {
  return { scenario: plan.scenario, fingerprint: plan.fingerprint, points: plan.points, axes: plan.axes };
}

function listPoints(points: number[]): string {
  const shown = points.slice(0, 10).join(', ');
  return points.length > 10 ? `${shown}, … (${points.length} in all)` : shown;
}

/** Join shard files into every point's row, in point order; refuses mixed sweeps, overlaps and gaps. */
export function mergeShardFiles(shards: readonly SweepShardFile[]): { sweep: SweepHeader; rows: SweepRow[] } {
  const first = shards[0];
  if (first === undefined) throw new InputError('merge: no shard files (shard-<i>-of-<n>.json) in the given directories; run moesim sweep … --shard i/n into them first', 'merge');
  for (const s of shards) {
    if (s.sweep.fingerprint !== first.sweep.fingerprint) {
      throw new InputError(`merge: ${s.file} is from a different sweep than ${first.file} (fingerprint ${s.sweep.fingerprint.slice(0, 12)}… against ${first.sweep.fingerprint.slice(0, 12)}…: another scenario text or --set list)`, 'merge');
    }
  }
  const owner = new Map<number, string>();
  const rows: SweepRow[] = [];
  for (const s of shards) {
    for (const row of s.rows) {
      const earlier = owner.get(row.point);
      if (earlier !== undefined) throw new InputError(`merge: point ${row.point} is in both ${earlier} and ${s.file} (overlapping shards)`, 'merge');
      if (!Number.isSafeInteger(row.point) || row.point < 0 || row.point >= first.sweep.points) {
        throw new InputError(`merge: ${s.file} has point ${row.point}, outside the sweep's ${first.sweep.points} points`, 'merge');
      }
      owner.set(row.point, s.file);
      rows.push(row);
    }
  }
  const missing = Array.from({ length: first.sweep.points }, (_, p) => p).filter((p) => !owner.has(p));
  if (missing.length > 0) {
    const count = first.shard.count;
    const shardsMissing = [...new Set(missing.map((p) => p % count))].sort((a, b) => a - b);
    throw new InputError(`merge: ${missing.length} of ${first.sweep.points} points are missing (points ${listPoints(missing)}); shard${shardsMissing.length === 1 ? '' : 's'} ${shardsMissing.map((i) => `${i}/${count}`).join(', ')} not found or not finished`, 'merge');
  }
  rows.sort((a, b) => a.point - b.point);
  return { sweep: first.sweep, rows };
}
