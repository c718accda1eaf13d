// One point of a sweep: validate its scenario with the normal schema, run it, and reduce the run to a result row
// (METRICS.md, "moesim sweep"). A point that is invalid or fails becomes a row with status "error" and the message,
// so the sweep goes on. Used in-process and by the worker threads (sweep-point-task.ts).
import { InputError, ProcessError } from '../../engine/index.ts';
import { compareRow } from '../compare/compare-routers.ts';
import { resolveScenario, runScenario, TokenBatchCache, validateScenarioObject } from '../../sim/index.ts';

/** One point's results (METRICS.md, "moesim sweep"): the metrics are null on an error row. */
export interface SweepRow {
  point: number;
  /** The swept keys' values at this point. */
  values: Record<string, unknown>;
  status: 'ok' | 'error';
  error: string | null;
  stepTime_s: number | null;
  tokensPerSecond: number | null;
  mfu: number | null;
  maxOverMeanExpertLoad: number | null;
  droppedFraction: number | null;
  allToAllIntraServerBytes: number | null;
  allToAllInterServerBytes: number | null;
  exposedAllToAll_s: number | null;
  peakMemoryBytes: number | null;
  memoryFits: boolean | null;
  devices: number | null;
}

/** A point to run: its index, swept values and scenario object (pointScenario). */
export interface SweepTask {
  point: number;
  values: Record<string, unknown>;
  scenario: Record<string, unknown>;
}

const cache = new TokenBatchCache();

/** The token-batch cache of this thread (exact; see token-batch-cache.ts). */
export function sweepBatchCache(): TokenBatchCache {
  return cache;
}

/** The row of a point that could not run. */
export function errorRow(task: Pick<SweepTask, 'point' | 'values'>, message: string): SweepRow {
  return {
    point: task.point, values: task.values, status: 'error', error: message, stepTime_s: null, tokensPerSecond: null, mfu: null,
    maxOverMeanExpertLoad: null, droppedFraction: null, allToAllIntraServerBytes: null, allToAllInterServerBytes: null,
    exposedAllToAll_s: null, peakMemoryBytes: null, memoryFits: null, devices: null,
  };
}

/** Run one point; never throws for a bad point (its row says why), and returns the run's notes. */
export async function runSweepPoint(task: SweepTask, options: { useCache?: boolean; cache?: TokenBatchCache } = {}): Promise<{ row: SweepRow; notes: string[] }> {
  try {
    const resolved = resolveScenario(validateScenarioObject(task.scenario, `point ${task.point}`));
    const run = await runScenario(resolved, options.useCache === false ? { recordTraffic: false, criticalPath: false } : { batchCache: options.cache ?? cache, recordTraffic: false, criticalPath: false });
    const s = run.summary;
    const c = compareRow({ label: s.router, name: s.router, params: s.routerParams }, s, s.stepTime_s);
    const row: SweepRow = {
      point: task.point, values: task.values, status: 'ok', error: null, stepTime_s: s.stepTime_s, tokensPerSecond: s.tokensPerSecond, mfu: s.mfu,
      maxOverMeanExpertLoad: s.maxOverMeanExpertLoad, droppedFraction: s.droppedFraction, allToAllIntraServerBytes: c.allToAllIntraServerBytes,
      allToAllInterServerBytes: c.allToAllInterServerBytes, exposedAllToAll_s: c.exposedAllToAll_s, peakMemoryBytes: s.peakMemoryBytes,
      memoryFits: s.memory.fits, devices: s.devices,
    };
    return { row, notes: run.notes };
  } catch (thrown) {
    let err: unknown = thrown;
    while (err instanceof ProcessError && err.cause !== undefined) err = err.cause;
    const message = err instanceof Error ? err.message : String(err);
    const text = message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('; ');
    return { row: errorRow(task, err instanceof InputError ? text : `internal error: ${text}`), notes: [] };
  }
}
