// `moesim bench <name>`: benchmarks that print figures (never part of the timed test suite).
import { InputError } from '../engine/index.ts';
import { toJsonText } from '../report/index.ts';
import { runEngineHoldBenchmark } from '../sim/index.ts';
import type { CliIo } from './io.ts';

export const BENCHMARKS = ['engine'] as const;

export function benchCommand(name: string, options: { json: boolean; events?: string }, io: CliIo): number {
  if (name !== 'engine') throw new InputError(`bench: unknown benchmark "${name}"; accepted: ${BENCHMARKS.join(', ')}`);
  const events = options.events === undefined ? undefined : Number(options.events);
  if (events !== undefined && !(Number.isInteger(events) && events > 0)) {
    throw new InputError(`--events: must be a positive integer (got "${options.events}")`);
  }
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
