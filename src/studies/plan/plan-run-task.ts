// The planner's task module for the worker pool: one candidate's scenario object run end to end, its summary returned.
// Plans read step time, throughput, MFU and memory only, so no link activity, traffic matrix or critical path is kept.
import { resolveScenario, runScenario, validateScenarioObject } from '../../sim/index.ts';
import type { Summary } from '../../sim/index.ts';
import { taskModule } from '../worker-pool/worker-pool.ts';

export interface PlanRunTask {
  readonly scenario: unknown;
  readonly label: string;
}

export async function runTask(task: PlanRunTask): Promise<{ summary: Summary }> {
  const run = await runScenario(resolveScenario(validateScenarioObject(task.scenario, task.label)), { recordLinkActivity: false, recordTraffic: false, criticalPath: false });
  return { summary: run.summary };
}

export const PLAN_RUN_TASKS = taskModule(import.meta.url, runTask);
