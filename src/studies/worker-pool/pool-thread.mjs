// Worker-thread entry of moesim's piscina pools: registers tsx so the TypeScript sources load, then imports the task
// module a job names (once per thread; Node caches it) and returns its runTask's result, structured-cloned back to
// the main thread. The pool knows no application: each study names its own task module (worker-pool.ts).
import { register } from 'tsx/esm/api';

register();

/**
 * An InputError (a user's mistake, found in the thread) crosses back as a tagged result: a thrown error reaches the
 * main thread structured-cloned, as a plain Error without its class or field, and would be reported as a bug.
 */
export default async function runOne({ module, task }) {
  const { runTask } = await import(module);
  try {
    return await runTask(task);
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') return { moesimInputError: { message: err.message, field: err.field } };
    throw err;
  }
}
