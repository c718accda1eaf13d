// The paper-validation suite (`moesim validate-papers`, `npm run validate`): runs the experiments the chosen
// cases need (in-process, or spread over worker threads), then judges every case against its published figure.
// Judging is pure: the same runs give the same table, whatever the order the experiments finished in.
import { performance } from 'node:perf_hooks';
import { InputError } from '../../engine/index.ts';
import type { CompareResult } from '../compare-routers.ts';
import { LOCMOE_CASES, LOCMOE_EXPERIMENTS } from './cases-locmoe.ts';
import { LOCMOE_PLUS_CASES, LOCMOE_PLUS_EXPERIMENTS } from './cases-locmoe-plus.ts';
import { PUBLISHED_FIGURE_CASES, THROUGHPUT_EXPERIMENTS } from './cases-published-figures.ts';
import type { WorkerTask } from '../workers/worker-tasks.ts';
import { runTasks } from '../workers/worker-tasks.ts';
import type { CaseResult, Experiment, Measurements, ValidationCase } from './validation-types.ts';
import { judge, toleranceText } from './validation-types.ts';

export const VALIDATION_EXPERIMENTS: Experiment[] = [...LOCMOE_EXPERIMENTS, ...LOCMOE_PLUS_EXPERIMENTS, ...THROUGHPUT_EXPERIMENTS];
export const VALIDATION_CASES: ValidationCase[] = [...LOCMOE_CASES, ...LOCMOE_PLUS_CASES, ...PUBLISHED_FIGURE_CASES];

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
  counts: { pass: number; fail: number; knownGap: number };
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

async function runExperiments(experiments: Experiment[], options: ValidationOptions): Promise<{ results: Map<string, CompareResult>; wall: Record<string, number> }> {
  const results = new Map<string, CompareResult>();
  const wall: Record<string, number> = {};
  const t0 = performance.now();
  let done = 0;
  const tasks = experiments.map((e): WorkerTask => ({ kind: 'experiment', scenario: e.scenario, routers: e.routers }));
  await runTasks<CompareResult>(tasks, Math.max(1, options.workers ?? 1), (i, result) => {
    const id = (experiments[i] as Experiment).id;
    results.set(id, result);
    wall[id] = Number(((performance.now() - t0) / 1000).toFixed(2)); // seconds from the start until it finished
    options.onExperimentDone?.(id, ++done, experiments.length);
  });
  return { results, wall };
}

/** Judge one case from finished experiments. */
export async function evaluateCase(c: ValidationCase, m: Measurements): Promise<CaseResult> {
  const predicted = await c.measure(m);
  const { error, within } = judge(predicted, c.published, c.tolerance);
  const status = within ? 'pass' : c.knownGap !== undefined ? 'known gap' : 'fail';
  return {
    id: c.id, paper: c.paper, source: c.source, what: c.what, unit: c.unit, published: c.published, publishedText: c.publishedText,
    predicted, error, toleranceText: toleranceText(c.tolerance, c.unit), calibration: c.calibration, status,
    ...(c.knownGap !== undefined ? { knownGap: c.knownGap } : {}),
  };
}

/** Measurements over a finished set of experiment results. */
export function measurementsOf(results: Map<string, CompareResult>): Measurements {
  return {
    compare: (id) => {
      const r = results.get(id);
      if (r === undefined) return Promise.reject(new Error(`validation: experiment "${id}" was not run`));
      return Promise.resolve(r);
    },
  };
}

export async function runValidation(options: ValidationOptions = {}): Promise<ValidationReport> {
  const cases = chooseCases(options.papers);
  const needed = new Set(cases.flatMap((c) => c.experiments));
  const experiments = VALIDATION_EXPERIMENTS.filter((e) => needed.has(e.id));
  const { results, wall } = await runExperiments(experiments, options);
  const m = measurementsOf(results);
  const judged: CaseResult[] = [];
  for (const c of cases) judged.push(await evaluateCase(c, m));
  const count = (s: CaseResult['status']): number => judged.filter((r) => r.status === s).length;
  return { cases: judged, experimentWall_s: wall, counts: { pass: count('pass'), fail: count('fail'), knownGap: count('known gap') } };
}
