// Worker-thread entry of moesim's piscina pools: registers tsx so the TypeScript sources load, then runs one task
// and returns its result (structured-cloned back to the main thread). Tasks (worker-tasks.ts):
//   { kind: 'experiment', scenario, routers }: a validation experiment (a scenario file under its routers);
//   { kind: 'scenario', scenario }: one scenario object run end to end, its summary returned;
//   { kind: 'sweep-point', task }: one sweep point, its result row and notes returned;
//   { kind: 'step-bench', options }: one step benchmark (a ladder point of `moesim bench step`), its result returned.
import { register } from 'tsx/esm/api';

register();
const { runWorkerTask } = await import('./worker-tasks.ts');

export default async function runOne(task) {
  return runWorkerTask(task);
}
