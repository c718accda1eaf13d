// `moesim bench <name>`: benchmarks that print figures (never part of the timed test suite).
// engine: the event queue's hold model. routing: GShard top-2 over 1M tokens on tfjs (see routing-bench.ts for
// exactly what is timed: routing only, features generated once as a 65,536-token pool routed with 16 layers' gates).
// step: one training step of a DeepSeek-V3-like model at N devices (step-bench.ts), each on a fresh worker thread;
// without --devices, a ladder of device counts shows how the wall time grows. No progress bar: a bar redrawn during a
// timed run would disturb it, and each result prints as soon as it is measured (the step ladder line by line).
import type { Command } from 'commander';
import { InputError } from '../engine/index.ts';
import { toJsonText } from '../report/index.ts';
import type { StepBenchResult } from '../studies/index.ts';
import { ROUTING_BENCH, isStepBenchDeviceCount, runEngineHoldBenchmark, runRoutingBenchmark, runStepBenchmarkInFreshThread } from '../studies/index.ts';
import { networkModelNames } from '../topology/index.ts';
import { parseNetworkModel } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';

export const BENCHMARKS = ['engine', 'routing', 'step'] as const;

/** Device counts of `moesim bench step` without --devices. */
export const STEP_BENCH_LADDER = [256, 1024, 4096] as const;

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(value) && value > 0)) throw new InputError(`--${flag}: must be a positive integer (got "${text}")`, flag);
  return value;
}

export interface BenchOptions {
  json: boolean;
  quiet?: boolean;
  events?: string;
  tokens?: string;
  devices?: string;
  network?: string;
}

export async function benchCommand(name: string, options: BenchOptions, cliIo: CliIo): Promise<number> {
  // --quiet prints nothing but errors; --json output is printed either way.
  const io: CliIo = { stdout: (t) => (options.json || !options.quiet ? cliIo.stdout(t) : undefined), stderr: cliIo.stderr };
  if (name === 'routing') return routingBench(options, io);
  if (name === 'step') return stepBench(options, io);
  if (name !== 'engine') throw new InputError(`bench: unknown benchmark "${name}"; accepted: ${BENCHMARKS.join(', ')}`);
  const events = positiveInteger('events', options.events);
  const r = runEngineHoldBenchmark(events === undefined ? {} : { events });
  if (options.json) {
    io.stdout(toJsonText({ eventsPerSecond: Math.round(r.eventsPerSecond), baselineEventsPerSecond: Math.round(r.baselineEventsPerSecond), ratio: Number(r.ratio.toFixed(3)), pending: r.pending, events: r.events }, false));
  } else {
    io.stdout(
      `engine hold model, ${r.pending} pending events, ${r.events.toLocaleString('en-US')} events\n` +
        `  moesim engine        ${Math.round(r.eventsPerSecond).toLocaleString('en-US')} events/s\n` +
        `  object-heap baseline ${Math.round(r.baselineEventsPerSecond).toLocaleString('en-US')} events/s\n` +
        `  ratio                ${r.ratio.toFixed(2)}×\n`,
    );
  }
  return 0;
}

async function routingBench(options: { json: boolean; tokens?: string }, io: CliIo): Promise<number> {
  const tokens = positiveInteger('tokens', options.tokens);
  if (tokens !== undefined && tokens % ROUTING_BENCH.groupSize !== 0) {
    throw new InputError(`--tokens: must be a multiple of the routing group size ${ROUTING_BENCH.groupSize} (got ${tokens})`, 'tokens');
  }
  const r = await runRoutingBenchmark(tokens === undefined ? {} : { tokens });
  if (options.json) {
    io.stdout(toJsonText(r, false));
    return 0;
  }
  const n = (x: number): string => x.toLocaleString('en-US');
  io.stdout(
    `routing bench: ${r.router}, ${n(r.tokens)} tokens, d ${r.hidden}, ${r.experts} experts, top-${r.topK}, groups of ${n(r.groupSize)} (${r.backend})\n` +
      `  features      ${n(r.poolTokens)}-token synthetic pool generated once in ${r.featureTime_s.toFixed(3)} s (not in routing time)\n` +
      `  routed as     ${r.passes} passes over the pool, pass p with layer p's gate, chunks of ${n(r.chunkTokens)} tokens\n` +
      `  routing time  ${r.routingTime_s.toFixed(3)} s (tensor upload, X·W, softmax, top-2, capacity)\n` +
      `  tokens/s      ${n(r.tokensPerSecond)}\n` +
      `  gate GFLOPS   ${r.gflops.toFixed(2)} (2·N·d·E / routing time)\n` +
      `  dropped       ${n(r.dropped)} of ${n(r.computed)} assignments; max/mean load ${r.maxOverMean.toFixed(3)}\n`,
  );
  return 0;
}

