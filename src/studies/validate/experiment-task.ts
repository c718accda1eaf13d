// The validation suite's task module for the worker pool: one experiment, a scenario file under its routers.
import type { CompareResult } from '../compare/compare-routers.ts';
import { taskModule } from '../worker-pool/worker-pool.ts';
import { runExperiment } from './run-experiment.ts';

export interface ExperimentTask {
  readonly scenario: string;
  readonly routers: string;
}

export function runTask(task: ExperimentTask): Promise<CompareResult> {
  return runExperiment(task.scenario, task.routers);
}

export const EXPERIMENT_TASKS = taskModule(import.meta.url, runTask);
