// moesim's worker pool (piscina), generic over the application: a study names a task module — a file that exports
// `runTask(task)` returning structured-cloneable data — and the pool runs its tasks on threads (pool-thread.mjs
// imports the module there) or, with one worker, in this thread through the same function. The pool imports no
// study; test/architecture/layering.test.ts checks that.
import { Piscina } from 'piscina';
import { InputError } from '../../engine/index.ts';

/** A thread's result, or the InputError it threw (pool-thread.mjs sends those back tagged) thrown here again. */
async function untagged<Result>(run: Promise<unknown>): Promise<Result> {
  const result = await run;
  if (result !== null && typeof result === 'object' && 'moesimInputError' in result) {
    const e = (result as { moesimInputError: { message: string; field?: string } }).moesimInputError;
    throw new InputError(e.message, e.field);
  }
  return result as Result;
}

/** A study's task module: where threads import it from, and its runTask for in-process runs. */
export interface TaskModule<Task, Result> {
  /** The module's own URL (`import.meta.url` inside it); it must export `runTask` with the signature below. */
  readonly url: string;
  readonly runTask: (task: Task) => Promise<Result>;
}

/** Declare the calling file as a task module: `export const tasks = taskModule(import.meta.url, runTask)`. */
export function taskModule<Task, Result>(url: string, runTask: (task: Task) => Promise<Result>): TaskModule<Task, Result> {
  return { url, runTask };
}

const THREAD_ENTRY = new URL('./pool-thread.mjs', import.meta.url).href;

/**
 * Run one task on a thread of its own, started for it and ended after it: a fresh heap and fresh compiled code, so a
 * benchmark measures the same whatever ran before it in this process.
 */
export async function runInFreshThread<Task, Result>(module: TaskModule<Task, Result>, task: Task): Promise<Result> {
  const pool = new Piscina({ filename: THREAD_ENTRY, minThreads: 1, maxThreads: 1 });
  try {
    return await untagged<Result>(pool.run({ module: module.url, task }));
  } finally {
    await pool.destroy();
  }
}

/**
 * Run `tasks` on `workers` threads (1: in this thread, in order); `onDone` fires as each finishes. A task that
 * throws (or whose thread dies) rejects the whole run, unless `onError` is given: then it is reported there, its
 * result slot stays empty, and the others go on.
 */
export async function runTasks<Task, Result>(
  module: TaskModule<Task, Result>, tasks: readonly Task[], workers: number,
  onDone?: (index: number, result: Result) => void, onError?: (index: number, error: unknown) => void,
): Promise<(Result | undefined)[]> {
  const results = new Array<Result | undefined>(tasks.length);
  const runOne = async (i: number, run: () => Promise<Result>): Promise<void> => {
    let result: Result;
    try {
      result = await run();
    } catch (err) {
      if (onError === undefined) throw err;
      onError(i, err);
      return;
    }
    results[i] = result;
    onDone?.(i, result);
  };
  if (workers <= 1 || tasks.length <= 1) {
    for (const [i, task] of tasks.entries()) await runOne(i, () => module.runTask(task));
    return results;
  }
  const threads = Math.min(workers, tasks.length);
  const pool = new Piscina({ filename: THREAD_ENTRY, minThreads: threads, maxThreads: threads });
  try {
    await Promise.all(tasks.map((task, i) => runOne(i, () => untagged<Result>(pool.run({ module: module.url, task })))));
  } finally {
    await pool.destroy();
  }
  return results;
}
