// The tasks moesim's worker pools run (sim-worker.mjs is the thread entry): each returns plain data that can be
// structured-cloned. Also callable in-process, so a pool of one thread is just a loop.
import { Piscina } from 'piscina';
import type { CompareResult } from '../compare-routers.ts';
import type { StepBenchOptions, StepBenchResult } from '../bench/step-bench.ts';
import { runStepBenchmark } from '../bench/step-bench.ts';
import { runScenario } from '../run-scenario.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { validateScenarioObject } from '../scenario/load-scenario.ts';
import type { Summary } from '../summary.ts';
import type { SweepRow, SweepTask } from '../sweep/sweep-point.ts';
import { runSweepPoint } from '../sweep/sweep-point.ts';
import { runExperiment } from '../validate/run-experiment.ts';

export type WorkerTask =
  | { kind: 'experiment'; scenario: string; routers: string }
  | { kind: 'scenario'; scenario: unknown; label: string }
  | { kind: 'sweep-point'; task: SweepTask }
  | { kind: 'step-bench'; options: StepBenchOptions };

export type WorkerResult = CompareResult | { summary: Summary } | { row: SweepRow; notes: string[] } | StepBenchResult;

export async function runWorkerTask(task: WorkerTask): Promise<WorkerResult> {
  if (task.kind === 'experiment') return runExperiment(task.scenario, task.routers);
  // Each thread keeps its own token-batch cache inside runSweepPoint, so points sharing features reuse them.
  if (task.kind === 'sweep-point') return runSweepPoint(task.task);
  if (task.kind === 'step-bench') return runStepBenchmark(task.options);
  // Plans read step time, throughput, MFU and memory only: no link activity, traffic matrix or critical path.
  const run = await runScenario(resolveScenario(validateScenarioObject(task.scenario, task.label)), { recordLinkActivity: false, recordTraffic: false, criticalPath: false });
  return { summary: run.summary };
}

/**
 * Run one task on a thread of its own, started for it and ended after it: a fresh heap and fresh compiled code, so a
 * benchmark measures the same whatever ran before it in this process.
 */
export async function runInFreshThread<T extends WorkerResult>(task: WorkerTask): Promise<T> {
  const pool = new Piscina({ filename: new URL('./sim-worker.mjs', import.meta.url).href, minThreads: 1, maxThreads: 1 });
  try {
    return (await pool.run(task)) as T;
  } finally {
    await pool.destroy();
  }
}

/** `moesim bench step`'s ladder point on a fresh thread (runInFreshThread): each point timed as if run alone. */
export function runStepBenchmarkInFreshThread(options: StepBenchOptions): Promise<StepBenchResult> {
  return runInFreshThread<StepBenchResult>({ kind: 'step-bench', options });
}

/**
 * Run `tasks` on `workers` threads (1: in this thread, in order); `onDone` fires as each finishes. A task that
 * throws (or whose thread dies) rejects the whole run, unless `onError` is given: then it is reported there, its
 * result slot stays empty, and the others go on.
 */
export async function runTasks<T extends WorkerResult>(
  tasks: WorkerTask[], workers: number, onDone?: (index: number, result: T) => void, onError?: (index: number, error: unknown) => void,
): Promise<(T | undefined)[]> {
  const results = new Array<T | undefined>(tasks.length);
  const runOne = async (i: number, run: () => Promise<unknown>): Promise<void> => {
    let result: T;
    try {
      result = (await run()) as T;
    } catch (err) {
      if (onError === undefined) throw err;
      onError(i, err);
      return;
    }
    results[i] = result;
    onDone?.(i, result);
  };
  if (workers <= 1 || tasks.length <= 1) {
    for (const [i, task] of tasks.entries()) await runOne(i, () => runWorkerTask(task));
    return results;
  }
  const threads = Math.min(workers, tasks.length);
  const pool = new Piscina({ filename: new URL('./sim-worker.mjs', import.meta.url).href, minThreads: threads, maxThreads: threads });
  try {
    await Promise.all(tasks.map((task, i) => runOne(i, () => pool.run(task))));
  } finally {
    await pool.destroy();
  }
  return results;
}
