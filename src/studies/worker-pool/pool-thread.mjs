// Worker-thread entry of moesim's piscina pools: registers tsx so the TypeScript sources load, then imports the task
// module a job names (once per thread; Node caches it) and returns its runTask's result, structured-cloned back to
// the main thread. The pool knows no application: each study names its own task module (worker-pool.ts).
import { register } from 'tsx/esm/api';

register();

export default async function runOne({ module, task }) {
  const { runTask } = await import(module);
  return runTask(task);
}
