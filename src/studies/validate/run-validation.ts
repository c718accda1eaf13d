// The paper-validation suite (`moesim validate-papers`, `npm run validate`): runs the experiments the chosen
// cases need (in-process, or spread over worker threads), then judges every case against its published figure.
// Judging is pure: the same runs give the same table, whatever the order the experiments finished in.
import { performance } from 'node:perf_hooks';
import { InputError } from '../../engine/index.ts';
import type { CompareResult } from '../compare/compare-routers.ts';
import { LOCMOE_CASES, LOCMOE_EXPERIMENTS } from './cases-locmoe.ts';
import { LOCMOE_PLUS_CASES, LOCMOE_PLUS_EXPERIMENTS } from './cases-locmoe-plus.ts';
import { PUBLISHED_FIGURE_CASES, THROUGHPUT_EXPERIMENTS } from './cases-published-figures.ts';
import { KERNEL_CASES } from './cases-kernels.ts';
import { ASCEND_COMPUTE_CASES, ASCEND_COMPUTE_EXPERIMENTS } from './cases-ascend-compute.ts';
import { GPU_CLUSTER_CASES, GPU_CLUSTER_EXPERIMENTS } from './cases-gpu-clusters.ts';
import { GPU_PUBLISHED_RUN_CASES, GPU_PUBLISHED_RUN_EXPERIMENTS } from './cases-gpu-published-runs.ts';
import { ASCEND_MINDSPEED_CASES, ASCEND_MINDSPEED_EXPERIMENTS } from './cases-ascend-mindspeed.ts';
import { VIDUR_COLLECTIVE_CASES } from './cases-vidur-collectives.ts';
import { runTasks } from '../worker-pool/worker-pool.ts';
import { EXPERIMENT_TASKS } from './experiment-task.ts';
import type { CaseResult, Experiment, Measurements, ValidationCase } from './validation-types.ts';
import { caseStatus, judge, toleranceText } from './validation-types.ts';
import type { ValidationSummary } from './validation-summary.ts';
import { summariseValidation } from './validation-summary.ts';

export const VALIDATION_EXPERIMENTS: Experiment[] = [...LOCMOE_EXPERIMENTS, ...LOCMOE_PLUS_EXPERIMENTS, ...THROUGHPUT_EXPERIMENTS, ...ASCEND_COMPUTE_EXPERIMENTS,
  ...ASCEND_MINDSPEED_EXPERIMENTS, ...GPU_CLUSTER_EXPERIMENTS, ...GPU_PUBLISHED_RUN_EXPERIMENTS];
export const VALIDATION_CASES: ValidationCase[] = [...LOCMOE_CASES, ...LOCMOE_PLUS_CASES, ...PUBLISHED_FIGURE_CASES, ...ASCEND_COMPUTE_CASES, ...KERNEL_CASES,
  ...ASCEND_MINDSPEED_CASES, ...GPU_CLUSTER_CASES, ...GPU_PUBLISHED_RUN_CASES, ...VIDUR_COLLECTIVE_CASES];

export interface ValidationOptions {
  /** Only the cases of these papers (names as in the table, case-insensitive); default: all. */
  papers?: string[];
  /** Worker threads for the experiments; 1 (default) runs them in this thread. */
  workers?: number;
  /** Called as each experiment finishes (for a progress bar). */
  onExperimentDone?: (id: string, done: number, total: number) => void;
}

export interface ValidationReport {
  cases: CaseResult[];
  /** Wall seconds from the start of the run until each experiment finished (not part of the judged results). */
  experimentWall_s: Record<string, number>;
  /** The headline (held-out accuracy error first) and the counts by kind and status. */
  summary: ValidationSummary;
}

function chooseCases(papers: string[] | undefined): ValidationCase[] {
  if (papers === undefined) return VALIDATION_CASES;
  const known = [...new Set(VALIDATION_CASES.map((c) => c.paper))];
  const wanted = papers.map((p) => p.trim().toLowerCase());
  for (const p of wanted) {
    if (!known.some((k) => k.toLowerCase() === p)) throw new InputError(`--paper: unknown paper "${p}"; accepted: ${known.join(', ')}`, 'paper');
  }
  return VALIDATION_CASES.filter((c) => wanted.includes(c.paper.toLowerCase()));
}

