// `moesim bench step`'s task module: one ladder point, run on a thread of its own (runInFreshThread) so that each
// point is timed as if it ran alone, whatever ran before it in this process.
import { runInFreshThread, taskModule } from '../worker-pool/worker-pool.ts';
import type { StepBenchOptions, StepBenchResult } from './step-bench.ts';
import { runStepBenchmark } from './step-bench.ts';

export function runTask(options: StepBenchOptions): Promise<StepBenchResult> {
  return runStepBenchmark(options);
}

const STEP_BENCH_TASKS = taskModule(import.meta.url, runTask);

export function runStepBenchmarkInFreshThread(options: StepBenchOptions): Promise<StepBenchResult> {
  return runInFreshThread(STEP_BENCH_TASKS, options);
}
