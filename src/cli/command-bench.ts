// `moesim bench <name>`: benchmarks that print figures (never part of the timed test suite).
// engine: the event queue's hold model. routing: GShard top-2 over 1M tokens on tfjs (see routing-bench.ts for
// exactly what is timed: routing only, features generated once as a 65,536-token pool routed with 16 layers' gates).
import { InputError } from '../engine/index.ts';
import { toJsonText } from '../report/index.ts';
import { ROUTING_BENCH, runEngineHoldBenchmark, runRoutingBenchmark } from '../sim/index.ts';
import type { CliIo } from './io.ts';

export const BENCHMARKS = ['engine', 'routing'] as const;

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(value) && value > 0)) throw new InputError(`--${flag}: must be a positive integer (got "${text}")`, flag);
  return value;
}

export async function benchCommand(name: string, options: { json: boolean; events?: string; tokens?: string }, io: CliIo): Promise<number> {
  if (name === 'routing') return routingBench(options, io);
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
