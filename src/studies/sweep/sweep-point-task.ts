// The sweep's task module for the worker pool: one sweep point, its result row and notes. Each thread keeps its own
// token-batch cache inside runSweepPoint, so points sharing features reuse them.
import { taskModule } from '../worker-pool/worker-pool.ts';
import type { SweepRow, SweepTask } from './sweep-point.ts';
import { runSweepPoint } from './sweep-point.ts';

export function runTask(task: SweepTask): Promise<{ row: SweepRow; notes: string[] }> {
  return runSweepPoint(task);
}

export const SWEEP_POINT_TASKS = taskModule(import.meta.url, runTask);