async function stepBench(options: BenchOptions, io: CliIo): Promise<number> {
  const devices = positiveInteger('devices', options.devices);
  if (devices !== undefined && !isStepBenchDeviceCount(devices)) throw new InputError(`--devices: must be a power of two, at least 16 (got ${devices}): the benchmark's PP must divide 64 layers and EP both DP and 256 experts`, 'devices');
  const network = parseNetworkModel('network', options.network ?? 'analytical');
  const ladder = devices === undefined ? [...STEP_BENCH_LADDER] : [devices];
  const results: StepBenchResult[] = [];
  for (const n of ladder) {
    // Each point on a thread of its own: a point's time does not depend on the heap and code the ones before left.
    const r = await runStepBenchmarkInFreshThread({ devices: n, network });
    results.push(r);
    if (options.json) {
      io.stdout(toJsonText({ devices: r.devices, network: r.network, wall_s: r.wall_s, simulatedStepTime_s: r.simulatedStepTime_s, routing_s: r.routing_s, layout: r.layout, tasks: r.tasks, collectives: r.collectives, events: r.events }, false));
    } else {
      const l = r.layout;
      io.stdout(`step bench, ${network}: ${n} devices (tp ${l.tp} pp ${l.pp} dp ${l.dp} ep ${l.ep}, ${l.microBatches} micro-batches): wall ${r.wall_s.toFixed(3)} s for a simulated step of ${r.simulatedStepTime_s.toFixed(3)} s (${r.tasks.toLocaleString('en-US')} tasks, ${r.collectives.toLocaleString('en-US')} collectives, ${r.events.toLocaleString('en-US')} events; routing ${r.routing_s.toFixed(1)} s apart)\n`);
    }
  }
  if (!options.json && results.length > 1) {
    const first = results[0] as StepBenchResult;
    const last = results[results.length - 1] as StepBenchResult;
    const exponent = Math.log(last.wall_s / first.wall_s) / Math.log(last.devices / first.devices);
    io.stdout(`  wall time grows as devices^${exponent.toFixed(2)} from ${first.devices} to ${last.devices} devices\n`);
  }
  return 0;
}

/** Adds `moesim bench` to the CLI. */
export function registerBenchCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('bench')
    .description('run a benchmark and print its figures (engine: hold model with 1,000 pending events; routing: GShard top-2 over 1M tokens, d 1024, 64 experts, routing time only; step: one DeepSeek-V3-like training step at N devices)')
    .argument('<name>', 'benchmark: engine | routing | step')
    .option('--json', 'print the figures as JSON (one object per line for step)')
    .option('-q, --quiet', 'print nothing unless --json')
    .option('--events <n>', 'events to simulate (engine)')
    .option('--tokens <n>', 'tokens to route (routing; a multiple of 4096, default 1048576)')
    .option('--devices <n>', 'devices (step; a power of two from 16; default: 256, 1024 and 4096 in turn)')
    .option('--network <model>', `network model (step): ${networkModelNames().join(' | ')}`, 'analytical')
    .action(async (name: string, opts: { json?: boolean; quiet?: boolean; events?: string; tokens?: string; devices?: string; network?: string }) =>
      setExit(await benchCommand(name, {
        json: opts.json ?? false, quiet: opts.quiet ?? false, ...(opts.events ? { events: opts.events } : {}), ...(opts.tokens ? { tokens: opts.tokens } : {}),
        ...(opts.devices ? { devices: opts.devices } : {}), ...(opts.network ? { network: opts.network } : {}),
      }, io)),
    );
}
