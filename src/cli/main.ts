// The moesim command line (commander): parses arguments, runs a command, and turns every failure into a
// one-line message and an exit code (2 for bad input or usage, 1 for internal errors).
import { Command, CommanderError } from 'commander';
import { NETWORK_MODELS } from '../topology/index.ts';
import { benchCommand } from './command-bench.ts';
import { catalogCommand } from './command-catalog.ts';
import { collectiveCommand } from './command-collective.ts';
import { COMPARE_HELP, compareCommand } from './command-compare.ts';
import { ROUTE_HELP, routeCommand } from './command-route.ts';
import type { RouteCommandOptions } from './command-route.ts';
import { planCommand } from './command-plan.ts';
import { runCommand } from './command-run.ts';
import { SWEEP_HELP, mergeCommand, sweepCommand } from './command-sweep.ts';
import { validatePapersCommand } from './command-validate-papers.ts';
import { validateCommand } from './command-validate.ts';
import { EXIT_OK, EXIT_USAGE, reportError } from './errors.ts';
import type { CliIo } from './io.ts';
import { processIo } from './io.ts';

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('moesim')
    .description('Discrete-event performance simulator for Mixture-of-Experts training clusters')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "moesim --help" for usage)');

  program
    .command('run')
    .description('simulate one training step of a scenario and write its report to output/<name>/')
    .argument('<scenario>', 'scenario YAML file')
    .option('-o, --out <dir>', 'report directory (default: output/<scenario name>)')
    .option('--backend <name>', 'tfjs backend for routing: wasm | cpu | node')
    .option('--no-trace', 'do not write trace.json')
    .option('-q, --quiet', 'no progress bar and no printed summary')
    .option('--json', 'print summary.json to stdout (human messages go to stderr)')
    .option('--record-routing <dir>', 'also write the routing decisions as a routing trace (manifest.json + .npy) to <dir>')
    .action(async (file: string, opts: { out?: string; backend?: string; trace: boolean; quiet?: boolean; json?: boolean; recordRouting?: string }) => {
      setExit(await runCommand(file, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io));
    });

  program
    .command('compare')
    .description('run a scenario under several routers (same tokens, same seed) and compare step time, load, drops, all-to-all and memory')
    .argument('<scenario>', 'scenario YAML file')
    .requiredOption('--routers <list>', 'comma-separated routers, e.g. gshard,switch,hash (the first is the speed-up baseline)')
    .option('-o, --out <dir>', 'directory for compare.csv and compare.json (default: output/<scenario name>/compare)')
    .option('--backend <name>', 'tfjs backend for routing: wasm | cpu | node')
    .option('-q, --quiet', 'no progress bar and no printed table')
    .option('--json', 'print compare.json to stdout (human messages go to stderr)')
    .addHelpText('after', COMPARE_HELP)
    .action(async (file: string, opts: { routers: string; out?: string; backend?: string; quiet?: boolean; json?: boolean }) => {
      setExit(await compareCommand(file, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io));
    });

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

  program
    .command('merge')
    .description('join the shard files of a sharded sweep (moesim sweep --shard i/n) into results.csv, results.json and index.html')
    .argument('<dirs...>', 'directories holding shard-<i>-of-<n>.json files')
    .option('-o, --out <dir>', 'where to write the results (default: the first directory)')
    .option('-q, --quiet', 'print nothing')
    .option('--json', 'print results.json to stdout')
    .action((dirs: string[], opts: { out?: string; quiet?: boolean; json?: boolean }) =>
      setExit(mergeCommand(dirs, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io)));

  program
    .command('validate')
    .description('check a scenario file (schema, presets, router, parallelism) without running it')
    .argument('<scenario>', 'scenario YAML file')
    .option('--json', 'print the resolved essentials (cluster, model, parallelism, router) as JSON')
    .option('-q, --quiet', 'print nothing (the exit code says whether the scenario is valid)')
    .action((file: string, opts: { json?: boolean; quiet?: boolean }) => setExit(validateCommand(file, { json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));

  program
    .command('validate-papers')
    .description('predict the published results of scenarios/papers/ (LocMoE, LocMoE+, MEO, HCCL, PanGu-Σ, Pangu Ultra MoE) and report each error')
    .option('--json', 'print the report as JSON to stdout (human messages go to stderr)')
    .option('-q, --quiet', 'no progress bar and no printed table')
    .option('--paper <names>', 'only these papers, comma-separated (e.g. LocMoE,MEO)')
    .option('--workers <n>', 'worker threads for the experiments (default: 2, or 1 on a one-core machine)')
    .option('-o, --out <dir>', 'report directory (default: output/validation)')
    .action(async (opts: { json?: boolean; quiet?: boolean; paper?: string; workers?: string; out?: string }) =>
      setExit(await validatePapersCommand({ ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));

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

  program
    .command('catalog')
    .description('list the hardware presets, or show one')
    .argument('[name]', 'a system or chip preset name')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'print nothing (the exit code says whether the preset exists)')
    .action((name: string | undefined, opts: { json?: boolean; quiet?: boolean }) => setExit(catalogCommand(name, { json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));

  program
    .command('bench')
    .description('run a benchmark and print its figures (engine: hold model with 1,000 pending events; routing: GShard top-2 over 1M tokens, d 1024, 64 experts, routing time only; step: one DeepSeek-V3-like training step at N devices)')
    .argument('<name>', 'benchmark: engine | routing | step')
    .option('--json', 'print the figures as JSON (one object per line for step)')
    .option('-q, --quiet', 'print nothing unless --json')
    .option('--events <n>', 'events to simulate (engine)')
    .option('--tokens <n>', 'tokens to route (routing; a multiple of 4096, default 1048576)')
    .option('--devices <n>', 'devices (step; a power of two from 16; default: 256, 1024 and 4096 in turn)')
    .option('--network <model>', `network model (step): ${NETWORK_MODELS.join(' | ')}`, 'analytical')
    .action(async (name: string, opts: { json?: boolean; quiet?: boolean; events?: string; tokens?: string; devices?: string; network?: string }) =>
      setExit(await benchCommand(name, {
        json: opts.json ?? false, quiet: opts.quiet ?? false, ...(opts.events ? { events: opts.events } : {}), ...(opts.tokens ? { tokens: opts.tokens } : {}),
        ...(opts.devices ? { devices: opts.devices } : {}), ...(opts.network ? { network: opts.network } : {}),
      }, io)),
    );

  program
    .command('route')
    .description('route N tokens through one MoE layer with a router (default parameters) on tfjs and print the expert load')
    .requiredOption('--router <name>', 'router name (see README: switch, gshard, hash, expert-choice, base, deepseek-aux-free, adamoe, locmoe, locmoe-plus, meo, dense)')
    .requiredOption('--tokens <n>', 'tokens to route')
    .requiredOption('--experts <n>', 'number of experts E')
    .requiredOption('--hidden <n>', 'hidden size d of the router input')
    .option('--top-k <k>', "the model's experts per token (routers with their own k ignore it)", '2')
    .option('--source <source>', 'token features: synthetic | mobydick | npy:PATH', 'synthetic')
    .option('--group-size <t>', 'tokens per routing group (capacity is per group; default min(N, 4096); must divide N)')
    .option('--seed <s>', 'seed of features and router', '1')
    .option('--backend <name>', 'tfjs backend: wasm | cpu | node', 'wasm')
    .option('--json', 'print one JSON line')
    .option('-q, --quiet', 'no progress bar, and print nothing unless --json')
    .addHelpText('after', ROUTE_HELP)
    .action(async (opts: Omit<RouteCommandOptions, 'json' | 'quiet'> & { json?: boolean; quiet?: boolean }) => setExit(await routeCommand({ ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));

  program
    .command('collective')
    .description('time one collective over every device of a cluster and print algbw and busbw (nccl-tests definitions)')
    .requiredOption('--cluster <preset>', 'system preset (see moesim catalog)')
    .requiredOption('--nodes <n>', 'number of servers')
    .requiredOption('--op <op>', 'allreduce | allgather | reducescatter | alltoall | broadcast | sendrecv')
    .requiredOption('--size <bytes>', 'nccl-tests size, e.g. 256MiB, 1GB, 4096 (KB/MB/GB = 10^3, KiB/MiB/GiB = 2^10)')
    .option('--algo <name>', 'algorithm (default: what HCCL or NCCL would pick for the topology)')
    .option('--model <name>', `network model: ${NETWORK_MODELS.join(' | ')}`, 'analytical')
    .option('--json', 'print one JSON line')
    .option('-q, --quiet', 'print nothing unless --json')
    .action((opts: { cluster: string; nodes: string; op: string; size: string; algo?: string; model?: string; json?: boolean; quiet?: boolean }) =>
      setExit(collectiveCommand({ ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)),
    );

  return program;
}

/** Run the CLI with node-style argv (argv[0] = node, argv[1] = script); returns the process exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    return reportError(err, io.stderr);
  }
}
