// Smoke test for the engine hold benchmark: it runs on a small workload and returns consistent figures.
// (Speed targets are checked by `npm run bench`, not here: tests must not fail on a slow machine.)
import { describe, expect, it } from 'vitest';
import { runEngineHoldBenchmark } from '../../src/studies/bench/engine-hold.ts';

describe('runEngineHoldBenchmark', () => {
  it('runs both loops and reports throughputs and their ratio', () => {
    const result = runEngineHoldBenchmark({ pending: 100, events: 20_000, seed: 7, repeats: 1 });
    expect(result.pending).toBe(100);
    expect(result.events).toBe(20_000);
    expect(result.eventsPerSecond).toBeGreaterThan(0);
    expect(result.baselineEventsPerSecond).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.eventsPerSecond / result.baselineEventsPerSecond, 10);
  });

  it('rejects bad sizes', () => {
    expect(() => runEngineHoldBenchmark({ events: 0 })).toThrow(/events/);
    expect(() => runEngineHoldBenchmark({ pending: 1.5 })).toThrow(/pending/);
  });
});
