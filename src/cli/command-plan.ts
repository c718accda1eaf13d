// `moesim plan <plan.yaml> [--workers N] [-o DIR] [--json] [-q]`: search sizes, layouts and routers per candidate
// system, simulate and price each, print the best configuration per system and the Pareto front, and write
// plan.json, plan.csv, the Pareto and scaling charts (SVG, PNG) and index.html to output/<plan name>/plan/ (or DIR).
import type { Command } from 'commander';
import { join } from 'node:path';
import { checkReportDir, planText, toJsonText, writePlanReport } from '../report/index.ts';
import { loadPlanFile, runPlan } from '../studies/index.ts';
import { parseWorkers } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';
import type { Progress } from './progress.ts';
import { createProgress, progressEnabled } from './progress.ts';

export interface PlanCommandOptions { workers?: string; out?: string; json: boolean; quiet: boolean }

export async function planCommand(file: string, options: PlanCommandOptions, io: CliIo): Promise<number> {
  const plan = loadPlanFile(file);
  const workers = parseWorkers(options.workers);
  const dir = options.out ?? join('output', plan.name, 'plan');
  checkReportDir(dir, options.out !== undefined ? '--out' : 'name');
  const show = progressEnabled(options.quiet || options.json);
  let progress: Progress | undefined;
  let stageShown = 0;
  let result;
  try {
    result = await runPlan(plan, {
      workers,
      onProgress: (done, total, stage) => {
        if (stage !== stageShown) {
          progress?.stop();
          progress = createProgress(stage === 1 ? 'plan: layouts' : stage === 2 ? 'plan: routers' : 'plan: flow re-runs', show);
          stageShown = stage;
        }
        progress?.update(done, total);
      },
    });
  } finally {
    progress?.stop();
  }
  const written = writePlanReport(result, dir);
  if (options.json) io.stdout(toJsonText(result));
  else if (!options.quiet) io.stdout(planText(result));
  if (!options.quiet) io.stderr(`wrote ${written.join(', ')}\n`);
  return 0;
}

/** Adds `moesim plan` to the CLI. */
export function registerPlanCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('plan')
    .description('search cluster sizes, layouts and routers per candidate system; print the best per system and the Pareto front of time, cost and energy')
    .argument('<plan>', 'plan YAML file (see scenarios/plans/)')
    .option('--workers <n>', 'worker threads (default: 2, or 1 on a one-core machine)')
    .option('-o, --out <dir>', 'report directory (default: output/<plan name>/plan)')
    .option('--json', 'print plan.json to stdout (human messages go to stderr)')
    .option('-q, --quiet', 'no progress bar and no printed plan')
    .action(async (file: string, opts: { workers?: string; out?: string; json?: boolean; quiet?: boolean }) =>
      setExit(await planCommand(file, { ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));
}
