// Run a sweep's points: the shard's slice (points p with p mod n = i, 0-based i), minus the points already
// finished, in-process or spread over worker threads (the generic pool, ../worker-pool/, running sweep-point-task.ts). Rows come back through
// `onPointDone` as each point finishes (the CLI records each one for resume); the returned rows are in point order.
import { InputError } from '../../engine/index.ts';
import { NETWORK_MODELS, networkModelNames } from '../../topology/index.ts';
import type { SweepPlan } from './sweep-plan.ts';
import { pointScenario, pointValues } from './sweep-plan.ts';
import type { SweepRow, SweepTask } from './sweep-point.ts';
import { errorRow } from './sweep-point.ts';
import { runTasks } from '../worker-pool/worker-pool.ts';
import { SWEEP_POINT_TASKS } from './sweep-point-task.ts';

/** A slice of the points: shard `index` (0-based) of `count`. */
export interface SweepShard {
  index: number;
  count: number;
}

export interface SweepRunOptions {
  /** Worker threads; 1 (default) runs every point in this thread. */
  workers?: number;
  shard?: SweepShard;
  /** Points already finished (resume): not run again. */
  finished?: ReadonlySet<number>;
  /** Called as each point finishes, with the points done so far and the points this run runs. */
  onPointDone?: (row: SweepRow, done: number, total: number) => void;
}

export interface SweepRunResult {
  /** The rows of the points this run ran, in point order. */
  rows: SweepRow[];
  /** Notes from the runs, each once. */
  notes: string[];
}

/** Parse `--shard i/n` (0-based i: Slurm's SLURM_ARRAY_TASK_ID and Kubernetes' JOB_COMPLETION_INDEX start at 0). */
export function parseShard(text: string): SweepShard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new InputError(`--shard: expected i/n with 0 ≤ i < n (0-based, e.g. 0/8 … 7/8), got "${text}"`, 'shard');
  }
  return { index, count };
}

/** The points of a shard, in order. */
export function shardPoints(points: number, shard: SweepShard = { index: 0, count: 1 }): number[] {
  const out: number[] = [];
  for (let p = shard.index; p < points; p += shard.count) out.push(p);
  return out;
}

export function sweepTask(plan: Pick<SweepPlan, 'axes' | 'base'>, point: number): SweepTask {
  return { point, values: pointValues(plan, point), scenario: pointScenario(plan, point) };
}

/**
 * Worker threads know the built-in network models only (a registered model lives in the thread that registered it),
 * so a multi-worker sweep refuses a point that names another one, up front and naming the fix.
 */
function checkNetworksForWorkers(tasks: readonly SweepTask[]): void {
  for (const t of tasks) {
    const network = (t.scenario['cluster'] as { network?: unknown } | undefined)?.network;
    if (typeof network === 'string' && !(NETWORK_MODELS as readonly string[]).includes(network) && networkModelNames().includes(network)) {
      throw new InputError(`--workers: point ${t.point} uses the network model "${network}", registered in this thread only; worker threads know ${NETWORK_MODELS.join(', ')}: run with workers 1`, 'workers');
    }
  }
}

export async function runSweep(plan: SweepPlan, options: SweepRunOptions = {}): Promise<SweepRunResult> {
  const todo = shardPoints(plan.points, options.shard).filter((p) => !options.finished?.has(p));
  const rows: SweepRow[] = [];
  const notes: string[] = [];
  let done = 0;
  const finished = (row: SweepRow, runNotes: string[]): void => {
    rows.push(row);
    for (const n of runNotes) if (!notes.includes(n)) notes.push(n);
    options.onPointDone?.(row, ++done, todo.length);
  };
  const workers = Math.max(1, Math.min(options.workers ?? 1, todo.length));
  const tasks = todo.map((p) => sweepTask(plan, p));
  if (workers > 1) checkNetworksForWorkers(tasks);
  await runTasks(
    SWEEP_POINT_TASKS,
    tasks,
    workers,
    (_i, { row, notes: n }) => finished(row, n),
    // The worker thread itself failed (out of memory, a crash): record it like any failing point.
    (i, err) => finished(errorRow(tasks[i] as SweepTask, `internal error: worker thread failed: ${err instanceof Error ? err.message : String(err)}`), []),
  );
  rows.sort((a, b) => a.point - b.point);
  return { rows, notes };
}
