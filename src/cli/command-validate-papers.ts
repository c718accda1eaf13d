// `moesim validate-papers [--json] [--paper a,b] [--workers N] [--out DIR]`: predict the published figures of
// scenarios/papers/ and print case | published | moesim | error | tolerance | pass; write report.md (with the
// predicted-against-published chart) and report.json to output/validation/. The headline (held-out accuracy error)
// prints first. Exit 1 when a case fails: outside its tolerance, a known gap worse than its recorded band, a
// measurement that crashed or a prediction that is not finite (a known gap inside its band does not fail the run).
import type { Command } from 'commander';
import { toJsonText, validationTable, writeValidationReport } from '../report/index.ts';
import { runValidation, validationExitCode } from '../studies/index.ts';
import { parseWorkers } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';
import { createProgress, progressEnabled } from './progress.ts';

export interface ValidatePapersOptions {
  json: boolean;
  quiet: boolean;
  paper?: string;
  workers?: string;
  out?: string;
}

export async function validatePapersCommand(options: ValidatePapersOptions, io: CliIo): Promise<number> {
  const workers = parseWorkers(options.workers);
  const papers = options.paper?.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const progress = createProgress('validating against papers (experiments)', progressEnabled(options.quiet || options.json));
  const started = performance.now();
  let report;
  try {
    report = await runValidation({ workers, ...(papers !== undefined ? { papers } : {}), onExperimentDone: (_id, done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
  const wall = (performance.now() - started) / 1000;
  const dir = options.out ?? 'output/validation';
  const written = writeValidationReport(report, dir);
  if (options.json) {
    io.stdout(toJsonText({ ...report, wall_s: Number(wall.toFixed(1)) }));
  } else if (!options.quiet) {
    io.stdout(validationTable(report));
  }
  if (!options.quiet) io.stderr(`validated in ${wall.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}; wrote ${written.join(', ')}\n`);
  return validationExitCode(report.summary);
}

/** Adds `moesim validate-papers` to the CLI. */
export function registerValidatePapersCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('validate-papers')
    .description('predict published results (scenarios/papers/: LocMoE, LocMoE+, MEO, HCCL, PanGu-Σ, Pangu Ultra MoE and 135B, MindSpeed-LLM; Vidur\'s H100/A100 kernels and NCCL): the held-out accuracy headline first, then every case with its error')
    .option('--json', 'print the report as JSON to stdout (human messages go to stderr)')
    .option('-q, --quiet', 'no progress bar and no printed table')
    .option('--paper <names>', 'only these papers, comma-separated (e.g. LocMoE,MEO)')
    .option('--workers <n>', 'worker threads for the experiments (default: 2, or 1 on a one-core machine)')
    .option('-o, --out <dir>', 'report directory (default: output/validation)')
    .action(async (opts: { json?: boolean; quiet?: boolean; paper?: string; workers?: string; out?: string }) =>
      setExit(await validatePapersCommand({ ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));
}