async function runExperiments(experiments: Experiment[], options: ValidationOptions): Promise<{ results: Map<string, CompareResult>; failed: Map<string, string>; wall: Record<string, number> }> {
  const results = new Map<string, CompareResult>();
  const failed = new Map<string, string>();
  const wall: Record<string, number> = {};
  const t0 = performance.now();
  let done = 0;
  const finished = (i: number): void => {
    const id = (experiments[i] as Experiment).id;
    wall[id] = Number(((performance.now() - t0) / 1000).toFixed(2)); // seconds from the start until it finished
    options.onExperimentDone?.(id, ++done, experiments.length);
  };
  const tasks = experiments.map((e) => ({ scenario: e.scenario, routers: e.routers }));
  // An experiment that throws (or whose thread dies) fails the cases that need it; the others still run.
  await runTasks(EXPERIMENT_TASKS, tasks, Math.max(1, options.workers ?? 1), (i, result) => {
    results.set((experiments[i] as Experiment).id, result);
    finished(i);
  }, (i, error) => {
    failed.set((experiments[i] as Experiment).id, error instanceof Error ? error.message : String(error));
    finished(i);
  });
  return { results, failed, wall };
}

/** Judge one case from finished experiments. A measurement that throws, or a prediction that is not finite, fails. */
export async function evaluateCase(c: ValidationCase, m: Measurements): Promise<CaseResult> {
  let predicted = Number.NaN;
  let published = Number.NaN;
  let publishedText = '';
  let failure: string | undefined;
  try {
    // A case may read its published figure from a data file (a measurement): that can fail too.
    published = c.published;
    publishedText = c.publishedText;
    predicted = await c.measure(m);
    if (!Number.isFinite(predicted)) failure = `the prediction is not a finite number (${String(predicted)})`;
    else if (!Number.isFinite(published)) failure = `the published figure is not a finite number (${String(published)})`;
  } catch (error) {
    failure = `the measurement failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const { error, within } = failure === undefined ? judge(predicted, published, c.tolerance) : { error: Number.NaN, within: false };
  const status = failure === undefined ? caseStatus(error, within, c.knownGap) : 'fail';
  return {
    id: c.id, paper: c.paper, source: c.source, what: c.what, unit: c.unit, published, publishedText,
    predicted, error, relativeError: failure === undefined ? predicted / published - 1 : Number.NaN,
    toleranceText: toleranceText(c.tolerance, c.unit), kind: c.kind, role: c.role, scope: c.scope ?? 'step', status,
    ...(c.mfu !== undefined ? { mfu: c.mfu } : {}),
    ...(c.knownGap !== undefined ? { knownGap: c.knownGap } : {}),
    ...(failure !== undefined ? { failure } : {}),
  };
}

/** Measurements over a finished set of experiment results (and the experiments that failed, with why). */
export function measurementsOf(results: Map<string, CompareResult>, failed: Map<string, string> = new Map()): Measurements {
  return {
    compare: (id) => {
      const r = results.get(id);
      if (r !== undefined) return Promise.resolve(r);
      const why = failed.get(id);
      return Promise.reject(new Error(why !== undefined ? `experiment "${id}" failed: ${why}` : `experiment "${id}" was not run`));
    },
  };
}

export async function runValidation(options: ValidationOptions = {}): Promise<ValidationReport> {
  const cases = chooseCases(options.papers);
  const needed = new Set(cases.flatMap((c) => c.experiments));
  const experiments = VALIDATION_EXPERIMENTS.filter((e) => needed.has(e.id));
  const { results, failed, wall } = await runExperiments(experiments, options);
  const m = measurementsOf(results, failed);
  const judged: CaseResult[] = [];
  for (const c of cases) judged.push(await evaluateCase(c, m));
  return { cases: judged, experimentWall_s: wall, summary: summariseValidation(judged) };
}
