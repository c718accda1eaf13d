// `moesim sweep <scenario> --set key=v1,v2 [--set …] [--workers N] [--shard i/n] [--out DIR] [--force] [--json]
// [--quiet]`: run every point of the cartesian product of the --set axes (on worker threads), record each finished
// point for resume, and write results.csv, results.json and index.html (or, with --shard, shard-<i>-of-<n>.json
// for `moesim merge`). `moesim merge DIR… [--out DIR]` joins shard files into the results an unsharded run writes.
import type { Command } from 'commander';
import { join } from 'node:path';
import { checkReportDir, openSweepDir, readShardFiles, sweepJson, sweepTable, writePointRecord, writeShardFile, writeSweepResults } from '../report/index.ts';
import type { SweepRow, SweepShard } from '../studies/index.ts';
import { readInputText } from '../sim/index.ts';
import { mergeShardFiles, parseShard, planSweep, runSweep, shardPoints, sweepHeader } from '../studies/index.ts';
import { parseWorkers } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';
import { createProgress, progressEnabled } from './progress.ts';

export interface SweepCommandOptions {
  set: string[];
  workers?: string;
  shard?: string;
  out?: string;
  force: boolean;
  json: boolean;
  quiet: boolean;
}

export const SWEEP_HELP = `
Keys are dotted paths into the scenario (cluster.servers, parallelism.dp, router.name, router.capacityFactor, …);
values read as numbers, true/false, null, or else strings. The points are the cartesian product of the --set
options, the first varying slowest. Keys joined by ":" vary together (a zipped axis):
  --set cluster.servers:parallelism.dp=4:2,8:4,16:8 --set router.name=switch,gshard --set router.capacityFactor=1,1.25
A point that changes router.name starts from that router's defaults (as in compare). A point whose scenario is
invalid or fails is recorded as an error row. Re-running the same sweep into the same directory skips finished
points; a changed sweep there is refused (--force deletes it and starts fresh).
--shard i/n (0-based: 0/8 … 7/8) runs points p with p mod n = i and writes shard-<i>-of-<n>.json; join shards with
  moesim merge DIR… [--out DIR]
Writes results.csv, results.json and index.html (scaling curves: tokens/s and MFU against devices, one line per
combination of the other swept keys; the results table; failed points) with charts/*.png to
output/<scenario name>/sweep/ (or --out).`;

export async function sweepCommand(file: string, options: SweepCommandOptions, io: CliIo): Promise<number> {
  const workers = parseWorkers(options.workers);
  const shard: SweepShard | undefined = options.shard !== undefined ? parseShard(options.shard) : undefined;
  const plan = planSweep(readInputText(file, 'scenario file'), file, options.set);
  const sweep = sweepHeader(plan);
  const dir = options.out ?? join(plan.validated.output.dir ?? join('output', plan.scenario), 'sweep');
  checkReportDir(dir, options.out !== undefined ? '--out' : 'output.dir');
  const finished = openSweepDir(dir, sweep, options.force);
  const mine = new Set(shardPoints(plan.points, shard));
  const skipped = [...finished.keys()].filter((p) => mine.has(p)).length;
  const progress = createProgress(`sweep ${plan.scenario}${shard ? ` shard ${shard.index}/${shard.count}` : ''}`, progressEnabled(options.quiet || options.json));
  let result;
  try {
    result = await runSweep(plan, {
      workers, ...(shard ? { shard } : {}), finished: new Set(finished.keys()),
      onPointDone: (row, done, total) => {
        writePointRecord(dir, row, sweep.fingerprint);
        progress.update(done, total);
      },
    });
  } finally {
    progress.stop();
  }
  for (const note of result.notes) io.stderr(`moesim: note: ${note}\n`);
  const rows: SweepRow[] = [...result.rows, ...[...finished.values()].filter((r) => mine.has(r.point))].sort((a, b) => a.point - b.point);
  const files = shard ? [writeShardFile(dir, sweep, shard, rows)] : writeSweepResults(dir, sweep, rows);
  const ran = `${result.rows.length} point${result.rows.length === 1 ? '' : 's'} run${skipped > 0 ? `, ${skipped} already finished (skipped)` : ''}`;
  if (options.json) {
    io.stdout(sweepJson(sweep, rows));
    if (!options.quiet) io.stderr(`${ran}; wrote ${files.join(', ')}\n`);
  } else if (!options.quiet) {
    io.stdout(`${sweepTable(sweep, rows)}\n\n${ran}; wrote ${files.join(', ')}\n`);
  }
  return 0;
}

export interface MergeCommandOptions {
  out?: string;
  json: boolean;
  quiet: boolean;
}

export function mergeCommand(dirs: string[], options: MergeCommandOptions, io: CliIo): number {
  const shards = readShardFiles(dirs);
  const { sweep, rows } = mergeShardFiles(shards);
  const out = options.out ?? (dirs[0] as string);
  const files = writeSweepResults(out, sweep, rows);
  if (options.json) io.stdout(sweepJson(sweep, rows));
  if (!options.quiet) io.stderr(`merged ${shards.length} shard file${shards.length === 1 ? '' : 's'} (${rows.length} points of ${sweep.scenario}); wrote ${files.join(', ')}\n`);
  return 0;
}

/** Adds `moesim sweep` to the CLI. */
export function registerSweepCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('sweep')
    .description('run a scenario at every point of a parameter grid (--set key=v1,v2,…) on worker threads and write results.csv, results.json and index.html')
    .argument('<scenario>', 'scenario YAML file')
    .option('--set <key=values>', 'a swept key and its values, e.g. router.capacityFactor=1,1.25,2 (repeat for more axes)', (v: string, acc: string[] | undefined) => [...(acc ?? []), v])
    .option('--workers <n>', 'worker threads (default: 2, or 1 on a one-core machine; 1 runs in-process)')
    .option('--shard <i/n>', 'run only points p with p mod n = i (0-based i) and write shard-<i>-of-<n>.json for moesim merge')
    .option('-o, --out <dir>', 'sweep directory (default: output/<scenario name>/sweep)')
    .option('--force', 'if the directory holds a different sweep, delete it and start fresh')
    .option('-q, --quiet', 'no progress bar and no printed table')
    .option('--json', 'print results.json to stdout (human messages go to stderr)')
    .addHelpText('after', SWEEP_HELP)
    .action(async (file: string, opts: { set?: string[]; workers?: string; shard?: string; out?: string; force?: boolean; quiet?: boolean; json?: boolean }) => {
      setExit(await sweepCommand(file, { ...opts, set: opts.set ?? [], force: opts.force ?? false, quiet: opts.quiet ?? false, json: opts.json ?? false }, io));
    });
}

/** Adds `moesim merge` to the CLI. */
export function registerMergeCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('merge')
    .description('join the shard files of a sharded sweep (moesim sweep --shard i/n) into results.csv, results.json and index.html')
    .argument('<dirs...>', 'directories holding shard-<i>-of-<n>.json files')
    .option('-o, --out <dir>', 'where to write the results (default: the first directory)')
    .option('-q, --quiet', 'print nothing')
    .option('--json', 'print results.json to stdout')
    .action((dirs: string[], opts: { out?: string; quiet?: boolean; json?: boolean }) =>
      setExit(mergeCommand(dirs, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io)));
}
