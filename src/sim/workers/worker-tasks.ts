// The tasks moesim's worker pools run (sim-worker.mjs is the thread entry): each returns plain data that can be
// structured-cloned. Also callable in-process, so a pool of one thread is just a loop.
import { Piscina } from 'piscina';
import type { CompareResult } from '../compare-routers.ts';
import { runScenario } from '../run-scenario.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { validateScenarioObject } from '../scenario/load-scenario.ts';
import type { Summary } from '../summary.ts';
import { runExperiment } from '../validate/run-experiment.ts';

export type WorkerTask =
  | { kind: 'experiment'; scenario: string; routers: string }
  | { kind: 'scenario'; scenario: unknown; label: string };

export type WorkerResult = CompareResult | { summary: Summary };

export async function runWorkerTask(task: WorkerTask): Promise<WorkerResult> {
  if (task.kind === 'experiment') return runExperiment(task.scenario, task.routers);
  // Plans read step time, throughput, MFU and memory only: no link activity.
  const run = await runScenario(resolveScenario(validateScenarioObject(task.scenario, task.label)), { recordLinkActivity: false });
  return { summary: run.summary };
}

/** Run `tasks` on `workers` threads (1: in this thread, in order); `onDone` fires as each finishes. */
export async function runTasks<T extends WorkerResult>(tasks: WorkerTask[], workers: number, onDone?: (index: number, result: T) => void): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  if (workers <= 1 || tasks.length <= 1) {
    for (const [i, task] of tasks.entries()) {
      results[i] = (await runWorkerTask(task)) as T;
      onDone?.(i, results[i]);
    }
    return results;
  }
  const threads = Math.min(workers, tasks.length);
  const pool = new Piscina({ filename: new URL('./sim-worker.mjs', import.meta.url).href, minThreads: threads, maxThreads: threads });
  try {
    await Promise.all(tasks.map(async (task, i) => {
      results[i] = (await pool.run(task)) as T;
      onDone?.(i, results[i]);
    }));
  } finally {
    await pool.destroy();
  }
  return results;
}
